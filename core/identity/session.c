/*
 * session.c -- sessions behind a cookie: a random token whose SHA-256 is
 * the only thing stored; the viewer (user, rights, tier modules, "currently
 * viewing") comes from one Redis lookup or, on a miss, one MariaDB query.
 * Never trusts a token it did not issue; a pre-login token never becomes a
 * session (every login issues a fresh one).
 */
#include "config.h"
#include "identity/identity.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* "<prefix><hex of the hash>": read on every signed-in request, so no
 * printf */
static char *hash_key(tp_req *r, const char *prefix, const unsigned char h[32])
{
	size_t n = strlen(prefix);
	char *k = tp_alloc(r, n + 65);
	memcpy(k, prefix, n);
	sodium_bin2hex(k + n, 65, h, 32);
	return k;
}

#define SESSION_KEY "tp:sess:"
#define TOKEN_KEY   "tp:tok:"

static char *cache_key(tp_req *r, const unsigned char h[32])
{
	return hash_key(r, SESSION_KEY, h);
}

static bool token_ok(const char *t)
{
	size_t n = 0;
	for (; t[n] != '\0'; n++)
		if (n >= 43 || !((t[n] >= 'A' && t[n] <= 'Z') ||
		                 (t[n] >= 'a' && t[n] <= 'z') ||
		                 (t[n] >= '0' && t[n] <= '9') || t[n] == '-' ||
		                 t[n] == '_'))
			return false;
	return n == 43;
}

static void free_list(void *p)
{
	char **l = p;
	if (l == NULL)
		return;
	for (char **m = l; *m != NULL; m++)
		free(*m);
	free(l);
}

/* "area=bits,area=bits" */
static void parse_rights(tp_viewer *v, const char *s)
{
	v->nrights = 0;
	while (s != NULL && *s != '\0' && v->nrights < TP_MAX_AREAS) {
		const char *eq = strchr(s, '='), *comma = strchr(s, ',');
		if (eq == NULL || (comma != NULL && comma < eq))
			break;
		size_t n = (size_t)(eq - s);
		if (n > 0 && n < sizeof(v->rights[0].area)) {
			memcpy(v->rights[v->nrights].area, s, n);
			v->rights[v->nrights].area[n] = '\0';
			v->rights[v->nrights].rights =
			    (unsigned)strtoul(eq + 1, NULL, 10);
			v->nrights++;
		}
		if (comma == NULL)
			break;
		s = comma + 1;
	}
}

/* ---- the cached form: a compact binary record ----
 *
 * Read on every signed-in request, so it is built for reading: fixed-width
 * fields first, then length-prefixed strings, no parser and no allocation
 * beyond the request arena (a JSON copy cost more than the rest of the
 * request). Integers are little-endian whatever the host. Anything that
 * does not decode exactly -- another version, a short or long record --
 * is treated as a miss and read again from MariaDB.
 *
 *   "TPv" VERSION  u8 kind adm terms  u8 nrights  u16 ntier
 *   u64 sid uid tid pid aid vpid vaid  i64 expires seen  u64 epoch
 *   str csrf login name viewing   (str: u16 length + bytes)
 *   nrights x (str area, u32 rights)   ntier x str module
 *   ntier is 0xffff when the viewer has no tier list (operators).
 */
#define VIEWER_MAGIC "TPv"
#define VIEWER_VERSION                                                         \
	3 /* 2: the revocation epoch after seen; 3: the                        \
	     login's language and time zone */
#define VIEWER_NO_TIER 0xffff

typedef struct wbuf {
	unsigned char *p;
	size_t len;
} wbuf;

static void put_bytes(wbuf *w, const void *b, size_t n)
{
	memcpy(w->p + w->len, b, n);
	w->len += n;
}

static void put_u(wbuf *w, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		w->p[w->len++] = (unsigned char)(v >> (8 * i));
}

static void put_str(wbuf *w, const char *s)
{
	size_t n = strlen(s);
	put_u(w, n, 2);
	put_bytes(w, s, n);
}

