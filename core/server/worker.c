/*
 * worker.c -- a worker process: loads modules, runs T threads that each
 * accept FastCGI requests (libfcgi, one connection per thread) and feed
 * them to the pipeline. Signals are ours, not libfcgi's: SIGTERM wakes
 * every thread through a pipe so the worker drains and exits promptly.
 */
#include "config.h"
#include "server/server.h"

#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <mysql.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int wake_pipe[2] = {-1, -1};
static atomic_int threads_alive;
static atomic_int threads_ready;
/* a module's thread_init failed in some thread: the worker does not serve */
static atomic_int threads_failed;
static atomic_bool draining;
static atomic_ulong req_counter;

typedef struct {
	tp_thread t;
	pthread_t tid;
	int listen_fd;
	/* the kept-alive connection this thread is blocked reading, or -1
	 * while it serves a request; draining shuts idle ones down */
	atomic_int idle_fd;
} worker_thread;

static worker_thread *threads;
static int nthreads;

static int out_write(void *ud, const void *buf, size_t len)
{
	FCGX_Request *q = ud;
	if (len == 0)
		return 0;
	return FCGX_PutStr(buf, (int)len, q->out) == (int)len ? 0 : -1;
}

static int out_flush(void *ud)
{
	FCGX_Request *q = ud;
	return FCGX_FFlush(q->out);
}

static ssize_t body_read(void *ud, char *buf, size_t len)
{
	FCGX_Request *q = ud;
	int n = FCGX_GetStr(buf, (int)(len > 1 << 20 ? 1 << 20 : len), q->in);
	if (n < 0)
		return -1;
	return n;
}

static bool reqid_ok(const char *s)
{
	size_t n = 0;
	for (; s[n] != '\0'; n++)
		if (n >= 36 || !((s[n] >= '0' && s[n] <= '9') ||
		                 (s[n] >= 'a' && s[n] <= 'z') ||
		                 (s[n] >= 'A' && s[n] <= 'Z') || s[n] == '-'))
			return false;
	return n > 0;
}

/* A stream that failed half way (TP0507) must not end like a whole one:
 * nginx ends a response whose upstream just closes as if it were complete
 * (the last chunk sent, a 200 in the log). So what was written goes out,
 * then a record header of protocol version 0: nginx logs "unsupported
 * FastCGI protocol version", drops the client connection without the last
 * chunk, and the client sees a broken download. The connection is closed;
 * the next request comes on a new one. */
static void abort_response(FCGX_Request *q)
{
	static const unsigned char bad[8] = {0};

	FCGX_FFlush(q->out);
	if (q->ipcFd >= 0 && write(q->ipcFd, bad, sizeof(bad)) < 0)
		tp_log(TP_LOG_WARN, "TP0029", "abort response: %s",
		       strerror(errno));
	FCGX_Free(q, 1);
}

/* FastCGI params -> the raw fields of tp_req, in one pass over the params
 * (FCGX_GetParam would rescan them for every name). The values live in the
 * FCGX_Request until FCGX_Finish_r, after the request is done. */
static void fill_request(tp_req *r, FCGX_Request *q)
{
	const char *reqid = NULL, *clen = NULL;

	r->content_length = -1;
	for (char **e = q->envp; *e != NULL; e++) {
		const char *kv = *e, *eq = strchr(kv, '=');
		if (eq == NULL)
			continue;
		size_t klen = (size_t)(eq - kv);
		const char *v = eq + 1;
#define IS(lit) (klen == sizeof(lit) - 1 && memcmp(kv, lit, klen) == 0)
		if (klen > 5 && memcmp(kv, "HTTP_", 5) == 0) {
			/* HTTP_ACCEPT_LANGUAGE -> accept-language */
			size_t n = klen - 5;
			char *name = tp_alloc(r, n + 1);
			for (size_t i = 0; i < n; i++) {
				char c = kv[5 + i];
				name[i] = c == '_' ? '-'
				          : (c >= 'A' && c <= 'Z')
				              ? (char)(c + 32)
				              : c;
			}
			name[n] = '\0';
			tp_kv_add_nocopy(r, &r->headers, name, v);
			if (n == 4 && memcmp(name, "host", 4) == 0)
				r->host = v;
		} else if (IS("REQUEST_METHOD")) {
			r->method_str = v;
		} else if (IS("REQUEST_URI")) {
			r->uri = v;
		} else if (IS("QUERY_STRING")) {
			r->query_string = v;
		} else if (IS("CONTENT_TYPE")) {
			r->content_type = *v != '\0' ? v : NULL;
		} else if (IS("CONTENT_LENGTH")) {
			clen = v;
		} else if (IS("REMOTE_ADDR")) {
			r->remote_addr = v;
		} else if (IS("REQUEST_ID")) {
			reqid = v;
		} else if (IS("HTTPS")) {
			r->https = *v != '\0' && strcmp(v, "off") != 0;
		}
#undef IS
	}
	if (reqid != NULL && reqid_ok(reqid))
		snprintf(r->reqid, sizeof(r->reqid), "%s", reqid);
	else
		snprintf(r->reqid, sizeof(r->reqid), "%lx-%d-%lx",
		         (unsigned long)getpid(), r->thread->id,
		         atomic_fetch_add(&req_counter, 1));
	r->method = r->method_str ? tp_method_parse(r->method_str) : 0;
	if (r->uri != NULL) {
		const char *qm = strchr(r->uri, '?');
		r->path =
		    qm ? tp_strndup(r, r->uri, (size_t)(qm - r->uri)) : r->uri;
	}
	if (clen != NULL && *clen != '\0') {
		int64_t cl;
		r->content_length = tp_parse_i64(clen, &cl) == TP_OK && cl >= 0
		                        ? cl
		                        : -2; /* junk: the parser refuses */
	}
	if (r->content_type != NULL)
		tp_kv_add_nocopy(r, &r->headers, "content-type",
		                 r->content_type);

	r->body_read = body_read;
	r->body_ud = q;
	r->out_write = out_write;
	r->out_flush = out_flush;
	r->out_ud = q;
}

