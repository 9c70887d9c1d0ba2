#!/usr/bin/env bash
# 12_profile_terms.sh -- the signed-in user's profile (validation, nothing
# written on bad input, the change visible at once), password change (the
# current password required, the policy, other sessions ended), and a
# brand's terms and conditions (gate, accept with time and address, an
# operator admin clears every acceptance, only an operator admin may).
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"
# a copy of the demo brand of its own: no other script signs in to its
# logins, changes them or uses their codes
new_demo it12
DEMO_HOST=$HOST

plan 41

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
CTL=${TP_BUILD:-$TP_SRC/build-san}/tierportctl
INI=$TP_VAR/etc/tierport.ini

# api_login HOST LOGIN PASSWORD: SESSION and CSRF of a JSON login
api_login() {
	req_json POST /api/v1/session "{\"login\":\"$2\",\"password\":\"$3\"}" -H "Host: $1"
	SESSION=$(set_cookie "$COOKIE")
	CSRF=$(json_str csrf_token)
}
# as HOST METHOD PATH [JSON]: a request with the session and its token
as() {
	local host=$1 method=$2 path=$3
	if [ $# -ge 4 ]; then
		req_json "$method" "$path" "$4" -H "Host: $host" -b "$COOKIE=$SESSION" -H "X-CSRF-Token: $CSRF"
	else
		req "$method" "$path" -H "Host: $host" -b "$COOKIE=$SESSION" -H "X-CSRF-Token: $CSRF" -H 'Accept: application/json'
	fi
}

# --- profile
api_login "$DEMO_HOST" staff.north "$PW"
as "$DEMO_HOST" GET /api/v1/profile
is "$STATUS" 200 "GET profile: 200"
check "  shows the login" json_has login '"staff.north"'
BEFORE=$(sql "SELECT CONCAT_WS('|', name, IFNULL(email, '-')) FROM users WHERE tenant_id = $T AND login = 'staff.north'")
as "$DEMO_HOST" POST /api/v1/profile '{"name":"Staff North","email":"not-an-address"}'
is "$STATUS" 400 "a bad e-mail: 400"
check "  names the field" json_has field '"email"'
as "$DEMO_HOST" POST /api/v1/profile '{"name":"","email":"staff@example.com"}'
is "$STATUS" 400 "an empty name: 400"
as "$DEMO_HOST" POST /api/v1/profile '{"name":"Staff North","phone":"call me<script>"}'
check "a bad phone: 400 naming phone" json_has field '"phone"'
is "$(sql "SELECT CONCAT_WS('|', name, IFNULL(email, '-')) FROM users WHERE tenant_id = $T AND login = 'staff.north'")" "$BEFORE" "  nothing was written"
as "$DEMO_HOST" POST /api/v1/profile '{"name":"Staff of North","email":"staff@example.com","billing_email":"bills@example.com","payment_email":"","phone":"+1 (555) 010-0000"}'
is "$STATUS" 200 "a good profile: 200"
is "$(sql "SELECT CONCAT_WS('|', name, email, billing_email, IFNULL(payment_email, '-')) FROM users WHERE tenant_id = $T AND login = 'staff.north'")" \
	"Staff of North|staff@example.com|bills@example.com|-" "  stored, empty as none"
as "$DEMO_HOST" GET /api/v1/me
check "  /me shows the new name at once" json_has name '"Staff of North"'
# a partial update: POST and PUT replace the whole profile, so a field
# left out is a 400 naming it (it used to be wiped: an agent's e-mail
# emptied, its password reset silently gone); PATCH changes only what it
# is given
as "$DEMO_HOST" POST /api/v1/profile '{"name":"Only The Name"}'
is "$STATUS $(json_str field)" "400 email" "POST without the other fields: 400 naming the first"
as "$DEMO_HOST" PUT /api/v1/profile '{"name":"Only The Name","email":"staff@example.com"}'
is "$STATUS $(json_str field)" "400 phone" "  PUT likewise"
is "$(sql "SELECT CONCAT_WS('|', name, email, billing_email) FROM users WHERE tenant_id = $T AND login = 'staff.north'")" \
	"Staff of North|staff@example.com|bills@example.com" "  nothing was written or wiped"
as "$DEMO_HOST" PATCH /api/v1/profile '{"name":"Staff N."}'
is "$STATUS" 200 "PATCH of the name alone: 200"
is "$(sql "SELECT CONCAT_WS('|', name, email, billing_email, IFNULL(payment_email, '-'), phone) FROM users WHERE tenant_id = $T AND login = 'staff.north'")" \
	"Staff N.|staff@example.com|bills@example.com|-|+1 (555) 010-0000" "  the other fields kept"
as "$DEMO_HOST" PATCH /api/v1/profile '{"billing_email":null,"payment_email":"pay@example.com"}'
is "$(sql "SELECT CONCAT_WS('|', name, IFNULL(billing_email, '-'), payment_email) FROM users WHERE tenant_id = $T AND login = 'staff.north'")" \
	"Staff N.|-|pay@example.com" "  null clears a field, the name stays"
as "$DEMO_HOST" PATCH /api/v1/profile '{"email":"bad"}'
is "$STATUS $(json_str field)" "400 email" "  a bad value: 400 naming it"
as "$DEMO_HOST" PUT /api/v1/profile '{"name":"Staff of North","email":"staff@example.com","billing_email":"bills@example.com","payment_email":"","phone":"+1 (555) 010-0000"}'
is "$STATUS" 200 "PUT of every field: 200"
req POST /profile -H "Host: $DEMO_HOST" -b "$COOKIE=$SESSION" -H 'Accept: text/html' --data-urlencode "_csrf=$CSRF" \
	--data-urlencode "name=Staff of North" --data-urlencode "email=staff@example.com" --data-urlencode "phone=+1 (555) 010-0000" \
	--data-urlencode "billing_email=bills@example.com" --data-urlencode "payment_email="
is "$STATUS $(header Location)" "303 /profile?saved=1" "the HTML form (every field): 303"
is "$(sql "SELECT CONCAT_WS('|', name, email, billing_email, IFNULL(payment_email, '-')) FROM users WHERE tenant_id = $T AND login = 'staff.north'")" \
	"Staff of North|staff@example.com|bills@example.com|-" "  stored as sent"
check "  in the audit log" test "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'profile.update'")" -ge 1

