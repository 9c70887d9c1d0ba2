/*
 * gen.c -- `tierportctl gen`: a deterministic data set of a chosen size in
 * one brand, for benchmarks. Every row comes from INSERT ... SELECT over
 * MariaDB's SEQUENCE engine (seq_1_to_N), each value computed from the
 * seed and the row's number by CRC32, so a seed always gives the same data
 * (modulo ids) and nothing is sent row by row. Never touches a brand that
 * already holds partners, accounts or products.
 */
#include "config.h"
#include "ctl/ctl.h"

#include <string.h>
#include <time.h>

/* the sequence every statement draws from; rows are cut with BETWEEN, so
 * the sizes are bound parameters, never SQL text */
#define SEQ "seq_1_to_100000000"

/* a 32-bit hash of the seed, a salt and a row number; salts keep the
 * attributes of one row independent of each other */
#define H(salt, n) "CRC32(CONCAT(@tp_gen_seed, '" salt "', " n "))"

/* account numbers are ACCOUNT_BASE + n, so n comes back from the number */
#define ACCOUNT_BASE 10000000
/* accounts come in blocks of CORP_BLOCK: the first is corporate, the next
 * 2-7 (by hash) its sub-accounts, the rest standard accounts */
#define CORP_BLOCK "40"
#define SUB_OF(n)                                                              \
	"((" n " - 1) % " CORP_BLOCK " BETWEEN 1 AND 2 + CRC32(CONCAT("        \
	"@tp_gen_seed, 'g', (" n " - 1) DIV " CORP_BLOCK ")) % 6)"
#define ROOT_OF(n) "(" n " - (" n " - 1) % " CORP_BLOCK ")"

#define MAX_LEVELS 6

struct gen {
	tp_db *db;
	const tp_gen_spec *g;
	uint64_t tenant;
	char *err;
	size_t errlen;
	struct timespec t0;
	/* partner levels: first number and count of each (1-based n) */
	unsigned nlevels;
	unsigned start[MAX_LEVELS], size[MAX_LEVELS];
};

static tp_rc failed(struct gen *x, tp_rc rc, const char *what)
{
	snprintf(x->err, x->errlen, "%s: %s", what, tp_db_error(x->db));
	return rc;
}

#define EXEC(what, sql, ...)                                                   \
	do {                                                                   \
		tp_rc rc_ = tp_db_exec(x->db, NULL, sql, __VA_ARGS__);         \
		if (rc_ != TP_OK)                                              \
			return failed(x, rc_, what);                           \
	} while (0)

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void said(struct gen *x, const char *what, unsigned n)
{
	FILE *f = x->g->progress;
	if (f == NULL)
		return;
	fprintf(f, "gen: %-24s %9u  %6.2f s\n", what, n, seconds_since(&x->t0));
	fflush(f);
}

/* ------------------------------------------------------------------ */
/* the partner tree                                                     */

/* Levels 1..L (L = 4 to 6 by size), each about 3 times the one above;
 * the last takes what is left, so most partners are distributors. */
static void plan_levels(struct gen *x)
{
	unsigned p = x->g->partners, w = 1, wsum = 0, used = 0;
	x->nlevels = p >= 1000 ? 6 : p >= 150 ? 5 : p >= 4 ? 4 : p;
	for (unsigned k = 0; k < x->nlevels; k++, w *= 3)
		wsum += w;
	w = 1;
	for (unsigned k = 0; k < x->nlevels; k++, w *= 3) {
		unsigned s = (unsigned)((unsigned long long)p * w / wsum);
		if (k == 0 && s < 2 && p >= 10)
			s = 2; /* two agents at least: a partner's view is
			        * never the whole brand */
		if (k + 1 == x->nlevels)
			s = p - used;
		x->size[k] = s > 0 ? s : 1;
		x->start[k] = used + 1;
		used += x->size[k];
	}
}

/* One level: its partners spread evenly over the level above (child i of
 * a level of s_k goes to parent floor(i * s_{k-1} / s_k)); a top-level
 * agent has a currency, the others take their parent's; then the map of
 * numbers to ids and the closure rows (self, and the parent's ancestors).
 */