/* Unread request body must be consumed, or the kept-alive connection
 * would see its records as the next request. */
static void drain_body(FCGX_Request *q)
{
	char buf[16384];
	while (FCGX_GetStr(buf, sizeof(buf), q->in) > 0)
		;
}

static void *thread_main(void *arg)
{
	worker_thread *wt = arg;
	tp_thread *t = &wt->t;
	tp_app *app = t->app;
	FCGX_Request q;
	tp_req r;

	mysql_thread_init();
	t->db = tp_db_new(app->cfg);
	if (tp_db_connect(t->db) != TP_OK)
		tp_log(TP_LOG_WARN, "TP0020",
		       "thread %d: database not reachable yet (%s); will retry "
		       "per request",
		       t->id, tp_db_error(t->db));
	t->cache = tp_cache_new(app->cfg);
	if (tp_modules_thread_init(&app->mods, t->db) != TP_OK) {
		/* logged by the loader; the worker exits before it is ready */
		atomic_fetch_add(&threads_failed, 1);
		atomic_fetch_add(&threads_ready, 1);
		tp_cache_free(t->cache);
		tp_db_free(t->db);
		mysql_thread_end();
		return NULL;
	}
	FCGX_InitRequest(&q, wt->listen_fd, 0);
	tp_req_init(&r, t, app->cfg);
	atomic_fetch_add(&threads_ready, 1);

	for (;;) {
		if (q.ipcFd < 0) {
			/* no connection: wait for one, or for the drain */
			struct pollfd p[2] = {{wt->listen_fd, POLLIN, 0},
			                      {wake_pipe[0], POLLIN, 0}};
			if (poll(p, 2, -1) < 0 && errno != EINTR) {
				tp_log(TP_LOG_ERR, "TP0021", "poll: %s",
				       strerror(errno));
				break;
			}
			if (p[1].revents != 0)
				break;
			if (p[0].revents == 0)
				continue;
		} else {
			/* a kept-alive connection: block reading it, as a
			 * bare libfcgi responder does (no extra syscall per
			 * request); publish the fd first so a drain can wake
			 * us by shutting it down */
			atomic_store(&wt->idle_fd, q.ipcFd);
			if (atomic_load(&draining)) {
				atomic_store(&wt->idle_fd, -1);
				break;
			}
		}
		int rc = FCGX_Accept_r(&q);
		atomic_store(&wt->idle_fd, -1);
		if (rc < 0) {
			/* EAGAIN: another thread won the accept */
			if (atomic_load(&draining))
				break;
			if (rc != -EAGAIN && rc != -EWOULDBLOCK)
				tp_log(TP_LOG_WARN, "TP0022", "accept: %s",
				       strerror(-rc));
			continue;
		}
		fill_request(&r, &q);
		tp_handle(app, &r);
		bool cut = r.cut_short;
		if (!cut)
			drain_body(&q);
		tp_log_reqid = NULL;
		tp_req_reset(&r);
		if (cut)
			abort_response(&q);
		else
			FCGX_Finish_r(&q);
		if (atomic_load(&draining))
			break;
	}
	if (q.ipcFd >= 0)
		FCGX_Free(&q, 1);
	tp_arena_destroy(&r.arena);
	tp_modules_thread_fini(&app->mods);
	tp_i18n_thread_done(); /* the thread's time zone calendar */
	tp_brand_cache_free(t->brands);
	tp_cache_free(t->cache);
	tp_db_free(t->db);
	mysql_thread_end();
	atomic_fetch_sub(&threads_alive, 1);
	return NULL;
}

