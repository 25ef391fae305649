"""The wish workflow: 点单 publish, 派单 dispatch, 接单 accept, fulfil, 评单 rate, and cancel."""

from __future__ import annotations

import strawberry

import service.api.shared.enums  # noqa: F401  (names the model's enums before the types use them)
from service.api.shared.nodes import Info, wrap
from service.api.shared.writes import in_scope, require_ends_in_scope, require_in_scope, today
from service.api.wishes.types import WishPayload
from service.errors import ValidationFailed
from service.graph.workflow_types import WishChange
from service.model import Label, Supply
from service.registry import ACTORS


def _payload(change: WishChange) -> WishPayload:
    return WishPayload(wish=wrap(change.wish), previous_status=change.before, changed=change.changed)


@strawberry.type
class WishMutation:
    @strawberry.mutation(description="点单: publish a resident's wish in a community. Idempotent on the id.")
    async def publish_wish(self, info: Info, id: strawberry.ID, title: str, region_id: strawberry.ID,
                           category: str | None = None, published_on: str | None = None,
                           recipient: str | None = None, recipient_phone: str | None = None,
                           recipient_address: str | None = None) -> WishPayload:
        info.context.caller.require_writer("publishWish")
        region = await in_scope(info, str(region_id), Label.REGION, "region")
        # publishing an id again answers the wish as it is: one of another region is neither shown nor touched
        await require_in_scope(info, await info.context.store.get_nodes([str(id)]), "wish")
        row = {"id": str(id), "title": title, "category": category, "publishedOn": today(published_on, "publishedOn"),
               "recipient": recipient, "recipientPhone": recipient_phone, "recipientAddress": recipient_address}
        clean = {k: v for k, v in row.items() if v is not None}
        return _payload(await info.context.store.publish_wish(clean, region.id))

    @strawberry.mutation(description="派单: dispatch a PUBLISHED wish to an organisation.")
    async def dispatch_wish(self, info: Info, wish_id: strawberry.ID, organisation_id: strawberry.ID,
                            on: str | None = None) -> WishPayload:
        info.context.caller.require_writer("dispatchWish")
        await in_scope(info, str(wish_id), Label.WISH, "wish")
        await require_ends_in_scope(info, [str(organisation_id)], (Label.ORGANISATION,), "organisation")
        return _payload(await info.context.store.dispatch_wish(str(wish_id), str(organisation_id), today(on)))

    @strawberry.mutation(description="接单: a member, organisation or enterprise accepts a DISPATCHED wish; "
                                     "of two acceptors racing, one wins and the other gets ILLEGAL_STATE.")
    async def accept_wish(self, info: Info, wish_id: strawberry.ID, acceptor_id: strawberry.ID,
                          on: str | None = None) -> WishPayload:
        info.context.caller.require_writer("acceptWish")
        await in_scope(info, str(wish_id), Label.WISH, "wish")
        await require_ends_in_scope(info, [str(acceptor_id)], ACTORS, "acceptor")
        return _payload(await info.context.store.accept_wish(str(wish_id), str(acceptor_id), today(on)))

    @strawberry.mutation(description="An ACCEPTED wish is fulfilled; the acceptor and contributors are recorded, "
                                     "and a wish warehouse (如愿义仓) that supplied goods with how it did.")
    async def fulfil_wish(self, info: Info, wish_id: strawberry.ID, on: str | None = None,
                          contributor_ids: list[strawberry.ID] | None = None,
                          warehouse_id: strawberry.ID | None = None,
                          supply: Supply | None = None) -> WishPayload:
        info.context.caller.require_writer("fulfilWish")
        await in_scope(info, str(wish_id), Label.WISH, "wish")
        if supply is not None and warehouse_id is None:
            raise ValidationFailed("supply describes a wish warehouse's goods: give warehouseId too")
        await require_ends_in_scope(info, [str(c) for c in contributor_ids or []], ACTORS, "contributor")
        await require_ends_in_scope(info, [None if warehouse_id is None else str(warehouse_id)], (Label.ENTERPRISE,),
                                    "wish warehouse")
        return _payload(await info.context.store.fulfil_wish(
            str(wish_id), today(on), [str(c) for c in contributor_ids or []],
            None if warehouse_id is None else str(warehouse_id), None if supply is None else Supply(supply.value)))

    @strawberry.mutation(description="评单: the resident rates a FULFILLED wish 1–5 with a comment.")
    async def rate_wish(self, info: Info, wish_id: strawberry.ID, rating: int, comment: str | None = None,
                        on: str | None = None) -> WishPayload:
        info.context.caller.require_writer("rateWish")
        await in_scope(info, str(wish_id), Label.WISH, "wish")
        return _payload(await info.context.store.rate_wish(str(wish_id), rating, comment, today(on)))

    @strawberry.mutation(description="Cancel a wish before it is fulfilled.")
    async def cancel_wish(self, info: Info, wish_id: strawberry.ID, reason: str | None = None,
                          on: str | None = None) -> WishPayload:
        info.context.caller.require_writer("cancelWish")
        await in_scope(info, str(wish_id), Label.WISH, "wish")
        return _payload(await info.context.store.cancel_wish(str(wish_id), today(on), reason))
