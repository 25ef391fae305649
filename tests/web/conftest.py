"""One service per test session for the browser tests: the urumqi-etdz demo, and the conghua demo for its
micro-wishes, meetings and matters (urumqi has none; their region ids differ, so both coexist), in an embedded
store (tmp data dir), served by uvicorn in a thread on a free port, and Debian's chromium driven by Playwright.
The urumqi district is analysed (`alliance analyze --region 650106`), conghua is not: the pages show the
analytics of one and say "尚未分析" for the other.

Playwright cannot download browsers here; tools/ensure-chromium.sh (called by `make test`) installs
/usr/bin/chromium. A missing browser fails these tests: it is never a skip."""

from __future__ import annotations

import asyncio
import inspect
import os
import re
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from pydantic import SecretStr

from service import model as domain
from service.analytics.analysis import analyze
from service.analytics.projection import Scope
from service.app import create_app
from service.demo import generate, load_dataset
from service.graph.embedded import EmbeddedStore
from service.neo4j_local import free_port
from service.settings import Settings, StoreKind

CHROMIUM = os.environ.get("ALLIANCE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
STREET = "650106001"  # 中亚南路街道, which holds 福寿一社区
DISTRICT = "650106"  # the urumqi-etdz demo's district, analysed
CONGHUA = "440117"  # 从化区 (the conghua demo): wishes, meetings and matters; never analysed
KEYS = {"admin": "web-admin", "viewer": "web-viewer", "street": "web-street"}
API_KEYS = f"{KEYS['admin']}:admin,{KEYS['viewer']}:viewer,{KEYS['street']}:viewer:{STREET}"


async def _load_demo(data_dir: Path) -> None:
    store = EmbeddedStore(data_dir)
    try:
        await store.migrate()
        # loaded as `alliance demo --no-analyze` loads them, then only urumqi's district analysed: conghua's pages
        # say "尚未分析" (its 运行分析 action is clicked on a service of its own, test_run_analysis.py)
        await load_dataset(store, generate("urumqi-etdz"))
        await load_dataset(store, generate("conghua"))
        await analyze(store, Scope(DISTRICT))
    finally:
        await store.close()


class Service:
    def __init__(self, url: str) -> None:
        self.url = url

    def gql(self, query: str, variables: dict[str, Any] | None = None, role: str = "admin") -> dict[str, Any]:
        response = httpx.post(f"{self.url}/graphql", json={"query": query, "variables": variables or {}},
                              headers={"Authorization": f"Bearer {KEYS[role]}"}, timeout=60)
        body = response.json()
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    def errors(self, query: str, variables: dict[str, Any] | None = None, role: str = "admin") -> list[Any]:
        response = httpx.post(f"{self.url}/graphql", json={"query": query, "variables": variables or {}},
                              headers={"Authorization": f"Bearer {KEYS[role]}"}, timeout=60)
        errors: list[Any] = response.json().get("errors") or []
        return errors


@contextmanager
def serving(data_dir: Path) -> Iterator[Service]:
    """The service over an embedded store's data directory, in a thread on a free port, until the block ends."""
    settings = Settings(store=StoreKind.EMBEDDED, data_dir=data_dir, api_keys=SecretStr(API_KEYS),
                        environment="test")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("the web test service did not start")
        time.sleep(0.2)
    try:
        yield Service(url)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def loaded(data_dir: Path, load: Callable[[Path], Coroutine[Any, Any, None]]) -> None:
    # in a thread of its own: Playwright's sync API may already run an event loop in this one
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, load(data_dir)).result()


@pytest.fixture(scope="package")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    data_dir = tmp_path_factory.mktemp("web") / "data"
    loaded(data_dir, _load_demo)
    with serving(data_dir) as running:
        yield running


# package scope: Playwright's sync API keeps an event loop running on this thread while it lives,
# which would stop pytest-asyncio from running the async tests of the packages after this one
@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"no browser at {CHROMIUM}: run tools/ensure-chromium.sh (make test does)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM,
                                     args=["--use-angle=swiftshader", "--enable-unsafe-swiftshader"])
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def open_page(browser: Any, service: Service) -> Iterator[Any]:
    """open_page(path, role, on=service) -> a page signed in with that role's key, ready."""
    contexts: list[Any] = []

    def opener(path: str, role: str = "admin", on: Service | None = None) -> Any:
        context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.errors = []  # type: ignore[attr-defined]
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.goto(f"{(on or service).url}{path}")
        page.fill("#key-dialog input", KEYS[role])
        page.click("#key-dialog button[type=submit]")
        page.wait_for_selector("body[data-ready=true]", timeout=60_000)
        return page

    yield opener
    for context in contexts:
        context.close()


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def settle(page: Any, timeout: int = 60_000) -> None:
    """Waits until the explorer has no request or layout in flight."""
    page.wait_for_function("window.__explorer && window.__explorer.state.busy === 0", timeout=timeout)


def _raw_words() -> re.Pattern[str]:
    """Upper-case enum values (ACTIVE, NON_PUBLIC) and message keys (dash.kpis) as whole words."""
    values = {str(m.value) for _, enum in inspect.getmembers(domain, inspect.isclass)
              if issubclass(enum, Enum) for m in enum if re.fullmatch(r"[A-Z][A-Z_]+", str(m.value))}
    i18n = (Path(__file__).resolve().parents[2] / "web" / "src" / "i18n.js").read_text(encoding="utf-8")
    spaces = {k.split(".")[0] for k in re.findall(r'^\s*"([\w.-]+)":\s*\[', i18n, re.MULTILINE) if "." in k}
    words = "|".join(sorted(map(re.escape, values)))
    keys = "|".join(sorted(map(re.escape, spaces)))
    return re.compile(rf"(?<![\w-])(?:{words})(?![\w-])|(?<![\w-])(?:{keys})\.[a-z][\w-]*")


def untranslated(page: Any) -> list[str]:
    """What the page shows that was not translated for people: raw enum values or message keys."""
    found: list[str] = _raw_words().findall(page.inner_text("body"))
    return found
