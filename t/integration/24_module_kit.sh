#!/usr/bin/env bash
# 24_module_kit.sh -- what a module declares, the core does (ABI 2.0), on a
# brand of its own with the fixture module: its own kind of id
# (fixture_note) checked by the core before the handler (a note of another
# partner, of a customer out of view, of another brand, missing or junk:
# all 404 alike), an id in the body (account_id) checked like a path id, a
# module grid scoped per viewer and known to the grid settings, a home-page
# panel, a menu entry in a group with a per-viewer count that hides when
# empty, and `tierportctl routes` naming the kinds. The fixture's handlers
# check no scope themselves.
source "$(dirname "$0")/lib.sh"

plan 41

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand it24 fixture
SECRET=$("$CTL" -c "$INI" user totp --brand "$SLUG" --login op | sed -n 's/.*two-factor secret //p')
login op op partner "$PW" "$(oathtool --totp -b "$SECRET")"
is "$STATUS" 201 "the brand's operator signs in"

# two agents, an account each, a third agent with none
as op POST /api/v1/partners '{"name":"North","currency":"EUR"}'
PN=$(json_num id)
as op POST /api/v1/partners '{"name":"South","currency":"EUR"}'
PS=$(json_num id)
as op POST /api/v1/partners '{"name":"Empty","currency":"EUR"}'
PE=$(json_num id)
RUN=$$$RANDOM
as op POST "/api/v1/partners/$PN/accounts" "{\"number\":\"N$RUN\",\"name\":\"North customer\"}"
AN=$(json_num id)
as op POST "/api/v1/partners/$PS/accounts" "{\"number\":\"S$RUN\",\"name\":\"South customer\"}"
AS=$(json_num id)
is "$STATUS ${AN:+n} ${AS:+s}" "201 n s" "two partners with an account each"
for p in "north:$PN" "south:$PS" "empty:$PE"; do
	printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "${p#*:}" \
		--login "${p%%:*}.admin" --password-file - --admin --group partner-admin >/dev/null
done
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind customer --account "N$RUN" \
	--login "N$RUN" --password-file - --group customer-admin >/dev/null
login north north.admin
login south south.admin
login empty empty.admin
login cust "N$RUN" customer
is "$STATUS" 201 "partner and customer logins sign in"

nnotes() { sql "SELECT COUNT(*) FROM fixture_notes WHERE tenant_id = $T"; }

# ------------------------------------------------------------- body id
as north POST /api/v1/fixture/notes "{\"account_id\":$AN,\"body\":\"north note\"}"
is "$STATUS" 201 "a note for an account in view: 201"
NN=$(json_num id)
as south POST /api/v1/fixture/notes "{\"account_id\":$AS,\"body\":\"south note\"}"
NS=$(json_num id)
N0=$(nnotes)
as north POST /api/v1/fixture/notes "{\"account_id\":$AS,\"body\":\"intruder\"}"
is "$STATUS $(json_str field)" "404 account_id" "a body id of another partner's account: 404 naming the field"
as north POST /api/v1/fixture/notes '{"account_id":999999999,"body":"x"}'
is "$STATUS $(json_str field)" "404 account_id" "  a missing one: the same"
as north POST /api/v1/fixture/notes '{"account_id":"abc","body":"x"}'
is "$STATUS $(json_str field)" "400 account_id" "  junk: 400 naming it"
as north POST /api/v1/fixture/notes '{"body":"x"}'
is "$STATUS $(json_str field)" "400 account_id" "  absent: 400 naming it"
as north POST /api/v1/fixture/notes "{\"account_id\":$AN}"
is "$STATUS $(json_str field)" "400 body" "a missing note text: 400 on body (tp_field_text)"
like "$(body)" 'The note is required' "  said with its label"
is "$(nnotes)" "$N0" "  none of them wrote anything"

