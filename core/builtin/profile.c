/*
 * profile.c -- the signed-in user's own page (contact details, billing and
 * payment e-mail addresses, a customer's Bill To location, password
 * change, security code, security questions -- secq.c) and the brand's
 * terms and conditions (accept; an operator clears every acceptance). Bad
 * input gets the form again with the field named, and writes nothing. The
 * security code is only ever stored hashed and never shown back or logged.
 */
#include "config.h"
#include "builtin/builtin.h"

#include <string.h>
#include <time.h>

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

static const char *const profile_fields[] = {
    "name", "email", "phone", "billing_email", "payment_email", NULL};

static tp_rc load_profile(tp_req *r, json_object *v)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    "SELECT login, name, IFNULL(email, ''), IFNULL(phone, ''), "
	    "IFNULL(billing_email, ''), IFNULL(payment_email, ''), "
	    "security_code_hash IS NOT NULL, "
	    "IFNULL(DATE_FORMAT(security_code_set_at, '%Y-%m-%dT%H:%i:%sZ'), "
	    "''), IFNULL(language, ''), IFNULL(time_zone, '') FROM users "
	    "WHERE id = ?",
	    "I", (int64_t)r->viewer->user_id);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return TP_ENOENT;
	add_str(v, "login", tp_rows_get(rs, 0, 0));
	for (unsigned i = 0; profile_fields[i] != NULL; i++)
		add_str(v, profile_fields[i], tp_rows_get(rs, 0, i + 1));
	/* whether there is one and since when; never the code */
	json_object_object_add(
	    v, "security_code_set",
	    json_object_new_boolean(tp_rows_i64(rs, 0, 6) != 0));
	add_str(v, "security_code_set_at", tp_rows_get(rs, 0, 7));
	add_str(v, "language", tp_rows_get(rs, 0, 8));
	add_str(v, "time_zone", tp_rows_get(rs, 0, 9));
	add_str(v, "csrf_token", r->viewer->csrf);
	return TP_OK;
}

/* A select's options: the languages, or the time zones, the one named
 * cur selected; inherit: a first option "" with that label (the brand's),
 * or NULL for none. */
struct tz_opts {
	json_object *a;
	const char *cur;
};

static void opt_add(json_object *a, const char *value, const char *label,
                    bool selected)
{
	json_object *e = json_object_new_object();
	add_str(e, "value", value);
	add_str(e, "label", label);
	if (selected)
		json_object_object_add(e, "selected",
		                       json_object_new_boolean(1));
	json_object_array_add(a, e);
}

static void tz_opt(void *ud, const char *zone)
{
	struct tz_opts *o = ud;
	opt_add(o->a, zone, zone, strcmp(zone, o->cur) == 0);
}

json_object *tp_lang_choices(const char *cur, const char *inherit)
{
	json_object *a = json_object_new_array();
	if (inherit != NULL)
		opt_add(a, "", inherit, cur[0] == '\0');
	for (size_t i = 0; i < tp_lang_count(); i++)
		opt_add(a, tp_lang_code(i), tp_lang_name(i),
		        strcmp(cur, tp_lang_code(i)) == 0);
	return a;
}

json_object *tp_tz_choices(const char *cur, const char *inherit)
{
	struct tz_opts o = {json_object_new_array(), cur};
	if (inherit != NULL)
		opt_add(o.a, "", inherit, cur[0] == '\0');
	tp_tz_each(tz_opt, &o);
	return o.a;
}

static void settings_choices(tp_req *r, json_object *v)
{
	const char *lang =
	    json_object_get_string(json_object_object_get(v, "language"));
	const char *tz =
	    json_object_get_string(json_object_object_get(v, "time_zone"));
	int bl = tp_lang_find(r->tenant->lang);
	json_object_object_add(
	    v, "languages",
	    tp_lang_choices(lang,
	                    tp_printf(r, _("The brand's (%s)"),
	                              tp_lang_name(bl < 0 ? 0 : (size_t)bl))));
	json_object_object_add(
	    v, "time_zones",
	    tp_tz_choices(
	        tz, tp_printf(r, _("The brand's (%s)"),
	                      r->tenant->tz != NULL ? r->tenant->tz : "UTC")));
	add_str(v, "security_code_set_at_text",
	        tp_time_text(r,
	                     json_object_get_string(json_object_object_get(
	                         v, "security_code_set_at")),
	                     1));
}

