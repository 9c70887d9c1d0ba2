/*
 * brand_admin.c -- the operator pages: a brand's own settings, host names
 * and tiers (operators with the "brand" right), and for operators of the
 * platform brand the plans and the other brands; /brand.css serves a
 * brand's colours and custom CSS. Every write is one transaction with its
 * audit line, and bad input changes nothing. A tier never enables a module
 * its brand's plan lacks; a plan losing a module takes it from every tier
 * of every brand on it in the same transaction.
 */
#include "config.h"
#include "builtin/builtin.h"

#include <ctype.h>
#include <string.h>

#define CSS_MAX    (32 * 1024) /* custom CSS and terms text, bytes */
#define LIST_MAX   500
#define MODS_MAX   64
#define RANK_MAX   1000000
#define POINTS_MAX 1000000000

/* The social links a brand may show, in the order shown. */
/* the networks a brand may link to: identity/brand.c, which also gives
 * the footer its links */
#define social_names  tp_social_names
#define social_labels tp_social_labels
static const char *const support_levels[] = {"standard", "priority",
                                             "dedicated", NULL};
static const char *const brand_statuses[] = {"active", "disabled", NULL};

static const char sessions_of_brand[] =
    "SELECT token_hash FROM sessions WHERE tenant_id = ? AND revoked = 0 "
    "AND expires_at > NOW()";
static const char sessions_of_plan[] =
    "SELECT s.token_hash FROM sessions s JOIN tenants t ON t.id = "
    "s.tenant_id WHERE t.plan_id = ? AND s.revoked = 0 AND s.expires_at > "
    "NOW()";
/* the API tokens of the same logins, for the same ids */
static const char tokens_of_brand[] =
    "SELECT k.token_hash FROM api_tokens k JOIN users u ON u.id = "
    "k.user_id WHERE u.tenant_id = ? AND k.revoked_at IS NULL";
static const char tokens_of_plan[] =
    "SELECT k.token_hash FROM api_tokens k JOIN users u ON u.id = "
    "k.user_id JOIN tenants t ON t.id = u.tenant_id WHERE t.plan_id = ? "
    "AND k.revoked_at IS NULL";

/* ------------------------------------------------------------------ */
/* small helpers                                                        */

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

static void add_int(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void add_bool(json_object *o, const char *k, bool v)
{
	json_object_object_add(o, k, json_object_new_boolean(v));
}

static bool one_of(const char *s, const char *const *set)
{
	for (; s != NULL && *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

static tp_rc rollback(tp_req *r, tp_rc rc)
{
	tp_db_rollback(tp_req_db(r));
	return rc;
}

/* After a write: a browser goes to location, the API gets fill's view. */
static tp_rc done(tp_req *r, const char *location,
                  tp_rc (*fill)(tp_req *, int64_t), int64_t id, int status)
{
	if (tp_wants_json(r)) {
		tp_rc rc = fill(r, id);
		if (rc == TP_OK && status != 0)
			tp_set_status(r, status);
		return rc;
	}
	tp_set_header(r, "Location", location);
	tp_set_status(r, 303);
	r->tmpl = NULL;
	return TP_OK;
}

/* Cached viewers carry the tier's modules and the terms state: after the
 * commit, their next request reads MariaDB. */
static void uncache(tp_req *r, const char *sql, uint64_t id)
{
	const char *tokens =
	    sql == sessions_of_plan ? tokens_of_plan : tokens_of_brand;
	if (tp_sessions_uncache(r, sql, id) != TP_OK ||
	    tp_tokens_uncache(r, tokens, id) != TP_OK)
		tp_log(TP_LOG_WARN, "TP1101",
		       "sessions or tokens of %llu could not be listed to drop "
		       "their "
		       "cached copies; they live until their cache TTL",
		       (unsigned long long)id);
}

static void audit(tp_req *r, const char *action, const char *type, uint64_t id,
                  json_object *detail)
{
	tp_audit(r, tp_tenant_id(r), r->viewer->user_id, action, type, id,
	         detail ? json_object_to_json_string_ext(detail,
	                                                 JSON_C_TO_STRING_PLAIN)
	                : NULL);
	json_object_put(detail);
}

/* ------------------------------------------------------------------ */
/* input                                                                */

/* A field from the form or the JSON body: a string, or a number or a
 * boolean ("1"/"0") as text; NULL when absent. Other JSON types are 400. */
static tp_rc in_str(tp_req *r, const char *name, const char **out)
{
	json_object *b = tp_body_json(r), *x;

	*out = tp_form(r, name);
	if (*out != NULL || b == NULL ||
	    !json_object_is_type(b, json_type_object) ||
	    !json_object_object_get_ex(b, name, &x) || x == NULL)
		return TP_OK;
	if (json_object_is_type(x, json_type_boolean))
		*out = json_object_get_boolean(x) ? "1" : "0";
	else if (json_object_is_type(x, json_type_string) ||
	         json_object_is_type(x, json_type_int))
		*out = tp_strdup(r, json_object_get_string(x));
	else
		return tp_fail(r, TP_EINVAL, name, _("%s must be a string"),
		               name);
	/* a \u0000 would cut the text short without a word */
	if (json_object_is_type(x, json_type_string) &&
	    strlen(*out) != (size_t)json_object_get_string_len(x))
		return tp_fail(r, TP_EINVAL, name, _("%s contains a NUL"),
		               name);
	return TP_OK;
}

/* A whole number in [min, max]; *set false when absent or empty. */
static tp_rc in_int(tp_req *r, const char *name, int64_t min, int64_t max,
                    int64_t *out, bool *set)
{
	const char *s;
	tp_rc rc = in_str(r, name, &s);

	*set = false;
	if (rc != TP_OK || s == NULL || *s == '\0')
		return rc;
	if (tp_parse_i64(s, out) != TP_OK || *out < min || *out > max)
		return tp_fail(r, TP_EINVAL, name,
		               _("Enter a whole number from %lld to %lld."),
		               (long long)min, (long long)max);
	*set = true;
	return TP_OK;
}

typedef struct mod_set {
	size_t n;
	const char *m[MODS_MAX];
} mod_set;

static bool mods_has(const mod_set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->m[i], name) == 0)
			return true;
	return false;
}

static tp_rc mods_add(tp_req *r, mod_set *s, const char *name)
{
	if (*name == '\0' || mods_has(s, name))
		return TP_OK; /* the form's empty marker; a repeat */
	if (!tp_module_name_ok(name))
		return tp_fail(
		    r, TP_EINVAL, "modules",
		    _("a module name is a lower-case letter, then up "
		      "to 31 lower-case letters, digits or _"));
	if (s->n == MODS_MAX)
		return tp_fail(r, TP_EINVAL, "modules", _("too many modules"));
	s->m[s->n++] = name;
	return TP_OK;
}

/* The modules named by the request: repeated "modules" form fields (the
 * form sends an empty one first, so none checked still says "none") or
 * the JSON body's "modules": [...]. *sent false when neither is there. */
static tp_rc mods_in(tp_req *r, mod_set *out, bool *sent)
{
	json_object *b = tp_body_json(r), *x;
	tp_rc rc;

	out->n = 0;
	*sent = false;
	for (size_t i = 0; i < r->form.n; i++) {
		if (strcmp(r->form.v[i].name, "modules") != 0)
			continue;
		*sent = true;
		if ((rc = mods_add(r, out, r->form.v[i].value)) != TP_OK)
			return rc;
	}
	if (*sent || b == NULL || !json_object_is_type(b, json_type_object) ||
	    !json_object_object_get_ex(b, "modules", &x) || x == NULL)
		return TP_OK;
	if (!json_object_is_type(x, json_type_array))
		return tp_fail(r, TP_EINVAL, "modules",
		               _("modules must be an array of module names"));
	*sent = true;
	for (size_t i = 0; i < json_object_array_length(x); i++) {
		json_object *e = json_object_array_get_idx(x, i);
		if (!json_object_is_type(e, json_type_string))
			return tp_fail(r, TP_EINVAL, "modules",
			               _("modules must be an array of module "
			                 "names"));
		if ((rc = mods_add(r, out,
		                   tp_strdup(r, json_object_get_string(e)))) !=
		    TP_OK)
			return rc;
	}
	return TP_OK;
}

/* A query's first column as a set (module names). */
static tp_rc mods_load(tp_req *r, mod_set *out, const char *sql, int64_t id)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs, sql, "I", id);

	out->n = 0;
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; i < tp_rows_count(rs) && out->n < MODS_MAX; i++)
		out->m[out->n++] = tp_rows_get(rs, i, 0);
	return TP_OK;
}

static json_object *mods_json(const mod_set *s)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < s->n; i++)
		json_object_array_add(a, json_object_new_string(s->m[i]));
	return a;
}

static bool mods_same(const mod_set *a, const mod_set *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (!mods_has(b, a->m[i]))
			return false;
	return true;
}

/* Checkboxes: every module of offer, "on" when in chosen. */
static json_object *mods_choices(const mod_set *offer, const mod_set *chosen)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < offer->n; i++) {
		json_object *o = json_object_new_object();
		add_str(o, "name", offer->m[i]);
		add_bool(o, "on", mods_has(chosen, offer->m[i]));
		json_object_array_add(a, o);
	}
	return a;
}

/* Replaces the rows of table (tier_modules / plan_modules) for id. */
static tp_rc mods_store(tp_req *r, const char *del, const char *ins, int64_t id,
                        const mod_set *s)
{
	tp_db *db = tp_req_db(r);
	tp_rc rc = tp_db_exec(db, NULL, del, "I", id);
	for (size_t i = 0; rc == TP_OK && i < s->n; i++)
		rc = tp_db_exec(db, NULL, ins, "Is", id, s->m[i]);
	return rc;
}

/* Printable text of at most max bytes, valid UTF-8; multi-line allows
 * newlines and tabs. NULL if fine, else what is wrong. */
static const char *text_bad(const char *s, size_t max, bool multi_line)
{
	if (strlen(s) > max)
		return _("is too long");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 || *p == 0x7f) &&
		    !(multi_line && (*p == '\n' || *p == '\r' || *p == '\t')))
			return _("contains control characters");
	if (!tp_utf8_ok(s))
		return _("is not valid UTF-8");
	return NULL;
}

