"""A fresh PostgreSQL schema for a test, in the database named by VALUELIB_TEST_POSTGRES_URL.

Without that variable the PostgreSQL cases skip, except on CI (CI=true), where they fail: CI
must never pass without having run them."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_URL_ENV = "VALUELIB_TEST_POSTGRES_URL"


def missing(message: str) -> None:
    """Skip for want of ``message``'s tool; fail instead under CI=true."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def fresh_schema() -> Iterator[str]:
    """The URL of an empty schema of its own (dropped afterwards)."""
    base = os.environ.get(POSTGRES_URL_ENV)
    if not base:
        missing(f"{POSTGRES_URL_ENV} is not set, so the PostgreSQL tests cannot run. Start a "
                f"server and export it: {POSTGRES_URL_ENV}=$(bash .ci/postgres.sh | tail -1)")
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
