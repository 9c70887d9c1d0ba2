/*
 * requests.c -- a partner asks to be paid (A2Billing's remittance
 * request, WHMCS affiliates' withdrawal request): POST
 * /commissions/requests {destination: bank|balance} once its approved
 * commission passes the brand's minimum payout, one open request at a
 * time; operators list them (GET /commissions/requests) and pay or refuse
 * them with a reason (POST /commissions/requests/{request}/decision). And
 * A2Billing's "withdraw to balance": POST /commissions/withdraw moves the
 * partner's approved commission into its prepaid balance at once, one
 * ledger transaction (Dr partner.payable / Cr partner.receivable).
 */
#include "payout.h"

#include <stdio.h>
#include <string.h>

/* the partner's approved commission in no disbursement, in its currency */
static tp_rc approved_total(tp_req *r, uint64_t partner, int64_t *sum,
                            int64_t *lines, const char **ccy, const char **name)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    "SELECT p.currency, p.name, (SELECT IFNULL(SUM(l.amount), 0) FROM "
	    "commission_lines l WHERE l.tenant_id = p.tenant_id AND "
	    "l.partner_id = p.id AND l.status = 'approved' AND "
	    "l.disbursement_id IS NULL AND l.currency = p.currency), (SELECT "
	    "COUNT(*) FROM commission_lines l WHERE l.tenant_id = p.tenant_id "
	    "AND l.partner_id = p.id AND l.status = 'approved' AND "
	    "l.disbursement_id IS NULL AND l.currency = p.currency) FROM "
	    "partners p WHERE p.id = ? AND p.tenant_id = ?",
	    "II", (int64_t)partner, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return TP_ENOENT;
	*ccy = tp_rows_get(rs, 0, 0);
	*name = tp_rows_get(rs, 0, 1);
	*sum = tp_rows_i64(rs, 0, 2);
	*lines = tp_rows_i64(rs, 0, 3);
	return TP_OK;
}

static json_object *request_json(tp_req *r, tp_rows *rs, size_t i)
{
	json_object *o = json_object_new_object();
	tp_json_add_i64(o, "id", tp_rows_i64(rs, i, 0));
	tp_json_add_i64(o, "partner_id", tp_rows_i64(rs, i, 1));
	tp_json_add_str(o, "partner", tp_rows_get(rs, i, 2));
	tp_json_add_str(o, "destination", tp_rows_get(rs, i, 3));
	tp_json_add_str(o, "destination_label",
	                cms_state_label(tp_rows_get(rs, i, 3)));
	tp_json_add_money(r, o, "amount", tp_rows_i64(rs, i, 4),
	                  tp_rows_get(rs, i, 5));
	tp_json_add_str(o, "status", tp_rows_get(rs, i, 6));
	tp_json_add_str(o, "status_label",
	                cms_state_label(tp_rows_get(rs, i, 6)));
	tp_json_add_str(o, "reason", tp_rows_get(rs, i, 7));
	tp_json_add_str(o, "disbursement", tp_rows_get(rs, i, 8));
	tp_json_add_str(o, "created_at", tp_rows_get(rs, i, 9));
	tp_json_add_str(o, "decided_at", tp_rows_get(rs, i, 10));
	/* for people: in the viewer's zone (the API's stay UTC) */
	tp_json_add_str(o, "created_at_text",
	                tp_time_text(r, tp_rows_get(rs, i, 9), 0));
	tp_json_add_str(o, "decided_at_text",
	                tp_time_text(r, tp_rows_get(rs, i, 10), 0));
	json_object_object_add(o, "open",
	                       json_object_new_boolean(
	                           strcmp(tp_rows_get(rs, i, 6), "open") == 0));
	return o;
}

