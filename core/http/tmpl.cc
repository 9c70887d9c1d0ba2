/*
 * tmpl.cc -- the only C++ in tierport: renders a json-c view model through
 * Google ctemplate for view.c. It never picks a status or writes a response,
 * and no C++ exception ever crosses back into C: every failure is -1 + err.
 *
 * How the json data becomes template data (the rules module authors write
 * templates against; the same rules apply at every nesting level):
 *
 *   key        upper-cased, anything outside [A-Za-z0-9_] becomes '_':
 *              "first-name" -> {{FIRST_NAME}}. Keys that are empty, longer
 *              than 64 bytes or start with a digit are skipped. View keys
 *              must still be names chosen by code, never user data such as
 *              ids: templates are written against fixed names.
 *   string     {{KEY}} (auto-escaped by the template's context)
 *   int        {{KEY}} as a decimal integer (int64 or uint64, exact)
 *   double     {{KEY}} printed with %.15g (money is never a double)
 *   bool       {{KEY}} is "true" / "false"
 *   null       no {{KEY}} value
 *   object     {{#KEY}}...{{/KEY}} shown once with the object's fields
 *   array      {{#KEY}}...{{/KEY}} repeated per element; an object element
 *              gives its fields, any other element is {{VALUE}} (itself
 *              following these rules: {{#VALUE}}, {{#VALUE_EMPTY}} ...)
 *
 * Truthiness, as in Mustache: a true bool, a non-zero number and a non-empty
 * string also show {{#KEY}}...{{/KEY}} once (inside it {{KEY}} still reads
 * the value). ctemplate has no inverted sections, so null, false, 0, "" and
 * an empty array show {{#KEY_EMPTY}}...{{/KEY_EMPTY}} instead. Sections see
 * the keys of the dictionaries around them (ctemplate's lookup), but a
 * key that a level has hides the same key of the levels around it,
 * whatever its value (Mustache's lookup): an option's "current": false is
 * not shown by a "current" object of the form around it. When two
 * keys give the same name ("a-b", "a_b"), the later one's value wins and
 * both add to the section, in key order.
 *
 * The data is never copied into a ctemplate::TemplateDictionary: JsonDict
 * implements ctemplate's TemplateDictionaryInterface straight over the json,
 * answering each lookup of the expansion by scanning the object's keys with
 * the rules above -- exactly what filling a TemplateDictionary used to give,
 * without hashing, registering and arena-copying every key and value of every
 * request (twice: include dictionaries do not inherit). The {{>CONTENT}}
 * include of the layout reads the same data through a second root JsonDict.
 * The layout's own keys (view.c) are laid over the top level as a short list
 * (tp_tmpl_render_vars) instead of being merged into a copy of the view.
 * Data nested deeper than 32 levels is refused, whether used or not. The
 * page is written into a per-thread buffer that the next render reuses.
 *
 * Every template rendered here must begin with {{%AUTOESCAPE context="HTML"}}
 * (a UTF-8 BOM and leading blanks are allowed): a file without it is refused,
 * since ctemplate would otherwise include it unescaped into an escaped
 * layout. Templates are loaded by absolute name into a per-thread ctemplate
 * cache (no lock shared between threads) with STRIP_BLANK_LINES and kept
 * for the life of the worker: a changed file is seen by the next worker
 * (SIGHUP).
 */
#include "config.h"

#include <ctemplate/template.h>
#include <ctemplate/template_dictionary_interface.h>
#include <ctemplate/template_emitter.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <unordered_set>

#include <fcntl.h>
#include <unistd.h>

/* http.h has no C++ guard of its own (tierport.h has); the bridge's
 * functions must keep C linkage. */
extern "C" {
#include "http/http.h"
}

using ctemplate::TemplateDictionaryInterface;
using ctemplate::TemplateString;

