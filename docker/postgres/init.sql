-- First-boot initialisation of the compose stack's PostgreSQL (runs once, on an empty data volume,
-- from /docker-entrypoint-initdb.d as the superuser).
--
--   hive             role + database `hive`: Hive's own tables (Alembic: `hive db upgrade`).
--   temporal_server  role with CREATEDB: temporalio/auto-setup creates and migrates its own
--                    `temporal` and `temporal_visibility` databases with it. The role name must
--                    differ from the database name, or auto-setup skips creating `temporal`.
--
-- Passwords come from the container environment (HIVE_DB_PASSWORD, TEMPORAL_DB_PASSWORD, set in
-- docker-compose.yml) through psql's \getenv (psql 15+), so no secret is written in this file.

\set ON_ERROR_STOP on

\getenv hive_password HIVE_DB_PASSWORD
\getenv temporal_password TEMPORAL_DB_PASSWORD

CREATE ROLE hive WITH LOGIN PASSWORD :'hive_password';
CREATE DATABASE hive OWNER hive;
REVOKE ALL ON DATABASE hive FROM PUBLIC;

CREATE ROLE temporal_server WITH LOGIN CREATEDB PASSWORD :'temporal_password';
