#!/usr/bin/env bash
# modules/commissions/t/plans.sh -- an operator's commission plans through
# the real stack: a plan, its rules (never edited: a change replaces a rule
# from a date, the old one ending the day before), assignments inherited
# down the tree, the brand's settings; every bad input a 400 naming the
# field with nothing written (rates over 100 %, negative amounts, a fixed
# amount where only one-time rules have one, an override without its
# level, overlapping validity, a rule or plan that would pay more than the
# brand's cap, a cap below a rule in force), a foreign partner a 404, and
# a partner login refused the operators' pages.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/../../../t/integration/lib.sh"

plan 36

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand cpl commissions invoices
source "$(dirname "$0")/lib.bash"
nrules() { sql "SELECT COUNT(*) FROM commission_rules WHERE tenant_id = $T"; }
rule() { by OP POST "/api/v1/commissions/plans/$1/rules" "$2"; }
bad() { # bad FIELD JSON WHAT: a rule that must be a 400 naming FIELD
	local n; n=$(nrules)
	rule "$P" "$2"
	is "$STATUS|$(json_str field)|$(nrules)" "400|$1|$n" "$3: 400 naming $1, nothing written"
}

by OP POST /api/v1/partners '{"name":"Agent A","currency":"EUR"}'
A=$(json_num id)
by OP POST "/api/v1/partners/$A/children" '{"name":"Sub B","currency":"EUR"}'
B=$(json_num id)
by OP POST /api/v1/products '{"name":"Line","product_type":"voip-line","currency":"EUR","periodic_charge":"100"}'
PR=$(json_num id)

# ------------------------------------------------------------- plans
by OP POST /api/v1/commissions/plans '{"name":"Agents 2026","description":"residual and overrides","currency":"EUR"}'
is "$STATUS" 201 "a plan"
P=$(json_num id)
by OP POST /api/v1/commissions/plans '{"name":"Agents 2026","currency":"EUR"}'
is "$STATUS|$(json_str field)" "400|name" "  the same name again: 400 naming name"
by OP POST /api/v1/commissions/plans '{"name":"Other","currency":"euro"}'
is "$STATUS|$(json_str field)" "400|currency" "  a currency that is no code: 400"
is "$(sql "SELECT COUNT(*) FROM commission_plans WHERE tenant_id = $T")" 1 "  one plan stored"

rule "$P" '{"kind":"residual","percent":"10","valid_from":"2026-01-01"}'
is "$STATUS" 201 "a residual rule of 10 % for every product"
R1=$(json_num id)
rule "$P" "{\"kind\":\"nrc\",\"calc\":\"fixed\",\"amount\":\"25\",\"product\":\"$PR\",\"chargeback_days\":\"30\",\"valid_from\":\"2026-01-01\"}"
is "$STATUS" 201 "a one-time rule of 25.00 for the product, taken back within 30 days"
rule "$P" '{"kind":"override","level":"1","percent":"5","basis":"commission","valid_from":"2026-01-01"}'
is "$STATUS" 201 "an override of 5 % on its sub-partners' commission"

bad percent '{"kind":"residual","percent":"101","valid_from":"2030-01-01"}' "a rate over 100 %"
bad percent '{"kind":"residual","percent":"-5","valid_from":"2030-01-01"}' "a negative rate"
bad amount '{"kind":"nrc","calc":"fixed","amount":"-25","valid_from":"2030-01-01"}' "a negative amount"
bad amount '{"kind":"nrc","calc":"fixed","amount":"0.001","valid_from":"2030-01-01"}' "an amount finer than the currency"
bad calc '{"kind":"residual","calc":"fixed","amount":"5","valid_from":"2030-01-01"}' "a fixed amount on a residual rule"
bad level '{"kind":"override","percent":"5","valid_from":"2030-01-01"}' "an override without its level"
bad kind '{"kind":"bonus","percent":"5"}' "an unknown kind"
bad valid_from '{"kind":"residual","percent":"12","valid_from":"2026-06-01"}' "a residual rule overlapping the one in force"
bad valid_to '{"kind":"usage","percent":"12","valid_from":"2026-06-01","valid_to":"2026-05-01"}' "a rule ending before it starts"
bad product '{"kind":"residual","percent":"12","product":"999999999","valid_from":"2030-01-01"}' "a product of no one"

