/*
 * tierportctl.c -- the command-line side of tierport: migrations and
 * configuration checks now; tenants, users, demo data and batch runs join
 * as their issues land. Uses the same core code as the daemon.
 */
#include "config.h"
#include "core.h"

#include <getopt.h>
#include <mysql.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: tierportctl [-c CONFIG] COMMAND\n"
	        "commands:\n"
	        "  migrate [--dry-run]  apply core and module migrations\n"
	        "  check-config         validate the config, modules and DB\n"
	        "  version              print versions\n");
}

static int cmd_migrate(tp_config *cfg, int argc, char **argv)
{
	bool dry = argc > 1 && strcmp(argv[1], "--dry-run") == 0;
	tp_db *db = tp_db_new(cfg);
	if (tp_db_connect(db) != TP_OK) {
		fprintf(stderr, "tierportctl: %s\n", tp_db_error(db));
		tp_db_free(db);
		return 1;
	}
	tp_rc rc = tp_migrate(cfg, db, dry, stdout);
	tp_db_free(db);
	return rc == TP_OK ? 0 : 1;
}

static int cmd_check(tp_config *cfg)
{
	tp_modules ms = {0};
	tp_router rt;
	int refused = 0, bad = 0;

	printf("config %s: ok\n", cfg->path);
	tp_router_init(&rt);
	tp_core_routes_add(&rt);
	tp_modules_load(&ms, cfg, &rt, &refused);
	printf("modules: %zu loaded, %d refused%s\n", ms.n, refused,
	       refused ? " (see the log lines above)" : "");
	bad += refused > 0;
	for (size_t i = 0; i < ms.n; i++)
		ms.mods[i].inited = false;
	tp_modules_fini(&ms);
	tp_router_free(&rt);

	tp_db *db = tp_db_new(cfg);
	if (tp_db_connect(db) == TP_OK) {
		printf("database: ok\n");
	} else {
		printf("database: %s\n", tp_db_error(db));
		bad++;
	}
	tp_db_free(db);
	tp_cache *c = tp_cache_new(cfg);
	int cs = tp_cache_state(c);
	printf("cache: %s\n", cs > 0 ? "up" : cs == 0 ? "down" : "off");
	tp_cache_free(c);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *config = getenv("TIERPORT_CONFIG");
	char err[512];
	int c;

	if (config == NULL)
		config = TP_SYSCONFDIR "/tierport.ini";
	while ((c = getopt(argc, argv, "+c:h")) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[0], "version") == 0) {
		printf("tierportctl %s (module ABI %d.%d)\n", PACKAGE_VERSION,
		       TP_ABI_MAJOR, TP_ABI_MINOR);
		return 0;
	}
	tp_config *cfg = tp_config_load(config, err, sizeof(err));
	if (cfg == NULL) {
		fprintf(stderr, "tierportctl: %s\n", err);
		return 1;
	}
	/* log lines (module refusals) go to stderr for a command */
	tp_log_open(NULL, cfg->log_level);
	mysql_library_init(0, NULL, NULL);
	int rc;
	if (strcmp(argv[0], "migrate") == 0) {
		rc = cmd_migrate(cfg, argc, argv);
	} else if (strcmp(argv[0], "check-config") == 0) {
		rc = cmd_check(cfg);
	} else {
		fprintf(stderr, "tierportctl: unknown command %s\n", argv[0]);
		usage(stderr);
		rc = 2;
	}
	tp_config_free(cfg);
	mysql_library_end();
	return rc;
}
