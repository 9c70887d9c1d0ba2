#!/usr/bin/env bash
# 07_tierportctl.sh -- the command line: migrations apply once and in order,
# a changed applied migration is refused, check-config reports the config,
# modules, DB and cache and fails on a typo'd key or a refused module;
# tierportd -t validates a config.
source "$(dirname "$0")/lib.sh"

plan 22

BUILD=${TP_BUILD:-$TP_SRC/build-san}
CTL=$BUILD/tierportctl
INI=$TP_VAR/etc/tierport.ini
MY_SOCK=$TP_VAR/run/mysqld.sock
admin_sql() { mariadb --socket="$MY_SOCK" -u "$(id -un)" -N -B tierport -e "$1"; }

# run CMD...: output in $OUT, status in $RC
run() { RC=0; OUT=$("$@" 2>&1) || RC=$?; }

run "$CTL" -c "$INI" migrate
is "$RC" 0 "migrate again: exit 0"
like "$OUT" '^0 migration\(s\) applied' "migrate again applies nothing"
run "$CTL" -c "$INI" migrate --dry-run
like "$OUT" '0 migration\(s\) pending' "dry run: nothing pending"

# a private copy of the core migrations plus a new one
SQL=$T_DIR/sql
mkdir -p "$SQL"
cp "$TP_SRC"/sql/*.sql "$SQL/"
cat >"$SQL/900_it_probe.sql" <<'SQLEOF'
CREATE TABLE it_probe (id INT PRIMARY KEY);
INSERT INTO it_probe VALUES (1), (2);
SQLEOF
sed "s|^sql_dir = .*|sql_dir = $SQL|" "$INI" >"$T_DIR/new.ini"
run "$CTL" -c "$T_DIR/new.ini" migrate --dry-run
like "$OUT" 'would apply core/900_it_probe.sql' "dry run names the new migration"
is "$(admin_sql 'SELECT COUNT(*) FROM information_schema.tables WHERE table_name = "it_probe"')" 0 "dry run changed nothing"
run "$CTL" -c "$T_DIR/new.ini" migrate
like "$OUT" 'applied core/900_it_probe.sql' "the new migration is applied"
is "$(admin_sql 'SELECT COUNT(*) FROM it_probe')" 2 "its statements all ran"
run "$CTL" -c "$T_DIR/new.ini" migrate
like "$OUT" '^0 migration\(s\) applied' "and only once"
echo "-- edited after it ran" >>"$SQL/900_it_probe.sql"
run "$CTL" -c "$T_DIR/new.ini" migrate
check "a changed applied migration: exit non-zero" test "$RC" -ne 0
like "$OUT" 'changed after it was applied' "a changed applied migration is named"
admin_sql "DROP TABLE it_probe; DELETE FROM schema_migrations WHERE name = '900_it_probe.sql'"

# every module of the stack's [modules] dir (the fixture and modules/)
MODDIR=$(sed -n 's/^dir = //p' "$INI" | head -n 1)
NMODS=$(for d in ${MODDIR//:/ }; do ls "$d"/*.so; done 2>/dev/null | wc -l)
run "$CTL" -c "$INI" check-config
is "$RC" 0 "check-config: exit 0"
like "$OUT" "modules: $NMODS loaded, 0 refused" "check-config: the fixture module and modules/ load ($NMODS)"
like "$OUT" 'database: ok' "check-config: database ok"

sed 's|^\[server\]|[server]\nthreds = 4|' "$INI" >"$T_DIR/typo.ini"
run "$CTL" -c "$T_DIR/typo.ini" check-config
like "$RC $OUT" '^[1-9].*\[server\] threds: unknown key' "check-config: a typo'd key fails, named"
run "$BUILD/tierportd" -t -c "$T_DIR/typo.ini"
check "tierportd -t refuses the typo too" test "$RC" -ne 0
run "$CTL" -c "$INI" check-config
like "$OUT" 'key store: ok \(current key [0-9]+\)' "check-config: the key store loads"
sed "s|^key_file = .*|key_file = $T_DIR/no.keys|" "$INI" >"$T_DIR/nokeys.ini"
run "$BUILD/tierportd" -t -c "$T_DIR/nokeys.ini"
like "$RC $OUT" '^1 .*key store: .*no.keys: cannot open' "tierportd -t: no key file, refused and named"
run "$CTL" -c "$T_DIR/nokeys.ini" check-config
is "$RC" 1 "check-config: no key file, exit 1"
like "$OUT" 'key store: [^[:cntrl:]]*no.keys: cannot open' "  naming it"

sed "s|^dir = .*|dir = $MODDIR:$BUILD/t/fixtures/bad/.libs|" "$INI" >"$T_DIR/bad.ini"
run "$CTL" -c "$T_DIR/bad.ini" check-config
is "$RC" 1 "check-config with refused modules: exit 1"
like "$OUT" 'badabi.so refused: ABI major mismatch' "check-config: the wrong ABI is named"
like "$OUT" "modules: $NMODS loaded, 4 refused" "check-config: counts what loaded and what was refused"

done_testing
