"""The model registry: the one place that says what the graph is.

Each label declares its properties (type, required, personal or not, searchable, sortable), the
path from one of its nodes to the region it belongs to, and its GraphQL type; each relationship
type declares its allowed ends, which end holds at most one of it, and what a write does to the
link it replaces. Everything else is derived from here or checked against it by
tests/test_registry.py: the region-scope Cypher fragments and the embedded store's mirror of
them, the full-text index, the cardinality both stores apply on every write (API and loaders
alike), the masking of personal properties and the GraphQL enums.

Adding a label: a `Label` member (service/model.py), a `LabelSpec` here, its relationship types
here, a strawberry type (service/api/<domain>/types.py), a schema migration for its id constraint
(and the full-text index when it is searchable) and its display names (web/src/enums.json); the
README's "How it is built" lists the commands that regenerate the rest. tests/test_registry.py
names whatever is missing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any

from service.model import (
    AgreementKind,
    AgreementStatus,
    AllianceKind,
    ClaimStatus,
    Label,
    ListKind,
    MatterMode,
    MatterStatus,
    MembershipRole,
    OrgKind,
    OrgLevel,
    Ownership,
    RegionLevel,
    RelType,
    Supply,
    TeamKind,
    WishStatus,
)


class PropType(StrEnum):
    STRING = "string"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    DATE = "date"  # ISO yyyy-mm-dd, stored as text (it orders correctly)
    STRINGS = "strings"  # a list of strings


class Mask(StrEnum):
    """How a personal value is shown to roles that may not see it (service.masking)."""

    NAME = "name"  # 张*
    PHONE = "phone"  # 138****1234
    ID_NUMBER = "idNumber"  # 650*************12
    ADDRESS = "address"  # 乌鲁木****
    HIDDEN = "hidden"  # not shown at all (who received help: the disabled, low-income households)


class Single(StrEnum):
    """Which end of a relationship type holds at most one of them."""

    START = "start"  # e.g. a region is PART_OF one parent: a new parent replaces the old one
    END = "end"  # e.g. an item is PUBLISHED by one unit: a new publisher replaces the old one


class OnReplace(StrEnum):
    """What writing a single-valued link does to the one it replaces."""

    REMOVE = "remove"  # the old link is deleted in the same transaction


@dataclass(frozen=True, slots=True)
class Prop:
    name: str
    kind: PropType = PropType.STRING
    required: bool = False
    personal: Mask | None = None  # PIPL art. 28: masked for every role but admin
    searchable: bool = False  # in the full-text index (never when personal)
    sortable: bool = False  # a listing may order by it
    values: type[StrEnum] | None = None  # the enum its values come from
    stats: bool = False  # region statistics group by it ("kind"; the first present one counts)
    kept: bool = False  # kept by the stores themselves in the writer's transaction: no row may set it


@dataclass(frozen=True, slots=True)
class Step:
    """One hop of a region path: over `type`, outgoing from the node or incoming into it."""

    type: RelType
    outgoing: bool = True


@dataclass(frozen=True, slots=True)
class LabelSpec:
    label: Label
    graphql: str  # the GraphQL object type that shows it
    description: str
    # The hops from a node of this label to the Region(s) it belongs to; () for a Region itself,
    # whose subtree is followed over PART_OF. A node belongs to every region its path reaches.
    # None: a record of the service itself (an Import), in no region: a region-scoped key never sees it.
    region_path: tuple[Step, ...] | None
    props: tuple[Prop, ...] = ()

    def prop(self, name: str) -> Prop | None:
        return next((p for p in self.props if p.name == name), None)

    @property
    def personal(self) -> dict[str, Mask]:
        return {p.name: p.personal for p in self.props if p.personal is not None}

    @property
    def searchable(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.props if p.searchable)

    @property
    def sortable(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.props if p.sortable)

    @property
    def stats_keys(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.props if p.stats)

    @property
    def kept(self) -> frozenset[str]:
        return frozenset(p.name for p in self.props if p.kept)


@dataclass(frozen=True, slots=True)
class RelSpec:
    type: RelType
    ends: frozenset[tuple[Label, Label]]
    description: str
    single: Single | None = None
    per: str | None = None  # with `single`: one link per value of this property (PARTY_TO: per role)
    on_replace: OnReplace | None = None  # set exactly when `single` is
    props: tuple[Prop, ...] = ()
    written_by: str | None = None  # a port method that alone writes it (CLAIMED: claim_item checks quantities)

    @property
    def personal(self) -> dict[str, Mask]:
        return {p.name: p.personal for p in self.props if p.personal is not None}


# The units of an alliance (they sign, publish, claim and are analysed) and the actors of a wish.
UNITS: tuple[Label, ...] = (Label.ORGANISATION, Label.ENTERPRISE)
ACTORS: tuple[Label, ...] = (Label.MEMBER, Label.ORGANISATION, Label.ENTERPRISE)
_S, _I, _F, _B, _D = PropType.STRING, PropType.INT, PropType.FLOAT, PropType.BOOL, PropType.DATE
_ID = Prop("id", required=True, sortable=True)


def _name(**kw: Any) -> Prop:
    return Prop("name", searchable=True, sortable=True, **kw)


def _title(**kw: Any) -> Prop:
    return Prop("title", searchable=True, sortable=True, **kw)


_LOCATED = Step(RelType.LOCATED_IN)
# Kept on a withdrawn node (withdraw(id:, reason:)): when, why and by which key; the node stays in the
# graph, hidden from every listing, total, search and analysis but an admin's (service/graph/withdrawal.py).
# written only by `withdraw` (kept: a loaded or submitted row may not withdraw a record by setting them)
WITHDRAWN_PROPS = (Prop("withdrawn", kept=True), Prop("withdrawnReason", kept=True), Prop("withdrawnBy", kept=True))

LABELS: tuple[LabelSpec, ...] = (
    LabelSpec(Label.REGION, "Region", "An administrative region (GB/T 2260 code) or a grid.", (), (
        _ID, _name(required=True), Prop("kind", stats=True),
        Prop("level", values=RegionLevel, sortable=True, stats=True),
        Prop("gridLevel", _I), Prop("zone"))),
    LabelSpec(Label.ORGANISATION, "Organisation", "A party organisation.", (_LOCATED,), (
        _ID, _name(required=True), Prop("kind", values=OrgKind, sortable=True, stats=True),
        Prop("level", values=OrgLevel, sortable=True, stats=True),
        # contacts an office's files carry (书记, 联系人, 电话): a person's name and phone
        Prop("secretary", personal=Mask.NAME), Prop("contact", personal=Mask.NAME),
        Prop("phone", personal=Mask.PHONE), Prop("contactPhone", personal=Mask.PHONE), *WITHDRAWN_PROPS)),
    LabelSpec(Label.ENTERPRISE, "Enterprise", "An enterprise, by its unified social credit code.", (_LOCATED,), (
        _ID, _name(required=True), Prop("industry", sortable=True),
        Prop("ownership", values=Ownership, sortable=True, stats=True), Prop("wishWarehouse", _B),
        Prop("contact", personal=Mask.NAME), Prop("phone", personal=Mask.PHONE),
        Prop("contactPhone", personal=Mask.PHONE), *WITHDRAWN_PROPS)),
    LabelSpec(Label.MEMBER, "Member", "A party member; personal data masked but for admin.",
              (Step(RelType.BELONGS_TO), _LOCATED), (
        _ID, Prop("name", personal=Mask.NAME), Prop("joinedOn", _D), Prop("inService", _B), Prop("probationary", _B),
        Prop("phone", personal=Mask.PHONE), Prop("idNumber", personal=Mask.ID_NUMBER),
        Prop("address", personal=Mask.ADDRESS))),
    LabelSpec(Label.ALLIANCE, "Alliance", "A regional party-building alliance.", (Step(RelType.COVERS),), (
        _ID, _name(required=True), Prop("kind", values=AllianceKind, sortable=True, stats=True), Prop("model"))),
    LabelSpec(Label.AGREEMENT, "Agreement", "A co-building agreement and its parties.",
              (Step(RelType.PARTY_TO, outgoing=False), _LOCATED), (
        _ID, _title(), Prop("kind", values=AgreementKind, sortable=True, stats=True),
        Prop("status", values=AgreementStatus, sortable=True), Prop("signedOn", _D, sortable=True),
        Prop("validFrom", _D, sortable=True), Prop("validTo", _D, sortable=True), *WITHDRAWN_PROPS)),
    LabelSpec(Label.LIST_ITEM, "ListItem", "A need, resource or project on a unit's list.",
              (Step(RelType.PUBLISHED, outgoing=False), _LOCATED), (
        _ID, _title(), Prop("list", values=ListKind, required=True, stats=True), Prop("category", sortable=True),
        Prop("quantity", _F, sortable=True), Prop("unit"), Prop("status", sortable=True),
        Prop("publishedOn", _D, sortable=True),
        # the ACTIVE claims' quantity and quantity less it, written by every writer of the item or
        # its claims (indexed: the unclaimed filter and a page by remaining are index seeks)
        Prop("claimed", _F, kept=True), Prop("remaining", _F, sortable=True, kept=True),
        *WITHDRAWN_PROPS)),
    LabelSpec(Label.WISH, "Wish", "A resident's micro-wish (微心愿).", (Step(RelType.IN),), (
        _ID, Prop("title"), Prop("category"), Prop("status", values=WishStatus), Prop("rating", _I),
        Prop("ratingComment"), Prop("cancelReason"), Prop("publishedOn", _D), Prop("dispatchedOn", _D),
        Prop("acceptedOn", _D), Prop("fulfilledOn", _D), Prop("ratedOn", _D), Prop("cancelledOn", _D),
        Prop("recipient", personal=Mask.HIDDEN),
        Prop("recipientPhone", personal=Mask.HIDDEN), Prop("recipientAddress", personal=Mask.HIDDEN))),
    LabelSpec(Label.MEETING, "Meeting", "A joint meeting of an alliance.",
              (Step(RelType.OF), Step(RelType.COVERS)), (
        _ID, Prop("heldOn", _D), Prop("kind", stats=True), Prop("topic"))),
    LabelSpec(Label.MATTER, "Matter", "A matter decided at a meeting (五事联办).",
              (Step(RelType.DECIDED_AT), Step(RelType.OF), Step(RelType.COVERS)), (
        _ID, Prop("title"), Prop("mode", values=MatterMode, stats=True), Prop("status", values=MatterStatus),
        Prop("due", _D), Prop("doneOn", _D))),
    LabelSpec(Label.TEAM, "Team", "A volunteer team, commando, think tank or stationed team.",
              (Step(RelType.ORGANISED_BY), _LOCATED), (
        _ID, _name(), Prop("kind", values=TeamKind, stats=True))),
    LabelSpec(Label.SERVICE_CENTRE, "ServiceCentre", "A party-mass service centre (党群服务中心).",
              (Step(RelType.IN),), (
        _ID, _name(), Prop("areaM2", _F), Prop("offers", PropType.STRINGS))),
    LabelSpec(Label.IMPORT, "Import", "A file loaded by `alliance load` or POST /import: who loaded what, when, "
              "with what result.", None, (
        _ID, Prop("file", required=True, sortable=True), Prop("sha256", required=True), Prop("kind", sortable=True),
        Prop("keyId", required=True), Prop("at", required=True, sortable=True), Prop("format"),
        Prop("written", _B), Prop("strict", _B), Prop("dryRun", _B), Prop("rows", _I), Prop("created", _I),
        Prop("updated", _I), Prop("unchanged", _I), Prop("rejected", _I), Prop("rejectsFile"), Prop("error"))),
    LabelSpec(Label.API_KEY, "ApiKey", "An API key made by `alliance keys create`: its role, region and dates, and "
              "a salted scrypt hash of its secret (never the secret); read only by service/keys.py.", None, (
        _ID, Prop("role", required=True), Prop("regionId"), Prop("note"), Prop("created", required=True, sortable=True),
        Prop("expires"), Prop("revoked"), Prop("rotated"), Prop("salt", required=True), Prop("hash", required=True))),
    LabelSpec(Label.AUDIT_RECORD, "AuditRecord", "One audited operation (service/audit.py): when, which key, role and "
              "region, the operation, the ids it touched and its outcome; never a personal value. Append-only.", None, (
        _ID, Prop("at", required=True, sortable=True), Prop("keyId", required=True), Prop("role", required=True),
        Prop("regionId"), Prop("operation", required=True), Prop("ids", PropType.STRINGS),
        Prop("outcome", required=True))),
    LabelSpec(Label.AGREEMENT_VERSION, "AgreementVersion", "An agreement as it was before a change (a renewal, "
              "a status change, parties changed by a load or a mutation): what changed, before and after, when "
              "and by which operation and key. Read through Agreement.history, which the agreement's scope guards.",
              None, (
        _ID, Prop("agreement", required=True), Prop("at", required=True, sortable=True),
        Prop("operation"), Prop("keyId"), Prop("fields", PropType.STRINGS),
        Prop("changes", required=True),  # JSON: [{field, before, after}], no personal value
        Prop("signatories", personal=Mask.NAME))),  # JSON: [{field, before, after}] of signatories' names
    LabelSpec(Label.UNIT_MERGE, "UnitMerge", "A duplicate unit merged into another by mergeUnits: both ids, the "
              "relationships moved and merged, when and by which key. The removed id answers MERGED naming the "
              "unit kept.", None, (
        _ID, Prop("kept", required=True), Prop("removed", required=True), Prop("label", required=True),
        Prop("removedName"), Prop("at", required=True, sortable=True), Prop("operation"), Prop("keyId"),
        Prop("moved", _I), Prop("merged", _I), Prop("dropped", _I))),
)

@dataclass(frozen=True, slots=True)
class TallySpec:
    """Counts a store keeps of one label's nodes per combination of the values its listings filter on,
    so a filtered total is a sum over a few tallies instead of one index entry per node (Neo4j keeps no
    count per property value). Neo4j only: the embedded store counts from its ordered indexes.

    Every statement that writes a node of `label` ends with fragments/tally.cypher, which moves each
    touched node from the tally of its values before the write to the tally of its values after it, in
    the writer's transaction; migration 011_item_tallies builds them for a database written before.
    A tally node (label `tally`, never an :Entity, never listed) holds `key` (unique: the combination),
    the `by` values, `unclaimed` (remaining > 0; false when <= 0, absent when remaining is),
    `withdrawn` (bool) and `count`. A batch of new items may count into a shard's tallies (the key ends
    in #<n>: the loader's concurrent batches do not wait on each other's locks); a total sums them all."""

    label: Label
    tally: str  # the tally nodes' label: a store record, not a label of the model's graph
    by: tuple[str, ...]  # properties of `label` whose values key a tally (each an equality filter)
    flags: tuple[str, ...] = ("unclaimed", "withdrawn")  # derived: remaining > 0, withdrawn IS NOT NULL


