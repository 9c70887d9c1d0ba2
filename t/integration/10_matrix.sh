#!/usr/bin/env bash
# 10_matrix.sh -- issue 3's permission matrix over every route `tierportctl routes`
# lists (the core's, the built-in features' and every loaded module's): ids of
# another brand, out of view or missing give 404 (403 without the right), byte
# for byte as a missing id, for every demo login (junk ids for one login of
# each kind, below); positive controls, scoped
# lists, login/rights rows on both mounts, and the switcher; the ids no scope
# kind covers ({location}, {product}) likewise; a category ({category}) is
# a kind of the brand's, as a tier is. On a demo brand of its own
# (new_demo), asked over one kept-alive connection (kreq): thousands of cells.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"

TP_BUILD=${TP_BUILD:-$TP_SRC/build-san}
PW=${TP_DEMO_PASSWORD:?tools/test sets TP_DEMO_PASSWORD}
new_demo matrix
DEMO_HOST=$HOST
ROLES=(operator agent.north staff.north subagent.city distributor.street
	agent.south 100001 100002 100003 100004 100005)
JUNK=(abc 0 -1 18446744073709551617) # the last one overflows int64
# Junk never reaches a viewer's scope (the core refuses it as it parses the
# path), so it is asked as one login of each kind -- an operator, a partner's
# staff user with fewer rights (its 403s), a customer -- and not as all
# eleven (that was half the matrix's cells).
# Missing, foreign and out-of-view ids are still asked as every login.
JUNK_ROLES=' operator staff.north 100001 '
junk_cells() { [[ $JUNK_ROLES == *" $1 "* ]] || return 0; for id in "${JUNK[@]}"; do cells+=("$id=junk"); done; }
FT='' # the foreign brand

bail() { echo "Bail out! $*"; exit 1; }
ids() { sql "$1" | tr '\n' ' ' | sed 's/ $//'; } # a query's ids on one line

# ------------------------------------------------------------- routes

R_METHOD=() R_PAT=() R_AREA=() R_RIGHT=() R_FLAGS=() R_SCOPES=()
read_routes() {
	local out m p a r f s
	out=$("$TP_BUILD/tierportctl" -c "$TP_VAR/etc/tierport.ini" routes 2>"$T_DIR/routes.err") ||
		bail "tierportctl routes failed: $(tail -n 3 "$T_DIR/routes.err")"
	while IFS=$'\t' read -r m p a r f s; do
		[ -n "$m" ] || continue
		R_METHOD+=("$m") R_PAT+=("$p") R_AREA+=("$a") R_RIGHT+=("$r") R_FLAGS+=("$f") R_SCOPES+=("$s")
	done <<<"$out"
	[ "${#R_PAT[@]}" -gt 0 ] || bail "tierportctl routes listed nothing"
}

