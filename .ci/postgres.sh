#!/usr/bin/env bash
# Start a local PostgreSQL for the store tests (idempotent: safe to run again).
# Installs Debian's postgresql when missing, starts the newest cluster, creates the login role
# valuelib/valuelib and the database valuelib_test, and prints the SQLAlchemy URL on the last
# line of stdout. Progress goes to stderr, so callers can do: URL=$(bash .ci/postgres.sh | tail -1)
set -euo pipefail

ROLE=valuelib
PASSWORD=valuelib
DATABASE=valuelib_test
CLUSTER=main

log() { echo "postgres.sh: $*" >&2; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi

as_postgres() {
    # From /tmp: psql warns when the postgres user cannot read the working directory.
    (cd /tmp && if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi)
}

newest_version() {
    find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n 1 || true
}

if [ -z "$(newest_version)" ] || ! command -v pg_ctlcluster >/dev/null; then
    log "installing Debian's postgresql"
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -qq >&2
    "${SUDO[@]}" apt-get install -y -qq postgresql >&2
fi
VERSION=$(newest_version)
[ -n "$VERSION" ] || { log "no PostgreSQL server found under /usr/lib/postgresql"; exit 1; }

# A container may have the package without its cluster (postinst skipped creating it).
if ! pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c {found=1} END {exit !found}'; then
    log "creating cluster $VERSION/$CLUSTER"
    "${SUDO[@]}" pg_createcluster "$VERSION" "$CLUSTER" >&2
fi

status=$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c {print $4}')
PORT=$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c {print $3}')
if [ "$status" != "online" ]; then
    log "starting cluster $VERSION/$CLUSTER on port $PORT"
    "${SUDO[@]}" pg_ctlcluster "$VERSION" "$CLUSTER" start >&2
fi

for _ in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p "$PORT"; then break; fi
    sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$PORT" || { log "PostgreSQL did not accept connections on 127.0.0.1:$PORT"; exit 1; }

psql_admin() { as_postgres psql -p "$PORT" -v ON_ERROR_STOP=1 -qtAX "$@"; }

if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
    log "creating role $ROLE"
    psql_admin -c "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'" >&2
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != "1" ]; then
    log "creating database $DATABASE"
    psql_admin -c "CREATE DATABASE $DATABASE OWNER $ROLE" >&2
fi

echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE"
