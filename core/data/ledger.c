/*
 * ledger.c -- every movement of money (docs/money.md, DESIGN.md rule 4):
 * tp_ledger_post writes one balanced transaction in the caller's open DB
 * transaction and moves the stored balances it touches in the same one;
 * tp_idem_* keep the first answer of a money-moving user action under its
 * idempotency key; tp_ledger_check and tp_ledger_hash are what
 * `tierportctl ledger` runs. The tables are sql/012_ledger.sql's.
 */
#include "config.h"
#include "data/data.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum holder { H_NONE, H_ACCOUNT, H_PARTNER };

/* The default chart: a brand's rows are made from it on first use. Every
 * "revenue.CATEGORY" is an income account of its own. */
static const struct chart {
	const char *code, *name, *type;
	enum holder holder;
} chart[] = {
    {"receivable", "Customer receivable", "asset", H_ACCOUNT},
    {"prepaid", "Customer prepaid funds", "liability", H_ACCOUNT},
    {"partner.payable", "Partner commissions payable", "liability", H_PARTNER},
    {"partner.receivable", "Partner receivable", "asset", H_PARTNER},
    {"tax.payable", "Tax payable", "liability", H_NONE},
    {"cash", "Cash", "asset", H_NONE},
    {"gateway.clearing", "Payment gateway clearing", "asset", H_NONE},
    {"commission.expense", "Commission expense", "expense", H_NONE},
    {"write_off", "Bad debt written off", "expense", H_NONE},
    {"adjustments", "Credits and debits granted", "expense", H_NONE},
    {"opening.balances", "Opening balances", "equity", H_NONE},
};

static const char *const holder_names[] = {"none", "account", "partner"};

static bool word_ok(const char *s, size_t max)
{
	size_t n = s != NULL ? strlen(s) : 0;
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* A bug of the calling module, never a user's input: logged with what
 * was wrong, and the caller's transaction is the caller's to roll back. */
static tp_rc bug(const char *what, const tp_ledger_txn *t)
{
	tp_log(TP_LOG_ERR, "TP1701", "tp_ledger_post refused (%s): key %s",
	       what, t->idem_key ? t->idem_key : "(none)");
	return TP_EINVAL;
}

static void hash_add(crypto_hash_sha256_state *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void hash_add(crypto_hash_sha256_state *st, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = (int)sizeof(buf) - 1;
	crypto_hash_sha256_update(st, (const unsigned char *)buf, (size_t)n);
}

static void to_hex(const unsigned char *b, size_t n, char *out)
{
	sodium_bin2hex(out, n * 2 + 1, b, n);
}

/* What makes two postings "the same" for a retry: everything but the
 * document id (a retry of a job step may make its document again) and
 * the time. */
static void content_hash(const tp_ledger_txn *t, char hex[65])
{
	crypto_hash_sha256_state st;
	unsigned char h[32];
	crypto_hash_sha256_init(&st);
	hash_add(&st, "%s\n%s\n%llu\n%llu\n%s\n", t->kind, t->currency,
	         (unsigned long long)t->account_id,
	         (unsigned long long)t->partner_id,
	         t->document_type ? t->document_type : "");
	for (size_t i = 0; i < t->n; i++) {
		const tp_ledger_line *l = &t->lines[i];
		hash_add(&st, "%s\t%lld\t%llu\t%llu\t%llu\t%llu\n", l->account,
		         (long long)l->amount,
		         (unsigned long long)l->account_id,
		         (unsigned long long)l->partner_id,
		         (unsigned long long)l->service_id,
		         (unsigned long long)l->product_id);
	}
	crypto_hash_sha256_final(&st, h);
	to_hex(h, sizeof(h), hex);
}

/* The brand's ledger account with this code, made from the chart on
 * first use. */
static tp_rc ledger_account(tp_req *r, uint64_t tenant, const char *code,
                            uint64_t *id, enum holder *holder)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	const struct chart *c = NULL;
	char name[128];

	for (int pass = 0; pass < 2; pass++) {
		tp_rc rc = tp_db_query(db, r, &rs,
		                       "SELECT id, holder FROM ledger_accounts "
		                       "WHERE tenant_id = ? AND code = ?",
		                       "Is", (int64_t)tenant, code);
		if (rc != TP_OK)
			return rc;
		if (tp_rows_count(rs) > 0) {
			const char *h = tp_rows_get(rs, 0, 1);
			*id = (uint64_t)tp_rows_i64(rs, 0, 0);
			*holder = strcmp(h, "account") == 0   ? H_ACCOUNT
			          : strcmp(h, "partner") == 0 ? H_PARTNER
			                                      : H_NONE;
			return TP_OK;
		}
		if (pass == 1)
			break;
		for (size_t i = 0; i < sizeof(chart) / sizeof(*chart); i++)
			if (strcmp(chart[i].code, code) == 0)
				c = &chart[i];
		struct chart rev = {code, name, "income", H_NONE};
		if (c == NULL && strncmp(code, "revenue.", 8) == 0 &&
		    word_ok(code + 8, 32)) {
			snprintf(name, sizeof(name), "Revenue: %s", code + 8);
			c = &rev;
		}
		if (c == NULL)
			return TP_ENOENT;
		rc = tp_db_exec(db, NULL,
		                "INSERT INTO ledger_accounts (tenant_id, code, "
		                "name, type, holder) VALUES (?, ?, ?, ?, ?) ON "
		                "DUPLICATE KEY UPDATE id = id",
		                "Issss", (int64_t)tenant, c->code, c->name,
		                c->type, holder_names[c->holder]);
		if (rc != TP_OK)
			return rc;
	}
	return TP_ENOENT;
}

/* Locks the account or partner row whose balance moves (one writer per
 * balance at a time) and checks it is the brand's, in the currency. */
static tp_rc lock_holder(tp_req *r, uint64_t tenant, enum holder h, uint64_t id,
                         const char *currency, bool *prepaid)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    h == H_ACCOUNT
	        ? "SELECT currency, billing_type = 'prepaid' FROM accounts "
	          "WHERE id = ? AND tenant_id = ? FOR UPDATE"
	        : "SELECT currency, 0 FROM partners WHERE id = ? AND "
	          "tenant_id = ? FOR UPDATE",
	    "II", (int64_t)id, (int64_t)tenant);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return TP_ENOENT;
	if (strcmp(tp_rows_get(rs, 0, 0), currency) != 0)
		return TP_EINVAL;
	if (prepaid != NULL)
		*prepaid = tp_rows_i64(rs, 0, 1) != 0;
	return TP_OK;
}

