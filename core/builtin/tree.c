/*
 * tree.c -- changes to the partner tree and the accounts: an operator adds
 * a top-level agent, a partner (or operator) adds sub-partners and
 * accounts within its view, moves and disables partners, adds corporate
 * sub-accounts and suspends, closes or reopens accounts.
 *
 * Ids come from the path, checked by the scope layer before these run; the
 * one id from a form (a move's new parent) goes through tp_scope_id too.
 * Each action is one transaction with an audit entry. Nothing is ever
 * deleted: a disabled partner keeps its history, and its logins and those
 * of the partners below it stop working (TP_USER_ACTIVE_SQL); a closed
 * account keeps its history and its logins stop working.
 */
#include "config.h"
#include "builtin/builtin.h"

#include <string.h>

static const char *const child_kinds[] = {"sub-agent", "distributor", NULL};
static const char *const account_states[] = {"active", "suspended", "closed",
                                             NULL};

static bool one_of(const char *s, const char *const *set)
{
	for (; s != NULL && *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

int64_t tp_path_id(tp_req *r, const char *param)
{
	int64_t id = 0;
	tp_parse_i64(tp_param(r, param), &id); /* checked by the core */
	return id;
}

#define path_id tp_path_id

void tp_view_money(tp_req *r, json_object *o, const char *key, int64_t v,
                   const char *ccy)
{
	char buf[32], loc[48];
	if (tp_wants_json(r))
		json_object_object_add(o, key, tp_json_money(v, ccy));
	else
		json_object_object_add(
		    o, key,
		    json_object_new_string(tp_number_localize(
		        tp_money_format_ccy(v, ccy, buf, sizeof(buf)), loc,
		        sizeof(loc))));
}

static tp_rc rollback(tp_req *r, tp_rc rc)
{
	tp_db_rollback(tp_req_db(r));
	return rc;
}

/* A failed change shows the page of its form again (HTML), with the
 * message; the JSON answer is the error alone. */
tp_rc tp_form_again(tp_req *r, tp_rc rc, tp_rc (*page)(tp_req *),
                    const char *tmpl)
{
	if (!tp_wants_json(r) && page != NULL && rc != TP_ENOENT) {
		r->tmpl = tmpl;
		page(r);
	}
	return rc;
}

#define again tp_form_again

/* Done: 303 to the page at path (HTML) or the id as JSON with status
 * (0: 200). */
tp_rc tp_form_done(tp_req *r, int64_t id, const char *path, int status)
{
	if (tp_wants_json(r)) {
		json_object_object_add(tp_view(r), "id",
		                       json_object_new_int64(id));
		if (status != 0)
			tp_set_status(r, status);
		return TP_OK;
	}
	tp_set_header(r, "Location", tp_printf(r, "%s?saved=1", path));
	tp_set_status(r, 303);
	r->tmpl = NULL;
	return TP_OK;
}

static tp_rc done(tp_req *r, const char *kind, int64_t id, int status)
{
	return tp_form_done(
	    r, id, tp_printf(r, "/%s/%lld", kind, (long long)id), status);
}

/* The message of an admin.c call, against the field it is about. */
static const char *admin_field(const char *msg)
{
	static const char *const fields[] = {
	    "name", "kind", "currency", "tier", "number", "opening_balance",
	    NULL};
	for (const char *const *f = fields; *f != NULL; f++)
		if (strncmp(msg, *f, strlen(*f)) == 0)
			return *f;
	return NULL;
}

void tp_audit_json(tp_req *r, const char *action, const char *type, int64_t id,
                   json_object *d)
{
	tp_audit_log(r, action, type, id, d);
}

#define audit_json tp_audit_json

/* One partner's status, locked for the transaction; "" if it is gone. */
static tp_rc partner_lock(tp_req *r, int64_t id, const char **status)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT status FROM partners WHERE id = ? AND "
	                       "tenant_id = ? FOR UPDATE",
	                       "II", id, (int64_t)tp_tenant_id(r));
	*status = "";
	if (rc == TP_OK && tp_rows_count(rs) > 0)
		*status = tp_rows_get(rs, 0, 0);
	return rc;
}

/* A partner login acts below its own partner only: never on the partner
 * it belongs to (it would lock itself out or leave its own tree). */
static bool own_partner(tp_req *r, int64_t id)
{
	return r->viewer->kind == TP_USER_PARTNER &&
	       (uint64_t)id == r->viewer->partner_id;
}