has_flag() { [[ ",${R_FLAGS[$1]}," == *",$2,"* ]]; }
is_api() { [[ ${R_PAT[$1]} == /api/v1/* || ${R_PAT[$1]} == /api/v1 ]]; }
# as_role's 4th argument for route I ("" or html), without a subshell
mount_of() { MNT=html; ! is_api "$1" || MNT=''; }
unsafe() { case $1 in GET | HEAD | OPTIONS) return 1 ;; esac; }

# right_mask "view|add": the bits of enum tp_right, into MASK
right_mask() {
	local r
	MASK=0
	for r in ${1//|/ }; do
		case $r in view) MASK=$((MASK | 1)) ;; add) MASK=$((MASK | 2)) ;; update) MASK=$((MASK | 4)) ;; delete) MASK=$((MASK | 8)) ;; esac
	done
}

# scope_kind SCOPES PARAM: the kind of PARAM, empty when not scoped
scope_kind() {
	local s
	[ "$1" != - ] || return 0
	for s in ${1//,/ }; do [ "${s%%=*}" != "$2" ] || echo "${s#*=}"; done
}

# the ids a kind is about
entity_of() {
	case $1 in
	partner | own-partner) echo partner ;;
	account | own-account) echo account ;;
	user | tier | brand | plan | category) echo "$1" ;;
	none | "?") ;;
	# a module's own kind (tp_scope_def): missing and junk ids for every
	# login; its rows in and out of view come with its fixture hook
	# (24_module_kit.sh drives the fixture module's kind through them)
	*) echo "$1" ;;
	esac
}

# path params of a pattern, one per line
params_of() { grep -oE '\{[^}]+\}' <<<"$1" | tr -d '{}' || true; }

# ------------------------------------------------------------- demo data

DT=$T
[ -n "$DT" ] || bail "no demo brand of its own"
partner_id() { sql "SELECT id FROM partners WHERE tenant_id = $DT AND name = '$1'"; }
account_id() { sql "SELECT id FROM accounts WHERE tenant_id = $DT AND number = '$1'"; }

declare -A LABEL # "partner:ID" -> a readable name
label_all() {
	local id name
	while IFS=$'\t' read -r id name; do LABEL[partner:$id]=$name; done < <(sql "SELECT id, name FROM partners WHERE tenant_id = $DT")
	while IFS=$'\t' read -r id name; do LABEL[account:$id]=$name; done < <(sql "SELECT id, number FROM accounts WHERE tenant_id = $DT")
	while IFS=$'\t' read -r id name; do LABEL[user:$id]=$name; done < <(sql "SELECT id, login FROM users WHERE tenant_id = $DT")
	while IFS=$'\t' read -r id name; do LABEL[tier:$id]=$name; done < <(sql "SELECT id, name FROM tiers WHERE tenant_id = $DT")
	while IFS=$'\t' read -r id name; do LABEL[brand:$id]=$name; done < <(sql "SELECT id, slug FROM tenants")
	while IFS=$'\t' read -r id name; do LABEL[plan:$id]=$name; done < <(sql "SELECT id, name FROM plans")
	while IFS=$'\t' read -r id name; do LABEL[category:$id]=$name; done < <(sql "SELECT id, name FROM product_categories WHERE tenant_id = $DT")
}

# ------------------------------------------------------------- a foreign brand

make_foreign() {
	local slug=matrix-foreign-$RANDOM$RANDOM row
	# the same names, number and login as the demo brand's: only the brand differs
	row=$(sql "INSERT INTO plans (name) VALUES ('matrix-foreign') ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id);
		INSERT INTO tenants (slug, name, plan_id) VALUES ('$slug', 'Matrix Foreign', LAST_INSERT_ID());
		SET @t = LAST_INSERT_ID();
		INSERT INTO partners (tenant_id, name, kind, currency) VALUES (@t, 'North Agency', 'agent', 'EUR');
		SET @p = LAST_INSERT_ID();
		INSERT INTO partner_tree (ancestor, descendant, depth) VALUES (@p, @p, 0);
		INSERT INTO accounts (tenant_id, partner_id, number, name, currency) VALUES (@t, @p, '100001', 'Acme Bakery', 'EUR');
		SET @a = LAST_INSERT_ID();
		INSERT INTO account_tree (ancestor, descendant, depth) VALUES (@a, @a, 0);
		INSERT INTO users (tenant_id, kind, partner_id, login, name, password_hash, is_admin)
			VALUES (@t, 'partner', @p, 'agent.north', 'Foreign admin', '!', 1);
		SET @u = LAST_INSERT_ID();
		INSERT INTO tiers (tenant_id, name, rank_no) VALUES (@t, 'Bronze', 1);
		SET @r = LAST_INSERT_ID();
		INSERT INTO locations (tenant_id, account_id, street, city, country, is_bill_to)
			VALUES (@t, @a, 'Main St 1', 'Berlin', 'DE', 1);
		SET @l = LAST_INSERT_ID();
		INSERT INTO products (tenant_id, name, product_type, currency) VALUES (@t, 'VoIP Line', 'voip-line', 'EUR');
		SET @pr = LAST_INSERT_ID();
		INSERT INTO product_categories (tenant_id, code, name) VALUES (@t, 'voice', 'Voice');
		SELECT @t, @p, @a, @u, @r, @l, @pr, LAST_INSERT_ID();") || bail "could not create the foreign brand"
	read -r FT F_PARTNER F_ACCOUNT F_USER F_TIER F_LOCATION F_PRODUCT F_CATEGORY <<<"$row"
	[ -n "$F_CATEGORY" ] || bail "the foreign brand is incomplete: '$row'"
}

on_exit() {
	kclose
	[ -n "$FT" ] || return 0
	sql "DELETE FROM users WHERE tenant_id = $FT;
		DELETE FROM tiers WHERE tenant_id = $FT;
		DELETE FROM locations WHERE tenant_id = $FT;
		DELETE FROM products WHERE tenant_id = $FT;
		DELETE FROM product_categories WHERE tenant_id = $FT;
		DELETE t FROM account_tree t JOIN accounts a ON a.id = t.descendant WHERE a.tenant_id = $FT;
		DELETE FROM accounts WHERE tenant_id = $FT;
		DELETE t FROM partner_tree t JOIN partners p ON p.id = t.descendant WHERE p.tenant_id = $FT;
		DELETE FROM partners WHERE tenant_id = $FT;
		DELETE FROM tenants WHERE id = $FT" || true
}

# ------------------------------------------------------------- logins

declare -A SESS CSRF KIND ADMIN PID AID RIGHTS

TEST_SECRET=${TP_DEMO_TOTP_SECRET:-JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP}
# otp_of ROLE AS: the current one-time code when the login has a TOTP
# secret. The stored one is sealed (the key store): the demo brand's
# secrets are TEST_SECRET (tierportctl takes TP_DEMO_TOTP_SECRET for it).
otp_of() {
	local kinds="'operator', 'partner'" secret
	[ "$2" = customer ] && kinds="'customer'"
	secret=$(sql "SELECT IFNULL(totp_secret, '') FROM users WHERE tenant_id = $DT AND login = '$1' AND kind IN ($kinds) ORDER BY kind = 'operator' DESC LIMIT 1")
	[ -z "$secret" ] || oathtool --totp -b "$TEST_SECRET"
}

api_login() { # api_login ROLE AS: the JSON login, with a code where needed
	local otp
	otp=$(otp_of "$1" "$2")
	req_json POST /api/v1/session "{\"login\":\"$1\",\"password\":\"$PW\",\"as\":\"$2\"${otp:+,\"otp\":\"$otp\"}}" -H "Host: $DEMO_HOST"
}

login_role() {
	local role=$1 as=partner
	[[ $role =~ ^[0-9]+$ ]] && as=customer
	# the brand is this script's: no other script used its operator's
	# code, locked or changed a login
	api_login "$role" "$as"
	[ "$STATUS" = 201 ] || bail "login $role: $STATUS $(head -c 200 "$BODY")"
	SESS[$role]=$(set_cookie "$COOKIE")
	CSRF[$role]=$(json_str csrf_token)
	KIND[$role]=$(json_str kind)
	ADMIN[$role]=0
	if json_has admin true; then ADMIN[$role]=1; fi
	PID[$role]=$(json_num partner_id)
	AID[$role]=$(json_num account_id)
	RIGHTS[$role]=$(grep -oE '"rights"[[:space:]]*:[[:space:]]*\{[^}]*\}' "$BODY" || true)
	local rest=${RIGHTS[$role]} re='"([a-z0-9_]+)"[[:space:]]*:[[:space:]]*([0-9]+)'
	while [[ $rest =~ $re ]]; do
		HELD[$role:${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
		rest=${rest#*"${BASH_REMATCH[0]}"}
	done
	if [ -z "${SESS[$role]}" ] || [ -z "${CSRF[$role]}" ]; then bail "login $role: no session cookie or CSRF token"; fi
}

# hidden ROLE I: route I is an operator (or platform) page and ROLE is no
# operator: the page does not exist for it (404 whatever it holds). The
# demo brand is the platform brand, so its operator sees platform pages.
hidden() {
	{ has_flag "$2" operator || has_flag "$2" platform; } && [ "${KIND[$1]}" != operator ]
}

# holds ROLE AREA RIGHT: the login has the route's right (operator admins
# have all); bash only, as it runs for every route and login
declare -A HELD # "ROLE:AREA" -> the rights' bits, from the login's answer
holds() {
	local role=$1 area=$2 n
	right_mask "$3"
	[ "$area" != - ] && [ "$MASK" != 0 ] || return 0
	[ "${KIND[$role]}" = operator ] && [ "${ADMIN[$role]}" = 1 ] && return 0
	n=${HELD[$role:$area]:-0}
	(((n & MASK) == MASK))
}

# ------------------------------------------------------------- who sees what
# Computed from parent_id / parent_account_id (not the closure tables the
# core uses). VIS = in the login's own subtree; OUT = the demo brand's other
# ids (siblings, above, cousins); customer logins of a partner's accounts are
# neither (users of accounts are not partner users).

declare -A VIS OUT
all_of() { ids "SELECT id FROM ${1}s WHERE tenant_id = $DT ORDER BY id"; }
minus() { # minus "A" "B": the ids of A not in B
	local x out=()
	for x in $1; do [[ " $2 " == *" $x "* ]] || out+=("$x"); done
	echo "${out[*]}"
}
subtree_partners() {
	ids "WITH RECURSIVE s AS (SELECT id FROM partners WHERE id = $1
		UNION ALL SELECT p.id FROM partners p JOIN s ON p.parent_id = s.id) SELECT id FROM s ORDER BY id"
}
subtree_accounts() {
	ids "WITH RECURSIVE s AS (SELECT id FROM accounts WHERE id = $1
		UNION ALL SELECT a.id FROM accounts a JOIN s ON a.parent_account_id = s.id) SELECT id FROM s ORDER BY id"
}
in_list() { [ -n "$1" ] && echo "${1// /,}" || echo 0; } # for SQL IN (...)

compute_views() {
	local role vp va vu skip='' ap aa au
	ap=$(all_of partner) aa=$(all_of account) au=$(all_of user)
	for role in "${ROLES[@]}"; do
		case ${KIND[$role]} in
		operator) vp=$ap va=$aa vu=$au ;;
		partner)
			vp=$(subtree_partners "${PID[$role]}")
			va=$(ids "SELECT id FROM accounts WHERE partner_id IN ($(in_list "$vp")) ORDER BY id")
			vu=$(ids "SELECT id FROM users WHERE partner_id IN ($(in_list "$vp")) ORDER BY id")
			skip=$(ids "SELECT id FROM users WHERE account_id IN ($(in_list "$va")) ORDER BY id")
			;;
		customer)
			vp=''
			va=$(subtree_accounts "${AID[$role]}")
			vu=$(ids "SELECT id FROM users WHERE account_id IN ($(in_list "$va")) ORDER BY id")
			;;
		*) bail "login $role: unknown kind '${KIND[$role]}'" ;;
		esac
		VIS[$role:partner]=$vp VIS[$role:account]=$va VIS[$role:user]=$vu
		# tiers are the brand's, brands and plans the platform's: operator
		# pages; nothing of them is out of view for the operator
		VIS[$role:tier]='' VIS[$role:brand]='' VIS[$role:plan]='' VIS[$role:category]=''
		if [ "${KIND[$role]}" = operator ]; then
			VIS[$role:tier]=$(ids "SELECT id FROM tiers WHERE tenant_id = $DT ORDER BY id")
			VIS[$role:category]=$(ids "SELECT id FROM product_categories WHERE tenant_id = $DT ORDER BY id")
			VIS[$role:brand]=$(ids "SELECT id FROM tenants ORDER BY id")
			VIS[$role:plan]=$(ids "SELECT id FROM plans ORDER BY id")
		fi
		OUT[$role:tier]='' OUT[$role:brand]='' OUT[$role:plan]='' OUT[$role:category]=''
		OUT[$role:partner]=$(minus "$ap" "$vp")
		OUT[$role:account]=$(minus "$aa" "$va")
		OUT[$role:user]=$(minus "$(minus "$au" "$vu")" "$skip")
		skip=''
	done
}

# ------------------------------------------------------------- requests

# as_role ROLE|- METHOD PATH [html] [JSON]: the brand's host, the role's cookie,
# and on unsafe methods its CSRF token (so CSRF is never what blocks); over
# the kept-alive connection
as_role() {
	local role=$1 method=$2 path=$3 accept=application/json h data=''
	[ "${4:-}" != html ] || accept=text/html
	h=("Host: $DEMO_HOST" "Accept: $accept")
	[ "$role" = - ] || h+=("Cookie: $COOKIE=${SESS[$role]}")
	if unsafe "$method"; then
		[ "$role" = - ] || h+=("X-CSRF-Token: ${CSRF[$role]}")
		if [ "$accept" = text/html ]; then
			h+=('Content-Type: application/x-www-form-urlencoded')
			data=_csrf=$(urlencode "${CSRF[$role]:-}")
		else
			h+=('Content-Type: application/json')
			data=${5:-'{}'}
		fi
	fi
	kreq "$method" "$path" "$data" "${h[@]}"
}
# urlencode S: S as a form value
urlencode() {
	local LC_ALL=C s=$1 out='' c i
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in [A-Za-z0-9._~-]) out+=$c ;; *) printf -v c '%%%02X' "'$c"; out+=$c ;; esac
	done
	printf '%s' "$out"
}

# clean_answer VAR: the last answer without what differs per request (Date,
# Connection, X-Request-Id, and the request id in the body: JSON's request_id, an HTML
# page's reference) -- headers, a blank line, the body -- into VAR. Bash
# builtins only: this runs for every cell.
clean_answer() {
	local -n dest=$1
	local h='' b='' line rid=''
	while IFS= read -r line || [ -n "$line" ]; do
		case ${line,,} in
		# the transport's: nginx closes a kept-alive connection after
		# its 1000th request (kreq opens another)
		date:* | connection:* | keep-alive:*) ;;
		x-request-id:*) rid=${line#*:} rid=${rid//[^0-9a-zA-Z]/} ;;
		*) h+=$line$'\n' ;;
		esac
	done <"$HDRS"
	IFS= read -r -d '' b <"$BODY" || true
	[ -z "$rid" ] || b=${b//"$rid"/REQUEST-ID}
	local re='("request_id"[[:space:]]*:[[:space:]]*")([^"]+)"'
	while [[ $b =~ $re ]]; do b=${b/"${BASH_REMATCH[0]}"/${BASH_REMATCH[1]}\"}; done
	# shellcheck disable=SC2034 # dest is a nameref: the caller's variable
	dest=$h$b
}

# fill_path ROLE PATTERN SCOPES [PARAM VALUE]: PARAM gets VALUE, other
# scoped params an in-view id of ROLE, the rest $FILL (a harmless 1); into
# FILLED (no subshell: this runs for every cell)
FILL=1
fill_path() {
	local role=$1 rest=$2 acc='' name s v
	while [[ $rest =~ ^([^{]*)\{([^}]*)\}(.*)$ ]]; do
		acc+=${BASH_REMATCH[1]} name=${BASH_REMATCH[2]} rest=${BASH_REMATCH[3]}
		if [ "$name" = "${4:-}" ]; then
			acc+=$5
			continue
		fi
		v=$FILL
		if [ "$role" != - ] && [ "$3" != - ]; then
			for s in ${3//,/ }; do
				[ "${s%%=*}" = "$name" ] || continue
				case ${s#*=} in
				partner | own-partner) v=${VIS[$role:partner]:-} ;;
				account | own-account) v=${VIS[$role:account]:-} ;;
				user) v=${VIS[$role:user]:-} ;;
				esac
				v=${v%% *} v=${v:-1}
			done
		fi
		acc+=$v
	done
	FILLED=$acc$rest
}

# ids_in_body: the "id" members of the last body, sorted, on one line
ids_in_body() { { grep -oE '"id"[[:space:]]*:[[:space:]]*[0-9]+' "$BODY" || true; } | grep -oE '[0-9]+$' | sort -n | tr '\n' ' ' | sed 's/ $//'; }

reset_view() { as_role "$1" POST /api/v1/view/reset; }

# ------------------------------------------------------------- cells
# Every cell is one test; the plan comes at the end (TAP allows it), so the
# matrix is walked once, whatever routes the modules add.

RCELLS=0
want() { RCELLS=$((RCELLS + 1)); }

# same_as_ref DESC WANT_STATUS: the last answer has WANT_STATUS and the
# headers and body of the reference ($REF, from clean_answer), request ids
# aside
REF='' GOT=''
same_as_ref() {
	clean_answer GOT
	if [ "$STATUS" = "$2" ] && [ "$GOT" = "$REF" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag "  got $STATUS, want $2: $(head -c 200 "$BODY")"
		diag "  the difference to the missing id's answer:"
		printf '%s' "$REF" >"$T_DIR/ref"
		printf '%s' "$GOT" >"$T_DIR/got"
		diff "$T_DIR/ref" "$T_DIR/got" | head -n 10 | sed 's/^/#   /' || true
	fi
}

# matrix_role I PARAM ENTITY ROLE: one route x one login x every forbidden id
matrix_role() {
	local i=$1 param=$2 ent=$3 role=$4 m=${R_METHOD[$1]} pat=${R_PAT[$1]} sc=${R_SCOPES[$1]}
	local st=404 path id lbl cells=() v mnt
	mount_of "$i"
	mnt=$MNT
	hidden "$role" "$i" || holds "$role" "${R_AREA[$i]}" "${R_RIGHT[$i]}" || st=403
	if want; then
		fill_path "$role" "$pat" "$sc" "$param" "$MISSING"
		path=$FILLED
		as_role "$role" "$m" "$path" "$mnt"
		clean_answer REF
		is "$STATUS" "$st" "$role $m $path (missing id): $st"
		[ "$STATUS" = "$st" ] || diag "  body: $(head -c 300 "$BODY")"
	fi
	# brands and plans of others are the platform operator's to see
	v="F_${ent^^}"
	[ -z "${!v:-}" ] || cells+=("${!v}=foreign brand")
	for id in ${OUT[$role:$ent]:-}; do cells+=("$id=out of view: ${LABEL[$ent:$id]:-?}"); done
	junk_cells "$role"
	for lbl in "${cells[@]}"; do
		if want; then
			id=${lbl%%=*}
			fill_path "$role" "$pat" "$sc" "$param" "$id"
			path=$FILLED
			as_role "$role" "$m" "$path" "$mnt"
			same_as_ref "$role $m $path (${lbl#*=}): $st, as missing" "$st"
			# a switch that went through must not spoil the cells after it
			if unsafe "$m" && [ "$STATUS" != "$st" ]; then reset_view "$role"; fi
		fi
	done
	positive_role "$i" "$param" "$ent" "$role"
}

# positive_role I PARAM ENTITY ROLE: in-view ids answer 2xx -- GET routes
# with this one path param (others may need ids that fit together), and the
# switcher (own-* kinds), one id, then a reset
positive_role() {
	local i=$1 param=$2 ent=$3 role=$4 m=${R_METHOD[$1]} pat=${R_PAT[$1]} kind id path mnt
	mount_of "$i"
	mnt=$MNT
	local braces=${pat//[^\{]/}
	[ "${#braces}" = 1 ] || return 0
	! hidden "$role" "$i" || return 0
	holds "$role" "${R_AREA[$i]}" "${R_RIGHT[$i]}" || return 0
	kind=$(scope_kind "${R_SCOPES[$i]}" "$param")
	if [ "$m" = GET ]; then
		for id in ${VIS[$role:$ent]:-}; do
			if want; then
				fill_path "$role" "$pat" - "$param" "$id"
				path=$FILLED
				as_role "$role" GET "$path" "$mnt"
				is "$STATUS" 200 "$role GET $path (in view: ${LABEL[$ent:$id]:-?}): 200"
			fi
		done
	elif [[ $kind == own-* ]] && [ -n "${VIS[$role:$ent]:-}" ] && [ "${KIND[$role]}" != operator ]; then
		# (an operator sees the whole brand: its switch is a 400, in
		# switcher_cells)
		# the deepest choice: a descendant when there is one
		id=${VIS[$role:$ent]##* }
		fill_path "$role" "$pat" - "$param" "$id"
		path=$FILLED
		if want; then
			as_role "$role" "$m" "$path" "$mnt"
			# a page answers with a redirect
			[ -z "$mnt" ] || [ "$STATUS" != 303 ] || STATUS=200
			is "$STATUS" 200 "$role $m $path (own subtree: ${LABEL[$ent:$id]:-?}): 200"
		fi
		if want; then
			reset_view "$role"
			is "$STATUS" 200 "$role POST /api/v1/view/reset: 200"
		fi
	fi
}

# matrix_route I: every scoped param of a route x every login
matrix_route() {
	local i=$1 s param kind ent role n0=$RCELLS
	for s in ${R_SCOPES[$i]//,/ }; do
		param=${s%%=*} kind=${s#*=}
		# an id in the body is checked by the core like a path id;
		# 24_module_kit.sh drives one (foreign, missing, junk, absent)
		[[ $param != body:* ]] || continue
		ent=$(entity_of "$kind")
		if [ -z "$ent" ]; then
			if want; then not_ok "${R_METHOD[$i]} ${R_PAT[$i]}: scope kind '$kind' of {$param} is unknown to 10_matrix.sh"; fi
			continue
		fi
		for role in "${ROLES[@]}"; do matrix_role "$i" "$param" "$ent" "$role"; done
	done
	diag "matrix: ${R_METHOD[$i]} ${R_PAT[$i]}: $((RCELLS - n0)) role x id cells"
}

# gate_route I: no session -> 401 (API) or 303 to the login page (HTML);
# each login without the route's area right -> 403
gate_route() {
	local i=$1 m=${R_METHOD[$1]} pat=${R_PAT[$1]} mount=html path role
	is_api "$i" && mount=api
	# a change that got through anyway would hit nothing
	if unsafe "$m"; then FILL=$MISSING; fi
	fill_path - "$pat" -
	path=$FILLED
	FILL=1
	if want; then
		if [ "$mount" = api ]; then
			as_role - "$m" "$path"
			if [ "$STATUS" = 401 ] && [[ $(header Content-Type) == application/json* ]]; then
				ok "no session: $m $path: 401 JSON"
			else
				not_ok "no session: $m $path: 401 JSON"
				diag "  got $STATUS $(header Content-Type)"
			fi
		else
			as_role - "$m" "$path" html
			if [ "$STATUS" = 303 ] && [ "$(header Location)" = "/login?next=$path" ]; then
				ok "no session: $m $path: 303 to the login page"
			else
				not_ok "no session: $m $path: 303 to the login page"
				diag "  got $STATUS Location: $(header Location)"
			fi
		fi
	fi
	for role in "${ROLES[@]}"; do
		hidden "$role" "$i" || continue
		if want; then
			FILL=$MISSING
			fill_path - "$pat" -
			FILL=1
			as_role "$role" "$m" "$FILLED" "${mount/api/}"
			is "$STATUS" 404 "$role $m $FILLED (an operator page; not an operator): 404"
		fi
	done
	[ "${R_AREA[$i]}" != - ] || return 0
	for role in "${ROLES[@]}"; do
		hidden "$role" "$i" && continue
		holds "$role" "${R_AREA[$i]}" "${R_RIGHT[$i]}" && continue
		if want; then
			# ids it could see on a read; on a change, ids that hit nothing
			if unsafe "$m"; then
				FILL=$MISSING
				fill_path - "$pat" -
				FILL=1
			else
				fill_path "$role" "$pat" "${R_SCOPES[$i]}"
			fi
			path=$FILLED
			as_role "$role" "$m" "$path" "${mount/api/}"
			if [ "$STATUS" = 403 ] && ! grep -q 'did not come from this site' "$BODY"; then
				ok "$role $m $path (no ${R_AREA[$i]} ${R_RIGHT[$i]} right): 403"
			else
				not_ok "$role $m $path (no ${R_AREA[$i]} ${R_RIGHT[$i]} right): 403"
				diag "  got $STATUS: $(head -c 200 "$BODY")"
			fi
		fi
	done
}

# list_cells: the core lists hold exactly the ids in view
list_cells() {
	local role ent
	for ent in partner account; do
		for role in "${ROLES[@]}"; do
			holds "$role" "${ent}s" view || continue
			if want; then
				as_role "$role" GET "/api/v1/${ent}s"
				is "$STATUS $(ids_in_body)" "200 ${VIS[$role:$ent]}" "$role GET /api/v1/${ent}s: exactly the ${ent}s in view"
			fi
		done
	done
}

# sets_cells: the computed views match what the demo is said to be
sets_cells() {
	local p_n p_c p_s p_so a1 a2 a3 a4 a5
	p_n=$(partner_id 'North Agency') p_c=$(partner_id 'City Resellers')
	p_s=$(partner_id 'Street Distribution') p_so=$(partner_id 'South Agency')
	a1=$(account_id 100001) a2=$(account_id 100002) a3=$(account_id 100003)
	a4=$(account_id 100004) a5=$(account_id 100005)
	sub() { [[ " $2 " == *" $1 "* ]]; }
	subs() { local x l=$1; shift; for x; do sub "$x" "$l" || return 1; done; }
	if want; then check "agent.north: South Agency and 100005 are out of view" subs "${OUT[agent.north:partner]} ${OUT[agent.north:account]}" "$p_so" "$a5"; fi
	if want; then check "subagent.city: North Agency (above) and South Agency are out of view" subs "${OUT[subagent.city:partner]}" "$p_n" "$p_so"; fi
	if want; then check "distributor.street: City, North, South out of view; 100002 too" subs "${OUT[distributor.street:partner]} ${OUT[distributor.street:account]}" "$p_c" "$p_n" "$p_so" "$a2"; fi
	if want; then check "agent.south: the whole North tree and its accounts are out of view" subs "${OUT[agent.south:partner]} ${OUT[agent.south:account]}" "$p_n" "$p_c" "$p_s" "$a1" "$a2" "$a3" "$a4"; fi
	if want; then is "${VIS[100002:account]}" "$(tr ' ' '\n' <<<"$a2 $a3 $a4" | sort -n | tr '\n' ' ' | sed 's/ $//')" "100002 sees Globex Corp, East and West"; fi
	if want; then check "100003: its corporate parent 100002 and sibling 100004 are out of view" subs "${OUT[100003:account]}" "$a2" "$a4"; fi
	if want; then check "customers: every demo partner is out of view" subs "${OUT[100001:partner]} " "$p_n" "$p_c" "$p_s" "$p_so"; fi
	if want; then is "${OUT[operator:partner]}${OUT[operator:account]}${OUT[operator:user]}" "" "operator: nothing of its brand is out of view"; fi
}

# switcher_cells: the chosen view binds pages, lists and the API; the
# switcher itself works on the login's own subtree
switcher_cells() {
	local p_n p_c p_so a2 a3 a4 r
	p_n=$(partner_id 'North Agency') p_c=$(partner_id 'City Resellers') p_so=$(partner_id 'South Agency')
	a2=$(account_id 100002) a3=$(account_id 100003) a4=$(account_id 100004)
	r=agent.north
	if want; then as_role $r POST "/api/v1/view/partner/$p_c"; is "$STATUS" 200 "$r views City Resellers"; fi
	if want; then as_role $r GET /api/v1/me; is "$(json_str viewing)" "City Resellers" "  /api/v1/me says so"; fi
	if want; then
		as_role $r GET "/api/v1/partners/$MISSING"
		clean_answer REF
		as_role $r GET "/api/v1/partners/$p_n"
		same_as_ref "  its own North Agency (above the view): 404, as missing" 404
	fi
	if want; then as_role $r GET "/partners/$p_n" html; is "$STATUS" 404 "  the HTML page too: 404"; fi
	if want; then as_role $r GET "/api/v1/partners/$p_so"; is "$STATUS" 404 "  South Agency: still 404"; fi
	if want; then as_role $r GET /api/v1/partners; is "$STATUS $(ids_in_body)" "200 ${VIS[subagent.city:partner]}" "  /api/v1/partners: City's subtree only"; fi
	if want; then as_role $r GET /api/v1/partners; unlike "$(body)" 'North Agency' "  and no North Agency in it"; fi
	if want; then as_role $r GET /api/v1/accounts; is "$STATUS $(ids_in_body)" "200 ${VIS[subagent.city:account]}" "  /api/v1/accounts: City's accounts"; fi
	if want; then as_role $r POST "/api/v1/view/partner/$p_so"; is "$STATUS" 404 "  switching to South Agency: 404"; fi
	if want; then as_role $r POST "/api/v1/view/partner/$p_n"; is "$STATUS" 200 "  switching back up to North Agency (own subtree): 200"; fi
	if want; then as_role $r POST "/api/v1/view/partner/$p_c"; reset_view $r; is "$STATUS" 200 "  view again, then reset: 200"; fi
	if want; then as_role $r GET "/api/v1/partners/$p_n"; is "$STATUS" 200 "  North Agency: 200 again"; fi
	if want; then as_role $r GET /api/v1/partners; is "$STATUS $(ids_in_body)" "200 ${VIS[$r:partner]}" "  /api/v1/partners: the whole North tree again"; fi
	r=100002
	if want; then as_role $r POST "/api/v1/view/account/$a3"; is "$STATUS" 200 "$r views 100003"; fi
	if want; then as_role $r GET /api/v1/accounts; is "$STATUS $(ids_in_body)" "200 $a3" "  /api/v1/accounts: 100003 only"; fi
	if want; then
		as_role $r GET "/api/v1/accounts/$MISSING"
		clean_answer REF
		as_role $r GET "/api/v1/accounts/$a4"
		same_as_ref "  100004 (a sibling of the view): 404, as missing" 404
	fi
	if want; then as_role $r GET "/api/v1/accounts/$a2"; is "$STATUS" 404 "  its own 100002 (above the view): 404"; fi
	if want; then as_role $r GET "/accounts/$a4" html; is "$STATUS" 404 "  the HTML page of 100004: 404"; fi
	if want; then as_role $r POST "/api/v1/view/account/$a4"; is "$STATUS" 200 "  switching to 100004 (own subtree): 200"; fi
	if want; then reset_view $r; is "$STATUS" 200 "  reset: 200"; fi
	if want; then as_role $r GET "/api/v1/accounts/$a4"; is "$STATUS" 200 "  100004: 200 again"; fi
	if want; then as_role $r GET /api/v1/accounts; is "$STATUS $(ids_in_body)" "200 ${VIS[$r:account]}" "  /api/v1/accounts: all three again"; fi
	# the header's drop-down (POST /view/switch, to=partner:ID|account:ID):
	# the own-* kinds' check by hand, so the same 404 as a missing id
	local to
	for r in agent.north 100002; do
		if want; then
			as_role $r POST /api/v1/view/switch "" '{"to":"account:'"$MISSING"'"}'
			clean_answer REF
			is "$STATUS" 404 "$r POST /api/v1/view/switch to=account:missing: 404"
		fi
		for to in "partner:$p_so" "account:$(account_id 100005)" "partner:$F_PARTNER" "account:$F_ACCOUNT"; do
			if want; then
				as_role $r POST /api/v1/view/switch "" '{"to":"'"$to"'"}'
				same_as_ref "  to=$to (not in its own subtree): 404, as missing" 404
				[ "$STATUS" = 404 ] || reset_view $r
			fi
		done
	done
	# an operator views as any partner of its brand, never another brand's
	if want; then as_role operator POST "/api/v1/view/partner/$p_n"; is "$STATUS" 200 "operator POST /api/v1/view/partner/N: 200"; fi
	if want; then as_role operator GET /api/v1/partners; is "$STATUS $(ids_in_body)" "200 ${VIS[agent.north:partner]}" "  /api/v1/partners: the North tree only"; fi
	if want; then reset_view operator; is "$STATUS" 200 "  reset: 200"; fi
	if want; then as_role operator POST /api/v1/view/switch "" '{"to":"partner:'"$F_PARTNER"'"}'; is "$STATUS" 404 "operator POST /api/v1/view/switch to another brand's partner: 404"; fi
}

# ------------------------------------------------------------- ids without a scope kind
# {location} and {product} are no scope kinds: the handler looks a location
# up joined to the route's scope-checked {account}, a product within the
# brand. For every route with one, each login that may use it: another
# account's location (in view or not), another brand's location or
# product, junk: 404, byte for byte as a missing one; its own (GET): 200.

# unscoped_route I PARAM
unscoped_route() {
	local i=$1 param=$2 m=${R_METHOD[$1]} pat=${R_PAT[$1]} sc=${R_SCOPES[$1]}
	local role acc own others foreign id lbl cells path mnt
	mount_of "$i"
	mnt=$MNT
	for role in "${ROLES[@]}"; do
		! hidden "$role" "$i" || continue
		holds "$role" "${R_AREA[$i]}" "${R_RIGHT[$i]}" || continue
		case $param in
		location)
			# the account fill_path takes: the first in view
			acc=${VIS[$role:account]%% *}
			[ -n "$acc" ] || continue
			own=$(sql "SELECT IFNULL(MIN(id), '') FROM locations WHERE account_id = $acc")
			others=$(ids "SELECT id FROM locations WHERE tenant_id = $DT AND account_id <> $acc ORDER BY id")
			foreign=$F_LOCATION
			;;
		product)
			own=$(sql "SELECT IFNULL(MIN(id), '') FROM products WHERE tenant_id = $DT")
			others=''
			foreign=$F_PRODUCT
			;;
		esac
		cells=("$foreign=another brand's $param")
		for id in $others; do cells+=("$id=another account's location"); done
		junk_cells "$role"
		if want; then
			fill_path "$role" "$pat" "$sc" "$param" "$MISSING"
			as_role "$role" "$m" "$FILLED" "$mnt"
			clean_answer REF
			is "$STATUS" 404 "$role $m $FILLED (missing $param): 404"
		fi
		for lbl in "${cells[@]}"; do
			if want; then
				fill_path "$role" "$pat" "$sc" "$param" "${lbl%%=*}"
				as_role "$role" "$m" "$FILLED" "$mnt"
				same_as_ref "$role $m $FILLED (${lbl#*=}): 404, as missing" 404
			fi
		done
		if [ "$m" = GET ] && [ -n "$own" ] && want; then
			fill_path "$role" "$pat" "$sc" "$param" "$own"
			as_role "$role" GET "$FILLED" "$mnt"
			is "$STATUS" 200 "$role GET $FILLED (its own $param): 200"
		fi
	done
}

walk() {
	local i p
	sets_cells
	for i in "${!R_PAT[@]}"; do
		has_flag "$i" any-host && continue
		# the /api/v1 mount stands for both, unless a route is a page only
		[ "${R_SCOPES[$i]}" != - ] || continue
		if is_api "$i" || has_flag "$i" html-only; then matrix_route "$i"; fi
	done
	for i in "${!R_PAT[@]}"; do
		is_api "$i" || has_flag "$i" html-only || continue
		for p in $(params_of "${R_PAT[$i]}"); do
			case $p in location | product) unscoped_route "$i" "$p" ;; esac
		done
	done
	for i in "${!R_PAT[@]}"; do
		has_flag "$i" any-host || has_flag "$i" public || gate_route "$i"
	done
	list_cells
	switcher_cells
}

# ------------------------------------------------------------- main

T0=$(date +%s%N)
lap() { local n; n=$(date +%s%N); LAP="$(((n - T0) / 1000000)) ms"; T0=$n; }
read_routes
make_foreign
label_all
MISSING=$(sql "SELECT GREATEST((SELECT IFNULL(MAX(id), 0) FROM partners), (SELECT IFNULL(MAX(id), 0) FROM accounts),
	(SELECT IFNULL(MAX(id), 0) FROM users), (SELECT IFNULL(MAX(id), 0) FROM tiers),
	(SELECT IFNULL(MAX(id), 0) FROM tenants), (SELECT IFNULL(MAX(id), 0) FROM plans),
	(SELECT IFNULL(MAX(id), 0) FROM locations), (SELECT IFNULL(MAX(id), 0) FROM products),
	(SELECT IFNULL(MAX(id), 0) FROM product_categories)) + 1000000")
lap; L_DATA=$LAP
for role in "${ROLES[@]}"; do login_role "$role"; done
compute_views
lap; L_LOGIN=$LAP

diag "foreign brand $FT: partner $F_PARTNER, account $F_ACCOUNT, user $F_USER; missing id $MISSING"
walk
lap
diag "times: brands and ids $L_DATA, logins and views $L_LOGIN, $RCELLS cells $LAP"
plan "$T_NUM"
done_testing
