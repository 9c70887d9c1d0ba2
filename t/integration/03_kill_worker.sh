#!/usr/bin/env bash
# 03_kill_worker.sh -- kill -9 a worker twice under a load of writes: the
# master must log each death and fork a replacement within a second, every
# write that got a 2xx must be in the table exactly once (a write whose
# worker died may have no answer, never two rows), and the portal must go
# on answering every request afterwards. bench/faults does the same for a
# minute under 200 connections.
source "$(dirname "$0")/lib.sh"

plan 10

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

load_start write 8
sleep 2

VICTIM=$(worker_pids | head -n 1)
check "there is a worker to kill" test -n "$VICTIM"
kill -9 "$VICTIM"
diag "killed worker $VICTIM"
check "a new worker within 1 s" wait_until 1 new_worker
check "the killed worker is gone" wait_until 2 bash -c "! kill -0 $VICTIM"
# the other one of the first two, 2 s later (the new one has lived longer
# than the master's 1 s guard against respawning in a loop by then)
sleep 2
BEFORE=$(worker_pids | tr '\n' ' ')
VICTIM2=$(ps -o pid= --sort=start_time --ppid "$MASTER" | head -n 1 | tr -d ' ')
kill -9 "$VICTIM2"
diag "killed worker $VICTIM2"
check "a second kill: a new worker within 1 s" wait_until 1 new_worker

load_stop
[ ! -e "$T_DIR/load/wrk.txt" ] || sed 's/^/#   /' "$T_DIR/load/wrk.txt"
diag "load: $(load_statuses)"
read -r OKS ROWS DUPS MISSING <<<"$(load_once)"
check "the load ran: $OKS writes answered 2xx" test "$OKS" -gt 20
diag "writes answered 2xx: $OKS; rows: $ROWS (a write whose answer died with its worker has a row and no 2xx)"
is "$MISSING $DUPS" "0 0" "every write that got a 2xx is in the table exactly once"

is "$(master_pid)" "$MASTER" "the master is the same process"
is "$(worker_pids | wc -l | tr -d ' ')" "$(wc -w <<<"$BEFORE" | tr -d ' ')" "as many workers as before"
DEATH=$(tail -c +"$LOG_OFFSET" "$TP_LOG" | grep -E "signal 9|killed" || true)
is "$(grep -c . <<<"$DEATH")" 2 "the master logged both deaths"
[ -z "$DEATH" ] || diag "log: $DEATH"

# 200 sequential requests, each a new curl (a new client connection)
FAILS=0
for ((i = 0; i < 200; i++)); do
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$BASE/fixture/hello" || true)
	[ "$code" = 200 ] || FAILS=$((FAILS + 1))
done
is "$FAILS" 0 "200 sequential requests after the kill all 200"

done_testing
