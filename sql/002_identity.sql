-- 002_identity.sql -- brands (tenants), plans and tiers, the partner tree,
-- accounts, users, rights, sessions, audit log, mail outbox. Every table
-- with user data carries tenant_id; trees are closure tables so a scope
-- check is one indexed lookup.

CREATE TABLE plans (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(64) NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY plans_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- which modules a brand on this plan may use at all
CREATE TABLE plan_modules (
  plan_id BIGINT UNSIGNED NOT NULL,
  module VARCHAR(32) NOT NULL,
  PRIMARY KEY (plan_id, module),
  CONSTRAINT plan_modules_plan_fk FOREIGN KEY (plan_id) REFERENCES plans (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE tenants (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  slug VARCHAR(64) NOT NULL,          -- brand template directory name
  name VARCHAR(128) NOT NULL,
  plan_id BIGINT UNSIGNED NOT NULL,
  status ENUM('active','disabled') NOT NULL DEFAULT 'active',
  logo_url VARCHAR(255) NULL,
  color_primary CHAR(7) NOT NULL DEFAULT '#1f4e79',
  color_accent CHAR(7) NOT NULL DEFAULT '#f0a202',
  custom_css TEXT NULL,
  support_phone VARCHAR(32) NULL,
  support_email VARCHAR(255) NULL,
  support_address VARCHAR(255) NULL,
  payment_address VARCHAR(255) NULL,
  social TEXT NULL,                   -- JSON object: name -> url
  settings TEXT NULL,                 -- JSON object
  terms_required TINYINT(1) NOT NULL DEFAULT 0,
  terms_version INT UNSIGNED NOT NULL DEFAULT 1,
  terms_text TEXT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY tenants_slug (slug),
  CONSTRAINT tenants_plan_fk FOREIGN KEY (plan_id) REFERENCES plans (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- the Host header names the brand; an unknown host is a plain 404
CREATE TABLE tenant_hosts (
  host VARCHAR(255) NOT NULL PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  KEY tenant_hosts_tenant (tenant_id),
  CONSTRAINT tenant_hosts_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE tiers (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(32) NOT NULL,
  rank_no INT NOT NULL,
  points_threshold INT UNSIGNED NOT NULL DEFAULT 0,
  support_level VARCHAR(32) NOT NULL DEFAULT 'standard',
  UNIQUE KEY tiers_name (tenant_id, name),
  CONSTRAINT tiers_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- modules a tier enables (within the brand's plan)
CREATE TABLE tier_modules (
  tier_id BIGINT UNSIGNED NOT NULL,
  module VARCHAR(32) NOT NULL,
  PRIMARY KEY (tier_id, module),
  CONSTRAINT tier_modules_tier_fk FOREIGN KEY (tier_id) REFERENCES tiers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE partners (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  parent_id BIGINT UNSIGNED NULL,
  name VARCHAR(128) NOT NULL,
  kind ENUM('agent','sub-agent','distributor') NOT NULL,
  currency CHAR(3) NOT NULL,
  timezone VARCHAR(64) NOT NULL DEFAULT 'UTC',
  language VARCHAR(16) NOT NULL DEFAULT 'en',
  tier_id BIGINT UNSIGNED NULL,
  status ENUM('active','disabled') NOT NULL DEFAULT 'active',
  credit_limit BIGINT NOT NULL DEFAULT 0,      -- ten-thousandths
  warning_threshold BIGINT NOT NULL DEFAULT 0, -- ten-thousandths
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY partners_parent (tenant_id, parent_id),
  CONSTRAINT partners_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT partners_parent_fk FOREIGN KEY (parent_id) REFERENCES partners (id),
  CONSTRAINT partners_tier_fk FOREIGN KEY (tier_id) REFERENCES tiers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- closure table: every (ancestor, descendant) pair, depth 0 = itself
CREATE TABLE partner_tree (
  ancestor BIGINT UNSIGNED NOT NULL,
  descendant BIGINT UNSIGNED NOT NULL,
  depth INT UNSIGNED NOT NULL,
  PRIMARY KEY (ancestor, descendant),
  KEY partner_tree_desc (descendant, depth),
  CONSTRAINT partner_tree_anc_fk FOREIGN KEY (ancestor) REFERENCES partners (id),
  CONSTRAINT partner_tree_dsc_fk FOREIGN KEY (descendant) REFERENCES partners (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE accounts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  partner_id BIGINT UNSIGNED NOT NULL,
  number VARCHAR(32) NOT NULL,
  name VARCHAR(128) NOT NULL,
  kind ENUM('standard','corporate') NOT NULL DEFAULT 'standard',
  parent_account_id BIGINT UNSIGNED NULL,     -- a corporate parent
  status ENUM('active','suspended','closed') NOT NULL DEFAULT 'active',
  currency CHAR(3) NOT NULL,
  credit_limit BIGINT NOT NULL DEFAULT 0,
  balance BIGINT NOT NULL DEFAULT 0,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY accounts_number (tenant_id, number),
  KEY accounts_partner (partner_id),
  CONSTRAINT accounts_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT accounts_partner_fk FOREIGN KEY (partner_id) REFERENCES partners (id),
  CONSTRAINT accounts_parent_fk FOREIGN KEY (parent_account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- corporate tree, closure table like partner_tree
CREATE TABLE account_tree (
  ancestor BIGINT UNSIGNED NOT NULL,
  descendant BIGINT UNSIGNED NOT NULL,
  depth INT UNSIGNED NOT NULL,
  PRIMARY KEY (ancestor, descendant),
  KEY account_tree_desc (descendant, depth),
  CONSTRAINT account_tree_anc_fk FOREIGN KEY (ancestor) REFERENCES accounts (id),
  CONSTRAINT account_tree_dsc_fk FOREIGN KEY (descendant) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- logins: operator users have no partner or account; partner users a
-- partner; customer users an account (the first one's login is the
-- account number)
CREATE TABLE users (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  kind ENUM('operator','partner','customer') NOT NULL,
  partner_id BIGINT UNSIGNED NULL,
  account_id BIGINT UNSIGNED NULL,
  login VARCHAR(128) NOT NULL,
  name VARCHAR(128) NOT NULL DEFAULT '',
  email VARCHAR(255) NULL,
  phone VARCHAR(32) NULL,
  billing_email VARCHAR(255) NULL,
  payment_email VARCHAR(255) NULL,
  password_hash VARCHAR(255) NOT NULL,
  is_admin TINYINT(1) NOT NULL DEFAULT 0,
  status ENUM('active','disabled') NOT NULL DEFAULT 'active',
  failed_logins INT UNSIGNED NOT NULL DEFAULT 0,
  locked_until DATETIME NULL,
  totp_secret VARCHAR(64) NULL,
  security_code_hash VARCHAR(255) NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  password_changed_at TIMESTAMP NULL,
  UNIQUE KEY users_login (tenant_id, kind, login),
  KEY users_partner (partner_id),
  KEY users_account (account_id),
  CONSTRAINT users_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT users_partner_fk FOREIGN KEY (partner_id) REFERENCES partners (id),
  CONSTRAINT users_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- rights per permission area as a bitmask: 1 view, 2 add, 4 update,
-- 8 delete (enum tp_right)
CREATE TABLE user_rights (
  user_id BIGINT UNSIGNED NOT NULL,
  area VARCHAR(32) NOT NULL,
  rights TINYINT UNSIGNED NOT NULL,
  PRIMARY KEY (user_id, area),
  CONSTRAINT user_rights_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- groups are templates: applying one copies its rights to a user
CREATE TABLE rights_groups (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(64) NOT NULL,
  kind ENUM('operator','partner','customer') NOT NULL,
  UNIQUE KEY rights_groups_name (tenant_id, name),
  CONSTRAINT rights_groups_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE group_rights (
  group_id BIGINT UNSIGNED NOT NULL,
  area VARCHAR(32) NOT NULL,
  rights TINYINT UNSIGNED NOT NULL,
  PRIMARY KEY (group_id, area),
  CONSTRAINT group_rights_group_fk FOREIGN KEY (group_id) REFERENCES rights_groups (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- only a hash of the session token is stored
CREATE TABLE sessions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  token_hash BINARY(32) NOT NULL,
  tenant_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  csrf_token CHAR(43) NOT NULL,
  view_partner_id BIGINT UNSIGNED NULL,   -- "currently viewing"
  view_account_id BIGINT UNSIGNED NULL,
  created_at DATETIME NOT NULL,
  last_seen_at DATETIME NOT NULL,
  expires_at DATETIME NOT NULL,           -- absolute timeout
  ip VARCHAR(45) NOT NULL DEFAULT '',
  user_agent VARCHAR(255) NOT NULL DEFAULT '',
  revoked TINYINT(1) NOT NULL DEFAULT 0,
  UNIQUE KEY sessions_token (token_hash),
  KEY sessions_user (user_id),
  CONSTRAINT sessions_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE api_tokens (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  token_hash BINARY(32) NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(64) NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  last_used_at DATETIME NULL,
  revoked_at DATETIME NULL,
  UNIQUE KEY api_tokens_token (token_hash),
  CONSTRAINT api_tokens_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- every write and every login attempt: who, when, from where, what
CREATE TABLE audit_log (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NULL,
  at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  ip VARCHAR(45) NOT NULL DEFAULT '',
  action VARCHAR(64) NOT NULL,
  object_type VARCHAR(32) NULL,
  object_id BIGINT UNSIGNED NULL,
  detail TEXT NULL,                       -- JSON
  request_id VARCHAR(40) NULL,
  KEY audit_log_tenant (tenant_id, at),
  KEY audit_log_user (user_id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE mail_outbox (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  to_addr VARCHAR(255) NOT NULL,
  subject VARCHAR(255) NOT NULL,
  body TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  sent_at DATETIME NULL,
  attempts INT UNSIGNED NOT NULL DEFAULT 0,
  last_error VARCHAR(255) NULL,
  KEY mail_outbox_pending (sent_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE password_resets (
  token_hash BINARY(32) NOT NULL PRIMARY KEY,
  user_id BIGINT UNSIGNED NOT NULL,
  expires_at DATETIME NOT NULL,
  used_at DATETIME NULL,
  CONSTRAINT password_resets_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE terms_acceptances (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  terms_version INT UNSIGNED NOT NULL,
  accepted_at DATETIME NOT NULL,
  ip VARCHAR(45) NOT NULL DEFAULT '',
  cleared TINYINT(1) NOT NULL DEFAULT 0,
  KEY terms_user (user_id, cleared),
  KEY terms_tenant (tenant_id),
  CONSTRAINT terms_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
