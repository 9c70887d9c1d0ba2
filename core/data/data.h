/*
 * data/data.h -- what is stored and how it is read: MariaDB (db.c), Redis
 * (cache.c), the grid and its exports (grid.c, export*.c), the mail outbox
 * sender (mail.c), request-less contexts and data generations (context.c),
 * events (events.c) and jobs (jobs.c). Includes http/ and lib/ only.
 */
#ifndef TP_DATA_H
#define TP_DATA_H

#include "http/http.h"

/* ------------------------------------------------------------------ */
/* db.c                                                                 */

tp_db *tp_db_new(const tp_config *cfg);
/* Another read timeout than [db] read_timeout, from the next connect on
 * (MYSQL_OPT_READ_TIMEOUT only takes effect when connecting). */
void tp_db_set_read_timeout(tp_db *db, unsigned secs);
/* The config the handle was made with. */
const tp_config *tp_db_config(tp_db *db);
void tp_db_free(tp_db *db);
tp_rc tp_db_connect(tp_db *db);
tp_rc tp_db_ping(tp_db *db);
/* Rolls back a transaction a handler left open. */
void tp_db_end_request(tp_db *db);
/* Whether the server could not be reached (down, restarting, full) since
 * the last tp_db_end_request: a failed request then answers 503 with
 * Retry-After, however its handler reported the error. */
bool tp_db_lost(tp_db *db);
/* Whether a transaction committed since the last tp_db_end_request: after
 * a failed allocation (lib/arena.c) a commit is refused, so one that went
 * through came first and the request's own answer is the true one. */
bool tp_db_committed(tp_db *db);
bool tp_db_in_txn(tp_db *db);
/* Runs a whole multi-statement script (migrations). */
tp_rc tp_db_script(tp_db *db, const char *sql, char *err, size_t errlen);
const char *tp_db_error(tp_db *db);
/* For callers outside a request (tierportctl): rows live in arena a. */
tp_rc tp_db_query_a(tp_db *db, tp_arena *a, tp_rows **out, const char *sql,
                    const char *fmt, ...);
/* Once per transaction: true the first time key is marked in the open
 * transaction (always, outside one), false after; commit and rollback
 * forget every mark. unmark forgets one (its statement failed). */
bool tp_db_txn_mark(tp_db *db, const char *key);
void tp_db_txn_unmark(tp_db *db, const char *key);

/* ------------------------------------------------------------------ */
/* context.c: the request-less tp_req of jobs, event handlers and
 * commands (tierport.h, "Contexts"): its own arena, the DB handle given
 * (the caller's connection, used by one thread), no viewer, no HTTP.   */

tp_req *tp_ctx_new(const tp_config *cfg, tp_db *db);
/* Ends what the caller left open (a transaction is rolled back). */
void tp_ctx_free(tp_req *r);
/* Empties the context (its arena, what a handler recorded) and sets its
 * brand: tenant 0 is none; TP_ENOENT for a brand that does not exist. */
tp_rc tp_ctx_reset(tp_req *r, uint64_t tenant);
tp_rc tp_ctx_brand_slug(tp_req *r, const char *slug);
/* What a failed call left: its tp_fail message, else rc's code. */
const char *tp_ctx_error(tp_req *r, tp_rc rc);

/* ------------------------------------------------------------------ */
/* events.c                                                             */

typedef struct tp_events_stat {
	unsigned delivered, failed, parked, queued;
} tp_events_stat;
/* tp_event_emit for callers without a request (identity/admin.c, used by
 * tierportctl too): on db, in its open transaction, for brand tenant. */
tp_rc tp_event_emit_db(tp_db *db, uint64_t tenant, const char *name,
                       uint64_t partner_id, uint64_t account_id,
                       json_object *payload);
/* NULL if the subscription is fine, else a static reason (the loader). */
const char *tp_event_check(const tp_event *e);
/* One delivery pass over every subscribing module in ms: retries that are
 * due, then new events, each handler in its own transaction on db. A
 * module another deliverer is serving is left to it (a named lock). */
tp_rc tp_events_deliver(const tp_config *cfg, tp_db *db, const tp_modules *ms,
                        tp_events_stat *st);
