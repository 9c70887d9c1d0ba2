#!/usr/bin/env bash
# modules/invoices/t/money.sh -- the invoices module and the core ledger
# through the real stack, on a brand of its own, worked by hand
# (docs/money.md): a 31.00 monthly line started on 17 October (15 of 31
# days: 15.00), its 10.00 activation, two calls of 1.2345 and 1.1105 (2.345:
# 2.34 half-even), 20 % tax per line (3.00 + 2.00 + 0.47) = 32.81; billed
# once however often the run runs; what the customer, another customer and
# another partner see; the PDF; a credit note with its idempotency key
# (replayed, reused with other content, raced); bad amounts; manual credits
# above and below the approval threshold; gapless numbers under two
# concurrent runs. done_testing runs `tierportctl ledger check`.
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 91

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand inv invoices
source "$(dirname "$0")/lib.bash"
money() { sql "SELECT $1"; }
balance() { sql "SELECT balance FROM accounts WHERE id = $1"; }
run() { "$CTL" -c "$INI" invoices run --brand "$SLUG" --cycle "$1"; }

# ------------------------------------------------------------- the setup
by OP POST /api/v1/partners '{"name":"Alpha","currency":"EUR"}'
A=$(json_num id)
by OP POST /api/v1/partners '{"name":"Omega","currency":"EUR"}'
O=$(json_num id)
by OP POST "/api/v1/partners/$A/accounts" '{"number":"M-1","name":"Money One","currency":"EUR","street":"Main St 1","city":"Berlin","postcode":"10115","country":"DE"}'
M1=$(json_num id)
by OP POST "/api/v1/partners/$A/accounts" '{"number":"M-2","name":"Money Two","currency":"EUR","street":"Side St 2","city":"Berlin","postcode":"10115","country":"DE"}'
M2=$(json_num id)
by OP POST /api/v1/products '{"name":"Line","product_type":"voip-line","currency":"EUR","periodic_charge":"31","one_time_charge":"10","category":"voice","tax_class":"standard","early_termination_fee":"50"}'
P=$(json_num id)
is "$(sql "SELECT CONCAT_WS('|', pc.code, p.tax_class, p.early_termination_fee) FROM products p JOIN product_categories pc ON pc.id = p.category_id WHERE p.id = ${P:-0}")" \
	"voice|standard|500000" "a product in category voice, tax class standard, with a 50.00 early-termination fee"
by OP POST /api/v1/products '{"name":"Bad","product_type":"other","currency":"EUR","category":"Voice!"}'
is "$STATUS|$(json_str field)" "400|category" "  a category that is no code: 400 naming it"
by OP POST "/api/v1/accounts/$M1/services" "{\"product_id\":\"$P\",\"phone_number\":\"+4930555000\",\"start_date\":\"2026-10-17\",\"status\":\"active\"}"
is "$STATUS" 201 "a line on M-1, from 17 October"
S1=$(json_num id)
is "$(sql "SELECT CONCAT_WS('|', status, effective, periodic_charge) FROM service_history WHERE service_id = ${S1:-0}")" \
	"active|2026-10-17|310000" "the service's history starts on its start date"
sql "INSERT INTO tax_rates (tenant_id, tax_class, name, rate_ppm) VALUES ($T, 'standard', 'VAT', 200000);
     INSERT INTO rated_usage (tenant_id, partner_id, account_id, service_id, product_id, linkedid, kind, started_at, duration_s, destination, amount, currency)
     VALUES ($T, $A, $M1, $S1, $P, 'call-1', 'call', '2026-10-20 10:00:00', 125, '+4930111', 12345, 'EUR'),
            ($T, $A, $M1, $S1, $P, 'call-2', 'call', '2026-10-21 11:00:00', 61, '+4930222', 11105, 'EUR'),
            ($T, $A, $M1, $S1, $P, 'call-3', 'call', '2026-11-02 09:00:00', 30, '+4930333', 5000, 'EUR')"
for u in "M-1 m1.user" "M-2 m2.user"; do
	set -- $u
	printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind customer --account "$1" --login "$2" --password-file - --group customer >/dev/null
