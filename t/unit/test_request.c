/*
 * test_request.c -- unit tests for core/http/request.c and
 * core/http/multipart.c: decoding, limits and the body parsers, with the body
 * fed from memory in chunks small enough to split every delimiter. Tests must
 * not leave temp files behind: teardown removes the upload dir and fails if it
 * is not empty.
 */
#include "config.h"
#include "server/server.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static tp_config cfg;
static tp_req r;
/* one dir per run (removed at the end, whatever failed), one per test
 * inside it (checked empty by teardown) */
static char topdir[] = "/tmp/tp-test-request-XXXXXX";
static char updir[96];

/* ------------------------------------------------------------------ */
/* body from memory                                                     */

struct mem {
	const char *p;
	size_t len, pos;
	size_t chunk; /* most bytes per read */
	size_t split; /* if nonzero: the first read stops here */
	bool fail;    /* return -1 once the data is used up */
	int calls;
};
static struct mem mem;

static ssize_t mem_read(void *ud, char *buf, size_t len)
{
	struct mem *m = ud;
	size_t n = m->len - m->pos;

	m->calls++;
	if (n == 0)
		return m->fail ? -1 : 0;
	if (m->split != 0 && m->pos < m->split && n > m->split - m->pos)
		n = m->split - m->pos;
	if (n > m->chunk)
		n = m->chunk;
	if (n > len)
		n = len;
	memcpy(buf, m->p + m->pos, n);
	m->pos += n;
	return (ssize_t)n;
}

/* A POST with this body; Content-Length matches unless changed after. */
static void set_body(const char *ctype, const void *data, size_t len,
                     size_t chunk)
{
	r.method = TP_POST;
	r.content_type = ctype;
	r.content_length = (long long)len;
	memset(&mem, 0, sizeof(mem));
	mem.p = data;
	mem.len = len;
	mem.chunk = chunk ? chunk : 1 << 20;
	r.body_read = mem_read;
	r.body_ud = &mem;
}

#define expect_fail(rc, want)                                                  \
	do {                                                                   \
		ck_assert_int_eq((rc), (want));                                \
		ck_assert_int_eq(r.fail_rc, (want));                           \
		ck_assert_ptr_nonnull(r.fail_msg);                             \
	} while (0)

static void setup(void)
{
	memset(&cfg, 0, sizeof(cfg));
	cfg.max_body = 4096;
	cfg.max_upload = 256 * 1024;
	cfg.max_fields = 16;
	cfg.max_field_len = 1024;
	cfg.max_json_depth = 4;
	cfg.max_query = 256;
	snprintf(updir, sizeof(updir), "%s/t-XXXXXX", topdir);
	ck_assert_ptr_nonnull(mkdtemp(updir));
	cfg.upload_dir = updir;
	tp_req_init(&r, NULL, &cfg);
}

static void teardown(void)
{
	tp_req_reset(&r);
	tp_arena_destroy(&r.arena);
	/* fails if a temp file survived the reset */
	ck_assert_msg(rmdir(updir) == 0, "upload dir not empty: %s",
	              strerror(errno));
}

/* ------------------------------------------------------------------ */
/* decoding and the query string                                        */

START_TEST(test_url_decode)
{
	char a[] = "a+b%41%4a%2B";
	ck_assert_int_eq(tp_url_decode(a, true), 0);
	ck_assert_str_eq(a, "a bAJ+");
	char b[] = "a+b%20";
	ck_assert_int_eq(tp_url_decode(b, false), 0);
	ck_assert_str_eq(b, "a+b ");
	char e[] = "";
	ck_assert_int_eq(tp_url_decode(e, true), 0);
	ck_assert_str_eq(e, "");

	const char *bad[] = {"%",   "%4",  "ab%", "%zz",
	                     "%4g", "%g4", "%00", "x%00y"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char buf[16];
		snprintf(buf, sizeof(buf), "%s", bad[i]);
		ck_assert_msg(tp_url_decode(buf, true) == -1, "%s accepted",
		              bad[i]);
	}
}
END_TEST

START_TEST(test_query)
{
	r.query_string = "a=1&b=&c&&=x&d=%41+b&e=%C3%A9&a=2&f%5B%5D=y";
	ck_assert_int_eq(tp_req_parse_query(&r), TP_OK);
	ck_assert_uint_eq(r.query.n, 7);
	ck_assert_str_eq(tp_query(&r, "a"), "1"); /* the first one */
	ck_assert_str_eq(tp_query(&r, "b"), "");
	ck_assert_str_eq(tp_query(&r, "c"), "");
	ck_assert_str_eq(tp_query(&r, "d"), "A b");
	ck_assert_str_eq(tp_query(&r, "e"), "\xc3\xa9");
	ck_assert_str_eq(tp_query(&r, "f[]"), "y");
	ck_assert_ptr_null(tp_query(&r, ""));
	ck_assert_ptr_null(tp_query(&r, "x"));
	ck_assert_ptr_null(tp_query(&r, NULL));
}
END_TEST

START_TEST(test_query_empty)
{
	r.query_string = NULL;
	ck_assert_int_eq(tp_req_parse_query(&r), TP_OK);
	r.query_string = "&&&";
	ck_assert_int_eq(tp_req_parse_query(&r), TP_OK);
	ck_assert_uint_eq(r.query.n, 0);
}
END_TEST

START_TEST(test_query_bad_escape)
{
	static const char *const bad[] = {"a=%zz", "a=%00", "%zz=1", "a=1%",
	                                  "a=b&c=%0"};
	const char *q = bad[_i];
	r.query_string = q;
	expect_fail(tp_req_parse_query(&r), TP_EINVAL);
}
END_TEST

