#!/usr/bin/env bash
# modules/commissions/t/pages.sh -- the commission pages through the real
# stack: the summary worked by hand for an agent, its sub-agent and the
# operator (customers, active and pending services with their monthly
# recurring amount, pending approval, pending payment, YTD revenue and
# compensation), the agent viewing as its sub-agent sees the sub-agent's;
# the summary is kept in Redis and says "as of", a new one after an
# approval (the number changes at once) and after an event (a service
# activated), still served with Redis stopped; the compensation history
# scoped to the viewer's subtree (a sub-agent never sees its parent's
# override), the disbursement history and a disbursement's lines (a
# parent's or a foreign one: 404), the operators' lines grid and
# approvals form (partners: 404), CSV and XLSX export of the history with
# a column the brand renamed; then the real run (an activation: the
# seller's fixed nrc and its parent's override) moves the summaries by
# hand, and a bulk approval of the partner's lines after it. Stops Redis
# for a while: not parallel.
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 74

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand cpg commissions invoices
source "$(dirname "$0")/lib.bash"

REDIS_STOPPED=0
# never leave Redis down for the scripts that follow
on_exit() { [ "$REDIS_STOPPED" = 0 ] || stack start redis >/dev/null 2>&1 || true; }

Y=$(date -u +%Y)
# the summary's field K of the last answer: a number, or a money's value
num() { json_num "$1"; }
money() { grep -oE "\"$1\"[[:space:]]*:[[:space:]]*\\{[^}]*\\}" "$BODY" | grep -oE '"value"[[:space:]]*:[[:space:]]*"[^"]*"' | grep -oE '[-0-9.]+' | head -n 1; }
# summary: "customers|active n|active/month|pending n|pending/month|approval (n)|payment (n)|ytd revenue|ytd comp"
summary() {
	echo "$(num customers)|$(num active_services)|$(money active_recurring)|$(num pending_services)|$(money pending_recurring)|$(money pending_approval) ($(num pending_approval_lines))|$(money pending_payment) ($(num pending_payment_lines))|$(money ytd_revenue)|$(money ytd_compensation)"
}

# ------------------------------------------------------------- the setup
# Agent A with sub-agent B; O another agent. Customers CA (A's), CB (B's),
# CX (O's), CZ (A's, closed: not counted).
by OP POST /api/v1/partners '{"name":"Agent A","currency":"EUR"}'
A=$(json_num id)
by OP POST "/api/v1/partners/$A/children" '{"name":"Sub B","currency":"EUR"}'
B=$(json_num id)
by OP POST /api/v1/partners '{"name":"Other O","currency":"EUR"}'
O=$(json_num id)
acct() { by OP POST "/api/v1/partners/$1/accounts" "{\"number\":\"$2\",\"name\":\"$3\",\"currency\":\"EUR\"}"; json_num id; }
CA=$(acct "$A" CP-A "Cust A")
CB=$(acct "$B" CP-B "Cust B")
CX=$(acct "$O" CP-X "Cust X")
CZ=$(acct "$A" CP-Z "Cust Z")
[ -n "$CA" ] && [ -n "$CB" ] && [ -n "$CX" ] && [ -n "$CZ" ] || { echo "Bail out! setup failed: $(body)"; exit 1; }
sql "UPDATE accounts SET status = 'closed' WHERE id = $CZ"
for u in "$A a.admin" "$B b.admin" "$O o.admin"; do
	set -- $u
	printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$1" --login "$2" --password-file - --admin --group partner-admin >/dev/null
done
AA=$(token a.admin partner) BA=$(token b.admin partner) OA=$(token o.admin partner)

# services: CA active 20.00 a month and 120.00 a year (10.00 a month),
# CB pending 30.00 a month, CX active 99.00 a month
sql "INSERT INTO products (tenant_id, name, product_type, currency, periodic_charge) VALUES ($T, 'Line', 'voip-line', 'EUR', 200000)"
PR=$(sql "SELECT id FROM products WHERE tenant_id = $T")
svc() { sql "INSERT INTO services (tenant_id, partner_id, account_id, product_id, status, currency, periodic_charge, bill_cycle, start_date) VALUES ($T, $1, $2, $PR, '$3', 'EUR', $4, '$5', UTC_DATE()); SELECT LAST_INSERT_ID()"; }
svc "$A" "$CA" active 200000 monthly >/dev/null
svc "$A" "$CA" active 1200000 yearly >/dev/null
SB=$(svc "$B" "$CB" pending 300000 monthly)
svc "$O" "$CX" active 990000 monthly >/dev/null

