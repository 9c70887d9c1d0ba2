-- hello: messages left for a brand's support desk through Help > Contact us.
-- partner_id / account_id are the sender's view when it wrote (0: none).
CREATE TABLE hello_messages (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  partner_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  account_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  subject VARCHAR(120) NOT NULL,
  message TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY hello_messages_sender (tenant_id, partner_id, account_id),
  CONSTRAINT hello_messages_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