namespace
{

const ctemplate::Strip kStrip = ctemplate::STRIP_BLANK_LINES;
const int kMaxDepth = 32;
const size_t kMaxKey = 64;

struct render_error {
	std::string msg;
};

void set_err(char *err, size_t errlen, const std::string &msg)
{
	if (err == NULL || errlen == 0)
		return;
	snprintf(err, errlen, "%s", msg.c_str());
}

/* ------------------------------------------------------------------ */
/* template files                                                      */

/* Files checked for the AUTOESCAPE pragma and loaded into ctemplate's
 * cache, process-wide. Cleared with the template cache. */
std::mutex checked_mu;
std::unordered_set<std::string> checked;

/* The same, per thread, so a warm render takes no lock and allocates
 * nothing to find out; a clear bumps the generation and every thread's set
 * empties itself on its next render. */
std::atomic<unsigned> loaded_gen{0};

/* Each thread also has its own ctemplate cache: ctemplate's cache takes a
 * write lock twice per expansion (and twice more per include) to count
 * references, and 96 threads on one cache queue on that lock. A template
 * is parsed once per thread; the parse trees are small. */
struct loaded_set {
	unsigned gen = 0;
	std::unordered_set<std::string_view> names; /* into store */
	std::unordered_set<std::string> store;
	ctemplate::TemplateCache *cache = nullptr;
	~loaded_set()
	{
		delete cache;
	}
};
/* One set and cache per language: a template is translated when it is
 * loaded (tplmsg.c), so each language has its own parse of it. */
const int kMaxLangs = 8;
thread_local loaded_set loaded[kMaxLangs];

/* This thread's set and cache for the current language, emptied if a
 * clear happened since. */
loaded_set &current_set()
{
	int lang = tp_i18n_current();
	loaded_set &ls = loaded[lang >= 0 && lang < kMaxLangs ? lang : 0];
	unsigned gen = loaded_gen.load(std::memory_order_acquire);
	if (ls.gen != gen || ls.cache == nullptr) {
		ls.names.clear();
		ls.store.clear();
		delete ls.cache;
		ls.cache = new ctemplate::TemplateCache();
		ls.gen = gen;
	}
	return ls;
}

/* The pragma must come first; ctemplate would accept a template without it
 * and include it raw into an escaped layout. */
bool pragma_ok(const char *buf, size_t n)
{
	size_t i = 0;

	if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
	                 buf[i] == '\n'))
		i++;
	static const char prefix[] = "{{%AUTOESCAPE";
	if (n - i < sizeof(prefix) - 1 ||
	    memcmp(buf + i, prefix, sizeof(prefix) - 1) != 0)
		return false;
	const char *start = buf + i;
	const char *end =
	    static_cast<const char *>(memmem(start, n - i, "}}", 2));
	if (end == NULL)
		return false;
	const char *ctx = static_cast<const char *>(
	    memmem(start, (size_t)(end - start), "context=\"HTML\"", 14));
	return ctx != NULL;
}

void check_file(const char *file)
{
	{
		std::lock_guard<std::mutex> lk(checked_mu);
		if (checked.count(file) != 0)
			return;
	}
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		throw render_error{std::string("cannot open template ") + file +
		                   ": " + strerror(errno)};
	char buf[256];
	ssize_t n = read(fd, buf, sizeof(buf));
	int saved = errno;
	close(fd);
	if (n < 0)
		throw render_error{std::string("cannot read template ") + file +
		                   ": " + strerror(saved)};
	if (!pragma_ok(buf, (size_t)n))
		throw render_error{
		    std::string("template ") + file +
		    " does not start with {{%AUTOESCAPE context=\"HTML\"}}"};
	std::lock_guard<std::mutex> lk(checked_mu);
	checked.insert(file);
}

/* The text of file in the current language: each {{_}}...{{/_}} replaced
 * by its translation, or by the text as written when there is none (so an
 * English page is byte for byte the template). A translation that drops
 * or invents a {{marker}} is not used (TP1702). */
struct tr_state {
	std::string out;
	const char *file;
};

int tr_text(void *ud, const char *p, size_t n, unsigned)
{
	static_cast<tr_state *>(ud)->out.append(p, n);
	return 0;
}

int tr_msg(void *ud, const char *p, size_t n, unsigned line)
{
	tr_state *st = static_cast<tr_state *>(ud);
	if (tp_i18n_current() == 0) {
		st->out.append(p, n);
		return 0;
	}
	std::string id(n + 1, '\0');
	id.resize(tp_tplmsg_norm(p, n, &id[0]));
	const char *tr = tp_tr(id.c_str());
	if (tr == id.c_str() || strcmp(tr, id.c_str()) == 0) {
		st->out.append(p, n);
		return 0;
	}
	if (!tp_tplmsg_same_markers(id.c_str(), tr)) {
		tp_log(TP_LOG_WARN, "TP1702",
		       "%s:%u: the %s translation of \"%s\" changes its "
		       "{{markers}}: the English text is shown",
		       st->file, line, tp_i18n_code(), id.c_str());
		st->out.append(p, n);
		return 0;
	}
	st->out.append(tr);
	return 0;
}

std::string translated(const char *file)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		throw render_error{std::string("cannot open template ") + file +
		                   ": " + strerror(errno)};
	std::string raw;
	char buf[16384];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		raw.append(buf, (size_t)n);
	int saved = errno;
	close(fd);
	if (n < 0)
		throw render_error{std::string("cannot read template ") + file +
		                   ": " + strerror(saved)};
	tr_state st;
	st.file = file;
	st.out.reserve(raw.size());
	char err[160];
	if (tp_tplmsg_each(raw.data(), raw.size(), tr_text, tr_msg, &st, err,
	                   sizeof(err)) != 0)
		throw render_error{std::string("template ") + file + ": " +
		                   err};
	return st.out;
}

