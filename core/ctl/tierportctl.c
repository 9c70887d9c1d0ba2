/*
 * tierportctl.c -- the command-line side of tierport: migrations, config
 * checks, brands and users, demo and benchmark data, the mail outbox,
 * the route list; batch runs join as their issues land. Uses the same core code
 * as the daemon, and never takes a password on the command line.
 */
#include "config.h"
#include "ctl/ctl.h"

#include <getopt.h>
#include <mysql.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: tierportctl [-c CONFIG] COMMAND\n"
	        "commands:\n"
	        "  migrate [--dry-run]  apply core and module migrations\n"
	        "  check-config         validate the config, modules and DB\n"
	        "  brand add --slug S --name N [--plan P] --host H [--host H2 "
	        "...]\n"
	        "            [--module M ...] [--platform] [--base-url URL]\n"
	        "                       create a brand with its default tiers "
	        "and groups\n"
	        "                       (--platform: its operators manage "
	        "brands and plans;\n"
	        "                       --base-url: the address in its mails' "
	        "links,\n"
	        "                       default [http] default_scheme and the "
	        "first --host)\n"
	        "  user totp --brand SLUG --login L [--kind K] [--off]\n"
	        "  token add --brand SLUG --login L [--kind K] --name N\n"
	        "  token revoke --brand SLUG --id N\n"
	        "  token list --brand SLUG --user L [--kind K]\n"
	        "                       a login's tokens: id, name, created, "
	        "last used, revoked (UTC)\n"
	        "  user add --brand SLUG --kind operator|partner|customer\n"
	        "           [--partner ID | --account NUMBER] --login L\n"
	        "           --password-file FILE|- [--name N] [--email E] "
	        "[--admin] [--group G]\n"
	        "                       create a login (password: first line "
	        "of FILE, - = stdin)\n"
	        "  demo [--host H ...] [--base-url URL] [--reset-passwords] "
	        "[--slug S]\n"
	        "                       load the demo brand (or a copy named "
	        "S) and print its logins\n"
	        "  gen --brand SLUG [--host H ...] --partners N --accounts N\n"
	        "      --services N [--seed S] [--password-file FILE|-]\n"
	        "                       fill a new or empty brand with "
	        "deterministic\n"
	        "                       benchmark data (bulk INSERT ... "
	        "SELECT)\n"
	        "  mail send [--limit N]\n"
	        "                       deliver the mail outbox over SMTP "
	        "([mail])\n"
	        "  key init             make the key file ([security] "
	        "key_file), once\n"
	        "  key rotate           add a new current key to it (then "
	        "reload tierportd)\n"
	        "  key reencrypt        seal every stored secret under the "
	        "current key\n"
	        "  key status           the key ids, and the stored secrets "
	        "per key\n"
	        "  routes               list every route: METHOD PATTERN AREA "
	        "RIGHT FLAGS SCOPES\n"
	        "  events               each subscriber's lag, and the parked "
	        "events with\n"
	        "                       their errors\n"
	        "  events deliver       one delivery pass (the scheduler runs "
	        "one a second)\n"
	        "  events retry ID [--module M]\n"
	        "                       un-park a parked event\n"
	        "  ledger check [--brand SLUG]\n"
	        "                       every transaction balances, every "
	        "stored balance is\n"
	        "                       its ledger sum (exit 1: the first "
	        "difference)\n"
	        "  ledger hash --brand SLUG\n"
	        "                       the brand's ledger hash "
	        "(docs/money.md)\n"
	        "  jobs                 every job: schedule, next due, last "
	        "run, holder\n"
	        "  job run MODULE.NAME  run a job now (unless a run holds its "
	        "lease: exit 3)\n"
	        "  scheduler [--once]   run due jobs and deliver events until "
	        "SIGTERM\n"
	        "  MODULE COMMAND [--brand SLUG] ARGS...\n"
	        "                       a module's command (tierportctl help "
	        "lists them)\n"
	        "  help                 this, and the loaded modules' "
	        "commands\n"
	        "  modules              list the modules the config loads: "
	        "NAME VERSION ABI PATH\n"
	        "  version              print versions\n");
}

/* ------------------------------------------------------------------ */
/* helpers for the identity commands                                    */

#define N_OF(x) (sizeof(x) / sizeof((x)[0]))

/* Why the key store did not load at start ("" if it did): said by the
 * commands that need it. */
static char key_err[512];

static tp_db *db_open(tp_config *cfg)
{
	tp_db *db = tp_db_new(cfg);
	if (tp_db_connect(db) != TP_OK) {
		fprintf(stderr, "tierportctl: %s\n", tp_db_error(db));
		tp_db_free(db);
		return NULL;
	}
	return db;
}

tp_db *tp_ctl_db_open(tp_config *cfg)
{
	return db_open(cfg);
}

/* A growing NULL-terminated list of option values (argv strings). */
struct strv {
	const char **v;
	size_t n;
};

static void strv_push(struct strv *l, const char *s)
{
	const char **v = realloc(l->v, (l->n + 2) * sizeof(*v));
	if (v == NULL) {
		perror("tierportctl");
		exit(1);
	}
	l->v = v;
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
}

/* The first line of path ("-": stdin) into buf, without its newline.
 * Passwords come this way so they never show in ps or shell history. */
static int read_secret(const char *path, char *buf, size_t len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "tierportctl: %s: %m\n", path);
		return -1;
	}
	bool ok = fgets(buf, (int)len, f) != NULL;
	if (f != stdin)
		fclose(f);
	if (!ok) {
		fprintf(stderr, "tierportctl: %s: no password in it\n", path);
		return -1;
	}
	size_t n = strcspn(buf, "\r\n");
	if (buf[n] == '\0' && n == len - 1) {
		sodium_memzero(buf, len);
		fprintf(stderr, "tierportctl: %s: the password is too long\n",
		        path);
		return -1;
	}
	buf[n] = '\0';
	return 0;
}

/* The brand with this slug: its id, 0 if there is none. */
static tp_rc brand_lookup(tp_db *db, const char *slug, uint64_t *id)
{
	tp_arena a;
	tp_rows *rs;
	tp_arena_init(&a);
	tp_rc rc = tp_db_query_a(
	    db, &a, &rs, "SELECT id FROM tenants WHERE slug = ?", "s", slug);
	*id = rc == TP_OK && tp_rows_count(rs) > 0
	          ? (uint64_t)tp_rows_i64(rs, 0, 0)
	          : 0;
	tp_arena_destroy(&a);
	return rc;
}

static bool parse_id(const char *s, uint64_t *out)
{
	int64_t v;
	if (tp_parse_i64(s, &v) != TP_OK || v <= 0)
		return false;
	*out = (uint64_t)v;
	return true;
}

/* ------------------------------------------------------------------ */
/* brand add                                                            */

static int cmd_brand(tp_config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"slug", required_argument, NULL, 's'},
	    {"name", required_argument, NULL, 'n'},
	    {"plan", required_argument, NULL, 'p'},
	    {"host", required_argument, NULL, 'H'},
	    {"module", required_argument, NULL, 'm'},
	    {"platform", no_argument, NULL, 'P'},
	    {"base-url", required_argument, NULL, 'B'},
	    {0}};
	tp_brand_spec b = {0};
	struct strv hosts = {0}, mods = {0};
	char err[512];
	uint64_t id = 0;
	tp_db *db = NULL;
	int c, rc = 2;

	if (argc < 2 || strcmp(argv[1], "add") != 0) {
		fprintf(stderr, "tierportctl: brand: only \"brand add\"\n");
		return 2;
	}
	optind = 0; /* glibc: start afresh on the subcommand's arguments */
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': b.slug = optarg; break;
		case 'n': b.name = optarg; break;
		case 'p': b.plan = optarg; break;
		case 'H': strv_push(&hosts, optarg); break;
		case 'm': strv_push(&mods, optarg); break;
		case 'P': b.platform = 1; break;
		case 'B': b.base_url = optarg; break;
		default: goto out;
		}
	}
	if (optind < argc - 1 || b.slug == NULL || b.name == NULL ||
	    hosts.n == 0) {
		fprintf(stderr, "tierportctl: brand add needs --slug, --name "
		                "and --host, and nothing else\n");
		goto out;
	}
	b.hosts = hosts.v;
	b.modules = mods.v;
	rc = 1;
	if ((db = db_open(cfg)) == NULL)
		goto out;
	if (tp_admin_brand_add(db, &b, &id, err, sizeof(err)) == TP_OK) {
		printf("brand %s: id %llu\n", b.slug, (unsigned long long)id);
		rc = 0;
	} else {
		fprintf(stderr, "tierportctl: brand add: %s\n", err);
	}