START_TEST(test_query_too_long)
{
	char q[300];
	memset(q, 'a', sizeof(q));
	q[0] = 'x';
	q[1] = '=';
	q[256] = '\0'; /* exactly max_query */
	r.query_string = q;
	ck_assert_int_eq(tp_req_parse_query(&r), TP_OK);
	tp_req_reset(&r);
	q[256] = 'a';
	q[257] = '\0';
	r.query_string = q;
	expect_fail(tp_req_parse_query(&r), TP_ETOOBIG);
}
END_TEST

START_TEST(test_query_field_too_long)
{
	cfg.max_field_len = 4;
	r.query_string = "a=1234&v=12345";
	expect_fail(tp_req_parse_query(&r), TP_ETOOBIG);
	ck_assert_str_eq(r.fail_field, "v");
	tp_req_reset(&r);
	/* the decoded length counts, not the encoded one */
	r.query_string = "v=%41%41%41%41";
	ck_assert_int_eq(tp_req_parse_query(&r), TP_OK);
	ck_assert_str_eq(tp_query(&r, "v"), "AAAA");
}
END_TEST

START_TEST(test_too_many_fields)
{
	cfg.max_fields = 4;
	r.query_string = "a=1&b=2&c=3&d=4";
	ck_assert_int_eq(tp_req_parse_query(&r), TP_OK);
	tp_req_reset(&r);
	r.query_string = "a=1&b=2&c=3&d=4&e=5";
	expect_fail(tp_req_parse_query(&r), TP_ETOOBIG);

	/* query and form share the budget */
	tp_req_reset(&r);
	r.query_string = "a=1&b=2&c=3";
	ck_assert_int_eq(tp_req_parse_query(&r), TP_OK);
	static const char form[] = "x=1&y=2";
	set_body("application/x-www-form-urlencoded", form, strlen(form), 0);
	expect_fail(tp_req_parse_body(&r), TP_ETOOBIG);
}
END_TEST

/* ------------------------------------------------------------------ */
/* cookies, headers, accessors                                          */

START_TEST(test_cookies)
{
	tp_kv_add(&r, &r.headers, "cookie",
	          "a=1; b=\"two words\"; bad; =x; c = 3 ;d=; sp ace=1;"
	          "q=\"; u=%41; e=x=y");
	tp_kv_add(&r, &r.headers, "accept", "a=9");
	tp_kv_add(&r, &r.headers, "cookie", "f=6");
	ck_assert_int_eq(tp_req_parse_cookies(&r), TP_OK);
	ck_assert_str_eq(tp_cookie(&r, "a"), "1");
	ck_assert_str_eq(tp_cookie(&r, "b"), "two words");
	ck_assert_str_eq(tp_cookie(&r, "c"), "3");
	ck_assert_str_eq(tp_cookie(&r, "d"), "");
	ck_assert_str_eq(tp_cookie(&r, "q"), "\"");  /* not a quoted pair */
	ck_assert_str_eq(tp_cookie(&r, "u"), "%41"); /* no decoding */
	ck_assert_str_eq(tp_cookie(&r, "e"), "x=y");
	ck_assert_str_eq(tp_cookie(&r, "f"), "6");
	ck_assert_ptr_null(tp_cookie(&r, "bad"));
	ck_assert_ptr_null(tp_cookie(&r, "sp ace"));
	ck_assert_ptr_null(tp_cookie(&r, ""));
	ck_assert_uint_eq(r.cookies.n, 8);
	/* the header itself is untouched */
	ck_assert_str_eq(tp_header(&r, "Cookie"),
	                 "a=1; b=\"two words\"; bad; =x; c = 3 ;d=; sp ace=1;"
	                 "q=\"; u=%41; e=x=y");
}
END_TEST

START_TEST(test_header_ci)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "text/html");
	tp_kv_add(&r, &r.headers, "accept", buf);
	tp_kv_add(&r, &r.headers, "x-forwarded-for", "10.0.0.1");
	memset(buf, 'X', sizeof(buf)); /* tp_kv_add must have copied */
	ck_assert_str_eq(tp_header(&r, "Accept"), "text/html");
	ck_assert_str_eq(tp_header(&r, "ACCEPT"), "text/html");
	ck_assert_str_eq(tp_header(&r, "accept"), "text/html");
	ck_assert_str_eq(tp_header(&r, "X-Forwarded-For"), "10.0.0.1");
	ck_assert_ptr_null(tp_header(&r, "Accept-Language"));
	ck_assert_ptr_null(tp_header(&r, NULL));
	ck_assert_ptr_null(tp_kv_get(&r.headers, "Accept")); /* exact */
	ck_assert_str_eq(tp_kv_get(&r.headers, "accept"), "text/html");

	/* FastCGI hands these over outside the headers */
	r.content_type = "application/json";
	r.content_length = 12;
	ck_assert_str_eq(tp_header(&r, "Content-Type"), "application/json");
	ck_assert_str_eq(tp_header(&r, "content-length"), "12");
}
END_TEST

START_TEST(test_accessors)
{
	ck_assert_str_eq(tp_method_name(&r), "");
	r.method = TP_DELETE;
	ck_assert_str_eq(tp_method_name(&r), "DELETE");
	r.method_str = "PROPFIND";
	ck_assert_str_eq(tp_method_name(&r), "PROPFIND");
	ck_assert_str_eq(tp_path(&r), "/");
	r.path = "/x/y";
	ck_assert_str_eq(tp_path(&r), "/x/y");
	snprintf(r.reqid, sizeof(r.reqid), "abc123");
	ck_assert_str_eq(tp_request_id(&r), "abc123");

	char v0[] = "42", v1[] = "a b";
	r.match.names[0] = "id";
	r.match.values[0] = v0;
	r.match.names[1] = "name";
	r.match.values[1] = v1;
	r.match.nparams = 2;
	ck_assert_str_eq(tp_param(&r, "id"), "42");
	ck_assert_str_eq(tp_param(&r, "name"), "a b");
	ck_assert_ptr_null(tp_param(&r, "ID"));
	ck_assert_ptr_null(tp_param(&r, NULL));
	r.match.nparams = 1;
	ck_assert_ptr_null(tp_param(&r, "name"));

	ck_assert_ptr_null(tp_body_json(&r));
	ck_assert_ptr_null(tp_upload_get(&r, 0));
	ck_assert_ptr_null(tp_upload_get(&r, (size_t)-1));
}
END_TEST

