/*
 * token.c -- random tokens (sessions, API tokens, reset links, CSRF) and
 * the SHA-256 under which only their hashes are stored. libsodium; no
 * request, no DB.
 */
#include "config.h"
#include "lib/lib.h"

#include <pthread.h>
#include <string.h>

#include <sodium.h>

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;

static int sodium_ok;

/* randombytes_buf sets itself up even if this failed, and aborts rather
 * than hand out a guessable token */
static void sodium_setup(void)
{
	sodium_ok = sodium_init() >= 0;
}

void tp_token_new(char out[44])
{
	unsigned char raw[32];

	pthread_once(&sodium_once, sodium_setup);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, 44, raw, sizeof(raw),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void tp_token_hash(const char *token, unsigned char out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}
