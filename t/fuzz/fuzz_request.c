/*
 * fuzz_request.c -- libFuzzer target for the request body parsers. The
 * first input byte picks the content type and how the body is cut into
 * reads; the rest is the body. Built by hand (see README.md), never by make.
 */
#include "config.h"
#include "http/http.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FUZZ_BOUNDARY "fuzzBOUNDARY"

static tp_config cfg;
static char updir[] = "/tmp/tp-fuzz-XXXXXX";

/* view.c (the real tp_fail) drags in the renderer and ctemplate; the
 * parsers only need the failure recorded. */
tp_rc tp_fail(tp_req *r, tp_rc rc, const char *field, const char *fmt, ...)
{
	va_list ap;
	char msg[256];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->fail_rc = rc;
	r->fail_field = field;
	r->fail_msg = tp_strdup(r, msg);
	return rc;
}

struct in {
	const uint8_t *p;
	size_t len, pos, chunk;
};

static ssize_t in_read(void *ud, char *buf, size_t len)
{
	struct in *in = ud;
	size_t n = in->len - in->pos;

	if (n > in->chunk)
		n = in->chunk;
	if (n > len)
		n = len;
	memcpy(buf, in->p + in->pos, n);
	in->pos += n;
	return (ssize_t)n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void remove_updir(void)
{
	rmdir(updir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (mkdtemp(updir) == NULL) {
		perror("mkdtemp");
		abort();
	}
	atexit(remove_updir);
	/* small limits so the fuzzer reaches them */
	cfg.max_body = 64 * 1024;
	cfg.max_upload = 256 * 1024;
	cfg.max_fields = 32;
	cfg.max_field_len = 2048;
	cfg.max_json_depth = 16;
	cfg.max_query = 1024;
	cfg.upload_dir = updir;
	tp_log_open(NULL, TP_LOG_ERR); /* limit hits are not news here */
	return 0;
}

/* Every temp file must be gone once the request is reset. */
static void check_dir_empty(void)
{
	DIR *d = opendir(updir);
	struct dirent *e;

	if (d == NULL)
		abort();
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") != 0 &&
		    strcmp(e->d_name, "..") != 0) {
			fprintf(stderr, "temp file left behind: %s\n",
			        e->d_name);
			abort();
		}
	}
	closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const types[] = {
	    "application/x-www-form-urlencoded",
	    "application/json; charset=utf-8",
	    "multipart/form-data; boundary=" FUZZ_BOUNDARY,
	    "multipart/form-data; boundary=\"" FUZZ_BOUNDARY "\"",
	};
	tp_req r;

	if (size < 1)
		return 0;
	unsigned sel = data[0];
	struct in in = {data + 1, size - 1, 0, sel >> 2};
	if (in.chunk == 0)
		in.chunk = SIZE_MAX;

	tp_req_init(&r, NULL, &cfg);
	r.method = TP_POST;
	r.content_type = types[sel & 3];
	/* the quoted-boundary variant also goes without a Content-Length */
	r.content_length = (sel & 3) == 3 ? -1 : (long long)in.len;
	r.body_read = in_read;
	r.body_ud = &in;

	if ((sel & 3) == 0) {
		/* the same bytes as query string and cookie header */
		char *s = tp_strndup(&r, (const char *)in.p, in.len);
		r.query_string = s;
		tp_kv_add(&r, &r.headers, "cookie", s);
		tp_req_parse_query(&r);
		tp_req_parse_cookies(&r);
		for (size_t i = 0; i < r.cookies.n; i++)
			if (strlen(r.cookies.v[i].value) > in.len)
				abort();
		/* the body gets the whole field budget and a clean slate */
		r.query.n = 0;
		r.fail_rc = TP_OK;
		r.fail_msg = NULL;
	}

	tp_rc rc = tp_req_parse_body(&r);
	if (rc == TP_OK) {
		for (size_t i = 0; i < r.form.n; i++)
			if (strlen(r.form.v[i].value) > cfg.max_field_len)
				abort();
		for (size_t i = 0; i < r.n_uploads; i++) {
			const tp_upload *u = tp_upload_get(&r, i);
			struct stat st;
			if (u == NULL || stat(u->path, &st) != 0 ||
			    (size_t)st.st_size != u->size || u->size > in.len)
				abort();
		}
		if (r.json != NULL)
			(void)json_object_to_json_string(r.json);
		if (r.n_uploads + r.form.n > cfg.max_fields)
			abort();
	} else if (r.fail_rc != rc || r.fail_msg == NULL) {
		abort(); /* every failure must say why */
	}

	tp_req_reset(&r);
	check_dir_empty();
	tp_arena_destroy(&r.arena);
	return 0;
}
