"""The import structure: no router imports the app, and no module imports a layer above its own.

Layers, bottom to top: the model, errors and settings; the model registry and the pure rules (the
workflows', the claim rule: they import only the model and its errors); the graph store; the domain services
(analytics, demo); the composition modules (auth, deps, masking, the
store gate, the error envelope, the region scope of writes); the HTTP edge (GraphQL, loaders, web, the
export endpoint); the app and the command line. Read from the source with ast, so imports inside functions count too."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("service", "loaders")

# (layer, module prefixes); the longest matching prefix decides, so `service.analytics.http` is edge
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base", ("service", "service.model", "service.errors", "service.settings", "service.roles",
              "service.codes", "service.neo4j_local")),
    ("registry", ("service.registry", "service.workflows", "service.claims")),
    ("graph", ("service.graph",)),
    ("domain", ("service.analytics", "service.demo", "service.web.layout", "service.backup")),
    ("composition", ("service.auth", "service.deps", "service.masking", "service.gate", "service.http_errors",
                     "service.region_scope", "service.keys", "service.keys_command",
                     "service.backup_command", "service.audit_command", "service.corrections_command")),
    ("edge", ("service.api", "service.web", "service.analytics.http", "loaders")),
    ("top", ("service.app", "service.cli")),
)
RANK = {name: rank for rank, (name, _) in enumerate(LAYERS)}

# Upward imports that predate the layering; this list may only shrink (it is empty).
KNOWN_UPWARD: set[tuple[str, str]] = set()

ROUTERS = ("service/api/router.py", "loaders/http.py", "service/analytics/http.py", "service/web/router.py")


def modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def imported(path: Path) -> Iterator[tuple[str, int]]:
    """Every service/loaders module a file imports (`from a import b` counts `a.b` when that is a module)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        else:
            continue
        for name in names:
            if name.split(".")[0] in PACKAGES and _exists(name):
                yield name, node.lineno


def _exists(module: str) -> bool:
    base = ROOT.joinpath(*module.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def layer(module: str) -> str:
    best, found = -1, ""
    for name, prefixes in LAYERS:
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, found = len(prefix), name
    assert found, f"{module} belongs to no layer; add it to LAYERS in {Path(__file__).name}"
    return found


def _known(source: str, target: str) -> bool:
    return any((source == s or source.startswith(s + ".")) and (target == t or target.startswith(t + "."))
               for s, t in KNOWN_UPWARD)


def test_no_router_imports_the_app() -> None:
    for router in ROUTERS:
        assert (ROOT / router).is_file(), f"{router} moved: update ROUTERS"
    offenders = [f"{path.relative_to(ROOT)}:{line}" for module, path in modules() if module != "service.cli"
                 for target, line in imported(path) if target == "service.app"]
    assert offenders == [], "only the command line imports service.app; routers take service/deps.py: " + ", ".join(
        offenders)


def test_no_module_imports_a_layer_above_its_own() -> None:
    upward = []
    for module, path in modules():
        for target, line in imported(path):
            if RANK[layer(target)] > RANK[layer(module)] and not _known(module, target):
                upward.append(f"{path.relative_to(ROOT)}:{line} ({layer(module)}) imports {target} ({layer(target)})")
    assert upward == [], "\n".join(upward)


def test_the_known_upward_imports_still_exist() -> None:
    """A known exception that is gone must leave the list, so that it cannot come back unseen."""
    seen = {(s, t) for s, t in KNOWN_UPWARD for module, path in modules() for target, _ in imported(path)
            if _known(module, target) and (module == s or module.startswith(s + "."))
            and (target == t or target.startswith(t + "."))}
    assert seen == KNOWN_UPWARD, f"no longer imported, remove from KNOWN_UPWARD: {KNOWN_UPWARD - seen}"
