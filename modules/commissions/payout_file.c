/*
 * payout_file.c -- the built-in "file" payout provider (payout.h): a
 * payout run is one NACHA-style ACH credit file for the bank and one CSV
 * remittance advice, under [module.commissions] payout_dir (the stack
 * sets it under its var/data; default /var/lib/tierport/payouts), and
 * every payout in it is answered paid with the file's name as reference.
 *
 * The ACH file: 94-character records -- a file header (1), one batch
 * header (5, service class 220: credits only, SEC code PPD), an entry
 * detail (6) per payout, the batch control (8), the file control (9) --
 * padded with records of nines to a multiple of ten (a block). Amounts
 * are cents; the entry hash is the sum of the receiving banks' eight-digit
 * routing prefixes, its last ten digits. The originator's numbers come
 * from the config (ach_company_id, ach_odfi, ach_destination, ach_origin
 * name; zeros and the brand's name by default).
 *
 * A key is paid once: one already in the books (commission_payout_books)
 * is answered from them and left out of the file. The files are written
 * as NAME.tmp, the keys booked (one statement), then renamed: a crash in
 * between leaves a .tmp file whose payouts the books call paid, for the
 * operator to send -- never a payout in two files.
 */
#include "payout.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define REC 94

static char po_dir[1024] = "/var/lib/tierport/payouts";
static char po_company[11] = "0000000000"; /* company identification */
static char po_odfi[9] = "00000000";       /* our bank's routing prefix */
static char po_dest[10] = "000000000";     /* the bank the file goes to */
static char po_origin[24] = "";            /* origin name (the brand's) */

static void copy_cfg(tp_core *core, const char *key, char *out, size_t cap)
{
	const char *v = tp_core_config(core, "commissions", key);
	if (v != NULL && *v != '\0')
		snprintf(out, cap, "%s", v);
}

tp_rc cms_payout_init(tp_core *core)
{
	copy_cfg(core, "payout_dir", po_dir, sizeof(po_dir));
	copy_cfg(core, "ach_company_id", po_company, sizeof(po_company));
	copy_cfg(core, "ach_odfi", po_odfi, sizeof(po_odfi));
	copy_cfg(core, "ach_destination", po_dest, sizeof(po_dest));
	copy_cfg(core, "ach_origin", po_origin, sizeof(po_origin));
	return TP_OK;
}

const char *cms_payout_dir(void)
{
	return po_dir;
}

/* a record being built: fields appended left to right */
struct rec {
	char s[REC + 2];
	size_t n;
};

/* alphanumeric: left-justified, upper case, space-filled, cut to w; only
 * printable ASCII (a name's accents become spaces) */
static void put_a(struct rec *r, size_t w, const char *v)
{
	size_t i = 0;
	for (; v != NULL && v[i] != '\0' && i < w; i++) {
		unsigned char c = (unsigned char)v[i];
		r->s[r->n + i] = c >= 32 && c < 127 ? (char)toupper(c) : ' ';
	}
	for (; i < w; i++)
		r->s[r->n + i] = ' ';
	r->n += w;
}

/* numeric: right-justified, zero-filled, its last w digits */
static void put_n(struct rec *r, size_t w, uint64_t v)
{
	for (size_t i = w; i > 0; i--) {
		r->s[r->n + i - 1] = (char)('0' + v % 10);
		v /= 10;
	}
	r->n += w;
}

static tp_rc rec_out(FILE *f, struct rec *r)
{
	if (r->n != REC) {
		tp_log(TP_LOG_ERR, "CMS0201", "an ACH record of %zu characters",
		       r->n);
		return TP_EINVAL;
	}
	r->s[REC] = '\n';
	r->n = 0;
	return fwrite(r->s, 1, REC + 1, f) == REC + 1 ? TP_OK : TP_EINTERNAL;
}

static uint64_t digits_of(const char *s, size_t max)
{
	uint64_t v = 0;
	for (size_t i = 0; s != NULL && s[i] && i < max; i++)
		if (isdigit((unsigned char)s[i]))
			v = v * 10 + (uint64_t)(s[i] - '0');
	return v;
}