/* A customer's contact information: its account's Bill To location, with
 * the link to change it for a login that may update the account. */
static tp_rc bill_to(tp_req *r, json_object *v)
{
	uint64_t acc = tp_scope_account_root(r);
	tp_rows *rs;
	if (acc == 0)
		return TP_OK;
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    "SELECT id, name, street, city, postcode, region, country FROM "
	    "locations WHERE account_id = ? AND is_bill_to = 1",
	    "I", (int64_t)acc);
	if (rc != TP_OK || tp_rows_count(rs) == 0)
		return rc;
	static const char *const keys[] = {"id",      "name",     "street",
	                                   "city",    "postcode", "region",
	                                   "country", NULL};
	json_object *b = json_object_new_object();
	for (unsigned i = 1; keys[i] != NULL; i++)
		add_str(b, keys[i], tp_rows_get(rs, 0, i));
	if (tp_can(r, "accounts", TP_RIGHT_UPDATE))
		add_str(b, "edit_href",
		        tp_printf(r, "/accounts/%llu/locations/%s/edit",
		                  (unsigned long long)acc,
		                  tp_rows_get(rs, 0, 0)));
	json_object_object_add(v, "bill_to", b);
	return TP_OK;
}

static tp_rc profile_show(tp_req *r)
{
	tp_view_title(r, "My profile");
	tp_rc rc = load_profile(r, tp_view(r));
	if (rc == TP_OK && !r->api)
		settings_choices(r, tp_view(r));
	if (rc == TP_OK)
		rc = bill_to(r, tp_view(r));
	if (rc == TP_OK)
		rc = tp_secq_profile_fill(r, tp_view(r), NULL);
	if (rc == TP_OK && tp_query(r, "saved") != NULL)
		json_object_object_add(tp_view(r), "saved",
		                       json_object_new_boolean(1));
	return rc;
}

/* The value of a field from the form or the JSON body; NULL if absent. */
static const char *field(tp_req *r, const char *name)
{
	const char *v = tp_form(r, name);
	json_object *b = tp_body_json(r), *x;
	if (v == NULL && b != NULL && json_object_object_get_ex(b, name, &x) &&
	    json_object_is_type(x, json_type_string))
		v = json_object_get_string(x);
	return v;
}

/* Redisplay: the submitted values over the stored ones. */
static tp_rc again(tp_req *r, tp_rc rc, const char *f, const char *msg)
{
	json_object *v = tp_view(r);
	const char *sel[2] = {field(r, "question_1"), field(r, "question_2")};
	load_profile(r, v);
	bill_to(r, v);
	tp_secq_profile_fill(r, v, sel[0] || sel[1] ? sel : NULL);
	for (unsigned i = 0; profile_fields[i] != NULL; i++) {
		const char *s = field(r, profile_fields[i]);
		if (s != NULL)
			add_str(v, profile_fields[i], s);
	}
	tp_view_title(r, "My profile");
	return tp_fail(r, rc, f, "%s", msg);
}

/* POST /profile (the HTML form, and the API) and PUT /profile replace the
 * whole profile: every field must be sent, and one left out is a 400
 * naming it rather than a value wiped (an agent's e-mail emptied by an
 * update that only meant its name disables its password reset). PATCH
 * changes only the fields it is given, the others keep what is stored; a
 * JSON null or "" clears an optional one. */
