-- 001_commissions.sql -- commission plans, their rules, what partners
-- earned line by line, and the runs that compute it (docs/commissions.md).
--
-- Amounts are BIGINT ten-thousandths beside a CHAR(3) currency; rates are
-- ppm (15 % = 150000). A plan's rules are never edited in place once
-- they may have produced a line: a change ends a rule's validity and adds
-- the next one, so commission already computed keeps the rate it had.
-- Commission lines are never updated in amount: a clawback is a negative
-- line of its own (reverses_line_id).

-- A brand's commission settings (one row per brand; defaults when none).
-- hold_days: a line stays 'pending' that many days after the revenue it
-- comes from (a refund inside them cancels it) before it is approvable.
-- min_payout: the least a disbursement or a payout request pays.
-- cap_ppm: the most a revenue line pays out in total, every level
-- together, as a share of its basis (0: no cap); overrides are cut from
-- the top level down, the seller's own (level 0) line never.
CREATE TABLE commission_settings (
  tenant_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  hold_days INT UNSIGNED NOT NULL DEFAULT 30,
  min_payout BIGINT NOT NULL DEFAULT 500000,
  cap_ppm INT UNSIGNED NOT NULL DEFAULT 0,
  payout_provider VARCHAR(32) NOT NULL DEFAULT 'file',
  updated_by BIGINT UNSIGNED NULL,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  CONSTRAINT commission_settings_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A plan: a named set of rules in one currency (its fixed amounts).
CREATE TABLE commission_plans (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(64) NOT NULL,
  description VARCHAR(255) NOT NULL DEFAULT '',
  currency CHAR(3) NOT NULL,
  status ENUM('active','retired') NOT NULL DEFAULT 'active',
  created_by BIGINT UNSIGNED NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY commission_plans_name (tenant_id, name),
  CONSTRAINT commission_plans_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A rule of a plan, valid for revenue dated [valid_from, valid_to] (NULL:
-- open). product_id / category_id: the product or category it is for
-- (both NULL: every product). kind:
--   nrc       one-time, on a service's activation: calc 'fixed' (amount)
--             or 'percent' (rate_ppm of its one-time charge);
--             chargeback_days: cancelled within that many days of
--             activation takes it back (0: never)
--   residual  rate_ppm of what the customer PAID against recurring
--             invoice lines of the product; months: for that many months
--             from the service's start (NULL: for life)
--   usage     rate_ppm of what was paid against usage lines
--   override  the plan's holder earns rate_ppm on a descendant's
--             commission (basis 'commission') or on the revenue (basis
--             'revenue') when the seller is `level` levels below it
--   sales     PortaBilling's sales commission: rate_ppm of an account's
--             opening balance when a distributor creates it (or is
--             assigned it), posted at once
--   payment   PortaBilling's payment commission: rate_ppm of a cash
--             payment the distributor records, posted at once
CREATE TABLE commission_rules (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  plan_id BIGINT UNSIGNED NOT NULL,
  kind ENUM('nrc','residual','usage','override','sales','payment') NOT NULL,
  product_id BIGINT UNSIGNED NULL,
  category_id BIGINT UNSIGNED NULL,
  calc ENUM('percent','fixed') NOT NULL DEFAULT 'percent',
  rate_ppm INT UNSIGNED NOT NULL DEFAULT 0,
  amount BIGINT NOT NULL DEFAULT 0,
  months INT UNSIGNED NULL,
  level TINYINT UNSIGNED NOT NULL DEFAULT 0,
  basis ENUM('commission','revenue') NOT NULL DEFAULT 'commission',
  chargeback_days INT UNSIGNED NOT NULL DEFAULT 0,
  valid_from DATE NOT NULL,
  valid_to DATE NULL,
  created_by BIGINT UNSIGNED NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY commission_rules_plan (plan_id, kind, valid_from),
  CONSTRAINT commission_rules_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT commission_rules_plan_fk FOREIGN KEY (plan_id) REFERENCES commission_plans (id),
  CONSTRAINT commission_rules_product_fk FOREIGN KEY (product_id) REFERENCES products (id),
  CONSTRAINT commission_rules_category_fk FOREIGN KEY (category_id) REFERENCES product_categories (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The plan a partner earns by. A partner without a row earns by its
-- nearest ancestor's (partner_tree); no plan up the tree: nothing.
CREATE TABLE commission_assignments (
  tenant_id BIGINT UNSIGNED NOT NULL,
  partner_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  plan_id BIGINT UNSIGNED NOT NULL,
  assigned_by BIGINT UNSIGNED NULL,
  assigned_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY commission_assignments_plan (plan_id),
  CONSTRAINT commission_assignments_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT commission_assignments_partner_fk FOREIGN KEY (partner_id) REFERENCES partners (id),
  CONSTRAINT commission_assignments_plan_fk FOREIGN KEY (plan_id) REFERENCES commission_plans (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A run of a period (`tierportctl commissions run --period 2026-11`, the
-- monthly job). It takes every source not yet taken that is dated up to
-- the period's end, so a late payment of an old period lands in the next
-- run, once (commission_lines.source_key).
CREATE TABLE commission_runs (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  period CHAR(7) NOT NULL,
  status ENUM('running','done') NOT NULL DEFAULT 'running',
  line_count INT UNSIGNED NOT NULL DEFAULT 0,
  started_at DATETIME NOT NULL,
  finished_at DATETIME NULL,
  started_by BIGINT UNSIGNED NULL,
  KEY commission_runs_period (tenant_id, period, id),
  CONSTRAINT commission_runs_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- What a partner earned, one line per charge and per tree level.
-- partner_id: who earns it; seller_id: the partner that sold (level 0:
-- the same); level 0 own sale, 1.. an override `level` levels up.
-- source_key: what it comes from, unique per brand -- the exactly-once of
-- a run ("res:ALLOCATION:LINE:L2", "nrc:SERVICE:L0", "pay:PAYMENT:L0").
-- basis: the revenue (or, for an override on commission, the commission)
-- it is computed on; amount: what it pays (< 0: a clawback, which names
-- the line it takes back). Status: pending (inside the brand's hold,
-- until hold_until) -> approvable -> approved / held (status_note says
-- why) / declined -> paid (disbursement_id), or cancelled (a refund
-- inside the hold). Instant distributor lines are 'paid' at once (netted
-- against the distributor's balance).
CREATE TABLE commission_lines (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  run_id BIGINT UNSIGNED NULL,
  period CHAR(7) NOT NULL,
  source_key VARCHAR(96) NOT NULL,
  kind ENUM('nrc','residual','usage','override','sales','payment','chargeback') NOT NULL,
  partner_id BIGINT UNSIGNED NOT NULL,
  seller_id BIGINT UNSIGNED NOT NULL,
  level TINYINT UNSIGNED NOT NULL DEFAULT 0,
  account_id BIGINT UNSIGNED NULL,
  service_id BIGINT UNSIGNED NULL,
  product_id BIGINT UNSIGNED NULL,
  invoice_id BIGINT UNSIGNED NULL,
  invoice_line_id BIGINT UNSIGNED NULL,
  payment_id BIGINT UNSIGNED NULL,
  rule_id BIGINT UNSIGNED NULL,
  reverses_line_id BIGINT UNSIGNED NULL,
  earned_on DATE NOT NULL,
  basis BIGINT NOT NULL,
  rate_ppm INT UNSIGNED NOT NULL DEFAULT 0,
  amount BIGINT NOT NULL,
  currency CHAR(3) NOT NULL,
  status ENUM('pending','approvable','approved','held','declined','paid','cancelled') NOT NULL DEFAULT 'pending',
  hold_until DATE NULL,
  status_note VARCHAR(255) NOT NULL DEFAULT '',
  status_by BIGINT UNSIGNED NULL,
  status_at DATETIME NULL,
  disbursement_id BIGINT UNSIGNED NULL,
  paid_at DATETIME NULL,
  ledger_txn_id BIGINT UNSIGNED NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY commission_lines_source (tenant_id, source_key),
  KEY commission_lines_partner (tenant_id, partner_id, status, id),
  KEY commission_lines_status (tenant_id, status, hold_until, id),
  KEY commission_lines_period (tenant_id, period, id),
  KEY commission_lines_account (account_id, id),
  KEY commission_lines_payment (payment_id),
  KEY commission_lines_service (service_id),
  KEY commission_lines_disbursement (disbursement_id),
  CONSTRAINT commission_lines_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT commission_lines_partner_fk FOREIGN KEY (partner_id) REFERENCES partners (id),
  CONSTRAINT commission_lines_run_fk FOREIGN KEY (run_id) REFERENCES commission_runs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A payment of a partner's approved lines (docs/commissions.md): to its
-- bank account through the brand's payout provider, or to its prepaid
-- balance (A2Billing's withdrawal). Lines join it when it is made and are
-- 'paid' only when the provider confirms; a failed or unknown payout
-- leaves them approved (disbursement_id set until it fails) and a retry
-- uses the same idem_key, so nothing is paid twice.
CREATE TABLE commission_disbursements (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  partner_id BIGINT UNSIGNED NOT NULL,
  number VARCHAR(32) NOT NULL,
  description VARCHAR(255) NOT NULL DEFAULT '',
  reference VARCHAR(64) NOT NULL DEFAULT '',
  comments VARCHAR(500) NOT NULL DEFAULT '',
  destination ENUM('bank','balance') NOT NULL DEFAULT 'bank',
  provider VARCHAR(32) NOT NULL DEFAULT '',
  provider_ref VARCHAR(128) NULL,
  status ENUM('sending','paid','failed','unknown') NOT NULL DEFAULT 'sending',
  failure VARCHAR(255) NULL,
  amount BIGINT NOT NULL,
  currency CHAR(3) NOT NULL,
  line_count INT UNSIGNED NOT NULL DEFAULT 0,
  idem_key VARCHAR(128) NOT NULL,
  ledger_txn_id BIGINT UNSIGNED NULL,
  request_id BIGINT UNSIGNED NULL,
  created_by BIGINT UNSIGNED NULL,
  created_at DATETIME NOT NULL,
  paid_at DATETIME NULL,
  UNIQUE KEY commission_disbursements_number (tenant_id, number),
  UNIQUE KEY commission_disbursements_key (tenant_id, idem_key),
  KEY commission_disbursements_partner (tenant_id, partner_id, id),
  KEY commission_disbursements_status (tenant_id, status, id),
  CONSTRAINT commission_disbursements_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT commission_disbursements_partner_fk FOREIGN KEY (partner_id) REFERENCES partners (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
