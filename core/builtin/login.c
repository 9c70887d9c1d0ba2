/*
 * login.c -- the core's identity routes: login and logout (HTML form and
 * JSON API), "logout everywhere", and /me. Wrong password, unknown user
 * and locked user look the same to the caller, in message and in timing
 * (a password hash is always verified). The double-submit token of the
 * forms used before sign-in (tp_pre cookie) is here for password_reset.c
 * too.
 */
#include "config.h"
#include "builtin/builtin.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PRE_COOKIE "tp_pre"
#define BAD_LOGIN  _("Wrong login or password.")

/* A hash of a random password, verified when there is no such user so
 * that a missing user costs what a wrong password costs. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	char pw[44], *h = NULL;
	tp_token_new(pw);
	if (tp_password_hash(pw, &h) == TP_OK) {
		snprintf(dummy_hash, sizeof(dummy_hash), "%s", h);
		free(h);
	}
}

/* "next" must stay on this site (tp_local_path); else the home page */
static const char *safe_next(const char *next)
{
	return tp_local_path(next) ? next : "/";
}

/* The cookie of the double-submit token guards only the pages under the
 * first segment of the request path: "/login", "/password". */
static const char *pre_path(tp_req *r)
{
	const char *p = r->path != NULL && r->path[0] == '/' ? r->path : "/";
	size_t n = 1 + strcspn(p + 1, "/");
	return tp_strndup(r, p, n);
}

void tp_pre_token(tp_req *r, json_object *v)
{
	char tok[44];
	const char *have = tp_cookie(r, PRE_COOKIE);
	if (have != NULL && strlen(have) == 43) {
		snprintf(tok, sizeof(tok), "%s", have);
	} else {
		tp_token_new(tok);
		tp_set_header(r, "Set-Cookie",
		              tp_printf(r,
		                        "%s=%s; Path=%s; HttpOnly; "
		                        "SameSite=Strict; Max-Age=3600%s",
		                        PRE_COOKIE, tok, pre_path(r),
		                        tp_cookie_secure(r) ? "; Secure" : ""));
	}
	json_object_object_add(v, "csrf", json_object_new_string(tok));
}

bool tp_pre_check(tp_req *r)
{
	const char *sent = tp_form(r, "_csrf"), *pre = tp_cookie(r, PRE_COOKIE);
	return sent != NULL && pre != NULL && strlen(pre) == 43 &&
	       strlen(sent) == 43 && sodium_memcmp(sent, pre, 43) == 0;
}

static void form_view(tp_req *r, const char *login, const char *next)
{
	json_object *v = tp_view(r);
	tp_pre_token(r, v);
	json_object_object_add(v, "login",
	                       json_object_new_string(login ? login : ""));
	json_object_object_add(v, "next",
	                       json_object_new_string(safe_next(next)));
	if (r->tenant != NULL)
		json_object_object_add(v, "brand_name",
		                       json_object_new_string(r->tenant->name));
	tp_view_title(r, _("Sign in"));
}

static tp_rc login_form(tp_req *r)
{
	form_view(r, NULL, tp_query(r, "next"));
	/* back from /password/reset */
	if (tp_query(r, "reset") != NULL)
		json_object_object_add(tp_view(r), "reset_done",
		                       json_object_new_boolean(1));
	return TP_OK;
}

/* Checks login/password for r's brand; *uid on success. Always does the
 * same work: one user lookup, one hash verification. */
#define NEED_TOTP                                                              \
	_("Two-factor sign-in must be set up for this login first; ask your "  \
	  "operator (tierportctl user totp).")

/* What a login attempt reads about the user; its status is 'active' only
 * when nothing above it (partner, account) stops it either. */
#define LOGIN_COLUMNS                                                          \
	"SELECT u.id, u.password_hash, IF(" TP_USER_ACTIVE_SQL                 \
	", 'active', 'disabled'), "                                            \
	"IFNULL(UNIX_TIMESTAMP(u.locked_until), 0), u.failed_logins, "         \
	"u.totp_secret, u.kind = 'operator' AND u.is_admin FROM users u "

/* Which users a login name may be (tp_login_as): the name decides,
 * unless the client still says (the old "as" field). Each takes the brand
 * id, the login and the brand's customers_first ("Isi"). */
static const char where_any[] =
    "WHERE u.tenant_id = ? AND u.login = ? ORDER BY (u.kind = 'customer') "
    "= ? DESC, u.kind = 'operator' DESC LIMIT 1";
static const char where_customer[] =
    "WHERE u.tenant_id = ? AND u.kind = 'customer' AND u.login = ? AND ? "
    "IN (0, 1)";
static const char where_staff[] =
    "WHERE u.tenant_id = ? AND u.kind IN ('operator', 'partner') AND "
    "u.login = ? AND ? IN (0, 1) ORDER BY u.kind = 'operator' DESC LIMIT 1";

