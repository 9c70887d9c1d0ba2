#!/usr/bin/env bash
# 08_identity_cli.sh -- tierportctl brand add / user add / demo / routes
# against the stack's MariaDB: a brand gets its tiers and groups, a taken
# host is refused whole, the demo trees are right in their closure tables,
# a weak password writes nothing, hashes are argon2id, a second demo run
# creates nothing, and routes lists core and module routes. Brand slugs and
# hosts carry a per-run suffix, so the script can run again on one stack.
source "$(dirname "$0")/lib.sh"

plan 37

BUILD=${TP_BUILD:-$TP_SRC/build-san}
CTL=$BUILD/tierportctl
INI=$TP_VAR/etc/tierport.ini
MY_SOCK=$TP_VAR/run/mysqld.sock
admin_sql() { mariadb --socket="$MY_SOCK" -u "$(id -un)" -N -B tierport -e "$1"; }

# run CMD...: output (stdout and stderr) in $OUT, status in $RC
run() { RC=0; OUT=$("$@" 2>&1) || RC=$?; }
# runs CMD... with the stdin given as the first argument
run_in() {
	local input=$1
	shift
	RC=0
	OUT=$("$@" 2>&1 <<<"$input") || RC=$?
}

RUN=$$$RANDOM
A=it08a-$RUN
B=it08b-$RUN
export TP_DEMO_PASSWORD=${TP_DEMO_PASSWORD:-Demo-Test-Pass-1}

# ------------------------------------------------------------ brand add
run "$CTL" -c "$INI" brand add --slug "$A" --name "IT 08 A" --plan "it08-$RUN" \
	--host "WWW.$A.Test" --host "$A.test:8080" --module invoices --module tickets
is "$RC" 0 "brand add: exit 0"
like "$OUT" "^brand $A: id [0-9]+$" "brand add prints the slug and id"
TA=$(admin_sql "SELECT id FROM tenants WHERE slug = '$A'")
is "$(admin_sql "SELECT GROUP_CONCAT(host ORDER BY host) FROM tenant_hosts WHERE tenant_id = '$TA'")" \
	"$A.test,www.$A.test" "hosts stored lower-cased, without the port"
is "$(admin_sql "SELECT GROUP_CONCAT(CONCAT(name, ':', rank_no, ':', points_threshold, ':', support_level) ORDER BY rank_no) FROM tiers WHERE tenant_id = '$TA'")" \
	"Bronze:1:0:standard,Silver:2:1000:standard,Gold:3:5000:priority,Platinum:4:20000:dedicated" \
	"the default tiers"
is "$(admin_sql "SELECT COUNT(*) FROM tier_modules m JOIN tiers t ON t.id = m.tier_id WHERE t.tenant_id = '$TA'")" \
	8 "every tier enables every plan module"
is "$(admin_sql "SELECT GROUP_CONCAT(module ORDER BY module) FROM plan_modules m JOIN plans p ON p.id = m.plan_id WHERE p.name = 'it08-$RUN'")" \
	"invoices,tickets" "the plan was created with its modules"
is "$(admin_sql "SELECT GROUP_CONCAT(CONCAT(g.name, '/', g.kind, '/', r.area, '=', r.rights) ORDER BY g.name, r.area) FROM rights_groups g JOIN group_rights r ON r.group_id = g.id WHERE g.tenant_id = '$TA'")" \
	"customer/customer/accounts=1,customer/customer/billing=1,customer/customer/profile=15,customer-admin/customer/accounts=1,customer-admin/customer/billing=5,customer-admin/customer/profile=15,customer-admin/customer/users=15,partner-admin/partner/accounts=15,partner-admin/partner/billing=1,partner-admin/partner/commissions=3,partner-admin/partner/funds=3,partner-admin/partner/partners=15,partner-admin/partner/profile=15,partner-admin/partner/users=15,partner-staff/partner/accounts=1,partner-staff/partner/billing=1,partner-staff/partner/commissions=1,partner-staff/partner/funds=1,partner-staff/partner/partners=1,partner-staff/partner/profile=15,partner-staff/partner/users=1" \
	"the default rights groups"

