/*
 * core.h -- core-private types and functions shared between core/ files.
 * Never included by a module (modules get core/tierport.h only), so the
 * structs here may change without an ABI bump.
 */
#ifndef TP_CORE_H
#define TP_CORE_H

#include "tierport.h"

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

/* ------------------------------------------------------------------ */
/* arena.c                                                              */

typedef struct tp_arena_block tp_arena_block;
typedef struct tp_cleanup_rec tp_cleanup_rec;

typedef struct tp_arena {
	tp_arena_block *head;  /* current block */
	tp_arena_block *first; /* kept across resets */
	tp_cleanup_rec *cleanups;
	size_t total; /* bytes handed out since reset */
} tp_arena;

void tp_arena_init(tp_arena *a);
void *tp_arena_alloc(tp_arena *a, size_t n);
void tp_arena_cleanup(tp_arena *a, void (*fn)(void *), void *data);
/* Runs cleanups (LIFO) and frees everything but the first block. */
void tp_arena_reset(tp_arena *a);
void tp_arena_destroy(tp_arena *a);

/* ------------------------------------------------------------------ */
/* config.c: the INI file, parsed with inih                             */

typedef struct tp_config {
	char *path;
	/* [server] */
	char *listen; /* unix socket path, or host:port */
	unsigned socket_mode;
	char *socket_group;
	int workers;
	int threads;
	int backlog;
	int drain_timeout; /* seconds */
	char *pid_file;
	char *log_file; /* NULL: stderr */
	int log_level;
	/* [limits] */
	size_t max_body;   /* urlencoded / json */
	size_t max_upload; /* multipart total */
	size_t max_fields;
	size_t max_field_len;
	int max_json_depth;
	size_t max_query;
	size_t max_pdf_rows;  /* grid exports as PDF (export_pdf.c) */
	size_t max_xlsx_rows; /* grid exports as XLSX (export_xlsx.c) */
	char *upload_dir;
	/* [db] */
	char *db_socket, *db_host, *db_user, *db_password, *db_name;
	unsigned db_port;
	unsigned db_connect_timeout, db_read_timeout, db_write_timeout;
	/* a grid export's own connection (export.c): its first row may wait
	 * for the server's sort of the whole list */
	unsigned db_export_read_timeout;
	/* [cache] */
	char *cache_socket; /* NULL: no cache */
	char *cache_host;
	unsigned cache_port;
	unsigned cache_timeout_ms;
	unsigned cache_fail_threshold;
	unsigned cache_open_ms;
	unsigned page_cache_mb; /* grid pages per worker (pagecache.c); 0 off */
	/* [modules] */
	char *module_dirs; /* ':'-separated dirs scanned for *.so */
	char *module_data; /* ':'-separated dirs holding NAME/{sql,templates} */
	char *modules_enabled; /* comma list or "*" */
	/* [templates] */
	char *template_dir; /* core layout and pages */
	char *brand_dir;    /* <brand_dir>/<brand>/<file> overrides */
	char *default_brand;
	char *site_name;
	/* [module.NAME] sections, kept raw */
	struct tp_config_kv *extra;
	size_t n_extra;
	/* core sql/ directory (tierportctl migrate) */
	char *sql_dir;
	/* [session] */
	char *session_cookie;   /* "__Host-tp" (https) or a plain name */
	int session_idle;       /* seconds without a request */
	int session_absolute;   /* seconds since login */
	int login_max_failures; /* then locked for login_lock_seconds */
	int login_lock_seconds;
	int brand_cache_seconds;
	/* [mail] (tierportctl mail send) */
	char *smtp_url;  /* smtp://host:port or smtps://host:port */
	char *mail_from; /* envelope and From address */
	char *smtp_user, *smtp_password; /* SMTP AUTH, if both set */
	bool smtp_starttls;              /* require STARTTLS on smtp:// */
	int smtp_timeout;                /* seconds per message */
	/* [security] */
	char *key_file; /* the key store (keystore.c) */
	/* [http] */
	char
	    *default_scheme; /* "https" or "http": a brand's default base URL */
} tp_config;

struct tp_config_kv {
	char *section, *key, *value;
};