ITEM_TALLY = TallySpec(Label.LIST_ITEM, "ItemTally", ("list", "category", "status"))
TALLIES: tuple[TallySpec, ...] = (ITEM_TALLY,)

# Labels whose nodes Neo4j also keeps as region entries (schema/013_region_entries.cypher): one
# (:RegionEntry {region, label, id}) per node and region whose subtree holds it, kept by the same writers
# as the region tallies (queries/census_settle.cypher). A region's page of them by id is an index seek that
# stops after the page, where the walk down a district read every unit and item (bench/RESULTS.md, session
# 12). The entries hold withdrawn nodes too, as the tallies count them.
REGION_ENTRIES: tuple[Label, ...] = (*UNITS, Label.LIST_ITEM)

# Labels withdraw(id:, reason:) may withdraw: the units, their agreements and list items.
WITHDRAWABLE: tuple[Label, ...] = (*UNITS, Label.AGREEMENT, Label.LIST_ITEM)
# The service's own records: in no region, never listed to a region-scoped key.
RECORDS: tuple[Label, ...] = (Label.IMPORT, Label.API_KEY, Label.AUDIT_RECORD, Label.AGREEMENT_VERSION,
                              Label.UNIT_MERGE)

_SIGNATORY = Prop("signatory", personal=Mask.NAME)  # who signed for the unit: a person's name
_ON = Prop("on", _D)

