-- 016_prepaid_block.sql -- issue 13: a prepaid account with no funds left is
-- blocked where its brand says so (modules/invoices/autopay.c): its
-- services are suspended for a reason of their own, which collections never
-- lift (theirs is non_payment), and come back once it has funds again.
ALTER TABLE services
  MODIFY suspend_reason ENUM('none', 'request', 'non_payment', 'prepaid_empty')
    NOT NULL DEFAULT 'none';
