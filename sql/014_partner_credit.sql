-- 014_partner_credit.sql -- a partner's credit (docs/money.md, "Partners'
-- balances"): the warning threshold as an amount or a percentage of the
-- credit limit, whether the partner has been warned of this crossing (one
-- mail per crossing, whatever the number of postings past it), and the
-- address its accounting mail goes to. partners.credit_limit and
-- warning_threshold (an amount) are 002's; balance is 012's (positive: what
-- the partner owes the provider; negative: its prepaid funds).

ALTER TABLE partners
  ADD COLUMN warning_kind ENUM('none','amount','percent') NOT NULL DEFAULT 'none' AFTER warning_threshold,
  ADD COLUMN warning_ppm INT UNSIGNED NOT NULL DEFAULT 0 AFTER warning_kind, -- percent: 90 % = 900000
  ADD COLUMN credit_warned TINYINT(1) NOT NULL DEFAULT 0 AFTER balance,
  ADD COLUMN billing_email VARCHAR(255) NOT NULL DEFAULT '' AFTER credit_warned;

-- a threshold written before there was a kind was an amount
UPDATE partners SET warning_kind = 'amount' WHERE warning_threshold > 0;
