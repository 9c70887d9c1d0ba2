/*
 * credit.c -- operator money tools: a credit note against an issued
 * invoice (never an edit of it), and manual credits, debits and
 * write-offs with a reason code, posted at once up to the brand's
 * approval threshold and held for a second operator above it. Each is one
 * user action: one DB transaction, one idempotency key.
 */
#include "invoices.h"

#include <stdio.h>
#include <string.h>

/* Spread part over the n weights in proportion, each share rounded once
 * and the last taking what is left, so the shares sum to part exactly. */
static tp_rc spread(int64_t part, const int64_t *w, size_t n, int64_t whole,
                    const char *ccy, int64_t *out)
{
	int64_t left = part;
	for (size_t i = 0; i < n; i++) {
		if (i + 1 == n) {
			out[i] = left;
			break;
		}
		if (tp_money_mul_div(part, w[i], whole, ccy, &out[i]) != TP_OK)
			return TP_EINVAL;
		left -= out[i];
	}
	return TP_OK;
}

tp_rc inv_credit_note(tp_req *r, uint64_t invoice, int64_t amount,
                      const char *reason, const char *idem_key, uint64_t *note)
{
	tp_db *db = tp_req_db(r);
	tp_rows *iv, *cats, *rates;
	(void)idem_key;

	/* the account's row first (as the run and payments do), then the
	 * invoice's */
	tp_rc rc =
	    tp_db_query(db, r, &iv,
	                "SELECT account_id FROM invoices WHERE id = ? "
	                "AND tenant_id = ?",
	                "II", (int64_t)invoice, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(iv) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such invoice"));
	int64_t account = tp_rows_i64(iv, 0, 0);
	rc = tp_db_query(db, r, &iv,
	                 "SELECT id FROM accounts WHERE id = ? FOR UPDATE", "I",
	                 account);
	if (rc == TP_OK)
		rc = tp_db_query(
		    db, r, &iv,
		    "SELECT kind, status, total, credited, currency, "
		    "tax_total, "
		    "subtotal, partner_id, number, buyer_name, buyer_number, "
		    "buyer_address, buyer_tax_id, seller_name, seller_address, "
		    "seller_tax_id, language, method FROM invoices WHERE id = "
		    "? "
		    "FOR UPDATE",
		    "I", (int64_t)invoice);
	if (rc != TP_OK)
		return rc;
	if (strcmp(tp_rows_get(iv, 0, 0), "invoice") != 0 ||
	    strcmp(tp_rows_get(iv, 0, 1), "issued") != 0)
		return tp_fail(r, TP_ECONFLICT, "invoice",
		               _("only an issued invoice can be credited"));
	const char *ccy = tp_rows_get(iv, 0, 4);
	int64_t total = tp_rows_i64(iv, 0, 2), credited = tp_rows_i64(iv, 0, 3);
	int64_t tax_total = tp_rows_i64(iv, 0, 5),
	        subtotal = tp_rows_i64(iv, 0, 6);
	char left[32];
	if (amount > total - credited)
		return tp_fail(r, TP_EINVAL, "amount",
		               _("Amount is more than is left to credit on "
		                 "this invoice (%s %s)"),
		               tp_money_format_ccy(total - credited, ccy, left,
		                                   sizeof(left)),
		               ccy);
	/* the tax share in the invoice's proportion, the rest net */
	int64_t tax = 0;
	if (tax_total != 0 &&
	    tp_money_mul_div(amount, tax_total, total, ccy, &tax) != TP_OK)
		return tp_fail(r, TP_EINVAL, "amount",
		               _("Amount is too large"));
	int64_t net = amount - tax;

	rc = tp_db_query(db, r, &cats,
	                 "SELECT category, SUM(amount) FROM invoice_lines "
	                 "WHERE invoice_id = ? AND kind <> 'tax' GROUP BY "
	                 "category HAVING SUM(amount) <> 0 ORDER BY category",
	                 "I", (int64_t)invoice);
	if (rc == TP_OK)
		rc = tp_db_query(
		    db, r, &rates,
		    "SELECT description, tax_class, rate_ppm, amount "
		    "FROM invoice_lines WHERE invoice_id = ? AND kind "
		    "= 'tax' AND amount <> 0 ORDER BY line_no",
		    "I", (int64_t)invoice);
	if (rc != TP_OK)
		return rc;
	size_t nc = tp_rows_count(cats), nr = tp_rows_count(rates);
	if (nc == 0 || subtotal == 0)
		return tp_fail(r, TP_ECONFLICT, "invoice",
		               _("this invoice has nothing to credit"));
	int64_t *cw = tp_calloc(r, (nc + nr + 1) * sizeof(int64_t));
	int64_t *cs = tp_calloc(r, (nc + nr + 1) * sizeof(int64_t));
	for (size_t i = 0; i < nc; i++)
		cw[i] = tp_rows_i64(cats, i, 1);
	for (size_t i = 0; i < nr; i++)
		cw[nc + i] = tp_rows_i64(rates, i, 3);
	if (spread(net, cw, nc, subtotal, ccy, cs) != TP_OK ||
	    (nr > 0 &&
	     spread(tax, cw + nc, nr, tax_total, ccy, cs + nc) != TP_OK))
		return tp_fail(r, TP_EINVAL, "amount",
		               _("Amount is too large"));

	uint64_t seq;
	const char *number;
	if ((rc = inv_next_number(r, "CN", &seq, &number)) != TP_OK)
		return rc;
	tp_who w;
	tp_who_get(r, &w);
	int64_t today = tp_brand_day(r);
	rc = tp_db_exec(
	    db, NULL,
	    "INSERT INTO invoices (tenant_id, partner_id, account_id, kind, "
	    "status, series, seq, number, credits_invoice_id, currency, "
	    "issue_date, method, language, subtotal, tax_total, total, "
	    "buyer_name, buyer_number, buyer_address, buyer_tax_id, "
	    "seller_name, seller_address, seller_tax_id, memo, created_by) "
	    "VALUES (?, ?, ?, 'credit_note', 'issued', 'CN', ?, ?, ?, ?, "
	    "FROM_DAYS(? + 719528), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "NULLIF(?, 0))",
	    "IIIIsIsIssIIIssssssssI", (int64_t)tp_tenant_id(r),
	    tp_rows_i64(iv, 0, 7), account, (int64_t)seq, number,
	    (int64_t)invoice, ccy, today, tp_rows_get(iv, 0, 17),
	    tp_rows_get(iv, 0, 16), net, tax, amount, tp_rows_get(iv, 0, 9),
	    tp_rows_get(iv, 0, 10), tp_rows_get(iv, 0, 11),
	    tp_rows_get(iv, 0, 12), tp_rows_get(iv, 0, 13),
	    tp_rows_get(iv, 0, 14), tp_rows_get(iv, 0, 15), reason,
	    (int64_t)w.user_id);
	if (rc != TP_OK)
		return rc;
	uint64_t id = tp_db_last_id(db);
	uint64_t partner = (uint64_t)tp_rows_i64(iv, 0, 7);
	tp_ledger_line *lv = tp_calloc(r, (nc + nr + 2) * sizeof(*lv));
	size_t n = 0;
	lv[n++] = (tp_ledger_line){.account = "customer",
	                           .amount = -amount,
	                           .account_id = (uint64_t)account,
	                           .partner_id = partner};
	for (size_t i = 0; rc == TP_OK && i < nc + nr; i++) {
		bool is_tax = i >= nc;
		if (cs[i] == 0)
			continue;
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT INTO invoice_lines (tenant_id, invoice_id, "
		    "line_no, "
		    "kind, description, category, tax_class, amount, rate_ppm) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "IIissssII", (int64_t)tp_tenant_id(r), (int64_t)id,
		    (int)(i + 1), is_tax ? "tax" : "adjustment",
		    is_tax ? tp_rows_get(rates, i - nc, 0)
		           : tp_printf(r, "Credit: %s (%s)", reason,
		                       tp_rows_get(cats, i, 0)),
		    is_tax ? "standard" : tp_rows_get(cats, i, 0),
		    is_tax ? tp_rows_get(rates, i - nc, 1) : "standard", cs[i],
		    is_tax ? tp_rows_i64(rates, i - nc, 2) : (int64_t)0);
		lv[n++] = (tp_ledger_line){
		    .account = is_tax ? "tax.payable"
		                      : tp_printf(r, "revenue.%s",
		                                  tp_rows_get(cats, i, 0)),
		    .amount = cs[i],
		    .account_id = (uint64_t)account,
		    .partner_id = partner};
	}
	if (rc != TP_OK)
		return rc;
	uint64_t txn;
	tp_ledger_txn t = {.kind = "credit_note",
	                   .idem_key = tp_printf(r, "credit_note:%s", number),
	                   .currency = ccy,
	                   .account_id = (uint64_t)account,
	                   .partner_id = partner,
	                   .document_type = "credit_note",
	                   .document_id = id,
	                   .memo = reason,
	                   .lines = lv,
	                   .n = n};
	if ((rc = tp_ledger_post(r, &t, &txn, NULL)) != TP_OK)
		return rc;
	rc = tp_db_exec(db, NULL,
	                "UPDATE invoices SET ledger_txn_id = ? WHERE id = ?",
	                "II", (int64_t)txn, (int64_t)id);
	if (rc == TP_OK)
		rc = tp_db_exec(db, NULL,
		                "UPDATE invoices SET credited = credited + ? "
		                "WHERE id = ?",
		                "II", amount, (int64_t)invoice);
	if (rc != TP_OK)
		return rc;
	json_object *ev = json_object_new_object();
	json_object_object_add(ev, "invoice_id",
	                       json_object_new_int64((int64_t)invoice));
	json_object_object_add(ev, "credit_note_id",
	                       json_object_new_int64((int64_t)id));
	tp_json_add_str(ev, "number", number);
	json_object_object_add(ev, "amount", tp_json_money(amount, ccy));
	if ((rc = tp_event_emit(r, "invoice.credited", partner,
	                        (uint64_t)account, ev)) != TP_OK)
		return rc;
	json_object *d = json_object_new_object();
	tp_json_add_str(d, "number", number);
	json_object_object_add(d, "amount", tp_json_money(amount, ccy));
	tp_json_add_str(d, "reason", reason);
	tp_audit_log(r, "invoice.credit", "invoice", (int64_t)invoice, d);
	*note = id;
	return TP_OK;
}

