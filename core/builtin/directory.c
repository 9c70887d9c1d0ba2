/*
 * directory.c -- a partner's and an account's page, the new-agent form
 * and the "currently viewing" switcher. Every list joins the closure
 * tables on the root the scope layer gives (tp_scope_*_root); every id in
 * a path was checked by the core before these handlers run. The lists of
 * partners and accounts are grids (core/builtin/customers.c); the small lists
 * here (children, sub-accounts, switcher choices) stop at 500 rows.
 */
#include "config.h"
#include "builtin/builtin.h"

#include <string.h>

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

static void add_i64(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

/* rows -> [{names[0]: col 0, ...}]; columns named with a leading '#' are
 * numbers */
static json_object *rows_json(const tp_rows *rs, const char *const *names)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *o = json_object_new_object();
		for (unsigned c = 0; names[c] != NULL; c++) {
			if (names[c][0] == '#')
				add_i64(o, names[c] + 1, tp_rows_i64(rs, i, c));
			else
				add_str(o, names[c], tp_rows_get(rs, i, c));
		}
		json_object_array_add(a, o);
	}
	return a;
}

/* After a change, its page says so (the redirect adds ?saved=1) */
static void saved_flag(tp_req *r)
{
	if (tp_query(r, "saved") != NULL)
		json_object_object_add(tp_view(r), "saved",
		                       json_object_new_boolean(1));
}

/* The brand's tiers, for a select, into o's "tiers" */
static tp_rc add_tiers(tp_req *r, json_object *o)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT id, name FROM tiers WHERE tenant_id = ? "
	                       "ORDER BY rank_no",
	                       "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	static const char *const cols[] = {"#id", "name", NULL};
	json_object_object_add(o, "tiers", rows_json(rs, cols));
	return TP_OK;
}

/* Where a partner may move to: partners in view outside its own subtree
 * (and the top level, for operators), into o's "targets". */
static tp_rc add_move_targets(tp_req *r, json_object *o, int64_t id)
{
	tp_rows *rs;
	tp_rc rc;
	if (tp_scope_is_operator(r))
		rc = tp_db_query(
		    tp_req_db(r), r, &rs,
		    "SELECT p.id, p.name FROM partners p WHERE p.tenant_id = ? "
		    "AND p.status = 'active' AND NOT EXISTS (SELECT 1 FROM "
		    "partner_tree s WHERE s.ancestor = ? AND s.descendant = "
		    "p.id) ORDER BY p.name LIMIT 500",
		    "II", (int64_t)tp_tenant_id(r), id);
	else
		rc = tp_db_query(
		    tp_req_db(r), r, &rs,
		    "SELECT p.id, p.name FROM partner_tree t JOIN partners p "
		    "ON "
		    "p.id = t.descendant WHERE t.ancestor = ? AND p.status = "
		    "'active' AND NOT EXISTS (SELECT 1 FROM partner_tree s "
		    "WHERE s.ancestor = ? AND s.descendant = p.id) ORDER BY "
		    "p.name LIMIT 500",
		    "II", (int64_t)tp_scope_partner_root(r), id);
	if (rc != TP_OK)
		return rc;
	static const char *const cols[] = {"#id", "name", NULL};
	json_object_object_add(o, "targets", rows_json(rs, cols));
	json_object_object_add(
	    o, "top_level", json_object_new_boolean(tp_scope_is_operator(r)));
	return TP_OK;
}

/* After an import (303 to ?imported=N&first=A&last=B, the ids it made):
 * the partner's accounts in that range, linked, so the user can open what
 * was just made. Only the partner's own (the {partner} is scope-checked);
 * at most 100 listed, the grid has them all. */
static tp_rc imported_accounts(tp_req *r, int64_t partner)
{
	int64_t first, last;
	tp_rows *rs;
	if (tp_parse_i64(tp_query(r, "first"), &first) != TP_OK ||
	    tp_parse_i64(tp_query(r, "last"), &last) != TP_OK || first <= 0)
		return TP_OK;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT id, number, name FROM accounts WHERE "
	                       "partner_id = ? AND id BETWEEN ? AND ? ORDER "
	                       "BY id LIMIT 100",
	                       "III", partner, first, last);
	if (rc != TP_OK)
		return rc;
	static const char *const cols[] = {"#id", "number", "name", NULL};
	json_object_object_add(tp_view(r), "created", rows_json(rs, cols));
	json_object_object_add(tp_view(r), "created_any",
	                       json_object_new_boolean(tp_rows_count(rs) > 0));
	return TP_OK;
}

/* GET /partners/new: the form for a top-level agent (operators); the
 * list of partners is a grid (core/builtin/customers.c) */
tp_rc tp_partner_new_page(tp_req *r)
{
	json_object *f = json_object_new_object();
	tp_rc rc;

	add_str(f, "csrf_token", r->viewer->csrf);
	if ((rc = add_tiers(r, f)) != TP_OK) {
		json_object_put(f);
		return rc;
	}
	json_object_object_add(tp_view(r), "add_agent", f);
	tp_view_title(r, _("Add a top-level agent"));
	return TP_OK;
}

