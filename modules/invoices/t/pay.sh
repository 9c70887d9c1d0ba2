#!/usr/bin/env bash
# modules/invoices/t/pay.sh -- a customer's payments through the real stack,
# on a brand of its own, with the built-in test gateway (tok_ok approves,
# tok_decline declines, tok_timeout charges but never answers): payment
# methods (never a card number or CVV; a bank account sealed and masked,
# in no table, audit line or log in clear), every bad input a 400 or 404
# naming the field with nothing moved (the ledger hash unchanged), a payment
# on one invoice and one against the balance (allocation: the chosen
# invoice, then the oldest due), a double submit and a replayed key with
# other content, a decline, a timeout left "unknown" until the resolve
# command asks the gateway (charged once), the receipt page, PDF and mail,
# partial refunds (never above what is left) with their reversing entries
# and event, and the brand's rules on removing methods and autopay.
# done_testing runs `tierportctl ledger check`.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 82

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand pay invoices
source "$(dirname "$0")/lib.bash"
run() { "$CTL" -c "$INI" invoices run --brand "$SLUG" --cycle "$1"; }
balance() { sql "SELECT balance FROM accounts WHERE id = $1"; }
lhash() { "$CTL" -c "$INI" ledger hash --brand "$SLUG"; }
key() { echo "k-$RANDOM$RANDOM$RANDOM"; }
# pay TOKEN JSON [KEY]: a payment by customer TOKEN's login
pay() { by "$1" POST /api/v1/billing/payments "$2" -H "Idempotency-Key: ${3:-$(key)}"; }

# ------------------------------------------------------------- the setup
by OP POST /api/v1/partners '{"name":"Alpha","currency":"EUR"}'
A=$(json_num id)
for n in 1 2; do
	by OP POST "/api/v1/partners/$A/accounts" "{\"number\":\"P-$n\",\"name\":\"Payer $n\",\"currency\":\"EUR\"}"
	declare "P$n=$(json_num id)"
done
by OP POST /api/v1/products '{"name":"Line","product_type":"voip-line","currency":"EUR","periodic_charge":"100"}'
PR=$(json_num id)
for a in "$P1" "$P2"; do
	by OP POST "/api/v1/accounts/$a/services" "{\"product_id\":\"$PR\",\"phone_number\":\"+49307770$a\",\"start_date\":\"2026-10-01\",\"status\":\"active\"}"
done
sql "UPDATE accounts SET billing_email = CONCAT(LOWER(number), '@example.test') WHERE tenant_id = $T"
run 2026-10-01 >/dev/null
run 2026-11-01 >/dev/null
I1=$(sql "SELECT id FROM invoices WHERE account_id = $P1 AND period_start = '2026-10-01'")
I2=$(sql "SELECT id FROM invoices WHERE account_id = $P1 AND period_start = '2026-11-01'")
J1=$(sql "SELECT id FROM invoices WHERE account_id = $P2 AND period_start = '2026-10-01'")
is "$(balance "$P1")" 2000000 "P-1 owes two invoices of 100.00"
for u in "P-1 p1.user" "P-2 p2.user"; do
	set -- $u
	printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind customer --account "$1" --login "$2" --password-file - --group customer >/dev/null
done
C1=$(token p1.user customer) C2=$(token p2.user customer)

# ------------------------------------------------------------- methods
by C1 GET /api/v1/billing/payments
is "$STATUS" 200 "the customer's payments page"
card() { by "$1" POST /api/v1/billing/methods "{\"kind\":\"card\",\"token\":\"$2\",\"card_brand\":\"Visa\",\"last4\":\"$3\",\"exp_month\":\"12\",\"exp_year\":\"2040\"${4:-}}"; }
card C1 tok_ok 4242 ',"cvv":"123"'
is "$STATUS|$(json_str field)" "400|cvv" "a CVV is refused: 400 naming it"
card C1 tok_ok 4242 ',"card_number":"4242424242424242"'
is "$STATUS|$(json_str field)" "400|card_number" "a card number is refused: 400 naming it"
by C1 POST /api/v1/billing/methods '{"kind":"card","token":"4242424242424242","card_brand":"Visa","last4":"4242","exp_month":"12","exp_year":"2040"}'
is "$STATUS|$(json_str field)" "400|token" "  a token that is no gateway token: 400"
by C1 POST /api/v1/billing/methods '{"kind":"card","token":"tok_ok","card_brand":"Visa","last4":"4242","exp_month":"1","exp_year":"2020"}'
is "$STATUS|$(json_str field)" "400|exp_year" "  an expired card: 400"
is "$(sql "SELECT COUNT(*) FROM payment_methods WHERE account_id = $P1")" 0 "  nothing stored"
card C1 tok_ok 4242
is "$STATUS" 201 "a card by its token"
M_OK=$(json_num method_id)
like "$(body)" 'Visa .* 4242 \(12\\?/2040\)' "  shown as its brand, last four and expiry"
card C1 tok_decline 0002
M_DEC=$(json_num method_id)
card C1 tok_timeout 0003
M_TO=$(json_num method_id)
card C2 tok_ok 1111
M_2=$(json_num method_id)
by C1 POST /api/v1/billing/methods '{"kind":"ach","routing":"021000021","account_number":"98765432106789","holder":"Payer One"}'
is "$STATUS" 201 "a bank account"
M_ACH=$(json_num method_id)
like "$(sql "SELECT CONCAT_WS('|', last4, LEFT(account_sealed, 4)) FROM payment_methods WHERE id = ${M_ACH:-0}")" "^6789\|sb1:" \
	"  its number sealed by the key store, its last four kept"
