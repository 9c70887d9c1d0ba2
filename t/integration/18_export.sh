#!/usr/bin/env bash
# 18_export.sh -- the grid's downloads (CSV, XLSX, PDF) read back with real
# readers (unzip for the XLSX's XML, pdftotext for the PDF) and compared
# with the JSON pages of the same filtered, sorted list, on a brand of its
# own with 1,200 accounts made in SQL: the same rows in the same order, the
# brand's labels as headers, a partner's download holding only its
# subtree, typed XLSX cells, no formulas, a paginated PDF with its header
# on every page, the PDF row cap, bad formats, the headers of each answer,
# no temp file left behind and no worker lost.
source "$(dirname "$0")/lib.sh"

plan 60

CTL=${TP_BUILD:-$TP_SRC/build-san}/tierportctl
INI=$TP_VAR/etc/tierport.ini
PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
RUN=$$$RANDOM
SLUG=it18-$RUN HOST=it18-$RUN.test BRAND="Export $RUN Ltd"
H=(-H "Host: $HOST")
UPLOADS=$(sed -n 's/^upload_dir = //p' "$INI" | sed -n 1p)
WORKERS0=$(worker_pids | tr '\n' ' ')

"$CTL" -c "$INI" brand add --slug "$SLUG" --name "$BRAND" --plan "exp-$RUN" --host "$HOST" >/dev/null ||
	{ echo "Bail out! brand add failed"; exit 1; }
T=$(sql "SELECT id FROM tenants WHERE slug = '$SLUG'")
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind operator --login op --password-file - --admin >/dev/null
SECRET=$("$CTL" -c "$INI" user totp --brand "$SLUG" --login op | sed -n 's/.*two-factor secret //p')
login op op partner "$PW" "$(oathtool --totp -b "$SECRET")"
is "$STATUS" 201 "the brand's operator signs in"

as op POST /api/v1/partners '{"name":"Alpha","currency":"EUR"}'
A=$(json_num id)
as op POST "/api/v1/partners/$A/children" '{"name":"Beta"}'
B=$(json_num id)
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$B" --login beta.admin --password-file - --admin --group partner-admin >/dev/null
login beta beta.admin
is "$STATUS" 201 "Beta's partner admin signs in"

# 1,200 accounts: 800 below Alpha, 400 below Beta (every third), some
# suspended; a formula, non-Latin-1 text, quotes and a long name among them
sql "SET SESSION max_recursive_iterations = 100000;
	INSERT INTO accounts (tenant_id, partner_id, number, name, status, currency, balance, created_at)
	WITH RECURSIVE s (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 1200)
	SELECT $T, IF(n % 3 = 0, $B, $A), CONCAT('EX', LPAD(n, 5, '0')),
	  CASE n WHEN 5 THEN '=1+2 formula' WHEN 6 THEN 'Zoë Ünïcode 東京 €'
	    WHEN 10 THEN 'Comma, \"Quoted\"' WHEN 8 THEN REPEAT('Long name ', 12)
	    WHEN 11 THEN '+4930123456' WHEN 13 THEN '+1+2 sum'
	    ELSE CONCAT('Customer ', LPAD(n * 7919 % 1201, 4, '0')) END,
	  IF(n % 7 = 0, 'suspended', 'active'), 'EUR', (n * 123457) % 2000000 - 500000,
	  DATE_ADD('2025-01-01', INTERVAL n % 400 DAY)
	FROM s"
sql "INSERT INTO account_tree (ancestor, descendant, depth) SELECT id, id, 0 FROM accounts WHERE tenant_id = $T"
ledger_opening_balances "$T"
is "$(sql "SELECT COUNT(*) FROM accounts WHERE tenant_id = $T")" 1200 "1,200 accounts in the brand"

# the brand renames two columns
as op POST /api/v1/grids/accounts/settings '{"label.number":"Acct No","label.balance":"Saldo €"}'
is "$STATUS" 200 "the operator renames Account and Balance"

COLS=number,name,status,partner,balance,created
Q="cols=$COLS&sort=-name&f.status=active&f.balance.min=-20"
WANT=$(sql "SELECT COUNT(*) FROM accounts WHERE tenant_id = $T AND status = 'active' AND balance >= -200000")