# a change: the residual rate becomes 12 % from 2026-12-01
rule "$P" "{\"kind\":\"residual\",\"percent\":\"12\",\"valid_from\":\"2026-12-01\",\"replaces\":\"$R1\"}"
is "$STATUS" 201 "a new residual rate of 12 % from 2026-12-01 replaces the rule"
is "$(sql "SELECT CONCAT(valid_from, '|', valid_to, '|', rate_ppm) FROM commission_rules WHERE id = $R1")" \
	"2026-01-01|2026-11-30|100000" "  the old rule ends the day before, its rate unchanged"
R2=$(json_num id)
rule "$P" "{\"kind\":\"residual\",\"percent\":\"13\",\"valid_from\":\"2026-11-01\",\"replaces\":\"$R2\"}"
is "$STATUS|$(json_str field)" "400|valid_from" "  a replacement must start after the rule it replaces"

# ------------------------------------------------------------- the cap
by OP POST /api/v1/commissions/settings '{"hold_days":"30","min_payout":"50","cap":"10","payout_provider":"file"}'
is "$STATUS|$(json_str field)" "400|cap" "a cap below a rule in force (12 %): 400 naming cap"
by OP POST /api/v1/commissions/settings '{"hold_days":"400","min_payout":"50","cap":"20","payout_provider":"file"}'
is "$STATUS|$(json_str field)" "400|hold_days" "a hold of 400 days: 400 naming hold_days"
by OP POST /api/v1/commissions/settings '{"hold_days":"14","min_payout":"50","cap":"20","payout_provider":"carrier-pigeon"}'
is "$STATUS|$(json_str field)" "400|payout_provider" "an unknown payout provider: 400"
by OP POST /api/v1/commissions/settings '{"hold_days":"14","min_payout":"50","cap":"20","payout_provider":"test"}'
is "$STATUS|$(sql "SELECT CONCAT_WS('|', hold_days, min_payout, cap_ppm, payout_provider) FROM commission_settings WHERE tenant_id = $T")" \
	"200|14|500000|200000|test" "settings: a 14-day hold, 50.00 minimum payout, a 20 % cap, the test provider"
bad percent '{"kind":"usage","percent":"25","valid_from":"2026-01-01"}' "a usage rule of 25 % above the 20 % cap"
# 12 % own + 5 % override on revenue + 4 % more = 21 % > 20 %
rule "$P" '{"kind":"override","level":"2","percent":"5","basis":"revenue","valid_from":"2026-01-01"}'
is "$STATUS" 201 "an override of 5 % of the revenue two levels down (12 + 5 = 17 % within the cap)"
bad percent '{"kind":"override","level":"3","percent":"4","basis":"revenue","valid_from":"2026-01-01"}' "an override that would make the plan pay 21 %, above the cap"

# ------------------------------------------------------------- assignment
by OP POST /api/v1/commissions/assignments "{\"partner\":\"$A\",\"plan\":\"$P\"}"
is "$STATUS|$(sql "SELECT plan_id FROM commission_assignments WHERE partner_id = $A")" "200|$P" "Agent A is on the plan"
by OP POST /api/v1/commissions/assignments "{\"partner\":\"$A\",\"plan\":\"999999999\"}"
is "$STATUS|$(json_str field)" "400|plan" "  a plan of no one: 400 naming plan"
OTHER=$(sql "SELECT id FROM partners WHERE tenant_id <> $T LIMIT 1")
by OP POST /api/v1/commissions/assignments "{\"partner\":\"${OTHER:-999999999}\",\"plan\":\"$P\"}"
is "$STATUS" 404 "  a partner of another brand: 404"

# the pages
op_login
page op /commissions/plans
like "$STATUS $(body | tr -d '\n')" "^200 .*Agents 2026" "the plans page lists the plan"
page op /commissions/settings
like "$STATUS $(body | tr -d '\n')" '^200 .*name="hold_days" value="14".*name="min_payout" value="50.00".*name="cap" value="20.00".*name="payout_provider" value="test"' \
	"the settings page's form shows what is stored"
page op "/commissions/plans/$P"
like "$STATUS $(body | tr -d '\n')" "^200 .*2026-11-30.*Add a rule" "the plan's page shows the rule's end and the form"
form op "/commissions/plans/$P/rules" kind=residual percent=150 valid_from=2031-01-01
like "$STATUS $(body | tr -d '\n')" "^400 .*cannot be over 100" "  a browser's bad rule: the page again with the message"
by OP GET "/api/v1/commissions/plans/$P"
like "$(body)" '"valid_to":"2026-11-30"' "the plan's JSON shows the rule's end"
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$A" --login a.admin --password-file - --admin --group partner-admin >/dev/null
AA=$(token a.admin partner)
by AA GET /api/v1/commissions/plans
is "$STATUS" 404 "a partner does not see the operators' plans (404)"

done_testing
