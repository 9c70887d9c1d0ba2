-- 015_security_questions.sql -- issue 10, the profile's security questions:
-- the brand's list (made from a default list on first use,
-- core/builtin/secq.c; an operator edits it on /admin/security-questions),
-- each login's two chosen questions with its answers hashed (argon2id of
-- the answer in lower case, trimmed, spaces collapsed), and the count of
-- wrong answers staff checked on a support call in the current hour: the
-- fifth locks the check for that login until the hour is over.
CREATE TABLE security_questions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT UNSIGNED NOT NULL,
  question VARCHAR(255) NOT NULL,
  position INT NOT NULL DEFAULT 0,
  active TINYINT(1) NOT NULL DEFAULT 1,
  UNIQUE KEY security_questions_text (tenant_id, question),
  CONSTRAINT security_questions_tenant_fk FOREIGN KEY (tenant_id)
    REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE security_answers (
  user_id BIGINT UNSIGNED NOT NULL,
  slot TINYINT UNSIGNED NOT NULL,
  question_id BIGINT UNSIGNED NOT NULL,
  answer_hash VARCHAR(255) NOT NULL,
  set_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (user_id, slot),
  CONSTRAINT security_answers_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT security_answers_question_fk FOREIGN KEY (question_id)
    REFERENCES security_questions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

ALTER TABLE users
  ADD COLUMN secq_failures INT NOT NULL DEFAULT 0,
  ADD COLUMN secq_window_at TIMESTAMP NULL;
