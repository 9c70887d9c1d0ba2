/*
 * funds.c -- a partner's balance and credit (docs/money.md, "Partners'
 * balances"): the balance in words, the credit limit and its warning
 * threshold (one mail per crossing, state on the partner row), the
 * operator's refills (add funds) and the partner's transfers from its
 * funds to a customer in its subtree, each one ledger transaction. Never
 * lets a partner owe past its credit limit: every movement that needs
 * credit goes through inv_partner_credit_need first.
 */
#include "invoices.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* the model: a partner's credit                                        */

static const char *money_text(tp_req *r, int64_t v, const char *ccy)
{
	char buf[64];
	return tp_strdup(r, tp_money_text(v, ccy, buf, sizeof(buf)));
}

#define PARTNER_COLS                                                           \
	"p.name, p.currency, p.balance, p.credit_limit, p.warning_kind, "      \
	"p.warning_threshold, p.warning_ppm, p.credit_warned, "                \
	"p.billing_email "

static void partner_row(const tp_rows *rs, uint64_t id,
                        struct inv_partner_credit *p)
{
	p->id = id;
	p->name = tp_rows_get(rs, 0, 0);
	p->ccy = tp_rows_get(rs, 0, 1);
	p->balance = tp_rows_i64(rs, 0, 2);
	p->limit = tp_rows_i64(rs, 0, 3);
	p->warning_kind = tp_rows_get(rs, 0, 4);
	p->warning_amount = tp_rows_i64(rs, 0, 5);
	p->warning_ppm = tp_rows_i64(rs, 0, 6);
	p->warned = tp_rows_i64(rs, 0, 7) != 0;
	p->email = tp_rows_get(rs, 0, 8);
}

tp_rc inv_partner_load(tp_req *r, uint64_t partner, bool lock,
                       struct inv_partner_credit *p)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    lock ? "SELECT " PARTNER_COLS "FROM partners p WHERE p.id = ? "
	           "AND p.tenant_id = ? FOR UPDATE"
	         : "SELECT " PARTNER_COLS "FROM partners p WHERE p.id = ? "
	           "AND p.tenant_id = ?",
	    "II", (int64_t)partner, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such partner"));
	partner_row(rs, partner, p);
	return TP_OK;
}

bool inv_partner_threshold(const struct inv_partner_credit *p, int64_t *thr)
{
	if (strcmp(p->warning_kind, "amount") == 0) {
		*thr = p->warning_amount;
		return true;
	}
	/* a percentage of no credit limit warns of nothing (PortaBilling:
	 * "only applicable when the credit limit is positive") */
	if (strcmp(p->warning_kind, "percent") == 0 && p->limit > 0)
		return tp_money_mul_div(p->limit, p->warning_ppm, 1000000,
		                        p->ccy, thr) == TP_OK;
	return false;
}

const char *inv_partner_words(tp_req *r, int64_t balance, const char *ccy,
                              bool own)
{
	if (balance > 0)
		return tp_printf(r,
		                 own ? _("you owe the provider %s")
		                     : _("owes the provider %s"),
		                 money_text(r, balance, ccy));
	if (balance < 0)
		return tp_printf(r, _("prepaid funds %s"),
		                 money_text(r, -balance, ccy));
	return own ? _("you owe nothing and have no prepaid funds")
	           : _("owes nothing, no prepaid funds");
}

/* parts per million as a percentage: 900000 -> "90", 925000 -> "92.5" */
static const char *percent_text(tp_req *r, int64_t ppm)
{
	char pct[32];
	snprintf(pct, sizeof(pct), "%lld.%04lld", (long long)(ppm / 10000),
	         (long long)(ppm % 10000));
	char *e = pct + strlen(pct) - 1;
	while (*e == '0')
		*e-- = '\0';
	if (*e == '.')
		*e = '\0';
	return tp_strdup(r, pct);
}

/* the threshold in words: "900.00 EUR (90 % of the credit limit)" */
static const char *threshold_words(tp_req *r,
                                   const struct inv_partner_credit *p)
{
	int64_t thr;
	if (!inv_partner_threshold(p, &thr))
		return strcmp(p->warning_kind, "percent") == 0
		           ? _("none (a percentage of no credit limit)")
		           : _("none");
	if (strcmp(p->warning_kind, "percent") == 0)
		return tp_printf(r, _("%s (%s %% of the credit limit)"),
		                 money_text(r, thr, p->ccy),
		                 percent_text(r, p->warning_ppm));
	return money_text(r, thr, p->ccy);
}

tp_rc inv_partner_credit_need(tp_req *r, uint64_t partner, int64_t amount,
                              const char *field)
{
	struct inv_partner_credit p;
	tp_rc rc = inv_partner_load(r, partner, true, &p);
	if (rc != TP_OK)
		return rc;
	if (p.balance > p.limit - amount)
		return tp_fail(
		    r, TP_EINVAL, field,
		    _("%s is past %s's credit limit: it %s, its credit limit "
		      "is "
		      "%s, so it can use %s more"),
		    money_text(r, amount, p.ccy), p.name,
		    inv_partner_words(r, p.balance, p.ccy, false),
		    money_text(r, p.limit, p.ccy),
		    money_text(r, p.limit > p.balance ? p.limit - p.balance : 0,
		               p.ccy));
	return TP_OK;
}

