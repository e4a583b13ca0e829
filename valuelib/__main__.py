"""``python -m valuelib ...``: the command line (:mod:`valuelib.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":  # importing the module (as the purity test does) runs nothing
    sys.exit(main())
