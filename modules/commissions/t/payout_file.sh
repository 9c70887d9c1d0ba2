#!/usr/bin/env bash
# modules/commissions/t/payout_file.sh -- the "file" payout provider and
# payout runs through the real stack, on a brand of its own: a run pays
# every partner over the minimum with confirmed bank details (the others
# listed with the reason) in one NACHA-style ACH file -- 94-character
# records 1 5 6 6 8 9 padded with nines to a block of ten, entry count,
# entry hash and total credit checked by hand -- and one CSV remittance
# advice; a run with nothing to pay writes no file; a single disbursement
# is a file of its own. done_testing runs `tierportctl ledger check`.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 31

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand pyf commissions invoices
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/payout.bash"
# [module.commissions] payout_dir of the stack's config (tools/stack: var/data/payouts)
DIR=$(awk '/^\[/{s=($0=="[module.commissions]")} s && $1=="payout_dir"{print $3}' "$INI" | tail -n 1)
[ -n "$DIR" ] || { echo "Bail out! no payout_dir in $INI"; exit 1; }

# ------------------------------------------------------------- the setup
by OP POST /api/v1/commissions/settings '{"hold_days":"0","min_payout":"10","cap":"0","payout_provider":"file"}'
is "$STATUS" 200 "the brand pays by ACH file, minimum payout 10.00"
P1=$(partner "Alpha Agents" fa) P2=$(partner "Beta Agents" fb) P3=$(partner "Small Agents" fc) P4=$(partner "No Bank Agents" fd)
fa=$(token fa partner) fb=$(token fb partner) fc=$(token fc partner)
bank fa fa 123456789
bank fb fb 9876543210 011000015 savings
bank fc fc 5555
# Alpha 120.50; Beta 80.25 + 19.75 - 10.00 = 90.00; Small 9.99 (under
# 10.00); No Bank 50.00 but no bank details
earn "$P1" 1205000 >/dev/null
earn "$P2" 802500 >/dev/null
earn "$P2" 197500 >/dev/null
earn "$P2" -100000 >/dev/null
earn "$P3" 99900 >/dev/null
earn "$P4" 500000 >/dev/null
TX0=$(ltxns)

# ------------------------------------------------------------- a run
by OP POST /api/v1/commissions/payout-runs '{"description":"November payouts","reference":"RUN-11"}' -H "Idempotency-Key: $(key)"
is "$STATUS" 201 "a payout run"
RUN=$(json_num run_id)
REF="$SLUG-run-$RUN.ach"
is "$(sql "SELECT GROUP_CONCAT(CONCAT(partner_id, ':', number, ':', status, ':', amount, ':', provider_ref) ORDER BY id) FROM commission_disbursements WHERE tenant_id = $T")" \
	"$P1:D-000001:paid:1205000:$REF,$P2:D-000002:paid:900000:$REF" "  two disbursements, paid, the file's name their reference"
like "$(body)" "Small Agents.*below the minimum payout" "  Small Agents (9.99) is skipped: below the minimum"
like "$(body)" "No Bank Agents.*no confirmed payout bank details" "  No Bank Agents is skipped: no confirmed bank details"
is "$(sql "SELECT disbursements FROM commission_payout_runs WHERE id = ${RUN:-0}")" 2 "  the run counts two"
is "$(ltxns)" "$((TX0 + 2))" "  two ledger transactions"
is "$(ledger "$P1" partner.payable)|$(ledger "$P2" partner.payable)|$(ledger "$P3" partner.payable)" "0|0|-99900" "  Alpha and Beta are owed nothing now, Small still 9.99"