static size_t viewer_pack(tp_req *r, const tp_viewer *v, long long expires,
                          long long seen, uint64_t epoch, char **out)
{
	size_t ntier = 0, cap = 4 + 5 + 10 * 8 + 6 * 2 + strlen(v->csrf) +
	                        strlen(v->login) + strlen(v->name) +
	                        strlen(v->viewing) + strlen(v->lang) +
	                        strlen(v->tz);
	for (size_t i = 0; i < v->nrights; i++)
		cap += 2 + strlen(v->rights[i].area) + 4;
	for (char **m = v->tier_modules; m != NULL && *m != NULL; m++, ntier++)
		cap += 2 + strlen(*m);
	wbuf w = {tp_alloc(r, cap), 0};
	put_bytes(&w, VIEWER_MAGIC, 3);
	put_u(&w, VIEWER_VERSION, 1);
	put_u(&w, (uint64_t)v->kind, 1);
	put_u(&w, v->is_admin, 1);
	put_u(&w, v->terms_ok, 1);
	put_u(&w, v->nrights, 1);
	put_u(&w, v->tier_modules ? ntier : VIEWER_NO_TIER, 2);
	put_u(&w, v->session_id, 8);
	put_u(&w, v->user_id, 8);
	put_u(&w, v->tenant_id, 8);
	put_u(&w, v->partner_id, 8);
	put_u(&w, v->account_id, 8);
	put_u(&w, v->view_partner_id, 8);
	put_u(&w, v->view_account_id, 8);
	put_u(&w, (uint64_t)expires, 8);
	put_u(&w, (uint64_t)seen, 8);
	put_u(&w, epoch, 8);
	put_str(&w, v->csrf);
	put_str(&w, v->login);
	put_str(&w, v->name);
	put_str(&w, v->viewing);
	put_str(&w, v->lang);
	put_str(&w, v->tz);
	for (size_t i = 0; i < v->nrights; i++) {
		put_str(&w, v->rights[i].area);
		put_u(&w, v->rights[i].rights, 4);
	}
	for (char **m = v->tier_modules; m != NULL && *m != NULL; m++)
		put_str(&w, *m);
	*out = (char *)w.p;
	return w.len;
}

typedef struct rbuf {
	const unsigned char *p;
	size_t len, off;
	bool bad;
} rbuf;

static uint64_t get_u(rbuf *b, int bytes)
{
	uint64_t v = 0;
	if (b->len - b->off < (size_t)bytes) {
		b->bad = true;
		return 0;
	}
	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)b->p[b->off++] << (8 * i);
	return v;
}

/* A string into a fixed field; one that does not fit is a bad record. */
static void get_str(rbuf *b, char *dst, size_t size)
{
	size_t n = (size_t)get_u(b, 2);
	if (b->bad || n >= size || b->len - b->off < n) {
		b->bad = true;
		dst[0] = '\0';
		return;
	}
	memcpy(dst, b->p + b->off, n);
	dst[n] = '\0';
	b->off += n;
}

