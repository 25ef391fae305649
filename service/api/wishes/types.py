"""Wish, the wish funnel and the wish mutations' payload. Recipients never appear elsewhere: the
Wish type shows them to admins only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from service.api.shared.nodes import Entity, Info, entity, personal, rel_nodes, rel_one
from service.graph.types import Node
from service.model import Label, RelType

if TYPE_CHECKING:
    from service.api.shared.refs import Actor, Organisation, Region


@entity(Label.WISH)
@strawberry.type(description="A resident's micro-wish (微心愿). Recipient fields are shown to admins only.")
class Wish(Entity):
    title: str | None
    category: str | None
    status: str | None
    rating: float | None
    raw: strawberry.Private[Node]

    @strawberry.field(description="Admin only; null for every other role.")
    def recipient(self, info: Info) -> str | None:
        return personal(info, self.raw, "recipient")

    @strawberry.field(description="Admin only; null for every other role.")
    def recipient_phone(self, info: Info) -> str | None:
        return personal(info, self.raw, "recipientPhone")

    @strawberry.field(description="Admin only; null for every other role.")
    def recipient_address(self, info: Info) -> str | None:
        return personal(info, self.raw, "recipientAddress")

    @strawberry.field
    async def region(self, info: Info) -> Annotated["Region", strawberry.lazy("service.api.regions.types")] | None:
        return await rel_one(info, self.id, RelType.IN, True)

    @strawberry.field
    async def dispatched_to(
        self, info: Info
    ) -> Annotated["Organisation", strawberry.lazy("service.api.units.types")] | None:
        return await rel_one(info, self.id, RelType.DISPATCHED_TO, True)

    @strawberry.field
    async def accepted_by(self, info: Info) -> list[Annotated["Actor", strawberry.lazy("service.api.units.types")]]:
        return await rel_nodes(info, self.id, RelType.ACCEPTED, False)

    @strawberry.field
    async def contributors(self, info: Info) -> list[Annotated["Actor", strawberry.lazy("service.api.units.types")]]:
        return await rel_nodes(info, self.id, RelType.CONTRIBUTED, False)


@strawberry.type(description="The micro-wish funnel (如愿行动): wishes published in the period and how far they got; "
                             "a rated wish also counts as dispatched, accepted and fulfilled.")
class WishFunnel:
    published: int
    dispatched: int
    accepted: int = strawberry.field(description="Claimed (接单): accepted by a member, unit or enterprise.")
    fulfilled: int
    rated: int
    cancelled: int
    contributors: int = strawberry.field(description="Distinct members, units and enterprises that contributed.")
    warehouse_fulfilled: int = strawberry.field(description="Fulfilled wishes a wish warehouse (如愿义仓) supplied.")
    median_days_to_fulfil: float | None = strawberry.field(
        description="Median days from publication to fulfilment; null when no fulfilled wish has both dates.")


@strawberry.type
class WishPayload:
    wish: Wish
    previous_status: str | None
    changed: bool = strawberry.field(description="False for a repeated publishWish (idempotent on the id).")
