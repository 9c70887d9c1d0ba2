/*
 * secq.c -- security questions (issue 10's profile): the brand's list of
 * questions, each login's two chosen questions with the answers hashed,
 * and the identity check staff run on a support call: they type what the
 * caller says and learn only whether it matches, never the answer. Five
 * wrong answers for one login within an hour lock the check for that
 * login until the hour is over (users.secq_failures / secq_window_at), so
 * nobody with the users right can guess an answer by trying.
 *
 * The brand's list is made from a default list on first use (as the
 * ledger's chart is); an operator edits it on /admin/security-questions.
 * A question taken off the list is kept (inactive) so the answers given to
 * it still check; a brand whose operator empties the list offers none.
 * Answers are compared in lower case, trimmed, with runs of spaces as one
 * ("Paris " and "paris" match), hashed with argon2id like passwords.
 */
#include "config.h"
#include "builtin/builtin.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define SECQ_SLOTS        2
#define SECQ_MAX_FAILURES 5
#define SECQ_MAX_LIST     20

/* Stored in English as a brand's own questions; a page shows one in the
 * viewer's language while the brand keeps its text (question_text). */
static const char *const default_questions[] = {
    N_("What was the name of your first pet?"),
    N_("In which city were you born?"),
    N_("What was the name of your first school?"),
    N_("What was the make of your first car?"),
    N_("What is the name of the street you grew up on?"),
    N_("What was your childhood nickname?"),
    NULL};

/* A question as a page shows it: a default one translated (a brand's own
 * text has no msgid and stays as it is); JSON gives the stored text. */
const char *tp_secq_text(tp_req *r, const char *q)
{
	return tp_wants_json(r) ? q : tp_tr(q);
}

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

/* The brand's active questions (id, question), made on first use. */
static tp_rc questions(tp_req *r, tp_rows **rs)
{
	tp_db *db = tp_req_db(r);
	int64_t t = (int64_t)tp_tenant_id(r);
	tp_rc rc = tp_db_query(db, r, rs,
	                       "SELECT COUNT(*) FROM security_questions WHERE "
	                       "tenant_id = ?",
	                       "I", t);
	if (rc == TP_OK && tp_rows_i64(*rs, 0, 0) == 0)
		for (int i = 0; rc == TP_OK && default_questions[i]; i++)
			rc =
			    tp_db_exec(db, NULL,
			               "INSERT IGNORE INTO security_questions "
			               "(tenant_id, question, position) VALUES "
			               "(?, ?, ?)",
			               "Isi", t, default_questions[i], i);
	if (rc == TP_OK)
		rc = tp_db_query(db, r, rs,
		                 "SELECT id, question FROM security_questions "
		                 "WHERE tenant_id = ? AND active = 1 ORDER BY "
		                 "position, id",
		                 "I", t);
	return rc;
}

/* An answer as compared: ASCII letters in lower case, leading and trailing
 * spaces gone, every run of spaces one; NULL if empty or over 128 bytes. */
static char *normalize(tp_req *r, const char *s)
{
	if (s == NULL)
		return NULL;
	size_t n = strlen(s);
	if (n > 128)
		return NULL;
	char *out = tp_alloc(r, n + 1), *o = out;
	bool space = false;
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			space = o != out;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = false;
		*o++ = (char)tolower((unsigned char)*s);
	}
	*o = '\0';
	return *out ? out : NULL;
}

/* The login's chosen questions into v's "security_questions_set" (slot,
 * question, set_at): what the profile and the user page show. */
static tp_rc chosen(tp_req *r, uint64_t user, json_object *v)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    "SELECT a.slot, q.question, DATE_FORMAT(a.set_at, "
	    "'%Y-%m-%dT%H:%i:%sZ') FROM security_answers a JOIN "
	    "security_questions q ON q.id = a.question_id WHERE a.user_id = ? "
	    "ORDER BY a.slot",
	    "I", (int64_t)user);
	if (rc != TP_OK)
		return rc;
	json_object *l = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(
		    o, "slot", json_object_new_int64(tp_rows_i64(rs, i, 0)));
		add_str(o, "question", tp_secq_text(r, tp_rows_get(rs, i, 1)));
		add_str(o, "set_at", tp_rows_get(rs, i, 2));
		if (!tp_wants_json(r)) /* a page: in the viewer's zone */
			add_str(o, "set_at_text",
			        tp_time_text(r, tp_rows_get(rs, i, 2), 0));
		json_object_object_add(o, "checked",
		                       json_object_new_boolean(i == 0));
		json_object_array_add(l, o);
	}
	json_object_object_add(v, "security_questions_set", l);
	json_object_object_add(v, "security_questions_answered",
	                       json_object_new_boolean(tp_rows_count(rs) > 0));
	return TP_OK;
}

