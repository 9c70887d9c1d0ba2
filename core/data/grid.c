/*
 * grid.c -- every list in tierport: a module declares a grid as data
 * (tp_grid: columns, a FROM clause, which expressions hold the brand, the
 * partner and the account) and the core does the rest from the query
 * string: the columns shown (the brand's labels and hidden columns, the
 * user's own choice), sort, filters, keyset paging, grouping with
 * subtotals, the page as HTML or JSON, and streamed exports.
 *
 * SQL is assembled only from the grid's own text (the module's, never
 * input); every value from the request is a bound parameter, every column
 * key is looked up in the declaration, and every bad parameter is a 400
 * naming it before any query runs. Sorting and keyset paging use
 * (sort expression, id) so a page is an index range, not an OFFSET scan.
 */
#include "config.h"
#include "data/data.h"
#include "data/grid.h"

#include <inttypes.h>
#include <json-c/printbuf.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LIMIT_DEFAULT 50
#define LIMIT_MAX     500
#define GROUPS_MAX    1000

/* ------------------------------------------------------------------ */
/* a growing string in the request arena                               */

typedef tp_gsb sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 512;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = tp_alloc(b->r, cap);
		if (b->len)
			memcpy(p, b->p, b->len);
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* ------------------------------------------------------------------ */
/* parameters                                                           */

static tp_rc bad(tp_req *r, const char *param, const char *msg)
{
	/* TRANSLATORS: a query parameter's name, then what is wrong with it */
	return tp_fail(r, TP_EINVAL, param, _("%s: %s"), param, msg);
}

static const char *arg_str(tp_grid_run *g, const char *s)
{
	g->args[g->nargs].s = s;
	g->args[g->nargs].i = 0;
	g->nargs++;
	return "?";
}

static const char *arg_int(tp_grid_run *g, int64_t v)
{
	g->args[g->nargs].s = NULL;
	g->args[g->nargs].i = v;
	g->nargs++;
	return "?";
}

/* the one date check (lib/text.c) */
static bool date_ok(const char *s)
{
	return tp_check_date(s, NULL, NULL, NULL) == NULL;
}

/* A value of column c's type from text: an integer for numbers and money
 * (money as a decimal amount), a date, or text. */
static tp_rc typed_arg(tp_grid_run *g, const tp_grid_col *c, const char *v,
                       bool money_raw, const char **ph)
{
	int64_t n;
	switch (c->type) {
	case TP_COL_NUMBER:
		if (tp_parse_i64(v, &n) != TP_OK)
			return TP_EINVAL;
		*ph = arg_int(g, n);
		return TP_OK;
	case TP_COL_MONEY:
		if ((money_raw ? tp_parse_i64(v, &n) : tp_money_parse(v, &n)) !=
		    TP_OK)
			return TP_EINVAL;
		*ph = arg_int(g, n);
		return TP_OK;
	case TP_COL_DATE:
		if (!date_ok(v))
			return TP_EINVAL;
		*ph = arg_str(g, v);
		return TP_OK;
	default:
		if (strlen(v) > 256 || !tp_utf8_ok(v))
			return TP_EINVAL;
		*ph = arg_str(g, v);
		return TP_OK;
	}
}

static int col_index(const tp_grid_run *g, const char *key, size_t klen)
{
	for (size_t i = 0; i < g->ncols; i++)
		if (strlen(g->g->cols[i].key) == klen &&
		    strncmp(g->g->cols[i].key, key, klen) == 0)
			return g->avail[i] ? (int)i : -1;
	return -1;
}

/* The brand's settings and the user's choice, as rows of SETTING_FIELDS
 * strings: kind ('b' a column of the brand's, 'u' the user's list), col
 * (or the list), label ("" none), visibility ("" unset), position ("-1"
 * unset). From one query, or -- for a cached grid, whose key read the
 * brand's data generation, which a write to either table bumps -- from the
 * page cache under a key of that generation, the user and the grid: a
 * page that misses costs one query less. */
#define SETTING_FIELDS 5

static void settings_key(tp_req *r, const tp_grid_run *g, unsigned char *key)
{
	crypto_generichash_state st;
	uint64_t v[] = {g->gen, tp_tenant_id(r),
	                r->viewer ? r->viewer->user_id : 0};
	crypto_generichash_init(&st, NULL, 0, TP_PAGE_KEY_LEN);
	crypto_generichash_update(&st, (const unsigned char *)"grid settings 1",
	                          15);
	crypto_generichash_update(&st, (const unsigned char *)v, sizeof(v));
	crypto_generichash_update(&st, (const unsigned char *)g->g->name,
	                          strlen(g->g->name) + 1);
	crypto_generichash_final(&st, key, TP_PAGE_KEY_LEN);
}

static tp_rc settings_rows(tp_req *r, tp_grid_run *g, const char ***out,
                           size_t *nrows)
{
	unsigned char key[TP_PAGE_KEY_LEN];
	const char *blob;
	size_t len, n = 0;

	if (g->have_gen) {
		settings_key(r, g, key);
		if (tp_pagecache_get(r, key, &blob, &len)) {
			/* NUL-terminated fields, SETTING_FIELDS a row */
			for (size_t i = 0; i < len; i++)
				n += blob[i] == '\0';
			const char **f = tp_alloc(r, (n + 1) * sizeof(*f));
			const char *p = blob;
			for (size_t i = 0; i < n; i++, p += strlen(p) + 1)
				f[i] = p;
			*out = f;
			*nrows = n / SETTING_FIELDS;
			return TP_OK;
		}
	}
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    "SELECT 'b', col, IFNULL(label, ''), IFNULL(visibility, ''), "
	    "IFNULL(position, -1) FROM grid_columns WHERE tenant_id = ? AND "
	    "grid = ? UNION ALL SELECT 'u', cols, '', '', -1 FROM "
	    "grid_user_columns WHERE user_id = ? AND grid = ?",
	    "IsIs", (int64_t)tp_tenant_id(r), g->g->name,
	    (int64_t)(r->viewer ? r->viewer->user_id : 0), g->g->name);
	if (rc != TP_OK)
		return rc;
	n = tp_rows_count(rs);
	const char **f = tp_alloc(r, (n * SETTING_FIELDS + 1) * sizeof(*f));
	sbuf b = {.r = r};
	for (size_t k = 0; k < n; k++)
		for (unsigned j = 0; j < SETTING_FIELDS; j++) {
			const char *v = tp_rows_get(rs, k, j);
			f[k * SETTING_FIELDS + j] = v ? v : "";
			sb_add(&b, v ? v : "", (v ? strlen(v) : 0) + 1);
		}
	if (g->have_gen)
		tp_pagecache_put(r, key, b.len > 0 ? b.p : "", b.len);
	*out = f;
	*nrows = n;
	return TP_OK;
}