static tp_rc post_line(tp_req *r, uint64_t tenant, uint64_t txn,
                       const tp_ledger_txn *t, const tp_ledger_line *l)
{
	tp_db *db = tp_req_db(r);
	const char *code = l->account;
	uint64_t la;
	enum holder h;
	bool prepaid = false, locked = false;
	tp_rc rc;

	if (strcmp(code, "customer") == 0) {
		if (l->account_id == 0)
			return bug("a customer line without an account", t);
		rc = lock_holder(r, tenant, H_ACCOUNT, l->account_id,
		                 t->currency, &prepaid);
		if (rc != TP_OK)
			return rc == TP_EDB || rc == TP_EUNAVAIL
			           ? rc
			           : bug("customer account not in the brand "
			                 "or not in the currency",
			                 t);
		code = prepaid ? "prepaid" : "receivable";
		locked = true;
	}
	rc = ledger_account(r, tenant, code, &la, &h);
	if (rc == TP_ENOENT)
		return bug("unknown ledger account", t);
	if (rc != TP_OK)
		return rc;
	uint64_t holder_id = h == H_ACCOUNT   ? l->account_id
	                     : h == H_PARTNER ? l->partner_id
	                                      : 0;
	if (h != H_NONE) {
		if (holder_id == 0)
			return bug("a holder's ledger account without its id",
			           t);
		if (!locked || h == H_PARTNER) {
			rc = lock_holder(r, tenant, h, holder_id, t->currency,
			                 NULL);
			if (rc == TP_ENOENT || rc == TP_EINVAL)
				return bug("holder not in the brand or not in "
				           "the currency",
				           t);
			if (rc != TP_OK)
				return rc;
		}
	}
	rc = tp_db_exec(
	    db, NULL,
	    "INSERT INTO ledger_entries (tenant_id, txn_id, ledger_account_id, "
	    "amount, currency, account_id, partner_id, service_id, product_id, "
	    "document_type, document_id, memo) VALUES (?, ?, ?, ?, ?, "
	    "NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0), ?, "
	    "NULLIF(?, 0), ?)",
	    "IIIIsIIIIsIs", (int64_t)tenant, (int64_t)txn, (int64_t)la,
	    l->amount, t->currency, (int64_t)l->account_id,
	    (int64_t)l->partner_id, (int64_t)l->service_id,
	    (int64_t)l->product_id, t->document_type, (int64_t)t->document_id,
	    l->memo ? l->memo : "");
	if (rc != TP_OK || h == H_NONE)
		return rc;
	return tp_db_exec(db, NULL,
	                  h == H_ACCOUNT
	                      ? "UPDATE accounts SET balance = balance + ? "
	                        "WHERE id = ?"
	                      : "UPDATE partners SET balance = balance + ? "
	                        "WHERE id = ?",
	                  "II", l->amount, (int64_t)holder_id);
}

/* What tp_ledger_post and tp_ledger_post_batch refuse before writing. */
static tp_rc validate(const tp_ledger_txn *t)
{
	__int128 sum = 0;

	if (!word_ok(t->kind, 32))
		return bug("kind must be [a-z0-9_]{1,32}", t);
	if (t->idem_key == NULL || t->idem_key[0] == '\0' ||
	    strlen(t->idem_key) > 128 || tp_check_text(t->idem_key, 128, 0))
		return bug("idempotency key must be 1..128 printable bytes", t);
	if (tp_check_currency(t->currency) != NULL)
		return bug("not a currency", t);
	if (t->lines == NULL || t->n < 2)
		return bug("fewer than two lines", t);
	for (size_t i = 0; i < t->n; i++) {
		const tp_ledger_line *l = &t->lines[i];
		if (l->amount == 0)
			return bug("a zero line", t);
		if (l->account == NULL || strlen(l->account) > 48)
			return bug("a line without a ledger account", t);
		sum += l->amount;
	}
	if (sum != 0)
		return bug("not balanced", t);
	return TP_OK;
}

