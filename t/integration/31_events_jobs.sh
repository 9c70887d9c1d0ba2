#!/usr/bin/env bash
# 31_events_jobs.sh -- the module kit through the core alone, with the
# fixture module's event subscription ("fixture." and "account."), job
# (fixture.steps: a checkpoint per step) and commands (fixture emit, fixture
# brand): a module command runs with its brand and exit status; an emitted
# event is delivered once, by the stack's scheduler; a failing handler is
# retried, parked and shown by `tierportctl events`, holds back the later
# events of its account until then, and `events retry` un-parks it; the
# core's lifecycle events are written with the changes; a job killed
# mid-run resumes from its checkpoint, a running job is not run twice, and
# with two more schedulers up a due job still runs once.
source "$(dirname "$0")/lib.sh"

plan 57

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
RUN=$$$RANDOM
new_brand it31off # a brand whose plan lacks the fixture module
SLUG_OFF=$SLUG T_OFF=$T
new_brand it24 fixture
SECRET=$("$CTL" -c "$INI" user totp --brand "$SLUG" --login op | sed -n 's/.*two-factor secret //p')

# run CMD...: output in $OUT, status in $RC
run() { RC=0; OUT=$("$@" 2>&1) || RC=$?; }
ctl() { run "$CTL" -c "$INI" "$@"; }
knob() { sql "REPLACE INTO fixture_knobs (name, value) VALUES ('$1', $2)"; }
delivered() { [ "$(sql "SELECT COUNT(*) FROM fixture_events WHERE event_id = $1")" = 1 ]; }
state_is() { [ "$(sql "SELECT state FROM event_deliveries WHERE module = 'fixture' AND event_id = $1")" = "$2" ]; }
attempts_at_least() { [ "$(sql "SELECT IFNULL(MAX(attempts), 0) FROM event_deliveries WHERE module = 'fixture' AND event_id = $1")" -ge "$2" ]; }
log_rows_at_least() { [ "$(sql "SELECT COUNT(*) FROM fixture_job_log")" -ge "$1" ]; }
runs_above() { [ "$(sql "SELECT runs FROM jobs WHERE module = 'fixture' AND name = 'steps'")" -gt "$1" ]; }
last_event() { sql "SELECT IFNULL(MAX(id), 0) FROM events WHERE tenant_id = $T AND name = '$1'"; }

# ------------------------------------------------------------- commands

ctl help
like "$OUT" 'fixture emit --brand SLUG NAME \[ACCOUNT\]' "help lists the module's commands with their usage"
like "$OUT" 'emit an event for the brand' "  and their help text"
ctl fixture brand --brand "$SLUG" 7
is "$RC" 7 "a module command's exit status is tierportctl's"
like "$OUT" "^brand $T\$" "  it runs with the brand --brand names"
ctl fixture brand
like "$OUT" '^brand 0$' "  without --brand it has none"
ctl fixture brand --brand "no-such-$RUN"
check "  an unknown brand is refused" test "$RC" -ne 0
ctl fixture nosuch
is "$RC" 2 "an unknown module command: exit 2, the module's commands listed"

# data generations per brand and domain, bumped once per transaction
ctl fixture gen --brand "$SLUG" invoices 5
like "$OUT" '^gen 1 2 4$' "tp_gen_bump: once per transaction, not for one rolled back, once per autocommit bump"
ctl fixture gen --brand "$SLUG" usage 1
like "$OUT" '^gen 1 2 4$' "  each domain its own counter"
is "$(sql "SELECT GROUP_CONCAT(CONCAT(domain, '=', gen) ORDER BY domain) FROM data_domain_generations WHERE tenant_id = $T")" "invoices=4,usage=4" "  per brand"

# ------------------------------------------------------------- delivery

ctl fixture emit --brand "$SLUG_OFF" fixture.ping
E_OFF=$(sql "SELECT IFNULL(MAX(id), 0) FROM events WHERE tenant_id = $T_OFF AND name = 'fixture.ping'")
ctl fixture emit --brand "$SLUG" fixture.ping
is "$RC" 0 "a command emits an event for its brand"
E=$(last_event fixture.ping)
check "  the event is a row of the brand" test "$E" -gt 0
check "  the scheduler delivers it to the subscribed handler" wait_until 20 delivered "$E"
# delivery is in id order: by now the scheduler has been past E_OFF
is "$(sql "SELECT COUNT(*) FROM fixture_events WHERE event_id = $E_OFF")" 0 \
	"  the same event of a brand whose plan lacks the module is never handed to it"
is "$(sql "SELECT CONCAT(deliveries, ' ', ctx_tenant_id, ' ', attempt, ' ', who) FROM fixture_events WHERE event_id = $E")" "1 $T 1 command" \
	"  once, on the first attempt, with a context of the event's brand and its payload"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T AND action = 'fixture.event' AND object_id = $E AND user_id IS NULL")" 1 "  tp_audit_log works in the handler's context (the brand's, no user)"
