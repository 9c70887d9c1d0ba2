/*
 * db.c -- MariaDB through prepared statements only: parameters are always
 * bound, never formatted into SQL. One connection per worker thread,
 * statements cached per connection; a lost connection is reopened and a
 * safe statement (a read, or a write flagged idempotent) retried once.
 */
#include "config.h"
#include "data/data.h"

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <stdlib.h>
#include <string.h>

#define STMT_CACHE 256
/* Parameters bound in place (most statements); a multi-row statement
 * (tp_db_exec_rows) gets its arrays from the heap, up to the protocol's
 * limit of 65,535 placeholders per statement (TP_DB_MAX_PARAMS). */
#define INLINE_PARAMS 64

struct stmt_ent {
	char *sql;
	uint32_t hash;
	MYSQL_STMT *st;
};

struct tp_db {
	const tp_config *cfg;
	unsigned read_timeout; /* seconds; [db] read_timeout unless set */
	MYSQL *my;
	bool connected;
	bool in_txn;
	/* what tp_db_txn_mark was told in this transaction (data generations
	 * bumped once per transaction); forgotten at commit and rollback */
	char marks[8][48];
	unsigned nmarks;
	bool lost; /* the server could not be reached in this request */
	/* tp_arena_failures() when the request (or the last refused commit)
	 * ended: one more since, and the request is failing */
	unsigned long alloc_failures;
	bool committed; /* a COMMIT went through in this request */
	char err[512];
	struct stmt_ent cache[STMT_CACHE];
};

struct tp_rows {
	unsigned ncols;
	size_t nrows;
	char **cells;
};

tp_db *tp_db_new(const tp_config *cfg)
{
	tp_db *db = calloc(1, sizeof(*db));
	if (db != NULL) {
		db->cfg = cfg;
		db->read_timeout = cfg->db_read_timeout;
		db->alloc_failures = tp_arena_failures();
	}
	return db;
}

const tp_config *tp_db_config(tp_db *db)
{
	return db->cfg;
}

void tp_db_set_read_timeout(tp_db *db, unsigned secs)
{
	db->read_timeout = secs;
}

static void cache_clear(tp_db *db)
{
	for (size_t i = 0; i < STMT_CACHE; i++) {
		if (db->cache[i].st != NULL)
			mysql_stmt_close(db->cache[i].st);
		free(db->cache[i].sql);
		db->cache[i] = (struct stmt_ent){0};
	}
}

static void disconnect(tp_db *db)
{
	cache_clear(db);
	if (db->my != NULL)
		mysql_close(db->my);
	db->my = NULL;
	db->connected = false;
	db->in_txn = false;
	db->nmarks = 0;
}

void tp_db_free(tp_db *db)
{
	if (db == NULL)
		return;
	disconnect(db);
	free(db);
}

const char *tp_db_error(tp_db *db)
{
	return db->err;
}

