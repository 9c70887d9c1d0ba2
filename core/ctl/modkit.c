/*
 * modkit.c -- the module kit's side of tierportctl: events (lag, parked,
 * delivery, retry), jobs (list, run now), the scheduler loop, and the
 * commands modules declare (`tierportctl MODULE COMMAND`). The work itself
 * is data/events.c's, data/jobs.c's and server/scheduler.c's.
 */
#include "config.h"
#include "ctl/ctl.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The loaded modules, their init hooks run (a job or handler may rely on
 * what init set up); descriptors only when init is false. */
struct kit {
	tp_modules ms;
	tp_core core;
};

static void kit_load(tp_config *cfg, struct kit *k, bool init)
{
	int refused = 0;
	memset(k, 0, sizeof(*k));
	tp_modules_load(&k->ms, cfg, NULL, &refused);
	if (refused > 0)
		fprintf(stderr,
		        "tierportctl: %d module(s) refused (see the log lines "
		        "above)\n",
		        refused);
	k->core = (tp_core){.cfg = cfg, .mods = &k->ms};
	if (init)
		tp_modules_init(&k->ms, &k->core, NULL);
}

static void kit_free(struct kit *k)
{
	tp_modules_fini(&k->ms);
}

static const char *dash(const char *s)
{
	return s != NULL ? s : "-";
}

static bool parse_u64(const char *s, uint64_t *out)
{
	int64_t v;
	if (s == NULL || tp_parse_i64(s, &v) != TP_OK || v <= 0)
		return false;
	*out = (uint64_t)v;
	return true;
}

/* ------------------------------------------------------------------ */
/* events                                                               */

static int events_show(tp_db *db)
{
	tp_arena a;
	tp_rows *cs, *rs;
	int rc = 1;

	tp_arena_init(&a);
	if (tp_db_query_a(db, &a, &cs,
	                  "SELECT module, last_event_id FROM event_cursors "
	                  "ORDER BY module",
	                  "") != TP_OK)
		goto out;
	printf("module\tcursor\tunseen\twaiting\tparked\toldest owed (s)\n");
	for (size_t i = 0; i < tp_rows_count(cs); i++) {
		const char *mod = tp_rows_get(cs, i, 0);
		int64_t cursor = tp_rows_i64(cs, i, 1);
		tp_rows *ws;
		/* unseen: above the cursor with no delivery row yet (events
		 * of other names too, until the cursor passes them) */
		if (tp_db_query_a(
		        db, &a, &rs,
		        "SELECT COUNT(*), TIMESTAMPDIFF(SECOND, "
		        "MIN(e.created_at), NOW()) FROM events e "
		        "WHERE e.id > ? AND NOT EXISTS (SELECT 1 FROM "
		        "event_deliveries d WHERE d.module = ? AND "
		        "d.event_id = e.id)",
		        "Is", cursor, mod) != TP_OK ||
		    tp_db_query_a(
		        db, &a, &ws,
		        "SELECT COALESCE(SUM(d.state = 'waiting'), 0), "
		        "COALESCE(SUM(d.state = 'parked'), 0), "
		        "TIMESTAMPDIFF(SECOND, MIN(IF(d.state = "
		        "'waiting', e.created_at, NULL)), NOW()) FROM "
		        "event_deliveries d JOIN events e ON e.id = "
		        "d.event_id WHERE d.module = ?",
		        "s", mod) != TP_OK)
			goto out;
		int64_t age = tp_rows_i64(rs, 0, 1),
		        wage = tp_rows_i64(ws, 0, 2);
		if (tp_rows_get(ws, 0, 2) != NULL &&
		    (tp_rows_get(rs, 0, 1) == NULL || wage > age))
			age = wage;
		bool any = tp_rows_get(rs, 0, 1) || tp_rows_get(ws, 0, 2);
		printf("%s\t%lld\t%lld\t%lld\t%lld\t", mod, (long long)cursor,
		       (long long)tp_rows_i64(rs, 0, 0),
		       (long long)tp_rows_i64(ws, 0, 0),
		       (long long)tp_rows_i64(ws, 0, 1));
		if (any)
			printf("%lld\n", (long long)age);
		else
			printf("-\n");
	}
	if (tp_db_query_a(db, &a, &rs,
	                  "SELECT d.event_id, d.module, e.name, "
	                  "COALESCE(t.slug, '-'), d.attempts, d.updated_at, "
	                  "d.last_error FROM event_deliveries d JOIN events e "
	                  "ON e.id = d.event_id LEFT JOIN tenants t ON t.id = "
	                  "e.tenant_id WHERE d.state = 'parked' ORDER BY "
	                  "d.event_id",
	                  "") != TP_OK)
		goto out;
	printf("\nparked: %zu (tierportctl events retry ID)\n",
	       tp_rows_count(rs));
	if (tp_rows_count(rs) > 0)
		printf("event\tmodule\tname\tbrand\tattempts\tsince\terror\n");
	for (size_t i = 0; i < tp_rows_count(rs); i++)
		printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", tp_rows_get(rs, i, 0),
		       tp_rows_get(rs, i, 1), tp_rows_get(rs, i, 2),
		       tp_rows_get(rs, i, 3), tp_rows_get(rs, i, 4),
		       tp_rows_get(rs, i, 5), dash(tp_rows_get(rs, i, 6)));
	rc = 0;
