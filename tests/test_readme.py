"""The README shows real answers: every GraphQL question it shows (a ```graphql block, or the
query a curl command sends) is asked of the urumqi-etdz demo as `make run` loads it, and the answer
must equal the ```json block that follows it in the README; `alliance info`'s counts likewise."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from service.app import create_app
from service.settings import Settings, StoreKind

README = Path(__file__).resolve().parent.parent / "README.md"
KEY = "k-readme"
_BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)


def _blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in _BLOCK.finditer(README.read_text(encoding="utf-8"))]


def examples() -> list[tuple[str, Any]]:
    """(query, the answer shown) for each question the README asks with a shown answer."""
    found: list[tuple[str, Any]] = []
    blocks = _blocks()
    for (lang, text), (next_lang, answer) in pairwise(blocks):
        if next_lang != "json":
            continue
        if lang == "graphql":
            found.append((text, json.loads(answer)))
        elif lang == "bash" and "/graphql" in text:
            payload = re.search(r"-d '(.*?)'", text, re.S)
            assert payload, "a curl example without a -d '…' body"
            found.append((json.loads(payload.group(1))["query"], json.loads(answer)))
    return found


@pytest.fixture
async def client(urumqi_demo_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(store=StoreKind.EMBEDDED, data_dir=urumqi_demo_dir, api_keys=SecretStr(f"{KEY}:admin"),
                        environment="test")
    app = create_app(settings)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as http:
        yield http


def test_the_readme_shows_its_questions_with_answers() -> None:
    queries = [q for q, _ in examples()]
    assert len(queries) >= 3 and any("search(" in q for q in queries)  # the curl one is read too
    assert all("__typename }" not in q.replace(" ", "") for q in queries)


async def test_every_answer_in_the_readme_is_the_demos(client: httpx.AsyncClient) -> None:
    for query, shown in examples():
        response = await client.post("/graphql", json={"query": query}, headers={"Authorization": f"Bearer {KEY}"})
        assert response.status_code == 200, response.text
        assert response.json() == shown, query


def test_the_info_counts_in_the_readme_are_the_demos() -> None:
    from service.demo import generate
    from service.model import Label

    [info] = [text for lang, text in _blocks() if lang == "text" and "$ alliance info" in text]
    nodes = generate("urumqi-etdz").nodes
    for label in Label:
        assert f"  {label.value:<16}{len(nodes.get(label, [])):>10,}\n" in info, label
    assert f"  {'total':<16}{sum(len(rows) for rows in nodes.values()):>10,}\n" in info