tp_rc tp_db_connect(tp_db *db)
{
	const tp_config *c = db->cfg;
	unsigned ct = c->db_connect_timeout, rt = db->read_timeout,
	         wt = c->db_write_timeout;
	my_bool off = 0;

	disconnect(db);
	db->my = mysql_init(NULL);
	if (db->my == NULL) {
		snprintf(db->err, sizeof(db->err), "mysql_init failed");
		return TP_EDB;
	}
	mysql_options(db->my, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
	mysql_options(db->my, MYSQL_OPT_READ_TIMEOUT, &rt);
	mysql_options(db->my, MYSQL_OPT_WRITE_TIMEOUT, &wt);
	mysql_options(db->my, MYSQL_OPT_RECONNECT, &off); /* we reconnect */
	mysql_options(db->my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(db->my, MYSQL_INIT_COMMAND,
	              "SET time_zone = '+00:00', sql_mode = "
	              "'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,"
	              "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'");
	if (mysql_real_connect(db->my, c->db_socket ? NULL : c->db_host,
	                       c->db_user, c->db_password, c->db_name,
	                       c->db_port, c->db_socket, 0) == NULL) {
		snprintf(db->err, sizeof(db->err), "connect: %s",
		         mysql_error(db->my));
		mysql_close(db->my);
		db->my = NULL;
		return TP_EDB;
	}
	db->connected = true;
	return TP_OK;
}

static bool gone(unsigned e)
{
	return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST ||
	       e == ER_CONNECTION_KILLED || e == CR_CONNECTION_ERROR ||
	       e == CR_CONN_HOST_ERROR;
}

/* The server is not there (down, restarting, full): the answer is 503
 * with Retry-After, not 500 -- nothing is wrong with the request or the
 * code, and trying again shortly will work. */
static bool unreachable(unsigned e)
{
	return gone(e) || e == ER_SERVER_SHUTDOWN || e == ER_CON_COUNT_ERROR;
}

static uint32_t hash_sql(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Returns a prepared statement for sql, from the cache when possible. */
static MYSQL_STMT *prepare(tp_db *db, const char *sql, unsigned *errnum)
{
	uint32_t h = hash_sql(sql);
	struct stmt_ent *e = &db->cache[h % STMT_CACHE];

	*errnum = 0;
	if (e->st != NULL && e->hash == h && strcmp(e->sql, sql) == 0)
		return e->st;
	if (e->st != NULL) {
		mysql_stmt_close(e->st);
		free(e->sql);
		*e = (struct stmt_ent){0};
	}
	MYSQL_STMT *st = mysql_stmt_init(db->my);
	if (st == NULL) {
		*errnum = mysql_errno(db->my);
		snprintf(db->err, sizeof(db->err), "stmt_init: %s",
		         mysql_error(db->my));
		return NULL;
	}
	if (mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql)) != 0) {
		*errnum = mysql_stmt_errno(st);
		snprintf(db->err, sizeof(db->err), "prepare: %s",
		         mysql_stmt_error(st));
		mysql_stmt_close(st);
		return NULL;
	}
	e->sql = strdup(sql);
	e->hash = h;
	e->st = st;
	return st;
}

/* The values bound for one execution: inline for up to INLINE_PARAMS,
 * else allocated (params_free releases them). */
struct params {
	MYSQL_BIND *b;
	int *ints;
	long long *i64;
	unsigned long *lens;
	size_t n;
	MYSQL_BIND b_[INLINE_PARAMS];
	int ints_[INLINE_PARAMS];
	long long i64_[INLINE_PARAMS];
	unsigned long lens_[INLINE_PARAMS];
};

static void params_free(struct params *p)
{
	if (p->b != p->b_) {
		free(p->b);
		free(p->ints);
		free(p->i64);
		free(p->lens);
	}
	p->b = p->b_;
	p->ints = p->ints_;
	p->i64 = p->i64_;
	p->lens = p->lens_;
}

static int params_init(tp_db *db, struct params *p, size_t n)
{
	memset(p, 0, sizeof(*p));
	if (n > TP_DB_MAX_PARAMS) {
		snprintf(db->err, sizeof(db->err),
		         "too many params: %zu, at most %d", n,
		         TP_DB_MAX_PARAMS);
		return -1;
	}
	if (n <= INLINE_PARAMS) {
		p->b = p->b_;
		p->ints = p->ints_;
		p->i64 = p->i64_;
		p->lens = p->lens_;
		return 0;
	}
	p->b = calloc(n, sizeof(*p->b));
	p->ints = calloc(n, sizeof(*p->ints));
	p->i64 = calloc(n, sizeof(*p->i64));
	p->lens = calloc(n, sizeof(*p->lens));
	if (p->b == NULL || p->ints == NULL || p->i64 == NULL ||
	    p->lens == NULL) {
		snprintf(db->err, sizeof(db->err),
		         "out of memory for %zu params", n);
		params_free(p);
		return -1;
	}
	return 0;
}

static int bind_params(tp_db *db, struct params *p, const char *fmt, va_list ap)
{
	if (params_init(db, p, strlen(fmt)) < 0)
		return -1;
	for (const char *f = fmt; *f != '\0'; f++) {
		MYSQL_BIND *b = &p->b[p->n];
		const char *s;
		switch (*f) {
		case 'i':
			p->ints[p->n] = va_arg(ap, int);
			b->buffer_type = MYSQL_TYPE_LONG;
			b->buffer = &p->ints[p->n];
			break;
		case 'I':
			p->i64[p->n] = (long long)va_arg(ap, int64_t);
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &p->i64[p->n];
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (s == NULL) {
				b->buffer_type = MYSQL_TYPE_NULL;
			} else {
				b->buffer_type = MYSQL_TYPE_STRING;
				b->buffer = (void *)s;
				p->lens[p->n] = (unsigned long)strlen(s);
				b->buffer_length = p->lens[p->n];
				b->length = &p->lens[p->n];
			}
			break;
		case 'b':
			b->buffer = (void *)va_arg(ap, const void *);
			p->lens[p->n] = (unsigned long)va_arg(ap, size_t);
			b->buffer_type = MYSQL_TYPE_BLOB;
			b->buffer_length = p->lens[p->n];
			b->length = &p->lens[p->n];
			break;
		default:
			snprintf(db->err, sizeof(db->err),
			         "bad param format char '%c'", *f);
			params_free(p);
			return -1;
		}
		p->n++;
	}
	return 0;
}

enum mode { M_QUERY, M_EXEC, M_EACH };

struct call {
	enum mode mode;
	tp_arena *arena;
	tp_rows **out;
	uint64_t *affected;
	tp_row_cb cb;
	void *ud;
	uint64_t delivered; /* rows handed to cb */
};

static tp_rc fail_rc(tp_db *db, unsigned e)
{
	if (e == ER_DUP_ENTRY || e == ER_DUP_KEY || e == ER_LOCK_DEADLOCK)
		return TP_ECONFLICT;
	if (unreachable(e)) {
		db->lost = true;
		return TP_EUNAVAIL;
	}
	return TP_EDB;
}

static tp_rc fetch_all(tp_db *db, MYSQL_STMT *st, struct call *c,
                       unsigned *errnum)
{
	MYSQL_RES *meta = mysql_stmt_result_metadata(st);
	unsigned ncols = meta ? mysql_num_fields(meta) : 0;
	my_bool one = 1;
	tp_rc rc = TP_OK;

	if (meta == NULL) {
		snprintf(db->err, sizeof(db->err), "query returned no result");
		return TP_EINTERNAL;
	}
	mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &one);
	if (mysql_stmt_store_result(st) != 0) {
		*errnum = mysql_stmt_errno(st);
		snprintf(db->err, sizeof(db->err), "store: %s",
		         mysql_stmt_error(st));
		mysql_free_result(meta);
		return TP_EDB;
	}
	MYSQL_FIELD *fields = mysql_fetch_fields(meta);
	size_t nrows = (size_t)mysql_stmt_num_rows(st);
	tp_rows *rs = tp_arena_alloc(c->arena, sizeof(*rs));
	rs->ncols = ncols;
	rs->nrows = nrows;
	rs->cells =
	    tp_arena_alloc(c->arena, sizeof(char *) * (nrows * ncols + 1));
	MYSQL_BIND *rb = tp_arena_alloc(c->arena, sizeof(MYSQL_BIND) * ncols);
	unsigned long *lens = tp_arena_alloc(c->arena, sizeof(long) * ncols);
	my_bool *nulls = tp_arena_alloc(c->arena, sizeof(my_bool) * ncols);
	memset(rb, 0, sizeof(MYSQL_BIND) * ncols);
	for (unsigned i = 0; i < ncols; i++) {
		rb[i].buffer_type = MYSQL_TYPE_STRING;
		rb[i].buffer_length = fields[i].max_length + 1;
		rb[i].length = &lens[i];
		rb[i].is_null = &nulls[i];
	}
	for (size_t row = 0; row < nrows; row++) {
		for (unsigned i = 0; i < ncols; i++)
			rb[i].buffer =
			    tp_arena_alloc(c->arena, rb[i].buffer_length);
		if (mysql_stmt_bind_result(st, rb) != 0) {
			rc = TP_EDB;
			break;
		}
		int f = mysql_stmt_fetch(st);
		if (f == 1 || f == MYSQL_NO_DATA) {
			*errnum = mysql_stmt_errno(st);
			snprintf(db->err, sizeof(db->err), "fetch: %s",
			         mysql_stmt_error(st));
			rc = TP_EDB;
			break;
		}
		for (unsigned i = 0; i < ncols; i++) {
			char *cell = rb[i].buffer;
			if (nulls[i]) {
				cell = NULL;
			} else {
				unsigned long l = lens[i] < rb[i].buffer_length
				                      ? lens[i]
				                      : rb[i].buffer_length - 1;
				cell[l] = '\0';
			}
			rs->cells[row * ncols + i] = cell;
		}
	}
	mysql_stmt_free_result(st);
	mysql_free_result(meta);
	if (rc == TP_OK)
		*c->out = rs;
	return rc;
}

