#!/usr/bin/env bash
# modules/commissions/t/chargeback.sh -- what a run takes back, never by
# editing a line: a service disconnected within its nrc rule's
# chargeback_days (a negative line per level), a payment refunded in full
# inside the hold (its lines cancelled, their postings reversed) and one
# refunded in part after the hold (negative lines in proportion, per
# level). Dates are relative to today: refunds and disconnections through
# the API are dated by the server's clock. The money is worked out by hand
# in the comments. done_testing runs `tierportctl ledger check`.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 16

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand ccb commissions invoices
source "$(dirname "$0")/lib.bash"
ctl() { "$CTL" -c "$CINI" "$@" 2>>"$T_DIR/ctl.log"; }
P=$(date -u +%Y-%m)                                # this month: every run's period
PREV=$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%F) # last month's first day
ago() { date -u -d "$1 days ago" +%F; }
crun() { day 0; ctl commissions run --brand "$SLUG" --period "$P"; }
lhash() { "$CTL" -c "$INI" ledger hash --brand "$SLUG"; }
nlines() { sql "SELECT COUNT(*) FROM commission_lines WHERE tenant_id = $T"; }
pbal() { sql "SELECT balance / 10000 FROM partners WHERE id = $1"; }
key() { echo "k-$RANDOM$RANDOM$RANDOM"; }
# neg SOURCE_KEY_LIKE: the negative lines "partner/kind/level/basis/rate/amount/status/reverses its key" in level order
neg() {
	sql "SELECT GROUP_CONCAT(CONCAT_WS('/', n.partner_id, n.kind, n.level, n.basis / 10000, n.rate_ppm, n.amount / 10000, n.status, o.source_key) ORDER BY n.level SEPARATOR ' ')
		FROM commission_lines n JOIN commission_lines o ON o.id = n.reverses_line_id WHERE n.tenant_id = $T AND n.source_key LIKE '$1'"
}

# ------------------------------------------------------------- the setup
# A > B > C; C: residual 10 %, nrc 20 % of the one-time charge taken back
# if the service is disconnected within 30 days; B 5 % and A 2 % of C's
# commission; a hold of 10 days
by OP POST /api/v1/partners '{"name":"Agent A","currency":"EUR"}'
A=$(json_num id)
by OP POST "/api/v1/partners/$A/children" '{"name":"Sub-agent B","currency":"EUR"}'
B=$(json_num id)
by OP POST "/api/v1/partners/$B/children" '{"name":"Sub-sub-agent C","currency":"EUR"}'
C=$(json_num id)
by OP POST /api/v1/products '{"name":"Line","product_type":"voip-line","currency":"EUR","periodic_charge":"100","one_time_charge":"50"}'
PR=$(json_num id)
cplan() { by OP POST /api/v1/commissions/plans "{\"name\":\"$1\",\"currency\":\"EUR\"}"; json_num id; }
rule() { by OP POST "/api/v1/commissions/plans/$1/rules" "$2"; }
PC=$(cplan Seller) PB=$(cplan Sub-agent) PA=$(cplan Agent)
rule "$PC" '{"kind":"residual","percent":"10","valid_from":"2020-01-01"}'
rule "$PC" '{"kind":"nrc","percent":"20","chargeback_days":"30","valid_from":"2020-01-01"}'
rule "$PB" '{"kind":"override","level":"1","percent":"5","valid_from":"2020-01-01"}'
rule "$PA" '{"kind":"override","level":"2","percent":"2","valid_from":"2020-01-01"}'
for pp in "$A $PA" "$B $PB" "$C $PC"; do
	set -- $pp
	by OP POST /api/v1/commissions/assignments "{\"partner\":\"$1\",\"plan\":\"$2\"}"
