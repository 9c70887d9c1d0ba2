/*
 * settings.c -- an operator's billing settings for the brand: the seller
 * on its documents (legal name, address, tax id), the bill day and due
 * days, late fees, reminders, suspension, the past-due notice, the second
 * approver's threshold, whether customers may change invoice delivery;
 * and the tax rates by tax class. One form, one transaction; the form
 * again with the message on bad input, nothing written.
 */
#include "invoices.h"

#include <stdio.h>
#include <string.h>

/* the numeric settings: column, field label, lowest, highest */
static const struct num {
	const char *key, *label;
	int64_t lo, hi;
	bool money;
} nums[] = {
    {"bill_day", N_("Bill day"), 1, 28, false},
    {"due_days", N_("Days to pay"), 0, 365, false},
    {"late_fee_fixed", N_("Late fee"), 0, 100000000, true},
    {"late_fee_ppm", N_("Late fee percentage (parts per million)"), 0, 1000000,
     false},
    {"late_fee_grace_days", N_("Days before a late fee"), 0, 365, false},
    {"remind_before_days", N_("Reminder days before the due date"), 0, 60,
     false},
    {"remind_after_days", N_("Reminder days after the due date"), 0, 365,
     false},
    {"suspend_after_days", N_("Days past due before suspension"), 0, 365,
     false},
    {"past_due_notice_days", N_("Days past due before the notice"), 0, 365,
     false},
    {"approval_threshold", N_("Second approver above"), 0, 100000000000LL,
     true},
};
#define N_NUMS (sizeof(nums) / sizeof(nums[0]))

static tp_rc settings_view(tp_req *r, bool from_form)
{
	tp_db *db = tp_req_db(r);
	json_object *v = tp_view(r);
	tp_rows *rs;
	tp_rc rc = tp_db_query(
	    db, r, &rs,
	    "SELECT IFNULL(t.legal_name, ''), IFNULL(t.legal_address, ''), "
	    "IFNULL(t.tax_id, ''), IFNULL(bs.bill_day, 1), IFNULL(bs.due_days, "
	    "14), IFNULL(bs.late_fee_fixed, 0), IFNULL(bs.late_fee_ppm, 0), "
	    "IFNULL(bs.late_fee_grace_days, 0), IFNULL(bs.remind_before_days, "
	    "3), IFNULL(bs.remind_after_days, 7), "
	    "IFNULL(bs.suspend_after_days, "
	    "30), IFNULL(bs.past_due_notice_days, 1), "
	    "IFNULL(bs.approval_threshold, 1000000), "
	    "IFNULL(bs.delivery_read_only, 0) FROM tenants t LEFT JOIN "
	    "billing_settings bs ON bs.tenant_id = t.id WHERE t.id = ?",
	    "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	static const char *const text[] = {"legal_name", "legal_address",
	                                   "tax_id"};
	json_object *s = json_object_new_object();
	for (unsigned i = 0; i < 3; i++) {
		const char *f = from_form ? tp_form(r, text[i]) : NULL;
		tp_json_add_str(s, text[i], f ? f : tp_rows_get(rs, 0, i));
	}
	json_object *list = json_object_new_array();
	for (unsigned i = 0; i < N_NUMS; i++) {
		char buf[32];
		int64_t val = tp_rows_i64(rs, 0, 3 + i);
		const char *f = from_form ? tp_form(r, nums[i].key) : NULL;
		json_object *o = json_object_new_object();
		tp_json_add_str(o, "key", nums[i].key);
		tp_json_add_str(o, "label", tp_tr(nums[i].label));
		tp_json_add_str(o, "value",
		                f ? f
		                : nums[i].money
		                    ? tp_money_format(val, buf, sizeof(buf))
		                    : tp_printf(r, "%lld", (long long)val));
		json_object_array_add(list, o);
		/* the API reads them by name too */
		json_object_object_add(s, nums[i].key,
		                       nums[i].money
		                           ? tp_json_money(val, NULL)
		                           : json_object_new_int64(val));
	}
	json_object_object_add(s, "fields", list);
	json_object_object_add(
	    s, "delivery_read_only",
	    json_object_new_boolean(tp_rows_i64(rs, 0, 13) != 0));
	json_object_object_add(v, "settings", s);

	rc = tp_db_query(db, r, &rs,
	                 "SELECT id, tax_class, name, rate_ppm, active FROM "
	                 "tax_rates WHERE tenant_id = ? ORDER BY tax_class, id",
	                 "I", (int64_t)tp_tenant_id(r));
	if (rc != TP_OK)
		return rc;
	json_object *rates = json_object_new_array();
	for (size_t i = 0; i < tp_rows_count(rs); i++) {
		json_object *o = json_object_new_object();
		int64_t ppm = tp_rows_i64(rs, i, 3);
		json_object_object_add(
		    o, "id", json_object_new_int64(tp_rows_i64(rs, i, 0)));
		tp_json_add_str(o, "tax_class", tp_rows_get(rs, i, 1));
		tp_json_add_str(o, "name", tp_rows_get(rs, i, 2));
		json_object_object_add(o, "rate_ppm",
		                       json_object_new_int64(ppm));
		tp_json_add_str(o, "percent",
		                tp_printf(r, "%lld.%04lld",
		                          (long long)(ppm / 10000),
		                          (long long)(ppm % 10000)));
		json_object_object_add(
		    o, "active",
		    json_object_new_boolean(tp_rows_i64(rs, i, 4)));
		json_object_array_add(rates, o);
	}
	json_object_object_add(v, "tax_rates", rates);
	tp_form_idem_key(r, v);
	tp_view_title(r, _("Billing settings"));
	return TP_OK;
}

