# shellcheck shell=bash disable=SC2034
# t/integration/lib.sh -- helpers sourced by every t/integration/NN_*.sh:
# where the stack is, curl wrappers that keep status, headers and body, and
# TAP-ish counters (plan N ... done_testing; "done" is a bash keyword).
# Needs bash, curl, grep, sed, pgrep (and the mariadb client for sql); no jq.

set -euo pipefail

TP_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TP_VAR=${TP_VAR:-$TP_SRC/var/test}
TP_PORT=${TP_PORT:-18080}
TP_HOST=127.0.0.1
BASE=${TP_BASE_URL:-http://$TP_HOST:$TP_PORT}
TP_LOG=$TP_VAR/log/tierportd.log
TP_PIDFILE=$TP_VAR/run/tierportd.pid
REQ_TIMEOUT=${REQ_TIMEOUT:-10}
export TP_VAR TP_PORT

T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tp-it.XXXXXX")
HDRS=$T_DIR/headers
BODY=$T_DIR/body
STATUS=000 TIME=0 CURL_RC=0
: >"$HDRS"
: >"$BODY"

T_NUM=0
T_FAIL=0
T_PLAN=0

# A test may define on_exit (e.g. to restart a service it stopped).
_lib_exit() {
	local rc=$?
	if declare -F on_exit >/dev/null; then on_exit || true; fi
	[ -z "${LOAD_PID:-}" ] || kill "$LOAD_PID" 2>/dev/null || true
	rm -rf "$T_DIR"
	exit "$rc"
}
trap _lib_exit EXIT

# ------------------------------------------------------------- TAP-ish

plan() { T_PLAN=$1; echo "1..$1"; }
diag() { echo "# $*"; }
ok() { T_NUM=$((T_NUM + 1)); echo "ok $T_NUM - $*"; }
not_ok() { T_NUM=$((T_NUM + 1)); T_FAIL=$((T_FAIL + 1)); echo "not ok $T_NUM - $*"; }

# check DESC COMMAND...: passes when COMMAND succeeds
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# is GOT WANT DESC
is() {
	if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3"; diag "  got: '$1'"; diag "  want: '$2'"; fi
}

# like TEXT REGEX DESC (grep -E); unlike is the reverse
like() {
	if grep -qE -- "$2" <<<"$1"; then ok "$3"; else not_ok "$3"; diag "  '$(head -c 300 <<<"$1")' does not match /$2/"; fi
}
unlike() {
	if grep -qE -- "$2" <<<"$1"; then not_ok "$3"; diag "  '$(head -c 300 <<<"$1")' matches /$2/"; else ok "$3"; fi
}

# Ends the script: fails if anything failed or the count is not the plan,
# or if the ledger does not prove itself (tierportctl ledger check: every
# transaction balances, every stored balance is its ledger sum) for the
# brands the script made (TP_LEDGER_FROM: the highest brand id when it
# began), or for the demo brand when it made none -- so one script's
# fixtures never fail the scripts after it.
done_testing() {
	local lc slugs s
	if [ -x "$CTL" ] && [ -f "$INI" ]; then
		slugs=$(sql "SELECT slug FROM tenants WHERE id > ${TP_LEDGER_FROM:-0} ORDER BY id" 2>/dev/null) || slugs=''
		[ -n "$slugs" ] || slugs=$(sql "SELECT slug FROM tenants WHERE slug = 'demo'" 2>/dev/null) || slugs=''
		for s in $slugs; do
			if ! lc=$("$CTL" -c "$INI" ledger check --brand "$s" 2>&1); then
				diag "tierportctl ledger check --brand $s: $lc"
				T_FAIL=$((T_FAIL + 1))
			fi
		done
	fi
	if [ "$T_PLAN" -gt 0 ] && [ "$T_NUM" -ne "$T_PLAN" ]; then
		diag "planned $T_PLAN tests but ran $T_NUM"
		T_FAIL=$((T_FAIL + 1))
	fi
	diag "$((T_NUM - T_FAIL < 0 ? 0 : T_NUM - T_FAIL)) passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ] && exit 0
	exit 1
}

# ------------------------------------------------------------- requests

# req METHOD PATH|URL [curl args...]: sets STATUS (000 on no answer) and
# TIME (seconds); the headers are in $HDRS, the body in $BODY.
req() {
	local method=$1 url=$2 out
	shift 2
	case "$url" in http://* | https://*) ;; *) url=$BASE$url ;; esac
	local m=()
	case "$method" in
	GET) ;;
	HEAD) m=(--head) ;;
	*) m=(-X "$method") ;;
	esac
	: >"$HDRS"
	: >"$BODY"
	CURL_RC=0
	out=$(curl -sS -o "$BODY" -D "$HDRS" -w '%{http_code} %{time_total}' \
		--max-time "$REQ_TIMEOUT" "${m[@]}" "$@" "$url" 2>"$T_DIR/curl.err") || CURL_RC=$?
	STATUS=${out%% *}
	TIME=${out#* }
	[ -n "$STATUS" ] || STATUS=000
}