/* An address for a link or an image: https://..., or a path on this site
 * (/..., not //...); no spaces, quotes or angle brackets. */
static bool url_ok(const char *s, bool path_too)
{
	bool https =
	    strncmp(s, "https://", 8) == 0 && s[8] != '\0' && s[8] != '/';
	bool path = path_too && tp_local_path(s);
	if (!(https || path) || strlen(s) > 255)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("\"'<>\\`", *p))
			return false;
	return true;
}

static bool colour_ok(const char *s)
{
	if (strlen(s) != 7 || s[0] != '#')
		return false;
	for (int i = 1; i < 7; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* the brand's own settings                                             */

enum bkind {
	B_NAME,
	B_LOGO,
	B_COLOUR,
	B_STYLE, /* the custom CSS: text, and nothing fetched from elsewhere */
	B_HOSTS, /* host names, space-separated */
	B_CSS,   /* a long text */
	B_PHONE,
	B_EMAIL,
	B_LINE,
	B_FLAG,
	B_BASE_URL,
	B_LOGIN_FIRST,
	B_LANG,
	B_TZ
};

/* The form's fields, in the order of brand_cols. */
static const struct bfield {
	const char *name;
	int kind;
	const char *msg;
} bfields[] = {
    {"name", B_NAME, N_("Enter the brand's name: at most 128 characters.")},
    {"logo_url", B_LOGO,
     N_("Enter an https:// address or a path starting with /, or nothing.")},
    {"color_primary", B_COLOUR,
     N_("Enter a colour as #rrggbb, such as #1f4e79.")},
    {"color_accent", B_COLOUR,
     N_("Enter a colour as #rrggbb, such as #f0a202.")},
    {"custom_css", B_STYLE,
     N_("Custom CSS must be UTF-8 text of at most 32 KB.")},
    {"support_phone", B_PHONE,
     N_("Enter a phone number: digits, spaces and + - ( ) .")},
    {"support_email", B_EMAIL,
     N_("Enter an e-mail address such as help@example.com, or nothing.")},
    {"support_address", B_LINE,
     N_("Enter the address on one line, at most 255 characters.")},
    {"payment_address", B_LINE,
     N_("Enter the address on one line, at most 255 characters.")},
    {"terms_required", B_FLAG, N_("Send 1 (required) or 0.")},
    {"terms_text", B_CSS, N_("The terms must be UTF-8 text of at most 32 KB.")},
    {"asset_hosts", B_HOSTS,
     N_("Enter at most 8 host names (such as cdn.example.com) separated by "
        "spaces, or nothing: the hosts pages may load images from.")},
    /* the start of the links in the brand's mails (brand.c) */
    {"base_url", B_BASE_URL,
     N_("Enter the address the brand's users open, such as "
        "https://portal.example.com (no path), or nothing for the default.")},
    /* issue 10 (sql/013_shell.sql) */
    {"favicon_url", B_LOGO,
     N_("Enter an https:// address or a path starting with /, or nothing.")},
    {"other_address", B_LINE,
     N_("Enter the address on one line, at most 255 characters.")},
    /* which login a name that is both a customer's and a partner's or
     * an operator's signs in as (login.c) */
    {"login_first", B_LOGIN_FIRST, N_("Choose staff or customer.")},
    /* CSV exports without the formula guard (sql/019_csv_plain.sql) */
    {"csv_plain", B_FLAG, N_("Send 1 (plain CSV) or 0 (guarded).")},
    /* the brand's default language and time zone (i18n.c; a login may
     * choose its own on its profile) */
    {"language", B_LANG, N_("Choose one of the languages offered.")},
    {"time_zone", B_TZ, N_("Choose a time zone such as Europe/Berlin.")},
};
#define BF_LOGIN_FIRST 15
#define NBF            (sizeof(bfields) / sizeof(bfields[0]))

#define BRAND_COLS                                                             \
	"name, IFNULL(logo_url, ''), color_primary, color_accent, "            \
	"IFNULL(custom_css, ''), IFNULL(support_phone, ''), "                  \
	"IFNULL(support_email, ''), IFNULL(support_address, ''), "             \
	"IFNULL(payment_address, ''), terms_required, IFNULL(terms_text, "     \
	"''), IFNULL(asset_hosts, ''), IFNULL(base_url, ''), "                 \
	"IFNULL(favicon_url, ''), IFNULL(other_address, ''), login_first, "    \
	"csv_plain, language, time_zone, "                                     \
	"IFNULL(social, ''), terms_version, slug, is_platform "

/* ---- custom CSS that stays home ----
 * The CSS is the brand operator's, the pages hold the users' data: CSS
 * that may fetch from another host reads a page out (an attribute selector
 * per character, each with a background of its own URL). So custom CSS may
 * not @import at all, and every url(), src() and string of image() /
 * image-set() must be a path or name on this site: no scheme ("https:",
 * "data:"), no "//host". Comments are dropped and escapes decoded first,
 * so no spelling gets round it. The CSP's img-src (brand.c) is the second
 * wall. */

/* The CSS as the browser tokenizes its names and values: comments out,
 * escapes decoded (anything outside ASCII as "?"), lower case. */
static char *css_plain(tp_req *r, const char *css)
{
	size_t n = strlen(css);
	char *out = tp_alloc(r, n + 1), *o = out;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)css[i];
		if (c == '/' && css[i + 1] == '*') {
			const char *e = strstr(css + i + 2, "*/");
			i = e ? (size_t)(e - css) + 2 : n;
			continue;
		}
		if (c == '\\' && i + 1 < n) {
			unsigned long cp = 0;
			size_t h = 0;
			while (h < 6 &&
			       isxdigit((unsigned char)css[i + 1 + h])) {
				char d = css[i + 1 + h];
				cp = cp * 16 +
				     (unsigned long)(isdigit((unsigned char)d)
				                         ? d - '0'
				                         : (d | 32) - 'a' + 10);
				h++;
			}
			if (h > 0) {
				i += 1 + h;
				if (css[i] == ' ' || css[i] == '\t' ||
				    css[i] == '\n')
					i++; /* the space that ends the escape
					      */
				c = cp > 0 && cp < 128 ? (unsigned char)cp
				                       : '?';
			} else {
				c = (unsigned char)css[i + 1];
				i += 2;
			}
		} else {
			i++;
		}
		*o++ = (char)tolower(c);
	}
	*o = '\0';
	return out;
}

/* A reference that leaves the site: a scheme before any "/?#", "//", or a
 * backslash (which browsers read as "/"). */
static bool css_ref_out(const char *v, size_t n)
{
	while (n > 0 && isspace((unsigned char)*v))
		v++, n--;
	if (n >= 2 && (v[0] == '/' || v[0] == '\\') &&
	    (v[1] == '/' || v[1] == '\\'))
		return true;
	for (size_t i = 0; i < n && !strchr("/?#", v[i]); i++)
		if (v[i] == ':')
			return true;
	return false;
}

/* The argument text of the function call at p (just past its "("): each
 * quoted string, or the whole up to ")" when unquoted (url(x)). */
static bool css_args_out(const char *p, bool unquoted)
{
	while (isspace((unsigned char)*p))
		p++;
	if (unquoted && *p != '"' && *p != '\'')
		return css_ref_out(p, strcspn(p, ")"));
	for (int depth = 0; *p != '\0'; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth-- == 0)
			return false;
		else if (*p == '"' || *p == '\'') {
			const char *e = strchr(p + 1, *p);
			size_t len = e ? (size_t)(e - p - 1) : strlen(p + 1);
			if (css_ref_out(p + 1, len))
				return true;
			if (e == NULL)
				return false;
			p = e;
		}
	}
	return false;
}

static bool css_reaches_out(tp_req *r, const char *css)
{
	static const struct {
		const char *fn;
		bool unquoted; /* takes a bare URL too */
	} fns[] = {{"url(", true},
	           {"src(", false},
	           {"image(", false},
	           {"image-set(", false}};
	const char *t = css_plain(r, css);
	if (strstr(t, "@import") != NULL)
		return true;
	for (size_t k = 0; k < sizeof(fns) / sizeof(fns[0]); k++)
		for (const char *p = strstr(t, fns[k].fn); p != NULL;
		     p = strstr(p + 1, fns[k].fn))
			if (css_args_out(p + strlen(fns[k].fn),
			                 fns[k].unquoted))
				return true;
	return false;
}

/* Space-separated host names, normalised to lower case and one space;
 * NULL if one is not a host name (no scheme, port, path or wildcard). */
static const char *hosts_norm(tp_req *r, const char *v)
{
	char *out = tp_alloc(r, strlen(v) + 1), *o = out;
	int n = 0;
	for (const char *p = v; *p != '\0';) {
		size_t len = strcspn(p, " \t");
		if (len > 0) {
			if (++n > 8 || len > 253 || p[0] == '.' ||
			    p[0] == '-' || p[len - 1] == '.' ||
			    memchr(p, '.', len) == NULL)
				return NULL;
			if (o != out)
				*o++ = ' ';
			for (size_t i = 0; i < len; i++) {
				char c = (char)tolower((unsigned char)p[i]);
				if (!((c >= 'a' && c <= 'z') ||
				      (c >= '0' && c <= '9') || c == '-' ||
				      c == '.') ||
				    (c == '.' && p[i + 1] == '.'))
					return NULL;
				*o++ = c;
			}
		}
		p += len;
		p += strspn(p, " \t");
	}
	*o = '\0';
	return strlen(out) <= 512 ? out : NULL;
}

