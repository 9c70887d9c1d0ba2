#!/usr/bin/env bash
# modules/commissions/t/approve.sh -- operators' decisions on commission
# lines (POST /commissions/lines/decision) on a brand of its own: lines
# from a real run, approved in bulk with a note, held with a reason,
# declined (its posting reversed: the partner's payable and the ledger
# move back, commission.reversed); all or nothing -- a line of another
# brand or of no one a 404, a line still in its hold a 400 naming lines,
# a hold or decline without a note a 400 naming note, nothing changed by
# any of them; a double submit changes nothing; a partner may not decide.
# done_testing runs `tierportctl ledger check`.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 16

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand cap commissions invoices
source "$(dirname "$0")/lib.bash"
at() { echo $(($(date -ud "$1 12:00" +%s) - $(date -u +%s))) >"$T_DIR/clock"; }
ctl() { "$CTL" -c "$CINI" "$@" 2>>"$T_DIR/ctl.log"; }
decide() { by OP POST /api/v1/commissions/lines/decision "$1"; }
st() { sql "SELECT GROUP_CONCAT(CONCAT(id, ':', status) ORDER BY id) FROM commission_lines WHERE tenant_id = $T"; }
pbal() { sql "SELECT balance FROM partners WHERE id = $1"; }
lhash() { "$CTL" -c "$INI" ledger hash --brand "$SLUG"; }

# A sells two lines' activations (nrc 10.00 fixed each) on 1 Oct and one on
# 25 Nov; the November run (on 1 Dec, a 30-day hold) makes the first two
# approvable and the third pending.
by OP POST /api/v1/partners '{"name":"Agent A","currency":"EUR"}'
A=$(json_num id)
by OP POST /api/v1/products '{"name":"Line","product_type":"voip-line","currency":"EUR","periodic_charge":"10","one_time_charge":"5"}'
PR=$(json_num id)
by OP POST "/api/v1/partners/$A/accounts" '{"number":"AP-1","name":"AP-1","currency":"EUR"}'
X=$(json_num id)
for d in 2026-10-01 2026-10-01 2026-11-25; do
	by OP POST "/api/v1/accounts/$X/services" "{\"product_id\":\"$PR\",\"phone_number\":\"+4930$RANDOM$RANDOM\",\"start_date\":\"$d\",\"status\":\"active\"}"
done
by OP POST /api/v1/commissions/plans '{"name":"Agents","currency":"EUR"}'
P=$(json_num id)
by OP POST "/api/v1/commissions/plans/$P/rules" '{"kind":"nrc","calc":"fixed","amount":"10","valid_from":"2026-01-01"}'
by OP POST /api/v1/commissions/assignments "{\"partner\":\"$A\",\"plan\":\"$P\"}"
at 2026-12-01
ctl commissions run --brand "$SLUG" --period 2026-11 >/dev/null
read -r L1 L2 L3 <<<"$(sql "SELECT GROUP_CONCAT(id ORDER BY id SEPARATOR ' ') FROM commission_lines WHERE tenant_id = $T")"
is "$(st)|$(pbal "$A")" "$L1:approvable,$L2:approvable,$L3:pending|-300000" "three lines of 10.00 (A is owed 30.00): two approvable, one in its hold"

S0=$(st) H0=$(lhash)
OTHER=$(sql "SELECT id FROM commission_lines WHERE tenant_id <> $T LIMIT 1")
decide "{\"action\":\"approve\",\"lines\":[$L1,${OTHER:-999999998}]}"
is "$STATUS|$(st)" "404|$S0" "a line of another brand among them: 404, nothing changed"
decide "{\"action\":\"approve\",\"lines\":[$L1,999999999]}"
is "$STATUS|$(st)" "404|$S0" "a line of no one: the same 404"
decide "{\"action\":\"approve\",\"lines\":[$L1,$L3]}"
is "$STATUS|$(json_str field)|$(st)" "400|lines|$S0" "a line still in its hold: 400 naming lines, nothing changed"
like "$(json_str message)" "Line $L3 is pending: it is in its hold until 2026-12-25" "  the message says which and until when"
decide "{\"action\":\"hold\",\"lines\":[$L1]}"
is "$STATUS|$(json_str field)|$(st)" "400|note|$S0" "a hold without a reason: 400 naming note"
decide '{"action":"pay","lines":[1]}'
is "$STATUS|$(json_str field)" "400|action" "an unknown decision: 400 naming action"
decide '{"action":"approve","lines":["x"]}'
is "$STATUS|$(json_str field)" "400|lines" "a line that is no id: 400 naming lines"
is "$(lhash)" "$H0" "  the ledger did not move"

decide "{\"action\":\"approve\",\"note\":\"November checked\",\"lines\":[$L1,$L2]}"
is "$STATUS|$(json_str changed)$(json_num changed)|$(st)" "200|2|$L1:approved,$L2:approved,$L3:pending" "two lines approved in bulk"
is "$(sql "SELECT CONCAT_WS('|', status_note, status_by IS NOT NULL, status_at IS NOT NULL) FROM commission_lines WHERE id = $L1")" "November checked|1|1" "  with the note, who and when"
decide "{\"action\":\"approve\",\"note\":\"November checked\",\"lines\":[$L1,$L2]}"
is "$STATUS|$(json_num changed)|$(st)" "200|0|$L1:approved,$L2:approved,$L3:pending" "the same again (a double submit): nothing changes"

decide "{\"action\":\"decline\",\"note\":\"duplicate activation\",\"lines\":[$L2]}"
is "$STATUS|$(st)|$(pbal "$A")" "200|$L1:approved,$L2:declined,$L3:pending|-200000" "an approved line declined: A is owed 20.00 again"
is "$(sql "SELECT GROUP_CONCAT(CONCAT(l.code, ':', e.amount) ORDER BY e.amount) FROM ledger_entries e JOIN ledger_accounts l ON l.id = e.ledger_account_id JOIN ledger_txns t ON t.id = e.txn_id WHERE t.tenant_id = $T AND t.idem_key = 'commission.decline:$L2'")" \
	"commission.expense:-100000,partner.payable:100000" "  its posting reversed: Dr partner.payable 10.00 / Cr commission.expense"
is "$(sql "SELECT COUNT(*) FROM events WHERE tenant_id = $T AND name = 'commission.reversed' AND partner_id = $A")" 1 "  commission.reversed for A"

printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$A" --login a.admin --password-file - --admin --group partner-admin >/dev/null
AA=$(token a.admin partner)
by AA POST /api/v1/commissions/lines/decision "{\"action\":\"approve\",\"lines\":[$L1]}"
is "$STATUS" 404 "a partner cannot decide on lines (the operators' route: 404)"

done_testing
