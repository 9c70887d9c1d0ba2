/* test_session.c -- core/identity/session.c: the binary form of the cached
 * viewer (viewer_pack / viewer_unpack, static, hence the #include). Whatever
 * does not decode exactly must be refused, so that it is read from MariaDB. */
#include "../../core/identity/session.c"

#include "tp_check.h"

static tp_req req;

static void setup(void)
{
	tp_req_init(&req, NULL, NULL);
}

static void teardown(void)
{
	tp_req_reset(&req);
	tp_arena_destroy(&req.arena);
}

static void partner(tp_viewer *v, char **tier)
{
	memset(v, 0, sizeof(*v));
	v->session_id = 7;
	v->user_id = 42;
	v->tenant_id = 3;
	v->kind = TP_USER_PARTNER;
	v->partner_id = 11;
	v->view_partner_id = 12;
	v->view_account_id = 0xffffffffffULL;
	v->terms_ok = true;
	snprintf(v->csrf, sizeof(v->csrf), "%s",
	         "NchJQtW76OilebRwWBWfCLe4L1QW2kgOFNt_3km3lII");
	snprintf(v->login, sizeof(v->login), "%s", "agent.north");
	snprintf(v->name, sizeof(v->name), "%s", "Änne <North>");
	snprintf(v->viewing, sizeof(v->viewing), "%s", "City Resellers");
	v->nrights = 2;
	snprintf(v->rights[0].area, sizeof(v->rights[0].area), "users");
	v->rights[0].rights = 15;
	snprintf(v->rights[1].area, sizeof(v->rights[1].area), "partners");
	v->rights[1].rights = 1;
	v->tier_modules = tier;
}

START_TEST(test_round_trip)
{
	char *tier[] = {"invoices", "cdr", NULL};
	tp_viewer v, w;
	long long exp, seen;
	uint64_t epoch;
	char *buf;

	partner(&v, tier);
	size_t len = viewer_pack(&req, &v, 1900000000LL, 1800000000LL,
	                         0x0102030405060708ULL, &buf);
	ck_assert(viewer_unpack(&req, buf, len, &w, &exp, &seen, &epoch));
	ck_assert_int_eq(exp, 1900000000LL);
	ck_assert_int_eq(seen, 1800000000LL);
	ck_assert_uint_eq(epoch, 0x0102030405060708ULL);
	ck_assert_uint_eq(w.session_id, 7);
	ck_assert_uint_eq(w.user_id, 42);
	ck_assert_uint_eq(w.tenant_id, 3);
	ck_assert_int_eq(w.kind, TP_USER_PARTNER);
	ck_assert_uint_eq(w.partner_id, 11);
	ck_assert_uint_eq(w.account_id, 0);
	ck_assert_uint_eq(w.view_partner_id, 12);
	ck_assert_uint_eq(w.view_account_id, 0xffffffffffULL);
	ck_assert(!w.is_admin);
	ck_assert(w.terms_ok);
	ck_assert_str_eq(w.csrf, v.csrf);
	ck_assert_str_eq(w.login, "agent.north");
	ck_assert_str_eq(w.name, "Änne <North>");
	ck_assert_str_eq(w.viewing, "City Resellers");
	ck_assert_uint_eq(w.nrights, 2);
	ck_assert_uint_eq(tp_viewer_rights(&w, "users"), 15);
	ck_assert_uint_eq(tp_viewer_rights(&w, "partners"), 1);
	ck_assert_uint_eq(tp_viewer_rights(&w, "accounts"), 0);
	ck_assert_ptr_nonnull(w.tier_modules);
	ck_assert_str_eq(w.tier_modules[0], "invoices");
	ck_assert_str_eq(w.tier_modules[1], "cdr");
	ck_assert_ptr_null(w.tier_modules[2]);
}
END_TEST

/* operators have no tier list, which is not the same as an empty one */
START_TEST(test_tier_lists)
{
	char *none[] = {NULL};
	tp_viewer v, w;
	long long exp, seen;
	uint64_t epoch;
	char *buf;

	partner(&v, NULL);
	v.kind = TP_USER_OPERATOR;
	v.is_admin = true;
	size_t len = viewer_pack(&req, &v, 1, 0, 9, &buf);
	ck_assert(viewer_unpack(&req, buf, len, &w, &exp, &seen, &epoch));
	ck_assert_ptr_null(w.tier_modules);
	ck_assert(w.is_admin);

	partner(&v, none);
	len = viewer_pack(&req, &v, 1, 0, 9, &buf);
	ck_assert(viewer_unpack(&req, buf, len, &w, &exp, &seen, &epoch));
	ck_assert_ptr_nonnull(w.tier_modules);
	ck_assert_ptr_null(w.tier_modules[0]);
}
END_TEST

START_TEST(test_refused)
{
	char *tier[] = {"invoices", NULL};
	tp_viewer v, w;
	long long exp, seen;
	uint64_t epoch;
	char *buf, *more;

	partner(&v, tier);
	size_t len = viewer_pack(&req, &v, 1, 0, 9, &buf);
	/* every truncation */
	for (size_t n = 0; n < len; n++)
		ck_assert_msg(
		    !viewer_unpack(&req, buf, n, &w, &exp, &seen, &epoch),
		    "a record cut at %zu of %zu bytes was taken", n, len);
	/* trailing bytes */
	more = tp_alloc(&req, len + 1);
	memcpy(more, buf, len);
	more[len] = 'x';
	ck_assert(!viewer_unpack(&req, more, len + 1, &w, &exp, &seen, &epoch));
	/* another version */
	memcpy(more, buf, len);
	more[3] = VIEWER_VERSION + 1;
	ck_assert(!viewer_unpack(&req, more, len, &w, &exp, &seen, &epoch));
	/* the JSON of earlier releases */
	const char *js = "{\"sid\":7,\"uid\":42}";
	ck_assert(
	    !viewer_unpack(&req, js, strlen(js), &w, &exp, &seen, &epoch));
	/* a string longer than its field: the csrf length (after the 4-byte
	 * magic, 6 bytes of small fields and 10 integers) says 200 */
	memcpy(more, buf, len);
	more[4 + 6 + 80] = (char)200;
	ck_assert(!viewer_unpack(&req, more, len, &w, &exp, &seen, &epoch));
	/* no user */
	v.user_id = 0;
	len = viewer_pack(&req, &v, 1, 0, 9, &buf);
	ck_assert(!viewer_unpack(&req, buf, len, &w, &exp, &seen, &epoch));
}
END_TEST

static Suite *session_suite(void)
{
	Suite *s = suite_create("session");
	TCase *tc = tcase_create("cached viewer");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_tier_lists);
	tcase_add_test(tc, test_refused);
	suite_add_tcase(s, tc);
	return s;
}

TP_CHECK_MAIN(session_suite)