/* where a partner's accounting mail goes: its billing e-mail, else its
 * first active admin's, else none */
static tp_rc partner_mail_to(tp_req *r, const struct inv_partner_credit *p,
                             const char **to)
{
	tp_rows *rs;
	*to = NULL;
	if (p->email != NULL && p->email[0] != '\0') {
		*to = p->email;
		return TP_OK;
	}
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT email FROM users WHERE tenant_id = ? "
	                       "AND kind = 'partner' AND partner_id = ? AND "
	                       "status = 'active' AND email IS NOT NULL AND "
	                       "email <> '' ORDER BY is_admin DESC, id LIMIT 1",
	                       "II", (int64_t)tp_tenant_id(r), (int64_t)p->id);
	if (rc == TP_OK && tp_rows_count(rs) > 0)
		*to = tp_rows_get(rs, 0, 0);
	return rc;
}

static tp_rc warn_mail(tp_req *r, const struct inv_partner_credit *p,
                       int64_t thr)
{
	const char *to, *link;
	char url[512];
	tp_rc rc = partner_mail_to(r, p, &to);
	if (rc != TP_OK)
		return rc;
	json_object *d = json_object_new_object();
	json_object_object_add(d, "balance", tp_json_money(p->balance, p->ccy));
	json_object_object_add(d, "threshold", tp_json_money(thr, p->ccy));
	tp_json_add_str(d, "mailed_to", to ? to : "");
	tp_audit_log(r, "partner.credit_warning", "partner", (int64_t)p->id, d);
	json_object *ev = json_object_new_object();
	json_object_object_add(ev, "partner_id",
	                       json_object_new_int64((int64_t)p->id));
	json_object_object_add(ev, "balance",
	                       tp_json_money(p->balance, p->ccy));
	json_object_object_add(ev, "threshold", tp_json_money(thr, p->ccy));
	json_object_object_add(ev, "credit_limit",
	                       tp_json_money(p->limit, p->ccy));
	if ((rc = tp_event_emit(r, "partner.credit_warning", p->id, 0, ev)) !=
	    TP_OK)
		return rc;
	if (to == NULL)
		return TP_OK;
	link = tp_brand_url(r, "/funds");
	if (link == NULL &&
	    tp_brand_url_db(tp_req_db(r), tp_tenant_id(r), "/funds", url,
	                    sizeof(url)) == TP_OK)
		link = url;
	/* in the partner's language (lang.c) */
	int old = inv_lang_enter(inv_partner_lang(r, (int64_t)p->id));
	const char *body = tp_printf(
	    r,
	    _("%s %s, past the warning threshold of %s.\n\n"
	      "The credit limit is %s: past it, %s cannot record "
	      "cash payments or transfer funds to customers.\n"),
	    p->name, inv_partner_words(r, p->balance, p->ccy, false),
	    threshold_words(r, p), money_text(r, p->limit, p->ccy), p->name);
	rc = tp_mail_queue(
	    r, to, tp_printf(r, _("%s: close to the credit limit"), p->name),
	    tp_printf(r, "%s%s%s\n", body,
	              link ? _("\nBalance and credit: ") : "",
	              link ? link : ""));
	tp_i18n_use(old);
	return rc;
}

tp_rc inv_partner_credit_watch(tp_req *r, uint64_t partner)
{
	struct inv_partner_credit p;
	int64_t thr = 0;
	tp_rc rc = inv_partner_load(r, partner, true, &p);
	if (rc != TP_OK)
		return rc;
	bool over = inv_partner_threshold(&p, &thr) && p.balance > thr;
	if (over == p.warned)
		return TP_OK;
	/* a crossing: up warns once, down re-arms the warning */
	rc = tp_db_exec(tp_req_db(r), NULL,
	                "UPDATE partners SET credit_warned = ? WHERE id = ?",
	                "iI", over ? 1 : 0, (int64_t)partner);
	if (rc == TP_OK && over)
		rc = warn_mail(r, &p, thr);
	return rc;
}

/* ------------------------------------------------------------------ */
/* the job: crossings caused by postings of other modules (commissions)  */
/* or by hand are found within a minute                                 */

tp_rc inv_credit_watch_brand(tp_req *ctx, unsigned *warned)
{
	tp_db *db = tp_req_db(ctx);
	tp_rows *rs;
	/* the SQL twin of inv_partner_threshold, to find candidates; each
	 * is decided again under its row lock */
	tp_rc rc = tp_db_query(
	    db, ctx, &rs,
	    "SELECT id FROM partners WHERE tenant_id = ? AND credit_warned <> "
	    "(CASE warning_kind WHEN 'amount' THEN balance > "
	    "warning_threshold WHEN 'percent' THEN credit_limit > 0 AND "
	    "balance * 1000000 > credit_limit * warning_ppm ELSE 0 END) "
	    "ORDER BY id LIMIT 1000",
	    "I", (int64_t)tp_tenant_id(ctx));
	for (size_t i = 0; rc == TP_OK && i < tp_rows_count(rs); i++) {
		if ((rc = tp_db_begin(db)) != TP_OK)
			break;
		uint64_t id = (uint64_t)tp_rows_i64(rs, i, 0);
		rc = inv_partner_credit_watch(ctx, id);
		if (rc == TP_OK)
			rc = tp_db_commit(db);
		else
			tp_db_rollback(db);
		if (rc == TP_OK && warned != NULL)
			(*warned)++;
	}
	return rc;
}

