/*
 * request.c -- turns the raw request (FastCGI params + body stream) into
 * the parsed request handlers read: query, cookies, form, JSON, and the
 * accessors over them. Every byte from the client is hostile here: never
 * trust Content-Length, never read past a buffer, never allocate outside
 * the request arena.
 */
#include "config.h"
#include "http/http.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

/* Same defaults as config.c, used when a limit is 0 or there is no config
 * (tests, fuzzing, tierportctl): a missing limit must never mean "none". */
#define TP_DEF_MAX_BODY       (1024 * 1024)
#define TP_DEF_MAX_UPLOAD     (20 * 1024 * 1024)
#define TP_DEF_MAX_FIELDS     1000
#define TP_DEF_MAX_FIELD_LEN  (64 * 1024)
#define TP_DEF_MAX_JSON_DEPTH 32
#define TP_DEF_MAX_QUERY      8192
/* Keeps limit + 1 and friends far from overflow whatever the config says. */
#define TP_LIMIT_CAP ((size_t)1 << 40)

static size_t limit_or(size_t v, size_t def)
{
	if (v == 0)
		return def;
	return v > TP_LIMIT_CAP ? TP_LIMIT_CAP : v;
}

void tp_req_limits(const tp_req *r, tp_limits *l)
{
	const tp_config *c = r->cfg;

	l->max_body = limit_or(c ? c->max_body : 0, TP_DEF_MAX_BODY);
	l->max_upload = limit_or(c ? c->max_upload : 0, TP_DEF_MAX_UPLOAD);
	l->max_fields = limit_or(c ? c->max_fields : 0, TP_DEF_MAX_FIELDS);
	l->max_field_len =
	    limit_or(c ? c->max_field_len : 0, TP_DEF_MAX_FIELD_LEN);
	l->max_query = limit_or(c ? c->max_query : 0, TP_DEF_MAX_QUERY);
	l->max_json_depth = c && c->max_json_depth > 0 ? c->max_json_depth
	                                               : TP_DEF_MAX_JSON_DEPTH;
	/* json-c counts depth as an int and allocates a stack of that size */
	if (l->max_json_depth > 10000)
		l->max_json_depth = 10000;
	l->upload_dir =
	    c && c->upload_dir && *c->upload_dir ? c->upload_dir : "/tmp";
}

/* ------------------------------------------------------------------ */
/* lifetime                                                             */

void tp_req_init(tp_req *r, tp_thread *t, const tp_config *cfg)
{
	memset(r, 0, sizeof(*r));
	tp_arena_init(&r->arena);
	r->thread = t;
	r->cfg = cfg;
	r->content_length = -1;
}

void tp_req_reset(tp_req *r)
{
	/* cleanups first: they may still look at the request (json, temp
	 * files) before its fields are wiped */
	tp_arena_reset(&r->arena);
	tp_i18n_use(0);

	tp_arena arena = r->arena;
	tp_thread *thread = r->thread;
	const tp_config *cfg = r->cfg;
	int (*out_write)(void *, const void *, size_t) = r->out_write;
	int (*out_flush)(void *) = r->out_flush;
	void *out_ud = r->out_ud;

	memset(r, 0, sizeof(*r));
	r->arena = arena;
	r->thread = thread;
	r->cfg = cfg;
	r->out_write = out_write;
	r->out_flush = out_flush;
	r->out_ud = out_ud;
	r->content_length = -1;
}

/* ------------------------------------------------------------------ */
/* name/value lists                                                     */

/* Appends without copying: for strings already in the arena. The array
 * grows by doubling inside the arena; the old one is left to the reset. */
static void kv_push(tp_req *r, tp_kvlist *l, const char *name,
                    const char *value)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		tp_kv *v = tp_alloc(r, cap * sizeof(*v));
		if (l->n > 0)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].name = name;
	l->v[l->n].value = value;
	l->n++;
}

/* Copies both strings so callers may pass stack buffers. */
void tp_kv_add_nocopy(tp_req *r, tp_kvlist *l, const char *name,
                      const char *value)
{
	kv_push(r, l, name, value);
}