static tp_rc load_settings(tp_req *r, tp_grid_run *g)
{
	const char **f;
	size_t n;
	tp_rc rc = settings_rows(r, g, &f, &n);
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; i < g->ncols; i++) {
		const tp_grid_col *c = &g->g->cols[i];
		g->label[i] = c->label;
		g->avail[i] = true;
		g->shown[i] = !(c->flags & TP_COL_OPTIONAL);
		g->pos[i] = (int)i * 10;
	}
	for (size_t k = 0; k < n; k++) {
		const char *const *row = f + k * SETTING_FIELDS;
		const char *col = row[1];
		if (row[0][0] == 'u') {
			g->user_cols = col;
			continue;
		}
		for (size_t i = 0; i < g->ncols; i++) {
			if (strcmp(g->g->cols[i].key, col) != 0)
				continue;
			const char *l = row[2], *vis = row[3];
			int64_t pos = -1;
			if (*l != '\0')
				g->label[i] = l;
			/* hidden by the brand: gone for its users */
			if (strcmp(vis, "hidden") == 0)
				g->avail[i] = false;
			else if (strcmp(vis, "shown") == 0)
				g->shown[i] = true;
			else if (strcmp(vis, "optional") == 0)
				g->shown[i] = false;
			if (tp_parse_i64(row[4], &pos) == TP_OK && pos >= 0)
				g->pos[i] = (int)pos * 10 - 5;
		}
	}
	return TP_OK;
}

/* "a,b,c" -> the visible columns; false on an unknown or repeated key */
static bool cols_from_list(tp_grid_run *g, const char *list)
{
	g->nvis = 0;
	for (const char *p = list; *p != '\0';) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		int i = col_index(g, p, n);
		if (i < 0 || g->nvis == TP_GRID_MAX_COLS)
			return false;
		for (size_t k = 0; k < g->nvis; k++)
			if (g->vis[k] == i)
				return false;
		g->vis[g->nvis++] = i;
		p = e ? e + 1 : p + n;
	}
	return g->nvis > 0;
}

static void cols_default(tp_grid_run *g)
{
	g->nvis = 0;
	for (size_t i = 0; i < g->ncols; i++)
		if (g->avail[i] && g->shown[i])
			g->vis[g->nvis++] = (int)i;
	/* the brand's order: insertion sort on position */
	for (size_t i = 1; i < g->nvis; i++) {
		int v = g->vis[i];
		size_t j = i;
		while (j > 0 && g->pos[g->vis[j - 1]] > g->pos[v]) {
			g->vis[j] = g->vis[j - 1];
			j--;
		}
		g->vis[j] = v;
	}
}

/* LIKE pattern for "starts with": %, _ and \ taken literally */
static const char *like_prefix(tp_req *r, const char *v)
{
	size_t n = strlen(v);
	char *o = tp_alloc(r, n * 2 + 2), *p = o;
	for (; *v; v++) {
		if (*v == '%' || *v == '_' || *v == '\\')
			*p++ = '\\';
		*p++ = *v;
	}
	*p++ = '%';
	*p = '\0';
	return o;
}

/* One f.KEY[.min|.max|.from|.to] parameter into the WHERE clause. */
static tp_rc add_filter(tp_req *r, tp_grid_run *g, const char *name,
                        const char *val)
{
	const char *key = name + 2, *dot = strchr(key, '.');
	size_t klen = dot ? (size_t)(dot - key) : strlen(key);
	int i = col_index(g, key, klen);
	const char *ph;

	if (i < 0 || !(g->g->cols[i].flags & TP_COL_FILTER))
		return bad(r, name, _("no such filter"));
	const tp_grid_col *c = &g->g->cols[i];
	if (val == NULL || *val == '\0')
		return TP_OK; /* an empty field of the filter form */
	if (g->nargs + 16 > TP_GRID_MAX_ARGS)
		return bad(r, name, _("too many filters"));
	if (c->type == TP_COL_TEXT) {
		if (dot != NULL)
			return bad(r, name, _("no such filter"));
		if (strlen(val) > 256 || !tp_utf8_ok(val))
			return bad(r, name,
			           _("not a text of at most 256 bytes"));
		sb_puts(&g->where, " AND ");
		sb_puts(&g->where, c->expr);
		sb_puts(&g->where, " LIKE ");
		sb_puts(&g->where, arg_str(g, like_prefix(r, val)));
		sb_puts(&g->where, " ESCAPE '\\\\'");
		return TP_OK;
	}
	if (c->type == TP_COL_STATUS) {
		if (dot != NULL)
			return bad(r, name, _("no such filter"));
		sb_puts(&g->where, " AND ");
		sb_puts(&g->where, c->expr);
		sb_puts(&g->where, " IN (");
		int n = 0;
		for (const char *p = val; *p != '\0';) {
			const char *e = strchr(p, ',');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			const char *const *v = c->values;
			for (; v != NULL && *v != NULL; v++)
				if (strlen(*v) == len &&
				    strncmp(*v, p, len) == 0)
					break;
			if (v == NULL || *v == NULL || n == 8)
				return bad(r, name,
				           _("not one of the statuses"));
			sb_puts(&g->where, n++ ? ", " : "");
			sb_puts(&g->where, arg_str(g, *v));
			p = e ? e + 1 : p + len;
		}
		if (n == 0)
			return bad(r, name, _("not one of the statuses"));
		sb_puts(&g->where, ")");
		return TP_OK;
	}
	/* ranges: numbers, money, dates */
	bool lo;
	if (dot != NULL &&
	    (strcmp(dot, ".min") == 0 || strcmp(dot, ".from") == 0))
		lo = true;
	else if (dot != NULL &&
	         (strcmp(dot, ".max") == 0 || strcmp(dot, ".to") == 0))
		lo = false;
	else
		return bad(r, name,
		           _("use .min/.max (or .from/.to for dates)"));
	if (typed_arg(g, c, val, false, &ph) != TP_OK)
		return bad(r, name,
		           c->type == TP_COL_DATE    ? "not a date (YYYY-MM-DD)"
		           : c->type == TP_COL_MONEY ? "not an amount (12.50)"
		                                     : "not a whole number");
	sb_puts(&g->where, " AND ");
	sb_puts(&g->where, c->expr);
	sb_puts(&g->where, lo ? " >= " : " <= ");
	sb_puts(&g->where, ph);
	return TP_OK;
}

/* A cursor is "ID:VALUE": the row's id and its sort value. */
static tp_rc add_cursor(tp_req *r, tp_grid_run *g, const char *param,
                        const char *cur)
{
	const tp_grid_col *c = &g->g->cols[g->sort];
	const char *colon = strchr(cur, ':'), *ph;
	int64_t id;
	char idbuf[24];

	if (colon == NULL || colon == cur || (size_t)(colon - cur) >= 21)
		return bad(r, param, _("not a cursor of this list"));
	memcpy(idbuf, cur, (size_t)(colon - cur));
	idbuf[colon - cur] = '\0';
	if (tp_parse_i64(idbuf, &id) != TP_OK ||
	    typed_arg(g, c, colon + 1, true, &ph) != TP_OK)
		return bad(r, param, _("not a cursor of this list"));
	/* forward in the sort order, or backward for "before" */
	bool up = g->desc == g->backward;
	const char *op = up ? " > " : " < ";
	sb_puts(&g->where, " AND (");
	sb_puts(&g->where, c->expr);
	sb_puts(&g->where, op);
	sb_puts(&g->where, ph);
	sb_puts(&g->where, " OR (");
	sb_puts(&g->where, c->expr);
	sb_puts(&g->where, " = ");
	typed_arg(g, c, colon + 1, true, &ph);
	sb_puts(&g->where, ph);
	sb_puts(&g->where, " AND ");
	sb_puts(&g->where, g->g->id_expr);
	sb_puts(&g->where, op);
	sb_puts(&g->where, arg_int(g, id));
	sb_puts(&g->where, "))");
	return TP_OK;
}

