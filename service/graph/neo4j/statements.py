"""Statements from service/cypher/: one named, parameterised statement per file.

The files are package data: importlib.resources finds them wherever the package is installed
(a wheel, a checkout), never relative to the working directory.

Neo4j 5.26 cannot use an index for dynamic labels or types (`$($label)` plans an
AllNodesScan / AllRelationshipsScan), so a few statements name their label or type with a
placeholder such as `__LABEL__`. Placeholders are filled only from the Label / RelType enums,
never from user text; values always travel as parameters.

A statement comes in variants chosen by the code, never by the caller's text: `scoped=False`
renders the region-scope fragment (`__SCOPE__`) as `true` for a caller without a region (Neo4j
5.26 evaluates its EXISTS subqueries for every candidate before it reads `root IS NULL`), and
`filters` names the filter fragments (`fragments/<name>.cypher`) that `__FILTERS__` joins with
AND, so a statement holds only the filters it was given and the planner can seek an index.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import LiteralString, cast

from service.errors import UnknownLabel
from service.graph.neo4j import region_scope
from service.graph.records import MAX_DEPTH
from service.model import Label, RelType

_PLACEHOLDER = re.compile(r"__([A-Z]+)__")
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z_]*$")


def cypher_dir() -> Traversable:
    """service/cypher, holding schema/, queries/ and fragments/."""
    return files("service").joinpath("cypher")


def listing(folder: str) -> list[Traversable]:
    """The .cypher files of one folder of service/cypher, by name."""
    found = (p for p in cypher_dir().joinpath(folder).iterdir() if p.name.endswith(".cypher"))
    return sorted(found, key=lambda p: p.name)


@cache
def _read(folder: str, name: str) -> str:
    return cypher_dir().joinpath(folder, f"{name}.cypher").read_text(encoding="utf-8")


@cache
def _fragments() -> frozenset[str]:
    return frozenset(p.name.removesuffix(".cypher").upper() for p in listing("fragments"))


@cache
def _fragment(name: str) -> str:
    lines = _read("fragments", name).splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith("//"))


CYPHER_PLACEHOLDER_SCOPE = "__SCOPE__"
_UNSCOPED = "true"  # __SCOPE__ for a caller without a region: every node is within


@cache
def statement(
    name: str, *, scoped: bool = True, filters: tuple[str, ...] | None = None,
    descending: bool | None = None, depth: int | None = None, key: str | None = None,
    pieces: tuple[tuple[str, str | None], ...] = (), from_root: Label | None = None,
    homes: frozenset[Label] | None = None, below: frozenset[Label] | None = None,
    **identifiers: Label | RelType
) -> LiteralString:
    """The statement `service/cypher/queries/<name>.cypher` with its placeholders filled.

    `scoped` keeps the region-scope fragment (pass `region_id is not None`); `filters` fills
    `__FILTERS__` with the named filter fragments (none: `true`), and a listing's `__TOTAL__` with
    the sum of the tallies they select (tally_filters) or else a count of the nodes.

    `descending` fills the sort direction (`__DIR__`) and the keyset comparison (`__CMP__`);
    `depth` the hop bound of a variable-length pattern (`__DEPTH__`), which Cypher takes only as
    a literal. `pieces` fills optional placeholders, each with a named fragment or nothing (None):
    an ordering prefix and an index hint the code chose for a page. `from_root` fills `__FROMROOT__` with the
    clauses from a region `root` down to the label's distinct nodes `n` in its subtree (region_scope.from_root).
    `homes` fills `__HOMES__` with the branches of those labels only (region_scope.homes_fragment; else all of
    them) and `below` fills `__DEPENDENTS__` with the walk to the nodes below one of those labels
    (region_scope.dependents_fragment): a region tally writer's statement plans only the labels it reads.
    """
    text = _read("queries", name)
    for placeholder, piece in pieces:
        if not _PIECE.match(placeholder):
            raise ValueError(f"{placeholder!r} is not a placeholder name")
        text = text.replace(f"__{placeholder}__", "" if piece is None else _piece(piece))
    if not scoped:
        text = text.replace(CYPHER_PLACEHOLDER_SCOPE, _UNSCOPED)
    if from_root is not None:
        text = text.replace("__FROMROOT__", region_scope.from_root(from_root))
    if homes is not None:
        text = text.replace("__HOMES__", region_scope.homes_fragment(homes))
    if below is not None:
        text = text.replace("__DEPENDENTS__", region_scope.dependents_fragment(below))
    if filters is not None:
        if "__TOTAL__" in text:  # a listing's total: from the tallies when every filter has a tally form
            tallied = tally_filters(filters)
            if tallied is not None and set(tallied) <= {"tally_current"}:  # none but withdrawn: the count
                tallied = None  # store less the few withdrawn (an index seek) reads fewer than every tally
            text = text.replace("__TOTAL__", _fragment("total_counted" if tallied is None else "total_tallied"))
            if tallied is not None:
                text = text.replace("__TALLIED__", _joined(tallied))
        text = text.replace("__FILTERS__", _joined(filters))
        counted, less = _total_filters(filters)
        text = text.replace("__COUNTED__", _joined(counted)).replace("__LESS__", _joined(less) if less else "false")
    for shared in set(_PLACEHOLDER.findall(text)) & _fragments():  # shared predicates, constant text
        text = text.replace(f"__{shared}__", _fragment(shared.lower()))
    if key is not None:
        if not _IDENTIFIER.match(key):
            raise ValueError(f"{key!r} is not a property name")
        text = text.replace("__KEY__", key)
    if depth is not None:
        if isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= MAX_DEPTH:
            raise ValueError(f"depth {depth!r} is outside 1..{MAX_DEPTH}")
        text = text.replace("__DEPTH__", str(depth))
    if descending is not None:
        text = text.replace("__DIR__", "DESC" if descending else "ASC")
        text = text.replace("__CMP__", "<" if descending else ">")
    for key, value in identifiers.items():
        if not isinstance(value, (Label, RelType)) or not _IDENTIFIER.match(value.value):
            raise UnknownLabel(f"{value!r} is not a label or relationship type of the model")
        text = text.replace(f"__{key.upper()}__", value.value)
    missing = _PLACEHOLDER.findall(text)
    if missing:
        raise ValueError(f"statement {name} needs identifiers for {sorted(set(missing))}")
    return cast(LiteralString, text)


def _joined(filters: tuple[str, ...]) -> str:
    """The named filter fragments joined with AND, each in parentheses; `true` for none."""
    known = {p.name.removesuffix(".cypher") for p in listing("fragments")}
    for f in filters:
        if f not in known or not _FILTER_NAME.match(f):
            raise ValueError(f"{f!r} is not a filter fragment")
    return " AND ".join(f"({_fragment(f)})" for f in filters) or "true"


def _total_filters(filters: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
    """A listing's total as two counts, `__COUNTED__` less `__LESS__`: the filters without the
    not-withdrawn one (`<subject>_current`), less those same filters on the withdrawn nodes
    (`<subject>_withdrawn`, an index seek on few nodes); None when withdrawn nodes are counted
    too. Testing `withdrawn IS NULL` would read every node the other filters select, and with no
    other filter Neo4j answers the label's count from its count store."""
    counted = tuple(f for f in filters if not f.endswith("_current"))
    current = [f for f in filters if f.endswith("_current")]
    if not current:
        return counted, None
    return counted, counted + tuple(f.removesuffix("_current") + "_withdrawn" for f in current)


