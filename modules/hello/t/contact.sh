#!/usr/bin/env bash
# modules/hello/t/contact.sh -- the hello module through the real stack: Help >
# Contact us shows the brand's own support contacts, a message is stored for
# the viewer's brand only, bad input is a 400 naming the field with nothing
# written, a brand whose plan lacks the module has no such page, and
# /healthz and tierportctl list the module with its version and ABI.
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 22

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}

# a brand without the module first (new_brand sets SLUG, H, T each time)
new_brand hellono
H_NO=("${H[@]}") SLUG_NO=$SLUG
TOKEN_NO=$("$CTL" -c "$INI" token add --brand "$SLUG" --login op --kind operator --name hello | grep -oE '[A-Za-z0-9_-]{43}' | head -n 1)
new_brand hello hello
TOKEN=$("$CTL" -c "$INI" token add --brand "$SLUG" --login op --kind operator --name hello | grep -oE '[A-Za-z0-9_-]{43}' | head -n 1)
[ -n "$TOKEN" ] && [ -n "$TOKEN_NO" ] || { echo "Bail out! no API token"; exit 1; }
op() { # op METHOD PATH [JSON]: the brand's operator, by API token
	if [ $# -ge 3 ]; then
		req_json "$1" "$2" "$3" "${H[@]}" -H "Authorization: Bearer $TOKEN"
	else
		req "$1" "$2" "${H[@]}" -H "Authorization: Bearer $TOKEN" -H 'Accept: application/json'
	fi
}
count() { sql "SELECT COUNT(*) FROM hello_messages WHERE tenant_id = $T"; }

# ------------------------------------------------------------- the page
req GET /api/v1/help/contact "${H[@]}"
is "$STATUS" 401 "no session: 401"
op GET /api/v1/help/contact
is "$STATUS" 200 "the contact page of a brand with the module: 200"
check "  no contacts published yet: says so" json_has no_contacts true
sql "UPDATE tenants SET support_phone = '+1 555 0142', support_email = 'help@$HOST', support_address = '1 Help Street' WHERE id = $T"
# the brand's contacts are read per request: no cache to wait for
op GET /api/v1/help/contact
is "$(json_str phone)|$(json_str email)|$(json_str address)" "+1 555 0142|help@$HOST|1 Help Street" "  its brand's phone, e-mail and address"
unlike "$(body)" no_contacts "  and no 'none published'"
req GET /help/contact "${H[@]}" -H "Authorization: Bearer $TOKEN"
is "$STATUS" 200 "the HTML page: 200"
like "$(body)" 'class="hello-phone"><a href="tel:\+1 555 0142">' "  shows the phone"
like "$(body)" '<a href="/help/contact"[^>]*>Contact us</a>' "  the menu has Contact us"
like "$(body)" 'href="/modules/hello/static/hello.css"' "  and the module's stylesheet"
req GET /modules/hello/static/hello.css
is "$STATUS $(header Content-Type)" "200 text/css" "the module's static file, from nginx"

# ------------------------------------------------------------- a message
op POST /api/v1/help/contact '{"message":"no subject"}'
is "$STATUS $(json_str field)" "400 subject" "no subject: 400 naming subject"
op POST /api/v1/help/contact "{\"subject\":\"$(printf 'x%.0s' {1..121})\",\"message\":\"m\"}"
is "$STATUS $(json_str field)" "400 subject" "a subject over 120 characters: 400 naming subject"
op POST /api/v1/help/contact '{"subject":"Hi","message":"bell \u0007 here"}'
is "$STATUS $(json_str field)" "400 message" "a control character in the message: 400 naming message"
is "$(count)" 0 "  nothing written"
op POST /api/v1/help/contact '{"subject":"Invoice 42","message":"Why is it\ntwice?"}'
is "$STATUS" 201 "a message: 201"
ID=$(json_num id)
is "$(sql "SELECT CONCAT_WS('|', tenant_id, subject, REPLACE(message, '\n', '<br>')) FROM hello_messages WHERE id = ${ID:-0}")" \
	"$T|Invoice 42|Why is it<br>twice?" "  stored for this brand, as typed"
op GET /api/v1/help/contact
is "$(json_num messages_sent)" 1 "  the page counts it"

# ------------------------------------------------------------- another brand
req GET /api/v1/help/contact "${H_NO[@]}" -H "Authorization: Bearer $TOKEN_NO" -H 'Accept: application/json'
is "$STATUS" 404 "a brand whose plan lacks the module: 404"
req GET /partners "${H_NO[@]}" -H "Authorization: Bearer $TOKEN_NO"
unlike "$(body)" 'href="/help/contact"' "  and no Contact us in its menu"

# ------------------------------------------------------------- listed
req GET /healthz -H 'Accept: application/json'
like "$(tr -d ' \n' <"$BODY")" '\{"name":"hello","version":"1\.0","abi":"[0-9]+\.[0-9]+"\}' "/healthz lists hello with its version and ABI"
MODS=$("$CTL" -c "$INI" modules 2>&1)
like "$MODS" $'^hello\t1\\.0\t[0-9]+\\.[0-9]+\t/' "tierportctl modules lists hello, version, ABI, path"
like "$MODS" $'^core\t' "  after the core's line"

diag "brands $SLUG (hello) and $SLUG_NO (without)"
done_testing
