#!/usr/bin/env bash
# 34_view_switcher.sh -- the header's view switcher (issue 10): a drop-down
# of the login's own node, its descendants and (a partner's) its customers,
# a search box instead when there are many; a switch keeps the page (back=,
# a local path, cut before an id of the old view); a partner viewing as one
# of its customers is scoped as that customer and, without the right to
# act for customers, refused every write (403) with the header saying so;
# an operator views as any partner or customer of its brand the same way,
# its own view (the whole brand) the drop-down's first choice; an
# impossible switch (another brand's id, a missing one) is an error, never
# 200 {}.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"

plan 82

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_demo vsw
partner_id() { sql "SELECT id FROM partners WHERE tenant_id = $T AND name = '$1'"; }
account_id() { sql "SELECT id FROM accounts WHERE tenant_id = $T AND number = '$1'"; }
P_N=$(partner_id 'North Agency') P_C=$(partner_id 'City Resellers') P_S=$(partner_id 'Street Distribution')
P_SO=$(partner_id 'South Agency')
A1=$(account_id 100001) A2=$(account_id 100002) A3=$(account_id 100003) A5=$(account_id 100005)

# the header's drop-down options, one "value text" a line
options() { sed -n '/<select id="tp-view-to"/,/<\/select>/p' "$BODY" | { grep -oE '<option value="[^"]*"( selected)?>[^<]*' || true; } | sed -E 's/<option value="([^"]*)"( selected)?>/\1\2 /'; }

login north agent.north partner
page north /accounts
is "$STATUS" 200 "agent.north: /accounts"
opts=$(options)
like "$opts" "partner:$P_N selected North Agency" "the drop-down lists its own node, selected"
like "$opts" "partner:$P_C - City Resellers" "  and City Resellers below it"
like "$opts" "partner:$P_S - - Street Distribution" "  and Street Distribution below that"
like "$opts" "account:$A1 100001 Acme Bakery" "  and its customers (100001)"
unlike "$opts" "South Agency|100005" "  nothing of South Agency's"
like "$(body)" 'name="back" value="/accounts"' "  the form carries the page it is on"

# ------------------------------------------------------------- switching, keeping the page
form north /view/switch "to=partner:$P_C" "back=/partners/$P_N/users?x=1"
is "$STATUS $(header Location)" "303 /partners" "switch to City Resellers from /partners/N/...: back to /partners (the id was the old view's)"
form north /view/switch "to=partner:$P_N" "back=/accounts?sort=name"
is "$STATUS $(header Location)" "303 /accounts?sort=name" "switch back up with back=/accounts?sort=name: kept"
form north /view/switch "to=partner:$P_C" "back=//evil.example/"
is "$STATUS $(header Location)" "303 /view" "back=//evil.example/: /view instead"
as north GET /api/v1/me
is "$(json_str viewing)" "City Resellers" "  /api/v1/me: viewing City Resellers"
page north /partners
like "$(options)" "partner:$P_C selected - City Resellers" "  the drop-down marks the new view"

# ------------------------------------------------------------- a partner viewing as a customer
form north /view/switch "to=account:$A1" "back=/"
is "$STATUS $(header Location)" "303 /" "switch to customer 100001"
page north /accounts
like "$(body)" 'Viewing as customer 100001 Acme Bakery \(read-only\)' "  the header says: Viewing as customer 100001 Acme Bakery (read-only)"
as north GET /api/v1/me
is "$(json_str viewing)" "Acme Bakery" "  /api/v1/me: viewing Acme Bakery (not the partner)"
as north GET /api/v1/accounts
is "$(json_num id)" "$A1" "  /api/v1/accounts: the customer's account"
like "$(grep -c '"number"' "$BODY")" '^1$' "  and only it"
as north GET "/api/v1/partners/$P_S"
is "$STATUS" 404 "  a partner's page: 404 (a customer sees no partners)"
as north GET "/api/v1/accounts/$A2"
is "$STATUS" 404 "  another of the partner's customers: 404"
as north POST "/api/v1/accounts/$A1" '{"name":"Changed by a viewer"}'
is "$STATUS" 403 "  a write (POST /api/v1/accounts/100001): 403"
like "$(body)" 'viewing as a customer' "  saying why"
is "$(sql "SELECT name FROM accounts WHERE id = $A1")" "Acme Bakery" "  and nothing written"
form north "/accounts/$A1" "name=Changed by a form"
is "$STATUS" 403 "  the HTML form too: 403"
page north /
like "$(body)" 'home-account' "  home: the customer's account"
unlike "$(body)" 'home-partner|home-brand' "  and no partner or brand panel"

