#!/usr/bin/env bash
# 21_grid.sh -- the grid (core/data/grid.c) on the accounts list of a brand of its
# own with 150 accounts made by SQL: keyset paging forward and back over
# every row (no row twice, none missing, ties in the sort broken by id),
# sorts, each kind of filter, grouping with subtotals against SQL, the scope
# of each partner login, the brand's labels / hidden columns / order (seen
# by a partner, in the CSV too), a user's own columns, the CSV export equal
# to the pages, and every bad parameter a 400 naming it.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"

plan 90

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
RUN=$$$RANDOM
new_brand it21
TOKEN=$("$CTL" -c "$INI" token add --brand "$SLUG" --login op --kind operator --name "it21" | grep -oE '[A-Za-z0-9_-]{43}' | head -n 1)
# op METHOD PATH [JSON]: the brand's operator admin, by API token
op() {
	if [ $# -ge 3 ]; then
		req_json "$1" "$2" "$3" "${H[@]}" -H "Authorization: Bearer $TOKEN"
	else
		req "$1" "$2" "${H[@]}" -H "Authorization: Bearer $TOKEN" -H 'Accept: application/json'
	fi
}

# North (agent) > City (sub-agent), 20 empty sub-agents; South (agent).
# 150 accounts: every
# third one South's, the rest split between North and City; 60 of them
# named "Same Name" (ties); statuses and balances cycle.
sql "INSERT INTO partners (tenant_id, parent_id, name, kind, currency) VALUES ($T, NULL, 'North', 'agent', 'EUR');
	SET @n = LAST_INSERT_ID();
	INSERT INTO partners (tenant_id, parent_id, name, kind, currency) VALUES ($T, @n, 'City', 'sub-agent', 'EUR');
	SET @c = LAST_INSERT_ID();
	INSERT INTO partners (tenant_id, parent_id, name, kind, currency) VALUES ($T, NULL, 'South', 'agent', 'USD');
	SET @s = LAST_INSERT_ID();
	INSERT INTO partner_tree (ancestor, descendant, depth) VALUES (@n, @n, 0), (@c, @c, 0), (@s, @s, 0), (@n, @c, 1);
	-- 20 empty sub-agents make North's subtree big: its pages read the
	-- sort index in order (core/data/grid.c big_subtree); City's stay small
	INSERT INTO partners (tenant_id, parent_id, name, kind, currency)
		SELECT $T, @n, CONCAT('Empty ', seq), 'sub-agent', 'EUR' FROM seq_1_to_20;
	INSERT INTO partner_tree (ancestor, descendant, depth)
		SELECT id, id, 0 FROM partners WHERE tenant_id = $T AND name LIKE 'Empty %'
		UNION ALL SELECT @n, id, 1 FROM partners WHERE tenant_id = $T AND name LIKE 'Empty %';
	INSERT INTO accounts (tenant_id, partner_id, number, name, status, currency, balance, created_at)
		SELECT $T, CASE WHEN seq % 3 = 0 THEN @s WHEN seq % 3 = 1 THEN @n ELSE @c END,
			CONCAT('G', LPAD(seq, 4, '0')),
			IF(seq % 5 < 2, 'Same Name', CONCAT(ELT(1 + seq % 4, 'Abbey ', 'Baker ', 'Cole ', 'Abbot '), seq)),
			ELT(1 + seq % 3, 'active', 'active', 'suspended'),
			IF(seq % 3 = 0, 'USD', 'EUR'),
			(CAST(seq AS SIGNED) * 12345 - 500000),
			TIMESTAMP('2025-01-01') + INTERVAL seq DAY
		FROM seq_1_to_150;
	INSERT INTO account_tree (ancestor, descendant, depth) SELECT id, id, 0 FROM accounts WHERE tenant_id = $T;" ||
	{ echo "Bail out! could not load the accounts"; exit 1; }
ledger_opening_balances "$T"
P_NORTH=$(sql "SELECT id FROM partners WHERE tenant_id = $T AND name = 'North'")
P_CITY=$(sql "SELECT id FROM partners WHERE tenant_id = $T AND name = 'City'")
P_SOUTH=$(sql "SELECT id FROM partners WHERE tenant_id = $T AND name = 'South'")
for p in north:$P_NORTH city:$P_CITY south:$P_SOUTH; do
	printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "${p#*:}" \
		--login "${p%%:*}" --password-file - --admin --group partner-admin >/dev/null
	login "${p%%:*}" "${p%%:*}"
done

# numbers: the account numbers of the last page, in order, on one line
numbers() { grep -oE '"number":[[:space:]]*"[^"]*"' "$BODY" | sed -E 's/.*"([^"]*)"$/\1/' | tr '\n' ' ' | sed 's/ $//'; }
# link NAME: the page's next/prev/first link (a query string)
link() { json_str "$1" | sed 's#\\/#/#g'; }
# want_numbers WHERE ORDER: the numbers SQL gives for the brand
want_numbers() { sql "SELECT a.number FROM accounts a WHERE a.tenant_id = $T $1 ORDER BY $2" | tr '\n' ' ' | sed 's/ $//'; }
in_north="AND a.partner_id IN ($P_NORTH, $P_CITY)"

# ------------------------------------------------------------- paging

# walk WHO QUERY: follows "next" from the first page; ALL gets every number
walk() {
	local who=$1 q=$2 pages=0 next
	ALL='' PAGES=0
	as "$who" GET "/api/v1/accounts$q"
	while :; do
		[ "$STATUS" = 200 ] || { ALL="status $STATUS"; return; }
		ALL="$ALL $(numbers)" pages=$((pages + 1))
		next=$(link next)
		[ -n "$next" ] && [ "$pages" -lt 20 ] || break
		as "$who" GET "/api/v1/accounts$next"
	done
	ALL=${ALL# } PAGES=$pages
}
walk north "?limit=20"
is "$ALL" "$(want_numbers "$in_north" "a.number")" "North: 20 a page by number, every account of North and City once, in order"
is "$PAGES" 5 "  in 5 pages"
walk north "?limit=7&sort=name"
is "$ALL" "$(want_numbers "$in_north" "a.name, a.id")" "by name, 7 a page: the 40 ties of 'Same Name' in id order, none lost at page ends"
walk north "?limit=9&sort=-name"
is "$ALL" "$(want_numbers "$in_north" "a.name DESC, a.id DESC")" "by name descending: the same rows the other way"
# issue 10: status and balance sort too, each on an index (sql/013_shell.sql);
# a status is text to the cursors, so pages meet in the same order
walk north "?limit=8&sort=status"
is "$ALL" "$(want_numbers "$in_north" "CAST(a.status AS CHAR), a.id")" "by status, 8 a page: alphabetical, none lost at page ends"
walk north "?limit=11&sort=-balance"
is "$ALL" "$(want_numbers "$in_north" "a.balance DESC, a.id DESC")" "by balance descending, 11 a page"

# back from the last page with "prev"
as north GET "/api/v1/accounts?limit=30"
FIRST=$(numbers)
as north GET "/api/v1/accounts$(link next)"
SECOND=$(numbers)
like "$(link prev)" 'before=' "the second page links back with before="
as north GET "/api/v1/accounts$(link prev)"
is "$(numbers)" "$FIRST" "  which gives the first page again"
is "$(link prev)" "" "  and the first page has no previous"
as north GET "/api/v1/accounts$(link next)"
is "$(numbers)" "$SECOND" "  and forward again the second"

# ------------------------------------------------------------- scope

walk city "?limit=50"
is "$ALL" "$(want_numbers "AND a.partner_id = $P_CITY" "a.number")" "City's login: City's accounts only"
walk south "?limit=50"
is "$ALL" "$(want_numbers "AND a.partner_id = $P_SOUTH" "a.number")" "South's login: South's accounts only"
as south GET "/api/v1/accounts?f.number=G000&limit=500"
unlike "$(numbers)" 'G0001|G0002' "  a filter does not widen it"
op GET "/api/v1/accounts?limit=500"
is "$(numbers)" "$(want_numbers "" "a.number")" "the operator: all 150"

# ------------------------------------------------------------- filters

as north GET "/api/v1/accounts?limit=500&f.status=suspended"
is "$(numbers)" "$(want_numbers "$in_north AND a.status = 'suspended'" "a.number")" "f.status=suspended"
as north GET "/api/v1/accounts?limit=500&f.status=active,suspended&f.name=Ab"
is "$(numbers)" "$(want_numbers "$in_north AND a.name LIKE 'Ab%'" "a.number")" "f.name=Ab: starts with (Abbey, Abbot)"
as north GET "/api/v1/accounts?limit=500&f.name=%25"
is "$(numbers)" "" "f.name=%: a literal percent sign, not a wildcard"
as north GET "/api/v1/accounts?limit=500&f.balance.min=-10.5&f.balance.max=100"
is "$(numbers)" "$(want_numbers "$in_north AND a.balance BETWEEN -105000 AND 1000000" "a.number")" "f.balance.min=-10.5 & max=100: a money range"
as north GET "/api/v1/accounts?limit=500&f.created.from=2025-03-01&f.created.to=2025-03-31"
is "$(numbers)" "$(want_numbers "$in_north AND DATE(a.created_at) BETWEEN '2025-03-01' AND '2025-03-31'" "a.number")" "f.created from/to: a date range"
as north GET "/api/v1/accounts?limit=500&f.kind=corporate"
is "$STATUS $(numbers)" "200 " "f.kind=corporate: none"

# ------------------------------------------------------------- groups

as north GET "/api/v1/accounts?group=status&f.name=Same"
is "$STATUS" 200 "group=status: 200"
GOT=$(grep -oE '"value":[[:space:]]*"(active|suspended)"[^}]*"count":[[:space:]]*[0-9]+' "$BODY" | sed -E 's/"value":[[:space:]]*"([a-z]+)".*"count":[[:space:]]*([0-9]+)/\1=\2/' | tr '\n' ' ' | sed 's/ $//')
is "$GOT" "$(sql "SELECT CONCAT(status, '=', COUNT(*)) FROM accounts a WHERE tenant_id = $T $in_north AND name LIKE 'Same%' GROUP BY status ORDER BY status" | tr '\n' ' ' | sed 's/ $//')" "  a count per status, as SQL counts"
# money is {"value": "12.3456", "currency": "EUR"} (the one JSON shape)
SUM=$(sql "SELECT CONCAT(IF(s < 0, '-', ''), ABS(s) DIV 10000, '.', LPAD(ABS(s) MOD 10000, 4, '0'))
	FROM (SELECT SUM(balance) s FROM accounts a WHERE tenant_id = $T $in_north AND name LIKE 'Same%' AND status = 'active') x")
like "$(body)" "\"value\":[[:space:]]*\\{[[:space:]]*\"value\":[[:space:]]*\"$SUM\",[[:space:]]*\"currency\":[[:space:]]*\"EUR\"" "  the active group's balance subtotal ($SUM EUR), as SQL sums, as money"
like "$(body)" '"href":[[:space:]]*"[^"]*f.status=suspended' "  each group links to its rows"
op GET "/api/v1/accounts?group=partner"
like "$(body)" '"currency":[[:space:]]*"USD"' "the operator grouped by partner: South's subtotal in USD"

# ------------------------------------------------------------- bad parameters

N_AUDIT=$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T")
bad() { # bad QUERY FIELD
	as north GET "/api/v1/accounts?$1"
	is "$STATUS $(json_str field)" "400 $2" "?$1: 400 on $2"
}
bad "sort=nope" sort
bad "sort=partner" sort
bad "sort=-" sort
bad "f.nope=1" f.nope
bad "f.partner=North" f.partner
bad "f.status=weird" f.status
bad "f.status=active,,closed" f.status
bad "f.balance=5" f.balance
bad "f.balance.min=abc" f.balance.min
bad "f.balance.min=1e5" f.balance.min
bad "f.balance.max=0.00001" f.balance.max
bad "f.created.from=2025-13-01" f.created.from
bad "f.created.to=yesterday" f.created.to
bad "f.name.min=a" f.name.min
bad "limit=0" limit
bad "limit=501" limit
bad "limit=x" limit
bad "after=garbage" after
bad "after=1:x&before=1:x" before
bad "sort=number&after=abc:G0001" after
bad "group=name" group
bad "format=doc" format
bad "cols=nope" cols
bad "cols=number,number" cols
as north GET "/api/v1/accounts?f.name=$(printf 'x%.0s' {1..300})"
is "$STATUS $(json_str field)" "400 f.name" "a 300-byte filter: 400"
req GET "/accounts?sort=nope" "${H[@]}" -b "$COOKIE=${SESS[north]}" -H 'Accept: text/html'
is "$STATUS" 400 "the HTML page with a bad sort: 400"
like "$(body)" 'class="tp-error"' "  says why, on the page"
unlike "$(tail -n 400 "$TP_LOG")" "Unknown column|You have an error in your SQL" "no SQL error in the log"

# ------------------------------------------------------------- the brand's columns

op POST /api/v1/grids/accounts/settings '{"label.balance":"Saldo","show.partner":"hidden","position.name":"0"}'
is "$STATUS" 200 "the operator renames Balance to Saldo, hides Partner, puts Name first"
as north GET "/api/v1/accounts?limit=1"
like "$(body)" '"key":[[:space:]]*"balance",[[:space:]]*"label":[[:space:]]*"Saldo"' "  a partner sees Saldo"
unlike "$(body)" '"key":[[:space:]]*"partner"' "  and no Partner column"
KEYS=$(grep -oE '"key":[[:space:]]*"[a-z_]+"' "$BODY" | sed -E 's/.*"([a-z_]+)"$/\1/' | head -n 2 | tr '\n' ' ')
is "$KEYS" "name number " "  Name first"
as north GET "/api/v1/accounts?cols=number,partner"
is "$STATUS $(json_str field)" "400 cols" "  asking for the hidden column: 400"
as north GET "/api/v1/accounts?group=partner"
is "$STATUS $(json_str field)" "400 group" "  grouping by it: 400"
req GET "/accounts?format=csv&f.name=Abbey" "${H[@]}" -b "$COOKIE=${SESS[north]}"
is "$(head -n 1 "$BODY" | tr -d '\r')" "Name,Account,Account type,Status,Saldo,Created,Currency" "  the CSV's header has the brand's labels and order"
op POST /api/v1/grids/accounts/settings '{"label.name":"'"$(printf 'y%.0s' {1..65})"'"}'
is "$STATUS $(json_str field)" "400 label.name" "a label of 65 characters: 400"
op POST /api/v1/grids/accounts/settings '{"position.name":"x"}'
is "$STATUS $(json_str field)" "400 position.name" "a position that is no number: 400"
op POST /api/v1/grids/accounts/settings '{"show.name":"gone"}'
is "$STATUS $(json_str field)" "400 show.name" "show gone: 400"
op GET /api/v1/grids/accounts/settings
HIDE_ALL=$(grep -oE '"key":[[:space:]]*"[a-z_]+"' "$BODY" | sed -E 's/.*"([a-z_]+)"$/"show.\1":"hidden"/' | tr '\n' ',' | sed 's/,$//')
op POST /api/v1/grids/accounts/settings "{$HIDE_ALL}"
is "$STATUS $(json_str field)" "400 show" "hiding every column: 400"
op GET /api/v1/grids/accounts/settings
like "$(body)" '"label":[[:space:]]*"Saldo"' "  the stored labels stay"
# the settings page's way back: the list's own path, else /NAME (another
# host, a scheme or anything but a plain local path is not followed)
back_of() { req GET "/grids/accounts/settings$1" "${H[@]}" -H "Authorization: Bearer $TOKEN" -H 'Accept: text/html'; grep -oE '<a href="[^"]*">Back to the list' "$BODY" | cut -d'"' -f2; }
is "$(back_of '?back=/commissions/history')" /commissions/history "grid settings: Back to the list goes to ?back="
is "$(back_of '?back=//evil.example/x')|$(back_of '?back=https://evil.example/')|$(back_of '?back=/a%22b')|$(back_of '')" \
	"/accounts|/accounts|/accounts|/accounts" "  another host, a URL, a quote or none: /accounts"
as north GET /api/v1/grids/accounts/settings
is "$STATUS" 404 "a partner: the brand's settings page does not exist"
op GET /api/v1/grids/nope/settings
is "$STATUS" 404 "an unknown grid: 404"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T AND action = 'grid.settings'")" 1 "one audit entry for the one change"

# ------------------------------------------------------------- a user's own columns

as city POST /api/v1/grids/accounts/columns '{"cols":"status,number"}'
is "$STATUS" 200 "City's admin chooses Status, Account"
as city GET "/api/v1/accounts?limit=1"
is "$(grep -oE '"key":[[:space:]]*"[a-z_]+"' "$BODY" | sed -E 's/.*"([a-z_]+)"$/\1/' | tr '\n' ' ')" "status number " "  and sees just those, in that order"
as north GET "/api/v1/accounts?limit=1"
like "$(body)" '"key":[[:space:]]*"kind"' "  North's admin still sees the brand's default"
as city POST /api/v1/grids/accounts/columns '{"cols":"status,partner"}'
is "$STATUS $(json_str field)" "400 cols" "  a column the brand hid: 400"
req POST /grids/accounts/columns "${H[@]}" -b "$COOKIE=${SESS[city]}" -H 'Accept: text/html' \
	--data-urlencode "_csrf=${CSRF[city]}" --data 'col=number&order.number=2&col=status&order.status=1&col=name&back=/accounts%3Flimit%3D1'
is "$STATUS $(header Location)" "303 /accounts?limit=1" "the HTML chooser: 303 back to the list"
as city GET "/api/v1/accounts?limit=1"
is "$(grep -oE '"key":[[:space:]]*"[a-z_]+"' "$BODY" | sed -E 's/.*"([a-z_]+)"$/\1/' | tr '\n' ' ')" "status number name " "  in the places chosen (no place: last)"
req POST /grids/accounts/columns "${H[@]}" -b "$COOKIE=${SESS[city]}" -H 'Accept: text/html' \
	--data-urlencode "_csrf=${CSRF[city]}" --data 'col=number&back=//evil.example/x'
is "$STATUS $(header Location)" "303 /" "  a back address off the site: back to /"
as city POST /api/v1/grids/nope/columns '{"cols":"a"}'
is "$STATUS" 404 "  an unknown grid: 404"
as city POST /api/v1/grids/accounts/columns '{"reset":"1"}'
as city GET "/api/v1/accounts?limit=1"
like "$(body)" '"key":[[:space:]]*"kind"' "  reset: the default again"

# ------------------------------------------------------------- HTML and CSV

req GET "/accounts?limit=10&sort=-number" "${H[@]}" -b "$COOKIE=${SESS[north]}" -H 'Accept: text/html'
is "$STATUS" 200 "the HTML page: 200"
is "$(grep -c '<tr data-id=' "$BODY")" 10 "  10 rows"
like "$(body)" '<th scope="col" class="col-balance type-money">(<a [^>]*>)?Saldo' "  Saldo in the header"
like "$(body)" '<th scope="col" class="col-number type-text"><a href="\?[^"]*sort=number' "  a sort link on Account (sorted descending now)"
like "$(body)" 'rel="next"' "  a next link"
is "$(grep -cE '<tr data-id="[0-9]+"><td><a href="/accounts/[0-9]+">' "$BODY")" 10 "  each row's first cell links to its account"
like "$(body)" 'class="export-csv" href="\?[^"]*format=csv' "  an export link with the same query"
walk north "?limit=500&f.status=active"
PAGE_ROWS=$ALL
req GET "/accounts?format=csv&f.status=active" "${H[@]}" -b "$COOKIE=${SESS[north]}"
is "$(header Content-Type)" "text/csv; charset=utf-8" "CSV: text/csv"
like "$(header Content-Disposition)" 'attachment; filename="accounts.csv"' "  a download named accounts.csv"
is "$(tail -n +2 "$BODY" | cut -d, -f2 | tr -d '\r' | tr '\n' ' ' | sed 's/ $//')" "$PAGE_ROWS" "  every row the pages show, in their order"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $T")" "$((N_AUDIT + 5))" "the audit log: the settings and City's four column choices, nothing for reads or refused writes"

done_testing
