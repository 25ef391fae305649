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
from collections.abc import Callable
from pathlib import Path

from service.model import Label
from service.registry import RegionPath, Single, Step, has_status, label_spec, region_paths, rel_spec

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
    """The clauses from `root` down to every `n` of `label` within its subtree, each once, as a listing scoped to a
    region drives it: the subtree's regions first (bounded by the region asked about), then the label's path from
    them, as census.cypher walks it. Testing `within` for every node of the label instead costs the whole province
    (the planner expands each candidate's test from the root).

    DISTINCT once, after the last hop a node may be reached twice over (the region walk, a unit LOCATED_IN two
    regions, an agreement with two parties): every hop after it is single-valued at the far end (an item has
    one publisher), so distinct nodes lead to distinct nodes. An item listing's units are made distinct before
    their relationship chains are read (huadu: 2,201 chains, not 2,276 walked twice before)."""
    for path in region_paths():
        if label in path.labels:
            return _walk_down(label, tuple(reversed(path.steps)))
    raise ValueError(f"{label} has no path to a region")


def _walk_down(label: Label, hops: tuple[Step, ...]) -> str:
    """from_root's clauses for the hops walked from the region end: m0 a region of the subtree, mK the node
    after K hops, n the label's node."""
    last = max((k for k, hop in enumerate(hops) if not _single(hop)), default=-1)  # -1: the region walk

    def name(k: int) -> str:
        return "n" if k == len(hops) else f"m{k}"

    def node(k: int) -> str:
        test = label.value if k == len(hops) else "Region" if k == 0 else None
        return f"({name(k)}:{test})" if test else f"({name(k)})"

    def chain(start: int, end: int) -> str:
        return "".join(_back(hops[k]) + node(k + 1) for k in range(start, end))

    lines = [f"MATCH (root)<-[:PART_OF*0..]-{node(0)}{chain(0, last + 1)}", f"WITH DISTINCT {name(last + 1)}"]
    if last + 1 < len(hops):
        lines.append(f"MATCH ({name(last + 1)}){chain(last + 1, len(hops))}")
    return "\n  ".join(lines)


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


def _ends(step: Step) -> frozenset[Label]:
    """The labels a node reached over `step` (walked from the region end) may have, by the allowed ends."""
    ends = rel_spec(step.type).ends
    return frozenset(a for a, _ in ends) if step.outgoing else frozenset(b for _, b in ends)


def _kind(label: Label, of: str = "n") -> str:
    """The first of the label's stats keys a node (`of`: its variable, or its properties' map) has
    (registry.kind_of), null for a label without any."""
    keys = label_spec(label).stats_keys
    if not keys:
        return "null"
    return f"{of}.{keys[0]}" if len(keys) == 1 else "coalesce(" + ", ".join(f"{of}.{k}" for k in keys) + ")"


def _status(label: Label, of: str = "n") -> str:
    """The node's status when its label declares one (registry.status_of), else null: not read at all."""
    return f"{of}.status" if has_status(label) else "null"


def _counted(label: Label) -> str:
    return f"RETURN '{label.value}' AS label, {_kind(label)} AS kind, {_status(label)} AS status, count(*) AS count"


def _counted_together(listed: str, labels: tuple[Label, ...]) -> str:
    """The rows of the labels sharing one collected list, in one pass over it: each node's label told by a CASE
    (a node has one label of the model), then its label's kind and status."""
    which = " ".join(f"WHEN n:{label.value} THEN '{label.value}'" for label in labels)
    kinds = " ".join(f"WHEN '{label.value}' THEN {_kind(label)}" for label in labels if _kind(label) != "null")
    statuses = " ".join(f"WHEN '{label.value}' THEN n.status" for label in labels if has_status(label))
    kind = f"CASE label {kinds} END" if kinds else "null"
    status = f"CASE label {statuses} END" if statuses else "null"
    return (f"  UNWIND {listed} AS n\n  WITH n, CASE {which} END AS label\n"
            f"  WITH label, {kind} AS kind, {status} AS status WHERE label IS NOT NULL\n"
            "  RETURN label, kind, status, count(*) AS count")