def tally_filters(filters: tuple[str, ...]) -> tuple[str, ...] | None:
    """The tally forms (`tally_<filter>`) of a list item listing's filters (`item_<filter>`), which
    select the item tallies (fragments/tally.cypher, registry ITEM_TALLY) whose sum is the listing's
    total; None when one filter has no tally form (a publisher, a region: counted from the items)."""
    known = {p.name.removesuffix(".cypher") for p in listing("fragments")}
    tallied = tuple("tally_" + f.removeprefix("item_") for f in filters)
    if not all(f.startswith("item_") for f in filters) or not set(tallied) <= known:
        return None
    return tallied


_FILTER_NAME = re.compile(r"^[a-z]+_[a-z_]+$")  # filter fragments are `<subject>_<filter>`: never auto-pasted
_PIECE = re.compile(r"^[A-Z]+$")


def _piece(name: str) -> str:
    """A named fragment for an optional placeholder (`pieces`): a filter-style name, never user text."""
    known = {p.name.removesuffix(".cypher") for p in listing("fragments")}
    if name not in known or not _FILTER_NAME.match(name):
        raise ValueError(f"{name!r} is not a fragment")
    return _fragment(name)


def migrations() -> list[tuple[str, list[LiteralString]]]:
    """Schema migrations in order: (name, statements separated by `;`)."""
    out = []
    for path in listing("schema"):
        body = "\n".join(
            line for line in path.read_text(encoding="utf-8").splitlines()
            if not line.lstrip().startswith("//")
        )
        for shared in set(_PLACEHOLDER.findall(body)) & _fragments():  # fragments/tally.cypher: one text
            body = body.replace(f"__{shared}__", _fragment(shared.lower()))
        parts = [cast(LiteralString, p.strip()) for p in body.split(";") if p.strip()]
        out.append((path.name.removesuffix(".cypher"), parts))
    return out
