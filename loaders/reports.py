"""The one reference with rules beyond existing: the organisation a 双报到 row reports to, accepted under
the rules of the reportToCommunity mutation (service.workflows.reporting.report_outcome), refused with its
words. The rules depend on the member, and a reference is resolved by its value alone, so the row's
organisation value names both (`paired`)."""

from __future__ import annotations

from collections import defaultdict

from loaders.resolve import resolve
from loaders.rows import Ref
from service.graph.port import GraphStore
from service.graph.rejections import report_rejection
from service.graph.types import Node
from service.model import Label, RelType
from service.workflows.reporting import report_outcome

PAIR = "\x1f"  # joins the receiver and the member in the organisation value (never in a cleaned cell)
REPORTER = Ref((Label.MEMBER,), "member", by_name=False)
RECEIVER = Ref((Label.ORGANISATION,), "organisation")


def paired(organisation: str, member: str) -> str:
    return f"{organisation}{PAIR}{member}"


async def report_receivers(store: GraphStore, values: list[str]) -> dict[str, Node | str]:
    """Each `paired(organisation, member)` value: the organisation, or why the member may not report there."""
    pairs = {v: tuple(v.split(PAIR, 1)) for v in values}
    found = await resolve(store, {(o, RECEIVER) for o, _ in pairs.values()}
                          | {(m, REPORTER) for _, m in pairs.values()})
    members = sorted({n.id for (_, ref), n in found.items() if ref is REPORTER and isinstance(n, Node)})
    priors: dict[str, list[str]] = defaultdict(list)
    for r in await store.related(members, RelType.REPORTED_TO, outgoing=True) if members else []:
        if r.node.label is Label.ORGANISATION:
            priors[r.source_id].append(r.node.id)
    out: dict[str, Node | str] = {}
    for value, (org_value, member_value) in pairs.items():
        org, member = found[org_value, RECEIVER], found[member_value, REPORTER]
        if isinstance(org, str) or isinstance(member, str):  # unknown: the generic reason (the member's goes first)
            out[value] = org if isinstance(org, str) else str(member)
            continue
        before = sorted(priors[member.id])
        outcome = report_outcome(org.id, org.get("kind"), member.get("inService"), before)
        # REPEAT: already reported there, the upsert leaves it as it is (a reload changes nothing)
        out[value] = org if outcome in ("OK", "REPEAT") else str(
            report_rejection(outcome, member.id, before[0] if outcome == "ELSEWHERE" else org.id))
    return out
