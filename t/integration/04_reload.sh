#!/usr/bin/env bash
# 04_reload.sh -- two SIGHUP reloads under load: wrk must see no error and no
# non-2xx answer, slow requests in flight must complete, and afterwards every
# worker must be a new process and /healthz 200.
source "$(dirname "$0")/lib.sh"

plan 12

WRK_OUT=$T_DIR/wrk.out
WRK_PID=
SLOW_PIDS=()

on_exit() {
	[ -z "$WRK_PID" ] || kill "$WRK_PID" 2>/dev/null || true
	local p
	for p in "${SLOW_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
}

# slow N: a 1.5 s request in the background; its status goes to $T_DIR/slow.N
slow() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 20 \
		"$BASE/api/v1/fixture/slow?ms=1500" >"$T_DIR/slow.$1" 2>/dev/null &
	SLOW_PIDS+=($!)
}

no_old_worker_left() {
	local p
	for p in $BEFORE; do
		kill -0 "$p" 2>/dev/null && return 1
	done
	return 0
}

MASTER=$(master_pid)
BEFORE=$(worker_pids | tr '\n' ' ')
NWORKERS=$(wc -w <<<"$BEFORE" | tr -d ' ')
diag "master $MASTER, workers: $BEFORE"
LOG_OFFSET=$(($(stat -c %s "$TP_LOG") + 1))

wrk -t2 -c16 -d8s --latency "$BASE/fixture/hello" >"$WRK_OUT" 2>&1 &
WRK_PID=$!
sleep 1.5

for n in 1 2 3 4; do slow "$n"; done
sleep 0.3
diag "SIGHUP 1"
kill -HUP "$MASTER"
sleep 3
for n in 5 6 7 8; do slow "$n"; done
sleep 0.3
diag "SIGHUP 2"
kill -HUP "$MASTER"

wait "$WRK_PID" || true
WRK_PID=
for p in "${SLOW_PIDS[@]}"; do wait "$p" || true; done
SLOW_PIDS=()
sed 's/^/#   /' "$WRK_OUT"

WRK=$(cat "$WRK_OUT")
like "$WRK" 'Requests/sec' "wrk ran"
unlike "$WRK" 'Non-2xx' "wrk: no non-2xx responses"
unlike "$WRK" 'Socket errors' "wrk: no socket errors"
SLOW_OK=0
for n in 1 2 3 4 5 6 7 8; do
	[ "$(cat "$T_DIR/slow.$n" 2>/dev/null)" = 200 ] && SLOW_OK=$((SLOW_OK + 1))
done
is "$SLOW_OK" 8 "the 8 slow requests around the reloads all returned 200"

is "$(master_pid)" "$MASTER" "the master is the same process"
# old workers drain (up to drain_timeout); the new ones are already serving
check "the old workers exited" wait_until 20 no_old_worker_left
AFTER=$(worker_pids | tr '\n' ' ')
diag "workers now: $AFTER"
check "workers are running" test -n "$AFTER"
COMMON=0
for p in $AFTER; do grep -qw "$p" <<<"$BEFORE" && COMMON=$((COMMON + 1)); done
is "$COMMON" 0 "every worker is new"
is "$(wc -w <<<"$AFTER" | tr -d ' ')" "$NWORKERS" "as many workers as before"
RELOADS=$(tail -c +"$LOG_OFFSET" "$TP_LOG" | grep -ciE 'reload|SIGHUP' || true)
check "the master logged the reloads" test "$RELOADS" -ge 2
is "$(healthz_status)" 200 "healthz 200 after the reloads"
check "healthz: db ok" json_has db '"ok"'

done_testing