void tp_kv_add(tp_req *r, tp_kvlist *l, const char *name, const char *value)
{
	if (name == NULL)
		return;
	kv_push(r, l, tp_strdup(r, name), tp_strdup(r, value));
}

const char *tp_kv_get(const tp_kvlist *l, const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].name != NULL && strcmp(l->v[i].name, name) == 0)
			return l->v[i].value;
	return NULL;
}

const char *tp_kv_get_ci(const tp_kvlist *l, const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].name != NULL && strcasecmp(l->v[i].name, name) == 0)
			return l->v[i].value;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* decoding                                                             */

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int tp_url_decode(char *s, bool plus)
{
	char *w = s;

	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '%') {
			/* p[1] may be the terminator: hexval('\0') is -1, so
			 * p[2] is only read when p[1] was a real character */
			int hi = hexval((unsigned char)p[1]);
			int lo = hi < 0 ? -1 : hexval((unsigned char)p[2]);
			if (lo < 0)
				return -1;
			/* an encoded NUL would silently cut the string short
			 * for every later reader */
			if (hi == 0 && lo == 0)
				return -1;
			*w++ = (char)(hi << 4 | lo);
			p += 2;
		} else if (*p == '+' && plus) {
			*w++ = ' ';
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	return 0;
}

/* Splits s ("a=1&b=&c") into l, decoding names and values. what names
 * the source in messages ("query string", "form"). */
static tp_rc parse_pairs(tp_req *r, char *s, tp_kvlist *l, const char *what,
                         const tp_limits *lim)
{
	char *next;

	for (char *pair = s; pair != NULL; pair = next) {
		next = strchr(pair, '&');
		if (next != NULL)
			*next++ = '\0';
		if (*pair == '\0')
			continue;

		char *value = strchr(pair, '=');
		if (value != NULL)
			*value++ = '\0';
		else
			value = pair + strlen(pair); /* "c": empty value */

		if (tp_url_decode(pair, true) != 0)
			return tp_fail(r, TP_EINVAL, NULL,
			               _("bad percent-encoding in a %s name"),
			               what);
		if (*pair == '\0')
			continue; /* "=x": nothing to name it by */
		if (strlen(pair) > lim->max_field_len)
			return tp_fail(r, TP_ETOOBIG, NULL,
			               _("a %s field name is over %zu bytes"),
			               what, lim->max_field_len);
		if (tp_url_decode(value, true) != 0)
			return tp_fail(r, TP_EINVAL, pair,
			               _("bad percent-encoding in %s field"),
			               what);
		if (strlen(value) > lim->max_field_len)
			return tp_fail(r, TP_ETOOBIG, pair,
			               _("field is over %zu bytes"),
			               lim->max_field_len);
		/* query and form share the budget: a client must not get
		 * twice the fields by splitting them over both */
		if (r->query.n + r->form.n + 1 > lim->max_fields)
			return tp_fail(r, TP_ETOOBIG, NULL,
			               _("too many fields (at most %zu)"),
			               lim->max_fields);
		kv_push(r, l, pair, value);
	}
	return TP_OK;
}

tp_rc tp_req_parse_query(tp_req *r)
{
	tp_limits lim;

	if (r->query_string == NULL || *r->query_string == '\0')
		return TP_OK;
	tp_req_limits(r, &lim);
	size_t len = strlen(r->query_string);
	if (len > lim.max_query)
		return tp_fail(r, TP_ETOOBIG, NULL,
		               _("query string is over %zu bytes"),
		               lim.max_query);
	return parse_pairs(r, tp_strndup(r, r->query_string, len), &r->query,
	                   "query string", &lim);
}

/* ------------------------------------------------------------------ */
/* cookies                                                              */

static bool is_cookie_ws(char c)
{
	return c == ' ' || c == '\t';
}