/* Unbuffered: one row in memory at a time, whatever the row count. */
static tp_rc fetch_each(tp_db *db, MYSQL_STMT *st, struct call *c,
                        unsigned *errnum)
{
	MYSQL_RES *meta = mysql_stmt_result_metadata(st);
	if (meta == NULL) {
		snprintf(db->err, sizeof(db->err), "query returned no result");
		return TP_EINTERNAL;
	}
	unsigned ncols = mysql_num_fields(meta);
	MYSQL_BIND *rb = calloc(ncols, sizeof(MYSQL_BIND));
	unsigned long *lens = calloc(ncols, sizeof(long));
	unsigned long *caps = calloc(ncols, sizeof(long));
	my_bool *nulls = calloc(ncols, sizeof(my_bool));
	const char **cols = calloc(ncols, sizeof(char *));
	tp_rc rc = TP_OK;

	for (unsigned i = 0; i < ncols; i++) {
		caps[i] = 256;
		rb[i].buffer_type = MYSQL_TYPE_STRING;
		rb[i].buffer = malloc(caps[i]);
		rb[i].buffer_length = caps[i] - 1;
		rb[i].length = &lens[i];
		rb[i].is_null = &nulls[i];
	}
	if (mysql_stmt_bind_result(st, rb) != 0)
		rc = TP_EDB;
	while (rc == TP_OK) {
		int f = mysql_stmt_fetch(st);
		if (f == MYSQL_NO_DATA)
			break;
		if (f == 1) {
			/* a lost connection leaves its message on the
			 * connection, not on the statement */
			*errnum = mysql_stmt_errno(st) ? mysql_stmt_errno(st)
			                               : mysql_errno(db->my);
			snprintf(db->err, sizeof(db->err), "fetch: %s",
			         *mysql_stmt_error(st) ? mysql_stmt_error(st)
			                               : mysql_error(db->my));
			rc = TP_EDB;
			break;
		}
		bool grown = false;
		for (unsigned i = 0; i < ncols; i++) {
			if (nulls[i]) {
				cols[i] = NULL;
				continue;
			}
			if (lens[i] > rb[i].buffer_length) {
				/* truncated: grow and fetch this column again
				 */
				caps[i] = lens[i] + 1;
				free(rb[i].buffer);
				rb[i].buffer = malloc(caps[i]);
				rb[i].buffer_length = caps[i] - 1;
				mysql_stmt_fetch_column(st, &rb[i], i, 0);
				grown = true;
			}
			((char *)rb[i].buffer)[lens[i]] = '\0';
			cols[i] = rb[i].buffer;
		}
		c->delivered++;
		tp_rc cr = c->cb(c->ud, ncols, cols, lens);
		if (cr != TP_OK)
			rc = cr;
		else if (grown && mysql_stmt_bind_result(st, rb) != 0)
			rc = TP_EDB; /* re-bind after a grown buffer only: a
			              * bind per row costs a pass over the
			              * columns */
	}
	mysql_stmt_free_result(st);
	for (unsigned i = 0; i < ncols; i++)
		free(rb[i].buffer);
	free(rb);
	free(lens);
	free(caps);
	free(nulls);
	free(cols);
	mysql_free_result(meta);
	return rc;
}

