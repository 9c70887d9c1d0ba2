/*
 * selfcare.c -- customers and services self-care (issue 4): the customer
 * checks and creation the quick form (tree.c) and the CSV import share,
 * editing an account, its locations (one "Bill To"), its services and
 * their status, the brand's product catalog (operators).
 *
 * {account} and {partner} are checked by the scope layer. {location} and
 * {service} have no scope kind: each handler looks them up joined to the
 * already-scoped {account} (a service also below it in account_tree), so
 * one of another account is the 404 of a missing one. {product} is looked
 * up within the brand. Each change is one transaction with its audit line;
 * nothing is deleted, and no balance is written (balances move through
 * the ledger only).
 */
#include "config.h"
#include "builtin/builtin.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 000 000 000.0000 of any currency */
#define CREDIT_MAX  INT64_C(10000000000000)
#define CHARGE_MAX  INT64_C(10000000000000)
#define IMPORT_ROWS 10000
#define IMPORT_SIZE (5 * 1024 * 1024)
#define IMPORT_ERRS 1000

static const char *const product_types[] = {
    "voip-line",   "toll-free", "pbx-seat", "hosting",
    "sip-account", "extension", "other",    NULL};
static const char *const bill_cycles[] = {"none", "monthly", "quarterly",
                                          "yearly", NULL};
static const char *const account_kinds[] = {"standard", "corporate", NULL};

static bool one_of(const char *s, const char *const *set)
{
	for (; s != NULL && *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

static bool given(const char *s)
{
	return s != NULL && *s != '\0';
}

static const char *or_empty(const char *s)
{
	return s != NULL ? s : "";
}

static bool truthy(const char *s)
{
	return s != NULL && (strcmp(s, "1") == 0 || strcmp(s, "true") == 0 ||
	                     strcmp(s, "on") == 0 || strcmp(s, "yes") == 0);
}

static tp_rc rollback(tp_req *r, tp_rc rc)
{
	tp_db_rollback(tp_req_db(r));
	return rc;
}

/* money text >= 0 and <= max; NULL if fine */
static const char *amount_bad(const char *s, int64_t max, int64_t *out)
{
	if (tp_money_parse(s, out) != TP_OK)
		return _("must be an amount such as 120 or 99.95 (at most 4 "
		         "decimals, no sign or thousands separator)");
	if (*out < 0)
		return _("must be 0 or more");
	if (*out > max)
		return _("is too large");
	return NULL;
}

/* ------------------------------------------------------------------ */
/* addresses and customers                                              */

typedef struct location_in {
	const char *name, *street, *city, *postcode, *region, *country;
} location_in;

static bool country_ok(const char *s)
{
	return s != NULL && strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' &&
	       s[1] >= 'A' && s[1] <= 'Z';
}

static bool postcode_ok(const char *s)
{
	if (strlen(s) > 16)
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= 'a' && *s <= 'z') || *s == ' ' || *s == '-'))
			return false;
	return true;
}

/* A whole address: street, city and country needed, the rest optional. */
/* Where the checks below report: the first problem (a form names one
 * field), and each one to each() when set (the CSV import lists every
 * problem of a line). */
typedef struct problems {
	void (*each)(void *arg, const char *field, const char *why);
	void *arg;
	const char *field, *why; /* the first */
	size_t n;
} problems;

static void bad(problems *p, const char *field, const char *why)
{
	if (p->n++ == 0) {
		p->field = field;
		p->why = why;
	}
	if (p->each != NULL)
		p->each(p->arg, field, why);
}

static void location_check(const location_in *l, problems *p)
{
	const char *why;
	if ((why = tp_text_bad(l->name, 128, true)) != NULL)
		bad(p, "name", why);
	if ((why = tp_text_bad(l->street, 255, false)) != NULL)
		bad(p, "street", why);
	if ((why = tp_text_bad(l->city, 128, false)) != NULL)
		bad(p, "city", why);
	if (!postcode_ok(or_empty(l->postcode)))
		bad(p, "postcode",
		    _("must be at most 16 letters, digits, spaces and '-'"));
	if ((why = tp_text_bad(l->region, 64, true)) != NULL)
		bad(p, "region", why);
	if (!country_ok(l->country))
		bad(p, "country",
		    _("must be a two-letter ISO 3166 code in capitals, like "
		      "DE"));
}

static const char *location_bad(const location_in *l, const char **field)
{
	problems p = {0};
	location_check(l, &p);
	if (p.n > 0)
		*field = p.field;
	return p.why;
}

size_t tp_customer_check(tp_customer *c,
                         void (*each)(void *arg, const char *field,
                                      const char *why),
                         void *arg)
{
	problems p = {.each = each, .arg = arg};
	const char *why;

	c->credit = 0;
	c->opening = 0;
	if (given(c->number) && !tp_account_number_ok(c->number))
		bad(&p, "number",
		    _("must be 1-32 of A-Z, a-z, 0-9, '.', '_' and '-' (or "
		      "empty for the next free number)"));
	if ((why = tp_text_bad(c->name, 128, false)) != NULL)
		bad(&p, "name", why);
	if (given(c->kind) && !one_of(c->kind, account_kinds))
		bad(&p, "kind", _("must be standard or corporate"));
	if (given(c->currency) && !tp_currency_ok(c->currency))
		bad(&p, "currency",
		    _("must be three capital letters (ISO 4217), like EUR"));
	if ((why = tp_text_bad(c->contact_name, 128, true)) != NULL)
		bad(&p, "contact_name", why);
	if (!tp_utf8_ok(or_empty(c->email)) || !tp_email_ok(or_empty(c->email)))
		bad(&p, "email",
		    _("must be an e-mail address such as name@example.com, or "
		      "nothing"));
	if (!tp_phone_ok(or_empty(c->phone)))
		bad(&p, "phone",
		    _("must be a phone number: digits, spaces and + - ( ) ."));
	if (given(c->credit_limit) &&
	    (why = amount_bad(c->credit_limit, CREDIT_MAX, &c->credit)) != NULL)
		bad(&p, "credit_limit", why);
	/* an opening balance is funds the partner puts on the account (it
	 * is charged them, within its credit: tp_customer_create) */
	if (given(c->opening_balance) &&
	    (why = amount_bad(c->opening_balance, CREDIT_MAX, &c->opening)) !=
	        NULL)
		bad(&p, "opening_balance", why);
	if (given(c->street) || given(c->city) || given(c->postcode) ||
	    given(c->region) || given(c->country)) {
		location_in l = {NULL,        c->street, c->city,
		                 c->postcode, c->region, c->country};
		location_check(&l, &p);
	}
	return p.n;
}

/* (each() of tp_customer_bad: arg is {field, why} of the first) */
static void first_of(void *arg, const char *field, const char *why)
{
	const char **f = arg;
	if (f[1] == NULL) {
		f[0] = field;
		f[1] = why;
	}
}

const char *tp_customer_bad(tp_customer *c, const char **field)
{
	const char *f[2] = {NULL, NULL};
	if (tp_customer_check(c, first_of, f) == 0)
		return NULL;
	*field = f[0];
	return f[1];
}

tp_rc tp_account_numbers_seed(tp_req *r)
{
	int64_t t = (int64_t)tp_tenant_id(r);
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	/* plain reads: an INSERT ... SELECT would hold locks on accounts
	 * that a creation holding the counter row waits for (a deadlock) */
	tp_rc rc = tp_db_query(db, r, &rs,
	                       "SELECT 1 FROM account_numbers WHERE tenant_id "
	                       "= ?",
	                       "I", t);
	if (rc != TP_OK || tp_rows_count(rs) > 0)
		return rc;
	/* above the brand's highest all-digits number, 100001 at least */
	rc = tp_db_query(db, r, &rs,
	                 "SELECT GREATEST(100001, IFNULL(MAX(CAST(number AS "
	                 "UNSIGNED)), 0) + 1) FROM accounts WHERE tenant_id = "
	                 "? AND number REGEXP '^[0-9]{1,18}$'",
	                 "I", t);
	if (rc != TP_OK)
		return rc;
	return tp_db_exec(db, NULL,
	                  "INSERT IGNORE INTO account_numbers (tenant_id, "
	                  "next_number) VALUES (?, ?)",
	                  "II", t, tp_rows_i64(rs, 0, 0));
}

/* The next free number of the brand, in the caller's transaction: the
 * counter row stays locked until it ends, so concurrent creations wait;
 * numbers typed by hand meanwhile are stepped over. */
static tp_rc number_next(tp_req *r, const char **out)
{
	tp_db *db = tp_req_db(r);
	int64_t t = (int64_t)tp_tenant_id(r);
	tp_rows *rs;
	tp_rc rc = tp_db_query(db, r, &rs,
	                       "SELECT next_number FROM account_numbers "
	                       "WHERE tenant_id = ? FOR UPDATE",
	                       "I", t);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_EINTERNAL, NULL,
		               "the account number counter is missing");
	int64_t n = tp_rows_i64(rs, 0, 0);
	for (int tries = 0;; tries++, n++) {
		const char *num = tp_printf(r, "%lld", (long long)n);
		if (tries == 10000)
			return tp_fail(
			    r, TP_ECONFLICT, "number",
			    _("no free account number found; give one"));
		rc = tp_db_query(db, r, &rs,
		                 "SELECT 1 FROM accounts WHERE tenant_id = ? "
		                 "AND number = ?",
		                 "Is", t, num);
		if (rc != TP_OK)
			return rc;
		if (tp_rows_count(rs) == 0) {
			*out = num;
			break;
		}
	}
	return tp_db_exec(db, NULL,
	                  "UPDATE account_numbers SET next_number = ? WHERE "
	                  "tenant_id = ?",
	                  "II", n + 1, t);
}

/* In the caller's transaction: the opening balance of a new account is
 * funds its partner puts on it (PortaBilling's distributor: "a new
 * account with a $10 balance", the partner charged it): one ledger
 * transaction Dr the partner's partner.receivable / Cr the account, within
 * the partner's credit limit, in the partner's currency; and the event
 * account.opening_balance (the commissions module pays a sales
 * commission on it). */