static bool viewer_unpack(tp_req *r, const char *s, size_t len, tp_viewer *v,
                          long long *expires, long long *seen, uint64_t *epoch)
{
	rbuf b = {(const unsigned char *)s, len, 0, false};
	if (len < 4 || memcmp(s, VIEWER_MAGIC, 3) != 0 ||
	    s[3] != VIEWER_VERSION)
		return false;
	b.off = 4;
	memset(v, 0, sizeof(*v));
	v->kind = (int)get_u(&b, 1);
	v->is_admin = get_u(&b, 1) != 0;
	v->terms_ok = get_u(&b, 1) != 0;
	v->nrights = (size_t)get_u(&b, 1);
	size_t ntier = (size_t)get_u(&b, 2);
	v->session_id = get_u(&b, 8);
	v->user_id = get_u(&b, 8);
	v->tenant_id = get_u(&b, 8);
	v->partner_id = get_u(&b, 8);
	v->account_id = get_u(&b, 8);
	v->view_partner_id = get_u(&b, 8);
	v->view_account_id = get_u(&b, 8);
	*expires = (long long)get_u(&b, 8);
	*seen = (long long)get_u(&b, 8);
	*epoch = get_u(&b, 8);
	get_str(&b, v->csrf, sizeof(v->csrf));
	get_str(&b, v->login, sizeof(v->login));
	get_str(&b, v->name, sizeof(v->name));
	get_str(&b, v->viewing, sizeof(v->viewing));
	get_str(&b, v->lang, sizeof(v->lang));
	get_str(&b, v->tz, sizeof(v->tz));
	if (v->nrights > TP_MAX_AREAS)
		return false;
	for (size_t i = 0; i < v->nrights && !b.bad; i++) {
		get_str(&b, v->rights[i].area, sizeof(v->rights[i].area));
		v->rights[i].rights = (unsigned)get_u(&b, 4);
	}
	if (ntier != VIEWER_NO_TIER && !b.bad) {
		char **l = tp_alloc(r, (ntier + 1) * sizeof(*l));
		for (size_t i = 0; i < ntier && !b.bad; i++) {
			size_t n = (size_t)get_u(&b, 2);
			if (b.bad || b.len - b.off < n) {
				b.bad = true;
				break;
			}
			l[i] = tp_strndup(r, (const char *)b.p + b.off, n);
			b.off += n;
		}
		l[ntier] = NULL;
		v->tier_modules = l;
	}
	return !b.bad && b.off == b.len && v->user_id != 0;
}

/* The user's columns of the viewer, shared by session_sql and token_sql
 * (the same order: load_viewer reads them by position). */
#define USER_COLUMNS                                                           \
	"u.kind + 0, IFNULL(u.partner_id, 0), IFNULL(u.account_id, 0), "       \
	"u.is_admin, u.login, u.name, "                                        \
	"IF(" TP_USER_ACTIVE_SQL ", 'active', 'disabled'), "                   \
	"(SELECT GROUP_CONCAT(CONCAT(ur.area, '=', ur.rights)) "               \
	" FROM user_rights ur WHERE ur.user_id = u.id), "                      \
	"(SELECT GROUP_CONCAT(tm.module) FROM tier_modules tm "                \
	" JOIN partners p ON p.tier_id = tm.tier_id WHERE p.id = "             \
	" COALESCE(u.partner_id, (SELECT a.partner_id FROM accounts a "        \
	"  WHERE a.id = u.account_id))), "
#define TERMS_COLUMN                                                           \
	"(t.terms_required = 0 OR EXISTS (SELECT 1 FROM terms_acceptances ta " \
	" WHERE ta.user_id = u.id AND ta.terms_version = t.terms_version AND " \
	" ta.cleared = 0)), IFNULL(u.language, ''), IFNULL(u.time_zone, '') "

static const char session_sql[] =
    "SELECT s.id, s.user_id, s.tenant_id, s.csrf_token, "
    "IFNULL(s.view_partner_id, 0), IFNULL(s.view_account_id, 0), "
    "UNIX_TIMESTAMP(s.last_seen_at), "
    "UNIX_TIMESTAMP(s.expires_at), " USER_COLUMNS
    "COALESCE((SELECT va.name FROM accounts va WHERE va.id = "
    " s.view_account_id), (SELECT vp.name FROM partners vp WHERE vp.id = "
    " COALESCE(s.view_partner_id, u.partner_id)), (SELECT va.name FROM "
    " accounts va WHERE va.id = u.account_id), ''), " TERMS_COLUMN
    "FROM sessions s JOIN users u ON u.id = s.user_id "
    "JOIN tenants t ON t.id = s.tenant_id "
    "WHERE s.token_hash = ? AND s.revoked = 0";

/* An API token stands for its user like a session without a view, a CSRF
 * token or an idle limit: the same columns as session_sql, last used in
 * place of last seen. */
static const char token_sql[] =
    "SELECT k.id, u.id, u.tenant_id, '', 0, 0, "
    "IFNULL(UNIX_TIMESTAMP(k.last_used_at), 0), "
    "UNIX_TIMESTAMP(NOW()) + 86400, " USER_COLUMNS
    "COALESCE((SELECT vp.name FROM partners vp WHERE vp.id = u.partner_id), "
    " (SELECT va.name FROM accounts va WHERE va.id = u.account_id), "
    "''), " TERMS_COLUMN "FROM api_tokens k JOIN users u ON u.id = k.user_id "
    "JOIN tenants t ON t.id = u.tenant_id "
    "WHERE k.token_hash = ? AND k.revoked_at IS NULL";

