#!/usr/bin/env bash
# 02_malformed.sh -- a hundred-odd malformed requests of many kinds: each must
# get a 4xx (never a 5xx, never a hang), and afterwards the same workers
# must still be serving (none crashed) and /healthz must say 200.
source "$(dirname "$0")/lib.sh"

plan 129

# shellcheck disable=SC2034 # read by req in lib.sh
REQ_TIMEOUT=15
F=$T_DIR # request bodies

is_4xx() { [ "$STATUS" -ge 400 ] && [ "$STATUS" -lt 500 ]; }

# bad DESC METHOD PATH [curl args...]
bad() {
	local desc=$1 method=$2 path=$3
	shift 3
	req "$method" "$path" --path-as-is "$@"
	if is_4xx; then ok "$desc: $STATUS"; else not_ok "$desc: got $STATUS (curl rc $CURL_RC)"; fi
}

# bad_json DESC METHOD PATH BODYFILE
bad_json() {
	bad "$1" "$2" "$3" -H 'Content-Type: application/json' \
		-H 'Accept: application/json' --data-binary "@$4"
}

# bad_raw DESC < REQUEST: the request is sent byte for byte (no pipe into
# it: the counters must stay in this shell)
bad_raw() {
	local desc=$1 line
	cat >"$F/raw.req"
	line=$(raw_http "$F/raw.req" | head -n 1)
	STATUS=$(sed -nE 's|^HTTP/1\.[01] ([0-9]{3}).*|\1|p' <<<"$line")
	[ -n "$STATUS" ] || STATUS=000
	if is_4xx; then ok "$desc: $STATUS"; else not_ok "$desc: got $STATUS ('$line')"; fi
}

repeat() { # repeat N STRING
	local i out=
	for ((i = 0; i < $1; i++)); do out+=$2; done
	printf '%s' "$out"
}

bad_escapes_in_path() {
	local p prefix
	for prefix in "" /api/v1; do
		for p in '/fixture/%zz' '/fixture/hello%' '/fixture/hello%4' '/fixture/%G0hello' \
			'/fixture/items/%' '/fixture/items/1%2' '/fixture/%%' '/fixture/%00hello'; do
			bad "bad escape in path $prefix$p" GET "$prefix$p"
		done
	done
}

bad_escapes_in_query() {
	local q prefix
	for prefix in "" /api/v1; do
		for q in 'name=%zz' 'name=%' 'name=%4' 'name=%G1' '%zz=1' 'name=a%2' 'name=%%41'; do
			bad "bad escape in query $prefix?$q" GET "$prefix/fixture/hello?$q"
		done
		for q in 'name=a%00b' '%00=x' 'name=%00'; do
			bad "NUL in query $prefix?$q" GET "$prefix/fixture/hello?$q"
		done
	done
}

invalid_json() {
	local i=0 b
	for b in '{' '{"label":}' '[1,2' 'nul' '{"label":"x"' '{"label":"x"}}' \
		"{'label':'x'}" '{"label":"x",}' '"\u12"' '{"label":"a\qb"}' \
		'{"label":"x"} garbage'; do
		i=$((i + 1))
		printf '%s' "$b" >"$F/json$i"
		bad_json "invalid JSON #$i to items" POST /api/v1/fixture/items "$F/json$i"
		bad_json "invalid JSON #$i to echo" PUT /api/v1/fixture/echo "$F/json$i"
	done
}

deep_json() {
	local n
	for n in 40 64 1000 100000; do
		{ printf '{"label":"x","d":'; repeat "$n" '['; repeat "$n" ']'; printf '}'; } >"$F/deep$n"
		bad_json "JSON $n arrays deep to items" POST /api/v1/fixture/items "$F/deep$n"
		bad_json "JSON $n arrays deep to echo" PUT /api/v1/fixture/echo "$F/deep$n"
	done
	{ printf '{"label":"x","d":'; repeat 50 '{"a":'; printf '1'; repeat 50 '}'; printf '}'; } >"$F/deepobj"
	bad_json "JSON 50 objects deep to items" POST /api/v1/fixture/items "$F/deepobj"
	bad_json "JSON 50 objects deep to echo" PUT /api/v1/fixture/echo "$F/deepobj"
}

# bad_mp DESC CONTENT-TYPE BODYFILE: to the echo route, which takes uploads
bad_mp() {
	bad "$1" POST /api/v1/fixture/echo -H "Content-Type: $2" \
		-H 'Accept: application/json' --data-binary "@$3"
}