# invoices (net of tax): CB 100.00 this year; CA 50.00 this year with a
# 10.00 credit note, and 70.00 last year (not this year's revenue); CX 40.00
inv() { sql "INSERT INTO invoices (tenant_id, partner_id, account_id, kind, status, series, seq, number, currency, issue_date, subtotal, tax_total, total) VALUES ($T, $1, $2, '$3', 'issued', '$4', $5, '$4-$5', 'EUR', $6, $7, $8, $7 + $8); SELECT LAST_INSERT_ID()"; }
IB=$(inv "$B" "$CB" invoice INV 1 "UTC_DATE()" 1000000 190000)
IA=$(inv "$A" "$CA" invoice INV 2 "UTC_DATE()" 500000 95000)
inv "$A" "$CA" credit_note CN 1 "UTC_DATE()" 100000 19000 >/dev/null
inv "$A" "$CA" invoice INV 3 "DATE_SUB(MAKEDATE($Y, 1), INTERVAL 1 DAY)" 700000 0 >/dev/null
inv "$O" "$CX" invoice INV 4 "UTC_DATE()" 400000 0 >/dev/null
# the series go on after these, as if the module had numbered them (the
# invoices.run job bills every brand, this one too: INV-1 again would be a
# conflict)
sql "INSERT INTO invoice_numbers (tenant_id, series, next_seq) VALUES ($T, 'INV', 5), ($T, 'CN', 2)"

# lines, as the run writes them: L1 B's own 10 % of 100.00 (approvable);
# L2 A's override, 20 % of L1's 10.00 (approvable); L3 A's own 15 % of
# 50.00 (pending, in its hold); L4 A's 5.00 approved; L5 A's 3.00 paid by
# disbursement D1; L6 O's 4.00 approvable; L7 A's 1.00 cancelled; L8 B's
# 6.00 paid by D2
line() { sql "INSERT INTO commission_lines (tenant_id, period, source_key, kind, partner_id, seller_id, level, account_id, invoice_id, earned_on, basis, rate_ppm, amount, currency, status) VALUES ($T, '$Y-01', 'pg:$RANDOM$RANDOM', '$1', $2, $3, $4, $5, $6, UTC_DATE(), $7, $8, $9, 'EUR', '${10}'); SELECT LAST_INSERT_ID()"; }
L1=$(line residual "$B" "$B" 0 "$CB" "$IB" 1000000 100000 100000 approvable)
L2=$(line override "$A" "$B" 1 "$CB" "$IB" 100000 200000 20000 approvable)
L3=$(line nrc "$A" "$A" 0 "$CA" "$IA" 500000 150000 75000 pending)
L4=$(line residual "$A" "$A" 0 "$CA" "$IA" 500000 100000 50000 approved)
L5=$(line residual "$A" "$A" 0 "$CA" "$IA" 300000 100000 30000 paid)
L6=$(line residual "$O" "$O" 0 "$CX" NULL 400000 100000 40000 approvable)
L7=$(line residual "$A" "$A" 0 "$CA" "$IA" 100000 100000 10000 cancelled)
L8=$(line residual "$B" "$B" 0 "$CB" "$IB" 600000 100000 60000 paid)
disb() { sql "INSERT INTO commission_disbursements (tenant_id, partner_id, number, description, reference, comments, status, amount, currency, line_count, idem_key, created_at, paid_at) VALUES ($T, $1, '$2', 'Commission $Y-01', 'ACH $2', 'first payout', 'paid', $3, 'EUR', 1, 'pg:$2', UTC_TIMESTAMP(), UTC_TIMESTAMP()); SELECT LAST_INSERT_ID()"; }
D1=$(disb "$A" D-1 30000)
D2=$(disb "$B" D-2 60000)
sql "UPDATE commission_lines SET disbursement_id = $D1, paid_at = UTC_TIMESTAMP() WHERE id = $L5;
	UPDATE commission_lines SET disbursement_id = $D2, paid_at = UTC_TIMESTAMP() WHERE id = $L8"