/* ------------------------------------------------------------------ */
/* adding partners                                                      */

static tp_rc partner_create(tp_req *r, int64_t parent, const char *kind_dflt,
                            tp_rc (*page)(tp_req *), const char *tmpl)
{
	const char *name, *kind, *currency, *tier, *st;
	tp_db *db = tp_req_db(r);
	tp_rc rc;

	if ((rc = tp_input(r, "name", &name)) != TP_OK ||
	    (rc = tp_input(r, "kind", &kind)) != TP_OK ||
	    (rc = tp_input(r, "currency", &currency)) != TP_OK ||
	    (rc = tp_input(r, "tier", &tier)) != TP_OK)
		return again(r, rc, page, tmpl);
	if (kind == NULL || *kind == '\0')
		kind = kind_dflt;
	if (parent == 0 && strcmp(kind, "agent") != 0)
		return again(r,
		             tp_fail(r, TP_EINVAL, "kind",
		                     _("a top-level partner is an agent")),
		             page, tmpl);
	if (parent != 0 && !one_of(kind, child_kinds))
		return again(r,
		             tp_fail(r, TP_EINVAL, "kind",
		                     _("a partner below another is a sub-agent "
		                       "or a distributor")),
		             page, tmpl);
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	/* the parent's currency and tier unless chosen */
	if (parent != 0) {
		tp_rows *rs;
		rc =
		    tp_db_query(db, r, &rs,
		                "SELECT p.status, p.currency, IFNULL(t.name, "
		                "'') FROM partners p LEFT JOIN tiers t ON t.id "
		                "= p.tier_id WHERE p.id = ? LOCK IN SHARE MODE",
		                "I", parent);
		if (rc != TP_OK)
			return rollback(r, rc);
		st = tp_rows_count(rs) ? tp_rows_get(rs, 0, 0) : "";
		if (strcmp(st, "active") != 0)
			return again(
			    r,
			    rollback(r, tp_fail(r, TP_ECONFLICT, NULL,
			                        _("this partner is disabled: "
			                          "enable it before adding "
			                          "partners below it"))),
			    page, tmpl);
		if (currency == NULL || *currency == '\0')
			currency = tp_strdup(r, tp_rows_get(rs, 0, 1));
		if ((tier == NULL || *tier == '\0') &&
		    *tp_rows_get(rs, 0, 2) != '\0')
			tier = tp_strdup(r, tp_rows_get(rs, 0, 2));
	}
	if (tier != NULL && *tier == '\0')
		tier = NULL;
	char err[256];
	uint64_t id = 0;
	tp_partner_spec spec = {.tenant_id = tp_tenant_id(r),
	                        .parent_id = (uint64_t)parent,
	                        .name = name,
	                        .kind = kind,
	                        .currency = currency,
	                        .tier = tier};
	rc = tp_admin_partner_add(db, &spec, &id, err, sizeof(err));
	if (rc == TP_EINVAL || (rc == TP_ENOENT && tier != NULL))
		return again(
		    r,
		    rollback(
		        r, tp_fail(r, TP_EINVAL,
		                   rc == TP_ENOENT ? "tier" : admin_field(err),
		                   "%s", err)),
		    page, tmpl);
	if (rc != TP_OK)
		return rollback(r, rc);
	json_object *d = json_object_new_object();
	json_object_object_add(d, "name", json_object_new_string(name));
	json_object_object_add(d, "kind", json_object_new_string(kind));
	json_object_object_add(d, "parent_id", json_object_new_int64(parent));
	audit_json(r, "partner.create", "partner", (int64_t)id, d);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	return done(r, "partners", (int64_t)id, 201);
}

/* POST /partners: a top-level agent (operators) */
static tp_rc partner_add_top(tp_req *r)
{
	return partner_create(r, 0, "agent", tp_partner_new_page,
	                      "partner_new.tpl");
}

/* POST /partners/{partner}/children */
static tp_rc partner_add_child(tp_req *r)
{
	return partner_create(r, path_id(r, "partner"), "sub-agent",
	                      tp_partner_page, "partner.tpl");
}

/* ------------------------------------------------------------------ */
/* moving a partner                                                     */

/* Every live session and API token of the brand is read from MariaDB on
 * its next request: after a change of the tree, which a cached viewer's
 * "currently viewing" or active state may depend on. Tree changes are
 * rare; this is simpler than finding exactly who is affected. */
