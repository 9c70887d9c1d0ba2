/*
 * view.c -- the response side of a request: what a handler sets (view,
 * template, status, headers, failure), content negotiation, streaming, and
 * tp_respond(), which writes the one response through r->out_write. It must
 * never write after a stream began, pass a header value holding CR/LF, or
 * show a client the detail of a 5xx failure (that goes to the log).
 *
 * Data the core adds for the layout (reserved top-level names; a view key of
 * the same name is shadowed in HTML, never in JSON): TITLE (page title or
 * site name), PAGE_TITLE (page title or empty), SITE_NAME, REQUEST_ID, BRAND,
 * MENU (LABEL, HREF, ACTIVE). error.tpl also gets STATUS, REASON, MESSAGE,
 * FIELD. A handler that fails with TP_EINVAL after filling its view gets its
 * own template again (the form with the message), with ERROR {STATUS,
 * MESSAGE, FIELD} and ERROR_FIELD_<FIELD> added.
 */
#include "config.h"
#include "http/http.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* ------------------------------------------------------------------ */
/* a growable malloc'd byte buffer for headers and small bodies        */

typedef struct sbuf {
	char *p;
	size_t len, cap;
	bool heap; /* p is malloc'd (else NULL or the caller's array) */
} sbuf;

/* Starts b in the caller's array, so a response's headers cost no
 * malloc; it moves to the heap only if they outgrow it. */
#define SBUF_ON(arr)                                                           \
	{                                                                      \
		(arr), 0, sizeof(arr), false                                   \
	}

