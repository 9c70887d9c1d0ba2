#!/usr/bin/env bash
# modules/invoices/t/pay_prepaid.sh -- the brand's block of prepaid accounts
# at zero (autopay.c): off, nothing happens; on, a prepaid account with no
# funds has its active services suspended (reason prepaid_empty, a history
# row, the service.suspended event), which collections never lift; a
# top-up by card brings them back (history "funds"); a prepaid account
# with funds and a postpaid one are never touched; the brand turning the
# block off restores what it blocked. By the autopay command (the resolve
# job does the same every 5 minutes). done_testing runs `ledger check`.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 16

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand ppb invoices
source "$(dirname "$0")/lib.bash"
autopay() { "$CTL" -c "$INI" invoices autopay --brand "$SLUG"; }
collect() { "$CTL" -c "$INI" invoices collect --brand "$SLUG" >/dev/null; }
svc() { sql "SELECT CONCAT(status, '/', suspend_reason) FROM services WHERE account_id = $1"; }

by OP POST /api/v1/partners '{"name":"Alpha","currency":"EUR"}'
A=$(json_num id)
for n in 1 2 3; do
	by OP POST "/api/v1/partners/$A/accounts" "{\"number\":\"PP-$n\",\"name\":\"Prepaid $n\",\"currency\":\"EUR\"}"
	declare "P$n=$(json_num id)"
done
by OP POST /api/v1/products '{"name":"Line","product_type":"voip-line","currency":"EUR","periodic_charge":"10"}'
PR=$(json_num id)
for a in "$P1" "$P2" "$P3"; do
	by OP POST "/api/v1/accounts/$a/services" "{\"product_id\":\"$PR\",\"phone_number\":\"+49308880$a\",\"start_date\":\"2026-11-01\",\"status\":\"active\"}"
done
# PP-1 and PP-2 prepaid (no funds yet), PP-3 postpaid at zero
sql "UPDATE accounts SET billing_type = 'prepaid' WHERE id IN ($P1, $P2)"
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind customer --account PP-2 --login pp2.user --password-file - --group customer >/dev/null
C2=$(token pp2.user customer)

like "$(autopay)" "0 prepaid blocked, 0 restored" "the block off: nothing blocked"
is "$(svc "$P1")" "active/none" "  PP-1's line stays active"

by OP POST /api/v1/billing/payment-rules '{"block_prepaid_at_zero":"1"}'
is "$STATUS" 200 "the operator turns the block on"
E0=$(sql "SELECT IFNULL(MAX(id), 0) FROM events")
like "$(autopay)" "2 prepaid blocked, 0 restored" "then the two prepaid accounts at zero are blocked"
is "$(svc "$P1") $(svc "$P2") $(svc "$P3")" "suspended/prepaid_empty suspended/prepaid_empty active/none" \
	"  their lines suspended for prepaid_empty; the postpaid one untouched"
is "$(sql "SELECT reason FROM service_history h JOIN services s ON s.id = h.service_id WHERE s.account_id = $P1 ORDER BY h.id DESC LIMIT 1")" \
	prepaid_empty "  with a history row"
is "$(sql "SELECT COUNT(*) FROM events WHERE id > $E0 AND tenant_id = $T AND name = 'service.suspended' AND payload LIKE '%prepaid_empty%'")" 2 \
	"  and a service.suspended event each"
like "$(autopay)" "0 prepaid blocked, 0 restored" "a second run: nothing more"
collect
is "$(svc "$P1")" "suspended/prepaid_empty" "collections do not lift the block"

# PP-2 tops up by card
by C2 POST /api/v1/billing/methods '{"kind":"card","token":"tok_ok","card_brand":"Visa","last4":"4242","exp_month":"12","exp_year":"2040"}'
M=$(json_num method_id)
by C2 POST /api/v1/billing/payments "{\"method_id\":\"$M\",\"amount\":\"20.00\"}" -H "Idempotency-Key: top-$RANDOM$RANDOM"
is "$STATUS $(sql "SELECT -balance FROM accounts WHERE id = $P2")" "201 200000" "PP-2 tops up 20.00 by card"
like "$(autopay)" "0 prepaid blocked, 1 restored" "  and is restored"
is "$(svc "$P2")" "active/none" "  its line active again"
is "$(sql "SELECT reason FROM service_history h JOIN services s ON s.id = h.service_id WHERE s.account_id = $P2 ORDER BY h.id DESC LIMIT 1")" \
	funds "  its history says why"

# the block off: what it blocked comes back
by OP POST /api/v1/billing/payment-rules '{"block_prepaid_at_zero":"0"}'
like "$(autopay)" "0 prepaid blocked, 1 restored" "the brand turns the block off: PP-1 (no funds) restored"
is "$(svc "$P1") $(svc "$P2")" "active/none active/none" "  every line active"
like "$(autopay)" "0 prepaid blocked, 0 restored" "  and nothing moves after"
done_testing