# ------------------------------------------------------------- the summary
by AA GET /api/v1/commissions
is "$STATUS" 200 "the agent's summary: 200"
# A's subtree: CA and CB (CZ closed); active: CA's 20.00 + 120.00/12;
# pending: CB's 30.00; revenue 100.00 + 50.00 - 10.00; its own lines:
# approval L2 2.00 + L3 7.50, payment L4 5.00, YTD 2.00+7.50+5.00+3.00
is "$(summary)" "2|2|30.0000|1|30.0000|9.5000 (2)|5.0000 (1)|140.0000|17.5000" \
	"  by hand: 2 customers, 2 active / 30.00, 1 pending / 30.00, approval 9.50 (2), payment 5.00, revenue 140.00, comp 17.50"
like "$(body)" '"as_of":"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC"' "  it says as of when it was computed"
is "$(json_str source)" db "  computed from MariaDB the first time"
ASOF=$(json_str as_of)
by AA GET /api/v1/commissions
is "$(json_str source)|$(json_str as_of)|$(money pending_approval)" "cache|$ASOF|9.5000" "  then served from Redis, as of the same time"

by BA GET /api/v1/commissions
is "$(summary)" "1|0|0.0000|1|30.0000|10.0000 (1)|0.0000 (0)|100.0000|16.0000" \
	"the sub-agent's: 1 customer, 1 pending / 30.00, approval 10.00 (its L1), no override of its parent's, comp 16.00"
by OA GET /api/v1/commissions
is "$(summary)" "1|1|99.0000|0|0.0000|4.0000 (1)|0.0000 (0)|40.0000|4.0000" "the other agent's: its own only"
by OP GET /api/v1/commissions
is "$(summary)" "3|3|129.0000|1|30.0000|23.5000 (4)|5.0000 (1)|180.0000|37.5000" \
	"the operator's: the whole brand (every partner's lines)"
unlike "$(body)" '"partner":\{' "  with no partner named"

# the agent viewing as its sub-agent sees the sub-agent's numbers
login a a.admin
as a POST "/api/v1/view/partner/$B"
is "$STATUS" 200 "the agent switches the view to its sub-agent"
as a GET /api/v1/commissions
is "$(money pending_approval)|$(money ytd_compensation)|$(num customers)" "10.0000|16.0000|1" "  and sees the sub-agent's summary"
as a POST "/api/v1/view/partner/$O"
is "$STATUS" 404 "  a view of another agent: 404"
page a /commissions
is "$STATUS" 200 "  the HTML summary: 200"
like "$(body)" 'Commission summary: Sub B' "  headed with the partner viewed"
like "$(body)" 'As of [0-9-]+ [0-9:]+ UTC' "  says as of"
like "$(body)" 'Pending approval</dt><dd class="cms-pending-approval">10.00 EUR \(1 lines\)' "  pending approval 10.00 EUR"
as a POST /api/v1/view/reset
page a /
like "$(body)" 'class="cms-panel-payment">Pending payment 5.00 EUR; pending approval 9.50 EUR' "the agent's home page has its commissions panel"

# ------------------------------------------------------------- an approval
GEN0=$(sql "SELECT gen FROM data_domain_generations WHERE tenant_id = $T AND domain = 'commissions'")
by OP POST /api/v1/commissions/lines/decision "{\"action\":\"approve\",\"note\":\"ok\",\"lines\":[$L2]}"
is "$STATUS" 200 "the operator approves the agent's override L2"
by AA GET /api/v1/commissions
is "$(json_str source)|$(money pending_approval) ($(num pending_approval_lines))|$(money pending_payment) ($(num pending_payment_lines))" \
	"db|7.5000 (1)|7.0000 (2)" "  at once: approval 7.50 (1 line), payment 7.00 (2 lines), computed anew"
GEN1=$(sql "SELECT gen FROM data_domain_generations WHERE tenant_id = $T AND domain = 'commissions'")
check "  the brand's commissions generation moved ($GEN0 -> $GEN1)" test "${GEN1:-0}" -gt "${GEN0:-0}"
by BA GET /api/v1/commissions
is "$(money pending_approval)|$(money pending_payment)" "10.0000|0.0000" "  the sub-agent's is unchanged"

