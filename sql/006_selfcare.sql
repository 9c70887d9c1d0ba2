-- 006_selfcare.sql -- partner self-care (issue 4): the next account number
-- of each brand, for accounts created without one. The row is locked FOR
-- UPDATE by the transaction that takes a number, so two creations never
-- get the same one; numbers typed by hand are skipped over.

CREATE TABLE account_numbers (
  tenant_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  next_number BIGINT UNSIGNED NOT NULL,
  CONSTRAINT account_numbers_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

