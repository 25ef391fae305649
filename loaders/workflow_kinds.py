"""Loader kinds of the seeds' working systems: wishes, meetings, matters, teams and their
members, grid duties and service centres. Registered into loaders.kinds.KINDS, so they share its
header matching, validation, rejects file and idempotent upserts.

A wish or matter file is a historical record: its status is loaded as given (the transitions'
rules apply to changes made through the service, not to what already happened), but a row must
be self-consistent (a rating only on a RATED wish, a done date only on a DONE matter).
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from loaders import fields as f
from loaders import text
from loaders.rows import SELF, Kind, Link, Ref, Row, props_of
from loaders.rows import column as _c
from service import rules
from service.model import Label, MatterMode, MatterStatus, RelType, TeamKind, WishStatus
from service.registry import ACTORS
from service.rules import as_value_error

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
    if number is not None:
        as_value_error(rules.rating, number)  # upsertWishes' and rateWish's rule (service/rules.py)
    return number


def signed_number(value: Any, what: str) -> float | int | None:
    """A number that may be negative, so that a rule (not the cell parser) says why it must not be."""
    if isinstance(value, str) and value.strip()[:1] in ("-", "−"):
        number = text.parse_number(value.strip()[1:], what)
        return None if number is None else -number
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        return -(text.parse_number(-value, what) or 0)
    return text.parse_number(value, what)


WishState = Annotated[WishStatus, BeforeValidator(lambda v: f._required(_WISH_STATE(v)))]
Mode = Annotated[MatterMode, BeforeValidator(lambda v: f._required(_MATTER_MODE(v)))]
MatterState = Annotated[MatterStatus | None, BeforeValidator(_MATTER_STATE)]
TeamType = Annotated[TeamKind | None, BeforeValidator(_TEAM_KIND)]
Rating = Annotated[int | None, BeforeValidator(_rating)]


def _fulfilled(row: WishRow) -> bool:
    return row.status in (WishStatus.FULFILLED, WishStatus.RATED)


class WishRow(Row):
    LABEL = Label.WISH
    NODE = props_of("id", "title", "category", "status", "published_on", "fulfilled_on", "rating", "rating_comment",
                    "recipient", "recipient_phone", "recipient_address")
    REFS: ClassVar[dict[str, Ref]] = {"region": Ref((Label.REGION,), "region", by_name=False),
                                      "dispatched_to": Ref((Label.ORGANISATION,), "organisation"),
                                      "acceptor": Ref(ACTOR, "acceptor")}
    LINKS = (Link(RelType.IN, SELF, "region"), Link(RelType.DISPATCHED_TO, SELF, "dispatched_to"),
             Link(RelType.ACCEPTED, "acceptor", SELF),
             Link(RelType.CONTRIBUTED, "acceptor", SELF, props=(("on", "fulfilled_on"),), when=_fulfilled))
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


class MeetingRow(Row):
    LABEL = Label.MEETING
    NODE = props_of("id", "held_on", "topic", "kind")
    REFS: ClassVar[dict[str, Ref]] = {"alliance": Ref((Label.ALLIANCE,), "alliance"),
                                      "attendees": Ref((Label.ORGANISATION,), "attendee", many=True),
                                      "chair": Ref((Label.ORGANISATION,), "chair")}
    # the chair attended too: named among the attendees as well, its two rows merge in the store into one
    # relationship with the chair's role (records.prepare_relationships)
    LINKS = (Link(RelType.OF, SELF, "alliance"), Link(RelType.ATTENDED, "attendees", SELF),
             Link(RelType.ATTENDED, "chair", SELF, fixed=(("role", "CHAIR"),)))
    id: f.Id
    alliance: f.Name
    held_on: f.RequiredDate
    topic: f.Text = None
    kind: f.Text = None
    attendees: f.IdList = Field(default_factory=list)
    chair: f.Text = None


class MatterRow(Row):
    LABEL = Label.MATTER
    NODE = props_of("id", "title", "mode", "status", "due", "done_on")
    REFS: ClassVar[dict[str, Ref]] = {"meeting": Ref((Label.MEETING,), "meeting", by_name=False),
                                      "organisation": Ref((Label.ORGANISATION,), "responsible organisation")}
    LINKS = (Link(RelType.DECIDED_AT, SELF, "meeting"),
             Link(RelType.ASSIGNED_TO, SELF, "organisation", props=props_of("person")))
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
        if self.status is None:  # not given: what the row says of it
            self.status = (MatterStatus.DONE if self.done_on else
                           MatterStatus.IN_PROGRESS if self.organisation else MatterStatus.OPEN)
        return self


class TeamRow(Row):
    LABEL = Label.TEAM
    NODE = props_of("id", "name", "kind")
    REFS: ClassVar[dict[str, Ref]] = {"organiser": Ref((Label.ORGANISATION,), "organiser")}
    LINKS = (Link(RelType.ORGANISED_BY, SELF, "organiser"),)
    id: f.Id
    name: f.Name
    kind: TeamType = None
    organiser: f.Text = None


class TeamMemberRow(Row):
    KEY = None  # a repeated (member, team) row is harmless: the upsert merges it
    REFS: ClassVar[dict[str, Ref]] = {"member": Ref((Label.MEMBER,), "member", by_name=False),
                                      "team": Ref((Label.TEAM,), "team")}
    LINKS = (Link(RelType.SERVES_IN, "member", "team"),)
    member: f.Id
    team: f.Name


class GridDutyRow(Row):
    """A member responsible for a grid (网格员 / 党员责任区)."""

    KEY = None
    REFS: ClassVar[dict[str, Ref]] = {"member": Ref((Label.MEMBER,), "member", by_name=False),
                                      "grid": Ref((Label.REGION,), "grid", by_name=False)}
    LINKS = (Link(RelType.RESPONSIBLE_FOR, "member", "grid"),)
    member: f.Id
    grid: f.Code


class ServiceCentreRow(Row):
    LABEL = Label.SERVICE_CENTRE
    NODE = props_of("id", "name", "area_m2", "offers")
    REFS: ClassVar[dict[str, Ref]] = {"region": Ref((Label.REGION,), "region", by_name=False),
                                      "run_by": Ref((Label.ORGANISATION,), "organisation")}
    LINKS = (Link(RelType.IN, SELF, "region"), Link(RelType.RUN_BY, SELF, "run_by"))
    id: f.Id
    name: f.Name
    area_m2: Annotated[float | int | None, BeforeValidator(lambda v: signed_number(v, "areaM2"))] = None
    region: f.Code = None
    run_by: f.Text = None
    offers: f.IdList = Field(default_factory=list)

    @field_validator("area_m2")
    @classmethod
    def _area(cls, area_m2: float | int | None, info: ValidationInfo) -> float | int | None:
        as_value_error(rules.centre_area, info.data.get("id", ""), area_m2)  # upsertServiceCentres' rule
        return area_m2


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