out:
	tp_arena_destroy(&a);
	return rc;
}

int tp_ctl_events(tp_config *cfg, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;
	int rc = 1;

	if (sub != NULL && strcmp(sub, "deliver") != 0 &&
	    strcmp(sub, "retry") != 0) {
		fprintf(stderr, "tierportctl: events [deliver | retry ID "
		                "[--module M]]\n");
		return 2;
	}
	uint64_t id = 0;
	const char *module = NULL;
	if (sub != NULL && strcmp(sub, "retry") == 0) {
		if (argc == 5 && strcmp(argv[3], "--module") == 0)
			module = argv[4];
		if (!parse_u64(argc > 2 ? argv[2] : NULL, &id) ||
		    (argc != 3 && module == NULL)) {
			fprintf(stderr, "tierportctl: events retry ID "
			                "[--module M]\n");
			return 2;
		}
	}
	tp_db *db = tp_ctl_db_open(cfg);
	if (db == NULL)
		return 1;
	if (sub == NULL) {
		rc = events_show(db);
	} else if (strcmp(sub, "retry") == 0) {
		uint64_t n = 0;
		if (tp_events_retry(db, id, module, &n) == TP_OK) {
			if (n > 0)
				printf("event %llu: un-parked for %llu "
				       "module(s); tried again at the next "
				       "delivery\n",
				       (unsigned long long)id,
				       (unsigned long long)n);
			else
				fprintf(stderr,
				        "tierportctl: event %llu is not "
				        "parked%s%s\n",
				        (unsigned long long)id,
				        module ? " for " : "",
				        module ? module : "");
			rc = n > 0 ? 0 : 1;
		}
	} else {
		struct kit k;
		tp_events_stat st;
		kit_load(cfg, &k, true);
		if (tp_modules_thread_init(&k.ms, db) == TP_OK &&
		    tp_events_deliver(cfg, db, &k.ms, &st) == TP_OK) {
			printf("events: %u delivered, %u failed, %u parked, "
			       "%u queued behind an earlier one\n",
			       st.delivered, st.failed, st.parked, st.queued);
			rc = 0;
		}
		tp_modules_thread_fini(&k.ms);
		kit_free(&k);
	}
	tp_db_free(db);
	return rc;
}

/* ------------------------------------------------------------------ */
/* jobs                                                                 */

