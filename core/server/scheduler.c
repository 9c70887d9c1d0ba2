/*
 * scheduler.c -- `tierportctl scheduler`: every [scheduler] interval_ms,
 * one event delivery pass and a child process for each due job (so a long
 * job never holds up delivery). Safe to run on every host: the job's lease
 * row and the event deliverer's named lock decide who does what.
 */
#include "config.h"
#include "server/server.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_sig;

static void on_stop(int sig)
{
	stop_sig = sig;
}

struct child {
	pid_t pid;
	const tp_module *m;
	const tp_job *j;
};

/* A job in a child of its own: its own connection (never the parent's,
 * whose socket it shares), ended by _exit so the parent's state is not
 * torn down twice. */
static pid_t spawn(const tp_config *cfg, tp_modules *ms, const tp_module *m,
                   const tp_job *j, const char *owner)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	tp_db *db = tp_db_new(cfg);
	tp_job_result res;
	int status = 1;
	if (tp_modules_thread_init(ms, db) == TP_OK &&
	    tp_job_run_one(cfg, db, m, j, true, owner, &res) != TP_EDB)
		status = res.ran && res.rc != TP_OK ? 1 : 0;
	tp_modules_thread_fini(ms);
	tp_db_free(db);
	_exit(status);
}

static void reap(struct child *kids, size_t *n, bool block)
{
	for (size_t i = 0; i < *n;) {
		int st;
		pid_t p = waitpid(kids[i].pid, &st, block ? 0 : WNOHANG);
		if (p < 0 && errno == EINTR && block)
			continue;
		if (p == 0 || (p < 0 && errno == EINTR)) {
			i++;
			continue;
		}
		if (p > 0 && WIFSIGNALED(st))
			tp_log(TP_LOG_ERR, "TP1621",
			       "job %s.%s (pid %d) killed by signal %d",
			       kids[i].m->name, kids[i].j->name, (int)p,
			       WTERMSIG(st));
		kids[i] = kids[--*n];
	}
}

static bool running(const struct child *kids, size_t n, const tp_job *j)
{
	for (size_t i = 0; i < n; i++)
		if (kids[i].j == j)
			return true;
	return false;
}

int tp_scheduler_run(const tp_config *cfg, tp_modules *ms, bool once)
{
	struct sigaction sa = {.sa_handler = on_stop};
	char owner[128], host[64] = "localhost";
	struct child *kids = NULL;
	size_t nk = 0, cap = 0;
	bool synced = false;
	tp_arena a;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	gethostname(host, sizeof(host) - 1);
	snprintf(owner, sizeof(owner), "%s:%ld", host, (long)getpid());
	tp_db *db = tp_db_new(cfg);
	if (tp_modules_thread_init(ms, db) != TP_OK) {
		tp_db_free(db);
		return 1;
	}
	tp_log(TP_LOG_INFO, "TP1622",
	       "scheduler %s started: a pass every %u ms", owner,
	       cfg->scheduler_interval_ms);
	tp_arena_init(&a);
	bool ready = false, told = false;
	while (!stop_sig) {
		tp_rows *rs;
		reap(kids, &nk, false);
		/* started before `tierportctl migrate` (tools/stack does):
		 * one line, not an error a second, until the tables exist */
		if (!ready &&
		    tp_db_query_a(
		        db, &a, &rs,
		        "SELECT COUNT(*) FROM information_schema.tables "
		        "WHERE table_schema = DATABASE() AND table_name "
		        "IN ('jobs', 'event_deliveries')",
		        "") == TP_OK)
			ready = tp_rows_i64(rs, 0, 0) == 2;
		if (!ready && !told) {
			tp_log(TP_LOG_WARN, "TP1627",
			       "scheduler: no jobs or event_deliveries table "
			       "yet (tierportctl migrate); waiting");
			told = true;
		}
		if (!ready)
			goto next;
		if (!synced)
			synced = tp_jobs_sync(db, ms) == TP_OK;
		/* due and free: the child's own lease decides, this only
		 * saves forking for jobs another host is running */
		if (synced &&
		    tp_db_query_a(
		        db, &a, &rs,
		        "SELECT module, name FROM jobs WHERE next_due "
		        "<= NOW() AND (lease_until IS NULL OR "
		        "lease_until <= NOW())",
		        "") == TP_OK) {
			for (size_t i = 0; i < tp_rows_count(rs); i++) {
				char full[80];
				const tp_module *m;
				snprintf(full, sizeof(full), "%s.%s",
				         tp_rows_get(rs, i, 0),
				         tp_rows_get(rs, i, 1));
				const tp_job *j = tp_job_find(ms, full, &m);
				if (j == NULL || running(kids, nk, j))
					continue;
				if (nk == cap) {
					cap = cap ? cap * 2 : 8;
					kids =
					    realloc(kids, cap * sizeof(*kids));
				}
				pid_t pid = spawn(cfg, ms, m, j, owner);
				if (pid > 0)
					kids[nk++] = (struct child){pid, m, j};
				else
					tp_log(TP_LOG_ERR, "TP1623",
					       "job %s: fork: %m", full);
			}
		}
		tp_events_stat st;
		tp_events_deliver(cfg, db, ms, &st);
		if (st.delivered + st.failed + st.parked > 0)
			tp_log(TP_LOG_INFO, "TP1624",
			       "events: %u delivered, %u failed, %u parked",
			       st.delivered, st.failed, st.parked);
	next:
		tp_arena_reset(&a);
		if (once)
			break;
		struct timespec ts = {cfg->scheduler_interval_ms / 1000,
		                      (cfg->scheduler_interval_ms % 1000) *
		                          1000000L};
		nanosleep(&ts, NULL); /* a signal cuts it short */
	}
	/* a job stopped now resumes from its checkpoint on the next run */
	for (size_t i = 0; !once && i < nk; i++)
		kill(kids[i].pid, SIGTERM);
	reap(kids, &nk, true);
	free(kids);
	tp_arena_destroy(&a);
	tp_modules_thread_fini(ms);
	tp_db_free(db);
	tp_log(TP_LOG_INFO, "TP1625", "scheduler %s stopped", owner);
	return 0;
}