RELATIONSHIPS_SPEC: tuple[RelSpec, ...] = (
    RelSpec(RelType.PART_OF, frozenset({(Label.REGION, Label.REGION)}), "A region inside its parent.",
            Single.START, on_replace=OnReplace.REMOVE),
    RelSpec(RelType.UNDER, frozenset({(Label.ORGANISATION, Label.ORGANISATION)}), "Party hierarchy (隶属).",
            Single.START, on_replace=OnReplace.REMOVE),
    RelSpec(RelType.LOCATED_IN, frozenset((u, Label.REGION) for u in UNITS), "Where a unit is."),
    RelSpec(RelType.EMBEDDED_IN, frozenset({(Label.ORGANISATION, Label.ENTERPRISE)}),
            "An enterprise's party organisation.", Single.START, on_replace=OnReplace.REMOVE),
    RelSpec(RelType.LED_BY, frozenset({(Label.ALLIANCE, Label.ORGANISATION)}), "An alliance's lead.",
            Single.START, on_replace=OnReplace.REMOVE),
    RelSpec(RelType.COVERS, frozenset({(Label.ALLIANCE, Label.REGION)}), "The regions an alliance covers."),
    RelSpec(RelType.MEMBER_OF, frozenset({(Label.ORGANISATION, Label.ALLIANCE)}), "Membership of an alliance.",
            props=(Prop("role", values=MembershipRole), Prop("since", _D))),
    RelSpec(RelType.PARTY_TO, frozenset((u, Label.AGREEMENT) for u in UNITS), "A party of an agreement.",
            Single.END, per="role", on_replace=OnReplace.REMOVE, props=(Prop("role"), _SIGNATORY)),
    RelSpec(RelType.PUBLISHED, frozenset((u, Label.LIST_ITEM) for u in UNITS), "Who published a list item.",
            Single.END, on_replace=OnReplace.REMOVE),
    RelSpec(RelType.INCLUDES, frozenset({(Label.AGREEMENT, Label.LIST_ITEM)}), "Items an agreement includes."),
    RelSpec(RelType.CLAIMED, frozenset((u, Label.LIST_ITEM) for u in UNITS), "A claim (认领) on a list item.",
            props=(Prop("id", required=True), _ON, Prop("quantity", _F), Prop("status", values=ClaimStatus)),
            written_by="claim_item"),
    RelSpec(RelType.BELONGS_TO, frozenset({(Label.MEMBER, Label.ORGANISATION)}), "A member's organisation.",
            Single.START, on_replace=OnReplace.REMOVE),
    RelSpec(RelType.REPORTED_TO, frozenset({(Label.MEMBER, Label.ORGANISATION)}), "双报到 to a community.",
            props=(_ON, Prop("post"))),
    RelSpec(RelType.SERVES_ON, frozenset({(Label.MEMBER, Label.ALLIANCE)}), "A part-time committee member.",
            props=(Prop("role"),)),
    RelSpec(RelType.RESPONSIBLE_FOR, frozenset({(Label.MEMBER, Label.REGION)}), "A member's grid duty."),
    RelSpec(RelType.IN, frozenset({(Label.WISH, Label.REGION), (Label.SERVICE_CENTRE, Label.REGION)}),
            "Where a wish or service centre is.", Single.START, on_replace=OnReplace.REMOVE),
    RelSpec(RelType.DISPATCHED_TO, frozenset({(Label.WISH, Label.ORGANISATION)}), "Who a wish was dispatched to.",
            Single.START, on_replace=OnReplace.REMOVE, props=(_ON,)),
    RelSpec(RelType.ACCEPTED, frozenset((a, Label.WISH) for a in ACTORS), "Who accepted a wish.",
            Single.END, on_replace=OnReplace.REMOVE, props=(_ON,)),
    RelSpec(RelType.CONTRIBUTED, frozenset((a, Label.WISH) for a in ACTORS), "Who contributed to a wish.",
            props=(_ON, Prop("supply"))),
    RelSpec(RelType.OF, frozenset({(Label.MEETING, Label.ALLIANCE)}), "The alliance a meeting is of.",
            Single.START, on_replace=OnReplace.REMOVE),
    RelSpec(RelType.ATTENDED, frozenset({(Label.ORGANISATION, Label.MEETING)}), "Who attended a meeting.",
            props=(Prop("role"),)),
    RelSpec(RelType.DECIDED_AT, frozenset({(Label.MATTER, Label.MEETING)}), "The meeting a matter was decided at.",
            Single.START, on_replace=OnReplace.REMOVE),
    RelSpec(RelType.ASSIGNED_TO, frozenset({(Label.MATTER, Label.ORGANISATION)}), "The unit responsible for a matter.",
            Single.START, on_replace=OnReplace.REMOVE, props=(Prop("person", personal=Mask.NAME), _ON)),
    RelSpec(RelType.SERVES_IN, frozenset({(Label.MEMBER, Label.TEAM)}), "A member of a team."),
    RelSpec(RelType.ORGANISED_BY, frozenset({(Label.TEAM, Label.ORGANISATION)}), "A team's organiser.",
            Single.START, on_replace=OnReplace.REMOVE),
    RelSpec(RelType.RUN_BY, frozenset({(Label.SERVICE_CENTRE, Label.ORGANISATION)}), "A service centre's operator.",
            Single.START, on_replace=OnReplace.REMOVE),
)


