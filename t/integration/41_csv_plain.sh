#!/usr/bin/env bash
# 41_csv_plain.sh -- issue 10's "plain CSV for trusted spreadsheets": by
# default a CSV export's cell that begins with = + - or @ starts with an
# apostrophe (a phone number as +digits excepted) and the grid's note says
# so; the brand settings page turns the guard off (csv_plain), after which
# cells are written as they are and the note says the brand turned it off;
# a bad value is a 400 naming the field, nothing stored; turned on again,
# the guard is back.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"

plan 22

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand it41
op_login
is "$STATUS" 201 "the brand's operator signs in"
as op POST /api/v1/partners '{"name":"Alpha","currency":"EUR"}'
A=$(json_num id)
sql "INSERT INTO accounts (tenant_id, partner_id, number, name, currency) VALUES
	($T, $A, 'CSV1', '=1+1', 'EUR'), ($T, $A, 'CSV2', '+4930123456', 'EUR'),
	($T, $A, 'CSV3', '@SUM(A1)', 'EUR');
	INSERT INTO account_tree (ancestor, descendant, depth)
	SELECT id, id, 0 FROM accounts WHERE tenant_id = $T"

# export: the accounts' numbers and names as CSV, one line each, no CRs
export_csv() {
	req GET "/accounts?cols=number,name&sort=number&format=csv" "${H[@]}" -b "$COOKIE=${SESS[op]}"
	tr -d '\r' <"$BODY"
}
NOTE_GUARD='In CSV a cell that begins with = \+ - or @ starts with an apostrophe'
NOTE_PLAIN='this brand turned the formula guard off for trusted spreadsheets'

# ------------------------------------------------------------- the default: guarded
page op /admin/brand
like "$(body)" '<input type="checkbox" name="csv_plain" value="1"> Plain CSV for trusted spreadsheets' "the brand page: \"Plain CSV for trusted spreadsheets\", off"
is "$(sql "SELECT csv_plain FROM tenants WHERE id = $T")" 0 "  stored off by default"
csv=$(export_csv)
is "$STATUS" 200 "CSV export: 200"
like "$csv" "^CSV1,\"'=1\+1\"$" "  =1+1 starts with an apostrophe"
like "$csv" "^CSV3,\"'@SUM\(A1\)\"$" "  @SUM(A1) too"
like "$csv" '^CSV2,\+4930123456$' "  a phone number as it is"
page op /accounts
like "$(body)" "$NOTE_GUARD" "the grid's note beside the export links says so"

# ------------------------------------------------------------- bad input
as op POST /api/v1/admin/brand '{"csv_plain":"yes"}'
is "$STATUS $(json_str field)" "400 csv_plain" "csv_plain=yes: 400 naming csv_plain"
is "$(sql "SELECT csv_plain FROM tenants WHERE id = $T")" 0 "  nothing stored"

# ------------------------------------------------------------- turned off on the brand page
# the form sends the checkbox's 1 before the hidden 0, as a browser does
form op /admin/brand "csv_plain=1" "csv_plain=0"
is "$STATUS $(header Location)" "303 /admin/brand?saved=1" "the brand page's form turns the guard off: 303"
is "$(sql "SELECT csv_plain FROM tenants WHERE id = $T")" 1 "  stored"
# every worker thread reads the brand again within brand_cache_seconds (10)
for _ in $(seq 1 15); do
	csv=$(export_csv)
	! grep -q '^CSV1,=' <<<"$csv" || break
	sleep 1
done
like "$csv" '^CSV1,=1\+1$' "  then the export writes =1+1 as it is"
like "$csv" '^CSV3,@SUM\(A1\)$' "  and @SUM(A1)"
like "$csv" '^CSV2,\+4930123456$' "  and the phone number"
page op /accounts
like "$(body)" "$NOTE_PLAIN" "  the grid's note says the brand turned the guard off"
unlike "$(body)" "$NOTE_GUARD" "  and no longer promises the apostrophe"
page op /admin/brand
like "$(body)" 'name="csv_plain" value="1" checked>' "  the brand page shows it on"

# ------------------------------------------------------------- on again, by the API
as op POST /api/v1/admin/brand '{"csv_plain":false}'
is "$STATUS $(sql "SELECT csv_plain FROM tenants WHERE id = $T")" "200 0" "the API turns the guard on again: 200, stored"
for _ in $(seq 1 15); do
	csv=$(export_csv)
	grep -q '^CSV1,=' <<<"$csv" || break
	sleep 1
done
like "$csv" "^CSV1,\"'=1\+1\"$" "  the apostrophe is back"
page op /accounts
like "$(body)" "$NOTE_GUARD" "  and the note says so"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T AND action = 'brand.update'")" 2 "both changes are audited"

done_testing
