#!/usr/bin/env bash
# modules/commissions/t/run.sh -- the commission run of a period
# (`tierportctl commissions run --brand SLUG --period YYYY-MM`) on a brand
# of its own: a three-level tree (agent A > sub-agent B > sub-sub-agent
# C), C and B sell, customers pay invoices of the invoices module; every
# line below is worked out by hand in the comments and asserted to the
# cent for every level. Also: the nrc fixed and percent, the cap cutting
# the top level first, a plan change from mid-period (before at the old
# rate, after at the new; lines already computed unchanged), a rerun adds
# nothing (line count, ledger hash), a late payment of an old period taken
# by the next run once, the release of lines past their hold, a
# sub-agent's lines never holding its parent's override, the ledger
# (Dr commission.expense / Cr partner.payable, the partners' balances)
# and the events. done_testing runs `tierportctl ledger check`.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 39

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand crun commissions invoices
source "$(dirname "$0")/lib.bash"
# at DATE: tierportctl's clock ($CINI) on that day, 12:00 UTC
at() { echo $(($(date -ud "$1 12:00" +%s) - $(date -u +%s))) >"$T_DIR/clock"; }
ctl() { "$CTL" -c "$CINI" "$@" 2>>"$T_DIR/ctl.log"; }
crun() { ctl commissions run --brand "$SLUG" --period "$1"; }
lhash() { "$CTL" -c "$INI" ledger hash --brand "$SLUG"; }
nlines() { sql "SELECT COUNT(*) FROM commission_lines WHERE tenant_id = $T"; }
# lines PARTNER [WHERE]: "kind/level/basis/rate/amount" of its lines, by key
lines() {
	sql "SELECT GROUP_CONCAT(CONCAT_WS('/', kind, level, basis / 10000, rate_ppm, amount / 10000) ORDER BY source_key SEPARATOR ' ')
		FROM commission_lines WHERE tenant_id = $T AND partner_id = $1 ${2:+AND $2}"
}
# line KEY: "partner/kind/level/basis/rate/amount/period/status" of one line
line() {
	sql "SELECT CONCAT_WS('/', partner_id, kind, level, basis / 10000, rate_ppm, amount / 10000, period, status) FROM commission_lines
		WHERE tenant_id = $T AND source_key = '$1'"
}
pbal() { sql "SELECT balance / 10000 FROM partners WHERE id = $1"; }
psum() { sql "SELECT CAST(IFNULL(SUM(amount), 0) / 10000 AS DECIMAL(20,4)) FROM commission_lines WHERE tenant_id = $T AND partner_id = $1 AND status <> 'cancelled'"; }

