/*
 * i18n.c -- languages, message catalogs, number separators and time zones.
 *
 * Messages are GNU gettext's: msgids are the English text, catalogs are .po
 * files compiled to tierport.mo (po/, modules/NAME/po/; `make update-po`),
 * looked up by glibc's dgettext. A language is a glibc locale, made once per
 * process with newlocale() and put on the thread for each request with
 * uselocale() (tp_i18n_use): dgettext and nl_langinfo_l read the thread's
 * locale, so threads serving different languages never touch process-wide
 * state. English is the source text under "C.UTF-8": no catalog, '.' as the
 * decimal point and no grouping (the form every English page always had).
 * A language whose locale the host has not generated falls back to English
 * with one log line (TP1701): docs/operations.md says which locales to make.
 *
 * Time zones are ICU's (ucal): glibc has one process-wide TZ, and a request
 * shows times in its viewer's zone. Stored times are UTC; a zone only
 * changes how a time is shown (tp_tz_offset).
 */
#include "config.h"
#include "lib/lib.h"

#include <errno.h>
#include <langinfo.h>
#include <libintl.h>
#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucal.h>
#include <unicode/uenum.h>
#include <unicode/ustring.h>

/* The languages tierport ships catalogs for: code (users.language,
 * tenants.language), the glibc locale, the name in the language itself. */
static const struct {
	const char *code, *locale, *name;
} langs[] = {
    {"en", "C.UTF-8", "English"},
    {"de", "de_DE.UTF-8", "Deutsch"},
};
#define NLANGS (sizeof(langs) / sizeof(langs[0]))

static struct {
	locale_t loc[NLANGS];
	char radix[NLANGS][8], group[NLANGS][8];
	bool ready;
	/* extra text domains modules bound (tp_i18n_bind) */
	const char *domains[16];
	size_t ndomains;
	pthread_mutex_t mu;
} i18n = {.mu = PTHREAD_MUTEX_INITIALIZER};

static __thread int cur_lang;

static void copy_sep(char *dst, const char *src)
{
	/* a separator is at most a few bytes of UTF-8 (U+202F in fr) */
	snprintf(dst, 8, "%s", src != NULL ? src : "");
}

void tp_i18n_init(const char *localedir)
{
	pthread_mutex_lock(&i18n.mu);
	if (i18n.ready) {
		pthread_mutex_unlock(&i18n.mu);
		return;
	}
	bindtextdomain(TP_TEXTDOMAIN, localedir != NULL && localedir[0] != '\0'
	                                  ? localedir
	                                  : TP_LOCALEDIR);
	bind_textdomain_codeset(TP_TEXTDOMAIN, "UTF-8");
	for (size_t i = 0; i < NLANGS; i++) {
		locale_t l = newlocale(LC_MESSAGES_MASK | LC_NUMERIC_MASK |
		                           LC_TIME_MASK | LC_CTYPE_MASK,
		                       langs[i].locale, (locale_t)0);
		if (l == (locale_t)0 && i > 0)
			tp_log(TP_LOG_WARN, "TP1701",
			       "language %s: the locale %s is not made on this "
			       "host (locale-gen): its pages are in English",
			       langs[i].code, langs[i].locale);
		if (l == (locale_t)0)
			l = newlocale(LC_ALL_MASK, "C", (locale_t)0);
		i18n.loc[i] = l;
		copy_sep(i18n.radix[i],
		         i > 0 ? nl_langinfo_l(RADIXCHAR, l) : ".");
		copy_sep(i18n.group[i], i > 0 ? nl_langinfo_l(THOUSEP, l) : "");
		if (i18n.radix[i][0] == '\0')
			copy_sep(i18n.radix[i], ".");
	}
	i18n.ready = true;
	pthread_mutex_unlock(&i18n.mu);
}

void tp_i18n_bind(const char *domain, const char *localedir)
{
	if (domain == NULL || strcmp(domain, TP_TEXTDOMAIN) == 0)
		return;
	pthread_mutex_lock(&i18n.mu);
	bindtextdomain(domain, localedir != NULL ? localedir : TP_LOCALEDIR);
	bind_textdomain_codeset(domain, "UTF-8");
	if (i18n.ndomains < sizeof(i18n.domains) / sizeof(i18n.domains[0]))
		i18n.domains[i18n.ndomains++] = strdup(domain);
	pthread_mutex_unlock(&i18n.mu);
}

size_t tp_lang_count(void)
{
	return NLANGS;
}

const char *tp_lang_code(size_t i)
{
	return i < NLANGS ? langs[i].code : NULL;
}

const char *tp_lang_name(size_t i)
{
	return i < NLANGS ? langs[i].name : NULL;
}

int tp_lang_find(const char *code)
{
	if (code == NULL)
		return -1;
	for (size_t i = 0; i < NLANGS; i++)
		if (strcmp(langs[i].code, code) == 0)
			return (int)i;
	return -1;
}

void tp_i18n_use(int lang)
{
	if (lang < 0 || (size_t)lang >= NLANGS || !i18n.ready)
		lang = 0;
	cur_lang = lang;
	uselocale(lang == 0 || !i18n.ready ? LC_GLOBAL_LOCALE : i18n.loc[lang]);
}

int tp_i18n_current(void)
{
	return cur_lang;
}

