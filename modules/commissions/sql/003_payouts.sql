-- 003_payouts.sql -- paying partners their approved commission
-- (docs/commissions.md, "Disbursements and payouts"): the gapless
-- disbursement numbers, the payout bank details partners enter (the
-- account number sealed by the key store, never in clear), their payout
-- requests, the payout runs, and the payout providers' own books.

-- The next disbursement number of a brand ("D-000001"), taken with a row
-- lock in the transaction that makes the disbursement: gapless, since a
-- rollback gives the number back with the disbursement.
CREATE TABLE commission_disbursement_numbers (
  tenant_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  next_seq BIGINT UNSIGNED NOT NULL DEFAULT 1,
  CONSTRAINT commission_disbursement_numbers_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A partner's bank account for payouts. A change is a new row, 'pending'
-- until a partner admin opens the link mailed to the partner's admins
-- (confirm_hash: SHA-256 of the link's token; the token itself is never
-- stored); confirming one makes the partner's older rows 'replaced'.
-- Payouts use the newest 'confirmed' row only, so details entered by
-- someone who got hold of a login pay nothing until confirmed by mail.
-- account_sealed: tp_seal of the account number; last4 is what is shown.
CREATE TABLE commission_payout_details (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  partner_id BIGINT UNSIGNED NOT NULL,
  holder VARCHAR(128) NOT NULL,
  routing CHAR(9) NOT NULL,
  account_sealed VARCHAR(255) NOT NULL,
  last4 CHAR(4) NOT NULL,
  account_type ENUM('checking','savings') NOT NULL DEFAULT 'checking',
  status ENUM('pending','confirmed','replaced') NOT NULL DEFAULT 'pending',
  confirm_hash BINARY(32) NULL,
  created_by BIGINT UNSIGNED NULL,
  created_at DATETIME NOT NULL,
  confirmed_by BIGINT UNSIGNED NULL,
  confirmed_at DATETIME NULL,
  UNIQUE KEY commission_payout_details_confirm (confirm_hash),
  KEY commission_payout_details_partner (tenant_id, partner_id, status, id),
  CONSTRAINT commission_payout_details_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT commission_payout_details_partner_fk FOREIGN KEY (partner_id) REFERENCES partners (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A partner asks for its approved balance (A2Billing's remittance, WHMCS
-- affiliates' withdrawal request): to its bank account or its prepaid
-- balance. open_partner is partner_id while the request is open and NULL
-- after, so the unique key allows one open request per partner.
CREATE TABLE commission_requests (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  partner_id BIGINT UNSIGNED NOT NULL,
  open_partner BIGINT UNSIGNED NULL,
  destination ENUM('bank','balance') NOT NULL DEFAULT 'bank',
  amount BIGINT NOT NULL,
  currency CHAR(3) NOT NULL,
  status ENUM('open','paid','refused') NOT NULL DEFAULT 'open',
  reason VARCHAR(255) NOT NULL DEFAULT '',
  disbursement_id BIGINT UNSIGNED NULL,
  created_by BIGINT UNSIGNED NULL,
  created_at DATETIME NOT NULL,
  decided_by BIGINT UNSIGNED NULL,
  decided_at DATETIME NULL,
  UNIQUE KEY commission_requests_open (tenant_id, open_partner),
  KEY commission_requests_partner (tenant_id, partner_id, id),
  KEY commission_requests_status (tenant_id, status, id),
  CONSTRAINT commission_requests_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT commission_requests_partner_fk FOREIGN KEY (partner_id) REFERENCES partners (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A payout run (POST /commissions/payout-runs): one disbursement per
-- partner over the minimum, sent together (the file provider: one file).
CREATE TABLE commission_payout_runs (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  provider VARCHAR(32) NOT NULL,
  disbursements INT UNSIGNED NOT NULL DEFAULT 0,
  created_by BIGINT UNSIGNED NULL,
  created_at DATETIME NOT NULL,
  KEY commission_payout_runs_tenant (tenant_id, id),
  CONSTRAINT commission_payout_runs_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The bank details a disbursement pays to (the confirmed row when it was
-- made: a retry pays the same account), and its payout run, if any.
ALTER TABLE commission_disbursements
  ADD COLUMN details_id BIGINT UNSIGNED NULL AFTER request_id,
  ADD COLUMN run_id BIGINT UNSIGNED NULL AFTER details_id;

-- The built-in providers' own books (payout_file.c, payout_test.c): what
-- each did under a key, written at once outside our transactions like a
-- real provider's, so a key is paid once however often it is sent and a
-- lost answer can be asked for again (lookup).
CREATE TABLE commission_payout_books (
  tenant_id BIGINT UNSIGNED NOT NULL,
  provider VARCHAR(32) NOT NULL,
  idem_key VARCHAR(128) NOT NULL,
  result ENUM('paid','failed') NOT NULL,
  reference VARCHAR(128) NOT NULL DEFAULT '',
  reason VARCHAR(255) NOT NULL DEFAULT '',
  amount BIGINT NOT NULL,
  currency CHAR(3) NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (tenant_id, provider, idem_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
