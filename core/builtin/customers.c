/*
 * customers.c -- the customer lists every module builds on, as grids:
 * accounts, services (all in view, or one account's with its corporate
 * sub-accounts'), an account's locations, the brand's product catalog;
 * and the grid settings: a brand admin renames, hides and orders a
 * grid's columns, a user chooses and orders the ones shown to them.
 */
#include "config.h"
#include "builtin/builtin.h"

#include <string.h>

/* status values: stored and sent as they are, shown translated (tp_tr) */
static const char *const account_states[] = {N_("active"), N_("suspended"),
                                             N_("closed"), NULL};
static const char *const account_kinds[] = {N_("standard"), N_("corporate"),
                                            NULL};
static const char *const service_states[] = {
    N_("pending"), N_("active"), N_("suspended"), N_("disconnected"), NULL};
static const char *const product_types[] = {
    N_("voip-line"),   N_("toll-free"), N_("pbx-seat"), N_("hosting"),
    N_("sip-account"), N_("extension"), N_("other"),    NULL};
static const char *const bill_cycles[] = {N_("none"), N_("monthly"),
                                          N_("quarterly"), N_("yearly"), NULL};

#define S   TP_COL_SORT
#define F   TP_COL_FILTER
#define G   TP_COL_GROUP
#define OPT TP_COL_OPTIONAL

static const char *const partner_kinds[] = {N_("agent"), N_("sub-agent"),
                                            N_("distributor"), NULL};
static const char *const partner_states[] = {N_("active"), N_("disabled"),
                                             NULL};

static const tp_grid_col partner_cols[] = {{.key = "name",
                                            .label = N_("Name"),
                                            .type = TP_COL_TEXT,
                                            .flags = S | F,
                                            .expr = "p.name",
                                            .index = "partners_name"},
                                           {.key = "kind",
                                            .label = N_("Partner type"),
                                            .type = TP_COL_STATUS,
                                            .flags = F | G,
                                            .expr = "p.kind",
                                            .values = partner_kinds},
                                           {.key = "tier",
                                            .label = N_("Tier"),
                                            .type = TP_COL_TEXT,
                                            .flags = G,
                                            .expr = "IFNULL(tr.name, '')"},
                                           {.key = "status",
                                            .label = N_("Status"),
                                            .type = TP_COL_STATUS,
                                            .flags = S | F | G,
                                            .expr = "p.status",
                                            .values = partner_states,
                                            .index = "partners_status"},
                                           {.key = "currency",
                                            .label = N_("Currency"),
                                            .type = TP_COL_TEXT,
                                            .flags = G,
                                            .expr = "p.currency"},
                                           {.key = "credit_limit",
                                            .label = N_("Credit limit"),
                                            .type = TP_COL_MONEY,
                                            .flags = F | OPT,
                                            .expr = "p.credit_limit",
                                            .currency_expr = "p.currency"},
                                           {0}};

/* a partner login sees its subtree (itself included); customers none. No
 * parent column: the parent of the viewer's own partner is out of view. */
static const tp_grid partners_grid = {
    .name = "partners",
    .title = N_("Partners"),
    .cols = partner_cols,
    .from = "partners p LEFT JOIN tiers tr ON tr.id = p.tier_id",
    .id_expr = "p.id",
    .tenant_expr = "p.tenant_id",
    .partner_expr = "p.id",
    .account_expr = NULL,
    .default_sort = "name",
    .link = "/partners/",
    .cached = 1};