malformed_multipart() {
	local part
	part=$'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue\r\n'
	printf -- '%s--XyZ\r\nContent-Disposition: form-data; name="b"\r\n\r\nunfinished' "$part" >"$F/mp-trunc"
	bad_mp "multipart truncated (no closing boundary)" 'multipart/form-data; boundary=XyZ' "$F/mp-trunc"
	printf -- '%s--XyZ--\r\n' "$part" >"$F/mp-ok"
	bad_mp "multipart without boundary parameter" 'multipart/form-data' "$F/mp-ok"
	bad_mp "multipart with an empty boundary" 'multipart/form-data; boundary=' "$F/mp-ok"
	bad_mp "multipart with an unbalanced quoted boundary" 'multipart/form-data; boundary="XyZ' "$F/mp-ok"
	bad_mp "multipart boundary not in the body" 'multipart/form-data; boundary=Other' "$F/mp-ok"
	printf -- '--XyZ\r\nContent-Disposition: form-data; name="a"\r\nvalue--XyZ--' >"$F/mp-nohdrend"
	bad_mp "multipart part headers never end" 'multipart/form-data; boundary=XyZ' "$F/mp-nohdrend"
	printf -- '--XyZ\r\nContent-Type: text/plain\r\n\r\nvalue\r\n--XyZ--\r\n' >"$F/mp-nodisp"
	bad_mp "multipart part without Content-Disposition" 'multipart/form-data; boundary=XyZ' "$F/mp-nodisp"
	: >"$F/empty"
	bad_mp "multipart with an empty body" 'multipart/form-data; boundary=XyZ' "$F/empty"
	{
		printf -- '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="f.bin"\r\n'
		printf 'Content-Type: application/octet-stream\r\n\r\n'
		head -c 65536 /dev/zero
	} >"$F/mp-file-trunc"
	bad_mp "multipart file cut off mid-upload" 'multipart/form-data; boundary=XyZ' "$F/mp-file-trunc"
	{
		local i
		for ((i = 0; i < 1001; i++)); do
			printf -- '--XyZ\r\nContent-Disposition: form-data; name="f%d"\r\n\r\n1\r\n' "$i"
		done
		printf -- '--XyZ--\r\n'
	} >"$F/mp-many"
	bad_mp "multipart with 1001 parts" 'multipart/form-data; boundary=XyZ' "$F/mp-many"
}

wrong_content_type() {
	printf '<label>x</label>' >"$F/xml"
	bad "XML body to items" POST /api/v1/fixture/items -H 'Content-Type: application/xml' --data-binary "@$F/xml"
	printf 'label=x' >"$F/form"
	bad "form body sent as text/plain" POST /api/v1/fixture/items -H 'Content-Type: text/plain' --data-binary "@$F/form"
	bad "form body sent as JSON" POST /api/v1/fixture/items -H 'Content-Type: application/json' --data-binary "@$F/form"
	printf '{"label":"x"}' >"$F/jsonbody"
	bad "JSON body sent as a form" POST /api/v1/fixture/items -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "@$F/jsonbody"
	bad "form body sent as multipart/mixed" POST /api/v1/fixture/items -H 'Content-Type: multipart/mixed; boundary=XyZ' --data-binary "@$F/form"
}

huge_query() {
	local q10k q100k prefix
	q10k=$(repeat 1000 'abcdefghij')
	q100k=$(repeat 10 "$q10k")
	for prefix in "" /api/v1; do
		bad "10k query string $prefix" GET "$prefix/fixture/hello?name=$q10k"
		bad "100k query string $prefix" GET "$prefix/fixture/hello?name=$q100k"
	done
}

oversized_headers() {
	local big i
	big=$(repeat 2000 'abcdefghij')
	bad "one 20k header" GET /fixture/hello -H "X-Big: $big"
	bad "a 20k cookie" GET /fixture/hello -H "Cookie: a=$big"
	local args=()
	for ((i = 0; i < 200; i++)); do args+=(-H "X-Many-$i: ${big:0:500}"); done
	bad "200 headers of 500 bytes" GET /fixture/hello "${args[@]}"
}