tp_rc tp_partner_page(tp_req *r)
{
	tp_rows *rs, *kids;
	int64_t id;
	tp_db *db = tp_req_db(r);

	tp_parse_i64(tp_param(r, "partner"), &id); /* checked by the core */
	tp_rc rc = tp_db_query(
	    db, r, &rs,
	    "SELECT p.id, p.name, p.kind, p.currency, IFNULL(tr.name, ''), "
	    "p.status, p.timezone, p.language, IFNULL(pp.name, ''), "
	    "(SELECT COUNT(*) FROM accounts a WHERE a.partner_id = p.id) "
	    "FROM partners p LEFT JOIN tiers tr ON tr.id = p.tier_id "
	    "LEFT JOIN partners pp ON pp.id = p.parent_id WHERE p.id = ?",
	    "I", id);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	static const char *const cols[] = {
	    "#id",      "name",     "kind",   "currency",  "tier", "status",
	    "timezone", "language", "parent", "#accounts", NULL};
	json_object *one = rows_json(rs, cols);
	json_object *p = json_object_get(json_object_array_get_idx(one, 0));
	json_object_put(one);
	json_object_object_add(tp_view(r), "partner", p);
	rc =
	    tp_db_query(db, r, &kids,
	                "SELECT id, name, kind FROM partners WHERE parent_id = "
	                "? ORDER BY name LIMIT 500",
	                "I", id);
	if (rc != TP_OK)
		return rc;
	static const char *const kcols[] = {"#id", "name", "kind", NULL};
	json_object_object_add(tp_view(r), "children", rows_json(kids, kcols));
	tp_view_title(r, tp_rows_get(rs, 0, 1));
	if (tp_wants_json(r))
		return TP_OK;
	/* the forms this login may use here (HTML only) */
	unsigned pr = tp_viewer_rights(r->viewer, "partners");
	unsigned ar = tp_viewer_rights(r->viewer, "accounts");
	bool self = r->viewer->kind == TP_USER_PARTNER &&
	            (uint64_t)id == r->viewer->partner_id;
	bool active = strcmp(tp_rows_get(rs, 0, 5), "active") == 0;
	json_object *f = json_object_new_object();
	add_str(f, "csrf_token", r->viewer->csrf);
	add_i64(f, "partner_id", id);
	json_object_object_add(
	    f, "add_child",
	    json_object_new_boolean(active && (pr & TP_RIGHT_ADD)));
	json_object_object_add(
	    f, "add_account",
	    json_object_new_boolean(active && (ar & TP_RIGHT_ADD)));
	json_object_object_add(
	    f, "disable",
	    json_object_new_boolean(!self && active && (pr & TP_RIGHT_UPDATE)));
	json_object_object_add(f, "enable",
	                       json_object_new_boolean(!self && !active &&
	                                               (pr & TP_RIGHT_UPDATE)));
	rc = TP_OK;
	if (active && (pr & TP_RIGHT_ADD))
		rc = add_tiers(r, f);
	json_object_object_add(
	    f, "move",
	    json_object_new_boolean(!self && (pr & TP_RIGHT_UPDATE)));
	if (rc == TP_OK && !self && (pr & TP_RIGHT_UPDATE))
		rc = add_move_targets(r, f, id);
	json_object_object_add(
	    f, "distributor",
	    json_object_new_boolean(
	        strcmp(tp_rows_get(rs, 0, 2), "distributor") == 0));
	const char *imp = tp_query(r, "imported");
	if (imp != NULL) {
		add_str(tp_view(r), "imported_count", imp);
		if (rc == TP_OK)
			rc = imported_accounts(r, id);
	}
	saved_flag(r);
	/* a form shown again with its error: every action section open */
	json_object_object_add(
	    f, "open",
	    json_object_new_boolean(
	        json_object_object_get_ex(tp_view(r), "error", NULL) ||
	        json_object_object_get_ex(tp_view(r), "errors", NULL)));
	json_object_object_add(tp_view(r), "forms", f);
	return rc;
}

static const char *const account_cols[] = {
    "#id", "number", "name", "kind", "status", "currency", "partner", NULL};

#define ACCOUNT_SELECT                                                         \
	"SELECT a.id, a.number, a.name, a.kind, a.status, a.currency, "        \
	"p.name FROM accounts a JOIN partners p ON p.id = a.partner_id "

#define ROWS_MAX 50

/* An account's contacts, money, its locations and the services of it and
 * its corporate sub-accounts (the first ROWS_MAX of each: the grids at
 * /accounts/{id}/locations and /services have them all). */
