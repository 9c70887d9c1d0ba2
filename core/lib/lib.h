/*
 * lib/lib.h -- the pure helpers under everything else: arena, config, log, the
 * CSV reader, text checks, tokens (money is in tierport.h). No request, no DB.
 * Includes only tierport.h.
 */
#ifndef TP_LIB_H
#define TP_LIB_H

#include "tierport.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

/* ------------------------------------------------------------------ */
/* arena.c                                                              */

typedef struct tp_arena_block tp_arena_block;
typedef struct tp_cleanup_rec tp_cleanup_rec;

typedef struct tp_arena {
	tp_arena_block *head;    /* current block */
	tp_arena_block *first;   /* kept across resets */
	tp_arena_block *reserve; /* for when malloc refuses; NULL once used */
	tp_cleanup_rec *cleanups;
	size_t total; /* bytes handed out since reset */
} tp_arena;

void tp_arena_init(tp_arena *a);
/* Never NULL. When malloc refuses, the reserve serves and
 * tp_arena_failures() grows: the work in progress must then fail (the
 * pipeline answers 503, tp_db_commit rolls back). */
void *tp_arena_alloc(tp_arena *a, size_t n);
/* this thread's arena allocations, and those malloc refused, so far */
unsigned long tp_arena_calls(void);
unsigned long tp_arena_failures(void);
#ifdef TP_ALLOC_FAIL
/* --enable-alloc-fail: the nth allocation on this thread from now on
 * fails as if malloc had refused it (0: none) */
void tp_arena_fail_at(unsigned long n);
#endif
void tp_arena_cleanup(tp_arena *a, void (*fn)(void *), void *data);
/* Runs cleanups (LIFO) and frees everything but the first block. */
void tp_arena_reset(tp_arena *a);
void tp_arena_destroy(tp_arena *a);

/* ------------------------------------------------------------------ */
/* config.c: the INI file, parsed with inih                             */

typedef struct tp_config {
	char *path;
	/* [server] */
	char *listen; /* unix socket path, or host:port */
	unsigned socket_mode;
	char *socket_group;
	int workers;
	int threads;
	int backlog;
	int drain_timeout; /* seconds */
	char *pid_file;
	char *log_file; /* NULL: stderr */
	int log_level;
	/* [limits] */
	size_t max_body;   /* urlencoded / json */
	size_t max_upload; /* multipart total */
	size_t max_fields;
	size_t max_field_len;
	int max_json_depth;
	size_t max_query;
	size_t max_pdf_rows;  /* grid exports as PDF (export_pdf.c) */
	size_t max_xlsx_rows; /* grid exports as XLSX (export_xlsx.c) */
	char *upload_dir;
	/* [db] */
	char *db_socket, *db_host, *db_user, *db_password, *db_name;
	unsigned db_port;
	unsigned db_connect_timeout, db_read_timeout, db_write_timeout;
	/* a grid export's own connection (export.c): its first row may wait
	 * for the server's sort of the whole list */
	unsigned db_export_read_timeout;
	/* [cache] */
	char *cache_socket; /* NULL: no cache */
	char *cache_host;
	unsigned cache_port;
	unsigned cache_timeout_ms;
	unsigned cache_fail_threshold;
	unsigned cache_open_ms;
	unsigned page_cache_mb; /* grid pages per worker (pagecache.c); 0 off */
	/* [modules] */
	char *module_dirs; /* ':'-separated dirs scanned for *.so */
	char *module_data; /* ':'-separated dirs holding NAME/{sql,templates} */
	char *modules_enabled; /* comma list or "*" */
	/* [templates] */
	char *template_dir; /* core layout and pages */
	char *localedir;    /* [i18n] the compiled catalogs: LANG/LC_MESSAGES */
	char *brand_dir;    /* <brand_dir>/<brand>/<file> overrides */
	char *default_brand;
	char *site_name;
	/* [module.NAME] sections, kept raw */
	struct tp_config_kv *extra;
	size_t n_extra;
	/* core sql/ directory (tierportctl migrate) */
	char *sql_dir;
	/* [session] */
	char *session_cookie;   /* "__Host-tp" (https) or a plain name */
	int session_idle;       /* seconds without a request */
	int session_absolute;   /* seconds since login */
	int login_max_failures; /* then locked for login_lock_seconds */
	int login_lock_seconds;
	int brand_cache_seconds;
	/* [mail] (tierportctl mail send) */
	char *smtp_url;  /* smtp://host:port or smtps://host:port */
	char *mail_from; /* envelope and From address */
	char *smtp_user, *smtp_password; /* SMTP AUTH, if both set */
	bool smtp_starttls;              /* require STARTTLS on smtp:// */
	int smtp_timeout;                /* seconds per message */
	/* [security] */
	char *key_file; /* the key store (keystore.c) */
	/* [http] */
	char
	    *default_scheme; /* "https" or "http": a brand's default base URL */
	/* [testing] */
	char *clock_file; /* tp_now()'s offset, for tests; NULL: none */
	/* [events] (data/events.c): a failing handler is retried after
	 * retry_seconds, doubling each time (at most an hour), and parked
	 * after max_attempts; the cursor passes a gap in the event ids only
	 * once the event after it is gap_seconds old */
	unsigned events_max_attempts, events_retry_seconds;
	unsigned events_gap_seconds, events_batch;
	/* [scheduler] (server/scheduler.c): a pass every interval_ms */
	unsigned scheduler_interval_ms;
} tp_config;