/* Loads path; on error returns NULL and writes a line to err. */
tp_config *tp_config_load(const char *path, char *err, size_t errlen);
void tp_config_free(tp_config *c);
/* "10k", "1m", "20M" -> bytes; -1 on junk */
long long tp_config_size(const char *s);

/* ------------------------------------------------------------------ */
/* log.c                                                                */

extern __thread const char *tp_log_reqid;
void tp_log_open(const char *file, int level);
int tp_log_level_parse(const char *s);
void tp_vlog(int level, const char *msgid, const char *fmt, va_list ap);
void tp_log_reopen(void);

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
/* module.c: the loader                                                 */

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

/* Scans the configured dirs, dlopens every *.so, checks the descriptor,
 * refuses bad ones (logged, unloaded) and adds routes to rt (rt may be
 * NULL: tierportctl only reads descriptors). Returns the number refused
 * in *refused. */
tp_rc tp_modules_load(tp_modules *ms, const tp_config *cfg, tp_router *rt,
                      int *refused);
/* Checks one descriptor; NULL if fine, else a static reason. */
const char *tp_module_check(const tp_module *m);
tp_rc tp_modules_init(tp_modules *ms, tp_core *core, tp_router *rt);
void tp_modules_fini(tp_modules *ms);
tp_rc tp_modules_thread_init(tp_modules *ms, tp_db *db);
void tp_modules_thread_fini(tp_modules *ms);
/* The modules' menu entries as a json array of {label, href, order},
 * sorted by order (stable); the caller owns it. */
json_object *tp_modules_menu(const tp_modules *ms);
/* Directory holding module m's data (NAME/ under one of cfg->module_data) */
char *tp_module_data_dir(const tp_config *cfg, const char *name);

struct tp_core {
	tp_config *cfg;
	tp_modules *mods;
	tp_router *router;
};

/* ------------------------------------------------------------------ */
/* db.c                                                                 */

tp_db *tp_db_new(const tp_config *cfg);
/* Another read timeout than [db] read_timeout, from the next connect on
 * (MYSQL_OPT_READ_TIMEOUT only takes effect when connecting). */
void tp_db_set_read_timeout(tp_db *db, unsigned secs);
/* The config the handle was made with. */
const tp_config *tp_db_config(tp_db *db);
void tp_db_free(tp_db *db);
tp_rc tp_db_connect(tp_db *db);
tp_rc tp_db_ping(tp_db *db);
/* Rolls back a transaction a handler left open. */
void tp_db_end_request(tp_db *db);
bool tp_db_in_txn(tp_db *db);
/* Runs a whole multi-statement script (migrations). */
tp_rc tp_db_script(tp_db *db, const char *sql, char *err, size_t errlen);
const char *tp_db_error(tp_db *db);
/* For callers outside a request (tierportctl): rows live in arena a. */
tp_rc tp_db_query_a(tp_db *db, tp_arena *a, tp_rows **out, const char *sql,
                    const char *fmt, ...);

/* ------------------------------------------------------------------ */
/* cache.c                                                              */

typedef struct tp_cache tp_cache;
tp_cache *tp_cache_new(const tp_config *cfg);
void tp_cache_free(tp_cache *c);
/* Raw calls usable without a request. */
tp_rc tp_cache_ping(tp_cache *c);
tp_rc tp_cache_del_key(tp_cache *c, const char *key);
int tp_cache_state(tp_cache *c); /* 1 up, 0 down/open breaker, -1 off */
/* SET ... XX: writes over a cached copy only while it is still there, so
 * a copy dropped meanwhile (a logout, a revoke) is not brought back. */
tp_rc tp_cache_replace(tp_req *r, const char *key, const char *val, size_t len,
                       unsigned ttl_s);

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
	bool terms_required;
	bool platform; /* manages the other brands and the plans */
	unsigned terms_version;
	char **plan_modules; /* NULL-terminated */
	long long loaded_ms;
	/* "https://portal.example.com": the configured one, or [http]
	 * default_scheme and the brand's first host; never ends in '/' */
	char *base_url;
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

