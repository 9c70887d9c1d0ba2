/*
 * test_view.c -- tests for core/http/view.c and core/http/tmpl.cc: JSON and
 * HTML responses, status mapping, escaping, template lookup and streaming, all
 * through an in-memory response writer. Never touches the network or a DB.
 */
#include "config.h"
#include "server/server.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- fixture */

static tp_config cfg;
static char dir_tpl[4200], dir_brand[4200], dir_mods[8400];

typedef struct capture {
	char *buf;
	size_t len, cap;
	int writes;
	size_t first; /* length of the first write (the headers) */
} capture;

static tp_req req;
static capture cap;

static int cap_write(void *ud, const void *p, size_t n)
{
	capture *c = ud;
	if (c->len + n + 1 > c->cap) {
		c->cap = (c->len + n + 1) * 2;
		c->buf = realloc(c->buf, c->cap);
		ck_assert_ptr_nonnull(c->buf);
	}
	memcpy(c->buf + c->len, p, n);
	c->len += n;
	c->buf[c->len] = '\0';
	if (c->writes++ == 0)
		c->first = n;
	return (int)n;
}

static void setup(void)
{
	tp_req_init(&req, NULL, &cfg);
	snprintf(req.reqid, sizeof(req.reqid), "req-test-1");
	req.out_write = cap_write;
	req.out_ud = &cap;
	req.path = "/vt/page";
	memset(&cap, 0, sizeof(cap));
}

static void teardown(void)
{
	tp_req_reset(&req);
	tp_arena_destroy(&req.arena);
	free(cap.buf);
	memset(&cap, 0, sizeof(cap));
}

/* ------------------------------------------------------- response parsing */

static const char *body(void)
{
	ck_assert_ptr_nonnull(cap.buf);
	char *p = strstr(cap.buf, "\r\n\r\n");
	ck_assert_ptr_nonnull(p);
	return p + 4;
}

/* The value of header name in the captured response (static buffer), or
 * NULL. Only the header block is searched. */
static const char *header(const char *name)
{
	static char val[1024];
	size_t nl = strlen(name);
	const char *end = strstr(cap.buf, "\r\n\r\n");

	ck_assert_ptr_nonnull(end);
	for (const char *p = cap.buf; p < end;) {
		const char *eol = strstr(p, "\r\n");
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1;
			while (*v == ' ')
				v++;
			snprintf(val, sizeof(val), "%.*s", (int)(eol - v), v);
			return val;
		}
		p = eol + 2;
	}
	return NULL;
}

static int status(void)
{
	ck_assert_msg(strncmp(cap.buf, "Status: ", 8) == 0, "no status line");
	return atoi(cap.buf + 8);
}

static json_object *body_json(void)
{
	json_object *o = json_tokener_parse(body());
	ck_assert_msg(o != NULL, "body is not JSON: %s", body());
	return o;
}

static const char *jstr(json_object *o, const char *path1, const char *path2)
{
	json_object *v;
	ck_assert(json_object_object_get_ex(o, path1, &v));
	if (path2 != NULL)
		ck_assert(json_object_object_get_ex(v, path2, &v));
	return json_object_get_string(v);
}

/* ------------------------------------------------------------------- JSON */

START_TEST(json_success)
{
	req.api = true;
	json_object *v = tp_view(&req);
	ck_assert_ptr_eq(v, tp_view(&req));
	json_object_object_add(v, "name", json_object_new_string("ann"));
	json_object_object_add(v, "n", json_object_new_int(5));
	tp_respond(&req, TP_OK);

	ck_assert_int_eq(status(), 200);
	ck_assert_str_eq(header("Content-Type"),
	                 "application/json; charset=utf-8");
	ck_assert_str_eq(header("X-Request-Id"), "req-test-1");
	ck_assert_int_eq(atoi(header("Content-Length")), strlen(body()));
	ck_assert_str_eq(header("X-Content-Type-Options"), "nosniff");
	ck_assert_ptr_null(header("Vary")); /* /api/v1 is always JSON */
	json_object *o = body_json();
	ck_assert_str_eq(jstr(o, "name", NULL), "ann");
	ck_assert_str_eq(jstr(o, "n", NULL), "5");
	json_object_put(o);
}
END_TEST

START_TEST(json_empty_view)
{
	req.api = true;
	tp_respond(&req, TP_OK);
	ck_assert_int_eq(status(), 200);
	ck_assert_str_eq(body(), "{}");
	/* one response per request */
	size_t len = cap.len;
	tp_respond(&req, TP_EINTERNAL);
	ck_assert_int_eq(cap.len, len);
}
END_TEST

START_TEST(json_error)
{
	req.api = true;
	ck_assert_int_eq(tp_fail(&req, TP_EINVAL, "amount",
	                         "must be a whole number, not %s", "1.5"),
	                 TP_EINVAL);
	/* the first failure wins */
	tp_fail(&req, TP_EINVAL, "other", "second");
	tp_respond(&req, TP_EINVAL);

	ck_assert_int_eq(status(), 400);
	ck_assert(strncmp(cap.buf, "Status: 400 Bad Request\r\n", 25) == 0);
	json_object *o = body_json();
	ck_assert_str_eq(jstr(o, "error", "code"), "invalid");
	ck_assert_str_eq(jstr(o, "error", "message"),
	                 "must be a whole number, not 1.5");
	ck_assert_str_eq(jstr(o, "error", "field"), "amount");
	ck_assert_str_eq(jstr(o, "request_id", NULL), "req-test-1");
	json_object_put(o);
}
END_TEST

