"""withdraw and mergeUnits: corrections that keep what was there (service/graph/corrections.py).

withdraw takes a writer's key (importer or admin), as every other write; mergeUnits an admin's,
since it deletes a unit. Both check the region scope of everything they change first
(service/region_scope.py): a region-scoped key corrects only what lies wholly inside its region."""

from __future__ import annotations

import strawberry

from service.api.corrections.types import MergeUnitsPayload, UnitMerge, WithdrawPayload, withdrawal
from service.api.shared.nodes import Info, build, wrap
from service.api.shared.writes import require_in_scope
from service.errors import NotFound
from service.graph import corrections, versions
from service.roles import Role

ADMINS = frozenset({Role.ADMIN})


@strawberry.type
class CorrectionMutation:
    @strawberry.mutation(description="Withdraw an organisation, enterprise, agreement or list item with a reason: "
                                     "it stays in the graph (and in its history), left out of listings, totals, "
                                     "search and analytics for every role but admin, and shows `withdrawn`. "
                                     "ALREADY_WITHDRAWN the second time.")
    async def withdraw(self, info: Info, id: strawberry.ID, reason: str) -> WithdrawPayload:
        ctx = info.context
        ctx.caller.require_writer("withdraw")
        corrections.check_reason(reason)
        node = await ctx.store.get_node(str(id))
        if node is None:
            await ctx.node(str(id))  # MERGED for a merged unit's id, NOT_FOUND otherwise
        corrections.check_withdrawal(str(id), node)  # the store checks again, in its transaction
        assert node is not None
        await require_in_scope(info, [node], "withdraw")
        done = await ctx.store.withdraw(str(id), reason, versions.now())
        mark = withdrawal(done)
        assert mark is not None
        return WithdrawPayload(id=strawberry.ID(done.id), label=done.label.value, withdrawn=mark)

    @strawberry.mutation(description="Merge a duplicate unit into the one kept (admin): in one transaction every "
                                     "relationship of `remove` moves to `keep` (parallel duplicates become one, "
                                     "`keep`'s properties first), `remove` is deleted and a UnitMerge record "
                                     "kept; asking for `remove` afterwards answers MERGED naming `keep`. Both "
                                     "must exist, differ, be of one kind and lie inside the key's region.")
    async def merge_units(self, info: Info, keep: strawberry.ID, remove: strawberry.ID) -> MergeUnitsPayload:
        ctx = info.context
        ctx.caller.require_role(ADMINS, "mergeUnits")
        found = {n.id: n for n in await ctx.store.get_nodes([str(keep), str(remove)])}
        kept, removed = corrections.check_merge(str(keep), str(remove), found.get(str(keep)), found.get(str(remove)))
        await require_in_scope(info, [kept, removed], "mergeUnits")
        record = await ctx.store.merge_units(kept.id, removed.id, versions.now())
        now = await ctx.store.get_node(kept.id)
        if now is None:
            raise NotFound(f"no unit {kept.id!r} after the merge")
        return MergeUnitsPayload(kept=wrap(now), record=build(UnitMerge, record))