static tp_rc run_once(tp_db *db, struct call *c, const char *sql,
                      struct params *p, unsigned *errnum)
{
	*errnum = 0;
	if (!db->connected && tp_db_connect(db) != TP_OK) {
		*errnum = CR_CONNECTION_ERROR;
		return fail_rc(db, *errnum);
	}
	MYSQL_STMT *st = prepare(db, sql, errnum);
	if (st == NULL)
		return fail_rc(db, *errnum);
	if (mysql_stmt_param_count(st) != p->n) {
		snprintf(db->err, sizeof(db->err),
		         "statement wants %lu params, format gives %zu",
		         mysql_stmt_param_count(st), p->n);
		return TP_EINTERNAL;
	}
	if (p->n > 0 && mysql_stmt_bind_param(st, p->b) != 0) {
		snprintf(db->err, sizeof(db->err), "bind: %s",
		         mysql_stmt_error(st));
		return TP_EINTERNAL;
	}
	if (mysql_stmt_execute(st) != 0) {
		*errnum = mysql_stmt_errno(st);
		snprintf(db->err, sizeof(db->err), "execute: %s",
		         mysql_stmt_error(st));
		return fail_rc(db, *errnum);
	}
	switch (c->mode) {
	case M_EXEC:
		if (c->affected != NULL)
			*c->affected = (uint64_t)mysql_stmt_affected_rows(st);
		return TP_OK;
	case M_QUERY: return fetch_all(db, st, c, errnum);
	case M_EACH: return fetch_each(db, st, c, errnum);
	}
	return TP_EINTERNAL;
}

