/*
 * tierport.h -- the whole module API: the module descriptor and the core
 * functions a module may call. Modules include this header and nothing else
 * from core/. Changing anything here that a built module depends on is an ABI
 * change: bump TP_ABI_MAJOR (incompatible) or TP_ABI_MINOR (additions only)
 * and log it in docs/abi.md.
 */
#ifndef TIERPORT_H
#define TIERPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <json-c/json.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TP_ABI_MAJOR    2
#define TP_ABI_MINOR    8
#define TP_MODULE_MAGIC 0x54504d44u /* "TPMD" */

/* Result codes. The core maps them to HTTP statuses in one place
 * (core/http/status.c). TP_DECLINED means "not mine" and is never an error. */
typedef enum tp_rc {
	TP_OK = 0,
	TP_DECLINED, /* not handled here; let the core go on */
	TP_EINVAL,   /* 400: bad input (see tp_fail for field + message) */
	TP_EAUTH,    /* 401: not logged in */
	TP_EPERM, /* 403: logged in but not allowed (not for scope: that is 404)
	           */
	TP_ENOENT,    /* 404: missing, or outside the viewer's scope */
	TP_EMETHOD,   /* 405 */
	TP_ECONFLICT, /* 409: duplicate, stale version, idempotency clash */
	TP_ETOOBIG,   /* 413: body, upload or field over its limit */
	TP_EMEDIA,    /* 415: unsupported content type */
	TP_EDB,       /* 500: database error (logged with the request id) */
	TP_EUNAVAIL,  /* 503: a backend is down and the answer needs it */
	TP_EINTERNAL, /* 500 */
	TP_RC_MAX
} tp_rc;

typedef struct tp_req tp_req;
typedef struct tp_db tp_db;
typedef struct tp_rows tp_rows;
typedef struct tp_core tp_core;

/* ------------------------------------------------------------------ */
/* The module descriptor                                                */

enum tp_method {
	TP_GET = 1 << 0,
	TP_POST = 1 << 1,
	TP_PUT = 1 << 2,
	TP_PATCH = 1 << 3,
	TP_DELETE = 1 << 4,
	TP_HEAD = 1 << 5, /* never declared: HEAD is served by the GET route */
	TP_OPTIONS = 1 << 6,
};

/* Rights within a permission area, as a bitmask. */
enum tp_right {
	TP_RIGHT_NONE = 0,
	TP_RIGHT_VIEW = 1 << 0,
	TP_RIGHT_ADD = 1 << 1,
	TP_RIGHT_UPDATE = 1 << 2,
	TP_RIGHT_DELETE = 1 << 3,
};

/* What a {param} in a route path (or an id in a form or JSON body) names,
 * so the core can check it lies in the viewer's subtree before the handler
 * runs. A module's own kinds (an invoice, a ticket) are declared as data
 * in its tp_scope_def table and named with TP_SCOPE_NAMED + .kind_name. */
enum tp_scope_kind {
	TP_SCOPE_NONE = 0, /* not an id the scope layer knows */
	TP_SCOPE_PARTNER,
	TP_SCOPE_ACCOUNT,
	TP_SCOPE_USER,
	/* against the login's own subtree, ignoring "currently viewing":
	 * only for switching the view (ABI 1.1) */
	TP_SCOPE_OWN_PARTNER,
	TP_SCOPE_OWN_ACCOUNT,
	/* ABI 1.2: a tier of the viewer's brand; a brand (the viewer's own,
	 * any for an operator of the platform brand); a plan (the viewer's
	 * brand's, any for the platform) */
	TP_SCOPE_TIER,
	TP_SCOPE_BRAND,
	TP_SCOPE_PLAN,
	/* ABI 2.7: a product category of the viewer's brand */
	TP_SCOPE_CATEGORY,
	/* ABI 2.0: a kind a module declares (tp_module.scopes), by name */
	TP_SCOPE_NAMED = 100,
};

enum tp_param_flags {
	/* ABI 2.0: the id is a field of the form or JSON body, not a {param}
	 * of the path; checked like a path id before the handler runs, and a
	 * value that is not an id is a 400 naming the field */
	TP_PARAM_BODY = 1 << 0,
	/* the body field may be absent or empty (a path param never is) */
	TP_PARAM_OPTIONAL = 1 << 1,
};

typedef struct tp_param_scope {
	const char *param;     /* the {name} in the path, or the body field */
	int kind;              /* enum tp_scope_kind */
	const char *kind_name; /* TP_SCOPE_NAMED: a tp_scope_def's name */
	unsigned flags;        /* enum tp_param_flags */
	void *spare[2];
} tp_param_scope;

/* ABI 2.0: a module's own kind of id, checked by the core exactly like the
 * built-in kinds: the row must exist in table, belong to the viewer's
 * brand (tenant_col) and lie in the viewer's subtree through partner_col
 * (partner_tree) or account_col (account_tree); an operator sees the whole
 * brand. Foreign and missing alike are a 404. Column and table names are
 * the module's own text, never input. */
typedef struct tp_scope_def {
	const char *name;        /* [a-z][a-z0-9_]*: "invoice" */
	const char *table;       /* "invoices" */
	const char *id_col;      /* "id" */
	const char *tenant_col;  /* "tenant_id" */
	const char *partner_col; /* the owning partner, or NULL */
	const char *account_col; /* the owning account, or NULL */
	/* For the permission matrix (tierportctl fixture KIND): make one row
	 * owned by the account (or, with none, the partner) given, in the
	 * context's brand and transaction, and put its id in *id. NULL: the
	 * matrix covers the kind with missing and junk ids only. */
	tp_rc (*fixture)(tp_req *ctx, uint64_t partner_id, uint64_t account_id,
	                 int64_t *id);
	unsigned flags;
	void *spare[4];
} tp_scope_def;

