"""The audit trail (service/audit.py) through the API, on both stores: a mutation leaves a record in the same
transaction as its write (and a failing audit write fails it, leaving nothing changed), a refused one its error
code, an admin's read of personal data the ids it showed; auditLog is admin only, filtered and paged; no write
path can change or delete a record."""

from __future__ import annotations

from typing import Any

import pytest

from service import audit
from service.audit import Actor, AuditQuery
from service.auth import key_id
from service.errors import AuditFailed, Conflict, IllegalState
from service.graph.embedded import audit_records as embedded_audit
from service.graph.neo4j import audit_records as neo4j_audit
from service.graph.port import GraphStore
from service.graph.types import Node
from service.model import Label
from tests.api.conftest import KEYS, Api

CLAIM = """mutation($id: ID!) { claimItem(itemId: "ITEM-P1", claimantId: "ORG-A1", quantity: 5, claimId: $id,
  on: "2024-06-01") { id remaining } }"""
LOG = """query($from: String, $to: String, $key: String, $entity: ID, $op: String, $first: Int! = 20, $after: String) {
  auditLog(from: $from, to: $to, keyId: $key, entityId: $entity, operation: $op, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id at keyId role regionId operation ids outcome } } }"""
MEMBER = '{ node(id: "M-1") { ... on Member { id name phone } } }'


async def log(api: Api, **variables: Any) -> dict[str, Any]:
    found: dict[str, Any] = (await api.gql(LOG, variables))["auditLog"]
    return found


async def claimed(store: GraphStore) -> Any:
    item = await store.get_node("ITEM-P1", Label.LIST_ITEM)
    assert item is not None
    return item.props.get("claimed", 0)


async def test_a_mutation_is_recorded_with_its_key_role_ids_and_outcome(api: Api, store: GraphStore) -> None:
    assert (await api.gql(CLAIM, {"id": "C-AUD"}, role="importer"))["claimItem"]["id"] == "C-AUD"
    refused = await api.error(CLAIM, {"id": "C-NO"}, role="viewer")
    assert refused["extensions"]["code"] == "FORBIDDEN"
    records = (await log(api, op="claimItem"))["nodes"]
    assert [r["outcome"] for r in records] == ["FORBIDDEN", "OK"]  # newest first
    refused_record, done = records
    assert done["keyId"] == key_id(KEYS["importer"]) and done["role"] == "importer" and done["regionId"] is None
    assert {"ITEM-P1", "ORG-A1", "C-AUD"} <= set(done["ids"])
    assert refused_record["keyId"] == key_id(KEYS["viewer"]) and refused_record["role"] == "viewer"
    secrets = set(KEYS.values())
    assert not any(s in str(r) for r in records for s in secrets)  # a key's id, never its secret