static tp_rc run_p(tp_db *db, struct call *c, bool safe, const char *sql,
                   struct params *p)
{
	unsigned e;
	tp_rc rc = run_once(db, c, sql, p, &e);
	/* never after rows went to the callback: they are out (a streamed
	 * download), and a second run would send them again */
	if (rc != TP_OK && gone(e) && safe && !db->in_txn &&
	    c->delivered == 0) {
		tp_log(TP_LOG_WARN, "TP0101",
		       "database connection lost (%s); reconnecting and "
		       "retrying once",
		       db->err);
		disconnect(db);
		rc = run_once(db, c, sql, p, &e);
	}
	if (rc != TP_OK && rc != TP_ECONFLICT) {
		tp_log(TP_LOG_ERR, "TP0102", "database error: %s", db->err);
		if (gone(e))
			disconnect(db);
	}
	return rc;
}

static tp_rc run(tp_db *db, struct call *c, bool safe, const char *sql,
                 const char *fmt, va_list ap)
{
	struct params p;
	if (bind_params(db, &p, fmt, ap) < 0) {
		tp_log(TP_LOG_ERR, "TP0107", "statement parameters: %s",
		       db->err);
		return TP_EINTERNAL;
	}
	tp_rc rc = run_p(db, c, safe, sql, &p);
	params_free(&p);
	return rc;
}

/* The parameters of a statement built at run time (the grid, multi-row
 * writes). */
static tp_rc run_args(tp_db *db, struct call *c, bool safe, const char *sql,
                      const tp_db_arg *args, size_t n)
{
	struct params p;
	if (params_init(db, &p, n) < 0) {
		tp_log(TP_LOG_ERR, "TP0107", "statement parameters: %s",
		       db->err);
		return TP_EINTERNAL;
	}
	for (size_t i = 0; i < n; i++) {
		MYSQL_BIND *b = &p.b[i];
		if (args[i].s != NULL) {
			b->buffer_type = MYSQL_TYPE_STRING;
			b->buffer = (void *)args[i].s;
			p.lens[i] = (unsigned long)strlen(args[i].s);
			b->buffer_length = p.lens[i];
			b->length = &p.lens[i];
		} else {
			p.i64[i] = (long long)args[i].i;
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &p.i64[i];
		}
	}
	p.n = n;
	tp_rc rc = run_p(db, c, safe, sql, &p);
	params_free(&p);
	return rc;
}

tp_rc tp_db_query_args(tp_db *db, tp_req *r, tp_rows **out, const char *sql,
                       const tp_db_arg *args, size_t n)
{
	struct call c = {.mode = M_QUERY, .arena = &r->arena, .out = out};
	return run_args(db, &c, true, sql, args, n);
}

