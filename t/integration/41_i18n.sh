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

plan 54

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

# tr1: the core's pages in German -- the layout (menu, header, footer), the
# home page, the profile (its error says what is wrong, naming no field key),
# a grid page's tools and the error page, for a customer and a partner
as c1 PATCH /api/v1/profile '{"language":"de","time_zone":""}'
page c1 /
like "$(body)" '<h2 id="home-account">Ihr Konto</h2>' "a German customer's home page: its panel in German"
like "$(body)" '<dt>Kontonummer</dt>' "  its facts' names"
like "$(body)" 'class="tp-skip" href="#tp-main">Zum Inhalt springen<' "  the layout's skip link"
like "$(body)" '<span class="tp-group-label">Hilfe</span>' "  the menu's group"
like "$(body)" '<a href="/help/contact"[^>]*>Kontakt' "  the menu's entry"
like "$(body)" 'Angemeldet als <span class="tp-user-name">' "  the header"
like "$(body)" 'class="tp-link">Abmelden</button>' "  the sign-out button"
unlike "$(body)" '>(Home|Your account|Sign out|Skip to content)<' "  no English left of them"
page c1 /profile
like "$(body)" '<h1>Mein Profil</h1>' "a German customer's profile is in German"
like "$(body)" '<h2>Passwort ändern</h2>' "  every section of it"
like "$(body)" '>Wie hieß Ihr erstes Haustier\?</option>' "  the brand's default security questions too"
E0=$(sql "SELECT CONCAT(name, '|', IFNULL(email, '')) FROM users WHERE tenant_id = $T AND login = '100001'")
form c1 /profile name=Kunde email=kein-at phone= billing_email= payment_email=
is "$STATUS" 400 "a bad e-mail on the German profile form: 400"
ALERT=$(grep -o '<p class="tp-error" role="alert">[^<]*</p>' "$BODY" || true)
like "$ALERT" 'Geben Sie eine E-Mail-Adresse wie name@example.com ein' "  the error says what is wrong, in German"
unlike "$ALERT" 'email|Enter ' "  naming no field key, no English"
like "$(body)" '<label for="email">E-Mail</label>' "  and the form around it is German too"
is "$(sql "SELECT CONCAT(name, '|', IFNULL(email, '')) FROM users WHERE tenant_id = $T AND login = '100001'")" "$E0" "  nothing written"

# a German partner: its own language chosen, the brand's is German too
sql "UPDATE tenants SET language = 'en' WHERE id = $T"
sql "UPDATE users SET language = 'de' WHERE tenant_id = $T AND login = 'agent.north'"
login north agent.north partner
page north /
like "$(body)" '<dt>Kunden in Ihrem Netzwerk</dt>' "a German partner's home page is German in an English brand"
like "$(body)" '<a href="/accounts"[^>]*>Konten</a>' "  the menu's entries"
like "$(body)" '<title>Startseite \|' "  the page's title"
page north /accounts
like "$(body)" '<summary>Filtern, gruppieren und Spalten</summary>' "a grid page: its tools' heading in German"
like "$(body)" '<legend>Ihnen angezeigte Spalten</legend>' "  the columns' heading"
like "$(body)" '>Export:<|>Export: ' "  the exports' heading"
unlike "$(body)" 'Filter, group and columns|Columns shown to you|>Apply<' "  no English headings"
page north /accounts/999999999
is "$STATUS" 404 "a German partner's missing page: 404"
like "$(body)" 'Zurück zur Startseite' "  the error page in German"
like "$(body)" 'nennen Sie die Referenz <code>' "  with its reference sentence"

done_testing