tp_rc tp_ledger_post(tp_req *r, const tp_ledger_txn *t, uint64_t *txn_id,
                     int *replayed)
{
	tp_db *db = tp_req_db(r);
	uint64_t tenant = tp_tenant_id(r);
	char hex[65];
	tp_who w;

	if (replayed != NULL)
		*replayed = 0;
	if (tenant == 0)
		return bug("no brand", t);
	tp_rc rc = validate(t);
	if (rc != TP_OK)
		return rc;

	content_hash(t, hex);
	tp_who_get(r, &w);
	uint64_t aff = 0;
	rc = tp_db_exec(
	    db, &aff,
	    "INSERT INTO ledger_txns (tenant_id, idem_key, content_hash, kind, "
	    "currency, account_id, partner_id, document_type, document_id, "
	    "memo, user_id, effective_at) VALUES (?, ?, UNHEX(?), ?, ?, "
	    "NULLIF(?, 0), NULLIF(?, 0), ?, NULLIF(?, 0), ?, NULLIF(?, 0), "
	    "FROM_UNIXTIME(?)) ON DUPLICATE KEY UPDATE id = id",
	    "IssssIIsIsII", (int64_t)tenant, t->idem_key, hex, t->kind,
	    t->currency, (int64_t)t->account_id, (int64_t)t->partner_id,
	    t->document_type, (int64_t)t->document_id, t->memo ? t->memo : "",
	    (int64_t)w.user_id, t->effective != 0 ? t->effective : tp_now());
	if (rc != TP_OK)
		return rc;
	if (aff == 0) {
		/* the key is taken: the same posting again is its first
		 * answer, anything else a conflict (a locking read: the row
		 * may have committed after this transaction's snapshot) */
		tp_rows *rs;
		rc = tp_db_query(db, r, &rs,
		                 "SELECT id, LOWER(HEX(content_hash)) FROM "
		                 "ledger_txns WHERE tenant_id = ? AND idem_key "
		                 "= ? FOR UPDATE",
		                 "Is", (int64_t)tenant, t->idem_key);
		if (rc != TP_OK)
			return rc;
		if (tp_rows_count(rs) == 0)
			return TP_ECONFLICT;
		if (strcmp(tp_rows_get(rs, 0, 1), hex) != 0)
			return TP_ECONFLICT;
		if (txn_id != NULL)
			*txn_id = (uint64_t)tp_rows_i64(rs, 0, 0);
		if (replayed != NULL)
			*replayed = 1;
		return TP_OK;
	}
	uint64_t id = tp_db_last_id(db);
	for (size_t i = 0; i < t->n; i++) {
		rc = post_line(r, tenant, id, t, &t->lines[i]);
		if (rc != TP_OK)
			return rc;
	}
	if (txn_id != NULL)
		*txn_id = id;
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* many transactions at once                                            */

/* A ledger account code resolved once per batch. */
struct code {
	const char *code;
	uint64_t id;
	enum holder holder;
};

struct batch {
	tp_req *r;
	uint64_t tenant;
	struct code *codes;
	size_t ncodes, capcodes;
};

static tp_rc batch_code(struct batch *b, const char *code, struct code **out)
{
	for (size_t i = 0; i < b->ncodes; i++)
		if (strcmp(b->codes[i].code, code) == 0) {
			*out = &b->codes[i];
			return TP_OK;
		}
	if (b->ncodes == b->capcodes) {
		size_t cap = b->capcodes ? b->capcodes * 2 : 16;
		struct code *v = tp_alloc(b->r, cap * sizeof(*v));
		if (b->ncodes)
			memcpy(v, b->codes, b->ncodes * sizeof(*v));
		b->codes = v;
		b->capcodes = cap;
	}
	struct code *c = &b->codes[b->ncodes];
	c->code = code;
	tp_rc rc = ledger_account(b->r, b->tenant, code, &c->id, &c->holder);
	if (rc != TP_OK)
		return rc;
	b->ncodes++;
	*out = c;
	return TP_OK;
}

/* A holder row locked for the batch: its currency, prepaid or not, and
 * how much its balance moves. */
struct holder_row {
	uint64_t id;
	char currency[4];
	bool prepaid, found;
	int64_t delta;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* v is sorted by id, its first member */
static struct holder_row *holder_find(struct holder_row *v, size_t n,
                                      uint64_t id)
{
	return n > 0 ? bsearch(&id, v, n, sizeof(*v), cmp_u64) : NULL;
}

/* Locks the holders' rows (ids sorted and unique: one lock order for
 * every batch) and reads what the checks need. */
static tp_rc lock_holders(struct batch *b, enum holder h, uint64_t *ids,
                          size_t n, struct holder_row **out, size_t *nout)
{
	tp_req *r = b->r;
	size_t u = 0;
	qsort(ids, n, sizeof(*ids), cmp_u64);
	for (size_t i = 0; i < n; i++)
		if (u == 0 || ids[u - 1] != ids[i])
			ids[u++] = ids[i];
	struct holder_row *v = tp_calloc(r, (u + 1) * sizeof(*v));
	*out = v;
	*nout = u;
	if (u == 0)
		return TP_OK;
	tp_db_arg *args = tp_alloc(r, (u + 1) * sizeof(*args));
	args[0] = (tp_db_arg){.i = (int64_t)b->tenant};
	for (size_t i = 0; i < u; i++) {
		args[i + 1] = (tp_db_arg){.i = (int64_t)ids[i]};
		v[i].id = ids[i];
	}
	tp_rows *rs;
	tp_rc rc = tp_db_query_args(
	    tp_req_db(r), r, &rs,
	    tp_printf(r,
	              h == H_ACCOUNT
	                  ? "SELECT id, currency, billing_type = 'prepaid' "
	                    "FROM accounts WHERE tenant_id = ? AND id IN "
	                    "(%s) ORDER BY id FOR UPDATE"
	                  : "SELECT id, currency, 0 FROM partners WHERE "
	                    "tenant_id = ? AND id IN (%s) ORDER BY id FOR "
	                    "UPDATE",
	              tp_db_marks(r, u)),
	    args, u + 1);
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		struct holder_row *hr =
		    holder_find(v, u, (uint64_t)tp_rows_i64(rs, i, 0));
		if (hr == NULL)
			continue;
		snprintf(hr->currency, sizeof(hr->currency), "%s",
		         tp_rows_get(rs, i, 1));
		hr->prepaid = tp_rows_i64(rs, i, 2) != 0;
		hr->found = true;
	}
	return TP_OK;
}

/* One line as it will be written: its ledger account and holder. */
struct resolved {
	uint64_t la;
	enum holder holder;
	uint64_t holder_id;
};

static tp_rc move_balances(tp_req *r, enum holder h, struct holder_row *v,
                           size_t n)
{
	tp_db_arg *args = tp_alloc(r, (2 * n + 1) * sizeof(*args));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].delta != 0) {
			args[2 * k] = (tp_db_arg){.i = (int64_t)v[i].id};
			args[2 * k + 1] = (tp_db_arg){.i = v[i].delta};
			k++;
		}
	if (k == 0)
		return TP_OK;
	return tp_db_exec_rows(
	    tp_req_db(r), NULL,
	    h == H_ACCOUNT ? "UPDATE accounts a JOIN ("
	                   : "UPDATE partners a JOIN (",
	    "SELECT ? AS id, ? AS delta", " UNION ALL ",
	    ") d ON d.id = a.id SET a.balance = a.balance + d.delta", args, 2,
	    k);
}