void load(const char *file)
{
	loaded_set &ls = current_set();
	if (ls.names.count(std::string_view(file)) != 0)
		return;
	check_file(file);
	/* once loaded, ctemplate keeps the text until the cache is cleared,
	 * so later renders need not ask again */
	std::string text = translated(file);
	if (!ls.cache->StringToTemplateCache(file, text.data(), text.size(),
	                                     kStrip))
		throw render_error{std::string("template ") + file +
		                   " does not parse (ctemplate's reason is on "
		                   "stderr)"};
	const std::string &kept = *ls.store.insert(file).first;
	ls.names.insert(std::string_view(kept));
}

/* ------------------------------------------------------------------ */
/* the json data, as ctemplate sees it                                 */

/* A key as the template spells it: upper-case, [A-Z0-9_]. A table,
 * since every lookup of a render maps key bytes through it. */
struct canon_table {
	char t[256];
	constexpr canon_table() : t()
	{
		for (int c = 0; c < 256; c++)
			t[c] =
			    c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A')
			    : (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
			        ? (char)c
			        : '_';
	}
};
constexpr canon_table kCanon;

inline char canon(char c)
{
	return kCanon.t[(unsigned char)c];
}

bool key_usable(const char *k)
{
	size_t n = strlen(k);
	return n > 0 && n <= kMaxKey && !(k[0] >= '0' && k[0] <= '9');
}

enum match { NO_MATCH, EXACT, EMPTY_OF };

/* The klen of a key still spelled as the json spells it; a key of the
 * indexed top level comes with its length, already in template spelling. */
const size_t kRawKey = (size_t)-1;

/* Whether json key k names n, or names the _EMPTY section n is for. */
inline match match_key(const char *k, size_t klen, const char *n, size_t len)
{
	size_t i = 0;

	if (len == 0 || (n[0] >= '0' && n[0] <= '9'))
		return NO_MATCH; /* no usable key starts with a digit */
	if (klen != kRawKey) {
		if (klen == len)
			return memcmp(k, n, len) == 0 ? EXACT : NO_MATCH;
		if (klen + 6 == len && memcmp(n + klen, "_EMPTY", 6) == 0 &&
		    memcmp(k, n, klen) == 0)
			return EMPTY_OF;
		return NO_MATCH;
	}
	for (; i < len && k[i] != '\0'; i++)
		if (canon(k[i]) != n[i])
			return NO_MATCH;
	if (k[i] != '\0' || i > kMaxKey)
		return NO_MATCH;
	if (i == len)
		return EXACT;
	if (i > 0 && len - i == 6 && memcmp(n + i, "_EMPTY", 6) == 0)
		return EMPTY_OF;
	return NO_MATCH;
}

/* A value: json, or a C string the caller laid over the data (it behaves
 * exactly as the json string would). */
struct jval {
	json_object *j;
	const char *s;
};

json_type type_of(jval v)
{
	return v.s != NULL ? json_type_string : json_object_get_type(v.j);
}

/* null, false, 0, "" and [] are falsy; objects are never asked. */
bool truthy(jval v)
{
	if (v.s != NULL)
		return v.s[0] != '\0';
	switch (json_object_get_type(v.j)) {
	case json_type_boolean: return json_object_get_boolean(v.j) != 0;
	case json_type_int: return json_object_get_int64(v.j) != 0;
	case json_type_double: return json_object_get_double(v.j) != 0.0;
	case json_type_string: return json_object_get_string_len(v.j) > 0;
	case json_type_array: return json_object_array_length(v.j) > 0;
	default: return false;
	}
}

bool is_value(jval v)
{
	json_type t = type_of(v);
	return t == json_type_boolean || t == json_type_int ||
	       t == json_type_double || t == json_type_string;
}

const size_t kMaxVars = 24;
const size_t kMaxTop = 48;

class JsonDict;
struct section_memo;

/* One usable key of the top level, in template spelling. */
struct top_ent {
	const char *name;
	size_t len;
	jval v;
};

/* What one render shares between its dictionaries. */
struct render_ctx {
	json_object *data; /* an object, or NULL */
	const tp_tmpl_var *vars;
	size_t nvars;
	bool in_data[kMaxVars]; /* data has the var's key: it stands there */
	/* data's entries a var replaces, and by which var (rarely any) */
	const lh_entry *replaced[kMaxVars];
	size_t replaced_by[kMaxVars];
	size_t nreplaced;
	const char *include_file; /* fills {{>CONTENT}}, or NULL */
	char num[32];             /* the number GetValue last formatted */
	/* Every lookup that is not answered deeper ends at the top level, so
	 * its keys are spelled as the template spells them once per render
	 * (a top level of more than kMaxTop keys is scanned as it is). */
	bool top_indexed;
	size_t ntop;
	top_ent top[kMaxTop];
	char top_names[kMaxTop * (kMaxKey + 1)];
	section_memo *memo;
};

/* One dictionary level: the top (data with the vars laid over it), an
 * object's fields, one array element that is not an object (its only key
 * is VALUE), or the empty dictionary a shown scalar section expands with
 * (everything comes from its parent). */
enum dict_kind { DICT_ROOT, DICT_OBJECT, DICT_VALUE, DICT_EMPTY };

/* The (key, value) pairs of one dictionary level, in the order a json
 * object built by json_object_object_add() would hold them. */
struct key_cursor {
	const lh_entry *ent = NULL;
	json_object *single = NULL;
	bool single_left = false;
	const render_ctx *root = NULL;
	size_t vi = 0;
	const top_ent *top = NULL, *top_end = NULL;

