-- 003_payments.sql -- customers' payments (modules/invoices/pay.c,
-- docs/money.md: payments): the payment methods a customer keeps (a card
-- by the gateway's token, a bank account sealed with the key store), each
-- payment and what it paid, refunds, autopay and dunning, and the test
-- gateway's memory. Money moves only in the core ledger; a payment row is
-- the document its ledger transaction points to. Nothing here holds a
-- card number, a CVV or a bank account number in clear.

-- A card is the gateway's token, its brand, last four and expiry; a bank
-- (ACH) account its routing number, last four and the number sealed by
-- tp_seal (the key store's current key). Removed methods stay: payments
-- point to them.
CREATE TABLE payment_methods (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  partner_id BIGINT UNSIGNED NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  kind ENUM('card','ach') NOT NULL,
  label VARCHAR(64) NOT NULL DEFAULT '',
  holder VARCHAR(128) NOT NULL DEFAULT '',
  token VARCHAR(64) NULL,                 -- card: the gateway's token
  card_brand VARCHAR(16) NULL,
  last4 CHAR(4) NOT NULL,
  exp_month TINYINT UNSIGNED NULL,
  exp_year SMALLINT UNSIGNED NULL,
  routing VARCHAR(16) NULL,               -- ach: the bank's routing number
  account_sealed VARCHAR(255) NULL,       -- ach: tp_seal of the number
  status ENUM('active','removed') NOT NULL DEFAULT 'active',
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  removed_at DATETIME NULL,
  KEY payment_methods_account (account_id, status, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One payment into a customer's account. A gateway payment is 'pending'
-- from before the gateway is asked until its answer, 'unknown' when the
-- answer never came (a job asks the gateway again), then 'settled' or
-- 'declined'; only a settled payment has a ledger transaction, a receipt
-- number and allocations. idem_key is the gateway's key for the charge
-- (or the ledger key of a payment recorded as settled): one charge per
-- key, ever.
CREATE TABLE payments (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  partner_id BIGINT UNSIGNED NOT NULL,     -- the account's partner
  account_id BIGINT UNSIGNED NOT NULL,
  invoice_id BIGINT UNSIGNED NULL,         -- paid first, if chosen
  status ENUM('pending','unknown','settled','declined') NOT NULL,
  source ENUM('customer','autopay','partner','operator') NOT NULL DEFAULT 'customer',
  method ENUM('card','ach','cash','transfer') NOT NULL,
  method_id BIGINT UNSIGNED NULL,
  recorded_by BIGINT UNSIGNED NULL,        -- the partner that took it
  debit_account VARCHAR(32) NOT NULL,
  amount BIGINT NOT NULL,
  refunded BIGINT NOT NULL DEFAULT 0,
  currency CHAR(3) NOT NULL,
  reference VARCHAR(64) NULL,              -- the gateway's or a receipt's
  decline_reason VARCHAR(255) NULL,
  idem_key VARCHAR(160) NOT NULL,
  series VARCHAR(8) NULL,
  seq BIGINT UNSIGNED NULL,
  number VARCHAR(32) NULL,                 -- the receipt's, once settled
  ledger_txn_id BIGINT UNSIGNED NULL,
  created_by BIGINT UNSIGNED NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  settled_at DATETIME NULL,
  UNIQUE KEY payments_key (tenant_id, idem_key),
  UNIQUE KEY payments_number (tenant_id, series, seq),
  KEY payments_account (account_id, id),
  KEY payments_status (tenant_id, status, id),
  KEY payments_recorded_by (recorded_by, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- what a settled payment paid of each invoice (invoices.paid moved in the
-- same transaction); what is left stays on the account as credit
CREATE TABLE payment_allocations (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  payment_id BIGINT UNSIGNED NOT NULL,
  invoice_id BIGINT UNSIGNED NOT NULL,
  amount BIGINT NOT NULL,
  KEY payment_allocations_payment (payment_id),
  KEY payment_allocations_invoice (invoice_id),
  CONSTRAINT payment_allocations_payment_fk FOREIGN KEY (payment_id) REFERENCES payments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- a refund of (part of) a settled payment, to its original method: never
-- more than is left (payments.amount - payments.refunded)
CREATE TABLE payment_refunds (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  partner_id BIGINT UNSIGNED NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  payment_id BIGINT UNSIGNED NOT NULL,
  amount BIGINT NOT NULL,
  currency CHAR(3) NOT NULL,
  reason VARCHAR(255) NOT NULL,
  reference VARCHAR(64) NULL,
  ledger_txn_id BIGINT UNSIGNED NULL,
  created_by BIGINT UNSIGNED NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY payment_refunds_payment (payment_id, id),
  CONSTRAINT payment_refunds_payment_fk FOREIGN KEY (payment_id) REFERENCES payments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- An account's payment profile: autopay (on, its method), the operator's
-- signed bank authorisation (bank autopay needs it), the prepaid
-- low-balance threshold and whether its alert went out for this
-- crossing, and dunning (the declined autopay's retries).
CREATE TABLE payment_profiles (
  account_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  autopay_method_id BIGINT UNSIGNED NULL,   -- NULL: no autopay
  ach_authorised TINYINT(1) NOT NULL DEFAULT 0,
  ach_authorised_by BIGINT UNSIGNED NULL,
  low_balance_threshold BIGINT NULL,        -- prepaid: alert below it
  low_balance_alerted TINYINT(1) NOT NULL DEFAULT 0,
  dunning_step TINYINT UNSIGNED NOT NULL DEFAULT 0,  -- declines so far
  dunning_first_day INT NULL,               -- day of the first decline
  dunning_next_day INT NULL,                -- retry on (days since 1970)
  KEY payment_profiles_autopay (tenant_id, autopay_method_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- a brand's payment rules (none: the defaults)
CREATE TABLE payment_settings (
  tenant_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  can_delete_methods TINYINT(1) NOT NULL DEFAULT 1,
  can_leave_autopay TINYINT(1) NOT NULL DEFAULT 1,
  block_prepaid_at_zero TINYINT(1) NOT NULL DEFAULT 0,
  dunning_days VARCHAR(64) NOT NULL DEFAULT '1,3,7',  -- after the first decline
  CONSTRAINT payment_settings_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The built-in test gateway's memory (gw_test.c): what it did under each
-- charge key, so a charge asked twice is made once and a lost answer can
-- be asked for again. A real gateway keeps this on its side.
CREATE TABLE gw_test_charges (
  tenant_id BIGINT UNSIGNED NOT NULL,
  idem_key VARCHAR(160) NOT NULL,
  kind ENUM('charge','refund') NOT NULL,
  token VARCHAR(64) NOT NULL,
  amount BIGINT NOT NULL,
  currency CHAR(3) NOT NULL,
  result ENUM('approved','declined') NOT NULL,
  reference VARCHAR(64) NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (tenant_id, idem_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
