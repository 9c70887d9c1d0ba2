/*
 * http/http.h -- the request and its answer, which every layer above fills:
 * parsing (request.c, multipart.c), routing (router.c), the view and its
 * templates (view.c, tmpl.cc), status codes, the page cache, and the records of
 * who the request is for (viewer.c). Includes only lib/.
 */
#ifndef TP_HTTP_H
#define TP_HTTP_H

#include "lib/lib.h"

/* ------------------------------------------------------------------ */
/* router.c                                                             */

typedef struct tp_route_ent {
	const tp_route *route;
	const tp_module *module; /* NULL for core routes */
	char *pattern;           /* full path as mounted ("/api/v1/x/{id}") */
	char **segs;             /* split pattern; "{x}" kept as is */
	size_t nsegs;
	bool api; /* mounted under /api/v1 */
} tp_route_ent;

typedef struct tp_router {
	tp_route_ent *ents;
	size_t n, cap;
} tp_router;

#define TP_MAX_PARAMS 8
typedef struct tp_match {
	const tp_route_ent *ent;
	const char *names[TP_MAX_PARAMS];
	char *values[TP_MAX_PARAMS]; /* arena-owned, decoded */
	size_t nparams;
	unsigned allow; /* on 405: the methods the path has */
} tp_match;

void tp_router_init(tp_router *rt);
void tp_router_free(tp_router *rt);
/* Adds the route as "/path" and/or "/api/v1/path" (per its flags).
 * TP_ECONFLICT if a route with the same method and shape exists; err
 * then names the clash. */
tp_rc tp_router_add(tp_router *rt, const tp_route *route, const tp_module *m,
                    char *err, size_t errlen);
void tp_router_remove_module(tp_router *rt, const tp_module *m);
/* Adds a core route table ({0}-terminated); a failure is logged. */
tp_rc tp_router_add_table(tp_router *rt, const tp_route *table);
/* path is the raw (still percent-encoded) path; segments are decoded
 * one by one. TP_OK (match filled), TP_ENOENT (no path), TP_EINVAL (bad
 * percent-encoding), TP_EMETHOD (m->allow set).
 * method is one enum tp_method bit; HEAD matches GET routes. */
tp_rc tp_router_match(const tp_router *rt, tp_arena *a, unsigned method,
                      const char *path, tp_match *m);
unsigned tp_method_parse(const char *s);

/* ------------------------------------------------------------------ */
/* the running app as a request reaches it (server/ fills it in)       */

typedef struct tp_loaded {
	const tp_module *mod;
	void *dl;
	char *path;
	bool inited;
} tp_loaded;

typedef struct tp_modules {
	tp_loaded *mods;
	size_t n;
} tp_modules;

struct tp_core {
	tp_config *cfg;
	tp_modules *mods;
	tp_router *router;
};

/* ------------------------------------------------------------------ */
/* the app and a worker thread (server/pipeline.c, server/worker.c)   */

typedef struct tp_app {
	tp_config *cfg;
	tp_router router;
	tp_modules mods;
	tp_core core;
} tp_app;

typedef struct tp_cache tp_cache; /* data/cache.c */

struct tp_thread {
	int id;
	tp_app *app;
	tp_db *db;
	tp_cache *cache;
	struct tp_brand_cache *brands; /* brand.c, per thread: no locks */
};

/* ------------------------------------------------------------------ */
/* pagecache.c: rendered grid pages, per worker process, LRU within
 * [cache] page_cache_mb. The key says everything the body depends on
 * (grid.c); the cache only stores and finds. */

#define TP_PAGE_KEY_LEN 32
typedef struct tp_pagecache_stat {
	size_t bytes, max_bytes;
} tp_pagecache_stat;
/* Before the worker's threads start; 0 turns the cache off. */
void tp_pagecache_init(size_t max_bytes);
bool tp_pagecache_on(void);
/* A copy of the body in r's arena, with r's request id written where the
 * rendering request's stood (the layout shows it as the reference). */
bool tp_pagecache_get(tp_req *r, const unsigned char *key, const char **body,
                      size_t *len);
/* Keeps the body r rendered under key. */
void tp_pagecache_put(tp_req *r, const unsigned char *key, const char *body,
                      size_t len);
/* The kept page's gzip form (a copy in r's arena, with r's request id and
 * the CRC to match), made from body -- r's copy of the page from
 * tp_pagecache_get -- the first time it is asked for; false: none. */
