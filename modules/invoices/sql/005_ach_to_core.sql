-- 005_ach_to_core.sql -- the signed bank authorisation moves to the core's
-- account row (sql/017_ach_authorisation.sql): what 003 kept in
-- payment_profiles is copied there, then dropped.
UPDATE accounts a JOIN payment_profiles pp ON pp.account_id = a.id
  SET a.ach_authorised = 1, a.ach_authorised_by = pp.ach_authorised_by,
      a.ach_authorised_at = NOW()
  WHERE pp.ach_authorised = 1;
ALTER TABLE payment_profiles
  DROP COLUMN ach_authorised,
  DROP COLUMN ach_authorised_by;
