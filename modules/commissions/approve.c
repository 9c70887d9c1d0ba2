/*
 * approve.c -- an operator's decision on commission lines, in bulk:
 * approve (approvable or held lines become approved: a disbursement may
 * pay them), hold (approvable ones wait, with the reason), decline (the
 * line will never be paid: its posting is reversed, Dr partner.payable /
 * Cr commission.expense, so the partner's payable no longer counts it).
 *
 * POST /commissions/lines/decision {action, note, lines: [ids]} (the API)
 * or the form's checkboxes "line" (tp_form_all), or every approvable line
 * of one partner (field partner). All or nothing, one transaction: a
 * line that is not the brand's is a 404 (foreign and missing alike), a
 * line that cannot take the decision a 400 naming "lines" with its id
 * and status; a line already in the state asked is left as it is (a
 * double submit changes nothing).
 */
#include "commissions.h"

#include <string.h>

#define DECIDE_MAX 5000

/* the ids asked: JSON lines [..] or "1,2,3", the form's repeated "line" */
static tp_rc ids_read(tp_req *r, int64_t **ids, size_t *n)
{
	json_object *b = tp_body_json(r), *a = NULL;
	const char **vals = NULL;
	size_t cnt = 0;
	*n = 0;
	if (b != NULL && json_object_is_type(b, json_type_object) &&
	    json_object_object_get_ex(b, "lines", &a) &&
	    json_object_is_type(a, json_type_array)) {
		cnt = json_object_array_length(a);
		vals = tp_alloc(r, (cnt + 1) * sizeof(*vals));
		for (size_t i = 0; i < cnt; i++)
			vals[i] = json_object_get_string(
			    json_object_array_get_idx(a, i));
	} else if ((cnt = tp_form_all(r, "line", &vals)) == 0) {
		const char *s;
		tp_rc rc = tp_input(r, "lines", &s);
		if (rc != TP_OK)
			return rc;
		if (s != NULL && *s != '\0') {
			/* "12,13, 14" */
			char *copy = tp_strdup(r, s), *save = NULL;
			vals = tp_alloc(r, (strlen(s) / 2 + 2) * sizeof(*vals));
			for (char *t = strtok_r(copy, ", ", &save); t != NULL;
			     t = strtok_r(NULL, ", ", &save))
				vals[cnt++] = t;
		}
	}
	if (cnt > DECIDE_MAX)
		return tp_fail(r, TP_EINVAL, "lines",
		               _("At most %d lines at a time"), DECIDE_MAX);
	*ids = tp_alloc(r, (cnt + 1) * sizeof(**ids));
	for (size_t i = 0; i < cnt; i++) {
		int64_t id;
		if (vals[i] == NULL || tp_parse_i64(vals[i], &id) != TP_OK ||
		    id <= 0)
			return tp_fail(r, TP_EINVAL, "lines",
			               _("Lines must be line ids"));
		(*ids)[(*n)++] = id;
	}
	return TP_OK;
}

/* the reversal of a declined line's posting */
static tp_rc decline_post(tp_req *r, int64_t line, int64_t partner,
                          int64_t account, int64_t amount, const char *ccy,
                          const char *note)
{
	if (amount == 0)
		return TP_OK;
	tp_ledger_line lv[2] = {{.account = "partner.payable",
	                         .amount = amount,
	                         .partner_id = (uint64_t)partner,
	                         .account_id = (uint64_t)account},
	                        {.account = "commission.expense",
	                         .amount = -amount,
	                         .account_id = (uint64_t)account}};
	tp_ledger_txn t = {.kind = "commission_decline",
	                   .idem_key = tp_printf(r, "commission.decline:%lld",
	                                         (long long)line),
	                   .currency = ccy,
	                   .account_id = (uint64_t)account,
	                   .partner_id = (uint64_t)partner,
	                   .document_type = "commission_line",
	                   .document_id = (uint64_t)line,
	                   .memo = note,
	                   .lines = lv,
	                   .n = 2};
	return tp_ledger_post(r, &t, NULL, NULL);
}

