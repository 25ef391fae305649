"""The landing page (/) and GraphiQL (/graphql) work with every request to another host blocked, and no page
the service serves names a script, style or font on another host (a street office's intranet has no internet)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.web.conftest import KEYS, Service, shot

STATIC = Path(__file__).resolve().parents[2] / "service" / "web" / "static"
CDN = re.compile(r"unpkg\.com|jsdelivr\.net|cdnjs\.|googleapis\.com|gstatic\.com|esm\.sh|skypack\.dev", re.I)
# what a browser would fetch by itself: src/href attributes, CSS url() and @import, JS import()/import from
FETCHED = re.compile(r"""(?:\b(?:src|href)\s*=\s*["']|url\(\s*["']?|@import\s+["']|"""
                     r"""\bimport\s*\(\s*["']|\bfrom\s*["'])(https?:)?//""", re.I)


def test_no_shipped_file_loads_from_another_host() -> None:
    files = [p for p in STATIC.rglob("*") if p.suffix in {".html", ".js", ".css"}]
    assert any(p.name.startswith("graphiql") for p in files)
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not CDN.search(text), f"{path.name} names a CDN: {CDN.search(text)}"
        found = FETCHED.search(text)
        assert not found, f"{path.name} loads from another host: {text[found.start():found.end() + 60]}"


@pytest.fixture
def offline(browser: Any, service: Service) -> Iterator[tuple[Any, list[str]]]:
    """A page whose requests to any host but the service's are aborted, and the list of those it tried."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    outside: list[str] = []
    own = urlsplit(service.url).netloc

    def route(r: Any) -> None:
        url = r.request.url
        if urlsplit(url).netloc == own or url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    page.route("**/*", route)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    try:
        yield page, outside
    finally:
        context.close()


def test_landing_page_offline(offline: tuple[Any, list[str]], service: Service) -> None:
    page, outside = offline
    page.goto(f"{service.url}/")
    page.wait_for_selector("body[data-ready=true]")
    for path in ("/explore", "/dashboard", "/graphql", "/health"):
        assert page.locator(f'main a[href="{path}"]').count() == 1
    assert "关系浏览" in page.inner_text("main") and "GraphQL" in page.inner_text("main")
    page.click("#lang-switch")
    assert "Explorer" in page.inner_text("main")
    shot(page, "home")
    assert not outside and not page.errors, (outside, page.errors)


def test_graphiql_runs_a_query_offline(offline: tuple[Any, list[str]], service: Service) -> None:
    page, outside = offline
    page.goto(f"{service.url}/graphql")
    page.wait_for_selector(".graphiql-container .CodeMirror", timeout=60_000)
    page.fill("#api-key", KEYS["viewer"])
    page.click("#key-form button[type=submit]")
    editor = page.wait_for_selector(".graphiql-query-editor .CodeMirror", timeout=60_000)
    assert editor is not None
    page.evaluate("""() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror
        .setValue('{ me { role } }')""")
    page.click(".graphiql-execute-button")
    page.wait_for_function("""() => (document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror
        .getValue() || '').includes('"role": "viewer"')""", timeout=60_000)
    assert page.evaluate("sessionStorage.getItem('alliance.apiKey')") == KEYS["viewer"]
    shot(page, "graphiql")
    assert not outside and not page.errors, (outside, page.errors)