enum tp_route_flags {
	TP_ROUTE_PUBLIC = 1 << 0,    /* no login needed (login page, healthz) */
	TP_ROUTE_API_ONLY = 1 << 1,  /* only under /api/v1 */
	TP_ROUTE_HTML_ONLY = 1 << 2, /* never under /api/v1 */
	TP_ROUTE_STREAM = 1 << 3,    /* handler streams its own body */
	TP_ROUTE_ANY_HOST = 1 << 4,  /* any Host, no brand (ABI 1.1) */
	TP_ROUTE_BEFORE_TERMS = 1 << 5, /* usable before the brand's terms
	                                   are accepted (ABI 1.1) */
	/* ABI 1.2: operator logins only; anyone else gets the 404 of a page
	 * that does not exist */
	TP_ROUTE_OPERATOR = 1 << 6,
	/* ABI 1.2: operators of the platform brand only (the hosting
	 * provider's, which manages the other brands and the plans) */
	TP_ROUTE_PLATFORM = 1 << 7,
	/* ABI 2.0: a write a partner viewing as one of its customers may make
	 * without the right to act for customers (signing out, switching the
	 * view back); every other unsafe method is refused then (403) */
	TP_ROUTE_VIEW_SAFE = 1 << 8,
};

typedef tp_rc (*tp_handler)(tp_req *r);

typedef struct tp_route {
	unsigned methods; /* enum tp_method bits */
	const char *path; /* "/things/{id}"; also served under /api/v1 */
	tp_handler handler;
	const char *area;             /* permission area (NULL: none) */
	unsigned right;               /* enum tp_right needed in that area */
	const char *tmpl;             /* HTML template, "module/file.tpl" */
	unsigned flags;               /* enum tp_route_flags */
	const tp_param_scope *scopes; /* {0}-terminated, or NULL */
	void *spare[2];
} tp_route;

typedef struct tp_area {
	const char *name;  /* "invoices" */
	const char *label; /* "Invoices" */
	unsigned rights;   /* which of view/add/update/delete exist */
	unsigned flags;
	void *spare[2];
} tp_area;

enum tp_menu_flags {
	TP_MENU_OPERATOR = 1 << 0, /* shown to operator logins only */
	TP_MENU_PARTNER = 1 << 1,  /* to partner logins only */
	TP_MENU_CUSTOMER = 1 << 2, /* to customer logins only (any of the
	                              three set: only those kinds) */
};

/* A menu entry, in a group ("Billing", "Services", "Help"; NULL: the top
 * level). count, if set, is asked per viewer: *n is shown beside the
 * label; TP_DECLINED hides the entry (a menu built from data, hidden when
 * empty). */
typedef struct tp_menu {
	const char *label;
	const char *href;
	const char *area; /* shown only with view right on it; NULL = always */
	int order;
	const char *group; /* ABI 2.0 */
	tp_rc (*count)(tp_req *r, int64_t *n);
	unsigned flags; /* enum tp_menu_flags */
	void *spare[3];
} tp_menu;

/* ABI 2.0: a panel on the home page (slot "home") or in a slot another
 * page offers ("account.links", "invoice.links"): fill puts the panel's
 * data in panel (rendered with tmpl, or given as it is under /api/v1);
 * TP_DECLINED leaves it out for this viewer. Panels of a slot come in
 * order; area/right gate them like a route. */
typedef struct tp_panel {
	const char *slot;  /* "home", or a slot name a page renders */
	const char *name;  /* unique in the module: the key in the view */
	const char *title; /* a heading, or NULL */
	const char *area;  /* NULL: any signed-in viewer */
	unsigned right;
	int order;
	const char *tmpl; /* "module/file.tpl" */
	tp_rc (*fill)(tp_req *r, json_object *panel);
	unsigned flags; /* enum tp_menu_flags: which logins */
	void *spare[3];
} tp_panel;

/* ABI 2.0: one delivered event. Events are rows written by tp_event_emit
 * inside the emitting transaction; the core delivers each to every
 * subscribed module at least once, in order per account, with back-off
 * retries; a handler must be idempotent by id (e.g. an idempotency key
 * made from it). */
typedef struct tp_event_msg {
	uint64_t id;
	const char *name;                           /* "payment.recorded" */
	uint64_t tenant_id, partner_id, account_id; /* 0: none */
	json_object *payload;
	unsigned attempt; /* 1 on the first delivery */
	void *spare[2];
} tp_event_msg;

/* A subscription: name is an event name, or a prefix ending in '.'
 * ("account." for every account event). The handler runs with a
 * request-less context (see tp_req below) inside a transaction the core
 * commits when it returns TP_OK and rolls back otherwise (then retried;
 * parked after [events] max_attempts). */
typedef struct tp_event {
	const char *name;
	tp_rc (*handler)(tp_req *ctx, const tp_event_msg *ev);
	unsigned flags;
	void *spare[2];
} tp_event;

/* ABI 2.0: a job the scheduler runs (`tierportctl scheduler`, started by
 * tools/stack) when due, once however many tierport hosts run (a lease
 * row per job; a crashed holder's lease expires), or now with `tierportctl
 * job run MODULE.NAME`. schedule: "every 60s", "every 15m", "hourly",
 * "daily 02:30" (UTC), or NULL (by hand only). run gets a request-less
 * context and the run's state: it saves checkpoints so a killed run
 * resumes where it stopped. */
typedef struct tp_job_run tp_job_run;
typedef struct tp_job {
	const char *name; /* [a-z][a-z0-9_]*, unique in the module */
	const char *schedule;
	const char *help;
	tp_rc (*run)(tp_req *ctx, tp_job_run *run);
	unsigned lease_seconds; /* how long a holder may run; 0: 600 */
	unsigned flags;
	void *spare[3];
} tp_job;

/* ABI 2.0: `tierportctl MODULE NAME args...`: run gets a request-less
 * context (no brand unless --brand SLUG was given) and returns the exit
 * status. */
typedef struct tp_command {
	const char *name;
	const char *usage; /* "--brand SLUG [--dry-run]" */
	const char *help;
	int (*run)(tp_req *ctx, int argc, char **argv);
	unsigned flags;
	void *spare[2];
} tp_command;

typedef struct tp_grid tp_grid;