/* The viewer's scope: the brand, then the partner or account subtree. */
/* MariaDB turns the scope's EXISTS into a semi-join and, for a big
 * subtree, reads the whole subtree from partner_tree, sorts it and keeps
 * 51 rows (40 ms at 25k accounts); reading the sort index in order and
 * testing each row is then far cheaper. For a small subtree the semi-join
 * is the better plan. A page asks which it has: a subtree of more than
 * this many partners reads in order. */
#define SEMIJOIN_MAX_PARTNERS 16

static tp_rc big_subtree(tp_req *r, uint64_t root, bool *big)
{
	tp_rows *rs;
	tp_rc rc =
	    tp_db_query(tp_req_db(r), r, &rs,
	                "SELECT COUNT(*) FROM (SELECT 1 FROM partner_tree "
	                "WHERE ancestor = ? LIMIT ?) t",
	                "Ii", (int64_t)root, SEMIJOIN_MAX_PARTNERS + 1);
	*big = rc == TP_OK && tp_rows_i64(rs, 0, 0) > SEMIJOIN_MAX_PARTNERS;
	return rc;
}

static void add_scope(tp_req *r, tp_grid_run *g)
{
	sb_puts(&g->where, " WHERE ");
	sb_puts(&g->where, g->g->tenant_expr);
	sb_puts(&g->where, " = ");
	sb_puts(&g->where, arg_int(g, (int64_t)tp_tenant_id(r)));
	if (tp_scope_is_operator(r) || g->g->brand_wide) {
		g->whole_brand = true;
		return;
	}
	uint64_t proot = tp_scope_partner_root(r);
	uint64_t aroot = tp_scope_account_root(r);
	if (proot != 0 && g->g->partner_expr != NULL) {
		g->partner_root = proot;
		sb_puts(&g->where, " AND EXISTS (SELECT 1 FROM partner_tree gt "
		                   "WHERE gt.ancestor = ");
		sb_puts(&g->where, arg_int(g, (int64_t)proot));
		sb_puts(&g->where, " AND gt.descendant = ");
		sb_puts(&g->where, g->g->partner_expr);
		sb_puts(&g->where, ")");
	} else if (aroot != 0 && g->g->account_expr != NULL) {
		sb_puts(&g->where, " AND EXISTS (SELECT 1 FROM account_tree gt "
		                   "WHERE gt.ancestor = ");
		sb_puts(&g->where, arg_int(g, (int64_t)aroot));
		sb_puts(&g->where, " AND gt.descendant = ");
		sb_puts(&g->where, g->g->account_expr);
		sb_puts(&g->where, ")");
	} else {
		sb_puts(&g->where, " AND 1 = 0");
	}
}

/* Reads the query string into g: columns, sort, filters, cursor, limit,
 * group, format. Any bad parameter: 400 naming it, nothing queried. */
static tp_rc parse(tp_req *r, tp_grid_run *g, const char *where, int64_t arg)
{
	const char *v;
	tp_rc rc;

	g->where.r = r;
	g->sort = -1;
	g->group = -1;
	g->limit = LIMIT_DEFAULT;

	if ((v = tp_query(r, "cols")) != NULL && *v != '\0') {
		if (!cols_from_list(g, v))
			return bad(r, "cols", _("unknown or repeated column"));
	} else if (g->user_cols == NULL || !cols_from_list(g, g->user_cols)) {
		cols_default(g); /* a saved choice the brand since hid: reset */
	}
	if (g->nvis == 0)
		return bad(r, "cols", _("no column to show"));

	v = tp_query(r, "sort");
	if (v == NULL || *v == '\0')
		v = g->g->default_sort;
	g->desc = v[0] == '-';
	g->sort = col_index(g, v + g->desc, strlen(v + g->desc));
	if (g->sort < 0 || !(g->g->cols[g->sort].flags & TP_COL_SORT))
		return bad(r, "sort", _("not a sortable column"));

	if ((v = tp_query(r, "limit")) != NULL) {
		int64_t n;
		if (tp_parse_i64(v, &n) != TP_OK || n < 1 || n > LIMIT_MAX)
			return bad(r, "limit", _("a number from 1 to 500"));
		g->limit = (int)n;
	}
	if ((v = tp_query(r, "group")) != NULL && *v != '\0') {
		g->group = col_index(g, v, strlen(v));
		if (g->group < 0 ||
		    !(g->g->cols[g->group].flags & TP_COL_GROUP))
			return bad(r, "group", _("not a column to group by"));
	}
	if ((v = tp_query(r, "format")) != NULL) {
		if (strcmp(v, "csv") == 0)
			g->format = TP_GRID_CSV;
		else if (strcmp(v, "xlsx") == 0)
			g->format = TP_GRID_XLSX;
		else if (strcmp(v, "pdf") == 0)
			g->format = TP_GRID_PDF;
		else
			return bad(r, "format", _("csv, xlsx or pdf"));
	}

	add_scope(r, g);
	if (g->partner_root != 0 && g->format == TP_GRID_NONE && g->group < 0 &&
	    (rc = big_subtree(r, g->partner_root, &g->in_order)) != TP_OK)
		return rc;
	if (where != NULL) {
		sb_puts(&g->where, " AND ");
		sb_puts(&g->where, where);
		arg_int(g, arg);
	}
	for (size_t i = 0; i < r->query.n; i++) {
		const char *name = r->query.v[i].name;
		if (name != NULL && strncmp(name, "f.", 2) == 0 &&
		    (rc = add_filter(r, g, name, r->query.v[i].value)) != TP_OK)
			return rc;
	}
	const char *after = tp_query(r, "after"),
	           *before = tp_query(r, "before");
	if (after != NULL && before != NULL)
		return bad(r, "before", _("after or before, not both"));
	if (g->format == TP_GRID_NONE && g->group < 0) {
		if (before != NULL && *before != '\0') {
			g->backward = true;
			g->paged = true;
			if ((rc = add_cursor(r, g, "before", before)) != TP_OK)
				return rc;
		} else if (after != NULL && *after != '\0') {
			g->paged = true;
			if ((rc = add_cursor(r, g, "after", after)) != TP_OK)
				return rc;
		}
	}
	/* MariaDB reads a page after a cursor by scanning the sort index from
	 * the brand's first row (a ref on the brand, the cursor tested row by
	 * row: 125k index entries for a page in the middle of 200k accounts)
	 * rather than as a range from the cursor; forcing the index makes it
	 * a range. Only where the page reads the sort index anyway: the whole
	 * brand, or a big subtree; a small one is read from its closure. */
	g->force_index = g->paged && g->g->cols[g->sort].index != NULL &&
	                 (g->whole_brand || g->in_order);
	return TP_OK;
}

/* FROM with the sort column's index forced on the first table ("table
 * alias", the declaration's promise) when g->force_index */
static void put_from(sbuf *s, const tp_grid_run *g)
{
	const char *from = g->g->from, *p = from;
	if (!g->force_index) {
		sb_puts(s, from);
		return;
	}
	for (int word = 0; word < 2; word++) {
		while (*p == ' ')
			p++;
		while (*p != '\0' && *p != ' ')
			p++;
	}
	sb_add(s, from, (size_t)(p - from));
	sb_puts(s, " FORCE INDEX (");
	sb_puts(s, g->g->cols[g->sort].index);
	sb_puts(s, ")");
	sb_puts(s, p);
}