/* The viewer behind a token hash, by session_sql or token_sql. */
static tp_rc load_viewer(tp_req *r, const char *sql, const unsigned char h[32],
                         tp_viewer *v, long long *expires, long long *seen)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs, sql, "b", h, (size_t)32);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return TP_ENOENT;
	if (strcmp(tp_rows_get(rs, 0, 14), "active") != 0)
		return TP_ENOENT; /* a disabled user's sessions are dead */
	memset(v, 0, sizeof(*v));
	v->session_id = (uint64_t)tp_rows_i64(rs, 0, 0);
	v->user_id = (uint64_t)tp_rows_i64(rs, 0, 1);
	v->tenant_id = (uint64_t)tp_rows_i64(rs, 0, 2);
	snprintf(v->csrf, sizeof(v->csrf), "%s", tp_rows_get(rs, 0, 3));
	v->view_partner_id = (uint64_t)tp_rows_i64(rs, 0, 4);
	v->view_account_id = (uint64_t)tp_rows_i64(rs, 0, 5);
	*seen = tp_rows_i64(rs, 0, 6);
	*expires = tp_rows_i64(rs, 0, 7);
	v->kind = (int)tp_rows_i64(rs, 0, 8); /* enum order = tp_user_kind */
	v->partner_id = (uint64_t)tp_rows_i64(rs, 0, 9);
	v->account_id = (uint64_t)tp_rows_i64(rs, 0, 10);
	v->is_admin = tp_rows_i64(rs, 0, 11) != 0;
	snprintf(v->login, sizeof(v->login), "%s", tp_rows_get(rs, 0, 12));
	snprintf(v->name, sizeof(v->name), "%s", tp_rows_get(rs, 0, 13));
	parse_rights(v, tp_rows_get(rs, 0, 15));
	snprintf(v->viewing, sizeof(v->viewing), "%s",
	         tp_rows_get(rs, 0, 17) ? tp_rows_get(rs, 0, 17) : "");
	v->terms_ok = tp_rows_i64(rs, 0, 18) != 0;
	snprintf(v->lang, sizeof(v->lang), "%s", tp_rows_get(rs, 0, 19));
	snprintf(v->tz, sizeof(v->tz), "%s", tp_rows_get(rs, 0, 20));
	if (v->kind != TP_USER_OPERATOR) {
		v->tier_modules = tp_split_list(tp_rows_get(rs, 0, 16));
		tp_cleanup(r, free_list, v->tier_modules);
	}
	return TP_OK;
}

static tp_rc load_db(tp_req *r, const unsigned char h[32], tp_viewer *v,
                     long long *expires, long long *seen)
{
	return load_viewer(r, session_sql, h, v, expires, seen);
}

/* ---- Revocation and the cache ----
 *
 * A revocation (logout, logout everywhere, a user or partner disabled, an
 * account closed, a password changed, rights or terms changed, a token
 * revoked, a view switched) writes MariaDB, then drops the cached viewers
 * it makes stale. When Redis cannot be reached for that drop (down,
 * stalled, the breaker open), the copies stay in it, and a Redis that
 * comes back -- a SIGSTOP'd one resumes with its memory as it was -- would
 * serve them again for up to their TTL. So such a revocation also bumps
 * one counter in MariaDB, viewer_epoch, after its commit:
 *
 * - every cached viewer carries the epoch read before its row was read
 *   from MariaDB; a copy whose epoch is older than the current one is a
 *   miss (read again from MariaDB, where the revocation is);
 * - each worker reads the epoch at most every EPOCH_FRESH_MS (shared by
 *   its threads, lock-free to read), so the signed-in request stays one
 *   Redis round trip: no MariaDB query on a hit;
 * - a request that bumped the epoch answers only EPOCH_WAIT_MS after the
 *   bump committed (tp_session_settle), by when every worker on every host
 *   has read an epoch at least that new before using any cached copy.
 *
 * So the next request after the revocation's answer is bound by it,
 * whatever Redis did in between. The price is paid only while Redis is
 * unreachable: such a revocation takes ~1 s longer, and every cached viewer
 * is read from MariaDB once more. Relative times only (each host's
 * monotonic clock), so clocks need not agree across hosts. */
