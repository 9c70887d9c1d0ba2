/*
 * plans.c -- commission plans (operators): a plan's rules, each valid for
 * revenue dated within [valid_from, valid_to]; the partners assigned to
 * it (sub-partners inherit their nearest ancestor's); the brand's
 * commission settings (hold, minimum payout, cap, payout provider).
 *
 * A rule is never edited in place: a change ends the old rule the day
 * before the new one starts (field "replaces"), in one transaction, so a
 * line computed earlier keeps the rate it was computed with. Bad input is
 * a 400 naming the field (the page again for a browser) and writes
 * nothing.
 */
#include "commissions.h"

#include <stdio.h>
#include <string.h>

static const char *const kinds[] = {"nrc",   "residual", "usage", "override",
                                    "sales", "payment",  NULL};

static bool one_of(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (s != NULL && strcmp(s, *list) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* the rule a line is computed with                                     */

tp_rc cms_partner_plan(tp_req *r, uint64_t partner, uint64_t *plan)
{
	tp_rows *rs;
	/* its own, else the nearest ancestor's (partner_tree depth) */
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    "SELECT a.plan_id FROM partner_tree t JOIN commission_assignments "
	    "a ON a.partner_id = t.ancestor JOIN commission_plans p ON p.id = "
	    "a.plan_id AND p.status = 'active' WHERE t.descendant = ? AND "
	    "a.tenant_id = ? ORDER BY t.depth LIMIT 1",
	    "II", (int64_t)partner, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	*plan = tp_rows_count(rs) ? (uint64_t)tp_rows_i64(rs, 0, 0) : 0;
	return TP_OK;
}

tp_rc cms_rule_find(tp_req *r, uint64_t plan, const char *kind,
                    uint64_t product, const char *day, int level,
                    struct cms_rule *rule)
{
	tp_rows *rs;
	/* the product's own rule, then its category's, then one for every
	 * product */
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    "SELECT r.id, r.calc, r.rate_ppm, r.amount, IFNULL(r.months, 0), "
	    "r.chargeback_days, r.level, r.basis FROM commission_rules r "
	    "LEFT JOIN products p ON p.id = ? WHERE r.plan_id = ? AND r.kind "
	    "= ? AND r.level = ? AND r.valid_from <= ? AND (r.valid_to IS "
	    "NULL OR r.valid_to >= ?) AND (r.product_id = p.id OR "
	    "(r.product_id IS NULL AND r.category_id = p.category_id) OR "
	    "(r.product_id IS NULL AND r.category_id IS NULL)) ORDER BY "
	    "r.product_id IS NULL, r.category_id IS NULL, r.id DESC LIMIT 1",
	    "IIsiss", (int64_t)product, (int64_t)plan, kind, level, day, day);
	if (rc != TP_OK)
		return rc;
	memset(rule, 0, sizeof(*rule));
	if (tp_rows_count(rs) == 0)
		return TP_OK;
	rule->id = (uint64_t)tp_rows_i64(rs, 0, 0);
	rule->calc = tp_rows_get(rs, 0, 1);
	rule->rate_ppm = tp_rows_i64(rs, 0, 2);
	rule->amount = tp_rows_i64(rs, 0, 3);
	rule->months = tp_rows_i64(rs, 0, 4);
	rule->chargeback_days = tp_rows_i64(rs, 0, 5);
	rule->level = (int)tp_rows_i64(rs, 0, 6);
	rule->basis = tp_rows_get(rs, 0, 7);
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* the plans page                                                       */

static tp_rc plans_view(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	json_object *v = tp_view(r);
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    db, r, &rs,
	    "SELECT p.id, p.name, p.description, p.currency, p.status, "
	    "(SELECT COUNT(*) FROM commission_rules r WHERE r.plan_id = p.id "
	    "AND (r.valid_to IS NULL OR r.valid_to >= ?)), (SELECT COUNT(*) "
	    "FROM commission_assignments a WHERE a.plan_id = p.id) FROM "
	    "commission_plans p WHERE p.tenant_id = ? ORDER BY p.name",
	    "sI", cms_today(r), (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	json_object *list = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *o = json_object_new_object();
		tp_json_add_i64(o, "id", tp_rows_i64(rs, i, 0));
		tp_json_add_str(o, "name", tp_rows_get(rs, i, 1));
		tp_json_add_str(o, "description", tp_rows_get(rs, i, 2));
		tp_json_add_str(o, "currency", tp_rows_get(rs, i, 3));
		tp_json_add_str(o, "status", tp_rows_get(rs, i, 4));
		tp_json_add_str(o, "status_label",
		                cms_state_label(tp_rows_get(rs, i, 4)));
		tp_json_add_i64(o, "rules", tp_rows_i64(rs, i, 5));
		tp_json_add_i64(o, "partners", tp_rows_i64(rs, i, 6));
		json_object_array_add(list, o);
	}
	json_object_object_add(v, "plans", list);
	const char *name = tp_form(r, "name"),
	           *desc = tp_form(r, "description"),
	           *ccy = tp_form(r, "currency");
	tp_json_add_str(v, "form_name", name);
	tp_json_add_str(v, "form_description", desc);
	tp_json_add_str(v, "form_currency", ccy && *ccy ? ccy : NULL);
	if (ccy == NULL || *ccy == '\0')
		tp_json_add_str(v, "form_currency", cms_brand_ccy(r));
	tp_view_title(r, _("Commission plans"));
	return TP_OK;
}

tp_rc cms_plans_page(tp_req *r)
{
	return plans_view(r);
}

tp_rc cms_plan_create(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	const char *name, *desc, *ccy;
	tp_rc rc;
	if ((rc = tp_field_text(r, "name", _("Name"), 64, 1, &name)) != TP_OK ||
	    (rc = tp_field_text(r, "description", _("Description"), 255, 0,
	                        &desc)) != TP_OK ||
	    (rc = tp_field_text(r, "currency", _("Currency"), 3, 1, &ccy)) !=
	        TP_OK)
		goto again;
	if (strlen(ccy) != 3 || ccy[0] < 'A' || ccy[0] > 'Z' || ccy[1] < 'A' ||
	    ccy[1] > 'Z' || ccy[2] < 'A' || ccy[2] > 'Z') {
		rc = tp_fail(
		    r, TP_EINVAL, "currency",
		    _("Currency must be a three-letter code such as EUR"));
		goto again;
	}
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_exec(db, NULL,
	                "INSERT INTO commission_plans (tenant_id, name, "
	                "description, currency, created_by) VALUES (?, ?, ?, "
	                "?, NULLIF(?, 0))",
	                "IsssI", (int64_t)tp_tenant_id(r), name,
	                desc ? desc : "", ccy, (int64_t)cms_user_id(r));
	if (rc == TP_ECONFLICT) {
		tp_db_rollback(db);
		rc = tp_fail(r, TP_EINVAL, "name",
		             _("There is a plan named %s already"), name);
		goto again;
	}
	uint64_t id = rc == TP_OK ? tp_db_last_id(db) : 0;
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		tp_json_add_str(d, "name", name);
		tp_json_add_str(d, "currency", ccy);
		tp_audit_log(r, "commissions.plan_create", "commission_plan",
		             (int64_t)id, d);
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK) {
		tp_db_rollback(db);
		return rc;
	}
	json_object *res = json_object_new_object();
	tp_json_add_i64(res, "id", (int64_t)id);
	return tp_answer(
	    r, res,
	    tp_printf(r, "/commissions/plans/%llu", (unsigned long long)id),
	    201);
again:
	if (rc == TP_EINVAL)
		plans_view(r);
	return rc;
}

/* ------------------------------------------------------------------ */
/* one plan: its rules and partners                                     */

static tp_rc plan_view(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	json_object *v = tp_view(r);
	int64_t plan = tp_param_id(r, "plan");
	tp_rows *rs;
	tp_rc rc = tp_db_query(db, r, &rs,
	                       "SELECT id, name, description, currency, status "
	                       "FROM commission_plans WHERE id = ? AND "
	                       "tenant_id = ?",
	                       "II", plan, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	const char *ccy = tp_strdup(r, tp_rows_get(rs, 0, 3));
	json_object *p = json_object_new_object();
	tp_json_add_i64(p, "id", plan);
	tp_json_add_str(p, "name", tp_rows_get(rs, 0, 1));
	tp_json_add_str(p, "description", tp_rows_get(rs, 0, 2));
	tp_json_add_str(p, "currency", ccy);
	tp_json_add_str(p, "status", tp_rows_get(rs, 0, 4));
	json_object_object_add(v, "plan", p);
	tp_json_add_i64(v, "plan_id", plan);
	tp_view_title(
	    r, tp_printf(r, _("Commission plan %s"), tp_rows_get(rs, 0, 1)));

	rc = tp_db_query(
	    db, r, &rs,
	    "SELECT r.id, r.kind, IFNULL(pr.name, ''), IFNULL(c.name, ''), "
	    "r.calc, r.rate_ppm, r.amount, IFNULL(r.months, 0), r.level, "
	    "r.basis, r.chargeback_days, r.valid_from, IFNULL(r.valid_to, ''), "
	    "r.valid_to IS NULL OR r.valid_to >= ? FROM commission_rules r "
	    "LEFT JOIN products pr ON pr.id = r.product_id LEFT JOIN "
	    "product_categories c ON c.id = r.category_id WHERE r.plan_id = ? "
	    "ORDER BY r.kind, r.level, r.valid_from, r.id",
	    "sI", cms_today(r), plan);
	if (rc != TP_OK)
		return rc;
	json_object *rules = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *o = json_object_new_object();
		const char *kind = tp_rows_get(rs, i, 1),
		           *prod = tp_rows_get(rs, i, 2),
		           *cat = tp_rows_get(rs, i, 3),
		           *calc = tp_rows_get(rs, i, 4);
		tp_json_add_i64(o, "id", tp_rows_i64(rs, i, 0));
		tp_json_add_str(o, "kind", kind);
		tp_json_add_str(o, "kind_label", cms_state_label(kind));
		tp_json_add_str(o, "product", prod);
		tp_json_add_str(o, "category", cat);
		tp_json_add_str(o, "applies_to",
		                *prod  ? prod
		                : *cat ? tp_printf(r, _("category %s"), cat)
		                       : _("every product"));
		tp_json_add_str(o, "calc", calc);
		cms_add_rate(r, o, "rate", tp_rows_i64(rs, i, 5));
		char pct[48];
		tp_json_add_money(r, o, "amount", tp_rows_i64(rs, i, 6), ccy);
		tp_json_add_str(
		    o, "pays",
		    strcmp(calc, "fixed") == 0
		        ? json_object_get_string(
		              json_object_object_get(o, "amount_text"))
		        : tp_printf(r, "%s %%",
		                    tp_number_localize(
		                        json_object_get_string(
		                            json_object_object_get(o, "rate")),
		                        pct, sizeof(pct))));
		int64_t months = tp_rows_i64(rs, i, 7);
		if (months > 0)
			tp_json_add_i64(o, "months", months);
		tp_json_add_i64(o, "level", tp_rows_i64(rs, i, 8));
		tp_json_add_str(o, "basis", tp_rows_get(rs, i, 9));
		tp_json_add_str(o, "basis_label",
		                cms_state_label(tp_rows_get(rs, i, 9)));
		tp_json_add_i64(o, "chargeback_days", tp_rows_i64(rs, i, 10));
		tp_json_add_str(o, "valid_from", tp_rows_get(rs, i, 11));
		tp_json_add_str(o, "valid_to", tp_rows_get(rs, i, 12));
		json_object_object_add(
		    o, "current",
		    json_object_new_boolean(tp_rows_i64(rs, i, 13) != 0));
		json_object_array_add(rules, o);
	}
	json_object_object_add(v, "rules", rules);

	rc = tp_db_query(db, r, &rs,
	                 "SELECT pa.id, pa.name, pa.kind FROM "
	                 "commission_assignments a JOIN partners pa ON pa.id = "
	                 "a.partner_id WHERE a.plan_id = ? ORDER BY pa.name",
	                 "I", plan);
	if (rc != TP_OK)
		return rc;
	json_object *parts = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *o = json_object_new_object();
		tp_json_add_i64(o, "id", tp_rows_i64(rs, i, 0));
		tp_json_add_str(o, "name", tp_rows_get(rs, i, 1));
		tp_json_add_str(o, "kind", tp_rows_get(rs, i, 2));
		tp_json_add_str(o, "kind_label",
		                cms_state_label(tp_rows_get(rs, i, 2)));
		json_object_array_add(parts, o);
	}
	json_object_object_add(v, "partners", parts);

	/* the form's choices: products, categories, the brand's partners */
	if (!tp_wants_json(r)) {
		static const struct {
			const char *key, *sql;
		} lists[] = {
		    {"products", "SELECT id, name FROM products WHERE "
		                 "tenant_id = ? ORDER BY name"},
		    {"categories", "SELECT id, name FROM product_categories "
		                   "WHERE tenant_id = ? ORDER BY name"},
		    {"all_partners", "SELECT id, name FROM partners WHERE "
		                     "tenant_id = ? ORDER BY name"},
		};
		for (unsigned k = 0; k < 3; k++) {
			if ((rc = tp_db_query(db, r, &rs, lists[k].sql, "I",
			                      (int64_t)tp_tenant_id(r))) !=
			    TP_OK)
				return rc;
			json_object *a = json_object_new_array();
			for (size_t i = 0; i < tp_rows_count(rs); i++) {
				json_object *o = json_object_new_object();
				tp_json_add_i64(o, "id", tp_rows_i64(rs, i, 0));
				tp_json_add_str(o, "name",
				                tp_rows_get(rs, i, 1));
				json_object_array_add(a, o);
			}
			json_object_object_add(v, lists[k].key, a);
		}
		static const char *const keep[] = {
		    "kind",       "product",
		    "category",   "calc",
		    "percent",    "amount",
		    "months",     "level",
		    "basis",      "chargeback_days",
		    "valid_from", "valid_to",
		    "replaces",   NULL};
		json_object *f = json_object_new_object();
		for (unsigned k = 0; keep[k] != NULL; k++)
			tp_json_add_str(f, keep[k], tp_form(r, keep[k]));
		if (tp_form(r, "valid_from") == NULL)
			tp_json_add_str(f, "valid_from", cms_today(r));
		json_object_object_add(v, "form", f);
	}
	return TP_OK;
}

