#!/usr/bin/env bash
# modules/invoices/t/pay_autopay.sh -- automatic payments with the test
# gateway and a moved clock (`tierportctl invoices autopay` reads tp_now()
# from lib.bash's clock): an approved card pays the open invoices once; a
# declined one is retried on the brand's dunning days (1, 3, 7 after the
# first decline) with a mail each time carrying the link to update the card,
# and a new card ends the dunning; a card that times out leaves the payment
# unknown and is never charged again until `invoices resolve` knows it was
# charged; a prepaid account's low-balance alert goes out once per crossing
# of the threshold its customer set. done_testing runs `ledger check`.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 23

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand apay invoices
source "$(dirname "$0")/lib.bash"
run() { "$CTL" -c "$INI" invoices run --brand "$SLUG" --cycle "$1"; }
autopay() { "$CTL" -c "$CINI" invoices autopay --brand "$SLUG"; }
balance() { sql "SELECT balance FROM accounts WHERE id = $1"; }
key() { echo "k-$RANDOM$RANDOM$RANDOM"; }
mails() { sql "SELECT COUNT(*) FROM mail_outbox WHERE tenant_id = $T AND to_addr = '$1' AND subject LIKE '$2%'"; }
card() { by OP POST "/api/v1/accounts/$1/methods" "{\"kind\":\"card\",\"token\":\"$2\",\"card_brand\":\"Visa\",\"last4\":\"4242\",\"exp_month\":\"12\",\"exp_year\":\"2040\"}"; }
enrol() { by OP POST "/api/v1/accounts/$1/autopay" "{\"method_id\":\"$2\"}"; }

clear_of_the_hour

# ------------------------------------------------------------- the setup
by OP POST /api/v1/partners '{"name":"Alpha","currency":"EUR"}'
A=$(json_num id)
by OP POST /api/v1/products '{"name":"Line","product_type":"voip-line","currency":"EUR","periodic_charge":"100"}'
PR=$(json_num id)
for n in 1 2 3 4; do
	by OP POST "/api/v1/partners/$A/accounts" "{\"number\":\"AP-$n\",\"name\":\"Auto $n\",\"currency\":\"EUR\"}"
	declare "A$n=$(json_num id)"
	[ "$n" = 4 ] || by OP POST "/api/v1/accounts/$(json_num id)/services" "{\"product_id\":\"$PR\",\"phone_number\":\"+4930888000$n\",\"start_date\":\"2026-10-01\",\"status\":\"active\"}"
done
sql "UPDATE accounts SET billing_email = CONCAT(LOWER(number), '@example.test') WHERE tenant_id = $T;
     UPDATE accounts SET billing_type = 'prepaid' WHERE id = $A4"
day 0
run 2026-10-01 >/dev/null
card "$A1" tok_ok && enrol "$A1" "$(json_num method_id)"
is "$STATUS" 200 "AP-1 pays automatically with a card"
card "$A2" tok_decline && enrol "$A2" "$(json_num method_id)"
card "$A3" tok_timeout && enrol "$A3" "$(json_num method_id)"
is "$(sql "SELECT COUNT(*) FROM payment_profiles WHERE tenant_id = $T AND autopay_method_id IS NOT NULL")" 3 "three accounts enrolled"

# ------------------------------------------------------------- day 0
like "$(autopay)" "1 charged, 1 declined, 1 unknown" "day 0: one charged, one declined, one unknown"
is "$(balance "$A1")|$(sql "SELECT paid FROM invoices WHERE account_id = $A1")" "0|1000000" "  AP-1's invoice paid"
is "$(balance "$A2")|$(balance "$A3")" "1000000|1000000" "  AP-2 and AP-3 owe it still (declined; unknown)"
is "$(mails ap-2@example.test 'Your automatic payment was declined')" 1 "  AP-2 is mailed"
like "$(sql "SELECT body FROM mail_outbox WHERE tenant_id = $T AND to_addr = 'ap-2@example.test'")" \
	"We will try again on .*Update your card: .*/billing/payments" "  with the next try and the link to update the card"
like "$(autopay)" "0 charged, 0 declined, 0 unknown" "day 0 again: nothing charged twice"
is "$(sql "SELECT COUNT(*) FROM gw_test_charges WHERE tenant_id = $T")" 3 "  the gateway was asked three times in all"
like "$("$CTL" -c "$INI" invoices resolve --brand "$SLUG")" "1 settled" "the resolve command: AP-3 was charged"
is "$(balance "$A3")|$(sql "SELECT COUNT(*) FROM payments WHERE account_id = $A3")" "0|1" "  AP-3 paid once"

# ------------------------------------------------------------- dunning
day 1
like "$(autopay)" "0 charged, 1 declined" "day 1: AP-2 retried, declined again"
day 2
like "$(autopay)" "0 charged, 0 declined" "day 2: no retry due"
day 3
like "$(autopay)" "0 charged, 1 declined" "day 3: retried, declined"
is "$(mails ap-2@example.test 'Your automatic payment was declined')" 3 "  a mail at each decline"
is "$(sql "SELECT CONCAT_WS('|', dunning_step, dunning_next_day - dunning_first_day) FROM payment_profiles WHERE account_id = $A2")" "3|7" \
	"  the next try 7 days after the first decline"
card "$A2" tok_ok && enrol "$A2" "$(json_num method_id)"
day 4
like "$(autopay)" "1 charged, 0 declined" "day 4: a new card ends the dunning: paid"
is "$(balance "$A2")|$(sql "SELECT dunning_step FROM payment_profiles WHERE account_id = $A2")" "0|0" "  AP-2 owes nothing, dunning over"

# ------------------------------------------------------------- prepaid low balance
card "$A4" tok_ok
M4=$(json_num method_id)
by OP POST "/api/v1/accounts/$A4/payments" "{\"method_id\":\"$M4\",\"amount\":\"50\"}" -H "Idempotency-Key: $(key)"
is "$STATUS|$(balance "$A4")" "201|-500000" "AP-4 (prepaid) tops up 50.00"
by OP POST "/api/v1/accounts/$A4/low-balance" '{"threshold":"20"}'
debit() { by OP POST "/api/v1/accounts/$A4/adjustments" "{\"kind\":\"debit\",\"amount\":\"$1\",\"reason_code\":\"fee\"}" -H "Idempotency-Key: $(key)"; }
debit 35
like "$(autopay)" "1 low-balance alerts" "available 15.00, under 20.00: one alert"
like "$(autopay)" "0 low-balance alerts" "  not again while it stays under"
by OP POST "/api/v1/accounts/$A4/payments" "{\"method_id\":\"$M4\",\"amount\":\"10\"}" -H "Idempotency-Key: $(key)"
debit 10
like "$(autopay)" "0 low-balance alerts" "25.00, then 15.00 between two runs: no crossing seen"
by OP POST "/api/v1/accounts/$A4/payments" "{\"method_id\":\"$M4\",\"amount\":\"10\"}" -H "Idempotency-Key: $(key)"
autopay >/dev/null
debit 10
like "$(autopay)" "1 low-balance alerts" "back above, then under again: the second crossing's alert"

done_testing
