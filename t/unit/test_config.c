/* test_config.c -- core/lib/config.c: defaults, sizes, unknown keys and bad
 * values refused with the key named, [module.NAME] sections, [mail]. */
#include "config.h"
#include "server/server.h"

#include "tp_check.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[256];

static void write_ini(const char *text)
{
	snprintf(path, sizeof(path), "/tmp/tp-test-config-%ld.ini",
	         (long)getpid());
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void teardown(void)
{
	unlink(path);
}

START_TEST(test_defaults_and_values)
{
	char err[512];
	write_ini("[server]\nlisten = /tmp/x.sock\nthreads = 7\n"
	          "socket_mode = 0600\nlog_level = debug\n"
	          "[limits]\nmax_body = 2m\nmax_query = 10k\n"
	          "[db]\nport = 3307\n"
	          "[module.invoices]\nprefix = INV-\n");
	tp_config *c = tp_config_load(path, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_str_eq(c->listen, "/tmp/x.sock");
	ck_assert_int_eq(c->threads, 7);
	ck_assert_int_eq(c->workers, 2); /* default */
	ck_assert_uint_eq(c->socket_mode, 0600);
	ck_assert_int_eq(c->log_level, TP_LOG_DEBUG);
	ck_assert_uint_eq(c->max_body, 2 * 1024 * 1024);
	ck_assert_uint_eq(c->max_query, 10 * 1024);
	ck_assert_uint_eq(c->max_upload, 20 * 1024 * 1024);
	ck_assert_uint_eq(c->db_port, 3307);
	/* downloads: the sheet's limit and a longer read timeout by default */
	ck_assert_uint_eq(c->max_xlsx_rows, 1048575);
	ck_assert_uint_eq(c->db_read_timeout, 30);
	ck_assert_uint_eq(c->db_export_read_timeout, 600);
	ck_assert_uint_eq(c->page_cache_mb, 32); /* grid pages per worker */
	tp_core core = {.cfg = c};
	ck_assert_str_eq(tp_core_config(&core, "invoices", "prefix"), "INV-");
	ck_assert_ptr_null(tp_core_config(&core, "invoices", "nope"));
	ck_assert_ptr_null(tp_core_config(&core, "tickets", "prefix"));
	tp_config_free(c);
}
END_TEST

START_TEST(test_export_keys)
{
	char err[512];
	write_ini("[server]\nlisten = /tmp/x.sock\n"
	          "[limits]\nmax_xlsx_rows = 200000\n"
	          "[db]\nread_timeout = 20\nexport_read_timeout = 900\n");
	tp_config *c = tp_config_load(path, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_uint_eq(c->max_xlsx_rows, 200000);
	ck_assert_uint_eq(c->db_read_timeout, 20);
	ck_assert_uint_eq(c->db_export_read_timeout, 900);
	tp_config_free(c);
}
END_TEST

START_TEST(test_mail)
{
	char err[512];
	write_ini("[server]\nlisten = /tmp/x.sock\n");
	tp_config *c = tp_config_load(path, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_str_eq(c->smtp_url, "smtp://127.0.0.1:25");
	ck_assert_ptr_null(c->mail_from);
	ck_assert(!c->smtp_starttls);
	ck_assert_int_eq(c->smtp_timeout, 30);
	tp_config_free(c);
	write_ini("[server]\nlisten = /tmp/x.sock\n[mail]\n"
	          "smtp_url = smtps://mail.example.com:465\n"
	          "from = portal@example.com\nuser = u\npassword = p\n"
	          "starttls = Yes\ntimeout = 5\n");
	c = tp_config_load(path, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_str_eq(c->smtp_url, "smtps://mail.example.com:465");
	ck_assert_str_eq(c->mail_from, "portal@example.com");
	ck_assert_str_eq(c->smtp_user, "u");
	ck_assert_str_eq(c->smtp_password, "p");
	ck_assert(c->smtp_starttls);
	ck_assert_int_eq(c->smtp_timeout, 5);
	tp_config_free(c);
}
END_TEST

START_TEST(test_errors_name_the_key)
{
	char err[512];
	static const struct {
		const char *ini, *want;
	} cases[] = {
	    {"[server]\nlisten=/x\nthreds = 4\n",
	     "[server] threds: unknown key"},
	    {"[server]\nlisten=/x\nthreads = 0\n",
	     "[server] threads: not a number"},
	    {"[server]\nlisten=/x\nthreads = 4x\n", "[server] threads"},
	    {"[server]\nlisten=/x\nsocket_mode = 999\n", "socket_mode"},
	    {"[server]\nlisten=/x\nlog_level = loud\n", "log_level"},
	    {"[limits]\nmax_body = 1q\n[server]\nlisten=/x\n", "max_body"},
	    {"[server]\nworkers = 2\n", "listen is required"},
	    {"[server\nlisten=/x\n", "outside any [section]"},
	    {"[server]\nlisten=/x\nnot a pair\n", "syntax error"},
	    {"[server]\nlisten=/x\n[mail]\nstarttls = maybe\n",
	     "[mail] starttls: not yes or no"},
	    {"[server]\nlisten=/x\n[mail]\ntimeout = 0\n", "[mail] timeout"},
	    /* beyond the sheet's 1,048,576 rows less the header */
	    {"[server]\nlisten=/x\n[limits]\nmax_xlsx_rows = 1048576\n",
	     "[limits] max_xlsx_rows"},
	    {"[server]\nlisten=/x\n[db]\nexport_read_timeout = 0\n",
	     "[db] export_read_timeout"},
	    {"[server]\nlisten=/x\n[cache]\npage_cache_mb = 5000\n",
	     "[cache] page_cache_mb"},
	    {"[server]\nlisten=/x\n[cache]\npage_cache_mb = -1\n",
	     "[cache] page_cache_mb"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_ini(cases[i].ini);
		err[0] = '\0';
		tp_config *c = tp_config_load(path, err, sizeof(err));
		ck_assert_msg(c == NULL, "case %zu accepted", i);
		ck_assert_msg(strstr(err, cases[i].want) != NULL,
		              "case %zu: \"%s\" lacks \"%s\"", i, err,
		              cases[i].want);
	}
	char err2[512];
	ck_assert_ptr_null(
	    tp_config_load("/nonexistent/tp.ini", err2, sizeof(err2)));
	ck_assert_ptr_nonnull(strstr(err2, "cannot open"));
}
END_TEST

START_TEST(test_sizes)
{
	ck_assert_int_eq(tp_config_size("0"), 0);
	ck_assert_int_eq(tp_config_size("512"), 512);
	ck_assert_int_eq(tp_config_size("8k"), 8192);
	ck_assert_int_eq(tp_config_size("3M"), 3 * 1024 * 1024);
	ck_assert_int_eq(tp_config_size("1g"), 1024LL * 1024 * 1024);
	ck_assert_int_eq(tp_config_size("-1"), -1);
	ck_assert_int_eq(tp_config_size("k"), -1);
	ck_assert_int_eq(tp_config_size("1kb"), -1);
	ck_assert_int_eq(tp_config_size("99999999999999999999"), -1);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_defaults_and_values);
	tcase_add_test(tc, test_errors_name_the_key);
	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_mail);
	tcase_add_test(tc, test_export_keys);
	suite_add_tcase(s, tc);
	return s;
}

TP_CHECK_MAIN(make_suite)
