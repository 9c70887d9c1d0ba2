#!/usr/bin/env bash
# 30_redis_stall.sh -- a revocation binds whatever Redis did meanwhile.
# Every signed-in viewer is cached in Redis first; then Redis is paused
# (SIGSTOP: it accepts connections and answers nothing) and, during the
# stall, one session logs out, another logs out everywhere, a user is
# disabled, a password is changed and an API token is revoked, none of
# which can drop its cached copy. Once Redis resumes, with those copies
# still in it, every old cookie and token is 401 -- and the ones nobody
# revoked still work. Then the same with Redis stopped (a logout while it
# is down binds once it is back). Both outages run under a load of
# signed-in reads and writes, which gets no 5xx (bench/faults: the same
# under 200 connections).
source "$(dirname "$0")/lib.sh"

plan 31

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
NEWPW=Stall-New-Pass-2026
REDIS_PID_FILE=$TP_VAR/run/redis.pid
REDIS_SOCK=$TP_VAR/run/redis.sock
STOPPED=0
# never leave Redis paused for the tests that follow
on_exit() {
	[ "$STOPPED" = 0 ] || kill -CONT "$(tr -dc 0-9 <"$REDIS_PID_FILE")" 2>/dev/null || true
	[ "$REDIS_DOWN" = 0 ] || stack start redis >/dev/null 2>&1 || true
}
REDIS_DOWN=0

new_brand rs
op_login
is "$STATUS" 201 "the brand's operator admin signs in"
as op POST /api/v1/partners '{"name":"Stall Agency","currency":"EUR"}'
P=$(json_num id)
for u in alice bob carol dave erin; do
	printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$P" \
		--login "$u" --password-file - --group partner-staff >/dev/null
done
BOB=$(sql "SELECT id FROM users WHERE tenant_id = $T AND login = 'bob'")

login alice1 alice
login alice2 alice
login erin1 erin
login erin2 erin
login bob bob
login carol1 carol
login carol2 carol
login dave dave # never revoked: the control
TOKEN=$("$CTL" -c "$INI" token add --brand "$SLUG" --login dave --name it24 | sed -n 's/^token [0-9]* for dave: //p')
TOKEN_ID=$(sql "SELECT k.id FROM api_tokens k JOIN users u ON u.id = k.user_id WHERE u.tenant_id = $T AND u.login = 'dave'")
check "a token for dave" test "${#TOKEN}" -eq 43

# me_status NAME: /me with NAME's cookie; token_status: with the token
me_status() { req GET /api/v1/me "${H[@]}" -b "$COOKIE=${SESS[$1]}"; echo "$STATUS"; }
token_status() { req GET /api/v1/me "${H[@]}" -H "Authorization: Bearer $TOKEN"; echo "$STATUS"; }
cached() { # cached PREFIX SECRET: Redis holds the viewer of that cookie or token
	local h
	h=$(printf '%s' "$2" | sha256sum | cut -d' ' -f1)
	[ "$(redis-cli -s "$REDIS_SOCK" exists "$1$h")" = 1 ]
}
ALL="alice1 alice2 erin1 erin2 bob carol1 carol2 dave"
ok_all=1
for s in $ALL; do [ "$(me_status "$s")" = 200 ] || ok_all=0; done
[ "$(token_status)" = 200 ] || ok_all=0
is "$ok_all" 1 "before the stall: every session and the token answer 200"
in_cache=1
for s in $ALL; do cached tp:sess: "${SESS[$s]}" || in_cache=0; done
cached tp:tok: "$TOKEN" || in_cache=0
is "$in_cache" 1 "  and every viewer is cached in Redis"

# dave (never revoked) reads /me over and over, and fixture items are
# written on the test brand, through the stall and what follows it
load_start mix 25 "$COOKIE=${SESS[dave]}" /api/v1/me "$HOST"
sleep 1
REDIS=$(tr -dc 0-9 <"$REDIS_PID_FILE")
kill -STOP "$REDIS"
STOPPED=1
diag "Redis (pid $REDIS) paused"

as alice1 DELETE /api/v1/session
is "$STATUS" 204 "stalled: alice logs out one session"
as erin1 DELETE /api/v1/session/everywhere
is "$STATUS" 204 "stalled: erin logs out everywhere"
as op POST "/api/v1/users/$BOB/disable" '{}'
is "$STATUS" 200 "stalled: the operator disables bob"
as carol1 POST /api/v1/profile/password "{\"current_password\":\"$PW\",\"new_password\":\"$NEWPW\",\"confirm_password\":\"$NEWPW\"}"
is "$STATUS" 200 "stalled: carol changes her password (her other session ends)"
"$CTL" -c "$INI" token revoke --brand "$SLUG" --id "$TOKEN_ID" >/dev/null
is "$(sql "SELECT revoked_at IS NOT NULL FROM api_tokens WHERE id = $TOKEN_ID")" 1 "stalled: dave's token is revoked"
is "$(me_status alice1)" 401 "stalled: alice's logged-out session is refused"