int tp_login_as(const char *as)
{
	if (as == NULL || *as == '\0')
		return TP_LOGIN_ANY;
	/* before sign-in detected the kind, anything else meant "partner" */
	return strcmp(as, "customer") == 0 ? TP_LOGIN_CUSTOMER : TP_LOGIN_STAFF;
}

const char *tp_login_where(int as)
{
	return as == TP_LOGIN_CUSTOMER ? where_customer
	       : as == TP_LOGIN_STAFF  ? where_staff
	                               : where_any;
}

/* Checks login/password (and the one-time code where the login has a
 * TOTP secret) for r's brand; *uid on success. Always does the same work:
 * one user lookup, one hash verification. A name that is both a
 * customer's (an account number) and a partner's or an operator's is the
 * one the brand puts first (tenants.login_first); the other is not tried,
 * so a wrong password costs one verification whatever the name. TP_EPERM:
 * right password, but an operator admin without two-factor set up. */
static tp_rc authenticate(tp_req *r, const char *login, const char *password,
                          const char *otp, int as, uint64_t *uid)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	long long now = (long long)time(NULL);

	pthread_once(&dummy_once, make_dummy);
	tp_rc rc = tp_db_query(
	    db, r, &rs, tp_printf(r, "%s%s", LOGIN_COLUMNS, tp_login_where(as)),
	    "Isi", (int64_t)r->tenant->id, login,
	    (int)r->tenant->customers_first);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0) {
		tp_password_verify(dummy_hash, password);
		tp_audit(r, r->tenant->id, 0, "login.unknown", "user", 0, NULL);
		return TP_EAUTH;
	}
	uint64_t id = (uint64_t)tp_rows_i64(rs, 0, 0);
	bool ok = tp_password_verify(tp_rows_get(rs, 0, 1), password) == TP_OK;
	bool active = strcmp(tp_rows_get(rs, 0, 2), "active") == 0;
	bool locked = tp_rows_i64(rs, 0, 3) > now;
	const char *stored = tp_rows_get(rs, 0, 5);
	bool has_2fa = stored != NULL && *stored != '\0';
	bool must_2fa = tp_rows_i64(rs, 0, 6) != 0;
	int64_t step = 0;
	/* a wrong or missing code counts as a wrong password */
	if (ok && has_2fa) {
		char secret[33];
		tp_rc src = tp_totp_secret_open(stored, secret);
		if (src != TP_OK)
			tp_log(TP_LOG_ERR, "TP1701",
			       "user %llu: the two-factor secret cannot be "
			       "opened (%s): is [security] key_file the one "
			       "it was sealed with? was `tierportctl migrate` "
			       "run?",
			       (unsigned long long)id, tp_rc_code(src));
		ok = src == TP_OK &&
		     tp_totp_check_step(secret, otp, &step) == TP_OK;
		sodium_memzero(secret, sizeof(secret));
	}
	if (ok && active && !locked && must_2fa && !has_2fa) {
		tp_audit(r, r->tenant->id, id, "login.no2fa", "user", id, NULL);
		return TP_EPERM;
	}
	/* a code is taken once: its time step must be newer than the last
	 * one used (one UPDATE, so two sign-ins racing with the same code
	 * cannot both win); a replay is refused as a wrong code */
	if (ok && active && !locked && has_2fa) {
		uint64_t n = 0;
		tp_rc urc = tp_db_exec(db, &n,
		                       "UPDATE users SET totp_last_step = ? "
		                       "WHERE id = ? AND (totp_last_step IS "
		                       "NULL OR totp_last_step < ?)",
		                       "III", step, (int64_t)id, step);
		if (urc != TP_OK)
			return urc;
		if (n == 0) {
			ok = false;
			tp_audit(r, r->tenant->id, id, "login.otp_reused",
			         "user", id, NULL);
		}
	}
	if (ok && active && !locked) {
		tp_db_exec(db, NULL,
		           "UPDATE users SET failed_logins = 0, locked_until = "
		           "NULL WHERE id = ?",
		           "I", (int64_t)id);
		*uid = id;
		return TP_OK;
	}
	if (!ok && active && !locked) {
		/* the last allowed failure locks the login for a while */
		int64_t failed = tp_rows_i64(rs, 0, 4) + 1;
		bool lock = failed >= r->cfg->login_max_failures;
		tp_db_exec(db, NULL,
		           "UPDATE users SET failed_logins = ?, locked_until = "
		           "IF(? > 0, FROM_UNIXTIME(?), NULL) WHERE id = ?",
		           "IiII", lock ? (int64_t)0 : failed, (int)lock,
		           (int64_t)(now + r->cfg->login_lock_seconds),
		           (int64_t)id);
	}
	tp_audit(r, r->tenant->id, id,
	         locked    ? "login.locked"
	         : !active ? "login.disabled"
	                   : "login.failed",
	         "user", id, NULL);
	return TP_EAUTH;
}