static tp_rc profile_update(tp_req *r)
{
	const char *vals[5], *set[2];
	bool patch = strcmp(tp_method_name(r), "PATCH") == 0;
	json_object *stored = NULL;

	/* the language and the time zone are settings: kept when not sent,
	 * whatever the method ("" or null: the brand's again) */
	stored = tp_json_owned(r, json_object_new_object());
	{
		tp_rc lrc = load_profile(r, stored);
		if (lrc != TP_OK)
			return lrc;
	}
	for (unsigned i = 0; i < 2; i++) {
		const char *k = i == 0 ? "language" : "time_zone";
		json_object *b = tp_body_json(r), *x;
		set[i] = field(r, k);
		if (set[i] == NULL && b != NULL &&
		    json_object_object_get_ex(b, k, &x) && x == NULL)
			set[i] = "";
		if (set[i] == NULL)
			set[i] = json_object_get_string(
			    json_object_object_get(stored, k));
	}
	if (set[0][0] != '\0' && tp_lang_find(set[0]) < 0)
		return again(r, TP_EINVAL, "language",
		             _("Choose one of the languages offered."));
	if (set[1][0] != '\0' && !tp_tz_valid(set[1]))
		return again(r, TP_EINVAL, "time_zone",
		             _("Choose a time zone such as Europe/Berlin."));
	for (unsigned i = 0; profile_fields[i] != NULL; i++) {
		const char *s = field(r, profile_fields[i]);
		json_object *b = tp_body_json(r), *x;
		bool null =
		    s == NULL && b != NULL &&
		    json_object_object_get_ex(b, profile_fields[i], &x) &&
		    x == NULL;
		if (s == NULL && null)
			s = "";
		if (s == NULL && patch)
			s = json_object_get_string(
			    json_object_object_get(stored, profile_fields[i]));
		vals[i] = s; /* NULL: not sent */
	}
	if (vals[0] != NULL && (*vals[0] == '\0' || strlen(vals[0]) > 128))
		return again(r, TP_EINVAL, "name",
		             "Enter a name of at most 128 characters.");
	for (unsigned i = 1; i < 5; i++)
		if (vals[i] != NULL && ((i == 2 && !tp_phone_ok(vals[i])) ||
		                        (i != 2 && !tp_email_ok(vals[i]))))
			return again(r, TP_EINVAL, profile_fields[i],
			             i == 2 ? "Enter a phone number: digits, "
			                      "spaces and + - ( ) ."
			                    : "Enter an e-mail address such as "
			                      "name@example.com, or nothing.");
	for (unsigned i = 0; i < 5; i++)
		if (vals[i] == NULL)
			return again(
			    r, TP_EINVAL, profile_fields[i],
			    "Send every field of the profile (name, "
			    "email, phone, billing_email, payment_email; "
			    "\"\" for none), or PATCH only the ones to "
			    "change.");
	tp_db *db = tp_req_db(r);
	tp_rc rc = tp_db_begin(db);
	if (rc == TP_OK)
		rc = tp_db_exec(
		    db, NULL,
		    "UPDATE users SET name = ?, email = NULLIF(?, ''), "
		    "phone = NULLIF(?, ''), billing_email = NULLIF(?, "
		    "''), payment_email = NULLIF(?, ''), language = NULLIF(?, "
		    "''), time_zone = NULLIF(?, '') WHERE id = ?",
		    "sssssssI", vals[0], vals[1], vals[2], vals[3], vals[4],
		    set[0], set[1], (int64_t)r->viewer->user_id);
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		for (unsigned i = 0; profile_fields[i] != NULL; i++)
			add_str(d, profile_fields[i], vals[i]);
		add_str(d, "language", set[0]);
		add_str(d, "time_zone", set[1]);
		tp_audit(
		    r, r->tenant->id, r->viewer->user_id, "profile.update",
		    "user", r->viewer->user_id,
		    json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN));
		json_object_put(d);
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK)
		return rc;
	/* the name, the language and the zone are in the cached viewer */
	tp_sessions_uncache(r,
	                    "SELECT token_hash FROM sessions WHERE user_id = ? "
	                    "AND revoked = 0",
	                    r->viewer->user_id);
	if (r->api) {
		load_profile(r, tp_view(r));
		return TP_OK;
	}
	tp_set_header(r, "Location", "/profile?saved=1");
	tp_set_status(r, 303);
	r->tmpl = NULL;
	return TP_OK;
}

/* The signed-in user's current password, sent as current_password and
 * checked last (after the cheap checks: one argon2id run). A stolen
 * session or API token must not guess it without limit, so every try
 * counts as a sign-in does (users.failed_logins, login.c): the attempt is
 * taken in one UPDATE before the slow check (concurrent guesses cannot run
 * past the limit), a locked login is refused without trying, the
 * [session] max_failures-th wrong one locks the login for lock_seconds
 * (signing in too), and the right one sets the count back to 0. Audit
 * lines: ACTION.failed (a wrong one, "locked" when it locked), and
 * ACTION.locked (refused while locked). */
