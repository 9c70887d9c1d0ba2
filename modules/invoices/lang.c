/*
 * lang.c -- the language a billing document or mail is written in
 * (issue 12): the customer's, not the viewer's. An invoice PDF, a receipt
 * and a mail to an account are in the account's document language when
 * one is set (accounts.language), else in its customer login's
 * (users.language; its first login when it has several), else the
 * brand's (tenants.language); a mail to a partner in its first admin's,
 * else the brand's. Whoever downloads the PDF -- the customer, its
 * partner or an operator -- gets the same document.
 *
 * Callers switch the thread's language around the writing and put the
 * old one back (inv_lang_enter / tp_i18n_use(old)): a request goes on in
 * its viewer's language afterwards, a job in English.
 */
#include "invoices.h"

#include <string.h>

static int lang_of(tp_req *r, const char *sql, int64_t id)
{
	tp_rows *rs;
	if (tp_db_query(tp_req_db(r), r, &rs, sql, "II", id,
	                (int64_t)tp_tenant_id(r)) != TP_OK ||
	    tp_rows_count(rs) == 0)
		return -1;
	return tp_lang_find(tp_rows_get(rs, 0, 0));
}

int inv_account_lang(tp_req *r, int64_t account)
{
	return lang_of(
	    r,
	    "SELECT COALESCE(a.language, (SELECT u.language FROM users u "
	    "WHERE u.account_id = a.id AND u.kind = 'customer' ORDER BY "
	    "u.status = 'active' DESC, u.id LIMIT 1), t.language) FROM "
	    "accounts a JOIN tenants t ON t.id = a.tenant_id WHERE a.id = ? "
	    "AND a.tenant_id = ?",
	    account);
}

int inv_partner_lang(tp_req *r, int64_t partner)
{
	return lang_of(
	    r,
	    "SELECT IFNULL((SELECT u.language FROM users u WHERE "
	    "u.partner_id = p.id AND u.kind = 'partner' ORDER BY "
	    "u.status = 'active' DESC, u.is_admin DESC, u.id LIMIT 1), "
	    "t.language) FROM partners p JOIN tenants t ON t.id = "
	    "p.tenant_id WHERE p.id = ? AND p.tenant_id = ?",
	    partner);
}

int inv_lang_enter(int lang)
{
	int old = tp_i18n_current();
	if (lang >= 0)
		tp_i18n_use(lang);
	return old;
}

/* The word a page shows for a stored state ("settled", "open"): the value
 * itself in English, its translation in the viewer's language. Only the
 * values listed here are looked up; anything else is shown as it is. */
static const char *const states[] = {
    /* TRANSLATORS: the state of a payment or a dispute, shown in a
     * table */
    N_("pending"), N_("unknown"),  N_("settled"),  N_("declined"),
    N_("open"),    N_("accepted"), N_("rejected"), NULL};

const char *inv_state_label(const char *v)
{
	for (size_t i = 0; v != NULL && states[i] != NULL; i++)
		if (strcmp(states[i], v) == 0)
			return tp_tr(states[i]);
	return v;
}