async def test_a_failing_audit_write_fails_the_mutation_and_changes_nothing(
    api: Api, store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = await claimed(store)
    # the record written inside the claim's own transaction fails: the claim rolls back with it
    monkeypatch.setattr(embedded_audit, "write_in_transaction", lambda db, mem, row: _raise_audit())
    monkeypatch.setattr(neo4j_audit, "write_in_transaction", _raise_audit_async)
    error = await api.error(CLAIM, {"id": "C-LOST"}, role="importer")
    assert error["extensions"]["code"] == "AUDIT_FAILED", error
    assert await claimed(store) == before
    assert await store.get_node("C-LOST") is None
    # nor is an answer with personal data sent when its record fails
    response = await api.post(MEMBER)
    body = response.json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "AUDIT_FAILED", body
    assert "张伟" not in response.text
    monkeypatch.undo()
    assert (await log(api, entity="C-LOST"))["totalCount"] == 0  # nothing written, so nothing recorded as done


def _raise_audit() -> None:
    raise AuditFailed("the audit record could not be written, so nothing was done")


async def _raise_audit_async(*args: Any, **kwargs: Any) -> None:
    _raise_audit()


async def test_the_record_commits_with_the_write_it_records(api: Api, store: GraphStore,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A statement of the audit write that the store itself refuses (a record id already taken) rolls back the
    mutation's write in the same transaction."""
    taken = audit.Entry(Actor("k", "admin"), "setup").row()
    await store.append_audit(taken)
    monkeypatch.setattr(audit, "new_record_id", lambda at: taken["id"])
    before = await claimed(store)
    error = await api.error(CLAIM, {"id": "C-CLASH"}, role="importer")
    assert error["extensions"]["code"] == "AUDIT_FAILED", error
    assert await claimed(store) == before and await store.get_node("C-CLASH") is None


async def test_audit_log_is_admin_only_filtered_and_paged(api: Api) -> None:
    for i in range(3):
        await api.gql(CLAIM, {"id": f"C-{i}"}, role="importer")
    for role in ("viewer", "analyst", "importer"):
        assert (await api.error(LOG, {}, role=role))["extensions"]["code"] == "FORBIDDEN"
    first = await log(api, op="claimItem", first=2)
    assert first["totalCount"] == 3 and first["pageInfo"]["hasNextPage"]
    rest = await log(api, op="claimItem", first=2, after=first["pageInfo"]["endCursor"])
    ids = [r["id"] for r in first["nodes"] + rest["nodes"]]
    assert len(ids) == len(set(ids)) == 3 and not rest["pageInfo"]["hasNextPage"]
    ats = [r["at"] for r in first["nodes"] + rest["nodes"]]
    assert ats == sorted(ats, reverse=True)
    by_entity = await log(api, entity="C-1")
    assert by_entity["totalCount"] == 1 and by_entity["nodes"][0]["ids"].count("C-1") == 1
    assert (await log(api, key=key_id(KEYS["importer"])))["totalCount"] == 3
    assert (await log(api, key="key-nobody"))["totalCount"] == 0
    assert (await log(api, **{"from": "2999-01-01"}))["totalCount"] == 0
    assert (await log(api, to="2000-01-01"))["totalCount"] == 0
    assert (await log(api, op="claimItem", **{"from": ats[-1], "to": ats[-1]}))["totalCount"] == 1
    assert (await api.error(LOG, {"first": 101}))["extensions"]["code"] == "OVER_LIMIT"  # as every listing
    bad = await api.error(LOG, {"from": "yesterday"})
    assert bad["extensions"]["code"] == "VALIDATION" and "'yesterday'" in bad["message"]


async def test_an_admin_read_of_personal_data_is_recorded_without_the_values(api: Api) -> None:
    shown = (await api.gql(MEMBER, role="viewer"))["node"]
    assert shown["name"] != "张伟"  # masked: no record
    assert (await log(api, entity="M-1"))["totalCount"] == 0
    for _ in range(2):  # an admin's answers are never served from the cache: each read is recorded
        assert (await api.gql(MEMBER))["node"]["name"] == "张伟"
    records = (await log(api, entity="M-1"))["nodes"]
    assert len(records) == 2 and records[0]["operation"] == "query:node" and records[0]["role"] == "admin"
    assert not any(v in str(records) for v in ("张伟", "13812341234"))


async def test_no_write_path_changes_or_deletes_a_record(api: Api, store: GraphStore) -> None:
    await api.gql(CLAIM, {"id": "C-KEEP"}, role="importer")
    [record] = (await log(api, entity="C-KEEP"))["nodes"]
    with pytest.raises(IllegalState):
        await store.upsert_nodes(Label.AUDIT_RECORD, [{"id": record["id"], "outcome": "OK"}])
    with pytest.raises(IllegalState):
        await store.upsert_batch([(Label.AUDIT_RECORD, [{"id": "AUD-NEW", "at": "2024-01-01"}])], [])
    with pytest.raises(Conflict):  # an id of another label: refused, the record untouched
        await store.upsert_nodes(Label.ORGANISATION, [{"id": record["id"], "name": "改写"}])
    with pytest.raises((Conflict, AuditFailed)):  # append never replaces
        await store.append_audit({**record, "outcome": "VALIDATION", "ids": []})
    stored = await store.get_node(record["id"], Label.AUDIT_RECORD)
    assert isinstance(stored, Node) and stored.props["outcome"] == "OK" and "C-KEEP" in stored.props["ids"]
    # nor is one read as a node, by any key
    error = await api.error('query($id: ID!) { node(id: $id) { id } }', {"id": record["id"]})
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_prune_deletes_only_records_past_the_retention_and_is_recorded(store: GraphStore) -> None:
    old = audit.Entry(Actor("k-old", "admin"), "claimItem").row()
    old = {**old, "at": "2001-01-01T00:00:00.000000Z"}
    recent = audit.Entry(Actor("k-new", "admin"), "claimItem").row()
    for row in (old, recent):
        await store.append_audit(row)
    assert await audit.prune(store, 30, Actor("cli:tester", "admin")) == 1
    left = (await store.audit_log(AuditQuery())).items
    assert {n.props["operation"] for n in left} == {"claimItem", "audit.prune"}
    assert old["id"] not in {n.id for n in left}
    [pruned] = [n for n in left if n.props["operation"] == "audit.prune"]
    assert pruned.props["keyId"] == "cli:tester" and pruned.props["outcome"] == "OK"


async def test_http_imports_and_exports_are_recorded_and_an_unrecorded_export_is_not_sent(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    importer = {"Authorization": f"Bearer {KEYS['importer']}"}
    admin = {"Authorization": f"Bearer {KEYS['admin']}"}
    upload = "区划代码,名称,层级\n650100,乌鲁木齐市,市\n".encode()
    loaded = await api.client.post("/import/regions", files={"file": ("r.csv", upload, "text/csv")}, headers=importer)
    assert loaded.status_code == 200, loaded.text
    [record] = (await log(api, entity=loaded.json()["import_id"]))["nodes"]
    assert (record["operation"], record["keyId"], record["outcome"]) == (
        "import:regions", key_id(KEYS["importer"]), "OK")

    sent = await api.client.get("/export/xlsx/agreements", headers=admin)
    assert sent.status_code == 200
    [exported] = (await log(api, op="export:agreements"))["nodes"]
    assert exported["role"] == "admin" and exported["outcome"] == "OK"

    monkeypatch.setattr(embedded_audit, "write_in_transaction", lambda db, mem, row: _raise_audit())
    monkeypatch.setattr(neo4j_audit, "write_in_transaction", _raise_audit_async)
    withheld = await api.client.get("/export/xlsx/agreements", headers=admin)
    assert withheld.status_code == 503 and withheld.json()["error"]["code"] == "AUDIT_FAILED"