static tp_rc current_password_ok(tp_req *r, const char *action)
{
	const char *cur = field(r, "current_password");
	tp_db *db = tp_req_db(r);
	int64_t uid = (int64_t)r->viewer->user_id;
	int max = r->cfg->login_max_failures;
	uint64_t n = 0;
	tp_rows *rs;

	if (cur == NULL || *cur == '\0')
		return again(r, TP_EINVAL, "current_password",
		             "Enter your current password.");
	tp_rc rc = tp_db_exec(db, &n,
	                      "UPDATE users SET failed_logins = failed_logins "
	                      "+ 1 WHERE id = ? AND failed_logins < ? AND "
	                      "(locked_until IS NULL OR locked_until <= NOW())",
	                      "Ii", uid, max);
	if (rc != TP_OK)
		return rc;
	if (n == 0) {
		tp_audit(r, r->tenant->id, (uint64_t)uid,
		         tp_printf(r, "%s.locked", action), "user",
		         (uint64_t)uid, NULL);
		return again(
		    r, TP_EPERM, "current_password",
		    tp_printf(r,
		              "Too many wrong passwords: this login is "
		              "locked for up to %d minutes.",
		              (r->cfg->login_lock_seconds + 59) / 60));
	}
	rc = tp_db_query(db, r, &rs,
	                 "SELECT password_hash FROM users WHERE id = ?", "I",
	                 uid);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) > 0 &&
	    tp_password_verify(tp_rows_get(rs, 0, 0), cur) == TP_OK)
		return tp_db_exec(
		    db, NULL, "UPDATE users SET failed_logins = 0 WHERE id = ?",
		    "I", uid);
	/* the last allowed failure locks the login */
	rc = tp_db_exec(db, &n,
	                "UPDATE users SET failed_logins = 0, locked_until = "
	                "NOW() + INTERVAL ? SECOND WHERE id = ? AND "
	                "failed_logins >= ?",
	                "IIi", (int64_t)r->cfg->login_lock_seconds, uid, max);
	if (rc != TP_OK)
		return rc;
	tp_audit(r, r->tenant->id, (uint64_t)uid,
	         tp_printf(r, "%s.failed", action), "user", (uint64_t)uid,
	         n > 0 ? "{\"locked\":true}" : NULL);
	return again(r, TP_EINVAL, "current_password",
	             "The current password is wrong.");
}

static tp_rc password_change(tp_req *r)
{
	const char *pw = field(r, "new_password");
	const char *again_pw = field(r, "confirm_password");
	tp_db *db = tp_req_db(r);
	const char *weak;
	char *hash = NULL;
	tp_rc rc;

	if (pw == NULL || (weak = tp_password_weak(pw)) != NULL)
		return again(r, TP_EINVAL, "new_password",
		             pw == NULL ? "Enter a new password." : weak);
	if (again_pw != NULL && strcmp(pw, again_pw) != 0)
		return again(r, TP_EINVAL, "confirm_password",
		             "The two new passwords differ.");
	if ((rc = current_password_ok(r, "password.change")) != TP_OK)
		return rc;
	if (tp_password_hash(pw, &hash) != TP_OK)
		return TP_EINTERNAL;
	tp_cleanup(r, free, hash);
	rc = tp_db_begin(db);
	if (rc == TP_OK)
		rc = tp_db_exec(db, NULL,
		                "UPDATE users SET password_hash = ?, "
		                "password_changed_at = NOW() WHERE id = ?",
		                "sI", hash, (int64_t)r->viewer->user_id);
	/* every other session of the user ends; this one goes on */
	if (rc == TP_OK)
		rc = tp_db_exec(
		    db, NULL,
		    "UPDATE sessions SET revoked = 1 WHERE user_id = "
		    "? AND id <> ?",
		    "II", (int64_t)r->viewer->user_id,
		    (int64_t)r->viewer->session_id);
	if (rc == TP_OK) {
		tp_audit(r, r->tenant->id, r->viewer->user_id,
		         "password.change", "user", r->viewer->user_id, NULL);
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK)
		return rc;
	/* after the commit: a copy dropped before it could be cached again
	 * from the rows the commit then revoked */
	tp_sessions_uncache(r,
	                    "SELECT token_hash FROM sessions WHERE user_id = ? "
	                    "AND expires_at > NOW()",
	                    r->viewer->user_id);
	return tp_changed(r, "changed", "/profile?saved=1");
}

/* ---- security code ---- */

/* Stores the hash of the user's security code, or removes it (hash NULL),
 * with its audit line, in one transaction; the row lock makes the audit's
 * set/change/remove true under concurrent requests. */
