#!/usr/bin/env bash
# 36_sign_in_kind.sh -- sign-in without "I am a customer" (issue 10): the
# login name says whether it is a customer's account number or a partner's
# or operator's login; when it is both, the brand's login_first decides
# (staff by default, customer when set); the old "as" field is still
# honoured (API and form), and the forgotten-password form finds a
# customer by its number alone.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"

plan 20

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_demo sik
P_N=$(sql "SELECT id FROM partners WHERE tenant_id = $T AND name = 'North Agency'")
# a partner login with the same name as customer 100002's account number
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$P_N" \
	--login 100002 --name "North staff 100002" --password-file - --group partner-staff >"$T_DIR/add.out" 2>&1 ||
	{ echo "Bail out! user add failed"; exit 1; }

# signin LOGIN [JSON extra]: an API sign-in without "as"; the kind it got
signin() {
	req_json POST /api/v1/session "{\"login\":\"$1\",\"password\":\"$PW\"${2:+,$2}}" "${H[@]}"
	if [ "$STATUS" = 201 ]; then grep -oE '"kind":"[a-z]+"' "$BODY" | head -n 1 | cut -d'"' -f4; else echo "$STATUS"; fi
}

# ------------------------------------------------------------- the form
req GET /login "${H[@]}"
is "$STATUS" 200 "GET /login: 200"
unlike "$(body)" 'name="as"|a customer</label>' "  no \"I am a customer\" choice"
like "$(body)" '<label for="login">Login or account number</label>' "  one field for a login or an account number"
PRE=$(set_cookie tp_pre)
req POST /login "${H[@]}" -b "tp_pre=$PRE" --data-urlencode "_csrf=$PRE" --data-urlencode login=100001 \
	--data-urlencode "password=$PW" --data-urlencode next=/accounts
is "$STATUS $(header Location)" "303 /accounts" "the form with 100001 alone: signed in"
req GET /api/v1/me "${H[@]}" -b "$COOKIE=$(set_cookie "$COOKIE")"
like "$(body)" '"kind":"customer"' "  as the customer"
req GET /login "${H[@]}"
PRE=$(set_cookie tp_pre)
req POST /login "${H[@]}" -b "tp_pre=$PRE" --data-urlencode "_csrf=$PRE" --data-urlencode login=agent.north \
	--data-urlencode "password=$PW"
is "$STATUS $(header Location)" "303 /" "the form with agent.north alone: signed in"

# ------------------------------------------------------------- the API, by name
is "$(signin 100001)" customer "API 100001 (only a customer has it): customer"
is "$(signin agent.north)" partner "API agent.north (only a partner has it): partner"
is "$(signin operator '"otp":"'"$(oathtool --totp -b "${TP_DEMO_TOTP_SECRET:?}")"'"')" operator "API operator: operator"
is "$(signin 100002)" partner "100002 is both: the brand's default puts staff first"
is "$(signin nobody.here)" 401 "an unknown name: 401"

# ------------------------------------------------------------- the old field
is "$(signin 100002 '"as":"customer"')" customer "  \"as\":\"customer\" (the old field): the customer"
is "$(signin 100001 '"as":"partner"')" 401 "  \"as\":\"partner\" for a customer's number: 401, as before"

# ------------------------------------------------------------- customers first
sql "UPDATE tenants SET login_first = 'customer' WHERE id = $T"
# every worker thread reads the brand again within brand_cache_seconds (10)
k=''
for _ in $(seq 1 15); do
	k=$(signin 100002)
	[ "$k" != customer ] || break
	sleep 1
done
is "$k" customer "with login_first = customer: 100002 signs in as the customer"
is "$(signin 100002 '"as":"partner"')" partner "  \"as\":\"partner\" still picks the partner"
is "$(signin agent.north)" partner "  agent.north: still the partner (only it has the name)"
req GET /login "${H[@]}"
PRE=$(set_cookie tp_pre)
req POST /login "${H[@]}" -b "tp_pre=$PRE" --data-urlencode "_csrf=$PRE" --data-urlencode login=100002 \
	--data-urlencode "password=$PW" --data-urlencode "as=partner"
req GET /api/v1/me "${H[@]}" -b "$COOKIE=$(set_cookie "$COOKIE")"
like "$(body)" '"kind":"partner"' "  a form that still sends as=partner: the partner"

# ------------------------------------------------------------- forgotten password
sql "DELETE FROM mail_outbox WHERE tenant_id = $T"
req GET /password/forgot "${H[@]}"
unlike "$(body)" 'name="as"' "the forgotten-password form has no choice either"
PRE=$(set_cookie tp_pre)
req POST /password/forgot "${H[@]}" -b "tp_pre=$PRE" --data-urlencode "_csrf=$PRE" --data-urlencode login=100001
is "$STATUS" 200 "  100001 alone: 200"
is "$(sql "SELECT to_addr FROM mail_outbox WHERE tenant_id = $T")" "100001@demo.example" "  and the customer's mail is queued"

done_testing
