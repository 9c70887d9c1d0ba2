#!/usr/bin/env bash
# 22_page_cache.sh -- the worker's page cache of grid pages (core/http/pagecache.c,
# sql/007_page_cache.sql): a page asked twice is answered from the cache
# with this request's own reference, gzip-compressed for a client that
# takes it; every kind of write -- through the
# portal, by SQL behind its back on each table a grid reads, a brand label,
# a user's columns -- is seen by the very next request, and by the grid
# settings kept beside the pages; another login, a
# switched view, JSON and HTML never share a page; a write in another brand
# leaves this brand's pages cached.
# Not parallel: a hit needs the request to reach the worker that kept the
# page, over one kept-alive nginx upstream connection; a script running
# beside it takes that idle connection now and then, and the request lands
# on another worker (a miss: seen in a fresh-clone CI run).
source "$(dirname "$0")/lib.sh"

plan 62

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand it22
TOKEN=$("$CTL" -c "$INI" token add --brand "$SLUG" --login op --kind operator --name "it22" | grep -oE '[A-Za-z0-9_-]{43}' | head -n 1)
AUTH=(-H "Authorization: Bearer $TOKEN")

# The cache is per worker: a hit is only certain when the request reaches
# the worker that kept the page. So the pages are asked for over one kept-
# alive client connection: one nginx worker, whose idle upstream
# connections are reused most-recent first, so one tierportd worker.
# kget PATH [HEADER...]: GET over that connection; STATUS, $HDRS, $BODY
kopen() { exec 7<>"/dev/tcp/$TP_HOST/$TP_PORT"; }
kget() {
	local line len=0 path=$1 h
	shift
	{
		printf 'GET %s HTTP/1.1\r\nHost: %s\r\n' "$path" "$HOST"
		for h in "$@"; do printf '%s\r\n' "$h"; done
		printf '\r\n'
	} >&7
	: >"$HDRS"
	STATUS=000
	IFS= read -r -t 10 line <&7 || return 0
	line=${line%$'\r'}
	STATUS=$(cut -d' ' -f2 <<<"$line")
	while IFS= read -r -t 10 line <&7; do
		line=${line%$'\r'}
		[ -z "$line" ] && break
		echo "$line" >>"$HDRS"
		case ${line,,} in content-length:*) len=${line#*: } ;; esac
	done
	head -c "$len" <&7 >"$BODY"
}
kopen
# page PATH [HEADER...]: the operator's HTML page (API token); api PATH:
# as JSON
page() { kget "$1" "Authorization: Bearer $TOKEN" "${@:2}"; }
api() { kget "$1" "Authorization: Bearer $TOKEN" 'Accept: application/json'; }
# partner PATH: the partner's page (its session)
partner() { kget "$1" "Cookie: $COOKIE=${SESS[north]}"; }
gen() { sql "SELECT IFNULL((SELECT gen FROM data_generations WHERE tenant_id = $T), 0)"; }

# two agents, an account each, a product, a location and a service
sql "INSERT INTO partners (tenant_id, parent_id, name, kind, currency) VALUES ($T, NULL, 'North', 'agent', 'EUR');
	SET @n = LAST_INSERT_ID();
	INSERT INTO partners (tenant_id, parent_id, name, kind, currency) VALUES ($T, NULL, 'South', 'agent', 'EUR');
	SET @s = LAST_INSERT_ID();
	INSERT INTO partner_tree (ancestor, descendant, depth) VALUES (@n, @n, 0), (@s, @s, 0);
	INSERT INTO accounts (tenant_id, partner_id, number, name, status, currency, balance)
		VALUES ($T, @n, 'C0001', 'Northern Bakery', 'active', 'EUR', 0),
		       ($T, @s, 'C0002', 'Southern Dairy', 'active', 'EUR', 0);
	INSERT INTO account_tree (ancestor, descendant, depth) SELECT id, id, 0 FROM accounts WHERE tenant_id = $T;" ||
	{ echo "Bail out! could not load the data"; exit 1; }
P_NORTH=$(sql "SELECT id FROM partners WHERE tenant_id = $T AND name = 'North'")
A_NORTH=$(sql "SELECT id FROM accounts WHERE tenant_id = $T AND number = 'C0001'")
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$P_NORTH" \
	--login north --password-file - --admin --group partner-admin >/dev/null
login north north

