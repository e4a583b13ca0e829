"""valuelib.kept: made once per object and slot while the object lives."""

from __future__ import annotations

import gc

import pandas as pd

from valuelib import kept as kept_module
from valuelib.kept import kept


class Thing:
    pass


def test_made_once_per_object_and_slot():
    thing, other, calls = Thing(), Thing(), []

    def make(value):
        calls.append(value)
        return value

    assert kept(thing, "a", lambda: make(1)) == 1
    assert kept(thing, "a", lambda: make(2)) == 1  # kept
    assert kept(thing, "b", lambda: make(3)) == 3  # another slot
    assert kept(other, "a", lambda: make(4)) == 4  # another object
    assert calls == [1, 3, 4]


def test_an_entry_goes_with_its_object():
    thing = Thing()
    key = id(thing)
    kept(thing, "a", lambda: 1)
    assert key in kept_module._KEPT
    del thing
    gc.collect()
    assert key not in kept_module._KEPT


def test_an_object_without_weak_references_is_made_afresh():
    assert kept(7, "a", lambda: "first") == "first"
    assert kept(7, "a", lambda: "second") == "second"


def test_an_unhashable_figure_like_object_is_kept_by_identity():
    frame = pd.DataFrame({"x": [1]})  # compares by value, cannot be a dict key
    assert kept(frame, "n", lambda: len(frame)) == 1
    assert kept(frame, "n", lambda: 99) == 1