def _tallied(label: Label, labels: tuple[Label, ...], step: Step) -> bool:
    """A label counted without reading its nodes: the hop's far end can be no other label, each node holds one
    such link, and there is nothing to group it by (a member: its organisation's BELONGS_TO links)."""
    return (labels == (label,) and _ends(step) == {label} and _single(step) and not label_spec(label).stats_keys
            and not has_status(label))


def _walks(at_r: frozenset[Label], hops: list[Step]) -> list[tuple[str, list[Step]]]:
    """The expansions from `r` (a node of `at_r`) over `hops`, as few as the model allows: one over all of
    them when no hop's type can also run the other way from r (then undirected, the chain of r read once;
    each row told by its type), else one per direction."""
    if not hops:
        return []

    def reversible(hop: Step) -> bool:  # could r also hold this type the other way round (the node's end)?
        ends = rel_spec(hop.type).ends  # the node's outgoing hop ends at r; the other way, r is its start
        return bool(at_r & (frozenset(a for a, _ in ends) if hop.outgoing else frozenset(b for _, b in ends)))

    def pattern(types: str, into_r: bool | None) -> str:
        return (f"(r)-[h:{types}]-(n)" if into_r is None
                else f"(r)<-[h:{types}]-(n)" if into_r else f"(r)-[h:{types}]->(n)")

    directions = {hop.outgoing for hop in hops}
    if len(directions) == 1 or not any(reversible(hop) for hop in hops):
        into_r = hops[0].outgoing if len(directions) == 1 else None  # a node's outgoing hop comes into r
        return [(pattern("|".join(dict.fromkeys(h.type.value for h in hops)), into_r), hops)]
    return [(pattern("|".join(dict.fromkeys(h.type.value for h in same)), into_r), same)
            for into_r in (True, False) if (same := [h for h in hops if h.outgoing is into_r])]


def census_fragment() -> str:
    """Rows (label, kind, status, count) of every node within the region subtree of $regionId.

    Walked from the regions down, each prefix of the region paths once: `at0` the subtree's regions, then per
    collected list ONE expansion over the union of the types leaving it (a unit's relationship chain is read
    once, not once per label hanging off it), split by type and direction into the next lists. DISTINCT only
    where a hop can reach a node twice: a node with several links of the hop's type (a unit LOCATED_IN two
    regions, an agreement with two parties); one holding a single link (a member BELONGS_TO one organisation,
    an item PUBLISHED by one unit) is reached once from distinct nodes. A label with nothing to group by and no
    other label at the hop's far end is tallied from the links alone (`nK`). Labels sharing one list (a unit: an
    organisation or an enterprise) are counted in one pass over it. Each node has one label, so the labels' counts
    are disjoint."""
    walks = [(path.labels, tuple(reversed(path.steps))) for path in region_paths()]
    ends: list[tuple[Step, ...]] = []  # every prefix that ends at some node set, shortest first
    for _, steps in walks:
        for end in range(1, len(steps) + 1):
            if steps[:end] not in ends:
                ends.append(steps[:end])
    ends.sort(key=len)
    tallied = {steps: labels[0] for labels, steps in walks if steps and _tallied(labels[0], labels, steps[-1])
               and not any(len(s) > len(steps) and s[:len(steps)] == steps for _, s in walks)}
    name = {(): "at0"} | {steps: f"{'n' if steps in tallied else 'at'}{i}" for i, steps in enumerate(ends, 1)}
    lines = ["MATCH (root:Region {id: $regionId})",
             "MATCH (root)<-[:PART_OF*0..]-(n:Region)",
             # DISTINCT: a tree reaches each region once, but no writer refuses a PART_OF cycle
             "WITH collect(DISTINCT n) AS at0"]
    for parent in [()] + [e for e in ends if e not in tallied]:
        children = [e for e in ends if len(e) == len(parent) + 1 and e[:-1] == parent]
        at_r = frozenset({Label.REGION}) if not parent else _ends(parent[-1])
        for child in (c for c in children if c in tallied):  # the links counted where they are kept
            lines.append(f"CALL ({name[parent]}) {{ UNWIND {name[parent]} AS r "
                         f"RETURN sum(COUNT {{ (r){_back(child[-1])}() }}) AS {name[child]} }}")
        for walk, hops in _walks(at_r, [c[-1] for c in children if c not in tallied]):
            picked = []
            for hop in hops:
                child = (*parent, hop)
                distinct = "" if _single(hop) else "DISTINCT "
                picked.append(f"collect({distinct}CASE WHEN t = '{hop.type.value}' THEN n END) AS {name[child]}"
                              if len(hops) > 1 else f"collect({distinct}n) AS {name[child]}")
            typed = "\n  WITH n, type(h) AS t" if len(hops) > 1 else ""  # type(h) read once a row
            lines.append(f"CALL ({name[parent]}) {{\n  UNWIND {name[parent]} AS r MATCH {walk}{typed}\n  RETURN "
                         + ",\n         ".join(picked) + "\n}")
    branches = []
    for labels, steps in walks:
        if len(labels) > 1 and steps not in tallied:  # one list read once for all its labels (units: 2,201 nodes)
            branches.append(_counted_together(name[steps], labels))
            continue
        for label in labels:
            if steps in tallied:
                branches.append(f"  WITH {name[steps]} AS count WHERE count > 0\n"
                                f"  RETURN '{label.value}' AS label, null AS kind, null AS status, count")
                continue
            # the label test only where the hop may reach another label too (a unit: an organisation or enterprise)
            test = "" if not steps or _ends(steps[-1]) == {label} else f" WITH n WHERE n:{label.value}"
            branches.append(f"  UNWIND {name[steps]} AS n{test}\n  {_counted(label)}")
    header = (
        "// GENERATED from service/registry.py by `python -m service.graph.neo4j.region_scope --write`: do not edit.\n"
        "// Rows (label, kind, status, count) of every node within the region subtree of $regionId (the same\n"
        "// membership as scope.cypher, which tests one node), walked from the regions down: one expansion per\n"
        "// collected list (atK: distinct nodes) over the types leaving it, DISTINCT only after a hop a node may\n"
        "// hold several of, a label with nothing to group by tallied from its links (region_scope.census_fragment).\n"
    )
    imported = ", ".join(name[e] for e in [(), *ends])
    return (header + "\n".join(lines) + "\n"
            + f"CALL ({imported}) {{\n" + "\n  UNION ALL\n".join(branches) + "\n}\n")