tp_rc cms_plan_page(tp_req *r)
{
	return plan_view(r);
}

/* an optional id field of the brand's table: 0 when empty */
static tp_rc brand_id_field(tp_req *r, const char *field, const char *table,
                            const char *what, int64_t *id)
{
	const char *s;
	tp_rc rc = tp_input(r, field, &s);
	*id = 0;
	if (rc != TP_OK || s == NULL || *s == '\0')
		return rc;
	if (tp_parse_i64(s, id) != TP_OK || *id <= 0)
		return tp_fail(r, TP_EINVAL, field, _("%s must be an id"),
		               what);
	tp_rows *rs;
	/* table is this file's own text, never input */
	rc = tp_db_query(tp_req_db(r), r, &rs,
	                 tp_printf(r,
	                           "SELECT 1 FROM %s WHERE id = ? AND "
	                           "tenant_id = ?",
	                           table),
	                 "II", *id, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_EINVAL, field, _("no such %s"), what);
	return TP_OK;
}

static tp_rc int_field(tp_req *r, const char *field, const char *label,
                       int64_t lo, int64_t hi, int64_t dflt, int64_t *out)
{
	const char *s;
	tp_rc rc = tp_input(r, field, &s);
	if (rc != TP_OK)
		return rc;
	*out = dflt;
	if (s == NULL || *s == '\0')
		return TP_OK;
	if (tp_parse_i64(s, out) != TP_OK || *out < lo || *out > hi)
		return tp_fail(r, TP_EINVAL, field,
		               _("%s must be a whole number from %lld to %lld"),
		               label, (long long)lo, (long long)hi);
	return TP_OK;
}