# json_numbers WHO QUERY: the account numbers of every JSON page, in order
json_numbers() {
	local who=$1 q="?$2&limit=500" n=0
	while [ -n "$q" ] && [ "$n" -lt 20 ]; do
		as "$who" GET "/api/v1/accounts$q"
		[ "$STATUS" = 200 ] || { echo "status $STATUS"; return; }
		grep -oE '"number"[[:space:]]*:[[:space:]]*"EX[0-9]+"' "$BODY" | grep -oE 'EX[0-9]+'
		q=$(json_str next | sed 's|\\/|/|g')
		n=$((n + 1))
	done
}
# download WHO FORMAT QUERY FILE: the export of the accounts into FILE
download() {
	req GET "/accounts?$3&format=$2" "${H[@]}" -b "$COOKIE=${SESS[$1]}"
	cp "$BODY" "$4"
}
# answer_is NAME FORMAT TYPE: status, Content-Type, Content-Disposition
answer_is() {
	is "$STATUS" 200 "$1: 200"
	is "$(header Content-Type)" "$3" "  Content-Type $3"
	is "$(header Content-Disposition)" "attachment; filename=\"accounts.$2\"" "  Content-Disposition: accounts.$2"
}
sheet() { unzip -p "$1" xl/worksheets/sheet1.xml; }
# xlsx_col FILE COL: the cells of column COL from row 2 on, one a line
xlsx_col() {
	sheet "$1" | grep -oE "<c r=\"$2[0-9]+\"[^>]*>(<is><t[^>]*>[^<]*</t></is>|<v>[^<]*</v>)" |
		sed -E 's/<\/is>$//; s/.*>([^<]*)<\/(t|v)>$/\1/' | tail -n +2
}
# csv_col FILE N: field N from row 2 on (quoted fields are never wanted)
csv_col() { tail -n +2 "$1" | sed -E 's/"([^"]|"")*"/Q/g' | awk -F, -v c="$2" '{ print $c }' | tr -d '\r'; }

J=$(json_numbers op "$Q")
is "$(grep -c . <<<"$J")" "$WANT" "JSON pages: every filtered row ($WANT)"

# ------------------------------------------------------------- CSV

download op csv "$Q" "$T_DIR/a.csv"
answer_is CSV csv "text/csv; charset=utf-8"
is "$(head -n 1 "$T_DIR/a.csv" | tr -d '\r')" "Acct No,Name,Status,Partner,Saldo €,Created,Currency" "  the header row: the brand's labels, then Currency"
is "$(grep -oE '^EX[0-9]+' "$T_DIR/a.csv")" "$J" "  the same rows in the same order as the JSON pages"
like "$(cat "$T_DIR/a.csv")" "\"'=1\+2 formula\"" "  a name starting with = is quoted and prefixed with '"
like "$(cat "$T_DIR/a.csv")" '"Comma, ""Quoted"""' "  commas and quotes quoted as RFC 4180 says"
like "$(cat "$T_DIR/a.csv")" $'\nEX00011,\\+4930123456,' "  a phone number as +digits as it is: no formula"
like "$(cat "$T_DIR/a.csv")" "EX00013,\"'\\+1\\+2 sum\"" "  but +1+2 guarded"

# ------------------------------------------------------------- XLSX

download op xlsx "$Q" "$T_DIR/a.xlsx"
answer_is XLSX xlsx "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
check "  a zip that unzip tests clean" unzip -tq "$T_DIR/a.xlsx"
like "$(unzip -p "$T_DIR/a.xlsx" xl/workbook.xml)" '<sheet name="Accounts"' "  the sheet is named after the grid's title"
HDR=$(sheet "$T_DIR/a.xlsx" | grep -oE '<c r="[A-Z]1"[^>]*><is><t[^>]*>[^<]*</t>' | sed -E 's/.*>([^<]*)<\/t>$/\1/' | paste -sd, -)
is "$HDR" "Acct No,Name,Status,Partner,Saldo €,Created,Currency" "  row 1: the brand's labels, then Currency"
like "$(sheet "$T_DIR/a.xlsx" | grep -oE '<c r="A1"[^>]*>')" 's="1"' "  the header cells have a style of their own (bold)"
like "$(unzip -p "$T_DIR/a.xlsx" xl/styles.xml)" '<b/>' "  and the styles hold a bold font"
is "$(xlsx_col "$T_DIR/a.xlsx" A)" "$J" "  the same rows in the same order as the JSON pages"
# money: numbers with a number format, equal to the CSV's amounts
XB=$(xlsx_col "$T_DIR/a.xlsx" E | awk '{ printf "%.4f\n", $1 }')
CB=$(csv_col "$T_DIR/a.csv" 5 | awk '{ printf "%.4f\n", $1 }')
check "  balances are the CSV's amounts" test "$XB" = "$CB"
is "$(sheet "$T_DIR/a.xlsx" | grep -oE '<c r="E[0-9]+"[^>]*>' | grep -v '"E1"' | grep -c 't="')" 0 "  balances are numbers, not strings"
like "$(unzip -p "$T_DIR/a.xlsx" xl/styles.xml)" 'formatCode="#,##0.00##"' "  money has a number format with 2 decimals"
like "$(unzip -p "$T_DIR/a.xlsx" xl/styles.xml)" 'formatCode="yyyy-mm-dd"' "  dates have a date format"
# a date: Excel's serial day of the CSV's date (1899-12-30 is day 0)
D1=$(csv_col "$T_DIR/a.csv" 6 | sed -n 1p)
is "$(xlsx_col "$T_DIR/a.xlsx" F | sed -n 1p)" "$((($(date -u -d "$D1" +%s) - $(date -u -d 1899-12-30 +%s)) / 86400))" "  dates are date serials ($D1)"
is "$(xlsx_col "$T_DIR/a.xlsx" G | sort -u)" "EUR" "  the Currency column"
is "$(sheet "$T_DIR/a.xlsx" | grep -c '<f>' || true)" 0 "  no formula anywhere"
like "$(sheet "$T_DIR/a.xlsx")" '<t>=1\+2 formula</t>' "  the = name is an inline string"
like "$(sheet "$T_DIR/a.xlsx")" 'Zoë Ünïcode 東京 €' "  UTF-8 text as it is"

