/* test_loader.c -- core/server/module.c against real .so fixtures: a good
 * module loads and routes; a wrong ABI, a duplicate name, a clashing route and
 * a missing descriptor are each refused with their own log line. */
#include "config.h"
#include "server/server.h"

#include "tp_check.h"
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static tp_config cfg;
static tp_router rt;
static tp_modules ms;
static tp_arena a;
static char logpath[256];
static char good[1024], bad[1024], both[2100], data[1024];

static const char *builddir(void)
{
	const char *b = getenv("TP_BUILDDIR");
	return b ? b : ".";
}

static void setup(void)
{
	const char *src = getenv("TP_SRCDIR") ? getenv("TP_SRCDIR") : ".";
	snprintf(good, sizeof(good), "%s/t/fixtures/.libs", builddir());
	snprintf(bad, sizeof(bad), "%s/t/fixtures/bad/.libs", builddir());
	snprintf(both, sizeof(both), "%s:%s", good, bad);
	snprintf(data, sizeof(data), "%s/t/fixtures", src);
	memset(&cfg, 0, sizeof(cfg));
	cfg.modules_enabled = "*";
	cfg.module_data = data;
	tp_router_init(&rt);
	memset(&ms, 0, sizeof(ms));
	tp_arena_init(&a);
	snprintf(logpath, sizeof(logpath), "/tmp/tp-test-loader-%ld.log",
	         (long)getpid());
	if (!getenv("TP_KEEP_LOG"))
		unlink(logpath);
	tp_log_open(logpath, TP_LOG_DEBUG);
}

static void teardown(void)
{
	tp_modules_fini(&ms);
	tp_router_free(&rt);
	tp_arena_destroy(&a);
	if (!getenv("TP_KEEP_LOG"))
		unlink(logpath);
}

static bool log_has(const char *needle)
{
	FILE *f = fopen(logpath, "r");
	char line[4096];
	bool found = false;
	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strstr(line, needle) != NULL;
	fclose(f);
	return found;
}

START_TEST(test_good_module_loads_and_routes)
{
	int refused = -1;
	tp_match m;
	cfg.module_dirs = good;
	ck_assert_int_eq(tp_modules_load(&ms, &cfg, &rt, &refused), TP_OK);
	ck_assert_int_eq(refused, 0);
	ck_assert_uint_eq(ms.n, 1);
	ck_assert_str_eq(ms.mods[0].mod->name, "fixture");
	ck_assert_int_eq(
	    tp_router_match(&rt, &a, TP_GET, "/api/v1/fixture/items/3", &m),
	    TP_OK);
	ck_assert_ptr_eq(m.ent->module, ms.mods[0].mod);
	ck_assert(log_has("TP0207: module fixture 1.0 loaded"));
	char *dir = tp_module_data_dir(&cfg, "fixture");
	ck_assert_ptr_nonnull(dir);
	ck_assert_ptr_nonnull(strstr(dir, "t/fixtures/fixture"));
	free(dir);
	ck_assert_ptr_null(tp_module_data_dir(&cfg, "nosuchmodule"));
}
END_TEST

START_TEST(test_bad_modules_refused_each_with_reason)
{
	int refused = -1;
	tp_match m;
	cfg.module_dirs = both;
	ck_assert_int_eq(tp_modules_load(&ms, &cfg, &rt, &refused), TP_OK);
	ck_assert_uint_eq(ms.n, 1); /* only the good one */
	ck_assert_int_eq(refused, 4);
	ck_assert(log_has("badabi.so refused: ABI major mismatch"));
	ck_assert(log_has("name \"fixture\" already taken"));
	ck_assert(log_has("module clash refused: route \"/fixture/hello\" "
	                  "clashes"));
	ck_assert(log_has("nodesc.so refused: no tierport_module symbol"));
	/* the clashing module is refused whole: its other route is gone */
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "/clash/ok", &m),
	                 TP_ENOENT);
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "/fixture/hello", &m),
	                 TP_OK);
	ck_assert_str_eq(m.ent->module->name, "fixture");
}
END_TEST

