#!/usr/bin/env bash
# modules/invoices/t/partner_funds.sh -- an agent's account (A2Billing)
# through the real stack (docs/money.md, "Partners' balances"): the
# operator adds funds (cash -> the agent's funds), the agent transfers to a
# customer in its subtree (both sides in one ledger transaction, or
# neither), refused past its funds plus credit; idempotent (a double
# submit is one transfer, a replayed key with other content a 409); every
# bad input a 400 naming the field with nothing moved; the reports as grids
# with export, scoped: a sub-agent never sees its parent's funds.
# done_testing runs `tierportctl ledger check`.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 55

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand pfu invoices
source "$(dirname "$0")/lib.bash"
pbal() { sql "SELECT balance FROM partners WHERE id = $1"; }
abal() { sql "SELECT balance FROM accounts WHERE id = $1"; }
txns() { sql "SELECT COUNT(*) FROM ledger_txns WHERE tenant_id = $T"; }
# the state nothing may change: balances, ledger, documents
state() { echo "$(pbal "$A")|$(pbal "$B")|$(abal "$CA")|$(abal "$CB")|$(abal "$CX")|$(txns)|$(sql "SELECT COUNT(*) FROM partner_funds WHERE tenant_id = $T")"; }
key() { echo "k-$RANDOM$RANDOM$RANDOM"; }

# ------------------------------------------------------------- the setup
by OP POST /api/v1/partners '{"name":"Agent A","currency":"EUR"}'
A=$(json_num id)
by OP POST "/api/v1/partners/$A/children" '{"name":"Sub B","currency":"EUR"}'
B=$(json_num id)
by OP POST /api/v1/partners '{"name":"Other O","currency":"EUR"}'
O=$(json_num id)
acct() { by OP POST "/api/v1/partners/$1/accounts" "{\"number\":\"$2\",\"name\":\"$3\",\"currency\":\"${4:-EUR}\"}"; json_num id; }
CA=$(acct "$A" PF-A "Cust A")
CB=$(acct "$B" PF-B "Cust B")
CX=$(acct "$O" PF-X "Cust X")
CU=$(acct "$A" PF-U "Cust USD" USD)
[ -n "$CA" ] && [ -n "$CB" ] && [ -n "$CX" ] && [ -n "$CU" ] || { echo "Bail out! setup failed: $(body)"; exit 1; }
for u in "$A a.admin" "$B b.admin" "$O o.admin"; do
	set -- $u
	printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$1" --login "$2" --password-file - --admin --group partner-admin >/dev/null
done
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind customer --account PF-A --login pf.cust --password-file - --group customer >/dev/null
AA=$(token a.admin partner) BA=$(token b.admin partner) OA=$(token o.admin partner) CC=$(token pf.cust customer)

# ------------------------------------------------------------- add funds
K1=$(key)
by OP POST "/api/v1/funds/partners/$A/refills" '{"amount":"500","reference":"wire 42"}' -H "Idempotency-Key: $K1"
is "$STATUS|$(pbal "$A")" "201|-5000000" "the operator adds 500.00 to Agent A's funds: its balance is -500.00 (prepaid)"
F1=$(json_num funds_id)
like "$(body)" '"balance_words":"prepaid funds 500.00 EUR"' "  said as prepaid funds 500.00 EUR"
is "$(sql "SELECT GROUP_CONCAT(CONCAT(l.code, ':', e.amount) ORDER BY e.amount DESC) FROM ledger_entries e JOIN ledger_accounts l ON l.id = e.ledger_account_id JOIN partner_funds f ON f.ledger_txn_id = e.txn_id WHERE f.id = ${F1:-0}")" \
	"cash:5000000,partner.receivable:-5000000" "  one ledger transaction: Dr cash / Cr the agent's partner.receivable"
by OP POST "/api/v1/funds/partners/$A/refills" '{"amount":"500","reference":"wire 42"}' -H "Idempotency-Key: $K1"
is "$STATUS|$(json_num funds_id)|$(pbal "$A")" "201|$F1|-5000000" "the same refill again (a retry): its first answer, nothing added"
by OP POST "/api/v1/funds/partners/$A/refills" '{"amount":"600","reference":"wire 42"}' -H "Idempotency-Key: $K1"
is "$STATUS|$(json_str field)|$(pbal "$A")" "409|idempotency_key|-5000000" "the key again with another amount: 409 naming idempotency_key, nothing added"
by AA POST "/api/v1/funds/partners/$A/refills" '{"amount":"500"}' -H "Idempotency-Key: $(key)"
is "$STATUS|$(pbal "$A")" "404|-5000000" "an agent cannot add funds to itself (an operator page)"
by AA GET /api/v1/funds
is "$STATUS|$(json_str balance_words)" "200|prepaid funds 500.00 EUR" "the agent sees its balance"
like "$(body)" '"available_text":"500.00 EUR"' "  and that it can use 500.00 (no credit)"