ACH=$DIR/$REF CSV=$DIR/$SLUG-run-$RUN.csv
ok_file() { [ -f "$1" ] && ok "$2" || { not_ok "$2"; diag "  no $1"; }; }
ok_file "$ACH" "the ACH file is written"
ok_file "$CSV" "  and the CSV remittance advice"
is "$(ls "$DIR" | grep -c "^$SLUG-.*\.tmp$" || true)" 0 "  no temporary file left"
is "$(awk 'length($0) != 94' "$ACH" | wc -l)" 0 "every record is 94 characters"
is "$(wc -l <"$ACH")" 10 "  ten records: one block"
is "$(cut -c1 "$ACH" | tr -d '\n')" "1566899999" "  file header, batch header, two entries, batch control, file control, four of nines"
is "$(sed -n 7,10p "$ACH" | sort -u)" "$(printf '9%.0s' $(seq 1 94))" "  the padding is all nines"
is "$(sed -n 1p "$ACH" | cut -c35-40)" "094101" "  header: record size 094, blocking factor 10, format 1"
is "$(sed -n 2p "$ACH" | cut -c2-4)|$(sed -n 2p "$ACH" | cut -c51-53)|$(sed -n 2p "$ACH" | cut -c54-63)" "220|PPD|COMMISSION" "  batch header: credits only (220), PPD, COMMISSION"
# entry: code, routing prefix and check digit, account, cents, id, name
E1=$(sed -n 3p "$ACH") E2=$(sed -n 4p "$ACH")
is "${E1:1:2}|${E1:3:8}|${E1:11:1}|${E1:12:17}|${E1:29:10}|${E1:39:15}" "22|02100002|1|123456789        |0000012050|D-000001       " \
	"  Alpha: checking credit (22) to 021000021, account 123456789, 120.50 as 12050 cents, D-000001"
is "${E2:1:2}|${E2:3:8}|${E2:11:1}|${E2:12:17}|${E2:29:10}|${E2:39:15}" "32|01100001|5|9876543210       |0000009000|D-000002       " \
	"  Beta: savings credit (32) to 011000015, 90.00 as 9000 cents"
is "${E1:54:22}" "HOLDER FA             " "  the holder's name, upper case"
# batch and file control: 2 entries; hash 02100002 + 01100001 = 3200003;
# total credit 12050 + 9000 = 21050 cents
B8=$(sed -n 5p "$ACH") F9=$(sed -n 6p "$ACH")
is "${B8:4:6}|${B8:10:10}|${B8:20:12}|${B8:32:12}" "000002|0003200003|000000000000|000000021050" "batch control: 2 entries, hash 0003200003, debits 0, credits 210.50"
is "${F9:1:6}|${F9:7:6}|${F9:13:8}|${F9:21:10}|${F9:31:12}|${F9:43:12}" "000001|000001|00000002|0003200003|000000000000|000000021050" "file control: 1 batch, 1 block, 2 entries, the same hash and totals"
is "$(sed -n 1p "$CSV")" "partner,partner_id,disbursement,lines,amount,currency,reference" "the CSV advice's header"
is "$(sed -n 2,3p "$CSV" | tr '\n' ' ')" "\"Alpha Agents\",$P1,\"D-000001\",1,120.50,EUR,\"$REF\" \"Beta Agents\",$P2,\"D-000002\",3,90.00,EUR,\"$REF\" " "  a line per payout: partner, disbursement, lines, amount, reference"
is "$(sql "SELECT COUNT(*) FROM commission_payout_books WHERE tenant_id = $T AND provider = 'file' AND reference = '$REF'")" 2 "  the provider's books hold both keys"

# ------------------------------------------------------------- nothing to pay
N0=$(ls "$DIR" | grep -c "^$SLUG-" || true)
by OP POST /api/v1/commissions/payout-runs '{"description":"again"}' -H "Idempotency-Key: $(key)"
is "$STATUS|$(ls "$DIR" | grep -c "^$SLUG-" || true)|$(ltxns)" "201|$N0|$((TX0 + 2))" "a second run finds nothing to pay: no file, no posting"

# ------------------------------------------------------------- one disbursement
earn "$P1" 250000 >/dev/null
TX1=$(ltxns)
disburse "{\"partner\":\"$P1\",\"description\":\"December\"}"
is "$STATUS|$(json_str status)|$(json_str provider_ref)" "201|paid|$SLUG-D-000003.ach" "one disbursement is a file of its own"
F=$DIR/$SLUG-D-000003.ach
is "$(cut -c1 "$F" | tr -d '\n')|$(awk 'length($0) != 94' "$F" | wc -l)" "1568999999|0" "  one entry, 94-character records, a block of ten"
is "$(sed -n 3p "$F" | cut -c30-39)" "0000002500" "  25.00 as 2500 cents"
is "$(ltxns)" "$((TX1 + 1))" "  one ledger transaction"
is "$(sql "SELECT COUNT(*) FROM commission_disbursements d JOIN commission_lines l ON l.disbursement_id = d.id WHERE d.tenant_id = $T AND l.status <> 'paid'")" 0 "every line of a paid disbursement is paid"

done_testing
