/*
 * categories.c -- the brand's product categories (operators): the list, a
 * new category (its code and name) and a rename. The code is what revenue
 * is booked under ("revenue.CODE", docs/money.md), so it never changes;
 * the name is what people read, unique in the brand (sql/019). Nothing is
 * deleted. {category} is checked by the scope layer (TP_SCOPE_CATEGORY:
 * the viewer's brand's); each change is one transaction with its audit
 * line.
 */
#include "config.h"
#include "builtin/builtin.h"

#include <string.h>

#define NAME_MAX_LEN 64 /* product_categories.name */

#define S TP_COL_SORT
#define F TP_COL_FILTER

static const tp_grid_col category_cols[] = {
    {.key = "name",
     .label = N_("Category"),
     .type = TP_COL_TEXT,
     .flags = S | F,
     .expr = "pc.name",
     .index = "product_categories_name"},
    {.key = "code",
     .label = N_("Code (revenue account)"),
     .type = TP_COL_TEXT,
     .flags = S | F,
     .expr = "pc.code",
     .index = "product_categories_code"},
    {.key = "products",
     .label = N_("Products"),
     .type = TP_COL_NUMBER,
     .flags = 0,
     .expr = "(SELECT COUNT(*) FROM products p WHERE p.category_id = "
             "pc.id)"},
    {0}};

#undef S
#undef F

const tp_grid tp_categories_grid = {.name = "categories",
                                    .title = N_("Product categories"),
                                    .cols = category_cols,
                                    .from = "product_categories pc",
                                    .id_expr = "pc.id",
                                    .tenant_expr = "pc.tenant_id",
                                    .partner_expr = NULL,
                                    .account_expr = NULL,
                                    .default_sort = "name",
                                    .link = NULL,
                                    .brand_wide = 1,
                                    .cached = 1};

/* GET /categories: the grid; who may change them gets the links */
static tp_rc categories_list(tp_req *r)
{
	unsigned rights = tp_viewer_rights(r->viewer, "brand");
	if (!tp_wants_json(r) && (rights & TP_RIGHT_ADD))
		tp_grid_action(r, "/categories/new", _("Add a category"));
	return tp_grid_respond_action(
	    r, &tp_categories_grid, NULL, 0, _("Rename"),
	    rights & TP_RIGHT_UPDATE ? "/categories/" : NULL, "/edit");
}

/* GET /categories/new and /categories/{category}/edit: the form, empty or
 * with the category; after a failed POST with what was sent */
static tp_rc category_form(tp_req *r)
{
	int64_t id = tp_path_id(r, "category");
	const char *code = "", *name = "";
	if (id != 0) {
		tp_rows *rs;
		tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
		                       "SELECT code, name FROM "
		                       "product_categories WHERE id = ? AND "
		                       "tenant_id = ?",
		                       "II", id, (int64_t)tp_tenant_id(r));
		if (rc != TP_OK)
			return rc;
		if (tp_rows_count(rs) == 0)
			return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
		code = tp_rows_get(rs, 0, 0);
		name = tp_rows_get(rs, 0, 1);
	}
	if (r->method == TP_POST) {
		const char *sent = tp_form(r, "name");
		if (sent != NULL)
			name = sent;
		if (id == 0 && (sent = tp_form(r, "code")) != NULL)
			code = sent;
	}
	json_object *f = json_object_new_object();
	tp_json_add_i64(f, "id", id);
	json_object_object_add(f, "edit", json_object_new_boolean(id != 0));
	tp_json_add_str(f, "code", code);
	tp_json_add_str(f, "name", name);
	tp_json_add_str(f, "csrf_token", r->viewer->csrf);
	json_object_object_add(tp_view(r), "category", f);
	tp_view_title(r,
	              id != 0 ? _("Rename a category") : _("Add a category"));
	return TP_OK;
}

/* characters of UTF-8 text (checked by tp_text_bad) */
static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static tp_rc form_fail(tp_req *r, tp_rc rc)
{
	tp_db_rollback(tp_req_db(r));
	return tp_form_again(r, rc, category_form, "category_form.tpl");
}

/* The name's problem, NULL if fine; another category of the brand with
 * the same name (or code, when code is not NULL) is a 400 naming the
 * field, checked under the lock of the brand's categories so two at once
 * cannot both pass (the unique keys would refuse the second anyway). */
static const char *taken(tp_req *r, int64_t id, const char *code,
                         const char *name, const char **field, tp_rc *rc)
{
	tp_rows *rs;
	*rc = tp_db_query(tp_req_db(r), r, &rs,
	                  "SELECT code = ?, name = ? FROM product_categories "
	                  "WHERE tenant_id = ? AND id <> ? AND (code = ? OR "
	                  "name = ?) FOR UPDATE",
	                  "ssIIss", code != NULL ? code : "", name,
	                  (int64_t)tp_tenant_id(r), id,
	                  code != NULL ? code : "", name);
	if (*rc != TP_OK)
		return NULL;
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		if (code != NULL && tp_rows_i64(rs, i, 0) == 1)
			return *field = "code", _("code: the brand has a "
			                          "category with this code");
		if (tp_rows_i64(rs, i, 1) == 1)
			return *field = "name", _("name: the brand has a "
			                          "category with this name");
	}
	return NULL;
}