# kreq METHOD PATH BODY [HEADER...]: like req, but over one kept-alive
# connection (fd 7, bash's /dev/tcp, opened on first use): no curl process
# and no TCP handshake per request, for scripts that ask thousands of
# questions (10_matrix.sh). HEADERs are "Name: value" lines and must name
# the Host; BODY ("" for none) is sent with its Content-Length. Sets STATUS
# (000 on no answer), $HDRS (the status line, then the headers) and $BODY.
# A connection the server closed (Connection: close, an idle timeout) is
# opened again; a request that got no status line is sent once more.
K_FD_OPEN=0
kclose() { [ "$K_FD_OPEN" = 0 ] || exec 7>&-; K_FD_OPEN=0; }
kopen() { exec 7<>"/dev/tcp/$TP_HOST/$TP_PORT" && K_FD_OPEN=1; }
# ksend REQUEST: in one write. A request in two segments waits for the
# server's delayed ACK of the first (Nagle's algorithm), 40 ms a request;
# bash's stdout is line-buffered, so printf writes a body after the last
# newline apart: head(1) writes it whole (one process, about a millisecond).
ksend() {
	if [[ $1 == *$'\n' ]]; then printf '%s' "$1" >&7; else head -c "${#1}" <<<"$1" >&7; fi
}
kreq() {
	local LC_ALL=C method=$1 path=$2 data=$3 line try head len=-1 chunked=0 close=0 n
	shift 3
	STATUS=000 line=''
	: >"$BODY"
	head="$method $path HTTP/1.1"$'\r\n'
	for n in "$@"; do head+=$n$'\r\n'; done
	if [ -n "$data" ] || unsafe_method "$method"; then head+="Content-Length: ${#data}"$'\r\n'; fi
	for try in 1 2; do
		[ "$K_FD_OPEN" = 1 ] || kopen 2>/dev/null || break
		if ksend "$head"$'\r\n'"$data" 2>/dev/null &&
			IFS= read -r -t "$REQ_TIMEOUT" line <&7 && [ -n "$line" ]; then
			break
		fi
		line=''
		kclose
	done
	local hdrs=${line%$'\r'}$'\n'
	if [ -z "$line" ]; then
		printf '%s' "$hdrs" >"$HDRS"
		return 0
	fi
	line=${line#* } STATUS=${line%% *}
	# bash reads a socket a byte at a time (it cannot give back what it
	# read too far): fine for the headers, and for small bodies cheaper
	# than starting head(1) on a busy machine
	while IFS= read -r -t "$REQ_TIMEOUT" line <&7; do
		line=${line%$'\r'}
		[ -n "$line" ] || break
		hdrs+=$line$'\n'
		case ${line,,} in
		content-length:*) len=${line#*:} len=${len//[^0-9]/} ;;
		transfer-encoding:*chunked*) chunked=1 ;;
		connection:*close*) close=1 ;;
		esac
	done
	if [ "$method" = HEAD ] || [ "$STATUS" = 204 ] || [ "$STATUS" = 304 ]; then
		:
	elif [ "$chunked" = 1 ]; then
		while IFS= read -r -t "$REQ_TIMEOUT" line <&7; do
			line=${line%$'\r'} line=${line%%;*}
			n=$((16#${line:-0}))
			if [ "$n" = 0 ]; then
				# trailers, up to the blank line
				while IFS= read -r -t "$REQ_TIMEOUT" line <&7 && [ -n "${line%$'\r'}" ]; do :; done
				break
			fi
			head -c "$n" <&7 >>"$BODY"
			IFS= read -r -t "$REQ_TIMEOUT" line <&7 # the chunk's CRLF
		done
	elif [ "$len" -ge 0 ] && [ "$len" -le 4096 ]; then
		n=''
		[ "$len" = 0 ] || IFS= read -r -N "$len" -t "$REQ_TIMEOUT" n <&7 || true
		printf '%s' "$n" >"$BODY"
	elif [ "$len" -ge 0 ]; then
		head -c "$len" <&7 >"$BODY"
	else
		timeout "$REQ_TIMEOUT" cat <&7 >"$BODY" || true
		close=1
	fi
	printf '%s' "$hdrs" >"$HDRS"
	[ "$close" = 0 ] || kclose
}
unsafe_method() { case $1 in GET | HEAD | OPTIONS) return 1 ;; esac; }