/* Un-parks event_id (for module, or every module when NULL): tried again
 * at the next pass with max_attempts afresh; *n rows changed. */
tp_rc tp_events_retry(tp_db *db, uint64_t event_id, const char *module,
                      uint64_t *n);

/* ------------------------------------------------------------------ */
/* jobs.c                                                               */

typedef struct tp_job_result {
	bool ran;
	tp_rc rc;         /* the job's */
	char error[512];  /* its tp_fail message, when rc != TP_OK */
	char holder[200]; /* TP_DECLINED: who holds the lease, until when */
} tp_job_result;
/* The first time after `after` (epoch seconds) that schedule s is due. */
tp_rc tp_job_schedule_next(const char *s, int64_t after, int64_t *next);
/* NULL if the job's declaration is fine, else a static reason. */
const char *tp_job_check(const tp_job *j);
/* "module.name" among ms's jobs, or NULL. */
const tp_job *tp_job_find(const tp_modules *ms, const char *full,
                          const tp_module **mod);
/* A row in jobs for every declared job (a new one gets its first due
 * time; a changed schedule a new one). */
tp_rc tp_jobs_sync(tp_db *db, const tp_modules *ms);
/* Takes the job's lease (scheduled: only when it is due) and runs it on
 * db with a fresh context, from its checkpoint. TP_DECLINED: held by
 * another run (res->holder) or not due; TP_OK: it ran (res->rc says how);
 * else the database failed. */
tp_rc tp_job_run_one(const tp_config *cfg, tp_db *db, const tp_module *m,
                     const tp_job *j, bool scheduled, const char *owner,
                     tp_job_result *res);

/* ------------------------------------------------------------------ */
/* cache.c                                                              */

tp_cache *tp_cache_new(const tp_config *cfg);
void tp_cache_free(tp_cache *c);
/* Raw calls usable without a request. */
tp_rc tp_cache_ping(tp_cache *c);
tp_rc tp_cache_del_key(tp_cache *c, const char *key);
int tp_cache_state(tp_cache *c); /* 1 up, 0 down/open breaker, -1 off */
/* SET ... XX: writes over a cached copy only while it is still there, so
 * a copy dropped meanwhile (a logout, a revoke) is not brought back. */
tp_rc tp_cache_replace(tp_req *r, const char *key, const char *val, size_t len,
                       unsigned ttl_s);

/* ------------------------------------------------------------------ */
/* grid.c                                                               */

/* grid.c: tp_grid_respond, each row of the HTML page ending in a link
 * labelled label to pre + the row's id + post (a form the viewer may
 * use, e.g. "/products/" "/edit"); pre NULL: none. The JSON rows and the
 * downloads are tp_grid_respond's. */
tp_rc tp_grid_respond_action(tp_req *r, const tp_grid *g, const char *where,
                             int64_t arg, const char *label, const char *pre,
                             const char *post);
/* grid.c: a link above a list (grid.tpl's ACTIONS), e.g. to its add form */
void tp_grid_action(tp_req *r, const char *href, const char *label);
/* ------------------------------------------------------------------ */
/* mail.c (in tierportctl only: it links libcurl, the daemon does not)  */

/* Delivers unsent mail_outbox rows over SMTP ([mail]) in id order, at
 * most limit of them (0: all): each row is locked (SKIP LOCKED, so two
 * senders never take the same one) while it is sent, then marked sent, or
 * its attempts counted with last_error. TP_OK unless the database failed;
 * *sent and *failed count the rows. */
tp_rc tp_mail_send(const tp_config *cfg, tp_db *db, unsigned limit,
                   unsigned *sent, unsigned *failed);

/* ------------------------------------------------------------------ */
/* ledger.c (tp_ledger_post and tp_idem_* are in tierport.h)            */

/* Every transaction of the brand (0: all brands) balances in one currency
 * and every stored balance (accounts, partners) equals its ledger sum.
 * TP_ECONFLICT with the first difference in err. */
tp_rc tp_ledger_check(tp_db *db, uint64_t tenant, char *err, size_t errlen);
/* docs/money.md "The ledger hash" of the brand, as 64 hex digits. */
tp_rc tp_ledger_hash(tp_db *db, uint64_t tenant, char hex[65]);

#endif /* TP_DATA_H */
