/* test_router.c -- core/http/router.c: patterns, precedence, /api/v1 mounting,
 * HEAD, 404/405 with Allow, clashes, percent-decoding per segment. */
#include "config.h"
#include "server/server.h"

#include "tp_check.h"
#include <stdlib.h>
#include <string.h>

static tp_rc h1(tp_req *r)
{
	return TP_OK;
}
static tp_rc h2(tp_req *r)
{
	return TP_OK;
}
static tp_rc h3(tp_req *r)
{
	return TP_OK;
}

static const tp_route routes[] = {
    {.methods = TP_GET, .path = "/things/{id}", .handler = h1},
    {.methods = TP_GET, .path = "/things/new", .handler = h2},
    {.methods = TP_POST | TP_PUT, .path = "/things", .handler = h3},
    {.methods = TP_GET,
     .path = "/a/{x}/b/{y}",
     .handler = h1,
     .flags = TP_ROUTE_API_ONLY},
    {.methods = TP_GET,
     .path = "/page",
     .handler = h2,
     .flags = TP_ROUTE_HTML_ONLY},
    {0}};

static tp_router rt;
static tp_arena a;

static void setup(void)
{
	char err[256];
	tp_router_init(&rt);
	tp_arena_init(&a);
	for (const tp_route *r = routes; r->path; r++)
		ck_assert_int_eq(tp_router_add(&rt, r, NULL, err, sizeof(err)),
		                 TP_OK);
}

static void teardown(void)
{
	tp_router_free(&rt);
	tp_arena_destroy(&a);
}

START_TEST(test_literal_beats_param)
{
	tp_match m;
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "/things/new", &m),
	                 TP_OK);
	ck_assert_ptr_eq(m.ent->route->handler, h2);
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "/things/42", &m),
	                 TP_OK);
	ck_assert_ptr_eq(m.ent->route->handler, h1);
	ck_assert_uint_eq(m.nparams, 1);
	ck_assert_str_eq(m.names[0], "id");
	ck_assert_str_eq(m.values[0], "42");
}
END_TEST

START_TEST(test_api_mount_and_flags)
{
	tp_match m;
	ck_assert_int_eq(
	    tp_router_match(&rt, &a, TP_GET, "/api/v1/things/7", &m), TP_OK);
	ck_assert(m.ent->api);
	ck_assert_str_eq(m.values[0], "7");
	/* API_ONLY: not at the bare path */
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "/a/1/b/2", &m),
	                 TP_ENOENT);
	ck_assert_int_eq(
	    tp_router_match(&rt, &a, TP_GET, "/api/v1/a/1/b/2", &m), TP_OK);
	ck_assert_uint_eq(m.nparams, 2);
	ck_assert_str_eq(m.names[1], "y");
	ck_assert_str_eq(m.values[1], "2");
	/* HTML_ONLY: not under /api/v1 */
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "/api/v1/page", &m),
	                 TP_ENOENT);
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "/page", &m), TP_OK);
}
END_TEST

START_TEST(test_head_and_405)
{
	tp_match m;
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_HEAD, "/things/1", &m),
	                 TP_OK);
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_DELETE, "/things/1", &m),
	                 TP_EMETHOD);
	ck_assert_uint_eq(m.allow, TP_GET | TP_HEAD);
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "/things", &m),
	                 TP_EMETHOD);
	ck_assert_uint_eq(m.allow, TP_POST | TP_PUT);
	/* an unknown method (0) on a known path is 405, unknown path 404 */
	ck_assert_int_eq(tp_router_match(&rt, &a, 0, "/things", &m),
	                 TP_EMETHOD);
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "/nothing", &m),
	                 TP_ENOENT);
}
END_TEST