	key_cursor() = default;
	key_cursor(dict_kind kind, json_object *j, const render_ctx *ctx)
	{
		if (kind == DICT_ROOT && ctx->top_indexed) {
			top = ctx->top;
			top_end = ctx->top + ctx->ntop;
		} else if (kind == DICT_ROOT) {
			root = ctx;
			if (ctx->data != NULL)
				ent = lh_table_head(
				    json_object_get_object(ctx->data));
		} else if (kind == DICT_OBJECT && j != NULL) {
			ent = lh_table_head(json_object_get_object(j));
		} else if (kind == DICT_VALUE) {
			single = j;
			single_left = true;
		}
	}
	/* *klen is kRawKey for a key as the json spells it */
	bool next(const char **k, size_t *klen, jval *v)
	{
		if (top != NULL) {
			if (top == top_end)
				return false;
			*k = top->name;
			*klen = top->len;
			*v = top->v;
			top++;
			return true;
		}
		*klen = kRawKey;
		if (ent != NULL) {
			*k = static_cast<const char *>(lh_entry_k(ent));
			v->j = static_cast<json_object *>(
			    const_cast<void *>(lh_entry_v(ent)));
			v->s = NULL;
			for (size_t i = 0; root != NULL && i < root->nreplaced;
			     i++)
				if (root->replaced[i] == ent) {
					const tp_tmpl_var &var =
					    root->vars[root->replaced_by[i]];
					v->j = var.json;
					v->s = var.str;
				}
			ent = lh_entry_next(ent);
			return true;
		}
		if (single_left) {
			single_left = false;
			*k = "VALUE";
			v->j = single;
			v->s = NULL;
			return true;
		}
		while (root != NULL && vi < root->nvars) {
			size_t i = vi++;
			if (root->in_data[i])
				continue;
			*k = root->vars[i].key;
			v->j = root->vars[i].json;
			v->s = root->vars[i].str;
			return true;
		}
		return false;
	}
};

/* Refuses data nested deeper than kMaxDepth, counting levels as the rules
 * above descend (an array element's fields sit one level below the array,
 * like an object's). */
void check_depth(json_object *v, int depth);

/* Only containers, or anything once past the limit, need a look. */
inline bool depth_matters(json_object *v, int depth)
{
	json_type t = json_object_get_type(v);
	return t == json_type_object || t == json_type_array ||
	       depth > kMaxDepth;
}

void check_fields(json_object *o, int depth)
{
	json_object_object_foreach(o, k, v)
	{
		if (depth_matters(v, depth) && key_usable(k))
			check_depth(v, depth);
	}
}

void check_depth(json_object *v, int depth)
{
	if (depth > kMaxDepth)
		throw render_error{"view data nested deeper than 32 levels"};
	json_type t = json_object_get_type(v);
	if (t == json_type_object) {
		check_fields(v, depth + 1);
	} else if (t == json_type_array) {
		size_t n = json_object_array_length(v);
		for (size_t i = 0; i < n; i++) {
			json_object *e = json_object_array_get_idx(v, i);
			if (json_object_is_type(e, json_type_object))
				check_fields(e, depth + 1);
			else if (depth_matters(e, depth + 1))
				check_depth(e, depth + 1);
		}
	}
}

/* The dictionaries of section n at one level, in the order filling a
 * TemplateDictionary gave them: per matching key, an object's own, one per
 * array element, and for a shown scalar (or an _EMPTY) one empty dictionary
 * -- but only if nothing came before it (ShowSection adds none to a
 * section that exists). valid/kind/j is the next one. */
struct section_scan {
	key_cursor cur;
	const char *name;
	size_t len;
	json_object *arr = NULL;
	size_t idx = 0, alen = 0;
	bool any = false;
	bool valid = false;
	bool seen = false; /* the level has the key (or KEY of KEY_EMPTY) */
	dict_kind kind = DICT_EMPTY;
	json_object *j = NULL;

