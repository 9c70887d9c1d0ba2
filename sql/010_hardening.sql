-- 009_hardening.sql -- issue 11's hardening.
--
-- viewer_epoch: one counter. A revocation (logout, disable, password
-- change, token revoke, ...) that could not drop a cached viewer from Redis
-- bumps it after its commit; every cached viewer carries the epoch it was
-- read under, and a copy older than the epoch a worker last read (at most
-- a second ago) is a miss (core/session.c, "Revocation and the cache").
CREATE TABLE viewer_epoch (
  id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  epoch BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO viewer_epoch (id, epoch) VALUES (1, 0);

-- The hosts a brand's pages may load images from besides the portal
-- itself (the CSP's img-src), space-separated host names; NULL: none.
ALTER TABLE tenants ADD COLUMN asset_hosts VARCHAR(512) NULL AFTER logo_url;
