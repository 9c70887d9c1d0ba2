# modules/commissions/t/payout.bash -- what the payout scripts (payout.sh,
# payout_file.sh, requests.sh) share, sourced after lib.bash: partners with
# admin logins, lines as the run makes them, payout bank details entered
# and confirmed through the pages, the ledger read back.

key() { echo "k-$RANDOM$RANDOM$RANDOM"; }
lhash() { "$CTL" -c "$INI" ledger hash --brand "$SLUG"; }
ltxns() { sql "SELECT COUNT(*) FROM ledger_txns WHERE tenant_id = $T"; }
# ledger PARTNER CODE: the sum of the partner's entries on a ledger account
ledger() { sql "SELECT IFNULL(SUM(e.amount), 0) FROM ledger_entries e JOIN ledger_accounts l ON l.id = e.ledger_account_id WHERE e.tenant_id = $T AND e.partner_id = $1 AND l.code = '$2'"; }
pbal() { sql "SELECT balance FROM partners WHERE id = $1"; }

# The partners' logins act in the commissions area (the lead's grant of
# the area to partner groups may come with the pages; granted here so the
# scripts stand alone)
sql "INSERT INTO group_rights (group_id, area, rights) SELECT id, 'commissions', 7 FROM rights_groups WHERE tenant_id = $T AND name = 'partner-admin' ON DUPLICATE KEY UPDATE rights = 7"

# partner NAME LOGIN: a partner (EUR) with an admin login of its own
# (LOGIN@example.test) whose API token is in $LOGIN's variable (dots and
# dashes made underscores); prints the partner's id
partner() {
	by OP POST /api/v1/partners "{\"name\":\"$1\",\"currency\":\"EUR\"}" >/dev/null
	local id
	id=$(json_num id)
	printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$id" --login "$2" --email "$2@example.test" --password-file - --admin --group partner-admin >/dev/null
	echo "$id"
}

# earn PARTNER AMOUNT [STATUS]: a commission line of AMOUNT ten-thousandths
# (< 0: a clawback) as the run writes it -- the line, and its posting Dr
# commission.expense / Cr partner.payable with the partner's balance --
# 'approved' unless STATUS says otherwise; prints the line's id
earn() {
	local k="test-earn:$RANDOM$RANDOM$RANDOM"
	sql "INSERT INTO ledger_accounts (tenant_id, code, name, type, holder) VALUES
		($T, 'partner.payable', 'Partner commissions payable', 'liability', 'partner'),
		($T, 'commission.expense', 'Commission expense', 'expense', 'none')
		ON DUPLICATE KEY UPDATE id = id;
	INSERT INTO ledger_txns (tenant_id, idem_key, content_hash, kind, currency, partner_id, memo, effective_at)
		VALUES ($T, '$k', UNHEX(SHA2('$k', 256)), 'commission', 'EUR', $1, 'a test line', NOW());
	SET @t = LAST_INSERT_ID();
	INSERT INTO ledger_entries (tenant_id, txn_id, ledger_account_id, amount, currency, partner_id)
		SELECT $T, @t, id, IF(code = 'partner.payable', -($2), $2), 'EUR', IF(code = 'partner.payable', $1, NULL)
		FROM ledger_accounts WHERE tenant_id = $T AND code IN ('commission.expense', 'partner.payable') ORDER BY code;
	UPDATE partners SET balance = balance - ($2) WHERE id = $1;
	INSERT INTO commission_lines (tenant_id, period, source_key, kind, partner_id, seller_id, earned_on, basis, rate_ppm, amount, currency, status, ledger_txn_id)
		VALUES ($T, '2026-11', '$k', IF($2 < 0, 'chargeback', 'residual'), $1, $1, '2026-11-15', ABS($2) * 10, 100000, $2, 'EUR', '${3:-approved}', @t);
	SELECT LAST_INSERT_ID();"
}

# details TOKENVAR NUMBER [ROUTING [TYPE]]: the partner enters a bank account
details() {
	by "$1" POST /api/v1/commissions/payout-details "{\"holder\":\"Holder $1\",\"routing\":\"${3:-021000021}\",\"account_number\":\"$2\",\"account_type\":\"${4:-checking}\"}"
}
# confirm TOKENVAR LOGIN: the partner admin opens the newest mailed link
confirm_token() { sql "SELECT body FROM mail_outbox WHERE tenant_id = $T AND to_addr = '$1@example.test' ORDER BY id DESC LIMIT 1" | grep -oE 'token=[0-9a-f]{64}' | head -n 1 | cut -d= -f2; }
confirm() { by "$1" POST /api/v1/commissions/payout-details/confirm "{\"token\":\"$(confirm_token "$2")\"}"; }
# bank TOKENVAR LOGIN NUMBER [ROUTING [TYPE]]: entered and confirmed
bank() { details "$1" "$3" "${4:-}" "${5:-}" >/dev/null && confirm "$1" "$2" >/dev/null; }

# disburse JSON [KEY]: an operator's disbursement
disburse() { by OP POST /api/v1/commissions/disbursements "$1" -H "Idempotency-Key: ${2:-$(key)}"; }
