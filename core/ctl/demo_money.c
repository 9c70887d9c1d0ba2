/*
 * demo_money.c -- `tierportctl demo`'s money history, so a newcomer sees
 * money on first sign-in: the brand's billing rules, a tax rate and
 * revenue categories (core tables), then four months along a timeline on
 * a shifted clock (tp_clock_shift), each step one command of the invoices
 * module (runs of explicit cycles, collections, payments, a credit note):
 * the core never writes the module's tables. Acme Bakery and Globex pay
 * on time (Acme gets a credit note), Globex East pays two months late
 * and is suspended then restored, Initech stops paying and is past due;
 * today the partners get credit limits, North Agency funds it transfers
 * to Globex, Street Distribution records Acme's cash.
 */
#include "config.h"
#include "ctl/ctl.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* days since 1970-01-01 of the first day of month m (1..12, may run
 * over) of year y */
static int64_t month_start(int y, int m)
{
	while (m < 1) {
		m += 12;
		y--;
	}
	while (m > 12) {
		m -= 12;
		y++;
	}
	struct tm t = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = 1};
	return (int64_t)timegm(&t) / 86400;
}

enum step {
	RUN,
	PAY,
	CREDIT,
	COLLECT,
	AUTOPAY,
	CARD,
	PARTNERS,
	/* the commissions module's (skipped when it is not loaded) */
	CMS_PLANS,
	CMS_PAY
};

struct event {
	int64_t day;
	enum step step;
	const char *account; /* PAY, CREDIT */
	int64_t cycle;       /* RUN: the cycle's first day */
};

static int by_day(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	/* on one day: the run, then payments and credits, then collections */
	return (int)x->step - (int)y->step;
}

/* the brand's billing rules, a tax rate, revenue categories, and the
 * history rows the run prorates by (the demo's services have none); each
 * statement takes the brand's id (every ?) */
static const char *const setup_sql[] = {
    "INSERT INTO billing_settings (tenant_id, due_days, late_fee_fixed, "
    "late_fee_ppm, late_fee_grace_days, remind_before_days, "
    "remind_after_days, suspend_after_days) VALUES (?, 14, 50000, 10000, 3, "
    "3, 7, 60)",
    "INSERT INTO tax_rates (tenant_id, tax_class, name, rate_ppm) VALUES (?, "
    "'standard', 'VAT', 190000)",
    "INSERT INTO product_categories (tenant_id, code, name) SELECT id, "
    "'voice', 'Voice' FROM tenants WHERE id = ? UNION ALL SELECT id, "
    "'hosting', 'Hosting' FROM tenants WHERE id = ?",
    "UPDATE products p JOIN product_categories c ON c.tenant_id = "
    "p.tenant_id AND c.code = IF(p.product_type = 'hosting', 'hosting', "
    "'voice') SET p.category_id = c.id WHERE p.tenant_id = ?",
    "INSERT INTO service_history (tenant_id, service_id, status, "
    "periodic_charge, effective, reason) SELECT tenant_id, id, status, "
    "periodic_charge, start_date, 'created' FROM services WHERE tenant_id = "
    "?",
};

static tp_rc setup(tp_db *db, uint64_t tenant)
{
	tp_rc rc = TP_OK;
	for (size_t i = 0;
	     rc == TP_OK && i < sizeof(setup_sql) / sizeof(setup_sql[0]); i++) {
		/* the format has a letter per ?: the statements have one or
		 * two; an argument left over is never read */
		size_t n = 0;
		for (const char *c = setup_sql[i]; *c; c++)
			n += *c == '?';
		rc = tp_db_exec(db, NULL, setup_sql[i], n == 2 ? "II" : "I",
		                (int64_t)tenant, (int64_t)tenant);
	}
	return rc;
}

