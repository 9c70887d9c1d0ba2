#!/usr/bin/env bash
# 05_cache_down.sh -- Redis is a cache, not a dependency: with it stopped
# every answer stays correct (from MariaDB) and fast, /healthz stays 200, and
# once it is back the breaker closes again within a few seconds.
source "$(dirname "$0")/lib.sh"

plan 17

REDIS_STOPPED=0
# never leave Redis down for the tests that follow
on_exit() { [ "$REDIS_STOPPED" = 0 ] || stack start redis >/dev/null 2>&1 || true; }

cached() { req GET /api/v1/fixture/cached; }

# cache_is up|down: polls (each request may land on another thread)
cache_is() {
	cached
	[ "$STATUS" = 200 ] && json_has cache "\"$1\""
}

# consecutive N up|down: N answers in a row say so
consecutive() {
	local i
	for ((i = 0; i < $1; i++)); do cache_is "$2" || return 1; done
}

# the fixture caches the count for 2 s: wait for a fresh one from the db
from_db() { cached && json_has source '"db"'; }

cached
is "$STATUS" 200 "cached: 200 with Redis up"
check "cached: cache up" json_has cache '"up"'
check "cached: a fresh count from the db within 5 s" wait_until 5 from_db
COUNT=$(json_num count)
check "cached: has a count" test -n "$COUNT"

stack stop redis >/dev/null
REDIS_STOPPED=1
check "Redis is stopped" bash -c "! '$TP_SRC/tools/stack' status redis >/dev/null"

cached
is "$STATUS" 200 "cached with Redis down: 200"
check "cached with Redis down: reports cache down" wait_until 5 cache_is down
is "$(json_num count)" "$COUNT" "cached with Redis down: the same count"
check "cached with Redis down: answered from the db" json_has source '"db"'

# a write while Redis is down shows at once (nothing stale)
req_json POST /api/v1/fixture/items '{"label":"05-while-down"}'
is "$STATUS" 201 "insert with Redis down: 201"
cached
is "$(json_num count)" "$((COUNT + 1))" "count after the insert is $((COUNT + 1))"

FAILS=0 SLOW=0 MAX=0
for ((i = 0; i < 20; i++)); do
	cached
	[ "$STATUS" = 200 ] && json_has cache '"down"' || FAILS=$((FAILS + 1))
	awk -v t="$TIME" 'BEGIN { exit !(t < 1) }' || SLOW=$((SLOW + 1))
	MAX=$(awk -v a="$TIME" -v b="$MAX" 'BEGIN { print (a > b) ? a : b }')
done
is "$FAILS" 0 "20 requests with Redis down: all 200, cache down"
is "$SLOW" 0 "20 requests with Redis down: each under 1 s (slowest ${MAX}s)"

req GET /healthz -H 'Accept: application/json'
is "$STATUS" 200 "healthz with Redis down: 200"
check "healthz with Redis down: cache down" json_has cache '"down"'

stack start redis >/dev/null
REDIS_STOPPED=0
# the breaker stays open for [cache] open_ms; every thread has to find out
check "Redis back: cache up again (5 answers in a row) within 20 s" wait_until 20 consecutive 5 up
# breakers are per thread: the thread that answers /healthz may still wait
# out its own open_ms
healthz_cache_up() { healthz_status >/dev/null && json_has cache '"up"'; }
check "Redis back: healthz cache up within 10 s" wait_until 10 healthz_cache_up

done_testing