tp_rc tp_secq_profile_fill(tp_req *r, json_object *v, const char *sel[2])
{
	tp_rows *rs, *cur;
	const char *stored[SECQ_SLOTS] = {NULL, NULL};
	tp_rc rc = questions(r, &rs);
	if (rc != TP_OK)
		return rc;
	if (sel == NULL) {
		/* the page: the login's own choice selected */
		rc = tp_db_query(tp_req_db(r), r, &cur,
		                 "SELECT slot, question_id FROM "
		                 "security_answers WHERE user_id = ?",
		                 "I", (int64_t)r->viewer->user_id);
		if (rc != TP_OK)
			return rc;
		for (size_t i = 0; i < tp_rows_count(cur); i++) {
			int64_t s = tp_rows_i64(cur, i, 0);
			if (s >= 1 && s <= SECQ_SLOTS)
				stored[s - 1] = tp_rows_get(cur, i, 1);
		}
		sel = stored;
	}
	json_object_object_add(v, "security_questions_offered",
	                       json_object_new_boolean(tp_rows_count(rs) > 0));
	/* one list of options per select, the chosen (or sent) one selected;
	 * none yet: the first and the second question */
	for (int s = 0; s < SECQ_SLOTS; s++) {
		json_object *l = json_object_new_array();
		for (size_t i = 0; i < tp_rows_count(rs); i++) {
			json_object *o = json_object_new_object();
			add_str(o, "id", tp_rows_get(rs, i, 0));
			add_str(o, "question",
			        tp_secq_text(r, tp_rows_get(rs, i, 1)));
			json_object_object_add(
			    o, "selected",
			    json_object_new_boolean(
			        sel[s] != NULL
			            ? strcmp(sel[s], tp_rows_get(rs, i, 0)) == 0
			            : i == (size_t)s));
			json_object_array_add(l, o);
		}
		json_object_object_add(
		    v, s == 0 ? "security_question_1" : "security_question_2",
		    l);
	}
	return chosen(r, r->viewer->user_id, v);
}

tp_rc tp_secq_check_fields(tp_req *r, const char *q[2], const char *a[2],
                           int64_t qid[2], char *norm[2], const char **field,
                           const char **msg)
{
	tp_rows *rs;
	tp_rc rc = questions(r, &rs);
	if (rc != TP_OK)
		return rc;
	for (int s = 0; s < SECQ_SLOTS; s++) {
		static const char *const qf[] = {"question_1", "question_2"};
		static const char *const af[] = {"answer_1", "answer_2"};
		qid[s] = 0;
		for (size_t i = 0; q[s] != NULL && i < tp_rows_count(rs); i++)
			if (strcmp(q[s], tp_rows_get(rs, i, 0)) == 0)
				qid[s] = tp_rows_i64(rs, i, 0);
		if (qid[s] == 0) {
			*field = qf[s];
			*msg = _("Choose a question from the list.");
			return TP_EINVAL;
		}
		if (s == 1 && qid[1] == qid[0]) {
			*field = qf[s];
			*msg = _("Choose two different questions.");
			return TP_EINVAL;
		}
		norm[s] = normalize(r, a[s]);
		if (norm[s] == NULL || strlen(norm[s]) < 2) {
			*field = af[s];
			*msg = _("Enter an answer of 2 to 128 characters.");
			return TP_EINVAL;
		}
	}
	return TP_OK;
}