static tp_rc security_code_store(tp_req *r, const char *hash)
{
	tp_db *db = tp_req_db(r);
	int64_t uid = (int64_t)r->viewer->user_id;
	tp_rows *rs;
	uint64_t n = 0;

	tp_rc rc = tp_db_begin(db);
	if (rc == TP_OK)
		rc = tp_db_query(db, r, &rs,
		                 "SELECT security_code_hash IS NOT NULL FROM "
		                 "users WHERE id = ? FOR UPDATE",
		                 "I", uid);
	if (rc == TP_OK && tp_rows_count(rs) == 0)
		rc = TP_ENOENT;
	if (rc == TP_OK)
		rc = tp_db_exec(db, &n,
		                "UPDATE users SET security_code_hash = ?, "
		                "security_code_set_at = IF(? IS NULL, NULL, "
		                "NOW()) WHERE id = ?",
		                "ssI", hash, hash, uid);
	/* removing none writes nothing and says nothing */
	if (rc == TP_OK && n > 0)
		tp_audit(r, r->tenant->id, r->viewer->user_id,
		         hash == NULL            ? "security_code.remove"
		         : tp_rows_i64(rs, 0, 0) ? "security_code.change"
		                                 : "security_code.set",
		         "user", r->viewer->user_id, NULL);
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	if (rc != TP_OK)
		tp_db_rollback(db);
	return rc;
}

/* Sets or changes the code: security_code (and confirm_security_code when
 * sent) with the current password. A password reset by e-mail asks for it
 * (password_reset.c). */
static tp_rc security_code_set(tp_req *r)
{
	const char *code = field(r, "security_code");
	const char *again_code = field(r, "confirm_security_code");
	const char *weak;
	char *hash = NULL;
	tp_rc rc;

	if ((weak = tp_security_code_weak(code)) != NULL)
		return again(r, TP_EINVAL, "security_code", weak);
	if (again_code != NULL && strcmp(code, again_code) != 0)
		return again(r, TP_EINVAL, "confirm_security_code",
		             "The two codes differ.");
	if ((rc = current_password_ok(r, "security_code")) != TP_OK)
		return rc;
	if (tp_password_hash(code, &hash) != TP_OK)
		return TP_EINTERNAL;
	tp_cleanup(r, free, hash);
	if ((rc = security_code_store(r, hash)) != TP_OK)
		return rc;
	return tp_changed(r, "security_code_set", "/profile?saved=1");
}

/* Removes the code, with the current password. */
static tp_rc security_code_remove(tp_req *r)
{
	tp_rc rc = current_password_ok(r, "security_code");
	if (rc == TP_OK)
		rc = security_code_store(r, NULL);
	if (rc != TP_OK)
		return rc;
	return tp_changed(r, "security_code_removed", "/profile?saved=1");
}

/* Sets the login's two security questions and their answers, with the
 * current password (checked last: the slow check after the cheap ones). */
static tp_rc security_questions_set(tp_req *r)
{
	const char *q[2] = {field(r, "question_1"), field(r, "question_2")};
	const char *a[2] = {field(r, "answer_1"), field(r, "answer_2")};
	const char *f = NULL, *msg = NULL;
	int64_t qid[2];
	char *norm[2];
	tp_rc rc = tp_secq_check_fields(r, q, a, qid, norm, &f, &msg);
	if (rc == TP_EINVAL)
		return again(r, rc, f, msg);
	if (rc != TP_OK)
		return rc;
	if ((rc = current_password_ok(r, "security_questions")) != TP_OK)
		return rc;
	if ((rc = tp_secq_store(r, qid, norm)) != TP_OK)
		return rc;
	return tp_changed(r, "security_questions_set", "/profile?saved=1");
}

/* ---- terms and conditions ---- */

static tp_rc terms_show(tp_req *r)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT IFNULL(terms_text, ''), terms_version, "
	                       "terms_required FROM tenants WHERE id = ?",
	                       "I", (int64_t)r->tenant->id);
	if (rc != TP_OK)
		return rc;
	json_object *v = tp_view(r);
	add_str(v, "text", tp_rows_get(rs, 0, 0));
	json_object_object_add(v, "version",
	                       json_object_new_int64(tp_rows_i64(rs, 0, 1)));
	json_object_object_add(v, "required",
	                       json_object_new_boolean(tp_rows_i64(rs, 0, 2)));
	json_object_object_add(v, "accepted",
	                       json_object_new_boolean(r->viewer->terms_ok));
	add_str(v, "csrf_token", r->viewer->csrf);
	tp_view_title(r, "Terms and conditions");
	return TP_OK;
}