tp_rc inv_amount_field(tp_req *r, const char *s, const char *ccy, int64_t *out)
{
	if (tp_money_parse_ccy(s, ccy, out) != TP_OK)
		return tp_fail(
		    r, TP_EINVAL, "amount",
		    _("Amount must be an amount in %s with at most %d "
		      "decimals, like 12.50"),
		    ccy, tp_currency_minor(ccy));
	if (*out <= 0)
		return tp_fail(r, TP_EINVAL, "amount",
		               _("Amount must be more than zero"));
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* the credit note form                                                 */

static tp_rc credit_view(tp_req *r, int64_t invoice)
{
	tp_rows *rs;
	json_object *v = tp_view(r);
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT number, currency, total, credited, "
	                       "buyer_number, buyer_name FROM invoices WHERE "
	                       "id = ? AND kind = 'invoice' AND status = "
	                       "'issued'",
	                       "I", invoice);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such invoice"));
	const char *ccy = tp_rows_get(rs, 0, 1);
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(invoice));
	tp_json_add_str(o, "number", tp_rows_get(rs, 0, 0));
	tp_json_add_str(o, "currency", ccy);
	tp_json_add_str(o, "account_number", tp_rows_get(rs, 0, 4));
	tp_json_add_str(o, "account_name", tp_rows_get(rs, 0, 5));
	json_object_object_add(o, "total",
	                       tp_json_money(tp_rows_i64(rs, 0, 2), ccy));
	char buf[32];
	tp_json_add_str(o, "creditable_text",
	                tp_printf(r, "%s %s",
	                          tp_money_format_ccy(tp_rows_i64(rs, 0, 2) -
	                                                  tp_rows_i64(rs, 0, 3),
	                                              ccy, buf, sizeof(buf)),
	                          ccy));
	json_object_object_add(v, "invoice", o);
	/* what was typed, for the form again */
	const char *s;
	tp_json_add_str(v, "amount", (s = tp_form(r, "amount")) ? s : "");
	tp_json_add_str(v, "reason", (s = tp_form(r, "reason")) ? s : "");
	tp_form_idem_key(r, v);
	tp_view_title(r, _("Issue a credit note"));
	return TP_OK;
}