static tp_rc account_extras(tp_req *r, json_object *a, int64_t id)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    db, r, &rs,
	    "SELECT contact_name, email, phone, credit_limit, balance, "
	    "IFNULL(DATE_FORMAT(closed_at, '%Y-%m-%dT%H:%i:%sZ'), ''), "
	    "currency FROM accounts WHERE id = ?",
	    "I", id);
	if (rc != TP_OK || tp_rows_count(rs) == 0)
		return rc;
	add_str(a, "contact_name", tp_rows_get(rs, 0, 0));
	add_str(a, "email", tp_rows_get(rs, 0, 1));
	add_str(a, "phone", tp_rows_get(rs, 0, 2));
	tp_view_money(r, a, "credit_limit", tp_rows_i64(rs, 0, 3),
	              tp_rows_get(rs, 0, 6));
	tp_view_money(r, a, "balance", tp_rows_i64(rs, 0, 4),
	              tp_rows_get(rs, 0, 6));
	add_str(a, "closed_at", tp_rows_get(rs, 0, 5));
	rc = tp_db_query(db, r, &rs,
	                 "SELECT id, name, street, city, postcode, region, "
	                 "country, IF(is_bill_to, 'yes', '') FROM locations "
	                 "WHERE account_id = ? ORDER BY is_bill_to DESC, id "
	                 "LIMIT 50",
	                 "I", id);
	if (rc != TP_OK)
		return rc;
	static const char *const lcols[] = {"#id",     "name",     "street",
	                                    "city",    "postcode", "region",
	                                    "country", "bill_to",  NULL};
	json_object_object_add(tp_view(r), "locations", rows_json(rs, lcols));
	rc = tp_db_query(
	    db, r, &rs,
	    "SELECT s.id, a.number, pr.name, pr.product_type, s.status, "
	    "s.phone_number, s.start_date, IFNULL(s.term_end, ''), "
	    "IFNULL(s.parent_service_id, 0), s.currency, s.periodic_charge, "
	    "s.one_time_charge, s.bill_cycle FROM account_tree t JOIN "
	    "services s ON s.account_id = t.descendant JOIN accounts a ON "
	    "a.id = s.account_id JOIN products pr ON pr.id = s.product_id "
	    "WHERE t.ancestor = ? ORDER BY s.id LIMIT 50",
	    "I", id);
	if (rc != TP_OK)
		return rc;
	static const char *const scols[] = {
	    "#id",        "account",  "product",
	    "type",       "status",   "phone_number",
	    "start_date", "term_end", "#parent_service_id",
	    "currency",   NULL};
	json_object *l = rows_json(rs, scols);
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *o = json_object_array_get_idx(l, i);
		tp_view_money(r, o, "periodic_charge", tp_rows_i64(rs, i, 10),
		              tp_rows_get(rs, i, 9));
		tp_view_money(r, o, "one_time_charge", tp_rows_i64(rs, i, 11),
		              tp_rows_get(rs, i, 9));
		add_str(o, "bill_cycle", tp_rows_get(rs, i, 12));
	}
	json_object_object_add(tp_view(r), "services", l);
	return TP_OK;
}

/* For the add-service form: the brand's active products, the account's
 * locations (already in the view) and the live PBX seats an extension
 * may hang under (the account's and its corporate parents'). */
static tp_rc service_choices(tp_req *r, json_object *f, int64_t id)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT id, name, product_type, currency FROM "
	                       "products WHERE tenant_id = ? AND active = 1 "
	                       "ORDER BY name LIMIT 500",
	                       "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	static const char *const pcols[] = {"#id", "name", "type", "currency",
	                                    NULL};
	json_object_object_add(f, "products", rows_json(rs, pcols));
	rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    "SELECT s.id, a.number FROM account_tree t JOIN services s ON "
	    "s.account_id = t.ancestor JOIN accounts a ON a.id = s.account_id "
	    "JOIN products pr ON pr.id = s.product_id WHERE t.descendant = ? "
	    "AND pr.product_type = 'pbx-seat' AND s.status <> 'disconnected' "
	    "ORDER BY s.id LIMIT 500",
	    "I", id);
	if (rc != TP_OK)
		return rc;
	static const char *const scols[] = {"#id", "account", NULL};
	json_object_object_add(f, "pbx_seats", rows_json(rs, scols));
	json_object *locs = json_object_object_get(tp_view(r), "locations");
	json_object_object_add(f, "locations", json_object_get(locs));
	return TP_OK;
}

/* Each service row gets its status choices and each location the "make
 * it the Bill To" button (HTML only; the lists' own keys say the rest). */
static void row_forms(tp_req *r, int64_t id, bool open)
{
	static const char *const states[] = {"pending", "active", "suspended",
	                                     "disconnected"};
	json_object *l = json_object_object_get(tp_view(r), "services");
	for (size_t i = 0; l != NULL && i < json_object_array_length(l); i++) {
		json_object *o = json_object_array_get_idx(l, i);
		const char *st =
		    json_object_get_string(json_object_object_get(o, "status"));
		if (strcmp(st, "disconnected") == 0)
			continue;
		json_object *c = json_object_new_array();
		for (size_t k = 0; k < 4; k++) {
			json_object *v = json_object_new_object();
			add_str(v, "value", states[k]);
			json_object_object_add(v, "current",
			                       json_object_new_boolean(
			                           strcmp(states[k], st) == 0));
			json_object_array_add(c, v);
		}
		json_object *f = json_object_new_object();
		add_str(f, "csrf_token", r->viewer->csrf);
		add_i64(f, "account_id", id);
		json_object_object_add(f, "states", c);
		json_object_object_add(o, "status_form", f);
	}
	l = json_object_object_get(tp_view(r), "locations");
	for (size_t i = 0; open && l != NULL && i < json_object_array_length(l);
	     i++) {
		json_object *o = json_object_array_get_idx(l, i);
		add_str(o, "edit_href",
		        tp_printf(r, "/accounts/%lld/locations/%s/edit",
		                  (long long)id,
		                  json_object_get_string(
		                      json_object_object_get(o, "id"))));
		if (*json_object_get_string(
		        json_object_object_get(o, "bill_to")))
			continue;
		json_object *f = json_object_new_object();
		add_str(f, "csrf_token", r->viewer->csrf);
		add_i64(f, "account_id", id);
		json_object_object_add(o, "bill_to_form", f);
	}
}