NT=$(admin_sql "SELECT COUNT(*) FROM tenants")
run "$CTL" -c "$INI" brand add --slug "$B" --name "IT 08 B" \
	--host "fresh.$B.test" --host "$A.TEST"
check "a second brand with a taken host: exit non-zero" test "$RC" -ne 0
like "$OUT" "host $A\\.test already belongs to brand $A" "the message names the host and its brand"
is "$(admin_sql "SELECT COUNT(*) FROM tenants")" "$NT" "no second tenant row"
is "$(admin_sql "SELECT COUNT(*) FROM tenant_hosts WHERE host LIKE '%$B%'")" 0 "none of its hosts either"

# a failure half-way (a trigger refuses the second host) leaves nothing
TRIGGER=it08_fail_$RUN
on_exit() { admin_sql "DROP TRIGGER IF EXISTS $TRIGGER" || true; }
mariadb --socket="$MY_SOCK" -u "$(id -un)" --delimiter='//' tierport -e \
	"CREATE TRIGGER $TRIGGER BEFORE INSERT ON tenant_hosts FOR EACH ROW BEGIN
	 IF NEW.host = 'boom.$B.test' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'it08 probe'; END IF;
	 END//"
run "$CTL" -c "$INI" brand add --slug "$B" --name "IT 08 B" --plan "it08b-$RUN" \
	--host "ok.$B.test" --host "boom.$B.test"
like "$RC $OUT" '^[1-9].*it08 probe' "a brand add failing half-way: exit non-zero, the error shown"
is "$(admin_sql "SELECT CONCAT((SELECT COUNT(*) FROM tenants WHERE slug = '$B'), '/', (SELECT COUNT(*) FROM plans WHERE name = 'it08b-$RUN'), '/', (SELECT COUNT(*) FROM tenant_hosts WHERE host = 'ok.$B.test'))")" \
	"0/0/0" "and rolled back: no tenant, plan or host left"
on_exit

run "$CTL" -c "$INI" brand add --slug "$B" --name "IT 08 B" --host "x.$B.test" --module "Bad Module"
check "a bad module name: exit non-zero" test "$RC" -ne 0
like "$OUT" 'not a module name' "the bad module name is refused with a message"

# ------------------------------------------------------------ demo
NT=$(admin_sql "SELECT COUNT(*) FROM tenants")
run "$CTL" -c "$INI" demo
is "$RC" 0 "demo: exit 0"
like "$OUT" 'distributor\.street' "demo prints the partner logins"
like "$OUT" '100002 .*corporate admin' "demo prints the corporate customer login"
DEMO=$(admin_sql "SELECT id FROM tenants WHERE slug = 'demo'")
pid() { admin_sql "SELECT id FROM partners WHERE tenant_id = '$DEMO' AND name = '$1'"; }
is "$(admin_sql "SELECT GROUP_CONCAT(CONCAT(p.name, ':', t.depth) ORDER BY t.depth) FROM partner_tree t JOIN partners p ON p.id = t.ancestor WHERE t.descendant = '$(pid 'Street Distribution')'")" \
	"Street Distribution:0,City Resellers:1,North Agency:2" \
	"partner_tree: the distributor's ancestors and depths"
is "$(admin_sql "SELECT COUNT(*) FROM partner_tree WHERE (ancestor = '$(pid 'South Agency')' OR descendant = '$(pid 'South Agency')') AND ancestor <> descendant")" \
	0 "partner_tree: South Agency is a separate tree"
is "$(admin_sql "SELECT GROUP_CONCAT(CONCAT(d.number, ':', t.depth) ORDER BY d.number) FROM account_tree t JOIN accounts a ON a.id = t.ancestor JOIN accounts d ON d.id = t.descendant WHERE a.tenant_id = '$DEMO' AND a.number = '100002'")" \
	"100002:0,100003:1,100004:1" "account_tree: Globex Corp and its two sub-accounts"
