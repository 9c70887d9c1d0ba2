-- 009_keystore.sql -- issue 11: TOTP secrets sealed at rest (core/keystore.c;
-- a sealed value is longer than the base32 text, and `tierportctl migrate`
-- seals the plain ones left after this file), the time step of the last code
-- taken (login.c: a code signs in once), a brand's base URL for the links in
-- its mails (brand.c; NULL: [http] default_scheme and its first host), and
-- the order a brand's hosts were added in, which names its first.
ALTER TABLE users
  MODIFY totp_secret VARCHAR(255) NULL,
  ADD COLUMN totp_last_step BIGINT NULL AFTER totp_secret;

ALTER TABLE tenants
  ADD COLUMN base_url VARCHAR(255) NULL AFTER logo_url;

ALTER TABLE tenant_hosts
  ADD COLUMN seq BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  ADD UNIQUE KEY tenant_hosts_seq (seq);
