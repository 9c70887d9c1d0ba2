#!/usr/bin/env bash
# 20_selfcare.sh -- customers and services self-care, on a brand of its own:
# the product catalog (operators only), the quick form (JSON and HTML; auto
# numbers; a distributor's zero credit limit; every bad field a 400 that
# writes nothing), editing, close/reopen (closed_at), locations and the Bill
# To mark, services (SIP with a typed phone number, extensions under a PBX
# seat, status rules), out-of-view ids, the HTML forms that change a product
# and add or change a location (the form again on bad input, nothing
# written; another account's location and another brand's product 404),
# the CSV import (a good file, a bad one with per-line errors and nothing
# created, the "valid" mode, a 50 MB upload refused with the worker alive),
# the audit log.
source "$(dirname "$0")/lib.sh"

plan 180

CTL=${TP_BUILD:-$TP_SRC/build-san}/tierportctl
INI=$TP_VAR/etc/tierport.ini
PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
RUN=$$$RANDOM
SLUG=it20-$RUN HOST=it20-$RUN.test
H=(-H "Host: $HOST")

"$CTL" -c "$INI" brand add --slug "$SLUG" --name "Care $RUN" --plan "care-$RUN" --host "$HOST" >/dev/null ||
	{ echo "Bail out! brand add failed"; exit 1; }
T=$(sql "SELECT id FROM tenants WHERE slug = '$SLUG'")
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind operator --login op --password-file - --admin >/dev/null
SECRET=$("$CTL" -c "$INI" user totp --brand "$SLUG" --login op | sed -n 's/.*two-factor secret //p')

# html NAME PATH [curl args]: a browser POST of a form
html() {
	local who=$1 path=$2
	shift 2
	req POST "$path" "${H[@]}" -b "$COOKIE=${SESS[$who]}" -H 'Accept: text/html' \
		--data-urlencode "_csrf=${CSRF[$who]}" "$@"
}
# upload NAME PATH FILE [curl -F args]: a multipart import (JSON answer)
upload() {
	local who=$1 path=$2 file=$3
	shift 3
	req POST "$path" "${H[@]}" -b "$COOKIE=${SESS[$who]}" -H "X-CSRF-Token: ${CSRF[$who]}" \
		-H 'Accept: application/json' -F "file=@$file;type=text/csv" "$@"
}
naccounts() { sql "SELECT COUNT(*) FROM accounts WHERE tenant_id = $T"; }
nservices() { sql "SELECT COUNT(*) FROM services WHERE tenant_id = $T"; }
acct() { sql "SELECT id FROM accounts WHERE tenant_id = $T AND number = '$1'"; }

login op op partner "$PW" "$(oathtool --totp -b "$SECRET")"
is "$STATUS" 201 "the brand's operator signs in"

as op POST /api/v1/partners '{"name":"Alpha","currency":"EUR"}'
A=$(json_num id)
as op POST "/api/v1/partners/$A/children" '{"name":"Dist","kind":"distributor"}'
D=$(json_num id)
as op POST /api/v1/partners '{"name":"Omega","currency":"EUR"}'
O=$(json_num id)
for p in "$A alpha.admin" "$D dist.admin" "$O omega.admin"; do
	set -- $p
	printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$1" --login "$2" --password-file - --admin --group partner-admin >/dev/null
done
login alpha alpha.admin
is "$STATUS" 201 "Alpha's admin signs in"
login dist dist.admin
login omega omega.admin

# ------------------------------------------------------------- the catalog

as op POST /api/v1/products '{"name":"VoIP Line","product_type":"voip-line","currency":"EUR","periodic_charge":"9.95","term_months":"12"}'
is "$STATUS" 201 "operator: a product"
P_VOIP=$(json_num id)
is "$(sql "SELECT CONCAT(periodic_charge, ' ', bill_cycle, ' ', term_months, ' ', active) FROM products WHERE id = ${P_VOIP:-0}")" "99500 monthly 12 1" "  9.95 as 99500 ten-thousandths, monthly, 12 months, active"
as op POST /api/v1/products '{"name":"PBX Seat","product_type":"pbx-seat","currency":"EUR","periodic_charge":"20","one_time_charge":"49"}'
P_PBX=$(json_num id)
as op POST /api/v1/products '{"name":"Extension","product_type":"extension","currency":"EUR","periodic_charge":"2"}'
P_EXT=$(json_num id)
as op POST /api/v1/products '{"name":"SIP Account","product_type":"sip-account","currency":"EUR","periodic_charge":"5"}'
P_SIP=$(json_num id)
as op POST /api/v1/products '{"name":"Dollar Line","product_type":"voip-line","currency":"USD"}'
P_USD=$(json_num id)
as op POST /api/v1/products '{"name":"Old Plan","product_type":"hosting","currency":"EUR"}'
P_OLD=$(json_num id)
as op POST "/api/v1/products/$P_OLD" '{"active":"0"}'
is "$STATUS $(sql "SELECT CONCAT(active, ' ', product_type) FROM products WHERE id = ${P_OLD:-0}")" "200 0 hosting" "operator: a product made inactive, the rest kept"
NP=$(sql "SELECT COUNT(*) FROM products WHERE tenant_id = $T")
as op POST /api/v1/products '{"name":"Bad","product_type":"fax","currency":"EUR"}'
is "$STATUS $(json_str field)" "400 product_type" "an unknown product type: 400"
as op POST /api/v1/products '{"name":"Bad","product_type":"hosting","currency":"EUR","periodic_charge":"1.5e3"}'
is "$STATUS $(json_str field)" "400 periodic_charge" "a charge 1.5e3: 400"
as op POST /api/v1/products '{"name":"VoIP Line","product_type":"hosting","currency":"EUR"}'
is "$STATUS $(json_str field)" "409 name" "a name the catalog has: 409"
is "$(sql "SELECT COUNT(*) FROM products WHERE tenant_id = $T")" "$NP" "  nothing written"
as op POST /api/v1/products/999999999 '{"active":"1"}'
is "$STATUS" 404 "operator: a missing product: 404"
as alpha POST /api/v1/products '{"name":"Mine","product_type":"hosting","currency":"EUR"}'
is "$STATUS" 404 "a partner creating a product: 404 (an operator page)"
as alpha POST "/api/v1/products/$P_VOIP" '{"active":"0"}'
is "$STATUS $(sql "SELECT active FROM products WHERE id = $P_VOIP")" "404 1" "a partner changing a product: 404, unchanged"
as alpha GET /api/v1/products
like "$(body)" 'VoIP Line' "a partner reads the catalog"
req GET /products "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: text/html'
like "$(body)" 'href="/products/new"' "the operator's catalog page links to the product form"
req GET /products/new "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: text/html'
is "$STATUS $(grep -c 'action="/products"' "$BODY")" "200 1" "  which is there"
NP=$(sql "SELECT COUNT(*) FROM products WHERE tenant_id = $T")
req POST /products "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: text/html' --data-urlencode "_csrf=${CSRF[op]}" \
	--data-urlencode "name=Form Plan $RUN" --data-urlencode "product_type=hosting" --data-urlencode "currency=EUR" --data-urlencode "periodic_charge=x"
