#!/usr/bin/env bash
# 33_base_url.sh -- issue 11, findings 6 and 8: a brand's base URL. The links
# in its mails start with it (a password reset's here), never with the Host
# header: by default [http] default_scheme (http in the test stack) and the
# brand's first host; `tierportctl brand add --base-url` and the brand
# settings (field base_url) set it, checked and normalised. Every cookie
# (the session's and the pre-login tp_pre) carries Secure when the base URL
# is https, none when it is http. Brands of its own.
source "$(dirname "$0")/lib.sh"

plan 21

PW="Base-Url-Pass-$$"
sql_raw() { mariadb --socket="$TP_VAR/run/mysqld.sock" -u "$(id -un)" -N -B -r tierport -e "$1"; }
new_brand bu
B1_HOST=$HOST B1_SLUG=$SLUG B1=$T
ADDR=bu.$$@example.com
# a partner login with an e-mail address, for the reset mails
PARTNER=$(sql "INSERT INTO partners (tenant_id, name, kind, currency) VALUES ($T, 'Agency', 'agent', 'EUR');
	SET @p = LAST_INSERT_ID(); INSERT INTO partner_tree (ancestor, descendant, depth) VALUES (@p, @p, 0); SELECT @p")
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$PARTNER" \
	--login agent --email "$ADDR" --password-file - >/dev/null
link_of() { sql_raw "SELECT body FROM mail_outbox WHERE to_addr = '$1' ORDER BY id DESC LIMIT 1" | grep 'token=' || true; }
forgot() { req_json POST /api/v1/password/forgot '{"login":"agent"}' -H "Host: $1"; }

# --- the default: default_scheme and the first host; the Host header's port ignored
is "$(sql "SELECT IFNULL(base_url, '-') FROM tenants WHERE id = $T")" - "a new brand has no base URL of its own"
forgot "$HOST:8443"
is "$STATUS" 202 "forgot, asked with a port in the Host header: 202"
like "$(link_of "$ADDR")" "^http://$HOST/password/reset\\?token=[A-Za-z0-9_-]{43}\$" "  the link: http://<first host>/password/reset?token=..."
# a second host name added later does not change it, whichever is asked
sql "INSERT INTO tenant_hosts (host, tenant_id) VALUES ('a-$HOST', $T)"
forgot "a-$HOST"
like "$(link_of "$ADDR")" "^http://$HOST/password/reset\\?token=" "  asked on another of its hosts: still the first host"

# --- brand add --base-url: checked, normalised
OUT=$("$CTL" -c "$INI" brand add --slug "bad-$SLUG" --name Bad --host "bad-$HOST" --base-url "ftp://bad-$HOST" 2>&1) && RC=0 || RC=$?
is "$RC" 1 "brand add --base-url ftp://...: refused"
like "$OUT" 'base URL' "  saying why"
is "$(sql "SELECT COUNT(*) FROM tenants WHERE slug = 'bad-$SLUG'")" 0 "  no brand made"
SEC_SLUG=sec-$$ SEC_HOST=sec-$$.test
"$CTL" -c "$INI" brand add --slug "$SEC_SLUG" --name Secure --host "$SEC_HOST" --base-url "HTTPS://Portal-$$.Example:8443/" >/dev/null
is "$(sql "SELECT base_url FROM tenants WHERE slug = '$SEC_SLUG'")" "https://portal-$$.example:8443" "brand add --base-url: stored lower-case, no trailing slash"
SEC=$(sql "SELECT id FROM tenants WHERE slug = '$SEC_SLUG'")
SP=$(sql "INSERT INTO partners (tenant_id, name, kind, currency) VALUES ($SEC, 'Agency', 'agent', 'EUR');
	SET @p = LAST_INSERT_ID(); INSERT INTO partner_tree (ancestor, descendant, depth) VALUES (@p, @p, 0); SELECT @p")
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SEC_SLUG" --kind partner --partner "$SP" \
	--login agent --email "sec.$ADDR" --password-file - >/dev/null
forgot "$SEC_HOST"
like "$(link_of "sec.$ADDR")" "^https://portal-$$.example:8443/password/reset\\?token=[A-Za-z0-9_-]{43}\$" \
	"  its reset link starts with the base URL"

# --- Secure cookies: every cookie of the https brand, none of the http one
req GET /login -H "Host: $SEC_HOST"
like "$(grep -i '^set-cookie: tp_pre=' "$HDRS" | tr -d '\r')" '; Secure' "https base URL: the pre-login cookie is Secure"
req GET /password/forgot -H "Host: $SEC_HOST"
like "$(grep -i '^set-cookie: tp_pre=' "$HDRS" | tr -d '\r')" '; Secure' "  the forgotten-password page's too"
H=(-H "Host: $SEC_HOST")
login sec agent partner "$PW"
is "$STATUS" 201 "  sign-in"
like "$(grep -i "^set-cookie: $COOKIE=" "$HDRS" | tr -d '\r')" '; Secure' "  the session cookie is Secure"
as sec DELETE /api/v1/session
check "  and the one that ends it" grep -qi "^set-cookie: $COOKIE=;.*; Secure" "$HDRS"
req GET /login -H "Host: $B1_HOST"
unlike "$(grep -i '^set-cookie: tp_pre=' "$HDRS" | tr -d '\r')" 'Secure' "http base URL: no Secure (the browser would drop it)"

# --- brand settings: base_url (a non-admin operator with the brand right)
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$B1_SLUG" --kind operator --login ed --password-file - >/dev/null
sql "INSERT INTO user_rights (user_id, area, rights) SELECT id, 'brand', 15 FROM users WHERE tenant_id = $B1 AND login = 'ed'"
H=(-H "Host: $B1_HOST")
login ed ed partner "$PW"
as ed POST /api/v1/admin/brand '{"base_url":"https://portal.example/path"}'
is "$STATUS" 400 "brand settings: a base URL with a path: 400"
check "  naming base_url" json_has field '"base_url"'
as ed POST /api/v1/admin/brand "{\"base_url\":\"https://Portal-$$.bu.example/\"}"
is "$STATUS" 200 "  an https address: 200"
is "$(sql "SELECT base_url FROM tenants WHERE id = $B1")" "https://portal-$$.bu.example" "  stored normalised"
as ed GET /api/v1/admin/brand
check "  shown on the settings page" grep -qF "portal-$$.bu.example" "$BODY"
as ed POST /api/v1/admin/brand '{"base_url":""}'
is "$(sql "SELECT IFNULL(base_url, '-') FROM tenants WHERE id = $B1")" - "  empty: back to the default"

done_testing
