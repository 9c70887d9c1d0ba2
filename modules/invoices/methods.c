/*
 * methods.c -- a customer's payment methods and autopay, and the payments
 * page that shows them: cards by the gateway's token (brand, last four,
 * expiry: never a number or a CVV), bank accounts with the number sealed
 * by the key store and shown masked, the brand's rules (may a customer
 * remove a method, leave autopay; bank autopay only with the signed
 * authorisation an operator records), "Mail a payment". A bank account
 * number is never logged, audited, cached or shown.
 */
#include "pay.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t pay_account(tp_req *r)
{
	int64_t id = tp_param_id(r, "account");
	return id != 0 ? id : (int64_t)tp_scope_account_root(r);
}

const char *pay_base(tp_req *r, int64_t account)
{
	return tp_param_id(r, "account") != 0
	           ? tp_printf(r, "/accounts/%lld", (long long)account)
	           : "/billing";
}

const char *pay_method_label(tp_req *r, const char *kind, const char *brand,
                             const char *last4, const char *month,
                             const char *year)
{
	if (strcmp(kind, "ach") == 0)
		return tp_printf(r,
		                 _("Bank account \xe2\x80\xa2\xe2\x80\xa2\xe2"
		                   "\x80\xa2\xe2\x80\xa2 %s"),
		                 last4);
	return tp_printf(r,
	                 "%s \xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2 "
	                 "%s (%s/%s)",
	                 brand && *brand ? brand : _("Card"), last4,
	                 month ? month : "", year ? year : "");
}

tp_rc pay_rules_get(tp_req *r, struct pay_rules *out)
{
	tp_rows *rs;
	memset(out, 0, sizeof(*out));
	out->can_delete_methods = out->can_leave_autopay = true;
	const char *days = "1,3,7";
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT can_delete_methods, can_leave_autopay, "
	                       "block_prepaid_at_zero, dunning_days FROM "
	                       "payment_settings WHERE tenant_id = ?",
	                       "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) > 0) {
		out->can_delete_methods = tp_rows_i64(rs, 0, 0) != 0;
		out->can_leave_autopay = tp_rows_i64(rs, 0, 1) != 0;
		out->block_prepaid_at_zero = tp_rows_i64(rs, 0, 2) != 0;
		days = tp_rows_get(rs, 0, 3);
	}
	for (const char *p = days; *p && out->n_dunning < 8;) {
		char *end;
		long d = strtol(p, &end, 10);
		if (end == p)
			break;
		if (d > 0 && d < 366)
			out->dunning[out->n_dunning++] = (int)d;
		p = *end == ',' ? end + 1 : end;
	}
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* the payments page                                                    */

