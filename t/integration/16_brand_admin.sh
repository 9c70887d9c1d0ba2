#!/usr/bin/env bash
# 16_brand_admin.sh -- the operator pages (issue 3): the platform operator
# creates a plan and a brand; that brand's operator sets its branding (seen
# in /brand.css and the page), contact details, social links and terms (a
# new text is accepted again), its host names and tiers; bad input is 400
# with the field and changes nothing; a tier's modules bind a partner at
# once, a plan's removal cascades to the tiers; a disabled brand's host is a
# plain 404; non-platform operators and partners never see what is not
# theirs. Names carry a per-run suffix, so the script can run again.
source "$(dirname "$0")/lib.sh"

plan 91

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
CTL=${TP_BUILD:-$TP_SRC/build-san}/tierportctl
INI=$TP_VAR/etc/tierport.ini
COOKIE=$(sed -n 's/^cookie = //p' "$INI" | head -n 1)
COOKIE=${COOKIE:-tp_session}
RUN=$$$RANDOM
HOST=b$RUN.test HOST2=c$RUN.test SLUG=it16-$RUN
# a brand's cached copy lives this long in the other worker threads
CACHE_WAIT=$(($(sed -n 's/^brand_cache_seconds = //p' "$INI" | head -n 1 || echo 10) + 3))

sql() { mariadb --socket="$TP_VAR/run/mysqld.sock" -u "$(id -un)" -N -B tierport -e "$1"; }
set_cookie() { { grep -i "^set-cookie: $1=" "$HDRS" || true; } | tail -n 1 | sed -E "s/^[^=]*=([^;]*).*/\1/" | tr -d '\r'; }

