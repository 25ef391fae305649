"""The pages' catalogue (no browser): every value of every enum the API sends has a Chinese and an English display
name in web/src/enums.json, and every message the pages ask for exists in web/src/i18n.js.

A new enum value in service/model.py (or a new role) fails here until it is named for people."""

from __future__ import annotations

import inspect
import json
import re
from enum import Enum
from pathlib import Path
from typing import Any

import pytest

import service.model
from service.registry import ENUMS
from service.roles import Role

WEB = Path(__file__).resolve().parents[2] / "web"
CATALOGUE = WEB / "src" / "enums.json"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _enums() -> dict[str, type[Enum]]:
    """Every enum service/model.py defines, and the roles a key grants (shown in the pages' header)."""
    found = {name: obj for name, obj in inspect.getmembers(service.model, inspect.isclass)
             if issubclass(obj, Enum) and obj.__module__ == service.model.__name__}
    assert {"Label", "OrgKind", "WishStatus", "MatterMode"} <= set(found), sorted(found)  # the lookup works
    return {**found, "Role": Role}


def _catalogue() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("//")}


@pytest.mark.parametrize("name", sorted(_enums()))
def test_every_enum_value_has_a_chinese_and_an_english_name(name: str) -> None:
    enum = _enums()[name]
    table = _catalogue().get(name)
    assert table is not None, f"web/src/enums.json has no {name}: add display names for its values"
    values = {str(member.value) for member in enum}
    missing = sorted(values - set(table))
    assert not missing, f"{name} values without a display name in web/src/enums.json: {missing}"
    stale = sorted(set(table) - values)
    assert not stale, f"web/src/enums.json names {name} values the model no longer has: {stale}"
    for value, entry in table.items():
        assert isinstance(entry.get("zh-CN"), str) and CJK.search(entry["zh-CN"]), (name, value, entry)
        assert isinstance(entry.get("en"), str) and entry["en"].strip(), (name, value, entry)
    for language in ("zh-CN", "en"):
        shown = [entry[language] for entry in table.values()]
        twins = sorted({s for s in shown if shown.count(s) > 1})
        assert not twins, f"{name}: two values share the {language} name {twins}; people could not tell them apart"


def test_graphql_enum_names_map_to_their_values() -> None:
    """The API's GraphQL enums are sent by member name (MatterMode MAJOR) where the stored value differs (大事共议):
    the catalogue names the member, so the pages show either form by the same display name."""
    catalogue = _catalogue()
    for spec in ENUMS:
        table = catalogue[spec.values.__name__]
        for member in spec.values:
            if member.name != member.value:
                assert table[member.value].get("name") == member.name, (spec.graphql, member)


def test_no_catalogue_entry_without_an_enum() -> None:
    assert set(_catalogue()) == set(_enums())


def _sources() -> dict[str, str]:
    files = [*(WEB / "src").glob("*.js"), *WEB.glob("*.html")]
    return {p.name: p.read_text(encoding="utf-8") for p in files}


def test_pages_ask_only_for_existing_messages_and_enums() -> None:
    i18n = (WEB / "src" / "i18n.js").read_text(encoding="utf-8")
    defined = set(re.findall(r'^\s*"([\w.-]+)":\s*\[', i18n, re.MULTILINE))
    assert len(defined) > 100
    namespaces = {k.split(".")[0] for k in defined if "." in k}
    catalogue = _catalogue()
    for name, text in _sources().items():
        asked = set(re.findall(r'\bt\("([\w.-]+)"', text))
        asked |= set(re.findall(r'data-i18n(?:-[a-z]+)?="([\w.-]+)"', text))
        # keys handed on as arguments ("analysis.what.size"): any literal in a namespace of the catalogue
        asked |= {k for k in re.findall(r'"([a-z]+\.[\w.-]+)"', text) if k.split(".")[0] in namespaces}
        assert not asked - defined, f"{name} asks for messages i18n.js lacks: {sorted(asked - defined)}"
        classes = set(re.findall(r'\benumName\("(\w+)"', text))
        assert not classes - set(catalogue), f"{name} names enums enums.json lacks: {sorted(classes - set(catalogue))}"