tp_rc tp_account_page(tp_req *r)
{
	tp_rows *rs, *subs;
	int64_t id;
	tp_db *db = tp_req_db(r);

	tp_parse_i64(tp_param(r, "account"), &id); /* checked by the core */
	tp_rc rc =
	    tp_db_query(db, r, &rs, ACCOUNT_SELECT "WHERE a.id = ?", "I", id);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	json_object *one = rows_json(rs, account_cols);
	json_object *a = json_object_get(json_object_array_get_idx(one, 0));
	json_object_put(one);
	json_object_object_add(tp_view(r), "account", a);
	if ((rc = account_extras(r, a, id)) != TP_OK)
		return rc;
	rc = tp_db_query(db, r, &subs,
	                 "SELECT id, number, name FROM accounts WHERE "
	                 "parent_account_id = ? ORDER BY number LIMIT 500",
	                 "I", id);
	if (rc != TP_OK)
		return rc;
	static const char *const scols[] = {"#id", "number", "name", NULL};
	json_object_object_add(tp_view(r), "sub_accounts",
	                       rows_json(subs, scols));
	tp_view_title(r, tp_rows_get(rs, 0, 2));
	if (tp_wants_json(r))
		return TP_OK;
	/* the forms this login may use here (HTML only) */
	unsigned ar = tp_viewer_rights(r->viewer, "accounts");
	bool self = r->viewer->kind == TP_USER_CUSTOMER &&
	            (uint64_t)id == r->viewer->account_id;
	const char *status = tp_rows_get(rs, 0, 4);
	json_object *f = json_object_new_object();
	add_str(f, "csrf_token", r->viewer->csrf);
	add_i64(f, "account_id", id);
	json_object_object_add(
	    f, "add_sub",
	    json_object_new_boolean(
	        strcmp(tp_rows_get(rs, 0, 3), "corporate") == 0 &&
	        strcmp(status, "closed") != 0 && (ar & TP_RIGHT_ADD)));
	if (!self && (ar & TP_RIGHT_UPDATE)) {
		static const char *const states[] = {"active", "suspended",
		                                     "closed"};
		json_object *l = json_object_new_array();
		for (size_t i = 0; i < 3; i++) {
			json_object *o = json_object_new_object();
			add_str(o, "value", states[i]);
			json_object_object_add(
			    o, "current",
			    json_object_new_boolean(strcmp(states[i], status) ==
			                            0));
			json_object_array_add(l, o);
		}
		json_object_object_add(f, "states", l);
		json_object_object_add(f, "can_status",
		                       json_object_new_boolean(1));
	}
	bool open = strcmp(status, "closed") != 0;
	/* the edit form starts from what is stored */
	json_object_object_add(f, "current", json_object_get(a));
	json_object_object_add(
	    f, "can_edit",
	    json_object_new_boolean(open && (ar & TP_RIGHT_UPDATE)));
	json_object_object_add(
	    f, "can_add", json_object_new_boolean(open && (ar & TP_RIGHT_ADD)));
	json_object_object_add(tp_view(r), "forms", f);
	if (open && (ar & TP_RIGHT_ADD) &&
	    (rc = service_choices(r, f, id)) != TP_OK)
		return rc;
	/* the per-row forms of the lists */
	if (ar & TP_RIGHT_UPDATE)
		row_forms(r, id, open);
	saved_flag(r);
	return TP_OK;
}

/* ---- the switcher ---- */

/* The header's drop-down lists at most this many choices; a login with
 * more gets a search box (GET /view?q=) instead. */
#define SWITCH_MAX 25
/* /view lists at most this many of each kind (q narrows them down) */
#define CHOICES_MAX 500

/* A partner's own subtree, and the customers in it (a partner may view
 * as one of them); a customer's corporate tree. Against the login's own
 * node, not the current view, so it can always switch back up. q (may be
 * NULL) keeps the names (and numbers) that contain it. */
static const char switch_partners_sql[] =
    "SELECT p.id, p.name, p.kind, t.depth FROM partner_tree t JOIN "
    "partners p ON p.id = t.descendant WHERE t.ancestor = ? AND (? = '' "
    "OR p.name LIKE CONCAT('%', ?, '%')) ORDER BY t.depth, p.name LIMIT ?";
static const char switch_customers_sql[] =
    "SELECT a.id, a.number, a.name, 0 FROM partner_tree t JOIN accounts a "
    "ON a.partner_id = t.descendant WHERE t.ancestor = ? AND (? = '' OR "
    "a.number LIKE CONCAT('%', ?, '%') OR a.name LIKE CONCAT('%', ?, "
    "'%')) ORDER BY a.number LIMIT ?";