static const char *bfield_bad(const struct bfield *f, const char *v)
{
	switch (f->kind) {
	case B_NAME:
		return *v == '\0' || text_bad(v, 128, false) ? f->msg : NULL;
	case B_LOGO: return *v != '\0' && !url_ok(v, true) ? f->msg : NULL;
	case B_COLOUR: return colour_ok(v) ? NULL : f->msg;
	case B_CSS:
	case B_STYLE: return text_bad(v, CSS_MAX, true) ? f->msg : NULL;
	case B_HOSTS: return NULL; /* brand_update normalises and checks */
	case B_PHONE: return tp_phone_ok(v) ? NULL : f->msg;
	case B_EMAIL: return tp_email_ok(v) ? NULL : f->msg;
	case B_LINE: return text_bad(v, 255, false) ? f->msg : NULL;
	case B_BASE_URL:
		return *v != '\0' && tp_base_url_bad(v, NULL) != NULL ? f->msg
		                                                      : NULL;
	case B_LOGIN_FIRST:
		return strcmp(v, "staff") == 0 || strcmp(v, "customer") == 0
		           ? NULL
		           : f->msg;
	case B_LANG: return tp_lang_find(v) >= 0 ? NULL : f->msg;
	case B_TZ: return tp_tz_valid(v) ? NULL : f->msg;
	default:
		return strcmp(v, "0") == 0 || strcmp(v, "1") == 0 ? NULL
		                                                  : f->msg;
	}
}

/* The stored social links (a JSON object) as one string per name. */
static void social_parse(tp_req *r, const char *json, const char **out)
{
	json_object *o = json_tokener_parse(json), *x;
	for (size_t i = 0; social_names[i] != NULL; i++) {
		out[i] = "";
		if (o != NULL && json_object_is_type(o, json_type_object) &&
		    json_object_object_get_ex(o, social_names[i], &x) &&
		    json_object_is_type(x, json_type_string))
			out[i] = tp_strdup(r, json_object_get_string(x));
	}
	json_object_put(o);
}

