-- 002_disputes.sql -- disputes (modules/invoices/dispute.c): one open
-- dispute per line at a time, any number decided ones (001's unique key on
-- (line_id, status) refused a line's second rejected dispute), and the
-- credit note that settled an accepted one.
ALTER TABLE invoice_disputes
  DROP INDEX invoice_disputes_line,
  ADD COLUMN open_line BIGINT UNSIGNED AS (IF(status = 'open', line_id, NULL)) PERSISTENT,
  ADD COLUMN credit_note_id BIGINT UNSIGNED NULL AFTER resolution,
  ADD UNIQUE KEY invoice_disputes_open (open_line),
  ADD KEY invoice_disputes_line (line_id),
  ADD KEY invoice_disputes_invoice (invoice_id, id);
