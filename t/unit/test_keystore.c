/* test_keystore.c -- core/keystore.c: the key file (made, rotated, refused
 * when others may read it or when it is malformed) and sealed values: a
 * round trip, tampering and a wrong key refused cleanly, rotation (an old
 * value still opens; tp_reseal moves it to the new key); and brand.c's
 * base URL check. */
#include "config.h"
#include "server/server.h"

#include "tp_check.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/tp_keystore_XXXXXX";
static char path[64], path2[64];

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/keys", dir);
	snprintf(path2, sizeof(path2), "%s/other", dir);
}

static void teardown(void)
{
	tp_keystore_free();
	unlink(path);
	unlink(path2);
	rmdir(dir);
	memcpy(dir + strlen(dir) - 6, "XXXXXX", 6);
}

static void load(const char *p)
{
	char err[512];
	ck_assert_msg(tp_keystore_load(p, err, sizeof(err)) == TP_OK, "%s",
	              err);
}

static void write_file(const char *p, const char *text, mode_t mode)
{
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	chmod(p, mode);
}

START_TEST(test_round_trip)
{
	char err[512], out[TP_SEALED_LEN(100)], again[TP_SEALED_LEN(100)];
	unsigned char plain[100], back[100];
	size_t len = 0;

	ck_assert_int_eq(tp_keystore_init_file(path, err, sizeof(err)), TP_OK);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	/* never over an existing file */
	ck_assert_int_eq(tp_keystore_init_file(path, err, sizeof(err)),
	                 TP_ECONFLICT);
	ck_assert_int_eq(tp_seal("x", 1, out, sizeof(out)), TP_EUNAVAIL);
	load(path);
	ck_assert_uint_eq(tp_keystore_current(), 1);
	for (size_t i = 0; i < sizeof(plain); i++)
		plain[i] = (unsigned char)(i * 7);
	for (size_t n = 0; n <= sizeof(plain); n += 33) {
		ck_assert_int_eq(tp_seal(plain, n, out, TP_SEALED_LEN(n)),
		                 TP_OK);
		ck_assert_uint_eq(strlen(out) + 1, TP_SEALED_LEN(n));
		ck_assert(strncmp(out, "sb1:", 4) == 0);
		ck_assert(strspn(out + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"
		                          "klmnopqrstuvwxyz0123456789-_") ==
		          strlen(out) - 4);
		ck_assert_int_eq(tp_sealed_key_id(out), 1);
		ck_assert_int_eq(tp_unseal(out, back, sizeof(back), &len),
		                 TP_OK);
		ck_assert_uint_eq(len, n);
		ck_assert(memcmp(back, plain, n) == 0);
		/* a fresh nonce each time */
		ck_assert_int_eq(tp_seal(plain, n, again, sizeof(again)),
		                 TP_OK);
		ck_assert_str_ne(out, again);
	}
	/* too small a buffer either way */
	ck_assert_int_eq(tp_seal(plain, 10, out, TP_SEALED_LEN(10) - 1),
	                 TP_ETOOBIG);
	ck_assert_int_eq(tp_seal(plain, 10, out, sizeof(out)), TP_OK);
	ck_assert_int_eq(tp_unseal(out, back, 9, &len), TP_ETOOBIG);
}
END_TEST

