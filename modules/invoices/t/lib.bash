# modules/invoices/t/lib.bash -- what the invoices module's scripts share,
# sourced after t/integration/lib.sh and new_brand (a .bash file: tools/test
# runs every modules/NAME/t/*.sh as a script): the brand operator's API
# token (OP), requests with a token, and tierportctl on a moved clock.

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
# clock_file is this script's; day N puts it N days after today. The
# stack's own processes keep the real time.
CINI=$T_DIR/clock.ini
cp "$INI" "$CINI"
printf '\n[testing]\nclock_file = %s\n' "$T_DIR/clock" >>"$CINI"
day() { echo $(($1 * 86400)) >"$T_DIR/clock"; }
collect() { "$CTL" -c "$CINI" invoices collect --brand "$SLUG"; }
# The stack's scheduler runs invoices.collect at every full hour with the
# real clock, over every brand: it would lift a suspension early. A script
# that moves the clock takes well under a minute; start it clear of the hour.
clear_of_the_hour() {
	local left=$((3600 - $(date +%s) % 3600))
	[ "$left" -gt 120 ] || sleep $((left + 30))
}
