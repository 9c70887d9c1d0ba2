/*
 * viewer.c -- who a request is for, as the handlers and the layout read
 * it: the brand, the partner or account whose subtree the viewer sees now
 * ("currently viewing"), its rights on an area and whether a module is
 * enabled for it. Pure reads of r->tenant and r->viewer, which the
 * identity layer (identity/brand.c, identity/session.c) fills in.
 */
#include "config.h"
#include "http/http.h"

#include <string.h>
#include <time.h>

/* The partner whose subtree the viewer sees now ("currently viewing"). */
uint64_t tp_viewer_partner_root(const tp_viewer *v)
{
	return v->view_partner_id ? v->view_partner_id : v->partner_id;
}

uint64_t tp_viewer_account_root(const tp_viewer *v)
{
	return v->view_account_id ? v->view_account_id : v->account_id;
}

uint64_t tp_tenant_id(tp_req *r)
{
	return r->tenant ? r->tenant->id : 0;
}

/* A partner or operator viewing as a customer sees and is scoped as that
 * customer, an operator viewing as a partner as that partner: every list,
 * id check, menu and home page reads this, not v->kind (which stays the
 * login's own, for switching back and for rights). */
int tp_viewer_kind(const tp_viewer *v)
{
	if (v->kind != TP_USER_CUSTOMER && v->view_account_id != 0)
		return TP_USER_CUSTOMER;
	if (v->kind == TP_USER_OPERATOR && v->view_partner_id != 0)
		return TP_USER_PARTNER;
	return v->kind;
}

uint64_t tp_scope_partner_root(tp_req *r)
{
	return r->viewer && tp_viewer_kind(r->viewer) == TP_USER_PARTNER
	           ? tp_viewer_partner_root(r->viewer)
	           : 0;
}

uint64_t tp_scope_account_root(tp_req *r)
{
	return r->viewer && tp_viewer_kind(r->viewer) == TP_USER_CUSTOMER
	           ? tp_viewer_account_root(r->viewer)
	           : 0;
}

/* The whole brand in view: an operator that views as nobody else (one
 * viewing as a partner or customer sees only that one's portal, operator
 * pages included, until it switches back) */
int tp_scope_is_operator(tp_req *r)
{
	return r->viewer && tp_viewer_kind(r->viewer) == TP_USER_OPERATOR;
}

int tp_scope_is_platform(tp_req *r)
{
	return tp_scope_is_operator(r) && r->tenant && r->tenant->platform;
}

unsigned tp_viewer_rights(const tp_viewer *v, const char *area)
{
	if (v == NULL)
		return 0;
	if (v->kind == TP_USER_OPERATOR && v->is_admin)
		return TP_RIGHT_VIEW | TP_RIGHT_ADD | TP_RIGHT_UPDATE |
		       TP_RIGHT_DELETE;
	for (size_t i = 0; i < v->nrights; i++)
		if (strcmp(v->rights[i].area, area) == 0)
			return v->rights[i].rights;
	return 0;
}

static bool in_list(char *const *list, const char *name)
{
	if (list == NULL)
		return false;
	for (; *list != NULL; list++)
		if (strcmp(*list, name) == 0)
			return true;
	return false;
}

bool tp_module_enabled(tp_req *r, const char *module)
{
	if (module == NULL)
		return true; /* core routes */
	if (r->tenant == NULL || !in_list(r->tenant->plan_modules, module))
		return false;
	/* partners and customers also need their tier to enable it */
	if (r->viewer != NULL && r->viewer->kind != TP_USER_OPERATOR)
		return in_list(r->viewer->tier_modules, module);
	return true;
}

/* ---- the module API's view of the viewer and the brand (ABI 2.0) ---- */

/* A partner or operator viewing as a customer acts for it only with this
 * right (the core refuses every other write: server/pipeline.c); an
 * operator admin holds every right, so it acts. */
#define ACT_AREA "act_for_customers"

