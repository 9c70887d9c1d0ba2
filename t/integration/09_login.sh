#!/usr/bin/env bash
# 09_login.sh -- logins and sessions on a copy of the demo brand of its own:
# CSRF on the login form and on every state change, the same answer for a
# wrong password, an unknown login and a locked login, lockout, session
# fixation, logout and logout everywhere, idle and absolute timeouts, a
# session valid for its own brand only, and the plain 404 of an unknown
# host.
source "$(dirname "$0")/lib.sh"
# a copy of the demo brand of its own: no other script signs in to its
# logins, changes them or uses their codes
new_demo it09
DEMO_HOST=$HOST

plan 55

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
rcli() { redis-cli -s "$TP_VAR/run/redis.sock" "$@"; }

H=(-H "Host: $DEMO_HOST")

# login_form: GET /login, leaves PRE (cookie) and FORM_CSRF (field)
login_form() {
	req GET /login "${H[@]}"
	PRE=$(set_cookie tp_pre)
	FORM_CSRF=$(grep -oE 'name="_csrf" value="[^"]*"' "$BODY" | sed -E 's/.*value="([^"]*)"/\1/')
}

# login LOGIN PASSWORD [as]: a full browser login; SESSION gets the cookie
login() {
	login_form
	req POST /login "${H[@]}" -b "tp_pre=$PRE" --data-urlencode "_csrf=$FORM_CSRF" \
		--data-urlencode "login=$1" --data-urlencode "password=$2" \
		--data-urlencode "as=${3:-partner}" --data-urlencode "next=/me"
	SESSION=$(set_cookie "$COOKIE")
}

me() { req GET /api/v1/me "${H[@]}" -b "$COOKIE=$1"; }

# --- the login form and its CSRF
login_form
is "$STATUS" 200 "GET /login: 200"
check "the form carries a CSRF token" test -n "$FORM_CSRF"
is "$PRE" "$FORM_CSRF" "the pre-login cookie matches the form's token"
req POST /login "${H[@]}" --data-urlencode "login=agent.north" --data-urlencode "password=$PW"
is "$STATUS" 403 "POST /login without the CSRF token: 403"
is "$(set_cookie "$COOKIE")" "" "  and no session cookie"

# --- a good login
login agent.north "$PW"
is "$STATUS" 303 "login agent.north: 303"
is "$(header Location)" "/me" "  back to where it was going"
check "  a session cookie of 43 characters" test "${#SESSION}" -eq 43
like "$(grep -i "^set-cookie: $COOKIE=" "$HDRS")" 'HttpOnly' "  HttpOnly"
like "$(grep -i "^set-cookie: $COOKIE=" "$HDRS")" 'SameSite=Lax' "  SameSite=Lax"
me "$SESSION"
is "$STATUS" 200 "/api/v1/me with the session: 200"
check "  it is agent.north" json_has login '"agent.north"'
CSRF=$(json_str csrf_token)
GOOD=$SESSION # login() overwrites SESSION below
req GET /me "${H[@]}"
is "$STATUS" 303 "/me without a session: to the login page"
like "$(header Location)" '^/login\?next=/me' "  with next"
me ""
is "$STATUS" 401 "/api/v1/me without a session: 401"

# --- the same answer for every kind of failure
login agent.north "wrong-Password-1"
FAIL_BODY=$(grep -o 'Wrong login or password.' "$BODY" || true)
is "$STATUS" 401 "wrong password: 401"
is "$FAIL_BODY" "Wrong login or password." "  the one message"
T_WRONG=$TIME
login nobody.here "wrong-Password-1"
is "$STATUS" 401 "unknown login: 401"
is "$(grep -o 'Wrong login or password.' "$BODY" || true)" "Wrong login or password." "  the same message"
T_UNKNOWN=$TIME
# the shape, not a benchmark: an unknown login also costs a hash check
check "unknown login costs a password check too (${T_UNKNOWN}s vs ${T_WRONG}s)" \
	awk "BEGIN { exit !($T_UNKNOWN > 0.3 * $T_WRONG) }"

# --- lockout: staff.north fails max_failures times, then even the right
# password is refused with the same answer
for i in 1 2 3 4 5; do login staff.north "wrong-Password-$i"; done
is "$STATUS" 401 "fifth wrong password: 401"
LOCKED=$(sql "SELECT locked_until > NOW() FROM users WHERE tenant_id = $T AND login = 'staff.north'")
is "$LOCKED" 1 "staff.north is locked"
login staff.north "$PW"
is "$STATUS" 401 "locked: the right password is refused"
is "$(grep -o 'Wrong login or password.' "$BODY" || true)" "Wrong login or password." "  with the same message"
is "$SESSION" "" "  and no session"
sql "UPDATE users SET locked_until = NULL, failed_logins = 0 WHERE tenant_id = $T AND login = 'staff.north'"
AUDIT=$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T AND action IN ('login.failed', 'login.locked', 'login.unknown')")
check "failed logins are in the audit log ($AUDIT)" test "$AUDIT" -ge 7

# --- session fixation: a cookie planted before login is never the session
PLANTED=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
login_form
req POST /login "${H[@]}" -b "tp_pre=$PRE; $COOKIE=$PLANTED" --data-urlencode "_csrf=$FORM_CSRF" \
	--data-urlencode "login=agent.north" --data-urlencode "password=$PW"
