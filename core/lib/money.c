/*
 * money.c -- amounts are int64 ten-thousandths of the currency's unit
 * (DESIGN.md: never a float). Parsing and printing the decimal text form.
 */
#include "config.h"
#include "lib/lib.h"

#include <stdio.h>
#include <string.h>

tp_rc tp_money_parse(const char *s, int64_t *out)
{
	bool neg = false;
	uint64_t whole = 0, frac = 0;
	int fd = 0;

	if (s == NULL || *s == '\0')
		return TP_EINVAL;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!(*s >= '0' && *s <= '9'))
		return TP_EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		whole = whole * 10 + (uint64_t)(*s - '0');
		/* INT64_MAX / 10000, so the scaled value fits */
		if (whole > 922337203685477ULL)
			return TP_EINVAL;
	}
	if (*s == '.') {
		s++;
		if (!(*s >= '0' && *s <= '9'))
			return TP_EINVAL;
		for (; *s >= '0' && *s <= '9'; s++) {
			if (++fd > 4)
				return TP_EINVAL;
			frac = frac * 10 + (uint64_t)(*s - '0');
		}
		for (int i = fd; i < 4; i++)
			frac *= 10;
	}
	if (*s != '\0')
		return TP_EINVAL;
	uint64_t u = whole * 10000 + frac;
	if (u > (uint64_t)INT64_MAX)
		return TP_EINVAL;
	*out = neg ? -(int64_t)u : (int64_t)u;
	return TP_OK;
}

char *tp_money_format(int64_t v, char *buf, size_t len)
{
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	unsigned frac = (unsigned)(a % 10000);
	int digits = 4;

	/* at least 2 decimals, at most 4: 12.50, 0.0001 */
	while (digits > 2 && frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	snprintf(buf, len, "%s%llu.%0*u", v < 0 ? "-" : "",
	         (unsigned long long)(a / 10000), digits, frac);
	return buf;
}
