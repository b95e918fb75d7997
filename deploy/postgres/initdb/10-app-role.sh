#!/bin/sh
# The portal's run-time role (docker-compose.yml): gunicorn, the workers and beat connect as it;
# the owner (POSTGRES_USER) only runs the migrations and `manage.py grant_app_role`, which gives
# this role read/write on every table but no UPDATE, DELETE or TRUNCATE on the audit log.
# Runs once, when the data volume is created; on an existing volume run the same CREATE ROLE by hand.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="${POSTGRES_APP_PASSWORD:-tongban_app}" <<'SQL'
CREATE ROLE tongban_app LOGIN PASSWORD :'app_password';
GRANT CONNECT ON DATABASE tongban TO tongban_app;
SQL
