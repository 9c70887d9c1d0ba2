/*
 * export.c -- a grid's rows as a download: exactly what the page shows
 * (its columns, labels, filters and order) but every row, read from
 * MariaDB as it comes (tp_db_each_args: unbuffered). CSV is streamed out
 * as it is read, so memory stays flat whatever the size; the header row is
 * the labels, money is a decimal amount with one "Currency" column after
 * the others. XLSX (export_xlsx.c) and PDF (export_pdf.c) are files that
 * must be whole before their first byte is right: they are written to a
 * temp file, never to memory, then streamed from it; the helpers for that
 * are here. Nothing here ever buffers a whole download in the worker.
 * Every download reads from a connection of its own with [db]
 * export_read_timeout: its first row may wait for the server to sort the
 * whole list (docs/benchmarks.md), longer than a page's read_timeout.
 */
#include "config.h"
#include "data/data.h"
#include "data/grid.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OUT_BUF (64 * 1024)

struct csv {
	tp_req *r;
	tp_grid_run *g;
	char *buf;
	size_t len;
	tp_rc err;
	bool currency; /* a Currency column at the end */
	bool guard;    /* formulas get an apostrophe (the brand's csv_plain) */
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

/* A phone number as +digits: a spreadsheet reads it as a number, never
 * runs it, so it needs no guard (issue 10: "+4930..." stays as typed). */
static bool plus_digits(const char *s, size_t n)
{
	if (n < 2 || s[0] != '+')
		return false;
	for (size_t i = 1; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* RFC 4180 quoting when needed; a text starting with = + - @ (or a tab
 * or CR) gets a leading ' so a spreadsheet never runs it as a formula
 * (the grid's note says so to the user), +digits excepted, unless the
 * brand turned the guard off (o->guard false: cells as they are) */
static tp_rc field(struct csv *o, const char *s, size_t n, bool text)
{
	bool quote = false, formula = false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = true;
	if (o->guard && text && n > 0 && strchr("=+-@\t\r", s[0]) != NULL &&
	    !plus_digits(s, n))
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
		}
		if (v != NULL &&
		    field(o, v, n, c->type == TP_COL_TEXT) != TP_OK)
			return TP_EINTERNAL;
	}
	const char *cur = o->currency ? tp_export_currency(g, cols) : NULL;
	if (o->currency && (put(o, ",", 1) != TP_OK ||
	                    (cur && field(o, cur, strlen(cur), true) != TP_OK)))
		return TP_EINTERNAL;
	return put(o, "\r\n", 2);
}

static tp_rc csv(tp_req *r, tp_grid_run *g)
{
	struct csv o = {.r = r,
	                .g = g,
	                .currency = tp_export_has_money(g),
	                .guard = r->tenant == NULL || !r->tenant->csv_plain};
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
		rc =
		    tp_db_each_args(g->db, csv_row, &o, sql, g->args, g->nargs);
	if (rc == TP_OK)
		rc = flush(&o);
	return rc;
}

/* ------------------------------------------------------------------ */
/* what the XLSX and PDF writers share                                  */

bool tp_export_has_money(const tp_grid_run *g)
{
	for (size_t k = 0; k < g->nvis; k++)
		if (g->g->cols[g->vis[k]].type == TP_COL_MONEY)
			return true;
	return false;
}

/* the currencies follow the visible columns, one per money column */
const char *tp_export_currency(const tp_grid_run *g, const char **cols)
{
	unsigned m = 0;
	for (size_t k = 0; k < g->nvis; k++) {
		if (g->g->cols[g->vis[k]].type != TP_COL_MONEY)
			continue;
		if (cols[2 + k] != NULL)
			return cols[2 + g->nvis + m];
		m++;
	}
	return NULL;
}

static void tmp_unlink(void *p)
{
	const char *path = p;
	if (unlink(path) != 0 && errno != ENOENT)
		tp_log(TP_LOG_WARN, "TP1211", "cannot remove export %s: %s",
		       path, strerror(errno));
}

static char *export_tmp(tp_req *r)
{
	tp_limits lim;
	tp_req_limits(r, &lim);
	char *path = tp_printf(r, "%s/tierport-export-XXXXXX", lim.upload_dir);
	/* mkostemp makes the name ours (0600, O_EXCL); the writers then
	 * open it again by name, as libxlsxwriter and libharu only can */
	int fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0) {
		tp_log(TP_LOG_ERR, "TP1210",
		       "cannot create export file in %s: %s", lim.upload_dir,
		       strerror(errno));
		tp_fail(r, TP_EINTERNAL, NULL, "could not write the export");
		return NULL;
	}
	close(fd);
	tp_cleanup(r, tmp_unlink, path);
	return path;
}

tp_rc tp_export_send(tp_req *r, const char *path, const char *content_type,
                     const char *download_name)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		tp_log(TP_LOG_ERR, "TP1212", "cannot open export %s: %s", path,
		       strerror(errno));
		return TP_EINTERNAL;
	}
	/* gone from the directory at once; the open file stays readable */
	tmp_unlink((void *)path);
	tp_rc rc = tp_stream_begin(r, content_type, download_name);
	char *buf = rc == TP_OK ? tp_alloc(r, OUT_BUF) : NULL;
	while (rc == TP_OK) {
		ssize_t n = read(fd, buf, OUT_BUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			tp_log(TP_LOG_ERR, "TP1213", "cannot read export: %s",
			       strerror(errno));
			rc = TP_EINTERNAL;
		}
		if (n <= 0)
			break;
		rc = tp_stream_write(r, buf, (size_t)n);
	}
	close(fd);
	return rc;
}

