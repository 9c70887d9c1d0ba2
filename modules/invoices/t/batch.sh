#!/usr/bin/env bash
# modules/invoices/t/batch.sh -- the set-based billing run (runbatch.c)
# bills exactly as the per-account reference (`invoices run --one-by-one`,
# bill_one account after account): two brands generated alike (one seed),
# given the same extras by rank -- a mid-cycle upgrade, a suspension, a
# disconnection inside its term (an early-termination fee), one-time and
# late-fee pending charges, rated calls and messages, two VAT rates on one
# class and an exempt product, a prepaid account, a foreign-currency
# charge that must wait -- A billed one by one, B batched, two cycles each
# (the second carries the first's balance forward). Then both have the
# same ledger hash and the same invoices, lines, billed charges and usage,
# balances and events, named by numbers and ranks, never by ids.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 13

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
RUN=$$$RANDOM
A=batch-a-$RUN B=batch-b-$RUN
gen() {
	printf '%s\n' "$PW" | "$CTL" -c "$INI" gen --brand "$1" --host "$1.test" --seed 7 \
		--password-file - --partners 12 --accounts 1300 --services 2600 >/dev/null 2>&1
}
gen "$A" && gen "$B" || { echo "Bail out! gen failed"; exit 1; }
TA=$(sql "SELECT id FROM tenants WHERE slug = '$A'") TB=$(sql "SELECT id FROM tenants WHERE slug = '$B'")

# the same extras in each brand, by rank (ids differ between the two)
extras() {
	local T=$1
	sql "INSERT INTO tax_rates (tenant_id, tax_class, name, rate_ppm) VALUES
	       ($T, 'standard', 'VAT', 190000), ($T, 'standard', 'Levy', 12345), ($T, 'reduced', 'VAT reduced', 70000);
	     UPDATE products p JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) rk FROM products WHERE tenant_id = $T) x ON x.id = p.id
	       SET p.tax_class = IF(x.rk % 3 = 0, 'reduced', IF(x.rk % 3 = 1, 'standard', 'exempt')), p.early_termination_fee = 123456 * x.rk;
	     CREATE TEMPORARY TABLE rk AS SELECT s.id, s.account_id, s.product_id, a.partner_id, a.currency,
	       ROW_NUMBER() OVER (ORDER BY s.id) n FROM services s JOIN accounts a ON a.id = s.account_id WHERE s.tenant_id = $T;
	     UPDATE services s JOIN rk ON rk.id = s.id SET s.start_date = '2026-10-01', s.status = 'active',
	       s.periodic_charge = 100003 * (rk.n % 11 + 1), s.one_time_charge = IF(rk.n % 13 = 0, 55555, 0),
	       s.bill_cycle = ELT(rk.n % 4 + 1, 'monthly', 'monthly', 'quarterly', 'yearly'),
	       s.term_end = IF(rk.n % 5 = 0, '2027-06-30', NULL);
	     UPDATE services s JOIN rk ON rk.id = s.id SET s.start_date = '2026-11-17' WHERE rk.n % 17 = 0;
	     DELETE h FROM service_history h JOIN rk ON rk.id = h.service_id;
	     INSERT INTO service_history (tenant_id, service_id, status, periodic_charge, effective)
	       SELECT $T, s.id, 'active', s.periodic_charge, s.start_date FROM services s JOIN rk ON rk.id = s.id;
	     INSERT INTO service_history (tenant_id, service_id, status, periodic_charge, effective)
	       SELECT $T, rk.id, 'active', 250007, '2026-11-10' FROM rk WHERE rk.n % 9 = 0;
	     INSERT INTO service_history (tenant_id, service_id, status, periodic_charge, effective)
	       SELECT $T, rk.id, 'suspended', 0, '2026-11-20' FROM rk WHERE rk.n % 10 = 3;
	     INSERT INTO service_history (tenant_id, service_id, status, periodic_charge, effective)
	       SELECT $T, rk.id, 'disconnected', 0, '2026-11-15' FROM rk WHERE rk.n % 10 = 5;
	     UPDATE services s JOIN rk ON rk.id = s.id SET s.end_date = '2026-11-15', s.status = 'disconnected' WHERE rk.n % 10 = 5;
	     INSERT INTO pending_charges (tenant_id, account_id, service_id, product_id, kind, description, amount, currency, effective, idem_key)
	       SELECT $T, rk.account_id, rk.id, rk.product_id, IF(rk.n % 2, 'one_time', 'late_fee'), CONCAT('Extra ', rk.n),
	         12345 + rk.n, IF(rk.n % 19 = 0, 'XXX', rk.currency), '2026-11-05', CONCAT('x', rk.n) FROM rk WHERE rk.n % 6 = 1;
	     INSERT INTO rated_usage (tenant_id, partner_id, account_id, service_id, product_id, kind, started_at, amount, currency)
	       SELECT $T, rk.partner_id, rk.account_id, rk.id, rk.product_id, ELT(q.seq % 3 + 1, 'call', 'sms', 'data'),
	         '2026-11-03' + INTERVAL q.seq DAY, 1111 * q.seq + rk.n, rk.currency FROM rk JOIN seq_1_to_40 q WHERE rk.n % 4 = 2;
	     UPDATE accounts a JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) n FROM accounts WHERE tenant_id = $T) x ON x.id = a.id
	       SET a.billing_type = IF(x.n % 25 = 0, 'prepaid', a.billing_type), a.due_days = IF(x.n % 7 = 0, 30, NULL),
	         a.tax_id = IF(x.n % 8 = 0, CONCAT('TAX', x.n), '')"
}
extras "$TA" && extras "$TB" || { echo "Bail out! the extras failed"; exit 1; }

