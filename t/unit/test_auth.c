/* test_auth.c -- core/identity/auth.c: argon2id hash and verify, salts, the
 * password and security code policies, tokens (length, alphabet, uniqueness)
 * and their hashes. */
#include "config.h"
#include "server/server.h"

#include "tp_check.h"
#include <stdlib.h>
#include <string.h>

START_TEST(test_hash_verify)
{
	char *h = NULL;
	ck_assert_int_eq(tp_password_hash("Correct-Horse-9", &h), TP_OK);
	ck_assert_ptr_nonnull(h);
	ck_assert_msg(strncmp(h, "$argon2id$", 10) == 0, "hash %s", h);
	ck_assert_int_eq(tp_password_verify(h, "Correct-Horse-9"), TP_OK);
	ck_assert_int_eq(tp_password_verify(h, "Correct-Horse-8"), TP_EAUTH);
	ck_assert_int_eq(tp_password_verify(h, "correct-horse-9"), TP_EAUTH);
	ck_assert_int_eq(tp_password_verify(h, ""), TP_EAUTH);
	ck_assert_int_eq(tp_password_verify(NULL, "Correct-Horse-9"), TP_EAUTH);
	ck_assert_int_eq(tp_password_verify("not a hash", "Correct-Horse-9"),
	                 TP_EAUTH);
	free(h);
}
END_TEST

START_TEST(test_hash_salted)
{
	char *a = NULL, *b = NULL;
	ck_assert_int_eq(tp_password_hash("Same-Password-1", &a), TP_OK);
	ck_assert_int_eq(tp_password_hash("Same-Password-1", &b), TP_OK);
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(tp_password_verify(a, "Same-Password-1"), TP_OK);
	ck_assert_int_eq(tp_password_verify(b, "Same-Password-1"), TP_OK);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_hash_refuses)
{
	char *h = (char *)1;
	char big[200];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(tp_password_hash("", &h), TP_EINVAL);
	ck_assert_ptr_null(h);
	ck_assert_int_eq(tp_password_hash(NULL, &h), TP_EINVAL);
	ck_assert_int_eq(tp_password_hash(big, &h), TP_EINVAL);
	ck_assert_ptr_null(h);
	ck_assert_int_eq(tp_password_verify("$argon2id$x", big), TP_EAUTH);
}
END_TEST

START_TEST(test_weak)
{
	char s129[130], s128[129];
	memset(s129, 'a', 129);
	s129[0] = 'A';
	s129[129] = '\0';
	memcpy(s128, s129, 128);
	s128[128] = '\0';

	/* too short, too long, missing */
	ck_assert_ptr_nonnull(tp_password_weak(NULL));
	ck_assert_ptr_nonnull(tp_password_weak(""));
	ck_assert_ptr_nonnull(tp_password_weak("Abc-12345")); /* 9 */
	ck_assert_ptr_null(tp_password_weak("Abc-123456"));   /* 10 */
	ck_assert_ptr_nonnull(tp_password_weak(s129));
	ck_assert_ptr_null(tp_password_weak(s128));
	/* one class only */
	ck_assert_ptr_nonnull(tp_password_weak("abcdefghijkl"));
	ck_assert_ptr_nonnull(tp_password_weak("ABCDEFGHIJKL"));
	ck_assert_ptr_nonnull(tp_password_weak("123456789012"));
	ck_assert_ptr_nonnull(tp_password_weak("!@#$%^&*()-_"));
	/* non-ASCII counts as "other" */
	ck_assert_ptr_nonnull(tp_password_weak("\xc3\xa9\xc3\xa9\xc3\xa9"
	                                       "\xc3\xa9\xc3\xa9"));
	ck_assert_ptr_null(tp_password_weak("abcdefghi\xc3\xa9"));
	/* any two classes are enough */
	ck_assert_ptr_null(tp_password_weak("abcdefghi1"));
	ck_assert_ptr_null(tp_password_weak("ABCDEFGHIj"));
	ck_assert_ptr_null(tp_password_weak("1234567890-"));
	ck_assert_ptr_null(tp_password_weak("correct horse"));
	/* the message says what to do */
	ck_assert_ptr_nonnull(strstr(tp_password_weak("short"), "10"));
	ck_assert_ptr_nonnull(strstr(tp_password_weak("abcdefghijkl"), "two"));
}
END_TEST