static void brand_uncache(tp_req *r)
{
	tp_sessions_uncache(r,
	                    "SELECT token_hash FROM sessions WHERE tenant_id = "
	                    "? AND revoked = 0 AND expires_at > NOW()",
	                    tp_tenant_id(r));
	tp_tokens_uncache(r,
	                  "SELECT k.token_hash FROM api_tokens k JOIN users u "
	                  "ON u.id = k.user_id WHERE u.tenant_id = ? AND "
	                  "k.revoked_at IS NULL",
	                  tp_tenant_id(r));
}

/* The closure rows of node's subtree are re-hung under parent (0: the top
 * level): the links from node's old ancestors go, the new parent's
 * ancestors (and itself) are linked to every partner of the subtree. */
static tp_rc rehang(tp_db *db, tp_req *r, int64_t node, int64_t parent)
{
	tp_rc rc = tp_db_exec(
	    db, NULL,
	    "DELETE t FROM partner_tree t "
	    "JOIN partner_tree sub ON sub.descendant = t.descendant "
	    "JOIN partner_tree up ON up.ancestor = t.ancestor "
	    "WHERE sub.ancestor = ? AND up.descendant = ? AND up.depth > 0",
	    "II", node, node);
	if (rc == TP_OK && parent != 0)
		rc = tp_db_exec(db, NULL,
		                "INSERT INTO partner_tree (ancestor, "
		                "descendant, depth) SELECT a.ancestor, "
		                "s.descendant, a.depth + s.depth + 1 FROM "
		                "partner_tree a JOIN partner_tree s WHERE "
		                "a.descendant = ? AND s.ancestor = ?",
		                "II", parent, node);
	if (rc == TP_OK)
		rc = tp_db_exec(db, NULL,
		                "UPDATE partners SET parent_id = NULLIF(?, 0) "
		                "WHERE id = ?",
		                "II", parent, node);
	/* a view the login can no longer reach goes back to its own (an
	 * operator's, of the whole brand, stays) */
	if (rc == TP_OK)
		rc = tp_db_exec(
		    db, NULL,
		    "UPDATE sessions s JOIN users u ON u.id = s.user_id "
		    "SET s.view_partner_id = NULL WHERE s.tenant_id = ? AND "
		    "s.view_partner_id IS NOT NULL AND u.partner_id IS NOT "
		    "NULL AND NOT EXISTS (SELECT 1 "
		    "FROM partner_tree t WHERE t.ancestor = u.partner_id AND "
		    "t.descendant = s.view_partner_id)",
		    "I", (int64_t)tp_tenant_id(r));
	return rc;
}

/* POST /partners/{partner}/move: field parent_id (empty: the top level,
 * operators only) */