/* A fresh session for uid and its user.signed_in event, in one
 * transaction: a module never hears of a sign-in that did not happen. */
static tp_rc session_open(tp_req *r, uint64_t uid)
{
	tp_db *db = tp_req_db(r);
	tp_rc rc = tp_db_begin(db);

	if (rc == TP_OK)
		rc = tp_session_create(r, uid);
	if (rc == TP_OK && r->viewer != NULL) {
		static const char *const kinds[] = {"", "operator", "partner",
		                                    "customer"};
		const tp_viewer *v = r->viewer;
		json_object *ev = json_object_new_object();
		json_object_object_add(ev, "user_id",
		                       json_object_new_int64((int64_t)uid));
		json_object_object_add(
		    ev, "kind",
		    json_object_new_string(
		        v->kind >= 1 && v->kind <= 3 ? kinds[v->kind] : ""));
		json_object_object_add(
		    ev, "via",
		    json_object_new_string(tp_wants_json(r) ? "api" : "form"));
		rc = tp_event_emit(r, "user.signed_in", v->partner_id,
		                   v->account_id, ev);
	}
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	if (rc != TP_OK) {
		tp_db_rollback(db);
		r->viewer =
		    NULL; /* its session row is gone with the rollback */
	}
	return rc;
}

static tp_rc login_post(tp_req *r)
{
	const char *login = tp_form(r, "login"), *pw = tp_form(r, "password");
	const char *as = tp_form(r, "as"), *next = tp_form(r, "next");
	uint64_t uid;

	if (!tp_pre_check(r)) {
		form_view(r, login, next);
		return tp_fail(
		    r, TP_EPERM, "_csrf",
		    _("The form has expired. Please sign in again."));
	}
	if (login == NULL || *login == '\0' || pw == NULL || *pw == '\0') {
		form_view(r, login, next);
		return tp_fail(r, TP_EINVAL,
		               login && *login ? "password" : "login",
		               _("Enter your login and password."));
	}
	tp_rc rc = authenticate(r, login, pw, tp_form(r, "otp"),
	                        tp_login_as(as), &uid);
	if (rc == TP_EAUTH) {
		form_view(r, login, next);
		tp_set_status(r, 401);
		return tp_fail(r, TP_EINVAL, "login", BAD_LOGIN);
	}
	if (rc == TP_EPERM) {
		form_view(r, login, next);
		return tp_fail(r, TP_EPERM, "otp", NEED_TOTP);
	}
	if (rc != TP_OK)
		return rc;
	/* a fresh token: whatever cookie came in never becomes a session */
	if ((rc = session_open(r, uid)) != TP_OK)
		return rc;
	tp_audit(r, r->tenant->id, uid, "login", "user", uid, NULL);
	tp_set_header(r, "Location", safe_next(next));
	tp_set_status(r, 303);
	return TP_OK;
}

static void viewer_view(tp_req *r, json_object *v)
{
	const tp_viewer *w = r->viewer;
	static const char *const kinds[] = {"", "operator", "partner",
	                                    "customer"};
	json_object *u = json_object_new_object(),
	            *rights = json_object_new_object();
	json_object_object_add(u, "id",
	                       json_object_new_int64((int64_t)w->user_id));
	json_object_object_add(u, "login", json_object_new_string(w->login));
	json_object_object_add(u, "name", json_object_new_string(w->name));
	json_object_object_add(
	    u, "kind",
	    json_object_new_string(
	        kinds[w->kind >= 1 && w->kind <= 3 ? w->kind : 0]));
	json_object_object_add(u, "admin",
	                       json_object_new_boolean(w->is_admin));
	if (w->partner_id)
		json_object_object_add(
		    u, "partner_id",
		    json_object_new_int64((int64_t)w->partner_id));
	if (w->account_id)
		json_object_object_add(
		    u, "account_id",
		    json_object_new_int64((int64_t)w->account_id));
	for (size_t i = 0; i < w->nrights; i++)
		json_object_object_add(
		    rights, w->rights[i].area,
		    json_object_new_int((int)w->rights[i].rights));
	json_object_object_add(u, "rights", rights);
	json_object_object_add(v, "user", u);
	json_object_object_add(v, "viewing",
	                       json_object_new_string(w->viewing));
	json_object_object_add(v, "csrf_token",
	                       json_object_new_string(w->csrf));
}

/* POST /api/v1/session {"login", "password"[, "otp"][, "as"]}: JSON only,
 * so a cross-site form cannot post it. "as" ("customer" or "partner") is
 * optional: without it the login name decides (authenticate). */
