#!/usr/bin/env bash
# 42_categories.sh -- the brand's product categories (core/builtin/
# categories.c), on a brand of its own: a category made by a product is
# named by its code; the operator lists, adds and renames them (JSON and the
# HTML forms), each with its audit line; every bad name or code is a 400
# naming the field and writes nothing (empty, too long, a duplicate name or
# code in the brand, any case); another brand's and a missing category are
# 404, and so are the pages for a partner; the new names show in the
# catalog (a cached grid: at once), the product form and the grid of
# categories; a product's new category whose code is another's name still
# gets one.
# tp-test: parallel (its own brand, nothing global)
source "$(dirname "$0")/lib.sh"

plan 46

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand cat
op_login
names() { sql "SELECT GROUP_CONCAT(CONCAT(code, '=', name) ORDER BY code SEPARATOR ',') FROM product_categories WHERE tenant_id = $T"; }
audits() { sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T AND action LIKE 'category.%'"; }

# ------------------------------------------------------------- made by a product
as op POST /api/v1/products '{"name":"Line","product_type":"voip-line","currency":"EUR","periodic_charge":"10","category":"voice"}'
is "$STATUS" 201 "a product in category voice"
PR=$(json_num id)
is "$(names)" "voice=voice" "  makes the category, named by its code"
V=$(sql "SELECT id FROM product_categories WHERE tenant_id = $T AND code = 'voice'")
as op GET /api/v1/products
like "$(body)" '"category": *"voice"' "the catalog shows the category's name"

# ------------------------------------------------------------- the list, a new one, a rename
as op GET /api/v1/categories
is "$STATUS" 200 "the operator lists the categories"
like "$(body)" '"name": *"voice"' "  voice among them"
like "$(body)" '"products": *1' "  with its one product"
as op POST /api/v1/categories '{"code":"hosting","name":"Web hosting"}'
is "$STATUS" 201 "a new category"
HO=$(json_num id)
is "$(names)" "hosting=Web hosting,voice=voice" "  stored with its code and name"
is "$(sql "SELECT CONCAT_WS('|', object_type, object_id, detail LIKE '%\"name\":\"Web hosting\"%') FROM audit_log WHERE tenant_id = $T AND action = 'category.create'")" \
	"category|$HO|1" "  one audit line category.create"
as op POST "/api/v1/categories/$V" '{"name":"Voice calls"}'
is "$STATUS" 200 "voice renamed"
is "$(names)" "hosting=Web hosting,voice=Voice calls" "  the name changed, the code kept"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T AND action = 'category.rename' AND object_id = $V AND detail LIKE '%\"name\":{\"from\":\"voice\",\"to\":\"Voice calls\"}%'")" 1 \
	"  one audit line category.rename, from and to"
as op POST "/api/v1/categories/$V" '{"code":"calls","name":"Voice calls"}'
is "$STATUS|$(names)" "200|hosting=Web hosting,voice=Voice calls" "  a code sent with a rename is not taken: revenue is booked under the code"

# ------------------------------------------------------------- names where categories show
as op GET /api/v1/products
like "$(body)" '"category": *"Voice calls"' "the catalog shows the new name at once (its cached page is gone)"
req GET /products/new "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: text/html'
like "$(body)" '<option value="voice" label="Voice calls">' "the product form offers the categories by name"
req GET /categories "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: text/html'
is "$STATUS" 200 "the categories page"
like "$(body)" 'Voice calls' "  shows the names"
like "$(body)" 'href="/categories/new"' "  links to the form to add one"
like "$(body)" "href=\"/categories/$V/edit\"" "  and to each one's rename form"

# ------------------------------------------------------------- bad input: 400 naming the field, nothing written
before="$(names)|$(audits)"
bad() { # JSON PATH FIELD DESC
	as op POST "$2" "$1"
	is "$STATUS|$(json_str field)" "400|$3" "$4: 400 naming $3"
}
bad '{"code":"data","name":""}' /api/v1/categories name "an empty name"
bad '{"code":"data"}' /api/v1/categories name "no name"
bad "{\"code\":\"data\",\"name\":\"$(printf 'x%.0s' {1..65})\"}" /api/v1/categories name "a name of 65 characters"
bad '{"code":"data","name":"Web hosting"}' /api/v1/categories name "another category's name"
bad '{"code":"data","name":"WEB Hosting"}' /api/v1/categories name "  in another case"
bad '{"code":"Data!","name":"Data"}' /api/v1/categories code "a code that is no code"
bad '{"name":"Data"}' /api/v1/categories code "no code"
bad '{"code":"voice","name":"Data"}' /api/v1/categories code "another category's code"
bad '{"name":""}' "/api/v1/categories/$V" name "a rename to nothing"
bad '{"name":"Web hosting"}' "/api/v1/categories/$V" name "a rename to another category's name"
is "$(names)|$(audits)" "$before" "  none of them wrote anything"
as op POST /api/v1/categories '{"code":"data","name":"Data"}'
is "$STATUS" 201 "the same category, right: 201"
as op POST /api/v1/categories/$HO '{"name":"Web hosting"}'
is "$STATUS" 200 "a rename to its own name: 200"

# ------------------------------------------------------------- ids and logins
mine=("$SLUG" "$HOST" "$T")
new_brand catx
X=$(sql "INSERT INTO product_categories (tenant_id, code, name) VALUES ($T, 'voice', 'Other brand'); SELECT LAST_INSERT_ID()")
SLUG=${mine[0]} HOST=${mine[1]} T=${mine[2]}
H=(-H "Host: $HOST")
as op POST "/api/v1/categories/$X" '{"name":"Mine now"}'
is "$STATUS|$(sql "SELECT name FROM product_categories WHERE id = $X")" "404|Other brand" "another brand's category: 404, unchanged"
as op POST /api/v1/categories/999999999 '{"name":"Nothing"}'
is "$STATUS" 404 "a missing one: 404"
req GET "/categories/$X/edit" "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: text/html'
is "$STATUS" 404 "  nor its form"
as op POST /api/v1/partners '{"name":"Alpha","currency":"EUR"}'
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$(json_num id)" --login alpha --password-file - --admin --group partner-admin >/dev/null
login alpha alpha partner
as alpha GET /api/v1/categories
is "$STATUS" 404 "a partner's admin: no such page"
as alpha POST "/api/v1/categories/$V" '{"name":"Partner calls"}'
is "$STATUS|$(sql "SELECT name FROM product_categories WHERE id = $V")" "404|Voice calls" "  nor a rename"

# ------------------------------------------------------------- the HTML forms
req GET "/categories/$V/edit" "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: text/html'
is "$STATUS" 200 "the rename form"
like "$(body)" 'value="Voice calls"' "  with the name"
form op "/categories/$V" name="Web hosting"
is "$STATUS" 400 "the form with another's name: 400"
like "$(body)" 'class="tp-error"' "  the form again with the message"
like "$(body)" 'value="Web hosting"' "  and what was sent"
is "$(sql "SELECT name FROM product_categories WHERE id = $V")" "Voice calls" "  nothing written"
form op "/categories/$V" name="Calls"
is "$STATUS|$(header Location)|$(sql "SELECT name FROM product_categories WHERE id = $V")" "303|/categories?saved=1|Calls" "the form renamed it: 303 to the list"
form op /categories code=equipment name="Phones & routers"
is "$STATUS|$(sql "SELECT name FROM product_categories WHERE tenant_id = $T AND code = 'equipment'")" "303|Phones & routers" "the add form: 303, the category made"

# ------------------------------------------------------------- a product's new code that is another's name
as op POST /api/v1/categories '{"code":"web","name":"fax"}'
as op POST /api/v1/products '{"name":"Fax line","product_type":"other","currency":"EUR","category":"fax"}'
is "$STATUS|$(sql "SELECT CONCAT(c.code, '=', c.name) FROM products p JOIN product_categories c ON c.id = p.category_id WHERE p.tenant_id = $T AND p.name = 'Fax line'")" \
	"201|fax=fax (code)" "a product's new category whose code is another's name: made, its name marked"

done_testing
