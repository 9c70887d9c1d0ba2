-- 013_shell.sql -- issue 10, the portal shell: which kind of login a name
-- that is both a customer's (an account number) and a partner's or an
-- operator's signs in as (login.c; 'staff' keeps what sign-in did before the
-- "I am a customer" choice went), the brand's favicon (served like the
-- logo: a path on this site or an https address) and a third address for
-- Help > Contact us beside the support and payment ones.
ALTER TABLE tenants
  ADD COLUMN login_first ENUM('staff', 'customer') NOT NULL DEFAULT 'staff'
    AFTER terms_version,
  ADD COLUMN favicon_url VARCHAR(255) NULL AFTER logo_url,
  ADD COLUMN other_address VARCHAR(255) NULL AFTER payment_address;