oversized_bodies() {
	head -c $((21 * 1024 * 1024)) /dev/zero >"$F/21m"
	bad "21 MiB upload (over client_max_body_size)" POST /api/v1/fixture/echo -F "file=@$F/21m"
	{ printf '{"label":"x","pad":"'; head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' a; printf '"}'; } >"$F/2mjson"
	bad_json "2 MiB JSON body (over max_body)" POST /api/v1/fixture/items "$F/2mjson"
	{ printf 'label=x&pad='; head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' a; } >"$F/2mform"
	bad "2 MiB form body (over max_body)" POST /api/v1/fixture/items --data-binary "@$F/2mform"
}

many_fields() {
	{ for ((i = 0; i < 1500; i++)); do printf 'f%d=1&' "$i"; done; printf 'label=x'; } >"$F/fields"
	bad "1500 form fields to items" POST /api/v1/fixture/items --data-binary "@$F/fields"
	bad "1500 form fields to echo" POST /api/v1/fixture/echo --data-binary "@$F/fields"
	bad "1500 form fields to an HTML form" POST /fixture/items --data-binary "@$F/fields"
}

bad_methods() {
	bad "unknown method FOO" FOO /fixture/hello
	bad "lowercase method" get /fixture/hello
	bad "PATCH on a GET route" PATCH /fixture/hello
	bad "PROPFIND" PROPFIND /api/v1/fixture/hello
	bad "TRACE" TRACE /fixture/hello
	bad_raw "method with junk characters" < <(printf 'G@T /fixture/hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
}

absurd_lengths() {
	local cl
	for cl in 99999999999999999999999 -1 abc '1, 2'; do
		bad_raw "Content-Length: $cl" < <(printf 'POST /api/v1/fixture/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %s\r\nConnection: close\r\n\r\na=1' "$cl")
	done
	bad_raw "two different Content-Lengths" < <(printf 'POST /api/v1/fixture/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 5\r\nConnection: close\r\n\r\na=1')
	bad_raw "Content-Length with Transfer-Encoding" < <(printf 'POST /api/v1/fixture/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\na=1\r\n0\r\n\r\n')
	bad_raw "Content-Length 100000000 (over the limit)" < <(printf 'POST /api/v1/fixture/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\nConnection: close\r\n\r\na=1')
}

odd_requests() {
	bad_raw "Host with a space" < <(printf 'GET /fixture/hello HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n')
	bad_raw "HTTP/1.1 without Host" < <(printf 'GET /fixture/hello HTTP/1.1\r\nConnection: close\r\n\r\n')
	bad "path traversal" GET '/fixture/../../../etc/passwd'
	local id
	for id in abc -1 99999999999999999999999 1.5; do
		bad "item id '$id'" GET "/api/v1/fixture/items/$id"
	done
	local q
	for q in 'slow?ms=999999' 'slow?ms=-1' 'slow?ms=abc'; do
		bad "out of range: $q" GET "/api/v1/fixture/$q"
	done
	for q in 'rows=-1' 'rows=abc' 'rows=99999999999'; do
		bad "out of range: stream?$q" GET "/fixture/stream?$q"
	done
	printf '{"label":"%s"}' "$(repeat 65 x)" >"$F/long"
	bad_json "label of 65 characters" POST /api/v1/fixture/items "$F/long"
	printf '{"label":5}' >"$F/num"
	bad_json "label of the wrong type" POST /api/v1/fixture/items "$F/num"
	printf '[]' >"$F/arr"
	bad_json "JSON array instead of an object" POST /api/v1/fixture/items "$F/arr"
}

# ids before and after: a malformed request that inserted a row would
# leave a gap
new_item_id() {
	req_json POST /api/v1/fixture/items "{\"label\":\"02-$1\"}"
	json_num id
}

MASTER=$(master_pid)
BEFORE=$(worker_pids | tr '\n' ' ')
FIRST_ID=$(new_item_id first)
diag "master $MASTER, workers: $BEFORE"

bad_escapes_in_path
bad_escapes_in_query
invalid_json
deep_json
malformed_multipart
wrong_content_type
huge_query
oversized_headers
oversized_bodies
many_fields
bad_methods
absurd_lengths
odd_requests

is "$(master_pid)" "$MASTER" "the master is the same process"
AFTER=$(worker_pids | tr '\n' ' ')
is "$AFTER" "$BEFORE" "the same workers as before (none crashed)"
is "$(healthz_status)" 200 "healthz still 200"
is "$(new_item_id last)" "$((${FIRST_ID:-0} + 1))" "no malformed request inserted a row"
done_testing
