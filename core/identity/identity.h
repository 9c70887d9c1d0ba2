/*
 * identity/identity.h -- who is asking and what they may see: the brand from
 * the Host (brand.c), sessions and tokens (session.c), passwords and TOTP
 * (auth.c), the scope check (scope.c), and creating brands, partners, accounts
 * and users (admin.c: the operator pages and tierportctl both use it). Includes
 * data/ and below.
 */
#ifndef TP_IDENTITY_H
#define TP_IDENTITY_H

#include "data/data.h"

/* ------------------------------------------------------------------ */
/* brand.c / session.c / scope.c                                       */

/* Host header -> r->tenant (and r->brand = its slug). TP_ENOENT for an
 * unknown or disabled host; TP_EDB if it cannot be looked up. */
tp_rc tp_brand_resolve(tp_req *r);
/* The social networks a brand may link to, and their labels (both
 * NULL-terminated, in the same order) */
extern const char *const tp_social_names[];
extern const char *const tp_social_labels[];
void tp_brand_cache_free(struct tp_brand_cache *c);
/* After a write to brands or plans: this thread's cached brands are
 * reloaded on their next use. Other threads and workers keep theirs for
 * up to [session] brand_cache_seconds. */
void tp_brand_cache_expire(tp_thread *t);
/* Puts a brand for host into t's cache for good, with no DB behind it:
 * for in-process benchmarks and tests only. */
void tp_brand_pin(tp_thread *t, const char *host, const char *slug,
                  const char *name, const char *modules);
/* Normalises a Host header into out (lower case, no port); -1 if junk. */
int tp_host_normalize(const char *host, char *out, size_t outlen);

/* The session cookie, if any, -> r->viewer. TP_OK also when there is no
 * session (r->viewer stays NULL); TP_EDB only if the DB is down. */
tp_rc tp_session_load(tp_req *r);
/* A new session for user_id; sets the cookie; *csrf gets its token. */
tp_rc tp_session_create(tp_req *r, uint64_t user_id);
/* The switcher: view as partner or account id (0: the user's own). */
tp_rc tp_session_set_view(tp_req *r, uint64_t partner_id, uint64_t account_id);
/* Drops the cached copies of the sessions whose token_hash the query
 * (one "I" parameter: id) returns, so the next request reads MariaDB. */
tp_rc tp_sessions_uncache(tp_req *r, const char *sql, uint64_t id);
/* The same for API tokens: the query returns api_tokens.token_hash. */
tp_rc tp_tokens_uncache(tp_req *r, const char *sql, uint64_t id);
/* A revocation that could not drop a cached viewer (Redis unreachable)
 * bumps viewer_epoch after its commit, so every cached viewer made before
 * it is read again from MariaDB (session.c, "Revocation and the cache");
 * logged. The sessions and tokens calls above do it themselves. */
tp_rc tp_viewer_epoch_bump(tp_db *db);
/* How long after such a bump every worker has read it: whoever bumped
 * answers only then (tierportctl sleeps it; a request: tp_session_settle). */
long long tp_viewer_epoch_wait_ms(void);
/* Before a response is written: waits out an epoch bump this request's
 * thread made, so the revocation binds the client's next request. */
void tp_session_settle(void);
/* Revokes every live session of user_id (revoked = 1), inside the
 * caller's transaction if one is open; *n (may be NULL) gets how many.
 * Drop the cached copies with tp_sessions_uncache after the commit. */
tp_rc tp_sessions_revoke_user(tp_req *r, uint64_t user_id, uint64_t *n);
/* Ends this session, or every session of the user. */
tp_rc tp_session_end(tp_req *r, bool everywhere);
/* For unsafe methods with cookie auth: the _csrf field or X-CSRF-Token
 * header must match the session's. */
tp_rc tp_csrf_check(tp_req *r);

/* The double-submit token of forms used before sign-in (login, forgotten
 * password): tp_pre_token puts it in the view as "csrf" and, if the
 * request has none, sets the tp_pre cookie for the first segment of the
 * path ("/login", "/password"); tp_pre_check: does the _csrf field match
 * that cookie? */
void tp_pre_token(tp_req *r, json_object *v);
bool tp_pre_check(tp_req *r);
/* Audit log line (best effort, logged if it cannot be written). */
void tp_audit(tp_req *r, uint64_t tenant_id, uint64_t user_id,
              const char *action, const char *object_type, uint64_t object_id,
              const char *detail_json);

/* scope.c: each {param} of the route that names a partner or account
 * must lie in the viewer's subtree; TP_ENOENT otherwise (foreign and
 * missing alike). */
tp_rc tp_scope_check(tp_req *r);
/* Is id (enum tp_scope_kind) in the viewer's subtree? The check the core
 * makes for route params, for ids a handler reads from a form: TP_OK,
 * TP_ENOENT (foreign or missing alike) or TP_EDB. */
tp_rc tp_scope_id(tp_req *r, int kind, int64_t id);
/* A module's kind of id by name among the loaded modules, or NULL; and
 * the check for one id of it (TP_OK, TP_ENOENT, TP_EDB). */
const tp_scope_def *tp_scope_def_find(const tp_modules *ms, const char *name);
tp_rc tp_scope_named(tp_req *r, const tp_scope_def *d, int64_t id);

