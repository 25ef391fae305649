"""Keys as data (service/keys.py) on both stores: a stored key works at once, stops within the cache window
after it is revoked or rotated, stops at its expiry, is listed without its secret or hash, and the
ALLIANCE_API_KEYS keys keep working beside it."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from service.app import create_app
from service.auth import Caller, key_id
from service.errors import IllegalState, KeyRevoked, NotFound, Unauthenticated, ValidationFailed
from service.graph.port import GraphStore
from service.keys import StoredKeys, create_key, key_id_of, list_keys, revoke_key, rotate_key
from service.model import Label
from service.settings import Settings
from tests.api.conftest import API_KEYS, KEYS
from tests.contract import small_graph
from tests.contract.small_graph import STREET_A

ME = "{ me { role regionId } }"  # no keyId: the response cache shares answers per role and region
LIST = "{ apiKeys { id role regionId note createdAt expires revoked rotated state } }"
WINDOW = 2.0


class Clock:
    """The cache's clock, moved by the test: the window passes without sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Service:
    def __init__(self, app: FastAPI, client: httpx.AsyncClient, clock: Clock) -> None:
        self.app, self.client, self.clock = app, client, clock

    async def post(self, query: str, secret: str) -> httpx.Response:
        return await self.client.post("/graphql", json={"query": query},
                                      headers={"Authorization": f"Bearer {secret}"})

    async def caller(self, store: GraphStore, secret: str) -> Caller:
        """The caller this app's workers see for a stored key's secret (what the audit and import history name)."""
        stored: StoredKeys = self.app.state.stored_keys
        return await stored.authenticate(store, secret)

    async def data(self, query: str, secret: str) -> dict[str, Any]:
        response = await self.post(query, secret)
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    async def refused(self, query: str, secret: str) -> tuple[int, str, str]:
        response = await self.post(query, secret)
        body = response.json()
        error = body["error"] if "error" in body else body["errors"][0]["extensions"]
        message = body["error"]["message"] if "error" in body else body["errors"][0]["message"]
        return response.status_code, error["code"], message


@pytest.fixture
async def service(store: GraphStore) -> AsyncIterator[Service]:
    """The app over the small graph, its stored-key cache on a clock the test moves (one worker)."""
    await small_graph.build(store)
    app = create_app(Settings(api_keys=SecretStr(API_KEYS), environment="test"), store=store)
    async with app.router.lifespan_context(app):
        clock = Clock()
        app.state.stored_keys = StoredKeys(ttl=WINDOW, clock=clock)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            yield Service(app, client, clock)


async def test_a_created_key_works_at_once_with_its_role_region_and_id(store: GraphStore, service: Service) -> None:
    issued = await create_key(store, "viewer", region_id=STREET_A, note="street office")
    assert issued.secret.startswith(f"ag_{issued.record.id}_") and key_id_of(issued.secret) == issued.record.id
    me = (await service.data(ME, issued.secret))["me"]
    assert me == {"role": "viewer", "regionId": STREET_A}
    assert (await service.caller(store, issued.secret)).key_id == issued.record.id


async def test_a_revoked_key_answers_401_once_the_window_has_passed(store: GraphStore, service: Service) -> None:
    issued = await create_key(store, "analyst")
    assert (await service.data(ME, issued.secret))["me"]["role"] == "analyst"
    revoked = await revoke_key(store, issued.record.id)
    assert revoked.revoked is not None
    service.clock.now += WINDOW / 2  # inside the window this worker still trusts what it read
    assert (await service.data(ME, issued.secret))["me"]["role"] == "analyst"
    service.clock.now += WINDOW
    status, code, message = await service.refused(ME, issued.secret)
    assert (status, code) == (401, "KEY_REVOKED") and issued.record.id in message
    assert issued.secret not in message
    # revoking again keeps the first date; a revoked key cannot be rotated back to life
    assert (await revoke_key(store, issued.record.id)).revoked == revoked.revoked
    with pytest.raises(IllegalState, match="revoked"):
        await rotate_key(store, issued.record.id)