static const tp_grid_col account_cols[] = {{.key = "number",
                                            .label = N_("Account"),
                                            .type = TP_COL_TEXT,
                                            .flags = S | F,
                                            .expr = "a.number",
                                            .index = "accounts_number_id"},
                                           {.key = "name",
                                            .label = N_("Name"),
                                            .type = TP_COL_TEXT,
                                            .flags = S | F,
                                            .expr = "a.name",
                                            .index = "accounts_name"},
                                           {.key = "contact",
                                            .label = N_("Contact"),
                                            .type = TP_COL_TEXT,
                                            .flags = OPT,
                                            .expr = "a.contact_name"},
                                           {.key = "email",
                                            .label = N_("E-mail"),
                                            .type = TP_COL_TEXT,
                                            .flags = OPT,
                                            .expr = "a.email"},
                                           {.key = "phone",
                                            .label = N_("Phone"),
                                            .type = TP_COL_TEXT,
                                            .flags = OPT,
                                            .expr = "a.phone"},
                                           {.key = "kind",
                                            .label = N_("Account type"),
                                            .type = TP_COL_STATUS,
                                            .flags = F | G,
                                            .expr = "a.kind",
                                            .values = account_kinds},
                                           {.key = "status",
                                            .label = N_("Status"),
                                            .type = TP_COL_STATUS,
                                            .flags = S | F | G,
                                            .expr = "a.status",
                                            .values = account_states,
                                            .index = "accounts_status_id"},
                                           {.key = "partner",
                                            .label = N_("Partner"),
                                            .type = TP_COL_TEXT,
                                            .flags = G,
                                            .expr = "p.name"},
                                           {.key = "currency",
                                            .label = N_("Currency"),
                                            .type = TP_COL_TEXT,
                                            .flags = G | OPT,
                                            .expr = "a.currency"},
                                           {.key = "balance",
                                            .label = N_("Balance"),
                                            .type = TP_COL_MONEY,
                                            .flags = S | F,
                                            .expr = "a.balance",
                                            .currency_expr = "a.currency",
                                            .index = "accounts_balance"},
                                           {.key = "credit_limit",
                                            .label = N_("Credit limit"),
                                            .type = TP_COL_MONEY,
                                            .flags = F | OPT,
                                            .expr = "a.credit_limit",
                                            .currency_expr = "a.currency"},
                                           {.key = "created",
                                            .label = N_("Created"),
                                            .type = TP_COL_DATE,
                                            .flags = F,
                                            .expr = "DATE(a.created_at)"},
                                           {0}};

static const tp_grid accounts_grid = {
    .name = "accounts",
    .title = N_("Accounts"),
    .cols = account_cols,
    .from = "accounts a JOIN partners p ON p.id = a.partner_id",
    .id_expr = "a.id",
    .tenant_expr = "a.tenant_id",
    .partner_expr = "a.partner_id",
    .account_expr = "a.id",
    .default_sort = "number",
    .link = "/accounts/",
    .cached = 1};

static const tp_grid_col service_cols[] = {
    {.key = "service",
     .label = N_("Service"),
     .type = TP_COL_NUMBER,
     .flags = S,
     .expr = "s.id",
     .index = "services_tenant"},
    {.key = "account",
     .label = N_("Account"),
     .type = TP_COL_TEXT,
     .flags = F,
     .expr = "a.number"},
    {.key = "customer",
     .label = N_("Customer"),
     .type = TP_COL_TEXT,
     .flags = OPT,
     .expr = "a.name"},
    {.key = "product",
     .label = N_("Product"),
     .type = TP_COL_TEXT,
     .flags = F | G,
     .expr = "pr.name"},
    {.key = "type",
     .label = N_("Type"),
     .type = TP_COL_STATUS,
     .flags = F | G | OPT,
     .expr = "pr.product_type",
     .values = product_types},
    {.key = "status",
     .label = N_("Status"),
     .type = TP_COL_STATUS,
     .flags = S | F | G,
     .expr = "s.status",
     .values = service_states,
     .index = "services_status"},
    {.key = "bill_cycle",
     .label = N_("Bill cycle"),
     .type = TP_COL_STATUS,
     .flags = F | G,
     .expr = "s.bill_cycle",
     .values = bill_cycles},
    {.key = "periodic",
     .label = N_("Periodic charge"),
     .type = TP_COL_MONEY,
     .flags = F,
     .expr = "s.periodic_charge",
     .currency_expr = "s.currency"},
    {.key = "nrc",
     .label = N_("One-time charge"),
     .type = TP_COL_MONEY,
     .flags = F,
     .expr = "s.one_time_charge",
     .currency_expr = "s.currency"},
    {.key = "start_date",
     .label = N_("Start date"),
     .type = TP_COL_DATE,
     .flags = S | F,
     .expr = "s.start_date",
     .index = "services_start"},
    {.key = "term_end",
     .label = N_("Term end"),
     .type = TP_COL_DATE,
     .flags = F,
     .expr = "IFNULL(s.term_end, '')"},
    {.key = "phone",
     .label = N_("Phone number"),
     .type = TP_COL_TEXT,
     .flags = F,
     .expr = "s.phone_number"},
    {.key = "btn",
     .label = N_("Billing telephone number"),
     .type = TP_COL_TEXT,
     .flags = F | OPT,
     .expr = "s.btn"},
    {.key = "address",
     .label = N_("Service address"),
     .type = TP_COL_TEXT,
     .flags = 0,
     .expr = "IFNULL(CONCAT(l.street, ', ', l.city), '')"},
    {.key = "comments",
     .label = N_("Comments"),
     .type = TP_COL_TEXT,
     .flags = 0,
     .expr = "s.comments"},
    {0}};