is "$STATUS $(grep -c 'class="tp-error"' "$BODY") $(grep -c "value=\"Form Plan $RUN\"" "$BODY")" "400 1 1" "  a bad charge: 400, the form again with the message and what was typed"
is "$(sql "SELECT COUNT(*) FROM products WHERE tenant_id = $T")" "$NP" "  nothing written"
req POST /products "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: text/html' --data-urlencode "_csrf=${CSRF[op]}" \
	--data-urlencode "name=Form Plan $RUN" --data-urlencode "product_type=hosting" --data-urlencode "currency=EUR" --data-urlencode "periodic_charge=12.50" --data-urlencode "bill_cycle=monthly"
is "$STATUS $(header Location) $(sql "SELECT periodic_charge FROM products WHERE tenant_id = $T AND name = 'Form Plan $RUN'")" "303 /products?saved=1 125000" "  the form: 303 to the catalog, 12.50 stored as 125000"
req GET /products "${H[@]}" -b "$COOKIE=${SESS[alpha]}" -H 'Accept: text/html'
unlike "$(body)" 'href="/products/new"' "a partner's catalog page has no such link"
unlike "$(body)" '/edit"' "  nor edit links"
req GET /products/new "${H[@]}" -b "$COOKIE=${SESS[alpha]}" -H 'Accept: text/html'
is "$STATUS" 404 "  and the form does not exist for it"

# changing a product by the HTML form
P_FORM=$(sql "SELECT id FROM products WHERE tenant_id = $T AND name = 'Form Plan $RUN'")
product() { sql "SELECT CONCAT_WS('|', name, product_type, currency, periodic_charge, bill_cycle, one_time_charge, term_months, active) FROM products WHERE id = $1"; }
pform() { # pform PRODUCT [curl args]: the edit form sent back, with args (a field's first value counts)
	local id=$1
	shift
	html op "/products/$id" "$@" --data-urlencode "name=Form Plan $RUN" --data-urlencode "product_type=hosting" \
		--data-urlencode "currency=EUR" --data-urlencode "periodic_charge=12.50" --data-urlencode "bill_cycle=monthly" \
		--data-urlencode "one_time_charge=0.00" --data-urlencode "term_months=0" --data-urlencode "active=1"
}
req GET /products "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: text/html'
like "$(body)" "href=\"/products/$P_FORM/edit\">Edit<" "the operator's catalog rows link to their edit form"
req GET "/products/$P_FORM/edit" "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: text/html'
is "$STATUS $(grep -c "action=\"/products/$P_FORM\"" "$BODY") $(grep -c 'value="12.50"' "$BODY")" "200 1 1" "  the form, with the product's values (12.50)"
like "$(body)" '<option selected>hosting</option>' "  its type selected"
P0=$(product "$P_FORM")
pform "$P_FORM" --data-urlencode "name=Typed $RUN" --data-urlencode "one_time_charge=-3"
is "$STATUS $(grep -c 'class="tp-error"' "$BODY") $(grep -c "value=\"Typed $RUN\"" "$BODY") $(grep -c 'value="-3"' "$BODY")" "400 1 1 1" \
	"  a negative charge: 400, the form again with the message and what was typed"
like "$(body)" 'one_time_charge' "  naming the field"
pform "$P_FORM" --data-urlencode "name=VoIP Line"
is "$STATUS $(grep -c 'the catalog has a product called VoIP Line' "$BODY")" "409 1" "  a name the catalog has: 409 with the message"
pform "$P_FORM" --data-urlencode "term_months=121"
is "$STATUS $(product "$P_FORM")" "400 $P0" "  a term of 121 months: 400; none of them changed anything"
pform "$P_FORM" --data-urlencode "periodic_charge=15.25" --data-urlencode "term_months=24" --data-urlencode "active=0" --data-urlencode "bill_cycle=yearly"
is "$STATUS $(header Location) $(product "$P_FORM")" "303 /products?saved=1 Form Plan $RUN|hosting|EUR|152500|yearly|0|24|0" \
	"  the form: 303 to the catalog, 15.25 stored as 152500, yearly, 24 months, inactive"
