#!/usr/bin/env bash
# 01_basic.sh -- the happy paths and plain errors through nginx: health,
# HTML and JSON renderings of one view, escaping, HEAD, 404/405, DB writes
# and validation, uploads, streaming, and the headers every response carries.
# tp-test: parallel (tools/test: its own brand, nothing global)
source "$(dirname "$0")/lib.sh"

plan 73

health() {
	req GET /healthz -H 'Accept: application/json'
	is "$STATUS" 200 "healthz: 200"
	check "healthz: db ok" json_has db '"ok"'
	check "healthz: cache up" json_has cache '"up"'
	req GET /healthz -H 'Accept: text/html'
	is "$STATUS" 200 "healthz as HTML: 200"
	like "$(header Content-Type)" '^text/html' "healthz as HTML: text/html"
}

hello() {
	req GET /fixture/hello
	is "$STATUS" 200 "hello HTML: 200"
	like "$(header Content-Type)" '^text/html' "hello HTML: Content-Type text/html"
	check "hello HTML: says Hello, world!" grep -q 'Hello, world!' "$BODY"
	check "hello HTML: lists one, two, three" \
		grep -qE '<li[^>]*>one</li>.*<li[^>]*>two</li>.*<li[^>]*>three</li>' "$BODY"

	req GET /api/v1/fixture/hello
	is "$STATUS" 200 "hello /api/v1: 200"
	like "$(header Content-Type)" '^application/json' "hello /api/v1: application/json"
	check "hello /api/v1: name world" json_has name '"world"'
	check "hello /api/v1: items" grep -qE '"items"[[:space:]]*:[[:space:]]*\[[[:space:]]*\{[^}]*"label"[[:space:]]*:[[:space:]]*"one"' "$BODY"

	req GET '/fixture/hello?name=tierport' -H 'Accept: application/json'
	is "$STATUS" 200 "hello Accept json: 200"
	like "$(header Content-Type)" '^application/json' "hello Accept json: application/json"
	check "hello Accept json: name from the query" json_has name '"tierport"'
	check "hello Accept json: no HTML" bash -c "! grep -q '<' '$BODY'"
}

escaping() {
	req GET '/fixture/hello?name=%3Cscript%3Ex%3C%2Fscript%3E'
	is "$STATUS" 200 "escaping: 200"
	check "escaping: name comes back escaped" grep -q 'Hello, &lt;script&gt;x&lt;' "$BODY"
	check "escaping: no raw <script> tag" bash -c "! grep -q '<script>x' '$BODY'"
}

# HEAD: same headers as GET, Content-Length of the GET body, no body. curl
# would not show a stray body, so the check reads the raw socket.
head_request() {
	req GET /fixture/hello
	local get_len
	get_len=$(wc -c <"$BODY")
	req HEAD /fixture/hello
	is "$STATUS" 200 "HEAD: 200"
	is "$(header Content-Length)" "$get_len" "HEAD: Content-Length is the GET body's ($get_len)"
	printf 'HEAD /fixture/hello HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$TP_HOST" >"$T_DIR/head.req"
	raw_http "$T_DIR/head.req" >"$T_DIR/head.resp"
	local after
	after=$(sed -e '1,/^\r\{0,1\}$/d' "$T_DIR/head.resp" | wc -c)
	like "$(head -n 1 "$T_DIR/head.resp")" '^HTTP/1\.1 200' "HEAD raw: 200"
	is "$after" 0 "HEAD raw: no body after the headers"
}

not_found_and_method() {
	req GET /no/such/page
	is "$STATUS" 404 "unknown path: 404"
	like "$(header Content-Type)" '^text/html' "unknown path: HTML page"
	req GET /api/v1/no/such/thing
	is "$STATUS" 404 "unknown API path: 404"
	like "$(header Content-Type)" '^application/json' "unknown API path: JSON"
	check "unknown API path: code not_found" json_has code '"not_found"'
	req DELETE /fixture/hello
	is "$STATUS" 405 "DELETE /fixture/hello: 405"
	like "$(header Allow)" '^GET, HEAD$' "405: Allow: GET, HEAD"
	req GET /fixture/items/999999
	is "$STATUS" 404 "missing item (HTML): 404"
	like "$(header Content-Type)" '^text/html' "missing item (HTML): HTML page"
	req GET /api/v1/fixture/items/999999
	is "$STATUS" 404 "missing item (API): 404"
	check "missing item (API): code not_found" json_has code '"not_found"'
}

