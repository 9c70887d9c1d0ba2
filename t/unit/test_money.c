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

START_TEST(test_round_half_even)
{
	/* EUR: cents */
	ck_assert_int_eq(tp_money_round(123450, "EUR"), 123400); /* 12.345 */
	ck_assert_int_eq(tp_money_round(123550, "EUR"), 123600); /* 12.355 */
	ck_assert_int_eq(tp_money_round(123451, "EUR"),
	                 123500); /* above half */
	ck_assert_int_eq(tp_money_round(123449, "EUR"), 123400);
	ck_assert_int_eq(tp_money_round(-123450, "EUR"), -123400);
	ck_assert_int_eq(tp_money_round(-123550, "EUR"), -123600);
	ck_assert_int_eq(tp_money_round(-50, "EUR"), 0);   /* -0.005 */
	ck_assert_int_eq(tp_money_round(150, "EUR"), 200); /* 0.015 */
	ck_assert_int_eq(tp_money_round(120000, "EUR"), 120000);
	/* JPY has no minor unit, KWD three */
	ck_assert_int_eq(tp_money_round(25000, "JPY"), 20000); /* 2.5 */
	ck_assert_int_eq(tp_money_round(35000, "JPY"), 40000);
	ck_assert_int_eq(tp_money_round(12345, "KWD"), 12340); /* 1.2345 */
	ck_assert_int_eq(tp_money_round(12355, "KWD"), 12360);
	ck_assert_int_eq(tp_currency_minor("USD"), 2);
	ck_assert_int_eq(tp_currency_minor("JPY"), 0);
}
END_TEST

START_TEST(test_ccy_text)
{
	char b[32];
	int64_t v = 7;
	ck_assert_str_eq(tp_money_format_ccy(120000, "EUR", b, sizeof(b)),
	                 "12.00");
	ck_assert_str_eq(tp_money_format_ccy(120000, "JPY", b, sizeof(b)),
	                 "12");
	ck_assert_str_eq(tp_money_format_ccy(125, "EUR", b, sizeof(b)),
	                 "0.0125");
	ck_assert_str_eq(tp_money_format_ccy(-5000, "KWD", b, sizeof(b)),
	                 "-0.500");
	ck_assert_int_eq(tp_money_parse_ccy("12.34", "EUR", &v), TP_OK);
	ck_assert_int_eq(v, 123400);
	ck_assert_int_eq(tp_money_parse_ccy("12.345", "EUR", &v), TP_EINVAL);
	ck_assert_int_eq(tp_money_parse_ccy("12.5", "JPY", &v), TP_EINVAL);
	ck_assert_int_eq(v, 123400); /* nothing written */
	json_object *o = tp_json_money(123456, "EUR");
	ck_assert_str_eq(
	    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
	    "{\"value\":\"12.3456\",\"currency\":\"EUR\"}");
	json_object_put(o);
	o = tp_json_money(-5000, "EUR");
	ck_assert_str_eq(
	    json_object_get_string(json_object_object_get(o, "value")),
	    "-0.5000");
	json_object_put(o);
}
END_TEST

START_TEST(test_mul_div)
{
	int64_t v = 0;
	/* 31.00 a month, started on the 17th of a 31-day month: 15 days */
	ck_assert_int_eq(tp_money_mul_div(310000, 15, 31, "EUR", &v), TP_OK);
	ck_assert_int_eq(v, 150000);
	/* 29.99 for 15 of 31 days = 14.5112.. -> 14.51 */
	ck_assert_int_eq(tp_money_mul_div(299900, 15, 31, "EUR", &v), TP_OK);
	ck_assert_int_eq(v, 145100);
	/* 20 % of 12.345: 2.469 -> 2.47; of 0.125 EUR: 0.025 -> 0.02 (even) */
	ck_assert_int_eq(tp_money_mul_div(123450, 200000, 1000000, "EUR", &v),
	                 TP_OK);
	ck_assert_int_eq(v, 24700);
	ck_assert_int_eq(tp_money_mul_div(1250, 200000, 1000000, "EUR", &v),
	                 TP_OK);
	ck_assert_int_eq(v, 200);
	ck_assert_int_eq(tp_money_mul_div(-1250, 200000, 1000000, "EUR", &v),
	                 TP_OK);
	ck_assert_int_eq(v, -200);
	ck_assert_int_eq(tp_money_mul_div(1, 1, 0, "EUR", &v), TP_EINVAL);
	ck_assert_int_eq(tp_money_mul_div(INT64_MAX, 3, 1, "EUR", &v),
	                 TP_EINVAL);
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
	tcase_add_test(tc, test_round_half_even);
	tcase_add_test(tc, test_ccy_text);
	tcase_add_test(tc, test_mul_div);
	suite_add_tcase(s, tc);
	return s;
}

TP_CHECK_MAIN(make_suite)
