/*
 * users.c -- user management: a partner, a customer or an operator lists
 * the users it manages (a grid), creates them, sets their rights per area,
 * disables and enables them. It never lets a login grant (or touch a user
 * holding) a right it does not hold itself, and never uses an id from a
 * form without the scope layer's check.
 */
#include "config.h"
#include "builtin/builtin.h"

#include <string.h>

#define ALL_RIGHTS                                                             \
	(TP_RIGHT_VIEW | TP_RIGHT_ADD | TP_RIGHT_UPDATE | TP_RIGHT_DELETE)

/* The core's own permission areas; every module adds its own. */
static const tp_area core_areas[] = {
    {.name = "users", .label = N_("Users"), .rights = ALL_RIGHTS},
    {.name = "profile", .label = N_("Profile"), .rights = ALL_RIGHTS},
    {.name = "partners", .label = N_("Partners"), .rights = ALL_RIGHTS},
    {.name = "accounts", .label = N_("Accounts"), .rights = ALL_RIGHTS},
    {.name = "brand", .label = N_("Brand settings"), .rights = ALL_RIGHTS},
    /* update: a partner viewing as one of its customers may change its
     * data (http/viewer.c: tp_viewer_read_only); else it only looks */
    {.name = "act_for_customers",
     .label = N_("Act for customers (change their data while viewing as them)"),
     .rights = TP_RIGHT_UPDATE},
    {0}};

/* bit i of enum tp_right; a page shows them translated (right_label) */
static const char *const right_names[] = {
    /* TRANSLATORS: a right in a permission area: may see it */
    N_("view"),
    /* TRANSLATORS: a right in a permission area: may add to it */
    N_("add"),
    /* TRANSLATORS: a right in a permission area: may change it */
    N_("update"),
    /* TRANSLATORS: a right in a permission area: may delete in it */
    N_("delete")};

static const char sessions_of_user[] =
    "SELECT token_hash FROM sessions WHERE user_id = ? AND expires_at > "
    "NOW()";

/* ------------------------------------------------------------------ */
/* rights sets and the no-escalation rule                               */

unsigned tp_rights_get(const tp_rights *s, const char *area)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->a[i].area, area) == 0)
			return s->a[i].bits;
	return 0;
}

tp_rc tp_rights_set(tp_rights *s, const char *area, unsigned bits)
{
	size_t len = strlen(area);
	if (len == 0 || len >= sizeof(s->a[0].area))
		return TP_EINVAL;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->a[i].area, area) == 0) {
			s->a[i].bits = bits;
			return TP_OK;
		}
	if (s->n == TP_MAX_AREAS)
		return TP_ETOOBIG;
	memcpy(s->a[s->n].area, area, len + 1);
	s->a[s->n].bits = bits;
	s->n++;
	return TP_OK;
}

/* the first area of s with a bit the actor lacks */
static const char *beyond(const tp_viewer *actor, const tp_rights *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->a[i].bits & ~tp_viewer_rights(actor, s->a[i].area))
			return s->a[i].area;
	return NULL;
}

const char *tp_rights_escalates(const tp_viewer *actor, const tp_rights *before,
                                const tp_rights *after)
{
	const char *area = beyond(actor, before);
	return area != NULL ? area : beyond(actor, after);
}

/* The 403 for tp_rights_escalates' answer: says whether the user already
 * holds more than the actor or the change would give it more. */
static tp_rc escalation(tp_req *r, const tp_rights *before, const char *area)
{
	const char *f = tp_printf(r, "rights[%s]", area);
	if (tp_rights_get(before, area) & ~tp_viewer_rights(r->viewer, area))
		return tp_fail(r, TP_EPERM, f,
		               _("this user holds rights on %s that your login "
		                 "does not; only someone who holds them may "
		                 "change this user"),
		               area);
	return tp_fail(r, TP_EPERM, f,
	               _("you cannot grant rights on %s that your login "
	                 "does not hold"),
	               area);
}

/* ------------------------------------------------------------------ */
/* the known areas                                                      */

typedef struct area_list {
	size_t n;
	const tp_area *a[TP_MAX_AREAS];
} area_list;

static const tp_area *area_find(const area_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->a[i]->name, name) == 0)
			return l->a[i];
	return NULL;
}

static void area_add(area_list *l, const tp_area *a)
{
	if (l->n < TP_MAX_AREAS && area_find(l, a->name) == NULL &&
	    strlen(a->name) < sizeof(((tp_rights *)0)->a[0].area))
		l->a[l->n++] = a;
}

/* The core's areas, then every loaded module's, each name once. */
static void areas_all(tp_req *r, area_list *l)
{
	tp_app *app = r->thread ? r->thread->app : NULL;

	l->n = 0;
	for (const tp_area *a = core_areas; a->name != NULL; a++)
		area_add(l, a);
	for (size_t i = 0; app != NULL && i < app->mods.n; i++)
		for (const tp_area *a = app->mods.mods[i].mod->areas;
		     a != NULL && a->name != NULL; a++)
			area_add(l, a);
}

/* ------------------------------------------------------------------ */
/* input                                                                */

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