tp_rc tp_ledger_post_batch(tp_req *r, const tp_ledger_txn *t, size_t n,
                           uint64_t *txn_ids, int *replayed)
{
	tp_db *db = tp_req_db(r);
	struct batch b = {.r = r, .tenant = tp_tenant_id(r)};
	tp_rc rc;
	tp_who w;

	if (n == 0)
		return TP_OK;
	if (b.tenant == 0)
		return bug("no brand", t);
	if (n > TP_LEDGER_BATCH_MAX)
		return bug("more transactions than TP_LEDGER_BATCH_MAX", t);
	size_t nlines = 0;
	for (size_t i = 0; i < n; i++) {
		if ((rc = validate(&t[i])) != TP_OK)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(t[i].idem_key, t[j].idem_key) == 0)
				return bug("one key twice in a batch", &t[i]);
		nlines += t[i].n;
		txn_ids[i] = 0;
		if (replayed != NULL)
			replayed[i] = 0;
	}
	char(*hex)[65] = tp_alloc(r, n * sizeof(*hex));
	for (size_t i = 0; i < n; i++)
		content_hash(&t[i], hex[i]);

	/* keys taken already: the same content is its first answer, other
	 * content a conflict (locking reads, as in tp_ledger_post) */
	tp_db_arg *args = tp_alloc(r, (n + 1) * sizeof(*args));
	args[0] = (tp_db_arg){.i = (int64_t)b.tenant};
	for (size_t i = 0; i < n; i++)
		args[i + 1] = (tp_db_arg){.s = t[i].idem_key};
	tp_rows *rs;
	const char *in = tp_db_marks(r, n);
	rc = tp_db_query_args(
	    db, r, &rs,
	    tp_printf(r,
	              "SELECT id, idem_key, LOWER(HEX(content_hash)) FROM "
	              "ledger_txns WHERE tenant_id = ? AND idem_key IN (%s) "
	              "FOR UPDATE",
	              in),
	    args, n + 1);
	if (rc != TP_OK)
		return rc;
	for (size_t k = 0; k < tp_rows_count(rs); k++)
		for (size_t i = 0; i < n; i++) {
			if (strcmp(tp_rows_get(rs, k, 1), t[i].idem_key) != 0)
				continue;
			if (strcmp(tp_rows_get(rs, k, 2), hex[i]) != 0)
				return TP_ECONFLICT;
			txn_ids[i] = (uint64_t)tp_rows_i64(rs, k, 0);
			if (replayed != NULL)
				replayed[i] = 1;
		}

	/* the holders, locked in id order; then each line's ledger account
	 * (a "customer" line's by its account's billing type) */
	uint64_t *acc = tp_alloc(r, (nlines + 1) * sizeof(*acc));
	uint64_t *par = tp_alloc(r, (nlines + 1) * sizeof(*par));
	size_t nacc = 0, npar = 0, nnew = 0, nent = 0;
	for (size_t i = 0; i < n; i++) {
		if (txn_ids[i] != 0)
			continue;
		nnew++;
		for (size_t j = 0; j < t[i].n; j++) {
			const tp_ledger_line *l = &t[i].lines[j];
			struct code *c;
			nent++;
			if (strcmp(l->account, "customer") == 0) {
				if (l->account_id == 0)
					return bug("a customer line without an "
					           "account",
					           &t[i]);
				acc[nacc++] = l->account_id;
				continue;
			}
			rc = batch_code(&b, l->account, &c);
			if (rc == TP_ENOENT)
				return bug("unknown ledger account", &t[i]);
			if (rc != TP_OK)
				return rc;
			uint64_t id = c->holder == H_ACCOUNT   ? l->account_id
			              : c->holder == H_PARTNER ? l->partner_id
			                                       : 0;
			if (c->holder != H_NONE && id == 0)
				return bug("a holder's ledger account without "
				           "its id",
				           &t[i]);
			if (c->holder == H_ACCOUNT)
				acc[nacc++] = id;
			else if (c->holder == H_PARTNER)
				par[npar++] = id;
		}
	}
	if (nnew == 0)
		return TP_OK;
	struct holder_row *av, *pv;
	size_t na, np;
	if ((rc = lock_holders(&b, H_ACCOUNT, acc, nacc, &av, &na)) != TP_OK ||
	    (rc = lock_holders(&b, H_PARTNER, par, npar, &pv, &np)) != TP_OK)
		return rc;
	struct resolved *res = tp_alloc(r, (nent + 1) * sizeof(*res));
	size_t e = 0;
	for (size_t i = 0; i < n; i++) {
		if (txn_ids[i] != 0)
			continue;
		for (size_t j = 0; j < t[i].n; j++, e++) {
			const tp_ledger_line *l = &t[i].lines[j];
			const char *code = l->account;
			struct holder_row *hr = NULL;
			struct code *c;
			if (strcmp(code, "customer") == 0) {
				hr = holder_find(av, na, l->account_id);
				if (hr == NULL || !hr->found ||
				    strcmp(hr->currency, t[i].currency) != 0)
					return bug(
					    "customer account not in the "
					    "brand or not in the currency",
					    &t[i]);
				code = hr->prepaid ? "prepaid" : "receivable";
			}
			rc = batch_code(&b, code, &c);
			if (rc == TP_ENOENT)
				return bug("unknown ledger account", &t[i]);
			if (rc != TP_OK)
				return rc;
			res[e].la = c->id;
			res[e].holder = c->holder;
			res[e].holder_id =
			    c->holder == H_ACCOUNT   ? l->account_id
			    : c->holder == H_PARTNER ? l->partner_id
			                             : 0;
			if (c->holder == H_NONE)
				continue;
			hr = c->holder == H_ACCOUNT
			         ? holder_find(av, na, res[e].holder_id)
			         : holder_find(pv, np, res[e].holder_id);
			if (hr == NULL || !hr->found ||
			    strcmp(hr->currency, t[i].currency) != 0)
				return bug("holder not in the brand or not in "
				           "the currency",
				           &t[i]);
			hr->delta += l->amount;
		}
	}

	/* the transactions, then their ids by key (no reliance on how the
	 * server hands out auto-increment values to a multi-row insert) */
	tp_who_get(r, &w);
	const int W = 12;
	args = tp_alloc(r, (nnew * W + 1) * sizeof(*args));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (txn_ids[i] != 0)
			continue;
		const tp_ledger_txn *x = &t[i];
		tp_db_arg *a = &args[k++ * W];
		a[0] = (tp_db_arg){.i = (int64_t)b.tenant};
		a[1] = (tp_db_arg){.s = x->idem_key};
		a[2] = (tp_db_arg){.s = hex[i]};
		a[3] = (tp_db_arg){.s = x->kind};
		a[4] = (tp_db_arg){.s = x->currency};
		a[5] = (tp_db_arg){.i = (int64_t)x->account_id};
		a[6] = (tp_db_arg){.i = (int64_t)x->partner_id};
		a[7] =
		    (tp_db_arg){.s = x->document_type ? x->document_type : ""};
		a[8] = (tp_db_arg){.i = (int64_t)x->document_id};
		a[9] = (tp_db_arg){.s = x->memo ? x->memo : ""};
		a[10] = (tp_db_arg){.i = x->effective != 0 ? x->effective
		                                           : tp_now()};
		a[11] = (tp_db_arg){.i = (int64_t)w.user_id};
	}
	rc = tp_db_exec_rows(
	    db, NULL,
	    "INSERT INTO ledger_txns (tenant_id, idem_key, content_hash, "
	    "kind, currency, account_id, partner_id, document_type, "
	    "document_id, memo, effective_at, user_id) VALUES ",
	    "(?, ?, UNHEX(?), ?, ?, NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, ''), "
	    "NULLIF(?, 0), ?, FROM_UNIXTIME(?), NULLIF(?, 0))",
	    ", ", "", args, W, nnew);
	if (rc != TP_OK)
		return rc;
	args = tp_alloc(r, (nnew + 1) * sizeof(*args));
	args[0] = (tp_db_arg){.i = (int64_t)b.tenant};
	k = 1;
	for (size_t i = 0; i < n; i++)
		if (txn_ids[i] == 0)
			args[k++] = (tp_db_arg){.s = t[i].idem_key};
	rc = tp_db_query_args(db, r, &rs,
	                      tp_printf(r,
	                                "SELECT id, idem_key FROM ledger_txns "
	                                "WHERE tenant_id = ? AND idem_key IN "
	                                "(%s)",
	                                tp_db_marks(r, nnew)),
	                      args, nnew + 1);
	if (rc != TP_OK)
		return rc;
	uint64_t *ids = tp_calloc(r, (n + 1) * sizeof(*ids));
	for (size_t q = 0; q < tp_rows_count(rs); q++)
		for (size_t i = 0; i < n; i++)
			if (txn_ids[i] == 0 &&
			    strcmp(tp_rows_get(rs, q, 1), t[i].idem_key) == 0)
				ids[i] = (uint64_t)tp_rows_i64(rs, q, 0);

	/* the entries, in the order tp_ledger_post would write them */
	const int WE = 12;
	args = tp_alloc(r, (nent * WE + 1) * sizeof(*args));
	e = 0;
	for (size_t i = 0; i < n; i++) {
		if (txn_ids[i] != 0)
			continue;
		if (ids[i] == 0)
			return TP_EINTERNAL;
		const tp_ledger_txn *x = &t[i];
		for (size_t j = 0; j < x->n; j++, e++) {
			const tp_ledger_line *l = &x->lines[j];
			tp_db_arg *a = &args[e * WE];
			a[0] = (tp_db_arg){.i = (int64_t)b.tenant};
			a[1] = (tp_db_arg){.i = (int64_t)ids[i]};
			a[2] = (tp_db_arg){.i = (int64_t)res[e].la};
			a[3] = (tp_db_arg){.i = l->amount};
			a[4] = (tp_db_arg){.s = x->currency};
			a[5] = (tp_db_arg){.i = (int64_t)l->account_id};
			a[6] = (tp_db_arg){.i = (int64_t)l->partner_id};
			a[7] = (tp_db_arg){.i = (int64_t)l->service_id};
			a[8] = (tp_db_arg){.i = (int64_t)l->product_id};
			a[9] = (tp_db_arg){
			    .s = x->document_type ? x->document_type : ""};
			a[10] = (tp_db_arg){.i = (int64_t)x->document_id};
			a[11] = (tp_db_arg){.s = l->memo ? l->memo : ""};
		}
	}
	rc = tp_db_exec_rows(
	    db, NULL,
	    "INSERT INTO ledger_entries (tenant_id, txn_id, ledger_account_id, "
	    "amount, currency, account_id, partner_id, service_id, product_id, "
	    "document_type, document_id, memo) VALUES ",
	    "(?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0), "
	    "NULLIF(?, 0), NULLIF(?, ''), NULLIF(?, 0), ?)",
	    ", ", "", args, WE, nent);
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (txn_ids[i] == 0)
			txn_ids[i] = ids[i];
	if ((rc = move_balances(r, H_ACCOUNT, av, na)) != TP_OK)
		return rc;
	return move_balances(r, H_PARTNER, pv, np);
}