# ------------------------------------------------------------- the API: the new view, or an error
as north POST "/api/v1/view/account/$A3"
is "$STATUS" 200 "API switch to 100003: 200"
like "$(body)" '"view":\{"kind":"account","id":'"$A3"',"name":"Globex East","number":"100003","read_only":true\}' "  answering the new view, read-only"
as north POST "/api/v1/view/account/$A5"
is "$STATUS" 404 "API switch to 100005 (South's): 404"
as north POST "/api/v1/view/account/99999999"
is "$STATUS" 404 "API switch to a missing account: 404"
as north POST /api/v1/view/switch '{"to":"account:'"$A5"'"}'
is "$STATUS" 404 "API /view/switch to 100005: 404"
as north POST /api/v1/view/switch '{"to":"partner:'"$P_SO"'"}'
is "$STATUS" 404 "API /view/switch to South Agency: 404"
as north POST /api/v1/view/switch '{"to":"someone"}'
is "$STATUS $(json_str field)" "400 to" "API /view/switch to=someone: 400 naming to"
as north GET /api/v1/me
is "$(json_str viewing)" "Globex East" "  after the refused switches: still Globex East"
as north POST /api/v1/view/reset
is "$STATUS" 200 "reset: 200"
like "$(body)" '"kind":"partner","id":'"$P_N"',' "  answering its own node"

