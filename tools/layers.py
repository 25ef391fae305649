"""Count the imports that go up the layers and the import cycles among a checkout's modules.

    python tools/layers.py [ROOT] [--list]

The layers are tests/test_layers.py's (that test fails on any new upward import); ROOT, by default
this checkout, may be another one, e.g. an older commit in a `git worktree`. Every import counts,
also those inside functions (a lazy import that dodges a cycle is still one).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.test_layers import RANK, layer


def modules(root: Path) -> dict[str, Path]:
    found = {}
    for package in ("service", "loaders"):
        for path in (root / package).rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
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
                base = ".".join(pkg[: len(pkg) - node.level + 1] + ([base] if base else []))
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
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = [stack.pop()]
            while comp[-1] != v:
                comp.append(stack.pop())
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _rank(module: str) -> int | None:
    try:
        return RANK[layer(module)]
    except AssertionError:  # a module the layer map does not know (an older tree)
        return None


def main(argv: list[str]) -> int:
    root = Path(next((a for a in argv if not a.startswith("--")), "."))
    found = modules(root)
    graph = {name: imports(path, name, set(found)) for name, path in found.items()}
    upward = sorted((a, b) for a, targets in graph.items() for b in targets
                    if (ra := _rank(a)) is not None and (rb := _rank(b)) is not None and rb > ra)
    # a package's __init__ importing its own modules is not a cycle of the design
    loops = cycles({a: {b for b in t if not a.startswith(b + ".") and not b.startswith(a + ".")}
                    for a, t in graph.items()})
    print(f"modules {len(found)}, upward imports {len(upward)}, import cycles {len(loops)}")
    if "--list" in argv:
        for a, b in upward:
            print(f"  up: {a} -> {b}")
        for loop in loops:
            print(f"  cycle: {' <-> '.join(loop)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