done
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$O" --login omega.admin --password-file - --admin --group partner-admin >/dev/null
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind operator --login op2 --password-file - --admin >/dev/null
C1=$(token m1.user customer) C2=$(token m2.user customer) OM=$(token omega.admin partner) OP2=$(token op2 operator)

# ------------------------------------------------------------- the run
out=$(run 2026-10-01)
like "$out" "cycle 2026-10-01: 1 invoices, 4 lines" "the October run bills M-1 (M-2 has nothing): 4 lines"
INV=$(sql "SELECT id FROM invoices WHERE tenant_id = $T AND account_id = $M1 AND kind = 'invoice'")
is "$(sql "SELECT CONCAT_WS('|', number, period_start, period_end, recurring_total, one_time_total, usage_total, subtotal, tax_total, total) FROM invoices WHERE id = ${INV:-0}")" \
	"INV-000001|2026-10-01|2026-10-31|150000|100000|23400|273400|54700|328100" \
	"15.00 + 10.00 + 2.34, tax 5.47, total 32.81"
is "$(sql "SELECT GROUP_CONCAT(CONCAT(kind, ':', amount, ':', tax_amount) ORDER BY line_no) FROM invoice_lines WHERE invoice_id = ${INV:-0}")" \
	"recurring:150000:30000,one_time:100000:20000,usage:23400:4700,tax:54700:0" \
	"each line rounded once, its tax rounded on it; one tax line for the rate"
like "$(sql "SELECT description FROM invoice_lines WHERE invoice_id = ${INV:-0} AND line_no = 1")" \
	"2026-10-17 to 2026-10-31 \(15 of 31 days\)" "the prorated line says its days"
is "$(balance "$M1")" 328100 "M-1's stored balance moved with the invoice"
is "$(sql "SELECT COUNT(*) FROM rated_usage WHERE account_id = $M1 AND invoice_id = ${INV:-0}")" 2 \
	"the two October calls are billed; November's waits"
is "$(sql "SELECT COUNT(*) FROM events WHERE tenant_id = $T AND name = 'invoice.issued' AND account_id = $M1")" 1 \
	"invoice.issued is emitted once"
is "$(sql "SELECT CONCAT_WS('|', COUNT(*), SUM(e.amount)) FROM ledger_entries e JOIN ledger_txns t ON t.id = e.txn_id WHERE t.tenant_id = $T AND t.idem_key = 'invoice:2026-10-01:M-1'")" \
	"5|0" "one balanced ledger transaction: the customer, three revenue lines, the tax"
is "$(sql "SELECT SUM(e.amount) FROM ledger_entries e JOIN ledger_accounts l ON l.id = e.ledger_account_id WHERE e.tenant_id = $T AND l.code = 'revenue.voice'")" \
	-273400 "  27.34 of revenue in the product's category, voice"
out=$(run 2026-10-01)
like "$out" "0 invoices" "the same cycle again bills nothing"
is "$(sql "SELECT COUNT(*) FROM invoices WHERE tenant_id = $T")|$(balance "$M1")" "1|328100" \
	"still one invoice, the balance unchanged"

# ------------------------------------------------------------- what people see
by C1 GET /api/v1/billing
is "$STATUS" 200 "the customer's account summary"
check "  says what is owed in words" json_has balance_words '"you owe 32.81 EUR"'
check "  money in one JSON shape" grep -q '"balance": *{ *"value": *"32.8100", *"currency": *"EUR" *}' "$BODY"
check "  the due date is the issue date plus 14 days" json_has due_date "\"$(sql "SELECT due_date FROM invoices WHERE id = ${INV:-0}")\""
check "  pending usage: November's call, 0.50" json_has pending_usage_text '"0.50 EUR"'
by C1 GET "/api/v1/invoices/$INV"
is "$STATUS" 200 "the customer opens its invoice"
check "  with its total" grep -q '"total": *{ *"value": *"32.8100"' "$BODY"
check "  and its tax rate" json_has rate '"20 %"'
by C1 GET /api/v1/billing/transactions
check "the transaction history has the charge, linked to its invoice" json_has invoice_number '"INV-000001"'
by C2 GET "/api/v1/invoices/$INV"
is "$STATUS" 404 "another customer: 404"
by OM GET "/api/v1/invoices/$INV"
is "$STATUS" 404 "another partner's admin: 404"
by OM GET "/api/v1/accounts/$M1/billing"
is "$STATUS" 404 "  nor its account's billing"
by C2 GET /api/v1/invoices/999999999
is "$STATUS" 404 "a missing invoice: the same 404"
by OP GET "/api/v1/invoices?sort=-issued"
is "$STATUS" 200 "the operator's invoice history grid"
check "  lists INV-000001" grep -q 'INV-000001' "$BODY"
by OM GET /api/v1/invoices
unlike "$(body)" INV-000001 "  Omega's is empty"
req GET "/invoices/$INV/pdf" "${H[@]}" -H "Authorization: Bearer $C1"
is "$STATUS|$(header Content-Type)" "200|application/pdf" "the PDF"
cp "$BODY" "$T_DIR/inv.pdf"
txt=$(pdftotext "$T_DIR/inv.pdf" - 2>/dev/null || true)
like "$txt" "INV-000001" "  has the invoice number"
like "$txt" "32\.81 EUR" "  and the total"
like "$txt" "Money One" "  and the buyer"

