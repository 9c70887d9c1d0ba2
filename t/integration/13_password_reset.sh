#!/usr/bin/env bash
# 13_password_reset.sh -- a forgotten password by e-mail: the same answer for
# known and unknown logins, one outbox mail with a one-hour link (only the
# token's hash stored), at most three open links per user, the reset (the
# token checked first, the policy, every session ended, the login unlocked,
# a link works once and not after it expires), the HTML forms with their
# double-submit token, and `tierportctl mail send` (no server: counted as
# failures; a local SMTP sink made with socat: delivered once, never twice).
# distributor.street gets $TP_DEMO_PASSWORD and its e-mail address back.
source "$(dirname "$0")/lib.sh"
# a copy of the demo brand of its own: no other script signs in to its
# logins, changes them or uses their codes
new_demo it13
DEMO_HOST=$HOST

plan 73

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
CTL=${TP_BUILD:-$TP_SRC/build-san}/tierportctl
INI=$TP_VAR/etc/tierport.ini
command -v socat >/dev/null || { echo "1..0 # SKIP socat missing (tools/deps)"; exit 0; }
# raw: newlines in values stay newlines
sql_raw() { mariadb --socket="$TP_VAR/run/mysqld.sock" -u "$(id -un)" -N -B -r tierport -e "$1"; }

api_login() {
	req_json POST /api/v1/session "{\"login\":\"$2\",\"password\":\"$3\"}" -H "Host: $1"
	SESSION=$(set_cookie "$COOKIE")
	CSRF=$(json_str csrf_token)
}
as() {
	req "$2" "$3" -H "Host: $1" -b "$COOKIE=$SESSION" -H "X-CSRF-Token: $CSRF" -H 'Accept: application/json'
}
forgot() { req_json POST /api/v1/password/forgot "{\"login\":\"$1\"}" -H "Host: $DEMO_HOST"; }
reset() { req_json POST /api/v1/password/reset "{\"token\":\"$1\",\"new_password\":\"$2\"}" -H "Host: $DEMO_HOST"; }
hash_of() { echo "UNHEX(SHA2('$1', 256))"; }

RUN=$$
ADDR=street.$RUN@example.com
STREET=$(sql "SELECT u.id FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = '$SLUG' AND u.kind = 'partner' AND u.login = 'distributor.street'")
[ -n "$STREET" ] || { echo "Bail out! no demo user distributor.street (tools/test runs tierportctl demo)"; exit 1; }
OLD_EMAIL=$(sql "SELECT IFNULL(email, '') FROM users WHERE id = $STREET")
sql "UPDATE users SET email = '$ADDR' WHERE id = $STREET"
# links left open by an earlier run would count against the limit
sql "UPDATE password_resets SET used_at = NOW() WHERE user_id = $STREET AND used_at IS NULL"
# audit rows of this run only
A0=$(sql "SELECT IFNULL(MAX(id), 0) FROM audit_log")
audits() { sql "SELECT COUNT(*) FROM audit_log WHERE id > $A0 AND action = '$1' AND $2"; }
mails() { sql "SELECT COUNT(*) FROM mail_outbox WHERE to_addr = '$ADDR'"; }
last_token() {
	sql_raw "SELECT body FROM mail_outbox WHERE to_addr = '$ADDR' ORDER BY id DESC LIMIT 1" |
		grep -oE 'token=[A-Za-z0-9_-]+' | head -n 1 | cut -d= -f2
}

SINK_PID=
on_exit() {
	[ -z "$SINK_PID" ] || kill "$SINK_PID" 2>/dev/null || true
	sql "UPDATE users SET email = NULLIF('$OLD_EMAIL', '') WHERE id = $STREET" || true
}

# --- forgot (API)
api_login "$DEMO_HOST" distributor.street "$PW"
BEFORE_SESSION=$SESSION BEFORE_CSRF=$CSRF
ALL=$(sql "SELECT COUNT(*) FROM mail_outbox")
forgot distributor.street
is "$STATUS" 202 "forgot for a known login: 202"
KNOWN=$(body)
is "$(mails)" 1 "  one mail in the outbox"
MAIL=$(sql_raw "SELECT body FROM mail_outbox WHERE to_addr = '$ADDR'")
like "$MAIL" "^http://${DEMO_HOST//./\\.}/password/reset\\?token=[A-Za-z0-9_-]{43}\$" "  with a link holding a 43-character token"
is "$(sql "SELECT subject FROM mail_outbox WHERE to_addr = '$ADDR'")" "Reset your Demo Telecom password" "  subject names the brand"
TOKEN1=$(last_token)
is "$(sql "SELECT COUNT(*) FROM password_resets WHERE token_hash = $(hash_of "$TOKEN1") AND user_id = $STREET AND used_at IS NULL AND expires_at BETWEEN NOW() + INTERVAL 59 MINUTE AND NOW() + INTERVAL 61 MINUTE")" 1 \
	"  the token's SHA-256 stored, for one hour"
