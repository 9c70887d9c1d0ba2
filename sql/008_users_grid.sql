-- 008_users_grid.sql -- the users list is a grid (core/builtin/users.c): its
-- sortable columns, login and name, each with the id after it, so a page
-- of a brand's users is an index range (keyset: value, then id).

ALTER TABLE users
  ADD KEY users_login_id (tenant_id, login, id),
  ADD KEY users_name (tenant_id, name, id);