req GET "/invoices/$INV/calls.csv" "${H[@]}" -H "Authorization: Bearer $C1"
is "$STATUS|$(header Content-Type)" "200|text/csv; charset=utf-8" "the invoice's call records as CSV"
is "$(sed -n '2,$p' "$BODY" | cut -d, -f3,4,5,8 | tr -d '\r' | tr '\n' ' ')" "+4930555000,+4930111,125,1.2345 +4930555000,+4930222,61,1.1105 " \
	"  its two October calls, at the stored precision, phone numbers without a formula guard"
req GET "/invoices/$INV/calls.csv" "${H[@]}" -H "Authorization: Bearer $C2"
is "$STATUS" 404 "  another customer: 404"

# ------------------------------------------------------------- credit notes
K1=k1-$RANDOM$RANDOM
by OP POST "/api/v1/invoices/$INV/credit" '{"amount":"6.00","reason":"outage"}' -H "Idempotency-Key: $K1"
is "$STATUS" 201 "a credit note of 6.00"
CN=$(json_num credit_note_id)
is "$(sql "SELECT CONCAT_WS('|', number, credits_invoice_id, subtotal, tax_total, total) FROM invoices WHERE id = ${CN:-0}")" \
	"CN-000001|$INV|50000|10000|60000" "  CN-000001: 5.00 net and 1.00 tax, in the invoice's proportion"
is "$(balance "$M1")|$(sql "SELECT credited FROM invoices WHERE id = $INV")" "268100|60000" "  the balance is 26.81; the invoice shows 6.00 credited"
by OP POST "/api/v1/invoices/$INV/credit" '{"amount":"6.00","reason":"outage"}' -H "Idempotency-Key: $K1"
is "$STATUS|$(json_num credit_note_id)" "201|$CN" "the same key again: the first answer"
by OP POST "/api/v1/invoices/$INV/credit" '{"amount":"7.00","reason":"outage"}' -H "Idempotency-Key: $K1"
is "$STATUS" 409 "the same key with another amount: 409"
is "$(balance "$M1")|$(sql "SELECT COUNT(*) FROM invoices WHERE kind = 'credit_note' AND tenant_id = $T")" "268100|1" \
	"  neither wrote anything"
for bad in '"27.00"' '"1.234"' '"0"' '"-1"' '"abc"'; do
	by OP POST "/api/v1/invoices/$INV/credit" "{\"amount\":$bad,\"reason\":\"x\"}" -H "Idempotency-Key: bad-$RANDOM$RANDOM"
	is "$STATUS|$(json_str field)" "400|amount" "amount $bad: 400 naming the field"