/* What is stored: the links that are set, as a JSON object ("" if none). */
static const char *social_str(tp_req *r, const char *const *links)
{
	json_object *o = json_object_new_object();
	for (size_t i = 0; social_names[i] != NULL; i++)
		if (*links[i] != '\0')
			add_str(o, social_names[i], links[i]);
	const char *s =
	    json_object_object_length(o) == 0
	        ? ""
	        : tp_strdup(r, json_object_to_json_string_ext(
	                           o, JSON_C_TO_STRING_PLAIN |
	                                  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return s;
}

/* The social links the request sets: social[NAME] form fields or the JSON
 * body's "social": {"NAME": "https://..."}; over links. */
static tp_rc social_in(tp_req *r, const char **links)
{
	json_object *b = tp_body_json(r), *x;

	for (size_t i = 0; social_names[i] != NULL; i++) {
		const char *v =
		    tp_form(r, tp_printf(r, "social[%s]", social_names[i]));
		if (v != NULL)
			links[i] = v;
	}
	if (b != NULL && json_object_is_type(b, json_type_object) &&
	    json_object_object_get_ex(b, "social", &x) && x != NULL) {
		if (!json_object_is_type(x, json_type_object))
			return tp_fail(r, TP_EINVAL, "social",
			               _("social must be an object: "
			                 "{\"NAME\": \"https://...\"}"));
		json_object_object_foreach(x, k, val)
		{
			size_t i = 0;
			while (social_names[i] && strcmp(social_names[i], k))
				i++;
			if (social_names[i] == NULL)
				return tp_fail(
				    r, TP_EINVAL, "social",
				    _("the social links are facebook, "
				      "instagram, linkedin, x and "
				      "youtube"));
			if (!json_object_is_type(val, json_type_string))
				return tp_fail(r, TP_EINVAL,
				               tp_printf(r, "social[%s]", k),
				               _("a link must be a string"));
			links[i] = tp_strdup(r, json_object_get_string(val));
		}
	}
	for (size_t i = 0; social_names[i] != NULL; i++)
		if (*links[i] != '\0' && !url_ok(links[i], false))
			return tp_fail(
			    r, TP_EINVAL,
			    tp_printf(r, "social[%s]", social_names[i]),
			    _("Enter an https:// address, or nothing."));
	return TP_OK;
}

/* The brand page's data: settings from vals (NBF strings), links, hosts. */
static tp_rc brand_fill_from(tp_req *r, const char *const *vals,
                             const char *const *links, int64_t version)
{
	json_object *v = tp_view(r), *social = json_object_new_object(),
	            *choices = json_object_new_array(),
	            *hosts = json_object_new_array();
	tp_rows *rs;
	char here[256];

	for (size_t i = 0; i < NBF; i++)
		if (bfields[i].kind == B_FLAG)
			add_bool(v, bfields[i].name, strcmp(vals[i], "1") == 0);
		else
			add_str(v, bfields[i].name, vals[i]);
	/* for the form's select */
	add_bool(v, "customers_first",
	         strcmp(vals[BF_LOGIN_FIRST], "customer") == 0);
	json_object_object_add(v, "languages",
	                       tp_lang_choices(vals[NBF - 2], NULL));
	json_object_object_add(v, "time_zones",
	                       tp_tz_choices(vals[NBF - 1], NULL));
	add_int(v, "terms_version", version);
	for (size_t i = 0; social_names[i] != NULL; i++) {
		json_object *o = json_object_new_object();
		if (*links[i] != '\0')
			add_str(social, social_names[i], links[i]);
		add_str(o, "name", social_names[i]);
		add_str(o, "label", social_labels[i]);
		add_str(o, "url", links[i]);
		json_object_array_add(choices, o);
	}
	json_object_object_add(v, "social", social);
	json_object_object_add(v, "social_links", choices);
	json_object_object_add(v, "hosts", hosts);
	tp_rc rc =
	    tp_db_query(tp_req_db(r), r, &rs,
	                "SELECT host FROM tenant_hosts WHERE tenant_id = "
	                "? ORDER BY host",
	                "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_host_normalize(r->host, here, sizeof(here)) < 0)
		here[0] = '\0';
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *o = json_object_new_object();
		add_str(o, "host", tp_rows_get(rs, i, 0));
		add_bool(o, "current",
		         strcmp(tp_rows_get(rs, i, 0), here) == 0);
		json_object_array_add(hosts, o);
	}
	add_str(v, "slug", r->tenant->slug);
	add_int(v, "id", (int64_t)tp_tenant_id(r));
	add_str(v, "csrf_token", r->viewer->csrf);
	tp_view_title(r, _("Brand settings"));
	return TP_OK;
}

/* The stored settings: vals[NBF], links, terms version. */
static tp_rc brand_load(tp_req *r, bool lock, const char **vals,
                        const char **links, int64_t *version)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    lock ? "SELECT " BRAND_COLS "FROM tenants WHERE id = ? FOR UPDATE"
	         : "SELECT " BRAND_COLS "FROM tenants WHERE id = ?",
	    "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	for (size_t i = 0; i < NBF; i++)
		vals[i] = tp_rows_get(rs, 0, (unsigned)i);
	social_parse(r, tp_rows_get(rs, 0, NBF), links);
	*version = tp_rows_i64(rs, 0, NBF + 1);
	return TP_OK;
}

static tp_rc brand_fill(tp_req *r, int64_t id)
{
	const char *vals[NBF], *links[8];
	int64_t version;
	(void)id;
	tp_rc rc = brand_load(r, false, vals, links, &version);
	return rc == TP_OK ? brand_fill_from(r, vals, links, version) : rc;
}

static tp_rc brand_show(tp_req *r)
{
	tp_rc rc = brand_fill(r, 0);
	if (rc == TP_OK && tp_query(r, "saved") != NULL)
		add_bool(tp_view(r), "saved", true);
	return rc;
}

/* The form again with what was sent (HTML); rc was recorded by tp_fail. */
static tp_rc brand_again(tp_req *r, const char **vals, const char **links,
                         int64_t version, tp_rc rc)
{
	if (!tp_wants_json(r))
		brand_fill_from(r, vals, links, version);
	return rc;
}

/* Audit detail: each changed field, from and to (long texts: sizes). */
static void changed(json_object *d, const struct bfield *f, const char *from,
                    const char *to)
{
	json_object *o = json_object_new_object();
	if (f != NULL && (f->kind == B_CSS || f->kind == B_STYLE)) {
		add_int(o, "from_bytes", (int64_t)strlen(from));
		add_int(o, "to_bytes", (int64_t)strlen(to));
	} else {
		add_str(o, "from", from);
		add_str(o, "to", to);
	}
	json_object_object_add(d, f ? f->name : "social", o);
}

/* POST /admin/brand: the fields sent are set, the others kept. */
static tp_rc brand_update(tp_req *r)
{
	const char *old[NBF], *vals[NBF], *oldl[8], *links[8];
	int64_t version;
	tp_db *db = tp_req_db(r);
	tp_rc rc = brand_load(r, false, old, oldl, &version);

	if (rc != TP_OK)
		return rc;
	memcpy(vals, old, sizeof(vals));
	memcpy(links, oldl, sizeof(links));
	for (size_t i = 0; i < NBF; i++) {
		const char *s;
		if ((rc = in_str(r, bfields[i].name, &s)) != TP_OK)
			return brand_again(r, vals, links, version, rc);
		if (s == NULL)
			continue;
		vals[i] = s;
		char *bnorm = NULL;
		if (bfields[i].kind == B_BASE_URL &&
		    tp_base_url_bad(s, &bnorm) == NULL) {
			vals[i] = tp_strdup(r, bnorm);
			free(bnorm);
		}
		if (bfields[i].kind == B_COLOUR && colour_ok(s)) {
			char *low = tp_strdup(r, s);
			for (char *p = low; *p; p++)
				if (*p >= 'A' && *p <= 'F')
					*p = (char)(*p + 32);
			vals[i] = low;
		}
		if (bfields[i].kind == B_HOSTS) {
			const char *norm = hosts_norm(r, s);
			if (norm == NULL)
				return brand_again(r, vals, links, version,
				                   tp_fail(r, TP_EINVAL,
				                           "asset_hosts", "%s",
				                           bfields[i].msg));
			vals[i] = norm;
		}
		const char *why = bfield_bad(&bfields[i], vals[i]);
		if (why == NULL && bfields[i].kind == B_STYLE &&
		    css_reaches_out(r, vals[i]))
			why = N_("Custom CSS may not @import, nor load a url() "
			         "or image from another address: use a path on "
			         "this site, such as url(/static/img/bg.png).");
		if (why != NULL)
			return brand_again(r, vals, links, version,
			                   tp_fail(r, TP_EINVAL,
			                           bfields[i].name, "%s",
			                           tp_tr(why)));
	}
	if ((rc = social_in(r, links)) != TP_OK)
		return brand_again(r, vals, links, version, rc);

	json_object *d = json_object_new_object();
	for (size_t i = 0; i < NBF; i++)
		if (strcmp(old[i], vals[i]) != 0)
			changed(d, &bfields[i], old[i], vals[i]);
	const char *social = social_str(r, links);
	const char *old_social = social_str(r, oldl);
	if (strcmp(social, old_social) != 0)
		changed(d, NULL, old_social, social);
	/* a changed text is new terms: everyone accepts again */
	bool bump = strcmp(old[10], vals[10]) != 0;
	bool terms = bump || strcmp(old[9], vals[9]) != 0;
	if (json_object_object_length(d) == 0) {
		json_object_put(d);
		return done(r, "/admin/brand?saved=1", brand_fill, 0, 0);
	}
	if (bump)
		add_int(d, "terms_version", version + 1);
	rc = tp_db_begin(db);
	if (rc == TP_OK)
		rc = tp_db_exec(
		    db, NULL,
		    "UPDATE tenants SET name = ?, logo_url = NULLIF(?, ''), "
		    "color_primary = ?, color_accent = ?, custom_css = "
		    "NULLIF(?, ''), support_phone = NULLIF(?, ''), "
		    "support_email = NULLIF(?, ''), support_address = "
		    "NULLIF(?, ''), payment_address = NULLIF(?, ''), "
		    "terms_required = ?, terms_text = NULLIF(?, ''), "
		    "asset_hosts = NULLIF(?, ''), base_url = NULLIF(?, ''), "
		    "favicon_url = NULLIF(?, ''), other_address = NULLIF(?, "
		    "''), login_first = ?, csv_plain = ?, language = ?, "
		    "time_zone = ?, social = NULLIF(?, ''), terms_version = "
		    "terms_version + ? WHERE id = ?",
		    "sssssssssissssssisssiI", vals[0], vals[1], vals[2],
		    vals[3], vals[4], vals[5], vals[6], vals[7], vals[8],
		    strcmp(vals[9], "1") == 0, vals[10], vals[11], vals[12],
		    vals[13], vals[14], vals[15], strcmp(vals[16], "1") == 0,
		    vals[17], vals[18], social, bump ? 1 : 0,
		    (int64_t)tp_tenant_id(r));
	if (rc != TP_OK) {
		json_object_put(d);
		return rollback(r, rc);
	}
	audit(r, "brand.update", "tenant", tp_tenant_id(r), d);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	tp_brand_cache_expire(r->thread);
	if (terms)
		uncache(r, sessions_of_brand, tp_tenant_id(r));
	tp_log(TP_LOG_INFO, "TP1102",
	       "brand %llu settings changed by user %llu",
	       (unsigned long long)tp_tenant_id(r),
	       (unsigned long long)r->viewer->user_id);
	return done(r, "/admin/brand?saved=1", brand_fill, 0, 0);
}

/* The host field, normalised as the resolver looks hosts up (brand.c). */
static tp_rc host_in(tp_req *r, char *out, size_t outlen)
{
	const char *h;
	tp_rc rc = in_str(r, "host", &h);

	if (rc != TP_OK)
		return rc;
	if (h == NULL || tp_host_normalize(h, out, outlen) < 0 ||
	    out[0] == '.' || out[0] == '-')
		return tp_fail(
		    r, TP_EINVAL, "host",
		    _("Enter a host name such as portal.example.com."));
	return TP_OK;
}

static tp_rc host_again(tp_req *r, tp_rc rc)
{
	if (!tp_wants_json(r) && rc == TP_EINVAL)
		brand_fill(r, 0);
	return rc;
}

/* POST /admin/brand/hosts: one more host name for the brand. */
static tp_rc host_add(tp_req *r)
{
	char host[256];
	tp_rows *rs;
	tp_db *db = tp_req_db(r);
	tp_rc rc = host_in(r, host, sizeof(host));

	if (rc != TP_OK)
		return host_again(r, rc);
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_query(db, r, &rs,
	                 "SELECT tenant_id FROM tenant_hosts WHERE host = ? "
	                 "FOR UPDATE",
	                 "s", host);
	if (rc != TP_OK)
		return rollback(r, rc);
	/* another brand's host is taken, never named: brands are private */
	if (tp_rows_count(rs) > 0)
		return rollback(r, tp_fail(r, TP_ECONFLICT, "host",
		                           _("The host %s is taken."), host));
	rc = tp_db_exec(db, NULL,
	                "INSERT INTO tenant_hosts (host, tenant_id) VALUES (?, "
	                "?)",
	                "sI", host, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rollback(r,
		                rc == TP_ECONFLICT
		                    ? tp_fail(r, rc, "host",
		                              _("The host %s is taken."), host)
		                    : rc);
	json_object *d = json_object_new_object();
	add_str(d, "host", host);
	audit(r, "brand.host.add", "tenant", tp_tenant_id(r), d);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	tp_brand_cache_expire(r->thread);
	return done(r, "/admin/brand?saved=1#hosts", brand_fill, 0, 201);
}

/* POST /admin/brand/hosts/remove: never the host this request came on
 * (the operator would cut the branch it sits on), never the last. */
static tp_rc host_remove(tp_req *r)
{
	char host[256], here[256];
	tp_rows *rs;
	tp_db *db = tp_req_db(r);
	tp_rc rc = host_in(r, host, sizeof(host));
	bool mine = false;

	if (rc != TP_OK)
		return host_again(r, rc);
	if (tp_host_normalize(r->host, here, sizeof(here)) == 0 &&
	    strcmp(here, host) == 0)
		return host_again(
		    r, tp_fail(r, TP_EINVAL, "host",
		               _("You are using %s now; remove it from another "
		                 "of the brand's host names."),
		               host));
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_query(db, r, &rs,
	                 "SELECT host FROM tenant_hosts WHERE tenant_id = ? "
	                 "FOR UPDATE",
	                 "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rollback(r, rc);
	for (size_t i = 0; i < tp_rows_count(rs); i++)
		mine |= strcmp(tp_rows_get(rs, i, 0), host) == 0;
	if (!mine || tp_rows_count(rs) < 2) {
		tp_db_rollback(db);
		return host_again(
		    r, tp_fail(
		           r, TP_EINVAL, "host", "%s",
		           !mine ? _("That is not one of the brand's host "
		                     "names.")
		                 : _("A brand keeps at least one host name.")));
	}
	rc = tp_db_exec(db, NULL,
	                "DELETE FROM tenant_hosts WHERE host = ? AND "
	                "tenant_id = ?",
	                "sI", host, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rollback(r, rc);
	json_object *d = json_object_new_object();
	add_str(d, "host", host);
	audit(r, "brand.host.remove", "tenant", tp_tenant_id(r), d);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	tp_brand_cache_expire(r->thread);
	return done(r, "/admin/brand?saved=1#hosts", brand_fill, 0, 0);
}

/* GET /brand.css: the brand's colours as the variables tierport.css uses,
 * then its custom CSS. Its own route keeps custom CSS out of the HTML
 * (the CSP allows no inline style); read afresh, cached a minute. */
static tp_rc brand_css(tp_req *r)
{
	tp_rows *rs;
	tp_rc rc =
	    tp_db_query(tp_req_db(r), r, &rs,
	                "SELECT color_primary, color_accent, "
	                "IFNULL(custom_css, '') FROM tenants WHERE id = ?",
	                "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	const char *p = tp_rows_get(rs, 0, 0), *a = tp_rows_get(rs, 0, 1);
	const char *css = tp_rows_get(rs, 0, 2);
	tp_set_header(r, "Cache-Control", "public, max-age=60");
	if ((rc = tp_stream_begin(r, "text/css; charset=utf-8", NULL)) != TP_OK)
		return rc;
	/* written by this file only, checked again: never a way out of the
	 * declaration */
	tp_stream_printf(r, ":root {\n");
	if (colour_ok(p))
		tp_stream_printf(r, "\t--tp-brand: %s;\n", p);
	if (colour_ok(a))
		tp_stream_printf(r, "\t--tp-accent: %s;\n", a);
	tp_stream_printf(r, "}\n");
	return tp_stream_write(r, css, strlen(css));
}

/* ------------------------------------------------------------------ */
/* the overview                                                         */

static const char plan_mods_sql[] =
    "SELECT module FROM plan_modules WHERE plan_id = ? ORDER BY module";

static tp_rc admin_home(tp_req *r)
{
	json_object *v = tp_view(r), *plan = json_object_new_object();
	tp_rows *rs;
	mod_set mods;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT p.id, p.name FROM tenants t JOIN plans "
	                       "p ON p.id = t.plan_id WHERE t.id = ?",
	                       "I", (int64_t)tp_tenant_id(r));

	json_object_object_add(v, "plan", plan);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	if ((rc = mods_load(r, &mods, plan_mods_sql, tp_rows_i64(rs, 0, 0))) !=
	    TP_OK)
		return rc;
	add_int(plan, "id", tp_rows_i64(rs, 0, 0));
	add_str(plan, "name", tp_rows_get(rs, 0, 1));
	json_object_object_add(plan, "modules", mods_json(&mods));
	add_int(v, "brand_id", (int64_t)tp_tenant_id(r));
	add_str(v, "brand_name", r->tenant->name);
	add_str(v, "slug", r->tenant->slug);
	add_bool(v, "platform", tp_scope_is_platform(r));
	tp_view_title(r, _("Admin"));
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* tiers                                                                */

#define TIER_COLS                                                              \
	"t.id, t.name, t.rank_no, t.points_threshold, t.support_level, "       \
	"(SELECT COUNT(*) FROM partners p WHERE p.tier_id = t.id), "           \
	"(SELECT IFNULL(GROUP_CONCAT(tm.module ORDER BY tm.module), '') "      \
	"FROM tier_modules tm WHERE tm.tier_id = t.id) "

/* "a,b" (GROUP_CONCAT) as a JSON array */
static json_object *list_json(tp_req *r, const char *s)
{
	json_object *a = json_object_new_array();
	char *list = tp_strdup(r, s), *save = NULL;
	for (char *t = strtok_r(list, ",", &save); t != NULL;
	     t = strtok_r(NULL, ",", &save))
		json_object_array_add(a, json_object_new_string(t));
	return a;
}

static json_object *tier_json(tp_req *r, const tp_rows *rs, size_t i)
{
	json_object *o = json_object_new_object();

	add_int(o, "id", tp_rows_i64(rs, i, 0));
	add_str(o, "name", tp_rows_get(rs, i, 1));
	add_int(o, "rank", tp_rows_i64(rs, i, 2));
	add_int(o, "points_threshold", tp_rows_i64(rs, i, 3));
	add_str(o, "support_level", tp_rows_get(rs, i, 4));
	add_int(o, "partners", tp_rows_i64(rs, i, 5));
	json_object_object_add(o, "modules",
	                       list_json(r, tp_rows_get(rs, i, 6)));
	return o;
}

/* The brand's plan's modules: what a tier may enable. */
static tp_rc brand_plan_mods(tp_req *r, mod_set *out)
{
	return mods_load(r, out,
	                 "SELECT pm.module FROM plan_modules pm JOIN tenants t "
	                 "ON t.plan_id = pm.plan_id WHERE t.id = ? ORDER BY "
	                 "pm.module",
	                 (int64_t)tp_tenant_id(r));
}

static json_object *levels_json(const char *current)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; support_levels[i] != NULL; i++) {
		json_object *o = json_object_new_object();
		add_str(o, "name", support_levels[i]);
		add_bool(o, "selected",
		         current != NULL &&
		             strcmp(current, support_levels[i]) == 0);
		json_object_array_add(a, o);
	}
	return a;
}

static tp_rc tiers_fill(tp_req *r, int64_t unused)
{
	json_object *v = tp_view(r), *list = json_object_new_array();
	tp_rows *rs;
	mod_set plan, none = {0};
	(void)unused;
	json_object_object_add(v, "tiers", list);
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT " TIER_COLS "FROM tiers t WHERE "
	                       "t.tenant_id = ? ORDER BY t.rank_no, t.id",
	                       "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK || (rc = brand_plan_mods(r, &plan)) != TP_OK)
		return rc;
	for (size_t i = 0; i < tp_rows_count(rs); i++)
		json_object_array_add(list, tier_json(r, rs, i));
	json_object_object_add(v, "plan_modules", mods_json(&plan));
	json_object_object_add(v, "module_choices", mods_choices(&plan, &none));
	json_object_object_add(v, "support_levels", levels_json("standard"));
	add_str(v, "csrf_token", r->viewer->csrf);
	tp_view_title(r, _("Tiers"));
	return TP_OK;
}

static tp_rc tiers_list(tp_req *r)
{
	return tiers_fill(r, 0);
}

static tp_rc tier_fill(tp_req *r, int64_t id)
{
	json_object *v = tp_view(r);
	tp_rows *rs;
	mod_set plan, on;
	tp_rc rc =
	    tp_db_query(tp_req_db(r), r, &rs,
	                "SELECT " TIER_COLS "FROM tiers t WHERE t.id = ? "
	                "AND t.tenant_id = ?",
	                "II", id, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	if ((rc = brand_plan_mods(r, &plan)) != TP_OK ||
	    (rc = mods_load(r, &on,
	                    "SELECT module FROM tier_modules WHERE tier_id = ? "
	                    "ORDER BY module",
	                    id)) != TP_OK)
		return rc;
	json_object_object_add(v, "tier", tier_json(r, rs, 0));
	json_object_object_add(v, "plan_modules", mods_json(&plan));
	json_object_object_add(v, "module_choices", mods_choices(&plan, &on));
	json_object_object_add(v, "support_levels",
	                       levels_json(tp_rows_get(rs, 0, 4)));
	add_str(v, "csrf_token", r->viewer->csrf);
	tp_view_title(r, tp_printf(r, _("Tier %s"), tp_rows_get(rs, 0, 1)));
	return TP_OK;
}

static int64_t tier_param(tp_req *r)
{
	int64_t id = 0;
	tp_parse_i64(tp_param(r, "tier"), &id); /* checked by the core */
	return id;
}

static tp_rc tier_show(tp_req *r)
{
	tp_rc rc = tier_fill(r, tier_param(r));
	if (rc == TP_OK && tp_query(r, "saved") != NULL)
		add_bool(tp_view(r), "saved", true);
	return rc;
}

/* A tier as sent: every field optional (absent: kept, or the default). */
typedef struct tier_in {
	const char *name, *level;
	int64_t rank, points;
	bool has_rank, has_points, has_mods;
	mod_set mods;
} tier_in;

static tp_rc tier_read(tp_req *r, tier_in *t)
{
	tp_rc rc;
	mod_set plan;

	if ((rc = in_str(r, "name", &t->name)) != TP_OK ||
	    (rc = in_str(r, "support_level", &t->level)) != TP_OK ||
	    (rc = in_int(r, "rank", 0, RANK_MAX, &t->rank, &t->has_rank)) !=
	        TP_OK ||
	    (rc = in_int(r, "points_threshold", 0, POINTS_MAX, &t->points,
	                 &t->has_points)) != TP_OK ||
	    (rc = mods_in(r, &t->mods, &t->has_mods)) != TP_OK)
		return rc;
	if (t->name != NULL &&
	    (*t->name == '\0' || text_bad(t->name, 32, false) != NULL))
		return tp_fail(
		    r, TP_EINVAL, "name",
		    _("Enter a tier name of at most 32 characters."));
	if (t->level != NULL && !one_of(t->level, support_levels))
		return tp_fail(r, TP_EINVAL, "support_level",
		               _("The support level is standard, priority or "
		                 "dedicated."));
	if (!t->has_mods)
		return TP_OK;
	if ((rc = brand_plan_mods(r, &plan)) != TP_OK)
		return rc;
	for (size_t i = 0; i < t->mods.n; i++)
		if (!mods_has(&plan, t->mods.m[i]))
			return tp_fail(
			    r, TP_EINVAL, "modules",
			    _("The brand's plan has no module %s; a "
			      "tier enables only modules of the plan."),
			    t->mods.m[i]);
	return TP_OK;
}

static const char tier_mods_del[] =
    "DELETE FROM tier_modules WHERE tier_id = ?";
static const char tier_mods_ins[] =
    "INSERT INTO tier_modules (tier_id, module) VALUES (?, ?)";

/* Is name taken by another tier of the brand (id: the one being changed)? */
static tp_rc tier_name_free(tp_req *r, const char *name, int64_t id)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT 1 FROM tiers WHERE tenant_id = ? AND "
	                       "name = ? AND id <> ?",
	                       "IsI", (int64_t)tp_tenant_id(r), name, id);
	if (rc != TP_OK)
		return rc;
	return tp_rows_count(rs) == 0
	           ? TP_OK
	           : tp_fail(r, TP_ECONFLICT, "name",
	                     _("There is a tier called %s already."), name);
}

static tp_rc tier_create_again(tp_req *r, tp_rc rc)
{
	if (!tp_wants_json(r) && rc == TP_EINVAL)
		tiers_fill(r, 0);
	return rc;
}

/* POST /admin/tiers */
/* tier.changed, in the caller's transaction: change is "created",
 * "updated" or "deleted"; detail (the audit's, borrowed) says what. */
static tp_rc tier_event(tp_req *r, int64_t id, const char *change,
                        json_object *detail)
{
	json_object *ev = json_object_new_object();
	json_object_object_add(ev, "tier_id", json_object_new_int64(id));
	json_object_object_add(ev, "change", json_object_new_string(change));
	json_object_object_add(ev, "detail", json_object_get(detail));
	return tp_event_emit(r, "tier.changed", 0, 0, ev);
}

static tp_rc tier_create(tp_req *r)
{
	tier_in t = {0};
	tp_db *db = tp_req_db(r);
	tp_rc rc = tier_read(r, &t);

	if (rc != TP_OK)
		return tier_create_again(r, rc);
	if (t.name == NULL)
		return tier_create_again(
		    r, tp_fail(r, TP_EINVAL, "name", _("Enter a tier name.")));
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	if ((rc = tier_name_free(r, t.name, 0)) != TP_OK)
		return rollback(r, rc);
	rc = tp_db_exec(
	    db, NULL,
	    "INSERT INTO tiers (tenant_id, name, rank_no, points_threshold, "
	    "support_level) SELECT ?, ?, IF(?, ?, IFNULL(MAX(rank_no), 0) + "
	    "1), ?, ? FROM tiers WHERE tenant_id = ?",
	    "IsiIIsI", (int64_t)tp_tenant_id(r), t.name, t.has_rank ? 1 : 0,
	    t.rank, t.points, t.level ? t.level : "standard",
	    (int64_t)tp_tenant_id(r));
	int64_t id = (int64_t)tp_db_last_id(db);
	if (rc == TP_OK)
		rc = mods_store(r, tier_mods_del, tier_mods_ins, id, &t.mods);
	if (rc != TP_OK)
		return rollback(r, rc);
	json_object *d = json_object_new_object();
	add_str(d, "name", t.name);
	json_object_object_add(d, "modules", mods_json(&t.mods));
	if ((rc = tier_event(r, id, "created", d)) != TP_OK) {
		json_object_put(d);
		return rollback(r, rc);
	}
	audit(r, "tier.create", "tier", (uint64_t)id, d);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	return done(r, tp_printf(r, "/admin/tiers/%lld?saved=1", (long long)id),
	            tier_fill, id, 201);
}

static tp_rc tier_update_again(tp_req *r, int64_t id, tp_rc rc)
{
	if (!tp_wants_json(r) && rc == TP_EINVAL)
		tier_fill(r, id);
	return rc;
}

/* POST /admin/tiers/{tier}: the fields sent are set, the others kept. A
 * change of modules binds every signed-in user of the brand at once. */
static tp_rc tier_update(tp_req *r)
{
	int64_t id = tier_param(r);
	tier_in t = {0};
	mod_set before;
	tp_rows *rs;
	tp_db *db = tp_req_db(r);
	tp_rc rc = tier_read(r, &t);

	if (rc != TP_OK)
		return tier_update_again(r, id, rc);
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_query(db, r, &rs,
	                 "SELECT name, rank_no, points_threshold, "
	                 "support_level FROM tiers WHERE id = ? AND tenant_id "
	                 "= ? FOR UPDATE",
	                 "II", id, (int64_t)tp_tenant_id(r));
	if (rc == TP_OK && tp_rows_count(rs) == 0)
		rc = tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	if (rc == TP_OK && t.name != NULL)
		rc = tier_name_free(r, t.name, id);
	if (rc == TP_OK)
		rc =
		    mods_load(r, &before,
		              "SELECT module FROM tier_modules WHERE tier_id = "
		              "? ORDER BY module",
		              id);
	if (rc != TP_OK)
		return rollback(r, rc);
	json_object *d = json_object_new_object(), *x;
	const char *name = t.name ? t.name : tp_rows_get(rs, 0, 0);
	const char *level = t.level ? t.level : tp_rows_get(rs, 0, 3);
	int64_t rank = t.has_rank ? t.rank : tp_rows_i64(rs, 0, 1);
	int64_t points = t.has_points ? t.points : tp_rows_i64(rs, 0, 2);
	bool mods = t.has_mods && !mods_same(&before, &t.mods);
	if (strcmp(name, tp_rows_get(rs, 0, 0)) != 0)
		add_str(d, "name", name);
	if (strcmp(level, tp_rows_get(rs, 0, 3)) != 0)
		add_str(d, "support_level", level);
	if (rank != tp_rows_i64(rs, 0, 1))
		add_int(d, "rank", rank);
	if (points != tp_rows_i64(rs, 0, 2))
		add_int(d, "points_threshold", points);
	if (mods) {
		x = json_object_new_object();
		json_object_object_add(x, "from", mods_json(&before));
		json_object_object_add(x, "to", mods_json(&t.mods));
		json_object_object_add(d, "modules", x);
	}
	if (json_object_object_length(d) == 0) {
		json_object_put(d);
		tp_db_rollback(db); /* nothing to write */
		return done(
		    r, tp_printf(r, "/admin/tiers/%lld?saved=1", (long long)id),
		    tier_fill, id, 0);
	}
	rc = tp_db_exec(db, NULL,
	                "UPDATE tiers SET name = ?, rank_no = ?, "
	                "points_threshold = ?, support_level = ? WHERE id = ?",
	                "sIIsI", name, rank, points, level, id);
	if (rc == TP_OK && mods)
		rc = mods_store(r, tier_mods_del, tier_mods_ins, id, &t.mods);
	if (rc != TP_OK) {
		json_object_put(d);
		return rollback(r, rc);
	}
	if ((rc = tier_event(r, id, "updated", d)) != TP_OK) {
		json_object_put(d);
		return rollback(r, rc);
	}
	audit(r, "tier.update", "tier", (uint64_t)id, d);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	if (mods)
		uncache(r, sessions_of_brand, tp_tenant_id(r));
	return done(r, tp_printf(r, "/admin/tiers/%lld?saved=1", (long long)id),
	            tier_fill, id, 0);
}

/* POST /admin/tiers/{tier}/delete: only a tier no partner is on. */
static tp_rc tier_delete(tp_req *r)
{
	int64_t id = tier_param(r);
	tp_rows *rs;
	tp_db *db = tp_req_db(r);
	tp_rc rc = tp_db_begin(db);

	if (rc != TP_OK)
		return rc;
	rc = tp_db_query(db, r, &rs,
	                 "SELECT t.name, (SELECT COUNT(*) FROM partners p "
	                 "WHERE p.tier_id = t.id) FROM tiers t WHERE t.id = ? "
	                 "AND t.tenant_id = ? FOR UPDATE",
	                 "II", id, (int64_t)tp_tenant_id(r));
	if (rc == TP_OK && tp_rows_count(rs) == 0)
		rc = tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	if (rc == TP_OK && tp_rows_i64(rs, 0, 1) > 0)
		rc = tp_fail(r, TP_ECONFLICT, "tier",
		             _("%lld partners are on the tier %s; move them to "
		               "another tier first."),
		             (long long)tp_rows_i64(rs, 0, 1),
		             tp_rows_get(rs, 0, 0));
	if (rc == TP_OK)
		rc = tp_db_exec(db, NULL, tier_mods_del, "I", id);
	if (rc == TP_OK)
		rc = tp_db_exec(db, NULL, "DELETE FROM tiers WHERE id = ?", "I",
		                id);
	if (rc != TP_OK)
		return rollback(r, rc);
	json_object *d = json_object_new_object();
	add_str(d, "name", tp_rows_get(rs, 0, 0));
	if ((rc = tier_event(r, id, "deleted", d)) != TP_OK) {
		json_object_put(d);
		return rollback(r, rc);
	}
	audit(r, "tier.delete", "tier", (uint64_t)id, d);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	if (tp_wants_json(r)) {
		add_bool(tp_view(r), "deleted", true);
		return TP_OK;
	}
	return done(r, "/admin/tiers", tiers_fill, 0, 0);
}

/* ------------------------------------------------------------------ */
/* plans (platform)                                                     */

/* The loaded modules' names, and any of have's beyond them. */
static void mods_offer(tp_req *r, const mod_set *have, mod_set *out)
{
	tp_app *app = r->thread ? r->thread->app : NULL;

	out->n = 0;
	for (size_t i = 0; app != NULL && i < app->mods.n; i++)
		if (out->n < MODS_MAX)
			out->m[out->n++] = app->mods.mods[i].mod->name;
	for (size_t i = 0; i < have->n; i++)
		if (out->n < MODS_MAX && !mods_has(out, have->m[i]))
			out->m[out->n++] = have->m[i];
}

static tp_rc plans_fill(tp_req *r, int64_t unused)
{
	json_object *v = tp_view(r), *list = json_object_new_array();
	tp_rows *rs;
	mod_set none = {0}, offer;
	(void)unused;
	json_object_object_add(v, "plans", list);
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    "SELECT p.id, p.name, (SELECT IFNULL(GROUP_CONCAT(pm.module ORDER "
	    "BY pm.module), '') FROM plan_modules pm WHERE "
	    "pm.plan_id = p.id), (SELECT COUNT(*) FROM tenants t WHERE "
	    "t.plan_id = p.id) FROM plans p ORDER BY p.name LIMIT 500",
	    "");
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *o = json_object_new_object();
		add_int(o, "id", tp_rows_i64(rs, i, 0));
		add_str(o, "name", tp_rows_get(rs, i, 1));
		json_object_object_add(o, "modules",
		                       list_json(r, tp_rows_get(rs, i, 2)));
		add_int(o, "brands", tp_rows_i64(rs, i, 3));
		json_object_array_add(list, o);
	}
	mods_offer(r, &none, &offer);
	json_object_object_add(v, "module_choices",
	                       mods_choices(&offer, &none));
	add_str(v, "csrf_token", r->viewer->csrf);
	tp_view_title(r, _("Plans"));
	return TP_OK;
}