const char *tp_balance_words(tp_req *r, int64_t balance, const char *ccy,
                             int prepaid)
{
	char buf[64];
	if (balance > 0)
		/* TRANSLATORS: a balance; %s is the amount with its currency */
		return tp_printf(r, _("you owe %s"),
		                 tp_money_text(balance, ccy, buf, sizeof(buf)));
	tp_money_text(-balance, ccy, buf, sizeof(buf));
	if (prepaid)
		return tp_printf(r, _("available %s"), buf);
	if (balance < 0)
		return tp_printf(r, _("credit %s"), buf);
	return _("nothing due");
}

/* ------------------------------------------------------------------ */
/* idempotency of user actions                                          */

const char *tp_idem_key(tp_req *r)
{
	const char *k = tp_header(r, "Idempotency-Key");
	if (k == NULL || *k == '\0') {
		if (tp_input(r, "idempotency_key", &k) != TP_OK)
			return NULL;
	}
	return k != NULL && *k != '\0' ? k : NULL;
}

const char *tp_idem_new(tp_req *r)
{
	char tok[44];
	tp_token_new(tok);
	return tp_strdup(r, tok);
}

void tp_form_idem_key(tp_req *r, json_object *view)
{
	const char *s = tp_form(r, "idempotency_key");
	tp_json_add_str(view, "idempotency_key",
	                s != NULL && *s != '\0' ? s : tp_idem_new(r));
}

