"""Joint meetings and matters on both stores: recording, assignment, completion, every illegal
transition, the races, and the facts the statistics count."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import cast

import pytest

from service.errors import Conflict, IllegalState, NotFound, ValidationFailed
from service.graph.port import GraphStore
from service.graph.workflow_types import MatterChange, MatterInput, MeetingRecord
from service.model import RelType
from service.workflows import matters
from tests.contract import small_graph

MAJOR, IMPORTANT = "大事共议", "要事共决"


def _meeting(mid: str = "MTG-1", held: str = "2022-09-15", **extra: object) -> MeetingRecord:
    items = (MatterInput("MAT-1", "背街小巷改造", IMPORTANT, "ORG-TAX", "王书记", "2022-10-15"),
             MatterInput("MAT-2", "停车难", MAJOR))
    return MeetingRecord(id=mid, alliance_id="ALL-STA", held_on=held, topic="季度联席会议", kind="联席会议",
                         attendee_ids=("ORG-STA", "ORG-TAX"), chair_id="ORG-A1",
                         matters=cast(tuple[MatterInput, ...], extra.get("matters", items)))


async def test_record_assign_complete(store: GraphStore) -> None:
    await small_graph.build(store)
    made = await store.record_meeting(_meeting())
    assert made.created and [m.id for m in made.matters] == ["MAT-1", "MAT-2"]
    status = {m.id: m.props["status"] for m in made.matters}
    assert status == {"MAT-1": "IN_PROGRESS", "MAT-2": "OPEN"}
    attended = {r.node.id: r.props for r in await store.related(["MTG-1"], RelType.ATTENDED, False)}
    assert set(attended) == {"ORG-A1", "ORG-STA", "ORG-TAX"} and attended["ORG-A1"] == {"role": "CHAIR"}
    again = await store.record_meeting(_meeting())
    assert not again.created and len(again.matters) == 2
    assigned = await store.assign_matter("MAT-2", "ORG-A1", "李主任", "2022-10-01", "2022-09-16")
    assert (assigned.before, assigned.matter.props["status"], assigned.matter.props["due"]) == \
        ("OPEN", "IN_PROGRESS", "2022-10-01")
    moved = await store.assign_matter("MAT-2", "ORG-TAX", None, None, "2022-09-20")  # reassigned, deadline kept
    assert moved.matter.props["due"] == "2022-10-01"
    [to] = await store.related(["MAT-2"], RelType.ASSIGNED_TO, True)
    assert to.node.id == "ORG-TAX" and "person" not in to.props
    done = await store.complete_matter("MAT-2", "2022-09-30")
    assert (done.before, done.matter.props["status"], done.matter.props["doneOn"]) == \
        ("IN_PROGRESS", "DONE", "2022-09-30")


async def test_every_illegal_matter_transition_is_refused(store: GraphStore) -> None:
    await small_graph.build(store)
    await store.record_meeting(_meeting())
    await store.complete_matter("MAT-1", "2022-10-01")
    for call, action in ((store.assign_matter("MAT-1", "ORG-A1", None, "2022-12-01", "2022-10-02"), "assign"),
                         (store.complete_matter("MAT-1", "2022-10-02"), "complete")):
        with pytest.raises(IllegalState, match=f"matter 'MAT-1' is DONE; cannot {action} it"):
            await call
    with pytest.raises(IllegalState, match="matter 'MAT-2' is OPEN; cannot complete it: no unit is responsible"):
        await store.complete_matter("MAT-2", "2022-10-02")
    node = await store.get_node("MAT-2")
    assert node is not None and node.props["status"] == "OPEN"
    with pytest.raises(NotFound, match="no matter 'MAT-9'"):
        await store.complete_matter("MAT-9", "2022-10-02")
    with pytest.raises(NotFound, match="no organisation 'NOPE' to assign the matter to"):
        await store.assign_matter("MAT-2", "NOPE", None, None, "2022-10-02")


async def test_concurrent_completions_one_wins(store: GraphStore) -> None:
    await small_graph.build(store)
    await store.record_meeting(_meeting())
    outcomes = await asyncio.gather(*(store.complete_matter("MAT-1", f"2022-10-{d:02d}") for d in range(1, 9)),
                                    return_exceptions=True)
    wins = [o for o in outcomes if isinstance(o, MatterChange)]
    assert len(wins) == 1 and wins[0].before == "IN_PROGRESS"
    assert all(isinstance(o, IllegalState) and "is DONE" in str(o) for o in outcomes if o not in wins)
    node = await store.get_node("MAT-1")
    assert node is not None and node.props["doneOn"] == wins[0].matter.props["doneOn"]


async def test_meeting_refusals_write_nothing(store: GraphStore) -> None:
    await small_graph.build(store)
    with pytest.raises(NotFound, match="no alliance 'ALL-X'"):
        await store.record_meeting(MeetingRecord("MTG-X", "ALL-X", "2022-09-15"))
    with pytest.raises(NotFound, match="no organisation 'ORG-NONE' to attend"):
        await store.record_meeting(MeetingRecord("MTG-X", "ALL-STA", "2022-09-15", attendee_ids=("ORG-NONE",)))
    with pytest.raises(Conflict, match="id 'ITEM-P1' is already used"):
        await store.record_meeting(_meeting("MTG-X", matters=(MatterInput("ITEM-P1", "x", MAJOR),)))
    with pytest.raises(ValidationFailed, match="mode '随便' is not one of"):
        await store.record_meeting(_meeting("MTG-X", matters=(MatterInput("MAT-9", "x", "随便"),)))
    assert await store.get_nodes(["MTG-X", "MAT-9"]) == []
    await store.record_meeting(_meeting())
    await store.upsert_nodes(*_second_alliance())
    with pytest.raises(Conflict, match="meeting 'MTG-1' is already recorded for alliance 'ALL-STA'"):
        await store.record_meeting(MeetingRecord("MTG-1", "ALL-2", "2022-09-15"))


def _second_alliance() -> tuple[object, list[dict[str, str]]]:
    from service.model import Label

    return Label.ALLIANCE, [{"id": "ALL-2", "name": "另一个联盟"}]


async def test_meeting_facts_and_summary(store: GraphStore) -> None:
    await small_graph.build(store)
    await store.record_meeting(_meeting("MTG-1", "2022-09-15"))
    await store.record_meeting(_meeting("MTG-2", "2022-11-02", matters=(
        MatterInput("MAT-3", "垃圾分类", IMPORTANT, "ORG-A1", None, "2022-11-30"),)))
    await store.complete_matter("MAT-3", "2022-11-20")
    facts = await store.meeting_facts(small_graph.STREET_A, None, None)
    summary = matters.summarise(facts.meetings, facts.matters, dt.date(2022, 12, 1))
    assert (summary.meetings, summary.matters, summary.important_matters, summary.matters_done) == (2, 3, 2, 1)
    assert summary.overdue == 1  # MAT-1 due 2022-10-15 and not done; MAT-2 has no deadline
    assert summary.completion_rate == pytest.approx(1 / 3, abs=1e-4)
    [per] = summary.per_alliance
    assert (per.alliance_id, per.meetings, per.last_held_on, per.by_month) == \
        ("ALL-STA", 2, "2022-11-02", {"2022-09": 1, "2022-11": 1})
    autumn = await store.meeting_facts(None, "2022-10-01", "2022-12-31")
    assert [m.id for m in autumn.meetings] == ["MTG-2"] and [x.id for x in autumn.matters] == ["MAT-3"]
    assert (await store.meeting_facts(small_graph.STREET_B, None, None)).meetings == []