# ------------------------------------------------------------- hit and miss
page /accounts
is "$STATUS" 200 "the accounts page"
is "$(header X-Page-Cache)" miss "a first request renders the page"
cp "$BODY" "$T_DIR/first.html"
RID1=$(header X-Request-Id)
page /accounts
is "$(header X-Page-Cache)" hit "the same request again comes from the cache"
RID2=$(header X-Request-Id)
check "the cached page shows this request's reference" grep -q "reference <code>$RID2</code>" "$BODY"
check "... and not the first request's" test "$RID1" != "$RID2" -a "$(grep -c "$RID1" "$BODY")" = 0
sed "s/$RID2/$RID1/" "$BODY" >"$T_DIR/second.html"
check "otherwise the cached page is the page rendered" cmp -s "$T_DIR/first.html" "$T_DIR/second.html"
# gzip, as browsers ask: the kept page compressed once, with this
# request's reference and a CRC to match
page /accounts "Accept-Encoding: gzip, deflate, br"
is "$(header X-Page-Cache):$(header Content-Encoding)" hit:gzip "a hit is gzip when the client takes it"
RID3=$(header X-Request-Id)
check "... a whole gzip member (CRC and length right)" gzip -t "$BODY"
gzip -dc "$BODY" >"$T_DIR/third.html"
check "... holding this request's reference" grep -q "reference <code>$RID3</code>" "$T_DIR/third.html"
sed "s/$RID3/$RID1/" "$T_DIR/third.html" >"$T_DIR/third-as-first.html"
check "... and otherwise the page rendered" cmp -s "$T_DIR/first.html" "$T_DIR/third-as-first.html"
check "... varying by Accept-Encoding" grep -qi '^vary:.*accept-encoding' "$HDRS"
page /accounts "Accept-Encoding: gzip"
RID4=$(header X-Request-Id)
check "the gzip form is kept: the next one has its own reference too" \
	sh -c "gzip -dc '$BODY' | grep -q 'reference <code>$RID4</code>'"
page /accounts "Accept-Encoding: gzip;q=0, identity"
is "$(header X-Page-Cache):$(header Content-Encoding)" hit: "gzip;q=0 gets the plain page"
page '/accounts?sort=-name'
is "$(header X-Page-Cache)" miss "another query string is another page"
check "... sorted as it asks" test "$(grep -n 'Southern Dairy' "$BODY" | cut -d: -f1)" -lt "$(grep -n 'Northern Bakery' "$BODY" | cut -d: -f1)"
api /accounts
is "$(header X-Page-Cache)" miss "JSON is not the HTML page"
check "... and is JSON" json_has count 2
api /accounts
is "$(header X-Page-Cache)" hit "the JSON page is cached too"
check "... and is still JSON" json_has count 2
req GET '/accounts?format=csv' "${H[@]}" "${AUTH[@]}" # streamed: chunked
is "$(header X-Page-Cache)" "" "a download never goes through the page cache"
page '/accounts?sort=bogus'
is "$STATUS" 400 "a bad parameter is still a 400"
page '/accounts?sort=bogus'
is "$STATUS:$(header X-Page-Cache)" 400:miss "... every time: errors are not kept"

# ------------------------------------------------------------- writes through the portal
as north POST "/accounts/$A_NORTH" '{"name":"Northern Bakery Ltd"}'
is "$STATUS" 200 "the partner renames its customer"
page /accounts
is "$(header X-Page-Cache)" miss "the next request after a write renders again"
like "$(body)" "Northern Bakery Ltd" "... and shows the new name"
page /accounts
is "$(header X-Page-Cache)" hit "... then is cached again"

op_json() { req_json POST "$1" "$2" "${H[@]}" "${AUTH[@]}"; }
op_json /api/v1/grids/accounts/settings '{"label.name":"Customer"}'
is "$STATUS" 200 "the brand renames a column"
page /accounts
like "$(body)" ">Customer<" "the new label is seen at once"
page '/accounts?sort=number'
is "$(header X-Page-Cache)" miss "a page not asked for before ..."
like "$(body)" ">Customer<" "... has the new label too (the settings kept for this generation)"
op_json /api/v1/grids/accounts/columns '{"cols":"number,name"}'
is "$STATUS" 200 "the operator chooses their columns"
page /accounts
unlike "$(body)" "col-status" "the choice is seen at once"