static tp_rc page_view(tp_req *r, int64_t account)
{
	tp_db *db = tp_req_db(r);
	json_object *v = tp_view(r);
	tp_rows *a, *ms, *iv, *ps, *br;
	struct pay_rules rules;
	tp_rc rc = tp_db_query(
	    db, r, &a,
	    "SELECT a.number, a.name, a.currency, a.balance, a.billing_type "
	    "= 'prepaid', IFNULL(pp.autopay_method_id, 0), "
	    "a.ach_authorised, pp.low_balance_threshold, "
	    "IFNULL(pp.dunning_step, 0) FROM accounts a LEFT JOIN "
	    "payment_profiles pp ON pp.account_id = a.id WHERE a.id = ? AND "
	    "a.tenant_id = ?",
	    "II", account, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(a) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such account"));
	if ((rc = pay_rules_get(r, &rules)) != TP_OK)
		return rc;
	const char *ccy = tp_rows_get(a, 0, 2);
	bool prepaid = tp_rows_i64(a, 0, 4) != 0;
	int64_t autopay = tp_rows_i64(a, 0, 5);
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(account));
	tp_json_add_str(o, "number", tp_rows_get(a, 0, 0));
	tp_json_add_str(o, "name", tp_rows_get(a, 0, 1));
	tp_json_add_str(o, "currency", ccy);
	tp_json_add_money(r, o, "balance", tp_rows_i64(a, 0, 3), ccy);
	tp_json_add_str(
	    o, "balance_words",
	    tp_balance_words(r, tp_rows_i64(a, 0, 3), ccy, prepaid));
	json_object_object_add(o, "prepaid", json_object_new_boolean(prepaid));
	json_object_object_add(
	    o, "ach_authorised",
	    json_object_new_boolean(tp_rows_i64(a, 0, 6) != 0));
	if (tp_rows_get(a, 0, 7) != NULL)
		tp_json_add_money(r, o, "low_balance_threshold",
		                  tp_rows_i64(a, 0, 7), ccy);
	json_object_object_add(v, "account", o);
	tp_json_add_str(v, "base", pay_base(r, account));
	json_object_object_add(
	    v, "operator", json_object_new_boolean(tp_scope_is_operator(r)));
	json_object_object_add(
	    v, "can_delete_methods",
	    json_object_new_boolean(rules.can_delete_methods ||
	                            tp_scope_is_operator(r)));
	json_object_object_add(
	    v, "can_leave_autopay",
	    json_object_new_boolean(rules.can_leave_autopay ||
	                            tp_scope_is_operator(r)));

	rc = tp_db_query(db, r, &ms,
	                 "SELECT id, kind, IFNULL(card_brand, ''), last4, "
	                 "IFNULL(exp_month, ''), IFNULL(exp_year, ''), holder "
	                 "FROM payment_methods WHERE account_id = ? AND "
	                 "status = 'active' ORDER BY id",
	                 "I", account);
	if (rc != TP_OK)
		return rc;
	json_object *list = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(ms); i++) {
		json_object *m = json_object_new_object();
		int64_t id = tp_rows_i64(ms, i, 0);
		json_object_object_add(m, "id", json_object_new_int64(id));
		tp_json_add_str(m, "kind", tp_rows_get(ms, i, 1));
		tp_json_add_str(m, "label",
		                pay_method_label(r, tp_rows_get(ms, i, 1),
		                                 tp_rows_get(ms, i, 2),
		                                 tp_rows_get(ms, i, 3),
		                                 tp_rows_get(ms, i, 4),
		                                 tp_rows_get(ms, i, 5)));
		tp_json_add_str(m, "holder", tp_rows_get(ms, i, 6));
		json_object_object_add(m, "autopay",
		                       json_object_new_boolean(id == autopay));
		if (id == autopay) {
			json_object *ap = json_object_new_object();
			json_object_object_add(ap, "method_id",
			                       json_object_new_int64(id));
			tp_json_add_str(
			    ap, "label",
			    json_object_get_string(
			        json_object_object_get(m, "label")));
			json_object_object_add(v, "autopay", ap);
		}
		json_object_array_add(list, m);
	}
	json_object_object_add(v, "methods", list);

	rc = tp_db_query(db, r, &iv,
	                 "SELECT i.id, i.number, i.total - i.credited - "
	                 "i.paid - i.disputed, IFNULL(i.due_date, '') FROM "
	                 "invoices i WHERE i.account_id = ? AND i.kind = "
	                 "'invoice' AND i.status = 'issued' AND i.total - "
	                 "i.credited - i.paid - i.disputed > 0 ORDER BY "
	                 "i.due_date, i.id",
	                 "I", account);
	if (rc != TP_OK)
		return rc;
	list = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(iv); i++) {
		json_object *m = json_object_new_object();
		json_object_object_add(
		    m, "id", json_object_new_int64(tp_rows_i64(iv, i, 0)));
		tp_json_add_str(m, "number", tp_rows_get(iv, i, 1));
		tp_json_add_money(r, m, "open", tp_rows_i64(iv, i, 2), ccy);
		tp_json_add_str(m, "due_date", tp_rows_get(iv, i, 3));
		json_object_array_add(list, m);
	}
	json_object_object_add(v, "open_invoices", list);

	rc = tp_db_query(
	    db, r, &ps,
	    "SELECT p.id, IFNULL(p.number, ''), DATE(p.created_at), p.amount, "
	    "p.refunded, p.status, p.method, IFNULL(m.kind, p.method), "
	    "IFNULL(m.card_brand, ''), IFNULL(m.last4, ''), "
	    "IFNULL(m.exp_month, ''), IFNULL(m.exp_year, ''), p.source, "
	    "IFNULL(p.decline_reason, '') FROM payments p LEFT JOIN "
	    "payment_methods m ON m.id = p.method_id WHERE p.account_id = ? "
	    "ORDER BY p.id DESC LIMIT 50",
	    "I", account);
	if (rc != TP_OK)
		return rc;
	list = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(ps); i++) {
		json_object *m = json_object_new_object();
		json_object_object_add(
		    m, "id", json_object_new_int64(tp_rows_i64(ps, i, 0)));
		tp_json_add_str(m, "number", tp_rows_get(ps, i, 1));
		tp_json_add_str(m, "date", tp_rows_get(ps, i, 2));
		tp_json_add_money(r, m, "amount", tp_rows_i64(ps, i, 3), ccy);
		if (tp_rows_i64(ps, i, 4) != 0)
			tp_json_add_money(r, m, "refunded",
			                  tp_rows_i64(ps, i, 4), ccy);
		tp_json_add_str(m, "status", tp_rows_get(ps, i, 5));
		tp_json_add_str(m, "status_label",
		                inv_state_label(tp_rows_get(ps, i, 5)));
		tp_json_add_str(m, "method", tp_rows_get(ps, i, 6));
		tp_json_add_str(m, "method_label",
		                *tp_rows_get(ps, i, 9)
		                    ? pay_method_label(r, tp_rows_get(ps, i, 7),
		                                       tp_rows_get(ps, i, 8),
		                                       tp_rows_get(ps, i, 9),
		                                       tp_rows_get(ps, i, 10),
		                                       tp_rows_get(ps, i, 11))
		                    : tp_rows_get(ps, i, 6));
		tp_json_add_str(m, "source", tp_rows_get(ps, i, 12));
		tp_json_add_str(m, "decline_reason", tp_rows_get(ps, i, 13));
		json_object_array_add(list, m);
	}
	json_object_object_add(v, "payments", list);

	/* "Mail a payment": the brand's payment address */
	rc = tp_db_query(db, r, &br,
	                 "SELECT IFNULL(payment_address, '') FROM tenants "
	                 "WHERE id = ?",
	                 "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(br) > 0 && *tp_rows_get(br, 0, 0))
		tp_json_add_str(v, "payment_address", tp_rows_get(br, 0, 0));
	const char *s;
	tp_json_add_str(v, "amount", (s = tp_form(r, "amount")) ? s : "");
	tp_form_idem_key(r, v);
	tp_view_title(r, _("Payments"));
	return TP_OK;
}

