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

plan 8

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
RUN=$$$RANDOM
A=rerun-a-$RUN B=rerun-b-$RUN
gen() {
	printf '%s\n' "$PW" | "$CTL" -c "$INI" gen --brand "$1" --host "$1.test" --seed 11 \
		--password-file - --partners 20 --accounts 3000 --services 6000 >/dev/null 2>&1
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

done_testing