START_TEST(test_not_enabled_is_skipped_not_refused)
{
	int refused = -1;
	cfg.module_dirs = good;
	cfg.modules_enabled = "invoices, tickets";
	tp_modules_load(&ms, &cfg, &rt, &refused);
	ck_assert_uint_eq(ms.n, 0);
	ck_assert_int_eq(refused, 0);
	ck_assert_uint_eq(rt.n, 0);
	tp_modules_fini(&ms);
	cfg.modules_enabled = "tickets,fixture";
	tp_modules_load(&ms, &cfg, &rt, &refused);
	ck_assert_uint_eq(ms.n, 1);
}
END_TEST

START_TEST(test_descriptor_checks)
{
	tp_module m = {TP_MODULE_HEAD, .name = "ok_name1", .version = "1"};
	ck_assert_ptr_null(tp_module_check(&m));
	m.magic = 0;
	ck_assert_ptr_nonnull(strstr(tp_module_check(&m), "magic"));
	m.magic = TP_MODULE_MAGIC;
	m.abi_minor = TP_ABI_MINOR + 1;
	ck_assert_ptr_nonnull(strstr(tp_module_check(&m), "newer ABI minor"));
	m.abi_minor = TP_ABI_MINOR;
	m.size = sizeof(tp_module) + 8;
	ck_assert_ptr_nonnull(strstr(tp_module_check(&m), "larger"));
	m.size = sizeof(tp_module);
	m.name = "Bad-Name";
	ck_assert_ptr_nonnull(strstr(tp_module_check(&m), "name"));
	m.name = "x";
	m.version = NULL;
	ck_assert_ptr_nonnull(strstr(tp_module_check(&m), "version"));
	m.version = "1";
	static const tp_area areas[] = {
	    {.name = "Bad Area", .label = "x", .rights = TP_RIGHT_VIEW}, {0}};
	m.areas = areas;
	ck_assert_ptr_nonnull(strstr(tp_module_check(&m), "area"));
}
END_TEST

/* ABI 2.5: sealed columns' names go into SQL text (reseal.c) and their
 * table must be the module's own */
START_TEST(test_sealed_columns_checked)
{
	static const tp_sealed_col good_cols[] = {
	    {.table = "fixture_notes", .id = "id", .col = "body_sealed"}, {0}};
	static const tp_sealed_col bad_table[] = {
	    {.table = "users; DROP TABLE users", .id = "id", .col = "x"}, {0}};
	static const tp_sealed_col bad_id[] = {
	    {.table = "fixture_notes", .id = "id`", .col = "x"}, {0}};
	static const tp_sealed_col bad_col[] = {
	    {.table = "fixture_notes", .id = "id", .col = NULL}, {0}};
	static const tp_sealed_col not_own[] = {
	    {.table = "users", .id = "id", .col = "totp_secret"}, {0}};
	tp_module m = {TP_MODULE_HEAD, .name = "fixture", .version = "1",
	               .migrations = "sql"};
	char buf[256];

	m.sealed = good_cols;
	ck_assert_ptr_null(tp_module_check(&m));
	ck_assert_ptr_null(tp_module_sealed_owned(&cfg, &m, buf, sizeof(buf)));
	m.sealed = bad_table;
	ck_assert_ptr_nonnull(strstr(tp_module_check(&m), "sealed column"));
	m.sealed = bad_id;
	ck_assert_ptr_nonnull(strstr(tp_module_check(&m), "sealed column"));
	m.sealed = bad_col;
	ck_assert_ptr_nonnull(strstr(tp_module_check(&m), "sealed column"));
	/* a core table: named the right way, but not the module's */
	m.sealed = not_own;
	ck_assert_ptr_null(tp_module_check(&m));
	ck_assert_ptr_nonnull(
	    strstr(tp_module_sealed_owned(&cfg, &m, buf, sizeof(buf)),
	           "users.totp_secret: the table is not the module's"));
	/* made by one of its migrations (not named after it); a table it
	 * only alters or names in a comment is not */
	char tmp[] = "/tmp/tp-test-sealed-XXXXXX", path[512];
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	snprintf(path, sizeof(path), "%s/widgets", tmp);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/widgets/sql", tmp);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/widgets/sql/001_widgets.sql", tmp);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("-- the users table is the core's\nALTER TABLE users ADD x INT;\n"
	      "create table if not exists `payment_cards`(\n  id INT\n);\n",
	      f);
	fclose(f);
	static const tp_sealed_col made[] = {
	    {.table = "payment_cards", .id = "id", .col = "number_sealed"},
	    {0}};
	cfg.module_data = tmp;
	m.name = "widgets";
	m.sealed = made;
	ck_assert_ptr_null(tp_module_sealed_owned(&cfg, &m, buf, sizeof(buf)));
	m.sealed = not_own;
	ck_assert_ptr_nonnull(
	    tp_module_sealed_owned(&cfg, &m, buf, sizeof(buf)));
	m.migrations = NULL;
	m.sealed = made;
	ck_assert_ptr_nonnull(
	    tp_module_sealed_owned(&cfg, &m, buf, sizeof(buf)));
	unlink(path);
	snprintf(path, sizeof(path), "%s/widgets/sql", tmp);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/widgets", tmp);
	rmdir(path);
	rmdir(tmp);
}
END_TEST