static const char switch_accounts_sql[] =
    "SELECT a.id, a.number, a.name, t.depth FROM account_tree t JOIN "
    "accounts a ON a.id = t.descendant WHERE t.ancestor = ? AND (? = '' "
    "OR a.number LIKE CONCAT('%', ?, '%') OR a.name LIKE CONCAT('%', ?, "
    "'%')) ORDER BY t.depth, a.number LIMIT ?";

/* An operator's choices: every partner of the brand, its depth from the
 * top, in the order of the tree: by the names of its ancestors and its
 * own, top first, each ended by \x01 (below every character a name holds,
 * and the trailing spaces the collation pads with: a parent sorts before
 * its children, its children before its next sibling); and every
 * customer. */
static const char switch_brand_partners_sql[] =
    "SELECT p.id, p.name, p.kind, (SELECT MAX(t.depth) FROM partner_tree t "
    "WHERE t.descendant = p.id) FROM partners p WHERE p.tenant_id = ? AND "
    "(? = '' OR p.name LIKE CONCAT('%', ?, '%')) ORDER BY (SELECT "
    "GROUP_CONCAT(CONCAT(a.name, '\x01') ORDER BY t.depth DESC SEPARATOR "
    "'') FROM partner_tree t JOIN partners a ON a.id = t.ancestor WHERE "
    "t.descendant = p.id), p.id LIMIT ?";
static const char switch_brand_customers_sql[] =
    "SELECT a.id, a.number, a.name, 0 FROM accounts a WHERE a.tenant_id = "
    "? AND (? = '' OR a.number LIKE CONCAT('%', ?, '%') OR a.name LIKE "
    "CONCAT('%', ?, '%')) ORDER BY a.number LIMIT ?";

/* q with LIKE's own wildcards escaped, so a search finds them as text */
static const char *like_text(tp_req *r, const char *q)
{
	size_t n = strlen(q);
	char *o = tp_alloc(r, 2 * n + 1), *w = o;
	for (size_t i = 0; i < n; i++) {
		if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
			*w++ = '\\';
		*w++ = q[i];
	}
	*w = '\0';
	return o;
}

/* The partners (*ps) and accounts (*as) the login may switch to, at
 * most max of each; either may come back NULL (none of that kind). */
static tp_rc switch_rows(tp_req *r, const char *q, int max, tp_rows **ps,
                         tp_rows **as)
{
	const tp_viewer *v = r->viewer;
	tp_db *db = tp_req_db(r);
	const char *l = like_text(r, q != NULL ? q : "");
	tp_rc rc = TP_OK;
	*ps = *as = NULL;
	if (v->kind == TP_USER_OPERATOR) {
		rc = tp_db_query(db, r, ps, switch_brand_partners_sql, "Issi",
		                 (int64_t)tp_tenant_id(r), l, l, max);
		if (rc == TP_OK)
			rc = tp_db_query(db, r, as, switch_brand_customers_sql,
			                 "Isssi", (int64_t)tp_tenant_id(r), l,
			                 l, l, max);
	} else if (v->kind == TP_USER_PARTNER) {
		rc = tp_db_query(db, r, ps, switch_partners_sql, "Issi",
		                 (int64_t)v->partner_id, l, l, max);
		if (rc == TP_OK)
			rc = tp_db_query(db, r, as, switch_customers_sql,
			                 "Isssi", (int64_t)v->partner_id, l, l,
			                 l, max);
	} else if (v->kind == TP_USER_CUSTOMER) {
		rc = tp_db_query(db, r, as, switch_accounts_sql, "Isssi",
		                 (int64_t)v->account_id, l, l, l, max);
	}
	return rc;
}

/* The page to go back to after a switch: back if it is a local path, up
 * to its first numeric segment (an id of the old view would be a 404 in
 * the new one: /accounts/42/services becomes /accounts); else /view. */
static const char *switch_back(tp_req *r)
{
	const char *b = tp_form(r, "back");
	if (b == NULL || !tp_local_path(b) || strncmp(b, "/view/", 6) == 0)
		return "/view";
	char *o = tp_strdup(r, b);
	for (char *seg = o + 1; *seg != '\0';) {
		size_t n = strcspn(seg, "/?#");
		if (n > 0 && strspn(seg, "0123456789") == n) {
			seg[-1] = '\0';
			return o[0] != '\0' ? o : "/";
		}
		if (seg[n] != '/')
			break;
		seg += n + 1;
	}
	return o;
}

/* An operator's own view, the whole brand, as the switcher names it */
static const char *whole_brand(tp_req *r)
{
	/* TRANSLATORS: %s is the brand's name */
	return tp_printf(r, _("%s (whole brand)"), r->tenant->name);
}

/* What the viewer looks at now, for the header: {label, as_customer,
 * read_only}; the viewed account's number names a customer. */
static json_object *view_now(tp_req *r)
{
	const tp_viewer *v = r->viewer;
	json_object *o = json_object_new_object();
	add_str(o, "label",
	        tp_viewer_kind(v) == TP_USER_OPERATOR ? whole_brand(r)
	                                              : v->viewing);
	if (tp_viewer_kind(v) == TP_USER_CUSTOMER && v->view_account_id) {
		tp_rows *rs;
		if (tp_db_query(tp_req_db(r), r, &rs,
		                "SELECT number FROM accounts WHERE id = ?", "I",
		                (int64_t)v->view_account_id) == TP_OK &&
		    tp_rows_count(rs) == 1)
			add_str(o, "number", tp_rows_get(rs, 0, 0));
		json_object_object_add(
		    o, "as_customer",
		    json_object_new_boolean(v->kind != TP_USER_CUSTOMER));
	}
	json_object_object_add(o, "read_only",
	                       json_object_new_boolean(tp_viewer_read_only(v)));
	return o;
}