tp_rc pay_page(tp_req *r)
{
	int64_t account = pay_account(r);
	if (account == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	return page_view(r, account);
}

/* the page again with the error (a browser's form); the API gets the
 * error alone */
tp_rc pay_again(tp_req *r, tp_rc rc, int64_t account)
{
	if ((rc == TP_EINVAL || rc == TP_ECONFLICT || rc == TP_EPERM) &&
	    !tp_wants_json(r))
		page_view(r, account);
	return rc;
}

/* ------------------------------------------------------------------ */
/* adding and removing a method                                         */

static bool digits(const char *s, size_t min, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool token_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 5 || n > 64 || strncmp(s, "tok_", 4) != 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* a card's fields: the gateway's token and what it says of the card */
static tp_rc card_fields(tp_req *r, const char **token, const char **brand,
                         const char **last4, int64_t *month, int64_t *year)
{
	const char *ms, *ys;
	tp_rc rc;
	if ((rc = tp_field_text(r, "token", _("Card token"), 64, 1, token)) !=
	        TP_OK ||
	    (rc = tp_field_text(r, "card_brand", _("Card brand"), 16, 1,
	                        brand)) != TP_OK ||
	    (rc = tp_field_text(r, "last4", _("Last four digits"), 4, 1,
	                        last4)) != TP_OK ||
	    (rc = tp_field_text(r, "exp_month", _("Expiry month"), 2, 1,
	                        &ms)) != TP_OK ||
	    (rc = tp_field_text(r, "exp_year", _("Expiry year"), 4, 1, &ys)) !=
	        TP_OK)
		return rc;
	if (!token_ok(*token))
		return tp_fail(
		    r, TP_EINVAL, "token",
		    _("Card token must be the gateway's token (tok_...)"));
	if (!digits(*last4, 4, 4))
		return tp_fail(r, TP_EINVAL, "last4",
		               _("Last four digits must be four digits"));
	if (tp_parse_i64(ms, month) != TP_OK || *month < 1 || *month > 12)
		return tp_fail(r, TP_EINVAL, "exp_month",
		               _("Expiry month must be 1 to 12"));
	int y, m;
	inv_civil(tp_brand_day(r), &y, &m, &(int){0});
	if (tp_parse_i64(ys, year) != TP_OK || *year < y ||
	    (*year == y && *month < m))
		return tp_fail(r, TP_EINVAL, "exp_year",
		               _("Expiry must not be in the past"));
	if (*year > y + 30)
		return tp_fail(r, TP_EINVAL, "exp_year",
		               _("Expiry year is too far ahead for a card"));
	return TP_OK;
}

tp_rc pay_method_add(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	int64_t account = pay_account(r), month = 0, year = 0;
	const char *kind, *holder, *token = NULL, *brand = NULL, *last4 = NULL,
	                           *routing = NULL, *number = NULL;
	char *sealed = NULL;
	tp_rc rc;

	if (account == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	/* a card number or its code never reaches us: the gateway's form
	 * takes them and gives a token */
	static const char *const never[] = {"card_number", "cvv", "cvc", "pan",
	                                    NULL};
	for (unsigned i = 0; never[i]; i++) {
		const char *s = NULL;
		if (tp_input(r, never[i], &s) != TP_OK || (s && *s))
			return pay_again(
			    r,
			    tp_fail(
			        r, TP_EINVAL, never[i],
			        _("is never sent here: the card is given to "
			          "the payment gateway, which sends a token")),
			    account);
	}
	if ((rc = tp_field_text(r, "kind", _("Kind"), 8, 1, &kind)) != TP_OK ||
	    (rc = tp_field_text(r, "holder", _("Holder"), 128, 0, &holder)) !=
	        TP_OK)
		return pay_again(r, rc, account);
	if (strcmp(kind, "card") == 0) {
		rc = card_fields(r, &token, &brand, &last4, &month, &year);
	} else if (strcmp(kind, "ach") == 0) {
		if ((rc = tp_field_text(r, "routing", _("Routing number"), 9, 1,
		                        &routing)) == TP_OK &&
		    !digits(routing, 9, 9))
			rc = tp_fail(r, TP_EINVAL, "routing",
			             _("Routing number must be nine digits"));
		if (rc == TP_OK &&
		    (tp_input(r, "account_number", &number) != TP_OK ||
		     !digits(number, 4, 17)))
			rc =
			    tp_fail(r, TP_EINVAL, "account_number",
			            _("Account number must be 4 to 17 digits"));
		if (rc == TP_OK) {
			size_t n = strlen(number), cap = TP_SEALED_LEN(n);
			sealed = tp_alloc(r, cap);
			last4 = tp_strdup(r, number + n - 4);
			if (tp_seal(number, n, sealed, cap) != TP_OK)
				return tp_fail(
				    r, TP_EUNAVAIL, NULL,
				    _("the key store is not available"));
		}
	} else {
		rc = tp_fail(r, TP_EINVAL, "kind",
		             _("Kind must be card or ach"));
	}
	if (rc != TP_OK)
		return pay_again(r, rc, account);
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_exec(db, NULL,
	                "INSERT INTO payment_methods (tenant_id, partner_id, "
	                "account_id, kind, holder, token, card_brand, last4, "
	                "exp_month, exp_year, routing, account_sealed) SELECT "
	                "tenant_id, partner_id, id, ?, ?, ?, ?, ?, NULLIF(?, "
	                "0), NULLIF(?, 0), ?, ? FROM accounts WHERE id = ?",
	                "sssssIIssI", kind, holder, token, brand, last4, month,
	                year, routing, sealed, account);
	uint64_t id = rc == TP_OK ? tp_db_last_id(db) : 0;
	if (rc == TP_OK) {
		/* what was added, never the number */
		json_object *d = json_object_new_object();
		tp_json_add_str(d, "kind", kind);
		tp_json_add_str(d, "last4", last4);
		tp_audit_log(r, "payment_method.add", "account", account, d);
		rc = pay_dunning_reset(r, (uint64_t)account);
	}
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	if (rc != TP_OK) {
		tp_db_rollback(db);
		return rc;
	}
	json_object *res = json_object_new_object();
	json_object_object_add(res, "method_id",
	                       json_object_new_int64((int64_t)id));
	tp_json_add_str(
	    res, "label",
	    pay_method_label(r, kind, brand, last4,
	                     tp_printf(r, "%lld", (long long)month),
	                     tp_printf(r, "%lld", (long long)year)));
	return tp_answer(
	    r, res, tp_printf(r, "%s/payments", pay_base(r, account)), 201);
}

/* the method of the path or field, an active one of account */
static tp_rc own_method(tp_req *r, int64_t account, int64_t method,
                        const char *field, const char **kind)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT kind FROM payment_methods WHERE id = ? "
	                       "AND account_id = ? AND status = 'active'",
	                       "II", method, account);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, field,
		               _("no such payment method on this account"));
	if (kind)
		*kind = tp_rows_get(rs, 0, 0);
	return TP_OK;
}

