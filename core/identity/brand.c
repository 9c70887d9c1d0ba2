/*
 * brand.c -- the Host header names the brand (tenant). Each worker thread
 * keeps its own small cache of host -> brand, trusted for
 * [session] brand_cache_seconds, so a request costs no lock and, warm, no
 * query. An unknown host is never guessed: the caller answers a plain 404.
 */
#include "config.h"
#include "identity/identity.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define BRAND_CACHE 32

struct brand_ent {
	char host[256];
	tp_brand *b; /* NULL: known to be unknown */
	long long loaded_ms;
	long long used_ms;
	bool pinned; /* tp_brand_pin: never reloaded (tests, bench/micro) */
};

struct tp_brand_cache {
	struct brand_ent ents[BRAND_CACHE];
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int tp_host_normalize(const char *host, char *out, size_t outlen)
{
	size_t n = 0;
	if (host == NULL || *host == '\0')
		return -1;
	const char *end = host + strlen(host);
	if (*host == '[') { /* [v6]:port */
		const char *rb = strchr(host, ']');
		if (rb == NULL)
			return -1;
		end = rb + 1;
	} else {
		const char *colon = strchr(host, ':');
		if (colon != NULL)
			end = colon;
	}
	for (const char *p = host; p < end; p++) {
		char c = *p;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == '[' || c == ']' || c == ':'))
			return -1;
		if (n + 1 >= outlen)
			return -1;
		out[n++] = c;
	}
	if (n == 0)
		return -1;
	out[n] = '\0';
	return 0;
}

static void brand_free(tp_brand *b)
{
	if (b == NULL)
		return;
	free(b->slug);
	free(b->name);
	free(b->color_primary);
	free(b->color_accent);
	free(b->support_phone);
	free(b->lang);
	free(b->tz);
	free(b->support_email);
	free(b->logo_url);
	free(b->favicon_url);
	free(b->img_src);
	json_object_put(b->social);
	free(b->base_url);
	if (b->plan_modules != NULL)
		for (char **m = b->plan_modules; *m != NULL; m++)
			free(*m);
	free(b->plan_modules);
	free(b);
}

void tp_brand_cache_free(struct tp_brand_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < BRAND_CACHE; i++)
		brand_free(c->ents[i].b);
	free(c);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The brand's configured base URL, or "" and its first host (the one
 * added first) for the default. */
#define BASE_URL_SQL                                                           \
	"IFNULL(t.base_url, ''), (SELECT fh.host FROM tenant_hosts fh WHERE "  \
	"fh.tenant_id = t.id ORDER BY fh.seq LIMIT 1)"

/* "https://host" from the two columns of BASE_URL_SQL; malloc'd */
static char *base_url_of(const tp_config *cfg, const char *set,
                         const char *first_host)
{
	char *u = NULL;
	if (set != NULL && *set != '\0')
		return strdup(set);
	if (asprintf(&u, "%s://%s",
	             cfg != NULL && cfg->default_scheme != NULL
	                 ? cfg->default_scheme
	                 : "https",
	             first_host != NULL ? first_host : "localhost") < 0)
		return NULL;
	return u;
}

static const char brand_sql[] =
    "SELECT t.id, t.slug, t.name, t.color_primary, t.color_accent, "
    "t.support_phone, t.support_email, t.terms_required, t.terms_version, "
    "(SELECT GROUP_CONCAT(pm.module) FROM plan_modules pm "
    " WHERE pm.plan_id = t.plan_id), t.is_platform, "
    "t.logo_url, IFNULL(t.asset_hosts, ''), " BASE_URL_SQL ", "
    "t.login_first = 'customer', t.favicon_url, t.social, t.language, "
    "t.time_zone, t.csv_plain FROM "
    "tenant_hosts h JOIN tenants t ON t.id = h.tenant_id WHERE h.host = ? "
    "AND t.status = 'active'";

