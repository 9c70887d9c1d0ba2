#!/usr/bin/env bash
# 17_partner_tree.sh -- changing the partner tree and the accounts, on a
# brand of its own (so the demo brand stays as the other tests expect): an
# operator adds top-level agents, a partner admin adds partners and accounts
# below its own partner, moves them (never below themselves, never out of
# view, never its own partner), disables and enables them (the logins of a
# disabled partner's whole subtree stop at once, and start again); accounts
# with corporate sub-accounts, suspended, closed (its logins stop) and
# reopened. After every change the closure table equals the tree computed
# from parent_id. Bad input: 400 with the field, nothing written; CSRF;
# foreign and missing ids alike; the HTML forms; the audit log.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"

plan 114

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
RUN=$$$RANDOM
new_brand it17
SECRET=$("$CTL" -c "$INI" user totp --brand "$SLUG" --login op | sed -n 's/.*two-factor secret //p')

# html NAME PATH [curl args]: a browser POST of a form (fields as args)
html() {
	local who=$1 path=$2
	shift 2
	req POST "$path" "${H[@]}" -b "$COOKIE=${SESS[$who]}" -H 'Accept: text/html' \
		--data-urlencode "_csrf=${CSRF[$who]}" "$@"
}

login op op partner "$PW" "$(oathtool --totp -b "$SECRET")"
is "$STATUS" 201 "the brand's operator admin signs in"

pid() { sql "SELECT id FROM partners WHERE tenant_id = $T AND name = '$1'"; }
npartners() { sql "SELECT COUNT(*) FROM partners WHERE tenant_id = $T"; }
naccounts() { sql "SELECT COUNT(*) FROM accounts WHERE tenant_id = $T"; }
parent_of() { sql "SELECT IFNULL(parent_id, 0) FROM partners WHERE id = $1"; }
ancestors() { sql "SELECT ancestor FROM partner_tree WHERE descendant = $1 ORDER BY depth" | tr '\n' ' ' | sed 's/ $//'; }

# the closure table of the brand, and the one parent_id gives
closure_ok() { closure_equal partners parent_id partner_tree "$T"; }

# ------------------------------------------------------------- top level

N0=$(npartners)
as op POST /api/v1/partners '{"name":"Alpha","currency":"EUR"}'
is "$STATUS" 201 "operator: a top-level agent"
A=$(json_num id)
is "$(sql "SELECT CONCAT(kind, ' ', currency, ' ', IFNULL(parent_id, 0)) FROM partners WHERE id = ${A:-0}")" "agent EUR 0" "  an agent in EUR at the top"
as op POST /api/v1/partners '{"name":"Omega","currency":"USD","tier":"Gold"}'
O=$(json_num id)
is "$(sql "SELECT t.name FROM partners p JOIN tiers t ON t.id = p.tier_id WHERE p.id = ${O:-0}")" "Gold" "  another, on the Gold tier"

N1=$(npartners)
as op POST /api/v1/partners '{"name":"Bad","currency":"EUR","kind":"sub-agent"}'
is "$STATUS $(json_str field)" "400 kind" "a top-level sub-agent: 400 on kind"
as op POST /api/v1/partners '{"currency":"EUR"}'
is "$STATUS $(json_str field)" "400 name" "no name: 400 on name"
as op POST /api/v1/partners '{"name":"Bad","currency":"eur"}'
is "$STATUS $(json_str field)" "400 currency" "currency eur: 400 on currency"
as op POST /api/v1/partners '{"name":"Bad","currency":"EUR","tier":"Tin"}'
is "$STATUS $(json_str field)" "400 tier" "an unknown tier: 400 on tier"
as op POST /api/v1/partners '{"name":["x"],"currency":"EUR"}'
is "$STATUS $(json_str field)" "400 name" "a name that is no string: 400 on name"
as op POST /api/v1/partners "{\"name\":\"$(printf 'x%.0s' {1..129})\",\"currency\":\"EUR\"}"
is "$STATUS $(json_str field)" "400 name" "a name too long: 400 on name"
is "$(npartners)" "$N1" "  none of them was written"
req_json POST /api/v1/partners '{"name":"NoCsrf","currency":"EUR"}' "${H[@]}" -b "$COOKIE=${SESS[op]}"
is "$STATUS" 403 "no CSRF token: 403"
is "$(npartners)" "$N1" "  nothing written"
is "$((N1 - N0))" 2 "two partners added in all"

