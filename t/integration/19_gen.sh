#!/usr/bin/env bash
# 19_gen.sh -- tierportctl gen on small sizes: the counts; the closure
# tables equal the trees computed from parent_id / parent_account_id; every
# account, service, location and sub-account hangs together inside the
# brand (a service's partner is its account's, a sub-account's parent is a
# corporate account of the same partner); money columns are integers; the
# same seed on two brands gives the same data modulo ids, another seed
# other data; a brand with data is refused and left as it was; the two
# logins it prints sign in and see the accounts grid and its CSV export.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"

plan 32

CTL=${TP_BUILD:-$TP_SRC/build-san}/tierportctl
INI=$TP_VAR/etc/tierport.ini
PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
RUN=$$$RANDOM
SIZES=(--partners 50 --accounts 500 --services 1000)

gen() { # SLUG SEED [more args]: gen on host SLUG.test
	local slug=$1 seed=$2
	shift 2
	printf '%s\n' "$PW" | "$CTL" -c "$INI" gen --brand "$slug" --host "$slug.test" \
		--seed "$seed" --password-file - "$@"
}
tenant() { sql "SELECT id FROM tenants WHERE slug = '$1'"; }

# ------------------------------------------------------------- one brand

A=it19a-$RUN B=it19b-$RUN C=it19c-$RUN
out=$(gen "$A" 7 "${SIZES[@]}" 2>&1) && rc=0 || rc=$?
is "$rc" 0 "gen 50/500/1000 succeeds"
like "$out" "gen\.operator" "  and prints the operator login"
TA=$(tenant "$A")
is "$(sql "SELECT CONCAT_WS(' ',
	(SELECT COUNT(*) FROM partners WHERE tenant_id = $TA),
	(SELECT COUNT(*) FROM accounts WHERE tenant_id = $TA),
	(SELECT COUNT(*) FROM services WHERE tenant_id = $TA),
	(SELECT COUNT(*) FROM locations WHERE tenant_id = $TA AND is_bill_to),
	(SELECT COUNT(*) FROM products WHERE tenant_id = $TA),
	(SELECT COUNT(*) FROM users WHERE tenant_id = $TA))")" \
	"50 500 1000 500 15 2" "counts: partners, accounts, services, Bill To per account, products, logins"
is "$(sql "SELECT COUNT(*) FROM plan_modules pm JOIN tenants t ON t.plan_id = pm.plan_id WHERE t.id = $TA")" \
	7 "  the brand's plan has the demo's modules (the six to come and hello)"

# the closure tables against the trees their parent columns give
partner_closure_ok() { closure_equal partners parent_id partner_tree "$1"; }
check "partner_tree equals the recursive CTE over parent_id" partner_closure_ok "$TA"
check "account_tree equals the recursive CTE over parent_account_id" \
	closure_equal accounts parent_account_id account_tree "$TA"
depth=$(sql "SELECT MAX(t.depth) FROM partner_tree t JOIN partners p ON p.id = t.descendant WHERE p.tenant_id = $TA")
check "the partner tree has 4 to 6 levels (deepest: $((depth + 1)))" test "$depth" -ge 3 -a "$depth" -le 5
is "$(sql "SELECT COUNT(*) FROM partners c JOIN partners p ON p.id = c.parent_id
	WHERE c.tenant_id = $TA AND (p.tenant_id <> c.tenant_id OR p.currency <> c.currency)")" 0 \
	"every parent partner is in the brand, with the same currency"
is "$(sql "SELECT COUNT(*) FROM partners WHERE tenant_id = $TA AND parent_id IS NULL AND kind = 'agent'") \
$(sql "SELECT COUNT(DISTINCT kind) FROM partners WHERE tenant_id = $TA")" "2 3" \
	"two top-level agents, then sub-agents, then distributors"

# ------------------------------------------------------------- hanging together

is "$(sql "SELECT COUNT(*) FROM accounts a LEFT JOIN partners p ON p.id = a.partner_id
	WHERE a.tenant_id = $TA AND (p.id IS NULL OR p.tenant_id <> $TA OR p.currency <> a.currency)")" 0 \
	"every account's partner is in the brand, and gives the account its currency"
is "$(sql "SELECT COUNT(*) FROM services s LEFT JOIN accounts a ON a.id = s.account_id
	WHERE s.tenant_id = $TA AND (a.id IS NULL OR a.tenant_id <> $TA OR s.partner_id <> a.partner_id
	OR s.currency <> a.currency)")" 0 "every service's partner and currency are its account's"
is "$(sql "SELECT COUNT(*) FROM services s LEFT JOIN products p ON p.id = s.product_id
	LEFT JOIN locations l ON l.id = s.location_id
	WHERE s.tenant_id = $TA AND (p.tenant_id IS NULL OR p.tenant_id <> $TA
	OR s.periodic_charge <> p.periodic_charge OR s.one_time_charge <> p.one_time_charge
	OR s.bill_cycle <> p.bill_cycle OR (s.location_id IS NOT NULL AND l.account_id <> s.account_id))")" 0 \
	"every service has a product of the brand, its charges, and its account's address"
subs=$(sql "SELECT COUNT(*) FROM accounts WHERE tenant_id = $TA AND parent_account_id IS NOT NULL")
check "some accounts are corporate sub-accounts ($subs)" test "$subs" -gt 0
is "$(sql "SELECT COUNT(*) FROM accounts c JOIN accounts p ON p.id = c.parent_account_id
	WHERE c.tenant_id = $TA AND (p.tenant_id <> $TA OR p.kind <> 'corporate'
	OR p.partner_id <> c.partner_id OR c.kind <> 'standard')")" 0 \
	"every sub-account is a standard account under a corporate one of the same partner"