/* An option of the header's drop-down */
static void add_option(json_object *l, const char *value, const char *text,
                       bool current)
{
	json_object *o = json_object_new_object();
	add_str(o, "value", value);
	add_str(o, "text", text);
	json_object_object_add(o, "current", json_object_new_boolean(current));
	json_object_array_add(l, o);
}

/* A labelled group of options (an optgroup), when it has any */
static void add_group(json_object *groups, const char *label,
                      json_object *options)
{
	if (json_object_array_length(options) == 0) {
		json_object_put(options);
		return;
	}
	json_object *g = json_object_new_object();
	add_str(g, "label", label);
	json_object_object_add(g, "options", options);
	json_object_array_add(groups, g);
}

/* The layout's switcher (http/view.c calls it for every signed-in HTML
 * page): {now, back, search: false, groups[{label, options[]}]} with at
 * most SWITCH_MAX choices, or {now, back, search: true} when there are
 * more; NULL for an API token and for a login with nothing to switch to.
 * An operator's first choice is its own view, the whole brand. */
static json_object *view_switcher(tp_req *r, bool error)
{
	const tp_viewer *v = r->viewer;
	tp_rows *ps, *as;
	if (v == NULL || v->via_token ||
	    switch_rows(r, NULL, SWITCH_MAX + 1, &ps, &as) != TP_OK)
		return NULL;
	bool op = v->kind == TP_USER_OPERATOR;
	size_t np = ps ? tp_rows_count(ps) : 0, na = as ? tp_rows_count(as) : 0;
	if (np + na + op <= 1)
		return NULL; /* only its own node: nothing to choose */
	json_object *o = tp_json_owned(r, json_object_new_object());
	json_object_object_add(o, "now", view_now(r));
	/* the header names what an operator sees, the brand included (its
	 * login has no node of its own for the session's "viewing") */
	if (op)
		add_str(o, "viewing",
		        tp_viewer_kind(v) == TP_USER_OPERATOR ? whole_brand(r)
		                                              : v->viewing);
	/* an error page goes home: its path may hold an id of another
	 * view, and it must read the same for a foreign and a missing id */
	add_str(o, "back",
	        !error && r->uri != NULL && tp_local_path(r->uri) ? r->uri
	                                                          : "/");
	json_object_object_add(
	    o, "search", json_object_new_boolean(np + na + op > SWITCH_MAX));
	if (np + na + op > SWITCH_MAX)
		return o;
	uint64_t cur_p = tp_viewer_kind(v) == TP_USER_PARTNER
	                     ? tp_viewer_partner_root(v)
	                     : 0;
	uint64_t cur_a = tp_viewer_kind(v) == TP_USER_CUSTOMER
	                     ? tp_viewer_account_root(v)
	                     : 0;
	json_object *pl = json_object_new_array(),
	            *al = json_object_new_array();
	for (size_t i = 0; i < np; i++) {
		int64_t depth = tp_rows_i64(ps, i, 3);
		add_option(
		    pl, tp_printf(r, "partner:%s", tp_rows_get(ps, i, 0)),
		    tp_printf(r, "%.*s%s", (int)(depth > 8 ? 8 : depth) * 2,
		              "- - - - - - - - ", tp_rows_get(ps, i, 1)),
		    (uint64_t)tp_rows_i64(ps, i, 0) == cur_p);
	}
	for (size_t i = 0; i < na; i++)
		add_option(al,
		           tp_printf(r, "account:%s", tp_rows_get(as, i, 0)),
		           tp_printf(r, "%s %s", tp_rows_get(as, i, 1),
		                     tp_rows_get(as, i, 2)),
		           (uint64_t)tp_rows_i64(as, i, 0) == cur_a);
	json_object *groups = json_object_new_array();
	if (op) {
		json_object *bl = json_object_new_array();
		add_option(bl, "brand", whole_brand(r),
		           tp_viewer_kind(v) == TP_USER_OPERATOR);
		add_group(groups, _("Your own view"), bl);
	}
	add_group(groups, _("Partners"), pl);
	/* a partner's customers; a corporate customer's accounts */
	add_group(groups,
	          v->kind != TP_USER_CUSTOMER ? _("Customers") : _("Accounts"),
	          al);
	json_object_object_add(o, "groups", groups);
	return o;
}

/* One list of choices for /view: the rows under key, the one the login
 * views now marked "current". */
static void add_choices(tp_req *r, const char *key, tp_rows *rs,
                        const char *const *cols, uint64_t cur)
{
	if (rs == NULL)
		return;
	json_object *list = rows_json(rs, cols);
	for (size_t i = 0; i < json_object_array_length(list); i++)
		json_object_object_add(
		    json_object_array_get_idx(list, i), "current",
		    json_object_new_boolean((uint64_t)tp_rows_i64(rs, i, 0) ==
		                            cur));
	json_object_object_add(tp_view(r), key, list);
}

