/*
 * cache.c -- Redis (hiredis) as an optional cache, one connection per
 * worker thread. Short timeouts and a circuit breaker: after a few
 * failures Redis is not tried again for a while, so a dead cache costs one
 * timeout, not one per request. Nothing here may ever be the only copy.
 */
#include "config.h"
#include "data/data.h"

#include <hiredis/hiredis.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct tp_cache {
	const tp_config *cfg;
	redisContext *rc;
	unsigned failures;    /* in a row */
	long long open_until; /* ms; breaker open while now < open_until */
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

tp_cache *tp_cache_new(const tp_config *cfg)
{
	if (cfg->cache_socket == NULL && cfg->cache_host == NULL)
		return NULL; /* no cache configured: everything from MariaDB */
	tp_cache *c = calloc(1, sizeof(*c));
	if (c != NULL)
		c->cfg = cfg;
	return c;
}

static void drop(tp_cache *c)
{
	if (c->rc != NULL)
		redisFree(c->rc);
	c->rc = NULL;
}

void tp_cache_free(tp_cache *c)
{
	if (c == NULL)
		return;
	drop(c);
	free(c);
}

static void failed(tp_cache *c, const char *why)
{
	/* why may be the context's own errstr, which drop frees: keep a
	 * copy (a Redis that timed out used to crash the worker here) */
	char reason[128];
	snprintf(reason, sizeof(reason), "%s", why);
	why = reason;
	drop(c);
	if (++c->failures >= c->cfg->cache_fail_threshold) {
		if (c->open_until == 0 ||
		    c->failures == c->cfg->cache_fail_threshold)
			tp_log(TP_LOG_WARN, "TP0401",
			       "cache unavailable (%s): breaker open for %u ms",
			       why, c->cfg->cache_open_ms);
		c->open_until = now_ms() + c->cfg->cache_open_ms;
	}
}

/* A usable connection, or NULL while the breaker is open / Redis down. */
static redisContext *conn(tp_cache *c)
{
	if (c == NULL)
		return NULL;
	if (c->open_until != 0 && now_ms() < c->open_until)
		return NULL;
	if (c->rc != NULL)
		return c->rc;
	struct timeval tv = {c->cfg->cache_timeout_ms / 1000,
	                     (c->cfg->cache_timeout_ms % 1000) * 1000};
	redisContext *rc =
	    c->cfg->cache_socket
	        ? redisConnectUnixWithTimeout(c->cfg->cache_socket, tv)
	        : redisConnectWithTimeout(c->cfg->cache_host,
	                                  (int)c->cfg->cache_port, tv);
	if (rc == NULL || rc->err) {
		if (rc != NULL)
			redisFree(rc);
		failed(c, "connect failed");
		return NULL;
	}
	redisSetTimeout(rc, tv);
	c->rc = rc;
	return rc;
}

/* One command; NULL on any failure (breaker counts it). */
static redisReply *command(tp_cache *c, int argc, const char **argv,
                           const size_t *lens)
{
	redisContext *rc = conn(c);
	if (rc == NULL)
		return NULL;
	redisReply *rep = redisCommandArgv(rc, argc, argv, lens);
	if (rep == NULL) {
		failed(c, rc->errstr[0] ? rc->errstr : "no reply");
		return NULL;
	}
	if (rep->type == REDIS_REPLY_ERROR) {
		tp_log(TP_LOG_WARN, "TP0402", "cache error: %s", rep->str);
		freeReplyObject(rep);
		return NULL;
	}
	if (c->failures > 0 && c->open_until != 0)
		tp_log(TP_LOG_INFO, "TP0403", "cache is back");
	c->failures = 0;
	c->open_until = 0;
	return rep;
}

static tp_cache *req_cache(tp_req *r)
{
	return r->thread ? r->thread->cache : NULL;
}

tp_rc tp_cache_get(tp_req *r, const char *key, char **val, size_t *len)
{
	const char *argv[] = {"GET", key};
	redisReply *rep = command(req_cache(r), 2, argv, NULL);
	if (rep == NULL)
		return TP_EUNAVAIL;
	tp_rc rc = TP_ENOENT;
	if (rep->type == REDIS_REPLY_STRING) {
		*val = tp_strndup(r, rep->str, rep->len);
		if (len != NULL)
			*len = rep->len;
		rc = TP_OK;
	}
	freeReplyObject(rep);
	return rc;
}

/* SET key val EX ttl [XX] */
static tp_rc set(tp_req *r, const char *key, const char *val, size_t len,
                 unsigned ttl_s, bool only_existing)
{
	char ttl[24];
	snprintf(ttl, sizeof(ttl), "%u", ttl_s ? ttl_s : 60);
	const char *argv[] = {"SET", key, val, "EX", ttl, "XX"};
	size_t lens[] = {3, strlen(key), len, 2, strlen(ttl), 2};
	redisReply *rep =
	    command(req_cache(r), only_existing ? 6 : 5, argv, lens);
	if (rep == NULL)
		return TP_EUNAVAIL;
	freeReplyObject(rep);
	return TP_OK;
}

tp_rc tp_cache_set(tp_req *r, const char *key, const char *val, size_t len,
                   unsigned ttl_s)
{
	return set(r, key, val, len, ttl_s, false);
}

tp_rc tp_cache_replace(tp_req *r, const char *key, const char *val, size_t len,
                       unsigned ttl_s)
{
	return set(r, key, val, len, ttl_s, true);
}

tp_rc tp_cache_del(tp_req *r, const char *key)
{
	const char *argv[] = {"DEL", key};
	redisReply *rep = command(req_cache(r), 2, argv, NULL);
	if (rep == NULL)
		return TP_EUNAVAIL;
	freeReplyObject(rep);
	return TP_OK;
}

tp_rc tp_cache_incr(tp_req *r, const char *key, int64_t *out)
{
	const char *argv[] = {"INCR", key};
	redisReply *rep = command(req_cache(r), 2, argv, NULL);
	if (rep == NULL)
		return TP_EUNAVAIL;
	tp_rc rc = TP_EINTERNAL;
	if (rep->type == REDIS_REPLY_INTEGER) {
		if (out != NULL)
			*out = rep->integer;
		rc = TP_OK;
	}
	freeReplyObject(rep);
	return rc;
}

tp_rc tp_cache_del_key(tp_cache *c, const char *key)
{
	const char *argv[] = {"DEL", key};
	redisReply *rep = command(c, 2, argv, NULL);
	if (rep == NULL)
		return TP_EUNAVAIL;
	freeReplyObject(rep);
	return TP_OK;
}

tp_rc tp_cache_ping(tp_cache *c)
{
	const char *argv[] = {"PING"};
	redisReply *rep = command(c, 1, argv, NULL);
	if (rep == NULL)
		return TP_EUNAVAIL;
	freeReplyObject(rep);
	return TP_OK;
}

int tp_cache_state(tp_cache *c)
{
	if (c == NULL)
		return -1;
	if (c->open_until != 0 && now_ms() < c->open_until)
		return 0;
	return tp_cache_ping(c) == TP_OK ? 1 : 0;
}

int tp_cache_up(tp_req *r)
{
	tp_cache *c = req_cache(r);
	if (c == NULL)
		return 0;
	if (c->open_until != 0 && now_ms() < c->open_until)
		return 0;
	return c->rc != NULL || tp_cache_ping(c) == TP_OK;
}
