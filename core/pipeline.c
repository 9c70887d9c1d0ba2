/*
 * pipeline.c -- one request through the core: route, parse, (brand,
 * session, permission, scope: the identity layer slots in here), handler,
 * view. Handlers never see a request the core has not checked; nothing in
 * here knows about FastCGI (worker.c is the transport).
 */
#include "config.h"
#include "core.h"

#include <string.h>

static const char api_prefix[] = "/api/v1";

static bool is_api_path(const char *path)
{
	size_t n = sizeof(api_prefix) - 1;
	return strncmp(path, api_prefix, n) == 0 &&
	       (path[n] == '/' || path[n] == '\0');
}

void tp_handle(tp_app *app, tp_req *r)
{
	tp_rc rc;

	tp_log_reqid = r->reqid;
	r->api = r->path != NULL && is_api_path(r->path);
	r->head = r->method == TP_HEAD;
	if (r->brand == NULL)
		r->brand = app->cfg->default_brand;

	if (r->path == NULL || r->path[0] != '/') {
		rc = tp_fail(r, TP_EINVAL, NULL, "bad request path");
		goto out;
	}
	rc = tp_router_match(&app->router, &r->arena, r->method, r->path,
	                     &r->match);
	if (rc == TP_EINVAL) {
		tp_fail(r, rc, NULL, "bad percent-encoding in the path");
		goto out;
	}
	if (rc == TP_EMETHOD) {
		tp_fail(r, rc, NULL, "method %s not allowed here",
		        r->method_str ? r->method_str : "?");
		goto out;
	}
	if (rc != TP_OK) {
		tp_fail(r, TP_ENOENT, NULL, "no such page");
		goto out;
	}
	const tp_route *route = r->match.ent->route;
	r->tmpl = route->tmpl;

	if ((rc = tp_req_parse_query(r)) != TP_OK ||
	    (rc = tp_req_parse_cookies(r)) != TP_OK ||
	    (rc = tp_req_parse_body(r)) != TP_OK)
		goto out;

	rc = route->handler(r);
	if (rc == TP_DECLINED)
		rc = tp_fail(r, TP_ENOENT, NULL, "no such page");

out:
	tp_db_end_request(r->thread ? r->thread->db : NULL);
	tp_respond(r, rc);
	tp_log(TP_LOG_DEBUG, "TP0010", "%s %s -> %d",
	       r->method_str ? r->method_str : "-", r->path ? r->path : "-",
	       r->status ? r->status : tp_rc_http_status(rc));
}