#define EPOCH_FRESH_MS 1000
#define EPOCH_WAIT_MS  (EPOCH_FRESH_MS + 100)

/* The worker's copy of the epoch: written under the lock (the epoch
 * first, then when its read began), read without it -- a reader that sees
 * a read time sees an epoch at least as new as that read gave. */
static struct {
	pthread_mutex_t lock;
	_Atomic uint64_t epoch;
	_Atomic long long
	    read_ms; /* start of the read that gave epoch; 0 none */
} ep = {.lock = PTHREAD_MUTEX_INITIALIZER};

static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The epoch as MariaDB had it at most EPOCH_FRESH_MS ago. */
static tp_rc viewer_epoch(tp_req *r, uint64_t *out)
{
	long long now = mono_ms(), at = atomic_load(&ep.read_ms);
	if (at != 0 && now - at < EPOCH_FRESH_MS) {
		*out = atomic_load(&ep.epoch);
		return TP_OK;
	}
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT SQL_CACHE epoch FROM viewer_epoch "
	                       "WHERE id = 1",
	                       "");
	if (rc != TP_OK)
		return rc;
	uint64_t e =
	    tp_rows_count(rs) > 0 ? (uint64_t)tp_rows_i64(rs, 0, 0) : 0;
	pthread_mutex_lock(&ep.lock);
	if (now > atomic_load(&ep.read_ms)) {
		atomic_store(&ep.epoch, e);
		atomic_store(&ep.read_ms, now);
	}
	pthread_mutex_unlock(&ep.lock);
	*out = e;
	return TP_OK;
}

/* When the request that bumped the epoch may answer (0: none bumped). */
static __thread long long settle_at_ms;

tp_rc tp_viewer_epoch_bump(tp_db *db)
{
	tp_rc rc = tp_db_exec(db, NULL,
	                      "UPDATE viewer_epoch SET epoch = epoch + 1 "
	                      "WHERE id = 1",
	                      "");
	if (rc != TP_OK)
		tp_log(TP_LOG_ERR, "TP0802",
		       "a revocation could not reach the cache nor bump "
		       "viewer_epoch: cached viewers may outlive it");
	else
		tp_log(TP_LOG_WARN, "TP0803",
		       "a revocation could not reach the cache: viewer_epoch "
		       "bumped, cached viewers are read again");
	return rc;
}

long long tp_viewer_epoch_wait_ms(void)
{
	return EPOCH_WAIT_MS;
}

/* A cached viewer that had to go could not be dropped. */
static void drop_failed(tp_req *r)
{
	if (tp_viewer_epoch_bump(tp_req_db(r)) == TP_OK)
		settle_at_ms = mono_ms() + EPOCH_WAIT_MS;
}

/* Drops the cached viewer under key; false if it may still be there. */
static bool drop(tp_req *r, const char *key)
{
	/* no cache configured: nothing was ever cached */
	if (r->thread == NULL || r->thread->cache == NULL)
		return true;
	return tp_cache_del(r, key) == TP_OK;
}

void tp_session_settle(void)
{
	long long wait = settle_at_ms - mono_ms();
	settle_at_ms = 0;
	if (wait > 0)
		usleep((useconds_t)wait * 1000);
}

/* A session or token being looked up. */
typedef struct lookup {
	unsigned char h[32]; /* SHA-256 of the token */
	char *key;           /* of the cached copy */
	long long expires, seen;
	uint64_t epoch; /* the cached copy's, or the one read before the row */
	bool from_cache;
} lookup;

/* The viewer behind token tok, of r's brand: the cached copy under
 * prefix + hash (one lookup) if it is of the current revocation epoch, or
 * else the row by sql. TP_ENOENT: no such live session or token here. */