out:
	tp_db_free(db);
	free(hosts.v);
	free(mods.v);
	return rc;
}

/* ------------------------------------------------------------------ */
/* user add                                                             */

/* the demo brand's slug: "demo", or demo --slug's (a test's own copy) */
static const char *demo_slug = "demo";

/* Gives a login a new TOTP secret (or none with secret NULL); prints the
 * secret and an otpauth URI for an authenticator app. */
static tp_rc set_totp(tp_db *db, uint64_t tenant, const char *slug,
                      const char *kind, const char *login, bool off)
{
	char secret[33], sealed[TP_SEALED_LEN(32)];
	uint64_t n = 0;

	if (!off && tp_totp_new_secret(secret) != TP_OK)
		return TP_EINTERNAL;
	if (!off && getenv("TP_DEMO_TOTP_SECRET") != NULL &&
	    strcmp(slug, demo_slug) == 0)
		snprintf(secret, sizeof(secret), "%s",
		         getenv("TP_DEMO_TOTP_SECRET"));
	/* stored sealed (keystore.c), never as the base32 text */
	if (!off &&
	    tp_seal(secret, strlen(secret), sealed, sizeof(sealed)) != TP_OK) {
		sodium_memzero(secret, sizeof(secret));
		return TP_EUNAVAIL;
	}
	/* a new secret starts a new run of time steps */
	tp_rc rc = tp_db_exec(db, &n,
	                      "UPDATE users SET totp_secret = ?, "
	                      "totp_last_step = NULL WHERE "
	                      "tenant_id = ? AND kind = ? AND login = ?",
	                      "sIss", off ? NULL : sealed, (int64_t)tenant,
	                      kind, login);
	if (rc != TP_OK)
		return rc;
	if (n == 0)
		return TP_ENOENT;
	if (off)
		printf("%s: two-factor sign-in off\n", login);
	else
		printf("%s: two-factor secret %s\n  otpauth://totp/%s:%s?"
		       "secret=%s&issuer=%s\n",
		       login, secret, slug, login, secret, slug);
	sodium_memzero(secret, sizeof(secret));
	return TP_OK;
}

/* user totp --brand SLUG --login L [--kind K] [--off] */
static int cmd_user_totp(tp_config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"brand", required_argument, NULL, 'b'},
	    {"kind", required_argument, NULL, 'k'},
	    {"login", required_argument, NULL, 'l'},
	    {"off", no_argument, NULL, 'o'},
	    {0}};
	const char *brand = NULL, *kind = "operator", *login = NULL;
	bool off = false;
	uint64_t tenant = 0;
	tp_db *db;
	int c, rc = 1;

	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'b': brand = optarg; break;
		case 'k': kind = optarg; break;
		case 'l': login = optarg; break;
		case 'o': off = true; break;
		default: return 2;
		}
	}
	if (brand == NULL || login == NULL) {
		fprintf(stderr, "tierportctl: user totp needs --brand and "
		                "--login\n");
		return 2;
	}
	if ((db = db_open(cfg)) == NULL)
		return 1;
	if (brand_lookup(db, brand, &tenant) != TP_OK || tenant == 0) {
		fprintf(stderr, "tierportctl: user totp: no brand %s\n", brand);
	} else {
		tp_rc r = set_totp(db, tenant, brand, kind, login, off);
		if (r == TP_ENOENT)
			fprintf(
			    stderr,
			    "tierportctl: user totp: no %s login %s in %s\n",
			    kind, login, brand);
		else if (r == TP_EUNAVAIL)
			fprintf(stderr,
			        "tierportctl: user totp: no key store to seal "
			        "the secret with: %s\n",
			        key_err);
		else if (r != TP_OK)
			fprintf(stderr, "tierportctl: user totp: %s\n",
			        tp_db_error(db));
		rc = r == TP_OK ? 0 : 1;
	}
	tp_db_free(db);
	return rc;
}

static int cmd_user(tp_config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"brand", required_argument, NULL, 'b'},
	    {"kind", required_argument, NULL, 'k'},
	    {"partner", required_argument, NULL, 'p'},
	    {"account", required_argument, NULL, 'a'},
	    {"login", required_argument, NULL, 'l'},
	    {"password-file", required_argument, NULL, 'P'},
	    {"name", required_argument, NULL, 'n'},
	    {"email", required_argument, NULL, 'e'},
	    {"admin", no_argument, NULL, 'A'},
	    {"group", required_argument, NULL, 'g'},
	    {0}};
	tp_user_spec u = {0};
	const char *brand = NULL, *partner = NULL, *account = NULL,
	           *pwfile = NULL;
	char pw[1024], err[512];
	uint64_t id = 0;
	tp_db *db = NULL;
	int c, rc = 1;

	if (argc >= 2 && strcmp(argv[1], "totp") == 0)
		return cmd_user_totp(cfg, argc, argv);
	if (argc < 2 || strcmp(argv[1], "add") != 0) {
		fprintf(stderr,
		        "tierportctl: user: \"user add\" or \"user totp\"\n");
		return 2;
	}
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'b': brand = optarg; break;
		case 'k': u.kind = optarg; break;
		case 'p': partner = optarg; break;
		case 'a': account = optarg; break;
		case 'l': u.login = optarg; break;
		case 'P': pwfile = optarg; break;
		case 'n': u.name = optarg; break;
		case 'e': u.email = optarg; break;
		case 'A': u.is_admin = 1; break;
		case 'g': u.group = optarg; break;
		default: return 2;
		}
	}
	if (optind < argc - 1 || brand == NULL || u.kind == NULL ||
	    u.login == NULL || pwfile == NULL) {
		fprintf(stderr, "tierportctl: user add needs --brand, --kind, "
		                "--login and --password-file\n");
		return 2;
	}
	if (partner != NULL && account != NULL) {
		fprintf(stderr, "tierportctl: user add: --partner or "
		                "--account, not both\n");
		return 2;
	}
	if (partner != NULL && !parse_id(partner, &u.partner_id)) {
		fprintf(stderr, "tierportctl: user add: --partner takes a "
		                "partner id\n");
		return 2;
	}
	if (read_secret(pwfile, pw, sizeof(pw)) < 0)
		return 1;
	u.password = pw;
	if ((db = db_open(cfg)) == NULL)
		goto out;
	if (brand_lookup(db, brand, &u.tenant_id) != TP_OK) {
		fprintf(stderr, "tierportctl: %s\n", tp_db_error(db));
		goto out;
	}
	if (u.tenant_id == 0) {
		fprintf(stderr, "tierportctl: user add: no brand %s\n", brand);
		goto out;
	}
	if (account != NULL) {
		tp_arena a;
		tp_rows *rs;
		tp_arena_init(&a);
		tp_rc qr = tp_db_query_a(db, &a, &rs,
		                         "SELECT id FROM accounts WHERE "
		                         "tenant_id = ? AND number = ?",
		                         "Is", (int64_t)u.tenant_id, account);
		u.account_id = qr == TP_OK && tp_rows_count(rs) > 0
		                   ? (uint64_t)tp_rows_i64(rs, 0, 0)
		                   : 0;
		tp_arena_destroy(&a);
		if (u.account_id == 0) {
			fprintf(stderr,
			        "tierportctl: user add: no account %s in brand "
			        "%s\n",
			        account, brand);
			goto out;
		}
	}
	if (tp_admin_user_add(db, &u, &id, err, sizeof(err)) == TP_OK) {
		printf("user %s: id %llu\n", u.login, (unsigned long long)id);
		rc = 0;
	} else {
		fprintf(stderr, "tierportctl: user add: %s\n", err);
	}