async def test_by_default_a_revoked_key_is_refused_on_the_next_request(store: GraphStore) -> None:
    await small_graph.build(store)
    app = create_app(Settings(api_keys=SecretStr(API_KEYS), environment="test"), store=store)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        issued = await create_key(store, "analyst")
        asked = {"json": {"query": ME}, "headers": {"Authorization": f"Bearer {issued.secret}"}}
        assert (await client.post("/graphql", **asked)).json()["data"]["me"]["role"] == "analyst"
        await revoke_key(store, issued.record.id)
        refused = await client.post("/graphql", **asked)
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "KEY_REVOKED"


async def test_a_revoked_key_is_refused_on_the_rest_endpoints_too(store: GraphStore, service: Service) -> None:
    issued = await create_key(store, "analyst")
    assert (await service.client.get("/export/network.graphml",
                                     headers={"Authorization": f"Bearer {issued.secret}"})).status_code == 200
    await revoke_key(store, issued.record.id)
    service.clock.now += WINDOW
    response = await service.client.get("/export/network.graphml",
                                        headers={"Authorization": f"Bearer {issued.secret}"})
    assert response.status_code == 401 and response.json()["error"]["code"] == "KEY_REVOKED"
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_an_expired_key_answers_401_key_expired(store: GraphStore, service: Service) -> None:
    made = dt.datetime.now(dt.UTC) - dt.timedelta(days=10)
    yesterday = (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).date().isoformat()
    expired = await create_key(store, "viewer", expires=yesterday, at=made)
    status, code, message = await service.refused(ME, expired.secret)
    assert (status, code) == (401, "KEY_EXPIRED") and expired.record.id in message
    # a date means through that day (UTC): a key expiring today still works
    today = await create_key(store, "viewer", expires=dt.datetime.now(dt.UTC).date().isoformat())
    assert (await service.data(ME, today.secret))["me"]["role"] == "viewer"
    with pytest.raises(ValidationFailed, match="not in the future"):
        await create_key(store, "viewer", expires=yesterday)
    with pytest.raises(ValidationFailed, match="'next week'"):
        await create_key(store, "viewer", expires="next week")


async def test_rotation_refuses_the_old_secret_and_takes_the_new(store: GraphStore, service: Service) -> None:
    old = await create_key(store, "importer", note="loader")
    assert (await service.data(ME, old.secret))["me"]["role"] == "importer"
    new = await rotate_key(store, old.record.id)
    assert new.record.id == old.record.id and new.secret != old.secret and new.record.rotated
    assert (await service.data(ME, new.secret))["me"] == {"role": "importer", "regionId": None}
    service.clock.now += WINDOW
    assert (await service.refused(ME, old.secret))[:2] == (401, "UNAUTHENTICATED")
    assert (await service.data(ME, new.secret))["me"]["role"] == "importer"
    assert (await service.caller(store, new.secret)).key_id == old.record.id


async def test_a_wrong_or_malformed_secret_is_refused(store: GraphStore, service: Service) -> None:
    issued = await create_key(store, "admin")
    assert (await service.data(ME, issued.secret))["me"]["role"] == "admin"  # now verified in this worker's cache
    for secret in (issued.secret[:-1] + ("A" if issued.secret[-1] != "A" else "B"),
                   f"ag_ak-0000000000_{'x' * 43}", "ag_", "ag_" + issued.record.id, issued.record.id):
        assert (await service.refused(ME, secret))[:2] == (401, "UNAUTHENTICATED"), secret