static tp_rc viewer_get(tp_req *r, const char *tok, const char *prefix,
                        const char *sql, tp_viewer *v, lookup *lk)
{
	char *val;
	size_t len;
	uint64_t now_epoch;
	/* before the row is read: a copy made from it carries an epoch no
	 * newer than the revocations it saw */
	tp_rc rc = viewer_epoch(r, &now_epoch);
	if (rc != TP_OK)
		return rc;
	tp_token_hash(tok, lk->h);
	lk->key = hash_key(r, prefix, lk->h);
	lk->from_cache = tp_cache_get(r, lk->key, &val, &len) == TP_OK &&
	                 viewer_unpack(r, val, len, v, &lk->expires, &lk->seen,
	                               &lk->epoch) &&
	                 lk->epoch >= now_epoch;
	if (!lk->from_cache) {
		lk->epoch = now_epoch;
		rc = load_viewer(r, sql, lk->h, v, &lk->expires, &lk->seen);
		if (rc != TP_OK)
			return rc;
	}
	/* good for its own brand only */
	return r->tenant != NULL && v->tenant_id == r->tenant->id ? TP_OK
	                                                          : TP_ENOENT;
}

/* Last seen (sessions) or last used (tokens) is written by touch_sql at
 * most once a minute, not on every request; the cached copy is written
 * again when that changed or it came from MariaDB. A copy that was read
 * from the cache is only replaced, never recreated: a logout or revoke
 * that dropped it while this request ran stays dropped. */
static void viewer_touch(tp_req *r, lookup *lk, const char *touch_sql,
                         const tp_viewer *v, long long now, long long ttl)
{
	bool due = now - lk->seen >= 60;
	if (!due && lk->from_cache)
		return;
	if (due) {
		tp_db_exec(tp_req_db(r), NULL, touch_sql, "II", (int64_t)now,
		           (int64_t)v->session_id);
		lk->seen = now;
	}
	char *val;
	size_t len = viewer_pack(r, v, lk->expires, lk->seen, lk->epoch, &val);
	unsigned t = (unsigned)(ttl > 0 ? ttl : 1);
	if (lk->from_cache)
		tp_cache_replace(r, lk->key, val, len, t);
	else
		tp_cache_set(r, lk->key, val, len, t);
}

/* Authorization: Bearer <token> -> the token's user, no CSRF needed (a
 * browser never sends it by itself). Cached under tp:tok:<hash> for a
 * minute; revoking drops the cached copy. */
static tp_rc token_load(tp_req *r, const char *tok)
{
	lookup lk;
	tp_viewer *v = tp_alloc(r, sizeof(*v));
	tp_rc rc = viewer_get(r, tok, TOKEN_KEY, token_sql, v, &lk);
	if (rc != TP_OK)
		return rc == TP_ENOENT ? TP_OK : rc;
	viewer_touch(r, &lk,
	             "UPDATE api_tokens SET last_used_at = FROM_UNIXTIME(?) "
	             "WHERE id = ?",
	             v, (long long)time(NULL), 60);
	v->via_token = true;
	v->session_id = 0; /* no sessions row: nothing session-wide to change */
	r->viewer = v;
	return TP_OK;
}

tp_rc tp_session_load(tp_req *r)
{
	const char *auth = tp_header(r, "Authorization");
	if (auth != NULL && strncmp(auth, "Bearer ", 7) == 0)
		return token_ok(auth + 7) ? token_load(r, auth + 7) : TP_OK;

	const char *tok = r->cfg->session_cookie
	                      ? tp_cookie(r, r->cfg->session_cookie)
	                      : NULL;
	if (tok == NULL || !token_ok(tok))
		return TP_OK;
	lookup lk;
	long long now = (long long)time(NULL);
	tp_viewer *v = tp_alloc(r, sizeof(*v));
	tp_rc rc = viewer_get(r, tok, SESSION_KEY, session_sql, v, &lk);
	if (rc != TP_OK)
		return rc == TP_ENOENT ? TP_OK : rc;
	if (now >= lk.expires || now - lk.seen > r->cfg->session_idle) {
		if (lk.from_cache)
			tp_cache_del(r, lk.key);
		return TP_OK;
	}
	long long ttl = lk.expires - now;
	if (ttl > r->cfg->session_idle)
		ttl = r->cfg->session_idle;
	viewer_touch(r, &lk,
	             "UPDATE sessions SET last_seen_at = FROM_UNIXTIME(?) "
	             "WHERE id = ?",
	             v, now, ttl);
	memcpy(v->token_hash, lk.h, 32);
	r->viewer = v;
	return TP_OK;
}

