"""Seed-calibrated, deterministic demo data: `generate` a profile, `load_dataset` it into a store.

Each profile reproduces the figures of one seed article exactly (see profiles.py for what each
figure counts); the same (profile, scale, seed) always gives the same dataset. `stream` gives the same
data one replica at a time, and builds a province (`guangdong`: every Guangdong seed profile replicated
as districts of one province), which is too big to hold in memory at once.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator

from service.demo import baiyun, conghua, foshan, huadu, urumqi
from service.demo.builder import Builder
from service.demo.dataset import Dataset, GraphBuffer, RelBatch
from service.demo.loading import Progress, load_dataset
from service.demo.profiles import PROFILE_SPECS
from service.demo.regions import MAX_PROVINCE_SCALE, MAX_SCALE, root_code

__all__ = [
    "MAX_PROVINCE_SCALE",
    "MAX_SCALE",
    "PROFILES",
    "PROFILE_TITLES",
    "PROVINCES",
    "PROVINCE_REPLICAS",
    "Dataset",
    "Progress",
    "RelBatch",
    "generate",
    "load_dataset",
    "stream",
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

# A province is its seed profiles replicated side by side: replica r of each sits in stand-in city r (the real
# city for r = 1), so every district keeps its profile's figures and the regions nest province → city →
# district → street/town → community/village → grid. Guangdong's four seeds (Baiyun, Huadu, Conghua: districts
# of Guangzhou; Foshan: a whole city of five districts) make 107,711 nodes and 167,944 relationships per replica,
# so the default 30 replicas (240 districts) give 3.2M nodes and 5.0M relationships, and 34 (3.66M nodes) are
# a hundred times one seed district (huadu: 35,942 nodes).
PROVINCES: dict[str, tuple[str, ...]] = {"guangdong": ("baiyun", "huadu", "conghua", "foshan")}
PROVINCE_REPLICAS = 30


def _check_scale(scale: int, most: int = MAX_SCALE) -> None:
    if isinstance(scale, bool) or not isinstance(scale, int) or not 1 <= scale <= most:
        raise ValueError(f"scale must be a whole number from 1 to {most}, not {scale!r}")


def stream(profile: str, scale: int | None = None, seed: int = 2026) -> Iterator[Dataset]:
    """`profile` (a seed profile, or a province of PROVINCES) one replica of one seed profile at a time, each
    part a Dataset with that profile's figures (`replica` says which), in an order a store can write part by
    part: the province and cities a part sits in come with the first part that needs them. Memory holds one
    part. `scale` is the number of replicas: default 1 for a seed profile, PROVINCE_REPLICAS for a province."""
    members = PROVINCES.get(profile) or (profile,)
    for key in members:
        if key not in PROFILE_SPECS:
            choices = ", ".join((*PROFILES, *PROVINCES))
            raise ValueError(f"unknown demo profile {profile!r}; choose one of {choices}")
    scale = (PROVINCE_REPLICAS if profile in PROVINCES else 1) if scale is None else scale
    _check_scale(scale, MAX_PROVINCE_SCALE if profile in PROVINCES else MAX_SCALE)
    shared: set[str] = set()  # province and city ids written by an earlier part
    for replica in range(1, scale + 1):
        for key in members:
            spec = PROFILE_SPECS[key]
            buffer = GraphBuffer(shared=shared)
            collecting = gc.isenabled()
            gc.disable()  # as in generate: no cycles to find in the rows
            try:
                _BUILDS[key](Builder(spec, replica, seed, buffer, root_code(spec, replica)))
            finally:
                if collecting:
                    gc.enable()
            yield buffer.to_dataset(key, 1, seed, dict(spec.figures), replica)


def generate(profile: str, scale: int = 1, seed: int = 2026) -> Dataset:
    """The profile replicated `scale` times (each replica under its own district codes), so
    every figure is multiplied by `scale`. ValueError names an unknown profile or a bad scale."""
    spec = PROFILE_SPECS.get(profile)
    if spec is None:
        hint = f" ({profile} is a province: `stream` it)" if profile in PROVINCES else ""
        raise ValueError(f"unknown demo profile {profile!r}; choose one of {', '.join(PROFILES)}{hint}")
    _check_scale(scale)
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