# Creates, reads back, and shows that a rejected create inserts nothing:
# with no other writer the next id follows the last good one directly.
items() {
	local label="itest-$$-$RANDOM" id id2
	req_json POST /api/v1/fixture/items "{\"label\":\"$label\"}"
	is "$STATUS" 201 "create item: 201"
	id=$(json_num id)
	check "create item: has an id" test -n "$id"
	check "create item: echoes the label" json_has label "\"$label\""
	req GET "/api/v1/fixture/items/${id:-0}"
	is "$STATUS" 200 "read item back: 200"
	check "read item back: label" json_has label "\"$label\""
	req GET "/fixture/items/${id:-0}"
	check "read item back as HTML" grep -q "$label" "$BODY"

	req_json POST /api/v1/fixture/items '{"label":""}'
	is "$STATUS" 400 "empty label: 400"
	check "empty label: field label" json_has field '"label"'
	check "empty label: code invalid" json_has code '"invalid"'
	check "empty label: request_id in the error" json_has request_id '"[0-9a-f]+"'
	req POST /fixture/items --data-urlencode 'label='
	is "$STATUS" 400 "empty label (HTML form): 400"
	like "$(header Content-Type)" '^text/html' "empty label (HTML form): HTML"

	req POST /api/v1/fixture/items -H 'Accept: application/json' --data-urlencode "label=$label-2"
	is "$STATUS" 201 "create item (form): 201"
	id2=$(json_num id)
	is "$id2" "$((${id:-0} + 1))" "the rejected creates inserted nothing (next id is $((${id:-0} + 1)))"
}

upload() {
	head -c 1048576 /dev/urandom >"$T_DIR/upload.bin"
	req POST /api/v1/fixture/echo -F a=alpha -F b=beta -F "file=@$T_DIR/upload.bin;filename=upload.bin"
	is "$STATUS" 200 "multipart 1 MiB: 200"
	check "multipart: size 1048576" json_has size 1048576
	check "multipart: filename" json_has filename '"upload.bin"'
	check "multipart: field name" json_has field '"file"'
	check "multipart: form fields a, b" bash -c "grep -qE '\"a\"[[:space:]]*:[[:space:]]*\"alpha\"' '$BODY' && grep -qE '\"b\"[[:space:]]*:[[:space:]]*\"beta\"' '$BODY'"
	req_json PUT /api/v1/fixture/echo '{"x":[1,2,{"y":"z"}]}'
	is "$STATUS" 200 "PUT JSON echo: 200"
	check "PUT JSON echo: body echoed as json" json_has json '\{'
}

stream() {
	REQ_TIMEOUT=60 req GET '/fixture/stream?rows=100000'
	is "$STATUS" 200 "stream 100000 rows: 200"
	like "$(header Content-Type)" '^text/csv' "stream: text/csv"
	is "$(wc -l <"$BODY" | tr -d ' ')" 100001 "stream: 100001 lines"
	is "$(head -n 1 "$BODY" | tr -d '\r')" "n,square" "stream: header line"
	is "$(tail -n 1 "$BODY" | tr -d '\r')" "99999,9999800001" "stream: last row"
}

headers() {
	local path
	for path in /fixture/hello /api/v1/no/such/thing; do
		req GET "$path"
		is "$(header X-Content-Type-Options)" nosniff "$path: X-Content-Type-Options nosniff"
		is "$(header X-Frame-Options)" DENY "$path: X-Frame-Options DENY"
		like "$(header Referrer-Policy)" '.+' "$path: Referrer-Policy"
		like "$(header Content-Security-Policy)" "default-src 'self'" "$path: CSP default-src 'self'"
		is "$(grep -ci '^X-Content-Type-Options:' "$HDRS")" 1 "$path: each security header once"
	done
	req GET /api/v1/no/such/thing
	local rid
	rid=$(header X-Request-Id)
	like "$rid" '^[0-9a-f]{32}$' "X-Request-Id present"
	check "X-Request-Id is the error's request_id" json_has request_id "\"$rid\""
}

health
hello
escaping
head_request
not_found_and_method
items
upload
stream
headers
done_testing