tp_rc inv_credit_watch_job(tp_req *ctx, tp_job_run *run)
{
	tp_rows *rs;
	(void)run;
	tp_rc rc = tp_db_query(tp_req_db(ctx), ctx, &rs,
	                       "SELECT t.id FROM tenants t JOIN plan_modules "
	                       "pm ON pm.plan_id = t.plan_id AND pm.module = "
	                       "'invoices' ORDER BY t.id",
	                       "");
	for (size_t i = 0; rc == TP_OK && i < tp_rows_count(rs); i++) {
		if ((rc = tp_ctx_brand(ctx, (uint64_t)tp_rows_i64(rs, i, 0))) !=
		    TP_OK)
			break;
		rc = inv_credit_watch_brand(ctx, NULL);
	}
	tp_ctx_brand(ctx, 0);
	return rc;
}

/* ------------------------------------------------------------------ */
/* the view of a partner's credit, for its own page and the operator's  */

static json_object *credit_json(tp_req *r, const struct inv_partner_credit *p,
                                bool own)
{
	json_object *o = json_object_new_object();
	int64_t thr;
	json_object_object_add(o, "id", json_object_new_int64((int64_t)p->id));
	tp_json_add_str(o, "name", p->name);
	tp_json_add_str(o, "currency", p->ccy);
	tp_json_add_money(r, o, "balance", p->balance, p->ccy);
	tp_json_add_str(o, "balance_words",
	                inv_partner_words(r, p->balance, p->ccy, own));
	tp_json_add_money(r, o, "credit_limit", p->limit, p->ccy);
	tp_json_add_money(r, o, "available",
	                  p->limit > p->balance ? p->limit - p->balance : 0,
	                  p->ccy);
	tp_json_add_str(o, "warning_kind", p->warning_kind);
	if (inv_partner_threshold(p, &thr))
		tp_json_add_money(r, o, "warning_at", thr, p->ccy);
	tp_json_add_str(o, "warning_words", threshold_words(r, p));
	json_object_object_add(o, "warned", json_object_new_boolean(p->warned));
	json_object_object_add(o, "over_limit",
	                       json_object_new_boolean(p->balance > p->limit));
	return o;
}

/* the warning threshold as the operator typed it: "90%", "900.00", "" */
static const char *threshold_input(tp_req *r,
                                   const struct inv_partner_credit *p)
{
	char buf[32];
	if (strcmp(p->warning_kind, "amount") == 0)
		return tp_strdup(r,
		                 tp_money_format_ccy(p->warning_amount, p->ccy,
		                                     buf, sizeof(buf)));
	if (strcmp(p->warning_kind, "percent") == 0)
		return tp_printf(r, "%s%%", percent_text(r, p->warning_ppm));
	return "";
}

static uint64_t viewer_partner(tp_req *r)
{
	return tp_scope_partner_root(r);
}

/* GET /funds: the partner's own (the one it views as): its balance in
 * words, credit, the warning threshold, and the transfer form */
static tp_rc funds_view(tp_req *r)
{
	struct inv_partner_credit p;
	uint64_t partner = viewer_partner(r);
	json_object *v = tp_view(r);
	tp_rows *rs;
	if (partner == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	tp_rc rc = inv_partner_load(r, partner, false, &p);
	if (rc != TP_OK)
		return rc;
	json_object_object_add(v, "partner", credit_json(r, &p, true));
	/* the customers a transfer may go to: in its subtree and its
	 * currency */
	rc = tp_db_query(tp_req_db(r), r, &rs,
	                 "SELECT a.id, a.number, a.name FROM partner_tree t "
	                 "JOIN accounts a ON a.partner_id = t.descendant "
	                 "WHERE t.ancestor = ? AND a.currency = ? AND "
	                 "a.status <> 'closed' ORDER BY a.number LIMIT 500",
	                 "Is", (int64_t)partner, p.ccy);
	if (rc != TP_OK)
		return rc;
	const char *sel = tp_form(r, "account");
	json_object *list = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *a = json_object_new_object();
		json_object_object_add(
		    a, "id", json_object_new_int64(tp_rows_i64(rs, i, 0)));
		tp_json_add_str(a, "number", tp_rows_get(rs, i, 1));
		tp_json_add_str(a, "name", tp_rows_get(rs, i, 2));
		json_object_object_add(
		    a, "selected",
		    json_object_new_boolean(
		        sel && strcmp(sel, tp_rows_get(rs, i, 0)) == 0));
		json_object_array_add(list, a);
	}
	json_object_object_add(v, "customers", list);
	const char *s;
	tp_json_add_str(v, "amount", (s = tp_form(r, "amount")) ? s : "");
	tp_json_add_str(v, "reference", (s = tp_form(r, "reference")) ? s : "");
	tp_form_idem_key(r, v);
	tp_view_title(r, _("Balance and credit"));
	return TP_OK;
}

