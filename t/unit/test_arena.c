/* test_arena.c -- core/lib/arena.c: allocation, alignment, big blocks,
 * cleanups in LIFO order, reset keeping the first block; in a build with
 * --enable-alloc-fail, a failed allocation served by the reserve. */
#include "config.h"
#include "server/server.h"

#include "tp_check.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static tp_arena a;
static char order[16];
static int norder;

static void setup(void)
{
	tp_arena_init(&a);
	norder = 0;
	memset(order, 0, sizeof(order));
}

static void teardown(void)
{
	tp_arena_destroy(&a);
}

START_TEST(test_alloc_aligned_and_distinct)
{
	char *p1 = tp_arena_alloc(&a, 1);
	char *p2 = tp_arena_alloc(&a, 3);
	char *p3 = tp_arena_alloc(&a, 0);
	ck_assert_ptr_ne(p1, p2);
	ck_assert_ptr_ne(p2, p3);
	ck_assert_uint_eq((uintptr_t)p1 % 16, 0);
	ck_assert_uint_eq((uintptr_t)p2 % 16, 0);
	ck_assert_uint_eq((uintptr_t)p3 % 16, 0);
	memset(p1, 'x', 1);
	memset(p2, 'y', 3);
	ck_assert_int_eq(p1[0], 'x');
}
END_TEST

START_TEST(test_big_allocations_survive_until_reset)
{
	/* larger than a block, and many small ones around it */
	char *small = tp_arena_alloc(&a, 100);
	memset(small, 's', 100);
	char *big = tp_arena_alloc(&a, 1 << 20);
	memset(big, 'b', 1 << 20);
	for (int i = 0; i < 1000; i++)
		memset(tp_arena_alloc(&a, 100), 'z', 100);
	ck_assert_int_eq(small[99], 's');
	ck_assert_int_eq(big[(1 << 20) - 1], 'b');
	ck_assert_uint_ge(a.total, (1u << 20) + 100 * 1001);
	tp_arena_reset(&a);
	ck_assert_uint_eq(a.total, 0);
	ck_assert_ptr_eq(a.head, a.first);
	/* after reset the first block is reused */
	char *again = tp_arena_alloc(&a, 16);
	ck_assert_ptr_nonnull(again);
}
END_TEST

static void mark(void *p)
{
	order[norder++] = *(char *)p;
}

static char c_a = 'a', c_b = 'b', c_c = 'c';

static void register_more(void *p)
{
	order[norder++] = 'r';
	tp_arena_cleanup(&a, mark, &c_c);
}

START_TEST(test_cleanups_lifo_and_nested)
{
	tp_arena_cleanup(&a, mark, &c_a);
	tp_arena_cleanup(&a, register_more, NULL);
	tp_arena_cleanup(&a, mark, &c_b);
	tp_arena_reset(&a);
	/* b, then register_more (which adds c, run next), then a */
	ck_assert_str_eq(order, "brca");
	norder = 0;
	memset(order, 0, sizeof(order));
	tp_arena_reset(&a);
	ck_assert_int_eq(norder, 0); /* cleanups run once */
}
END_TEST

START_TEST(test_request_helpers)
{
	tp_req r;
	memset(&r, 0, sizeof(r));
	tp_arena_init(&r.arena);
	char *s = tp_printf(&r, "%s-%d", "id", 42);
	ck_assert_str_eq(s, "id-42");
	ck_assert_str_eq(tp_strndup(&r, "abcdef", 3), "abc");
	ck_assert_ptr_null(tp_strdup(&r, NULL));
	char *z = tp_calloc(&r, 64);
	for (int i = 0; i < 64; i++)
		ck_assert_int_eq(z[i], 0);
	/* a json object owned by the request is released at reset; ASan
	 * (the test build) reports it if not */
	json_object *o = tp_json_owned(&r, json_object_new_object());
	json_object_object_add(o, "k", json_object_new_string("v"));
	tp_arena_destroy(&r.arena);
}
END_TEST

#ifdef TP_ALLOC_FAIL
/* A failed allocation is served by the reserve (usable memory, counted as
 * a failure); the reserve is made again at reset, so the next request
 * survives one too; a big one that needs its own block as well. */
START_TEST(test_failure_served_by_reserve)
{
	unsigned long f0 = tp_arena_failures();
	char *p = tp_arena_alloc(&a, 10);
	tp_arena_fail_at(2);
	char *q = tp_arena_alloc(&a, 10);
	ck_assert_uint_eq(tp_arena_failures(), f0);
	char *x = tp_arena_alloc(&a, 100);
	ck_assert_uint_eq(tp_arena_failures(), f0 + 1);
	ck_assert_ptr_nonnull(x);
	memset(x, 'x', 100);
	memset(p, 'p', 10);
	memset(q, 'q', 10);
	/* only the nth: later ones come from malloc again */
	char *y = tp_arena_alloc(&a, 20000);
	memset(y, 'y', 20000);
	ck_assert_uint_eq(tp_arena_failures(), f0 + 1);
	tp_arena_reset(&a);
	tp_arena_fail_at(1);
	char *z = tp_arena_alloc(&a, 3000);
	ck_assert_uint_eq(tp_arena_failures(), f0 + 2);
	memset(z, 'z', 3000);
	tp_arena_fail_at(0);
}
END_TEST
#endif

static Suite *suite(void)
{
	Suite *s = suite_create("arena");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_alloc_aligned_and_distinct);
	tcase_add_test(tc, test_big_allocations_survive_until_reset);
	tcase_add_test(tc, test_cleanups_lifo_and_nested);
	tcase_add_test(tc, test_request_helpers);
#ifdef TP_ALLOC_FAIL
	tcase_add_test(tc, test_failure_served_by_reserve);
#endif
	suite_add_tcase(s, tc);
	return s;
}

TP_CHECK_MAIN(suite)
