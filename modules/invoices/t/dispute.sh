#!/usr/bin/env bash
# modules/invoices/t/dispute.sh -- a customer disputes invoice lines, on a
# brand of its own: October's invoice of a 100.00 line and a 10.00
# activation with 20 % tax (120.00 + 12.00 = 132.00); bad input (400 naming
# the field, nothing written), other customers and partners (404, 403); the
# disputed amount held out of collections (the clock moved past suspension:
# nothing happens); an operator rejects one (back to collections: reminded and
# suspended), accepts another (a credit note of 120.00: 100.00 + 20.00 tax,
# which the customer sees), with its idempotency key replayed; a line
# disputed again after a rejection; everything settled: the service restored.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 44

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand dsp invoices
source "$(dirname "$0")/lib.bash"
inv() { sql "SELECT CONCAT_WS('|', credited, disputed) FROM invoices WHERE id = $INV"; }
clear_of_the_hour

# ------------------------------------------------------------- the setup
sql "INSERT INTO tax_rates (tenant_id, tax_class, name, rate_ppm) VALUES ($T, 'standard', 'VAT', 200000)"
by OP POST /api/v1/partners '{"name":"Alpha","currency":"EUR"}'
A=$(json_num id)
by OP POST /api/v1/products '{"name":"Line","product_type":"voip-line","currency":"EUR","periodic_charge":"100","one_time_charge":"10"}'
P=$(json_num id)
for n in 1 2; do
	by OP POST "/api/v1/partners/$A/accounts" "{\"number\":\"D-$n\",\"name\":\"Dispute $n\",\"currency\":\"EUR\"}"
	declare "D$n=$(json_num id)"
	by OP POST "/api/v1/accounts/$(json_num id)/services" "{\"product_id\":\"$P\",\"phone_number\":\"+4930888000$n\",\"start_date\":\"2026-10-01\",\"status\":\"active\"}"
	declare "S$n=$(json_num id)"
	printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind customer --account "D-$n" --login "d$n.user" --password-file - --group customer >/dev/null
done
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$A" --login alpha.admin --password-file - --admin --group partner-admin >/dev/null
C1=$(token d1.user customer) C2=$(token d2.user customer) PA=$(token alpha.admin partner)
sql "UPDATE accounts SET billing_email = CONCAT(LOWER(number), '@example.test') WHERE tenant_id = $T"
day 0
"$CTL" -c "$CINI" invoices run --brand "$SLUG" --cycle 2026-10-01 >/dev/null
INV=$(sql "SELECT id FROM invoices WHERE account_id = $D1 AND kind = 'invoice'")
INV2=$(sql "SELECT id FROM invoices WHERE account_id = $D2 AND kind = 'invoice'")
L1=$(sql "SELECT id FROM invoice_lines WHERE invoice_id = $INV AND kind = 'recurring'")
L2=$(sql "SELECT id FROM invoice_lines WHERE invoice_id = $INV AND kind = 'one_time'")
LT=$(sql "SELECT id FROM invoice_lines WHERE invoice_id = $INV AND kind = 'tax'")
LX=$(sql "SELECT id FROM invoice_lines WHERE invoice_id = $INV2 AND kind = 'recurring'")
is "$(sql "SELECT total FROM invoices WHERE id = ${INV:-0}")" 1320000 "October: 100.00 + 10.00 + 20 % = 132.00"

# ------------------------------------------------------------- the customer disputes
by C1 GET "/api/v1/invoices/$INV/disputes"
is "$STATUS" 200 "the customer opens its invoice's disputes"
check "  it may dispute" json_has can_dispute true
check "  the line, tax included: 120.00" grep -q '"value": *"120.0000"' "$BODY"
for bad in '{"reason":"x","amount":"120.01"}=amount' '{"reason":"x","amount":"1.234"}=amount' \
	'{"reason":"x","amount":"0"}=amount' '{"amount":"5"}=reason'; do
	by C1 POST "/api/v1/invoices/$INV/lines/$L1/dispute" "${bad%=*}"
	is "$STATUS|$(json_str field)" "400|${bad##*=}" "${bad%=*}: 400 naming ${bad##*=}"
done
by C1 POST "/api/v1/invoices/$INV/lines/$LT/dispute" '{"reason":"tax"}'
is "$STATUS|$(json_str field)" "400|line" "the tax line alone: 400 (dispute the charge)"
by C1 POST "/api/v1/invoices/$INV/lines/$LX/dispute" '{"reason":"x"}'
is "$STATUS" 404 "a line of another invoice: 404"
by C1 POST "/api/v1/invoices/$INV/lines/abc/dispute" '{"reason":"x"}'
is "$STATUS" 404 "a junk line: 404"
by C2 POST "/api/v1/invoices/$INV/lines/$L1/dispute" '{"reason":"x"}'
is "$STATUS" 404 "another customer: 404"
by PA POST "/api/v1/invoices/$INV/lines/$L1/dispute" '{"reason":"x"}'
is "$STATUS" 403 "its partner: 403 (only the customer disputes)"
is "$(inv)|$(sql "SELECT COUNT(*) FROM invoice_disputes WHERE tenant_id = $T")" "0|0|0" "  none of them wrote anything"
by C1 POST "/api/v1/invoices/$INV/lines/$L1/dispute" '{"reason":"never ordered"}'
is "$STATUS|$(json_str status)" "201|open" "the line disputed whole"
DA=$(json_num dispute_id)
is "$(inv)" "0|1200000" "  120.00 held out of collections"
by C1 POST "/api/v1/invoices/$INV/lines/$L1/dispute" '{"reason":"again"}'
is "$STATUS|$(json_str field)" "409|line" "  the same line again while open: 409"
by C1 POST "/api/v1/invoices/$INV/lines/$L2/dispute" '{"reason":"no activation","amount":"12"}'
is "$STATUS" 201 "the activation disputed too (12.00 with its tax)"
DB=$(json_num dispute_id)
is "$(inv)" "0|1320000" "  the whole invoice is disputed"
is "$(sql "SELECT COUNT(*) FROM events WHERE tenant_id = $T AND name = 'invoice.disputed'")|$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T AND action = 'invoice.dispute'")" \
	"2|2" "  two invoice.disputed events, two audit lines"

