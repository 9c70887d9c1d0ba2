/*
 * arena.c -- per-request memory: bump allocation in blocks, cleanups run
 * LIFO when the request ends. Nothing here is thread-shared; each worker
 * thread owns one arena and resets it between requests. An allocation never
 * returns NULL: when malloc refuses a block, the arena's reserve block
 * serves it and the failure is counted (tp_arena_failures), so the request
 * ends in a 503 and its transaction is rolled back, instead of the worker
 * and every request on its threads dying; only a second failure before
 * the reserve is made again aborts.
 */
#include "config.h"
#include "lib/lib.h"

#include <stdlib.h>
#include <string.h>

#define TP_ARENA_BLOCK (16 * 1024)
#define TP_ALIGN       16

struct tp_arena_block {
	tp_arena_block *next; /* older block */
	size_t size, used;
	max_align_t data[];
};

struct tp_cleanup_rec {
	tp_cleanup_rec *next;
	void (*fn)(void *);
	void *data;
};

/* per thread: allocations, and those that failed (served by a reserve) */
static _Thread_local unsigned long n_calls, n_failures;
#ifdef TP_ALLOC_FAIL
static _Thread_local unsigned long fail_at; /* n_calls that fails; 0 none */

void tp_arena_fail_at(unsigned long n)
{
	fail_at = n ? n_calls + n : 0;
}
#endif

unsigned long tp_arena_calls(void)
{
	return n_calls;
}

unsigned long tp_arena_failures(void)
{
	return n_failures;
}

static tp_arena_block *block_new(size_t min)
{
	size_t size = min > TP_ARENA_BLOCK ? min : TP_ARENA_BLOCK;
	tp_arena_block *b = malloc(sizeof(*b) + size);
	if (b == NULL)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

/* malloc refused a block of need bytes: the reserve, once */
static tp_arena_block *from_reserve(tp_arena *a, size_t need)
{
	tp_arena_block *b = a->reserve;
	if (b == NULL || b->size < need)
		abort(); /* out of memory twice: the master respawns us */
	a->reserve = NULL;
	n_failures++;
	return b;
}

void tp_arena_init(tp_arena *a)
{
	a->first = a->head = block_new(TP_ARENA_BLOCK);
	a->reserve = block_new(TP_ARENA_BLOCK);
	if (a->first == NULL || a->reserve == NULL)
		abort(); /* out of memory before any work: nothing to fail */
	a->cleanups = NULL;
	a->total = 0;
}

void *tp_arena_alloc(tp_arena *a, size_t n)
{
	size_t need = (n + TP_ALIGN - 1) & ~(size_t)(TP_ALIGN - 1);
	tp_arena_block *b = a->head;

	if (need == 0)
		need = TP_ALIGN;
	n_calls++;
#ifdef TP_ALLOC_FAIL
	/* a test build: this call fails as if malloc had refused its block */
	bool fail = fail_at != 0 && n_calls == fail_at;
#else
	const bool fail = false;
#endif
	if (b->size - b->used < need || fail) {
		/* big allocations get a block of their own behind the head so
		 * the head's free space is not wasted */
		tp_arena_block *nb = fail ? NULL : block_new(need);
		if (nb == NULL)
			nb = from_reserve(a, need);
		if (need > TP_ARENA_BLOCK / 4 &&
		    b->size - b->used > TP_ALIGN * 8) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	void *p = (char *)b->data + b->used;
	b->used += need;
	a->total += need;
	return p;
}

void tp_arena_cleanup(tp_arena *a, void (*fn)(void *), void *data)
{
	tp_cleanup_rec *c = tp_arena_alloc(a, sizeof(*c));
	c->fn = fn;
	c->data = data;
	c->next = a->cleanups;
	a->cleanups = c;
}

static void run_cleanups(tp_arena *a)
{
	/* a cleanup may register another; keep going until none are left */
	while (a->cleanups != NULL) {
		tp_cleanup_rec *c = a->cleanups;
		a->cleanups = c->next;
		c->fn(c->data);
	}
}

void tp_arena_reset(tp_arena *a)
{
	run_cleanups(a);
	tp_arena_block *b = a->head;
	while (b != NULL) {
		tp_arena_block *next = b->next;
		if (b != a->first)
			free(b);
		b = next;
	}
	a->first->next = NULL;
	a->first->used = 0;
	a->head = a->first;
	a->total = 0;
	/* a reserve that served a failure was freed with the blocks above */
	if (a->reserve == NULL)
		a->reserve = block_new(TP_ARENA_BLOCK);
}

void tp_arena_destroy(tp_arena *a)
{
	tp_arena_reset(a);
	free(a->first);
	free(a->reserve);
	a->first = a->head = a->reserve = NULL;
}