req GET "/products/$P_FORM/edit" "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: text/html'
is "$(grep -c '<option selected>yearly</option>' "$BODY") $(grep -c 'value="0" selected>inactive' "$BODY")" "1 1" "  the form shows the new cycle and inactive"
DEMO_P=$(sql "SELECT p.id FROM products p JOIN tenants t ON t.id = p.tenant_id WHERE t.slug = 'demo' LIMIT 1")
req GET "/products/${DEMO_P:-0}/edit" "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: text/html'
is "$STATUS" 404 "another brand's product: 404"
D0=$(product "${DEMO_P:-0}")
pform "${DEMO_P:-0}" --data-urlencode "name=Stolen $RUN"
is "$STATUS $(product "${DEMO_P:-0}")" "404 $D0" "  changing it: 404, unchanged"
for id in 999999999 abc 0; do
	req GET "/products/$id/edit" "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: text/html'
	is "$STATUS" 404 "the edit form of product $id: 404"
done
req GET "/products/$P_FORM/edit" "${H[@]}" -b "$COOKIE=${SESS[alpha]}" -H 'Accept: text/html'
is "$STATUS" 404 "a partner: the edit form does not exist"

# ------------------------------------------------------------- quick form

N0=$(naccounts)
as alpha POST "/api/v1/partners/$A/accounts" '{"number":"Q-1","name":"Quick One","contact_name":"Ann Lee","email":"ann@example.com","phone":"+49 30 1234","currency":"EUR","credit_limit":"250.50","street":"Main St 1","city":"Berlin","postcode":"10115","region":"BE","country":"DE"}'
is "$STATUS" 201 "quick form (JSON): 201"
Q1=$(json_num id)
is "$(sql "SELECT CONCAT_WS('|', number, contact_name, email, phone, credit_limit, balance, currency) FROM accounts WHERE id = ${Q1:-0}")" \
	"Q-1|Ann Lee|ann@example.com|+49 30 1234|2505000|0|EUR" "  contacts, credit limit 250.50 in ten-thousandths, balance 0"
is "$(sql "SELECT CONCAT_WS('|', street, city, postcode, region, country, is_bill_to) FROM locations WHERE account_id = ${Q1:-0}")" \
	"Main St 1|Berlin|10115|BE|DE|1" "  its Bill To location, in the same transaction"
as alpha POST "/api/v1/partners/$A/accounts" '{"name":"Auto One"}'
is "$STATUS" 201 "no number: 201"
N1=$(json_str number)
as alpha POST "/api/v1/partners/$A/accounts" '{"name":"Auto Two","number":""}'
N2=$(json_str number)
like "$N1" '^[0-9]{6,}$' "  a number from the brand's counter ($N1)"
is "$N2" "$((N1 + 1))" "  the next one is the next number"
sql "INSERT INTO accounts (tenant_id, partner_id, number, name, currency) VALUES ($T, $A, '$((N2 + 1))', 'Typed', 'EUR')"
as alpha POST "/api/v1/partners/$A/accounts" '{"name":"Auto Three"}'
is "$(json_str number)" "$((N2 + 2))" "  a number typed in meanwhile is stepped over"
# eight at once: the counter row queues them, no number twice
for i in 1 2 3 4 5 6 7 8; do
	curl -s -o /dev/null "${H[@]}" -b "$COOKIE=${SESS[alpha]}" -H "X-CSRF-Token: ${CSRF[alpha]}" \
		-H 'Content-Type: application/json' --data-binary "{\"name\":\"Race $i\"}" "$BASE/api/v1/partners/$A/accounts" &
done
wait
is "$(sql "SELECT CONCAT(COUNT(*), ' ', COUNT(DISTINCT number)) FROM accounts WHERE tenant_id = $T AND name LIKE 'Race %'")" "8 8" "  eight created at once get eight numbers"
as dist POST "/api/v1/partners/$D/accounts" '{"name":"Dist Customer","credit_limit":"0","opening_balance":"0"}'
is "$STATUS" 201 "a distributor creates a customer with zero credit limit and zero opening balance"
is "$(sql "SELECT CONCAT(credit_limit, ' ', balance) FROM accounts WHERE id = $(json_num id)")" "0 0" "  both 0"

N3=$(naccounts)
bad() { # bad FIELD JSON: a quick form that must be 400 on FIELD
	as alpha POST "/api/v1/partners/$A/accounts" "$2"
	is "$STATUS $(json_str field)" "400 $1" "bad $1: 400 on $1"
}
bad name '{"contact_name":"x"}'
bad number '{"name":"X","number":"a b"}'
bad email '{"name":"X","email":"not-an-address"}'
bad phone '{"name":"X","phone":"call me"}'
bad currency '{"name":"X","currency":"eur"}'
bad credit_limit '{"name":"X","credit_limit":"-1"}'
bad credit_limit '{"name":"X","credit_limit":"1.23456"}'
bad credit_limit '{"name":"X","credit_limit":"ten"}'
bad opening_balance '{"name":"X","opening_balance":"10"}'
bad street '{"name":"X","city":"Berlin","country":"DE"}'
bad country '{"name":"X","street":"A 1","city":"Berlin","country":"DEU"}'
bad postcode '{"name":"X","street":"A 1","city":"Berlin","country":"DE","postcode":"<1>"}'
as alpha POST "/api/v1/partners/$A/accounts" '{"name":"X","number":"Q-1"}'
is "$STATUS $(json_str field)" "409 number" "a number taken: 409 on number"
is "$(naccounts)" "$N3" "  none of them was written"
as alpha POST "/api/v1/partners/$O/accounts" '{"name":"Intruder"}'
is "$STATUS" 404 "an account under Omega (out of view): 404"