# ------------------------------------------------------------- children

as op POST "/api/v1/partners/$A/children" '{"name":"Beta"}'
is "$STATUS" 201 "operator: Beta below Alpha"
B=$(json_num id)
is "$(sql "SELECT CONCAT(kind, ' ', currency, ' ', parent_id) FROM partners WHERE id = ${B:-0}")" "sub-agent EUR $A" "  a sub-agent in Alpha's currency"
is "$(ancestors "$B")" "$B $A" "  its closure rows: itself, Alpha"
as op POST "/api/v1/partners/$B/children" '{"name":"Gamma","kind":"distributor"}'
C=$(json_num id)
as op POST "/api/v1/partners/$A/children" '{"name":"Delta"}'
D=$(json_num id)
is "$(ancestors "${C:-0}")" "$C $B $A" "Gamma (distributor) below Beta below Alpha"
as op POST "/api/v1/partners/$A/children" '{"name":"Bad","kind":"agent"}'
is "$STATUS $(json_str field)" "400 kind" "an agent below another: 400 on kind"
check "the closure table matches the tree" closure_ok

# partner logins: Alpha's admin, Gamma's admin
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$A" --login alpha.admin --password-file - --admin --group partner-admin >/dev/null
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$C" --login gamma.admin --password-file - --admin --group partner-admin >/dev/null
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$O" --login omega.admin --password-file - --admin --group partner-admin >/dev/null
login alpha alpha.admin
is "$STATUS" 201 "Alpha's admin signs in"
login gamma gamma.admin
login omega omega.admin

as alpha POST "/api/v1/partners/$D/children" '{"name":"Epsilon"}'
is "$STATUS" 201 "Alpha's admin adds Epsilon below Delta"
E=$(json_num id)
as alpha POST /api/v1/partners '{"name":"Mine","currency":"EUR"}'
is "$STATUS" 404 "a partner login adding a top-level agent: 404 (an operator page)"
N2=$(npartners)
as alpha POST "/api/v1/partners/$O/children" '{"name":"Intruder"}'
is "$STATUS" 404 "adding below Omega (out of its view): 404"
FOREIGN=$(body)
as alpha POST "/api/v1/partners/999999999/children" '{"name":"Intruder"}'
is "$STATUS" 404 "adding below a missing partner: 404"
is "$(body | sed 's/"request_id":[^,}]*//')" "$(sed 's/"request_id":[^,}]*//' <<<"$FOREIGN")" "  foreign and missing answer alike"
is "$(npartners)" "$N2" "  nothing written"

# ------------------------------------------------------------- moves

as alpha POST "/api/v1/partners/$C/move" "{\"parent_id\":$D}"
is "$STATUS" 200 "Alpha's admin moves Gamma from Beta to Delta"
is "$(parent_of "$C") $(ancestors "$C")" "$D $C $D $A" "  Gamma's parent and ancestors"
check "  the closure table matches the tree" closure_ok
as alpha POST "/api/v1/partners/$D/move" "{\"parent_id\":$C}"
is "$STATUS $(json_str field)" "400 parent_id" "Delta below its own child Gamma: 400 on parent_id"
as alpha POST "/api/v1/partners/$D/move" "{\"parent_id\":$D}"
is "$STATUS $(json_str field)" "400 parent_id" "Delta below itself: 400"
as alpha POST "/api/v1/partners/$A/move" "{\"parent_id\":$O}"
is "$STATUS" 403 "Alpha's admin moving Alpha itself: 403"
as alpha POST "/api/v1/partners/$B/move" "{\"parent_id\":$O}"
is "$STATUS $(json_str field)" "404 parent_id" "moving below Omega (out of view): 404 on parent_id"
as alpha POST "/api/v1/partners/$B/move" '{"parent_id":999999999}'
is "$STATUS $(json_str field)" "404 parent_id" "moving below a missing partner: 404 on parent_id"
as alpha POST "/api/v1/partners/$B/move" '{"parent_id":"x1"}'
is "$STATUS $(json_str field)" "400 parent_id" "parent_id x1: 400"
as alpha POST "/api/v1/partners/$B/move" '{}'
is "$STATUS $(json_str field)" "400 parent_id" "a partner login moving to the top level: 400"
is "$(parent_of "$B") $(parent_of "$D")" "$A $A" "  none of them moved anything"
check "  the closure table matches the tree" closure_ok

