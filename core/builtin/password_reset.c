/*
 * password_reset.c -- a forgotten password, by e-mail. POST /password/forgot
 * takes a login (or account number) and, when it names an active user with
 * an e-mail address, stores the hash of a one-hour token in password_resets
 * and a mail with the link in mail_outbox, in one transaction (`tierportctl
 * mail send` delivers it). POST /password/reset takes the token and a new
 * password: the password is set, every link and session of the user ends
 * and the login is unlocked, again in one transaction.
 *
 * Whether a login exists is never told: the answer and its status are the
 * same, and so is the work (one user lookup, one count, one transaction)
 * up to the two inserts. No password is hashed on the way in. The HTML
 * forms carry the double-submit token of the sign-in page (tp_pre_token);
 * the API takes JSON only, which a cross-site form cannot send.
 */
#include "config.h"
#include "builtin/builtin.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define RESET_TTL      3600 /* seconds a link works */
#define RESET_MAX_OPEN 3    /* unexpired, unused links per user at a time */

#define SENT_MSG                                                               \
	_("If that login exists and has an e-mail address, we have sent a "    \
	  "link to it. The link works for one hour.")
#define BAD_TOKEN _("This link has expired or was already used.")
#define BAD_CODE  _("The security code is wrong.")

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

/* A field of the HTML form, or of the JSON object the API takes. */
static const char *field(tp_req *r, const char *name)
{
	if (!r->api)
		return tp_form(r, name);
	json_object *b = tp_body_json(r), *x;
	if (b != NULL && json_object_is_type(b, json_type_object) &&
	    json_object_object_get_ex(b, name, &x) &&
	    json_object_is_type(x, json_type_string))
		return json_object_get_string(x);
	return NULL;
}

static tp_rc need_json(tp_req *r, const char *what)
{
	json_object *b = tp_body_json(r);
	if (b == NULL || !json_object_is_type(b, json_type_object))
		return tp_fail(r, TP_EINVAL, NULL, "send a JSON object with %s",
		               what);
	return TP_OK;
}

/* Pages that carry the token are not cached. (nginx sends Referrer-Policy
 * strict-origin-when-cross-origin: no other site sees the token in a
 * Referer.) */
static void private_page(tp_req *r)
{
	tp_set_header(r, "Cache-Control", "no-store");
}

/* ---- forgot ---- */

static void forgot_view(tp_req *r, const char *login, bool sent)
{
	json_object *v = tp_view(r);
	if (r->api) {
		add_str(v, "message", SENT_MSG);
		return;
	}
	tp_pre_token(r, v);
	add_str(v, "login", login);
	json_object_object_add(v, "sent", json_object_new_boolean(sent));
	if (sent)
		add_str(v, "message", SENT_MSG);
	if (r->tenant != NULL)
		add_str(v, "brand_name", r->tenant->name);
	tp_view_title(r, _("Forgotten password"));
}

static tp_rc forgot_form(tp_req *r)
{
	forgot_view(r, NULL, false);
	return TP_OK;
}

/* The mail's text: plain, lines kept short, LF (the sender makes CRLF). */
static const char *mail_body(tp_req *r, const char *name, const char *login,
                             const char *link)
{
	return tp_printf(
	    r,
	    /* TRANSLATORS: an e-mail: the name, the brand, the login, the
	       link, the brand; keep the lines short */
	    _("Hello %s,\n\n"
	      "someone, hopefully you, asked to reset the password of your\n"
	      "%s login \"%s\".\n\n"
	      "To choose a new password, open this link within one hour:\n\n"
	      "%s\n\n"
	      "The link works once. If you did not ask for this, ignore this\n"
	      "message: your password stays as it is.\n\n"
	      "-- \n%s\n"),
	    *name ? name : login, r->tenant->name, login, link,
	    r->tenant->name);
}

/* Stores a link and its mail for the user, if one is due. *result says
 * what happened, for the audit log only. */
