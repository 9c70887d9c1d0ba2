/*
 * pagecache.c -- whole response bodies of cached grid pages, shared by the
 * threads of one worker process and bounded by [cache] page_cache_mb.
 *
 * The cache never decides freshness: the caller's key (grid.c
 * tp_grid_page_key) holds the brand's data generation, read from MariaDB
 * on every request, so a write committed anywhere makes every older entry
 * unreachable; those age out of the least-recently-used end. An entry is
 * a body the worker itself rendered for exactly that key, so a hit is the
 * same bytes a miss would have produced.
 *
 * One mutex guards the table; it is held for a lookup and one copy of the
 * body into the request's arena, never across I/O.
 *
 * The generation itself is read here too (tp_data_gen): threads asking at
 * the same time share one read, but only a read that began after they
 * asked (t/unit/test_pagecache.c shows the difference).
 */
#include "config.h"
#include "http/http.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define PC_BUCKETS 4096 /* a power of two */
#define PC_RIDS    4    /* places of the request id kept per page */

typedef struct pc_ent {
	unsigned char key[TP_PAGE_KEY_LEN];
	struct pc_ent *hnext;       /* bucket chain */
	struct pc_ent *prev, *next; /* LRU list: head most recent */
	size_t len;
	/* where the rendering request's id stood (the layout's "reference"):
	 * a hit writes its own there */
	size_t rid_len, nrid, rid_at[PC_RIDS];
	/* the gzip form (tp_pagecache_gz), made on the first hit that asks
	 * for it: the request id, if any, stands in a stored deflate block
	 * at gz_rid_at, and the CRC in the trailer is put together from the
	 * CRCs of the text around it and the id's own */
	char *gz;
	size_t gz_len, gz_rid_at, len_suf;
	uLong crc_pre, crc_suf;
	char body[]; /* len bytes and a NUL */
} pc_ent;

static struct {
	pthread_mutex_t lock;
	pc_ent *buckets[PC_BUCKETS];
	pc_ent *head, *tail;
	size_t bytes, max_bytes;
} pc = {.lock = PTHREAD_MUTEX_INITIALIZER};

void tp_pagecache_init(size_t max_bytes)
{
	pthread_mutex_lock(&pc.lock);
	pc.max_bytes = max_bytes;
	pthread_mutex_unlock(&pc.lock);
}

bool tp_pagecache_on(void)
{
	return pc.max_bytes > 0;
}

static pc_ent **bucket(const unsigned char *key)
{
	uint32_t h;
	memcpy(&h, key, sizeof(h)); /* the key is a hash already */
	return &pc.buckets[h & (PC_BUCKETS - 1)];
}

static void lru_unlink(pc_ent *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		pc.head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		pc.tail = e->prev;
	e->prev = e->next = NULL;
}

static void lru_push(pc_ent *e)
{
	e->prev = NULL;
	e->next = pc.head;
	if (pc.head != NULL)
		pc.head->prev = e;
	pc.head = e;
	if (pc.tail == NULL)
		pc.tail = e;
}

static void drop(pc_ent *e)
{
	pc_ent **pp = bucket(e->key);
	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	lru_unlink(e);
	pc.bytes -= sizeof(*e) + e->len + 1 + e->gz_len;
	free(e->gz);
	free(e);
}

static pc_ent *find(const unsigned char *key)
{
	for (pc_ent *e = *bucket(key); e != NULL; e = e->hnext)
		if (memcmp(e->key, key, TP_PAGE_KEY_LEN) == 0)
			return e;
	return NULL;
}

/* The entry for key that r may have (its request id fits), with the lock
 * held; NULL, unlocked, when there is none. */
static pc_ent *lock_find(tp_req *r, const unsigned char *key)
{
	if (!tp_pagecache_on())
		return NULL;
	size_t rid_len = strlen(r->reqid);
	pthread_mutex_lock(&pc.lock);
	pc_ent *e = find(key);
	if (e == NULL || (e->nrid > 0 && e->rid_len != rid_len)) {
		pthread_mutex_unlock(&pc.lock);
		return NULL;
	}
	return e;
}

bool tp_pagecache_get(tp_req *r, const unsigned char *key, const char **body,
                      size_t *len)
{
	pc_ent *e = lock_find(r, key);
	if (e == NULL)
		return false;
	size_t rid_len = e->rid_len;
	lru_unlink(e);
	lru_push(e);
	char *copy = tp_alloc(r, e->len + 1);
	memcpy(copy, e->body, e->len + 1);
	for (size_t i = 0; i < e->nrid; i++)
		memcpy(copy + e->rid_at[i], r->reqid, rid_len);
	*len = e->len;
	pthread_mutex_unlock(&pc.lock);
	*body = copy;
	return true;
}

