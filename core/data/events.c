/*
 * events.c -- events: tp_event_emit writes a row in the caller's
 * transaction, and tp_events_deliver (tierportctl's, never a request's)
 * hands each to the modules subscribed to it: at least once, in order per
 * account, each handler in a transaction of its own, retried with back-off
 * and parked after [events] max_attempts. The tables are sql/009's.
 */
#include "config.h"
#include "data/data.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* [a-z][a-z0-9_]* parts joined by single dots: "account.status_changed" */
static bool event_name_ok(const char *s, bool prefix)
{
	size_t n = s != NULL ? strlen(s) : 0;
	if (n == 0 || n > 64 || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '.') {
			if (s[i - 1] == '.' || (i == n - 1 && !prefix))
				return false;
		} else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		             c == '_')) {
			return false;
		}
	}
	return true;
}

const char *tp_event_check(const tp_event *e)
{
	if (e->handler == NULL)
		return "event subscription without a handler";
	if (!event_name_ok(e->name, true))
		return "event subscription name must be [a-z0-9_] parts "
		       "joined by dots (a prefix ends in '.')";
	return NULL;
}

tp_rc tp_event_emit_db(tp_db *db, uint64_t tenant, const char *name,
                       uint64_t partner_id, uint64_t account_id,
                       json_object *payload)
{
	char *json = NULL;

	if (!event_name_ok(name, false)) {
		json_object_put(payload);
		tp_log(TP_LOG_ERR, "TP1603",
		       "tp_event_emit: bad event name \"%s\"",
		       name ? name : "(null)");
		return TP_EINTERNAL;
	}
	if (payload != NULL)
		json = strdup(json_object_to_json_string_ext(
		    payload, JSON_C_TO_STRING_PLAIN));
	json_object_put(payload);
	tp_rc rc = tp_db_exec(db, NULL,
	                      "INSERT INTO events (tenant_id, partner_id, "
	                      "account_id, name, payload) VALUES (NULLIF(?, "
	                      "0), NULLIF(?, 0), NULLIF(?, 0), ?, ?)",
	                      "IIIss", (int64_t)tenant, (int64_t)partner_id,
	                      (int64_t)account_id, name, json);
	free(json);
	return rc;
}

tp_rc tp_event_emit(tp_req *r, const char *name, uint64_t partner_id,
                    uint64_t account_id, json_object *payload)
{
	return tp_event_emit_db(tp_req_db(r), tp_tenant_id(r), name, partner_id,
	                        account_id, payload);
}

/* The module's first subscription that takes name, or NULL. */
static const tp_event *sub_match(const tp_module *m, const char *name)
{
	for (const tp_event *e = m->events; e != NULL && e->name != NULL; e++) {
		size_t n = strlen(e->name);
		if (e->name[n - 1] == '.' ? strncmp(name, e->name, n) == 0
		                          : strcmp(name, e->name) == 0)
			return e;
	}
	return NULL;
}

struct dlv {
	const tp_config *cfg;
	tp_db *db;
	tp_req *ctx;
	const tp_module *m;
	tp_events_stat *st;
	tp_arena a; /* the pass's own queries */
	char lock[80];
};

/* One event as the queries below return it: id, tenant, partner,
 * account, name, payload[, attempts, order key]. */
struct ev {
	uint64_t id, tenant, partner, account;
	const char *name, *payload;
	unsigned attempts;
	char key[24];
};

static void ev_read(const tp_rows *rs, size_t i, struct ev *e)
{
	e->id = (uint64_t)tp_rows_i64(rs, i, 0);
	e->tenant = (uint64_t)tp_rows_i64(rs, i, 1);
	e->partner = (uint64_t)tp_rows_i64(rs, i, 2);
	e->account = (uint64_t)tp_rows_i64(rs, i, 3);
	e->name = tp_rows_get(rs, i, 4);
	e->payload = tp_rows_get(rs, i, 5);
	e->attempts = 0;
	if (e->account)
		snprintf(e->key, sizeof(e->key), "a%llu",
		         (unsigned long long)e->account);
	else if (e->partner)
		snprintf(e->key, sizeof(e->key), "p%llu",
		         (unsigned long long)e->partner);
	else
		e->key[0] = '\0';
}

