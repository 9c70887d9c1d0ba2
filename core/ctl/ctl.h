/*
 * ctl/ctl.h -- tierportctl beside the server: benchmark data (gen.c), the
 * module kit's commands (modkit.c).
 */
#ifndef TP_CTL_H
#define TP_CTL_H

#include "server/server.h"

/* ------------------------------------------------------------------ */
/* gen.c (in tierportctl only): benchmark data                          */

#define TP_GEN_MAX_PARTNERS 1000000u
#define TP_GEN_MAX_ACCOUNTS 10000000u
#define TP_GEN_MAX_SERVICES 50000000u
#define TP_GEN_OPERATOR     "gen.operator"
#define TP_GEN_PARTNER      "gen.partner"

typedef struct tp_gen_spec {
	const char *slug, *name, *plan; /* the brand, made when missing */
	const char *const *hosts;       /* for a new brand; NULL-terminated */
	const char *const *modules;     /* its plan's */
	unsigned partners, accounts, services;
	uint64_t seed;
	const char *password; /* of gen.operator and gen.partner */
	FILE *progress;       /* a line per step with the time, or NULL */
} tp_gen_spec;

/* Fills a new or empty brand with a partner tree of 4-6 levels, accounts
 * (some corporate with sub-accounts), a product catalog, a Bill To
 * location per account, services, and two logins; in one transaction, by
 * INSERT ... SELECT over the SEQUENCE engine. The same spec gives the
 * same data (ids aside). A brand holding data: TP_ECONFLICT. */
tp_rc tp_gen_run(tp_db *db, const tp_gen_spec *g, uint64_t *tenant, char *err,
                 size_t errlen);

/* ------------------------------------------------------------------ */
/* tierportctl.c                                                        */

/* A connected handle, or NULL with the reason on stderr. */
tp_db *tp_ctl_db_open(tp_config *cfg);

/* ------------------------------------------------------------------ */
/* modkit.c: events, jobs, the scheduler, module commands; each returns
 * the exit status                                                      */

int tp_ctl_events(tp_config *cfg, int argc, char **argv);
int tp_ctl_jobs(tp_config *cfg);
int tp_ctl_job(tp_config *cfg, int argc, char **argv);
int tp_ctl_scheduler(tp_config *cfg, int argc, char **argv);
/* `tierportctl MODULE COMMAND args`: *found is false when argv[0] is no
 * loaded module with commands. */
int tp_ctl_module_command(tp_config *cfg, int argc, char **argv, bool *found);
void tp_ctl_help_modules(tp_config *cfg, FILE *f);

/* demo_money.c: the demo brand's months of money history, through the
 * invoices module's commands on a shifted clock; the exit status */
int tp_ctl_demo_money(tp_config *cfg, tp_db *db, uint64_t tenant,
                      const char *slug);

#endif /* TP_CTL_H */
