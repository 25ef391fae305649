"""A province streamed one part at a time (service.demo.stream): regions nest across parts, ids never repeat,
and every part reproduces its seed profile's figures. Two districts only: the province's size is a benchmark."""

from __future__ import annotations

import pytest

from service.demo import MAX_PROVINCE_SCALE, MAX_SCALE, PROVINCE_REPLICAS, PROVINCES, stream
from service.demo.profiles import PROFILE_SPECS
from service.model import Label, RegionLevel
from tests.demo.graphview import recompute

_RANK = {RegionLevel.PROVINCE: 0, RegionLevel.CITY: 1, RegionLevel.DISTRICT: 2, RegionLevel.STREET: 3,
         RegionLevel.TOWN: 3, RegionLevel.COMMUNITY: 4, RegionLevel.VILLAGE: 4, RegionLevel.GRID: 5}


def test_guangdong_is_its_seed_profiles_in_one_province() -> None:
    members = PROVINCES["guangdong"]
    assert members == ("baiyun", "huadu", "conghua", "foshan")
    assert {PROFILE_SPECS[m].province for m in members} == {("440000", "广东省")}
    assert PROVINCE_REPLICAS == 30  # 30 × (107,711 nodes, 167,944 relationships): ≥ 3.2M and 5.0M


def test_a_two_district_province_streams_nested_regions_and_each_districts_figures(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(PROVINCES, "two-districts", ("conghua",))
    level: dict[str, RegionLevel] = {}
    seen: set[str] = set()
    parts = list(stream("two-districts", scale=2))
    assert [(p.profile, p.replica) for p in parts] == [("conghua", 1), ("conghua", 2)]
    for part in parts:
        assert recompute(part) == part.figures == PROFILE_SPECS["conghua"].figures
        ids = [row["id"] for rows in part.nodes.values() for row in rows]
        assert len(set(ids)) == len(ids) and not seen & set(ids), "an id written twice"
        seen.update(ids)
        level.update((row["id"], RegionLevel(row["level"])) for row in part.nodes[Label.REGION])
        parents = {}
        for batch in part.relationships:
            if batch.type == "PART_OF":
                for rel in batch.rows:
                    assert rel.start not in parents, f"{rel.start} is part of two regions"
                    parents[rel.start] = rel.end
        for row in part.nodes[Label.REGION]:
            child = RegionLevel(row["level"])
            if child is RegionLevel.PROVINCE:
                assert row["id"] not in parents
                continue
            parent = parents[row["id"]]
            assert parent in level, f"{row['id']}'s parent {parent} is in no part written so far"
            up = level[parent]
            assert _RANK[up] < _RANK[child] or child is up is RegionLevel.GRID, (row["id"], child, parent, up)
            if child in (RegionLevel.CITY, RegionLevel.DISTRICT):
                assert _RANK[up] == _RANK[child] - 1
    # one province for both districts, each district in its own city
    assert [i for i, lv in level.items() if lv is RegionLevel.PROVINCE] == ["440000"]
    assert sorted(i for i, lv in level.items() if lv is RegionLevel.CITY) == ["440100", "446000"]
    assert sorted(i for i, lv in level.items() if lv is RegionLevel.DISTRICT) == ["440117", "446017"]


def test_an_unknown_profile_or_scale_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'nowhere'"):
        next(stream("nowhere"))
    with pytest.raises(ValueError, match="scale must be"):
        next(stream("guangdong", scale=MAX_PROVINCE_SCALE + 1))
    with pytest.raises(ValueError, match=f"from 1 to {MAX_SCALE},"):  # a seed profile keeps clear of real codes
        next(stream("urumqi-etdz", scale=MAX_SCALE + 1))