tp_rc inv_funds_page(tp_req *r)
{
	return funds_view(r);
}

/* the home panel of a partner login */
tp_rc inv_funds_panel(tp_req *r, json_object *panel)
{
	struct inv_partner_credit p;
	uint64_t partner = viewer_partner(r);
	if (partner == 0)
		return TP_DECLINED;
	tp_rc rc = inv_partner_load(r, partner, false, &p);
	if (rc != TP_OK)
		return rc;
	json_object_object_add(panel, "partner", credit_json(r, &p, true));
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* the operator's page of a partner's credit                            */

static tp_rc credit_view(tp_req *r, int64_t partner)
{
	struct inv_partner_credit p;
	json_object *v = tp_view(r);
	tp_rc rc = inv_partner_load(r, (uint64_t)partner, false, &p);
	if (rc != TP_OK)
		return rc;
	json_object_object_add(v, "partner", credit_json(r, &p, false));
	const char *s;
	char buf[32];
	tp_json_add_str(
	    v, "form_credit_limit",
	    (s = tp_form(r, "credit_limit"))
	        ? s
	        : tp_money_format_ccy(p.limit, p.ccy, buf, sizeof(buf)));
	tp_json_add_str(
	    v, "form_warning_threshold",
	    (s = tp_form(r, "warning_threshold")) ? s : threshold_input(r, &p));
	tp_json_add_str(v, "form_billing_email",
	                (s = tp_form(r, "billing_email")) ? s : p.email);
	tp_json_add_str(v, "amount", (s = tp_form(r, "amount")) ? s : "");
	tp_json_add_str(v, "reference", (s = tp_form(r, "reference")) ? s : "");
	tp_form_idem_key(r, v);
	tp_view_title(r, tp_printf(r, _("%s: balance and credit"), p.name));
	return TP_OK;
}

static tp_rc again(tp_req *r, tp_rc rc, tp_rc (*view)(tp_req *, int64_t),
                   int64_t id)
{
	if (rc == TP_EINVAL || rc == TP_ECONFLICT)
		view(r, id);
	return rc;
}

static tp_rc again_funds(tp_req *r, tp_rc rc)
{
	if (rc == TP_EINVAL || rc == TP_ECONFLICT)
		funds_view(r);
	return rc;
}

tp_rc inv_partner_credit_page(tp_req *r)
{
	return credit_view(r, tp_param_id(r, "partner"));
}

/* "90%", "92.5 %": parts per million of the credit limit (0 < p <= 100) */
static bool percent_parse(const char *s, int64_t *ppm)
{
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n < 2 || s[n - 1] != '%')
		return false;
	n--;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	char num[32];
	int64_t v;
	if (n == 0 || n >= sizeof(num))
		return false;
	memcpy(num, s, n);
	num[n] = '\0';
	/* ten-thousandths of a percent are parts per million */
	if (tp_money_parse(num, &v) != TP_OK || v <= 0 || v > 1000000 ||
	    v % 100 != 0)
		return false;
	*ppm = v;
	return true;
}

/* POST /funds/partners/{partner}/credit: credit_limit, warning_threshold
 * ("90%", an amount, or "" for none), billing_email */
