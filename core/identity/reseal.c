/*
 * reseal.c -- brings every sealed column under the key store's current key
 * (keystore.c): the core's own and the ones each loaded module declares
 * (tp_module.sealed, ABI 2.5): `tierportctl key reencrypt` after `key
 * rotate`, and `tierportctl migrate`, which seals what the core stored in
 * plain text before sealing existed; `key status` counts them per key.
 * Never prints or logs a value, sealed or not.
 */
#include "config.h"
#include "identity/identity.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* A sealed column. Names are the core's text or a module's descriptor's
 * (the loader let only [a-z][a-z0-9_] names through), never input.
 * plain: rows from before sealing may hold the plain text (sealed here);
 * only the core's columns have such a past. */
struct sealed_col {
	const char *table, *id, *col;
	bool plain;
};

static const struct sealed_col sealed_cols[] = {
    {"users", "id", "totp_secret", true},
};

#define NCORE (sizeof(sealed_cols) / sizeof(sealed_cols[0]))
#define BATCH 500

/* Calls fn for the core's columns, then every loaded module's (ms may be
 * NULL: the core's only), until one fails. */
typedef tp_rc (*col_fn)(tp_db *db, const struct sealed_col *c, void *ctx);
static tp_rc each_col(tp_db *db, const tp_modules *ms, col_fn fn, void *ctx)
{
	tp_rc rc = TP_OK;
	for (size_t i = 0; rc == TP_OK && i < NCORE; i++)
		rc = fn(db, &sealed_cols[i], ctx);
	for (size_t i = 0; ms != NULL && rc == TP_OK && i < ms->n; i++)
		for (const tp_sealed_col *s = ms->mods[i].mod->sealed;
		     rc == TP_OK && s != NULL && s->table != NULL; s++) {
			struct sealed_col c = {s->table, s->id, s->col, false};
			rc = fn(db, &c, ctx);
		}
	return rc;
}

/* Calls row(id, value) for every row of c with a value, BATCH rows a
 * query in id order (the values read before any is rewritten). */
typedef tp_rc (*row_fn)(tp_db *db, const struct sealed_col *c, int64_t id,
                        const char *v, void *ctx);
static tp_rc each_row(tp_db *db, const struct sealed_col *c, row_fn row,
                      void *ctx)
{
	char sql[512];
	int64_t last = 0;
	tp_rc rc;

	snprintf(sql, sizeof(sql),
	         "SELECT %s, %s FROM %s WHERE %s > ? AND %s IS NOT NULL "
	         "AND %s <> '' ORDER BY %s LIMIT %d",
	         c->id, c->col, c->table, c->id, c->col, c->col, c->id, BATCH);
	for (;;) {
		tp_arena a;
		tp_rows *rs;
		tp_arena_init(&a);
		rc = tp_db_query_a(db, &a, &rs, sql, "I", last);
		size_t n = rc == TP_OK ? tp_rows_count(rs) : 0;
		for (size_t j = 0; rc == TP_OK && j < n; j++) {
			last = tp_rows_i64(rs, j, 0);
			rc = row(db, c, last, tp_rows_get(rs, j, 1), ctx);
		}
		tp_arena_destroy(&a);
		if (rc != TP_OK || n < BATCH)
			return rc;
	}
}

/* One row: the value under the current key, written only if the row
 * still holds what was read (a concurrent `user totp` wins). */