static int dummy_write(void *ud, const void *buf, size_t len)
{
	return 0;
}

START_TEST(test_reset_keeps_writer)
{
	int ud;
	r.out_write = dummy_write;
	r.out_ud = &ud;
	r.query_string = "a=1";
	r.method = TP_POST;
	r.content_length = 5;
	ck_assert_int_eq(tp_req_parse_query(&r), TP_OK);
	tp_req_reset(&r);
	ck_assert_ptr_eq(r.out_write, dummy_write);
	ck_assert_ptr_eq(r.out_ud, &ud);
	ck_assert_ptr_eq(r.cfg, &cfg);
	ck_assert_uint_eq(r.query.n, 0);
	ck_assert_ptr_null(r.query_string);
	ck_assert_int_eq(r.content_length, -1);
	ck_assert_uint_eq(r.method, 0);
	ck_assert_ptr_null(tp_query(&r, "a"));
}
END_TEST

START_TEST(test_parse_i64)
{
	int64_t v = 7;
	ck_assert_int_eq(tp_parse_i64("0", &v), TP_OK);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(tp_parse_i64("-0", &v), TP_OK);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(tp_parse_i64("00042", &v), TP_OK);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(tp_parse_i64("-17", &v), TP_OK);
	ck_assert_int_eq(v, -17);
	ck_assert_int_eq(tp_parse_i64("9223372036854775807", &v), TP_OK);
	ck_assert(v == INT64_MAX);
	ck_assert_int_eq(tp_parse_i64("-9223372036854775808", &v), TP_OK);
	ck_assert(v == INT64_MIN);

	static const char *const bad[] = {"9223372036854775808",
	                                  "-9223372036854775809",
	                                  "18446744073709551616",
	                                  "99999999999999999999999",
	                                  "12a",
	                                  "",
	                                  "-",
	                                  "+1",
	                                  " 1",
	                                  "1 ",
	                                  "--1",
	                                  "1-",
	                                  "0x10",
	                                  "1.5"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(tp_parse_i64(bad[i], &v) == TP_EINVAL,
		              "\"%s\" accepted", bad[i]);
	ck_assert_int_eq(tp_parse_i64(NULL, &v), TP_EINVAL);
}
END_TEST

/* ------------------------------------------------------------------ */
/* urlencoded and JSON bodies                                           */

START_TEST(test_form)
{
	static const char form[] = "name=J%C3%B6rg+M&amount=12.50&empty=&&flag";
	set_body("Application/X-WWW-Form-Urlencoded ; charset=UTF-8", form,
	         strlen(form), (size_t)_i + 1);
	ck_assert_int_eq(tp_req_parse_body(&r), TP_OK);
	ck_assert_str_eq(tp_form(&r, "name"), "J\xc3\xb6rg M");
	ck_assert_str_eq(tp_form(&r, "amount"), "12.50");
	ck_assert_str_eq(tp_form(&r, "empty"), "");
	ck_assert_str_eq(tp_form(&r, "flag"), "");
	ck_assert_uint_eq(r.form.n, 4);
	ck_assert_ptr_null(tp_query(&r, "name"));
}
END_TEST

START_TEST(test_form_no_length)
{
	/* no Content-Length: read until the reader says the end */
	static const char form[] = "a=1&b=2";
	set_body("application/x-www-form-urlencoded", form, strlen(form), 3);
	r.content_length = -1;
	ck_assert_int_eq(tp_req_parse_body(&r), TP_OK);
	ck_assert_str_eq(tp_form(&r, "b"), "2");
}
END_TEST

START_TEST(test_form_nul)
{
	static const char form[] = "a=1\0&b=2";
	set_body("application/x-www-form-urlencoded", form, sizeof(form) - 1,
	         0);
	expect_fail(tp_req_parse_body(&r), TP_EINVAL);
}
END_TEST

START_TEST(test_json_ok)
{
	static const char js[] = " {\"a\": [1, 2, {\"b\": null}], "
	                         "\"s\": \"\\u00e9\"} \r\n";
	set_body("application/json; charset=utf-8", js, strlen(js),
	         (size_t)_i + 1);
	ck_assert_int_eq(tp_req_parse_body(&r), TP_OK);
	json_object *o = tp_body_json(&r), *a;
	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_is_type(o, json_type_object));
	ck_assert(json_object_object_get_ex(o, "a", &a));
	ck_assert_uint_eq(json_object_array_length(a), 3);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(o, "s")),
	                 "\xc3\xa9");
}
END_TEST

START_TEST(test_json_array)
{
	static const char js[] = "[[[[1]]]]"; /* exactly max_json_depth */
	set_body("application/json", js, strlen(js), 0);
	ck_assert_int_eq(tp_req_parse_body(&r), TP_OK);
	ck_assert(json_object_is_type(tp_body_json(&r), json_type_array));
}
END_TEST

