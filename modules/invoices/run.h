/*
 * run.h -- what the billing run's two paths share (run.c: one account at
 * a time, the reference; runbatch.c: a batch of accounts in a few
 * statements per kind of row). Both compute an invoice's lines with the
 * same functions from the same columns, so they cannot round apart.
 */
#ifndef INV_RUN_H
#define INV_RUN_H

#include "invoices.h"

/* accounts per transaction of the set-based run (run.c's per-account
 * reference takes 100) */
#define INV_BATCH 500

struct line {
	const char *kind, *desc, *category, *tax_class;
	uint64_t service, product, location, pending;
	int64_t from, to; /* days, -1: none */
	int64_t qty, unit, amount, tax;
};

struct rate {
	char tax_class[33], name[65];
	int64_t ppm;
	int64_t base, sum; /* this invoice's */
};

struct bill {
	tp_req *r;
	const char *ccy;
	struct line *v;
	size_t n, cap;
	struct rate *rates;
	size_t nrates;
};

/* The reads, each followed by its WHERE: one account's rows, or a batch's
 * ordered by account first. The last column is the account. */
#define INV_SERVICES_SQL                                                       \
	"SELECT s.id, s.product_id, IFNULL(s.location_id, 0), p.name, "        \
	"IFNULL(pc.code, 'other'), p.tax_class, s.bill_cycle, "                \
	"s.phone_number, IFNULL(TO_DAYS(s.end_date) - 719528, -1), "           \
	"IFNULL(h.status, s.status), IFNULL(h.periodic_charge, "               \
	"s.periodic_charge), TO_DAYS(IFNULL(h.effective, s.start_date)) - "    \
	"719528, s.one_time_charge, TO_DAYS(s.start_date) - 719528, "          \
	"IFNULL(TO_DAYS(s.term_end) - 719528, -1), p.early_termination_fee, "  \
	"s.account_id FROM services s JOIN products p ON p.id = "              \
	"s.product_id LEFT JOIN product_categories pc ON pc.id = "             \
	"p.category_id LEFT JOIN service_history h ON h.service_id = s.id "
#define INV_SERVICES_ACCOUNT 16
#define INV_PENDING_SQL                                                        \
	"SELECT c.id, c.kind, c.description, IFNULL(c.service_id, 0), "        \
	"IFNULL(c.product_id, 0), c.amount, IFNULL(pc.code, 'other'), "        \
	"IFNULL(p.tax_class, 'standard'), TO_DAYS(c.effective) - 719528, "     \
	"c.account_id FROM pending_charges c LEFT JOIN products p ON p.id = "  \
	"c.product_id LEFT JOIN product_categories pc ON pc.id = "             \
	"p.category_id "
#define INV_PENDING_ACCOUNT 9
#define INV_USAGE_SQL                                                          \
	"SELECT IFNULL(u.service_id, 0), IFNULL(u.product_id, 0), u.kind, "    \
	"COUNT(*), SUM(u.amount), MAX(u.id), IFNULL(pc.code, 'voice'), "       \
	"IFNULL(p.tax_class, 'standard'), IFNULL(s.phone_number, ''), "        \
	"u.account_id FROM rated_usage u LEFT JOIN services s ON s.id = "      \
	"u.service_id LEFT JOIN products p ON p.id = u.product_id LEFT "       \
	"JOIN product_categories pc ON pc.id = p.category_id "
#define INV_USAGE_ACCOUNT 9

/* The writes, as one row (run.c) or many (runbatch.c): the head, then a
 * row's parameters. An invoice's buyer tax id is bound as a flag (1:
 * NULL) and the text. */