# --- password change (distributor.street; changed back at the end)
api_login "$DEMO_HOST" distributor.street "$PW"
S1=$SESSION C1=$CSRF
api_login "$DEMO_HOST" distributor.street "$PW"
S2=$SESSION
SESSION=$S1 CSRF=$C1
NEWPW="New-Street-Pass-77"
as "$DEMO_HOST" POST /api/v1/profile/password '{"current_password":"wrong-Wrong-1","new_password":"'"$NEWPW"'"}'
is "$STATUS" 400 "wrong current password: 400"
check "  names current_password" json_has field '"current_password"'
as "$DEMO_HOST" POST /api/v1/profile/password '{"current_password":"'"$PW"'","new_password":"short"}'
check "a weak new password: 400 naming new_password" json_has field '"new_password"'
as "$DEMO_HOST" POST /api/v1/profile/password '{"current_password":"'"$PW"'","new_password":"'"$NEWPW"'","confirm_password":"other-Other-1"}'
check "a mismatched confirmation: 400 naming confirm_password" json_has field '"confirm_password"'
as "$DEMO_HOST" POST /api/v1/profile/password '{"current_password":"'"$PW"'","new_password":"'"$NEWPW"'","confirm_password":"'"$NEWPW"'"}'
is "$STATUS" 200 "a good change: 200"
as "$DEMO_HOST" GET /api/v1/me
is "$STATUS" 200 "  this session goes on"
SESSION=$S2
as "$DEMO_HOST" GET /api/v1/me
is "$STATUS" 401 "  the other session ended"
api_login "$DEMO_HOST" distributor.street "$PW"
is "$STATUS" 401 "  the old password no longer works"
api_login "$DEMO_HOST" distributor.street "$NEWPW"
is "$STATUS" 201 "  the new one does"
as "$DEMO_HOST" POST /api/v1/profile/password '{"current_password":"'"$NEWPW"'","new_password":"'"$PW"'"}'
is "$STATUS" 200 "  and back"

# --- terms and conditions on a brand of this test's own
RUN=$$
HOST=terms$RUN.test
"$CTL" -c "$INI" brand add --slug "it12-$RUN" --name "Terms $RUN" --host "$HOST" >/dev/null 2>&1
sql "UPDATE tenants SET terms_required = 1, terms_text = 'Be nice.' WHERE slug = 'it12-$RUN'"
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "it12-$RUN" --kind operator --login op.admin --admin --password-file - >/dev/null 2>&1
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "it12-$RUN" --kind operator --login op.plain --password-file - >/dev/null 2>&1

api_login "$HOST" op.plain "$PW"
PLAIN=$SESSION PLAIN_CSRF=$CSRF
as "$HOST" GET /api/v1/view
is "$STATUS" 403 "terms not accepted: 403"
check "  the field is terms" json_has field '"terms"'
req GET /view -H "Host: $HOST" -b "$COOKIE=$SESSION"
is "$(header Location)" "/terms" "  a browser goes to /terms"
as "$HOST" GET /api/v1/terms
check "the terms: text and not yet accepted" bash -c "grep -q 'Be nice.' '$BODY' && grep -qE '\"accepted\": *false' '$BODY'"
as "$HOST" POST /api/v1/terms/accept '{}'
is "$STATUS" 200 "accept: 200"
is "$(sql "SELECT COUNT(*) FROM terms_acceptances ta JOIN users u ON u.id = ta.user_id JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = 'it12-$RUN' AND u.login = 'op.plain' AND ta.accepted_at IS NOT NULL AND ta.ip <> ''")" 1 "  stored with time and address"
as "$HOST" GET /api/v1/view
is "$STATUS" 200 "  then the portal opens"
as "$HOST" POST /api/v1/terms/clear '{}'
is "$STATUS" 403 "a plain operator may not clear acceptances"
# operator admins sign in with a one-time code
SECRET=$("$CTL" -c "$INI" user totp --brand "it12-$RUN" --login op.admin | sed -n 's/.*two-factor secret //p')
req_json POST /api/v1/session "{\"login\":\"op.admin\",\"password\":\"$PW\",\"otp\":\"$(oathtool --totp -b "$SECRET")\"}" -H "Host: $HOST"
SESSION=$(set_cookie "$COOKIE")
CSRF=$(json_str csrf_token)
as "$HOST" POST /api/v1/terms/accept '{}'
as "$HOST" POST /api/v1/terms/clear '{}'
is "$STATUS" 200 "an operator admin clears them"
SESSION=$PLAIN CSRF=$PLAIN_CSRF
as "$HOST" GET /api/v1/view
is "$STATUS" 403 "  and the plain operator must accept again, at once"

done_testing