static tp_rc plans_list(tp_req *r)
{
	return plans_fill(r, 0);
}

static tp_rc plan_fill(tp_req *r, int64_t id)
{
	json_object *v = tp_view(r), *plan = json_object_new_object(),
	            *brands = json_object_new_array();
	tp_rows *rs;
	mod_set on, offer;

	json_object_object_add(v, "plan", plan);
	json_object_object_add(v, "brands", brands);
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT name FROM plans WHERE id = ?", "I", id);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	add_int(plan, "id", id);
	add_str(plan, "name", tp_rows_get(rs, 0, 0));
	if ((rc = mods_load(r, &on, plan_mods_sql, id)) != TP_OK)
		return rc;
	json_object_object_add(plan, "modules", mods_json(&on));
	mods_offer(r, &on, &offer);
	json_object_object_add(v, "module_choices", mods_choices(&offer, &on));
	rc = tp_db_query(tp_req_db(r), r, &rs,
	                 "SELECT id, slug, name FROM tenants WHERE plan_id = ? "
	                 "ORDER BY slug LIMIT 500",
	                 "I", id);
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *o = json_object_new_object();
		add_int(o, "id", tp_rows_i64(rs, i, 0));
		add_str(o, "slug", tp_rows_get(rs, i, 1));
		add_str(o, "name", tp_rows_get(rs, i, 2));
		json_object_array_add(brands, o);
	}
	add_str(v, "csrf_token", r->viewer->csrf);
	tp_view_title(r, tp_printf(r, _("Plan %s"), tp_rows_get(rs, 0, 0)));
	return TP_OK;
}

