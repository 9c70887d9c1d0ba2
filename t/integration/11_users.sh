#!/usr/bin/env bash
# 11_users.sh -- user management on a copy of the demo brand of its own: scoped
# lists for a partner, the switcher and a customer admin; the list as a grid
# (keyset pages of 2, sorts, filters, the CSV export, another partner's
# users never in it); creating users (JSON
# and the HTML form) who can then log in; no escalation (you grant only what
# you hold, and never touch a user holding more); own rights and own status
# refused; rights and status changes effective at once; foreign ids 404;
# CSRF; bad input 400 with the field and nothing written; the audit log.
# Logins carry a per-run suffix, so the script can run again on one stack.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"
# a copy of the demo brand of its own: no other script signs in to its
# logins, changes them or uses their codes
new_demo it11
DEMO_HOST=$HOST

plan 129

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
H=(-H "Host: $DEMO_HOST")
RUN=$$$RANDOM
NEWPW=New-User-Pass-$RUN

DT=$(sql "SELECT id FROM tenants WHERE slug = '$SLUG'")
uid() { sql "SELECT id FROM users WHERE tenant_id = $DT AND login = '$1' ORDER BY kind = 'customer' LIMIT 1"; }
rights_of() { sql "SELECT IFNULL(GROUP_CONCAT(CONCAT(area, '=', rights) ORDER BY area), '') FROM user_rights WHERE user_id = $1"; }
nusers() { sql "SELECT COUNT(*) FROM users WHERE tenant_id = $DT"; }
nrights() { sql "SELECT COUNT(*) FROM user_rights"; }
naudit() { sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $DT AND action LIKE 'user.%'"; }

# html NAME METHOD PATH [curl args]: a browser request (form fields as args)
html() {
	local who=$1 method=$2 path=$3
	shift 3
	req "$method" "$path" "${H[@]}" -b "$COOKIE=${SESS[$who]}" -H 'Accept: text/html' "$@"
}
# the logins in the last body, sorted, without those earlier runs made
logins_in_body() {
	grep -oE '"login"[[:space:]]*:[[:space:]]*"[^"]*"' "$BODY" | sed -E 's/.*"([^"]*)"$/\1/' |
		{ grep -vE -- '-[0-9]+$' || true; } | sort | tr '\n' ' ' | sed 's/ $//'
}

P_NORTH=$(sql "SELECT id FROM partners WHERE tenant_id = $DT AND name = 'North Agency'")
P_CITY=$(sql "SELECT id FROM partners WHERE tenant_id = $DT AND name = 'City Resellers'")
P_SOUTH=$(sql "SELECT id FROM partners WHERE tenant_id = $DT AND name = 'South Agency'")
A3=$(sql "SELECT id FROM accounts WHERE tenant_id = $DT AND number = '100003'")
A5=$(sql "SELECT id FROM accounts WHERE tenant_id = $DT AND number = '100005'")
U_NORTH=$(uid agent.north)
U_STAFF=$(uid staff.north)
U_5=$(sql "SELECT id FROM users WHERE tenant_id = $DT AND kind = 'customer' AND login = '100005'")

# ------------------------------------------------------------- lists
login north agent.north
as north GET /api/v1/users
is "$STATUS" 200 "agent.north GET /api/v1/users: 200"
L=$(logins_in_body)
like "$L" '(^| )subagent\.city( |$)' "  lists subagent.city"
like "$L" '(^| )distributor\.street( |$)' "  lists distributor.street"
like "$L" '(^| )staff\.north( |$)' "  lists staff.north"
unlike "$L" 'agent\.south' "  not agent.south"
unlike "$L" '(^| )10000[0-9]( |$)' "  and no customer logins"
check "  says it may add" json_has can_add true

# the switcher narrows the list like every other page
as north POST "/api/v1/view/partner/$P_CITY"
as north GET /api/v1/users
L=$(logins_in_body)
like "$L" '^distributor\.street subagent\.city$' "viewing City Resellers: only its subtree's users"
as north POST /api/v1/view/reset

html north GET /users
is "$STATUS" 200 "GET /users (HTML, a grid): 200"
like "$(body)" 'href="/users/new"' "  it links to the add form"
html north GET /users/new
is "$STATUS" 200 "GET /users/new: 200"
like "$(body)" "name=\"_csrf\" value=\"${CSRF[north]}\"" "  the add form carries the session's CSRF token"
like "$(body)" 'name="rights\[partners\]" value="4"' "  and a checkbox per right"
like "$(body)" 'name="rights\[fixture\]" value="1" disabled' "  rights it does not hold are disabled"

# ------------------------------------------------------------- create
CLERK=city.clerk-$RUN
as north POST /api/v1/users "{\"login\":\"$CLERK\",\"name\":\"City Clerk\",\"email\":\"clerk@example.com\",\"password\":\"$NEWPW\",\"partner_id\":$P_CITY,\"rights\":{\"partners\":1}}"
is "$STATUS" 201 "agent.north creates a staff user for City Resellers: 201"
check "  the answer is the user" json_has login "\"$CLERK\""
U_CLERK=$(uid "$CLERK")
is "$(sql "SELECT CONCAT(partner_id, ':', kind, ':', is_admin, ':', status) FROM users WHERE id = '$U_CLERK'")" \
	"$P_CITY:partner:0:active" "  a partner user of City Resellers, not an admin"
is "$(rights_of "$U_CLERK")" "partners=1" "  with partners=view and nothing else"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'user.create' AND object_id = '$U_CLERK' AND user_id = $U_NORTH AND detail LIKE '%\"partners\":1%'")" 1 \
	"  audited, with the rights"
login clerk "$CLERK" partner "$NEWPW"
is "$STATUS" 201 "the new user can log in"
as clerk GET /api/v1/partners
is "$STATUS" 200 "  and see partners"
as clerk GET /api/v1/users
is "$STATUS" 403 "  but not users (no users right)"

# the HTML form: checkboxes OR-ed per area, a 303 to the user's page
FORM=form.clerk-$RUN
html north POST /users --data-urlencode "_csrf=${CSRF[north]}" --data-urlencode "login=$FORM" \
	--data-urlencode "password=$NEWPW" --data-urlencode "partner_id=$P_NORTH" \
	--data-urlencode "rights[users]=0" --data-urlencode "rights[users]=1" --data-urlencode "rights[users]=2" \
	--data-urlencode "rights[partners]=0" --data-urlencode "rights[fixture]=0"
U_FORM=$(uid "$FORM")
is "$STATUS $(header Location)" "303 /users/$U_FORM?saved=1" "the HTML form: 303 to the new user's page"
is "$(rights_of "$U_FORM")" "users=3" "  users=view+add from two checkboxes; the zeros grant nothing"
html north GET "/users/$U_FORM?saved=1"
is "$STATUS" 200 "the user's page: 200"
like "$(body)" 'name="rights\[users\]" value="2" checked' "  its rights as checked boxes"
like "$(body)" "action=\"/users/$U_FORM/disable\"" "  and a disable button"

# ------------------------------------------------------------- no escalation
N=$(nusers)
login staff staff.north
html staff GET /users
is "$STATUS" 200 "staff.north (users=view only) GET /users: 200"
unlike "$(body)" 'href="/users/new"' "  no link to the add form"
html staff GET /users/new
is "$STATUS" 403 "  and the form is 403"
as staff POST /api/v1/users "{\"login\":\"x-$RUN\",\"password\":\"$NEWPW\",\"rights\":{}}"
is "$STATUS" 403 "staff.north (users=view only) POST /api/v1/users: 403"

LIM=limited-$RUN
as north POST /api/v1/users "{\"login\":\"$LIM\",\"password\":\"$NEWPW\",\"rights\":{\"users\":3,\"partners\":1}}"
is "$STATUS" 201 "a user with users=view+add and partners=view: 201"
U_LIM=$(uid "$LIM")
login lim "$LIM" partner "$NEWPW"
N=$(nusers) NR=$(nrights)
as lim POST /api/v1/users "{\"login\":\"esc-$RUN\",\"password\":\"$NEWPW\",\"rights\":{\"partners\":15}}"
is "$STATUS" 403 "it cannot create a user with partners=15: 403"
like "$(json_str message)" 'partners' "  the message names partners"
is "$(json_str field)" "rights[partners]" "  and so does the field"
as lim POST /api/v1/users "{\"login\":\"esc-$RUN\",\"password\":\"$NEWPW\",\"rights\":{\"users\":4}}"
is "$STATUS" 403 "  nor users=update it lacks: 403"
as lim POST /api/v1/users "{\"login\":\"esc-$RUN\",\"password\":\"$NEWPW\",\"rights\":{\"accounts\":1}}"
is "$STATUS" 403 "  nor any right on an area it has nothing on: 403"
is "$(nusers)/$(nrights)" "$N/$NR" "  nothing created"
as lim POST /api/v1/users "{\"login\":\"lim-child-$RUN\",\"password\":\"$NEWPW\",\"rights\":{\"users\":1,\"partners\":1}}"
is "$STATUS" 201 "what it holds it may grant: 201"
as lim POST "/api/v1/users/$U_CLERK/rights" '{"rights":{"partners":0}}'
is "$STATUS" 403 "without users=update it cannot change rights: 403"

# a manager with users=update may not touch a user holding more than it
MGR=mgr-$RUN
as north POST /api/v1/users "{\"login\":\"$MGR\",\"password\":\"$NEWPW\",\"rights\":{\"users\":7,\"partners\":1}}"
is "$STATUS" 201 "a manager with users=view+add+update, partners=view: 201"
login mgr "$MGR" partner "$NEWPW"
as mgr POST "/api/v1/users/$U_NORTH/disable" '{}'
is "$STATUS" 403 "  it cannot disable agent.north (accounts=15, partners=15): 403"
like "$(json_str message)" 'rights on accounts' "  naming an area it lacks"
as mgr POST "/api/v1/users/$U_NORTH/rights" '{"rights":{"users":0}}'
is "$STATUS" 403 "  nor strip agent.north's users rights it holds itself: 403"
is "$(sql "SELECT status FROM users WHERE id = $U_NORTH")|$(rights_of "$U_NORTH")" \
	"active|accounts=15,billing=1,commissions=3,funds=3,partners=15,profile=15,users=15" "  agent.north unchanged"
as mgr POST "/api/v1/users/$U_CLERK/rights" '{"rights":{"users":1}}'
is "$STATUS $(rights_of "$U_CLERK")" "200 partners=1,users=1" "  a weaker user it may change: 200"

# ------------------------------------------------------------- self
as north POST "/api/v1/users/$U_NORTH/rights" '{"rights":{"users":1}}'
is "$STATUS" 400 "changing one's own rights: 400"
is "$(json_str field)" user "  field user"
as north POST "/api/v1/users/$U_NORTH/disable" '{}'
is "$STATUS" 400 "disabling oneself: 400"
is "$(rights_of "$U_NORTH")|$(sql "SELECT status FROM users WHERE id = $U_NORTH")" \
	"accounts=15,billing=1,commissions=3,funds=3,partners=15,profile=15,users=15|active" "  nothing changed"

# ------------------------------------------------------------- at once
as clerk GET /api/v1/partners
is "$STATUS" 200 "the clerk sees partners (its session is cached now)"
A=$(naudit)
as north POST "/api/v1/users/$U_CLERK/rights" '{"rights":{"partners":0}}'
is "$STATUS" 200 "agent.north takes partners=view away: 200"
check "  the answer shows the rights" json_has users 1
is "$(rights_of "$U_CLERK")" "users=1" "  stored: the area's row is gone"
as clerk GET /api/v1/partners
is "$STATUS" 403 "  the clerk's live session has lost it at once: 403"
is "$(sql "SELECT detail FROM audit_log WHERE action = 'user.rights' AND object_id = $U_CLERK ORDER BY id DESC LIMIT 1")" \
	'{"before":{"partners":1,"users":1},"after":{"users":1}}' "  audited with before and after"
as north POST "/api/v1/users/$U_CLERK/rights" '{"rights":{"users":1}}'
is "$STATUS $(naudit)" "200 $((A + 1))" "the same rights again: 200, nothing written or audited"

as north POST "/api/v1/users/$U_CLERK/disable" '{}'
is "$STATUS" 200 "disable the clerk: 200"
check "  the answer says disabled" json_has status '"disabled"'
as clerk GET /api/v1/me
is "$STATUS" 401 "  its live session gets 401 at once"
is "$(sql "SELECT COUNT(*) FROM sessions WHERE user_id = $U_CLERK AND revoked = 0")" 0 "  its sessions are revoked"
is "$(sql "SELECT detail FROM audit_log WHERE action = 'user.disable' AND object_id = $U_CLERK ORDER BY id DESC LIMIT 1")" \
	'{"before":"active","after":"disabled","sessions_revoked":1}' "  audited"
login clerk "$CLERK" partner "$NEWPW"
is "$STATUS" 401 "  it cannot log in"
as north POST "/api/v1/users/$U_CLERK/enable" '{}'
is "$STATUS" 200 "enable it again: 200"
is "$(sql "SELECT status FROM users WHERE id = $U_CLERK")" active "  active"
login clerk "$CLERK" partner "$NEWPW"
is "$STATUS" 201 "  it can log in again"
html north POST "/users/$U_FORM/rights" --data-urlencode "_csrf=${CSRF[north]}" \
	--data-urlencode "rights[users]=0" --data-urlencode "rights[users]=1" --data-urlencode "rights[partners]=0" \
	--data-urlencode "rights[partners]=1" --data-urlencode "rights[profile]=0" --data-urlencode "rights[accounts]=0" \
	--data-urlencode "rights[fixture]=0"
is "$STATUS $(header Location)|$(rights_of "$U_FORM")" "303 /users/$U_FORM?saved=1|partners=1,users=1" \
	"the HTML rights form (every area, boxes OR-ed): 303, stored"
html north POST "/users/$U_FORM/rights" --data-urlencode "_csrf=${CSRF[north]}" --data-urlencode "rights[users]=32"
is "$STATUS" 400 "  a bad value from the form: 400"
like "$(body)" 'class="tp-error" role="alert">rights on users must be' "  the user's page again with the message"
html north POST "/users/$U_FORM/disable" --data-urlencode "_csrf=${CSRF[north]}"
is "$STATUS $(header Location)" "303 /users/$U_FORM?saved=1" "disable from the HTML page: 303 back to it"
is "$(sql "SELECT status FROM users WHERE id = $U_FORM")" disabled "  disabled"

# ------------------------------------------------------------- customers
login c2 100002 customer
as c2 GET /api/v1/users
is "$STATUS" 200 "customer admin 100002 GET /api/v1/users: 200"
is "$(logins_in_body)" "100002 100003 100004" "  only the users of 100002, 100003 and 100004"
CUST=east.buyer-$RUN
as c2 POST /api/v1/users "{\"login\":\"$CUST\",\"name\":\"East buyer\",\"password\":\"$NEWPW\",\"account_id\":$A3,\"rights\":{\"profile\":15,\"accounts\":1}}"
is "$STATUS" 201 "  creates a user for 100003: 201"
is "$(sql "SELECT CONCAT(kind, ':', account_id, ':', IFNULL(partner_id, '-')) FROM users WHERE tenant_id = $DT AND login = '$CUST'")" \
	"customer:$A3:-" "  a customer user of 100003"
login buyer "$CUST" customer "$NEWPW"
is "$STATUS" 201 "  who can log in as a customer"
N=$(nusers)
as c2 GET "/api/v1/users/$U_5"
is "$STATUS" 404 "100002 GET the user of 100005: 404"
as c2 POST "/api/v1/users/$U_5/disable" '{}'
is "$STATUS" 404 "  disabling it: 404"
as c2 POST /api/v1/users "{\"login\":\"x5-$RUN\",\"password\":\"$NEWPW\",\"account_id\":$A5}"
is "$STATUS" 404 "  creating a user for 100005: 404"
as c2 POST /api/v1/users "{\"login\":\"x5-$RUN\",\"password\":\"$NEWPW\",\"partner_id\":$P_NORTH}"
is "$STATUS" 400 "  a customer sending partner_id: 400"
is "$(nusers)|$(sql "SELECT status FROM users WHERE id = $U_5")" "$N|active" "  nothing created or changed"

# ------------------------------------------------------------- foreign ids
login south agent.south
as south GET "/api/v1/users/$U_NORTH"
is "$STATUS" 404 "agent.south GET a North user: 404"
as south POST "/api/v1/users/$U_STAFF/rights" '{"rights":{"users":0}}'
is "$STATUS" 404 "  its rights: 404"
as south POST "/api/v1/users/$U_STAFF/disable" '{}'
is "$STATUS" 404 "  disable it: 404"
as south POST /api/v1/users "{\"login\":\"x-south-$RUN\",\"password\":\"$NEWPW\",\"partner_id\":$P_NORTH}"
is "$STATUS" 404 "  create a user for North Agency: 404"
is "$(json_str field)" partner_id "  naming partner_id"
as north POST /api/v1/users "{\"login\":\"x-north-$RUN\",\"password\":\"$NEWPW\",\"partner_id\":$P_SOUTH}"
is "$STATUS" 404 "agent.north creating a user for South Agency: 404"
as south GET /api/v1/users/999999999
is "$STATUS" 404 "a missing user: 404"
is "$(sql "SELECT CONCAT(status, '|', (SELECT COUNT(*) FROM users WHERE login LIKE 'x-%-$RUN')) FROM users WHERE id = $U_STAFF")|$(rights_of "$U_STAFF")" \
	"active|0|accounts=1,billing=1,commissions=1,funds=1,partners=1,profile=15,users=1" "  nothing created or changed"

# ------------------------------------------------------------- the grid
# agent.north's users from SQL: the partner users of its subtree
north_logins() { # north_logins "AND ... ORDER BY ..."
	sql "SELECT u.login FROM users u JOIN partner_tree t ON t.descendant = u.partner_id WHERE t.ancestor = $P_NORTH $1" |
		tr '\n' ' ' | sed 's/ $//'
}
# the logins of the last body, in its order
logins_seq() {
	{ grep -oE '"login"[[:space:]]*:[[:space:]]*"[^"]*"' "$BODY" || true; } | sed -E 's/.*"([^"]*)"$/\1/' |
		tr '\n' ' ' | sed 's/ $//'
}
as north GET '/api/v1/users?limit=500'
ALL=$(logins_seq)
is "$ALL" "$(north_logins 'ORDER BY u.login, u.id')" "the users grid: agent.north's users by login, as SQL has them"
NALL=$(wc -w <<<"$ALL")
SEEN='' PAGES=0 NEXT='?limit=2'
while [ -n "$NEXT" ] && [ "$PAGES" -le "$NALL" ]; do
	as north GET "/api/v1/users$NEXT"
	SEEN="$SEEN $(logins_seq)" PAGES=$((PAGES + 1))
	NEXT=$(json_str next)
done
is "${SEEN# } $PAGES" "$ALL $(((NALL + 1) / 2))" "  limit=2: the next links walk the same $NALL users, 2 a page"
as north GET '/api/v1/users?limit=2'
FIRST=$(logins_seq)
as north GET "/api/v1/users$(json_str next)"
as north GET "/api/v1/users$(json_str prev)"
is "$(logins_seq)" "$FIRST" "  the second page's previous link gives the first page"
as north GET '/api/v1/users?limit=500&sort=-login'
is "$(logins_seq)" "$(north_logins 'ORDER BY u.login DESC, u.id DESC')" "sort=-login: descending"
as north GET '/api/v1/users?limit=500&sort=name'
is "$(logins_seq)" "$(north_logins 'ORDER BY u.name, u.id')" "sort=name"
as north GET '/api/v1/users?sort=email'
is "$STATUS $(json_str field)" "400 sort" "sort=email (not sortable): 400 on sort"
as north GET '/api/v1/users?limit=500&f.login=sta'
is "$(logins_seq)" "staff.north" "f.login=sta: staff.north"
as north GET '/api/v1/users?limit=500&f.status=disabled'
is "$(logins_seq)" "$(north_logins "AND u.status = 'disabled' ORDER BY u.login, u.id")" "f.status=disabled: the disabled ones"
like "$(logins_seq)" "(^| )$FORM( |$)" "  $FORM among them"
as north GET '/api/v1/users?f.kind=customer'
is "$STATUS $(json_num count)" "200 0" "f.kind=customer: none (a partner's customers' logins are not its users)"
req GET '/users?format=csv' "${H[@]}" -b "$COOKIE=${SESS[north]}"
is "$STATUS $(head -n 1 "$BODY" | tr -d '\r')" "200 Login,Name,E-mail,Login type,Partner or account,Status,Admin" "CSV export: the columns' labels"
is "$(tail -n +2 "$BODY" | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')" "$ALL" "  every user of the grid, in its order"
is "$(tr -d '\r' <"$BODY" | grep -cE '^staff\.north,[^,]*,[^,]*,partner,North Agency,active,no$')" 1 "  staff.north's row: kind, partner, status, admin"
as south GET '/api/v1/users?limit=500'
is "$(logins_seq)" "$(sql "SELECT u.login FROM users u JOIN partner_tree t ON t.descendant = u.partner_id WHERE t.ancestor = $P_SOUTH ORDER BY u.login, u.id" | tr '\n' ' ' | sed 's/ $//')" \
	"agent.south's grid: its own subtree's users only"
as south GET '/api/v1/users?f.login=agent.north'
is "$STATUS $(json_num count)" "200 0" "  f.login=agent.north: none"
req GET '/users?format=csv' "${H[@]}" -b "$COOKIE=${SESS[south]}"
unlike "$(body)" 'agent\.north|staff\.north|subagent\.city' "  nor in its CSV export"

# ------------------------------------------------------------- CSRF
N=$(nusers)
req_json POST /api/v1/users "{\"login\":\"csrf-$RUN\",\"password\":\"$NEWPW\"}" "${H[@]}" -b "$COOKIE=${SESS[north]}"
is "$STATUS" 403 "POST /api/v1/users without the CSRF token: 403"
req_json POST "/api/v1/users/$U_CLERK/disable" '{}' "${H[@]}" -b "$COOKIE=${SESS[north]}" -H 'X-CSRF-Token: wrong'
is "$STATUS" 403 "disable with a wrong token: 403"
html north POST "/users/$U_CLERK/rights" --data-urlencode "rights[users]=0"
is "$STATUS" 403 "the HTML rights form without _csrf: 403"
is "$(nusers)|$(sql "SELECT status FROM users WHERE id = $U_CLERK")|$(rights_of "$U_CLERK")" "$N|active|users=1" "  nothing changed"

# ------------------------------------------------------------- bad input
N=$(nusers) NR=$(nrights) A=$(naudit)
bad() { # bad DESC JSON FIELD: POST /api/v1/users answers 400 naming FIELD
	as north POST /api/v1/users "$2"
	is "$STATUS $(json_str field)" "400 $3" "$1: 400, field $3"
}
bad "empty login" "{\"login\":\"\",\"password\":\"$NEWPW\"}" login
bad "no login" "{\"password\":\"$NEWPW\"}" login
bad "weak password" "{\"login\":\"bad-$RUN\",\"password\":\"short\"}" password
bad "one-class password" "{\"login\":\"bad-$RUN\",\"password\":\"alllowercaseletters\"}" password
bad "unknown area" "{\"login\":\"bad-$RUN\",\"password\":\"$NEWPW\",\"rights\":{\"nosuch\":1}}" "rights[nosuch]"
bad "rights bits over 15" "{\"login\":\"bad-$RUN\",\"password\":\"$NEWPW\",\"rights\":{\"partners\":16}}" "rights[partners]"
bad "negative rights" "{\"login\":\"bad-$RUN\",\"password\":\"$NEWPW\",\"rights\":{\"partners\":-1}}" "rights[partners]"
bad "a right the area lacks (fixture has no update)" "{\"login\":\"bad-$RUN\",\"password\":\"$NEWPW\",\"rights\":{\"fixture\":4}}" "rights[fixture]"
bad "rights not an object" "{\"login\":\"bad-$RUN\",\"password\":\"$NEWPW\",\"rights\":[1]}" rights
bad "a junk partner id" "{\"login\":\"bad-$RUN\",\"password\":\"$NEWPW\",\"partner_id\":\"abc\"}" partner_id
bad "a bad e-mail" "{\"login\":\"bad-$RUN\",\"password\":\"$NEWPW\",\"email\":\"nobody\"}" email
bad "a control character in the login" "{\"login\":\"bad\\u0001$RUN\",\"password\":\"$NEWPW\"}" login
as north POST /api/v1/users "{\"login\":\"staff.north\",\"password\":\"$NEWPW\"}"
is "$STATUS $(json_str field)" "409 login" "a taken login: 409, field login"
as north POST /api/v1/users "{\"login\":\"operator\",\"password\":\"$NEWPW\"}"
is "$STATUS" 409 "  the operator's login too (it would hide the partner's)"
as north POST "/api/v1/users/$U_CLERK/rights" '{"rights":{"nosuch":1}}'
is "$STATUS $(json_str field)" "400 rights[nosuch]" "rights change with an unknown area: 400"
as north POST "/api/v1/users/$U_CLERK/rights" '{}'
is "$STATUS $(json_str field)" "400 rights" "rights change naming no area: 400"
html north POST /users --data-urlencode "_csrf=${CSRF[north]}" --data-urlencode "login=" \
	--data-urlencode "name=Kept <Name>" --data-urlencode "password=$NEWPW"
is "$STATUS" 400 "the HTML form with an empty login: 400"
like "$(body)" 'class="tp-error" role="alert">Enter a login\.' "  the form again with the message"
like "$(body)" 'value="Kept &lt;Name&gt;"' "  keeping what was typed, escaped"
is "$(nusers)/$(nrights)/$(naudit)|$(rights_of "$U_CLERK")" "$N/$NR/$A|users=1" "bad input wrote nothing"

done_testing