START_TEST(test_tamper)
{
	char err[512], out[TP_SEALED_LEN(32)], bad[TP_SEALED_LEN(32) + 8];
	unsigned char back[64];
	size_t len = 99;

	ck_assert_int_eq(tp_keystore_init_file(path, err, sizeof(err)), TP_OK);
	load(path);
	ck_assert_int_eq(
	    tp_seal("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", 32, out, sizeof(out)),
	    TP_OK);
	/* every character changed in turn: refused, never opened */
	for (size_t i = 4; out[i] != '\0'; i++) {
		snprintf(bad, sizeof(bad), "%s", out);
		bad[i] = bad[i] == 'A' ? 'B' : 'A';
		tp_rc rc = tp_unseal(bad, back, sizeof(back), &len);
		ck_assert_msg(rc == TP_EAUTH || rc == TP_EINVAL ||
		                  rc == TP_ENOENT,
		              "position %zu: %d", i, rc);
		ck_assert_uint_eq(len, 0);
	}
	/* cut short, made longer, not one at all */
	snprintf(bad, sizeof(bad), "%.*s", (int)strlen(out) - 3, out);
	ck_assert_int_ne(tp_unseal(bad, back, sizeof(back), &len), TP_OK);
	snprintf(bad, sizeof(bad), "%sAAAA", out);
	ck_assert_int_ne(tp_unseal(bad, back, sizeof(back), &len), TP_OK);
	ck_assert_int_eq(
	    tp_unseal("JBSWY3DPEHPK3PXP", back, sizeof(back), &len), TP_EINVAL);
	ck_assert_int_eq(tp_unseal("sb1:", back, sizeof(back), &len),
	                 TP_EINVAL);
	ck_assert_int_eq(tp_unseal("sb1:!!!!", back, sizeof(back), &len),
	                 TP_EINVAL);
	ck_assert_int_eq(tp_unseal(NULL, back, sizeof(back), &len), TP_EINVAL);
	ck_assert(!tp_is_sealed("JBSWY3DPEHPK3PXP"));
	ck_assert_int_eq(tp_sealed_key_id("JBSWY3DPEHPK3PXP"), -1);
}
END_TEST

START_TEST(test_wrong_key)
{
	char err[512], out[TP_SEALED_LEN(5)];
	unsigned char back[16];
	size_t len;

	ck_assert_int_eq(tp_keystore_init_file(path, err, sizeof(err)), TP_OK);
	ck_assert_int_eq(tp_keystore_init_file(path2, err, sizeof(err)), TP_OK);
	load(path);
	ck_assert_int_eq(tp_seal("hello", 5, out, sizeof(out)), TP_OK);
	/* another file's key 1: the MAC fails */
	load(path2);
	ck_assert_int_eq(tp_unseal(out, back, sizeof(back), &len), TP_EAUTH);
	/* a key id the file does not hold */
	write_file(path2, "7 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
	           0600);
	load(path2);
	ck_assert_uint_eq(tp_keystore_current(), 7);
	ck_assert_int_eq(tp_unseal(out, back, sizeof(back), &len), TP_ENOENT);
	/* and back to the right one */
	load(path);
	ck_assert_int_eq(tp_unseal(out, back, sizeof(back), &len), TP_OK);
	ck_assert(memcmp(back, "hello", 5) == 0);
}
END_TEST

START_TEST(test_rotate)
{
	char err[512], old[TP_SEALED_LEN(6)], moved[TP_SEALED_LEN(6)];
	char same[TP_SEALED_LEN(6)] = "untouched";
	unsigned char back[16];
	unsigned id = 0;
	size_t len;
	bool changed = true;

	ck_assert_int_eq(tp_keystore_init_file(path, err, sizeof(err)), TP_OK);
	load(path);
	ck_assert_int_eq(tp_seal("secret", 6, old, sizeof(old)), TP_OK);
	ck_assert_int_eq(tp_keystore_rotate(path, &id, err, sizeof(err)),
	                 TP_OK);
	ck_assert_uint_eq(id, 2);
	/* the loaded keys are as they were until the file is loaded again */
	ck_assert_uint_eq(tp_keystore_current(), 1);
	load(path);
	ck_assert_uint_eq(tp_keystore_current(), 2);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	/* the old value still opens, under key 1 */
	ck_assert_int_eq(tp_unseal(old, back, sizeof(back), &len), TP_OK);
	ck_assert(len == 6 && memcmp(back, "secret", 6) == 0);
	/* reencrypt moves it to key 2 ... */
	ck_assert_int_eq(tp_reseal(old, moved, sizeof(moved), &changed), TP_OK);
	ck_assert(changed);
	ck_assert_int_eq(tp_sealed_key_id(old), 1);
	ck_assert_int_eq(tp_sealed_key_id(moved), 2);
	ck_assert_int_eq(tp_unseal(moved, back, sizeof(back), &len), TP_OK);
	ck_assert(len == 6 && memcmp(back, "secret", 6) == 0);
	/* ... and leaves a value under the current key alone */
	ck_assert_int_eq(tp_reseal(moved, same, sizeof(same), &changed), TP_OK);
	ck_assert(!changed);
	ck_assert_str_eq(same, "untouched");
	/* new seals use key 2 */
	ck_assert_int_eq(tp_seal("x", 1, same, sizeof(same)), TP_OK);
	ck_assert_int_eq(tp_sealed_key_id(same), 2);
	/* a third rotation: ids go on counting */
	ck_assert_int_eq(tp_keystore_rotate(path, &id, err, sizeof(err)),
	                 TP_OK);
	ck_assert_uint_eq(id, 3);
	load(path);
	ck_assert_int_eq(tp_unseal(old, back, sizeof(back), &len), TP_OK);
}
END_TEST