# ------------------------------------------------------------- collections wait
day 44
like "$(collect)" "1 reminders, 0 late fees, 1 suspended" "44 days on: D-2 (undisputed) is reminded and suspended"
is "$(sql "SELECT COUNT(*) FROM invoice_collections WHERE invoice_id = $INV")" 0 "  D-1's disputed invoice is left alone"
is "$(sql "SELECT status FROM services WHERE id = $S1")|$(sql "SELECT status FROM services WHERE id = $S2")" "active|suspended" \
	"  D-1's service runs; D-2's is suspended"

# ------------------------------------------------------------- the operator decides
by OP GET "/api/v1/invoices/$INV/disputes"
check "the operator may decide" json_has can_decide true
by C1 POST "/api/v1/disputes/$DB/decision" '{"decision":"accept"}' -H "Idempotency-Key: c-$RANDOM"
is "$STATUS" 404 "a customer cannot decide (an operator page)"
by OP POST "/api/v1/disputes/$DB/decision" '{"decision":"accept"}'
is "$STATUS|$(json_str field)" "400|idempotency_key" "no idempotency key: 400"
by OP POST "/api/v1/disputes/$DB/decision" '{"decision":"maybe"}' -H "Idempotency-Key: k-$RANDOM$RANDOM"
is "$STATUS|$(json_str field)" "400|decision" "an unknown decision: 400"
K=k-$RANDOM$RANDOM
by OP POST "/api/v1/disputes/$DB/decision" '{"decision":"reject","resolution":"activation was ordered"}' -H "Idempotency-Key: $K"
is "$STATUS|$(json_str status)|$(inv)" "200|rejected|0|1200000" "the activation's dispute rejected: 12.00 back to collections"
by OP POST "/api/v1/disputes/$DB/decision" '{"decision":"reject","resolution":"activation was ordered"}' -H "Idempotency-Key: $K"
is "$STATUS|$(json_str status)" "200|rejected" "  the same key again: the first answer"
by OP POST "/api/v1/disputes/$DB/decision" '{"decision":"accept"}' -H "Idempotency-Key: k-$RANDOM$RANDOM"
is "$STATUS|$(inv)" "409|0|1200000" "  deciding it again: 409, nothing changes"
like "$(collect)" "1 reminders, 0 late fees, 1 suspended" "collections take up the 12.00: reminded and suspended"
is "$(sql "SELECT CONCAT_WS('|', status, suspend_reason) FROM services WHERE id = $S1")" "suspended|non_payment" "  D-1's service is suspended"
by C1 POST "/api/v1/invoices/$INV/lines/$L2/dispute" '{"reason":"still no activation"}'
is "$STATUS" 201 "a line disputed again after a rejection"
DC=$(json_num dispute_id)
by OP POST "/api/v1/disputes/$DA/decision" '{"decision":"accept","resolution":"line not ordered"}' -H "Idempotency-Key: k-$RANDOM$RANDOM"
is "$STATUS|$(json_str status)" "200|accepted" "the line's dispute accepted"
CN=$(json_num credit_note_id)
is "$(sql "SELECT CONCAT_WS('|', number, credits_invoice_id, subtotal, tax_total, total) FROM invoices WHERE id = ${CN:-0}")" \
	"CN-000001|$INV|1000000|200000|1200000" "  a credit note of 120.00: 100.00 and 20.00 tax"
is "$(inv)|$(sql "SELECT balance FROM accounts WHERE id = $D1")" "1200000|120000|120000" \
	"  credited 120.00; 12.00 disputed; 12.00 owed"
by C1 GET "/api/v1/invoices/$INV"
check "the customer sees the credit note on its invoice" grep -q 'CN-000001' "$BODY"
by OP POST "/api/v1/disputes/$DC/decision" '{"decision":"accept"}' -H "Idempotency-Key: k-$RANDOM$RANDOM"
is "$STATUS|$(inv)|$(sql "SELECT balance FROM accounts WHERE id = $D1")" "200|1320000|0|0" "the second one accepted: nothing owed"
like "$(collect)" "1 restored" "  nothing overdue: the service is restored"
is "$(sql "SELECT status FROM services WHERE id = $S1")" active "  D-1's service runs again"
is "$(sql "SELECT GROUP_CONCAT(status ORDER BY id) FROM invoice_disputes WHERE invoice_id = $INV")|$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T AND action = 'invoice.dispute_decide'")" \
	"accepted,rejected,accepted|3" "three disputes decided, each audited"

# ------------------------------------------------------------- the page
req GET "/invoices/$INV/disputes" "${H[@]}" -H "Authorization: Bearer $C1"
is "$STATUS" 200 "the disputes page (HTML)"
like "$(body)" "CN-000001" "  links the credit note"
req GET "/invoices/$INV" "${H[@]}" -H "Authorization: Bearer $C1"
like "$(body)" "/invoices/$INV/disputes" "the invoice page links its disputes"

done_testing
