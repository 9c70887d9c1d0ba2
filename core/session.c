/*
 * session.c -- sessions behind a cookie: a random token whose SHA-256 is
 * the only thing stored; the viewer (user, rights, tier modules, "currently
 * viewing") comes from one Redis lookup or, on a miss, one MariaDB query.
 * Never trusts a token it did not issue; a pre-login token never becomes a
 * session (every login issues a fresh one).
 */
#include "config.h"
#include "core.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void hex32(const unsigned char h[32], char out[65])
{
	sodium_bin2hex(out, 65, h, 32);
}

static char *cache_key(tp_req *r, const unsigned char h[32])
{
	char hex[65];
	hex32(h, hex);
	return tp_printf(r, "tp:sess:%s", hex);
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

unsigned tp_viewer_rights(const tp_viewer *v, const char *area)
{
	if (v == NULL)
		return 0;
	if (v->kind == TP_USER_OPERATOR && v->is_admin)
		return TP_RIGHT_VIEW | TP_RIGHT_ADD | TP_RIGHT_UPDATE |
		       TP_RIGHT_DELETE;
	for (size_t i = 0; i < v->nrights; i++)
		if (strcmp(v->rights[i].area, area) == 0)
			return v->rights[i].rights;
	return 0;
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

/* ---- the cached form: a small JSON object ---- */

static char *viewer_json(tp_req *r, const tp_viewer *v, long long expires,
                         long long seen)
{
	json_object *o = json_object_new_object(),
	            *rt = json_object_new_object(),
	            *tm = json_object_new_array();
	json_object_object_add(o, "sid",
	                       json_object_new_int64((int64_t)v->session_id));
	json_object_object_add(o, "uid",
	                       json_object_new_int64((int64_t)v->user_id));
	json_object_object_add(o, "tid",
	                       json_object_new_int64((int64_t)v->tenant_id));
	json_object_object_add(o, "kind", json_object_new_int(v->kind));
	json_object_object_add(o, "pid",
	                       json_object_new_int64((int64_t)v->partner_id));
	json_object_object_add(o, "aid",
	                       json_object_new_int64((int64_t)v->account_id));
	json_object_object_add(
	    o, "vpid", json_object_new_int64((int64_t)v->view_partner_id));
	json_object_object_add(
	    o, "vaid", json_object_new_int64((int64_t)v->view_account_id));
	json_object_object_add(o, "adm", json_object_new_boolean(v->is_admin));
	json_object_object_add(o, "csrf", json_object_new_string(v->csrf));
	json_object_object_add(o, "login", json_object_new_string(v->login));
	json_object_object_add(o, "name", json_object_new_string(v->name));
	json_object_object_add(o, "viewing",
	                       json_object_new_string(v->viewing));
	json_object_object_add(o, "terms",
	                       json_object_new_boolean(v->terms_ok));
	json_object_object_add(o, "exp", json_object_new_int64(expires));
	json_object_object_add(o, "seen", json_object_new_int64(seen));
	for (size_t i = 0; i < v->nrights; i++)
		json_object_object_add(
		    rt, v->rights[i].area,
		    json_object_new_int((int)v->rights[i].rights));
	json_object_object_add(o, "rights", rt);
	for (char **m = v->tier_modules; m != NULL && *m != NULL; m++)
		json_object_array_add(tm, json_object_new_string(*m));
	json_object_object_add(o, "tier", v->tier_modules ? tm : NULL);
	if (v->tier_modules == NULL)
		json_object_put(tm);
	char *s = tp_strdup(
	    r, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return s;
}

static int64_t jint(json_object *o, const char *k)
{
	json_object *v;
	return json_object_object_get_ex(o, k, &v) ? json_object_get_int64(v)
	                                           : 0;
}

static const char *jstr(json_object *o, const char *k)
{
	json_object *v;
	return json_object_object_get_ex(o, k, &v) ? json_object_get_string(v)
	                                           : "";
}

static bool viewer_from_json(tp_req *r, const char *s, tp_viewer *v,
                             long long *expires, long long *seen)
{
	json_object *o = json_tokener_parse(s), *x;
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return false;
	}
	memset(v, 0, sizeof(*v));
	v->session_id = (uint64_t)jint(o, "sid");
	v->user_id = (uint64_t)jint(o, "uid");
	v->tenant_id = (uint64_t)jint(o, "tid");
	v->kind = (int)jint(o, "kind");
	v->partner_id = (uint64_t)jint(o, "pid");
	v->account_id = (uint64_t)jint(o, "aid");
	v->view_partner_id = (uint64_t)jint(o, "vpid");
	v->view_account_id = (uint64_t)jint(o, "vaid");
	v->is_admin = jint(o, "adm") != 0;
	snprintf(v->csrf, sizeof(v->csrf), "%s", jstr(o, "csrf"));
	snprintf(v->login, sizeof(v->login), "%s", jstr(o, "login"));
	snprintf(v->name, sizeof(v->name), "%s", jstr(o, "name"));
	snprintf(v->viewing, sizeof(v->viewing), "%s", jstr(o, "viewing"));
	v->terms_ok = jint(o, "terms") != 0;
	*expires = jint(o, "exp");
	*seen = jint(o, "seen");
	if (json_object_object_get_ex(o, "rights", &x) &&
	    json_object_is_type(x, json_type_object)) {
		json_object_object_foreach(x, k, val)
		{
			if (v->nrights == TP_MAX_AREAS ||
			    strlen(k) >= sizeof(v->rights[0].area))
				continue;
			strcpy(v->rights[v->nrights].area, k);
			v->rights[v->nrights].rights =
			    (unsigned)json_object_get_int(val);
			v->nrights++;
		}
	}
	if (json_object_object_get_ex(o, "tier", &x) &&
	    json_object_is_type(x, json_type_array)) {
		size_t n = json_object_array_length(x);
		char **l = calloc(n + 1, sizeof(*l));
		for (size_t i = 0; i < n; i++)
			l[i] = strdup(json_object_get_string(
			    json_object_array_get_idx(x, i)));
		v->tier_modules = l;
		tp_cleanup(r, free_list, l);
	}
	json_object_put(o);
	return v->user_id != 0;
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
	" ta.cleared = 0)) "

static const char session_sql[] =
    "SELECT s.id, s.user_id, s.tenant_id, s.csrf_token, "
    "IFNULL(s.view_partner_id, 0), IFNULL(s.view_account_id, 0), "
    "UNIX_TIMESTAMP(s.last_seen_at), "
    "UNIX_TIMESTAMP(s.expires_at), " USER_COLUMNS
    "COALESCE((SELECT vp.name FROM partners vp WHERE vp.id = "
    " COALESCE(s.view_partner_id, u.partner_id)), (SELECT va.name FROM "
    " accounts va WHERE va.id = COALESCE(s.view_account_id, u.account_id)), "
    " ''), " TERMS_COLUMN "FROM sessions s JOIN users u ON u.id = s.user_id "
    "JOIN tenants t ON t.id = s.tenant_id "
    "WHERE s.token_hash = ? AND s.revoked = 0";

/* An API token stands for its user like a session without a view, a CSRF
 * token or an idle limit: the same columns as session_sql. */
static const char token_sql[] =
    "SELECT k.id, u.id, u.tenant_id, '', 0, 0, "
    "UNIX_TIMESTAMP(NOW()), UNIX_TIMESTAMP(NOW()) + 86400, " USER_COLUMNS
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

/* Authorization: Bearer <token> -> the token's user, no CSRF needed (a
 * browser never sends it by itself). Cached under tp:tok:<hash> for a
 * minute; revoking drops the cached copy. */
static tp_rc token_load(tp_req *r, const char *tok)
{
	unsigned char h[32];
	char hex[65];
	long long expires, seen;
	tp_viewer *v = tp_alloc(r, sizeof(*v));

	tp_token_hash(tok, h);
	sodium_bin2hex(hex, sizeof(hex), h, 32);
	char *key = tp_printf(r, "tp:tok:%s", hex), *val;
	size_t len;
	if (tp_cache_get(r, key, &val, &len) != TP_OK ||
	    !viewer_from_json(r, val, v, &expires, &seen)) {
		tp_rc rc = load_viewer(r, token_sql, h, v, &expires, &seen);
		if (rc == TP_ENOENT)
			return TP_OK;
		if (rc != TP_OK)
			return rc;
		char *js = viewer_json(r, v, expires, seen);
		tp_cache_set(r, key, js, strlen(js), 60);
	}
	if (r->tenant == NULL || v->tenant_id != r->tenant->id)
		return TP_OK;
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
	unsigned char h[32];
	tp_viewer *v;
	long long expires = 0, seen = 0, now = (long long)time(NULL);
	bool from_cache = false;

	if (tok == NULL || !token_ok(tok))
		return TP_OK;
	tp_token_hash(tok, h);
	v = tp_alloc(r, sizeof(*v));
	char *key = cache_key(r, h), *val;
	size_t len;
	if (tp_cache_get(r, key, &val, &len) == TP_OK &&
	    viewer_from_json(r, val, v, &expires, &seen)) {
		from_cache = true;
	} else {
		tp_rc rc = load_db(r, h, v, &expires, &seen);
		if (rc == TP_ENOENT)
			return TP_OK;
		if (rc != TP_OK)
			return rc;
	}
	/* a session is good for its own brand only */
	if (r->tenant == NULL || v->tenant_id != r->tenant->id)
		return TP_OK;
	if (now >= expires || now - seen > r->cfg->session_idle) {
		if (from_cache)
			tp_cache_del(r, key);
		return TP_OK;
	}
	/* last seen is written at most once a minute */
	if (now - seen >= 60 || !from_cache) {
		if (now - seen >= 60) {
			tp_db_exec(tp_req_db(r), NULL,
			           "UPDATE sessions SET last_seen_at = "
			           "FROM_UNIXTIME(?) WHERE id = ?",
			           "II", (int64_t)now, (int64_t)v->session_id);
			seen = now;
		}
		long long ttl = expires - now;
		if (ttl > r->cfg->session_idle)
			ttl = r->cfg->session_idle;
		char *js = viewer_json(r, v, expires, seen);
		tp_cache_set(r, key, js, strlen(js),
		             (unsigned)(ttl > 0 ? ttl : 1));
	}
	memcpy(v->token_hash, h, 32);
	r->viewer = v;
	return TP_OK;
}

tp_rc tp_session_set_view(tp_req *r, uint64_t partner_id, uint64_t account_id)
{
	tp_viewer *v = r->viewer;
	if (v == NULL)
		return TP_EAUTH;
	if (v->via_token)
		return tp_fail(r, TP_EINVAL, NULL,
		               "an API token sees its user's own subtree; "
		               "switching the view needs a signed-in session");
	tp_rc rc = tp_db_exec(tp_req_db(r), NULL,
	                      "UPDATE sessions SET view_partner_id = NULLIF(?, "
	                      "0), view_account_id = NULLIF(?, 0) WHERE id = ?",
	                      "III", (int64_t)partner_id, (int64_t)account_id,
	                      (int64_t)v->session_id);
	if (rc != TP_OK)
		return rc;
	/* the next request reads the new view from MariaDB */
	tp_cache_del(r, cache_key(r, v->token_hash));
	return TP_OK;
}

/* Drops the cached viewers under prefix of the token hashes sql returns. */
static tp_rc uncache(tp_req *r, const char *prefix, const char *sql,
                     uint64_t id)
{
	tp_rows *rs;
	char hex[65];
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs, sql, "I", (int64_t)id);
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		hex32((const unsigned char *)tp_rows_get(rs, i, 0), hex);
		tp_cache_del(r, tp_printf(r, "%s%s", prefix, hex));
	}
	return TP_OK;
}

tp_rc tp_sessions_uncache(tp_req *r, const char *sql, uint64_t id)
{
	return uncache(r, "tp:sess:", sql, id);
}

tp_rc tp_tokens_uncache(tp_req *r, const char *sql, uint64_t id)
{
	return uncache(r, "tp:tok:", sql, id);
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
	bool host_prefix = strncmp(name, "__Host-", 7) == 0;
	tp_set_header(r, "Set-Cookie",
	              tp_printf(r, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s",
	                        name, value, host_prefix ? "; Secure" : "",
	                        max_age >= 0
	                            ? tp_printf(r, "; Max-Age=%ld", max_age)
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
	for (size_t i = 0; i < tp_rows_count(rs); i++)
		tp_cache_del(r, cache_key(r, (const unsigned char *)tp_rows_get(
		                                 rs, i, 0)));
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
		               "the form has expired or did not come from "
		               "this site; reload the page and try again");
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