# ------------------------------------------------------------- the setup
sql "INSERT INTO tax_rates (tenant_id, tax_class, name, rate_ppm) VALUES ($T, 'standard', 'VAT', 190000)"
by OP POST /api/v1/partners '{"name":"Agent A","currency":"EUR"}'
A=$(json_num id)
by OP POST "/api/v1/partners/$A/children" '{"name":"Sub-agent B","currency":"EUR"}'
B=$(json_num id)
by OP POST "/api/v1/partners/$B/children" '{"name":"Sub-sub-agent C","currency":"EUR"}'
C=$(json_num id)
by OP POST /api/v1/products '{"name":"Line","product_type":"voip-line","currency":"EUR","periodic_charge":"100","one_time_charge":"50"}'
PR=$(json_num id)
acct() { by OP POST "/api/v1/partners/$1/accounts" "{\"number\":\"$2\",\"name\":\"$2\",\"currency\":\"EUR\"}"; json_num id; }
X1=$(acct "$C" CR-1) X2=$(acct "$B" CR-2) X3=$(acct "$C" CR-3)
svc() { by OP POST "/api/v1/accounts/$1/services" "{\"product_id\":\"$PR\",\"phone_number\":\"+4930555$1\",\"start_date\":\"$2\",\"status\":\"active\"}"; json_num id; }
S1=$(svc "$X1" 2026-10-01) S2=$(svc "$X2" 2026-10-01) S3=$(svc "$X3" 2026-11-01)
[ -n "$S1" ] && [ -n "$S2" ] && [ -n "$S3" ] || { echo "Bail out! setup failed: $(body)"; exit 1; }
cplan() { by OP POST /api/v1/commissions/plans "{\"name\":\"$1\",\"currency\":\"EUR\"}"; json_num id; }
rule() { by OP POST "/api/v1/commissions/plans/$1/rules" "$2"; json_num id; }
# C: residual 10 %, nrc 20 % of the one-time charge
PC=$(cplan Seller)
RC=$(rule "$PC" '{"kind":"residual","percent":"10","valid_from":"2026-01-01"}')
RN=$(rule "$PC" '{"kind":"nrc","percent":"20","valid_from":"2026-01-01"}')
# B: 5 % of the commission one level down; its own sales: residual 8 %,
# nrc a fixed 25.00
PB=$(cplan Sub-agent)
rule "$PB" '{"kind":"override","level":"1","basis":"commission","percent":"5","valid_from":"2026-01-01"}' >/dev/null
rule "$PB" '{"kind":"residual","percent":"8","valid_from":"2026-01-01"}' >/dev/null
rule "$PB" '{"kind":"nrc","calc":"fixed","amount":"25","valid_from":"2026-01-01"}' >/dev/null
# A: 2 % of the commission two levels down; 3 % of the revenue one level
# down (B's own sales)
PA=$(cplan Agent)
rule "$PA" '{"kind":"override","level":"2","basis":"commission","percent":"2","valid_from":"2026-01-01"}' >/dev/null
rule "$PA" '{"kind":"override","level":"1","basis":"revenue","percent":"3","valid_from":"2026-01-01"}' >/dev/null
for pp in "$A $PA" "$B $PB" "$C $PC"; do
	set -- $pp
	by OP POST /api/v1/commissions/assignments "{\"partner\":\"$1\",\"plan\":\"$2\"}"
done
is "$(sql "SELECT COUNT(*) FROM commission_rules WHERE tenant_id = $T")|$(sql "SELECT COUNT(*) FROM commission_assignments WHERE tenant_id = $T")" "7|3" \
	"three plans, seven rules, one plan each for A, B and C"

# October: CR-1 and CR-2 billed 100.00 recurring + 50.00 one-time + 19 %
# VAT = 178.50 each. CR-1 gets a credit note of 78.50 and pays the 100.00
# left on 20 November; CR-2 pays nothing in November.
at 2026-11-01
ctl invoices run --brand "$SLUG" --cycle 2026-10-01 >/dev/null
I1=$(sql "SELECT id FROM invoices WHERE account_id = $X1 AND kind = 'invoice'")
is "$(sql "SELECT CONCAT_WS('|', total, (SELECT GROUP_CONCAT(CONCAT(kind, ':', amount) ORDER BY line_no) FROM invoice_lines WHERE invoice_id = $I1)) FROM invoices WHERE id = $I1")" \
	"1785000|recurring:1000000,one_time:500000,tax:285000" "CR-1's October invoice: 100.00 recurring, 50.00 one-time, 28.50 VAT = 178.50"
at 2026-11-20
ctl invoices demo --brand "$SLUG" credit CR-1 78.50 goodwill >/dev/null
ctl invoices demo --brand "$SLUG" pay CR-1 >/dev/null
is "$(sql "SELECT GROUP_CONCAT(pa.amount) FROM payment_allocations pa JOIN payments p ON p.id = pa.payment_id WHERE p.account_id = $X1")" 1000000 \
	"CR-1 paid 100.00 of it on 20 November"

# ------------------------------------------------------------- November
at 2026-12-01
H0=$(lhash)
OUT=$(crun 2026-11)
like "$OUT" '^period 2026-11: run [0-9]+, 11 lines, 0 cancelled, 5 released$' "the November run: 11 lines, 5 past their hold released ($OUT)"
# Activations (nrc, of the one-time charge 50.00):
#   CR-1 (C sold it, 1 Oct):  C 20 % x 50.00 = 10.00; B (level 1) 5 % x
#     10.00 = 0.50; A (level 2) 2 % x 10.00 = 0.20
#   CR-3 (C sold it, 1 Nov):  the same 10.00 / 0.50 / 0.20
#   CR-2 (B sold it, 1 Oct):  B a fixed 25.00 (rate 0); A (level 1) 3 % of
#     the revenue 50.00 = 1.50; A's level-2 rule is not for B's sales
is "$(line "nrc:$S1:L0")|$(line "nrc:$S1:L1")|$(line "nrc:$S1:L2")" \
	"$C/nrc/0/50.0000/200000/10.0000/2026-11/approvable|$B/override/1/10.0000/50000/0.5000/2026-11/approvable|$A/override/2/10.0000/20000/0.2000/2026-11/approvable" \
	"CR-1's activation: C 10.00, B 0.50, A 0.20 (earned 1 Oct: past the 30-day hold, approvable)"