out:
	sodium_memzero(pw, sizeof(pw));
	tp_db_free(db);
	return rc;
}

/* ------------------------------------------------------------------ */
/* demo: one brand with every kind of login, for trying the portal and for
 * the tests (which fix the password with TP_DEMO_PASSWORD)             */

#define DEMO_CURRENCY "EUR"

static const struct {
	const char *name, *kind, *tier;
	int parent; /* index in this table, -1: top level */
} demo_partners[] = {
    {"North Agency", "agent", "Gold", -1},
    {"City Resellers", "sub-agent", "Silver", 0},
    {"Street Distribution", "distributor", "Bronze", 1},
    {"South Agency", "agent", "Bronze", -1},
};

static const struct {
	const char *number, *name, *kind;
	int partner; /* index in demo_partners */
	int parent;  /* index in this table, -1: none */
} demo_accounts[] = {
    {"100001", "Acme Bakery", "standard", 2, -1},
    {"100002", "Globex Corp", "corporate", 1, -1},
    {"100003", "Globex East", "standard", 1, 1},
    {"100004", "Globex West", "standard", 1, 1},
    {"100005", "Initech", "standard", 3, -1},
};

static const struct {
	const char *kind, *login, *name, *group;
	int partner, account; /* indexes, -1: none */
	int is_admin;
	const char *sees;
} demo_users[] = {
    {"operator", "operator", "Demo Operator", NULL, -1, -1, 1,
     "the whole brand: every partner and account"},
    {"partner", "agent.north", "North Agency admin", "partner-admin", 0, -1, 1,
     "North Agency > City Resellers > Street Distribution; 100001-100004"},
    {"partner", "staff.north", "North Agency staff", "partner-staff", 0, -1, 0,
     "as agent.north, users view-only"},
    {"partner", "subagent.city", "City Resellers admin", "partner-admin", 1, -1,
     1, "City Resellers > Street Distribution; 100001-100004"},
    {"partner", "distributor.street", "Street Distribution admin",
     "partner-admin", 2, -1, 1, "Street Distribution; 100001 Acme Bakery"},
    {"partner", "agent.south", "South Agency admin", "partner-admin", 3, -1, 1,
     "South Agency; 100005 Initech"},
    {"customer", "100001", "Acme Bakery", "customer", -1, 0, 0,
     "account 100001 Acme Bakery"},
    {"customer", "100002", "Globex Corp", "customer-admin", -1, 1, 1,
     "Globex Corp + sub-accounts 100003, 100004 (corporate admin)"},
    {"customer", "100003", "Globex East", "customer", -1, 2, 0,
     "sub-account 100003 Globex East"},
    {"customer", "100004", "Globex West", "customer", -1, 3, 0,
     "sub-account 100004 Globex West"},
    {"customer", "100005", "Initech", "customer", -1, 4, 0,
     "account 100005 Initech"},
};

#define N_DEMO_PARTNERS N_OF(demo_partners)
#define N_DEMO_ACCOUNTS N_OF(demo_accounts)
#define N_DEMO_USERS    N_OF(demo_users)

static const char *const demo_modules[] = {
    "commissions", "invoices",  "usage", "tickets",
    "resources",   "analytics", "hello", NULL};

/* The demo catalog, and locations and services on the demo accounts so
 * the pages and grids show something (amounts in ten-thousandths). */
static const struct {
	const char *name, *type;
	int64_t periodic, one_time;
	int term;
} demo_products[] = {
    {"VoIP Line", "voip-line", 99500, 0, 12},
    {"Toll-Free 800", "toll-free", 150000, 250000, 12},
    {"PBX Seat", "pbx-seat", 200000, 490000, 24},
    {"Extension", "extension", 25000, 0, 0},
    {"SIP Account", "sip-account", 50000, 0, 0},
    {"Hosting Basic", "hosting", 75000, 0, 12},
};

static const struct {
	int account; /* index in demo_accounts */
	const char *name, *street, *city, *postcode;
} demo_locations[] = {
    {0, "Bakery", "Hauptstrasse 1", "Berlin", "10115"},
    {1, "Headquarters", "Friedrichstrasse 100", "Berlin", "10117"},
    {2, "East office", "Augustusplatz 9", "Leipzig", "04109"},
    {3, "West office", "Domkloster 4", "Koeln", "50667"},
    {4, "Initech", "Leopoldstrasse 20", "Muenchen", "80802"},
};

static const struct {
	int account;         /* index in demo_accounts */
	const char *product; /* by name */
	const char *status, *phone;
	int parent; /* index in this table of the PBX seat, -1: none */
} demo_services[] = {
    {0, "VoIP Line", "active", "+493012340001", -1},
    {0, "Hosting Basic", "active", "", -1},
    {1, "PBX Seat", "active", "", -1},
    {1, "Toll-Free 800", "active", "+498001234567", -1},
    {2, "Extension", "active", "", 2},
    {2, "SIP Account", "active", "+493412340003", -1},
    {3, "Extension", "pending", "", 2},
    {3, "SIP Account", "suspended", "+492212340004", -1},
    {4, "VoIP Line", "active", "+498912340005", -1},
};

static tp_rc demo_catalog(tp_db *db, uint64_t tenant, const uint64_t *accounts,
                          char *err, size_t errlen)
{
	int64_t t = (int64_t)tenant, svc[N_OF(demo_services)];
	tp_rc rc = TP_OK;

	for (size_t i = 0; rc == TP_OK && i < N_OF(demo_products); i++)
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT INTO products (tenant_id, name, "
		    "product_type, currency, periodic_charge, "
		    "one_time_charge, term_months) VALUES (?, ?, ?, "
		    "?, ?, ?, ?)",
		    "IsssIIi", t, demo_products[i].name, demo_products[i].type,
		    DEMO_CURRENCY, demo_products[i].periodic,
		    demo_products[i].one_time, demo_products[i].term);
	for (size_t i = 0; rc == TP_OK && i < N_OF(demo_locations); i++)
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT INTO locations (tenant_id, account_id, "
		    "name, street, city, postcode, country, "
		    "is_bill_to) VALUES (?, ?, ?, ?, ?, ?, 'DE', 1)",
		    "IIssss", t, (int64_t)accounts[demo_locations[i].account],
		    demo_locations[i].name, demo_locations[i].street,
		    demo_locations[i].city, demo_locations[i].postcode);
	for (size_t i = 0; rc == TP_OK && i < N_OF(demo_services); i++) {
		int up = demo_services[i].parent;
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT INTO services (tenant_id, partner_id, account_id, "
		    "product_id, parent_service_id, status, currency, "
		    "periodic_charge, bill_cycle, one_time_charge, start_date, "
		    "term_end, phone_number, location_id) SELECT a.tenant_id, "
		    "a.partner_id, a.id, p.id, NULLIF(?, 0), ?, p.currency, "
		    "p.periodic_charge, p.bill_cycle, p.one_time_charge, "
		    "'2026-01-01', IF(p.term_months > 0, "
		    "DATE_ADD('2026-01-01', "
		    "INTERVAL p.term_months MONTH), NULL), ?, (SELECT "
		    "MIN(l.id) "
		    "FROM locations l WHERE l.account_id = a.id) FROM accounts "
		    "a "
		    "JOIN products p ON p.tenant_id = a.tenant_id WHERE a.id = "
		    "? "
		    "AND p.name = ?",
		    "IssIs", up < 0 ? (int64_t)0 : svc[up],
		    demo_services[i].status, demo_services[i].phone,
		    (int64_t)accounts[demo_services[i].account],
		    demo_services[i].product);
		svc[i] = (int64_t)tp_db_last_id(db);
	}
	if (rc != TP_OK)
		snprintf(err, errlen, "the demo catalog: %s", tp_db_error(db));
	return rc;
}

