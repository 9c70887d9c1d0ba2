/*
 * details.c -- a partner's payout bank details, on a page of its own
 * (GET/POST /commissions/payout-details): holder, routing number, account
 * number, account type. The account number is sealed by the key store
 * (tp_seal) the moment it arrives and only ever shown masked ("•••• 6789");
 * it is opened only for a payout provider's call (payout.c). Every change
 * is audited -- never with the number -- and is 'pending' until one of the
 * partner's admins opens the link mailed to them and confirms it; payouts
 * use the newest confirmed details only, so details entered by someone
 * who took over a login pay nothing without the mailbox too.
 */
#include "payout.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define MASK "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2 " /* •••• */

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

/* an ABA routing number: nine digits whose weighted sum (3 7 1 ...) is a
 * multiple of ten */
static bool routing_ok(const char *s)
{
	static const int w[9] = {3, 7, 1, 3, 7, 1, 3, 7, 1};
	int sum = 0;
	if (!digits(s, 9, 9))
		return false;
	for (int i = 0; i < 9; i++)
		sum += w[i] * (s[i] - '0');
	return sum % 10 == 0;
}

tp_rc cms_details_confirmed(tp_req *r, uint64_t partner, uint64_t *id)
{
	tp_rows *rs;
	tp_rc rc =
	    tp_db_query(tp_req_db(r), r, &rs,
	                "SELECT id FROM commission_payout_details WHERE "
	                "tenant_id = ? AND partner_id = ? AND status = "
	                "'confirmed' ORDER BY id DESC LIMIT 1",
	                "II", (int64_t)tp_tenant_id(r), (int64_t)partner);
	*id = rc == TP_OK && tp_rows_count(rs) > 0
	          ? (uint64_t)tp_rows_i64(rs, 0, 0)
	          : 0;
	return rc;
}

/* the partner whose details these are: the partner login's own; 0 for
 * anyone else, a parent viewing as its sub-partner too (it would send the
 * sub's payouts where it likes) */
static uint64_t details_partner(tp_req *r)
{
	tp_who w;
	tp_who_get(r, &w);
	uint64_t root = tp_scope_partner_root(r);
	return root != 0 && root == w.partner_id ? root : 0;
}

static json_object *details_json(tp_req *r, tp_rows *rs, size_t i)
{
	json_object *o = json_object_new_object();
	tp_json_add_i64(o, "id", tp_rows_i64(rs, i, 0));
	tp_json_add_str(o, "holder", tp_rows_get(rs, i, 1));
	tp_json_add_str(o, "routing", tp_rows_get(rs, i, 2));
	tp_json_add_str(o, "account",
	                tp_printf(r, MASK "%s", tp_rows_get(rs, i, 3)));
	tp_json_add_str(o, "account_type", tp_rows_get(rs, i, 4));
	tp_json_add_str(o, "account_type_label",
	                cms_state_label(tp_rows_get(rs, i, 4)));
	tp_json_add_str(o, "status", tp_rows_get(rs, i, 5));
	tp_json_add_str(o, "status_label",
	                cms_state_label(tp_rows_get(rs, i, 5)));
	tp_json_add_str(o, "created_at", tp_rows_get(rs, i, 6));
	tp_json_add_str(o, "confirmed_at", tp_rows_get(rs, i, 7));
	/* for people: in the viewer's zone (the API's stay UTC) */
	tp_json_add_str(o, "created_at_text",
	                tp_time_text(r, tp_rows_get(rs, i, 6), 0));
	tp_json_add_str(o, "confirmed_at_text",
	                tp_time_text(r, tp_rows_get(rs, i, 7), 0));
	return o;
}