static void parse_cookie_header(tp_req *r, char *s)
{
	char *next;

	for (char *p = s; p != NULL; p = next) {
		next = strchr(p, ';');
		if (next != NULL)
			*next++ = '\0';
		while (is_cookie_ws(*p))
			p++;
		char *eq = strchr(p, '=');
		if (eq == NULL || eq == p)
			continue; /* no name: a broken cookie, not our error */
		char *name_end = eq;
		while (name_end > p && is_cookie_ws(name_end[-1]))
			name_end--;
		*name_end = '\0';
		if (strpbrk(p, " \t\",\\") != NULL || *p == '\0')
			continue;

		char *v = eq + 1;
		while (is_cookie_ws(*v))
			v++;
		size_t vlen = strlen(v);
		while (vlen > 0 && is_cookie_ws(v[vlen - 1]))
			v[--vlen] = '\0';
		if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
			v[vlen - 1] = '\0';
			v++;
		}
		kv_push(r, &r->cookies, p, v);
	}
}

tp_rc tp_req_parse_cookies(tp_req *r)
{
	/* a client (or HTTP/2 proxying) may send several Cookie headers */
	for (size_t i = 0; i < r->headers.n; i++) {
		const tp_kv *h = &r->headers.v[i];
		if (h->name != NULL && h->value != NULL &&
		    strcasecmp(h->name, "cookie") == 0)
			parse_cookie_header(r, tp_strdup(r, h->value));
	}
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* body                                                                 */

tp_rc tp_body_chunk(tp_req *r, char *buf, size_t cap, size_t limit,
                    size_t *total, size_t *got)
{
	ssize_t n = 0;

	*got = 0;
	if (r->body_read != NULL && cap > 0)
		n = r->body_read(r->body_ud, buf, cap);
	if (n < 0) {
		tp_log(TP_LOG_WARN, "TP0301",
		       "reading the request body failed after %zu bytes",
		       *total);
		return tp_fail(r, TP_EINVAL, NULL,
		               _("could not read the request body"));
	}
	if ((size_t)n > cap) {
		tp_log(TP_LOG_ERR, "TP0302",
		       "body reader returned %zd bytes for a %zu byte buffer",
		       n, cap);
		return tp_fail(r, TP_EINTERNAL, NULL,
		               "could not read the request body");
	}
	if (n == 0) {
		if (r->content_length >= 0 &&
		    *total < (unsigned long long)r->content_length)
			return tp_fail(
			    r, TP_EINVAL, NULL,
			    _("truncated body: got %zu of %lld bytes"), *total,
			    r->content_length);
		return TP_OK;
	}
	*total += (size_t)n;
	*got = (size_t)n;
	if (r->content_length >= 0 &&
	    *total > (unsigned long long)r->content_length)
		return tp_fail(r, TP_EINVAL, NULL,
		               _("body is longer than its Content-Length"));
	if (*total > limit) {
		tp_log(TP_LOG_WARN, "TP0303", "request body over %zu bytes",
		       limit);
		return tp_fail(r, TP_ETOOBIG, NULL,
		               _("request body is over %zu bytes"), limit);
	}
	return TP_OK;
}

/* Reads the whole body (at most limit bytes) into one NUL-terminated
 * arena buffer. */
static tp_rc read_body(tp_req *r, size_t limit, char **out, size_t *outlen)
{
	if (r->content_length > 0 &&
	    (unsigned long long)r->content_length > limit) {
		tp_log(TP_LOG_WARN, "TP0303", "request body over %zu bytes",
		       limit);
		return tp_fail(r, TP_ETOOBIG, NULL,
		               _("request body is over %zu bytes"), limit);
	}

	/* room for one byte past the end, so an overlong body is seen
	 * without an extra read, and never more than limit + 1 */
	size_t cap =
	    r->content_length >= 0 ? (size_t)r->content_length + 1 : 4096;
	if (cap > limit + 1)
		cap = limit + 1;
	char *buf = tp_alloc(r, cap + 1);
	size_t len = 0, total = 0, got;

	for (;;) {
		if (len == cap) {
			/* only reachable with no Content-Length: grow */
			size_t ncap = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
			char *nbuf = tp_alloc(r, ncap + 1);
			memcpy(nbuf, buf, len);
			buf = nbuf;
			cap = ncap;
		}
		tp_rc rc =
		    tp_body_chunk(r, buf + len, cap - len, limit, &total, &got);
		if (rc != TP_OK)
			return rc;
		if (got == 0)
			break;
		len += got;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return TP_OK;
}

static tp_rc parse_form(tp_req *r, const tp_limits *lim)
{
	char *body;
	size_t len;
	tp_rc rc = read_body(r, lim->max_body, &body, &len);

	if (rc != TP_OK)
		return rc;
	/* the pairs become C strings: a raw NUL would hide what follows */
	if (memchr(body, '\0', len) != NULL)
		return tp_fail(r, TP_EINVAL, NULL, _("NUL byte in form body"));
	return parse_pairs(r, body, &r->form, "form", lim);
}

static bool json_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Whether the JSON text has the escape of a NUL ("\u0000") in a string.
 * In valid JSON a backslash only starts an escape inside a string, so
 * stepping over each escape's next character finds them all. */
static bool json_escaped_nul(const char *s, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (s[i] != '\\')
			continue;
		if (s[i + 1] == 'u' && i + 5 < len &&
		    memcmp(s + i + 2, "0000", 4) == 0)
			return true;
		i++;
	}
	return false;
}

/* The member holding a string with a NUL, as "a.b[2].c"; NULL if none
 * (then the NUL is in a member name). */
static const char *json_nul_member(tp_req *r, json_object *o, const char *at)
{
	if (json_object_is_type(o, json_type_string))
		return strlen(json_object_get_string(o)) !=
		               (size_t)json_object_get_string_len(o)
		           ? at
		           : NULL;
	if (json_object_is_type(o, json_type_array)) {
		size_t n = json_object_array_length(o);
		for (size_t i = 0; i < n; i++) {
			const char *f =
			    json_nul_member(r, json_object_array_get_idx(o, i),
			                    tp_printf(r, "%s[%zu]", at, i));
			if (f != NULL)
				return f;
		}
	} else if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, k, v)
		{
			const char *f = json_nul_member(
			    r, v, *at ? tp_printf(r, "%s.%s", at, k) : k);
			if (f != NULL)
				return f;
		}
	}
	return NULL;
}