bool tp_pagecache_gz(tp_req *r, const unsigned char *key, const char *body,
                     const char **gz, size_t *gz_len);
void tp_pagecache_stats(tp_pagecache_stat *st);
/* The brand's data generation as MariaDB has it after this request came:
 * read by read(), or taken from a read another thread of the worker
 * started after this request came (one read serves them all). */
typedef tp_rc (*tp_data_gen_read_fn)(tp_req *r, uint64_t tenant, uint64_t *gen);
tp_rc tp_data_gen(tp_req *r, uint64_t tenant, tp_data_gen_read_fn read,
                  uint64_t *gen);
void tp_pagecache_clear(void);

/* ------------------------------------------------------------------ */
/* request.c: parsing. The transport fills raw fields, then
 * tp_req_parse() turns them into the parsed request.                  */

typedef struct tp_kv {
	const char *name;
	const char *value;
} tp_kv;

typedef struct tp_kvlist {
	tp_kv *v;
	size_t n, cap;
} tp_kvlist;

/* Reads body bytes; returns bytes read (0 = end), -1 on error. */
typedef ssize_t (*tp_body_reader)(void *ud, char *buf, size_t len);

typedef struct tp_thread tp_thread;

/* A brand (tenant) as resolved from the Host header; immutable once built,
 * owned by the thread's brand cache. */
typedef struct tp_brand {
	uint64_t id;
	char *slug, *name, *color_primary, *color_accent;
	char *support_phone, *support_email, *logo_url;
	char *favicon_url; /* or NULL: /static/favicon.svg */
	/* the footer's social links [{name, label, url}], or NULL; this
	 * thread's (the brand cache is per thread), never changed */
	json_object *social;
	bool terms_required;
	/* a login name that is both a customer's and a partner's or an
	 * operator's signs in as the customer (login.c) */
	bool customers_first;
	/* CSV exports write cells as they are, no formula guard (the brand
	 * trusts the spreadsheets its users open them in: export.c) */
	bool csv_plain;
	bool platform; /* manages the other brands and the plans */
	unsigned terms_version;
	char **plan_modules; /* NULL-terminated */
	long long loaded_ms;
	char *img_src; /* the CSP's img-src: 'self', asset hosts, logo host */
	/* "https://portal.example.com": the configured one, or [http]
	 * default_scheme and the brand's first host; never ends in '/' */
	char *base_url;
	char *lang; /* the brand's language code and time zone (i18n.c) */
	char *tz;
} tp_brand;

#define TP_MAX_AREAS 64
/* SQL: true when the login u (users u) may be used: its own status, every
 * partner above it (a disabled partner stops the logins of its subtree)
 * and its account (a closed account's logins stop). Login and session
 * loading both use it. */
#define TP_USER_ACTIVE_SQL                                                     \
	"(u.status = 'active' AND NOT EXISTS (SELECT 1 FROM partner_tree "     \
	"upt JOIN partners upp ON upp.id = upt.ancestor WHERE upt.descendant " \
	"= u.partner_id AND upp.status = 'disabled') AND NOT EXISTS (SELECT "  \
	"1 FROM accounts uac WHERE uac.id = u.account_id AND uac.status = "    \
	"'closed'))"

/* The logged-in user behind a request, from one cache lookup or one DB
 * query (brand.c/session.c). */
typedef struct tp_viewer {
	uint64_t session_id, user_id, tenant_id;
	int kind;                                  /* enum tp_user_kind */
	uint64_t partner_id, account_id;           /* the user's own */
	uint64_t view_partner_id, view_account_id; /* "currently viewing" */
	bool is_admin;
	char csrf[44];
	char login[129];
	char name[129];
	char viewing[129]; /* name of the partner or account viewed now */
	char lang[8];      /* the login's language, "" the brand's */
	char tz[64];       /* the login's time zone, "" the brand's */
	unsigned char token_hash[32]; /* names the cached copy */
	bool terms_ok;  /* accepted the brand's current terms (or none due) */
	bool via_token; /* an API token (Authorization: Bearer), no cookie */
	char **tier_modules; /* NULL-terminated; NULL for operators */
	size_t nrights;
	struct {
		char area[33];
		unsigned rights;
	} rights[TP_MAX_AREAS];
} tp_viewer;