START_TEST(test_json_bad)
{
	static const char *const bad[] = {"{} x",
	                                  "{}{}",
	                                  "[1]\n[2]",
	                                  "{\"a\":1,}",
	                                  "{\"a\":}",
	                                  "{",
	                                  "",
	                                  "   ",
	                                  "\"str\"",
	                                  "123",
	                                  "null",
	                                  "true",
	                                  "{\"a\":\"\xff\"}",
	                                  "{\"a\":1}\0"};
	const char *js = bad[_i];
	size_t len = strlen(js);
	if (_i == sizeof(bad) / sizeof(bad[0]) - 1)
		len++; /* the NUL too */
	set_body("application/json", js, len, 0);
	expect_fail(tp_req_parse_body(&r), TP_EINVAL);
	ck_assert_ptr_null(tp_body_json(&r));
}
END_TEST

/* "\u0000" inside a JSON string: refused, naming the member */
START_TEST(test_json_nul)
{
	static const struct {
		const char *js, *field; /* field NULL: in a member name */
	} cases[] = {
	    {"{\"name\":\"ab\\u0000cd\"}", "name"},
	    {"{\"a\":{\"b\":[\"x\",\"\\u0000\"]}}", "a.b[1]"},
	    {"[1,{\"c\":\"\\u0000\"}]", "[1].c"},
	    {"{\"ok\":\"\\\\\",\"n\\u0000\":1}", NULL},
	};
	set_body("application/json", cases[_i].js, strlen(cases[_i].js), 0);
	expect_fail(tp_req_parse_body(&r), TP_EINVAL);
	ck_assert_ptr_null(tp_body_json(&r));
	if (cases[_i].field == NULL)
		ck_assert_ptr_null(r.fail_field);
	else
		ck_assert_str_eq(r.fail_field, cases[_i].field);
}
END_TEST

/* an escaped backslash then "u0000" is text, and so is "\u0001" */
START_TEST(test_json_not_nul)
{
	static const char js[] = "{\"a\":\"x\\\\u0000\",\"b\":\"\\u0001\"}";
	set_body("application/json", js, strlen(js), 0);
	ck_assert_int_eq(tp_req_parse_body(&r), TP_OK);
	ck_assert_str_eq(json_object_get_string(
	                     json_object_object_get(tp_body_json(&r), "a")),
	                 "x\\u0000");
}
END_TEST

