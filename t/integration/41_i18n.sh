#!/usr/bin/env bash
# 41_i18n.sh -- issue 10's language and time zone: a brand's default
# language, a login's own choice on its profile (bad input: the field named,
# nothing changed), pages in German from the catalog (templates and C text,
# money with the German separators), times in the viewer's zone, and the
# API's data left as it is (money values, ids) whatever the language.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_demo i18n

plan 28

# signed out: the brand's language
req GET /login "${H[@]}"
like "$(body)" '<h1>Sign in to ' "an English brand's sign-in page is in English"
# the operator sets the brand's language and zone (bad input: the field
# named, nothing changed)
SECRET=${TP_DEMO_TOTP_SECRET:?tools/test sets TP_DEMO_TOTP_SECRET}
login op operator partner "$PW" "$(oathtool --totp -b "$SECRET")"
as op POST /api/v1/admin/brand '{"language":"fr"}'
is "$STATUS $(json_str field)" "400 language" "a language tierport has no catalog for: 400 language"
as op POST /api/v1/admin/brand '{"time_zone":"Europe/Nowhere"}'
is "$STATUS $(json_str field)" "400 time_zone" "an unknown zone: 400 time_zone"
is "$(sql "SELECT CONCAT(language, ' ', time_zone) FROM tenants WHERE id = $T")" "en UTC" "  the brand unchanged"
as op POST /api/v1/admin/brand '{"language":"de"}'
is "$STATUS" 200 "the operator makes the brand German"
wait_until 15 bash -c "curl -s -H 'Host: $HOST' http://$TP_HOST:$TP_PORT/login | grep -q 'Anmelden'"
req GET /login "${H[@]}"
like "$(body)" '<h1>Bei [^<]+ anmelden</h1>' "a German brand's sign-in page is in German"
like "$(body)" 'Passwort vergessen\?' "  every marked text of it"
like "$(body)" '<html lang="de"' "  and the page says which language it is in"

# a login's own choice wins over the brand's
login c1 100001 customer
as c1 GET /api/v1/profile
is "$STATUS" 200 "the profile answers"
check "  language: the brand's (none chosen)" json_has language '""'
as c1 PATCH /api/v1/profile '{"language":"xx"}'
is "$STATUS $(json_str field)" "400 language" "an unknown language: 400 language"
as c1 PATCH /api/v1/profile '{"time_zone":"Mars/Olympus"}'
is "$STATUS $(json_str field)" "400 time_zone" "an unknown time zone: 400 time_zone"
is "$(sql "SELECT CONCAT(IFNULL(language, '-'), IFNULL(time_zone, '-')) FROM users WHERE tenant_id = $T AND login = '100001'")" "--" \
	"  nothing changed by either"
as c1 PATCH /api/v1/profile '{"language":"en","time_zone":"America/New_York"}'
is "$STATUS" 200 "a customer chooses English and New York"
is "$(sql "SELECT CONCAT(language, ' ', time_zone) FROM users WHERE tenant_id = $T AND login = '100001'")" "en America/New_York" \
	"  stored"
page c1 /
like "$(body)" '<html lang="en"' "  its pages are English in a German brand"
page c1 /profile
like "$(body)" 'America/New_York' "  its profile shows the zone"

# German: C text and money
as c1 PATCH /api/v1/profile '{"language":"de"}'
is "$STATUS" 200 "and then German"
A1=$(sql "SELECT account_id FROM users WHERE tenant_id = $T AND login = '100001'")
B0=$(sql "SELECT balance FROM accounts WHERE id = $A1")
sql "UPDATE accounts SET balance = 12345000 WHERE id = $A1"
page c1 /
like "$(body)" '<html lang="de"' "  its pages are German"
like "$(body)" '1\.234,50' "  the home page's balance with German separators (1.234,50)"
as c1 GET /api/v1/accounts/$A1
like "$(body)" '"1234\.5000"' "  the API's money stays a decimal string"
sql "UPDATE accounts SET balance = $B0 WHERE id = $A1"
as c1 GET /api/v1/profile
check "  the API's field names stay as they are" json_has language '"de"'

# times in the viewer's zone: the security code set at a known UTC time
UID1=$(sql "SELECT id FROM users WHERE tenant_id = $T AND login = '100001'")
sql "UPDATE users SET security_code_hash = 'x', security_code_set_at = '2026-07-01 12:00:00' WHERE id = $UID1"
page c1 /profile
like "$(body)" '2026-07-01 08:00' "a summer time shown in New York's zone (UTC-4)"
unlike "$(body)" '2026-07-01 12:00' "  not in UTC"
as c1 PATCH /api/v1/profile '{"time_zone":""}'
is "$STATUS" 200 "the zone cleared: the brand's again"
page c1 /profile
like "$(body)" '2026-07-01 12:00' "  UTC, the brand's zone"
as op POST /api/v1/admin/brand '{"time_zone":"Europe/Berlin"}'
is "$STATUS" 200 "the brand's zone: Berlin"
as c1 PATCH /api/v1/profile '{"time_zone":"Europe/Berlin"}'
page c1 /profile
like "$(body)" '2026-07-01 14:00' "Berlin in summer: UTC+2"

done_testing
