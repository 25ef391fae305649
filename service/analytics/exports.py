"""Exports of a projection for Gephi, yEd or a spreadsheet: GEXF, GraphML, CSV nodes / edges.

Attributes are flattened to strings, numbers and booleans (lists joined with ';') because
networkx's GEXF and GraphML writers take nothing else, and every node carries the same typed
keys. Unit properties that hold personal data are shown through the view the export endpoint
passes (service/masking.py for every role but admin), so this module decides nothing about roles.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx

from service.analytics import metrics
from service.analytics.projection import Network
from service.analytics.writeback import Stored

# How the caller sees a unit's property (key, value); the export endpoint passes the masking of
# personal data (service/masking.py) for every role but admin, None shows properties as stored.
PropertyView = Callable[[str, Any], Any]

_FIRST = ("type", "name", "kind", "level", "industry", "ownership", "region")
_SCORES = ("degree", "strength", "betweenness", "pagerank", "closeness", "community", "splitSizes",
           "computedAt", "graphVersion", "stale")
EDGE_KEYS = ("weight", "agreements", "alliances", "claims", "agreementIds", "allianceIds")


def _flat(value: Any) -> str | int | float | bool | None:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value)


def node_attributes(
    network: Network, versions: Mapping[str, str], view: PropertyView | None = None
) -> dict[str, dict[str, Any]]:
    """Flat attributes per unit: its own properties (as `view` shows them), the degree and
    strength of this projection, and its written-back scores when it has any; `versions` holds
    the current graph version of each scope results were computed in (missing: stale unknown)."""
    degree, strength = metrics.degree(network.graph), metrics.strength(network.graph)
    out: dict[str, dict[str, Any]] = {}
    for unit, ties in network.units.items():
        node = ties.node
        # `label` is what Gephi shows on a node: the unit's name
        attrs: dict[str, Any] = {"label": str(node.props.get("name") or unit), "type": node.label.value,
                                 "region": ties.region_id}
        for key, value in sorted(node.props.items()):
            if key in ("id", "label", "type") or key.startswith("analytics"):
                continue
            if view is not None:
                value = view(key, value)
            attrs[key] = _flat(value)
        attrs["degree"], attrs["strength"] = degree[unit], strength[unit]
        stored = Stored.of(node)
        if stored is not None:
            attrs.update({
                "betweenness": stored.betweenness, "pagerank": stored.pagerank, "closeness": stored.closeness,
                "community": stored.community, "splitSizes": _flat(stored.split_sizes),
                "computedAt": stored.computed_at, "graphVersion": stored.graph_version,
                "stale": (stored.graph_version != versions[stored.scope.key]
                          if stored.scope.key in versions else None),
            })
        out[unit] = {k: v for k, v in attrs.items() if v is not None}
    return out


def flat_graph(network: Network, versions: Mapping[str, str] | None = None, view: PropertyView | None = None
               ) -> nx.Graph:
    """A copy of the projection with flat node and edge attributes, ready for the writers."""
    known = {network.scope.key: network.version, **(versions or {})}
    g = nx.Graph(scope=network.scope.key or "whole graph", graphVersion=network.version)
    for unit, attrs in node_attributes(network, known, view).items():
        g.add_node(unit, **attrs)
    for a, b, weight in network.graph.edges(data="weight"):
        ties = network.ties[(min(a, b), max(a, b))]
        g.add_edge(a, b, weight=float(weight), agreements=len(ties.agreements), alliances=len(ties.alliances),
                   claims=ties.claims, agreementIds=";".join(ties.agreements), allianceIds=";".join(ties.alliances))
    return g


def gexf(g: nx.Graph) -> bytes:
    return "\n".join(nx.generate_gexf(g)).encode("utf-8")


def graphml(g: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(g, buffer, encoding="utf-8")
    return buffer.getvalue()


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read Chinese text as UTF-8


def nodes_csv(g: nx.Graph) -> bytes:
    """Gephi's node table: Id, Label, then every attribute (known ones first)."""
    seen = {k for _, attrs in g.nodes(data=True) for k in attrs}
    keys = [k for k in (*_FIRST, *_SCORES) if k in seen]
    keys += sorted(seen - set(keys) - {"label"})
    rows = [[unit, attrs["label"], *(_cell(attrs.get(k)) for k in keys)] for unit, attrs in g.nodes(data=True)]
    return _csv(["Id", "Label", *keys], rows)


def edges_csv(g: nx.Graph) -> bytes:
    """Gephi's edge table: Source, Target, Type, Weight and what the tie is made of."""
    rows = [
        [a, b, "Undirected", attrs["weight"], *(_cell(attrs.get(k)) for k in EDGE_KEYS[1:])]
        for a, b, attrs in sorted(g.edges(data=True), key=lambda e: (min(e[0], e[1]), max(e[0], e[1])))
    ]
    return _csv(["Source", "Target", "Type", "Weight", *EDGE_KEYS[1:]], rows)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value