START_TEST(json_error_5xx_hides_detail)
{
	req.api = true;
	tp_fail(&req, TP_EDB, NULL, "Table 'secret.users' doesn't exist");
	tp_respond(&req, TP_EDB);
	ck_assert_int_eq(status(), 500);
	ck_assert_ptr_null(strstr(cap.buf, "secret"));
	json_object *o = body_json();
	ck_assert_str_eq(jstr(o, "error", "code"), "database_error");
	json_object *e, *f;
	ck_assert(json_object_object_get_ex(o, "error", &e));
	ck_assert(!json_object_object_get_ex(e, "field", &f));
	json_object_put(o);
}
END_TEST

static const struct {
	tp_rc rc;
	const char *line;
} status_cases[] = {
    {TP_OK, "Status: 200 OK\r\n"},
    {TP_DECLINED, "Status: 404 Not Found\r\n"},
    {TP_EINVAL, "Status: 400 Bad Request\r\n"},
    {TP_EAUTH, "Status: 401 Unauthorized\r\n"},
    {TP_EPERM, "Status: 403 Forbidden\r\n"},
    {TP_ENOENT, "Status: 404 Not Found\r\n"},
    {TP_ECONFLICT, "Status: 409 Conflict\r\n"},
    {TP_ETOOBIG, "Status: 413 Payload Too Large\r\n"},
    {TP_EMEDIA, "Status: 415 Unsupported Media Type\r\n"},
    {TP_EDB, "Status: 500 Internal Server Error\r\n"},
    {TP_EUNAVAIL, "Status: 503 Service Unavailable\r\n"},
    {TP_EINTERNAL, "Status: 500 Internal Server Error\r\n"},
};

START_TEST(status_lines)
{
	req.api = true;
	tp_respond(&req, status_cases[_i].rc);
	ck_assert_msg(strncmp(cap.buf, status_cases[_i].line,
	                      strlen(status_cases[_i].line)) == 0,
	              "rc %d gave %.40s", status_cases[_i].rc, cap.buf);
	ck_assert_str_eq(header("X-Request-Id"), "req-test-1");
	if (status_cases[_i].rc != TP_OK) {
		json_object *o = body_json();
		ck_assert_str_eq(jstr(o, "error", "code"),
		                 tp_rc_code(status_cases[_i].rc));
		json_object_put(o);
	}
}
END_TEST

START_TEST(status_set_by_handler)
{
	req.api = true;
	tp_set_status(&req, 201);
	tp_set_status(&req, 42); /* refused */
	tp_respond(&req, TP_OK);
	ck_assert(strncmp(cap.buf, "Status: 201 Created\r\n", 21) == 0);
}
END_TEST

START_TEST(status_success_ignored_on_error)
{
	req.api = true;
	tp_set_status(&req, 201);
	tp_respond(&req, TP_ENOENT);
	ck_assert_int_eq(status(), 404);
}
END_TEST

START_TEST(status_handler_4xx_on_error)
{
	req.api = true;
	tp_set_status(&req, 422);
	tp_respond(&req, tp_fail(&req, TP_EINVAL, "x", "no"));
	ck_assert_int_eq(status(), 422);
}
END_TEST

START_TEST(head_json)
{
	req.api = true;
	req.head = true;
	json_object_object_add(tp_view(&req), "a", json_object_new_int(1));
	tp_respond(&req, TP_OK);
	ck_assert_int_eq(status(), 200);
	ck_assert_int_eq(atoi(header("Content-Length")), strlen("{\"a\":1}"));
	ck_assert_str_eq(body(), "");
}
END_TEST

START_TEST(head_html)
{
	req.head = true;
	tp_view_template(&req, "vt/page.tpl");
	json_object_object_add(tp_view(&req), "name",
	                       json_object_new_string("x"));
	tp_respond(&req, TP_OK);
	ck_assert_int_eq(status(), 200);
	ck_assert_int_gt(atoi(header("Content-Length")), 100);
	ck_assert_str_eq(body(), "");
}
END_TEST

START_TEST(no_content)
{
	req.api = true;
	tp_set_status(&req, 204);
	tp_respond(&req, TP_OK);
	ck_assert_int_eq(status(), 204);
	ck_assert_ptr_null(header("Content-Length"));
	ck_assert_str_eq(body(), "");
}
END_TEST

/* ------------------------------------------------------------------- HTML */

static void fill_page_view(const char *name)
{
	json_object *v = tp_view(&req), *items = json_object_new_array();
	json_object_object_add(v, "name", json_object_new_string(name));
	for (int i = 1; i <= 2; i++) {
		json_object *it = json_object_new_object();
		json_object_object_add(it, "id", json_object_new_int(i));
		json_object_object_add(
		    it, "label",
		    json_object_new_string(i == 1 ? "one" : "two"));
		json_object_array_add(items, it);
	}
	json_object_object_add(v, "items", items);
	json_object_object_add(v, "tags", json_object_new_array());
}

