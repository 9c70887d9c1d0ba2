/*
 * tmpl.cc -- the only C++ in tierport: renders a json-c view model through
 * Google ctemplate for view.c. It never picks a status or writes a response,
 * and no C++ exception ever crosses back into C: every failure is -1 + err.
 *
 * How the json data becomes a TemplateDictionary (the rules module authors
 * write templates against; the same rules apply at every nesting level):
 *
 *   key        upper-cased, anything outside [A-Za-z0-9_] becomes '_':
 *              "first-name" -> {{FIRST_NAME}}. Keys that are empty, longer
 *              than 64 bytes or start with a digit are skipped (ctemplate
 *              keeps every variable name ever seen for the life of the
 *              process, so view keys must be names chosen by code, never
 *              user data such as ids).
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
 * the keys of the dictionaries around them (ctemplate's lookup); the
 * {{>CONTENT}} include gets its own copy of the same data, because ctemplate
 * include dictionaries do not inherit.
 *
 * Every template rendered here must begin with {{%AUTOESCAPE context="HTML"}}
 * (a UTF-8 BOM and leading blanks are allowed): a file without it is refused,
 * since ctemplate would otherwise include it unescaped into an escaped
 * layout. Templates are loaded by absolute name into ctemplate's default
 * cache (thread-safe) with STRIP_BLANK_LINES and kept for the life of the
 * worker: a changed file is seen by the next worker (SIGHUP).
 */
#include "config.h"

#include <ctemplate/template.h>

#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <unordered_set>

#include <fcntl.h>
#include <unistd.h>

/* core.h has no C++ guard of its own (tierport.h has); the bridge's two
 * functions must keep C linkage. */
extern "C" {
#include "core.h"
}

using ctemplate::TemplateDictionary;
using ctemplate::TemplateString;

namespace
{

const ctemplate::Strip kStrip = ctemplate::STRIP_BLANK_LINES;
const int kMaxDepth = 32;
const size_t kMaxKey = 64;

/* Files already checked for the AUTOESCAPE pragma, so a render costs no
 * syscalls once warm. Cleared with the template cache. */
std::mutex checked_mu;
std::unordered_set<std::string> checked;

struct render_error {
	std::string msg;
};

void set_err(char *err, size_t errlen, const std::string &msg)
{
	if (err == NULL || errlen == 0)
		return;
	snprintf(err, errlen, "%s", msg.c_str());
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

void load(const char *file)
{
	check_file(file);
	if (!ctemplate::mutable_default_template_cache()->LoadTemplate(file,
	                                                               kStrip))
		throw render_error{std::string("template ") + file +
		                   " does not parse (ctemplate's reason is on "
		                   "stderr)"};
}

/* "first-name" -> "FIRST_NAME"; false if the key is not usable. */
bool dict_key(const char *k, std::string *out)
{
	size_t n = strlen(k);

	if (n == 0 || n > kMaxKey || (k[0] >= '0' && k[0] <= '9'))
		return false;
	out->assign(k, n);
	for (char &c : *out) {
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			c = '_';
	}
	return true;
}

void fill_object(TemplateDictionary *d, json_object *o, int depth);

void fill_value(TemplateDictionary *d, const std::string &key, json_object *v,
                int depth)
{
	bool truthy = false;
	char num[40];
	int n;

	if (depth > kMaxDepth)
		throw render_error{"view data nested deeper than 32 levels"};
	switch (json_object_get_type(v)) {
	case json_type_null: break;
	case json_type_boolean:
		truthy = json_object_get_boolean(v) != 0;
		d->SetValue(key, truthy ? "true" : "false");
		break;
	case json_type_int: {
		int64_t i = json_object_get_int64(v);
		/* json-c saturates at INT64_MAX; the real value may be a
		 * bigger uint64 */
		if (i == INT64_MAX)
			n = snprintf(num, sizeof(num), "%" PRIu64,
			             json_object_get_uint64(v));
		else
			n = snprintf(num, sizeof(num), "%" PRId64, i);
		d->SetValue(key, TemplateString(num, (size_t)n));
		truthy = i != 0;
		break;
	}
	case json_type_double: {
		double x = json_object_get_double(v);
		n = snprintf(num, sizeof(num), "%.15g", x);
		d->SetValue(key, TemplateString(num, (size_t)n));
		truthy = x != 0.0;
		break;
	}
	case json_type_string: {
		int len = json_object_get_string_len(v);
		d->SetValue(key, TemplateString(json_object_get_string(v),
		                                (size_t)len));
		truthy = len > 0;
		break;
	}
	case json_type_object:
		fill_object(d->AddSectionDictionary(key), v, depth + 1);
		return;
	case json_type_array: {
		size_t len = json_object_array_length(v);
		for (size_t i = 0; i < len; i++) {
			json_object *e = json_object_array_get_idx(v, i);
			TemplateDictionary *sub = d->AddSectionDictionary(key);
			if (json_object_is_type(e, json_type_object))
				fill_object(sub, e, depth + 1);
			else
				fill_value(sub, "VALUE", e, depth + 1);
		}
		truthy = len > 0;
		break;
	}
	}
	if (truthy)
		d->ShowSection(key);
	else
		d->ShowSection(key + "_EMPTY");
}

void fill_object(TemplateDictionary *d, json_object *o, int depth)
{
	std::string key;

	json_object_object_foreach(o, k, v)
	{
		if (dict_key(k, &key))
			fill_value(d, key, v, depth);
	}
}

} // namespace

extern "C" int tp_tmpl_render(const char *file, const char *include_file,
                              json_object *data, char **out, size_t *outlen,
                              char *err, size_t errlen)
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
		load(file);
		if (include_file != NULL)
			load(include_file);

		TemplateDictionary dict("tp");
		if (data != NULL)
			fill_object(&dict, data, 0);
		if (include_file != NULL) {
			TemplateDictionary *inc =
			    dict.AddIncludeDictionary("CONTENT");
			inc->SetFilename(include_file);
			if (data != NULL)
				fill_object(inc, data, 0);
		}
		std::string s;
		s.reserve(16384);
		if (!ctemplate::ExpandTemplate(file, kStrip, &dict, &s))
			throw render_error{std::string("expanding ") + file +
			                   " failed (ctemplate's reason is on "
			                   "stderr)"};
		char *buf = static_cast<char *>(malloc(s.size() + 1));
		if (buf == NULL)
			throw std::bad_alloc();
		memcpy(buf, s.data(), s.size());
		buf[s.size()] = '\0';
		*out = buf;
		*outlen = s.size();
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

/* Drops every parsed template. ctemplate allows this only while no thread
 * expands: call it at exit (leak checks) or from single-threaded tests. */
extern "C" void tp_tmpl_clear_cache(void)
{
	try {
		ctemplate::mutable_default_template_cache()->ClearCache();
		std::lock_guard<std::mutex> lk(checked_mu);
		checked.clear();
	} catch (...) {
	}
}