static void add_bool(json_object *o, const char *k, bool v)
{
	json_object_object_add(o, k, json_object_new_boolean(v));
}

/* An id field: 0 when absent or empty (a select left on "none"). */
static tp_rc id_field(tp_req *r, const char *name, int64_t *id)
{
	const char *s;
	tp_rc rc = tp_input(r, name, &s);

	*id = 0;
	if (rc != TP_OK || s == NULL || *s == '\0')
		return rc;
	if (tp_parse_i64(s, id) != TP_OK || *id <= 0)
		return tp_fail(r, TP_EINVAL, name, "%s must be a positive id",
		               name);
	return TP_OK;
}

/* [a-z0-9_], as the loader wants area names: safe to echo in a field */
static bool area_name_ok(const char *s)
{
	if (*s == '\0' || strlen(s) > 32)
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return true;
}

/* One "area = bits" of the input, OR-ed into out. */
static tp_rc right_in(tp_req *r, const area_list *known, tp_rights *out,
                      const char *area, const char *val)
{
	bool named = area_name_ok(area);
	const char *f = named ? tp_printf(r, "rights[%s]", area) : "rights";
	const tp_area *a = named ? area_find(known, area) : NULL;
	int64_t bits;

	if (a == NULL)
		return named ? tp_fail(r, TP_EINVAL, f,
		                       "there is no permission area %s", area)
		             : tp_fail(r, TP_EINVAL, f,
		                       "that is not a permission area");
	if (val == NULL || tp_parse_i64(val, &bits) != TP_OK || bits < 0 ||
	    bits > ALL_RIGHTS)
		return tp_fail(r, TP_EINVAL, f,
		               "rights on %s must be a whole number from 0 to "
		               "15 (1 view, 2 add, 4 update, 8 delete)",
		               a->name);
	unsigned missing = (unsigned)bits & ~a->rights;
	if (missing != 0)
		return tp_fail(r, TP_EINVAL, f, "the %s area has no %s right",
		               a->name, right_names[__builtin_ctz(missing)]);
	if (tp_rights_set(out, a->name,
	                  tp_rights_get(out, a->name) | (unsigned)bits) !=
	    TP_OK)
		return tp_fail(r, TP_EINVAL, "rights", "too many areas");
	return TP_OK;
}

/* The rights named by the request: rights[AREA]=BITS form fields (a
 * repeated one is OR-ed, so a form can send one checkbox per right) or
 * the JSON body's "rights": {"AREA": BITS}. An area named with 0 is in
 * the set, as "none". */
static tp_rc rights_in(tp_req *r, const area_list *known, tp_rights *out)
{
	json_object *b = tp_body_json(r), *x;
	tp_rc rc;

	out->n = 0;
	for (size_t i = 0; i < r->form.n; i++) {
		const char *name = r->form.v[i].name;
		if (strncmp(name, "rights", 6) != 0 ||
		    (name[6] != '[' && name[6] != '\0'))
			continue;
		size_t len = strlen(name);
		if (name[6] == '\0' || len < 9 || name[len - 1] != ']')
			return tp_fail(r, TP_EINVAL, "rights",
			               "send rights as rights[AREA]=BITS");
		char *area = tp_strndup(r, name + 7, len - 8);
		if ((rc = right_in(r, known, out, area, r->form.v[i].value)) !=
		    TP_OK)
			return rc;
	}
	if (b == NULL || !json_object_is_type(b, json_type_object) ||
	    !json_object_object_get_ex(b, "rights", &x) || x == NULL)
		return TP_OK;
	if (!json_object_is_type(x, json_type_object))
		return tp_fail(r, TP_EINVAL, "rights",
		               "rights must be an object: {\"AREA\": BITS}");
	json_object_object_foreach(x, k, val)
	{
		const char *s = NULL;
		if (json_object_is_type(val, json_type_int) ||
		    json_object_is_type(val, json_type_string))
			s = json_object_get_string(val);
		if ((rc = right_in(r, known, out, k, s)) != TP_OK)
			return rc;
	}
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* reading users                                                        */

#define USER_COLS                                                              \
	"u.id, u.login, u.name, IFNULL(u.email, ''), u.kind, "                 \
	"IFNULL(u.partner_id, 0), IFNULL(p.name, ''), IFNULL(u.account_id, "   \
	"0), IFNULL(a.number, ''), IFNULL(a.name, ''), u.status, u.is_admin "
#define USER_JOINS                                                             \
	"LEFT JOIN partners p ON p.id = u.partner_id "                         \
	"LEFT JOIN accounts a ON a.id = u.account_id "

static json_object *user_json(tp_req *r, const tp_rows *rs, size_t i)
{
	json_object *o = json_object_new_object();
	int64_t pid = tp_rows_i64(rs, i, 5), aid = tp_rows_i64(rs, i, 7);
	const char *status = tp_rows_get(rs, i, 10);

	json_object_object_add(o, "id",
	                       json_object_new_int64(tp_rows_i64(rs, i, 0)));
	add_str(o, "login", tp_rows_get(rs, i, 1));
	add_str(o, "name", tp_rows_get(rs, i, 2));
	add_str(o, "email", tp_rows_get(rs, i, 3));
	add_str(o, "kind", tp_rows_get(rs, i, 4));
	if (pid != 0) {
		json_object_object_add(o, "partner_id",
		                       json_object_new_int64(pid));
		add_str(o, "partner", tp_rows_get(rs, i, 6));
		add_str(o, "owner", tp_rows_get(rs, i, 6));
	} else if (aid != 0) {
		json_object_object_add(o, "account_id",
		                       json_object_new_int64(aid));
		add_str(o, "account", tp_rows_get(rs, i, 8));
		add_str(o, "account_name", tp_rows_get(rs, i, 9));
		add_str(o, "owner",
		        tp_printf(r, "%s %s", tp_rows_get(rs, i, 8),
		                  tp_rows_get(rs, i, 9)));
	} else {
		add_str(o, "owner", "");
	}
	add_str(o, "status", status);
	add_bool(o, "active", strcmp(status, "active") == 0);
	add_bool(o, "admin", tp_rows_i64(rs, i, 11) != 0);
	return o;
}

/* The user's rights; lock: FOR UPDATE, inside the caller's transaction. */
static tp_rc rights_load(tp_req *r, int64_t id, bool lock, tp_rights *out)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    lock ? "SELECT area, rights FROM user_rights WHERE user_id = ? "
	           "ORDER BY area FOR UPDATE"
	         : "SELECT area, rights FROM user_rights WHERE user_id = ? "
	           "ORDER BY area",
	    "I", id);
	if (rc != TP_OK)
		return rc;
	out->n = 0;
	for (size_t i = 0; i < tp_rows_count(rs); i++)
		tp_rights_set(out, tp_rows_get(rs, i, 0),
		              (unsigned)tp_rows_i64(rs, i, 1));
	return TP_OK;
}