tp_rc inv_partner_credit_post(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	int64_t partner = tp_param_id(r, "partner"), limit, amount = 0, ppm = 0;
	struct inv_partner_credit p;
	const char *limit_s, *thr_s, *email, *why, *kind = "none";
	tp_rc rc = inv_partner_load(r, (uint64_t)partner, false, &p);
	if (rc != TP_OK)
		return rc;
	if ((rc = tp_field_text(r, "credit_limit", _("Credit limit"), 32, 1,
	                        &limit_s)) != TP_OK ||
	    (rc = tp_field_text(r, "warning_threshold", _("Warning threshold"),
	                        32, 0, &thr_s)) != TP_OK ||
	    (rc = tp_field_text(r, "billing_email", _("Billing e-mail"), 255, 0,
	                        &email)) != TP_OK)
		return again(r, rc, credit_view, partner);
	if (tp_money_parse_ccy(limit_s, p.ccy, &limit) != TP_OK || limit < 0)
		rc =
		    tp_fail(r, TP_EINVAL, "credit_limit",
		            _("Credit limit must be an amount in %s of zero or "
		              "more with at most %d decimals, like 1000.00"),
		            p.ccy, tp_currency_minor(p.ccy));
	else if (thr_s[0] != '\0' && strchr(thr_s, '%') != NULL) {
		if (!percent_parse(thr_s, &ppm))
			rc = tp_fail(
			    r, TP_EINVAL, "warning_threshold",
			    _("Warning threshold must be a percentage "
			      "above 0 and at most 100 with at most two "
			      "decimals, like 90%%, or an amount"));
		kind = "percent";
	} else if (thr_s[0] != '\0') {
		if (tp_money_parse_ccy(thr_s, p.ccy, &amount) != TP_OK ||
		    amount < 0)
			rc = tp_fail(
			    r, TP_EINVAL, "warning_threshold",
			    _("Warning threshold must be an amount in %s "
			      "of zero or more with at most %d decimals, "
			      "or a percentage like 90%%"),
			    p.ccy, tp_currency_minor(p.ccy));
		kind = "amount";
	}
	if (rc == TP_OK && (why = tp_check_email(email)) != NULL)
		rc = tp_fail(r, TP_EINVAL, "billing_email",
		             _("Billing e-mail %s"), why);
	if (rc != TP_OK)
		return again(r, rc, credit_view, partner);

	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_exec(db, NULL,
	                "UPDATE partners SET credit_limit = ?, warning_kind = "
	                "?, warning_threshold = ?, warning_ppm = ?, "
	                "billing_email = ? WHERE id = ?",
	                "IsIIsI", limit, kind, amount, ppm, email, partner);
	/* a new limit or threshold may be a crossing of its own */
	if (rc == TP_OK)
		rc = inv_partner_credit_watch(r, (uint64_t)partner);
	if (rc == TP_OK &&
	    (rc = inv_partner_load(r, (uint64_t)partner, false, &p)) == TP_OK) {
		json_object *d = json_object_new_object();
		json_object_object_add(d, "credit_limit",
		                       tp_json_money(limit, p.ccy));
		tp_json_add_str(d, "warning_kind", kind);
		tp_json_add_str(d, "warning", threshold_words(r, &p));
		tp_audit_log(r, "partner.credit", "partner", partner, d);
	}
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	if (rc != TP_OK) {
		tp_db_rollback(db);
		return rc;
	}
	json_object *res = json_object_new_object();
	json_object_object_add(res, "partner", credit_json(r, &p, false));
	return tp_answer(
	    r, res, tp_printf(r, "/funds/partners/%lld", (long long)partner),
	    200);
}

/* ------------------------------------------------------------------ */
/* money in: the operator's refill, the partner's transfer              */

/* the amount field in the partner's currency, and the currency field
 * (optional) must be that currency */
static tp_rc amount_in(tp_req *r, const char *ccy, int64_t *amount,
                       const char **reference)
{
	const char *amount_s, *cur;
	tp_rc rc;
	if ((rc = tp_field_text(r, "amount", _("Amount"), 32, 1, &amount_s)) !=
	        TP_OK ||
	    (rc = tp_field_text(r, "currency", _("Currency"), 3, 0, &cur)) !=
	        TP_OK ||
	    (rc = tp_field_text(r, "reference", _("Reference"), 128, 0,
	                        reference)) != TP_OK)
		return rc;
	if (cur[0] != '\0' && strcmp(cur, ccy) != 0)
		return tp_fail(r, TP_EINVAL, "currency",
		               _("Currency must be %s, the partner's"), ccy);
	return inv_amount_field(r, amount_s, ccy, amount);
}

struct funds_doc {
	uint64_t partner, account, account_partner;
	const char *kind, *ccy, *reference;
	int64_t amount;
};

/* the partner_funds row and its ledger transaction, in the caller's
 * transaction; *id the row */
static tp_rc funds_post(tp_req *r, const struct funds_doc *d, uint64_t *id)
{
	tp_db *db = tp_req_db(r);
	tp_who w;
	uint64_t txn;
	bool refill = strcmp(d->kind, "refill") == 0;
	tp_who_get(r, &w);
	tp_rc rc = tp_db_exec(
	    db, NULL,
	    "INSERT INTO partner_funds (tenant_id, partner_id, account_id, "
	    "kind, amount, currency, reference, recorded_by, created_at) "
	    "VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?, NULLIF(?, 0), "
	    "FROM_UNIXTIME(?))",
	    "IIIsIssII", (int64_t)tp_tenant_id(r), (int64_t)d->partner,
	    (int64_t)d->account, d->kind, d->amount, d->ccy, d->reference,
	    (int64_t)w.user_id, tp_now());
	if (rc != TP_OK)
		return rc;
	*id = tp_db_last_id(db);
	/* a refill: the provider received cash, the partner's funds grow
	 * (its receivable falls); a transfer: the partner's funds pay the
	 * customer's balance */
	tp_ledger_line lv[2] = {
	    {.account = refill ? "cash" : "partner.receivable",
	     .amount = d->amount,
	     .account_id = d->account,
	     .partner_id = d->partner,
	     .memo = d->reference},
	    {.account = refill ? "partner.receivable" : "customer",
	     .amount = -d->amount,
	     .account_id = d->account,
	     .partner_id = refill ? d->partner : d->account_partner,
	     .memo = d->reference}};
	tp_ledger_txn t = {
	    .kind = refill ? "partner_refill" : "partner_transfer",
	    .idem_key =
	        tp_printf(r, "partner_funds:%llu", (unsigned long long)*id),
	    .currency = d->ccy,
	    .account_id = d->account,
	    .partner_id = d->partner,
	    .document_type = "partner_funds",
	    .document_id = *id,
	    .memo = d->reference,
	    .lines = lv,
	    .n = 2};
	if ((rc = tp_ledger_post(r, &t, &txn, NULL)) != TP_OK)
		return rc;
	rc = tp_db_exec(
	    db, NULL, "UPDATE partner_funds SET ledger_txn_id = ? WHERE id = ?",
	    "II", (int64_t)txn, (int64_t)*id);
	/* what the customer received pays its open invoices, oldest first */
	if (rc == TP_OK && !refill)
		rc = inv_allocate(r, d->account, d->amount);
	if (rc == TP_OK)
		rc = inv_partner_credit_watch(r, d->partner);
	if (rc != TP_OK)
		return rc;
	json_object *ev = json_object_new_object();
	json_object_object_add(ev, "funds_id",
	                       json_object_new_int64((int64_t)*id));
	tp_json_add_str(ev, "kind", d->kind);
	json_object_object_add(ev, "amount", tp_json_money(d->amount, d->ccy));
	return tp_event_emit(
	    r, refill ? "partner.refilled" : "partner.transferred", d->partner,
	    d->account, ev);
}