/* Still the one deliverer of this module? The lock is the connection's:
 * a reconnect (the server went away) loses it. */
static bool lock_held(struct dlv *d)
{
	tp_rows *rs;
	return tp_db_query_a(d->db, &d->a, &rs,
	                     "SELECT IS_USED_LOCK(?) = CONNECTION_ID()", "s",
	                     d->lock) == TP_OK &&
	       tp_rows_count(rs) == 1 && tp_rows_i64(rs, 0, 0) == 1;
}

/* Runs the handler on e in a transaction that also records the delivery;
 * a failure is recorded after a rollback, for a retry or parked. */
static tp_rc deliver(struct dlv *d, const tp_event *sub, const struct ev *e,
                     bool has_row)
{
	tp_req *ctx = d->ctx;
	tp_db *db = d->db;
	const char *mod = d->m->name;
	char err[512];
	tp_rc rc = tp_ctx_reset(ctx, e->tenant);

	if (rc == TP_ENOENT)
		tp_fail(ctx, rc, NULL, "brand %llu is gone",
		        (unsigned long long)e->tenant);
	if (rc == TP_OK)
		rc = tp_db_begin(db);
	if (rc == TP_OK) {
		tp_event_msg msg = {
		    .id = e->id,
		    .name = e->name,
		    .tenant_id = e->tenant,
		    .partner_id = e->partner,
		    .account_id = e->account,
		    .payload =
		        e->payload
		            ? tp_json_owned(ctx, json_tokener_parse(e->payload))
		            : NULL,
		    .attempt = e->attempts + 1,
		};
		rc = sub->handler(ctx, &msg);
		if (rc == TP_OK && !tp_db_in_txn(db)) {
			tp_fail(ctx, TP_EINTERNAL, NULL,
			        "the handler ended the core's transaction");
			rc = TP_EINTERNAL;
		}
		if (rc == TP_OK)
			rc = has_row
			         ? tp_db_exec(
			               db, NULL,
			               "UPDATE event_deliveries SET state = "
			               "'done', attempts = attempts + 1, "
			               "last_error = NULL WHERE module = ? "
			               "AND event_id = ?",
			               "sI", mod, (int64_t)e->id)
			         : tp_db_exec(
			               db, NULL,
			               "INSERT INTO event_deliveries (module, "
			               "event_id, order_key, state, attempts) "
			               "VALUES (?, ?, ?, 'done', 1)",
			               "sIs", mod, (int64_t)e->id, e->key);
		if (rc == TP_OK)
			rc = tp_db_commit(db);
		else
			tp_db_rollback(db);
	}
	if (rc == TP_OK) {
		d->st->delivered++;
		return TP_OK;
	}

	snprintf(err, sizeof(err), "%s", tp_ctx_error(ctx, rc));
	unsigned attempts = e->attempts + 1;
	bool parked = attempts >= d->cfg->events_max_attempts;
	unsigned delay = d->cfg->events_retry_seconds;
	for (unsigned i = 1; i < attempts && delay < 3600; i++)
		delay *= 2;
	if (delay > 3600)
		delay = 3600;
	const char *state = parked ? "parked" : "waiting";
	tp_rc wrc =
	    has_row
	        ? tp_db_exec(db, NULL,
	                     "UPDATE event_deliveries SET state = ?, attempts "
	                     "= ?, next_try = NOW() + INTERVAL ? SECOND, "
	                     "last_error = ? WHERE module = ? AND event_id = ?",
	                     "siissI", state, (int)attempts, (int)delay, err,
	                     mod, (int64_t)e->id)
	        : tp_db_exec(
	              db, NULL,
	              "INSERT INTO event_deliveries (module, event_id, "
	              "order_key, state, attempts, next_try, last_error) "
	              "VALUES (?, ?, ?, ?, ?, NOW() + INTERVAL ? SECOND, "
	              "?)",
	              "sIssiis", mod, (int64_t)e->id, e->key, state,
	              (int)attempts, (int)delay, err);
	if (parked) {
		d->st->parked++;
		tp_log(TP_LOG_ERR, "TP1605",
		       "event %llu (%s) parked for module %s after %u "
		       "attempts: %s (tierportctl events retry %llu)",
		       (unsigned long long)e->id, e->name, mod, attempts, err,
		       (unsigned long long)e->id);
	} else {
		d->st->failed++;
		tp_log(TP_LOG_WARN, "TP1604",
		       "event %llu (%s) for module %s failed (attempt %u, "
		       "again in %us): %s",
		       (unsigned long long)e->id, e->name, mod, attempts, delay,
		       err);
	}
	return wrc;
}

