"""``python -m valuelib ...``: the command line (:mod:`valuelib.cli`)."""

import sys

from .cli import main

sys.exit(main())