tp_rc tp_idem_begin(tp_req *r, const char *action, const char *content,
                    json_object **replay)
{
	tp_db *db = tp_req_db(r);
	const char *key = tp_idem_key(r);
	crypto_hash_sha256_state st;
	unsigned char h[32];
	char hex[65];
	tp_who w;

	*replay = NULL;
	if (key == NULL)
		return tp_fail(
		    r, TP_EINVAL, "idempotency_key",
		    _("is required (an Idempotency-Key header or an "
		      "idempotency_key field): it keeps a retry from "
		      "doing the same thing twice"));
	if (strlen(key) > 128 || tp_check_text(key, 128, 0) != NULL)
		return tp_fail(r, TP_EINVAL, "idempotency_key",
		               _("must be 1 to 128 printable characters"));
	crypto_hash_sha256_init(&st);
	hash_add(&st, "%s\n", action);
	crypto_hash_sha256_update(&st, (const unsigned char *)content,
	                          strlen(content));
	crypto_hash_sha256_final(&st, h);
	to_hex(h, sizeof(h), hex);
	tp_who_get(r, &w);

	uint64_t aff = 0;
	tp_rc rc = tp_db_exec(
	    db, &aff,
	    "INSERT INTO idempotency_keys (tenant_id, idem_key, action, "
	    "content_hash, user_id) VALUES (?, ?, ?, UNHEX(?), NULLIF(?, 0)) "
	    "ON DUPLICATE KEY UPDATE idem_key = idem_key",
	    "IsssI", (int64_t)tp_tenant_id(r), key, action, hex,
	    (int64_t)w.user_id);
	if (rc != TP_OK || aff != 0)
		return rc;
	tp_rows *rs;
	rc = tp_db_query(db, r, &rs,
	                 "SELECT action, LOWER(HEX(content_hash)), result FROM "
	                 "idempotency_keys WHERE tenant_id = ? AND idem_key = "
	                 "? FOR UPDATE",
	                 "Is", (int64_t)tp_tenant_id(r), key);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0 || strcmp(tp_rows_get(rs, 0, 0), action) ||
	    strcmp(tp_rows_get(rs, 0, 1), hex) || tp_rows_get(rs, 0, 2) == NULL)
		return tp_fail(r, TP_ECONFLICT, "idempotency_key",
		               _("was already used for a different request"));
	json_object *o = json_tokener_parse(tp_rows_get(rs, 0, 2));
	if (o == NULL)
		o = json_object_new_object();
	*replay = tp_json_owned(r, o);
	return TP_OK;
}

