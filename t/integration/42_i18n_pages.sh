#!/usr/bin/env bash
# 42_i18n_pages.sh -- issue 10's second language on the core's own pages:
# a German operator and a German partner read the partners and accounts
# lists in German (the grid's title, column headings and status values,
# money with the German separators), an account form's validation error
# comes back in German with the API's field name as it is, the error pages'
# own words are German, and an English login of the same brand reads all
# of it in English as before.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
TOTP=${TP_DEMO_TOTP_SECRET:?tools/test sets TP_DEMO_TOTP_SECRET}
new_demo i18np

plan 25

P_N=$(sql "SELECT id FROM partners WHERE tenant_id = $T AND name = 'North Agency'")
P_C=$(sql "SELECT id FROM partners WHERE tenant_id = $T AND name = 'City Resellers'")
# a money value with thousands (credit limits are not ledger money)
sql "UPDATE partners SET credit_limit = 12345678000 WHERE id = $P_C"
sql "UPDATE accounts SET credit_limit = 98765000 WHERE tenant_id = $T AND number = '100001'"

login op operator partner "$PW" "$(oathtool --totp -b "$TOTP")"
is "$STATUS" 201 "the brand's operator signs in"
login north agent.north partner
login city subagent.city partner
as op PATCH /api/v1/profile '{"language":"de"}'
as north PATCH /api/v1/profile '{"language":"de"}'
is "$STATUS" 200 "the operator and agent.north choose German"

# ------------------------------------------------------------- German
page op '/partners?cols=name,kind,status,credit_limit'
is "$STATUS" 200 "German operator: /partners"
like "$(body)" '<title>Partner' "  the list's title in German"
like "$(body)" '>Partnerart<' "  a column heading in German (Partner type)"
like "$(body)" '>Kreditlimit<' "  another (Credit limit)"
like "$(body)" '1\.234\.567,80 EUR' "  money with German separators (1.234.567,80 EUR)"
like "$(body)" '<td>aktiv</td>' "  a status value in German (active)"
page op '/accounts?cols=number,name,status,credit_limit'
like "$(body)" '>Konto<' "German operator: /accounts's headings in German (Account)"
like "$(body)" '9\.876,50 EUR' "  its money column with German separators"
as op GET '/api/v1/partners?cols=name,status,credit_limit'
like "$(body)" '"value":"1234567\.8000"' "  the API's money stays a decimal string"
like "$(body)" '"status":"active"' "  and its values stay as they are"

page north /accounts
like "$(body)" '>Saldo<' "German partner: /accounts's headings in German (Balance)"
unlike "$(body)" '>Balance<' "  no English heading left"
as north POST "/api/v1/partners/$P_N/accounts" '{"name":"Neu GmbH","email":"nicht-erreichbar"}'
is "$STATUS $(json_str field)" "400 email" "German partner: a bad e-mail is 400 naming the field email"
like "$(json_str message)" '^email muss eine E-Mail-Adresse' "  the message in German"
as north POST "/api/v1/partners/$P_N/accounts" '{"name":""}'
is "$STATUS $(json_str field)" "400 name" "  an empty name: 400 name"
like "$(json_str message)" 'ist erforderlich' "  in German"
page north /accounts/999999999
is "$STATUS" 404 "German partner: a missing account is 404"
like "$(body)" 'Nicht gefunden' "  the error page's words in German"

# ------------------------------------------------------------- English
page city '/partners?cols=name,kind,credit_limit'
like "$(body)" '>Partner type<' "English login of the same brand: /partners in English"
like "$(body)" '1234567\.80 EUR' "  money as before"
page city /accounts
like "$(body)" '>Balance<' "  /accounts in English"
as city POST "/api/v1/partners/$P_C/accounts" '{"name":"New Ltd","email":"unreachable"}'
like "$STATUS $(json_str field) $(json_str message)" '^400 email email must be an e-mail address' \
	"  its errors in English"
page city /accounts/999999999
like "$(body)" 'Not Found' "  and its error pages"

done_testing
