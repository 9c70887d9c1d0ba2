/*
 * config.c -- the INI file (inih), with defaults for every key. Unknown
 * keys in core sections are errors (a typo must not silently fall back to
 * a default); [module.NAME] sections are kept raw for tp_core_config.
 */
#include "config.h"
#include "lib/lib.h"

#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

long long tp_config_size(const char *s)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || v < 0)
		return -1;
	long long mul = 1;
	switch (*end) {
	case '\0': break;
	case 'k':
	case 'K':
		mul = 1024;
		end++;
		break;
	case 'm':
	case 'M':
		mul = 1024 * 1024;
		end++;
		break;
	case 'g':
	case 'G':
		mul = 1024LL * 1024 * 1024;
		end++;
		break;
	default: return -1;
	}
	if (*end != '\0' || v > (1LL << 50) / mul)
		return -1;
	return v * mul;
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = (v != NULL && *v != '\0') ? strdup(v) : NULL;
}

typedef struct {
	tp_config *c;
	char *err;
	size_t errlen;
	int failed;
} load_ctx;

enum kind { K_STR, K_INT, K_SIZE, K_MODE, K_LEVEL, K_BOOL };

struct key {
	const char *section, *name;
	enum kind kind;
	size_t off;
	long long min, max;
};

#define O(f) offsetof(tp_config, f)
static const struct key keys[] = {
    {"server", "listen", K_STR, O(listen), 0, 0},
    {"server", "socket_mode", K_MODE, O(socket_mode), 0, 0777},
    {"server", "socket_group", K_STR, O(socket_group), 0, 0},
    {"server", "workers", K_INT, O(workers), 1, 256},
    {"server", "threads", K_INT, O(threads), 1, 1024},
    {"server", "backlog", K_INT, O(backlog), 1, 65535},
    {"server", "drain_timeout", K_INT, O(drain_timeout), 1, 3600},
    {"server", "pid_file", K_STR, O(pid_file), 0, 0},
    {"server", "log_file", K_STR, O(log_file), 0, 0},
    {"server", "log_level", K_LEVEL, O(log_level), 0, 0},
    {"limits", "max_body", K_SIZE, O(max_body), 1, 1LL << 32},
    {"limits", "max_upload", K_SIZE, O(max_upload), 1, 1LL << 40},
    {"limits", "max_fields", K_SIZE, O(max_fields), 1, 1000000},
    {"limits", "max_field_len", K_SIZE, O(max_field_len), 1, 1LL << 32},
    {"limits", "max_json_depth", K_INT, O(max_json_depth), 1, 1000},
    {"limits", "max_query", K_SIZE, O(max_query), 1, 1LL << 24},
    {"limits", "upload_dir", K_STR, O(upload_dir), 0, 0},
    {"limits", "max_pdf_rows", K_SIZE, O(max_pdf_rows), 1, 1000000},
    {"limits", "max_xlsx_rows", K_SIZE, O(max_xlsx_rows), 1, 1048575},
    {"db", "socket", K_STR, O(db_socket), 0, 0},
    {"db", "host", K_STR, O(db_host), 0, 0},
    {"db", "port", K_INT, O(db_port), 0, 65535},
    {"db", "user", K_STR, O(db_user), 0, 0},
    {"db", "password", K_STR, O(db_password), 0, 0},
    {"db", "database", K_STR, O(db_name), 0, 0},
    {"db", "connect_timeout", K_INT, O(db_connect_timeout), 1, 3600},
    {"db", "read_timeout", K_INT, O(db_read_timeout), 1, 86400},
    {"db", "export_read_timeout", K_INT, O(db_export_read_timeout), 1, 86400},
    {"db", "write_timeout", K_INT, O(db_write_timeout), 1, 86400},
    {"cache", "socket", K_STR, O(cache_socket), 0, 0},
    {"cache", "host", K_STR, O(cache_host), 0, 0},
    {"cache", "port", K_INT, O(cache_port), 0, 65535},
    {"cache", "timeout_ms", K_INT, O(cache_timeout_ms), 1, 60000},
    {"cache", "fail_threshold", K_INT, O(cache_fail_threshold), 1, 1000},
    {"cache", "open_ms", K_INT, O(cache_open_ms), 1, 3600000},
    {"cache", "page_cache_mb", K_INT, O(page_cache_mb), 0, 4096},
    {"modules", "dir", K_STR, O(module_dirs), 0, 0},
    {"modules", "data", K_STR, O(module_data), 0, 0},
    {"modules", "enabled", K_STR, O(modules_enabled), 0, 0},
    {"templates", "dir", K_STR, O(template_dir), 0, 0},
    {"templates", "brand_dir", K_STR, O(brand_dir), 0, 0},
    {"templates", "default_brand", K_STR, O(default_brand), 0, 0},
    {"templates", "site_name", K_STR, O(site_name), 0, 0},
    {"i18n", "localedir", K_STR, O(localedir), 0, 0},
    {"migrate", "sql_dir", K_STR, O(sql_dir), 0, 0},
    {"session", "cookie", K_STR, O(session_cookie), 0, 0},
    {"session", "idle_timeout", K_INT, O(session_idle), 60, 86400 * 30},
    {"session", "absolute_timeout", K_INT, O(session_absolute), 60, 86400 * 90},
    {"session", "max_failures", K_INT, O(login_max_failures), 1, 1000},
    {"session", "lock_seconds", K_INT, O(login_lock_seconds), 1, 86400},
    {"session", "brand_cache_seconds", K_INT, O(brand_cache_seconds), 0, 3600},
    {"mail", "smtp_url", K_STR, O(smtp_url), 0, 0},
    {"testing", "clock_file", K_STR, O(clock_file), 0, 0},
    {"mail", "from", K_STR, O(mail_from), 0, 0},
    {"mail", "user", K_STR, O(smtp_user), 0, 0},
    {"mail", "password", K_STR, O(smtp_password), 0, 0},
    {"mail", "starttls", K_BOOL, O(smtp_starttls), 0, 0},
    {"mail", "timeout", K_INT, O(smtp_timeout), 1, 3600},
    {"events", "max_attempts", K_INT, O(events_max_attempts), 1, 1000},
    {"events", "retry_seconds", K_INT, O(events_retry_seconds), 1, 86400},
    {"events", "gap_seconds", K_INT, O(events_gap_seconds), 1, 86400},
    {"events", "batch", K_INT, O(events_batch), 1, 100000},
    {"scheduler", "interval_ms", K_INT, O(scheduler_interval_ms), 10, 3600000},
    {"security", "key_file", K_STR, O(key_file), 0, 0},
    {"http", "default_scheme", K_STR, O(default_scheme), 0, 0},
    {NULL, NULL, 0, 0, 0, 0},
};
#undef O