# JSON request: req_json METHOD PATH BODY [curl args...]
req_json() {
	local method=$1 path=$2 data=$3
	shift 3
	req "$method" "$path" -H 'Content-Type: application/json' \
		-H 'Accept: application/json' --data-binary "$data" "$@"
}

body() { cat "$BODY"; }

# header NAME: the value of the last NAME header of the last response
header() {
	{ grep -i "^$1:" "$HDRS" || true; } | tail -n 1 | cut -d: -f2- |
		sed -e 's/^[[:space:]]*//' -e 's/\r$//'
}

# json_has KEY RAWVALUE: the body has "KEY": RAWVALUE (json-c puts spaces in)
json_has() { grep -qE "\"$1\"[[:space:]]*:[[:space:]]*$2" "$BODY"; }

# json_num KEY / json_str KEY: the first such member of the body
json_num() {
	grep -oE "\"$1\"[[:space:]]*:[[:space:]]*-?[0-9]+" "$BODY" | head -n 1 | grep -oE -- '-?[0-9]+$' || true
}
json_str() {
	grep -oE "\"$1\"[[:space:]]*:[[:space:]]*\"[^\"]*\"" "$BODY" | head -n 1 |
		sed -E 's/^.*:[[:space:]]*"(.*)"$/\1/' || true
}

# raw_http FILE: sends FILE's bytes as they are (for requests curl will not
# make) and prints the answer; FILE should ask for "Connection: close".
raw_http() {
	timeout 10 bash -c 'exec 3<>"/dev/tcp/$1/$2" && cat "$3" >&3 && cat <&3' \
		_ "$TP_HOST" "$TP_PORT" "$1" 2>/dev/null || true
}

# ------------------------------------------------------------- identity

# the session cookie's name ([session] cookie of the stack's config)
COOKIE=$({ sed -n 's/^cookie = //p' "$TP_VAR/etc/tierport.ini" 2>/dev/null || true; } | head -n 1)
COOKIE=${COOKIE:-tp_session}

# sql QUERY: runs QUERY on the stack's tierport database; rows tab-separated
sql() { mariadb --socket="$TP_VAR/run/mysqld.sock" -u "$(id -un)" -N -B tierport -e "$1"; }
TP_LEDGER_FROM=$(sql "SELECT IFNULL(MAX(id), 0) FROM tenants" 2>/dev/null) || TP_LEDGER_FROM=''