forgot "nobody.$RUN"
is "$STATUS" 202 "forgot for an unknown login: 202 as well"
is "$(body)" "$KNOWN" "  the same body"
is "$(sql "SELECT COUNT(*) FROM mail_outbox")" "$((ALL + 1))" "  and no mail"
is "$(audits password.forgot "user_id = $STREET AND detail LIKE '%\"sent\"%'")" 1 "  audited: the known login, sent"
is "$(audits password.forgot "user_id IS NULL AND detail LIKE '%unknown%'")" 1 "  audited: the unknown one, as user 0"
req_json POST /api/v1/password/forgot '{"login":""}' -H "Host: $DEMO_HOST"
is "$STATUS" 400 "an empty login: 400"
req POST /api/v1/password/forgot -H "Host: $DEMO_HOST" -H 'Accept: application/json' --data "login=distributor.street"
is "$STATUS" 400 "the API takes JSON only (no cross-site form)"
is "$(mails)" 1 "  no mail"

forgot distributor.street
forgot distributor.street
is "$(mails)" 3 "a second and a third request: three mails"
forgot distributor.street
is "$STATUS" 202 "a fourth within the hour: 202"
is "$(body)" "$KNOWN" "  the same body"
is "$(mails)" 3 "  but no fourth mail"
is "$(audits password.forgot "user_id = $STREET AND detail LIKE '%limited%'")" 1 "  audited as limited"

# --- forgot (HTML)
req GET /login -H "Host: $DEMO_HOST"
check "the sign-in page links to the form" grep -q 'href="/password/forgot"' "$BODY"
req GET /password/forgot -H "Host: $DEMO_HOST"
is "$STATUS" 200 "GET /password/forgot: 200"
PRE=$(set_cookie tp_pre)
check "  a double-submit token in form and cookie (Path=/password)" \
	bash -c "grep -q 'name=\"_csrf\" value=\"$PRE\"' '$BODY' && grep -qi '^set-cookie: tp_pre=.*Path=/password;' '$HDRS'"
req POST /password/forgot -H "Host: $DEMO_HOST" --data "login=distributor.street&as=partner"
is "$STATUS" 403 "  a post without it: 403"
req POST /password/forgot -H "Host: $DEMO_HOST" -b "tp_pre=$PRE" --data "_csrf=$PRE&login=nobody.$RUN&as=partner"
is "$STATUS" 200 "  with it: the page again"
check "  with the message" grep -q 'If that login exists and has an e-mail address, we have sent a link' "$BODY"

# --- reset
HASH_BEFORE=$(sql "SELECT password_hash FROM users WHERE id = $STREET")
reset "$(printf 'A%.0s' {1..43})" "Brand-New-Pass-88"
is "$STATUS" 400 "reset with a wrong token: 400"
check "  field token" json_has field '"token"'
check "  the one message" grep -q 'This link has expired or was already used' "$BODY"
is "$(sql "SELECT password_hash FROM users WHERE id = $STREET")" "$HASH_BEFORE" "  the password is unchanged"
req_json POST /api/v1/password/reset/check "{\"token\":\"$TOKEN1\"}" -H "Host: $DEMO_HOST"
is "$STATUS" 200 "GET the mailed link (API): valid"
reset "$TOKEN1" short
is "$STATUS" 400 "the mailed token with a weak password: 400"
check "  field new_password" json_has field '"new_password"'
is "$(sql "SELECT COUNT(*) FROM password_resets WHERE token_hash = $(hash_of "$TOKEN1") AND used_at IS NULL")" 1 "  the link still works"
is "$(sql "SELECT password_hash FROM users WHERE id = $STREET")" "$HASH_BEFORE" "  the password is unchanged"

NEWPW="Reset-Street-Pass-$RUN"
sql "UPDATE users SET failed_logins = 3, locked_until = NOW() + INTERVAL 10 MINUTE WHERE id = $STREET"
reset "$TOKEN1" "$NEWPW"
is "$STATUS" 200 "a good reset: 200"
is "$(sql "SELECT CONCAT(failed_logins, '|', IFNULL(locked_until, '-'), '|', password_changed_at > NOW() - INTERVAL 1 MINUTE) FROM users WHERE id = $STREET")" \
	"0|-|1" "  the login unlocked, the change time set"
