/* test_grid.c -- core/data/grid.c: the SQL a declared grid produces for the
 * query string (sort, filters, keyset cursor, scope) and the values bound
 * to it. parse() and tp_grid_sql() without a database (the brand's column
 * settings are set here as load_settings would leave them; only a partner
 * login's page asks MariaDB, for its subtree's size, and no case here does).
 * Static functions, hence the #include. */
#include "../../core/data/grid.c"

#include "tp_check.h"

static const char *const states[] = {"active", "suspended", "closed", NULL};
static const tp_grid_col cols[] = {{.key = "number",
                                    .label = "Number",
                                    .type = TP_COL_TEXT,
                                    .flags = TP_COL_SORT | TP_COL_FILTER,
                                    .expr = "a.number",
                                    .index = "accounts_number"},
                                   {.key = "name",
                                    .label = "Name",
                                    .type = TP_COL_TEXT,
                                    .flags = TP_COL_SORT | TP_COL_FILTER,
                                    .expr = "a.name"},
                                   {.key = "status",
                                    .label = "Status",
                                    .type = TP_COL_STATUS,
                                    .flags = TP_COL_FILTER | TP_COL_GROUP,
                                    .expr = "a.status",
                                    .values = states},
                                   {.key = "balance",
                                    .label = "Balance",
                                    .type = TP_COL_MONEY,
                                    .flags = TP_COL_SORT | TP_COL_FILTER,
                                    .expr = "a.balance",
                                    .currency_expr = "a.currency"},
                                   {.key = "opened",
                                    .label = "Opened",
                                    .type = TP_COL_DATE,
                                    .flags = TP_COL_FILTER | TP_COL_OPTIONAL,
                                    .expr = "DATE(a.created_at)"},
                                   {0}};
static const tp_grid grid = {.name = "t_accounts",
                             .title = "Accounts",
                             .cols = cols,
                             .from = "accounts a JOIN partners p ON p.id = "
                                     "a.partner_id",
                             .id_expr = "a.id",
                             .tenant_expr = "a.tenant_id",
                             .partner_expr = "a.partner_id",
                             .account_expr = "a.id",
                             .default_sort = "number"};

static tp_req req;
static tp_brand brand;
static tp_viewer viewer;
static tp_grid_run run;

static void setup(void)
{
	tp_req_init(&req, NULL, NULL);
	memset(&brand, 0, sizeof(brand));
	brand.id = 7;
	memset(&viewer, 0, sizeof(viewer));
	viewer.kind = TP_USER_OPERATOR;
	viewer.tenant_id = 7;
	req.tenant = &brand;
	req.viewer = &viewer;
	memset(&run, 0, sizeof(run));
	run.g = &grid;
	for (const tp_grid_col *c = cols; c->key != NULL; c++) {
		size_t i = run.ncols++;
		run.label[i] = c->label;
		run.avail[i] = true;
		run.shown[i] = !(c->flags & TP_COL_OPTIONAL);
		run.pos[i] = (int)i;
	}
}

static void teardown(void)
{
	tp_req_reset(&req);
	tp_arena_destroy(&req.arena);
}

static void q(const char *name, const char *value)
{
	tp_kv_add(&req, &req.query, name, value);
}

/* the i-th bound value as text ("7", "abc%") */
static const char *arg(size_t i)
{
	ck_assert_uint_lt(i, run.nargs);
	return run.args[i].s
	           ? run.args[i].s
	           : tp_printf(&req, "%lld", (long long)run.args[i].i);
}

static const char *bad_param(void)
{
	return req.fail_field ? req.fail_field : "";
}

START_TEST(test_default_operator)
{
	ck_assert_int_eq(parse(&req, &run, NULL, 0), TP_OK);
	ck_assert_str_eq(
	    tp_grid_sql(&run, 51),
	    "SELECT a.id, a.number, a.number, a.name, a.status, "
	    "a.balance, a.currency FROM accounts a JOIN partners p "
	    "ON p.id = a.partner_id WHERE a.tenant_id = ? ORDER BY "
	    "a.number ASC, a.id ASC LIMIT 51");
	ck_assert_uint_eq(run.nargs, 1);
	ck_assert_str_eq(arg(0), "7");
}
END_TEST