#define EV_COLS                                                                \
	"e.id, e.tenant_id, e.partner_id, e.account_id, e.name, e.payload"

/* Retries that are due, each only once no earlier event of its order
 * key is still waiting. */
static tp_rc pass_retries(struct dlv *d)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query_a(
	    d->db, &d->a, &rs,
	    "SELECT " EV_COLS ", d.attempts FROM event_deliveries d JOIN "
	    "events e ON e.id = d.event_id WHERE d.module = ? AND d.state = "
	    "'waiting' AND d.next_try <= NOW() AND (d.order_key = '' OR NOT "
	    "EXISTS (SELECT 1 FROM event_deliveries q WHERE q.module = "
	    "d.module AND q.order_key = d.order_key AND q.state = 'waiting' "
	    "AND q.event_id < d.event_id)) ORDER BY d.event_id LIMIT ?",
	    "si", d->m->name, (int)d->cfg->events_batch);
	for (size_t i = 0; rc == TP_OK && i < tp_rows_count(rs); i++) {
		struct ev e;
		ev_read(rs, i, &e);
		e.attempts = (unsigned)tp_rows_i64(rs, i, 6);
		const tp_event *sub = sub_match(d->m, e.name);
		if (!lock_held(d))
			return TP_ECONFLICT;
		if (sub == NULL) /* no longer subscribed: nothing owed */
			rc = tp_db_exec(
			    d->db, NULL,
			    "UPDATE event_deliveries SET state = "
			    "'done' WHERE module = ? AND event_id = ?",
			    "sI", d->m->name, (int64_t)e.id);
		else
			rc = deliver(d, sub, &e, true);
	}
	return rc;
}

/* "(e.name = 'a.b' OR LEFT(e.name, 8) = 'account.')": the module's
 * subscriptions as SQL, the names inline (tp_event_check let through
 * only [a-z0-9_.], so nothing to quote). */
static const char *sub_filter(struct dlv *d)
{
	size_t n = 3;
	for (const tp_event *e = d->m->events; e->name != NULL; e++)
		n += strlen(e->name) + 40;
	char *s = tp_arena_alloc(&d->a, n), *p = s;
	if (s == NULL)
		return NULL;
	p += sprintf(p, "(");
	for (const tp_event *e = d->m->events; e->name != NULL; e++) {
		size_t len = strlen(e->name);
		p +=
		    e->name[len - 1] == '.'
		        ? sprintf(p, "%sLEFT(e.name, %zu) = '%s'",
		                  e == d->m->events ? "" : " OR ", len, e->name)
		        : sprintf(p, "%se.name = '%s'",
		                  e == d->m->events ? "" : " OR ", e->name);
	}
	sprintf(p, ")");
	return s;
}

/* Events of the module's subscriptions not yet seen by it, above its
 * cursor. The names are matched in the query: a window of other events
 * (which get no row) would fill the LIMIT for as long as the cursor waits
 * at a gap, and nothing new would be delivered. */