html alpha "/partners/$A/accounts" --data-urlencode "name=Form Customer" --data-urlencode "contact_name=Bo" \
	--data-urlencode "credit_limit=10" --data-urlencode "street=Side St 2" --data-urlencode "city=Hamburg" --data-urlencode "country=DE"
FA=$(sql "SELECT id FROM accounts WHERE tenant_id = $T AND name = 'Form Customer'")
is "$STATUS $(header Location)" "303 /accounts/$FA?saved=1" "quick form (HTML): 303 to the account"
html alpha "/partners/$A/accounts" --data-urlencode "name=Form Bad" --data-urlencode "email=nope"
is "$STATUS" 400 "quick form (HTML) with a bad e-mail: 400"
like "$(body)" 'class="tp-error".*email' "  the form again with the message"
is "$(sql "SELECT COUNT(*) FROM accounts WHERE tenant_id = $T AND name = 'Form Bad'")" 0 "  nothing written"
req GET "/partners/$A" "${H[@]}" -b "$COOKIE=${SESS[alpha]}" -H 'Accept: text/html'
like "$(body)" 'name="credit_limit"' "the partner page's form has the new fields"
like "$(body)" 'enctype="multipart/form-data"' "  and an import form"

# ------------------------------------------------------------- edit, close

as alpha POST "/api/v1/accounts/$Q1" '{"contact_name":"Ann Berg","credit_limit":"300"}'
is "$STATUS $(sql "SELECT CONCAT_WS('|', name, contact_name, credit_limit) FROM accounts WHERE id = $Q1")" "200 Quick One|Ann Berg|3000000" "edit: the fields sent changed, the name kept"
html alpha "/accounts/$Q1" --data-urlencode "name=Quick One" --data-urlencode "contact_name=Ann Berg" --data-urlencode "email=ann@example.com" \
	--data-urlencode "phone=+49 30 1234" --data-urlencode "credit_limit=300.00"
is "$STATUS $(header Location)" "303 /accounts/$Q1?saved=1" "edit (HTML, the prefilled form sent back): 303"
as alpha POST "/api/v1/accounts/$Q1" '{"email":"bad@"}'
is "$STATUS $(json_str field)" "400 email" "edit with a bad e-mail: 400"
is "$(sql "SELECT email FROM accounts WHERE id = $Q1")" "ann@example.com" "  unchanged"
as omega POST "/api/v1/accounts/$Q1" '{"name":"Stolen"}'
is "$STATUS $(sql "SELECT name FROM accounts WHERE id = $Q1")" "404 Quick One" "edit out of view: 404, unchanged"
as alpha POST "/api/v1/accounts/$FA/status" '{"status":"closed"}'
is "$STATUS $(sql "SELECT status, closed_at IS NOT NULL FROM accounts WHERE id = $FA" | tr '\t' ' ')" "200 closed 1" "close: status closed, closed_at set"
as alpha POST "/api/v1/accounts/$FA" '{"name":"Renamed"}'
is "$STATUS" 409 "  a closed account is not edited: 409"
as alpha POST "/api/v1/accounts/$FA/status" '{"status":"active"}'
is "$(sql "SELECT status, closed_at IS NULL FROM accounts WHERE id = $FA" | tr '\t' ' ')" "active 1" "reopen: closed_at cleared"

# ------------------------------------------------------------- locations

L1=$(sql "SELECT id FROM locations WHERE account_id = $Q1")
as alpha POST "/api/v1/accounts/$Q1/locations" '{"name":"Office","street":"Side St 5","city":"Potsdam","country":"DE"}'
is "$STATUS" 201 "a second location"
L2=$(json_num id)
billto() { sql "SELECT GROUP_CONCAT(id) FROM locations WHERE account_id = $Q1 AND is_bill_to = 1"; }
is "$(billto)" "$L1" "  the Bill To stays on the first"
as alpha POST "/api/v1/accounts/$Q1/locations/$L2" '{"is_bill_to":"1"}'
is "$STATUS $(billto)" "200 $L2" "the Bill To mark moves to the second"
as alpha POST "/api/v1/accounts/$Q1/locations/$L2" '{"is_bill_to":"0"}'
is "$STATUS $(json_str field) $(billto)" "400 is_bill_to $L2" "  unmarking it without another: 400, kept"
as alpha POST "/api/v1/accounts/$Q1/locations" '{"street":"Third 3","city":"Bonn","country":"DE","is_bill_to":"true"}'
L3=$(json_num id)
is "$(billto)" "$L3" "a new location marked Bill To takes the mark"
as alpha POST "/api/v1/accounts/$Q1/locations/$L1" '{"city":"Berlin-Mitte"}'
is "$STATUS $(sql "SELECT CONCAT(city, ' ', street) FROM locations WHERE id = $L1")" "200 Berlin-Mitte Main St 1" "a location's city changed, the rest kept"
AUTO1=$(acct "$N1")
as alpha POST "/api/v1/accounts/$AUTO1/locations/$L1" '{"city":"Elsewhere"}'
is "$STATUS $(sql "SELECT city FROM locations WHERE id = $L1")" "404 Berlin-Mitte" "another account's location through this account: 404"
as alpha POST "/api/v1/accounts/$Q1/locations" '{"street":"X","city":"Y","country":"de"}'
is "$STATUS $(json_str field)" "400 country" "a location with country de: 400"
as omega POST "/api/v1/accounts/$Q1/locations" '{"street":"X","city":"Y","country":"DE"}'
is "$STATUS" 404 "a location on an account out of view: 404"

