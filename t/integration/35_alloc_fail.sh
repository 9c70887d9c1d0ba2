#!/usr/bin/env bash
# 35_alloc_fail.sh -- memory running out fails the request, not the worker.
# The test build (tools/build --sanitize: --enable-alloc-fail) fails a
# request's Nth arena allocation when asked (X-Alloc-Fail-At: N) as if
# malloc had refused it, and then says how many the request made before it
# answered (X-Alloc-Calls; only when asked, so answers stay comparable). For one route of each handler family, N is
# walked over every allocation (in steps, for the long ones): each answer
# is a clean 503 with Retry-After while the failure fell before the answer
# was decided, the route's normal answer after (or once its write
# committed, or its stream began); a write answered 503 left no row, one
# answered 2xx has its row; no worker died (the sanitizer logs, checked by
# tools/test at the end, show no leak or error). bench/faults walks every
# route.
source "$(dirname "$0")/lib.sh"

plan 14

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
WORKERS=$(worker_pids | tr '\n' ' ')
LOG_OFFSET=$(($(stat -c %s "$TP_LOG") + 1))
new_demo it35
login agent agent.north
check "agent.north signs in" test -n "${SESS[agent]}"
AGENT=(-b "$COOKIE=${SESS[agent]}" -H "X-CSRF-Token: ${CSRF[agent]}")
RUN=it35$$$RANDOM

# walk NAME METHOD PATH [curl args...]: the route without a failure (its
# status S and allocation count K), then with the Nth allocation failing
# for N = 1..K+20 (every ceil(K/120)th, then each of the last few): an
# answer is a 503 with Retry-After when N fell before the answer was
# decided (N <= that answer's own X-Alloc-Calls: a cached page makes fewer),
# S when it fell while answering or never (or, with WALK_WRITES, after the
# write committed). WALK_BODY is sent with each request, @N@ replaced by N
# (0 for the first).
walk() {
	local name=$1 method=$2 path=$3 n k s step bad=0 steps=0 fails=0 calls
	shift 3
	wreq() {
		local body=${WALK_BODY:-} nth=$1
		shift
		if [ -n "$body" ]; then
			req "$method" "$path" "$@" --data-binary "${body//@N@/$nth}"
		else
			req "$method" "$path" "$@"
		fi
	}
	: >"$T_DIR/walk503" # the Ns answered 503, and those answered S
	: >"$T_DIR/walkok"
	wreq 0 "$@" -H 'X-Alloc-Fail-At: 0' # none fails; the count comes back
	s=$STATUS k=$(header X-Alloc-Calls)
	if [ -z "$k" ]; then
		not_ok "$name: the build says how many allocations (X-Alloc-Calls; tools/build --sanitize)"
		return
	fi
	step=$(((k + 119) / 120))
	for ((n = 1; n <= k + 20; n += (n < k - 5 ? step : 1))); do
		wreq "$n" "$@" -H "X-Alloc-Fail-At: $n"
		steps=$((steps + 1))
		calls=$(header X-Alloc-Calls)
		[ "$STATUS" != 503 ] || echo "$n" >>"$T_DIR/walk503"
		[ "$STATUS" != "$s" ] || echo "$n" >>"$T_DIR/walkok"
		if [ -n "$calls" ] && ((n <= calls)); then
			fails=$((fails + 1))
			[ "$STATUS" = 503 ] && [ -n "$(header Retry-After)" ] && continue
			# a write whose failure came after its commit: its answer
			[ -n "${WALK_WRITES:-}" ] && [ "$STATUS" = "$s" ] && continue
		else
			[ "$STATUS" = "$s" ] && continue
		fi
		bad=$((bad + 1))
		[ "$bad" -gt 3 ] || diag "$name: N=$n (the answer made ${calls:-?}): $STATUS $(head -c 200 "$BODY")"
	done
	is "$bad $((fails > 0))" "0 1" \
		"$name ($method $path, $s, $k allocations): $steps walked, $fails failures answered 503 with Retry-After, the rest $s"
}

# a module's page, public (the fixture on the test brand)
walk "module page" GET /fixture/hello -H 'Accept: text/html'
# a module's JSON write: a 503 must leave no row (the commit refused)
WALK_WRITES=1 WALK_BODY="{\"label\":\"$RUN-@N@\"}" walk "module write" POST /api/v1/fixture/items \
	-H 'Content-Type: application/json' -H 'Accept: application/json'
is "$(sql "SELECT COUNT(*) FROM fixture_items WHERE label LIKE '$RUN-%' GROUP BY label HAVING COUNT(*) > 1" | wc -l)" 0 \
	"module write: no label twice"
# a write answered 503 left no row (the commit refused), one answered 201
# has its row (a failure after the commit does not turn it into a 503)
in_table() { # in_table FILE: how many of its Ns have a row
	local labels
	labels=$(sed "s/.*/'$RUN-&'/" "$1" | paste -sd,)
	sql "SELECT COUNT(*) FROM fixture_items WHERE label IN (${labels:-''})"
}
is "$(in_table "$T_DIR/walk503") $(in_table "$T_DIR/walkok")" "0 $(wc -l <"$T_DIR/walkok")" \
	"module write: no row for the $(wc -l <"$T_DIR/walk503") answered 503, one for each answered 201"
# identity: the session and the viewer (signed in, JSON)
walk "identity" GET /api/v1/me "${H[@]}" "${AGENT[@]}" -H 'Accept: application/json'
# a built-in page in the layout with the menu (HTML)
walk "built-in page" GET /profile "${H[@]}" "${AGENT[@]}" -H 'Accept: text/html'
# a grid: parameters, scope, SQL, the page
walk "grid" GET '/accounts?sort=name&limit=20' "${H[@]}" "${AGENT[@]}" -H 'Accept: text/html'
# a form post through the JSON API (a built-in write)
WALK_WRITES=1 WALK_BODY='{"name":"North Agency admin"}' walk "built-in write" PATCH /api/v1/profile "${H[@]}" "${AGENT[@]}" \
	-H 'Content-Type: application/json' -H 'Accept: application/json'
# sign-in (before any session) and the health check (any host)
WALK_WRITES=1 WALK_BODY="{\"login\":\"staff.north\",\"password\":\"$PW\"}" walk "sign-in" POST /api/v1/session "${H[@]}" \
	-H 'Content-Type: application/json' -H 'Accept: application/json'
walk "health" GET /healthz -H 'Accept: application/json'
# a stream (the brand's CSS): its status goes out first, and the reserve
# lets it finish, so a failure anywhere leaves it whole -- never cut
cut=0
for n in $(seq 1 25); do
	req GET /brand.css "${H[@]}" -H "X-Alloc-Fail-At: $n"
	[ "$STATUS" = 200 ] && grep -q '^:root {' "$BODY" || cut=$((cut + 1))
done
is "$cut" 0 "stream (GET /brand.css): with allocation 1..25 failing, each answer whole"

is "$(worker_pids | tr '\n' ' ')" "$WORKERS" "no worker died or restarted"
is "$(tail -c +"$LOG_OFFSET" "$TP_LOG" | grep -c 'killed by signal' || true)" 0 "no worker was killed by a signal"

done_testing
