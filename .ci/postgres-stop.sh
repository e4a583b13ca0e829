#!/usr/bin/env bash
# Stop the PostgreSQL cluster that .ci/postgres.sh started (idempotent: a stopped or missing
# cluster is fine). The data stays; .ci/postgres.sh starts it again.
set -euo pipefail

CLUSTER=main
SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi

if ! command -v pg_lsclusters >/dev/null; then
    echo "postgres-stop.sh: PostgreSQL is not installed; nothing to stop" >&2
    exit 0
fi
VERSION=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n 1 || true)
status=$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c {print $4}')
if [ "$status" = "online" ]; then
    "${SUDO[@]}" pg_ctlcluster "$VERSION" "$CLUSTER" stop >&2
    echo "postgres-stop.sh: stopped cluster $VERSION/$CLUSTER" >&2
else
    echo "postgres-stop.sh: cluster $VERSION/$CLUSTER is not running" >&2
fi