/* ABI 2.5: a column of the module's own table holding values sealed with
 * tp_seal (below). `tierportctl key reencrypt` seals each again under the
 * key store's current key and `key status` counts them per key, so an old
 * key can leave the key file only when nothing needs it. The names go into
 * SQL text: [a-z][a-z0-9_]*, the module's own text (the loader refuses
 * others); table is one of the module's (named after it, or made by its
 * migrations); id is the table's integer key. NULL and '' are skipped. */
typedef struct tp_sealed_col {
	const char *table; /* "commission_payout_details" */
	const char *id;    /* "id" */
	const char *col;   /* "account_sealed" */
	unsigned flags;    /* none yet: 0 */
	void *spare[2];
} tp_sealed_col;

typedef struct tp_module {
	/* stamped by TP_MODULE_HEAD; the loader checks these first */
	uint32_t magic;
	uint32_t abi_major;
	uint32_t abi_minor;
	uint32_t size; /* sizeof(struct tp_module) the module was built with */

	const char *name; /* [a-z][a-z0-9_]*, unique */
	const char *version;
	const char *description;

	const tp_area *areas;   /* {0}-terminated */
	const tp_route *routes; /* {0}-terminated */
	const tp_menu *menu;    /* {0}-terminated */
	const tp_event *events; /* subscriptions, {0}-terminated */

	/* Directory of NAME.sql migrations, relative to the module's data dir
	 * (<modules.data>/<name>/); NULL if the module has no tables. Its
	 * templates are in templates/ and its static files in static/ there. */
	const char *migrations;

	/* Hooks, any may be NULL. init runs once per worker process after all
	 * modules are loaded; thread_init once per worker thread with that
	 * thread's DB handle; fini at worker exit. A failing init refuses the
	 * module (it is unloaded, the reason logged); a failing thread_init
	 * stops the worker from serving (it exits and the master says why). */
	tp_rc (*init)(tp_core *core);
	tp_rc (*thread_init)(tp_db *db);
	void (*thread_fini)(void);
	void (*fini)(void);

	/* ABI 2.0 */
	const tp_grid *const *grids; /* NULL-terminated: its lists */
	const tp_scope_def *scopes;  /* {0}-terminated: its kinds of id */
	const tp_job *jobs;          /* {0}-terminated */
	const tp_command *commands;  /* {0}-terminated */
	const tp_panel *panels;      /* {0}-terminated */
	unsigned flags;

	/* ABI 2.5 */
	const tp_sealed_col *sealed; /* {0}-terminated: its sealed columns */

	void *spare[7]; /* room to grow without an ABI major bump */
} tp_module;

/* A built module's descriptor size is checked against the core's
 * (`size`): a new slot takes a spare and never grows the struct. 224
 * bytes on LP64 (4 uint32, 17 pointers, flags and padding, 8 slots). */
#ifdef __cplusplus
static_assert(sizeof(void *) != 8 || sizeof(tp_module) == 224,
              "tp_module changed size: take a spare slot instead");
#else
_Static_assert(sizeof(void *) != 8 || sizeof(tp_module) == 224,
               "tp_module changed size: take a spare slot instead");
#endif

#define TP_MODULE_HEAD                                                         \
	.magic = TP_MODULE_MAGIC, .abi_major = TP_ABI_MAJOR,                   \
	.abi_minor = TP_ABI_MINOR, .size = sizeof(struct tp_module)

/* ------------------------------------------------------------------ */
/* arena.c: per-request memory. Freed when the request ends.           */