tp_rc inv_settings_page(tp_req *r)
{
	return settings_view(r, false);
}

static tp_rc again(tp_req *r, tp_rc rc)
{
	if (rc == TP_EINVAL)
		settings_view(r, true);
	return rc;
}

tp_rc inv_settings_post(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	const char *legal_name, *legal_address, *tax_id, *ro;
	int64_t val[N_NUMS];
	tp_rc rc;

	if ((rc = tp_field_text(r, "legal_name", _("Legal name"), 128, 0,
	                        &legal_name)) != TP_OK ||
	    (rc = tp_field_text(r, "legal_address", _("Legal address"), 255, 0,
	                        &legal_address)) != TP_OK ||
	    (rc = tp_field_text(r, "tax_id", _("Tax id"), 32, 0, &tax_id)) !=
	        TP_OK)
		return again(r, rc);
	for (unsigned i = 0; i < N_NUMS; i++) {
		const char *s;
		if ((rc = tp_field_text(r, nums[i].key, tp_tr(nums[i].label),
		                        32, 1, &s)) != TP_OK)
			return again(r, rc);
		rc = nums[i].money ? tp_money_parse(s, &val[i])
		                   : tp_parse_i64(s, &val[i]);
		if (rc != TP_OK || val[i] < nums[i].lo || val[i] > nums[i].hi) {
			char lo[32], hi[32];
			if (nums[i].money) {
				tp_money_format(nums[i].lo, lo, sizeof(lo));
				tp_money_format(nums[i].hi, hi, sizeof(hi));
			} else {
				snprintf(lo, sizeof(lo), "%lld",
				         (long long)nums[i].lo);
				snprintf(hi, sizeof(hi), "%lld",
				         (long long)nums[i].hi);
			}
			return again(
			    r, tp_fail(r, TP_EINVAL, nums[i].key,
			               nums[i].money
			                   ? _("%s must be an amount from %s "
			                       "to %s")
			                   : _("%s must be a whole number "
			                       "from %s to %s"),
			               tp_tr(nums[i].label), lo, hi));
		}
	}
	if ((rc = tp_input(r, "delivery_read_only", &ro)) != TP_OK)
		return again(r, rc);
	bool read_only =
	    ro != NULL && (strcmp(ro, "1") == 0 || strcmp(ro, "on") == 0 ||
	                   strcmp(ro, "true") == 0);
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_exec(db, NULL,
	                "UPDATE tenants SET legal_name = NULLIF(?, ''), "
	                "legal_address = NULLIF(?, ''), tax_id = NULLIF(?, '') "
	                "WHERE id = ?",
	                "sssI", legal_name, legal_address, tax_id,
	                (int64_t)tp_tenant_id(r));
	if (rc == TP_OK)
		rc = tp_db_exec(
		    db, NULL,
		    "INSERT INTO billing_settings (tenant_id, bill_day, "
		    "due_days, late_fee_fixed, late_fee_ppm, "
		    "late_fee_grace_days, "
		    "remind_before_days, remind_after_days, "
		    "suspend_after_days, "
		    "past_due_notice_days, approval_threshold, "
		    "delivery_read_only) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		    "?, "
		    "?) ON DUPLICATE KEY UPDATE bill_day = VALUES(bill_day), "
		    "due_days = VALUES(due_days), late_fee_fixed = "
		    "VALUES(late_fee_fixed), late_fee_ppm = "
		    "VALUES(late_fee_ppm), "
		    "late_fee_grace_days = VALUES(late_fee_grace_days), "
		    "remind_before_days = VALUES(remind_before_days), "
		    "remind_after_days = VALUES(remind_after_days), "
		    "suspend_after_days = VALUES(suspend_after_days), "
		    "past_due_notice_days = VALUES(past_due_notice_days), "
		    "approval_threshold = VALUES(approval_threshold), "
		    "delivery_read_only = VALUES(delivery_read_only)",
		    "IIIIIIIIIIIi", (int64_t)tp_tenant_id(r), val[0], val[1],
		    val[2], val[3], val[4], val[5], val[6], val[7], val[8],
		    val[9], read_only ? 1 : 0);
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		for (unsigned i = 0; i < N_NUMS; i++)
			json_object_object_add(d, nums[i].key,
			                       json_object_new_int64(val[i]));
		tp_audit_log(r, "billing.settings", "brand",
		             (int64_t)tp_tenant_id(r), d);
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK) {
		tp_db_rollback(db);
		return rc;
	}
	if (!tp_wants_json(r)) {
		tp_set_status(r, 303);
		tp_set_header(r, "Location", "/billing/settings");
		return TP_OK;
	}
	return settings_view(r, false);
}