@dataclass(frozen=True, slots=True)
class EnumSpec:
    """A model enum as GraphQL shows it: the API takes and answers its names."""

    values: type[StrEnum]
    graphql: str
    description: str | None = None


ENUMS: tuple[EnumSpec, ...] = (
    EnumSpec(AgreementKind, "AgreementKind"),
    EnumSpec(AgreementStatus, "AgreementStatus"),
    EnumSpec(OrgKind, "OrganisationKind"),
    EnumSpec(OrgLevel, "OrganisationLevel"),
    EnumSpec(Ownership, "Ownership"),
    EnumSpec(ListKind, "ListKindInput"),
    EnumSpec(WishStatus, "WishStatus"),
    EnumSpec(MatterStatus, "MatterStatus"),
    EnumSpec(Supply, "WarehouseSupply", "How a wish warehouse supplied the goods."),
    EnumSpec(MatterMode, "MatterMode", "五事联办: 大事共议 MAJOR, 实事共办 PRACTICAL, 要事共决 IMPORTANT, "
                                       "急事共商 URGENT, 难事共解 DIFFICULT."),
    EnumSpec(TeamKind, "TeamKind", "志愿服务队 VOLUNTEER, 党员突击队 COMMANDO, 治理智囊团 THINK_TANK, "
                                   "驻村工作队 STATIONED."),
)


