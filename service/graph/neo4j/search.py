"""Full-text search over names and titles (the `names` index, CJK analyser; 003_fulltext_names)."""

from __future__ import annotations

from collections.abc import Sequence

from service.graph import records
from service.graph.neo4j.executor import Neo4jExecutor
from service.graph.neo4j.results import to_node
from service.graph.neo4j.statements import statement
from service.graph.types import Node
from service.model import Label

_LUCENE_SPECIAL = set('+-&|!(){}[]^"~*?:\\/')


async def search(
    ex: Neo4jExecutor, text: str, first: int, labels: Sequence[Label] = (), region_id: str | None = None,
    include_withdrawn: bool = False,
) -> list[Node]:
    records.check_page(first)
    terms = " ".join(_lucene_escape(t) for t in text.split())
    if not terms:
        return []
    params = {"text": terms, "first": first, "labels": [records.as_label(x).value for x in labels],
              "regionId": region_id}
    filters = (("search_labels",) if labels else ()) + (() if include_withdrawn else ("node_current",))
    if region_id is None and not labels:  # few hits are dropped: score only the best ones
        bound = 2 * first + BOUND_SPARE
        for retry in (True, False):
            rows = await ex.run(statement("search_bounded", filters=filters), {**params, "bound": bound})
            kept = [r for r in rows if r["n"] is not None]
            if rows and rows[0]["scored"] < bound:  # every match was scored
                return [to_node(r["n"]) for r in kept[:first]]
            # A hit left out scored no higher than the lowest scored. When the page's last scores
            # above that, every hit tied with it was scored, and the page (score, then id) is the
            # full search's. A tie at the cut (a province repeats names) is asked once more with
            # more hits; a tie wider still keeps the hits the index chose, so the cost stays bounded.
            if len(kept) >= first and (not retry or kept[first - 1]["score"] > rows[0]["floor"]):
                return [to_node(r["n"]) for r in kept[:first]]
            bound *= BOUND_GROWTH
    query = statement("search", scoped=region_id is not None, filters=filters)
    return [to_node(r["n"]) for r in await ex.run(query, params)]


BOUND_SPARE = 16  # hits scored beyond twice the page, for the withdrawn ones and ties at the cut
BOUND_GROWTH = 4  # a tie at the cut or a short page is asked once more, scoring four times as many hits


def _lucene_escape(term: str) -> str:
    """User text as terms, never as Lucene query syntax: special characters escaped, and the
    operators AND / OR / NOT lower-cased (the analyser lower-cases every term anyway, so the
    word still matches what it says)."""
    if term in _OPERATORS:
        return term.lower()
    return "".join("\\" + ch if ch in _LUCENE_SPECIAL else ch for ch in term)


_OPERATORS = frozenset({"AND", "OR", "NOT"})