# an event: B's pending service activated (service.activated) -> a new
# generation once delivered, so the numbers follow within seconds
by OP POST "/api/v1/accounts/$CB/services/$SB/status" '{"status":"active"}'
is "$STATUS" 200 "the operator activates the sub-agent's pending service"
b_active() { by BA GET /api/v1/commissions && [ "$(num active_services)|$(money active_recurring)" = "1|30.0000" ]; }
check "  within 15 s the sub-agent's summary: 1 active / 30.00 a month" wait_until 15 b_active
is "$(num pending_services)|$(money pending_recurring)" "0|0.0000" "  and no pending service"

# ------------------------------------------------------------- Redis down
stack stop redis >/dev/null
REDIS_STOPPED=1
by AA GET /api/v1/commissions
is "$STATUS|$(json_str source)" "200|db" "Redis stopped: the summary is 200, from MariaDB"
is "$(money pending_approval)|$(money pending_payment)|$(money ytd_compensation)" "7.5000|7.0000|17.5000" "  with the same numbers"
by OP POST /api/v1/commissions/lines/decision "{\"action\":\"approve\",\"lines\":[$L1]}"
by BA GET /api/v1/commissions
is "$STATUS|$(money pending_approval)|$(money pending_payment)" "200|0.0000|10.0000" "  an approval while it is down shows at once"
stack start redis >/dev/null
REDIS_STOPPED=0
cache_back() { by BA GET /api/v1/commissions && [ "$(json_str source)" = cache ]; }
check "Redis back: served from it again within 20 s" wait_until 20 cache_back
is "$(money pending_payment)" "10.0000" "  with the approval counted (a new generation, no copy from before)"

# ------------------------------------------------------------- history
hist_ids() { grep -oE '"line":[0-9]+' "$BODY" | grep -oE '[0-9]+' | sort -n | paste -sd, -; }
by AA GET "/api/v1/commissions/history?limit=100"
is "$STATUS|$(hist_ids)" "200|$(printf '%s\n' "$L1" "$L2" "$L3" "$L4" "$L5" "$L7" "$L8" | sort -n | paste -sd, -)" \
	"the agent's history: every line of its subtree (its own and its sub-agent's)"
by BA GET "/api/v1/commissions/history?limit=100"
is "$STATUS|$(hist_ids)" "200|$L1,$L8" "the sub-agent's: its own only -- never its parent's override L2"
by BA GET "/api/v1/commissions/history?limit=100&f.level.min=1"
is "$(hist_ids)" "" "  not even when it filters on override levels"
by OP GET "/api/v1/commissions/history?limit=100&f.status=approvable"
is "$(hist_ids)" "$L6" "the operator's, filtered to approvable: O's L6"
by AA GET "/api/v1/commissions/history?limit=100&f.status=paid"
like "$(body)" "\"invoice\":\"INV-2\",\"invoice_date\":\"[0-9-]+\",\"invoice_total\":\\{\"value\":\"59.5000\"" "  a line names its invoice, its date and total"
like "$(body)" '"customer":"Cust A"' "  and its customer"
like "$(body)" '"basis":\{"value":"30.0000","currency":"EUR"\},"rate":"10 %","amount":\{"value":"3.0000"' "  comp basis 30.00, rate 10 %, amount 3.00"
like "$(body)" '"paid":"[0-9]{4}-[0-9]{2}-[0-9]{2}"' "  status paid with the date paid"
by AA GET "/api/v1/commissions/history?group=level"
is "$STATUS" 200 "grouped by level: 200"
page a "/commissions/history"
is "$STATUS" 200 "the HTML history: 200"
like "$(body)" '<th scope="col" class="col-basis type-money">Comp basis</th>' "  with its Comp basis column"

# ------------------------------------------------------------- disbursements
by AA GET /api/v1/commissions/disbursements
like "$(body)" '"number":"D-1","description":"Commission [0-9-]+","agent_id":'"$A"',"agent":"Agent A","reference":"ACH D-1","comments":"first payout"' \
	"the agent's disbursements: D-1 with its description, agent, reference and comments"