/* The request id's places in body; false when it stands in more places
 * than are kept (the page is then not kept). */
static bool find_rids(pc_ent *e, const char *rid)
{
	e->rid_len = strlen(rid);
	e->nrid = 0;
	if (e->rid_len == 0)
		return true;
	const char *p = e->body, *end = e->body + e->len;
	while ((p = memmem(p, (size_t)(end - p), rid, e->rid_len)) != NULL) {
		if (e->nrid == PC_RIDS)
			return false;
		e->rid_at[e->nrid++] = (size_t)(p - e->body);
		p += e->rid_len;
	}
	return true;
}

void tp_pagecache_put(tp_req *r, const unsigned char *key, const char *body,
                      size_t len)
{
	size_t need = sizeof(pc_ent) + len + 1;
	/* one page may take an eighth of the cache at most */
	if (!tp_pagecache_on() || need > pc.max_bytes / 8)
		return;
	pc_ent *e = malloc(need);
	if (e == NULL)
		return;
	memcpy(e->key, key, TP_PAGE_KEY_LEN);
	memcpy(e->body, body, len);
	e->body[len] = '\0';
	e->len = len;
	e->prev = e->next = NULL;
	e->gz = NULL;
	e->gz_len = 0;
	if (!find_rids(e, r->reqid)) {
		free(e);
		return;
	}

	pthread_mutex_lock(&pc.lock);
	pc_ent *old = find(key); /* two threads rendered the same page */
	if (old != NULL)
		drop(old);
	while (pc.tail != NULL && pc.bytes + need > pc.max_bytes)
		drop(pc.tail);
	pc_ent **b = bucket(key);
	e->hnext = *b;
	*b = e;
	lru_push(e);
	pc.bytes += need;
	pthread_mutex_unlock(&pc.lock);
}

/* ---- gzip ---- */

/* Deflates in[0, n) onto out (raw deflate, zs set up), flushing with
 * flush; false when out is too small or zlib fails. */
static bool deflate_part(z_stream *zs, const char *in, size_t n, char *out,
                         size_t cap, size_t *used, int flush)
{
	zs->next_in = (Bytef *)in;
	zs->avail_in = (uInt)n;
	zs->next_out = (Bytef *)out + *used;
	zs->avail_out = (uInt)(cap - *used);
	int rc = deflate(zs, flush);
	*used = cap - zs->avail_out;
	return (rc == Z_OK || rc == Z_STREAM_END) && zs->avail_in == 0 &&
	       zs->avail_out > 0;
}

static void put_le32(char *p, uLong v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (char)((v >> (8 * i)) & 0xff);
}

/* body (a page as kept, with some request's id at rid_at when there is
 * one) as a gzip member into e's gz fields; false: none made */
static bool gz_make(pc_ent *e, const char *body)
{
	size_t cap = deflateBound(NULL, e->len) + 64, used = 10;
	char *out = malloc(cap);
	z_stream zs = {0};
	bool rid = e->nrid == 1;
	size_t pre = rid ? e->rid_at[0] : e->len;
	bool ok;

	if (out == NULL || e->nrid > 1 || (rid && e->rid_len > 255) ||
	    deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) !=
	        Z_OK) {
		free(out);
		return false;
	}
	/* the gzip header: deflate, no name, no time, Unix */
	memcpy(out, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
	if (!rid) {
		ok = deflate_part(&zs, body, e->len, out, cap, &used, Z_FINISH);
	} else {
		/* the text before the id, then a full flush: byte-aligned,
		 * and nothing after refers back to it */
		ok = deflate_part(&zs, body, pre, out, cap, &used,
		                  Z_FULL_FLUSH) &&
		     used + 5 + e->rid_len < cap;
		if (ok) {
			/* a stored block (not the last) holding the id */
			unsigned n = (unsigned)e->rid_len;
			out[used++] = 0;
			out[used++] = (char)(n & 0xff);
			out[used++] = (char)(n >> 8);
			out[used++] = (char)(~n & 0xff);
			out[used++] = (char)((~n >> 8) & 0xff);
			e->gz_rid_at = used;
			memcpy(out + used, body + pre, n);
			used += n;
			e->len_suf = e->len - pre - n;
			ok = deflate_part(&zs, body + pre + n, e->len_suf, out,
			                  cap, &used, Z_FINISH);
		}
	}
	deflateEnd(&zs);
	if (!ok || used + 8 > cap) {
		free(out);
		return false;
	}
	e->crc_pre = crc32(0L, (const Bytef *)body, (uInt)pre);
	e->crc_suf = rid ? crc32(0L, (const Bytef *)body + pre + e->rid_len,
	                         (uInt)e->len_suf)
	                 : 0;
	put_le32(out + used, e->crc_pre);
	put_le32(out + used + 4, (uLong)e->len);
	e->gz = out;
	e->gz_len = used + 8;
	return true;
}

