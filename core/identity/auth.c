/*
 * auth.c -- password hashing (argon2id through libsodium), the password
 * policy, random tokens and their hashes. Never logs, returns or stores a
 * password or a token in clear; only their hashes leave this file.
 */
#include "config.h"
#include "identity/identity.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <liboath/oath.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PW_MIN 10
#define PW_MAX 128

#define CODE_MIN 6
#define CODE_MAX 12

_Static_assert(sodium_base64_ENCODED_LEN(
                   32, sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 44,
               "a token is 43 characters and a NUL");

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_ok;

/* Each argon2id run takes 64 MiB: at most this many at once per worker,
 * so a burst of logins on 96 threads cannot take 6 GiB. */
#define PW_CONCURRENT 4
static sem_t pw_slots;

static void pw_enter(void)
{
	while (sem_wait(&pw_slots) != 0 && errno == EINTR)
		;
}

static void sodium_setup(void)
{
	sem_init(&pw_slots, 0, PW_CONCURRENT);
	if (sodium_init() < 0) {
		tp_log(TP_LOG_ERR, "TP0701", "libsodium failed to initialise");
		return;
	}
	sodium_ok = 1;
}

static bool sodium_ready(void)
{
	pthread_once(&sodium_once, sodium_setup);
	return sodium_ok;
}

tp_rc tp_password_hash(const char *password, char **out)
{
	*out = NULL;
	if (password == NULL || *password == '\0' || strlen(password) > PW_MAX)
		return TP_EINVAL;
	if (!sodium_ready())
		return TP_EINTERNAL;
	char *h = malloc(crypto_pwhash_STRBYTES);
	if (h == NULL)
		return TP_EINTERNAL;
	pw_enter();
	int failed = crypto_pwhash_str(h, password, strlen(password),
	                               crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                               crypto_pwhash_MEMLIMIT_INTERACTIVE);
	sem_post(&pw_slots);
	if (failed != 0) {
		/* only out of memory: the limits are libsodium's own */
		tp_log(TP_LOG_ERR, "TP0702",
		       "password hashing failed (out of memory?)");
		free(h);
		return TP_EINTERNAL;
	}
	*out = h;
	return TP_OK;
}

tp_rc tp_password_verify(const char *hash, const char *password)
{
	if (hash == NULL || password == NULL || *password == '\0' ||
	    strlen(password) > PW_MAX)
		return TP_EAUTH;
	if (!sodium_ready())
		return TP_EINTERNAL;
	/* a stored hash longer than the buffer libsodium expects cannot be
	 * one of ours */
	if (strnlen(hash, crypto_pwhash_STRBYTES) >= crypto_pwhash_STRBYTES)
		return TP_EAUTH;
	pw_enter();
	int bad = crypto_pwhash_str_verify(hash, password, strlen(password));
	sem_post(&pw_slots);
	return bad != 0 ? TP_EAUTH : TP_OK;
}

const char *tp_password_weak(const char *password)
{
	enum { LOWER = 1, UPPER = 2, DIGIT = 4, OTHER = 8 };
	unsigned classes = 0, n = 0;

	if (password == NULL || *password == '\0')
		return _("a password is required");
	size_t len = strlen(password);
	if (len < PW_MIN)
		return _(
		    "the password is too short: use at least 10 characters");
	if (len > PW_MAX)
		return _("the password is too long: at most 128 bytes");
	for (const char *p = password; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 'a' && c <= 'z')
			classes |= LOWER;
		else if (c >= 'A' && c <= 'Z')
			classes |= UPPER;
		else if (c >= '0' && c <= '9')
			classes |= DIGIT;
		else
			classes |= OTHER;
	}
	for (unsigned b = classes; b != 0; b &= b - 1)
		n++;
	if (n < 2)
		return _(
		    "the password must mix at least two of: lower-case "
		    "letters, upper-case letters, digits, other characters");
	return NULL;
}

const char *tp_security_code_weak(const char *code)
{
	size_t len = code != NULL ? strlen(code) : 0;
	bool same = true, up = true, down = true;

	if (len < CODE_MIN || len > CODE_MAX)
		return _(
		    "Enter a security code of 6 to 12 letters and digits.");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)code[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z')))
			return _(
			    "A security code holds only letters (A-Z, a-z) "
			    "and digits.");
		if (i > 0) {
			int d = (int)c - (unsigned char)code[i - 1];
			same = same && d == 0;
			up = up && d == 1;
			down = down && d == -1;
		}
	}
	/* the first codes anyone would guess */
	if (same || up || down)
		return _(
		    "Choose a code that is not one character repeated or a "
		    "straight run such as 123456.");
	return NULL;
}

/* ---- TOTP (RFC 6238, 30 s steps, 6 digits) through liboath ---- */

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_ok;

static void oath_setup(void)
{
	oath_ok = oath_init() == OATH_OK;
	if (!oath_ok)
		tp_log(TP_LOG_ERR, "TP0703", "liboath failed to initialise");
}

tp_rc tp_totp_new_secret(char out[33])
{
	unsigned char raw[20];
	char *b32 = NULL;
	size_t len = 0;

	pthread_once(&oath_once, oath_setup);
	if (!oath_ok || !sodium_ready())
		return TP_EINTERNAL;
	randombytes_buf(raw, sizeof(raw));
	int rc = oath_base32_encode((const char *)raw, sizeof(raw), &b32, &len);
	sodium_memzero(raw, sizeof(raw));
	if (rc != OATH_OK || len != 32) {
		free(b32);
		return TP_EINTERNAL;
	}
	memcpy(out, b32, 32);
	out[32] = '\0';
	sodium_memzero(b32, len);
	free(b32);
	return TP_OK;
}

tp_rc tp_totp_check_step(const char *secret_b32, const char *code,
                         int64_t *step)
{
	char *raw = NULL;
	size_t rawlen = 0;
	int pos = 0;

	*step = 0;
	if (secret_b32 == NULL || code == NULL || strlen(code) != 6 ||
	    strspn(code, "0123456789") != 6)
		return TP_EAUTH;
	pthread_once(&oath_once, oath_setup);
	if (!oath_ok)
		return TP_EINTERNAL;
	if (oath_base32_decode(secret_b32, strlen(secret_b32), &raw, &rawlen) !=
	    OATH_OK)
		return TP_EAUTH;
	/* one step either side, for clocks that drift; the one that matched
	 * names the code, so it can be taken only once */
	time_t now = time(NULL);
	int rc = oath_totp_validate2(raw, rawlen, now, 30, 0, 1, &pos, code);
	sodium_memzero(raw, rawlen);
	free(raw);
	if (rc < 0)
		return TP_EAUTH;
	*step = (int64_t)(now / 30) + pos;
	return TP_OK;
}

tp_rc tp_totp_check(const char *secret_b32, const char *code)
{
	int64_t step;
	return tp_totp_check_step(secret_b32, code, &step);
}

tp_rc tp_totp_secret_open(const char *stored, char out[33])
{
	size_t len = 0;

	out[0] = '\0';
	if (!tp_is_sealed(stored))
		return TP_EINVAL;
	tp_rc rc = tp_unseal(stored, out, 32, &len);
	if (rc == TP_OK && len == 0)
		rc = TP_EINVAL; /* never a secret of ours */
	if (rc != TP_OK) {
		sodium_memzero(out, 33);
		return rc;
	}
	out[len] = '\0';
	return TP_OK;
}
