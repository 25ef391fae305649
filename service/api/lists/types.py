"""ListItem and a claim on one (ItemClaim), the listing's inputs and the claim mutations' payload.

An item from a listing (listItems, coverageGaps) carries the listing's answer for it: its claimed
and remaining quantities and its publisher's id, so those fields neither recompute nor walk to
the publisher again. An item reached another way (node(id:), an agreement, a claim) reads them
from its properties and its PUBLISHED relationship."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

import service.api.shared.enums  # noqa: F401  (names the model's enums before the types use them)
from service.api.corrections.types import Withdrawal, withdrawal
from service.api.shared.nodes import Entity, Info, build, by_id, entity, rel, rel_nodes, rel_one, text, wrap
from service.graph.types import Claim, Item, Node
from service.model import Label, ListKind, RelType

if TYPE_CHECKING:
    from service.api.shared.refs import Agreement, Unit


@strawberry.type(description="A claim on a list item (CLAIMED).")
class ItemClaim:
    id: strawberry.ID | None
    on: str | None
    quantity: float | None
    status: str | None
    claimant: Annotated["Unit", strawberry.lazy("service.api.units.types")]
    item: ListItem


def claim(props: dict[str, object], unit: Node, item: Node) -> ItemClaim:
    quantity = props.get("quantity")
    return ItemClaim(
        id=strawberry.ID(str(props["id"])) if props.get("id") is not None else None,
        on=text(props.get("on")), quantity=float(quantity) if isinstance(quantity, (int, float)) else None,
        status=text(props.get("status")), claimant=wrap(unit), item=wrap(item),
    )


def days_unclaimed(props: dict[str, object]) -> int | None:
    """Days since a list item was published, while some of it is still open to claim."""
    published, quantity, claimed = props.get("publishedOn"), props.get("quantity") or 0, props.get("claimed") or 0
    if props.get("status") == "CLOSED" or not isinstance(published, str):
        return None
    if not isinstance(quantity, (int, float)) or not isinstance(claimed, (int, float)) or claimed >= quantity:
        return None
    try:
        return (date.today() - date.fromisoformat(published[:10])).days
    except ValueError:
        return None


@entity(Label.LIST_ITEM)
@strawberry.type(description="A need, resource or project on a unit's list (三张清单).")
class ListItem(Entity):
    list_: str | None = strawberry.field(name="list", description="NEED, RESOURCE or PROJECT.")
    title: str | None
    category: str | None
    quantity: float | None
    unit: str | None
    status: str | None
    published_on: str | None
    raw: strawberry.Private[Node]
    listed: strawberry.Private[Item | None] = None  # the listing's answer for this item, when it came from one

    @strawberry.field(description="When and why it was withdrawn; null while current.")
    def withdrawn(self) -> Withdrawal | None:
        return withdrawal(self.raw)

    def _claimed(self) -> float:
        if self.listed is not None:
            return float(self.listed.claimed)
        return float(self.raw.props.get("claimed") or 0)

    @strawberry.field(description="Quantity under active claims.")
    def claimed(self) -> float:
        return self._claimed()

    @strawberry.field(description="Quantity still open to claim.")
    def remaining(self) -> float:
        if self.listed is not None:
            return float(self.listed.remaining)
        return float(self.raw.props.get("quantity") or 0) - self._claimed()

    @strawberry.field(description="Days since published while quantity is still open to claim; null when fully "
                                  "claimed, closed or undated.")
    def days_unclaimed(self) -> int | None:
        return days_unclaimed(self.raw.props)

    @strawberry.field
    async def publisher(self, info: Info) -> Annotated["Unit", strawberry.lazy("service.api.units.types")] | None:
        if self.listed is not None:
            if self.listed.publisher is not None and info.context.region_id is None:
                return wrap(self.listed.publisher)  # the listing read it with the item
            # a scoped key: the publisher by id with the page's others, checked against the region
            return await by_id(info, self.listed.publisher_id)
        return await rel_one(info, self.id, RelType.PUBLISHED, False)

    @strawberry.field
    async def agreements(
        self, info: Info
    ) -> list[Annotated["Agreement", strawberry.lazy("service.api.agreements.types")]]:
        return await rel_nodes(info, self.id, RelType.INCLUDES, False)

    @strawberry.field
    async def claims(self, info: Info) -> list[ItemClaim]:
        return [claim(r.props, r.node, self.raw) for r in await rel(info, self.id, RelType.CLAIMED, False)]


def listed_item(item: Item) -> ListItem:
    """A ListItem from a listing's answer, carrying its claim state and publisher id."""
    found: ListItem = build(ListItem, item.node, listed=item)
    return found


@strawberry.input
class ListItemWhere:
    list: ListKind | None = None
    category: str | None = None
    status: str | None = None
    publisher_id: strawberry.ID | None = None
    region_id: strawberry.ID | None = strawberry.field(default=None, description="Only this region's subtree.")
    unclaimed: bool | None = strawberry.field(
        default=None, description="true: remaining quantity > 0; false: fully claimed."
    )


@strawberry.enum
class ListItemSort(Enum):
    ID = "id"
    TITLE = "title"
    CATEGORY = "category"
    QUANTITY = "quantity"
    PUBLISHED_ON = "publishedOn"
    STATUS = "status"
    REMAINING = "remaining"


@strawberry.type
class ClaimPayload:
    id: strawberry.ID
    item_id: strawberry.ID
    claimant_id: strawberry.ID
    quantity: float
    on: str
    status: str
    remaining: float = strawberry.field(description="The item's remaining quantity after this change.")
    created: bool = strawberry.field(description="False when this claim id was already recorded (idempotent).")

    @strawberry.field
    async def item(self, info: Info) -> ListItem | None:
        found = await info.context.store.get_node(str(self.item_id), Label.LIST_ITEM)
        return None if found is None else wrap(found)


def claim_payload(claim: Claim) -> ClaimPayload:
    return ClaimPayload(id=strawberry.ID(claim.id), item_id=strawberry.ID(claim.item_id),
                        claimant_id=strawberry.ID(claim.claimant_id), quantity=float(claim.quantity), on=str(claim.on),
                        status=str(claim.status), remaining=float(claim.remaining), created=claim.created)
