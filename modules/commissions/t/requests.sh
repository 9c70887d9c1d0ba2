#!/usr/bin/env bash
# modules/commissions/t/requests.sh -- a partner's payout bank details,
# payout requests and withdrawals through the real stack, on a brand of its
# own. Bank details: every bad field a 400 naming it with nothing stored;
# the account number sealed by the key store and shown masked ("•••• 6789"),
# in no table, audit line, log or Redis in clear; each change audited and
# mailed to the partner's admins with a link that confirms it (another
# partner's login, a wrong or used token: 404); only confirmed details pay.
# Requests: below the minimum refused, one open at a time, an operator
# refuses with a reason or pays (a disbursement through the test
# provider). Withdraw to balance: one ledger transaction Dr partner.payable
# / Cr partner.receivable, the lines paid. done_testing runs `tierportctl
# ledger check`.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 67

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand prq commissions invoices
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/payout.bash"
NUM=98765436789 # the account number that must never be seen in clear

by OP POST /api/v1/commissions/settings '{"hold_days":"0","min_payout":"50","cap":"0","payout_provider":"test"}'
is "$STATUS" 200 "the brand pays through the test provider, minimum payout 50.00"
R=$(partner "Remit Agents" rq) W=$(partner "Withdraw Agents" wd) Q=$(partner "Balance Agents" bq)
rq=$(token rq partner) wd=$(token wd partner) bq=$(token bq partner)

# ------------------------------------------------------------- bank details
pd() { by rq POST /api/v1/commissions/payout-details "$1"; }
pd "{\"holder\":\"Remit Agents LLC\",\"routing\":\"021000022\",\"account_number\":\"$NUM\"}"
is "$STATUS|$(json_str field)" "400|routing" "a routing number whose check digit is wrong: 400 naming routing"
pd '{"holder":"Remit Agents LLC","routing":"021000021","account_number":"12ab"}'
is "$STATUS|$(json_str field)" "400|account_number" "an account number that is not 4 to 17 digits: 400 naming it"
pd "{\"holder\":\"Remit Agents LLC\",\"routing\":\"021000021\",\"account_number\":\"$NUM\",\"account_type\":\"brokerage\"}"
is "$STATUS|$(json_str field)" "400|account_type" "an account type that is neither checking nor savings: 400"
pd "{\"routing\":\"021000021\",\"account_number\":\"$NUM\"}"
is "$STATUS|$(json_str field)" "400|holder" "no holder: 400 naming holder"
is "$(sql "SELECT COUNT(*) FROM commission_payout_details WHERE tenant_id = $T")|$(sql "SELECT COUNT(*) FROM mail_outbox WHERE tenant_id = $T")" "0|0" "  nothing stored, nothing mailed"
pd "{\"holder\":\"Remit Agents LLC\",\"routing\":\"021000021\",\"account_number\":\"$NUM\",\"account_type\":\"checking\"}"
is "$STATUS|$(json_str status)" "201|pending" "the partner enters its bank account: pending until confirmed"
is "$(json_str account)" "•••• 6789" "  shown masked"
DET=$(json_num details_id)
like "$(sql "SELECT CONCAT_WS('|', last4, LEFT(account_sealed, 4), status) FROM commission_payout_details WHERE id = ${DET:-0}")" '^6789\|sb1:\|pending$' \
	"  its number sealed by the key store, its last four kept"
is "$(sql "SELECT COUNT(*) FROM commission_payout_details WHERE CONCAT_WS('|', account_sealed, last4, holder, routing) LIKE '%$NUM%'")" 0 "  the number in clear in no column"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T AND action = 'commission.payout_details' AND detail LIKE '%6789%'")" 1 "  the change is audited (masked)"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T AND detail LIKE '%$NUM%'")" 0 "  never with the number"
MAIL=$(sql "SELECT CONCAT(to_addr, '|', subject) FROM mail_outbox WHERE tenant_id = $T ORDER BY id DESC LIMIT 1")
is "$MAIL" "rq@example.test|Confirm the new payout bank account" "a confirmation mail to the partner's admin"
like "$(sql "SELECT body FROM mail_outbox WHERE tenant_id = $T ORDER BY id DESC LIMIT 1")" "ending in 6789.*/commissions/payout-details/confirm\?token=[0-9a-f]{64}" "  with the last four digits and the link"
is "$(sql "SELECT COUNT(*) FROM mail_outbox WHERE tenant_id = $T AND body LIKE '%$NUM%'")" 0 "  never the number"
by rq GET /api/v1/commissions/payout-details
like "$(body)" '"pending".*•••• 6789' "the page shows the pending account masked"
req GET /commissions/payout-details "${H[@]}" -H "Authorization: Bearer $rq" -H "Accept: text/html"
like "$(body)" "Waiting for confirmation by mail: <strong>•••• 6789" "  the HTML page says it waits for the mail"
unlike "$(body)" "$NUM" "  never the number"