ctl events deliver
is "$RC" 0 "events deliver: a pass by hand"
is "$(sql "SELECT deliveries FROM fixture_events WHERE event_id = $E")" 1 "  a delivered event is not delivered again"

# A gap in the ids (the event of a transaction rolled back) holds the
# cursor back for [events] gap_seconds; more than a batch (500) of events
# no module takes, above it, must not hold back the next one a module does.
sql "BEGIN; INSERT INTO events (tenant_id, name) VALUES ($T, 'fixture.rolled_back'); ROLLBACK"
sql "INSERT INTO events (tenant_id, name) SELECT $T, 'nobody.listens' FROM seq_1_to_600"
ctl fixture emit --brand "$SLUG" fixture.ping
E3=$(last_event fixture.ping)
check "past a gap in the ids and a batch of events no module takes, the next event is delivered" wait_until 20 delivered "$E3"

# A failing handler, and a later event of the same account: written in one
# statement, so one pass sees both.
ACC=$((900000000 + RANDOM))
sql "INSERT INTO events (tenant_id, account_id, name) VALUES ($T, $ACC, 'fixture.fail'), ($T, $ACC, 'fixture.after')"
F=$(last_event fixture.fail)
A2=$(last_event fixture.after)
check "the failing handler is tried" wait_until 20 attempts_at_least "$F" 1
check "  and is waiting for a retry" state_is "$F" waiting
check "  the account's later event waits behind it (in order per account)" test "$(sql "SELECT COUNT(*) FROM fixture_events WHERE event_id = $A2")" = 0
check "  retried with back-off, then parked after max_attempts (3)" wait_until 30 state_is "$F" parked
is "$(sql "SELECT attempts FROM event_deliveries WHERE module = 'fixture' AND event_id = $F")" 3 "  after exactly 3 attempts"
like "$(sql "SELECT last_error FROM event_deliveries WHERE module = 'fixture' AND event_id = $F")" "fixture refuses event $F \\(attempt 3\\)" "  with the handler's own error"
check "  once parked, the account's later event goes through" wait_until 20 delivered "$A2"
ctl events
is "$RC" 0 "tierportctl events: exit 0"
like "$OUT" "^fixture	[0-9]+	[0-9]+	[0-9]+	[1-9][0-9]*	" "  a line per subscriber: cursor, unseen, waiting, parked, age"
like "$OUT" "^$F	fixture	fixture.fail	$SLUG	3	[0-9: -]+	fixture refuses event $F" "  the parked event with its brand, attempts and error"
ctl events retry "$F"
is "$RC" 0 "events retry ID un-parks it"
check "  it is tried again" wait_until 20 attempts_at_least "$F" 1
check "  and, failing still, parked again" wait_until 30 state_is "$F" parked
ctl events retry 999999999
is "$RC" 1 "events retry of an event that is not parked: exit 1"

# ------------------------------------------------------------- lifecycle

login op op partner "$PW" "$(oathtool --totp -b "$SECRET")"
is "$STATUS" 201 "the brand's operator signs in"
UID_OP=$(sql "SELECT id FROM users WHERE tenant_id = $T AND login = 'op'")
is "$(sql "SELECT COUNT(*) FROM events WHERE tenant_id = $T AND name = 'user.signed_in' AND JSON_VALUE(payload, '\$.user_id') = '$UID_OP'")" 1 "  user.signed_in is written with the session"
as op POST /api/v1/partners '{"name":"Alpha","currency":"EUR"}'
P=$(json_num id)
is "$(sql "SELECT COUNT(*) FROM events WHERE tenant_id = $T AND name = 'partner.created' AND partner_id = ${P:-0}")" 1 "partner.created, with the partner's id"
as op POST /api/v1/partners '{"name":"Beta","currency":"EUR"}'
P2=$(json_num id)
as op POST "/api/v1/partners/$P2/accounts" "{\"number\":\"E$RUN\",\"name\":\"Events $RUN\"}"
AC=$(json_num id)
is "$(sql "SELECT COUNT(*) FROM events WHERE tenant_id = $T AND name = 'account.created' AND account_id = ${AC:-0} AND partner_id = $P2")" 1 "account.created, with its account and partner"
AEV=$(sql "SELECT id FROM events WHERE tenant_id = $T AND name = 'account.created' AND account_id = ${AC:-0}")
check "  delivered to the module subscribed to \"account.\"" wait_until 20 delivered "${AEV:-0}"
as op POST "/api/v1/accounts/$AC/status" '{"status":"suspended"}'
is "$(sql "SELECT JSON_VALUE(payload, '\$.to') FROM events WHERE tenant_id = $T AND name = 'account.status_changed' AND account_id = $AC")" suspended "account.status_changed, with the new status"
as op POST "/api/v1/accounts/$AC/status" '{"status":"suspended"}'
is "$(sql "SELECT COUNT(*) FROM events WHERE tenant_id = $T AND name = 'account.status_changed' AND account_id = $AC")" 1 "  none when nothing changed"
as op POST "/api/v1/partners/$P2/move" "{\"parent_id\":$P}"
is "$(sql "SELECT CONCAT(JSON_VALUE(payload, '\$.from'), '>', JSON_VALUE(payload, '\$.to')) FROM events WHERE tenant_id = $T AND name = 'partner.moved' AND partner_id = $P2")" "0>$P" "partner.moved, from and to"
as op POST "/api/v1/partners/$P2/disable" '{}'
as op POST "/api/v1/partners/$P2/enable" '{}'
is "$(sql "SELECT GROUP_CONCAT(name ORDER BY id) FROM events WHERE tenant_id = $T AND name LIKE 'partner.%abled' AND partner_id = $P2")" "partner.disabled,partner.enabled" "partner.disabled and partner.enabled"
as op POST /api/v1/admin/tiers '{"name":"Tin"}'
is "$(sql "SELECT JSON_VALUE(payload, '\$.change') FROM events WHERE tenant_id = $T AND name = 'tier.changed'")" created "tier.changed when a tier is made"