static tp_rc parse_json(tp_req *r, const tp_limits *lim)
{
	char *body;
	size_t len;
	tp_rc rc = read_body(r, lim->max_body, &body, &len);

	if (rc != TP_OK)
		return rc;
	if (len >= INT_MAX) /* json-c takes an int length */
		return tp_fail(r, TP_ETOOBIG, NULL, _("JSON body is too big"));
	if (memchr(body, '\0', len) != NULL)
		return tp_fail(r, TP_EINVAL, NULL, _("NUL byte in JSON body"));

	/* json-c's depth counts the slot for the value being built, so one
	 * more makes max_json_depth the number of nested containers */
	json_tokener *tok = json_tokener_new_ex(lim->max_json_depth + 1);
	if (tok == NULL)
		return tp_fail(r, TP_EINTERNAL, NULL, "out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	                                JSON_TOKENER_VALIDATE_UTF8);
	/* passing the terminating NUL tells json-c the input is complete,
	 * so a bare "123" ends instead of waiting for more digits */
	json_object *o = json_tokener_parse_ex(tok, body, (int)len + 1);
	enum json_tokener_error err = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);

	if (o == NULL) {
		if (err == json_tokener_error_depth)
			return tp_fail(r, TP_ETOOBIG, NULL,
			               _("JSON nested deeper than %d levels"),
			               lim->max_json_depth);
		if (err == json_tokener_success ||
		    err == json_tokener_continue ||
		    err == json_tokener_error_parse_eof)
			return tp_fail(r, TP_EINVAL, NULL,
			               _("JSON body is empty or incomplete"));
		return tp_fail(r, TP_EINVAL, NULL, _("invalid JSON: %s"),
		               json_tokener_error_desc(err));
	}
	tp_json_owned(r, o);
	/* strict mode already refuses trailing data; this also covers a
	 * json-c that stopped early without saying so */
	for (size_t i = end; i < len; i++)
		if (!json_ws(body[i]))
			return tp_fail(r, TP_EINVAL, NULL,
			               _("trailing data after the JSON body"));
	if (!json_object_is_type(o, json_type_object) &&
	    !json_object_is_type(o, json_type_array))
		return tp_fail(r, TP_EINVAL, NULL,
		               _("JSON body must be an object or an array"));
	/* json-c keeps a string's length, so "ab\u0000cd" survives the parse;
	 * handlers read C strings and would see "ab". Refused like a NUL in a
	 * form, naming the member (the walk runs only when the text has one).
	 */
	if (json_escaped_nul(body, len)) {
		const char *f = json_nul_member(r, o, "");
		if (f != NULL)
			return tp_fail(r, TP_EINVAL, f,
			               _("%s holds a NUL character (\\u0000)"),
			               f);
		return tp_fail(r, TP_EINVAL, NULL,
		               _("a JSON member name holds a NUL character "
		                 "(\\u0000)"));
	}
	r->json = o;
	return TP_OK;
}