is "$(sql "SELECT COUNT(*) FROM payment_methods WHERE CONCAT_WS('|', account_sealed, last4, token, holder, routing) LIKE '%98765432106789%'")" 0 \
	"  the number in clear in no column"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T AND detail LIKE '%98765432106789%'")" 0 "  nor in the audit log"
by C1 GET /api/v1/billing/payments
like "$(body)" "Bank account •••• 6789" "  masked on the page: •••• 6789"
unlike "$(body)" "98765432106789" "  never in full"
by C1 POST /api/v1/billing/methods '{"kind":"ach","routing":"0210","account_number":"98765432106789"}'
is "$STATUS|$(json_str field)" "400|routing" "  a routing number that is not nine digits: 400"

# ------------------------------------------------------------- bad input: nothing moves
H0=$(lhash)
B0=$(balance "$P1")
pay C1 "{\"method_id\":\"$M_OK\",\"amount\":\"0\"}"
is "$STATUS|$(json_str field)" "400|amount" "a zero amount: 400 naming it"
pay C1 "{\"method_id\":\"$M_OK\",\"amount\":\"-5\"}"
is "$STATUS|$(json_str field)" "400|amount" "a negative amount: 400"
pay C1 "{\"method_id\":\"$M_OK\",\"amount\":\"1.234\"}"
is "$STATUS|$(json_str field)" "400|amount" "more decimals than EUR has: 400"
pay C1 "{\"method_id\":\"$M_OK\",\"amount\":\"5\",\"currency\":\"USD\"}"
is "$STATUS|$(json_str field)" "400|currency" "the wrong currency: 400"
pay C1 "{\"method_id\":\"$M_OK\",\"amount\":\"5\",\"invoice\":\"$J1\"}"
is "$STATUS" 404 "a payment on someone else's invoice: 404"
pay C1 "{\"method_id\":\"$M_2\",\"amount\":\"5\"}"
is "$STATUS" 404 "with someone else's card: 404"
by C1 POST /api/v1/billing/payments "{\"method_id\":\"$M_OK\",\"amount\":\"5\"}"
is "$STATUS|$(json_str field)" "400|idempotency_key" "without an idempotency key: 400"
is "$(lhash)|$(balance "$P1")|$(sql "SELECT COUNT(*) FROM payments WHERE tenant_id = $T")|$(sql "SELECT COUNT(*) FROM gw_test_charges WHERE tenant_id = $T")" \
	"$H0|$B0|0|0" "  nothing moved: the ledger hash, the balance, no payment, no charge"

# ------------------------------------------------------------- a payment on an invoice
K1=$(key)
pay C1 "{\"method_id\":\"$M_OK\",\"amount\":\"30\",\"invoice\":\"$I2\"}" "$K1"
is "$STATUS|$(json_str status)|$(json_str number)" "201|settled|RC-000001" "30.00 on the November invoice: settled, receipt RC-000001"
PAY1=$(json_num payment_id)
is "$(balance "$P1")" 1700000 "  the balance falls to 170.00"
is "$(sql "SELECT CONCAT_WS('|', (SELECT paid FROM invoices WHERE id = $I1), (SELECT paid FROM invoices WHERE id = $I2))")" "0|300000" \
	"  the chosen invoice paid, the older one not"
