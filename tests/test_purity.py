"""valuelib is the pure core: importing every module of it never imports streamlit."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_valuelib_never_imports_streamlit():
    code = ("import pkgutil, importlib, sys, valuelib\n"
            "for m in pkgutil.walk_packages(valuelib.__path__, 'valuelib.'):\n"
            "    importlib.import_module(m.name)\n"
            "assert 'streamlit' not in sys.modules, 'valuelib imported streamlit'\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