/* where a browser may be sent back to (login's next=, the grid's back=) */
START_TEST(test_local_path)
{
	static const char *const good[] = {
	    "/",
	    "/accounts",
	    "/accounts?sort=-name&f.status=a,b#top",
	    "/%09/evil.example", /* an escape stays a path */
	    "/%2F/evil.example",
	    "/%5Cevil",
	    "/?x=1",
	    "/@x",
	    "/a//b"};
	static const char *const bad[] = {"",
	                                  "//evil.example",
	                                  "/\\evil.example",
	                                  "/\t/evil.example",
	                                  "/\tevil",
	                                  "/\n/evil",
	                                  "/\r/evil",
	                                  "/a\\b",
	                                  "/a b",
	                                  " /a",
	                                  "https://evil.example/",
	                                  "evil",
	                                  "/\x7f",
	                                  "/\xc3\xa9",
	                                  "/a<b",
	                                  "/a\"b",
	                                  "\\/evil"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(tp_local_path(good[i]), "refused '%s'", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!tp_local_path(bad[i]), "took bad[%zu]", i);
	ck_assert(!tp_local_path(NULL));
}
END_TEST

START_TEST(test_json_too_deep)
{
	static const char js[] = "{\"a\":[[[[1]]]]}";
	set_body("application/json", js, strlen(js), 0);
	expect_fail(tp_req_parse_body(&r), TP_ETOOBIG);
	ck_assert_ptr_null(tp_body_json(&r));
}
END_TEST

START_TEST(test_json_too_big)
{
	char js[5000];
	memset(js, ' ', sizeof(js));
	js[0] = '[';
	js[sizeof(js) - 1] = ']';
	set_body("application/json", js, sizeof(js), 0);
	/* _i == 1: no Content-Length, so only the read can tell */
	if (_i == 1)
		r.content_length = -1;
	expect_fail(tp_req_parse_body(&r), TP_ETOOBIG);
	if (_i == 0)
		ck_assert_int_eq(mem.calls, 0); /* refused before reading */
	ck_assert_ptr_null(tp_body_json(&r));
	/* at the limit it is fine */
	tp_req_reset(&r);
	set_body("application/json", js + sizeof(js) - 4096, 4096, 0);
	js[sizeof(js) - 4096] = '[';
	ck_assert_int_eq(tp_req_parse_body(&r), TP_OK);
}
END_TEST

/* ------------------------------------------------------------------ */
/* content type, lengths                                                */

static ssize_t never_read(void *ud, char *buf, size_t len)
{
	ck_abort_msg("body read for a request without a body");
	return -1;
}

START_TEST(test_no_body)
{
	static const unsigned methods[] = {TP_GET, TP_HEAD, TP_DELETE};
	r.method = methods[_i];
	r.content_length = _i == 2 ? 0 : -1;
	r.content_type = "text/plain";
	r.body_read = never_read;
	ck_assert_int_eq(tp_req_parse_body(&r), TP_OK);
}
END_TEST

START_TEST(test_media_type)
{
	static const char *const bad[] = {"text/plain", "application/jsonx",
	                                  "application/json-seq",
	                                  "multipart/mixed; boundary=x",
	                                  "application/x-www-form-urlencodedx"};
	static const char body[] = "{}";
	set_body(bad[_i], body, 2, 0);
	expect_fail(tp_req_parse_body(&r), TP_EMEDIA);
}
END_TEST

START_TEST(test_no_content_type)
{
	static const char body[] = "a=1";
	/* a body with no type */
	set_body(NULL, body, 3, 0);
	expect_fail(tp_req_parse_body(&r), TP_EMEDIA);
	/* ... even when it came without a length */
	tp_req_reset(&r);
	set_body("  ", body, 3, 0);
	r.content_length = -1;
	expect_fail(tp_req_parse_body(&r), TP_EMEDIA);
	/* an empty body needs no type */
	tp_req_reset(&r);
	set_body(NULL, body, 0, 0);
	ck_assert_int_eq(tp_req_parse_body(&r), TP_OK);
	tp_req_reset(&r);
	set_body(NULL, body, 0, 0);
	r.content_length = -1;
	ck_assert_int_eq(tp_req_parse_body(&r), TP_OK);
}
END_TEST

START_TEST(test_truncated)
{
	static const char form[] = "a=1&b=2";
	static const char *const ct[] = {"application/x-www-form-urlencoded",
	                                 "application/json",
	                                 "multipart/form-data; boundary=zz"};
	set_body(ct[_i], form, strlen(form), 2);
	r.content_length = 100;
	expect_fail(tp_req_parse_body(&r), TP_EINVAL);
	ck_assert_ptr_nonnull(strstr(r.fail_msg, "truncated"));
}
END_TEST

START_TEST(test_longer_than_length)
{
	static const char form[] = "a=1&b=2222222222";
	static const char *const ct[] = {"application/x-www-form-urlencoded",
	                                 "application/json",
	                                 "multipart/form-data; boundary=zz"};
	set_body(ct[_i], form, strlen(form), 3);
	r.content_length = 5;
	expect_fail(tp_req_parse_body(&r), TP_EINVAL);
	ck_assert_ptr_null(strstr(r.fail_msg, "truncated"));
}
END_TEST

START_TEST(test_read_error)
{
	static const char form[] = "a=1";
	set_body("application/x-www-form-urlencoded", form, 3, 0);
	r.content_length = -1;
	mem.fail = true;
	expect_fail(tp_req_parse_body(&r), TP_EINVAL);
	ck_assert_uint_eq(r.form.n, 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* multipart                                                            */

#define BND   "----tpBOUNDARY123"
#define MP_CT "multipart/form-data; boundary=" BND

/* A growing body buffer for building multipart bodies. */
static char mbuf[128 * 1024];
static size_t mlen;

static void put(const void *p, size_t n)
{
	ck_assert_uint_le(mlen + n, sizeof(mbuf));
	memcpy(mbuf + mlen, p, n);
	mlen += n;
}

static void puts_(const char *s)
{
	put(s, strlen(s));
}

/* The file's bytes: every byte value, and things that look like (but are
 * not) delimiters. */
static char file_data[40000];
static size_t file_len;

static void make_file(size_t n)
{
	/* near misses only: a real delimiter may not occur in the data */
	static const char nasty[] =
	    "\r\n------tpBOUNDARY12\r\n-\r\n--x--" BND "\n--" BND "\r--" BND;
	ck_assert_uint_le(n, sizeof(file_data));
	for (size_t i = 0; i < n; i++)
		file_data[i] = (char)(i * 7 + (i >> 8));
	if (n > 600) {
		memcpy(file_data + 300, nasty, sizeof(nasty) - 1);
		memcpy(file_data + n - (sizeof(nasty) - 1), nasty,
		       sizeof(nasty) - 1); /* right before the delimiter */
	}
	file_len = n;
}

static void build_standard(size_t fsize)
{
	make_file(fsize);
	mlen = 0;
	puts_("preamble to ignore\r\n--" BND "\r\n"
	      "Content-Disposition: form-data; name=\"title\"\r\n"
	      "\r\n"
	      "Hello\r\nWorld\r\n--" BND " \t\r\n"
	      "content-disposition: FORM-DATA; name=notes\r\n"
	      "Content-Type: text/plain; charset=utf-8\r\n"
	      "\r\n"
	      "\r\n--" BND "\r\n"
	      "Content-Disposition: form-data; name=\"doc\"; "
	      "filename=\"r\xc3\xa9sum\xc3\xa9 \\\"1\\\".bin\"\r\n"
	      "Content-Type: application/x-thing\r\n"
	      "\r\n");
	put(file_data, file_len);
	puts_("\r\n--" BND "--\r\nepilogue to ignore\r\n");
}

static void check_standard(void)
{
	ck_assert_str_eq(tp_form(&r, "title"), "Hello\r\nWorld");
	ck_assert_str_eq(tp_form(&r, "notes"), "");
	ck_assert_ptr_null(tp_form(&r, "doc"));
	ck_assert_uint_eq(r.form.n, 2);
	ck_assert_uint_eq(r.n_uploads, 1);

	const tp_upload *u = tp_upload_get(&r, 0);
	ck_assert_ptr_nonnull(u);
	ck_assert_ptr_null(tp_upload_get(&r, 1));
	ck_assert_str_eq(u->field, "doc");
	ck_assert_str_eq(u->filename, "r\xc3\xa9sum\xc3\xa9 \"1\".bin");
	ck_assert_str_eq(u->content_type, "application/x-thing");
	ck_assert_uint_eq(u->size, file_len);
	ck_assert(strncmp(u->path, updir, strlen(updir)) == 0);

	/* byte for byte what was sent */
	static char got[sizeof(file_data) + 1];
	int fd = open(u->path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	size_t n = 0;
	ssize_t k;
	while ((k = read(fd, got + n, sizeof(got) - n)) > 0)
		n += (size_t)k;
	close(fd);
	ck_assert_uint_eq(n, file_len);
	ck_assert_mem_eq(got, file_data, file_len);

	/* gone with the request */
	char *path = strdup(u->path);
	tp_req_reset(&r);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(errno, ENOENT);
	free(path);
	ck_assert_ptr_null(tp_upload_get(&r, 0));
}

/* chunk sizes 1..7 and one big read */
START_TEST(test_multipart)
{
	build_standard(_i == 7 ? sizeof(file_data) : 2000);
	set_body(MP_CT, mbuf, mlen, _i == 7 ? 0 : (size_t)_i + 1);
	ck_assert_int_eq(tp_req_parse_body(&r), TP_OK);
	check_standard();
}
END_TEST

START_TEST(test_multipart_no_length)
{
	build_standard(sizeof(file_data));
	set_body(MP_CT, mbuf, mlen, 4093);
	r.content_length = -1;
	ck_assert_int_eq(tp_req_parse_body(&r), TP_OK);
	check_standard();
}
END_TEST

/* One read boundary at every position of a small body, so each delimiter
 * and header block is split at each of its bytes. */
START_TEST(test_multipart_every_split)
{
	build_standard(40);
	for (size_t s = 1; s < mlen; s++) {
		set_body(MP_CT, mbuf, mlen, 0);
		mem.split = s;
		ck_assert_msg(tp_req_parse_body(&r) == TP_OK, "split at %zu",
		              s);
		check_standard();
	}
}
END_TEST

START_TEST(test_multipart_quoted_boundary)
{
	static const char ct[] = "Multipart/Form-Data; charset=\"utf-8\"; "
	                         "boundary=\"a b:c\"";
	static const char body[] = "--a b:c\r\n"
	                           "Content-Disposition: form-data; name=x\r\n"
	                           "\r\n1\r\n--a b:c--";
	set_body(ct, body, strlen(body), 0);
	ck_assert_int_eq(tp_req_parse_body(&r), TP_OK);
	ck_assert_str_eq(tp_form(&r, "x"), "1");
}
END_TEST

START_TEST(test_multipart_bad_boundary)
{
	char ct[200];
	static const char *const bad[] = {
	    "multipart/form-data",
	    "multipart/form-data; boundary=",
	    "multipart/form-data; boundary=\"\"",
	    "multipart/form-data; boundary=\"ab \"",
	    "multipart/form-data; boundary=\"a\"b\"",
	    "multipart/form-data; boundary=a; boundary=b",
	    "multipart/form-data; boundary=\"ab",
	    "multipart/form-data; boundary=a{b",
	    NULL /* 71 characters */
	};
	static const char body[] = "--a--";
	if (bad[_i] == NULL) {
		int n =
		    snprintf(ct, sizeof(ct), "multipart/form-data; boundary=");
		memset(ct + n, 'b', 71);
		ct[n + 71] = '\0';
	} else {
		snprintf(ct, sizeof(ct), "%s", bad[_i]);
	}
	set_body(ct, body, strlen(body), 0);
	expect_fail(tp_req_parse_body(&r), TP_EINVAL);
}
END_TEST

START_TEST(test_multipart_boundary_70)
{
	char ct[200], body[300];
	int n = snprintf(ct, sizeof(ct), "multipart/form-data; boundary=");
	memset(ct + n, 'b', 70);
	ct[n + 70] = '\0';
	int m = snprintf(body, sizeof(body),
	                 "--%s\r\nContent-Disposition: form-data; name=k\r\n"
	                 "\r\nv\r\n--%s--",
	                 ct + n, ct + n);
	set_body(ct, body, (size_t)m, 5);
	ck_assert_int_eq(tp_req_parse_body(&r), TP_OK);
	ck_assert_str_eq(tp_form(&r, "k"), "v");
}
END_TEST

START_TEST(test_multipart_missing_end)
{
	static const char *const bad[] = {
	    /* no closing delimiter at all */
	    "--" BND "\r\nContent-Disposition: form-data; name=a\r\n"
	    "\r\nvalue",
	    /* delimiter without its "--" */
	    "--" BND "\r\nContent-Disposition: form-data; name=a\r\n"
	    "\r\nvalue\r\n--" BND,
	    "--" BND "\r\nContent-Disposition: form-data; name=a\r\n"
	    "\r\nvalue\r\n--" BND "-",
	    /* headers never end */
	    "--" BND "\r\nContent-Disposition: form-data; name=a\r\n",
	    /* no delimiter at all */
	    "just some text",
	    "",
	    /* a file cut short */
	    "--" BND "\r\nContent-Disposition: form-data; name=f; "
	    "filename=x\r\n\r\nabc",
	};
	const char *b = bad[_i];
	set_body(MP_CT, b, strlen(b), 3);
	expect_fail(tp_req_parse_body(&r), TP_EINVAL);
}
END_TEST

START_TEST(test_multipart_bad_part)
{
	static const char *const bad[] = {
	    /* no name */
	    "Content-Disposition: form-data\r\n",
	    "Content-Disposition: form-data; name=\"\"\r\n",
	    "Content-Disposition: form-data; filename=\"a.txt\"\r\n",
	    /* no Content-Disposition */
	    "Content-Type: text/plain\r\n",
	    "",
	    /* not form-data */
	    "Content-Disposition: attachment; name=a\r\n",
	    /* bad header lines */
	    "Content-Disposition form-data; name=a\r\n",
	    ": x\r\nContent-Disposition: form-data; name=a\r\n",
	    "Content-Disposition: form-data; name=a\r\n folded\r\n",
	    "Content-Disposition: form-data; name=a\nX: y\r\n",
	    "Content-Disposition: form-data; name=a; name=b\r\n",
	    ("Content-Disposition: form-data; name=a\r\n"
	     "Content-Disposition: form-data; name=b\r\n"),
	    "Content-Disposition: form-data; name=\"a\r\n",
	    "Content-Disposition: form-data; name\r\n",
	};
	mlen = 0;
	puts_("--" BND "\r\n");
	puts_(bad[_i]);
	puts_("\r\ndata\r\n--" BND "--\r\n");
	set_body(MP_CT, mbuf, mlen, 0);
	expect_fail(tp_req_parse_body(&r), TP_EINVAL);
	ck_assert_uint_eq(r.form.n, 0);
}
END_TEST

START_TEST(test_multipart_bad_boundary_line)
{
	static const char body[] =
	    "--" BND "X\r\nContent-Disposition: form-data; name=a\r\n\r\n"
	    "1\r\n--" BND "--";
	set_body(MP_CT, body, strlen(body), 0);
	expect_fail(tp_req_parse_body(&r), TP_EINVAL);
}
END_TEST

START_TEST(test_multipart_headers_too_big)
{
	static char big[9000];
	memset(big, 'a', sizeof(big) - 1);
	mlen = 0;
	puts_("--" BND "\r\nContent-Disposition: form-data; name=a\r\nX-Pad: ");
	puts_(big);
	puts_("\r\n\r\nv\r\n--" BND "--");
	set_body(MP_CT, mbuf, mlen, (size_t)_i * 1000 + 1);
	expect_fail(tp_req_parse_body(&r), TP_ETOOBIG);
}
END_TEST

START_TEST(test_multipart_headers_near_limit)
{
	/* a header block just under 8 KiB is fine */
	static char pad[8000];
	memset(pad, 'a', sizeof(pad) - 1);
	mlen = 0;
	puts_("--" BND "\r\nContent-Disposition: form-data; name=a\r\nX-Pad: ");
	puts_(pad);
	puts_("\r\n\r\nv\r\n--" BND "--");
	set_body(MP_CT, mbuf, mlen, 777);
	ck_assert_int_eq(tp_req_parse_body(&r), TP_OK);
	ck_assert_str_eq(tp_form(&r, "a"), "v");
}
END_TEST

START_TEST(test_multipart_too_big)
{
	cfg.max_upload = 8192;
	build_standard(10000);
	set_body(MP_CT, mbuf, mlen, 1000);
	/* _i == 1: no Content-Length, caught while streaming */
	if (_i == 1)
		r.content_length = -1;
	expect_fail(tp_req_parse_body(&r), TP_ETOOBIG);
	if (_i == 0)
		ck_assert_int_eq(mem.calls, 0);
	/* teardown checks the partial temp file went away */
}
END_TEST

START_TEST(test_multipart_too_many_fields)
{
	cfg.max_fields = 3;
	mlen = 0;
	for (int i = 0; i < 4; i++) {
		char part[200];
		snprintf(part, sizeof(part),
		         "--" BND "\r\nContent-Disposition: form-data; "
		         "name=f%d%s\r\n\r\nv\r\n",
		         i, i == 0 ? "; filename=a.txt" : "");
		puts_(part);
	}
	puts_("--" BND "--");
	set_body(MP_CT, mbuf, mlen, 0);
	expect_fail(tp_req_parse_body(&r), TP_ETOOBIG);

	/* three are fine */
	tp_req_reset(&r);
	cfg.max_fields = 4;
	set_body(MP_CT, mbuf, mlen, 0);
	ck_assert_int_eq(tp_req_parse_body(&r), TP_OK);
	ck_assert_uint_eq(r.form.n, 3);
	ck_assert_uint_eq(r.n_uploads, 1);
	ck_assert_str_eq(tp_upload_get(&r, 0)->content_type,
	                 "application/octet-stream");
}
END_TEST

START_TEST(test_multipart_field_limits)
{
	char val[1100];
	memset(val, 'v', sizeof(val) - 1);
	val[1024] = '\0'; /* exactly max_field_len */
	mlen = 0;
	puts_("--" BND "\r\nContent-Disposition: form-data; name=a\r\n\r\n");
	puts_(val);
	puts_("\r\n--" BND "--");
	set_body(MP_CT, mbuf, mlen, 100);
	ck_assert_int_eq(tp_req_parse_body(&r), TP_OK);
	ck_assert_uint_eq(strlen(tp_form(&r, "a")), 1024);

	tp_req_reset(&r);
	val[1024] = 'v';
	val[1025] = '\0';
	mlen = 0;
	puts_("--" BND "\r\nContent-Disposition: form-data; name=a\r\n\r\n");
	puts_(val);
	puts_("\r\n--" BND "--");
	set_body(MP_CT, mbuf, mlen, 100);
	expect_fail(tp_req_parse_body(&r), TP_ETOOBIG);
	ck_assert_str_eq(r.fail_field, "a");

	/* a NUL in a plain field is refused; in a file it is data */
	tp_req_reset(&r);
	mlen = 0;
	puts_("--" BND "\r\nContent-Disposition: form-data; name=a\r\n\r\n");
	put("x\0y", 3);
	puts_("\r\n--" BND "--");
	set_body(MP_CT, mbuf, mlen, 0);
	expect_fail(tp_req_parse_body(&r), TP_EINVAL);
}
END_TEST

START_TEST(test_multipart_empty_file)
{
	/* filename="" and no data: a browser's "no file chosen" */
	static const char body[] =
	    "--" BND "\r\nContent-Disposition: form-data; name=f; "
	    "filename=\"\"\r\nContent-Type: application/octet-stream\r\n"
	    "\r\n\r\n--" BND "\r\n"
	    "Content-Disposition: form-data; name=g; filename=\"e.txt\"\r\n"
	    "\r\n\r\n--" BND "--";
	set_body(MP_CT, body, strlen(body), 0);
	ck_assert_int_eq(tp_req_parse_body(&r), TP_OK);
	ck_assert_uint_eq(r.n_uploads, 1);
	const tp_upload *u = tp_upload_get(&r, 0);
	ck_assert_str_eq(u->field, "g");
	ck_assert_uint_eq(u->size, 0);
	struct stat st;
	ck_assert_int_eq(stat(u->path, &st), 0);
	ck_assert_int_eq(st.st_size, 0);
}
END_TEST

/* enough of everything that the arena-grown arrays must move */
START_TEST(test_many_fields)
{
	char form[512];
	size_t n = 0;
	cfg.max_fields = 40;
	for (int i = 0; i < 20; i++)
		n += (size_t)snprintf(form + n, sizeof(form) - n, "%sk%d=v%d",
		                      i ? "&" : "", i, i);
	set_body("application/x-www-form-urlencoded", form, n, 0);
	ck_assert_int_eq(tp_req_parse_body(&r), TP_OK);
	ck_assert_uint_eq(r.form.n, 20);
	for (int i = 0; i < 20; i++) {
		char k[16], v[16];
		snprintf(k, sizeof(k), "k%d", i);
		snprintf(v, sizeof(v), "v%d", i);
		ck_assert_str_eq(tp_form(&r, k), v);
	}

	tp_req_reset(&r);
	mlen = 0;
	for (int i = 0; i < 16; i++) {
		char part[200];
		snprintf(part, sizeof(part),
		         "--" BND "\r\nContent-Disposition: form-data; "
		         "name=f%d%s%d\r\n\r\nv%d\r\n",
		         i, i % 3 == 0 ? "; filename=file" : "; x=", i, i);
		puts_(part);
	}
	puts_("--" BND "--");
	set_body(MP_CT, mbuf, mlen, 5);
	ck_assert_int_eq(tp_req_parse_body(&r), TP_OK);
	ck_assert_uint_eq(r.form.n, 10);
	ck_assert_uint_eq(r.n_uploads, 6);
	for (int i = 0; i < 16; i++) {
		char k[16], v[16];
		snprintf(k, sizeof(k), "f%d", i);
		snprintf(v, sizeof(v), "v%d", i);
		if (i % 3 != 0) {
			ck_assert_str_eq(tp_form(&r, k), v);
			continue;
		}
		const tp_upload *u = tp_upload_get(&r, (size_t)i / 3);
		ck_assert_str_eq(u->field, k);
		ck_assert_uint_eq(u->size, strlen(v));
		char fn[16];
		snprintf(fn, sizeof(fn), "file%d", i);
		ck_assert_str_eq(u->filename, fn);
	}
}
END_TEST

START_TEST(test_multipart_bad_upload_dir)
{
	cfg.upload_dir = "/nonexistent/tierport";
	build_standard(100);
	set_body(MP_CT, mbuf, mlen, 0);
	expect_fail(tp_req_parse_body(&r), TP_EINTERNAL);
}
END_TEST

static Suite *request_suite(void)
{
	Suite *s = suite_create("request");
	TCase *tc = tcase_create("request");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_url_decode);
	tcase_add_test(tc, test_query);
	tcase_add_test(tc, test_query_empty);
	tcase_add_loop_test(tc, test_query_bad_escape, 0, 5);
	tcase_add_test(tc, test_query_too_long);
	tcase_add_test(tc, test_query_field_too_long);
	tcase_add_test(tc, test_too_many_fields);
	tcase_add_test(tc, test_cookies);
	tcase_add_test(tc, test_header_ci);
	tcase_add_test(tc, test_accessors);
	tcase_add_test(tc, test_reset_keeps_writer);
	tcase_add_test(tc, test_parse_i64);
	tcase_add_loop_test(tc, test_form, 0, 7);
	tcase_add_test(tc, test_form_no_length);
	tcase_add_test(tc, test_form_nul);
	tcase_add_loop_test(tc, test_json_ok, 0, 7);
	tcase_add_test(tc, test_json_array);
	tcase_add_loop_test(tc, test_json_bad, 0, 14);
	tcase_add_loop_test(tc, test_json_nul, 0, 4);
	tcase_add_test(tc, test_json_not_nul);
	tcase_add_test(tc, test_local_path);
	tcase_add_test(tc, test_json_too_deep);
	tcase_add_loop_test(tc, test_json_too_big, 0, 2);
	tcase_add_loop_test(tc, test_no_body, 0, 3);
	tcase_add_loop_test(tc, test_media_type, 0, 5);
	tcase_add_test(tc, test_no_content_type);
	tcase_add_loop_test(tc, test_truncated, 0, 3);
	tcase_add_loop_test(tc, test_longer_than_length, 0, 3);
	tcase_add_test(tc, test_read_error);
	tcase_add_loop_test(tc, test_multipart, 0, 8);
	tcase_add_test(tc, test_multipart_no_length);
	tcase_add_test(tc, test_multipart_every_split);
	tcase_add_test(tc, test_multipart_quoted_boundary);
	tcase_add_loop_test(tc, test_multipart_bad_boundary, 0, 9);
	tcase_add_test(tc, test_multipart_boundary_70);
	tcase_add_loop_test(tc, test_multipart_missing_end, 0, 7);
	tcase_add_loop_test(tc, test_multipart_bad_part, 0, 14);
	tcase_add_test(tc, test_multipart_bad_boundary_line);
	tcase_add_loop_test(tc, test_multipart_headers_too_big, 0, 3);
	tcase_add_test(tc, test_multipart_headers_near_limit);
	tcase_add_loop_test(tc, test_multipart_too_big, 0, 2);
	tcase_add_test(tc, test_multipart_too_many_fields);
	tcase_add_test(tc, test_multipart_field_limits);
	tcase_add_test(tc, test_multipart_empty_file);
	tcase_add_test(tc, test_many_fields);
	tcase_add_test(tc, test_multipart_bad_upload_dir);
	suite_add_tcase(s, tc);
	return s;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
	remove(path);
	return 0;
}

int main(void)
{
	if (mkdtemp(topdir) == NULL) {
		perror("mkdtemp");
		return EXIT_FAILURE;
	}
	SRunner *sr = srunner_create(request_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	/* a failed test skips its teardown; do not litter /tmp */
	nftw(topdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
