#!/usr/bin/env bash
# modules/commissions/t/distributor.sh -- PortaBilling's distributor
# commissions through the real stack (seed 002), posted at the event with
# no hold or approval, to the cent:
#   sales commission 15 %: a new account with a 10.00 balance -> the
#     distributor is charged 10.00 and credited 1.50: it owes 8.50;
#   payment commission 10 %: a 10.00 cash payment it records -> charged
#     10.00, credited 1.00: it owes 9.00 more;
#   an account created with zero credit limit and zero balance earns
#     nothing until a payment is recorded.
# Also: an opening balance past the distributor's credit limit is refused
# (400 naming opening_balance, nothing written), a redelivered event pays
# once. done_testing runs `tierportctl ledger check`.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 13

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand cds commissions invoices
source "$(dirname "$0")/lib.bash"
pbal() { sql "SELECT balance FROM partners WHERE id = $1"; }
abal() { sql "SELECT balance FROM accounts WHERE id = $1"; }
lines() { sql "SELECT COUNT(*) FROM commission_lines WHERE tenant_id = $T"; }
key() { echo "k-$RANDOM$RANDOM$RANDOM"; }
# settle N: waits (up to 10 s) until the brand has N commission lines
has_lines() { [ "$(lines)" -ge "$1" ]; }
settle() { wait_until 10 has_lines "$1" || true; }

by OP POST /api/v1/partners '{"name":"Channel","currency":"USD"}'
CH=$(json_num id)
by OP POST "/api/v1/partners/$CH/children" '{"name":"Street Dist","currency":"USD","kind":"distributor"}'
D=$(json_num id)
by OP POST "/api/v1/funds/partners/$D/credit" '{"credit_limit":"100","warning_threshold":""}'
by OP POST /api/v1/commissions/plans '{"name":"Distributors","currency":"USD"}'
P=$(json_num id)
by OP POST "/api/v1/commissions/plans/$P/rules" '{"kind":"sales","percent":"15","valid_from":"2026-01-01"}'
by OP POST "/api/v1/commissions/plans/$P/rules" '{"kind":"payment","percent":"10","valid_from":"2026-01-01"}'
by OP POST /api/v1/commissions/assignments "{\"partner\":\"$D\",\"plan\":\"$P\"}"
is "$STATUS" 200 "the distributor's plan: sales 15 %, payment 10 %"
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$D" --login d.admin --password-file - --admin --group partner-admin >/dev/null
DA=$(token d.admin partner)

# ------------------------------------------------------------- sales commission
by DA POST "/api/v1/partners/$D/accounts" '{"name":"Prepaid Pat","currency":"USD","opening_balance":"10"}'
is "$STATUS" 201 "the distributor creates an account with a 10.00 balance"
C1=$(json_num id)
settle 1
is "$(abal "$C1")|$(pbal "$D")" "-100000|85000" "  the account has 10.00; the distributor is charged 10.00 and credited 1.50: it owes 8.50"
is "$(sql "SELECT CONCAT_WS('|', kind, level, basis, rate_ppm, amount, status, partner_id, account_id) FROM commission_lines WHERE tenant_id = $T")" \
	"sales|0|100000|150000|15000|paid|$D|$C1" "  one sales line: 15 % of 10.00 = 1.50, paid at once (no hold, no approval)"

# ------------------------------------------------------------- zero credit, zero balance
by DA POST "/api/v1/partners/$D/accounts" '{"name":"Postpaid Pete","currency":"USD","credit_limit":"0","opening_balance":"0"}'
C2=$(json_num id)
sleep 2
is "$(lines)|$(pbal "$D")" "1|85000" "an account with zero credit limit and zero balance earns nothing"

# ------------------------------------------------------------- payment commission
by DA POST /api/v1/funds/cash-payments "{\"account\":\"$C2\",\"amount\":\"10\",\"reference\":\"R-1\"}" -H "Idempotency-Key: $(key)"
is "$STATUS" 201 "the distributor records a 10.00 cash payment from Postpaid Pete"
PAY=$(json_num payment_id)
settle 2
is "$(pbal "$D")" 175000 "  charged 10.00, credited 1.00: it owes 8.50 + 9.00 = 17.50"
is "$(sql "SELECT CONCAT_WS('|', kind, basis, rate_ppm, amount, status, payment_id) FROM commission_lines WHERE tenant_id = $T AND kind = 'payment'")" \
	"payment|100000|100000|10000|paid|$PAY" "  one payment line: 10 % of 10.00 = 1.00"

# ------------------------------------------------------------- once
EV=$(sql "SELECT id FROM events WHERE tenant_id = $T AND name = 'payment.recorded' ORDER BY id DESC LIMIT 1")
H1=$("$CTL" -c "$INI" ledger hash --brand "$SLUG")
# the same event delivered again (at least once: a copy of its row)
sql "INSERT INTO events (tenant_id, partner_id, account_id, name, payload) SELECT tenant_id, partner_id, account_id, name, payload FROM events WHERE id = ${EV:-0}"
EV2=$(sql "SELECT MAX(id) FROM events WHERE tenant_id = $T")
seen() { [ "$(sql "SELECT last_event_id >= $EV2 FROM event_cursors WHERE module = 'commissions'")" = 1 ]; }
wait_until 10 seen || true
is "$(lines)|$("$CTL" -c "$INI" ledger hash --brand "$SLUG")" "2|$H1" "a redelivered payment.recorded pays nothing twice"

# ------------------------------------------------------------- credit limit
N=$(sql "SELECT COUNT(*) FROM accounts WHERE tenant_id = $T")
by DA POST "/api/v1/partners/$D/accounts" '{"name":"Too Much","currency":"USD","opening_balance":"90"}'
is "$STATUS|$(json_str field)" "400|opening_balance" "an opening balance past the distributor's credit limit (17.50 + 90.00 > 100.00): 400"
like "$(json_str message)" "credit limit" "  it says why"
is "$(sql "SELECT COUNT(*) FROM accounts WHERE tenant_id = $T")|$(pbal "$D")" "$N|175000" "  nothing written"
by DA POST "/api/v1/partners/$D/accounts" '{"name":"Euro","currency":"EUR","opening_balance":"5"}'
is "$STATUS|$(json_str field)" "400|opening_balance" "an opening balance in another currency than the distributor's: 400"

done_testing