static tp_rc details_view(tp_req *r, uint64_t partner)
{
	json_object *v = tp_view(r);
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    "SELECT id, holder, routing, last4, account_type, status, "
	    "DATE_FORMAT(created_at, '%Y-%m-%d %H:%i'), "
	    "IFNULL(DATE_FORMAT(confirmed_at, '%Y-%m-%d %H:%i'), '') FROM "
	    "commission_payout_details WHERE tenant_id = ? AND partner_id = ? "
	    "ORDER BY id DESC LIMIT 20",
	    "II", (int64_t)tp_tenant_id(r), (int64_t)partner);
	if (rc != TP_OK)
		return rc;
	json_object *hist = json_object_new_array();
	bool cur = false, pend = false;
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		const char *st = tp_rows_get(rs, i, 5);
		if (!cur && strcmp(st, "confirmed") == 0) {
			json_object_object_add(v, "current",
			                       details_json(r, rs, i));
			cur = true;
		}
		if (!pend && strcmp(st, "pending") == 0) {
			json_object_object_add(v, "pending",
			                       details_json(r, rs, i));
			pend = true;
		}
		json_object_array_add(hist, details_json(r, rs, i));
	}
	json_object_object_add(v, "history", hist);
	/* what was typed comes back, never the account number */
	tp_json_add_str(v, "form_holder", tp_form(r, "holder"));
	tp_json_add_str(v, "form_routing", tp_form(r, "routing"));
	tp_view_title(r, _("Payout bank details"));
	return TP_OK;
}

tp_rc cms_details_page(tp_req *r)
{
	uint64_t partner = details_partner(r);
	if (partner == 0)
		return tp_fail(r, TP_ENOENT, NULL,
		               _("payout details are a partner's own page"));
	return details_view(r, partner);
}

/* the confirmation mail to each of the partner's active admins */
static tp_rc confirm_mail(tp_req *r, uint64_t partner, const char *token,
                          const char *last4)
{
	tp_rows *rs;
	tp_rc rc =
	    tp_db_query(tp_req_db(r), r, &rs,
	                "SELECT email FROM users WHERE tenant_id = ? "
	                "AND kind = 'partner' AND partner_id = ? AND "
	                "is_admin = 1 AND status = 'active' AND email "
	                "IS NOT NULL AND email <> '' ORDER BY id",
	                "II", (int64_t)tp_tenant_id(r), (int64_t)partner);
	if (rc != TP_OK)
		return rc;
	const char *link = tp_brand_url(
	    r, tp_printf(r, "/commissions/payout-details/confirm?token=%s",
	                 token));
	tp_who w;
	tp_who_get(r, &w);
	/* in the partner's language (its first admin's, else the brand's) */
	int old = tp_i18n_current(), lang = cms_partner_lang(r, partner);
	if (lang >= 0)
		tp_i18n_use(lang);
	for (size_t i = 0; rc == TP_OK && i < tp_rows_count(rs); i++)
		rc = tp_mail_queue(
		    r, tp_rows_get(rs, i, 0),
		    _("Confirm the new payout bank account"),
		    tp_printf(
		        r,
		        _("%s (%s) entered a new bank account for your "
		          "commission payouts: the account ending in %s.\n\n"
		          "Payouts go to it only once one of your admins "
		          "confirms it here:\n\n%s\n\nIf you did not expect "
		          "this, do not open the link, and tell your "
		          "provider: your payouts keep going to the account "
		          "confirmed before.\n"),
		        w.name, w.login, last4, link ? link : ""));
	tp_i18n_use(old);
	return rc;
}

/* In the open transaction: the partner's new details, the number sealed.
 * hash (the mailed link's token's SHA-256): 'pending', replacing one
 * still waiting; NULL: 'confirmed' at once, replacing every older one.
 * Audited with the number masked. */