/* In the caller's transaction: decision action ("approve", "hold",
 * "decline") on the brand's lines ids (n of them), as the form's
 * (cms_lines_decide): TP_ENOENT if one is not the brand's, TP_EINVAL
 * (field "lines") if one cannot take it; *changed: how many moved. */
tp_rc cms_lines_apply(tp_req *r, const int64_t *ids, size_t n,
                      const char *action, const char *note, unsigned *changed)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc;
	const char *target = strcmp(action, "approve") == 0 ? "approved"
	                     : strcmp(action, "hold") == 0  ? "held"
	                                                    : "declined";
	*changed = 0;
	tp_db_arg *args = tp_alloc(r, (n + 1) * sizeof(*args));
	args[0] = (tp_db_arg){.i = (int64_t)tp_tenant_id(r)};
	for (size_t i = 0; i < n; i++)
		args[i + 1] = (tp_db_arg){.i = ids[i]};
	rc = tp_db_query_args(
	    db, r, &rs,
	    tp_printf(r,
	              "SELECT id, status, partner_id, IFNULL(account_id, 0), "
	              "amount, currency, IFNULL(hold_until, ''), "
	              "IFNULL(disbursement_id, 0) FROM commission_lines WHERE "
	              "tenant_id = ? AND id IN (%s) ORDER BY id FOR UPDATE",
	              tp_db_marks(r, n)),
	    args, n + 1);
	if (rc != TP_OK)
		return rc;
	/* a duplicate id counts once */
	size_t distinct = 0;
	for (size_t i = 0; i < n; i++) {
		bool dup = false;
		for (size_t j = 0; j < i && !dup; j++)
			dup = ids[j] == ids[i];
		distinct += !dup;
	}
	if (tp_rows_count(rs) != distinct) {
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	}
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		int64_t id = tp_rows_i64(rs, i, 0);
		const char *st = tp_rows_get(rs, i, 1);
		if (strcmp(st, target) == 0)
			continue; /* already so: a double submit */
		bool ok =
		    strcmp(st, "approvable") == 0 ||
		    (strcmp(st, "held") == 0 && strcmp(action, "hold") != 0);
		/* an approved line not yet in a disbursement may still be
		 * held or declined */
		if (strcmp(st, "approved") == 0 &&
		    strcmp(action, "approve") != 0 &&
		    tp_rows_i64(rs, i, 7) == 0)
			ok = true;
		if (!ok) {
			rc = tp_fail(
			    r, TP_EINVAL, "lines",
			    strcmp(st, "pending") == 0
			        ? _("Line %lld is %s: it is in its hold until "
			            "%s")
			        : _("Line %lld is %s: it cannot be %s"),
			    (long long)id, st,
			    strcmp(st, "pending") == 0 ? tp_rows_get(rs, i, 6)
			                               : target);
			return rc;
		}
		rc = tp_db_exec(db, NULL,
		                "UPDATE commission_lines SET status = ?, "
		                "status_note = ?, status_by = NULLIF(?, 0), "
		                "status_at = FROM_UNIXTIME(?) WHERE id = ?",
		                "ssIII", target, note ? note : "",
		                (int64_t)cms_user_id(r), tp_now(), id);
		if (rc == TP_OK && strcmp(target, "declined") == 0)
			rc = decline_post(
			    r, id, tp_rows_i64(rs, i, 2), tp_rows_i64(rs, i, 3),
			    tp_rows_i64(rs, i, 4), tp_rows_get(rs, i, 5), note);
		if (rc == TP_OK && strcmp(target, "declined") == 0) {
			json_object *ev = json_object_new_object();
			tp_json_add_i64(ev, "line", id);
			tp_json_add_i64(ev, "amount", -tp_rows_i64(rs, i, 4));
			tp_json_add_str(ev, "currency", tp_rows_get(rs, i, 5));
			tp_json_add_str(ev, "reason", "declined");
			rc = tp_event_emit(r, "commission.reversed",
			                   (uint64_t)tp_rows_i64(rs, i, 2),
			                   (uint64_t)tp_rows_i64(rs, i, 3), ev);
		}
		if (rc != TP_OK)
			return rc;
		(*changed)++;
	}
	return TP_OK;
}