# ------------------------------------------------------------- PDF

download op pdf "$Q" "$T_DIR/a.pdf"
answer_is PDF pdf "application/pdf"
RC=0
pdftotext -layout "$T_DIR/a.pdf" "$T_DIR/a.txt" 2>"$T_DIR/pdf.err" || RC=$?
is "$RC:$(cat "$T_DIR/pdf.err")" "0:" "  pdftotext reads it without complaint"
is "$(grep -oE 'EX[0-9]{5}' "$T_DIR/a.txt")" "$J" "  the same rows in the same order as the JSON pages"
PAGES=$(pdfinfo "$T_DIR/a.pdf" | sed -n 's/^Pages: *//p')
check "  more than one page ($PAGES)" test "${PAGES:-0}" -gt 1
like "$(pdfinfo "$T_DIR/a.pdf")" 'Page size: +841.89 x 595.27' "  landscape A4"
# page N of the text: form feeds separate pages
page() { awk -v p="$2" 'BEGIN { RS = "\f" } NR == p' "$1"; }
P2=$(page "$T_DIR/a.txt" 2)
like "$P2" "$BRAND +Accounts" "  page 2 starts with the brand's name and the title"
like "$P2" 'Acct No +Name +Status +Partner +Saldo €+ +Created' "  page 2 repeats the labels (the brand's)"
like "$P2" 'page 2' "  page 2 says so"
like "$(page "$T_DIR/a.txt" "$PAGES")" "page $PAGES" "  so does the last page"
like "$(cat "$T_DIR/a.txt")" 'Zoë Ünïcode \?\? €' "  Latin-1 and € shown, other characters as ?"
like "$(cat "$T_DIR/a.txt")" 'Long name Long name[A-Za-z ]*…' "  a long name is cut with an ellipsis"
like "$(cat "$T_DIR/a.txt")" '[0-9]+\.[0-9]{2} EUR' "  amounts with their currency"

# ------------------------------------------------------------- a partner

JB=$(json_numbers beta "cols=$COLS&sort=number")
is "$(grep -c . <<<"$JB")" 400 "Beta's JSON pages: its 400 accounts"
download beta csv "cols=$COLS&sort=number" "$T_DIR/b.csv"
is "$(grep -oE '^EX[0-9]+' "$T_DIR/b.csv")" "$JB" "Beta's CSV: the same 400"
download beta xlsx "cols=$COLS&sort=number" "$T_DIR/b.xlsx"
is "$(xlsx_col "$T_DIR/b.xlsx" A)" "$JB" "Beta's XLSX: the same 400"
download beta pdf "cols=$COLS&sort=number" "$T_DIR/b.pdf"
is "$(pdftotext -layout "$T_DIR/b.pdf" - | grep -oE 'EX[0-9]{5}')" "$JB" "Beta's PDF: the same 400"
is "$(sql "SELECT COUNT(*) FROM accounts WHERE tenant_id = $T AND partner_id <> $B AND number IN ('$(paste -sd, - <<<"$JB" | sed "s/,/','/g")')")" 0 "  none of them outside Beta's subtree"

# ------------------------------------------------------------- refusals

req GET "/accounts?format=doc" "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: application/json'
is "$STATUS $(json_str field)" "400 format" "format=doc: 400 on format"
req GET "/accounts?format=xlsx&f.nope=1" "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: application/json'
is "$STATUS" 400 "an XLSX with a bad filter: 400, as the page"
req GET "/accounts?format=pdf" "${H[@]}"
is "$STATUS" 303 "no session: sent to sign in, no PDF"

# past the PDF cap (50,000): 400 before any work; CSV still streams it
sql "SET SESSION max_recursive_iterations = 100000;
	INSERT INTO accounts (tenant_id, partner_id, number, name, currency)
	WITH RECURSIVE s (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 49000)
	SELECT $T, $A, CONCAT('BIG', n), 'Bulk', 'EUR' FROM s"
req GET "/accounts?format=pdf" "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: application/json'
is "$STATUS $(json_str field)" "400 format" "50,200 rows as a PDF: 400 on format"
like "$(body)" 'too many rows for a PDF \(at most 50000\); filter the list or export CSV' "  saying why and what to do"
req GET "/accounts?format=csv&cols=number" "${H[@]}" -b "$COOKIE=${SESS[op]}"
is "$STATUS $(($(wc -l <"$BODY") - 1))" "200 50200" "  all 50,200 as CSV: 200"

# ------------------------------------------------------------- after

is "$(find "$UPLOADS" -name 'tierport-export-*' | wc -l)" 0 "no export file left in the upload directory"
is "$(healthz_status)" 200 "healthz: 200"
is "$(worker_pids | tr '\n' ' ')" "$WORKERS0" "no worker died"

done_testing