done
by OP POST /api/v1/commissions/settings '{"hold_days":"10","min_payout":"50","cap":"0","payout_provider":"file"}'
is "$STATUS" 200 "a hold of 10 days"
sql "INSERT INTO tax_rates (tenant_id, tax_class, name, rate_ppm) VALUES ($T, 'standard', 'VAT', 190000)"
acct() { by OP POST "/api/v1/partners/$C/accounts" "{\"number\":\"$1\",\"name\":\"$1\",\"currency\":\"EUR\"}"; json_num id; }
svc() { by OP POST "/api/v1/accounts/$1/services" "{\"product_id\":\"$PR\",\"phone_number\":\"+4930666$1\",\"start_date\":\"$2\",\"status\":\"active\"}"; json_num id; }
X1=$(acct CB-1) X2=$(acct CB-2) X3=$(acct CB-3) X4=$(acct CB-4)
S1=$(svc "$X1" "$PREV") S2=$(svc "$X2" "$PREV") S3=$(svc "$X3" "$(ago 20)") S4=$(svc "$X4" "$(ago 40)")
[ -n "$S1" ] && [ -n "$S2" ] && [ -n "$S3" ] && [ -n "$S4" ] || { echo "Bail out! setup failed: $(body)"; exit 1; }
# last month's invoices: CB-1 and CB-2 100.00 + 50.00 + 19 % = 178.50
day 0
ctl invoices run --brand "$SLUG" --cycle "$PREV" >/dev/null
is "$(sql "SELECT GROUP_CONCAT(total ORDER BY account_id) FROM invoices WHERE account_id IN ($X1, $X2)")" "1785000,1785000" "CB-1 and CB-2 owe 178.50 each"
# CB-2 pays 20 days ago (its lines' hold ended 10 days ago), CB-1 3 days
# ago (its hold ends in 7 days)
day -20
ctl invoices demo --brand "$SLUG" pay CB-2 >/dev/null
day -3
ctl invoices demo --brand "$SLUG" pay CB-1 >/dev/null
PAY1=$(sql "SELECT id FROM payments WHERE account_id = $X1") PAY2=$(sql "SELECT id FROM payments WHERE account_id = $X2")

# ------------------------------------------------------------- the first run
# 4 activations x 3 levels (C 20 % x 50.00 = 10.00, B 0.50, A 0.20) and 2
# payments x 3 levels (basis 178.50 x 100.00 / 178.50 = 100.00: C 10.00,
# B 0.50, A 0.20): C 60.00, B 3.00, A 1.20
OUT=$(crun)
like "$OUT" ', 18 lines, 0 cancelled, ' "the run: 18 lines ($OUT)"
is "$(pbal "$C")|$(pbal "$B")|$(pbal "$A")" "-60.0000|-3.0000|-1.2000" "owed: C 60.00, B 3.00, A 1.20"
is "$(sql "SELECT GROUP_CONCAT(DISTINCT status) FROM commission_lines WHERE tenant_id = $T AND payment_id = $PAY1")|$(sql "SELECT GROUP_CONCAT(DISTINCT status) FROM commission_lines WHERE tenant_id = $T AND payment_id = $PAY2")" \
	"pending|approvable" "CB-1's lines are inside the hold, CB-2's past it"

# ------------------------------------------------------------- what happens next
# CB-3's service (activated 20 days ago) and CB-4's (40 days ago) are
# disconnected today; CB-1's payment is refunded whole (inside the hold),
# 71.40 of CB-2's 178.50 (40 %, after the hold)
dis() { by OP POST "/api/v1/accounts/$1/services/$2/status" '{"status":"disconnected"}'; }
dis "$X3" "$S3"
dis "$X4" "$S4"
is "$(sql "SELECT GROUP_CONCAT(status ORDER BY id) FROM services WHERE id IN ($S3, $S4)")" "disconnected,disconnected" "CB-3's and CB-4's services disconnected today"
refund() { by OP POST "/api/v1/payments/$1/refunds" "{\"amount\":\"$2\",\"reason\":\"customer asked\"}" -H "Idempotency-Key: $(key)"; }
refund "$PAY1" 178.50
R1=$STATUS
refund "$PAY2" 71.40
is "$R1|$STATUS" "201|201" "CB-1's payment refunded whole, 71.40 of CB-2's"

