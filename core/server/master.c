/*
 * master.c -- the master process: opens the FastCGI socket, forks and
 * watches the workers, respawns the dead, reloads on SIGHUP (new workers
 * first, old ones drained after the new ones are ready), drains on
 * SIGTERM. It never touches a request and never loads a module.
 */
#include "config.h"
#include "server/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SLOTS 1024

typedef struct {
	pid_t pid;
	unsigned gen;
	int ready_fd;         /* read end; -1 once ready */
	long long started;    /* ms */
	long long respawn_at; /* ms; 0 = none pending (pid == 0 only) */
	bool stopping;        /* sent SIGTERM */
} slot;

static slot slots[MAX_SLOTS];
static unsigned cur_gen = 1;
static unsigned pending_gen; /* a reload waiting for its workers */
static tp_config *cfg;
static tp_config *pending_cfg;
static int listen_fd = -1;
static char *unix_path;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool is_unix(const char *listen)
{
	return listen[0] == '/' || listen[0] == '.' ||
	       strchr(listen, ':') == NULL;
}

int tp_listen_open(const tp_config *c)
{
	int fd;

	if (is_unix(c->listen)) {
		struct sockaddr_un sa = {.sun_family = AF_UNIX};
		if (strlen(c->listen) >= sizeof(sa.sun_path)) {
			tp_log(TP_LOG_ERR, "TP0030", "socket path too long: %s",
			       c->listen);
			return -1;
		}
		strcpy(sa.sun_path, c->listen);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -1;
		/* a socket file left by a crash is removed; a live one means
		 * another tierportd runs there */
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			tp_log(TP_LOG_ERR, "TP0031",
			       "%s: another server is listening there",
			       c->listen);
			close(fd);
			return -1;
		}
		close(fd);
		unlink(c->listen);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		mode_t old = umask(0177);
		int b = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
		umask(old);
		if (b != 0) {
			tp_log(TP_LOG_ERR, "TP0032", "bind %s: %s", c->listen,
			       strerror(errno));
			close(fd);
			return -1;
		}
		if (c->socket_group != NULL) {
			struct group *g = getgrnam(c->socket_group);
			if (g == NULL ||
			    chown(c->listen, (uid_t)-1, g->gr_gid) != 0)
				tp_log(TP_LOG_WARN, "TP0033",
				       "cannot give %s to group %s", c->listen,
				       c->socket_group);
		}
		chmod(c->listen, c->socket_mode);
	} else {
		char host[256];
		const char *colon = strrchr(c->listen, ':');
		size_t hl = (size_t)(colon - c->listen);
		if (hl >= sizeof(host))
			return -1;
		memcpy(host, c->listen, hl);
		host[hl] = '\0';
		struct addrinfo hints = {.ai_family = AF_UNSPEC,
		                         .ai_socktype = SOCK_STREAM,
		                         .ai_flags = AI_PASSIVE},
		                *ai;
		if (getaddrinfo(hl ? host : NULL, colon + 1, &hints, &ai) !=
		    0) {
			tp_log(TP_LOG_ERR, "TP0034", "bad listen address %s",
			       c->listen);
			return -1;
		}
		fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
			tp_log(TP_LOG_ERR, "TP0032", "bind %s: %s", c->listen,
			       strerror(errno));
			freeaddrinfo(ai);
			close(fd);
			return -1;
		}
		freeaddrinfo(ai);
	}
	if (listen(fd, c->backlog) != 0) {
		tp_log(TP_LOG_ERR, "TP0035", "listen: %s", strerror(errno));
		close(fd);
		return -1;
	}
	/* threads poll and then accept; a lost race must not block */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

static int spawn(slot *s, unsigned gen, tp_config *c, int sfd)
{
	int rp[2];
	if (pipe2(rp, O_CLOEXEC) != 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		tp_log(TP_LOG_ERR, "TP0036", "fork: %s", strerror(errno));
		close(rp[0]);
		close(rp[1]);
		return -1;
	}
	if (pid == 0) {
		sigset_t all;
		close(sfd);
		close(rp[0]);
		for (int i = 0; i < MAX_SLOTS; i++)
			if (slots[i].ready_fd >= 0 && slots[i].pid != 0)
				close(slots[i].ready_fd);
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		signal(SIGCHLD, SIG_DFL);
		/* exit, not _exit: a sanitizer build checks the worker for
		 * leaks at exit (the master flushed stdio before forking) */
		exit(tp_worker_run(c, listen_fd, rp[1]));
	}
	close(rp[1]);
	*s = (slot){
	    .pid = pid, .gen = gen, .ready_fd = rp[0], .started = now_ms()};
	return 0;
}

static slot *free_slot(void)
{
	for (int i = 0; i < MAX_SLOTS; i++)
		if (slots[i].pid == 0 && slots[i].respawn_at == 0)
			return &slots[i];
	return NULL;
}

