-- 004_summary_generation.sql -- a commission line written or changing
-- status bumps its brand's "commissions" generation (tp_gen_get), in the
-- same transaction, so a commission summary kept in Redis under the old
-- generation (summary.c) is never served after an approval, a payment or
-- a run has committed. Only a status change counts: the rest of a line
-- never changes once written (sql/001).
--
-- A connection that sets @tp_bulk_load (tierportctl gen) writes without
-- the bump, as sql/007_page_cache.sql's triggers do.

CREATE TRIGGER commission_lines_gen_ins AFTER INSERT ON commission_lines FOR EACH ROW
  INSERT INTO data_domain_generations (tenant_id, domain, gen)
  SELECT NEW.tenant_id, 'commissions', 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_domain_generations.gen + 1;

CREATE TRIGGER commission_lines_gen_upd AFTER UPDATE ON commission_lines FOR EACH ROW
  INSERT INTO data_domain_generations (tenant_id, domain, gen)
  SELECT NEW.tenant_id, 'commissions', 1 FROM DUAL
  WHERE NOT (OLD.status <=> NEW.status) AND @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_domain_generations.gen + 1;