static const tp_grid services_grid = {
    .name = "services",
    .title = N_("Services"),
    .cols = service_cols,
    .from = "services s JOIN accounts a ON a.id = s.account_id "
            "JOIN products pr ON pr.id = s.product_id "
            "LEFT JOIN locations l ON l.id = s.location_id",
    .id_expr = "s.id",
    .tenant_expr = "s.tenant_id",
    .partner_expr = "s.partner_id",
    .account_expr = "s.account_id",
    .default_sort = "-start_date",
    .link = NULL,
    .cached = 1};

static const tp_grid_col location_cols[] = {
    {.key = "name",
     .label = N_("Name"),
     .type = TP_COL_TEXT,
     .flags = S | F,
     .expr = "l.name"},
    {.key = "street",
     .label = N_("Street"),
     .type = TP_COL_TEXT,
     .flags = F,
     .expr = "l.street"},
    {.key = "city",
     .label = N_("City"),
     .type = TP_COL_TEXT,
     .flags = S | F,
     .expr = "l.city"},
    {.key = "postcode",
     .label = N_("Postcode"),
     .type = TP_COL_TEXT,
     .flags = F,
     .expr = "l.postcode"},
    {.key = "region",
     .label = N_("Region"),
     .type = TP_COL_TEXT,
     .flags = OPT,
     .expr = "l.region"},
    {.key = "country",
     .label = N_("Country"),
     .type = TP_COL_TEXT,
     .flags = F | G,
     .expr = "l.country"},
    {.key = "bill_to",
     .label = N_("Bill To"),
     .type = TP_COL_TEXT,
     .flags = 0,
     .expr = "IF(l.is_bill_to, 'Bill To', '')"},
    {0}};

static const tp_grid locations_grid = {
    .name = "locations",
    .title = N_("Locations"),
    .cols = location_cols,
    .from = "locations l JOIN accounts a ON a.id = l.account_id",
    .id_expr = "l.id",
    .tenant_expr = "l.tenant_id",
    .partner_expr = "a.partner_id",
    .account_expr = "l.account_id",
    .default_sort = "name",
    .link = NULL,
    .cached = 1};

static const tp_grid_col product_cols[] = {
    {.key = "name",
     .label = N_("Product"),
     .type = TP_COL_TEXT,
     .flags = S | F,
     .expr = "pr.name",
     .index = "products_name_id"},
    {.key = "type",
     .label = N_("Type"),
     .type = TP_COL_STATUS,
     .flags = F | G,
     .expr = "pr.product_type",
     .values = product_types},
    {.key = "periodic",
     .label = N_("Periodic"),
     .type = TP_COL_MONEY,
     .flags = F,
     .expr = "pr.periodic_charge",
     .currency_expr = "pr.currency"},
    {.key = "bill_cycle",
     .label = N_("Bill cycle"),
     .type = TP_COL_STATUS,
     .flags = F | G,
     .expr = "pr.bill_cycle",
     .values = bill_cycles},
    {.key = "nrc",
     .label = N_("NRC"),
     .type = TP_COL_MONEY,
     .flags = F,
     .expr = "pr.one_time_charge",
     .currency_expr = "pr.currency"},
    {.key = "term",
     .label = N_("Term (months)"),
     .type = TP_COL_NUMBER,
     .flags = F,
     .expr = "pr.term_months"},
    {.key = "active",
     .label = N_("Active"),
     .type = TP_COL_STATUS,
     .flags = F | G,
     .expr = "IF(pr.active, 'yes', 'no')",
     .values = (const char *const[]){"yes", "no", NULL}},
    {.key = "category",
     .label = "Category",
     .type = TP_COL_TEXT,
     .flags = F | G,
     .expr = "IFNULL(pc.name, '')"},
    {0}};

