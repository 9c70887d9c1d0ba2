/*
 * multipart.c -- streaming multipart/form-data (RFC 7578) parser. Fields
 * go to r->form, files stream to temp files in upload_dir that vanish
 * with the request. It must never hold a whole file in memory, nor read
 * past its window, nor leave a temp file behind.
 */
#include "config.h"
#include "http/http.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MP_CHUNK        (16 * 1024) /* one read from the transport */
#define MP_HDR_MAX      (8 * 1024)  /* all header lines of one part */
#define MP_BOUNDARY_MAX 70          /* RFC 2046 */
/* A header block needs MP_HDR_MAX + its blank line in the window; a read
 * needs MP_CHUNK of room on top. */
#define MP_BUF (MP_HDR_MAX + MP_CHUNK + 64)

/* A temp file: closed and unlinked when the request ends. A handler that
 * renamed it away makes the unlink fail with ENOENT, which is fine. */
struct mp_tmp {
	char *path;
	int fd;
};

struct mp {
	tp_req *r;
	tp_limits lim;
	char *buf;
	size_t pos, len; /* unread bytes are buf[pos, len) */
	size_t total;    /* body bytes read */
	bool eof;
	char delim[4 + MP_BOUNDARY_MAX + 1]; /* "\r\n--" boundary */
	size_t dlen;
	size_t nparts;
	size_t ucap;

	/* the part being read */
	const char *name;
	const char *filename; /* NULL: a plain field */
	const char *ctype;
	char *val; /* field value so far */
	size_t vlen, vcap;
	struct mp_tmp *tmp; /* file part: NULL until the file exists */
	size_t fsize;
};

static void tmp_cleanup(void *p)
{
	struct mp_tmp *t = p;

	if (t->fd >= 0) {
		close(t->fd);
		t->fd = -1;
	}
	if (unlink(t->path) != 0 && errno != ENOENT)
		tp_log(TP_LOG_WARN, "TP0313", "cannot remove upload %s: %s",
		       t->path, strerror(errno));
}

/* Reads more body into the window. Compacts only when the room left is
 * short of a chunk, so tiny reads do not memmove the window each time. */
static tp_rc fill(struct mp *m)
{
	if (m->eof)
		return TP_OK;
	if (MP_BUF - m->len < MP_CHUNK && m->pos > 0) {
		memmove(m->buf, m->buf + m->pos, m->len - m->pos);
		m->len -= m->pos;
		m->pos = 0;
	}
	size_t room = MP_BUF - m->len;
	if (room > MP_CHUNK)
		room = MP_CHUNK;
	if (room == 0) /* the callers keep less than MP_HDR_MAX + 4 */
		return tp_fail(m->r, TP_EINTERNAL, NULL,
		               "multipart parser window full");
	size_t got;
	tp_rc rc = tp_body_chunk(m->r, m->buf + m->len, room, m->lim.max_upload,
	                         &m->total, &got);
	if (rc != TP_OK)
		return rc;
	if (got == 0)
		m->eof = true;
	m->len += got;
	return TP_OK;
}

/* Makes at least n bytes available unless the body ends first. */
static tp_rc ensure(struct mp *m, size_t n)
{
	while (m->len - m->pos < n && !m->eof) {
		tp_rc rc = fill(m);
		if (rc != TP_OK)
			return rc;
	}
	return TP_OK;
}

static tp_rc missing_end(struct mp *m)
{
	return tp_fail(m->r, TP_EINVAL, NULL,
	               _("multipart body ends without its closing boundary"));
}

/* ------------------------------------------------------------------ */
/* header syntax                                                        */

