"""Repeated questions are answered from the cache until any write moves the store's version."""

from __future__ import annotations

from service.api.answers import Answers, Kept
from service.graph.port import GraphStore
from service.model import Label
from tests.api.conftest import Api

ITEMS = """query($where: ListItemWhere) { listItems(where: $where, first: 10) {
  totalCount nodes { id remaining } } }"""
MEMBERS = '{ node(id: "M-1") { ... on Member { name phone } } }'


async def _ask(api: Api, query: str, role: str = "admin", variables: dict | None = None) -> tuple[dict, bool]:
    response = await api.post(query, variables or {}, role)
    body = response.json()
    assert "errors" not in body, body
    return body["data"], response.headers.get("X-Response-Cache") == "hit"


async def test_repeats_are_served_from_the_cache_until_a_write(api: Api, store: GraphStore) -> None:
    where = {"where": {"list": "RESOURCE"}}
    first, hit1 = await _ask(api, ITEMS, variables=where)
    second, hit2 = await _ask(api, ITEMS, variables=where)  # admitted on second sight
    third, hit3 = await _ask(api, ITEMS, variables=where)
    assert (hit1, hit2, hit3) == (False, False, True)
    assert first == second == third

    # a write through the API moves the version: the next answer is fresh
    await api.gql('mutation { claimItem(itemId: "ITEM-P2", claimantId: "ORG-A1", claimId: "C-CACHE") { remaining } }')
    fresh, hit = await _ask(api, ITEMS, variables=where)
    assert not hit
    assert {n["id"]: n["remaining"] for n in fresh["listItems"]["nodes"]}["ITEM-P2"] == 0.0

    # so does a write that bypasses the API (a loader, another worker)
    await _ask(api, ITEMS, variables=where)
    await store.upsert_nodes(Label.LIST_ITEM, [{"id": "ITEM-P1", "quantity": 99}])
    fresher, hit = await _ask(api, ITEMS, variables=where)
    assert not hit
    assert {n["id"]: n["remaining"] for n in fresher["listItems"]["nodes"]}["ITEM-P1"] == 99.0


async def test_answers_are_kept_per_role(api: Api) -> None:
    # an admin's read of personal data is never kept, and writes its audit record (moving the version), so the
    # admin asks first
    admin_hits = [(await _ask(api, MEMBERS, role="admin"))[1] for _ in range(3)]
    for _ in range(3):
        viewer, viewer_hit = await _ask(api, MEMBERS, role="viewer")
    admin, _ = await _ask(api, MEMBERS, role="admin")
    assert admin["node"]["phone"] == "13812341234" and admin_hits == [False] * 3
    assert viewer["node"]["phone"] != "13812341234" and "*" in viewer["node"]["phone"]
    assert viewer_hit  # the third viewer answer came from the cache, still masked


async def test_mutations_and_refusals_are_never_cached(api: Api) -> None:
    over = "{ listItems(first: 101) { totalCount } }"
    for _ in range(3):
        response = await api.post(over)
        assert response.json()["errors"][0]["extensions"]["code"] == "OVER_LIMIT"
        assert "X-Response-Cache" not in response.headers
    assert api.counter.calls.count("version") == 0


async def test_a_kept_answer_is_served_at_the_door_to_its_own_callers_only(api: Api) -> None:
    where = {"where": {"list": "RESOURCE"}}
    answers = [await api.post(ITEMS, where) for _ in range(3)]  # the third from the bytes the door kept
    assert [r.headers.get("X-Response-Cache") for r in answers] == [None, None, "hit"]
    assert answers[2].content == answers[1].content and answers[2].headers["content-type"] == "application/json"
    # the same body without a key, or with a bookmark the service never gave, is refused as before
    assert (await api.post(ITEMS, where, role=None)).status_code == 401
    refused = await api.post(ITEMS, where, headers={"Alliance-Bookmark": "not-a-token"})
    assert refused.json()["errors"][0]["extensions"]["code"] == "VALIDATION"
    # another role's repeat of the same body runs (and is kept) on its own
    viewer = [(await api.post(ITEMS, where, role="viewer")).headers.get("X-Response-Cache") for _ in range(3)]
    assert viewer == [None, None, "hit"]


def test_kept_answers_are_bounded_by_count_and_bytes() -> None:
    answers = Answers(3, max_bytes=100)
    for n in range(5):
        answers.put((b"q%d" % n, "viewer", None, b""), Kept("v1", b"x" * 30, "Q", None))
    assert [k[0] for k in answers._entries] == [b"q2", b"q3", b"q4"]  # 3 x 32 bytes: within both bounds
    answers.put((b"q5", "viewer", None, b""), Kept("v1", b"x" * 60, "Q", None))
    assert [k[0] for k in answers._entries] == [b"q4", b"q5"]  # bytes evict the oldest first
    assert answers.get((b"q5", "viewer", None, b""), "v2") is None  # another version: not this answer
