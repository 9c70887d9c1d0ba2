/*
 * home.c -- the portal's home page and Help > Contact us (the brand's
 * published contacts). The home page: the viewer's own summary (a customer's
 * account, a partner's customers and sub-partners, a brand's counts for an
 * operator) and the modules' panels of the "home" slot (tp_slot_fill), so
 * the page grows as modules land without the core knowing them. Signed
 * out, the pipeline sends the browser to the brand's sign-in page.
 */
#include "config.h"
#include "builtin/builtin.h"

#include <string.h>

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

/* The first row of a query as named columns ("#x": a number), or TP_ENOENT */
static tp_rc row_into(tp_req *r, json_object *o, const char *const *cols,
                      const char *sql, int64_t a)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs, sql, "I", a);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return TP_ENOENT;
	for (unsigned i = 0; cols[i] != NULL; i++) {
		if (cols[i][0] == '#')
			json_object_object_add(
			    o, cols[i] + 1,
			    json_object_new_int64(tp_rows_i64(rs, 0, i)));
		else if (cols[i][0] == '$') /* its currency comes next */
			tp_view_money(r, o, cols[i] + 1, tp_rows_i64(rs, 0, i),
			              tp_rows_get(rs, 0, i + 1));
		else
			add_str(o, cols[i], tp_rows_get(rs, 0, i));
	}
	return TP_OK;
}

static tp_rc home(tp_req *r)
{
	const tp_viewer *v = r->viewer;
	json_object *h = json_object_new_object();
	tp_rc rc;

	json_object_object_add(tp_view(r), "home", h);
	tp_view_title(r, _("Home"));
	if (tp_viewer_kind(v) == TP_USER_CUSTOMER) {
		static const char *const cols[] = {
		    "#id",      "number",   "name", "status",
		    "$balance", "currency", NULL};
		json_object *a = json_object_new_object();
		json_object_object_add(h, "account", a);
		rc = row_into(r, a, cols,
		              "SELECT id, number, name, status, balance, "
		              "currency FROM accounts WHERE id = ?",
		              (int64_t)tp_viewer_account_root(v));
	} else if (tp_viewer_kind(v) == TP_USER_PARTNER) {
		static const char *const cols[] = {
		    "#id",        "name",      "kind", "tier",
		    "#customers", "#partners", NULL};
		json_object *p = json_object_new_object();
		json_object_object_add(h, "partner", p);
		/* its whole subtree: the customers of every partner below */
		rc = row_into(
		    r, p, cols,
		    "SELECT p.id, p.name, p.kind, IFNULL(t.name, ''), (SELECT "
		    "COUNT(*) FROM partner_tree pt JOIN accounts a ON "
		    "a.partner_id = pt.descendant WHERE pt.ancestor = p.id), "
		    "(SELECT COUNT(*) FROM partner_tree pt WHERE pt.ancestor = "
		    "p.id AND pt.depth > 0) FROM partners p LEFT JOIN tiers t "
		    "ON "
		    "t.id = p.tier_id WHERE p.id = ?",
		    (int64_t)tp_viewer_partner_root(v));
	} else {
		static const char *const cols[] = {"#partners", "#accounts",
		                                   "#users", NULL};
		json_object *b = json_object_new_object();
		json_object_object_add(h, "brand", b);
		rc = row_into(
		    r, b, cols,
		    "SELECT (SELECT COUNT(*) FROM partners WHERE "
		    "tenant_id = t.id), (SELECT COUNT(*) FROM accounts "
		    "WHERE tenant_id = t.id), (SELECT COUNT(*) FROM "
		    "users WHERE tenant_id = t.id) FROM tenants t WHERE "
		    "t.id = ?",
		    (int64_t)tp_tenant_id(r));
		add_str(b, "name", r->tenant->name);
	}
	if (rc != TP_OK)
		return rc == TP_ENOENT
		           ? tp_fail(r, TP_ENOENT, NULL, _("no such page"))
		           : rc;
	/* null, not absent: the layout's own BRAND (the slug) would show an
	 * empty brand panel to every partner and customer */
	static const char *const panels[] = {"account", "partner", "brand"};
	for (size_t i = 0; i < 3; i++)
		if (!json_object_object_get_ex(h, panels[i], NULL))
			json_object_object_add(h, panels[i], NULL);
	return tp_slot_fill(r, "home");
}

/* GET /help/contact: the brand's published contacts (the brand settings
 * page sets them), for every login of the brand; what it has not set is
 * left out, and a brand with none says so. */
static tp_rc contact(tp_req *r)
{
	static const char *const keys[] = {"phone", "email", "address",
	                                   "payment_address", "other_address"};
	json_object *c = json_object_new_object();
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    "SELECT support_phone, support_email, support_address, "
	    "payment_address, other_address FROM tenants WHERE id = ?",
	    "I", (int64_t)tp_tenant_id(r));
	json_object_object_add(tp_view(r), "contact", c);
	if (rc != TP_OK)
		return rc;
	bool any = false;
	for (unsigned i = 0; i < 5 && tp_rows_count(rs) == 1; i++) {
		const char *v = tp_rows_get(rs, 0, i);
		/* null, not absent: the layout's keys must not show through */
		json_object_object_add(
		    c, keys[i],
		    v != NULL && *v != '\0' ? json_object_new_string(v) : NULL);
		any = any || (v != NULL && *v != '\0');
	}
	add_str(c, "brand_name", r->tenant->name);
	json_object_object_add(c, "none", json_object_new_boolean(!any));
	if (r->tenant->social != NULL)
		json_object_object_add(c, "social",
		                       json_object_get(r->tenant->social));
	tp_view_title(r, _("Contact us"));
	return TP_OK;
}

static const tp_route home_routes[] = {{.methods = TP_GET,
                                        .path = "/",
                                        .handler = home,
                                        .tmpl = "home.tpl",
                                        .flags = TP_ROUTE_HTML_ONLY},
                                       {.methods = TP_GET,
                                        .path = "/help/contact",
                                        .handler = contact,
                                        .tmpl = "contact.tpl"},
                                       {0}};

tp_rc tp_home_routes_add(tp_router *rt)
{
	return tp_router_add_table(rt, home_routes);
}