static tp_rc terms_accept(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	tp_rc rc = tp_db_exec(
	    db, NULL,
	    "INSERT INTO terms_acceptances (tenant_id, user_id, terms_version, "
	    "accepted_at, ip) SELECT id, ?, terms_version, NOW(), ? FROM "
	    "tenants WHERE id = ?",
	    "IsI", (int64_t)r->viewer->user_id,
	    r->remote_addr ? r->remote_addr : "", (int64_t)r->tenant->id);
	if (rc != TP_OK)
		return rc;
	tp_audit(r, r->tenant->id, r->viewer->user_id, "terms.accept", "user",
	         r->viewer->user_id, NULL);
	tp_sessions_uncache(r,
	                    "SELECT token_hash FROM sessions WHERE user_id = ? "
	                    "AND revoked = 0",
	                    r->viewer->user_id);
	return tp_changed(r, "accepted", "/");
}

/* An operator admin makes every user of the brand accept again. */
static tp_rc terms_clear(tp_req *r)
{
	uint64_t n = 0;
	if (r->viewer->kind != TP_USER_OPERATOR || !r->viewer->is_admin)
		return tp_fail(r, TP_EPERM, NULL,
		               "only an operator administrator may do this");
	tp_db *db = tp_req_db(r);
	tp_rc rc = tp_db_begin(db);
	if (rc == TP_OK)
		rc =
		    tp_db_exec(db, &n,
		               "UPDATE terms_acceptances SET cleared = 1 WHERE "
		               "tenant_id = ? AND cleared = 0",
		               "I", (int64_t)r->tenant->id);
	if (rc == TP_OK) {
		tp_audit(
		    r, r->tenant->id, r->viewer->user_id, "terms.clear",
		    "tenant", r->tenant->id,
		    tp_printf(r, "{\"cleared\":%llu}", (unsigned long long)n));
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK)
		return rc;
	tp_sessions_uncache(r,
	                    "SELECT token_hash FROM sessions WHERE tenant_id = "
	                    "? AND revoked = 0 AND expires_at > NOW()",
	                    r->tenant->id);
	json_object_object_add(tp_view(r), "cleared",
	                       json_object_new_int64((int64_t)n));
	if (!r->api) {
		tp_set_header(r, "Location", "/terms");
		tp_set_status(r, 303);
		r->tmpl = NULL;
	}
	return TP_OK;
}

static const tp_route profile_routes[] = {
    {.methods = TP_GET,
     .path = "/profile",
     .handler = profile_show,
     .area = "profile",
     .right = TP_RIGHT_VIEW,
     .tmpl = "profile.tpl"},
    {.methods = TP_POST | TP_PUT | TP_PATCH,
     .path = "/profile",
     .handler = profile_update,
     .area = "profile",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "profile.tpl"},
    {.methods = TP_POST,
     .path = "/profile/password",
     .handler = password_change,
     .area = "profile",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "profile.tpl"},
    {.methods = TP_POST,
     .path = "/profile/security-code",
     .handler = security_code_set,
     .area = "profile",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "profile.tpl"},
    {.methods = TP_POST,
     .path = "/profile/security-code/remove",
     .handler = security_code_remove,
     .area = "profile",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "profile.tpl"},
    {.methods = TP_POST,
     .path = "/profile/security-questions",
     .handler = security_questions_set,
     .area = "profile",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "profile.tpl"},
    {.methods = TP_GET,
     .path = "/terms",
     .handler = terms_show,
     .tmpl = "terms.tpl",
     .flags = TP_ROUTE_BEFORE_TERMS},
    {.methods = TP_POST,
     .path = "/terms/accept",
     .handler = terms_accept,
     .flags = TP_ROUTE_BEFORE_TERMS},
    {.methods = TP_POST, .path = "/terms/clear", .handler = terms_clear},
    {0}};

tp_rc tp_profile_routes_add(tp_router *rt)
{
	return tp_router_add_table(rt, profile_routes);
}
