"""Benchmark: the shared link against the framework's floor, and 20 viewers at once.

    python bench/serve.py [--rounds 3] [--protocol-rounds 2] [--warm-rounds 8] [--viewers 20]
                          [--crowd-rounds 3]

It starts, on free ports, the app through the launcher (``python -m valuelib serve``), the
app through plain ``streamlit run app.py``, and a bare one-figure Streamlit page (the floor:
one ``st.metric``, nothing else), each on the sample data in a fresh empty store, and prints:

(a) first visit: shared link → headline figure visible (the Overview's first
    ``stMetricValue``, as tests/test_browser.py waits for it) in Debian's chromium, for the
    first visitor after the server starts answering /_stcore/health; each round starts every
    server afresh, one at a time. Ratio: app ÷ bare (target ≤ 1.2×).
(a') the server's part of it: the first script run after a start, seen at the websocket
    protocol (no browser), which is what the launcher's warm step moves to the start.
(b) warm visit: the same on a server that has served the link before. Ratio ≤ 1.1×.
(c) a crowd: ``--viewers`` sessions opening the link at once, each spoken at Streamlit's own
    websocket protocol (/_stcore/stream, protobuf BackMsg rerun_script → ForwardMsg until
    script_finished), so the clients cost little; the time from the common start to each
    viewer's script run finishing. Target p95 ≤ 0.6 s.

Rounds interleave (app, plain, bare, app, …) so a busy neighbour on this shared machine
slows all alike; medians and p95 are over rounds (and viewers). Every visit uses a new
browser context: no HTTP cache, as for a person opening a link for the first time.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEADLINE = '[data-testid="stMetricValue"]'
# The floor: what a one-figure Streamlit page costs in this framework, on this machine.
BARE_PAGE = 'import streamlit as st\n\nst.metric("Total IT cost", "$1.2M", "+3 %")\n'
HEADLESS = ["--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.address", "127.0.0.1"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """One Streamlit server process this bench started."""

    name: str
    template: list[str]  # "{port}" stands for the port
    port: int = 0
    folder: Path | None = None  # for its log (default: the system's temporary folder)
    process: subprocess.Popen | None = None
    log: Path | None = None

    @property
    def command(self) -> list[str]:
        return [str(self.port) if part == "{port}" else part for part in self.template]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, env: dict[str, str], timeout: float = 120) -> float:
        """Start on a free port and wait until /_stcore/health answers; returns the seconds
        that took."""
        self.port = free_port()
        self.log = Path(tempfile.mkstemp(prefix="server-", suffix=".log", dir=self.folder)[1])
        began = time.perf_counter()
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(self.command, cwd=ROOT, env=env, stdout=out,
                                            stderr=subprocess.STDOUT)
        wait_healthy(self.url, self.process, timeout, self.log)
        return time.perf_counter() - began

    def stop(self) -> int:
        """Stop as Ctrl-C would (SIGTERM); the exit code."""
        if self.process is None:
            return 0
        self.process.terminate()
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.process = None
        return code


def wait_healthy(url: str, process: subprocess.Popen, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped at start:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"no answer from {url}/_stcore/health in {timeout:.0f} s")


# --- viewers at Streamlit's websocket protocol -----------------------------------------------

@dataclass(frozen=True)
class Visit:
    """One session's first script run, seen from the client."""

    seconds: float  # from ``began`` to the run's script_finished
    status: str  # "ok", "compile error", or what else ended it
    metrics: int  # st.metric elements the run drew (the app's headline figures)
    messages: int


