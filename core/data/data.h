/*
 * data/data.h -- what is stored and how it is read: MariaDB (db.c), Redis
 * (cache.c), the grid and its exports (grid.c, export*.c), the mail outbox
 * sender (mail.c). Includes http/ and lib/ only.
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
void tp_db_free(tp_db *db);
tp_rc tp_db_connect(tp_db *db);
tp_rc tp_db_ping(tp_db *db);
/* Rolls back a transaction a handler left open. */
void tp_db_end_request(tp_db *db);
bool tp_db_in_txn(tp_db *db);
/* Runs a whole multi-statement script (migrations). */
tp_rc tp_db_script(tp_db *db, const char *sql, char *err, size_t errlen);
const char *tp_db_error(tp_db *db);
/* For callers outside a request (tierportctl): rows live in arena a. */
tp_rc tp_db_query_a(tp_db *db, tp_arena *a, tp_rows **out, const char *sql,
                    const char *fmt, ...);

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

#endif /* TP_DATA_H */
