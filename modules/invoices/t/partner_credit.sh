#!/usr/bin/env bash
# modules/invoices/t/partner_credit.sh -- a partner's balance and credit
# limit through the real stack (docs/money.md, "Partners' balances"): the
# operator sets the limit and a warning threshold (90 % of 1000.00: warn
# past 900.00; then an amount), bad values are 400s naming the field and
# change nothing, the partner sees its own in words (page, API, home panel)
# and never its parent's, exactly one mail per crossing however many
# postings go past it (down and up again warns again; the job finds
# crossings made elsewhere), and past the limit a transfer is refused with
# the reason, nothing moved. done_testing runs `tierportctl ledger check`.
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 51

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand pcr invoices
source "$(dirname "$0")/lib.bash"
pbal() { sql "SELECT balance FROM partners WHERE id = $1"; }
warned() { sql "SELECT credit_warned FROM partners WHERE id = $1"; }
mails() { sql "SELECT COUNT(*) FROM mail_outbox WHERE tenant_id = $T AND to_addr = '$1'"; }
txns() { sql "SELECT COUNT(*) FROM ledger_txns WHERE tenant_id = $T"; }
key() { echo "k-$RANDOM$RANDOM$RANDOM"; }
# transfer NAME ACCOUNT AMOUNT: a transfer with a fresh key
transfer() { by "$1" POST /api/v1/funds/transfers "{\"account\":\"$2\",\"amount\":\"$3\"}" -H "Idempotency-Key: $(key)"; }

# ------------------------------------------------------------- the setup
by OP POST /api/v1/partners '{"name":"Dist","currency":"EUR"}'
D=$(json_num id)
by OP POST "/api/v1/partners/$D/children" '{"name":"Dist Sub","currency":"EUR"}'
S=$(json_num id)
by OP POST "/api/v1/partners/$D/accounts" '{"number":"PC-1","name":"Credit One","currency":"EUR"}'
C1=$(json_num id)
[ -n "$D" ] && [ -n "$S" ] && [ -n "$C1" ] || { echo "Bail out! setup failed: $(body)"; exit 1; }
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$D" --login d.admin --email d.admin@example.test --password-file - --admin --group partner-admin >/dev/null
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$S" --login s.admin --password-file - --admin --group partner-admin >/dev/null
DA=$(token d.admin partner) SA=$(token s.admin partner)

# ------------------------------------------------------------- the operator sets it
by OP GET "/api/v1/funds/partners/$D"
is "$STATUS|$(json_str balance_words)" "200|owes nothing, no prepaid funds" "the operator's page of the partner: its balance in words"
by OP POST "/api/v1/funds/partners/$D/credit" '{"credit_limit":"1000","warning_threshold":"90%","billing_email":"acct@dist.example.test"}'
is "$STATUS" 200 "the operator sets a credit limit of 1000.00 and a warning at 90 %"
is "$(sql "SELECT CONCAT_WS('|', credit_limit, warning_kind, warning_ppm, billing_email, credit_warned) FROM partners WHERE id = $D")" \
	"10000000|percent|900000|acct@dist.example.test|0" "  stored: the limit, 90 % as parts per million, the address"
like "$(body)" '"warning_words":"900.00 EUR \(90 % of the credit limit\)"' "  said as 900.00 EUR (90 % of the credit limit)"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T AND action = 'partner.credit'")" 1 "  audited"

before=$(sql "SELECT CONCAT_WS('|', credit_limit, warning_kind, warning_threshold, warning_ppm, billing_email) FROM partners WHERE id = $D")
bad() {
	by OP POST "/api/v1/funds/partners/$D/credit" "$2"
	is "$STATUS|$(json_str field)" "400|$1" "  $3: 400 naming $1"
}
bad credit_limit '{"credit_limit":"-1","warning_threshold":"90%"}' "a negative limit"
bad credit_limit '{"credit_limit":"10.001","warning_threshold":"90%"}' "more decimals than EUR has"
bad credit_limit '{"credit_limit":"","warning_threshold":"90%"}' "no limit"
bad credit_limit '{"credit_limit":"1e3"}' "an exponent"
bad warning_threshold '{"credit_limit":"1000","warning_threshold":"150%"}' "a percentage above 100"
bad warning_threshold '{"credit_limit":"1000","warning_threshold":"0%"}' "0 %"
bad warning_threshold '{"credit_limit":"1000","warning_threshold":"90.123%"}' "a percentage with three decimals"
bad warning_threshold '{"credit_limit":"1000","warning_threshold":"ninety"}' "words"
bad warning_threshold '{"credit_limit":"1000","warning_threshold":"-5"}' "a negative amount"
bad billing_email '{"credit_limit":"1000","warning_threshold":"90%","billing_email":"not an address"}' "a bad address"
is "$(sql "SELECT CONCAT_WS('|', credit_limit, warning_kind, warning_threshold, warning_ppm, billing_email) FROM partners WHERE id = $D")" \
	"$before" "  nothing changed"
by DA POST "/api/v1/funds/partners/$D/credit" '{"credit_limit":"999999"}'
is "$STATUS" 404 "the partner cannot set its own limit (an operator page: 404)"

# ------------------------------------------------------------- the partner sees its own
by DA GET /api/v1/funds
is "$STATUS|$(json_str balance_words)" "200|you owe nothing and have no prepaid funds" "the partner sees its own balance in words"
like "$(body)" '"credit_limit_text":"1000.00 EUR"' "  its credit limit"
like "$(body)" '"available_text":"1000.00 EUR"' "  and what it can still use"
by SA GET /api/v1/funds
like "$(body)" '"credit_limit_text":"0.00 EUR"' "its sub-partner sees its own credit (none), not its parent's"
unlike "$(body)" "\"id\":$D," "  and nothing of its parent"
req GET / "${H[@]}" -H "Authorization: Bearer $DA"
is "$STATUS" 200 "the partner's home page"
like "$(body)" "Balance and credit" "  has the balance and credit panel"
like "$(body)" "you owe nothing and have no prepaid funds" "  saying it in words"