struct rule_in {
	const char *kind, *calc, *basis, *from, *to;
	int64_t product, category, rate, amount, months, level, cb_days,
	    replaces;
};

/* every field of a new rule, checked; the 400 names the first bad one */
static tp_rc rule_read(tp_req *r, int64_t plan, const char *ccy,
                       struct rule_in *in)
{
	const char *s;
	tp_rc rc;
	memset(in, 0, sizeof(*in));
	if ((rc = tp_field_text(r, "kind", _("Kind"), 16, 1, &in->kind)) !=
	    TP_OK)
		return rc;
	if (!one_of(in->kind, kinds))
		return tp_fail(r, TP_EINVAL, "kind",
		               _("Kind must be one of nrc, residual, usage, "
		                 "override, sales, payment"));
	bool pay_kind =
	    strcmp(in->kind, "sales") == 0 || strcmp(in->kind, "payment") == 0;
	bool ovr = strcmp(in->kind, "override") == 0;
	if ((rc = brand_id_field(r, "product", "products", "product",
	                         &in->product)) != TP_OK ||
	    (rc = brand_id_field(r, "category", "product_categories",
	                         "category", &in->category)) != TP_OK)
		return rc;
	if (in->product != 0 && in->category != 0)
		return tp_fail(r, TP_EINVAL, "category",
		               _("Choose a product or a category, not both"));
	if ((pay_kind || ovr) && (in->product != 0 || in->category != 0))
		return tp_fail(r, TP_EINVAL,
		               in->product != 0 ? "product" : "category",
		               _("A %s rule is for every product"), in->kind);
	if ((rc = tp_input(r, "calc", &s)) != TP_OK)
		return rc;
	in->calc = s && *s ? s : "percent";
	if (strcmp(in->calc, "percent") != 0 && strcmp(in->calc, "fixed") != 0)
		return tp_fail(r, TP_EINVAL, "calc",
		               _("Calculation must be percent or fixed"));
	if (strcmp(in->calc, "fixed") == 0 && strcmp(in->kind, "nrc") != 0)
		return tp_fail(r, TP_EINVAL, "calc",
		               _("Only a one-time (nrc) rule may pay a fixed "
		                 "amount"));
	if (strcmp(in->calc, "fixed") == 0) {
		if ((rc = tp_field_text(r, "amount", _("Amount"), 32, 1, &s)) !=
		    TP_OK)
			return rc;
		if (tp_money_parse_ccy(s, ccy, &in->amount) != TP_OK)
			return tp_fail(r, TP_EINVAL, "amount",
			               _("Amount must be an amount in %s"),
			               ccy);
		if (in->amount <= 0)
			return tp_fail(r, TP_EINVAL, "amount",
			               _("Amount must be more than zero"));
	} else if ((rc = cms_rate_field(r, "percent", _("Rate"), &in->rate)) !=
	           TP_OK)
		return rc;
	if ((rc = int_field(r, "months", _("Months"), 1, 600, 0,
	                    &in->months)) != TP_OK ||
	    (rc = int_field(r, "level", _("Level"), 1, 10, ovr ? -1 : 0,
	                    &in->level)) != TP_OK ||
	    (rc = int_field(r, "chargeback_days", _("Chargeback days"), 0, 3650,
	                    0, &in->cb_days)) != TP_OK ||
	    (rc = int_field(r, "replaces", _("Replaces"), 1, INT64_MAX, 0,
	                    &in->replaces)) != TP_OK)
		return rc;
	if (ovr && in->level < 0)
		return tp_fail(
		    r, TP_EINVAL, "level",
		    _("An override needs the level below its holder "
		      "it pays on (1: the holder's own sub-partners)"));
	if (!ovr && in->level != 0)
		return tp_fail(r, TP_EINVAL, "level",
		               _("Only an override rule has a level"));
	if (in->months != 0 && strcmp(in->kind, "residual") != 0)
		return tp_fail(
		    r, TP_EINVAL, "months",
		    _("Only a residual rule lasts a number of months"));
	if (in->cb_days != 0 && strcmp(in->kind, "nrc") != 0)
		return tp_fail(r, TP_EINVAL, "chargeback_days",
		               _("Only a one-time (nrc) rule has chargeback "
		                 "days"));
	if ((rc = tp_input(r, "basis", &s)) != TP_OK)
		return rc;
	in->basis = s && *s ? s : "commission";
	if (strcmp(in->basis, "commission") != 0 &&
	    strcmp(in->basis, "revenue") != 0)
		return tp_fail(r, TP_EINVAL, "basis",
		               _("Basis must be commission or revenue"));
	if (!ovr && strcmp(in->basis, "commission") != 0)
		return tp_fail(r, TP_EINVAL, "basis",
		               _("Only an override rule has a basis"));
	if ((rc = tp_input(r, "valid_from", &s)) != TP_OK)
		return rc;
	in->from = s && *s ? s : cms_today(r);
	if (!cms_date_ok(in->from))
		return tp_fail(r, TP_EINVAL, "valid_from",
		               _("Valid from must be a date YYYY-MM-DD"));
	if ((rc = tp_input(r, "valid_to", &s)) != TP_OK)
		return rc;
	in->to = s && *s ? s : NULL;
	if (in->to != NULL && !cms_date_ok(in->to))
		return tp_fail(
		    r, TP_EINVAL, "valid_to",
		    _("Valid to must be a date YYYY-MM-DD, or nothing"));
	if (in->to != NULL && strcmp(in->to, in->from) < 0)
		return tp_fail(r, TP_EINVAL, "valid_to",
		               _("Valid to cannot be before valid from"));
	(void)plan;
	return TP_OK;
}