static tp_rc partner_move(tp_req *r)
{
	int64_t node = path_id(r, "partner"), parent = 0;
	const char *s, *st;
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc;

	if ((rc = tp_input(r, "parent_id", &s)) != TP_OK)
		return again(r, rc, tp_partner_page, "partner.tpl");
	if (s != NULL && *s != '\0' &&
	    (tp_parse_i64(s, &parent) != TP_OK || parent <= 0))
		return again(r,
		             tp_fail(r, TP_EINVAL, "parent_id",
		                     _("parent_id must be a partner id")),
		             tp_partner_page, "partner.tpl");
	if (own_partner(r, node))
		return again(
		    r,
		    tp_fail(r, TP_EPERM, NULL,
		            _("your login cannot move its own partner")),
		    tp_partner_page, "partner.tpl");
	if (parent == 0 && !tp_scope_is_operator(r))
		return again(r,
		             tp_fail(r, TP_EINVAL, "parent_id",
		                     _("choose the partner to move it under")),
		             tp_partner_page, "partner.tpl");
	/* the new parent: in view, like an id in the path */
	if (parent != 0) {
		rc = tp_scope_id(r, TP_SCOPE_PARTNER, parent);
		if (rc == TP_ENOENT)
			return tp_fail(r, TP_ENOENT, "parent_id",
			               _("no such partner"));
		if (rc != TP_OK)
			return rc;
	}
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	/* one tree change at a time per brand: two crossing moves could
	 * otherwise make a cycle */
	rc = tp_db_query(db, r, &rs,
	                 "SELECT id FROM tenants WHERE id = ? FOR UPDATE", "I",
	                 (int64_t)tp_tenant_id(r));
	if (rc == TP_OK)
		rc = partner_lock(r, node, &st);
	if (rc != TP_OK)
		return rollback(r, rc);
	if (*st == '\0')
		return rollback(r,
		                tp_fail(r, TP_ENOENT, NULL, _("no such page")));
	if (parent != 0) {
		rc =
		    tp_db_query(db, r, &rs,
		                "SELECT 1 FROM partner_tree WHERE ancestor = ? "
		                "AND descendant = ?",
		                "II", node, parent);
		if (rc != TP_OK)
			return rollback(r, rc);
		if (tp_rows_count(rs) > 0)
			return again(
			    r,
			    rollback(r, tp_fail(r, TP_EINVAL, "parent_id",
			                        _("a partner cannot "
			                          "move below itself"))),
			    tp_partner_page, "partner.tpl");
	}
	rc = tp_db_query(db, r, &rs,
	                 "SELECT IFNULL(parent_id, 0) FROM partners WHERE id "
	                 "= ?",
	                 "I", node);
	if (rc != TP_OK)
		return rollback(r, rc);
	int64_t old = tp_rows_i64(rs, 0, 0);
	if (old != parent && (rc = rehang(db, r, node, parent)) != TP_OK)
		return rollback(r, rc);
	json_object *d = json_object_new_object();
	json_object_object_add(d, "from", json_object_new_int64(old));
	json_object_object_add(d, "to", json_object_new_int64(parent));
	audit_json(r, "partner.move", "partner", node, d);
	if (old != parent) {
		json_object *ev = json_object_new_object();
		json_object_object_add(ev, "from", json_object_new_int64(old));
		json_object_object_add(ev, "to", json_object_new_int64(parent));
		rc = tp_event_emit(r, "partner.moved", (uint64_t)node, 0, ev);
		if (rc != TP_OK)
			return rollback(r, rc);
	}
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	if (old != parent)
		brand_uncache(r);
	tp_log(TP_LOG_INFO, "TP0607", "partner %lld moved from %lld to %lld",
	       (long long)node, (long long)old, (long long)parent);
	return done(r, "partners", node, 0);
}

/* ------------------------------------------------------------------ */
/* disabling and enabling a partner                                     */

static tp_rc partner_set_status(tp_req *r, const char *status)
{
	int64_t id = path_id(r, "partner");
	const char *st;
	tp_db *db = tp_req_db(r);
	tp_rc rc;

	if (own_partner(r, id))
		return again(
		    r,
		    tp_fail(r, TP_EPERM, NULL,
		            _("your login cannot disable or enable its "
		              "own partner")),
		    tp_partner_page, "partner.tpl");
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	if ((rc = partner_lock(r, id, &st)) != TP_OK)
		return rollback(r, rc);
	if (*st == '\0')
		return rollback(r,
		                tp_fail(r, TP_ENOENT, NULL, _("no such page")));
	bool change = strcmp(st, status) != 0;
	if (change) {
		rc = tp_db_exec(db, NULL,
		                "UPDATE partners SET status = ?, disabled_at = "
		                "IF(? = 'disabled', NOW(), NULL) WHERE id = ?",
		                "ssI", status, status, id);
		if (rc != TP_OK)
			return rollback(r, rc);
		json_object *d = json_object_new_object();
		json_object_object_add(d, "status",
		                       json_object_new_string(status));
		audit_json(r,
		           strcmp(status, "disabled") == 0 ? "partner.disable"
		                                           : "partner.enable",
		           "partner", id, d);
		rc = tp_event_emit(r,
		                   strcmp(status, "disabled") == 0
		                       ? "partner.disabled"
		                       : "partner.enabled",
		                   (uint64_t)id, 0, NULL);
		if (rc != TP_OK)
			return rollback(r, rc);
	}
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	if (change)
		brand_uncache(r);
	return done(r, "partners", id, 0);
}

static tp_rc partner_disable(tp_req *r)
{
	return partner_set_status(r, "disabled");
}

static tp_rc partner_enable(tp_req *r)
{
	return partner_set_status(r, "active");
}

/* ------------------------------------------------------------------ */
/* accounts                                                             */