is "$(sql "SELECT GROUP_CONCAT(CONCAT(l.code, ':', e.amount) ORDER BY e.amount DESC) FROM ledger_entries e JOIN ledger_accounts l ON l.id = e.ledger_account_id JOIN ledger_txns t ON t.id = e.txn_id WHERE t.tenant_id = $T AND t.kind = 'payment'")" \
	"gateway.clearing:300000,receivable:-300000" "  Dr gateway.clearing / Cr receivable"
is "$(sql "SELECT COUNT(*) FROM events WHERE tenant_id = $T AND name = 'payment.recorded'")" 1 "  payment.recorded emitted"
is "$(sql "SELECT COUNT(*) FROM mail_outbox WHERE tenant_id = $T AND to_addr = 'p-1@example.test' AND subject = 'Payment received: RC-000001'")" 1 \
	"  the receipt mailed"
pay C1 "{\"method_id\":\"$M_OK\",\"amount\":\"30\",\"invoice\":\"$I2\"}" "$K1"
is "$STATUS|$(json_num payment_id)|$(balance "$P1")|$(sql "SELECT COUNT(*) FROM payments WHERE tenant_id = $T")" "201|$PAY1|1700000|1" \
	"a double submit: the first payment's answer, nothing charged again"
H1=$(lhash)
pay C1 "{\"method_id\":\"$M_OK\",\"amount\":\"31\",\"invoice\":\"$I2\"}" "$K1"
is "$STATUS|$(json_str field)|$(lhash)" "409|idempotency_key|$H1" "the key replayed with other content: 409, nothing moved"

# ------------------------------------------------------------- against the balance
pay C1 "{\"method_id\":\"$M_OK\",\"amount\":\"100\"}"
is "$STATUS|$(json_str status)" "201|settled" "100.00 against the balance"
PAY2=$(json_num payment_id)
is "$(sql "SELECT CONCAT_WS('|', (SELECT paid FROM invoices WHERE id = $I1), (SELECT paid FROM invoices WHERE id = $I2))")|$(balance "$P1")" "1000000|300000|700000" \
	"  it pays the oldest invoice first"

# ------------------------------------------------------------- declined
pay C1 "{\"method_id\":\"$M_DEC\",\"amount\":\"10\"}"
is "$STATUS|$(json_str status)" "201|declined" "a declined card: the payment says declined"
PAYD=$(json_num payment_id)
like "$(json_str decline_reason)" "declined" "  with the gateway's reason"
is "$(balance "$P1")|$(sql "SELECT COUNT(*) FROM ledger_txns WHERE tenant_id = $T AND document_type = 'payment' AND document_id = ${PAYD:-0}")" "700000|0" \
	"  nothing moved"

# ------------------------------------------------------------- timeout: unknown until asked again
KT=$(key)
pay C1 "{\"method_id\":\"$M_TO\",\"amount\":\"20\"}" "$KT"
is "$STATUS|$(json_str status)" "201|unknown" "the gateway never answers: the payment is unknown"
PAYT=$(json_num payment_id)
is "$(balance "$P1")|$(sql "SELECT COUNT(*) FROM ledger_txns WHERE tenant_id = $T AND document_id = ${PAYT:-0} AND document_type = 'payment'")" "700000|0" \
	"  no ledger entry while unknown"
pay C1 "{\"method_id\":\"$M_TO\",\"amount\":\"20\"}" "$KT"
is "$STATUS|$(json_str status)|$(sql "SELECT COUNT(*) FROM gw_test_charges WHERE tenant_id = $T AND idem_key = 'pay:$KT'")" "201|unknown|1" \
	"  submitted again: still unknown, the gateway asked once"
out=$("$CTL" -c "$INI" invoices resolve --brand "$SLUG")
like "$out" "1 settled, 0 declined, 0 still unknown" "the resolve command asks the gateway: it was charged"
is "$(sql "SELECT status FROM payments WHERE id = ${PAYT:-0}")|$(balance "$P1")" "settled|500000" "  settled once: the balance falls by 20.00"
like "$("$CTL" -c "$INI" invoices resolve --brand "$SLUG")" "0 settled" "  asked again: nothing more"
is "$(sql "SELECT COUNT(*) FROM gw_test_charges WHERE tenant_id = $T AND idem_key = 'pay:$KT'")|$(sql "SELECT COUNT(*) FROM ledger_txns WHERE tenant_id = $T AND idem_key = 'pay:$KT'")" "1|1" \
	"  never charged or posted twice"