tp_rc inv_credit_form(tp_req *r)
{
	return credit_view(r, tp_param_id(r, "invoice"));
}

/* the form again with the error; the API gets the error alone */
static tp_rc again(tp_req *r, tp_rc rc, tp_rc (*view)(tp_req *, int64_t),
                   int64_t id)
{
	if (rc == TP_EINVAL || rc == TP_ECONFLICT)
		view(r, id);
	return rc;
}

tp_rc inv_credit_post(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	int64_t invoice = tp_param_id(r, "invoice"), amount;
	const char *amount_s, *reason, *ccy;
	tp_rows *rs;
	json_object *replay;
	tp_rc rc;

	rc = tp_db_query(db, r, &rs,
	                 "SELECT currency FROM invoices WHERE id = ?", "I",
	                 invoice);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such invoice"));
	ccy = tp_rows_get(rs, 0, 0);
	if ((rc = tp_field_text(r, "amount", _("Amount"), 32, 1, &amount_s)) !=
	        TP_OK ||
	    (rc = tp_field_text(r, "reason", _("Reason"), 255, 1, &reason)) !=
	        TP_OK)
		return again(r, rc, credit_view, invoice);
	if ((rc = inv_amount_field(r, amount_s, ccy, &amount)) != TP_OK)
		return again(r, rc, credit_view, invoice);
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_idem_begin(r, "invoice.credit",
	                   tp_printf(r, "%lld|%lld|%s", (long long)invoice,
	                             (long long)amount, reason),
	                   &replay);
	if (rc != TP_OK) {
		tp_db_rollback(db);
		return again(r, rc, credit_view, invoice);
	}
	if (replay != NULL) {
		tp_db_rollback(db);
		json_object_object_foreach(replay, k, val)
		    json_object_object_add(tp_view(r), k, json_object_get(val));
		tp_set_status(r, 201);
		return TP_OK;
	}
	uint64_t note = 0;
	rc = inv_credit_note(r, (uint64_t)invoice, amount, reason, NULL, &note);
	if (rc != TP_OK) {
		tp_db_rollback(db);
		return again(r, rc, credit_view, invoice);
	}
	json_object *res = json_object_new_object();
	json_object_object_add(res, "credit_note_id",
	                       json_object_new_int64((int64_t)note));
	json_object_object_add(res, "invoice_id",
	                       json_object_new_int64(invoice));
	if ((rc = tp_idem_end(r, res)) != TP_OK ||
	    (rc = tp_db_commit(db)) != TP_OK) {
		json_object_put(res);
		tp_db_rollback(db);
		return rc;
	}
	json_object_object_foreach(res, k, val)
	    json_object_object_add(tp_view(r), k, json_object_get(val));
	json_object_put(res);
	if (!tp_wants_json(r)) {
		tp_set_status(r, 303);
		tp_set_header(
		    r, "Location",
		    tp_printf(r, "/invoices/%llu", (unsigned long long)note));
		return TP_OK;
	}
	tp_set_status(r, 201);
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* manual credits, debits and write-offs                                */

static const char *const adj_kinds[] = {"credit", "debit", "write_off", NULL};
static const char *const adj_reasons[] = {
    "goodwill", "billing_error", "service_outage", "fee", "bad_debt", "other",
    NULL};

static bool one_of(const char *s, const char *const *v)
{
	for (; s != NULL && *v != NULL; v++)
		if (strcmp(s, *v) == 0)
			return true;
	return false;
}

static tp_rc adjust_view(tp_req *r, int64_t account)
{
	tp_rows *rs;
	json_object *v = tp_view(r);
	tp_rc rc =
	    tp_db_query(tp_req_db(r), r, &rs,
	                "SELECT a.number, a.name, a.currency, a.balance, "
	                "IFNULL(bs.approval_threshold, 1000000) FROM "
	                "accounts a LEFT JOIN billing_settings bs ON "
	                "bs.tenant_id = a.tenant_id WHERE a.id = ?",
	                "I", account);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such account"));
	const char *ccy = tp_rows_get(rs, 0, 2);
	char buf[32];
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(account));
	tp_json_add_str(o, "number", tp_rows_get(rs, 0, 0));
	tp_json_add_str(o, "name", tp_rows_get(rs, 0, 1));
	tp_json_add_str(o, "currency", ccy);
	tp_json_add_str(o, "balance_words",
	                tp_balance_words(r, tp_rows_i64(rs, 0, 3), ccy, 0));
	tp_json_add_str(o, "threshold_text",
	                tp_printf(r, "%s %s",
	                          tp_money_format_ccy(tp_rows_i64(rs, 0, 4),
	                                              ccy, buf, sizeof(buf)),
	                          ccy));
	json_object_object_add(v, "account", o);
	const char *s;
	tp_json_add_str(v, "amount", (s = tp_form(r, "amount")) ? s : "");
	tp_json_add_str(v, "note", (s = tp_form(r, "note")) ? s : "");
	const char *kind = tp_form(r, "kind"),
	           *reason = tp_form(r, "reason_code");
	json_object *kinds = json_object_new_array();
	static const char *const kind_labels[] = {
	    N_("Credit (lowers what they owe)"),
	    N_("Debit (raises what they owe)"), N_("Write-off (bad debt)")};
	for (unsigned i = 0; adj_kinds[i]; i++) {
		json_object *k = json_object_new_object();
		tp_json_add_str(k, "value", adj_kinds[i]);
		tp_json_add_str(k, "label", tp_tr(kind_labels[i]));
		json_object_object_add(
		    k, "selected",
		    json_object_new_boolean(kind &&
		                            strcmp(kind, adj_kinds[i]) == 0));
		json_object_array_add(kinds, k);
	}
	json_object_object_add(v, "kinds", kinds);
	json_object *reasons = json_object_new_array();
	for (unsigned i = 0; adj_reasons[i]; i++) {
		json_object *k = json_object_new_object();
		tp_json_add_str(k, "value", adj_reasons[i]);
		json_object_object_add(
		    k, "selected",
		    json_object_new_boolean(
		        reason && strcmp(reason, adj_reasons[i]) == 0));
		json_object_array_add(reasons, k);
	}
	json_object_object_add(v, "reasons", reasons);
	tp_form_idem_key(r, v);
	tp_view_title(r, _("Credit, debit or write off"));
	return TP_OK;
}

