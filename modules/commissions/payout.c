/*
 * payout.c -- disbursements (operators): a partner's approved lines paid
 * in one payment through the brand's payout provider (payout.h), payout
 * runs (one disbursement per partner over the minimum), the job and
 * command that ask a provider again about a lost answer, and the
 * operator's payouts page.
 *
 * A disbursement is made in one transaction (its lines locked and joined
 * to it, its number taken, status 'sending') and committed BEFORE the
 * provider is called, outside any transaction, with the disbursement's
 * idem_key; a second transaction writes the answer: paid -> the lines
 * 'paid', Dr partner.payable / Cr cash, commission.paid; failed -> the
 * lines leave it (still approved) and the partner's request it paid, if
 * any, is open again with the failure as its reason; unknown -> it stays, and
 * the job or `tierportctl commissions payouts` asks the provider (lookup) --
 * never sends again. A line in a disbursement is in no other: paying it twice
 * is refused (409 naming `lines`).
 */
#include "payout.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct cms_payout_provider *cms_payout_provider(const char *name)
{
	if (name != NULL && strcmp(name, "file") == 0)
		return &cms_po_file;
	if (name != NULL && strcmp(name, "test") == 0)
		return &cms_po_test;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* the built-in providers' books                                        */

tp_rc cms_po_books_get(tp_req *r, const char *provider, const char *key,
                       struct cms_po_answer *a)
{
	tp_rows *rs;
	memset(a, 0, sizeof(*a));
	a->result = CMS_PO_FAILED;
	snprintf(a->reason, sizeof(a->reason),
	         "the payout never reached the provider");
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT result, reference, reason FROM "
	                       "commission_payout_books WHERE tenant_id = ? "
	                       "AND provider = ? AND idem_key = ?",
	                       "Iss", (int64_t)tp_tenant_id(r), provider, key);
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return TP_ENOENT;
	a->result = strcmp(tp_rows_get(rs, 0, 0), "paid") == 0 ? CMS_PO_PAID
	                                                       : CMS_PO_FAILED;
	snprintf(a->reference, sizeof(a->reference), "%s",
	         tp_rows_get(rs, 0, 1));
	snprintf(a->reason, sizeof(a->reason), "%s", tp_rows_get(rs, 0, 2));
	return TP_OK;
}

tp_rc cms_po_books_put(tp_req *r, const char *provider,
                       const struct cms_payout *p,
                       const struct cms_po_answer *a)
{
	/* ON DUPLICATE: asked twice, the first answer stands */
	return tp_db_exec_idem(
	    tp_req_db(r), NULL,
	    "INSERT INTO commission_payout_books (tenant_id, provider, "
	    "idem_key, result, reference, reason, amount, currency) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE idem_key = "
	    "idem_key",
	    "IsssssIs", (int64_t)tp_tenant_id(r), provider, p->key,
	    a->result == CMS_PO_FAILED ? "failed" : "paid", a->reference,
	    a->result == CMS_PO_FAILED ? a->reason : "", p->amount, p->ccy);
}

/* ------------------------------------------------------------------ */
/* making a disbursement                                                */

const char *cms_disb_key(tp_req *r, const char *prefix, const char *key,
                         uint64_t n)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	crypto_hash_sha256(h, (const unsigned char *)(key ? key : ""),
	                   key ? strlen(key) : 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	/* the ledger's key adds "cms.paid:": within its 128 characters */
	return n > 0 ? tp_printf(r, "%s:%s:%llu", prefix, hex,
	                         (unsigned long long)n)
	             : tp_printf(r, "%s:%s", prefix, hex);
}

static tp_rc next_number(tp_req *r, const char **number)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	/* the brand's counter row, locked until the caller commits: the
	 * numbers have no gaps, a rollback gives the number back */
	tp_rc rc = tp_db_exec(db, NULL,
	                      "INSERT INTO commission_disbursement_numbers "
	                      "(tenant_id) VALUES (?) ON DUPLICATE KEY UPDATE "
	                      "tenant_id = tenant_id",
	                      "I", (int64_t)tp_tenant_id(r));
	if (rc == TP_OK)
		rc = tp_db_query(db, r, &rs,
		                 "SELECT next_seq FROM "
		                 "commission_disbursement_numbers WHERE "
		                 "tenant_id = ? FOR UPDATE",
		                 "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	int64_t seq = tp_rows_i64(rs, 0, 0);
	*number = tp_printf(r, "D-%06lld", (long long)seq);
	return tp_db_exec(db, NULL,
	                  "UPDATE commission_disbursement_numbers SET next_seq "
	                  "= next_seq + 1 WHERE tenant_id = ?",
	                  "I", (int64_t)tp_tenant_id(r));
}

/* the lines asked for by id: the partner's, approved, in no disbursement
 * (locked); their sum in *sum */
static tp_rc chosen_lines(tp_req *r, const struct cms_disb_in *in,
                          const char *ccy, int64_t *sum)
{
	tp_db *db = tp_req_db(r);
	*sum = 0;
	for (size_t i = 0; i < in->n; i++) {
		tp_rows *rs;
		tp_rc rc = tp_db_query(
		    db, r, &rs,
		    "SELECT l.status, l.partner_id, l.amount, l.currency, "
		    "IFNULL(d.number, '') FROM commission_lines l LEFT JOIN "
		    "commission_disbursements d ON d.id = l.disbursement_id "
		    "WHERE l.id = ? AND l.tenant_id = ? FOR UPDATE",
		    "II", in->lines[i], (int64_t)tp_tenant_id(r));
		if (rc != TP_OK)
			return rc;
		if (tp_rows_count(rs) == 0 ||
		    (uint64_t)tp_rows_i64(rs, 0, 1) != in->partner)
			return tp_fail(
			    r, TP_ENOENT, "lines",
			    _("Line %lld is no line of this partner"),
			    (long long)in->lines[i]);
		const char *st = tp_rows_get(rs, 0, 0),
		           *d = tp_rows_get(rs, 0, 4);
		if (strcmp(st, "paid") == 0 || *d != '\0')
			return tp_fail(
			    r, TP_ECONFLICT, "lines",
			    _("Line %lld is %s already (disbursement "
			      "%s): a line is paid once"),
			    (long long)in->lines[i],
			    strcmp(st, "paid") == 0 ? "paid"
			                            : "in a disbursement",
			    *d ? d : "-");
		if (strcmp(st, "approved") != 0)
			return tp_fail(r, TP_EINVAL, "lines",
			               _("Line %lld is %s: only approved lines "
			                 "are paid"),
			               (long long)in->lines[i], st);
		if (strcmp(tp_rows_get(rs, 0, 3), ccy) != 0)
			return tp_fail(
			    r, TP_EINVAL, "lines",
			    _("Line %lld is in %s, not the partner's %s"),
			    (long long)in->lines[i], tp_rows_get(rs, 0, 3),
			    ccy);
		for (size_t j = 0; j < i; j++)
			if (in->lines[j] == in->lines[i])
				return tp_fail(r, TP_EINVAL, "lines",
				               _("Line %lld is given twice"),
				               (long long)in->lines[i]);
		*sum += tp_rows_i64(rs, 0, 2);
	}
	return TP_OK;
}

