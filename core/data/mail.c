/*
 * mail.c -- `tierportctl mail send`: delivers the rows of mail_outbox over
 * SMTP with libcurl ([mail] in the config). Only tierportctl links it, so
 * the daemon never carries libcurl; the daemon only writes to the outbox.
 *
 * Each row is taken in its own transaction with SELECT ... FOR UPDATE SKIP
 * LOCKED and stays locked while it is sent: two senders running at once
 * never take the same row, and a row is marked sent (or its attempts
 * counted, with last_error) in the same transaction, right after the SMTP
 * answer. Only if that commit failed could a row go out twice. A sent
 * row keeps its address and subject but not its body: the outbox is a
 * queue, not an archive, and a body may hold a link that signs someone in
 * (a password reset's).
 *
 * The message is built here: Date, From (the brand's name, the [mail] from
 * address), To, Message-ID, Subject (RFC 2047 when not plain ASCII), MIME
 * headers, and the body with CRLF line ends, 7bit when ASCII, else
 * quoted-printable. libcurl does the dot-stuffing.
 */
#include "config.h"
#include "data/data.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_ATTEMPTS 5 /* a row failed this often is left alone */

/* ------------------------------------------------------------------ */
/* a growing byte buffer                                                */

typedef struct mbuf {
	char *p;
	size_t len, cap;
	bool oom;
} mbuf;

static void mb_add(mbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (p == NULL) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void mb_str(mbuf *b, const char *s)
{
	mb_add(b, s, strlen(s));
}

/* ------------------------------------------------------------------ */
/* addresses and header text                                            */

/* An address fit for the envelope and a header as it is: ASCII, one '@'
 * with something either side, no spaces, controls or specials. */
static bool addr_ok(const char *s)
{
	const char *at = strchr(s, '@');
	if (at == NULL || at == s || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL || strlen(s) > 254)
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    strchr("<>()[],;:\\\"", *p) != NULL)
			return false;
	return true;
}

static bool plain_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < ' ' || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/* Header text: as it is when plain ASCII, else RFC 2047 encoded-words
 * (UTF-8, base64) of at most 45 bytes each, never splitting a character,
 * folded onto continuation lines. Controls (CR, LF) become spaces first:
 * no value can start a header of its own. */
static void mb_header_text(mbuf *b, const char *s)
{
	size_t n = strlen(s);
	char *t = malloc(n + 1);
	if (t == NULL) {
		b->oom = true;
		return;
	}
	for (size_t i = 0; i <= n; i++)
		t[i] = (unsigned char)s[i] < ' ' && s[i] != '\0' ? ' ' : s[i];
	if (plain_ascii(t)) {
		mb_str(b, t);
		free(t);
		return;
	}
	for (size_t off = 0; off < n;) {
		size_t k = n - off > 45 ? 45 : n - off;
		/* back off to the start of a UTF-8 character */
		while (off + k < n && k > 1 &&
		       ((unsigned char)t[off + k] & 0xc0) == 0x80)
			k--;
		char enc[sodium_base64_ENCODED_LEN(
		    45, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(enc, sizeof(enc), (unsigned char *)t + off, k,
		                  sodium_base64_VARIANT_ORIGINAL);
		if (off > 0)
			mb_str(b, "\r\n ");
		mb_str(b, "=?UTF-8?B?");
		mb_str(b, enc);
		mb_str(b, "?=");
		off += k;
	}
	free(t);
}

/* A display name: a quoted-string when plain ASCII, else encoded-words. */
static void mb_display_name(mbuf *b, const char *s)
{
	if (!plain_ascii(s)) {
		mb_header_text(b, s);
		return;
	}
	mb_str(b, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			mb_str(b, "\\");
		mb_add(b, s, 1);
	}
	mb_str(b, "\"");
}

/* ------------------------------------------------------------------ */
/* the body                                                             */

static bool body_is_7bit(const char *s)
{
	size_t line = 0;
	for (; *s; s++) {
		if ((unsigned char)*s >= 0x80)
			return false;
		line = *s == '\n' ? 0 : line + 1;
		if (line > 990)
			return false;
	}
	return true;
}

/* LF (or CRLF) line ends as CRLF; lone CRs dropped. */
static void mb_body_7bit(mbuf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\r')
			continue;
		if (*s == '\n')
			mb_str(b, "\r\n");
		else
			mb_add(b, s, 1);
	}
}

/* Quoted-printable (RFC 2045 6.7): lines of at most 76 characters with
 * soft breaks, '=' and 8-bit bytes as =XX, blanks at a line end encoded. */
static void mb_body_qp(mbuf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t col = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char tok[4];
		size_t tn;
		if (c == '\r')
			continue;
		if (c == '\n') {
			mb_str(b, "\r\n");
			col = 0;
			continue;
		}
		bool at_end = s[1] == '\n' || s[1] == '\0' ||
		              (s[1] == '\r' && (s[2] == '\n' || s[2] == '\0'));
		if ((c >= 33 && c <= 126 && c != '=') ||
		    ((c == ' ' || c == '\t') && !at_end)) {
			tok[0] = (char)c;
			tn = 1;
		} else {
			tok[0] = '=';
			tok[1] = hex[c >> 4];
			tok[2] = hex[c & 15];
			tn = 3;
		}
		if (col + tn > 75) {
			mb_str(b, "=\r\n");
			col = 0;
		}
		mb_add(b, tok, tn);
		col += tn;
	}
}

