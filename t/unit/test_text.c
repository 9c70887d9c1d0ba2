/* test_text.c -- core/lib/text.c's checks (one for each kind of text a user
 * sends, the ABI's tp_check_*) and core/lib/clock.c's tp_now(), moved by a
 * clock file as tests move it. */
#include "config.h"
#include "server/server.h"

#include "tp_check.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

START_TEST(test_date)
{
	int y = 0, m = 0, d = 0;
	ck_assert_ptr_null(tp_check_date("2024-02-29", &y, &m, &d));
	ck_assert_int_eq(y, 2024);
	ck_assert_int_eq(m, 2);
	ck_assert_int_eq(d, 29);
	ck_assert_ptr_null(tp_check_date("2000-02-29", NULL, NULL, NULL));
	ck_assert_ptr_null(tp_check_date("2026-12-31", NULL, NULL, NULL));
	/* a day the calendar does not have: the grid's old check took it */
	ck_assert_ptr_nonnull(tp_check_date("2023-02-29", NULL, NULL, NULL));
	ck_assert_ptr_nonnull(tp_check_date("1900-02-29", NULL, NULL, NULL));
	ck_assert_ptr_nonnull(tp_check_date("2026-04-31", NULL, NULL, NULL));
	ck_assert_ptr_nonnull(tp_check_date("2026-13-01", NULL, NULL, NULL));
	ck_assert_ptr_nonnull(tp_check_date("2026-00-10", NULL, NULL, NULL));
	/* not the form */
	static const char *const bad[] = {
	    "",           "2026-1-01",   "2026/01/01",
	    "26-01-01",   "2026-01-01T", " 2026-01-01",
	    "2026-0a-01", "1899-12-31",  NULL};
	for (const char *const *s = bad; *s != NULL; s++)
		ck_assert_msg(tp_check_date(*s, NULL, NULL, NULL) != NULL,
		              "'%s' taken", *s);
	ck_assert_ptr_nonnull(tp_check_date(NULL, NULL, NULL, NULL));
}
END_TEST

START_TEST(test_checks)
{
	ck_assert_ptr_null(tp_check_email(""));
	ck_assert_ptr_null(tp_check_email("a.b@example.com"));
	ck_assert_ptr_nonnull(tp_check_email("a@b"));
	ck_assert_ptr_nonnull(tp_check_email("a b@example.com"));
	ck_assert_ptr_nonnull(tp_check_email("a@b@example.com"));
	ck_assert_ptr_null(tp_check_phone("+1 (555) 010-0000"));
	ck_assert_ptr_nonnull(tp_check_phone("call me"));
	ck_assert_ptr_null(tp_check_currency("EUR"));
	ck_assert_ptr_nonnull(tp_check_currency("eur"));
	ck_assert_ptr_nonnull(tp_check_currency("EURO"));
	ck_assert_ptr_null(tp_check_text("Élan", 10, 0));
	ck_assert_str_eq(tp_check_text("", 10, 0), "is required");
	ck_assert_ptr_null(tp_check_text("", 10, 1));
	ck_assert_str_eq(tp_check_text("01234567890", 10, 0), "is too long");
	ck_assert_ptr_nonnull(tp_check_text("a\tb", 10, 0));
	ck_assert_ptr_nonnull(tp_check_text("\xc0\xaf", 10, 0)); /* overlong */
}
END_TEST

START_TEST(test_clock)
{
	char path[] = "/tmp/tp-clock-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);

	tp_clock_init(NULL);
	int64_t t0 = (int64_t)time(NULL);
	ck_assert(tp_now() >= t0 && tp_now() <= t0 + 2);
	tp_clock_init(path); /* empty file: no offset */
	ck_assert(tp_now() >= t0 && tp_now() <= t0 + 2);
	FILE *f = fopen(path, "w");
	fprintf(f, "86400\n");
	fclose(f);
	tp_clock_init(path); /* read again at once after an init */
	ck_assert(tp_now() >= t0 + 86400 && tp_now() <= t0 + 86402);
	/* a changed file is seen within a second */
	f = fopen(path, "w");
	fprintf(f, "-3600\n");
	fclose(f);
	sleep(2);
	int64_t now = (int64_t)time(NULL);
	ck_assert(tp_now() >= now - 3600 && tp_now() <= now - 3598);
	unlink(path);
	tp_clock_init(NULL);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_date);
	tcase_add_test(tc, test_checks);
	tcase_add_test(tc, test_clock);
	suite_add_tcase(s, tc);
	return s;
}

TP_CHECK_MAIN(make_suite)