static void signal_gen(unsigned gen, int sig)
{
	for (int i = 0; i < MAX_SLOTS; i++)
		if (slots[i].pid != 0 && slots[i].gen == gen) {
			kill(slots[i].pid, sig);
			slots[i].stopping = true;
		}
}

static int count_gen(unsigned gen, bool ready_only)
{
	int n = 0;
	for (int i = 0; i < MAX_SLOTS; i++)
		if (slots[i].pid != 0 && slots[i].gen == gen &&
		    (!ready_only || slots[i].ready_fd < 0))
			n++;
	return n;
}

static int count_alive(void)
{
	int n = 0;
	for (int i = 0; i < MAX_SLOTS; i++)
		if (slots[i].pid != 0)
			n++;
	return n;
}

static void abort_reload(const char *why)
{
	tp_log(TP_LOG_ERR, "TP0040",
	       "reload failed (%s): keeping the running workers", why);
	signal_gen(pending_gen, SIGTERM);
	tp_config_free(pending_cfg);
	pending_cfg = NULL;
	pending_gen = 0;
}

static void reap(int sfd, bool stopping)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		slot *s = NULL;
		for (int i = 0; i < MAX_SLOTS; i++)
			if (slots[i].pid == pid)
				s = &slots[i];
		if (s == NULL)
			continue;
		char why[128];
		if (WIFSIGNALED(status))
			snprintf(why, sizeof(why), "killed by signal %d (%s)",
			         WTERMSIG(status), strsignal(WTERMSIG(status)));
		else
			snprintf(why, sizeof(why), "exited with status %d",
			         WEXITSTATUS(status));
		bool expected = s->stopping && WIFEXITED(status) &&
		                WEXITSTATUS(status) == 0;
		tp_log(expected ? TP_LOG_INFO : TP_LOG_ERR, "TP0041",
		       "worker %ld (generation %u) %s", (long)pid, s->gen, why);
		if (s->ready_fd >= 0)
			close(s->ready_fd);
		unsigned gen = s->gen;
		bool was_stopping = s->stopping;
		bool respawn = !stopping && !was_stopping && gen == cur_gen;
		long long lived = now_ms() - s->started;
		*s = (slot){.ready_fd = -1};
		if (gen == pending_gen && !was_stopping) {
			abort_reload("a new worker died before it was ready");
			continue;
		}
		if (respawn) {
			/* a worker that dies at once is not respawned in a
			 * tight loop: wait a second */
			s->respawn_at =
			    lived < 1000 ? now_ms() + 1000 : now_ms();
			s->gen = gen;
		}
	}
	(void)sfd;
}

static void respawn_due(int sfd)
{
	long long now = now_ms();
	for (int i = 0; i < MAX_SLOTS; i++) {
		slot *s = &slots[i];
		if (s->pid == 0 && s->respawn_at != 0 && s->respawn_at <= now) {
			unsigned gen = s->gen;
			s->respawn_at = 0;
			if (gen != cur_gen)
				continue;
			if (spawn(s, gen, cfg, sfd) == 0)
				tp_log(TP_LOG_INFO, "TP0042",
				       "respawned worker %ld", (long)s->pid);
			else
				s->respawn_at = now + 1000;
		}
	}
}

static void start_reload(int sfd)
{
	char err[512];
	if (pending_gen != 0) {
		tp_log(TP_LOG_WARN, "TP0043",
		       "reload already in progress; SIGHUP ignored");
		return;
	}
	tp_config *nc = tp_config_load(cfg->path, err, sizeof(err));
	if (nc == NULL) {
		tp_log(TP_LOG_ERR, "TP0044", "reload refused, bad config: %s",
		       err);
		return;
	}
	/* the new workers load the key file themselves: it must load */
	if (tp_keystore_load(nc->key_file, err, sizeof(err)) != TP_OK) {
		tp_log(TP_LOG_ERR, "TP1703", "reload refused, key store: %s",
		       err);
		tp_config_free(nc);
		return;
	}
	tp_keystore_free(); /* the master seals nothing */
	if (strcmp(nc->listen, cfg->listen) != 0)
		tp_log(TP_LOG_WARN, "TP0045",
		       "listen changed to %s: takes effect on restart only",
		       nc->listen);
	tp_log_open(nc->log_file, nc->log_level);
	pending_cfg = nc;
	pending_gen = cur_gen + 1;
	for (int i = 0; i < nc->workers; i++) {
		slot *s = free_slot();
		if (s == NULL || spawn(s, pending_gen, nc, sfd) != 0) {
			abort_reload("cannot start new workers");
			return;
		}
	}
	tp_log(TP_LOG_INFO, "TP0046", "reload: started %d new workers",
	       nc->workers);
}

