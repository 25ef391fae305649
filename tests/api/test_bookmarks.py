"""Read-your-writes across replicas: on Neo4j every answer carries the answering process's bookmarks
(`Alliance-Bookmark`), and a request that sends them back has its reads wait for them."""

from __future__ import annotations

import base64

import httpx
import pytest
from pydantic import SecretStr

from service.app import create_app
from service.graph import causal
from service.graph.neo4j import Neo4jStore
from service.graph.port import GraphStore
from service.settings import Settings
from tests.api.conftest import API_KEYS, KEYS, Api

NAME = 'query { node(id: "ORG-A1") { ... on Organisation { name } } }'
RENAME = """mutation($name: String!) { upsertOrganisations(rows: [{id: "ORG-A1", name: $name, kind: COMMUNITY,
  level: COMMITTEE}]) { updated } }"""
ADMIN = {"Authorization": f"Bearer {KEYS['admin']}"}


def test_a_token_holds_its_bookmarks_and_nothing_else_passes() -> None:
    assert causal.parse(causal.render(("FB:b", "FB:a"))) == {"FB:a", "FB:b"}
    for token, reason in [
        ("not a token!", "does not decode"),
        (base64.urlsafe_b64encode(b'{"FB:a": 1}').decode(), "1 to 16 bookmarks"),
        (causal.render(()), "1 to 16 bookmarks"),
        (causal.render(tuple(f"FB:{n}" for n in range(17))), "1 to 16 bookmarks"),
        ("A" * 5000, "longer than 4,096"),
    ]:
        with pytest.raises(causal.ValidationFailed, match=reason) as refused:
            causal.parse(token)
        assert causal.HEADER in str(refused.value)


async def test_a_bad_header_is_refused_before_anything_runs(api: Api) -> None:
    response = await api.post(RENAME, {"name": "改名党委"}, headers={causal.HEADER: "not a token!"})
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "VALIDATION" and causal.HEADER in error["message"], error
    assert (await api.gql(NAME))["node"]["name"] == "红山社区党委"  # nothing written


async def test_answers_carry_the_bookmarks_on_neo4j_and_none_on_the_embedded_store(
    api: Api, store: GraphStore
) -> None:
    written = await api.post(RENAME, {"name": "红山社区党总支"})
    read = await api.post(NAME)
    if not isinstance(store, Neo4jStore):
        assert causal.HEADER not in written.headers and causal.HEADER not in read.headers
        return
    process = await store._ex._driver.execute_query_bookmark_manager.get_bookmarks()
    assert causal.parse(written.headers[causal.HEADER]) == set(process)  # the write's bookmark, after it
    assert causal.parse(read.headers[causal.HEADER]) == set(process)  # a read moves nothing


@pytest.mark.parametrize("store_kind", ["neo4j"], indirect=True)
async def test_a_token_from_one_replica_is_waited_for_by_another(
    api: Api, neo4j_server: dict[str, str]
) -> None:
    """A second app with a driver of its own (another process's bookmarks) is handed the token of a
    write made through the first. A single server has no lag to wait out, so what shows that the
    token reaches the database is a token naming a transaction it never had: refused, by name."""
    written = await api.post(RENAME, {"name": "红山社区党总支"})
    token = written.headers[causal.HEADER]
    other = Neo4jStore.connect(neo4j_server["uri"], neo4j_server["user"], neo4j_server["password"],
                               neo4j_server["database"])
    app = create_app(Settings(api_keys=SecretStr(API_KEYS), environment="test"), store=other)
    try:
        async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test"
        ) as client:
            for _ in range(3):  # uncached, admitted, cached: the version read carries the token too
                read = await client.post("/graphql", json={"query": NAME}, headers={**ADMIN, causal.HEADER: token})
                assert read.json()["data"]["node"]["name"] == "红山社区党总支", read.json()
                assert causal.HEADER in read.headers

            forged = causal.render(("FB:not-a-bookmark",))  # well-formed for the service, not for Neo4j
            refused = await client.post("/graphql", json={"query": NAME}, headers={**ADMIN, causal.HEADER: forged})
            [error] = refused.json()["errors"]
            assert error["extensions"]["code"] == "VALIDATION" and causal.HEADER in error["message"], error
            again = await client.post("/graphql", json={"query": NAME}, headers=ADMIN)  # the process unharmed
            assert again.json()["data"]["node"]["name"] == "红山社区党总支"
    finally:
        await other.close()
