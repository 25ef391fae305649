"""The committed build in service/web/static matches web/ (sources and lockfile) and is complete."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
STATIC = ROOT / "service" / "web" / "static"
SOURCES = ["package.json", "package-lock.json", "vite.config.js", "build-info.mjs", "explore.html", "dashboard.html",
           "index.html", "graphiql.html"]


def _digest(root: Path, files: list[Path]) -> str:
    """As web/build-info.mjs computes it: sha256 over `path\\0sha256(content)\\n`, sorted, CRLF as LF."""
    lines = []
    for rel in sorted(f.relative_to(root).as_posix() for f in files):
        body = (root / rel).read_bytes().replace(b"\r\n", b"\n")
        lines.append(f"{rel}\0{hashlib.sha256(body).hexdigest()}\n")
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def _info() -> dict[str, object]:
    info: dict[str, object] = json.loads((STATIC / "build-info.json").read_text())
    return info


def test_build_matches_the_sources() -> None:
    files = [WEB / f for f in SOURCES] + [p for p in (WEB / "src").rglob("*") if p.is_file()]
    assert _info()["sources"] == _digest(WEB, files), "web/ changed since the last build: run `make web`"


def test_built_files_are_the_recorded_ones() -> None:
    outputs = [p for p in STATIC.rglob("*") if p.is_file() and p.name != "build-info.json"]
    info = _info()
    assert sorted(p.relative_to(STATIC).as_posix() for p in outputs) == info["files"]
    assert info["outputs"] == _digest(STATIC, outputs), "service/web/static was edited by hand: run `make web`"


def test_pages_name_only_shipped_assets_and_stay_small() -> None:
    for page in ("explore.html", "dashboard.html", "index.html", "graphiql.html"):
        html = (STATIC / page).read_text()
        refs = re.findall(r'(?:src|href)="/web/([^"]+)"', html)
        for ref in refs:
            assert (STATIC / ref).is_file(), ref
        if page != "graphiql.html":  # GraphiQL (React, CodeMirror) has a budget of its own, below
            weight = sum((STATIC / ref).stat().st_size for ref in refs)
            assert weight < 400_000, f"{page} loads {weight} bytes; keep it minified"
    total = sum(p.stat().st_size for p in STATIC.rglob("*") if p.is_file())
    assert total < 2_500_000, f"the built pages weigh {total} bytes; keep them minified"