static tp_rc requests_view(tp_req *r)
{
	json_object *v = tp_view(r);
	uint64_t partner = tp_scope_partner_root(r);
	bool op = tp_scope_is_operator(r);
	struct cms_settings set;
	tp_rows *rs;
	tp_rc rc = cms_settings_load(r, &set);
	if (rc != TP_OK)
		return rc;
	tp_form_idem_key(r, v);
	json_object_object_add(v, "operator", json_object_new_boolean(op));
	if (!op) {
		int64_t sum, lines;
		const char *ccy, *name;
		uint64_t det = 0;
		if ((rc = approved_total(r, partner, &sum, &lines, &ccy,
		                         &name)) != TP_OK ||
		    (rc = cms_details_confirmed(r, partner, &det)) != TP_OK)
			return rc;
		json_object *me = json_object_new_object();
		tp_json_add_money(r, me, "approved", sum, ccy);
		tp_json_add_i64(me, "lines", lines);
		tp_json_add_money(r, me, "min_payout", set.min_payout, ccy);
		json_object_object_add(
		    me, "can_request",
		    json_object_new_boolean(sum > 0 && sum >= set.min_payout));
		json_object_object_add(me, "can_withdraw",
		                       json_object_new_boolean(sum > 0));
		json_object_object_add(me, "details_confirmed",
		                       json_object_new_boolean(det != 0));
		json_object_object_add(v, "mine", me);
	}
	/* an operator sees the brand's; a partner its own */
	rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    "SELECT q.id, q.partner_id, p.name, q.destination, q.amount, "
	    "q.currency, q.status, q.reason, IFNULL(d.number, ''), "
	    "DATE_FORMAT(q.created_at, '%Y-%m-%d %H:%i'), "
	    "IFNULL(DATE_FORMAT(q.decided_at, '%Y-%m-%d %H:%i'), '') FROM "
	    "commission_requests q JOIN partners p ON p.id = q.partner_id LEFT "
	    "JOIN commission_disbursements d ON d.id = q.disbursement_id WHERE "
	    "q.tenant_id = ? AND (? = 0 OR q.partner_id = ?) ORDER BY "
	    "q.status = 'open' DESC, q.id DESC LIMIT 200",
	    "III", (int64_t)tp_tenant_id(r), op ? (int64_t)0 : (int64_t)1,
	    (int64_t)partner);
	if (rc != TP_OK)
		return rc;
	json_object *list = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(rs); i++)
		json_object_array_add(list, request_json(r, rs, i));
	json_object_object_add(v, "requests", list);
	tp_view_title(r, _("Payout requests"));
	return TP_OK;
}

/* GET /commissions/requests: operators every request of the brand, a
 * partner its own (with its approved balance and the forms) */
