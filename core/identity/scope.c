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
	if (v->kind == TP_USER_OPERATOR)
		return exists(r,
		              "SELECT 1 FROM partners WHERE id = ? AND "
		              "tenant_id = ?",
		              "II", id, (int64_t)r->tenant->id);
	if (v->kind == TP_USER_PARTNER)
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
	if (v->kind == TP_USER_OPERATOR)
		return exists(r,
		              "SELECT 1 FROM accounts WHERE id = ? AND "
		              "tenant_id = ?",
		              "II", id, (int64_t)r->tenant->id);
	if (v->kind == TP_USER_PARTNER)
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
	if (v->kind == TP_USER_OPERATOR)
		return exists(r,
		              "SELECT 1 FROM users WHERE id = ? AND "
		              "tenant_id = ?",
		              "II", id, (int64_t)r->tenant->id);
	if (v->kind == TP_USER_PARTNER)
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
	default: return TP_ENOENT;
	}
}

tp_rc tp_scope_check(tp_req *r)
{
	const tp_route *route = r->match.ent->route;

	if (route->scopes == NULL)
		return TP_OK;
	for (const tp_param_scope *s = route->scopes; s->param != NULL; s++) {
		const char *val = tp_param(r, s->param);
		int64_t id;
		if (s->kind == TP_SCOPE_NONE)
			continue;
		/* no viewer, junk or a missing id: all the same 404 */
		if (r->viewer == NULL || val == NULL ||
		    tp_parse_i64(val, &id) != TP_OK || id <= 0)
			return tp_fail(r, TP_ENOENT, NULL, "no such page");
		tp_rc rc = tp_scope_id(r, s->kind, id);
		if (rc == TP_ENOENT)
			return tp_fail(r, TP_ENOENT, NULL, "no such page");
		if (rc != TP_OK)
			return rc;
	}
	return TP_OK;
}
