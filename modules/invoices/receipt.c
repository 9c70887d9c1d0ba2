/*
 * receipt.c -- a payment's receipt: the page (what it paid, how, its
 * refunds; an operator's refund form), the PDF (libharu like pdf.c) and
 * the mail sent when it settles. A receipt shows a method masked: never
 * more of a card or bank account than its last four digits.
 */
#include "pay.h"

#include <hpdf.h>
#include <stdio.h>
#include <string.h>

struct receipt {
	int64_t id, amount, refunded;
	const char *number, *status, *date, *ccy, *method, *method_label,
	    *reference, *account_number, *account_name, *decline_reason, *email;
	int64_t account;
	tp_rows *alloc, *refunds;
};

static const char *money(tp_req *r, int64_t v, const char *ccy)
{
	char buf[64];
	return tp_strdup(r, tp_money_text(v, ccy, buf, sizeof(buf)));
}

static tp_rc load(tp_req *r, int64_t id, struct receipt *p)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    db, r, &rs,
	    "SELECT IFNULL(p.number, ''), p.status, DATE(IFNULL(p.settled_at, "
	    "p.created_at)), p.amount, p.refunded, p.currency, p.method, "
	    "IFNULL(m.kind, ''), IFNULL(m.card_brand, ''), IFNULL(m.last4, "
	    "''), IFNULL(m.exp_month, ''), IFNULL(m.exp_year, ''), "
	    "IFNULL(p.reference, ''), a.number, a.name, p.account_id, "
	    "IFNULL(p.decline_reason, ''), IF(a.payment_email <> '', "
	    "a.payment_email, a.billing_email) FROM payments p JOIN accounts "
	    "a ON a.id = p.account_id LEFT JOIN payment_methods m ON m.id = "
	    "p.method_id WHERE p.id = ? AND p.tenant_id = ?",
	    "II", id, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such payment"));
	p->id = id;
	p->number = tp_rows_get(rs, 0, 0);
	p->status = tp_rows_get(rs, 0, 1);
	p->date = tp_rows_get(rs, 0, 2);
	p->amount = tp_rows_i64(rs, 0, 3);
	p->refunded = tp_rows_i64(rs, 0, 4);
	p->ccy = tp_rows_get(rs, 0, 5);
	p->method = tp_rows_get(rs, 0, 6);
	p->method_label =
	    *tp_rows_get(rs, 0, 9)
	        ? pay_method_label(r, tp_rows_get(rs, 0, 7),
	                           tp_rows_get(rs, 0, 8), tp_rows_get(rs, 0, 9),
	                           tp_rows_get(rs, 0, 10),
	                           tp_rows_get(rs, 0, 11))
	        : p->method;
	p->reference = tp_rows_get(rs, 0, 12);
	p->account_number = tp_rows_get(rs, 0, 13);
	p->account_name = tp_rows_get(rs, 0, 14);
	p->account = tp_rows_i64(rs, 0, 15);
	p->decline_reason = tp_rows_get(rs, 0, 16);
	p->email = tp_rows_get(rs, 0, 17);
	rc = tp_db_query(db, r, &p->alloc,
	                 "SELECT i.id, i.number, SUM(pa.amount) FROM "
	                 "payment_allocations pa JOIN invoices i ON i.id = "
	                 "pa.invoice_id WHERE pa.payment_id = ? GROUP BY "
	                 "i.id, i.number HAVING SUM(pa.amount) <> 0 ORDER BY "
	                 "MIN(pa.id)",
	                 "I", id);
	if (rc == TP_OK)
		rc =
		    tp_db_query(db, r, &p->refunds,
		                "SELECT DATE(created_at), amount, reason FROM "
		                "payment_refunds WHERE payment_id = ? ORDER BY "
		                "id",
		                "I", id);
	return rc;
}

