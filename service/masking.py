"""Masking of personal data (PIPL art. 28) for every role but admin.

Which properties are personal, of nodes and of relationships, and how each is masked, is declared
in service/registry.py; this module only applies it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from service.model import Label, RelType
from service.registry import UNITS, Mask, personal_properties, personal_relationship_properties


def mask_name(name: str | None) -> str | None:
    if not name:
        return name
    return name[0] + "*" * max(1, len(name) - 1)


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    digits = str(phone)
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_id_number(value: str | None) -> str | None:
    if not value:
        return value
    text = str(value)
    if len(text) < 8:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 5) + text[-2:]


def mask_address(value: str | None) -> str | None:
    if not value:
        return value
    text = str(value)
    return text[:3] + "****"


def _hidden(value: str | None) -> str | None:
    return None


MASKS: dict[Mask, Callable[[str | None], str | None]] = {
    Mask.NAME: mask_name, Mask.PHONE: mask_phone, Mask.ID_NUMBER: mask_id_number, Mask.ADDRESS: mask_address,
    Mask.HIDDEN: _hidden,
}


def mask(kind: Mask, value: Any) -> Any:
    return MASKS[kind](None if value is None else str(value))


def shown(personal: Mapping[str, Mask], key: str, value: Any, sees_personal_data: bool) -> Any:
    """A property as a caller sees it: as stored, or masked when the registry declares it personal."""
    kind = personal.get(key)
    return value if kind is None or sees_personal_data else mask(kind, value)


def node_property(label: Label, key: str, value: Any, sees_personal_data: bool) -> Any:
    return shown(personal_properties().get(label, {}), key, value, sees_personal_data)


def is_personal(label: Label, key: str) -> bool:
    return key in personal_properties().get(label, {})


@cache
def personal_relationship_keys(type: RelType) -> frozenset[str]:
    return frozenset(personal_relationship_properties().get(type, {}))


def relationship_properties(type: RelType, props: Mapping[str, Any], sees_personal_data: bool) -> dict[str, Any]:
    personal = personal_relationship_properties().get(type, {})
    return {k: shown(personal, k, v, sees_personal_data) for k, v in props.items()}


def relationship_property(type: RelType, key: str, value: Any, sees_personal_data: bool) -> Any:
    """One relationship property as the caller sees it (`relationship_properties` for one key)."""
    return shown(personal_relationship_properties().get(type, {}), key, value, sees_personal_data)


def masked_unit_property(key: str, value: Any) -> Any:
    """A unit's property as a caller without access to personal data sees it (the exports)."""
    kind = _unit_personal().get(key)
    return value if kind is None else mask(kind, value)


@cache
def _unit_personal() -> dict[str, Mask]:
    return {k: v for label in UNITS for k, v in personal_properties().get(label, {}).items()}
