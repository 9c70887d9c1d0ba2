/*
 * bench/micro.c -- the request path in-process: N requests through
 * tp_handle() with no nginx, FastCGI, DB or cache, for counting instructions
 * under callgrind. It is not a throughput figure and never replaces
 * bench/http; it exists because the shared machine makes wall-clock noise.
 *
 * Usage: bench/micro N [html|json|both|dump]      (default: both)
 *
 *   html  N x GET /fixture/hello         (page template inside the layout)
 *   json  N x GET /api/v1/fixture/hello  (the same view as JSON)
 *   both  N of each
 *   dump  one response of each on stdout, headers and body (for diffing
 *         the output before and after a change)
 *
 * Runs from the build tree like the unit tests: the fixture module from
 * $TP_BUILDDIR/t/fixtures/.libs, its data from $TP_SRCDIR/t/fixtures, the
 * core templates from $TP_SRCDIR/templates (both default to "."). Before the
 * counted loop a few requests warm the template and path caches; startup is
 * removed by differencing two runs (see bench/README.md, "bench/micro").
 */
#include "config.h"
#include "server/server.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WARMUP 16

/* the response writer: one buffer reused for every request */
typedef struct outbuf {
	char *p;
	size_t len, cap;
} outbuf;

static int out_append(void *ud, const void *buf, size_t len)
{
	outbuf *o = ud;

	if (o->cap - o->len < len) {
		size_t cap = o->cap ? o->cap : 4096;
		while (cap - o->len < len)
			cap *= 2;
		char *p = realloc(o->p, cap);
		if (p == NULL)
			return -1;
		o->p = p;
		o->cap = cap;
	}
	memcpy(o->p + o->len, buf, len);
	o->len += len;
	return 0;
}

static char *dir_of(const char *env, const char *sub)
{
	const char *base = getenv(env);
	char abs[PATH_MAX], *out;

	if (base == NULL || *base == '\0')
		base = ".";
	if (realpath(base, abs) == NULL) {
		fprintf(stderr, "micro: %s=%s: no such directory\n", env, base);
		exit(2);
	}
	if (asprintf(&out, "%s/%s", abs, sub) < 0)
		exit(2);
	return out;
}

/* The raw fields as worker.c's fill_request() sets them from what nginx
 * passes for a plain GET without a query string. The request id has the
 * worker's form with a fixed pid, so that runs and dumps compare. */
static void fill(tp_req *r, const char *uri, unsigned long n)
{
	snprintf(r->reqid, sizeof(r->reqid), "%lx-%d-%lx", 0x2a2aUL, 0, n);
	r->method_str = "GET";
	r->method = tp_method_parse(r->method_str);
	r->uri = uri;
	r->path = uri;
	r->query_string = "";
	r->content_length = -1;
	r->remote_addr = "127.0.0.1";
	r->host = "127.0.0.1:18180";
	tp_kv_add(r, &r->headers, "host", r->host);
}

static void one(tp_app *app, tp_req *r, outbuf *o, const char *uri,
                unsigned long n)
{
	o->len = 0;
	fill(r, uri, n);
	tp_handle(app, r);
	tp_log_reqid = NULL;
	tp_req_reset(r);
}

static void check_ok(const outbuf *o, const char *uri)
{
	if (o->len < 15 || memcmp(o->p, "Status: 200 OK\r", 15) != 0) {
		fprintf(stderr, "micro: %s did not answer 200:\n%.*s\n", uri,
		        (int)(o->len > 2000 ? 2000 : o->len), o->p);
		exit(1);
	}
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void run(tp_app *app, tp_req *r, outbuf *o, const char *what,
                const char *uri, long n)
{
	for (unsigned long i = 0; i < WARMUP; i++)
		one(app, r, o, uri, i);
	check_ok(o, uri);
	double t0 = now_ns();
	for (long i = 0; i < n; i++)
		one(app, r, o, uri, WARMUP + (unsigned long)i);
	double t1 = now_ns();
	printf("%-4s %-24s n=%ld  %.0f ns/request (wall, informational)  "
	       "%zu bytes\n",
	       what, uri, n, n > 0 ? (t1 - t0) / (double)n : 0.0, o->len);
}

int main(int argc, char **argv)
{
	const char *html = "/fixture/hello", *json = "/api/v1/fixture/hello";
	tp_config cfg = {0};
	tp_app app = {.cfg = &cfg};
	tp_thread t = {.id = 0, .app = &app};
	outbuf o = {0};

	/* the brand the Host names, without a database behind it */
	tp_brand_pin(&t, "127.0.0.1", "default", "Micro", "fixture");
	tp_req r;
	int refused = 0;
	char *end;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: bench/micro N [html|json|both|dump]\n");
		return 2;
	}
	long n = strtol(argv[1], &end, 10);
	const char *mode = argc > 2 ? argv[2] : "both";
	if (*end != '\0' || n < 0 ||
	    (strcmp(mode, "html") != 0 && strcmp(mode, "json") != 0 &&
	     strcmp(mode, "both") != 0 && strcmp(mode, "dump") != 0)) {
		fprintf(stderr, "usage: bench/micro N [html|json|both|dump]\n");
		return 2;
	}

	tp_log_open(NULL, TP_LOG_WARN);
	cfg.module_dirs = dir_of("TP_BUILDDIR", "t/fixtures/.libs");
	cfg.module_data = dir_of("TP_SRCDIR", "t/fixtures");
	cfg.template_dir = dir_of("TP_SRCDIR", "templates");
	cfg.brand_dir = dir_of("TP_SRCDIR", "t/fixtures/brand");
	cfg.modules_enabled = "*";
	cfg.default_brand = "default";
	cfg.site_name = "tierport";

	tp_router_init(&app.router);
	if (tp_core_routes_add(&app.router) != TP_OK ||
	    tp_modules_load(&app.mods, &cfg, &app.router, &refused) != TP_OK ||
	    app.mods.n == 0) {
		fprintf(stderr,
		        "micro: cannot load the fixture module from %s "
		        "(run `make check` first?)\n",
		        cfg.module_dirs);
		return 1;
	}
	app.core = (tp_core){&cfg, &app.mods, &app.router};
	if (tp_modules_init(&app.mods, &app.core, &app.router) != TP_OK)
		return 1;
	tp_view_set_menu(tp_modules_menu(&app.mods, NULL, NULL));

	/* no DB and no cache: the hello route needs neither, and
	 * tp_handle() takes a thread without them */
	tp_req_init(&r, &t, &cfg);
	r.out_write = out_append;
	r.out_ud = &o;

	if (strcmp(mode, "dump") == 0) {
		one(&app, &r, &o, html, 1);
		fwrite(o.p, 1, o.len, stdout);
		fputs("\n----\n", stdout);
		one(&app, &r, &o, json, 2);
		fwrite(o.p, 1, o.len, stdout);
		fputs("\n", stdout);
	} else {
		if (strcmp(mode, "json") != 0)
			run(&app, &r, &o, "html", html, n);
		if (strcmp(mode, "html") != 0)
			run(&app, &r, &o, "json", json, n);
	}

	tp_arena_destroy(&r.arena);
	tp_modules_fini(&app.mods);
	tp_router_free(&app.router);
	tp_view_set_menu(NULL);
	tp_tmpl_clear_cache();
	free(o.p);
	free(cfg.module_dirs);
	free(cfg.module_data);
	free(cfg.template_dir);
	free(cfg.brand_dir);
	tp_brand_cache_free(t.brands);
	return 0;
}