START_TEST(test_path_edge_cases)
{
	tp_match m;
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "/things/1/", &m),
	                 TP_ENOENT);
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "//things/1", &m),
	                 TP_ENOENT);
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "things/1", &m),
	                 TP_ENOENT);
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "", &m), TP_ENOENT);
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, NULL, &m), TP_ENOENT);
	/* %2F stays inside the parameter */
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "/things/a%2Fb", &m),
	                 TP_OK);
	ck_assert_str_eq(m.values[0], "a/b");
	/* encoded literal segments match their decoded form */
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "/things/%6Eew", &m),
	                 TP_OK);
	ck_assert_ptr_eq(m.ent->route->handler, h2);
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "/things/%zz", &m),
	                 TP_EINVAL);
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "/things/a%00", &m),
	                 TP_EINVAL);
	/* absurd depth */
	char deep[200] = "";
	for (int i = 0; i < 40; i++)
		strcat(deep, "/x");
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, deep, &m), TP_ENOENT);
}
END_TEST

START_TEST(test_clashes_refused)
{
	char err[256];
	static const tp_route clash = {
	    .methods = TP_GET, .path = "/things/{other}", .handler = h3};
	static const tp_route other_method = {
	    .methods = TP_DELETE, .path = "/things/{other}", .handler = h3};
	static const tp_route api_clash = {.methods = TP_POST,
	                                   .path = "/api/v1/things",
	                                   .handler = h3,
	                                   .flags = TP_ROUTE_HTML_ONLY};
	size_t before = rt.n;
	ck_assert_int_eq(tp_router_add(&rt, &clash, NULL, err, sizeof(err)),
	                 TP_ECONFLICT);
	ck_assert_ptr_nonnull(strstr(err, "clashes"));
	ck_assert_uint_eq(rt.n, before);
	ck_assert_int_eq(tp_router_add(&rt, &api_clash, NULL, err, sizeof(err)),
	                 TP_ECONFLICT);
	/* same shape, another method: fine, and both answer */
	ck_assert_int_eq(
	    tp_router_add(&rt, &other_method, NULL, err, sizeof(err)), TP_OK);
	tp_match m;
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_DELETE, "/things/3", &m),
	                 TP_OK);
	ck_assert_str_eq(m.names[0], "other");
}
END_TEST

START_TEST(test_bad_patterns)
{
	char err[256];
	static const tp_route bad[] = {
	    {.methods = TP_GET, .path = "nosl", .handler = h1},
	    {.methods = TP_GET, .path = "/a//b", .handler = h1},
	    {.methods = TP_GET, .path = "/a/{x", .handler = h1},
	    {.methods = TP_GET, .path = "/a/x}", .handler = h1},
	    {.methods = TP_GET, .path = "/a/{}", .handler = h1},
	    {.methods = TP_HEAD, .path = "/h", .handler = h1},
	    {.methods = TP_GET, .path = "/nohandler"},
	    {0}};
	for (const tp_route *r = bad; r->path; r++)
		ck_assert_int_ne(tp_router_add(&rt, r, NULL, err, sizeof(err)),
		                 TP_OK);
}
END_TEST

START_TEST(test_remove_module)
{
	char err[256];
	static const tp_module fake = {TP_MODULE_HEAD, .name = "fake"};
	static const tp_route r = {
	    .methods = TP_GET, .path = "/fake/{id}", .handler = h1};
	ck_assert_int_eq(tp_router_add(&rt, &r, &fake, err, sizeof(err)),
	                 TP_OK);
	tp_match m;
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "/fake/1", &m),
	                 TP_OK);
	tp_router_remove_module(&rt, &fake);
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "/fake/1", &m),
	                 TP_ENOENT);
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "/things/1", &m),
	                 TP_OK);
}
END_TEST

START_TEST(test_method_parse)
{
	ck_assert_uint_eq(tp_method_parse("GET"), TP_GET);
	ck_assert_uint_eq(tp_method_parse("DELETE"), TP_DELETE);
	ck_assert_uint_eq(tp_method_parse("get"), 0);
	ck_assert_uint_eq(tp_method_parse("BREW"), 0);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("router");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_literal_beats_param);
	tcase_add_test(tc, test_api_mount_and_flags);
	tcase_add_test(tc, test_head_and_405);
	tcase_add_test(tc, test_path_edge_cases);
	tcase_add_test(tc, test_clashes_refused);
	tcase_add_test(tc, test_bad_patterns);
	tcase_add_test(tc, test_remove_module);
	tcase_add_test(tc, test_method_parse);
	suite_add_tcase(s, tc);
	return s;
}

TP_CHECK_MAIN(make_suite)
