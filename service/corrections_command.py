"""`alliance withdraw ID --reason TEXT | merge-units KEEP REMOVE | history AGREEMENT`: corrections made on the
server itself (recorded as by `cli`), the same store calls as the withdraw and mergeUnits mutations."""

from __future__ import annotations

import argparse
import sys

from service.graph import versions
from service.graph.types import Condition, Op, Query
from service.model import Label
from service.settings import Settings


def add_command(sub: argparse._SubParsersAction) -> None:
    withdraw = sub.add_parser("withdraw", help="withdraw a unit, agreement or list item with a reason (kept, "
                                               "hidden from listings but an admin's)")
    withdraw.add_argument("id", help="the organisation, enterprise, agreement or list item id")
    withdraw.add_argument("--reason", required=True, help="why it is withdrawn (shown with it)")
    merge = sub.add_parser("merge-units", help="merge a duplicate organisation or enterprise into the one kept")
    merge.add_argument("keep", help="the unit kept")
    merge.add_argument("remove", help="the duplicate: its relationships move to KEEP and it is deleted")
    history = sub.add_parser("history", help="an agreement's versions, newest first")
    history.add_argument("agreement", help="the agreement id")


async def run(args: argparse.Namespace, settings: Settings) -> int:
    from service.graph import open_store

    store = open_store(settings)
    try:
        await store.migrate()
        if args.command == "withdraw":
            node = await store.withdraw(args.id, args.reason, versions.now())
            print(f"withdrew {node.label.value} {node.id} on {node.props['withdrawn']}: "
                  f"{node.props['withdrawnReason']}")
        elif args.command == "merge-units":
            record = (await store.merge_units(args.keep, args.remove, versions.now())).props
            print(f"merged {record['label']} {record['removed']} into {record['kept']}: {record['moved']} "
                  f"relationships moved, {record['merged']} merged, {record['dropped']} dropped ({record['id']})")
        else:
            if await store.get_node(args.agreement, Label.AGREEMENT) is None:
                print(f"error: no agreement {args.agreement!r}", file=sys.stderr)
                return 1
            page = await store.list_nodes(Query(Label.AGREEMENT_VERSION, order_by="at", descending=True, first=1000,
                                                where=(Condition("agreement", Op.EQ, args.agreement),)))
            if not page.items:
                print(f"{args.agreement}: no change since it was recorded")
            for v in page.items:  # signatories are personal: the command line shows which changed, not the names
                changed = "; ".join(f"{c['field']} {c['before']} → {c['after']}"
                                    for c in versions.decoded(v.props.get("changes")))
                signed = [c["field"] for c in versions.decoded(v.props.get("signatories"))]
                print(f"{v.props['at']}  {v.props.get('operation')} by {v.props.get('keyId')}  {changed}"
                      + (f"; changed: {', '.join(signed)}" if signed else ""))
    finally:
        await store.close()
    return 0