# lookups ------------------------------------------------------------------------------------
@cache
def _labels() -> Mapping[Label, LabelSpec]:
    return {spec.label: spec for spec in LABELS}


@cache
def _rels() -> Mapping[RelType, RelSpec]:
    return {spec.type: spec for spec in RELATIONSHIPS_SPEC}


def label_spec(label: Label) -> LabelSpec:
    return _labels()[label]


def rel_spec(type: RelType) -> RelSpec:
    return _rels()[type]


def labels() -> Iterator[LabelSpec]:
    return iter(LABELS)


def relationship_types() -> Iterator[RelSpec]:
    return iter(RELATIONSHIPS_SPEC)


@cache
def allowed_ends() -> Mapping[RelType, frozenset[tuple[Label, Label]]]:
    """(start, end) label pairs allowed for each relationship type; everything else is refused."""
    return {spec.type: spec.ends for spec in RELATIONSHIPS_SPEC}


@cache
def searchable_labels() -> frozenset[Label]:
    return frozenset(spec.label for spec in LABELS if spec.searchable)


@cache
def searchable_properties() -> tuple[str, ...]:
    return tuple(sorted({name for spec in LABELS for name in spec.searchable}))


@cache
def personal_properties() -> Mapping[Label, Mapping[str, Mask]]:
    """Per label, its personal properties and their masks (looked up per field: computed once)."""
    return {spec.label: spec.personal for spec in LABELS if spec.personal}