#define INV_INVOICES_INSERT                                                    \
	"INSERT INTO invoices (tenant_id, partner_id, account_id, kind, "      \
	"status, series, seq, number, run_id, run_key, currency, "             \
	"period_start, period_end, issue_date, due_date, method, language, "   \
	"balance_forward, recurring_total, one_time_total, usage_total, "      \
	"late_fee_total, subtotal, tax_total, total, buyer_name, "             \
	"buyer_number, buyer_address, buyer_tax_id, seller_name, "             \
	"seller_address, seller_tax_id) VALUES "
#define INV_INVOICES_ROW                                                       \
	"(?, ?, ?, 'invoice', 'issued', 'INV', ?, ?, NULLIF(?, 0), ?, ?, "     \
	"FROM_DAYS(? + 719528), FROM_DAYS(? + 719528), FROM_DAYS(? + "         \
	"719528), FROM_DAYS(? + 719528), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "    \
	"?, ?, IF(?, NULL, ?), ?, ?, ?)"
#define INV_LINES_INSERT                                                       \
	"INSERT INTO invoice_lines (tenant_id, invoice_id, line_no, kind, "    \
	"description, service_id, product_id, location_id, category, "         \
	"tax_class, period_start, period_end, quantity, unit_amount, "         \
	"amount, tax_amount) VALUES "
#define INV_LINES_ROW                                                          \
	"(?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0), ?, ?, "     \
	"IF(? < 0, NULL, FROM_DAYS(? + 719528)), IF(? < 0, NULL, "             \
	"FROM_DAYS(? + 719528)), ?, ?, ?, ?)"
#define INV_TAX_LINES_INSERT                                                   \
	"INSERT INTO invoice_lines (tenant_id, invoice_id, line_no, kind, "    \
	"description, tax_class, amount, rate_ppm, base) VALUES "
#define INV_TAX_LINES_ROW "(?, ?, ?, 'tax', ?, ?, ?, ?, ?)"

/* the brand's active tax rates into b */
tp_rc inv_load_rates(tp_req *r, struct bill *b);
/* one account's lines from rows [i0, n) of the reads above, appended to
 * b (b->r, b->ccy set) */
tp_rc inv_service_lines(struct bill *b, const tp_rows *rs, size_t i0, size_t n,
                        int64_t ps, int64_t pe);
void inv_pending_lines(struct bill *b, const tp_rows *rs, size_t i0, size_t n);
void inv_usage_lines(struct bill *b, const tp_rows *rs, size_t i0, size_t n,
                     int64_t *max_id);
/* each line's tax by its class's rates, and the rates' sums */
tp_rc inv_taxes(struct bill *b);
int64_t inv_sum_kind(const struct bill *b, const char *kind);
/* the invoice's ledger lines (*n < 2: nothing to post) */
tp_ledger_line *inv_ledger_lines(const struct bill *b, uint64_t account,
                                 uint64_t partner, int64_t total, size_t *n);
const char *inv_method(const char *delivery);
json_object *inv_issued_event(tp_req *r, uint64_t invoice, const char *number,
                              int64_t total, int64_t tax, const char *ccy,
                              int64_t ps, int64_t pe, int64_t due,
                              uint64_t txn);
/* count consecutive numbers of the series, the first in *first (gapless:
 * the counter's row stays locked to the commit) */
tp_rc inv_take_numbers(tp_req *r, const char *series, unsigned count,
                       uint64_t *first);

/* inv_bill_cycle, or with one_by_one the per-account reference */
tp_rc inv_bill_cycle_by(tp_req *ctx, tp_job_run *run, int64_t ps,
                        bool one_by_one, uint64_t *after, unsigned *invoices,
                        unsigned *lines);

/* runbatch.c: the n accounts ids (ascending) of ctx's brand billed for
 * [ps, pe] in ctx's open transaction as bill_one would bill each in
 * turn: the same invoices, numbers, lines, ledger and events */
tp_rc inv_bill_batch(tp_req *ctx, struct bill *b, const uint64_t *ids, size_t n,
                     int64_t ps, int64_t pe, uint64_t run_id,
                     unsigned *invoices, unsigned *lines);

#endif
