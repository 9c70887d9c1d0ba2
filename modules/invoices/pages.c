/*
 * pages.c -- what customers, partners and operators read: the account's
 * billing summary (balance due, due date, last payment, pending usage,
 * the past-due notice, delivery options), its billing statements and
 * transaction history, the invoice viewer (summary, location summary,
 * billing-cycle choice), and the partner's invoice history grid. Every id
 * in a path was checked against the viewer's subtree by the core.
 */
#include "invoices.h"

#include <stdio.h>
#include <string.h>

static void add_bool(json_object *o, const char *k, bool v)
{
	json_object_object_add(o, k, json_object_new_boolean(v));
}

/* where the billing page of account id is for this viewer */
static const char *path_id_or_own(tp_req *r, int64_t id)
{
	return tp_param_id(r, "account") != 0
	           ? tp_printf(r, "/accounts/%lld/billing", (long long)id)
	           : "/billing";
}

/* The account a page is about: the path's, or a customer's own view. */
static int64_t page_account(tp_req *r)
{
	int64_t id = tp_param_id(r, "account");
	return id != 0 ? id : (int64_t)tp_scope_account_root(r);
}

/* ------------------------------------------------------------------ */
/* the account summary, statements and transactions                     */

struct acct {
	int64_t id, balance;
	const char *number, *name, *ccy, *delivery;
	bool prepaid;
};

static tp_rc load_account(tp_req *r, int64_t id, struct acct *a)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT number, name, currency, billing_type = "
	                       "'prepaid', balance, invoice_delivery FROM "
	                       "accounts WHERE id = ? AND tenant_id = ?",
	                       "II", id, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such account"));
	a->id = id;
	a->number = tp_rows_get(rs, 0, 0);
	a->name = tp_rows_get(rs, 0, 1);
	a->ccy = tp_rows_get(rs, 0, 2);
	a->prepaid = tp_rows_i64(rs, 0, 3) != 0;
	a->balance = tp_rows_i64(rs, 0, 4);
	a->delivery = tp_rows_get(rs, 0, 5);
	return TP_OK;
}

static json_object *account_json(tp_req *r, const struct acct *a)
{
	json_object *o = json_object_new_object();
	tp_json_add_i64(o, "id", a->id);
	tp_json_add_str(o, "number", a->number);
	tp_json_add_str(o, "name", a->name);
	tp_json_add_str(o, "billing_type", a->prepaid ? "prepaid" : "postpaid");
	tp_json_add_money(r, o, "balance", a->balance, a->ccy);
	tp_json_add_str(o, "balance_words",
	                tp_balance_words(r, a->balance, a->ccy, a->prepaid));
	add_bool(o, "owes", a->balance > 0);
	return o;
}

/* An invoice row of a list: number, kind, period, dates, money. */
static json_object *invoice_row(tp_req *r, tp_rows *rs, size_t i)
{
	const char *ccy = tp_rows_get(rs, i, 6);
	json_object *o = json_object_new_object();
	tp_json_add_i64(o, "id", tp_rows_i64(rs, i, 0));
	tp_json_add_str(o, "number", tp_rows_get(rs, i, 1));
	tp_json_add_str(o, "kind", tp_rows_get(rs, i, 2));
	add_bool(o, "credit_note",
	         strcmp(tp_rows_get(rs, i, 2), "credit_note") == 0);
	tp_json_add_str(o, "period_start", tp_rows_get(rs, i, 3));
	tp_json_add_str(o, "period_end", tp_rows_get(rs, i, 4));
	tp_json_add_str(o, "issue_date", tp_rows_get(rs, i, 5));
	tp_json_add_str(o, "due_date", tp_rows_get(rs, i, 7));
	tp_json_add_money(r, o, "total", tp_rows_i64(rs, i, 8), ccy);
	tp_json_add_money(r, o, "open", tp_rows_i64(rs, i, 9), ccy);
	tp_json_add_str(o, "method", tp_rows_get(rs, i, 10));
	return o;
}

#define INVOICE_COLS                                                           \
	"i.id, i.number, i.kind, IFNULL(i.period_start, ''), "                 \
	"IFNULL(i.period_end, ''), IFNULL(i.issue_date, ''), i.currency, "     \
	"IFNULL(i.due_date, ''), i.total, IF(i.kind = 'invoice', i.total - "   \
	"i.credited - i.paid, 0), i.method "