/* The whole message, headers and body, into b. */
static void build_message(mbuf *b, const tp_config *cfg, int64_t id,
                          const char *brand, const char *to,
                          const char *subject, const char *body)
{
	char date[64], tok[44];
	time_t now = time(NULL);
	struct tm tm;
	const char *domain = strchr(cfg->mail_from, '@') + 1;

	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &tm);
	tp_token_new(tok);
	mb_str(b, "Date: ");
	mb_str(b, date);
	mb_str(b, "\r\nFrom: ");
	if (brand != NULL && *brand != '\0') {
		mb_display_name(b, brand);
		mb_str(b, " ");
	}
	mb_str(b, "<");
	mb_str(b, cfg->mail_from);
	mb_str(b, ">\r\nTo: ");
	mb_str(b, to);
	char mid[128];
	snprintf(mid, sizeof(mid), "\r\nMessage-ID: <%s.%lld@", tok,
	         (long long)id);
	mb_str(b, mid);
	mb_str(b, domain);
	mb_str(b, ">\r\nSubject: ");
	mb_header_text(b, subject);
	mb_str(b, "\r\nMIME-Version: 1.0\r\n"
	          "Content-Type: text/plain; charset=utf-8\r\n");
	bool seven = body_is_7bit(body);
	mb_str(b, seven
	              ? "Content-Transfer-Encoding: 7bit\r\n\r\n"
	              : "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	if (seven)
		mb_body_7bit(b, body);
	else
		mb_body_qp(b, body);
	if (b->len < 2 || memcmp(b->p + b->len - 2, "\r\n", 2) != 0)
		mb_str(b, "\r\n");
}

/* ------------------------------------------------------------------ */
/* SMTP                                                                 */

typedef struct upload {
	const char *p;
	size_t len, off;
} upload;

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *ud)
{
	upload *u = ud;
	size_t n = size * nmemb;
	if (n > u->len - u->off)
		n = u->len - u->off;
	memcpy(dst, u->p + u->off, n);
	u->off += n;
	return n;
}

/* One message to one recipient; false with err filled on failure. The
 * handle keeps its connection for the next message. */
static bool smtp_send(CURL *c, const tp_config *cfg, const char *to,
                      const mbuf *msg, char *err, size_t errlen)
{
	char ebuf[CURL_ERROR_SIZE] = "", from[300], rcpt_s[300];
	upload up = {msg->p, msg->len, 0};
	long connect = cfg->smtp_timeout < 10 ? cfg->smtp_timeout : 10;

	snprintf(from, sizeof(from), "<%s>", cfg->mail_from);
	snprintf(rcpt_s, sizeof(rcpt_s), "<%s>", to);
	struct curl_slist *rcpt = curl_slist_append(NULL, rcpt_s);
	if (rcpt == NULL) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS,
	                 (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, connect);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)cfg->smtp_timeout);
	if (cfg->smtp_starttls)
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (cfg->smtp_user != NULL && cfg->smtp_password != NULL) {
		curl_easy_setopt(c, CURLOPT_USERNAME, cfg->smtp_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->smtp_password);
	}
	CURLcode cc = curl_easy_perform(c);
	curl_slist_free_all(rcpt);
	if (cc == CURLE_OK)
		return true;
	snprintf(err, errlen, "%s", ebuf[0] ? ebuf : curl_easy_strerror(cc));
	return false;
}