tp_rc inv_adjust_form(tp_req *r)
{
	return adjust_view(r, tp_param_id(r, "account"));
}

/* the ledger movement of a decided adjustment */
tp_rc inv_adjust_ledger(tp_req *r, int64_t id)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc = tp_db_query(db, r, &rs,
	                       "SELECT account_id, partner_id, kind, amount, "
	                       "currency, reason_code FROM money_adjustments "
	                       "WHERE id = ?",
	                       "I", id);
	if (rc != TP_OK)
		return rc;
	const char *kind = tp_rows_get(rs, 0, 2);
	int64_t amount = tp_rows_i64(rs, 0, 3);
	uint64_t account = (uint64_t)tp_rows_i64(rs, 0, 0),
	         partner = (uint64_t)tp_rows_i64(rs, 0, 1);
	/* credit and write-off lower what the customer owes, a debit raises
	 * it */
	int64_t cust = strcmp(kind, "debit") == 0 ? amount : -amount;
	tp_ledger_line lv[2] = {{.account = "customer",
	                         .amount = cust,
	                         .account_id = account,
	                         .partner_id = partner},
	                        {.account = strcmp(kind, "write_off") == 0
	                                        ? "write_off"
	                                        : "adjustments",
	                         .amount = -cust,
	                         .account_id = account,
	                         .partner_id = partner,
	                         .memo = tp_rows_get(rs, 0, 5)}};
	uint64_t txn;
	tp_ledger_txn t = {.kind = kind,
	                   .idem_key =
	                       tp_printf(r, "adjustment:%lld", (long long)id),
	                   .currency = tp_rows_get(rs, 0, 4),
	                   .account_id = account,
	                   .partner_id = partner,
	                   .document_type = "adjustment",
	                   .document_id = (uint64_t)id,
	                   .memo = tp_rows_get(rs, 0, 5),
	                   .lines = lv,
	                   .n = 2};
	if ((rc = tp_ledger_post(r, &t, &txn, NULL)) != TP_OK)
		return rc;
	/* a credit or write-off pays open invoices, oldest first, so they
	 * close and collections stop (collect.c) */
	if (cust < 0 && (rc = inv_allocate(r, account, amount)) != TP_OK)
		return rc;
	json_object *ev = json_object_new_object();
	json_object_object_add(ev, "adjustment_id", json_object_new_int64(id));
	tp_json_add_str(ev, "kind", kind);
	json_object_object_add(ev, "amount",
	                       tp_json_money(amount, tp_rows_get(rs, 0, 4)));
	if ((rc = tp_event_emit(r,
	                        strcmp(kind, "debit") == 0 ? "charge.posted"
	                                                   : "credit.posted",
	                        partner, account, ev)) != TP_OK)
		return rc;
	return tp_db_exec(db, NULL,
	                  "UPDATE money_adjustments SET status = 'posted', "
	                  "ledger_txn_id = ?, decided_at = FROM_UNIXTIME(?) "
	                  "WHERE id = ?",
	                  "III", (int64_t)txn, tp_now(), id);
}

