#!/usr/bin/env bash
# 32_keystore.sh -- issue 11, findings 2 and 7: TOTP secrets sealed at rest
# by the key store ([security] key_file), and a one-time code that signs in
# once. `tierportctl user totp` stores no base32 secret, only a sealed value,
# and sign-in opens it; the same code (or an older one) is refused the second
# time like a wrong code; a secret left in plain text is sealed by
# `tierportctl migrate`; `key rotate` + reload + `key reencrypt` moves every
# secret to the new key while sign-in goes on working. A brand of its own.
source "$(dirname "$0")/lib.sh"

plan 23

PW="Keystore-Pass-$$"
command -v oathtool >/dev/null || { echo "1..0 # SKIP oathtool missing (tools/deps)"; exit 0; }
new_brand ks
KEYS=$(sed -n 's/^key_file = //p' "$INI")

# fresh_code SECRET: CODE, a code no sign-in has taken yet: codes are good
# once, so wait for the next 30 s step when this step's was used (not in a
# subshell: LAST_STEP must stick)
LAST_STEP=0
fresh_code() {
	local step
	step=$(($(date +%s) / 30))
	if [ "$step" -le "$LAST_STEP" ]; then
		sleep $((30 - $(date +%s) % 30 + 1))
		step=$(($(date +%s) / 30))
	fi
	LAST_STEP=$step
	CODE=$(oathtool --totp -b "$1" -N "@$((step * 30 + 1))")
}

# --- enrolment: no base32 secret in the users table
OUT=$("$CTL" -c "$INI" user totp --brand "$SLUG" --login op)
SECRET=$(sed -n 's/.*two-factor secret //p' <<<"$OUT")
like "$SECRET" '^[A-Z2-7]{32}$' "user totp prints a base32 secret"
STORED=$(sql "SELECT totp_secret FROM users WHERE tenant_id = $T AND login = 'op'")
like "$STORED" '^sb1:[A-Za-z0-9_-]+$' "  the users table holds a sealed value"
check "  not the secret" bash -c "! grep -qF '$SECRET' <<<'$STORED'"
is "$(sql "SELECT COUNT(*) FROM users WHERE totp_secret REGEXP '^[A-Z2-7]{16,}\$'")" 0 "  no user has a base32 secret stored"

# --- sign-in opens it; a code is taken once
fresh_code "$SECRET"
login op op partner "$PW" "$CODE"
is "$STATUS" 201 "sign-in with the code: 201"
login op op partner "$PW" "$CODE"
is "$STATUS" 401 "the same code again: 401"
check "  refused like a wrong code" json_has message '"Wrong login or password."'
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T AND action = 'login.otp_reused'")" 1 "  audited as a reused code"
# an older step's code (still inside the ±30 s window) is refused as well
OLD=$(oathtool --totp -b "$SECRET" -N "@$(((LAST_STEP - 1) * 30 + 1))")
login op op partner "$PW" "$OLD"
is "$STATUS" 401 "the previous step's code after a newer one: 401"
sql "UPDATE users SET failed_logins = 0 WHERE tenant_id = $T"
fresh_code "$SECRET"
login op op partner "$PW" "$CODE"
is "$STATUS" 201 "the next step's code: 201"

# --- a secret left in plain text (from before sealing) is sealed by migrate
# (no code has been taken since totp_last_step was cleared: any step will do)
sql "UPDATE users SET totp_secret = '$SECRET', totp_last_step = NULL WHERE tenant_id = $T AND login = 'op'"
LAST_STEP=0
login op op partner "$PW" "$(oathtool --totp -b "$SECRET")"
is "$STATUS" 401 "a plain-text secret is not used for sign-in"
sql "UPDATE users SET failed_logins = 0 WHERE tenant_id = $T"
MIG=$("$CTL" -c "$INI" migrate 2>&1)
like "$MIG" 'sealed [0-9]+ secret\(s\) stored in plain text' "tierportctl migrate seals it"
like "$(sql "SELECT totp_secret FROM users WHERE tenant_id = $T AND login = 'op'")" '^sb1:' "  the row holds a sealed value"
is "$(sql "SELECT COUNT(*) FROM users WHERE totp_secret IS NOT NULL AND totp_secret NOT LIKE 'sb1:%'")" 0 "  no plain-text secret left anywhere"
fresh_code "$SECRET"
login op op partner "$PW" "$CODE"
is "$STATUS" 201 "  and sign-in works with it"

# --- rotation: a new key seals, the old one still opens, reencrypt moves all
K0=$(grep -cE '^[0-9]+ ' "$KEYS")
ROT=$("$CTL" -c "$INI" key rotate)
like "$ROT" "^key $((K0 + 1)) added" "key rotate adds key $((K0 + 1))"
is "$(grep -cE '^[0-9]+ ' "$KEYS")" "$((K0 + 1))" "  the key file keeps the old ones"
is "$(stat -c %a "$KEYS")" 600 "  and stays 0600"
# the workers load the key file at start: a reload brings the new key
BEFORE=$(worker_pids | tr '\n' ' ')
kill -HUP "$(master_pid)"
old_gone() { local p; for p in $BEFORE; do kill -0 "$p" 2>/dev/null && return 1; done; [ "$(healthz_status)" = 200 ]; }
check "  tierportd reloaded" wait_until 40 old_gone
# a value under the old key still opens
fresh_code "$SECRET"
login op op partner "$PW" "$CODE"
is "$STATUS" 201 "sign-in with a secret under the old key: 201"
RE=$("$CTL" -c "$INI" key reencrypt)
like "$RE" "^[1-9][0-9]* value\\(s\\) sealed again under key $((K0 + 1)), 0 could not be opened" "key reencrypt moves the secrets"
ST=$("$CTL" -c "$INI" key status)
like "$ST" "users.totp_secret: key $((K0 + 1)): [0-9]+ plain: 0$" "  key status: every secret under the new key"
fresh_code "$SECRET"
login op op partner "$PW" "$CODE"
is "$STATUS" 201 "sign-in after reencrypt: 201"
done_testing