struct tp_config_kv {
	char *section, *key, *value;
};

/* Loads path; on error returns NULL and writes a line to err. */
tp_config *tp_config_load(const char *path, char *err, size_t errlen);
void tp_config_free(tp_config *c);
/* A value from a [module.NAME]-style section kept raw (section "NAME"),
 * or NULL. */
const char *tp_config_extra(const tp_config *c, const char *section,
                            const char *key);
/* "10k", "1m", "20M" -> bytes; -1 on junk */
long long tp_config_size(const char *s);

/* ------------------------------------------------------------------ */
/* log.c                                                                */

extern __thread const char *tp_log_reqid;
void tp_log_open(const char *file, int level);
int tp_log_level_parse(const char *s);
void tp_vlog(int level, const char *msgid, const char *fmt, va_list ap);
void tp_log_reopen(void);

/* ------------------------------------------------------------------ */
/* csv.c                                                                */

/* csv.c: a streaming RFC 4180 reader (imports). tp_csv_next reads one
 * record: TP_OK with nf fields (NUL-terminated, valid until the next
 * call) that began on rec_line; TP_ENOENT at the end; TP_EINVAL with err
 * for a bad record (a stray quote, a NUL byte, a field or line over the
 * limits, an unclosed quote), after which the next call goes on at the
 * next line. Blank lines are skipped; a leading UTF-8 BOM too. The FILE
 * must be seekable (for the BOM). Encoding is the caller's to check. */
typedef struct tp_csv {
	FILE *f;
	size_t max_field, max_fields;
	size_t line, rec_line; /* 1-based physical lines */
	char *buf;
	size_t len, cap, flen;
	char **fields;
	size_t nf, fcap;
	const char *err;
	bool started;
} tp_csv;
void tp_csv_init(tp_csv *c, FILE *f, size_t max_field, size_t max_fields);
tp_rc tp_csv_next(tp_csv *c);
void tp_csv_free(tp_csv *c);
/* ------------------------------------------------------------------ */
/* text.c: the checks of text a user sends                            */

/* Well-formed UTF-8 (no overlongs, no surrogates): MariaDB in strict mode
 * would refuse anything else with a database error instead of a message. */
bool tp_utf8_ok(const char *s);
/* Printable one-line text of 1..max bytes, valid UTF-8 (empty passes with
 * may_be_empty): NULL if fine, else what is wrong ("is required", "is too
 * long", ...) to follow the field's name. */
const char *tp_text_bad(const char *s, size_t max, bool may_be_empty);
/* three capital letters (ISO 4217 form) */
bool tp_currency_ok(const char *s);
/* account numbers are customer logins: [A-Za-z0-9._-], 1..32 */
bool tp_account_number_ok(const char *s);
/* [a-z][a-z0-9_]{0,31}, as module names are (module.c) */
bool tp_module_name_ok(const char *s);