START_TEST(test_security_code)
{
	/* length 6..12 */
	ck_assert_ptr_nonnull(tp_security_code_weak(NULL));
	ck_assert_ptr_nonnull(tp_security_code_weak(""));
	ck_assert_ptr_nonnull(tp_security_code_weak("73914"));
	ck_assert_ptr_null(tp_security_code_weak("739146"));
	ck_assert_ptr_null(tp_security_code_weak("Kx7p2QmZ4w9R"));
	ck_assert_ptr_nonnull(tp_security_code_weak("Kx7p2QmZ4w9R5"));
	/* letters and digits only, ASCII */
	ck_assert_ptr_nonnull(tp_security_code_weak("7391-46"));
	ck_assert_ptr_nonnull(tp_security_code_weak("739 146"));
	ck_assert_ptr_nonnull(tp_security_code_weak("73914\xc3\xa9"));
	ck_assert_ptr_null(tp_security_code_weak("gardenGate42"));
	/* one character repeated, a straight run either way */
	ck_assert_ptr_nonnull(tp_security_code_weak("000000"));
	ck_assert_ptr_nonnull(tp_security_code_weak("aaaaaaaa"));
	ck_assert_ptr_nonnull(tp_security_code_weak("123456"));
	ck_assert_ptr_nonnull(tp_security_code_weak("3456789"));
	ck_assert_ptr_nonnull(tp_security_code_weak("987654"));
	ck_assert_ptr_nonnull(tp_security_code_weak("abcdef"));
	ck_assert_ptr_nonnull(tp_security_code_weak("FEDCBA"));
	/* almost a run is fine */
	ck_assert_ptr_null(tp_security_code_weak("123457"));
	ck_assert_ptr_null(tp_security_code_weak("000001"));
	/* the message says what to do */
	ck_assert_ptr_nonnull(strstr(tp_security_code_weak("12"), "6 to 12"));
	ck_assert_ptr_nonnull(strstr(tp_security_code_weak("123456"), "run"));
}
END_TEST

static int cmp_tok(const void *a, const void *b)
{
	return strcmp(a, b);
}

START_TEST(test_tokens)
{
	enum { N = 1000 };
	char(*t)[44] = calloc(N, sizeof(*t));
	ck_assert_ptr_nonnull(t);
	for (int i = 0; i < N; i++) {
		tp_token_new(t[i]);
		ck_assert_uint_eq(strlen(t[i]), 43);
		ck_assert_msg(strspn(t[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		                           "abcdefghijklmnopqrstuvwxyz"
		                           "0123456789-_") == 43,
		              "token %s has characters outside base64url",
		              t[i]);
	}
	qsort(t, N, sizeof(*t), cmp_tok);
	for (int i = 1; i < N; i++)
		ck_assert_str_ne(t[i - 1], t[i]);
	free(t);
}
END_TEST

START_TEST(test_token_hash)
{
	/* SHA-256("abc"), FIPS 180-2 appendix B.1 */
	static const unsigned char abc[32] = {
	    0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
	    0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
	    0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
	unsigned char h1[32], h2[32], h3[32];
	char tok[44], other[44];

	tp_token_hash("abc", h1);
	ck_assert_mem_eq(h1, abc, 32);
	tp_token_new(tok);
	tp_token_new(other);
	tp_token_hash(tok, h1);
	tp_token_hash(tok, h2);
	tp_token_hash(other, h3);
	ck_assert_mem_eq(h1, h2, 32);
	ck_assert(memcmp(h1, h3, 32) != 0);
}
END_TEST

static Suite *auth_suite(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = tcase_create("passwords");
	/* argon2id with 64 MiB per hash: slow under the sanitizers */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_hash_verify);
	tcase_add_test(tc, test_hash_salted);
	tcase_add_test(tc, test_hash_refuses);
	tcase_add_test(tc, test_weak);
	tcase_add_test(tc, test_security_code);
	suite_add_tcase(s, tc);
	tc = tcase_create("tokens");
	tcase_add_test(tc, test_tokens);
	tcase_add_test(tc, test_token_hash);
	suite_add_tcase(s, tc);
	return s;
}

TP_CHECK_MAIN(auth_suite)
