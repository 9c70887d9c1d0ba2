/*
 * router.c -- method + path patterns with {param} segments. Literal
 * segments beat parameters; two routes of the same shape and method are a
 * clash, refused at load time. Matching never allocates except for the
 * decoded parameter values, which live in the request arena.
 */
#include "config.h"
#include "http/http.h"

#include <stdlib.h>
#include <string.h>

#define API_PREFIX "/api/v1"

static const struct {
	const char *name;
	unsigned bit;
} methods[] = {
    {"GET", TP_GET},         {"POST", TP_POST},     {"PUT", TP_PUT},
    {"PATCH", TP_PATCH},     {"DELETE", TP_DELETE}, {"HEAD", TP_HEAD},
    {"OPTIONS", TP_OPTIONS},
};

unsigned tp_method_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(methods[i].name, s) == 0)
			return methods[i].bit;
	return 0;
}

void tp_router_init(tp_router *rt)
{
	memset(rt, 0, sizeof(*rt));
}

static void ent_free(tp_route_ent *e)
{
	for (size_t i = 0; i < e->nsegs; i++)
		free(e->segs[i]);
	free(e->segs);
	free(e->pattern);
}

void tp_router_free(tp_router *rt)
{
	for (size_t i = 0; i < rt->n; i++)
		ent_free(&rt->ents[i]);
	free(rt->ents);
	memset(rt, 0, sizeof(*rt));
}

static bool is_param(const char *seg)
{
	/* the brace first: every request asks this of every literal
	 * segment of every route with its number of segments */
	if (seg[0] != '{')
		return false;
	size_t n = strlen(seg);
	return n >= 3 && seg[n - 1] == '}';
}

/* Splits "/a/{b}/c" into malloc'd segments; -1 on a malformed pattern. */
static int split_pattern(const char *pattern, char ***out, size_t *nout)
{
	char **segs = NULL;
	size_t n = 0;
	const char *p = pattern;

	if (*p != '/')
		return -1;
	if (p[1] == '\0') {
		*out = NULL;
		*nout = 0;
		return 0;
	}
	while (*p == '/') {
		const char *s = ++p;
		while (*p != '\0' && *p != '/')
			p++;
		if (p == s || n >= 32)
			goto bad; /* empty segment or absurd depth */
		char **ns = realloc(segs, (n + 1) * sizeof(*ns));
		if (ns == NULL)
			goto bad;
		segs = ns;
		segs[n] = strndup(s, (size_t)(p - s));
		const char *seg = segs[n++];
		if (strchr(seg, '{') != NULL || strchr(seg, '}') != NULL) {
			if (!is_param(seg) || strchr(seg + 1, '{') != NULL ||
			    strchr(seg, '}') != seg + strlen(seg) - 1)
				goto bad;
		}
	}
	if (*p != '\0')
		goto bad;
	*out = segs;
	*nout = n;
	return 0;
bad:
	for (size_t i = 0; i < n; i++)
		free(segs[i]);
	free(segs);
	return -1;
}

static bool same_shape(const tp_route_ent *a, const tp_route_ent *b)
{
	if (a->nsegs != b->nsegs)
		return false;
	for (size_t i = 0; i < a->nsegs; i++) {
		bool pa = is_param(a->segs[i]), pb = is_param(b->segs[i]);
		if (pa != pb || (!pa && strcmp(a->segs[i], b->segs[i]) != 0))
			return false;
	}
	return true;
}

static tp_rc add_one(tp_router *rt, const tp_route *route, const tp_module *m,
                     bool api, char *err, size_t errlen)
{
	tp_route_ent e = {.route = route, .module = m, .api = api};
	size_t len = strlen(route->path) + sizeof(API_PREFIX);

	e.pattern = malloc(len);
	snprintf(e.pattern, len, "%s%s", api ? API_PREFIX : "",
	         strcmp(route->path, "/") == 0 && api ? "" : route->path);
	if (split_pattern(e.pattern, &e.segs, &e.nsegs) < 0) {
		snprintf(err, errlen, "malformed route pattern \"%s\"",
		         route->path);
		free(e.pattern);
		return TP_EINVAL;
	}
	for (size_t i = 0; i < rt->n; i++) {
		const tp_route_ent *o = &rt->ents[i];
		if ((o->route->methods & route->methods) && same_shape(o, &e)) {
			snprintf(err, errlen,
			         "route \"%s\" clashes with \"%s\" of %s",
			         e.pattern, o->pattern,
			         o->module ? o->module->name : "core");
			ent_free(&e);
			return TP_ECONFLICT;
		}
	}
	if (rt->n == rt->cap) {
		size_t cap = rt->cap ? rt->cap * 2 : 32;
		tp_route_ent *n = realloc(rt->ents, cap * sizeof(*n));
		if (n == NULL) {
			ent_free(&e);
			return TP_EINTERNAL;
		}
		rt->ents = n;
		rt->cap = cap;
	}
	rt->ents[rt->n++] = e;
	return TP_OK;
}