tp_rc cms_requests_page(tp_req *r)
{
	if (!tp_scope_is_operator(r) && tp_scope_partner_root(r) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	return requests_view(r);
}

/* the open request of partner, if any (locked): its id, else 0 */
static tp_rc open_request(tp_req *r, uint64_t partner, int64_t *id)
{
	tp_rows *rs;
	tp_rc rc =
	    tp_db_query(tp_req_db(r), r, &rs,
	                "SELECT id FROM commission_requests WHERE "
	                "tenant_id = ? AND open_partner = ? FOR UPDATE",
	                "II", (int64_t)tp_tenant_id(r), (int64_t)partner);
	*id = rc == TP_OK && tp_rows_count(rs) ? tp_rows_i64(rs, 0, 0) : 0;
	return rc;
}

/* In the open transaction: the partner's row locked (one maker of its
 * requests and withdrawals at a time), then a 409 naming `request` if it
 * has one open (why: what the message adds) */
static tp_rc none_open(tp_req *r, uint64_t partner, const char *why)
{
	tp_rows *rs;
	int64_t open = 0;
	tp_rc rc =
	    tp_db_query(tp_req_db(r), r, &rs,
	                "SELECT id FROM partners WHERE id = ? FOR UPDATE", "I",
	                (int64_t)partner);
	if (rc == TP_OK)
		rc = open_request(r, partner, &open);
	if (rc == TP_OK && open != 0)
		rc = tp_fail(r, TP_ECONFLICT, "request",
		             _("Request %lld is still open: %s"),
		             (long long)open, why);
	return rc;
}

/* POST /commissions/requests {destination} (a partner) */
tp_rc cms_request_post(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	uint64_t partner = tp_scope_partner_root(r), det = 0;
	struct cms_settings set;
	const char *dest, *ccy = NULL, *name = NULL;
	int64_t sum = 0, lines = 0;
	json_object *replay = NULL;
	char a1[32], a2[32];
	tp_rc rc;
	if (partner == 0)
		return tp_fail(r, TP_ENOENT, NULL,
		               _("a payout request is a partner's own"));
	if ((rc = tp_field_text(r, "destination", _("Destination"), 8, 0,
	                        &dest)) != TP_OK)
		goto again;
	if (*dest == '\0')
		dest = "bank";
	if (strcmp(dest, "bank") != 0 && strcmp(dest, "balance") != 0) {
		rc = tp_fail(r, TP_EINVAL, "destination",
		             _("Destination must be bank or balance"));
		goto again;
	}
	if ((rc = cms_settings_load(r, &set)) != TP_OK ||
	    (rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_idem_begin(r, "commissions.request", dest, &replay);
	if (rc == TP_OK && replay != NULL) {
		tp_db_rollback(db);
		return tp_answer(r, json_object_get(replay),
		                 "/commissions/requests", 201);
	}
	if (rc == TP_OK)
		rc = none_open(r, partner, "one request at a time");
	if (rc == TP_OK)
		rc = approved_total(r, partner, &sum, &lines, &ccy, &name);
	if (rc == TP_OK && (sum <= 0 || sum < set.min_payout))
		rc = tp_fail(
		    r, TP_EINVAL, "partner",
		    _("Your approved commission is %s %s: a request needs "
		      "at least the minimum payout of %s %s"),
		    tp_money_format_ccy(sum, ccy, a1, sizeof(a1)), ccy,
		    tp_money_format_ccy(set.min_payout, ccy, a2, sizeof(a2)),
		    ccy);
	if (rc == TP_OK && strcmp(dest, "bank") == 0 &&
	    (rc = cms_details_confirmed(r, partner, &det)) == TP_OK && det == 0)
		rc = tp_fail(
		    r, TP_EINVAL, "destination",
		    _("Payouts to a bank need confirmed payout bank "
		      "details: enter them on the payout details page"));
	if (rc == TP_OK)
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT INTO commission_requests (tenant_id, partner_id, "
		    "open_partner, destination, amount, currency, created_by, "
		    "created_at) VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, 0), "
		    "FROM_UNIXTIME(?))",
		    "IIIsIsII", (int64_t)tp_tenant_id(r), (int64_t)partner,
		    (int64_t)partner, dest, sum, ccy, (int64_t)cms_user_id(r),
		    tp_now());
	uint64_t id = rc == TP_OK ? tp_db_last_id(db) : 0;
	json_object *res = json_object_new_object();
	tp_json_add_i64(res, "request_id", (int64_t)id);
	tp_json_add_str(res, "status", "open");
	tp_json_add_str(res, "destination", dest);
	tp_json_add_money(r, res, "amount", sum, ccy ? ccy : "EUR");
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		tp_json_add_str(d, "destination", dest);
		json_object_object_add(d, "amount", tp_json_money(sum, ccy));
		tp_audit_log(r, "commission.request", "commission_request",
		             (int64_t)id, d);
		rc = tp_idem_end(r, res);
	}
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	if (rc != TP_OK) {
		json_object_put(res);
		tp_db_rollback(db);
		goto again;
	}
	return tp_answer(r, res, "/commissions/requests", 201);
again:
	if (rc == TP_EINVAL || rc == TP_ECONFLICT)
		requests_view(r);
	return rc;
}

/* POST /commissions/requests/{request}/decision {action: pay|refuse,
 * reason} (operators) */
tp_rc cms_request_decide(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	int64_t id = tp_param_id(r, "request");
	const char *action, *reason, *status = NULL;
	json_object *replay = NULL;
	tp_rows *rs;
	uint64_t disb = 0;
	tp_rc rc;
	if ((rc = tp_field_text(r, "action", _("Action"), 8, 1, &action)) !=
	        TP_OK ||
	    (rc = tp_field_text(r, "reason", _("Reason"), 255, 0, &reason)) !=
	        TP_OK)
		goto again;
	bool pay = strcmp(action, "pay") == 0;
	if (!pay && strcmp(action, "refuse") != 0) {
		rc = tp_fail(r, TP_EINVAL, "action",
		             _("Action must be pay or refuse"));
		goto again;
	}
	if (!pay && *reason == '\0') {
		rc = tp_fail(r, TP_EINVAL, "reason",
		             _("Reason: say why the request is refused (the "
		               "partner sees it)"));
		goto again;
	}
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_idem_begin(
	    r, "commissions.request_decision",
	    tp_printf(r, "%lld|%s|%s", (long long)id, action, reason), &replay);
	if (rc == TP_OK && replay != NULL) {
		tp_db_rollback(db);
		return tp_answer(r, json_object_get(replay),
		                 "/commissions/requests", 200);
	}
	if (rc == TP_OK)
		rc = tp_db_query(
		    db, r, &rs,
		    "SELECT partner_id, destination, status FROM "
		    "commission_requests WHERE id = ? AND tenant_id "
		    "= ? FOR UPDATE",
		    "II", id, (int64_t)tp_tenant_id(r));
	if (rc == TP_OK && tp_rows_count(rs) == 0)
		rc = tp_fail(r, TP_ENOENT, NULL, _("no such request"));
	if (rc == TP_OK && strcmp(tp_rows_get(rs, 0, 2), "open") != 0)
		rc = tp_fail(r, TP_ECONFLICT, "request",
		             _("Request %lld is %s already"), (long long)id,
		             tp_rows_get(rs, 0, 2));
	const char *dest = rc == TP_OK ? tp_rows_get(rs, 0, 1) : "bank";
	/* a request reopened by a failed payout is paid again under a key
	 * of its own: the failed one's is spent, at the provider too */
	int64_t tries = 0;
	tp_rows *cnt;
	if (rc == TP_OK && pay &&
	    (rc = tp_db_query(db, r, &cnt,
	                      "SELECT COUNT(*) FROM commission_disbursements "
	                      "WHERE tenant_id = ? AND request_id = ?",
	                      "II", (int64_t)tp_tenant_id(r), id)) == TP_OK)
		tries = tp_rows_i64(cnt, 0, 0);
	if (rc == TP_OK && pay) {
		struct cms_disb_in in = {
		    .partner = (uint64_t)tp_rows_i64(rs, 0, 0),
		    .description =
		        tp_printf(r, "Payout request %lld", (long long)id),
		    .reference = "",
		    .comments = reason,
		    .destination = dest,
		    .idem_key =
		        tries == 0 ? tp_printf(r, "req:%lld", (long long)id)
		                   : tp_printf(r, "req:%lld:%lld",
		                               (long long)id, (long long)tries),
		    .request_id = (uint64_t)id};
		rc = cms_disb_make(r, &in, &disb);
		/* to the partner's balance: paid at once */
		if (rc == TP_OK && strcmp(dest, "balance") == 0)
			rc = cms_disb_paid(r, disb, "");
	}
	if (rc == TP_OK)
		rc = tp_db_exec(db, NULL,
		                "UPDATE commission_requests SET status = ?, "
		                "open_partner = NULL, reason = ?, "
		                "disbursement_id = NULLIF(?, 0), decided_by = "
		                "NULLIF(?, 0), decided_at = FROM_UNIXTIME(?) "
		                "WHERE id = ?",
		                "ssIIII", pay ? "paid" : "refused", reason,
		                (int64_t)disb, (int64_t)cms_user_id(r),
		                tp_now(), id);
	json_object *res = json_object_new_object();
	tp_json_add_i64(res, "request_id", id);
	tp_json_add_str(res, "status", pay ? "paid" : "refused");
	if (disb)
		tp_json_add_i64(res, "disbursement_id", (int64_t)disb);
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		tp_json_add_str(d, "action", action);
		tp_json_add_str(d, "reason", reason);
		tp_audit_log(r, "commission.request_decision",
		             "commission_request", id, d);
		rc = tp_idem_end(r, res);
	}
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	if (rc != TP_OK) {
		json_object_put(res);
		tp_db_rollback(db);
		goto again;
	}
	/* to a bank: sent now that the disbursement is committed */
	if (disb && strcmp(dest, "bank") == 0) {
		cms_disb_send(r, disb, &status);
		/* a failed payout opened the request again: say so */
		if (tp_db_query(db, r, &rs,
		                "SELECT status FROM commission_requests WHERE "
		                "id = ?",
		                "I", id) == TP_OK &&
		    tp_rows_count(rs) == 1)
			tp_json_add_str(res, "status", tp_rows_get(rs, 0, 0));
	}
	if (disb)
		json_object_object_add(res, "disbursement",
		                       cms_disb_json(r, disb));
	return tp_answer(r, res, "/commissions/requests", 200);
again:
	if (rc == TP_EINVAL || rc == TP_ECONFLICT)
		requests_view(r);
	return rc;
}

/* POST /commissions/withdraw (a partner): its approved commission into
 * its prepaid balance, at once */
tp_rc cms_withdraw_post(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	uint64_t partner = tp_scope_partner_root(r), disb = 0;
	json_object *replay = NULL;
	tp_rows *rs;
	tp_rc rc;
	if (partner == 0)
		return tp_fail(r, TP_ENOENT, NULL,
		               _("a withdrawal is a partner's own"));
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_idem_begin(r, "commissions.withdraw",
	                   tp_printf(r, "%llu", (unsigned long long)partner),
	                   &replay);
	if (rc == TP_OK && replay != NULL) {
		tp_db_rollback(db);
		return tp_answer(r, cms_disb_json(r, cms_disb_replayed(replay)),
		                 "/commissions/requests", 201);
	}
	/* an open request asks for the same lines: the operator decides it
	 * first */
	if (rc == TP_OK)
		rc = none_open(r, partner, "it is paid or refused first");
	struct cms_disb_in in = {
	    .partner = partner,
	    .description = "Withdrawal to the prepaid balance",
	    .reference = "",
	    .comments = "",
	    .destination = "balance",
	    .idem_key = cms_disb_key(r, "wd", tp_idem_key(r), 0)};
	if (rc == TP_OK)
		rc = cms_disb_make(r, &in, &disb);
	if (rc == TP_OK)
		rc = cms_disb_paid(r, disb, "");
	if (rc == TP_OK)
		rc = cms_disb_idem_end(r, disb);
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	if (rc != TP_OK) {
		tp_db_rollback(db);
		if (rc == TP_EINVAL || rc == TP_ECONFLICT)
			requests_view(r);
		return rc;
	}
	json_object *res = cms_disb_json(r, disb);
	if (tp_db_query(db, r, &rs,
	                "SELECT balance, currency FROM partners WHERE id = ?",
	                "I", (int64_t)partner) == TP_OK &&
	    tp_rows_count(rs) > 0)
		tp_json_add_money(r, res, "partner_balance",
		                  tp_rows_i64(rs, 0, 0), tp_rows_get(rs, 0, 1));
	return tp_answer(r, res, "/commissions/requests", 201);
}

/* the permission matrix's request: a refused one of the partner */
tp_rc cms_fixture_request(tp_req *ctx, uint64_t partner_id, uint64_t account_id,
                          int64_t *id)
{
	(void)account_id;
	tp_rc rc = tp_db_exec(
	    tp_req_db(ctx), NULL,
	    "INSERT INTO commission_requests (tenant_id, partner_id, "
	    "destination, amount, currency, status, reason, created_at) SELECT "
	    "tenant_id, id, 'bank', 0, currency, 'refused', 'fixture', NOW() "
	    "FROM partners WHERE id = ?",
	    "I", (int64_t)partner_id);
	*id = (int64_t)tp_db_last_id(tp_req_db(ctx));
	return rc;
}

/* the permission matrix's disbursement: a failed one of the partner (a
 * number of its own series, "FIX-...", so the brand's D- numbers keep no
 * gap; nothing to retry, nothing paid) */
tp_rc cms_fixture_disbursement(tp_req *ctx, uint64_t partner_id,
                               uint64_t account_id, int64_t *id)
{
	(void)account_id;
	tp_rc rc = tp_db_exec(
	    tp_req_db(ctx), NULL,
	    "INSERT INTO commission_disbursements (tenant_id, partner_id, "
	    "number, provider, status, failure, amount, currency, idem_key, "
	    "created_at) SELECT tenant_id, id, CONCAT('FIX-', LEFT(UUID(), "
	    "8)), 'test', 'failed', 'fixture', 10000, currency, "
	    "CONCAT('fixture:', UUID()), NOW() FROM partners WHERE id = ?",
	    "I", (int64_t)partner_id);
	*id = (int64_t)tp_db_last_id(tp_req_db(ctx));
	return rc;
}
