#!/usr/bin/env bash
# The test command (README): creates .venv, installs what the tests need, runs them.
# As root on Debian it also installs the system packages the tests use (chromium for the
# browser tests, postgresql for the store tests); without them those tests skip locally,
# but under CI=true they fail instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    missing=()
    command -v chromium >/dev/null || missing+=(chromium chromium-driver)
    command -v pdftoppm >/dev/null || missing+=(poppler-utils)
    fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
    command -v pg_dump >/dev/null || missing+=(postgresql-client)  # backup tests
    command -v npm >/dev/null || missing+=(npm)  # axe-core for the accessibility tests
    command -v nginx >/dev/null || missing+=(nginx)  # several instances behind it (test_scale)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "tests/run.sh: installing ${missing[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq "${missing[@]}" >&2
    fi
fi

# axe-core, injected into pages by tests/test_browser_fit.py (pinned; not a Debian package)
if command -v npm >/dev/null && [ ! -f node_modules/axe-core/axe.min.js ]; then
    npm install --no-save --no-audit --no-fund --prefix . axe-core@4.10.3 >&2
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt

postgres_started=0
if [ -z "${VALUELIB_TEST_POSTGRES_URL:-}" ] && [ -f .ci/postgres.sh ] && { [ "$(id -u)" -eq 0 ] || command -v pg_ctlcluster >/dev/null; }; then
    if url=$(bash .ci/postgres.sh | tail -n 1); then
        export VALUELIB_TEST_POSTGRES_URL="$url"
        postgres_started=1
    else
        echo "tests/run.sh: PostgreSQL could not be started; its tests will not run" >&2
    fi
fi
stop_postgres() { [ "$postgres_started" = 1 ] && bash .ci/postgres-stop.sh >&2 || true; }
trap stop_postgres EXIT

.venv/bin/ruff check .
# Two workers (pytest-xdist), a whole test file each at a time: a browser module keeps its one
# server and browser, and while one worker waits on a page the other computes (PYTEST_WORKERS=0
# runs everything in this process, e.g. for -s or a debugger).
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" --dist loadfile "$@"