async def visit(url: str, query: str = "", began: float | None = None,
                timeout: float = 120) -> Visit:
    """Open a session as a browser tab does (connect, send rerun_script) and read until the
    script run finishes; a run that ends early for a rerun (a page switch, a bound widget
    writing the link) is followed to the run that finishes."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    began = time.perf_counter() if began is None else began
    ws_url = url.replace("http://", "ws://", 1) + "/_stcore/stream"
    request = BackMsg()
    request.rerun_script.query_string = query
    request.rerun_script.context_info.timezone = "UTC"
    request.rerun_script.context_info.locale = "en-US"
    request.rerun_script.context_info.url = f"{url}/{'?' + query if query else ''}"
    metrics = messages = 0
    async with asyncio.timeout(timeout), websockets.connect(
            ws_url, subprotocols=["streamlit"], max_size=None, compression=None) as socket_:
        await socket_.send(request.SerializeToString())
        async for raw in socket_:
            message = ForwardMsg.FromString(raw)
            messages += 1
            kind = message.WhichOneof("type")
            if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                metrics += message.delta.new_element.WhichOneof("type") == "metric"
            elif kind == "script_finished":
                status = message.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    metrics = 0
                    continue
                name = {ForwardMsg.FINISHED_SUCCESSFULLY: "ok",
                        ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile error"}.get(
                            status, f"status {status}")
                return Visit(time.perf_counter() - began, name, metrics, messages)
    return Visit(time.perf_counter() - began, "closed before the run finished", metrics,
                 messages)


def _run(coroutine):
    """Run a coroutine to the end in a thread of its own: playwright's sync API holds this
    thread's event loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def crowd(url: str, viewers: int) -> list[Visit]:
    """``viewers`` sessions opening the link at the same moment."""
    began = time.perf_counter()
    return list(await asyncio.gather(*(visit(url, began=began) for _ in range(viewers))))


# --- the browser ------------------------------------------------------------------------------