/* a new tax rate of a class: "VAT" 20 % of class "standard" */
tp_rc inv_tax_rate_add(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	const char *cls, *name, *pct;
	int64_t v;
	tp_rc rc;

	if ((rc = tp_field_text(r, "tax_class", _("Tax class"), 32, 1, &cls)) !=
	        TP_OK ||
	    (rc = tp_field_text(r, "name", _("Name"), 64, 1, &name)) != TP_OK ||
	    (rc = tp_field_text(r, "percent", _("Rate"), 16, 1, &pct)) != TP_OK)
		return again(r, rc);
	for (const char *p = cls; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '_'))
			return again(r,
			             tp_fail(r, TP_EINVAL, "tax_class",
			                     _("Tax class must be lower-case "
			                       "letters, digits and _")));
	/* a percentage with up to four decimals: 20, 7.25, 0.0001; kept as
	 * parts per million (the money parser reads four decimals) */
	if (tp_money_parse(pct, &v) != TP_OK || v < 0 || v > 1000000)
		return again(r, tp_fail(r, TP_EINVAL, "percent",
		                        _("Rate must be a percentage from 0 to "
		                          "100 with at most 4 decimals")));
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_exec(db, NULL,
	                "INSERT INTO tax_rates (tenant_id, tax_class, name, "
	                "rate_ppm) VALUES (?, ?, ?, ?)",
	                "IssI", (int64_t)tp_tenant_id(r), cls, name, v);
	if (rc == TP_ECONFLICT) {
		tp_db_rollback(db);
		return again(r,
		             tp_fail(r, TP_EINVAL, "name",
		                     _("Class %s has a rate named %s already"),
		                     cls, name));
	}
	uint64_t id = rc == TP_OK ? tp_db_last_id(db) : 0;
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		tp_json_add_str(d, "tax_class", cls);
		tp_json_add_str(d, "name", name);
		json_object_object_add(d, "rate_ppm", json_object_new_int64(v));
		tp_audit_log(r, "billing.tax_rate_add", "tax_rate", (int64_t)id,
		             d);
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK) {
		tp_db_rollback(db);
		return rc;
	}
	if (!tp_wants_json(r)) {
		tp_set_status(r, 303);
		tp_set_header(r, "Location", "/billing/settings");
		return TP_OK;
	}
	json_object_object_add(tp_view(r), "id",
	                       json_object_new_int64((int64_t)id));
	tp_set_status(r, 201);
	return TP_OK;
}

/* a rate is never deleted (invoices name it): it stops applying */
tp_rc inv_tax_rate_active(tp_req *r)
{
	tp_db *db = tp_req_db(r);
	const char *a;
	tp_rc rc;
	if ((rc = tp_field_text(r, "active", _("Active"), 5, 1, &a)) != TP_OK)
		return rc;
	if (strcmp(a, "0") != 0 && strcmp(a, "1") != 0)
		return tp_fail(r, TP_EINVAL, "active",
		               _("Active must be 0 or 1"));
	if ((rc = tp_db_begin(db)) != TP_OK)
		return rc;
	rc = tp_db_exec(db, NULL,
	                "UPDATE tax_rates SET active = ? WHERE id = ? AND "
	                "tenant_id = ?",
	                "iII", a[0] == '1', tp_param_id(r, "tax_rate"),
	                (int64_t)tp_tenant_id(r));
	if (rc == TP_OK) {
		json_object *d = json_object_new_object();
		tp_json_add_str(d, "active", a);
		tp_audit_log(r, "billing.tax_rate_active", "tax_rate",
		             tp_param_id(r, "tax_rate"), d);
		rc = tp_db_commit(db);
	}
	if (rc != TP_OK) {
		tp_db_rollback(db);
		return rc;
	}
	if (!tp_wants_json(r)) {
		tp_set_status(r, 303);
		tp_set_header(r, "Location", "/billing/settings");
	}
	return TP_OK;
}