# ------------------------------------------------------------- the receipt
by C1 GET "/api/v1/payments/$PAY1"
like "$(body)" '"number":"RC-000001"' "the receipt page"
like "$(body)" "Visa .* 4242" "  the card masked"
by C2 GET "/api/v1/payments/$PAY1"
is "$STATUS" 404 "  another customer: 404"
req GET "/payments/$PAY1/pdf" "${H[@]}" -H "Authorization: Bearer $C1"
is "$STATUS|$(header Content-Type)" "200|application/pdf" "the receipt's PDF"
cp "$BODY" "$T_DIR/receipt.pdf"
txt=$(pdftotext "$T_DIR/receipt.pdf" - 2>/dev/null || true)
like "$txt" "Payment receipt RC-000001" "  it says what it is"
like "$txt" "30.00 EUR" "  and the amount"
req GET "/payments/$PAYD/pdf" "${H[@]}" -H "Authorization: Bearer $C1"
is "$STATUS" 404 "  a declined payment has no receipt"

# ------------------------------------------------------------- refunds
refund() { by "$1" POST "/api/v1/payments/$2/refunds" "{\"amount\":\"$3\",\"reason\":\"$4\"}" -H "Idempotency-Key: $(key)"; }
H2=$(lhash)
refund C1 "$PAY1" 10 "mine"
is "$STATUS" 404 "a customer cannot refund: 404"
refund OP "$PAY1" 30.01 "too much"
is "$STATUS|$(json_str field)" "400|amount" "a refund above the payment: 400 naming the amount"
refund OP "$PAY1" 0 "zero"
is "$STATUS|$(json_str field)" "400|amount" "  a zero refund: 400"
is "$(lhash)" "$H2" "  nothing moved"
refund OP "$PAY1" 10 "goodwill"
is "$STATUS" 201 "a partial refund of 10.00"
is "$(balance "$P1")|$(sql "SELECT refunded FROM payments WHERE id = $PAY1")|$(sql "SELECT paid FROM invoices WHERE id = $I2")" "600000|100000|400000" \
	"  the balance rises, the payment's refunded part, its invoice open again by 10.00 (50.00 paid of it: 30.00, then the timed-out 20.00)"
is "$(sql "SELECT GROUP_CONCAT(CONCAT(l.code, ':', e.amount) ORDER BY e.amount DESC) FROM ledger_entries e JOIN ledger_accounts l ON l.id = e.ledger_account_id JOIN ledger_txns t ON t.id = e.txn_id WHERE t.tenant_id = $T AND t.kind = 'refund'")" \
	"receivable:100000,gateway.clearing:-100000" "  reversing entries: Dr receivable / Cr gateway.clearing"
is "$(sql "SELECT COUNT(*) FROM events WHERE tenant_id = $T AND name = 'payment.refunded'")|$(sql "SELECT COUNT(*) FROM gw_test_charges WHERE tenant_id = $T AND kind = 'refund'")" "1|1" \
	"  payment.refunded emitted, refunded by the gateway to the card"
refund OP "$PAY1" 20.01 "more"
is "$STATUS|$(json_str field)" "400|amount" "  more than is left (20.00): 400"
refund OP "$PAY1" 20 "the rest"
is "$STATUS|$(sql "SELECT refunded FROM payments WHERE id = $PAY1")" "201|300000" "  the rest: refunded in full"
refund OP "$PAYD" 1 "declined"
is "$STATUS|$(json_str field)" "409|payment" "a declined payment cannot be refunded"