/* one module command, its chatter on stdout silenced */
static int command(tp_config *cfg, const char *slug, const struct event *e,
                   bool *found)
{
	char cycle[16];
	const char *argv[8] = {"invoices", NULL, "--brand", slug};
	int argc = 4;
	switch (e->step) {
	case RUN: {
		time_t s = (time_t)(e->cycle * 86400);
		struct tm t;
		gmtime_r(&s, &t);
		strftime(cycle, sizeof(cycle), "%Y-%m-%d", &t);
		argv[1] = "run";
		argv[argc++] = "--cycle";
		argv[argc++] = cycle;
		break;
	}
	case PAY:
		argv[1] = "demo";
		argv[argc++] = "pay";
		argv[argc++] = e->account;
		break;
	case CREDIT:
		argv[1] = "demo";
		argv[argc++] = "credit";
		argv[argc++] = e->account;
		argv[argc++] = "5.00";
		argv[argc++] = "Line outage (2 days)";
		break;
	case COLLECT: argv[1] = "collect"; break;
	case AUTOPAY:
	case CARD:
		argv[1] = "demo";
		argv[argc++] = e->step == AUTOPAY ? "autopay" : "card";
		argv[argc++] = e->account;
		break;
	/* partners' credit limits, an agent's refill and transfers, a
	 * distributor's cash payments (modules/invoices/cash.c) */
	case PARTNERS: argv[1] = "partner_demo"; break;
	/* the commissions module's plans (before the first run) and, today,
	 * its runs, approvals and a disbursement */
	case CMS_PLANS:
	case CMS_PAY:
		argv[0] = "commissions";
		argv[1] = "demo";
		argv[argc++] = e->step == CMS_PLANS ? "plans" : "pay";
		break;
	}
	/* 08:00 UTC of the event's day */
	tp_clock_shift(e->day * 86400 + 8 * 3600 - (int64_t)time(NULL));
	fflush(stdout);
	int out = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY);
	if (out >= 0 && null >= 0)
		dup2(null, STDOUT_FILENO);
	int rc = tp_ctl_module_command(cfg, argc, (char **)argv, found);
	fflush(stdout);
	if (out >= 0 && null >= 0)
		dup2(out, STDOUT_FILENO);
	if (out >= 0)
		close(out);
	if (null >= 0)
		close(null);
	tp_clock_shift(0);
	return rc;
}

int tp_ctl_demo_money(tp_config *cfg, tp_db *db, uint64_t tenant,
                      const char *slug)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	int64_t today = (int64_t)now / 86400;
	int y = tm.tm_year + 1900, m = tm.tm_mon + 1;
	struct event ev[64];
	size_t n = 0;
	bool found = true;

	if (setup(db, tenant) != TP_OK) {
		fprintf(stderr, "tierportctl: demo: billing setup: %s\n",
		        tp_db_error(db));
		return 1;
	}
	/* cycle k months back is billed on the first of the month after */
	int64_t issue[5];
	for (int k = 4; k >= 1; k--) {
		issue[k] = month_start(y, m - k + 1);
		ev[n++] =
		    (struct event){issue[k], RUN, NULL, month_start(y, m - k)};
		ev[n++] = (struct event){issue[k] + 9, PAY, "100001", 0};
		ev[n++] = (struct event){issue[k] + 9, PAY, "100002", 0};
		if (k >= 3)
			ev[n++] =
			    (struct event){issue[k] + 9, PAY, "100005", 0};
		if (k == 1)
			ev[n++] =
			    (struct event){issue[k] + 9, PAY, "100003", 0};
		/* reminders before the due date (14 days), after it, fees */
		ev[n++] = (struct event){issue[k] + 12, COLLECT, NULL, 0};
		ev[n++] = (struct event){issue[k] + 22, COLLECT, NULL, 0};
	}
	/* Globex East has not paid since four months back: 60 days past
	 * due it is suspended, two days later it pays all, and is restored */
	ev[n++] = (struct event){issue[2] + 16, COLLECT, NULL, 0};
	ev[n++] = (struct event){issue[2] + 18, PAY, "100003", 0};
	ev[n++] = (struct event){issue[2] + 19, COLLECT, NULL, 0};
	ev[n++] = (struct event){issue[2] + 3, CREDIT, "100001", 0};
	/* payments by card (the invoices module's test gateway): Globex
	 * Corp pays automatically from then on, Acme Bakery's first card
	 * is declined and another pays */
	ev[n++] = (struct event){issue[2] + 1, AUTOPAY, "100002", 0};
	ev[n++] = (struct event){issue[2] + 8, CARD, "100001", 0};
	ev[n++] = (struct event){today, COLLECT, NULL, 0};
	ev[n++] = (struct event){today, PARTNERS, NULL, 0};
	ev[n++] = (struct event){issue[4], CMS_PLANS, NULL, 0};
	ev[n++] = (struct event){today, CMS_PAY, NULL, 0};
	qsort(ev, n, sizeof(ev[0]), by_day);

	unsigned done = 0;
	bool cms = true;
	for (size_t i = 0; i < n && found; i++) {
		if (ev[i].day > today || (ev[i].step >= CMS_PLANS && !cms))
			continue;
		bool *f = ev[i].step >= CMS_PLANS ? &cms : &found;
		if (command(cfg, slug, &ev[i], f) != 0 && *f) {
			fprintf(stderr,
			        "tierportctl: demo: money history step %zu "
			        "failed\n",
			        i + 1);
			return 1;
		}
		done++;
	}
	if (!found)
		printf("money history: none (the invoices module is not "
		       "loaded)\n");
	else
		printf("money history: four months of invoices, payments, a "
		       "credit note, reminders and late fees, partners' "
		       "credit, transfers and cash payments%s (%u steps)\n",
		       cms ? ", commission plans, lines and a disbursement"
		           : "",
		       done);
	return 0;
}
