/*
 * builtin/builtin.h -- the features built into the core: sign-in, password
 * reset, profile, users, partners and accounts, self-care, the catalog, brand
 * admin. Includes identity/ and below.
 */
#ifndef TP_BUILTIN_H
#define TP_BUILTIN_H

#include "identity/identity.h"

/* Route tables of the built-in features */
/* home.c: the home page "/" */
tp_rc tp_home_routes_add(tp_router *rt);
/* Routes login.c adds (login, logout, session API, me). */
tp_rc tp_login_routes_add(tp_router *rt);
/* login.c, for password_reset.c too: which user a login name is.
 * tp_login_as reads the old "as" field (NULL or "": the name decides);
 * tp_login_where is the end of a "SELECT ... FROM users u " that finds at
 * most one user, with three values: the brand id, the login and the
 * brand's customers_first ("Isi"). */
enum { TP_LOGIN_ANY, TP_LOGIN_STAFF, TP_LOGIN_CUSTOMER };
int tp_login_as(const char *as);
const char *tp_login_where(int as);
/* profile.c: a select's options ({value, label, selected}) of the
 * languages or the time zones, cur selected; inherit: the label of a
 * first option "" (the brand's), or NULL. A new array. */
json_object *tp_lang_choices(const char *cur, const char *inherit);
json_object *tp_tz_choices(const char *cur, const char *inherit);
/* Routes password_reset.c adds (forgotten password by e-mail). */
tp_rc tp_password_reset_routes_add(tp_router *rt);
/* Routes directory.c adds (partners, accounts, the switcher). */
tp_rc tp_directory_routes_add(tp_router *rt);
tp_rc tp_tree_routes_add(tp_router *rt);
tp_rc tp_customer_routes_add(tp_router *rt);
/* tree.c, for the handlers of the tree and of self-care: the {param} of
 * the path as an id (checked by the scope layer, or 0); the page of a
 * form again with the message (HTML; JSON: the error alone); done: 303 to
 * path?saved=1 (HTML) or {"id": id} with status (0: 200); an audit line
 * with a JSON detail (taken). */
int64_t tp_path_id(tp_req *r, const char *param);
/* Money into o's key: for JSON the one shape (tp_json_money: {"value":
 * "12.3456", "currency": "EUR"}), for a page the currency's decimals
 * (tp_money_format_ccy: "12.35"; the template shows the currency). */
void tp_view_money(tp_req *r, json_object *o, const char *key, int64_t v,
                   const char *ccy);
tp_rc tp_form_again(tp_req *r, tp_rc rc, tp_rc (*page)(tp_req *),
                    const char *tmpl);
tp_rc tp_form_done(tp_req *r, int64_t id, const char *path, int status);
void tp_audit_json(tp_req *r, const char *action, const char *type, int64_t id,
                   json_object *d);
/* selfcare.c: customers and services self-care (issue 4) */
tp_rc tp_selfcare_routes_add(tp_router *rt);
/* selfcare.c: [a-z0-9_]{1,32}, a product category's or tax class's code
 * (categories.c too) */
bool tp_code_ok(const char *s);
/* A customer as the quick form and the CSV import give it: text as sent
 * (NULL or "" for "not given"); credit is set by tp_customer_bad. */
typedef struct tp_customer {
	const char *number, *name, *kind, *currency, *contact_name, *email,
	    *phone, *credit_limit, *opening_balance;
	const char *street, *city, *postcode, *region, *country; /* bill-to */
	int64_t credit;
	int64_t opening; /* the opening balance: the partner pays it */
} tp_customer;
/* Checks every field (not whether the number is free): NULL if fine,
 * else the message and *field. */
const char *tp_customer_bad(tp_customer *c, const char **field);
/* The same checks, every problem to each(arg, field, message) (each may be
 * NULL); returns how many (0: fine). */
size_t tp_customer_check(tp_customer *c,
                         void (*each)(void *arg, const char *field,
                                      const char *why),
                         void *arg);
