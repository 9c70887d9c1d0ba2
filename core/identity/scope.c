/*
 * scope.c -- every partner or account id a route takes is checked against
 * the viewer's subtree here, before the handler runs: one indexed lookup
 * in a closure table. Foreign and missing ids give the same 404, so a
 * caller cannot tell them apart.
 */
#include "config.h"
#include "identity/identity.h"

#include <string.h>

/* sql takes one or two ids (fmt "I" or "II"; b is unused with one) */
static tp_rc exists(tp_req *r, const char *sql, const char *fmt, int64_t a,
                    int64_t b)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs, sql, fmt, a, b);
	if (rc != TP_OK)
		return rc;
	return tp_rows_count(rs) > 0 ? TP_OK : TP_ENOENT;
}

static tp_rc check_partner(tp_req *r, int64_t id, bool own)
{
	const tp_viewer *v = r->viewer;
	uint64_t root = own ? v->partner_id : tp_viewer_partner_root(v);
	/* the switcher (own) works on the login's own subtree; the rest on
	 * what it views now, as a customer when it views one */
	int kind = own ? v->kind : tp_viewer_kind(v);
	if (kind == TP_USER_OPERATOR)
		return exists(r,
		              "SELECT 1 FROM partners WHERE id = ? AND "
		              "tenant_id = ?",
		              "II", id, (int64_t)r->tenant->id);
	if (kind == TP_USER_PARTNER)
		return exists(r,
		              "SELECT 1 FROM partner_tree WHERE ancestor = ? "
		              "AND descendant = ?",
		              "II", (int64_t)root, id);
	return TP_ENOENT; /* customers see no partners */
}

static tp_rc check_account(tp_req *r, int64_t id, bool own)
{
	const tp_viewer *v = r->viewer;
	uint64_t proot = own ? v->partner_id : tp_viewer_partner_root(v);
	uint64_t aroot = own ? v->account_id : tp_viewer_account_root(v);
	int kind = own ? v->kind : tp_viewer_kind(v);
	if (kind == TP_USER_OPERATOR)
		return exists(r,
		              "SELECT 1 FROM accounts WHERE id = ? AND "
		              "tenant_id = ?",
		              "II", id, (int64_t)r->tenant->id);
	if (kind == TP_USER_PARTNER)
		return exists(r,
		              "SELECT 1 FROM accounts a JOIN partner_tree t "
		              "ON t.descendant = a.partner_id WHERE a.id = ? "
		              "AND t.ancestor = ?",
		              "II", id, (int64_t)proot);
	/* a customer: its account, or below it in the corporate tree */
	return exists(r,
	              "SELECT 1 FROM account_tree WHERE descendant = ? AND "
	              "ancestor = ?",
	              "II", id, (int64_t)aroot);
}

static tp_rc check_user(tp_req *r, int64_t id)
{
	const tp_viewer *v = r->viewer;
	int kind = tp_viewer_kind(v);
	if (kind == TP_USER_OPERATOR)
		return exists(r,
		              "SELECT 1 FROM users WHERE id = ? AND "
		              "tenant_id = ?",
		              "II", id, (int64_t)r->tenant->id);
	if (kind == TP_USER_PARTNER)
		return exists(r,
		              "SELECT 1 FROM users u JOIN partner_tree t ON "
		              "t.descendant = u.partner_id WHERE u.id = ? AND "
		              "t.ancestor = ?",
		              "II", id, (int64_t)tp_viewer_partner_root(v));
	return exists(r,
	              "SELECT 1 FROM users u JOIN account_tree t ON "
	              "t.descendant = u.account_id WHERE u.id = ? AND "
	              "t.ancestor = ?",
	              "II", id, (int64_t)tp_viewer_account_root(v));
}

tp_rc tp_scope_id(tp_req *r, int kind, int64_t id)
{
	if (r->viewer == NULL || r->tenant == NULL || id <= 0)
		return TP_ENOENT;
	switch (kind) {
	case TP_SCOPE_PARTNER: return check_partner(r, id, false);
	case TP_SCOPE_ACCOUNT: return check_account(r, id, false);
	case TP_SCOPE_OWN_PARTNER: return check_partner(r, id, true);
	case TP_SCOPE_OWN_ACCOUNT: return check_account(r, id, true);
	case TP_SCOPE_USER: return check_user(r, id);
	case TP_SCOPE_TIER:
		return exists(r,
		              "SELECT 1 FROM tiers WHERE id = ? AND "
		              "tenant_id = ?",
		              "II", id, (int64_t)r->tenant->id);
	case TP_SCOPE_BRAND:
		if (tp_scope_is_platform(r))
			return exists(r, "SELECT 1 FROM tenants WHERE id = ?",
			              "I", id, 0);
		return (uint64_t)id == r->tenant->id ? TP_OK : TP_ENOENT;
	case TP_SCOPE_PLAN:
		if (tp_scope_is_platform(r))
			return exists(r, "SELECT 1 FROM plans WHERE id = ?",
			              "I", id, 0);
		return exists(r,
		              "SELECT 1 FROM tenants WHERE plan_id = ? "
		              "AND id = ?",
		              "II", id, (int64_t)r->tenant->id);
	case TP_SCOPE_CATEGORY:
		return exists(r,
		              "SELECT 1 FROM product_categories WHERE id = ? "
		              "AND tenant_id = ?",
		              "II", id, (int64_t)r->tenant->id);
	default: return TP_ENOENT;
	}
}

/* ---- a module's own kinds of id (tp_scope_def) ---- */