# ------------------------------------------------------------- jobs

ctl jobs
like "$OUT" "fixture.steps	daily 03:00	[0-9]{4}-[0-9-]+ 03:00:00	" "jobs lists the job with its schedule and next due time"
knob steps 5
knob sleep_ms 800
sql "DELETE FROM fixture_job_log"
"$CTL" -c "$INI" job run fixture.steps >"$T_DIR/job1.out" 2>&1 &
JOB=$!
wait_until 20 log_rows_at_least 2 || true
ctl job run fixture.steps
is "$RC" 3 "job run while another run holds the lease: exit 3"
like "$OUT" 'is running \(held by [^ ]+:[0-9]+ until' "  naming the holder"
kill -9 "$JOB" 2>/dev/null || true
wait "$JOB" 2>/dev/null || true
DONE=$(sql "SELECT COUNT(*) FROM fixture_job_log")
check "a run killed mid-way leaves some steps done ($DONE of 5)" test "$DONE" -ge 2 -a "$DONE" -lt 5
is "$(sql "SELECT checkpoint FROM jobs WHERE module = 'fixture' AND name = 'steps'")" "$DONE" "  and its checkpoint, committed with each step"
knob sleep_ms 0
# its lease runs out (4 s): then the job can run again
job_again() { "$CTL" -c "$INI" job run fixture.steps >/dev/null 2>&1; }
check "job run again once the dead run's lease has run out" wait_until 20 job_again
is "$(sql "SELECT CONCAT(COUNT(*), ' ', COUNT(DISTINCT step), ' ', MIN(step), '-', MAX(step)) FROM fixture_job_log")" "5 5 1-5" "  every step ran exactly once"
is "$(sql "SELECT GROUP_CONCAT(DISTINCT resumed_from) FROM fixture_job_log WHERE step > $DONE")" "$((DONE + 1))" "  the new run resumed from the step after its checkpoint"
is "$(sql "SELECT CONCAT(IFNULL(checkpoint, 'none'), ' ', last_status) FROM jobs WHERE module = 'fixture' AND name = 'steps'")" "none ok" "  a finished run clears the checkpoint"

# two more schedulers (the stack's is up too): a due job runs once
knob steps 3
knob sleep_ms 300
sql "DELETE FROM fixture_job_log"
RUNS=$(sql "SELECT runs FROM jobs WHERE module = 'fixture' AND name = 'steps'")
sql "UPDATE jobs SET next_due = NOW() - INTERVAL 1 SECOND WHERE module = 'fixture' AND name = 'steps'"
"$CTL" -c "$INI" scheduler >"$T_DIR/s1.log" 2>&1 &
S1=$!
"$CTL" -c "$INI" scheduler >"$T_DIR/s2.log" 2>&1 &
S2=$!
on_exit() { kill "$S1" "$S2" 2>/dev/null || true; }
check "a due job is run by one of three schedulers" wait_until 30 runs_above "$RUNS"
sleep 3 # time for a second run, were there one
is "$(sql "SELECT runs - $RUNS FROM jobs WHERE module = 'fixture' AND name = 'steps'")" 1 "  once"
is "$(sql "SELECT CONCAT(COUNT(*), ' ', COUNT(DISTINCT step)) FROM fixture_job_log")" "3 3" "  its steps once each"
is "$(sql "SELECT next_due > NOW() AND TIME(next_due) = '03:00:00' FROM jobs WHERE module = 'fixture' AND name = 'steps'")" 1 "  and it is next due at its next 03:00"
kill "$S1" "$S2"
wait "$S1" "$S2" 2>/dev/null || true
like "$(cat "$T_DIR/s1.log")" 'TP1625: scheduler .* stopped' "a scheduler stops on SIGTERM"

done_testing
