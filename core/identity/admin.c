/*
 * admin.c -- creates brands, partners, accounts and users (tierportctl and
 * the operator pages), keeping the partner and corporate trees in their
 * closure tables. Input is checked before anything is written; each call is
 * one transaction and never builds SQL from input.
 *
 * A call opens and commits its own transaction, unless the caller already
 * has one open: then the call joins it, and on failure the caller must roll
 * back (tierportctl demo creates a whole brand that way, all or nothing).
 */
#include "config.h"
#include "identity/identity.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* What one call carries around: its connection, an arena for result rows
 * and where the message for the caller goes. */
struct ctx {
	tp_db *db;
	tp_arena a;
	char *err;
	size_t errlen;
};

static tp_rc fail(struct ctx *c, tp_rc rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static tp_rc fail(struct ctx *c, tp_rc rc, const char *fmt, ...)
{
	if (c->err != NULL && c->errlen > 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* A failed statement: db.c has logged the detail; the caller gets what we
 * were doing. A duplicate key that the checks before it did not catch is
 * a concurrent writer. */
static tp_rc db_fail(struct ctx *c, tp_rc rc, const char *what)
{
	if (rc == TP_ECONFLICT)
		return fail(c, rc,
		            _("%s: conflicts with a concurrent change; "
		              "try again"),
		            what);
	return fail(c, rc, "%s: database error: %s", what, tp_db_error(c->db));
}

static void ctx_init(struct ctx *c, tp_db *db, char *err, size_t errlen)
{
	c->db = db;
	tp_arena_init(&c->a);
	c->err = err;
	c->errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
}

/* Runs body in a transaction: a new one, or the caller's (see the top). */
static tp_rc txn(struct ctx *c,
                 tp_rc (*body)(struct ctx *, const void *, uint64_t *),
                 const void *spec, uint64_t *id)
{
	bool own = !tp_db_in_txn(c->db);
	tp_rc rc = TP_OK;

	if (own && (rc = tp_db_begin(c->db)) != TP_OK)
		return db_fail(c, rc, "starting a transaction");
	rc = body(c, spec, id);
	if (own) {
		if (rc == TP_OK) {
			rc = tp_db_commit(c->db);
			if (rc != TP_OK)
				db_fail(c, rc, "commit");
		} else {
			tp_db_rollback(c->db);
		}
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* input checks                                                         */

/* A brand slug names its template directory: [a-z0-9][a-z0-9-]{0,63} */
static bool slug_ok(const char *s)
{
	if (s == NULL ||
	    !((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')) ||
	    strlen(s) > 64)
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-'))
			return false;
	return true;
}

/* A host name in the form the brand resolver looks it up in (brand.c:
 * lower case, no port), copied into the arena; NULL if it is not one. */
static char *host_norm(tp_arena *a, const char *h)
{
	char buf[256];

	if (h == NULL || tp_host_normalize(h, buf, sizeof(buf)) < 0 ||
	    buf[0] == '.' || buf[0] == '-')
		return NULL;
	size_t n = strlen(buf);
	char *out = tp_arena_alloc(a, n + 1);
	memcpy(out, buf, n + 1);
	return out;
}

static bool one_of(const char *s, const char *const *set)
{
	for (; s != NULL && *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

/* The id in the first column of the first row, 0 if there is no row. */
static uint64_t first_id(const tp_rows *rs)
{
	return tp_rows_count(rs) > 0 ? (uint64_t)tp_rows_i64(rs, 0, 0) : 0;
}

static tp_rc tenant_exists(struct ctx *c, uint64_t tenant_id)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query_a(c->db, &c->a, &rs,
	                         "SELECT id FROM tenants WHERE id = ?", "I",
	                         (int64_t)tenant_id);
	if (rc != TP_OK)
		return db_fail(c, rc, "looking up the brand");
	if (tp_rows_count(rs) == 0)
		return fail(c, TP_ENOENT, _("no brand with id %llu"),
		            (unsigned long long)tenant_id);
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* brands                                                               */

/* The tiers and rights groups every new brand starts with; a brand's
 * admin changes them afterwards. */
static const struct {
	const char *name;
	int rank;
	int points;
	const char *support;
} default_tiers[] = {
    {"Bronze", 1, 0, "standard"},
    {"Silver", 2, 1000, "standard"},
    {"Gold", 3, 5000, "priority"},
    {"Platinum", 4, 20000, "dedicated"},
};

static const struct {
	const char *group, *kind, *area;
	int rights;
} default_rights[] = {
    {"customer", "customer", "profile", 15},
    {"customer", "customer", "accounts", 1},
    {"customer", "customer", "billing", 1},
    {"customer-admin", "customer", "users", 15},
    {"customer-admin", "customer", "billing", 5},
    {"customer-admin", "customer", "profile", 15},
    {"customer-admin", "customer", "accounts", 1},
    {"partner-admin", "partner", "users", 15},
    {"partner-admin", "partner", "profile", 15},
    {"partner-admin", "partner", "partners", 15},
    {"partner-admin", "partner", "accounts", 15},
    {"partner-admin", "partner", "billing", 1},
    {"partner-admin", "partner", "funds", 3},
    {"partner-admin", "partner", "commissions", 3},
    {"partner-staff", "partner", "users", 1},
    {"partner-staff", "partner", "profile", 15},
    {"partner-staff", "partner", "partners", 1},
    {"partner-staff", "partner", "accounts", 1},
    {"partner-staff", "partner", "billing", 1},
    {"partner-staff", "partner", "funds", 1},
    {"partner-staff", "partner", "commissions", 1},
};

#define N_OF(x) (sizeof(x) / sizeof((x)[0]))

struct brand_in {
	const tp_brand_spec *b;
	const char *plan;
	char **hosts; /* lower-cased, in the arena */
	size_t nhosts, nmodules;
	char *base_url; /* normalised (malloc'd), or NULL: the default */
};

static tp_rc brand_body(struct ctx *c, const void *arg, uint64_t *out)
{
	const struct brand_in *in = arg;
	const tp_brand_spec *b = in->b;
	tp_rows *rs;
	tp_rc rc;

	rc = tp_db_query_a(c->db, &c->a, &rs,
	                   "SELECT id FROM tenants WHERE slug = ?", "s",
	                   b->slug);
	if (rc != TP_OK)
		return db_fail(c, rc, "looking up the slug");
	if (tp_rows_count(rs) > 0)
		return fail(c, TP_ECONFLICT, _("brand slug %s is taken"),
		            b->slug);
	for (size_t i = 0; i < in->nhosts; i++) {
		rc = tp_db_query_a(c->db, &c->a, &rs,
		                   "SELECT t.slug FROM tenant_hosts h JOIN "
		                   "tenants t ON t.id = h.tenant_id "
		                   "WHERE h.host = ?",
		                   "s", in->hosts[i]);
		if (rc != TP_OK)
			return db_fail(c, rc, "looking up the hosts");
		if (tp_rows_count(rs) > 0)
			return fail(c, TP_ECONFLICT,
			            _("host %s already belongs to brand %s"),
			            in->hosts[i], tp_rows_get(rs, 0, 0));
	}

	rc =
	    tp_db_query_a(c->db, &c->a, &rs,
	                  "SELECT id FROM plans WHERE name = ?", "s", in->plan);
	if (rc != TP_OK)
		return db_fail(c, rc, "looking up the plan");
	uint64_t plan_id = first_id(rs);
	if (plan_id == 0) {
		rc = tp_db_exec(c->db, NULL,
		                "INSERT INTO plans (name) VALUES (?)", "s",
		                in->plan);
		if (rc != TP_OK)
			return db_fail(c, rc, "creating the plan");
		plan_id = tp_db_last_id(c->db);
		tp_log(TP_LOG_INFO, "TP0602", "plan %s created (id %llu)",
		       in->plan, (unsigned long long)plan_id);
	}
	for (size_t i = 0; i < in->nmodules; i++) {
		uint64_t n = 0;
		/* an existing plan gains the modules it lacks */
		rc = tp_db_exec(c->db, &n,
		                "INSERT INTO plan_modules (plan_id, module) "
		                "VALUES (?, ?) ON DUPLICATE KEY UPDATE "
		                "module = module",
		                "Is", (int64_t)plan_id, b->modules[i]);
		if (rc != TP_OK)
			return db_fail(c, rc, "adding the plan's modules");
		if (n > 0)
			tp_log(TP_LOG_INFO, "TP0603",
			       "plan %s: module %s added", in->plan,
			       b->modules[i]);
	}

	rc = tp_db_exec(c->db, NULL,
	                "INSERT INTO tenants (slug, name, plan_id, "
	                "is_platform, base_url) VALUES (?, ?, ?, ?, ?)",
	                "ssIis", b->slug, b->name, (int64_t)plan_id,
	                b->platform ? 1 : 0, in->base_url);
	if (rc != TP_OK)
		return db_fail(c, rc, "creating the brand");
	uint64_t tid = tp_db_last_id(c->db);
	for (size_t i = 0; i < in->nhosts; i++) {
		rc = tp_db_exec(c->db, NULL,
		                "INSERT INTO tenant_hosts (host, tenant_id) "
		                "VALUES (?, ?)",
		                "sI", in->hosts[i], (int64_t)tid);
		if (rc == TP_ECONFLICT)
			return fail(c, rc,
			            _("host %s already belongs to a brand"),
			            in->hosts[i]);
		if (rc != TP_OK)
			return db_fail(c, rc, "adding the hosts");
	}

	for (size_t i = 0; i < N_OF(default_tiers); i++) {
		rc = tp_db_exec(c->db, NULL,
		                "INSERT INTO tiers (tenant_id, name, rank_no, "
		                "points_threshold, support_level) "
		                "VALUES (?, ?, ?, ?, ?)",
		                "Isiis", (int64_t)tid, default_tiers[i].name,
		                default_tiers[i].rank, default_tiers[i].points,
		                default_tiers[i].support);
		if (rc != TP_OK)
			return db_fail(c, rc, "creating the tiers");
		uint64_t tier = tp_db_last_id(c->db);
		rc = tp_db_exec(c->db, NULL,
		                "INSERT INTO tier_modules (tier_id, module) "
		                "SELECT ?, module FROM plan_modules "
		                "WHERE plan_id = ?",
		                "II", (int64_t)tier, (int64_t)plan_id);
		if (rc != TP_OK)
			return db_fail(c, rc, "enabling the tiers' modules");
	}

	uint64_t gid = 0;
	const char *gname = NULL;
	for (size_t i = 0; i < N_OF(default_rights); i++) {
		if (gname == NULL || strcmp(gname, default_rights[i].group)) {
			gname = default_rights[i].group;
			rc = tp_db_exec(c->db, NULL,
			                "INSERT INTO rights_groups (tenant_id, "
			                "name, kind) VALUES (?, ?, ?)",
			                "Iss", (int64_t)tid, gname,
			                default_rights[i].kind);
			if (rc != TP_OK)
				return db_fail(c, rc,
				               "creating the rights groups");
			gid = tp_db_last_id(c->db);
		}
		rc = tp_db_exec(c->db, NULL,
		                "INSERT INTO group_rights (group_id, area, "
		                "rights) VALUES (?, ?, ?)",
		                "Isi", (int64_t)gid, default_rights[i].area,
		                default_rights[i].rights);
		if (rc != TP_OK)
			return db_fail(c, rc, "granting the groups' rights");
	}

	tp_log(TP_LOG_INFO, "TP0601",
	       "brand %s added (id %llu, plan %s, %zu host(s))", b->slug,
	       (unsigned long long)tid, in->plan, in->nhosts);
	if (out != NULL)
		*out = tid;
	return TP_OK;
}

tp_rc tp_admin_brand_add(tp_db *db, const tp_brand_spec *b, uint64_t *id,
                         char *err, size_t errlen)
{
	struct ctx c;
	struct brand_in in = {.b = b};
	const char *why;
	tp_rc rc = TP_EINVAL;

	ctx_init(&c, db, err, errlen);
	in.plan = b->plan != NULL ? b->plan : "standard";
	if (!slug_ok(b->slug)) {
		fail(&c, rc,
		     _("slug: use 1-64 of a-z, 0-9 and '-', starting "
		       "with a letter or digit"));
		goto out;
	}
	if ((why = tp_text_bad(b->name, 128, false)) != NULL) {
		fail(&c, rc, _("name %s"), why);
		goto out;
	}
	if ((why = tp_text_bad(in.plan, 64, false)) != NULL) {
		fail(&c, rc, _("plan name %s"), why);
		goto out;
	}
	for (size_t i = 0; b->hosts != NULL && b->hosts[i] != NULL; i++)
		in.nhosts++;
	if (in.nhosts == 0) {
		fail(&c, rc, _("a brand needs at least one host name"));
		goto out;
	}
	in.hosts = tp_arena_alloc(&c.a, in.nhosts * sizeof(char *));
	for (size_t i = 0; i < in.nhosts; i++) {
		in.hosts[i] = host_norm(&c.a, b->hosts[i]);
		if (in.hosts[i] == NULL) {
			fail(&c, rc, _("host %s: not a host name"),
			     b->hosts[i]);
			goto out;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(in.hosts[i], in.hosts[j]) == 0) {
				fail(&c, rc, _("host %s given twice"),
				     in.hosts[i]);
				goto out;
			}
	}
	for (size_t i = 0; b->modules != NULL && b->modules[i] != NULL; i++) {
		if (!tp_module_name_ok(b->modules[i])) {
			fail(&c, rc, _("module %s: not a module name"),
			     b->modules[i]);
			goto out;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(b->modules[i], b->modules[j]) == 0) {
				fail(&c, rc, _("module %s given twice"),
				     b->modules[i]);
				goto out;
			}
		in.nmodules++;
	}
	if (b->base_url != NULL &&
	    (why = tp_base_url_bad(b->base_url, &in.base_url)) != NULL) {
		fail(&c, rc, _("base URL %s: %s"), b->base_url, why);
		goto out;
	}
	rc = txn(&c, brand_body, &in, id);
out:
	free(in.base_url);
	tp_arena_destroy(&c.a);
	return rc;
}

/* ------------------------------------------------------------------ */
/* partners                                                             */

static const char *const partner_kinds[] = {"agent", "sub-agent", "distributor",
                                            NULL};

static tp_rc partner_body(struct ctx *c, const void *arg, uint64_t *out)
{
	const tp_partner_spec *p = arg;
	const char *tier = p->tier != NULL ? p->tier : "Bronze";
	tp_rows *rs;
	tp_rc rc;

	if ((rc = tenant_exists(c, p->tenant_id)) != TP_OK)
		return rc;
	if (p->parent_id != 0) {
		/* the share lock keeps the parent (and so its ancestors)
		 * from moving while we copy its closure rows */
		rc = tp_db_query_a(c->db, &c->a, &rs,
		                   "SELECT id FROM partners WHERE id = ? AND "
		                   "tenant_id = ? LOCK IN SHARE MODE",
		                   "II", (int64_t)p->parent_id,
		                   (int64_t)p->tenant_id);
		if (rc != TP_OK)
			return db_fail(c, rc, "looking up the parent");
		if (tp_rows_count(rs) == 0)
			return fail(c, TP_ENOENT,
			            _("no partner %llu in this brand to be the "
			              "parent"),
			            (unsigned long long)p->parent_id);
	}
	rc = tp_db_query_a(c->db, &c->a, &rs,
	                   "SELECT id FROM tiers WHERE tenant_id = ? AND "
	                   "name = ?",
	                   "Is", (int64_t)p->tenant_id, tier);
	if (rc != TP_OK)
		return db_fail(c, rc, "looking up the tier");
	uint64_t tier_id = first_id(rs);
	if (tier_id == 0)
		return fail(c, TP_ENOENT, _("no tier %s in this brand"), tier);

	rc = tp_db_exec(c->db, NULL,
	                "INSERT INTO partners (tenant_id, parent_id, name, "
	                "kind, currency, tier_id) "
	                "VALUES (?, NULLIF(?, 0), ?, ?, ?, ?)",
	                "IIsssI", (int64_t)p->tenant_id, (int64_t)p->parent_id,
	                p->name, p->kind, p->currency, (int64_t)tier_id);
	if (rc != TP_OK)
		return db_fail(c, rc, "creating the partner");
	uint64_t id = tp_db_last_id(c->db);
	rc = tp_db_exec(c->db, NULL,
	                "INSERT INTO partner_tree (ancestor, descendant, "
	                "depth) VALUES (?, ?, 0)",
	                "II", (int64_t)id, (int64_t)id);
	if (rc == TP_OK && p->parent_id != 0)
		rc = tp_db_exec(c->db, NULL,
		                "INSERT INTO partner_tree (ancestor, "
		                "descendant, depth) SELECT ancestor, ?, "
		                "depth + 1 FROM partner_tree "
		                "WHERE descendant = ?",
		                "II", (int64_t)id, (int64_t)p->parent_id);
	if (rc != TP_OK)
		return db_fail(c, rc, "adding the partner to the tree");
	json_object *ev = json_object_new_object();
	json_object_object_add(ev, "name", json_object_new_string(p->name));
	json_object_object_add(ev, "kind", json_object_new_string(p->kind));
	json_object_object_add(ev, "parent_id",
	                       json_object_new_int64((int64_t)p->parent_id));
	rc =
	    tp_event_emit_db(c->db, p->tenant_id, "partner.created", id, 0, ev);
	if (rc != TP_OK)
		return db_fail(c, rc, "recording the partner.created event");
	tp_log(TP_LOG_INFO, "TP0604",
	       "partner %llu (%s) added to brand %llu under %llu",
	       (unsigned long long)id, p->kind,
	       (unsigned long long)p->tenant_id,
	       (unsigned long long)p->parent_id);
	if (out != NULL)
		*out = id;
	return TP_OK;
}

tp_rc tp_admin_partner_add(tp_db *db, const tp_partner_spec *p, uint64_t *id,
                           char *err, size_t errlen)
{
	struct ctx c;
	const char *why;
	tp_rc rc = TP_EINVAL;

	ctx_init(&c, db, err, errlen);
	if (p->tenant_id == 0)
		fail(&c, rc, _("a partner needs a brand"));
	else if ((why = tp_text_bad(p->name, 128, false)) != NULL)
		fail(&c, rc, _("name %s"), why);
	else if (!one_of(p->kind, partner_kinds))
		fail(&c, rc, _("kind must be agent, sub-agent or distributor"));
	else if (!tp_currency_ok(p->currency))
		fail(&c, rc,
		     _("currency must be three capital letters (ISO "
		       "4217), like EUR"));
	else if (p->tier != NULL && (why = tp_text_bad(p->tier, 32, false)))
		fail(&c, rc, _("tier %s"), why);
	else
		rc = txn(&c, partner_body, p, id);
	tp_arena_destroy(&c.a);
	return rc;
}

/* ------------------------------------------------------------------ */
/* accounts                                                             */

static const char *const account_kinds[] = {"standard", "corporate", NULL};

static tp_rc account_body(struct ctx *c, const void *arg, uint64_t *out)
{
	const tp_account_spec *a = arg;
	const char *kind = a->kind != NULL ? a->kind : "standard";
	tp_rows *rs;
	tp_rc rc;

	if ((rc = tenant_exists(c, a->tenant_id)) != TP_OK)
		return rc;
	rc = tp_db_query_a(c->db, &c->a, &rs,
	                   "SELECT currency FROM partners WHERE id = ? AND "
	                   "tenant_id = ? LOCK IN SHARE MODE",
	                   "II", (int64_t)a->partner_id, (int64_t)a->tenant_id);
	if (rc != TP_OK)
		return db_fail(c, rc, "looking up the partner");
	if (tp_rows_count(rs) == 0)
		return fail(c, TP_ENOENT, _("no partner %llu in this brand"),
		            (unsigned long long)a->partner_id);
	const char *currency =
	    a->currency != NULL ? a->currency : tp_rows_get(rs, 0, 0);

	rc = tp_db_query_a(c->db, &c->a, &rs,
	                   "SELECT id FROM accounts WHERE tenant_id = ? AND "
	                   "number = ?",
	                   "Is", (int64_t)a->tenant_id, a->number);
	if (rc != TP_OK)
		return db_fail(c, rc, "looking up the account number");
	if (tp_rows_count(rs) > 0)
		return fail(c, TP_ECONFLICT,
		            _("account number %s is taken in this brand"),
		            a->number);

	if (a->parent_account_id != 0) {
		rc = tp_db_query_a(c->db, &c->a, &rs,
		                   "SELECT kind, partner_id FROM accounts "
		                   "WHERE id = ? AND tenant_id = ? "
		                   "LOCK IN SHARE MODE",
		                   "II", (int64_t)a->parent_account_id,
		                   (int64_t)a->tenant_id);
		if (rc != TP_OK)
			return db_fail(c, rc, "looking up the parent account");
		if (tp_rows_count(rs) == 0)
			return fail(c, TP_ENOENT,
			            _("no account %llu in this brand to be the "
			              "parent"),
			            (unsigned long long)a->parent_account_id);
		if (strcmp(tp_rows_get(rs, 0, 0), "corporate") != 0)
			return fail(
			    c, TP_EINVAL,
			    _("account %llu is not a corporate account"),
			    (unsigned long long)a->parent_account_id);
		/* a sub-account is seen by whoever sees its parent */
		if ((uint64_t)tp_rows_i64(rs, 0, 1) != a->partner_id)
			return fail(c, TP_EINVAL,
			            _("a sub-account belongs to its corporate "
			              "parent's partner (%s)"),
			            tp_rows_get(rs, 0, 1));
	}

	rc = tp_db_exec(c->db, NULL,
	                "INSERT INTO accounts (tenant_id, partner_id, number, "
	                "name, kind, parent_account_id, currency) "
	                "VALUES (?, ?, ?, ?, ?, NULLIF(?, 0), ?)",
	                "IIsssIs", (int64_t)a->tenant_id,
	                (int64_t)a->partner_id, a->number, a->name, kind,
	                (int64_t)a->parent_account_id, currency);
	if (rc == TP_ECONFLICT)
		return fail(c, rc,
		            _("account number %s is taken in this brand"),
		            a->number);
	if (rc != TP_OK)
		return db_fail(c, rc, "creating the account");
	uint64_t id = tp_db_last_id(c->db);
	rc = tp_db_exec(c->db, NULL,
	                "INSERT INTO account_tree (ancestor, descendant, "
	                "depth) VALUES (?, ?, 0)",
	                "II", (int64_t)id, (int64_t)id);
	if (rc == TP_OK && a->parent_account_id != 0)
		rc = tp_db_exec(c->db, NULL,
		                "INSERT INTO account_tree (ancestor, "
		                "descendant, depth) SELECT ancestor, ?, "
		                "depth + 1 FROM account_tree "
		                "WHERE descendant = ?",
		                "II", (int64_t)id,
		                (int64_t)a->parent_account_id);
	if (rc != TP_OK)
		return db_fail(c, rc, "adding the account to the tree");
	json_object *ev = json_object_new_object();
	json_object_object_add(ev, "number", json_object_new_string(a->number));
	json_object_object_add(ev, "name", json_object_new_string(a->name));
	json_object_object_add(ev, "kind", json_object_new_string(kind));
	json_object_object_add(
	    ev, "parent_account_id",
	    json_object_new_int64((int64_t)a->parent_account_id));
	rc = tp_event_emit_db(c->db, a->tenant_id, "account.created",
	                      a->partner_id, id, ev);
	if (rc != TP_OK)
		return db_fail(c, rc, "recording the account.created event");
	tp_log(TP_LOG_INFO, "TP0605",
	       "account %llu (%s, %s) added to brand %llu, partner %llu",
	       (unsigned long long)id, a->number, kind,
	       (unsigned long long)a->tenant_id,
	       (unsigned long long)a->partner_id);
	if (out != NULL)
		*out = id;
	return TP_OK;
}

tp_rc tp_admin_account_add(tp_db *db, const tp_account_spec *a, uint64_t *id,
                           char *err, size_t errlen)
{
	struct ctx c;
	const char *why;
	tp_rc rc = TP_EINVAL;

	ctx_init(&c, db, err, errlen);
	if (a->tenant_id == 0 || a->partner_id == 0)
		fail(&c, rc, _("an account needs a brand and a partner"));
	else if (!tp_account_number_ok(a->number))
		fail(&c, rc,
		     _("number: use 1-32 of A-Z, a-z, 0-9, '.', '_' "
		       "and '-'"));
	else if ((why = tp_text_bad(a->name, 128, false)) != NULL)
		fail(&c, rc, _("name %s"), why);
	else if (a->kind != NULL && !one_of(a->kind, account_kinds))
		fail(&c, rc, _("kind must be standard or corporate"));
	else if (a->currency != NULL && !tp_currency_ok(a->currency))
		fail(&c, rc,
		     _("currency must be three capital letters (ISO "
		       "4217), like EUR"));
	else
		rc = txn(&c, account_body, a, id);
	tp_arena_destroy(&c.a);
	return rc;
}

/* ------------------------------------------------------------------ */
/* users                                                                */

static const char *const user_kinds[] = {"operator", "partner", "customer",
                                         NULL};

struct user_in {
	const tp_user_spec *u;
	const char *hash;
};

static tp_rc user_body(struct ctx *c, const void *arg, uint64_t *out)
{
	const struct user_in *in = arg;
	const tp_user_spec *u = in->u;
	int64_t tenant = (int64_t)u->tenant_id;
	uint64_t group_id = 0;
	tp_rows *rs;
	tp_rc rc;

	if ((rc = tenant_exists(c, u->tenant_id)) != TP_OK)
		return rc;
	if (u->partner_id != 0) {
		rc = tp_db_query_a(c->db, &c->a, &rs,
		                   "SELECT id FROM partners WHERE id = ? AND "
		                   "tenant_id = ? LOCK IN SHARE MODE",
		                   "II", (int64_t)u->partner_id, tenant);
		if (rc != TP_OK)
			return db_fail(c, rc, "looking up the partner");
		if (tp_rows_count(rs) == 0)
			return fail(c, TP_ENOENT,
			            _("no partner %llu in this brand"),
			            (unsigned long long)u->partner_id);
	}
	if (u->account_id != 0) {
		rc = tp_db_query_a(c->db, &c->a, &rs,
		                   "SELECT id FROM accounts WHERE id = ? AND "
		                   "tenant_id = ? LOCK IN SHARE MODE",
		                   "II", (int64_t)u->account_id, tenant);
		if (rc != TP_OK)
			return db_fail(c, rc, "looking up the account");
		if (tp_rows_count(rs) == 0)
			return fail(c, TP_ENOENT,
			            _("no account %llu in this brand"),
			            (unsigned long long)u->account_id);
	}
	rc = tp_db_query_a(c->db, &c->a, &rs,
	                   "SELECT id FROM users WHERE tenant_id = ? AND "
	                   "kind = ? AND login = ?",
	                   "Iss", tenant, u->kind, u->login);
	if (rc != TP_OK)
		return db_fail(c, rc, "looking up the login");
	if (tp_rows_count(rs) > 0)
		return fail(
		    c, TP_ECONFLICT,
		    _("login %s is taken by another %s user of this brand"),
		    u->login, u->kind);
	if (u->group != NULL) {
		rc = tp_db_query_a(c->db, &c->a, &rs,
		                   "SELECT id, kind FROM rights_groups WHERE "
		                   "tenant_id = ? AND name = ?",
		                   "Is", tenant, u->group);
		if (rc != TP_OK)
			return db_fail(c, rc, "looking up the rights group");
		if (tp_rows_count(rs) == 0)
			return fail(c, TP_ENOENT,
			            _("no rights group %s in this brand"),
			            u->group);
		if (strcmp(tp_rows_get(rs, 0, 1), u->kind) != 0)
			return fail(
			    c, TP_EINVAL,
			    _("rights group %s is for %s users, not %s"),
			    u->group, tp_rows_get(rs, 0, 1), u->kind);
		group_id = first_id(rs);
	}

	rc = tp_db_exec(c->db, NULL,
	                "INSERT INTO users (tenant_id, kind, partner_id, "
	                "account_id, login, name, email, password_hash, "
	                "is_admin) VALUES (?, ?, NULLIF(?, 0), NULLIF(?, 0), "
	                "?, ?, ?, ?, ?)",
	                "IsIIssssi", tenant, u->kind, (int64_t)u->partner_id,
	                (int64_t)u->account_id, u->login,
	                u->name != NULL ? u->name : "", u->email, in->hash,
	                u->is_admin ? 1 : 0);
	if (rc == TP_ECONFLICT)
		return fail(
		    c, rc,
		    _("login %s is taken by another %s user of this brand"),
		    u->login, u->kind);
	if (rc != TP_OK)
		return db_fail(c, rc, "creating the user");
	uint64_t id = tp_db_last_id(c->db);
	if (group_id != 0) {
		rc = tp_db_exec(
		    c->db, NULL,
		    "INSERT INTO user_rights (user_id, area, rights) "
		    "SELECT ?, area, rights FROM group_rights "
		    "WHERE group_id = ?",
		    "II", (int64_t)id, (int64_t)group_id);
		if (rc != TP_OK)
			return db_fail(c, rc, "granting the group's rights");
	}
	tp_log(TP_LOG_INFO, "TP0606",
	       "user %llu (%s, login %s%s) added to brand %llu",
	       (unsigned long long)id, u->kind, u->login,
	       u->is_admin ? ", admin" : "", (unsigned long long)u->tenant_id);
	if (out != NULL)
		*out = id;
	return TP_OK;
}

/* The ids a user of each kind carries: exactly the one of its kind. */
static const char *user_ids_bad(const tp_user_spec *u)
{
	if (strcmp(u->kind, "operator") == 0)
		return u->partner_id || u->account_id
		           ? _("an operator user has no partner or account")
		           : NULL;
	if (strcmp(u->kind, "partner") == 0)
		return u->partner_id == 0 || u->account_id
		           ? _("a partner user needs a partner and no account")
		           : NULL;
	return u->account_id == 0 || u->partner_id
	           ? _("a customer user needs an account and no partner")
	           : NULL;
}

/* NULL if u may be stored, else what is wrong with it */
static const char *user_bad(struct ctx *c, const tp_user_spec *u)
{
	const char *why;

	if (u->tenant_id == 0)
		return _("a user needs a brand");
	if (!one_of(u->kind, user_kinds))
		return _("kind must be operator, partner or customer");
	if ((why = user_ids_bad(u)) != NULL)
		return why;
	if ((why = tp_text_bad(u->login, 128, false)) != NULL) {
		fail(c, TP_EINVAL, _("login %s"), why);
		return c->err;
	}
	if (u->login[0] == ' ' || u->login[strlen(u->login) - 1] == ' ')
		return _("login must not start or end with a space");
	if ((why = tp_text_bad(u->name, 128, true)) != NULL) {
		fail(c, TP_EINVAL, _("name %s"), why);
		return c->err;
	}
	if ((why = tp_text_bad(u->email, 255, true)) != NULL) {
		fail(c, TP_EINVAL, _("email %s"), why);
		return c->err;
	}
	if (u->email != NULL && *u->email != '\0' &&
	    (strchr(u->email, '@') == NULL || strchr(u->email, ' ') != NULL))
		return _("email is not an address");
	if (u->group != NULL && (why = tp_text_bad(u->group, 64, false))) {
		fail(c, TP_EINVAL, _("group %s"), why);
		return c->err;
	}
	return tp_password_weak(u->password);
}

tp_rc tp_admin_user_add(tp_db *db, const tp_user_spec *u, uint64_t *id,
                        char *err, size_t errlen)
{
	struct ctx c;
	char buf[256];
	const char *why;
	char *hash = NULL;
	tp_user_spec copy = *u;
	struct user_in in = {.u = &copy};
	tp_rc rc;

	/* the checks format into our own buffer: err may be NULL */
	ctx_init(&c, db, buf, sizeof(buf));
	if ((why = user_bad(&c, u)) != NULL) {
		rc = TP_EINVAL;
		if (why != buf)
			snprintf(buf, sizeof(buf), "%s", why);
		goto out;
	}
	/* hashed before the transaction: it takes a while and needs no
	 * locks */
	if ((rc = tp_password_hash(u->password, &hash)) != TP_OK) {
		fail(&c, rc, _("the password could not be hashed"));
		goto out;
	}
	if (copy.email != NULL && *copy.email == '\0')
		copy.email = NULL; /* no address is NULL, not '' */
	in.hash = hash;
	rc = txn(&c, user_body, &in, id);
out:
	if (rc != TP_OK && err != NULL && errlen > 0)
		snprintf(err, errlen, "%s", buf);
	else if (err != NULL && errlen > 0)
		err[0] = '\0';
	free(hash);
	tp_arena_destroy(&c.a);
	return rc;
}
