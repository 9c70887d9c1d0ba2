#!/usr/bin/env bash
# modules/invoices/t/collect.sh -- collections with a moved clock, on a brand
# of its own: a 123.45 monthly line with 20 % tax (October: 148.14, due 14
# days after the run), the brand's rules (reminders 3 days before and 7
# after the due date, a late fee of 5.00 + 1.5 % after 2 days' grace,
# suspension 30 days past due). Day by day: each step once (run twice,
# nothing more), mailed through the outbox and audited; the late fee worked by
# hand (5.00 + 1.5 % of 148.14 = 5.00 + 2.22) and billed, untaxed, by the next
# run; suspension for non-payment (status, reason, history, event) and its
# restore once a credit pays the invoice; a credit note that clears an
# invoice stops its collections. `tierportctl invoices collect` reads
# tp_now() from a copy of the stack's config with a [testing] clock_file.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 39

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand col invoices
source "$(dirname "$0")/lib.bash"
run() { "$CTL" -c "$CINI" invoices run --brand "$SLUG" --cycle "$1"; }
mails() { sql "SELECT COUNT(*) FROM mail_outbox WHERE tenant_id = $T AND to_addr = '$1'"; }
steps() { sql "SELECT IFNULL(GROUP_CONCAT(step ORDER BY done_at, step), '') FROM invoice_collections WHERE invoice_id = $1"; }

clear_of_the_hour

# ------------------------------------------------------------- the setup
sql "INSERT INTO billing_settings (tenant_id, late_fee_fixed, late_fee_ppm, late_fee_grace_days, remind_before_days,
	remind_after_days, suspend_after_days, approval_threshold) VALUES ($T, 50000, 15000, 2, 3, 7, 30, 100000000);
     INSERT INTO tax_rates (tenant_id, tax_class, name, rate_ppm) VALUES ($T, 'standard', 'VAT', 200000)"
by OP POST /api/v1/partners '{"name":"Alpha","currency":"EUR"}'
A=$(json_num id)
by OP POST /api/v1/products '{"name":"Line","product_type":"voip-line","currency":"EUR","periodic_charge":"123.45"}'
P=$(json_num id)
for n in 1 2; do
	by OP POST "/api/v1/partners/$A/accounts" "{\"number\":\"C-$n\",\"name\":\"Chase $n\",\"currency\":\"EUR\"}"
	declare "C$n=$(json_num id)"
	by OP POST "/api/v1/accounts/$(json_num id)/services" "{\"product_id\":\"$P\",\"phone_number\":\"+4930777000$n\",\"start_date\":\"2026-10-01\",\"status\":\"active\"}"
	declare "S$n=$(json_num id)"
done
sql "UPDATE accounts SET billing_email = CONCAT(LOWER(number), '@example.test') WHERE tenant_id = $T"
day 0
run 2026-10-01 >/dev/null
I1=$(sql "SELECT id FROM invoices WHERE account_id = $C1 AND kind = 'invoice'")
I2=$(sql "SELECT id FROM invoices WHERE account_id = $C2 AND kind = 'invoice'")
is "$(sql "SELECT CONCAT_WS('|', total, DATEDIFF(due_date, CURDATE())) FROM invoices WHERE id = ${I1:-0}")" "1481400|14" \
	"October: 123.45 + 20 % = 148.14, due in 14 days"
# C-2's invoice is cleared by a credit note of its whole total
by OP POST "/api/v1/invoices/$I2/credit" '{"amount":"148.14","reason":"waived"}' -H "Idempotency-Key: cn-$RANDOM$RANDOM"
is "$STATUS|$(sql "SELECT balance FROM accounts WHERE id = $C2")" "201|0" "C-2: a credit note of 148.14 clears its invoice"

# ------------------------------------------------------------- before the due date
out=$(collect)
like "$out" "0 reminders, 0 late fees, 0 suspended, 0 restored" "today: nothing to do"
day 10
like "$(collect)" "0 reminders" "day 10 (4 days before the due date): nothing yet"
day 11
like "$(collect)" "1 reminders, 0 late fees" "day 11 (3 days before): one reminder"
is "$(steps "$I1")|$(steps "$I2")" "remind_before|" "  C-1's invoice; C-2's (credited in full) has none"
is "$(mails c-1@example.test)" 1 "  mailed to C-1's billing address"
like "$(sql "SELECT CONCAT(subject, ' / ', body) FROM mail_outbox WHERE tenant_id = $T AND to_addr = 'c-1@example.test'")" \
	"Invoice INV-000001 is due on .*148\.14 EUR are open on it.*/invoices/$I1" "  saying what is due when, with the link"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T AND action = 'collections.remind_before' AND object_id = $I1")" 1 \
	"  audited"
like "$(collect)" "0 reminders" "the same day again: no second reminder"
day 12
like "$(collect)" "0 reminders" "the next day: none either"
is "$(mails c-1@example.test)|$(mails c-2@example.test)" "1|0" "  still one mail"

# ------------------------------------------------------------- after it
day 16
like "$(collect)" "0 reminders, 0 late fees" "day 16 (2 days past due, the grace): no fee yet"
day 17
like "$(collect)" "0 reminders, 1 late fees, 0 suspended" "day 17 (3 days past due): a late fee"
is "$(sql "SELECT CONCAT_WS('|', kind, amount, currency, IFNULL(invoice_id, '-'), DATEDIFF(effective, CURDATE())) FROM pending_charges WHERE tenant_id = $T AND idem_key = 'late_fee:INV-000001'")" \
	"late_fee|72200|EUR|-|17" "  5.00 + 1.5 % of 148.14 (2.2221: 2.22) = 7.22, waiting for the next run"
