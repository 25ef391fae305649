"""The history and corrections types: an agreement's versions (Agreement.history), a withdrawal's
mark (`withdrawn` on units, agreements and list items) and the record a merge of units leaves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.dataloader import DataLoader

from service import masking
from service.api.shared.nodes import Entity, Info, build, entity, text
from service.graph import versions
from service.graph.records import MAX_PAGE
from service.graph.types import Condition, Node, Op, Query
from service.model import Label
from service.registry import Mask

if TYPE_CHECKING:
    from service.api.shared.refs import Unit


@strawberry.type(description="When and why a record was withdrawn (withdraw(id:, reason:)) and by which key. "
                             "A withdrawn record stays in the graph, left out of listings, totals, search and "
                             "analytics for every role but admin.")
class Withdrawal:
    on: str = strawberry.field(description="When (UTC, ISO 8601).")
    reason: str | None
    by: str | None = strawberry.field(description="The key id that withdrew it (never the key).")


def withdrawal(node: Node) -> Withdrawal | None:
    on = node.props.get("withdrawn")
    if on is None:
        return None
    return Withdrawal(on=str(on), reason=text(node.props.get("withdrawnReason")),
                      by=text(node.props.get("withdrawnBy")))


@strawberry.type(description="One field an agreement version changed: its value before and after.")
class AgreementChange:
    field: str = strawberry.field(description="A property (status, validTo…), `parties` (role: unit id; …), "
                                             "or `signatory:<role>`.")
    before: str | None
    after: str | None


@entity(Label.AGREEMENT_VERSION)
@strawberry.type(description="An agreement as a change left it: what changed (before and after), when, and by "
                             "which operation and key. Agreement.history lists them newest first.")
class AgreementVersion(Entity):
    agreement: str | None = strawberry.field(description="The agreement's id.")
    at: str | None = strawberry.field(description="When (UTC, ISO 8601).")
    operation: str | None = strawberry.field(description="The mutation (signAgreement, mergeUnits…) or the "
                                                        "load (load:agreements) that made the change.")
    key_id: str | None = strawberry.field(description="The key that made it (its id, never the key); `cli` "
                                                     "for the command line.")
    fields: list[str] | None = strawberry.field(description="The names of the fields that changed.")
    raw: strawberry.Private[Node]

    @strawberry.field(description="What changed, but the signatories.")
    def changes(self) -> list[AgreementChange]:
        return [AgreementChange(field=c["field"], before=c.get("before"), after=c.get("after"))
                for c in versions.decoded(self.raw.props.get("changes"))]

    @strawberry.field(description="Signatories that changed, per role; names masked but for admin.")
    def signatories(self, info: Info) -> list[AgreementChange]:
        sees = info.context.caller.sees_personal_data
        found = versions.decoded(self.raw.props.get("signatories"))
        return [AgreementChange(field=c["field"], before=_name(c.get("before"), sees),
                                after=_name(c.get("after"), sees)) for c in found]

    @strawberry.field(description="A renewal (续签): the agreement now runs to a later date than before.")
    def renewal(self) -> bool:
        for c in versions.decoded(self.raw.props.get("changes")):
            if c["field"] == "validTo":
                return bool(c.get("after") and (c.get("before") is None or c["after"] > c["before"]))
        return False


def _name(value: Any, sees_personal_data: bool) -> str | None:
    return text(value if sees_personal_data else masking.mask(Mask.NAME, value))


def _version_loader(info: Info) -> DataLoader[str, list[Node]]:
    """Versions of many agreements in one store call per request."""
    loaders = info.context.loaders
    found: DataLoader[str, list[Node]] | None = loaders.get("agreement_versions")
    if found is None:
        store = info.context.store

        async def load(ids: list[str]) -> list[list[Node]]:
            page = await store.list_nodes(Query(Label.AGREEMENT_VERSION, where=(Condition("agreement", Op.IN, ids),),
                                                order_by="at", descending=True, first=MAX_PAGE))
            return [[n for n in page.items if n.props.get("agreement") == i] for i in ids]

        found = loaders["agreement_versions"] = DataLoader(load_fn=load)
    return found


async def history(info: Info, agreement_id: str) -> list[AgreementVersion]:
    return [build(AgreementVersion, n) for n in await _version_loader(info).load(agreement_id)]


@entity(Label.UNIT_MERGE)
@strawberry.type(description="The record mergeUnits leaves: the unit kept, the duplicate removed, and what moved.")
class UnitMerge(Entity):
    kept: str | None = strawberry.field(description="The id of the unit kept.")
    removed: str | None = strawberry.field(description="The id removed; asking for it answers MERGED naming `kept`.")
    label: str | None = strawberry.field(description="Organisation or Enterprise.")
    removed_name: str | None
    at: str | None
    operation: str | None
    key_id: str | None
    moved: int | None = strawberry.field(description="Relationships moved to the unit kept.")
    merged: int | None = strawberry.field(description="Relationships both had: kept once, the kept unit's values "
                                                     "first.")
    dropped: int | None = strawberry.field(description="Relationships that went: between the two units, or a "
                                                      "single-valued one the unit kept already had.")
    raw: strawberry.Private[Node]


@strawberry.type
class WithdrawPayload:
    id: strawberry.ID
    label: str
    withdrawn: Withdrawal


@strawberry.type
class MergeUnitsPayload:
    kept: Annotated["Unit", strawberry.lazy("service.api.units.types")]
    record: UnitMerge
