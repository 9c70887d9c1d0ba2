/* test_money.c -- core/lib/money.c: amounts as int64 ten-thousandths, parsed
 * from and printed as decimal text; anything else refused. */
#include "config.h"
#include "server/server.h"

#include "tp_check.h"
#include <string.h>

static int64_t parsed(const char *s)
{
	int64_t v = 0x5a5a;
	ck_assert_msg(tp_money_parse(s, &v) == TP_OK, "'%s' refused", s);
	return v;
}

static void refused(const char *s)
{
	int64_t v = 0x5a5a;
	ck_assert_msg(tp_money_parse(s, &v) == TP_EINVAL, "'%s' taken", s);
	ck_assert_int_eq(v, 0x5a5a); /* nothing written */
}

START_TEST(test_parse)
{
	ck_assert_int_eq(parsed("0"), 0);
	ck_assert_int_eq(parsed("12"), 120000);
	ck_assert_int_eq(parsed("12.5"), 125000);
	ck_assert_int_eq(parsed("12.50"), 125000);
	ck_assert_int_eq(parsed("-0.0001"), -1);
	ck_assert_int_eq(parsed("+3.1"), 31000);
	ck_assert_int_eq(parsed("1234.5678"), 12345678);
	ck_assert_int_eq(parsed("922337203685477.5807"), INT64_MAX);
	ck_assert_int_eq(parsed("-922337203685477.5807"), -INT64_MAX);
}
END_TEST

START_TEST(test_refused)
{
	refused(NULL);
	refused("");
	refused("-");
	refused(".5");
	refused("5.");
	refused("1.23456"); /* five decimals: not representable */
	refused("1e5");
	refused(" 1");
	refused("1 ");
	refused("1,5");
	refused("0x10");
	refused("NaN");
	refused("--1");
	refused("9223372036854775807"); /* would overflow once scaled */
	refused("922337203685478");
	refused("922337203685477.5808");
	refused("-922337203685477.5808");
}
END_TEST

START_TEST(test_format)
{
	char b[32];
	ck_assert_str_eq(tp_money_format(0, b, sizeof(b)), "0.00");
	ck_assert_str_eq(tp_money_format(125000, b, sizeof(b)), "12.50");
	ck_assert_str_eq(tp_money_format(12345678, b, sizeof(b)), "1234.5678");
	ck_assert_str_eq(tp_money_format(12345670, b, sizeof(b)), "1234.567");
	ck_assert_str_eq(tp_money_format(-1, b, sizeof(b)), "-0.0001");
	ck_assert_str_eq(tp_money_format(-125000, b, sizeof(b)), "-12.50");
	ck_assert_str_eq(tp_money_format(INT64_MIN, b, sizeof(b)),
	                 "-922337203685477.5808");
	ck_assert_str_eq(tp_money_format(INT64_MAX, b, sizeof(b)),
	                 "922337203685477.5807");
}
END_TEST

START_TEST(test_round_trip)
{
	char b[32];
	for (int64_t v = -20001; v <= 20001; v += 7) {
		int64_t back = 0;
		ck_assert_int_eq(
		    tp_money_parse(tp_money_format(v, b, sizeof(b)), &back),
		    TP_OK);
		ck_assert_int_eq(back, v);
	}
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("money");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

TP_CHECK_MAIN(make_suite)