int tp_ctl_jobs(tp_config *cfg)
{
	struct kit k;
	tp_arena a;
	tp_rows *rs;
	int rc = 1;
	tp_db *db = tp_ctl_db_open(cfg);

	if (db == NULL)
		return 1;
	kit_load(cfg, &k, false);
	tp_arena_init(&a);
	if (tp_jobs_sync(db, &k.ms) == TP_OK &&
	    tp_db_query_a(
	        db, &a, &rs,
	        "SELECT CONCAT(module, '.', name), schedule, next_due, "
	        "last_start, last_end, last_status, runs, IF(lease_until > "
	        "NOW(), CONCAT(lease_owner, ' until ', lease_until), NULL), "
	        "checkpoint, last_error FROM jobs ORDER BY module, name",
	        "") == TP_OK) {
		printf("job\tschedule\tnext due\tlast start\tlast end\tlast "
		       "status\truns\theld by\tcheckpoint\tlast error\n");
		for (size_t i = 0; i < tp_rows_count(rs); i++) {
			for (unsigned c = 0; c < 10; c++)
				printf("%s%c", dash(tp_rows_get(rs, i, c)),
				       c == 9 ? '\n' : '\t');
		}
		rc = 0;
	}
	tp_arena_destroy(&a);
	kit_free(&k);
	tp_db_free(db);
	return rc;
}

static void owner_name(char *buf, size_t len)
{
	char host[64] = "localhost";
	gethostname(host, sizeof(host) - 1);
	snprintf(buf, len, "%s:%ld", host, (long)getpid());
}

int tp_ctl_job(tp_config *cfg, int argc, char **argv)
{
	struct kit k;
	const tp_module *m;
	tp_job_result res;
	char owner[128];
	int rc = 1;

	if (argc != 3 || strcmp(argv[1], "run") != 0) {
		fprintf(stderr, "tierportctl: job run MODULE.NAME\n");
		return 2;
	}
	tp_db *db = tp_ctl_db_open(cfg);
	if (db == NULL)
		return 1;
	kit_load(cfg, &k, true);
	const tp_job *j = tp_job_find(&k.ms, argv[2], &m);
	if (j == NULL) {
		fprintf(stderr,
		        "tierportctl: no job %s (tierportctl jobs lists "
		        "them)\n",
		        argv[2]);
		rc = 2;
		goto out;
	}
	owner_name(owner, sizeof(owner));
	if (tp_modules_thread_init(&k.ms, db) != TP_OK ||
	    tp_jobs_sync(db, &k.ms) != TP_OK)
		goto out;
	tp_rc r = tp_job_run_one(cfg, db, m, j, false, owner, &res);
	if (r == TP_DECLINED) {
		fprintf(stderr, "tierportctl: job %s is running (held by %s)\n",
		        argv[2], res.holder[0] ? res.holder : "another run");
		rc = 3;
	} else if (r == TP_OK && res.rc == TP_OK) {
		printf("job %s: done\n", argv[2]);
		rc = 0;
	} else if (r == TP_OK) {
		fprintf(stderr, "tierportctl: job %s failed: %s\n", argv[2],
		        res.error);
	}
out:
	tp_modules_thread_fini(&k.ms);
	kit_free(&k);
	tp_db_free(db);
	return rc;
}

int tp_ctl_scheduler(tp_config *cfg, int argc, char **argv)
{
	struct kit k;
	bool once = argc == 2 && strcmp(argv[1], "--once") == 0;

	if (argc > 2 || (argc == 2 && !once)) {
		fprintf(stderr, "tierportctl: scheduler [--once]\n");
		return 2;
	}
	kit_load(cfg, &k, true);
	int rc = tp_scheduler_run(cfg, &k.ms, once);
	kit_free(&k);
	return rc;
}

/* ------------------------------------------------------------------ */
/* module commands                                                      */