# ------------------------------------------------------------- transfer
S0=$(state)
K2=$(key)
by AA POST /api/v1/funds/transfers "{\"account\":\"$CB\",\"amount\":\"200\",\"reference\":\"top-up\"}" -H "Idempotency-Key: $K2"
is "$STATUS|$(pbal "$A")|$(abal "$CB")" "201|-3000000|-2000000" "Agent A transfers 200.00 to Cust B (its sub-agent's customer): funds 300.00 left, Cust B in credit 200.00"
F2=$(json_num funds_id)
TX=$(sql "SELECT ledger_txn_id FROM partner_funds WHERE id = ${F2:-0}")
is "$(sql "SELECT CONCAT_WS('|', COUNT(*), SUM(amount), GROUP_CONCAT(DISTINCT txn_id)) FROM ledger_entries WHERE txn_id = ${TX:-0}")" \
	"2|0|$TX" "  both sides in one ledger transaction, balanced"
is "$(sql "SELECT GROUP_CONCAT(CONCAT(l.code, ':', IFNULL(e.partner_id, '-'), ':', IFNULL(e.account_id, '-'), ':', e.amount) ORDER BY e.amount DESC) FROM ledger_entries e JOIN ledger_accounts l ON l.id = e.ledger_account_id WHERE e.txn_id = ${TX:-0}")" \
	"partner.receivable:$A:$CB:2000000,receivable:$B:$CB:-2000000" "  Dr the agent's partner.receivable / Cr the customer's receivable"
by AA POST /api/v1/funds/transfers "{\"account\":\"$CB\",\"amount\":\"200\",\"reference\":\"top-up\"}" -H "Idempotency-Key: $K2"
is "$STATUS|$(json_num funds_id)|$(pbal "$A")|$(abal "$CB")" "201|$F2|-3000000|-2000000" "a double submit (same key, same content): the first answer, moved once"
S1=$(state)
by AA POST /api/v1/funds/transfers "{\"account\":\"$CB\",\"amount\":\"250\",\"reference\":\"top-up\"}" -H "Idempotency-Key: $K2"
is "$STATUS|$(json_str field)|$(state)" "409|idempotency_key|$S1" "the key replayed with another amount: 409 naming idempotency_key, nothing moved"
by AA POST /api/v1/funds/transfers "{\"account\":\"$CA\",\"amount\":\"300.01\"}" -H "Idempotency-Key: $(key)"
is "$STATUS|$(json_str field)|$(state)" "400|amount|$S1" "300.01 is past its funds (300.00) plus credit (0): 400 naming amount, nothing moved"
like "$(json_str message)" "can use 300.00 EUR more" "  the message says what is left"

# bad input: a 400 naming the field, nothing moved
bad() {
	by AA POST /api/v1/funds/transfers "$2" -H "Idempotency-Key: $(key)"
	is "$STATUS|$(json_str field)|$(state)" "400|$1|$S1" "  $3: 400 naming $1, nothing moved"
}
bad amount "{\"account\":\"$CA\",\"amount\":\"0\"}" "a zero amount"
bad amount "{\"account\":\"$CA\",\"amount\":\"-5\"}" "a negative amount"
bad amount "{\"account\":\"$CA\",\"amount\":\"1.234\"}" "more decimals than EUR has"
bad amount "{\"account\":\"$CA\",\"amount\":\"ten\"}" "words"
bad amount "{\"account\":\"$CA\"}" "no amount"
bad currency "{\"account\":\"$CA\",\"amount\":\"10\",\"currency\":\"USD\"}" "the wrong currency"
bad account "{\"account\":\"$CU\",\"amount\":\"10\"}" "a customer billed in USD"
bad account "{\"account\":\"abc\",\"amount\":\"10\"}" "an account that is no id"
by AA POST /api/v1/funds/transfers "{\"account\":\"$CA\",\"amount\":\"10\"}"
is "$STATUS|$(json_str field)|$(state)" "400|idempotency_key|$S1" "  no idempotency key: 400 naming idempotency_key, nothing moved"
by AA POST /api/v1/funds/transfers "{\"account\":\"$CX\",\"amount\":\"10\"}" -H "Idempotency-Key: $(key)"
is "$STATUS|$(state)" "404|$S1" "a customer outside its subtree: 404, nothing moved"
by BA POST /api/v1/funds/transfers "{\"account\":\"$CA\",\"amount\":\"10\"}" -H "Idempotency-Key: $(key)"
is "$STATUS|$(state)" "404|$S1" "the sub-agent cannot reach its parent's customer: 404"
by BA POST /api/v1/funds/transfers "{\"account\":\"$CB\",\"amount\":\"10\"}" -H "Idempotency-Key: $(key)"
is "$STATUS|$(json_str field)|$(state)" "400|amount|$S1" "the sub-agent (no funds, no credit) cannot spend its parent's funds: 400"
by CC POST /api/v1/funds/transfers "{\"account\":\"$CA\",\"amount\":\"10\"}" -H "Idempotency-Key: $(key)"
is "$STATUS|$(state)" "403|$S1" "a customer login has no funds right: 403"
by OP POST /api/v1/funds/transfers "{\"account\":\"$CA\",\"amount\":\"10\"}" -H "Idempotency-Key: $(key)"
is "$STATUS|$(state)" "404|$S1" "an operator has no funds to transfer (it adds funds): 404"