static tp_rc forgot_request(tp_req *r, const char *login, int as,
                            const char **result)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	uint64_t uid = 0;
	int64_t tenant = (int64_t)r->tenant->id;

	/* the lookup a sign-in makes (login.c), found or not */
	tp_rc rc = tp_db_query(
	    db, r, &rs,
	    tp_printf(r,
	              "SELECT u.id, u.status = 'active', IFNULL(u.email, ''), "
	              "u.name, u.login, u.kind FROM users u %s",
	              tp_login_where(as)),
	    "Isi", tenant, login, (int)r->tenant->customers_first);
	if (rc != TP_OK)
		return rc;
	bool found = tp_rows_count(rs) > 0;
	if (found)
		uid = (uint64_t)tp_rows_i64(rs, 0, 0);
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	/* the user's row serialises requests for one user, so the limit
	 * holds under concurrency; the count runs either way */
	tp_rows *lk, *cnt;
	if (found)
		rc = tp_db_query(db, r, &lk,
		                 "SELECT id FROM users WHERE id = ? FOR UPDATE",
		                 "I", (int64_t)uid);
	if (rc == TP_OK)
		rc = tp_db_query(db, r, &cnt,
		                 "SELECT COUNT(*) FROM password_resets WHERE "
		                 "user_id = ? AND used_at IS NULL AND "
		                 "expires_at > NOW()",
		                 "I", (int64_t)uid);
	if (rc != TP_OK)
		goto fail;

	if (!found)
		*result = "unknown";
	else if (tp_rows_i64(rs, 0, 1) == 0)
		*result = "disabled";
	else if (*tp_rows_get(rs, 0, 2) == '\0')
		*result = "no_email";
	else if (tp_rows_i64(cnt, 0, 0) >= RESET_MAX_OPEN)
		*result = "limited";
	else
		*result = "sent";

	if (strcmp(*result, "sent") == 0) {
		char token[44];
		unsigned char h[32];
		tp_token_new(token);
		tp_token_hash(token, h);
		/* the brand's own address, never the Host header's */
		const char *link = tp_brand_url(
		    r, tp_printf(r, "/password/reset?token=%s", token));
		if (link == NULL) { /* the brand is known here: never */
			tp_log(TP_LOG_ERR, "TP1003",
			       "no base URL for the link");
			rc = TP_EINTERNAL;
			goto fail;
		}
		sodium_memzero(token, sizeof(token));
		/* links long dead are of no use to anyone */
		rc = tp_db_exec(db, NULL,
		                "DELETE FROM password_resets WHERE user_id = ? "
		                "AND expires_at < NOW() - INTERVAL 1 DAY",
		                "I", (int64_t)uid);
		if (rc == TP_OK)
			rc = tp_db_exec(
			    db, NULL,
			    "INSERT INTO password_resets (token_hash, "
			    "user_id, expires_at) VALUES (?, ?, "
			    "NOW() + INTERVAL ? SECOND)",
			    "bIi", h, (size_t)32, (int64_t)uid, RESET_TTL);
		if (rc == TP_OK)
			rc = tp_db_exec(
			    db, NULL,
			    "INSERT INTO mail_outbox (tenant_id, to_addr, "
			    "subject, body) VALUES (?, ?, LEFT(?, 255), ?)",
			    "Isss", tenant, tp_rows_get(rs, 0, 2),
			    tp_printf(r, _("Reset your %s password"),
			              r->tenant->name),
			    mail_body(r, tp_rows_get(rs, 0, 3),
			              tp_rows_get(rs, 0, 4), link));
		if (rc != TP_OK)
			goto fail;
	}
	tp_audit(r, r->tenant->id, uid, "password.forgot", "user", uid,
	         tp_printf(r, "{\"result\":\"%s\",\"as\":\"%s\"}", *result,
	                   found ? tp_rows_get(rs, 0, 5) : "unknown"));
	if ((rc = tp_db_commit(db)) != TP_OK)
		goto fail;
	if (strcmp(*result, "sent") == 0)
		tp_log(TP_LOG_INFO, "TP1001",
		       "password reset link for user %llu queued",
		       (unsigned long long)uid);
	return TP_OK;
fail:
	tp_db_rollback(db);
	return rc;
}

