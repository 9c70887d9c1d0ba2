-- 004_admin.sql -- the operator pages. The platform brand (the hosting
-- provider's own) manages the other brands and the plans; a partner
-- disabled here keeps its history but none of its logins work.

ALTER TABLE tenants
  ADD COLUMN is_platform TINYINT(1) NOT NULL DEFAULT 0 AFTER status;

ALTER TABLE partners
  ADD COLUMN disabled_at DATETIME NULL AFTER status,
  -- the partner grid's order (keyset: name, then id)
  ADD KEY partners_name (tenant_id, name, id);