# the location forms
nloc() { sql "SELECT COUNT(*) FROM locations WHERE account_id = $Q1"; }
loc() { sql "SELECT CONCAT_WS('|', name, street, city, postcode, region, country, is_bill_to) FROM locations WHERE id = $1"; }
get() { req GET "$2" "${H[@]}" -b "$COOKIE=${SESS[$1]}" -H 'Accept: text/html'; } # get NAME PATH
get alpha "/accounts/$Q1/locations"
like "$(body)" "href=\"/accounts/$Q1/locations/new\">Add a location<" "the locations grid links to the add form"
like "$(body)" "href=\"/accounts/$Q1/locations/$L1/edit\">Edit<" "  and each row to its edit form"
get alpha "/accounts/$Q1"
like "$(body)" "href=\"/accounts/$Q1/locations/$L2/edit\"" "the account page links to the edit forms too"
get alpha "/accounts/$Q1/locations/new"
is "$STATUS $(grep -c "action=\"/accounts/$Q1/locations\"" "$BODY")" "200 1" "GET the add form: 200"
NL=$(nloc) B0=$(billto)
html alpha "/accounts/$Q1/locations" --data-urlencode "name=Depot" --data-urlencode "street=Form St 9" \
	--data-urlencode "city=Kiel" --data-urlencode "country=germany"
is "$STATUS $(grep -c 'class="tp-error"' "$BODY") $(grep -c 'value="Form St 9"' "$BODY")" "400 1 1" \
	"  a bad country: 400, the form again with the message and what was typed"
html alpha "/accounts/$Q1/locations" --data-urlencode "street=Form St 9" --data-urlencode "city=" --data-urlencode "country=DE"
is "$STATUS $(nloc)" "400 $NL" "  no city: 400; nothing written"
html alpha "/accounts/$Q1/locations" --data-urlencode "name=Depot" --data-urlencode "street=Form St 9" \
	--data-urlencode "city=Kiel" --data-urlencode "postcode=24103" --data-urlencode "country=DE"
is "$STATUS $(header Location) $(nloc) $(billto)" "303 /accounts/$Q1?saved=1 $((NL + 1)) $B0" \
	"  the form: 303 to the account, a location more, the Bill To kept"
get alpha "/accounts/$Q1/locations/$L1/edit"
is "$STATUS $(grep -c "action=\"/accounts/$Q1/locations/$L1\"" "$BODY") $(grep -c 'value="Berlin-Mitte"' "$BODY")" "200 1 1" \
	"GET the edit form: 200, with the location's values"
LV=$(loc "$L1")
html alpha "/accounts/$Q1/locations/$L1" --data-urlencode "name=HQ" --data-urlencode "street=" \
	--data-urlencode "city=Berlin" --data-urlencode "country=DE"
is "$STATUS $(grep -c 'class="tp-error"' "$BODY") $(grep -c 'value="HQ"' "$BODY") $(loc "$L1")" "400 1 1 $LV" \
	"  no street: 400, the form again with what was typed; unchanged"
get alpha "/accounts/$Q1/locations/$B0/edit"
like "$(body)" "the account's Bill To location" "the Bill To's form says it is the Bill To"
html alpha "/accounts/$Q1/locations/$B0" --data-urlencode "street=Third 3" --data-urlencode "city=Bonn" \
	--data-urlencode "country=DE" --data-urlencode "is_bill_to=0"
is "$STATUS $(grep -c 'class="tp-error"' "$BODY") $(billto)" "400 1 $B0" "  unmarking it: 400, the form again; the mark kept"
html alpha "/accounts/$Q1/locations/$L1" --data-urlencode "name=HQ" --data-urlencode "street=Main St 1" \
	--data-urlencode "city=Berlin" --data-urlencode "postcode=10117" --data-urlencode "country=DE" --data-urlencode "is_bill_to=1"
is "$STATUS $(header Location) $(loc "$L1") $(billto)" "303 /accounts/$Q1?saved=1 HQ|Main St 1|Berlin|10117|BE|DE|1 $L1" \
	"  the edit form marking Bill To: 303, changed, the mark moved"
get alpha "/accounts/$AUTO1/locations/$L1/edit"
is "$STATUS" 404 "another account's location through this account: 404"
for id in 999999999 abc; do
	get alpha "/accounts/$Q1/locations/$id/edit"
	is "$STATUS" 404 "  location $id: 404"
done
get omega "/accounts/$Q1/locations/new"
is "$STATUS" 404 "the add form of an account out of view: 404"
get omega "/accounts/$Q1/locations/$L1/edit"
is "$STATUS" 404 "  its edit form: 404"
html omega "/accounts/$Q1/locations/$L1" --data-urlencode "street=X" --data-urlencode "city=Y" --data-urlencode "country=DE"
is "$STATUS $(loc "$L1")" "404 HQ|Main St 1|Berlin|10117|BE|DE|1" "  its form sent: 404, unchanged"

# ------------------------------------------------------------- services