# confirming
TOK=$(confirm_token rq)
by rq POST /api/v1/commissions/payout-details/confirm '{"token":"0000000000000000000000000000000000000000000000000000000000000000"}'
is "$STATUS" 404 "a wrong token: 404"
by wd POST /api/v1/commissions/payout-details/confirm "{\"token\":\"$TOK\"}"
is "$STATUS" 404 "another partner's login with the right token: 404"
by rq GET "/api/v1/commissions/payout-details/confirm?token=$TOK"
is "$STATUS|$(sql "SELECT status FROM commission_payout_details WHERE id = ${DET:-0}")" "200|pending" "opening the link shows a button, confirms nothing"
by rq POST /api/v1/commissions/payout-details/confirm "{\"token\":\"$TOK\"}"
is "$STATUS|$(json_str status)" "200|confirmed" "the partner's admin confirms it"
is "$(sql "SELECT CONCAT(status, ':', confirm_hash IS NULL, ':', confirmed_by IS NOT NULL) FROM commission_payout_details WHERE id = ${DET:-0}")" "confirmed:1:1" "  confirmed, by whom, the token forgotten"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T AND action = 'commission.payout_details_confirm'")" 1 "  audited"
by rq POST /api/v1/commissions/payout-details/confirm "{\"token\":\"$TOK\"}"
is "$STATUS" 404 "  the token works once"
# a change waits for its own confirmation; the confirmed account pays meanwhile
details rq 11112222 >/dev/null
is "$(sql "SELECT GROUP_CONCAT(CONCAT(last4, ':', status) ORDER BY id) FROM commission_payout_details WHERE partner_id = $R")" "6789:confirmed,2222:pending" "a new account is pending; the confirmed one stays in use"
confirm rq rq >/dev/null
is "$(sql "SELECT GROUP_CONCAT(CONCAT(last4, ':', status) ORDER BY id) FROM commission_payout_details WHERE partner_id = $R")" "6789:replaced,2222:confirmed" "  once confirmed, it replaces the old one"

# a parent viewing as its sub-partner does not enter the sub's bank details
# (it would send the sub's payouts where it likes): only the sub's logins
SUBP=$(by OP POST "/api/v1/partners/$R/children" "{\"name\":\"Remit Sub\",\"currency\":\"EUR\"}" >/dev/null; json_num id)
login rq rq
as rq POST /api/v1/view/switch "{\"to\":\"partner:${SUBP:-0}\"}"
is "$STATUS" 200 "Remit's admin views as its sub-partner"
as rq POST /api/v1/commissions/payout-details "{\"holder\":\"Remit Sub\",\"routing\":\"021000021\",\"account_number\":\"12345678\",\"account_type\":\"checking\"}"
is "$STATUS|$(sql "SELECT COUNT(*) FROM commission_payout_details WHERE partner_id = ${SUBP:-0}")" "404|0" "  it cannot enter the sub's bank details: 404, nothing stored"

