#!/usr/bin/env bash
# modules/invoices/t/rerun.sh -- a billing run is resumable and exactly
# once: two brands generated alike (tierportctl gen, one seed), a tax rate
# each; A's November run uninterrupted and one account after the other (the
# reference, --one-by-one); B's set-based run killed with SIGKILL once some
# batches have committed, then run again to the end. B then has as many
# invoices as A, numbered 1..N without a gap, and the same ledger hash
# (docs/money.md: references by number and rank, no ids or times), and
# `tierportctl ledger check` holds (done_testing).
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 14

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
RUN=$$$RANDOM
A=rerun-a-$RUN B=rerun-b-$RUN
# gen SLUG [SEED PARTNERS ACCOUNTS SERVICES]
gen() {
	printf '%s\n' "$PW" | "$CTL" -c "$INI" gen --brand "$1" --host "$1.test" --seed "${2:-11}" \
		--password-file - --partners "${3:-20}" --accounts "${4:-3000}" --services "${5:-6000}" >/dev/null 2>&1
}
gen "$A" && gen "$B" || { echo "Bail out! gen failed"; exit 1; }
TA=$(sql "SELECT id FROM tenants WHERE slug = '$A'") TB=$(sql "SELECT id FROM tenants WHERE slug = '$B'")
sql "INSERT INTO tax_rates (tenant_id, tax_class, name, rate_ppm) VALUES ($TA, 'standard', 'VAT', 190000), ($TB, 'standard', 'VAT', 190000)"
invoices() { sql "SELECT COUNT(*) FROM invoices WHERE tenant_id = $1"; }
run() { "$CTL" -c "$INI" invoices run --brand "$1" --cycle 2026-11-01 "${@:2}"; }

run "$A" --one-by-one >"$T_DIR/a.out" 2>&1
NA=$(invoices "$TA")
check "brand A: November billed uninterrupted, one by one ($NA invoices)" test "$NA" -gt 1000

# B: killed once a batch or more has committed, well before the end
run "$B" >"$T_DIR/b1.out" 2>&1 &
PID=$!
for _ in $(seq 1 600); do
	n=$(invoices "$TB")
	[ "$n" -lt 200 ] || break
	kill -0 "$PID" 2>/dev/null || break
	sleep 0.05
done
kill -9 "$PID" 2>/dev/null || true
wait "$PID" 2>/dev/null || true
NB1=$(invoices "$TB")
check "brand B: killed half-way ($NB1 of $NA invoices)" test "$NB1" -gt 0 -a "$NB1" -lt "$NA"
run "$B" >"$T_DIR/b2.out" 2>&1
is "$?" 0 "brand B: run again to the end"
is "$(invoices "$TB")" "$NA" "  as many invoices as A"
is "$(sql "SELECT CONCAT_WS('|', COUNT(DISTINCT seq), MIN(seq), MAX(seq)) FROM invoices WHERE tenant_id = $TB")" "$NA|1|$NA" \
	"  numbered 1..N, no gap, none twice"
HA=$("$CTL" -c "$INI" ledger hash --brand "$A") HB=$("$CTL" -c "$INI" ledger hash --brand "$B")
like "$HA" '^[0-9a-f]{64}$' "A's ledger hash"
is "$HB" "$HA" "B's ledger hash equals A's"
is "$(sql "SELECT SUM(balance) FROM accounts WHERE tenant_id = $TB") $(sql "SELECT COUNT(*) FROM ledger_txns WHERE tenant_id = $TB AND kind = 'invoice'")" \
	"$(sql "SELECT SUM(balance) FROM accounts WHERE tenant_id = $TA") $(sql "SELECT COUNT(*) FROM ledger_txns WHERE tenant_id = $TA AND kind = 'invoice'")" \
	"the same balances and postings"

# The daily job bills every brand in id order: one it cannot bill (here an
# invoice numbered outside the module, so the series' next number is
# taken) is said and left, and the brands after it are billed all the same.
X=rerun-x-$RUN Y=rerun-y-$RUN
gen "$X" 12 2 30 60 && gen "$Y" 12 2 30 60 || { echo "Bail out! gen failed"; exit 1; }
TX=$(sql "SELECT id FROM tenants WHERE slug = '$X'") TY=$(sql "SELECT id FROM tenants WHERE slug = '$Y'")
sql "INSERT INTO invoices (tenant_id, partner_id, account_id, kind, status, series, seq, number, currency, issue_date)
	SELECT tenant_id, partner_id, id, 'invoice', 'issued', 'INV', 1, 'INV-1', currency, '2026-10-01' FROM accounts WHERE tenant_id = $TX ORDER BY id LIMIT 1"
RC=0
"$CTL" -c "$INI" job run invoices.run >"$T_DIR/job.out" 2>&1 || RC=$?
check "the job with a brand it cannot bill: it fails ($RC)" test "$RC" -ne 0
like "$(sql "SELECT last_error FROM jobs WHERE module = 'invoices' AND name = 'run'")" "brand\(s\) not billed" "  saying how many brands were not billed"
is "$(sql "SELECT IFNULL(MAX(status), 'none') FROM invoice_runs WHERE tenant_id = $TX AND cycle_start = '2026-11-01'")|$(sql "SELECT COUNT(*) FROM invoices WHERE tenant_id = $TX")" "running|1" \
	"  that brand's November is not done, nothing of it written"
is "$(sql "SELECT status FROM invoice_runs WHERE tenant_id = $TY AND cycle_start = '2026-11-01'")" done "  the brand after it is billed all the same"
check "  (with invoices: $(invoices "$TY"))" test "$(invoices "$TY")" -gt 0
sql "INSERT INTO invoice_numbers (tenant_id, series, next_seq) VALUES ($TX, 'INV', 2) ON DUPLICATE KEY UPDATE next_seq = 2"
"$CTL" -c "$INI" job run invoices.run >"$T_DIR/job2.out" 2>&1 || true
is "$(sql "SELECT status FROM invoice_runs WHERE tenant_id = $TX AND cycle_start = '2026-11-01'")" done "the next run, from the first brand again, bills it once it can"

done_testing