is "$(line "nrc:$S3:L0")|$(line "nrc:$S3:L1")|$(line "nrc:$S3:L2")" \
	"$C/nrc/0/50.0000/200000/10.0000/2026-11/pending|$B/override/1/10.0000/50000/0.5000/2026-11/pending|$A/override/2/10.0000/20000/0.2000/2026-11/pending" \
	"CR-3's activation: the same, earned 1 Nov: still pending (hold until 1 Dec)"
is "$(line "nrc:$S2:L0")|$(line "nrc:$S2:L1")|$(line "nrc:$S2:L2")" \
	"$B/nrc/0/50.0000/0/25.0000/2026-11/approvable|$A/override/1/50.0000/30000/1.5000/2026-11/approvable|" \
	"CR-2's activation: B a fixed 25.00, A 3 % of the revenue = 1.50, no level 2"
# CR-1's payment: 100.00 against an invoice of 178.50 whose recurring line
# is 100.00: the basis is 100.00 x 100.00 / 178.50 = 56.0224 -> 56.02
# (net: the VAT never earns; the one-time line is not residual).
#   C (level 0) 10 % x 56.02 = 5.602 -> 5.60
#   B (level 1)  5 % x  5.60 = 0.28
#   A (level 2)  2 % x  5.60 = 0.112 -> 0.11
P1=$(sql "SELECT pa.id FROM payment_allocations pa JOIN payments p ON p.id = pa.payment_id WHERE p.account_id = $X1")
L1=$(sql "SELECT id FROM invoice_lines WHERE invoice_id = $I1 AND kind = 'recurring'")
is "$(line "res:$P1:$L1:L0")|$(line "res:$P1:$L1:L1")|$(line "res:$P1:$L1:L2")" \
	"$C/residual/0/56.0200/100000/5.6000/2026-11/pending|$B/override/1/5.6000/50000/0.2800/2026-11/pending|$A/override/2/5.6000/20000/0.1100/2026-11/pending" \
	"CR-1's payment: basis 56.02, C 5.60, B 0.28, A 0.11 (pending: hold until 20 Dec)"
is "$(sql "SELECT COUNT(*) FROM commission_lines WHERE tenant_id = $T AND source_key LIKE 'res:$P1:%' AND invoice_line_id <> $L1")" 0 \
	"  no line for the one-time charge or the VAT"
is "$(sql "SELECT CONCAT_WS('|', invoice_id, payment_id, account_id, service_id, seller_id, hold_until) FROM commission_lines WHERE tenant_id = $T AND source_key = 'res:$P1:$L1:L2'")" \
	"$I1|$(sql "SELECT payment_id FROM payment_allocations WHERE id = $P1")|$X1|$S1|$C|2026-12-20" \
	"  each line says its invoice, payment, customer, service, seller and hold"
# C: 10.00 + 10.00 + 5.60 = 25.60; B: 0.50 + 0.50 + 25.00 + 0.28 = 26.28;
# A: 0.20 + 0.20 + 1.50 + 0.11 = 2.01 -- owed to each: its balance is minus that
is "$(psum "$C")|$(psum "$B")|$(psum "$A")" "25.6000|26.2800|2.0100" "November: C earned 25.60, B 26.28, A 2.01"
is "$(pbal "$C")|$(pbal "$B")|$(pbal "$A")" "-25.6000|-26.2800|-2.0100" "  payables: each partner's balance is minus what it earned"
TX=$(sql "SELECT ledger_txn_id FROM commission_lines WHERE tenant_id = $T AND source_key = 'nrc:$S1:L0'")
is "$(sql "SELECT GROUP_CONCAT(CONCAT(l.code, ':', IFNULL(e.partner_id, '-'), ':', e.amount) ORDER BY e.amount DESC) FROM ledger_entries e JOIN ledger_accounts l ON l.id = e.ledger_account_id WHERE e.txn_id = ${TX:-0}")" \
	"commission.expense:-:200000,partner.payable:$C:-200000" "  one ledger transaction per partner for the batch: Dr commission.expense / Cr C's partner.payable 20.00 (its two activations)"