/* In the open transaction: the rule replaced ends the day before the new
 * one starts; then no other rule for the same thing may overlap; then
 * the cap. */
static tp_rc rule_fits(tp_req *r, int64_t plan, const struct rule_in *in)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc;
	if (in->replaces != 0) {
		rc =
		    tp_db_query(db, r, &rs,
		                "SELECT valid_from, kind, IFNULL(product_id, "
		                "0), IFNULL(category_id, 0), level FROM "
		                "commission_rules WHERE id = ? AND plan_id = ? "
		                "FOR UPDATE",
		                "II", in->replaces, plan);
		if (rc != TP_OK)
			return rc;
		if (tp_rows_count(rs) == 0)
			return tp_fail(
			    r, TP_EINVAL, "replaces",
			    _("Rule %lld is not a rule of this plan"),
			    (long long)in->replaces);
		if (strcmp(tp_rows_get(rs, 0, 0), in->from) >= 0)
			return tp_fail(
			    r, TP_EINVAL, "valid_from",
			    _("The new rule must start after the rule "
			      "it replaces (valid from %s)"),
			    tp_rows_get(rs, 0, 0));
		if (strcmp(tp_rows_get(rs, 0, 1), in->kind) != 0 ||
		    tp_rows_i64(rs, 0, 2) != in->product ||
		    tp_rows_i64(rs, 0, 3) != in->category ||
		    tp_rows_i64(rs, 0, 4) != in->level)
			return tp_fail(
			    r, TP_EINVAL, "replaces",
			    _("A rule replaces one of the same kind, "
			      "product or category and level"));
		rc = tp_db_exec(db, NULL,
		                "UPDATE commission_rules SET valid_to = "
		                "DATE_SUB(?, INTERVAL 1 DAY) WHERE id = ?",
		                "sI", in->from, in->replaces);
		if (rc != TP_OK)
			return rc;
	}
	rc = tp_db_query(
	    db, r, &rs,
	    "SELECT id, valid_from, IFNULL(valid_to, 'open') FROM "
	    "commission_rules WHERE plan_id = ? AND kind = ? AND "
	    "IFNULL(product_id, 0) = ? AND IFNULL(category_id, 0) = ? AND "
	    "level = ? AND valid_from <= IFNULL(?, '9999-12-31') AND "
	    "IFNULL(valid_to, '9999-12-31') >= ? LIMIT 1",
	    "IsIIIss", plan, in->kind, in->product, in->category, in->level,
	    in->to, in->from);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) > 0)
		return tp_fail(
		    r, TP_EINVAL, "valid_from",
		    _("It overlaps rule %s (valid from %s to %s): end "
		      "that rule first, or replace it"),
		    tp_rows_get(rs, 0, 0), tp_rows_get(rs, 0, 1),
		    tp_rows_get(rs, 0, 2));

	/* the cap: no percentage of revenue above it; and a plan's own
	 * rate plus its overrides on revenue, for the same days, within it */
	struct cms_settings st;
	if ((rc = cms_settings_load(r, &st)) != TP_OK)
		return rc;
	bool on_revenue =
	    strcmp(in->calc, "percent") == 0 &&
	    (strcmp(in->kind, "residual") == 0 ||
	     strcmp(in->kind, "usage") == 0 || strcmp(in->kind, "nrc") == 0 ||
	     (strcmp(in->kind, "override") == 0 &&
	      strcmp(in->basis, "revenue") == 0));
	if (st.cap_ppm == 0 || !on_revenue)
		return TP_OK;
	if (in->rate > st.cap_ppm) {
		json_object *o = json_object_new_object();
		cms_add_rate(r, o, "cap", st.cap_ppm);
		tp_rc e = tp_fail(
		    r, TP_EINVAL, "percent",
		    _("This rule would pay more than the brand's cap of %s %% "
		      "of a revenue line"),
		    json_object_get_string(json_object_object_get(o, "cap")));
		json_object_put(o);
		return e;
	}
	if (strcmp(in->kind, "override") != 0)
		return TP_OK;
	/* the plan's overrides on revenue over the same days, with this one,
	 * and its largest own rate: more than the cap can never be paid */
	rc = tp_db_query(
	    db, r, &rs,
	    "SELECT IFNULL(SUM(IF(kind = 'override', rate_ppm, 0)), 0), "
	    "IFNULL(MAX(IF(kind <> 'override', rate_ppm, 0)), 0) FROM "
	    "commission_rules WHERE plan_id = ? AND calc = 'percent' AND "
	    "(kind IN ('residual','usage','nrc') OR (kind = 'override' AND "
	    "basis = 'revenue')) AND valid_from <= IFNULL(?, '9999-12-31') "
	    "AND IFNULL(valid_to, '9999-12-31') >= ? AND id <> ?",
	    "Issi", plan, in->to, in->from, (int)in->replaces);
	if (rc != TP_OK)
		return rc;
	int64_t total =
	    tp_rows_i64(rs, 0, 0) + tp_rows_i64(rs, 0, 1) + in->rate;
	if (total > st.cap_ppm) {
		json_object *o = json_object_new_object();
		cms_add_rate(r, o, "cap", st.cap_ppm);
		cms_add_rate(r, o, "total", total);
		tp_rc e = tp_fail(
		    r, TP_EINVAL, "percent",
		    _("With this override the plan would pay %s %% of a "
		      "revenue "
		      "line, more than the brand's cap of %s %%"),
		    json_object_get_string(json_object_object_get(o, "total")),
		    json_object_get_string(json_object_object_get(o, "cap")));
		json_object_put(o);
		return e;
	}
	return TP_OK;
}

