-- 009_events_jobs.sql -- events, their delivery to subscribed modules, jobs
-- and their leases, and data generations per brand and domain
-- (core/data/events.c, core/data/jobs.c, core/data/context.c).
--
-- An event is a row written by tp_event_emit in the emitting transaction,
-- so it exists only if the change it tells of committed. Each subscribing
-- module has a cursor: every event up to it has been seen (it was not the
-- module's, or it has a row in event_deliveries). Ids may become visible
-- out of order (a transaction that took a lower id commits later), so the
-- cursor never passes a gap in the ids unless the event after the gap is
-- older than [events] gap_seconds; above the cursor, event_deliveries says
-- what was already handled.

CREATE TABLE events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NULL,
  partner_id BIGINT UNSIGNED NULL,
  account_id BIGINT UNSIGNED NULL,
  name VARCHAR(64) NOT NULL,
  payload LONGTEXT NULL CHECK (payload IS NULL OR JSON_VALID(payload)),
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY events_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE event_cursors (
  module VARCHAR(32) NOT NULL PRIMARY KEY,
  last_event_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One row per event a module subscribes to, once seen: done (its handler
-- committed), waiting (for a retry at next_try, or behind an earlier event
-- of the same order_key), or parked after [events] max_attempts failures
-- with the last error. order_key is what the event is ordered within:
-- "a<account>", else "p<partner>", else "" (none). Done rows below the
-- cursor are deleted as it moves.
CREATE TABLE event_deliveries (
  module VARCHAR(32) NOT NULL,
  event_id BIGINT UNSIGNED NOT NULL,
  order_key VARCHAR(24) NOT NULL,
  state ENUM('done', 'waiting', 'parked') NOT NULL,
  attempts INT UNSIGNED NOT NULL DEFAULT 0,
  next_try DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  last_error VARCHAR(512) NULL,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
    ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (module, event_id),
  KEY event_deliveries_key (module, order_key, state, event_id),
  KEY event_deliveries_state (state, module)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One row per declared job: its schedule's next due time, the lease of the
-- run holding it (a run holds it while lease_until is in the future and
-- renews it with each checkpoint; a crashed holder's lease runs out), the
-- checkpoint of an unfinished run, and how the last run went.
CREATE TABLE jobs (
  module VARCHAR(32) NOT NULL,
  name VARCHAR(32) NOT NULL,
  schedule VARCHAR(32) NULL,
  next_due DATETIME NULL,
  lease_owner VARCHAR(128) NULL,
  lease_token CHAR(32) NULL,
  lease_until DATETIME NULL,
  checkpoint TEXT NULL,
  saves BIGINT UNSIGNED NOT NULL DEFAULT 0,
  runs INT UNSIGNED NOT NULL DEFAULT 0,
  last_start DATETIME NULL,
  last_end DATETIME NULL,
  last_status VARCHAR(16) NULL,
  last_error VARCHAR(512) NULL,
  PRIMARY KEY (module, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- tp_gen_bump / tp_gen_get: a counter per brand (0: none) and domain,
-- bumped once per transaction; a write in one domain no longer queues
-- behind writes in every other (data_generations, 007, stays the page
-- cache's counter for the core's own tables)
CREATE TABLE data_domain_generations (
  tenant_id BIGINT UNSIGNED NOT NULL,
  domain VARCHAR(32) NOT NULL,
  gen BIGINT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, domain)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