@cache
def personal_relationship_properties() -> Mapping[RelType, Mapping[str, Mask]]:
    return {spec.type: spec.personal for spec in RELATIONSHIPS_SPEC if spec.personal}


@cache
def stats_keys() -> Mapping[str, list[str]]:
    """Per label name, the properties a region count groups by, first present first (rendered into
    fragments/census.cypher by region_scope; kind_of below for the embedded store)."""
    return {spec.label.value: list(spec.stats_keys) for spec in LABELS}


def kind_of(label: Label, props: Mapping[str, Any]) -> Any:
    """The `kind` a region count groups a node by: the first of its label's stats keys it has."""
    for key in stats_keys()[label.value]:
        if props.get(key) is not None:
            return props[key]
    return None


@cache
def has_status(label: Label) -> bool:
    """Whether the label declares a `status` (an agreement, item, wish, matter): a region count groups by it."""
    return label_spec(label).prop("status") is not None


def status_of(label: Label, props: Mapping[str, Any]) -> Any:
    """The `status` a region count groups a node by: its declared status; None for a label that declares none
    (so Neo4j's census need not read the label's nodes at all: a member is counted from its links)."""
    return props.get("status") if has_status(label) else None


@dataclass(frozen=True, slots=True)
class RegionPath:
    """Labels sharing one path to their region (the scope rules group them this way)."""

    labels: tuple[Label, ...]
    steps: tuple[Step, ...] = field(default=())


@cache
def region_paths() -> tuple[RegionPath, ...]:
    grouped: dict[tuple[Step, ...], list[Label]] = {}
    for spec in LABELS:
        if spec.region_path is None:
            continue
        grouped.setdefault(spec.region_path, []).append(spec.label)
    return tuple(RegionPath(tuple(found), steps) for steps, found in grouped.items())