# ------------------------------------------------------------- one mail per crossing
transfer DA "$C1" 850
is "$STATUS|$(pbal "$D")|$(warned "$D")" "201|8500000|0" "a transfer of 850.00 on credit: owes 850.00, below 900.00, no warning"
transfer DA "$C1" 60
is "$STATUS|$(pbal "$D")|$(warned "$D")|$(mails acct@dist.example.test)" "201|9100000|1|1" "60.00 more: owes 910.00, past 900.00: warned, one mail"
like "$(sql "SELECT CONCAT(subject, ' / ', body) FROM mail_outbox WHERE tenant_id = $T AND to_addr = 'acct@dist.example.test'")" \
	"close to the credit limit.*owes the provider 910.00 EUR, past the warning threshold of 900.00 EUR" "  the mail says the balance and the threshold"
is "$(sql "SELECT COUNT(*) FROM events WHERE tenant_id = $T AND name = 'partner.credit_warning'")" 1 "  and one partner.credit_warning event"
transfer DA "$C1" 10
is "$STATUS|$(pbal "$D")|$(mails acct@dist.example.test)" "201|9200000|1" "10.00 more (920.00): still one mail"
transfer DA "$C1" 5
is "$STATUS|$(mails acct@dist.example.test)" "201|1" "and again: still one"

# past the limit: refused, the message says why, nothing moved
n=$(txns) c1=$(sql "SELECT balance FROM accounts WHERE id = $C1")
transfer DA "$C1" 100
is "$STATUS|$(json_str field)" "400|amount" "100.00 more would owe 1025.00, past the limit of 1000.00: 400 naming amount"
like "$(json_str message)" "past Dist's credit limit: it owes the provider 925.00 EUR, its credit limit is 1000.00 EUR, so it can use 75.00 EUR more" "  the message says why"
is "$(pbal "$D")|$(txns)|$(sql "SELECT balance FROM accounts WHERE id = $C1")" "9250000|$n|$c1" "  nothing moved: the partner, the ledger, the customer"
transfer DA "$C1" 75
is "$STATUS|$(pbal "$D")" "201|10000000" "exactly up to the limit: allowed (owes 1000.00)"
transfer DA "$C1" 0.01
is "$STATUS|$(json_str field)" "400|amount" "one cent past it: refused"
by DA GET /api/v1/funds
like "$(body)" '"over_limit":false' "  at the limit is not past it"
like "$(body)" '"available_text":"0.00 EUR"' "  and nothing left to use"

# down and up again warns again
by OP POST "/api/v1/funds/partners/$D/refills" '{"amount":"300","reference":"cash desk"}' -H "Idempotency-Key: $(key)"
is "$STATUS|$(pbal "$D")|$(warned "$D")|$(mails acct@dist.example.test)" "201|7000000|0|1" "the operator records a refill of 300.00: owes 700.00, below the threshold again, no mail"
transfer DA "$C1" 250
is "$STATUS|$(pbal "$D")|$(warned "$D")|$(mails acct@dist.example.test)" "201|9500000|1|2" "up again to 950.00: a second mail"

# an absolute threshold
by OP POST "/api/v1/funds/partners/$D/credit" '{"credit_limit":"1000","warning_threshold":"960.00","billing_email":"acct@dist.example.test"}'
is "$STATUS|$(sql "SELECT CONCAT_WS('|', warning_kind, warning_threshold) FROM partners WHERE id = $D")|$(warned "$D")" \
	"200|amount|9600000|0" "a threshold of 960.00 (an amount): 950.00 is below it, the warning re-armed"
is "$(mails acct@dist.example.test)" 2 "  no mail for that"
transfer DA "$C1" 20
is "$STATUS|$(warned "$D")|$(mails acct@dist.example.test)" "201|1|3" "970.00: past 960.00, the third mail"
by OP POST "/api/v1/funds/partners/$D/credit" '{"credit_limit":"2000","warning_threshold":"50%","billing_email":"acct@dist.example.test"}'
is "$STATUS|$(warned "$D")|$(mails acct@dist.example.test)" "200|0|3" "a limit of 2000.00 warning at 50 % (1000.00): 970.00 is below it, re-armed, no mail"

# the job finds crossings it was not told of
sql "UPDATE partners SET warning_threshold = 9000000, warning_kind = 'amount', credit_warned = 0 WHERE id = $D"
"$CTL" -c "$INI" job run invoices.credit_watch >/dev/null 2>&1
is "$(warned "$D")|$(mails acct@dist.example.test)" "1|4" "tierportctl job run invoices.credit_watch warns of a crossing made elsewhere"
"$CTL" -c "$INI" job run invoices.credit_watch >/dev/null 2>&1
is "$(mails acct@dist.example.test)" 4 "  once"

# no billing e-mail: the partner's admin
by OP POST "/api/v1/funds/partners/$D/credit" '{"credit_limit":"2000","warning_threshold":"990","billing_email":""}'
is "$STATUS|$(warned "$D")" "200|0" "without a billing e-mail, below 990.00"
transfer DA "$C1" 25
is "$STATUS|$(mails d.admin@example.test)" "201|1" "past it: the mail goes to the partner's admin"

# the operator's list
by OP GET "/api/v1/funds/partners?sort=name"
is "$STATUS" 200 "the operator's list of partner balances"
like "$(body)" "Dist Sub" "  lists every partner"
by DA GET /api/v1/funds/partners
is "$STATUS" 404 "  an operator page: 404 for a partner"

done_testing
