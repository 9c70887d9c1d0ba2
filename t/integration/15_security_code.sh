#!/usr/bin/env bash
# 15_security_code.sh -- the profile's security code: set, change and remove
# with the current password (a wrong one, a bad code or a CSRF-less form
# store nothing), only its argon2id hash stored, never shown back or
# audited; the profile says whether one is set and since when. A password
# reset by e-mail then asks for it: a missing or wrong code changes nothing
# and counts towards the login's lockout, a locked login tries no code, the
# right code resets; once removed, the link alone does. A customer login of
# this run's own (sc-$$, demo account 100003), disabled at the end.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"
# a copy of the demo brand of its own: no other script signs in to its
# logins, changes them or uses their codes
new_demo it15
DEMO_HOST=$HOST

plan 60

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
CTL=${TP_BUILD:-$TP_SRC/build-san}/tierportctl
INI=$TP_VAR/etc/tierport.ini
sql_raw() { mariadb --socket="$TP_VAR/run/mysqld.sock" -u "$(id -un)" -N -B -r tierport -e "$1"; }

RUN=$$
LOGIN=sc-$RUN
ADDR=sc.$RUN@example.com
CODE1=Kx7p2Q
CODE2=gardenGate42

# login PASSWORD: SESSION and CSRF of a JSON login of $LOGIN
login() {
	req_json POST /api/v1/session "{\"login\":\"$LOGIN\",\"password\":\"$1\",\"as\":\"customer\"}" -H "Host: $DEMO_HOST"
	SESSION=$(set_cookie "$COOKIE")
	CSRF=$(json_str csrf_token)
}
# as METHOD PATH [JSON]: with the session and its token
as() {
	if [ $# -ge 3 ]; then
		req_json "$1" "$2" "$3" -H "Host: $DEMO_HOST" -b "$COOKIE=$SESSION" -H "X-CSRF-Token: $CSRF"
	else
		req "$1" "$2" -H "Host: $DEMO_HOST" -b "$COOKIE=$SESSION" -H 'Accept: application/json'
	fi
}
set_code() { as POST /api/v1/profile/security-code "{\"current_password\":\"$1\",\"security_code\":\"$2\"}"; }
forgot() {
	req_json POST /api/v1/password/forgot "{\"login\":\"$LOGIN\",\"as\":\"customer\"}" -H "Host: $DEMO_HOST"
	TOKEN=$(sql_raw "SELECT body FROM mail_outbox WHERE to_addr = '$ADDR' ORDER BY id DESC LIMIT 1" |
		grep -oE 'token=[A-Za-z0-9_-]+' | head -n 1 | cut -d= -f2)
}
# reset PASSWORD [CODE]: the API reset with $TOKEN
reset() {
	req_json POST /api/v1/password/reset "{\"token\":\"$TOKEN\",\"new_password\":\"$1\"${2+,\"security_code\":\"$2\"}}" -H "Host: $DEMO_HOST"
}
code_hash() { sql "SELECT IFNULL(security_code_hash, '-') FROM users WHERE id = $UID_"; }
pw_hash() { sql "SELECT password_hash FROM users WHERE id = $UID_"; }
audits() { sql "SELECT COUNT(*) FROM audit_log WHERE id > $A0 AND user_id = $UID_ AND action = '$1'"; }

printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind customer --account 100003 \
	--login "$LOGIN" --email "$ADDR" --group customer --password-file - >/dev/null 2>&1
UID_=$(sql "SELECT u.id FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = '$SLUG' AND u.kind = 'customer' AND u.login = '$LOGIN'")
[ -n "$UID_" ] || { echo "Bail out! tierportctl user add made no $LOGIN"; exit 1; }
on_exit() { sql "UPDATE users SET status = 'disabled' WHERE id = $UID_" || true; }
A0=$(sql "SELECT IFNULL(MAX(id), 0) FROM audit_log")

# --- set, change (API)
login "$PW"
as GET /api/v1/profile
check "the profile: no security code yet" json_has security_code_set false
set_code wrong-Wrong-1 "$CODE1"
is "$STATUS" 400 "set with a wrong password: 400"
check "  names current_password" json_has field '"current_password"'
is "$(code_hash)" - "  nothing stored"
is "$(audits security_code.failed)" 1 "  audited as failed"
for bad in 12ab5 123456 000000 abc-1234 1234567890123 ''; do
	set_code "$PW" "$bad"
	if [ "$STATUS" = 400 ] && json_has field '"security_code"'; then ok "a bad code '$bad': 400 naming security_code"; else
		not_ok "a bad code '$bad': 400 naming security_code"
		diag "  got $STATUS $(head -c 200 "$BODY")"
	fi
done
as POST /api/v1/profile/security-code "{\"current_password\":\"$PW\",\"security_code\":\"$CODE1\",\"confirm_security_code\":\"${CODE1}x\"}"
check "a mismatched confirmation: 400 naming confirm_security_code" json_has field '"confirm_security_code"'
is "$(code_hash)" - "  nothing stored"
as POST /api/v1/profile/security-code "{\"current_password\":\"$PW\",\"security_code\":\"$CODE1\",\"confirm_security_code\":\"$CODE1\"}"
is "$STATUS" 200 "set with the password: 200"
H1=$(code_hash)
like "$H1" '^\$argon2id\$' "  stored as an argon2id hash"
is "$(sql "SELECT security_code_set_at > NOW() - INTERVAL 1 MINUTE FROM users WHERE id = $UID_")" 1 "  with the time it was set"
is "$(audits security_code.set)" 1 "  audited"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE id > $A0 AND (detail LIKE '%$CODE1%' OR detail LIKE '%argon2%')")" 0 "  no audit line holds the code or its hash"
as GET /api/v1/profile
check "the profile says it is set" json_has security_code_set true
check "  and since when" json_has security_code_set_at '"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"'
check "  never the code or its hash" bash -c "! grep -qE '$CODE1|argon2' '$BODY'"
req GET /profile -H "Host: $DEMO_HOST" -b "$COOKIE=$SESSION"
check "the profile page: set, with a form to change and one to remove it" \
	bash -c "grep -q 'A security code is set' '$BODY' && grep -q 'Change the code' '$BODY' && grep -q 'action=\"/profile/security-code/remove\"' '$BODY'"
set_code "$PW" "$CODE2"
is "$STATUS" 200 "change to another code: 200"
H2=$(code_hash)
check "  a new hash" test "$H2" != "$H1" -a "$H2" != -
is "$(audits security_code.change)" 1 "  audited as a change"

# --- set (HTML form)
req POST /profile/security-code -H "Host: $DEMO_HOST" -b "$COOKIE=$SESSION" \
	--data-urlencode "current_password=$PW" --data-urlencode "security_code=$CODE1"
is "$STATUS" 403 "the HTML form without its CSRF token: 403"
req POST /profile/security-code -H "Host: $DEMO_HOST" -b "$COOKIE=$SESSION" --data-urlencode "_csrf=$CSRF" \
	--data-urlencode "current_password=$PW" --data-urlencode "security_code=123456" --data-urlencode "confirm_security_code=123456"
is "$STATUS" 400 "the HTML form with a bad code: 400"
check "  the page again with the message" bash -c "grep -q 'straight run' '$BODY' && grep -q 'action=\"/profile/security-code\"' '$BODY'"
is "$(code_hash)" "$H2" "  the code is unchanged"

# --- the reset by e-mail asks for it
forgot
check "forgot: a link" test -n "$TOKEN"
req_json POST /api/v1/password/reset/check "{\"token\":\"$TOKEN\"}" -H "Host: $DEMO_HOST"
check "the link (API): valid, a security code needed" bash -c "grep -qE '\"valid\": *true' '$BODY' && grep -qE '\"security_code\": *true' '$BODY'"
req GET "/password/reset?token=$TOKEN" -H "Host: $DEMO_HOST"
check "the link's form asks for the code" grep -q 'name="security_code"' "$BODY"
PRE=$(set_cookie tp_pre)
PW_BEFORE=$(pw_hash)
NEWPW="Code-Reset-Pass-$RUN"
reset "$NEWPW"
is "$STATUS" 400 "a reset without the code: 400"
check "  names security_code" json_has field '"security_code"'
reset "$NEWPW" "$CODE1"
is "$STATUS" 400 "a reset with the old (wrong) code: 400"
check "  names security_code" json_has field '"security_code"'
is "$(pw_hash)" "$PW_BEFORE" "  the password is unchanged"
is "$(sql "SELECT COUNT(*) FROM password_resets WHERE user_id = $UID_ AND used_at IS NULL")" 1 "  the link still works"
is "$(sql "SELECT failed_logins FROM users WHERE id = $UID_")" 2 "  both count as failed attempts"
is "$(audits password.reset.bad_code)" 2 "  audited"
req POST /password/reset -H "Host: $DEMO_HOST" -b "tp_pre=$PRE" --data-urlencode "_csrf=$PRE" --data-urlencode "token=$TOKEN" \
	--data-urlencode "new_password=$NEWPW" --data-urlencode "confirm_password=$NEWPW" --data-urlencode "security_code=wrong1"
is "$STATUS" 400 "the HTML form with a wrong code: 400"
check "  the same form again, with the message" \
	bash -c "grep -q 'The security code is wrong' '$BODY' && grep -q 'name=\"security_code\"' '$BODY' && grep -q 'name=\"token\" value=\"$TOKEN\"' '$BODY'"
# two more wrong ones: the fifth failure locks the login
reset "$NEWPW" wrong2
reset "$NEWPW" wrong3
is "$(sql "SELECT locked_until > NOW() FROM users WHERE id = $UID_")" 1 "the fifth wrong code locks the login"
login "$PW"
is "$STATUS" 401 "  signing in is refused while locked"
reset "$NEWPW" "$CODE2"
is "$STATUS" 403 "  and the right code is not tried: 403"
check "  naming security_code" json_has field '"security_code"'
is "$(pw_hash)" "$PW_BEFORE" "  the password is unchanged"
# the lock runs out
sql "UPDATE users SET locked_until = NOW() - INTERVAL 1 SECOND WHERE id = $UID_"
reset "$NEWPW" "$CODE2"
is "$STATUS" 200 "after the lock, the right code resets: 200"
is "$(sql "SELECT CONCAT(failed_logins, '|', IFNULL(locked_until, '-')) FROM users WHERE id = $UID_")" "0|-" "  the failures cleared"
is "$(code_hash)" "$H2" "  the code stays"
login "$NEWPW"
is "$STATUS" 201 "  the new password works"

# --- remove
as POST /api/v1/profile/security-code/remove '{"current_password":"wrong-Wrong-1"}'
is "$STATUS" 400 "remove with a wrong password: 400"
is "$(code_hash)" "$H2" "  still set"
as POST /api/v1/profile/security-code/remove "{\"current_password\":\"$NEWPW\"}"
is "$STATUS" 200 "remove with the password: 200"
is "$(sql "SELECT CONCAT(IFNULL(security_code_hash, '-'), '|', IFNULL(security_code_set_at, '-')) FROM users WHERE id = $UID_")" "-|-" "  hash and time gone"
is "$(audits security_code.remove)" 1 "  audited"
as GET /api/v1/profile
check "  the profile says none is set" json_has security_code_set false
forgot
req_json POST /api/v1/password/reset/check "{\"token\":\"$TOKEN\"}" -H "Host: $DEMO_HOST"
check "a new link needs no code" json_has security_code false
reset "$PW"
is "$STATUS" 200 "  the reset goes through without one"
login "$PW"
is "$STATUS" 201 "  the password is back"

done_testing