S0=$(nservices)
as alpha POST "/api/v1/accounts/$Q1/services" "{\"product_id\":\"$P_VOIP\",\"phone_number\":\"+4930111111\",\"start_date\":\"2026-01-31\",\"location_id\":\"$L1\",\"comments\":\"first line\"}"
is "$STATUS" 201 "a VoIP line"
SV=$(json_num id)
is "$(sql "SELECT CONCAT_WS('|', status, start_date, term_end, periodic_charge, currency, bill_cycle, phone_number, location_id) FROM services WHERE id = ${SV:-0}")" \
	"pending|2026-01-31|2027-01-31|99500|EUR|monthly|+4930111111|$L1" "  pending, term end = start + 12 months, charges from the product"
as alpha POST "/api/v1/accounts/$Q1/services" "{\"product_id\":\"$P_SIP\",\"phone_number\":\"4940222222\",\"periodic_charge\":\"4.5\",\"status\":\"active\"}"
is "$STATUS" 201 "a SIP account with a typed phone number"
SS=$(json_num id)
is "$(sql "SELECT CONCAT_WS('|', status, periodic_charge, start_date = CURDATE(), IFNULL(term_end, '-')) FROM services WHERE id = ${SS:-0}")" "active|45000|1|-" "  active, its own charge, started today, no term"
sbad() { # sbad FIELD STATUS JSON
	as alpha POST "/api/v1/accounts/$Q1/services" "$3"
	is "$STATUS $(json_str field)" "$2 $1" "a service with bad $1: $2"
}
sbad phone_number 400 "{\"product_id\":\"$P_SIP\"}"
sbad phone_number 400 "{\"product_id\":\"$P_SIP\",\"phone_number\":\"12ab34\"}"
sbad phone_number 400 "{\"product_id\":\"$P_SIP\",\"phone_number\":\"+123\"}"
sbad phone_number 409 "{\"product_id\":\"$P_SIP\",\"phone_number\":\"+4930111111\"}"
sbad product_id 400 "{\"product_id\":\"$P_OLD\"}"
sbad product_id 400 "{\"product_id\":\"$P_USD\",\"phone_number\":\"+15550001\"}"
sbad product_id 400 '{"product_id":"999999999"}'
sbad start_date 400 "{\"product_id\":\"$P_PBX\",\"start_date\":\"2026-02-30\"}"
sbad status 400 "{\"product_id\":\"$P_PBX\",\"status\":\"suspended\"}"
sbad location_id 400 "{\"product_id\":\"$P_PBX\",\"location_id\":\"$(sql "SELECT IFNULL(MAX(id), 0) + 1000 FROM locations")\"}"
sbad comments 400 "{\"product_id\":\"$P_PBX\",\"comments\":\"$(printf 'x%.0s' {1..501})\"}"
sbad parent_service_id 400 "{\"product_id\":\"$P_EXT\"}"
sbad parent_service_id 400 "{\"product_id\":\"$P_EXT\",\"parent_service_id\":\"$SV\"}"
sbad parent_service_id 400 "{\"product_id\":\"$P_PBX\",\"parent_service_id\":\"$SV\"}"
is "$(nservices)" "$((S0 + 2))" "  none of them was written"
as alpha POST "/api/v1/accounts/$Q1/services" "{\"product_id\":\"$P_PBX\"}"
SP=$(json_num id)
is "$(sql "SELECT one_time_charge FROM services WHERE id = ${SP:-0}")" 490000 "a PBX seat, its one-time charge from the product"
as alpha POST "/api/v1/accounts/$Q1/services" "{\"product_id\":\"$P_EXT\",\"parent_service_id\":\"$SP\"}"
is "$STATUS" 201 "an extension under the PBX seat"
SE=$(json_num id)
as alpha POST "/api/v1/accounts/$AUTO1/services" "{\"product_id\":\"$P_EXT\",\"parent_service_id\":\"$SP\"}"
is "$STATUS $(json_str field)" "400 parent_service_id" "  under another (non-parent) account's PBX: 400"
as omega POST "/api/v1/accounts/$Q1/services" "{\"product_id\":\"$P_PBX\"}"
is "$STATUS" 404 "a service on an account out of view: 404"

st() { # st SERVICE STATUS WANT DESC
	as alpha POST "/api/v1/accounts/$Q1/services/$1/status" "{\"status\":\"$2\"}"
	is "$STATUS $(sql "SELECT status FROM services WHERE id = $1")" "$3" "$4"
}
st "$SV" suspended "409 pending" "pending -> suspended: 409"
st "$SV" active "200 active" "pending -> active"
st "$SV" suspended "200 suspended" "active -> suspended"
st "$SV" active "200 active" "suspended -> active"
st "$SP" disconnected "409 pending" "a PBX seat with a live extension is not disconnected: 409"
st "$SE" disconnected "200 disconnected" "the extension disconnected"
st "$SP" disconnected "200 disconnected" "  then the PBX seat"
st "$SP" active "409 disconnected" "disconnected is final: 409"
st "$SV" paused "400 active" "an unknown status: 400"
as alpha POST "/api/v1/accounts/$Q1/status" '{"status":"closed"}'
is "$STATUS $(json_str field) $(sql "SELECT status FROM accounts WHERE id = $Q1")" "409 status active" "closing an account with live services: 409"
as alpha POST "/api/v1/accounts/$AUTO1/services/$SV/status" '{"status":"suspended"}'
is "$STATUS $(sql "SELECT status FROM services WHERE id = $SV")" "404 active" "a service through another account: 404"
as alpha POST "/api/v1/accounts/$Q1/services" "{\"product_id\":\"$P_SIP\",\"phone_number\":\"+4930111112\"}"
is "$STATUS" 201 "a disconnected seat's number... and a new SIP number"

