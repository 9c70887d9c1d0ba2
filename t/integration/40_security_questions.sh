#!/usr/bin/env bash
# 40_security_questions.sh -- issue 10's profile: security questions from the
# brand's list (made on first use), answered on the profile with the current
# password (bad input: the field named, nothing stored; the answers stored
# only as argon2id hashes, never echoed, logged or audited), checked by
# staff on the user's page (matches or not, never the answer; case and
# spaces ignored; five wrong answers in the hour lock the check; a login out
# of view is a 404 like a missing one); the operator edits the list (a
# question taken off still checks); the customer's profile shows its Bill To.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"

PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_demo secq

plan 60

user_id() { sql "SELECT id FROM users WHERE tenant_id = $T AND login = '$1'"; }
U1=$(user_id 100001) U5=$(user_id 100005)
answers() { sql "SELECT COUNT(*) FROM security_answers WHERE user_id = $1"; }
field_is() { is "$STATUS $(json_str field)" "400 $1" "$2"; }

login c1 100001 customer
as c1 GET /api/v1/profile
is "$STATUS" 200 "a customer's profile"
Q1=$(grep -oE '"security_question_1": *\[ *\{ *"id": *"[0-9]+"' "$BODY" | grep -oE '[0-9]+' | tail -n 1)
is "$(sql "SELECT COUNT(*) FROM security_questions WHERE tenant_id = $T AND active = 1")" 6 \
	"  the brand's questions were made on first use: six"
Q2=$(sql "SELECT id FROM security_questions WHERE tenant_id = $T ORDER BY position LIMIT 1 OFFSET 1")
Q3=$(sql "SELECT id FROM security_questions WHERE tenant_id = $T ORDER BY position LIMIT 1 OFFSET 2")
is "$Q1" "$(sql "SELECT id FROM security_questions WHERE tenant_id = $T ORDER BY position LIMIT 1")" \
	"  the first option is the first question"
check "  none answered yet" json_has security_questions_set '\[\]'

# bad input: the field named, nothing stored
set_q() { as c1 POST /api/v1/profile/security-questions "{\"question_1\":\"$1\",\"answer_1\":\"$2\",\"question_2\":\"$3\",\"answer_2\":\"$4\",\"current_password\":\"${5:-$PW}\"}"; }
OTHER=$(sql "SELECT id FROM security_questions WHERE tenant_id <> $T LIMIT 1")
set_q "$Q1" "Paris" "$Q1" "Rex"
field_is question_2 "the same question twice: 400 question_2"
set_q "${OTHER:-999999999}" "Paris" "$Q2" "Rex"
field_is question_1 "another brand's question: 400 question_1"
set_q "abc" "Paris" "$Q2" "Rex"
field_is question_1 "junk for a question: 400 question_1"
set_q "$Q1" " p " "$Q2" "Rex"
field_is answer_1 "a one-letter answer: 400 answer_1"
set_q "$Q1" "Paris" "$Q2" "$(printf 'x%.0s' {1..129})"
field_is answer_2 "an answer over 128 characters: 400 answer_2"
set_q "$Q1" "Paris" "$Q2" "Rex" "not-the-password"
field_is current_password "a wrong current password: 400 current_password"
is "$(answers "$U1")" 0 "  nothing stored by any of them"

A0=$(sql "SELECT IFNULL(MAX(id), 0) FROM audit_log")
set_q "$Q1" "  Paris   Bakery " "$Q2" "Rex"
is "$STATUS" 200 "two questions answered with the current password"
is "$(answers "$U1")" 2 "  two answers stored"
like "$(sql "SELECT GROUP_CONCAT(LEFT(answer_hash, 10)) FROM security_answers WHERE user_id = $U1")" '^\$argon2id\$,\$argon2id\$$' \
	"  as argon2id hashes"
is "$(sql "SELECT COUNT(*) FROM security_answers WHERE user_id = $U1 AND (answer_hash LIKE '%aris%' OR answer_hash LIKE '%Rex%')")" 0 \
	"  the answers themselves nowhere in the row"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE id > $A0 AND action = 'security_questions.set' AND user_id = $U1")" 1 \
	"  one audit line"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE id > $A0 AND (detail LIKE '%aris%' OR detail LIKE '%Rex%')")" 0 \
	"  which does not hold the answers"
as c1 GET /api/v1/profile
like "$(body)" '"slot": *1, *"question": *"What was the name of your first pet\?"' "the profile names the first question answered"
unlike "$(body)" 'Paris|Rex|argon2' "  and never an answer or its hash"

# the HTML form: the page again with the message, the choice kept, the
# answers not echoed; the Bill To in the contact information
page c1 /profile
like "$(body)" '<h2>Contact information</h2>' "the HTML profile: a contact information section"
like "$(body)" '<address class="bill-to">' "  with the account's Bill To address"
like "$(body)" "<option value=\"$Q2\" selected>" "  the second select shows the chosen question"
form c1 /profile/security-questions "question_1=$Q3" "answer_1=Secret Answer" "question_2=$Q3" "answer_2=Other" "current_password=$PW"
is "$STATUS" 400 "the form with one question twice: 400"
like "$(body)" 'Choose two different questions' "  the message in words"
like "$(body)" "<select id=\"question_2\" name=\"question_2\" required><option value=\"$Q1\">.*<option value=\"$Q3\" selected>" \
	"  the choice kept"
