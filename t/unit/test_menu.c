/* test_menu.c -- core/server/module.c tp_modules_menu: the core's entries
 * and every loaded module's, in one list sorted by order (stable: equal
 * orders keep load order), each module entry tagged with its module (the
 * layout hides it where the brand's plan lacks the module) and its area;
 * only the core's /admin is an operator-only entry. And tp_modules_json,
 * the list /healthz and tierportctl modules give. No dlopen: descriptors
 * made here stand for loaded modules. */
#include "config.h"
#include "server/server.h"

#include "tp_check.h"
#include <string.h>

static const tp_menu billing_menu[] = {
    {.label = "Invoices", .href = "/invoices", .area = "invoices", .order = 20},
    {.label = "Payments", .href = "/payments", .area = NULL, .order = 95},
    {0}};
static const tp_menu help_menu[] = {
    {.label = "Contact us", .href = "/help/contact", .area = NULL, .order = 20},
    {.label = "Admin help", .href = "/admin", .area = NULL, .order = 5},
    {0}};
static tp_rc two(tp_req *r, int64_t *n)
{
	(void)r;
	*n = 2;
	return TP_OK;
}
static const tp_menu grouped_menu[] = {{.label = "Tickets",
                                        .href = "/tickets",
                                        .order = 40,
                                        .group = "Help",
                                        .count = two,
                                        .flags = TP_MENU_CUSTOMER},
                                       {0}};
static const tp_module grouped = {TP_MODULE_HEAD, .name = "grouped",
                                  .version = "1.0", .menu = grouped_menu};
static const tp_module billing = {TP_MODULE_HEAD, .name = "billing",
                                  .version = "2.1", .menu = billing_menu};
static const tp_module help = {TP_MODULE_HEAD, .name = "help", .version = "1.0",
                               .menu = help_menu};
static const tp_module quiet = {TP_MODULE_HEAD, .name = "quiet",
                                .version = "0.1"}; /* no menu at all */

static const char *str(json_object *o, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v)
	                                             : NULL;
}

START_TEST(test_core_only)
{
	tp_modules ms = {0};
	json_object *m = tp_modules_menu(&ms, NULL, NULL);
	ck_assert_uint_eq(json_object_array_length(m), 5);
	ck_assert_str_eq(str(json_object_array_get_idx(m, 0), "href"),
	                 "/partners");
	/* Help > Contact us, for every login (issue 10) */
	json_object *contact = json_object_array_get_idx(m, 3);
	ck_assert_str_eq(str(contact, "href"), "/help/contact");
	ck_assert_str_eq(str(contact, "group"), "Help");
	ck_assert_ptr_null(str(contact, "area"));
	json_object *admin = json_object_array_get_idx(m, 4);
	ck_assert_str_eq(str(admin, "href"), "/admin");
	ck_assert_str_eq(str(admin, "area"), "brand");
	ck_assert_ptr_nonnull(str(admin, "operator"));
	ck_assert_ptr_null(str(admin, "module"));
	json_object_put(m);
}
END_TEST

START_TEST(test_modules_merged)
{
	tp_loaded l[] = {{&billing, NULL, "billing.so", true},
	                 {&quiet, NULL, "quiet.so", true},
	                 {&help, NULL, "help.so", true}};
	tp_modules ms = {l, 3};
	json_object *m = tp_modules_menu(&ms, NULL, NULL);
	/* order; at 20 the core's Accounts, then billing's, then help's */
	static const char *const want[] = {
	    "/admin",        "/partners",     "/accounts",
	    "/invoices",     "/help/contact", "/users",
	    "/help/contact", "/admin",        "/payments"};
	static const char *const mod[] = {"help", NULL, NULL, "billing", "help",
	                                  NULL,   NULL, NULL, "billing"};
	ck_assert_uint_eq(json_object_array_length(m), 9);
	for (size_t i = 0; i < 9; i++) {
		json_object *e = json_object_array_get_idx(m, i);
		ck_assert_str_eq(str(e, "href"), want[i]);
		if (mod[i] == NULL)
			ck_assert_ptr_null(str(e, "module"));
		else
			ck_assert_str_eq(str(e, "module"), mod[i]);
	}
	/* a module's /admin is no operator-only entry: only the core's */
	ck_assert_ptr_null(str(json_object_array_get_idx(m, 0), "operator"));
	ck_assert_ptr_nonnull(str(json_object_array_get_idx(m, 7), "operator"));
	ck_assert_str_eq(str(json_object_array_get_idx(m, 3), "area"),
	                 "invoices");
	ck_assert_ptr_null(str(json_object_array_get_idx(m, 4), "area"));
	ck_assert_str_eq(str(json_object_array_get_idx(m, 4), "label"),
	                 "Contact us");
	json_object_put(m);
}
END_TEST

START_TEST(test_modules_json)
{
	tp_loaded l[] = {{&billing, NULL, "billing.so", true},
	                 {&help, NULL, "help.so", true}};
	tp_modules ms = {l, 2};
	json_object *a = tp_modules_json(&ms);
	char want[64];
	snprintf(
	    want, sizeof(want),
	    "[{\"name\":\"billing\",\"version\":\"2.1\",\"abi\":\"%d.%d\"},",
	    TP_ABI_MAJOR, TP_ABI_MINOR);
	const char *got =
	    json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN);
	ck_assert_int_eq(strncmp(got, want, strlen(want)), 0);
	ck_assert_uint_eq(json_object_array_length(a), 2);
	json_object_put(a);
}
END_TEST

/* ABI 2.0: a group, a per-viewer count (its hook handed back by index),
 * the kinds of login; null group and count on the others, so a page's own
 * keys of those names never show through in the layout */
START_TEST(test_group_count_kinds)
{
	tp_loaded l[] = {{&grouped, NULL, "grouped.so", true}};
	tp_modules ms = {l, 1};
	const tp_menu *hooks[8] = {0};
	size_t nh = 99;
	ck_assert_uint_eq(tp_modules_menu_size(&ms), 6);
	json_object *m = tp_modules_menu(&ms, hooks, &nh), *x;
	ck_assert_uint_eq(nh, 1);
	ck_assert_ptr_eq(hooks[0], &grouped_menu[0]);
	json_object *t = NULL;
	for (size_t i = 0; i < json_object_array_length(m); i++) {
		json_object *e = json_object_array_get_idx(m, i);
		ck_assert(json_object_object_get_ex(e, "group", &x));
		ck_assert(json_object_object_get_ex(e, "count", &x));
		if (strcmp(str(e, "href"), "/tickets") == 0)
			t = e;
		else if (strcmp(str(e, "href"), "/help/contact") != 0)
			ck_assert_ptr_null(str(e, "group"));
	}
	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(str(t, "group"), "Help");
	ck_assert(json_object_object_get_ex(t, "hook", &x));
	ck_assert_int_eq(json_object_get_int(x), 0);
	ck_assert(json_object_object_get_ex(t, "kinds", &x));
	ck_assert_int_eq(json_object_get_int(x), 1 << TP_USER_CUSTOMER);
	json_object_put(m);
}
END_TEST

static Suite *menu_suite(void)
{
	Suite *s = suite_create("menu");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_core_only);
	tcase_add_test(tc, test_modules_merged);
	tcase_add_test(tc, test_group_count_kinds);
	tcase_add_test(tc, test_modules_json);
	suite_add_tcase(s, tc);
	return s;
}

TP_CHECK_MAIN(menu_suite)