tp_rc cms_rule_add(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	int64_t plan = tp_param_id(r, "plan");
	struct rule_in in;
	tp_rows *rs;
	tp_rc rc = tp_db_query(db, r, &rs,
	                       "SELECT currency FROM commission_plans WHERE id "
	                       "= ? AND tenant_id = ?",
	                       "II", plan, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	const char *ccy = tp_strdup(r, tp_rows_get(rs, 0, 0));
	if ((rc = rule_read(r, plan, ccy, &in)) != TP_OK)
		goto again;
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	/* rules of one plan change one at a time */
	rc = tp_db_query(db, r, &rs,
	                 "SELECT id FROM commission_plans WHERE id = ? FOR "
	                 "UPDATE",
	                 "I", plan);
	if (rc == TP_OK)
		rc = rule_fits(r, plan, &in);
	if (rc == TP_OK)
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT INTO commission_rules (tenant_id, plan_id, kind, "
		    "product_id, category_id, calc, rate_ppm, amount, months, "
		    "level, basis, chargeback_days, valid_from, valid_to, "
		    "created_by) VALUES (?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), "
		    "?, "
		    "?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?, NULLIF(?, 0))",
		    "IIsIIsIIIIsIssI", (int64_t)tp_tenant_id(r), plan, in.kind,
		    in.product, in.category, in.calc, in.rate, in.amount,
		    in.months, in.level, in.basis, in.cb_days, in.from, in.to,
		    (int64_t)cms_user_id(r));
	uint64_t id = rc == TP_OK ? tp_db_last_id(db) : 0;
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		tp_json_add_i64(d, "plan", plan);
		tp_json_add_str(d, "kind", in.kind);
		tp_json_add_i64(d, "rate_ppm", in.rate);
		tp_json_add_i64(d, "amount", in.amount);
		tp_json_add_i64(d, "level", in.level);
		tp_json_add_str(d, "valid_from", in.from);
		if (in.replaces)
			tp_json_add_i64(d, "replaces", in.replaces);
		tp_audit_log(r, "commissions.rule_add", "commission_rule",
		             (int64_t)id, d);
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK) {
		tp_db_rollback(db);
		goto again;
	}
	json_object *res = json_object_new_object();
	tp_json_add_i64(res, "id", (int64_t)id);
	return tp_answer(
	    r, res, tp_printf(r, "/commissions/plans/%lld", (long long)plan),
	    201);
again:
	if (rc == TP_EINVAL)
		plan_view(r);
	return rc;
}

