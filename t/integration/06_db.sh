#!/usr/bin/env bash
# 06_db.sh -- MariaDB is the truth, and its connections come and go: after
# the server kills every tierport connection the next reads reconnect and
# retry once (no error reaches the client); with MariaDB stopped answers are
# 503s with Retry-After (never a 500, a hang or a crash) and /healthz says
# db down; once it is back, everything answers again without restarting
# tierportd.
source "$(dirname "$0")/lib.sh"

plan 21

MY_SOCK=$TP_VAR/run/mysqld.sock
DB_STOPPED=0
on_exit() { [ "$DB_STOPPED" = 0 ] || stack start mariadb >/dev/null 2>&1 || true; }

# as the OS user, who owns the private server (unix_socket auth)
admin_sql() { mariadb --socket="$MY_SOCK" -u "$(id -un)" -N -B -e "$1"; }

kill_app_connections() {
	local id n=0
	for id in $(admin_sql "SELECT id FROM information_schema.processlist WHERE user = 'tierport'"); do
		admin_sql "KILL CONNECTION $id" 2>/dev/null && n=$((n + 1))
	done
	echo "$n"
}

all_items_ok() { # all_items_ok N: N reads in a row, each 200
	local i
	for ((i = 0; i < $1; i++)); do
		req GET /api/v1/fixture/items/1
		[ "$STATUS" = 200 ] || { diag "read $i: $STATUS $(body)"; return 1; }
	done
}

WORKERS=$(worker_pids | tr '\n' ' ')
LOG_OFFSET=$(($(stat -c %s "$TP_LOG") + 1))

# warm every thread's connection, then have the server drop them all
for _ in $(seq 1 40); do req GET /api/v1/fixture/items/1; done
KILLED=$(kill_app_connections)
check "the server killed tierport's connections ($KILLED)" test "$KILLED" -gt 0
# a write first: its transaction begins on a dead connection
req_json POST /api/v1/fixture/items '{"label":"06-after-kill"}'
is "$STATUS" 201 "a write right after the kill: 201 (the begin reconnects)"
ID=$(json_num id)
check "60 reads after the kill all answer 200 (reconnect + retry)" all_items_ok 60
RETRIES=$(tail -c +"$LOG_OFFSET" "$TP_LOG" | grep -cE 'TP010[16]' || true)
check "the reconnects were logged (TP0101/TP0106 x $RETRIES)" test "$RETRIES" -gt 0
req GET "/api/v1/fixture/items/$ID"
check "the write is there, once" json_has label '"06-after-kill"'

# MariaDB down: a backend outage is 503 with Retry-After (never 500), fast
# reads keep coming from a client loop through the whole outage
LOAD=$T_DIR/load.txt
: >"$T_DIR/load.on"
(while [ -e "$T_DIR/load.on" ]; do
	curl -s -o /dev/null -w '%{http_code}\n' --max-time 5 "$BASE/api/v1/fixture/items/1" >>"$LOAD" || true
done) &
LOADER=$!
sleep 0.3
stack stop mariadb >/dev/null
DB_STOPPED=1
req GET /api/v1/fixture/items/1 -H 'Accept: application/json'
is "$STATUS" 503 "read with MariaDB down: 503"
check "read with MariaDB down: a JSON unavailable error" json_has code '"unavailable"'
like "$(header Retry-After)" '^[0-9]+$' "read with MariaDB down: Retry-After"
check "read with MariaDB down: answered within 5 s ($TIME s)" awk "BEGIN { exit !($TIME < 5) }"
req GET /fixture/items/1 -H 'Accept: text/html'
is "$STATUS" 503 "the page with MariaDB down: 503"
like "$(header Retry-After)" '^[0-9]+$' "  with Retry-After"
req_json POST /api/v1/fixture/items '{"label":"06-while-down"}'
is "$STATUS" 503 "a write with MariaDB down: 503"
is "$(healthz_status)" 503 "healthz with MariaDB down: 503"
check "healthz with MariaDB down: db down" json_has db '"down"'

stack start mariadb >/dev/null
DB_STOPPED=0
healthy() { [ "$(healthz_status)" = 200 ]; }
check "healthz 200 again once MariaDB is back" wait_until 20 healthy
check "reads answer 200 again without a restart" wait_until 20 all_items_ok 20
req GET /fixture/items/1 -H 'Accept: text/html'
is "$STATUS" 200 "the page answers 200 again"
sleep 0.3
rm -f "$T_DIR/load.on"
wait "$LOADER" || true
diag "reads during the outage: $(sort "$LOAD" | uniq -c | tr '\n' ' ')"
is "$(grep -cvE '^(200|503)$' "$LOAD" || true)" 0 "reads through stop and start: only 200s and 503s"
check "  some were 503s" grep -q '^503$' "$LOAD"
is "$(worker_pids | tr '\n' ' ')" "$WORKERS" "no worker died or restarted"
crashes=$(tail -c +"$LOG_OFFSET" "$TP_LOG" | grep -c 'killed by signal' || true)
is "$crashes" 0 "no worker was killed by a signal"

done_testing
