"""Who is calling: `Authorization: Bearer <key>` → Caller (a role and a region scope).

The key ring is built once from the settings (which parsed ALLIANCE_API_KEYS) when the app is
created, and reached through service/deps.py; no router reads the keys itself."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass

from service.errors import Forbidden, Unauthenticated
from service.graph.port import GraphStore
from service.graph.types import Condition, Op, Query
from service.model import Label
from service.roles import WRITERS, Role
from service.settings import ApiKey


@dataclass(frozen=True, slots=True)
class Caller:
    role: Role
    region_id: str | None = None  # None: the whole graph
    key_id: str | None = None  # who, in the import history: a fingerprint of the key, never the key itself

    @property
    def sees_personal_data(self) -> bool:
        return self.role is Role.ADMIN

    def require_role(self, roles: frozenset[Role], action: str) -> None:
        if self.role not in roles:
            needed = " or ".join(r.value for r in Role if r in roles)
            raise Forbidden(f"{action} needs the {needed} role; this key has the {self.role} role")

    def require_writer(self, action: str) -> None:
        self.require_role(WRITERS, action)


class KeyRing:
    """The configured keys; compared in constant time, never logged."""

    def __init__(self, keys: Iterable[ApiKey]) -> None:
        # a key listed twice keeps its last entry
        self._entries = {k.secret.get_secret_value(): Caller(k.role, k.region_id, key_id(k.secret.get_secret_value()))
                         for k in keys}

    def __len__(self) -> int:
        return len(self._entries)

    def authenticate(self, authorization: str | None) -> Caller:
        """The caller of an `Authorization: Bearer <key>` header; UNAUTHENTICATED (401) otherwise."""
        key = bearer_key(authorization)
        caller = self.lookup(key) if key else None
        if caller is None:
            reason = "is not a configured key" if key else "is missing; send `Authorization: Bearer <key>`"
            raise Unauthenticated(f"the API key {reason}")
        return caller

    def lookup(self, key: str) -> Caller | None:
        found = None
        for candidate, caller in self._entries.items():
            if hmac.compare_digest(candidate.encode(), key.encode()):
                found = caller
        return found


def key_id(secret: str) -> str:
    """The name of a key in the import history: the first 12 hex digits of its sha256 (a key is a long random
    secret, so this names it without revealing it; `alliance imports` shows the same for the same key)."""
    return "key-" + hashlib.sha256(secret.encode()).hexdigest()[:12]


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