/* profile.c: a loose e-mail check (one '@', something either side, no
 * spaces or control characters, a dot in the domain) and a phone number
 * (digits, spaces, + - ( ) ., at most 32); empty means "none" and passes. */
bool tp_email_ok(const char *s);
bool tp_phone_ok(const char *s);
/* "a,b" -> malloc'd NULL-terminated array of malloc'd strings */
char **tp_split_list(const char *s);
/* ------------------------------------------------------------------ */
/* clock.c: tp_now() (tierport.h) reads its offset from file (NULL: the
 * system clock as it is). Called at start by tierportd's workers and
 * tierportctl with [testing] clock_file. */
void tp_clock_init(const char *file);
/* tierportctl demo only: shift tp_now() by seconds (on top of the clock
 * file's offset), so its timeline bills and chases months back */
void tp_clock_shift(int64_t seconds);

/* ------------------------------------------------------------------ */
/* keystore.c: the key file (tp_seal/tp_unseal are in tierport.h)        */

/* Loads the key file (replacing the keys loaded before): before any
 * thread starts. Refuses a file others may read. err says why. */
tp_rc tp_keystore_load(const char *path, char *err, size_t errlen);
void tp_keystore_free(void);
bool tp_keystore_loaded(void);
/* The id of the key that seals (the file's last), 0 when none loaded. */
unsigned tp_keystore_current(void);
/* Writes a new key file (0600) with one random key, id 1; TP_ECONFLICT
 * if path exists. */
tp_rc tp_keystore_init_file(const char *path, char *err, size_t errlen);
/* Appends a new random key (the highest id + 1) to the key file, which
 * is replaced whole (a new file renamed over it); *new_id gets its id.
 * The loaded keys are not changed: load the file again. */
tp_rc tp_keystore_rotate(const char *path, unsigned *new_id, char *err,
                         size_t errlen);
/* Does s look like tp_seal's output ("sb1:" prefix)? */
bool tp_is_sealed(const char *s);
/* The key id a sealed value names, -1 if it is not one. */
int tp_sealed_key_id(const char *sealed);
/* sealed under the current key into out: *changed false (out untouched)
 * when it already is; else tp_unseal's and tp_seal's codes. */
tp_rc tp_reseal(const char *sealed, char *out, size_t cap, bool *changed);

/* ------------------------------------------------------------------ */
/* token.c                                                              */

/* A random token: 32 bytes, base64url without padding (43 chars + NUL). */
void tp_token_new(char out[44]);
/* SHA-256 of a token, for storage: only hashes are stored. */
void tp_token_hash(const char *token, unsigned char out[32]);

/* ------------------------------------------------------------------ */
/* i18n.c (the public part is in tierport.h)                            */

/* Binds tierport's catalog (localedir NULL or "": the configured one)
 * and makes every language's locale; once, before threads start. */
void tp_i18n_init(const char *localedir);
/* The current language's decimal point and thousands separator. */
const char *tp_i18n_radix(void);
const char *tp_i18n_group(void);
/* Calls fn for "UTC" and every canonical zone ICU knows. */
tp_rc tp_tz_each(void (*fn)(void *ud, const char *zone), void *ud);
/* Frees this thread's zone calendar (thread exit, leak checks). */
void tp_i18n_thread_done(void);

/* ------------------------------------------------------------------ */
/* tplmsg.c: the text templates mark {{_}}...{{/_}} for translation     */

typedef int (*tp_tplmsg_fn)(void *ud, const char *p, size_t n, unsigned line);
/* Calls text for each stretch outside a marker and msg for each marked
 * text (raw, as written); -1 with err on a marker that is not closed,
 * nested or empty, or when a callback returns non-zero. */
int tp_tplmsg_each(const char *s, size_t n, tp_tplmsg_fn text, tp_tplmsg_fn msg,
                   void *ud, char *err, size_t errlen);
/* The msgid of raw marked text: blanks collapsed, trimmed, into out (n +
 * 1 bytes); its length. */
size_t tp_tplmsg_norm(const char *raw, size_t n, char *out);
/* A translation keeps the msgid's {{...}} markers (any order). */
bool tp_tplmsg_same_markers(const char *msgid, const char *tr);

#endif /* TP_LIB_H */