tp_rc cms_lines_decide(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	const char *action, *note, *ps, *target;
	int64_t *ids, partner = 0;
	size_t n;
	tp_rows *rs;
	tp_rc rc;

	if ((rc = tp_field_text(r, "action", _("Decision"), 16, 1, &action)) !=
	        TP_OK ||
	    (rc = tp_field_text(r, "note", _("Note"), 255, 0, &note)) !=
	        TP_OK ||
	    (rc = tp_input(r, "partner", &ps)) != TP_OK ||
	    (rc = ids_read(r, &ids, &n)) != TP_OK)
		return rc;
	if (strcmp(action, "approve") == 0)
		target = "approved";
	else if (strcmp(action, "hold") == 0)
		target = "held";
	else if (strcmp(action, "decline") == 0)
		target = "declined";
	else
		return tp_fail(r, TP_EINVAL, "action",
		               _("Decision must be approve, hold or decline"));
	if (strcmp(action, "approve") != 0 && (note == NULL || *note == '\0'))
		return tp_fail(
		    r, TP_EINVAL, "note",
		    _("Say why the lines are %s (the partner sees it)"),
		    target);
	if (ps != NULL && *ps != '\0' &&
	    (tp_parse_i64(ps, &partner) != TP_OK || partner <= 0))
		return tp_fail(r, TP_EINVAL, "partner",
		               _("Partner must be an id"));
	if (n == 0 && partner == 0)
		return tp_fail(r, TP_EINVAL, "lines",
		               _("Choose the lines to decide on"));
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;

	if (partner != 0) {
		/* every approvable line of the partner (the core checked it
		 * lies in the brand) */
		rc =
		    tp_db_query(db, r, &rs,
		                "SELECT id FROM commission_lines WHERE "
		                "tenant_id = ? AND partner_id = ? AND status = "
		                "'approvable' ORDER BY id FOR UPDATE",
		                "II", (int64_t)tp_tenant_id(r), partner);
		if (rc != TP_OK)
			goto fail;
		size_t m = tp_rows_count(rs);
		int64_t *all = tp_alloc(r, (n + m + 1) * sizeof(*all));
		memcpy(all, ids, n * sizeof(*ids));
		for (size_t i = 0; i < m; i++)
			all[n + i] = tp_rows_i64(rs, i, 0);
		ids = all;
		n += m;
		if (n == 0) {
			rc = tp_fail(r, TP_EINVAL, "partner",
			             _("That partner has no approvable lines"));
			goto fail;
		}
	}
	unsigned changed = 0;
	if ((rc = cms_lines_apply(r, ids, n, action, note, &changed)) != TP_OK)
		goto fail;
	json_object *d = json_object_new_object();
	json_object *list = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(list, json_object_new_int64(ids[i]));
	json_object_object_add(d, "lines", list);
	tp_json_add_str(d, "note", note);
	tp_json_add_i64(d, "changed", changed);
	tp_audit_log(r, tp_printf(r, "commissions.lines_%s", action),
	             "commission_line", n == 1 ? ids[0] : 0, d);
	if ((rc = tp_db_commit(db)) != TP_OK)
		goto fail;
	json_object *res = json_object_new_object();
	tp_json_add_str(res, "status", target);
	tp_json_add_i64(res, "lines", (int64_t)n);
	tp_json_add_i64(res, "changed", changed);
	const char *back = tp_form(r, "back");
	return tp_answer(r, res,
	                 back && strncmp(back, "/commissions/", 13) == 0
	                     ? back
	                     : "/commissions/lines",
	                 200);
fail:
	tp_db_rollback(db);
	return rc;
}