/* GET /view[?q=][&back=]: what the login may look at (q: names or
 * numbers containing it), against its own subtree. */
static tp_rc view_choices(tp_req *r)
{
	static const char *const pcols[] = {"#id", "name", "kind", "#depth",
	                                    NULL};
	static const char *const acols[] = {"#id", "number", "name", "#depth",
	                                    NULL};
	const tp_viewer *v = r->viewer;
	const char *q = tp_query(r, "q");
	const char *back = tp_query(r, "back");
	tp_rows *ps, *as;

	if (q != NULL && strlen(q) > 100)
		return tp_fail(r, TP_EINVAL, "q",
		               _("Search for at most 100 characters."));
	tp_rc rc = switch_rows(r, q, CHOICES_MAX, &ps, &as);
	if (rc != TP_OK)
		return rc;
	json_object_object_add(tp_view(r), "now", view_now(r));
	add_str(tp_view(r), "viewing",
	        tp_viewer_kind(v) == TP_USER_OPERATOR ? whole_brand(r)
	                                              : v->viewing);
	add_choices(r, "partners", ps, pcols,
	            tp_viewer_kind(v) == TP_USER_PARTNER
	                ? tp_viewer_partner_root(v)
	                : 0);
	add_choices(r, v->kind != TP_USER_CUSTOMER ? "customers" : "accounts",
	            as, acols,
	            tp_viewer_kind(v) == TP_USER_CUSTOMER
	                ? tp_viewer_account_root(v)
	                : 0);
	/* an operator's way back to its own view ("brand" is the layout's) */
	if (v->kind == TP_USER_OPERATOR) {
		json_object *b = json_object_new_object();
		add_str(b, "name", whole_brand(r));
		json_object_object_add(
		    b, "current",
		    json_object_new_boolean(tp_viewer_kind(v) ==
		                            TP_USER_OPERATOR));
		json_object_object_add(tp_view(r), "own_view", b);
	}
	add_str(tp_view(r), "q", q);
	if (q != NULL && *q != '\0' && (ps == NULL || tp_rows_count(ps) == 0) &&
	    (as == NULL || tp_rows_count(as) == 0))
		json_object_object_add(tp_view(r), "none",
		                       json_object_new_boolean(1));
	if (back != NULL && tp_local_path(back))
		add_str(tp_view(r), "back", back);
	add_str(tp_view(r), "csrf_token", v->csrf);
	tp_view_title(r, _("Currently viewing"));
	return TP_OK;
}

/* After a switch: the API gets the new view ({"view": {kind, id, name,
 * number, read_only}}; kind "brand" and the brand's id for an operator's
 * own view); a browser goes back to the page it came from. */
static tp_rc view_done(tp_req *r, const char *kind, int64_t id)
{
	if (r->api || tp_wants_json(r)) {
		json_object *o = json_object_new_object();
		add_str(o, "kind", kind);
		add_i64(o, "id", id);
		tp_rows *rs;
		tp_rc rc = TP_OK;
		if (strcmp(kind, "brand") == 0)
			rc = tp_db_query(tp_req_db(r), r, &rs,
			                 "SELECT name, '' FROM tenants WHERE "
			                 "id = ?",
			                 "I", id);
		else if (strcmp(kind, "partner") == 0)
			rc = tp_db_query(tp_req_db(r), r, &rs,
			                 "SELECT name, '' FROM partners WHERE "
			                 "id = ?",
			                 "I", id);
		else
			rc = tp_db_query(tp_req_db(r), r, &rs,
			                 "SELECT name, number FROM accounts "
			                 "WHERE id = ?",
			                 "I", id);
		if (rc != TP_OK) {
			json_object_put(o);
			return rc;
		}
		add_str(o, "name", tp_rows_get(rs, 0, 0));
		if (strcmp(kind, "account") == 0)
			add_str(o, "number", tp_rows_get(rs, 0, 1));
		/* the viewer as the next request will load it */
		tp_viewer next = *r->viewer;
		next.view_partner_id = 0;
		next.view_account_id = 0;
		if (strcmp(kind, "account") == 0 &&
		    (uint64_t)id != next.account_id)
			next.view_account_id = (uint64_t)id;
		json_object_object_add(
		    o, "read_only",
		    json_object_new_boolean(tp_viewer_read_only(&next)));
		json_object_object_add(tp_view(r), "view", o);
		return TP_OK;
	}
	tp_set_header(r, "Location", switch_back(r));
	tp_set_status(r, 303);
	r->tmpl = NULL;
	return TP_OK;
}

/* Switches the view to the partner (or account) id, which the caller
 * checked against the login's own subtree (an operator's: its brand). */
static tp_rc switch_to(tp_req *r, bool partner, int64_t id)
{
	const tp_viewer *v = r->viewer;
	/* viewing as oneself is the default, not a choice */
	uint64_t own = partner ? v->partner_id : v->account_id;
	uint64_t to = (uint64_t)id == own ? 0 : (uint64_t)id;
	tp_rc rc = tp_session_set_view(r, partner ? to : 0, partner ? 0 : to);
	if (rc != TP_OK)
		return rc;
	const char *kind = partner ? "partner" : "account";
	tp_audit(r, r->tenant->id, v->user_id,
	         partner ? "view.partner" : "view.account", kind, (uint64_t)id,
	         NULL);
	return view_done(r, kind, id);
}