tp_rc pay_method_remove(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	int64_t account = pay_account(r), method = tp_param_id(r, "method");
	struct pay_rules rules;
	tp_rows *rs;
	tp_rc rc;

	if (account == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	if ((rc = own_method(r, account, method, NULL, NULL)) != TP_OK ||
	    (rc = pay_rules_get(r, &rules)) != TP_OK)
		return rc;
	if (!rules.can_delete_methods && !tp_scope_is_operator(r))
		return pay_again(
		    r,
		    tp_fail(r, TP_EPERM, "method",
		            _("Your provider does not let you remove "
		              "a payment method: ask them to")),
		    account);
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_query(db, r, &rs,
	                 "SELECT 1 FROM payment_profiles WHERE account_id = ? "
	                 "AND autopay_method_id = ? FOR UPDATE",
	                 "II", account, method);
	if (rc == TP_OK && tp_rows_count(rs) > 0)
		rc = tp_fail(r, TP_ECONFLICT, "method",
		             _("This method pays automatically: choose another "
		               "for autopay, or leave autopay, first"));
	if (rc == TP_OK)
		rc = tp_db_exec(
		    db, NULL,
		    "UPDATE payment_methods SET status = 'removed', "
		    "removed_at = FROM_UNIXTIME(?), account_sealed = "
		    "NULL, token = NULL WHERE id = ?",
		    "II", tp_now(), method);
	if (rc == TP_OK) {
		tp_audit_log(r, "payment_method.remove", "payment_method",
		             method, NULL);
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK) {
		tp_db_rollback(db);
		return pay_again(r, rc, account);
	}
	json_object *res = json_object_new_object();
	json_object_object_add(res, "method_id", json_object_new_int64(method));
	tp_json_add_str(res, "status", "removed");
	return tp_answer(
	    r, res, tp_printf(r, "%s/payments", pay_base(r, account)), 200);
}

/* ------------------------------------------------------------------ */
/* autopay: enrol, change (method_id), leave (method_id empty)          */

tp_rc pay_autopay_post(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	int64_t account = pay_account(r), method = 0;
	struct pay_rules rules;
	const char *ms, *kind = NULL;
	tp_rows *rs;
	tp_rc rc;

	if (account == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	if ((rc = tp_field_text(r, "method_id", _("Method"), 20, 0, &ms)) !=
	    TP_OK)
		return pay_again(r, rc, account);
	if (*ms && (tp_parse_i64(ms, &method) != TP_OK || method <= 0))
		return pay_again(
		    r,
		    tp_fail(r, TP_EINVAL, "method_id",
		            _("Method must be one of your methods")),
		    account);
	if ((rc = pay_rules_get(r, &rules)) != TP_OK)
		return rc;
	if (method != 0 &&
	    (rc = own_method(r, account, method, "method_id", &kind)) != TP_OK)
		return pay_again(r, rc, account);
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_exec(db, NULL,
	                "INSERT INTO payment_profiles (account_id, tenant_id) "
	                "VALUES (?, ?) ON DUPLICATE KEY UPDATE account_id = "
	                "account_id",
	                "II", account, (int64_t)tp_tenant_id(r));
	if (rc == TP_OK)
		rc =
		    tp_db_query(db, r, &rs,
		                "SELECT IFNULL(pp.autopay_method_id, 0), "
		                "a.ach_authorised FROM payment_profiles pp "
		                "JOIN accounts a ON a.id = pp.account_id WHERE "
		                "pp.account_id = ? FOR UPDATE",
		                "I", account);
	if (rc == TP_OK && method == 0 && tp_rows_i64(rs, 0, 0) != 0 &&
	    !rules.can_leave_autopay && !tp_scope_is_operator(r))
		rc = tp_fail(r, TP_EPERM, "method_id",
		             _("Your provider does not let you leave automatic "
		               "payments: ask them to"));
	if (rc == TP_OK && kind != NULL && strcmp(kind, "ach") == 0 &&
	    tp_rows_i64(rs, 0, 1) == 0)
		rc = tp_fail(
		    r, TP_EINVAL, "method_id",
		    _("A bank account pays automatically only with a "
		      "signed authorisation on file: ask your provider"));
	if (rc == TP_OK)
		rc = tp_db_exec(db, NULL,
		                "UPDATE payment_profiles SET autopay_method_id "
		                "= NULLIF(?, 0) WHERE account_id = ?",
		                "II", method, account);
	if (rc == TP_OK)
		rc = pay_dunning_reset(r, (uint64_t)account);
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		json_object_object_add(d, "method_id",
		                       json_object_new_int64(method));
		tp_audit_log(r, method ? "autopay.set" : "autopay.leave",
		             "account", account, d);
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK) {
		tp_db_rollback(db);
		return pay_again(r, rc, account);
	}
	json_object *res = json_object_new_object();
	json_object_object_add(res, "autopay_method_id",
	                       json_object_new_int64(method));
	return tp_answer(
	    r, res, tp_printf(r, "%s/payments", pay_base(r, account)), 200);
}

/* an operator records (or withdraws) the customer's signed bank
 * authorisation, which bank autopay needs; withdrawn, a bank autopay
 * stops */
tp_rc pay_ach_authorise(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	int64_t account = tp_param_id(r, "account");
	const char *s;
	tp_who w;
	tp_rc rc;

	tp_who_get(r, &w);
	if ((rc = tp_field_text(r, "authorised", _("Authorised"), 1, 1, &s)) !=
	        TP_OK ||
	    (strcmp(s, "0") != 0 && strcmp(s, "1") != 0))
		return rc != TP_OK ? rc
		                   : tp_fail(r, TP_EINVAL, "authorised",
		                             _("Authorised must be 1 or 0"));
	bool on = *s == '1';
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	/* the core's flag on the account (sql/017) */
	rc = tp_db_exec(db, NULL,
	                "UPDATE accounts SET ach_authorised = ?, "
	                "ach_authorised_by = ?, ach_authorised_at = IF(?, "
	                "NOW(), NULL) WHERE id = ? AND tenant_id = ?",
	                "iIiII", on ? 1 : 0, (int64_t)w.user_id, on ? 1 : 0,
	                account, (int64_t)tp_tenant_id(r));
	if (rc == TP_OK && !on)
		rc = tp_db_exec(db, NULL,
		                "UPDATE payment_profiles pp JOIN "
		                "payment_methods m ON m.id = "
		                "pp.autopay_method_id SET pp.autopay_method_id "
		                "= NULL WHERE pp.account_id = ? AND m.kind = "
		                "'ach'",
		                "I", account);
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		json_object_object_add(d, "authorised",
		                       json_object_new_boolean(on));
		tp_audit_log(r, "autopay.ach_authorisation", "account", account,
		             d);
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK) {
		tp_db_rollback(db);
		return rc;
	}
	json_object *res = json_object_new_object();
	json_object_object_add(res, "ach_authorised",
	                       json_object_new_boolean(on));
	return tp_answer(
	    r, res, tp_printf(r, "/accounts/%lld/payments", (long long)account),
	    200);
}

