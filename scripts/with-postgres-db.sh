#!/usr/bin/env bash
# Run a command with DATABASE_URL set to a fresh PostgreSQL database, dropped afterwards. No server is a failure.
set -euo pipefail
server_url="$1"; shift
name="safemig_test_$(date +%s)_$$"
psql "$server_url/postgres" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $name"
trap 'psql "$server_url/postgres" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null' EXIT
DATABASE_URL="$server_url/$name" "$@"
