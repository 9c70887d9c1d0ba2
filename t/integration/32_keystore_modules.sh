#!/usr/bin/env bash
# 32_keystore_modules.sh -- key rotation reaches the modules' sealed columns
# (tp_module.sealed, ABI 2.5): a partner's payout bank account
# (commission_payout_details.account_sealed) and a customer's bank (ACH)
# payment method (payment_methods.account_sealed) are sealed under the
# current key; `key rotate` + reload + `key reencrypt` moves them to the new
# key and `key status` says so per column; then the operator retires the old
# keys (deletes their lines from the key file, reloads) as docs/operations.md
# allows, and the payout still carries the partner's account number (the
# "file" provider's ACH file) and the ACH debit still reaches the gateway
# with the customer's number (the test gateway refuses a number ending in
# 0000: a debit that could not open the number would send none, and be
# approved). Not parallel: it rotates the stack's key file and reloads
# tierportd (the old keys are put back at the end). A brand of its own.
source "$(dirname "$0")/lib.sh"

plan 19

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand ksm commissions invoices
KEYS=$(sed -n 's/^key_file = //p' "$INI")
source "$TP_SRC/modules/commissions/t/lib.bash"
source "$TP_SRC/modules/commissions/t/payout.bash"
DIR=$(awk '/^\[/{s=($0=="[module.commissions]")} s && $1=="payout_dir"{print $3}' "$INI" | tail -n 1)
[ -n "$DIR" ] || { echo "Bail out! no payout_dir in $INI"; exit 1; }
BEFORE=$(worker_pids | tr '\n' ' ')
old_gone() { local p; for p in $BEFORE; do kill -0 "$p" 2>/dev/null && return 1; done; [ "$(healthz_status)" = 200 ]; }
# reload: tierportd's workers load the key file again
reload() {
	BEFORE=$(worker_pids | tr '\n' ' ')
	kill -HUP "$(master_pid)"
	wait_until 40 old_gone
}
# key_ids COLUMN: the key ids `key status` counts values of a column under
key_ids() { { "$CTL" -c "$INI" key status || true; } | sed -n "s/^$1: //p" | grep -oE 'key [0-9]+' | cut -d' ' -f2 | sort -u | tr '\n' ' ' || true; }

# ------------------------------------------------------------- the secrets
# a partner's payout bank account, entered and confirmed by mail
by OP POST /api/v1/commissions/settings '{"hold_days":"0","min_payout":"10","cap":"0","payout_provider":"file"}'
P1=$(partner "Sealed Agents" ka)
ka=$(token ka partner)
bank ka ka 123456789
is "$(sql "SELECT CONCAT(status, ':', LEFT(account_sealed, 4)) FROM commission_payout_details WHERE partner_id = ${P1:-0}")" "confirmed:sb1:" \
	"a partner's payout bank account: confirmed, sealed"
# a customer's bank account as a payment method
by OP POST "/api/v1/partners/$P1/accounts" '{"number":"KS-1","name":"Payer","currency":"EUR"}'
A1=$(json_num id)
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind customer --account KS-1 --login ks.user --password-file - --group customer >/dev/null
C1=$(token ks.user customer)
by C1 POST /api/v1/billing/methods '{"kind":"ach","routing":"021000021","account_number":"98765430000","holder":"Payer"}'
M=$(json_num method_id)
is "$STATUS|$(sql "SELECT LEFT(account_sealed, 4) FROM payment_methods WHERE id = ${M:-0}")" "201|sb1:" "a customer's bank (ACH) method: sealed"

# ------------------------------------------------------------- rotate, reencrypt
cp -p "$KEYS" "$T_DIR/keys.before"
ROT=$("$CTL" -c "$INI" key rotate)
NEW=$(sed -n 's/^key \([0-9]*\) added.*/\1/p' <<<"$ROT")
like "$NEW" '^[0-9]+$' "key rotate adds key $NEW"
check "  tierportd reloaded" reload
RE=$("$CTL" -c "$INI" key reencrypt 2>&1 || true)
like "$RE" "value\\(s\\) sealed again under key $NEW, 0 could not be opened" "key reencrypt: every value opened"
ST=$("$CTL" -c "$INI" key status || true)
like "$ST" "commission_payout_details.account_sealed: key $NEW: [0-9]+ plain: 0" "key status counts the payout accounts"
like "$ST" "payment_methods.account_sealed: key $NEW: [0-9]+ plain: 0" "  and the ACH methods"
is "$(key_ids commission_payout_details.account_sealed)" "$NEW " "  the payout accounts are all under the new key"
is "$(key_ids payment_methods.account_sealed)" "$NEW " "  the ACH methods too"
is "$(key_ids users.totp_secret | grep -v "^$NEW \$" || true)" "" "  (and the TOTP secrets, if any)"

# ------------------------------------------------------------- the old keys leave
# what an operator does once key status shows nothing under them
awk -v k="$NEW" '/^[0-9]+ / && $1 != k {next} {print}' "$KEYS" >"$T_DIR/keys.new"
cat "$T_DIR/keys.new" >"$KEYS"
is "$(grep -cE '^[0-9]+ ' "$KEYS")" 1 "the old keys are removed from the key file"
check "  tierportd reloaded" reload
if "$CTL" -c "$INI" key status >"$T_DIR/status" 2>&1; then KS=0; else KS=$?; fi
is "$KS" 0 "key status: nothing left that needs a removed key"

# the payout: the provider's ACH file carries the partner's account number
earn "$P1" 1205000 >/dev/null
disburse "{\"partner\":\"$P1\"}"
is "$STATUS|$(json_str status)" "201|paid" "a payout to the partner goes out"
REF=$(json_str provider_ref)
like "$(sed -n '/^6/p' "$DIR/$REF" 2>/dev/null | cut -c13-29)" '^123456789 +$' "  its ACH entry credits the partner's account number"
# the ACH method: shown masked, and its debit reaches the gateway with the
# number (...0000: the test bank refuses it; an empty number it approves)
by C1 GET /api/v1/billing/payments
like "$(body)" "Bank account •••• 0000" "the ACH method is still shown masked"
by C1 POST /api/v1/billing/payments "{\"method_id\":\"$M\",\"amount\":\"5\"}" -H "Idempotency-Key: ks-$RANDOM$RANDOM"
is "$STATUS|$(json_str status)" "201|declined" "  its debit reaches the gateway with the account number"
like "$(sql "SELECT IFNULL(decline_reason, '') FROM payments WHERE method_id = ${M:-0}")" "the bank refused the debit" "  (the test bank's answer to ...0000)"

# ------------------------------------------------------------- put the old keys back
{ grep -vE "^$NEW " "$T_DIR/keys.before"; grep -E "^$NEW " "$KEYS"; } >"$T_DIR/keys.after"
cat "$T_DIR/keys.after" >"$KEYS"
check "the old keys back for the scripts after this one (tierportd reloaded)" reload
done_testing