struct tp_req {
	tp_arena arena;
	tp_thread *thread;
	const tp_config *cfg;
	char reqid[40];

	/* raw, from the transport (FastCGI params) */
	unsigned method;
	const char *method_str;
	const char *uri;  /* REQUEST_URI, with query */
	const char *path; /* decoded path, no query */
	const char *query_string;
	const char *content_type;
	long long content_length; /* -1 if none */
	const char *remote_addr;
	const char *host;
	bool https;        /* the HTTPS param (nginx: $https) is set */
	tp_kvlist headers; /* lower-case names, '-' separated */
	tp_body_reader body_read;
	void *body_ud;

	/* parsed */
	tp_kvlist query;
	tp_kvlist form;
	tp_kvlist cookies;
	json_object *json;
	tp_upload *uploads;
	size_t n_uploads;
	tp_match match;
	const tp_brand *tenant; /* NULL until resolved */
	tp_viewer *viewer;      /* NULL: not logged in */
	bool api;               /* /api/v1 path */
	bool head;
	bool context; /* a request-less context (data/context.c) */

	/* response */
	int status; /* 0: from rc */
	tp_kvlist resp_headers;
	json_object *view;
	const char *tmpl;
	const char *title;
	const char *brand;
	tp_rc fail_rc;
	const char *fail_field;
	const char *fail_msg;
	bool streaming; /* headers already sent */
	bool out_error; /* client went away */
	bool cut_short; /* failed after its stream began: the transport must
	                 * not end the response as if it were whole */
	/* pagecache.c: a body found for this request (sent as it is), or the
	 * key under which a 200 body rendered now is kept */
	const char *page_body;
	size_t page_len;
	bool page_keyed;
	unsigned char page_key[TP_PAGE_KEY_LEN];
	/* response writer (transport) */
	int (*out_write)(void *ud, const void *buf, size_t len);
	int (*out_flush)(void *ud);
	void *out_ud;
};

void tp_req_init(tp_req *r, tp_thread *t, const tp_config *cfg);
/* viewer.c: the request's language from now on: the login's, else the
 * brand's, else English (after the brand and after the session load). */
void tp_i18n_request(tp_req *r);
void tp_req_reset(tp_req *r);
void tp_kv_add(tp_req *r, tp_kvlist *l, const char *name, const char *value);
/* For strings that outlive the request's use of them (arena or FastCGI
 * param storage): no copies. */
void tp_kv_add_nocopy(tp_req *r, tp_kvlist *l, const char *name,
                      const char *value);
const char *tp_kv_get(const tp_kvlist *l, const char *name);
const char *tp_kv_get_ci(const tp_kvlist *l, const char *name);
/* Decodes %xx (and '+' as space when plus) in place; -1 on a bad escape
 * or an encoded NUL. */
int tp_url_decode(char *s, bool plus);
/* Parses query string / cookies / body per content type and limits.
 * On failure returns the rc and records the message with tp_fail. */
tp_rc tp_req_parse_query(tp_req *r);
tp_rc tp_req_parse_cookies(tp_req *r);
tp_rc tp_req_parse_body(tp_req *r);
/* A path on this site a browser may be sent to (login's next=, the
 * grid's back=, a brand's logo): "/" alone or "/" then a path character,
 * URI characters only (no control character, space or backslash), nothing
 * removed or decoded first. */
bool tp_local_path(const char *s);

/* ---- added with request.c / multipart.c (core-private) ---- */

/* The [limits] in force for r: the config's values, with config.c's
 * defaults for any left at 0 or when r has no config (tests, fuzzing). */
typedef struct tp_limits {
	size_t max_body;
	size_t max_upload;
	size_t max_fields;
	size_t max_field_len;
	size_t max_query;
	int max_json_depth;     /* nested arrays/objects */
	const char *upload_dir; /* never NULL */
} tp_limits;
void tp_req_limits(const tp_req *r, tp_limits *l);
/* Reads the next piece of the body (at most cap bytes) into buf; *got is
 * 0 at the end. *total counts the body so far. Going over limit is
 * TP_ETOOBIG; more bytes than Content-Length, fewer at the end, or a read
 * error are TP_EINVAL. On failure tp_fail has been called. */
tp_rc tp_body_chunk(tp_req *r, char *buf, size_t cap, size_t limit,
                    size_t *total, size_t *got);

