/*
 * health.c -- the core's own routes: /healthz (is the DB reachable, is
 * the cache up) and the home page. They go through the same pipeline and
 * view as module routes.
 */
#include "config.h"
#include "server/server.h"

#include <string.h>

#define TP_STR_(x)  #x
#define TP_STR(x)   TP_STR_(x)
#define TP_ABI_TEXT TP_STR(TP_ABI_MAJOR) "." TP_STR(TP_ABI_MINOR)

static tp_rc healthz(tp_req *r)
{
	json_object *v = tp_view(r);
	tp_thread *t = r->thread;
	bool db_ok = t != NULL && t->db != NULL && tp_db_ping(t->db) == TP_OK;
	int cache = t != NULL ? tp_cache_state(t->cache) : -1;

	json_object_object_add(v, "db",
	                       json_object_new_string(db_ok ? "ok" : "down"));
	json_object_object_add(v, "cache",
	                       json_object_new_string(cache > 0    ? "up"
	                                              : cache == 0 ? "down"
	                                                           : "off"));
	json_object_object_add(v, "version",
	                       json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(v, "abi", json_object_new_string(TP_ABI_TEXT));
	/* what this worker serves: a module refused at load is missing */
	if (t != NULL && t->app != NULL)
		json_object_object_add(v, "modules",
		                       tp_modules_json(&t->app->mods));
	/* monitors ask with curl or a load balancer: JSON unless a browser
	 * asks for HTML */
	const char *accept = tp_header(r, "Accept");
	if (accept == NULL || strstr(accept, "text/html") == NULL)
		r->api = true;
	tp_view_title(r, "Health");
	tp_set_header(r, "Cache-Control", "no-store");
	if (!db_ok)
		tp_set_status(r, 503);
	return TP_OK;
}

static const tp_route core_routes[] = {
    {.methods = TP_GET,
     .path = "/healthz",
     .handler = healthz,
     .tmpl = "healthz.tpl",
     .flags = TP_ROUTE_PUBLIC | TP_ROUTE_HTML_ONLY | TP_ROUTE_ANY_HOST},
    {0}};

/* The runtime's own routes, then the built-in features' (the list is
 * builtin/builtin.c's, as nginx keeps its static module list). */
tp_rc tp_core_routes_add(tp_router *rt)
{
	if (tp_router_add_table(rt, core_routes) != TP_OK)
		return TP_EINTERNAL;
	return tp_builtin_routes_add(rt);
}