done
by OP POST "/api/v1/invoices/$INV/credit" '{"amount":"1.00","reason":"x"}'
is "$STATUS|$(json_str field)" "400|idempotency_key" "no idempotency key: 400 naming it"
is "$(balance "$M1")" 268100 "  none of them changed the balance"
by C1 POST "/api/v1/invoices/$INV/credit" '{"amount":"1.00","reason":"x"}' -H "Idempotency-Key: c-$RANDOM"
is "$STATUS" 404 "a customer cannot issue a credit note (404: no such page)"
# five concurrent retries of one action: one credit note, five equal answers
K2=k2-$RANDOM$RANDOM
for i in 1 2 3 4 5; do
	curl -sS -o "$T_DIR/race.$i" -w '%{http_code}\n' -X POST "$BASE/api/v1/invoices/$INV/credit" "${H[@]}" \
		-H "Authorization: Bearer $OP" -H 'Content-Type: application/json' -H 'Accept: application/json' \
		-H "Idempotency-Key: $K2" --data-binary '{"amount":"1.00","reason":"race"}' >>"$T_DIR/race.codes" &
done
wait
is "$(sort -u "$T_DIR/race.codes" | tr '\n' ' ')" "201 " "five concurrent retries: all 201"
is "$(cat "$T_DIR"/race.[1-5] | grep -oE '"credit_note_id": *[0-9]+' | sort -u | wc -l)" 1 "  with one credit note id"
is "$(sql "SELECT COUNT(*) FROM invoices WHERE tenant_id = $T AND kind = 'credit_note'")|$(balance "$M1")" "2|258100" \
	"  and one credit note written: 25.81 owed"
by C1 GET "/api/v1/invoices/$INV"
check "the customer sees its credit notes on the invoice" grep -q 'CN-000002' "$BODY"

# ------------------------------------------------------------- adjustments
by OP POST "/api/v1/accounts/$M1/adjustments" '{"kind":"credit","amount":"5.00","reason_code":"goodwill"}' -H "Idempotency-Key: a-$RANDOM$RANDOM"
is "$STATUS|$(json_str status)" "201|posted" "a goodwill credit of 5.00 is posted at once"
is "$(balance "$M1")" 208100 "  20.81 owed"
by OP POST "/api/v1/accounts/$M1/adjustments" '{"kind":"debit","amount":"150.00","reason_code":"fee"}' -H "Idempotency-Key: a-$RANDOM$RANDOM"
is "$STATUS|$(json_str status)" "201|pending" "a debit of 150.00 (above 100.00) waits for a second operator"
ADJ=$(json_num adjustment_id)
is "$(balance "$M1")" 208100 "  the balance has not moved"
by OP POST "/api/v1/adjustments/$ADJ/decision" '{"decision":"approve"}'
is "$STATUS" 403 "the operator who asked cannot approve it"
by OP2 POST "/api/v1/adjustments/$ADJ/decision" '{"decision":"approve"}'
is "$STATUS|$(balance "$M1")" "200|1708100" "a second operator approves: 170.81 owed"
by OP2 POST "/api/v1/adjustments/$ADJ/decision" '{"decision":"approve"}'
is "$STATUS|$(balance "$M1")" "409|1708100" "  approving twice: 409, nothing more"
by OP POST "/api/v1/accounts/$M1/adjustments" '{"kind":"write_off","amount":"500.00","reason_code":"bad_debt"}' -H "Idempotency-Key: a-$RANDOM$RANDOM"
is "$STATUS|$(json_str field)" "400|amount" "a write-off above the debt: 400"
by OP POST "/api/v1/accounts/$M1/adjustments" '{"kind":"refund","amount":"5.00","reason_code":"goodwill"}' -H "Idempotency-Key: a-$RANDOM$RANDOM"
is "$STATUS|$(json_str field)" "400|kind" "an unknown kind: 400"
by OM POST "/api/v1/accounts/$M1/adjustments" '{"kind":"credit","amount":"5.00","reason_code":"goodwill"}' -H "Idempotency-Key: a-$RANDOM$RANDOM"
is "$STATUS" 404 "a partner cannot adjust (operators only)"

# ------------------------------------------------------------- mid-cycle changes
# M-3's line from 1 September (30 days): active 1-10 at 31.00 (10.33),
# suspended 11-20 (nothing), upgraded to 62.00 from the 21st (20.67),
# activation 10.00; 20 % per line: 2.07 + 2.00 + 4.13 = 8.20; total 49.20
by OP POST "/api/v1/partners/$A/accounts" '{"number":"M-3","name":"Money Three","currency":"EUR"}'
M3=$(json_num id)
by OP POST "/api/v1/accounts/$M3/services" "{\"product_id\":\"$P\",\"phone_number\":\"+4930555003\",\"start_date\":\"2026-09-01\",\"status\":\"active\"}"
S3=$(json_num id)
sql "INSERT INTO service_history (tenant_id, service_id, status, periodic_charge, effective, reason) VALUES
	($T, $S3, 'suspended', 310000, '2026-09-11', 'request'), ($T, $S3, 'active', 620000, '2026-09-21', 'upgrade')"