/* multipart.c: streams a multipart/form-data body (content_type is the
 * whole header, for its boundary) into r->form and r->uploads. */
tp_rc tp_multipart_parse(tp_req *r, const char *content_type);
/* ---- end of request.c / multipart.c additions ---- */

/* ------------------------------------------------------------------ */
/* status.c: the one mapping from tp_rc to HTTP                         */

int tp_rc_http_status(tp_rc rc);
const char *tp_rc_code(tp_rc rc); /* "invalid", "not_found", ... */
const char *tp_http_reason(int status);

/* ------------------------------------------------------------------ */
/* view.c + tmpl.cc                                                     */

/* Writes the whole response for r (after the handler returned rc). */
void tp_respond(tp_req *r, tp_rc rc);
/* The answer to a change that worked: the API gets {"KEY": true}, a
 * browser is sent on to location (303, no page). Returns TP_OK. */
tp_rc tp_changed(tp_req *r, const char *key, const char *location);
/* Resolve a template file: brand override first, then the defaults.
 * Returns a path that lives at least as long as the request (mostly the
 * process-wide cache's own copy), or NULL. */
const char *tp_template_path(tp_req *r, const char *file);
void tp_view_set_menu(json_object *menu); /* per process, built at init */
/* The entries whose "hook" index the menu's json carries (per-viewer
 * counts); set before the threads start, kept by the caller. */
void tp_view_set_menu_hooks(const tp_menu *const *hooks, size_t n);

/* tmpl.cc: the C++ bridge to ctemplate. Renders file with dict data
 * into a malloc'd buffer. include_file, if set, fills {{>CONTENT}}. */
int tp_tmpl_render(const char *file, const char *include_file,
                   json_object *data, char **out, size_t *outlen, char *err,
                   size_t errlen);
/* A top-level key the core adds for the layout: a C string, or else a
 * json value (NULL: json null) that outlives the render. */
typedef struct tp_tmpl_var {
	const char *key;
	const char *str;
	json_object *json;
} tp_tmpl_var;
/* tp_tmpl_render with vars (at most 24, distinct keys) laid over data's
 * top-level keys as json_object_object_add() into a copy of data would:
 * a var whose key data has takes that key's place, the others follow
 * data's keys in order. data itself is never touched. *out is the calling
 * thread's page buffer (NUL-terminated), not the caller's: it stays valid
 * until the thread renders again. */
int tp_tmpl_render_vars(const char *file, const char *include_file,
                        json_object *data, const tp_tmpl_var *vars,
                        size_t nvars, const char **out, size_t *outlen,
                        char *err, size_t errlen);
void tp_tmpl_clear_cache(void);

/* ------------------------------------------------------------------ */
/* viewer.c: who the request is for (filled in by identity/)           */

/* Is module name enabled for r's brand and viewer (plan, then tier)? */
bool tp_module_enabled(tp_req *r, const char *module);
unsigned tp_viewer_rights(const tp_viewer *v, const char *area);
/* The partner / account whose subtree v sees now ("currently viewing") */
uint64_t tp_viewer_partner_root(const tp_viewer *v);
/* A partner or operator viewing as a customer, without the right to act
 * for customers (area act_for_customers, update): only reads, and the
 * writes its routes flag TP_ROUTE_VIEW_SAFE. */
bool tp_viewer_read_only(const tp_viewer *v);
uint64_t tp_viewer_account_root(const tp_viewer *v);
/* The kind of login v is scoped as now (enum tp_user_kind): a partner or
 * operator viewing as a customer is a customer, an operator viewing as a
 * partner a partner; v->kind stays its own. */
int tp_viewer_kind(const tp_viewer *v);

/* The layout's view switcher for r (VIEW_SWITCH), a JSON object r owns,
 * or NULL for none: set by the features (builtin/directory.c) before the
 * threads start, as this layer cannot read the database itself. error:
 * for an error page (which must not echo the path: a foreign id's page is
 * byte for byte a missing one's). */
typedef json_object *(*tp_view_switch_fn)(tp_req *r, bool error);
void tp_view_set_switcher(tp_view_switch_fn fn);

/* s with everything but unreserved characters as %XX, in r's arena */
char *tp_url_encode(tp_req *r, const char *s);

#endif /* TP_HTTP_H */