static json_object *rights_json(const tp_rights *s)
{
	json_object *o = json_object_new_object();
	for (size_t i = 0; i < s->n; i++)
		json_object_object_add(o, s->a[i].area,
		                       json_object_new_int((int)s->a[i].bits));
	return o;
}

static char *rights_str(tp_req *r, const tp_rights *s)
{
	json_object *o = rights_json(s);
	char *out = tp_strdup(
	    r, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return out;
}

/* s without its areas at 0: what user_rights holds after a write */
static void stored(const tp_rights *s, tp_rights *out)
{
	out->n = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->a[i].bits != 0)
			tp_rights_set(out, s->a[i].area, s->a[i].bits);
}

/* Every known area with the rights it has, what `held` grants in it and
 * which rights this form may change (editable: the viewer holds them). */
static json_object *areas_json(tp_req *r, const area_list *known,
                               const tp_rights *held, bool can_edit)
{
	json_object *list = json_object_new_array();
	for (size_t i = 0; i < known->n; i++) {
		const tp_area *a = known->a[i];
		unsigned have = tp_rights_get(held, a->name);
		unsigned mine = tp_viewer_rights(r->viewer, a->name);
		json_object *o = json_object_new_object(),
		            *bits = json_object_new_array(),
		            *avail = json_object_new_array();
		add_str(o, "name", a->name);
		add_str(o, "label", tp_tr(a->label));
		json_object_object_add(o, "rights",
		                       json_object_new_int((int)have));
		for (unsigned b = 0; b < 4; b++) {
			unsigned bit = 1u << b;
			if (!(a->rights & bit))
				continue;
			json_object *e = json_object_new_object();
			add_str(e, "right",
			        tp_wants_json(r) ? right_names[b]
			                         : tp_tr(right_names[b]));
			json_object_object_add(e, "bit",
			                       json_object_new_int((int)bit));
			add_bool(e, "on", (have & bit) != 0);
			add_bool(e, "editable", can_edit && (mine & bit));
			json_object_array_add(bits, e);
			json_object_array_add(
			    avail, json_object_new_string(right_names[b]));
		}
		json_object_object_add(o, "available", avail);
		json_object_object_add(o, "bits", bits);
		json_object_array_add(list, o);
	}
	return list;
}

/* The user page's data: the user, its rights, every area, and what the
 * viewer may do with it. */
static tp_rc show_fill(tp_req *r, int64_t id)
{
	tp_rows *rs;
	tp_rights held;
	area_list known;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT " USER_COLS "FROM users u " USER_JOINS
	                       "WHERE u.id = ? AND u.tenant_id = ?",
	                       "II", id, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	if ((rc = rights_load(r, id, false, &held)) != TP_OK)
		return rc;
	areas_all(r, &known);

	json_object *v = tp_view(r);
	bool self = (uint64_t)id == r->viewer->user_id;
	bool manageable = tp_rights_escalates(r->viewer, &held, &held) == NULL;
	bool can_update =
	    !self && manageable &&
	    (tp_viewer_rights(r->viewer, "users") & TP_RIGHT_UPDATE);
	json_object_object_add(v, "user", user_json(r, rs, 0));
	json_object_object_add(v, "rights", rights_json(&held));
	json_object_object_add(v, "areas",
	                       areas_json(r, &known, &held, can_update));
	add_bool(v, "self", self);
	add_bool(v, "manageable", manageable);
	add_bool(v, "can_update", can_update);
	add_str(v, "csrf_token", r->viewer->csrf);
	tp_view_title(r, tp_rows_get(rs, 0, 1));
	return tp_secq_user_fill(r, (uint64_t)id, v);
}