# ------------------------------------------------------------- writes behind the portal's back
# each table a cached grid reads bumps the generation (a trigger per
# table and kind of write); the next page shows the change
bumped() { # WHAT SQL: the generation moves on, by SQL alone
	local before after
	before=$(gen)
	sql "$2" >/dev/null
	after=$(gen)
	check "$1 bumps the brand's data generation ($before -> $after)" test "$after" -gt "$before"
}
bumped "an account's update" "UPDATE accounts SET name = 'Northern Bakery Plc' WHERE id = $A_NORTH"
page /accounts
like "$(body)" "Northern Bakery Plc" "a change made by SQL is seen by the next request"
bumped "a partner's update" "UPDATE partners SET name = 'North Region' WHERE id = $P_NORTH"
bumped "a partner's insert" "INSERT INTO partners (tenant_id, parent_id, name, kind, currency) VALUES ($T, NULL, 'East', 'agent', 'EUR')"
P_EAST=$(sql "SELECT id FROM partners WHERE tenant_id = $T AND name = 'East'")
bumped "a partner_tree insert" "INSERT INTO partner_tree (ancestor, descendant, depth) VALUES ($P_EAST, $P_EAST, 0)"
bumped "a partner_tree delete" "DELETE FROM partner_tree WHERE ancestor = $P_EAST"
bumped "an account's insert" "INSERT INTO accounts (tenant_id, partner_id, number, name, status, currency, balance) VALUES ($T, $P_EAST, 'C0003', 'Eastern Mill', 'active', 'EUR', 0)"
A_EAST=$(sql "SELECT id FROM accounts WHERE tenant_id = $T AND number = 'C0003'")
bumped "an account_tree insert" "INSERT INTO account_tree (ancestor, descendant, depth) VALUES ($A_EAST, $A_EAST, 0)"
bumped "a tier's insert" "INSERT INTO tiers (tenant_id, name, rank_no) VALUES ($T, 'Cache Tier', 9)"
bumped "a product's insert" "INSERT INTO products (tenant_id, name, product_type, currency) VALUES ($T, 'Line', 'voip-line', 'EUR')"
PROD=$(sql "SELECT id FROM products WHERE tenant_id = $T AND name = 'Line'")
bumped "a location's insert" "INSERT INTO locations (tenant_id, account_id, name, street, city, country) VALUES ($T, $A_EAST, 'Mill', '1 Road', 'Town', 'GB')"
bumped "a service's insert" "INSERT INTO services (tenant_id, account_id, partner_id, product_id, currency, start_date) VALUES ($T, $A_EAST, $P_EAST, $PROD, 'EUR', '2026-01-01')"
bumped "a service's update" "UPDATE services SET status = 'active' WHERE tenant_id = $T"
bumped "a service's delete" "DELETE FROM services WHERE tenant_id = $T"
bumped "a location's delete" "DELETE FROM locations WHERE account_id = $A_EAST"
bumped "a brand label's delete" "DELETE FROM grid_columns WHERE tenant_id = $T"
bumped "a user's columns' delete" "DELETE FROM grid_user_columns WHERE grid = 'accounts' AND user_id IN (SELECT id FROM users WHERE tenant_id = $T)"
bumped "an account_tree delete" "DELETE FROM account_tree WHERE descendant = $A_EAST"
bumped "an account's delete" "DELETE FROM accounts WHERE id = $A_EAST"
page /accounts
unlike "$(body)" "Eastern Mill" "a row deleted by SQL is gone from the next page"
like "$(body)" "col-status" "... and the operator's own columns are the default again"

# ------------------------------------------------------------- who sees what
page /accounts >/dev/null
page /accounts
is "$(header X-Page-Cache)" hit "the operator's page is cached"
partner /accounts
is "$(header X-Page-Cache)" miss "another login does not get the operator's page"
like "$(body)" "Northern Bakery Plc" "the partner sees its own customer"
unlike "$(body)" "Southern Dairy" "... and not the other agent's"
partner /accounts
is "$(header X-Page-Cache)" hit "the partner's own page is cached for it"
as north POST "/api/v1/view/account/$A_NORTH"
check "the partner switches to its customer's view ($STATUS)" test "$STATUS" -lt 400
partner /accounts
is "$(header X-Page-Cache)" miss "a switched view is another page"

# ------------------------------------------------------------- other brands
page /accounts >/dev/null
G=$(gen)
sql "UPDATE accounts SET name = CONCAT(name, '') WHERE tenant_id <> $T LIMIT 1; UPDATE partners SET name = name WHERE tenant_id <> $T LIMIT 1" >/dev/null
is "$(gen)" "$G" "a write in another brand leaves this brand's generation alone"
page /accounts
is "$(header X-Page-Cache)" hit "... and its pages cached"

done_testing