	section_scan() : name(NULL), len(0)
	{
	}
	section_scan(dict_kind k, json_object *o, const render_ctx *ctx,
	             const TemplateString &n)
	    : cur(k, o, ctx), name(n.data()), len(n.size())
	{
		advance();
	}
	void yield(dict_kind k, json_object *o)
	{
		valid = any = true;
		kind = k;
		j = o;
	}
	void advance()
	{
		const char *k;
		size_t klen;
		jval v;

		valid = false;
		for (;;) {
			if (arr != NULL) {
				if (idx < alen) {
					json_object *e =
					    json_object_array_get_idx(arr,
					                              idx++);
					yield(json_object_is_type(
					          e, json_type_object)
					          ? DICT_OBJECT
					          : DICT_VALUE,
					      e);
					return;
				}
				arr = NULL;
			}
			if (!cur.next(&k, &klen, &v))
				return;
			match m = match_key(k, klen, name, len);
			if (m == NO_MATCH)
				continue;
			seen = true;
			json_type t = type_of(v);
			if (m == EXACT && t == json_type_object) {
				yield(DICT_OBJECT, v.j);
				return;
			}
			if (m == EXACT && t == json_type_array) {
				arr = v.j;
				idx = 0;
				alen = json_object_array_length(v.j);
				continue;
			}
			/* an object never shows its _EMPTY */
			bool show = m == EXACT
			                ? truthy(v)
			                : t != json_type_object && !truthy(v);
			if (show && !any) {
				yield(DICT_EMPTY, NULL);
				return;
			}
		}
	}
};

/* ctemplate asks whether a section shows, then for its dictionaries: the
 * search that answered the first (the level that holds it, and the scan
 * already at its first dictionary) serves the second. */
struct section_memo {
	const JsonDict *from = NULL;
	const char *name = NULL;
	size_t len = 0;
	const JsonDict *holder = NULL;
	section_scan scan;
};

/* ctemplate news and deletes an iterator for every section it shows; a
 * few freed ones per thread serve the next. */
const size_t kIterSlot = 256;
struct iter_pool {
	void *slot[8];
	size_t n = 0;
	~iter_pool()
	{
		while (n > 0)
			::operator delete(slot[--n]);
	}
};
thread_local iter_pool iters;

struct pooled {
	static void *operator new(size_t size)
	{
		if (size <= kIterSlot && iters.n > 0)
			return iters.slot[--iters.n];
		return ::operator new(size <= kIterSlot ? kIterSlot : size);
	}
	static void operator delete(void *p, size_t size)
	{
		if (size <= kIterSlot && iters.n < 8) {
			iters.slot[iters.n++] = p;
			return;
		}
		::operator delete(p);
	}
};

class JsonDict final : public TemplateDictionaryInterface
{
      public:
	JsonDict(dict_kind kind, json_object *j, const JsonDict *parent,
	         render_ctx *ctx, bool include_root)
	    : kind_(kind), j_(j), parent_(parent), ctx_(ctx),
	      include_root_(include_root)
	{
	}
	void reset(dict_kind kind, json_object *j, const JsonDict *parent)
	{
		if (ctx_->memo->from == this)
			ctx_->memo->from = NULL;
		kind_ = kind;
		j_ = j;
		parent_ = parent;
		include_root_ = false;
	}

      private:
	dict_kind kind_;
	json_object *j_;
	const JsonDict *parent_;
	render_ctx *ctx_;
	bool include_root_; /* has {{>CONTENT}} */

	/* defined below, once JsonDict is complete */
	class SectionIter;
	class IncludeIter;

	static bool is_content(const TemplateString &name)
	{
		return name.size() == 7 &&
		       memcmp(name.data(), "CONTENT", 7) == 0;
	}

