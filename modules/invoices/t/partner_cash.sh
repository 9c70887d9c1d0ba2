#!/usr/bin/env bash
# modules/invoices/t/partner_cash.sh -- a distributor records the cash a
# customer in its subtree paid it (PortaBilling's distributors;
# docs/money.md, "Partners' balances") through the real stack: the
# customer's balance falls by the amount, the distributor is charged what
# it collected (Dr partner.receivable / Cr the customer, one ledger
# transaction), the payment.recorded event names it; refused past its
# credit limit with the reason; a double submit is one payment, a replayed
# key with other content a 409; every bad input a 400 naming the field
# with nothing moved; the payment history and log grids, scoped and
# exported. done_testing runs `tierportctl ledger check`.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 43

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand pca invoices
source "$(dirname "$0")/lib.bash"
pbal() { sql "SELECT balance FROM partners WHERE id = $1"; }
abal() { sql "SELECT balance FROM accounts WHERE id = $1"; }
state() { echo "$(pbal "$D")|$(pbal "$S")|$(abal "$C1")|$(abal "$C2")|$(sql "SELECT COUNT(*) FROM ledger_txns WHERE tenant_id = $T")|$(sql "SELECT COUNT(*) FROM payments WHERE tenant_id = $T")"; }
key() { echo "k-$RANDOM$RANDOM$RANDOM"; }
cash() { by "$1" POST /api/v1/funds/cash-payments "$2" -H "Idempotency-Key: ${3:-$(key)}"; }

# ------------------------------------------------------------- the setup
by OP POST /api/v1/partners '{"name":"Street Dist","currency":"EUR"}'
D=$(json_num id)
by OP POST "/api/v1/partners/$D/children" '{"name":"Corner Shop","currency":"EUR"}'
S=$(json_num id)
by OP POST /api/v1/partners '{"name":"Elsewhere","currency":"EUR"}'
E=$(json_num id)
acct() { by OP POST "/api/v1/partners/$1/accounts" "{\"number\":\"$2\",\"name\":\"$3\",\"currency\":\"${4:-EUR}\"}"; json_num id; }
C1=$(acct "$D" PC-1 "Cash One")
C2=$(acct "$S" PC-2 "Cash Two")
CE=$(acct "$E" PC-E "Cash Else")
CU=$(acct "$D" PC-U "Cash USD" USD)
[ -n "$C1" ] && [ -n "$C2" ] && [ -n "$CE" ] && [ -n "$CU" ] || { echo "Bail out! setup failed: $(body)"; exit 1; }
for u in "$D d.admin" "$S s.admin"; do
	set -- $u
	printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$1" --login "$2" --password-file - --admin --group partner-admin >/dev/null
done
DA=$(token d.admin partner) SA=$(token s.admin partner)
# Cash One owes 120.00 (an operator's debit, through the ledger)
sql "INSERT INTO billing_settings (tenant_id, approval_threshold) VALUES ($T, 100000000)"
by OP POST "/api/v1/accounts/$C1/adjustments" '{"kind":"debit","amount":"120.00","reason_code":"fee"}' -H "Idempotency-Key: $(key)"
is "$STATUS|$(abal "$C1")" "201|1200000" "Cash One owes 120.00"
by OP POST "/api/v1/funds/partners/$D/credit" '{"credit_limit":"100","warning_threshold":""}'
is "$STATUS" 200 "Street Dist has a credit limit of 100.00"

# ------------------------------------------------------------- a cash payment
K1=$(key)
cash DA "{\"account\":\"$C1\",\"amount\":\"50\",\"reference\":\"R-0001\"}" "$K1"
is "$STATUS|$(abal "$C1")|$(pbal "$D")" "201|700000|500000" "the distributor records 50.00 cash from Cash One: it owes 70.00, the distributor is charged 50.00"
P1=$(json_num payment_id)
is "$(json_str account_balance_words)" "you owe 70.00 EUR" "  the answer says the customer's new balance"
is "$(json_str partner_balance_words)" "you owe the provider 50.00 EUR" "  and the distributor's"
is "$(sql "SELECT CONCAT_WS('|', method, source, status, recorded_by, debit_account, amount, reference) FROM payments WHERE id = ${P1:-0}")" \
	"cash|partner|settled|$D|partner.receivable|500000|R-0001" "  a settled cash payment recorded by the distributor"
TX=$(sql "SELECT ledger_txn_id FROM payments WHERE id = ${P1:-0}")
is "$(sql "SELECT GROUP_CONCAT(CONCAT(l.code, ':', IFNULL(e.partner_id, '-'), ':', e.amount) ORDER BY e.amount DESC) FROM ledger_entries e JOIN ledger_accounts l ON l.id = e.ledger_account_id WHERE e.txn_id = ${TX:-0}")" \
	"partner.receivable:$D:500000,receivable:$D:-500000" "  one ledger transaction: Dr the distributor's partner.receivable / Cr the customer"
is "$(sql "SELECT COUNT(*) FROM events WHERE tenant_id = $T AND name = 'payment.recorded' AND account_id = $C1 AND JSON_VALUE(payload, '$.recorded_by') = '$D'")" 1 \
	"  one payment.recorded event naming the distributor (what commissions use)"
cash DA "{\"account\":\"$C1\",\"amount\":\"50\",\"reference\":\"R-0001\"}" "$K1"
is "$STATUS|$(json_num payment_id)|$(abal "$C1")|$(pbal "$D")" "201|$P1|700000|500000" "a double submit (same key, same content): the first answer, paid once"
S0=$(state)
cash DA "{\"account\":\"$C1\",\"amount\":\"60\",\"reference\":\"R-0001\"}" "$K1"
is "$STATUS|$(json_str field)|$(state)" "409|idempotency_key|$S0" "the key replayed with another amount: 409 naming idempotency_key, nothing moved"

