/*
 * reseal.c -- brings every sealed column of the core under the key store's
 * current key (keystore.c): `tierportctl key reencrypt` after `key rotate`,
 * and `tierportctl migrate`, which seals what was stored in plain text
 * before sealing existed. Never prints or logs a value, sealed or not.
 */
#include "config.h"
#include "identity/identity.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* The core's sealed columns. Names are this file's own text, never input.
 * plain: rows from before sealing may hold the plain text (sealed here). */
static const struct sealed_col {
	const char *table, *id, *col;
	bool plain;
} sealed_cols[] = {
    {"users", "id", "totp_secret", true},
};

#define BATCH 500

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

tp_rc tp_reseal_all(tp_db *db, bool plain_only, FILE *out, unsigned *done,
                    unsigned *failed)
{
	tp_rc rc = TP_OK;

	*done = *failed = 0;
	for (size_t i = 0;
	     rc == TP_OK && i < sizeof(sealed_cols) / sizeof(sealed_cols[0]);
	     i++) {
		const struct sealed_col *c = &sealed_cols[i];
		char sql[512];
		int64_t last = 0;
		snprintf(
		    sql, sizeof(sql),
		    "SELECT %s, %s FROM %s WHERE %s > ? AND %s IS NOT NULL "
		    "AND %s <> '' ORDER BY %s LIMIT %d",
		    c->id, c->col, c->table, c->id, c->col, c->col, c->id,
		    BATCH);
		for (;;) {
			tp_arena a;
			tp_rows *rs;
			tp_arena_init(&a);
			rc = tp_db_query_a(db, &a, &rs, sql, "I", last);
			size_t n = rc == TP_OK ? tp_rows_count(rs) : 0;
			for (size_t j = 0; rc == TP_OK && j < n; j++) {
				last = tp_rows_i64(rs, j, 0);
				rc = reseal_row(db, c, last,
				                tp_rows_get(rs, j, 1),
				                plain_only, done, failed, out);
			}
			tp_arena_destroy(&a);
			if (rc != TP_OK || n < BATCH)
				break;
		}
	}
	return rc;
}