/* ------------------------------------------------------------------ */
/* the permission matrix's rows (tierportctl fixture KIND): a card of
 * the account given, and a declined payment from it (no money moved) */

tp_rc pay_fixture_method(tp_req *ctx, uint64_t partner_id, uint64_t account_id,
                         int64_t *id)
{
	(void)partner_id;
	tp_rc rc = tp_db_exec(tp_req_db(ctx), NULL,
	                      "INSERT INTO payment_methods (tenant_id, "
	                      "partner_id, account_id, kind, token, "
	                      "card_brand, last4, exp_month, exp_year) SELECT "
	                      "tenant_id, partner_id, id, 'card', 'tok_ok', "
	                      "'Visa', '4242', 12, 2099 FROM accounts WHERE id "
	                      "= ?",
	                      "I", (int64_t)account_id);
	*id = (int64_t)tp_db_last_id(tp_req_db(ctx));
	return rc;
}

tp_rc pay_fixture_payment(tp_req *ctx, uint64_t partner_id, uint64_t account_id,
                          int64_t *id)
{
	int64_t method = 0;
	tp_rc rc = pay_fixture_method(ctx, partner_id, account_id, &method);
	if (rc == TP_OK)
		rc = tp_db_exec(
		    tp_req_db(ctx), NULL,
		    "INSERT INTO payments (tenant_id, partner_id, "
		    "account_id, status, method, method_id, "
		    "debit_account, amount, currency, "
		    "decline_reason, idem_key) SELECT tenant_id, "
		    "partner_id, id, 'declined', 'card', ?, "
		    "'gateway.clearing', 10000, currency, 'fixture', "
		    "CONCAT('fixture:', ?) FROM accounts WHERE id = ?",
		    "III", method, method, (int64_t)account_id);
	*id = (int64_t)tp_db_last_id(tp_req_db(ctx));
	return rc;
}

