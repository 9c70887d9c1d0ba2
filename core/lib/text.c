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
		return may_be_empty ? NULL : "is required";
	if (strlen(s) > max)
		return "is too long";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "contains control characters";
	if (!tp_utf8_ok(s))
		return "is not valid UTF-8";
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