static tp_rc statements(tp_req *r, const struct acct *a, json_object *v)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT " INVOICE_COLS
	                       "FROM invoices i WHERE i.account_id = ? AND "
	                       "i.status = 'issued' ORDER BY i.issue_date "
	                       "DESC, i.id DESC",
	                       "I", a->id);
	if (rc != TP_OK)
		return rc;
	json_object *list = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(rs); i++)
		json_object_array_add(list, invoice_row(r, rs, i));
	json_object_object_add(v, "statements", list);
	return TP_OK;
}

/* Every ledger transaction of the account, newest first, with the
 * balance after each (charges, payments, credits, debits). */
static tp_rc transactions(tp_req *r, const struct acct *a, json_object *v)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    "SELECT t.id, DATE(t.effective_at), t.kind, "
	    "IFNULL(t.document_type, "
	    "''), IFNULL(t.document_id, 0), t.memo, SUM(e.amount), "
	    "IFNULL(i.number, '') FROM ledger_txns t JOIN ledger_entries e ON "
	    "e.txn_id = t.id JOIN ledger_accounts l ON l.id = "
	    "e.ledger_account_id AND l.holder = 'account' LEFT JOIN invoices i "
	    "ON t.document_type IN ('invoice', 'credit_note') AND i.id = "
	    "t.document_id WHERE e.account_id = ? GROUP BY t.id ORDER BY "
	    "t.effective_at, t.id",
	    "I", a->id);
	if (rc != TP_OK)
		return rc;
	size_t n = tp_rows_count(rs);
	json_object *list = json_object_new_array();
	int64_t run = 0;
	json_object **rows = tp_calloc(r, (n + 1) * sizeof(*rows));
	for (size_t i = 0; i < n; i++) {
		int64_t amt = tp_rows_i64(rs, i, 6);
		const char *kind = tp_rows_get(rs, i, 2);
		run += amt;
		json_object *o = json_object_new_object();
		tp_json_add_i64(o, "id", tp_rows_i64(rs, i, 0));
		tp_json_add_str(o, "date", tp_rows_get(rs, i, 1));
		tp_json_add_str(o, "kind", kind);
		/* the four words people know */
		tp_json_add_str(o, "type",
		                strcmp(kind, "invoice") == 0   ? _("Charge")
		                : strcmp(kind, "payment") == 0 ? _("Payment")
		                : amt < 0                      ? _("Credit")
		                                               : _("Debit"));
		tp_json_add_str(o, "memo", tp_rows_get(rs, i, 5));
		if (*tp_rows_get(rs, i, 7)) {
			tp_json_add_i64(o, "invoice_id", tp_rows_i64(rs, i, 4));
			tp_json_add_str(o, "invoice_number",
			                tp_rows_get(rs, i, 7));
		}
		tp_json_add_money(r, o, "amount", amt, a->ccy);
		tp_json_add_money(r, o, "balance_after", run, a->ccy);
		rows[i] = o;
	}
	for (size_t i = n; i-- > 0;)
		json_object_array_add(list, rows[i]);
	json_object_object_add(v, "transactions", list);
	return TP_OK;
}

