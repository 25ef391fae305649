"""The region-scope Cypher fragments, rendered from the registry's region paths.

service/cypher/fragments/scope.cypher (does node `n` lie within the subtree of `root`?) and
subtree.cypher (every node within the subtree of $regionId) are generated files: the registry
is their source, tests/test_registry.py fails when they differ from it, and

    python -m service.graph.neo4j.region_scope --write

rewrites them. The embedded store follows the same paths in MemoryGraph.homes. Only labels and
relationship types of the model's enums reach the text.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service.model import Label
from service.registry import RegionPath, Step, region_paths

_SUBTREE = "-[:PART_OF*0..]->(root)"
FRAGMENTS = Path(__file__).resolve().parents[2] / "cypher" / "fragments"  # in the source tree


def _hop(step: Step) -> str:
    return f"-[:{step.type.value}]->" if step.outgoing else f"<-[:{step.type.value}]-"


def _back(step: Step) -> str:
    """The hop walked from the region end back towards the node."""
    return f"<-[:{step.type.value}]-" if step.outgoing else f"-[:{step.type.value}]->"


def _is(path: RegionPath) -> str:
    tests = " OR ".join(f"n:{label.value}" for label in path.labels)
    return f"({tests})" if len(path.labels) > 1 else tests


def _to_root(path: RegionPath) -> str:
    """`(n)…(:Region)-[:PART_OF*0..]->(root)` for a path, `(n)-[:PART_OF*0..]->(root)` for a region."""
    if not path.steps:
        return f"(n){_SUBTREE}"
    *middle, last = path.steps
    return "(n)" + "".join(_hop(s) + "()" for s in middle) + _hop(last) + f"(:Region){_SUBTREE}"


def within(path: RegionPath) -> str:
    """The EXISTS test of one path, as hand-written statements must spell it for their label."""
    return f"EXISTS {{ {_to_root(path)} }}"


def from_root(label: Label) -> str:
    """The pattern from `root` down to every `n` of `label` within its subtree, as a listing scoped to a region
    drives it: the subtree's regions first (bounded by the region asked about), then the label's path from them,
    as subtree.cypher walks it. Testing `within` for every node of the label instead costs the whole province
    (the planner expands each candidate's test from the root)."""
    for path in region_paths():
        if label not in path.labels:
            continue
        if not path.steps:
            return f"(root)<-[:PART_OF*0..]-(n:{label.value})"
        *middle, last = reversed(path.steps)
        return ("(root)<-[:PART_OF*0..]-(:Region)" + "".join(_back(s) + "()" for s in middle) + _back(last)
                + f"(n:{label.value})")
    raise ValueError(f"{label} has no path to a region")


def scope_fragment() -> str:
    header = (
        "// GENERATED from service/registry.py by `python -m service.graph.neo4j.region_scope --write`: do not edit.\n"
        "// `n` lies within the region subtree of `root` (always true when root is null): the one\n"
        "// definition of region membership, pasted where a statement says __SCOPE__. Each label\n"
        "// belongs to the regions its registry path reaches.\n"
    )
    branches = [f" ({_is(p)} AND {within(p)})" for p in region_paths()]
    return header + "(root IS NULL OR\n" + " OR\n".join(branches) + ")\n"


def subtree_fragment() -> str:
    header = (
        "// GENERATED from service/registry.py by `python -m service.graph.neo4j.region_scope --write`: do not edit.\n"
        "// Every node `n` within the region subtree of $regionId, driven from the regions down (the same\n"
        "// membership as scope.cypher, which tests one node; this one lists them all).\n"
    )
    parts = []
    for path in region_paths():
        if not path.steps:
            parts.append("  RETURN reg AS n")
            continue
        labels = "|".join(label.value for label in path.labels)
        *middle, last = reversed(path.steps)
        walk = "(reg)" + "".join(_back(s) + "()" for s in middle) + _back(last) + f"(n:{labels})"
        parts.append(f"  MATCH {walk} RETURN n")
    body = "\n  UNION\n".join(parts)
    return (
        header
        + "MATCH (root:Region {id: $regionId})\n"
        + "MATCH (reg:Region)-[:PART_OF*0..]->(root)\n"
        + "CALL (reg) {\n" + body + "\n}\n"
        + "WITH DISTINCT n\n"
    )


def rendered() -> dict[str, str]:
    """Fragment file name (under service/cypher/fragments) -> its text."""
    return {"scope.cypher": scope_fragment(), "subtree.cypher": subtree_fragment()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the region-scope fragments from the registry.")
    parser.add_argument("--write", action="store_true", help="rewrite the files instead of checking them")
    args = parser.parse_args(argv)
    stale = []
    for name, text in rendered().items():
        path = FRAGMENTS / name
        if path.read_text(encoding="utf-8") != text:
            if args.write:
                path.write_text(text, encoding="utf-8")
                print(f"wrote {path}")
            else:
                stale.append(name)
    if stale:
        print(f"out of date with the registry: {', '.join(stale)} (run with --write)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
