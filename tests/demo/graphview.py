"""An independent reading of a demo Dataset as a plain graph, and each figure as a query on it.

Nothing here imports the demo builders: the figures are recomputed from rows and relationships
the way profiles.py documents them, so a builder that miscounts is caught.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from service.demo import Dataset
from service.model import Label


@dataclass
class GraphView:
    label: dict[str, Label] = field(default_factory=dict)
    props: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_label: dict[Label, list[str]] = field(default_factory=dict)
    by_type: dict[str, list[tuple[str, str, dict[str, Any]]]] = field(default_factory=dict)

    @classmethod
    def of(cls, dataset: Dataset) -> GraphView:
        view = cls()
        for label, rows in dataset.nodes.items():
            ids = view.by_label.setdefault(label, [])
            for row in rows:
                view.label[row["id"]] = label
                view.props[row["id"]] = row
                ids.append(row["id"])
        for batch in dataset.relationships:
            rels = view.by_type.setdefault(batch.type.value, [])
            rels += [(r.start, r.end, r.props) for r in batch.rows]
        return view

    @property
    def edges(self) -> list[tuple[str, str, str, dict[str, Any]]]:
        return [(t, s, e, p) for t, rels in self.by_type.items() for s, e, p in rels]

    def nodes(self, label: Label, **where: Any) -> list[str]:
        """Ids of `label` nodes whose props equal `where` (a tuple value means any of)."""
        out = []
        for node_id in self.by_label.get(label, []):
            props = self.props[node_id]
            if all(props.get(k) in v if isinstance(v, tuple) else props.get(k) == v for k, v in where.items()):
                out.append(node_id)
        return out

    def rels(self, type: str) -> list[tuple[str, str, dict[str, Any]]]:
        return self.by_type.get(type, [])


def _count(label: Label, **where: Any) -> Callable[[GraphView], int]:
    return lambda g: len(g.nodes(label, **where))


def _signatory_units(g: GraphView) -> int:
    return len({s for s, _, p in g.rels("PARTY_TO") if p.get("role") == "乙方"})


def _part_time_members(g: GraphView) -> int:
    return len({s for s, _, _ in g.rels("SERVES_ON")})


def _property_company_orgs(g: GraphView) -> int:
    return len({s for s, e, _ in g.rels("EMBEDDED_IN") if g.props[e].get("industry") == "物业服务"})


def _parking_spaces(g: GraphView) -> int:
    return sum(g.props[i]["quantity"] for i in g.nodes(Label.LIST_ITEM, list="RESOURCE", category="停车位"))


def _think_tank_members(g: GraphView) -> int:
    tanks = set(g.nodes(Label.TEAM, kind="THINK_TANK"))
    return len({s for s, e, _ in g.rels("SERVES_IN") if e in tanks})


def _lists(g: GraphView) -> int:
    return len({s for s, _, _ in g.rels("PUBLISHED")})


def _mobilised_orgs(g: GraphView) -> int:
    return len({e for _, e, _ in g.rels("BELONGS_TO")})


def _towns_with_regional_committees(g: GraphView) -> int:
    committees = set(g.nodes(Label.ALLIANCE, kind="REGIONAL_COMMITTEE"))
    covered = {e for s, e, _ in g.rels("COVERS") if s in committees}
    assert all(g.props[r]["level"] in ("STREET", "TOWN") for r in covered)
    return len(covered)


def _wenquan_orgs(g: GraphView) -> set[str]:
    alliances = set(g.nodes(Label.ALLIANCE, name="温泉风景名山区党委"))
    return {s for s, e, _ in g.rels("MEMBER_OF") if e in alliances}


def _wenquan_members(g: GraphView) -> int:
    orgs = _wenquan_orgs(g)
    return len({s for s, e, _ in g.rels("BELONGS_TO") if e in orgs})


def _reporting_units(g: GraphView) -> int:
    reporters = {s for s, _, _ in g.rels("REPORTED_TO")}
    return len({e for s, e, _ in g.rels("BELONGS_TO") if s in reporters})


def _reporting_members(g: GraphView) -> int:
    return len({s for s, _, _ in g.rels("REPORTED_TO")})


def _contributors(g: GraphView) -> int:
    return len({s for s, _, _ in g.rels("CONTRIBUTED")})


def _joint_meetings(g: GraphView) -> int:
    joint = set(g.nodes(Label.ALLIANCE, kind="JOINT_MEETING"))
    return len({s for s, e, _ in g.rels("OF") if e in joint})


def _agency_enterprise_pairings(g: GraphView) -> int:
    parties: dict[str, list[str]] = {}
    for s, e, _ in g.rels("PARTY_TO"):
        parties.setdefault(e, []).append(s)
    pairings = g.nodes(Label.AGREEMENT, kind="PAIRING")
    for agreement in pairings:
        kinds = sorted(
            g.props[p]["kind"] if g.label[p] is Label.ORGANISATION else "ENTERPRISE" for p in parties[agreement]
        )
        assert kinds == ["AGENCY", "ENTERPRISE"], (agreement, kinds)
    return len(pairings)


def _village_pairings(g: GraphView) -> int:
    parties: dict[str, list[str]] = {}
    for s, e, _ in g.rels("PARTY_TO"):
        parties.setdefault(e, []).append(s)
    pairings = g.nodes(Label.AGREEMENT, kind="PAIRING")
    for agreement in pairings:
        kinds = sorted(g.props[p]["kind"] for p in parties[agreement])
        assert len(kinds) == 2 and all(g.label[p] is Label.ORGANISATION for p in parties[agreement])
        assert len({"VILLAGE", "COMMUNITY"} & set(kinds)) == 1, kinds
        assert len({"AGENCY", "INSTITUTION", "SOE"} & set(kinds)) == 1, kinds
    return len(pairings)


def _over(threshold: int) -> Callable[[GraphView], int]:
    return lambda g: sum(1 for i in g.nodes(Label.SERVICE_CENTRE) if g.props[i]["areaM2"] > threshold)


# Each figure key, the way profiles.py documents it. Keys mean the same in every profile, except
# `pairings`, whose parties differ (villages' helpers in huadu).
FIGURES: dict[str, Callable[[GraphView], int]] = {
    "streets": _count(Label.REGION, level="STREET"),
    "towns_streets": _count(Label.REGION, level=("STREET", "TOWN")),
    "communities": _count(Label.REGION, level="COMMUNITY"),
    "villages": _count(Label.REGION, level="VILLAGE"),
    "urban_villages": _count(Label.REGION, level="VILLAGE"),
    "villages_communities": _count(Label.REGION, level=("VILLAGE", "COMMUNITY")),
    "grids": _count(Label.REGION, level="GRID"),
    "urban_grids": _count(Label.REGION, level="GRID", zone="URBAN"),
    "rural_grids": _count(Label.REGION, level="GRID", zone="RURAL"),
    "grids_level1": _count(Label.REGION, level="GRID", gridLevel=1),
    "grids_level2": _count(Label.REGION, level="GRID", gridLevel=2),
    "grids_level3": _count(Label.REGION, level="GRID", gridLevel=3),
    "signatory_units": _signatory_units,
    "part_time_members": _part_time_members,
    "property_company_orgs": _property_company_orgs,
    "list_items": _count(Label.LIST_ITEM),
    "parking_spaces": _parking_spaces,
    "street_working_committees": _count(Label.ALLIANCE, kind="STREET_WORKING_COMMITTEE"),
    "big_party_committees": _count(Label.ALLIANCE, kind="COMMUNITY_BIG_COMMITTEE"),
    "economic_coop_branches": _count(Label.ALLIANCE, kind="ECONOMIC_COOP_BRANCH"),
    "regional_committees": _count(Label.ALLIANCE, kind="REGIONAL_COMMITTEE"),
    "industry_committees": _count(Label.ALLIANCE, kind="INDUSTRY_COMMITTEE"),
    "joint_meeting_alliances": _count(Label.ALLIANCE, kind="JOINT_MEETING"),
    "service_centres": _count(Label.SERVICE_CENTRE),
    "service_centres_over_3000m2": _over(3000),
    "service_centres_over_10000m2": _over(10_000),
    "think_tanks": _count(Label.TEAM, kind="THINK_TANK"),
    "think_tank_members": _think_tank_members,
    "teams": _count(Label.TEAM, kind=("COMMANDO", "VOLUNTEER")),
    "lists": _lists,
    "meetings": _count(Label.MEETING),
    "joint_meetings": _joint_meetings,
    "important_matters": _count(Label.MATTER, mode="要事共决"),
    "matters_done": _count(Label.MATTER, status="DONE"),
    "village_community_orgs": _count(Label.ORGANISATION, kind=("VILLAGE", "COMMUNITY")),
    "grid_orgs": _count(Label.ORGANISATION, kind="GRID"),
    "pairings": _village_pairings,
    "agency_enterprise_pairings": _agency_enterprise_pairings,
    "mobilised_orgs": _mobilised_orgs,
    "members": _count(Label.MEMBER),
    "towns_with_regional_committees": _towns_with_regional_committees,
    "wenquan_member_orgs": lambda g: len(_wenquan_orgs(g)),
    "wenquan_members": _wenquan_members,
    "reporting_units": _reporting_units,
    "reporting_members": _reporting_members,
    "wish_warehouses": _count(Label.ENTERPRISE, wishWarehouse=True),
    "wishes": _count(Label.WISH),
    "wishes_claimed": _count(Label.WISH, status=("ACCEPTED", "FULFILLED", "RATED")),
    "wishes_fulfilled": _count(Label.WISH, status=("FULFILLED", "RATED")),
    "contributors": _contributors,
}


def recompute(dataset: Dataset) -> dict[str, int]:
    view = GraphView.of(dataset)
    return {key: FIGURES[key](view) for key in dataset.figures}


def label_counts(dataset: Dataset) -> Counter[Label]:
    return Counter({label: len(rows) for label, rows in dataset.nodes.items()})


def digest(dataset: Dataset) -> str:
    """A fingerprint of everything a dataset would write."""
    h = hashlib.sha256()
    for label, rows in dataset.nodes.items():
        h.update(repr((label.value, rows)).encode())
    for b in dataset.relationships:
        h.update(repr((b.type.value, b.start.value, b.end.value, [(r.start, r.end, r.props) for r in b.rows])).encode())
    h.update(repr(dataset.claims).encode())
    return h.hexdigest()