/* The sources of the pages' img-src: the portal itself, the brand's
 * declared asset hosts (host names only, checked when saved) and the host
 * of an https logo. Custom CSS cannot name any other (brand_admin.c), and
 * the browser fetches from no other, so a brand's CSS cannot read a page
 * out through image requests. */
/* "https://host" of an https address that is only host characters, into
 * o (cap bytes left); nothing otherwise */
static int https_host(char *o, size_t cap, const char *url)
{
	if (url == NULL || strncmp(url, "https://", 8) != 0)
		return 0;
	const char *h = url + 8;
	size_t n = strcspn(h, "/?#");
	bool ok = n > 0;
	for (size_t i = 0; i < n && ok; i++)
		ok = (h[i] >= 'a' && h[i] <= 'z') ||
		     (h[i] >= 'A' && h[i] <= 'Z') ||
		     (h[i] >= '0' && h[i] <= '9') || strchr(".-:", h[i]);
	return ok ? snprintf(o, cap, " https://%.*s", (int)n, h) : 0;
}

static char *img_src(const char *hosts, const char *logo, const char *icon)
{
	size_t cap = 8 + strlen(hosts) * 2 + 16 + (logo ? strlen(logo) : 0) +
	             16 + (icon ? strlen(icon) : 0) + 16;
	char *s = malloc(cap), *o = s;
	if (s == NULL)
		return NULL;
	o += snprintf(o, cap, "'self'");
	for (const char *p = hosts; *p != '\0';) {
		size_t n = strcspn(p, " ");
		if (n > 0)
			o += snprintf(o, cap - (size_t)(o - s), " https://%.*s",
			              (int)n, p);
		p += n;
		p += *p == ' ';
	}
	/* the logo's and the favicon's hosts, if only host characters */
	o += https_host(o, cap - (size_t)(o - s), logo);
	https_host(o, cap - (size_t)(o - s), icon);
	return s;
}

/* The social networks a brand may link to, in the footer's order (the
 * brand settings page edits them: builtin/brand_admin.c). */
const char *const tp_social_names[] = {"facebook", "instagram", "linkedin",
                                       "x",        "youtube",   NULL};
const char *const tp_social_labels[] = {"Facebook", "Instagram", "LinkedIn",
                                        "X",        "YouTube",   NULL};

/* tenants.social ({"name": "https://..."}, checked when saved) as the
 * footer's list [{name, label, url}], in tp_social_names' order; NULL when
 * the brand has none */
static json_object *social_links(const char *json)
{
	json_object *o = json != NULL ? json_tokener_parse(json) : NULL, *x;
	json_object *l = NULL;
	for (size_t i = 0; o != NULL && tp_social_names[i] != NULL; i++) {
		if (!json_object_is_type(o, json_type_object) ||
		    !json_object_object_get_ex(o, tp_social_names[i], &x) ||
		    !json_object_is_type(x, json_type_string) ||
		    strncmp(json_object_get_string(x), "https://", 8) != 0)
			continue;
		json_object *e = json_object_new_object();
		json_object_object_add(
		    e, "name", json_object_new_string(tp_social_names[i]));
		json_object_object_add(
		    e, "label", json_object_new_string(tp_social_labels[i]));
		json_object_object_add(e, "url", json_object_get(x));
		if (l == NULL)
			l = json_object_new_array();
		json_object_array_add(l, e);
	}
	json_object_put(o);
	return l;
}

