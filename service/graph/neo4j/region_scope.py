"""The region-scope Cypher fragments, rendered from the registry's region paths.

service/cypher/fragments/scope.cypher (does node `n` lie within the subtree of `root`?) and
census.cypher (how many nodes of each label, kind and status the subtree of $regionId holds) are
generated files: the registry is their source, tests/test_registry.py fails when they differ from it, and

    python -m service.graph.neo4j.region_scope --write

rewrites them. The embedded store follows the same paths in MemoryGraph.homes. Only labels and
relationship types of the model's enums reach the text.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service.model import Label
from service.registry import RegionPath, Single, Step, label_spec, region_paths, rel_spec

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
    as census.cypher walks it. Testing `within` for every node of the label instead costs the whole province
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


def _single(step: Step) -> bool:
    """Whether a node holds at most one link of `step` (a region path's hop, from the node's end): then the
    nodes reached from distinct nodes over it are distinct too, and need no DISTINCT."""
    spec = rel_spec(step.type)
    at_node = Single.START if step.outgoing else Single.END
    return spec.single is at_node and spec.per is None


def _kind(label: Label) -> str:
    """The first of the label's stats keys a node has (registry.kind_of), null for a label without any."""
    keys = label_spec(label).stats_keys
    if not keys:
        return "null"
    return f"n.{keys[0]}" if len(keys) == 1 else "coalesce(" + ", ".join(f"n.{k}" for k in keys) + ")"


def _counted(label: Label) -> str:
    return f"RETURN '{label.value}' AS label, {_kind(label)} AS kind, n.status AS status, count(*) AS count"


def census_fragment() -> str:
    """Rows (label, kind, status, count) of every node within the region subtree of $regionId. Each prefix of
    the region paths (walked from the regions down) is collected once as the distinct nodes at its end (`atK`,
    `at0` the subtree's regions), and each label is counted from its path's last prefix. DISTINCT only where a
    hop can reach a node twice: a node with several links of the hop's type (a unit LOCATED_IN two regions, an
    agreement with two parties); a node holding one (a member BELONGS_TO one organisation, an item PUBLISHED by
    one unit) is reached once from distinct nodes. Each node has one label, so the labels' counts are disjoint."""
    walks = [(path.labels, tuple(reversed(path.steps))) for path in region_paths()]
    prefixes: list[tuple[Step, ...]] = [()]
    for _, steps in walks:
        for end in range(1, len(steps)):
            if steps[:end] not in prefixes:
                prefixes.append(steps[:end])
    for _, steps in walks:  # a path whose nodes another path walks on from is collected too
        if steps and steps not in prefixes and any(s[:len(steps)] == steps and s != steps for _, s in walks):
            prefixes.append(steps)
    prefixes.sort(key=len)
    at = {steps: f"at{i}" for i, steps in enumerate(prefixes)}
    lines = ["MATCH (root:Region {id: $regionId})",
             "MATCH (root)<-[:PART_OF*0..]-(n:Region)",
             # DISTINCT: a tree reaches each region once, but no writer refuses a PART_OF cycle
             f"WITH collect(DISTINCT n) AS {at[()]}"]
    for steps in prefixes[1:]:
        parent, step = at[steps[:-1]], steps[-1]
        distinct = "" if _single(step) else "DISTINCT "
        lines.append(f"CALL ({parent}) {{ UNWIND {parent} AS r MATCH (r){_back(step)}(n) "
                     f"RETURN collect({distinct}n) AS {at[steps]} }}")
    branches = []
    for labels, steps in walks:
        for label in labels:
            if not steps:
                branches.append(f"  UNWIND {at[steps]} AS n\n  {_counted(label)}")
            elif steps in at:  # collected: its nodes of this label
                branches.append(f"  UNWIND {at[steps]} AS n WITH n WHERE n:{label.value}\n  {_counted(label)}")
            else:
                parent, step = at[steps[:-1]], steps[-1]
                distinct = "" if _single(step) else " WITH DISTINCT n"
                branches.append(f"  UNWIND {parent} AS r MATCH (r){_back(step)}(n:{label.value}){distinct}\n"
                                f"  {_counted(label)}")
    header = (
        "// GENERATED from service/registry.py by `python -m service.graph.neo4j.region_scope --write`: do not edit.\n"
        "// Rows (label, kind, status, count) of every node within the region subtree of $regionId (the same\n"
        "// membership as scope.cypher, which tests one node), driven from the regions down: each prefix of the\n"
        "// region paths is collected once (atK: the distinct nodes at its end), each label counted from it;\n"
        "// DISTINCT only after a hop a node may hold several of (region_scope.census_fragment).\n"
    )
    return (header + "\n".join(lines) + "\n"
            + f"CALL ({', '.join(at.values())}) {{\n" + "\n  UNION ALL\n".join(branches) + "\n}\n")


def rendered() -> dict[str, str]:
    """Fragment file name (under service/cypher/fragments) -> its text."""
    return {"scope.cypher": scope_fragment(), "census.cypher": census_fragment()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the region-scope fragments from the registry.")
    parser.add_argument("--write", action="store_true", help="rewrite the files instead of checking them")
    args = parser.parse_args(argv)
    stale = []
    for name, text in rendered().items():
        path = FRAGMENTS / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
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
