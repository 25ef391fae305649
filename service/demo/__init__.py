"""Seed-calibrated, deterministic demo data: `generate` a profile, `load_dataset` it into a store.

Each profile reproduces the figures of one seed article exactly (see profiles.py for what each
figure counts); the same (profile, scale, seed) always gives the same dataset.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from service.demo import baiyun, conghua, foshan, huadu, urumqi
from service.demo.builder import Builder
from service.demo.dataset import Dataset, GraphBuffer, RelBatch
from service.demo.loading import Progress, load_dataset
from service.demo.profiles import PROFILE_SPECS
from service.demo.regions import MAX_SCALE, root_code

__all__ = [
    "MAX_SCALE",
    "PROFILES",
    "PROFILE_TITLES",
    "Dataset",
    "Progress",
    "RelBatch",
    "generate",
    "load_dataset",
]

PROFILES: tuple[str, ...] = tuple(PROFILE_SPECS)
PROFILE_TITLES: dict[str, str] = {key: spec.title for key, spec in PROFILE_SPECS.items()}

_BUILDS: dict[str, Callable[[Builder], None]] = {
    "urumqi-etdz": urumqi.build,
    "baiyun": baiyun.build,
    "huadu": huadu.build,
    "conghua": conghua.build,
    "foshan": foshan.build,
}


def generate(profile: str, scale: int = 1, seed: int = 2026) -> Dataset:
    """The profile replicated `scale` times (each replica under its own district codes), so
    every figure is multiplied by `scale`. ValueError names an unknown profile or a bad scale."""
    spec = PROFILE_SPECS.get(profile)
    if spec is None:
        raise ValueError(f"unknown demo profile {profile!r}; choose one of {', '.join(PROFILES)}")
    if isinstance(scale, bool) or not isinstance(scale, int) or not 1 <= scale <= MAX_SCALE:
        raise ValueError(f"scale must be a whole number from 1 to {MAX_SCALE}, not {scale!r}")
    buffer = GraphBuffer()
    # The cyclic collector would rescan the growing heap of small dicts again and again (about
    # a tenth of the run time); nothing built here forms a cycle, so it has nothing to find.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for replica in range(1, scale + 1):
            _BUILDS[profile](Builder(spec, replica, seed, buffer, root_code(spec, replica)))
    finally:
        if collecting:
            gc.enable()
    figures = {key: value * scale for key, value in spec.figures.items()}
    return buffer.to_dataset(profile, scale, seed, figures)