/* ------------------------------------------------------------------ */
/* the list and the add form                                            */

/* Options for the add form's owner select. */
static tp_rc owner_select(tp_req *r, const char *key, const char *sql,
                          int64_t arg, int64_t selected, bool optional)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs, sql, "I", arg);
	if (rc != TP_OK)
		return rc;
	json_object *sel = json_object_new_object(),
	            *opts = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(
		    o, "id", json_object_new_int64(tp_rows_i64(rs, i, 0)));
		add_str(o, "label", tp_rows_get(rs, i, 1));
		json_object_object_add(
		    o, "depth", json_object_new_int64(tp_rows_i64(rs, i, 2)));
		add_bool(o, "selected", tp_rows_i64(rs, i, 0) == selected);
		json_object_array_add(opts, o);
	}
	add_bool(sel, "optional", optional);
	json_object_object_add(sel, "options", opts);
	json_object_object_add(tp_view(r), key, sel);
	return TP_OK;
}

/* The add form (HTML only): owner choices, every area, and on a second
 * showing the values sent. */
static tp_rc add_form(tp_req *r, const tp_rights *sent)
{
	int64_t pid = 0, aid = 0;
	const char *s;
	area_list known;
	tp_rc rc = TP_OK;
	json_object *form = json_object_new_object();

	/* the form's own fields as sent: parsing them again through
	 * tp_input() could record a second failure over the first */
	json_object_object_add(tp_view(r), "form", form);
	static const char *const keep[] = {"login", "name", "email", NULL};
	for (unsigned i = 0; keep[i] != NULL; i++)
		if ((s = tp_form(r, keep[i])) != NULL)
			add_str(form, keep[i], s);
	if (tp_parse_i64(tp_form(r, "partner_id"), &pid) != TP_OK)
		pid = 0;
	if (tp_parse_i64(tp_form(r, "account_id"), &aid) != TP_OK)
		aid = 0;
	const tp_viewer *v = r->viewer;
	if (tp_viewer_kind(v) == TP_USER_PARTNER) {
		rc = owner_select(
		    r, "partner_select",
		    "SELECT p.id, p.name, t.depth FROM partner_tree t JOIN "
		    "partners p ON p.id = t.descendant WHERE t.ancestor = ? "
		    "ORDER BY t.depth, p.name LIMIT 500",
		    (int64_t)tp_scope_partner_root(r),
		    pid ? pid : (int64_t)tp_scope_partner_root(r), false);
	} else if (tp_viewer_kind(v) == TP_USER_CUSTOMER) {
		rc = owner_select(
		    r, "account_select",
		    "SELECT a.id, CONCAT(a.number, ' ', a.name), t.depth FROM "
		    "account_tree t JOIN accounts a ON a.id = t.descendant "
		    "WHERE t.ancestor = ? ORDER BY t.depth, a.number LIMIT 500",
		    (int64_t)tp_scope_account_root(r),
		    aid ? aid : (int64_t)tp_scope_account_root(r), false);
	} else {
		rc = owner_select(r, "partner_select",
		                  "SELECT id, name, 0 FROM partners WHERE "
		                  "tenant_id = ? ORDER BY name LIMIT 500",
		                  (int64_t)tp_tenant_id(r), pid, true);
		if (rc == TP_OK)
			rc = owner_select(
			    r, "account_select",
			    "SELECT id, CONCAT(number, ' ', name), 0 FROM "
			    "accounts WHERE tenant_id = ? ORDER BY number "
			    "LIMIT 500",
			    (int64_t)tp_tenant_id(r), aid, true);
	}
	areas_all(r, &known);
	json_object_object_add(tp_view(r), "areas",
	                       areas_json(r, &known, sent, true));
	return rc;
}

/* The list: a partner login sees the partner users of its current
 * subtree, a customer login the customer users of its current account
 * subtree, an operator every user of the brand (grid.c's scope on
 * partner_expr / account_expr; a partner's customers' logins are not its
 * users). */
static const char *const user_kinds[] = {"operator", "partner", "customer",
                                         NULL};
static const char *const user_states[] = {"active", "disabled", NULL};

#define S   TP_COL_SORT
#define F   TP_COL_FILTER
#define G   TP_COL_GROUP
#define OPT TP_COL_OPTIONAL