out=$("$CTL" -c "$INI" invoices run --brand "$SLUG" --cycle 2026-09-01 --account M-3)
like "$out" "1 invoices" "September billed for M-3 alone"
is "$(sql "SELECT GROUP_CONCAT(CONCAT(l.kind, ':', l.amount, ':', l.tax_amount) ORDER BY l.line_no) FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE i.account_id = $M3")" \
	"recurring:103300:20700,one_time:100000:20000,recurring:206700:41300,tax:82000:0" \
	"a segment per state: 10 days at 31.00, none suspended, 10 days at 62.00"
is "$(sql "SELECT total FROM invoices WHERE account_id = $M3")|$(balance "$M3")" "492000|492000" "  total 49.20, owed"

# ------------------------------------------------------------- delivery
by C1 POST /api/v1/billing/delivery '{"paper":"1","email":"1"}'
is "$STATUS" 403 "a customer login with view right only cannot change delivery"
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind customer --account M-1 --login m1.admin --password-file - --group customer-admin >/dev/null
CA=$(token m1.admin customer)
by CA POST /api/v1/billing/delivery '{"paper":"1","email":"1"}'
is "$STATUS|$(sql "SELECT invoice_delivery FROM accounts WHERE id = $M1")" "200|paper,email" "the customer's admin asks for paper and e-mail"
by CA POST /api/v1/billing/delivery '{"paper":"0","email":"0"}'
is "$STATUS|$(json_str field)|$(sql "SELECT invoice_delivery FROM accounts WHERE id = $M1")" "400|email|paper,email" \
	"  neither: 400, nothing changed"
sql "INSERT INTO billing_settings (tenant_id, delivery_read_only) VALUES ($T, 1)"
by CA POST /api/v1/billing/delivery '{"email":"1"}'
is "$STATUS|$(sql "SELECT invoice_delivery FROM accounts WHERE id = $M1")" "403|paper,email" "the brand makes it read-only: refused"
by OP POST "/api/v1/accounts/$M1/delivery" '{"email":"1"}'
is "$STATUS|$(sql "SELECT invoice_delivery FROM accounts WHERE id = $M1")" "200|email" "  an operator still sets it"

# ------------------------------------------------------------- gapless numbers
# twenty more accounts with a line each; two runs of November at once
for i in $(seq 1 20); do
	by OP POST "/api/v1/partners/$A/accounts" "{\"number\":\"G-$i\",\"name\":\"Gap $i\",\"currency\":\"EUR\"}"
	by OP POST "/api/v1/accounts/$(json_num id)/services" "{\"product_id\":\"$P\",\"phone_number\":\"+4930200$((100 + i))\",\"start_date\":\"2026-10-01\",\"status\":\"active\"}"
done
run 2026-11-01 >"$T_DIR/run.a" 2>&1 &
run 2026-11-01 >"$T_DIR/run.b" 2>&1 &
wait
is "$(sql "SELECT CONCAT_WS('|', COUNT(*), COUNT(DISTINCT seq), MIN(seq), MAX(seq)) FROM invoices WHERE tenant_id = $T AND series = 'INV'")" \
	"24|24|1|24" "two concurrent runs: 24 invoices in all numbered 1..24, no gap, no twice"
is "$(sql "SELECT COUNT(*) FROM invoices WHERE tenant_id = $T AND period_start = '2026-11-01'")" 22 \
	"  each account billed once for November (M-1, M-3, G-1..20)"
is "$(sql "SELECT total FROM invoices WHERE tenant_id = $T AND buyer_number = 'G-1' AND period_start = '2026-11-01'")" 372000 \
	"  G-1's November: 31.00 + 20 % = 37.20"

