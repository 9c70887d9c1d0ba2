/*
 * pdf.c -- an invoice or credit note as a branded PDF (libharu): the
 * brand's name in its primary colour over a band of its accent colour,
 * seller and buyer with their tax ids, the dates, every line (as many
 * pages as they need, the heading repeated), the summary by kind, tax per
 * rate, the total and the amount due. Built in memory (an invoice is a
 * few pages) and streamed out. Text is Windows-1252 (Helvetica's
 * WinAnsiEncoding): what it cannot show becomes '?'.
 */
#include "invoices.h"

#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W   595.0f /* A4 in points */
#define PAGE_H   842.0f
#define MARGIN   48.0f
#define LINE_H   14.0f
#define AMOUNT_X (PAGE_W - MARGIN)

struct doc {
	tp_req *r;
	HPDF_Doc pdf;
	HPDF_Page page;
	HPDF_Font font, bold;
	float y;
	int pages;
	HPDF_STATUS err;
	float primary[3];
	const char *heading;
};

static void on_error(HPDF_STATUS e, HPDF_STATUS detail, void *ud)
{
	struct doc *d = ud;
	(void)detail;
	if (d->err == 0)
		d->err = e;
}

/* UTF-8 -> Windows-1252 for the characters Latin-1 shares with it (and
 * the euro sign); anything else '?' */
static char *winansi(tp_req *r, const char *s)
{
	size_t n = strlen(s);
	char *out = tp_alloc(r, n + 1), *o = out;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (*p < 0x80) {
			*o++ = (char)*p++;
		} else if ((p[0] & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
			unsigned c = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
			*o++ = c >= 0xA0 ? (char)c : '?';
			p += 2;
		} else if (p[0] == 0xE2 && p[1] == 0x82 && p[2] == 0xAC) {
			*o++ = (char)0x80; /* the euro sign */
			p += 3;
		} else {
			*o++ = '?';
			p++;
			while ((*p & 0xC0) == 0x80)
				p++;
		}
	}
	*o = '\0';
	return out;
}

/* for the receipt's PDF (receipt.c) */
char *inv_winansi(tp_req *r, const char *s)
{
	return winansi(r, s);
}

static void hex_colour(const char *hex, float out[3])
{
	unsigned v = 0x1f4e79;
	if (hex != NULL && hex[0] == '#' && strlen(hex) == 7)
		v = (unsigned)strtoul(hex + 1, NULL, 16);
	out[0] = (float)((v >> 16) & 0xff) / 255.0f;
	out[1] = (float)((v >> 8) & 0xff) / 255.0f;
	out[2] = (float)(v & 0xff) / 255.0f;
}

static void text(struct doc *d, HPDF_Font f, float size, float x, float y,
                 const char *s)
{
	HPDF_Page_BeginText(d->page);
	HPDF_Page_SetFontAndSize(d->page, f, size);
	HPDF_Page_TextOut(d->page, x, y, winansi(d->r, s));
	HPDF_Page_EndText(d->page);
}

static void text_right(struct doc *d, HPDF_Font f, float size, float x, float y,
                       const char *s)
{
	const char *w = winansi(d->r, s);
	HPDF_Page_SetFontAndSize(d->page, f, size);
	float tw = HPDF_Page_TextWidth(d->page, w);
	HPDF_Page_BeginText(d->page);
	HPDF_Page_TextOut(d->page, x - tw, y, w);
	HPDF_Page_EndText(d->page);
}

