/* test_pagecache.c -- core/http/pagecache.c: a kept page comes back with the
 * asking request's id where the rendering request's stood; the least
 * recently used pages go first when the cache is full; a page bigger than
 * an eighth of the cache is not kept; the gzip form inflates to the page
 * with the asking request's id (CRC right); and the shared read of the brand's
 * data generation never gives a thread a value read before it asked, with
 * many threads asking at once. */
#include "config.h"
#include "server/server.h"

#include "tp_check.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static tp_config cfg;

static void req_init(tp_req *r, const char *rid)
{
	tp_req_init(r, NULL, &cfg);
	snprintf(r->reqid, sizeof(r->reqid), "%s", rid);
}

static void key_of(unsigned char *key, int n)
{
	memset(key, 0, TP_PAGE_KEY_LEN);
	memcpy(key, &n, sizeof(n));
	key[TP_PAGE_KEY_LEN - 1] = (unsigned char)n;
}

static void teardown(void)
{
	tp_pagecache_clear();
	tp_pagecache_init(0);
}

START_TEST(test_request_id_patched)
{
	tp_req a, b;
	unsigned char key[TP_PAGE_KEY_LEN];
	const char *body;
	size_t len;
	const char *page = "<p>rows</p><small>reference <code>"
	                   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</code></small>";

	tp_pagecache_init(1 << 20);
	req_init(&a, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	req_init(&b, "0123456789abcdef0123456789abcdef");
	key_of(key, 1);
	ck_assert(!tp_pagecache_get(&b, key, &body, &len));
	tp_pagecache_put(&a, key, page, strlen(page));
	ck_assert(tp_pagecache_get(&b, key, &body, &len));
	ck_assert_uint_eq(len, strlen(page));
	ck_assert_str_eq(body,
	                 "<p>rows</p><small>reference <code>"
	                 "0123456789abcdef0123456789abcdef</code></small>");
	/* another key is another page */
	key_of(key, 2);
	ck_assert(!tp_pagecache_get(&b, key, &body, &len));
	tp_arena_destroy(&a.arena);
	tp_arena_destroy(&b.arena);
}
END_TEST

START_TEST(test_lru_and_size_limit)
{
	tp_req r;
	unsigned char key[TP_PAGE_KEY_LEN];
	const char *body;
	size_t len;
	static char big[20000];
	tp_pagecache_stat st;

	memset(big, 'x', sizeof(big) - 1);
	tp_pagecache_init(200000); /* room for nine 20 KB pages */
	req_init(&r, "r1");
	for (int i = 0; i < 9; i++) {
		key_of(key, 10 + i);
		tp_pagecache_put(&r, key, big, sizeof(big) - 1);
	}
	/* page 10 used again: 11 is now the least recently used */
	key_of(key, 10);
	ck_assert(tp_pagecache_get(&r, key, &body, &len));
	key_of(key, 19);
	tp_pagecache_put(&r, key, big, sizeof(big) - 1);
	key_of(key, 11);
	ck_assert_msg(!tp_pagecache_get(&r, key, &body, &len),
	              "the least recently used page goes first");
	for (int i = 10; i <= 19; i++) {
		if (i == 11)
			continue;
		key_of(key, i);
		ck_assert_msg(tp_pagecache_get(&r, key, &body, &len),
		              "page %d kept", i);
	}
	tp_pagecache_stats(&st);
	ck_assert_uint_le(st.bytes, st.max_bytes);
	/* more than an eighth of the cache: not kept */
	tp_pagecache_clear();
	key_of(key, 20);
	tp_pagecache_put(&r, key, big, 200000 / 8);
	ck_assert(!tp_pagecache_get(&r, key, &body, &len));
	/* off: nothing kept */
	tp_pagecache_init(0);
	key_of(key, 21);
	tp_pagecache_put(&r, key, "x", 1);
	ck_assert(!tp_pagecache_get(&r, key, &body, &len));
	tp_arena_destroy(&r.arena);
}
END_TEST

/* gunzip of a whole gzip member, or NULL */
static char *gunzip(const char *gz, size_t n, size_t *out_len)
{
	static char out[65536];
	z_stream zs = {0};
	ck_assert_int_eq(inflateInit2(&zs, 31), Z_OK);
	zs.next_in = (Bytef *)gz;
	zs.avail_in = (uInt)n;
	zs.next_out = (Bytef *)out;
	zs.avail_out = sizeof(out) - 1;
	int rc = inflate(&zs, Z_FINISH); /* checks the CRC and length */
	*out_len = sizeof(out) - 1 - zs.avail_out;
	inflateEnd(&zs);
	if (rc != Z_STREAM_END || zs.avail_in != 0)
		return NULL;
	out[*out_len] = '\0';
	return out;
}

START_TEST(test_gzip_form)
{
	tp_req a, b, c;
	unsigned char key[TP_PAGE_KEY_LEN];
	const char *body, *gz;
	size_t len, gzn, n;
	static char page[20000];
	size_t at;

	/* a page with its request id near the end, and repetitive text
	 * before and after it that compresses */
	at = 0;
	for (int i = 0; at < 15000; i++)
		at += (size_t)snprintf(page + at, sizeof(page) - at,
		                       "<tr><td>row %d</td></tr>\n", i);
	at += (size_t)snprintf(page + at, sizeof(page) - at,
	                       "reference <code>%s</code> and after, after",
	                       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	tp_pagecache_init(1 << 20);
	req_init(&a, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	req_init(&b, "0123456789abcdef0123456789abcdef");
	req_init(&c, "fedcba9876543210fedcba9876543210");
	key_of(key, 30);
	tp_pagecache_put(&a, key, page, at);
	/* none yet, and none made without the page */
	ck_assert(!tp_pagecache_gz(&b, key, NULL, &gz, &gzn));
	ck_assert(tp_pagecache_get(&b, key, &body, &len));
	ck_assert(tp_pagecache_gz(&b, key, body, &gz, &gzn));
	ck_assert_uint_lt(gzn, at / 4);
	char *plain = gunzip(gz, gzn, &n);
	ck_assert_ptr_nonnull(plain);
	ck_assert_uint_eq(n, at);
	ck_assert_mem_eq(plain, body, at);
	/* kept: another request gets it with its own id and a right CRC */
	ck_assert(tp_pagecache_gz(&c, key, NULL, &gz, &gzn));
	plain = gunzip(gz, gzn, &n);
	ck_assert_ptr_nonnull(plain);
	ck_assert_ptr_nonnull(strstr(plain, "reference <code>"
	                                    "fedcba9876543210fedcba9876543210"
	                                    "</code> and after, after"));
	ck_assert_uint_eq(n, at);
	/* a page without an id compresses whole */
	key_of(key, 31);
	tp_pagecache_put(&a, key, "{\"rows\": []}", 12);
	ck_assert(tp_pagecache_get(&b, key, &body, &len));
	ck_assert(tp_pagecache_gz(&b, key, body, &gz, &gzn));
	plain = gunzip(gz, gzn, &n);
	ck_assert_ptr_nonnull(plain);
	ck_assert_str_eq(plain, "{\"rows\": []}");
	tp_arena_destroy(&a.arena);
	tp_arena_destroy(&b.arena);
	tp_arena_destroy(&c.arena);
}
END_TEST

/* ---- the shared generation read ----
 * "commits" bump a version; a read returns the version as it was when the
 * read began, then takes a while (so other threads pile up behind it). A
 * thread notes the version before it asks: what it gets must be at least
 * that -- a read that began before it asked could be older. */
static atomic_ulong version;
static atomic_ulong reads;

static tp_rc slow_read(tp_req *r, uint64_t tenant, uint64_t *gen)
{
	(void)r;
	(void)tenant;
	*gen = atomic_load(&version);
	atomic_fetch_add(&reads, 1);
	usleep(2000);
	return TP_OK;
}

static atomic_int stale;

static void *asker(void *arg)
{
	tp_req r;
	uint64_t tenant = (uint64_t)(uintptr_t)arg;
	req_init(&r, "t");
	for (int i = 0; i < 40; i++) {
		unsigned long before = atomic_fetch_add(&version, 1) + 1;
		uint64_t gen = 0;
		ck_assert_int_eq(tp_data_gen(&r, tenant, slow_read, &gen),
		                 TP_OK);
		if (gen < before)
			atomic_fetch_add(&stale, 1);
	}
	tp_arena_destroy(&r.arena);
	return NULL;
}

START_TEST(test_shared_generation_read)
{
	pthread_t t[16];
	/* two brands in different slots, one pair sharing a slot */
	uint64_t tenants[] = {1, 2, 1 + 64, 1};
	for (int i = 0; i < 16; i++)
		ck_assert_int_eq(
		    pthread_create(&t[i], NULL, asker,
		                   (void *)(uintptr_t)tenants[i % 4]),
		    0);
	for (int i = 0; i < 16; i++)
		pthread_join(t[i], NULL);
	ck_assert_int_eq(atomic_load(&stale), 0);
	/* shared: fewer reads than requests (16 x 40) */
	ck_assert_uint_lt(atomic_load(&reads), 16 * 40);
}
END_TEST

static tp_rc failing_read(tp_req *r, uint64_t tenant, uint64_t *gen)
{
	(void)r;
	(void)tenant;
	(void)gen;
	return TP_EUNAVAIL;
}

START_TEST(test_failed_read)
{
	tp_req r;
	uint64_t gen = 7;
	req_init(&r, "t");
	ck_assert_int_eq(tp_data_gen(&r, 5, failing_read, &gen), TP_EUNAVAIL);
	ck_assert_int_eq(tp_data_gen(&r, 5, slow_read, &gen), TP_OK);
	ck_assert_uint_ge(gen, atomic_load(&version));
	tp_arena_destroy(&r.arena);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("pagecache");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_request_id_patched);
	tcase_add_test(tc, test_lru_and_size_limit);
	tcase_add_test(tc, test_gzip_form);
	tcase_add_test(tc, test_shared_generation_read);
	tcase_add_test(tc, test_failed_read);
	suite_add_tcase(s, tc);
	return s;
}

TP_CHECK_MAIN(suite)