/* ------------------------------------------------------------------ */
/* auth.c: passwords, tokens (issue 3)                                  */

/* argon2id (libsodium crypto_pwhash_str, interactive limits): *out is a
 * malloc'd encoded hash. TP_EINVAL for an empty or over-long password. */
tp_rc tp_password_hash(const char *password, char **out);
/* TP_OK if password matches the encoded hash, TP_EAUTH if not. */
tp_rc tp_password_verify(const char *hash, const char *password);
/* Checks a new password against the house policy (length 10..128, not
 * all one character class); NULL if fine, else a message for the user. */
const char *tp_password_weak(const char *password);
/* Checks a new security code (profile.c; asked for by a password reset,
 * password_reset.c): 6..12 ASCII letters and digits, not one character
 * repeated nor a straight run (123456, fedcba); NULL if fine, else a
 * message for the user. Stored and checked with tp_password_hash/verify. */
const char *tp_security_code_weak(const char *code);
/* A new TOTP secret: 20 random bytes in base32 (32 chars + NUL). */
tp_rc tp_totp_new_secret(char out[33]);
/* TP_OK if code is the 6-digit TOTP of the secret now (±30 s). */
tp_rc tp_totp_check(const char *secret_b32, const char *code);
/* The same; *step gets the 30-second time step the code is for, so a
 * code can be taken once (login.c keeps users.totp_last_step). */
tp_rc tp_totp_check_step(const char *secret_b32, const char *code,
                         int64_t *step);
/* A TOTP secret as stored (sealed, lib/keystore.c) -> its base32 text in
 * out (33 bytes). TP_EINVAL for a value that is not sealed (plain text
 * left behind: `tierportctl migrate` seals it), else tp_unseal's codes. */
tp_rc tp_totp_secret_open(const char *stored, char out[33]);

/* reseal.c: every sealed column -- the core's (users.totp_secret), then
 * each module's in ms (tp_module.sealed; ms may be NULL: the core's only)
 * -- brought under the current key: values under an older key are sealed
 * again; plain text left from before sealing (the core's columns only) is
 * sealed; plain_only: only that. One transaction per row; *done counts the
 * rows rewritten, *failed the ones that could not be opened (each logged
 * with its table and id). */
tp_rc tp_reseal_all(tp_db *db, const tp_modules *ms, bool plain_only, FILE *out,
                    unsigned *done, unsigned *failed);
/* `key status`: a line per sealed column (the same ones, in the same
 * order) to out: "TABLE.COL: key N: COUNT ... plain: COUNT" (and "not
 * readable: COUNT" if any); *unclean gets the plain and unreadable total. */
tp_rc tp_reseal_status(tp_db *db, const tp_modules *ms, FILE *out,
                       unsigned *unclean);

/* brand.c: a base URL as brand settings take it: "http[s]://host[:port]"
 * (no path, query or user); NULL if fine, else a message. *norm (may be
 * NULL) gets it lower-cased without a trailing '/', malloc'd. */
const char *tp_base_url_bad(const char *s, char **norm);
/* Should cookies carry Secure? The brand's base URL is https (or the
 * session cookie's name has the __Host- prefix, which requires it). */
bool tp_cookie_secure(tp_req *r);

/* ------------------------------------------------------------------ */
/* admin.c: brands, partners, accounts, users for tierportctl and the
 * operator pages. Each function is one DB transaction; trees are kept
 * in their closure tables. ids out-params may be NULL.                 */

typedef struct tp_brand_spec {
	const char *slug, *name, *plan; /* plan created if missing */
	const char *const *hosts;       /* NULL-terminated */
	const char *const *modules;     /* plan modules, NULL-terminated */
	int platform;         /* manages the other brands and the plans */
	const char *base_url; /* links in mails; NULL: the default (brand.c) */
} tp_brand_spec;
tp_rc tp_admin_brand_add(tp_db *db, const tp_brand_spec *b, uint64_t *id,
                         char *err, size_t errlen);
typedef struct tp_partner_spec {
	uint64_t tenant_id, parent_id; /* parent 0: a top-level partner */
	const char *name, *kind, *currency,
	    *tier; /* tier by name, may be NULL */
} tp_partner_spec;
tp_rc tp_admin_partner_add(tp_db *db, const tp_partner_spec *p, uint64_t *id,
                           char *err, size_t errlen);

typedef struct tp_account_spec {
	uint64_t tenant_id, partner_id, parent_account_id; /* 0: none */
	const char *number, *name, *kind, *currency;
} tp_account_spec;
tp_rc tp_admin_account_add(tp_db *db, const tp_account_spec *a, uint64_t *id,
                           char *err, size_t errlen);

typedef struct tp_user_spec {
	uint64_t tenant_id, partner_id, account_id; /* per kind */
	const char *kind, *login, *name, *email, *password;
	int is_admin;
	const char *group; /* rights group to copy, may be NULL */
} tp_user_spec;
tp_rc tp_admin_user_add(tp_db *db, const tp_user_spec *u, uint64_t *id,
                        char *err, size_t errlen);

#endif /* TP_IDENTITY_H */