/* POST /categories (code, name) and POST /categories/{category} (name:
 * a rename; the code stays) */
static tp_rc category_save(tp_req *r)
{
	int64_t id = tp_path_id(r, "category");
	const char *code = NULL, *name = NULL, *field = NULL, *why;
	tp_db *db = tp_req_db(r);
	tp_rc rc;

	if ((rc = tp_input(r, "name", &name)) != TP_OK ||
	    (id == 0 && (rc = tp_input(r, "code", &code)) != TP_OK))
		return form_fail(r, rc);
	if (id == 0 && !tp_code_ok(code))
		return form_fail(
		    r, tp_fail(r, TP_EINVAL, "code",
		               _("code: a short code of lower-case letters, "
		                 "digits and _ (voice, hosting), at most 32")));
	if (name == NULL || *name == '\0')
		return form_fail(r,
		                 tp_fail(r, TP_EINVAL, "name",
		                         _("name: enter the category's name")));
	if ((why = tp_text_bad(name, 4 * NAME_MAX_LEN, false)) != NULL ||
	    chars(name) > NAME_MAX_LEN)
		return form_fail(r,
		                 tp_fail(r, TP_EINVAL, "name",
		                         _("name %s (at most %d characters)"),
		                         why != NULL ? why : _("is too long"),
		                         NAME_MAX_LEN));
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	const char *old = NULL;
	if (id != 0) {
		tp_rows *rs;
		rc = tp_db_query(db, r, &rs,
		                 "SELECT code, name FROM product_categories "
		                 "WHERE id = ? AND tenant_id = ? FOR UPDATE",
		                 "II", id, (int64_t)tp_tenant_id(r));
		if (rc != TP_OK)
			return form_fail(r, rc);
		if (tp_rows_count(rs) == 0)
			return form_fail(
			    r, tp_fail(r, TP_ENOENT, NULL, _("no such page")));
		code = tp_rows_get(rs, 0, 0);
		old = tp_rows_get(rs, 0, 1);
	}
	why = taken(r, id, id == 0 ? code : NULL, name, &field, &rc);
	if (rc != TP_OK)
		return form_fail(r, rc);
	if (why != NULL)
		return form_fail(r, tp_fail(r, TP_EINVAL, field, "%s", why));
	if (id == 0)
		rc = tp_db_exec(db, NULL,
		                "INSERT INTO product_categories (tenant_id, "
		                "code, name) VALUES (?, ?, ?)",
		                "Iss", (int64_t)tp_tenant_id(r), code, name);
	else
		rc = tp_db_exec(db, NULL,
		                "UPDATE product_categories SET name = ? WHERE "
		                "id = ?",
		                "sI", name, id);
	if (rc == TP_ECONFLICT) /* a race the lock did not see: the same */
		return form_fail(r, tp_fail(r, TP_EINVAL, "name",
		                            _("name: the brand has a category "
		                              "with this name or code")));
	if (rc != TP_OK)
		return form_fail(r, rc);
	bool created = id == 0;
	if (created)
		id = (int64_t)tp_db_last_id(db);
	/* as the other admin actions: a rename says from and to */
	json_object *d = json_object_new_object();
	tp_json_add_str(d, "code", code);
	if (old != NULL) {
		json_object *ch = json_object_new_object();
		tp_json_add_str(ch, "from", old);
		tp_json_add_str(ch, "to", name);
		json_object_object_add(d, "name", ch);
	} else {
		tp_json_add_str(d, "name", name);
	}
	tp_audit_json(r, created ? "category.create" : "category.rename",
	              "category", id, d);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return form_fail(r, rc);
	return tp_form_done(r, id, "/categories", created ? 201 : 0);
}

static const tp_param_scope category_scope[] = {
    {.param = "category", .kind = TP_SCOPE_CATEGORY}, {0}};

static const tp_route category_routes[] = {
    {.methods = TP_GET,
     .path = "/categories",
     .handler = categories_list,
     .area = "brand",
     .right = TP_RIGHT_VIEW,
     .tmpl = "grid.tpl",
     .flags = TP_ROUTE_OPERATOR},
    {.methods = TP_GET,
     .path = "/categories/new",
     .handler = category_form,
     .area = "brand",
     .right = TP_RIGHT_ADD,
     .tmpl = "category_form.tpl",
     .flags = TP_ROUTE_OPERATOR | TP_ROUTE_HTML_ONLY},
    {.methods = TP_POST,
     .path = "/categories",
     .handler = category_save,
     .area = "brand",
     .right = TP_RIGHT_ADD,
     .tmpl = "category_form.tpl",
     .flags = TP_ROUTE_OPERATOR},
    {.methods = TP_GET,
     .path = "/categories/{category}/edit",
     .handler = category_form,
     .area = "brand",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "category_form.tpl",
     .flags = TP_ROUTE_OPERATOR | TP_ROUTE_HTML_ONLY,
     .scopes = category_scope},
    {.methods = TP_POST,
     .path = "/categories/{category}",
     .handler = category_save,
     .area = "brand",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "category_form.tpl",
     .flags = TP_ROUTE_OPERATOR,
     .scopes = category_scope},
    {0}};

tp_rc tp_category_routes_add(tp_router *rt)
{
	return tp_router_add_table(rt, category_routes);
}
