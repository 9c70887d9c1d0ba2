/*
 * bench/hello.c -- the baseline for bench/http: a bare libfcgi responder.
 *
 * Usage: bench/hello SOCKET [THREADS]     (THREADS defaults to 48)
 *
 * Opens SOCKET (a unix socket path, or ":PORT" / "HOST:PORT") with
 * FCGX_OpenSocket, makes a unix socket mode 0660, then runs THREADS threads,
 * each with its own FCGX_Request in a plain FCGX_Accept_r loop on the shared
 * listening descriptor. There is no mutex around accept: accept(2) on Linux
 * is thread-safe, and the kernel hands each connection to one waiter.
 *
 * Every request gets the same small HTML page, about the size of a small
 * rendered template, so the figure measures libfcgi + nginx and nothing else.
 *
 * libfcgi serves one connection per accepting thread and never multiplexes:
 * with nginx "fastcgi_keep_conn on" and upstream "keepalive K", THREADS must
 * be at least nginx workers x K, or requests stall (see bench/README.md).
 *
 * SIGTERM/SIGINT remove the socket and exit at once. The handlers are
 * installed before FCGX_Init so that libfcgi keeps them (it only replaces
 * handlers still at SIG_DFL, with ones that merely set a flag).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fcgiapp.h>

#define DEFAULT_THREADS 48
#define MAX_THREADS     4096
#define BACKLOG         1024

static const char reply[] =
    "Status: 200 OK\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, "
    "initial-scale=1\">\n"
    "<title>Hello - tierport</title>\n"
    "<link rel=\"stylesheet\" href=\"/static/css/portal.css\">\n"
    "</head>\n"
    "<body>\n"
    "<header class=\"top\"><a class=\"brand\" href=\"/\">tierport</a>\n"
    "<nav><a href=\"/\">Dashboard</a> <a href=\"/accounts\">Accounts</a> "
    "<a href=\"/invoices\">Invoices</a></nav></header>\n"
    "<main>\n"
    "<h1>Hello</h1>\n"
    "<p>This page is the bare libfcgi baseline of the tierport HTTP "
    "benchmark. It is about the size of a small rendered template "
    "inside the layout.</p>\n"
    "</main>\n"
    "<footer>Powered by tierport</footer>\n"
    "</body>\n"
    "</html>\n";

static const char *sock_path;
static int sock_is_unix;

static void on_term(int sig)
{
	(void)sig;
	if (sock_is_unix)
		unlink(sock_path);
	_exit(0);
}

static void *serve(void *arg)
{
	int fd = (int)(long)arg;
	FCGX_Request req;

	if (FCGX_InitRequest(&req, fd, 0) != 0) {
		fprintf(stderr, "hello: FCGX_InitRequest failed\n");
		return NULL;
	}
	while (FCGX_Accept_r(&req) >= 0) {
		FCGX_PutStr(reply, (int)sizeof(reply) - 1, req.out);
		FCGX_Finish_r(&req);
	}
	fprintf(stderr, "hello: FCGX_Accept_r failed, thread exits\n");
	return NULL;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	pthread_t *tids;
	long nthreads = DEFAULT_THREADS;
	char *end;
	int fd;
	long i;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s SOCKET [THREADS]\n", argv[0]);
		return 2;
	}
	sock_path = argv[1];
	sock_is_unix = strchr(sock_path, ':') == NULL;
	if (argc == 3) {
		errno = 0;
		nthreads = strtol(argv[2], &end, 10);
		if (errno || *end || nthreads < 1 || nthreads > MAX_THREADS) {
			fprintf(stderr, "hello: bad thread count '%s' (1-%d)\n",
			        argv[2], MAX_THREADS);
			return 2;
		}
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (FCGX_Init() != 0) {
		fprintf(stderr, "hello: FCGX_Init failed\n");
		return 1;
	}
	if (sock_is_unix)
		unlink(sock_path);
	fd = FCGX_OpenSocket(sock_path, BACKLOG);
	if (fd < 0) {
		fprintf(stderr, "hello: cannot open socket %s\n", sock_path);
		return 1;
	}
	if (sock_is_unix && chmod(sock_path, 0660) != 0) {
		fprintf(stderr, "hello: chmod %s: %s\n", sock_path,
		        strerror(errno));
		return 1;
	}

	tids = calloc((size_t)nthreads, sizeof(*tids));
	if (tids == NULL) {
		fprintf(stderr, "hello: out of memory\n");
		return 1;
	}
	for (i = 0; i < nthreads; i++) {
		int rc =
		    pthread_create(&tids[i], NULL, serve, (void *)(long)fd);
		if (rc != 0) {
			fprintf(stderr, "hello: pthread_create: %s\n",
			        strerror(rc));
			return 1;
		}
	}
	fprintf(stderr, "hello: %s, %ld threads, pid %ld\n", sock_path,
	        nthreads, (long)getpid());
	for (i = 0; i < nthreads; i++)
		pthread_join(tids[i], NULL);
	free(tids);
	return 1;
}
