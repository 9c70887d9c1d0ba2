-- 018_i18n.sql -- a language and a time zone per brand (the default) and
-- per login (its own choice; NULL: the brand's). Codes are those of
-- core/lib/i18n.c ("en", "de"); zones are IANA names ICU knows. Times stay
-- stored in UTC: a zone only changes how they are shown.
ALTER TABLE tenants
  ADD COLUMN language VARCHAR(8) NOT NULL DEFAULT 'en',
  ADD COLUMN time_zone VARCHAR(64) NOT NULL DEFAULT 'UTC';
ALTER TABLE users
  ADD COLUMN language VARCHAR(8) NULL,
  ADD COLUMN time_zone VARCHAR(64) NULL;