/* Creates the whole demo brand in one transaction: all of it or nothing. */
static tp_rc demo_create(tp_db *db, const char *const *hosts,
                         const char *password, uint64_t *tenant, char *err,
                         size_t errlen)
{
	uint64_t partners[N_DEMO_PARTNERS], accounts[N_DEMO_ACCOUNTS];
	tp_brand_spec b = {.slug = demo_slug,
	                   .name = "Demo Telecom",
	                   .plan = "standard",
	                   .hosts = hosts,
	                   .modules = demo_modules,
	                   .platform = 1};
	tp_rc rc = tp_db_begin(db);

	if (rc != TP_OK) {
		snprintf(err, errlen, "%s", tp_db_error(db));
		return rc;
	}
	rc = tp_admin_brand_add(db, &b, tenant, err, errlen);
	/* what a brand publishes, so the demo shows it: logo, contacts
	 * (footer, Help > Contact us), social links (footer) */
	if (rc == TP_OK &&
	    (rc = tp_db_exec(
	         db, NULL,
	         "UPDATE tenants SET logo_url = '/static/img/demo-logo.svg', "
	         "support_phone = '+49 30 1234 5600', support_email = "
	         "'support@demo.example', support_address = 'Demo Telecom "
	         "Customer Service, Friedrichstrasse 100, 10117 Berlin', "
	         "payment_address = 'Demo Telecom Payments, Postfach 10 20 "
	         "30, 10117 Berlin', other_address = 'Demo Telecom Head "
	         "Office, Unter den Linden 1, 10117 Berlin', social = "
	         "'{\"facebook\":\"https://www.facebook.com/"
	         "demotelecom.example\",\"linkedin\":\"https://"
	         "www.linkedin.com/company/demotelecom-example\",\"x\":"
	         "\"https://x.com/demotelecom_example\"}' WHERE id = ?",
	         "I", (int64_t)*tenant)) != TP_OK)
		snprintf(err, errlen, "the demo brand's contacts: %s",
		         tp_db_error(db));
	for (size_t i = 0; rc == TP_OK && i < N_DEMO_PARTNERS; i++) {
		int up = demo_partners[i].parent;
		tp_partner_spec p = {.tenant_id = *tenant,
		                     .parent_id = up < 0 ? 0 : partners[up],
		                     .name = demo_partners[i].name,
		                     .kind = demo_partners[i].kind,
		                     .currency = DEMO_CURRENCY,
		                     .tier = demo_partners[i].tier};
		rc = tp_admin_partner_add(db, &p, &partners[i], err, errlen);
	}
	for (size_t i = 0; rc == TP_OK && i < N_DEMO_ACCOUNTS; i++) {
		int up = demo_accounts[i].parent;
		tp_account_spec a = {
		    .tenant_id = *tenant,
		    .partner_id = partners[demo_accounts[i].partner],
		    .parent_account_id = up < 0 ? 0 : accounts[up],
		    .number = demo_accounts[i].number,
		    .name = demo_accounts[i].name,
		    .kind = demo_accounts[i].kind};
		rc = tp_admin_account_add(db, &a, &accounts[i], err, errlen);
	}
	if (rc == TP_OK)
		rc = demo_catalog(db, *tenant, accounts, err, errlen);
	for (size_t i = 0; rc == TP_OK && i < N_DEMO_USERS; i++) {
		char email[160];
		int pi = demo_users[i].partner, ai = demo_users[i].account;
		snprintf(email, sizeof(email), "%s@demo.example",
		         demo_users[i].login);
		tp_user_spec u = {.tenant_id = *tenant,
		                  .partner_id = pi < 0 ? 0 : partners[pi],
		                  .account_id = ai < 0 ? 0 : accounts[ai],
		                  .kind = demo_users[i].kind,
		                  .login = demo_users[i].login,
		                  .name = demo_users[i].name,
		                  .email = email,
		                  .password = password,
		                  .is_admin = demo_users[i].is_admin,
		                  .group = demo_users[i].group};
		rc = tp_admin_user_add(db, &u, NULL, err, errlen);
	}
	if (rc == TP_OK) {
		if ((rc = tp_db_commit(db)) != TP_OK)
			snprintf(err, errlen, "commit: %s", tp_db_error(db));
	} else {
		tp_db_rollback(db);
	}
	return rc;
}

/* A fresh demo password: passes tp_password_weak whatever the token holds
 * ("Demo-" alone has upper, lower and other). */
static void demo_password(char out[20])
{
	char tok[44];
	tp_token_new(tok);
	snprintf(out, 20, "Demo-%.12s-9", tok);
	sodium_memzero(tok, sizeof(tok));
}

/* New password for every demo login (a re-run cannot show the old ones:
 * only their hashes are stored). */
static tp_rc demo_reset(tp_db *db, uint64_t tenant, const char *password,
                        char *err, size_t errlen)
{
	tp_rc rc = tp_db_begin(db);
	for (size_t i = 0; rc == TP_OK && i < N_DEMO_USERS; i++) {
		char *hash;
		if ((rc = tp_password_hash(password, &hash)) != TP_OK)
			break;
		rc =
		    tp_db_exec(db, NULL,
		               "UPDATE users SET password_hash = ?, "
		               "password_changed_at = CURRENT_TIMESTAMP, "
		               "failed_logins = 0, locked_until = NULL "
		               "WHERE tenant_id = ? AND kind = ? AND login = ?",
		               "sIss", hash, (int64_t)tenant,
		               demo_users[i].kind, demo_users[i].login);
		free(hash);
	}
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	else
		tp_db_rollback(db);
	if (rc != TP_OK)
		snprintf(err, errlen, "resetting the passwords: %s",
		         tp_db_error(db));
	return rc;
}

static void demo_table(tp_db *db, uint64_t tenant, const char *password)
{
	tp_arena a;
	tp_rows *rs;
	const char *host = "?";

	tp_arena_init(&a);
	if (tp_db_query_a(db, &a, &rs,
	                  "SELECT host FROM tenant_hosts WHERE tenant_id = ? "
	                  "ORDER BY host",
	                  "I", (int64_t)tenant) == TP_OK &&
	    tp_rows_count(rs) > 0)
		host = tp_rows_get(rs, 0, 0);
	printf("%-9s %-15s %-19s %-20s %s\n", "KIND", "BRAND HOST", "LOGIN",
	       "PASSWORD", "SEES");
	for (size_t i = 0; i < N_DEMO_USERS; i++)
		printf("%-9s %-15s %-19s %-20s %s\n", demo_users[i].kind, host,
		       demo_users[i].login, password, demo_users[i].sees);
	tp_arena_destroy(&a);
}

/* Operator admins must use two-factor sign-in: the demo operator gets a
 * secret (TP_DEMO_TOTP_SECRET fixes it for the tests). */
static void demo_totp(tp_db *db, uint64_t tenant)
{
	printf("\nthe operator also needs a one-time code (RFC 6238, 30 s, 6 "
	       "digits) from an authenticator app, or: oathtool --totp -b "
	       "SECRET\n");
	if (set_totp(db, tenant, demo_slug, "operator", "operator", false) !=
	    TP_OK)
		fprintf(stderr,
		        "tierportctl: demo: cannot set the operator's "
		        "two-factor secret%s%s\n",
		        *key_err ? ": " : "", key_err);
}