tp_rc inv_summary(tp_req *r)
{
	json_object *v = tp_view(r);
	struct acct a;
	tp_rows *rs;
	tp_db *db = tp_req_db(r);
	int64_t id = page_account(r);
	if (id == 0)
		return tp_fail(r, TP_ENOENT, NULL,
		               _("choose an account to see its billing"));
	tp_rc rc = load_account(r, id, &a);
	if (rc != TP_OK)
		return rc;
	json_object *acc = account_json(r, &a);
	json_object_object_add(v, "account", acc);

	/* what is open, the oldest due date, the brand's notice rule */
	rc = tp_db_query(
	    db, r, &rs,
	    "SELECT MIN(i.due_date), IFNULL(DATEDIFF(FROM_UNIXTIME(?), "
	    "MIN(i.due_date)), 0), (SELECT IFNULL(past_due_notice_days, 1) "
	    "FROM billing_settings WHERE tenant_id = ?), (SELECT "
	    "delivery_read_only FROM billing_settings WHERE tenant_id = ?) "
	    "FROM invoices i WHERE i.account_id = ? AND i.kind = 'invoice' AND "
	    "i.status = 'issued' AND i.total - i.credited - i.paid > 0",
	    "IIII", tp_now(), (int64_t)tp_tenant_id(r),
	    (int64_t)tp_tenant_id(r), a.id);
	if (rc != TP_OK)
		return rc;
	if (a.balance > 0 && tp_rows_get(rs, 0, 0) != NULL) {
		int64_t late = tp_rows_i64(rs, 0, 1);
		int64_t notice =
		    tp_rows_get(rs, 0, 2) ? tp_rows_i64(rs, 0, 2) : 1;
		tp_json_add_str(acc, "due_date", tp_rows_get(rs, 0, 0));
		if (notice > 0 && late >= notice) {
			tp_json_add_i64(acc, "days_past_due", late);
			tp_json_add_str(
			    acc, "past_due_notice",
			    tp_printf(
			        r,
			        late == 1
			            ? _("This account is %lld day past due.")
			            : _("This account is %lld days past due."),
			        (long long)late));
		}
	}
	bool ro = tp_rows_get(rs, 0, 3) != NULL && tp_rows_i64(rs, 0, 3) != 0;
	json_object *dl = json_object_new_object();
	add_bool(dl, "paper", strstr(a.delivery, "paper") != NULL);
	add_bool(dl, "email", strstr(a.delivery, "email") != NULL);
	add_bool(dl, "read_only",
	         (ro && !tp_scope_is_operator(r)) ||
	             !tp_can(r, "billing", TP_RIGHT_UPDATE));
	/* the form posts to the customer's own page, or the account's */
	json_object_object_add(
	    dl, "own", json_object_new_boolean(tp_param_id(r, "account") == 0));
	json_object_object_add(dl, "account_id", json_object_new_int64(a.id));
	json_object_object_add(v, "delivery", dl);

	/* the last payments (the payments module posts kind "payment") */
	rc = tp_db_query(
	    db, r, &rs,
	    "SELECT DATE(t.effective_at), -SUM(e.amount) FROM ledger_txns t "
	    "JOIN ledger_entries e ON e.txn_id = t.id JOIN ledger_accounts l "
	    "ON l.id = e.ledger_account_id AND l.holder = 'account' WHERE "
	    "t.account_id = ? AND e.account_id = ? AND t.kind = 'payment' "
	    "GROUP BY t.id ORDER BY t.effective_at DESC, t.id DESC LIMIT 5",
	    "II", a.id, a.id);
	if (rc != TP_OK)
		return rc;
	json_object *pays = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *o = json_object_new_object();
		tp_json_add_str(o, "date", tp_rows_get(rs, i, 0));
		tp_json_add_money(r, o, "amount", tp_rows_i64(rs, i, 1), a.ccy);
		json_object_array_add(pays, o);
	}
	if (tp_rows_count(rs) > 0) {
		tp_json_add_str(acc, "last_payment_date",
		                tp_rows_get(rs, 0, 0));
		tp_json_add_money(r, acc, "last_payment", tp_rows_i64(rs, 0, 1),
		                  a.ccy);
	}
	json_object_object_add(v, "payments", pays);

	/* one-time charges waiting for the next invoice */
	rc = tp_db_query(db, r, &rs,
	                 "SELECT description, amount, effective FROM "
	                 "pending_charges WHERE account_id = ? AND invoice_id "
	                 "IS NULL ORDER BY effective, id",
	                 "I", a.id);
	if (rc != TP_OK)
		return rc;
	json_object *pend = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *o = json_object_new_object();
		tp_json_add_str(o, "description", tp_rows_get(rs, i, 0));
		tp_json_add_money(r, o, "amount", tp_rows_i64(rs, i, 1), a.ccy);
		tp_json_add_str(o, "date", tp_rows_get(rs, i, 2));
		json_object_array_add(pend, o);
	}
	json_object_object_add(v, "pending_charges", pend);

	/* usage rated and not billed yet */
	rc = tp_db_query(db, r, &rs,
	                 "SELECT COUNT(*), IFNULL(SUM(amount), 0) FROM "
	                 "rated_usage WHERE account_id = ? AND status = "
	                 "'rated' AND invoice_id IS NULL",
	                 "I", a.id);
	if (rc != TP_OK)
		return rc;
	tp_json_add_i64(acc, "pending_usage_count", tp_rows_i64(rs, 0, 0));
	tp_json_add_money(r, acc, "pending_usage", tp_rows_i64(rs, 0, 1),
	                  a.ccy);

	/* the charges of the latest invoice */
	rc = tp_db_query(db, r, &rs,
	                 "SELECT " INVOICE_COLS
	                 ", i.recurring_total, i.one_time_total, "
	                 "i.usage_total, i.late_fee_total, i.tax_total FROM "
	                 "invoices i WHERE i.account_id = ? AND i.kind = "
	                 "'invoice' AND i.status = 'issued' ORDER BY "
	                 "i.issue_date DESC, i.id DESC LIMIT 1",
	                 "I", a.id);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) > 0) {
		json_object *li = invoice_row(r, rs, 0);
		tp_json_add_money(r, li, "recurring", tp_rows_i64(rs, 0, 11),
		                  a.ccy);
		tp_json_add_money(r, li, "one_time", tp_rows_i64(rs, 0, 12),
		                  a.ccy);
		tp_json_add_money(r, li, "usage", tp_rows_i64(rs, 0, 13),
		                  a.ccy);
		tp_json_add_money(r, li, "late_fees", tp_rows_i64(rs, 0, 14),
		                  a.ccy);
		tp_json_add_money(r, li, "tax", tp_rows_i64(rs, 0, 15), a.ccy);
		json_object_object_add(v, "last_invoice", li);
	}
	if ((rc = statements(r, &a, v)) != TP_OK ||
	    (rc = transactions(r, &a, v)) != TP_OK)
		return rc;
	add_bool(v, "operator", tp_scope_is_operator(r));
	tp_form_idem_key(r, v);
	tp_view_title(r, tp_printf(r, _("Billing: %s %s"), a.number, a.name));
	return TP_OK;
}