static bool is_tchar(unsigned char c)
{
	/* RFC 9110 token */
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') ||
	       (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static char *skip_ws(char *p)
{
	while (is_ws(*p))
		p++;
	return p;
}

/* Reads a token or quoted-string at *pp into an arena copy, leaving *pp
 * after it. NULL on bad syntax. Backslash escapes only '"' and '\' so a
 * Windows path in an old browser's filename survives. */
static char *param_value(tp_req *r, char **pp)
{
	char *p = *pp;

	if (*p != '"') {
		char *s = p;
		while (is_tchar((unsigned char)*p))
			p++;
		if (p == s)
			return NULL;
		*pp = p;
		return tp_strndup(r, s, (size_t)(p - s));
	}
	p++;
	char *out = tp_alloc(r, strlen(p) + 1), *w = out;
	for (;;) {
		if (*p == '\0')
			return NULL; /* unterminated */
		if (*p == '"')
			break;
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		*w++ = *p++;
	}
	*w = '\0';
	*pp = p + 1;
	return out;
}

/* Walks "; a=b; c="d"" after a media or disposition type. cb sees each
 * (lower-case compared) name; returns false on bad syntax. */
typedef bool (*param_cb)(void *ud, const char *name, size_t nlen, char *value);

static bool parse_params(tp_req *r, char *p, param_cb cb, void *ud)
{
	for (;;) {
		p = skip_ws(p);
		if (*p == '\0')
			return true;
		if (*p++ != ';')
			return false;
		p = skip_ws(p);
		if (*p == '\0')
			return true; /* a trailing ';' is harmless */
		char *name = p;
		while (is_tchar((unsigned char)*p))
			p++;
		size_t nlen = (size_t)(p - name);
		if (nlen == 0)
			return false;
		p = skip_ws(p);
		if (*p++ != '=')
			return false;
		p = skip_ws(p);
		char *value = param_value(r, &p);
		if (value == NULL || !cb(ud, name, nlen, value))
			return false;
	}
}

static bool name_is(const char *name, size_t nlen, const char *want)
{
	return strlen(want) == nlen && strncasecmp(name, want, nlen) == 0;
}

static bool boundary_param(void *ud, const char *name, size_t nlen, char *value)
{
	char **b = ud;

	if (name_is(name, nlen, "boundary")) {
		if (*b != NULL)
			return false; /* two boundaries: which one? */
		*b = value;
	}
	return true;
}

/* RFC 2046 bchars; a space is allowed but not last. */
static bool boundary_ok(const char *b)
{
	size_t n = strlen(b);

	if (n == 0 || n > MP_BOUNDARY_MAX || b[n - 1] == ' ')
		return false;
	for (const char *p = b; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || strchr("'()+_,-./:=? ", c)))
			return false;
	}
	return true;
}

struct disp {
	char *name, *filename;
	bool dup;
};

static bool disp_param(void *ud, const char *name, size_t nlen, char *value)
{
	struct disp *d = ud;
	char **slot = NULL;

	if (name_is(name, nlen, "name"))
		slot = &d->name;
	else if (name_is(name, nlen, "filename"))
		slot = &d->filename;
	if (slot == NULL)
		return true; /* filename* and friends: RFC 7578 says ignore */
	if (*slot != NULL) {
		d->dup = true;
		return false;
	}
	*slot = value;
	return true;
}

/* Parses the header block hb[0, n) of a part (lines end in CRLF) and
 * sets up m's current part. */
