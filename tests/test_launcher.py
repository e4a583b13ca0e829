"""The launcher, ``python -m valuelib serve``: warms in the server's process, then serves the
app; and bench/serve.py's websocket viewer, which these tests use as the visitor."""

from __future__ import annotations

import asyncio
import os
import sys

import pytest

from bench.serve import HEADLESS, Server, visit
from ui.launch import flag_options
from valuelib.cli import main


def _env(tmp_path) -> dict[str, str]:
    env = {**os.environ, "VALUELIB_DATA_DIR": str(tmp_path / "store")}
    env.pop("VALUELIB_DATABASE_URL", None)
    return env


def test_serve_warms_before_the_port_opens_then_serves_the_overview_and_stops(tmp_path):
    server = Server("launcher", [sys.executable, "-m", "valuelib", "serve", "--port", "{port}",
                                 *HEADLESS], folder=tmp_path)
    try:
        server.start(_env(tmp_path))
        log = server.log.read_text(errors="replace")
        assert "warmed in" in log and "sample data (sample), quarter 2026-Q3" in log
        # the first visitor's run finds the data loaded: the warm line comes before the port
        assert log.index("warmed in") < log.index("You can now view")
        first = asyncio.run(visit(server.url))
        assert first.status == "ok"
        assert first.metrics >= 5  # the Overview's headline figures
        # the same link with a filter: the app's script, not just a page, answers
        again = asyncio.run(visit(server.url, query="quarter=2026-Q2"))
        assert again.status == "ok" and again.metrics >= 5
    finally:
        code = server.stop()
    assert code == 0
    assert "Traceback" not in server.log.read_text(errors="replace")


def test_the_bench_viewer_sees_a_script_that_fails_to_compile(tmp_path):
    page = tmp_path / "broken.py"
    page.write_text("import streamlit as st\nst.metric('x', 1\n", encoding="utf-8")
    server = Server("broken", [sys.executable, "-m", "streamlit", "run", str(page),
                               "--server.port", "{port}", *HEADLESS], folder=tmp_path)
    try:
        server.start(_env(tmp_path))
        seen = asyncio.run(visit(server.url))
    finally:
        server.stop()
    assert (seen.status, seen.metrics) == ("compile error", 0)


def test_streamlit_options_pass_through_as_streamlit_run_parses_them():
    flags = flag_options(["--server.port", "9123", "--theme.base", "dark"])
    assert (flags["server_port"], flags["theme_base"]) == (9123, "dark")


@pytest.mark.parametrize("options, says", [
    (["--server.bogus", "1"], "No such option '--server.bogus'"),
    (["--server.port", "eighty"], "'eighty' is not a valid integer"),
    (["stray"], "not a Streamlit option: stray"),
])
def test_serve_refuses_a_wrong_option_plainly(capsys, options, says):
    assert main(["serve", *options]) == 2
    assert says in capsys.readouterr().err


def test_other_commands_still_refuse_unknown_options(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["template", "out.xlsx", "--server.port", "1"])
    assert exit_.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err