req GET "/accounts/$Q1" "${H[@]}" -b "$COOKIE=${SESS[alpha]}" -H 'Accept: text/html'
like "$(body)" 'Ann Berg' "the account page shows the contacts"
like "$(body)" '\+4930111111' "  the services"
like "$(body)" 'Potsdam' "  the locations"
like "$(body)" "action=\"/accounts/$Q1/services\"" "  and the form to add a service"
html alpha "/accounts/$Q1/services" --data-urlencode "product_id=$P_SIP" --data-urlencode "phone_number=bad"
is "$STATUS" 400 "the service form with a bad number: 400"
like "$(body)" 'class="tp-error".*phone_number' "  the page again with the message"

# ------------------------------------------------------------- CSV import

printf 'number,name,contact_name,email,phone,currency,credit_limit,street,city,postcode,country\r\n' >"$T_DIR/good.csv"
printf 'IMP-1,"Smith, Jones & Co",Al,al@example.com,+49 1,EUR,100,Dock 1,Kiel,24103,DE\r\n' >>"$T_DIR/good.csv"
printf ',"Say ""Hi"" Ltd",,,,EUR,0,,,,\n' >>"$T_DIR/good.csv"
printf 'IMP-3,"Multi, Line",,,,,12.5,"Road 3, Back",Ulm,,DE\n' >>"$T_DIR/good.csv"
N4=$(naccounts)
upload alpha "/api/v1/partners/$A/accounts/import" "$T_DIR/good.csv"
is "$STATUS $(json_num count)" "201 3" "import a good file: 201, 3 accounts"
is "$(sql "SELECT name FROM accounts WHERE tenant_id = $T AND number = 'IMP-1'")" "Smith, Jones & Co" "  a quoted comma"
is "$(sql "SELECT COUNT(*) FROM accounts WHERE tenant_id = $T AND name = 'Say \"Hi\" Ltd' AND number REGEXP '^[0-9]+\$'")" 1 "  doubled quotes, and a number from the counter"
is "$(sql "SELECT CONCAT(l.street, '|', a.credit_limit) FROM accounts a JOIN locations l ON l.account_id = a.id WHERE a.tenant_id = $T AND a.number = 'IMP-3'")" "Road 3, Back|125000" "  a bill-to address and credit limit"
is "$(($(naccounts) - N4))" 3 "  3 accounts more"
is "$(sql "SELECT detail LIKE '%\"count\":3%' FROM audit_log WHERE tenant_id = $T AND action = 'account.import' ORDER BY id DESC LIMIT 1")" 1 "  one audit line account.import with the count"

{
	printf 'number,name,contact_name,email,phone,currency,credit_limit,street,city,postcode,country\n'
	printf 'B-1,Fine,,,,EUR,1,,,,\n'                 # line 2: good
	printf 'B-2,Short,,,\n'                           # line 3: 5 fields
	printf 'B-3,Caf\xe9,,,,EUR,1,,,,\n'             # line 4: latin-1
	printf 'B-4,Money,,,,EUR,1.2.3,,,,\n'             # line 5: bad number
	printf 'B-1,Again,,,,EUR,1,,,,\n'                 # line 6: twice in the file
	printf 'Q-1,Taken,,,,EUR,1,,,,\n'                 # line 7: taken in the brand
	printf 'B-7,Bad"quote,,,,EUR,1,,,,\n'             # line 8: a stray quote
	printf 'B-8,Fine Too,,,,EUR,1,,,,\n'              # line 9: good
} >"$T_DIR/bad.csv"
N5=$(naccounts)
upload alpha "/api/v1/partners/$A/accounts/import" "$T_DIR/bad.csv"
is "$STATUS $(json_str field)" "400 file" "import a bad file: 400"
is "$(grep -oE '"line":[[:space:]]*[0-9]+' "$BODY" | grep -oE '[0-9]+$' | tr '\n' ' ')" "3 4 5 6 7 8 " "  errors on lines 3-8, in line order"
like "$(body)" '"field":[[:space:]]*"credit_limit"' "  the bad number names credit_limit"
like "$(body)" 'also on line 2' "  the duplicate names the first line"
like "$(body)" 'taken in this brand' "  the taken number says so"
like "$(body)" 'not valid UTF-8' "  the bad encoding says so"
is "$(naccounts)" "$N5" "  nothing created"
upload alpha "/api/v1/partners/$A/accounts/import" "$T_DIR/bad.csv" -F mode=valid
is "$STATUS $(json_num count) $(json_num skipped_total)" "201 2 6" "mode valid: the 2 good rows, 6 skipped"
is "$(sql "SELECT GROUP_CONCAT(number ORDER BY number) FROM accounts WHERE tenant_id = $T AND number LIKE 'B-%'")" "B-1,B-8" "  B-1 and B-8 created"
upload alpha "/api/v1/partners/$A/accounts/import" "$T_DIR/bad.csv" -F mode=some
is "$STATUS $(json_str field)" "400 mode" "an unknown mode: 400"
printf 'name,number\nX,Y\n' >"$T_DIR/head.csv"
upload alpha "/api/v1/partners/$A/accounts/import" "$T_DIR/head.csv"
like "$STATUS $(body)" '^400 .*no column contact_name' "a header missing columns: 400 naming them"
req POST "/partners/$A/accounts/import" "${H[@]}" -b "$COOKIE=${SESS[alpha]}" -H 'Accept: text/html' \
	-F "_csrf=${CSRF[alpha]}" -F "file=@$T_DIR/bad.csv;type=text/csv"
