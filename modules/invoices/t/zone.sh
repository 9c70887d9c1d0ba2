#!/usr/bin/env bash
# modules/invoices/t/zone.sh -- billing days are the brand's days (its time
# zone, tp_brand_day), not UTC's: at 12:00 UTC on 30 November it is already
# 1 December in Auckland. Two brands generated alike, one in
# Pacific/Auckland and one in UTC, billed by `invoices run --brand` (the
# last ended cycle) on a clock put at that moment: the Auckland brand bills
# November, issued 1 December; the UTC brand's November has not ended, so
# it bills October, issued 30 November.
# tp-test: parallel (tools/test: its own brands, a clock of its own)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 6

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
RUN=$$$RANDOM
NZ=zone-nz-$RUN UTC=zone-utc-$RUN
gen() {
	printf '%s\n' "$PW" | "$CTL" -c "$INI" gen --brand "$1" --host "$1.test" --seed 13 \
		--password-file - --partners 2 --accounts 20 --services 40 >/dev/null 2>&1
}
gen "$NZ" && gen "$UTC" || { echo "Bail out! gen failed"; exit 1; }
TNZ=$(sql "SELECT id FROM tenants WHERE slug = '$NZ'") TUTC=$(sql "SELECT id FROM tenants WHERE slug = '$UTC'")
sql "UPDATE tenants SET time_zone = 'Pacific/Auckland' WHERE id = $TNZ"

# tierportctl on a clock of its own: 2026-11-30 12:00:00 UTC
CINI=$T_DIR/clock.ini
cp "$INI" "$CINI"
printf '\n[testing]\nclock_file = %s\n' "$T_DIR/clock" >>"$CINI"
echo $(($(date -u -d '2026-11-30 12:00:00' +%s) - $(date +%s))) >"$T_DIR/clock"
run() { "$CTL" -c "$CINI" invoices run --brand "$1" >"$T_DIR/$1.out" 2>&1; }

run "$NZ"
is "$?" 0 "the Auckland brand's run at 12:00 UTC on 30 November"
is "$(sql "SELECT GROUP_CONCAT(cycle_start) FROM invoice_runs WHERE tenant_id = $TNZ")" 2026-11-01 \
	"  bills November: it is 1 December in Auckland"
is "$(sql "SELECT GROUP_CONCAT(DISTINCT issue_date) FROM invoices WHERE tenant_id = $TNZ")" 2026-12-01 \
	"  its invoices issued on Auckland's 1 December"
run "$UTC"
is "$?" 0 "the UTC brand's run at the same moment"
is "$(sql "SELECT GROUP_CONCAT(cycle_start) FROM invoice_runs WHERE tenant_id = $TUTC")" 2026-10-01 \
	"  bills October: November has not ended in UTC"
is "$(sql "SELECT GROUP_CONCAT(DISTINCT issue_date) FROM invoices WHERE tenant_id = $TUTC")" 2026-11-30 \
	"  its invoices issued on 30 November"

done_testing