/* SELECT id, sort value, the visible columns, then the currency of each
 * visible money column; FROM, WHERE, ORDER BY (and LIMIT n if n > 0). */
char *tp_grid_sql(tp_grid_run *g, int limit)
{
	sbuf s = {.r = g->where.r};
	const tp_grid *gd = g->g;
	bool down = g->desc != g->backward;

	if (g->in_order && limit > 0)
		sb_puts(&s,
		        "SET STATEMENT optimizer_switch='semijoin=off' FOR ");
	sb_puts(&s, "SELECT ");
	sb_puts(&s, gd->id_expr);
	sb_puts(&s, ", ");
	sb_puts(&s, gd->cols[g->sort].expr);
	for (size_t k = 0; k < g->nvis; k++) {
		sb_puts(&s, ", ");
		sb_puts(&s, gd->cols[g->vis[k]].expr);
	}
	for (size_t k = 0; k < g->nvis; k++)
		if (gd->cols[g->vis[k]].type == TP_COL_MONEY) {
			sb_puts(&s, ", ");
			sb_puts(&s, gd->cols[g->vis[k]].currency_expr);
		}
	sb_puts(&s, " FROM ");
	put_from(&s, g);
	sb_puts(&s, g->where.p);
	sb_puts(&s, " ORDER BY ");
	sb_puts(&s, gd->cols[g->sort].expr);
	sb_puts(&s, down ? " DESC, " : " ASC, ");
	sb_puts(&s, gd->id_expr);
	sb_puts(&s, down ? " DESC" : " ASC");
	if (limit > 0) {
		char n[24];
		snprintf(n, sizeof(n), " LIMIT %d", limit);
		sb_puts(&s, n);
	}
	return s.p;
}

char *tp_grid_sql_after(tp_grid_run *g)
{
	sbuf s = {.r = g->where.r};
	sb_puts(&s, "SELECT 1 FROM ");
	sb_puts(&s, g->g->from);
	sb_puts(&s, g->where.p);
	sb_puts(&s, " LIMIT 1 OFFSET ?");
	return s.p;
}

/* ------------------------------------------------------------------ */
/* the page                                                             */

static const char *type_name(int t)
{
	switch (t) {
	case TP_COL_NUMBER: return "number";
	case TP_COL_MONEY: return "money";
	case TP_COL_DATE: return "date";
	case TP_COL_STATUS: return "status";
	default: return "text";
	}
}

/* The query string of this page with some parameters replaced (NULL
 * values drop them): for sort links, cursors, exports. */
static const char *link_with(tp_req *r, const char *const *set)
{
	sbuf b = {.r = r};
	for (size_t i = 0; i < r->query.n; i++) {
		const char *n = r->query.v[i].name;
		bool replaced = false;
		for (const char *const *s = set; *s != NULL; s += 2)
			replaced |= strcmp(*s, n) == 0;
		if (replaced || strcmp(n, "saved") == 0)
			continue;
		sb_puts(&b, b.len ? "&" : "?");
		sb_puts(&b, tp_url_encode(r, n));
		sb_puts(&b, "=");
		sb_puts(&b, tp_url_encode(r, r->query.v[i].value));
	}
	for (const char *const *s = set; *s != NULL; s += 2) {
		if (s[1] == NULL)
			continue;
		sb_puts(&b, b.len ? "&" : "?");
		sb_puts(&b, s[0]);
		sb_puts(&b, "=");
		sb_puts(&b, tp_url_encode(r, s[1]));
	}
	return b.len ? b.p : "?";
}

static json_object *jstr(const char *s)
{
	return json_object_new_string(s ? s : "");
}

/* The columns as the page describes them: key, label, type, sort link. */
static json_object *columns_json(tp_req *r, tp_grid_run *g)
{
	json_object *a = json_object_new_array();
	for (size_t k = 0; k < g->nvis; k++) {
		const tp_grid_col *c = &g->g->cols[g->vis[k]];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "key", jstr(c->key));
		json_object_object_add(o, "label",
		                       jstr(tp_grid_label(g, g->vis[k])));
		json_object_object_add(o, "type", jstr(type_name(c->type)));
		if (c->flags & TP_COL_SORT) {
			bool cur = g->sort == g->vis[k];
			const char *to = tp_printf(
			    r, "%s%s", cur && !g->desc ? "-" : "", c->key);
			const char *set[] = {"sort",   to,   "after", NULL,
			                     "before", NULL, NULL};
			json_object_object_add(o, "sort_href",
			                       jstr(link_with(r, set)));
			if (cur)
				json_object_object_add(
				    o, g->desc ? "sorted_desc" : "sorted_asc",
				    json_object_new_boolean(1));
		} else {
			json_object_object_add(o, "nosort",
			                       json_object_new_boolean(1));
		}
		json_object_array_add(a, o);
	}
	return a;
}

/* ---- the rows: one source, two writers ----
 * A page's rows are not built as a tree of json-c objects and template
 * sections (one object and one section per cell cost most of a page that
 * misses the cache: issue 15). The view model holds the query's result and
 * the run -- grid_rows, one row source -- and each rendering writes the
 * rows from it straight into its output: rows_json for the JSON view
 * (json-c's serializer hook on the view's "rows", so the view keeps its
 * shape and json-c calls it when it writes the view) and rows_html for the
 * page (grid.tpl's {{ROWS_HTML:none}}). Each cell is escaped once, for its
 * column's type and its context, exactly as json-c and ctemplate's HTML
 * auto-escaping would (t/unit/test_grid_rows.c compares them byte for byte
 * on hostile values); a page costs one buffer in the request arena, no
 * allocation per cell. */

typedef struct grid_rows {
	tp_grid_run *g;
	const tp_rows *rs;
	size_t n;
	/* each visible money column's currency: its column in the result */
	unsigned ccy[TP_GRID_MAX_COLS];
} grid_rows;

/* the result's row for the page's jth row ("before" reads backwards:
 * shown the right way round) */
static size_t row_at(const grid_rows *s, size_t j)
{
	return s->g->backward ? s->n - 1 - j : j;
}

static void put_i64(sbuf *b, int64_t v)
{
	char t[24];
	int n = snprintf(t, sizeof(t), "%" PRId64, v);
	sb_add(b, t, (size_t)n);
}

/* ctemplate's HTML escaping (the :h modifier auto-escape gives text and
 * quoted attributes): & " ' < > as entities, \r \n \v \f \t as a space */
static void put_html(sbuf *b, const char *s)
{
	const char *run = s;
	for (; *s != '\0'; s++) {
		const char *e;
		size_t n;
		switch (*s) {
		case '&': e = "&amp;", n = 5; break;
		case '"': e = "&quot;", n = 6; break;
		case '\'': e = "&#39;", n = 5; break;
		case '<': e = "&lt;", n = 4; break;
		case '>': e = "&gt;", n = 4; break;
		case '\r':
		case '\n':
		case '\v':
		case '\f':
		case '\t': e = " ", n = 1; break;
		default: continue;
		}
		sb_add(b, run, (size_t)(s - run));
		sb_add(b, e, n);
		run = s + 1;
	}
	sb_add(b, run, (size_t)(s - run));
}

/* ctemplate's :U=html (what auto-escape gives a whole href="..."): a URL
 * with a colon before its first slash that does not begin "http://" or
 * "https://" (a javascript:, data: or mailto: link) becomes "#", then the
 * HTML escaping */