enum tp_user_kind { TP_USER_OPERATOR = 1, TP_USER_PARTNER, TP_USER_CUSTOMER };

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
/* pipeline.c: one request through the core                             */

typedef struct tp_app {
	tp_config *cfg;
	tp_router router;
	tp_modules mods;
	tp_core core;
} tp_app;

struct tp_thread {
	int id;
	tp_app *app;
	tp_db *db;
	tp_cache *cache;
	struct tp_brand_cache *brands; /* brand.c, per thread: no locks */
};

/* ------------------------------------------------------------------ */
/* brand.c / session.c / scope.c: the identity layer in the pipeline    */

/* Host header -> r->tenant (and r->brand = its slug). TP_ENOENT for an
 * unknown or disabled host; TP_EDB if it cannot be looked up. */
tp_rc tp_brand_resolve(tp_req *r);
void tp_brand_cache_free(struct tp_brand_cache *c);
/* After a write to brands or plans: this thread's cached brands are
 * reloaded on their next use. Other threads and workers keep theirs for
 * up to [session] brand_cache_seconds. */
void tp_brand_cache_expire(tp_thread *t);
/* Puts a brand for host into t's cache for good, with no DB behind it:
 * for in-process benchmarks and tests only. */
void tp_brand_pin(tp_thread *t, const char *host, const char *slug,
                  const char *name, const char *modules);
/* Normalises a Host header into out (lower case, no port); -1 if junk. */
int tp_host_normalize(const char *host, char *out, size_t outlen);
/* "a,b" -> malloc'd NULL-terminated array of malloc'd strings */
char **tp_split_list(const char *s);
/* Is module name enabled for r's brand and viewer (plan, then tier)? */
bool tp_module_enabled(tp_req *r, const char *module);

/* The session cookie, if any, -> r->viewer. TP_OK also when there is no
 * session (r->viewer stays NULL); TP_EDB only if the DB is down. */
tp_rc tp_session_load(tp_req *r);
/* A new session for user_id; sets the cookie; *csrf gets its token. */
tp_rc tp_session_create(tp_req *r, uint64_t user_id);
/* The switcher: view as partner or account id (0: the user's own). */
tp_rc tp_session_set_view(tp_req *r, uint64_t partner_id, uint64_t account_id);
/* Drops the cached copies of the sessions whose token_hash the query
 * (one "I" parameter: id) returns, so the next request reads MariaDB. */
tp_rc tp_sessions_uncache(tp_req *r, const char *sql, uint64_t id);
/* The same for API tokens: the query returns api_tokens.token_hash. */
tp_rc tp_tokens_uncache(tp_req *r, const char *sql, uint64_t id);
/* Revokes every live session of user_id (revoked = 1), inside the
 * caller's transaction if one is open; *n (may be NULL) gets how many.
 * Drop the cached copies with tp_sessions_uncache after the commit. */
tp_rc tp_sessions_revoke_user(tp_req *r, uint64_t user_id, uint64_t *n);
/* Ends this session, or every session of the user. */
tp_rc tp_session_end(tp_req *r, bool everywhere);
/* For unsafe methods with cookie auth: the _csrf field or X-CSRF-Token
 * header must match the session's. */
tp_rc tp_csrf_check(tp_req *r);
unsigned tp_viewer_rights(const tp_viewer *v, const char *area);
/* Routes core/login.c adds (login, logout, session API, me). */
tp_rc tp_login_routes_add(tp_router *rt);
/* The double-submit token of forms used before sign-in (login, forgotten
 * password): tp_pre_token puts it in the view as "csrf" and, if the
 * request has none, sets the tp_pre cookie for the first segment of the
 * path ("/login", "/password"); tp_pre_check: does the _csrf field match
 * that cookie? */