static tp_rc forgot_post(tp_req *r)
{
	const char *login = field(r, "login"), *as = field(r, "as");
	const char *result = "";
	tp_rc rc;

	if (r->api && (rc = need_json(r, "login")) != TP_OK)
		return rc;
	if (!r->api && !tp_pre_check(r)) {
		forgot_view(r, login, false);
		return tp_fail(r, TP_EPERM, "_csrf",
		               _("The form has expired. Please try again."));
	}
	if (login == NULL || *login == '\0') {
		forgot_view(r, login, false);
		return tp_fail(r, TP_EINVAL, "login",
		               _("Enter your login or account number."));
	}
	if ((rc = forgot_request(r, login, tp_login_as(as), &result)) != TP_OK)
		return rc;
	/* the same answer whatever result says */
	forgot_view(r, "", true);
	if (r->api)
		tp_set_status(r, 202);
	return TP_OK;
}

/* ---- reset ---- */

/* The user whose unexpired, unused link of this brand the token is; 0 if
 * none (also for a disabled user), and the hash of the user's security
 * code (NULL: none; request-owned). lock: FOR UPDATE, inside the caller's
 * transaction. */
static tp_rc token_user(tp_req *r, const char *token, bool lock, uint64_t *uid,
                        const char **code_hash)
{
	unsigned char h[32];
	tp_rows *rs;

	*uid = 0;
	*code_hash = NULL;
	if (token == NULL || strlen(token) != 43)
		return TP_OK;
	tp_token_hash(token, h);
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    lock ? "SELECT pr.user_id, u.security_code_hash FROM "
	           "password_resets pr JOIN users u ON u.id = pr.user_id "
	           "WHERE pr.token_hash = ? AND pr.used_at IS NULL AND "
	           "pr.expires_at > NOW() AND u.tenant_id = ? AND u.status = "
	           "'active' FOR UPDATE"
	         : "SELECT pr.user_id, u.security_code_hash FROM "
	           "password_resets pr JOIN users u ON u.id = pr.user_id "
	           "WHERE pr.token_hash = ? AND pr.used_at IS NULL AND "
	           "pr.expires_at > NOW() AND u.tenant_id = ? AND u.status = "
	           "'active'",
	    "bI", h, (size_t)32, (int64_t)r->tenant->id);
	if (rc == TP_OK && tp_rows_count(rs) > 0) {
		*uid = (uint64_t)tp_rows_i64(rs, 0, 0);
		*code_hash = tp_rows_get(rs, 0, 1);
	}
	return rc;
}

