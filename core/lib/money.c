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

/* ISO 4217 minor units that are not 2 (the list changes rarely; a code not
 * here has cents). */
static const struct {
	char code[4];
	int minor;
} minor_units[] = {
    {"BHD", 3}, {"BIF", 0}, {"CLF", 4}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0},
    {"IQD", 3}, {"ISK", 0}, {"JOD", 3}, {"JPY", 0}, {"KMF", 0}, {"KRW", 0},
    {"KWD", 3}, {"LYD", 3}, {"OMR", 3}, {"PYG", 0}, {"RWF", 0}, {"TND", 3},
    {"UGX", 0}, {"UYI", 0}, {"UYW", 4}, {"VND", 0}, {"VUV", 0}, {"XAF", 0},
    {"XOF", 0}, {"XPF", 0},
};

int tp_currency_minor(const char *ccy)
{
	if (ccy != NULL)
		for (size_t i = 0;
		     i < sizeof(minor_units) / sizeof(*minor_units); i++)
			if (strcmp(minor_units[i].code, ccy) == 0)
				return minor_units[i].minor;
	return 2;
}

/* The one rounding of money (DESIGN.md rule 4): to the currency's minor
 * unit, half to even. 1/10000 is the stored precision, so a currency of 4
 * decimals (CLF) is already exact. */
int64_t tp_money_round(int64_t v, const char *ccy)
{
	static const int64_t step[] = {10000, 1000, 100, 10, 1};
	int minor = tp_currency_minor(ccy);
	int64_t s = step[minor < 0 ? 0 : minor > 4 ? 4 : minor];
	if (s == 1)
		return v;
	int64_t q = v / s, rem = v % s; /* rem has v's sign */
	int64_t twice = rem < 0 ? -2 * rem : 2 * rem;
	if (twice > s || (twice == s && (q % 2) != 0))
		q += v < 0 ? -1 : 1;
	return q * s;
}

tp_rc tp_money_parse_ccy(const char *s, const char *ccy, int64_t *out)
{
	int64_t v;
	if (tp_money_parse(s, &v) != TP_OK)
		return TP_EINVAL;
	/* "12.345" is refused in EUR even though it is representable: the
	 * amounts people pay and are credited are in minor units */
	if (tp_money_round(v, ccy) != v)
		return TP_EINVAL;
	*out = v;
	return TP_OK;
}

char *tp_money_format_ccy(int64_t v, const char *ccy, char *buf, size_t len)
{
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int minor = tp_currency_minor(ccy);
	unsigned frac = (unsigned)(a % 10000);
	int digits = 4;

	/* the minor unit's digits, more only where the amount has them (a
	 * rate of 0.0125) */
	while (digits > minor && frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	if (digits == 0)
		snprintf(buf, len, "%s%llu", v < 0 ? "-" : "",
		         (unsigned long long)(a / 10000));
	else
		snprintf(buf, len, "%s%llu.%0*u", v < 0 ? "-" : "",
		         (unsigned long long)(a / 10000), digits, frac);
	return buf;
}

json_object *tp_json_money(int64_t v, const char *ccy)
{
	char buf[32];
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	json_object *o = json_object_new_object();

	/* always the stored precision: minor units would lose sub-cent rates */
	snprintf(buf, sizeof(buf), "%s%llu.%04u", v < 0 ? "-" : "",
	         (unsigned long long)(a / 10000), (unsigned)(a % 10000));
	json_object_object_add(o, "value", json_object_new_string(buf));
	json_object_object_add(o, "currency",
	                       json_object_new_string(ccy != NULL ? ccy : ""));
	return o;
}

tp_rc tp_money_mul_div(int64_t amount, int64_t num, int64_t den,
                       const char *ccy, int64_t *out)
{
	static const int64_t step[] = {10000, 1000, 100, 10, 1};
	int minor = tp_currency_minor(ccy);
	__int128 s = step[minor < 0 ? 0 : minor > 4 ? 4 : minor];

	if (den <= 0)
		return TP_EINVAL;
	/* in minor units times den, so the one rounding sees the exact
	 * remainder: amount * num / (den * s), half to even, times s */
	__int128 n = (__int128)amount * num, d = (__int128)den * s;
	__int128 q = n / d, rem = n % d;
	__int128 twice = rem < 0 ? -2 * rem : 2 * rem;
	if (twice > d || (twice == d && q % 2 != 0))
		q += n < 0 ? -1 : 1;
	q *= s;
	if (q > INT64_MAX || q < -INT64_MAX)
		return TP_EINVAL;
	*out = (int64_t)q;
	return TP_OK;
}

char *tp_money_text(int64_t v, const char *ccy, char *buf, size_t len)
{
	char num[40], loc[64];

	tp_money_format_ccy(v, ccy, num, sizeof(num));
	tp_number_localize(num, loc, sizeof(loc));
	snprintf(buf, len, "%s %s", loc, ccy != NULL ? ccy : "");
	return buf;
}