# a view that a move takes away goes back to the login's own
as alpha POST "/api/v1/view/partner/$C"
as alpha GET /api/v1/me
is "$(json_str viewing)" "Gamma" "Alpha's admin views Gamma"
as op POST "/api/v1/partners/$D/move" "{\"parent_id\":$O}"
is "$STATUS" 200 "operator moves Delta (with Gamma, Epsilon) below Omega"
is "$(ancestors "$E")" "$E $D $O" "  Epsilon's ancestors: Delta, Omega"
check "  the closure table matches the tree" closure_ok
as alpha GET /api/v1/me
is "$(json_str viewing)" "Alpha" "  Alpha's admin views Alpha again, at once"
as alpha GET "/api/v1/partners/$C"
is "$STATUS" 404 "  and Gamma is out of its view: 404"
as omega GET "/api/v1/partners/$E"
is "$STATUS" 200 "  Omega's admin sees Epsilon now"
as gamma GET /api/v1/me
is "$STATUS" 200 "  Gamma's admin still works"
as op POST "/api/v1/partners/$D/move" '{"parent_id":""}'
is "$STATUS $(parent_of "$D")" "200 0" "operator moves Delta to the top level"
check "  the closure table matches the tree" closure_ok
as op POST "/api/v1/partners/$D/move" "{\"parent_id\":$A}"
is "$STATUS $(ancestors "$C")" "200 $C $D $A" "and back below Alpha"
check "  the closure table matches the tree" closure_ok

# ------------------------------------------------------------- disable

as alpha POST "/api/v1/partners/$A/disable" '{}'
is "$STATUS" 403 "Alpha's admin disabling Alpha itself: 403"
as alpha POST "/api/v1/partners/$D/disable" '{}'
is "$STATUS" 200 "Alpha's admin disables Delta"
is "$(sql "SELECT CONCAT(status, ' ', disabled_at IS NOT NULL) FROM partners WHERE id = $D")" "disabled 1" "  stored, with the time"
as gamma GET /api/v1/me
is "$STATUS" 401 "  Gamma's admin (below Delta) is signed out at once"
login gamma gamma.admin
is "$STATUS" 401 "  and cannot sign in"
BAD=$(body)
req_json POST /api/v1/session "{\"login\":\"gamma.admin\",\"password\":\"wrong-$RUN\"}" "${H[@]}"
is "$(body | sed 's/"request_id":[^,}]*//')" "$(sed 's/"request_id":[^,}]*//' <<<"$BAD")" "  the same answer as a wrong password"
as alpha POST "/api/v1/partners/$D/children" '{"name":"Zeta"}'
is "$STATUS" 409 "adding below disabled Delta: 409"
as alpha GET "/api/v1/partners/$D"
is "$STATUS" 200 "  Delta's page stays"
like "$(body)" '"status": *"disabled"' "  and says disabled"
as alpha POST "/api/v1/partners/$D/enable" '{}'
is "$STATUS" 200 "enabled again"
login gamma gamma.admin
is "$STATUS" 201 "  Gamma's admin signs in again"
as op POST "/api/v1/partners/$A/disable" '{}'
as alpha GET /api/v1/me
is "$STATUS" 401 "operator disables Alpha: Alpha's admin is out at once"
as op POST "/api/v1/partners/$A/enable" '{}'
login alpha alpha.admin
is "$STATUS" 201 "  enabled: it signs in again"
login gamma gamma.admin

# ------------------------------------------------------------- accounts

NA=$(naccounts)
as alpha POST "/api/v1/partners/$B/accounts" "{\"number\":\"C$RUN\",\"name\":\"Corp $RUN\",\"kind\":\"corporate\"}"
is "$STATUS" 201 "Alpha's admin adds a corporate account to Beta"
AC=$(json_num id)
is "$(sql "SELECT CONCAT(partner_id, ' ', kind, ' ', currency, ' ', status) FROM accounts WHERE id = ${AC:-0}")" "$B corporate EUR active" "  Beta's, corporate, in EUR, active"
as alpha POST "/api/v1/accounts/$AC/subaccounts" "{\"number\":\"S$RUN\",\"name\":\"Sub $RUN\"}"
is "$STATUS" 201 "  a sub-account of it"
AS=$(json_num id)
is "$(sql "SELECT CONCAT(partner_id, ' ', parent_account_id) FROM accounts WHERE id = ${AS:-0}") $(sql "SELECT ancestor FROM account_tree WHERE descendant = ${AS:-0} ORDER BY depth" | tr '\n' ' ')" \
	"$B $AC $AS $AC " "  Beta's, below the corporate account, in the corporate tree"
