/*
 * tierportd.c -- the FastCGI daemon's entry point: options, then the
 * master (master.c) which forks the workers (worker.c).
 */
#include "config.h"
#include "server/server.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: tierportd [-c CONFIG] [-t] [-v]\n"
	        "  -c CONFIG  configuration file (default %s/tierport.ini,\n"
	        "             or $TIERPORT_CONFIG)\n"
	        "  -t         check the configuration and exit\n"
	        "  -v         print the version and exit\n"
	        "Runs in the foreground; SIGHUP reloads, SIGTERM drains "
	        "and stops.\n",
	        TP_SYSCONFDIR);
}

int main(int argc, char **argv)
{
	const char *config = getenv("TIERPORT_CONFIG");
	bool test = false;
	int c;

	if (config == NULL)
		config = TP_SYSCONFDIR "/tierport.ini";
	while ((c = getopt(argc, argv, "c:tvh")) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 't': test = true; break;
		case 'v':
			printf("tierportd %s (module ABI %d.%d)\n",
			       PACKAGE_VERSION, TP_ABI_MAJOR, TP_ABI_MINOR);
			return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (test) {
		char err[512];
		tp_config *cfg = tp_config_load(config, err, sizeof(err));
		if (cfg == NULL) {
			fprintf(stderr, "tierportd: %s\n", err);
			return 1;
		}
		/* the daemon does not start without its key store */
		tp_rc krc = tp_keystore_load(cfg->key_file, err, sizeof(err));
		tp_keystore_free();
		tp_config_free(cfg);
		if (krc != TP_OK) {
			fprintf(stderr, "tierportd: key store: %s\n", err);
			return 1;
		}
		printf("%s: ok\n", config);
		return 0;
	}
	return tp_master_run(config, true);
}