static int set_err(load_ctx *x, const char *section, const char *name,
                   const char *what)
{
	if (!x->failed)
		snprintf(x->err, x->errlen, "%s: [%s] %s: %s", x->c->path,
		         section, name, what);
	x->failed = 1;
	return 0;
}

static int on_kv(void *user, const char *section, const char *name,
                 const char *value)
{
	load_ctx *x = user;
	tp_config *c = x->c;

	if (section[0] == '\0')
		return set_err(x, "", name,
		               "key outside any [section] (is a section "
		               "header malformed?)");
	if (strncmp(section, "module.", 7) == 0) {
		struct tp_config_kv *n =
		    realloc(c->extra, (c->n_extra + 1) * sizeof(*n));
		if (n == NULL)
			return set_err(x, section, name, "out of memory");
		c->extra = n;
		n[c->n_extra].section = strdup(section + 7);
		n[c->n_extra].key = strdup(name);
		n[c->n_extra].value = strdup(value);
		c->n_extra++;
		return 1;
	}
	for (const struct key *k = keys; k->section != NULL; k++) {
		if (strcmp(k->section, section) != 0 ||
		    strcmp(k->name, name) != 0)
			continue;
		char *p = (char *)c + k->off;
		long long v;
		char *end;
		switch (k->kind) {
		case K_STR: set_str((char **)p, value); return 1;
		case K_INT:
			errno = 0;
			v = strtoll(value, &end, 10);
			if (errno || end == value || *end || v < k->min ||
			    v > k->max)
				return set_err(x, section, name,
				               "not a number in range");
			/* int and unsigned fields alike: range checked above */
			*(int *)p = (int)v;
			return 1;
		case K_SIZE:
			v = tp_config_size(value);
			if (v < k->min || v > k->max)
				return set_err(
				    x, section, name,
				    "not a size in range (e.g. 64k, 1m)");
			*(size_t *)p = (size_t)v;
			return 1;
		case K_MODE:
			errno = 0;
			v = strtoll(value, &end, 8);
			if (errno || end == value || *end || v < 0 || v > 0777)
				return set_err(x, section, name,
				               "not an octal mode");
			*(unsigned *)p = (unsigned)v;
			return 1;
		case K_LEVEL:
			v = tp_log_level_parse(value);
			if (v < 0)
				return set_err(x, section, name,
				               "not error|warn|info|debug");
			*(int *)p = (int)v;
			return 1;
		case K_BOOL:
			if (strcasecmp(value, "yes") == 0 ||
			    strcasecmp(value, "true") == 0 ||
			    strcmp(value, "1") == 0)
				*(bool *)p = true;
			else if (strcasecmp(value, "no") == 0 ||
			         strcasecmp(value, "false") == 0 ||
			         strcmp(value, "0") == 0)
				*(bool *)p = false;
			else
				return set_err(x, section, name,
				               "not yes or no");
			return 1;
		}
	}
	return set_err(x, section, name, "unknown key");
}