void tp_pre_token(tp_req *r, json_object *v);
bool tp_pre_check(tp_req *r);
/* Routes core/password_reset.c adds (forgotten password by e-mail). */
tp_rc tp_password_reset_routes_add(tp_router *rt);
/* Routes core/directory.c adds (partners, accounts, the switcher). */
tp_rc tp_directory_routes_add(tp_router *rt);
tp_rc tp_tree_routes_add(tp_router *rt);
tp_rc tp_customer_routes_add(tp_router *rt);
/* csv.c: a streaming RFC 4180 reader (imports). tp_csv_next reads one
 * record: TP_OK with nf fields (NUL-terminated, valid until the next
 * call) that began on rec_line; TP_ENOENT at the end; TP_EINVAL with err
 * for a bad record (a stray quote, a NUL byte, a field or line over the
 * limits, an unclosed quote), after which the next call goes on at the
 * next line. Blank lines are skipped; a leading UTF-8 BOM too. The FILE
 * must be seekable (for the BOM). Encoding is the caller's to check. */
typedef struct tp_csv {
	FILE *f;
	size_t max_field, max_fields;
	size_t line, rec_line; /* 1-based physical lines */
	char *buf;
	size_t len, cap, flen;
	char **fields;
	size_t nf, fcap;
	const char *err;
	bool started;
} tp_csv;
void tp_csv_init(tp_csv *c, FILE *f, size_t max_field, size_t max_fields);
tp_rc tp_csv_next(tp_csv *c);
void tp_csv_free(tp_csv *c);
/* tree.c, for the handlers of the tree and of self-care: the {param} of
 * the path as an id (checked by the scope layer, or 0); the page of a
 * form again with the message (HTML; JSON: the error alone); done: 303 to
 * path?saved=1 (HTML) or {"id": id} with status (0: 200); an audit line
 * with a JSON detail (taken). */
int64_t tp_path_id(tp_req *r, const char *param);
tp_rc tp_form_again(tp_req *r, tp_rc rc, tp_rc (*page)(tp_req *),
                    const char *tmpl);
tp_rc tp_form_done(tp_req *r, int64_t id, const char *path, int status);
void tp_audit_json(tp_req *r, const char *action, const char *type, int64_t id,
                   json_object *d);
/* selfcare.c: customers and services self-care (issue 4) */
tp_rc tp_selfcare_routes_add(tp_router *rt);
/* A customer as the quick form and the CSV import give it: text as sent
 * (NULL or "" for "not given"); credit is set by tp_customer_bad. */
typedef struct tp_customer {
	const char *number, *name, *kind, *currency, *contact_name, *email,
	    *phone, *credit_limit, *opening_balance;
	const char *street, *city, *postcode, *region, *country; /* bill-to */
	int64_t credit;
} tp_customer;
/* Checks every field (not whether the number is free): NULL if fine,
 * else the message and *field. */
const char *tp_customer_bad(tp_customer *c, const char **field);
/* The brand's account number counter exists (autocommit, before the
 * transaction that takes numbers, so that one only locks an existing
 * row). */
tp_rc tp_account_numbers_seed(tp_req *r);
/* In the caller's transaction: the account (a number from the counter
 * when none is given: c->number is set), its contacts and credit limit,
 * its bill-to location. Errors as tp_admin_account_add's. */
tp_rc tp_customer_create(tp_req *r, tp_customer *c, int64_t partner,
                         int64_t parent, int64_t *id, char *err, size_t errlen);
/* grid.c: tp_grid_respond, each row of the HTML page ending in a link
 * labelled label to pre + the row's id + post (a form the viewer may
 * use, e.g. "/products/" "/edit"); pre NULL: none. The JSON rows and the
 * downloads are tp_grid_respond's. */
tp_rc tp_grid_respond_action(tp_req *r, const tp_grid *g, const char *where,
                             int64_t arg, const char *label, const char *pre,
                             const char *post);
/* grid.c: a link above a list (grid.tpl's ACTIONS), e.g. to its add form */
void tp_grid_action(tp_req *r, const char *href, const char *label);
/* customers.c: a grid of the core by name, NULL if none */
const tp_grid *tp_grid_find(const char *name);
/* directory.c: the new-agent form, a partner's and an account's page (the
 * {partner} / {account} of the path), for a form shown again */
