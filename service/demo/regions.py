"""The territory of a profile replica: province, city, districts, streets/towns and below.

Codes nest the GB/T 2260 way (district 6 digits, street/town +3, community/village +3, each grid
level +3). Replica 1 keeps the real codes; replica r > 1 moves under a stand-in city
"演示市r" whose code replaces the real city's two digits with 58 + r, keeping the district
digits, so every replica and every profile has its own codes (`MAX_SCALE` bounds r).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from service.demo import names
from service.demo.builder import Area, Builder
from service.demo.profiles import Profile
from service.model import RegionLevel

MAX_SCALE = 30  # stand-in city codes 60..88 stay clear of real prefecture codes (Xinjiang's 6590 is real)
# A Guangdong province may go to 41 replicas: its real prefecture codes end at 4453, so 4460..4499 are clear.
MAX_PROVINCE_SCALE = 41


@dataclass(slots=True)
class Territory:
    root: Area  # the district, or the city for a whole-city profile
    districts: list[Area]
    towns: list[Area]
    communities: list[Area] = field(default_factory=list)
    villages: list[Area] = field(default_factory=list)


def root_code(profile: Profile, replica: int) -> str:
    city = _city_code(profile, replica)
    return city if profile.root_is_city else city[:4] + profile.districts[0].code[4:]


def _city_code(profile: Profile, replica: int) -> str:
    if replica == 1:
        return profile.city[0]
    return f"{profile.city[0][:2]}{58 + replica:02d}00"


def territory(b: Builder) -> Territory:
    """Province, city, districts and their streets/towns (街道 codes 001.., 镇 codes 100..)."""
    p, r = b.profile, b.replica
    province = b.region(p.province[0], p.province[1], RegionLevel.PROVINCE, None, "", "", shared=True)
    city_code = _city_code(p, r)
    city_name = p.city[1] if r == 1 else f"演示市{r}"
    city = b.region(city_code, city_name, RegionLevel.CITY, province, city_code, city_name, shared=True)
    districts: list[Area] = []
    towns: list[Area] = []
    for d in p.districts:
        name = d.name if r == 1 else f"{d.name}（副本{r}）"
        code = city_code[:4] + d.code[4:]
        place = city_name + names.short_place(d.name)
        district = b.region(code, name, RegionLevel.DISTRICT, city, code, place)
        districts.append(district)
        streets = towns_ = 0
        for town_name, level in d.towns:
            if level is RegionLevel.STREET:
                streets += 1
                suffix = f"{streets:03d}"
            else:
                towns_ += 1
                suffix = f"{99 + towns_:03d}"
            towns.append(b.region(code + suffix, town_name, level, district, code, place + town_name))
    root = city if p.root_is_city else districts[0]
    return Territory(root, districts, towns)


def add_places(
    b: Builder,
    t: Territory,
    town: Area,
    communities: int,
    villages: int,
    taken: set[str],
    known: Sequence[str] = (),
) -> tuple[list[Area], list[Area]]:
    """Communities (codes 001..) and villages (codes 201..) of one street/town; `known` names
    (from the seed articles) come first."""
    known_c = [n for n in known if n.endswith("社区")][:communities]
    known_v = [n for n in known if n.endswith("村")][:villages]
    taken.update(known_c + known_v)
    c_names = known_c + names.unique_names(b.rng, communities - len(known_c), names.community_name, taken)
    v_names = known_v + names.unique_names(b.rng, villages - len(known_v), names.village_name, taken)
    made_c = [
        b.region(f"{town.id}{i:03d}", n, RegionLevel.COMMUNITY, town, town.district, town.place + n)
        for i, n in enumerate(c_names, 1)
    ]
    made_v = [
        b.region(f"{town.id}{200 + i:03d}", n, RegionLevel.VILLAGE, town, town.district, town.place + n)
        for i, n in enumerate(v_names, 1)
    ]
    t.communities += made_c
    t.villages += made_v
    return made_c, made_v


def grids(b: Builder, parent: Area, grid_names: Sequence[str], grid_level: int, **extra: Any) -> list[Area]:
    """One grid per name below `parent`, codes parent + 001, 002, ..."""
    return [
        b.region(
            f"{parent.id}{i:03d}",
            name,
            RegionLevel.GRID,
            parent,
            parent.district,
            parent.place,
            gridLevel=grid_level,
            **extra,
        )
        for i, name in enumerate(grid_names, 1)
    ]