def _label_case(labels: tuple[Label, ...]) -> str:
    """The node's label among `labels` as a string (a node has one label of the model)."""
    if len(labels) == 1:
        return f"'{labels[0].value}'"
    return "CASE " + " ".join(f"WHEN n:{label.value} THEN '{label.value}'" for label in labels) + " END"


def _by_label(labels: tuple[Label, ...], of: Callable[[Label], str]) -> str:
    """`of(label)` for the node's label among `labels`: one expression, or a CASE when they differ."""
    values = {of(label) for label in labels}
    if len(values) == 1:
        return values.pop()
    return "CASE " + " ".join(f"WHEN n:{label.value} THEN {of(label)}" for label in labels) + " END"


def homes_fragment(labels: frozenset[Label] | None = None) -> str:
    """For one node `n`: its label, kind and status as a region count groups it (census.cypher) and the ids of
    every region whose subtree holds it (the same membership as scope.cypher), as the region tallies key it
    (fragments/regionkey.cypher); no row for a node of a label counted in no region. Only the branches of
    `labels` when given (a writer's statement names the labels it may read). Each branch reaches the node's own
    regions over a fixed pattern and one walk up PART_OF follows for all of them: the planner plans one
    variable-length pattern, not one per label (a writer's statement is planned again as the graph grows)."""
    branches = []
    for path in region_paths():
        kept = tuple(label for label in path.labels if labels is None or label in labels)
        if not kept:
            continue
        reach = ("WITH n, n AS a" if not path.steps else
                 "OPTIONAL MATCH (n)" + "".join(_hop(s) + "()" for s in path.steps[:-1]) + _hop(path.steps[-1])
                 + "(a:Region)")
        # the properties through properties(n), read where they stand: after the writer's lock, never from a
        # cache the planner filled at the seek before it (tests/contract/test_lock_plans.py)
        kind, status = _by_label(kept, lambda lb: _kind(lb, "p")), _by_label(kept, lambda lb: _status(lb, "p"))
        branches.append(f"  WITH n WHERE {_is(RegionPath(kept))}\n  {reach}\n  WITH n, properties(n) AS p, a\n"
                        f"  RETURN {_label_case(kept)} AS label, {kind} AS kind,\n"
                        f"         {status} AS status, collect(a) AS anchors")
    if not branches:
        raise ValueError(f"no label of {sorted(labels or ())} is counted in a region")
    header = (
        "// GENERATED from service/registry.py by `python -m service.graph.neo4j.region_scope --write`: do not edit.\n"
        "// Node `n`'s label, kind and status as census.cypher groups it, and the ids of the regions whose subtree\n"
        "// holds it (scope.cypher's membership, read from the node up): what the region tallies count it in.\n"
    )
    return (header + "CALL (n) {\n" + "\n  UNION ALL\n".join(branches) + "\n}\n"
            "CALL (anchors) {\n  UNWIND anchors AS a\n  MATCH (a)-[:PART_OF*0..]->(r:Region)\n"
            "  RETURN collect(DISTINCT r.id) AS regions\n}\n")