static void sb_add(sbuf *b, const char *s, size_t n)
{
	if (b->cap - b->len < n + 1) {
		size_t cap = b->cap ? b->cap : 512;
		while (cap - b->len < n + 1)
			cap *= 2;
		char *p = b->heap ? realloc(b->p, cap) : malloc(cap);
		if (p == NULL)
			abort(); /* out of memory: the master respawns us */
		if (!b->heap && b->len > 0)
			memcpy(p, b->p, b->len);
		b->p = p;
		b->cap = cap;
		b->heap = true;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_free(sbuf *b)
{
	if (b->heap)
		free(b->p);
}

/* A decimal number without printf: headers are built per response. */
static void sb_uint(sbuf *b, unsigned long long v)
{
	char tmp[24], *p = tmp + sizeof(tmp);

	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	sb_add(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

static void sb_puts(sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* a string literal, without strlen */
#define sb_lit(b, s) sb_add((b), "" s, sizeof(s) - 1)

static void sb_printf(sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		sb_add(b, tmp, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (big == NULL)
		abort();
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb_add(b, big, (size_t)n);
	free(big);
}

static void sb_html(sbuf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '&': sb_puts(b, "&amp;"); break;
		case '<': sb_puts(b, "&lt;"); break;
		case '>': sb_puts(b, "&gt;"); break;
		case '"': sb_puts(b, "&quot;"); break;
		case '\'': sb_puts(b, "&#39;"); break;
		default: sb_add(b, s, 1);
		}
	}
}

/* ------------------------------------------------------------------ */
/* what handlers call                                                  */

json_object *tp_view(tp_req *r)
{
	if (r->view == NULL)
		r->view = tp_json_owned(r, json_object_new_object());
	return r->view;
}

void tp_view_template(tp_req *r, const char *tmpl)
{
	r->tmpl = tp_strdup(r, tmpl);
}

void tp_view_title(tp_req *r, const char *title)
{
	r->title = tp_strdup(r, title);
}

void tp_set_status(tp_req *r, int status)
{
	if (status < 200 || status > 599) {
		tp_log(TP_LOG_ERR, "TP0512",
		       "status %d refused (200..599 only)", status);
		return;
	}
	r->status = status;
}

void tp_set_header(tp_req *r, const char *name, const char *value)
{
	if (name == NULL || value == NULL)
		return;
	/* tp_kv_add copies; name and value are checked when written, so
	 * headers the core adds itself pass the same gate */
	tp_kv_add(r, &r->resp_headers, name, value);
}

tp_rc tp_changed(tp_req *r, const char *key, const char *location)
{
	if (r->api) {
		json_object_object_add(tp_view(r), key,
		                       json_object_new_boolean(1));
		return TP_OK;
	}
	tp_set_header(r, "Location", location);
	tp_set_status(r, 303);
	r->tmpl = NULL;
	return TP_OK;
}

tp_rc tp_fail(tp_req *r, tp_rc rc, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (rc == TP_OK || rc == TP_DECLINED || r->fail_rc != TP_OK)
		return rc; /* the first failure is the one the user sees */
	r->fail_rc = rc;
	r->fail_field = field != NULL ? tp_strdup(r, field) : NULL;
	r->fail_msg = NULL;
	if (fmt != NULL) {
		va_start(ap, fmt);
		int n = vsnprintf(NULL, 0, fmt, ap);
		va_end(ap);
		if (n >= 0) {
			char *p = tp_alloc(r, (size_t)n + 1);
			va_start(ap, fmt);
			vsnprintf(p, (size_t)n + 1, fmt, ap);
			va_end(ap);
			r->fail_msg = p;
		}
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* content negotiation                                                 */

/* q-value in thousandths; junk counts as 1 like most servers do */
static int accept_q(const char *p, const char *end)
{
	int q = 1000;

	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *pe = semi ? semi : end;
		while (p < pe && (*p == ' ' || *p == '\t'))
			p++;
		if (pe - p >= 2 && (p[0] == 'q' || p[0] == 'Q') &&
		    p[1] == '=') {
			const char *v = p + 2;
			if (v < pe && *v == '0') {
				q = 0;
				int scale = 100;
				if (v + 1 < pe && v[1] == '.')
					for (const char *d = v + 2;
					     d < pe && *d >= '0' && *d <= '9' &&
					     scale > 0;
					     d++, scale /= 10)
						q += (*d - '0') * scale;
			} else {
				q = 1000;
			}
		}
		p = semi ? semi + 1 : end;
	}
	return q;
}

struct accept_best {
	int q, spec, pos; /* spec -1: no range matched */
};

static bool tok_is(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

/* The most specific range wins for a type (RFC 9110 12.5.1), first of
 * equals. "*" + "/json" is not a real range but clients send it. */
static void accept_consider(struct accept_best *b, int spec, int q, int pos)
{
	if (spec > b->spec) {
		b->spec = spec;
		b->q = q;
		b->pos = pos;
	}
}

int tp_wants_json(tp_req *r)
{
	if (r->api)
		return 1;
	const char *acc = tp_header(r, "Accept");
	if (acc == NULL)
		return 0;

	struct accept_best js = {0, -1, 0}, ht = {0, -1, 0};
	int pos = 0;
	for (const char *p = acc; *p != '\0'; pos++) {
		const char *comma = strchr(p, ',');
		const char *end = comma ? comma : p + strlen(p);
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *te = semi ? semi : end;
		while (p < te && (*p == ' ' || *p == '\t'))
			p++;
		while (te > p && (te[-1] == ' ' || te[-1] == '\t'))
			te--;
		const char *slash = memchr(p, '/', (size_t)(te - p));
		if (slash != NULL) {
			const char *type = p, *sub = slash + 1;
			size_t tn = (size_t)(slash - p),
			       sn = (size_t)(te - sub);
			int q = semi ? accept_q(semi + 1, end) : 1000;
			bool tany = tok_is(type, tn, "*");
			bool sany = tok_is(sub, sn, "*");
			if (tok_is(type, tn, "application") &&
			    tok_is(sub, sn, "json"))
				accept_consider(&js, 3, q, pos);
			else if (tany && tok_is(sub, sn, "json"))
				accept_consider(&js, 2, q, pos);
			else if (tok_is(type, tn, "application") && sany)
				accept_consider(&js, 1, q, pos);
			if (tok_is(type, tn, "text") && tok_is(sub, sn, "html"))
				accept_consider(&ht, 3, q, pos);
			else if (tok_is(type, tn, "text") && sany)
				accept_consider(&ht, 1, q, pos);
			if (tany && sany) {
				accept_consider(&js, 0, q, pos);
				accept_consider(&ht, 0, q, pos);
			}
		}
		p = comma ? comma + 1 : end;
	}
	if (js.spec < 0 || js.q == 0)
		return 0;
	if (ht.spec < 0 || js.q != ht.q)
		return js.q > ht.q || ht.spec < 0;
	if (js.spec != ht.spec)
		return js.spec > ht.spec;
	return js.pos < ht.pos;
}

tp_rc tp_answer(tp_req *r, json_object *res, const char *location, int status)
{
	if (res != NULL) {
		json_object_object_foreach(res, k, val)
		    json_object_object_add(tp_view(r), k, json_object_get(val));
		json_object_put(res);
	}
	if (!tp_wants_json(r)) {
		/* a browser's form: back to the page, the answer shown there */
		tp_set_status(r, 303);
		tp_set_header(r, "Location", location);
		return TP_OK;
	}
	tp_set_status(r, status);
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* template lookup                                                     */

/* Positive lookups only, per process: a brand override added while a
 * worker runs is seen by the next worker (SIGHUP), like ctemplate's own
 * cache of parsed files. Entries are only ever added, complete, at the
 * head of a bucket (release store), so readers walk without the lock;
 * writers take it. */
#define TPL_BUCKETS     256
#define TPL_MAX_ENTRIES 4096

struct tpl_ent {
	struct tpl_ent *next;
	const tp_config *cfg;
	char *brand, *file, *path;
};

static pthread_mutex_t tpl_mu = PTHREAD_MUTEX_INITIALIZER;
static struct tpl_ent *tpl_tab[TPL_BUCKETS];
static size_t tpl_count;

static unsigned tpl_hash(const tp_config *cfg, const char *brand,
                         const char *file)
{
	unsigned h = 2166136261u ^ (unsigned)(uintptr_t)cfg;
	for (const char *s = brand; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	h = (h ^ 0xffu) * 16777619u;
	for (const char *s = file; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % TPL_BUCKETS;
}

static const char *tpl_cache_get(const tp_config *cfg, const char *brand,
                                 const char *file, unsigned h)
{
	for (struct tpl_ent *e = __atomic_load_n(&tpl_tab[h], __ATOMIC_ACQUIRE);
	     e != NULL; e = e->next)
		if (e->cfg == cfg && strcmp(e->brand, brand) == 0 &&
		    strcmp(e->file, file) == 0)
			return e->path;
	return NULL; /* entries are never freed while the process runs */
}

/* Returns the cached copy of path, or NULL if it was not kept. */
static const char *tpl_cache_put(const tp_config *cfg, const char *brand,
                                 const char *file, unsigned h, const char *path)
{
	const char *kept = NULL;

	pthread_mutex_lock(&tpl_mu);
	if (tpl_count < TPL_MAX_ENTRIES) {
		struct tpl_ent *e = malloc(sizeof(*e));
		if (e != NULL) {
			e->cfg = cfg;
			e->brand = strdup(brand);
			e->file = strdup(file);
			e->path = strdup(path);
			if (e->brand && e->file && e->path) {
				e->next = tpl_tab[h];
				__atomic_store_n(&tpl_tab[h], e,
				                 __ATOMIC_RELEASE);
				tpl_count++;
				kept = e->path;
				e = NULL;
			}
		}
		if (e != NULL) {
			free(e->brand);
			free(e->file);
			free(e->path);
			free(e);
		}
	}
	pthread_mutex_unlock(&tpl_mu);
	return kept;
}

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* dir + "/" + a [+ "/" + b]; false if it does not fit */
static bool join(char *out, size_t outlen, const char *dir, size_t dirlen,
                 const char *a, const char *b)
{
	int n = b ? snprintf(out, outlen, "%.*s/%s/%s", (int)dirlen, dir, a, b)
	          : snprintf(out, outlen, "%.*s/%s", (int)dirlen, dir, a);
	return n > 0 && (size_t)n < outlen;
}

static bool safe_brand(const char *b)
{
	return b != NULL && b[0] != '\0' && b[0] != '.' &&
	       strchr(b, '/') == NULL;
}

const char *tp_template_path(tp_req *r, const char *file)
{
	const tp_config *cfg = r->cfg;
	char path[4096];

	if (file == NULL || file[0] == '\0' || file[0] == '/' ||
	    strstr(file, "..") != NULL) {
		tp_log(TP_LOG_ERR, "TP0510", "template name refused: %s",
		       file ? file : "(null)");
		return NULL;
	}
	const char *brand = r->brand ? r->brand : cfg->default_brand;
	if (!safe_brand(brand))
		brand = "";
	unsigned h = tpl_hash(cfg, brand, file);
	const char *hit = tpl_cache_get(cfg, brand, file, h);
	if (hit != NULL)
		return hit; /* cached paths live as long as the process */

	bool found = false;
	/* 1: the brand's override */
	if (brand[0] != '\0' && cfg->brand_dir != NULL)
		found = join(path, sizeof(path), cfg->brand_dir,
		             strlen(cfg->brand_dir), brand, file) &&
		        is_file(path);
	/* 2: "module/rest" from the module's own templates/ */
	const char *slash = strchr(file, '/');
	if (!found && slash != NULL && cfg->module_data != NULL) {
		char mod[256];
		size_t mlen = (size_t)(slash - file);
		if (mlen > 0 && mlen < sizeof(mod)) {
			memcpy(mod, file, mlen);
			mod[mlen] = '\0';
			char sub[4096];
			int n = snprintf(sub, sizeof(sub), "templates/%s",
			                 slash + 1);
			for (const char *d = cfg->module_data;
			     !found && n > 0 && (size_t)n < sizeof(sub);) {
				const char *colon = strchr(d, ':');
				size_t dl =
				    colon ? (size_t)(colon - d) : strlen(d);
				if (dl > 0)
					found = join(path, sizeof(path), d, dl,
					             mod, sub) &&
					        is_file(path);
				if (colon == NULL)
					break;
				d = colon + 1;
			}
		}
	}
	/* 3: the core's defaults */
	if (!found && cfg->template_dir != NULL)
		found = join(path, sizeof(path), cfg->template_dir,
		             strlen(cfg->template_dir), file, NULL) &&
		        is_file(path);
	if (!found)
		return NULL;
	/* ctemplate wants absolute names; config dirs may be relative */
	char abs[PATH_MAX];
	if (path[0] != '/') {
		if (realpath(path, abs) == NULL)
			return NULL;
		snprintf(path, sizeof(path), "%s", abs);
	}
	const char *kept = tpl_cache_put(cfg, brand, file, h, path);
	return kept != NULL ? kept : tp_strdup(r, path);
}

/* ------------------------------------------------------------------ */
/* the menu, built once per process                                    */

static pthread_rwlock_t menu_lock = PTHREAD_RWLOCK_INITIALIZER;
static json_object *menu;
static atomic_uint menu_gen; /* bumped by every tp_view_set_menu */

/* json-c reference counts are not atomic, so threads must not share the
 * process menu inside their render data: each thread renders from its
 * own copy, made again only when the menu changes, and per request only
 * its "active" marks change. A menu whose items are not all plain
 * objects without an "active" of their own is copied per request. */
static __thread json_object *t_menu;
static __thread unsigned t_menu_gen;
static __thread int t_menu_lang;
static __thread bool t_menu_plain;
static pthread_key_t menu_key; /* frees a thread's copy when it exits */
static pthread_once_t menu_once = PTHREAD_ONCE_INIT;

static void menu_key_free(void *m)
{
	json_object_put(m);
}

static void menu_key_init(void)
{
	if (pthread_key_create(&menu_key, menu_key_free) != 0)
		abort(); /* out of keys: nothing sensible to do */
}

static void thread_menu_drop(void)
{
	if (t_menu == NULL)
		return;
	json_object_put(t_menu);
	t_menu = NULL;
	pthread_setspecific(menu_key, NULL);
}

/* Takes over the caller's reference; NULL frees the current menu. */
void tp_view_set_menu(json_object *m)
{
	pthread_once(&menu_once, menu_key_init);
	pthread_rwlock_wrlock(&menu_lock);
	json_object *old = menu;
	menu = m;
	atomic_fetch_add(&menu_gen, 1);
	pthread_rwlock_unlock(&menu_lock);
	json_object_put(old);
	/* other threads' copies go on their next render or at their exit;
	 * the caller's now, so a leak check at exit sees none */
	thread_menu_drop();
}

/* A private copy of the process menu, or an empty array. */
static json_object *menu_copy(void)
{
	json_object *copy = NULL;

	if (menu != NULL && json_object_deep_copy(menu, &copy, NULL) != 0)
		copy = NULL;
	if (copy != NULL && !json_object_is_type(copy, json_type_array)) {
		json_object_put(copy);
		copy = NULL;
	}
	if (copy == NULL)
		return json_object_new_array();
	/* the labels and groups in the current language (N_ in the
	 * descriptors; the menu of a thread is kept per language) */
	for (size_t i = 0;
	     tp_i18n_current() != 0 && i < json_object_array_length(copy);
	     i++) {
		json_object *it = json_object_array_get_idx(copy, i), *x;
		static const char *const keys[] = {"label", "group"};
		for (size_t k = 0; k < 2; k++)
			if (json_object_object_get_ex(it, keys[k], &x) &&
			    json_object_is_type(x, json_type_string))
				json_object_object_add(
				    it, keys[k],
				    json_object_new_string(
				        tp_tr(json_object_get_string(x))));
	}
	return copy;
}

static bool menu_is_plain(json_object *m)
{
	json_object *a;
	size_t n = json_object_array_length(m);

	for (size_t i = 0; i < n; i++) {
		json_object *it = json_object_array_get_idx(m, i);
		if (!json_object_is_type(it, json_type_object) ||
		    json_object_object_get_ex(it, "active", &a))
			return false;
	}
	return true;
}

/* "/invoices" is active on /invoices and /invoices/42; "/" only on the
 * start page */
static bool menu_active(const char *path, json_object *it)
{
	json_object *href;

	if (path == NULL || !json_object_object_get_ex(it, "href", &href))
		return false;
	const char *h = json_object_get_string(href);
	size_t hl = strlen(h);
	return strcmp(path, h) == 0 || (hl > 1 && strncmp(path, h, hl) == 0 &&
	                                (path[hl] == '/' || h[hl - 1] == '/'));
}

/* The menu for r's page, marked; the caller does not own it. */
static json_object *menu_marked(tp_req *r);

/* Only what the viewer may use: the module enabled for the brand and the
 * viewer's tier, the view right on the entry's area, and operator pages
 * for operators only. */
static bool menu_allowed(tp_req *r, json_object *it)
{
	json_object *x;
	if (json_object_object_get_ex(it, "operator", &x) &&
	    !tp_scope_is_operator(r))
		return false;
	/* the kinds of login it is for (bit 1 << enum tp_user_kind) */
	if (json_object_object_get_ex(it, "kinds", &x) &&
	    (r->viewer == NULL ||
	     !(json_object_get_int(x) & (1 << tp_viewer_kind(r->viewer)))))
		return false;
	if (json_object_object_get_ex(it, "module", &x) &&
	    !tp_module_enabled(r, json_object_get_string(x)))
		return false;
	if (json_object_object_get_ex(it, "area", &x) &&
	    !(tp_viewer_rights(r->viewer, json_object_get_string(x)) &
	      TP_RIGHT_VIEW))
		return false;
	return true;
}

/* The modules' per-viewer counts (tp_menu.count), by the index the
 * menu's "hook" key holds; set once before the threads start. */
static const tp_menu *const *menu_hooks;
static size_t n_menu_hooks;

void tp_view_set_menu_hooks(const tp_menu *const *hooks, size_t n)
{
	menu_hooks = hooks;
	n_menu_hooks = n;
}

/* An entry's count for this viewer: -1 none; TP_DECLINED hides it. */
static tp_rc menu_count(tp_req *r, json_object *it, int64_t *n)
{
	json_object *x;
	*n = -1;
	if (!json_object_object_get_ex(it, "hook", &x))
		return TP_OK;
	size_t i = (size_t)json_object_get_int(x);
	if (i >= n_menu_hooks || menu_hooks[i]->count == NULL)
		return TP_OK;
	tp_rc rc = menu_hooks[i]->count(r, n);
	if (rc != TP_OK && rc != TP_DECLINED) {
		tp_log(TP_LOG_WARN, "TP0517", "menu count for %s failed",
		       menu_hooks[i]->href);
		*n = -1;
		return TP_OK; /* shown without its count */
	}
	return rc;
}

/* Entries of a group gathered under one node at the place of the first
 * ({label, href: null, menu_group: {label, items}}); the others as they
 * are (their "group" and "count" are null, so a page's own keys of those
 * names never show through in the menu). */
static json_object *menu_grouped(tp_req *r, json_object *flat)
{
	json_object *out = tp_json_owned(r, json_object_new_array()), *g;
	size_t n = json_object_array_length(flat);
	for (size_t i = 0; i < n; i++) {
		json_object *it = json_object_array_get_idx(flat, i);
		const char *name = json_object_object_get_ex(it, "group", &g)
		                       ? json_object_get_string(g)
		                       : NULL;
		if (name == NULL) {
			json_object_array_add(out, json_object_get(it));
			continue;
		}
		json_object *node = NULL, *items;
		for (size_t j = 0; j < json_object_array_length(out); j++) {
			json_object *o = json_object_array_get_idx(out, j), *l;
			if (json_object_object_get_ex(o, "menu_group", &g) &&
			    json_object_is_type(g, json_type_object) &&
			    json_object_object_get_ex(g, "label", &l) &&
			    strcmp(json_object_get_string(l), name) == 0)
				node = g;
		}
		if (node == NULL) {
			json_object *o = json_object_new_object();
			node = json_object_new_object();
			json_object_object_add(node, "label",
			                       json_object_new_string(name));
			json_object_object_add(node, "items",
			                       json_object_new_array());
			json_object_object_add(o, "label",
			                       json_object_new_string(name));
			json_object_object_add(o, "href", NULL);
			json_object_object_add(o, "menu_group", node);
			json_object_array_add(out, o);
		}
		json_object_object_get_ex(node, "items", &items);
		json_object_array_add(items, json_object_get(it));
		json_object *a;
		if (json_object_object_get_ex(it, "active", &a))
			json_object_object_add(node, "active",
			                       json_object_new_boolean(1));
	}
	return out;
}

static json_object *menu_for(tp_req *r)
{
	json_object *all = menu_marked(r), *some = NULL, *x;
	size_t n = json_object_array_length(all);
	bool grouped = false;

	for (size_t i = 0; i < n; i++) {
		json_object *it = json_object_array_get_idx(all, i);
		int64_t count = -1;
		bool keep =
		    menu_allowed(r, it) && menu_count(r, it, &count) == TP_OK;
		if (keep && json_object_object_get_ex(it, "group", &x) &&
		    x != NULL)
			grouped = true;
		if (keep && count < 0) {
			if (some == NULL)
				continue; /* all so far kept: no copy yet */
			json_object_array_add(some, json_object_get(it));
			continue;
		}
		if (some == NULL) {
			/* the first one changed: copy what came before */
			some = tp_json_owned(r, json_object_new_array());
			for (size_t j = 0; j < i; j++)
				json_object_array_add(
				    some,
				    json_object_get(
				        json_object_array_get_idx(all, j)));
		}
		if (!keep)
			continue;
		/* this viewer's count on a copy of the shared entry */
		json_object *c = json_object_new_object();
		json_object_object_foreach(it, k, v)
		{
			json_object_object_add(c, k, json_object_get(v));
		}
		json_object_object_add(c, "count",
		                       json_object_new_int64(count));
		json_object_array_add(some, c);
	}
	json_object *flat = some != NULL ? some : all;
	return grouped ? menu_grouped(r, flat) : flat;
}

/* The thread's menu with this request's "active" marks. */
static json_object *menu_marked(tp_req *r)
{
	unsigned gen = atomic_load(&menu_gen);

	if (t_menu == NULL || t_menu_gen != gen ||
	    t_menu_lang != tp_i18n_current()) {
		pthread_once(&menu_once, menu_key_init);
		thread_menu_drop();
		pthread_rwlock_rdlock(&menu_lock);
		t_menu = menu_copy();
		t_menu_gen = atomic_load(&menu_gen);
		t_menu_lang = tp_i18n_current();
		pthread_rwlock_unlock(&menu_lock);
		t_menu_plain = menu_is_plain(t_menu);
		pthread_setspecific(menu_key, t_menu);
	}
	if (!t_menu_plain) {
		pthread_rwlock_rdlock(&menu_lock);
		json_object *copy = tp_json_owned(r, menu_copy());
		pthread_rwlock_unlock(&menu_lock);
		size_t n = json_object_array_length(copy);
		for (size_t i = 0; i < n; i++) {
			json_object *it = json_object_array_get_idx(copy, i);
			if (menu_active(r->path, it))
				json_object_object_add(
				    it, "active", json_object_new_boolean(1));
		}
		return copy;
	}
	/* plain items: "active" is ours, always true, always last */
	size_t n = json_object_array_length(t_menu);
	for (size_t i = 0; i < n; i++) {
		json_object *it = json_object_array_get_idx(t_menu, i), *a;
		bool want = menu_active(r->path, it);
		bool has = json_object_object_get_ex(it, "active", &a);
		if (want && !has)
			json_object_object_add(it, "active",
			                       json_object_new_boolean(1));
		else if (!want && has)
			json_object_object_del(it, "active");
	}
	return t_menu;
}

/* ------------------------------------------------------------------ */
/* writing the response                                                */

static const char *default_message(tp_rc rc)
{
	switch (rc) {
	case TP_EINVAL: return _("The request is not valid.");
	case TP_EAUTH: return _("Please log in first.");
	case TP_EPERM: return _("You are not allowed to do that.");
	case TP_DECLINED:
	case TP_ENOENT: return _("There is nothing here.");
	case TP_EMETHOD: return _("This address does not accept that method.");
	case TP_ECONFLICT:
		return _("That conflicts with the current state; reload and "
		         "try again.");
	case TP_ETOOBIG: return _("The request is too large.");
	case TP_EMEDIA: return _("That content type is not supported.");
	case TP_EUNAVAIL:
		return _(
		    "A service we need is unavailable; try again shortly.");
	default: return _("Something went wrong on our side.");
	}
}

/* The message and field the client sees for an error response. */
static void error_text(tp_req *r, tp_rc rc, int status, const char **msg,
                       const char **field)
{
	*msg = default_message(rc);
	*field = NULL;
	if (r->fail_rc != rc)
		return;
	if (status >= 500) {
		if (r->fail_msg != NULL)
			tp_log(TP_LOG_ERR, "TP0511", "%s%s%s: %s",
			       tp_rc_code(rc), r->fail_field ? " on " : "",
			       r->fail_field ? r->fail_field : "", r->fail_msg);
		return;
	}
	if (r->fail_msg != NULL)
		*msg = r->fail_msg;
	*field = r->fail_field;
}

static bool header_name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') ||
		      strchr("!#$%&'*+-.^_`|~", *s)))
			return false;
	return true;
}

static void put_resp_headers(tp_req *r, sbuf *h)
{
	static const char *const reserved[] = {"Status",
	                                       "Content-Type",
	                                       "Content-Length",
	                                       "X-Request-Id",
	                                       "X-Accel-Buffering",
	                                       "Content-Disposition",
	                                       "Content-Security-Policy",
	                                       NULL};

	for (size_t i = 0; i < r->resp_headers.n; i++) {
		const char *name = r->resp_headers.v[i].name;
		const char *value = r->resp_headers.v[i].value;
		if (name == NULL || value == NULL)
			continue;
		if (!header_name_ok(name) || strpbrk(value, "\r\n") != NULL) {
			tp_log(TP_LOG_ERR, "TP0501",
			       "response header dropped: bad name or CR/LF in "
			       "value of %s",
			       name);
			continue;
		}
		bool skip = false;
		for (int k = 0; reserved[k] && !skip; k++)
			skip = strcasecmp(name, reserved[k]) == 0;
		if (skip) {
			tp_log(TP_LOG_WARN, "TP0502",
			       "response header %s is set by the core; dropped",
			       name);
			continue;
		}
		sb_puts(h, name);
		sb_lit(h, ": ");
		sb_puts(h, value);
		sb_lit(h, "\r\n");
	}
}

static void put_common(tp_req *r, sbuf *h)
{
	/* the transport makes the id; a client-supplied one must not be able
	 * to add headers */
	if (strpbrk(r->reqid, "\r\n") == NULL) {
		sb_lit(h, "X-Request-Id: ");
		sb_puts(h, r->reqid);
		sb_lit(h, "\r\n");
	}
	sb_lit(h, "X-Content-Type-Options: nosniff\r\n");
	/* Ours, per brand: images from the portal and the brand's asset
	 * hosts only (brand.c). nginx passes it and adds its own default
	 * only to what has none (nginx/tierport.conf). */
	sb_lit(h, "Content-Security-Policy: default-src 'self'; img-src ");
	sb_puts(h, r->tenant != NULL && r->tenant->img_src != NULL
	               ? r->tenant->img_src
	               : "'self'");
	sb_lit(h, "; frame-ancestors 'none'; base-uri 'self'; form-action "
	          "'self'\r\n");
}

static void put_allow(tp_req *r, sbuf *h)
{
	static const struct {
		unsigned bit;
		const char *name;
	} methods[] = {{TP_GET, "GET"},        {TP_HEAD, "HEAD"},
	               {TP_POST, "POST"},      {TP_PUT, "PUT"},
	               {TP_PATCH, "PATCH"},    {TP_DELETE, "DELETE"},
	               {TP_OPTIONS, "OPTIONS"}};
	unsigned allow = r->match.allow;
	const char *sep = "";

	if (allow & TP_GET)
		allow |= TP_HEAD; /* HEAD is served by the GET route */
	sb_puts(h, "Allow: ");
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (allow & methods[i].bit) {
			sb_puts(h, sep);
			sb_puts(h, methods[i].name);
			sep = ", ";
		}
	sb_puts(h, "\r\n");
}

static void out(tp_req *r, const void *buf, size_t len)
{
	if (len == 0 || r->out_error)
		return;
	if (r->out_write(r->out_ud, buf, len) < 0) {
		r->out_error = true;
		tp_log(TP_LOG_INFO, "TP0509", "client went away mid-response");
	}
}

/* "Status: 200 OK\r\n", the number as %d would print it */
static void put_status(sbuf *h, int status)
{
	sb_lit(h, "Status: ");
	if (status < 0)
		sb_lit(h, "-");
	sb_uint(h, status < 0 ? 0 - (unsigned)status : (unsigned)status);
	sb_lit(h, " ");
	sb_puts(h, tp_http_reason(status));
	sb_lit(h, "\r\n");
}

/* One response: headers, then the body unless HEAD or a bodiless status. */
static void emit(tp_req *r, tp_rc rc, int status, const char *ctype,
                 const char *body, size_t len)
{
	char hbuf[1024];
	sbuf h = SBUF_ON(hbuf);
	bool bodiless = status == 204 || status == 304;

	put_status(&h, status);
	if (!bodiless) {
		sb_lit(&h, "Content-Type: ");
		sb_puts(&h, ctype);
		sb_lit(&h, "\r\nContent-Length: ");
		sb_uint(&h, len);
		sb_lit(&h, "\r\n");
	}
	put_common(r, &h);
	/* HTML or JSON is picked by Accept outside /api/v1 */
	if (!r->api)
		sb_lit(&h, "Vary: Accept\r\n");
	if (rc == TP_EMETHOD)
		put_allow(r, &h);
	put_resp_headers(r, &h);
	sb_lit(&h, "\r\n");
	out(r, h.p, h.len);
	sb_free(&h);
	if (!r->head && !bodiless)
		out(r, body, len);
}

#define CT_JSON "application/json; charset=utf-8"
#define CT_HTML "text/html; charset=utf-8"

/* A 200 body rendered for a request that carries a page key: into the
 * page cache (grid.c sets the key only for pages it may cache). */
static void page_keep(tp_req *r, int status, const char *body, size_t len)
{
	if (r->page_keyed && r->page_body == NULL && status == 200)
		tp_pagecache_put(r, r->page_key, body, len);
}

static void respond_json(tp_req *r, tp_rc rc, int status)
{
	if (rc == TP_OK) {
		const char *s = "{}";
		size_t len = 2;
		if (r->page_body != NULL) {
			s = r->page_body;
			len = r->page_len;
		} else if (r->view != NULL) {
			s = json_object_to_json_string_length(
			    r->view, JSON_C_TO_STRING_PLAIN, &len);
		}
		page_keep(r, status, s, len);
		emit(r, rc, status, CT_JSON, s, len);
		return;
	}
	const char *msg, *field;
	error_text(r, rc, status, &msg, &field);
	json_object *o = json_object_new_object();
	json_object *e = json_object_new_object();
	json_object_object_add(e, "code",
	                       json_object_new_string(tp_rc_code(rc)));
	json_object_object_add(e, "message", json_object_new_string(msg));
	if (field != NULL)
		json_object_object_add(e, "field",
		                       json_object_new_string(field));
	json_object_object_add(o, "error", e);
	json_object_object_add(o, "request_id",
	                       json_object_new_string(r->reqid));
	size_t len;
	const char *s =
	    json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &len);
	emit(r, rc, status, CT_JSON, s, len);
	json_object_put(o);
}

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

/* The render data: the view's top-level keys with the layout's laid over
 * them (tp_tmpl_render_vars: a layout key wins, even where the view has the
 * same key). Nothing is copied, and the JSON view is never touched. */
typedef struct page_vars {
	tp_tmpl_var v[32];
	size_t n;
} page_vars;

static void pv_str(page_vars *pv, const char *k, const char *v)
{
	pv->v[pv->n++] = (tp_tmpl_var){k, v ? v : "", NULL};
}

static void pv_json(page_vars *pv, const char *k, json_object *v)
{
	pv->v[pv->n++] = (tp_tmpl_var){k, NULL, v};
}

/* The header's view switcher, from the features above this layer
 * (builtin/directory.c); set once before the threads start. */
static tp_view_switch_fn view_switch_fn;

void tp_view_set_switcher(tp_view_switch_fn fn)
{
	view_switch_fn = fn;
}

static void page_vars_init(tp_req *r, page_vars *pv, const char *title,
                           bool error)
{
	const tp_config *cfg = r->cfg;
	/* the brand's own name once the Host has named one */
	const char *site = r->tenant && r->tenant->name ? r->tenant->name
	                   : cfg->site_name             ? cfg->site_name
	                                                : "tierport";

	pv->n = 0;
	pv_str(pv, "title", title ? title : site);
	pv_str(pv, "page_title", title); /* "": the layout shows the site */
	pv_str(pv, "site_name", site);
	pv_str(pv, "request_id", r->reqid);
	pv_str(pv, "lang", tp_i18n_code());
	pv_str(pv, "brand", r->brand ? r->brand : cfg->default_brand);
	pv_json(pv, "menu", menu_for(r));
	if (r->viewer != NULL) {
		/* the user bar: who, what they are looking at, sign out */
		pv_str(pv, "signed_in", "1");
		pv_str(pv, "user_name",
		       r->viewer->name[0] ? r->viewer->name : r->viewer->login);
		pv_str(pv, "viewing", r->viewer->viewing);
		pv_str(pv, "csrf_token", r->viewer->csrf);
		json_object *sw =
		    view_switch_fn != NULL ? view_switch_fn(r, error) : NULL;
		if (sw != NULL)
			pv_json(pv, "view_switch", sw);
		else if (r->viewer->viewing[0] != '\0') /* not operators */
			pv_str(pv, "viewing_link", "1");
	}
	/* the brand's logo and support contacts, when it has them */
	if (r->tenant != NULL && r->tenant->logo_url != NULL)
		pv_str(pv, "brand_logo", r->tenant->logo_url);
	if (r->tenant != NULL && r->tenant->support_phone != NULL)
		pv_str(pv, "brand_phone", r->tenant->support_phone);
	if (r->tenant != NULL && r->tenant->support_email != NULL)
		pv_str(pv, "brand_email", r->tenant->support_email);
	if (r->tenant != NULL && r->tenant->social != NULL) {
		pv_json(pv, "brand_social", r->tenant->social);
		pv_str(pv, "brand_has_social", "1");
	}
	pv_str(pv, "favicon",
	       r->tenant != NULL && r->tenant->favicon_url != NULL
	           ? r->tenant->favicon_url
	           : "/static/favicon.svg");
}

/* Renders file inside the layout into *buf: the thread's page buffer,
 * good until it renders again (see tp_tmpl_render_vars). */
static int render_page(tp_req *r, const char *file, const page_vars *pv,
                       const char **buf, size_t *len)
{
	char err[512];
	const char *content = tp_template_path(r, file);
	const char *layout = tp_template_path(r, "layout.tpl");
	json_object *view = r->view;

	if (content == NULL || layout == NULL) {
		tp_log(TP_LOG_ERR, "TP0504", "template %s not found or refused",
		       content == NULL ? file : "layout.tpl");
		return -1;
	}
	if (view != NULL && !json_object_is_type(view, json_type_object))
		view = NULL;
	if (tp_tmpl_render_vars(layout, content, view, pv->v, pv->n, buf, len,
	                        err, sizeof(err)) != 0) {
		tp_log(TP_LOG_ERR, "TP0505", "rendering %s: %s", file, err);
		return -1;
	}
	return 0;
}

/* The last resort when even error.tpl cannot be rendered. */
static void respond_builtin(tp_req *r, tp_rc rc, int status, const char *msg)
{
	sbuf b = {0};
	const char *reason = tp_tr(tp_http_reason(status));

	sb_printf(&b,
	          "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	          "charset=\"utf-8\"><meta name=\"viewport\" "
	          "content=\"width=device-width, initial-scale=1\"><title>%d ",
	          status);
	sb_html(&b, reason);
	sb_printf(&b, "</title></head>\n<body><h1>%d ", status);
	sb_html(&b, reason);
	sb_puts(&b, "</h1>\n<p>");
	sb_html(&b, msg);
	sb_puts(&b, "</p>\n<p>");
	sb_html(&b, _("Reference:"));
	sb_puts(&b, " <code>");
	sb_html(&b, r->reqid);
	sb_puts(&b, "</code></p></body></html>\n");
	emit(r, rc, status, CT_HTML, b.p, b.len);
	sb_free(&b);
}

static void respond_html_error(tp_req *r, tp_rc rc, int status)
{
	const char *msg, *field, *buf;
	size_t len;

	error_text(r, rc, status, &msg, &field);
	const char *reason = tp_tr(tp_http_reason(status));

	/* a form that failed validation is shown again with the message */
	if (rc == TP_EINVAL && r->tmpl != NULL && r->view != NULL) {
		page_vars pv;
		page_vars_init(r, &pv, r->title, false);
		json_object *e = json_object_new_object();
		json_object_object_add(e, "status",
		                       json_object_new_int(status));
		add_str(e, "message", msg);
		if (field != NULL)
			add_str(e, "field", field);
		pv_json(&pv, "error", e);
		json_object *t = NULL;
		if (field != NULL) {
			t = json_object_new_boolean(1);
			pv_json(&pv, tp_printf(r, "error_field_%s", field), t);
		}
		int ok = render_page(r, r->tmpl, &pv, &buf, &len);
		json_object_put(e);
		json_object_put(t);
		if (ok == 0) {
			emit(r, rc, status, CT_HTML, buf, len);
			return;
		}
	}

	page_vars pv;
	page_vars_init(r, &pv, reason, true);
	json_object *st = json_object_new_int(status);
	pv_json(&pv, "status", st);
	pv_str(&pv, "reason", reason);
	pv_str(&pv, "message", msg);
	if (field != NULL)
		pv_str(&pv, "field", field);
	int ok = render_page(r, "error.tpl", &pv, &buf, &len);
	json_object_put(st);
	if (ok != 0) {
		tp_log(TP_LOG_ERR, "TP0506",
		       "error page failed; sending the built-in one");
		respond_builtin(r, rc, status, msg);
		return;
	}
	emit(r, rc, status, CT_HTML, buf, len);
}

static void respond_html(tp_req *r, tp_rc rc, int status)
{
	const char *buf;
	size_t len;

	if (rc != TP_OK) {
		respond_html_error(r, rc, status);
		return;
	}
	if (r->tmpl == NULL) {
		if (status >= 300 && status < 400) { /* a redirect */
			emit(r, rc, status, CT_HTML, "", 0);
			return;
		}
		tp_log(TP_LOG_ERR, "TP0503",
		       "HTML asked for %s but no template is set; sending JSON",
		       r->path ? r->path : "(no path)");
		respond_json(r, rc, status);
		return;
	}
	if (r->page_body != NULL) {
		emit(r, rc, status, CT_HTML, r->page_body, r->page_len);
		return;
	}
	page_vars pv;
	page_vars_init(r, &pv, r->title, false);
	if (render_page(r, r->tmpl, &pv, &buf, &len) != 0) {
		respond_html_error(r, TP_EINTERNAL,
		                   tp_rc_http_status(TP_EINTERNAL));
		return;
	}
	page_keep(r, status, buf, len);
	emit(r, rc, status, CT_HTML, buf, len);
}

void tp_respond(tp_req *r, tp_rc rc)
{
	if (r->streaming) {
		if (rc != TP_OK) {
			tp_log(TP_LOG_ERR, "TP0507",
			       "handler failed (%s) after its stream began; "
			       "the body is cut short",
			       tp_rc_code(rc));
			/* the worker then drops the connection, so the client
			 * sees a broken download, not a short whole one */
			r->cut_short = true;
		}
		return;
	}
	if (r->out_write == NULL) {
		tp_log(TP_LOG_ERR, "TP0513", "no response writer; dropped");
		return;
	}
	int status;
	if (rc == TP_OK)
		status = r->status ? r->status : 200;
	else /* a handler's own 4xx/5xx (422, say) beats the mapping */
		status = r->status >= 400 ? r->status : tp_rc_http_status(rc);
	/* a backend outage (MariaDB restarting): clients and nginx may
	 * come back shortly */
	if (status == 503 &&
	    tp_kv_get_ci(&r->resp_headers, "Retry-After") == NULL)
		tp_set_header(r, "Retry-After", "5");

	if (tp_wants_json(r))
		respond_json(r, rc, status);
	else
		respond_html(r, rc, status);
	r->streaming = true; /* headers sent: a second call writes nothing */
}

/* ------------------------------------------------------------------ */
/* streaming                                                           */

tp_rc tp_stream_begin(tp_req *r, const char *content_type,
                      const char *download_name)
{
	sbuf h = {0};

	if (r->streaming) {
		tp_log(TP_LOG_ERR, "TP0508", "tp_stream_begin called twice");
		return TP_EINTERNAL;
	}
	if (r->out_write == NULL) {
		tp_log(TP_LOG_ERR, "TP0513", "no response writer; dropped");
		return TP_EINTERNAL;
	}
	if (content_type == NULL)
		content_type = "application/octet-stream";
	if (strpbrk(content_type, "\r\n") != NULL) {
		tp_log(TP_LOG_ERR, "TP0515", "stream content type has CR/LF");
		return TP_EINTERNAL;
	}
	int status = r->status ? r->status : 200;
	put_status(&h, status);
	sb_lit(&h, "Content-Type: ");
	sb_puts(&h, content_type);
	sb_lit(&h, "\r\n");
	sb_puts(&h, "X-Accel-Buffering: no\r\n");
	put_common(r, &h);
	if (download_name != NULL) {
		/* only [A-Za-z0-9._-], no leading dot: safe in any browser
		 * and on any disk, and needs no quoting rules */
		sb_puts(&h, "Content-Disposition: attachment; filename=\"");
		size_t n = 0;
		for (const char *s = download_name; *s && n < 128; s++, n++) {
			char c = *s;
			bool ok = (c >= 'a' && c <= 'z') ||
			          (c >= 'A' && c <= 'Z') ||
			          (c >= '0' && c <= '9') || c == '-' ||
			          c == '_' || (c == '.' && n > 0);
			sb_add(&h, ok ? &c : "_", 1);
		}
		if (n == 0)
			sb_puts(&h, "download");
		sb_puts(&h, "\"\r\n");
	}
	put_resp_headers(r, &h);
	sb_puts(&h, "\r\n");
	r->streaming = true;
	out(r, h.p, h.len);
	sb_free(&h);
	return r->out_error ? TP_EINTERNAL : TP_OK;
}

tp_rc tp_stream_write(tp_req *r, const void *buf, size_t len)
{
	if (!r->streaming) {
		tp_log(TP_LOG_ERR, "TP0508",
		       "tp_stream_write before tp_stream_begin");
		return TP_EINTERNAL;
	}
	if (r->out_error)
		return TP_EINTERNAL; /* the client left: stop producing */
	if (r->head)
		return TP_OK;
	out(r, buf, len);
	return r->out_error ? TP_EINTERNAL : TP_OK;
}

tp_rc tp_stream_printf(tp_req *r, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;

	/* no arena here: a long stream must keep memory flat */
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return TP_EINTERNAL;
	if ((size_t)n < sizeof(tmp))
		return tp_stream_write(r, tmp, (size_t)n);
	char *big = malloc((size_t)n + 1);
	if (big == NULL)
		return TP_EINTERNAL;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	tp_rc rc = tp_stream_write(r, big, (size_t)n);
	free(big);
	return rc;
}

tp_rc tp_send_file(tp_req *r, const char *internal_uri,
                   const char *content_type, const char *download_name)
{
	/* a path nginx maps to an internal location; never a URL, never a
	 * header of its own */
	if (internal_uri == NULL || internal_uri[0] != '/' ||
	    internal_uri[1] == '/' || strpbrk(internal_uri, "\r\n") != NULL) {
		tp_log(TP_LOG_ERR, "TP0516", "tp_send_file: bad internal URI");
		return TP_EINTERNAL;
	}
	tp_set_header(r, "X-Accel-Redirect", internal_uri);
	return tp_stream_begin(r, content_type, download_name);
}
