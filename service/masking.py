"""Masking of members' personal data (PIPL art. 28) for every role but admin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


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


# unit properties that name or reach a person, with how each is masked (was in analytics/exports.py)
UNIT_PERSONAL: dict[str, Callable[[str | None], str | None]] = {
    "contact": mask_name, "contactPerson": mask_name, "secretary": mask_name,
    "signatory": mask_name, "person": mask_name, "leader": mask_name,
    "phone": mask_phone, "mobile": mask_phone, "contactPhone": mask_phone,
    "idNumber": mask_id_number, "address": mask_address, "homeAddress": mask_address,
}


def masked_unit_property(key: str, value: Any) -> Any:
    """A unit's property as a caller without access to personal data sees it."""
    mask = UNIT_PERSONAL.get(key)
    return value if mask is None else mask(None if value is None else str(value))