# the transfer pays open invoices, oldest first (an invoice of 80.00)
sql "INSERT INTO invoices (tenant_id, partner_id, account_id, kind, number, status, currency, issue_date, due_date, period_start, period_end, total, buyer_number, buyer_name)
	VALUES ($T, $A, $CA, 'invoice', 'PF-INV-1', 'issued', 'EUR', CURDATE(), CURDATE(), CURDATE(), CURDATE(), 800000, 'PF-A', 'Cust A')" 2>/dev/null ||
	diag "invoice fixture failed"
by AA POST /api/v1/funds/transfers "{\"account\":\"$CA\",\"amount\":\"100\"}" -H "Idempotency-Key: $(key)"
is "$STATUS|$(pbal "$A")|$(abal "$CA")" "201|-2000000|-1000000" "a transfer of 100.00 to Cust A"
is "$(sql "SELECT paid FROM invoices WHERE tenant_id = $T AND number = 'PF-INV-1'")" 800000 "  pays its open invoice (80.00), the rest stays as credit"

# with credit: funds plus credit
by OP POST "/api/v1/funds/partners/$A/credit" '{"credit_limit":"50","warning_threshold":""}'
is "$STATUS" 200 "the operator gives Agent A a credit limit of 50.00"
by AA POST /api/v1/funds/transfers "{\"account\":\"$CA\",\"amount\":\"250\"}" -H "Idempotency-Key: $(key)"
is "$STATUS|$(pbal "$A")" "201|500000" "200.00 of funds plus 50.00 of credit: a transfer of 250.00 goes through (owes 50.00)"
by AA GET /api/v1/funds
is "$(json_str balance_words)" "you owe the provider 50.00 EUR" "  it now owes the provider 50.00"

# ------------------------------------------------------------- the reports
by OP POST "/api/v1/funds/partners/$B/refills" '{"amount":"20","reference":"sub cash"}' -H "Idempotency-Key: $(key)"
is "$STATUS|$(pbal "$B")" "201|-200000" "the sub-agent gets funds of its own (20.00)"
by AA GET /api/v1/funds/refills
is "$STATUS" 200 "Agent A's own refills"
like "$(body)" "wire 42" "  lists its refill"
like "$(body)" "sub cash" "  and its sub-agent's (its subtree)"
by BA GET /api/v1/funds/refills
unlike "$(body)" "wire 42" "the sub-agent's refills: never its parent's"
like "$(body)" "sub cash" "  only its own"
by BA GET /api/v1/funds
is "$(json_str balance_words)" "prepaid funds 20.00 EUR" "  and its balance is its own"
by AA GET /api/v1/funds/transfers
like "$(body)" "PF-B" "customers' refills: Agent A's transfer to Cust B"
by BA GET /api/v1/funds/transfers
unlike "$(body)" "PF-B" "  the sub-agent does not see its parent's transfers"
by AA GET "/api/v1/funds/customers?sort=number"
is "$STATUS" 200 "account balances of its customers"
like "$(body)" "PF-A.*PF-B" "  Cust A and Cust B"
unlike "$(body)" "PF-X" "  not another partner's customer"
req GET "/funds/customers?format=csv" "${H[@]}" -H "Authorization: Bearer $AA"
is "$STATUS" 200 "exported as CSV"
like "$(body)" "PF-B" "  with Cust B's row"
req GET "/funds/refills?format=csv" "${H[@]}" -H "Authorization: Bearer $BA"
unlike "$(body)" "wire 42" "  the sub-agent's export has none of its parent's refills"
by OA GET /api/v1/funds/transfers
unlike "$(body)" "PF-" "another agent sees none of it"
by CC GET /api/v1/funds/customers
is "$STATUS" 403 "a customer login: 403"
by OP GET /api/v1/funds/transfers
like "$(body)" "PF-A" "the operator sees the brand's transfers"

# ------------------------------------------------------------- the HTML form
req GET /funds "${H[@]}" -H "Authorization: Bearer $AA" -H 'Accept: text/html'
is "$STATUS" 200 "the agent's page"
like "$(body)" 'name="idempotency_key"' "  its transfer form carries an idempotency key"
like "$(body)" "PF-B Cust B" "  and lists its customers"

done_testing
