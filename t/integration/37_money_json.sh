#!/usr/bin/env bash
# 37_money_json.sh -- money in JSON is one shape everywhere (issue 10):
# {"value": "12.3456", "currency": "EUR"}, a decimal string at the stored
# precision (minor units would lose sub-cent rates), on the account page,
# its services, the grid's rows and its group sums; pages show the
# currency's decimals ("12.50 EUR").
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"

plan 10

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_demo mon
A1=$(sql "SELECT id FROM accounts WHERE tenant_id = $T AND number = '100001'")
# 12.50 EUR balance, a sub-cent credit limit of 250.0125 EUR
sql "UPDATE accounts SET balance = 125000, credit_limit = 2500125 WHERE id = $A1"
ledger_opening_balances "$T" # balances move only with the ledger (its check ends every script)
login north agent.north partner
M='\{"value":"%s","currency":"EUR"\}'

as north GET "/api/v1/accounts/$A1"
is "$STATUS" 200 "GET /api/v1/accounts/100001: 200"
# shellcheck disable=SC2059
like "$(body)" "\"balance\":$(printf "$M" 12.5000)" "  balance: {\"value\":\"12.5000\",\"currency\":\"EUR\"}"
# shellcheck disable=SC2059
like "$(body)" "\"credit_limit\":$(printf "$M" 250.0125)" "  credit limit 250.0125: the stored precision, not cents"
# shellcheck disable=SC2059
like "$(body)" "\"periodic_charge\":$(printf "$M" 9.9500)" "  a service's periodic charge (VoIP Line 9.95)"
# shellcheck disable=SC2059
like "$(body)" "\"one_time_charge\":$(printf "$M" 0.0000)" "  and its one-time charge"

as north GET "/api/v1/accounts?f.number=100001&cols=number,balance"
# shellcheck disable=SC2059
like "$(body)" "\"balance\":$(printf "$M" 12.5000)" "the accounts grid's row: the same shape"
as north GET "/api/v1/accounts?group=status&cols=number,balance"
like "$(body)" '"sums":\[\{"key":"balance","label":"[^"]*","value":\{"value":"-?[0-9]+\.[0-9]{4}","currency":"EUR"\}' "  a group's sum of money: the same shape"

req GET "/accounts/$A1" "${H[@]}" -b "$COOKIE=${SESS[north]}"
like "$(body)" '<dt>Balance</dt><dd>12.50 EUR</dd>' "the account page shows 12.50 EUR (the currency's decimals)"
req GET "/accounts?f.number=100001&cols=number,balance" "${H[@]}" -b "$COOKIE=${SESS[north]}"
like "$(body)" '12\.50 EUR' "  and the grid's page"
unlike "$(body)" '12\.5000' "  not the stored precision"

done_testing