is "$STATUS" 400 "the import form (HTML) with the bad file: 400"
like "$(body)" 'also on line 2' "  the partner page lists the errors by line"
like "$(body)" '<details class="tp-action" id="import" open><summary>' "  with its action sections open"
upload omega "/api/v1/partners/$A/accounts/import" "$T_DIR/good.csv"
is "$STATUS" 404 "an import under a partner out of view: 404"

# every problem of a line, not only its first
printf 'number,name,contact_name,email,phone,currency,credit_limit,street,city,postcode,country\nM-1,Multi,,not-an-email,,EURO,1,,,,Germany\n' >"$T_DIR/multi.csv"
upload alpha "/api/v1/partners/$A/accounts/import" "$T_DIR/multi.csv"
is "$STATUS $(sed -n 's/.*"errors"//p' "$BODY" | grep -oE '"field":[[:space:]]*"[a-z_]+"' | grep -oE '"[a-z_]+"$' | tr -d '"' | tr '\n' ' ')" \
	"400 currency email street city country " "a line with five problems: all five reported"
# the HTML import: 303 to the partner page, which links the accounts made
printf 'number,name,contact_name,email,phone,currency,credit_limit,street,city,postcode,country\nH-1,Linked One,,,,EUR,1,,,,\nH-2,Linked Two,,,,EUR,1,,,,\n' >"$T_DIR/link.csv"
req POST "/partners/$A/accounts/import" "${H[@]}" -b "$COOKIE=${SESS[alpha]}" -H 'Accept: text/html' \
	-F "_csrf=${CSRF[alpha]}" -F "file=@$T_DIR/link.csv;type=text/csv"
LOC=$(header Location)
like "$STATUS $LOC" "^303 /partners/$A\\?imported=2&first=[0-9]+&last=[0-9]+$" "the import form (HTML) with a good file: 303 to the partner page"
req GET "$LOC" "${H[@]}" -b "$COOKIE=${SESS[alpha]}" -H 'Accept: text/html'
H1=$(sql "SELECT id FROM accounts WHERE tenant_id = $T AND number = 'H-1'")
like "$(body)" "<a href=\"/accounts/$H1\">H-1</a> Linked One" "  which links the first account imported"
like "$(body)" '>H-2</a> Linked Two' "  and the second"
like "$(body)" '<details class="tp-action" id="add-account"><summary><h2>Add an account</h2>' "  the partner page's actions collapsed (an overview first)"

{
	printf 'number,name,contact_name,email,phone,currency,credit_limit,street,city,postcode,country\n'
	seq 1 10001 | sed 's/^/,Many /; s/$/,,,,,,,,,/'
} >"$T_DIR/many.csv"
N6=$(naccounts)
upload alpha "/api/v1/partners/$A/accounts/import" "$T_DIR/many.csv"
like "$STATUS $(body)" '^400 .*more than 10000 lines' "10,001 lines: 400, more than 10000 lines"
is "$(naccounts)" "$N6" "  nothing created"
W0=$(worker_pids | tr '\n' ' ')
head -c $((6 * 1024 * 1024)) /dev/zero | tr '\0' 'a' >"$T_DIR/six.csv"
upload alpha "/api/v1/partners/$A/accounts/import" "$T_DIR/six.csv"
is "$STATUS $(json_str field)" "413 file" "a 6 MB file (over the import limit): 413 on file"
head -c $((50 * 1024 * 1024)) /dev/zero >"$T_DIR/big.csv"
upload alpha "/api/v1/partners/$A/accounts/import" "$T_DIR/big.csv"
is "$STATUS" 413 "a 50 MB upload: 413"
rm -f "$T_DIR/big.csv" "$T_DIR/six.csv"
is "$(healthz_status) $(worker_pids | tr '\n' ' ')" "200 $W0" "  the workers are the same and answer"
is "$(ls "$TP_VAR/data/uploads" 2>/dev/null | wc -l)" 0 "  no upload left behind"
is "$(naccounts)" "$((N5 + 4))" "  nothing created by them (B-1, B-8, H-1, H-2 before)"

# 120 numbered lines: their numbers are checked against the brand in
# several queries; the one taken (IMP-1, above) is in the last of them
{
	printf 'number,name,contact_name,email,phone,currency,credit_limit,street,city,postcode,country\n'
	seq 1 119 | sed "s/.*/BULK-$RUN-&,Bulk &,,,,,,,,,/"
	printf 'IMP-1,Taken,,,,,,,,,\n'
} >"$T_DIR/bulk.csv"
NB=$(naccounts)
upload alpha "/api/v1/partners/$A/accounts/import" "$T_DIR/bulk.csv"
is "$STATUS $(body | grep -c '"line":[[:space:]]*121')" "400 1" "120 numbered lines, the last one's number taken: 400 on line 121"
upload alpha "/api/v1/partners/$A/accounts/import" "$T_DIR/bulk.csv" -F mode=valid
is "$STATUS $(json_num count) $(($(naccounts) - NB))" "201 119 119" "  mode valid: the other 119 created"

# ------------------------------------------------------------- audit

is "$(sql "SELECT GROUP_CONCAT(DISTINCT action ORDER BY action) FROM audit_log WHERE tenant_id = $T AND action REGEXP '^(account|location|service|product)\\\\.'")" \
	"account.create,account.import,account.status,account.update,location.create,location.update,product.create,product.update,service.create,service.status" "the audit log has every kind of change"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T AND action = 'account.update' AND object_id = $Q1 AND detail LIKE '%\"contact_name\":{\"from\":\"Ann Lee\",\"to\":\"Ann Berg\"}%'")" 1 "  the edit with from and to"

done_testing