START_TEST(test_sort_desc_and_filters)
{
	q("sort", "-balance");
	q("cols", "name,opened");
	q("f.name", "50%_of\\it");
	q("f.status", "active,closed");
	q("f.balance.min", "12.5");
	q("f.opened.to", "2026-12-31");
	ck_assert_int_eq(parse(&req, &run, "a.partner_id = ?", 3), TP_OK);
	ck_assert_str_eq(
	    tp_grid_sql(&run, 0),
	    "SELECT a.id, a.balance, a.name, DATE(a.created_at) FROM accounts "
	    "a JOIN partners p ON p.id = a.partner_id WHERE a.tenant_id = ? "
	    "AND "
	    "a.partner_id = ? AND a.name LIKE ? ESCAPE '\\\\' AND a.status IN "
	    "(?, ?) AND a.balance >= ? AND DATE(a.created_at) <= ? ORDER BY "
	    "a.balance DESC, a.id DESC");
	ck_assert_uint_eq(run.nargs, 7);
	ck_assert_str_eq(arg(1), "3");
	/* LIKE's own characters taken literally: a prefix, never a pattern */
	ck_assert_str_eq(arg(2), "50\\%\\_of\\\\it%");
	ck_assert_str_eq(arg(3), "active");
	ck_assert_str_eq(arg(4), "closed");
	ck_assert_str_eq(arg(5), "125000"); /* money: ten-thousandths */
	ck_assert_str_eq(arg(6), "2026-12-31");
}
END_TEST

/* a page after a cursor: (sort value, id) past the cursor's, the sort
 * column's index forced for the whole brand; "before" turns it round */
START_TEST(test_cursor_after)
{
	q("after", "42:100017");
	ck_assert_int_eq(parse(&req, &run, NULL, 0), TP_OK);
	ck_assert(run.force_index);
	ck_assert_str_eq(tp_grid_sql(&run, 51),
	                 "SELECT a.id, a.number, a.number, a.name, a.status, "
	                 "a.balance, a.currency FROM accounts a FORCE INDEX "
	                 "(accounts_number) JOIN partners p ON p.id = "
	                 "a.partner_id WHERE a.tenant_id = ? AND (a.number > ? "
	                 "OR (a.number = ? AND a.id > ?)) ORDER BY a.number "
	                 "ASC, a.id ASC LIMIT 51");
	ck_assert_str_eq(arg(1), "100017");
	ck_assert_str_eq(arg(2), "100017");
	ck_assert_str_eq(arg(3), "42");
}
END_TEST

START_TEST(test_cursor_before_desc)
{
	q("sort", "-name");
	q("before", "9:Acme");
	ck_assert_int_eq(parse(&req, &run, NULL, 0), TP_OK);
	ck_assert(!run.force_index); /* name declares no index */
	const char *sql = tp_grid_sql(&run, 51);
	/* backward on a descending sort: ascending from the cursor, the page
	 * turned round after reading */
	ck_assert_ptr_nonnull(
	    strstr(sql, "AND (a.name > ? OR (a.name = ? AND a.id > ?)) ORDER "
	                "BY a.name ASC, a.id ASC LIMIT 51"));
	ck_assert_str_eq(arg(1), "Acme");
	ck_assert_str_eq(arg(3), "9");
}
END_TEST

/* a customer sees its corporate subtree's rows; a partner login's export
 * (no page: no subtree size asked) its partner subtree's */