/* Invoice delivery: paper, e-mail or both; read-only for the customer's
 * own logins when the brand says so (billing_settings.delivery_read_only) */
tp_rc inv_delivery_post(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	const char *paper, *email;
	int64_t id = page_account(r);
	tp_rc rc;

	if (id == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("choose an account"));
	rc = tp_db_query(db, r, &rs,
	                 "SELECT IFNULL((SELECT delivery_read_only FROM "
	                 "billing_settings WHERE tenant_id = ?), 0)",
	                 "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_i64(rs, 0, 0) != 0 && !tp_scope_is_operator(r))
		return tp_fail(r, TP_EPERM, "delivery",
		               _("Invoice delivery is set by your provider"));
	if ((rc = tp_input(r, "paper", &paper)) != TP_OK ||
	    (rc = tp_input(r, "email", &email)) != TP_OK)
		return rc;
	bool p = paper != NULL &&
	         (strcmp(paper, "1") == 0 || strcmp(paper, "true") == 0 ||
	          strcmp(paper, "on") == 0);
	bool e = email != NULL &&
	         (strcmp(email, "1") == 0 || strcmp(email, "true") == 0 ||
	          strcmp(email, "on") == 0);
	if (!p && !e) {
		tp_fail(r, TP_EINVAL, "email",
		        _("Choose paper, e-mail or both: an invoice must reach "
		          "you"));
		inv_summary(r);
		return TP_EINVAL;
	}
	const char *set = p && e ? "paper,email" : p ? "paper" : "email";
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_exec(db, NULL,
	                "UPDATE accounts SET invoice_delivery = ? WHERE id = ? "
	                "AND tenant_id = ?",
	                "sII", set, id, (int64_t)tp_tenant_id(r));
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		tp_json_add_str(d, "invoice_delivery", set);
		tp_audit_log(r, "billing.delivery", "account", id, d);
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK) {
		tp_db_rollback(db);
		return rc;
	}
	tp_json_add_str(tp_view(r), "invoice_delivery", set);
	if (!tp_wants_json(r)) {
		tp_set_status(r, 303);
		tp_set_header(r, "Location", path_id_or_own(r, id));
	}
	return TP_OK;
}

tp_rc inv_statements(tp_req *r)
{
	struct acct a;
	int64_t id = page_account(r);
	if (id == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("choose an account"));
	tp_rc rc = load_account(r, id, &a);
	if (rc != TP_OK)
		return rc;
	json_object_object_add(tp_view(r), "account", account_json(r, &a));
	tp_view_title(r, _("Billing statements"));
	return statements(r, &a, tp_view(r));
}

tp_rc inv_transactions(tp_req *r)
{
	struct acct a;
	int64_t id = page_account(r);
	if (id == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("choose an account"));
	tp_rc rc = load_account(r, id, &a);
	if (rc != TP_OK)
		return rc;
	json_object_object_add(tp_view(r), "account", account_json(r, &a));
	tp_view_title(r, _("Transaction history"));
	return transactions(r, &a, tp_view(r));
}

/* ------------------------------------------------------------------ */
/* the invoice viewer                                                   */

static const char *kind_label(const char *k)
{
	return strcmp(k, "recurring") == 0    ? _("Recurring charges")
	       : strcmp(k, "one_time") == 0   ? _("One-time charges")
	       : strcmp(k, "usage") == 0      ? _("Usage charges")
	       : strcmp(k, "etf") == 0        ? _("Early termination fees")
	       : strcmp(k, "late_fee") == 0   ? _("Late fees")
	       : strcmp(k, "adjustment") == 0 ? _("Adjustments")
	                                      : _("Taxes");
}

