-- 019_csv_plain.sql -- issue 10: a brand whose users open its CSV exports
-- only in spreadsheets they trust may turn the formula guard off (the brand
-- settings page; core/data/export.c). Off by default: a cell that begins
-- with = + - or @ then starts with an apostrophe.
ALTER TABLE tenants
  ADD COLUMN csv_plain TINYINT(1) NOT NULL DEFAULT 0 AFTER login_first;