static const tp_grid_col user_cols[] = {
    {.key = "login",
     .label = N_("Login"),
     .type = TP_COL_TEXT,
     .flags = S | F,
     .expr = "u.login",
     .index = "users_login_id"},
    {.key = "name",
     .label = N_("Name"),
     .type = TP_COL_TEXT,
     .flags = S | F,
     .expr = "u.name",
     .index = "users_name"},
    {.key = "email",
     .label = N_("E-mail"),
     .type = TP_COL_TEXT,
     .flags = F,
     .expr = "IFNULL(u.email, '')"},
    {.key = "kind",
     .label = N_("Login type"),
     .type = TP_COL_STATUS,
     .flags = F | G,
     .expr = "u.kind",
     .values = user_kinds},
    {.key = "owner",
     .label = N_("Partner or account"),
     .type = TP_COL_TEXT,
     .flags = G,
     .expr = "IFNULL(p.name, IFNULL(CONCAT(a.number, ' ', a.name), ''))"},
    {.key = "status",
     .label = N_("Status"),
     .type = TP_COL_STATUS,
     .flags = S | F | G,
     .expr = "u.status",
     .values = user_states,
     .index = "users_status"},
    {.key = "admin",
     .label = N_("Admin"),
     .type = TP_COL_STATUS,
     .flags = F | G,
     .expr = "IF(u.is_admin, 'yes', 'no')",
     .values = (const char *const[]){"yes", "no", NULL}},
    {.key = "created",
     .label = N_("Created"),
     .type = TP_COL_DATE,
     .flags = F | OPT,
     .expr = "DATE(u.created_at)"},
    {0}};

#undef S
#undef F
#undef G
#undef OPT

const tp_grid tp_users_grid = {
    .name = "users",
    .title = N_("Users"),
    .cols = user_cols,
    .from = "users u LEFT JOIN partners p ON p.id = u.partner_id "
            "LEFT JOIN accounts a ON a.id = u.account_id",
    .id_expr = "u.id",
    .tenant_expr = "u.tenant_id",
    .partner_expr = "u.partner_id",
    .account_expr = "u.account_id",
    .default_sort = "login",
    .link = "/users/"};

/* GET /users: the grid; who may add users gets the link to the form */
static tp_rc users_list(tp_req *r)
{
	bool can_add = tp_viewer_rights(r->viewer, "users") & TP_RIGHT_ADD;
	json_object *v = tp_view(r);

	add_bool(v, "can_add", can_add);
	if (can_add && !tp_wants_json(r))
		tp_grid_action(r, "/users/new", _("Add a user"));
	return tp_grid_respond(r, &tp_users_grid, NULL, 0);
}

/* GET /users/new: the form to add a user; after a failed POST /users the
 * same form with what was sent (sent: the rights asked for) */
static tp_rc new_fill(tp_req *r, const tp_rights *sent)
{
	add_str(tp_view(r), "csrf_token", r->viewer->csrf);
	tp_view_title(r, _("Add a user"));
	return add_form(r, sent);
}

static tp_rc user_new(tp_req *r)
{
	tp_rights none = {0};
	return new_fill(r, &none);
}

static tp_rc user_show(tp_req *r)
{
	int64_t id;
	tp_parse_i64(tp_param(r, "user"), &id); /* checked by the core */
	tp_rc rc = show_fill(r, id);
	if (rc == TP_OK && tp_query(r, "saved") != NULL)
		add_bool(tp_view(r), "saved", true);
	return rc;
}

/* ------------------------------------------------------------------ */
/* writes                                                               */

/* After a write: the API gets the user as it is now, a browser is sent
 * to its page. */
static tp_rc done(tp_req *r, int64_t id, int status)
{
	if (tp_wants_json(r)) {
		tp_rc rc = show_fill(r, id);
		if (rc == TP_OK && status != 0)
			tp_set_status(r, status);
		return rc;
	}
	tp_set_header(r, "Location",
	              tp_printf(r, "/users/%lld?saved=1", (long long)id));
	tp_set_status(r, 303);
	r->tmpl = NULL;
	return TP_OK;
}

/* A failed write shows its form again (HTML); rc was recorded by
 * tp_fail. */
static tp_rc create_again(tp_req *r, const tp_rights *sent, tp_rc rc)
{
	if (!tp_wants_json(r)) {
		r->tmpl = "user_new.tpl";
		new_fill(r, sent);
	}
	return rc;
}

static tp_rc update_again(tp_req *r, int64_t id, tp_rc rc)
{
	if (!tp_wants_json(r) && rc == TP_EINVAL)
		show_fill(r, id);
	return rc;
}

/* POST /users/{user}/security-check: which question (slot 1 or 2) and
 * the answer a caller gave on a support call; the user's page again says
 * whether it matches, never what the answer is. Five wrong ones within the
 * hour lock the check for that login (secq.c). */
static tp_rc user_security_check(tp_req *r)
{
	int64_t id, slot = 0;
	const char *s = NULL, *answer = NULL, *question, *msg;
	bool matches;
	tp_parse_i64(tp_param(r, "user"), &id); /* checked by the core */
	tp_input(r, "slot", &s);
	tp_input(r, "answer", &answer);
	if (s == NULL || tp_parse_i64(s, &slot) != TP_OK || slot < 1 ||
	    slot > 2)
		return update_again(r, id,
		                    tp_fail(r, TP_EINVAL, "slot",
		                            _("Choose question 1 or 2.")));
	if (answer == NULL || *answer == '\0')
		return update_again(r, id,
		                    tp_fail(r, TP_EINVAL, "answer",
		                            _("Enter the answer the caller "
		                              "gave.")));
	tp_rc rc = tp_secq_check(r, (uint64_t)id, (int)slot, answer, &matches,
	                         &question, &msg);
	if (msg != NULL) {
		rc = tp_fail(r, rc, rc == TP_EINVAL ? "slot" : "answer", "%s",
		             msg);
		if (!tp_wants_json(r))
			show_fill(r, id);
		return rc;
	}
	if (rc != TP_OK)
		return rc;
	if ((rc = show_fill(r, id)) != TP_OK)
		return rc;
	json_object *c = json_object_new_object();
	json_object_object_add(c, "slot", json_object_new_int64(slot));
	add_str(c, "question", tp_secq_text(r, question));
	add_bool(c, "matches", matches);
	json_object_object_add(tp_view(r), "security_check", c);
	return TP_OK;
}