START_TEST(test_bad_files)
{
	char err[512];
	static const char key[] =
	    "1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";

	ck_assert_int_eq(tp_keystore_load(path, err, sizeof(err)), TP_ENOENT);
	ck_assert(strstr(err, "key init") != NULL);
	write_file(path, key, 0644);
	ck_assert_int_eq(tp_keystore_load(path, err, sizeof(err)), TP_ENOENT);
	ck_assert_msg(strstr(err, "chmod 600") != NULL, "%s", err);
	write_file(path, "# only a comment\n", 0600);
	ck_assert_int_eq(tp_keystore_load(path, err, sizeof(err)), TP_EINVAL);
	write_file(path, "1 c2hvcnQ=\n", 0600);
	ck_assert_int_eq(tp_keystore_load(path, err, sizeof(err)), TP_EINVAL);
	write_file(path, "0 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
	           0600);
	ck_assert_int_eq(tp_keystore_load(path, err, sizeof(err)), TP_EINVAL);
	write_file(path,
	           "1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
	           "1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
	           0600);
	ck_assert_int_eq(tp_keystore_load(path, err, sizeof(err)), TP_EINVAL);
	ck_assert(strstr(err, "twice") != NULL);
	/* a failed load keeps the keys loaded before */
	write_file(path2, key, 0600);
	load(path2);
	ck_assert_int_eq(tp_keystore_load(path, err, sizeof(err)), TP_EINVAL);
	ck_assert_uint_eq(tp_keystore_current(), 1);
}
END_TEST

START_TEST(test_base_url)
{
	char *n = NULL;
	ck_assert_ptr_null(tp_base_url_bad("https://Portal.Acme.example/", &n));
	ck_assert_str_eq(n, "https://portal.acme.example");
	free(n);
	ck_assert_ptr_null(tp_base_url_bad("http://localhost:8080", NULL));
	ck_assert_ptr_null(tp_base_url_bad("https://[::1]:8443", NULL));
	ck_assert_ptr_null(tp_base_url_bad("https://10.0.0.1", NULL));
	static const char *const bad[] = {"",
	                                  "portal.example",
	                                  "ftp://portal.example",
	                                  "https://",
	                                  "https://portal.example/path",
	                                  "https://user@portal.example",
	                                  "https://portal.example?x=1",
	                                  "https://portal.example:0",
	                                  "https://portal.example:65536",
	                                  "https://portal.example:",
	                                  "https://.portal.example",
	                                  "https://portal example",
	                                  "https://portal.example\r\n",
	                                  "javascript://x",
	                                  NULL};
	for (size_t i = 0; bad[i] != NULL; i++)
		ck_assert_msg(tp_base_url_bad(bad[i], NULL) != NULL,
		              "'%s' taken", bad[i]);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("keystore");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_tamper);
	tcase_add_test(tc, test_wrong_key);
	tcase_add_test(tc, test_rotate);
	tcase_add_test(tc, test_bad_files);
	tcase_add_test(tc, test_base_url);
	suite_add_tcase(s, tc);
	return s;
}

TP_CHECK_MAIN(make_suite)
