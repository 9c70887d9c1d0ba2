/*
 * dispute.c -- a customer's dispute of an invoice line, and an operator's
 * decision on it. An open dispute holds its amount out of collections
 * (invoices.disputed, collect.c); accepting it issues a credit note for
 * that amount (credit.c), rejecting it hands the amount back to
 * collections. Nothing here moves money but the credit note.
 */
#include "invoices.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* the page: an invoice's lines to dispute and its disputes             */

static tp_rc disputes_view(tp_req *r, int64_t invoice)
{
	tp_db *db = tp_req_db(r);
	json_object *v = tp_view(r);
	tp_rows *rs;
	char buf[32], loc[48];
	tp_rc rc = tp_db_query(db, r, &rs,
	                       "SELECT number, currency, kind FROM invoices "
	                       "WHERE id = ? AND status = 'issued'",
	                       "I", invoice);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such invoice"));
	const char *ccy = tp_strdup(r, tp_rows_get(rs, 0, 1));
	bool is_invoice = strcmp(tp_rows_get(rs, 0, 2), "invoice") == 0;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(invoice));
	tp_json_add_str(o, "number", tp_rows_get(rs, 0, 0));
	tp_json_add_str(o, "currency", ccy);
	json_object_object_add(v, "invoice", o);
	/* for the forms inside the lists */
	json_object_object_add(v, "invoice_id", json_object_new_int64(invoice));
	bool customer = tp_scope_account_root(r) != 0 && is_invoice;
	bool decide =
	    tp_scope_is_operator(r) && tp_can(r, "billing", TP_RIGHT_UPDATE);
	json_object_object_add(v, "can_dispute",
	                       json_object_new_boolean(customer));
	json_object_object_add(v, "can_decide",
	                       json_object_new_boolean(decide));

	/* the lines one may dispute: the charges (tax goes with them) */
	rc = tp_db_query(db, r, &rs,
	                 "SELECT l.id, l.description, l.amount + l.tax_amount, "
	                 "EXISTS (SELECT 1 FROM invoice_disputes d WHERE "
	                 "d.line_id = l.id AND d.status = 'open') FROM "
	                 "invoice_lines l WHERE l.invoice_id = ? AND l.kind "
	                 "<> 'tax' ORDER BY l.line_no",
	                 "I", invoice);
	if (rc != TP_OK)
		return rc;
	json_object *lines = json_object_new_array();
	for (size_t i = 0; is_invoice && i < tp_rows_count(rs); i++) {
		json_object *l = json_object_new_object();
		int64_t gross = tp_rows_i64(rs, i, 2);
		json_object_object_add(
		    l, "id", json_object_new_int64(tp_rows_i64(rs, i, 0)));
		tp_json_add_str(l, "description", tp_rows_get(rs, i, 1));
		json_object_object_add(l, "amount", tp_json_money(gross, ccy));
		tp_json_add_str(
		    l, "amount_text",
		    tp_number_localize(
		        tp_money_format_ccy(gross, ccy, buf, sizeof(buf)), loc,
		        sizeof(loc)));
		bool open = tp_rows_i64(rs, i, 3) != 0;
		json_object_object_add(l, "disputed",
		                       json_object_new_boolean(open));
		json_object_object_add(
		    l, "can_dispute",
		    json_object_new_boolean(customer && !open && gross > 0));
		json_object_array_add(lines, l);
	}
	json_object_object_add(v, "lines", lines);

	rc = tp_db_query(
	    db, r, &rs,
	    "SELECT d.id, l.description, d.amount, d.reason, d.status, "
	    "d.resolution, DATE(d.created_at), IFNULL(c.id, 0), "
	    "IFNULL(c.number, '') FROM invoice_disputes d JOIN invoice_lines l "
	    "ON l.id = d.line_id LEFT JOIN invoices c ON c.id = "
	    "d.credit_note_id WHERE d.invoice_id = ? ORDER BY d.id",
	    "I", invoice);
	if (rc != TP_OK)
		return rc;
	json_object *list = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *d = json_object_new_object();
		bool open = strcmp(tp_rows_get(rs, i, 4), "open") == 0;
		json_object_object_add(
		    d, "id", json_object_new_int64(tp_rows_i64(rs, i, 0)));
		tp_json_add_str(d, "line", tp_rows_get(rs, i, 1));
		json_object_object_add(
		    d, "amount", tp_json_money(tp_rows_i64(rs, i, 2), ccy));
		tp_json_add_str(d, "amount_text",
		                tp_number_localize(
		                    tp_money_format_ccy(tp_rows_i64(rs, i, 2),
		                                        ccy, buf, sizeof(buf)),
		                    loc, sizeof(loc)));
		tp_json_add_str(d, "reason", tp_rows_get(rs, i, 3));
		tp_json_add_str(d, "status", tp_rows_get(rs, i, 4));
		tp_json_add_str(d, "status_label",
		                inv_state_label(tp_rows_get(rs, i, 4)));
		tp_json_add_str(d, "resolution", tp_rows_get(rs, i, 5));
		tp_json_add_str(d, "date", tp_rows_get(rs, i, 6));
		if (tp_rows_i64(rs, i, 7) != 0) {
			json_object_object_add(
			    d, "credit_note_id",
			    json_object_new_int64(tp_rows_i64(rs, i, 7)));
			tp_json_add_str(d, "credit_note_number",
			                tp_rows_get(rs, i, 8));
		}
		json_object_object_add(d, "can_decide",
		                       json_object_new_boolean(decide && open));
		json_object_array_add(list, d);
	}
	json_object_object_add(v, "disputes", list);
	const char *s = tp_form(r, "reason");
	tp_json_add_str(v, "reason", s ? s : "");
	tp_form_idem_key(r, v);
	tp_view_title(r, tp_printf(r, _("Disputes: invoice %s"),
	                           json_object_get_string(
	                               json_object_object_get(o, "number"))));
	return TP_OK;
}