static tp_rc details_write(tp_req *r, uint64_t partner, const char *holder,
                           const char *routing, const char *number,
                           const char *type, const unsigned char *hash,
                           uint64_t *id)
{
	tp_db *db = tp_req_db(r);
	size_t n = strlen(number), cap = TP_SEALED_LEN(n);
	char *sealed = tp_alloc(r, cap);
	const char *last4 = tp_strdup(r, number + n - 4);
	if (tp_seal(number, n, sealed, cap) != TP_OK)
		return tp_fail(r, TP_EUNAVAIL, NULL,
		               _("the key store is not available"));
	tp_rc rc = tp_db_exec(
	    db, NULL,
	    hash ? "UPDATE commission_payout_details SET status = "
	           "'replaced', confirm_hash = NULL WHERE tenant_id = ? AND "
	           "partner_id = ? AND status = 'pending'"
	         : "UPDATE commission_payout_details SET status = "
	           "'replaced', confirm_hash = NULL WHERE tenant_id = ? AND "
	           "partner_id = ? AND status <> 'replaced'",
	    "II", (int64_t)tp_tenant_id(r), (int64_t)partner);
	if (rc == TP_OK)
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT INTO commission_payout_details (tenant_id, "
		    "partner_id, holder, routing, account_sealed, last4, "
		    "account_type, status, confirm_hash, created_by, "
		    "created_at, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
		    "NULLIF(?, ''), NULLIF(?, 0), FROM_UNIXTIME(?), IF(? = "
		    "'confirmed', "
		    "FROM_UNIXTIME(?), NULL))",
		    "IIssssssbIIsI", (int64_t)tp_tenant_id(r), (int64_t)partner,
		    holder, routing, sealed, last4, type,
		    hash ? "pending" : "confirmed", hash, hash ? (size_t)32 : 0,
		    (int64_t)cms_user_id(r), tp_now(),
		    hash ? "pending" : "confirmed", tp_now());
	*id = rc == TP_OK ? tp_db_last_id(db) : 0;
	if (rc == TP_OK) {
		/* what changed, never the number */
		json_object *d = json_object_new_object();
		tp_json_add_str(d, "holder", holder);
		tp_json_add_str(d, "routing", routing);
		tp_json_add_str(d, "account", tp_printf(r, MASK "%s", last4));
		tp_json_add_str(d, "account_type", type);
		tp_json_add_i64(d, "partner", (int64_t)partner);
		tp_audit_log(r, "commission.payout_details",
		             "commission_payout_details", (int64_t)*id, d);
	}
	return rc;
}

tp_rc cms_details_post(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	uint64_t partner = details_partner(r);
	const char *holder, *routing, *type, *number = NULL;
	tp_rc rc;
	if (partner == 0)
		return tp_fail(r, TP_ENOENT, NULL,
		               _("payout details are a partner's own page"));
	if ((rc = tp_field_text(r, "holder", _("Account holder"), 128, 1,
	                        &holder)) != TP_OK ||
	    (rc = tp_field_text(r, "routing", _("Routing number"), 9, 1,
	                        &routing)) != TP_OK)
		goto again;
	if (!routing_ok(routing)) {
		rc = tp_fail(
		    r, TP_EINVAL, "routing",
		    _("Routing number must be the bank's nine-digit ABA "
		      "routing number"));
		goto again;
	}
	/* never tp_field_text: its message could quote the number */
	if (tp_input(r, "account_number", &number) != TP_OK ||
	    !digits(number, 4, 17)) {
		rc = tp_fail(r, TP_EINVAL, "account_number",
		             _("Account number must be 4 to 17 digits"));
		goto again;
	}
	if ((rc = tp_field_text(r, "account_type", _("Account type"), 16, 0,
	                        &type)) != TP_OK)
		goto again;
	if (*type == '\0')
		type = "checking";
	if (strcmp(type, "checking") != 0 && strcmp(type, "savings") != 0) {
		rc = tp_fail(r, TP_EINVAL, "account_type",
		             _("Account type must be checking or savings"));
		goto again;
	}
	const char *last4 = tp_strdup(r, number + strlen(number) - 4);
	/* the link's token goes in the mail only; its hash is kept */
	unsigned char raw[32], hash[crypto_hash_sha256_BYTES];
	char token[65];
	uint64_t id = 0;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, sizeof(token), raw, sizeof(raw));
	crypto_hash_sha256(hash, (const unsigned char *)token, 64);

	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc =
	    details_write(r, partner, holder, routing, number, type, hash, &id);
	if (rc == TP_OK)
		rc = confirm_mail(r, partner, token, last4);
	sodium_memzero(token, sizeof(token));
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	if (rc != TP_OK) {
		tp_db_rollback(db);
		goto again;
	}
	json_object *res = json_object_new_object();
	tp_json_add_i64(res, "details_id", (int64_t)id);
	tp_json_add_str(res, "status", "pending");
	tp_json_add_str(res, "account", tp_printf(r, MASK "%s", last4));
	tp_json_add_str(res, "message",
	                _("Saved: payouts go to this account once one of your "
	                  "admins confirms it by the link mailed to them."));
	return tp_answer(r, res, "/commissions/payout-details", 201);