# past the credit limit
cash DA "{\"account\":\"$C1\",\"amount\":\"50.01\"}"
is "$STATUS|$(json_str field)|$(state)" "400|amount|$S0" "50.01 more would charge it 100.01, past its limit of 100.00: 400 naming amount, nothing moved"
like "$(json_str message)" "past Street Dist's credit limit.*can use 50.00 EUR more" "  the message says why"

# bad input
bad() {
	cash DA "$2"
	is "$STATUS|$(json_str field)|$(state)" "400|$1|$S0" "  $3: 400 naming $1, nothing moved"
}
bad amount "{\"account\":\"$C1\",\"amount\":\"0\"}" "a zero amount"
bad amount "{\"account\":\"$C1\",\"amount\":\"-10\"}" "a negative amount"
bad amount "{\"account\":\"$C1\",\"amount\":\"10.005\"}" "more decimals than EUR has"
bad amount "{\"account\":\"$C1\",\"amount\":\"1e2\"}" "an exponent"
bad currency "{\"account\":\"$C1\",\"amount\":\"10\",\"currency\":\"USD\"}" "the wrong currency"
bad account "{\"account\":\"$CU\",\"amount\":\"10\"}" "a customer billed in USD"
bad account "{\"amount\":\"10\"}" "no customer"
bad reference "{\"account\":\"$C1\",\"amount\":\"10\",\"reference\":\"$(printf 'r%.0s' {1..65})\"}" "a reference of 65 characters"
by DA POST /api/v1/funds/cash-payments "{\"account\":\"$C1\",\"amount\":\"10\"}"
is "$STATUS|$(json_str field)|$(state)" "400|idempotency_key|$S0" "  no idempotency key: 400, nothing moved"
cash DA "{\"account\":\"$CE\",\"amount\":\"10\"}"
is "$STATUS|$(state)" "404|$S0" "a customer outside its subtree: 404, nothing moved"
cash SA "{\"account\":\"$C1\",\"amount\":\"10\"}"
is "$STATUS|$(state)" "404|$S0" "its sub-partner cannot record for its parent's customer: 404"
cash SA "{\"account\":\"$C2\",\"amount\":\"10\"}"
is "$STATUS|$(json_str field)|$(state)" "400|amount|$S0" "the sub-partner (no credit) cannot record on its parent's credit: 400"

# the distributor records for a customer of its sub-partner; a refill makes room
by OP POST "/api/v1/funds/partners/$D/refills" '{"amount":"40","reference":"cash in"}' -H "Idempotency-Key: $(key)"
is "$STATUS|$(pbal "$D")" "201|100000" "the operator records 40.00 the distributor paid in: it owes 10.00"
cash DA "{\"account\":\"$C2\",\"amount\":\"25.50\",\"reference\":\"R-0002\"}"
is "$STATUS|$(abal "$C2")|$(pbal "$D")|$(pbal "$S")" "201|-255000|355000|0" "25.50 for Cash Two (its sub-partner's customer): Cash Two in credit, the distributor charged"

# ------------------------------------------------------------- the history
by DA GET "/api/v1/funds/customer-payments?sort=-id"
is "$STATUS" 200 "the distributor's payment history over its subtree"
like "$(body)" "R-0001" "  has the payment of Cash One"
like "$(body)" "R-0002" "  and of Cash Two"
like "$(body)" '"cash"' "  with the method"
by SA GET /api/v1/funds/customer-payments
unlike "$(body)" "R-0001" "the sub-partner's history: not its parent's customer"
like "$(body)" "R-0002" "  its own customer's payment"
by DA GET /api/v1/funds/payments
like "$(body)" "R-0001.*|R-0002" "own payments: the cash it recorded"
by SA GET /api/v1/funds/payments
unlike "$(body)" "R-000" "  none for the sub-partner (it recorded nothing)"
by DA GET /api/v1/funds/log
is "$STATUS" 200 "the payment log"
like "$(body)" "cash in" "  has the refill"
like "$(body)" "R-0002" "  and the payments"
req GET "/funds/customer-payments?format=csv" "${H[@]}" -H "Authorization: Bearer $DA"
is "$STATUS" 200 "the history exported as CSV"
like "$(body)" "R-0001" "  with its rows"

# ------------------------------------------------------------- the HTML form
K3=$(key)
req POST /funds/cash-payments "${H[@]}" -H "Authorization: Bearer $DA" --data-urlencode "account=$C1" --data-urlencode "amount=20.00" --data-urlencode "idempotency_key=$K3"
is "$STATUS|$(header Location)|$(abal "$C1")" "303|/funds|500000" "the form: a 303 back to the page, Cash One owes 50.00"
req POST /funds/cash-payments "${H[@]}" -H "Authorization: Bearer $DA" --data-urlencode "account=$C1" --data-urlencode "amount=20.00" --data-urlencode "idempotency_key=$K3"
is "$STATUS|$(abal "$C1")" "303|500000" "  submitted twice: paid once"
req POST /funds/cash-payments "${H[@]}" -H "Authorization: Bearer $DA" -H 'Accept: text/html' --data-urlencode "account=$C1" --data-urlencode "amount=abc" --data-urlencode "idempotency_key=$(key)"
is "$STATUS" 400 "a bad amount on the form: 400"
like "$(body)" "Amount must be an amount in EUR" "  the form again with the message"

done_testing