tp_rc tp_secq_store(tp_req *r, const int64_t qid[2], char *norm[2])
{
	char *hash[SECQ_SLOTS] = {NULL, NULL};
	tp_db *db = tp_req_db(r);
	int64_t uid = (int64_t)r->viewer->user_id;

	for (int s = 0; s < SECQ_SLOTS; s++) {
		if (tp_password_hash(norm[s], &hash[s]) != TP_OK)
			return TP_EINTERNAL;
		tp_cleanup(r, free, hash[s]);
	}
	tp_rc rc = tp_db_begin(db);
	if (rc == TP_OK)
		rc = tp_db_exec(
		    db, NULL, "DELETE FROM security_answers WHERE user_id = ?",
		    "I", uid);
	for (int s = 0; rc == TP_OK && s < SECQ_SLOTS; s++)
		rc = tp_db_exec(db, NULL,
		                "INSERT INTO security_answers (user_id, slot, "
		                "question_id, answer_hash) VALUES (?, ?, ?, ?)",
		                "IiIs", uid, s + 1, qid[s], hash[s]);
	if (rc == TP_OK) {
		tp_audit(r, r->tenant->id, r->viewer->user_id,
		         "security_questions.set", "user", r->viewer->user_id,
		         tp_printf(r, "{\"questions\":[%lld,%lld]}",
		                   (long long)qid[0], (long long)qid[1]));
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK)
		tp_db_rollback(db);
	return rc;
}

tp_rc tp_secq_user_fill(tp_req *r, uint64_t user, json_object *v)
{
	return chosen(r, user, v);
}

/* The check itself, in one transaction on the login's row: the hour's
 * count of wrong answers first (refused at the limit, nothing hashed),
 * then the answer, then the count and the audit line. */
tp_rc tp_secq_check(tp_req *r, uint64_t user, int slot, const char *answer,
                    bool *matches, const char **question, const char **msg)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs, *ans;
	char *norm = normalize(r, answer);

	*matches = false;
	*question = NULL;
	*msg = NULL;
	tp_rc rc = tp_db_begin(db);
	if (rc == TP_OK)
		rc = tp_db_query(db, r, &rs,
		                 "SELECT secq_failures, secq_window_at IS NOT "
		                 "NULL AND secq_window_at > NOW() - INTERVAL 1 "
		                 "HOUR FROM users WHERE id = ? FOR UPDATE",
		                 "I", (int64_t)user);
	if (rc == TP_OK)
		rc = tp_db_query(
		    db, r, &ans,
		    "SELECT a.answer_hash, q.question FROM "
		    "security_answers a JOIN security_questions q "
		    "ON q.id = a.question_id WHERE a.user_id = ? AND "
		    "a.slot = ?",
		    "Ii", (int64_t)user, slot);
	if (rc != TP_OK)
		goto out;
	if (tp_rows_count(rs) == 0 || tp_rows_count(ans) == 0) {
		*msg = _("This login has not answered that question.");
		rc = TP_EINVAL;
		goto out;
	}
	*question = tp_rows_get(ans, 0, 1);
	bool in_window = tp_rows_i64(rs, 0, 1) != 0;
	int64_t failures = in_window ? tp_rows_i64(rs, 0, 0) : 0;
	if (failures >= SECQ_MAX_FAILURES) {
		*msg = _("Five wrong answers for this login within the hour: "
		         "the check is locked until the hour is over.");
		rc = TP_ECONFLICT;
		goto out;
	}
	*matches = norm != NULL &&
	           tp_password_verify(tp_rows_get(ans, 0, 0), norm) == TP_OK;
	if (!*matches)
		rc = tp_db_exec(db, NULL,
		                "UPDATE users SET secq_failures = ?, "
		                "secq_window_at = IF(?, secq_window_at, NOW()) "
		                "WHERE id = ?",
		                "IiI", failures + 1, (int)in_window,
		                (int64_t)user);
	if (rc == TP_OK) {
		tp_audit(r, r->tenant->id, r->viewer->user_id,
		         "security_answer.check", "user", user,
		         tp_printf(r, "{\"slot\":%d,\"matches\":%s}", slot,
		                   *matches ? "true" : "false"));
		rc = tp_db_commit(db);
	}
out:
	if (rc != TP_OK)
		tp_db_rollback(db);
	return rc;
}

/* ---- the brand's list: /admin/security-questions ---- */

static tp_rc list_fill(tp_req *r, const char *text)
{
	tp_rows *rs;
	tp_rc rc = questions(r, &rs);
	if (rc != TP_OK)
		return rc;
	if (text == NULL) {
		char *t = tp_strdup(r, "");
		for (size_t i = 0; i < tp_rows_count(rs); i++)
			t = tp_printf(r, "%s%s\n", t, tp_rows_get(rs, i, 1));
		text = t;
	}
	json_object *v = tp_view(r);
	add_str(v, "questions", text);
	json_object_object_add(
	    v, "count", json_object_new_int64((int64_t)tp_rows_count(rs)));
	add_str(v, "csrf_token", r->viewer->csrf);
	tp_view_title(r, _("Security questions"));
	return TP_OK;
}