again:
	if (rc == TP_EINVAL)
		details_view(r, partner);
	return rc;
}

tp_rc cms_details_set(tp_req *r, uint64_t partner, const char *holder,
                      const char *routing, const char *number,
                      const char *account_type, uint64_t *id)
{
	if (!routing_ok(routing) || !digits(number, 4, 17))
		return TP_EINVAL;
	return details_write(r, partner, holder, routing, number,
	                     account_type ? account_type : "checking", NULL,
	                     id);
}

/* GET /commissions/payout-details/confirm?token=: the mail's link shows
 * a button (a GET changes nothing: mail scanners open links) */
tp_rc cms_details_confirm_page(tp_req *r)
{
	const char *t = tp_query(r, "token");
	if (details_partner(r) == 0)
		return tp_fail(r, TP_ENOENT, NULL,
		               _("payout details are a partner's own page"));
	tp_json_add_str(tp_view(r), "token", t);
	tp_view_title(r, _("Confirm the payout bank account"));
	return TP_OK;
}

/* POST /commissions/payout-details/confirm {token} */
tp_rc cms_details_confirm(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	uint64_t partner = details_partner(r);
	const char *token;
	unsigned char hash[crypto_hash_sha256_BYTES];
	tp_rows *rs;
	tp_rc rc;
	if (partner == 0)
		return tp_fail(r, TP_ENOENT, NULL,
		               _("payout details are a partner's own page"));
	if ((rc = tp_field_text(r, "token", _("Token"), 64, 1, &token)) !=
	    TP_OK)
		return rc;
	crypto_hash_sha256(hash, (const unsigned char *)token, strlen(token));
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	/* the viewer's own partner's pending details only: another's
	 * token is a 404 like a wrong one */
	rc = tp_db_query(db, r, &rs,
	                 "SELECT id, last4 FROM commission_payout_details "
	                 "WHERE confirm_hash = ? AND tenant_id = ? AND "
	                 "partner_id = ? AND status = 'pending' FOR UPDATE",
	                 "bII", hash, sizeof(hash), (int64_t)tp_tenant_id(r),
	                 (int64_t)partner);
	if (rc == TP_OK && tp_rows_count(rs) == 0)
		rc = tp_fail(r, TP_ENOENT, "token",
		             _("This confirmation link is not valid, was used "
		               "already, or was replaced by a newer change"));
	int64_t id = rc == TP_OK ? tp_rows_i64(rs, 0, 0) : 0;
	if (rc == TP_OK)
		rc = tp_db_exec(
		    db, NULL,
		    "UPDATE commission_payout_details SET status = "
		    "'replaced' WHERE tenant_id = ? AND partner_id = "
		    "? AND status = 'confirmed'",
		    "II", (int64_t)tp_tenant_id(r), (int64_t)partner);
	if (rc == TP_OK)
		rc = tp_db_exec(
		    db, NULL,
		    "UPDATE commission_payout_details SET status = "
		    "'confirmed', confirm_hash = NULL, confirmed_by "
		    "= NULLIF(?, 0), confirmed_at = FROM_UNIXTIME(?) "
		    "WHERE id = ?",
		    "III", (int64_t)cms_user_id(r), tp_now(), id);
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		tp_json_add_str(d, "account",
		                tp_printf(r, MASK "%s", tp_rows_get(rs, 0, 1)));
		tp_json_add_i64(d, "partner", (int64_t)partner);
		tp_audit_log(r, "commission.payout_details_confirm",
		             "commission_payout_details", id, d);
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK) {
		tp_db_rollback(db);
		return rc;
	}
	json_object *res = json_object_new_object();
	tp_json_add_i64(res, "details_id", id);
	tp_json_add_str(res, "status", "confirmed");
	return tp_answer(r, res, "/commissions/payout-details", 200);
}
