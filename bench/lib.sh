# shellcheck shell=bash
# bench/lib.sh -- what bench/http and bench/export share: the build, the
# private stack under var/bench/stack (tools/stack with the bench's
# workers, threads and keepalive), the generated brand both measure
# (tierportctl gen, made once and kept with the stack's data) and signing
# in. Sourced after the script has set SRC, VAR and the settings below;
# it never starts or stops anything by itself.

BENCH_PASSWORD=Bench-Login-Pass-1
STACK_VAR=$VAR/stack
STACK_PORT=${BENCH_PORT:-18180}
# the generated brand: one for both scripts (grid over its accounts, the
# export over its services); its slug names its sizes, so other sizes
# make (and keep) another brand
GEN_PARTNERS=${BENCH_GEN_PARTNERS:-2000}
GEN_ACCOUNTS=${BENCH_GEN_ACCOUNTS:-200000}
GEN_SERVICES=${BENCH_GEN_SERVICES:-1000000}
GEN_SLUG=bench-p$GEN_PARTNERS-a$GEN_ACCOUNTS-s$GEN_SERVICES
GEN_HOST=$GEN_SLUG.test

die() {
	echo "$BENCH_NAME: $*" >&2
	exit 1
}
note() { echo "$BENCH_NAME: $*" >&2; }

# bench_build: BUILD = tools/build's directory (or $TP_BUILD), absolute
bench_build() {
	if [[ -n ${TP_BUILD:-} ]]; then
		BUILD=$TP_BUILD
	else
		note "building (tools/build)"
		mkdir -p "$VAR"
		BUILD=$(tools/build 2>"$VAR/build.log" | tail -n 1) ||
			die "tools/build failed: see $VAR/build.log"
	fi
	BUILD=$(cd "$BUILD" 2>/dev/null && pwd) || die "no build directory '$BUILD'"
	CTL=("$BUILD/tierportctl" -c "$STACK_VAR/etc/tierport.ini")
}

stack() {
	env TP_VAR="$STACK_VAR" TP_PORT="$STACK_PORT" TP_BUILD="$BUILD" \
		TP_MODULE_DIRS="$BUILD/t/fixtures/.libs" \
		TP_MODULE_DATA="$SRC/t/fixtures" \
		TP_BRAND_DIR="$SRC/t/fixtures/brand" \
		TP_WORKERS="$TP_WORKERS_BENCH" TP_THREADS="$TP_THREADS_BENCH" \
		TP_NGINX_WORKERS="$NGINX_WORKERS" TP_KEEPALIVE="$KEEPALIVE" \
		tools/stack "$@"
}

# bench_stack_start: the stack up and migrated (sets STACK_STARTED for the
# caller's cleanup, which runs `stack stop`)
bench_stack_start() {
	note "starting the stack under ${STACK_VAR#"$SRC"/} (port $STACK_PORT)"
	: >"$VAR/stack.log"
	stack stop >>"$VAR/stack.log" 2>&1 || true # leftovers of a killed run
	# the stack outlives a run (MariaDB's data); its access log need not
	rm -f "$STACK_VAR/log/nginx-access.log"
	STACK_STARTED=1
	stack start >>"$VAR/stack.log" 2>&1 ||
		die "tools/stack start failed: see $VAR/stack.log"
	"${CTL[@]}" migrate >>"$VAR/stack.log" 2>&1 ||
		die "migrate failed: see $VAR/stack.log"
}

# bench_sql QUERY: on the stack's database, rows tab-separated
bench_sql() {
	mariadb --defaults-file="$STACK_VAR/etc/my.cnf" -u "$(id -un)" -N -B tierport -e "$1"
}

# bench_gen: the generated brand, made by tierportctl gen on the first run
# (one transaction: a brand that exists is complete) and kept afterwards
bench_gen() {
	local n
	n=$(bench_sql "SELECT COUNT(*) FROM tenants WHERE slug = '$GEN_SLUG'") ||
		die "cannot query the stack's MariaDB"
	((n > 0)) && return 0
	note "generating $GEN_SLUG: $GEN_PARTNERS partners, $GEN_ACCOUNTS accounts, $GEN_SERVICES services (once)"
	printf '%s\n' "$BENCH_PASSWORD" | "${CTL[@]}" gen --brand "$GEN_SLUG" \
		--host "$GEN_HOST" --partners "$GEN_PARTNERS" --accounts "$GEN_ACCOUNTS" \
		--services "$GEN_SERVICES" --seed 1 --password-file - >>"$VAR/gen.log" 2>&1 ||
		die "tierportctl gen failed: see $VAR/gen.log"
	grep 'gen: committed' "$VAR/gen.log" | tail -n 1 >&2
}

# bench_login HOST LOGIN: the session cookie (NAME=VALUE) of LOGIN on HOST
bench_login() {
	curl -s -D - -o /dev/null -H "Host: $1" -H 'Content-Type: application/json' \
		--data "{\"login\":\"$2\",\"password\":\"$BENCH_PASSWORD\"}" \
		"http://127.0.0.1:$STACK_PORT/api/v1/session" |
		sed -n 's/^[Ss]et-[Cc]ookie: \(tp_session=[^;]*\).*/\1/p' | tr -d '\r'
}

median() { # NUMBER...: the median
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2]
		      else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# ratio A B: A / B to three places
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'; }
