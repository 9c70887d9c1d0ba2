#!/usr/bin/env bash
# modules/hello/t/message.sh -- the hello module through the real stack: Help >
# Message support (the core has Help > Contact us) stores a message for the
# viewer's brand only, bad input is a 400 naming the field with nothing
# written, a brand whose plan lacks the module has no such page, and
# /healthz and tierportctl list the module with its version and ABI.
# tp-test: parallel (tools/test: its own brand, nothing global)
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
req GET /api/v1/help/message "${H[@]}"
is "$STATUS" 401 "no session: 401"
op GET /api/v1/help/message
is "$STATUS" 200 "the message page of a brand with the module: 200"
is "$(json_str brand_name)" "hello $(cut -d- -f2 <<<"$SLUG")" "  names its brand"
check "  counts no message yet" json_has messages_sent 0
req GET /help/message "${H[@]}" -H "Authorization: Bearer $TOKEN"
is "$STATUS" 200 "the HTML page: 200"
like "$(body)" '<form method="post" action="/help/message"' "  has the form"
like "$(body)" '<a href="/help/message"[^>]*>Message support</a>' "  the menu has Message support"
like "$(body)" '<a href="/help/contact"[^>]*>Contact us</a>' "  beside the core's Contact us"
like "$(body)" 'href="/modules/hello/static/hello.css"' "  and the module's stylesheet"
req GET /modules/hello/static/hello.css
is "$STATUS $(header Content-Type)" "200 text/css" "the module's static file, from nginx"

# ------------------------------------------------------------- a message
op POST /api/v1/help/message '{"message":"no subject"}'
is "$STATUS $(json_str field)" "400 subject" "no subject: 400 naming subject"
op POST /api/v1/help/message "{\"subject\":\"$(printf 'x%.0s' {1..121})\",\"message\":\"m\"}"
is "$STATUS $(json_str field)" "400 subject" "a subject over 120 characters: 400 naming subject"
op POST /api/v1/help/message '{"subject":"Hi","message":"bell \u0007 here"}'
is "$STATUS $(json_str field)" "400 message" "a control character in the message: 400 naming message"
is "$(count)" 0 "  nothing written"
op POST /api/v1/help/message '{"subject":"Invoice 42","message":"Why is it\ntwice?"}'
is "$STATUS" 201 "a message: 201"
ID=$(json_num id)
is "$(sql "SELECT CONCAT_WS('|', tenant_id, subject, REPLACE(message, '\n', '<br>')) FROM hello_messages WHERE id = ${ID:-0}")" \
	"$T|Invoice 42|Why is it<br>twice?" "  stored for this brand, as typed"
op GET /api/v1/help/message
is "$(json_num messages_sent)" 1 "  the page counts it"

# ------------------------------------------------------------- another brand
req GET /api/v1/help/message "${H_NO[@]}" -H "Authorization: Bearer $TOKEN_NO" -H 'Accept: application/json'
is "$STATUS" 404 "a brand whose plan lacks the module: 404"
req GET /partners "${H_NO[@]}" -H "Authorization: Bearer $TOKEN_NO"
unlike "$(body)" 'href="/help/message"' "  and no Message support in its menu"

# ------------------------------------------------------------- listed
req GET /healthz -H 'Accept: application/json'
like "$(tr -d ' \n' <"$BODY")" '\{"name":"hello","version":"1\.0","abi":"[0-9]+\.[0-9]+"\}' "/healthz lists hello with its version and ABI"
MODS=$("$CTL" -c "$INI" modules 2>&1)
like "$MODS" $'^hello\t1\\.0\t[0-9]+\\.[0-9]+\t/' "tierportctl modules lists hello, version, ABI, path"
like "$MODS" $'^core\t' "  after the core's line"

diag "brands $SLUG (hello) and $SLUG_NO (without)"
done_testing