tp_rc inv_adjust_post(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	int64_t account = tp_param_id(r, "account"), amount;
	const char *kind, *reason, *note, *amount_s;
	tp_rows *rs;
	json_object *replay;
	tp_who w;
	tp_rc rc;

	tp_who_get(r, &w);
	rc = tp_db_query(db, r, &rs,
	                 "SELECT a.currency, a.balance, a.partner_id, "
	                 "IFNULL(bs.approval_threshold, 1000000) FROM accounts "
	                 "a LEFT JOIN billing_settings bs ON bs.tenant_id = "
	                 "a.tenant_id WHERE a.id = ?",
	                 "I", account);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such account"));
	const char *ccy = tp_rows_get(rs, 0, 0);
	int64_t balance = tp_rows_i64(rs, 0, 1), limit = tp_rows_i64(rs, 0, 3);
	if ((rc = tp_field_text(r, "kind", _("Kind"), 16, 1, &kind)) != TP_OK ||
	    (rc = tp_field_text(r, "amount", _("Amount"), 32, 1, &amount_s)) !=
	        TP_OK ||
	    (rc = tp_field_text(r, "reason_code", _("Reason"), 32, 1,
	                        &reason)) != TP_OK ||
	    (rc = tp_field_text(r, "note", _("Note"), 500, 0, &note)) != TP_OK)
		return again(r, rc, adjust_view, account);
	if (!one_of(kind, adj_kinds))
		rc = tp_fail(r, TP_EINVAL, "kind",
		             _("Kind must be credit, debit or write_off"));
	else if (!one_of(reason, adj_reasons))
		rc = tp_fail(r, TP_EINVAL, "reason_code",
		             _("Reason must be one of goodwill, billing_error, "
		               "service_outage, fee, bad_debt, other"));
	else if ((rc = inv_amount_field(r, amount_s, ccy, &amount)) == TP_OK &&
	         strcmp(kind, "write_off") == 0 && amount > balance)
		rc = tp_fail(r, TP_EINVAL, "amount",
		             _("Amount is more than the customer owes: a "
		               "write-off only clears a debt"));
	if (rc != TP_OK)
		return again(r, rc, adjust_view, account);

	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc =
	    tp_idem_begin(r, "billing.adjust",
	                  tp_printf(r, "%lld|%s|%lld|%s|%s", (long long)account,
	                            kind, (long long)amount, reason, note),
	                  &replay);
	if (rc == TP_OK && replay != NULL) {
		tp_db_rollback(db);
		json_object_object_foreach(replay, k, val)
		    json_object_object_add(tp_view(r), k, json_object_get(val));
		tp_set_status(r, 201);
		return TP_OK;
	}
	bool held = amount > limit;
	if (rc == TP_OK)
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT INTO money_adjustments (tenant_id, partner_id, "
		    "account_id, kind, amount, currency, reason_code, note, "
		    "status, requested_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
		    "?)",
		    "IIIsIssssI", (int64_t)tp_tenant_id(r),
		    tp_rows_i64(rs, 0, 2), account, kind, amount, ccy, reason,
		    note, held ? "pending" : "posted", (int64_t)w.user_id);
	uint64_t id = rc == TP_OK ? tp_db_last_id(db) : 0;
	if (rc == TP_OK && !held)
		rc = inv_adjust_ledger(r, (int64_t)id);
	json_object *res = json_object_new_object();
	json_object_object_add(res, "adjustment_id",
	                       json_object_new_int64((int64_t)id));
	tp_json_add_str(res, "status", held ? "pending" : "posted");
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		tp_json_add_str(d, "kind", kind);
		json_object_object_add(d, "amount", tp_json_money(amount, ccy));
		tp_json_add_str(d, "reason_code", reason);
		tp_json_add_str(d, "status", held ? "pending" : "posted");
		tp_audit_log(r, "billing.adjust", "account", account, d);
		rc = tp_idem_end(r, res);
	}
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	if (rc != TP_OK) {
		json_object_put(res);
		tp_db_rollback(db);
		return again(r, rc, adjust_view, account);
	}
	return tp_answer(
	    r, res, tp_printf(r, "/accounts/%lld/billing", (long long)account),
	    201);
}