def headline_seconds(browser, url: str) -> float:
    """Shared link → the first headline figure visible, in a fresh browser context."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        began = time.perf_counter()
        page.goto(url)
        page.locator(HEADLINE).first.wait_for(state="visible", timeout=120_000)
        return time.perf_counter() - began
    finally:
        context.close()


# --- figures ----------------------------------------------------------------------------------

def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def line(name: str, values: list[float]) -> str:
    return (f"  {name:<22} median {statistics.median(values):6.2f} s   p95 {p95(values):6.2f} s"
            f"   ({len(values)} × : {' '.join(f'{v:.2f}' for v in values)})")


def ratio_line(label: str, app: list[float], floor: list[float], target: float) -> str:
    ratio = statistics.median(app) / statistics.median(floor)
    verdict = "meets" if ratio <= target else "misses"
    return f"  {label}: {ratio:.2f}× the bare page (median ÷ median; target ≤ {target}×: {verdict})"


def section(title: str, figures: dict[str, list[float]], target: float = 0,
            *compared: tuple[str, str]) -> None:
    """Each server's figures; each compared one's ratio to the bare page (the last)."""
    print(f"\n{title}")
    for name, values in figures.items():
        print(line(name, values))
    floor = list(figures.values())[-1]
    for label, name in compared:
        print(ratio_line(label, figures[name], floor, target))


def servers(work: Path) -> list[Server]:
    python = sys.executable
    bare = work / "bare_page.py"
    bare.write_text(BARE_PAGE, encoding="utf-8")
    made = [
        Server("app (launcher)", [python, "-m", "valuelib", "serve", "--port", "{port}",
                                  *HEADLESS]),
        Server("app (streamlit run)", [python, "-m", "streamlit", "run", str(ROOT / "app.py"),
                                       "--server.port", "{port}", *HEADLESS]),
        Server("bare page", [python, "-m", "streamlit", "run", str(bare), "--server.port",
                             "{port}", *HEADLESS]),
    ]
    for server in made:
        server.folder = work
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3,
                        help="first visits: server starts of each (default 3)")
    parser.add_argument("--warm-rounds", type=int, default=8,
                        help="warm visits of each (default 8)")
    parser.add_argument("--viewers", type=int, default=20, help="viewers at once (default 20)")
    parser.add_argument("--crowd-rounds", type=int, default=3,
                        help="crowds of each (default 3)")
    parser.add_argument("--protocol-rounds", type=int, default=2,
                        help="first script runs after a start, over the websocket (default 2)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from tests.test_browser import CHROME_ARGS

    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    env = {**os.environ, "VALUELIB_DATA_DIR": str(work / "store"),
           "VALUELIB_EDITOR_PASSWORD": "bench-passcode"}
    env.pop("VALUELIB_DATABASE_URL", None)  # the sample data, as a fresh install shows it
    targets = servers(work)
    first: dict[str, list[float]] = {t.name: [] for t in targets}
    runs: dict[str, list[float]] = {t.name: [] for t in targets}
    warm: dict[str, list[float]] = {t.name: [] for t in targets}
    crowds: dict[str, list[float]] = {t.name: [] for t in targets}
    starts: dict[str, list[float]] = {t.name: [] for t in targets}
    print(f"bench/serve.py on {os.cpu_count()} cores; chromium {args.chromium}; "
          f"{args.rounds} first-visit, {args.warm_rounds} warm, {args.crowd_rounds} crowd "
          f"rounds of {args.viewers} viewers", flush=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROME_ARGS)
        try:
            # chromium's own first page (its renderer, caches) is no server's cost
            floor = targets[-1]
            floor.start(env)
            try:
                headline_seconds(browser, floor.url)
            finally:
                floor.stop()
            for round_ in range(args.rounds):
                for target in targets:
                    starts[target.name].append(target.start(env))
                    try:
                        first[target.name].append(headline_seconds(browser, target.url))
                    finally:
                        target.stop()
                print(f"first visits, round {round_ + 1}: " + ", ".join(
                    f"{name} {values[-1]:.2f} s" for name, values in first.items()),
                    flush=True)
            for _ in range(args.protocol_rounds):
                for target in targets:
                    starts[target.name].append(target.start(env))
                    try:
                        runs[target.name].append(_run(visit(target.url)).seconds)
                    finally:
                        target.stop()
            for target in targets if args.warm_rounds or args.crowd_rounds else ():
                target.start(env)
                headline_seconds(browser, target.url)  # its first visit, not counted
            try:
                for _ in range(args.warm_rounds):
                    for target in targets:
                        warm[target.name].append(headline_seconds(browser, target.url))
                for _ in range(args.crowd_rounds):
                    for target in targets:
                        visits = _run(crowd(target.url, args.viewers))
                        failed = [v for v in visits if v.status != "ok" or not v.metrics]
                        if failed:
                            raise RuntimeError(f"{target.name}: {len(failed)} viewers got no "
                                               f"headline figure: {failed[0]}")
                        crowds[target.name] += [v.seconds for v in visits]
            finally:
                for target in targets:
                    target.stop()
        finally:
            browser.close()
    shutil.rmtree(work, ignore_errors=True)

    app, plain, bare = (t.name for t in targets)
    if starts[app]:
        section("server start → /_stcore/health answering", starts)
    if args.rounds:
        section("(a) shared link → headline figure visible, first visit after the server starts",
                first, 1.2, ("launcher", app), ("streamlit run", plain))
    if args.protocol_rounds:
        section("(a') the first script run after the server starts, at the websocket protocol "
                "(no browser: the server's part of (a))", runs, 1.2, ("launcher", app),
                ("streamlit run", plain))
    if args.warm_rounds:
        section("(b) the same on a warm server", warm, 1.1, ("launcher", app))
    if args.crowd_rounds:
        print(f"\n(c) {args.viewers} viewers opening the link at once: start → their script "
              "run finished")
        for name, values in crowds.items():
            print(line(name, values).split("   (")[0])
        verdict = "meets" if p95(crowds[app]) <= 0.6 else "misses"
        print(f"  launcher: p95 {p95(crowds[app]):.2f} s (target ≤ 0.6 s: {verdict}); "
              f"p95 ÷ the bare page's {p95(crowds[app]) / p95(crowds[bare]):.2f}×")
    print("\nThe machine is shared: neighbours' load moves single figures; compare within a run.")


if __name__ == "__main__":
    main()
