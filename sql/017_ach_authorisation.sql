-- 017_ach_authorisation.sql -- issue 13: the customer's signed authorisation
-- for bank (ACH) debits is a flag on the account, set by an operator (the
-- invoices module's POST /accounts/{account}/ach-authorisation today; the
-- resources module's forms may set it later), read by automatic payments:
-- bank autopay only with it on file.
ALTER TABLE accounts
  ADD COLUMN ach_authorised TINYINT(1) NOT NULL DEFAULT 0,
  ADD COLUMN ach_authorised_by BIGINT UNSIGNED NULL,
  ADD COLUMN ach_authorised_at TIMESTAMP NULL;