tp_rc tp_db_each_args(tp_db *db, tp_row_cb cb, void *ud, const char *sql,
                      const tp_db_arg *args, size_t n)
{
	struct call c = {.mode = M_EACH, .cb = cb, .ud = ud};
	return run_args(db, &c, true, sql, args, n);
}

/* "head tuple sep tuple ... tail" for rows [from, from + n) */
static char *rows_sql(const char *head, const char *tuple, const char *sep,
                      const char *tail, size_t n)
{
	size_t lh = strlen(head), lt = strlen(tuple), ls = strlen(sep),
	       ll = strlen(tail);
	char *sql = malloc(lh + n * (lt + ls) + ll + 1);
	if (sql == NULL)
		return NULL;
	char *w = sql;
	memcpy(w, head, lh);
	w += lh;
	for (size_t i = 0; i < n; i++) {
		if (i > 0) {
			memcpy(w, sep, ls);
			w += ls;
		}
		memcpy(w, tuple, lt);
		w += lt;
	}
	memcpy(w, tail, ll + 1);
	return sql;
}

static size_t count_marks(const char *s)
{
	size_t n = 0;
	for (; *s != '\0'; s++)
		n += *s == '?';
	return n;
}

const char *tp_db_marks(tp_req *r, size_t n)
{
	char *s = tp_alloc(r, n * 3 + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * 3, i ? ", ?" : "?  ", 3);
	s[n * 3] = '\0';
	return s;
}

tp_rc tp_db_exec_rows(tp_db *db, uint64_t *affected, const char *head,
                      const char *tuple, const char *sep, const char *tail,
                      const tp_db_arg *args, size_t per_row, size_t nrows)
{
	/* the statement's text is ours: a '?' anywhere but in the tuple
	 * would bind the wrong values */
	if (per_row == 0 || count_marks(tuple) != per_row ||
	    count_marks(head) != 0 || count_marks(tail) != 0 ||
	    count_marks(sep) != 0) {
		tp_log(TP_LOG_ERR, "TP0107",
		       "tp_db_exec_rows: the tuple must hold the %zu "
		       "parameters of a row, head, sep and tail none",
		       per_row);
		return TP_EINTERNAL;
	}
	/* Statements of a few fixed row counts (512, 128, 32, 8, 2, 1; fewer
	 * when the parameters of 512 rows would be too many), so that their
	 * texts repeat and stay prepared in the connection's cache: preparing
	 * a statement of hundreds of rows costs about as much as running it,
	 * and one prepared per row count would be prepared again each time */
	size_t top = 512;
	while (top > 1 && top * per_row > TP_DB_MAX_PARAMS)
		top /= 2;
	if (affected != NULL)
		*affected = 0;
	for (size_t from = 0; from < nrows;) {
		size_t n = top;
		while (n > nrows - from)
			n = n >= 4 ? n / 4 : 1;
		char *sql = rows_sql(head, tuple, sep, tail, n);
		if (sql == NULL)
			return TP_EINTERNAL;
		uint64_t aff = 0;
		struct call c = {.mode = M_EXEC, .affected = &aff};
		tp_rc rc = run_args(db, &c, false, sql, args + from * per_row,
		                    n * per_row);
		free(sql);
		if (rc != TP_OK)
			return rc;
		if (affected != NULL)
			*affected += aff;
		from += n;
	}
	return TP_OK;
}

tp_rc tp_db_query(tp_db *db, tp_req *r, tp_rows **out, const char *sql,
                  const char *fmt, ...)
{
	struct call c = {.mode = M_QUERY, .arena = &r->arena, .out = out};
	va_list ap;
	va_start(ap, fmt);
	tp_rc rc = run(db, &c, true, sql, fmt, ap);
	va_end(ap);
	return rc;
}

tp_rc tp_db_query_a(tp_db *db, tp_arena *a, tp_rows **out, const char *sql,
                    const char *fmt, ...)
{
	struct call c = {.mode = M_QUERY, .arena = a, .out = out};
	va_list ap;
	va_start(ap, fmt);
	tp_rc rc = run(db, &c, true, sql, fmt, ap);
	va_end(ap);
	return rc;
}