is "$(sql "SELECT COUNT(DISTINCT status) FROM accounts WHERE tenant_id = $TA") \
$(sql "SELECT COUNT(DISTINCT status) FROM services WHERE tenant_id = $TA") \
$(sql "SELECT COUNT(*) FROM accounts WHERE tenant_id = $TA AND (status = 'closed') <> (closed_at IS NOT NULL)")" \
	"3 4 0" "every account and service status occurs; closed accounts have closed_at"
is "$(sql "SELECT COUNT(*) FROM services s JOIN accounts a ON a.id = s.account_id
	WHERE s.tenant_id = $TA AND a.status = 'closed' AND s.status <> 'disconnected'")" 0 \
	"a closed account's services are disconnected"
is "$(sql "SELECT GROUP_CONCAT(DISTINCT DATA_TYPE) FROM information_schema.COLUMNS
	WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME IN ('balance', 'credit_limit',
	'warning_threshold', 'periodic_charge', 'one_time_charge')")" bigint \
	"money columns are integers (BIGINT ten-thousandths)"
neg=$(sql "SELECT COUNT(*) FROM accounts WHERE tenant_id = $TA AND balance < 0")
check "balances go both ways ($neg below zero)" test "$neg" -gt 0 -a "$neg" -lt 500
is "$(sql "SELECT COUNT(*) - COUNT(DISTINCT phone_number) FROM services
	WHERE tenant_id = $TA AND phone_number <> ''")" 0 "phone numbers are unique"

# ------------------------------------------------------------- determinism

# the brand's data without ids: every id replaced by what it names, rows in
# a natural order (services: in id order, i.e. the order gen made them)
dump() {
	local t=$1
	sql "SELECT p.name, p.kind, p.currency, IFNULL(q.name, '-'), tr.name, p.status, p.credit_limit,
		p.warning_threshold, p.created_at FROM partners p LEFT JOIN partners q ON q.id = p.parent_id
		JOIN tiers tr ON tr.id = p.tier_id WHERE p.tenant_id = $t ORDER BY p.name"
	sql "SELECT a.number, a.name, a.contact_name, a.email, a.phone, a.kind, IFNULL(c.number, '-'), a.status,
		IFNULL(a.closed_at, '-'), a.currency, a.credit_limit, a.balance, a.created_at, p.name
		FROM accounts a JOIN partners p ON p.id = a.partner_id LEFT JOIN accounts c ON c.id = a.parent_account_id
		WHERE a.tenant_id = $t ORDER BY a.number"
	sql "SELECT a.number, l.name, l.street, l.city, l.postcode, l.country, l.created_at FROM locations l
		JOIN accounts a ON a.id = l.account_id WHERE l.tenant_id = $t ORDER BY a.number, l.street"
	sql "SELECT a.number, pr.name, s.status, s.currency, s.periodic_charge, s.bill_cycle, s.one_time_charge,
		s.start_date, IFNULL(s.term_end, '-'), s.phone_number, s.btn, IFNULL(l.street, '-'), s.comments,
		s.created_at FROM services s JOIN accounts a ON a.id = s.account_id JOIN products pr ON pr.id = s.product_id
		LEFT JOIN locations l ON l.id = s.location_id WHERE s.tenant_id = $t ORDER BY s.id"
}
gen "$B" 7 "${SIZES[@]}" >/dev/null 2>&1 && rc=0 || rc=$?
is "$rc" 0 "gen again with the same seed on another brand"
TB=$(tenant "$B")
DA=$(dump "$TA" | md5sum) DB=$(dump "$TB" | md5sum)
is "$DB" "$DA" "  gives the same data modulo ids ($(dump "$TA" | wc -l) rows compared)"
check "  and its own ids" test "$(sql "SELECT COUNT(*) FROM accounts a JOIN accounts b ON a.id = b.id
	WHERE a.tenant_id = $TA AND b.tenant_id = $TB")" = 0
check "  and its closure tables are right too" partner_closure_ok "$TB"
gen "$C" 8 "${SIZES[@]}" >/dev/null 2>&1 && rc=0 || rc=$?
TC=$(tenant "$C")
DC=$(dump "$TC" | md5sum)
check "another seed gives other data" test "$rc" = 0 -a "$DC" != "$DA"

# ------------------------------------------------------------- refusals

out=$(gen "$A" 7 "${SIZES[@]}" 2>&1) && rc=0 || rc=$?
is "$rc" 1 "gen on a brand that holds data fails"
like "$out" "already holds data" "  and says so"
is "$(dump "$TA" | md5sum)" "$DA" "  and changes nothing"
"$CTL" -c "$INI" gen --brand "it19d-$RUN" --partners 0 >/dev/null 2>&1 && rc=0 || rc=$?
is "$rc $(sql "SELECT COUNT(*) FROM tenants WHERE slug = 'it19d-$RUN'")" "2 0" "--partners 0: a usage error, no brand made"

# ------------------------------------------------------------- the logins

H=(-H "Host: $A.test")
login op gen.operator partner
is "$STATUS" 201 "gen.operator signs in (no two-factor code needed)"
as op GET "/api/v1/accounts?sort=name&f.status=active&limit=50"
is "$STATUS $(json_num count)" "200 50" "  and sees a page of 50 active accounts sorted by name"
req GET "/accounts?format=csv&cols=number,name,status" "${H[@]}" -b "$COOKIE=${SESS[op]}"
is "$STATUS $(wc -l <"$BODY")" "200 501" "  its CSV export has the header and all 500 accounts"
login pa gen.partner partner
as pa GET "/api/v1/accounts?limit=500"
n=$(json_num count)
check "gen.partner sees its agent's accounts only ($n of 500)" test "$STATUS" = 200 -a "${n:-0}" -gt 0 -a "${n:-0}" -lt 500

done_testing