static tp_rc opening_post(tp_req *r, const tp_customer *c, int64_t partner,
                          uint64_t aid, char *err, size_t errlen)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	char a[32], b[32], l[32];
	tp_rc rc = tp_db_query(
	    db, r, &rs,
	    "SELECT p.balance, p.credit_limit, p.currency, a.currency, "
	    "a.number FROM partners p JOIN accounts a ON a.id = ? WHERE p.id "
	    "= ? FOR UPDATE",
	    "II", (int64_t)aid, partner);
	if (rc != TP_OK || tp_rows_count(rs) == 0) {
		snprintf(err, errlen, _("opening_balance: database error"));
		return TP_EDB;
	}
	int64_t bal = tp_rows_i64(rs, 0, 0), lim = tp_rows_i64(rs, 0, 1);
	const char *pccy = tp_rows_get(rs, 0, 2), *accy = tp_rows_get(rs, 0, 3);
	if (strcmp(pccy, accy) != 0) {
		snprintf(err, errlen,
		         _("opening_balance: the partner pays it in %s; the "
		           "account is in %s"),
		         pccy, accy);
		return TP_EINVAL;
	}
	if (tp_money_parse_ccy(c->opening_balance, accy, &(int64_t){0}) !=
	    TP_OK) {
		snprintf(err, errlen,
		         _("opening_balance has more decimals than %s has"),
		         accy);
		return TP_EINVAL;
	}
	if (bal + c->opening > lim) {
		snprintf(
		    err, errlen,
		    _("opening_balance of %s %s is past the partner's credit "
		      "limit: it owes the provider %s %s, its credit limit "
		      "is %s %s"),
		    tp_money_format_ccy(c->opening, accy, a, sizeof(a)), accy,
		    tp_money_format_ccy(bal, accy, b, sizeof(b)), accy,
		    tp_money_format_ccy(lim, accy, l, sizeof(l)), accy);
		return TP_EINVAL;
	}
	tp_ledger_line lv[2] = {{.account = "partner.receivable",
	                         .amount = c->opening,
	                         .account_id = aid,
	                         .partner_id = (uint64_t)partner},
	                        {.account = "customer",
	                         .amount = -c->opening,
	                         .account_id = aid,
	                         .partner_id = (uint64_t)partner}};
	tp_ledger_txn t = {.kind = "opening_balance",
	                   .idem_key = tp_printf(r, "opening_balance:%llu",
	                                         (unsigned long long)aid),
	                   .currency = accy,
	                   .account_id = aid,
	                   .partner_id = (uint64_t)partner,
	                   .document_type = "account",
	                   .document_id = aid,
	                   .memo = "Opening balance",
	                   .lines = lv,
	                   .n = 2};
	uint64_t txn = 0;
	if ((rc = tp_ledger_post(r, &t, &txn, NULL)) != TP_OK) {
		snprintf(err, errlen,
		         _("opening_balance: the ledger refused it"));
		return rc == TP_EINVAL ? TP_EDB : rc;
	}
	json_object *ev = json_object_new_object();
	json_object_object_add(ev, "amount", tp_json_money(c->opening, accy));
	json_object_object_add(ev, "ledger_txn_id",
	                       json_object_new_int64((int64_t)txn));
	json_object_object_add(ev, "number",
	                       json_object_new_string(tp_rows_get(rs, 0, 4)));
	rc = tp_event_emit(r, "account.opening_balance", (uint64_t)partner, aid,
	                   ev);
	if (rc != TP_OK) {
		snprintf(err, errlen, _("opening_balance: database error"));
		return TP_EDB;
	}
	return TP_OK;
}

tp_rc tp_customer_create(tp_req *r, tp_customer *c, int64_t partner,
                         int64_t parent, int64_t *id, char *err, size_t errlen)
{
	tp_db *db = tp_req_db(r);
	uint64_t aid = 0;
	tp_rc rc;

	if (!given(c->number)) {
		if ((rc = number_next(r, &c->number)) != TP_OK) {
			snprintf(err, errlen, "%s",
			         r->fail_msg ? r->fail_msg
			                     : "no account number available");
			return rc == TP_ECONFLICT || rc == TP_EUNAVAIL ? rc
			                                               : TP_EDB;
		}
	}
	tp_account_spec spec = {.tenant_id = tp_tenant_id(r),
	                        .partner_id = (uint64_t)partner,
	                        .parent_account_id = (uint64_t)parent,
	                        .number = c->number,
	                        .name = c->name,
	                        .kind = given(c->kind) ? c->kind : NULL,
	                        .currency =
	                            given(c->currency) ? c->currency : NULL};
	rc = tp_admin_account_add(db, &spec, &aid, err, errlen);
	if (rc != TP_OK)
		return rc;
	rc = tp_db_exec(db, NULL,
	                "UPDATE accounts SET contact_name = ?, email = ?, "
	                "phone = ?, credit_limit = ? WHERE id = ?",
	                "sssII", or_empty(c->contact_name), or_empty(c->email),
	                or_empty(c->phone), c->credit, (int64_t)aid);
	if (rc == TP_OK && given(c->street))
		rc = tp_db_exec(db, NULL,
		                "INSERT INTO locations (tenant_id, account_id, "
		                "name, street, city, postcode, region, "
		                "country, is_bill_to) VALUES (?, ?, 'Bill To', "
		                "?, ?, ?, ?, ?, 1)",
		                "IIsssss", (int64_t)tp_tenant_id(r),
		                (int64_t)aid, c->street, c->city,
		                or_empty(c->postcode), or_empty(c->region),
		                c->country);
	if (rc != TP_OK) {
		snprintf(err, errlen, _("saving the contacts: database error"));
		return TP_EDB;
	}
	if (c->opening > 0 &&
	    (rc = opening_post(r, c, partner, aid, err, errlen)) != TP_OK)
		return rc;
	*id = (int64_t)aid;
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* editing an account                                                   */

static const char *const edit_fields[] = {"name",  "contact_name", "email",
                                          "phone", "credit_limit", NULL};

/* POST /accounts/{account}: the fields sent are set, the others kept */
static tp_rc account_update(tp_req *r)
{
	int64_t id = tp_path_id(r, "account");
	const char *in[5], *field = NULL, *why;
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc;

	for (int i = 0; edit_fields[i] != NULL; i++)
		if ((rc = tp_input(r, edit_fields[i], &in[i])) != TP_OK)
			return tp_form_again(r, rc, tp_account_page,
			                     "account.tpl");
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_query(db, r, &rs,
	                 "SELECT name, contact_name, email, phone, "
	                 "credit_limit, status FROM accounts WHERE id = ? "
	                 "FOR UPDATE",
	                 "I", id);
	if (rc != TP_OK)
		return rollback(r, rc);
	if (tp_rows_count(rs) == 0)
		return rollback(r,
		                tp_fail(r, TP_ENOENT, NULL, _("no such page")));
	if (strcmp(tp_rows_get(rs, 0, 5), "closed") == 0)
		return tp_form_again(
		    r,
		    rollback(r, tp_fail(r, TP_ECONFLICT, NULL,
		                        _("this account is closed: reopen it "
		                          "before changing it"))),
		    tp_account_page, "account.tpl");
	char money[32];
	tp_customer c = {
	    .name = in[0] ? in[0] : tp_strdup(r, tp_rows_get(rs, 0, 0)),
	    .contact_name = in[1] ? in[1] : tp_strdup(r, tp_rows_get(rs, 0, 1)),
	    .email = in[2] ? in[2] : tp_strdup(r, tp_rows_get(rs, 0, 2)),
	    .phone = in[3] ? in[3] : tp_strdup(r, tp_rows_get(rs, 0, 3)),
	    .credit_limit =
	        in[4] ? in[4]
	              : tp_strdup(r, tp_money_format(tp_rows_i64(rs, 0, 4),
	                                             money, sizeof(money)))};
	if ((why = tp_customer_bad(&c, &field)) != NULL)
		return tp_form_again(
		    r,
		    rollback(r, tp_fail(r, TP_EINVAL, field, _("%s %s"), field,
		                        why)),
		    tp_account_page, "account.tpl");
	/* a customer login does not raise its own credit */
	if (in[4] != NULL && r->viewer->kind == TP_USER_CUSTOMER &&
	    c.credit != tp_rows_i64(rs, 0, 4))
		return tp_form_again(
		    r,
		    rollback(r, tp_fail(r, TP_EPERM, "credit_limit",
		                        _("a customer login cannot change its "
		                          "credit limit"))),
		    tp_account_page, "account.tpl");
	const char *now[5] = {c.name, c.contact_name, c.email, c.phone,
	                      tp_money_format(c.credit, money, sizeof(money))};
	char oldm[32];
	const char *old[5] = {
	    tp_rows_get(rs, 0, 0), tp_rows_get(rs, 0, 1), tp_rows_get(rs, 0, 2),
	    tp_rows_get(rs, 0, 3),
	    tp_money_format(tp_rows_i64(rs, 0, 4), oldm, sizeof(oldm))};
	json_object *d = json_object_new_object();
	for (int i = 0; i < 5; i++)
		if (strcmp(old[i], now[i]) != 0) {
			json_object *o = json_object_new_object();
			json_object_object_add(o, "from",
			                       json_object_new_string(old[i]));
			json_object_object_add(o, "to",
			                       json_object_new_string(now[i]));
			json_object_object_add(d, edit_fields[i], o);
		}
	if (json_object_object_length(d) > 0) {
		rc = tp_db_exec(
		    db, NULL,
		    "UPDATE accounts SET name = ?, contact_name = ?, "
		    "email = ?, phone = ?, credit_limit = ? WHERE "
		    "id = ?",
		    "ssssII", c.name, c.contact_name, c.email, c.phone,
		    c.credit, id);
		if (rc != TP_OK) {
			json_object_put(d);
			return rollback(r, rc);
		}
		tp_audit_json(r, "account.update", "account", id, d);
	} else {
		json_object_put(d);
	}
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	return tp_form_done(r, id,
	                    tp_printf(r, "/accounts/%lld", (long long)id), 0);
}

/* ------------------------------------------------------------------ */
/* locations                                                            */

/* The account, locked for the change; 409 when closed. */
static tp_rc account_lock_open(tp_req *r, int64_t account)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT status FROM accounts WHERE id = ? FOR "
	                       "UPDATE",
	                       "I", account);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	if (strcmp(tp_rows_get(rs, 0, 0), "closed") == 0)
		return tp_fail(r, TP_ECONFLICT, NULL,
		               _("this account is closed: reopen it first"));
	return TP_OK;
}