static void put_href(sbuf *b, const char *s)
{
	size_t slash = strcspn(s, "/"), len = strlen(s);
	bool scheme = memchr(s, ':', slash) != NULL;
	bool web = (len > 7 && strncasecmp(s, "http://", 7) == 0) ||
	           (len > 8 && strncasecmp(s, "https://", 8) == 0);
	if (scheme && !web)
		sb_add(b, "#", 1);
	else
		put_html(b, s);
}

/* json-c's string escaping (as json_object_to_json_string writes a
 * string with JSON_C_TO_STRING_PLAIN): " \ / and the control characters,
 * the rest as it is */
static void put_json_str(sbuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;
	sb_add(b, "\"", 1);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		char u[6] = {'\\', 'u', '0', '0', 0, 0};
		const char *e = u;
		size_t n = 2;
		switch (c) {
		case '\b': e = "\\b"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		case '\f': e = "\\f"; break;
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '/': e = "\\/"; break;
		default:
			if (c >= 0x20)
				continue;
			u[4] = hex[c >> 4];
			u[5] = hex[c & 15];
			n = 6;
		}
		sb_add(b, run, (size_t)(s - run));
		sb_add(b, e, n);
		run = s + 1;
	}
	sb_add(b, run, (size_t)(s - run));
	sb_add(b, "\"", 1);
}

/* money as tp_json_money writes it: {"value":"-12.3400","currency":"EUR"}
 * (the stored precision, four places) */
static void put_json_money(sbuf *b, int64_t v, const char *ccy)
{
	char t[48];
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int n = snprintf(
	    t, sizeof(t),
	    "{\"value\":\"%s%llu.%04u\",\"currency\":", v < 0 ? "-" : "",
	    (unsigned long long)(a / 10000), (unsigned)(a % 10000));
	sb_add(b, t, (size_t)n);
	put_json_str(b, ccy != NULL ? ccy : "");
	sb_add(b, "}", 1);
}

/* a row's own link ("/accounts/42"), or NULL */
static const char *row_link(const grid_rows *s, size_t i, char *buf, size_t len)
{
	const char *pre = s->g->g->link;
	if (pre == NULL)
		return NULL;
	const char *id = tp_rows_get(s->rs, i, 0);
	int n = snprintf(buf, len, "%s%s", pre, id ? id : "");
	return n >= 0 && (size_t)n < len
	           ? buf
	           : tp_printf(s->g->where.r, "%s%s", pre, id ? id : "");
}

/* The JSON rows: [{"id":1,"href":"...","KEY":value,...},...], each cell
 * typed: numbers, money as {value, currency}, text, null. */
static void rows_json(const grid_rows *s, sbuf *b)
{
	const tp_grid_run *g = s->g;
	char lbuf[256];
	sb_add(b, "[", 1);
	for (size_t j = 0; j < s->n; j++) {
		size_t i = row_at(s, j);
		const char *link = row_link(s, i, lbuf, sizeof(lbuf));
		sb_add(b, j ? ",{\"id\":" : "{\"id\":", j ? 7 : 6);
		put_i64(b, tp_rows_i64(s->rs, i, 0));
		if (link != NULL) {
			sb_puts(b, ",\"href\":");
			put_json_str(b, link);
		}
		for (size_t k = 0; k < g->nvis; k++) {
			const tp_grid_col *c = &g->g->cols[g->vis[k]];
			const char *v =
			    tp_rows_get(s->rs, i, (unsigned)(2 + k));
			int64_t n = 0;
			sb_add(b, ",", 1);
			put_json_str(b, c->key);
			sb_add(b, ":", 1);
			if (v == NULL) {
				sb_add(b, "null", 4);
			} else if (c->type == TP_COL_NUMBER) {
				tp_parse_i64(v, &n);
				put_i64(b, n);
			} else if (c->type == TP_COL_MONEY) {
				tp_parse_i64(v, &n);
				put_json_money(
				    b, n, tp_rows_get(s->rs, i, s->ccy[k]));
			} else {
				put_json_str(b, v);
			}
		}
		sb_add(b, "}", 1);
	}
	sb_add(b, "]", 1);
}

/* The HTML rows, as grid.tpl's ROWS section wrote them: the first cell
 * links to the row's page, numbers and money right-aligned, money with
 * its currency, each row's own action link last. */
static void rows_html(const grid_rows *s, sbuf *b)
{
	const tp_grid_run *g = s->g;
	char lbuf[256], mbuf[64];
	for (size_t j = 0; j < s->n; j++) {
		size_t i = row_at(s, j);
		const char *link = row_link(s, i, lbuf, sizeof(lbuf));
		sb_puts(b, "<tr data-id=\"");
		put_i64(b, tp_rows_i64(s->rs, i, 0));
		sb_puts(b, "\">");
		for (size_t k = 0; k < g->nvis; k++) {
			const tp_grid_col *c = &g->g->cols[g->vis[k]];
			const char *v =
			    tp_rows_get(s->rs, i, (unsigned)(2 + k));
			bool num =
			    c->type == TP_COL_NUMBER || c->type == TP_COL_MONEY;
			sb_puts(b, num ? "<td class=\"num\">" : "<td>");
			if (k == 0 && link != NULL) {
				sb_puts(b, "<a href=\"");
				put_href(b, link);
				sb_puts(b, "\">");
			}
			if (c->type == TP_COL_MONEY && v != NULL) {
				const char *cur =
				    tp_rows_get(s->rs, i, s->ccy[k]);
				int64_t n = 0;
				tp_parse_i64(v, &n);
				put_html(b, tp_money_text(n, cur, mbuf,
				                          sizeof(mbuf)));
			} else if (c->type == TP_COL_STATUS && v != NULL) {
				/* a status value (N_ in the grid's values)
				 * in the viewer's language */
				put_html(b, tp_tr(v));
			} else {
				put_html(b, v ? v : "");
			}
			sb_puts(b,
			        k == 0 && link != NULL ? "</a></td>" : "</td>");
		}
		if (g->act_pre != NULL) {
			const char *id = tp_rows_get(s->rs, i, 0);
			sb_puts(b, "<td class=\"tp-row-action\"><a href=\"");
			put_href(b, tp_printf(g->where.r, "%s%s%s", g->act_pre,
			                      id ? id : "", g->act_post));
			sb_puts(b, "\">");
			put_html(b, g->act_label ? g->act_label : "");
			sb_puts(b, "</a></td>");
		}
		sb_puts(b, "</tr>\n");
	}
}

/* json-c's hook: the view's "rows" written from the row source */
static int rows_serialize(json_object *jso, struct printbuf *pb, int level,
                          int flags)
{
	const grid_rows *s = json_object_get_userdata(jso);
	sbuf b = {.r = s->g->where.r,
	          .cap = 64 + s->n * (32 + s->g->nvis * 48)};
	b.p = tp_alloc(b.r, b.cap);
	b.p[0] = '\0';
	(void)level;
	(void)flags;
	rows_json(s, &b);
	return printbuf_memappend(pb, b.p, (int)b.len) < 0 ? -1 : 0;
}

static grid_rows *rows_source(tp_grid_run *g, const tp_rows *rs, size_t n)
{
	grid_rows *s = tp_alloc(g->where.r, sizeof(*s));
	unsigned m = 0;
	s->g = g;
	s->rs = rs;
	s->n = n;
	for (size_t k = 0; k < g->nvis; k++)
		s->ccy[k] = g->g->cols[g->vis[k]].type == TP_COL_MONEY
		                ? (unsigned)(2 + g->nvis + m++)
		                : 0;
	return s;
}