/* ------------------------------------------------------------------ */
/* the brand's payment rules (operators): GET and POST                  */

static tp_rc rules_view(tp_req *r)
{
	struct pay_rules rules;
	json_object *v = tp_view(r);
	tp_rc rc = pay_rules_get(r, &rules);
	if (rc != TP_OK)
		return rc;
	json_object *o = json_object_new_object();
	json_object_object_add(
	    o, "can_delete_methods",
	    json_object_new_boolean(rules.can_delete_methods));
	json_object_object_add(
	    o, "can_leave_autopay",
	    json_object_new_boolean(rules.can_leave_autopay));
	json_object_object_add(
	    o, "block_prepaid_at_zero",
	    json_object_new_boolean(rules.block_prepaid_at_zero));
	char days[64] = "";
	for (unsigned i = 0, n = 0; i < rules.n_dunning; i++)
		n += (unsigned)snprintf(days + n, sizeof(days) - n, "%s%d",
		                        i ? "," : "", rules.dunning[i]);
	tp_json_add_str(o, "dunning_days", days);
	json_object_object_add(v, "rules", o);
	tp_view_title(r, _("Payment rules"));
	return TP_OK;
}

tp_rc pay_rules_page(tp_req *r)
{
	return rules_view(r);
}

/* "1,3,7": up to eight retry days, rising, 1..365 */
static bool dunning_ok(const char *s)
{
	int last = 0, n = 0;
	if (*s == '\0')
		return true;
	for (const char *p = s;;) {
		char *end;
		long d = strtol(p, &end, 10);
		if (end == p || d <= last || d > 365 || ++n > 8)
			return false;
		last = (int)d;
		if (*end == '\0')
			return true;
		if (*end != ',')
			return false;
		p = end + 1;
	}
}

