-- 001_invoices.sql -- the invoices module's documents (docs/money.md):
-- invoices and credit notes with their lines, the gapless numbering per
-- brand and series, billing runs, collection steps, disputes and manual
-- adjustments. Money moves only in the core ledger; these tables are the
-- documents the ledger's entries point to. Nothing here is ever deleted.

-- The next number of each series of a brand ("INV", "CN"), taken with a
-- row lock in the transaction that issues the document: gapless, since a
-- rollback gives the number back with the document.
CREATE TABLE invoice_numbers (
  tenant_id BIGINT UNSIGNED NOT NULL,
  series VARCHAR(8) NOT NULL,
  next_seq BIGINT UNSIGNED NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, series)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One run per brand and cycle start (the bill day's cycles: several a
-- month when accounts have bill days of their own).
CREATE TABLE invoice_runs (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  cycle_start DATE NOT NULL,
  cycle_end DATE NOT NULL,
  status ENUM('running','done') NOT NULL DEFAULT 'running',
  accounts_billed INT UNSIGNED NOT NULL DEFAULT 0,
  invoices_issued INT UNSIGNED NOT NULL DEFAULT 0,
  lines_written INT UNSIGNED NOT NULL DEFAULT 0,
  started_at DATETIME NOT NULL,
  finished_at DATETIME NULL,
  UNIQUE KEY invoice_runs_cycle (tenant_id, cycle_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- An invoice or a credit note. A run's invoice has run_key (cycle start
-- and account): billed once whatever happens to the run. number is NULL
-- while a draft. Buyer and seller are copied at issue, so a document says
-- forever what it said then.
CREATE TABLE invoices (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  partner_id BIGINT UNSIGNED NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  kind ENUM('invoice','credit_note') NOT NULL DEFAULT 'invoice',
  status ENUM('draft','issued') NOT NULL DEFAULT 'draft',
  series VARCHAR(8) NULL,
  seq BIGINT UNSIGNED NULL,
  number VARCHAR(32) NULL,
  run_id BIGINT UNSIGNED NULL,
  run_key VARCHAR(64) NULL,
  credits_invoice_id BIGINT UNSIGNED NULL,
  currency CHAR(3) NOT NULL,
  period_start DATE NULL,
  period_end DATE NULL,
  issue_date DATE NULL,
  due_date DATE NULL,
  method ENUM('email','paper','email+paper') NOT NULL DEFAULT 'email',
  language VARCHAR(16) NOT NULL DEFAULT 'en',
  balance_forward BIGINT NOT NULL DEFAULT 0,
  recurring_total BIGINT NOT NULL DEFAULT 0,
  one_time_total BIGINT NOT NULL DEFAULT 0,
  usage_total BIGINT NOT NULL DEFAULT 0,
  late_fee_total BIGINT NOT NULL DEFAULT 0,
  subtotal BIGINT NOT NULL DEFAULT 0,
  tax_total BIGINT NOT NULL DEFAULT 0,
  total BIGINT NOT NULL DEFAULT 0,
  credited BIGINT NOT NULL DEFAULT 0,     -- by credit notes (positive)
  paid BIGINT NOT NULL DEFAULT 0,         -- allocated payments
  disputed BIGINT NOT NULL DEFAULT 0,     -- open disputes: collections wait
  buyer_name VARCHAR(128) NOT NULL DEFAULT '',
  buyer_number VARCHAR(32) NOT NULL DEFAULT '',
  buyer_address VARCHAR(512) NOT NULL DEFAULT '',
  buyer_tax_id VARCHAR(32) NOT NULL DEFAULT '',
  seller_name VARCHAR(128) NOT NULL DEFAULT '',
  seller_address VARCHAR(512) NOT NULL DEFAULT '',
  seller_tax_id VARCHAR(32) NOT NULL DEFAULT '',
  ledger_txn_id BIGINT UNSIGNED NULL,
  memo VARCHAR(255) NOT NULL DEFAULT '',
  created_by BIGINT UNSIGNED NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY invoices_number (tenant_id, series, seq),
  UNIQUE KEY invoices_run_key (tenant_id, run_key),
  KEY invoices_account (account_id, issue_date, id),
  KEY invoices_partner (partner_id, issue_date, id),
  KEY invoices_tenant_date (tenant_id, issue_date, id),
  KEY invoices_tenant_due (tenant_id, due_date, id),
  KEY invoices_credits (credits_invoice_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- amount is the line's rounded amount (a credit note's lines are
-- positive: what it takes off); tax_amount the tax computed and rounded
-- on this line; a 'tax' line is a rate's sum (base, rate_ppm).
CREATE TABLE invoice_lines (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  invoice_id BIGINT UNSIGNED NOT NULL,
  line_no INT UNSIGNED NOT NULL,
  kind ENUM('recurring','one_time','usage','etf','late_fee','adjustment','tax') NOT NULL,
  description VARCHAR(255) NOT NULL,
  service_id BIGINT UNSIGNED NULL,
  product_id BIGINT UNSIGNED NULL,
  location_id BIGINT UNSIGNED NULL,
  category VARCHAR(32) NOT NULL DEFAULT 'other',
  tax_class VARCHAR(32) NOT NULL DEFAULT 'standard',
  period_start DATE NULL,
  period_end DATE NULL,
  quantity BIGINT NOT NULL DEFAULT 1,
  unit_amount BIGINT NOT NULL DEFAULT 0,
  amount BIGINT NOT NULL,
  tax_amount BIGINT NOT NULL DEFAULT 0,
  rate_ppm INT UNSIGNED NULL,
  base BIGINT NULL,
  credits_line_id BIGINT UNSIGNED NULL,
  UNIQUE KEY invoice_lines_no (invoice_id, line_no),
  CONSTRAINT invoice_lines_invoice_fk FOREIGN KEY (invoice_id) REFERENCES invoices (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- each collection step of an invoice happens once (the key), audited
CREATE TABLE invoice_collections (
  tenant_id BIGINT UNSIGNED NOT NULL,
  invoice_id BIGINT UNSIGNED NOT NULL,
  step ENUM('remind_before','remind_after','late_fee','suspend','restore') NOT NULL,
  done_at DATETIME NOT NULL,
  PRIMARY KEY (invoice_id, step),
  KEY invoice_collections_tenant (tenant_id, done_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- a customer's dispute of an invoice line: collections pause for the
-- disputed amount until an operator resolves it
CREATE TABLE invoice_disputes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  partner_id BIGINT UNSIGNED NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  invoice_id BIGINT UNSIGNED NOT NULL,
  line_id BIGINT UNSIGNED NOT NULL,
  amount BIGINT NOT NULL,
  reason VARCHAR(500) NOT NULL,
  status ENUM('open','accepted','rejected') NOT NULL DEFAULT 'open',
  resolution VARCHAR(500) NOT NULL DEFAULT '',
  created_by BIGINT UNSIGNED NULL,
  resolved_by BIGINT UNSIGNED NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  resolved_at DATETIME NULL,
  UNIQUE KEY invoice_disputes_line (line_id, status),
  KEY invoice_disputes_account (account_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- an operator's credit, debit or write-off: posted at once under the
-- brand's approval threshold, else pending until a second operator
-- approves it
CREATE TABLE money_adjustments (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  partner_id BIGINT UNSIGNED NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  kind ENUM('credit','debit','write_off') NOT NULL,
  amount BIGINT NOT NULL,
  currency CHAR(3) NOT NULL,
  reason_code ENUM('goodwill','billing_error','service_outage','fee','bad_debt','other') NOT NULL,
  note VARCHAR(500) NOT NULL DEFAULT '',
  status ENUM('pending','posted','rejected') NOT NULL,
  requested_by BIGINT UNSIGNED NOT NULL,
  approved_by BIGINT UNSIGNED NULL,
  ledger_txn_id BIGINT UNSIGNED NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  decided_at DATETIME NULL,
  KEY money_adjustments_account (account_id, id),
  KEY money_adjustments_pending (tenant_id, status, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