static const char *cursor_of(tp_req *r, const tp_rows *rs, size_t i)
{
	const char *v = tp_rows_get(rs, i, 1);
	return tp_printf(r, "%s:%s", tp_rows_get(rs, i, 0), v ? v : "");
}

static tp_rc page(tp_req *r, tp_grid_run *g)
{
	tp_rows *rs;
	bool html = !tp_wants_json(r);
	tp_rc rc =
	    tp_db_query_args(tp_req_db(r), r, &rs, tp_grid_sql(g, g->limit + 1),
	                     g->args, g->nargs);
	if (rc != TP_OK)
		return rc;
	size_t n = tp_rows_count(rs);
	bool more = n > (size_t)g->limit;
	if (more)
		n = (size_t)g->limit;

	json_object *v = tp_view(r);
	grid_rows *src = rows_source(g, rs, n);
	if (html) {
		/* about a page's size at once: no copying as it grows */
		sbuf b = {.r = r, .cap = 256 + n * (64 + g->nvis * 40)};
		b.p = tp_alloc(r, b.cap);
		b.p[0] = '\0';
		rows_html(src, &b);
		json_object_object_add(
		    v, "rows_html",
		    json_object_new_string_len(b.len ? b.p : "", (int)b.len));
		if (n == 0)
			json_object_object_add(v, "rows_empty",
			                       json_object_new_boolean(1));
	} else {
		json_object *rows = json_object_new_array();
		json_object_set_serializer(rows, rows_serialize, src, NULL);
		json_object_object_add(v, "rows", rows);
	}
	json_object_object_add(v, "count", json_object_new_int64((int64_t)n));
	/* next: forward with more rows, or any "before" page; previous:
	 * any "after" page, or backward with more rows */
	if (n > 0 && (g->backward || more)) {
		const char *set[] = {"after",
		                     cursor_of(r, rs, g->backward ? 0 : n - 1),
		                     "before", NULL, NULL};
		json_object_object_add(v, "next", jstr(link_with(r, set)));
	}
	if (n > 0 && (g->backward ? more : g->paged)) {
		const char *set[] = {"before",
		                     cursor_of(r, rs, g->backward ? n - 1 : 0),
		                     "after", NULL, NULL};
		json_object_object_add(v, "prev", jstr(link_with(r, set)));
	}
	if (g->paged) {
		const char *set[] = {"after", NULL, "before", NULL, NULL};
		json_object_object_add(v, "first", jstr(link_with(r, set)));
	}
	return TP_OK;
}

/* group=KEY: one row per value (and currency) with the count and the sum
 * of every visible money and number column */
static tp_rc groups(tp_req *r, tp_grid_run *g)
{
	const tp_grid *gd = g->g;
	const tp_grid_col *gc = &gd->cols[g->group];
	const char *cur = NULL;
	sbuf s = {.r = r};
	size_t nsum = 0;
	int sums[TP_GRID_MAX_COLS];
	tp_rows *rs;

	for (size_t k = 0; k < g->nvis; k++) {
		const tp_grid_col *c = &gd->cols[g->vis[k]];
		if (c->type == TP_COL_MONEY || c->type == TP_COL_NUMBER)
			sums[nsum++] = g->vis[k];
		if (c->type == TP_COL_MONEY && cur == NULL)
			cur = c->currency_expr;
	}
	sb_puts(&s, "SELECT ");
	sb_puts(&s, gc->expr);
	sb_puts(&s, ", ");
	sb_puts(&s, cur ? cur : "''");
	sb_puts(&s, ", COUNT(*)");
	for (size_t k = 0; k < nsum; k++) {
		sb_puts(&s, ", SUM(");
		sb_puts(&s, gd->cols[sums[k]].expr);
		sb_puts(&s, ")");
	}
	sb_puts(&s, " FROM ");
	sb_puts(&s, gd->from);
	sb_puts(&s, g->where.p);
	sb_puts(&s, " GROUP BY 1, 2 ORDER BY 1, 2");
	char lim[24];
	snprintf(lim, sizeof(lim), " LIMIT %d", GROUPS_MAX + 1);
	sb_puts(&s, lim);
	tp_rc rc =
	    tp_db_query_args(tp_req_db(r), r, &rs, s.p, g->args, g->nargs);
	if (rc != TP_OK)
		return rc;

	json_object *list = json_object_new_array();
	size_t n = tp_rows_count(rs);
	for (size_t i = 0; i < n && i < GROUPS_MAX; i++) {
		const char *val = tp_rows_get(rs, i, 0);
		const char *c = tp_rows_get(rs, i, 1);
		json_object *o = json_object_new_object();
		json_object_object_add(o, "value", val ? jstr(val) : NULL);
		if (cur != NULL)
			json_object_object_add(o, "currency", jstr(c));
		json_object_object_add(
		    o, "count", json_object_new_int64(tp_rows_i64(rs, i, 2)));
		json_object *sl = json_object_new_array();
		for (size_t k = 0; k < nsum; k++) {
			const tp_grid_col *sc = &gd->cols[sums[k]];
			const char *sv = tp_rows_get(rs, i, (unsigned)(3 + k));
			int64_t v = 0;
			char buf[64];
			tp_parse_i64(sv ? sv : "0", &v);
			json_object *x = json_object_new_object();
			json_object_object_add(x, "key", jstr(sc->key));
			json_object_object_add(x, "label",
			                       jstr(tp_grid_label(g, sums[k])));
			/* a sum of money is money: {value, currency} */
			json_object_object_add(x, "value",
			                       sc->type == TP_COL_MONEY
			                           ? tp_json_money(v, c)
			                           : json_object_new_int64(v));
			json_object_object_add(
			    x, "text",
			    jstr(sc->type == TP_COL_MONEY
			             ? tp_money_text(v, c, buf, sizeof(buf))
			             : tp_printf(r, "%lld", (long long)v)));
			json_object_array_add(sl, x);
		}
		json_object_object_add(o, "sums", sl);
		/* the rows of this group: the list filtered by its value */
		if (val != NULL && (gc->flags & TP_COL_FILTER) &&
		    (gc->type == TP_COL_TEXT || gc->type == TP_COL_STATUS)) {
			const char *fk = tp_printf(r, "f.%s", gc->key);
			const char *set[] = {"group", NULL, fk, val, NULL};
			json_object_object_add(o, "href",
			                       jstr(link_with(r, set)));
		}
		json_object_array_add(list, o);
	}
	json_object *v = tp_view(r);
	json_object_object_add(v, "groups", list);
	json_object_object_add(v, "group_by", jstr(gc->key));
	json_object_object_add(v, "group_label",
	                       jstr(tp_grid_label(g, g->group)));
	json_object_object_add(v, "groups_truncated",
	                       json_object_new_boolean(n > GROUPS_MAX));
	return TP_OK;
}

/* What the page needs besides the rows: title, columns, the filter form,
 * the column chooser, export links. */
