"""``python -m valuelib ...``: the command line (:mod:`valuelib.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":  # importing the module (e.g. walking the package) runs nothing
    sys.exit(main())