/* a rule stops applying after valid_to (revenue dated later); lines
 * already computed keep their rate */
tp_rc cms_rule_end(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	int64_t plan = tp_param_id(r, "plan"), rule = tp_param_id(r, "rule");
	const char *to;
	tp_rows *rs;
	tp_rc rc = tp_field_text(r, "valid_to", _("Valid to"), 10, 1, &to);
	if (rc == TP_OK && !cms_date_ok(to))
		rc = tp_fail(r, TP_EINVAL, "valid_to",
		             _("Valid to must be a date YYYY-MM-DD"));
	if (rc != TP_OK)
		goto again;
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_query(db, r, &rs,
	                 "SELECT valid_from FROM commission_rules WHERE id = ? "
	                 "AND plan_id = ? AND tenant_id = ? FOR UPDATE",
	                 "III", rule, plan, (int64_t)tp_tenant_id(r));
	if (rc == TP_OK && tp_rows_count(rs) == 0)
		rc = tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	if (rc == TP_OK && strcmp(to, tp_rows_get(rs, 0, 0)) < 0)
		rc =
		    tp_fail(r, TP_EINVAL, "valid_to",
		            _("Valid to cannot be before the rule starts (%s)"),
		            tp_rows_get(rs, 0, 0));
	if (rc == TP_OK)
		rc =
		    tp_db_exec(db, NULL,
		               "UPDATE commission_rules SET valid_to = ? WHERE "
		               "id = ?",
		               "sI", to, rule);
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		tp_json_add_str(d, "valid_to", to);
		tp_audit_log(r, "commissions.rule_end", "commission_rule", rule,
		             d);
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK) {
		tp_db_rollback(db);
		goto again;
	}
	return tp_answer(
	    r, NULL, tp_printf(r, "/commissions/plans/%lld", (long long)plan),
	    200);
