"""API keys, roles and region scope: `Authorization: Bearer <key>` → Caller.

ALLIANCE_API_KEYS holds comma-separated `key:role` or `key:role:regionId` entries.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from enum import StrEnum

from fastapi import HTTPException
from pydantic import SecretStr

from service.errors import Forbidden
from service.graph.port import GraphStore
from service.graph.types import Condition, Op, Query
from service.model import Label


class Role(StrEnum):
    VIEWER = "viewer"
    ANALYST = "analyst"
    IMPORTER = "importer"
    ADMIN = "admin"


WRITERS = frozenset({Role.IMPORTER, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class Caller:
    role: Role
    region_id: str | None = None  # None: the whole graph

    @property
    def sees_personal_data(self) -> bool:
        return self.role is Role.ADMIN

    def require_writer(self, action: str) -> None:
        if self.role not in WRITERS:
            raise Forbidden(f"{action} needs the importer or admin role; this key has the {self.role} role")


class KeyRing:
    """The configured keys; compared in constant time, never logged."""

    def __init__(self, entries: dict[str, Caller]) -> None:
        self._entries = entries

    @classmethod
    def parse(cls, setting: SecretStr | str | None) -> KeyRing:
        raw = setting.get_secret_value() if isinstance(setting, SecretStr) else (setting or "")
        entries: dict[str, Caller] = {}
        for n, entry in enumerate(e.strip() for e in raw.split(",")):
            if not entry:
                continue
            parts = entry.split(":")
            if len(parts) not in (2, 3) or not parts[0]:
                raise ValueError(f"ALLIANCE_API_KEYS entry {n + 1} is not `key:role` or `key:role:regionId`")
            try:
                role = Role(parts[1].strip().lower())
            except ValueError:
                raise ValueError(
                    f"ALLIANCE_API_KEYS entry {n + 1} names role {parts[1]!r}; "
                    f"roles are {', '.join(r.value for r in Role)}"
                ) from None
            region = parts[2].strip() if len(parts) == 3 and parts[2].strip() else None
            entries[parts[0].strip()] = Caller(role, region)
        return cls(entries)

    def __len__(self) -> int:
        return len(self._entries)

    def authenticate(self, authorization: str | None) -> Caller:
        """The caller of an `Authorization: Bearer <key>` header; a clear 401 otherwise."""
        key = bearer_key(authorization)
        caller = self.lookup(key) if key else None
        if caller is None:
            reason = "is not a configured key" if key else "is missing; send `Authorization: Bearer <key>`"
            raise HTTPException(401, detail={"code": "UNAUTHENTICATED", "message": f"the API key {reason}"},
                                headers={"WWW-Authenticate": "Bearer"})
        return caller

    def lookup(self, key: str) -> Caller | None:
        found = None
        for candidate, caller in self._entries.items():
            if hmac.compare_digest(candidate.encode(), key.encode()):
                found = caller
        return found


def bearer_key(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


async def region_within(store: GraphStore, region_id: str, root: str) -> bool:
    """Whether region `region_id` lies in the subtree of `root` (one indexed statement)."""
    query = Query(Label.REGION, where=(Condition("id", Op.EQ, region_id),), region_id=root, first=1)
    return bool((await store.list_nodes(query)).items)