tp_rc tp_router_add(tp_router *rt, const tp_route *route, const tp_module *m,
                    char *err, size_t errlen)
{
	tp_rc rc = TP_OK;
	size_t before = rt->n;

	if (route->path == NULL || route->handler == NULL ||
	    route->methods == 0 || (route->methods & TP_HEAD)) {
		snprintf(err, errlen,
		         "route %s: needs path, handler and "
		         "methods (HEAD is implied by GET)",
		         route->path ? route->path : "(null)");
		return TP_EINVAL;
	}
	if (!(route->flags & TP_ROUTE_API_ONLY))
		rc = add_one(rt, route, m, false, err, errlen);
	if (rc == TP_OK && !(route->flags & TP_ROUTE_HTML_ONLY))
		rc = add_one(rt, route, m, true, err, errlen);
	if (rc != TP_OK) {
		/* all or nothing for this route */
		while (rt->n > before)
			ent_free(&rt->ents[--rt->n]);
	}
	return rc;
}

/* Removes every route of module m (a module refused after some of its
 * routes went in). */
void tp_router_remove_module(tp_router *rt, const tp_module *m)
{
	size_t j = 0;
	for (size_t i = 0; i < rt->n; i++) {
		if (rt->ents[i].module == m)
			ent_free(&rt->ents[i]);
		else
			rt->ents[j++] = rt->ents[i];
	}
	rt->n = j;
}

/* Score: more literal segments earlier wins. */
static int match_ent(const tp_route_ent *e, char *const *segs, size_t nsegs,
                     unsigned long *score)
{
	unsigned long s = 0;
	if (e->nsegs != nsegs)
		return 0;
	for (size_t i = 0; i < nsegs; i++) {
		s <<= 1;
		if (is_param(e->segs[i]))
			continue;
		if (strcmp(e->segs[i], segs[i]) != 0)
			return 0;
		s |= 1;
	}
	*score = s;
	return 1;
}

tp_rc tp_router_match(const tp_router *rt, tp_arena *a, unsigned method,
                      const char *path, tp_match *m)
{
	char *segs[33];
	size_t nsegs = 0;
	memset(m, 0, sizeof(*m));

	if (path == NULL || *path != '/')
		return TP_ENOENT;
	/* split a copy; a trailing slash is not the same path */
	size_t plen = strlen(path);
	char *copy = tp_arena_alloc(a, plen + 1);
	memcpy(copy, path, plen + 1);
	if (plen > 1) {
		char *p = copy;
		while (*p == '/') {
			*p++ = '\0';
			if (nsegs == 32)
				return TP_ENOENT;
			segs[nsegs++] = p;
			while (*p != '\0' && *p != '/')
				p++;
		}
		for (size_t i = 0; i < nsegs; i++) {
			if (*segs[i] == '\0')
				return TP_ENOENT; /* "//" or trailing '/' */
			/* decode per segment, so %2F stays inside a param */
			if (tp_url_decode(segs[i], false) < 0)
				return TP_EINVAL;
		}
	}

	unsigned want = method == TP_HEAD ? TP_GET : method;
	const tp_route_ent *best = NULL;
	unsigned long best_score = 0;
	unsigned allow = 0;
	for (size_t i = 0; i < rt->n; i++) {
		unsigned long score;
		const tp_route_ent *e = &rt->ents[i];
		if (!match_ent(e, segs, nsegs, &score))
			continue;
		if (!(e->route->methods & want)) {
			allow |= e->route->methods;
			continue;
		}
		if (best == NULL || score > best_score) {
			best = e;
			best_score = score;
		}
	}
	if (best == NULL) {
		if (allow == 0)
			return TP_ENOENT;
		m->allow = allow | ((allow & TP_GET) ? TP_HEAD : 0);
		return TP_EMETHOD;
	}
	m->ent = best;
	for (size_t i = 0; i < nsegs && m->nparams < TP_MAX_PARAMS; i++) {
		const char *seg = best->segs[i];
		if (!is_param(seg))
			continue;
		/* the name without braces points into the pattern copy */
		size_t n = strlen(seg) - 2;
		char *name = tp_arena_alloc(a, n + 1);
		memcpy(name, seg + 1, n);
		name[n] = '\0';
		m->names[m->nparams] = name;
		m->values[m->nparams] = segs[i];
		m->nparams++;
	}
	return TP_OK;
}

tp_rc tp_router_add_table(tp_router *rt, const tp_route *table)
{
	char err[256];
	for (const tp_route *r = table; r->path != NULL; r++) {
		if (tp_router_add(rt, r, NULL, err, sizeof(err)) != TP_OK) {
			tp_log(TP_LOG_ERR, "TP0011", "core route: %s", err);
			return TP_EINTERNAL;
		}
	}
	return TP_OK;
}