/* The quick form's fields (tp_customer); the number may be empty. */
static const char *const customer_fields[] = {
    "number", "name",     "kind",         "currency",        "contact_name",
    "email",  "phone",    "credit_limit", "opening_balance", "street",
    "city",   "postcode", "region",       "country",         NULL};

static tp_rc account_create(tp_req *r, int64_t partner, int64_t parent,
                            tp_rc (*page)(tp_req *), const char *tmpl)
{
	const char *in[14], *st, *field = NULL, *why;
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc;

	for (int i = 0; customer_fields[i] != NULL; i++)
		if ((rc = tp_input(r, customer_fields[i], &in[i])) != TP_OK)
			return again(r, rc, page, tmpl);
	tp_customer c = {.number = in[0],
	                 .name = in[1],
	                 .kind = in[2],
	                 .currency = in[3],
	                 .contact_name = in[4],
	                 .email = in[5],
	                 .phone = in[6],
	                 .credit_limit = in[7],
	                 .opening_balance = in[8],
	                 .street = in[9],
	                 .city = in[10],
	                 .postcode = in[11],
	                 .region = in[12],
	                 .country = in[13]};
	if ((why = tp_customer_bad(&c, &field)) != NULL)
		return again(
		    r, tp_fail(r, TP_EINVAL, field, _("%s %s"), field, why),
		    page, tmpl);
	if ((c.number == NULL || *c.number == '\0') &&
	    (rc = tp_account_numbers_seed(r)) != TP_OK)
		return rc;
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	if (parent != 0) {
		/* a sub-account: its parent's partner, a live parent */
		rc =
		    tp_db_query(db, r, &rs,
		                "SELECT partner_id, status FROM accounts WHERE "
		                "id = ? LOCK IN SHARE MODE",
		                "I", parent);
		if (rc != TP_OK)
			return rollback(r, rc);
		if (tp_rows_count(rs) == 0)
			return rollback(
			    r, tp_fail(r, TP_ENOENT, NULL, _("no such page")));
		partner = tp_rows_i64(rs, 0, 0);
		if (strcmp(tp_rows_get(rs, 0, 1), "closed") == 0)
			return again(r,
			             rollback(r, tp_fail(r, TP_ECONFLICT, NULL,
			                                 _("this account is "
			                                   "closed"))),
			             page, tmpl);
	}
	if ((rc = partner_lock(r, partner, &st)) != TP_OK)
		return rollback(r, rc);
	if (strcmp(st, "active") != 0)
		return again(r,
		             rollback(r, tp_fail(r, TP_ECONFLICT, NULL,
		                                 _("the partner is disabled: "
		                                   "enable it before adding "
		                                   "accounts"))),
		             page, tmpl);
	char err[256];
	int64_t id = 0;
	rc = tp_customer_create(r, &c, partner, parent, &id, err, sizeof(err));
	if (rc == TP_EINVAL || rc == TP_ECONFLICT)
		return again(
		    r,
		    rollback(r, tp_fail(r, rc,
		                        rc == TP_ECONFLICT ? "number"
		                                           : admin_field(err),
		                        "%s", err)),
		    page, tmpl);
	if (rc != TP_OK)
		return rollback(r, rc);
	json_object *d = json_object_new_object();
	json_object_object_add(d, "number", json_object_new_string(c.number));
	json_object_object_add(d, "partner_id", json_object_new_int64(partner));
	if (parent != 0)
		json_object_object_add(d, "parent_account_id",
		                       json_object_new_int64(parent));
	audit_json(r, "account.create", "account", id, d);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	if (tp_wants_json(r))
		json_object_object_add(tp_view(r), "number",
		                       json_object_new_string(c.number));
	return done(r, "accounts", id, 201);
}

/* POST /partners/{partner}/accounts */
static tp_rc account_add(tp_req *r)
{
	return account_create(r, path_id(r, "partner"), 0, tp_partner_page,
	                      "partner.tpl");
}

/* POST /accounts/{account}/subaccounts */
static tp_rc subaccount_add(tp_req *r)
{
	return account_create(r, 0, path_id(r, "account"), tp_account_page,
	                      "account.tpl");
}

/* What must end before an account closes: its open sub-accounts (a
 * corporate parent closes after them) and its live services (nothing
 * keeps running, and billing, on a closed account). TP_OK if nothing. */