tp_rc inv_funds_record(tp_req *r, uint64_t partner, uint64_t account,
                       int64_t amount, const char *reference, uint64_t *id)
{
	struct inv_partner_credit p;
	struct funds_doc d = {.partner = partner,
	                      .account = account,
	                      .kind = account ? "transfer" : "refill",
	                      .amount = amount,
	                      .reference = reference ? reference : ""};
	tp_rows *rs;
	tp_rc rc = inv_partner_load(r, partner, false, &p);
	if (rc != TP_OK)
		return rc;
	d.ccy = p.ccy;
	if (account != 0) {
		rc = tp_db_query(tp_req_db(r), r, &rs,
		                 "SELECT partner_id FROM accounts WHERE id = ? "
		                 "AND tenant_id = ? AND currency = ?",
		                 "IIs", (int64_t)account,
		                 (int64_t)tp_tenant_id(r), p.ccy);
		if (rc != TP_OK)
			return rc;
		if (tp_rows_count(rs) == 0)
			return TP_ENOENT;
		d.account_partner = (uint64_t)tp_rows_i64(rs, 0, 0);
		if ((rc = inv_partner_credit_need(r, partner, amount,
		                                  "amount")) != TP_OK)
			return rc;
	}
	return funds_post(r, &d, id);
}

static json_object *funds_result(tp_req *r, const struct funds_doc *d,
                                 uint64_t id)
{
	struct inv_partner_credit p;
	json_object *res = json_object_new_object();
	json_object_object_add(res, "funds_id",
	                       json_object_new_int64((int64_t)id));
	tp_json_add_str(res, "kind", d->kind);
	json_object_object_add(res, "amount", tp_json_money(d->amount, d->ccy));
	if (inv_partner_load(r, d->partner, false, &p) == TP_OK)
		json_object_object_add(res, "partner",
		                       credit_json(r, &p, false));
	return res;
}

/* the end of a money action: keep its answer under the key, commit */
static tp_rc funds_finish(tp_req *r, const char *action,
                          const struct funds_doc *d, json_object **res)
{
	tp_db *db = tp_req_db(r);
	uint64_t id = 0;
	tp_rc rc = funds_post(r, d, &id);
	*res = NULL;
	if (rc == TP_OK) {
		*res = funds_result(r, d, id);
		json_object *a = json_object_new_object();
		json_object_object_add(a, "amount",
		                       tp_json_money(d->amount, d->ccy));
		if (d->account != 0)
			json_object_object_add(
			    a, "account_id",
			    json_object_new_int64((int64_t)d->account));
		tp_json_add_str(a, "reference", d->reference);
		tp_audit_log(r, action, "partner", (int64_t)d->partner, a);
		rc = tp_idem_end(r, *res);
	}
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	if (rc != TP_OK) {
		if (*res != NULL)
			json_object_put(*res);
		*res = NULL;
		tp_db_rollback(db);
	}
	return rc;
}

static tp_rc replayed(tp_req *r, json_object *replay, const char *location,
                      int status)
{
	tp_db_rollback(tp_req_db(r));
	return tp_answer(r, json_object_get(replay), location, status);
}

/* POST /funds/partners/{partner}/refills: an operator records money the
 * partner paid in (add funds) */
