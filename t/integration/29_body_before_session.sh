#!/usr/bin/env bash
# 29_body_before_session.sh -- an anonymous client cannot make a worker
# spool an upload: for a route that needs a login the session is checked
# before the body is read, so an anonymous multipart POST of a large file
# is refused (401 for the API, 303 to the login page for a browser) with
# no temp file written in upload_dir; CSRF is still checked, after the
# parse (its token may be a form field).
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"

plan 11

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
UPLOADS=$({ sed -n 's/^upload_dir = //p' "$INI" || true; } | head -n 1)
check "upload_dir ($UPLOADS) exists" test -d "$UPLOADS"
BIG=$T_DIR/big.csv
head -c $((6 * 1024 * 1024)) /dev/zero | tr '\0' 'a' >"$BIG"

new_brand bs
op_login
as op POST /api/v1/partners '{"name":"Spool Agency","currency":"EUR"}'
P=$(json_num id)

# the directory's modification time (ns) changes with every file made or
# removed in it: an upload spooled and cleaned up still moves it
stamp() { stat -c %y "$UPLOADS"; }

S0=$(stamp)
req POST "/api/v1/partners/$P/accounts/import" "${H[@]}" -F "file=@$BIG;type=text/csv" -F mode=valid
is "$STATUS" 401 "anonymous API upload of 6 MB to a login-only route: 401"
is "$(stamp)" "$S0" "  no temp file was written in upload_dir"
req POST "/partners/$P/accounts/import" "${H[@]}" -H 'Accept: text/html' -F "file=@$BIG;type=text/csv"
is "$STATUS" 303 "anonymous browser upload: 303"
like "$(header Location)" '^/login\?next=' "  to the login page"
is "$(stamp)" "$S0" "  no temp file was written"
req POST "/api/v1/partners/$P/accounts/import" "${H[@]}" -b "$COOKIE=$(head -c 43 /dev/zero | tr '\0' 'x')" -F "file=@$BIG;type=text/csv"
is "$STATUS $(stamp)" "401 $S0" "an unknown session cookie: 401, nothing written"

# the control: a signed-in upload is parsed (so the probe sees it)
printf 'number,name,kind,currency\n' >"$T_DIR/small.csv"
S1=$(stamp)
req POST "/api/v1/partners/$P/accounts/import" "${H[@]}" -b "$COOKIE=${SESS[op]}" -H "X-CSRF-Token: ${CSRF[op]}" \
	-H 'Accept: application/json' -F "file=@$T_DIR/small.csv;type=text/csv" -F mode=valid
check "signed in, the same route parses its upload (status $STATUS)" test "$STATUS" != 401
check "  and the directory moved (the probe works)" test "$(stamp)" != "$S1"

# CSRF after the parse: a form field token still counts, a wrong one not
req POST /api/v1/profile "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: application/json' \
	-F "_csrf=wrong" -F "name=Op" -F "email=" -F "phone=" -F "billing_email=" -F "payment_email="
is "$STATUS" 403 "signed in, a multipart form with a wrong _csrf field: 403"
req POST /api/v1/profile "${H[@]}" -b "$COOKIE=${SESS[op]}" -H 'Accept: application/json' \
	-F "_csrf=${CSRF[op]}" -F "name=Op" -F "email=" -F "phone=" -F "billing_email=" -F "payment_email="
is "$STATUS" 200 "  with the right _csrf field (read from the parsed body): 200"

done_testing