static void page_frame(tp_req *r, tp_grid_run *g)
{
	json_object *v = tp_view(r);
	json_object_object_add(v, "grid", jstr(g->g->name));
	json_object_object_add(v, "columns", columns_json(r, g));
	const char *sort =
	    tp_printf(r, "%s%s", g->desc ? "-" : "", g->g->cols[g->sort].key);
	json_object_object_add(v, "sort", jstr(sort));
	json_object_object_add(v, "limit", json_object_new_int64(g->limit));
	json_object_object_add(v, "title", jstr(tp_tr(g->g->title)));
	tp_view_title(r, tp_tr(g->g->title));
	if (tp_wants_json(r))
		return;

	/* HTML only: the forms */
	json_object *filters = json_object_new_array();
	json_object *choose = json_object_new_array();
	json_object *groupable = json_object_new_array();
	for (size_t i = 0; i < g->ncols; i++) {
		const tp_grid_col *c = &g->g->cols[i];
		if (!g->avail[i])
			continue;
		json_object *o;
		if (c->flags & TP_COL_GROUP) {
			o = json_object_new_object();
			json_object_object_add(o, "key", jstr(c->key));
			json_object_object_add(o, "label",
			                       jstr(tp_grid_label(g, (int)i)));
			json_object_object_add(
			    o, "on",
			    json_object_new_boolean(g->group == (int)i));
			json_object_array_add(groupable, o);
		}
		if (!(c->flags & TP_COL_FILTER))
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "key", jstr(c->key));
		json_object_object_add(o, "label",
		                       jstr(tp_grid_label(g, (int)i)));
		const char *k = c->key;
		if (c->type == TP_COL_TEXT) {
			json_object_object_add(o, "text",
			                       json_object_new_boolean(1));
			json_object_object_add(
			    o, "value",
			    jstr(tp_query(r, tp_printf(r, "f.%s", k))));
		} else if (c->type == TP_COL_STATUS) {
			const char *sel = tp_query(r, tp_printf(r, "f.%s", k));
			json_object_object_add(o, "status",
			                       json_object_new_boolean(1));
			json_object *opts = json_object_new_array();
			for (const char *const *s = c->values; s && *s; s++) {
				json_object *x = json_object_new_object();
				json_object_object_add(x, "value", jstr(*s));
				/* what the option shows: the value in the
				 * viewer's language (N_ in the grid) */
				json_object_object_add(x, "label",
				                       jstr(tp_tr(*s)));
				json_object_object_add(
				    x, "selected",
				    json_object_new_boolean(
				        sel != NULL && strcmp(sel, *s) == 0));
				json_object_array_add(opts, x);
			}
			json_object_object_add(o, "options", opts);
		} else {
			bool d = c->type == TP_COL_DATE;
			json_object_object_add(o, d ? "date" : "range",
			                       json_object_new_boolean(1));
			const char *lo = d ? "from" : "min",
			           *hi = d ? "to" : "max";
			json_object_object_add(o, "lo", jstr(lo));
			json_object_object_add(o, "hi", jstr(hi));
			json_object_object_add(
			    o, "lo_value",
			    jstr(tp_query(r, tp_printf(r, "f.%s.%s", k, lo))));
			json_object_object_add(
			    o, "hi_value",
			    jstr(tp_query(r, tp_printf(r, "f.%s.%s", k, hi))));
		}
		json_object_array_add(filters, o);
	}
	/* the chooser: the shown columns in their order, then the others */
	int order = 1;
	for (int pass = 0; pass < 2; pass++)
		for (size_t j = 0; j < (pass ? g->ncols : g->nvis); j++) {
			size_t i = pass ? j : (size_t)g->vis[j];
			bool shown = false;
			for (size_t k = 0; k < g->nvis; k++)
				shown |= g->vis[k] == (int)i;
			if (!g->avail[i] || (pass == 1 && shown))
				continue;
			json_object *o = json_object_new_object();
			json_object_object_add(o, "key",
			                       jstr(g->g->cols[i].key));
			json_object_object_add(o, "label",
			                       jstr(tp_grid_label(g, (int)i)));
			json_object_object_add(o, "on",
			                       json_object_new_boolean(shown));
			json_object_object_add(o, "order",
			                       json_object_new_int64(order++));
			json_object_array_add(choose, o);
		}
	json_object_object_add(v, "filters", filters);
	json_object_object_add(v, "choose", choose);
	json_object_object_add(v, "groupable", groupable);
	json_object_object_add(
	    v, "can_group",
	    json_object_new_boolean(json_object_array_length(groupable) > 0));
	json_object_object_add(v, "back", jstr(r->uri));
	if (g->group < 0)
		json_object_object_add(v, "list", json_object_new_boolean(1));
	json_object_object_add(v, "sort_key", jstr(g->g->cols[g->sort].key));
	json_object_object_add(v, "sort_desc",
	                       json_object_new_boolean(g->desc));
	static const char *const fmts[] = {"csv", "xlsx", "pdf"};
	json_object *ex = json_object_new_array();
	for (size_t i = 0; i < 3; i++) {
		const char *set[] = {"format", fmts[i], "after", NULL,
		                     "before", NULL,    "limit", NULL,
		                     "group",  NULL,    NULL};
		json_object *o = json_object_new_object();
		json_object_object_add(o, "format", jstr(fmts[i]));
		json_object_object_add(o, "href", jstr(link_with(r, set)));
		json_object_array_add(ex, o);
	}
	json_object_object_add(v, "exports", ex);
	/* the note beside the links says whether CSV guards formulas */
	json_object_object_add(
	    v, "csv_plain",
	    json_object_new_boolean(r->tenant != NULL && r->tenant->csv_plain));
	json_object_object_add(v, "csrf_token",
	                       jstr(r->viewer ? r->viewer->csrf : ""));
	if (r->viewer != NULL && tp_scope_is_operator(r) &&
	    (tp_viewer_rights(r->viewer, "brand") & TP_RIGHT_UPDATE))
		json_object_object_add(v, "can_rename",
		                       json_object_new_boolean(1));
	/* where the settings page goes back to */
	json_object_object_add(v, "list_path", jstr(tp_path(r)));
}

/* ---- the page cache (pagecache.c) ----
 * A cached grid's page is kept under a key that names everything its bytes
 * depend on: the brand's data generation, the brand as loaded, the viewer
 * whole (rights, scope, CSRF token, name), the request's URI and format,
 * and the handler's own condition. */

typedef crypto_generichash_state key_st;

static void key_bytes(key_st *st, const void *p, size_t n)
{
	uint64_t len = n;
	crypto_generichash_update(st, (const unsigned char *)&len, sizeof(len));
	crypto_generichash_update(st, p, n);
}

static void key_str(key_st *st, const char *s)
{
	if (s == NULL) {
		uint64_t none = UINT64_MAX;
		crypto_generichash_update(st, (const unsigned char *)&none,
		                          sizeof(none));
		return;
	}
	key_bytes(st, s, strlen(s));
}

static void key_u64(key_st *st, uint64_t v)
{
	key_bytes(st, &v, sizeof(v));
}

static void key_strv(key_st *st, char *const *v)
{
	for (; v != NULL && *v != NULL; v++)
		key_str(st, *v);
	key_str(st, NULL);
}

static void key_brand(key_st *st, const tp_brand *b)
{
	if (b == NULL) {
		key_str(st, NULL);
		return;
	}
	key_u64(st, b->id);
	key_str(st, b->slug);
	key_str(st, b->name);
	key_str(st, b->color_primary);
	key_str(st, b->color_accent);
	key_str(st, b->support_phone);
	key_str(st, b->support_email);
	key_str(st, b->logo_url);
	key_u64(st, (uint64_t)b->csv_plain << 2 |
	                (uint64_t)b->terms_required << 1 | b->platform);
	key_u64(st, b->terms_version);
	key_strv(st, b->plan_modules);
}