is "$(sql "SELECT COUNT(*) FROM password_resets WHERE user_id = $STREET AND used_at IS NULL")" 0 "  every open link of the user used up"
is "$(audits password.reset "user_id = $STREET")" 1 "  audited"
SESSION=$BEFORE_SESSION CSRF=$BEFORE_CSRF
as "$DEMO_HOST" GET /api/v1/me
is "$STATUS" 401 "  the session from before the reset is dead"
api_login "$DEMO_HOST" distributor.street "$PW"
is "$STATUS" 401 "  the old password fails"
api_login "$DEMO_HOST" distributor.street "$NEWPW"
is "$STATUS" 201 "  the new one works"
reset "$TOKEN1" "Another-Pass-99"
is "$STATUS" 400 "the same link again: 400"
check "  field token" json_has field '"token"'

# the link is built from the brand's base URL, never from the Host header:
# a port (or anything else) in it does not reach the mail
req_json POST /api/v1/password/forgot '{"login":"distributor.street"}' -H "Host: $DEMO_HOST:6666"
is "$STATUS" 202 "forgot with a port in the Host header: 202"
like "$(sql_raw "SELECT body FROM mail_outbox WHERE to_addr = '$ADDR' ORDER BY id DESC LIMIT 1" | grep token=)" \
	"^http://$DEMO_HOST/password/reset\?token=[A-Za-z0-9_-]{43}$" "  the link has the brand's base URL, not the port"
TOKEN2=$(last_token)
sql "UPDATE password_resets SET expires_at = NOW() - INTERVAL 1 MINUTE WHERE token_hash = $(hash_of "$TOKEN2")"
reset "$TOKEN2" "Another-Pass-99"
is "$STATUS" 400 "an expired link: 400"
api_login "$DEMO_HOST" distributor.street "$NEWPW"
is "$STATUS" 201 "  the password is still the new one"

# --- reset (HTML): back to the demo password
req POST /password/forgot -H "Host: $DEMO_HOST" -b "tp_pre=$PRE" --data "_csrf=$PRE&login=distributor.street&as=partner"
TOKEN3=$(last_token)
check "the HTML form queues a new link" test -n "$TOKEN3" -a "$TOKEN3" != "$TOKEN2"
req GET "/password/reset?token=$TOKEN3" -H "Host: $DEMO_HOST" -b "tp_pre=$PRE"
is "$STATUS" 200 "GET /password/reset: the form"
check "  carrying the token" grep -q "name=\"token\" value=\"$TOKEN3\"" "$BODY"
is "$(header Cache-Control)" no-store "  not cached"
req POST /password/reset -H "Host: $DEMO_HOST" --data-urlencode "token=$TOKEN3" \
	--data-urlencode "new_password=$PW" --data-urlencode "confirm_password=$PW"
is "$STATUS" 403 "  a post without the double-submit token: 403"
req POST /password/reset -H "Host: $DEMO_HOST" -b "tp_pre=$PRE" --data-urlencode "_csrf=$PRE" --data-urlencode "token=$TOKEN3" \
	--data-urlencode "new_password=$PW" --data-urlencode "confirm_password=$PW"
is "$STATUS $(header Location)" "303 /login?reset=1" "  with it: on to the sign-in page"
api_login "$DEMO_HOST" distributor.street "$PW"
is "$STATUS" 201 "  \$TP_DEMO_PASSWORD works again"
req GET "/password/reset?token=$TOKEN3" -H "Host: $DEMO_HOST" -b "tp_pre=$PRE"
is "$STATUS" 400 "  the used link's page: 400"
check "  offering a new link" grep -q 'href="/password/forgot"' "$BODY"
# the API takes the token in the body only (POST .../reset/check): a
# token in a query string is written to nginx's access log
req GET "/api/v1/password/reset?token=$TOKEN3" -H "Host: $DEMO_HOST" -H 'Accept: application/json'
is "$STATUS" 405 "GET /api/v1/password/reset?token=: not answered (405)"
req_json POST /api/v1/password/reset/check "{\"token\":\"$TOKEN3\"}" -H "Host: $DEMO_HOST"
is "$STATUS" 400 "  POST .../reset/check with the used token: 400"
# nginx logs the mailed link's page with its query string hidden
ACCESS=$TP_VAR/log/nginx-access.log
check "  no reset token in nginx's access log" bash -c "! grep -qF -e '$TOKEN1' -e '$TOKEN2' -e '$TOKEN3' '$ACCESS'"
check "  the page's request is logged, without its query" grep -qF '"GET /password/reset?- HTTP/1.1"' "$ACCESS"

# --- tierportctl mail send
# free_port: a port on 127.0.0.1 nobody listens on, below the kernel's
# range for outgoing connections' own ports (one of those, in use, cannot
# be bound: a sink once failed so)
free_port() {
	local p i lo
	lo=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
	((lo > 20500)) || lo=32768
	for i in 1 2 3 4 5 6 7 8 9 10; do
		p=$((20000 + RANDOM % (lo - 20000)))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}