	TemplateString value_of(jval v) const
	{
		if (v.s != NULL)
			return TemplateString(v.s, strlen(v.s));
		switch (json_object_get_type(v.j)) {
		case json_type_boolean:
			return json_object_get_boolean(v.j)
			           ? TemplateString("true", 4)
			           : TemplateString("false", 5);
		case json_type_int: {
			int64_t i = json_object_get_int64(v.j);
			/* json-c saturates at INT64_MAX; the real value may
			 * be a bigger uint64 */
			uint64_t u = i == INT64_MAX
			                 ? json_object_get_uint64(v.j)
			             : i < 0 ? 0 - (uint64_t)i
			                     : (uint64_t)i;
			char *end = ctx_->num + sizeof(ctx_->num), *p = end;
			do
				*--p = (char)('0' + u % 10);
			while ((u /= 10) != 0);
			if (i < 0)
				*--p = '-';
			return TemplateString(p, (size_t)(end - p));
		}
		case json_type_double: {
			int n = snprintf(ctx_->num, sizeof(ctx_->num), "%.15g",
			                 json_object_get_double(v.j));
			return TemplateString(ctx_->num, n > 0 ? (size_t)n : 0);
		}
		case json_type_string:
			return TemplateString(
			    json_object_get_string(v.j),
			    (size_t)json_object_get_string_len(v.j));
		default: return TemplateString("", 0);
		}
	}

	/* Whether the indexed top level may hold section name at all: most
	 * names have no key of their length there. */
	bool top_may_hold(const TemplateString &name) const
	{
		size_t len = name.size();
		for (size_t i = 0; i < ctx_->ntop; i++)
			if (ctx_->top[i].len == len ||
			    ctx_->top[i].len + 6 == len)
				return true;
		return false;
	}

	/* The level of the chain that holds section name, or NULL; *first
	 * is then the scan of that level, at its first dictionary. */
	const JsonDict *section_holder(const TemplateString &name,
	                               section_scan *first) const
	{
		for (const JsonDict *d = this; d != NULL; d = d->parent_) {
			if (d->kind_ == DICT_EMPTY ||
			    (d->kind_ == DICT_ROOT && ctx_->top_indexed &&
			     !top_may_hold(name)))
				continue;
			section_scan s(d->kind_, d->j_, ctx_, name);
			if (s.valid) {
				*first = s;
				return d;
			}
			/* a level that has the key hides it from the levels
			 * around it, whatever its value */
			if (s.seen)
				return NULL;
		}
		return NULL;
	}

	const JsonDict *root() const
	{
		const JsonDict *d = this;
		while (d->parent_ != NULL)
			d = d->parent_;
		return d;
	}

	/* Variables: this level, then the levels around it (the last key of
	 * the name wins at each), then ctemplate's two built-ins. */
	TemplateString GetValue(const TemplateString &name) const override
	{
		const char *n = name.data();
		size_t len = name.size();

		for (const JsonDict *d = this; d != NULL; d = d->parent_) {
			jval hit = {NULL, NULL};
			bool found = false;
			if (d->kind_ == DICT_EMPTY)
				continue;
			if (d->kind_ == DICT_ROOT && ctx_->top_indexed) {
				/* the same as below, on the spelled-out keys */
				const top_ent *t = ctx_->top,
				              *end = t + ctx_->ntop;
				for (; t != end; t++)
					if (t->len == len &&
					    memcmp(t->name, n, len) == 0 &&
					    is_value(t->v)) {
						hit = t->v;
						found = true;
					}
				if (found)
					return value_of(hit);
				continue;
			}
			key_cursor c(d->kind_, d->j_, ctx_);
			const char *k;
			size_t klen;
			jval v;
			bool seen = false;
			while (c.next(&k, &klen, &v))
				if (match_key(k, klen, n, len) == EXACT) {
					seen = true;
					if (is_value(v)) {
						hit = v;
						found = true;
					}
				}
			if (found)
				return value_of(hit);
			if (seen) /* null, an object or an array: no value,
			             and none from the levels around */
				return TemplateString("", 0);
		}
		if (len == 8 && memcmp(n, "BI_SPACE", 8) == 0)
			return TemplateString(" ", 1);
		if (len == 10 && memcmp(n, "BI_NEWLINE", 10) == 0)
			return TemplateString("\n", 1);
		return TemplateString("", 0);
	}

	const JsonDict *section_holder_memo(const TemplateString &name) const
	{
		section_memo *m = ctx_->memo;
		m->from = this;
		m->name = name.data();
		m->len = name.size();
		m->holder = section_holder(name, &m->scan);
		return m->holder;
	}

	bool IsHiddenSection(const TemplateString &name) const override
	{
		return section_holder_memo(name) == NULL;
	}

	bool IsUnhiddenSection(const TemplateString &name) const override
	{
		return section_holder_memo(name) != NULL;
	}

	Iterator *
	CreateSectionIterator(const TemplateString &name) const override;