static tp_rc close_blockers(tp_req *r, int64_t id)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    "SELECT (SELECT COUNT(*) FROM accounts WHERE parent_account_id = "
	    "? AND status <> 'closed'), (SELECT COUNT(*) FROM services WHERE "
	    "account_id = ? AND status <> 'disconnected')",
	    "II", id, id);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_i64(rs, 0, 0) > 0)
		return tp_fail(r, TP_ECONFLICT, "status",
		               _("close its %lld open sub-account(s) first"),
		               (long long)tp_rows_i64(rs, 0, 0));
	if (tp_rows_i64(rs, 0, 1) > 0)
		return tp_fail(r, TP_ECONFLICT, "status",
		               _("disconnect its %lld live service(s) first"),
		               (long long)tp_rows_i64(rs, 0, 1));
	return TP_OK;
}

/* The page that asks before an account is closed or suspended: the same
 * POST again with confirm=1, or back to the account unchanged. */
static tp_rc account_status_confirm(tp_req *r, int64_t id, const char *status)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT number, name FROM accounts WHERE id = ?",
	                       "I", id);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	bool closing = strcmp(status, "closed") == 0;
	const char *who = tp_printf(r, "%s (%s)", tp_rows_get(rs, 0, 1),
	                            tp_rows_get(rs, 0, 0));
	json_object *c = json_object_new_object(),
	            *fl = json_object_new_array(),
	            *f = json_object_new_object();
	json_object_object_add(c, "question",
	                       json_object_new_string(tp_printf(
	                           r,
	                           closing ? _("Close the account %s?")
	                                   : _("Suspend the account %s?"),
	                           who)));
	json_object_object_add(
	    c, "consequence",
	    json_object_new_string(
	        closing ? _("Its logins stop working at once and nothing "
	                    "more can be added to it. It can be reopened "
	                    "later.")
	                : _("Its logins stop working at once until the "
	                    "account is made active again.")));
	json_object_object_add(c, "action",
	                       json_object_new_string(tp_printf(
	                           r, "/accounts/%lld/status", (long long)id)));
	json_object_object_add(f, "name", json_object_new_string("status"));
	json_object_object_add(f, "value", json_object_new_string(status));
	json_object_array_add(fl, f);
	json_object_object_add(c, "fields", fl);
	json_object_object_add(
	    c, "button",
	    json_object_new_string(closing ? "Yes, close the account"
	                                   : "Yes, suspend the account"));
	json_object_object_add(c, "cancel",
	                       json_object_new_string(tp_printf(
	                           r, "/accounts/%lld", (long long)id)));
	json_object_object_add(tp_view(r), "confirm", c);
	json_object_object_add(tp_view(r), "csrf_token",
	                       json_object_new_string(r->viewer->csrf));
	tp_view_title(r, closing ? _("Close account") : _("Suspend account"));
	r->tmpl = "confirm.tpl";
	return TP_OK;
}

/* POST /accounts/{account}/status: field status; from the page, closed
 * and suspended need confirm=1 (the confirmation step) */