unlike "$(body)" 'Secret Answer' "  the typed answer not echoed"

# staff check an answer on the login's page: the operator (the support
# desk) for a customer's login, a partner for its own staff's
login op operator partner "$PW" "$(oathtool --totp -b "${TP_DEMO_TOTP_SECRET:?}")"
chk() { as "$1" POST "/api/v1/users/$2/security-check" "{\"slot\":\"$3\",\"answer\":\"$4\"}"; }
chk op "$U1" 1 "paris bakery"
is "$STATUS" 200 "the operator checks 100001's first answer"
check "  it matches (case and spaces ignored)" json_has matches true
unlike "$(body)" 'argon2|Paris' "  the answer and its hash never in the answer"
chk op "$U1" 2 "Rax"
check "a wrong second answer: does not match" json_has matches false
chk op "$U1" 3 "Rex"
field_is slot "a third question: 400 slot"
chk op "$U1" 1 ""
field_is answer "no answer: 400 answer"
chk op "$U5" 1 "x"
is "$STATUS $(json_str field)" "400 slot" "a login without answers: 400, said so"
like "$(json_str message)" 'has not answered' "  in words"
login north agent.north partner
chk north "$U1" 1 "paris bakery"
is "$STATUS" 404 "a customer's login is not in agent.north's users view: 404"
chk north 999999999 1 "x"
is "$STATUS" 404 "  as a missing one"
login staff staff.north partner
as staff POST /api/v1/profile/security-questions "{\"question_1\":\"$Q2\",\"answer_1\":\"Lyon\",\"question_2\":\"$Q3\",\"answer_2\":\"Saint Ex\",\"current_password\":\"$PW\"}"
is "$STATUS" 200 "staff.north answers two questions"
chk north "$(user_id staff.north)" 2 "saint ex"
check "  agent.north checks its staff's answer: matches" json_has matches true
login c5 100005 customer
as c5 POST "/api/v1/users/$U1/security-check" '{"slot":"1","answer":"x"}'
is "$STATUS" 403 "a customer login without the users right: 403"

# the operator edits the list: the second question taken off still checks
as op GET /api/v1/admin/security-questions
is "$STATUS $(json_num count)" "200 6" "the operator's list: six questions"
lst() { as op POST /api/v1/admin/security-questions "{\"questions\":\"$1\"}"; }
lst 'What was the name of your first pet?\nWhat was the name of your first pet?'
field_is questions "a question twice: 400 questions"
lst 'Only one?'
field_is questions "one question (a login chooses two): 400 questions"
is "$(sql "SELECT COUNT(*) FROM security_questions WHERE tenant_id = $T AND active = 1")" 6 "  nothing changed"
lst 'What was the name of your first pet?\n  What is your favourite band?  \nWhich was your first phone number?\n'
is "$STATUS" 200 "a list of three: the first kept, two new"
is "$(sql "SELECT GROUP_CONCAT(question ORDER BY position SEPARATOR '|') FROM security_questions WHERE tenant_id = $T AND active = 1")" \
	"What was the name of your first pet?|What is your favourite band?|Which was your first phone number?" \
	"  the active list, in order, trimmed"
chk op "$U1" 2 "REX"
check "the answer to a question taken off the list still checks" json_has matches true
as c1 GET /api/v1/profile
is "$(grep -o '"question": *"[^"]*"' "$BODY" | sort -u | wc -l)" 4 "the profile offers the three (and names the two answered)"
as c1 GET /api/v1/admin/security-questions
like "$STATUS" '^40[34]$' "a customer cannot open the operator's list"

# five wrong answers within the hour lock the check
for i in 1 2 3; do chk op "$U1" 1 "wrong $i"; done
is "$(sql "SELECT secq_failures FROM users WHERE id = $U1")" 4 "four wrong answers counted"
chk op "$U1" 1 "wrong 5"
check "  the fifth: does not match" json_has matches false
A1=$(sql "SELECT IFNULL(MAX(id), 0) FROM audit_log")
chk op "$U1" 1 "paris bakery"
is "$STATUS" 409 "then even the right answer is refused: 409"
like "$(json_str message)" 'locked until the hour is over' "  saying why"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE id > $A1")" 0 "  and nothing is checked or audited"
is "$(sql "SELECT COUNT(*) FROM audit_log WHERE id > $A0 AND action = 'security_answer.check' AND user_id = (SELECT id FROM users WHERE tenant_id = $T AND login = 'operator')")" 7 \
	"every check the operator made is audited (7)"

# the HTML user page: the form with the questions, the result in words
page op "/users/$(user_id 100004)"
like "$(body)" 'This login has not answered security questions' "a login without answers: said so on its page"
page op "/users/$U5"
unlike "$(body)" 'security-check' "  and no check form"
page north "/users/$(user_id staff.north)"
like "$(body)" '<form method="post" action="/users/[0-9]+/security-check"' "staff.north's page: the check form"
like "$(body)" 'In which city were you born\?' "  naming its questions"
form north "/users/$(user_id staff.north)/security-check" slot=1 answer=Paris
is "$STATUS" 200 "a browser's check"
like "$(body)" 'In which city were you born\?: the answer does not match' "  says in words it does not match"
done_testing