tp_rc pay_rules_post(tp_req *r)
{
	const char *days, *s;
	bool flag[3];
	static const char *const keys[] = {
	    "can_delete_methods", "can_leave_autopay", "block_prepaid_at_zero"};
	tp_rc rc =
	    tp_field_text(r, "dunning_days", _("Dunning days"), 63, 0, &days);
	if (rc == TP_OK && !dunning_ok(days))
		rc = tp_fail(
		    r, TP_EINVAL, "dunning_days",
		    _("Dunning days must be rising days after the first "
		      "decline, like 1,3,7 (at most eight, up to 365)"));
	for (unsigned i = 0; rc == TP_OK && i < 3; i++) {
		if ((rc = tp_input(r, keys[i], &s)) != TP_OK)
			break;
		flag[i] = s != NULL && strcmp(s, "1") == 0;
		if (s != NULL && *s && strcmp(s, "1") && strcmp(s, "0"))
			rc =
			    tp_fail(r, TP_EINVAL, keys[i], _("must be 1 or 0"));
	}
	if (rc != TP_OK) {
		if (!tp_wants_json(r))
			rules_view(r);
		return rc;
	}
	rc = tp_db_exec(tp_req_db(r), NULL,
	                "INSERT INTO payment_settings (tenant_id, "
	                "can_delete_methods, can_leave_autopay, "
	                "block_prepaid_at_zero, dunning_days) VALUES (?, ?, ?, "
	                "?, ?) ON DUPLICATE KEY UPDATE can_delete_methods = "
	                "VALUES(can_delete_methods), can_leave_autopay = "
	                "VALUES(can_leave_autopay), block_prepaid_at_zero = "
	                "VALUES(block_prepaid_at_zero), dunning_days = "
	                "VALUES(dunning_days)",
	                "Iiiis", (int64_t)tp_tenant_id(r), flag[0] ? 1 : 0,
	                flag[1] ? 1 : 0, flag[2] ? 1 : 0, days);
	if (rc != TP_OK)
		return rc;
	json_object *d = json_object_new_object();
	tp_json_add_str(d, "dunning_days", days);
	for (unsigned i = 0; i < 3; i++)
		json_object_object_add(d, keys[i],
		                       json_object_new_boolean(flag[i]));
	tp_audit_log(r, "billing.payment_rules", "tenant",
	             (int64_t)tp_tenant_id(r), d);
	rules_view(r);
	return tp_answer(r, NULL, "/billing/payment-rules", 200);
}
