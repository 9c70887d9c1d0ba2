/*
 * text.c -- the checks of text a user sends, one each (UTF-8, printable
 * one-line text, currency code, account number, module name, e-mail, phone
 * number) and splitting a comma list. No request, no DB: a handler, an
 * import or tierportctl use the same check.
 */
#include "config.h"
#include "lib/lib.h"

#include <stdlib.h>
#include <string.h>

/* Well-formed UTF-8 (no overlongs, no surrogates): MariaDB in strict mode
 * would refuse anything else with a database error instead of a message. */
bool tp_utf8_ok(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s != '\0') {
		unsigned char c = *s;
		size_t n;
		unsigned cp;
		if (c < 0x80) {
			s++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		for (size_t i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if ((n == 2 &&
		     (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return false;
		s += n + 1;
	}
	return true;
}

/* Printable text of 1..max bytes (empty allowed with may_be_empty). */
const char *tp_text_bad(const char *s, size_t max, bool may_be_empty)
{
	if (s == NULL || *s == '\0')
		return may_be_empty ? NULL : _("is required");
	if (strlen(s) > max)
		return _("is too long");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return _("contains control characters");
	if (!tp_utf8_ok(s))
		return _("is not valid UTF-8");
	return NULL;
}

bool tp_module_name_ok(const char *s)
{
	if (s == NULL || !(*s >= 'a' && *s <= 'z') || strlen(s) > 32)
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return true;
}

bool tp_currency_ok(const char *s)
{
	return s != NULL && strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' &&
	       s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z';
}

/* Account numbers are customer logins: [A-Za-z0-9._-], 1..32 */
bool tp_account_number_ok(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 32)
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
		      *s == '-'))
			return false;
	return true;
}

bool tp_email_ok(const char *s)
{
	if (*s == '\0')
		return true;
	const char *at = strchr(s, '@');
	if (at == NULL || at == s || strchr(at + 1, '@') != NULL ||
	    strchr(at + 1, '.') == NULL || strlen(s) > 255)
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' ||
		    *p == '"' || *p == ',')
			return false;
	return true;
}

bool tp_phone_ok(const char *s)
{
	if (strlen(s) > 32)
		return false;
	for (const char *p = s; *p; p++)
		if (!strchr("0123456789 +-().", *p))
			return false;
	return true;
}

char **tp_split_list(const char *s)
{
	size_t n = 1;
	for (const char *p = s ? s : ""; *p; p++)
		n += *p == ',';
	char **v = calloc(n + 1, sizeof(*v));
	size_t i = 0;
	if (s != NULL && *s != '\0') {
		const char *p = s;
		for (;;) {
			const char *e = strchr(p, ',');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			v[i++] = strndup(p, len);
			if (e == NULL)
				break;
			p = e + 1;
		}
	}
	v[i] = NULL;
	return v;
}

/* ---- the module API's checks (tierport.h): a message or NULL ---- */

const char *tp_check_text(const char *s, size_t max, int may_be_empty)
{
	return tp_text_bad(s, max, may_be_empty != 0);
}

const char *tp_check_email(const char *s)
{
	return s == NULL || tp_email_ok(s)
	           ? NULL
	           : _("is not an e-mail address such as name@example.com");
}

const char *tp_check_phone(const char *s)
{
	return s == NULL || tp_phone_ok(s)
	           ? NULL
	           : _("is not a phone number (digits, spaces and + - ( ) .)");
}

const char *tp_check_currency(const char *s)
{
	return tp_currency_ok(s)
	           ? NULL
	           : _("is not a currency code such as EUR or USD");
}

/* YYYY-MM-DD of a day that exists, years 1900..2999 */
const char *tp_check_date(const char *s, int *yp, int *mp, int *dp)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};
	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return _("is not a date as YYYY-MM-DD");
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !(s[i] >= '0' && s[i] <= '9'))
			return _("is not a date as YYYY-MM-DD");
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	        (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
		return _("is not a day of the calendar");
	if (yp != NULL)
		*yp = y;
	if (mp != NULL)
		*mp = m;
	if (dp != NULL)
		*dp = d;
	return NULL;
}

tp_rc tp_parse_i64(const char *s, int64_t *out)
{
	bool neg = false;
	/* the magnitude is built unsigned so INT64_MIN fits */
	uint64_t v = 0, max = (uint64_t)INT64_MAX;

	if (s == NULL || out == NULL)
		return TP_EINVAL;
	if (*s == '-') {
		neg = true;
		max = (uint64_t)INT64_MAX + 1;
		s++;
	}
	if (*s == '\0')
		return TP_EINVAL;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return TP_EINVAL;
		unsigned d = (unsigned)(*s - '0');
		if (v > (max - d) / 10)
			return TP_EINVAL;
		v = v * 10 + d;
	}
	if (neg)
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return TP_OK;
}