like "$(body)" '"number":"D-2"' "  and its sub-agent's D-2 (its subtree)"
by BA GET /api/v1/commissions/disbursements
unlike "$(body)" '"number":"D-1"' "the sub-agent's: not its parent's D-1"
by AA GET "/api/v1/commissions/disbursements/$D1"
is "$STATUS|$(hist_ids)" "200|$L5" "D-1 opens on its lines: L5"
like "$(body)" '"disbursement":\{"id":'"$D1"',"number":"D-1"' "  and says which disbursement"
by BA GET "/api/v1/commissions/disbursements/$D1"
is "$STATUS" 404 "the sub-agent asks for its parent's D-1: 404"
by OA GET "/api/v1/commissions/disbursements/$D1"
is "$STATUS" 404 "another agent asks for it: 404"
by AA GET /api/v1/commissions/disbursements/999999999
is "$STATUS" 404 "a missing one: 404 too"
page a "/commissions/disbursements/$D1"
like "$(body)" '<h1>Disbursement D-1: 3.00 EUR, paid</h1>' "the HTML page: headed with its number, amount and status"

# ------------------------------------------------------------- operators' pages
by OP GET "/api/v1/commissions/lines?f.status=approvable"
is "$STATUS|$(hist_ids)" "200|$L6" "the operators' lines grid with its status filter"
by AA GET /api/v1/commissions/lines
is "$STATUS" 404 "a partner asks for the operators' lines grid: 404"
by AA GET /api/v1/commissions/approvals
is "$STATUS" 404 "  and for the approvals form: 404"
by AA POST /api/v1/commissions/lines/decision "{\"action\":\"approve\",\"lines\":[$L3]}"
is "$STATUS" 404 "  a partner cannot decide (an operator route)"
op_login
page op /commissions/approvals
is "$STATUS" 200 "the operator's approvals form: 200"
like "$(body)" "<input type=\"checkbox\" form=\"cms-decide\" name=\"line\" value=\"$L6\"" "  a checkbox for O's approvable line"
like "$(body)" "name=\"partner\" value=\"$O\"" "  and a form to approve all of O's"
form op /commissions/lines/decision "line=$L6" action=hold "note=check the customer" back=/commissions/approvals
is "$STATUS|$(header Location)" "303|/commissions/approvals" "the form holds L6 with a note and comes back"
is "$(sql "SELECT CONCAT(status, ':', status_note) FROM commission_lines WHERE id = $L6")" "held:check the customer" "  L6 held, with the note"
by OA GET /api/v1/commissions
is "$(money pending_approval) ($(num pending_approval_lines))" "0.0000 (0)" "  and O's pending approval is 0.00 at once"

# ------------------------------------------------------------- export, renamed
by OP POST /api/v1/grids/commission_history/settings '{"label.basis":"Basis of comp"}'
is "$STATUS" 200 "the operator renames Comp basis to Basis of comp for the brand"
dl() { req GET "/commissions/history?$2&format=$1" "${H[@]}" -H "Authorization: Bearer $AA"; cp "$BODY" "$T_DIR/h.$1"; }
dl csv "cols=line,status,basis,amount&sort=line"
is "$STATUS|$(header Content-Type)" "200|text/csv; charset=utf-8" "the agent's CSV export: 200"
is "$(head -n 1 "$T_DIR/h.csv" | tr -d '\r')" "Line,Status,Basis of comp,Amount,Currency" "  its header: the renamed column"
is "$(tail -n +2 "$T_DIR/h.csv" | cut -d, -f1 | tr -d '\r' | paste -sd, -)" "$(printf '%s\n' "$L1" "$L2" "$L3" "$L4" "$L5" "$L7" "$L8" | sort -n | paste -sd, -)" "  its rows: the agent's subtree's lines"
dl xlsx "cols=line,status,basis,amount&sort=line"
is "$STATUS" 200 "the agent's XLSX export: 200"
check "  a zip that unzip tests clean" unzip -tq "$T_DIR/h.xlsx"
HDR=$(unzip -p "$T_DIR/h.xlsx" xl/worksheets/sheet1.xml | grep -oE '<c r="[A-Z]1"[^>]*><is><t[^>]*>[^<]*</t>' | sed -E 's/.*>([^<]*)<\/t>$/\1/' | paste -sd, -)
is "$HDR" "Line,Status,Basis of comp,Amount,Currency" "  row 1: the renamed column"
req GET "/commissions/history?format=csv" "${H[@]}" -H "Authorization: Bearer $BA"
unlike "$(body)" "^$L2," "the sub-agent's export has no parent override either"