again:
	if (rc == TP_EINVAL)
		plan_view(r);
	return rc;
}

/* a partner's plan (field plan empty: it inherits its ancestor's again);
 * the partner is checked against the viewer's subtree by the core */
tp_rc cms_assign(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	const char *ps, *pl;
	int64_t partner = 0, plan = 0;
	tp_rows *rs;
	tp_rc rc;
	if ((rc = tp_field_text(r, "partner", _("Partner"), 20, 1, &ps)) !=
	        TP_OK ||
	    (rc = tp_input(r, "plan", &pl)) != TP_OK)
		return rc;
	if (tp_parse_i64(ps, &partner) != TP_OK)
		return tp_fail(r, TP_EINVAL, "partner",
		               _("Partner must be an id"));
	if (pl != NULL && *pl != '\0' &&
	    (tp_parse_i64(pl, &plan) != TP_OK || plan <= 0))
		return tp_fail(r, TP_EINVAL, "plan", _("Plan must be an id"));
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	if (plan != 0) {
		rc = tp_db_query(
		    db, r, &rs,
		    "SELECT status FROM commission_plans WHERE id = "
		    "? AND tenant_id = ? LOCK IN SHARE MODE",
		    "II", plan, (int64_t)tp_tenant_id(r));
		if (rc == TP_OK && tp_rows_count(rs) == 0)
			rc = tp_fail(r, TP_EINVAL, "plan", _("no such plan"));
		else if (rc == TP_OK &&
		         strcmp(tp_rows_get(rs, 0, 0), "active") != 0)
			rc = tp_fail(r, TP_EINVAL, "plan",
			             _("That plan is retired"));
		if (rc == TP_OK)
			rc = tp_db_exec(
			    db, NULL,
			    "INSERT INTO commission_assignments (tenant_id, "
			    "partner_id, plan_id, assigned_by) VALUES (?, ?, "
			    "?, "
			    "NULLIF(?, 0)) ON DUPLICATE KEY UPDATE plan_id = "
			    "VALUES(plan_id), assigned_by = "
			    "VALUES(assigned_by), "
			    "assigned_at = CURRENT_TIMESTAMP",
			    "IIII", (int64_t)tp_tenant_id(r), partner, plan,
			    (int64_t)cms_user_id(r));
	} else
		rc = tp_db_exec(db, NULL,
		                "DELETE FROM commission_assignments WHERE "
		                "partner_id = ? AND tenant_id = ?",
		                "II", partner, (int64_t)tp_tenant_id(r));
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		tp_json_add_i64(d, "plan", plan);
		tp_audit_log(r, "commissions.assign", "partner", partner, d);
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK) {
		tp_db_rollback(db);
		return rc;
	}
	const char *back = tp_form(r, "back");
	return tp_answer(r, NULL,
	                 back && strncmp(back, "/commissions/", 13) == 0
	                     ? back
	                     : "/commissions/plans",
	                 200);
}

/* ------------------------------------------------------------------ */
/* the brand's settings                                                 */