# the platform operator (the demo brand's) through an API token
DT=$(sql "SELECT id FROM tenants WHERE slug = 'demo'")
TOKEN=$("$CTL" -c "$INI" token add --brand demo --login operator --kind operator --name "it16-$RUN" | grep -oE '[A-Za-z0-9_-]{43}' | head -n 1)
TOKEN_ID=$(sql "SELECT id FROM api_tokens WHERE name = 'it16-$RUN'")
on_exit() { [ -z "${TOKEN_ID:-}" ] || "$CTL" -c "$INI" token revoke --brand demo --id "$TOKEN_ID" >/dev/null 2>&1 || true; }
# plat METHOD PATH [JSON]
plat() {
	if [ $# -ge 3 ]; then
		req_json "$1" "$2" "$3" -H "Host: localhost" -H "Authorization: Bearer $TOKEN"
	else
		req "$1" "$2" -H "Host: localhost" -H "Authorization: Bearer $TOKEN" -H 'Accept: application/json'
	fi
}

declare -A SESS CSRF
# login NAME LOGIN [partner|customer]: a JSON login on the new brand
login() {
	req_json POST /api/v1/session "{\"login\":\"$2\",\"password\":\"$PW\",\"as\":\"${3:-partner}\"}" -H "Host: $HOST"
	SESS[$1]=$(set_cookie "$COOKIE")
	CSRF[$1]=$(json_str csrf_token)
}
# as NAME METHOD PATH [JSON] (Host: the new brand)
as() {
	local who=$1 method=$2 path=$3
	if [ $# -ge 4 ]; then
		req_json "$method" "$path" "$4" -H "Host: $HOST" -b "$COOKIE=${SESS[$who]}" -H "X-CSRF-Token: ${CSRF[$who]}"
	else
		req "$method" "$path" -H "Host: $HOST" -b "$COOKIE=${SESS[$who]}" -H "X-CSRF-Token: ${CSRF[$who]}" -H 'Accept: application/json'
	fi
}
# html NAME METHOD PATH [curl args]: a browser
html() {
	local who=$1 method=$2 path=$3
	shift 3
	req "$method" "$path" -H "Host: $HOST" -b "$COOKIE=${SESS[$who]}" -H 'Accept: text/html' "$@"
}
# the last answer is the plain 404 of an unknown host
plain_404() { [ "$STATUS" = 404 ] && [ "$(body)" = "Not Found" ]; }
host_is_404() { req GET /login -H "Host: $1"; plain_404; }
host_answers() { req GET /login -H "Host: $1"; [ "$STATUS" = 200 ]; }

# ------------------------------------------------------------- plans and brands
plat GET /api/v1/admin/plans
is "$STATUS" 200 "platform operator: GET /api/v1/admin/plans 200"
NPLANS=$(sql "SELECT COUNT(*) FROM plans")
plat POST /api/v1/admin/plans "{\"name\":\"bad-$RUN\",\"modules\":[\"Not-A-Module\"]}"
is "$STATUS" 400 "a plan with a bad module name: 400"
check "  names the field modules" json_has field '"modules"'
is "$(sql "SELECT COUNT(*) FROM plans")" "$NPLANS" "  no plan was made"
plat POST /api/v1/admin/plans "{\"name\":\"it16-$RUN\",\"modules\":[\"fixture\",\"extra16\"]}"
is "$STATUS" 201 "a plan with fixture and extra16: 201"
PLAN=$(json_num id)
is "$(sql "SELECT GROUP_CONCAT(module ORDER BY module) FROM plan_modules WHERE plan_id = ${PLAN:-0}")" "extra16,fixture" "  stored with its modules"
plat POST /api/v1/admin/plans "{\"name\":\"it16-$RUN\"}"
is "$STATUS" 409 "  the same name again: 409"

plat POST /api/v1/admin/brands "{\"slug\":\"$SLUG\",\"name\":\"Brand $RUN\",\"plan_id\":\"$PLAN\",\"host\":\"localhost\"}"
is "$STATUS" 409 "a brand on a taken host: 409"
check "  names the field host" json_has field '"host"'
plat POST /api/v1/admin/brands "{\"slug\":\"$SLUG\",\"name\":\"Brand $RUN\",\"plan_id\":\"$PLAN\",\"host\":\"$HOST\"}"
is "$STATUS" 201 "the platform operator creates a brand: 201"
BRAND=$(json_num id)
check "  its host answers" wait_until 5 host_answers "$HOST"
is "$(sql "SELECT COUNT(*) FROM tier_modules tm JOIN tiers t ON t.id = tm.tier_id WHERE t.tenant_id = ${BRAND:-0}")" 8 "  four tiers with the plan's two modules"
plat GET "/api/v1/admin/brands/$BRAND"
is "$STATUS" 200 "  GET /api/v1/admin/brands/{brand}: 200"
for p in /admin/plans "/admin/plans/$PLAN" /admin/brands "/admin/brands/$BRAND"; do
	req GET "$p" -H "Host: localhost" -H "Authorization: Bearer $TOKEN" -H 'Accept: text/html'
	is "$STATUS $(header Content-Type)" "200 text/html; charset=utf-8" "  the page $p renders"
done

# its operator (no admin: the brand right alone) and a partner admin on Gold
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind operator --login op --password-file - >/dev/null
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind operator --login op.norights --password-file - >/dev/null
sql "INSERT INTO user_rights (user_id, area, rights) SELECT id, 'brand', 15 FROM users WHERE tenant_id = $BRAND AND login = 'op'"
GOLD=$(sql "SELECT id FROM tiers WHERE tenant_id = $BRAND AND name = 'Gold'")
PARTNER=$(sql "INSERT INTO partners (tenant_id, name, kind, currency, tier_id) VALUES ($BRAND, 'Gold Agency', 'agent', 'EUR', $GOLD);
	SET @p = LAST_INSERT_ID(); INSERT INTO partner_tree (ancestor, descendant, depth) VALUES (@p, @p, 0); SELECT @p")
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$PARTNER" --login agent --admin --group partner-admin --password-file - >/dev/null
login op op
is "$STATUS" 201 "the brand's operator signs in"
login norights op.norights
login agent agent
is "$STATUS" 201 "a partner admin on Gold signs in"

# ------------------------------------------------------------- who sees what
as op GET /api/v1/admin/plans
is "$STATUS" 404 "a non-platform operator: /api/v1/admin/plans 404"
as op GET /api/v1/admin/brands
is "$STATUS" 404 "  /api/v1/admin/brands 404"
as op GET "/api/v1/admin/brands/$BRAND"
is "$STATUS" 404 "  its own brand's platform page 404"
as norights GET /api/v1/admin/brand
is "$STATUS" 403 "an operator without the brand right: 403"
n=0
for p in /admin /admin/brand /admin/tiers "/admin/tiers/$GOLD" /admin/plans "/admin/plans/$PLAN" /admin/brands "/admin/brands/$BRAND"; do
	as agent GET "/api/v1$p"
	[ "$STATUS" = 404 ] || { n=$((n + 1)); diag "  $p: $STATUS"; }
	html agent GET "$p"
	[ "$STATUS" = 404 ] || { n=$((n + 1)); diag "  $p (HTML): $STATUS"; }
done
as agent POST /api/v1/admin/brand '{"name":"Hijacked"}'
[ "$STATUS" = 404 ] || n=$((n + 1))
is "$n" 0 "a partner admin: 404 on every admin page (API and HTML) and write"
html agent GET /partners
unlike "$(body)" 'href="/admin"' "  its menu has no Admin"
html op GET /admin
is "$STATUS" 200 "the operator's /admin page: 200"
like "$(body)" 'href="/admin"' "  its menu has Admin"
like "$(body)" 'extra16' "  it lists the plan's modules"

# ------------------------------------------------------------- brand settings
snap() { sql "SELECT CONCAT_WS('|', name, IFNULL(logo_url, '-'), color_primary, color_accent, IFNULL(custom_css, '-'), IFNULL(support_email, '-'), IFNULL(social, '-'), terms_version) FROM tenants WHERE id = $BRAND"; }
BEFORE=$(snap)
as op POST /api/v1/admin/brand '{"color_primary":"red"}'
is "$STATUS" 400 "a bad colour: 400"
check "  names color_primary" json_has field '"color_primary"'
as op POST /api/v1/admin/brand '{"color_accent":"#12345","name":"Other"}'
check "a short colour: 400 naming color_accent" json_has field '"color_accent"'
as op POST /api/v1/admin/brand '{"support_email":"not an address"}'
check "a bad e-mail: 400 naming support_email" json_has field '"support_email"'
as op POST /api/v1/admin/brand '{"social":{"x":"http://x.com/brand"}}'
check "a social link over http: 400 naming social[x]" json_has field '"social\[x\]"'
as op POST /api/v1/admin/brand '{"social":{"myspace":"https://myspace.com/b"}}'
check "an unknown social network: 400 naming social" json_has field '"social"'
as op POST /api/v1/admin/brand '{"logo_url":"javascript:alert(1)"}'
check "a javascript: logo: 400 naming logo_url" json_has field '"logo_url"'
BIG=$(head -c 33000 /dev/zero | tr '\0' 'a')
as op POST /api/v1/admin/brand "{\"custom_css\":\".x{content:'$BIG'}\"}"
is "$STATUS" 400 "custom CSS over 32 KB: 400"
check "  names custom_css" json_has field '"custom_css"'
as op POST /api/v1/admin/brand '{"custom_css":"a{b:\"\u0000\"}"}'
is "$STATUS" 400 "custom CSS with a NUL: 400"
is "$(snap)" "$BEFORE" "  nothing was written by any of them"
html op POST /admin/brand --data-urlencode "_csrf=${CSRF[op]}" --data-urlencode "name=Brand $RUN" --data-urlencode "color_primary=blue"
is "$STATUS" 400 "the HTML form with a bad colour: 400"
like "$(body)" 'class="tp-error"' "  the form again with the message"
like "$(body)" 'value="blue"' "  and the value sent"

CSS='.tp-site { letter-spacing: 1px; }'
as op POST /api/v1/admin/brand "{\"color_primary\":\"#12AB34\",\"support_phone\":\"+1 555 0100\",\"support_email\":\"help@$HOST\",\"logo_url\":\"https://cdn.example.com/logo-$RUN.png\",\"custom_css\":\"$CSS\",\"social\":{\"x\":\"https://x.com/b$RUN\"}}"
is "$STATUS" 200 "good settings: 200"
is "$(sql "SELECT CONCAT_WS('|', color_primary, support_phone, social) FROM tenants WHERE id = $BRAND")" "#12ab34|+1 555 0100|{\"x\":\"https://x.com/b$RUN\"}" "  stored (the colour in lower case)"
check "  audited with what changed" test "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'brand.update' AND object_id = $BRAND AND detail LIKE '%color_primary%#12ab34%'")" = 1
req GET /brand.css -H "Host: $HOST"
is "$STATUS" 200 "GET /brand.css: 200"
like "$(header Content-Type)" '^text/css' "  text/css"
like "$(header Cache-Control)" 'max-age=60' "  cached a minute"
like "$(body)" '--tp-brand: #12ab34;' "  the primary colour as a variable"
like "$(body)" 'letter-spacing: 1px' "  and the custom CSS"
page_shows() { html op GET /admin/brand; grep -q "src=\"https://cdn.example.com/logo-$RUN.png\"" "$BODY" && grep -q "help@$HOST" "$BODY" && grep -q 'tp-support-phone">+1 555 0100' "$BODY"; }
check "the page shows the logo and the support phone and e-mail" wait_until "$CACHE_WAIT" page_shows
like "$(body)" 'href="/brand.css"' "  and links /brand.css"

# ------------------------------------------------------------- terms
as op POST /api/v1/admin/brand '{"terms_required":true,"terms_text":"Rules, first edition."}'
is "$STATUS" 200 "terms required with a text: 200"
V1=$(sql "SELECT terms_version FROM tenants WHERE id = $BRAND")
as agent GET /api/v1/partners
check "  the partner must accept them: 403 on terms" json_has field '"terms"'
as agent POST /api/v1/terms/accept '{}'
as agent GET /api/v1/partners
is "$STATUS" 200 "  accepted: the portal opens"
as op POST /api/v1/terms/accept '{}'
as op POST /api/v1/admin/brand '{"terms_text":"Rules, first edition.","name":"Brand '"$RUN"'"}'
is "$(sql "SELECT terms_version FROM tenants WHERE id = $BRAND")" "$V1" "the same text again keeps the version"
as op POST /api/v1/admin/brand '{"terms_text":"Rules, second edition."}'
is "$(sql "SELECT terms_version FROM tenants WHERE id = $BRAND")" "$((V1 + 1))" "a new text bumps the version"
as agent GET /api/v1/partners
is "$STATUS" 403 "  and the partner must accept again, at once"
as agent POST /api/v1/terms/accept '{}'
as op POST /api/v1/terms/accept '{}'

# ------------------------------------------------------------- host names
as op POST /api/v1/admin/brand/hosts '{"host":"bad host!"}'
check "a junk host name: 400 naming host" json_has field '"host"'
as op POST /api/v1/admin/brand/hosts '{"host":"localhost"}'
is "$STATUS" 409 "another brand's host: 409"
as op POST /api/v1/admin/brand/hosts "{\"host\":\"$HOST2\"}"
is "$STATUS" 201 "a second host name: 201"
check "  it answers" wait_until 5 host_answers "$HOST2"
as op POST /api/v1/admin/brand/hosts/remove "{\"host\":\"$HOST\"}"
is "$STATUS" 400 "removing the host in use: 400"
as op POST /api/v1/admin/brand/hosts/remove '{"host":"localhost"}'
is "$STATUS" 400 "removing another brand's host: 400"
is "$(sql "SELECT COUNT(*) FROM tenant_hosts WHERE tenant_id = $BRAND") $(sql "SELECT COUNT(*) FROM tenant_hosts WHERE host = 'localhost'")" "2 1" "  nothing removed"
as op POST /api/v1/admin/brand/hosts/remove "{\"host\":\"$HOST2\"}"
is "$STATUS" 200 "removing the other one: 200"
check "  it is a plain 404 now" wait_until "$CACHE_WAIT" host_is_404 "$HOST2"

# ------------------------------------------------------------- tiers
as op GET /api/v1/admin/tiers
is "$STATUS" 200 "GET /api/v1/admin/tiers: 200"
fixture_ok() { req GET /fixture/hello -H "Host: $HOST" -b "$COOKIE=${SESS[agent]}" -H 'Accept: application/json'; [ "$STATUS" = "$1" ]; }
check "the partner on Gold uses the fixture module" fixture_ok 200
TM() { sql "SELECT IFNULL(GROUP_CONCAT(module ORDER BY module), '') FROM tier_modules WHERE tier_id = $GOLD"; }
as op POST "/api/v1/admin/tiers/$GOLD" '{"modules":["fixture","invoices"]}'
is "$STATUS" 400 "a module outside the plan: 400"
check "  names modules" json_has field '"modules"'
is "$(TM)" "extra16,fixture" "  nothing changed"
as op POST "/api/v1/admin/tiers/$GOLD" '{"modules":["extra16"],"points_threshold":6000,"support_level":"dedicated"}'
is "$STATUS" 200 "Gold without fixture: 200"
is "$(TM) $(sql "SELECT CONCAT(points_threshold, support_level) FROM tiers WHERE id = $GOLD")" "extra16 6000dedicated" "  stored"
check "  the partner's fixture route is 404 at once" fixture_ok 404
as op POST "/api/v1/admin/tiers/$GOLD" '{"support_level":"gold-plated"}'
check "a bad support level: 400 naming support_level" json_has field '"support_level"'
html op POST "/admin/tiers/$GOLD" --data-urlencode "_csrf=${CSRF[op]}" --data-urlencode "name=Gold" --data-urlencode "modules=" --data-urlencode "modules=fixture" --data-urlencode "modules=extra16"
is "$STATUS $(header Location)" "303 /admin/tiers/$GOLD?saved=1" "the HTML form gives fixture back: 303"
check "  and the partner uses it again" fixture_ok 200
as op POST /api/v1/admin/tiers '{"name":"Diamond","points_threshold":50000,"modules":["fixture"]}'
is "$STATUS" 201 "a new tier: 201"
DIAMOND=$(json_num id)
as op POST /api/v1/admin/tiers '{"name":"Diamond"}'
is "$STATUS" 409 "  the same name again: 409"
as op POST "/api/v1/admin/tiers/$GOLD/delete" '{}'
is "$STATUS" 409 "deleting a tier a partner is on: 409"
as op POST "/api/v1/admin/tiers/$DIAMOND/delete" '{}'
is "$STATUS $(sql "SELECT COUNT(*) FROM tiers WHERE id = ${DIAMOND:-0}")" "200 0" "deleting an unused tier: 200, gone"
html op GET "/admin/tiers/$GOLD"
like "$(body)" 'name="modules" value="fixture" checked' "the tier page offers the plan's modules, checked"

# ------------------------------------------------------------- plan cascade
plat POST "/api/v1/admin/plans/$PLAN" '{"modules":["extra16"]}'
is "$STATUS" 200 "the plan loses fixture: 200"
is "$(sql "SELECT COUNT(*) FROM tier_modules tm JOIN tiers t ON t.id = tm.tier_id WHERE t.tenant_id = $BRAND AND tm.module = 'fixture'")" 0 "  no tier of its brand keeps it"
check "  the partner's fixture route is 404 at once" fixture_ok 404
check "  audited with what it cut" test "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'plan.update' AND object_id = $PLAN AND detail LIKE '%tier_modules_removed\":4%'")" = 1

# ------------------------------------------------------------- disable
plat POST "/api/v1/admin/brands/$DT" '{"status":"disabled"}'
is "$STATUS" 400 "the platform brand cannot disable itself: 400"
plat POST "/api/v1/admin/brands/$BRAND" '{"status":"disabled"}'
is "$STATUS" 200 "the platform disables the brand: 200"
check "  its host is a plain 404" wait_until "$CACHE_WAIT" host_is_404 "$HOST"
check "  audited" test "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'brand.admin.update' AND object_id = $BRAND")" = 1

done_testing
