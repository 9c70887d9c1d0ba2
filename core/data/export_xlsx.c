/*
 * export_xlsx.c -- a grid as an XLSX workbook (libxlsxwriter in constant
 * memory mode: one row in memory, the sheet in a temp file, strings inline)
 * written to a temp file in the upload directory and streamed from there.
 * Cells are typed: numbers, money (the amount, 2 to 4 decimals shown, and a
 * Currency column as in the CSV), dates, and text always as strings, never
 * formulas. Never holds the rows in memory. Nothing is sent before the
 * file is whole (about 12,000 rows/s here): nginx's export location waits
 * that long (nginx/tierport.conf), and [limits] max_xlsx_rows may cap it
 * below the sheet's own limit.
 */
#include "config.h"
#include "data/data.h"
#include "data/grid.h"

#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

/* the sheet's last row; the header takes the first */
#define XLSX_MAX_ROWS ((long)LXW_ROW_MAX - 1)
#define XLSX_MAX_STR  32767 /* characters in a cell */

struct xlsx {
	tp_grid_run *g;
	lxw_worksheet *ws;
	lxw_format *money, *date;
	lxw_row_t row;
	bool currency;
	lxw_error err;
	char *cut; /* a text cut to XLSX_MAX_STR */
};

/* Sheet names: at most 31 characters, none of []:*?/\ (Excel). */
static const char *sheet_name(tp_req *r, const char *title)
{
	char *s = tp_strdup(r, title && *title ? title : "Sheet1");
	size_t n = 0, chars = 0;
	for (char *p = s; *p != '\0'; p++) {
		if (strchr("[]:*?/\\", *p) != NULL)
			*p = ' ';
		if (((unsigned char)*p & 0xC0) != 0x80 && chars++ == 31)
			break;
		n++;
	}
	s[n] = '\0';
	return s;
}

static lxw_error text(struct xlsx *o, lxw_col_t col, const char *v, size_t n)
{
	if (n > XLSX_MAX_STR) {
		/* bytes >= characters: cut at a character boundary */
		size_t k = XLSX_MAX_STR;
		while (k > 0 && ((unsigned char)v[k] & 0xC0) == 0x80)
			k--;
		memcpy(o->cut, v, k);
		o->cut[k] = '\0';
		v = o->cut;
	}
	return worksheet_write_string(o->ws, o->row, col, v, NULL);
}

/* "YYYY-MM-DD" as an Excel date; anything else stays text */
static lxw_error date(struct xlsx *o, lxw_col_t col, const char *v, size_t n)
{
	int y, m, d;
	char end;
	if (n == 0)
		return LXW_NO_ERROR;
	if (sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 || y < 1900 ||
	    m < 1 || m > 12 || d < 1 || d > 31)
		return text(o, col, v, n);
	lxw_datetime dt = {.year = y, .month = m, .day = d};
	return worksheet_write_datetime(o->ws, o->row, col, &dt, o->date);
}

static tp_rc xlsx_row(void *ud, unsigned ncols, const char **cols,
                      const unsigned long *lens)
{
	struct xlsx *o = ud;
	tp_grid_run *g = o->g;
	lxw_error e = LXW_NO_ERROR;

	(void)ncols;
	o->row++;
	for (size_t k = 0; k < g->nvis && e == LXW_NO_ERROR; k++) {
		const char *v = cols[2 + k];
		lxw_col_t col = (lxw_col_t)k;
		int64_t x = 0;
		if (v == NULL)
			continue;
		switch (g->g->cols[g->vis[k]].type) {
		case TP_COL_NUMBER:
			tp_parse_i64(v, &x);
			e = worksheet_write_number(o->ws, o->row, col,
			                           (double)x, NULL);
			break;
		case TP_COL_MONEY:
			/* the one place money becomes a double: a spreadsheet
			 * number cell is an IEEE double (libxlsxwriter's API),
			 * exact to the ten-thousandth up to 2^53 / 10^4, about
			 * 900 billion; the amount itself stays int64 */
			tp_parse_i64(v, &x);
			e = worksheet_write_number(
			    o->ws, o->row, col, (double)x / 10000.0, o->money);
			break;
		case TP_COL_DATE: e = date(o, col, v, lens[2 + k]); break;
		default: e = text(o, col, v, lens[2 + k]); break;
		}
	}
	const char *cur = o->currency ? tp_export_currency(g, cols) : NULL;
	if (e == LXW_NO_ERROR && cur != NULL)
		e = text(o, (lxw_col_t)g->nvis, cur, strlen(cur));
	if (e != LXW_NO_ERROR) {
		o->err = e;
		return TP_EINTERNAL;
	}
	return TP_OK;
}