	bool IsHiddenTemplate(const TemplateString &name) const override
	{
		return !(is_content(name) && ctx_->include_file != NULL &&
		         root()->include_root_);
	}

	const char *GetIncludeTemplateName(const TemplateString &name,
	                                   int dictnum) const override
	{
		return ctx_->include_file != NULL ? ctx_->include_file : "";
	}

	Iterator *
	CreateTemplateIterator(const TemplateString &name) const override;

	void DumpToString(std::string *out, int level) const override
	{
		out->append((size_t)level * ctemplate::kIndent, ' ');
		out->append("json dictionary\n");
	}
};

/* One section's dictionaries; ctemplate deletes it when done. */
class JsonDict::SectionIter final
    : public TemplateDictionaryInterface::Iterator,
      public pooled
{
      public:
	SectionIter(const JsonDict *holder, const section_scan &first)
	    : scan_(first), holder_(holder),
	      child_(DICT_EMPTY, NULL, holder, holder->ctx_, false)
	{
	}
	bool HasNext() const override
	{
		return scan_.valid;
	}
	const TemplateDictionaryInterface &Next() override
	{
		if (!scan_.valid)
			return *holder_; /* ctemplate asks HasNext */
		child_.reset(scan_.kind, scan_.j, holder_);
		scan_.advance();
		return child_;
	}

      private:
	section_scan scan_;
	const JsonDict *holder_;
	JsonDict child_;
};

/* The include's one dictionary: the same data, no parent. */
class JsonDict::IncludeIter final
    : public TemplateDictionaryInterface::Iterator,
      public pooled
{
      public:
	explicit IncludeIter(render_ctx *ctx)
	    : child_(DICT_ROOT, NULL, NULL, ctx, false)
	{
	}
	bool HasNext() const override
	{
		return !done_;
	}
	const TemplateDictionaryInterface &Next() override
	{
		done_ = true;
		return child_;
	}

      private:
	bool done_ = false;
	JsonDict child_;
};

TemplateDictionaryInterface::Iterator *
JsonDict::CreateSectionIterator(const TemplateString &name) const
{
	static_assert(sizeof(SectionIter) <= kIterSlot &&
	                  sizeof(IncludeIter) <= kIterSlot,
	              "iterators outgrew their pool slots");
	section_memo *m = ctx_->memo;
	section_scan first;
	const JsonDict *h;
	if (m->from == this && m->name == name.data() &&
	    m->len == name.size()) {
		h = m->holder;
		if (h != NULL)
			first = m->scan;
	} else {
		h = section_holder(name, &first);
	}
	m->from = NULL;
	/* ctemplate asks IsHiddenSection first; an empty iterator would
	 * expand the section once with this dictionary */
	return new SectionIter(h != NULL ? h : this, first);
}

TemplateDictionaryInterface::Iterator *
JsonDict::CreateTemplateIterator(const TemplateString &name) const
{
	return new IncludeIter(ctx_);
}

/* The thread's page buffer: a render writes into it and the caller reads
 * it until the thread renders again, so a page costs no malloc. One that
 * grew past kKeepPage for a huge page is dropped at the next render. */
struct page_buf {
	char *p = NULL;
	size_t cap = 0;
	~page_buf()
	{
		free(p);
	}
};
thread_local page_buf page;
const size_t kKeepPage = 256 * 1024;

class BufEmitter final : public ctemplate::ExpandEmitter
{
      public:
	size_t len = 0;

	explicit BufEmitter(page_buf &b) : b_(b)
	{
		if (b_.cap > kKeepPage) {
			free(b_.p);
			b_.p = NULL;
			b_.cap = 0;
		}
	}
	char *data()
	{
		return b_.p;
	}
	void Emit(char c) override
	{
		Emit(&c, 1);
	}
	void Emit(const std::string &s) override
	{
		Emit(s.data(), s.size());
	}
	void Emit(const char *s) override
	{
		Emit(s, strlen(s));
	}
	void Emit(const char *s, size_t n) override
	{
		if (b_.cap - len <= n)
			grow(len + n + 1);
		memcpy(b_.p + len, s, n);
		len += n;
	}

      private:
	page_buf &b_;

	void grow(size_t need)
	{
		size_t c = b_.cap ? b_.cap : 8192;
		while (c < need)
			c *= 2;
		char *np = static_cast<char *>(realloc(b_.p, c));
		if (np == NULL)
			throw std::bad_alloc();
		b_.p = np;
		b_.cap = c;
	}
};

} // namespace