def counted_labels() -> frozenset[Label]:
    """The labels a region's census counts: those with a region path."""
    return frozenset(label for path in region_paths() for label in path.labels)


def dependent_labels(labels: frozenset[Label]) -> frozenset[Label]:
    """The labels of the nodes that may have a node of `labels` on their region path (dependents_fragment)."""
    if Label.REGION in labels:
        return counted_labels()
    return frozenset(label for path in region_paths() for j in range(1, len(path.steps))
                     if _ends_at(path.steps[j - 1]) & labels for label in path.labels)


def dependents_fragment(labels: frozenset[Label]) -> str:
    """`below`: the list `moved` (nodes of `labels`) and the nodes whose regions follow theirs, every node with
    one of them on its region path (a unit's members, items, agreements and teams; an alliance's meetings and
    their matters; a region's whole subtree), so that when a node's own path changes, their tallies move with
    it. The subtrees of moved regions are walked once for all (`subtree`: a load's 17,635 regions share most of
    theirs), and each label's fixed pattern runs once per region of it. Each part is a list of its own (no
    UNION over an imported list, whose rows Neo4j would tell apart by the whole list)."""
    parts, calls = ["moved"], []

    def part(source: str, walk: str, test: str) -> None:
        name = f"d{len(parts)}"
        parts.append(name)
        calls.append(f"CALL ({source}) {{\n  UNWIND {source} AS x\n  MATCH {walk}\n  WHERE {test}\n"
                     f"  RETURN collect(n) AS {name}\n}}")

    if Label.REGION in labels:  # every node of a path within the moved regions' subtrees
        calls.append("CALL (moved) {\n  UNWIND moved AS x\n  WITH x WHERE x:Region\n"
                     "  MATCH (x)<-[:PART_OF*0..]-(g:Region)\n  RETURN collect(DISTINCT g) AS subtree\n}")
        parts.append("subtree")
        for path in region_paths():
            if path.steps:
                part("subtree", f"(x){_down(path.steps)}", _is(path))
    for path in region_paths():  # x the node after `j` hops of a path (neither the node itself nor its region)
        for j in range(1, len(path.steps)):
            ends = _ends_at(path.steps[j - 1]) & labels
            if not ends:
                continue
            at_x = " OR ".join(f"x:{label.value}" for label in sorted(ends, key=lambda lb: lb.value))
            part("moved", f"(x){_down(path.steps[:j])}", f"({at_x}) AND {_is(path)}")
    return "\n".join(calls) + ("\n" if calls else "") + f"WITH {' + '.join(parts)} AS below"


def _down(steps: tuple[Step, ...]) -> str:
    """The hops of a path's first `steps` walked back from the node after them (`x`, or a region) to the node `n`."""
    return "".join(_back(s) + "()" for s in reversed(steps[1:])) + _back(steps[0]) + "(n)"


def _ends_at(step: Step) -> frozenset[Label]:
    """The labels a node reached over `step` from the node's end (walking towards the region) may have."""
    ends = rel_spec(step.type).ends
    return frozenset(b for _, b in ends) if step.outgoing else frozenset(a for a, _ in ends)


def rendered() -> dict[str, str]:
    """Fragment file name (under service/cypher/fragments) -> its text."""
    return {"scope.cypher": scope_fragment(), "census.cypher": census_fragment(), "homes.cypher": homes_fragment()}


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
