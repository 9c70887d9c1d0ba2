/*
 * export.c -- a grid's rows as a download: exactly what the page shows
 * (its columns, labels, filters and order) but every row, streamed as it
 * is read from MariaDB (tp_db_each_args: unbuffered), so memory stays
 * flat whatever the size. CSV here; the header row is the labels, money
 * is a decimal amount with one "Currency" column after the others.
 */
#include "config.h"
#include "core.h"
#include "grid.h"

#include <string.h>

#define OUT_BUF (64 * 1024)

struct csv {
	tp_req *r;
	tp_grid_run *g;
	char *buf;
	size_t len;
	tp_rc err;
	bool currency; /* a Currency column at the end */
};

static tp_rc flush(struct csv *o)
{
	if (o->len > 0 && tp_stream_write(o->r, o->buf, o->len) != TP_OK)
		return TP_EINTERNAL;
	o->len = 0;
	return TP_OK;
}

static tp_rc put(struct csv *o, const char *s, size_t n)
{
	while (n > 0) {
		if (o->len == OUT_BUF && flush(o) != TP_OK)
			return TP_EINTERNAL;
		size_t k = OUT_BUF - o->len < n ? OUT_BUF - o->len : n;
		memcpy(o->buf + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
	}
	return TP_OK;
}

/* RFC 4180 quoting when needed; a text starting with = + - @ (or a tab
 * or CR) gets a leading ' so a spreadsheet never runs it as a formula */
static tp_rc field(struct csv *o, const char *s, size_t n, bool text)
{
	bool quote = false, formula = false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = true;
	if (text && n > 0 && strchr("=+-@\t\r", s[0]) != NULL)
		formula = quote = true;
	if (!quote)
		return put(o, s, n);
	if (put(o, "\"", 1) != TP_OK || (formula && put(o, "'", 1) != TP_OK))
		return TP_EINTERNAL;
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		size_t k = q ? (size_t)(q - p) + 1 : (size_t)(end - p);
		if (put(o, p, k) != TP_OK || (q && put(o, "\"", 1) != TP_OK))
			return TP_EINTERNAL;
		p += k;
	}
	return put(o, "\"", 1);
}

static tp_rc csv_row(void *ud, unsigned ncols, const char **cols,
                     const unsigned long *lens)
{
	struct csv *o = ud;
	tp_grid_run *g = o->g;
	const char *cur = NULL;
	unsigned m = 0;
	char buf[32];

	(void)ncols;
	for (size_t k = 0; k < g->nvis; k++) {
		const tp_grid_col *c = &g->g->cols[g->vis[k]];
		const char *v = cols[2 + k];
		size_t n = v ? lens[2 + k] : 0;
		if (k > 0 && put(o, ",", 1) != TP_OK)
			return TP_EINTERNAL;
		if (v != NULL && c->type == TP_COL_MONEY) {
			int64_t x = 0;
			tp_parse_i64(v, &x);
			v = tp_money_format(x, buf, sizeof(buf));
			n = strlen(v);
			if (cur == NULL)
				cur = cols[2 + g->nvis + m];
		}
		m += c->type == TP_COL_MONEY;
		if (v != NULL &&
		    field(o, v, n, c->type == TP_COL_TEXT) != TP_OK)
			return TP_EINTERNAL;
	}
	if (o->currency && (put(o, ",", 1) != TP_OK ||
	                    (cur && field(o, cur, strlen(cur), true) != TP_OK)))
		return TP_EINTERNAL;
	return put(o, "\r\n", 2);
}

static tp_rc csv(tp_req *r, tp_grid_run *g)
{
	struct csv o = {.r = r, .g = g};
	for (size_t k = 0; k < g->nvis; k++)
		o.currency |= g->g->cols[g->vis[k]].type == TP_COL_MONEY;
	char *sql = tp_grid_sql(g, 0);
	tp_rc rc = tp_stream_begin(r, "text/csv; charset=utf-8",
	                           tp_printf(r, "%s.csv", g->g->name));
	if (rc != TP_OK)
		return rc;
	o.buf = tp_alloc(r, OUT_BUF);
	for (size_t k = 0; rc == TP_OK && k < g->nvis; k++) {
		const char *l = g->label[g->vis[k]];
		if (k > 0)
			rc = put(&o, ",", 1);
		if (rc == TP_OK)
			rc = field(&o, l, strlen(l), true);
	}
	if (rc == TP_OK && o.currency)
		rc = put(&o, ",Currency", 9);
	if (rc == TP_OK)
		rc = put(&o, "\r\n", 2);
	if (rc == TP_OK)
		rc = tp_db_each_args(tp_req_db(r), csv_row, &o, sql, g->args,
		                     g->nargs);
	if (rc == TP_OK)
		rc = flush(&o);
	return rc;
}

tp_rc tp_grid_export(tp_req *r, tp_grid_run *g)
{
	switch (g->format) {
	case TP_GRID_CSV: return csv(r, g);
	default:
		return tp_fail(r, TP_EINVAL, "format",
		               "format: only csv is built so far");
	}
}
