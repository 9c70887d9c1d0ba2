-- 005_customers.sql -- customers and their services, which every module
-- reads: the product catalog per brand, service locations per account (one
-- of them "Bill To"), services on accounts; the grid's per-brand column
-- settings and per-user column choices. Money is BIGINT ten-thousandths
-- with a currency; nothing with money attached is ever deleted.

ALTER TABLE accounts
  ADD COLUMN contact_name VARCHAR(128) NOT NULL DEFAULT '' AFTER name,
  ADD COLUMN email VARCHAR(255) NOT NULL DEFAULT '' AFTER contact_name,
  ADD COLUMN phone VARCHAR(32) NOT NULL DEFAULT '' AFTER email,
  ADD COLUMN closed_at DATETIME NULL AFTER status,
  -- the grid's orders within a brand (keyset paging: value, then id; the
  -- optimizer does not read a unique key's implicit id as an order)
  ADD KEY accounts_number_id (tenant_id, number, id),
  ADD KEY accounts_name (tenant_id, name, id),
  ADD KEY accounts_created (tenant_id, created_at, id),
  ADD KEY accounts_status (tenant_id, status, number);

CREATE TABLE products (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(128) NOT NULL,
  product_type ENUM('voip-line','toll-free','pbx-seat','hosting','sip-account','extension','other') NOT NULL,
  currency CHAR(3) NOT NULL,
  periodic_charge BIGINT NOT NULL DEFAULT 0,      -- ten-thousandths
  bill_cycle ENUM('none','monthly','quarterly','yearly') NOT NULL DEFAULT 'monthly',
  one_time_charge BIGINT NOT NULL DEFAULT 0,      -- ten-thousandths
  term_months INT UNSIGNED NOT NULL DEFAULT 0,    -- 0: no term
  active TINYINT(1) NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY products_name (tenant_id, name),
  KEY products_name_id (tenant_id, name, id),
  CONSTRAINT products_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE locations (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(128) NOT NULL DEFAULT '',
  street VARCHAR(255) NOT NULL,
  city VARCHAR(128) NOT NULL,
  postcode VARCHAR(16) NOT NULL DEFAULT '',
  region VARCHAR(64) NOT NULL DEFAULT '',
  country CHAR(2) NOT NULL,
  is_bill_to TINYINT(1) NOT NULL DEFAULT 0,
  -- at most one "Bill To" per account
  bill_to_account BIGINT UNSIGNED AS (IF(is_bill_to, account_id, NULL)) PERSISTENT,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY locations_bill_to (bill_to_account),
  KEY locations_account (account_id),
  CONSTRAINT locations_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT locations_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- partner_id is the account's, kept here so a scoped list of services is
-- one indexed join on partner_tree (accounts do not change partner)
CREATE TABLE services (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  partner_id BIGINT UNSIGNED NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  product_id BIGINT UNSIGNED NOT NULL,
  parent_service_id BIGINT UNSIGNED NULL,          -- an extension's PBX
  status ENUM('pending','active','suspended','disconnected') NOT NULL DEFAULT 'pending',
  currency CHAR(3) NOT NULL,
  periodic_charge BIGINT NOT NULL DEFAULT 0,      -- from the product unless set
  bill_cycle ENUM('none','monthly','quarterly','yearly') NOT NULL DEFAULT 'monthly',
  one_time_charge BIGINT NOT NULL DEFAULT 0,
  start_date DATE NOT NULL,
  term_end DATE NULL,
  phone_number VARCHAR(32) NOT NULL DEFAULT '',
  btn VARCHAR(32) NOT NULL DEFAULT '',             -- billing telephone number
  location_id BIGINT UNSIGNED NULL,
  comments VARCHAR(500) NOT NULL DEFAULT '',
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY services_account (account_id, id),
  KEY services_partner (partner_id, id),
  KEY services_tenant (tenant_id, id),
  KEY services_start (tenant_id, start_date, id),
  KEY services_phone (tenant_id, phone_number),
  CONSTRAINT services_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT services_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT services_product_fk FOREIGN KEY (product_id) REFERENCES products (id),
  CONSTRAINT services_location_fk FOREIGN KEY (location_id) REFERENCES locations (id),
  CONSTRAINT services_parent_fk FOREIGN KEY (parent_service_id) REFERENCES services (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- a brand's changes to a grid's columns: label ("NRC" -> "One-Time"),
-- visibility (shown by default; optional: a user may add it; hidden: gone
-- for the brand's users; NULL: as the grid declares), position in the
-- default order
CREATE TABLE grid_columns (
  tenant_id BIGINT UNSIGNED NOT NULL,
  grid VARCHAR(32) NOT NULL,
  col VARCHAR(32) NOT NULL,
  label VARCHAR(64) NULL,
  visibility ENUM('shown','optional','hidden') NULL,
  position INT NULL,
  PRIMARY KEY (tenant_id, grid, col),
  CONSTRAINT grid_columns_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- a user's own visible columns, in order ("number,name,status")
CREATE TABLE grid_user_columns (
  user_id BIGINT UNSIGNED NOT NULL,
  grid VARCHAR(32) NOT NULL,
  cols VARCHAR(1024) NOT NULL,
  PRIMARY KEY (user_id, grid),
  CONSTRAINT grid_user_columns_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