tp_rc inv_invoice_page(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	json_object *v = tp_view(r);
	int64_t id = tp_param_id(r, "invoice");
	tp_rows *rs, *ls;

	tp_rc rc = tp_db_query(
	    db, r, &rs,
	    "SELECT " INVOICE_COLS
	    ", i.account_id, i.buyer_name, i.buyer_number, i.buyer_address, "
	    "i.buyer_tax_id, i.seller_name, i.seller_address, i.seller_tax_id, "
	    "i.balance_forward, i.subtotal, i.tax_total, i.credited, i.paid, "
	    "IFNULL(i.credits_invoice_id, 0), IFNULL(c.number, ''), i.language "
	    "FROM invoices i LEFT JOIN invoices c ON c.id = "
	    "i.credits_invoice_id WHERE i.id = ? AND i.tenant_id = ? AND "
	    "i.status = 'issued'",
	    "II", id, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such invoice"));
	const char *ccy = tp_rows_get(rs, 0, 6);
	int64_t account = tp_rows_i64(rs, 0, 11);
	json_object *inv = invoice_row(r, rs, 0);
	static const char *const keys[] = {
	    "buyer_name",  "buyer_number",   "buyer_address", "buyer_tax_id",
	    "seller_name", "seller_address", "seller_tax_id"};
	for (unsigned k = 0; k < 7; k++)
		tp_json_add_str(inv, keys[k], tp_rows_get(rs, 0, 12 + k));
	tp_json_add_money(r, inv, "balance_forward", tp_rows_i64(rs, 0, 19),
	                  ccy);
	tp_json_add_money(r, inv, "amount_due",
	                  tp_rows_i64(rs, 0, 19) + tp_rows_i64(rs, 0, 8), ccy);
	tp_json_add_money(r, inv, "subtotal", tp_rows_i64(rs, 0, 20), ccy);
	tp_json_add_money(r, inv, "tax", tp_rows_i64(rs, 0, 21), ccy);
	tp_json_add_money(r, inv, "credited", tp_rows_i64(rs, 0, 22), ccy);
	tp_json_add_money(r, inv, "paid", tp_rows_i64(rs, 0, 23), ccy);
	tp_json_add_str(inv, "language", tp_rows_get(rs, 0, 26));
	if (tp_rows_i64(rs, 0, 24) != 0) {
		tp_json_add_i64(inv, "credits_invoice_id",
		                tp_rows_i64(rs, 0, 24));
		tp_json_add_str(inv, "credits_invoice_number",
		                tp_rows_get(rs, 0, 25));
	}
	json_object_object_add(v, "invoice", inv);

	/* the lines; the summary by kind; by location, then product */
	rc = tp_db_query(
	    db, r, &ls,
	    "SELECT l.id, l.kind, l.description, IFNULL(l.period_start, ''), "
	    "IFNULL(l.period_end, ''), l.quantity, l.amount, l.tax_amount, "
	    "IFNULL(l.rate_ppm, 0), IFNULL(l.base, 0), IFNULL(l.location_id, "
	    "0), IFNULL(CONCAT_WS(', ', NULLIF(loc.name, ''), loc.street, "
	    "loc.city), 'No location'), IFNULL(p.name, 'Other') FROM "
	    "invoice_lines l LEFT JOIN locations loc ON loc.id = l.location_id "
	    "LEFT JOIN products p ON p.id = l.product_id WHERE l.invoice_id = "
	    "? ORDER BY l.line_no",
	    "I", id);
	if (rc != TP_OK)
		return rc;
	json_object *lines = json_object_new_array(),
	            *taxes = json_object_new_array(),
	            *summary = json_object_new_array(),
	            *locs = json_object_new_array();
	static const char *const kinds[] = {
	    "recurring", "one_time", "usage", "etf", "late_fee", "adjustment"};
	int64_t by_kind[6] = {0};
	size_t n = tp_rows_count(ls);
	for (size_t i = 0; i < n; i++) {
		const char *k = tp_rows_get(ls, i, 1);
		json_object *o = json_object_new_object();
		tp_json_add_i64(o, "id", tp_rows_i64(ls, i, 0));
		tp_json_add_str(o, "kind", k);
		tp_json_add_str(o, "kind_label", kind_label(k));
		tp_json_add_str(o, "description", tp_rows_get(ls, i, 2));
		tp_json_add_money(r, o, "amount", tp_rows_i64(ls, i, 6), ccy);
		if (strcmp(k, "tax") == 0) {
			char rate[32];
			int64_t ppm = tp_rows_i64(ls, i, 8);
			/* 200000 ppm: "20 %"; 72500: "7.25 %" */
			int w = snprintf(rate, sizeof(rate), "%lld.%04lld",
			                 (long long)(ppm / 10000),
			                 (long long)(ppm % 10000));
			while (w > 0 && rate[w - 1] == '0')
				rate[--w] = '\0';
			if (w > 0 && rate[w - 1] == '.')
				rate[--w] = '\0';
			char loc[48];
			tp_json_add_str(o, "rate",
			                tp_printf(r, "%s %%",
			                          tp_number_localize(
			                              rate, loc, sizeof(loc))));
			tp_json_add_money(r, o, "base", tp_rows_i64(ls, i, 9),
			                  ccy);
			json_object_array_add(taxes, o);
			continue;
		}
		tp_json_add_str(o, "period_start", tp_rows_get(ls, i, 3));
		tp_json_add_str(o, "period_end", tp_rows_get(ls, i, 4));
		tp_json_add_i64(o, "quantity", tp_rows_i64(ls, i, 5));
		tp_json_add_money(r, o, "tax", tp_rows_i64(ls, i, 7), ccy);
		tp_json_add_str(o, "location", tp_rows_get(ls, i, 11));
		tp_json_add_str(o, "product", tp_rows_get(ls, i, 12));
		json_object_array_add(lines, o);
		for (unsigned x = 0; x < 6; x++)
			if (strcmp(k, kinds[x]) == 0)
				by_kind[x] += tp_rows_i64(ls, i, 6);
	}
	for (unsigned x = 0; x < 6; x++) {
		if (by_kind[x] == 0)
			continue;
		json_object *o = json_object_new_object();
		tp_json_add_str(o, "kind", kinds[x]);
		tp_json_add_str(o, "label", kind_label(kinds[x]));
		tp_json_add_money(r, o, "amount", by_kind[x], ccy);
		json_object_array_add(summary, o);
	}
	/* location summary: each location's lines, by product */
	for (size_t i = 0; i < n; i++) {
		if (strcmp(tp_rows_get(ls, i, 1), "tax") == 0)
			continue;
		int64_t loc = tp_rows_i64(ls, i, 10);
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(tp_rows_get(ls, j, 1), "tax") != 0 &&
			       tp_rows_i64(ls, j, 10) == loc;
		if (seen)
			continue;
		json_object *o = json_object_new_object(),
		            *prods = json_object_new_array();
		int64_t total = 0;
		tp_json_add_str(o, "location", tp_rows_get(ls, i, 11));
		for (size_t j = i; j < n; j++) {
			if (strcmp(tp_rows_get(ls, j, 1), "tax") == 0 ||
			    tp_rows_i64(ls, j, 10) != loc)
				continue;
			const char *prod = tp_rows_get(ls, j, 12);
			bool dup = false;
			for (size_t q = i; q < j && !dup; q++)
				dup =
				    strcmp(tp_rows_get(ls, q, 1), "tax") != 0 &&
				    tp_rows_i64(ls, q, 10) == loc &&
				    strcmp(tp_rows_get(ls, q, 12), prod) == 0;
			total += tp_rows_i64(ls, j, 6);
			if (dup)
				continue;
			int64_t ps = 0;
			json_object *p = json_object_new_object(),
			            *pl = json_object_new_array();
			for (size_t q = j; q < n; q++) {
				if (strcmp(tp_rows_get(ls, q, 1), "tax") == 0 ||
				    tp_rows_i64(ls, q, 10) != loc ||
				    strcmp(tp_rows_get(ls, q, 12), prod) != 0)
					continue;
				ps += tp_rows_i64(ls, q, 6);
				json_object *d = json_object_new_object();
				tp_json_add_str(d, "description",
				                tp_rows_get(ls, q, 2));
				tp_json_add_money(r, d, "amount",
				                  tp_rows_i64(ls, q, 6), ccy);
				json_object_array_add(pl, d);
			}
			tp_json_add_str(p, "product", prod);
			tp_json_add_money(r, p, "amount", ps, ccy);
			json_object_object_add(p, "lines", pl);
			json_object_array_add(prods, p);
		}
		tp_json_add_money(r, o, "amount", total, ccy);
		json_object_object_add(o, "products", prods);
		json_object_array_add(locs, o);
	}
	json_object_object_add(v, "lines", lines);
	json_object_object_add(v, "taxes", taxes);
	json_object_object_add(v, "summary", summary);
	json_object_object_add(v, "locations", locs);

	/* the billing-cycle drop-down: the account's other documents */
	rc = tp_db_query(db, r, &rs,
	                 "SELECT " INVOICE_COLS
	                 "FROM invoices i WHERE i.account_id = ? AND "
	                 "i.status = 'issued' ORDER BY i.issue_date DESC, "
	                 "i.id DESC",
	                 "I", account);
	if (rc != TP_OK)
		return rc;
	json_object *cycles = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *o = invoice_row(r, rs, i);
		add_bool(o, "current", tp_rows_i64(rs, i, 0) == id);
		json_object_array_add(cycles, o);
	}
	json_object_object_add(v, "cycles", cycles);

	/* its credit notes */
	rc = tp_db_query(db, r, &rs,
	                 "SELECT " INVOICE_COLS
	                 "FROM invoices i WHERE i.credits_invoice_id = ? AND "
	                 "i.status = 'issued' ORDER BY i.id",
	                 "I", id);
	if (rc != TP_OK)
		return rc;
	json_object *notes = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(rs); i++)
		json_object_array_add(notes, invoice_row(r, rs, i));
	json_object_object_add(v, "credit_notes", notes);
	add_bool(v, "can_credit",
	         tp_scope_is_operator(r) &&
	             tp_can(r, "billing", TP_RIGHT_ADD) &&
	             strcmp(json_object_get_string(
	                        json_object_object_get(inv, "kind")),
	                    "invoice") == 0);
	add_bool(v, "details",
	         tp_query(r, "details") != NULL &&
	             strcmp(tp_query(r, "details"), "1") == 0);
	tp_view_title(r, tp_printf(r, _("Invoice %s"),
	                           json_object_get_string(
	                               json_object_object_get(inv, "number"))));
	return TP_OK;
}

