/*
 * fuzz_grid.c -- libFuzzer target for a grid's query parameters
 * (core/data/grid.c's parse(): cols, sort, limit, group, format, f.*
 * filters, after/before cursors) and the SQL they make. The first byte
 * picks the viewer (operator: the whole brand; customer: an account
 * subtree) and whether the route adds its own condition; the rest is the
 * query string, parsed as the request parser does. A partner viewer's page
 * asks MariaDB for its subtree's size, so it is left out. Static functions,
 * hence the #include (as t/unit/test_grid.c). Built by tools/fuzz grid.
 */
#include "../../core/data/grid.c"

#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const states[] = {"active", "suspended", "closed", NULL};
/* one column of each type and flag, as the accounts grid declares them */
static const tp_grid_col cols[] = {
    {.key = "number",
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
     .currency_expr = "a.currency",
     .index = "accounts_balance"},
    {.key = "services",
     .label = "Services",
     .type = TP_COL_NUMBER,
     .flags = TP_COL_SORT | TP_COL_FILTER | TP_COL_OPTIONAL,
     .expr = "a.nservices"},
    {.key = "opened",
     .label = "Opened",
     .type = TP_COL_DATE,
     .flags = TP_COL_SORT | TP_COL_FILTER | TP_COL_OPTIONAL,
     .expr = "DATE(a.created_at)"},
    {.key = "hidden",
     .label = "Hidden",
     .type = TP_COL_TEXT,
     .flags = TP_COL_SORT | TP_COL_FILTER,
     .expr = "a.secret"},
    {0}};
static const tp_grid grid = {.name = "f_accounts",
                             .title = "Accounts",
                             .cols = cols,
                             .from = "accounts a JOIN partners p ON p.id = "
                                     "a.partner_id",
                             .id_expr = "a.id",
                             .tenant_expr = "a.tenant_id",
                             .partner_expr = "a.partner_id",
                             .account_expr = "a.id",
                             .default_sort = "number"};
static tp_config cfg;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	cfg.max_fields = 64;
	cfg.max_field_len = 2048;
	cfg.max_query = 4096;
	tp_log_open(NULL, TP_LOG_ERR);
	return 0;
}

static size_t count(const char *s, char c)
{
	size_t n = 0;
	for (; *s != '\0'; s++)
		n += *s == c;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static tp_grid_run run;
	tp_req req;
	tp_brand brand = {.id = 7};
	tp_viewer viewer = {.tenant_id = 7, .account_id = 11};

	if (size < 1)
		return 0;
	tp_req_init(&req, NULL, &cfg);
	viewer.kind = data[0] & 1 ? TP_USER_CUSTOMER : TP_USER_OPERATOR;
	req.tenant = &brand;
	req.viewer = &viewer;
	req.query_string = tp_strndup(&req, (const char *)data + 1, size - 1);
	memset(&run, 0, sizeof(run));
	run.g = &grid;
	for (const tp_grid_col *c = cols; c->key != NULL; c++) {
		size_t i = run.ncols++;
		run.label[i] = c->label;
		run.avail[i] =
		    strcmp(c->key, "hidden") != 0; /* the brand hid it */
		run.shown[i] = !(c->flags & TP_COL_OPTIONAL);
		run.pos[i] = (int)(run.ncols * 7 % 5);
	}
	if (data[0] & 2)
		run.user_cols = "name,balance"; /* a saved choice */

	if (tp_req_parse_query(&req) == TP_OK) {
		tp_rc rc = data[0] & 4
		               ? parse(&req, &run, "a.partner_id = ?", 3)
		               : parse(&req, &run, NULL, 0);
		if (rc == TP_OK) {
			if (run.nvis < 1 || run.nvis > run.ncols ||
			    run.sort < 0 || (size_t)run.sort >= run.ncols ||
			    run.limit < 1 || run.limit > LIMIT_MAX ||
			    run.nargs > TP_GRID_MAX_ARGS)
				abort();
			for (size_t k = 0; k < run.nvis; k++)
				if (!run.avail[run.vis[k]])
					abort(); /* a column the brand hid */
			if (run.group >= 0 && !run.avail[run.group])
				abort();
			/* every value is bound: one placeholder per argument,
			 * and no quote but the ESCAPE clauses' own */
			const char *sql = tp_grid_sql(&run, run.limit + 1);
			if (count(sql, '?') != run.nargs)
				abort();
			size_t esc = 0;
			for (const char *p = sql; (p = strstr(p, " ESCAPE '"));
			     p++)
				esc++;
			if (count(sql, '\'') != 2 * esc)
				abort();
			if (strstr(sql, "a.secret") != NULL)
				abort();
			sql = tp_grid_sql_after(&run);
			if (count(sql, '?') != run.nargs + 1)
				abort();
		} else if (rc != TP_EINVAL || req.fail_field == NULL ||
		           req.fail_msg == NULL) {
			abort(); /* a bad parameter: a 400 naming it */
		}
	}
	tp_req_reset(&req);
	tp_arena_destroy(&req.arena);
	return 0;
}
