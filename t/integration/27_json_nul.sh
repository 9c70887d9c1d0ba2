#!/usr/bin/env bash
# 27_json_nul.sh -- a NUL inside a JSON string ("\u0000") is refused with a
# 400 naming the field, as a NUL in a form is, and nothing is written: the
# core hands handlers C strings, so "ab\u0000cd" would be stored as "ab".
# An escaped backslash followed by "u0000" is text, not a NUL.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"

plan 11

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_brand jn
op_login
is "$STATUS" 201 "the operator signs in"
name() { sql "SELECT name FROM users WHERE tenant_id = $T AND login = 'op'"; }
N0=$(name)

as op PATCH /api/v1/profile '{"name":"ab\u0000cd"}'
is "$STATUS" 400 "PATCH profile name \"ab\\u0000cd\": 400"
check "  naming name" json_has field '"name"'
is "$(name)" "$N0" "  nothing written"
as op PATCH /api/v1/profile '{"name":"\u0000"}'
is "$STATUS $(json_str field)" "400 name" "a name that is only a NUL: 400 naming name"
as op POST /api/v1/admin/brand '{"social":{"x":"https://x.com/a\u0000b"}}'
is "$STATUS $(json_str field)" "400 social.x" "a NUL in a nested member: 400 naming social.x"
as op POST /api/v1/partners '{"name":"A","currency":"EUR","tags":["ok","b\u0000"]}'
is "$STATUS $(json_str field)" "400 tags[1]" "a NUL in an array item: 400 naming tags[1]"
as op PATCH /api/v1/profile '{"na\u0000me":"x"}'
is "$STATUS" 400 "a NUL in a member name: 400"
is "$(name)" "$N0" "  nothing written"
as op PATCH /api/v1/profile '{"name":"ab\\u0000cd"}'
is "$STATUS" 200 "an escaped backslash then u0000 is text: 200"
is "$(sql "SELECT name = CONCAT('ab', CHAR(92), 'u0000cd') FROM users WHERE tenant_id = $T AND login = 'op'")" 1 "  stored as sent"

done_testing
