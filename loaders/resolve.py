"""References from a file to nodes in the store: by id, by credit code (enterprises), or by exact
name. One batch of rows costs one `get_nodes` call plus one `find_by_names` per label named by name
(an exact-match lookup through the name index, never a listing of the label)."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable

from loaders.rows import Ref
from service.codes import credit_code_error, normalise_code
from service.errors import AllianceError
from service.graph.port import GraphStore
from service.graph.types import Node
from service.model import Label

_NAMES = {
    Label.ORGANISATION: "organisation", Label.ENTERPRISE: "enterprise", Label.REGION: "region",
    Label.AGREEMENT: "agreement", Label.LIST_ITEM: "list item", Label.MEMBER: "member",
}
Wanted = tuple[str, Ref]
Resolution = Node | str  # the node, or the reason it was not found


def _kinds(labels: Iterable[Label]) -> str:
    return " or ".join(_NAMES.get(label, str(label)) for label in labels)


def _looks_like_credit_code(value: str) -> bool:
    code = normalise_code(value)
    return len(code) == 18 and code.isascii() and code.isalnum() and code[0].isdigit()


def candidate_ids(wanted: Iterable[Wanted]) -> set[str]:
    """The ids `resolve` looks up with `get_nodes` for these references (as given, and as credit codes)."""
    return {v for v, _ in wanted} | {normalise_code(v) for v, ref in wanted if Label.ENTERPRISE in ref.labels}


async def resolve(store: GraphStore, wanted: Iterable[Wanted]) -> dict[Wanted, Resolution]:
    wanted = set(wanted)
    out: dict[Wanted, Resolution] = {}
    custom: dict[Ref, list[str]] = defaultdict(list)
    for value, ref in wanted:
        if ref.resolver is not None:
            custom[ref].append(value)
    for ref, values in custom.items():  # a reference with its own rules (kinds.Ref.resolver)
        assert ref.resolver is not None
        out.update(((value, ref), hit) for value, hit in (await ref.resolver(store, sorted(values))).items())
    wanted = {w for w in wanted if w[1].resolver is None}
    if not wanted:
        return out
    by_id = {n.id: n for n in await store.get_nodes(sorted(candidate_ids(wanted)))}
    by_name: dict[Label, set[str]] = defaultdict(set)
    for value, ref in wanted:
        node = by_id.get(value)
        if node is None and Label.ENTERPRISE in ref.labels:
            node = by_id.get(normalise_code(value))
        if node is not None and node.label in ref.labels:
            out[value, ref] = node
        elif node is not None:
            out[value, ref] = f"unknown {ref.what} {value!r}: it is a {_NAMES.get(node.label, node.label)}, " \
                              f"not a {_kinds(ref.labels)}"
        elif ref.by_name:
            for label in ref.labels:
                by_name[label].add(value)
        else:
            out[value, ref] = f"unknown {ref.what} {value!r}: no {_kinds(ref.labels)} has this id"
    named: dict[str, list[Node]] = defaultdict(list)
    unknown: list[Wanted] = []
    for label, names in by_name.items():
        for node in await store.find_by_names(label, sorted(names)):
            named[str(node.get("name"))].append(node)
    for value, ref in wanted:
        if (value, ref) in out:
            continue
        matches = [n for n in named.get(value, []) if n.label in ref.labels]
        if len(matches) == 1:
            out[value, ref] = matches[0]
        elif matches:
            ids = ", ".join(sorted(n.id for n in matches)[:5])
            out[value, ref] = f"ambiguous {ref.what} {value!r}: {len(matches)} units have this name ({ids}); use the id"
        elif Label.ENTERPRISE in ref.labels and _looks_like_credit_code(value) and \
                (reason := credit_code_error(normalise_code(value))):
            out[value, ref] = f"unknown {ref.what} {value!r}: malformed unified social credit code: {reason}"
        else:
            how = "id, credit code or exact name" if Label.ENTERPRISE in ref.labels else "id or exact name"
            out[value, ref] = f"unknown {ref.what} {value!r}: no {_kinds(ref.labels)} has this {how}"
            unknown.append((value, ref))
    for value, ref in unknown[:MAX_SUGGESTED]:
        if near := await near_miss(store, value, ref.labels):
            out[value, ref] = f"{out[value, ref]}; did you mean {near}?"
    return out


MAX_SUGGESTED = 50  # distinct unknown names per batch given a "did you mean": each costs one search


async def near_miss(store: GraphStore, value: str, labels: tuple[Label, ...]) -> str | None:
    """The name of the right label closest to an unknown one: one containing it or contained in it (阳光东社区
    for 阳光东社区党支部) first, then the closest by difflib; None when nothing is close. Candidates come from
    the store's full-text search over names, never from a listing of the label."""
    try:
        found = await store.search(value, 20, labels)
    except AllianceError:  # a name the search cannot take as a query: no suggestion rather than no load
        return None
    names = sorted({str(n.get("name")) for n in found if n.label in labels and n.get("name")} - {value})
    containing = [n for n in names if value in n or n in value]
    if containing:
        return min(containing, key=lambda n: (abs(len(n) - len(value)), n))
    # 0.75: a shared suffix alone (…社区党委) is no near miss (不存在社区党委 against 西站社区党委 scores 0.62)
    close = difflib.get_close_matches(value, names, n=1, cutoff=0.75)
    return close[0] if close else None
