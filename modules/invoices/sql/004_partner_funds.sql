-- 004_partner_funds.sql -- a partner's funds (docs/money.md, "Partners'
-- balances"): each refill an operator records for a partner (add funds: Dr
-- cash / Cr partner.receivable) and each transfer a partner makes from its
-- funds to a customer's account in its subtree (Dr partner.receivable / Cr
-- the customer, one ledger transaction). The ledger holds the money; these
-- rows are the documents the reports list.
CREATE TABLE partner_funds (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  partner_id BIGINT UNSIGNED NOT NULL,
  account_id BIGINT UNSIGNED NULL,          -- a transfer's customer
  kind ENUM('refill','transfer') NOT NULL,
  amount BIGINT NOT NULL,                   -- > 0, ten-thousandths
  currency CHAR(3) NOT NULL,
  reference VARCHAR(128) NOT NULL DEFAULT '',
  ledger_txn_id BIGINT UNSIGNED NULL,
  recorded_by BIGINT UNSIGNED NULL,         -- the user
  created_at DATETIME NOT NULL,
  KEY partner_funds_partner (tenant_id, partner_id, kind, id),
  KEY partner_funds_account (account_id, id),
  CONSTRAINT partner_funds_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT partner_funds_partner_fk FOREIGN KEY (partner_id) REFERENCES partners (id),
  CONSTRAINT partner_funds_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