tp_rc tp_idem_end(tp_req *r, json_object *result)
{
	const char *key = tp_idem_key(r);
	if (key == NULL)
		return TP_EINTERNAL;
	return tp_db_exec(
	    tp_req_db(r), NULL,
	    "UPDATE idempotency_keys SET result = ? WHERE tenant_id = ? AND "
	    "idem_key = ?",
	    "sIs",
	    result
	        ? json_object_to_json_string_ext(result, JSON_C_TO_STRING_PLAIN)
	        : "{}",
	    (int64_t)tp_tenant_id(r), key);
}

/* ------------------------------------------------------------------ */
/* tierportctl ledger check | hash                                      */

tp_rc tp_ledger_check(tp_db *db, uint64_t tenant, char *err, size_t errlen)
{
	tp_arena a;
	tp_rows *rs;
	tp_rc rc;

	tp_arena_init(&a);
	err[0] = '\0';
	/* every transaction balances, in one currency */
	rc = tp_db_query_a(
	    db, &a, &rs,
	    "SELECT t.id, t.idem_key, SUM(e.amount), COUNT(*), "
	    "SUM(e.currency <> t.currency) FROM ledger_txns t JOIN "
	    "ledger_entries e ON e.txn_id = t.id WHERE (? = 0 OR t.tenant_id = "
	    "?) GROUP BY t.id HAVING SUM(e.amount) <> 0 OR COUNT(*) < 2 OR "
	    "SUM(e.currency <> t.currency) > 0 ORDER BY t.id LIMIT 1",
	    "II", (int64_t)tenant, (int64_t)tenant);
	if (rc == TP_OK && tp_rows_count(rs) > 0) {
		snprintf(err, errlen,
		         "transaction %s (%s) does not balance: sum %s over %s "
		         "entries, %s in another currency",
		         tp_rows_get(rs, 0, 0), tp_rows_get(rs, 0, 1),
		         tp_rows_get(rs, 0, 2), tp_rows_get(rs, 0, 3),
		         tp_rows_get(rs, 0, 4));
		goto out;
	}
	/* a transaction with no entries at all */
	if (rc == TP_OK)
		rc = tp_db_query_a(
		    db, &a, &rs,
		    "SELECT t.id, t.idem_key FROM ledger_txns t WHERE (? = 0 "
		    "OR "
		    "t.tenant_id = ?) AND NOT EXISTS (SELECT 1 FROM "
		    "ledger_entries e WHERE e.txn_id = t.id) LIMIT 1",
		    "II", (int64_t)tenant, (int64_t)tenant);
	if (rc == TP_OK && tp_rows_count(rs) > 0) {
		snprintf(err, errlen, "transaction %s (%s) has no entries",
		         tp_rows_get(rs, 0, 0), tp_rows_get(rs, 0, 1));
		goto out;
	}
	/* every stored balance is its ledger sum */
	if (rc == TP_OK)
		rc = tp_db_query_a(
		    db, &a, &rs,
		    "SELECT a.id, a.number, a.balance, COALESCE(s.total, 0) "
		    "FROM "
		    "accounts a LEFT JOIN (SELECT e.account_id, SUM(e.amount) "
		    "total FROM ledger_entries e JOIN ledger_accounts l ON "
		    "l.id "
		    "= e.ledger_account_id AND l.holder = 'account' WHERE (? = "
		    "0 "
		    "OR e.tenant_id = ?) GROUP BY e.account_id) s ON "
		    "s.account_id = a.id WHERE (? = 0 OR a.tenant_id = ?) AND "
		    "a.balance <> COALESCE(s.total, 0) ORDER BY a.id LIMIT 1",
		    "IIII", (int64_t)tenant, (int64_t)tenant, (int64_t)tenant,
		    (int64_t)tenant);
	if (rc == TP_OK && tp_rows_count(rs) > 0) {
		snprintf(err, errlen,
		         "account %s (%s): stored balance %s, ledger sum %s",
		         tp_rows_get(rs, 0, 0), tp_rows_get(rs, 0, 1),
		         tp_rows_get(rs, 0, 2), tp_rows_get(rs, 0, 3));
		goto out;
	}
	if (rc == TP_OK)
		rc = tp_db_query_a(
		    db, &a, &rs,
		    "SELECT p.id, p.name, p.balance, COALESCE(s.total, 0) FROM "
		    "partners p LEFT JOIN (SELECT e.partner_id, SUM(e.amount) "
		    "total FROM ledger_entries e JOIN ledger_accounts l ON "
		    "l.id "
		    "= e.ledger_account_id AND l.holder = 'partner' WHERE (? = "
		    "0 "
		    "OR e.tenant_id = ?) GROUP BY e.partner_id) s ON "
		    "s.partner_id = p.id WHERE (? = 0 OR p.tenant_id = ?) AND "
		    "p.balance <> COALESCE(s.total, 0) ORDER BY p.id LIMIT 1",
		    "IIII", (int64_t)tenant, (int64_t)tenant, (int64_t)tenant,
		    (int64_t)tenant);
	if (rc == TP_OK && tp_rows_count(rs) > 0)
		snprintf(err, errlen,
		         "partner %s (%s): stored balance %s, ledger sum %s",
		         tp_rows_get(rs, 0, 0), tp_rows_get(rs, 0, 1),
		         tp_rows_get(rs, 0, 2), tp_rows_get(rs, 0, 3));
out:
	if (rc != TP_OK)
		snprintf(err, errlen, "%s", tp_db_error(db));
	tp_arena_destroy(&a);
	return rc != TP_OK ? rc : err[0] != '\0' ? TP_ECONFLICT : TP_OK;
}