tp_rc tp_session_set_view(tp_req *r, uint64_t partner_id, uint64_t account_id)
{
	tp_viewer *v = r->viewer;
	if (v == NULL)
		return TP_EAUTH;
	if (v->via_token)
		return tp_fail(
		    r, TP_EINVAL, NULL,
		    _("an API token sees its user's own subtree; "
		      "switching the view needs a signed-in session"));
	tp_rc rc = tp_db_exec(tp_req_db(r), NULL,
	                      "UPDATE sessions SET view_partner_id = NULLIF(?, "
	                      "0), view_account_id = NULLIF(?, 0) WHERE id = ?",
	                      "III", (int64_t)partner_id, (int64_t)account_id,
	                      (int64_t)v->session_id);
	if (rc != TP_OK)
		return rc;
	/* the next request reads the new view from MariaDB */
	if (!drop(r, cache_key(r, v->token_hash)))
		drop_failed(r);
	return TP_OK;
}

/* Drops the cached viewers under prefix of the token hashes sql returns. */
static tp_rc uncache(tp_req *r, const char *prefix, const char *sql,
                     uint64_t id)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs, sql, "I", (int64_t)id);
	if (rc != TP_OK)
		return rc;
	bool lost = false;
	for (size_t i = 0; i < tp_rows_count(rs) && !lost; i++)
		lost = !drop(
		    r, hash_key(r, prefix,
		                (const unsigned char *)tp_rows_get(rs, i, 0)));
	if (lost)
		drop_failed(r);
	return TP_OK;
}

tp_rc tp_sessions_uncache(tp_req *r, const char *sql, uint64_t id)
{
	return uncache(r, SESSION_KEY, sql, id);
}

tp_rc tp_tokens_uncache(tp_req *r, const char *sql, uint64_t id)
{
	return uncache(r, TOKEN_KEY, sql, id);
}

tp_rc tp_sessions_revoke_user(tp_req *r, uint64_t user_id, uint64_t *n)
{
	return tp_db_exec(tp_req_db(r), n,
	                  "UPDATE sessions SET revoked = 1 WHERE user_id = ? "
	                  "AND revoked = 0",
	                  "I", (int64_t)user_id);
}

static void set_cookie(tp_req *r, const char *value, long max_age)
{
	const char *name = r->cfg->session_cookie;
	tp_set_header(
	    r, "Set-Cookie",
	    tp_printf(r, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", name,
	              value, tp_cookie_secure(r) ? "; Secure" : "",
	              max_age >= 0 ? tp_printf(r, "; Max-Age=%ld", max_age)
	                           : ""));
}

tp_rc tp_session_create(tp_req *r, uint64_t user_id)
{
	char token[44], csrf[44];
	unsigned char h[32];
	long long now = (long long)time(NULL);
	tp_db *db = tp_req_db(r);
	const char *ua = tp_header(r, "User-Agent");

	tp_token_new(token);
	tp_token_new(csrf);
	tp_token_hash(token, h);
	tp_rc rc = tp_db_exec(
	    db, NULL,
	    "INSERT INTO sessions (token_hash, tenant_id, user_id, csrf_token, "
	    "created_at, last_seen_at, expires_at, ip, user_agent) VALUES "
	    "(?, ?, ?, ?, FROM_UNIXTIME(?), FROM_UNIXTIME(?), "
	    "FROM_UNIXTIME(?), "
	    "?, LEFT(?, 255))",
	    "bIIsIIIss", h, (size_t)32, (int64_t)r->tenant->id,
	    (int64_t)user_id, csrf, (int64_t)now, (int64_t)now,
	    (int64_t)(now + r->cfg->session_absolute),
	    r->remote_addr ? r->remote_addr : "", ua ? ua : "");
	if (rc != TP_OK)
		return rc;
	set_cookie(r, token, -1);
	/* the new session is this request's viewer from here on */
	tp_viewer *v = tp_alloc(r, sizeof(*v));
	long long expires, seen;
	if (load_db(r, h, v, &expires, &seen) == TP_OK) {
		memcpy(v->token_hash, h, 32);
		r->viewer = v;
	}
	return TP_OK;
}

