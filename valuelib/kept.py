"""What is made from an object, kept for as long as the object lives.

Tables and figures are never changed once built (a publish makes new ones), so what a page or
an analysis derives from one — a column's codes, a chart's screen copy, a table's Arrow form —
need be made once, not on every run or call. Objects are told apart by identity (a plotly
figure cannot be a dict key: it compares by value and is not hashable); an entry goes when its
object does. Safe across threads: every session's script runs in one process.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

_KEPT: dict[int, tuple[weakref.ref, dict]] = {}  # id(object) -> (the object, weakly; slot -> made)
_LOCK = threading.Lock()


def kept(thing: object, slot: Hashable, make: Callable[[], T]) -> T:
    """``make()``, made once per ``slot`` while ``thing`` lives (made every time for an
    object that takes no weak reference)."""
    key = id(thing)
    with _LOCK:
        held = _KEPT.get(key)
        if held is not None and held[0]() is thing and slot in held[1]:
            return held[1][slot]
    made = make()
    with _LOCK:
        held = _KEPT.get(key)
        if held is None or held[0]() is not thing:
            try:
                ref = weakref.ref(thing, lambda _, key=key: _forget(key))
            except TypeError:
                return made
            held = _KEPT[key] = (ref, {})
        return held[1].setdefault(slot, made)


def _forget(key: int) -> None:
    with _LOCK:
        held = _KEPT.get(key)
        if held is not None and held[0]() is None:
            del _KEPT[key]