/* the catalog is the brand's: every login of the brand may read it */
static const tp_grid products_grid = {.name = "products",
                                      .title = N_("Products"),
                                      .cols = product_cols,
                                      .from = "products pr LEFT JOIN "
                                              "product_categories pc ON "
                                              "pc.id = pr.category_id",
                                      .id_expr = "pr.id",
                                      .tenant_expr = "pr.tenant_id",
                                      .partner_expr = NULL,
                                      .account_expr = NULL,
                                      .default_sort = "name",
                                      .link = NULL,
                                      .brand_wide = 1,
                                      .cached = 1};

#undef S
#undef F
#undef G
#undef OPT

/* a brand's choice for a column (grid_columns.visibility) */
static const char *const visibilities[] = {N_("default"), N_("shown"),
                                           N_("optional"), N_("hidden"), NULL};

static bool one_of(const char *s, const char *const *set)
{
	for (; s != NULL && *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

static const tp_grid *const core_grids[] = {
    &partners_grid, &accounts_grid, &services_grid,      &locations_grid,
    &products_grid, &tp_users_grid, &tp_categories_grid, NULL};

/* A core grid, or one of a module's (tp_module.grids) enabled for the
 * viewer's brand, by name. */
const tp_grid *tp_grid_find(tp_req *r, const char *name)
{
	const tp_app *app = r->thread ? r->thread->app : NULL;

	for (const tp_grid *const *g = core_grids; name && *g != NULL; g++)
		if (strcmp((*g)->name, name) == 0)
			return *g;
	for (size_t i = 0; name && app != NULL && i < app->mods.n; i++) {
		const tp_module *m = app->mods.mods[i].mod;
		for (const tp_grid *const *g = m->grids; g != NULL && *g; g++)
			if (strcmp((*g)->name, name) == 0 &&
			    tp_module_enabled(r, m->name))
				return *g;
	}
	return NULL;
}

static int64_t path_id(tp_req *r, const char *param)
{
	int64_t id = 0;
	tp_parse_i64(tp_param(r, param), &id); /* checked by the core */
	return id;
}

/* GET /partners; an operator who may add partners gets the link to the
 * new-agent form */
static tp_rc partners_list(tp_req *r)
{
	if (!tp_wants_json(r) && tp_scope_is_operator(r) &&
	    (tp_viewer_rights(r->viewer, "partners") & TP_RIGHT_ADD))
		tp_grid_action(r, "/partners/new", _("Add a top-level agent"));
	return tp_grid_respond(r, &partners_grid, NULL, 0);
}

static tp_rc accounts_list(tp_req *r)
{
	return tp_grid_respond(r, &accounts_grid, NULL, 0);
}

static tp_rc services_list(tp_req *r)
{
	return tp_grid_respond(r, &services_grid, NULL, 0);
}

/* an account's services, and those of its corporate sub-accounts */
static tp_rc account_services(tp_req *r)
{
	return tp_grid_respond(r, &services_grid,
	                       "s.account_id IN (SELECT descendant FROM "
	                       "account_tree WHERE ancestor = ?)",
	                       path_id(r, "account"));
}

/* an account's locations; who may add or change them gets the links to
 * the forms (core/builtin/selfcare.c) */
static tp_rc account_locations(tp_req *r)
{
	int64_t id = path_id(r, "account");
	unsigned rights = tp_viewer_rights(r->viewer, "accounts");
	const char *base =
	    tp_printf(r, "/accounts/%lld/locations/", (long long)id);

	if (!tp_wants_json(r) && (rights & TP_RIGHT_ADD))
		tp_grid_action(r, tp_printf(r, "%snew", base),
		               _("Add a location"));
	return tp_grid_respond_action(
	    r, &locations_grid, "l.account_id = ?", id, _("Edit"),
	    rights & TP_RIGHT_UPDATE ? base : NULL, "/edit");
}

/* The catalog: the brand's own; every login of the brand reads it; an
 * operator who may change it gets the links to the forms */
static tp_rc products_list(tp_req *r)
{
	unsigned rights =
	    tp_scope_is_operator(r) ? tp_viewer_rights(r->viewer, "brand") : 0;
	if (!tp_wants_json(r) && (rights & TP_RIGHT_ADD))
		tp_grid_action(r, "/products/new", _("Add a product"));
	if (!tp_wants_json(r) && (rights & TP_RIGHT_VIEW))
		tp_grid_action(r, "/categories", _("Product categories"));
	return tp_grid_respond_action(
	    r, &products_grid, NULL, 0, _("Edit"),
	    rights & TP_RIGHT_UPDATE ? "/products/" : NULL, "/edit");
}

/* ------------------------------------------------------------------ */
/* grid settings                                                        */

/* {grid} names a grid the core knows; else the 404 of a missing page */
static const tp_grid *grid_of(tp_req *r)
{
	return tp_grid_find(r, tp_param(r, "grid"));
}

/* GET /grids/{grid}/settings: the brand's labels, hidden columns, order */
/* The list the settings page goes back to: ?back= (the grid page's own
 * path: a module's grid is not at /NAME), a local path only, else
 * /NAME. */
static const char *settings_back(tp_req *r, const tp_grid *g)
{
	const char *b = tp_query(r, "back");
	bool ok = b != NULL && b[0] == '/' && b[1] != '/' && strlen(b) <= 200;
	for (const char *p = b; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		     *p == '/' || *p == '_' || *p == '-';
	return ok ? b : tp_printf(r, "/%s", g->name);
}

static tp_rc settings_show(tp_req *r)
{
	const tp_grid *g = grid_of(r);
	tp_rows *rs;
	if (g == NULL)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT col, IFNULL(label, ''), "
	                       "IFNULL(visibility, 'default'), "
	                       "IFNULL(position, -1) FROM grid_columns WHERE "
	                       "tenant_id = ? AND grid = ?",
	                       "Is", (int64_t)tp_tenant_id(r), g->name);
	if (rc != TP_OK)
		return rc;
	json_object *cols = json_object_new_array();
	int n = 0;
	for (const tp_grid_col *c = g->cols; c->key != NULL; c++, n++) {
		json_object *o = json_object_new_object();
		const char *label = "", *vis = "default";
		int64_t pos = -1;
		for (size_t i = 0; i < tp_rows_count(rs); i++)
			if (strcmp(tp_rows_get(rs, i, 0), c->key) == 0) {
				label = tp_rows_get(rs, i, 1);
				vis = tp_rows_get(rs, i, 2);
				pos = tp_rows_i64(rs, i, 3);
			}
		json_object_object_add(o, "key",
		                       json_object_new_string(c->key));
		json_object_object_add(o, "default_label",
		                       json_object_new_string(tp_tr(c->label)));
		json_object_object_add(o, "label",
		                       json_object_new_string(label));
		json_object_object_add(o, "show", json_object_new_string(vis));
		json_object_object_add(
		    o, "declared",
		    json_object_new_string(
		        c->flags & TP_COL_OPTIONAL ? "optional" : "shown"));
		json_object *opts = json_object_new_array();
		for (const char *const *x = visibilities; *x != NULL; x++) {
			json_object *e = json_object_new_object();
			json_object_object_add(e, "value",
			                       json_object_new_string(*x));
			json_object_object_add(
			    e, "label", json_object_new_string(tp_tr(*x)));
			json_object_object_add(
			    e, "selected",
			    json_object_new_boolean(!strcmp(*x, vis)));
			json_object_array_add(opts, e);
		}
		json_object_object_add(o, "show_options", opts);
		json_object_object_add(
		    o, "position",
		    json_object_new_int64(pos >= 0 ? pos : n + 1));
		json_object_array_add(cols, o);
	}
	json_object *v = tp_view(r);
	json_object_object_add(v, "grid", json_object_new_string(g->name));
	json_object_object_add(v, "title",
	                       json_object_new_string(tp_tr(g->title)));
	json_object_object_add(v, "back",
	                       json_object_new_string(settings_back(r, g)));
	json_object_object_add(v, "columns", cols);
	json_object_object_add(v, "csrf_token",
	                       json_object_new_string(r->viewer->csrf));
	if (tp_query(r, "saved") != NULL)
		json_object_object_add(v, "saved", json_object_new_boolean(1));
	tp_view_title(r, tp_printf(r, _("%s: columns"), tp_tr(g->title)));
	return TP_OK;
}

static tp_rc settings_again(tp_req *r, tp_rc rc)
{
	if (!tp_wants_json(r))
		settings_show(r);
	return rc;
}

/* POST /grids/{grid}/settings: label.KEY, hidden.KEY, position.KEY */
static tp_rc settings_save(tp_req *r)
{
	const tp_grid *g = grid_of(r);
	tp_db *db = tp_req_db(r);
	tp_rc rc;
	int shown = 0;

	if (g == NULL)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	json_object *d = json_object_new_object();
	for (const tp_grid_col *c = g->cols; c->key != NULL; c++) {
		const char *label, *show, *pos;
		const char *lk = tp_printf(r, "label.%s", c->key);
		const char *sk = tp_printf(r, "show.%s", c->key);
		const char *pk = tp_printf(r, "position.%s", c->key);
		int64_t p = -1;
		if ((rc = tp_input(r, lk, &label)) != TP_OK ||
		    (rc = tp_input(r, sk, &show)) != TP_OK ||
		    (rc = tp_input(r, pk, &pos)) != TP_OK)
			break;
		if (label != NULL &&
		    (strlen(label) > 64 || !tp_utf8_ok(label) ||
		     strpbrk(label, "\r\n\t") != NULL)) {
			rc = tp_fail(r, TP_EINVAL, lk,
			             _("%s: at most 64 characters on one line"),
			             lk);
			break;
		}
		if (show != NULL && !one_of(show, visibilities)) {
			rc = tp_fail(
			    r, TP_EINVAL, sk,
			    _("%s: default, shown, optional or hidden"), sk);
			break;
		}
		if (pos != NULL && *pos != '\0' &&
		    (tp_parse_i64(pos, &p) != TP_OK || p < 0 || p > 999)) {
			rc = tp_fail(r, TP_EINVAL, pk, _("%s: a number 0-999"),
			             pk);
			break;
		}
		if (label == NULL && show == NULL && pos == NULL)
			continue; /* not sent: unchanged */
		/* what is not sent stays as it was */
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT INTO grid_columns (tenant_id, grid, col, label, "
		    "visibility, position) VALUES (?, ?, ?, NULLIF(?, ''), "
		    "NULLIF(?, 'default'), IF(? < 0, NULL, ?)) ON DUPLICATE "
		    "KEY "
		    "UPDATE label = IF(? = 1, VALUES(label), label), "
		    "visibility "
		    "= IF(? = 1, VALUES(visibility), visibility), position = "
		    "IF(? = 1, VALUES(position), position)",
		    "Issssiiiii", (int64_t)tp_tenant_id(r), g->name, c->key,
		    label ? label : "", show ? show : "default", (int)p, (int)p,
		    label != NULL, show != NULL, pos != NULL);
		if (rc != TP_OK)
			break;
		json_object *o = json_object_new_object();
		if (label != NULL)
			json_object_object_add(o, "label",
			                       json_object_new_string(label));
		if (show != NULL)
			json_object_object_add(o, "show",
			                       json_object_new_string(show));
		if (pos != NULL)
			json_object_object_add(o, "position",
			                       json_object_new_int64(p));
		json_object_object_add(d, c->key, o);
	}
	/* at least one column must stay for the brand's users */
	if (rc == TP_OK) {
		tp_rows *rs;
		int declared = 0;
		for (const tp_grid_col *c = g->cols; c->key != NULL; c++)
			declared++;
		rc = tp_db_query(db, r, &rs,
		                 "SELECT COUNT(*) FROM grid_columns WHERE "
		                 "tenant_id = ? AND grid = ? AND visibility = "
		                 "'hidden'",
		                 "Is", (int64_t)tp_tenant_id(r), g->name);
		if (rc == TP_OK)
			shown = declared - (int)tp_rows_i64(rs, 0, 0);
	}
	if (rc == TP_OK && shown <= 0)
		rc = tp_fail(r, TP_EINVAL, "show",
		             _("show: at least one column must stay"));
	if (rc != TP_OK) {
		json_object_put(d);
		tp_db_rollback(db);
		return settings_again(r, rc);
	}
	tp_audit(r, tp_tenant_id(r), r->viewer->user_id, "grid.settings",
	         "grid", 0,
	         tp_printf(r, "{\"grid\":\"%s\",\"columns\":%s}", g->name,
	                   json_object_to_json_string_ext(
	                       d, JSON_C_TO_STRING_PLAIN)));
	json_object_put(d);
	if ((rc = tp_db_commit(db)) != TP_OK) {
		tp_db_rollback(db);
		return rc;
	}
	if (!tp_wants_json(r)) {
		tp_set_header(r, "Location",
		              tp_printf(r, "/grids/%s/settings?saved=1&back=%s",
		                        g->name, settings_back(r, g)));
		tp_set_status(r, 303);
		r->tmpl = NULL;
		return TP_OK;
	}
	return settings_show(r);
}

/* "a,b,c": keys of g's columns, each once, at most 1000 bytes */
static bool cols_ok(const tp_grid *g, const char *cols)
{
	const tp_grid_col *seen[64];
	size_t n = 0;

	if (strlen(cols) > 1000)
		return false;
	for (const char *p = cols; *p != '\0';) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		const tp_grid_col *c = g->cols;
		for (; c->key != NULL; c++)
			if (strlen(c->key) == len &&
			    strncmp(c->key, p, len) == 0)
				break;
		if (c->key == NULL || n == 64)
			return false;
		for (size_t i = 0; i < n; i++)
			if (seen[i] == c)
				return false;
		seen[n++] = c;
		p = e ? e + 1 : p + len;
	}
	return n > 0;
}

/* POST /grids/{grid}/columns: cols=a,b,c (or col=a&col=b in the form's
 * order), or reset=1 for the brand's default */
static tp_rc columns_save(tp_req *r)
{
	const tp_grid *g = grid_of(r);
	const char *cols, *reset, *back;
	tp_db *db = tp_req_db(r);
	tp_rc rc;

	if (g == NULL)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	if ((rc = tp_input(r, "cols", &cols)) != TP_OK ||
	    (rc = tp_input(r, "reset", &reset)) != TP_OK ||
	    (rc = tp_input(r, "back", &back)) != TP_OK)
		return rc;
	if (cols == NULL) {
		/* the form's checkboxes col=KEY, placed by their order.KEY
		 * (a stable sort: equal or missing places keep form order) */
		size_t n = 0;
		const char *keys[64];
		int64_t place[64];
		for (size_t i = 0; i < r->form.n && n < 64; i++) {
			if (strcmp(r->form.v[i].name, "col") != 0)
				continue;
			const char *o = tp_form(
			    r, tp_printf(r, "order.%s", r->form.v[i].value));
			if (o == NULL || tp_parse_i64(o, &place[n]) != TP_OK)
				place[n] = INT64_MAX;
			keys[n++] = r->form.v[i].value;
		}
		for (size_t i = 1; i < n; i++)
			for (size_t j = i; j > 0 && place[j - 1] > place[j];
			     j--) {
				int64_t tp = place[j];
				const char *tk = keys[j];
				place[j] = place[j - 1], keys[j] = keys[j - 1];
				place[j - 1] = tp, keys[j - 1] = tk;
			}
		char *acc = NULL;
		for (size_t i = 0; i < n; i++)
			acc = acc ? tp_printf(r, "%s,%s", acc, keys[i])
			          : tp_strdup(r, keys[i]);
		cols = acc;
	}
	bool clear = reset != NULL && *reset != '\0' && strcmp(reset, "0");
	if (!clear && (cols == NULL || *cols == '\0'))
		return tp_fail(r, TP_EINVAL, "cols",
		               _("cols: choose a column"));
	if (!clear && !cols_ok(g, cols))
		return tp_fail(r, TP_EINVAL, "cols",
		               _("cols: unknown or repeated column"));
	if (!clear) {
		/* nor one the brand hid */
		tp_rows *rs;
		rc = tp_db_query(
		    db, r, &rs,
		    "SELECT col FROM grid_columns WHERE tenant_id = "
		    "? AND grid = ? AND visibility = 'hidden'",
		    "Is", (int64_t)tp_tenant_id(r), g->name);
		if (rc != TP_OK)
			return rc;
		const char *list = tp_printf(r, ",%s,", cols);
		for (size_t i = 0; i < tp_rows_count(rs); i++)
			if (strstr(list, tp_printf(r, ",%s,",
			                           tp_rows_get(rs, i, 0))) !=
			    NULL)
				return tp_fail(r, TP_EINVAL, "cols",
				               _("cols: unknown or repeated "
				                 "column"));
	}
	if (clear)
		rc = tp_db_exec(
		    db, NULL,
		    "DELETE FROM grid_user_columns WHERE user_id = ? "
		    "AND grid = ?",
		    "Is", (int64_t)r->viewer->user_id, g->name);
	else
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT INTO grid_user_columns (user_id, grid, "
		    "cols) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE "
		    "cols = VALUES(cols)",
		    "Iss", (int64_t)r->viewer->user_id, g->name, cols);
	if (rc != TP_OK)
		return rc;
	tp_audit(r, tp_tenant_id(r), r->viewer->user_id, "grid.columns", "grid",
	         0,
	         tp_printf(r, "{\"grid\":\"%s\",\"cols\":\"%s\"}", g->name,
	                   clear ? "" : cols));
	if (!tp_wants_json(r)) {
		/* back to the list it came from (a local path only) */
		const char *to = tp_local_path(back) ? back : "/";
		tp_set_header(r, "Location", to);
		tp_set_status(r, 303);
		r->tmpl = NULL;
		return TP_OK;
	}
	json_object_object_add(tp_view(r), "cols",
	                       json_object_new_string(clear ? "" : cols));
	return TP_OK;
}

static const tp_param_scope account_scope[] = {
    {.param = "account", .kind = TP_SCOPE_ACCOUNT}, {0}};

static const tp_route customer_routes[] = {
    {.methods = TP_GET,
     .path = "/partners",
     .handler = partners_list,
     .area = "partners",
     .right = TP_RIGHT_VIEW,
     .tmpl = "grid.tpl"},
    {.methods = TP_GET,
     .path = "/accounts",
     .handler = accounts_list,
     .area = "accounts",
     .right = TP_RIGHT_VIEW,
     .tmpl = "grid.tpl"},
    {.methods = TP_GET,
     .path = "/services",
     .handler = services_list,
     .area = "accounts",
     .right = TP_RIGHT_VIEW,
     .tmpl = "grid.tpl"},
    {.methods = TP_GET,
     .path = "/accounts/{account}/services",
     .handler = account_services,
     .area = "accounts",
     .right = TP_RIGHT_VIEW,
     .tmpl = "grid.tpl",
     .scopes = account_scope},
    {.methods = TP_GET,
     .path = "/accounts/{account}/locations",
     .handler = account_locations,
     .area = "accounts",
     .right = TP_RIGHT_VIEW,
     .tmpl = "grid.tpl",
     .scopes = account_scope},
    {.methods = TP_GET,
     .path = "/products",
     .handler = products_list,
     .tmpl = "grid.tpl"},
    {.methods = TP_GET,
     .path = "/grids/{grid}/settings",
     .handler = settings_show,
     .area = "brand",
     .right = TP_RIGHT_VIEW,
     .tmpl = "grid_settings.tpl",
     .flags = TP_ROUTE_OPERATOR},
    {.methods = TP_POST,
     .path = "/grids/{grid}/settings",
     .handler = settings_save,
     .area = "brand",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "grid_settings.tpl",
     .flags = TP_ROUTE_OPERATOR},
    {.methods = TP_POST,
     .path = "/grids/{grid}/columns",
     .handler = columns_save},
    {0}};

tp_rc tp_customer_routes_add(tp_router *rt)
{
	return tp_router_add_table(rt, customer_routes);
}