# ------------------------------------------------------------- an operator (the brand's staff)
login op operator partner "$PW" "$(oathtool --totp -b "${TP_DEMO_TOTP_SECRET:?}")"
page op /accounts
opts=$(options)
like "$opts" "^brand selected Demo Telecom \(whole brand\)" "operator: the drop-down starts with its own view, the whole brand, selected"
like "$(tr '\n' '|' <<<"$opts")" "partner:$P_N North Agency\|partner:$P_C - City Resellers\|partner:$P_S - - Street Distribution\|partner:$P_SO South Agency\|" "  then every partner of the brand, in the tree's order"
like "$opts" "account:$A5 100005 Initech" "  and every customer"
as op POST "/api/v1/view/partner/$P_N"
is "$STATUS" 200 "operator: API switch to North Agency: 200"
like "$(body)" '"view":\{"kind":"partner","id":'"$P_N"',"name":"North Agency","read_only":false\}' "  answering the new view"
as op GET /api/v1/partners
is "$(grep -oE '"name":"[^"]*"' "$BODY" | sort | tr '\n' ' ')" '"name":"City Resellers" "name":"North Agency" "name":"Street Distribution" ' "  /api/v1/partners: North Agency's subtree only"
as op GET /api/v1/accounts
unlike "$(body)" '"number":"100005"' "  /api/v1/accounts: no account of South Agency's"
as op GET "/api/v1/partners/$P_SO"
is "$STATUS" 404 "  South Agency's page: 404"
as op GET "/api/v1/accounts/$A5"
is "$STATUS" 404 "  100005's page: 404"
page op /
like "$(body)" 'home-partner' "  home: North Agency's"
like "$(options)" "partner:$P_N selected North Agency" "  the header's drop-down says whom it views"
like "$(options)" "^brand Demo Telecom \(whole brand\)" "  and offers the way back"
page op /admin
is "$STATUS" 404 "  the operator pages are not North Agency's: 404"
form op /view/switch "to=account:$A1" "back=/accounts/$A5"
is "$STATUS $(header Location)" "303 /accounts" "operator: switch to customer 100001 from the drop-down (back cut before the old view's id)"
page op /accounts
like "$(body)" 'Viewing as customer 100001 Acme Bakery</p>' "  the header says so (an admin may act for customers: not read-only)"
as op GET /api/v1/accounts
is "$(json_num id)" "$A1" "  /api/v1/accounts: the customer's account"
# impossible switches: another brand's partner or account, a missing id
F_P=$(sql "SELECT id FROM partners WHERE tenant_id <> $T ORDER BY id LIMIT 1")
F_A=$(sql "SELECT id FROM accounts WHERE tenant_id <> $T ORDER BY id LIMIT 1")
as op POST "/api/v1/view/partner/$F_P"
is "$STATUS" 404 "operator: API switch to another brand's partner: 404"
as op POST "/api/v1/view/account/$F_A"
is "$STATUS" 404 "  to another brand's account: 404"
as op POST /api/v1/view/switch '{"to":"partner:'"$F_P"'"}'
is "$STATUS" 404 "  /view/switch to another brand's partner: 404"
as op POST "/api/v1/view/partner/99999999"
is "$STATUS" 404 "  to a missing partner: 404"
form op /view/switch "to=partner:$F_P" "back=/accounts"
is "$STATUS" 404 "  the header's form to another brand's partner: an error page (404)"
as op GET /api/v1/me
is "$(json_str viewing)" "Acme Bakery" "  after the refused switches: still 100001"
form op /view/switch "to=brand" "back=/accounts"
is "$STATUS $(header Location)" "303 /accounts" "operator: back to its own view from the drop-down"
as op GET /api/v1/accounts
like "$(body)" '"number":"100005"' "  the whole brand again"
page op /admin
is "$STATUS" 200 "  with the operator pages"
as op POST "/api/v1/view/partner/$P_SO"
as op POST /api/v1/view/reset
like "$STATUS $(body)" '^200 \{"view":\{"kind":"brand","id":'"$T"',' "  and by the API's reset: 200, the brand's view"

# an operator without the right to act for customers only looks
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind operator --login op.plain --password-file - >/dev/null 2>&1
OPU=$(sql "SELECT id FROM users WHERE tenant_id = $T AND login = 'op.plain'")
sql "INSERT INTO user_rights (user_id, area, rights) VALUES ($OPU, 'accounts', 15), ($OPU, 'partners', 15)"
login opp op.plain partner
as opp POST "/api/v1/view/account/$A1"
like "$STATUS $(body)" '^200 .*"read_only":true' "operator op.plain (no act_for_customers): views 100001 read-only"
as opp POST "/api/v1/accounts/$A1" '{"name":"Changed by an operator"}'
is "$STATUS" 403 "  a write: 403"
is "$(sql "SELECT name FROM accounts WHERE id = $A1")" "Acme Bakery" "  and nothing written"
page opp /accounts
like "$(body)" 'Viewing as customer 100001 Acme Bakery \(read-only\)' "  the header says read-only"
as opp POST /api/v1/view/reset
as opp POST "/api/v1/accounts/$A1" '{"name":"Acme Bakery Ltd"}'
is "$STATUS" 200 "  back in its own view, the same write: 200"
sql "INSERT INTO user_rights (user_id, area, rights) VALUES ($OPU, 'act_for_customers', 4)"
login opp2 op.plain partner
as opp2 POST "/api/v1/view/account/$A1"
like "$(body)" '"read_only":false' "  with act_for_customers (update): not read-only"
as opp2 POST "/api/v1/accounts/$A1" '{"name":"Acme Bakery"}'
is "$STATUS $(sql "SELECT name FROM accounts WHERE id = $A1")" "200 Acme Bakery" "  a write for the customer: 200, written"

# ------------------------------------------------------------- with the right to act for customers
U=$(sql "SELECT id FROM users WHERE tenant_id = $T AND login = 'agent.north'")
sql "INSERT INTO user_rights (user_id, area, rights) VALUES ($U, 'act_for_customers', 4)"
login north2 agent.north partner
as north2 POST "/api/v1/view/account/$A1"
like "$(body)" '"read_only":false' "with act_for_customers (update): the view is not read-only"
page north2 /
like "$(body)" 'Viewing as customer 100001 Acme Bakery</p>' "  the header says so, without (read-only)"
as north2 POST "/api/v1/accounts/$A1" '{"name":"Acme Bakery GmbH"}'
is "$STATUS" 200 "  a write: 200"
is "$(sql "SELECT name FROM accounts WHERE id = $A1")" "Acme Bakery GmbH" "  and written"

# ------------------------------------------------------------- a corporate customer
login c2 100002 customer
page c2 /
opts=$(options)
like "$opts" "account:$A2 selected 100002 Globex Corp" "100002: the drop-down has its own account, selected"
like "$opts" "account:$A3 100003 Globex East" "  and its sub-accounts"
unlike "$(body)" 'home-brand' "  its home has no (empty) brand panel"
login c1 100001 customer
page c1 /
unlike "$(body)" 'tp-view-to' "100001 (nothing below it): no drop-down"

# ------------------------------------------------------------- many choices: a search box
for i in $(seq 1 30); do
	echo "INSERT INTO accounts (tenant_id, partner_id, number, name, currency) VALUES ($T, $P_SO, 'B$i', 'Bulk customer $i', 'EUR');
		INSERT INTO account_tree (ancestor, descendant, depth) VALUES (LAST_INSERT_ID(), LAST_INSERT_ID(), 0);"
done | sql "$(cat)"
login south agent.south partner
page south /accounts
unlike "$(body)" 'tp-view-to' "agent.south with 32 choices: no drop-down"
like "$(body)" '<form method="get" action="/view"[^>]*role="search"><label for="tp-view-q">' "  but a labelled search box (GET /view)"
req GET "/view?q=customer+2&back=/accounts" "${H[@]}" -b "$COOKIE=${SESS[south]}"
n=$(grep -c 'Customer B' "$BODY" || true)
is "$STATUS $n" "200 11" "/view?q=customer 2: the 11 that match (2, 20-29), filtered by the server"
like "$(body)" 'name="back" value="/accounts"' "  each choice keeps back=/accounts"
page op /accounts
like "$(body)" 'currently viewing <a class="tp-viewing" href="/view">Demo Telecom \(whole brand\)</a> <form method="get" action="/view"' "the operator, with 40 choices: the search box, naming its view"
req GET "/view?q=customer+2&back=/accounts" "${H[@]}" -b "$COOKIE=${SESS[op]}"
n=$(grep -c 'Customer B' "$BODY" || true)
is "$STATUS $n" "200 11" "  /view?q=customer 2: the 11 that match"

done_testing
