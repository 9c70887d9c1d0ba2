/*
 * module.c -- the module loader: dlopen every *.so in the configured
 * directories, check the descriptor, register routes. A module that fails
 * any check is refused whole (routes removed, handle closed) with one log
 * line saying why; it never takes the worker down.
 */
#include "config.h"
#include "server/server.h"

#include <dirent.h>
#include <stdio.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static bool name_ok(const char *s)
{
	if (s == NULL || !(*s >= 'a' && *s <= 'z'))
		return false;
	for (size_t i = 0; s[i] != '\0'; i++) {
		char c = s[i];
		if (i >= 32 || !((c >= 'a' && c <= 'z') ||
		                 (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

const char *tp_module_check(const tp_module *m)
{
	if (m->magic != TP_MODULE_MAGIC)
		return "bad magic: not a tierport module descriptor";
	if (m->abi_major != TP_ABI_MAJOR)
		return "ABI major mismatch: rebuild the module against this "
		       "tierport";
	if (m->abi_minor > TP_ABI_MINOR)
		return "built against a newer ABI minor than this tierport "
		       "provides";
	if (m->size > sizeof(tp_module))
		return "descriptor larger than this tierport knows";
	if (!name_ok(m->name))
		return "name must be [a-z][a-z0-9_]{0,31}";
	if (m->version == NULL)
		return "version missing";
	if (m->areas != NULL)
		for (const tp_area *a = m->areas; a->name != NULL; a++)
			if (!name_ok(a->name) || a->label == NULL)
				return "permission area needs a [a-z0-9_] name "
				       "and a label";
	/* a kind's names go into SQL text (identity/scope.c): names only */
	for (const tp_scope_def *d = m->scopes; d != NULL && d->name != NULL;
	     d++)
		if (!name_ok(d->name) || !name_ok(d->table) ||
		    !name_ok(d->id_col) || !name_ok(d->tenant_col) ||
		    (d->partner_col != NULL && !name_ok(d->partner_col)) ||
		    (d->account_col != NULL && !name_ok(d->account_col)))
			return "scope kind needs [a-z][a-z0-9_] names for "
			       "itself, its table, id and brand columns (and "
			       "its partner and account columns if set)";
	for (const tp_route *r = m->routes; r != NULL && r->path != NULL; r++)
		for (const tp_param_scope *sc = r->scopes;
		     sc != NULL && sc->param != NULL; sc++)
			if (sc->kind == TP_SCOPE_NAMED && sc->kind_name == NULL)
				return "a route scope of kind TP_SCOPE_NAMED "
				       "needs kind_name";
	for (const tp_menu *e = m->menu; e != NULL && e->label != NULL; e++)
		if (e->href == NULL)
			return "menu entry without href";
	for (const tp_panel *p = m->panels; p != NULL && p->slot != NULL; p++)
		if (!name_ok(p->name) || p->fill == NULL || p->tmpl == NULL)
			return "panel needs a [a-z0-9_] name, a fill hook and "
			       "a template";
	const char *why = NULL;
	for (const tp_event *e = m->events;
	     why == NULL && e != NULL && (e->name != NULL || e->handler); e++)
		why = tp_event_check(e);
	for (const tp_job *j = m->jobs;
	     why == NULL && j != NULL && (j->name != NULL || j->run); j++)
		why = tp_job_check(j);
	if (why != NULL)
		return why;
	for (const tp_command *c = m->commands; c != NULL && c->name != NULL;
	     c++)
		if (!name_ok(c->name) || c->run == NULL)
			return "command needs a [a-z0-9_] name and a run hook";
	for (const tp_grid *const *g = m->grids; g != NULL && *g != NULL; g++)
		if (!name_ok((*g)->name))
			return "grid needs a [a-z0-9_] name";
	/* reseal.c puts these names into SQL text */
	for (const tp_sealed_col *c = m->sealed; c != NULL && c->table != NULL;
	     c++)
		if (!name_ok(c->table) || !name_ok(c->id) || !name_ok(c->col))
			return "sealed column needs [a-z][a-z0-9_] names for "
			       "its table, id and column";
	return NULL;
}

/* Does one of the module's migrations make table ("CREATE TABLE [IF NOT
 * EXISTS] table", any case)? The files are the module's own text. */
static bool migrations_make(const tp_config *cfg, const tp_module *m,
                            const char *table)
{
	char *base = tp_module_data_dir(cfg, m->name);
	char dir[4096];
	bool found = false;

	if (base == NULL || m->migrations == NULL) {
		free(base);
		return false;
	}
	snprintf(dir, sizeof(dir), "%s/%s", base, m->migrations);
	free(base);
	DIR *dh = opendir(dir);
	struct dirent *de;
	size_t tl = strlen(table);
	while (dh != NULL && !found && (de = readdir(dh)) != NULL) {
		size_t l = strlen(de->d_name);
		char path[4352], word[64];
		if (l < 5 || strcmp(de->d_name + l - 4, ".sql") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		FILE *f = fopen(path, "r");
		/* the words of the file in turn: CREATE TABLE [IF NOT EXISTS]
		 * NAME, NAME ending at a space, '(' or the end of the word */
		int state = 0;
		while (f != NULL && !found && fscanf(f, "%63s", word) == 1) {
			if (state == 0 && strcasecmp(word, "create") == 0)
				state = 1;
			else if (state == 1 && strcasecmp(word, "table") == 0)
				state = 2;
			else if (state == 2 && strcasecmp(word, "if") == 0)
				state = 3;
			else if (state == 3 && strcasecmp(word, "not") == 0)
				state = 4;
			else if (state == 4 && strcasecmp(word, "exists") == 0)
				state = 2;
			else if (state == 2 &&
			         strncmp(word + (word[0] == '`'), table, tl) ==
			             0 &&
			         strchr("`( ", word[tl + (word[0] == '`')]) !=
			             NULL)
				found = true;
			else
				state = strcasecmp(word, "create") == 0;
		}
		if (f != NULL)
			fclose(f);
	}
	if (dh != NULL)
		closedir(dh);
	return found;
}

const char *tp_module_sealed_owned(const tp_config *cfg, const tp_module *m,
                                   char *buf, size_t len)
{
	size_t nl = strlen(m->name);
	for (const tp_sealed_col *c = m->sealed; c != NULL && c->table != NULL;
	     c++) {
		if (strncmp(c->table, m->name, nl) == 0 &&
		    (c->table[nl] == '\0' || c->table[nl] == '_'))
			continue;
		if (migrations_make(cfg, m, c->table))
			continue;
		snprintf(buf, len,
		         "sealed column %s.%s: the table is not the module's "
		         "(not named %s_..., not made by its migrations)",
		         c->table, c->col, m->name);
		return buf;
	}
	return NULL;
}

/* What one module's descriptor asks of the ones loaded before it: its
 * kinds of id are new, the kinds its routes name exist (its own or an
 * earlier module's). NULL if fine, else why (in buf). */
static const char *module_fits(const tp_modules *ms, const tp_module *m,
                               char *buf, size_t len)
{
	tp_modules self = {&(tp_loaded){.mod = m}, 1};
	for (const tp_scope_def *d = m->scopes; d != NULL && d->name != NULL;
	     d++) {
		if (tp_scope_def_find(ms, d->name) != NULL ||
		    tp_scope_def_find(&self, d->name) != d) {
			snprintf(buf, len,
			         "scope kind \"%s\" is declared twice",
			         d->name);
			return buf;
		}
	}
	for (const tp_route *r = m->routes; r != NULL && r->path != NULL; r++)
		for (const tp_param_scope *sc = r->scopes;
		     sc != NULL && sc->param != NULL; sc++)
			if (sc->kind == TP_SCOPE_NAMED &&
			    tp_scope_def_find(&self, sc->kind_name) == NULL &&
			    tp_scope_def_find(ms, sc->kind_name) == NULL) {
				snprintf(
				    buf, len,
				    "route %s names scope kind \"%s\", which "
				    "no loaded module declares",
				    r->path, sc->kind_name);
				return buf;
			}
	return NULL;
}

static bool enabled(const tp_config *cfg, const char *name)
{
	const char *list = cfg->modules_enabled;
	if (list == NULL || strcmp(list, "*") == 0)
		return true;
	size_t n = strlen(name);
	for (const char *p = list; *p != '\0';) {
		while (*p == ',' || *p == ' ')
			p++;
		const char *e = p;
		while (*e != '\0' && *e != ',' && *e != ' ')
			e++;
		if ((size_t)(e - p) == n && strncmp(p, name, n) == 0)
			return true;
		p = e;
	}
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads one file; 0 loaded, 1 refused, -1 skipped (not enabled). */
static int load_one(tp_modules *ms, const tp_config *cfg, tp_router *rt,
                    const char *path)
{
	char err[256];
	void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (dl == NULL) {
		tp_log(TP_LOG_ERR, "TP0201", "module %s refused: dlopen: %s",
		       path, dlerror());
		return 1;
	}
	const tp_module *m = dlsym(dl, "tierport_module");
	if (m == NULL) {
		tp_log(TP_LOG_ERR, "TP0202",
		       "module %s refused: no tierport_module symbol", path);
		dlclose(dl);
		return 1;
	}
	const char *why = tp_module_check(m);
	if (why != NULL) {
		if (m->magic == TP_MODULE_MAGIC)
			tp_log(TP_LOG_ERR, "TP0203",
			       "module %s refused: %s (module ABI %u.%u, core "
			       "ABI %u.%u)",
			       path, why, m->abi_major, m->abi_minor,
			       TP_ABI_MAJOR, TP_ABI_MINOR);
		else
			tp_log(TP_LOG_ERR, "TP0203", "module %s refused: %s",
			       path, why);
		dlclose(dl);
		return 1;
	}
	if (!enabled(cfg, m->name)) {
		tp_log(TP_LOG_INFO, "TP0204", "module %s (%s) not enabled",
		       m->name, path);
		dlclose(dl);
		return -1;
	}
	for (size_t i = 0; i < ms->n; i++) {
		if (strcmp(ms->mods[i].mod->name, m->name) == 0) {
			tp_log(TP_LOG_ERR, "TP0205",
			       "module %s refused: name \"%s\" already taken "
			       "by %s",
			       path, m->name, ms->mods[i].path);
			dlclose(dl);
			return 1;
		}
	}
	if ((why = module_fits(ms, m, err, sizeof(err))) != NULL) {
		tp_log(TP_LOG_ERR, "TP0211", "module %s refused: %s", m->name,
		       why);
		dlclose(dl);
		return 1;
	}
	if ((why = tp_module_sealed_owned(cfg, m, err, sizeof(err))) != NULL) {
		tp_log(TP_LOG_ERR, "TP0212", "module %s refused: %s", m->name,
		       why);
		dlclose(dl);
		return 1;
	}
	if (rt != NULL && m->routes != NULL) {
		for (const tp_route *r = m->routes; r->path != NULL; r++) {
			if (tp_router_add(rt, r, m, err, sizeof(err)) !=
			    TP_OK) {
				tp_log(TP_LOG_ERR, "TP0206",
				       "module %s refused: %s", m->name, err);
				tp_router_remove_module(rt, m);
				dlclose(dl);
				return 1;
			}
		}
	}
	tp_loaded *n = realloc(ms->mods, (ms->n + 1) * sizeof(*n));
	if (n == NULL) {
		if (rt != NULL)
			tp_router_remove_module(rt, m);
		dlclose(dl);
		return 1;
	}
	ms->mods = n;
	ms->mods[ms->n++] = (tp_loaded){m, dl, strdup(path), false};
	tp_log(TP_LOG_INFO, "TP0207", "module %s %s loaded from %s (ABI %u.%u)",
	       m->name, m->version, path, m->abi_major, m->abi_minor);
	return 0;
}

tp_rc tp_modules_load(tp_modules *ms, const tp_config *cfg, tp_router *rt,
                      int *refused)
{
	*refused = 0;
	if (cfg->module_dirs == NULL)
		return TP_OK;
	char *dirs = strdup(cfg->module_dirs), *save = NULL;
	for (char *d = strtok_r(dirs, ":", &save); d != NULL;
	     d = strtok_r(NULL, ":", &save)) {
		DIR *dh = opendir(d);
		if (dh == NULL) {
			tp_log(TP_LOG_WARN, "TP0208",
			       "module directory %s cannot be read", d);
			continue;
		}
		/* sorted, so load order (and who wins a clash) is stable */
		char **names = NULL;
		size_t nn = 0;
		struct dirent *de;
		while ((de = readdir(dh)) != NULL) {
			size_t l = strlen(de->d_name);
			if (l < 4 || strcmp(de->d_name + l - 3, ".so") != 0)
				continue;
			char **nx = realloc(names, (nn + 1) * sizeof(*nx));
			if (nx == NULL)
				break;
			names = nx;
			names[nn++] = strdup(de->d_name);
		}
		closedir(dh);
		qsort(names, nn, sizeof(*names), cmp_str);
		for (size_t i = 0; i < nn; i++) {
			char path[4096];
			snprintf(path, sizeof(path), "%s/%s", d, names[i]);
			if (load_one(ms, cfg, rt, path) > 0)
				(*refused)++;
			free(names[i]);
		}
		free(names);
	}
	free(dirs);
	return TP_OK;
}

static void unload(tp_modules *ms, size_t i, tp_router *rt)
{
	if (rt != NULL)
		tp_router_remove_module(rt, ms->mods[i].mod);
	dlclose(ms->mods[i].dl);
	free(ms->mods[i].path);
	memmove(&ms->mods[i], &ms->mods[i + 1],
	        (ms->n - i - 1) * sizeof(ms->mods[0]));
	ms->n--;
}

tp_rc tp_modules_init(tp_modules *ms, tp_core *core, tp_router *rt)
{
	for (size_t i = 0; i < ms->n;) {
		const tp_module *m = ms->mods[i].mod;
		if (m->init != NULL) {
			tp_rc rc = m->init(core);
			if (rc != TP_OK) {
				tp_log(TP_LOG_ERR, "TP0209",
				       "module %s refused: init failed (%s)",
				       m->name, tp_rc_code(rc));
				unload(ms, i, rt);
				continue;
			}
		}
		ms->mods[i].inited = true;
		i++;
	}
	return TP_OK;
}

void tp_modules_fini(tp_modules *ms)
{
	for (size_t i = ms->n; i-- > 0;) {
		if (ms->mods[i].inited && ms->mods[i].mod->fini != NULL)
			ms->mods[i].mod->fini();
		dlclose(ms->mods[i].dl);
		free(ms->mods[i].path);
	}
	free(ms->mods);
	ms->mods = NULL;
	ms->n = 0;
}

tp_rc tp_modules_thread_init(tp_modules *ms, tp_db *db)
{
	for (size_t i = 0; i < ms->n; i++) {
		const tp_module *m = ms->mods[i].mod;
		if (m->thread_init != NULL && m->thread_init(db) != TP_OK) {
			tp_log(TP_LOG_ERR, "TP0210",
			       "module %s: thread init failed", m->name);
			return TP_EINTERNAL;
		}
	}
	return TP_OK;
}

void tp_modules_thread_fini(tp_modules *ms)
{
	for (size_t i = ms->n; i-- > 0;)
		if (ms->mods[i].mod->thread_fini != NULL)
			ms->mods[i].mod->thread_fini();
}

/* The core's own entries; modules add theirs. */
/* (labels and groups are translated when shown: view.c, tp_tr) */
static const tp_menu core_menu[] = {
    {.label = N_("Partners"),
     .href = "/partners",
     .area = "partners",
     .order = 10},
    {.label = N_("Accounts"),
     .href = "/accounts",
     .area = "accounts",
     .order = 20},
    {.label = N_("Users"), .href = "/users", .area = "users", .order = 30},
    {.label = N_("Admin"), .href = "/admin", .area = "brand", .order = 90},
    {.label = N_("Contact us"),
     .href = "/help/contact",
     .order = 80,
     .group = N_("Help")},
    {0}};
/* Core entries shown to operator logins only: their pages exist for no
 * one else (TP_ROUTE_OPERATOR). A module's entry cannot be one (yet). */
static const char *const operator_only[] = {"/admin", NULL};

static bool is_operator_only(const tp_menu *m, const char *module)
{
	for (size_t i = 0; module == NULL && operator_only[i] != NULL; i++)
		if (strcmp(m->href, operator_only[i]) == 0)
			return true;
	return false;
}

size_t tp_modules_menu_size(const tp_modules *ms)
{
	size_t n = 0;
	for (size_t i = 0; i <= ms->n; i++)
		for (const tp_menu *m = i == 0 ? core_menu
		                               : ms->mods[i - 1].mod->menu;
		     m != NULL && m->label != NULL; m++)
			n++;
	return n;
}

json_object *tp_modules_menu(const tp_modules *ms, const tp_menu **hooks,
                             size_t *nhooks)
{
	size_t nh = 0;
	struct ent {
		const tp_menu *m;
		const char *module;
	} *all = NULL;
	size_t n = 0;

	for (size_t i = 0; i <= ms->n; i++) {
		const tp_menu *m =
		    i == 0 ? core_menu : ms->mods[i - 1].mod->menu;
		const char *mod = i == 0 ? NULL : ms->mods[i - 1].mod->name;
		for (; m != NULL && m->label != NULL; m++) {
			struct ent *na = realloc(all, (n + 1) * sizeof(*na));
			if (na == NULL)
				break;
			all = na;
			all[n++] = (struct ent){m, mod};
		}
	}
	/* insertion sort: stable, so equal orders keep load order */
	for (size_t i = 1; i < n; i++) {
		struct ent e = all[i];
		size_t j = i;
		for (; j > 0 && all[j - 1].m->order > e.m->order; j--)
			all[j] = all[j - 1];
		all[j] = e;
	}
	json_object *menu = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "label",
		                       json_object_new_string(all[i].m->label));
		json_object_object_add(o, "href",
		                       json_object_new_string(all[i].m->href));
		json_object_object_add(o, "order",
		                       json_object_new_int(all[i].m->order));
		/* what view.c filters each request's menu by */
		if (all[i].module != NULL)
			json_object_object_add(
			    o, "module", json_object_new_string(all[i].module));
		if (all[i].m->area != NULL)
			json_object_object_add(
			    o, "area", json_object_new_string(all[i].m->area));
		if (is_operator_only(all[i].m, all[i].module))
			json_object_object_add(o, "operator",
			                       json_object_new_boolean(1));
		/* null, not absent: a page's own "group" or "count" key must
		 * not show through in the layout's menu */
		json_object_object_add(
		    o, "group",
		    all[i].m->group ? json_object_new_string(all[i].m->group)
		                    : NULL);
		json_object_object_add(o, "count", NULL);
		unsigned k =
		    all[i].m->flags &
		    (TP_MENU_OPERATOR | TP_MENU_PARTNER | TP_MENU_CUSTOMER);
		if (k != 0)
			json_object_object_add(
			    o, "kinds",
			    json_object_new_int(
			        (k & TP_MENU_OPERATOR ? 1 << TP_USER_OPERATOR
			                              : 0) |
			        (k & TP_MENU_PARTNER ? 1 << TP_USER_PARTNER
			                             : 0) |
			        (k & TP_MENU_CUSTOMER ? 1 << TP_USER_CUSTOMER
			                              : 0)));
		if (all[i].m->count != NULL && hooks != NULL) {
			json_object_object_add(o, "hook",
			                       json_object_new_int((int)nh));
			hooks[nh++] = all[i].m;
		}
		json_object_array_add(menu, o);
	}
	free(all);
	if (nhooks != NULL)
		*nhooks = nh;
	return menu;
}

json_object *tp_modules_json(const tp_modules *ms)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < ms->n; i++) {
		const tp_module *m = ms->mods[i].mod;
		json_object *o = json_object_new_object();
		char abi[32];
		/* the ABI the module was built against, which the loader
		 * accepted: the core's major, a minor at most the core's */
		snprintf(abi, sizeof(abi), "%u.%u", m->abi_major, m->abi_minor);
		json_object_object_add(o, "name",
		                       json_object_new_string(m->name));
		json_object_object_add(o, "version",
		                       json_object_new_string(m->version));
		json_object_object_add(o, "abi", json_object_new_string(abi));
		json_object_array_add(a, o);
	}
	return a;
}

char *tp_module_data_dir(const tp_config *cfg, const char *name)
{
	if (cfg->module_data == NULL)
		return NULL;
	char *dirs = strdup(cfg->module_data), *save = NULL, *found = NULL;
	for (char *d = strtok_r(dirs, ":", &save); d != NULL && !found;
	     d = strtok_r(NULL, ":", &save)) {
		char path[4096];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", d, name);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			found = strdup(path);
	}
	free(dirs);
	return found;
}

const char *tp_core_config(tp_core *core, const char *module, const char *key)
{
	return tp_config_extra(core->cfg, module, key);
}
