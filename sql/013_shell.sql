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

-- Grid columns a user sorts by (core/builtin/customers.c, users.c): each
-- sortable column names its index, (brand, column, id), so a page after a
-- cursor is an index range (tp_grid_col.index). Partner and product names
-- live in joined tables and stay unsortable: no index of the listed table
-- orders by them. A status sorts as text: the grid's cursors compare it
-- with a string, and an ENUM orders by its list, so the lists of accounts'
-- and services' statuses are put in alphabetical order (the values, and
-- what they mean, stay).
ALTER TABLE accounts
  MODIFY status ENUM('active', 'closed', 'suspended') NOT NULL DEFAULT 'active',
  ADD KEY accounts_status_id (tenant_id, status, id);
-- (the balance's index, accounts_balance, is sql/012_ledger.sql's)
ALTER TABLE partners
  ADD KEY partners_status (tenant_id, status, id);
ALTER TABLE services
  MODIFY status ENUM('active', 'disconnected', 'pending', 'suspended') NOT NULL
    DEFAULT 'pending',
  ADD KEY services_status (tenant_id, status, id);
ALTER TABLE users
  ADD KEY users_status (tenant_id, status, id);