# closure_equal TABLE PARENT_COLUMN TREE TENANT: the closure table TREE
# (ancestor, descendant, depth) of TENANT's rows of TABLE holds exactly the
# pairs the recursive CTE over PARENT_COLUMN gives
closure_equal() {
	local want got
	want=$(sql "WITH RECURSIVE c (anc, dsc, depth) AS (
		SELECT id, id, 0 FROM $1 WHERE tenant_id = $4
		UNION ALL SELECT c.anc, x.id, c.depth + 1 FROM c JOIN $1 x ON x.$2 = c.dsc)
		SELECT anc, dsc, depth FROM c ORDER BY anc, dsc")
	got=$(sql "SELECT t.ancestor, t.descendant, t.depth FROM $3 t JOIN $1 x ON x.id = t.descendant
		WHERE x.tenant_id = $4 ORDER BY t.ancestor, t.descendant")
	[ -n "$want" ] && [ "$want" = "$got" ]
}

# set_cookie NAME: the value the last response set for cookie NAME
set_cookie() { { grep -i "^set-cookie: $1=" "$HDRS" || true; } | tail -n 1 | sed -E "s/^[^=]*=([^;]*).*/\1/" | tr -d '\r'; }

# ------------------------------------------------------------- processes

master_pid() { tr -dc '0-9' <"$TP_PIDFILE"; }

# the master's children, one per line, sorted
worker_pids() { pgrep -P "$(master_pid)" | sort -n || true; }

# wait_until SECONDS COMMAND...: polls every 0.1 s
wait_until() {
	local n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		if "$@" 2>/dev/null; then return 0; fi
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

healthz_status() {
	req GET /healthz -H 'Accept: application/json'
	echo "$STATUS"
}

stack() { "$TP_SRC/tools/stack" "$@"; }

# ------------------------------------------------------------- a brand of its own

CTL=${TP_BUILD:-$TP_SRC/build-san}/tierportctl
INI=$TP_VAR/etc/tierport.ini

# new_brand PREFIX [MODULE...]: a brand of the script's own, PREFIX-<run>
# on the host PREFIX-<run>.test, its plan with MODULEs, with an operator
# admin "op" (password $PW); sets SLUG, HOST, H (its Host header as curl
# arguments) and T (its id)
new_brand() {
	local run=$$$RANDOM m mods=()
	SLUG=$1-$run HOST=$1-$run.test
	H=(-H "Host: $HOST")
	for m in "${@:2}"; do mods+=(--module "$m"); done
	"$CTL" -c "$INI" brand add --slug "$SLUG" --name "$1 $run" --plan "$1-$run" --host "$HOST" "${mods[@]}" >/dev/null ||
		{ echo "Bail out! brand add failed"; exit 1; }
	T=$(sql "SELECT id FROM tenants WHERE slug = '$SLUG'")
	printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind operator --login op --password-file - --admin >/dev/null ||
		{ echo "Bail out! user add failed"; exit 1; }
}

# op_login: new_brand's operator admin "op" gets a two-factor secret of its
# own (SECRET) and signs in (login, below) with its password $PW and code
op_login() {
	SECRET=$("$CTL" -c "$INI" user totp --brand "$SLUG" --login op | sed -n 's/.*two-factor secret //p')
	login op op partner "$PW" "$(oathtool --totp -b "$SECRET")"
}

# ledger_opening_balances T: a script that writes account balances
# straight into the table (grid and export fixtures) gives each account
# whose stored balance is not its ledger sum one transaction for the
# difference against "opening.balances", as tierportctl gen does, so the
# ledger check at the end holds (docs/money.md: balances move only with
# the ledger)
ledger_opening_balances() {
	sql "INSERT INTO ledger_accounts (tenant_id, code, name, type, holder) VALUES
		($1, 'receivable', 'Customer receivable', 'asset', 'account'),
		($1, 'prepaid', 'Customer prepaid funds', 'liability', 'account'),
		($1, 'opening.balances', 'Opening balances', 'equity', 'none')
		ON DUPLICATE KEY UPDATE id = id;
	CREATE TEMPORARY TABLE tp_opening AS
		SELECT a.id, a.tenant_id, a.partner_id, a.number, a.currency, a.billing_type, a.created_at,
			a.balance - IFNULL(s.total, 0) AS diff,
			CONCAT('opening:', a.number, ':', a.balance) AS idem_key
		FROM accounts a LEFT JOIN (SELECT e.account_id, SUM(e.amount) AS total FROM ledger_entries e
			JOIN ledger_accounts l ON l.id = e.ledger_account_id AND l.holder = 'account'
			WHERE e.tenant_id = $1 GROUP BY e.account_id) s ON s.account_id = a.id
		WHERE a.tenant_id = $1 AND a.balance <> IFNULL(s.total, 0);
	INSERT INTO ledger_txns (tenant_id, idem_key, content_hash, kind, currency, account_id, partner_id, memo, effective_at)
		SELECT tenant_id, idem_key, UNHEX(SHA2(CONCAT('opening|', currency, '|', diff), 256)),
			'opening', currency, id, partner_id, 'Opening balance', created_at
		FROM tp_opening ORDER BY id;
	INSERT INTO ledger_entries (tenant_id, txn_id, ledger_account_id, amount, currency, account_id, partner_id)
		SELECT t.tenant_id, t.id, l.id, IF(l.holder = 'account', o.diff, -o.diff), o.currency, o.id, o.partner_id
		FROM tp_opening o JOIN ledger_txns t ON t.tenant_id = o.tenant_id AND t.idem_key = o.idem_key
		JOIN ledger_accounts l ON l.tenant_id = o.tenant_id
			AND l.code IN (IF(o.billing_type = 'prepaid', 'prepaid', 'receivable'), 'opening.balances')
		ORDER BY t.id, l.holder DESC"
}

# new_demo PREFIX: a copy of the demo brand (tierportctl demo --slug: the
# same partner tree, accounts, catalog and logins, password
# $TP_DEMO_PASSWORD, the operator's two-factor secret $TP_DEMO_TOTP_SECRET)
# of the script's own, PREFIX-<run> on the host PREFIX-<run>.test; sets
# SLUG, HOST, H and T as new_brand does
new_demo() {
	local run try
	# tried up to three times (a new brand each): the demo's money history
	# can meet a deadlock with the scripts running beside it
	for try in 1 2 3; do
		run=$$$RANDOM
		SLUG=$1-$run HOST=$1-$run.test
		H=(-H "Host: $HOST")
		"$CTL" -c "$INI" demo --slug "$SLUG" --host "$HOST" >"$T_DIR/demo.out" 2>&1 && break
		[ "$try" != 3 ] || { echo "Bail out! demo --slug $SLUG failed: $(tail -n 3 "$T_DIR/demo.out")"; exit 1; }
		diag "demo --slug $SLUG failed (try $try): $(tail -n 1 "$T_DIR/demo.out")"
	done
	T=$(sql "SELECT id FROM tenants WHERE slug = '$SLUG'")
}

# ------------------------------------------------------------- signed in

# For scripts that keep several signed-in logins by name. They set H (the
# Host header as curl arguments) and PW (the password) first.
declare -A SESS CSRF
# login NAME LOGIN [partner|customer] [PASSWORD] [OTP]: a JSON login kept as NAME
login() {
	req_json POST /api/v1/session "{\"login\":\"$2\",\"password\":\"${4:-$PW}\",\"as\":\"${3:-partner}\"${5:+,\"otp\":\"$5\"}}" "${H[@]}"
	SESS[$1]=$(set_cookie "$COOKIE")
	CSRF[$1]=$(json_str csrf_token)
}
# as NAME METHOD PATH [JSON]: an API request with NAME's session and token
as() {
	local who=$1 method=$2 path=$3
	if [ $# -ge 4 ]; then
		req_json "$method" "$path" "$4" "${H[@]}" -b "$COOKIE=${SESS[$who]}" -H "X-CSRF-Token: ${CSRF[$who]}"
	else
		req "$method" "$path" "${H[@]}" -b "$COOKIE=${SESS[$who]}" -H "X-CSRF-Token: ${CSRF[$who]}" -H 'Accept: application/json'
	fi
}

# page NAME PATH: an HTML page as NAME (a browser: no Accept header)
page() { req GET "$2" "${H[@]}" -b "$COOKIE=${SESS[$1]}"; }
# form NAME PATH FIELD=VALUE...: a browser's form post as NAME
form() {
	local who=$1 path=$2 a=() f
	shift 2
	for f in "$@"; do a+=(--data-urlencode "$f"); done
	req POST "$path" "${H[@]}" -b "$COOKIE=${SESS[$who]}" --data-urlencode "_csrf=${CSRF[$who]}" "${a[@]}"
}

# ------------------------------------------------------------- load (faults)

# load_start MODE SECONDS [COOKIE [READ [HOST]]]: load in the background while a
# fault happens, one line "MS STATUS LABEL" per response under
# $T_DIR/load/ (bench/faults.lua: MODE write inserts one fixture item per
# request, read GETs READ (with COOKIE and HOST), mix both in turn; LABEL
# the label a 2xx write inserted). wrk with 16 connections when installed, else a curl loop.
# load_stop [now] waits for it (or ends it now) and leaves every line, in
# time order, in $LOAD.
LOAD=$T_DIR/load/all
load_start() {
	local mode=$1 secs=$2 cookie=${3:-} read=${4:-/api/v1/fixture/items/1} host=${5:-}
	LOAD_RUN=it$$$RANDOM
	rm -rf "$T_DIR/load"
	mkdir -p "$T_DIR/load"
	: >"$T_DIR/load/on"
	if command -v wrk >/dev/null; then
		FAULTS_MODE=$mode FAULTS_RUN=$LOAD_RUN FAULTS_OUT=$T_DIR/load FAULTS_READ=$read \
			FAULTS_COOKIE=$cookie FAULTS_HOST=$host wrk -t2 -c16 -d"$secs"s --timeout 10s \
			-s "$TP_SRC/bench/faults.lua" "$BASE/" >"$T_DIR/load/wrk.txt" 2>&1 &
	else
		(
			end=$(($(date +%s) + secs)) n=0
			while [ -e "$T_DIR/load/on" ] && (($(date +%s) < end)); do
				n=$((n + 1)) label=-
				if [ "$mode" = write ] || { [ "$mode" = mix ] && ((n % 2 == 0)); }; then
					code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
						-H 'Content-Type: application/json' -H 'Accept: application/json' \
						--data "{\"label\":\"$LOAD_RUN-1-$n\"}" "$BASE/api/v1/fixture/items" || true)
					[[ $code != 2* ]] || label=$LOAD_RUN-1-$n
				else
					code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
						-H 'Accept: application/json' ${cookie:+-H "Cookie: $cookie"} \
						${host:+-H "Host: $host"} "$BASE$read" || true)
				fi
				echo "$(date +%s%3N) $code $label"
			done >"$T_DIR/load/wrk.1"
		) &
	fi
	LOAD_PID=$!
}
load_stop() {
	rm -f "$T_DIR/load/on"
	# wrk ends early on SIGINT as at its time: lines flushed, summary written
	[ "${1:-}" != now ] || [ -z "${LOAD_PID:-}" ] || kill -INT "$LOAD_PID" 2>/dev/null || true
	[ -z "${LOAD_PID:-}" ] || wait "$LOAD_PID" || true
	LOAD_PID=
	cat "$T_DIR"/load/wrk.[0-9]* 2>/dev/null | sort -n >"$LOAD"
}
# load_count AWK-CONDITION [FROM-MS [TO-MS]]: responses matching ($2 the status)
load_count() {
	awk -v a="${2:-0}" -v b="${3:-9999999999999}" "\$1 >= a && \$1 < b && ($1) { n++ } END { print n + 0 }" "$LOAD"
}
# load_statuses [FROM-MS [TO-MS]]: "N×STATUS ..." for a diag line
load_statuses() {
	awk -v a="${1:-0}" -v b="${2:-9999999999999}" '$1 >= a && $1 < b { n[$2]++ }
		END { for (s in n) printf "%d×%s ", n[s], s }' "$LOAD"
}
# load_once: the writes that got a 2xx against fixture_items: prints "OK
# ROWS DUPLICATES MISSING" (MISSING: 2xx labels without a row)
load_once() {
	awk '$2 ~ /^2/ && $3 != "-" { print $3 }' "$LOAD" | sort >"$T_DIR/load/ok"
	sql "SELECT label FROM fixture_items WHERE label LIKE '$LOAD_RUN-%'" | sort >"$T_DIR/load/db"
	echo "$(wc -l <"$T_DIR/load/ok") $(wc -l <"$T_DIR/load/db") $(uniq -d "$T_DIR/load/db" | wc -l)" \
		"$(sort -u "$T_DIR/load/db" | comm -23 "$T_DIR/load/ok" - | wc -l)"
}
