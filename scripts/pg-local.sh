#!/usr/bin/env bash
# Starts the machine's PostgreSQL (Debian's packages) on 127.0.0.1:5432 and makes
# the databases the tests and benchmarks use. Installs PostgreSQL first if missing.
# Prints the DATABASE_URL of the test database.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql postgresql-contrib >&2
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 2>/dev/null || true
for i in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >&2
for db in sanbao_test sanbao_bench; do
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='$db'\"" | grep -q 1 ||
    su postgres -c "createdb $db" >&2
done
echo "postgres://postgres:postgres@127.0.0.1:5432/sanbao_test"