/* The brand's account number counter exists (autocommit, before the
 * transaction that takes numbers, so that one only locks an existing
 * row). */
tp_rc tp_account_numbers_seed(tp_req *r);
/* In the caller's transaction: the account (a number from the counter
 * when none is given: c->number is set), its contacts and credit limit,
 * its bill-to location. Errors as tp_admin_account_add's. */
tp_rc tp_customer_create(tp_req *r, tp_customer *c, int64_t partner,
                         int64_t parent, int64_t *id, char *err, size_t errlen);
/* customers.c: a grid of the core by name, NULL if none */
const tp_grid *tp_grid_find(tp_req *r, const char *name);
/* directory.c: the new-agent form, a partner's and an account's page (the
 * {partner} / {account} of the path), for a form shown again */
tp_rc tp_partner_new_page(tp_req *r);
tp_rc tp_partner_page(tp_req *r);
tp_rc tp_account_page(tp_req *r);
/* Routes profile.c adds (profile, password, terms). */
tp_rc tp_profile_routes_add(tp_router *rt);
/* secq.c: security questions. The profile's part into v: the brand's
 * questions as two lists of options (sel[0..1]: the ids to select, or
 * NULL) and the login's chosen ones; the check of a POST's fields (each
 * question on the list, two different, answers of 2 to 128 characters:
 * else TP_EINVAL with *field and *msg); storing the answers hashed (its
 * own transaction); the chosen questions of another login (the user
 * page); and the identity check staff run (*msg says why not checked). */
tp_rc tp_secq_profile_fill(tp_req *r, json_object *v, const char *sel[2]);
tp_rc tp_secq_check_fields(tp_req *r, const char *q[2], const char *a[2],
                           int64_t qid[2], char *norm[2], const char **field,
                           const char **msg);
tp_rc tp_secq_store(tp_req *r, const int64_t qid[2], char *norm[2]);
tp_rc tp_secq_user_fill(tp_req *r, uint64_t user, json_object *v);
tp_rc tp_secq_check(tp_req *r, uint64_t user, int slot, const char *answer,
                    bool *matches, const char **question, const char **msg);
/* a question for a page: a default one in the viewer's language */
const char *tp_secq_text(tp_req *r, const char *q);
/* the brand's list (operator pages) */
tp_rc tp_secq_routes_add(tp_router *rt);
/* categories.c: the brand's product categories (operators): the grid
 * (tp_grid_find knows it) and its routes */
extern const tp_grid tp_categories_grid;
tp_rc tp_category_routes_add(tp_router *rt);
/* users.c: the users list, a grid (tp_grid_find knows it) */
extern const tp_grid tp_users_grid;
/* Routes users.c adds (user management). */
tp_rc tp_users_routes_add(tp_router *rt);
/* Routes brand_admin.c adds (operator pages: brand, tiers, plans,
 * brands; /brand.css). */
tp_rc tp_brand_admin_routes_add(tp_router *rt);
/* users.c: rights as a set of (area, bits), for the no-escalation rule */
typedef struct tp_rights {
	size_t n;
	struct {
		char area[33];
		unsigned bits;
	} a[TP_MAX_AREAS];
} tp_rights;
unsigned tp_rights_get(const tp_rights *s, const char *area);
/* Sets area's bits (0 keeps the entry, as "none"); TP_ETOOBIG when the
 * set is full, TP_EINVAL for an area name that does not fit. */
tp_rc tp_rights_set(tp_rights *s, const char *area, unsigned bits);
/* No escalation: actor may take a user from before to after (a new user:
 * before empty; a status change: after == before) only if it holds
 * itself, on every area, every bit the user holds before or after. NULL
 * if so, else the first area where it does not. */
const char *tp_rights_escalates(const tp_viewer *actor, const tp_rights *before,
                                const tp_rights *after);

/* builtin.c: every built-in feature's routes, in order */
tp_rc tp_builtin_routes_add(tp_router *rt);

#endif /* TP_BUILTIN_H */