static tp_rc account_status(tp_req *r)
{
	int64_t id = path_id(r, "account");
	const char *status;
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc;

	if ((rc = tp_input(r, "status", &status)) != TP_OK)
		return again(r, rc, tp_account_page, "account.tpl");
	if (!one_of(status, account_states))
		return again(r,
		             tp_fail(r, TP_EINVAL, "status",
		                     _("status must be active, suspended or "
		                       "closed")),
		             tp_account_page, "account.tpl");
	/* a customer login does not close or suspend its own account */
	if (r->viewer->kind == TP_USER_CUSTOMER &&
	    (uint64_t)id == r->viewer->account_id)
		return again(r,
		             tp_fail(r, TP_EPERM, NULL,
		                     _("your login cannot change the status of "
		                       "its own account")),
		             tp_account_page, "account.tpl");
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_query(db, r, &rs,
	                 "SELECT status, partner_id FROM accounts WHERE id = "
	                 "? FOR UPDATE",
	                 "I", id);
	if (rc != TP_OK)
		return rollback(r, rc);
	if (tp_rows_count(rs) == 0)
		return rollback(r,
		                tp_fail(r, TP_ENOENT, NULL, _("no such page")));
	char *old = tp_strdup(r, tp_rows_get(rs, 0, 0));
	uint64_t partner = (uint64_t)tp_rows_i64(rs, 0, 1);
	/* closing or suspending from the page asks first (the API is told
	 * what it wants) */
	const char *confirm = tp_form(r, "confirm");
	if (!tp_wants_json(r) && strcmp(old, status) != 0 &&
	    strcmp(status, "active") != 0 &&
	    (confirm == NULL || strcmp(confirm, "1") != 0)) {
		tp_db_rollback(db);
		return account_status_confirm(r, id, status);
	}
	if (strcmp(status, "closed") == 0 &&
	    (rc = close_blockers(r, id)) != TP_OK)
		return rc == TP_ECONFLICT
		           ? again(r, rollback(r, rc), tp_account_page,
		                   "account.tpl")
		           : rollback(r, rc);
	bool change = strcmp(old, status) != 0;
	if (change) {
		/* closed_at: when it closed (NULL again once reopened;
		 * the audit log keeps every change) */
		rc = tp_db_exec(db, NULL,
		                "UPDATE accounts SET status = ?, closed_at = "
		                "IF(? = 'closed', NOW(), NULL) WHERE id = ?",
		                "ssI", status, status, id);
		if (rc != TP_OK)
			return rollback(r, rc);
		json_object *d = json_object_new_object();
		json_object_object_add(d, "from", json_object_new_string(old));
		json_object_object_add(d, "to", json_object_new_string(status));
		audit_json(r, "account.status", "account", id, d);
		json_object *ev = json_object_new_object();
		json_object_object_add(ev, "from", json_object_new_string(old));
		json_object_object_add(ev, "to",
		                       json_object_new_string(status));
		rc = tp_event_emit(r, "account.status_changed", partner,
		                   (uint64_t)id, ev);
		if (rc != TP_OK)
			return rollback(r, rc);
	}
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	if (change) {
		tp_sessions_uncache(r,
		                    "SELECT s.token_hash FROM sessions s JOIN "
		                    "users u ON u.id = s.user_id WHERE "
		                    "u.account_id = ? AND s.revoked = 0",
		                    (uint64_t)id);
		tp_tokens_uncache(r,
		                  "SELECT k.token_hash FROM api_tokens k JOIN "
		                  "users u ON u.id = k.user_id WHERE "
		                  "u.account_id = ? AND k.revoked_at IS NULL",
		                  (uint64_t)id);
	}
	return done(r, "accounts", id, 0);
}

/* ------------------------------------------------------------------ */

static const tp_param_scope partner_scope[] = {
    {.param = "partner", .kind = TP_SCOPE_PARTNER}, {0}};
static const tp_param_scope account_scope[] = {
    {.param = "account", .kind = TP_SCOPE_ACCOUNT}, {0}};

static const tp_route tree_routes[] = {
    {.methods = TP_POST,
     .path = "/partners",
     .handler = partner_add_top,
     .area = "partners",
     .right = TP_RIGHT_ADD,
     .flags = TP_ROUTE_OPERATOR},
    {.methods = TP_POST,
     .path = "/partners/{partner}/children",
     .handler = partner_add_child,
     .area = "partners",
     .right = TP_RIGHT_ADD,
     .scopes = partner_scope},
    {.methods = TP_POST,
     .path = "/partners/{partner}/move",
     .handler = partner_move,
     .area = "partners",
     .right = TP_RIGHT_UPDATE,
     .scopes = partner_scope},
    {.methods = TP_POST,
     .path = "/partners/{partner}/disable",
     .handler = partner_disable,
     .area = "partners",
     .right = TP_RIGHT_UPDATE,
     .scopes = partner_scope},
    {.methods = TP_POST,
     .path = "/partners/{partner}/enable",
     .handler = partner_enable,
     .area = "partners",
     .right = TP_RIGHT_UPDATE,
     .scopes = partner_scope},
    {.methods = TP_POST,
     .path = "/partners/{partner}/accounts",
     .handler = account_add,
     .area = "accounts",
     .right = TP_RIGHT_ADD,
     .scopes = partner_scope},
    {.methods = TP_POST,
     .path = "/accounts/{account}/subaccounts",
     .handler = subaccount_add,
     .area = "accounts",
     .right = TP_RIGHT_ADD,
     .scopes = account_scope},
    {.methods = TP_POST,
     .path = "/accounts/{account}/status",
     .handler = account_status,
     .area = "accounts",
     .right = TP_RIGHT_UPDATE,
     .scopes = account_scope},
    {0}};

tp_rc tp_tree_routes_add(tp_router *rt)
{
	return tp_router_add_table(rt, tree_routes);
}