tp_rc inv_refill_post(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	int64_t partner = tp_param_id(r, "partner");
	struct inv_partner_credit p;
	struct funds_doc d = {.partner = (uint64_t)partner, .kind = "refill"};
	json_object *replay, *res;
	const char *back =
	    tp_printf(r, "/funds/partners/%lld", (long long)partner);
	tp_rc rc = inv_partner_load(r, d.partner, false, &p);
	if (rc != TP_OK)
		return rc;
	d.ccy = p.ccy;
	if ((rc = amount_in(r, p.ccy, &d.amount, &d.reference)) != TP_OK)
		return again(r, rc, credit_view, partner);
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_idem_begin(r, "partner.refill",
	                   tp_printf(r, "%lld|%lld|%s|%s", (long long)partner,
	                             (long long)d.amount, d.ccy, d.reference),
	                   &replay);
	if (rc == TP_OK && replay != NULL)
		return replayed(r, replay, back, 201);
	if (rc == TP_OK)
		rc = funds_finish(r, "partner.refill", &d, &res);
	else
		tp_db_rollback(db);
	if (rc != TP_OK)
		return again(r, rc, credit_view, partner);
	return tp_answer(r, res, back, 201);
}

/* POST /funds/transfers: the partner moves amount of its funds (and
 * credit) to the account (a body id the core checked is in its subtree) */