static void new_page(struct doc *d)
{
	d->page = HPDF_AddPage(d->pdf);
	HPDF_Page_SetSize(d->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	d->pages++;
	d->y = PAGE_H - MARGIN;
	if (d->pages > 1) {
		text(d, d->bold, 10, MARGIN, d->y, d->heading);
		text_right(d, d->font, 9, AMOUNT_X, d->y,
		           tp_printf(d->r, _("page %d"), d->pages));
		d->y -= 2 * LINE_H;
	}
}

/* room for one more line, else the next page */
static void need(struct doc *d, float h)
{
	if (d->y - h < MARGIN)
		new_page(d);
}

static const char *money(tp_req *r, int64_t v, const char *ccy)
{
	char buf[64];
	return tp_strdup(r, tp_money_text(v, ccy, buf, sizeof(buf)));
}

static void row(struct doc *d, HPDF_Font f, const char *left, const char *right)
{
	need(d, LINE_H);
	/* a long description is cut to its column */
	char *w = winansi(d->r, left);
	HPDF_Page_SetFontAndSize(d->page, f, 9);
	HPDF_UINT fit = HPDF_Page_MeasureText(
	    d->page, w, AMOUNT_X - MARGIN - 100, HPDF_FALSE, NULL);
	if (fit < strlen(w))
		w[fit] = '\0';
	HPDF_Page_BeginText(d->page);
	HPDF_Page_TextOut(d->page, MARGIN, d->y, w);
	HPDF_Page_EndText(d->page);
	if (right != NULL)
		text_right(d, f, 9, AMOUNT_X, d->y, right);
	d->y -= LINE_H;
}

static tp_rc pdf_render(tp_req *r, uint64_t invoice)
{
	tp_db *db = tp_req_db(r);
	tp_rows *iv, *ls, *br;
	struct doc d = {.r = r};

	tp_rc rc = tp_db_query(
	    db, r, &iv,
	    "SELECT number, kind, currency, IFNULL(period_start, ''), "
	    "IFNULL(period_end, ''), IFNULL(issue_date, ''), IFNULL(due_date, "
	    "''), buyer_name, buyer_number, buyer_address, buyer_tax_id, "
	    "seller_name, seller_address, seller_tax_id, balance_forward, "
	    "subtotal, tax_total, total, recurring_total, one_time_total, "
	    "usage_total, late_fee_total, memo FROM invoices WHERE id = ? AND "
	    "tenant_id = ? AND status = 'issued'",
	    "II", (int64_t)invoice, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(iv) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such invoice"));
	rc = tp_db_query(db, r, &ls,
	                 "SELECT kind, description, amount, IFNULL(rate_ppm, "
	                 "0), IFNULL(base, 0) FROM invoice_lines WHERE "
	                 "invoice_id = ? ORDER BY line_no",
	                 "I", (int64_t)invoice);
	if (rc == TP_OK)
		rc = tp_db_query(
		    db, r, &br,
		    "SELECT name, color_primary, color_accent, "
		    "IFNULL(support_phone, ''), IFNULL(support_email, "
		    "'') FROM tenants WHERE id = ?",
		    "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	const char *ccy = tp_rows_get(iv, 0, 2),
	           *number = tp_rows_get(iv, 0, 0);
	bool note = strcmp(tp_rows_get(iv, 0, 1), "credit_note") == 0;
	float accent[3];
	hex_colour(tp_rows_get(br, 0, 1), d.primary);
	hex_colour(tp_rows_get(br, 0, 2), accent);
	d.heading = tp_printf(r, "%s %s",
	                      note ? _("Credit note") : _("Invoice"), number);

	d.pdf = HPDF_New(on_error, &d);
	if (d.pdf == NULL)
		return TP_EINTERNAL;
	HPDF_SetCompressionMode(d.pdf, HPDF_COMP_ALL);
	HPDF_SetInfoAttr(d.pdf, HPDF_INFO_TITLE, winansi(r, d.heading));
	HPDF_SetInfoAttr(d.pdf, HPDF_INFO_AUTHOR,
	                 winansi(r, tp_rows_get(br, 0, 0)));
	HPDF_SetInfoAttr(d.pdf, HPDF_INFO_CREATOR, "tierport");
	d.font = HPDF_GetFont(d.pdf, "Helvetica", "WinAnsiEncoding");
	d.bold = HPDF_GetFont(d.pdf, "Helvetica-Bold", "WinAnsiEncoding");
	new_page(&d);

	/* the brand: a band of its accent colour, its name in its primary */
	HPDF_Page_SetRGBFill(d.page, accent[0], accent[1], accent[2]);
	HPDF_Page_Rectangle(d.page, 0, PAGE_H - 8, PAGE_W, 8);
	HPDF_Page_Fill(d.page);
	HPDF_Page_SetRGBFill(d.page, d.primary[0], d.primary[1], d.primary[2]);
	text(&d, d.bold, 18, MARGIN, d.y - 6, tp_rows_get(br, 0, 0));
	HPDF_Page_SetRGBFill(d.page, 0, 0, 0);
	text_right(&d, d.bold, 14, AMOUNT_X, d.y - 6, d.heading);
	d.y -= 34;
	/* seller and buyer */
	float top = d.y;
	text(&d, d.bold, 9, MARGIN, d.y, tp_rows_get(iv, 0, 11));
	text(&d, d.font, 9, MARGIN, d.y - LINE_H, tp_rows_get(iv, 0, 12));
	if (*tp_rows_get(iv, 0, 13))
		text(&d, d.font, 9, MARGIN, d.y - 2 * LINE_H,
		     tp_printf(r, _("Tax id %s"), tp_rows_get(iv, 0, 13)));
	if (*tp_rows_get(br, 0, 3) || *tp_rows_get(br, 0, 4))
		text(&d, d.font, 9, MARGIN, d.y - 3 * LINE_H,
		     tp_printf(r, "%s  %s", tp_rows_get(br, 0, 3),
		               tp_rows_get(br, 0, 4)));
	float bx = PAGE_W / 2 + 20;
	text(&d, d.bold, 9, bx, top, _("Bill to"));
	text(&d, d.font, 9, bx, top - LINE_H,
	     tp_printf(r, _("%s (account %s)"), tp_rows_get(iv, 0, 7),
	               tp_rows_get(iv, 0, 8)));
	text(&d, d.font, 9, bx, top - 2 * LINE_H, tp_rows_get(iv, 0, 9));
	if (*tp_rows_get(iv, 0, 10))
		text(&d, d.font, 9, bx, top - 3 * LINE_H,
		     tp_printf(r, _("Tax id %s"), tp_rows_get(iv, 0, 10)));
	d.y -= 5 * LINE_H;
	row(&d, d.font, tp_printf(r, _("Issued %s"), tp_rows_get(iv, 0, 5)),
	    NULL);
	if (*tp_rows_get(iv, 0, 3))
		row(&d, d.font,
		    tp_printf(r, _("Billing period %s to %s"),
		              tp_rows_get(iv, 0, 3), tp_rows_get(iv, 0, 4)),
		    NULL);
	if (*tp_rows_get(iv, 0, 6))
		row(&d, d.bold,
		    tp_printf(r, _("Due %s"), tp_rows_get(iv, 0, 6)), NULL);
	if (note && *tp_rows_get(iv, 0, 22))
		row(&d, d.font,
		    tp_printf(r, _("Reason: %s"), tp_rows_get(iv, 0, 22)),
		    NULL);
	d.y -= LINE_H / 2;

	/* the lines */
	row(&d, d.bold, _("Description"), _("Amount"));
	for (size_t i = 0; i < tp_rows_count(ls); i++)
		if (strcmp(tp_rows_get(ls, i, 0), "tax") != 0)
			row(&d, d.font, tp_rows_get(ls, i, 1),
			    money(r, tp_rows_i64(ls, i, 2), ccy));
	d.y -= LINE_H / 2;
	/* the summary by kind, taxes per rate, the totals */
	static const char *const labels[] = {
	    N_("Recurring charges"), N_("One-time charges"),
	    N_("Usage charges"), N_("Late fees")};
	for (unsigned k = 0; k < 4 && !note; k++)
		if (tp_rows_i64(iv, 0, 18 + k) != 0)
			row(&d, d.font, tp_tr(labels[k]),
			    money(r, tp_rows_i64(iv, 0, 18 + k), ccy));
	row(&d, d.bold, _("Subtotal"), money(r, tp_rows_i64(iv, 0, 15), ccy));
	for (size_t i = 0; i < tp_rows_count(ls); i++) {
		if (strcmp(tp_rows_get(ls, i, 0), "tax") != 0)
			continue;
		int64_t ppm = tp_rows_i64(ls, i, 3);
		char pct[48];
		/* TRANSLATORS: a tax line of the invoice PDF: its name, its
		 * rate ("19.00") and the amount it is computed on */
		row(&d, d.font,
		    tp_printf(r, _("%s (%s %% of %s)"), tp_rows_get(ls, i, 1),
		              tp_number_localize(
		                  tp_printf(r, "%lld.%02lld",
		                            (long long)(ppm / 10000),
		                            (long long)(ppm % 10000 / 100)),
		                  pct, sizeof(pct)),
		              money(r, tp_rows_i64(ls, i, 4), ccy)),
		    money(r, tp_rows_i64(ls, i, 2), ccy));
	}
	row(&d, d.bold, note ? _("Total credited") : _("Total"),
	    money(r, tp_rows_i64(iv, 0, 17), ccy));
	if (!note) {
		row(&d, d.font, _("Balance forward"),
		    money(r, tp_rows_i64(iv, 0, 14), ccy));
		row(&d, d.bold, _("Amount due"),
		    money(r, tp_rows_i64(iv, 0, 14) + tp_rows_i64(iv, 0, 17),
		          ccy));
	}

	if (d.err == 0)
		HPDF_SaveToStream(d.pdf);
	if (d.err != 0) {
		tp_log(TP_LOG_ERR, "INV0101",
		       "invoice %llu: libharu error 0x%04X",
		       (unsigned long long)invoice, (unsigned)d.err);
		HPDF_Free(d.pdf);
		return TP_EINTERNAL;
	}
	HPDF_ResetStream(d.pdf);
	rc = tp_stream_begin(r, "application/pdf",
	                     tp_printf(r, "%s.pdf", number));
	for (;;) {
		HPDF_BYTE buf[16384];
		HPDF_UINT32 n = sizeof(buf);
		HPDF_STATUS st = HPDF_ReadFromStream(d.pdf, buf, &n);
		if (rc == TP_OK && n > 0)
			rc = tp_stream_write(r, buf, n);
		if (st != HPDF_OK || n == 0)
			break;
	}
	HPDF_Free(d.pdf);
	return rc;
}

/* Issue 12: an invoice or credit note is written in its customer's
 * language (lang.c), whoever downloads it; the request goes on in its
 * viewer's. */
tp_rc inv_pdf_stream(tp_req *r, uint64_t invoice)
{
	tp_rows *rs;
	int lang = -1;
	if (tp_db_query(tp_req_db(r), r, &rs,
	                "SELECT account_id FROM invoices WHERE id = ? AND "
	                "tenant_id = ?",
	                "II", (int64_t)invoice,
	                (int64_t)tp_tenant_id(r)) == TP_OK &&
	    tp_rows_count(rs) == 1)
		lang = inv_account_lang(r, tp_rows_i64(rs, 0, 0));
	int old = inv_lang_enter(lang);
	tp_rc rc = pdf_render(r, invoice);
	tp_i18n_use(old);
	return rc;
}