tp_rc pay_receipt_page(tp_req *r)
{
	struct receipt p;
	json_object *v = tp_view(r), *o = json_object_new_object(), *l;
	tp_rc rc = load(r, tp_param_id(r, "payment"), &p);
	if (rc != TP_OK) {
		json_object_put(o);
		return rc;
	}
	json_object_object_add(o, "id", json_object_new_int64(p.id));
	tp_json_add_str(o, "number", p.number);
	tp_json_add_str(o, "status", p.status);
	tp_json_add_str(o, "status_label", inv_state_label(p.status));
	json_object_object_add(
	    o, "settled",
	    json_object_new_boolean(!strcmp(p.status, "settled")));
	tp_json_add_str(o, "date", p.date);
	json_object_object_add(o, "amount", tp_json_money(p.amount, p.ccy));
	tp_json_add_str(o, "amount_text", money(r, p.amount, p.ccy));
	json_object_object_add(o, "refunded", tp_json_money(p.refunded, p.ccy));
	if (p.refunded)
		tp_json_add_str(o, "refunded_text",
		                money(r, p.refunded, p.ccy));
	tp_json_add_str(o, "refundable_text",
	                money(r, p.amount - p.refunded, p.ccy));
	tp_json_add_str(o, "method", p.method);
	tp_json_add_str(o, "method_label", p.method_label);
	tp_json_add_str(o, "reference", p.reference);
	tp_json_add_str(o, "decline_reason", p.decline_reason);
	json_object_object_add(o, "account_id",
	                       json_object_new_int64(p.account));
	tp_json_add_str(o, "account_number", p.account_number);
	tp_json_add_str(o, "account_name", p.account_name);
	l = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(p.alloc); i++) {
		json_object *a = json_object_new_object();
		json_object_object_add(
		    a, "invoice_id",
		    json_object_new_int64(tp_rows_i64(p.alloc, i, 0)));
		tp_json_add_str(a, "number", tp_rows_get(p.alloc, i, 1));
		json_object_object_add(
		    a, "amount",
		    tp_json_money(tp_rows_i64(p.alloc, i, 2), p.ccy));
		tp_json_add_str(a, "amount_text",
		                money(r, tp_rows_i64(p.alloc, i, 2), p.ccy));
		json_object_array_add(l, a);
	}
	json_object_object_add(o, "allocations", l);
	l = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(p.refunds); i++) {
		json_object *a = json_object_new_object();
		tp_json_add_str(a, "date", tp_rows_get(p.refunds, i, 0));
		json_object_object_add(
		    a, "amount",
		    tp_json_money(tp_rows_i64(p.refunds, i, 1), p.ccy));
		tp_json_add_str(a, "amount_text",
		                money(r, tp_rows_i64(p.refunds, i, 1), p.ccy));
		tp_json_add_str(a, "reason", tp_rows_get(p.refunds, i, 2));
		json_object_array_add(l, a);
	}
	json_object_object_add(o, "refunds", l);
	json_object_object_add(v, "payment", o);
	json_object_object_add(
	    v, "can_refund",
	    json_object_new_boolean(tp_scope_is_operator(r) &&
	                            !strcmp(p.status, "settled") &&
	                            p.amount > p.refunded));
	tp_form_idem_key(r, v);
	tp_view_title(r, *p.number ? tp_printf(r, _("Receipt %s"), p.number)
	                           : _("Payment"));
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* the PDF                                                              */

static void on_error(HPDF_STATUS e, HPDF_STATUS detail, void *ud)
{
	HPDF_STATUS *err = ud;
	(void)detail;
	if (*err == 0)
		*err = e;
}

static void line(tp_req *r, HPDF_Page pg, HPDF_Font f, float *y,
                 const char *label, const char *value)
{
	HPDF_Page_BeginText(pg);
	HPDF_Page_SetFontAndSize(pg, f, 11);
	HPDF_Page_TextOut(pg, 48, *y, inv_winansi(r, label));
	HPDF_Page_TextOut(pg, 220, *y, inv_winansi(r, value));
	HPDF_Page_EndText(pg);
	*y -= 16;
}