async def test_the_list_never_shows_a_secret_or_hash(store: GraphStore, service: Service) -> None:
    scoped = await create_key(store, "viewer", region_id=STREET_A, note="street office")
    admin = await create_key(store, "admin")
    await revoke_key(store, scoped.record.id)
    response = await service.post(LIST, admin.secret)
    keys = {k["id"]: k for k in response.json()["data"]["apiKeys"]}
    assert keys[scoped.record.id] | {"createdAt": None, "revoked": None} == {
        "id": scoped.record.id, "role": "viewer", "regionId": STREET_A, "note": "street office", "createdAt": None,
        "expires": None, "revoked": None, "rotated": None, "state": "revoked"}
    assert keys[admin.record.id]["state"] == "active"
    stored = [await store.get_node(k, Label.API_KEY) for k in keys]
    for node in stored:
        assert node is not None
        for secretish in (node.props["hash"], node.props["salt"]):
            assert secretish not in response.text
    for secret in (scoped.secret, admin.secret):
        assert secret.split("_", 2)[2] not in response.text  # the random part (itself may hold `_`)
    assert all(not hasattr(k, "hash") and not hasattr(k, "salt") for k in await list_keys(store))
    # other roles may not list them; nobody reaches a key through node() or search
    assert (await service.refused(LIST, KEYS["analyst"]))[1] == "FORBIDDEN"
    node_query = f'{{ node(id: "{admin.record.id}") {{ id }} }}'
    assert (await service.refused(node_query, admin.secret))[1] == "NOT_FOUND"


async def test_the_environment_keys_still_work_beside_the_stored_ones(store: GraphStore, service: Service) -> None:
    await create_key(store, "viewer")
    me = (await service.data(ME, KEYS["street"]))["me"]
    assert me == {"role": "viewer", "regionId": STREET_A}
    ring = service.app.state.keys.lookup(KEYS["street"])
    assert ring is not None and ring.key_id == key_id(KEYS["street"])
    assert key_id(KEYS["street"]) == "key-" + hashlib.sha256(KEYS["street"].encode()).hexdigest()[:12]
    assert (await service.refused(ME, "not-a-key"))[:2] == (401, "UNAUTHENTICATED")


async def test_bad_requests_name_the_value(store: GraphStore) -> None:
    with pytest.raises(ValidationFailed, match="'nobody'"):
        await create_key(store, "nobody")
    with pytest.raises(ValidationFailed, match="'R-NOWHERE'"):
        await create_key(store, "viewer", region_id="R-NOWHERE")
    with pytest.raises(NotFound, match="'ak-missing'"):
        await revoke_key(store, "ak-missing")
    with pytest.raises(NotFound, match="'ak-missing'"):
        await rotate_key(store, "ak-missing")
    assert await list_keys(store) == []


async def test_a_worker_hashes_once_per_secret_and_window(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """scrypt is slow on purpose: a verified secret is not hashed again, a wrong one is hashed once per try."""
    from service import keys

    hashed: list[str] = []
    real = keys.hash_secret
    monkeypatch.setattr(keys, "hash_secret", lambda secret, salt: hashed.append(secret) or real(secret, salt))
    issued = await create_key(store, "viewer")
    hashed.clear()
    worker = StoredKeys(ttl=WINDOW, clock=Clock())
    for _ in range(3):
        assert (await worker.authenticate(store, issued.secret)).key_id == issued.record.id
    assert len(hashed) == 1
    wrong = issued.secret[:-2] + ("zz" if not issued.secret.endswith("zz") else "yy")
    with pytest.raises(Unauthenticated):
        await worker.authenticate(store, wrong)
    assert len(hashed) == 2  # the key is re-read (it may have been rotated) but its hash did not change


async def test_two_workers_see_a_revocation_through_the_store(store: GraphStore) -> None:
    """Each worker process has its own cache; the store is what they share."""
    issued = await create_key(store, "analyst")
    clocks = [Clock(), Clock()]
    workers = [StoredKeys(ttl=WINDOW, clock=c) for c in clocks]
    for worker in workers:
        assert (await worker.authenticate(store, issued.secret)).role.value == "analyst"
    await revoke_key(store, issued.record.id)
    for clock, worker in zip(clocks, workers, strict=True):
        clock.now += WINDOW
        with pytest.raises(KeyRevoked):
            await worker.authenticate(store, issued.secret)
