#!/usr/bin/env bash
# 39_grid_answers.sh -- the grid's answers, byte for byte: pages of the core
# grids (/accounts, /partners) and of a module's grid (/invoices, the
# invoices module) in HTML and JSON -- default, sorted, filtered, paged,
# grouped, as the operator and as a partner login (whose scope narrows the
# rows) -- compared against the files saved under t/integration/answers/
# (issue 15: the render path may change, its output may not).
#
# The fixture is deterministic: its own brand "Grid answers", fixed names,
# numbers, amounts and dates, and fixed ids (partners, accounts and invoices
# take explicit ids BASE+n, BASE the next million above every id already
# in those tables, so the ids differ run to run only in their millions).
# Masked before comparing, because they must differ run to run (and only
# these):
#   - the run's slug and host (it39-<run>)          -> it39-RUN
#   - the ids' million (BASE+n, n < 1000)           -> ID<n>
#   - CSRF tokens (hidden _csrf fields, "csrf_token") -> CSRF
#   - the request id in the footer ("reference")    -> REQID
# There is no "as of" time or idempotency key on these pages.
#
# GRID_ANSWERS_SAVE=1 writes the answers instead of comparing (only on a
# change whose every difference is intended; say which in the commit).
source "$(dirname "$0")/lib.sh"

ANSWERS=$TP_SRC/t/integration/answers
PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}

# the cases: NAME WHO FORMAT PATH
CASES=(
	"accounts-default op html /accounts"
	"accounts-default op json /accounts"
	"accounts-sorted op html /accounts?sort=-balance&f.status=active&limit=4"
	"accounts-sorted op json /accounts?sort=-balance&f.status=active&limit=4"
	"accounts-filtered op html /accounts?f.name=O&cols=number,name,balance,created,email&f.created.from=2025-01-03"
	"accounts-filtered op json /accounts?f.name=O&cols=number,name,balance,created,email&f.created.from=2025-01-03"
	"accounts-grouped op html /accounts?group=partner"
	"accounts-grouped op json /accounts?group=partner"
	"partners-default op html /partners"
	"partners-default op json /partners"
	"invoices-default op html /invoices"
	"invoices-default op json /invoices"
	"invoices-sorted op html /invoices?sort=total&f.kind=invoice&limit=3"
	"invoices-sorted op json /invoices?sort=total&f.kind=invoice&limit=3"
	"accounts-scoped north html /accounts?sort=name"
	"accounts-scoped north json /accounts?sort=name"
	"partners-scoped north html /partners"
	"partners-scoped north json /partners"
)
# and for these, the page after (the JSON's "next" link) and the one
# before that again ("prev" from there), each in both formats
PAGED=(accounts-sorted invoices-sorted)