tp_rc tp_session_end(tp_req *r, bool everywhere)
{
	tp_viewer *v = r->viewer;
	tp_db *db = tp_req_db(r);
	tp_rows *rs;

	if (v == NULL)
		return TP_OK;
	/* the cached copies go too, or they would outlive the revocation */
	tp_rc rc = tp_db_query(
	    db, r, &rs,
	    everywhere
	        ? "SELECT token_hash FROM sessions WHERE user_id = ? AND "
	          "revoked = 0"
	        : "SELECT token_hash FROM sessions WHERE id = ?",
	    "I", everywhere ? (int64_t)v->user_id : (int64_t)v->session_id);
	if (rc != TP_OK)
		return rc;
	rc = tp_db_exec(
	    db, NULL,
	    everywhere ? "UPDATE sessions SET revoked = 1 WHERE "
	                 "user_id = ?"
	               : "UPDATE sessions SET revoked = 1 WHERE id = ?",
	    "I", everywhere ? (int64_t)v->user_id : (int64_t)v->session_id);
	if (rc != TP_OK)
		return rc;
	bool lost = false;
	for (size_t i = 0; i < tp_rows_count(rs) && !lost; i++)
		lost = !drop(r, cache_key(r, (const unsigned char *)tp_rows_get(
		                                 rs, i, 0)));
	if (lost)
		drop_failed(r);
	set_cookie(r, "", 0);
	return TP_OK;
}

tp_rc tp_csrf_check(tp_req *r)
{
	const char *sent = tp_form(r, "_csrf");
	if (sent == NULL)
		sent = tp_header(r, "X-CSRF-Token");
	if (sent == NULL && r->json != NULL) {
		json_object *x;
		if (json_object_object_get_ex(r->json, "_csrf", &x))
			sent = json_object_get_string(x);
	}
	if (r->viewer == NULL || sent == NULL ||
	    strlen(sent) != strlen(r->viewer->csrf) ||
	    sodium_memcmp(sent, r->viewer->csrf, strlen(sent)) != 0)
		return tp_fail(r, TP_EPERM, "_csrf",
		               _("the form has expired or did not come from "
		                 "this site; reload the page and try again"));
	return TP_OK;
}

void tp_audit(tp_req *r, uint64_t tenant_id, uint64_t user_id,
              const char *action, const char *object_type, uint64_t object_id,
              const char *detail_json)
{
	tp_rc rc = tp_db_exec(
	    tp_req_db(r), NULL,
	    "INSERT INTO audit_log (tenant_id, user_id, ip, action, "
	    "object_type, object_id, detail, request_id) VALUES "
	    "(?, NULLIF(?, 0), ?, ?, ?, NULLIF(?, 0), ?, ?)",
	    "IIssssss", (int64_t)tenant_id, (int64_t)user_id,
	    r->remote_addr ? r->remote_addr : "", action, object_type,
	    tp_printf(r, "%llu", (unsigned long long)object_id), detail_json,
	    r->reqid);
	if (rc != TP_OK)
		tp_log(TP_LOG_ERR, "TP0801", "audit log write failed: %s %s",
		       action, object_type ? object_type : "");
}

void tp_audit_log(tp_req *r, const char *action, const char *object_type,
                  int64_t object_id, json_object *detail)
{
	tp_audit(r, tp_tenant_id(r), r->viewer ? r->viewer->user_id : 0, action,
	         object_type, (uint64_t)object_id,
	         detail ? json_object_to_json_string_ext(detail,
	                                                 JSON_C_TO_STRING_PLAIN)
	                : NULL);
	json_object_put(detail);
}
