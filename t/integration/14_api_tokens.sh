#!/usr/bin/env bash
# 14_api_tokens.sh -- API tokens for integrations: made and revoked with
# tierportctl, sent as "Authorization: Bearer", scoped like their user, no
# CSRF token needed (no cookie), bound to their brand, dead at once when
# revoked; last_used_at written on use (at most once a minute) and shown by
# token list.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"
# a copy of the demo brand of its own: no other script signs in to its
# logins, changes them or uses their codes
new_demo it14
DEMO_HOST=$HOST

plan 18

CTL=${TP_BUILD:-$TP_SRC/build-san}/tierportctl
INI=$TP_VAR/etc/tierport.ini
H=(-H "Host: $DEMO_HOST")

OUT=$("$CTL" -c "$INI" token add --brand "$SLUG" --login agent.north --name "it14 north")
TOKEN=$(sed -n 's/^token [0-9]* for agent.north: //p' <<<"$OUT")
TID=$(sed -n 's/^token \([0-9]*\) for .*/\1/p' <<<"$OUT")
check "token add prints a 43-character token" test "${#TOKEN}" -eq 43
is "$(sql "SELECT COUNT(*) FROM api_tokens WHERE id = '$TID' AND token_hash <> '$TOKEN'")" 1 "  only its hash is stored"
B=(-H "Authorization: Bearer $TOKEN")

req GET /api/v1/me "${H[@]}" "${B[@]}"
is "$STATUS" 200 "/api/v1/me with the token: 200"
check "  as agent.north" json_has login '"agent.north"'
USED=$(sql "SELECT last_used_at FROM api_tokens WHERE id = '$TID'")
check "  last_used_at is set by the use" test -n "$USED" -a "$USED" != NULL
req GET /api/v1/me "${H[@]}" "${B[@]}"
is "$(sql "SELECT last_used_at FROM api_tokens WHERE id = '$TID'")" "$USED" "  a second use within the minute writes nothing"
LIST=$("$CTL" -c "$INI" token list --brand "$SLUG" --user agent.north)
is "$(awk -F'\t' -v id="$TID" '$1 == id { print $2 "|" $4 "|" $5 }' <<<"$LIST")" "it14 north|$USED|-" "token list: name, last used, not revoked"
CITY=$(sql "SELECT id FROM partners WHERE name = 'City Resellers' AND tenant_id = (SELECT id FROM tenants WHERE slug = '$SLUG')")
SOUTH=$(sql "SELECT id FROM partners WHERE name = 'South Agency' AND tenant_id = (SELECT id FROM tenants WHERE slug = '$SLUG')")
req GET "/api/v1/partners/$CITY" "${H[@]}" "${B[@]}"
is "$STATUS" 200 "a partner in its subtree: 200"
req GET "/api/v1/partners/$SOUTH" "${H[@]}" "${B[@]}"
is "$STATUS" 404 "a sibling's partner: 404"
req POST "/api/v1/view/partner/$CITY" "${H[@]}" "${B[@]}"
is "$STATUS" 400 "a token cannot switch the view"

# writes need no CSRF token with a bearer token (staff.north's own profile)
STAFF=$("$CTL" -c "$INI" token add --brand "$SLUG" --login staff.north --name "it14 staff" | sed -n 's/^token [0-9]* for staff.north: //p')
req_json PATCH /api/v1/profile '{"name":"Staff via token"}' "${H[@]}" -H "Authorization: Bearer $STAFF"
is "$STATUS" 200 "a write with a token and no CSRF token: 200"
is "$(sql "SELECT name FROM users WHERE tenant_id = $T AND login = 'staff.north'")" "Staff via token" "  written"

req GET /api/v1/me -H "Host: 127.0.0.1" "${B[@]}"
is "$STATUS" 401 "the token on another brand's host: 401"
req GET /api/v1/me "${H[@]}" -H "Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
is "$STATUS" 401 "an unknown token: 401"
req GET /api/v1/me "${H[@]}" -H "Authorization: Bearer short"
is "$STATUS" 401 "a malformed token: 401"

"$CTL" -c "$INI" token revoke --brand "$SLUG" --id "$TID" >/dev/null
req GET /api/v1/me "${H[@]}" "${B[@]}"
is "$STATUS" 401 "revoked: 401 at once"
LIST=$("$CTL" -c "$INI" token list --brand "$SLUG" --user agent.north)
check "token list shows when it was revoked" test "$(awk -F'\t' -v id="$TID" '$1 == id { print $5 }' <<<"$LIST")" != -
"$CTL" -c "$INI" token revoke --brand test --id "$TID" >/dev/null 2>&1 && r=0 || r=$?
check "revoking another brand's token id is refused" test "$r" -ne 0

done_testing