is "$(sql "SELECT COUNT(DISTINCT ledger_txn_id) FROM commission_lines WHERE tenant_id = $T")|$(sql "SELECT COUNT(*) FROM ledger_txns WHERE tenant_id = $T AND kind = 'commission'")" "6|6" \
	"  two batches (activations, payments), a transaction per partner in each, every line pointing at its own"
is "$(sql "SELECT GROUP_CONCAT(CONCAT(partner_id, ':', JSON_VALUE(payload, '$.lines'), ':', JSON_VALUE(payload, '$.amount.value')) ORDER BY id) FROM events WHERE tenant_id = $T AND name = 'commission.earned'")" \
	"$A:3:1.9000,$B:3:26.0000,$C:2:20.0000,$A:1:0.1100,$B:1:0.2800,$C:1:5.6000" \
	"  commission.earned: one per partner per batch, with its lines and total"
is "$(sql "SELECT CONCAT_WS('|', period, status, line_count) FROM commission_runs WHERE tenant_id = $T")" "2026-11|done|11" "the run is recorded: period, done, 11 lines"

# a sub-agent's lines never hold its parent's override, nor C its parent's
is "$(sql "SELECT GROUP_CONCAT(DISTINCT level ORDER BY level) FROM commission_lines WHERE tenant_id = $T AND partner_id = $C")|$(sql "SELECT GROUP_CONCAT(DISTINCT level ORDER BY level) FROM commission_lines WHERE tenant_id = $T AND partner_id = $B")" \
	"0|0,1" "C's lines are its own sales (level 0); B's its own and its level-1 overrides, never A's"

# ------------------------------------------------------------- a rerun adds nothing
N1=$(nlines) H1=$(lhash)
OUT=$(crun 2026-11)
like "$OUT" ', 0 lines, 0 cancelled, 0 released$' "a rerun of November: 0 lines"
is "$(nlines)|$(lhash)" "$N1|$H1" "  the same lines and the same ledger hash"
check "  and the first run had moved the ledger" test "$H0" != "$H1"

# ------------------------------------------------------------- December
# A late payment of an old period: CR-2 pays its October invoice (178.50)
# dated 28 November, after November's run. Its basis is the recurring line
# whole: 178.50 x 100.00 / 178.50 = 100.00; B 8 % = 8.00, A 3 % of the
# revenue = 3.00; taken by December's run, with December's period.
at 2026-11-28
ctl invoices demo --brand "$SLUG" pay CR-2 >/dev/null
# November's invoices (issued 1 Dec): CR-1 and CR-2 100.00 + 19.00 VAT =
# 119.00; CR-3 100.00 + 50.00 + 28.50 = 178.50
at 2026-12-01
ctl invoices run --brand "$SLUG" --cycle 2026-11-01 >/dev/null
# CR-1 pays 119.00 on 10 Dec: basis 119.00 x 100.00 / 119.00 = 100.00:
#   C 10 % = 10.00, B 5 % x 10.00 = 0.50, A 2 % x 10.00 = 0.20
at 2026-12-10
ctl invoices demo --brand "$SLUG" pay CR-1 >/dev/null
# C's residual rate becomes 12 % from 16 December (the old rule ends on the
# 15th); CR-3 pays 178.50 on 20 Dec: basis 100.00:
#   C 12 % = 12.00, B 5 % x 12.00 = 0.60, A 2 % x 12.00 = 0.24
by OP POST "/api/v1/commissions/plans/$PC/rules" "{\"kind\":\"residual\",\"percent\":\"12\",\"valid_from\":\"2026-12-16\",\"replaces\":\"$RC\"}"
is "$STATUS|$(sql "SELECT valid_to FROM commission_rules WHERE id = $RC")" "201|2026-12-15" "C's residual becomes 12 % from 16 December (the 10 % rule ends on the 15th)"
at 2026-12-20
ctl invoices demo --brand "$SLUG" pay CR-3 >/dev/null
at 2027-01-01
OUT=$(crun 2026-12)
like "$OUT" '^period 2026-12: run [0-9]+, 8 lines, ' "December: 8 lines ($OUT)"
pay_of() { sql "SELECT pa.id FROM payment_allocations pa JOIN payments p ON p.id = pa.payment_id JOIN invoices i ON i.id = pa.invoice_id WHERE p.account_id = $1 AND i.period_start = '$2'"; }
rec_of() { sql "SELECT il.id FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id WHERE i.account_id = $1 AND i.period_start = '$2' AND il.kind = 'recurring'"; }
K2="res:$(pay_of "$X2" 2026-10-01):$(rec_of "$X2" 2026-10-01)"
is "$(line "$K2:L0")|$(line "$K2:L1")" "$B/residual/0/100.0000/80000/8.0000/2026-12/approvable|$A/override/1/100.0000/30000/3.0000/2026-12/approvable" \
	"the late payment: B 8.00, A 3.00 on the revenue, taken by December's run (paid 28 Nov: past its hold)"