# ------------------------------------------------------------- a module's kind of id
as north GET "/api/v1/fixture/notes/$NN"
is "$STATUS" 200 "its own note: 200"
check "  with its text" json_has body '"north note"'
as north GET "/api/v1/fixture/notes/$NS"
FOREIGN="$STATUS $(json_str message)"
as north GET /api/v1/fixture/notes/999999999
is "$FOREIGN" "$STATUS $(json_str message)" "another partner's note answers as a missing one"
is "$STATUS" 404 "  a 404"
as north GET /api/v1/fixture/notes/abc
is "$STATUS" 404 "  junk: 404"
as cust GET "/api/v1/fixture/notes/$NN"
is "$STATUS" 200 "the account's customer sees its note"
as cust GET "/api/v1/fixture/notes/$NS"
is "$STATUS" 404 "  not another account's"
as op GET "/api/v1/fixture/notes/$NS"
is "$STATUS" 200 "the operator sees every note of the brand"
req GET "/api/v1/fixture/notes/$NN" -H "Host: localhost" -b "$COOKIE=${SESS[north]}" -H 'Accept: application/json'
is "$STATUS" 401 "the session on another brand's host: 401"

# ------------------------------------------------------------- grid
as north GET /api/v1/fixture/notes
like "$(body)" "north note" "the module's grid lists the partner's note"
unlike "$(body)" "south note" "  and not another partner's"
as op GET /api/v1/fixture/notes
check "  the operator's lists both" bash -c "grep -q 'north note' '$BODY' && grep -q 'south note' '$BODY'"
req GET /grids/fixture_notes/settings "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: text/html'
is "$STATUS" 200 "the grid settings page knows the module's grid"

# ------------------------------------------------------------- home panel, menu
page() { req GET "$2" "${H[@]}" -b "$COOKIE=${SESS[$1]}" -H 'Accept: text/html'; }
page north /
is "$STATUS" 200 "a partner's home page"
like "$(body)" 'Notes you can see: <strong>1</strong>; the latest: north note' "  with the module's panel, for this viewer"
like "$(body)" 'Customers in your network</dt><dd class="num">1<' "  and its own summary"
like "$(body)" 'tp-group-label">Fixture<' "the menu shows the module's group"
like "$(body)" 'href="/fixture/notes">Notes <span class="tp-count">1</span>' "  with the entry's count for this viewer"
page empty /
unlike "$(body)" 'href="/fixture/notes"' "  and hides it from a login with nothing to count"
like "$(body)" 'Notes you can see: <strong>0</strong>' "  whose panel says none"
page op /
like "$(body)" 'Notes you can see: <strong>2</strong>' "the operator's home panel counts the brand"
req GET / "${H[@]}" -H 'Accept: text/html'
is "$STATUS $(header Location)" "303 /login?next=/" "signed out, home sends the browser to sign in"

# ------------------------------------------------------------- helpers
as north GET /api/v1/fixture/kit
check "tp_who_get, tp_brand_get, tp_can as a module sees them" bash -c \
	"grep -qE '\"login\": *\"north.admin\"' '$BODY' && grep -qE '\"brand\": *\"it24 ' '$BODY' && grep -qE '\"kind\": *2' '$BODY' && grep -qE '\"can_view_accounts\": *true' '$BODY' && grep -qE '\"read_only\": *false' '$BODY'"
as cust GET /api/v1/fixture/kit
check "  a customer: kind 3, no delete right on accounts" bash -c "grep -qE '\"kind\": *3' '$BODY' && grep -qE '\"can_delete_accounts\": *false' '$BODY'"
as north GET "/api/v1/fixture/kit?day=2023-02-29"
is "$STATUS $(json_str field)" "400 day" "tp_check_date refuses a day the calendar lacks"
M0=$(sql "SELECT COUNT(*) FROM mail_outbox WHERE tenant_id = $T")
as north POST "/api/v1/fixture/kit/mail?fail=1" '{"to":"someone@example.com"}'
is "$STATUS $(sql "SELECT COUNT(*) FROM mail_outbox WHERE tenant_id = $T")" "409 $M0" "tp_mail_queue: a rolled back change queues no mail"
as north POST /api/v1/fixture/kit/mail '{"to":"someone@example.com"}'
is "$STATUS $(sql "SELECT COUNT(*) FROM mail_outbox WHERE tenant_id = $T AND to_addr = 'someone@example.com'")" "201 1" "  a committed one queues it, for the brand"
page north /fixture/file
is "$STATUS $(head -c 300 "$BODY" | grep -c 'tierport.css')" "200 1" "tp_send_file: nginx sends the file the handler names"

# ------------------------------------------------------------- routes
ROUTES=$("$CTL" -c "$INI" routes)
like "$ROUTES" "note=fixture_note" "tierportctl routes names the module's kind"
like "$ROUTES" 'body:account_id=account' "  and the body id"

done_testing
