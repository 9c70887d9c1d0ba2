-- 020_categories.sql -- operators name the brand's product categories
-- (core/builtin/categories.c). A category is made on first use with its
-- code as its name (selfcare.c); its name is what people read, and is
-- unique in the brand, so two categories never look the same in a list.
-- The code stays: revenue is booked under "revenue.CODE".

-- names made the same by hand before this: the later ones get their code
UPDATE product_categories c
  JOIN (SELECT tenant_id, name, MIN(id) AS keep FROM product_categories
        GROUP BY tenant_id, name HAVING COUNT(*) > 1) d
    ON d.tenant_id = c.tenant_id AND d.name = c.name AND c.id <> d.keep
  SET c.name = LEFT(CONCAT(c.name, ' (', c.code, ')'), 64);

-- also the grid's index for its name column (the brand, the name, the id)
ALTER TABLE product_categories
  ADD UNIQUE KEY product_categories_name (tenant_id, name);

-- the categories grid and the products grid's category column are cached
-- pages: a rename bumps the brand's data generation (sql/007_page_cache.sql)
CREATE TRIGGER product_categories_gen_ins AFTER INSERT ON product_categories FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT NEW.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER product_categories_gen_upd AFTER UPDATE ON product_categories FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT NEW.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;

CREATE TRIGGER product_categories_gen_del AFTER DELETE ON product_categories FOR EACH ROW
  INSERT INTO data_generations (tenant_id, gen)
  SELECT OLD.tenant_id, 1 FROM DUAL WHERE @tp_bulk_load IS NULL
  ON DUPLICATE KEY UPDATE gen = data_generations.gen + 1;
