#!/usr/bin/env bash
# 23_export_timeout.sh -- grid downloads that go longer without a byte than
# a page may. nginx is restarted with a fastcgi_read_timeout of 1 s for
# pages and 60 s for its export location (tools/stack's
# TP_NGINX_READ_TIMEOUT / TP_NGINX_EXPORT_READ_TIMEOUT): a page slower than
# 1 s is a 504, while an XLSX and a PDF whose first byte comes after more
# than 1 s (a table lock holds their rows 2 s: no race with the machine's
# speed) arrive whole and valid (unzip, pdftotext), and a slow client's CSV
# never reaches nginx's temp files. A CSV whose MariaDB connection is killed
# half way (a client that stops reading, with a small receive buffer, so
# the query is still sending) is a broken transfer for the client, never a
# short whole file. Then the config with [db] read_timeout = 1
# (export_read_timeout kept): while the lock holds the rows 3 s a page of
# the list fails but its CSV waits and arrives whole; and [limits]
# max_xlsx_rows. nginx and the config are put back at the end, whatever
# happens.
source "$(dirname "$0")/lib.sh"

plan 36

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
N=20000 # accounts
NGINX_ERR=$TP_VAR/log/nginx-error.log
INI_SAVED=$T_DIR/tierport.ini
cp "$INI" "$INI_SAVED"
WORKERS0=$(worker_pids | tr '\n' ' ')
CONFIG_CHANGED=0

# gone PID...: none of them runs
gone() {
	local p
	for p in "$@"; do ! kill -0 "$p" 2>/dev/null || return 1; done
}
# reload WHY: SIGHUP, then wait until the old workers are gone (every
# request is then served with the new config)
reload() {
	local before
	before=$(worker_pids | tr '\n' ' ')
	kill -HUP "$(master_pid)"
	# shellcheck disable=SC2086
	wait_until 40 gone $before || diag "old workers still there after SIGHUP ($1)"
}
on_exit() {
	if [ "$CONFIG_CHANGED" = 1 ]; then
		cp "$INI_SAVED" "$INI"
		reload "the config put back"
	fi
	stack restart nginx >/dev/null 2>&1
}

TP_NGINX_READ_TIMEOUT=1s TP_NGINX_EXPORT_READ_TIMEOUT=60s stack restart nginx >/dev/null ||
	{ echo "Bail out! nginx did not restart"; exit 1; }
like "$(grep -E '^ *fastcgi_read_timeout' "$TP_VAR/etc/nginx-site.conf" | tr -s ' ' | paste -sd' ' -)" \
	'fastcgi_read_timeout 1s; .*fastcgi_read_timeout 60s;' "nginx: 1 s for pages, 60 s for downloads"

# ------------------------------------------------------------- nginx alone

req GET "/api/v1/fixture/slow?ms=2500"
is "$STATUS" 504 "a page 2.5 s without a byte: 504 (the page timeout is 1 s)"
req GET "/api/v1/fixture/slow?ms=2500&format=csv"
is "$STATUS" 200 "the same with a format argument: 200 (the download location's 60 s)"
req GET "/api/v1/fixture/slow?ms=2500&%66ormat=csv"
is "$STATUS" 200 "  and with the name percent-encoded (tierportd decodes names)"
req GET "/.tierport-export?format=csv"
is "$STATUS" 404 "the download location is internal: 404 from outside"
like "$(body)" '<center>nginx</center>' "  answered by nginx itself"

# ------------------------------------------------------------- a big list

new_brand it22
TOKEN=$("$CTL" -c "$INI" token add --brand "$SLUG" --login op --kind operator --name it22 | grep -oE '[A-Za-z0-9_-]{43}' | head -n 1)
AUTH=(-H "Authorization: Bearer $TOKEN")
req_json POST /api/v1/partners '{"name":"Big","currency":"EUR"}' "${H[@]}" "${AUTH[@]}"
P=$(json_num id)
sql "INSERT INTO accounts (tenant_id, partner_id, number, name, status, currency, balance, created_at)
	SELECT $T, $P, CONCAT('TO', LPAD(seq, 6, '0')), CONCAT('Customer ', seq), 'active', 'EUR',
	  seq * 1234, DATE_ADD('2025-01-01', INTERVAL seq % 300 DAY)
	FROM seq_1_to_$N"
sql "INSERT INTO account_tree (ancestor, descendant, depth) SELECT id, id, 0 FROM accounts WHERE tenant_id = $T"
ledger_opening_balances "$T"
is "$(sql "SELECT COUNT(*) FROM accounts WHERE tenant_id = $T")" "$N" "$N accounts in the brand"
Q="cols=number,name,status,balance,created&sort=number"