static void check_ready(void)
{
	for (int i = 0; i < MAX_SLOTS; i++) {
		slot *s = &slots[i];
		if (s->pid == 0 || s->ready_fd < 0)
			continue;
		char b;
		ssize_t n = read(s->ready_fd, &b, 1);
		if (n == 1) {
			close(s->ready_fd);
			s->ready_fd = -1;
		} else if (n == 0) {
			close(s->ready_fd); /* died or failed before ready */
			s->ready_fd = -1;
		}
	}
	if (pending_gen != 0 &&
	    count_gen(pending_gen, true) == pending_cfg->workers) {
		unsigned old = cur_gen;
		signal_gen(old, SIGTERM);
		/* old workers: the respawn logic ignores them from now on */
		tp_config_free(cfg);
		cfg = pending_cfg;
		cur_gen = pending_gen;
		pending_cfg = NULL;
		pending_gen = 0;
		tp_log(TP_LOG_INFO, "TP0047",
		       "reload: generation %u serving, generation %u draining",
		       cur_gen, old);
	}
}

static void write_pid(const char *path)
{
	if (path == NULL)
		return;
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		tp_log(TP_LOG_WARN, "TP0048", "cannot write pid file %s", path);
		return;
	}
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
}

int tp_master_run(const char *config_path, bool foreground)
{
	char err[512];
	sigset_t set;

	cfg = tp_config_load(config_path, err, sizeof(err));
	if (cfg == NULL) {
		fprintf(stderr, "tierportd: %s\n", err);
		return 1;
	}
	tp_log_open(cfg->log_file, cfg->log_level);
	/* checked here so a bad key file stops the start with its reason;
	 * each worker loads it again (a reload after `key rotate` brings the
	 * new key) */
	if (tp_keystore_load(cfg->key_file, err, sizeof(err)) != TP_OK) {
		fprintf(stderr, "tierportd: key store: %s\n", err);
		tp_log(TP_LOG_ERR, "TP1705", "key store: %s", err);
		return 1;
	}
	tp_keystore_free();
	listen_fd = tp_listen_open(cfg);
	if (listen_fd < 0) {
		fprintf(stderr, "tierportd: cannot listen on %s (see log)\n",
		        cfg->listen);
		return 1;
	}
	if (is_unix(cfg->listen))
		unix_path = strdup(cfg->listen);
	for (int i = 0; i < MAX_SLOTS; i++)
		slots[i].ready_fd = -1;
	(void)foreground;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	signal(SIGPIPE, SIG_IGN);
	write_pid(cfg->pid_file);
	tp_log(TP_LOG_INFO, "TP0049",
	       "tierportd %s master %ld listening on %s: %d workers x %d "
	       "threads",
	       PACKAGE_VERSION, (long)getpid(), cfg->listen, cfg->workers,
	       cfg->threads);

	for (int i = 0; i < cfg->workers; i++)
		spawn(&slots[i], cur_gen, cfg, sfd);

	bool stopping = false;
	long long stop_deadline = 0;
	for (;;) {
		struct pollfd p[1 + MAX_SLOTS];
		int np = 0;
		p[np++] = (struct pollfd){sfd, POLLIN, 0};
		for (int i = 0; i < MAX_SLOTS; i++)
			if (slots[i].pid != 0 && slots[i].ready_fd >= 0)
				p[np++] = (struct pollfd){slots[i].ready_fd,
				                          POLLIN, 0};
		poll(p, (nfds_t)np, 100);
		if (np > 1)
			check_ready();

		struct signalfd_siginfo si;
		while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
			switch (si.ssi_signo) {
			case SIGCHLD: reap(sfd, stopping); break;
			case SIGHUP:
				if (!stopping) {
					tp_log(TP_LOG_INFO, "TP0050",
					       "SIGHUP: reloading");
					tp_log_reopen();
					start_reload(sfd);
				}
				break;
			default:
				if (!stopping) {
					tp_log(TP_LOG_INFO, "TP0051",
					       "signal %d: draining and "
					       "stopping",
					       (int)si.ssi_signo);
					stopping = true;
					if (pending_gen != 0)
						signal_gen(pending_gen,
						           SIGTERM);
					signal_gen(cur_gen, SIGTERM);
					for (int i = 0; i < MAX_SLOTS; i++)
						slots[i].respawn_at = 0;
					stop_deadline =
					    now_ms() +
					    (long long)(cfg->drain_timeout +
					                2) *
					        1000;
				}
			}
		}
		reap(sfd, stopping); /* a SIGCHLD may coalesce */
		if (stopping) {
			if (count_alive() == 0)
				break;
			if (now_ms() > stop_deadline) {
				tp_log(
				    TP_LOG_ERR, "TP0052",
				    "workers did not drain in time: killing");
				for (int i = 0; i < MAX_SLOTS; i++)
					if (slots[i].pid != 0)
						kill(slots[i].pid, SIGKILL);
				stop_deadline = now_ms() + 5000;
			}
		} else {
			respawn_due(sfd);
		}
	}
	close(listen_fd);
	if (unix_path != NULL)
		unlink(unix_path);
	if (cfg->pid_file != NULL)
		unlink(cfg->pid_file);
	tp_log(TP_LOG_INFO, "TP0053", "tierportd stopped");
	free(unix_path);
	tp_config_free(cfg);
	close(sfd);
	return 0;
}