START_TEST(html_page_in_layout)
{
	json_object *menu = json_object_new_array();
	const char *labels[] = {"Home", "Page"}, *hrefs[] = {"/", "/vt"};
	for (int i = 0; i < 2; i++) {
		json_object *m = json_object_new_object();
		json_object_object_add(m, "label",
		                       json_object_new_string(labels[i]));
		json_object_object_add(m, "href",
		                       json_object_new_string(hrefs[i]));
		json_object_array_add(menu, m);
	}
	tp_view_set_menu(menu);

	tp_view_template(&req, "vt/page.tpl");
	tp_view_title(&req, "The Page");
	fill_page_view("ann");
	tp_respond(&req, TP_OK);
	tp_view_set_menu(NULL);

	const char *b = body();
	ck_assert_int_eq(status(), 200);
	ck_assert_str_eq(header("Content-Type"), "text/html; charset=utf-8");
	ck_assert_str_eq(header("X-Request-Id"), "req-test-1");
	ck_assert_str_eq(header("Vary"), "Accept");
	ck_assert_int_eq(atoi(header("Content-Length")), strlen(b));
	ck_assert_msg(strstr(b, "<!DOCTYPE html>") != NULL, "%s", b);
	ck_assert_msg(strstr(b, "<title>The Page | Unit Portal</title>"), "%s",
	              b);
	ck_assert_msg(strstr(b, "<h1 class=\"vt-page\">Hello, ann!</h1>"), "%s",
	              b);
	ck_assert_msg(strstr(b, "<li data-id=\"1\">one</li><li data-id=\"2\">"
	                        "two</li>"),
	              "%s", b);
	ck_assert_msg(strstr(b, "no tags"), "%s", b);
	ck_assert_ptr_null(strstr(b, "no items"));
	ck_assert_msg(strstr(b, "<a href=\"/vt\" aria-current=\"page\">Page"),
	              "%s", b);
	ck_assert_msg(strstr(b, "<a href=\"/\">Home</a>"), "%s", b);
	ck_assert_msg(strstr(b, "data-brand=\"default\""), "%s", b);
	ck_assert_msg(strstr(b, "<code>req-test-1</code>"), "%s", b);
	/* the layout's keys do not leak into the JSON view */
	json_object *t;
	ck_assert(!json_object_object_get_ex(req.view, "title", &t));
	ck_assert(!json_object_object_get_ex(req.view, "menu", &t));
	ck_assert_int_eq(json_object_object_length(req.view), 3);
}
END_TEST

START_TEST(html_escapes_json_does_not)
{
	static const char evil[] = "<script>alert(1)</script>";

	tp_view_template(&req, "vt/page.tpl");
	fill_page_view(evil);
	tp_view_title(&req, evil);
	tp_respond(&req, TP_OK);
	ck_assert_int_eq(status(), 200);
	ck_assert_msg(strstr(body(), "&lt;script&gt;alert(1)&lt;/script&gt;"),
	              "%s", body());
	ck_assert_ptr_null(strstr(body(), "<script>"));

	teardown();
	setup();
	req.api = true;
	fill_page_view(evil);
	tp_respond(&req, TP_OK);
	json_object *o = body_json();
	ck_assert_str_eq(jstr(o, "name", NULL), evil);
	json_object_put(o);
}
END_TEST

START_TEST(html_brand_override)
{
	req.brand = "acme";
	tp_view_template(&req, "vt/page.tpl");
	fill_page_view("bob");
	tp_respond(&req, TP_OK);
	ck_assert_int_eq(status(), 200);
	ck_assert_msg(strstr(body(), "ACME greets bob"), "%s", body());
	ck_assert_msg(strstr(body(), "data-brand=\"acme\""), "%s", body());

	/* another brand without an override gets the module's file */
	const char *p = tp_template_path(&req, "vt/page.tpl");
	ck_assert_ptr_nonnull(strstr(p, "/brand/acme/vt/page.tpl"));
	req.brand = "other";
	p = tp_template_path(&req, "vt/page.tpl");
	ck_assert_ptr_nonnull(strstr(p, "/modules/vt/templates/page.tpl"));
	/* cached lookups give the same answers */
	ck_assert_ptr_nonnull(strstr(tp_template_path(&req, "vt/page.tpl"),
	                             "/modules/vt/templates/page.tpl"));
	req.brand = "acme";
	ck_assert_ptr_nonnull(strstr(tp_template_path(&req, "vt/page.tpl"),
	                             "/brand/acme/vt/page.tpl"));
	/* core pages come from template_dir */
	ck_assert_ptr_nonnull(strstr(tp_template_path(&req, "layout.tpl"),
	                             "/templates/layout.tpl"));
}
END_TEST

START_TEST(template_names_refused)
{
	ck_assert_ptr_null(tp_template_path(&req, "../templates/layout.tpl"));
	ck_assert_ptr_null(tp_template_path(&req, "vt/../../etc/passwd"));
	ck_assert_ptr_null(tp_template_path(&req, "/etc/passwd"));
	ck_assert_ptr_null(tp_template_path(&req, ""));
	ck_assert_ptr_null(tp_template_path(&req, NULL));
	req.brand = "../modules";
	ck_assert_ptr_null(tp_template_path(&req, "vt/templates/page.tpl"));

	teardown();
	setup();
	tp_view_template(&req, "vt/../vt/page.tpl");
	fill_page_view("x");
	tp_respond(&req, TP_OK);
	ck_assert_int_eq(status(), 500);
}
END_TEST