static int cmd_demo(tp_config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"host", required_argument, NULL, 'H'},
	    {"reset-passwords", no_argument, NULL, 'r'},
	    {"base-url", required_argument, NULL, 'B'},
	    {"slug", required_argument, NULL, 's'},
	    {0}};
	struct strv hosts = {0};
	const char *base_url = NULL;
	bool reset = false;
	char pw[160], err[512];
	const char *env = getenv("TP_DEMO_PASSWORD");
	uint64_t tenant = 0;
	tp_db *db = NULL;
	int c, rc = 2;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'H': strv_push(&hosts, optarg); break;
		case 'r': reset = true; break;
		case 'B': base_url = optarg; break;
		/* another copy of the demo (an integration script's own) */
		case 's': demo_slug = optarg; break;
		default: goto out;
		}
	}
	if (base_url != NULL && tp_base_url_bad(base_url, NULL) != NULL) {
		fprintf(stderr, "tierportctl: demo: --base-url: %s\n",
		        tp_base_url_bad(base_url, NULL));
		goto out;
	}
	if (optind < argc) {
		fprintf(stderr, "tierportctl: demo: unexpected %s\n",
		        argv[optind]);
		goto out;
	}
	if (hosts.n == 0) {
		strv_push(&hosts, "127.0.0.1");
		strv_push(&hosts, "localhost");
	}
	rc = 1;
	if (env != NULL) {
		const char *why = tp_password_weak(env);
		if (why != NULL) {
			fprintf(stderr,
			        "tierportctl: demo: TP_DEMO_PASSWORD: "
			        "%s\n",
			        why);
			goto out;
		}
		snprintf(pw, sizeof(pw), "%s", env);
	} else {
		demo_password(pw);
	}
	if ((db = db_open(cfg)) == NULL)
		goto out;
	if (brand_lookup(db, demo_slug, &tenant) != TP_OK) {
		fprintf(stderr, "tierportctl: %s\n", tp_db_error(db));
		goto out;
	}
	/* the table says what was made: the per-row log lines would only
	 * bury it */
	if (cfg->log_level < TP_LOG_DEBUG)
		tp_log_open(NULL, TP_LOG_WARN);
	if (tenant != 0 && reset) {
		if (demo_reset(db, tenant, pw, err, sizeof(err)) != TP_OK) {
			fprintf(stderr, "tierportctl: demo: %s\n", err);
			goto out;
		}
		printf("demo brand exists (id %llu): new passwords set\n",
		       (unsigned long long)tenant);
		demo_table(db, tenant, pw);
		demo_totp(db, tenant);
	} else if (tenant != 0) {
		printf("demo brand exists (id %llu): nothing created\n",
		       (unsigned long long)tenant);
		/* only hashes are stored: a password can be shown again only
		 * when the caller gave it and it still works */
		tp_arena a;
		tp_rows *rs;
		bool known = false;
		tp_arena_init(&a);
		if (env != NULL &&
		    tp_db_query_a(db, &a, &rs,
		                  "SELECT password_hash FROM users WHERE "
		                  "tenant_id = ? AND kind = 'operator' AND "
		                  "login = ?",
		                  "Is", (int64_t)tenant,
		                  demo_users[0].login) == TP_OK &&
		    tp_rows_count(rs) > 0)
			known = tp_password_verify(tp_rows_get(rs, 0, 0), pw) ==
			        TP_OK;
		tp_arena_destroy(&a);
		demo_table(db, tenant, known ? pw : "(set at creation)");
		printf(
		    "the operator signs in with a one-time code; `tierportctl "
		    "user totp --brand demo --login operator` gives a new "
		    "secret\n");
		if (!known)
			printf("passwords were printed when the demo was "
			       "created; `tierportctl demo --reset-passwords` "
			       "sets new ones\n");
	} else {
		if (demo_create(db, hosts.v, pw, &tenant, err, sizeof(err)) !=
		    TP_OK) {
			fprintf(stderr, "tierportctl: demo: %s\n", err);
			goto out;
		}
		printf("demo brand \"Demo Telecom\" created (slug %s, id "
		       "%llu)\n",
		       demo_slug, (unsigned long long)tenant);
		demo_table(db, tenant, pw);
		demo_totp(db, tenant);
		if (tp_ctl_demo_money(cfg, db, tenant, demo_slug) != 0)
			goto out;
	}
	/* the address in its mails' links (new or existing brand alike) */
	if (base_url != NULL) {
		char *norm = NULL;
		tp_base_url_bad(base_url, &norm);
		tp_rc urc =
		    tp_db_exec(db, NULL,
		               "UPDATE tenants SET base_url = ? WHERE id "
		               "= ?",
		               "sI", norm, (int64_t)tenant);
		free(norm);
		if (urc != TP_OK) {
			fprintf(stderr, "tierportctl: demo: %s\n",
			        tp_db_error(db));
			goto out;
		}
		printf("links in its mails start with %s\n", base_url);
	}
	rc = 0;
out:
	sodium_memzero(pw, sizeof(pw));
	tp_db_free(db);
	free(hosts.v);
	return rc;
}

/* ------------------------------------------------------------------ */
/* gen: benchmark data (core/ctl/gen.c)                                     */

/* a size option: 0 to max */
static bool parse_count(const char *opt, const char *s, unsigned max,
                        unsigned *out)
{
	int64_t v;
	if (tp_parse_i64(s, &v) != TP_OK || v < 0 || v > (int64_t)max) {
		fprintf(stderr,
		        "tierportctl: gen: --%s: a number from 0 to %u\n", opt,
		        max);
		return false;
	}
	*out = (unsigned)v;
	return true;
}

static int cmd_gen(tp_config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"brand", required_argument, NULL, 'b'},
	    {"host", required_argument, NULL, 'H'},
	    {"partners", required_argument, NULL, 'p'},
	    {"accounts", required_argument, NULL, 'a'},
	    {"services", required_argument, NULL, 's'},
	    {"seed", required_argument, NULL, 'S'},
	    {"password-file", required_argument, NULL, 'P'},
	    {0}};
	tp_gen_spec g = {
	    .modules = demo_modules, .seed = 1, .progress = stdout};
	struct strv hosts = {0};
	const char *pwfile = NULL;
	char pw[160] = "", name[160], plan[80], host[160], err[512];
	uint64_t tenant;
	int64_t seed;
	tp_db *db = NULL;
	int c, rc = 2;
	bool sized = true;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'b': g.slug = optarg; break;
		case 'H': strv_push(&hosts, optarg); break;
		case 'p':
			sized &= parse_count("partners", optarg,
			                     TP_GEN_MAX_PARTNERS, &g.partners);
			break;
		case 'a':
			sized &= parse_count("accounts", optarg,
			                     TP_GEN_MAX_ACCOUNTS, &g.accounts);
			break;
		case 's':
			sized &= parse_count("services", optarg,
			                     TP_GEN_MAX_SERVICES, &g.services);
			break;
		case 'S':
			if (tp_parse_i64(optarg, &seed) != TP_OK || seed < 0) {
				fprintf(stderr, "tierportctl: gen: --seed: a "
				                "whole number >= 0\n");
				goto out;
			}
			g.seed = (uint64_t)seed;
			break;
		case 'P': pwfile = optarg; break;
		default: goto out;
		}
	}
	if (!sized)
		goto out;
	if (optind < argc || g.slug == NULL || g.partners == 0) {
		fprintf(stderr, "tierportctl: gen: needs --brand SLUG and "
		                "--partners N (at least 1); see --help\n");
		goto out;
	}
	rc = 1;
	if (pwfile != NULL) {
		if (read_secret(pwfile, pw, sizeof(pw)) < 0)
			goto out;
		const char *why = tp_password_weak(pw);
		if (why != NULL) {
			fprintf(stderr, "tierportctl: gen: %s\n", why);
			goto out;
		}
	} else {
		demo_password(pw);
	}
	snprintf(name, sizeof(name), "Gen %s", g.slug);
	snprintf(plan, sizeof(plan), "gen-%s", g.slug);
	snprintf(host, sizeof(host), "%s.gen.test", g.slug);
	if (hosts.n == 0)
		strv_push(&hosts, host);
	g.name = name;
	g.plan = plan;
	g.hosts = hosts.v;
	g.password = pw;
	/* one statement may insert millions of rows: [db] read_timeout is
	 * for requests, not for this batch */
	cfg->db_read_timeout = cfg->db_write_timeout = 3600;
	if ((db = db_open(cfg)) == NULL)
		goto out;
	if (cfg->log_level < TP_LOG_DEBUG)
		tp_log_open(NULL, TP_LOG_WARN);
	if (tp_gen_run(db, &g, &tenant, err, sizeof(err)) != TP_OK) {
		fprintf(stderr, "tierportctl: gen: %s\n", err);
		goto out;
	}
	printf("brand %s (id %llu, seed %llu): %u partners, %u accounts, %u "
	       "services\n",
	       g.slug, (unsigned long long)tenant, (unsigned long long)g.seed,
	       g.partners, g.accounts, g.services);
	printf("%-9s %-14s %-20s %s\n", "KIND", "LOGIN", "PASSWORD", "SEES");
	printf("%-9s %-14s %-20s %s\n", "operator", TP_GEN_OPERATOR,
	       pwfile ? "(from the file)" : pw,
	       "the whole brand (view only, no two-factor code)");
	printf("%-9s %-14s %-20s %s\n", "partner", TP_GEN_PARTNER,
	       pwfile ? "(from the file)" : pw,
	       "the first agent's subtree (partner admin)");
	rc = 0;
