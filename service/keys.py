"""API keys as data: made, listed, revoked and rotated with `alliance keys` (service/keys_command.py) and
kept in the graph as ApiKey nodes (service/registry.py: in no region, read only here), so a key made or
revoked is seen by every worker of every process without a restart.

A secret is `ag_<key id>_<random>`: the key id is not secret (it is shown by `alliance keys list`, the
`apiKeys` query and the import history), and it finds the one record to check in O(1). The record keeps a
salted scrypt hash of the whole secret, never the secret; the hash is compared in constant time.

Each process keeps what it read for ALLIANCE_KEY_CACHE_SECONDS (StoredKeys): by default none, so a revocation
or rotation is effective in every worker on the next request, for one read of the key's node per request
(the scrypt check is kept while the stored hash stays the same); a longer window trades that read for
that many seconds in which a revoked key still answers. The keys of
ALLIANCE_API_KEYS (service/auth.py KeyRing) keep working beside these, for bootstrap."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from service import audit
from service.auth import Caller
from service.errors import IllegalState, KeyExpired, KeyRevoked, NotFound, Unauthenticated, ValidationFailed
from service.graph.port import GraphStore
from service.graph.types import Node, Query
from service.model import Label
from service.roles import Role

PREFIX = "ag_"
CACHE_SECONDS = 0.0  # how long a worker trusts what it read: the longest a revoked key still answers
NOTE_MAX = 200
_CACHE_MAX = 10_000  # entries kept per process (unknown ids included) before the cache starts over
_PAGE = 1000  # the store's largest page
# scrypt's cost (RFC 7914): about 16 MiB and tens of milliseconds; paid once per key and worker in a window
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


@dataclass(frozen=True, slots=True)
class KeyRecord:
    """A stored key as listed: everything but the salt and hash."""

    id: str
    role: Role
    region_id: str | None
    note: str | None
    created: str
    expires: str | None
    revoked: str | None
    rotated: str | None

    def state(self, now: dt.datetime) -> str:
        if self.revoked:
            return "revoked"
        if self.expires and parse_instant(self.expires) <= now:
            return "expired"
        return "active"


@dataclass(frozen=True, slots=True)
class IssuedKey:
    """A key just made or rotated: the only time its secret is known."""

    record: KeyRecord
    secret: str


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def instant(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def parse_instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def parse_expiry(text: str) -> dt.datetime:
    """`YYYY-MM-DD` (the key works through that day, UTC) or an ISO date-time (UTC when it names no zone)."""
    try:
        if len(text) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(text) + dt.timedelta(days=1), dt.time(), dt.UTC)
        at = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"expiry {text!r} is not a date (YYYY-MM-DD) or an ISO date-time") from None
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def new_key_id() -> str:
    return "ak-" + secrets.token_hex(5)


def new_secret(key_id: str) -> str:
    return f"{PREFIX}{key_id}_{secrets.token_urlsafe(32)}"


def key_id_of(secret: str) -> str | None:
    """The key id inside a secret of the stored shape; None for any other string (an ALLIANCE_API_KEYS key)."""
    if not secret.startswith(PREFIX):
        return None
    key_id, sep, rest = secret[len(PREFIX):].partition("_")
    return key_id if sep and key_id.startswith("ak-") and len(key_id) <= 32 and rest else None


def hash_secret(secret: str, salt: bytes) -> bytes:
    return hashlib.scrypt(secret.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32)


def key_record(node: Node) -> KeyRecord:
    p = node.props
    return KeyRecord(id=node.id, role=Role(p["role"]), region_id=p.get("regionId"), note=p.get("note"),
                     created=p["created"], expires=p.get("expires"), revoked=p.get("revoked"),
                     rotated=p.get("rotated"))


def _hashed(secret: str) -> dict[str, str]:
    salt = secrets.token_bytes(16)
    return {"salt": salt.hex(), "hash": hash_secret(secret, salt).hex()}


async def create_key(store: GraphStore, role: Role | str, region_id: str | None = None,
                     expires: str | None = None, note: str | None = None,
                     at: dt.datetime | None = None) -> IssuedKey:
    """A new key; its secret is in the answer and nowhere else."""
    at = at or now_utc()
    try:
        role = Role(str(role).strip().lower())
    except ValueError:
        raise ValidationFailed(f"role {role!r} is not one of {', '.join(r.value for r in Role)}") from None
    if region_id is not None and await store.get_node(region_id, Label.REGION) is None:
        raise ValidationFailed(f"region {region_id!r} does not exist")
    until = parse_expiry(expires) if expires else None
    if until is not None and until <= at:
        raise ValidationFailed(f"expiry {expires!r} is not in the future")
    if note is not None and len(note) > NOTE_MAX:
        raise ValidationFailed(f"the note has {len(note)} characters; at most {NOTE_MAX}")
    key_id = new_key_id()
    audit.touch(key_id)
    secret = new_secret(key_id)
    row = {"id": key_id, "role": role.value, "regionId": region_id, "note": note or None, "created": instant(at),
           "expires": instant(until) if until else None, **_hashed(secret)}
    await store.upsert_nodes(Label.API_KEY, [{k: v for k, v in row.items() if v is not None}])
    return IssuedKey(key_record(Node(key_id, Label.API_KEY, row)), secret)


async def key_nodes(store: GraphStore) -> list[Node]:
    """Every stored key's node, oldest first (salts and hashes included: for the callers that drop them)."""
    found: list[Node] = []
    after = None
    while True:
        page = await store.list_nodes(Query(Label.API_KEY, order_by="created", first=_PAGE, after=after))
        found += page.items
        if not page.has_next:
            return found
        after = page.end_cursor