static const char *const location_fields[] = {
    "name", "street", "city", "postcode", "region", "country", NULL};

static tp_rc location_inputs(tp_req *r, const char *v[6], const char **bill)
{
	tp_rc rc;
	for (int i = 0; location_fields[i] != NULL; i++)
		if ((rc = tp_input(r, location_fields[i], &v[i])) != TP_OK)
			return rc;
	return tp_input(r, "is_bill_to", bill);
}

static json_object *location_json(const char *const v[6], bool bill)
{
	json_object *d = json_object_new_object();
	for (int i = 0; location_fields[i] != NULL; i++)
		json_object_object_add(d, location_fields[i],
		                       json_object_new_string(or_empty(v[i])));
	json_object_object_add(d, "is_bill_to", json_object_new_boolean(bill));
	return d;
}

/* The Bill To mark moves to location id (one per account: the unique
 * key on bill_to_account allows no second one, so the old goes first). */
static tp_rc bill_to_move(tp_req *r, int64_t account, int64_t id)
{
	tp_rc rc = tp_db_exec(tp_req_db(r), NULL,
	                      "UPDATE locations SET is_bill_to = 0 WHERE "
	                      "account_id = ? AND is_bill_to = 1 AND id <> ?",
	                      "II", account, id);
	if (rc == TP_OK)
		rc =
		    tp_db_exec(tp_req_db(r), NULL,
		               "UPDATE locations SET is_bill_to = 1 WHERE id = "
		               "?",
		               "I", id);
	return rc;
}

/* {location} or {product} of the path, which no scope kind covers: an
 * id, or 0 for junk (then the 404 of a missing one) */
static int64_t object_id(tp_req *r, const char *param)
{
	int64_t id = 0;
	if (tp_parse_i64(tp_param(r, param), &id) != TP_OK || id <= 0)
		return 0;
	return id;
}

/* GET /accounts/{account}/locations/new and .../{location}/edit: the
 * form, empty or with the location's values; the location must be the
 * account's (the account is scope-checked), else 404. After a failed POST
 * the same form comes back with what was sent. */
static tp_rc location_form(tp_req *r)
{
	int64_t account = tp_path_id(r, "account"), id = 0;
	const char *v[6] = {"", "", "", "", "", ""};
	bool was = false;
	tp_rows *rs;
	tp_rc rc;

	rc = tp_db_query(tp_req_db(r), r, &rs,
	                 "SELECT number, name FROM accounts WHERE id = ?", "I",
	                 account);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	json_object *f = json_object_new_object();
	json_object_object_add(f, "account_number",
	                       json_object_new_string(tp_rows_get(rs, 0, 0)));
	json_object_object_add(f, "account_name",
	                       json_object_new_string(tp_rows_get(rs, 0, 1)));
	if (tp_param(r, "location") != NULL) {
		id = object_id(r, "location");
		rc =
		    tp_db_query(tp_req_db(r), r, &rs,
		                "SELECT name, street, city, postcode, region, "
		                "country, is_bill_to FROM locations WHERE id = "
		                "? AND account_id = ?",
		                "II", id, account);
		if (rc == TP_OK && tp_rows_count(rs) == 0)
			rc = tp_fail(r, TP_ENOENT, NULL, _("no such page"));
		if (rc != TP_OK) {
			json_object_put(f);
			return rc;
		}
		for (int i = 0; i < 6; i++)
			v[i] = or_empty(tp_rows_get(rs, 0, (unsigned)i));
		was = tp_rows_i64(rs, 0, 6) != 0;
	}
	for (int i = 0; location_fields[i] != NULL; i++) {
		const char *sent = r->method == TP_POST
		                       ? tp_form(r, location_fields[i])
		                       : NULL;
		json_object_object_add(
		    f, location_fields[i],
		    json_object_new_string(sent ? sent : v[i]));
	}
	json_object_object_add(f, "account_id", json_object_new_int64(account));
	json_object_object_add(f, "id", json_object_new_int64(id));
	json_object_object_add(f, "edit", json_object_new_boolean(id != 0));
	json_object_object_add(f, "is_bill_to", json_object_new_boolean(was));
	json_object_object_add(
	    f, "bill_to_checked",
	    json_object_new_boolean(r->method == TP_POST &&
	                            truthy(tp_form(r, "is_bill_to"))));
	json_object_object_add(f, "csrf_token",
	                       json_object_new_string(r->viewer->csrf));
	json_object_object_add(tp_view(r), "location", f);
	tp_view_title(r,
	              id != 0 ? _("Change a location") : _("Add a location"));
	return TP_OK;
}

static tp_rc location_again(tp_req *r, tp_rc rc)
{
	return tp_form_again(r, rc, location_form, "location_form.tpl");
}

static tp_rc location_fail(tp_req *r, tp_rc rc)
{
	tp_db_rollback(tp_req_db(r));
	return location_again(r, rc);
}

/* POST /accounts/{account}/locations: the first one is the Bill To */
static tp_rc location_add(tp_req *r)
{
	int64_t account = tp_path_id(r, "account");
	const char *v[6], *bill, *field = NULL, *why;
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc;

	if ((rc = location_inputs(r, v, &bill)) != TP_OK)
		return location_again(r, rc);
	location_in l = {v[0], v[1], v[2], v[3], v[4], v[5]};
	if ((why = location_bad(&l, &field)) != NULL)
		return location_again(
		    r, tp_fail(r, TP_EINVAL, field, _("%s %s"), field, why));
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	if ((rc = account_lock_open(r, account)) != TP_OK)
		return location_fail(r, rc);
	rc = tp_db_query(db, r, &rs,
	                 "SELECT COUNT(*) FROM locations WHERE account_id = ? "
	                 "AND is_bill_to = 1",
	                 "I", account);
	if (rc != TP_OK)
		return rollback(r, rc);
	bool mark = truthy(bill) || tp_rows_i64(rs, 0, 0) == 0;
	rc = tp_db_exec(db, NULL,
	                "INSERT INTO locations (tenant_id, account_id, name, "
	                "street, city, postcode, region, country) VALUES (?, "
	                "?, ?, ?, ?, ?, ?, ?)",
	                "IIssssss", (int64_t)tp_tenant_id(r), account,
	                or_empty(v[0]), v[1], v[2], or_empty(v[3]),
	                or_empty(v[4]), v[5]);
	if (rc != TP_OK)
		return rollback(r, rc);
	int64_t id = (int64_t)tp_db_last_id(db);
	if (mark && (rc = bill_to_move(r, account, id)) != TP_OK)
		return rollback(r, rc);
	json_object *d = location_json(v, mark);
	json_object_object_add(d, "account_id", json_object_new_int64(account));
	tp_audit_json(r, "location.create", "location", id, d);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	return tp_form_done(
	    r, id, tp_printf(r, "/accounts/%lld", (long long)account), 201);
}

/* POST /accounts/{account}/locations/{location}: the fields sent are set;
 * is_bill_to=1 moves the mark here. The location must be the account's
 * (the account is scope-checked; any other location is a 404). */
static tp_rc location_update(tp_req *r)
{
	int64_t account = tp_path_id(r, "account"), id = 0;
	const char *v[6], *bill, *field = NULL, *why;
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc;

	if ((id = object_id(r, "location")) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	if ((rc = location_inputs(r, v, &bill)) != TP_OK)
		return location_again(r, rc);
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	if ((rc = account_lock_open(r, account)) != TP_OK)
		return location_fail(r, rc);
	rc = tp_db_query(db, r, &rs,
	                 "SELECT name, street, city, postcode, region, "
	                 "country, is_bill_to FROM locations WHERE id = ? AND "
	                 "account_id = ? FOR UPDATE",
	                 "II", id, account);
	if (rc != TP_OK)
		return rollback(r, rc);
	if (tp_rows_count(rs) == 0)
		return rollback(r,
		                tp_fail(r, TP_ENOENT, NULL, _("no such page")));
	bool was = tp_rows_i64(rs, 0, 6) != 0;
	for (int i = 0; i < 6; i++)
		if (v[i] == NULL)
			v[i] = tp_strdup(r, tp_rows_get(rs, 0, (unsigned)i));
	location_in l = {v[0], v[1], v[2], v[3], v[4], v[5]};
	if ((why = location_bad(&l, &field)) != NULL)
		return location_fail(
		    r, tp_fail(r, TP_EINVAL, field, _("%s %s"), field, why));
	if (bill != NULL && !truthy(bill) && was)
		return location_fail(
		    r, tp_fail(r, TP_EINVAL, "is_bill_to",
		               _("is_bill_to: an account keeps one Bill To "
		                 "location; mark another one instead")));
	rc = tp_db_exec(db, NULL,
	                "UPDATE locations SET name = ?, street = ?, city = ?, "
	                "postcode = ?, region = ?, country = ? WHERE id = ?",
	                "ssssssI", v[0], v[1], v[2], v[3], v[4], v[5], id);
	if (rc == TP_OK && truthy(bill) && !was)
		rc = bill_to_move(r, account, id);
	if (rc != TP_OK)
		return rollback(r, rc);
	json_object *d = location_json(v, was || truthy(bill));
	json_object_object_add(d, "account_id", json_object_new_int64(account));
	tp_audit_json(r, "location.update", "location", id, d);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	return tp_form_done(
	    r, id, tp_printf(r, "/accounts/%lld", (long long)account), 0);
}

/* ------------------------------------------------------------------ */
/* services                                                             */

/* the one date check (lib/text.c) */
static bool date_ok(const char *s)
{
	return tp_check_date(s, NULL, NULL, NULL) == NULL;
}

/* E.164-ish: an optional '+', then 6..16 digits */
static bool e164_ok(const char *s)
{
	size_t n = 0;
	if (*s == '+')
		s++;
	for (; *s != '\0'; s++, n++)
		if (!(*s >= '0' && *s <= '9'))
			return false;
	return n >= 6 && n <= 16;
}

/* product types that are a phone number: a manual entry (partners have
 * no number inventory) */
static const char *const numbered_types[] = {"voip-line", "toll-free",
                                             "sip-account", NULL};

static const char *const service_fields[] = {"product_id",
                                             "status",
                                             "start_date",
                                             "periodic_charge",
                                             "one_time_charge",
                                             "phone_number",
                                             "btn",
                                             "location_id",
                                             "comments",
                                             "parent_service_id",
                                             NULL};
enum {
	SF_PRODUCT,
	SF_STATUS,
	SF_START,
	SF_PERIODIC,
	SF_NRC,
	SF_PHONE,
	SF_BTN,
	SF_LOCATION,
	SF_COMMENTS,
	SF_PARENT,
	SF_N
};

static tp_rc service_fail(tp_req *r, tp_rc rc)
{
	if (tp_db_in_txn(tp_req_db(r)))
		tp_db_rollback(tp_req_db(r));
	return tp_form_again(r, rc, tp_account_page, "account.tpl");
}

/* an optional id field: 0 when empty */
static bool opt_id(const char *s, int64_t *out)
{
	*out = 0;
	return !given(s) || (tp_parse_i64(s, out) == TP_OK && *out > 0);
}

/* comments: up to 500 bytes of UTF-8, line breaks and tabs allowed */
static bool comments_ok(const char *s)
{
	if (strlen(s) > 500 || !tp_utf8_ok(s))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') ||
		    *p == 0x7f)
			return false;
	return true;
}

