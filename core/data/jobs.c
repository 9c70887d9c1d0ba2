/*
 * jobs.c -- the jobs modules declare: their schedules, the lease row that
 * lets one run at a time whatever the number of schedulers (a crashed
 * holder's lease runs out), and the checkpoint a killed run resumes from.
 * Times are the database's clock, the one every host shares.
 */
#include "config.h"
#include "data/data.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct tp_job_run {
	tp_req *ctx;
	const tp_module *mod;
	const tp_job *job;
	char token[33];
	const char *checkpoint;
	unsigned lease;
};

/* ------------------------------------------------------------------ */
/* schedules                                                            */

tp_rc tp_job_schedule_next(const char *s, int64_t after, int64_t *next)
{
	long long n;
	char unit, extra;
	int hh, mm;

	if (s == NULL)
		return TP_EINVAL;
	if (sscanf(s, "every %lld%c%c", &n, &unit, &extra) == 2 && n > 0 &&
	    n <= 1000000 && strchr("smh", unit) != NULL) {
		*next = after + n * (unit == 's' ? 1 : unit == 'm' ? 60 : 3600);
		return TP_OK;
	}
	if (strcmp(s, "hourly") == 0) {
		*next = (after / 3600 + 1) * 3600;
		return TP_OK;
	}
	if (sscanf(s, "daily %d:%d%c", &hh, &mm, &extra) == 2 && hh >= 0 &&
	    hh < 24 && mm >= 0 && mm < 60 && strlen(s) == 11) {
		int64_t t = after - after % 86400 + hh * 3600 + mm * 60;
		*next = t > after ? t : t + 86400;
		return TP_OK;
	}
	return TP_EINVAL;
}