static void expect_500_page(void)
{
	ck_assert_int_eq(status(), 500);
	ck_assert_str_eq(header("Content-Type"), "text/html; charset=utf-8");
	ck_assert_msg(strstr(body(), "class=\"tp-error\""), "%s", body());
	ck_assert_msg(strstr(body(), "Internal Server Error"), "%s", body());
	ck_assert_msg(strstr(body(), "req-test-1"), "%s", body());
}

START_TEST(missing_template_is_500)
{
	tp_view_template(&req, "vt/nope.tpl");
	fill_page_view("x");
	tp_respond(&req, TP_OK);
	expect_500_page();
}
END_TEST

START_TEST(unescaped_template_refused)
{
	tp_view_template(&req, "vt/raw.tpl");
	fill_page_view("<b>x</b>");
	tp_respond(&req, TP_OK);
	expect_500_page();
	ck_assert_ptr_null(strstr(body(), "<b>x</b>"));
}
END_TEST

START_TEST(broken_template_is_500)
{
	tp_view_template(&req, "vt/broken.tpl");
	fill_page_view("x");
	tp_respond(&req, TP_OK);
	expect_500_page();
}
END_TEST

START_TEST(builtin_error_page)
{
	req.brand = "broken"; /* its layout.tpl does not parse */
	tp_fail(&req, TP_ENOENT, NULL, "no <such> thing");
	tp_respond(&req, TP_ENOENT);
	ck_assert_int_eq(status(), 404);
	ck_assert_msg(strstr(body(), "<h1>404 Not Found</h1>"), "%s", body());
	ck_assert_msg(strstr(body(), "no &lt;such&gt; thing"), "%s", body());
	ck_assert_int_eq(atoi(header("Content-Length")), strlen(body()));
}
END_TEST

START_TEST(html_error_page)
{
	tp_view_template(&req, "vt/page.tpl");
	tp_fail(&req, TP_EPERM, "partner", "not <yours>");
	tp_respond(&req, TP_EPERM);
	ck_assert_int_eq(status(), 403);
	const char *b = body();
	ck_assert_msg(strstr(b, "<!DOCTYPE html>"), "%s", b);
	ck_assert_msg(strstr(b, "403</span> Forbidden"), "%s", b);
	ck_assert_msg(strstr(b, "not &lt;yours&gt;"), "%s", b);
	ck_assert_msg(strstr(b, "<code>partner</code>"), "%s", b);
	ck_assert_msg(strstr(b, "<title>Forbidden | Unit Portal</title>"), "%s",
	              b);
}
END_TEST

START_TEST(html_form_again)
{
	tp_view_template(&req, "vt/form.tpl");
	json_object_object_add(tp_view(&req), "amount",
	                       json_object_new_string("1.5"));
	tp_respond(&req, tp_fail(&req, TP_EINVAL, "amount", "must be whole"));
	ck_assert_int_eq(status(), 400);
	const char *b = body();
	ck_assert_msg(strstr(b, "<p class=\"form-error\" data-status=\"400\">"
	                        "must be whole</p>"),
	              "%s", b);
	ck_assert_msg(strstr(b, "value=\"1.5\" class=\"invalid\""), "%s", b);
}
END_TEST

START_TEST(html_without_template_sends_json)
{
	json_object_object_add(tp_view(&req), "a", json_object_new_int(1));
	tp_respond(&req, TP_OK);
	ck_assert_int_eq(status(), 200);
	ck_assert_str_eq(header("Content-Type"),
	                 "application/json; charset=utf-8");
	ck_assert_str_eq(body(), "{\"a\":1}");
}
END_TEST

START_TEST(html_redirect)
{
	tp_set_status(&req, 303);
	tp_set_header(&req, "Location", "/vt/page");
	tp_respond(&req, TP_OK);
	ck_assert_int_eq(status(), 303);
	ck_assert_str_eq(header("Location"), "/vt/page");
	ck_assert_str_eq(header("Content-Length"), "0");
}
END_TEST

START_TEST(healthz_page)
{
	tp_view_template(&req, "healthz.tpl");
	json_object *v = tp_view(&req);
	json_object_object_add(v, "db", json_object_new_string("ok"));
	json_object_object_add(v, "cache", json_object_new_string("down"));
	tp_respond(&req, TP_OK);
	ck_assert_int_eq(status(), 200);
	ck_assert_msg(strstr(body(), "tp-state-ok\" data-check=\"db\">ok<"),
	              "%s", body());
	ck_assert_msg(
	    strstr(body(), "tp-state-down\" data-check=\"cache\">down<"), "%s",
	    body());
}
END_TEST

/* ---------------------------------------------------------------- headers */

START_TEST(header_injection_dropped)
{
	req.api = true;
	tp_set_header(&req, "X-Good", "yes");
	tp_set_header(&req, "X-Bad", "a\r\nSet-Cookie: evil=1");
	tp_set_header(&req, "Bad Name", "x");
	tp_set_header(&req, "Content-Length", "1");
	tp_respond(&req, TP_OK);
	ck_assert_str_eq(header("X-Good"), "yes");
	ck_assert_ptr_null(header("X-Bad"));
	ck_assert_ptr_null(header("Set-Cookie"));
	ck_assert_ptr_null(strstr(cap.buf, "Bad Name"));
	ck_assert_str_eq(header("Content-Length"), "2");
}
END_TEST