/* The field a message of tp_admin_user_add is about. */
static const char *admin_field(const char *msg)
{
	if (strncmp(msg, "login", 5) == 0)
		return "login";
	if (strncmp(msg, "name", 4) == 0)
		return "name";
	if (strstr(msg, "email") != NULL)
		return "email";
	if (strstr(msg, "password") != NULL)
		return "password";
	return NULL;
}

/* After the commit (a copy cached before it would outlive the change):
 * the user's next request reads its rights and status from MariaDB. */
static void uncache(tp_req *r, int64_t id)
{
	if (tp_sessions_uncache(r, sessions_of_user, (uint64_t)id) != TP_OK ||
	    tp_tokens_uncache(r,
	                      "SELECT token_hash FROM api_tokens WHERE "
	                      "user_id = ? AND revoked_at IS NULL",
	                      (uint64_t)id) != TP_OK)
		tp_log(TP_LOG_WARN, "TP0905",
		       "user %lld changed but its cached sessions or tokens "
		       "could not be listed; they live until their cache TTL",
		       (long long)id);
}

static tp_rc rollback(tp_req *r, tp_rc rc)
{
	tp_db_rollback(tp_req_db(r));
	return rc;
}

/* POST /users */
static tp_rc user_create(tp_req *r)
{
	const tp_viewer *v = r->viewer;
	const char *login, *name, *email, *password, *why, *kind;
	int64_t pid, aid, id;
	tp_rights rights = {0}, none = {0};
	area_list known;
	tp_db *db = tp_req_db(r);
	tp_rc rc;

	areas_all(r, &known);
	if ((rc = tp_input(r, "login", &login)) != TP_OK ||
	    (rc = tp_input(r, "name", &name)) != TP_OK ||
	    (rc = tp_input(r, "email", &email)) != TP_OK ||
	    (rc = tp_input(r, "password", &password)) != TP_OK ||
	    (rc = id_field(r, "partner_id", &pid)) != TP_OK ||
	    (rc = id_field(r, "account_id", &aid)) != TP_OK ||
	    (rc = rights_in(r, &known, &rights)) != TP_OK)
		return create_again(r, &rights, rc);
	if (login == NULL || *login == '\0')
		return create_again(
		    r, &rights,
		    tp_fail(r, TP_EINVAL, "login", _("Enter a login.")));
	if ((why = tp_password_weak(password)) != NULL)
		return create_again(
		    r, &rights, tp_fail(r, TP_EINVAL, "password", "%s", why));

	/* whose user: the viewer's kind decides (a partner viewing as a
	 * customer makes the customer's), the scope layer checks */
	int vkind = tp_viewer_kind(v);
	if (vkind == TP_USER_PARTNER && aid != 0)
		return create_again(r, &rights,
		                    tp_fail(r, TP_EINVAL, "account_id",
		                            _("a partner login creates partner "
		                              "users: send partner_id")));
	if (vkind == TP_USER_CUSTOMER && pid != 0)
		return create_again(r, &rights,
		                    tp_fail(r, TP_EINVAL, "partner_id",
		                            _("a customer login creates users "
		                              "of its accounts: send "
		                              "account_id")));
	if (vkind == TP_USER_OPERATOR && (pid != 0) == (aid != 0))
		return create_again(r, &rights,
		                    tp_fail(r, TP_EINVAL, "partner_id",
		                            _("choose a partner or an account "
		                              "(one of them)")));
	if (vkind == TP_USER_PARTNER && pid == 0)
		pid = (int64_t)tp_scope_partner_root(r);
	if (vkind == TP_USER_CUSTOMER && aid == 0)
		aid = (int64_t)tp_scope_account_root(r);
	kind = pid != 0 ? "partner" : "customer";
	rc = tp_scope_id(r, pid != 0 ? TP_SCOPE_PARTNER : TP_SCOPE_ACCOUNT,
	                 pid != 0 ? pid : aid);
	if (rc == TP_ENOENT)
		return tp_fail(
		    r, TP_ENOENT, pid != 0 ? "partner_id" : "account_id", "%s",
		    pid != 0 ? _("no such partner") : _("no such account"));
	if (rc != TP_OK)
		return rc;

	const char *area = tp_rights_escalates(v, &none, &rights);
	if (area != NULL)
		return escalation(r, &none, area);

	/* partner and operator logins share the login form, where the
	 * operator wins: a partner login must not hide behind one */
	if (pid != 0) {
		tp_rows *rs;
		rc = tp_db_query(db, r, &rs,
		                 "SELECT 1 FROM users WHERE tenant_id = ? AND "
		                 "kind = 'operator' AND login = ?",
		                 "Is", (int64_t)tp_tenant_id(r), login);
		if (rc != TP_OK)
			return rc;
		if (tp_rows_count(rs) > 0)
			return tp_fail(r, TP_ECONFLICT, "login",
			               _("login %s is taken; choose another"),
			               login);
	}

	char err[256];
	tp_user_spec spec = {.tenant_id = tp_tenant_id(r),
	                     .partner_id = (uint64_t)pid,
	                     .account_id = (uint64_t)aid,
	                     .kind = kind,
	                     .login = login,
	                     .name = name,
	                     .email = email,
	                     .password = password};
	uint64_t uid = 0;
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_admin_user_add(db, &spec, &uid, err, sizeof(err));
	if (rc == TP_EINVAL)
		return create_again(
		    r, &rights,
		    rollback(r, tp_fail(r, rc, admin_field(err), "%s", err)));
	if (rc == TP_ECONFLICT)
		return rollback(
		    r, tp_fail(r, rc, "login",
		               _("login %s is taken; choose another"), login));
	if (rc == TP_ENOENT)
		return rollback(r, tp_fail(r, rc, NULL, _("no such page")));
	if (rc != TP_OK)
		return rollback(r, rc);
	id = (int64_t)uid;
	tp_rights granted;
	stored(&rights, &granted);
	for (size_t i = 0; rc == TP_OK && i < granted.n; i++)
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT INTO user_rights (user_id, area, rights) "
		    "VALUES (?, ?, ?)",
		    "Isi", id, granted.a[i].area, (int)granted.a[i].bits);
	if (rc != TP_OK)
		return rollback(r, rc);
	json_object *d = json_object_new_object();
	add_str(d, "login", login);
	add_str(d, "kind", kind);
	json_object_object_add(d, pid ? "partner_id" : "account_id",
	                       json_object_new_int64(pid ? pid : aid));
	json_object_object_add(d, "rights", rights_json(&granted));
	tp_audit(r, tp_tenant_id(r), v->user_id, "user.create", "user",
	         (uint64_t)id,
	         json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN));
	json_object_put(d);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	tp_log(TP_LOG_INFO, "TP0902", "user %lld (%s %s) created by user %llu",
	       (long long)id, kind, login, (unsigned long long)v->user_id);
	return done(r, id, 201);
}