static tp_rc settings_view(tp_req *r)
{
	struct cms_settings st;
	tp_rc rc = cms_settings_load(r, &st);
	if (rc != TP_OK)
		return rc;
	const char *ccy = cms_brand_ccy(r);
	json_object *s = json_object_new_object();
	char buf[32];
	tp_json_add_i64(s, "hold_days", st.hold_days);
	tp_json_add_money(r, s, "min_payout", st.min_payout, ccy);
	tp_json_add_str(
	    s, "min_payout_input",
	    tp_money_format_ccy(st.min_payout, ccy, buf, sizeof(buf)));
	cms_add_rate(r, s, "cap", st.cap_ppm);
	tp_json_add_str(s, "payout_provider", st.payout_provider);
	tp_json_add_str(s, "currency", ccy);
	/* what the form's inputs show: what was sent (the form again after
	 * an error), else what is stored */
	const char *stored[] = {
	    tp_printf(r, "%lld", (long long)st.hold_days),
	    json_object_get_string(
	        json_object_object_get(s, "min_payout_input")),
	    json_object_get_string(json_object_object_get(s, "cap")),
	    st.payout_provider};
	static const char *const keep[] = {"hold_days", "min_payout", "cap",
	                                   "payout_provider"};
	for (unsigned k = 0; k < 4; k++) {
		const char *f = tp_form(r, keep[k]);
		tp_json_add_str(s, tp_printf(r, "%s_value", keep[k]),
		                f != NULL ? f : stored[k]);
	}
	json_object_object_add(tp_view(r), "settings", s);
	tp_view_title(r, _("Commission settings"));
	return TP_OK;
}

tp_rc cms_settings_page(tp_req *r)
{
	return settings_view(r);
}

tp_rc cms_settings_post(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	int64_t hold, min, cap;
	const char *s, *prov;
	tp_rows *rs;
	tp_rc rc = int_field(r, "hold_days", _("Hold days"), 0, 365, 30, &hold);
	if (rc != TP_OK)
		goto again;
	if ((rc = tp_field_text(r, "min_payout", _("Minimum payout"), 32, 1,
	                        &s)) != TP_OK)
		goto again;
	if (tp_money_parse(s, &min) != TP_OK || min < 0) {
		rc = tp_fail(r, TP_EINVAL, "min_payout",
		             _("Minimum payout must be an amount, 0 or more"));
		goto again;
	}
	if ((rc = cms_rate_field(r, "cap", _("Cap"), &cap)) != TP_OK)
		goto again;
	if ((rc = tp_field_text(r, "payout_provider", _("Payout provider"), 32,
	                        1, &prov)) != TP_OK)
		goto again;
	if (strcmp(prov, "file") != 0 && strcmp(prov, "test") != 0) {
		rc = tp_fail(r, TP_EINVAL, "payout_provider",
		             _("Payout provider must be file or test"));
		goto again;
	}
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	/* a cap below a rule in force would make that rule pay more */
	if (cap > 0) {
		rc = tp_db_query(
		    db, r, &rs,
		    "SELECT r.id, p.name FROM commission_rules r JOIN "
		    "commission_plans p ON p.id = r.plan_id WHERE r.tenant_id "
		    "= "
		    "? AND p.status = 'active' AND r.calc = 'percent' AND "
		    "(r.kind IN ('residual','usage','nrc') OR (r.kind = "
		    "'override' AND r.basis = 'revenue')) AND r.rate_ppm > ? "
		    "AND (r.valid_to IS NULL OR r.valid_to >= ?) LIMIT 1",
		    "IIs", (int64_t)tp_tenant_id(r), cap, cms_today(r));
		if (rc == TP_OK && tp_rows_count(rs) > 0)
			rc = tp_fail(r, TP_EINVAL, "cap",
			             _("Rule %s of plan %s pays more than that "
			               "cap: end it first"),
			             tp_rows_get(rs, 0, 0),
			             tp_rows_get(rs, 0, 1));
	}
	if (rc == TP_OK)
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT INTO commission_settings (tenant_id, hold_days, "
		    "min_payout, cap_ppm, payout_provider, updated_by) VALUES "
		    "(?, ?, ?, ?, ?, NULLIF(?, 0)) ON DUPLICATE KEY UPDATE "
		    "hold_days = VALUES(hold_days), min_payout = "
		    "VALUES(min_payout), cap_ppm = VALUES(cap_ppm), "
		    "payout_provider = VALUES(payout_provider), updated_by = "
		    "VALUES(updated_by)",
		    "IIIIsI", (int64_t)tp_tenant_id(r), hold, min, cap, prov,
		    (int64_t)cms_user_id(r));
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		tp_json_add_i64(d, "hold_days", hold);
		tp_json_add_i64(d, "min_payout", min);
		tp_json_add_i64(d, "cap_ppm", cap);
		tp_json_add_str(d, "payout_provider", prov);
		tp_audit_log(r, "commissions.settings", "brand",
		             (int64_t)tp_tenant_id(r), d);
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK) {
		tp_db_rollback(db);
		goto again;
	}
	if (!tp_wants_json(r))
		return tp_answer(r, NULL, "/commissions/settings", 200);
	return settings_view(r);
again:
	if (rc == TP_EINVAL)
		settings_view(r);
	return rc;
}