static tp_rc receipt_pdf(tp_req *r, struct receipt p)
{
	tp_brand_info b;
	HPDF_STATUS err = 0;
	tp_rc rc;
	tp_brand_get(r, &b);
	HPDF_Doc pdf = HPDF_New(on_error, &err);
	if (pdf == NULL)
		return TP_EINTERNAL;
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_Page pg = HPDF_AddPage(pdf);
	HPDF_Page_SetSize(pg, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	HPDF_Font f = HPDF_GetFont(pdf, "Helvetica", "WinAnsiEncoding");
	HPDF_Font fb = HPDF_GetFont(pdf, "Helvetica-Bold", "WinAnsiEncoding");
	float y = 842 - 60;
	HPDF_Page_BeginText(pg);
	HPDF_Page_SetFontAndSize(pg, fb, 18);
	HPDF_Page_TextOut(pg, 48, y, inv_winansi(r, b.name));
	HPDF_Page_EndText(pg);
	y -= 30;
	HPDF_Page_BeginText(pg);
	HPDF_Page_SetFontAndSize(pg, fb, 14);
	HPDF_Page_TextOut(
	    pg, 48, y,
	    inv_winansi(r, tp_printf(r, _("Payment receipt %s"), p.number)));
	HPDF_Page_EndText(pg);
	y -= 28;
	line(r, pg, f, &y, _("Date"), p.date);
	line(r, pg, f, &y, _("Account"),
	     tp_printf(r, "%s %s", p.account_number, p.account_name));
	line(r, pg, fb, &y, _("Amount paid"), money(r, p.amount, p.ccy));
	line(r, pg, f, &y, _("Method"), p.method_label);
	if (*p.reference)
		line(r, pg, f, &y, _("Reference"), p.reference);
	for (size_t i = 0; i < tp_rows_count(p.alloc); i++)
		line(r, pg, f, &y,
		     tp_printf(r, _("Paid on invoice %s"),
		               tp_rows_get(p.alloc, i, 1)),
		     money(r, tp_rows_i64(p.alloc, i, 2), p.ccy));
	for (size_t i = 0; i < tp_rows_count(p.refunds); i++)
		line(r, pg, f, &y,
		     tp_printf(r, _("Refunded %s"),
		               tp_rows_get(p.refunds, i, 0)),
		     money(r, tp_rows_i64(p.refunds, i, 1), p.ccy));
	if (err == 0)
		HPDF_SaveToStream(pdf);
	if (err != 0) {
		tp_log(TP_LOG_ERR, "INV0113",
		       "receipt %lld: libharu error 0x%04X", (long long)p.id,
		       (unsigned)err);
		HPDF_Free(pdf);
		return TP_EINTERNAL;
	}
	HPDF_ResetStream(pdf);
	rc = tp_stream_begin(r, "application/pdf",
	                     tp_printf(r, "%s.pdf", p.number));
	for (;;) {
		HPDF_BYTE buf[16384];
		HPDF_UINT32 n = sizeof(buf);
		HPDF_STATUS st = HPDF_ReadFromStream(pdf, buf, &n);
		if (rc == TP_OK && n > 0)
			rc = tp_stream_write(r, buf, n);
		if (st != HPDF_OK || n == 0)
			break;
	}
	HPDF_Free(pdf);
	return rc;
}

/* the receipt in its customer's language (lang.c), whoever downloads it */
tp_rc pay_receipt_pdf(tp_req *r)
{
	struct receipt p;
	tp_rc rc = load(r, tp_param_id(r, "payment"), &p);
	if (rc != TP_OK)
		return rc;
	if (strcmp(p.status, "settled") != 0)
		return tp_fail(r, TP_ENOENT, NULL,
		               _("a payment has a receipt once it is settled"));
	int old = inv_lang_enter(inv_account_lang(r, p.account));
	/* the method's label ("Visa ending 4242") in that language too */
	tp_rc lrc = load(r, p.id, &p);
	rc = lrc == TP_OK ? receipt_pdf(r, p) : lrc;
	tp_i18n_use(old);
	return rc;
}

/* ------------------------------------------------------------------ */
/* the mail                                                             */

tp_rc pay_receipt_mail(tp_req *r, uint64_t id)
{
	struct receipt p;
	char link[512];
	tp_rc rc = load(r, (int64_t)id, &p);
	if (rc != TP_OK || p.email == NULL || *p.email == '\0')
		return rc;
	/* in the customer's language: the label of its method too */
	int old = inv_lang_enter(inv_account_lang(r, p.account));
	if ((rc = load(r, (int64_t)id, &p)) != TP_OK) {
		tp_i18n_use(old);
		return rc;
	}
	if (tp_brand_url_db(tp_req_db(r), tp_tenant_id(r),
	                    tp_printf(r, "/payments/%lld", (long long)p.id),
	                    link, sizeof(link)) != TP_OK)
		link[0] = '\0';
	rc = tp_mail_queue(
	    r, p.email, tp_printf(r, _("Payment received: %s"), p.number),
	    tp_printf(r,
	              _("Thank you: we received your payment of %s on %s by "
	                "%s (receipt %s) for account %s.\n\nYour receipt: "
	                "%s\n"),
	              money(r, p.amount, p.ccy), p.date, p.method_label,
	              p.number, p.account_number, link));
	tp_i18n_use(old);
	return rc;
}