out:
	sodium_memzero(pw, sizeof(pw));
	tp_db_free(db);
	free(hosts.v);
	return rc;
}

/* ------------------------------------------------------------------ */
/* mail send: the outbox over SMTP (core/data/mail.c)                        */

static int cmd_mail(tp_config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"limit", required_argument, NULL, 'l'}, {0}};
	uint64_t limit = 0;
	unsigned sent = 0, failed = 0;
	tp_db *db;
	int c;

	if (argc < 2 || strcmp(argv[1], "send") != 0) {
		fprintf(stderr, "tierportctl: mail: only \"mail send\"\n");
		return 2;
	}
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (!parse_id(optarg, &limit) || limit > 1000000) {
				fprintf(stderr, "tierportctl: mail send: "
				                "--limit takes a count\n");
				return 2;
			}
			break;
		default: return 2;
		}
	}
	if (optind < argc - 1) {
		fprintf(stderr, "tierportctl: mail send: unexpected %s\n",
		        argv[optind + 1]);
		return 2;
	}
	if (cfg->smtp_url == NULL || cfg->mail_from == NULL) {
		fprintf(stderr, "tierportctl: mail send: set [mail] smtp_url "
		                "and from in the config\n");
		return 1;
	}
	if ((db = db_open(cfg)) == NULL)
		return 1;
	tp_rc rc = tp_mail_send(cfg, db, (unsigned)limit, &sent, &failed);
	if (rc == TP_EDB || rc == TP_EUNAVAIL)
		fprintf(stderr, "tierportctl: mail send: %s\n",
		        tp_db_error(db));
	else if (rc != TP_OK)
		fprintf(stderr, "tierportctl: mail send: %s\n",
		        rc == TP_EINVAL ? "[mail] from is not an address"
		                        : "cannot start libcurl");
	printf("sent %u, failed %u\n", sent, failed);
	tp_db_free(db);
	return rc != TP_OK || failed > 0 ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* token: API tokens for integrations (Authorization: Bearer)           */

/* token list: every token of the logins named login in the brand (of one
 * kind when given), tab-separated, "-" for never used / not revoked. */
static int token_list(tp_db *db, tp_arena *a, uint64_t tenant,
                      const char *login, const char *kind)
{
	tp_rows *rs;
	if (tp_db_query_a(
	        db, a, &rs,
	        "SELECT k.id, k.name, "
	        "DATE_FORMAT(k.created_at, '%Y-%m-%d %H:%i:%s'), "
	        "IFNULL(DATE_FORMAT(k.last_used_at, '%Y-%m-%d %H:%i:%s'), "
	        "'-'), "
	        "IFNULL(DATE_FORMAT(k.revoked_at, '%Y-%m-%d %H:%i:%s'), '-') "
	        "FROM api_tokens k JOIN users u ON u.id = k.user_id "
	        "WHERE u.tenant_id = ? AND u.login = ? AND "
	        "(? = '' OR u.kind = ?) ORDER BY k.id",
	        "Isss", (int64_t)tenant, login, kind ? kind : "",
	        kind ? kind : "") != TP_OK) {
		fprintf(stderr, "tierportctl: token list: %s\n",
		        tp_db_error(db));
		return 1;
	}
	printf("ID\tNAME\tCREATED\tLAST_USED\tREVOKED\n");
	for (size_t i = 0; i < tp_rows_count(rs); i++)
		printf("%s\t%s\t%s\t%s\t%s\n", tp_rows_get(rs, i, 0),
		       tp_rows_get(rs, i, 1), tp_rows_get(rs, i, 2),
		       tp_rows_get(rs, i, 3), tp_rows_get(rs, i, 4));
	return 0;
}

/* token add --brand S --login L [--kind K] --name N
 * token revoke --brand S --id N
 * token list --brand S --user L [--kind K] */
static int cmd_token(tp_config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"brand", required_argument, NULL, 'b'},
	    {"kind", required_argument, NULL, 'k'},
	    {"login", required_argument, NULL, 'l'},
	    {"user", required_argument, NULL, 'l'},
	    {"name", required_argument, NULL, 'n'},
	    {"id", required_argument, NULL, 'i'},
	    {0}};
	const char *brand = NULL, *kind = NULL, *login = NULL, *name = NULL,
	           *idarg = NULL;
	bool add = argc >= 2 && strcmp(argv[1], "add") == 0;
	bool revoke = argc >= 2 && strcmp(argv[1], "revoke") == 0;
	bool list = argc >= 2 && strcmp(argv[1], "list") == 0;
	uint64_t tenant = 0, id = 0;
	tp_db *db;
	tp_arena a;
	tp_rows *rs;
	int c, rc = 1;

	if (!add && !revoke && !list) {
		fprintf(stderr,
		        "tierportctl: token add | token revoke | token list\n");
		return 2;
	}
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'b': brand = optarg; break;
		case 'k': kind = optarg; break;
		case 'l': login = optarg; break;
		case 'n': name = optarg; break;
		case 'i': idarg = optarg; break;
		default: return 2;
		}
	}
	if (brand == NULL || (add && (login == NULL || name == NULL)) ||
	    (revoke && (idarg == NULL || !parse_id(idarg, &id))) ||
	    (list && login == NULL)) {
		fprintf(stderr, "tierportctl: token add needs --brand, --login "
		                "and --name; token revoke --brand and --id; "
		                "token list --brand and --user\n");
		return 2;
	}
	if ((db = db_open(cfg)) == NULL)
		return 1;
	tp_arena_init(&a);
	if (brand_lookup(db, brand, &tenant) != TP_OK || tenant == 0) {
		fprintf(stderr, "tierportctl: token: no brand %s\n", brand);
		goto out;
	}
	if (list) {
		rc = token_list(db, &a, tenant, login, kind);
	} else if (add) {
		char tok[44];
		unsigned char h[32];
		if (kind == NULL)
			kind = "partner";
		if (tp_db_query_a(
		        db, &a, &rs,
		        "SELECT id FROM users WHERE tenant_id = ? AND "
		        "kind = ? AND login = ? AND status = 'active'",
		        "Iss", (int64_t)tenant, kind, login) != TP_OK ||
		    tp_rows_count(rs) == 0) {
			fprintf(stderr,
			        "tierportctl: token add: no active %s "
			        "login %s in %s\n",
			        kind, login, brand);
			goto out;
		}
		tp_token_new(tok);
		tp_token_hash(tok, h);
		if (tp_db_exec(
		        db, NULL,
		        "INSERT INTO api_tokens (token_hash, user_id, name) "
		        "VALUES (?, ?, LEFT(?, 64))",
		        "bIs", h, (size_t)32, tp_rows_i64(rs, 0, 0),
		        name) != TP_OK) {
			fprintf(stderr, "tierportctl: token add: %s\n",
			        tp_db_error(db));
			goto out;
		}
		printf("token %llu for %s: %s\n(shown once: only its hash is "
		       "stored)\n",
		       (unsigned long long)tp_db_last_id(db), login, tok);
		sodium_memzero(tok, sizeof(tok));
		rc = 0;
	} else {
		uint64_t n = 0;
		if (tp_db_query_a(db, &a, &rs,
		                  "SELECT k.token_hash FROM api_tokens k JOIN "
		                  "users u ON u.id = k.user_id WHERE k.id = ? "
		                  "AND u.tenant_id = ?",
		                  "II", (int64_t)id,
		                  (int64_t)tenant) != TP_OK ||
		    tp_rows_count(rs) == 0) {
			fprintf(stderr,
			        "tierportctl: token revoke: no token %s "
			        "in %s\n",
			        idarg, brand);
			goto out;
		}
		tp_db_exec(
		    db, &n,
		    "UPDATE api_tokens SET revoked_at = NOW() WHERE id = "
		    "? AND revoked_at IS NULL",
		    "I", (int64_t)id);
		/* the cached copy goes too: revoked means now */
		char hex[65];
		sodium_bin2hex(hex, sizeof(hex),
		               (const unsigned char *)tp_rows_get(rs, 0, 0),
		               32);
		tp_cache *cache = tp_cache_new(cfg);
		if (cache != NULL) {
			char key[80];
			snprintf(key, sizeof(key), "tp:tok:%s", hex);
			/* Redis unreachable: the copy may come back with it;
			 * the epoch makes it stale (session.c), and once
			 * every worker has read it the revocation holds */
			if (tp_cache_del_key(cache, key) != TP_OK &&
			    tp_viewer_epoch_bump(db) == TP_OK)
				usleep((useconds_t)tp_viewer_epoch_wait_ms() *
				       1000);
			tp_cache_free(cache);
		}
		printf("token %s revoked\n", idarg);
		rc = 0;
	}