START_TEST(test_scope)
{
	viewer.kind = TP_USER_CUSTOMER;
	viewer.account_id = 5;
	ck_assert_int_eq(parse(&req, &run, NULL, 0), TP_OK);
	ck_assert_ptr_nonnull(strstr(
	    tp_grid_sql(&run, 51),
	    " WHERE a.tenant_id = ? AND EXISTS (SELECT 1 FROM account_tree gt "
	    "WHERE gt.ancestor = ? AND gt.descendant = a.id) ORDER BY"));
	ck_assert_str_eq(arg(1), "5");

	teardown();
	setup();
	viewer.kind = TP_USER_PARTNER;
	viewer.partner_id = 11;
	viewer.view_partner_id = 12; /* currently viewing: that subtree */
	q("format", "csv");
	ck_assert_int_eq(parse(&req, &run, NULL, 0), TP_OK);
	ck_assert_ptr_nonnull(strstr(
	    tp_grid_sql(&run, 0),
	    " WHERE a.tenant_id = ? AND EXISTS (SELECT 1 FROM partner_tree gt "
	    "WHERE gt.ancestor = ? AND gt.descendant = a.partner_id) ORDER "
	    "BY"));
	ck_assert_str_eq(arg(1), "12");

	/* an operator viewing as a partner sees that partner's subtree, not
	 * the whole brand */
	teardown();
	setup();
	viewer.kind = TP_USER_OPERATOR;
	viewer.view_partner_id = 12;
	q("format", "csv");
	ck_assert_int_eq(parse(&req, &run, NULL, 0), TP_OK);
	ck_assert_ptr_nonnull(strstr(
	    tp_grid_sql(&run, 0),
	    " WHERE a.tenant_id = ? AND EXISTS (SELECT 1 FROM partner_tree gt "
	    "WHERE gt.ancestor = ? AND gt.descendant = a.partner_id) ORDER "
	    "BY"));
	ck_assert_str_eq(arg(1), "12");

	/* a grid with no account column shows a customer nothing */
	teardown();
	setup();
	tp_grid g2 = grid;
	g2.account_expr = NULL;
	run.g = &g2;
	viewer.kind = TP_USER_CUSTOMER;
	viewer.account_id = 5;
	ck_assert_int_eq(parse(&req, &run, NULL, 0), TP_OK);
	ck_assert_ptr_nonnull(strstr(tp_grid_sql(&run, 51),
	                             "WHERE a.tenant_id = ? AND 1 = 0 ORDER"));
}
END_TEST

/* every bad parameter: a 400 naming it, before any SQL exists */
START_TEST(test_bad_params)
{
	static const char *const cases[][3] = {
	    {"sort", "status", "sort"},    /* not sortable */
	    {"sort", "nosuch", "sort"},    /* not a column */
	    {"cols", "name,name", "cols"}, /* repeated */
	    {"limit", "501", "limit"},
	    {"group", "name", "group"},
	    {"format", "docx", "format"},
	    {"f.status", "open", "f.status"},
	    {"f.balance.min", "1e3", "f.balance.min"},
	    {"f.opened.from", "2026-02-30x", "f.opened.from"},
	    {"f.name.min", "a", "f.name.min"},
	    {"f.nosuch", "a", "f.nosuch"},
	    {"after", "x:1", "after"},
	    {"after", "1", "after"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		teardown();
		setup();
		q(cases[i][0], cases[i][1]);
		ck_assert_int_eq(parse(&req, &run, NULL, 0), TP_EINVAL);
		ck_assert_str_eq(bad_param(), cases[i][2]);
	}
	teardown();
	setup();
	q("after", "1:2");
	q("before", "1:2");
	ck_assert_int_eq(parse(&req, &run, NULL, 0), TP_EINVAL);
	ck_assert_str_eq(bad_param(), "before");
}
END_TEST

/* a brand's hidden column is no column at all: not shown, not sortable,
 * not filterable */
START_TEST(test_hidden_column)
{
	run.avail[1] = false; /* name */
	q("sort", "name");
	ck_assert_int_eq(parse(&req, &run, NULL, 0), TP_EINVAL);
	ck_assert_str_eq(bad_param(), "sort");
	teardown();
	setup();
	run.avail[1] = false;
	ck_assert_int_eq(parse(&req, &run, NULL, 0), TP_OK);
	ck_assert_ptr_null(strstr(tp_grid_sql(&run, 51), "a.name"));
}
END_TEST

static Suite *grid_suite(void)
{
	Suite *s = suite_create("grid");
	TCase *tc = tcase_create("sql");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_default_operator);
	tcase_add_test(tc, test_sort_desc_and_filters);
	tcase_add_test(tc, test_cursor_after);
	tcase_add_test(tc, test_cursor_before_desc);
	tcase_add_test(tc, test_scope);
	tcase_add_test(tc, test_bad_params);
	tcase_add_test(tc, test_hidden_column);
	suite_add_tcase(s, tc);
	return s;
}

TP_CHECK_MAIN(grid_suite)