bool tp_viewer_read_only(const tp_viewer *v)
{
	return v != NULL && v->kind != TP_USER_CUSTOMER &&
	       v->view_account_id != 0 &&
	       !(tp_viewer_rights(v, ACT_AREA) & TP_RIGHT_UPDATE);
}

void tp_who_get(tp_req *r, tp_who *out)
{
	const tp_viewer *v = r->viewer;
	memset(out, 0, sizeof(*out));
	out->tenant_id = tp_tenant_id(r);
	out->login = out->name = out->viewing = "";
	if (v == NULL)
		return;
	out->user_id = v->user_id;
	out->kind = v->kind; /* the login's own; read_only says it looks */
	out->partner_id = v->partner_id;
	out->account_id = v->account_id;
	out->view_partner_id = v->view_partner_id;
	out->view_account_id = v->view_account_id;
	out->is_admin = v->is_admin;
	out->read_only = tp_viewer_read_only(v);
	out->login = v->login;
	out->name = v->name[0] != '\0' ? v->name : v->login;
	out->viewing = v->viewing;
}

int tp_can(tp_req *r, const char *area, unsigned right)
{
	return right != 0 && area != NULL &&
	       (tp_viewer_rights(r->viewer, area) & right) == right;
}

void tp_brand_get(tp_req *r, tp_brand_info *out)
{
	const tp_brand *b = r->tenant;
	memset(out, 0, sizeof(*out));
	out->slug = out->name = "";
	if (b == NULL)
		return;
	out->id = b->id;
	out->slug = b->slug;
	out->name = b->name;
	out->support_phone = b->support_phone;
	out->support_email = b->support_email;
	out->logo_url = b->logo_url;
	out->platform = b->platform;
}

const char *tp_viewer_tz(tp_req *r)
{
	if (r->viewer != NULL && r->viewer->tz[0] != '\0')
		return r->viewer->tz;
	if (r->tenant != NULL && r->tenant->tz != NULL)
		return r->tenant->tz;
	return "UTC";
}

const char *tp_time_text(tp_req *r, const char *utc, int with_zone)
{
	struct tm tm = {0};
	const char *end;
	int off = 0;

	if (utc == NULL || utc[0] == '\0')
		return "";
	end = strptime(utc, "%Y-%m-%d", &tm);
	if (end == NULL || (*end != ' ' && *end != 'T') ||
	    (end = strptime(end + 1, "%H:%M", &tm)) == NULL)
		return utc;
	if (*end == ':' && (end = strptime(end + 1, "%S", &tm)) == NULL)
		return utc;
	if (*end != '\0' && strcmp(end, "Z") != 0 && *end != '.')
		return utc;
	time_t t = timegm(&tm);
	const char *zone = tp_viewer_tz(r);
	if (tp_tz_offset(zone, (int64_t)t, &off) != TP_OK)
		zone = "UTC", off = 0;
	time_t local = t + off;
	struct tm lt;
	gmtime_r(&local, &lt);
	char buf[64];
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M", &lt);
	if (!with_zone)
		return tp_strdup(r, buf);
	if (strcmp(zone, "UTC") == 0)
		return tp_printf(r, "%s UTC", buf);
	int a = off < 0 ? -off : off;
	return tp_printf(r, "%s %c%02d:%02d", buf, off < 0 ? '-' : '+',
	                 a / 3600, a / 60 % 60);
}

void tp_i18n_request(tp_req *r)
{
	int lang = -1;
	if (r->viewer != NULL && r->viewer->lang[0] != '\0')
		lang = tp_lang_find(r->viewer->lang);
	if (lang < 0 && r->tenant != NULL)
		lang = tp_lang_find(r->tenant->lang);
	tp_i18n_use(lang < 0 ? 0 : lang);
}

int64_t tp_brand_day(tp_req *r)
{
	int64_t now = tp_now(), t;
	int off = 0;
	if (r != NULL && r->tenant != NULL && r->tenant->tz != NULL &&
	    tp_tz_offset(r->tenant->tz, now, &off) != TP_OK)
		off = 0;
	t = now + off;
	return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}
