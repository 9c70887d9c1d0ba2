/*
 * pipeline.c -- one request through the core: route, brand, parse,
 * session, login required?, CSRF, module gate, rights, scope, handler,
 * view. Handlers never see a request the core has not checked; nothing in
 * here knows about FastCGI (worker.c is the transport).
 */
#include "config.h"
#include "server/server.h"

#include <stdlib.h>
#include <string.h>

static const char api_prefix[] = "/api/v1";

static bool is_api_path(const char *path)
{
	size_t n = sizeof(api_prefix) - 1;
	return strncmp(path, api_prefix, n) == 0 &&
	       (path[n] == '/' || path[n] == '\0');
}

static void plain_404(tp_req *r)
{
	static const char resp[] = "Status: 404 Not Found\r\n"
	                           "Content-Type: text/plain; charset=utf-8\r\n"
	                           "Content-Length: 10\r\n\r\nNot Found\n";
	size_t len = sizeof(resp) - 1;
	if (r->head)
		len -= 10;
	if (r->out_write != NULL)
		r->out_write(r->out_ud, resp, len);
	r->streaming = true;
	r->status = 404;
}

static bool unsafe(unsigned method)
{
	return (method & (TP_POST | TP_PUT | TP_PATCH | TP_DELETE)) != 0;
}

/* Session and login for a matched route of a known brand: before the
 * body is read, so that an anonymous client cannot make a worker parse or
 * spool (uploads: to disk) a body for a route it may not use. What the
 * body may carry (the CSRF token, ids to scope) is checked after it, in
 * check_access. */
static tp_rc check_login(tp_req *r, const tp_route *route)
{
	tp_rc rc = tp_session_load(r);
	if (rc != TP_OK)
		return rc;
	tp_i18n_request(r);
	if (!(route->flags & TP_ROUTE_PUBLIC)) {
		if (r->viewer == NULL) {
			if (r->api || tp_wants_json(r))
				return tp_fail(r, TP_EAUTH, NULL,
				               "log in first");
			/* a browser goes to the login page and back */
			const char *next = r->uri ? r->uri : "/";
			tp_set_header(r, "Location",
			              tp_printf(r, "/login?next=%s",
			                        tp_url_encode(r, next)));
			tp_set_status(r, 303);
			r->tmpl = NULL;
			return TP_DECLINED;
		}
		/* operator pages do not exist for anyone else: not even
		 * the CSRF or terms answers may tell them apart */
		if (((route->flags & TP_ROUTE_OPERATOR) &&
		     !tp_scope_is_operator(r)) ||
		    ((route->flags & TP_ROUTE_PLATFORM) &&
		     !tp_scope_is_platform(r)))
			return tp_fail(r, TP_ENOENT, NULL, "no such page");
	}
	return TP_OK;
}

/* CSRF, terms, module gate, rights and scope, once the body is parsed. */
static tp_rc check_access(tp_req *r, const tp_route *route)
{
	tp_rc rc;
	if (!(route->flags & TP_ROUTE_PUBLIC)) {
		/* a token is sent on purpose, never by a browser on its own */
		if (unsafe(r->method) && !r->viewer->via_token &&
		    (rc = tp_csrf_check(r)) != TP_OK)
			return rc;
		/* the brand's terms come first, when it requires them */
		if (!r->viewer->terms_ok &&
		    !(route->flags & TP_ROUTE_BEFORE_TERMS)) {
			if (r->api || tp_wants_json(r))
				return tp_fail(
				    r, TP_EPERM, "terms",
				    "accept the terms and conditions "
				    "first (GET /api/v1/terms)");
			tp_set_header(r, "Location", "/terms");
			tp_set_status(r, 303);
			r->tmpl = NULL;
			return TP_DECLINED;
		}
	}
	const tp_module *m = r->match.ent->module;
	if (m != NULL && !tp_module_enabled(r, m->name))
		return tp_fail(r, TP_ENOENT, NULL, "no such page");
	if (route->area != NULL && (tp_viewer_rights(r->viewer, route->area) &
	                            route->right) != route->right)
		return tp_fail(r, TP_EPERM, NULL,
		               "your login may not do this; ask your "
		               "administrator for the right");
	/* viewing as a customer is looking, not acting (module routes
	 * included), unless the login may act for customers */
	if (unsafe(r->method) && !(route->flags & TP_ROUTE_VIEW_SAFE) &&
	    tp_viewer_read_only(r->viewer))
		return tp_fail(r, TP_EPERM, NULL,
		               "you are viewing as a customer: switch back to "
		               "your own view to change anything");
	return tp_scope_check(r);
}

