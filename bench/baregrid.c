/*
 * bench/baregrid.c -- the "baregrid" baseline of bench/http: a bare libfcgi
 * responder (threaded as bench/hello) that runs the accounts grid's own SQL
 * for the gridmiss request as a prepared statement and prints the rows.
 *
 * Usage: bench/baregrid SOCKET THREADS DB_SOCKET DB_USER TENANT_ID
 *
 * Each thread has its own MariaDB connection (DB_SOCKET, database tierport)
 * and its own prepared statement: the SELECT that core/data/grid.c
 * (tp_grid_sql) builds for GET /accounts?f.status=active&sort=name&limit=50
 * &after=ID:NAME as an operator sees it by default (a page after a cursor
 * over the whole brand: the sort index forced, 51 rows asked for). A
 * request's QUERY_STRING gives the cursor ("after=ID:NAME", as
 * bench/grid-pages.lua sends it; none: the first name); the answer is an
 * HTML table of the 50 rows, every text cell HTML-escaped, money formatted
 * with its currency -- what a hand-written C page would do, with no
 * layout, no session and no cache: the floor for "gridmiss".
 *
 * SIGTERM/SIGINT remove the socket and exit at once (as bench/hello).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <mysql.h>

#define MAX_THREADS 4096
#define BACKLOG     1024
#define NCOLS       10
#define CELL        256

/* tp_grid_sql's text for the gridmiss request (bench/README.md) */
static const char grid_sql[] =
    "SELECT a.id, a.name, a.number, a.name, a.kind, a.status, p.name, "
    "a.balance, DATE(a.created_at), a.currency FROM accounts a FORCE INDEX "
    "(accounts_name) JOIN partners p ON p.id = a.partner_id WHERE "
    "a.tenant_id = ? AND a.status IN (?) AND (a.name > ? OR (a.name = ? "
    "AND a.id > ?)) ORDER BY a.name ASC, a.id ASC LIMIT 51";

static const char *sock_path, *db_sock, *db_user;
static int sock_is_unix;
static long long tenant;

static void on_term(int sig)
{
	(void)sig;
	if (sock_is_unix)
		unlink(sock_path);
	_exit(0);
}

/* %XX and + of the query string's value, in place */
static void url_decode(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (*s == '%' && s[1] && s[2]) {
			char h[3] = {s[1], s[2], 0};
			*o++ = (char)strtol(h, NULL, 16);
			s += 2;
		} else {
			*o++ = *s == '+' ? ' ' : *s;
		}
	}
	*o = '\0';
}

static void put_html(FCGX_Stream *out, const char *s, unsigned long n)
{
	const char *run = s;
	for (unsigned long i = 0; i < n; i++) {
		const char *e;
		switch (s[i]) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		default: continue;
		}
		FCGX_PutStr(run, (int)(s + i - run), out);
		FCGX_PutS(e, out);
		run = s + i + 1;
	}
	FCGX_PutStr(run, (int)(s + n - run), out);
}

struct conn {
	MYSQL *db;
	MYSQL_STMT *st;
	MYSQL_BIND in[5], outb[NCOLS];
	long long p_tenant, p_id;
	char p_status[8], p_name[CELL];
	unsigned long l_status, l_name;
	char cell[NCOLS][CELL];
	unsigned long len[NCOLS];
	my_bool null[NCOLS];
};

static int conn_open(struct conn *c)
{
	memset(c, 0, sizeof(*c));
	c->db = mysql_init(NULL);
	if (!mysql_real_connect(c->db, NULL, db_user, NULL, "tierport", 0,
	                        db_sock, 0)) {
		fprintf(stderr, "baregrid: connect: %s\n", mysql_error(c->db));
		return -1;
	}
	mysql_set_character_set(c->db, "utf8mb4");
	c->st = mysql_stmt_init(c->db);
	if (mysql_stmt_prepare(c->st, grid_sql, sizeof(grid_sql) - 1) != 0) {
		fprintf(stderr, "baregrid: prepare: %s\n",
		        mysql_stmt_error(c->st));
		return -1;
	}
	strcpy(c->p_status, "active");
	c->l_status = 6;
	c->in[0].buffer_type = MYSQL_TYPE_LONGLONG;
	c->in[0].buffer = &c->p_tenant;
	c->in[1].buffer_type = MYSQL_TYPE_STRING;
	c->in[1].buffer = c->p_status;
	c->in[1].length = &c->l_status;
	c->in[2].buffer_type = MYSQL_TYPE_STRING;
	c->in[2].buffer = c->p_name;
	c->in[2].length = &c->l_name;
	c->in[3] = c->in[2];
	c->in[4].buffer_type = MYSQL_TYPE_LONGLONG;
	c->in[4].buffer = &c->p_id;
	for (int k = 0; k < NCOLS; k++) {
		/* every column as text, as the grid reads them */
		c->outb[k].buffer_type = MYSQL_TYPE_STRING;
		c->outb[k].buffer = c->cell[k];
		c->outb[k].buffer_length = CELL;
		c->outb[k].length = &c->len[k];
		c->outb[k].is_null = &c->null[k];
	}
	return 0;
}

static void money(FCGX_Stream *out, const char *v, const char *ccy)
{
	/* stored in ten-thousandths; shown with two places */
	long long n = strtoll(v, NULL, 10);
	unsigned long long a =
	    n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	FCGX_FPrintF(out, "%s%llu.%02llu %s", n < 0 ? "-" : "", a / 10000,
	             a % 10000 / 100, ccy);
}

