/* test_users.c -- core/builtin/users.c: rights sets and the no-escalation rule
 * (tp_rights_escalates) that user creation, rights changes and status
 * changes all go through. */
#include "config.h"
#include "server/server.h"

#include "tp_check.h"
#include <string.h>

static void viewer(tp_viewer *v, int kind, bool admin, const char *spec)
{
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->is_admin = admin;
	/* "area=bits area=bits" */
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *t = strtok(buf, " "); t != NULL; t = strtok(NULL, " ")) {
		char *eq = strchr(t, '=');
		*eq = '\0';
		snprintf(v->rights[v->nrights].area, sizeof(v->rights[0].area),
		         "%s", t);
		v->rights[v->nrights++].rights = (unsigned)atoi(eq + 1);
	}
}

static void set(tp_rights *s, const char *spec)
{
	char buf[256];
	s->n = 0;
	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *t = strtok(buf, " "); t != NULL; t = strtok(NULL, " ")) {
		char *eq = strchr(t, '=');
		*eq = '\0';
		ck_assert_int_eq(tp_rights_set(s, t, (unsigned)atoi(eq + 1)),
		                 TP_OK);
	}
}

START_TEST(test_set_get)
{
	tp_rights s = {0};
	ck_assert_int_eq(tp_rights_set(&s, "users", 3), TP_OK);
	ck_assert_int_eq(tp_rights_set(&s, "partners", 0), TP_OK);
	ck_assert_int_eq(tp_rights_set(&s, "users", 5), TP_OK);
	ck_assert_uint_eq(s.n, 2); /* a 0 stays named, a second set replaces */
	ck_assert_uint_eq(tp_rights_get(&s, "users"), 5);
	ck_assert_uint_eq(tp_rights_get(&s, "partners"), 0);
	ck_assert_uint_eq(tp_rights_get(&s, "nowhere"), 0);
	ck_assert_int_eq(tp_rights_set(&s, "", 1), TP_EINVAL);
	ck_assert_int_eq(
	    tp_rights_set(&s, "an_area_name_longer_than_32_bytes", 1),
	    TP_EINVAL);
	for (int i = 0; s.n < TP_MAX_AREAS; i++) {
		char a[16];
		snprintf(a, sizeof(a), "a%d", i);
		ck_assert_int_eq(tp_rights_set(&s, a, 1), TP_OK);
	}
	ck_assert_int_eq(tp_rights_set(&s, "one_more", 1), TP_ETOOBIG);
	ck_assert_int_eq(tp_rights_set(&s, "users", 1), TP_OK); /* exists */
}
END_TEST

START_TEST(test_grant_what_you_hold)
{
	tp_viewer v;
	tp_rights none = {0}, after;
	viewer(&v, TP_USER_PARTNER, false, "users=3 partners=1");

	set(&after, "users=3 partners=1");
	ck_assert_ptr_null(tp_rights_escalates(&v, &none, &after));
	set(&after, "users=1");
	ck_assert_ptr_null(tp_rights_escalates(&v, &none, &after));
	set(&after, "users=1 partners=15");
	ck_assert_str_eq(tp_rights_escalates(&v, &none, &after), "partners");
	set(&after, "users=7");
	ck_assert_str_eq(tp_rights_escalates(&v, &none, &after), "users");
	/* an area the viewer has nothing on, even one bit of it */
	set(&after, "accounts=1");
	ck_assert_str_eq(tp_rights_escalates(&v, &none, &after), "accounts");
	/* naming an area with 0 grants nothing */
	set(&after, "accounts=0 invoices=0");
	ck_assert_ptr_null(tp_rights_escalates(&v, &none, &after));
}
END_TEST

START_TEST(test_no_touching_the_stronger)
{
	tp_viewer v;
	tp_rights before, after;
	viewer(&v, TP_USER_PARTNER, true, "users=7 partners=1");

	/* the user holds partners=15: the viewer may not strip it, nor
	 * disable it (after == before) */
	set(&before, "users=1 partners=15");
	set(&after, "users=1 partners=1");
	ck_assert_str_eq(tp_rights_escalates(&v, &before, &after), "partners");
	ck_assert_str_eq(tp_rights_escalates(&v, &before, &before), "partners");
	/* a weaker user: taking rights away and giving held ones is fine */
	set(&before, "users=7 partners=1");
	set(&after, "users=0 partners=1");
	ck_assert_ptr_null(tp_rights_escalates(&v, &before, &after));
	ck_assert_ptr_null(tp_rights_escalates(&v, &after, &before));
	/* is_admin alone is no right for partners */
	set(&after, "profile=1");
	ck_assert_str_eq(tp_rights_escalates(&v, &before, &after), "profile");
}
END_TEST

START_TEST(test_operator_admin)
{
	tp_viewer op, staff;
	tp_rights none = {0}, after;
	viewer(&op, TP_USER_OPERATOR, true, "");
	viewer(&staff, TP_USER_OPERATOR, false, "users=15");

	set(&after, "users=15 partners=15 invoices=15");
	ck_assert_ptr_null(tp_rights_escalates(&op, &none, &after));
	ck_assert_ptr_null(tp_rights_escalates(&op, &after, &none));
	ck_assert_str_eq(tp_rights_escalates(&staff, &none, &after),
	                 "partners");
	/* no viewer holds nothing */
	ck_assert_str_eq(tp_rights_escalates(NULL, &none, &after), "users");
	ck_assert_ptr_null(tp_rights_escalates(NULL, &none, &none));
}
END_TEST

static Suite *users_suite(void)
{
	Suite *s = suite_create("users");
	TCase *tc = tcase_create("rights");
	tcase_add_test(tc, test_set_get);
	tcase_add_test(tc, test_grant_what_you_hold);
	tcase_add_test(tc, test_no_touching_the_stronger);
	tcase_add_test(tc, test_operator_admin);
	suite_add_tcase(s, tc);
	return s;
}

TP_CHECK_MAIN(users_suite)