static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int tp_worker_run(tp_config *cfg, int listen_fd, int ready_fd)
{
	tp_app app = {.cfg = cfg};
	sigset_t set;
	int refused = 0;

	/* die with the master; never outlive it holding the socket */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		_exit(0);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGQUIT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	if (FCGX_Init() != 0) {
		tp_log(TP_LOG_ERR, "TP0023", "FCGX_Init failed");
		return 1;
	}
	mysql_library_init(0, NULL, NULL);
	if (pipe2(wake_pipe, O_CLOEXEC) != 0)
		return 1;

	tp_clock_init(cfg->clock_file);
	char kerr[512];
	if (tp_keystore_load(cfg->key_file, kerr, sizeof(kerr)) != TP_OK) {
		tp_log(TP_LOG_ERR, "TP1704", "key store: %s", kerr);
		return 1;
	}
	tp_router_init(&app.router);
	if (tp_core_routes_add(&app.router) != TP_OK)
		return 1;
	tp_modules_load(&app.mods, cfg, &app.router, &refused);
	app.core = (tp_core){cfg, &app.mods, &app.router};
	tp_modules_init(&app.mods, &app.core, &app.router);
	size_t nhooks = 0;
	const tp_menu **hooks =
	    calloc(tp_modules_menu_size(&app.mods) + 1, sizeof(*hooks));
	tp_view_set_menu(tp_modules_menu(&app.mods, hooks, &nhooks));
	tp_view_set_menu_hooks(hooks, nhooks);

	tp_pagecache_init((size_t)cfg->page_cache_mb << 20);
	tp_i18n_init(cfg->localedir);
	worker_thread *ts = calloc((size_t)cfg->threads, sizeof(*ts));
	threads = ts;
	nthreads = cfg->threads;
	atomic_store(&threads_alive, cfg->threads);
	for (int i = 0; i < cfg->threads; i++) {
		atomic_init(&ts[i].idle_fd, -1);
		ts[i].t.id = i;
		ts[i].t.app = &app;
		ts[i].listen_fd = listen_fd;
		if (pthread_create(&ts[i].tid, NULL, thread_main, &ts[i]) !=
		    0) {
			tp_log(TP_LOG_ERR, "TP0024", "pthread_create failed");
			_exit(1);
		}
	}
	while (atomic_load(&threads_ready) < cfg->threads)
		usleep(1000);
	if (atomic_load(&threads_failed) > 0) {
		/* never half a worker: the master logs the exit and respawns
		 * (a reload is abandoned, the old workers keep serving) */
		tp_log(TP_LOG_ERR, "TP0054",
		       "worker not serving: a module's thread_init failed in "
		       "%d thread(s)",
		       atomic_load(&threads_failed));
		_exit(1);
	}
	tp_log(TP_LOG_INFO, "TP0025",
	       "worker ready: %d threads, %zu modules (%d refused)",
	       cfg->threads, app.mods.n, refused);
	if (ready_fd >= 0) {
		ssize_t w = write(ready_fd, "R", 1);
		(void)w;
		close(ready_fd);
	}

	int sig = 0;
	while (sig != SIGTERM && sig != SIGINT && sig != SIGQUIT) {
		sig = sigwaitinfo(&set, NULL);
		if (sig < 0 && errno != EINTR)
			break;
	}
	tp_log(TP_LOG_INFO, "TP0026", "worker draining (signal %d)", sig);
	atomic_store(&draining, true);
	ssize_t w = write(wake_pipe[1], "x", 1);
	(void)w;
	/* threads idle on a kept-alive connection: EOF wakes them. nginx
	 * retries a request that meets a closing cached connection. */
	for (int i = 0; i < nthreads; i++) {
		int fd = atomic_exchange(&threads[i].idle_fd, -1);
		if (fd >= 0)
			shutdown(fd, SHUT_RDWR);
	}
	long long deadline = mono_ms() + (long long)cfg->drain_timeout * 1000;
	while (atomic_load(&threads_alive) > 0 && mono_ms() < deadline)
		usleep(5000);
	if (atomic_load(&threads_alive) > 0) {
		tp_log(TP_LOG_ERR, "TP0027",
		       "worker drain timed out after %d s with %d busy threads",
		       cfg->drain_timeout, atomic_load(&threads_alive));
		_exit(2);
	}
	for (int i = 0; i < cfg->threads; i++)
		pthread_join(ts[i].tid, NULL);
	free(ts);
	tp_view_set_menu(NULL);
	tp_view_set_menu_hooks(NULL, 0);
	free(hooks);
	tp_modules_fini(&app.mods);
	tp_router_free(&app.router);
	tp_keystore_free();
	tp_tmpl_clear_cache();
	tp_pagecache_clear();
	mysql_library_end();
	tp_log(TP_LOG_INFO, "TP0028", "worker exiting");
	return 0;
}