static int64_t id_param(tp_req *r, const char *name)
{
	int64_t id = 0;
	tp_parse_i64(tp_param(r, name), &id); /* checked by the core */
	return id;
}

static tp_rc plan_show(tp_req *r)
{
	tp_rc rc = plan_fill(r, id_param(r, "plan"));
	if (rc == TP_OK && tp_query(r, "saved") != NULL)
		add_bool(tp_view(r), "saved", true);
	return rc;
}

static tp_rc plan_name_in(tp_req *r, const char **name, int64_t id)
{
	tp_rows *rs;
	tp_rc rc = in_str(r, "name", name);

	if (rc != TP_OK || *name == NULL)
		return rc;
	if (**name == '\0' || text_bad(*name, 64, false) != NULL)
		return tp_fail(
		    r, TP_EINVAL, "name",
		    _("Enter a plan name of at most 64 characters."));
	rc = tp_db_query(tp_req_db(r), r, &rs,
	                 "SELECT 1 FROM plans WHERE name = ? AND id <> ?", "sI",
	                 *name, id);
	if (rc != TP_OK)
		return rc;
	return tp_rows_count(rs) == 0
	           ? TP_OK
	           : tp_fail(r, TP_ECONFLICT, "name",
	                     _("There is a plan called %s already."), *name);
}