static void key_viewer(key_st *st, const tp_viewer *v)
{
	if (v == NULL) {
		key_str(st, NULL);
		return;
	}
	uint64_t ids[] = {v->session_id,      v->user_id,         v->tenant_id,
	                  (uint64_t)v->kind,  v->partner_id,      v->account_id,
	                  v->view_partner_id, v->view_account_id, v->is_admin,
	                  v->terms_ok,        v->via_token};
	key_bytes(st, ids, sizeof(ids));
	key_str(st, v->csrf);
	key_str(st, v->login);
	key_str(st, v->name);
	key_str(st, v->viewing);
	key_strv(st, v->tier_modules);
	for (size_t i = 0; i < v->nrights && i < TP_MAX_AREAS; i++) {
		key_str(st, v->rights[i].area);
		key_u64(st, v->rights[i].rights);
	}
}

/* The brand's data generation: every write to a cached grid's tables
 * bumps it in the write's own transaction (sql/007_page_cache.sql). It is
 * read before the page, so a page kept under generation G holds every
 * write up to G, and a write committed later makes the key G unreachable:
 * nothing is served stale after a write (DESIGN.md rule 5). */
static tp_rc gen_read(tp_req *r, uint64_t tenant, uint64_t *gen)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT SQL_CACHE gen FROM data_generations "
	                       "WHERE tenant_id = ?",
	                       "I", (int64_t)tenant);
	if (rc == TP_OK)
		*gen =
		    tp_rows_count(rs) > 0 ? (uint64_t)tp_rows_i64(rs, 0, 0) : 0;
	return rc;
}

static tp_rc page_key(tp_req *r, tp_grid_run *g, const char *where, int64_t arg)
{
	const tp_grid *gd = g->g;
	uint64_t gen;
	tp_rc rc = tp_data_gen(r, tp_tenant_id(r), gen_read, &gen);
	if (rc != TP_OK)
		return rc;
	g->gen = gen;
	g->have_gen = true;
	key_st st;
	crypto_generichash_init(&st, NULL, 0, TP_PAGE_KEY_LEN);
	key_str(&st, "tierport grid page 1");
	key_u64(&st, gen);
	key_u64(&st, tp_tenant_id(r));
	key_brand(&st, r->tenant);
	key_str(&st, r->brand);
	key_viewer(&st, r->viewer);
	/* the page's words, money and times (i18n.c) */
	key_str(&st, tp_i18n_code());
	key_str(&st, tp_viewer_tz(r));
	key_u64(&st, (uint64_t)tp_wants_json(r) << 1 | r->api);
	key_str(&st, r->uri);
	key_str(&st, gd->name);
	key_str(&st, where);
	key_u64(&st, (uint64_t)arg);
	crypto_generichash_final(&st, r->page_key, TP_PAGE_KEY_LEN);
	r->page_keyed = true;
	return TP_OK;
}

/* Whether Accept-Encoding takes gzip: the token, without q=0. */
static bool accepts_gzip(tp_req *r)
{
	const char *h = tp_header(r, "accept-encoding");
	while (h != NULL && *h != '\0') {
		while (*h == ' ' || *h == '\t' || *h == ',')
			h++;
		size_t n = strcspn(h, ",;");
		size_t t = n;
		while (t > 0 && (h[t - 1] == ' ' || h[t - 1] == '\t'))
			t--;
		bool gz = t == 4 && strncasecmp(h, "gzip", 4) == 0;
		h += n;
		bool zero = false;
		if (*h == ';') {
			size_t m = strcspn(h, ",");
			const char *q = h + 1;
			while (*q == ' ')
				q++;
			if ((q[0] == 'q' || q[0] == 'Q') && q[1] == '=') {
				q += 2;
				zero = q[0] == '0';
				for (q++; zero && q < h + m; q++)
					zero =
					    *q == '0' || *q == '.' || *q == ' ';
			}
			h += m;
		}
		if (gz)
			return !zero;
	}
	return false;
}

/* A kept page for r (its key set): answered from the cache, gzip when the
 * client takes it. Says hit or miss in X-Page-Cache either way. */
static bool page_from_cache(tp_req *r)
{
	const char *gz;
	size_t n;
	bool zip = accepts_gzip(r);
	bool hit = zip && tp_pagecache_gz(r, r->page_key, NULL, &gz, &n);

	tp_set_header(r, "Vary", "Accept-Encoding");
	if (!hit) {
		hit = tp_pagecache_get(r, r->page_key, &r->page_body,
		                       &r->page_len);
		zip = hit && zip &&
		      tp_pagecache_gz(r, r->page_key, r->page_body, &gz, &n);
	}
	tp_set_header(r, "X-Page-Cache", hit ? "hit" : "miss");
	if (!hit)
		return false;
	if (zip) {
		r->page_body = gz;
		r->page_len = n;
		tp_set_header(r, "Content-Encoding", "gzip");
	}
	r->tmpl = "grid.tpl";
	return true;
}

void tp_grid_action(tp_req *r, const char *href, const char *label)
{
	json_object *v = tp_view(r), *a, *o = json_object_new_object();
	if (!json_object_object_get_ex(v, "actions", &a)) {
		a = json_object_new_array();
		json_object_object_add(v, "actions", a);
	}
	json_object_object_add(o, "href", jstr(href));
	json_object_object_add(o, "label", jstr(label));
	json_object_array_add(a, o);
}

tp_rc tp_grid_respond(tp_req *r, const tp_grid *gd, const char *where,
                      int64_t arg)
{
	return tp_grid_respond_action(r, gd, where, arg, NULL, NULL, NULL);
}

tp_rc tp_grid_respond_action(tp_req *r, const tp_grid *gd, const char *where,
                             int64_t arg, const char *label, const char *pre,
                             const char *post)
{
	tp_grid_run *g = tp_alloc(r, sizeof(*g));
	tp_rc rc;

	memset(g, 0, sizeof(*g));
	g->g = gd;
	if (pre != NULL && !tp_wants_json(r)) {
		g->act_label = label;
		g->act_pre = pre;
		g->act_post = post ? post : "";
		json_object_object_add(tp_view(r), "row_actions",
		                       json_object_new_boolean(1));
	}
	for (g->ncols = 0; gd->cols[g->ncols].key != NULL; g->ncols++)
		;
	if (g->ncols > TP_GRID_MAX_COLS) {
		tp_log(TP_LOG_ERR, "TP1201", "grid %s: more than %d columns",
		       gd->name, TP_GRID_MAX_COLS);
		return TP_EINTERNAL;
	}
	/* a page (not a download) of a cached grid: the kept copy, or the
	 * key to keep this one under */
	if (gd->cached && tp_pagecache_on() && tp_query(r, "format") == NULL) {
		if ((rc = page_key(r, g, where, arg)) != TP_OK)
			return rc;
		if (page_from_cache(r))
			return TP_OK;
	}
	if ((rc = load_settings(r, g)) != TP_OK ||
	    (rc = parse(r, g, where, arg)) != TP_OK)
		return rc;
	if (g->format != TP_GRID_NONE)
		return tp_grid_export(r, g);
	r->tmpl = "grid.tpl";
	page_frame(r, g);
	return g->group >= 0 ? groups(r, g) : page(r, g);
}