# fetch FORMAT FILE [curl args]: the download into FILE; sets STATUS, TTFB
# (seconds to the first byte) and CURL_RC
fetch() {
	local out
	CURL_RC=0
	out=$(curl -sS -o "$2" -D "$HDRS" -w '%{http_code} %{time_starttransfer}' --max-time 120 \
		"${H[@]}" "${AUTH[@]}" "${@:3}" "$BASE/accounts?$Q&format=$1" 2>"$T_DIR/curl.err") || CURL_RC=$?
	STATUS=${out%% *} TTFB=${out#* }
}
slower_than() { awk -v t="$1" -v m="$2" 'BEGIN { exit !(t > m) }'; }
# lock_accounts SECONDS: a write lock on accounts for that long, in the
# background (LOCKER): every read of the rows waits
lock_accounts() {
	sql "LOCK TABLES accounts WRITE; SELECT SLEEP($1); UNLOCK TABLES" >/dev/null &
	LOCKER=$!
	wait_until 5 locked || diag "the lock was not seen"
}
locked() { [ -n "$(sql "SELECT id FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP%'")" ]; }

lock_accounts 2
fetch xlsx "$T_DIR/a.xlsx"
wait "$LOCKER" || true
diag "XLSX: first byte after $TTFB s"
is "$STATUS" 200 "XLSX of $N rows: 200"
check "  its first byte came after more than the page timeout (1 s)" slower_than "$TTFB" 1.5
check "  a zip that unzip tests clean" unzip -tq "$T_DIR/a.xlsx"
is "$(unzip -p "$T_DIR/a.xlsx" xl/worksheets/sheet1.xml | grep -o '<row ' | wc -l)" "$((N + 1))" "  every row and the header"
is "$(unzip -p "$T_DIR/a.xlsx" xl/worksheets/sheet1.xml | grep -oE 'TO[0-9]{6}' | tail -n 1)" \
	"TO$(printf '%06d' "$N")" "  the last account last"

lock_accounts 2
fetch pdf "$T_DIR/a.pdf"
wait "$LOCKER" || true
diag "PDF: first byte after $TTFB s"
is "$STATUS" 200 "PDF of $N rows: 200"
check "  its first byte came after more than the page timeout (1 s)" slower_than "$TTFB" 1.5
RC=0
pdftotext -layout "$T_DIR/a.pdf" "$T_DIR/a.txt" 2>"$T_DIR/pdf.err" || RC=$?
is "$RC:$(cat "$T_DIR/pdf.err")" "0:" "  pdftotext reads it without complaint"
is "$(grep -oE 'TO[0-9]{6}' "$T_DIR/a.txt" | sort -u | wc -l)" "$N" "  every account in it"

# a slow client (1 MB/s): nginx passes the stream on, never to its temp files
SPILLED0=$(grep -c 'buffered to a temporary file' "$NGINX_ERR" || true)
fetch csv "$T_DIR/a.csv" --limit-rate 1M
is "$STATUS:$CURL_RC" "200:0" "CSV to a client reading 1 MB/s: 200, whole transfer"
is "$(($(wc -l <"$T_DIR/a.csv") - 1))" "$N" "  every row"
is "$(grep -c 'buffered to a temporary file' "$NGINX_ERR" || true)" "$SPILLED0" "  nothing buffered to nginx's temp files"
is "$(find "$TP_VAR/nginx/fastcgi" -type f | wc -l)" 0 "  nothing in its fastcgi temp directory"

# ------------------------------------------------------------- cut short

# the download's own MariaDB connection killed while its client has
# stopped reading: socat with an 8 kB receive buffer (curl's grows to tens
# of MB on loopback and would take the whole list at once) into a reader
# that waits for $T_DIR/go; 7.5 MB of contacts and e-mail addresses then
# cannot all be in the buffers between MariaDB and the client, so the
# query is still sending
sql "UPDATE accounts SET contact_name = REPEAT('c', 128),
	email = CONCAT(REPEAT('e', 243), '@example.com') WHERE tenant_id = $T"
export_conn_seen() { [ -n "$(export_conn)" ]; }
export_conn() {
	sql "SELECT id FROM information_schema.processlist WHERE user = 'tierport'
		AND command = 'Execute' AND info LIKE '%FROM accounts a JOIN partners p%'" | head -n 1
}
LOG0=$(stat -c %s "$TP_LOG")
printf 'GET /accounts?cols=number,contact,email&sort=number&format=csv HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n' \
	"$HOST" "$TOKEN" >"$T_DIR/cut.req"
# (socat's input stays open until the reader is done: nginx takes a
# client's half-close for an abort, 499)
{
	cat "$T_DIR/cut.req"
	while [ ! -e "$T_DIR/done" ]; do sleep 0.1; done
} | socat -T 60 - "TCP:$TP_HOST:$TP_PORT,rcvbuf=8192" | {
	while [ ! -e "$T_DIR/go" ]; do sleep 0.1; done
	cat
	touch "$T_DIR/done"
} >"$T_DIR/cut.raw" &
READER=$!
wait_until 20 export_conn_seen || diag "the download's query was not seen running"
CONN=$(export_conn)
sleep 0.5 # (its rows fill every buffer on the way)
if [ -n "$CONN" ]; then sql "KILL CONNECTION $CONN" || true; fi
touch "$T_DIR/go"
wait "$READER" || true
check "the download's connection ($CONN) was killed while it was sending" test -n "$CONN"
like "$(head -n 1 "$T_DIR/cut.raw")" '^HTTP/1.1 200' "  the answer had begun: 200, chunked"
# a whole chunked body ends with the last chunk, 0 CRLF CRLF
unlike "$(tail -c 5 "$T_DIR/cut.raw" | od -An -c | tr -s ' ')" '0 \\r \\n \\r \\n' "  no last chunk: the client sees a broken transfer, not a whole file"
ROWS=$(grep -acE '^TO[0-9]{6},' "$T_DIR/cut.raw" || true)
check "  it got some rows, fewer than the list ($ROWS < $N)" test "$ROWS" -gt 0 -a "$ROWS" -lt "$N"
is "$(grep -aoE '^TO[0-9]{6},' "$T_DIR/cut.raw" | sort | uniq -d | wc -l)" 0 "  no row twice (not run again after rows went out)"
LOGNEW=$(tail -c +$((LOG0 + 1)) "$TP_LOG")
like "$LOGNEW" 'TP0507: .*the body is cut short' "  tierportd logged it (TP0507)"
like "$(tail -n 5 "$NGINX_ERR")" 'unsupported FastCGI protocol version: 0' "  nginx saw the aborted response"
is "$(healthz_status)" 200 "healthz: 200 after it"
fetch csv "$T_DIR/b.csv"
is "$STATUS:$(($(wc -l <"$T_DIR/b.csv") - 1))" "200:$N" "the next CSV is whole"

# ------------------------------------------------------------- [db] and [limits]

# pages wait 1 s for MariaDB, downloads still export_read_timeout; XLSX
# capped at 1,000 rows; nginx's page timeout back above the database's
sed -i -e 's/^read_timeout = .*/read_timeout = 1/' \
	-e 's/^\[limits\]$/[limits]\nmax_xlsx_rows = 1000/' "$INI"
CONFIG_CHANGED=1
reload "read_timeout 1, max_xlsx_rows 1000"
TP_NGINX_READ_TIMEOUT=10s TP_NGINX_EXPORT_READ_TIMEOUT=60s stack restart nginx >/dev/null

req GET "/accounts?$Q&format=xlsx" "${H[@]}" "${AUTH[@]}" -H 'Accept: application/json'
is "$STATUS $(json_str field)" "400 format" "max_xlsx_rows = 1000: an XLSX of $N rows is a 400 on format"
like "$(body)" 'too many rows for XLSX \(at most 1000\); filter the list or export CSV' "  saying why and what to do"

lock_accounts 3
req GET "/api/v1/accounts?$Q&limit=10" "${H[@]}" "${AUTH[@]}"
PAGE=$STATUS
wait "$LOCKER" || true
is "$PAGE" 503 "a page of the list while the rows are locked 3 s: 503, MariaDB did not answer within read_timeout (1 s)"
lock_accounts 3
fetch csv "$T_DIR/c.csv"
wait "$LOCKER" || true
diag "CSV behind the lock: first byte after $TTFB s"
is "$STATUS:$CURL_RC:$(($(wc -l <"$T_DIR/c.csv") - 1))" "200:0:$N" "its CSV behind the same lock: 200, whole, every row"
check "  it waited for the lock (first byte after $TTFB s)" slower_than "$TTFB" 2

is "$(healthz_status)" 200 "healthz: 200"
is "$(find "$(sed -n 's/^upload_dir = //p' "$INI" | sed -n 1p)" -name 'tierport-export-*' | wc -l)" 0 "no export file left in the upload directory"
diag "workers before: $WORKERS0; now: $(worker_pids | tr '\n' ' ') (two reloads)"

done_testing