/* `mkdir -p` */
static int make_dir(const char *path)
{
	char p[1024];
	snprintf(p, sizeof(p), "%s", path);
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, 0700) != 0 && errno != EEXIST)
				return -1;
			*s = '/';
		}
	return mkdir(p, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/* the ACH file of the n payouts in p (all in cents) */
static tp_rc write_ach(FILE *f, const char *origin,
                       const struct cms_payout *const *p, size_t n)
{
	struct rec r = {.n = 0};
	time_t now = (time_t)tp_now();
	struct tm tm;
	char ymd[16], hm[8];
	gmtime_r(&now, &tm);
	/* YYMMDD: the format's own two-digit year */
	snprintf(ymd, sizeof(ymd), "%02d%02d%02d", tm.tm_year % 100,
	         tm.tm_mon + 1, tm.tm_mday);
	snprintf(hm, sizeof(hm), "%02d%02d", tm.tm_hour, tm.tm_min);
	uint64_t hash = 0, total = 0, odfi = digits_of(po_odfi, 8);
	tp_rc rc;

	/* 1: file header */
	put_a(&r, 1, "1");
	put_a(&r, 2, "01");
	put_a(&r, 1, " ");
	put_n(&r, 9, digits_of(po_dest, 9));
	put_a(&r, 10, po_company);
	put_a(&r, 6, ymd);
	put_a(&r, 4, hm);
	put_a(&r, 1, "A");
	put_a(&r, 3, "094");
	put_a(&r, 2, "10");
	put_a(&r, 1, "1");
	put_a(&r, 23, "");
	put_a(&r, 23, origin);
	put_a(&r, 8, "");
	if ((rc = rec_out(f, &r)) != TP_OK)
		return rc;
	/* 5: the batch header */
	put_a(&r, 1, "5");
	put_a(&r, 3, "220");
	put_a(&r, 16, origin);
	put_a(&r, 20, "");
	put_a(&r, 10, po_company);
	put_a(&r, 3, "PPD");
	put_a(&r, 10, "COMMISSION");
	put_a(&r, 6, ymd);
	put_a(&r, 6, ymd);
	put_a(&r, 3, "");
	put_a(&r, 1, "1");
	put_n(&r, 8, odfi);
	put_n(&r, 7, 1);
	if ((rc = rec_out(f, &r)) != TP_OK)
		return rc;
	/* 6: an entry per payout */
	for (size_t i = 0; i < n; i++) {
		uint64_t dfi = digits_of(p[i]->routing, 8),
		         cents = (uint64_t)p[i]->amount / 100;
		hash += dfi;
		total += cents;
		put_a(&r, 1, "6");
		put_a(&r, 2,
		      strcmp(p[i]->account_type, "savings") == 0 ? "32" : "22");
		put_n(&r, 8, dfi);
		put_a(&r, 1, p[i]->routing + 8);
		put_a(&r, 17, p[i]->account_number);
		put_n(&r, 10, cents);
		put_a(&r, 15, p[i]->number);
		put_a(&r, 22, p[i]->holder);
		put_a(&r, 2, "");
		put_a(&r, 1, "0");
		put_n(&r, 8, odfi);
		put_n(&r, 7, i + 1);
		if ((rc = rec_out(f, &r)) != TP_OK)
			return rc;
	}
	/* 8: the batch control */
	put_a(&r, 1, "8");
	put_a(&r, 3, "220");
	put_n(&r, 6, n);
	put_n(&r, 10, hash);
	put_n(&r, 12, 0);
	put_n(&r, 12, total);
	put_a(&r, 10, po_company);
	put_a(&r, 19, "");
	put_a(&r, 6, "");
	put_n(&r, 8, odfi);
	put_n(&r, 7, 1);
	if ((rc = rec_out(f, &r)) != TP_OK)
		return rc;
	/* 9: the file control; blocks of ten records */
	size_t recs = n + 4, blocks = (recs + 9) / 10;
	put_a(&r, 1, "9");
	put_n(&r, 6, 1);
	put_n(&r, 6, blocks);
	put_n(&r, 8, n);
	put_n(&r, 10, hash);
	put_n(&r, 12, 0);
	put_n(&r, 12, total);
	put_a(&r, 39, "");
	if ((rc = rec_out(f, &r)) != TP_OK)
		return rc;
	for (; recs < blocks * 10; recs++) {
		memset(r.s, '9', REC);
		r.n = REC;
		if ((rc = rec_out(f, &r)) != TP_OK)
			return rc;
	}
	return TP_OK;
}

/* a CSV field: quoted, quotes doubled */
static void csv_field(FILE *f, const char *s, const char *sep)
{
	fputc('"', f);
	for (; s != NULL && *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
	fputs(sep, f);
}

static tp_rc write_csv(FILE *f, const char *ref,
                       const struct cms_payout *const *p, size_t n)
{
	char amt[32];
	fputs("partner,partner_id,disbursement,lines,amount,currency,"
	      "reference\n",
	      f);
	for (size_t i = 0; i < n; i++) {
		csv_field(f, p[i]->partner_name, ",");
		fprintf(f, "%llu,", (unsigned long long)p[i]->partner_id);
		csv_field(f, p[i]->number, ",");
		fprintf(f, "%lld,%s,%s,", (long long)p[i]->lines,
		        tp_money_format_ccy(p[i]->amount, p[i]->ccy, amt,
		                            sizeof(amt)),
		        p[i]->ccy);
		csv_field(f, ref, "\n");
	}
	return ferror(f) ? TP_EINTERNAL : TP_OK;
}

static tp_rc pof_run(tp_req *r, const char *run, const struct cms_payout *p,
                     size_t n, struct cms_po_answer *a)
{
	const struct cms_payout **todo = tp_calloc(r, (n + 1) * sizeof(*todo));
	size_t m = 0;
	tp_rc rc = TP_OK;

	for (size_t i = 0; i < n; i++) {
		rc = cms_po_books_get(r, "file", p[i].key, &a[i]);
		if (rc == TP_ENOENT) {
			memset(&a[i], 0, sizeof(a[i]));
			/* an ACH file is in cents */
			if (tp_currency_minor(p[i].ccy) != 2) {
				a[i].result = CMS_PO_FAILED;
				snprintf(a[i].reason, sizeof(a[i].reason),
				         "the file provider pays currencies "
				         "of two decimals only, not %s",
				         p[i].ccy);
				if ((rc = cms_po_books_put(r, "file", &p[i],
				                           &a[i])) != TP_OK)
					return rc;
				continue;
			}
			todo[m++] = &p[i];
			a[i].result = CMS_PO_UNKNOWN;
			rc = TP_OK;
		} else if (rc != TP_OK) {
			return rc;
		}
	}
	if (m == 0)
		return TP_OK;

	tp_brand_info b;
	tp_brand_get(r, &b);
	const char *slug = b.slug
	                       ? b.slug
	                       : tp_printf(r, "brand%llu",
	                                   (unsigned long long)tp_tenant_id(r));
	const char *origin =
	    po_origin[0] ? po_origin : (b.name ? b.name : slug);
	const char *base = tp_printf(r, "%s-%s", slug, run);
	const char *ach = tp_printf(r, "%s/%s.ach", po_dir, base),
	           *csv = tp_printf(r, "%s/%s.csv", po_dir, base),
	           *ach_tmp = tp_printf(r, "%s.tmp", ach),
	           *csv_tmp = tp_printf(r, "%s.tmp", csv),
	           *ref = tp_printf(r, "%s.ach", base);
	if (make_dir(po_dir) != 0) {
		tp_log(TP_LOG_ERR, "CMS0202", "payout_dir %s: %s", po_dir,
		       strerror(errno));
		return TP_EINTERNAL;
	}
	FILE *fa = fopen(ach_tmp, "wx"), *fc = fopen(csv_tmp, "wx");
	if (fa == NULL || fc == NULL) {
		tp_log(TP_LOG_ERR, "CMS0203", "payout file %s: %s", ach_tmp,
		       strerror(errno));
		rc = TP_EINTERNAL;
	}
	if (rc == TP_OK)
		rc = write_ach(fa, origin, todo, m);
	if (rc == TP_OK)
		rc = write_csv(fc, ref, todo, m);
	if (fa != NULL && (fflush(fa) != 0 || fsync(fileno(fa)) != 0))
		rc = TP_EINTERNAL;
	if (fc != NULL && fflush(fc) != 0)
		rc = TP_EINTERNAL;
	if (fa != NULL)
		fclose(fa);
	if (fc != NULL)
		fclose(fc);
	/* booked paid together (their own transaction: ours are never open
	 * here), then the file is the bank's to take */
	if (rc == TP_OK)
		rc = tp_db_begin(tp_req_db(r));
	for (size_t i = 0; rc == TP_OK && i < n; i++) {
		if (a[i].result != CMS_PO_UNKNOWN)
			continue;
		a[i].result = CMS_PO_PAID;
		snprintf(a[i].reference, sizeof(a[i].reference), "%s", ref);
		rc = cms_po_books_put(r, "file", &p[i], &a[i]);
	}
	if (rc == TP_OK)
		rc = tp_db_commit(tp_req_db(r));
	if (rc != TP_OK) {
		/* nothing booked, no file: nothing was paid */
		tp_db_rollback(tp_req_db(r));
		unlink(ach_tmp);
		unlink(csv_tmp);
		for (size_t i = 0; i < n; i++)
			if (a[i].result == CMS_PO_UNKNOWN ||
			    (a[i].result == CMS_PO_PAID &&
			     strcmp(a[i].reference, ref) == 0)) {
				a[i].result = CMS_PO_FAILED;
				a[i].reference[0] = '\0';
				snprintf(
				    a[i].reason, sizeof(a[i].reason),
				    "the payout file could not be written");
			}
		return TP_OK;
	}
	if (rename(ach_tmp, ach) != 0 || rename(csv_tmp, csv) != 0)
		tp_log(TP_LOG_ERR, "CMS0204",
		       "payout file %s: %s (booked paid: send the .tmp file)",
		       ach, strerror(errno));
	return TP_OK;
}

static tp_rc pof_send(tp_req *r, const struct cms_payout *p,
                      struct cms_po_answer *a)
{
	return pof_run(r, p->number, p, 1, a);
}

static tp_rc pof_lookup(tp_req *r, const char *key, struct cms_po_answer *a)
{
	tp_rc rc = cms_po_books_get(r, "file", key, a);
	return rc == TP_ENOENT ? TP_OK : rc;
}

const struct cms_payout_provider cms_po_file = {.name = "file",
                                                .send = pof_send,
                                                .send_run = pof_run,
                                                .lookup = pof_lookup};