const char *tp_job_check(const tp_job *j)
{
	int64_t next;
	size_t n = j->name ? strlen(j->name) : 0;
	if (n == 0 || n > 32 || !(j->name[0] >= 'a' && j->name[0] <= 'z') ||
	    strspn(j->name, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
		return "job name must be [a-z][a-z0-9_]{0,31}";
	if (j->run == NULL)
		return "job without a run function";
	if (j->schedule != NULL &&
	    tp_job_schedule_next(j->schedule, 0, &next) != TP_OK)
		return "job schedule must be \"every N[smh]\", \"hourly\" or "
		       "\"daily HH:MM\"";
	return NULL;
}

const tp_job *tp_job_find(const tp_modules *ms, const char *full,
                          const tp_module **mod)
{
	const char *dot = strchr(full, '.');
	if (dot == NULL)
		return NULL;
	for (size_t i = 0; i < ms->n; i++) {
		const tp_module *m = ms->mods[i].mod;
		if (strlen(m->name) != (size_t)(dot - full) ||
		    strncmp(m->name, full, (size_t)(dot - full)) != 0)
			continue;
		for (const tp_job *j = m->jobs; j != NULL && j->name != NULL;
		     j++)
			if (strcmp(j->name, dot + 1) == 0) {
				*mod = m;
				return j;
			}
	}
	return NULL;
}

static tp_rc db_now(tp_db *db, tp_arena *a, int64_t *now)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query_a(db, a, &rs, "SELECT UNIX_TIMESTAMP()", "");
	if (rc == TP_OK)
		*now = tp_rows_i64(rs, 0, 0);
	return rc;
}

tp_rc tp_jobs_sync(tp_db *db, const tp_modules *ms)
{
	tp_arena a;
	int64_t now = 0;
	tp_arena_init(&a);
	tp_rc rc = db_now(db, &a, &now);
	for (size_t i = 0; rc == TP_OK && i < ms->n; i++) {
		const tp_module *m = ms->mods[i].mod;
		for (const tp_job *j = m->jobs;
		     rc == TP_OK && j != NULL && j->name != NULL; j++) {
			int64_t next = now;
			/* seen for the first time: "every" is due now, a time
			 * of day at its next coming */
			if (j->schedule != NULL &&
			    strncmp(j->schedule, "every ", 6) != 0)
				tp_job_schedule_next(j->schedule, now, &next);
			/* a changed schedule starts afresh; left to right,
			 * so next_due is decided on the old schedule */
			rc = tp_db_exec_idem(
			    db, NULL,
			    "INSERT INTO jobs (module, name, schedule, "
			    "next_due) "
			    "VALUES (?, ?, ?, IF(? IS NULL, NULL, "
			    "FROM_UNIXTIME(?))) ON DUPLICATE KEY UPDATE "
			    "next_due = IF(schedule <=> VALUES(schedule), "
			    "next_due, VALUES(next_due)), schedule = "
			    "VALUES(schedule)",
			    "ssssI", m->name, j->name, j->schedule, j->schedule,
			    next);
		}
	}
	tp_arena_destroy(&a);
	return rc;
}

const char *tp_job_checkpoint(tp_job_run *run)
{
	return run->checkpoint;
}

tp_rc tp_job_save(tp_job_run *run, const char *checkpoint)
{
	uint64_t n = 0;
	/* in the job's open transaction, so the work and the checkpoint
	 * commit together; it renews the lease as well */
	tp_rc rc = tp_db_exec(
	    tp_req_db(run->ctx), &n,
	    "UPDATE jobs SET checkpoint = ?, saves = saves + 1, lease_until = "
	    "NOW() + INTERVAL ? SECOND WHERE module = ? AND name = ? AND "
	    "lease_token = ?",
	    "sisss", checkpoint, (int)run->lease, run->mod->name,
	    run->job->name, run->token);
	if (rc != TP_OK)
		return rc;
	if (n == 0) {
		tp_log(TP_LOG_ERR, "TP1611",
		       "job %s.%s: lease lost (it ran out and another run "
		       "took the job over); stop",
		       run->mod->name, run->job->name);
		return tp_fail(run->ctx, TP_ECONFLICT, NULL,
		               "the job's lease ran out");
	}
	run->checkpoint = tp_strdup(run->ctx, checkpoint);
	return TP_OK;
}

tp_rc tp_job_run_one(const tp_config *cfg, tp_db *db, const tp_module *m,
                     const tp_job *j, bool scheduled, const char *owner,
                     tp_job_result *res)
{
	tp_job_run run = {.mod = m, .job = j};
	tp_arena a;
	tp_rows *rs;
	uint64_t n = 0;
	char tok[44];

	memset(res, 0, sizeof(*res));
	run.lease = j->lease_seconds ? j->lease_seconds : 600;
	tp_token_new(tok);
	memcpy(run.token, tok, 32);
	run.token[32] = '\0';
	tp_arena_init(&a);
	/* the lease: one statement, so of two schedulers only one sees its
	 * row changed; a scheduled run also wants the job due */
	tp_rc rc = tp_db_exec(
	    db, &n,
	    "UPDATE jobs SET lease_owner = ?, lease_token = ?, lease_until = "
	    "NOW() + INTERVAL ? SECOND, last_start = NOW() WHERE module = ? "
	    "AND name = ? AND (lease_until IS NULL OR lease_until <= NOW()) "
	    "AND (? = 0 OR next_due <= NOW())",
	    "ssissi", owner, run.token, (int)run.lease, m->name, j->name,
	    scheduled ? 1 : 0);
	if (rc == TP_OK && n == 0) {
		rc = tp_db_query_a(db, &a, &rs,
		                   "SELECT lease_owner, lease_until > NOW(), "
		                   "lease_until FROM jobs WHERE module = ? AND "
		                   "name = ?",
		                   "ss", m->name, j->name);
		if (rc == TP_OK && tp_rows_count(rs) > 0 &&
		    tp_rows_i64(rs, 0, 1) == 1)
			snprintf(res->holder, sizeof(res->holder),
			         "%s until %s", tp_rows_get(rs, 0, 0),
			         tp_rows_get(rs, 0, 2));
		tp_arena_destroy(&a);
		return rc == TP_OK ? TP_DECLINED : rc;
	}
	if (rc == TP_OK)
		rc = tp_db_query_a(
		    db, &a, &rs,
		    "SELECT checkpoint, UNIX_TIMESTAMP(last_start) "
		    "FROM jobs WHERE module = ? AND name = ?",
		    "ss", m->name, j->name);
	if (rc != TP_OK) {
		tp_arena_destroy(&a);
		return rc;
	}
	int64_t started = tp_rows_i64(rs, 0, 1);
	run.ctx = tp_ctx_new(cfg, db);
	if (run.ctx == NULL) {
		tp_arena_destroy(&a);
		return TP_EINTERNAL;
	}
	run.checkpoint = tp_rows_get(rs, 0, 0)
	                     ? tp_strdup(run.ctx, tp_rows_get(rs, 0, 0))
	                     : NULL;
	tp_log(TP_LOG_INFO, "TP1612", "job %s.%s started%s%s", m->name, j->name,
	       run.checkpoint ? " from checkpoint " : "",
	       run.checkpoint ? run.checkpoint : "");
	res->ran = true;
	res->rc = j->run(run.ctx, &run);
	if (tp_db_in_txn(db)) {
		tp_log(TP_LOG_WARN, "TP1613",
		       "job %s.%s left a transaction open: rolled back",
		       m->name, j->name);
		tp_db_rollback(db);
	}
	if (res->rc != TP_OK)
		snprintf(res->error, sizeof(res->error), "%s",
		         tp_ctx_error(run.ctx, res->rc));
	tp_ctx_free(run.ctx);

	int64_t next = 0;
	bool renext =
	    scheduled && j->schedule != NULL &&
	    tp_job_schedule_next(j->schedule, started, &next) == TP_OK;
	/* a run that finished starts the next from nothing; one that failed
	 * keeps its checkpoint to resume from */
	rc = tp_db_exec_idem(
	    db, &n,
	    "UPDATE jobs SET lease_owner = NULL, lease_token = NULL, "
	    "lease_until = NULL, last_end = NOW(), last_status = ?, "
	    "last_error = ?, runs = runs + 1, checkpoint = IF(? = 0, NULL, "
	    "checkpoint), next_due = IF(? = 1, FROM_UNIXTIME(?), next_due) "
	    "WHERE module = ? AND name = ? AND lease_token = ?",
	    "ssiiIsss", res->rc == TP_OK ? "ok" : tp_rc_code(res->rc),
	    res->rc == TP_OK ? NULL : res->error, res->rc == TP_OK ? 0 : 1,
	    renext ? 1 : 0, next, m->name, j->name, run.token);
	if (rc == TP_OK && n == 0)
		tp_log(TP_LOG_WARN, "TP1614",
		       "job %s.%s: its lease ran out before it ended (raise "
		       "lease_seconds, or save checkpoints more often)",
		       m->name, j->name);
	if (res->rc == TP_OK)
		tp_log(TP_LOG_INFO, "TP1615", "job %s.%s done", m->name,
		       j->name);
	else
		tp_log(TP_LOG_ERR, "TP1616", "job %s.%s failed: %s", m->name,
		       j->name, res->error);
	tp_arena_destroy(&a);
	return rc;
}