tp_rc tp_partner_new_page(tp_req *r);
tp_rc tp_partner_page(tp_req *r);
tp_rc tp_account_page(tp_req *r);
/* Routes core/profile.c adds (profile, password, terms). */
tp_rc tp_profile_routes_add(tp_router *rt);
/* users.c: the users list, a grid (tp_grid_find knows it) */
extern const tp_grid tp_users_grid;
/* Routes core/users.c adds (user management). */
tp_rc tp_users_routes_add(tp_router *rt);
/* Routes core/brand_admin.c adds (operator pages: brand, tiers, plans,
 * brands; /brand.css). */
tp_rc tp_brand_admin_routes_add(tp_router *rt);
/* profile.c: a loose e-mail check (one '@', something either side, no
 * spaces or control characters, a dot in the domain) and a phone number
 * (digits, spaces, + - ( ) ., at most 32); empty means "none" and passes. */
bool tp_email_ok(const char *s);
bool tp_phone_ok(const char *s);
/* Audit log line (best effort, logged if it cannot be written). */
void tp_audit(tp_req *r, uint64_t tenant_id, uint64_t user_id,
              const char *action, const char *object_type, uint64_t object_id,
              const char *detail_json);

/* scope.c: each {param} of the route that names a partner or account
 * must lie in the viewer's subtree; TP_ENOENT otherwise (foreign and
 * missing alike). */
tp_rc tp_scope_check(tp_req *r);
/* Is id (enum tp_scope_kind) in the viewer's subtree? The check the core
 * makes for route params, for ids a handler reads from a form: TP_OK,
 * TP_ENOENT (foreign or missing alike) or TP_EDB. */
tp_rc tp_scope_id(tp_req *r, int kind, int64_t id);

/* users.c: rights as a set of (area, bits), for the no-escalation rule */
typedef struct tp_rights {
	size_t n;
	struct {
		char area[33];
		unsigned bits;
	} a[TP_MAX_AREAS];
} tp_rights;
unsigned tp_rights_get(const tp_rights *s, const char *area);
/* Sets area's bits (0 keeps the entry, as "none"); TP_ETOOBIG when the
 * set is full, TP_EINVAL for an area name that does not fit. */
tp_rc tp_rights_set(tp_rights *s, const char *area, unsigned bits);
/* No escalation: actor may take a user from before to after (a new user:
 * before empty; a status change: after == before) only if it holds
 * itself, on every area, every bit the user holds before or after. NULL
 * if so, else the first area where it does not. */
const char *tp_rights_escalates(const tp_viewer *actor, const tp_rights *before,
                                const tp_rights *after);

/* Route, parse, run the handler and respond. The transport has filled
 * the raw fields of r. */
void tp_handle(tp_app *app, tp_req *r);
/* Core routes (healthz). */
tp_rc tp_core_routes_add(tp_router *rt);

/* ------------------------------------------------------------------ */
/* worker.c / master.c                                                  */

int tp_master_run(const char *config_path, bool foreground);
/* Runs one worker: loads modules, T threads, serves until SIGTERM.
 * ready_fd gets one byte once serving (or is closed on failure). */
int tp_worker_run(tp_config *cfg, int listen_fd, int ready_fd);
int tp_listen_open(const tp_config *cfg);

/* ------------------------------------------------------------------ */
/* auth.c: passwords, tokens (issue 3)                                  */

/* argon2id (libsodium crypto_pwhash_str, interactive limits): *out is a
 * malloc'd encoded hash. TP_EINVAL for an empty or over-long password. */
tp_rc tp_password_hash(const char *password, char **out);
/* TP_OK if password matches the encoded hash, TP_EAUTH if not. */
tp_rc tp_password_verify(const char *hash, const char *password);
/* Checks a new password against the house policy (length 10..128, not
 * all one character class); NULL if fine, else a message for the user. */
const char *tp_password_weak(const char *password);
/* Checks a new security code (profile.c; asked for by a password reset,
 * password_reset.c): 6..12 ASCII letters and digits, not one character
 * repeated nor a straight run (123456, fedcba); NULL if fine, else a
 * message for the user. Stored and checked with tp_password_hash/verify. */