const char *tp_i18n_code(void)
{
	return langs[cur_lang].code;
}

const char *tp_gettext(const char *domain, const char *msgid)
{
	if (msgid == NULL || msgid[0] == '\0' || cur_lang == 0)
		return msgid;
	return dgettext(domain, msgid);
}

const char *tp_tr(const char *msgid)
{
	if (msgid == NULL || msgid[0] == '\0' || cur_lang == 0)
		return msgid;
	const char *t = dgettext(TP_TEXTDOMAIN, msgid);
	for (size_t i = 0; t == msgid && i < i18n.ndomains; i++)
		t = dgettext(i18n.domains[i], msgid);
	return t;
}

const char *tp_i18n_radix(void)
{
	return i18n.ready ? i18n.radix[cur_lang] : ".";
}

const char *tp_i18n_group(void)
{
	return i18n.ready ? i18n.group[cur_lang] : "";
}

char *tp_number_localize(const char *num, char *buf, size_t len)
{
	const char *radix = tp_i18n_radix(), *group = tp_i18n_group();
	size_t o = 0, glen = strlen(group), rlen = strlen(radix);
	const char *p = num, *dot = strchr(num, '.');
	size_t intlen = dot != NULL ? (size_t)(dot - num) : strlen(num);

	if (len == 0)
		return buf;
#define PUT(s, n)                                                              \
	do {                                                                   \
		if (o + (n) >= len)                                            \
			goto full;                                             \
		memcpy(buf + o, (s), (n));                                     \
		o += (n);                                                      \
	} while (0)
	if (*p == '-' || *p == '+') {
		PUT(p, 1);
		p++;
		intlen--;
	}
	for (size_t i = 0; i < intlen; i++) {
		if (glen > 0 && i > 0 && (intlen - i) % 3 == 0)
			PUT(group, glen);
		PUT(p + i, 1);
	}
	if (dot != NULL) {
		PUT(radix, rlen);
		PUT(dot + 1, strlen(dot + 1));
	}
#undef PUT
	buf[o] = '\0';
	return buf;
full:
	snprintf(buf, len, "%s", num);
	return buf;
}

/* ---- time zones (ICU) ---- */

/* This thread's calendar for the zone it used last: most requests of a
 * thread show times in one zone. */
static __thread UCalendar *tz_cal;
static __thread char tz_name[64];

static void tz_cal_free(void)
{
	if (tz_cal != NULL)
		ucal_close(tz_cal);
	tz_cal = NULL;
	tz_name[0] = '\0';
}

static bool to_uchars(const char *s, UChar *out, int32_t cap)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t n;
	u_strFromUTF8(out, cap, &n, s, -1, &st);
	return U_SUCCESS(st) && n < cap;
}

int tp_tz_valid(const char *zone)
{
	UChar z[64], canon[64];
	UBool sys = false;
	UErrorCode st = U_ZERO_ERROR;

	if (zone == NULL || zone[0] == '\0' || strlen(zone) >= 64 ||
	    !to_uchars(zone, z, 64))
		return false;
	ucal_getCanonicalTimeZoneID(z, -1, canon, 64, &sys, &st);
	return U_SUCCESS(st) && sys;
}

tp_rc tp_tz_offset(const char *zone, int64_t unix_s, int *offset_s)
{
	UErrorCode st = U_ZERO_ERROR;

	*offset_s = 0;
	if (zone == NULL || zone[0] == '\0' || strcmp(zone, "UTC") == 0)
		return TP_OK;
	if (tz_cal == NULL || strcmp(tz_name, zone) != 0) {
		UChar z[64];
		tz_cal_free();
		if (!tp_tz_valid(zone) || !to_uchars(zone, z, 64))
			return TP_EINVAL;
		tz_cal = ucal_open(z, -1, "en", UCAL_GREGORIAN, &st);
		if (U_FAILURE(st)) {
			tz_cal = NULL;
			return TP_EINVAL;
		}
		snprintf(tz_name, sizeof(tz_name), "%s", zone);
	}
	ucal_setMillis(tz_cal, (UDate)unix_s * 1000.0, &st);
	int32_t off = ucal_get(tz_cal, UCAL_ZONE_OFFSET, &st) +
	              ucal_get(tz_cal, UCAL_DST_OFFSET, &st);
	if (U_FAILURE(st))
		return TP_EINVAL;
	*offset_s = off / 1000;
	return TP_OK;
}

void tp_i18n_thread_done(void)
{
	tz_cal_free();
	uselocale(LC_GLOBAL_LOCALE);
	cur_lang = 0;
}

tp_rc tp_tz_each(void (*fn)(void *ud, const char *zone), void *ud)
{
	UErrorCode st = U_ZERO_ERROR;
	UEnumeration *e = ucal_openTimeZoneIDEnumeration(
	    UCAL_ZONE_TYPE_CANONICAL_LOCATION, NULL, NULL, &st);
	if (U_FAILURE(st))
		return TP_EINTERNAL;
	fn(ud, "UTC");
	const char *z;
	int32_t n;
	while ((z = uenum_next(e, &n, &st)) != NULL && U_SUCCESS(st))
		fn(ud, z);
	uenum_close(e);
	return U_SUCCESS(st) ? TP_OK : TP_EINTERNAL;
}
