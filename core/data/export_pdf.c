/*
 * export_pdf.c -- a grid as a PDF (libharu): landscape A4 pages, each with
 * the brand's name and the grid's title, the column labels and "page N";
 * rows in Helvetica, cells cut with an ellipsis to their column's width.
 * libharu keeps the whole document in memory until it is saved, so the
 * rows are capped ([limits] max_pdf_rows, measured in docs/benchmarks.md:
 * a 400 before any work beyond it) and the document is saved to a temp file,
 * never to memory, then streamed from there.
 *
 * The built-in fonts are single-byte (WinAnsiEncoding, i.e. Windows-1252):
 * UTF-8 text is converted, and what Windows-1252 cannot show becomes '?'.
 * Raw UTF-8 bytes are never handed to libharu.
 */
#include "config.h"
#include "data/data.h"
#include "data/grid.h"

#include <hpdf.h>
#include <stdio.h>
#include <string.h>

/* [limits] max_pdf_rows when there is no config (docs/benchmarks.md) */
#define PDF_MAX_ROWS 50000

/* A4 landscape, in points */
#define PAGE_W   841.89f
#define PAGE_H   595.276f
#define MARGIN   28.0f
#define TITLE_Y  (PAGE_H - 34.0f)
#define LABEL_Y  (PAGE_H - 56.0f)
#define RULE_Y   (PAGE_H - 60.0f)
#define FIRST_Y  (PAGE_H - 70.0f)
#define LAST_Y   (MARGIN + 8.0f)
#define FOOTER_Y 16.0f
#define LINE     9.5f
#define ROW_SIZE 7.0f
#define LABEL_SZ 7.5f
#define TITLE_SZ 11.0f
#define PAD      4.0f /* between two columns */
#define CELL_MAX 512  /* bytes of a cell looked at */
#define ELLIPSIS "\x85"

struct pdf {
	tp_req *r;
	tp_grid_run *g;
	HPDF_Doc doc;
	HPDF_Page page;
	HPDF_Font font, bold;
	float x[TP_GRID_MAX_COLS], w[TP_GRID_MAX_COLS];
	const char *brand, *title; /* Windows-1252 */
	float y;
	int pageno, rows_left, per_page;
	HPDF_STATUS err, detail;
	char buf[CELL_MAX + 8];
};

static void on_error(HPDF_STATUS err, HPDF_STATUS detail, void *ud)
{
	struct pdf *o = ud;
	if (o->err == 0) {
		o->err = err;
		o->detail = detail;
	}
}

/* Windows-1252 for U+0080..U+009F's slots (0 where it has none) */
static const unsigned short cp1252_hi[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

static unsigned char cp1252(unsigned cp)
{
	if (cp < 0x20 || cp == 0x7F)
		return ' '; /* controls, newlines and tabs: a space */
	if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF))
		return (unsigned char)cp;
	for (unsigned i = 0; i < 32; i++)
		if (cp1252_hi[i] == cp)
			return (unsigned char)(0x80 + i);
	return '?';
}

/* UTF-8 s[0, n) as Windows-1252 into out (cap > 0); bad bytes are '?' */
static size_t winansi(const char *s, size_t n, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	size_t k = 0;
	while (p < end && k + 1 < cap) {
		unsigned cp = *p, len = 1;
		if (cp >= 0x80) {
			len = cp >= 0xF0   ? 4
			      : cp >= 0xE0 ? 3
			      : cp >= 0xC0 ? 2
			                   : 0;
			if (len == 0 || cp >= 0xF8 || (size_t)(end - p) < len) {
				len = 1;
				cp = '?' + 0x100; /* not a character */
			} else {
				cp &= 0x3F >> (len - 1);
				for (unsigned i = 1; i < len; i++) {
					if ((p[i] & 0xC0) != 0x80) {
						len = i;
						cp = '?' + 0x100;
						break;
					}
					cp = (cp << 6) | (p[i] & 0x3F);
				}
			}
		}
		out[k++] = cp == '?' + 0x100 ? '?' : (char)cp1252(cp);
		p += len;
	}
	out[k] = '\0';
	return k;
}

static const char *winansi_dup(tp_req *r, const char *s)
{
	size_t n = strlen(s);
	char *o = tp_alloc(r, n + 1);
	winansi(s, n, o, n + 1);
	return o;
}