/* The service's state from now (or its start date, for a new one) on,
 * in its history: what a bill cycle is prorated by (docs/money.md). */
static tp_rc service_history(tp_req *r, int64_t id, const char *reason,
                             bool from_start)
{
	tp_who w;
	tp_who_get(r, &w);
	return tp_db_exec(
	    tp_req_db(r), NULL,
	    "INSERT INTO service_history (tenant_id, service_id, status, "
	    "periodic_charge, effective, reason, user_id) SELECT tenant_id, "
	    "id, status, periodic_charge, IF(? = 1, start_date, "
	    "DATE(FROM_UNIXTIME(?))), ?, NULLIF(?, 0) FROM services WHERE id "
	    "= ?",
	    "iIsII", from_start ? 1 : 0, tp_now(), reason, (int64_t)w.user_id,
	    id);
}

/* The lifecycle event of a service's new status, in the caller's
 * transaction: service.activated, .suspended or .cancelled (disconnected);
 * none for pending. */
static tp_rc service_event(tp_req *r, int64_t id, const char *status,
                           const char *from, uint64_t partner, uint64_t account)
{
	const char *name =
	    strcmp(status, "active") == 0         ? "service.activated"
	    : strcmp(status, "suspended") == 0    ? "service.suspended"
	    : strcmp(status, "disconnected") == 0 ? "service.cancelled"
	                                          : NULL;
	if (name == NULL)
		return TP_OK;
	json_object *ev = json_object_new_object();
	json_object_object_add(ev, "service_id", json_object_new_int64(id));
	json_object_object_add(ev, "from",
	                       from ? json_object_new_string(from) : NULL);
	json_object_object_add(ev, "to", json_object_new_string(status));
	return tp_event_emit(r, name, partner, account, ev);
}