static tp_rc export_cap(tp_req *r, tp_grid_run *g, long max, const char *what)
{
	tp_rows *rs;
	/* is there a row after the first max? (the grid's FROM and WHERE,
	 * then max bound like every value) */
	if (g->nargs >= TP_GRID_MAX_ARGS)
		return TP_EINTERNAL;
	g->args[g->nargs] = (tp_db_arg){.i = (int64_t)max};
	tp_rc rc = tp_db_query_args(g->db, r, &rs, tp_grid_sql_after(g),
	                            g->args, g->nargs + 1);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) > 0)
		return tp_fail(r, TP_EINVAL, "format",
		               _("format: too many rows for %s (at most %ld); "
		                 "filter the list or export CSV"),
		               what, max);
	return TP_OK;
}

tp_rc tp_export_prepare(tp_req *r, tp_grid_run *g, long max, const char *what,
                        char **path)
{
	tp_rc rc = export_cap(r, g, max, what);
	if (rc != TP_OK)
		return rc;
	*path = export_tmp(r);
	return *path != NULL ? TP_OK : TP_EINTERNAL;
}

static void db_close(void *p)
{
	tp_db_free(p);
}

/* A connection for this download alone, opened on its first query and
 * closed when the request ends: MYSQL_OPT_READ_TIMEOUT only takes effect
 * when connecting, and the thread's own connection keeps the short one
 * for pages. No second connection when the export timeout is no longer. */
static tp_db *export_db(tp_req *r)
{
	const tp_config *c = r->cfg;
	if (c == NULL || c->db_export_read_timeout <= c->db_read_timeout)
		return tp_req_db(r);
	tp_db *db = tp_db_new(c);
	if (db == NULL)
		return tp_req_db(r);
	tp_db_set_read_timeout(db, c->db_export_read_timeout);
	tp_cleanup(r, db_close, db);
	return db;
}

tp_rc tp_grid_export(tp_req *r, tp_grid_run *g)
{
	g->db = export_db(r);
	switch (g->format) {
	case TP_GRID_CSV: return csv(r, g);
	case TP_GRID_XLSX: return tp_export_xlsx(r, g);
	case TP_GRID_PDF: return tp_export_pdf(r, g);
	default:
		return tp_fail(r, TP_EINVAL, "format",
		               _("format: csv, xlsx or pdf"));
	}
}