/* s (n bytes) cut to width with an ellipsis; s has room for 2 more */
static void fit(HPDF_Font f, float size, char *s, size_t n, float width)
{
	HPDF_REAL real;
	HPDF_UINT k = HPDF_Font_MeasureText(f, (const HPDF_BYTE *)s, n, width,
	                                    size, 0, 0, HPDF_FALSE, &real);
	if (k >= n)
		return;
	float ell =
	    (float)HPDF_Font_TextWidth(f, (const HPDF_BYTE *)ELLIPSIS, 1)
	        .width *
	    size / 1000.0f;
	k = width > ell
	        ? HPDF_Font_MeasureText(f, (const HPDF_BYTE *)s, n, width - ell,
	                                size, 0, 0, HPDF_FALSE, &real)
	        : 0;
	s[k] = ELLIPSIS[0];
	s[k + 1] = '\0';
}

static float text_width(HPDF_Font f, float size, const char *s)
{
	return (float)HPDF_Font_TextWidth(f, (const HPDF_BYTE *)s,
	                                  (HPDF_UINT)strlen(s))
	           .width *
	       size / 1000.0f;
}

static bool right_aligned(const tp_grid_col *c)
{
	return c->type == TP_COL_NUMBER || c->type == TP_COL_MONEY;
}

/* One cell at column k of the line at y: text cut to the column */
static void put_cell(struct pdf *o, HPDF_Font f, float size, size_t k,
                     const char *v, size_t n, float y)
{
	n = winansi(v, n, o->buf, CELL_MAX);
	fit(f, size, o->buf, n, o->w[k] - PAD);
	float x = o->x[k];
	if (right_aligned(&o->g->g->cols[o->g->vis[k]]))
		x += o->w[k] - PAD - text_width(f, size, o->buf);
	HPDF_Page_TextOut(o->page, x, y, o->buf);
}

/* Widths from each column's type and label. Too wide for the page: the
 * text columns give way first (down to TEXT_MIN), then all alike; too
 * narrow: all grow alike. */
#define TEXT_MIN 40.0f
static void layout(struct pdf *o)
{
	tp_grid_run *g = o->g;
	const float avail = PAGE_W - 2 * MARGIN;
	float sum = 0, text = 0;
	for (size_t k = 0; k < g->nvis; k++) {
		int t = g->g->cols[g->vis[k]].type;
		float base = t == TP_COL_TEXT     ? 120
		             : t == TP_COL_MONEY  ? 68
		             : t == TP_COL_NUMBER ? 44
		                                  : 48;
		char lb[CELL_MAX + 8];
		const char *l = tp_grid_label(g, g->vis[k]);
		winansi(l, strlen(l), lb, CELL_MAX);
		float lw = text_width(o->bold, LABEL_SZ, lb) + 2 * PAD;
		o->w[k] = lw > base ? (lw > 160 ? 160 : lw) : base;
		sum += o->w[k];
		if (t == TP_COL_TEXT)
			text += o->w[k];
	}
	if (sum > avail && text > 0) {
		float fixed = sum - text;
		float s = (avail - fixed) / text;
		sum = fixed;
		for (size_t k = 0; k < g->nvis; k++) {
			if (g->g->cols[g->vis[k]].type != TP_COL_TEXT)
				continue;
			o->w[k] *= s;
			if (o->w[k] < TEXT_MIN)
				o->w[k] = TEXT_MIN;
			sum += o->w[k];
		}
	}
	float scale = avail / sum, x = MARGIN;
	for (size_t k = 0; k < g->nvis; k++) {
		o->w[k] *= scale;
		o->x[k] = x;
		x += o->w[k];
	}
	o->per_page = (int)((FIRST_Y - LAST_Y) / LINE) + 1;
}

/* Ends the page being written and starts the next: title, labels, rule,
 * page number; leaves a text object open for the rows. */
static void new_page(struct pdf *o)
{
	tp_grid_run *g = o->g;
	char num[32];

	if (o->page != NULL)
		HPDF_Page_EndText(o->page);
	o->page = HPDF_AddPage(o->doc);
	if (o->page == NULL)
		return; /* on_error has it */
	HPDF_Page_SetSize(o->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_LANDSCAPE);
	o->pageno++;

	HPDF_Page_BeginText(o->page);
	HPDF_Page_SetFontAndSize(o->page, o->bold, TITLE_SZ);
	HPDF_Page_TextOut(o->page, MARGIN, TITLE_Y, o->brand);
	float bw = text_width(o->bold, TITLE_SZ, o->brand);
	HPDF_Page_SetFontAndSize(o->page, o->font, TITLE_SZ);
	HPDF_Page_TextOut(o->page, MARGIN + bw + 14, TITLE_Y, o->title);
	snprintf(num, sizeof(num), _("page %d"), o->pageno);
	HPDF_Page_SetFontAndSize(o->page, o->font, ROW_SIZE);
	HPDF_Page_TextOut(o->page,
	                  PAGE_W - MARGIN - text_width(o->font, ROW_SIZE, num),
	                  FOOTER_Y, num);
	HPDF_Page_SetFontAndSize(o->page, o->bold, LABEL_SZ);
	for (size_t k = 0; k < g->nvis; k++) {
		const char *l = tp_grid_label(g, g->vis[k]);
		put_cell(o, o->bold, LABEL_SZ, k, l, strlen(l), LABEL_Y);
	}
	HPDF_Page_EndText(o->page);

	HPDF_Page_SetLineWidth(o->page, 0.5f);
	HPDF_Page_MoveTo(o->page, MARGIN, RULE_Y);
	HPDF_Page_LineTo(o->page, PAGE_W - MARGIN, RULE_Y);
	HPDF_Page_Stroke(o->page);

	HPDF_Page_BeginText(o->page);
	HPDF_Page_SetFontAndSize(o->page, o->font, ROW_SIZE);
	o->y = FIRST_Y;
	o->rows_left = o->per_page;
}

