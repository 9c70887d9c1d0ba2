/*
 * context.c -- the request-less tp_req that jobs, event handlers and
 * commands get: its own arena, the caller's DB handle, a brand (or none),
 * no viewer and no HTTP. Nothing here renders or answers anything.
 */
#include "config.h"
#include "data/data.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The request comes first, so the tp_req the callers hold is the block. */
typedef struct tp_ctx {
	tp_req req;
	tp_thread thread;
	tp_brand brand;
} tp_ctx;

tp_req *tp_ctx_new(const tp_config *cfg, tp_db *db)
{
	tp_ctx *c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->thread.db = db;
	c->thread.cache = tp_cache_new(cfg);
	tp_req_init(&c->req, &c->thread, cfg);
	c->req.context = true;
	snprintf(c->req.reqid, sizeof(c->req.reqid), "ctx-%ld", (long)getpid());
	return &c->req;
}

void tp_ctx_free(tp_req *r)
{
	if (r == NULL)
		return;
	tp_ctx *c = (tp_ctx *)r;
	tp_db_end_request(c->thread.db); /* what the caller left open */
	tp_arena_destroy(&r->arena);
	tp_cache_free(c->thread.cache);
	free(c);
}

tp_rc tp_ctx_reset(tp_req *r, uint64_t tenant)
{
	tp_req_reset(r);
	r->context = true;
	return tp_ctx_brand(r, tenant);
}

tp_rc tp_ctx_brand(tp_req *r, uint64_t tenant)
{
	tp_ctx *c = (tp_ctx *)r;
	tp_rows *rs;

	if (!r->context)
		return TP_EINVAL;
	memset(&c->brand, 0, sizeof(c->brand));
	r->tenant = NULL;
	if (tenant == 0)
		return TP_OK;
	tp_rc rc = tp_db_query(c->thread.db, r, &rs,
	                       "SELECT slug, name, is_platform, language, "
	                       "time_zone FROM tenants WHERE id = ?",
	                       "I", (int64_t)tenant);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return TP_ENOENT;
	c->brand.id = tenant;
	c->brand.slug = (char *)tp_rows_get(rs, 0, 0);
	c->brand.name = (char *)tp_rows_get(rs, 0, 1);
	c->brand.platform = tp_rows_i64(rs, 0, 2) != 0;
	c->brand.lang = (char *)tp_rows_get(rs, 0, 3);
	c->brand.tz = (char *)tp_rows_get(rs, 0, 4);
	r->tenant = &c->brand;
	return TP_OK;
}

tp_rc tp_ctx_brand_slug(tp_req *r, const char *slug)
{
	tp_rows *rs;
	tp_rc rc =
	    tp_db_query(tp_req_db(r), r, &rs,
	                "SELECT id FROM tenants WHERE slug = ?", "s", slug);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return TP_ENOENT;
	return tp_ctx_reset(r, (uint64_t)tp_rows_i64(rs, 0, 0));
}

const char *tp_ctx_error(tp_req *r, tp_rc rc)
{
	return r->fail_msg != NULL ? r->fail_msg : tp_rc_code(rc);
}

/* ------------------------------------------------------------------ */
/* data generations per brand and domain                                */

static bool domain_ok(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;
	if (n == 0 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

tp_rc tp_gen_bump(tp_req *r, const char *domain)
{
	tp_db *db = tp_req_db(r);
	char key[48];

	if (!domain_ok(domain)) {
		tp_log(TP_LOG_ERR, "TP1601",
		       "tp_gen_bump: bad domain name (want [a-z0-9_]{1,32})");
		return TP_EINTERNAL;
	}
	snprintf(key, sizeof(key), "gen:%llu:%s",
	         (unsigned long long)tp_tenant_id(r), domain);
	/* once per transaction: the row is locked from the first bump to the
	 * commit either way, and one more bump would only cost a write */
	if (!tp_db_txn_mark(db, key))
		return TP_OK;
	tp_rc rc = tp_db_exec(db, NULL,
	                      "INSERT INTO data_domain_generations (tenant_id, "
	                      "domain, gen) VALUES (?, ?, 1) ON DUPLICATE KEY "
	                      "UPDATE gen = gen + 1",
	                      "Is", (int64_t)tp_tenant_id(r), domain);
	if (rc != TP_OK)
		tp_db_txn_unmark(db, key);
	return rc;
}

tp_rc tp_gen_get(tp_req *r, const char *domain, uint64_t *gen)
{
	tp_rows *rs;

	*gen = 0;
	if (!domain_ok(domain)) {
		tp_log(TP_LOG_ERR, "TP1602",
		       "tp_gen_get: bad domain name (want [a-z0-9_]{1,32})");
		return TP_EINTERNAL;
	}
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT gen FROM data_domain_generations WHERE "
	                       "tenant_id = ? AND domain = ?",
	                       "Is", (int64_t)tp_tenant_id(r), domain);
	if (rc == TP_OK && tp_rows_count(rs) > 0)
		*gen = (uint64_t)tp_rows_i64(rs, 0, 0);
	return rc;
}