static void page(struct conn *c, FCGX_Request *req)
{
	const char *q = FCGX_GetParam("QUERY_STRING", req->envp);
	const char *after = q ? strstr(q, "after=") : NULL;
	c->p_tenant = tenant;
	c->p_id = 0;
	c->p_name[0] = '\0';
	if (after != NULL) {
		char cur[CELL];
		snprintf(cur, sizeof(cur), "%s", after + 6);
		cur[strcspn(cur, "&")] = '\0';
		url_decode(cur);
		char *colon = strchr(cur, ':');
		if (colon != NULL) {
			*colon = '\0';
			c->p_id = strtoll(cur, NULL, 10);
			snprintf(c->p_name, sizeof(c->p_name), "%s", colon + 1);
		}
	}
	c->l_name = strlen(c->p_name);
	if (mysql_stmt_bind_param(c->st, c->in) != 0 ||
	    mysql_stmt_execute(c->st) != 0 ||
	    mysql_stmt_bind_result(c->st, c->outb) != 0) {
		FCGX_FPrintF(req->out,
		             "Status: 500 Internal Server Error\r\n"
		             "Content-Type: text/plain\r\n\r\n%s\n",
		             mysql_stmt_error(c->st));
		return;
	}
	FCGX_PutS("Status: 200 OK\r\nContent-Type: text/html; charset=utf-8"
	          "\r\n\r\n<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	          "charset=\"utf-8\"><title>Accounts</title></head>\n<body>"
	          "<table>\n<thead><tr><th>Account</th><th>Name</th><th>Kind"
	          "</th><th>Status</th><th>Partner</th><th>Balance</th><th>"
	          "Created</th></tr></thead>\n<tbody>\n",
	          req->out);
	int n = 0, rc;
	while ((rc = mysql_stmt_fetch(c->st)) == 0 ||
	       rc == MYSQL_DATA_TRUNCATED) {
		if (++n > 50)
			continue; /* the 51st row only says "there is more" */
		for (int k = 0; k < NCOLS; k++)
			c->cell[k][c->null[k]         ? 0
			           : c->len[k] < CELL ? c->len[k]
			                              : CELL - 1] = '\0';
		FCGX_FPrintF(req->out, "<tr data-id=\"%s\">", c->cell[0]);
		FCGX_FPrintF(req->out, "<td><a href=\"/accounts/%s\">",
		             c->cell[0]);
		put_html(req->out, c->cell[2], strlen(c->cell[2]));
		FCGX_PutS("</a></td>", req->out);
		for (int k = 3; k < 9; k++) {
			FCGX_PutS(k == 7 ? "<td class=\"num\">" : "<td>",
			          req->out);
			if (k == 7 && !c->null[7])
				money(req->out, c->cell[7], c->cell[9]);
			else
				put_html(req->out, c->cell[k],
				         strlen(c->cell[k]));
			FCGX_PutS("</td>", req->out);
		}
		FCGX_PutS("</tr>\n", req->out);
	}
	mysql_stmt_free_result(c->st);
	FCGX_PutS("</tbody></table>\n</body></html>\n", req->out);
}

static void *serve(void *arg)
{
	int fd = (int)(long)arg;
	FCGX_Request req;
	struct conn *c = malloc(sizeof(*c));

	mysql_thread_init();
	if (c == NULL || conn_open(c) != 0 ||
	    FCGX_InitRequest(&req, fd, 0) != 0) {
		fprintf(stderr, "baregrid: a thread could not start\n");
		return NULL;
	}
	while (FCGX_Accept_r(&req) >= 0) {
		page(c, &req);
		FCGX_Finish_r(&req);
	}
	fprintf(stderr, "baregrid: FCGX_Accept_r failed, thread exits\n");
	return NULL;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	long nthreads;
	char *end;
	int fd;

	if (argc != 6) {
		fprintf(
		    stderr,
		    "usage: %s SOCKET THREADS DB_SOCKET DB_USER TENANT_ID\n",
		    argv[0]);
		return 2;
	}
	sock_path = argv[1];
	sock_is_unix = strchr(sock_path, ':') == NULL;
	errno = 0;
	nthreads = strtol(argv[2], &end, 10);
	if (errno || *end || nthreads < 1 || nthreads > MAX_THREADS) {
		fprintf(stderr, "baregrid: bad thread count '%s'\n", argv[2]);
		return 2;
	}
	db_sock = argv[3];
	db_user = argv[4];
	tenant = strtoll(argv[5], NULL, 10);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (mysql_library_init(0, NULL, NULL) != 0 || FCGX_Init() != 0) {
		fprintf(stderr, "baregrid: init failed\n");
		return 1;
	}
	if (sock_is_unix)
		unlink(sock_path);
	fd = FCGX_OpenSocket(sock_path, BACKLOG);
	if (fd < 0 || (sock_is_unix && chmod(sock_path, 0660) != 0)) {
		fprintf(stderr, "baregrid: cannot open socket %s\n", sock_path);
		return 1;
	}
	pthread_t *tids = calloc((size_t)nthreads, sizeof(*tids));
	if (tids == NULL)
		return 1;
	for (long i = 0; i < nthreads; i++)
		if (pthread_create(&tids[i], NULL, serve, (void *)(long)fd)) {
			fprintf(stderr, "baregrid: pthread_create failed\n");
			return 1;
		}
	fprintf(stderr, "baregrid: %s, %ld threads, pid %ld\n", sock_path,
	        nthreads, (long)getpid());
	for (long i = 0; i < nthreads; i++)
		pthread_join(tids[i], NULL);
	return 1;
}