is "$(admin_sql "SELECT GROUP_CONCAT(CONCAT(u.login, ':', u.is_admin, ':', r.area, '=', r.rights) ORDER BY r.area) FROM users u JOIN user_rights r ON r.user_id = u.id WHERE u.tenant_id = '$DEMO' AND u.login = 'staff.north'")" \
	"staff.north:0:accounts=1,staff.north:0:billing=1,staff.north:0:commissions=1,staff.north:0:funds=1,staff.north:0:partners=1,staff.north:0:profile=15,staff.north:0:users=1" "the staff user got the partner-staff rights"

# ------------------------------------------------------------ user add
NU=$(admin_sql "SELECT COUNT(*) FROM users")
printf 'alllowercase\n' >"$T_DIR/weak"
run "$CTL" -c "$INI" user add --brand "$A" --kind operator --login "op-$RUN" \
	--password-file "$T_DIR/weak"
check "user add with a weak password: exit non-zero" test "$RC" -ne 0
like "$OUT" 'at least two of' "the message says what the password lacks"
is "$(admin_sql "SELECT COUNT(*) FROM users")" "$NU" "no user row written"

printf 'Good-Pass-%s\n' "$RUN" >"$T_DIR/good"
run "$CTL" -c "$INI" user add --brand "$A" --kind operator --login "op-$RUN" \
	--password-file "$T_DIR/good" --name "IT operator" --admin
is "$RC" 0 "user add with --password-file: exit 0"
like "$(admin_sql "SELECT password_hash FROM users WHERE tenant_id = '$TA' AND login = 'op-$RUN'")" \
	'^\$argon2id\$' "the stored hash is argon2id"
run "$CTL" -c "$INI" user add --brand "$A" --kind operator --login "op-$RUN" \
	--password-file "$T_DIR/good"
like "$RC $OUT" "^[1-9].*login op-$RUN is taken" "the same login again: refused, named"

run_in "Stdin-Pass-$RUN" "$CTL" -c "$INI" user add --brand demo --kind customer \
	--account 100003 --login "c-$RUN" --password-file - --group customer
is "$RC" 0 "user add reading the password from stdin"
is "$(admin_sql "SELECT CONCAT(a.number, ':', IFNULL(u.partner_id, 'null'), ':', r.area, '=', r.rights) FROM users u JOIN accounts a ON a.id = u.account_id JOIN user_rights r ON r.user_id = u.id WHERE u.tenant_id = '$DEMO' AND u.login = 'c-$RUN' ORDER BY r.area" | tr '\n' ' ')" \
	"100003:null:accounts=1 100003:null:billing=1 100003:null:profile=15 " "a customer user: its account, no partner, the group's rights"

# ------------------------------------------------------------ demo again
counts() { admin_sql "SELECT CONCAT((SELECT COUNT(*) FROM tenants), '/', (SELECT COUNT(*) FROM users), '/', (SELECT COUNT(*) FROM partners), '/', (SELECT COUNT(*) FROM accounts))"; }
BEFORE=$(counts)
run "$CTL" -c "$INI" demo
is "$RC" 0 "demo again: exit 0"
like "$OUT" 'nothing created' "demo again says it created nothing"
is "$(grep -cE '^(operator|partner|customer) ' <<<"$OUT")" 11 "demo again prints all 11 logins"
is "$(counts)" "$BEFORE" "demo again: tenants/users/partners/accounts unchanged"

# ------------------------------------------------------------ routes
run "$CTL" -c "$INI" routes
ROUTES=$OUT
like "$ROUTES" $'^GET\t/healthz\t' "routes lists /healthz"
like "$ROUTES" $'^GET\t/fixture/hello\t' "routes lists /fixture/hello"
like "$ROUTES" $'^GET\t/api/v1/fixture/items/\\{id\\}\t' "routes lists /api/v1/fixture/items/{id}"

done_testing