static const char plan_mods_del[] =
    "DELETE FROM plan_modules WHERE plan_id = ?";
static const char plan_mods_ins[] =
    "INSERT INTO plan_modules (plan_id, module) VALUES (?, ?)";

/* POST /admin/plans */
static tp_rc plan_create(tp_req *r)
{
	const char *name;
	mod_set mods;
	bool sent;
	tp_db *db = tp_req_db(r);
	tp_rc rc = plan_name_in(r, &name, 0);

	if (rc == TP_OK)
		rc = mods_in(r, &mods, &sent);
	if (rc == TP_OK && name == NULL)
		rc = tp_fail(r, TP_EINVAL, "name", _("Enter a plan name."));
	if (rc != TP_OK) {
		if (!tp_wants_json(r) && rc == TP_EINVAL)
			plans_fill(r, 0);
		return rc;
	}
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_exec(db, NULL, "INSERT INTO plans (name) VALUES (?)", "s",
	                name);
	int64_t id = (int64_t)tp_db_last_id(db);
	if (rc == TP_OK)
		rc = mods_store(r, plan_mods_del, plan_mods_ins, id, &mods);
	if (rc != TP_OK)
		return rollback(r, rc == TP_ECONFLICT
		                       ? tp_fail(r, rc, "name",
		                                 _("There is a plan called %s "
		                                   "already."),
		                                 name)
		                       : rc);
	json_object *d = json_object_new_object();
	add_str(d, "name", name);
	json_object_object_add(d, "modules", mods_json(&mods));
	audit(r, "plan.create", "plan", (uint64_t)id, d);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	return done(r, tp_printf(r, "/admin/plans/%lld?saved=1", (long long)id),
	            plan_fill, id, 201);
}

/* POST /admin/plans/{plan}: rename, set the modules. A module the plan
 * loses leaves every tier of every brand on it, in the same transaction. */
static tp_rc plan_update(tp_req *r)
{
	int64_t id = id_param(r, "plan");
	const char *name;
	mod_set mods, before;
	bool sent;
	uint64_t cut = 0;
	tp_rows *rs;
	tp_db *db = tp_req_db(r);
	tp_rc rc = plan_name_in(r, &name, id);

	if (rc == TP_OK)
		rc = mods_in(r, &mods, &sent);
	if (rc != TP_OK) {
		if (!tp_wants_json(r) && rc == TP_EINVAL)
			plan_fill(r, id);
		return rc;
	}
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_query(db, r, &rs,
	                 "SELECT name FROM plans WHERE id = ? FOR UPDATE", "I",
	                 id);
	if (rc == TP_OK && tp_rows_count(rs) == 0)
		rc = tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	if (rc == TP_OK)
		rc = mods_load(r, &before, plan_mods_sql, id);
	if (rc != TP_OK)
		return rollback(r, rc);
	const char *old = tp_rows_get(rs, 0, 0);
	json_object *d = json_object_new_object();
	if (name != NULL && strcmp(name, old) != 0) {
		add_str(d, "name", name);
		rc = tp_db_exec(db, NULL,
		                "UPDATE plans SET name = ? WHERE id = ?", "sI",
		                name, id);
	}
	bool mods_changed = sent && !mods_same(&before, &mods);
	if (rc == TP_OK && mods_changed) {
		json_object *x = json_object_new_object();
		json_object_object_add(x, "from", mods_json(&before));
		json_object_object_add(x, "to", mods_json(&mods));
		json_object_object_add(d, "modules", x);
		rc = mods_store(r, plan_mods_del, plan_mods_ins, id, &mods);
		for (size_t i = 0; rc == TP_OK && i < before.n; i++) {
			uint64_t n = 0;
			if (mods_has(&mods, before.m[i]))
				continue;
			rc = tp_db_exec(
			    db, &n,
			    "DELETE tm FROM tier_modules tm JOIN tiers t ON "
			    "t.id = tm.tier_id JOIN tenants b ON b.id = "
			    "t.tenant_id WHERE b.plan_id = ? AND tm.module = ?",
			    "Is", id, before.m[i]);
			cut += n;
		}
	}
	if (mods_changed)
		add_int(d, "tier_modules_removed", (int64_t)cut);
	if (rc != TP_OK || json_object_object_length(d) == 0) {
		json_object_put(d);
		rollback(r, rc); /* failed, or nothing to write */
		return rc != TP_OK
		           ? rc
		           : done(r,
		                  tp_printf(r, "/admin/plans/%lld?saved=1",
		                            (long long)id),
		                  plan_fill, id, 0);
	}
	audit(r, "plan.update", "plan", (uint64_t)id, d);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	tp_brand_cache_expire(r->thread);
	if (mods_changed)
		uncache(r, sessions_of_plan, (uint64_t)id);
	return done(r, tp_printf(r, "/admin/plans/%lld?saved=1", (long long)id),
	            plan_fill, id, 0);
}

/* ------------------------------------------------------------------ */
/* brands (platform)                                                    */

#define BRAND_ROW                                                              \
	"t.id, t.slug, t.name, t.plan_id, p.name, t.status, t.is_platform, "   \
	"(SELECT IFNULL(GROUP_CONCAT(h.host ORDER BY h.host SEPARATOR ' '), "  \
	"'') FROM tenant_hosts h WHERE h.tenant_id = t.id) FROM tenants t "    \
	"JOIN plans p ON p.id = t.plan_id "

static json_object *brand_row_json(const tp_rows *rs, size_t i)
{
	json_object *o = json_object_new_object();
	add_int(o, "id", tp_rows_i64(rs, i, 0));
	add_str(o, "slug", tp_rows_get(rs, i, 1));
	add_str(o, "name", tp_rows_get(rs, i, 2));
	add_int(o, "plan_id", tp_rows_i64(rs, i, 3));
	add_str(o, "plan", tp_rows_get(rs, i, 4));
	add_str(o, "status", tp_rows_get(rs, i, 5));
	add_bool(o, "active", strcmp(tp_rows_get(rs, i, 5), "active") == 0);
	add_bool(o, "platform", tp_rows_i64(rs, i, 6) != 0);
	add_str(o, "hosts", tp_rows_get(rs, i, 7));
	return o;
}

/* Every plan, for a select; selected: the one with id sel. */
static tp_rc plan_options(tp_req *r, json_object *v, int64_t sel)
{
	json_object *a = json_object_new_array();
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT id, name FROM plans ORDER BY name LIMIT "
	                       "500",
	                       "");
	json_object_object_add(v, "plan_options", a);
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *o = json_object_new_object();
		add_int(o, "id", tp_rows_i64(rs, i, 0));
		add_str(o, "name", tp_rows_get(rs, i, 1));
		add_bool(o, "selected", tp_rows_i64(rs, i, 0) == sel);
		json_object_array_add(a, o);
	}
	return TP_OK;
}

static tp_rc brands_fill(tp_req *r, int64_t unused)
{
	json_object *v = tp_view(r), *list = json_object_new_array();
	tp_rows *rs;
	(void)unused;
	json_object_object_add(v, "brands", list);
	tp_rc rc =
	    tp_db_query(tp_req_db(r), r, &rs,
	                "SELECT " BRAND_ROW "ORDER BY t.slug LIMIT 500", "");
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; i < tp_rows_count(rs); i++)
		json_object_array_add(list, brand_row_json(rs, i));
	add_bool(v, "truncated", tp_rows_count(rs) == LIST_MAX);
	add_str(v, "csrf_token", r->viewer->csrf);
	tp_view_title(r, _("Brands"));
	return plan_options(r, v, 0);
}

static tp_rc brands_list(tp_req *r)
{
	return brands_fill(r, 0);
}

static tp_rc brand_admin_fill(tp_req *r, int64_t id)
{
	json_object *v = tp_view(r), *st = json_object_new_array();
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT " BRAND_ROW "WHERE t.id = ?", "I", id);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	json_object_object_add(v, "tenant", brand_row_json(rs, 0));
	for (size_t i = 0; brand_statuses[i] != NULL; i++) {
		json_object *o = json_object_new_object();
		add_str(o, "name", brand_statuses[i]);
		add_bool(o, "selected",
		         strcmp(brand_statuses[i], tp_rows_get(rs, 0, 5)) == 0);
		json_object_array_add(st, o);
	}
	json_object_object_add(v, "statuses", st);
	add_bool(v, "self", (uint64_t)id == tp_tenant_id(r));
	add_str(v, "csrf_token", r->viewer->csrf);
	tp_view_title(r, tp_printf(r, _("Brand %s"), tp_rows_get(rs, 0, 1)));
	return plan_options(r, v, tp_rows_i64(rs, 0, 3));
}

static tp_rc brand_admin_show(tp_req *r)
{
	tp_rc rc = brand_admin_fill(r, id_param(r, "brand"));
	if (rc == TP_OK && tp_query(r, "saved") != NULL)
		add_bool(tp_view(r), "saved", true);
	return rc;
}

/* The plan_id field: an existing plan's id, or 0 when absent. */
static tp_rc plan_id_in(tp_req *r, int64_t *id, char name[65])
{
	bool set;
	tp_rows *rs;
	tp_rc rc = in_int(r, "plan_id", 1, INT64_MAX, id, &set);

	if (rc != TP_OK || !set) {
		*id = 0;
		return rc;
	}
	rc = tp_db_query(tp_req_db(r), r, &rs,
	                 "SELECT name FROM plans WHERE id = ?", "I", *id);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_EINVAL, "plan_id",
		               _("There is no such plan."));
	snprintf(name, 65, "%s", tp_rows_get(rs, 0, 0));
	return TP_OK;
}

/* The field a message of tp_admin_brand_add is about. */
static const char *brand_add_field(const char *msg)
{
	static const char *const fields[] = {"slug", "host", "plan", "name",
	                                     NULL};
	for (size_t i = 0; fields[i] != NULL; i++)
		if (strstr(msg, fields[i]) != NULL)
			return fields[i];
	return NULL;
}

/* POST /admin/brands: slug, name, plan_id, one host; the rest of the
 * brand (tiers, groups) as tierportctl brand add makes it. */