#ifdef TP_ALLOC_FAIL
/* --enable-alloc-fail: this request's Nth allocation fails, N from the
 * X-Alloc-Fail-At header (a test walks N over a route; 0: none) or
 * TP_ALLOC_FAIL_AT (every request). Whether either asked: only then does
 * the answer tell how many allocations the request made (a header on
 * every answer would differ between answers tests compare, 10_matrix) */
static bool alloc_fail_arm(tp_req *r)
{
	const char *v = tp_header(r, "x-alloc-fail-at");
	int64_t n = 0;

	if (v == NULL)
		v = getenv("TP_ALLOC_FAIL_AT");
	if (v == NULL || tp_parse_i64(v, &n) != TP_OK || n < 0)
		n = 0;
	tp_arena_fail_at((unsigned long)n);
	return v != NULL;
}
#endif

void tp_handle(tp_app *app, tp_req *r)
{
	tp_rc rc = TP_OK;
	unsigned long failures = tp_arena_failures(), calls = tp_arena_calls();
#ifdef TP_ALLOC_FAIL
	bool alloc_asked = alloc_fail_arm(r);
#else
	(void)calls;
#endif

	tp_log_reqid = r->reqid;
	r->api = r->path != NULL && is_api_path(r->path);
	r->head = r->method == TP_HEAD;
	if (r->brand == NULL)
		r->brand = app->cfg->default_brand;

	/* matched once; the brand is resolved before any answer, so an
	 * unknown host learns nothing, not even which paths exist */
	rc = r->path != NULL && r->path[0] == '/'
	         ? tp_router_match(&app->router, &r->arena, r->method, r->path,
	                           &r->match)
	         : TP_ENOENT;
	if (!(rc == TP_OK &&
	      (r->match.ent->route->flags & TP_ROUTE_ANY_HOST))) {
		tp_rc brc = tp_brand_resolve(r);
		if (brc == TP_ENOENT) {
			plain_404(r);
			goto done;
		}
		if (brc != TP_OK) {
			rc = brc;
			goto out;
		}
		tp_i18n_request(r);
	}
	if (r->path == NULL || r->path[0] != '/') {
		rc = tp_fail(r, TP_EINVAL, NULL, "bad request path");
		goto out;
	}
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

	bool identity = !(route->flags & TP_ROUTE_ANY_HOST);
	if ((rc = tp_req_parse_query(r)) != TP_OK ||
	    (rc = tp_req_parse_cookies(r)) != TP_OK ||
	    (identity && (rc = check_login(r, route)) != TP_OK) ||
	    (rc = tp_req_parse_body(r)) != TP_OK ||
	    (identity && (rc = check_access(r, route)) != TP_OK)) {
		if (rc == TP_DECLINED)
			rc = TP_OK; /* answered already: a redirect */
		goto out;
	}

	rc = route->handler(r);
	if (rc == TP_DECLINED)
		rc = tp_fail(r, TP_ENOENT, NULL, "no such page");

out:
	/* a handler may report an outage as its own 500: it is still one */
	if ((rc == TP_EDB || rc == TP_EINTERNAL) &&
	    tp_db_lost(r->thread ? r->thread->db : NULL))
		rc = TP_EUNAVAIL;
	/* memory ran out (lib/arena.c's reserve served): the answer is a
	 * 503 and the transaction did not commit (tp_db_commit refuses) --
	 * unless it had committed before, or a stream had begun (its status
	 * went out, and the reserve let it finish whole: cutting it would
	 * break a good download), when the handler's answer is true */
	if (tp_arena_failures() != failures && !r->streaming &&
	    !tp_db_committed(r->thread ? r->thread->db : NULL)) {
		tp_log(TP_LOG_ERR, "TP0012", "out of memory during %s %s",
		       r->method_str ? r->method_str : "-",
		       r->path ? r->path : "-");
		r->fail_rc = TP_OK;
		r->status = 0;
		rc = tp_fail(r, TP_EUNAVAIL, NULL, "out of memory; try again");
	}
#ifdef TP_ALLOC_FAIL
	/* still armed while answering: a failure there must not crash */
	if (alloc_asked)
		tp_set_header(r, "X-Alloc-Calls",
		              tp_printf(r, "%lu", tp_arena_calls() - calls));
#endif
	tp_db_end_request(r->thread ? r->thread->db : NULL);
	tp_session_settle();
	tp_respond(r, rc);
done:
#ifdef TP_ALLOC_FAIL
	/* answered: a failure still armed must not fall into the next
	 * request's parsing, before it is armed again (two in one request
	 * would use up the reserve) */
	tp_arena_fail_at(0);
#endif
	tp_log(TP_LOG_DEBUG, "TP0010", "%s %s -> %d",
	       r->method_str ? r->method_str : "-", r->path ? r->path : "-",
	       r->status ? r->status : tp_rc_http_status(rc));
}