/* ------------------------------------------------------------------ */
/* the outbox                                                           */

/* Takes the next unsent row after *last, sends it and records the outcome,
 * all in one transaction. *done: no row was left. */
static tp_rc send_next(const tp_config *cfg, tp_db *db, CURL *c, int64_t *last,
                       bool *done, unsigned *sent, unsigned *failed)
{
	tp_arena a;
	tp_rows *rs, *tn;
	mbuf msg = {0};
	char err[256] = "";
	bool ok = false;

	*done = false;
	tp_arena_init(&a);
	tp_rc rc = tp_db_begin(db);
	if (rc == TP_OK)
		rc = tp_db_query_a(
		    db, &a, &rs,
		    "SELECT id, tenant_id, to_addr, subject, body "
		    "FROM mail_outbox WHERE sent_at IS NULL AND "
		    "attempts < ? AND id > ? ORDER BY id LIMIT 1 "
		    "FOR UPDATE SKIP LOCKED",
		    "iI", MAX_ATTEMPTS, *last);
	if (rc != TP_OK)
		goto out;
	if (tp_rows_count(rs) == 0) {
		*done = true;
		rc = tp_db_commit(db);
		goto out;
	}
	int64_t id = tp_rows_i64(rs, 0, 0);
	const char *to = tp_rows_get(rs, 0, 2);
	*last = id;
	/* a plain read: the brand's row is not locked */
	rc = tp_db_query_a(db, &a, &tn, "SELECT name FROM tenants WHERE id = ?",
	                   "I", tp_rows_i64(rs, 0, 1));
	if (rc != TP_OK)
		goto out;
	if (!addr_ok(to)) {
		snprintf(err, sizeof(err), "not a usable address");
	} else {
		build_message(&msg, cfg, id,
		              tp_rows_count(tn) ? tp_rows_get(tn, 0, 0) : NULL,
		              to, tp_rows_get(rs, 0, 3), tp_rows_get(rs, 0, 4));
		if (msg.oom)
			snprintf(err, sizeof(err), "out of memory");
		else
			ok = smtp_send(c, cfg, to, &msg, err, sizeof(err));
	}
	if (ok)
		rc = tp_db_exec(db, NULL,
		                "UPDATE mail_outbox SET sent_at = NOW(), "
		                "last_error = NULL, body = '' WHERE id = ?",
		                "I", id);
	else
		rc = tp_db_exec(
		    db, NULL,
		    "UPDATE mail_outbox SET attempts = attempts + 1, "
		    "last_error = LEFT(?, 255) WHERE id = ?",
		    "sI", err, id);
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	if (rc != TP_OK) {
		if (ok)
			tp_log(TP_LOG_ERR, "TP1013",
			       "mail %lld was sent but cannot be marked so: "
			       "it may go out again",
			       (long long)id);
		goto out;
	}
	if (ok) {
		(*sent)++;
		tp_log(TP_LOG_INFO, "TP1011", "mail %lld sent", (long long)id);
	} else {
		(*failed)++;
		tp_log(TP_LOG_WARN, "TP1012", "mail %lld not sent: %s",
		       (long long)id, err);
	}
out:
	if (rc != TP_OK && tp_db_in_txn(db))
		tp_db_rollback(db);
	free(msg.p);
	tp_arena_destroy(&a);
	return rc;
}

tp_rc tp_mail_send(const tp_config *cfg, tp_db *db, unsigned limit,
                   unsigned *sent, unsigned *failed)
{
	int64_t last = 0;
	bool done = false;
	tp_rc rc = TP_OK;

	*sent = *failed = 0;
	if (cfg->smtp_url == NULL || cfg->mail_from == NULL ||
	    !addr_ok(cfg->mail_from)) {
		tp_log(TP_LOG_ERR, "TP1010",
		       "[mail] smtp_url and from (an address) must be set");
		return TP_EINVAL;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return TP_EINTERNAL;
	CURL *c = curl_easy_init();
	if (c == NULL) {
		curl_global_cleanup();
		return TP_EINTERNAL;
	}
	while (rc == TP_OK && !done && (limit == 0 || *sent + *failed < limit))
		rc = send_next(cfg, db, c, &last, &done, sent, failed);
	curl_easy_cleanup(c);
	curl_global_cleanup();
	return rc;
}