as alpha POST "/api/v1/accounts/$AS/subaccounts" "{\"number\":\"X$RUN\",\"name\":\"X\"}"
is "$STATUS" 400 "a sub-account of a standard account: 400"
as alpha POST "/api/v1/partners/$B/accounts" "{\"number\":\"C$RUN\",\"name\":\"Again\"}"
is "$STATUS $(json_str field)" "409 number" "a number taken: 409 on number"
as alpha POST "/api/v1/partners/$B/accounts" '{"number":"a b","name":"Bad"}'
is "$STATUS $(json_str field)" "400 number" "number 'a b': 400 on number"
as alpha POST "/api/v1/partners/$B/accounts" "{\"number\":\"K$RUN\",\"name\":\"Bad\",\"currency\":\"EURO\"}"
is "$STATUS $(json_str field)" "400 currency" "currency EURO: 400 on currency"
as alpha POST "/api/v1/partners/$B/accounts" "{\"number\":\"K$RUN\",\"name\":\"Bad\",\"kind\":\"gold\"}"
is "$STATUS $(json_str field)" "400 kind" "kind gold: 400 on kind"
as alpha POST "/api/v1/partners/$O/accounts" "{\"number\":\"K$RUN\",\"name\":\"Bad\"}"
is "$STATUS" 404 "an account for Omega (out of view): 404"
is "$(naccounts)" "$((NA + 2))" "  two accounts written in all"

# statuses, and what they do to the customers' logins
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind customer --account "S$RUN" --login "S$RUN" --password-file - >/dev/null
login cust "S$RUN" customer
is "$STATUS" 201 "the sub-account's customer signs in"
as alpha POST "/api/v1/accounts/$AC/status" '{"status":"gone"}'
is "$STATUS $(json_str field)" "400 status" "status gone: 400 on status"
as alpha POST "/api/v1/accounts/$AC/status" '{"status":"closed"}'
is "$STATUS $(json_str field)" "409 status" "closing the corporate account with an open sub-account: 409"
is "$(sql "SELECT status FROM accounts WHERE id = $AC")" "active" "  still active"
as alpha POST "/api/v1/accounts/$AS/status" '{"status":"suspended"}'
is "$STATUS $(sql "SELECT status FROM accounts WHERE id = $AS")" "200 suspended" "the sub-account suspended"
as cust GET /api/v1/me
is "$STATUS" 200 "  its customer still signs in (to pay)"
as cust POST "/api/v1/accounts/$AS/status" '{"status":"active"}'
is "$STATUS" 403 "  and cannot reopen its own account (no right)"
as alpha POST "/api/v1/accounts/$AS/status" '{"status":"closed"}'
is "$STATUS" 200 "the sub-account closed"
as cust GET /api/v1/me
is "$STATUS" 401 "  its customer is signed out at once"
login cust "S$RUN" customer
is "$STATUS" 401 "  and cannot sign in"
as alpha POST "/api/v1/accounts/$AC/status" '{"status":"closed"}'
is "$STATUS" 200 "then the corporate account closes"
as alpha POST "/api/v1/accounts/$AC/subaccounts" "{\"number\":\"Y$RUN\",\"name\":\"Y\"}"
is "$STATUS" 409 "  a closed corporate account takes no sub-accounts: 409"
as alpha POST "/api/v1/accounts/$AS/status" '{"status":"active"}'
login cust "S$RUN" customer
is "$STATUS" 201 "reopened: its customer signs in again"
as omega POST "/api/v1/accounts/$AS/status" '{"status":"closed"}'
is "$STATUS $(sql "SELECT status FROM accounts WHERE id = $AS")" "404 active" "Omega's admin on Beta's account: 404, nothing changed"

# ------------------------------------------------------------- HTML forms

