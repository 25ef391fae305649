"""Search over names and titles, tokenised as Lucene's CJK analyser does (the mirror of search.cypher
over the `names` full-text index of 003_fulltext_names.cypher); the searchable labels and properties
are the registry's."""

from __future__ import annotations

from collections.abc import Sequence

from service.graph import records
from service.graph.embedded.executor import EmbeddedExecutor
from service.graph.embedded.memory_graph import cjk_tokens
from service.graph.types import Node
from service.model import Label
from service.registry import searchable_labels


def search(
    ex: EmbeddedExecutor, text: str, first: int, labels: Sequence[Label] = (), region_id: str | None = None,
    include_withdrawn: bool = False,
) -> list[Node]:
    records.check_page(first)
    wanted = set(cjk_tokens(text))
    allowed = {records.as_label(x) for x in labels} or set(searchable_labels())
    allowed &= searchable_labels()
    with ex.reading() as mem:
        regions = mem.subtree(region_id) if region_id is not None else None
        scored = []
        for label in allowed:
            for i in mem.by_label[label]:
                tokens = mem.tokens(mem.nodes[i])
                hits = len(wanted & tokens)
                if not include_withdrawn and mem.nodes[i].props.get("withdrawn") is not None:
                    continue  # fragments/node_current.cypher
                if hits and (regions is None or mem.in_scope(mem.nodes[i], regions)):
                    # more matched terms first, then shorter names (Lucene's length norm)
                    scored.append((-hits, len(tokens), i))
        return [mem.nodes[i] for _, _, i in sorted(scored)[:first]]
