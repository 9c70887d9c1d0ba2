#!/usr/bin/env bash
# modules/invoices/t/partner_demo.sh -- `tierportctl demo` gives its
# partners money too (modules/invoices/cash.c: partner_demo, the last step
# of core/ctl/demo_money.c): credit limits with warning thresholds, North
# Agency's refill and its transfers to Globex, Street Distribution's cash
# payments from Acme Bakery; what the distributor sees on first sign-in.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 10

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_demo pdemo
pid() { sql "SELECT id FROM partners WHERE tenant_id = $T AND name = '$1'"; }
# less BASE PARTNER: BASE less the commission the demo credited the partner
# and did not pay out (docs/commissions.md: a line earned moves its
# balance; a disbursement moves it back)
less() { sql "SELECT $1 - IFNULL(SUM(amount), 0) FROM commission_lines WHERE partner_id = $2 AND status NOT IN ('cancelled', 'declined') AND disbursement_id IS NULL"; }
# Street Distribution's payment commission on its two cash payments comes
# with their events: wait for both lines
paylines() { [ "$(sql "SELECT COUNT(*) FROM commission_lines WHERE partner_id = $(pid 'Street Distribution') AND kind = 'payment'")" -ge 2 ]; }
wait_until 20 paylines || true
like "$(cat "$T_DIR/demo.out")" "partners' credit, transfers and cash payments" "demo says it gave the partners money"
is "$(sql "SELECT CONCAT_WS('|', credit_limit, warning_kind, warning_ppm, balance) FROM partners WHERE id = $(pid 'Street Distribution')")" \
	"5000000|percent|900000|$(less 500000 "$(pid 'Street Distribution')")" "Street Distribution: a limit of 500.00 warning at 90 %, charged the 50.00 it collected (less its commissions)"
is "$(sql "SELECT GROUP_CONCAT(CONCAT(p.reference, ':', p.amount) ORDER BY p.id) FROM payments p JOIN accounts a ON a.id = p.account_id WHERE p.tenant_id = $T AND p.method = 'cash' AND a.number = '100001'")" \
	"CASH-0001:300000,CASH-0002:200000" "  two cash payments from Acme Bakery"
is "$(sql "SELECT balance FROM partners WHERE id = $(pid 'North Agency')")" "$(less -9350000 "$(pid 'North Agency')")" \
	"North Agency: 1000.00 of funds less 65.00 transferred (and its commissions not yet paid out)"
is "$(sql "SELECT GROUP_CONCAT(CONCAT(a.number, ':', f.amount) ORDER BY f.id) FROM partner_funds f JOIN accounts a ON a.id = f.account_id WHERE f.tenant_id = $T AND f.kind = 'transfer'")" \
	"100002:400000,100004:250000" "  its transfers to Globex Corp and Globex West"
is "$(sql "SELECT COUNT(*) FROM partner_funds WHERE tenant_id = $T AND kind = 'refill'")" 2 "refills for North and South Agency"
login dist distributor.street partner
as dist GET /api/v1/funds
OWES=$(sql "SELECT FORMAT(($(less 500000 "$(pid 'Street Distribution')")) / 10000, 2)")
is "$STATUS|$(json_str balance_words)" "200|you owe the provider $OWES EUR" "distributor.street signs in and sees what it owes"
is "$(sql "SELECT GROUP_CONCAT(amount ORDER BY id) FROM commission_lines WHERE partner_id = $(pid 'Street Distribution') AND kind = 'payment'")" \
	"30000,20000" "  its payment commission: 10 % of each cash payment, 3.00 and 2.00"
as dist GET /api/v1/funds/payments
like "$(body)" "CASH-0002" "  and the cash payments it recorded"
as dist GET /api/v1/funds/customer-payments
like "$(body)" "CASH-0001" "  in its payment history"

done_testing