static tp_rc hash_row(void *ud, unsigned ncols, const char **c,
                      const unsigned long *lens)
{
	(void)lens;
	crypto_hash_sha256_state *st = ud;
	for (unsigned i = 0; i < ncols; i++) {
		const char *v = c[i] != NULL ? c[i] : "";
		crypto_hash_sha256_update(st, (const unsigned char *)v,
		                          strlen(v));
		crypto_hash_sha256_update(
		    st, (const unsigned char *)(i + 1 < ncols ? "|" : "\n"), 1);
	}
	return TP_OK;
}

tp_rc tp_ledger_hash(tp_db *db, uint64_t tenant, char hex[65])
{
	crypto_hash_sha256_state st;
	unsigned char h[32];

	crypto_hash_sha256_init(&st);
	/* docs/money.md "The ledger hash": entries in id order, each as the
	 * transaction's key and kind, the ledger account's code, the amount
	 * and currency, and its references by what names them in the brand
	 * (the account's number, the partner's and the service's rank by id,
	 * the product's name); no ids the posting made and no times, so a run
	 * killed and resumed hashes like an uninterrupted one, and two brands
	 * made alike (tierportctl gen, one seed) compare */
	tp_rc rc = tp_db_each(
	    db, hash_row, &st,
	    "SELECT t.idem_key, t.kind, l.code, e.amount, e.currency, "
	    "a.number, pr.rk, sr.rk, p.name, e.document_type FROM "
	    "ledger_entries e JOIN ledger_txns t ON t.id = e.txn_id JOIN "
	    "ledger_accounts l ON l.id = e.ledger_account_id LEFT JOIN "
	    "accounts a ON a.id = e.account_id LEFT JOIN (SELECT id, "
	    "ROW_NUMBER() OVER (ORDER BY id) rk FROM partners WHERE tenant_id "
	    "= ?) pr ON pr.id = e.partner_id LEFT JOIN (SELECT id, "
	    "ROW_NUMBER() OVER (ORDER BY id) rk FROM services WHERE tenant_id "
	    "= ?) sr ON sr.id = e.service_id LEFT JOIN products p ON p.id = "
	    "e.product_id WHERE e.tenant_id = ? ORDER BY e.id",
	    "III", (int64_t)tenant, (int64_t)tenant, (int64_t)tenant);
	crypto_hash_sha256_final(&st, h);
	to_hex(h, sizeof(h), hex);
	return rc;
}