static tp_rc part_headers(struct mp *m, const char *hb, size_t n)
{
	tp_req *r = m->r;
	char *disp = NULL, *ctype = NULL;

	if (memchr(hb, '\0', n) != NULL)
		return tp_fail(r, TP_EINVAL, NULL,
		               _("NUL byte in multipart part headers"));
	char *block = tp_strndup(r, hb, n);
	for (char *line = block; *line != '\0';) {
		char *eol = strstr(line, "\r\n");
		if (eol == NULL) /* the caller hands whole lines only */
			return tp_fail(r, TP_EINVAL, NULL,
			               _("bad multipart part header"));
		*eol = '\0';
		if (strchr(line, '\r') || strchr(line, '\n') || is_ws(*line))
			return tp_fail(
			    r, TP_EINVAL, NULL,
			    _("bad multipart part header (bare CR/LF "
			      "or folded line)"));
		char *colon = line;
		while (is_tchar((unsigned char)*colon))
			colon++;
		if (colon == line || *colon != ':')
			return tp_fail(r, TP_EINVAL, NULL,
			               _("bad multipart part header"));
		*colon = '\0';
		char *v = skip_ws(colon + 1);
		size_t vl = strlen(v);
		while (vl > 0 && is_ws(v[vl - 1]))
			v[--vl] = '\0';
		char **slot = NULL;
		if (strcasecmp(line, "content-disposition") == 0)
			slot = &disp;
		else if (strcasecmp(line, "content-type") == 0)
			slot = &ctype;
		if (slot != NULL) {
			if (*slot != NULL)
				return tp_fail(
				    r, TP_EINVAL, NULL,
				    _("multipart part repeats its %s "
				      "header"),
				    line);
			*slot = v;
		}
		line = eol + 2;
	}

	if (disp == NULL)
		return tp_fail(r, TP_EINVAL, NULL,
		               _("multipart part without Content-Disposition"));
	char *p = disp;
	while (is_tchar((unsigned char)*p))
		p++;
	if (!name_is(disp, (size_t)(p - disp), "form-data"))
		return tp_fail(r, TP_EINVAL, NULL,
		               _("multipart part is not form-data"));
	struct disp d = {0};
	if (!parse_params(r, p, disp_param, &d))
		return tp_fail(r, TP_EINVAL, NULL,
		               d.dup ? "multipart part repeats a "
		                       "Content-Disposition parameter"
		                     : "bad Content-Disposition in multipart "
		                       "part");
	if (d.name == NULL || *d.name == '\0')
		return tp_fail(r, TP_EINVAL, NULL,
		               _("multipart part without a name"));
	if (strlen(d.name) > m->lim.max_field_len)
		return tp_fail(r, TP_ETOOBIG, NULL,
		               _("a multipart field name is over %zu bytes"),
		               m->lim.max_field_len);
	/* files count too: each one costs a temp file */
	if (r->query.n + m->nparts + 1 > m->lim.max_fields)
		return tp_fail(r, TP_ETOOBIG, NULL,
		               _("too many fields (at most %zu)"),
		               m->lim.max_fields);
	m->nparts++;

	m->name = d.name;
	m->filename = d.filename;
	m->ctype = ctype;
	if (m->filename != NULL && m->ctype == NULL)
		m->ctype = "application/octet-stream";
	m->val = NULL;
	m->vlen = m->vcap = 0;
	m->tmp = NULL;
	m->fsize = 0;
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* part data                                                            */

static tp_rc open_tmp(struct mp *m)
{
	tp_req *r = m->r;
	struct mp_tmp *t = tp_alloc(r, sizeof(*t));

	t->path = tp_printf(r, "%s/tierport-upload-XXXXXX", m->lim.upload_dir);
	t->fd = mkostemp(t->path, O_CLOEXEC);
	if (t->fd < 0) {
		tp_log(TP_LOG_ERR, "TP0310",
		       "cannot create upload file in %s: %s", m->lim.upload_dir,
		       strerror(errno));
		return tp_fail(r, TP_EINTERNAL, m->name,
		               "could not store the upload");
	}
	tp_cleanup(r, tmp_cleanup, t);
	m->tmp = t;
	return TP_OK;
}

static tp_rc emit(struct mp *m, const char *p, size_t n)
{
	tp_req *r = m->r;

	if (n == 0)
		return TP_OK;
	if (m->filename == NULL) {
		if (m->vlen + n > m->lim.max_field_len)
			return tp_fail(r, TP_ETOOBIG, m->name,
			               _("field is over %zu bytes"),
			               m->lim.max_field_len);
		/* the value becomes a C string */
		if (memchr(p, '\0', n) != NULL)
			return tp_fail(r, TP_EINVAL, m->name,
			               _("NUL byte in form field"));
		if (m->vlen + n + 1 > m->vcap) {
			size_t cap = m->vcap ? m->vcap : 256;
			while (cap < m->vlen + n + 1)
				cap *= 2;
			char *v = tp_alloc(r, cap);
			if (m->vlen > 0)
				memcpy(v, m->val, m->vlen);
			m->val = v;
			m->vcap = cap;
		}
		memcpy(m->val + m->vlen, p, n);
		m->vlen += n;
		return TP_OK;
	}

	if (m->tmp == NULL) {
		tp_rc rc = open_tmp(m);
		if (rc != TP_OK)
			return rc;
	}
	while (n > 0) {
		ssize_t w = write(m->tmp->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			tp_log(TP_LOG_ERR, "TP0311",
			       "cannot write upload %s: %s", m->tmp->path,
			       w < 0 ? strerror(errno) : "short write");
			return tp_fail(r, TP_EINTERNAL, m->name,
			               "could not store the upload");
		}
		p += w;
		n -= (size_t)w;
		m->fsize += (size_t)w;
	}
	return TP_OK;
}

static tp_rc part_end(struct mp *m)
{
	tp_req *r = m->r;

	if (m->filename == NULL) {
		char *v = m->val;
		if (v == NULL)
			v = tp_strdup(r, "");
		else
			v[m->vlen] = '\0';
		tp_kv k = {m->name, v};
		/* tp_kv_add would copy both again; push by hand */
		if (r->form.n == r->form.cap) {
			size_t cap = r->form.cap ? r->form.cap * 2 : 8;
			tp_kv *nv = tp_alloc(r, cap * sizeof(*nv));
			if (r->form.n > 0)
				memcpy(nv, r->form.v, r->form.n * sizeof(*nv));
			r->form.v = nv;
			r->form.cap = cap;
		}
		r->form.v[r->form.n++] = k;
		return TP_OK;
	}

	/* filename="" with nothing in it is a browser's "no file chosen" */
	if (m->tmp == NULL && *m->filename == '\0')
		return TP_OK;
	if (m->tmp == NULL) {
		tp_rc rc = open_tmp(m);
		if (rc != TP_OK)
			return rc;
	}
	/* handlers only need the path; do not hold an fd per file */
	close(m->tmp->fd);
	m->tmp->fd = -1;

	if (r->n_uploads == m->ucap) {
		size_t cap = m->ucap ? m->ucap * 2 : 4;
		tp_upload *u = tp_alloc(r, cap * sizeof(*u));
		if (r->n_uploads > 0)
			memcpy(u, r->uploads, r->n_uploads * sizeof(*u));
		r->uploads = u;
		m->ucap = cap;
	}
	tp_upload *u = &r->uploads[r->n_uploads++];
	u->field = m->name;
	u->filename = m->filename;
	u->content_type = m->ctype;
	u->path = m->tmp->path;
	u->size = m->fsize;
	return TP_OK;
}

/* Streams one part's data up to the next delimiter, which it consumes. */
static tp_rc part_data(struct mp *m)
{
	size_t keep = m->dlen - 1;

	for (;;) {
		const char *d =
		    memmem(m->buf + m->pos, m->len - m->pos, m->delim, m->dlen);
		if (d != NULL) {
			size_t at = (size_t)(d - m->buf);
			tp_rc rc = emit(m, m->buf + m->pos, at - m->pos);
			if (rc != TP_OK)
				return rc;
			m->pos = at + m->dlen;
			return part_end(m);
		}
		/* all but a tail that may be the start of a delimiter */
		if (m->len - m->pos > keep) {
			size_t n = m->len - m->pos - keep;
			tp_rc rc = emit(m, m->buf + m->pos, n);
			if (rc != TP_OK)
				return rc;
			m->pos += n;
		}
		if (m->eof)
			return missing_end(m);
		tp_rc rc = fill(m);
		if (rc != TP_OK)
			return rc;
	}
}

/* Finds the header block of the part starting at pos; consumes it. */
static tp_rc part_head(struct mp *m)
{
	size_t scanned = 0;

	for (;;) {
		tp_rc rc = ensure(m, 2);
		if (rc != TP_OK)
			return rc;
		if (m->len - m->pos < 2)
			return missing_end(m);
		/* no header lines at all: let part_headers complain */
		if (memcmp(m->buf + m->pos, "\r\n", 2) == 0) {
			m->pos += 2;
			return part_headers(m, "", 0);
		}
		/* resume a little before where the last search stopped, in
		 * case the blank line straddles the two reads */
		size_t from = scanned > 3 ? scanned - 3 : 0;
		const char *e = memmem(m->buf + m->pos + from,
		                       m->len - m->pos - from, "\r\n\r\n", 4);
		if (e != NULL) {
			size_t n = (size_t)(e - (m->buf + m->pos)) + 2;
			if (n > MP_HDR_MAX)
				break;
			const char *hb = m->buf + m->pos;
			m->pos += n + 2;
			return part_headers(m, hb, n);
		}
		scanned = m->len - m->pos;
		if (scanned > MP_HDR_MAX + 2)
			break;
		if (m->eof)
			return missing_end(m);
		rc = fill(m);
		if (rc != TP_OK)
			return rc;
	}
	return tp_fail(m->r, TP_ETOOBIG, NULL,
	               _("multipart part headers are over %d bytes"),
	               MP_HDR_MAX);
}

tp_rc tp_multipart_parse(tp_req *r, const char *content_type)
{
	struct mp m = {.r = r};
	char *boundary = NULL;
	tp_rc rc;

	tp_req_limits(r, &m.lim);
	char *ct = tp_strdup(r, content_type);
	char *p = ct + strcspn(ct, ";");
	if (!parse_params(r, p, boundary_param, &boundary))
		return tp_fail(r, TP_EINVAL, NULL,
		               _("bad multipart Content-Type parameters"));
	if (boundary == NULL)
		return tp_fail(r, TP_EINVAL, NULL,
		               _("multipart Content-Type without a boundary"));
	if (!boundary_ok(boundary))
		return tp_fail(r, TP_EINVAL, NULL,
		               _("bad multipart boundary (1 to %d of the "
		                 "characters RFC 2046 allows)"),
		               MP_BOUNDARY_MAX);
	if (r->content_length > 0 &&
	    (unsigned long long)r->content_length > m.lim.max_upload) {
		tp_log(TP_LOG_WARN, "TP0303", "request body over %zu bytes",
		       m.lim.max_upload);
		return tp_fail(r, TP_ETOOBIG, NULL,
		               _("upload is over %zu bytes"), m.lim.max_upload);
	}
	m.dlen =
	    (size_t)snprintf(m.delim, sizeof(m.delim), "\r\n--%s", boundary);

	/* A virtual CRLF before the body makes the first delimiter look like
	 * every other one, whether or not a preamble comes first. */
	m.buf = tp_alloc(r, MP_BUF);
	memcpy(m.buf, "\r\n", 2);
	m.len = 2;

	/* preamble: skip to the first delimiter */
	for (;;) {
		const char *d =
		    memmem(m.buf + m.pos, m.len - m.pos, m.delim, m.dlen);
		if (d != NULL) {
			m.pos = (size_t)(d - m.buf) + m.dlen;
			break;
		}
		if (m.len - m.pos > m.dlen - 1)
			m.pos = m.len - (m.dlen - 1);
		if (m.eof)
			return missing_end(&m);
		if ((rc = fill(&m)) != TP_OK)
			return rc;
	}

	for (;;) {
		/* after a delimiter: "--" ends the body, else padding and
		 * CRLF start a part */
		if ((rc = ensure(&m, 2)) != TP_OK)
			return rc;
		if (m.len - m.pos < 2)
			return missing_end(&m);
		if (memcmp(m.buf + m.pos, "--", 2) == 0)
			break;
		for (;;) {
			if ((rc = ensure(&m, 1)) != TP_OK)
				return rc;
			if (m.len == m.pos)
				return missing_end(&m);
			if (!is_ws(m.buf[m.pos]))
				break;
			m.pos++;
		}
		if ((rc = ensure(&m, 2)) != TP_OK)
			return rc;
		if (m.len - m.pos < 2)
			return missing_end(&m);
		if (memcmp(m.buf + m.pos, "\r\n", 2) != 0)
			return tp_fail(r, TP_EINVAL, NULL,
			               _("bad multipart boundary line"));
		m.pos += 2;
		if ((rc = part_head(&m)) != TP_OK)
			return rc;
		if ((rc = part_data(&m)) != TP_OK)
			return rc;
	}

	/* the epilogue is ignored, but read so the body's length and the
	 * limit are still checked */
	while (!m.eof) {
		m.pos = m.len;
		if ((rc = fill(&m)) != TP_OK)
			return rc;
	}
	return TP_OK;
}