extern "C" int tp_tmpl_render_vars(const char *file, const char *include_file,
                                   json_object *data, const tp_tmpl_var *vars,
                                   size_t nvars, const char **out,
                                   size_t *outlen, char *err, size_t errlen)
{
	*out = NULL;
	*outlen = 0;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	try {
		if (file == NULL || file[0] != '/')
			throw render_error{"template name is not absolute"};
		if (include_file != NULL && include_file[0] != '/')
			throw render_error{"include name is not absolute"};
		if (data != NULL &&
		    !json_object_is_type(data, json_type_object))
			throw render_error{"template data is not an object"};
		if (nvars > kMaxVars)
			throw render_error{"too many page variables"};
		load(file);
		if (include_file != NULL)
			load(include_file);

		render_ctx ctx;
		ctx.data = data;
		ctx.vars = vars;
		ctx.nvars = nvars;
		ctx.nreplaced = 0;
		ctx.include_file = include_file;
		/* a walk over the (few) view keys beats hashing every var */
		for (size_t i = 0; i < nvars; i++)
			ctx.in_data[i] = false;
		for (const lh_entry *e =
		         data != NULL
		             ? lh_table_head(json_object_get_object(data))
		             : NULL;
		     e != NULL && nvars > 0; e = lh_entry_next(e)) {
			const char *k =
			    static_cast<const char *>(lh_entry_k(e));
			for (size_t i = 0; i < nvars; i++)
				if (k[0] == vars[i].key[0] &&
				    strcmp(k, vars[i].key) == 0) {
					ctx.in_data[i] = true;
					ctx.replaced[ctx.nreplaced] = e;
					ctx.replaced_by[ctx.nreplaced++] = i;
					break;
				}
		}
		ctx.top_indexed = false;
		ctx.ntop = 0;
		section_memo memo;
		ctx.memo = &memo;
		key_cursor top(DICT_ROOT, NULL, &ctx);
		const char *k;
		size_t klen;
		jval v;
		bool fits = true;
		while (top.next(&k, &klen, &v)) {
			if (!key_usable(k))
				continue;
			if (v.s == NULL)
				check_depth(v.j, 0);
			if (ctx.ntop == kMaxTop) {
				fits = false;
				continue;
			}
			top_ent &t = ctx.top[ctx.ntop];
			char *name = ctx.top_names + ctx.ntop * (kMaxKey + 1);
			t.len = strlen(k);
			for (size_t i = 0; i < t.len; i++)
				name[i] = canon(k[i]);
			t.name = name;
			t.v = v;
			ctx.ntop++;
		}
		ctx.top_indexed = fits;

		JsonDict dict(DICT_ROOT, NULL, NULL, &ctx,
		              include_file != NULL);
		BufEmitter e(page);
		if (!current_set().cache->ExpandWithData(file, kStrip, &dict,
		                                         NULL, &e))
			throw render_error{std::string("expanding ") + file +
			                   " failed (ctemplate's reason is on "
			                   "stderr)"};
		e.Emit('\0');
		*outlen = e.len - 1;
		*out = e.data();
		return 0;
	} catch (const render_error &e) {
		set_err(err, errlen, e.msg);
	} catch (const std::exception &e) {
		set_err(err, errlen,
		        std::string("template engine: ") + e.what());
	} catch (...) {
		set_err(err, errlen, "template engine: unknown exception");
	}
	return -1;
}

extern "C" int tp_tmpl_render(const char *file, const char *include_file,
                              json_object *data, char **out, size_t *outlen,
                              char *err, size_t errlen)
{
	const char *page_out;

	*out = NULL;
	if (tp_tmpl_render_vars(file, include_file, data, NULL, 0, &page_out,
	                        outlen, err, errlen) != 0)
		return -1;
	char *copy = static_cast<char *>(malloc(*outlen + 1));
	if (copy == NULL) {
		*outlen = 0;
		set_err(err, errlen, "template engine: out of memory");
		return -1;
	}
	memcpy(copy, page_out, *outlen + 1);
	*out = copy;
	return 0;
}

/* Drops every parsed template. ctemplate allows this only while no thread
 * expands: call it at exit (leak checks) or from single-threaded tests. */
extern "C" void tp_tmpl_clear_cache(void)
{
	try {
		ctemplate::mutable_default_template_cache()->ClearCache();
		std::lock_guard<std::mutex> lk(checked_mu);
		checked.clear();
		loaded_gen.fetch_add(1, std::memory_order_release);
		/* this thread's set and cache go now, so a leak check at exit
		 * sees nothing of them; other threads free theirs on their
		 * next render or when they exit */
		for (loaded_set &ls : loaded) {
			ls.names.clear();
			ls.store.clear();
			delete ls.cache;
			ls.cache = nullptr;
			ls.gen = loaded_gen.load(std::memory_order_acquire);
		}
	} catch (...) {
	}
}
