"""service/display.py: the pages' catalogue of enum display names, read by Python from the built pages (which
ship in the wheel), and the loaders taking those names back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders.fields import enum_parser
from service import display
from service.model import ItemStatus, MatterMode
from service.registry import ENUMS, EnumSpec

SOURCE = Path(__file__).resolve().parents[1] / "web" / "src" / "enums.json"


def test_the_shipped_catalogue_is_the_pages_one() -> None:
    assert display.CATALOGUE.is_file(), "service/web/static/enums.json is missing: run `make web`"
    assert json.loads(display.CATALOGUE.read_text(encoding="utf-8")) == json.loads(SOURCE.read_text(encoding="utf-8"))


def test_chinese_names_of_values() -> None:
    assert display.chinese(ItemStatus.OPEN) == "开放认领"
    assert display.chinese(MatterMode.MAJOR) == "大事共议"
    assert display.chinese_names(ItemStatus) == {"开放认领": ItemStatus.OPEN, "已关闭": ItemStatus.CLOSED}


@pytest.mark.parametrize("spec", ENUMS, ids=[s.graphql for s in ENUMS])
def test_a_loader_takes_every_display_name_and_member_name_back(spec: EnumSpec) -> None:
    enum = spec.values
    parse = enum_parser(enum, "value", {})
    for member in enum:
        assert parse(display.chinese(member)) is member
        assert parse(member.name) is member and parse(member.value) is member


def test_a_synonym_giving_a_display_name_to_another_value_is_refused() -> None:
    with pytest.raises(ValueError, match="'已关闭' of CLOSED also names OPEN"):
        enum_parser(ItemStatus, "item status", {"已关闭": ItemStatus.OPEN})