/* column widths in characters, from the type and the label */
static double width_of(const tp_grid_col *c, const char *label)
{
	double w = c->type == TP_COL_TEXT     ? 24
	           : c->type == TP_COL_MONEY  ? 13
	           : c->type == TP_COL_DATE   ? 11
	           : c->type == TP_COL_STATUS ? 11
	                                      : 10;
	double l = (double)strlen(label) + 2;
	return l > w ? (l > 40 ? 40 : l) : w;
}

tp_rc tp_export_xlsx(tp_req *r, tp_grid_run *g)
{
	char *path;
	long max = r->cfg && r->cfg->max_xlsx_rows &&
	                   (long)r->cfg->max_xlsx_rows < XLSX_MAX_ROWS
	               ? (long)r->cfg->max_xlsx_rows
	               : XLSX_MAX_ROWS;
	tp_rc rc = tp_export_prepare(r, g, max, _("XLSX"), &path);
	if (rc != TP_OK)
		return rc;
	tp_limits lim;
	tp_req_limits(r, &lim);
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE,
	                            .tmpdir = (char *)lim.upload_dir};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	if (wb == NULL) {
		tp_log(TP_LOG_ERR, "TP1214", "xlsx: cannot start a workbook");
		return TP_EINTERNAL;
	}
	struct xlsx o = {.g = g, .currency = tp_export_has_money(g)};
	lxw_doc_properties props = {.title = (char *)tp_tr(g->g->title),
	                            .company =
	                                r->tenant ? r->tenant->name : NULL};
	workbook_set_properties(wb, &props);
	o.ws = workbook_add_worksheet(wb, sheet_name(r, tp_tr(g->g->title)));
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	o.money = workbook_add_format(wb);
	format_set_num_format(o.money, "#,##0.00##");
	o.date = workbook_add_format(wb);
	format_set_num_format(o.date, "yyyy-mm-dd");
	o.cut = tp_alloc(r, XLSX_MAX_STR + 1);

	lxw_error e = o.ws ? LXW_NO_ERROR : LXW_ERROR_MEMORY_MALLOC_FAILED;
	for (size_t k = 0; k < g->nvis && e == LXW_NO_ERROR; k++) {
		const char *l = tp_grid_label(g, g->vis[k]);
		e = worksheet_set_column(o.ws, (lxw_col_t)k, (lxw_col_t)k,
		                         width_of(&g->g->cols[g->vis[k]], l),
		                         NULL);
		if (e == LXW_NO_ERROR)
			e = worksheet_write_string(o.ws, 0, (lxw_col_t)k, l,
			                           bold);
	}
	if (e == LXW_NO_ERROR && o.currency)
		e = worksheet_write_string(o.ws, 0, (lxw_col_t)g->nvis,
		                           _("Currency"), bold);
	if (e == LXW_NO_ERROR) {
		worksheet_freeze_panes(o.ws, 1, 0);
		rc = tp_db_each_args(g->db, xlsx_row, &o,
		                     tp_grid_sql(g, (int)max), g->args,
		                     g->nargs);
		e = o.err;
	}
	/* closing writes the file and frees the workbook, in any case */
	lxw_error ce = workbook_close(wb);
	if (e == LXW_NO_ERROR)
		e = ce;
	if (e != LXW_NO_ERROR) {
		tp_log(TP_LOG_ERR, "TP1215", "xlsx: %s", lxw_strerror(e));
		return TP_EINTERNAL;
	}
	if (rc != TP_OK)
		return rc;
	return tp_export_send(
	    r, path,
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	    tp_printf(r, "%s.xlsx", g->g->name));
}