/* POST /accounts/{account}/services */
static tp_rc service_add(tp_req *r)
{
	int64_t account = tp_path_id(r, "account");
	const char *v[SF_N];
	int64_t product = 0, location = 0, parent = 0, periodic = 0, nrc = 0;
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc;
	const char *why;

	for (int i = 0; i < SF_N; i++)
		if ((rc = tp_input(r, service_fields[i], &v[i])) != TP_OK)
			return service_fail(r, rc);
	if (!given(v[SF_PRODUCT]) ||
	    tp_parse_i64(v[SF_PRODUCT], &product) != TP_OK || product <= 0)
		return service_fail(r, tp_fail(r, TP_EINVAL, "product_id",
		                               _("product_id: choose a product "
		                                 "of the catalog")));
	const char *status = given(v[SF_STATUS]) ? v[SF_STATUS] : "pending";
	if (strcmp(status, "pending") != 0 && strcmp(status, "active") != 0)
		return service_fail(r, tp_fail(r, TP_EINVAL, "status",
		                               _("status: a new service is "
		                                 "pending or active")));
	if (given(v[SF_START]) && !date_ok(v[SF_START]))
		return service_fail(r, tp_fail(r, TP_EINVAL, "start_date",
		                               _("start_date must be a date "
		                                 "YYYY-MM-DD")));
	if (given(v[SF_PERIODIC]) &&
	    (why = amount_bad(v[SF_PERIODIC], CHARGE_MAX, &periodic)) != NULL)
		return service_fail(r, tp_fail(r, TP_EINVAL, "periodic_charge",
		                               _("periodic_charge %s"), why));
	if (given(v[SF_NRC]) &&
	    (why = amount_bad(v[SF_NRC], CHARGE_MAX, &nrc)) != NULL)
		return service_fail(r, tp_fail(r, TP_EINVAL, "one_time_charge",
		                               _("one_time_charge %s"), why));
	if (given(v[SF_PHONE]) && !e164_ok(v[SF_PHONE]))
		return service_fail(r, tp_fail(r, TP_EINVAL, "phone_number",
		                               _("phone_number: an optional + "
		                                 "and 6-16 digits, like "
		                                 "+4930123456")));
	if (given(v[SF_BTN]) && !e164_ok(v[SF_BTN]))
		return service_fail(r, tp_fail(r, TP_EINVAL, "btn",
		                               _("btn: an optional + and 6-16 "
		                                 "digits")));
	if (!opt_id(v[SF_LOCATION], &location))
		return service_fail(r,
		                    tp_fail(r, TP_EINVAL, "location_id",
		                            _("location_id must be a location "
		                              "id of this account")));
	if (!opt_id(v[SF_PARENT], &parent))
		return service_fail(r,
		                    tp_fail(r, TP_EINVAL, "parent_service_id",
		                            _("parent_service_id must be a "
		                              "service id")));
	if (!comments_ok(or_empty(v[SF_COMMENTS])))
		return service_fail(r,
		                    tp_fail(r, TP_EINVAL, "comments",
		                            _("comments: at most 500 bytes of "
		                              "text")));

	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	if ((rc = account_lock_open(r, account)) != TP_OK)
		return service_fail(r, rc);
	rc = tp_db_query(db, r, &rs,
	                 "SELECT pr.name, pr.product_type, pr.currency, "
	                 "pr.periodic_charge, pr.bill_cycle, "
	                 "pr.one_time_charge, pr.term_months, pr.active, "
	                 "a.currency, a.partner_id FROM products pr JOIN "
	                 "accounts a ON a.id = ? WHERE pr.id = ? AND "
	                 "pr.tenant_id = ?",
	                 "III", account, product, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rollback(r, rc);
	if (tp_rows_count(rs) == 0)
		return service_fail(r,
		                    tp_fail(r, TP_EINVAL, "product_id",
		                            _("product_id: no such product in "
		                              "the catalog")));
	const char *type = tp_strdup(r, tp_rows_get(rs, 0, 1));
	const char *currency = tp_strdup(r, tp_rows_get(rs, 0, 2));
	const char *cycle = tp_strdup(r, tp_rows_get(rs, 0, 4));
	int64_t term = tp_rows_i64(rs, 0, 6);
	int64_t partner = tp_rows_i64(rs, 0, 9);
	if (tp_rows_i64(rs, 0, 7) == 0)
		return service_fail(r, tp_fail(r, TP_EINVAL, "product_id",
		                               _("product_id: %s is no longer "
		                                 "sold (inactive)"),
		                               tp_rows_get(rs, 0, 0)));
	if (strcmp(currency, tp_rows_get(rs, 0, 8)) != 0)
		return service_fail(
		    r, tp_fail(r, TP_EINVAL, "product_id",
		               _("product_id: %s is priced in %s, the account "
		                 "bills in %s"),
		               tp_rows_get(rs, 0, 0), currency,
		               tp_rows_get(rs, 0, 8)));
	if (!given(v[SF_PERIODIC]))
		periodic = tp_rows_i64(rs, 0, 3);
	if (!given(v[SF_NRC]))
		nrc = tp_rows_i64(rs, 0, 5);
	if (one_of(type, numbered_types) && !given(v[SF_PHONE]))
		return service_fail(r, tp_fail(r, TP_EINVAL, "phone_number",
		                               _("phone_number: a %s needs its "
		                                 "phone number"),
		                               type));
	if (location != 0) {
		rc = tp_db_query(db, r, &rs,
		                 "SELECT 1 FROM locations WHERE id = ? AND "
		                 "account_id = ?",
		                 "II", location, account);
		if (rc != TP_OK)
			return rollback(r, rc);
		if (tp_rows_count(rs) == 0)
			return service_fail(
			    r,
			    tp_fail(r, TP_EINVAL, "location_id",
			            _("location_id: no such location on this "
			              "account")));
	}
	/* an extension hangs under a PBX seat of the account or of its
	 * corporate parents (account_tree ancestors) */
	if (strcmp(type, "extension") == 0) {
		if (parent == 0)
			return service_fail(
			    r,
			    tp_fail(r, TP_EINVAL, "parent_service_id",
			            _("parent_service_id: an extension needs "
			              "the PBX seat it belongs to")));
		rc = tp_db_query(
		    db, r, &rs,
		    "SELECT s.status FROM services s JOIN products pr ON pr.id "
		    "= s.product_id JOIN account_tree t ON t.ancestor = "
		    "s.account_id WHERE s.id = ? AND t.descendant = ? AND "
		    "pr.product_type = 'pbx-seat' LOCK IN SHARE MODE",
		    "II", parent, account);
		if (rc != TP_OK)
			return rollback(r, rc);
		if (tp_rows_count(rs) == 0 ||
		    strcmp(tp_rows_get(rs, 0, 0), "disconnected") == 0)
			return service_fail(
			    r,
			    tp_fail(r, TP_EINVAL, "parent_service_id",
			            _("parent_service_id: no live PBX seat "
			              "%lld on this account or its corporate "
			              "parent"),
			            (long long)parent));
	} else if (parent != 0) {
		return service_fail(r,
		                    tp_fail(r, TP_EINVAL, "parent_service_id",
		                            _("parent_service_id: only an "
		                              "extension has a parent "
		                              "service")));
	}
	/* one live service per number in the brand */
	if (given(v[SF_PHONE])) {
		rc = tp_db_query(db, r, &rs,
		                 "SELECT id FROM services WHERE tenant_id = ? "
		                 "AND phone_number = ? AND status <> "
		                 "'disconnected' LIMIT 1 FOR UPDATE",
		                 "Is", (int64_t)tp_tenant_id(r), v[SF_PHONE]);
		if (rc != TP_OK)
			return rollback(r, rc);
		if (tp_rows_count(rs) > 0)
			return service_fail(
			    r, tp_fail(r, TP_ECONFLICT, "phone_number",
			               _("phone_number %s is in use by another "
			                 "service"),
			               v[SF_PHONE]));
	}
	const char *start = given(v[SF_START]) ? v[SF_START] : NULL;
	rc = tp_db_exec(
	    db, NULL,
	    "INSERT INTO services (tenant_id, partner_id, account_id, "
	    "product_id, parent_service_id, status, currency, "
	    "periodic_charge, bill_cycle, one_time_charge, start_date, "
	    "term_end, phone_number, btn, location_id, comments) VALUES (?, "
	    "?, ?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?, IFNULL(?, CURDATE()), "
	    "IF(? > 0, DATE_ADD(IFNULL(?, CURDATE()), INTERVAL ? MONTH), "
	    "NULL), ?, ?, NULLIF(?, 0), ?)",
	    "IIIIIssIsIsIsIssIs", (int64_t)tp_tenant_id(r), partner, account,
	    product, parent, status, currency, periodic, cycle, nrc, start,
	    term, start, term, or_empty(v[SF_PHONE]), or_empty(v[SF_BTN]),
	    location, or_empty(v[SF_COMMENTS]));
	if (rc != TP_OK)
		return rollback(r, rc);
	int64_t id = (int64_t)tp_db_last_id(db);
	if ((rc = service_history(r, id, "created", true)) != TP_OK)
		return rollback(r, rc);
	json_object *d = json_object_new_object();
	json_object_object_add(d, "account_id", json_object_new_int64(account));
	json_object_object_add(d, "product_id", json_object_new_int64(product));
	json_object_object_add(d, "status", json_object_new_string(status));
	if (given(v[SF_PHONE]))
		json_object_object_add(d, "phone_number",
		                       json_object_new_string(v[SF_PHONE]));
	if (parent != 0)
		json_object_object_add(d, "parent_service_id",
		                       json_object_new_int64(parent));
	tp_audit_json(r, "service.create", "service", id, d);
	if ((rc = service_event(r, id, status, NULL, (uint64_t)partner,
	                        (uint64_t)account)) != TP_OK)
		return rollback(r, rc);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	return tp_form_done(
	    r, id, tp_printf(r, "/accounts/%lld", (long long)account), 201);
}

/* pending -> active | disconnected; active <-> suspended; anything ->
 * disconnected, which is final */
static bool status_move_ok(const char *from, const char *to)
{
	if (strcmp(from, "disconnected") == 0)
		return false;
	if (strcmp(to, "disconnected") == 0)
		return true;
	if (strcmp(to, "active") == 0)
		return strcmp(from, "pending") == 0 ||
		       strcmp(from, "suspended") == 0;
	if (strcmp(to, "suspended") == 0)
		return strcmp(from, "active") == 0;
	return false;
}

static const char *const service_states[] = {"pending", "active", "suspended",
                                             "disconnected", NULL};

/* POST /accounts/{account}/services/{service}/status: the service must
 * be the account's or a corporate sub-account's (account_tree below the
 * scope-checked account); any other is a 404. */
static tp_rc service_status(tp_req *r)
{
	int64_t account = tp_path_id(r, "account"), id = 0;
	const char *status;
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc;

	if (tp_parse_i64(tp_param(r, "service"), &id) != TP_OK || id <= 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	if ((rc = tp_input(r, "status", &status)) != TP_OK)
		return service_fail(r, rc);
	if (!one_of(status, service_states))
		return service_fail(r,
		                    tp_fail(r, TP_EINVAL, "status",
		                            _("status must be pending, active, "
		                              "suspended or disconnected")));
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_query(db, r, &rs,
	                 "SELECT s.status, pr.product_type, s.partner_id, "
	                 "s.account_id FROM services s JOIN account_tree t ON "
	                 "t.descendant = s.account_id "
	                 "JOIN products pr ON pr.id = s.product_id WHERE s.id "
	                 "= ? AND t.ancestor = ? FOR UPDATE",
	                 "II", id, account);
	if (rc != TP_OK)
		return rollback(r, rc);
	if (tp_rows_count(rs) == 0)
		return rollback(r,
		                tp_fail(r, TP_ENOENT, NULL, _("no such page")));
	const char *old = tp_strdup(r, tp_rows_get(rs, 0, 0));
	bool pbx = strcmp(tp_rows_get(rs, 0, 1), "pbx-seat") == 0;
	uint64_t owner_partner = (uint64_t)tp_rows_i64(rs, 0, 2),
	         owner_account = (uint64_t)tp_rows_i64(rs, 0, 3);
	if (strcmp(old, status) == 0) {
		tp_db_rollback(db);
		return tp_form_done(
		    r, id, tp_printf(r, "/accounts/%lld", (long long)account),
		    0);
	}
	if (!status_move_ok(old, status))
		return service_fail(
		    r, tp_fail(r, TP_ECONFLICT, "status",
		               strcmp(old, "disconnected") == 0
		                   ? "status: a disconnected service stays "
		                     "disconnected"
		                   : "status: a %s service cannot become %s",
		               old, status));
	if (pbx && strcmp(status, "disconnected") == 0) {
		rc = tp_db_query(db, r, &rs,
		                 "SELECT COUNT(*) FROM services WHERE "
		                 "parent_service_id = ? AND status <> "
		                 "'disconnected'",
		                 "I", id);
		if (rc != TP_OK)
			return rollback(r, rc);
		if (tp_rows_i64(rs, 0, 0) > 0)
			return service_fail(
			    r, tp_fail(r, TP_ECONFLICT, "status",
			               _("status: disconnect its %lld "
			                 "extension(s) first"),
			               (long long)tp_rows_i64(rs, 0, 0)));
	}
	rc = tp_db_exec(db, NULL,
	                "UPDATE services SET status = ?, disconnect_date = "
	                "IF(? = 'disconnected', DATE(FROM_UNIXTIME(?)), "
	                "disconnect_date) WHERE id = ?",
	                "ssII", status, status, tp_now(), id);
	if (rc == TP_OK)
		rc = service_history(r, id, "status", false);
	if (rc != TP_OK)
		return rollback(r, rc);
	json_object *d = json_object_new_object();
	json_object_object_add(d, "from", json_object_new_string(old));
	json_object_object_add(d, "to", json_object_new_string(status));
	tp_audit_json(r, "service.status", "service", id, d);
	if ((rc = service_event(r, id, status, old, owner_partner,
	                        owner_account)) != TP_OK)
		return rollback(r, rc);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	return tp_form_done(
	    r, id, tp_printf(r, "/accounts/%lld", (long long)account), 0);
}

/* ------------------------------------------------------------------ */
/* the product catalog (operators)                                      */

/* the product's fields in product_fields' order (PF_*) */
#define PRODUCT_COLS                                                           \
	"pr.name, pr.product_type, pr.currency, pr.periodic_charge, "          \
	"pr.bill_cycle, pr.one_time_charge, pr.term_months, pr.active, "       \
	"IFNULL(pc.code, 'other'), pr.tax_class, pr.early_termination_fee"

static const char *const product_fields[] = {"name",
                                             "product_type",
                                             "currency",
                                             "periodic_charge",
                                             "bill_cycle",
                                             "one_time_charge",
                                             "term_months",
                                             "active",
                                             "category",
                                             "tax_class",
                                             "early_termination_fee",
                                             NULL};
enum {
	PF_NAME,
	PF_TYPE,
	PF_CURRENCY,
	PF_PERIODIC,
	PF_CYCLE,
	PF_NRC,
	PF_TERM,
	PF_ACTIVE,
	/* what billing needs (docs/money.md): revenue by category, taxes
	 * by class, the fee for a term broken early */
	PF_CATEGORY,
	PF_TAX,
	PF_ETF,
	PF_N
};

/* [a-z0-9_]{1,32}: a category or tax class code (builtin.h) */
bool tp_code_ok(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;
	if (n == 0 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* v: the product's fields (all given); NULL if fine */
static const char *product_bad(const char *const v[PF_N], int64_t *periodic,
                               int64_t *nrc, int64_t *term, int64_t *etf,
                               const char **field)
{
	const char *why;
	if ((why = tp_text_bad(v[PF_NAME], 128, false)) != NULL)
		return *field = "name", why;
	if (!one_of(v[PF_TYPE], product_types))
		return *field = "product_type",
		       _("must be voip-line, toll-free, pbx-seat, hosting, "
		         "sip-account, extension or other");
	if (!tp_currency_ok(v[PF_CURRENCY]))
		return *field = "currency",
		       _("must be three capital letters (ISO 4217), like EUR");
	if ((why = amount_bad(v[PF_PERIODIC], CHARGE_MAX, periodic)) != NULL)
		return *field = "periodic_charge", why;
	if (!one_of(v[PF_CYCLE], bill_cycles))
		return *field = "bill_cycle",
		       _("must be none, monthly, quarterly or yearly");
	if ((why = amount_bad(v[PF_NRC], CHARGE_MAX, nrc)) != NULL)
		return *field = "one_time_charge", why;
	if (tp_parse_i64(v[PF_TERM], term) != TP_OK || *term < 0 || *term > 120)
		return *field = "term_months", _("must be 0 (none) to 120");
	if (!one_of(v[PF_ACTIVE],
	            (const char *const[]){"0", "1", "true", "false", "on",
	                                  "off", "yes", "no", NULL}))
		return *field = "active", _("must be 1 or 0");
	if (!tp_code_ok(v[PF_CATEGORY]))
		return *field = "category", _("must be a short code of "
		                              "lower-case letters, digits and "
		                              "_ (voice, hosting, equipment)");
	if (!tp_code_ok(v[PF_TAX]))
		return *field = "tax_class", _("must be a short code of "
		                               "lower-case letters, digits and "
		                               "_ (standard, reduced, exempt)");
	if ((why = amount_bad(v[PF_ETF], CHARGE_MAX, etf)) != NULL)
		return *field = "early_termination_fee", why;
	return NULL;
}

/* The options of a select, the one equal to cur selected */
static json_object *options_json(const char *const *set, const char *cur)
{
	json_object *a = json_object_new_array();
	for (; *set != NULL; set++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "value",
		                       json_object_new_string(*set));
		json_object_object_add(
		    o, "selected",
		    json_object_new_boolean(cur != NULL && !strcmp(cur, *set)));
		json_object_array_add(a, o);
	}
	return a;
}

/* GET /products/new and GET /products/{product}/edit (operators): the
 * form, empty or with the product's values. After a failed POST the same
 * form comes back with what was sent (the stored values for the fields
 * not sent). */
static tp_rc product_form(tp_req *r)
{
	static const char *const dflt[PF_N] = {
	    "", "", "", "", "", "monthly", "0", "1", "other", "standard", "0"};
	const char *v[PF_N];
	int64_t id = 0;
	char m[3][32];

	for (int i = 0; i < PF_N; i++)
		v[i] = dflt[i];
	if (tp_param(r, "product") != NULL) {
		tp_rows *rs;
		id = object_id(r, "product");
		tp_rc rc = tp_db_query(
		    tp_req_db(r), r, &rs,
		    "SELECT " PRODUCT_COLS " FROM products pr LEFT JOIN "
		    "product_categories pc ON pc.id = pr.category_id WHERE "
		    "pr.id = ? AND pr.tenant_id = ?",
		    "II", id, (int64_t)tp_tenant_id(r));
		if (rc != TP_OK)
			return rc;
		if (tp_rows_count(rs) == 0)
			return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
		for (int i = 0; i < PF_N; i++)
			v[i] = tp_rows_get(rs, 0, (unsigned)i);
		v[PF_PERIODIC] = tp_money_format(
		    tp_rows_i64(rs, 0, PF_PERIODIC), m[0], sizeof(m[0]));
		v[PF_NRC] = tp_money_format(tp_rows_i64(rs, 0, PF_NRC), m[1],
		                            sizeof(m[1]));
		v[PF_ETF] = tp_money_format(tp_rows_i64(rs, 0, PF_ETF), m[2],
		                            sizeof(m[2]));
	}
	json_object *f = json_object_new_object();
	for (int i = 0; i < PF_N; i++) {
		const char *sent =
		    r->method == TP_POST ? tp_form(r, product_fields[i]) : NULL;
		if (sent != NULL)
			v[i] = sent;
		json_object_object_add(f, product_fields[i],
		                       json_object_new_string(v[i]));
	}
	json_object_object_add(f, "csrf_token",
	                       json_object_new_string(r->viewer->csrf));
	tp_rows *cs;
	tp_rc rc = tp_db_query(tp_req_db(r), r, &cs,
	                       "SELECT code, name FROM product_categories "
	                       "WHERE tenant_id = ? ORDER BY name",
	                       "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	json_object *cats = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(cs); i++) {
		json_object *o = json_object_new_object();
		tp_json_add_str(o, "value", tp_rows_get(cs, i, 0));
		tp_json_add_str(o, "name", tp_rows_get(cs, i, 1));
		json_object_array_add(cats, o);
	}
	json_object_object_add(f, "categories", cats);
	json_object_object_add(f, "types",
	                       options_json(product_types, v[PF_TYPE]));
	json_object_object_add(f, "cycles",
	                       options_json(bill_cycles, v[PF_CYCLE]));
	json_object_object_add(f, "inactive",
	                       json_object_new_boolean(!truthy(v[PF_ACTIVE])));
	json_object_object_add(f, "id", json_object_new_int64(id));
	json_object_object_add(f, "edit", json_object_new_boolean(id != 0));
	json_object_object_add(tp_view(r), "product", f);
	tp_view_title(r, id != 0 ? _("Change a product") : _("Add a product"));
	return TP_OK;
}

/* POST /products and POST /products/{product} (the product within the
 * brand, else 404): on update the fields sent are set, the others kept */
static tp_rc product_save(tp_req *r)
{
	const char *v[PF_N], *field = NULL, *why, *pp = tp_param(r, "product");
	int64_t id = 0, periodic, nrc, term, etf;
	tp_db *db = tp_req_db(r);
	tp_rows *rs = NULL;
	tp_rc rc;

	if (pp != NULL && (id = object_id(r, "product")) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such page"));
	for (int i = 0; i < PF_N; i++)
		if ((rc = tp_input(r, product_fields[i], &v[i])) != TP_OK)
			return tp_form_again(r, rc, product_form,
			                     "product_form.tpl");
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	if (id != 0) {
		rc = tp_db_query(
		    db, r, &rs,
		    "SELECT " PRODUCT_COLS " FROM products pr LEFT JOIN "
		    "product_categories pc ON pc.id = pr.category_id WHERE "
		    "pr.id = ? AND pr.tenant_id = ? FOR UPDATE",
		    "II", id, (int64_t)tp_tenant_id(r));
		if (rc != TP_OK)
			return rollback(r, rc);
		if (tp_rows_count(rs) == 0)
			return rollback(
			    r, tp_fail(r, TP_ENOENT, NULL, _("no such page")));
		char m[32];
		for (int i = 0; i < PF_N; i++) {
			if (v[i] != NULL)
				continue;
			v[i] =
			    i == PF_PERIODIC || i == PF_NRC || i == PF_ETF
			        ? tp_strdup(r,
			                    tp_money_format(
			                        tp_rows_i64(rs, 0, (unsigned)i),
			                        m, sizeof(m)))
			        : tp_strdup(r, tp_rows_get(rs, 0, (unsigned)i));
		}
	} else {
		static const char *const dflt[PF_N] = {
		    NULL, NULL, NULL,    "0",        "monthly", "0",
		    "0",  "1",  "other", "standard", "0"};
		for (int i = 0; i < PF_N; i++)
			if (!given(v[i]))
				v[i] = dflt[i];
	}
	if ((why = product_bad(v, &periodic, &nrc, &term, &etf, &field)) !=
	    NULL)
		return tp_form_again(
		    r,
		    rollback(r, tp_fail(r, TP_EINVAL, field, _("%s %s"), field,
		                        why)),
		    product_form, "product_form.tpl");
	int active = truthy(v[PF_ACTIVE]) ? 1 : 0;
	/* a category is made on first use (its name: the code, until an
	 * operator names it on /categories; the code and a mark if another
	 * category is called that already: names are unique in the brand) */
	rc = tp_db_exec(
	    db, NULL,
	    "INSERT INTO product_categories (tenant_id, code, name) "
	    "SELECT ?, ?, IF(COUNT(*) = 0, ?, CONCAT(?, ' (code)')) FROM "
	    "product_categories WHERE tenant_id = ? AND name = ? ON "
	    "DUPLICATE KEY UPDATE code = code",
	    "IsssIs", (int64_t)tp_tenant_id(r), v[PF_CATEGORY], v[PF_CATEGORY],
	    v[PF_CATEGORY], (int64_t)tp_tenant_id(r), v[PF_CATEGORY]);
	if (rc != TP_OK)
		return rollback(r, rc);
	if (id == 0)
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT INTO products (tenant_id, name, product_type, "
		    "currency, periodic_charge, bill_cycle, one_time_charge, "
		    "term_months, active, category_id, tax_class, "
		    "early_termination_fee) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
		    "(SELECT id FROM product_categories WHERE tenant_id = ? "
		    "AND "
		    "code = ?), ?, ?)",
		    "IsssIsIIiIssI", (int64_t)tp_tenant_id(r), v[PF_NAME],
		    v[PF_TYPE], v[PF_CURRENCY], periodic, v[PF_CYCLE], nrc,
		    term, active, (int64_t)tp_tenant_id(r), v[PF_CATEGORY],
		    v[PF_TAX], etf);
	else
		rc = tp_db_exec(
		    db, NULL,
		    "UPDATE products SET name = ?, product_type = ?, currency "
		    "= "
		    "?, periodic_charge = ?, bill_cycle = ?, one_time_charge = "
		    "?, term_months = ?, active = ?, category_id = (SELECT id "
		    "FROM product_categories WHERE tenant_id = ? AND code = "
		    "?), "
		    "tax_class = ?, early_termination_fee = ? WHERE id = ?",
		    "sssIsIIiIssII", v[PF_NAME], v[PF_TYPE], v[PF_CURRENCY],
		    periodic, v[PF_CYCLE], nrc, term, active,
		    (int64_t)tp_tenant_id(r), v[PF_CATEGORY], v[PF_TAX], etf,
		    id);
	if (rc == TP_ECONFLICT)
		return rollback(r, tp_fail(r, TP_ECONFLICT, "name",
		                           _("name: the catalog has a product "
		                             "called %s"),
		                           v[PF_NAME]));
	if (rc != TP_OK)
		return rollback(r, rc);
	bool created = id == 0;
	if (created)
		id = (int64_t)tp_db_last_id(db);
	json_object *d = json_object_new_object();
	for (int i = 0; i < PF_N; i++)
		json_object_object_add(d, product_fields[i],
		                       json_object_new_string(v[i]));
	tp_audit_json(r, created ? "product.create" : "product.update",
	              "product", id, d);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	return tp_form_done(r, id, "/products", created ? 201 : 0);
}

/* ------------------------------------------------------------------ */
/* CSV import                                                           */

#define NUMBERS_PER_QUERY 50

static const char *const import_cols[] = {
    "number",       "name",   "contact_name", "email",    "phone",   "currency",
    "credit_limit", "street", "city",         "postcode", "country", NULL};
#define NCOLS 11

struct imp_row {
	size_t line;
	tp_customer c;
	bool bad;
};

struct imp {
	tp_req *r;
	struct imp_row *rows;
	size_t n;
	json_object *errors; /* [{line, field, message}] in line order */
	size_t nerr;         /* all of them, listed or not */
};

static void imp_err(struct imp *m, size_t line, const char *field,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void imp_err(struct imp *m, size_t line, const char *field,
                    const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	m->nerr++;
	if (json_object_array_length(m->errors) >= IMPORT_ERRS)
		return;
	json_object *e = json_object_new_object();
	json_object_object_add(e, "line", json_object_new_int64((int64_t)line));
	json_object_object_add(e, "field",
	                       json_object_new_string(field ? field : ""));
	json_object_object_add(e, "message", json_object_new_string(msg));
	json_object_array_add(m->errors, e);
}

/* the header: each known column once; col[i] = index of import_cols[i] */
static bool imp_header(struct imp *m, tp_csv *c, int col[NCOLS])
{
	tp_rc rc = tp_csv_next(c);
	bool ok = true;
	if (rc == TP_ENOENT) {
		imp_err(m, 1, "file",
		        _("the file is empty: the first line must "
		          "name the columns"));
		return false;
	}
	if (rc != TP_OK) {
		imp_err(m, c->rec_line, "file", _("the header line: %s"),
		        c->err);
		return false;
	}
	for (int i = 0; i < NCOLS; i++)
		col[i] = -1;
	for (size_t f = 0; f < c->nf; f++) {
		const char *h = c->fields[f];
		int k = 0;
		while (import_cols[k] != NULL && strcmp(import_cols[k], h) != 0)
			k++;
		if (import_cols[k] == NULL) {
			imp_err(m, c->rec_line, "file",
			        _("unknown column \"%.64s\" (the columns are "
			          "number, name, contact_name, email, phone, "
			          "currency, credit_limit, street, city, "
			          "postcode, country)"),
			        tp_utf8_ok(h) ? h : "?");
			ok = false;
		} else if (col[k] >= 0) {
			imp_err(m, c->rec_line, "file", _("column %s twice"),
			        import_cols[k]);
			ok = false;
		} else {
			col[k] = (int)f;
		}
	}
	for (int k = 0; k < NCOLS; k++)
		if (col[k] < 0) {
			imp_err(m, c->rec_line, "file", _("no column %s"),
			        import_cols[k]);
			ok = false;
		}
	return ok;
}

/* every problem of a line goes to the list (tp_customer_check's each) */
struct imp_line {
	struct imp *m;
	size_t line;
};

static void imp_problem(void *arg, const char *field, const char *why)
{
	struct imp_line *at = arg;
	imp_err(at->m, at->line, field, _("%s %s"), field, why);
}

/* one data record into a row, checked like the quick form */
static void imp_record(struct imp *m, tp_csv *c, const int col[NCOLS],
                       size_t ncols)
{
	struct imp_row *row = &m->rows[m->n++];
	const char *f[NCOLS];

	row->line = c->rec_line;
	if (c->nf != ncols) {
		imp_err(m, row->line, "line",
		        _("%zu fields, but the header has %zu"), c->nf, ncols);
		row->bad = true;
		return;
	}
	for (int k = 0; k < NCOLS; k++) {
		const char *s = c->fields[col[k]];
		if (!tp_utf8_ok(s)) {
			imp_err(m, row->line, import_cols[k],
			        _("%s is not valid UTF-8 (save the file as "
			          "UTF-8)"),
			        import_cols[k]);
			row->bad = true;
			return;
		}
		f[k] = tp_strdup(m->r, s);
	}
	row->c = (tp_customer){.number = f[0],
	                       .name = f[1],
	                       .contact_name = f[2],
	                       .email = f[3],
	                       .phone = f[4],
	                       .currency = f[5],
	                       .credit_limit = f[6],
	                       .street = f[7],
	                       .city = f[8],
	                       .postcode = f[9],
	                       .country = f[10]};
	struct imp_line at = {m, row->line};
	if (tp_customer_check(&row->c, imp_problem, &at) > 0)
		row->bad = true;
}

static int by_number(const void *a, const void *b)
{
	const struct imp_row *x = *(const struct imp_row *const *)a;
	const struct imp_row *y = *(const struct imp_row *const *)b;
	int c = strcmp(x->c.number, y->c.number);
	return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

static int by_line(const void *a, const void *b)
{
	int64_t x = json_object_get_int64(
	    json_object_object_get(*(json_object *const *)a, "line"));
	int64_t y = json_object_get_int64(
	    json_object_object_get(*(json_object *const *)b, "line"));
	return (x > y) - (x < y);
}

/* numbers twice in the file, or taken in the brand */
static tp_rc imp_numbers(struct imp *m)
{
	struct imp_row **s = tp_alloc(m->r, (m->n + 1) * sizeof(*s));
	size_t k = 0;
	for (size_t i = 0; i < m->n; i++)
		if (given(m->rows[i].c.number) &&
		    tp_account_number_ok(m->rows[i].c.number))
			s[k++] = &m->rows[i];
	qsort(s, k, sizeof(*s), by_number);
	for (size_t i = 1; i < k; i++)
		if (strcmp(s[i]->c.number, s[i - 1]->c.number) == 0) {
			size_t first = i - 1;
			while (first > 0 && strcmp(s[first - 1]->c.number,
			                           s[i]->c.number) == 0)
				first--;
			imp_err(m, s[i]->line, "number",
			        _("number %s is also on line %zu"),
			        s[i]->c.number, s[first]->line);
			s[i]->bad = true;
		}
	/* against the brand, NUMBERS_PER_QUERY numbers a query: the SQL is
	 * the fixed text below with one placeholder per number, every number
	 * a bound parameter (db.c binds at most 64) */
	static const char head[] = "SELECT number FROM accounts WHERE "
	                           "tenant_id = ? AND number IN (?";
	for (size_t at = 0; at < k; at += NUMBERS_PER_QUERY) {
		size_t n =
		    k - at < NUMBERS_PER_QUERY ? k - at : NUMBERS_PER_QUERY;
		tp_db_arg *args = tp_alloc(m->r, (n + 1) * sizeof(*args));
		char *sql = tp_alloc(m->r, sizeof(head) + n * 2 + 1);
		size_t len = sizeof(head) - 1;
		memcpy(sql, head, len);
		args[0] = (tp_db_arg){.i = (int64_t)tp_tenant_id(m->r)};
		for (size_t i = 0; i < n; i++) {
			args[i + 1] = (tp_db_arg){.s = s[at + i]->c.number};
			if (i > 0) {
				memcpy(sql + len, ",?", 2);
				len += 2;
			}
		}
		memcpy(sql + len, ")", 2);
		tp_rows *rs;
		tp_rc rc = tp_db_query_args(tp_req_db(m->r), m->r, &rs, sql,
		                            args, n + 1);
		if (rc != TP_OK)
			return rc;
		for (size_t j = 0; j < tp_rows_count(rs); j++)
			for (size_t i = 0; i < n; i++)
				if (strcmp(s[at + i]->c.number,
				           tp_rows_get(rs, j, 0)) == 0) {
					imp_err(m, s[at + i]->line, "number",
					        _("number %s is taken in this "
					          "brand"),
					        s[at + i]->c.number);
					s[at + i]->bad = true;
				}
	}
	return TP_OK;
}

/* The errors as the answer: 400 with the list (JSON), or the partner page
 * with it (HTML). Nothing was written. */
static tp_rc imp_refuse(tp_req *r, struct imp *m, const char *msg)
{
	json_object *v = tp_view(r);
	json_object *e = json_object_new_object();
	json_object_object_add(e, "code", json_object_new_string("invalid"));
	json_object_object_add(e, "message", json_object_new_string(msg));
	json_object_object_add(e, "field", json_object_new_string("file"));
	json_object_object_add(v, "error", e);
	json_object_object_add(v, "errors", json_object_get(m->errors));
	json_object_object_add(v, "errors_total",
	                       json_object_new_int64((int64_t)m->nerr));
	json_object_object_add(v, "request_id",
	                       json_object_new_string(tp_request_id(r)));
	tp_set_status(r, 400);
	if (!tp_wants_json(r)) {
		r->tmpl = "partner.tpl";
		return tp_partner_page(r);
	}
	return TP_OK;
}

/* the uploaded file of field "file" */
static const tp_upload *imp_file(tp_req *r)
{
	const tp_upload *u;
	for (size_t i = 0; (u = tp_upload_get(r, i)) != NULL; i++)
		if (u->field != NULL && strcmp(u->field, "file") == 0)
			return u;
	return NULL;
}

static tp_rc imp_create(tp_req *r, struct imp *m, int64_t partner,
                        const char *mode)
{
	tp_db *db = tp_req_db(r);
	json_object *created = json_object_new_array();
	const char *st;
	tp_rows *rs;
	tp_rc rc;
	char err[256];
	size_t count = 0, skipped = 0;
	int64_t first = 0, last = 0;

	tp_json_owned(r, created);
	if ((rc = tp_account_numbers_seed(r)) != TP_OK)
		return rc;
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_query(db, r, &rs,
	                 "SELECT status FROM partners WHERE id = ? FOR UPDATE",
	                 "I", partner);
	if (rc != TP_OK)
		return rollback(r, rc);
	st = tp_rows_count(rs) ? tp_rows_get(rs, 0, 0) : "";
	if (strcmp(st, "active") != 0)
		return tp_form_again(
		    r,
		    rollback(r, tp_fail(r, TP_ECONFLICT, NULL,
		                        _("the partner is "
		                          "disabled: enable it "
		                          "before adding "
		                          "accounts"))),
		    tp_partner_page, "partner.tpl");
	/* the rows with their own number first: the counter then steps over
	 * them */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < m->n; i++) {
			struct imp_row *row = &m->rows[i];
			int64_t id;
			if (row->bad || given(row->c.number) != (pass == 0))
				continue;
			rc = tp_customer_create(r, &row->c, partner, 0, &id,
			                        err, sizeof(err));
			if (rc != TP_OK) {
				tp_db_rollback(db);
				return tp_form_again(
				    r,
				    tp_fail(
				        r,
				        rc == TP_EINVAL || rc == TP_ECONFLICT
				            ? TP_ECONFLICT
				            : rc,
				        "file",
				        _("line %zu: %s; nothing was imported"),
				        row->line, err),
				    tp_partner_page, "partner.tpl");
			}
			json_object *o = json_object_new_object();
			json_object_object_add(
			    o, "line",
			    json_object_new_int64((int64_t)row->line));
			json_object_object_add(o, "id",
			                       json_object_new_int64(id));
			json_object_object_add(
			    o, "number", json_object_new_string(row->c.number));
			json_object_array_add(created, o);
			count++;
			first = first == 0 || id < first ? id : first;
			last = id > last ? id : last;
		}
	json_object *d = json_object_new_object();
	json_object_object_add(d, "count",
	                       json_object_new_int64((int64_t)count));
	json_object_object_add(d, "partner_id", json_object_new_int64(partner));
	json_object_object_add(d, "mode", json_object_new_string(mode));
	json_object_object_add(d, "skipped",
	                       json_object_new_int64((int64_t)m->nerr));
	tp_audit_json(r, "account.import", "partner", partner, d);
	if ((rc = tp_db_commit(db)) != TP_OK)
		return rollback(r, rc);
	json_object_array_sort(created, by_line);
	for (size_t i = 0; i < m->n; i++)
		skipped += m->rows[i].bad;
	json_object *v = tp_view(r);
	json_object_object_add(v, "count",
	                       json_object_new_int64((int64_t)count));
	json_object_object_add(v, "created", json_object_get(created));
	json_object_object_add(v, "skipped", json_object_get(m->errors));
	json_object_object_add(v, "skipped_total",
	                       json_object_new_int64((int64_t)m->nerr));
	json_object_object_add(v, "skipped_lines",
	                       json_object_new_int64((int64_t)skipped));
	if (tp_wants_json(r)) {
		tp_set_status(r, 201);
		return TP_OK;
	}
	if (m->nerr == 0) {
		tp_set_header(
		    r, "Location",
		    tp_printf(r,
		              "/partners/%lld?imported=%zu&first=%lld&"
		              "last=%lld",
		              (long long)partner, count, (long long)first,
		              (long long)last));
		tp_set_status(r, 303);
		r->tmpl = NULL;
		return TP_OK;
	}
	/* some were skipped: the page says which, and links what was made */
	json_object_object_add(v, "imported", json_object_new_boolean(1));
	json_object_object_add(v, "created_any",
	                       json_object_new_boolean(count > 0));
	r->tmpl = "partner.tpl";
	return tp_partner_page(r);
}

/* POST /partners/{partner}/accounts/import: multipart, field "file" (CSV,
 * docs/import.md) and "mode": all (default: nothing unless every row
 * passes) or valid (the rows that pass; the others reported) */
static tp_rc account_import(tp_req *r)
{
	int64_t partner = tp_path_id(r, "partner");
	const char *mode;
	tp_rc rc;
	int col[NCOLS];

	if ((rc = tp_input(r, "mode", &mode)) != TP_OK)
		return tp_form_again(r, rc, tp_partner_page, "partner.tpl");
	if (!given(mode))
		mode = "all";
	if (strcmp(mode, "all") != 0 && strcmp(mode, "valid") != 0)
		return tp_form_again(
		    r,
		    tp_fail(r, TP_EINVAL, "mode",
		            _("mode must be all (nothing unless "
		              "every line passes) or valid")),
		    tp_partner_page, "partner.tpl");
	const tp_upload *u = imp_file(r);
	if (u == NULL)
		return tp_form_again(
		    r,
		    tp_fail(r, TP_EINVAL, "file",
		            _("file: choose a CSV file to upload "
		              "(multipart/form-data, field file)")),
		    tp_partner_page, "partner.tpl");
	if (u->size > IMPORT_SIZE)
		return tp_fail(
		    r, TP_ETOOBIG, "file",
		    _("file: an import is at most %d MB and %d lines"),
		    IMPORT_SIZE / (1024 * 1024), IMPORT_ROWS);
	FILE *f = fopen(u->path, "rb");
	if (f == NULL) {
		tp_log(TP_LOG_ERR, "TP1301", "cannot read upload %s: %s",
		       u->path, strerror(errno));
		return tp_fail(r, TP_EINTERNAL, NULL, "cannot read the upload");
	}
	struct imp m = {.r = r,
	                .rows = tp_calloc(r, IMPORT_ROWS * sizeof(*m.rows)),
	                .errors = tp_json_owned(r, json_object_new_array())};
	tp_csv c;
	tp_csv_init(&c, f, 1024, 64);
	bool head = imp_header(&m, &c, col);
	size_t ncols = c.nf;
	while (head) {
		rc = tp_csv_next(&c);
		if (rc == TP_ENOENT)
			break;
		if (m.n == IMPORT_ROWS) {
			imp_err(&m, c.rec_line, "file",
			        _("more than %d lines: split the file"),
			        IMPORT_ROWS);
			break;
		}
		if (rc != TP_OK) {
			imp_err(&m, c.rec_line, "line", "%s", c.err);
			m.rows[m.n].line = c.rec_line;
			m.rows[m.n++].bad = true;
			continue;
		}
		imp_record(&m, &c, col, ncols);
	}
	tp_csv_free(&c);
	fclose(f);
	if (head && m.n == 0)
		imp_err(&m, 2, "file", _("no accounts in the file"));
	if (head && (rc = imp_numbers(&m)) != TP_OK)
		return rc;
	json_object_array_sort(m.errors, by_line);
	size_t valid = 0;
	for (size_t i = 0; i < m.n; i++)
		valid += !m.rows[i].bad;
	if (m.nerr > 0 && (strcmp(mode, "all") == 0 || valid == 0))
		return imp_refuse(
		    r, &m,
		    tp_printf(r,
		              "%zu error(s) in the file; nothing was imported",
		              m.nerr));
	return imp_create(r, &m, partner, mode);
}

/* ------------------------------------------------------------------ */

static const tp_param_scope account_scope[] = {
    {.param = "account", .kind = TP_SCOPE_ACCOUNT}, {0}};
static const tp_param_scope partner_scope[] = {
    {.param = "partner", .kind = TP_SCOPE_PARTNER}, {0}};

static const tp_route selfcare_routes[] = {
    {.methods = TP_POST,
     .path = "/accounts/{account}",
     .handler = account_update,
     .area = "accounts",
     .right = TP_RIGHT_UPDATE,
     .scopes = account_scope},
    {.methods = TP_GET,
     .path = "/accounts/{account}/locations/new",
     .handler = location_form,
     .area = "accounts",
     .right = TP_RIGHT_ADD,
     .tmpl = "location_form.tpl",
     .flags = TP_ROUTE_HTML_ONLY,
     .scopes = account_scope},
    {.methods = TP_POST,
     .path = "/accounts/{account}/locations",
     .handler = location_add,
     .area = "accounts",
     .right = TP_RIGHT_ADD,
     .tmpl = "location_form.tpl",
     .scopes = account_scope},
    {.methods = TP_GET,
     .path = "/accounts/{account}/locations/{location}/edit",
     .handler = location_form,
     .area = "accounts",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "location_form.tpl",
     .flags = TP_ROUTE_HTML_ONLY,
     .scopes = account_scope},
    {.methods = TP_POST,
     .path = "/accounts/{account}/locations/{location}",
     .handler = location_update,
     .area = "accounts",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "location_form.tpl",
     .scopes = account_scope},
    {.methods = TP_POST,
     .path = "/accounts/{account}/services",
     .handler = service_add,
     .area = "accounts",
     .right = TP_RIGHT_ADD,
     .scopes = account_scope},
    {.methods = TP_POST,
     .path = "/accounts/{account}/services/{service}/status",
     .handler = service_status,
     .area = "accounts",
     .right = TP_RIGHT_UPDATE,
     .scopes = account_scope},
    {.methods = TP_POST,
     .path = "/partners/{partner}/accounts/import",
     .handler = account_import,
     .area = "accounts",
     .right = TP_RIGHT_ADD,
     .scopes = partner_scope},
    {.methods = TP_GET,
     .path = "/products/new",
     .handler = product_form,
     .area = "brand",
     .right = TP_RIGHT_ADD,
     .tmpl = "product_form.tpl",
     .flags = TP_ROUTE_OPERATOR | TP_ROUTE_HTML_ONLY},
    {.methods = TP_POST,
     .path = "/products",
     .handler = product_save,
     .area = "brand",
     .right = TP_RIGHT_ADD,
     .tmpl = "product_form.tpl",
     .flags = TP_ROUTE_OPERATOR},
    {.methods = TP_GET,
     .path = "/products/{product}/edit",
     .handler = product_form,
     .area = "brand",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "product_form.tpl",
     .flags = TP_ROUTE_OPERATOR | TP_ROUTE_HTML_ONLY},
    {.methods = TP_POST,
     .path = "/products/{product}",
     .handler = product_save,
     .area = "brand",
     .right = TP_RIGHT_UPDATE,
     .tmpl = "product_form.tpl",
     .flags = TP_ROUTE_OPERATOR},
    {0}};

tp_rc tp_selfcare_routes_add(tp_router *rt)
{
	return tp_router_add_table(rt, selfcare_routes);
}
