#!/usr/bin/env bash
# modules/commissions/t/rerun.sh -- a commission run is resumable and
# exactly once: two brands generated alike (tierportctl gen, one seed), the
# same plan and rules (nrc, residual, overrides at three levels), November
# billed and two invoices in three paid in full on 20 November. A's run of
# November uninterrupted; B's run killed with SIGKILL once some batches
# have committed, then run again to the end. B then has A's lines and the
# same ledger hash (docs/money.md: no ids or times in it; the ledger keys
# count the brand's batches and name partners by rank), and a rerun of
# either adds nothing. done_testing runs `tierportctl ledger check`.
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 11

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
RUN=$$$RANDOM
A=crerun-a-$RUN B=crerun-b-$RUN
gen() {
	printf '%s\n' "$PW" | "$CTL" -c "$INI" gen --brand "$1" --host "$1.test" --seed 11 \
		--password-file - --partners 20 --accounts 3000 --services 6000 >/dev/null 2>&1
}
gen "$A" && gen "$B" || { echo "Bail out! gen failed"; exit 1; }
TA=$(sql "SELECT id FROM tenants WHERE slug = '$A'") TB=$(sql "SELECT id FROM tenants WHERE slug = '$B'")
# every top agent earns by plan "Standard" (its sub-partners inherit it):
# nrc 20 %, residual 10 %, overrides 5 % and 2 % of the commission one and
# two levels down, 1 % of the revenue three levels down
setup() {
	sql "INSERT INTO tax_rates (tenant_id, tax_class, name, rate_ppm) VALUES ($1, 'standard', 'VAT', 190000);
		INSERT INTO commission_plans (tenant_id, name, currency) VALUES ($1, 'Standard', 'EUR');
		SET @p = LAST_INSERT_ID();
		INSERT INTO commission_rules (tenant_id, plan_id, kind, rate_ppm, level, basis, valid_from) VALUES
			($1, @p, 'nrc', 200000, 0, 'commission', '2020-01-01'), ($1, @p, 'residual', 100000, 0, 'commission', '2020-01-01'),
			($1, @p, 'override', 50000, 1, 'commission', '2020-01-01'), ($1, @p, 'override', 20000, 2, 'commission', '2020-01-01'),
			($1, @p, 'override', 10000, 3, 'revenue', '2020-01-01');
		INSERT INTO commission_assignments (tenant_id, partner_id, plan_id) SELECT $1, id, @p FROM partners WHERE tenant_id = $1 AND parent_id IS NULL"
	"$CTL" -c "$INI" invoices run --brand "$2" --cycle 2026-11-01 >/dev/null 2>&1
	# two invoices in three paid whole on 20 November (rows as a settled
	# payment writes them; the ledger of payments is not what this tests)
	sql "INSERT INTO payments (tenant_id, partner_id, account_id, invoice_id, status, method, debit_account, amount, currency, idem_key, settled_at)
			SELECT tenant_id, partner_id, account_id, id, 'settled', 'transfer', 'cash', total, currency, CONCAT('t:', id), '2026-11-20 10:00:00'
			FROM invoices WHERE tenant_id = $1 AND total > 0 AND id % 3 <> 0 ORDER BY id;
		INSERT INTO payment_allocations (tenant_id, payment_id, invoice_id, amount)
			SELECT tenant_id, id, invoice_id, amount FROM payments WHERE tenant_id = $1 ORDER BY id"
}
setup "$TA" "$A"
setup "$TB" "$B"
nlines() { sql "SELECT COUNT(*) FROM commission_lines WHERE tenant_id = $1"; }
crun() { "$CTL" -c "$INI" commissions run --brand "$1" --period 2026-11 2>/dev/null; }

crun "$A" >"$T_DIR/a.out"
NA=$(nlines "$TA")
check "brand A: November uninterrupted ($NA lines: $(cat "$T_DIR/a.out"))" test "$NA" -gt 5000
is "$(sql "SELECT GROUP_CONCAT(DISTINCT level ORDER BY level) FROM commission_lines WHERE tenant_id = $TA")" "0,1,2,3" "  lines at every level: own sales and three levels of overrides"

# B: killed once a batch or more has committed, well before the end
# (tierportctl itself in the background, not a subshell: the kill is its)
"$CTL" -c "$INI" commissions run --brand "$B" --period 2026-11 >"$T_DIR/b1.out" 2>/dev/null &
PID=$!
for _ in $(seq 1 1200); do
	n=$(nlines "$TB")
	[ "$n" -lt 1000 ] || break
	kill -0 "$PID" 2>/dev/null || break
	sleep 0.05
done
kill -9 "$PID" 2>/dev/null || true
wait "$PID" 2>/dev/null || true
NB1=$(nlines "$TB")
check "brand B: killed half-way ($NB1 of $NA lines)" test "$NB1" -gt 0 -a "$NB1" -lt "$NA"
crun "$B" >"$T_DIR/b2.out"
is "$?" 0 "brand B: run again to the end ($(cat "$T_DIR/b2.out"))"
is "$(nlines "$TB")" "$NA" "  as many lines as A"
HA=$("$CTL" -c "$INI" ledger hash --brand "$A") HB=$("$CTL" -c "$INI" ledger hash --brand "$B")
like "$HA" '^[0-9a-f]{64}$' "A's ledger hash"
is "$HB" "$HA" "B's ledger hash equals A's"
is "$(sql "SELECT CONCAT_WS('|', SUM(balance), COUNT(*)) FROM partners WHERE tenant_id = $TB") $(sql "SELECT CONCAT_WS('|', SUM(amount), COUNT(DISTINCT ledger_txn_id)) FROM commission_lines WHERE tenant_id = $TB")" \
	"$(sql "SELECT CONCAT_WS('|', SUM(balance), COUNT(*)) FROM partners WHERE tenant_id = $TA") $(sql "SELECT CONCAT_WS('|', SUM(amount), COUNT(DISTINCT ledger_txn_id)) FROM commission_lines WHERE tenant_id = $TA")" \
	"the same payables and as many postings"
crun "$A" >/dev/null
crun "$B" >/dev/null
is "$(nlines "$TA")|$(nlines "$TB")|$("$CTL" -c "$INI" ledger hash --brand "$B")" "$NA|$NA|$HA" "a rerun of either adds nothing"

# the daily job (commissions.run): every brand's last ended month once, on
# a clock put at 15 December (so that month is November whatever today
# is); C, set up alike and never run, then has A's lines
C=crerun-c-$RUN
gen "$C" || { echo "Bail out! gen failed"; exit 1; }
TC=$(sql "SELECT id FROM tenants WHERE slug = '$C'")
setup "$TC" "$C"
cp "$INI" "$T_DIR/clock.ini"
printf '\n[testing]\nclock_file = %s\n' "$T_DIR/clock" >>"$T_DIR/clock.ini"
echo $(($(date -ud '2026-12-15 12:00' +%s) - $(date -u +%s))) >"$T_DIR/clock"
"$CTL" -c "$T_DIR/clock.ini" job run commissions.run >"$T_DIR/job.out" 2>&1 || true
is "$(sql "SELECT status FROM commission_runs WHERE tenant_id = $TC AND period = '2026-11'")|$(nlines "$TC")" "done|$NA" \
	"the daily job runs November for a brand not run yet: A's lines ($(tail -n 1 "$T_DIR/job.out"))"
is "$("$CTL" -c "$INI" ledger hash --brand "$C")" "$HA" "  and A's ledger hash"

done_testing
