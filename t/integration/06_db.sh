#!/usr/bin/env bash
# 06_db.sh -- MariaDB is the truth, and its connections come and go: after
# the server kills every tierport connection the next reads reconnect and
# retry once (no error reaches the client); with MariaDB stopped answers are
# 503s with Retry-After (never a 500, a hang or a crash) and /healthz says
# db down; once it is back, everything answers again without restarting
# tierportd. Through the stop and start a load of reads and writes runs:
# only 2xx and 503 while MariaDB is away, only 2xx once it is back, and
# every write that got a 2xx is in the table once (bench/faults: the same
# under 200 connections).
source "$(dirname "$0")/lib.sh"

plan 23

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

# MariaDB down: a backend outage is 503 with Retry-After (never 500); reads
# and writes keep coming from a load through the whole outage
load_start mix 30 "" "/api/v1/fixture/items/$ID"
sleep 1
T_STOP=$(date +%s%3N)
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
T_BACK=$(date +%s%3N)
healthy() { [ "$(healthz_status)" = 200 ]; }
check "healthz 200 again once MariaDB is back" wait_until 20 healthy
check "reads answer 200 again without a restart" wait_until 20 all_items_ok 20
req GET /fixture/items/1 -H 'Accept: text/html'
is "$STATUS" 200 "the page answers 200 again"
# the load goes on for 3 s more once MariaDB is back
sleep 3
load_stop now
diag "load before the stop: $(load_statuses 0 "$T_STOP")"
diag "load while MariaDB was away: $(load_statuses "$T_STOP" "$T_BACK")"
diag "load once it was back: $(load_statuses "$T_BACK")"
is "$(load_count '$2 !~ /^(2..|503)$/')" 0 "reads and writes through stop and start: only 2xx and 503"
check "  some were 503s" test "$(load_count '$2 == 503')" -gt 0
is "$(load_count '$2 !~ /^2/' "$T_BACK") $(($(load_count 1 "$T_BACK") > 0))" "0 1" "once MariaDB was back: only 2xx"
read -r OKS ROWS DUPS MISSING <<<"$(load_once)"
is "$MISSING $DUPS" "0 0" "every write that got a 2xx ($OKS) is in the table once"
is "$(worker_pids | tr '\n' ' ')" "$WORKERS" "no worker died or restarted"
crashes=$(tail -c +"$LOG_OFFSET" "$TP_LOG" | grep -c 'killed by signal' || true)
is "$crashes" 0 "no worker was killed by a signal"

done_testing