async def list_keys(store: GraphStore) -> list[KeyRecord]:
    """Every stored key, oldest first, without salts or hashes."""
    return [key_record(n) for n in await key_nodes(store)]


async def _get(store: GraphStore, key_id: str) -> Node:
    node = await store.get_node(key_id, Label.API_KEY)
    if node is None:
        raise NotFound(f"no API key with id {key_id!r}")
    return node


async def revoke_key(store: GraphStore, key_id: str, at: dt.datetime | None = None) -> KeyRecord:
    """Revoke a key for good; revoking it again keeps the first date."""
    node = await _get(store, key_id)
    if node.props.get("revoked"):
        return key_record(node)
    props = {**node.props, "revoked": instant(at or now_utc())}
    await store.upsert_nodes(Label.API_KEY, [{"id": key_id, "revoked": props["revoked"]}])
    return key_record(Node(key_id, Label.API_KEY, props))


async def rotate_key(store: GraphStore, key_id: str, at: dt.datetime | None = None) -> IssuedKey:
    """A new secret for the same key id, role, region and expiry; the old secret stops working."""
    node = await _get(store, key_id)
    if node.props.get("revoked"):
        raise IllegalState(f"API key {key_id!r} was revoked at {node.props['revoked']}; create a new one")
    secret = new_secret(key_id)
    change = {"id": key_id, "rotated": instant(at or now_utc()), **_hashed(secret)}
    await store.upsert_nodes(Label.API_KEY, [change])
    return IssuedKey(key_record(Node(key_id, Label.API_KEY, {**node.props, **change})), secret)


@dataclass(slots=True)
class _Entry:
    read_at: float
    node: Node | None  # None: no such key
    verified: bytes = b""  # sha256 of the secret that last matched this node's hash: spares scrypt next time


class StoredKeys:
    """One process's view of the stored keys, re-read from the store after `ttl` seconds."""

    def __init__(self, ttl: float = CACHE_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[str, _Entry] = {}

    async def _entry(self, store: GraphStore, key_id: str, fresh: bool = False) -> _Entry:
        now = self._clock()
        entry = self._entries.get(key_id)
        if entry is None or fresh or now - entry.read_at >= self._ttl:
            node = await store.get_node(key_id, Label.API_KEY)
            if len(self._entries) >= _CACHE_MAX:
                self._entries.clear()
            same = entry is not None and entry.node is not None and node is not None and \
                entry.node.props.get("hash") == node.props.get("hash")
            entry = _Entry(now, node, entry.verified if same and entry is not None else b"")
            self._entries[key_id] = entry
        return entry

    async def authenticate(self, store: GraphStore, secret: str) -> Caller:
        """The caller of a stored key's secret: UNAUTHENTICATED when it is unknown or does not match,
        KEY_REVOKED or KEY_EXPIRED (401 both) when it matches a key that no longer works."""
        key_id = key_id_of(secret)
        cached = self._entries.get(key_id) if key_id else None
        entry = await self._entry(store, key_id) if key_id else None
        matched = bool(entry and entry.node and self._matches(entry, entry.node, secret))
        if key_id and entry and entry.node and not matched and entry is cached:
            # perhaps rotated since it was read: re-read, and hash again only when the hash changed (a wrong
            # secret costs one scrypt, not two)
            before = entry.node.props.get("hash")
            entry = await self._entry(store, key_id, fresh=True)
            if entry.node and entry.node.props.get("hash") != before:
                matched = self._matches(entry, entry.node, secret)
        node = entry.node if entry else None
        if node is None or not matched:
            raise Unauthenticated("the API key is not a configured key")
        record = key_record(node)
        if record.revoked:
            raise KeyRevoked(f"the API key {record.id} was revoked at {record.revoked}")
        if record.expires and parse_instant(record.expires) <= now_utc():
            raise KeyExpired(f"the API key {record.id} expired at {record.expires}")
        return Caller(record.role, record.region_id, record.id)

    @staticmethod
    def _matches(entry: _Entry, node: Node, secret: str) -> bool:
        fingerprint = hashlib.sha256(secret.encode()).digest()
        if entry.verified and hmac.compare_digest(entry.verified, fingerprint):
            return True
        try:
            salt, stored = bytes.fromhex(node.props["salt"]), bytes.fromhex(node.props["hash"])
        except (KeyError, ValueError):
            return False
        if not hmac.compare_digest(hash_secret(secret, salt), stored):
            return False
        entry.verified = fingerprint
        return True
