-- 003_security_code.sql -- when the user set their security code (the
-- profile shows it; the code itself is only ever stored as an argon2id hash
-- in users.security_code_hash, from 002).

ALTER TABLE users ADD COLUMN security_code_set_at TIMESTAMP NULL AFTER security_code_hash;
