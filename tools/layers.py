"""Count the imports that go up the layers and the import cycles among the project's modules.

    python tools/layers.py [ROOT] [--list]

Every import counts, also those inside functions (a lazy import that dodges a cycle is still one).
Layers, bottom to top (LAYERS below); a module may import its own layer and those below.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

# (module prefix, layer); the longest matching prefix decides
LAYERS: list[tuple[str, int]] = [
    ("service.model", 0), ("service.errors", 0), ("service.codes", 0), ("service.settings", 0),
    ("service.registry", 1), ("service.workflows", 1),  # the model's declarations and its pure rules
    ("service.cypher", 2), ("service.graph", 2), ("service.neo4j_local", 2),
    ("service.analytics", 3), ("service.demo", 3),
    ("service.auth", 4), ("service.deps", 4), ("service.masking", 4),
    ("service.api", 5), ("service.web", 5), ("service.analytics.http", 5), ("loaders", 5),
    ("service.app", 6), ("service.cli", 6), ("service.analytics.command", 6), ("loaders.cli", 6),
    ("service.api.export_schema", 6),
]


def layer(module: str) -> int | None:
    best: tuple[int, int] | None = None
    for prefix, level in LAYERS:
        if module == prefix or module.startswith(prefix + "."):
            if best is None or len(prefix) > best[0]:
                best = (len(prefix), level)
    return None if best is None else best[1]


def modules(root: Path) -> dict[str, Path]:
    found = {}
    for package in ("service", "loaders"):
        for path in (root / package).rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports(path: Path, name: str, known: set[str]) -> set[str]:
    out: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = name.split(".") if is_package else name.split(".")[:-1]
                pkg = pkg[: len(pkg) - node.level + 1]
                base = ".".join(pkg + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10_000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main(argv: list[str]) -> int:
    root = Path(next((a for a in argv if not a.startswith("--")), "."))
    found = modules(root)
    known = set(found)
    graph = {name: imports(path, name, known) for name, path in found.items()}
    upward = sorted(
        (a, b) for a, targets in graph.items() for b in targets
        if (la := layer(a)) is not None and (lb := layer(b)) is not None and lb > la
    )
    # a package's __init__ re-exporting its own modules is not a cycle of the design
    loops = cycles({a: {b for b in t if not a.startswith(b + ".") and not b.startswith(a + ".")}
                    for a, t in graph.items()})
    print(f"modules {len(found)}, imports {sum(len(t) for t in graph.values())}, "
          f"upward imports {len(upward)}, import cycles {len(loops)}")
    if "--list" in argv:
        for a, b in upward:
            print(f"  up: {a} -> {b}")
        for loop in loops:
            print(f"  cycle: {' <-> '.join(loop)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
