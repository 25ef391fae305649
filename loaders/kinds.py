"""What each KIND of file holds: its columns (Chinese and English headers), the pydantic row
model, the references to resolve through the store, and the node and relationship rows it writes.

Header mapping (the first header is the one `alliance template` writes; the English field
name is always accepted too; headers match ignoring case, spaces, `*` and notes in brackets):
see COLUMNS below, or `docs` in loaders/README.md.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator

from loaders import fields as f
from loaders.text import half_width
from service.graph.port import GraphStore
from service.graph.rejections import report_rejection
from service.graph.types import Node, RelRow
from service.model import AllianceKind, Label, RelType
from service.registry import UNITS
from service.workflows.reporting import report_outcome

UNIT = UNITS  # the labels a unit column may name
Write = tuple[RelType, Label, Label, RelRow]

@dataclass(frozen=True)
class Ref:
    """A column naming another node: by id, by credit code (enterprises) or by exact name."""

    labels: tuple[Label, ...]
    what: str  # the word used in "unknown <what> 'x'"
    by_name: bool = True
    many: bool = False
    # resolves the values itself, for a reference with rules beyond existing (reports): value -> node or reason
    resolver: Callable[[GraphStore, list[str]], Awaitable[dict[str, Node | str]]] | None = None


@dataclass(frozen=True)
class Column:
    field: str
    headers: tuple[str, ...]  # Chinese first (the template's header), then other accepted spellings
    example: Any = None


class Row(BaseModel):
    model_config = ConfigDict(extra="ignore")
    LABEL: ClassVar[Label | None] = None
    REFS: ClassVar[dict[str, Ref]] = {}

    def key(self) -> str | None:
        """The id that must be unique inside one file."""
        return getattr(self, "id", None)

    def node(self) -> dict[str, Any] | None:
        return None

    def relationships(self, ends: dict[str, list[Node]]) -> list[Write]:
        return []


def _props(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _one(ends: dict[str, list[Node]], field: str) -> Node | None:
    nodes = ends.get(field) or []
    return nodes[0] if nodes else None


class RegionRow(Row):
    LABEL = Label.REGION
    REFS = {"parent": Ref((Label.REGION,), "parent region", by_name=False)}
    id: f.Id
    name: f.Name
    level: f.RegionLevelType
    parent: f.Code = None
    grid_level: f.Whole = None

    def node(self) -> dict[str, Any]:
        return _props(id=self.id, name=self.name, level=self.level.value, gridLevel=self.grid_level)

    def relationships(self, ends: dict[str, list[Node]]) -> list[Write]:
        parent = _one(ends, "parent")
        return [(RelType.PART_OF, Label.REGION, Label.REGION, RelRow(self.id, parent.id))] if parent else []


class OrganisationRow(Row):
    LABEL = Label.ORGANISATION
    REFS = {
        "parent": Ref((Label.ORGANISATION,), "parent organisation"),
        "region": Ref((Label.REGION,), "region", by_name=False),
        "enterprise": Ref((Label.ENTERPRISE,), "enterprise"),
    }
    id: f.Id
    name: f.Name
    kind: f.OrgKindType = None
    level: f.OrgLevelType = None
    parent: f.Text = None
    region: f.Code = None
    enterprise: f.Text = None

    def node(self) -> dict[str, Any]:
        return _props(id=self.id, name=self.name, kind=self.kind and self.kind.value,
                      level=self.level and self.level.value)

    def relationships(self, ends: dict[str, list[Node]]) -> list[Write]:
        out: list[Write] = []
        if parent := _one(ends, "parent"):
            out.append((RelType.UNDER, Label.ORGANISATION, Label.ORGANISATION, RelRow(self.id, parent.id)))
        if region := _one(ends, "region"):
            out.append((RelType.LOCATED_IN, Label.ORGANISATION, Label.REGION, RelRow(self.id, region.id)))
        if ent := _one(ends, "enterprise"):
            out.append((RelType.EMBEDDED_IN, Label.ORGANISATION, Label.ENTERPRISE, RelRow(self.id, ent.id)))
        return out


class EnterpriseRow(Row):
    LABEL = Label.ENTERPRISE
    REFS = {"region": Ref((Label.REGION,), "region", by_name=False)}
    id: f.CreditCode
    name: f.Name
    industry: f.Text = None
    ownership: f.OwnershipType = None
    region: f.Code = None

    def node(self) -> dict[str, Any]:
        return _props(id=self.id, name=self.name, industry=self.industry,
                      ownership=self.ownership and self.ownership.value)

    def relationships(self, ends: dict[str, list[Node]]) -> list[Write]:
        region = _one(ends, "region")
        return [(RelType.LOCATED_IN, Label.ENTERPRISE, Label.REGION, RelRow(self.id, region.id))] if region else []


class MemberRow(Row):
    LABEL = Label.MEMBER
    REFS = {"organisation": Ref((Label.ORGANISATION,), "organisation")}
    id: f.Id
    name: f.Name
    joined_on: f.Date = None
    in_service: f.Flag = None
    phone: f.Code = None
    id_number: f.IdNumber = None
    organisation: f.Text = None

    def node(self) -> dict[str, Any]:
        return _props(id=self.id, name=self.name, joinedOn=self.joined_on, inService=self.in_service,
                      phone=self.phone, idNumber=self.id_number)

    def relationships(self, ends: dict[str, list[Node]]) -> list[Write]:
        org = _one(ends, "organisation")
        return [(RelType.BELONGS_TO, Label.MEMBER, Label.ORGANISATION, RelRow(self.id, org.id))] if org else []


_ALLIANCE_KIND = f.enum_parser(AllianceKind, "alliance kind", {
    "街道大工委": AllianceKind.STREET_WORKING_COMMITTEE, "大工委": AllianceKind.STREET_WORKING_COMMITTEE,
    "社区大党委": AllianceKind.COMMUNITY_BIG_COMMITTEE, "城中村大党委": AllianceKind.COMMUNITY_BIG_COMMITTEE,
    "大党委": AllianceKind.COMMUNITY_BIG_COMMITTEE, "经济社大支部": AllianceKind.ECONOMIC_COOP_BRANCH,
    "区域化党委": AllianceKind.REGIONAL_COMMITTEE, "联席会议": AllianceKind.JOINT_MEETING,
    "党建联席会议": AllianceKind.JOINT_MEETING, "党建融合圈": AllianceKind.FUSION_CIRCLE,
    "专业委员会": AllianceKind.SPECIAL_COMMITTEE, "行业党委": AllianceKind.INDUSTRY_COMMITTEE,
    "产业链大党委": AllianceKind.INDUSTRY_COMMITTEE, "红联共建": AllianceKind.RED_ALLIANCE})


class AllianceRow(Row):
    LABEL = Label.ALLIANCE
    REFS = {"lead": Ref((Label.ORGANISATION,), "lead organisation"),
            "region": Ref((Label.REGION,), "region", by_name=False)}
    id: f.Id
    name: f.Name
    kind: Annotated[AllianceKind | None, BeforeValidator(_ALLIANCE_KIND)] = None
    model: f.Text = None
    lead: f.Text = None
    region: f.Code = None

    def node(self) -> dict[str, Any]:
        return _props(id=self.id, name=self.name, kind=self.kind and self.kind.value, model=self.model)

    def relationships(self, ends: dict[str, list[Node]]) -> list[Write]:
        out: list[Write] = []
        if lead := _one(ends, "lead"):
            out.append((RelType.LED_BY, Label.ALLIANCE, Label.ORGANISATION, RelRow(self.id, lead.id)))
        if region := _one(ends, "region"):
            out.append((RelType.COVERS, Label.ALLIANCE, Label.REGION, RelRow(self.id, region.id)))
        return out


class AgreementRow(Row):
    LABEL = Label.AGREEMENT
    REFS = {"party_a": Ref(UNIT, "party"), "party_b": Ref(UNIT, "party"),
            "items": Ref((Label.LIST_ITEM,), "list item", by_name=False, many=True)}
    id: f.Id
    title: f.Name
    kind: f.AgreementType = None
    signed_on: f.Date = None
    valid_from: f.Date = None
    valid_to: f.Date = None
    status: f.AgreementState = None
    party_a: f.Name
    signatory_a: f.Text = None
    party_b: f.Name
    signatory_b: f.Text = None
    items: f.IdList = []

    def node(self) -> dict[str, Any]:
        return _props(id=self.id, title=self.title, kind=self.kind and self.kind.value,
                      signedOn=self.signed_on, validFrom=self.valid_from, validTo=self.valid_to,
                      status=self.status and self.status.value)

    def relationships(self, ends: dict[str, list[Node]]) -> list[Write]:
        out: list[Write] = []
        for field, role, signatory in (("party_a", "甲方", self.signatory_a), ("party_b", "乙方", self.signatory_b)):
            if party := _one(ends, field):
                props = _props(role=role, signatory=signatory)
                out.append((RelType.PARTY_TO, party.label, Label.AGREEMENT, RelRow(party.id, self.id, props)))
        for item in ends.get("items") or []:
            out.append((RelType.INCLUDES, Label.AGREEMENT, Label.LIST_ITEM, RelRow(self.id, item.id)))
        return out


class ItemRow(Row):
    LABEL = Label.LIST_ITEM
    REFS = {"publisher": Ref(UNIT, "publisher"), "agreement": Ref((Label.AGREEMENT,), "agreement", by_name=False)}
    id: f.Id
    list_kind: f.ListType
    title: f.Name
    category: f.Text = None
    quantity: f.Quantity = None
    unit: f.Text = None
    status: f.ItemState = None
    published_on: f.Date = None
    publisher: f.Text = None
    agreement: f.Code = None

    def node(self) -> dict[str, Any]:
        return _props(id=self.id, list=self.list_kind.value, title=self.title, category=self.category,
                      quantity=self.quantity, unit=self.unit, status=(self.status and self.status.value) or "OPEN",
                      publishedOn=self.published_on)

    def relationships(self, ends: dict[str, list[Node]]) -> list[Write]:
        out: list[Write] = []
        if pub := _one(ends, "publisher"):
            out.append((RelType.PUBLISHED, pub.label, Label.LIST_ITEM, RelRow(pub.id, self.id)))
        if agr := _one(ends, "agreement"):
            out.append((RelType.INCLUDES, Label.AGREEMENT, Label.LIST_ITEM, RelRow(agr.id, self.id)))
        return out


class ClaimRow(Row):
    REFS = {"item": Ref((Label.LIST_ITEM,), "list item", by_name=False), "claimant": Ref(UNIT, "claimant")}
    id: f.Code = None
    item: f.Id
    claimant: f.Name
    quantity: f.ClaimQuantity
    on: f.RequiredDate

    def key(self) -> str | None:
        return self.id

    def claim(self, ends: dict[str, list[Node]]) -> dict[str, Any]:
        claimant, item = _one(ends, "claimant"), _one(ends, "item")
        assert claimant is not None and item is not None
        return {"id": self.id or claim_id(claimant.id, item.id, self.on), "item_id": item.id,
                "claimant_id": claimant.id, "quantity": self.quantity, "on": self.on}


def claim_id(claimant_id: str, item_id: str, on: str) -> str:
    """A deterministic id for a claim row without one, so reloading the file repeats nothing."""
    digest = hashlib.sha1(f"{claimant_id}|{item_id}|{on}".encode()).hexdigest()[:16]
    return f"CLM-{digest}"


_PAIR = "\x1f"  # joins the receiver and the member in the organisation reference (never in a cleaned cell)
_REPORTER = Ref((Label.MEMBER,), "member", by_name=False)
_RECEIVER = Ref((Label.ORGANISATION,), "organisation")


async def _report_receivers(store: GraphStore, values: list[str]) -> dict[str, Node | str]:
    """Each `organisation<_PAIR>member` value: the organisation, or why the member may not report there —
    the rules of the reportToCommunity mutation (service.workflows.reporting.report_outcome) with its wording."""
    from loaders.resolve import resolve  # resolve imports this module

    pairs = {v: tuple(v.split(_PAIR, 1)) for v in values}
    found = await resolve(store, {(o, _RECEIVER) for o, _ in pairs.values()}
                          | {(m, _REPORTER) for _, m in pairs.values()})
    members = sorted({n.id for (_, ref), n in found.items() if ref is _REPORTER and isinstance(n, Node)})
    priors: dict[str, list[str]] = defaultdict(list)
    for r in await store.related(members, RelType.REPORTED_TO, outgoing=True) if members else []:
        if r.node.label is Label.ORGANISATION:
            priors[r.source_id].append(r.node.id)
    out: dict[str, Node | str] = {}
    for value, (org_value, member_value) in pairs.items():
        org, member = found[org_value, _RECEIVER], found[member_value, _REPORTER]
        if isinstance(org, str) or isinstance(member, str):  # unknown: the generic reason (the member's goes first)
            out[value] = org if isinstance(org, str) else str(member)
            continue
        before = sorted(priors[member.id])
        outcome = report_outcome(org.id, org.get("kind"), member.get("inService"), before)
        # REPEAT: already reported there, the upsert leaves it as it is (a reload changes nothing)
        out[value] = org if outcome in ("OK", "REPEAT") else str(
            report_rejection(outcome, member.id, before[0] if outcome == "ELSEWHERE" else org.id))
    return out


class ReportRow(Row):
    """双报到: an in-service member reports to the community (or village) where they live, under the
    rules of the reportToCommunity mutation: one community per member (in the file and in the store),
    in-service members only, a community or village party organisation receiving."""

    REFS = {"member": _REPORTER,
            "organisation": Ref((Label.ORGANISATION,), "organisation", resolver=_report_receivers)}
    member: f.Id
    organisation: f.Name
    on: f.Date = None
    post: f.Text = None

    @model_validator(mode="after")
    def _with_member(self) -> ReportRow:
        # the receiver's rules depend on the member (where else they reported, whether in service), and a
        # reference is resolved by its value alone: the value names both
        self.organisation = f"{self.organisation}{_PAIR}{self.member}"
        return self

    def key(self) -> str | None:
        return self.member  # a member reports to one community: a second row for them is a duplicate

    def relationships(self, ends: dict[str, list[Node]]) -> list[Write]:
        member, org = _one(ends, "member"), _one(ends, "organisation")
        if not (member and org):
            return []
        return [(RelType.REPORTED_TO, Label.MEMBER, Label.ORGANISATION,
                 RelRow(member.id, org.id, _props(on=self.on, post=self.post)))]


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[Row]
    columns: tuple[Column, ...]

    @property
    def label(self) -> Label | None:
        return self.model.LABEL

    def header(self, field: str) -> str:
        return next(c.headers[0] for c in self.columns if c.field == field)


def _c(field: str, *headers: str, example: Any = None) -> Column:
    return Column(field, (*headers, field), example)


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("regions", RegionRow, (
        _c("id", "区划代码", "行政区划代码", "代码", "编码", "region_id"),
        _c("name", "名称", "区划名称"),
        _c("level", "层级", "级别"),
        _c("parent", "上级区划代码", "上级代码", "上级区划", "parent_id"),
        _c("grid_level", "网格层级", "gridLevel"),
    )),
    Kind("organisations", OrganisationRow, (
        _c("id", "组织编号", "党组织编号", "组织代码", "organisation_id"),
        _c("name", "组织名称", "党组织名称", "名称"),
        _c("kind", "组织类型", "类型", "单位类型"),
        _c("level", "组织层级", "组织级别", "层级"),
        _c("parent", "上级党组织", "上级组织", "parent_id"),
        _c("region", "所在区划", "所在区划代码", "区划代码", "region_id"),
        _c("enterprise", "所在企业", "所在企业信用代码", "enterprise_id"),
    )),
    Kind("enterprises", EnterpriseRow, (
        _c("id", "统一社会信用代码", "信用代码", "credit_code", "enterprise_id"),
        _c("name", "企业名称", "单位名称", "名称"),
        _c("industry", "所属行业", "行业"),
        _c("ownership", "所有制", "经济类型", "所有制类型"),
        _c("region", "所在区划", "所在区划代码", "区划代码", "region_id"),
    )),
    Kind("members", MemberRow, (
        _c("id", "党员编号", "编号", "member_id"),
        _c("name", "姓名"),
        _c("joined_on", "入党日期", "入党时间", "joinedOn"),
        _c("in_service", "是否在职", "在职", "inService"),
        _c("phone", "联系电话", "手机号码", "手机", "电话"),
        _c("id_number", "身份证号", "公民身份号码", "身份证号码", "idNumber"),
        _c("organisation", "所在党组织", "所属党组织", "党组织", "organisation_id"),
    )),
    Kind("alliances", AllianceRow, (
        _c("id", "联盟编号", "编号", "alliance_id"),
        _c("name", "联盟名称", "名称"),
        _c("kind", "联盟类型", "类型"),
        _c("model", "模式"),
        _c("lead", "牵头组织", "牵头单位", "lead_id"),
        _c("region", "覆盖区划", "覆盖区划代码", "region_id"),
    )),
    Kind("agreements", AgreementRow, (
        _c("id", "协议编号", "编号", "agreement_id"),
        _c("title", "协议名称", "协议标题", "名称"),
        _c("kind", "协议类型", "类型"),
        _c("signed_on", "签订日期", "签约日期", "signedOn"),
        _c("valid_from", "生效日期", "起始日期", "validFrom"),
        _c("valid_to", "截止日期", "到期日期", "终止日期", "validTo"),
        _c("status", "状态", "协议状态"),
        _c("party_a", "甲方", "甲方单位"),
        _c("signatory_a", "甲方签字人", "甲方代表"),
        _c("party_b", "乙方", "乙方单位"),
        _c("signatory_b", "乙方签字人", "乙方代表"),
        _c("items", "包含清单项", "清单编号", "item_ids"),
    )),
    Kind("items", ItemRow, (
        _c("id", "清单编号", "事项编号", "编号", "item_id"),
        _c("list_kind", "清单类型", "类型", "list"),
        _c("title", "事项名称", "名称", "标题", "内容"),
        _c("category", "类别", "分类"),
        _c("quantity", "数量"),
        _c("unit", "单位", "计量单位"),
        _c("status", "状态"),
        _c("published_on", "发布日期", "publishedOn"),
        _c("publisher", "发布单位", "发布方", "publisher_id"),
        _c("agreement", "所属协议", "协议编号", "agreement_id"),
    )),
    Kind("claims", ClaimRow, (
        _c("id", "认领编号", "claim_id"),
        _c("item", "清单编号", "认领事项", "item_id"),
        _c("claimant", "认领单位", "claimant_id"),
        _c("quantity", "认领数量", "数量"),
        _c("on", "认领日期", "日期", "claimed_on"),
    )),
    Kind("reports", ReportRow, (
        _c("member", "党员编号", "member_id"),
        _c("organisation", "报到党组织", "报到社区", "报到单位", "organisation_id"),
        _c("on", "报到日期", "日期", "reported_on"),
        _c("post", "服务岗位", "认领岗位"),
    )),
)}

# The workflow kinds (wishes, meetings, matters, teams, grid duties, service centres) live in
# their own module, which needs the classes above: imported here, after them.
from loaders.workflow_kinds import WORKFLOW_KINDS  # noqa: E402

KINDS.update({k.name: k for k in WORKFLOW_KINDS})


def _header_key(header: str) -> str:
    key = half_width(header)
    key = re.sub(r"[(\[【].*?[)\]】]", "", key)
    return re.sub(r"[\s*_\-:：]+", "", key).lower()


_LOOKUP: dict[str, dict[str, str]] = {
    name: {_header_key(h): c.field for c in kind.columns for h in c.headers} for name, kind in KINDS.items()
}


@lru_cache(maxsize=4096)  # called for every cell: the same few headers, normalised once
def field_of(kind: str, header: str) -> str | None:
    """The field a header names for this kind, or None for a column the loader ignores."""
    return _LOOKUP[kind].get(_header_key(header))