tp_rc cms_disb_make(tp_req *r, const struct cms_disb_in *in, uint64_t *id)
{
	tp_db *db = tp_req_db(r);
	struct cms_settings set;
	tp_rows *rs;
	int64_t sum = 0, count = 0;
	uint64_t details = 0;
	bool bank = strcmp(in->destination, "bank") == 0;
	char a1[32], a2[32];
	tp_rc rc = cms_settings_load(r, &set);
	if (rc != TP_OK)
		return rc;
	/* the partner row first: one maker of its disbursements at a time */
	if ((rc = tp_db_query(db, r, &rs,
	                      "SELECT name, currency FROM partners WHERE id = "
	                      "? AND tenant_id = ? FOR UPDATE",
	                      "II", (int64_t)in->partner,
	                      (int64_t)tp_tenant_id(r))) != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, "partner", _("no such partner"));
	const char *name = tp_rows_get(rs, 0, 0), *ccy = tp_rows_get(rs, 0, 1);
	if (in->n > 0) {
		rc = chosen_lines(r, in, ccy, &sum);
		count = (int64_t)in->n;
	} else {
		/* every approved line in no disbursement, clawbacks netted */
		rc = tp_db_query(
		    db, r, &rs,
		    "SELECT amount FROM commission_lines WHERE "
		    "tenant_id = ? AND partner_id = ? AND status = "
		    "'approved' AND disbursement_id IS NULL AND "
		    "currency = ? FOR UPDATE",
		    "IIs", (int64_t)tp_tenant_id(r), (int64_t)in->partner, ccy);
		count = rc == TP_OK ? (int64_t)tp_rows_count(rs) : 0;
		for (int64_t i = 0; i < count; i++)
			sum += tp_rows_i64(rs, (size_t)i, 0);
	}
	if (rc != TP_OK)
		return rc;
	if (count == 0)
		return tp_fail(r, TP_EINVAL, "partner",
		               _("%s has no approved commission to pay"), name);
	if (sum <= 0)
		return tp_fail(
		    r, TP_EINVAL, "partner",
		    _("%s's approved commission nets to %s %s: nothing "
		      "to pay"),
		    name, tp_money_format_ccy(sum, ccy, a1, sizeof(a1)), ccy);
	if (bank && sum < set.min_payout)
		return tp_fail(
		    r, TP_EINVAL, "partner",
		    _("%s's approved commission is %s %s, below the "
		      "minimum payout of %s %s"),
		    name, tp_money_format_ccy(sum, ccy, a1, sizeof(a1)), ccy,
		    tp_money_format_ccy(set.min_payout, ccy, a2, sizeof(a2)),
		    ccy);
	if (bank) {
		if ((rc = cms_details_confirmed(r, in->partner, &details)) !=
		    TP_OK)
			return rc;
		if (details == 0)
			return tp_fail(
			    r, TP_EINVAL, "partner",
			    _("%s has no confirmed payout bank details: "
			      "it enters them on its payout details "
			      "page and confirms them by mail"),
			    name);
		if (cms_payout_provider(set.payout_provider) == NULL)
			return tp_fail(
			    r, TP_EINVAL, "partner",
			    _("the brand's payout provider (%s) is not "
			      "one this portal knows"),
			    set.payout_provider);
	}
	const char *number;
	if ((rc = next_number(r, &number)) != TP_OK)
		return rc;
	rc = tp_db_exec(
	    db, NULL,
	    "INSERT INTO commission_disbursements (tenant_id, partner_id, "
	    "number, description, reference, comments, destination, provider, "
	    "status, amount, currency, line_count, idem_key, request_id, "
	    "details_id, run_id, created_by, created_at) VALUES (?, ?, ?, ?, "
	    "?, ?, ?, ?, 'sending', ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), "
	    "NULLIF(?, 0), NULLIF(?, 0), FROM_UNIXTIME(?))",
	    "IIssssssIsIsIIIII", (int64_t)tp_tenant_id(r), (int64_t)in->partner,
	    number, in->description ? in->description : "",
	    in->reference ? in->reference : "",
	    in->comments ? in->comments : "", in->destination,
	    bank ? set.payout_provider : "", sum, ccy, count, in->idem_key,
	    (int64_t)in->request_id, (int64_t)details, (int64_t)in->run_id,
	    (int64_t)cms_user_id(r), tp_now());
	if (rc != TP_OK)
		return rc;
	*id = tp_db_last_id(db);
	if (in->n > 0) {
		for (size_t i = 0; rc == TP_OK && i < in->n; i++)
			rc = tp_db_exec(db, NULL,
			                "UPDATE commission_lines SET "
			                "disbursement_id = ? WHERE id = ?",
			                "II", (int64_t)*id, in->lines[i]);
	} else {
		/* the rows the SELECT above locked: the same set */
		rc = tp_db_exec(
		    db, NULL,
		    "UPDATE commission_lines SET disbursement_id = ? "
		    "WHERE tenant_id = ? AND partner_id = ? AND "
		    "status = 'approved' AND disbursement_id IS NULL "
		    "AND currency = ?",
		    "IIIs", (int64_t)*id, (int64_t)tp_tenant_id(r),
		    (int64_t)in->partner, ccy);
	}
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		tp_json_add_str(d, "number", number);
		tp_json_add_i64(d, "partner", (int64_t)in->partner);
		json_object_object_add(d, "amount", tp_json_money(sum, ccy));
		tp_json_add_i64(d, "lines", count);
		tp_json_add_str(d, "destination", in->destination);
		tp_audit_log(r, "commission.disburse",
		             "commission_disbursement", (int64_t)*id, d);
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* the provider's answer                                                */

tp_rc cms_disb_paid(tp_req *r, uint64_t id, const char *reference)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	uint64_t txn = 0;
	tp_rc rc = tp_db_query(
	    db, r, &rs,
	    "SELECT partner_id, amount, currency, destination, idem_key, "
	    "number, line_count, IFNULL(request_id, 0) FROM "
	    "commission_disbursements WHERE id = ? AND tenant_id = ? FOR "
	    "UPDATE",
	    "II", (int64_t)id, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return TP_ENOENT;
	uint64_t partner = (uint64_t)tp_rows_i64(rs, 0, 0);
	int64_t amount = tp_rows_i64(rs, 0, 1);
	const char *ccy = tp_rows_get(rs, 0, 2), *dest = tp_rows_get(rs, 0, 3),
	           *key = tp_rows_get(rs, 0, 4),
	           *number = tp_rows_get(rs, 0, 5);
	bool balance = strcmp(dest, "balance") == 0;
	/* paid to the bank: out of the provider's cash; to the partner's
	 * prepaid balance: its payable becomes its funds */
	tp_ledger_line l[2] = {
	    {.account = "partner.payable",
	     .amount = amount,
	     .partner_id = partner},
	    {.account = balance ? "partner.receivable" : "cash",
	     .amount = -amount,
	     .partner_id = balance ? partner : 0}};
	tp_ledger_txn t = {
	    .kind = balance ? "commission_withdrawal" : "commission_payout",
	    .idem_key = tp_printf(r, "cms.paid:%s", key),
	    .currency = ccy,
	    .partner_id = partner,
	    .document_type = "commission_disbursement",
	    .document_id = id,
	    .memo = tp_printf(r, "commission disbursement %s", number),
	    .lines = l,
	    .n = 2};
	if ((rc = tp_ledger_post(r, &t, &txn, NULL)) != TP_OK)
		return rc;
	rc = tp_db_exec(db, NULL,
	                "UPDATE commission_lines SET status = 'paid', paid_at "
	                "= FROM_UNIXTIME(?), status_at = FROM_UNIXTIME(?) "
	                "WHERE disbursement_id = ? AND tenant_id = ? AND "
	                "status = 'approved'",
	                "IIII", tp_now(), tp_now(), (int64_t)id,
	                (int64_t)tp_tenant_id(r));
	if (rc == TP_OK)
		rc = tp_db_exec(
		    db, NULL,
		    "UPDATE commission_disbursements SET status = "
		    "'paid', provider_ref = NULLIF(?, ''), failure = "
		    "NULL, paid_at = FROM_UNIXTIME(?), ledger_txn_id "
		    "= ? WHERE id = ?",
		    "sIII", reference ? reference : "", tp_now(), (int64_t)txn,
		    (int64_t)id);
	if (rc == TP_OK) {
		json_object *ev = json_object_new_object();
		tp_json_add_i64(ev, "disbursement_id", (int64_t)id);
		tp_json_add_str(ev, "number", number);
		json_object_object_add(ev, "amount",
		                       tp_json_money(amount, ccy));
		tp_json_add_i64(ev, "lines", tp_rows_i64(rs, 0, 6));
		tp_json_add_str(ev, "destination", dest);
		tp_json_add_str(ev, "reference", reference);
		if (tp_rows_i64(rs, 0, 7) > 0)
			tp_json_add_i64(ev, "request_id",
			                tp_rows_i64(rs, 0, 7));
		rc = tp_event_emit(r, "commission.paid", partner, 0, ev);
	}
	return rc;
}

/* In an open transaction: the provider's answer a about disbursement id
 * (once: an answered one is left alone) */
static tp_rc disb_answer(tp_req *r, uint64_t id, const struct cms_po_answer *a)
{
	tp_db *db = tp_req_db(r);
	tp_rows *rs;
	tp_rc rc = tp_db_query(db, r, &rs,
	                       "SELECT status FROM commission_disbursements "
	                       "WHERE id = ? AND tenant_id = ? FOR UPDATE",
	                       "II", (int64_t)id, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return TP_ENOENT;
	const char *st = tp_rows_get(rs, 0, 0);
	if (strcmp(st, "sending") != 0 && strcmp(st, "unknown") != 0)
		return TP_OK;
	switch (a->result) {
	case CMS_PO_PAID: return cms_disb_paid(r, id, a->reference);
	case CMS_PO_UNKNOWN:
		return tp_db_exec(
		    db, NULL,
		    "UPDATE commission_disbursements SET status = "
		    "'unknown' WHERE id = ?",
		    "I", (int64_t)id);
	default:
		/* nothing was paid: the lines are free (still approved) for
		 * the next disbursement */
		rc = tp_db_exec(db, NULL,
		                "UPDATE commission_disbursements SET status = "
		                "'failed', failure = ?, provider_ref = "
		                "NULLIF(?, '') WHERE id = ?",
		                "ssI", *a->reason ? a->reason : "failed",
		                a->reference, (int64_t)id);
		if (rc == TP_OK)
			rc = tp_db_exec(
			    db, NULL,
			    "UPDATE commission_lines SET "
			    "disbursement_id = NULL WHERE "
			    "disbursement_id = ? AND tenant_id = ? AND "
			    "status = 'approved'",
			    "II", (int64_t)id, (int64_t)tp_tenant_id(r));
		/* the partner's request it paid is open again, saying why
		 * (else refused, saying so, when the partner has opened
		 * another since): never "paid" for money that did not go */
		uint64_t n = 0;
		const char *why = tp_printf(
		    r, "The payout failed: %.200s",
		    *a->reason ? a->reason : "the provider refused it");
		if (rc == TP_OK)
			rc = tp_db_exec(
			    db, &n,
			    "UPDATE IGNORE commission_requests SET status = "
			    "'open', open_partner = partner_id, "
			    "disbursement_id = NULL, reason = ?, decided_by = "
			    "NULL, decided_at = NULL WHERE disbursement_id = ? "
			    "AND tenant_id = ? AND status = 'paid'",
			    "sII", why, (int64_t)id, (int64_t)tp_tenant_id(r));
		if (rc == TP_OK && n == 0)
			rc = tp_db_exec(
			    db, NULL,
			    "UPDATE commission_requests SET status = "
			    "'refused', reason = ? WHERE disbursement_id = ? "
			    "AND tenant_id = ? AND status = 'paid'",
			    "sII", why, (int64_t)id, (int64_t)tp_tenant_id(r));
		if (rc == TP_OK) {
			json_object *d = json_object_new_object();
			tp_json_add_str(d, "failure", a->reason);
			tp_audit_log(r, "commission.payout_failed",
			             "commission_disbursement", (int64_t)id, d);
		}
		return rc;
	}
}

/* the answer written in a transaction of its own */
static tp_rc answer_commit(tp_req *r, uint64_t id,
                           const struct cms_po_answer *a)
{
	tp_db *db = tp_req_db(r);
	tp_rc rc = tp_db_begin(db);
	if (rc != TP_OK)
		return rc;
	rc = disb_answer(r, id, a);
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	if (rc != TP_OK) {
		/* the answer is lost: the disbursement stays 'sending' and
		 * the job asks the provider again */
		tp_db_rollback(db);
		tp_log(TP_LOG_WARN, "CMS0211",
		       "disbursement %llu: the provider's answer was not "
		       "written (%d): left for the payouts job",
		       (unsigned long long)id, rc);
	}
	return rc;
}

/* a committed disbursement as a payout, its account number opened into
 * num (cap bytes); *sealed_off when it has bank details whose number the
 * key store cannot open (a key gone from the key file) */
static tp_rc load_payout(tp_req *r, uint64_t id, struct cms_payout *p,
                         const char **provider, char *num, size_t cap,
                         bool *sealed_off)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    tp_req_db(r), r, &rs,
	    "SELECT d.idem_key, d.number, d.partner_id, p.name, d.amount, "
	    "d.currency, d.line_count, d.provider, IFNULL(x.holder, ''), "
	    "IFNULL(x.routing, ''), IFNULL(x.account_type, 'checking'), "
	    "x.account_sealed, x.id IS NOT NULL FROM "
	    "commission_disbursements d JOIN partners p "
	    "ON p.id = d.partner_id LEFT JOIN commission_payout_details x ON "
	    "x.id = d.details_id WHERE d.id = ? AND d.tenant_id = ?",
	    "II", (int64_t)id, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return TP_ENOENT;
	*p = (struct cms_payout){.key = tp_rows_get(rs, 0, 0),
	                         .disbursement_id = id,
	                         .number = tp_rows_get(rs, 0, 1),
	                         .partner_id = (uint64_t)tp_rows_i64(rs, 0, 2),
	                         .partner_name = tp_rows_get(rs, 0, 3),
	                         .amount = tp_rows_i64(rs, 0, 4),
	                         .ccy = tp_rows_get(rs, 0, 5),
	                         .lines = tp_rows_i64(rs, 0, 6),
	                         .holder = tp_rows_get(rs, 0, 8),
	                         .routing = tp_rows_get(rs, 0, 9),
	                         .account_type = tp_rows_get(rs, 0, 10),
	                         .account_number = num};
	*provider = tp_rows_get(rs, 0, 7);
	size_t n = 0;
	const char *sealed = tp_rows_get(rs, 0, 11);
	*sealed_off = false;
	if (sealed == NULL || tp_unseal(sealed, num, cap - 1, &n) != TP_OK) {
		n = 0;
		*sealed_off = tp_rows_i64(rs, 0, 12) != 0;
	}
	num[n] = '\0';
	return TP_OK;
}

/* n committed disbursements sent together (a run: one file), each answer
 * written in a transaction of its own */
static tp_rc send_many(tp_req *r, const uint64_t *ids, size_t n,
                       const char *run)
{
	if (n == 0)
		return TP_OK;
	struct cms_payout *p = tp_calloc(r, n * sizeof(*p));
	struct cms_po_answer *a = tp_calloc(r, n * sizeof(*a));
	char(*num)[64] = tp_calloc(r, n * sizeof(*num));
	bool *off = tp_calloc(r, n * sizeof(*off));
	/* the ones that go: a payout with no account number never does */
	struct cms_payout *gp = tp_calloc(r, n * sizeof(*gp));
	struct cms_po_answer *ga = tp_calloc(r, n * sizeof(*ga));
	size_t m = 0;
	const char *pname = NULL;
	tp_rc rc = TP_OK;
	for (size_t i = 0; rc == TP_OK && i < n; i++) {
		const char *pn;
		rc = load_payout(r, ids[i], &p[i], &pn, num[i], sizeof(num[i]),
		                 &off[i]);
		pname = pn; /* one brand, one provider per run */
		if (rc == TP_OK && off[i]) {
			a[i].result = CMS_PO_FAILED;
			snprintf(
			    a[i].reason, sizeof(a[i].reason),
			    "the bank account number cannot be opened (a "
			    "key is missing from the key store: tierportctl "
			    "key status)");
			tp_log(TP_LOG_ERR, "CMS0204",
			       "disbursement %llu not sent: %s",
			       (unsigned long long)ids[i], a[i].reason);
		} else if (rc == TP_OK) {
			gp[m++] = p[i];
		}
	}
	const struct cms_payout_provider *prov = cms_payout_provider(pname);
	if (rc == TP_OK && prov == NULL)
		rc = TP_EINVAL;
	if (rc == TP_OK && m > 0) {
		/* no transaction of ours is open: a failure on the way is a
		 * payout whose answer we do not know */
		if (prov->send_run != NULL && run != NULL) {
			if (prov->send_run(r, run, gp, m, ga) != TP_OK)
				for (size_t i = 0; i < m; i++)
					ga[i].result = CMS_PO_UNKNOWN;
		} else {
			for (size_t i = 0; i < m; i++)
				if (prov->send(r, &gp[i], &ga[i]) != TP_OK)
					ga[i].result = CMS_PO_UNKNOWN;
		}
		for (size_t i = 0, k = 0; i < n; i++)
			if (!off[i])
				a[i] = ga[k++];
	}
	sodium_memzero(num, n * sizeof(*num));
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		answer_commit(r, ids[i], &a[i]);
	return TP_OK;
}

tp_rc cms_disb_send(tp_req *r, uint64_t id, const char **status)
{
	tp_rows *rs;
	tp_rc rc = send_many(r, &id, 1, NULL);
	*status = "sending";
	if (tp_db_query(tp_req_db(r), r, &rs,
	                "SELECT status FROM commission_disbursements WHERE id "
	                "= ?",
	                "I", (int64_t)id) == TP_OK &&
	    tp_rows_count(rs) > 0)
		*status = tp_strdup(r, tp_rows_get(rs, 0, 0));
	return rc;
}

/* ask the provider what became of disbursement id (never send it) */
static tp_rc disb_lookup(tp_req *r, uint64_t id, const char *key,
                         const char *provider, enum cms_po_result *res)
{
	const struct cms_payout_provider *prov = cms_payout_provider(provider);
	struct cms_po_answer a;
	memset(&a, 0, sizeof(a));
	*res = CMS_PO_UNKNOWN;
	if (prov == NULL || prov->lookup(r, key, &a) != TP_OK)
		return TP_OK;
	*res = a.result;
	if (a.result == CMS_PO_UNKNOWN)
		return TP_OK;
	return answer_commit(r, id, &a);
}

tp_rc cms_disb_idem_end(tp_req *r, uint64_t id)
{
	json_object *res = json_object_new_object();
	tp_json_add_i64(res, "disbursement_id", (int64_t)id);
	tp_rc rc = tp_idem_end(r, res);
	json_object_put(res);
	return rc;
}

uint64_t cms_disb_replayed(json_object *replay)
{
	json_object *d = json_object_object_get(replay, "disbursement_id");
	return (uint64_t)json_object_get_int64(d);
}

json_object *cms_disb_json(tp_req *r, uint64_t id)
{
	tp_rows *rs;
	json_object *o = json_object_new_object();
	tp_json_add_i64(o, "disbursement_id", (int64_t)id);
	if (tp_db_query(
	        tp_req_db(r), r, &rs,
	        "SELECT d.number, d.status, d.amount, d.currency, "
	        "d.line_count, "
	        "d.destination, IFNULL(d.provider_ref, ''), IFNULL(d.failure, "
	        "''), d.partner_id, p.name, d.description, d.reference, "
	        "d.comments, d.provider FROM commission_disbursements d JOIN "
	        "partners p ON p.id = d.partner_id WHERE d.id = ? AND "
	        "d.tenant_id = ?",
	        "II", (int64_t)id, (int64_t)tp_tenant_id(r)) != TP_OK ||
	    tp_rows_count(rs) == 0)
		return o;
	tp_json_add_str(o, "number", tp_rows_get(rs, 0, 0));
	tp_json_add_str(o, "status", tp_rows_get(rs, 0, 1));
	tp_json_add_money(r, o, "amount", tp_rows_i64(rs, 0, 2),
	                  tp_rows_get(rs, 0, 3));
	tp_json_add_i64(o, "lines", tp_rows_i64(rs, 0, 4));
	tp_json_add_str(o, "destination", tp_rows_get(rs, 0, 5));
	tp_json_add_str(o, "provider_ref", tp_rows_get(rs, 0, 6));
	if (*tp_rows_get(rs, 0, 7))
		tp_json_add_str(o, "failure", tp_rows_get(rs, 0, 7));
	tp_json_add_i64(o, "partner_id", tp_rows_i64(rs, 0, 8));
	tp_json_add_str(o, "partner", tp_rows_get(rs, 0, 9));
	tp_json_add_str(o, "description", tp_rows_get(rs, 0, 10));
	tp_json_add_str(o, "reference", tp_rows_get(rs, 0, 11));
	tp_json_add_str(o, "comments", tp_rows_get(rs, 0, 12));
	tp_json_add_str(o, "provider", tp_rows_get(rs, 0, 13));
	return o;
}

/* ------------------------------------------------------------------ */
/* the operator's payouts page                                          */

static tp_rc payouts_view(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	json_object *v = tp_view(r);
	struct cms_settings set;
	tp_rows *rs;
	tp_rc rc = cms_settings_load(r, &set);
	if (rc != TP_OK)
		return rc;
	const char *ccy = cms_brand_ccy(r);
	tp_json_add_money(r, v, "min_payout", set.min_payout, ccy);
	tp_json_add_str(v, "payout_provider", set.payout_provider);
	tp_form_idem_key(r, v);
	rc = tp_db_query(
	    db, r, &rs,
	    "SELECT p.id, p.name, p.currency, SUM(l.amount), COUNT(*), "
	    "EXISTS (SELECT 1 FROM commission_payout_details x WHERE "
	    "x.partner_id = p.id AND x.status = 'confirmed') FROM "
	    "commission_lines l JOIN partners p ON p.id = l.partner_id WHERE "
	    "l.tenant_id = ? AND l.status = 'approved' AND l.disbursement_id "
	    "IS NULL AND l.currency = p.currency GROUP BY p.id, p.name, "
	    "p.currency ORDER BY p.name, p.id",
	    "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	json_object *list = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *o = json_object_new_object();
		int64_t sum = tp_rows_i64(rs, i, 3);
		tp_json_add_i64(o, "id", tp_rows_i64(rs, i, 0));
		tp_json_add_str(o, "name", tp_rows_get(rs, i, 1));
		tp_json_add_money(r, o, "approved", sum, tp_rows_get(rs, i, 2));
		tp_json_add_i64(o, "lines", tp_rows_i64(rs, i, 4));
		json_object_object_add(
		    o, "details_confirmed",
		    json_object_new_boolean(tp_rows_i64(rs, i, 5) != 0));
		json_object_object_add(
		    o, "payable",
		    json_object_new_boolean(sum > 0 && sum >= set.min_payout &&
		                            tp_rows_i64(rs, i, 5) != 0));
		json_object_array_add(list, o);
	}
	json_object_object_add(v, "partners", list);
	rc = tp_db_query(
	    db, r, &rs,
	    "SELECT d.id, d.number, p.name, d.description, d.reference, "
	    "d.destination, d.status, IFNULL(d.failure, ''), "
	    "IFNULL(d.provider_ref, ''), d.amount, d.currency, d.line_count, "
	    "DATE_FORMAT(d.created_at, '%Y-%m-%d %H:%i'), "
	    "IFNULL(DATE_FORMAT(d.paid_at, '%Y-%m-%d'), '') FROM "
	    "commission_disbursements d JOIN partners p ON p.id = "
	    "d.partner_id WHERE d.tenant_id = ? ORDER BY d.id DESC LIMIT 200",
	    "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	list = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *o = json_object_new_object();
		const char *st = tp_rows_get(rs, i, 6);
		tp_json_add_i64(o, "id", tp_rows_i64(rs, i, 0));
		tp_json_add_str(o, "number", tp_rows_get(rs, i, 1));
		tp_json_add_str(o, "partner", tp_rows_get(rs, i, 2));
		tp_json_add_str(o, "description", tp_rows_get(rs, i, 3));
		tp_json_add_str(o, "reference", tp_rows_get(rs, i, 4));
		tp_json_add_str(o, "destination", tp_rows_get(rs, i, 5));
		tp_json_add_str(o, "destination_label",
		                cms_state_label(tp_rows_get(rs, i, 5)));
		tp_json_add_str(o, "status", st);
		tp_json_add_str(o, "status_label", cms_state_label(st));
		tp_json_add_str(o, "failure", tp_rows_get(rs, i, 7));
		tp_json_add_str(o, "provider_ref", tp_rows_get(rs, i, 8));
		tp_json_add_money(r, o, "amount", tp_rows_i64(rs, i, 9),
		                  tp_rows_get(rs, i, 10));
		tp_json_add_i64(o, "lines", tp_rows_i64(rs, i, 11));
		tp_json_add_str(o, "created_at", tp_rows_get(rs, i, 12));
		/* for people: in the viewer's zone (the API's stays UTC) */
		tp_json_add_str(o, "created_at_text",
		                tp_time_text(r, tp_rows_get(rs, i, 12), 0));
		tp_json_add_str(o, "paid_at", tp_rows_get(rs, i, 13));
		json_object_object_add(
		    o, "retry",
		    json_object_new_boolean(strcmp(st, "unknown") == 0 ||
		                            strcmp(st, "sending") == 0));
		json_object_array_add(list, o);
	}
	json_object_object_add(v, "disbursements", list);
	if (tp_db_query(db, r, &rs,
	                "SELECT COUNT(*) FROM commission_requests WHERE "
	                "tenant_id = ? AND status = 'open'",
	                "I", (int64_t)tp_tenant_id(r)) == TP_OK)
		tp_json_add_i64(v, "open_requests", tp_rows_i64(rs, 0, 0));
	tp_view_title(r, _("Commission payouts"));
	return TP_OK;
}

tp_rc cms_payouts_page(tp_req *r)
{
	return payouts_view(r);
}

/* ------------------------------------------------------------------ */
/* POST /commissions/disbursements                                      */

/* the optional `lines`: a JSON array of ids, or "1,2,3" in a form */
static tp_rc lines_field(tp_req *r, int64_t **ids, size_t *n)
{
	json_object *body = tp_body_json(r), *arr = NULL;
	*ids = NULL;
	*n = 0;
	if (body != NULL && json_object_object_get_ex(body, "lines", &arr) &&
	    json_object_is_type(arr, json_type_array)) {
		size_t len = json_object_array_length(arr);
		if (len > 1000)
			return tp_fail(r, TP_EINVAL, "lines",
			               _("Lines: at most 1000 at once"));
		*ids = tp_calloc(r, (len + 1) * sizeof(**ids));
		for (size_t i = 0; i < len; i++) {
			json_object *e = json_object_array_get_idx(arr, i);
			int64_t v = 0;
			if (json_object_is_type(e, json_type_int))
				v = json_object_get_int64(e);
			else if (!json_object_is_type(e, json_type_string) ||
			         tp_parse_i64(json_object_get_string(e), &v) !=
			             TP_OK)
				v = 0;
			if (v <= 0)
				return tp_fail(r, TP_EINVAL, "lines",
				               _("Lines must be line ids"));
			(*ids)[(*n)++] = v;
		}
		return TP_OK;
	}
	const char *s;
	tp_rc rc = tp_field_text(r, "lines", _("Lines"), 16000, 0, &s);
	if (rc != TP_OK || *s == '\0')
		return rc;
	char *copy = tp_strdup(r, s), *save = NULL;
	*ids = tp_calloc(r, (strlen(s) / 2 + 2) * sizeof(**ids));
	for (char *t = strtok_r(copy, ", ", &save); t != NULL;
	     t = strtok_r(NULL, ", ", &save)) {
		int64_t v = 0;
		if (tp_parse_i64(t, &v) != TP_OK || v <= 0 || *n >= 1000)
			return tp_fail(r, TP_EINVAL, "lines",
			               _("Lines must be line ids"));
		(*ids)[(*n)++] = v;
	}
	return TP_OK;
}

/* the disbursement's own texts */
static tp_rc disb_texts(tp_req *r, const char **desc, const char **ref,
                        const char **comments)
{
	tp_rc rc;
	if ((rc = tp_field_text(r, "description", _("Description"), 255, 0,
	                        desc)) != TP_OK ||
	    (rc = tp_field_text(r, "reference", _("Reference"), 64, 0, ref)) !=
	        TP_OK)
		return rc;
	/* comments may be several lines: any printable text */
	if ((rc = tp_input(r, "comments", comments)) != TP_OK)
		return rc;
	if (*comments == NULL)
		*comments = "";
	if (strlen(*comments) > 500)
		return tp_fail(r, TP_EINVAL, "comments",
		               _("Comments must be at most 500 characters"));
	return TP_OK;
}

tp_rc cms_disb_post(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	const char *ps, *desc, *ref, *comments, *status = "sending";
	int64_t partner = 0, *lines = NULL;
	size_t n = 0;
	json_object *replay = NULL;
	uint64_t id = 0;
	tp_rc rc;
	if ((rc = tp_field_text(r, "partner", _("Partner"), 20, 1, &ps)) !=
	        TP_OK ||
	    (rc = disb_texts(r, &desc, &ref, &comments)) != TP_OK ||
	    (rc = lines_field(r, &lines, &n)) != TP_OK)
		goto again;
	if (tp_parse_i64(ps, &partner) != TP_OK || partner <= 0) {
		rc = tp_fail(r, TP_EINVAL, "partner",
		             _("Partner must be a partner"));
		goto again;
	}
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	char *content = tp_printf(r, "%lld|%s|%s|%s|", (long long)partner, desc,
	                          ref, comments);
	for (size_t i = 0; i < n; i++)
		content = tp_printf(r, "%s%lld,", content, (long long)lines[i]);
	rc = tp_idem_begin(r, "commissions.disburse", content, &replay);
	if (rc == TP_OK && replay != NULL) {
		/* a retry: the disbursement as it is now, nothing sent again */
		tp_db_rollback(db);
		id = cms_disb_replayed(replay);
		return tp_answer(r, cms_disb_json(r, id),
		                 "/commissions/payouts", 201);
	}
	struct cms_disb_in in = {.partner = (uint64_t)partner,
	                         .description = desc,
	                         .reference = ref,
	                         .comments = comments,
	                         .destination = "bank",
	                         .idem_key =
	                             cms_disb_key(r, "disb", tp_idem_key(r), 0),
	                         .lines = lines,
	                         .n = n};
	if (rc == TP_OK)
		rc = cms_disb_make(r, &in, &id);
	if (rc == TP_OK)
		rc = cms_disb_idem_end(r, id);
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	if (rc != TP_OK) {
		tp_db_rollback(db);
		goto again;
	}
	/* committed: whatever happens now, the disbursement is on record
	 * and its key is the provider's */
	cms_disb_send(r, id, &status);
	return tp_answer(r, cms_disb_json(r, id), "/commissions/payouts", 201);
again:
	if (rc == TP_EINVAL || rc == TP_ECONFLICT || rc == TP_ENOENT)
		payouts_view(r);
	return rc;
}

/* POST /commissions/disbursements/{disbursement}/retry: ask the provider
 * about an unknown one (never send it again) */
tp_rc cms_disb_retry(tp_req *r)
{
	tp_rows *rs;
	enum cms_po_result res;
	int64_t id = tp_param_id(r, "disbursement");
	tp_rc rc = tp_db_query(tp_req_db(r), r, &rs,
	                       "SELECT status, idem_key, provider, number FROM "
	                       "commission_disbursements WHERE id = ? AND "
	                       "tenant_id = ?",
	                       "II", id, (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	if (tp_rows_count(rs) == 0)
		return tp_fail(r, TP_ENOENT, NULL, _("no such disbursement"));
	const char *st = tp_rows_get(rs, 0, 0);
	if (strcmp(st, "unknown") != 0 && strcmp(st, "sending") != 0) {
		rc = tp_fail(
		    r, TP_ECONFLICT, "disbursement",
		    _("Disbursement %s is %s: its provider has answered"),
		    tp_rows_get(rs, 0, 3), st);
		payouts_view(r);
		return rc;
	}
	rc = disb_lookup(r, (uint64_t)id, tp_rows_get(rs, 0, 1),
	                 tp_rows_get(rs, 0, 2), &res);
	if (rc != TP_OK)
		return rc;
	tp_audit_log(r, "commission.payout_lookup", "commission_disbursement",
	             id, NULL);
	return tp_answer(r, cms_disb_json(r, (uint64_t)id),
	                 "/commissions/payouts", 200);
}

/* ------------------------------------------------------------------ */
/* POST /commissions/payout-runs                                        */

tp_rc cms_payout_run_post(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	struct cms_settings set;
	const char *desc, *ref, *comments;
	json_object *replay = NULL;
	tp_rows *rs;
	uint64_t run = 0;
	tp_rc rc = disb_texts(r, &desc, &ref, &comments);
	if (rc != TP_OK)
		goto again;
	if ((rc = cms_settings_load(r, &set)) != TP_OK)
		return rc;
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_idem_begin(r, "commissions.payout_run",
	                   tp_printf(r, "%s|%s|%s", desc, ref, comments),
	                   &replay);
	if (rc == TP_OK && replay != NULL) {
		tp_db_rollback(db);
		return tp_answer(r, json_object_get(replay),
		                 "/commissions/payouts", 201);
	}
	if (rc == TP_OK)
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT INTO commission_payout_runs (tenant_id, "
		    "provider, created_by, created_at) VALUES (?, ?, "
		    "NULLIF(?, 0), FROM_UNIXTIME(?))",
		    "IsII", (int64_t)tp_tenant_id(r), set.payout_provider,
		    (int64_t)cms_user_id(r), tp_now());
	if (rc == TP_OK)
		run = tp_db_last_id(db);
	/* every partner with approved commission in no disbursement: those
	 * over the minimum with confirmed details are paid, the others
	 * said why not */
	if (rc == TP_OK)
		rc = tp_db_query(
		    db, r, &rs,
		    "SELECT p.id, p.name, p.currency, SUM(l.amount), EXISTS "
		    "(SELECT 1 FROM commission_payout_details x WHERE "
		    "x.partner_id = p.id AND x.status = 'confirmed') FROM "
		    "commission_lines l JOIN partners p ON p.id = l.partner_id "
		    "WHERE l.tenant_id = ? AND l.status = 'approved' AND "
		    "l.disbursement_id IS NULL AND l.currency = p.currency "
		    "GROUP "
		    "BY p.id, p.name, p.currency ORDER BY p.id",
		    "I", (int64_t)tp_tenant_id(r));
	size_t np = rc == TP_OK ? tp_rows_count(rs) : 0, nd = 0;
	uint64_t *ids = tp_calloc(r, (np + 1) * sizeof(*ids));
	json_object *skipped = json_object_new_array();
	for (size_t i = 0; rc == TP_OK && i < np; i++) {
		int64_t sum = tp_rows_i64(rs, i, 3);
		const char *why = NULL, *ccy = tp_rows_get(rs, i, 2);
		if (sum <= 0)
			why = _("its approved commission nets to nothing");
		else if (sum < set.min_payout)
			why = _("below the minimum payout");
		else if (tp_rows_i64(rs, i, 4) == 0)
			why = _("no confirmed payout bank details");
		if (why != NULL) {
			json_object *o = json_object_new_object();
			tp_json_add_i64(o, "partner_id", tp_rows_i64(rs, i, 0));
			tp_json_add_str(o, "partner", tp_rows_get(rs, i, 1));
			tp_json_add_money(r, o, "amount", sum, ccy);
			tp_json_add_str(o, "reason", why);
			json_object_array_add(skipped, o);
			continue;
		}
		struct cms_disb_in in = {
		    .partner = (uint64_t)tp_rows_i64(rs, i, 0),
		    .description = desc,
		    .reference = ref,
		    .comments = comments,
		    .destination = "bank",
		    .idem_key = cms_disb_key(r, "run", tp_idem_key(r),
		                             (uint64_t)tp_rows_i64(rs, i, 0)),
		    .run_id = run};
		rc = cms_disb_make(r, &in, &ids[nd]);
		if (rc == TP_OK)
			nd++;
	}
	if (rc == TP_OK)
		rc = tp_db_exec(
		    db, NULL,
		    "UPDATE commission_payout_runs SET disbursements "
		    "= ? WHERE id = ?",
		    "II", (int64_t)nd, (int64_t)run);
	json_object *res = json_object_new_object();
	tp_json_add_i64(res, "run_id", (int64_t)run);
	json_object_object_add(res, "skipped", skipped);
	if (rc == TP_OK)
		rc = tp_idem_end(r, res);
	if (rc == TP_OK)
		rc = tp_db_commit(db);
	if (rc != TP_OK) {
		json_object_put(res);
		tp_db_rollback(db);
		goto again;
	}
	send_many(r, ids, nd,
	          tp_printf(r, "run-%llu", (unsigned long long)run));
	json_object *list = json_object_new_array();
	for (size_t i = 0; i < nd; i++)
		json_object_array_add(list, cms_disb_json(r, ids[i]));
	json_object_object_add(res, "disbursements", list);
	return tp_answer(r, res, "/commissions/payouts", 201);
again:
	if (rc == TP_EINVAL)
		payouts_view(r);
	return rc;
}

/* ------------------------------------------------------------------ */
/* payouts whose answer was lost: the job and the command               */

/* every unknown disbursement of the ctx's brand made min_unknown seconds
 * ago or more (and every 'sending' one older than two minutes: its
 * request died before the answer) asked again */
static tp_rc resolve_brand(tp_req *ctx, int64_t min_unknown, unsigned *paid,
                           unsigned *failed, unsigned *still)
{
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    tp_req_db(ctx), ctx, &rs,
	    "SELECT id, idem_key, provider FROM commission_disbursements "
	    "WHERE tenant_id = ? AND destination = 'bank' AND ((status = "
	    "'unknown' AND created_at <= FROM_UNIXTIME(?)) OR (status = "
	    "'sending' AND created_at < FROM_UNIXTIME(?))) ORDER BY id",
	    "III", (int64_t)tp_tenant_id(ctx), tp_now() - min_unknown,
	    tp_now() - 120);
	for (size_t i = 0; rc == TP_OK && i < tp_rows_count(rs); i++) {
		enum cms_po_result res;
		if (disb_lookup(ctx, (uint64_t)tp_rows_i64(rs, i, 0),
		                tp_rows_get(rs, i, 1), tp_rows_get(rs, i, 2),
		                &res) != TP_OK)
			res = CMS_PO_UNKNOWN;
		if (res == CMS_PO_PAID)
			(*paid)++;
		else if (res == CMS_PO_FAILED)
			(*failed)++;
		else
			(*still)++;
	}
	return rc;
}

tp_rc cms_payouts_job(tp_req *ctx, tp_job_run *run)
{
	tp_rows *brands;
	unsigned p = 0, f = 0, n = 0;
	(void)run;
	tp_rc rc = tp_db_query(tp_req_db(ctx), ctx, &brands,
	                       "SELECT DISTINCT tenant_id FROM "
	                       "commission_disbursements WHERE status IN "
	                       "('unknown', 'sending') ORDER BY tenant_id",
	                       "");
	for (size_t i = 0; rc == TP_OK && i < tp_rows_count(brands); i++)
		if ((rc = tp_ctx_brand(
		         ctx, (uint64_t)tp_rows_i64(brands, i, 0))) == TP_OK)
			rc = resolve_brand(ctx, 120, &p, &f, &n);
	if (rc == TP_OK && p + f + n > 0)
		tp_log(TP_LOG_INFO, "CMS0212",
		       "payouts asked again: %u paid, %u failed, %u still "
		       "unknown",
		       p, f, n);
	return rc;
}

/* tierportctl commissions payouts --brand SLUG: every unknown payout now
 * (the job leaves one two minutes, as it leaves a 'sending' one) */
int cms_payouts_cmd(tp_req *ctx, int argc, char **argv)
{
	unsigned p = 0, f = 0, n = 0;
	(void)argv;
	if (argc > 1 || tp_tenant_id(ctx) == 0) {
		fprintf(
		    stderr,
		    "usage: tierportctl commissions payouts --brand SLUG\n");
		return 2;
	}
	if (resolve_brand(ctx, 0, &p, &f, &n) != TP_OK) {
		fprintf(stderr, "commissions payouts: failed\n");
		return 1;
	}
	printf("payouts asked again: %u paid, %u failed, %u still unknown\n", p,
	       f, n);
	return 0;
}