static tp_rc reseal_row(tp_db *db, const struct sealed_col *c, int64_t id,
                        const char *v, bool plain_only, unsigned *done,
                        unsigned *failed, FILE *out)
{
	size_t cap = TP_SEALED_LEN(strlen(v));
	char *sealed = malloc(cap);
	bool changed = false;
	tp_rc rc;

	if (sealed == NULL)
		return TP_EINTERNAL;
	if (!tp_is_sealed(v)) {
		if (!c->plain) {
			rc = TP_EINVAL;
		} else {
			rc = tp_seal(v, strlen(v), sealed, cap);
			changed = rc == TP_OK;
		}
	} else if (plain_only) {
		rc = TP_OK;
	} else {
		rc = tp_reseal(v, sealed, cap, &changed);
	}
	if (rc != TP_OK) {
		(*failed)++;
		tp_log(TP_LOG_ERR, "TP1702",
		       "%s.%s of id %lld cannot be sealed again: %s", c->table,
		       c->col, (long long)id, tp_rc_code(rc));
		if (out != NULL)
			fprintf(
			    out,
			    "%s.%s of id %lld: cannot be sealed again (%s)\n",
			    c->table, c->col, (long long)id, tp_rc_code(rc));
		free(sealed);
		return rc == TP_EINTERNAL ? rc : TP_OK;
	}
	if (changed) {
		char sql[256];
		uint64_t n = 0;
		snprintf(sql, sizeof(sql),
		         "UPDATE %s SET %s = ? WHERE %s = ? AND %s = ?",
		         c->table, c->col, c->id, c->col);
		rc = tp_db_exec(db, &n, sql, "sIs", sealed, id, v);
		if (rc == TP_OK && n > 0)
			(*done)++;
	}
	sodium_memzero(sealed, cap);
	free(sealed);
	return rc;
}

struct reseal {
	bool plain_only;
	FILE *out;
	unsigned *done, *failed;
};

static tp_rc reseal_one(tp_db *db, const struct sealed_col *c, int64_t id,
                        const char *v, void *ctx)
{
	struct reseal *x = ctx;
	return reseal_row(db, c, id, v, x->plain_only, x->done, x->failed,
	                  x->out);
}

static tp_rc reseal_col(tp_db *db, const struct sealed_col *c, void *ctx)
{
	const struct reseal *x = ctx;
	/* plain text is the core's past only: nothing else to do there */
	if (x->plain_only && !c->plain)
		return TP_OK;
	return each_row(db, c, reseal_one, ctx);
}

tp_rc tp_reseal_all(tp_db *db, const tp_modules *ms, bool plain_only, FILE *out,
                    unsigned *done, unsigned *failed)
{
	struct reseal x = {plain_only, out, done, failed};
	*done = *failed = 0;
	return each_col(db, ms, reseal_col, &x);
}

/* key status: one column's count per key id */
struct count {
	unsigned per[256], plain, bad;
};
struct status {
	FILE *out;
	unsigned *unclean;
};

static tp_rc count_one(tp_db *db, const struct sealed_col *c, int64_t id,
                       const char *v, void *ctx)
{
	struct count *n = ctx;
	int k = tp_sealed_key_id(v);
	if (!tp_is_sealed(v))
		n->plain++;
	else if (k < 0 || k > 255)
		n->bad++;
	else
		n->per[k]++;
	return TP_OK;
}

static tp_rc count_col(tp_db *db, const struct sealed_col *c, void *ctx)
{
	struct status *st = ctx;
	FILE *out = st->out;
	struct count n = {{0}, 0, 0};
	tp_rc rc = each_row(db, c, count_one, &n);
	if (rc != TP_OK)
		return rc;
	fprintf(out, "%s.%s:", c->table, c->col);
	for (unsigned i = 1; i < 256; i++)
		if (n.per[i] > 0)
			fprintf(out, " key %u: %u", i, n.per[i]);
	fprintf(out, " plain: %u", n.plain);
	if (n.bad > 0)
		fprintf(out, " not readable: %u", n.bad);
	fprintf(out, "\n");
	*st->unclean += n.plain + n.bad;
	return TP_OK;
}

tp_rc tp_reseal_status(tp_db *db, const tp_modules *ms, FILE *out,
                       unsigned *unclean)
{
	struct status st = {out, unclean};
	*unclean = 0;
	return each_col(db, ms, count_col, &st);
}
