/* test_jobs.c -- core/data/jobs.c and events.c without a database: when a
 * schedule is next due, and which job and subscription declarations the
 * loader refuses. */
#include "config.h"
#include "server/server.h"

#include "tp_check.h"
#include <string.h>

/* 2026-12-07 05:30:10 UTC */
#define T0   1796621410LL
#define DAY0 (T0 - T0 % 86400)

static int64_t next(const char *s, int64_t after)
{
	int64_t n = -1;
	ck_assert_msg(tp_job_schedule_next(s, after, &n) == TP_OK,
	              "'%s' refused", s);
	return n;
}

static void bad(const char *s)
{
	int64_t n = 7;
	ck_assert_msg(tp_job_schedule_next(s, T0, &n) == TP_EINVAL,
	              "'%s' taken", s);
	ck_assert_int_eq(n, 7);
}

START_TEST(test_schedule_next)
{
	ck_assert_int_eq(next("every 60s", T0), T0 + 60);
	ck_assert_int_eq(next("every 15m", T0), T0 + 900);
	ck_assert_int_eq(next("every 2h", T0), T0 + 7200);
	ck_assert_int_eq(next("hourly", T0), DAY0 + 6 * 3600);
	ck_assert_int_eq(next("hourly", DAY0 + 6 * 3600), DAY0 + 7 * 3600);
	/* later today, or tomorrow once today's has come */
	ck_assert_int_eq(next("daily 06:00", T0), DAY0 + 6 * 3600);
	ck_assert_int_eq(next("daily 02:30", T0), DAY0 + 86400 + 9000);
	ck_assert_int_eq(next("daily 05:30", DAY0 + 5 * 3600 + 1800),
	                 DAY0 + 86400 + 5 * 3600 + 1800);
	ck_assert_int_eq(next("daily 00:00", T0), DAY0 + 86400);
}
END_TEST

START_TEST(test_schedule_refused)
{
	bad(NULL);
	bad("");
	bad("every");
	bad("every 0s");
	bad("every -5m");
	bad("every 5d");
	bad("every 5 m");
	bad("every 5mm");
	bad("daily");
	bad("daily 24:00");
	bad("daily 02:60");
	bad("daily 2:30");
	bad("daily 02:30 ");
	bad("weekly");
}
END_TEST

static tp_rc run_nothing(tp_req *ctx, tp_job_run *run)
{
	(void)ctx;
	(void)run;
	return TP_OK;
}

static tp_rc handle_nothing(tp_req *ctx, const tp_event_msg *ev)
{
	(void)ctx;
	(void)ev;
	return TP_OK;
}

START_TEST(test_declarations)
{
	tp_job j = {.name = "invoice_run",
	            .schedule = "daily 02:30",
	            .run = run_nothing};
	ck_assert_ptr_null(tp_job_check(&j));
	j.schedule = NULL; /* by hand only */
	ck_assert_ptr_null(tp_job_check(&j));
	j.schedule = "sometimes";
	ck_assert_ptr_nonnull(tp_job_check(&j));
	j.schedule = "hourly";
	j.name = "Invoice";
	ck_assert_ptr_nonnull(tp_job_check(&j));
	j.name = "invoice.run";
	ck_assert_ptr_nonnull(tp_job_check(&j));
	j.name = "x";
	j.run = NULL;
	ck_assert_ptr_nonnull(tp_job_check(&j));

	tp_event e = {.name = "account.created", .handler = handle_nothing};
	ck_assert_ptr_null(tp_event_check(&e));
	e.name = "account."; /* a prefix */
	ck_assert_ptr_null(tp_event_check(&e));
	e.name = "account..created";
	ck_assert_ptr_nonnull(tp_event_check(&e));
	e.name = ".created";
	ck_assert_ptr_nonnull(tp_event_check(&e));
	e.name = "Account.created";
	ck_assert_ptr_nonnull(tp_event_check(&e));
	e.name = "account.created";
	e.handler = NULL;
	ck_assert_ptr_nonnull(tp_event_check(&e));
}
END_TEST

static Suite *jobs_suite(void)
{
	Suite *s = suite_create("jobs");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_schedule_next);
	tcase_add_test(tc, test_schedule_refused);
	tcase_add_test(tc, test_declarations);
	suite_add_tcase(s, tc);
	return s;
}

TP_CHECK_MAIN(jobs_suite)