# ------------------------------------------------------------- requests
req_bank() { by "$1" POST /api/v1/commissions/requests "{\"destination\":\"${2:-bank}\"}" -H "Idempotency-Key: ${3:-$(key)}"; }
earn "$R" 400000 >/dev/null
req_bank rq
is "$STATUS|$(json_str field)" "400|partner" "a request for 40.00 approved, under the minimum 50.00: 400"
like "$(json_str message)" "40\.00 EUR.*50\.00 EUR" "  it says both"
earn "$R" 350000 >/dev/null
earn "$R" 100000 approvable >/dev/null
req_bank rq bank
is "$STATUS|$(json_str status)|$(json_str value)" "201|open|75.0000" "75.00 approved (40.00 + 35.00; the approvable 10.00 not): a request to the bank"
RQ1=$(json_num request_id)
req_bank rq balance
is "$STATUS|$(json_str field)" "409|request" "a second request while one is open: 409 naming request"
like "$(json_str message)" "Request $RQ1 is still open" "  it names the open one"
by rq GET /api/v1/commissions/requests
like "$(body)" "\"id\": *$RQ1," "the partner sees its request"
by wd GET /api/v1/commissions/requests
unlike "$(body)" "\"id\": *$RQ1," "  another partner does not"
by OP GET /api/v1/commissions/requests
like "$(body)" "Remit Agents.*\"status\": *\"open\"" "the operator lists it, open"
by rq POST "/api/v1/commissions/requests/$RQ1/decision" '{"action":"pay"}' -H "Idempotency-Key: $(key)"
is "$STATUS" 404 "a partner cannot decide its own request: 404"
by OP POST "/api/v1/commissions/requests/$RQ1/decision" '{"action":"refuse"}' -H "Idempotency-Key: $(key)"
is "$STATUS|$(json_str field)" "400|reason" "refusing needs a reason: 400 naming reason"
by OP POST "/api/v1/commissions/requests/$RQ1/decision" '{"action":"refuse","reason":"Invoice the November fees first"}' -H "Idempotency-Key: $(key)"
is "$STATUS|$(json_str status)" "200|refused" "the operator refuses it with a reason"
by rq GET /api/v1/commissions/requests
like "$(body)" "Invoice the November fees first" "  the partner sees the reason"
TXR=$(ltxns)
req_bank rq bank
is "$STATUS" 201 "the partner asks again"
RQ2=$(json_num request_id)
by OP POST "/api/v1/commissions/requests/$RQ2/decision" '{"action":"pay"}' -H "Idempotency-Key: $(key)"
is "$STATUS|$(json_str status)" "200|paid" "the operator pays it"
DR=$(sql "SELECT disbursement_id FROM commission_requests WHERE id = ${RQ2:-0}")
is "$(sql "SELECT CONCAT_WS('|', status, destination, amount, line_count, request_id) FROM commission_disbursements WHERE id = ${DR:-0}")" "paid|bank|750000|2|$RQ2" "  a disbursement of 75.00 to the bank, paid by the provider"
is "$(ltxns)|$(ledger "$R" partner.payable)" "$((TXR + 1))|-100000" "  one ledger transaction: Remit is owed the approvable 10.00 only"
by OP POST "/api/v1/commissions/requests/$RQ2/decision" '{"action":"refuse","reason":"late"}' -H "Idempotency-Key: $(key)"
is "$STATUS" 409 "deciding a paid request again: 409"

# a payout the provider refuses (the test provider: accounts ending 0000)
# opens the request again, saying why; paid under a new key once fixed
F=$(partner "Failing Agents" fa)
fa=$(token fa partner)
bank fa fa 44440000
earn "$F" 550000 >/dev/null
req_bank fa bank
RQF=$(json_num request_id)
TXF=$(ltxns)
by OP POST "/api/v1/commissions/requests/$RQF/decision" '{"action":"pay"}' -H "Idempotency-Key: $(key)"
is "$STATUS|$(json_str status)" "200|open" "a payout the bank refuses: the request is open again"
is "$(sql "SELECT CONCAT_WS('|', status, open_partner = partner_id, disbursement_id IS NULL, reason) FROM commission_requests WHERE id = ${RQF:-0}")" \
	"open|1|1|The payout failed: the bank refused the credit" "  the partner's open request, its reason the bank's"
is "$(ltxns)|$(sql "SELECT GROUP_CONCAT(DISTINCT CONCAT(status, ':', disbursement_id IS NULL)) FROM commission_lines WHERE partner_id = $F")" "$TXF|approved:1" \
	"  nothing moved; its lines approved and free"
bank fa fa 44441234
by OP POST "/api/v1/commissions/requests/$RQF/decision" '{"action":"pay"}' -H "Idempotency-Key: $(key)"
is "$STATUS|$(json_str status)" "200|paid" "paid once the partner has fixed its account"
is "$(sql "SELECT GROUP_CONCAT(status ORDER BY id) FROM commission_disbursements WHERE request_id = ${RQF:-0}")|$(ltxns)|$(ledger "$F" partner.payable)" "failed,paid|$((TXF + 1))|0" \
	"  a second disbursement, paid: one ledger transaction, nothing owed"