static int fini_calls;
static tp_rc failing_init(tp_core *core)
{
	return TP_EINVAL;
}
static tp_rc ok_init(tp_core *core)
{
	return TP_OK;
}
static void count_fini(void)
{
	fini_calls++;
}
static tp_rc nop(tp_req *r)
{
	return TP_OK;
}

START_TEST(test_failing_init_unloads_module)
{
	static const tp_route routes[] = {
	    {.methods = TP_GET, .path = "/bad/init", .handler = nop}, {0}};
	static const tp_module failing = {
	    TP_MODULE_HEAD,   .name = "failing",    .version = "1",
	    .routes = routes, .init = failing_init, .fini = count_fini};
	static const tp_module fine = {TP_MODULE_HEAD, .name = "fine",
	                               .version = "1", .init = ok_init,
	                               .fini = count_fini};
	char err[256];
	tp_core core = {&cfg, &ms, &rt};
	tp_match m;
	ms.mods = calloc(2, sizeof(tp_loaded));
	ms.mods[0] = (tp_loaded){&failing, dlopen(NULL, RTLD_NOW),
	                         strdup("failing.so"), false};
	ms.mods[1] = (tp_loaded){&fine, dlopen(NULL, RTLD_NOW),
	                         strdup("fine.so"), false};
	ms.n = 2;
	ck_assert_int_eq(
	    tp_router_add(&rt, &routes[0], &failing, err, sizeof(err)), TP_OK);
	tp_modules_init(&ms, &core, &rt);
	ck_assert_uint_eq(ms.n, 1);
	ck_assert_str_eq(ms.mods[0].mod->name, "fine");
	ck_assert(log_has("module failing refused: init failed (invalid)"));
	ck_assert_int_eq(tp_router_match(&rt, &a, TP_GET, "/bad/init", &m),
	                 TP_ENOENT);
	fini_calls = 0;
	tp_modules_fini(&ms);
	ck_assert_int_eq(fini_calls, 1); /* only the inited one */
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("loader");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_good_module_loads_and_routes);
	tcase_add_test(tc, test_bad_modules_refused_each_with_reason);
	tcase_add_test(tc, test_not_enabled_is_skipped_not_refused);
	tcase_add_test(tc, test_descriptor_checks);
	tcase_add_test(tc, test_sealed_columns_checked);
	tcase_add_test(tc, test_failing_init_unloads_module);
	suite_add_tcase(s, tc);
	return s;
}

TP_CHECK_MAIN(make_suite)