/* The target of a write on /users/{user}: not the viewer itself; its
 * row and rights locked for the transaction the caller has begun. */
static tp_rc lock_target(tp_req *r, int64_t id, char status[16],
                         tp_rights *before)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT status FROM users WHERE id = ? AND "
	                       "tenant_id = ? FOR UPDATE",
	                       "II", id, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	snprintf(status, 16, "%s", tp_rows_get(rs, 0, 0));
	return rights_load(r, id, true, before);
}

/* msg: why not (one whole sentence per action, for the translations) */
static tp_rc target_id(tp_req *r, int64_t *id, const char *msg)
{
	tp_parse_i64(tp_param(r, "user"), id); /* checked by the core */
	if ((uint64_t)*id == r->viewer->user_id)
		return tp_fail(r, TP_EINVAL, "user", "%s", msg);
	return TP_OK;
}

/* POST /users/{user}/rights: the areas named are set to the bits given,
 * the others stay as they are. */
static tp_rc user_rights(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	tp_rights sent, before, after;
	area_list known;
	char status[16];
	int64_t id;
	tp_rc rc;

	areas_all(r, &known);
	if ((rc = target_id(r, &id,
	                    _("you cannot change the rights of your own "
	                      "login; ask another administrator"))) != TP_OK ||
	    (rc = rights_in(r, &known, &sent)) != TP_OK)
		return update_again(r, id, rc);
	if (sent.n == 0)
		return update_again(
		    r, id,
		    tp_fail(r, TP_EINVAL, "rights",
		            _("name at least one area: rights[AREA]=BITS")));
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	if ((rc = lock_target(r, id, status, &before)) != TP_OK)
		return rollback(r, rc);
	after = before;
	bool changed = false;
	for (size_t i = 0; i < sent.n; i++) {
		changed |=
		    tp_rights_get(&before, sent.a[i].area) != sent.a[i].bits;
		tp_rights_set(&after, sent.a[i].area, sent.a[i].bits);
	}
	const char *area = tp_rights_escalates(r->viewer, &before, &after);
	if (area != NULL)
		return rollback(r, escalation(r, &before, area));
	if (!changed) {
		tp_db_rollback(db); /* nothing to write */
		return done(r, id, 0);
	}
	for (size_t i = 0; rc == TP_OK && i < sent.n; i++) {
		if (tp_rights_get(&before, sent.a[i].area) == sent.a[i].bits)
			continue;
		if (sent.a[i].bits == 0)
			rc = tp_db_exec(
			    db, NULL,
			    "DELETE FROM user_rights WHERE user_id = "
			    "? AND area = ?",
			    "Is", id, sent.a[i].area);
		else
			rc = tp_db_exec(
			    db, NULL,
			    "INSERT INTO user_rights (user_id, area, rights) "
			    "VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE rights = "
			    "VALUES(rights)",
			    "Isi", id, sent.a[i].area, (int)sent.a[i].bits);
	}
	if (rc != TP_OK)
		return rollback(r, rc);
	tp_rights now;
	stored(&after, &now);
	tp_audit(r, tp_tenant_id(r), r->viewer->user_id, "user.rights", "user",
	         (uint64_t)id,
	         tp_printf(r, "{\"before\":%s,\"after\":%s}",
	                   rights_str(r, &before), rights_str(r, &now)));
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	/* at once: the next request of that user reads its rights afresh */
	uncache(r, id);
	tp_log(TP_LOG_INFO, "TP0903",
	       "rights of user %lld changed by user %llu", (long long)id,
	       (unsigned long long)r->viewer->user_id);
	return done(r, id, 0);
}

