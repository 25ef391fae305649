"""The roles an API key grants, and which roles may do what.

A bottom-layer module so that the settings can check ALLIANCE_API_KEYS' roles when they are read."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    VIEWER = "viewer"
    ANALYST = "analyst"
    IMPORTER = "importer"
    ADMIN = "admin"


WRITERS = frozenset({Role.IMPORTER, Role.ADMIN})
ANALYSTS = frozenset({Role.ANALYST, Role.ADMIN})  # exports of the network
