-- 002_run_cursor.sql -- where a commission run is (run.c): a run works
-- its sources phase by phase (0 activations, 1 payments, 2 cancellations
-- of activated services, 3 refunds), a batch at a time in id order, and
-- saves the last id of each batch here in the batch's own transaction.
-- A run killed half-way is resumed by the next run of its period from
-- that id, so its batches are the ones an uninterrupted run makes (and its
-- ledger keys, which count the brand's batches, the same).
ALTER TABLE commission_runs
  ADD COLUMN phase TINYINT UNSIGNED NOT NULL DEFAULT 0 AFTER status,
  ADD COLUMN cursor_id BIGINT UNSIGNED NOT NULL DEFAULT 0 AFTER phase,
  ADD COLUMN batches INT UNSIGNED NOT NULL DEFAULT 0 AFTER line_count;