out:
	tp_arena_destroy(&a);
	tp_db_free(db);
	return rc;
}

/* ------------------------------------------------------------------ */
/* routes: what the permission matrix walks                             */

static void print_bits(unsigned bits, const char *const *names, size_t n,
                       char sep)
{
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		if (!(bits & (1u << i)) || names[i] == NULL)
			continue;
		if (any)
			putchar(sep);
		fputs(names[i], stdout);
		any = true;
	}
	if (!any)
		putchar('-');
}

/* The route table as the daemon builds it: the core's routes, then every
 * module the config loads (refusals logged and counted); no init runs. */
static tp_rc routes_load(tp_config *cfg, tp_modules *ms, tp_router *rt,
                         int *refused)
{
	tp_router_init(rt);
	if (tp_core_routes_add(rt) != TP_OK) {
		tp_router_free(rt);
		return TP_EINTERNAL;
	}
	return tp_modules_load(ms, cfg, rt, refused);
}

/* Frees what routes_load made; the command's exit status: 1 (said on
 * stderr, with what that means) when a module was refused */
static int routes_free(tp_modules *ms, tp_router *rt, int refused,
                       const char *meaning)
{
	for (size_t i = 0; i < ms->n; i++)
		ms->mods[i].inited = false; /* descriptors only: no fini */
	tp_modules_fini(ms);
	tp_router_free(rt);
	if (refused > 0)
		fprintf(stderr,
		        "tierportctl: %d module(s) refused (see the log lines "
		        "above)%s\n",
		        refused, meaning);
	return refused ? 1 : 0;
}

static int cmd_routes(tp_config *cfg)
{
	/* bit i of enum tp_method / tp_right / tp_route_flags */
	static const char *const methods[] = {
	    "GET", "POST", "PUT", "PATCH", "DELETE", NULL, "OPTIONS"};
	static const char *const rights[] = {"view", "add", "update", "delete"};
	static const char *const flags[] = {
	    "public",       "api-only", "html-only", "stream",   "any-host",
	    "before-terms", "operator", "platform",  "view-safe"};
	/* enum tp_scope_kind */
	static const char *const kinds[] = {
	    "none",        "partner", "account", "user", "own-partner",
	    "own-account", "tier",    "brand",   "plan", "category"};
	tp_modules ms = {0};
	tp_router rt;
	int refused = 0;

	if (routes_load(cfg, &ms, &rt, &refused) != TP_OK)
		return 1;
	for (size_t i = 0; i < rt.n; i++) {
		const tp_route_ent *e = &rt.ents[i];
		const tp_route *r = e->route;
		for (size_t m = 0; m < N_OF(methods); m++) {
			if (!(r->methods & (1u << m)) || methods[m] == NULL)
				continue;
			printf("%s\t%s\t%s\t", methods[m], e->pattern,
			       r->area ? r->area : "-");
			print_bits(r->right, rights, N_OF(rights), '|');
			putchar('\t');
			print_bits(r->flags, flags, N_OF(flags), ',');
			putchar('\t');
			const tp_param_scope *sc = r->scopes;
			if (sc == NULL || sc->param == NULL)
				putchar('-');
			/* a body field as body:NAME; a module's kind by
			 * its name */
			for (; sc != NULL && sc->param != NULL; sc++)
				printf("%s%s%s=%s", sc == r->scopes ? "" : ",",
				       sc->flags & TP_PARAM_BODY ? "body:" : "",
				       sc->param,
				       sc->kind == TP_SCOPE_NAMED
				           ? sc->kind_name
				       : sc->kind >= 0 &&
				               (size_t)sc->kind < N_OF(kinds)
				           ? kinds[sc->kind]
				           : "?");
			putchar('\n');
		}
	}
	return routes_free(&ms, &rt, refused, "; their routes are missing");
}

/* modules: what [modules] dir holds and enabled lets load, as the daemon
 * loads it (descriptor checks, names, route clashes); exit 1 when one is
 * refused */
static int cmd_modules(tp_config *cfg)
{
	tp_modules ms = {0};
	tp_router rt;
	int refused = 0;

	if (routes_load(cfg, &ms, &rt, &refused) != TP_OK)
		return 1;
	printf("core\t%s\t%d.%d\t-\n", PACKAGE_VERSION, TP_ABI_MAJOR,
	       TP_ABI_MINOR);
	for (size_t i = 0; i < ms.n; i++) {
		const tp_module *m = ms.mods[i].mod;
		printf("%s\t%s\t%u.%u\t%s\n", m->name, m->version, m->abi_major,
		       m->abi_minor, ms.mods[i].path);
	}
	return routes_free(&ms, &rt, refused, "");
}

/* ------------------------------------------------------------------ */
/* key: the key store (keystore.c, reseal.c; docs/operations.md)        */

/* The loaded modules' descriptors, for their sealed columns (no init:
 * reseal.c reads only tp_module.sealed). A refused module's columns are
 * not reached: said, and the command fails. */
static int sealed_modules(tp_config *cfg, tp_modules *ms)
{
	int refused = 0;
	tp_modules_load(ms, cfg, NULL, &refused);
	for (size_t i = 0; i < ms->n; i++)
		ms->mods[i].inited = false;
	if (refused > 0)
		fprintf(stderr,
		        "tierportctl: %d module(s) refused (see the log lines "
		        "above): their sealed columns are not reached\n",
		        refused);
	return refused;
}

/* key status: the file's key ids, and how many stored values each key
 * sealed in each sealed column, the core's and the modules' (plain: not
 * sealed yet) */