const char *tp_security_code_weak(const char *code);
/* A random token: 32 bytes, base64url without padding (43 chars + NUL). */
void tp_token_new(char out[44]);
/* SHA-256 of a token, for storage: only hashes are stored. */
void tp_token_hash(const char *token, unsigned char out[32]);
/* A new TOTP secret: 20 random bytes in base32 (32 chars + NUL). */
tp_rc tp_totp_new_secret(char out[33]);
/* TP_OK if code is the 6-digit TOTP of the secret now (±30 s). */
tp_rc tp_totp_check(const char *secret_b32, const char *code);
/* The same; *step gets the 30-second time step the code is for, so a
 * code can be taken once (login.c keeps users.totp_last_step). */
tp_rc tp_totp_check_step(const char *secret_b32, const char *code,
                         int64_t *step);
/* A TOTP secret as stored (sealed, keystore.c) -> its base32 text in out
 * (33 bytes). TP_EINVAL for a value that is not sealed (plain text left
 * behind: `tierportctl migrate` seals it), else tp_unseal's codes. */
tp_rc tp_totp_secret_open(const char *stored, char out[33]);

/* ------------------------------------------------------------------ */
/* admin.c: brands, partners, accounts, users for tierportctl and the
 * operator pages. Each function is one DB transaction; trees are kept
 * in their closure tables. ids out-params may be NULL.                 */

typedef struct tp_brand_spec {
	const char *slug, *name, *plan; /* plan created if missing */
	const char *const *hosts;       /* NULL-terminated */
	const char *const *modules;     /* plan modules, NULL-terminated */
	int platform;         /* manages the other brands and the plans */
	const char *base_url; /* links in mails; NULL: the default (brand.c) */
} tp_brand_spec;
tp_rc tp_admin_brand_add(tp_db *db, const tp_brand_spec *b, uint64_t *id,
                         char *err, size_t errlen);
/* Well-formed UTF-8 (no overlongs, no surrogates): MariaDB in strict mode
 * would refuse anything else with a database error instead of a message. */
bool tp_utf8_ok(const char *s);
/* Printable one-line text of 1..max bytes, valid UTF-8 (empty passes with
 * may_be_empty): NULL if fine, else what is wrong ("is required", "is too
 * long", ...) to follow the field's name. */
const char *tp_text_bad(const char *s, size_t max, bool may_be_empty);
/* three capital letters (ISO 4217 form) */
bool tp_currency_ok(const char *s);
/* account numbers are customer logins: [A-Za-z0-9._-], 1..32 */
bool tp_account_number_ok(const char *s);
/* s with everything but unreserved characters as %XX, in r's arena */
char *tp_url_encode(tp_req *r, const char *s);
/* [a-z][a-z0-9_]{0,31}, as module names are (module.c) */
bool tp_module_name_ok(const char *s);

typedef struct tp_partner_spec {
	uint64_t tenant_id, parent_id; /* parent 0: a top-level partner */
	const char *name, *kind, *currency,
	    *tier; /* tier by name, may be NULL */
} tp_partner_spec;
tp_rc tp_admin_partner_add(tp_db *db, const tp_partner_spec *p, uint64_t *id,
                           char *err, size_t errlen);

typedef struct tp_account_spec {
	uint64_t tenant_id, partner_id, parent_account_id; /* 0: none */
	const char *number, *name, *kind, *currency;
} tp_account_spec;
tp_rc tp_admin_account_add(tp_db *db, const tp_account_spec *a, uint64_t *id,
                           char *err, size_t errlen);

typedef struct tp_user_spec {
	uint64_t tenant_id, partner_id, account_id; /* per kind */
	const char *kind, *login, *name, *email, *password;
	int is_admin;
	const char *group; /* rights group to copy, may be NULL */
} tp_user_spec;
tp_rc tp_admin_user_add(tp_db *db, const tp_user_spec *u, uint64_t *id,
                        char *err, size_t errlen);

/* ------------------------------------------------------------------ */
/* mail.c (in tierportctl only: it links libcurl, the daemon does not)  */

/* Delivers unsent mail_outbox rows over SMTP ([mail]) in id order, at
 * most limit of them (0: all): each row is locked (SKIP LOCKED, so two
 * senders never take the same one) while it is sent, then marked sent, or
 * its attempts counted with last_error. TP_OK unless the database failed;
 * *sent and *failed count the rows. */