static tp_rc brand_create(tp_req *r)
{
	const char *slug, *name, *host;
	char plan[65] = "", err[256];
	int64_t plan_id;
	uint64_t id = 0;
	tp_db *db = tp_req_db(r);
	tp_rc rc;

	if ((rc = in_str(r, "slug", &slug)) != TP_OK ||
	    (rc = in_str(r, "name", &name)) != TP_OK ||
	    (rc = in_str(r, "host", &host)) != TP_OK ||
	    (rc = plan_id_in(r, &plan_id, plan)) != TP_OK)
		goto bad;
	if (plan_id == 0) {
		rc = tp_fail(r, TP_EINVAL, "plan_id", _("Choose a plan."));
		goto bad;
	}
	if (name != NULL && text_bad(name, 128, false) != NULL) {
		rc = tp_fail(
		    r, TP_EINVAL, "name",
		    _("Enter the brand's name: at most 128 characters."));
		goto bad;
	}
	const char *hosts[] = {host, NULL}, *none[] = {NULL};
	tp_brand_spec spec = {.slug = slug,
	                      .name = name,
	                      .plan = plan,
	                      .hosts = host ? hosts : none,
	                      .modules = none};
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_admin_brand_add(db, &spec, &id, err, sizeof(err));
	if (rc == TP_EINVAL || rc == TP_ECONFLICT) {
		tp_db_rollback(db);
		rc = tp_fail(r, rc, brand_add_field(err), "%s", err);
		goto bad;
	}
	if (rc != TP_OK)
		return rollback(r, rc);
	json_object *d = json_object_new_object();
	add_str(d, "slug", slug);
	add_str(d, "name", name);
	add_str(d, "plan", plan);
	add_str(d, "host", host);
	audit(r, "brand.create", "tenant", id, d);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	tp_brand_cache_expire(r->thread);
	tp_log(TP_LOG_INFO, "TP1103", "brand %s (%llu) created by user %llu",
	       slug, (unsigned long long)id,
	       (unsigned long long)r->viewer->user_id);
	return done(
	    r,
	    tp_printf(r, "/admin/brands/%llu?saved=1", (unsigned long long)id),
	    brand_admin_fill, (int64_t)id, 201);
bad:
	if (!tp_wants_json(r) && rc == TP_EINVAL)
		brands_fill(r, 0);
	return rc;
}

/* POST /admin/brands/{brand}: its plan and status. A new plan takes the
 * modules it lacks from the brand's tiers; the platform brand an operator
 * signs in to cannot disable itself. */
static tp_rc brand_admin_update(tp_req *r)
{
	int64_t id = id_param(r, "brand"), plan_id;
	char plan[65] = "";
	const char *status;
	uint64_t cut = 0;
	tp_rows *rs;
	tp_db *db = tp_req_db(r);
	tp_rc rc;

	if ((rc = plan_id_in(r, &plan_id, plan)) == TP_OK &&
	    (rc = in_str(r, "status", &status)) == TP_OK && status != NULL &&
	    !one_of(status, brand_statuses))
		rc = tp_fail(r, TP_EINVAL, "status",
		             _("The status is active or disabled."));
	if (rc == TP_OK && status != NULL && strcmp(status, "disabled") == 0 &&
	    (uint64_t)id == tp_tenant_id(r))
		rc = tp_fail(r, TP_EINVAL, "status",
		             _("You are signed in to this brand: it cannot "
		               "disable itself."));
	if (rc != TP_OK) {
		if (!tp_wants_json(r) && rc == TP_EINVAL)
			brand_admin_fill(r, id);
		return rc;
	}
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_query(db, r, &rs,
	                 "SELECT plan_id, status FROM tenants WHERE id = ? "
	                 "FOR UPDATE",
	                 "I", id);
	if (rc == TP_OK && tp_rows_count(rs) == 0)
		rc = tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	if (rc != TP_OK)
		return rollback(r, rc);
	json_object *d = json_object_new_object();
	if (plan_id != 0 && plan_id != tp_rows_i64(rs, 0, 0)) {
		add_str(d, "plan", plan);
		rc = tp_db_exec(db, NULL,
		                "UPDATE tenants SET plan_id = ? WHERE id = ?",
		                "II", plan_id, id);
		if (rc == TP_OK)
			rc = tp_db_exec(
			    db, &cut,
			    "DELETE tm FROM tier_modules tm JOIN tiers t ON "
			    "t.id = tm.tier_id WHERE t.tenant_id = ? AND "
			    "tm.module NOT IN (SELECT module FROM plan_modules "
			    "WHERE plan_id = ?)",
			    "II", id, plan_id);
		add_int(d, "tier_modules_removed", (int64_t)cut);
	}
	if (rc == TP_OK && status != NULL &&
	    strcmp(status, tp_rows_get(rs, 0, 1)) != 0) {
		add_str(d, "status", status);
		rc = tp_db_exec(db, NULL,
		                "UPDATE tenants SET status = ? WHERE id = ?",
		                "sI", status, id);
	}
	if (rc != TP_OK || json_object_object_length(d) == 0) {
		json_object_put(d);
		rollback(r, rc); /* failed, or nothing to write */
		return rc != TP_OK
		           ? rc
		           : done(r,
		                  tp_printf(r, "/admin/brands/%lld?saved=1",
		                            (long long)id),
		                  brand_admin_fill, id, 0);
	}
	audit(r, "brand.admin.update", "tenant", (uint64_t)id, d);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	tp_brand_cache_expire(r->thread);
	uncache(r, sessions_of_brand, (uint64_t)id);
	tp_log(TP_LOG_INFO, "TP1104", "brand %lld changed by user %llu",
	       (long long)id, (unsigned long long)r->viewer->user_id);
	return done(r,
	            tp_printf(r, "/admin/brands/%lld?saved=1", (long long)id),
	            brand_admin_fill, id, 0);
}

/* ------------------------------------------------------------------ */
/* the routes                                                           */

static const tp_param_scope tier_scope[] = {
    {.param = "tier", .kind = TP_SCOPE_TIER}, {0}};
static const tp_param_scope plan_scope[] = {
    {.param = "plan", .kind = TP_SCOPE_PLAN}, {0}};
static const tp_param_scope brand_scope[] = {
    {.param = "brand", .kind = TP_SCOPE_BRAND}, {0}};

#define OP  TP_ROUTE_OPERATOR
#define PLT (TP_ROUTE_OPERATOR | TP_ROUTE_PLATFORM)
/* every admin page: area "brand" */
#define ADMIN(m, p, h, rt, t, f, s)                                            \
	{                                                                      \
		.methods = m, .path = p, .handler = h, .area = "brand",        \
		.right = rt, .tmpl = t, .flags = f, .scopes = s                \
	}

static const tp_route brand_admin_routes[] = {
    ADMIN(TP_GET, "/admin", admin_home, TP_RIGHT_VIEW, "admin.tpl", OP, NULL),
    ADMIN(TP_GET, "/admin/brand", brand_show, TP_RIGHT_VIEW, "admin_brand.tpl",
          OP, NULL),
    ADMIN(TP_POST, "/admin/brand", brand_update, TP_RIGHT_UPDATE,
          "admin_brand.tpl", OP, NULL),
    ADMIN(TP_POST, "/admin/brand/hosts", host_add, TP_RIGHT_ADD,
          "admin_brand.tpl", OP, NULL),
    ADMIN(TP_POST, "/admin/brand/hosts/remove", host_remove, TP_RIGHT_DELETE,
          "admin_brand.tpl", OP, NULL),
    ADMIN(TP_GET, "/admin/tiers", tiers_list, TP_RIGHT_VIEW, "admin_tiers.tpl",
          OP, NULL),
    ADMIN(TP_POST, "/admin/tiers", tier_create, TP_RIGHT_ADD, "admin_tiers.tpl",
          OP, NULL),
    ADMIN(TP_GET, "/admin/tiers/{tier}", tier_show, TP_RIGHT_VIEW,
          "admin_tier.tpl", OP, tier_scope),
    ADMIN(TP_POST, "/admin/tiers/{tier}", tier_update, TP_RIGHT_UPDATE,
          "admin_tier.tpl", OP, tier_scope),
    ADMIN(TP_POST, "/admin/tiers/{tier}/delete", tier_delete, TP_RIGHT_DELETE,
          "admin_tier.tpl", OP, tier_scope),
    ADMIN(TP_GET, "/admin/plans", plans_list, TP_RIGHT_VIEW, "admin_plans.tpl",
          PLT, NULL),
    ADMIN(TP_POST, "/admin/plans", plan_create, TP_RIGHT_ADD, "admin_plans.tpl",
          PLT, NULL),
    ADMIN(TP_GET, "/admin/plans/{plan}", plan_show, TP_RIGHT_VIEW,
          "admin_plan.tpl", PLT, plan_scope),
    ADMIN(TP_POST, "/admin/plans/{plan}", plan_update, TP_RIGHT_UPDATE,
          "admin_plan.tpl", PLT, plan_scope),
    ADMIN(TP_GET, "/admin/brands", brands_list, TP_RIGHT_VIEW,
          "admin_brands.tpl", PLT, NULL),
    ADMIN(TP_POST, "/admin/brands", brand_create, TP_RIGHT_ADD,
          "admin_brands.tpl", PLT, NULL),
    ADMIN(TP_GET, "/admin/brands/{brand}", brand_admin_show, TP_RIGHT_VIEW,
          "admin_brand_edit.tpl", PLT, brand_scope),
    ADMIN(TP_POST, "/admin/brands/{brand}", brand_admin_update, TP_RIGHT_UPDATE,
          "admin_brand_edit.tpl", PLT, brand_scope),
    {.methods = TP_GET,
     .path = "/brand.css",
     .handler = brand_css,
     .flags = TP_ROUTE_PUBLIC | TP_ROUTE_HTML_ONLY | TP_ROUTE_STREAM},
    {0}};

tp_rc tp_brand_admin_routes_add(tp_router *rt)
{
	return tp_router_add_table(rt, brand_admin_routes);
}
