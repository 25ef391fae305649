"""A load raises the garbage collector's first threshold while it runs, and puts it back."""

from __future__ import annotations

import gc

from loaders.engine import GC_FIRST_THRESHOLD, _fewer_collections


def test_a_load_raises_the_threshold_and_the_first_load_restores_it() -> None:
    before = gc.get_threshold()
    with _fewer_collections():
        assert gc.get_threshold() == (GC_FIRST_THRESHOLD, *before[1:])
        with _fewer_collections():  # a second load at the same time leaves it to the first
            pass
        assert gc.get_threshold()[0] == GC_FIRST_THRESHOLD
    assert gc.get_threshold() == before


def test_a_threshold_changed_by_someone_else_meanwhile_is_left_alone() -> None:
    before = gc.get_threshold()
    try:
        with _fewer_collections():
            gc.set_threshold(1234, *before[1:])
        assert gc.get_threshold()[0] == 1234
    finally:
        gc.set_threshold(*before)
