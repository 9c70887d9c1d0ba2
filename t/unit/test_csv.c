/* test_csv.c -- core/lib/csv.c: RFC 4180 records (quotes, doubled quotes,
 * commas and line breaks inside quotes, CRLF and LF, a BOM), line numbers,
 * and bad records reported with the reader going on at the next line. */
#include "config.h"
#include "server/server.h"

#include "tp_check.h"
#include <stdio.h>
#include <string.h>

static FILE *f;
static tp_csv c;

static void open_text(const char *text, size_t max_field, size_t max_fields)
{
	/* fmemopen of a copy: the reader seeks (for the BOM) */
	static char buf[4096];
	size_t n = strlen(text);
	ck_assert_uint_lt(n, sizeof(buf));
	memcpy(buf, text, n);
	f = fmemopen(buf, n ? n : 1, "r");
	ck_assert_ptr_nonnull(f);
	if (n == 0)
		fgetc(f); /* an empty file */
	tp_csv_init(&c, f, max_field, max_fields);
}

static void teardown(void)
{
	tp_csv_free(&c);
	if (f != NULL)
		fclose(f);
	f = NULL;
}

/* the next record is exactly the n fields given, starting on line */
static void expect(size_t line, size_t n, ...)
{
	va_list ap;
	ck_assert_int_eq(tp_csv_next(&c), TP_OK);
	ck_assert_uint_eq(c.rec_line, line);
	ck_assert_uint_eq(c.nf, n);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(c.fields[i], va_arg(ap, const char *));
	va_end(ap);
}

START_TEST(test_plain_lf_and_crlf)
{
	open_text("a,b,c\n1,2,3\r\n,,\nx", 64, 16);
	expect(1, 3, "a", "b", "c");
	expect(2, 3, "1", "2", "3");
	expect(3, 3, "", "", "");
	expect(4, 1, "x");
	ck_assert_int_eq(tp_csv_next(&c), TP_ENOENT);
	ck_assert_int_eq(tp_csv_next(&c), TP_ENOENT);
}
END_TEST

START_TEST(test_quotes)
{
	open_text("\"a,b\",\"say \"\"hi\"\"\",\"\"\r\n"
	          "\"two\nlines\",\"cr\r\nlf\"\n"
	          "next,\"\"\"\"\n",
	          64, 16);
	expect(1, 3, "a,b", "say \"hi\"", "");
	expect(2, 2, "two\nlines", "cr\r\nlf");
	expect(5, 2, "next", "\"");
	ck_assert_int_eq(tp_csv_next(&c), TP_ENOENT);
}
END_TEST

START_TEST(test_bom_and_blank_lines)
{
	open_text("\xef\xbb\xbfname,x\n\n\r\nb,y\n\n", 64, 16);
	expect(1, 2, "name", "x");
	expect(4, 2, "b", "y");
	ck_assert_int_eq(tp_csv_next(&c), TP_ENOENT);
}
END_TEST

START_TEST(test_empty_file)
{
	open_text("", 64, 16);
	ck_assert_int_eq(tp_csv_next(&c), TP_ENOENT);
}
END_TEST

START_TEST(test_bad_records_then_on)
{
	open_text("ok,1\n"
	          "bad\"quote,2\n"
	          "\"closed\"junk,3\n"
	          "toolongfield,4\n"
	          "a,b,c,d,e\n"
	          "fine,5\n"
	          "\"nc\n",
	          8, 4);
	expect(1, 2, "ok", "1");
	ck_assert_int_eq(tp_csv_next(&c), TP_EINVAL);
	ck_assert_uint_eq(c.rec_line, 2);
	ck_assert_ptr_nonnull(strstr(c.err, "quote"));
	ck_assert_int_eq(tp_csv_next(&c), TP_EINVAL);
	ck_assert_uint_eq(c.rec_line, 3);
	ck_assert_ptr_nonnull(strstr(c.err, "after a closing quote"));
	ck_assert_int_eq(tp_csv_next(&c), TP_EINVAL);
	ck_assert_uint_eq(c.rec_line, 4);
	ck_assert_ptr_nonnull(strstr(c.err, "too long"));
	ck_assert_int_eq(tp_csv_next(&c), TP_EINVAL);
	ck_assert_uint_eq(c.rec_line, 5);
	ck_assert_ptr_nonnull(strstr(c.err, "too many fields"));
	expect(6, 2, "fine", "5");
	ck_assert_int_eq(tp_csv_next(&c), TP_EINVAL);
	ck_assert_uint_eq(c.rec_line, 7);
	ck_assert_ptr_nonnull(strstr(c.err, "never closed"));
	ck_assert_int_eq(tp_csv_next(&c), TP_ENOENT);
}
END_TEST

START_TEST(test_nul_byte)
{
	static char buf[] = "a,b\nx\0y,z\nc,d\n";
	f = fmemopen(buf, sizeof(buf) - 1, "r");
	tp_csv_init(&c, f, 64, 16);
	expect(1, 2, "a", "b");
	ck_assert_int_eq(tp_csv_next(&c), TP_EINVAL);
	ck_assert_uint_eq(c.rec_line, 2);
	ck_assert_ptr_nonnull(strstr(c.err, "NUL"));
	expect(3, 2, "c", "d");
}
END_TEST

START_TEST(test_big_record_grows)
{
	/* fields longer than the first buffer, many of them */
	static char text[3000];
	size_t n = 0;
	for (int i = 0; i < 10; i++) {
		memset(text + n, 'a' + i, 200);
		n += 200;
		text[n++] = i < 9 ? ',' : '\n';
	}
	text[n] = '\0';
	open_text(text, 200, 10);
	ck_assert_int_eq(tp_csv_next(&c), TP_OK);
	ck_assert_uint_eq(c.nf, 10);
	for (int i = 0; i < 10; i++) {
		ck_assert_uint_eq(strlen(c.fields[i]), 200);
		ck_assert_int_eq(c.fields[i][199], 'a' + i);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_plain_lf_and_crlf);
	tcase_add_test(tc, test_quotes);
	tcase_add_test(tc, test_bom_and_blank_lines);
	tcase_add_test(tc, test_empty_file);
	tcase_add_test(tc, test_bad_records_then_on);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_big_record_grows);
	suite_add_tcase(s, tc);
	return s;
}

TP_CHECK_MAIN(suite)