NEW=$(set_cookie "$COOKIE")
check "login issues a fresh token, not the planted one" test -n "$NEW" -a "$NEW" != "$PLANTED"
me "$PLANTED"
is "$STATUS" 401 "the planted token is not a session"

# --- CSRF on state changes
req POST /logout "${H[@]}" -b "$COOKIE=$GOOD"
is "$STATUS" 403 "logout without the CSRF token: 403"
me "$GOOD"
is "$STATUS" 200 "  and the session lives on"
req POST /logout "${H[@]}" -b "$COOKIE=$GOOD" --data-urlencode "_csrf=wrong"
is "$STATUS" 403 "logout with a wrong CSRF token: 403"
req POST /logout "${H[@]}" -b "$COOKIE=$GOOD" --data-urlencode "_csrf=$CSRF"
is "$STATUS" 303 "logout with the token: 303"
me "$GOOD"
is "$STATUS" 401 "  then the session is gone"

# --- the JSON API
req_json POST /api/v1/session '{"login":"subagent.city","password":"'"$PW"'"}' "${H[@]}"
is "$STATUS" 201 "API login: 201"
API=$(set_cookie "$COOKIE")
API_CSRF=$(json_str csrf_token)
req_json POST /api/v1/session '{"login":"subagent.city","password":"nope-Nope-1"}' "${H[@]}"
is "$STATUS" 401 "API login, wrong password: 401"
req DELETE /api/v1/session "${H[@]}" -b "$COOKIE=$API" -H 'X-CSRF-Token: wrong'
is "$STATUS" 403 "API logout with a wrong token: 403"
req DELETE /api/v1/session "${H[@]}" -b "$COOKIE=$API" -H "X-CSRF-Token: $API_CSRF"
is "$STATUS" 204 "API logout: 204"

# --- logout everywhere
login agent.south "$PW"
S1=$SESSION
login agent.south "$PW"
S2=$SESSION
me "$S1"
C1=$(json_str csrf_token)
req POST /logout/everywhere "${H[@]}" -b "$COOKIE=$S1" --data-urlencode "_csrf=$C1"
is "$STATUS" 303 "logout everywhere: 303"
me "$S2"
is "$STATUS" 401 "  the other session is gone too"

# --- timeouts (the DB is the truth; drop the cached copy)
login 100001 "$PW" customer
is "$STATUS" 303 "customer login by account number: 303"
me "$SESSION"
is "$STATUS" 200 "  /me 200"
sql "UPDATE sessions SET last_seen_at = NOW() - INTERVAL 3 HOUR WHERE revoked = 0 AND user_id = (SELECT id FROM users WHERE tenant_id = $T AND login = '100001')"
rcli --scan --pattern 'tp:sess:*' | while read -r k; do rcli del "$k" >/dev/null; done
me "$SESSION"
is "$STATUS" 401 "idle too long: 401"
login 100001 "$PW" customer
sql "UPDATE sessions SET expires_at = NOW() - INTERVAL 1 SECOND WHERE revoked = 0 AND user_id = (SELECT id FROM users WHERE tenant_id = $T AND login = '100001')"
rcli --scan --pattern 'tp:sess:*' | while read -r k; do rcli del "$k" >/dev/null; done
me "$SESSION"
is "$STATUS" 401 "past the absolute timeout: 401"

# --- a session is good for its own brand only
login agent.north "$PW"
req GET /api/v1/me -H "Host: 127.0.0.1" -b "$COOKIE=$SESSION"
is "$STATUS" 401 "the demo session on the test brand's host: 401"

# --- two-factor: the operator admin needs a one-time code
TOTP=${TP_DEMO_TOTP_SECRET:?tools/test sets TP_DEMO_TOTP_SECRET}
req_json POST /api/v1/session '{"login":"operator","password":"'"$PW"'"}' "${H[@]}"
is "$STATUS" 401 "operator without a code: 401"
check "  the same message" json_has message '"Wrong login or password."'
req_json POST /api/v1/session '{"login":"operator","password":"'"$PW"'","otp":"000000"}' "${H[@]}"
is "$STATUS" 401 "operator with a wrong code: 401"
CODE=$(oathtool --totp -b "$TOTP")
req_json POST /api/v1/session '{"login":"operator","password":"'"$PW"'","otp":"'"$CODE"'"}' "${H[@]}"
is "$STATUS" 201 "operator with the code: 201"
sql "UPDATE users SET failed_logins = 0 WHERE tenant_id = $T AND login = 'operator'"
CTL=${TP_BUILD:-$TP_SRC/build-san}/tierportctl
printf '%s\n' "$PW" | "$CTL" -c "$TP_VAR/etc/tierport.ini" user add --brand "$SLUG" \
	--kind operator --login op.no2fa --admin --password-file - >/dev/null 2>&1
req_json POST /api/v1/session '{"login":"op.no2fa","password":"'"$PW"'"}' "${H[@]}"
is "$STATUS" 403 "an operator admin without two-factor set up: 403"
check "  told to set it up" json_has field '"otp"'
is "$(set_cookie "$COOKIE")" "" "  and no session"

# --- unknown hosts
req GET /login -H "Host: unknown.example"
is "$STATUS" 404 "unknown host: 404"
is "$(body)" "Not Found" "  a plain one"
like "$(header Content-Type)" '^text/plain' "  text/plain"
req GET /healthz -H "Host: unknown.example" -H 'Accept: application/json'
is "$STATUS" 200 "healthz answers any host"

done_testing