# ------------------------------------------------------------- one-time charges
K3=ch-$RANDOM$RANDOM
by OP POST "/api/v1/accounts/$M2/charges" '{"description":"Router","amount":"80.00","effective":"2026-11-15"}' -H "Idempotency-Key: $K3"
is "$STATUS|$(sql "SELECT CONCAT_WS('|', amount, effective, invoice_id IS NULL) FROM pending_charges WHERE account_id = $M2")" "201|800000|2026-11-15|1" \
	"a one-time charge of 80.00 waits for M-2's next invoice"
by OP POST "/api/v1/accounts/$M2/charges" '{"description":"Router","amount":"80.00","effective":"2026-11-15"}' -H "Idempotency-Key: $K3"
is "$STATUS|$(sql "SELECT COUNT(*) FROM pending_charges WHERE account_id = $M2")" "201|1" "  sent twice: one charge"
by OP POST "/api/v1/accounts/$M2/charges" '{"description":"Router","amount":"-5","effective":"2026-11-15"}' -H "Idempotency-Key: ch-$RANDOM"
is "$STATUS|$(json_str field)" "400|amount" "  a negative charge: 400"
by C2 GET /api/v1/billing
check "  M-2's summary lists it" grep -q '"description": *"Router"' "$BODY"
out=$("$CTL" -c "$INI" invoices run --brand "$SLUG" --cycle 2026-11-01 --account M-2)
is "$(sql "SELECT total FROM invoices WHERE account_id = $M2")|$(sql "SELECT invoice_id IS NOT NULL FROM pending_charges WHERE account_id = $M2")" "960000|1" \
	"  billed in November: 80.00 + 20 % = 96.00, marked billed"

# ------------------------------------------------------------- settings
by OP GET /api/v1/billing/settings
is "$STATUS" 200 "the operator's billing settings"
check "  lists the VAT rate" grep -q '"rate_ppm": *200000' "$BODY"
SET='"legal_name":"Inv Telecom GmbH","legal_address":"Hafen 1, Hamburg","tax_id":"DE123","bill_day":"1","late_fee_fixed":"5","late_fee_ppm":"0","late_fee_grace_days":"0","remind_before_days":"3","remind_after_days":"7","suspend_after_days":"30","past_due_notice_days":"1","approval_threshold":"100"'
by OP POST /api/v1/billing/settings "{$SET,\"due_days\":\"many\"}"
is "$STATUS|$(json_str field)|$(sql "SELECT due_days FROM billing_settings WHERE tenant_id = $T")" "400|due_days|14" \
	"days to pay 'many': 400 naming it, nothing saved"
by OP POST /api/v1/billing/settings "{$SET,\"due_days\":\"30\"}"
is "$STATUS|$(sql "SELECT CONCAT_WS('|', due_days, late_fee_fixed, delivery_read_only) FROM billing_settings WHERE tenant_id = $T")|$(sql "SELECT legal_name FROM tenants WHERE id = $T")" \
	"200|30|50000|0|Inv Telecom GmbH" "saved: 30 days to pay, a 5.00 late fee, the legal name"
by OP POST /api/v1/billing/tax-rates '{"tax_class":"reduced","name":"VAT reduced","percent":"7.5"}'
is "$STATUS|$(sql "SELECT rate_ppm FROM tax_rates WHERE tenant_id = $T AND tax_class = 'reduced'")" "201|75000" "a 7.5 % rate of class reduced"
by OP POST /api/v1/billing/tax-rates '{"tax_class":"reduced","name":"VAT bad","percent":"101"}'
is "$STATUS|$(json_str field)" "400|percent" "  101 %: 400 naming the rate"
by C1 GET /api/v1/billing/settings
is "$STATUS" 404 "a customer has no billing settings page"

# the scheduled job bills the last ended cycle: November, billed already
"$CTL" -c "$INI" job run invoices.run >"$T_DIR/job.out" 2>&1
is "$?|$(sql "SELECT COUNT(*) FROM invoices WHERE tenant_id = $T AND series = 'INV'")" "0|25" \
	"the invoices.run job finds November billed: nothing twice"
is "$(sql "SELECT status FROM invoice_runs WHERE tenant_id = $T AND cycle_start = '2026-11-01'")" done "  and the run is done"

done_testing