static void defaults(tp_config *c)
{
	c->socket_mode = 0660;
	c->workers = 2;
	c->threads = 48;
	c->backlog = 1024;
	c->drain_timeout = 15;
	c->log_level = TP_LOG_INFO;
	c->max_body = 1024 * 1024;
	c->max_upload = 20 * 1024 * 1024;
	c->max_fields = 1000;
	c->max_field_len = 64 * 1024;
	c->max_json_depth = 32;
	c->max_query = 8192;
	c->max_pdf_rows = 50000;
	c->max_xlsx_rows = 1048575; /* a sheet's 1,048,576 less the header */
	c->db_connect_timeout = 2;
	c->db_read_timeout = 30;
	c->db_export_read_timeout = 600;
	c->db_write_timeout = 30;
	c->cache_timeout_ms = 50;
	c->cache_fail_threshold = 3;
	c->cache_open_ms = 5000;
	c->page_cache_mb = 32;
	c->events_max_attempts = 8;
	c->events_retry_seconds = 30;
	c->events_gap_seconds = 3600;
	c->events_batch = 500;
	c->scheduler_interval_ms = 1000;
	c->modules_enabled = strdup("*");
	c->template_dir = strdup(TP_PKGDATADIR "/templates");
	c->localedir = strdup(TP_LOCALEDIR);
	c->sql_dir = strdup(TP_PKGDATADIR "/sql");
	c->module_dirs = strdup(TP_PKGLIBDIR "/modules");
	c->module_data = strdup(TP_PKGDATADIR "/modules");
	c->default_brand = strdup("default");
	c->site_name = strdup("tierport");
	c->db_name = strdup("tierport");
	c->session_cookie = strdup("__Host-tp");
	c->session_idle = 1800;
	c->session_absolute = 12 * 3600;
	c->login_max_failures = 5;
	c->login_lock_seconds = 900;
	c->brand_cache_seconds = 10;
	c->smtp_url = strdup("smtp://127.0.0.1:25");
	c->smtp_timeout = 30;
	c->key_file = strdup(TP_SYSCONFDIR "/tierport.keys");
	c->default_scheme = strdup("https");
}

tp_config *tp_config_load(const char *path, char *err, size_t errlen)
{
	tp_config *c = calloc(1, sizeof(*c));
	if (c == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->path = strdup(path);
	defaults(c);
	load_ctx x = {c, err, errlen, 0};
	int rc = ini_parse(path, on_kv, &x);
	if (rc < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path,
		         strerror(errno));
		tp_config_free(c);
		return NULL;
	}
	if (rc > 0 && !x.failed) {
		snprintf(err, errlen, "%s:%d: syntax error", path, rc);
		x.failed = 1;
	}
	if (!x.failed && (c->default_scheme == NULL ||
	                  (strcmp(c->default_scheme, "https") != 0 &&
	                   strcmp(c->default_scheme, "http") != 0))) {
		snprintf(err, errlen,
		         "%s: [http] default_scheme: https or http", path);
		x.failed = 1;
	}
	if (!x.failed && c->key_file == NULL) {
		snprintf(err, errlen, "%s: [security] key_file is required",
		         path);
		x.failed = 1;
	}
	if (!x.failed && c->listen == NULL) {
		snprintf(err, errlen, "%s: [server] listen is required", path);
		x.failed = 1;
	}
	if (x.failed) {
		tp_config_free(c);
		return NULL;
	}
	return c;
}

void tp_config_free(tp_config *c)
{
	if (c == NULL)
		return;
	for (const struct key *k = keys; k->section != NULL; k++)
		if (k->kind == K_STR)
			free(*(char **)((char *)c + k->off));
	for (size_t i = 0; i < c->n_extra; i++) {
		free(c->extra[i].section);
		free(c->extra[i].key);
		free(c->extra[i].value);
	}
	free(c->extra);
	free(c->path);
	free(c);
}

const char *tp_config_extra(const tp_config *c, const char *section,
                            const char *key)
{
	for (size_t i = 0; i < c->n_extra; i++)
		if (strcmp(c->extra[i].section, section) == 0 &&
		    strcmp(c->extra[i].key, key) == 0)
			return c->extra[i].value;
	return NULL;
}