static int key_status(tp_config *cfg)
{
	tp_modules ms = {0};
	unsigned unclean = 0;

	if (!tp_keystore_loaded()) {
		fprintf(stderr, "tierportctl: key status: %s\n", key_err);
		return 1;
	}
	printf("key file %s: current key %u\n", cfg->key_file,
	       tp_keystore_current());
	tp_db *db = db_open(cfg);
	if (db == NULL)
		return 1;
	int refused = sealed_modules(cfg, &ms);
	tp_rc rc = tp_reseal_status(db, &ms, stdout, &unclean);
	if (rc != TP_OK)
		fprintf(stderr, "tierportctl: %s\n", tp_db_error(db));
	tp_modules_fini(&ms);
	tp_db_free(db);
	return rc != TP_OK || unclean > 0 || refused > 0 ? 1 : 0;
}

static int cmd_key(tp_config *cfg, int argc, char **argv)
{
	char err[512];
	const char *sub = argc >= 2 ? argv[1] : "";

	if (argc > 2) {
		fprintf(stderr, "tierportctl: key %s: unexpected %s\n", sub,
		        argv[2]);
		return 2;
	}
	if (strcmp(sub, "init") == 0) {
		if (tp_keystore_init_file(cfg->key_file, err, sizeof(err)) !=
		    TP_OK) {
			fprintf(stderr, "tierportctl: key init: %s\n", err);
			return 1;
		}
		printf("key file %s made (key 1); back it up apart from the "
		       "database\n",
		       cfg->key_file);
		return 0;
	}
	if (strcmp(sub, "rotate") == 0) {
		unsigned id = 0;
		if (tp_keystore_rotate(cfg->key_file, &id, err, sizeof(err)) !=
		    TP_OK) {
			fprintf(stderr, "tierportctl: key rotate: %s\n", err);
			return 1;
		}
		printf("key %u added to %s and now seals; reload tierportd "
		       "(SIGHUP), then `tierportctl key reencrypt`\n",
		       id, cfg->key_file);
		return 0;
	}
	if (strcmp(sub, "reencrypt") == 0) {
		unsigned done = 0, failed = 0;
		if (!tp_keystore_loaded()) {
			fprintf(stderr, "tierportctl: key reencrypt: %s\n",
			        key_err);
			return 1;
		}
		tp_db *db = db_open(cfg);
		if (db == NULL)
			return 1;
		tp_modules ms = {0};
		int refused = sealed_modules(cfg, &ms);
		tp_rc rc =
		    tp_reseal_all(db, &ms, false, stderr, &done, &failed);
		if (rc != TP_OK)
			fprintf(stderr, "tierportctl: key reencrypt: %s\n",
			        tp_db_error(db));
		tp_modules_fini(&ms);
		tp_db_free(db);
		printf("%u value(s) sealed again under key %u, %u could not "
		       "be opened\n",
		       done, tp_keystore_current(), failed);
		return rc == TP_OK && failed == 0 && refused == 0 ? 0 : 1;
	}
	if (strcmp(sub, "status") == 0)
		return key_status(cfg);
	fprintf(stderr, "tierportctl: key: init, rotate, reencrypt or "
	                "status\n");
	return 2;
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

	if (tp_keystore_loaded()) {
		printf("key store: ok (current key %u)\n",
		       tp_keystore_current());
	} else {
		printf("key store: %s\n", key_err);
		bad++;
	}
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

/* ------------------------------------------------------------------ */
/* ledger check | hash                                                  */

static int cmd_ledger(tp_config *cfg, int argc, char **argv)
{
	const char *slug = NULL;
	uint64_t tenant = 0;
	bool check = argc >= 2 && strcmp(argv[1], "check") == 0;
	bool hash = argc >= 2 && strcmp(argv[1], "hash") == 0;

	if (argc == 4 && strcmp(argv[2], "--brand") == 0)
		slug = argv[3];
	if (!(check || hash) || (argc != 2 && slug == NULL) ||
	    (hash && slug == NULL)) {
		fprintf(stderr,
		        "usage: tierportctl ledger check [--brand SLUG]\n"
		        "       tierportctl ledger hash --brand SLUG\n");
		return 2;
	}
	tp_db *db = db_open(cfg);
	if (db == NULL)
		return 1;
	int rc = 1;
	if (slug != NULL &&
	    (brand_lookup(db, slug, &tenant) != TP_OK || tenant == 0)) {
		fprintf(stderr, "tierportctl: no brand %s\n", slug);
		goto out;
	}
	if (hash) {
		char hex[65];
		if (tp_ledger_hash(db, tenant, hex) != TP_OK) {
			fprintf(stderr, "tierportctl: %s\n", tp_db_error(db));
			goto out;
		}
		printf("%s\n", hex);
		rc = 0;
	} else {
		char err[512];
		tp_rc r = tp_ledger_check(db, tenant, err, sizeof(err));
		if (r == TP_OK) {
			printf("ledger: every transaction balances and every "
			       "balance is its ledger sum\n");
			rc = 0;
		} else {
			fprintf(stderr, "ledger: %s\n", err);
		}
	}
out:
	tp_db_free(db);
	return rc;
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
	tp_clock_init(cfg->clock_file);
	/* the commands that seal or open need it, and say so if it failed */
	tp_i18n_init(cfg->localedir);
	if (tp_keystore_load(cfg->key_file, key_err, sizeof(key_err)) == TP_OK)
		key_err[0] = '\0';
	mysql_library_init(0, NULL, NULL);
	int rc;
	if (strcmp(argv[0], "migrate") == 0) {
		rc = cmd_migrate(cfg, argc, argv);
	} else if (strcmp(argv[0], "check-config") == 0) {
		rc = cmd_check(cfg);
	} else if (strcmp(argv[0], "brand") == 0) {
		rc = cmd_brand(cfg, argc, argv);
	} else if (strcmp(argv[0], "user") == 0) {
		rc = cmd_user(cfg, argc, argv);
	} else if (strcmp(argv[0], "token") == 0) {
		rc = cmd_token(cfg, argc, argv);
	} else if (strcmp(argv[0], "demo") == 0) {
		rc = cmd_demo(cfg, argc, argv);
	} else if (strcmp(argv[0], "gen") == 0) {
		rc = cmd_gen(cfg, argc, argv);
	} else if (strcmp(argv[0], "mail") == 0) {
		rc = cmd_mail(cfg, argc, argv);
	} else if (strcmp(argv[0], "key") == 0) {
		rc = cmd_key(cfg, argc, argv);
	} else if (strcmp(argv[0], "routes") == 0) {
		rc = cmd_routes(cfg);
	} else if (strcmp(argv[0], "events") == 0) {
		rc = tp_ctl_events(cfg, argc, argv);
	} else if (strcmp(argv[0], "ledger") == 0) {
		rc = cmd_ledger(cfg, argc, argv);
	} else if (strcmp(argv[0], "jobs") == 0) {
		rc = tp_ctl_jobs(cfg);
	} else if (strcmp(argv[0], "job") == 0) {
		rc = tp_ctl_job(cfg, argc, argv);
	} else if (strcmp(argv[0], "scheduler") == 0) {
		rc = tp_ctl_scheduler(cfg, argc, argv);
	} else if (strcmp(argv[0], "help") == 0) {
		usage(stdout);
		tp_ctl_help_modules(cfg, stdout);
		rc = 0;
	} else if (strcmp(argv[0], "modules") == 0) {
		rc = cmd_modules(cfg);
	} else {
		bool found;
		rc = tp_ctl_module_command(cfg, argc, argv, &found);
		if (!found) {
			fprintf(stderr, "tierportctl: unknown command %s\n",
			        argv[0]);
			usage(stderr);
		}
	}
	tp_keystore_free();
	tp_config_free(cfg);
	mysql_library_end();
	return rc;
}