/* a second operator posts (or rejects) an adjustment held above the
 * threshold; the one who asked cannot */
tp_rc inv_adjust_approve(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	int64_t id = tp_param_id(r, "adjustment");
	const char *decision;
	tp_rows *rs;
	tp_who w;
	tp_rc rc;

	tp_who_get(r, &w);
	if ((rc = tp_field_text(r, "decision", _("Decision"), 16, 1,
	                        &decision)) != TP_OK)
		return rc;
	if (strcmp(decision, "approve") != 0 && strcmp(decision, "reject") != 0)
		return tp_fail(r, TP_EINVAL, "decision",
		               _("Decision must be approve or reject"));
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_query(db, r, &rs,
	                 "SELECT status, requested_by, account_id FROM "
	                 "money_adjustments WHERE id = ? FOR UPDATE",
	                 "I", id);
	if (rc != TP_OK)
		return rc;
	if (strcmp(tp_rows_get(rs, 0, 0), "pending") != 0) {
		tp_db_rollback(db);
		return tp_fail(r, TP_ECONFLICT, "decision",
		               _("this adjustment was decided already"));
	}
	if ((uint64_t)tp_rows_i64(rs, 0, 1) == w.user_id) {
		tp_db_rollback(db);
		return tp_fail(
		    r, TP_EPERM, "decision",
		    _("a second operator must approve what you asked "
		      "for"));
	}
	if (strcmp(decision, "approve") == 0)
		rc = inv_adjust_ledger(r, id);
	else
		rc = tp_db_exec(
		    db, NULL,
		    "UPDATE money_adjustments SET status = "
		    "'rejected', decided_at = FROM_UNIXTIME(?) WHERE "
		    "id = ?",
		    "II", tp_now(), id);
	if (rc == TP_OK)
		rc = tp_db_exec(db, NULL,
		                "UPDATE money_adjustments SET approved_by = ? "
		                "WHERE id = ?",
		                "II", (int64_t)w.user_id, id);
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		tp_json_add_str(d, "decision", decision);
		tp_audit_log(r, "billing.adjust_decide", "adjustment", id, d);
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK) {
		tp_db_rollback(db);
		return rc;
	}
	json_object *v = tp_view(r);
	json_object_object_add(v, "adjustment_id", json_object_new_int64(id));
	tp_json_add_str(v, "status",
	                strcmp(decision, "approve") == 0 ? "posted"
	                                                 : "rejected");
	if (!tp_wants_json(r)) {
		tp_set_status(r, 303);
		tp_set_header(r, "Location",
		              tp_printf(r, "/accounts/%lld/billing",
		                        (long long)tp_rows_i64(rs, 0, 2)));
	}
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* one-time charges for the next invoice                                */

