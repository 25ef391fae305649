"""The people's names of the model's enum values (the pages' catalogue web/src/enums.json), for Python: the
exports write an enum in Chinese and the loaders accept that Chinese back.

The catalogue is read from the built pages (service/web/static/enums.json, which `make web` copies from
web/src/enums.json and which ships in the wheel), so there is one catalogue and an installed package has it.
tests/web/test_bundle.py fails when the copy is older than the source."""

from __future__ import annotations

import json
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

CATALOGUE = Path(__file__).resolve().parent / "web" / "static" / "enums.json"
E = TypeVar("E", bound=Enum)


@cache
def catalogue() -> dict[str, dict[str, dict[str, Any]]]:
    """enum class name -> stored value -> {"zh-CN", "en", and "name" where the GraphQL name differs}."""
    data: dict[str, Any] = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("//")}


def chinese(member: Enum) -> str:
    """A value's Chinese display name (the value itself when the catalogue lacks it)."""
    entry = catalogue().get(type(member).__name__, {}).get(str(member.value))
    return str(entry["zh-CN"]) if entry else str(member.value)


def chinese_names(enum: type[E]) -> dict[str, E]:
    """Chinese display name -> member, for parsing what an export wrote."""
    table = catalogue().get(enum.__name__, {})
    return {str(table[str(m.value)]["zh-CN"]): m for m in enum if str(m.value) in table}