html alpha "/partners/$B/children" --data-urlencode "name=" --data-urlencode "kind=sub-agent"
is "$STATUS" 400 "the form with no name: 400"
like "$(body)" 'class="tp-error"' "  the partner page again, with the message"
like "$(body)" 'action="/partners/'"$B"'/children"' "  and its form"
html alpha "/partners/$B/children" --data-urlencode "name=Form Child $RUN" --data-urlencode "kind=distributor" --data-urlencode "tier="
F=$(pid "Form Child $RUN")
is "$STATUS $(header Location)" "303 /partners/$F?saved=1" "the form: 303 to the new partner's page"
req GET "/partners/$F?saved=1" "${H[@]}" -b "$COOKIE=${SESS[alpha]}" -H 'Accept: text/html'
like "$(body)" 'Saved\.' "  which says saved"
like "$(body)" 'action="/partners/'"$F"'/move"' "  and offers moving it"
unlike "$(body)" '<option value="'"$F"'">' "  never below itself"
req GET "/partners/$A" "${H[@]}" -b "$COOKIE=${SESS[alpha]}" -H 'Accept: text/html'
unlike "$(body)" 'action="/partners/'"$A"'/(move|disable)"' "Alpha's own page offers no move or disable to its admin"
html alpha "/partners/$F/move" --data-urlencode "parent_id=$F"
is "$STATUS" 400 "the move form below itself: 400, the page again"
like "$(body)" 'class="tp-error"' "  with the message"
req GET "/partners" "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: text/html'
like "$(body)" 'href="/partners/new"' "the operator's partner list links to the add-agent form"
req GET "/partners/new" "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: text/html'
is "$STATUS $(grep -c 'action="/partners"' "$BODY")" "200 1" "  which is there"
html op "/partners" --data-urlencode "name=" --data-urlencode "currency=EUR"
is "$STATUS $(grep -c 'class="tp-error"\|action="/partners"' "$BODY")" "400 2" "  a bad agent: 400, the form again with the message"
req GET "/partners" "${H[@]}" -b "$COOKIE=${SESS[alpha]}" -H 'Accept: text/html'
unlike "$(body)" 'href="/partners/new"' "  a partner's list has no such link"
req GET "/partners/new" "${H[@]}" -b "$COOKIE=${SESS[alpha]}" -H 'Accept: text/html'
is "$STATUS" 404 "  and the form does not exist for it"
# the status select shows the account's status (every option was
# "selected", so a browser showed "closed" and one click closed it)
req GET "/accounts/$AS" "${H[@]}" -b "$COOKIE=${SESS[alpha]}" -H 'Accept: text/html'
is "$(sql "SELECT status FROM accounts WHERE id = $AS")" active "the account is active"
is "$(grep -o '<select id="acc-status"[^>]*>.*</select>' "$BODY" | grep -o '<option[^>]*selected[^>]*>[a-z]*' | sed 's/.*>//')" \
	active "  its page's status select shows active, alone selected"
html alpha "/accounts/$AS/status" --data-urlencode "status=suspended"
is "$STATUS $(grep -c 'name="confirm" value="1"' "$BODY")" "200 1" "suspending from the page asks first"
like "$(body)" 'Suspend the account' "  saying what it will do"
is "$(sql "SELECT status FROM accounts WHERE id = $AS")" active "  and changes nothing yet"
html alpha "/accounts/$AS/status" --data-urlencode "status=suspended" --data-urlencode "confirm=1"
is "$STATUS $(header Location)" "303 /accounts/$AS?saved=1" "  confirmed: 303"
is "$(sql "SELECT status FROM accounts WHERE id = $AS")" suspended "  and suspended"
html alpha "/accounts/$AS/status" --data-urlencode "status=active"
is "$STATUS $(header Location)" "303 /accounts/$AS?saved=1" "making it active again asks nothing"

# ------------------------------------------------------------- audit

is "$(sql "SELECT GROUP_CONCAT(DISTINCT action ORDER BY action) FROM audit_log WHERE tenant_id = $T AND action LIKE 'partner.%' OR tenant_id = $T AND action LIKE 'account.%'")" \
	"account.create,account.status,partner.create,partner.disable,partner.enable,partner.move" "the audit log has every kind of change"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T AND action = 'partner.move' AND object_id = $D AND detail LIKE '%\"to\":$O%'")" 1 "  the move of Delta below Omega, with where to"

done_testing
