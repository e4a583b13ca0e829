"""Benchmark: the server time of one cached Overview run, against a bare one-figure page.

    python bench/run_cost.py [--runs 40] [--tickets 300000] [--code DIR]

A viewer's every click reruns the whole script on the server, and one process runs every
session's script under one GIL: this is the cost each click puts in the queue. Measured
in-process with Streamlit's AppTest, timing the script thread from start to finish (the
run itself, not AppTest's polling). As the server does, every run shares one compiled-script
cache (AppTest would otherwise compile app.py and the page again on every run).

Cases, interleaved round by round so the machine's load falls on each alike:
- bare: a page with one plotly figure and nothing else (the framework's floor);
- sample: the Overview on the sample organisation (no published version);
- large: the Overview on a published synthetic organisation with ``--tickets`` support rows.

Each case is run once (and again, so every cache is warm) before it is measured. Prints per
case the median and p95 of wall time and of the script thread's CPU time (steadier on a
shared machine), and each Overview's median ÷ the bare page's. Target: Overview ≤ 25 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

# --code DIR measures another checkout's app (e.g. main, for the "before"); read early, since
# the app's modules are imported from it.
ROOT = Path(sys.argv[sys.argv.index("--code") + 1]).resolve() if "--code" in sys.argv[:-1] \
    else Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BARE = '''import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Bar(x=[1, 2, 3], y=["a", "b", "c"], orientation="h")))
'''


def _share_script_cache() -> None:
    """One compiled-script cache for every run, as the server has (AppTest makes one per
    run, which would time compiling app.py and the page every time)."""
    import streamlit.testing.v1.app_test as app_test
    import streamlit.testing.v1.local_script_runner as local_runner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    shared = ScriptCache()
    app_test.ScriptCache = local_runner.ScriptCache = lambda: shared


class _Timer:
    """Times each script thread (wall and the thread's CPU) while installed."""

    def __init__(self) -> None:
        from streamlit.testing.v1.local_script_runner import LocalScriptRunner

        self.wall: list[float] = []
        self.cpu: list[float] = []
        original = LocalScriptRunner._run_script_thread
        timer = self

        def timed(runner) -> None:
            start, start_cpu = time.perf_counter(), time.thread_time()
            try:
                original(runner)
            finally:
                timer.cpu.append(time.thread_time() - start_cpu)
                timer.wall.append(time.perf_counter() - start)

        LocalScriptRunner._run_script_thread = timed

    def last(self) -> tuple[float, float]:
        return self.wall[-1], self.cpu[-1]


class Case:
    """One page in its own data directory (so each has its own store), run by AppTest."""

    def __init__(self, name: str, script: Path, data_dir: Path) -> None:
        from streamlit.testing.v1 import AppTest

        self.name, self.data_dir = name, data_dir
        with self._env():
            self.app = AppTest.from_file(str(script), default_timeout=600)
        self.wall: list[float] = []
        self.cpu: list[float] = []

    @contextlib.contextmanager
    def _env(self):
        before = os.environ.get("VALUELIB_DATA_DIR")
        os.environ["VALUELIB_DATA_DIR"] = str(self.data_dir)
        try:
            yield
        finally:
            if before is None:
                os.environ.pop("VALUELIB_DATA_DIR", None)
            else:
                os.environ["VALUELIB_DATA_DIR"] = before

    def run(self, timer: _Timer, keep: bool) -> None:
        with self._env():
            self.app.run()
        if self.app.exception:
            raise SystemExit(f"{self.name}: the page failed: {self.app.exception[0].message}")
        if keep:
            wall, cpu = timer.last()
            self.wall.append(wall)
            self.cpu.append(cpu)


def _publish_large(data_dir: Path, tickets: int) -> None:
    from bench.analytics import build
    from valuelib.store import SQLITE_FILENAME, Store, sqlite_url

    started = time.perf_counter()
    dataset = build(tickets)
    Store(sqlite_url(data_dir / SQLITE_FILENAME)).publish(
        dataset, [("bench.xlsx", b"synthetic")], editor="bench", note=f"{tickets} tickets")
    print(f"(published {tickets:,} tickets in {time.perf_counter() - started:.1f} s)")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="measured runs per case")
    parser.add_argument("--tickets", type=int, default=300_000,
                        help="support rows in the large case (0: leave it out)")
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="the checkout whose app.py is measured (default: this one)")
    args = parser.parse_args(argv)

    _share_script_cache()
    timer = _Timer()
    work = Path(tempfile.mkdtemp(prefix="run_cost_"))
    bare = work / "bare.py"
    bare.write_text(BARE)
    (work / "bare").mkdir()
    (work / "sample").mkdir()
    cases = [Case("bare one-figure page", bare, work / "bare"),
             Case("Overview, sample", ROOT / "app.py", work / "sample")]
    if args.tickets:
        (work / "large").mkdir()
        _publish_large(work / "large", args.tickets)
        cases.append(Case(f"Overview, {args.tickets:,} tickets", ROOT / "app.py",
                          work / "large"))

    for case in cases:  # the first run loads and builds; the second meets every cache
        started = time.perf_counter()
        case.run(timer, keep=False)
        first = time.perf_counter() - started
        case.run(timer, keep=False)
        print(f"(first run of {case.name}: {first * 1000:.0f} ms)")
    for _ in range(args.runs):
        for case in cases:
            case.run(timer, keep=True)

    floor = statistics.median(cases[0].wall)
    floor_cpu = statistics.median(cases[0].cpu)
    print(f"\nserver time of one cached run of {ROOT}, {args.runs} runs each "
          "(wall median / p95; script thread CPU median / p95):")
    for case in cases:
        wall, cpu = statistics.median(case.wall), statistics.median(case.cpu)
        line = (f"  {case.name:<28} wall {wall * 1000:6.1f} / {_p95(case.wall) * 1000:6.1f} ms"
                f"   cpu {cpu * 1000:6.1f} / {_p95(case.cpu) * 1000:6.1f} ms")
        if case is not cases[0]:
            line += f"   = {wall / floor:4.1f}× bare (cpu {cpu / floor_cpu:4.1f}×)"
            line += "   target ≤ 25 ms: " + ("met" if wall <= 0.025 else "NOT met")
        print(line)


if __name__ == "__main__":
    main()