with_smtp() { sed "s|^smtp_url = .*|smtp_url = smtp://127.0.0.1:$1|" "$INI" >"$2"; }
pending() { sql "SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND attempts < 5"; }
# mail_send INI [args]: OUT (stdout) and RC
mail_send() {
	local ini=$1
	shift
	RC=0
	OUT=$("$CTL" -c "$ini" mail send "$@" 2>>"$T_DIR/mail.err") || RC=$?
}

DEAD=$(free_port)
with_smtp "$DEAD" "$T_DIR/dead.ini"
P=$(pending)
mail_send "$T_DIR/dead.ini"
is "$RC" 1 "mail send with no server listening: exit 1"
is "$OUT" "sent 0, failed $P" "  every pending mail counted as failed"
is "$(sql "SELECT COUNT(*) FROM mail_outbox WHERE to_addr = '$ADDR' AND sent_at IS NULL AND attempts = 1 AND last_error <> ''")" "$(mails)" \
	"  attempts + 1 and last_error on each"

# the sink: one SMTP conversation per connection (socat forks), what the
# client says goes to smtp.log
cat >"$T_DIR/sink.sh" <<'EOF'
log=$1
reply() { printf '%s\r\n' "$1"; }
reply "220 sink ESMTP"
while IFS= read -r line; do
	line=${line%$'\r'}
	printf '> %s\n' "$line" >>"$log"
	case ${line^^} in
	EHLO*) reply "250-sink" && reply "250 8BITMIME" ;;
	HELO* | MAIL* | RCPT* | RSET* | NOOP*) reply "250 ok" ;;
	DATA*)
		reply "354 go on"
		while IFS= read -r line; do
			line=${line%$'\r'}
			[ "$line" != . ] || break
			printf '%s\n' "$line" >>"$log"
		done
		reply "250 queued" ;;
	QUIT*) reply "221 bye" && exit 0 ;;
	*) reply "502 not here" ;;
	esac
done
EOF
: >"$T_DIR/smtp.log"
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$SINK"); }
# a port taken between the check and the bind: another port, up to 5 tries
for _ in 1 2 3 4 5; do
	SINK=$(free_port)
	socat "TCP-LISTEN:$SINK,bind=127.0.0.1,reuseaddr,fork" "EXEC:bash $T_DIR/sink.sh $T_DIR/smtp.log" 2>>"$T_DIR/socat.err" &
	SINK_PID=$!
	wait_until 5 listening && break
	kill "$SINK_PID" 2>/dev/null || true
	diag "the SMTP sink on port $SINK did not start: $(tail -n 1 "$T_DIR/socat.err")"
done
with_smtp "$SINK" "$T_DIR/sink.ini"
P=$(pending)
mail_send "$T_DIR/sink.ini" --limit 1
is "$RC $OUT" "0 sent 1, failed 0" "mail send --limit 1 to a local SMTP sink: one sent"
mail_send "$T_DIR/sink.ini"
is "$RC $OUT" "0 sent $((P - 1)), failed 0" "mail send: the rest sent"
is "$(sql "SELECT COUNT(*) FROM mail_outbox WHERE to_addr = '$ADDR' AND sent_at IS NULL")" 0 "  every row has sent_at"
check "  the sink got the envelope" grep -q "^> RCPT TO:<$ADDR>" "$T_DIR/smtp.log"
check "  the To header" grep -q "^To: $ADDR" "$T_DIR/smtp.log"
check "  the Subject" grep -q "^Subject: Reset your Demo Telecom password" "$T_DIR/smtp.log"
check "  From, Date and Message-ID" bash -c "grep -q '^From: \"Demo Telecom\" <portal@localhost>' '$T_DIR/smtp.log' && grep -q '^Date: ' '$T_DIR/smtp.log' && grep -q '^Message-ID: <.*@localhost>' '$T_DIR/smtp.log'"
check "  and the last link" grep -qF "/password/reset?token=$TOKEN3" "$T_DIR/smtp.log"
is "$(grep -c "^To: $ADDR" "$T_DIR/smtp.log")" "$(mails)" "  each mail once"
is "$(sql "SELECT COUNT(*) FROM mail_outbox WHERE to_addr = '$ADDR' AND (body <> '' OR sent_at IS NULL)")" 0 \
	"  a sent mail's body is not kept (no reset link left in the outbox)"
mail_send "$T_DIR/sink.ini"
is "$RC $OUT" "0 sent 0, failed 0" "a second run sends nothing"
# anything but the per-mail lines (TP1011 sent, TP1012 failed) is news
if grep -vqE 'TP101[12]:' "$T_DIR/mail.err"; then diag "mail send said: $(grep -vE 'TP101[12]:' "$T_DIR/mail.err" | tail -n 5)"; fi

done_testing