static tp_rc pass_new(struct dlv *d, uint64_t cursor)
{
	tp_rows *rs, *w;
	static const char q[] =
	    "SELECT " EV_COLS " FROM events e WHERE e.id > ? AND %s AND NOT "
	    "EXISTS (SELECT 1 FROM event_deliveries d WHERE d.module = ? AND "
	    "d.event_id = e.id) ORDER BY e.id LIMIT ?";
	const char *names = sub_filter(d);
	size_t n = sizeof(q) + (names != NULL ? strlen(names) : 0);
	char *sql = names != NULL ? tp_arena_alloc(&d->a, n) : NULL;
	if (sql == NULL)
		return TP_EINTERNAL; /* out of memory */
	snprintf(sql, n, q, names);
	tp_rc rc = tp_db_query_a(d->db, &d->a, &rs, sql, "Isi", (int64_t)cursor,
	                         d->m->name, (int)d->cfg->events_batch);
	for (size_t i = 0; rc == TP_OK && i < tp_rows_count(rs); i++) {
		struct ev e;
		ev_read(rs, i, &e);
		const tp_event *sub = sub_match(d->m, e.name);
		if (sub == NULL)
			continue;
		if (!lock_held(d))
			return TP_ECONFLICT;
		/* a brand whose plan lacks the module owes it nothing: seen,
		 * so the cursor moves on */
		if (e.tenant != 0) {
			rc = tp_db_query_a(
			    d->db, &d->a, &w,
			    "SELECT 1 FROM tenants t JOIN "
			    "plan_modules pm ON pm.plan_id = "
			    "t.plan_id AND pm.module = ? WHERE t.id "
			    "= ?",
			    "sI", d->m->name, (int64_t)e.tenant);
			if (rc == TP_OK && tp_rows_count(w) == 0) {
				rc =
				    tp_db_exec(d->db, NULL,
				               "INSERT INTO event_deliveries "
				               "(module, event_id, order_key, "
				               "state, attempts) VALUES (?, ?, "
				               "'', 'done', 0)",
				               "sI", d->m->name, (int64_t)e.id);
				continue;
			}
			if (rc != TP_OK)
				break;
		}
		/* in order per account: behind an earlier event of the same
		 * key still owed (a parked one no longer holds the rest) */
		rc = e.key[0] == '\0'
		         ? TP_OK
		         : tp_db_query_a(d->db, &d->a, &w,
		                         "SELECT 1 FROM event_deliveries WHERE "
		                         "module = ? AND order_key = ? AND "
		                         "state = 'waiting' LIMIT 1",
		                         "ss", d->m->name, e.key);
		if (rc != TP_OK)
			break;
		if (e.key[0] != '\0' && tp_rows_count(w) > 0) {
			rc =
			    tp_db_exec(d->db, NULL,
			               "INSERT INTO event_deliveries (module, "
			               "event_id, order_key, state) VALUES (?, "
			               "?, ?, 'waiting')",
			               "sIs", d->m->name, (int64_t)e.id, e.key);
			d->st->queued++;
			continue;
		}
		rc = deliver(d, sub, &e, false);
	}
	return rc;
}

/* Moves the cursor over every event seen, as far as the first that is
 * not, or the first gap in the ids that may still be a transaction in
 * flight (the event after it younger than gap_seconds). */
static tp_rc pass_cursor(struct dlv *d, uint64_t cursor)
{
	tp_rows *rs;
	uint64_t to = cursor;
	tp_rc rc = tp_db_query_a(
	    d->db, &d->a, &rs,
	    "SELECT e.id, e.name, e.created_at < NOW() - INTERVAL ? SECOND, "
	    "EXISTS (SELECT 1 FROM event_deliveries d WHERE d.module = ? AND "
	    "d.event_id = e.id) FROM events e WHERE e.id > ? ORDER BY e.id "
	    "LIMIT ?",
	    "isIi", (int)d->cfg->events_gap_seconds, d->m->name,
	    (int64_t)cursor, (int)d->cfg->events_batch * 2);
	for (size_t i = 0; rc == TP_OK && i < tp_rows_count(rs); i++) {
		uint64_t id = (uint64_t)tp_rows_i64(rs, i, 0);
		bool old = tp_rows_i64(rs, i, 2) != 0;
		bool seen = tp_rows_i64(rs, i, 3) != 0;
		if (id != to + 1 && !old)
			break;
		if (!seen && sub_match(d->m, tp_rows_get(rs, i, 1)) != NULL)
			break;
		to = id;
	}
	if (rc != TP_OK || to == cursor)
		return rc;
	rc = tp_db_exec(d->db, NULL,
	                "UPDATE event_cursors SET last_event_id = ?, "
	                "updated_at = NOW() WHERE module = ?",
	                "Is", (int64_t)to, d->m->name);
	if (rc == TP_OK)
		rc = tp_db_exec(d->db, NULL,
		                "DELETE FROM event_deliveries WHERE module = ? "
		                "AND event_id <= ? AND state = 'done'",
		                "sI", d->m->name, (int64_t)to);
	return rc;
}