kill -CONT "$REDIS"
STOPPED=0
diag "Redis resumed"
# Some drops may still reach it (a command sent before its timeout sits in
# the socket until Redis reads it); with the breaker open none is sent.
still=0
for s in alice1 erin1 erin2 bob carol2; do cached tp:sess: "${SESS[$s]}" && still=$((still + 1)); done
cached tp:tok: "$TOKEN" && still=$((still + 1))
diag "resumed: Redis still holds $still of the 6 revoked viewers"

# the very next requests, and a few more (each may land on another thread)
twice() { local a b; a=$($1 "${@:2}"); b=$($1 "${@:2}"); echo "$a $b"; }
is "$(twice me_status alice1)" "401 401" "resumed: alice's logged-out session is 401"
is "$(twice me_status erin1)" "401 401" "resumed: erin's session that logged out everywhere is 401"
is "$(twice me_status erin2)" "401 401" "resumed: erin's other session is 401"
is "$(twice me_status bob)" "401 401" "resumed: disabled bob is 401"
is "$(twice me_status carol2)" "401 401" "resumed: carol's other session is 401"
is "$(twice token_status)" "401 401" "resumed: the revoked token is 401"
is "$(twice me_status alice2)" "200 200" "resumed: alice's other session still works"
is "$(twice me_status carol1)" "200 200" "resumed: the session carol changed her password in still works"
is "$(twice me_status dave)" "200 200" "resumed: dave's session (nothing revoked) still works"
# and for longer than a cache breaker or a revocation check lasts
sleep 2
bad=0
for _ in 1 2 3 4 5 6; do
	for s in alice1 erin1 erin2 bob carol2; do [ "$(me_status "$s")" = 401 ] || bad=$((bad + 1)); done
	[ "$(token_status)" = 401 ] || bad=$((bad + 1))
done
is "$bad" 0 "2 s later, 36 more requests with the revoked cookies and token: all 401"
is "$(me_status dave) $(me_status alice2)" "200 200" "  the others still 200"
login carol3 carol partner "$NEWPW"
is "$STATUS" 201 "carol signs in with her new password"
load_stop now
diag "load through the stall: $(load_statuses)"
is "$(load_count '$2 ~ /^5/') $(($(load_count 1) > 0))" "0 1" "the load through the stall got no 5xx"
read -r OKS ROWS DUPS MISSING <<<"$(load_once)"
is "$MISSING $DUPS" "0 0" "  every write that got a 2xx ($OKS) is in the table once"

# Redis stopped: connections refused at once (a stall times out instead).
# The stack's Redis keeps nothing across a restart (save ""), so here the
# session is read afresh from MariaDB: the cold path a restarted cache takes.
login frank1 alice
login frank2 alice
for s in frank1 frank2; do me_status "$s" >/dev/null; done
in_cache=1
for s in frank1 frank2; do cached tp:sess: "${SESS[$s]}" || in_cache=0; done
is "$in_cache" 1 "before the stop: both new sessions of alice are cached"
load_start mix 20 "$COOKIE=${SESS[dave]}" /api/v1/me "$HOST"
sleep 1
stack stop redis >/dev/null
REDIS_DOWN=1
as frank1 DELETE /api/v1/session
is "$STATUS" 204 "Redis stopped: alice logs out one session"
is "$(me_status frank1)" 401 "Redis stopped: that session is refused"
stack start redis >/dev/null
REDIS_DOWN=0
diag "Redis started"
up_again() { [ "$(redis-cli -s "$REDIS_SOCK" ping 2>/dev/null)" = PONG ]; }
check "Redis answers again" wait_until 10 up_again
sleep 2
bad=0
for _ in 1 2 3 4 5 6 7 8 9 10; do [ "$(me_status frank1)" = 401 ] || bad=$((bad + 1)); done
is "$bad" 0 "Redis back: the session logged out while it was down is 401 (10 requests)"
is "$(twice me_status frank2)" "200 200" "  the other one still works"
load_stop now
diag "load through the stop: $(load_statuses)"
is "$(load_count '$2 ~ /^5/') $(($(load_count 1) > 0))" "0 1" "the load through the stop got no 5xx"

done_testing