static tp_rc partner_level(struct gen *x, unsigned k)
{
	static const char *const kinds[] = {"agent", "sub-agent",
	                                    "distributor"};
	const char *kind = k == 0                ? kinds[0]
	                   : k + 1 == x->nlevels ? kinds[2]
	                                         : kinds[1];
	int64_t t = (int64_t)x->tenant;
	int64_t pstart = k ? x->start[k - 1] : 0,
	        psize = k ? x->size[k - 1] : 0;

	EXEC(
	    "partners",
	    "INSERT INTO partners (tenant_id, parent_id, name, kind, currency, "
	    "tier_id, status, credit_limit, warning_threshold, created_at) "
	    "SELECT ?, m.id, CONCAT(ELT(1 + " H(
	        "pa",
	        "x.n") " % 16, "
	               "'North', 'South', 'East', 'West', 'Central', "
	               "'Coastal', "
	               "'Metro', 'Valley', 'Harbour', 'Lakeside', 'Highland', "
	               "'Riverside', 'Capital', 'Summit', 'Union', 'Pioneer'), "
	               "' ', "
	               "ELT(1 + " H(
	                   "pb",
	                   "x.n") " % 8, 'Telecom', 'Networks', "
	                          "'Communications', 'Connect', 'Voice', "
	                          "'Digital', 'Link', "
	                          "'Solutions'), ' ', x.n), ?, "
	                          "IFNULL(pp.currency, ELT(1 + " H(
	                              "pc",
	                              "x.n") " % 10, "
	                                     "'EUR', 'EUR', 'EUR', 'EUR', "
	                                     "'EUR', 'EUR', 'USD', 'USD', "
	                                     "'GBP', 'GBP')), t.id, "
	                                     "IF(? AND " H(
	                                         "ps",
	                                         "x.n") " % 50 = 0, "
	                                                "'disabled', "
	                                                "'active'), "
	                                                "(1 + " H(
	                                                    "pl",
	                                                    "x.n") " % 50) * "
	                                                           "10000000, "
	                                                           "(1 + " H(
	                                                               "pl",
	                                                               "x.n") " % 50) * 8000000, "
	                                                                      "TIMESTAMP'2018-01-01 00:00:00' + INTERVAL " H(
	                                                                          "pd",
	                                                                          "x.n") " % "
	                                                                                 "63072000 SECOND "
	                                                                                 "FROM (SELECT ? + s.seq - 1 AS n, s.seq - 1 AS i FROM " SEQ
	                                                                                 " s "
	                                                                                 "WHERE s.seq BETWEEN 1 AND ?) x "
	                                                                                 "LEFT JOIN gen_partner_map m ON m.n = ? + x.i * ? DIV ? "
	                                                                                 "LEFT JOIN partners pp ON pp.id = m.id "
	                                                                                 "JOIN tiers t ON t.tenant_id = ? AND t.name = ELT(1 + "
	                                                                                 "" H(
	                                                                                     "pt",
	                                                                                     "x.n") " % 10, 'Bronze', 'Bronze', 'Bronze', "
	                                                                                            "'Bronze', 'Silver', 'Silver', 'Silver', 'Gold', 'Gold', "
	                                                                                            "'Platinum') ORDER BY x.n",
	    "IsiIIIIII", t, kind, k >= 2 ? 1 : 0, (int64_t)x->start[k],
	    (int64_t)x->size[k], pstart, psize, (int64_t)x->size[k], t);
	/* ids grow with insertion order, so the brand's n-th partner by id
	 * is number n (whatever other brands insert meanwhile) */
	EXEC("partner map",
	     "INSERT INTO gen_partner_map (n, id) SELECT n, id FROM (SELECT "
	     "ROW_NUMBER() OVER (ORDER BY id) AS n, id FROM partners WHERE "
	     "tenant_id = ?) x WHERE n >= ?",
	     "II", t, (int64_t)x->start[k]);
	EXEC("partner_tree",
	     "INSERT INTO partner_tree (ancestor, descendant, depth) "
	     "SELECT m.id, m.id, 0 FROM gen_partner_map m WHERE m.n >= ? "
	     "UNION ALL SELECT pt.ancestor, p.id, pt.depth + 1 FROM "
	     "gen_partner_map m JOIN partners p ON p.id = m.id JOIN "
	     "partner_tree pt ON pt.descendant = p.parent_id WHERE m.n >= ?",
	     "II", (int64_t)x->start[k], (int64_t)x->start[k]);
	return TP_OK;
}