tp_rc inv_transfer_post(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	uint64_t partner = viewer_partner(r);
	struct inv_partner_credit p;
	struct funds_doc d = {.partner = partner, .kind = "transfer"};
	json_object *replay, *res;
	const char *acct_s;
	int64_t account = 0;
	tp_rows *rs;
	if (partner == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	tp_rc rc = inv_partner_load(r, partner, false, &p);
	if (rc != TP_OK)
		return rc;
	d.ccy = p.ccy;
	if ((rc = tp_input(r, "account", &acct_s)) != TP_OK || acct_s == NULL ||
	    tp_parse_i64(acct_s, &account) != TP_OK)
		return again_funds(r,
		                   tp_fail(r, TP_EINVAL, "account",
		                           _("Customer: choose an account")));
	rc = tp_db_query(db, r, &rs,
	                 "SELECT currency, partner_id, number FROM accounts "
	                 "WHERE id = ? AND tenant_id = ?",
	                 "II", account, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such account"));
	d.account = (uint64_t)account;
	d.account_partner = (uint64_t)tp_rows_i64(rs, 0, 1);
	if (strcmp(tp_rows_get(rs, 0, 0), p.ccy) != 0)
		return again_funds(
		    r,
		    tp_fail(r, TP_EINVAL, "account",
		            _("Customer %s is billed in %s; %s's funds are in "
		              "%s"),
		            tp_rows_get(rs, 0, 2), tp_rows_get(rs, 0, 0),
		            p.name, p.ccy));
	if ((rc = amount_in(r, p.ccy, &d.amount, &d.reference)) != TP_OK)
		return again_funds(r, rc);
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_idem_begin(r, "partner.transfer",
	                   tp_printf(r, "%llu|%lld|%lld|%s|%s",
	                             (unsigned long long)partner,
	                             (long long)account, (long long)d.amount,
	                             d.ccy, d.reference),
	                   &replay);
	if (rc == TP_OK && replay != NULL)
		return replayed(r, replay, "/funds", 201);
	/* under the partner's row lock: its funds and credit cover it */
	if (rc == TP_OK)
		rc = inv_partner_credit_need(r, partner, d.amount, "amount");
	if (rc == TP_OK)
		rc = funds_finish(r, "partner.transfer", &d, &res);
	else
		tp_db_rollback(db);
	if (rc != TP_OK)
		return again_funds(r, rc);
	return tp_answer(r, res, "/funds", 201);
}

/* ------------------------------------------------------------------ */
/* the reports (A2Billing's "billing"): grids with export               */

static const char *const account_status[] = {"active", "suspended", "closed",
                                             NULL};

static const tp_grid_col customers_cols[] = {
    {.key = "number",
     .label = N_("Account"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_SORT | TP_COL_FILTER,
     .expr = "a.number"},
    {.key = "name",
     .label = N_("Name"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_SORT | TP_COL_FILTER,
     .expr = "a.name"},
    {.key = "partner",
     .label = N_("Partner"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_FILTER | TP_COL_GROUP,
     .expr = "p.name"},
    {.key = "status",
     .label = N_("Status"),
     .type = TP_COL_STATUS,
     .flags = TP_COL_FILTER,
     .expr = "a.status",
     .values = account_status},
    {.key = "balance",
     .label = N_("Balance"),
     .type = TP_COL_MONEY,
     .flags = TP_COL_SORT | TP_COL_FILTER,
     .expr = "a.balance",
     .currency_expr = "a.currency"},
    {0}};

const tp_grid inv_funds_customers_grid = {
    .name = "funds_customers",
    .title = N_("Account balances"),
    .cols = customers_cols,
    .from = "accounts a JOIN partners p ON p.id = a.partner_id",
    .id_expr = "a.id",
    .tenant_expr = "a.tenant_id",
    .partner_expr = "a.partner_id",
    .account_expr = "a.id",
    .default_sort = "number",
    .link = "/accounts/",
};

static const tp_grid_col funds_cols[] = {{.key = "id",
                                          .label = N_("No."),
                                          .type = TP_COL_NUMBER,
                                          .flags = TP_COL_SORT,
                                          .expr = "f.id"},
                                         {.key = "date",
                                          .label = N_("Date"),
                                          .type = TP_COL_DATE,
                                          .flags = TP_COL_SORT | TP_COL_FILTER,
                                          .expr = "DATE(f.created_at)"},
                                         {.key = "partner",
                                          .label = N_("Partner"),
                                          .type = TP_COL_TEXT,
                                          .flags = TP_COL_FILTER | TP_COL_GROUP,
                                          .expr = "p.name"},
                                         {.key = "amount",
                                          .label = N_("Amount"),
                                          .type = TP_COL_MONEY,
                                          .flags = TP_COL_SORT | TP_COL_FILTER,
                                          .expr = "f.amount",
                                          .currency_expr = "f.currency"},
                                         {.key = "reference",
                                          .label = N_("Reference"),
                                          .type = TP_COL_TEXT,
                                          .flags = TP_COL_FILTER,
                                          .expr = "f.reference"},
                                         {0}};

const tp_grid inv_funds_refills_grid = {
    .name = "funds_refills",
    .title = N_("Own refills"),
    .cols = funds_cols,
    .from = "partner_funds f JOIN partners p ON p.id = f.partner_id",
    .id_expr = "f.id",
    .tenant_expr = "f.tenant_id",
    .partner_expr = "f.partner_id",
    .default_sort = "-id",
};

static const tp_grid_col transfers_cols[] = {
    {.key = "id",
     .label = N_("No."),
     .type = TP_COL_NUMBER,
     .flags = TP_COL_SORT,
     .expr = "f.id"},
    {.key = "date",
     .label = N_("Date"),
     .type = TP_COL_DATE,
     .flags = TP_COL_SORT | TP_COL_FILTER,
     .expr = "DATE(f.created_at)"},
    {.key = "account",
     .label = N_("Account"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_FILTER | TP_COL_GROUP,
     .expr = "a.number"},
    {.key = "name",
     .label = N_("Customer"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_FILTER,
     .expr = "a.name"},
    {.key = "partner",
     .label = N_("From partner"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_FILTER | TP_COL_GROUP,
     .expr = "p.name"},
    {.key = "amount",
     .label = N_("Amount"),
     .type = TP_COL_MONEY,
     .flags = TP_COL_SORT | TP_COL_FILTER,
     .expr = "f.amount",
     .currency_expr = "f.currency"},
    {.key = "reference",
     .label = N_("Reference"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_FILTER,
     .expr = "f.reference"},
    {0}};

const tp_grid inv_funds_transfers_grid = {
    .name = "funds_transfers",
    .title = N_("Customers' refills"),
    .cols = transfers_cols,
    .from = "partner_funds f JOIN partners p ON p.id = f.partner_id JOIN "
            "accounts a ON a.id = f.account_id",
    .id_expr = "f.id",
    .tenant_expr = "f.tenant_id",
    .partner_expr = "f.partner_id",
    .account_expr = "f.account_id",
    .default_sort = "-id",
};

static const tp_grid_col partners_cols[] = {
    {.key = "name",
     .label = N_("Partner"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_SORT | TP_COL_FILTER,
     .expr = "p.name"},
    {.key = "kind",
     .label = N_("Kind"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_FILTER,
     .expr = "p.kind"},
    {.key = "balance",
     .label = N_("Balance (owed)"),
     .type = TP_COL_MONEY,
     .flags = TP_COL_SORT | TP_COL_FILTER,
     .expr = "p.balance",
     .currency_expr = "p.currency"},
    {.key = "credit_limit",
     .label = N_("Credit limit"),
     .type = TP_COL_MONEY,
     .flags = TP_COL_SORT | TP_COL_FILTER,
     .expr = "p.credit_limit",
     .currency_expr = "p.currency"},
    {.key = "warned",
     .label = N_("Warned"),
     .type = TP_COL_TEXT,
     .flags = TP_COL_FILTER,
     .expr = "IF(p.credit_warned, 'yes', 'no')"},
    {0}};

const tp_grid inv_funds_partners_grid = {
    .name = "funds_partners",
    .title = N_("Partner balances and credit"),
    .cols = partners_cols,
    .from = "partners p",
    .id_expr = "p.id",
    .tenant_expr = "p.tenant_id",
    .partner_expr = "p.id",
    .default_sort = "name",
    .link = "/funds/partners/",
};

tp_rc inv_funds_customers(tp_req *r)
{
	return tp_grid_respond(r, &inv_funds_customers_grid, NULL, 0);
}

tp_rc inv_funds_refills(tp_req *r)
{
	return tp_grid_respond(r, &inv_funds_refills_grid,
	                       "f.kind = 'refill' AND f.id > ?", 0);
}

tp_rc inv_funds_transfers(tp_req *r)
{
	return tp_grid_respond(r, &inv_funds_transfers_grid,
	                       "f.kind = 'transfer' AND f.id > ?", 0);
}

tp_rc inv_funds_partners(tp_req *r)
{
	return tp_grid_respond(r, &inv_funds_partners_grid, NULL, 0);
}