tp_rc tp_db_exec(tp_db *db, uint64_t *affected, const char *sql,
                 const char *fmt, ...)
{
	struct call c = {.mode = M_EXEC, .affected = affected};
	va_list ap;
	va_start(ap, fmt);
	tp_rc rc = run(db, &c, false, sql, fmt, ap);
	va_end(ap);
	return rc;
}

tp_rc tp_db_exec_idem(tp_db *db, uint64_t *affected, const char *sql,
                      const char *fmt, ...)
{
	struct call c = {.mode = M_EXEC, .affected = affected};
	va_list ap;
	va_start(ap, fmt);
	tp_rc rc = run(db, &c, true, sql, fmt, ap);
	va_end(ap);
	return rc;
}

tp_rc tp_db_each(tp_db *db, tp_row_cb cb, void *ud, const char *sql,
                 const char *fmt, ...)
{
	struct call c = {.mode = M_EACH, .cb = cb, .ud = ud};
	va_list ap;
	va_start(ap, fmt);
	/* retried only before its first row (run_p): later ones may already
	 * have gone to the client */
	tp_rc rc = run(db, &c, true, sql, fmt, ap);
	va_end(ap);
	return rc;
}

uint64_t tp_db_last_id(tp_db *db)
{
	return db->my ? (uint64_t)mysql_insert_id(db->my) : 0;
}

static tp_rc simple(tp_db *db, const char *q)
{
	if (!db->connected && tp_db_connect(db) != TP_OK)
		return fail_rc(db, CR_CONNECTION_ERROR);
	if (mysql_real_query(db->my, q, (unsigned long)strlen(q)) != 0) {
		unsigned e = mysql_errno(db->my);
		snprintf(db->err, sizeof(db->err), "%s: %s", q,
		         mysql_error(db->my));
		tp_log(TP_LOG_ERR, "TP0103", "database error: %s", db->err);
		if (gone(e))
			disconnect(db);
		return unreachable(e) ? fail_rc(db, e) : TP_EDB;
	}
	return TP_OK;
}

tp_rc tp_db_begin(tp_db *db)
{
	if (db->in_txn) {
		snprintf(db->err, sizeof(db->err), "nested transaction");
		tp_log(TP_LOG_ERR, "TP0104",
		       "tp_db_begin inside a transaction");
		return TP_EINTERNAL;
	}
	tp_rc rc = simple(db, "START TRANSACTION");
	if (rc != TP_OK && !db->connected) {
		/* the server dropped us between requests: nothing has happened
		 * yet, so beginning again on a fresh connection is safe */
		tp_log(TP_LOG_WARN, "TP0106",
		       "database connection lost before a transaction; "
		       "reconnecting");
		rc = simple(db, "START TRANSACTION");
	}
	if (rc == TP_OK) {
		db->in_txn = true;
		db->nmarks = 0;
	}
	return rc;
}

tp_rc tp_db_commit(tp_db *db)
{
	/* memory ran out in this request (lib/arena.c), before or during
	 * the transaction: the request is answered 503, so what it wrote
	 * must not stay */
	if (db->in_txn && tp_arena_failures() != db->alloc_failures) {
		tp_log(TP_LOG_ERR, "TP0110",
		       "an allocation failed in this request; rolled back");
		tp_db_rollback(db);
		db->alloc_failures = tp_arena_failures();
		return TP_EUNAVAIL;
	}
	tp_rc rc = simple(db, "COMMIT");
	db->committed |= rc == TP_OK;
	db->in_txn = false;
	db->nmarks = 0;
	return rc;
}

tp_rc tp_db_rollback(tp_db *db)
{
	if (!db->connected)
		return TP_OK; /* the server rolled back when we lost it */
	tp_rc rc = simple(db, "ROLLBACK");
	db->in_txn = false;
	db->nmarks = 0;
	return rc;
}

