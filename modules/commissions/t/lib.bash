# modules/commissions/t/lib.bash -- what the commissions module's scripts
# share, sourced after t/integration/lib.sh and new_brand (a .bash file:
# tools/test runs every modules/NAME/t/*.sh as a script): API tokens,
# requests with a token, tierportctl on a moved clock.

# token LOGIN KIND: a new API token of one of the brand's logins
token() { "$CTL" -c "$INI" token add --brand "$SLUG" --login "$1" --kind "$2" --name t | grep -oE '[A-Za-z0-9_-]{43}' | head -n 1; }
OP=$(token op operator)
[ -n "$OP" ] || { echo "Bail out! no API token"; exit 1; }
# by NAME METHOD PATH [JSON [curl args]]: a request with NAME's token ($NAME)
by() {
	local t=${!1}
	if [ $# -ge 4 ]; then
		req_json "$2" "$3" "$4" "${H[@]}" -H "Authorization: Bearer $t" "${@:5}"
	else
		req "$2" "$3" "${H[@]}" -H "Authorization: Bearer $t" -H 'Accept: application/json'
	fi
}

# The clock: tierportctl with a copy of the stack's config whose [testing]
# clock_file is this script's; day N puts it N days after today.
CINI=$T_DIR/clock.ini
cp "$INI" "$CINI"
printf '\n[testing]\nclock_file = %s\n' "$T_DIR/clock" >>"$CINI"
day() { echo $(($1 * 86400)) >"$T_DIR/clock"; }
