-- 007_page_cache.sql -- the brand's data generation, which keys the
-- worker's page cache of grid pages (core/http/pagecache.c, core/data/grid.c).
--
-- Every insert, update and delete of a row that a cached grid shows bumps
-- its brand's counter from a trigger, so in the same transaction as the
-- write: once the write commits, no page read before it can be found
-- again (DESIGN.md rule 5: nothing served stale after a write). A module
-- that declares a cached grid over its own tables adds the same three
-- triggers per table in its own migration.
--
-- The counter row is locked by the first such write of a transaction and
-- held to its commit: writes to these tables serialize per brand. Readers
-- take no lock (a consistent read).
--
-- A connection that sets @tp_bulk_load (tierportctl gen) writes without
-- the triggers' work and bumps the counter itself, once, at the end.

CREATE TABLE data_generations (
  tenant_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  gen BIGINT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TRIGGER partners_gen_ins AFTER INSERT ON partners FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT NEW.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER partners_gen_upd AFTER UPDATE ON partners FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT NEW.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER partners_gen_del AFTER DELETE ON partners FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT OLD.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER partner_tree_gen_ins AFTER INSERT ON partner_tree FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT p.tenant_id, 1 FROM partners p WHERE p.id = NEW.descendant AND @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER partner_tree_gen_upd AFTER UPDATE ON partner_tree FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT p.tenant_id, 1 FROM partners p WHERE p.id = NEW.descendant AND @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER partner_tree_gen_del AFTER DELETE ON partner_tree FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT p.tenant_id, 1 FROM partners p WHERE p.id = OLD.descendant AND @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER accounts_gen_ins AFTER INSERT ON accounts FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT NEW.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER accounts_gen_upd AFTER UPDATE ON accounts FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT NEW.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER accounts_gen_del AFTER DELETE ON accounts FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT OLD.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER account_tree_gen_ins AFTER INSERT ON account_tree FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT a.tenant_id, 1 FROM accounts a WHERE a.id = NEW.descendant AND @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER account_tree_gen_upd AFTER UPDATE ON account_tree FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT a.tenant_id, 1 FROM accounts a WHERE a.id = NEW.descendant AND @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER account_tree_gen_del AFTER DELETE ON account_tree FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT a.tenant_id, 1 FROM accounts a WHERE a.id = OLD.descendant AND @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER tiers_gen_ins AFTER INSERT ON tiers FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT NEW.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER tiers_gen_upd AFTER UPDATE ON tiers FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT NEW.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER tiers_gen_del AFTER DELETE ON tiers FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT OLD.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER products_gen_ins AFTER INSERT ON products FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT NEW.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER products_gen_upd AFTER UPDATE ON products FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT NEW.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER products_gen_del AFTER DELETE ON products FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT OLD.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER locations_gen_ins AFTER INSERT ON locations FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT NEW.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER locations_gen_upd AFTER UPDATE ON locations FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT NEW.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER locations_gen_del AFTER DELETE ON locations FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT OLD.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER services_gen_ins AFTER INSERT ON services FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT NEW.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER services_gen_upd AFTER UPDATE ON services FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT NEW.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER services_gen_del AFTER DELETE ON services FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT OLD.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER grid_columns_gen_ins AFTER INSERT ON grid_columns FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT NEW.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER grid_columns_gen_upd AFTER UPDATE ON grid_columns FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT NEW.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER grid_columns_gen_del AFTER DELETE ON grid_columns FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT OLD.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER grid_user_columns_gen_ins AFTER INSERT ON grid_user_columns FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT u.tenant_id, 1 FROM users u WHERE u.id = NEW.user_id AND @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER grid_user_columns_gen_upd AFTER UPDATE ON grid_user_columns FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT u.tenant_id, 1 FROM users u WHERE u.id = NEW.user_id AND @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER grid_user_columns_gen_del AFTER DELETE ON grid_user_columns FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT u.tenant_id, 1 FROM users u WHERE u.id = OLD.user_id AND @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;