static tp_rc module_pass(struct dlv *d)
{
	tp_rows *rs;
	snprintf(d->lock, sizeof(d->lock), "tierport.events.%s", d->m->name);
	/* one deliverer per module at a time, whatever the number of
	 * schedulers: a named lock of the connection, gone with it */
	tp_rc rc = tp_db_query_a(d->db, &d->a, &rs, "SELECT GET_LOCK(?, 0)",
	                         "s", d->lock);
	if (rc != TP_OK || tp_rows_i64(rs, 0, 0) != 1)
		return rc;
	rc = tp_db_query_a(d->db, &d->a, &rs,
	                   "SELECT last_event_id FROM event_cursors WHERE "
	                   "module = ?",
	                   "s", d->m->name);
	if (rc == TP_OK && tp_rows_count(rs) == 0) {
		/* a new subscriber starts at the newest event: what happened
		 * before it was installed is not its. Read, then written: an
		 * INSERT ... SELECT MAX(id) would share-lock the end of events
		 * and deadlock with every transaction emitting one. */
		rc = tp_db_query_a(d->db, &d->a, &rs,
		                   "SELECT COALESCE(MAX(id), 0) FROM events",
		                   "");
		if (rc == TP_OK)
			rc =
			    tp_db_exec(d->db, NULL,
			               "INSERT IGNORE INTO event_cursors "
			               "(module, last_event_id) VALUES (?, ?)",
			               "sI", d->m->name, tp_rows_i64(rs, 0, 0));
		if (rc == TP_OK)
			rc = tp_db_query_a(d->db, &d->a, &rs,
			                   "SELECT last_event_id FROM "
			                   "event_cursors WHERE module = ?",
			                   "s", d->m->name);
	}
	uint64_t cursor = rc == TP_OK && tp_rows_count(rs) == 1
	                      ? (uint64_t)tp_rows_i64(rs, 0, 0)
	                      : UINT64_MAX;
	if (rc == TP_OK)
		rc = pass_retries(d);
	if (rc == TP_OK)
		rc = pass_new(d, cursor);
	if (rc == TP_OK)
		rc = pass_cursor(d, cursor);
	tp_db_query_a(d->db, &d->a, &rs, "SELECT RELEASE_LOCK(?)", "s",
	              d->lock);
	return rc == TP_ECONFLICT ? TP_OK : rc; /* lost the lock: next pass */
}

tp_rc tp_events_deliver(const tp_config *cfg, tp_db *db, const tp_modules *ms,
                        tp_events_stat *st)
{
	tp_rc rc = TP_OK;
	tp_req *ctx = NULL;

	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < ms->n; i++) {
		const tp_module *m = ms->mods[i].mod;
		if (m->events == NULL || m->events->name == NULL)
			continue;
		if (ctx == NULL && (ctx = tp_ctx_new(cfg, db)) == NULL)
			return TP_EINTERNAL;
		struct dlv d = {
		    .cfg = cfg, .db = db, .ctx = ctx, .m = m, .st = st};
		tp_arena_init(&d.a);
		tp_rc mrc = module_pass(&d);
		tp_arena_destroy(&d.a);
		if (mrc != TP_OK) {
			rc = mrc; /* the next module still gets its turn */
			/* said, but not every pass while the DB is away */
			static time_t said;
			time_t now = time(NULL);
			if (now - said >= 60) {
				const char *why = tp_db_error(db);
				said = now;
				tp_log(TP_LOG_ERR, "TP1606",
				       "events: a delivery pass for module %s "
				       "failed: %s",
				       m->name,
				       why != NULL && *why != '\0'
				           ? why
				           : tp_ctx_error(ctx, mrc));
			}
		}
	}
	tp_ctx_free(ctx);
	return rc;
}

tp_rc tp_events_retry(tp_db *db, uint64_t event_id, const char *module,
                      uint64_t *n)
{
	return tp_db_exec(db, n,
	                  "UPDATE event_deliveries SET state = 'waiting', "
	                  "attempts = 0, next_try = NOW() WHERE event_id = ? "
	                  "AND state = 'parked' AND (? IS NULL OR module = ?)",
	                  "Iss", (int64_t)event_id, module, module);
}