bool tp_db_txn_mark(tp_db *db, const char *key)
{
	if (!db->in_txn)
		return true; /* autocommit: each statement is its own */
	for (unsigned i = 0; i < db->nmarks; i++)
		if (strcmp(db->marks[i], key) == 0)
			return false;
	/* more distinct keys than places: the extra ones are simply done
	 * again, which is what they were before (one more bump) */
	if (db->nmarks < sizeof(db->marks) / sizeof(db->marks[0]) &&
	    strlen(key) < sizeof(db->marks[0]))
		snprintf(db->marks[db->nmarks++], sizeof(db->marks[0]), "%s",
		         key);
	return true;
}

void tp_db_txn_unmark(tp_db *db, const char *key)
{
	for (unsigned i = 0; i < db->nmarks; i++)
		if (strcmp(db->marks[i], key) == 0) {
			db->nmarks--;
			memmove(db->marks[i], db->marks[i + 1],
			        (db->nmarks - i) * sizeof(db->marks[0]));
			return;
		}
}

bool tp_db_in_txn(tp_db *db)
{
	return db->in_txn;
}

void tp_db_end_request(tp_db *db)
{
	if (db != NULL && db->in_txn) {
		tp_log(TP_LOG_WARN, "TP0105",
		       "transaction left open by the handler: rolled back");
		tp_db_rollback(db);
	}
	if (db != NULL) {
		db->lost = false;
		db->committed = false;
		db->alloc_failures = tp_arena_failures();
	}
}

bool tp_db_committed(tp_db *db)
{
	return db != NULL && db->committed;
}

bool tp_db_lost(tp_db *db)
{
	return db != NULL && db->lost;
}

tp_rc tp_db_ping(tp_db *db)
{
	tp_arena a;
	tp_rows *rs;
	tp_arena_init(&a);
	tp_rc rc = tp_db_query_a(db, &a, &rs, "SELECT 1", "");
	tp_arena_destroy(&a);
	return rc;
}

tp_rc tp_db_script(tp_db *db, const char *sql, char *err, size_t errlen)
{
	if (!db->connected && tp_db_connect(db) != TP_OK) {
		snprintf(err, errlen, "%s", db->err);
		return TP_EDB;
	}
	mysql_set_server_option(db->my, MYSQL_OPTION_MULTI_STATEMENTS_ON);
	tp_rc rc = TP_OK;
	int status = mysql_real_query(db->my, sql, (unsigned long)strlen(sql));
	for (;;) {
		if (status != 0) {
			snprintf(err, errlen, "%s", mysql_error(db->my));
			rc = TP_EDB;
			break;
		}
		MYSQL_RES *res = mysql_store_result(db->my);
		if (res != NULL)
			mysql_free_result(res);
		status = mysql_next_result(db->my);
		if (status == -1) {
			status = 0;
			break;
		}
		if (status > 0)
			continue; /* reports the error above */
	}
	if (rc != TP_OK) {
		/* drain what is left so the connection stays usable */
		while (mysql_next_result(db->my) == 0) {
			MYSQL_RES *res = mysql_store_result(db->my);
			if (res != NULL)
				mysql_free_result(res);
		}
	}
	mysql_set_server_option(db->my, MYSQL_OPTION_MULTI_STATEMENTS_OFF);
	return rc;
}

/* ---- rows ---- */

size_t tp_rows_count(const tp_rows *rs)
{
	return rs ? rs->nrows : 0;
}

unsigned tp_rows_cols(const tp_rows *rs)
{
	return rs ? rs->ncols : 0;
}

const char *tp_rows_get(const tp_rows *rs, size_t row, unsigned col)
{
	if (rs == NULL || row >= rs->nrows || col >= rs->ncols)
		return NULL;
	return rs->cells[row * rs->ncols + col];
}

int64_t tp_rows_i64(const tp_rows *rs, size_t row, unsigned col)
{
	const char *s = tp_rows_get(rs, row, col);
	int64_t v;
	return (s != NULL && tp_parse_i64(s, &v) == TP_OK) ? v : 0;
}

tp_db *tp_req_db(tp_req *r)
{
	return r->thread ? r->thread->db : NULL;
}