tp_rc inv_disputes_page(tp_req *r)
{
	return disputes_view(r, tp_param_id(r, "invoice"));
}

/* the page again with the error (HTML); the API gets the error alone */
static tp_rc again(tp_req *r, tp_rc rc, int64_t invoice)
{
	if (rc == TP_EINVAL || rc == TP_ECONFLICT || rc == TP_EPERM)
		disputes_view(r, invoice);
	return rc;
}

static tp_rc undo(tp_req *r, tp_rc rc, int64_t invoice)
{
	tp_db_rollback(tp_req_db(r));
	return again(r, rc, invoice);
}

/* the answer of a write: a redirect to the page (HTML), else status with
 * res's members */
static tp_rc answer(tp_req *r, json_object *res, int64_t invoice, int status)
{
	json_object_object_foreach(res, k, val)
	    json_object_object_add(tp_view(r), k, json_object_get(val));
	if (!tp_wants_json(r)) {
		tp_set_status(r, 303);
		tp_set_header(r, "Location",
		              tp_printf(r, "/invoices/%lld/disputes",
		                        (long long)invoice));
		return TP_OK;
	}
	tp_set_status(r, status);
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* POST /invoices/{invoice}/lines/{line}/dispute                        */

tp_rc inv_dispute_post(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	int64_t invoice = tp_param_id(r, "invoice"), line = 0, amount = 0;
	const char *reason, *amount_s;
	tp_rows *iv, *ln;
	tp_who w;
	tp_rc rc;

	tp_who_get(r, &w);
	/* the customer's own word: a partner or an operator records a
	 * complaint as a credit note or an adjustment instead */
	if (tp_scope_account_root(r) == 0)
		return again(
		    r,
		    tp_fail(r, TP_EPERM, NULL,
		            _("only the customer disputes its invoice")),
		    invoice);
	if (tp_parse_i64(tp_param(r, "line"), &line) != TP_OK || line <= 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such line"));
	if ((rc = tp_field_text(r, "reason", _("Reason"), 500, 1, &reason)) !=
	        TP_OK ||
	    (rc = tp_field_text(r, "amount", _("Amount"), 32, 0, &amount_s)) !=
	        TP_OK)
		return again(r, rc, invoice);

	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	/* the account's row first, as every money writer takes it */
	rc = tp_db_query(db, r, &iv,
	                 "SELECT a.id FROM invoices i JOIN accounts a ON a.id "
	                 "= i.account_id WHERE i.id = ? FOR UPDATE",
	                 "I", invoice);
	if (rc == TP_OK)
		rc = tp_db_query(
		    db, r, &iv,
		    "SELECT kind, status, currency, total - credited - "
		    "disputed, partner_id, account_id, number FROM invoices "
		    "WHERE id = ? FOR UPDATE",
		    "I", invoice);
	if (rc == TP_OK)
		rc = tp_db_query(
		    db, r, &ln,
		    "SELECT kind, amount + tax_amount, description, "
		    "EXISTS (SELECT 1 FROM invoice_disputes WHERE "
		    "line_id = ? AND status = 'open') FROM "
		    "invoice_lines WHERE id = ? AND invoice_id = ?",
		    "III", line, line, invoice);
	if (rc != TP_OK)
		return undo(r, rc, invoice);
	if (tp_rows_count(iv) == 0 || tp_rows_count(ln) == 0)
		return undo(r, tp_fail(r, TP_ENOENT, NULL, _("no such line")),
		            invoice);
	const char *ccy = tp_rows_get(iv, 0, 2);
	int64_t gross = tp_rows_i64(ln, 0, 1), left = tp_rows_i64(iv, 0, 3);
	if (strcmp(tp_rows_get(iv, 0, 0), "invoice") != 0 ||
	    strcmp(tp_rows_get(iv, 0, 1), "issued") != 0)
		rc = tp_fail(r, TP_ECONFLICT, "invoice",
		             _("only an issued invoice can be disputed"));
	else if (strcmp(tp_rows_get(ln, 0, 0), "tax") == 0 || gross <= 0)
		rc = tp_fail(r, TP_EINVAL, "line",
		             _("dispute a charge (its tax goes with it)"));
	else if (tp_rows_i64(ln, 0, 3) != 0)
		rc = tp_fail(r, TP_ECONFLICT, "line",
		             _("this line is disputed already: an operator "
		               "will decide"));
	else if (*amount_s == '\0')
		amount = gross;
	else if ((rc = inv_amount_field(r, amount_s, ccy, &amount)) == TP_OK &&
	         amount > gross)
		rc = tp_fail(r, TP_EINVAL, "amount",
		             _("Amount is more than the line (tax included)"));
	if (rc == TP_OK && amount > left)
		rc = tp_fail(r, TP_EINVAL, "amount",
		             _("Amount is more than is left on this invoice "
		               "(credited or disputed already)"));
	if (rc != TP_OK)
		return undo(r, rc, invoice);

	uint64_t partner = (uint64_t)tp_rows_i64(iv, 0, 4),
	         account = (uint64_t)tp_rows_i64(iv, 0, 5);
	rc = tp_db_exec(db, NULL,
	                "INSERT INTO invoice_disputes (tenant_id, partner_id, "
	                "account_id, invoice_id, line_id, amount, reason, "
	                "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	                "IIIIIIsI", (int64_t)tp_tenant_id(r), (int64_t)partner,
	                (int64_t)account, invoice, line, amount, reason,
	                (int64_t)w.user_id);
	uint64_t id = rc == TP_OK ? tp_db_last_id(db) : 0;
	if (rc == TP_OK)
		rc = tp_db_exec(db, NULL,
		                "UPDATE invoices SET disputed = disputed + ? "
		                "WHERE id = ?",
		                "II", amount, invoice);
	json_object *ev = json_object_new_object();
	json_object_object_add(ev, "invoice_id",
	                       json_object_new_int64(invoice));
	json_object_object_add(ev, "dispute_id",
	                       json_object_new_int64((int64_t)id));
	tp_json_add_str(ev, "number", tp_rows_get(iv, 0, 6));
	json_object_object_add(ev, "amount", tp_json_money(amount, ccy));
	if (rc == TP_OK)
		rc = tp_event_emit(r, "invoice.disputed", partner, account, ev);
	else
		json_object_put(ev);
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		json_object_object_add(d, "dispute_id",
		                       json_object_new_int64((int64_t)id));
		json_object_object_add(d, "line_id",
		                       json_object_new_int64(line));
		json_object_object_add(d, "amount", tp_json_money(amount, ccy));
		tp_audit_log(r, "invoice.dispute", "invoice", invoice, d);
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK)
		return undo(r, rc, invoice);
	json_object *res = tp_json_owned(r, json_object_new_object());
	json_object_object_add(res, "dispute_id",
	                       json_object_new_int64((int64_t)id));
	tp_json_add_str(res, "status", "open");
	json_object_object_add(res, "amount", tp_json_money(amount, ccy));
	return answer(r, res, invoice, 201);
}

/* ------------------------------------------------------------------ */
/* POST /disputes/{dispute}/decision: accept (a credit note) or reject  */

tp_rc inv_dispute_decide(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	int64_t id = tp_param_id(r, "dispute");
	const char *decision, *resolution;
	json_object *replay;
	tp_rows *rs;
	tp_who w;
	tp_rc rc;

	tp_who_get(r, &w);
	rc = tp_db_query(db, r, &rs,
	                 "SELECT invoice_id FROM invoice_disputes WHERE id = ?",
	                 "I", id);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such dispute"));
	int64_t invoice = tp_rows_i64(rs, 0, 0);
	if ((rc = tp_field_text(r, "decision", _("Decision"), 16, 1,
	                        &decision)) != TP_OK ||
	    (rc = tp_field_text(r, "resolution", _("Resolution"), 500, 0,
	                        &resolution)) != TP_OK)
		return again(r, rc, invoice);
	bool accept = strcmp(decision, "accept") == 0;
	if (!accept && strcmp(decision, "reject") != 0)
		return again(r,
		             tp_fail(r, TP_EINVAL, "decision",
		                     _("Decision must be accept or reject")),
		             invoice);

	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	/* a credit note moves money: one action per key, a retry gets the
	 * first answer */
	rc = tp_idem_begin(
	    r, "invoice.dispute_decide",
	    tp_printf(r, "%lld|%s|%s", (long long)id, decision, resolution),
	    &replay);
	if (rc != TP_OK)
		return undo(r, rc, invoice);
	if (replay != NULL) {
		tp_db_rollback(db);
		return answer(r, replay, invoice, 200);
	}
	rc = tp_db_query(db, r, &rs,
	                 "SELECT a.id FROM invoice_disputes d JOIN accounts a "
	                 "ON a.id = d.account_id WHERE d.id = ? FOR UPDATE",
	                 "I", id);
	if (rc == TP_OK)
		rc = tp_db_query(db, r, &rs,
		                 "SELECT status, amount, line_id FROM "
		                 "invoice_disputes WHERE id = ? FOR UPDATE",
		                 "I", id);
	if (rc != TP_OK)
		return undo(r, rc, invoice);
	if (strcmp(tp_rows_get(rs, 0, 0), "open") != 0)
		return undo(r,
		            tp_fail(r, TP_ECONFLICT, "decision",
		                    _("this dispute was decided already")),
		            invoice);
	int64_t amount = tp_rows_i64(rs, 0, 1);
	uint64_t note = 0;
	rc = tp_db_exec(db, NULL,
	                "UPDATE invoices SET disputed = disputed - ? WHERE id "
	                "= ?",
	                "II", amount, invoice);
	if (rc == TP_OK && accept)
		rc = inv_credit_note(
		    r, (uint64_t)invoice, amount,
		    tp_printf(r, "Dispute %lld accepted%s%.150s", (long long)id,
		              *resolution ? ": " : "", resolution),
		    NULL, &note);
	if (rc == TP_OK)
		rc = tp_db_exec(
		    db, NULL,
		    "UPDATE invoice_disputes SET status = ?, "
		    "resolution = ?, resolved_by = ?, resolved_at "
		    "= FROM_UNIXTIME(?), credit_note_id = NULLIF(?, "
		    "0) WHERE id = ?",
		    "ssIIII", accept ? "accepted" : "rejected", resolution,
		    (int64_t)w.user_id, tp_now(), (int64_t)note, id);
	json_object *res = tp_json_owned(r, json_object_new_object());
	json_object_object_add(res, "dispute_id", json_object_new_int64(id));
	tp_json_add_str(res, "status", accept ? "accepted" : "rejected");
	if (note != 0)
		json_object_object_add(res, "credit_note_id",
		                       json_object_new_int64((int64_t)note));
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		tp_json_add_str(d, "decision", decision);
		json_object_object_add(d, "invoice_id",
		                       json_object_new_int64(invoice));
		if (note != 0)
			json_object_object_add(
			    d, "credit_note_id",
			    json_object_new_int64((int64_t)note));
		tp_audit_log(r, "invoice.dispute_decide", "dispute", id, d);
		rc = tp_idem_end(r, res);
	}
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	if (rc != TP_OK)
		return undo(r, rc, invoice);
	return answer(r, res, invoice, 200);
}