run() { "$CTL" -c "$INI" invoices run --brand "$1" --cycle "$2" "${@:3}"; }
ra=$(run "$A" 2026-11-01 --one-by-one) && rb=$(run "$B" 2026-11-01)
is "$rb" "$ra" "November: the batched run bills as many invoices and lines as the one-by-one ($ra)"
ra=$(run "$A" 2026-12-01 --one-by-one) && rb=$(run "$B" 2026-12-01)
is "$rb" "$ra" "December too ($ra)"
N=$(sql "SELECT COUNT(*) FROM invoices WHERE tenant_id = $TA")
check "  over a thousand invoices ($N)" test "$N" -gt 1000

HA=$("$CTL" -c "$INI" ledger hash --brand "$A") HB=$("$CTL" -c "$INI" ledger hash --brand "$B")
like "$HA" '^[0-9a-f]{64}$' "A's ledger hash"
is "$HB" "$HA" "B's ledger hash equals A's"

# a dump of what each brand billed, by numbers and ranks
dump() {
	local T=$1
	sql "SELECT i.number, a.number, i.period_start, i.issue_date, i.due_date, i.method, i.language, i.balance_forward,
	       i.recurring_total, i.one_time_total, i.usage_total, i.late_fee_total, i.subtotal, i.tax_total, i.total,
	       i.buyer_name, i.buyer_address, IFNULL(i.buyer_tax_id, 'NULL'), i.seller_tax_id, i.currency, i.ledger_txn_id IS NULL, t.idem_key
	     FROM invoices i JOIN accounts a ON a.id = i.account_id LEFT JOIN ledger_txns t ON t.id = i.ledger_txn_id
	     WHERE i.tenant_id = $T ORDER BY i.seq" >"$T_DIR/inv-$T"
	sql "SELECT i.number, l.line_no, l.kind, l.description, sr.n, l.category, l.tax_class, IFNULL(l.period_start, '-'),
	       IFNULL(l.period_end, '-'), l.quantity, l.unit_amount, l.amount, l.tax_amount, IFNULL(l.rate_ppm, '-'), IFNULL(l.base, '-')
	     FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
	     LEFT JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) n FROM services WHERE tenant_id = $T) sr ON sr.id = l.service_id
	     WHERE l.tenant_id = $T ORDER BY i.seq, l.line_no" >"$T_DIR/lines-$T"
	sql "SELECT c.idem_key, IFNULL(i.number, '-') FROM pending_charges c LEFT JOIN invoices i ON i.id = c.invoice_id
	     WHERE c.tenant_id = $T ORDER BY c.idem_key" >"$T_DIR/pending-$T"
	sql "SELECT ur.n, u.status, IFNULL(i.number, '-') FROM rated_usage u LEFT JOIN invoices i ON i.id = u.invoice_id
	     JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) n FROM rated_usage WHERE tenant_id = $T) ur ON ur.id = u.id
	     WHERE u.tenant_id = $T ORDER BY ur.n" >"$T_DIR/usage-$T"
	sql "SELECT number, balance FROM accounts WHERE tenant_id = $T ORDER BY number" >"$T_DIR/bal-$T"
	sql "SELECT a.number, JSON_VALUE(e.payload, '$.number'), JSON_VALUE(e.payload, '$.total.value'), JSON_VALUE(e.payload, '$.tax.value'),
	       JSON_VALUE(e.payload, '$.due_date'), JSON_VALUE(e.payload, '$.period_start'), i.id = JSON_VALUE(e.payload, '$.invoice_id'),
	       IFNULL(i.ledger_txn_id, 0) = JSON_VALUE(e.payload, '$.ledger_txn_id')
	     FROM events e JOIN accounts a ON a.id = e.account_id
	     JOIN invoices i ON i.tenant_id = e.tenant_id AND i.number = JSON_VALUE(e.payload, '$.number')
	     WHERE e.tenant_id = $T AND e.name = 'invoice.issued' ORDER BY e.id" >"$T_DIR/events-$T"
}
dump "$TA" && dump "$TB"
for f in inv lines pending usage bal events; do
	if cmp -s "$T_DIR/$f-$TA" "$T_DIR/$f-$TB"; then
		ok "the same $f ($(wc -l <"$T_DIR/$f-$TA") rows)"
	else
		not_ok "the same $f"
		diff "$T_DIR/$f-$TA" "$T_DIR/$f-$TB" | head -n 10 | sed 's/^/# /'
	fi
done
is "$(sql "SELECT CONCAT_WS('|', COUNT(*), MIN(seq), MAX(seq), COUNT(DISTINCT seq)) FROM invoices WHERE tenant_id = $TB")" \
	"$N|1|$N|$N" "B's numbers are 1..N without a gap"
is "$(run "$B" 2026-12-01)" "cycle 2026-12-01: 0 invoices, 0 lines" "the batched run again bills nothing"

done_testing