/* Two stored hashes (or none) are the same. */
static bool same_hash(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

/* code: the user has a security code, so the form asks for it */
static void reset_view(tp_req *r, const char *token, bool link_ok, bool code)
{
	json_object *v = tp_view(r);
	private_page(r);
	if (r->api)
		return;
	tp_pre_token(r, v);
	add_str(v, "token", token);
	json_object_object_add(v, "link_ok", json_object_new_boolean(link_ok));
	json_object_object_add(v, "needs_code", json_object_new_boolean(code));
	tp_view_title(r, _("Choose a new password"));
}

static tp_rc bad_token(tp_req *r, const char *token)
{
	reset_view(r, token, false, false);
	tp_audit(r, r->tenant->id, 0, "password.reset.invalid", "user", 0,
	         NULL);
	return tp_fail(r, TP_EINVAL, "token", BAD_TOKEN);
}

/* GET /password/reset?token=T (the mail's link): the form, or at once
 * the news that the link is dead. The API asks with POST
 * /api/v1/password/reset/check {"token": T}, which answers
 * {"valid": true} or the same 400: a token in a query string would be
 * in nginx's access log (which also hides this page's; nginx/). */
static tp_rc reset_form(tp_req *r)
{
	const char *token = r->api ? field(r, "token") : tp_query(r, "token");
	const char *code_hash;
	tp_rc rc0;
	if (r->api && (rc0 = need_json(r, "token")) != TP_OK)
		return rc0;
	uint64_t uid;
	tp_rc rc = token_user(r, token, false, &uid, &code_hash);
	if (rc != TP_OK)
		return rc;
	if (uid == 0)
		return bad_token(r, token);
	reset_view(r, token, true, code_hash != NULL);
	if (r->api) {
		json_object_object_add(tp_view(r), "valid",
		                       json_object_new_boolean(1));
		json_object_object_add(
		    tp_view(r), "security_code",
		    json_object_new_boolean(code_hash != NULL));
	}
	return TP_OK;
}

/* The security code of a reset, for a user who has one. A wrong code is a
 * failed sign-in: it counts in users.failed_logins, and the one that
 * reaches [session] max_failures locks the login for lock_seconds, as in
 * login.c. An attempt is taken in one UPDATE before the (slow) check, so
 * concurrent guesses cannot run past the limit; while the login is locked
 * none is taken and no code is tried. A right code leaves the attempt
 * counted: the reset that follows sets the counter to 0. TP_OK when the
 * code is right, else the form again (nothing changed). */
static tp_rc check_code(tp_req *r, const char *token, uint64_t uid,
                        const char *code_hash)
{
	const char *code = field(r, "security_code");
	tp_db *db = tp_req_db(r);
	int64_t max = r->cfg->login_max_failures;
	uint64_t n = 0;

	tp_rc rc = tp_db_exec(db, &n,
	                      "UPDATE users SET failed_logins = failed_logins "
	                      "+ 1 WHERE id = ? AND failed_logins < ? AND "
	                      "(locked_until IS NULL OR locked_until <= "
	                      "NOW())",
	                      "II", (int64_t)uid, max);
	if (rc != TP_OK)
		return rc;
	if (n == 0) {
		tp_audit(r, r->tenant->id, uid, "password.reset.locked", "user",
		         uid, NULL);
		reset_view(r, token, true, true);
		return tp_fail(
		    r, TP_EPERM, "security_code",
		    _("Too many wrong attempts: this login is locked "
		      "for up to %d minutes. Try again later."),
		    (r->cfg->login_lock_seconds + 59) / 60);
	}
	if (code != NULL && tp_password_verify(code_hash, code) == TP_OK)
		return TP_OK;
	/* the last allowed failure locks the login */
	rc = tp_db_exec(db, &n,
	                "UPDATE users SET failed_logins = 0, locked_until = "
	                "NOW() + INTERVAL ? SECOND WHERE id = ? AND "
	                "failed_logins >= ?",
	                "IIi", (int64_t)r->cfg->login_lock_seconds,
	                (int64_t)uid, (int)max);
	if (rc != TP_OK)
		return rc;
	tp_audit(r, r->tenant->id, uid, "password.reset.bad_code", "user", uid,
	         n > 0 ? "{\"locked\":true}" : "{\"locked\":false}");
	reset_view(r, token, true, true);
	return tp_fail(r, TP_EINVAL, "security_code", "%s",
	               code == NULL || *code == '\0'
	                   ? _("Enter your security code.")
	                   : BAD_CODE);
}

static tp_rc reset_post(tp_req *r)
{
	const char *token = field(r, "token"), *pw = field(r, "new_password");
	const char *again = field(r, "confirm_password"), *weak, *code_hash;
	tp_db *db = tp_req_db(r);
	uint64_t uid, n = 0;
	char *hash = NULL;
	tp_rc rc;

	if (r->api && (rc = need_json(r, "token and new_password")) != TP_OK)
		return rc;
	/* the link first: a dead one makes the rest moot */
	if ((rc = token_user(r, token, false, &uid, &code_hash)) != TP_OK)
		return rc;
	if (!r->api && !tp_pre_check(r)) {
		reset_view(r, token, true, code_hash != NULL);
		return tp_fail(r, TP_EPERM, "_csrf",
		               _("The form has expired. Please open the link "
		                 "again."));
	}
	if (uid == 0)
		return bad_token(r, token);
	if (pw == NULL || (weak = tp_password_weak(pw)) != NULL) {
		reset_view(r, token, true, code_hash != NULL);
		return tp_fail(r, TP_EINVAL, "new_password", "%s",
		               pw == NULL ? _("Enter a new password.") : weak);
	}
	if (again != NULL && strcmp(pw, again) != 0) {
		reset_view(r, token, true, code_hash != NULL);
		return tp_fail(r, TP_EINVAL, "confirm_password",
		               _("The two new passwords differ."));
	}
	/* the code last: only a reset that would go through spends an
	 * attempt */
	if (code_hash != NULL &&
	    (rc = check_code(r, token, uid, code_hash)) != TP_OK)
		return rc;
	/* hashed before the transaction: no lock is held for its 64 MiB */
	if (tp_password_hash(pw, &hash) != TP_OK)
		return TP_EINTERNAL;
	tp_cleanup(r, free, hash);

	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	uint64_t locked;
	const char *locked_code;
	rc = token_user(r, token, true, &locked, &locked_code);
	if (rc == TP_OK && locked != uid) {
		/* used (or expired) since the check above */
		tp_db_rollback(db);
		return bad_token(r, token);
	}
	if (rc == TP_OK && !same_hash(locked_code, code_hash)) {
		/* the code was set, changed or removed since it was checked */
		tp_db_rollback(db);
		reset_view(r, token, true, locked_code != NULL);
		return tp_fail(r, TP_ECONFLICT, "security_code",
		               _("The security code has just changed. Please "
		                 "try again."));
	}
	if (rc == TP_OK)
		rc = tp_db_exec(
		    db, NULL,
		    "UPDATE users SET password_hash = ?, "
		    "password_changed_at = NOW(), failed_logins = 0, "
		    "locked_until = NULL WHERE id = ?",
		    "sI", hash, (int64_t)uid);
	/* this link and any other the user still has */
	if (rc == TP_OK)
		rc = tp_db_exec(db, NULL,
		                "UPDATE password_resets SET used_at = NOW() "
		                "WHERE user_id = ? AND used_at IS NULL",
		                "I", (int64_t)uid);
	if (rc == TP_OK)
		rc = tp_sessions_revoke_user(r, uid, &n);
	if (rc == TP_OK) {
		tp_audit(r, r->tenant->id, uid, "password.reset", "user", uid,
		         tp_printf(r, "{\"sessions_ended\":%llu}",
		                   (unsigned long long)n));
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK) {
		tp_db_rollback(db);
		return rc;
	}
	/* once committed, so no request can cache a live copy again */
	tp_sessions_uncache(r,
	                    "SELECT token_hash FROM sessions WHERE user_id = ? "
	                    "AND expires_at > NOW()",
	                    uid);
	tp_log(TP_LOG_INFO, "TP1002",
	       "password of user %llu reset by link; %llu session(s) ended",
	       (unsigned long long)uid, (unsigned long long)n);
	return tp_changed(r, "reset", "/login?reset=1");
}

#define BEFORE_LOGIN (TP_ROUTE_PUBLIC | TP_ROUTE_BEFORE_TERMS)

static const tp_route reset_routes[] = {
    {.methods = TP_GET,
     .path = "/password/forgot",
     .handler = forgot_form,
     .tmpl = "password_forgot.tpl",
     .flags = BEFORE_LOGIN | TP_ROUTE_HTML_ONLY},
    {.methods = TP_POST,
     .path = "/password/forgot",
     .handler = forgot_post,
     .tmpl = "password_forgot.tpl",
     .flags = BEFORE_LOGIN},
    {.methods = TP_GET,
     .path = "/password/reset",
     .handler = reset_form,
     .tmpl = "password_reset.tpl",
     .flags = BEFORE_LOGIN | TP_ROUTE_HTML_ONLY},
    {.methods = TP_POST,
     .path = "/password/reset/check",
     .handler = reset_form,
     .flags = BEFORE_LOGIN | TP_ROUTE_API_ONLY},
    {.methods = TP_POST,
     .path = "/password/reset",
     .handler = reset_post,
     .tmpl = "password_reset.tpl",
     .flags = BEFORE_LOGIN},
    {0}};

tp_rc tp_password_reset_routes_add(tp_router *rt)
{
	return tp_router_add_table(rt, reset_routes);
}