static tp_rc api_login(tp_req *r)
{
	json_object *b = tp_body_json(r), *x;
	const char *login = NULL, *pw = NULL, *as = NULL;
	uint64_t uid;

	if (b == NULL || !json_object_is_type(b, json_type_object))
		return tp_fail(r, TP_EINVAL, NULL,
		               "send a JSON object with login and password");
	if (json_object_object_get_ex(b, "login", &x) &&
	    json_object_is_type(x, json_type_string))
		login = json_object_get_string(x);
	if (json_object_object_get_ex(b, "password", &x) &&
	    json_object_is_type(x, json_type_string))
		pw = json_object_get_string(x);
	if (json_object_object_get_ex(b, "as", &x) &&
	    json_object_is_type(x, json_type_string))
		as = json_object_get_string(x);
	if (login == NULL || *login == '\0')
		return tp_fail(r, TP_EINVAL, "login", "login is required");
	if (pw == NULL || *pw == '\0')
		return tp_fail(r, TP_EINVAL, "password",
		               "password is required");
	const char *otp = NULL;
	if (json_object_object_get_ex(b, "otp", &x) &&
	    json_object_is_type(x, json_type_string))
		otp = json_object_get_string(x);
	tp_rc rc = authenticate(r, login, pw, otp, tp_login_as(as), &uid);
	if (rc == TP_EAUTH)
		return tp_fail(r, TP_EAUTH, "login", BAD_LOGIN);
	if (rc == TP_EPERM)
		return tp_fail(r, TP_EPERM, "otp", NEED_TOTP);
	if (rc != TP_OK)
		return rc;
	if ((rc = session_open(r, uid)) != TP_OK)
		return rc;
	if (r->viewer == NULL)
		return TP_EINTERNAL;
	tp_audit(r, r->tenant->id, uid, "login", "user", uid, NULL);
	viewer_view(r, tp_view(r));
	tp_set_status(r, 201);
	return TP_OK;
}

static tp_rc logout(tp_req *r)
{
	bool everywhere = tp_form(r, "everywhere") != NULL ||
	                  strstr(r->path, "everywhere") != NULL;
	uint64_t uid = r->viewer->user_id;
	tp_rc rc = tp_session_end(r, everywhere);
	if (rc != TP_OK)
		return rc;
	tp_audit(r, r->tenant->id, uid,
	         everywhere ? "logout.everywhere" : "logout", "user", uid,
	         NULL);
	if (r->api) {
		tp_set_status(r, 204);
		return TP_OK;
	}
	tp_set_header(r, "Location", "/login");
	tp_set_status(r, 303);
	return TP_OK;
}

static tp_rc me(tp_req *r)
{
	viewer_view(r, tp_view(r));
	tp_view_title(r, _("My login"));
	return TP_OK;
}

static const tp_route login_routes[] = {
    {.methods = TP_GET,
     .path = "/login",
     .handler = login_form,
     .tmpl = "login.tpl",
     .flags = TP_ROUTE_PUBLIC | TP_ROUTE_HTML_ONLY},
    {.methods = TP_POST,
     .path = "/login",
     .handler = login_post,
     .tmpl = "login.tpl",
     .flags = TP_ROUTE_PUBLIC | TP_ROUTE_HTML_ONLY},
    {.methods = TP_POST,
     .path = "/session",
     .handler = api_login,
     .flags = TP_ROUTE_PUBLIC | TP_ROUTE_API_ONLY},
    {.methods = TP_POST,
     .path = "/logout",
     .handler = logout,
     .flags = TP_ROUTE_HTML_ONLY | TP_ROUTE_BEFORE_TERMS | TP_ROUTE_VIEW_SAFE},
    {.methods = TP_POST,
     .path = "/logout/everywhere",
     .handler = logout,
     .flags = TP_ROUTE_HTML_ONLY | TP_ROUTE_BEFORE_TERMS | TP_ROUTE_VIEW_SAFE},
    {.methods = TP_DELETE,
     .path = "/session",
     .handler = logout,
     .flags = TP_ROUTE_API_ONLY | TP_ROUTE_BEFORE_TERMS | TP_ROUTE_VIEW_SAFE},
    {.methods = TP_DELETE,
     .path = "/session/everywhere",
     .handler = logout,
     .flags = TP_ROUTE_API_ONLY | TP_ROUTE_BEFORE_TERMS | TP_ROUTE_VIEW_SAFE},
    {.methods = TP_GET,
     .path = "/me",
     .handler = me,
     .tmpl = "me.tpl",
     .flags = TP_ROUTE_BEFORE_TERMS},
    {0}};

tp_rc tp_login_routes_add(tp_router *rt)
{
	return tp_router_add_table(rt, login_routes);
}