static tp_rc pdf_row(void *ud, unsigned ncols, const char **cols,
                     const unsigned long *lens)
{
	struct pdf *o = ud;
	tp_grid_run *g = o->g;
	unsigned m = 0;
	char money[48];

	(void)ncols;
	if (o->rows_left == 0)
		new_page(o);
	if (o->err != 0)
		return TP_EINTERNAL;
	for (size_t k = 0; k < g->nvis; k++) {
		const char *v = cols[2 + k];
		size_t n = v ? lens[2 + k] : 0;
		if (g->g->cols[g->vis[k]].type == TP_COL_MONEY) {
			/* as the page shows it: "12.50 EUR" */
			const char *cur = cols[2 + g->nvis + m++];
			int64_t x = 0;
			if (v == NULL)
				continue;
			tp_parse_i64(v, &x);
			char amount[32], loc[48];
			tp_money_format(x, amount, sizeof(amount));
			n = (size_t)snprintf(
			    money, sizeof(money), "%s %.3s",
			    tp_number_localize(amount, loc, sizeof(loc)),
			    cur ? cur : "");
			v = money;
		}
		if (v != NULL && n > 0)
			put_cell(o, o->font, ROW_SIZE, k, v, n, o->y);
	}
	o->y -= LINE;
	o->rows_left--;
	return o->err != 0 ? TP_EINTERNAL : TP_OK;
}

tp_rc tp_export_pdf(tp_req *r, tp_grid_run *g)
{
	long max = r->cfg && r->cfg->max_pdf_rows ? (long)r->cfg->max_pdf_rows
	                                          : PDF_MAX_ROWS;
	char *path;
	tp_rc rc = tp_export_prepare(r, g, max, _("a PDF"), &path);
	if (rc != TP_OK)
		return rc;
	struct pdf *o = tp_alloc(r, sizeof(*o));
	memset(o, 0, sizeof(*o));
	o->r = r;
	o->g = g;
	o->brand = winansi_dup(r, r->tenant ? r->tenant->name : "");
	o->title =
	    winansi_dup(r, g->g->title ? tp_tr(g->g->title) : g->g->name);
	o->doc = HPDF_New(on_error, o);
	if (o->doc == NULL) {
		tp_log(TP_LOG_ERR, "TP1216", "pdf: cannot start a document");
		return TP_EINTERNAL;
	}
	HPDF_SetCompressionMode(o->doc, HPDF_COMP_ALL);
	HPDF_SetInfoAttr(o->doc, HPDF_INFO_TITLE, o->title);
	HPDF_SetInfoAttr(o->doc, HPDF_INFO_AUTHOR, o->brand);
	HPDF_SetInfoAttr(o->doc, HPDF_INFO_CREATOR, "tierport");
	o->font = HPDF_GetFont(o->doc, "Helvetica", "WinAnsiEncoding");
	o->bold = HPDF_GetFont(o->doc, "Helvetica-Bold", "WinAnsiEncoding");
	if (o->err == 0) {
		layout(o);
		new_page(o);
	}
	if (o->err == 0)
		rc =
		    tp_db_each_args(g->db, pdf_row, o, tp_grid_sql(g, (int)max),
		                    g->args, g->nargs);
	if (o->err == 0) {
		HPDF_Page_EndText(o->page);
		HPDF_SaveToFile(o->doc, path);
	}
	HPDF_Free(o->doc);
	if (o->err != 0) {
		tp_log(TP_LOG_ERR, "TP1217", "pdf: libharu error 0x%04X (%u)",
		       (unsigned)o->err, (unsigned)o->detail);
		return TP_EINTERNAL;
	}
	if (rc != TP_OK)
		return rc;
	return tp_export_send(r, path, "application/pdf",
	                      tp_printf(r, "%s.pdf", g->g->name));
}