/* Whether the media type of ct (parameters ignored) is type. */
static bool media_is(const char *ct, const char *type)
{
	size_t n = strlen(type);

	while (*ct == ' ' || *ct == '\t')
		ct++;
	if (strncasecmp(ct, type, n) != 0)
		return false;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

tp_rc tp_req_parse_body(tp_req *r)
{
	tp_limits lim;
	const char *ct = r->content_type;

	if (r->content_length <= 0 &&
	    (r->method & (TP_GET | TP_HEAD | TP_DELETE)) != 0)
		return TP_OK;
	tp_req_limits(r, &lim);

	while (ct != NULL && (*ct == ' ' || *ct == '\t'))
		ct++;
	if (ct == NULL || *ct == '\0') {
		if (r->content_length > 0)
			return tp_fail(
			    r, TP_EMEDIA, NULL,
			    _("a request body needs a Content-Type"));
		/* without a length only reading tells whether one came */
		char probe[256];
		size_t total = 0, got;
		tp_rc rc = tp_body_chunk(r, probe, sizeof(probe), SIZE_MAX,
		                         &total, &got);
		if (rc != TP_OK)
			return rc;
		if (got > 0)
			return tp_fail(
			    r, TP_EMEDIA, NULL,
			    _("a request body needs a Content-Type"));
		return TP_OK;
	}

	if (media_is(ct, "application/x-www-form-urlencoded"))
		return parse_form(r, &lim);
	if (media_is(ct, "application/json"))
		return parse_json(r, &lim);
	if (media_is(ct, "multipart/form-data"))
		return tp_multipart_parse(r, ct);

	size_t mlen = strcspn(ct, ";");
	if (mlen > 64)
		mlen = 64;
	return tp_fail(r, TP_EMEDIA, NULL, _("unsupported Content-Type %.*s"),
	               (int)mlen, ct);
}

/* ------------------------------------------------------------------ */
/* local paths: where a browser may be sent back to                     */

/* A URI character (RFC 3986: unreserved, sub-delims, gen-delims but for
 * the brackets, and "%"): no control character, space, backslash, quote,
 * "<>^`{|}" or byte outside ASCII. */
static bool uri_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("-._~!$&'()*+,;=:@/?#%", c) != NULL);
}

/* A redirect target taken from the request (login's next=, the grid's
 * back=) must stay on this site. Browsers drop tabs and newlines from an
 * address and read "\" as "/", so "/<TAB>/evil" and "/\evil" are
 * "//evil", another host; the check therefore removes and decodes
 * nothing, and takes "/" alone, or "/" followed by a path character (not
 * a second "/"), then URI characters only. A percent-escape is left as it
 * is: "/%09/evil" is a path on this site (a browser does not decode it
 * before resolving), and so is "/%2F/evil". */