/* An operator adds a one-time charge (equipment, a visit) to an account:
 * a pending charge the account's next invoice bills; no money moves
 * until then. */
tp_rc inv_charge_post(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	int64_t account = tp_param_id(r, "account"), amount, day;
	const char *desc, *amount_s, *eff, *ccy;
	json_object *replay;
	tp_rows *rs;
	tp_who w;
	tp_rc rc;

	tp_who_get(r, &w);
	rc = tp_db_query(db, r, &rs,
	                 "SELECT currency FROM accounts WHERE id = ? AND "
	                 "tenant_id = ?",
	                 "II", account, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such account"));
	ccy = tp_rows_get(rs, 0, 0);
	if ((rc = tp_field_text(r, "description", _("Description"), 255, 1,
	                        &desc)) != TP_OK ||
	    (rc = tp_field_text(r, "amount", _("Amount"), 32, 1, &amount_s)) !=
	        TP_OK ||
	    (rc = tp_field_text(r, "effective", _("Date"), 10, 0, &eff)) !=
	        TP_OK)
		return rc;
	if (tp_money_parse_ccy(amount_s, ccy, &amount) != TP_OK || amount <= 0)
		return tp_fail(
		    r, TP_EINVAL, "amount",
		    _("Amount must be more than zero, in %s with at most "
		      "%d decimals, like 12.50"),
		    ccy, tp_currency_minor(ccy));
	if (*eff == '\0')
		day = tp_brand_day(r);
	else if (!inv_parse_date(eff, &day))
		return tp_fail(r, TP_EINVAL, "effective",
		               _("Date must be a day as YYYY-MM-DD"));
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_idem_begin(r, "billing.charge",
	                   tp_printf(r, "%lld|%lld|%s|%lld", (long long)account,
	                             (long long)amount, desc, (long long)day),
	                   &replay);
	if (rc == TP_OK && replay != NULL) {
		tp_db_rollback(db);
		json_object_object_foreach(replay, k, val)
		    json_object_object_add(tp_view(r), k, json_object_get(val));
		tp_set_status(r, 201);
		return TP_OK;
	}
	if (rc == TP_OK)
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT INTO pending_charges (tenant_id, "
		    "account_id, kind, description, amount, currency, "
		    "effective, idem_key, user_id) VALUES (?, ?, "
		    "'one_time', ?, ?, ?, FROM_DAYS(? + 719528), ?, "
		    "NULLIF(?, 0))",
		    "IIsIsIsI", (int64_t)tp_tenant_id(r), account, desc, amount,
		    ccy, day, tp_idem_key(r), (int64_t)w.user_id);
	uint64_t id = rc == TP_OK ? tp_db_last_id(db) : 0;
	json_object *res = json_object_new_object();
	json_object_object_add(res, "charge_id",
	                       json_object_new_int64((int64_t)id));
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		tp_json_add_str(d, "description", desc);
		json_object_object_add(d, "amount", tp_json_money(amount, ccy));
		tp_audit_log(r, "billing.charge", "account", account, d);
		rc = tp_idem_end(r, res);
	}
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	if (rc != TP_OK) {
		json_object_put(res);
		tp_db_rollback(db);
		return rc;
	}
	return tp_answer(
	    r, res, tp_printf(r, "/accounts/%lld/billing", (long long)account),
	    201);
}