static tp_rc load(tp_req *r, const char *host, tp_brand **out)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs, brand_sql, "s", host);
	*out = NULL;
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return TP_OK;
	tp_brand *b = calloc(1, sizeof(*b));
	b->id = (uint64_t)tp_rows_i64(rs, 0, 0);
	b->slug = dup_or_null(tp_rows_get(rs, 0, 1));
	b->name = dup_or_null(tp_rows_get(rs, 0, 2));
	b->color_primary = dup_or_null(tp_rows_get(rs, 0, 3));
	b->color_accent = dup_or_null(tp_rows_get(rs, 0, 4));
	b->support_phone = dup_or_null(tp_rows_get(rs, 0, 5));
	b->support_email = dup_or_null(tp_rows_get(rs, 0, 6));
	b->terms_required = tp_rows_i64(rs, 0, 7) != 0;
	b->terms_version = (unsigned)tp_rows_i64(rs, 0, 8);
	b->plan_modules = tp_split_list(tp_rows_get(rs, 0, 9));
	b->platform = tp_rows_i64(rs, 0, 10) != 0;
	b->logo_url = dup_or_null(tp_rows_get(rs, 0, 11));
	b->favicon_url = dup_or_null(tp_rows_get(rs, 0, 16));
	b->img_src =
	    img_src(tp_rows_get(rs, 0, 12), b->logo_url, b->favicon_url);
	b->base_url =
	    base_url_of(r->cfg, tp_rows_get(rs, 0, 13), tp_rows_get(rs, 0, 14));
	b->customers_first = tp_rows_i64(rs, 0, 15) != 0;
	b->social = social_links(tp_rows_get(rs, 0, 17));
	b->lang = dup_or_null(tp_rows_get(rs, 0, 18));
	b->tz = dup_or_null(tp_rows_get(rs, 0, 19));
	b->csv_plain = tp_rows_i64(rs, 0, 20) != 0;
	*out = b;
	return TP_OK;
}

tp_rc tp_brand_resolve(tp_req *r)
{
	char host[256];
	tp_thread *t = r->thread;

	if (tp_host_normalize(r->host, host, sizeof(host)) < 0)
		return TP_ENOENT;
	if (t == NULL)
		return TP_ENOENT;
	if (t->brands == NULL)
		t->brands = calloc(1, sizeof(*t->brands));
	long long now = now_ms();
	long long ttl = (long long)r->cfg->brand_cache_seconds * 1000;
	struct brand_ent *hit = NULL, *victim = &t->brands->ents[0];
	for (size_t i = 0; i < BRAND_CACHE; i++) {
		struct brand_ent *e = &t->brands->ents[i];
		if (e->host[0] != '\0' && strcmp(e->host, host) == 0) {
			hit = e;
			break;
		}
		if (!e->pinned &&
		    (victim->pinned || e->used_ms < victim->used_ms))
			victim = e;
	}
	if (hit != NULL && (hit->pinned || now - hit->loaded_ms < ttl)) {
		hit->used_ms = now;
		r->tenant = hit->b;
	} else {
		tp_brand *b;
		tp_rc rc = load(r, host, &b);
		if (rc != TP_OK)
			return rc;
		struct brand_ent *e = hit ? hit : victim;
		brand_free(e->b);
		snprintf(e->host, sizeof(e->host), "%s", host);
		e->b = b;
		e->loaded_ms = e->used_ms = now;
		r->tenant = b;
	}
	if (r->tenant == NULL)
		return TP_ENOENT;
	r->brand = r->tenant->slug;
	return TP_OK;
}

void tp_brand_cache_expire(tp_thread *t)
{
	/* stale, not freed: this request's r->tenant may point at one */
	for (size_t i = 0; t != NULL && t->brands != NULL && i < BRAND_CACHE;
	     i++)
		if (!t->brands->ents[i].pinned)
			t->brands->ents[i].loaded_ms = LLONG_MIN / 2;
}

void tp_brand_pin(tp_thread *t, const char *host, const char *slug,
                  const char *name, const char *modules)
{
	if (t->brands == NULL)
		t->brands = calloc(1, sizeof(*t->brands));
	struct brand_ent *e = &t->brands->ents[0];
	for (size_t i = 0; i < BRAND_CACHE && e->pinned; i++)
		e = &t->brands->ents[i];
	tp_brand *b = calloc(1, sizeof(*b));
	b->id = 1;
	b->slug = strdup(slug);
	b->name = strdup(name);
	b->plan_modules = tp_split_list(modules);
	/* plain http: a pinned brand's cookies stay as they were */
	if (asprintf(&b->base_url, "http://%s", host) < 0)
		b->base_url = NULL;
	brand_free(e->b);
	snprintf(e->host, sizeof(e->host), "%s", host);
	e->b = b;
	e->pinned = true;
}