void tp_ctl_help_modules(tp_config *cfg, FILE *f)
{
	struct kit k;
	bool any = false;

	kit_load(cfg, &k, false);
	for (size_t i = 0; i < k.ms.n; i++) {
		const tp_module *m = k.ms.mods[i].mod;
		for (const tp_command *c = m->commands;
		     c != NULL && c->name != NULL; c++) {
			if (!any)
				fprintf(f,
				        "module commands (tierportctl MODULE "
				        "COMMAND; --brand SLUG sets the "
				        "brand):\n");
			any = true;
			fprintf(f, "  %s %s%s%s\n", m->name, c->name,
			        c->usage ? " " : "", c->usage ? c->usage : "");
			if (c->help != NULL)
				fprintf(f, "                       %s\n",
				        c->help);
		}
	}
	if (!any)
		fprintf(f, "module commands: none (no loaded module declares "
		           "one)\n");
	kit_free(&k);
}

int tp_ctl_module_command(tp_config *cfg, int argc, char **argv, bool *found)
{
	struct kit k;
	const tp_module *m = NULL;
	const tp_command *c = NULL;
	const char *brand = NULL;
	int rc = 1;

	*found = false;
	kit_load(cfg, &k, false);
	for (size_t i = 0; m == NULL && i < k.ms.n; i++)
		if (strcmp(k.ms.mods[i].mod->name, argv[0]) == 0)
			m = k.ms.mods[i].mod;
	if (m == NULL || m->commands == NULL) {
		kit_free(&k);
		return 2;
	}
	*found = true;
	for (const tp_command *x = m->commands;
	     argc > 1 && x->name != NULL && c == NULL; x++)
		if (strcmp(x->name, argv[1]) == 0)
			c = x;
	if (c == NULL) {
		fprintf(stderr, "tierportctl: %s commands:\n", m->name);
		for (const tp_command *x = m->commands; x->name != NULL; x++)
			fprintf(stderr, "  %s %s %s\n      %s\n", m->name,
			        x->name, x->usage ? x->usage : "",
			        x->help ? x->help : "");
		kit_free(&k);
		return 2;
	}
	kit_free(&k);

	/* the command's own argv: its name, then its arguments without the
	 * core's --brand SLUG */
	char **av = calloc((size_t)argc, sizeof(*av));
	int ac = 0;
	av[ac++] = argv[1];
	for (int i = 2; i < argc; i++) {
		if (brand == NULL && strcmp(argv[i], "--brand") == 0 &&
		    i + 1 < argc) {
			brand = argv[++i];
		} else if (brand == NULL &&
		           strncmp(argv[i], "--brand=", 8) == 0) {
			brand = argv[i] + 8;
		} else {
			av[ac++] = argv[i];
		}
	}
	av[ac] = NULL;

	tp_db *db = tp_ctl_db_open(cfg);
	tp_req *ctx = NULL;
	if (db == NULL) {
		free(av);
		return 1;
	}
	kit_load(cfg, &k, true);
	/* the same descriptor, found again after init (init may refuse) */
	m = NULL;
	for (size_t i = 0; m == NULL && i < k.ms.n; i++)
		if (strcmp(k.ms.mods[i].mod->name, argv[0]) == 0)
			m = k.ms.mods[i].mod;
	if (m == NULL || tp_modules_thread_init(&k.ms, db) != TP_OK ||
	    (ctx = tp_ctx_new(cfg, db)) == NULL)
		goto out;
	for (c = m->commands; strcmp(c->name, av[0]) != 0; c++)
		;
	if (brand != NULL) {
		tp_rc b = tp_ctx_brand_slug(ctx, brand);
		if (b != TP_OK) {
			fprintf(stderr, "tierportctl: %s\n",
			        b == TP_ENOENT ? "no such brand"
			                       : tp_db_error(db));
			goto out;
		}
	}
	rc = c->run(ctx, ac, av);
	if (tp_db_in_txn(db)) {
		tp_log(TP_LOG_WARN, "TP1626",
		       "command %s %s left a transaction open: rolled back",
		       m->name, c->name);
		tp_db_rollback(db);
	}
	rc = rc < 0 || rc > 255 ? 1 : rc;
out:
	tp_ctx_free(ctx);
	tp_modules_thread_fini(&k.ms);
	kit_free(&k);
	tp_db_free(db);
	free(av);
	return rc;
}