tp_rc tp_mail_send(const tp_config *cfg, tp_db *db, unsigned limit,
                   unsigned *sent, unsigned *failed);

/* ------------------------------------------------------------------ */
/* gen.c (in tierportctl only): benchmark data                          */

#define TP_GEN_MAX_PARTNERS 1000000u
#define TP_GEN_MAX_ACCOUNTS 10000000u
#define TP_GEN_MAX_SERVICES 50000000u
#define TP_GEN_OPERATOR     "gen.operator"
#define TP_GEN_PARTNER      "gen.partner"

typedef struct tp_gen_spec {
	const char *slug, *name, *plan; /* the brand, made when missing */
	const char *const *hosts;       /* for a new brand; NULL-terminated */
	const char *const *modules;     /* its plan's */
	unsigned partners, accounts, services;
	uint64_t seed;
	const char *password; /* of gen.operator and gen.partner */
	FILE *progress;       /* a line per step with the time, or NULL */
} tp_gen_spec;

/* Fills a new or empty brand with a partner tree of 4-6 levels, accounts
 * (some corporate with sub-accounts), a product catalog, a Bill To
 * location per account, services, and two logins; in one transaction, by
 * INSERT ... SELECT over the SEQUENCE engine. The same spec gives the
 * same data (ids aside). A brand holding data: TP_ECONFLICT. */
tp_rc tp_gen_run(tp_db *db, const tp_gen_spec *g, uint64_t *tenant, char *err,
                 size_t errlen);

/* ------------------------------------------------------------------ */
/* keystore.c: the key file (tp_seal/tp_unseal are in tierport.h)        */

/* Loads the key file (replacing the keys loaded before): before any
 * thread starts. Refuses a file others may read. err says why. */
tp_rc tp_keystore_load(const char *path, char *err, size_t errlen);
void tp_keystore_free(void);
bool tp_keystore_loaded(void);
/* The id of the key that seals (the file's last), 0 when none loaded. */
unsigned tp_keystore_current(void);
/* Writes a new key file (0600) with one random key, id 1; TP_ECONFLICT
 * if path exists. */
tp_rc tp_keystore_init_file(const char *path, char *err, size_t errlen);
/* Appends a new random key (the highest id + 1) to the key file, which
 * is replaced whole (a new file renamed over it); *new_id gets its id.
 * The loaded keys are not changed: load the file again. */
tp_rc tp_keystore_rotate(const char *path, unsigned *new_id, char *err,
                         size_t errlen);
/* Does s look like tp_seal's output ("sb1:" prefix)? */
bool tp_is_sealed(const char *s);
/* The key id a sealed value names, -1 if it is not one. */
int tp_sealed_key_id(const char *sealed);
/* sealed under the current key into out: *changed false (out untouched)
 * when it already is; else tp_unseal's and tp_seal's codes. */
tp_rc tp_reseal(const char *sealed, char *out, size_t cap, bool *changed);

/* reseal.c: every sealed column of the core (users.totp_secret) brought
 * under the current key: plain text left from before sealing is sealed,
 * values under an older key are sealed again (all, or plain only). One
 * transaction per row; *done counts the rows rewritten, *failed the ones
 * that could not be opened (each logged with its table and id). */
tp_rc tp_reseal_all(tp_db *db, bool plain_only, FILE *out, unsigned *done,
                    unsigned *failed);

/* brand.c: a base URL as brand settings take it: "http[s]://host[:port]"
 * (no path, query or user); NULL if fine, else a message. *norm (may be
 * NULL) gets it lower-cased without a trailing '/', malloc'd. */
const char *tp_base_url_bad(const char *s, char **norm);
/* Should cookies carry Secure? The brand's base URL is https (or the
 * session cookie's name has the __Host- prefix, which requires it). */
bool tp_cookie_secure(tp_req *r);

/* ------------------------------------------------------------------ */
/* migrate.c                                                            */

tp_rc tp_migrate(tp_config *cfg, tp_db *db, bool dry_run, FILE *out);

#endif /* TP_CORE_H */