START_TEST(allow_on_405)
{
	req.api = true;
	req.match.allow = TP_GET | TP_POST | TP_DELETE;
	tp_respond(&req, tp_fail(&req, TP_EMETHOD, NULL, "nope"));
	ck_assert_int_eq(status(), 405);
	ck_assert_str_eq(header("Allow"), "GET, HEAD, POST, DELETE");

	teardown();
	setup();
	req.match.allow = TP_PUT;
	tp_respond(&req, TP_EMETHOD);
	ck_assert_int_eq(status(), 405);
	ck_assert_str_eq(header("Allow"), "PUT");
	ck_assert_msg(strstr(body(), "Method Not Allowed"), "%s", body());

	teardown();
	setup();
	req.api = true;
	tp_respond(&req, TP_ENOENT);
	ck_assert_ptr_null(header("Allow"));
}
END_TEST

/* ---------------------------------------------------------- negotiation */

static const struct {
	const char *accept;
	int json;
} accept_cases[] = {
    {"application/json", 1},
    {"*/json", 1},
    {"application/json, text/plain, */*", 1},
    {"application/json, text/javascript, */*; q=0.01", 1},
    {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", 0},
    {"text/html, application/json", 0},
    {"application/json, text/html", 1},
    {"application/json;q=0.5, text/html", 0},
    {"text/html;q=0.5, application/json;q=0.9", 1},
    {"application/json;q=0", 0},
    {"*/*", 0},
    {"", 0},
    {"APPLICATION/JSON", 1},
    /* equal q: the more specific range wins, then the earlier one */
    {"text/*, application/json", 1},
    {"*/*, application/json", 1},
    {"text/html, */json", 0},
    {"application/*", 1},
};

START_TEST(wants_json)
{
	tp_kv_add(&req, &req.headers, "accept", accept_cases[_i].accept);
	ck_assert_msg(tp_wants_json(&req) == accept_cases[_i].json,
	              "Accept: %s", accept_cases[_i].accept);
}
END_TEST

START_TEST(wants_json_api_and_default)
{
	ck_assert_int_eq(tp_wants_json(&req), 0);
	req.api = true;
	ck_assert_int_eq(tp_wants_json(&req), 1);
}
END_TEST

/* -------------------------------------------------------------- streaming */

START_TEST(stream)
{
	tp_set_header(&req, "X-Rows", "2");
	ck_assert_int_eq(tp_stream_begin(&req, "text/csv; charset=utf-8",
	                                 "../my report\".csv"),
	                 TP_OK);
	ck_assert(req.streaming);
	ck_assert_int_eq(cap.writes, 1);
	/* headers are out before any chunk */
	ck_assert_str_eq(cap.buf + cap.first - 4, "\r\n\r\n");
	ck_assert_int_eq(tp_stream_printf(&req, "n,square\r\n"), TP_OK);
	ck_assert_int_eq(tp_stream_write(&req, "1,1\r\n", 5), TP_OK);
	char big[3000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(tp_stream_printf(&req, "%s\r\n", big), TP_OK);
	ck_assert_int_eq(cap.writes, 4);
	tp_respond(&req, TP_OK);
	tp_respond(&req, TP_EDB); /* logged, nothing written */
	ck_assert_int_eq(cap.writes, 4);

	ck_assert_int_eq(status(), 200);
	ck_assert_str_eq(header("Content-Type"), "text/csv; charset=utf-8");
	ck_assert_str_eq(header("X-Accel-Buffering"), "no");
	ck_assert_str_eq(header("X-Request-Id"), "req-test-1");
	ck_assert_str_eq(header("X-Rows"), "2");
	ck_assert_str_eq(header("Content-Disposition"),
	                 "attachment; filename=\"_._my_report_.csv\"");
	ck_assert_ptr_null(header("Content-Length"));
	ck_assert(strncmp(body(), "n,square\r\n1,1\r\nxxx", 18) == 0);
	ck_assert_int_eq(strlen(body()), 10 + 5 + 2999 + 2);

	ck_assert_int_eq(tp_stream_begin(&req, "text/plain", NULL),
	                 TP_EINTERNAL);
}
END_TEST

START_TEST(stream_head)
{
	req.head = true;
	ck_assert_int_eq(tp_stream_begin(&req, NULL, NULL), TP_OK);
	ck_assert_int_eq(tp_stream_printf(&req, "data"), TP_OK);
	tp_respond(&req, TP_OK);
	ck_assert_int_eq(cap.writes, 1);
	ck_assert_str_eq(header("Content-Type"), "application/octet-stream");
	ck_assert_ptr_null(header("Content-Disposition"));
	ck_assert_str_eq(body(), "");
}
END_TEST

START_TEST(stream_write_without_begin)
{
	ck_assert_int_eq(tp_stream_write(&req, "x", 1), TP_EINTERNAL);
	ck_assert_int_eq(cap.writes, 0);
}
END_TEST

static int fail_write(void *ud, const void *p, size_t n)
{
	(void)ud;
	(void)p;
	(void)n;
	return -1;
}

START_TEST(stream_client_gone)
{
	req.out_write = fail_write;
	ck_assert_int_eq(tp_stream_begin(&req, "text/csv", "a.csv"),
	                 TP_EINTERNAL);
	ck_assert(req.out_error);
	ck_assert_int_eq(tp_stream_printf(&req, "x"), TP_EINTERNAL);
}
END_TEST

/* ------------------------------------------------- json -> dictionary */

START_TEST(tmpl_data_mapping)
{
	char path[8500], err[256], *out = NULL;
	size_t len = 0;
	snprintf(path, sizeof(path), "%s/vt/templates/map.tpl",
	         strchr(cfg.module_data, ':') + 1);

	json_object *d = json_tokener_parse(
	    "{\"str\":\"a&b\",\"int\":42,\"big\":-9007199254740993,"
	    "\"huge\":18446744073709551615,\"neg\":-1,\"dbl\":0.1,"
	    "\"yes\":true,\"no\":false,\"zero\":0,\"blank\":\"\","
	    "\"nothing\":null,\"first-name\":\"Fa\",\"2fa\":\"skip\","
	    "\"user\":{\"login\":\"u1\",\"role\":{\"name\":\"admin\"}},"
	    "\"emptyobj\":{},\"nums\":[1,2,3],\"grid\":[[1,2],[3]],"
	    "\"list\":[]}");
	ck_assert_ptr_nonnull(d);
	int rc = tp_tmpl_render(path, NULL, d, &out, &len, err, sizeof(err));
	json_object_put(d);
	ck_assert_msg(rc == 0, "%s", err);
	ck_assert_int_eq(len, strlen(out));
	ck_assert_msg(strstr(out, "s=[a&amp;b] i=[42] big=[-9007199254740993] "
	                          "huge=[18446744073709551615] neg=[-1] "
	                          "d=[0.1] t=[true] f=[false]"),
	              "%s", out);
	ck_assert_msg(strstr(out, "yes-shown"), "%s", out);
	ck_assert_ptr_null(strstr(out, "no-shown"));
	ck_assert_msg(strstr(out, "no-empty"), "%s", out);
	ck_assert_ptr_null(strstr(out, "zero-shown"));
	ck_assert_msg(strstr(out, "zero-empty"), "%s", out);
	ck_assert_ptr_null(strstr(out, "blank-shown"));
	ck_assert_msg(strstr(out, "blank-empty"), "%s", out);
	ck_assert_ptr_null(strstr(out, "null-shown"));
	ck_assert_msg(strstr(out, "null-empty"), "%s", out);
	ck_assert_msg(strstr(out, "str-shown:a&amp;b"), "%s", out);
	ck_assert_msg(strstr(out, "dash=[Fa] digit=[]"), "%s", out);
	/* sections see outer keys */
	ck_assert_msg(strstr(out, "user:u1/a&amp;brole:admin"), "%s", out);
	ck_assert_msg(strstr(out, "emptyobj-shown"), "%s", out);
	ck_assert_msg(strstr(out, "scalars:<1>,<2>,<3>"), "%s", out);
	ck_assert_msg(strstr(out, "nested:[12][3]"), "%s", out);
	ck_assert_msg(strstr(out, "list-empty"), "%s", out);
	ck_assert_ptr_null(strstr(out, "list-shown"));
	free(out);
}
END_TEST

/* A key a level has hides the same key around it, whatever its value: an
 * option's "current": false inside a form whose "current" is an object
 * showed every option as selected (an account's status select read
 * "closed", and one click closed an active customer). */
START_TEST(tmpl_inner_key_hides_outer)
{
	char path[8500], err[256], *out = NULL;
	size_t len = 0;
	snprintf(path, sizeof(path), "%s/vt/templates/map.tpl",
	         strchr(cfg.module_data, ':') + 1);
	json_object *d = json_tokener_parse(
	    "{\"current\":{\"id\":1},\"email\":\"outer@x.test\","
	    "\"opts\":[{\"v\":\"active\",\"current\":true},"
	    "{\"v\":\"suspended\",\"current\":false},"
	    "{\"v\":\"closed\",\"current\":null}],"
	    "\"rows\":[{\"email\":null},{\"email\":\"in@x.test\"},{}]}");
	ck_assert_ptr_nonnull(d);
	int rc = tp_tmpl_render(path, NULL, d, &out, &len, err, sizeof(err));
	json_object_put(d);
	ck_assert_msg(rc == 0, "%s", err);
	ck_assert_msg(strstr(out, "opts:active*;suspended;closed;"), "%s", out);
	/* null hides the outer value; a missing key still reads it */
	ck_assert_msg(strstr(out, "rows:[][in@x.test][outer@x.test]"), "%s",
	              out);
	free(out);
}
END_TEST

START_TEST(tmpl_errors)
{
	char err[256], *out = (char *)1;
	size_t len = 1;

	ck_assert_int_eq(tp_tmpl_render("/nonexistent/x.tpl", NULL, NULL, &out,
	                                &len, err, sizeof(err)),
	                 -1);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(len, 0);
	ck_assert_msg(strstr(err, "No such file"), "%s", err);
	ck_assert_int_eq(tp_tmpl_render("relative.tpl", NULL, NULL, &out, &len,
	                                err, sizeof(err)),
	                 -1);
	ck_assert_msg(strstr(err, "absolute"), "%s", err);
	json_object *arr = json_object_new_array();
	ck_assert_int_eq(
	    tp_tmpl_render("/x.tpl", NULL, arr, &out, &len, err, sizeof(err)),
	    -1);
	json_object_put(arr);
	ck_assert_msg(strstr(err, "not an object"), "%s", err);
}
END_TEST

START_TEST(tmpl_too_deep)
{
	char path[8500], err[256], *out = NULL;
	size_t len;
	snprintf(path, sizeof(path), "%s/vt/templates/map.tpl",
	         strchr(cfg.module_data, ':') + 1);
	json_object *d = json_object_new_object(), *cur = d;
	for (int i = 0; i < 40; i++) {
		json_object *n = json_object_new_object();
		json_object_object_add(cur, "user", n);
		cur = n;
	}
	ck_assert_int_eq(
	    tp_tmpl_render(path, NULL, d, &out, &len, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "deeper"), "%s", err);
	json_object_put(d);
}
END_TEST

/* ---------------------------------------------- render data (tmpl.cc) */

START_TEST(tmpl_key_clash)
{
	char path[8500], err[256], *out = NULL;
	size_t len;
	snprintf(path, sizeof(path), "%s/vt/templates/map.tpl",
	         strchr(cfg.module_data, ':') + 1);
	/* both spell FIRST_NAME: the later key's value wins */
	json_object *d =
	    json_tokener_parse("{\"first-name\":\"Fa\",\"first_name\":\"Fb\"}");
	ck_assert_int_eq(
	    tp_tmpl_render(path, NULL, d, &out, &len, err, sizeof(err)), 0);
	ck_assert_msg(strstr(out, "dash=[Fb]"), "%s", out);
	free(out);
	json_object_put(d);
}
END_TEST

static void set_menu(const char *const *labels, const char *const *hrefs, int n)
{
	json_object *menu = json_object_new_array();
	for (int i = 0; i < n; i++) {
		json_object *m = json_object_new_object();
		json_object_object_add(m, "label",
		                       json_object_new_string(labels[i]));
		json_object_object_add(m, "href",
		                       json_object_new_string(hrefs[i]));
		json_object_array_add(menu, m);
	}
	tp_view_set_menu(menu);
}

static void render_page_at(const char *path)
{
	teardown();
	setup();
	req.path = path;
	tp_view_template(&req, "vt/page.tpl");
	fill_page_view("x");
	tp_respond(&req, TP_OK);
	ck_assert_int_eq(status(), 200);
}

/* The menu is copied per thread and only its marks change per request:
 * each page must show its own, and a new menu must show at once. */
START_TEST(html_menu_marks_per_request)
{
	static const char *const labels[] = {"Home", "Page"};
	static const char *const hrefs[] = {"/", "/vt"};
	set_menu(labels, hrefs, 2);

	render_page_at("/vt/page");
	ck_assert_msg(strstr(body(), "<a href=\"/vt\" aria-current=\"page\">"),
	              "%s", body());
	ck_assert_msg(strstr(body(), "<a href=\"/\">Home"), "%s", body());
	render_page_at("/");
	ck_assert_msg(strstr(body(), "<a href=\"/\" aria-current=\"page\">"),
	              "%s", body());
	ck_assert_msg(strstr(body(), "<a href=\"/vt\">Page"), "%s", body());
	render_page_at("/elsewhere");
	ck_assert_ptr_null(strstr(body(), "aria-current"));
	render_page_at("/vt");
	ck_assert_msg(strstr(body(), "<a href=\"/vt\" aria-current=\"page\">"),
	              "%s", body());

	static const char *const labels2[] = {"Other"};
	static const char *const hrefs2[] = {"/other"};
	set_menu(labels2, hrefs2, 1);
	render_page_at("/vt");
	ck_assert_msg(strstr(body(), "<a href=\"/other\">Other</a>"), "%s",
	              body());
	ck_assert_ptr_null(strstr(body(), "Home"));

	/* an item with a mark of its own keeps it unless the page is its */
	json_object *menu = json_tokener_parse(
	    "[{\"label\":\"Own\",\"href\":\"/own\",\"active\":false}]");
	tp_view_set_menu(menu);
	render_page_at("/vt");
	ck_assert_msg(strstr(body(), "<a href=\"/own\">Own</a>"), "%s", body());
	render_page_at("/own");
	ck_assert_msg(strstr(body(), "<a href=\"/own\" aria-current=\"page\">"),
	              "%s", body());
	tp_view_set_menu(NULL);
}
END_TEST

/* The layout's keys are laid over the view's without copying it: in HTML
 * they win, the JSON view keeps its own. */
START_TEST(html_layout_keys_win)
{
	tp_view_template(&req, "vt/page.tpl");
	tp_view_title(&req, "The Page");
	fill_page_view("ann");
	json_object *v = tp_view(&req);
	json_object_object_add(v, "site_name", json_object_new_string("Evil"));
	json_object_object_add(v, "title", json_object_new_string("view"));
	tp_respond(&req, TP_OK);
	ck_assert_msg(strstr(body(), "<title>The Page | Unit Portal</title>"),
	              "%s", body());
	ck_assert_ptr_null(strstr(body(), "Evil"));
	json_object *t;
	ck_assert(json_object_object_get_ex(req.view, "site_name", &t));
	ck_assert_str_eq(json_object_get_string(t), "Evil");
	ck_assert_int_eq(json_object_object_length(req.view), 5);
}
END_TEST

/* AUTOESCAPE holds for every string that reaches a page: the page's own,
 * nested sections, the layout's keys and the menu. */
START_TEST(html_escapes_everywhere)
{
	static const char evil[] = "<script>alert(1)</script>";
	static const char *const labels[] = {evil};
	static const char *const hrefs[] = {"/vt"};
	set_menu(labels, hrefs, 1);

	req.brand = "<script>";
	tp_view_template(&req, "vt/page.tpl");
	tp_view_title(&req, evil);
	json_object *v = tp_view(&req), *items = json_object_new_array();
	json_object *it = json_object_new_object();
	json_object_object_add(it, "id", json_object_new_string(evil));
	json_object_object_add(it, "label", json_object_new_string(evil));
	json_object_array_add(items, it);
	json_object_object_add(v, "name", json_object_new_string(evil));
	json_object_object_add(v, "items", items);
	tp_respond(&req, TP_OK);
	tp_view_set_menu(NULL);

	const char *b = body();
	ck_assert_int_eq(status(), 200);
	ck_assert_msg(strstr(b, "<script") == NULL, "%s", b);
	int n = 0;
	for (const char *p = b; (p = strstr(p, "&lt;script&gt;")) != NULL; p++)
		n++;
	/* title, name, id, label, menu label, brand */
	ck_assert_msg(n >= 6, "%d escaped in %s", n, b);
}
END_TEST

/* ------------------------------------------------------------------ main */

static Suite *view_suite(void)
{
	Suite *s = suite_create("view");
	TCase *tc = tcase_create("view");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, json_success);
	tcase_add_test(tc, json_empty_view);
	tcase_add_test(tc, json_error);
	tcase_add_test(tc, json_error_5xx_hides_detail);
	tcase_add_loop_test(tc, status_lines, 0,
	                    sizeof(status_cases) / sizeof(status_cases[0]));
	tcase_add_test(tc, status_set_by_handler);
	tcase_add_test(tc, status_success_ignored_on_error);
	tcase_add_test(tc, status_handler_4xx_on_error);
	tcase_add_test(tc, head_json);
	tcase_add_test(tc, head_html);
	tcase_add_test(tc, no_content);
	tcase_add_test(tc, html_page_in_layout);
	tcase_add_test(tc, html_escapes_json_does_not);
	tcase_add_test(tc, html_brand_override);
	tcase_add_test(tc, template_names_refused);
	tcase_add_test(tc, missing_template_is_500);
	tcase_add_test(tc, unescaped_template_refused);
	tcase_add_test(tc, broken_template_is_500);
	tcase_add_test(tc, builtin_error_page);
	tcase_add_test(tc, html_error_page);
	tcase_add_test(tc, html_form_again);
	tcase_add_test(tc, html_without_template_sends_json);
	tcase_add_test(tc, html_redirect);
	tcase_add_test(tc, healthz_page);
	tcase_add_test(tc, header_injection_dropped);
	tcase_add_test(tc, allow_on_405);
	tcase_add_loop_test(tc, wants_json, 0,
	                    sizeof(accept_cases) / sizeof(accept_cases[0]));
	tcase_add_test(tc, wants_json_api_and_default);
	tcase_add_test(tc, stream);
	tcase_add_test(tc, stream_head);
	tcase_add_test(tc, stream_write_without_begin);
	tcase_add_test(tc, stream_client_gone);
	tcase_add_test(tc, tmpl_data_mapping);
	tcase_add_test(tc, tmpl_inner_key_hides_outer);
	tcase_add_test(tc, tmpl_errors);
	tcase_add_test(tc, tmpl_too_deep);
	tcase_add_test(tc, tmpl_key_clash);
	tcase_add_test(tc, html_menu_marks_per_request);
	tcase_add_test(tc, html_layout_keys_win);
	tcase_add_test(tc, html_escapes_everywhere);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	const char *src = getenv("TP_SRCDIR");
	static char abs_src[4096];
	if (src == NULL || *src == '\0')
		src = ".";
	if (realpath(src, abs_src) != NULL)
		src = abs_src;
	snprintf(dir_tpl, sizeof(dir_tpl), "%s/templates", src);
	snprintf(dir_brand, sizeof(dir_brand), "%s/t/unit/tpl/brand", src);
	/* the first entry does not exist: the lookup must go on to the next */
	snprintf(dir_mods, sizeof(dir_mods),
	         "%s/t/unit/tpl/none:%s/t/unit/tpl/modules", src, src);
	cfg.template_dir = dir_tpl;
	cfg.brand_dir = dir_brand;
	cfg.module_data = dir_mods;
	cfg.default_brand = "default";
	cfg.site_name = "Unit Portal";
	/* ctemplate complains on stderr about the broken templates on
	 * purpose; errors from view.c go to the same place */
	tp_log_open(NULL, TP_LOG_ERR);

	SRunner *sr = srunner_create(view_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	tp_tmpl_clear_cache();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