tp_rc inv_invoice_pdf(tp_req *r)
{
	return inv_pdf_stream(r, (uint64_t)tp_param_id(r, "invoice"));
}

/* ------------------------------------------------------------------ */
/* the partner's invoice history                                        */

static const char *const inv_kinds[] = {"invoice", "credit_note", NULL};

static const tp_grid_col history_cols[] = {
    {.key = "number",
     .label = N_("Invoice"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_SORT | TP_COL_FILTER,
     .expr = "i.number"},
    {.key = "kind",
     .label = N_("Type"),
     .type = TP_COL_STATUS,
     .flags = TP_COL_FILTER | TP_COL_GROUP,
     .expr = "i.kind",
     .values = inv_kinds},
    {.key = "account",
     .label = N_("Account"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_FILTER,
     .expr = "i.buyer_number"},
    {.key = "customer",
     .label = N_("Customer"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_FILTER,
     .expr = "i.buyer_name"},
    {.key = "method",
     .label = N_("Invoice method"),
     .type = TP_COL_TEXT,
     .expr = "i.method"},
    {.key = "total",
     .label = N_("Total"),
     .type = TP_COL_MONEY,
     .flags = TP_COL_SORT | TP_COL_FILTER,
     .expr = "i.total",
     .currency_expr = "i.currency"},
    {.key = "issued",
     .label = N_("Date"),
     .type = TP_COL_DATE,
     .flags = TP_COL_SORT | TP_COL_FILTER,
     .expr = "i.issue_date",
     .index = "invoices_tenant_date"},
    {.key = "recurring",
     .label = N_("Recurring charges"),
     .type = TP_COL_MONEY,
     .expr = "i.recurring_total",
     .currency_expr = "i.currency"},
    {.key = "one_time",
     .label = N_("One-time charges"),
     .type = TP_COL_MONEY,
     .expr = "i.one_time_total",
     .currency_expr = "i.currency"},
    {.key = "usage",
     .label = N_("Usage charges"),
     .type = TP_COL_MONEY,
     .expr = "i.usage_total",
     .currency_expr = "i.currency"},
    {.key = "late_fees",
     .label = N_("Late fees"),
     .type = TP_COL_MONEY,
     .expr = "i.late_fee_total",
     .currency_expr = "i.currency"},
    {.key = "due",
     .label = N_("Due date"),
     .type = TP_COL_DATE,
     .flags = TP_COL_SORT | TP_COL_FILTER,
     .expr = "i.due_date",
     .index = "invoices_tenant_due"},
    {.key = "balance_forward",
     .label = N_("Balance forward"),
     .type = TP_COL_MONEY,
     .expr = "i.balance_forward",
     .currency_expr = "i.currency"},
    {0}};

const tp_grid inv_history_grid = {
    .name = "invoices",
    .title = N_("Invoice history"),
    .cols = history_cols,
    .from = "invoices i",
    .id_expr = "i.id",
    .tenant_expr = "i.tenant_id",
    .partner_expr = "i.partner_id",
    .account_expr = "i.account_id",
    .default_sort = "-issued",
    .link = "/invoices/",
};

tp_rc inv_partner_history(tp_req *r)
{
	return tp_grid_respond(r, &inv_history_grid,
	                       "i.status = 'issued' AND i.id > ?", 0);
}

/* ------------------------------------------------------------------ */
/* the home panel: a customer's balance and last invoice                */

tp_rc inv_panel_home(tp_req *r, json_object *panel)
{
	struct acct a;
	int64_t id = (int64_t)tp_scope_account_root(r);
	tp_rows *rs;
	if (id == 0)
		return TP_DECLINED;
	tp_rc rc = load_account(r, id, &a);
	if (rc != TP_OK)
		return rc;
	json_object_object_add(panel, "account", account_json(r, &a));
	rc = tp_db_query(tp_req_db(r), r, &rs,
	                 "SELECT " INVOICE_COLS
	                 "FROM invoices i WHERE i.account_id = ? AND i.kind = "
	                 "'invoice' AND i.status = 'issued' ORDER BY "
	                 "i.issue_date DESC, i.id DESC LIMIT 1",
	                 "I", id);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) > 0)
		json_object_object_add(panel, "last_invoice",
		                       invoice_row(r, rs, 0));
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* the invoice's call records (CDRs) as CSV                             */

struct cdr_out {
	tp_req *r;
	const char *ccy;
};

/* one CSV field: quoted when it holds a comma, a quote or a line break;
 * a leading = + - @ (a spreadsheet formula) gets an apostrophe, except a
 * phone number (+ and digits only) */
static tp_rc csv_field(tp_req *r, const char *s, bool last)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	bool formula = strchr("=+-@", s[0]) != NULL && s[0] != '\0';
	if (formula && s[0] == '+' && s[1] != '\0' &&
	    strspn(s + 1, "0123456789") == strlen(s + 1))
		formula = false;
	tp_rc rc =
	    tp_stream_printf(r, "%s%s", quote ? "\"" : "", formula ? "'" : "");
	for (const char *p = s; rc == TP_OK && *p; p++)
		rc = *p == '"' ? tp_stream_write(r, "\"\"", 2)
		               : tp_stream_write(r, p, 1);
	if (rc == TP_OK)
		rc = tp_stream_printf(r, "%s%s", quote ? "\"" : "",
		                      last ? "\r\n" : ",");
	return rc;
}

static tp_rc cdr_row(void *ud, unsigned ncols, const char **c,
                     const unsigned long *lens)
{
	struct cdr_out *o = ud;
	char buf[32];
	int64_t amount = 0;
	(void)lens;
	for (unsigned i = 0; i < ncols; i++) {
		const char *v = c[i] ? c[i] : "";
		/* the amount at the stored precision (a call may cost 0.0125)
		 */
		if (i == ncols - 1 && tp_parse_i64(v, &amount) == TP_OK)
			v = tp_money_format(amount, buf, sizeof(buf));
		tp_rc rc = csv_field(o->r, v, i == ncols - 1);
		if (rc != TP_OK)
			return rc;
	}
	return TP_OK;
}

tp_rc inv_invoice_cdrs(tp_req *r)
{
	int64_t id = tp_param_id(r, "invoice");
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT number, currency FROM invoices WHERE id "
	                       "= ? AND tenant_id = ? AND status = 'issued'",
	                       "II", id, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such invoice"));
	struct cdr_out o = {.r = r, .ccy = tp_rows_get(rs, 0, 1)};
	rc = tp_stream_begin(
	    r, "text/csv; charset=utf-8",
	    tp_printf(r, "%s-calls.csv", tp_rows_get(rs, 0, 0)));
	if (rc == TP_OK)
		rc = tp_stream_printf(r,
		                      "started,kind,from,destination,"
		                      "seconds,quantity,description,"
		                      "amount (%s)\r\n",
		                      o.ccy);
	if (rc == TP_OK)
		rc = tp_db_each(
		    tp_req_db(r), cdr_row, &o,
		    "SELECT u.started_at, u.kind, IFNULL(s.phone_number, ''), "
		    "u.destination, u.duration_s, u.quantity, u.description, "
		    "u.amount FROM rated_usage u LEFT JOIN services s ON s.id "
		    "= "
		    "u.service_id WHERE u.invoice_id = ? ORDER BY "
		    "u.started_at, "
		    "u.id",
		    "I", id);
	return rc;
}
