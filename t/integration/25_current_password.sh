#!/usr/bin/env bash
# 25_current_password.sh -- a stolen session (or API token) cannot guess the
# current password through /profile/password or /profile/security-code:
# wrong current passwords count per user like wrong sign-ins, the
# max_failures-th locks the login for lock_seconds (sign-in refused too),
# a locked login is refused there even with the right password, and the
# right one resets the count as a sign-in does.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"

plan 16

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
MAX=$({ sed -n 's/^max_failures = //p' "$INI" || true; } | head -n 1)
MAX=${MAX:-5}
NEWPW=Guess-New-Pass-2026

new_brand cp
op_login
as op POST /api/v1/partners '{"name":"Guess Agency","currency":"EUR"}'
P=$(json_num id)
for u in gina hank; do
	printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$P" \
		--login "$u" --password-file - --group partner-staff >/dev/null
done
failed() { sql "SELECT failed_logins FROM users WHERE tenant_id = $T AND login = '$1'"; }
locked() { sql "SELECT IFNULL(locked_until > NOW(), 0) FROM users WHERE tenant_id = $T AND login = '$1'"; }
hash_of() { sql "SELECT password_hash FROM users WHERE tenant_id = $T AND login = '$1'"; }

# --- the password change: MAX - 1 wrong guesses, then the right one resets
login gina gina
chpw() { as gina POST /api/v1/profile/password "{\"current_password\":\"$1\",\"new_password\":\"$NEWPW\",\"confirm_password\":\"$NEWPW\"}"; }
chpw wrong-1
is "$STATUS $(json_str field)" "400 current_password" "a wrong current password: 400 on current_password"
is "$(failed gina)" 1 "  counted as a failed sign-in"
for ((i = 2; i < MAX; i++)); do chpw "wrong-$i"; done
is "$(failed gina)" "$((MAX - 1))" "$((MAX - 1)) wrong guesses: $((MAX - 1)) failures, not locked yet"
as gina POST /api/v1/profile/security-code "{\"security_code\":\"48219034\",\"current_password\":\"$PW\"}"
is "$STATUS" 200 "the right current password (security code) works"
is "$(failed gina)" 0 "  and resets the count, as a sign-in does"

# --- MAX wrong guesses lock the login
H0=$(hash_of gina)
for ((i = 1; i <= MAX; i++)); do chpw "wrong-again-$i"; done
is "$(locked gina)" 1 "$MAX wrong current passwords lock the login"
chpw "$PW"
is "$STATUS" 403 "locked: the right current password is refused too (403)"
check "  naming current_password" json_has field '"current_password"'
is "$(hash_of gina)" "$H0" "  the password is unchanged"
as gina POST /api/v1/profile/security-code/remove "{\"current_password\":\"$PW\"}"
is "$STATUS" 403 "locked: removing the security code is refused"
req_json POST /api/v1/session "{\"login\":\"gina\",\"password\":\"$PW\"}" "${H[@]}"
is "$STATUS" 401 "locked: signing in with the right password is refused"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T AND action = 'password.change.failed'")" "$((2 * MAX - 1))" \
	"every wrong guess is in the audit log"

# --- a login locked by wrong sign-ins is refused here too
login hank hank
for ((i = 1; i <= MAX; i++)); do
	req_json POST /api/v1/session "{\"login\":\"hank\",\"password\":\"wrong-$i\"}" "${H[@]}"
done
is "$(locked hank)" 1 "hank is locked by $MAX wrong sign-ins"
H1=$(hash_of hank)
as hank POST /api/v1/profile/password "{\"current_password\":\"$PW\",\"new_password\":\"$NEWPW\",\"confirm_password\":\"$NEWPW\"}"
is "$STATUS" 403 "  his session cannot change the password with the right one"
is "$(hash_of hank)" "$H1" "  unchanged"
as hank POST /api/v1/profile/security-code "{\"security_code\":\"48219034\",\"current_password\":\"$PW\"}"
is "$STATUS" 403 "  nor set a security code"

done_testing
