"""``python -m valuelib serve``: import the app and warm its caches, then start Streamlit in
this process on app.py — so the first visitor after a restart waits for a script run, not for
imports and the first data load (docs/decisions.md, "Launcher").

The warm step must run in the server's process, after Streamlit's runtime exists (st.cache_data
keeps its entries in the runtime's storage; called before, it would fill a throwaway one) and
before the port opens (a visitor arriving meanwhile would wait for it in their page load).
"""

from __future__ import annotations

import ast
import importlib
import logging
import os
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"


def _page_imports() -> list[str]:
    """The modules app.py and every page file import at the top (the pages are run by path,
    so their imports would otherwise be paid in the first visit to each)."""
    names: list[str] = []
    for path in [APP, *sorted((ROOT / "app_pages").rglob("*.py"))]:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append(node.module)
                # "from ui import data": data may be a module of the package
                names += [f"{node.module}.{alias.name}" for alias in node.names]
    return list(dict.fromkeys(names))


# Streamlit's own modules a script run imports on first use (found by diffing sys.modules
# around the first run after warming): the emoji and icon tables behind page icons, magic,
# the dataframe adapters behind st.dataframe.
STREAMLIT_LAZY = ("streamlit.emojis", "streamlit.material_icon_names",
                  "streamlit.runtime.scriptrunner.magic_funcs",
                  "streamlit.dataframe.lazy_df_adapters")


def _import_app() -> int:
    count = 0
    for name in [*_page_imports(), *STREAMLIT_LAZY]:
        try:
            importlib.import_module(name)
            count += 1
        except ImportError:
            continue  # "from ui import data" also tried "ui.data"'s attributes as modules
    return count


def warm() -> str:
    """Import the app's modules and fill the caches the shared link's first run reads: the
    data on screen (the latest published version, else the sample), its filter options, the
    default quarter and the Overview's view model and chart. Returns a line for the log."""
    start = time.perf_counter()
    modules = _import_app()
    imported = time.perf_counter()
    from ui import data  # after _import_app, which imported it

    # There is no session yet (no upload, no chosen version): Streamlit warns of that at every
    # session-state read, which here says nothing.
    quiet = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        source = data.current_source()
    finally:
        quiet.setLevel(level)
    quarter = source.choices.complete  # also the filter options and example questions
    view = data.overview(source.key, quarter, None, source.dataset)
    if view.market_chart is not None:
        # plotly builds its validators and JSON encoder on first use
        view.market_chart.to_json()
    done = time.perf_counter()
    return (f"warmed in {done - start:.2f} s: {modules} modules imported in "
            f"{imported - start:.2f} s; {source.kind} data ({source.key}), quarter {quarter}, "
            f"Overview view model in {done - imported:.2f} s")


def flag_options(options: list[str]) -> dict[str, Any]:
    """Streamlit's own config options (``--server.port 8501``, ``--theme.base dark`` …),
    parsed as ``streamlit run`` parses them (types, STREAMLIT_* environment variables)."""
    import click
    from streamlit.web import cli

    try:
        context = cli.main_run.make_context("serve", [str(APP), *options])
    except click.ClickException as exc:
        raise ValueError(exc.format_message()) from None
    if context.params.get("args"):
        raise ValueError(f"not a Streamlit option: {' '.join(context.params['args'])}")
    return {k: v for k, v in context.params.items() if k not in ("target", "args")}


def serve(flags: dict[str, Any]) -> None:
    """Start the app: Streamlit's ``streamlit run app.py`` with the warm step between creating
    the runtime and opening the port. Blocks until the server stops (Ctrl-C, SIGTERM)."""
    from streamlit import config
    from streamlit.web import bootstrap
    from streamlit.web.server import Server

    main_script = str(APP)
    # As `streamlit run app.py` from the checkout: its .streamlit/config.toml is read from
    # the working folder, and relative paths (data/) agree.
    os.chdir(ROOT)
    # What streamlit.web.cli's run command does before bootstrap.run
    config._main_script_path = main_script
    bootstrap.load_config_options(flag_options=flags)
    # What bootstrap.run does, with the warm step after Server() creates the runtime
    bootstrap._fix_sys_path(main_script)
    bootstrap._fix_sys_argv(main_script, [])
    bootstrap._install_config_watchers(flags)
    config._server_mode = "starlette-managed"
    server = Server(main_script, is_hello=False)
    try:
        print(f"  {warm()}", flush=True)
    except Exception:
        # A cold server is better than none: the first visitor pays what warming could not.
        logging.getLogger("valuelib.serve").exception("warming failed; serving cold")

    async def run() -> None:
        await server.start()
        bootstrap._on_server_start(server)
        bootstrap._set_up_signal_handler(server)
        await server.stopped

    bootstrap._run_server_loop(run())