# ------------------------------------------------------------- a run
# The real run (tierportctl commissions run) on a moved clock: B earns a
# fixed 25.00 on an activation (a service of CB's started 1 October), A 20 %
# of that commission one level up = 5.00; earned 1 October, past the 30-day
# hold at the run of 1 December: both approvable.
at() { echo $(($(date -ud "$1 12:00" +%s) - $(date -u +%s))) >"$T_DIR/clock"; }
cplan() { by OP POST /api/v1/commissions/plans "{\"name\":\"$1\",\"currency\":\"EUR\"}"; json_num id; }
PB=$(cplan Seller)
by OP POST "/api/v1/commissions/plans/$PB/rules" '{"kind":"nrc","calc":"fixed","amount":"25","valid_from":"2026-01-01"}'
PA=$(cplan Agent)
by OP POST "/api/v1/commissions/plans/$PA/rules" '{"kind":"override","level":"1","basis":"commission","percent":"20","valid_from":"2026-01-01"}'
by OP POST /api/v1/commissions/assignments "{\"partner\":\"$A\",\"plan\":\"$PA\"}"
by OP POST /api/v1/commissions/assignments "{\"partner\":\"$B\",\"plan\":\"$PB\"}"
by OP POST "/api/v1/accounts/$CB/services" "{\"product_id\":\"$PR\",\"phone_number\":\"+4930555$CB\",\"start_date\":\"2026-10-01\",\"status\":\"active\"}"
SN=$(json_num id)
is "$STATUS|$(sql "SELECT COUNT(*) FROM commission_rules WHERE tenant_id = $T")" "201|2" "plans for A (override 20 %) and B (nrc 25.00), and a service of CB's from 1 October"
at 2026-12-01
"$CTL" -c "$CINI" commissions run --brand "$SLUG" --period 2026-11 >"$T_DIR/run.out" 2>>"$T_DIR/ctl.log"
is "$(sql "SELECT GROUP_CONCAT(CONCAT_WS('/', partner_id, kind, level, amount, status) ORDER BY level SEPARATOR '|') FROM commission_lines WHERE tenant_id = $T AND service_id = ${SN:-0}")" \
	"$B/nrc/0/250000/approvable|$A/override/1/50000/approvable" "the November run: B 25.00, A 5.00, both approvable ($(cat "$T_DIR/run.out"))"
by BA GET /api/v1/commissions
# B: approval 0 + 25.00; payment L1 10.00; comp 16.00 + 25.00; active: SB
# and the new one, 30.00 + 20.00 a month
is "$(json_str source)|$(num active_services)|$(money active_recurring)|$(money pending_approval) ($(num pending_approval_lines))|$(money pending_payment) ($(num pending_payment_lines))|$(money ytd_compensation)" \
	"db|2|50.0000|25.0000 (1)|10.0000 (1)|41.0000" "after the run, the sub-agent's summary by hand: approval 25.00, comp 41.00, 2 active / 50.00"
by AA GET /api/v1/commissions
is "$(money pending_approval) ($(num pending_approval_lines))|$(money pending_payment) ($(num pending_payment_lines))|$(money ytd_compensation)" \
	"12.5000 (2)|7.0000 (2)|22.5000" "  the agent's: approval 7.50 + 5.00, comp 17.50 + 5.00"
by BA GET "/api/v1/commissions/history?limit=100&f.kind=override"
is "$(hist_ids)" "" "  the sub-agent's history has no override of the run (A's is above it)"
by OP POST /api/v1/commissions/lines/decision "{\"action\":\"approve\",\"partner\":\"$B\"}"
is "$STATUS" 200 "the operator approves every approvable line of B"
by BA GET /api/v1/commissions
is "$(money pending_approval) ($(num pending_approval_lines))|$(money pending_payment) ($(num pending_payment_lines))|$(money ytd_compensation)" \
	"0.0000 (0)|35.0000 (2)|41.0000" "  after the approval: approval 0.00, payment 35.00 (2 lines)"

done_testing