static tp_rc partners(struct gen *x)
{
	tp_rc rc;
	plan_levels(x);
	for (unsigned k = 0; k < x->nlevels; k++)
		if ((rc = partner_level(x, k)) != TP_OK)
			return rc;
	said(x, "partners", x->g->partners);
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* the product catalog                                                  */

static const struct {
	const char *name, *type, *cycle;
	int64_t periodic, once; /* ten-thousandths */
	int term, weight;       /* months; per cent of the services */
	int phone;              /* 0 none, 1 geographic, 2 toll-free */
} products[] = {
    {"VoIP Line Basic", "voip-line", "monthly", 99500, 250000, 12, 14, 1},
    {"VoIP Line Unlimited", "voip-line", "monthly", 199500, 250000, 24, 10, 1},
    {"SIP Trunk 10", "sip-account", "monthly", 490000, 990000, 12, 6, 1},
    {"SIP Account", "sip-account", "monthly", 45000, 0, 0, 8, 1},
    {"Toll-Free Number", "toll-free", "monthly", 150000, 500000, 12, 5, 2},
    {"Toll-Free Premium", "toll-free", "quarterly", 1200000, 500000, 12, 2, 2},
    {"Hosted PBX Seat", "pbx-seat", "monthly", 125000, 0, 12, 12, 1},
    {"PBX Seat Annual", "pbx-seat", "yearly", 1350000, 0, 12, 4, 1},
    {"Extension", "extension", "monthly", 20000, 0, 0, 15, 0},
    {"Web Hosting S", "hosting", "monthly", 59900, 0, 0, 8, 0},
    {"Web Hosting L", "hosting", "yearly", 590000, 0, 12, 4, 0},
    {"Virtual Server", "hosting", "monthly", 240000, 490000, 0, 5, 0},
    {"Fax to E-mail", "other", "monthly", 30000, 0, 0, 3, 1},
    {"Setup Service", "other", "none", 0, 1500000, 0, 2, 0},
    {"Number Porting", "other", "none", 0, 300000, 0, 2, 0},
};

/* The catalog (in EUR; a service takes the figures in its account's
 * currency), and gen_products: 100 slots, each product holding as many as
 * its weight, so a service picks its product with hash % 100. */
static tp_rc catalog(struct gen *x)
{
	int slot = 0;
	for (size_t i = 0; i < sizeof(products) / sizeof(products[0]); i++) {
		EXEC("products",
		     "INSERT INTO products (tenant_id, name, product_type, "
		     "currency, periodic_charge, bill_cycle, one_time_charge, "
		     "term_months, created_at) VALUES (?, ?, ?, 'EUR', ?, ?, "
		     "?, ?, "
		     "TIMESTAMP'2019-01-01 00:00:00')",
		     "IssIsIi", (int64_t)x->tenant, products[i].name,
		     products[i].type, products[i].periodic, products[i].cycle,
		     products[i].once, products[i].term);
		EXEC(
		    "product slots",
		    "INSERT INTO gen_products (slot, id, periodic, bill_cycle, "
		    "once, term, phone) SELECT s.seq, ?, ?, ?, ?, ?, ? FROM "
		    "seq_0_to_99 s WHERE s.seq BETWEEN ? AND ?",
		    "IIsIiiii", (int64_t)tp_db_last_id(x->db),
		    products[i].periodic, products[i].cycle, products[i].once,
		    products[i].term, products[i].phone, slot,
		    slot + products[i].weight - 1);
		slot += products[i].weight;
	}
	said(x, "products", (unsigned)(sizeof(products) / sizeof(products[0])));
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* opening balances                                                     */

/* A generated account's balance came from somewhere: one ledger
 * transaction per account with a balance (receivable or prepaid against
 * "opening.balances", docs/money.md), so `tierportctl ledger check` holds
 * for a generated brand as for any other. */
static tp_rc opening_balances(struct gen *x)
{
	static const char *const las[][4] = {
	    {"receivable", "Customer receivable", "asset", "account"},
	    {"prepaid", "Customer prepaid funds", "liability", "account"},
	    {"opening.balances", "Opening balances", "equity", "none"}};
	for (size_t i = 0; i < 3; i++)
		EXEC(
		    "ledger accounts",
		    "INSERT INTO ledger_accounts (tenant_id, code, name, type, "
		    "holder) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
		    "id = id",
		    "Issss", (int64_t)x->tenant, las[i][0], las[i][1],
		    las[i][2], las[i][3]);
	EXEC("opening balances",
	     "INSERT INTO ledger_txns (tenant_id, idem_key, content_hash, "
	     "kind, currency, account_id, partner_id, memo, effective_at) "
	     "SELECT a.tenant_id, CONCAT('opening:', a.number), "
	     "UNHEX(SHA2(CONCAT('opening|', a.currency, '|', a.balance), "
	     "256)), 'opening', a.currency, a.id, a.partner_id, 'Opening "
	     "balance', a.created_at FROM accounts a WHERE a.tenant_id = ? AND "
	     "a.balance <> 0 ORDER BY a.id",
	     "I", (int64_t)x->tenant);
	EXEC(
	    "opening balance entries",
	    "INSERT INTO ledger_entries (tenant_id, txn_id, ledger_account_id, "
	    "amount, currency, account_id, partner_id) SELECT t.tenant_id, "
	    "t.id, l.id, IF(l.holder = 'account', a.balance, -a.balance), "
	    "a.currency, a.id, a.partner_id FROM ledger_txns t JOIN accounts "
	    "a ON a.id = t.account_id JOIN ledger_accounts l ON l.tenant_id = "
	    "t.tenant_id AND l.code IN (IF(a.billing_type = 'prepaid', "
	    "'prepaid', 'receivable'), 'opening.balances') WHERE t.tenant_id "
	    "= ? AND t.kind = 'opening' ORDER BY t.id, l.holder DESC",
	    "I", (int64_t)x->tenant);
	said(x, "opening balances", x->g->accounts);
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* accounts                                                             */

/* The columns every account computes from its number n (x.n) and the
 * key k (x.k: its own n, or its corporate parent's, whose name, partner
 * and currency a sub-account shares). */
#define ACCOUNT_COLS                                                           \
	"tenant_id, partner_id, number, name, contact_name, email, phone, "    \
	"kind, parent_account_id, status, closed_at, currency, credit_limit, " \
	"balance, created_at"

/* 5 % closed, never a corporate parent (it closes after its
 * sub-accounts); of the rest 9 % suspended */
#define CLOSED                                                                 \
	"(" H("as", "x.n") " % 100 >= 95 AND (x.n - 1) % " CORP_BLOCK " <> 0)"

#define ACCOUNT_VALUES                                                                                                                                                \
	"?, pid, CAST(? + x.n AS CHAR), "                                                                                                                             \
	"CONCAT(ELT(1 + " H(                                                                                                                                          \
	    "an",                                                                                                                                                     \
	    "x.k") " % 24, 'Acme', 'Globex', "                                                                                                                        \
	           "'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark', "                                                                                            \
	           "'Wayne', "                                                                                                                                        \
	           "'Wonka', 'Soylent', 'Tyrell', 'Cyberdyne', 'Aperture', "                                                                                          \
	           "'Oscorp', "                                                                                                                                       \
	           "'Gringotts', 'Monarch', 'Nakatomi', 'Prestige', 'Duff', "                                                                                         \
	           "'Krusty', "                                                                                                                                       \
	           "'Sirius', 'Zorg', 'Virtucon', 'Dunder'), ' ', ELT(1 + "                                                                                           \
	           "" H(                                                                                                                                              \
	               "ab",                                                                                                                                          \
	               "x.k") " % 20, 'Bakery', 'Logistics', 'Dental', "                                                                                              \
	                      "'Consulting', 'Motors', 'Foods', 'Legal', "                                                                                            \
	                      "'Media', 'Clinic', "                                                                                                                   \
	                      "'Builders', 'Travel', 'Hotels', 'Farms', "                                                                                             \
	                      "'Print', 'Security', "                                                                                                                 \
	                      "'Energy', 'Fitness', 'Studios', 'Traders', "                                                                                           \
	                      "'Labs'), ELT(1 + "                                                                                                                     \
	                      "" H(                                                                                                                                   \
	                          "ac",                                                                                                                               \
	                          "x.k") " % 5, '', ' Ltd', ' GmbH', ' & "                                                                                            \
	                                 "Co', ' Inc'), "                                                                                                             \
	                                 "IF(x.k = x.n, '', CONCAT(' ', "                                                                                             \
	                                 "ELT(1 + (x.n - x.k) % 8, 'East', "                                                                                          \
	                                 "'West', 'North', 'South', "                                                                                                 \
	                                 "'Central', 'Harbour', 'Airport', "                                                                                          \
	                                 "'Downtown')))), "                                                                                                           \
	                                 "CONCAT(ELT(1 + " H(                                                                                                         \
	                                     "af",                                                                                                                    \
	                                     "x.n") " % 12, 'Anna', 'Ben', "                                                                                          \
	                                            "'Clara', "                                                                                                       \
	                                            "'David', 'Emma', "                                                                                               \
	                                            "'Felix', 'Greta', "                                                                                              \
	                                            "'Hugo', 'Ines', "                                                                                                \
	                                            "'Jonas', 'Kim', "                                                                                                \
	                                            "'Lena'), ' ', ELT(1 "                                                                                            \
	                                            "+ " H(                                                                                                           \
	                                                "al",                                                                                                         \
	                                                "x.n") " % 12, "                                                                                              \
	                                                       "'Miller', "                                                                                           \
	                                                       "'Smith', "                                                                                            \
	                                                       "'Novak', "                                                                                            \
	                                                       "'Rossi', "                                                                                            \
	                                                       "'Dubois', "                                                                                           \
	                                                       "'Jansen', "                                                                                           \
	                                                       "'Garcia', "                                                                                           \
	                                                       "'Berg', "                                                                                             \
	                                                       "'Kowalski', "                                                                                         \
	                                                       "'Murphy', "                                                                                           \
	                                                       "'Weber', "                                                                                            \
	                                                       "'Silva')), "                                                                                          \
	                                                       "CONCAT('"                                                                                             \
	                                                       "billing', "                                                                                           \
	                                                       "x.n, "                                                                                                \
	                                                       "'@example."                                                                                           \
	                                                       "com'), "                                                                                              \
	                                                       "CONCAT('+44 "                                                                                         \
	                                                       "20 ', "                                                                                               \
	                                                       "LPAD(" H(                                                                                             \
	                                                           "ap",                                                                                              \
	                                                           "x.n") " %"                                                                                        \
	                                                                  " 1"                                                                                        \
	                                                                  "00"                                                                                        \
	                                                                  "00"                                                                                        \
	                                                                  "00"                                                                                        \
	                                                                  "00"                                                                                        \
	                                                                  ", "                                                                                        \
	                                                                  "8,"                                                                                        \
	                                                                  " '"                                                                                        \
	                                                                  "0'"                                                                                        \
	                                                                  "))"                                                                                        \
	                                                                  ", "                                                                                        \
	                                                                  "IF"                                                                                        \
	                                                                  "(x"                                                                                        \
	                                                                  ".k"                                                                                        \
	                                                                  " ="                                                                                        \
	                                                                  " x"                                                                                        \
	                                                                  ".n"                                                                                        \
	                                                                  " A"                                                                                        \
	                                                                  "ND"                                                                                        \
	                                                                  " ("                                                                                        \
	                                                                  "x."                                                                                        \
	                                                                  "n "                                                                                        \
	                                                                  "- "                                                                                        \
	                                                                  "1)"                                                                                        \
	                                                                  " %"                                                                                        \
	                                                                  " " CORP_BLOCK                                                                              \
	                                                                  " ="                                                                                        \
	                                                                  " 0"                                                                                        \
	                                                                  ", "                                                                                        \
	                                                                  "'c"                                                                                        \
	                                                                  "or"                                                                                        \
	                                                                  "po"                                                                                        \
	                                                                  "ra"                                                                                        \
	                                                                  "te"                                                                                        \
	                                                                  "',"                                                                                        \
	                                                                  " "                                                                                         \
	                                                                  "'s"                                                                                        \
	                                                                  "ta"                                                                                        \
	                                                                  "nd"                                                                                        \
	                                                                  "ar"                                                                                        \
	                                                                  "d'"                                                                                        \
	                                                                  "),"                                                                                        \
	                                                                  " p"                                                                                        \
	                                                                  "ar"                                                                                        \
	                                                                  "en"                                                                                        \
	                                                                  "t,"                                                                                        \
	                                                                  " "                                                                                         \
	                                                                  "IF"                                                                                        \
	                                                                  "(" H(                                                                                      \
	                                                                      "as",                                                                                   \
	                                                                      "x.n") " % 100 < 86, 'active', IF(NOT " CLOSED                                          \
	                                                                             ", "                                                                             \
	                                                                             "'suspended', 'closed')), "                                                      \
	                                                                             "IF(" CLOSED                                                                     \
	                                                                             ", TIMESTAMP'2026-01-01 00:00:00' - INTERVAL "                                   \
	                                                                             "" H(                                                                            \
	                                                                                 "ax",                                                                        \
	                                                                                 "x.n") " % 31536000 SECOND, NULL), cur, "                                    \
	                                                                                        "" H(                                                                 \
	                                                                                            "ak",                                                             \
	                                                                                            "x.n") " % 20 * 1000000, "                                        \
	                                                                                                   "CAST(" H(                                                 \
	                                                                                                       "ay",                                                  \
	                                                                                                       "x.n") " % 5000000 AS SIGNED) - 1000000, "             \
	                                                                                                              "TIMESTAMP'2020-01-01 00:00:00' + INTERVAL " H( \
	                                                                                                                  "ad",                                       \
	                                                                                                                  "x.n") " % "                                \
	                                                                                                                         "157680000 SECOND"

/* Standard and corporate accounts first (each with a partner: 80 % on
 * the last level, the rest anywhere), then the sub-accounts, which take
 * their parent's partner and currency from the map. */
static tp_rc accounts(struct gen *x)
{
	const tp_gen_spec *g = x->g;
	int64_t t = (int64_t)x->tenant;
	unsigned last = x->nlevels - 1;

	EXEC("accounts",
	     "INSERT INTO accounts (" ACCOUNT_COLS ") SELECT " ACCOUNT_VALUES
	     " FROM (SELECT s.seq AS n, s.seq AS k, m.id AS pid, "
	     "p.currency AS cur, NULL AS parent FROM " SEQ " s "
	     "JOIN gen_partner_map m ON m.n = IF(" H(
	         "ao",
	         "s.seq") " % 100 "
	                  "< 80, ? + " H("aq", "s.seq") " % ?, 1 + " H(
	                      "aq",
	                      "s.seq") " % "
	                               "?) JOIN partners p ON p.id = m.id "
	                               "WHERE s.seq BETWEEN 1 AND ? AND "
	                               "NOT " SUB_OF("s.seq") ") x "
	                                                      "ORDER BY x.n",
	     "IIIIII", t, (int64_t)ACCOUNT_BASE, (int64_t)x->start[last],
	     (int64_t)x->size[last], (int64_t)g->partners,
	     (int64_t)g->accounts);
	EXEC("account map",
	     "INSERT INTO gen_account_map (n, id, partner_id, currency, "
	     "status, phone) SELECT CAST(number AS UNSIGNED) - ?, id, "
	     "partner_id, currency, status, REPLACE(phone, ' ', '') FROM "
	     "accounts WHERE tenant_id = ?",
	     "II", (int64_t)ACCOUNT_BASE, t);
	EXEC(
	    "sub-accounts",
	    "INSERT INTO accounts (" ACCOUNT_COLS ") SELECT " ACCOUNT_VALUES
	    " FROM (SELECT s.seq AS n, " ROOT_OF(
	        "s.seq") " AS k, "
	                 "m.partner_id AS pid, m.currency AS cur, m.id AS "
	                 "parent FROM "
	                 "" SEQ " s JOIN gen_account_map m ON m.n = " ROOT_OF(
	                     "s.seq") " "
	                              "WHERE s.seq BETWEEN 1 AND ? AND " SUB_OF(
	                                  "s.seq") ") x "
	                                           "ORDER BY x.n",
	    "III", t, (int64_t)ACCOUNT_BASE, (int64_t)g->accounts);
	EXEC("account map",
	     "INSERT INTO gen_account_map (n, id, partner_id, currency, "
	     "status, phone) SELECT CAST(number AS UNSIGNED) - ?, id, "
	     "partner_id, currency, status, REPLACE(phone, ' ', '') FROM "
	     "accounts WHERE tenant_id = ? AND parent_account_id IS NOT NULL",
	     "II", (int64_t)ACCOUNT_BASE, t);
	EXEC("account_tree",
	     "INSERT INTO account_tree (ancestor, descendant, depth) "
	     "SELECT id, id, 0 FROM gen_account_map UNION ALL "
	     "SELECT parent_account_id, id, 1 FROM accounts WHERE "
	     "tenant_id = ? AND parent_account_id IS NOT NULL",
	     "I", t);
	said(x, "accounts", g->accounts);

	/* one Bill To address per account, in its partner's country */
	EXEC(
	    "locations",
	    "INSERT INTO locations (tenant_id, account_id, name, street, "
	    "city, postcode, region, country, is_bill_to, created_at) "
	    "SELECT ?, m.id, 'Head office', CONCAT(1 + " H(
	        "lh",
	        "m.n") " % "
	               "240, ' ', ELT(1 + " H(
	                   "ls",
	                   "m.n") " % 10, 'High', 'Station', "
	                          "'Church', 'Mill', 'Park', 'Market', 'King', "
	                          "'Queen', 'Bridge', "
	                          "'Garden'), ' ', ELT(1 + " H(
	                              "lt",
	                              "m.n") " % 4, 'Street', "
	                                     "'Road', 'Avenue', 'Lane')), "
	                                     "ELT(1 + " H(
	                                         "lc",
	                                         "m.n") " % 8, 'Springfield', "
	                                                "'Riverton', "
	                                                "'Fairview', "
	                                                "'Kingsbridge', "
	                                                "'Ashford', "
	                                                "'Greenville', "
	                                                "'Westbury', "
	                                                "'Oakham'), "
	                                                "LPAD(" H(
	                                                    "lp",
	                                                    "m.n") " % 100000, "
	                                                           "5, '0'), "
	                                                           "'', "
	                                                           "CASE "
	                                                           "m.currency "
	                                                           "WHEN 'USD' "
	                                                           "THEN 'US' "
	                                                           "WHEN 'GBP' "
	                                                           "THEN 'GB' "
	                                                           "ELSE "
	                                                           "ELT(1 + " H(
	                                                               "lk",
	                                                               "m.n") " % 4, 'DE', 'FR', 'NL', 'IE') END, 1, "
	                                                                      "TIMESTAMP'2020-01-01 00:00:00' + INTERVAL " H(
	                                                                          "ad",
	                                                                          "m.n") " % "
	                                                                                 "157680000 SECOND "
	                                                                                 "FROM gen_account_map m ORDER BY m.n",
	    "I", t);
	EXEC("location map",
	     "UPDATE gen_account_map m JOIN locations l ON "
	     "l.bill_to_account = m.id SET m.loc = l.id",
	     "");
	said(x, "locations", g->accounts);
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* services                                                             */

/* Each service on an account (a fifth of them on the first 2 % of the
 * accounts: a few big customers), with a product by weight and its
 * charges, a status that follows the account's, a start date over six
 * years, a phone number for the products that have one (unique: n times
 * a prime modulo 10^8), the account's number as BTN and its Bill To
 * address. */
static tp_rc services(struct gen *x)
{
	const tp_gen_spec *g = x->g;
	int64_t a = g->accounts, big = g->accounts / 50 ? g->accounts / 50 : 1;

	EXEC(
	    "services",
	    "INSERT INTO services (tenant_id, partner_id, account_id, "
	    "product_id, status, currency, periodic_charge, bill_cycle, "
	    "one_time_charge, start_date, term_end, phone_number, btn, "
	    "location_id, comments, created_at) "
	    "SELECT ?, m.partner_id, m.id, gp.id, "
	    "CASE m.status WHEN 'closed' THEN 'disconnected' WHEN "
	    "'suspended' THEN 'suspended' ELSE ELT(1 + " H(
	        "ss",
	        "x.n") " % "
	               "20, 'pending', 'suspended', 'disconnected', "
	               "'disconnected', "
	               "'active', 'active', 'active', 'active', 'active', "
	               "'active', "
	               "'active', 'active', 'active', 'active', 'active', "
	               "'active', "
	               "'active', 'active', 'active', 'active') END, "
	               "m.currency, gp.periodic, gp.bill_cycle, gp.once, x.d, "
	               "IF(gp.term > 0, x.d + INTERVAL gp.term MONTH, NULL), "
	               "CASE gp.phone WHEN 1 THEN CONCAT('+4420', LPAD((x.n * "
	               "7919 + "
	               "x.o) % 100000000, 8, '0')) WHEN 2 THEN "
	               "CONCAT('+44800', "
	               "LPAD((x.n * 7919 + x.o) % 10000000, 7, '0')) ELSE '' "
	               "END, "
	               "IF(gp.phone > 0, m.phone, ''), m.loc, "
	               "IF(" H(
	                   "sc",
	                   "x.n") " % 25 = 0, 'Migrated from the legacy "
	                          "platform', ''), TIMESTAMP(x.d) - "
	                          "INTERVAL " H(
	                              "sw",
	                              "x.n") " % "
	                                     "2592000 SECOND "
	                                     "FROM (SELECT s.seq AS n, IF(" H(
	                                         "sa",
	                                         "s.seq") " % 10 < 2, 1 + "
	                                                  "" H("sb", "s.seq") " % ?, 1 + " H(
	                                                      "sb",
	                                                      "s.seq") " % ?) "
	                                                               "AS an, "
	                                                               "" H(
	                                                                   "sp",
	                                                                   "s."
	                                                                   "se"
	                                                                   "q") " % 100 AS slot, DATE'2020-01-01' + INTERVAL "
	                                                                        "" H(
	                                                                            "sd",
	                                                                            "s.seq") " % 2190 DAY AS d, CRC32(@tp_gen_seed) % "
	                                                                                     "1000 AS o FROM " SEQ
	                                                                                     " s WHERE s.seq BETWEEN 1 AND ?) x "
	                                                                                     "JOIN gen_account_map m ON m.n = x.an "
	                                                                                     "JOIN gen_products gp ON gp.slot = x.slot ORDER BY x.n",
	    "IIII", (int64_t)x->tenant, big, a, (int64_t)g->services);
	said(x, "services", g->services);
	/* each service's history starts with its state on its start date,
	 * as the service pages write it (the billing run prorates by it) */
	EXEC(
	    "service history",
	    "INSERT INTO service_history (tenant_id, service_id, status, "
	    "periodic_charge, effective, reason) SELECT tenant_id, id, status, "
	    "periodic_charge, start_date, 'created' FROM services WHERE "
	    "tenant_id = ? ORDER BY id",
	    "I", (int64_t)x->tenant);
	said(x, "service history", g->services);
	return TP_OK;
}

/* ------------------------------------------------------------------ */
/* logins                                                               */

/* gen.operator: an operator (not an admin, so no two-factor code) that
 * may view the brand's partners, accounts and users; gen.partner: the
 * admin of the first agent. */
static tp_rc logins(struct gen *x)
{
	tp_arena ar;
	tp_rows *rs;
	uint64_t uid = 0;
	tp_rc rc;

	tp_user_spec op = {.tenant_id = x->tenant,
	                   .kind = "operator",
	                   .login = TP_GEN_OPERATOR,
	                   .name = "Gen operator",
	                   .email = "gen.operator@example.com",
	                   .password = x->g->password};
	if ((rc = tp_admin_user_add(x->db, &op, &uid, x->err, x->errlen)) !=
	    TP_OK)
		return rc;
	EXEC("operator rights",
	     "INSERT INTO user_rights (user_id, area, rights) VALUES "
	     "(?, 'partners', 1), (?, 'accounts', 1), (?, 'users', 1), "
	     "(?, 'profile', 15)",
	     "IIII", (int64_t)uid, (int64_t)uid, (int64_t)uid, (int64_t)uid);
	tp_arena_init(&ar);
	rc = tp_db_query_a(x->db, &ar, &rs,
	                   "SELECT id FROM gen_partner_map WHERE n = 1", "");
	tp_user_spec pa = {.tenant_id = x->tenant,
	                   .partner_id = (uint64_t)tp_rows_i64(rs, 0, 0),
	                   .kind = "partner",
	                   .login = TP_GEN_PARTNER,
	                   .name = "Gen agent admin",
	                   .email = "gen.partner@example.com",
	                   .password = x->g->password,
	                   .is_admin = 1,
	                   .group = "partner-admin"};
	tp_arena_destroy(&ar);
	if (rc != TP_OK)
		return failed(x, rc, "the first agent");
	return tp_admin_user_add(x->db, &pa, NULL, x->err, x->errlen);
}

/* ------------------------------------------------------------------ */

/* The brand: made when missing; an existing one must be empty. Its
 * tenants row stays locked until the commit, so two runs cannot fill the
 * same brand. */
static tp_rc brand(struct gen *x)
{
	const tp_gen_spec *g = x->g;
	tp_arena ar;
	tp_rows *rs;
	tp_rc rc;

	tp_arena_init(&ar);
	rc = tp_db_query_a(
	    x->db, &ar, &rs,
	    "SELECT id, (SELECT COUNT(*) FROM partners p WHERE p.tenant_id = "
	    "t.id), (SELECT COUNT(*) FROM accounts a WHERE a.tenant_id = "
	    "t.id), (SELECT COUNT(*) FROM products r WHERE r.tenant_id = "
	    "t.id) FROM tenants t WHERE slug = ? FOR UPDATE",
	    "s", g->slug);
	if (rc == TP_OK && tp_rows_count(rs) > 0) {
		x->tenant = (uint64_t)tp_rows_i64(rs, 0, 0);
		if (tp_rows_i64(rs, 0, 1) + tp_rows_i64(rs, 0, 2) +
		        tp_rows_i64(rs, 0, 3) >
		    0) {
			snprintf(x->err, x->errlen,
			         "brand %s already holds data (%s partners, %s "
			         "accounts, %s products): gen fills a new or "
			         "empty brand only; choose another --brand",
			         g->slug, tp_rows_get(rs, 0, 1),
			         tp_rows_get(rs, 0, 2), tp_rows_get(rs, 0, 3));
			rc = TP_ECONFLICT;
		}
		tp_arena_destroy(&ar);
		return rc;
	}
	tp_arena_destroy(&ar);
	if (rc != TP_OK)
		return failed(x, rc, "looking up the brand");
	tp_brand_spec b = {.slug = g->slug,
	                   .name = g->name,
	                   .plan = g->plan,
	                   .hosts = g->hosts,
	                   .modules = g->modules};
	return tp_admin_brand_add(x->db, &b, &x->tenant, x->err, x->errlen);
}

/* The maps are keyed both ways: the optimizer sees tables filled inside
 * this transaction as nearly empty and may drive a join from either side
 * (a map without KEY (id) made the location update quadratic). */
static tp_rc work_tables(struct gen *x)
{
	EXEC("work tables",
	     "DROP TEMPORARY TABLE IF EXISTS gen_partner_map, "
	     "gen_account_map, gen_products",
	     "");
	EXEC(
	    "work tables",
	    "CREATE TEMPORARY TABLE gen_partner_map (n INT UNSIGNED NOT NULL "
	    "PRIMARY KEY, id BIGINT UNSIGNED NOT NULL, KEY (id)) ENGINE=InnoDB",
	    "");
	EXEC("work tables",
	     "CREATE TEMPORARY TABLE gen_account_map (n INT UNSIGNED NOT NULL "
	     "PRIMARY KEY, id BIGINT UNSIGNED NOT NULL, partner_id BIGINT "
	     "UNSIGNED NOT NULL, currency CHAR(3) NOT NULL, status "
	     "VARCHAR(16) NOT NULL, phone VARCHAR(32) NOT NULL, loc BIGINT "
	     "UNSIGNED NULL, KEY (id)) ENGINE=InnoDB",
	     "");
	EXEC("work tables",
	     "CREATE TEMPORARY TABLE gen_products (slot INT UNSIGNED NOT NULL "
	     "PRIMARY KEY, id BIGINT UNSIGNED NOT NULL, periodic BIGINT NOT "
	     "NULL, bill_cycle VARCHAR(16) NOT NULL, once BIGINT NOT NULL, "
	     "term INT NOT NULL, phone INT NOT NULL) ENGINE=InnoDB",
	     "");
	return TP_OK;
}

tp_rc tp_gen_run(tp_db *db, const tp_gen_spec *g, uint64_t *tenant, char *err,
                 size_t errlen)
{
	struct gen x = {.db = db, .g = g, .err = err, .errlen = errlen};
	char seed[24];
	tp_rc rc;

	*tenant = 0;
	if (g->partners < 1 || g->partners > TP_GEN_MAX_PARTNERS ||
	    g->accounts > TP_GEN_MAX_ACCOUNTS ||
	    g->services > TP_GEN_MAX_SERVICES ||
	    (g->accounts == 0 && g->services > 0)) {
		snprintf(err, errlen,
		         "sizes: partners 1-%u, accounts 0-%u, services 0-%u "
		         "(and services need accounts)",
		         TP_GEN_MAX_PARTNERS, TP_GEN_MAX_ACCOUNTS,
		         TP_GEN_MAX_SERVICES);
		return TP_EINVAL;
	}
	clock_gettime(CLOCK_MONOTONIC, &x.t0);
	snprintf(seed, sizeof(seed), "%llu", (unsigned long long)g->seed);
	/* one transaction, all or nothing; the rows are consistent by
	 * construction (and the test checks it), so the per-row foreign key
	 * and unique checks are off for speed, and the brand's data
	 * generation is bumped once at the end rather than by the triggers
	 * row by row (sql/007_page_cache.sql) */
	if ((rc = tp_db_exec(db, NULL,
	                     "SET @tp_gen_seed = ?, foreign_key_checks = 0, "
	                     "unique_checks = 0, @tp_bulk_load = 1",
	                     "s", seed)) != TP_OK)
		return failed(&x, rc, "session settings");
	if ((rc = work_tables(&x)) != TP_OK)
		return rc;
	if ((rc = tp_db_begin(db)) != TP_OK)
		return failed(&x, rc, "begin");
	if ((rc = brand(&x)) == TP_OK && (rc = partners(&x)) == TP_OK &&
	    (rc = catalog(&x)) == TP_OK &&
	    (g->accounts == 0 || (rc = accounts(&x)) == TP_OK) &&
	    (g->services == 0 || (rc = services(&x)) == TP_OK) &&
	    (g->accounts == 0 || (rc = opening_balances(&x)) == TP_OK) &&
	    (rc = logins(&x)) == TP_OK &&
	    (rc = tp_db_exec(db, NULL,
	                     "INSERT INTO data_generations (tenant_id, gen) "
	                     "VALUES (?, 1) ON DUPLICATE KEY UPDATE gen = "
	                     "gen + 1",
	                     "I", (int64_t)x.tenant)) == TP_OK) {
		if ((rc = tp_db_commit(db)) != TP_OK)
			failed(&x, rc, "commit");
		else
			said(&x, "committed",
			     g->partners + g->accounts + g->services);
	} else {
		tp_db_rollback(db);
	}
	tp_db_exec(db, NULL,
	           "SET foreign_key_checks = 1, unique_checks = 1, "
	           "@tp_bulk_load = NULL",
	           "");
	tp_db_exec(db, NULL,
	           "DROP TEMPORARY TABLE IF EXISTS gen_partner_map, "
	           "gen_account_map, gen_products",
	           "");
	if (rc == TP_OK)
		*tenant = x.tenant;
	return rc;
}