OUT=$(crun)
like "$OUT" ', 6 lines, 3 cancelled, ' "the next run: 6 negative lines, 3 lines cancelled ($OUT)"
# CB-3: disconnected on day 20 of 30: every level of its activation back
is "$(neg "cb:nrc:$S3:%")" \
	"$C/chargeback/0/-50.0000/200000/-10.0000/pending/nrc:$S3:L0 $B/chargeback/1/-10.0000/50000/-0.5000/pending/nrc:$S3:L1 $A/chargeback/2/-10.0000/20000/-0.2000/pending/nrc:$S3:L2" \
	"CB-3 disconnected within 30 days: C -10.00, B -0.50, A -0.20, each naming the line it takes back"
is "$(sql "SELECT COUNT(*) FROM commission_lines WHERE tenant_id = $T AND service_id = $S4 AND amount < 0")" 0 "CB-4 disconnected after 40 days: nothing taken back"
is "$(sql "SELECT GROUP_CONCAT(CONCAT(level, ':', status, ':', amount / 10000) ORDER BY level) FROM commission_lines WHERE tenant_id = $T AND payment_id = $PAY1")" \
	"0:cancelled:10.0000,1:cancelled:0.5000,2:cancelled:0.2000" "CB-1 refunded inside the hold: its three lines cancelled (amounts untouched)"
# CB-2: 71.40 of 178.50 = 40 %: C -4.00 (basis -40.00), B -0.20 and A
# -0.08 (basis -4.00)
K2=$(sql "SELECT LEFT(source_key, LENGTH(source_key) - 3) FROM commission_lines WHERE tenant_id = $T AND payment_id = $PAY2 AND level = 0 AND amount > 0")
is "$(neg "rf:%")" \
	"$C/chargeback/0/-40.0000/100000/-4.0000/pending/$K2:L0 $B/chargeback/1/-4.0000/50000/-0.2000/pending/$K2:L1 $A/chargeback/2/-4.0000/20000/-0.0800/pending/$K2:L2" \
	"CB-2 refunded 40 % after the hold: C -4.00, B -0.20, A -0.08, in proportion"
# C: 60.00 - 10.00 (CB-3) - 10.00 (CB-1 cancelled) - 4.00 (CB-2) = 36.00
# B: 3.00 - 0.50 - 0.50 - 0.20 = 1.80; A: 1.20 - 0.20 - 0.20 - 0.08 = 0.72
is "$(pbal "$C")|$(pbal "$B")|$(pbal "$A")" "-36.0000|-1.8000|-0.7200" "owed now: C 36.00, B 1.80, A 0.72"
TX=$(sql "SELECT ledger_txn_id FROM commission_lines WHERE tenant_id = $T AND source_key = 'cb:nrc:$S3:L0'")
is "$(sql "SELECT GROUP_CONCAT(CONCAT(l.code, ':', IFNULL(e.partner_id, '-'), ':', e.amount) ORDER BY e.amount DESC) FROM ledger_entries e JOIN ledger_accounts l ON l.id = e.ledger_account_id WHERE e.txn_id = ${TX:-0}")" \
	"partner.payable:$C:100000,commission.expense:-:-100000" "  C's take-backs of the batch, one transaction: Dr partner.payable / Cr commission.expense 10.00"
is "$(sql "SELECT GROUP_CONCAT(CONCAT(partner_id, ':', JSON_VALUE(payload, '$.lines'), ':', JSON_VALUE(payload, '$.amount.value')) ORDER BY id) FROM events WHERE tenant_id = $T AND name = 'commission.reversed'")" \
	"$A:1:-0.2000,$B:1:-0.5000,$C:1:-10.0000,$A:2:-0.2800,$B:2:-0.7000,$C:2:-14.0000" \
	"  commission.reversed: one per partner per batch (the disconnection; the refunds: a cancelled line and a negative one each)"
N=$(nlines) H=$(lhash)
OUT=$(crun)
is "$(nlines)|$(lhash)" "$N|$H" "a rerun takes nothing back twice"

done_testing