K1="res:$(pay_of "$X1" 2026-11-01):$(rec_of "$X1" 2026-11-01)"
is "$(line "$K1:L0")|$(line "$K1:L1")|$(line "$K1:L2")" \
	"$C/residual/0/100.0000/100000/10.0000/2026-12/pending|$B/override/1/10.0000/50000/0.5000/2026-12/pending|$A/override/2/10.0000/20000/0.2000/2026-12/pending" \
	"paid 10 Dec, before the change: C 10 % = 10.00, B 0.50, A 0.20"
K3="res:$(pay_of "$X3" 2026-11-01):$(rec_of "$X3" 2026-11-01)"
is "$(line "$K3:L0")|$(line "$K3:L1")|$(line "$K3:L2")" \
	"$C/residual/0/100.0000/120000/12.0000/2026-12/pending|$B/override/1/12.0000/50000/0.6000/2026-12/pending|$A/override/2/12.0000/20000/0.2400/2026-12/pending" \
	"paid 20 Dec, after it: C 12 % = 12.00, B 0.60, A 0.24"
is "$(line "res:$P1:$L1:L0")" "$C/residual/0/56.0200/100000/5.6000/2026-11/approvable" \
	"November's line unchanged by the new rule (10 %, 5.60), now past its hold: approvable"
N2=$(nlines) H2=$(lhash)
crun 2026-12 >/dev/null
crun 2026-11 >/dev/null
is "$(nlines)|$(lhash)" "$N2|$H2" "December and November run again add nothing: the late payment is taken once"
# C: 25.60 + 10.00 + 12.00 = 47.60; B: 26.28 + 8.00 + 0.50 + 0.60 = 35.38;
# A: 2.01 + 3.00 + 0.20 + 0.24 = 5.45
is "$(pbal "$C")|$(pbal "$B")|$(pbal "$A")" "-47.6000|-35.3800|-5.4500" "the payables after December: C 47.60, B 35.38, A 5.45"

# ------------------------------------------------------------- the cap
# The brand's cap at 12.7 %: CR-1 pays December's 119.00 on 5 January:
# basis 100.00, C 12 % = 12.00, B 0.60, A 0.24: 12.84 > the cap 12.70.
# C's own 12.00 is never cut; 0.14 too much comes off the top first: A's
# 0.24 -> 0.10, B keeps 0.60.
# (C's nrc of 20 % ends with November first: the brand refuses a cap
# below a rule in force)
by OP POST "/api/v1/commissions/plans/$PC/rules/$RN/end" '{"valid_to":"2026-11-30"}'
by OP POST /api/v1/commissions/settings '{"hold_days":"30","min_payout":"50","cap":"12.7","payout_provider":"file"}'
is "$STATUS|$(sql "SELECT cap_ppm FROM commission_settings WHERE tenant_id = $T")" "200|127000" "the brand's cap: 12.7 %"
ctl invoices run --brand "$SLUG" --cycle 2026-12-01 >/dev/null
at 2027-01-05
ctl invoices demo --brand "$SLUG" pay CR-1 >/dev/null
at 2027-02-01
crun 2027-01 >/dev/null
K4="res:$(pay_of "$X1" 2026-12-01):$(rec_of "$X1" 2026-12-01)"
is "$(line "$K4:L0")|$(line "$K4:L1")|$(line "$K4:L2")" \
	"$C/residual/0/100.0000/120000/12.0000/2027-01/pending|$B/override/1/12.0000/50000/0.6000/2027-01/pending|$A/override/2/12.0000/20000/0.1000/2027-01/pending" \
	"under the cap: C 12.00 whole, B 0.60, A cut to 0.10 (12.70 in all)"
