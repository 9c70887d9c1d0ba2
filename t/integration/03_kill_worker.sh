#!/usr/bin/env bash
# 03_kill_worker.sh -- kill -9 one worker under load: the master must log the
# death and fork a replacement within a second, and the portal must go on
# answering every request afterwards.
source "$(dirname "$0")/lib.sh"

plan 8

WRK_OUT=$T_DIR/wrk.out
WRK_PID=

on_exit() { [ -z "$WRK_PID" ] || kill "$WRK_PID" 2>/dev/null || true; }

# a child of the master that was not there before the kill
new_worker() {
	local p
	for p in $(worker_pids); do
		grep -qw "$p" <<<"$BEFORE" || return 0
	done
	return 1
}

MASTER=$(master_pid)
BEFORE=$(worker_pids | tr '\n' ' ')
diag "master $MASTER, workers: $BEFORE"
LOG_OFFSET=$(($(stat -c %s "$TP_LOG") + 1))

wrk -t2 -c16 -d6s "$BASE/fixture/hello" >"$WRK_OUT" 2>&1 &
WRK_PID=$!
sleep 2

VICTIM=$(worker_pids | head -n 1)
check "there is a worker to kill" test -n "$VICTIM"
kill -9 "$VICTIM"
diag "killed worker $VICTIM"
check "a new worker within 1 s" wait_until 1 new_worker
check "the killed worker is gone" wait_until 2 bash -c "! kill -0 $VICTIM"

wait "$WRK_PID" || true
WRK_PID=
sed 's/^/#   /' "$WRK_OUT"
like "$(cat "$WRK_OUT")" 'Requests/sec' "wrk ran"

is "$(master_pid)" "$MASTER" "the master is the same process"
is "$(worker_pids | wc -l | tr -d ' ')" "$(wc -w <<<"$BEFORE" | tr -d ' ')" "as many workers as before"
DEATH=$(tail -c +"$LOG_OFFSET" "$TP_LOG" | grep -E "signal 9|killed" || true)
check "the master logged the death" test -n "$DEATH"
[ -z "$DEATH" ] || diag "log: $DEATH"

# 200 sequential requests, each a new curl (a new client connection)
FAILS=0
for ((i = 0; i < 200; i++)); do
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$BASE/fixture/hello" || true)
	[ "$code" = 200 ] || FAILS=$((FAILS + 1))
done
is "$FAILS" 0 "200 sequential requests after the kill all 200"

done_testing