/* POST /users/{user}/disable and /enable */
static tp_rc user_status(tp_req *r, const char *to)
{
	tp_db *db = tp_req_db(r);
	bool disable = strcmp(to, "disabled") == 0;
	tp_rights before;
	char status[16];
	uint64_t revoked = 0;
	int64_t id;
	tp_rc rc;

	if ((rc = target_id(
	         r, &id,
	         disable ? _("you cannot disable your own login; ask another "
	                     "administrator")
	                 : _("you cannot enable your own login; ask another "
	                     "administrator"))) != TP_OK)
		return update_again(r, id, rc);
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	if ((rc = lock_target(r, id, status, &before)) != TP_OK)
		return rollback(r, rc);
	const char *area = tp_rights_escalates(r->viewer, &before, &before);
	if (area != NULL)
		return rollback(r, escalation(r, &before, area));
	if (strcmp(status, to) == 0) {
		tp_db_rollback(db); /* already so */
		return done(r, id, 0);
	}
	rc = tp_db_exec(db, NULL, "UPDATE users SET status = ? WHERE id = ?",
	                "sI", to, id);
	if (rc == TP_OK && disable)
		rc = tp_sessions_revoke_user(r, (uint64_t)id, &revoked);
	if (rc != TP_OK)
		return rollback(r, rc);
	tp_audit(r, tp_tenant_id(r), r->viewer->user_id,
	         disable ? "user.disable" : "user.enable", "user", (uint64_t)id,
	         tp_printf(r,
	                   "{\"before\":\"%s\",\"after\":\"%s\","
	                   "\"sessions_revoked\":%llu}",
	                   status, to, (unsigned long long)revoked));
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	uncache(r, id);
	tp_log(TP_LOG_INFO, "TP0904", "user %lld %s by user %llu",
	       (long long)id, to, (unsigned long long)r->viewer->user_id);
	return done(r, id, 0);
}

static tp_rc user_disable(tp_req *r)
{
	return user_status(r, "disabled");
}

static tp_rc user_enable(tp_req *r)
{
	return user_status(r, "active");
}

static const tp_param_scope user_scope[] = {
    {.param = "user", .kind = TP_SCOPE_USER}, {0}};

static const tp_route users_routes[] = {{.methods = TP_GET,
                                         .path = "/users",
                                         .handler = users_list,
                                         .area = "users",
                                         .right = TP_RIGHT_VIEW,
                                         .tmpl = "grid.tpl"},
                                        {.methods = TP_GET,
                                         .path = "/users/new",
                                         .handler = user_new,
                                         .area = "users",
                                         .right = TP_RIGHT_ADD,
                                         .tmpl = "user_new.tpl",
                                         .flags = TP_ROUTE_HTML_ONLY},
                                        {.methods = TP_POST,
                                         .path = "/users",
                                         .handler = user_create,
                                         .area = "users",
                                         .right = TP_RIGHT_ADD,
                                         .tmpl = "user_new.tpl"},
                                        {.methods = TP_GET,
                                         .path = "/users/{user}",
                                         .handler = user_show,
                                         .area = "users",
                                         .right = TP_RIGHT_VIEW,
                                         .tmpl = "user.tpl",
                                         .scopes = user_scope},
                                        {.methods = TP_POST,
                                         .path = "/users/{user}/rights",
                                         .handler = user_rights,
                                         .area = "users",
                                         .right = TP_RIGHT_UPDATE,
                                         .tmpl = "user.tpl",
                                         .scopes = user_scope},
                                        {.methods = TP_POST,
                                         .path = "/users/{user}/security-check",
                                         .handler = user_security_check,
                                         .area = "users",
                                         .right = TP_RIGHT_VIEW,
                                         .tmpl = "user.tpl",
                                         .scopes = user_scope},
                                        {.methods = TP_POST,
                                         .path = "/users/{user}/disable",
                                         .handler = user_disable,
                                         .area = "users",
                                         .right = TP_RIGHT_UPDATE,
                                         .tmpl = "user.tpl",
                                         .scopes = user_scope},
                                        {.methods = TP_POST,
                                         .path = "/users/{user}/enable",
                                         .handler = user_enable,
                                         .area = "users",
                                         .right = TP_RIGHT_UPDATE,
                                         .tmpl = "user.tpl",
                                         .scopes = user_scope},
                                        {0}};

tp_rc tp_users_routes_add(tp_router *rt)
{
	return tp_router_add_table(rt, users_routes);
}
