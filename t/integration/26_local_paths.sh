#!/usr/bin/env bash
# 26_local_paths.sh -- the places that send a browser on to an address the
# request named (login's next=, the grid's back=) go to a local path only:
# one "/" then a path character, no control character, no backslash,
# nothing stripped first. Browsers drop tabs and newlines from a URL and
# read "\" as "/", so "/<TAB>/evil.example" is "//evil.example" to them.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"

plan 16

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand lp
op_login
as op POST /api/v1/partners '{"name":"Path Agency","currency":"EUR"}'
P=$(json_num id)
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$P" \
	--login pat --password-file - --group partner-admin >/dev/null

# signin NEXT: a browser sign-in as pat with next=NEXT; the Location
signin() {
	req GET /login "${H[@]}"
	local pre csrf
	pre=$(set_cookie tp_pre)
	csrf=$(grep -oE 'name="_csrf" value="[^"]*"' "$BODY" | sed -E 's/.*value="([^"]*)"/\1/')
	req POST /login "${H[@]}" -b "tp_pre=$pre" --data-urlencode "_csrf=$csrf" \
		--data-urlencode "login=pat" --data-urlencode "password=$PW" \
		--data-urlencode "as=partner" --data-urlencode "next=$1"
	SESSION=$(set_cookie "$COOKIE")
	header Location
}

TAB=$'\t'
is "$(signin /accounts?sort=name)" "/accounts?sort=name" "next=/accounts?sort=name: kept"
is "$(signin "/${TAB}/evil.example")" "/" "next=/<TAB>/evil.example: home instead"
is "$(signin "/${TAB}evil.example")" "/" "next=/<TAB>evil.example: home instead"
is "$(signin "//evil.example")" "/" "next=//evil.example: home instead"
is "$(signin '/\evil.example')" "/" 'next=/\evil.example: home instead'
is "$(signin '/a\b')" "/" "next with a backslash anywhere: home instead"
is "$(signin " /evil.example")" "/" "next with a leading space: home instead"
is "$(signin "https://evil.example/")" "/" "next=https://evil.example/: home instead"
is "$(signin "/%09/evil.example")" "/%09/evil.example" "next=/%09/evil.example stays a path (kept as it is)"

# the login form carries next into its hidden field: the same check
req GET "/login?next=%2F%09%2Fevil.example" "${H[@]}"
unlike "$(body)" 'evil\.example' "the form for next=/%09... (a tab once decoded) does not carry it"
req GET "/login?next=%2Fpartners" "${H[@]}"
like "$(body)" 'name="next" value="/partners"' "the form for next=/partners carries it"

# the grid's column chooser sends the browser back= where it came from
signin /accounts >/dev/null # here, not in $(...): it sets SESSION
CSRF_P=$(sql "SELECT csrf_token FROM sessions WHERE token_hash = UNHEX(SHA2('$SESSION', 256))")
back() {
	req POST /grids/accounts/columns "${H[@]}" -b "$COOKIE=$SESSION" \
		--data-urlencode "_csrf=$CSRF_P" --data-urlencode "reset=1" --data-urlencode "back=$1"
	echo "$STATUS $(header Location)"
}
is "$(back /accounts?sort=name)" "303 /accounts?sort=name" "back=/accounts?sort=name: 303 there"
is "$(back "/${TAB}/evil.example")" "303 /" "back=/<TAB>/evil.example: 303 home"
is "$(back '/\evil.example')" "303 /" 'back=/\evil.example: 303 home'
is "$(back "//evil.example")" "303 /" "back=//evil.example: 303 home"
is "$(back "/x${TAB}y")" "303 /" "back with a control character inside: 303 home"

done_testing
