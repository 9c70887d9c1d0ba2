/*
 * arena.c -- per-request memory: bump allocation in blocks, cleanups run
 * LIFO when the request ends. Nothing here is thread-shared; each worker
 * thread owns one arena and resets it between requests.
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

static tp_arena_block *block_new(size_t min)
{
	size_t size = min > TP_ARENA_BLOCK ? min : TP_ARENA_BLOCK;
	tp_arena_block *b = malloc(sizeof(*b) + size);
	if (b == NULL)
		abort(); /* out of memory: the master respawns us */
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

void tp_arena_init(tp_arena *a)
{
	a->first = a->head = block_new(TP_ARENA_BLOCK);
	a->cleanups = NULL;
	a->total = 0;
}

void *tp_arena_alloc(tp_arena *a, size_t n)
{
	size_t need = (n + TP_ALIGN - 1) & ~(size_t)(TP_ALIGN - 1);
	tp_arena_block *b = a->head;

	if (need == 0)
		need = TP_ALIGN;
	if (b->size - b->used < need) {
		/* big allocations get a block of their own behind the head so
		 * the head's free space is not wasted */
		tp_arena_block *nb = block_new(need);
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
}

void tp_arena_destroy(tp_arena *a)
{
	tp_arena_reset(a);
	free(a->first);
	a->first = a->head = NULL;
}