/* ---- links for mails ---- */

const char *tp_brand_url(tp_req *r, const char *path)
{
	if (r->tenant == NULL || r->tenant->base_url == NULL)
		return NULL;
	return tp_printf(r, "%s%s", r->tenant->base_url, path ? path : "");
}

tp_rc tp_brand_url_db(tp_db *db, uint64_t tenant_id, const char *path,
                      char *out, size_t cap)
{
	tp_arena a;
	tp_rows *rs;
	tp_rc rc;

	if (cap > 0)
		out[0] = '\0';
	tp_arena_init(&a);
	rc = tp_db_query_a(db, &a, &rs,
	                   "SELECT " BASE_URL_SQL " FROM tenants t WHERE t.id "
	                   "= ?",
	                   "I", (int64_t)tenant_id);
	if (rc == TP_OK && tp_rows_count(rs) == 0)
		rc = TP_ENOENT;
	if (rc == TP_OK) {
		char *base =
		    base_url_of(tp_db_config(db), tp_rows_get(rs, 0, 0),
		                tp_rows_get(rs, 0, 1));
		if (base == NULL)
			rc = TP_EINTERNAL;
		else if ((size_t)snprintf(out, cap, "%s%s", base,
		                          path ? path : "") >= cap)
			rc = TP_ETOOBIG;
		free(base);
	}
	tp_arena_destroy(&a);
	return rc;
}

const char *tp_base_url_bad(const char *s, char **norm)
{
	static const char msg[] =
	    "Enter the address the brand's users open, such as "
	    "https://portal.example.com (http or https, a host, maybe a "
	    "port; no path).";
	size_t skip;

	if (norm != NULL)
		*norm = NULL;
	if (s == NULL)
		return msg;
	if (strncasecmp(s, "https://", 8) == 0)
		skip = 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		skip = 7;
	else
		return msg;
	size_t len = strlen(s);
	if (len > 255)
		return msg;
	if (len > skip && s[len - 1] == '/')
		len--; /* "https://host/" is "https://host" */
	const char *h = s + skip, *end = s + len, *port = NULL;
	const char *hend = end;
	if (*h == '[') {
		const char *rb = memchr(h, ']', (size_t)(end - h));
		if (rb == NULL || rb == h + 1)
			return msg;
		for (const char *p = h + 1; p < rb; p++)
			if (!isxdigit((unsigned char)*p) && *p != ':' &&
			    *p != '.')
				return msg;
		hend = rb + 1;
	} else {
		const char *colon = memchr(h, ':', (size_t)(end - h));
		hend = colon ? colon : end;
		if (hend == h || *h == '.' || *h == '-' || hend[-1] == '.')
			return msg;
		for (const char *p = h; p < hend; p++)
			if (!isalnum((unsigned char)*p) && *p != '.' &&
			    *p != '-')
				return msg;
	}
	if (hend < end) {
		if (*hend != ':')
			return msg;
		port = hend + 1;
		size_t pl = (size_t)(end - port);
		if (pl < 1 || pl > 5 || strspn(port, "0123456789") < pl)
			return msg;
		long pn = strtol(port, NULL, 10);
		if (pn < 1 || pn > 65535)
			return msg;
	}
	if (norm != NULL) {
		char *n = strndup(s, len);
		if (n == NULL)
			return "out of memory";
		for (char *p = n; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		*norm = n;
	}
	return NULL;
}

bool tp_cookie_secure(tp_req *r)
{
	const char *name = r->cfg != NULL ? r->cfg->session_cookie : NULL;
	if (name != NULL && strncmp(name, "__Host-", 7) == 0)
		return true;
	return r->tenant != NULL && r->tenant->base_url != NULL &&
	       strncmp(r->tenant->base_url, "https://", 8) == 0;
}
