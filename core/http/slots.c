/*
 * slots.c -- panels (tp_panel) on the home page and in the slots other
 * pages offer. A page calls tp_slot_fill(r, "home"); each loaded module's
 * panels for that slot that the viewer may see (module enabled for the
 * brand and tier, login kind, area right) fill their own data, in order,
 * rendered through their own template (HTML) or given as data (JSON). A
 * panel that fails is left out and logged: one module's bug never takes
 * the page down.
 */
#include "config.h"
#include "http/http.h"

#include <stdlib.h>
#include <string.h>

typedef struct slot_ent {
	const tp_module *mod;
	const tp_panel *p;
} slot_ent;

static bool panel_visible(tp_req *r, const tp_module *m, const tp_panel *p)
{
	unsigned kinds =
	    p->flags & (TP_MENU_OPERATOR | TP_MENU_PARTNER | TP_MENU_CUSTOMER);
	if (r->viewer == NULL || !tp_module_enabled(r, m->name))
		return false;
	int kind = tp_viewer_kind(r->viewer); /* as whom it looks now */
	if (kinds != 0 &&
	    !((kind == TP_USER_OPERATOR && kinds & TP_MENU_OPERATOR) ||
	      (kind == TP_USER_PARTNER && kinds & TP_MENU_PARTNER) ||
	      (kind == TP_USER_CUSTOMER && kinds & TP_MENU_CUSTOMER)))
		return false;
	if (p->area != NULL &&
	    (tp_viewer_rights(r->viewer, p->area) & p->right) != p->right)
		return false;
	return true;
}

/* The panel's data rendered through its template: the HTML (in r's
 * arena), or NULL after a logged failure. */
static const char *panel_html(tp_req *r, const tp_module *m, const tp_panel *p,
                              json_object *data)
{
	const char *path = tp_template_path(r, p->tmpl);
	char err[256], *out = NULL;
	size_t len = 0;
	if (path == NULL || tp_tmpl_render(path, NULL, data, &out, &len, err,
	                                   sizeof(err)) != 0) {
		tp_log(TP_LOG_ERR, "TP0518", "panel %s.%s: template %s: %s",
		       m->name, p->name, p->tmpl,
		       path == NULL ? "not found" : err);
		free(out);
		return NULL;
	}
	char *html = tp_strndup(r, out, len);
	free(out);
	return html;
}

tp_rc tp_slot_fill(tp_req *r, const char *slot)
{
	const tp_app *app = r->thread ? r->thread->app : NULL;
	slot_ent *ents = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; app != NULL && i < app->mods.n; i++) {
		const tp_module *m = app->mods.mods[i].mod;
		for (const tp_panel *p = m->panels; p != NULL && p->slot; p++) {
			if (strcmp(p->slot, slot) != 0 ||
			    !panel_visible(r, m, p))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 8;
				slot_ent *ne = tp_alloc(r, cap * sizeof(*ne));
				if (n > 0)
					memcpy(ne, ents, n * sizeof(*ne));
				ents = ne;
			}
			ents[n++] = (slot_ent){m, p};
		}
	}
	/* by order; equal orders keep load order */
	for (size_t i = 1; i < n; i++) {
		slot_ent e = ents[i];
		size_t j = i;
		for (; j > 0 && ents[j - 1].p->order > e.p->order; j--)
			ents[j] = ents[j - 1];
		ents[j] = e;
	}
	json_object *list = json_object_new_array(), *slots;
	for (size_t i = 0; i < n; i++) {
		const tp_panel *p = ents[i].p;
		json_object *data = json_object_new_object();
		tp_rc rc = p->fill(r, data);
		if (rc != TP_OK) {
			if (rc != TP_DECLINED)
				tp_log(TP_LOG_ERR, "TP0519",
				       "panel %s.%s failed: %s",
				       ents[i].mod->name, p->name,
				       tp_rc_code(rc));
			json_object_put(data);
			continue;
		}
		json_object *o = json_object_new_object();
		json_object_object_add(
		    o, "module", json_object_new_string(ents[i].mod->name));
		json_object_object_add(o, "name",
		                       json_object_new_string(p->name));
		json_object_object_add(
		    o, "title",
		    p->title ? json_object_new_string(p->title) : NULL);
		if (tp_wants_json(r)) {
			json_object_object_add(o, "data", data);
		} else {
			const char *html = panel_html(r, ents[i].mod, p, data);
			json_object_put(data);
			if (html == NULL) {
				json_object_put(o);
				continue;
			}
			json_object_object_add(o, "html",
			                       json_object_new_string(html));
		}
		json_object_array_add(list, o);
	}
	json_object *v = tp_view(r);
	if (!json_object_object_get_ex(v, "slots", &slots)) {
		slots = json_object_new_object();
		json_object_object_add(v, "slots", slots);
	}
	json_object_object_add(slots, slot, list);
	return TP_OK;
}