plan $((${#CASES[@]} + ${#PAGED[@]} * 4))

# ------------------------------------------------------------- the fixture

RUN=$$$RANDOM
SLUG=it39-$RUN HOST=it39-$RUN.test
H=(-H "Host: $HOST")
"$CTL" -c "$INI" brand add --slug "$SLUG" --name "Grid answers" --plan "$SLUG" --host "$HOST" --module invoices >/dev/null ||
	{ echo "Bail out! brand add failed"; exit 1; }
T=$(sql "SELECT id FROM tenants WHERE slug = '$SLUG'")
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind operator --login op --name "Olga Operator" --password-file - --admin >/dev/null ||
	{ echo "Bail out! user add failed"; exit 1; }

MAXID=$(sql "SELECT GREATEST((SELECT IFNULL(MAX(id), 0) FROM partners), (SELECT IFNULL(MAX(id), 0) FROM accounts),
	(SELECT IFNULL(MAX(id), 0) FROM invoices))")
MIL=$((MAXID / 1000000 + 1))
B=$((MIL * 1000000))

# North (agent) > City (sub-agent); South (agent, USD). 24 accounts, cells
# that need escaping among them (quotes, &, <, non-ASCII), ties in the
# name, NULLs in the optional columns; 10 invoices and 2 credit notes.
sql "INSERT INTO partners (id, tenant_id, parent_id, name, kind, currency, created_at) VALUES
		($B + 1, $T, NULL, 'North & Co', 'agent', 'EUR', '2024-06-01 09:00:00'),
		($B + 2, $T, $B + 1, 'City <Sub>', 'sub-agent', 'EUR', '2024-06-02 09:00:00'),
		($B + 3, $T, NULL, 'South \"Süd\"', 'agent', 'USD', '2024-06-03 09:00:00');
	INSERT INTO partner_tree (ancestor, descendant, depth) VALUES
		($B + 1, $B + 1, 0), ($B + 2, $B + 2, 0), ($B + 3, $B + 3, 0), ($B + 1, $B + 2, 1);
	INSERT INTO accounts (id, tenant_id, partner_id, number, name, email, status, currency, balance, created_at)
		SELECT $B + 100 + seq, $T, $B + 1 + seq % 3,
			CONCAT('A', LPAD(seq, 3, '0')),
			ELT(1 + seq % 6, 'Same Name', 'O''Brien & Sons', 'Café \"Zürich\"', '<b>Bold</b> Ltd', 'Oslo Øst', 'Same Name'),
			IF(seq % 4 = 0, '', CONCAT('a', seq, '@example.test')),
			ELT(1 + seq % 3, 'active', 'active', 'suspended'),
			IF(seq % 3 = 2, 'USD', 'EUR'),
			CAST(seq AS SIGNED) * 123456 - 1000000,
			TIMESTAMP('2025-01-01 08:00:00') + INTERVAL seq DAY
		FROM seq_1_to_24;
	INSERT INTO account_tree (ancestor, descendant, depth)
		SELECT id, id, 0 FROM accounts WHERE tenant_id = $T;
	INSERT INTO invoices (id, tenant_id, partner_id, account_id, kind, status, series, seq, number, currency,
			issue_date, due_date, method, total, recurring_total, one_time_total, usage_total,
			late_fee_total, balance_forward, buyer_name, buyer_number, created_at)
		SELECT $B + 500 + seq, $T, a.partner_id, a.id, IF(seq > 10, 'credit_note', 'invoice'), 'issued',
			'INV', seq, CONCAT('INV-', LPAD(seq, 4, '0')), a.currency,
			DATE('2025-03-01') + INTERVAL seq DAY, DATE('2025-03-15') + INTERVAL seq DAY,
			ELT(1 + seq % 3, 'email', 'paper', 'email+paper'),
			IF(seq > 10, -1, 1) * (CAST(seq AS SIGNED) * 71234 + 5), CAST(seq AS SIGNED) * 50000, 12345, seq * 999, 0,
			IF(seq % 2 = 0, 250000, 0), a.name, a.number, '2025-03-01 00:00:00'
		FROM seq_1_to_12 JOIN accounts a ON a.id = $B + 100 + seq;
	INSERT INTO invoice_numbers (tenant_id, series, next_seq) VALUES ($T, 'INV', 13);" ||
	{ echo "Bail out! could not load the fixture"; exit 1; }
ledger_opening_balances "$T"
printf '%s\n' "$PW" | "$CTL" -c "$INI" user add --brand "$SLUG" --kind partner --partner "$((B + 1))" \
	--login north --name "Nora North" --password-file - --admin --group partner-admin >/dev/null
login north north
SECRET=$("$CTL" -c "$INI" user totp --brand "$SLUG" --login op | sed -n 's/.*two-factor secret //p')
login op op partner "$PW" "$(oathtool --totp -b "$SECRET")"

# ------------------------------------------------------------- asking

# mask: what must differ run to run (see the header), nothing else
mask() {
	sed -E -e "s/it39-$RUN/it39-RUN/g" \
		-e "s/\\b${MIL}000([0-9]{3})\\b/ID\\1/g" \
		-e 's/(name="_csrf" value=")[^"]*"/\1CSRF"/g' \
		-e 's/("csrf_token":")[^"]*"/\1CSRF"/g' \
		-e 's#(reference <code>)[^<]*(</code>)#\1REQID\2#g'
}

# get WHO FORMAT PATH: the answer's body, masked, in $T_DIR/got
get() {
	local accept=text/html
	[ "$2" = json ] && accept=application/json
	req GET "$3" "${H[@]}" -b "$COOKIE=${SESS[$1]}" -H "Accept: $accept"
	mask <"$BODY" >"$T_DIR/got"
}

# answer NAME WHO FORMAT PATH: the page against answers/39_NAME.FORMAT
answer() {
	local file=$ANSWERS/39_$1.$3
	get "$2" "$3" "$4"
	if [ "$STATUS" != 200 ]; then
		not_ok "$1 ($3): $4 answered $STATUS"
		return
	fi
	if [ "${GRID_ANSWERS_SAVE:-}" = 1 ]; then
		cp "$T_DIR/got" "$file"
		ok "$1 ($3): saved to ${file#"$TP_SRC"/}"
	elif cmp -s "$T_DIR/got" "$file"; then
		ok "$1 ($3): $4 as saved"
	else
		not_ok "$1 ($3): $4 differs from ${file#"$TP_SRC"/}"
		diff "$file" "$T_DIR/got" | head -n 20 | sed 's/^/# /'
	fi
}

# the "next" or "prev" link of a JSON page, unmasked (a query string)
json_link() { grep -oE "\"$1\":\"[^\"]*\"" "$BODY" | head -n 1 | sed -E "s/^\"$1\":\"//; s/\"$//; s#\\\\/#/#g"; }

declare -A PATHS WHOS
for c in "${CASES[@]}"; do
	read -r name who fmt path <<<"$c"
	answer "$name" "$who" "$fmt" "$path"
	PATHS[$name]=$path WHOS[$name]=$who
done
for name in "${PAGED[@]}"; do
	path=${PATHS[$name]} who=${WHOS[$name]}
	req GET "$path" "${H[@]}" -b "$COOKIE=${SESS[$who]}" -H 'Accept: application/json'
	next=$(json_link next)
	answer "$name-next" "$who" json "${path%%\?*}$next"
	prev=$(json_link prev) # from the JSON page just asked
	answer "$name-next" "$who" html "${path%%\?*}$next"
	answer "$name-prev" "$who" json "${path%%\?*}$prev"
	answer "$name-prev" "$who" html "${path%%\?*}$prev"
done

done_testing
