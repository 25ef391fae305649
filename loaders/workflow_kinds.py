"""Loader kinds of the seeds' working systems: wishes, meetings, matters, teams and their
members, grid duties and service centres. Registered into loaders.kinds.KINDS, so they share its
header matching, validation, rejects file and idempotent upserts.

A wish or matter file is a historical record: its status is loaded as given (the transitions'
rules apply to changes made through the service, not to what already happened), but a row must
be self-consistent (a rating only on a RATED wish, a done date only on a DONE matter).
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field, model_validator

from loaders import fields as f
from loaders.kinds import Kind, Ref, Row, Write, _c, _one, _props
from service.graph.types import Node, RelRow
from service.model import Label, MatterMode, MatterStatus, RelType, TeamKind, WishStatus
from service.registry import ACTORS

ACTOR = ACTORS  # the labels an acceptor or contributor column may name

_WISH_STATE = f.enum_parser(WishStatus, "wish status", {
    "点单": WishStatus.PUBLISHED, "已发布": WishStatus.PUBLISHED, "待派单": WishStatus.PUBLISHED,
    "派单": WishStatus.DISPATCHED, "已派单": WishStatus.DISPATCHED, "接单": WishStatus.ACCEPTED,
    "已接单": WishStatus.ACCEPTED, "已认领": WishStatus.ACCEPTED, "已实现": WishStatus.FULFILLED,
    "已完成": WishStatus.FULFILLED, "评单": WishStatus.RATED, "已评价": WishStatus.RATED,
    "已取消": WishStatus.CANCELLED, "取消": WishStatus.CANCELLED})
_MATTER_MODE = f.enum_parser(MatterMode, "matter mode", {m.value: m for m in MatterMode})
_MATTER_STATE = f.enum_parser(MatterStatus, "matter status", {
    "未开始": MatterStatus.OPEN, "待办": MatterStatus.OPEN, "办理中": MatterStatus.IN_PROGRESS,
    "推进中": MatterStatus.IN_PROGRESS, "已办结": MatterStatus.DONE, "已完成": MatterStatus.DONE})
_TEAM_KIND = f.enum_parser(TeamKind, "team kind", {
    "志愿服务队": TeamKind.VOLUNTEER, "志愿队": TeamKind.VOLUNTEER, "党员突击队": TeamKind.COMMANDO,
    "突击队": TeamKind.COMMANDO, "智囊团": TeamKind.THINK_TANK, "治理智囊团": TeamKind.THINK_TANK,
    "驻村工作队": TeamKind.STATIONED, "驻点团队": TeamKind.STATIONED})


def _rating(value: Any) -> int | None:
    number = f._int_or_none(value)
    if number is not None and not 1 <= number <= 5:
        raise ValueError(f"rating {number} must be from 1 to 5")
    return number


WishState = Annotated[WishStatus, BeforeValidator(lambda v: f._required(_WISH_STATE(v)))]
Mode = Annotated[MatterMode, BeforeValidator(lambda v: f._required(_MATTER_MODE(v)))]
MatterState = Annotated[MatterStatus | None, BeforeValidator(_MATTER_STATE)]
TeamType = Annotated[TeamKind | None, BeforeValidator(_TEAM_KIND)]
Rating = Annotated[int | None, BeforeValidator(_rating)]


class WishRow(Row):
    LABEL = Label.WISH
    REFS: ClassVar[dict[str, Ref]] = {"region": Ref((Label.REGION,), "region", by_name=False),
            "dispatched_to": Ref((Label.ORGANISATION,), "organisation"),
            "acceptor": Ref(ACTOR, "acceptor")}
    id: f.Id
    title: f.Name
    category: f.Text = None
    status: WishState
    published_on: f.Date = None
    region: f.Code
    dispatched_to: f.Text = None
    acceptor: f.Text = None
    fulfilled_on: f.Date = None
    rating: Rating = None
    rating_comment: f.Text = None
    recipient: f.Text = None
    recipient_phone: f.Code = None
    recipient_address: f.Text = None

    @model_validator(mode="after")
    def _consistent(self) -> WishRow:
        if self.rating is not None and self.status is not WishStatus.RATED:
            raise ValueError(f"a rating belongs to a RATED wish, this one is {self.status.value}")
        if self.status in (WishStatus.ACCEPTED, WishStatus.FULFILLED, WishStatus.RATED) and not self.acceptor:
            raise ValueError(f"a {self.status.value} wish names who accepted it (接单)")
        return self

    def node(self) -> dict[str, Any]:
        return _props(id=self.id, title=self.title, category=self.category, status=self.status.value,
                      publishedOn=self.published_on, fulfilledOn=self.fulfilled_on, rating=self.rating,
                      ratingComment=self.rating_comment, recipient=self.recipient,
                      recipientPhone=self.recipient_phone, recipientAddress=self.recipient_address)

    def relationships(self, ends: dict[str, list[Node]]) -> list[Write]:
        out: list[Write] = []
        if region := _one(ends, "region"):
            out.append((RelType.IN, Label.WISH, Label.REGION, RelRow(self.id, region.id)))
        if org := _one(ends, "dispatched_to"):
            out.append((RelType.DISPATCHED_TO, Label.WISH, Label.ORGANISATION, RelRow(self.id, org.id)))
        if actor := _one(ends, "acceptor"):
            out.append((RelType.ACCEPTED, actor.label, Label.WISH, RelRow(actor.id, self.id)))
            if self.status in (WishStatus.FULFILLED, WishStatus.RATED):
                out.append((RelType.CONTRIBUTED, actor.label, Label.WISH,
                            RelRow(actor.id, self.id, _props(on=self.fulfilled_on))))
        return out


class MeetingRow(Row):
    LABEL = Label.MEETING
    REFS: ClassVar[dict[str, Ref]] = {"alliance": Ref((Label.ALLIANCE,), "alliance"),
            "attendees": Ref((Label.ORGANISATION,), "attendee", many=True),
            "chair": Ref((Label.ORGANISATION,), "chair")}
    id: f.Id
    alliance: f.Name
    held_on: f.RequiredDate
    topic: f.Text = None
    kind: f.Text = None
    attendees: f.IdList = Field(default_factory=list)
    chair: f.Text = None

    def node(self) -> dict[str, Any]:
        return _props(id=self.id, heldOn=self.held_on, topic=self.topic, kind=self.kind)

    def relationships(self, ends: dict[str, list[Node]]) -> list[Write]:
        out: list[Write] = []
        if alliance := _one(ends, "alliance"):
            out.append((RelType.OF, Label.MEETING, Label.ALLIANCE, RelRow(self.id, alliance.id)))
        chair = _one(ends, "chair")
        for org in ends.get("attendees") or []:
            if chair is None or org.id != chair.id:
                out.append((RelType.ATTENDED, Label.ORGANISATION, Label.MEETING, RelRow(org.id, self.id)))
        if chair is not None:
            out.append((RelType.ATTENDED, Label.ORGANISATION, Label.MEETING,
                        RelRow(chair.id, self.id, {"role": "CHAIR"})))
        return out


class MatterRow(Row):
    LABEL = Label.MATTER
    REFS: ClassVar[dict[str, Ref]] = {"meeting": Ref((Label.MEETING,), "meeting", by_name=False),
            "organisation": Ref((Label.ORGANISATION,), "responsible organisation")}
    id: f.Id
    title: f.Name
    mode: Mode
    meeting: f.Code
    status: MatterState = None
    organisation: f.Text = None
    person: f.Text = None
    due: f.Date = None
    done_on: f.Date = None

    @model_validator(mode="after")
    def _consistent(self) -> MatterRow:
        if self.done_on is not None and self.status not in (None, MatterStatus.DONE):
            raise ValueError(f"a done date belongs to a DONE matter, this one is {self.status.value}")
        if self.status is MatterStatus.DONE and not self.organisation:
            raise ValueError("a DONE matter names the organisation responsible for it")
        return self

    def node(self) -> dict[str, Any]:
        status = self.status or (MatterStatus.DONE if self.done_on else
                                 MatterStatus.IN_PROGRESS if self.organisation else MatterStatus.OPEN)
        return _props(id=self.id, title=self.title, mode=self.mode.value, status=status.value, due=self.due,
                      doneOn=self.done_on)

    def relationships(self, ends: dict[str, list[Node]]) -> list[Write]:
        out: list[Write] = []
        if meeting := _one(ends, "meeting"):
            out.append((RelType.DECIDED_AT, Label.MATTER, Label.MEETING, RelRow(self.id, meeting.id)))
        if org := _one(ends, "organisation"):
            out.append((RelType.ASSIGNED_TO, Label.MATTER, Label.ORGANISATION,
                        RelRow(self.id, org.id, _props(person=self.person))))
        return out


class TeamRow(Row):
    LABEL = Label.TEAM
    REFS: ClassVar[dict[str, Ref]] = {"organiser": Ref((Label.ORGANISATION,), "organiser")}
    id: f.Id
    name: f.Name
    kind: TeamType = None
    organiser: f.Text = None

    def node(self) -> dict[str, Any]:
        return _props(id=self.id, name=self.name, kind=self.kind and self.kind.value)

    def relationships(self, ends: dict[str, list[Node]]) -> list[Write]:
        org = _one(ends, "organiser")
        return [(RelType.ORGANISED_BY, Label.TEAM, Label.ORGANISATION, RelRow(self.id, org.id))] if org else []


class TeamMemberRow(Row):
    REFS: ClassVar[dict[str, Ref]] = {"member": Ref((Label.MEMBER,), "member", by_name=False),
                                      "team": Ref((Label.TEAM,), "team")}
    member: f.Id
    team: f.Name

    def key(self) -> str | None:
        return None  # a repeated (member, team) row is harmless: the upsert merges it

    def relationships(self, ends: dict[str, list[Node]]) -> list[Write]:
        member, team = _one(ends, "member"), _one(ends, "team")
        if not (member and team):
            return []
        return [(RelType.SERVES_IN, Label.MEMBER, Label.TEAM, RelRow(member.id, team.id))]


class GridDutyRow(Row):
    """A member responsible for a grid (网格员 / 党员责任区)."""

    REFS: ClassVar[dict[str, Ref]] = {"member": Ref((Label.MEMBER,), "member", by_name=False),
            "grid": Ref((Label.REGION,), "grid", by_name=False)}
    member: f.Id
    grid: f.Code

    def key(self) -> str | None:
        return None

    def relationships(self, ends: dict[str, list[Node]]) -> list[Write]:
        member, grid = _one(ends, "member"), _one(ends, "grid")
        if not (member and grid):
            return []
        return [(RelType.RESPONSIBLE_FOR, Label.MEMBER, Label.REGION, RelRow(member.id, grid.id))]


class ServiceCentreRow(Row):
    LABEL = Label.SERVICE_CENTRE
    REFS: ClassVar[dict[str, Ref]] = {"region": Ref((Label.REGION,), "region", by_name=False),
            "run_by": Ref((Label.ORGANISATION,), "organisation")}
    id: f.Id
    name: f.Name
    area_m2: f.Quantity = None
    region: f.Code = None
    run_by: f.Text = None
    offers: f.IdList = Field(default_factory=list)

    def node(self) -> dict[str, Any]:
        return _props(id=self.id, name=self.name, areaM2=self.area_m2, offers=self.offers or None)

    def relationships(self, ends: dict[str, list[Node]]) -> list[Write]:
        out: list[Write] = []
        if region := _one(ends, "region"):
            out.append((RelType.IN, Label.SERVICE_CENTRE, Label.REGION, RelRow(self.id, region.id)))
        if org := _one(ends, "run_by"):
            out.append((RelType.RUN_BY, Label.SERVICE_CENTRE, Label.ORGANISATION, RelRow(self.id, org.id)))
        return out


WORKFLOW_KINDS: tuple[Kind, ...] = (
    Kind("wishes", WishRow, (
        _c("id", "心愿编号", "编号", "wish_id"),
        _c("title", "心愿内容", "心愿名称", "标题"),
        _c("category", "心愿类别", "类别"),
        _c("status", "状态", "心愿状态"),
        _c("published_on", "发布日期", "点单日期", "publishedOn"),
        _c("region", "所在社区", "所在区划代码", "区划代码", "region_id"),
        _c("dispatched_to", "派单组织", "派单党组织", "dispatched_to_id"),
        _c("acceptor", "接单方", "认领人", "认领单位", "acceptor_id"),
        _c("fulfilled_on", "实现日期", "完成日期", "fulfilledOn"),
        _c("rating", "评分", "评价星级"),
        _c("rating_comment", "评价", "评价内容", "ratingComment"),
        _c("recipient", "心愿人", "受助人"),
        _c("recipient_phone", "心愿人电话", "受助人电话", "recipientPhone"),
        _c("recipient_address", "心愿人地址", "受助人地址", "recipientAddress"),
    )),
    Kind("meetings", MeetingRow, (
        _c("id", "会议编号", "编号", "meeting_id"),
        _c("alliance", "联盟", "所属联盟", "联盟名称", "alliance_id"),
        _c("held_on", "会议日期", "召开日期", "日期", "heldOn"),
        _c("topic", "会议主题", "议题", "主题"),
        _c("kind", "会议类型", "类型"),
        _c("attendees", "参会单位", "参会组织", "attendee_ids"),
        _c("chair", "轮值主席单位", "轮值理事单位", "主持单位", "chair_id"),
    )),
    Kind("matters", MatterRow, (
        _c("id", "事项编号", "编号", "matter_id"),
        _c("title", "事项名称", "事项", "名称"),
        _c("mode", "办理方式", "五事联办", "类型"),
        _c("meeting", "会议编号", "议定会议", "meeting_id"),
        _c("status", "状态", "办理状态"),
        _c("organisation", "责任单位", "牵头单位", "organisation_id"),
        _c("person", "责任人"),
        _c("due", "完成时限", "截止日期"),
        _c("done_on", "办结日期", "完成日期", "doneOn"),
    )),
    Kind("teams", TeamRow, (
        _c("id", "队伍编号", "编号", "team_id"),
        _c("name", "队伍名称", "名称"),
        _c("kind", "队伍类型", "类型"),
        _c("organiser", "组建单位", "所属党组织", "organiser_id"),
    )),
    Kind("team_members", TeamMemberRow, (
        _c("member", "党员编号", "member_id"),
        _c("team", "队伍编号", "队伍名称", "team_id"),
    )),
    Kind("grid_duties", GridDutyRow, (
        _c("member", "党员编号", "member_id"),
        _c("grid", "网格编号", "网格代码", "grid_id"),
    )),
    Kind("service_centres", ServiceCentreRow, (
        _c("id", "阵地编号", "编号", "centre_id"),
        _c("name", "阵地名称", "名称"),
        _c("area_m2", "面积", "面积(平方米)", "areaM2"),
        _c("region", "所在区划", "所在区划代码", "region_id"),
        _c("run_by", "运营党组织", "管理单位", "run_by_id"),
        _c("offers", "服务项目", "服务内容"),
    )),
)
