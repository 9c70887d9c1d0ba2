/*
 * alloc.c -- the module-facing allocation API (tp_alloc, tp_printf, ...)
 * on the request's arena (lib/arena.c): everything freed when the request
 * ends.
 */
#include "config.h"
#include "http/http.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void *tp_alloc(tp_req *r, size_t n)
{
	return tp_arena_alloc(&r->arena, n);
}

void *tp_calloc(tp_req *r, size_t n)
{
	void *p = tp_arena_alloc(&r->arena, n);
	memset(p, 0, n);
	return p;
}

char *tp_strndup(tp_req *r, const char *s, size_t n)
{
	char *p = tp_arena_alloc(&r->arena, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *tp_strdup(tp_req *r, const char *s)
{
	return s == NULL ? NULL : tp_strndup(r, s, strlen(s));
}

char *tp_printf(tp_req *r, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		va_end(ap2);
		return tp_strdup(r, "");
	}
	char *p = tp_arena_alloc(&r->arena, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

void tp_cleanup(tp_req *r, void (*fn)(void *), void *data)
{
	tp_arena_cleanup(&r->arena, fn, data);
}

static void json_put(void *o)
{
	json_object_put(o);
}

json_object *tp_json_owned(tp_req *r, json_object *o)
{
	if (o != NULL)
		tp_arena_cleanup(&r->arena, json_put, o);
	return o;
}