# At 12.5 % the cut would take all of A's 0.24 and 0.10 of B's: a second
# brand-wide setting, the same rule on CR-3's December invoice (178.50 ->
# 100.00): C 12.00, B 0.50, A nothing
by OP POST /api/v1/commissions/settings '{"hold_days":"30","min_payout":"50","cap":"12.5","payout_provider":"file"}'
at 2027-01-01
ctl invoices demo --brand "$SLUG" pay CR-3 >/dev/null
at 2027-02-01
crun 2027-01 >/dev/null
K5="res:$(pay_of "$X3" 2026-12-01):$(rec_of "$X3" 2026-12-01)"
is "$(line "$K5:L0")|$(line "$K5:L1")|$(line "$K5:L2")" \
	"$C/residual/0/100.0000/120000/12.0000/2027-01/approvable|$B/override/1/12.0000/50000/0.5000/2027-01/approvable|" \
	"a cap of 12.5 %: C 12.00, B cut to 0.50, A's line cut to nothing (none written; paid 1 Jan: past its hold on 1 Feb)"

# ------------------------------------------------------------- the operators' page
by OP GET /api/v1/commissions/runs
is "$STATUS" 200 "GET /commissions/runs"
like "$(body)" '"period":"2027-01".*"period":"2026-12"' "  lists the runs, the newest first"
op_login
page op /commissions/runs
like "$STATUS $(body | tr -d '\n')" '^200 .*<h1>Commission runs</h1>.*<td>2027-01</td><td>done</td>.*name="period"' \
	"  the operators' page in HTML (signed in): the runs, and the form to run a period"
N3=$(nlines) H3=$(lhash)
by OP POST /api/v1/commissions/runs '{"period":"2026-13"}'
is "$STATUS|$(json_str field)" "400|period" "POST /commissions/runs with no month: 400 naming period"
by OP POST /api/v1/commissions/runs "{\"period\":\"$(date -u -d "$(date -u +%Y-%m-01) +1 month" +%Y-%m)\"}"
is "$STATUS|$(json_str field)|$(nlines)|$(lhash)" "400|period|$N3|$H3" "  with a month not yet begun (by the server's clock): 400 naming period, nothing written"
by OP POST /api/v1/commissions/runs '{"period":"2026-11"}'
is "$STATUS|$(json_num lines)|$(nlines)|$(lhash)" "201|0|$N3|$H3" "POST /commissions/runs runs the command's code: 201, nothing new"

# the release by a later run (the job commissions.run does the same daily;
# it serves every brand, so a script sharing the stack does not run it)
at 2027-03-15
crun 2027-02 >/dev/null
is "$(sql "SELECT COUNT(*) FROM commission_lines WHERE tenant_id = $T AND status = 'pending'")|$(nlines)|$(lhash)" "0|$N3|$H3" \
	"a run on 15 March releases every line past its hold and adds none"
is "$(sql "SELECT SUM(amount) FROM commission_lines WHERE tenant_id = $T") $(sql "SELECT -SUM(balance) FROM partners WHERE tenant_id = $T")" \
	"$(sql "SELECT SUM(amount) FROM commission_lines WHERE tenant_id = $T") $(sql "SELECT SUM(amount) FROM commission_lines WHERE tenant_id = $T")" \
	"every line is in the payables: the partners' balances sum to minus the lines"

done_testing
