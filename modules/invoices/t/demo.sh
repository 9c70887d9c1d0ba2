#!/usr/bin/env bash
# modules/invoices/t/demo.sh -- `tierportctl demo` gives its brand months of
# money history (core/ctl/demo_money.c through the invoices module's
# commands): four monthly runs with tax, a credit note, payments, reminders
# and late fees, Globex East suspended for non-payment and restored, Initech
# past due; what the demo customers see on first sign-in.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 15

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_demo mdemo
like "$(cat "$T_DIR/demo.out")" "money history: four months" "demo says it made a money history"
is "$(sql "SELECT COUNT(DISTINCT period_start) FROM invoices WHERE tenant_id = $T AND kind = 'invoice'")" 4 "four billing cycles"
is "$(sql "SELECT COUNT(*) FROM invoices WHERE tenant_id = $T AND kind = 'invoice' AND tax_total > 0")" \
	"$(sql "SELECT COUNT(*) FROM invoices WHERE tenant_id = $T AND kind = 'invoice'")" "  every invoice taxed (VAT 19 %)"
is "$(sql "SELECT COUNT(*) FROM invoices WHERE tenant_id = $T AND kind = 'credit_note'")" 1 "a credit note"
is "$(sql "SELECT COUNT(*) FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE i.tenant_id = $T AND l.kind = 'late_fee'")" 3 \
	"late fees billed on later invoices"
acct() { sql "SELECT id FROM accounts WHERE tenant_id = $T AND number = '$1'"; }
is "$(sql "SELECT GROUP_CONCAT(DISTINCT c.step ORDER BY c.step) FROM invoice_collections c JOIN invoices i ON i.id = c.invoice_id WHERE i.account_id = $(acct 100003) AND c.step IN ('suspend', 'restore')")" \
	"suspend,restore" "Globex East was suspended and restored"
is "$(sql "SELECT COUNT(*) FROM services WHERE account_id = $(acct 100003) AND status <> 'active'")" 0 "  its services run again"
is "$(sql "SELECT COUNT(*) FROM service_history WHERE service_id IN (SELECT id FROM services WHERE account_id = $(acct 100003)) AND reason = 'non_payment'")" 2 \
	"  with the suspended days in their history"
is "$(sql "SELECT COUNT(*) FROM payment_profiles pp JOIN payment_methods m ON m.id = pp.autopay_method_id WHERE pp.account_id = $(acct 100002) AND m.status = 'active'")" 1 \
	"Globex Corp pays automatically by card"
is "$(sql "SELECT GROUP_CONCAT(DISTINCT status ORDER BY status) FROM payments WHERE account_id = $(acct 100002) AND source = 'autopay'")" settled \
	"  its autopay charged through the test gateway"
is "$(sql "SELECT GROUP_CONCAT(p.status ORDER BY p.id) FROM payments p WHERE p.account_id = $(acct 100001) AND p.method = 'card'")" "declined,settled" \
	"Acme Bakery's first card was declined, another paid"
login c5 100005 customer
as c5 GET /api/v1/billing
is "$STATUS" 200 "Initech signs in and opens its billing"
like "$(json_str past_due_notice)" "This account is [0-9]+ days? past due" "  it is past due"
login c1 100001 customer
as c1 GET /api/v1/billing/statements
is "$(grep -oE '"number": *"INV-[0-9]+"' "$BODY" | wc -l)" 4 "Acme Bakery sees its four invoices"
check "  and the credit note" grep -q '"number": *"CN-000001"' "$BODY"

done_testing
