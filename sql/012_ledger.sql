-- 012_ledger.sql -- money (docs/money.md): the ledger every money module
-- posts to, the idempotency keys of money-moving actions, and the core
-- catalog and account fields billing needs (product categories and tax
-- classes, tax rates, bill day and due days, prepaid or postpaid, service
-- end dates with a status history), the brand's billing settings, rated
-- usage (filled by the usage module) and pending one-time charges.
--
-- Amounts are BIGINT ten-thousandths beside a CHAR(3) currency. Ledger
-- rows are never updated or deleted: a correction is a new transaction.

-- The chart of ledger accounts per brand. Rows are made on first use from
-- the default chart in core/data/ledger.c (a brand may rename them here).
-- holder: whose balance an entry on it moves (accounts.balance or
-- partners.balance, in the same transaction).
CREATE TABLE ledger_accounts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  code VARCHAR(48) NOT NULL,
  name VARCHAR(128) NOT NULL,
  type ENUM('asset','liability','equity','income','expense') NOT NULL,
  holder ENUM('none','account','partner') NOT NULL DEFAULT 'none',
  UNIQUE KEY ledger_accounts_code (tenant_id, code),
  CONSTRAINT ledger_accounts_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One balanced movement. idem_key is unique per brand: a retry with the
-- same key and the same content (content_hash) is the first transaction;
-- other content under the key is refused.
CREATE TABLE ledger_txns (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  idem_key VARCHAR(128) NOT NULL,
  content_hash BINARY(32) NOT NULL,
  kind VARCHAR(32) NOT NULL,
  currency CHAR(3) NOT NULL,
  account_id BIGINT UNSIGNED NULL,
  partner_id BIGINT UNSIGNED NULL,
  document_type VARCHAR(32) NULL,
  document_id BIGINT UNSIGNED NULL,
  memo VARCHAR(255) NOT NULL DEFAULT '',
  user_id BIGINT UNSIGNED NULL,
  effective_at DATETIME NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY ledger_txns_key (tenant_id, idem_key),
  KEY ledger_txns_account (account_id, effective_at, id),
  KEY ledger_txns_partner (partner_id, effective_at, id),
  KEY ledger_txns_document (tenant_id, document_type, document_id),
  CONSTRAINT ledger_txns_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- amount > 0 is a debit, < 0 a credit; a transaction's entries sum to 0.
-- The references let other modules compute from the ledger and the core
-- catalog without reading a module's document tables.
CREATE TABLE ledger_entries (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  txn_id BIGINT UNSIGNED NOT NULL,
  ledger_account_id BIGINT UNSIGNED NOT NULL,
  amount BIGINT NOT NULL,
  currency CHAR(3) NOT NULL,
  account_id BIGINT UNSIGNED NULL,
  partner_id BIGINT UNSIGNED NULL,
  service_id BIGINT UNSIGNED NULL,
  product_id BIGINT UNSIGNED NULL,
  document_type VARCHAR(32) NULL,
  document_id BIGINT UNSIGNED NULL,
  memo VARCHAR(255) NOT NULL DEFAULT '',
  KEY ledger_entries_txn (txn_id),
  KEY ledger_entries_account (account_id, ledger_account_id),
  KEY ledger_entries_partner (partner_id, ledger_account_id),
  KEY ledger_entries_tenant (tenant_id, id),
  CONSTRAINT ledger_entries_txn_fk FOREIGN KEY (txn_id) REFERENCES ledger_txns (id),
  CONSTRAINT ledger_entries_la_fk FOREIGN KEY (ledger_account_id) REFERENCES ledger_accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

ALTER TABLE partners
  ADD COLUMN balance BIGINT NOT NULL DEFAULT 0 AFTER warning_threshold;

-- A money-moving user action, by its idempotency key (an API header, or a
-- key each HTML form render makes): the first result is kept and a retry
-- gets it back; the same key with other content is a 409.
CREATE TABLE idempotency_keys (
  tenant_id BIGINT UNSIGNED NOT NULL,
  idem_key VARCHAR(128) NOT NULL,
  action VARCHAR(64) NOT NULL,
  content_hash BINARY(32) NOT NULL,
  user_id BIGINT UNSIGNED NULL,
  result MEDIUMTEXT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (tenant_id, idem_key),
  KEY idempotency_keys_created (created_at),
  CONSTRAINT idempotency_keys_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- ------------------------------------------------------------ catalog

-- revenue is booked by category (ledger account "revenue.CODE")
CREATE TABLE product_categories (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  code VARCHAR(32) NOT NULL,
  name VARCHAR(64) NOT NULL,
  UNIQUE KEY product_categories_code (tenant_id, code),
  CONSTRAINT product_categories_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

ALTER TABLE products
  ADD COLUMN category_id BIGINT UNSIGNED NULL AFTER product_type,
  ADD COLUMN tax_class VARCHAR(32) NOT NULL DEFAULT 'standard' AFTER category_id,
  ADD COLUMN early_termination_fee BIGINT NOT NULL DEFAULT 0 AFTER term_months,
  ADD CONSTRAINT products_category_fk FOREIGN KEY (category_id) REFERENCES product_categories (id);

-- Exclusive taxes by tax class: a class may carry several rates (federal
-- and state), each computed and rounded per invoice line. rate_ppm is
-- parts per million (20 % = 200000).
CREATE TABLE tax_rates (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  tax_class VARCHAR(32) NOT NULL,
  name VARCHAR(64) NOT NULL,
  rate_ppm INT UNSIGNED NOT NULL,
  active TINYINT(1) NOT NULL DEFAULT 1,
  UNIQUE KEY tax_rates_name (tenant_id, tax_class, name),
  CONSTRAINT tax_rates_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- ------------------------------------------------------------ accounts

ALTER TABLE accounts
  ADD COLUMN billing_type ENUM('postpaid','prepaid') NOT NULL DEFAULT 'postpaid' AFTER currency,
  ADD COLUMN bill_day TINYINT UNSIGNED NULL AFTER billing_type,   -- 1..28; NULL: the brand's
  ADD COLUMN due_days SMALLINT UNSIGNED NULL AFTER bill_day,      -- NULL: the brand's
  ADD COLUMN tax_id VARCHAR(32) NOT NULL DEFAULT '' AFTER due_days,
  ADD COLUMN language VARCHAR(16) NULL AFTER tax_id,
  ADD COLUMN invoice_delivery SET('paper','email') NOT NULL DEFAULT 'email' AFTER language,
  ADD COLUMN billing_email VARCHAR(255) NOT NULL DEFAULT '' AFTER invoice_delivery,
  ADD COLUMN payment_email VARCHAR(255) NOT NULL DEFAULT '' AFTER billing_email,
  ADD KEY accounts_balance (tenant_id, balance, id);

-- the brand as a seller on its documents, and its billing rules
ALTER TABLE tenants
  ADD COLUMN legal_name VARCHAR(128) NULL AFTER name,
  ADD COLUMN legal_address VARCHAR(255) NULL AFTER legal_name,
  ADD COLUMN tax_id VARCHAR(32) NULL AFTER legal_address;

CREATE TABLE billing_settings (
  tenant_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  bill_day TINYINT UNSIGNED NOT NULL DEFAULT 1,        -- 1: calendar month
  due_days SMALLINT UNSIGNED NOT NULL DEFAULT 14,
  late_fee_fixed BIGINT NOT NULL DEFAULT 0,            -- per overdue invoice
  late_fee_ppm INT UNSIGNED NOT NULL DEFAULT 0,        -- of the overdue amount
  late_fee_grace_days SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  remind_before_days SMALLINT UNSIGNED NOT NULL DEFAULT 3,   -- 0: none
  remind_after_days SMALLINT UNSIGNED NOT NULL DEFAULT 7,    -- 0: none
  suspend_after_days SMALLINT UNSIGNED NOT NULL DEFAULT 30,  -- 0: never
  past_due_notice_days SMALLINT UNSIGNED NOT NULL DEFAULT 1, -- 0: no notice
  approval_threshold BIGINT NOT NULL DEFAULT 1000000,  -- second approver above
  delivery_read_only TINYINT(1) NOT NULL DEFAULT 0,
  CONSTRAINT billing_settings_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- ------------------------------------------------------------ services

ALTER TABLE services
  ADD COLUMN end_date DATE NULL AFTER term_end,          -- last billed day
  ADD COLUMN disconnect_date DATE NULL AFTER end_date,
  ADD COLUMN suspend_reason ENUM('none','request','non_payment') NOT NULL DEFAULT 'none' AFTER status;

-- Every change of a service's status or periodic charge, from which a
-- bill cycle is prorated by actual days: the state from `effective` on.
CREATE TABLE service_history (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  service_id BIGINT UNSIGNED NOT NULL,
  status ENUM('pending','active','suspended','disconnected') NOT NULL,
  periodic_charge BIGINT NOT NULL,
  effective DATE NOT NULL,
  reason VARCHAR(32) NOT NULL DEFAULT '',
  user_id BIGINT UNSIGNED NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY service_history_service (service_id, effective, id),
  CONSTRAINT service_history_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT service_history_service_fk FOREIGN KEY (service_id) REFERENCES services (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- the services that exist start their history on their start date
INSERT INTO service_history (tenant_id, service_id, status, periodic_charge, effective, reason)
SELECT tenant_id, id, status, periodic_charge, start_date, 'migrated' FROM services;

-- ------------------------------------------------------------ charges

-- Rated usage, filled by the usage module: a call's legs share linkedid;
-- rating is the breakdown (rate, increments, minimum); a rerate keeps the
-- replaced row (status 'rerated', replaced_by); invoice_id once billed.
CREATE TABLE rated_usage (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  partner_id BIGINT UNSIGNED NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  service_id BIGINT UNSIGNED NULL,
  product_id BIGINT UNSIGNED NULL,
  linkedid VARCHAR(64) NULL,
  leg SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  kind ENUM('call','sms','data','other') NOT NULL DEFAULT 'call',
  started_at DATETIME NOT NULL,
  duration_s INT UNSIGNED NOT NULL DEFAULT 0,
  quantity BIGINT NOT NULL DEFAULT 0,
  destination VARCHAR(64) NOT NULL DEFAULT '',
  description VARCHAR(128) NOT NULL DEFAULT '',
  amount BIGINT NOT NULL,
  currency CHAR(3) NOT NULL,
  rating TEXT NULL,
  status ENUM('rated','rerated','invoiced') NOT NULL DEFAULT 'rated',
  replaced_by BIGINT UNSIGNED NULL,
  invoice_id BIGINT UNSIGNED NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY rated_usage_account (account_id, status, started_at),
  KEY rated_usage_linked (tenant_id, linkedid),
  KEY rated_usage_invoice (invoice_id),
  CONSTRAINT rated_usage_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT rated_usage_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One-time charges and credits waiting for the next invoice (an
-- activation fee, an early-termination fee, a pro-rata refund): billed
-- once, by the run that sets invoice_id.
CREATE TABLE pending_charges (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  service_id BIGINT UNSIGNED NULL,
  product_id BIGINT UNSIGNED NULL,
  kind ENUM('one_time','etf','late_fee','adjustment') NOT NULL,
  description VARCHAR(255) NOT NULL,
  amount BIGINT NOT NULL,
  currency CHAR(3) NOT NULL,
  effective DATE NOT NULL,
  invoice_id BIGINT UNSIGNED NULL,
  idem_key VARCHAR(128) NOT NULL,
  user_id BIGINT UNSIGNED NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY pending_charges_key (tenant_id, idem_key),
  KEY pending_charges_account (account_id, invoice_id, effective),
  CONSTRAINT pending_charges_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT pending_charges_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
