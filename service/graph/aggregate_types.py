"""What the aggregate reads of the port (item_totals, link_totals) take and answer: sums and
distinct counts over a listing's selection, so a dashboard figure is one statement, not a walk
over every page."""

from __future__ import annotations

from dataclasses import dataclass

from service.errors import ValidationFailed
from service.graph import records
from service.graph.types import Condition, Query
from service.model import RelType
from service.registry import allowed_ends


@dataclass(frozen=True, slots=True)
class ItemTotals:
    """Over the list items an ItemQuery selects (its paging ignored)."""

    items: int
    quantity: float  # sum of quantity
    claimed: float  # sum of the ACTIVE claimed quantity
    remaining: float  # quantity - claimed, summed
    publishers: int  # distinct units that published them (one publisher = one 三张清单 list)


@dataclass(frozen=True, slots=True)
class LinkQuery:
    """The links of one type from the nodes a Query selects (its paging and order ignored), whose
    properties meet `where` (PARTY_TO role = 乙方); with the query's region, only links whose
    other end lies within that region too (a scoped key counts nothing outside its region)."""

    nodes: Query
    type: RelType
    outgoing: bool  # True: (n)-[type]->(other); False: (other)-[type]->(n)
    where: tuple[Condition, ...] = ()


@dataclass(frozen=True, slots=True)
class LinkTotals:
    nodes: int  # nodes the query selects
    linked: int  # of those, how many have at least one such link
    reached: int  # distinct nodes at the other ends of those links


def check_link_query(query: LinkQuery) -> None:
    """Both stores refuse the same nonsense: a type that never touches the label on that side."""
    records.check_query(query.nodes)
    records.check_query(Query(query.nodes.label, where=query.where))
    label, type = records.as_label(query.nodes.label), records.as_rel_type(query.type)
    side = 0 if query.outgoing else 1
    if not any(ends[side] is label for ends in allowed_ends()[type]):
        way = "from" if query.outgoing else "into"
        raise ValidationFailed(f"no {type.value} relationship goes {way} a {label.value}")