/* POST /view/partner/{partner}, /view/account/{account}: the path's id,
 * checked by the core (the own-* kinds) */
static tp_rc view_path(tp_req *r)
{
	bool partner = tp_param(r, "partner") != NULL;
	int64_t id;
	tp_parse_i64(tp_param(r, partner ? "partner" : "account"), &id);
	return switch_to(r, partner, id);
}

static tp_rc view_reset(tp_req *r);

/* POST /view/switch (the header's drop-down): to = "partner:ID" or
 * "account:ID", or "brand" (an operator's own view). One field names both
 * kinds, so the route cannot declare its scope; the core's own check
 * (tp_scope_id, the own-* kinds the /view/partner and /view/account routes
 * declare) runs here, with the same 404 for a foreign or missing id. */
static tp_rc view_switch(tp_req *r)
{
	const char *to;
	int64_t id;
	tp_rc rc = tp_input(r, "to", &to);
	if (rc != TP_OK)
		return rc;
	if (to == NULL || *to == '\0')
		return tp_fail(r, TP_EINVAL, "to", _("Choose whom to view."));
	if (strcmp(to, "brand") == 0 && r->viewer->kind == TP_USER_OPERATOR)
		return view_reset(r);
	bool partner = strncmp(to, "partner:", 8) == 0;
	if (!partner && strncmp(to, "account:", 8) != 0)
		return tp_fail(r, TP_EINVAL, "to",
		               _("to is partner:ID or account:ID"));
	if (tp_parse_i64(to + 8, &id) != TP_OK || id <= 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	rc = tp_scope_id(
	    r, partner ? TP_SCOPE_OWN_PARTNER : TP_SCOPE_OWN_ACCOUNT, id);
	if (rc != TP_OK)
		return rc == TP_ENOENT
		           ? tp_fail(r, TP_ENOENT, NULL, _("no such page"))
		           : rc;
	return switch_to(r, partner, id);
}

/* POST /view/reset: the login's own view again */
static tp_rc view_reset(tp_req *r)
{
	tp_rc rc = tp_session_set_view(r, 0, 0);
	if (rc != TP_OK)
		return rc;
	const tp_viewer *v = r->viewer;
	if (v->kind == TP_USER_OPERATOR) {
		tp_audit(r, r->tenant->id, v->user_id, "view.brand", "tenant",
		         r->tenant->id, NULL);
		return view_done(r, "brand", (int64_t)r->tenant->id);
	}
	return v->kind == TP_USER_PARTNER
	           ? view_done(r, "partner", (int64_t)v->partner_id)
	           : view_done(r, "account", (int64_t)v->account_id);
}

static const tp_param_scope partner_scope[] = {
    {.param = "partner", .kind = TP_SCOPE_PARTNER}, {0}};
static const tp_param_scope account_scope[] = {
    {.param = "account", .kind = TP_SCOPE_ACCOUNT}, {0}};
static const tp_param_scope own_partner_scope[] = {
    {.param = "partner", .kind = TP_SCOPE_OWN_PARTNER}, {0}};
static const tp_param_scope own_account_scope[] = {
    {.param = "account", .kind = TP_SCOPE_OWN_ACCOUNT}, {0}};

static const tp_route directory_routes[] = {
    {.methods = TP_GET,
     .path = "/partners/new",
     .handler = tp_partner_new_page,
     .area = "partners",
     .right = TP_RIGHT_ADD,
     .tmpl = "partner_new.tpl",
     .flags = TP_ROUTE_OPERATOR | TP_ROUTE_HTML_ONLY},
    {.methods = TP_GET,
     .path = "/partners/{partner}",
     .handler = tp_partner_page,
     .area = "partners",
     .right = TP_RIGHT_VIEW,
     .tmpl = "partner.tpl",
     .scopes = partner_scope},
    {.methods = TP_GET,
     .path = "/accounts/{account}",
     .handler = tp_account_page,
     .area = "accounts",
     .right = TP_RIGHT_VIEW,
     .tmpl = "account.tpl",
     .scopes = account_scope},
    {.methods = TP_GET,
     .path = "/view",
     .handler = view_choices,
     .tmpl = "view.tpl"},
    {.methods = TP_POST,
     .path = "/view/partner/{partner}",
     .handler = view_path,
     .flags = TP_ROUTE_VIEW_SAFE,
     .scopes = own_partner_scope},
    {.methods = TP_POST,
     .path = "/view/account/{account}",
     .handler = view_path,
     .flags = TP_ROUTE_VIEW_SAFE,
     .scopes = own_account_scope},
    {.methods = TP_POST,
     .path = "/view/switch",
     .handler = view_switch,
     .flags = TP_ROUTE_VIEW_SAFE},
    {.methods = TP_POST,
     .path = "/view/reset",
     .handler = view_reset,
     .flags = TP_ROUTE_VIEW_SAFE},
    {0}};

tp_rc tp_directory_routes_add(tp_router *rt)
{
	tp_view_set_switcher(view_switcher);
	return tp_router_add_table(rt, directory_routes);
}