is "$(sql "SELECT balance FROM accounts WHERE id = $C1")" 1481400 "  the balance waits for the run too"
like "$(collect)" "0 late fees" "  again: no second fee"
is "$(sql "SELECT COUNT(*) FROM pending_charges WHERE tenant_id = $T")|$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T AND action = 'collections.late_fee'")" \
	"1|1" "  one charge, one audit line"
day 21
like "$(collect)" "1 reminders, 0 late fees, 0 suspended" "day 21 (7 days past due): the second reminder"
like "$(sql "SELECT subject FROM mail_outbox WHERE tenant_id = $T AND to_addr = 'c-1@example.test' ORDER BY id DESC LIMIT 1")" \
	"Invoice INV-000001 is past due" "  the past-due mail"
is "$(steps "$I1")" "remind_before,late_fee,remind_after" "  each step of the invoice once"

# ------------------------------------------------------------- suspension
day 43
like "$(collect)" "0 suspended" "day 43 (29 days past due): the service still runs"
day 44
like "$(collect)" "0 reminders, 0 late fees, 1 suspended, 0 restored" "day 44 (30 days past due): C-1 is suspended"
is "$(sql "SELECT CONCAT_WS('|', status, suspend_reason) FROM services WHERE id = $S1")|$(sql "SELECT status FROM services WHERE id = $S2")" \
	"suspended|non_payment|active" "  its service, for non-payment (C-2's runs on)"
is "$(sql "SELECT CONCAT_WS('|', status, reason, DATEDIFF(effective, CURDATE())) FROM service_history WHERE service_id = $S1 ORDER BY id DESC LIMIT 1")" \
	"suspended|non_payment|44" "  a history row from the day (the run bills no suspended day)"
is "$(sql "SELECT COUNT(*) FROM events WHERE tenant_id = $T AND name = 'service.suspended' AND account_id = $C1")" 1 "  service.suspended"
like "$(sql "SELECT subject FROM mail_outbox WHERE tenant_id = $T AND to_addr = 'c-1@example.test' ORDER BY id DESC LIMIT 1")" \
	"suspended for non-payment" "  and a mail saying why"
like "$(collect)" "0 suspended, 0 restored" "again: nothing more"

# the late fee's run: the cycle that holds its day bills it, untaxed
CY=$(sql "SELECT DATE_FORMAT(effective, '%Y-%m-01') FROM pending_charges WHERE tenant_id = $T AND kind = 'late_fee'")
run "$CY" >/dev/null
FI=$(sql "SELECT IFNULL(invoice_id, 0) FROM pending_charges WHERE tenant_id = $T AND kind = 'late_fee'")
is "$(sql "SELECT CONCAT_WS('|', kind, amount, tax_amount, tax_class) FROM invoice_lines WHERE invoice_id = $FI AND kind = 'late_fee'")|$(sql "SELECT late_fee_total FROM invoices WHERE id = $FI")" \
	"late_fee|72200|0|exempt|72200" "the next run bills the fee once, without tax"

# ------------------------------------------------------------- restore
by OP POST "/api/v1/accounts/$C1/adjustments" '{"kind":"credit","amount":"100.00","reason_code":"other"}' -H "Idempotency-Key: a-$RANDOM$RANDOM"
is "$STATUS|$(sql "SELECT paid FROM invoices WHERE id = $I1")" "201|1000000" "a credit of 100.00 pays INV-000001 in part (oldest first)"
like "$(collect)" "0 restored" "  48.14 are still overdue: still suspended"
by OP POST "/api/v1/accounts/$C1/adjustments" '{"kind":"credit","amount":"48.14","reason_code":"other"}' -H "Idempotency-Key: a-$RANDOM$RANDOM"
is "$STATUS|$(sql "SELECT total - credited - paid FROM invoices WHERE id = $I1")" "201|0" "a credit of 48.14 closes it"
like "$(collect)" "0 reminders, 0 late fees, 0 suspended, 1 restored" "nothing overdue any more: restored"
is "$(sql "SELECT CONCAT_WS('|', status, suspend_reason) FROM services WHERE id = $S1")" "active|none" "  the service runs again"
is "$(sql "SELECT CONCAT_WS('|', status, reason, DATEDIFF(effective, CURDATE())) FROM service_history WHERE service_id = $S1 ORDER BY id DESC LIMIT 1")" \
	"active|paid|44" "  from the day (history)"
is "$(sql "SELECT COUNT(*) FROM events WHERE tenant_id = $T AND name = 'service.activated' AND account_id = $C1 AND JSON_VALUE(payload, '$.reason') = 'non_payment'")|$(steps "$I1")" \
	"1|remind_before,late_fee,remind_after,suspend,restore" "  service.activated; the invoice's five steps"
like "$(collect)" "0 restored" "again: nothing more"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T AND action LIKE 'collections.%'")|$(mails c-1@example.test)|$(mails c-2@example.test)" \
	"5|4|0" "five steps audited; four mails to C-1 (the fee comes on the invoice), none to C-2"
like "$("$CTL" -c "$INI" jobs)" "invoices\.collect.*hourly" "the job is the scheduler's, hourly"

done_testing