static tp_rc list_show(tp_req *r)
{
	tp_rc rc = list_fill(r, NULL);
	if (rc == TP_OK && tp_query(r, "saved") != NULL)
		json_object_object_add(tp_view(r), "saved",
		                       json_object_new_boolean(1));
	return rc;
}

static tp_rc list_again(tp_req *r, const char *text, const char *msg)
{
	list_fill(r, text);
	return tp_fail(r, TP_EINVAL, "questions", "%s", msg);
}

/* POST: the list, one question per line (the API: "questions", the same
 * text). Lines kept in their order; a line gone makes its question
 * inactive, a new one adds it. */
static tp_rc list_update(tp_req *r)
{
	const char *text = tp_form(r, "questions");
	json_object *b = tp_body_json(r), *x;
	if (text == NULL && b != NULL &&
	    json_object_object_get_ex(b, "questions", &x) &&
	    json_object_is_type(x, json_type_string))
		text = json_object_get_string(x);
	if (text == NULL)
		return list_again(r, "",
		                  _("Send the questions, one per line."));

	char *lines[SECQ_MAX_LIST];
	int n = 0;
	char *copy = tp_strdup(r, text), *save = NULL;
	for (char *l = strtok_r(copy, "\r\n", &save); l != NULL;
	     l = strtok_r(NULL, "\r\n", &save)) {
		while (isspace((unsigned char)*l))
			l++;
		size_t len = strlen(l);
		while (len > 0 && isspace((unsigned char)l[len - 1]))
			l[--len] = '\0';
		if (len == 0)
			continue;
		if (n == SECQ_MAX_LIST)
			return list_again(
			    r, text, _("At most 20 questions, one per line."));
		if (len > 255)
			return list_again(r, text,
			                  _("A question is at most 255 "
			                    "characters."));
		for (int i = 0; i < n; i++)
			if (strcasecmp(lines[i], l) == 0)
				return list_again(
				    r, text,
				    tp_printf(r,
				              _("\"%s\" is on the list twice."),
				              l));
		lines[n++] = l;
	}
	if (n == 1)
		return list_again(r, text,
		                  _("A login chooses two questions: list at "
		                    "least two, or none to offer none."));

	tp_db *db = tp_req_db(r);
	int64_t t = (int64_t)tp_tenant_id(r);
	tp_rc rc = tp_db_begin(db);
	if (rc == TP_OK)
		rc =
		    tp_db_exec(db, NULL,
		               "UPDATE security_questions SET active = 0 WHERE "
		               "tenant_id = ?",
		               "I", t);
	for (int i = 0; rc == TP_OK && i < n; i++)
		rc = tp_db_exec(db, NULL,
		                "INSERT INTO security_questions (tenant_id, "
		                "question, position) VALUES (?, ?, ?) ON "
		                "DUPLICATE KEY UPDATE active = 1, position = "
		                "VALUES(position), question = VALUES(question)",
		                "Isi", t, lines[i], i);
	if (rc == TP_OK) {
		tp_audit(r, r->tenant->id, r->viewer->user_id,
		         "security_questions.list", "tenant", (uint64_t)t,
		         tp_printf(r, "{\"count\":%d}", n));
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK) {
		tp_db_rollback(db);
		return rc;
	}
	return tp_changed(r, "saved", "/admin/security-questions?saved=1");
}

static const tp_route secq_routes[] = {{.methods = TP_GET,
                                        .path = "/admin/security-questions",
                                        .handler = list_show,
                                        .area = "brand",
                                        .right = TP_RIGHT_VIEW,
                                        .tmpl = "admin_security_questions.tpl",
                                        .flags = TP_ROUTE_OPERATOR},
                                       {.methods = TP_POST,
                                        .path = "/admin/security-questions",
                                        .handler = list_update,
                                        .area = "brand",
                                        .right = TP_RIGHT_UPDATE,
                                        .tmpl = "admin_security_questions.tpl",
                                        .flags = TP_ROUTE_OPERATOR},
                                       {0}};

tp_rc tp_secq_routes_add(tp_router *rt)
{
	return tp_router_add_table(rt, secq_routes);
}