const tp_scope_def *tp_scope_def_find(const tp_modules *ms, const char *name)
{
	for (size_t i = 0; ms != NULL && name != NULL && i < ms->n; i++)
		for (const tp_scope_def *d = ms->mods[i].mod->scopes;
		     d != NULL && d->name != NULL; d++)
			if (strcmp(d->name, name) == 0)
				return d;
	return NULL;
}

/* The row of kind d with this id, in the viewer's brand and subtree. The
 * SQL is made of the declaration's names (checked by the loader:
 * tp_sql_name_ok), never of input; the values are bound. */
tp_rc tp_scope_named(tp_req *r, const tp_scope_def *d, int64_t id)
{
	const tp_viewer *v = r->viewer;
	const char *base = tp_printf(r, "SELECT 1 FROM %s x ", d->table);
	const char *where = tp_printf(r, "WHERE x.%s = ? AND x.%s = ?",
	                              d->id_col, d->tenant_col);
	int64_t tenant = (int64_t)r->tenant->id;
	tp_rows *rs;
	tp_rc rc;
	int kind = tp_viewer_kind(v);

	if (kind == TP_USER_OPERATOR ||
	    (d->partner_col == NULL && d->account_col == NULL))
		/* the brand's own: every login of the brand may see it */
		rc = tp_db_query(tp_req_db(r), r, &rs,
		                 tp_printf(r, "%s%s", base, where), "II", id,
		                 tenant);
	else if (kind == TP_USER_PARTNER && d->partner_col != NULL)
		rc = tp_db_query(tp_req_db(r), r, &rs,
		                 tp_printf(r,
		                           "%sJOIN partner_tree t ON "
		                           "t.descendant = x.%s %s AND "
		                           "t.ancestor = ?",
		                           base, d->partner_col, where),
		                 "III", id, tenant,
		                 (int64_t)tp_viewer_partner_root(v));
	else if (kind == TP_USER_PARTNER)
		rc = tp_db_query(
		    tp_req_db(r), r, &rs,
		    tp_printf(
		        r,
		        "%sJOIN accounts a ON a.id = x.%s JOIN "
		        "partner_tree t ON t.descendant = a.partner_id %s "
		        "AND t.ancestor = ?",
		        base, d->account_col, where),
		    "III", id, tenant, (int64_t)tp_viewer_partner_root(v));
	else if (kind == TP_USER_CUSTOMER && d->account_col != NULL)
		rc = tp_db_query(tp_req_db(r), r, &rs,
		                 tp_printf(r,
		                           "%sJOIN account_tree t ON "
		                           "t.descendant = x.%s %s AND "
		                           "t.ancestor = ?",
		                           base, d->account_col, where),
		                 "III", id, tenant,
		                 (int64_t)tp_viewer_account_root(v));
	else
		return TP_ENOENT; /* a partner's row is never a customer's */
	if (rc != TP_OK)
		return rc;
	return tp_rows_count(rs) > 0 ? TP_OK : TP_ENOENT;
}

/* One declared id of the route: a {param} of the path (junk and missing
 * alike a 404) or a field of the body (absent: 400 unless optional; junk:
 * 400 naming it; out of scope: 404 naming it). */
static tp_rc check_one(tp_req *r, const tp_param_scope *s)
{
	bool body = s->flags & TP_PARAM_BODY;
	const char *val = NULL;
	int64_t id;
	const tp_scope_def *def = NULL;

	if (s->kind == TP_SCOPE_NONE)
		return TP_OK;
	if (s->kind == TP_SCOPE_NAMED) {
		const tp_app *app = r->thread ? r->thread->app : NULL;
		def = tp_scope_def_find(app ? &app->mods : NULL, s->kind_name);
		if (def == NULL) { /* the loader refuses such a route */
			tp_log(TP_LOG_ERR, "TP0320", "scope kind %s unknown",
			       s->kind_name ? s->kind_name : "(null)");
			return tp_fail(r, TP_EINTERNAL, NULL,
			               "scope kind unknown");
		}
	}
	if (body) {
		tp_rc rc = tp_input(r, s->param, &val);
		if (rc != TP_OK)
			return rc;
		if (val == NULL || *val == '\0') {
			if (s->flags & TP_PARAM_OPTIONAL)
				return TP_OK;
			return tp_fail(r, TP_EINVAL, s->param,
			               _("%s is required"), s->param);
		}
		if (tp_parse_i64(val, &id) != TP_OK || id <= 0)
			return tp_fail(r, TP_EINVAL, s->param,
			               _("%s must be an id (a whole number)"),
			               s->param);
	} else {
		val = tp_param(r, s->param);
		/* no viewer, junk or a missing id: all the same 404 */
		if (r->viewer == NULL || val == NULL ||
		    tp_parse_i64(val, &id) != TP_OK || id <= 0)
			return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	}
	tp_rc rc = r->viewer == NULL || r->tenant == NULL ? TP_ENOENT
	           : def != NULL ? tp_scope_named(r, def, id)
	                         : tp_scope_id(r, s->kind, id);
	if (rc == TP_ENOENT)
		return body ? tp_fail(r, TP_ENOENT, s->param, _("no such %s"),
		                      s->param)
		            : tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	return rc;
}

tp_rc tp_scope_check(tp_req *r)
{
	const tp_route *route = r->match.ent->route;

	for (const tp_param_scope *s = route->scopes; s != NULL && s->param;
	     s++) {
		tp_rc rc = check_one(r, s);
		if (rc != TP_OK)
			return rc;
	}
	return TP_OK;
}