void *tp_alloc(tp_req *r, size_t n);
void *tp_calloc(tp_req *r, size_t n);
char *tp_strdup(tp_req *r, const char *s);
char *tp_strndup(tp_req *r, const char *s, size_t n);
char *tp_printf(tp_req *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Run fn(data) when the request ends (LIFO). */
void tp_cleanup(tp_req *r, void (*fn)(void *), void *data);
/* A json object freed with the request. */
json_object *tp_json_owned(tp_req *r, json_object *o);

/* ------------------------------------------------------------------ */
/* log.c: every line carries the request id of the thread's request.   */

enum tp_log_level { TP_LOG_ERR, TP_LOG_WARN, TP_LOG_INFO, TP_LOG_DEBUG };
/* msgid is a unique "TPnnnn" (core) or "NAMEnnnn" (module) so an operator
 * can grep the source for it. */
void tp_log(int level, const char *msgid, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ------------------------------------------------------------------ */
/* request.c: what the handler reads.                                  */

const char *tp_method_name(tp_req *r);
const char *tp_path(tp_req *r);
const char *tp_request_id(tp_req *r);
/* {param} from the route path, percent-decoded; NULL if absent. */
const char *tp_param(tp_req *r, const char *name);
/* ABI 2.6: {param} from the route path as an id: its int64 value, 0 if
 * absent or not a whole number (tp_parse_i64). The route's scope has
 * checked a declared id before the handler runs. */
int64_t tp_param_id(tp_req *r, const char *name);
/* Query string and urlencoded/multipart form fields: first value. */
const char *tp_query(tp_req *r, const char *name);
const char *tp_form(tp_req *r, const char *name);
/* ABI 2.4: every value of a repeated form field (checkboxes of one name),
 * in order, NULL-terminated in r's arena; returns how many. */
size_t tp_form_all(tp_req *r, const char *name, const char ***out);
/* An input field (ABI 1.2): the form field, else the JSON body's member
 * of that name (a string, or a number or boolean as its text). *out is
 * NULL when absent; a JSON member of another type is TP_EINVAL, recorded
 * against the field. */
tp_rc tp_input(tp_req *r, const char *name, const char **out);
const char *tp_cookie(tp_req *r, const char *name);
/* Request header by its HTTP name, case-insensitive ("Accept"). */
const char *tp_header(tp_req *r, const char *name);
/* Parsed JSON body (application/json), or NULL. Owned by the request. */
json_object *tp_body_json(tp_req *r);

typedef struct tp_upload {
	const char *field;
	const char *filename; /* as the client sent it; never a path to use */
	const char *content_type;
	const char *path; /* temp file, removed when the request ends */
	size_t size;
} tp_upload;
/* Uploaded file n (0-based) or NULL. */
const tp_upload *tp_upload_get(tp_req *r, size_t n);

/* Integer parse helpers that refuse junk: TP_OK or TP_EINVAL. */
tp_rc tp_parse_i64(const char *s, int64_t *out);

/* ------------------------------------------------------------------ */
/* view.c: the handler fills the view; the core renders it.            */

/* The view model: a json object the handler fills. Rendered as JSON for
 * /api/v1/... or Accept: application/json, else through the route's
 * template inside the layout. */
json_object *tp_view(tp_req *r);
/* Override the route's template for this response. */
void tp_view_template(tp_req *r, const char *tmpl);
void tp_view_title(tp_req *r, const char *title);
void tp_set_status(tp_req *r, int status);
void tp_set_header(tp_req *r, const char *name, const char *value);
/* Record why the request failed; returns rc so handlers can
 * `return tp_fail(r, TP_EINVAL, "amount", "must be a whole number");` */
tp_rc tp_fail(tp_req *r, tp_rc rc, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int tp_wants_json(tp_req *r);
/* ABI 2.6: the answer of a user action (a form's POST or its API call):
 * res's members, if res is not NULL, are added to the view and res is
 * taken (json_object_put: give one the request owns, such as
 * tp_idem_begin's replay, as json_object_get(replay)); then a browser (not
 * tp_wants_json) gets a 303 to location, a local path (the page that
 * shows the result), and JSON gets status (200, 201, ...) with the view.
 * Returns TP_OK. */
tp_rc tp_answer(tp_req *r, json_object *res, const char *location, int status);

/* Streaming (routes flagged TP_ROUTE_STREAM): headers first, then chunks
 * written straight to nginx, which is told not to buffer them. */
tp_rc tp_stream_begin(tp_req *r, const char *content_type,
                      const char *download_name);
tp_rc tp_stream_write(tp_req *r, const void *buf, size_t len);
tp_rc tp_stream_printf(tp_req *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------------------ */
/* ABI 2.6: json.c: one value into a view's object (o) under key k.    */

/* v as a JSON string; NULL as "" */
void tp_json_add_str(json_object *o, const char *k, const char *v);
/* v as a JSON integer */
void tp_json_add_i64(json_object *o, const char *k, int64_t v);
/* Money twice, for the API and for people: k gets tp_json_money's
 * {"value": "12.5000", "currency": "EUR"}, "k_text" (k with "_text"
 * after it) the string of tp_money_format_ccy, a space and ccy
 * ("12.50 EUR"). */
void tp_json_add_money(tp_req *r, json_object *o, const char *k, int64_t v,
                       const char *ccy);

/* ------------------------------------------------------------------ */
/* db.c: prepared statements only. Parameters are described by a format
 * string, one char each:
 *   i int   I int64_t   s const char * (NULL = SQL NULL)
 *   b const void *, size_t (blob)
 * Results are read as strings (NULL for SQL NULL).                    */

tp_db *tp_req_db(tp_req *r);
/* A read: retried once after reconnecting if the server went away. */
tp_rc tp_db_query(tp_db *db, tp_req *r, tp_rows **out, const char *sql,
                  const char *fmt, ...);
/* A write; *affected may be NULL. Not retried (see tp_db_exec_idem). */
tp_rc tp_db_exec(tp_db *db, uint64_t *affected, const char *sql,
                 const char *fmt, ...);
/* A write safe to repeat (idempotency key, upsert): retried like a read. */
tp_rc tp_db_exec_idem(tp_db *db, uint64_t *affected, const char *sql,
                      const char *fmt, ...);
/* Stream rows one at a time, unbuffered, without holding them in memory.
 * cb returns TP_OK to go on, anything else stops and is returned. Retried
 * like a read if the server went away before the first row reached cb,
 * never after (those rows may be out already). */
typedef tp_rc (*tp_row_cb)(void *ud, unsigned ncols, const char **cols,
                           const unsigned long *lens);
tp_rc tp_db_each(tp_db *db, tp_row_cb cb, void *ud, const char *sql,
                 const char *fmt, ...);
/* For SQL built at run time (ABI 1.2): the parameters as an array; an
 * argument with s != NULL is that string, else the integer i. */
typedef struct tp_db_arg {
	int64_t i;
	const char *s;
} tp_db_arg;
tp_rc tp_db_query_args(tp_db *db, tp_req *r, tp_rows **out, const char *sql,
                       const tp_db_arg *args, size_t n);
tp_rc tp_db_each_args(tp_db *db, tp_row_cb cb, void *ud, const char *sql,
                      const tp_db_arg *args, size_t n);
/* ABI 2.3: a statement holds at most this many parameters (the client
 * protocol's limit). */
#define TP_DB_MAX_PARAMS 65535
/* ABI 2.3: one write of many rows: "head tuple sep tuple ... tail", the
 * tuple holding the per_row parameters of one row (head, sep and tail
 * none), args the rows' parameters one row after another. Run as
 * statements of a few fixed row counts (512, 128, 32, 8, 2, 1) that stay
 * prepared on the connection; *affected (may be NULL) sums them. Never
 * retried. */
tp_rc tp_db_exec_rows(tp_db *db, uint64_t *affected, const char *head,
                      const char *tuple, const char *sep, const char *tail,
                      const tp_db_arg *args, size_t per_row, size_t nrows);
/* ABI 2.3: "?, ?, ?" for an IN list of n (n > 0), in r's arena */
const char *tp_db_marks(tp_req *r, size_t n);
uint64_t tp_db_last_id(tp_db *db);
tp_rc tp_db_begin(tp_db *db);
tp_rc tp_db_commit(tp_db *db);
tp_rc tp_db_rollback(tp_db *db);

size_t tp_rows_count(const tp_rows *rs);
unsigned tp_rows_cols(const tp_rows *rs);
const char *tp_rows_get(const tp_rows *rs, size_t row, unsigned col);
int64_t tp_rows_i64(const tp_rows *rs, size_t row, unsigned col);

/* ------------------------------------------------------------------ */
/* cache.c: Redis as a cache only. Every call may fail (TP_EUNAVAIL) and
 * the caller goes to MariaDB; a failing Redis trips a breaker so a dead
 * cache costs nothing after the first timeout.                        */

/* TP_OK with *val (request-owned) / TP_ENOENT / TP_EUNAVAIL */
tp_rc tp_cache_get(tp_req *r, const char *key, char **val, size_t *len);
tp_rc tp_cache_set(tp_req *r, const char *key, const char *val, size_t len,
                   unsigned ttl_s);
tp_rc tp_cache_del(tp_req *r, const char *key);
tp_rc tp_cache_incr(tp_req *r, const char *key, int64_t *out);
int tp_cache_up(tp_req *r);

/* ------------------------------------------------------------------ */
/* scope.c: who is looking, for scoped list queries (ABI 1.1). A module
 * lists partners or accounts by joining partner_tree / account_tree on
 * the root these return, never by a WHERE clause of its own making.    */

/* The brand (tenant) of the request; 0 before the brand is known. */
uint64_t tp_tenant_id(tp_req *r);
/* The partner whose subtree the viewer sees now (the switcher's choice or
 * the user's own); 0 for operators (whole brand) and customers (none). An
 * operator viewing as a partner has that partner's root here. */
uint64_t tp_scope_partner_root(tp_req *r);
/* The account whose corporate subtree a customer sees now; 0 otherwise. */
uint64_t tp_scope_account_root(tp_req *r);
/* 1 if the viewer is an operator that sees the whole brand now (0 while
 * it views as a partner or a customer: then it is scoped as that one). */
int tp_scope_is_operator(tp_req *r);
/* 1 if the viewer is an operator of the platform brand (ABI 1.2). */
int tp_scope_is_platform(tp_req *r);

/* ------------------------------------------------------------------ */
/* money (ABI 1.2): int64 ten-thousandths of the currency's unit         */

/* "12", "12.5", "-0.0001", "1234.5678" -> ten-thousandths; TP_EINVAL for
 * anything else (more than 4 decimals, exponents, spaces, overflow). */
tp_rc tp_money_parse(const char *s, int64_t *out);
/* ten-thousandths -> "1234.50" (at least 2 decimals, at most 4) into buf
 * (32 bytes are always enough); returns buf. */
char *tp_money_format(int64_t v, char *buf, size_t len);
/* ABI 2.1: the currency's minor unit digits (ISO 4217: 2 unless listed in
 * core/lib/money.c; JPY 0, KWD 3). */
int tp_currency_minor(const char *ccy);
/* ABI 2.1: THE rounding of money: to the currency's minor unit, half to
 * even (12.345 EUR -> 12.34, 12.355 -> 12.36, -0.005 -> 0.00). An invoice
 * line is rounded once with it; a total is the sum of rounded lines. */
int64_t tp_money_round(int64_t v, const char *ccy);
/* ABI 2.1: an amount a person enters in ccy: tp_money_parse, and no more
 * decimals than the currency has (TP_EINVAL). */
tp_rc tp_money_parse_ccy(const char *s, const char *ccy, int64_t *out);
/* ABI 2.1: for people: the currency's decimals, more only where the amount
 * has them ("12.00", JPY "1200", a rate "0.0125"). */
char *tp_money_format_ccy(int64_t v, const char *ccy, char *buf, size_t len);
/* ABI 2.1: the one JSON shape of money: {"value": "12.3456", "currency":
 * "EUR"} -- a decimal string at the stored precision. A new object. */
json_object *tp_json_money(int64_t v, const char *ccy);

/* ABI 2.2: amount * num / den, rounded once to the currency's minor unit
 * half to even: proration (the days used of the period's days), a tax or
 * commission rate (ppm of 1000000). den > 0; TP_EINVAL on overflow. */
tp_rc tp_money_mul_div(int64_t amount, int64_t num, int64_t den,
                       const char *ccy, int64_t *out);
/* ABI 2.2: a balance in words for people, in r's arena: "you owe 12.00
 * EUR", "credit 5.00 EUR", "available 40.00 EUR" (a prepaid account's
 * funds), "nothing due" (balance: accounts.balance, positive = owed). */
const char *tp_balance_words(tp_req *r, int64_t balance, const char *ccy,
                             int prepaid);

/* ------------------------------------------------------------------ */
/* ABI 2.2: ledger.c: every movement of money (docs/money.md). One       */
/* balanced transaction per movement, written in the caller's open DB   */
/* transaction with the document that caused it; the stored balances   */
/* (accounts.balance, partners.balance) move in it too.                 */

/* One entry. account: a code of the brand's chart ("receivable",
 * "revenue.voice", "tax.payable", "cash", ...; docs/money.md lists the
 * default chart) or "customer": the account's receivable or prepaid
 * funds by its billing type. amount > 0 debits, < 0 credits, never 0.
 * The references say whose and what (0/NULL: none); an entry on an
 * account's or partner's own ledger account needs that id. */
typedef struct tp_ledger_line {
	const char *account;
	int64_t amount;
	uint64_t account_id, partner_id, service_id, product_id;
	const char *memo; /* NULL: none */
	void *spare[2];
} tp_ledger_line;

typedef struct tp_ledger_txn {
	const char *kind;     /* [a-z_]+: "invoice", "payment", "credit_note",
	                         "adjustment", "write_off", "late_fee" */
	const char *idem_key; /* unique per brand, deterministic for a job
	                         step ("invoice:2026-11:ACCOUNT") */
	const char *currency; /* every line's; an account's or partner's
	                         entries must be in its currency */
	uint64_t account_id, partner_id; /* whose movement (history, events) */
	const char *document_type;       /* "invoice", "payment", or NULL */
	uint64_t document_id;
	const char *memo;
	int64_t effective; /* epoch seconds; 0: tp_now() */
	const tp_ledger_line *lines;
	size_t n;
	void *spare[4];
} tp_ledger_txn;

/* Posts t in the caller's open transaction. TP_OK: *txn_id is the new
 * transaction, or the first one under the same key with the same content
 * (*replayed = 1 then; either may be NULL). TP_ECONFLICT: the key was
 * used with other content. TP_EINVAL: not balanced, a zero or mixed
 * currency line, an unknown ledger account, a holder id outside the
 * brand (logged: a bug of the caller, never user input). */
tp_rc tp_ledger_post(tp_req *r, const tp_ledger_txn *t, uint64_t *txn_id,
                     int *replayed);

/* ABI 2.3: n transactions posted as tp_ledger_post posts each (the same
 * checks, the same entries in the same order, idempotent per key), in a
 * few multi-row statements: the holders locked in id order, the
 * transactions, their entries, one balance update per holder table.
 * txn_ids[i] (and replayed[i], if not NULL) answer t[i]. Any refusal
 * refuses the batch: the caller rolls back. n <= TP_LEDGER_BATCH_MAX. */
#define TP_LEDGER_BATCH_MAX 4096
tp_rc tp_ledger_post_batch(tp_req *r, const tp_ledger_txn *t, size_t n,
                           uint64_t *txn_ids, int *replayed);

/* ABI 2.2: idempotency of a user action that moves money. The key is the
 * request's Idempotency-Key header, else its idempotency_key field (an
 * HTML form carries one made by tp_idem_new at render). */
const char *tp_idem_key(tp_req *r);
/* A fresh key for a form, in r's arena. */
const char *tp_idem_new(tp_req *r);
/* In the handler's open transaction, before it writes: claims the key for
 * action with content (the action's canonical input). TP_OK and *replay
 * NULL: go on, then tp_idem_end with the result. TP_OK and *replay set:
 * a retry -- answer with *replay (the first result, owned by r) and write
 * nothing. TP_EINVAL no key (recorded against idempotency_key),
 * TP_ECONFLICT the key came with other content. Concurrent retries wait
 * for the first to commit or roll back. */
tp_rc tp_idem_begin(tp_req *r, const char *action, const char *content,
                    json_object **replay);
/* Keeps result (not taken) as the key's answer, in the same transaction. */
tp_rc tp_idem_end(tp_req *r, json_object *result);
/* ABI 2.6: a form that moves money carries its key: view's
 * "idempotency_key" gets the one the form was sent with (shown again
 * after an error, so a retry stays the same action), else tp_idem_new's. */
void tp_form_idem_key(tp_req *r, json_object *view);

/* ------------------------------------------------------------------ */
/* grids (ABI 1.2): a list declared as data; the core pages, sorts,     */
/* filters, groups and exports it, scoped to the viewer (core/data/grid.c).  */

enum tp_col_type {
	TP_COL_TEXT = 1,
	TP_COL_NUMBER, /* integer */
	TP_COL_MONEY, /* int64 ten-thousandths; currency_expr names the currency
	               */
	TP_COL_DATE,  /* YYYY-MM-DD */
	TP_COL_STATUS, /* one of values */
};

enum tp_col_flags {
	TP_COL_SORT = 1 << 0,     /* sortable: expr must never be NULL */
	TP_COL_FILTER = 1 << 1,   /* text: starts with; number, money, date:
	                             range; status: one of */
	TP_COL_GROUP = 1 << 2,    /* group rows by it, with subtotals */
	TP_COL_OPTIONAL = 1 << 3, /* not shown unless a brand or user asks */
};

typedef struct tp_grid_col {
	const char *key;           /* [a-z][a-z0-9_]{0,31}: URLs, settings */
	const char *label;         /* the default label */
	int type;                  /* enum tp_col_type */
	unsigned flags;            /* enum tp_col_flags */
	const char *expr;          /* SQL expression (the module's own text,
	                              never input) */
	const char *currency_expr; /* money: the currency's SQL expression */
	const char *const *values; /* status: NULL-terminated allowed values */
	const char *index; /* sortable: the index of the first table in `from`
	                      whose order is (brand, this column, id); a page
	                      after a cursor reads it from the cursor on
	                      (FORCE INDEX: MariaDB would rather scan the
	                      brand's whole range from its start). NULL: none */
	void *spare[1];
} tp_grid_col;

typedef struct tp_grid {
	const char *name;  /* [a-z][a-z0-9_]{0,31}: settings, file names */
	const char *title; /* page title */
	const tp_grid_col *cols;  /* {0}-terminated */
	const char *from;         /* "accounts a JOIN partners p ON ...": the
	                             first table and its alias come first */
	const char *id_expr;      /* unique integer: the last sort key */
	const char *tenant_expr;  /* the brand's id */
	const char *partner_expr; /* the owning partner (partner logins see
	                             their subtree's); NULL: they see none */
	const char *account_expr; /* the owning account (customer logins see
	                             their corporate subtree's); NULL: none */
	const char *default_sort; /* a column key; "-key" descending */
	const char *link;         /* a row's page: "/accounts/" + id, or NULL */
	int brand_wide; /* the brand's own data (the catalog): every login of
	                   the brand sees every row; partner_expr and
	                   account_expr are not used */
	int cached;     /* every table the grid reads bumps the brand's data
	                   generation when written (a trigger per table, see
	                   sql/007_page_cache.sql): its pages may then be kept
	                   by the worker's page cache, keyed by that generation.
	                   0 for a grid over any other table. */
	void *spare[4];
} tp_grid;

/* Answers the request with grid g as the query string asks: a page (HTML
 * or JSON; sort, f.KEY filters, after/before cursors, limit, group, cols)
 * or, with format=csv|xlsx|pdf, every row streamed as a download. where
 * (may be NULL) is the handler's own condition with one integer parameter
 * arg, e.g. "s.account_id = ?" with the account of the path. Bad
 * parameters are a 400 naming the parameter. */
tp_rc tp_grid_respond(tp_req *r, const tp_grid *g, const char *where,
                      int64_t arg);

/* ------------------------------------------------------------------ */
/* ABI 2.0: who is asking, what they may do, the brand                 */

enum tp_user_kind { TP_USER_OPERATOR = 1, TP_USER_PARTNER, TP_USER_CUSTOMER };

typedef struct tp_who {
	uint64_t user_id, tenant_id;
	int kind; /* enum tp_user_kind; 0: no one signed in, or a context.
	             The login's own: a partner (or operator) viewing as a
	             customer stays a partner (operator) here, so scope by
	             tp_scope_is_operator, tp_scope_partner_root and
	             tp_scope_account_root, never by kind */
	uint64_t partner_id, account_id; /* the login's own (by its kind) */
	/* "currently viewing" (the switcher): the partner or account whose
	 * subtree the pages show now; 0 when it is the login's own */
	uint64_t view_partner_id, view_account_id;
	int is_admin;  /* an operator admin: every right */
	int read_only; /* a partner or operator viewing as a customer without
	                  the right to act for customers: writes are refused */
	const char *login, *name, *viewing; /* never NULL */
	void *spare[4];
} tp_who;
void tp_who_get(tp_req *r, tp_who *out);
/* Has the viewer right (enum tp_right bits, all of them) on area? */
int tp_can(tp_req *r, const char *area, unsigned right);

typedef struct tp_brand_info {
	uint64_t id; /* 0: no brand (a context without one) */
	const char *slug, *name;
	const char *support_phone, *support_email, *logo_url; /* or NULL */
	int platform;
	void *spare[6];
} tp_brand_info;
void tp_brand_get(tp_req *r, tp_brand_info *out);

/* An audit line for the viewer's brand and user: action "invoice.void",
 * the object, and a JSON detail (taken; may be NULL). Written on the
 * request's DB handle, so inside the handler's transaction when one is
 * open; a failure is logged, never the handler's. */
void tp_audit_log(tp_req *r, const char *action, const char *object_type,
                  int64_t object_id, json_object *detail);

/* ------------------------------------------------------------------ */
/* ABI 2.0: one check for each kind of text a user sends. NULL if fine,  */
/* else what is wrong, in words to follow the field's label.           */

/* printable one-line UTF-8 of 1..max bytes ("" passes with may_be_empty) */
const char *tp_check_text(const char *s, size_t max, int may_be_empty);
/* an e-mail address ("" passes: none) */
const char *tp_check_email(const char *s);
/* a phone number: digits, spaces and + - ( ) ., at most 32 ("" passes) */
const char *tp_check_phone(const char *s);
/* an ISO 4217 code: three capital letters */
const char *tp_check_currency(const char *s);
/* a day as YYYY-MM-DD that exists in the calendar; the parts in *y *m
 * *d (any may be NULL) */
const char *tp_check_date(const char *s, int *y, int *m, int *d);

/* A form or JSON field read and checked in one step: on a bad value the
 * failure is recorded against the field (tp_fail, TP_EINVAL) with the
 * label in the message, and returned. *out is the value ("" when absent
 * and not required). */
tp_rc tp_field_text(tp_req *r, const char *field, const char *label, size_t max,
                    int required, const char **out);

/* ------------------------------------------------------------------ */
/* ABI 2.0: time, mail, files, slots                                    */

/* Seconds since the epoch (UTC) from the one clock tests can move
 * ([testing] clock_file: an offset in seconds read from that file). */
int64_t tp_now(void);

/* A mail in the outbox, in the caller's transaction: sent by `tierportctl
 * mail send` after the commit (never lost, never sent for a rolled back
 * change). to is one address. */
tp_rc tp_mail_queue(tp_req *r, const char *to, const char *subject,
                    const char *body);

/* Lets nginx send a file the handler has decided the viewer may have:
 * X-Accel-Redirect to internal_uri (an `internal` nginx location) with
 * the type and, if download_name is set, as an attachment. */
tp_rc tp_send_file(tp_req *r, const char *internal_uri,
                   const char *content_type, const char *download_name);

/* The panels of every module for slot (tp_panel.slot), for this viewer,
 * put in the view under "slots" -> slot as a list of {module, name,
 * title, html} (HTML) or {module, name, title, data} (JSON). A page calls
 * it for the slots it offers; "home" is the home page's. */
tp_rc tp_slot_fill(tp_req *r, const char *slot);

/* ------------------------------------------------------------------ */
/* ABI 2.0: events, jobs, data generations                             */

/* Writes the event as a row in the caller's transaction (delivered only
 * if it commits). partner_id/account_id say whose it is (0: none; events
 * of one account are delivered in order); payload is taken. */
tp_rc tp_event_emit(tp_req *r, const char *name, uint64_t partner_id,
                    uint64_t account_id, json_object *payload);

/* The checkpoint the last run of this job saved (NULL: none, start from
 * the beginning), and saving a new one in ctx's open transaction, so the
 * work and the checkpoint commit together. */
const char *tp_job_checkpoint(tp_job_run *run);
tp_rc tp_job_save(tp_job_run *run, const char *checkpoint);

/* Per-brand data generations by domain ("invoices", "usage"): bumped
 * once per transaction (in the caller's), read for cache keys. A page or
 * aggregate cached under a generation is never served after a write that
 * bumped it. */
tp_rc tp_gen_bump(tp_req *r, const char *domain);
tp_rc tp_gen_get(tp_req *r, const char *domain, uint64_t *gen);

/* ------------------------------------------------------------------ */
/* Contexts. Jobs, event handlers and commands get a request-less      */
/* tp_req from the core: tp_req_db, tp_alloc/tp_printf, the tp_db_*    */
/* calls, tp_audit_log, tp_event_emit, tp_mail_queue and tp_now work;  */
/* tp_tenant_id is the brand it works for (0: none); tp_who_get says   */
/* no one. Nothing is rendered.                                        */

/* ABI 2.2: a context works for one brand at a time: a job that serves
 * every brand sets each in turn (tenant 0: none). What the context
 * allocated stays. TP_ENOENT no such brand; TP_EINVAL r is a request. */
tp_rc tp_ctx_brand(tp_req *ctx, uint64_t tenant);

/* ABI 2.0: keystore.c: secrets at rest -- bank account numbers, TOTP  */
/* secrets -- sealed with libsodium's secretbox under the current key   */
/* of [security] key_file (docs/operations.md: the file, rotation).     */

/* Bytes tp_seal writes for n plain bytes, the NUL included: "sb1:" and
 * the base64url (no padding) of key id, nonce, MAC and cipher text. */
#define TP_SEALED_LEN(n)                                                       \
	(4 + ((41 + (size_t)(n)) / 3) * 4 +                                    \
	 ((41 + (size_t)(n)) % 3 == 0 ? 0 : (41 + (size_t)(n)) % 3 + 1) + 1)
/* Seals len bytes of plain into out (cap >= TP_SEALED_LEN(len)): a
 * printable string fit for a VARCHAR column, different every time.
 * TP_EUNAVAIL: no key loaded; TP_ETOOBIG: out too small. */
tp_rc tp_seal(const void *plain, size_t len, char *out, size_t cap);
/* Opens what tp_seal made, under whichever key of the file sealed it, into
 * out (cap bytes; the plain text is at most strlen(sealed) bytes); *len
 * gets its length. Never a crash, whatever the input: TP_EINVAL not a
 * sealed value, TP_EAUTH altered (or a different key under that id),
 * TP_ENOENT its key is not in the key file, TP_ETOOBIG out too small,
 * TP_EUNAVAIL no key loaded. out is not NUL-terminated; wipe it
 * (sodium_memzero) when done. */
tp_rc tp_unseal(const char *sealed, void *out, size_t cap, size_t *len);

/* ------------------------------------------------------------------ */
/* ABI 2.0: brand.c: absolute links, for mails. Built from the brand's   */
/* configured base URL (brand settings; by default [http]              */
/* default_scheme :// its first host), never from the Host header.      */

/* base URL + path (which starts with '/'), in r's arena; NULL before the
 * brand is known. */
const char *tp_brand_url(tp_req *r, const char *path);
/* The same outside a request (event handlers, jobs): brand tenant_id's
 * link into out (cap bytes). TP_ENOENT no such brand, TP_ETOOBIG. */
tp_rc tp_brand_url_db(tp_db *db, uint64_t tenant_id, const char *path,
                      char *out, size_t cap);

/* ------------------------------------------------------------------ */
/* ABI 2.7: i18n.c: languages, message catalogs, time zones            */
/* (docs/i18n.md). Each request runs in its viewer's language (the     */
/* login's choice, else the brand's); text for people goes through     */
/* the catalog: _("...") in C, {{_}}...{{/_}} in templates.            */

/* The text domain of _(): tierport's catalog holds the core's and the
 * in-tree modules' text; a module built out of tree defines its own
 * before including this header and binds it (tp_i18n_bind). */
#ifndef TP_TEXTDOMAIN
#define TP_TEXTDOMAIN "tierport"
#endif
/* msgid in the current language (the English msgid itself when there is
 * no translation); the result lives as long as the process. */
const char *tp_gettext(const char *domain, const char *msgid)
    __attribute__((format_arg(2)));
#ifndef _
#define _(s) tp_gettext(TP_TEXTDOMAIN, (s))
#endif
/* N_ marks text for the catalog that is translated later (a label in a
 * static table: tp_tr when it is shown). */
#ifndef N_
#define N_(s) (s)
#endif
/* A label the core shows for a module (menus, grid columns, panels):
 * tierport's catalog, then every domain a module bound. */
const char *tp_tr(const char *msgid) __attribute__((format_arg(1)));
/* A module's own catalog: localedir/LANG/LC_MESSAGES/domain.mo. */
void tp_i18n_bind(const char *domain, const char *localedir);
/* The languages: index 0 is English; code "en", "de"; name in itself. */
size_t tp_lang_count(void);
const char *tp_lang_code(size_t i);
const char *tp_lang_name(size_t i);
int tp_lang_find(const char *code); /* -1: none */
/* This thread's language from now on (a job writing a customer's
 * document in the customer's language; the pipeline does it per
 * request). Put it back when done: tp_i18n_use(old). */
void tp_i18n_use(int lang);
int tp_i18n_current(void);
const char *tp_i18n_code(void);
/* A number "-1234.50" written as the current language writes it
 * ("-1234.50" in English, "-1.234,50" in German) into buf. */
char *tp_number_localize(const char *num, char *buf, size_t len);
/* Money for people in the current language: tp_money_format_ccy
 * localized, a space, the currency ("1.234,50 EUR"). */
char *tp_money_text(int64_t v, const char *ccy, char *buf, size_t len);
/* An IANA zone ICU knows ("Europe/Berlin", "UTC"). */
int tp_tz_valid(const char *zone);
/* Seconds east of UTC in zone at unix time t. */
tp_rc tp_tz_offset(const char *zone, int64_t unix_s, int *offset_s);
/* The viewer's zone ("UTC" when none): the login's, else the brand's. */
const char *tp_viewer_tz(tp_req *r);
/* A stored UTC time ("2026-12-07 20:05:09", "2026-12-07 20:05", or with
 * 'T' and 'Z') as
 * people read it in the viewer's zone, in r's arena: "2026-12-07 21:05"
 * (with_zone: then " CET"-like offset "+01:00", or " UTC"). "" for
 * NULL or "", the input itself if it is not a time. */
const char *tp_time_text(tp_req *r, const char *utc, int with_zone);
/* Today as the brand counts days: days since 1970-01-01 at tp_now() in
 * the brand's time zone (UTC without a brand). Billing days -- a run's
 * period, due dates, days past due -- are the brand's days. */
int64_t tp_brand_day(tp_req *r);

/* ------------------------------------------------------------------ */
/* core handle given to module init hooks                              */

/* A config value from the module's own [module.NAME] section. */
const char *tp_core_config(tp_core *core, const char *module, const char *key);

#ifdef __cplusplus
}
#endif
#endif /* TIERPORT_H */