# ------------------------------------------------------------- rules: methods and autopay
by C1 POST "/api/v1/billing/autopay" "{\"method_id\":\"$M_ACH\"}"
is "$STATUS|$(json_str field)" "400|method_id" "bank autopay without a signed authorisation: 400"
by OP POST "/api/v1/accounts/$P1/ach-authorisation" '{"authorised":"1"}'
is "$STATUS|$(sql "SELECT ach_authorised FROM accounts WHERE id = $P1")" "200|1" "an operator records the signed authorisation: the core's flag on the account"
by C1 POST "/api/v1/accounts/$P1/ach-authorisation" '{"authorised":"1"}'
is "$STATUS" 404 "  a customer cannot"
by C1 POST "/api/v1/billing/autopay" "{\"method_id\":\"$M_ACH\"}"
is "$STATUS|$(sql "SELECT autopay_method_id FROM payment_profiles WHERE account_id = $P1")" "200|$M_ACH" "then bank autopay is allowed"
# a bank account whose number the key store cannot open (sealed under a
# key since removed; here a value that opens under none): never a debit
# with no number -- declined, saying why, nothing moved
by C1 POST /api/v1/billing/methods '{"kind":"ach","routing":"021000021","account_number":"55554444","holder":"Payer One"}'
M_OFF=$(json_num method_id)
SEALED=$(sql "SELECT account_sealed FROM payment_methods WHERE id = ${M_OFF:-0}")
sql "UPDATE payment_methods SET account_sealed = CONCAT(LEFT(account_sealed, 4), REPEAT('A', 64)) WHERE id = ${M_OFF:-0}"
BO=$(balance "$P1")
pay C1 "{\"method_id\":\"$M_OFF\",\"amount\":\"10\"}"
is "$STATUS|$(json_str status)" "201|declined" "a bank account whose number cannot be opened: declined"
like "$(json_str decline_reason)" "cannot be opened.*key store" "  saying the key store cannot open it"
is "$(balance "$P1")|$(sql "SELECT COUNT(*) FROM ledger_txns WHERE tenant_id = $T AND document_type = 'payment' AND document_id = $(json_num payment_id)")" "$BO|0" "  nothing moved"
# (the value as it was: `key reencrypt` in a later script must open all)
sql "UPDATE payment_methods SET account_sealed = '$SEALED' WHERE id = ${M_OFF:-0}"
by C1 POST "/api/v1/billing/autopay" "{\"method_id\":\"$M_2\"}"
is "$STATUS" 404 "  autopay with someone else's card: 404"
by C1 POST "/api/v1/billing/methods/$M_ACH/remove" '{}'
is "$STATUS|$(json_str field)" "409|method" "the autopay method cannot be removed while it pays"
by OP POST /api/v1/billing/payment-rules '{"dunning_days":"3,1"}'
is "$STATUS|$(json_str field)" "400|dunning_days" "payment rules: dunning days that do not rise: 400"
by C1 POST /api/v1/billing/payment-rules '{"can_delete_methods":"1","can_leave_autopay":"1"}'
is "$STATUS" 404 "  a customer cannot set them"
by OP POST /api/v1/billing/payment-rules '{"can_delete_methods":"0","can_leave_autopay":"0","dunning_days":"1,3,7"}'
is "$STATUS|$(sql "SELECT CONCAT_WS('|', can_delete_methods, can_leave_autopay, dunning_days) FROM payment_settings WHERE tenant_id = $T")" \
	"200|0|0|1,3,7" "the operator sets the brand's payment rules"
by C1 POST "/api/v1/billing/autopay" '{"method_id":""}'
is "$STATUS|$(sql "SELECT autopay_method_id FROM payment_profiles WHERE account_id = $P1")" "403|$M_ACH" \
	"the brand says customers cannot leave autopay: 403, still enrolled"
by C1 POST "/api/v1/billing/methods/$M_DEC/remove" '{}'
is "$STATUS|$(sql "SELECT status FROM payment_methods WHERE id = $M_DEC")" "403|active" "nor remove a method: 403"
by OP POST "/api/v1/accounts/$P1/methods/$M_DEC/remove" '{}'
is "$STATUS|$(sql "SELECT status FROM payment_methods WHERE id = $M_DEC")" "200|removed" "  an operator can"
by C2 POST "/api/v1/billing/methods/$M_OK/remove" '{}'
is "$STATUS" 404 "  another customer's method: 404"
sql "UPDATE tenants SET payment_address = 'Pay Co, PO Box 7, Berlin' WHERE id = $T"
by C1 GET /api/v1/billing/payments
like "$(body)" "Pay Co, PO Box 7" "Mail a payment: the brand's payment address"

# ------------------------------------------------------------- never in clear
# the servers' logs (the test scripts' own TAP logs lie beside them)
is "$(grep -rl --exclude='integration-*' 98765432106789 "$TP_VAR/log" 2>/dev/null | wc -l)" 0 "the bank account number is in no log"
is "$(mariadb-dump --socket="$TP_VAR/run/mysqld.sock" -u "$(id -un)" tierport 2>/dev/null | grep -c 98765432106789)" 0 "  nor in the database's dump"
rcli() { redis-cli -s "$TP_VAR/run/redis.sock" "$@"; }
n=0
for k in $(rcli --scan); do rcli DUMP "$k" | grep -qa 98765432106789 && n=$((n + 1)); done
is "$n" 0 "  nor in Redis"

done_testing