# ------------------------------------------------------------- withdraw to balance
earn "$W" 300000 >/dev/null
earn "$W" 125000 >/dev/null
TXW=$(ltxns) BW=$(pbal "$W")
is "$BW|$(ledger "$W" partner.payable)|$(ledger "$W" partner.receivable)" "-425000|-425000|0" "Withdraw Agents is owed 42.50 on partner.payable"
KW=$(key)
by wd POST /api/v1/commissions/withdraw '{}' -H "Idempotency-Key: $KW"
is "$STATUS|$(json_str status)|$(json_str destination)" "201|paid|balance" "the partner withdraws to its balance (no minimum): paid at once"
DW=$(json_num disbursement_id)
is "$(ltxns)" "$((TXW + 1))" "  one ledger transaction"
is "$(sql "SELECT GROUP_CONCAT(CONCAT(l.code, ':', e.amount, ':', e.partner_id) ORDER BY e.amount DESC) FROM ledger_entries e JOIN ledger_accounts l ON l.id = e.ledger_account_id JOIN commission_disbursements d ON d.ledger_txn_id = e.txn_id WHERE d.id = ${DW:-0}")" \
	"partner.payable:425000:$W,partner.receivable:-425000:$W" "  Dr partner.payable 42.50 / Cr partner.receivable 42.50"
is "$(ledger "$W" partner.payable)|$(ledger "$W" partner.receivable)|$(pbal "$W")" "0|-425000|-425000" "  owed nothing now; 42.50 of prepaid funds (its balance, the sum of both, is the same)"
is "$(sql "SELECT GROUP_CONCAT(DISTINCT status) FROM commission_lines WHERE partner_id = $W")" "paid" "  its lines are paid"
is "$(sql "SELECT COUNT(*) FROM events WHERE tenant_id = $T AND name = 'commission.paid' AND partner_id = $W AND JSON_VALUE(payload, '$.destination') = 'balance'")" 1 "  commission.paid, to the balance"
by wd POST /api/v1/commissions/withdraw '{}' -H "Idempotency-Key: $KW"
is "$STATUS|$(json_num disbursement_id)|$(ltxns)" "201|$DW|$((TXW + 1))" "the same key again: the same withdrawal, nothing moved"
by wd POST /api/v1/commissions/withdraw '{}' -H "Idempotency-Key: $(key)"
is "$STATUS|$(json_str field)|$(ltxns)" "400|partner|$((TXW + 1))" "withdrawing again: nothing approved, 400"
by OP POST /api/v1/commissions/withdraw '{}' -H "Idempotency-Key: $(key)"
is "$STATUS" 404 "an operator has no balance to withdraw to: 404"

# a request to the balance needs no bank details; paying it moves it at once
earn "$Q" 600000 >/dev/null
TXQ=$(ltxns)
req_bank bq bank
is "$STATUS|$(json_str field)" "400|destination" "a request to a bank without confirmed details: 400 naming destination"
req_bank bq balance
is "$STATUS" 201 "a request to the balance"
RQ3=$(json_num request_id)
by OP POST "/api/v1/commissions/requests/$RQ3/decision" '{"action":"pay","reason":"ok"}' -H "Idempotency-Key: $(key)"
is "$STATUS|$(ltxns)|$(ledger "$Q" partner.payable)|$(ledger "$Q" partner.receivable)" "200|$((TXQ + 1))|0|-600000" "  paid: one transaction, 60.00 moved to its prepaid funds"

# ------------------------------------------------------------- never in clear
is "$(grep -rl --exclude='integration-*' "$NUM" "$TP_VAR/log" 2>/dev/null | wc -l)" 0 "the bank account number is in no log"
is "$(mariadb-dump --socket="$TP_VAR/run/mysqld.sock" -u "$(id -un)" tierport 2>/dev/null | grep -c "$NUM")" 0 "  nor in the database's dump"
rcli() { redis-cli -s "$TP_VAR/run/redis.sock" "$@"; }
n=0
for k in $(rcli --scan); do rcli DUMP "$k" | grep -qa "$NUM" && n=$((n + 1)); done
is "$n" 0 "  nor in Redis"

done_testing