bool tp_local_path(const char *s)
{
	if (s == NULL || s[0] != '/' || s[1] == '/')
		return false;
	for (const char *p = s + 1; *p != '\0'; p++)
		if (!uri_char((unsigned char)*p))
			return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* accessors for handlers                                               */

const char *tp_method_name(tp_req *r)
{
	static const char *const names[] = {"GET",    "POST", "PUT",    "PATCH",
	                                    "DELETE", "HEAD", "OPTIONS"};

	if (r->method_str != NULL)
		return r->method_str;
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (r->method == 1u << i)
			return names[i];
	return "";
}

const char *tp_path(tp_req *r)
{
	return r->path != NULL ? r->path : "/";
}

const char *tp_request_id(tp_req *r)
{
	return r->reqid;
}

const char *tp_param(tp_req *r, const char *name)
{
	size_t n = r->match.nparams;

	if (name == NULL)
		return NULL;
	if (n > TP_MAX_PARAMS)
		n = TP_MAX_PARAMS;
	for (size_t i = 0; i < n; i++)
		if (r->match.names[i] != NULL &&
		    strcmp(r->match.names[i], name) == 0)
			return r->match.values[i];
	return NULL;
}

int64_t tp_param_id(tp_req *r, const char *name)
{
	int64_t id = 0;
	const char *s = tp_param(r, name);
	if (s == NULL || tp_parse_i64(s, &id) != TP_OK)
		return 0;
	return id;
}

const char *tp_query(tp_req *r, const char *name)
{
	return tp_kv_get(&r->query, name);
}

const char *tp_form(tp_req *r, const char *name)
{
	return tp_kv_get(&r->form, name);
}

size_t tp_form_all(tp_req *r, const char *name, const char ***out)
{
	size_t n = 0;
	for (size_t i = 0; i < r->form.n; i++)
		n += r->form.v[i].name != NULL &&
		     strcmp(r->form.v[i].name, name) == 0;
	*out = tp_alloc(r, (n + 1) * sizeof(**out));
	n = 0;
	for (size_t i = 0; i < r->form.n; i++)
		if (r->form.v[i].name != NULL &&
		    strcmp(r->form.v[i].name, name) == 0)
			(*out)[n++] = r->form.v[i].value;
	(*out)[n] = NULL;
	return n;
}

tp_rc tp_input(tp_req *r, const char *name, const char **out)
{
	json_object *b = tp_body_json(r), *x;

	*out = tp_form(r, name);
	if (*out != NULL || b == NULL ||
	    !json_object_is_type(b, json_type_object) ||
	    !json_object_object_get_ex(b, name, &x) || x == NULL)
		return TP_OK;
	if (!json_object_is_type(x, json_type_string) &&
	    !json_object_is_type(x, json_type_int) &&
	    !json_object_is_type(x, json_type_boolean))
		return tp_fail(r, TP_EINVAL, name, _("%s must be a string"),
		               name);
	*out = tp_strdup(r, json_object_get_string(x));
	return TP_OK;
}

const char *tp_cookie(tp_req *r, const char *name)
{
	return tp_kv_get(&r->cookies, name);
}

const char *tp_header(tp_req *r, const char *name)
{
	const char *v = tp_kv_get_ci(&r->headers, name);

	if (v != NULL || name == NULL)
		return v;
	/* FastCGI passes these two outside the HTTP_* params */
	if (strcasecmp(name, "content-type") == 0)
		return r->content_type;
	if (strcasecmp(name, "content-length") == 0 && r->content_length >= 0)
		return tp_printf(r, "%lld", r->content_length);
	return NULL;
}

json_object *tp_body_json(tp_req *r)
{
	return r->json;
}

const tp_upload *tp_upload_get(tp_req *r, size_t n)
{
	if (r->uploads == NULL || n >= r->n_uploads)
		return NULL;
	return &r->uploads[n];
}

/* For a query value: everything but unreserved characters as %XX. */
char *tp_url_encode(tp_req *r, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = tp_alloc(r, strlen(s) * 3 + 1), *o = out;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~' || c == '/') {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}