bool tp_pagecache_gz(tp_req *r, const unsigned char *key, const char *body,
                     const char **gz, size_t *gz_len)
{
	pc_ent *e = lock_find(r, key);
	if (e == NULL)
		return false;
	size_t rid_len = e->rid_len;
	if (e->gz == NULL) {
		/* made once, from this request's copy of the page, under the
		 * lock: it is rare, and the entry cannot go meanwhile */
		if (body == NULL || !gz_make(e, body)) {
			pthread_mutex_unlock(&pc.lock);
			return false;
		}
		pc.bytes += e->gz_len;
	}
	char *copy = tp_alloc(r, e->gz_len);
	memcpy(copy, e->gz, e->gz_len);
	size_t n = e->gz_len;
	if (e->nrid == 1) {
		memcpy(copy + e->gz_rid_at, r->reqid, rid_len);
		uLong crc = crc32(0L, (const Bytef *)r->reqid, (uInt)rid_len);
		crc = crc32_combine(e->crc_pre, crc, (z_off_t)rid_len);
		crc = crc32_combine(crc, e->crc_suf, (z_off_t)e->len_suf);
		put_le32(copy + n - 8, crc);
	}
	pthread_mutex_unlock(&pc.lock);
	*gz = copy;
	*gz_len = n;
	return true;
}

void tp_pagecache_stats(tp_pagecache_stat *st)
{
	pthread_mutex_lock(&pc.lock);
	st->bytes = pc.bytes;
	st->max_bytes = pc.max_bytes;
	pthread_mutex_unlock(&pc.lock);
}

void tp_pagecache_clear(void)
{
	pthread_mutex_lock(&pc.lock);
	while (pc.tail != NULL)
		drop(pc.tail);
	pthread_mutex_unlock(&pc.lock);
}

/* ---- the brand's data generation, read once for many requests ----
 * Every cached grid request needs the generation as MariaDB has it after
 * the request arrived. Threads of a worker that need it at the same time
 * share one read: a request waits for a read that *started after it
 * arrived* (or starts one), so the value it gets is at least as new as
 * every write committed before it came -- exactly what a read of its own
 * would give. One read at a time per brand slot; reads finish in the order
 * they start. A brand whose slot another brand holds reads on its own. */

#define GEN_SLOTS 64

typedef struct gen_slot {
	uint64_t tenant;        /* 0: free */
	uint64_t started, done; /* read numbers: the last begun, finished */
	bool inflight;
	tp_rc rc;       /* of read number `done` */
	uint64_t value; /* its value */
} gen_slot;

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	gen_slot slots[GEN_SLOTS];
} gs = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

tp_rc tp_data_gen(tp_req *r, uint64_t tenant, tp_data_gen_read_fn read,
                  uint64_t *gen)
{
	pthread_mutex_lock(&gs.lock);
	gen_slot *s = &gs.slots[tenant % GEN_SLOTS];
	if (s->tenant != tenant && s->tenant != 0 && s->inflight) {
		pthread_mutex_unlock(&gs.lock);
		return read(r, tenant, gen); /* the slot is another brand's */
	}
	if (s->tenant != tenant) {
		memset(s, 0, sizeof(*s));
		s->tenant = tenant;
	}
	uint64_t need = s->started + 1; /* a read that starts after now */
	for (;;) {
		if (s->tenant != tenant) { /* taken over while we waited */
			pthread_mutex_unlock(&gs.lock);
			return read(r, tenant, gen);
		}
		if (s->done >= need) {
			tp_rc rc = s->rc;
			*gen = s->value;
			pthread_mutex_unlock(&gs.lock);
			/* a failed read is this request's own to retry */
			return rc == TP_OK ? TP_OK : read(r, tenant, gen);
		}
		if (!s->inflight)
			break;
		pthread_cond_wait(&gs.cond, &gs.lock);
	}
	uint64_t mine = ++s->started;
	s->inflight = true;
	pthread_mutex_unlock(&gs.lock);

	uint64_t v = 0;
	tp_rc rc = read(r, tenant, &v);

	pthread_mutex_lock(&gs.lock);
	s->inflight = false;
	s->done = mine;
	s->rc = rc;
	s->value = v;
	pthread_cond_broadcast(&gs.cond);
	pthread_mutex_unlock(&gs.lock);
	*gen = v;
	return rc;
}
