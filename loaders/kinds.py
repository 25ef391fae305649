"""What each KIND of file holds, declared: its columns (Chinese and English headers), the pydantic row
model, the node a row is, the references to resolve through the store and the relationships written
to them (the vocabulary: loaders/rows.py; executed by loaders/writes.py and loaders/engine.py).

Header mapping (the first header is the one `alliance template` writes; the English field
name is always accepted too; headers match ignoring case, spaces, `*`, notes in brackets and the `/` between a
group cell and its sub-header, loaders/headers.py):
see COLUMNS below, or `docs` in loaders/README.md.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field, PrivateAttr, ValidationInfo, field_validator, model_validator

from loaders import fields as f
from loaders.parties import PartiesSheet, read_parties
from loaders.reports import REPORTER, paired, report_receivers
from loaders.rows import SELF, UNIT, Kind, Link, Ref, Row, props_of
from loaders.rows import column as _c
from loaders.text import half_width
from loaders.workflow_kinds import WORKFLOW_KINDS, signed_number
from service import rules
from service.graph.types import Node
from service.model import AllianceKind, ItemStatus, Label, RelType
from service.rules import as_value_error


class RegionRow(Row):
    LABEL = Label.REGION
    NODE = props_of("id", "name", "level", "grid_level")
    REFS: ClassVar[dict[str, Ref]] = {"parent": Ref((Label.REGION,), "parent region", by_name=False)}
    LINKS = (Link(RelType.PART_OF, SELF, "parent"),)
    id: f.Id
    name: f.Name
    level: f.RegionLevelType
    parent: f.Code = None
    grid_level: f.Whole = None


class OrganisationRow(Row):
    LABEL = Label.ORGANISATION
    NODE = props_of("id", "name", "kind", "level")
    REFS: ClassVar[dict[str, Ref]] = {
        "parent": Ref((Label.ORGANISATION,), "parent organisation"),
        "region": Ref((Label.REGION,), "region", by_name=False),
        "enterprise": Ref((Label.ENTERPRISE,), "enterprise"),
    }
    LINKS = (Link(RelType.UNDER, SELF, "parent"), Link(RelType.LOCATED_IN, SELF, "region"),
             Link(RelType.EMBEDDED_IN, SELF, "enterprise"))
    id: f.Id
    name: f.Name
    kind: f.OrgKindType = None
    level: f.OrgLevelType = None
    parent: f.Text = None
    region: f.Code = None
    enterprise: f.Text = None


class EnterpriseRow(Row):
    LABEL = Label.ENTERPRISE
    NODE = props_of("id", "name", "industry", "ownership")
    REFS: ClassVar[dict[str, Ref]] = {"region": Ref((Label.REGION,), "region", by_name=False)}
    LINKS = (Link(RelType.LOCATED_IN, SELF, "region"),)
    id: f.CreditCode
    name: f.Name
    industry: f.Text = None
    ownership: f.OwnershipType = None
    region: f.Code = None


class MemberRow(Row):
    LABEL = Label.MEMBER
    NODE = props_of("id", "name", "joined_on", "in_service", "phone", "id_number")
    REFS: ClassVar[dict[str, Ref]] = {"organisation": Ref((Label.ORGANISATION,), "organisation")}
    LINKS = (Link(RelType.BELONGS_TO, SELF, "organisation"),)
    id: f.Id
    name: f.Name
    joined_on: f.Date = None
    in_service: f.Flag = None
    phone: f.Code = None
    id_number: f.IdNumber = None
    organisation: f.Text = None


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
    NODE = props_of("id", "name", "kind", "model")
    REFS: ClassVar[dict[str, Ref]] = {"lead": Ref((Label.ORGANISATION,), "lead organisation"),
                                      "region": Ref((Label.REGION,), "region", by_name=False)}
    LINKS = (Link(RelType.LED_BY, SELF, "lead"), Link(RelType.COVERS, SELF, "region"))
    id: f.Id
    name: f.Name
    kind: Annotated[AllianceKind | None, BeforeValidator(_ALLIANCE_KIND)] = None
    model: f.Text = None
    lead: f.Text = None
    region: f.Code = None


PARTY_ROLES = ("甲方", "乙方", "丙方", "丁方", "戊方", "己方", "庚方", "辛方")  # 甲方 … as an agreement's columns
_PARTY_SLOTS = tuple(zip("abcdefgh", PARTY_ROLES, strict=True))


def _names(value: Any) -> list[str]:
    """Units listed in one cell (协议各方): split on semicolons, commas, 、 and line breaks, not on spaces."""
    if value is None:
        return []
    return [p.strip() for p in re.split(r"[;,；，、\n]+", half_width(str(value))) if p.strip()]


class AgreementRow(Row):
    """An agreement and its parties: the 甲方 / 乙方 / 丙方 … columns (each with its 签字人), the 协议各方 column
    (roles by position after those), and the rows of the workbook's parties sheet (loaders/parties.py).
    The rules are signAgreement's (service/rules.py)."""

    LABEL = Label.AGREEMENT
    NODE = props_of("id", "title", "kind", "signed_on", "valid_from", "valid_to", "status")
    REFS: ClassVar[dict[str, Ref]] = {"parties": Ref(UNIT, "party", many=True),
                                      "items": Ref((Label.LIST_ITEM,), "list item", by_name=False, many=True)}
    LINKS = (
        Link(RelType.PARTY_TO, "parties", SELF, each="_party_props"),
        Link(RelType.INCLUDES, SELF, "items"),
    )
    id: f.Id
    title: f.Name
    kind: f.AgreementType = None
    signed_on: f.Date = None
    valid_from: f.Date = None
    valid_to: f.Date = None
    status: f.AgreementState = None
    party_a: f.Text = None
    signatory_a: f.Text = None
    party_b: f.Text = None
    signatory_b: f.Text = None
    party_c: f.Text = None
    signatory_c: f.Text = None
    party_d: f.Text = None
    signatory_d: f.Text = None
    party_e: f.Text = None
    signatory_e: f.Text = None
    party_f: f.Text = None
    signatory_f: f.Text = None
    party_g: f.Text = None
    signatory_g: f.Text = None
    party_h: f.Text = None
    signatory_h: f.Text = None
    parties: Annotated[list[str], BeforeValidator(_names)] = Field(default_factory=list)
    _party_props: list[dict[str, Any]] = PrivateAttr(default_factory=list)  # per party: role, signatory
    items: f.IdList = Field(default_factory=list)

    @field_validator("valid_to")
    @classmethod
    def _ends_after_start(cls, valid_to: str | None, info: ValidationInfo) -> str | None:
        as_value_error(rules.agreement_dates, info.data.get("valid_from"), valid_to)
        return valid_to

    @model_validator(mode="after")
    def _all_parties(self, info: ValidationInfo) -> AgreementRow:
        values = self.__dict__
        listed: list[tuple[str, str | None, str | None]] = [
            (name, role, values[f"signatory_{slot}"]) for slot, role in _PARTY_SLOTS
            if (name := values[f"party_{slot}"])]
        listed += [(name, None, None) for name in self.parties]
        sheet = (info.context or {}).get("beside")
        if sheet is not None:
            listed += [(e.party, e.role, e.signatory) for e in sheet.take(self.id, self.title)]
        taken = {role for _, role, _ in listed if role}
        free = iter(r for r in PARTY_ROLES if r not in taken)
        # a party without a role takes the next free one: PARTY_TO is one party per role (service/registry.py)
        parties = [(name, role or next(free, None), signatory) for name, role, signatory in listed]
        as_value_error(rules.agreement_parties, [(name, role) for name, role, _ in parties])
        self.parties = [name for name, _, _ in parties]
        self._party_props = [{"role": role, "signatory": signatory} for _, role, signatory in parties]
        return self


def _agreement_context(path: Path, fmt: str) -> PartiesSheet:
    return read_parties(path, fmt) or PartiesSheet()


class ItemRow(Row):
    LABEL = Label.LIST_ITEM
    NODE = props_of("id", ("list", "list_kind"), "title", "category", "quantity", "unit", "status", "published_on")
    REFS: ClassVar[dict[str, Ref]] = {"publisher": Ref(UNIT, "publisher"),
                                      "agreement": Ref((Label.AGREEMENT,), "agreement", by_name=False)}
    LINKS = (Link(RelType.PUBLISHED, "publisher", SELF), Link(RelType.INCLUDES, "agreement", SELF))
    id: f.Id
    list_kind: f.ListType
    title: f.Name
    category: f.Text = None
    quantity: f.Quantity = None
    unit: f.Text = None
    status: f.ItemState = ItemStatus.OPEN
    published_on: f.Date = None
    publisher: f.Text = None
    agreement: f.Code = None


def _claim_quantity(value: Any) -> float | int:
    number = f._required(signed_number(value, "quantity"))
    as_value_error(rules.claim_quantity, number)  # claimItem's rule (service/rules.py)
    return number


class ClaimRow(Row):
    """A claim goes through the store's atomic claim_items (loaders/claims.py), not as a relationship:
    no LINKS; `claim` is what the store is asked."""

    REFS: ClassVar[dict[str, Ref]] = {"item": Ref((Label.LIST_ITEM,), "list item", by_name=False),
                                      "claimant": Ref(UNIT, "claimant")}
    # the claim's keys (service.claims) and the fields they come from: a refused claim's error names its key
    CLAIM: ClassVar[dict[str, str]] = {"id": "id", "item_id": "item", "claimant_id": "claimant",
                                       "quantity": "quantity", "on": "on"}
    id: f.Code = None
    item: f.Id
    claimant: f.Name
    quantity: Annotated[float | int, BeforeValidator(_claim_quantity)]
    on: f.RequiredDate

    def claim(self, ends: dict[str, list[Node]]) -> dict[str, Any]:
        [claimant], [item] = ends["claimant"], ends["item"]
        return {"id": self.id or claim_id(claimant.id, item.id, self.on), "item_id": item.id,
                "claimant_id": claimant.id, "quantity": self.quantity, "on": self.on}


def claim_id(claimant_id: str, item_id: str, on: str) -> str:
    """A deterministic id for a claim row without one, so reloading the file repeats nothing."""
    digest = hashlib.sha1(f"{claimant_id}|{item_id}|{on}".encode()).hexdigest()[:16]
    return f"CLM-{digest}"


class ReportRow(Row):
    """双报到: an in-service member reports to the community (or village) where they live, under the
    rules of the reportToCommunity mutation: one community per member (in the file and in the store),
    in-service members only, a community or village party organisation receiving (loaders/reports.py)."""

    KEY = "member"  # a member reports to one community: a second row for them is a duplicate
    REFS: ClassVar[dict[str, Ref]] = {
        "member": REPORTER, "organisation": Ref((Label.ORGANISATION,), "organisation", resolver=report_receivers)}
    LINKS = (Link(RelType.REPORTED_TO, "member", "organisation", props=props_of("on", "post")),)
    member: f.Id
    organisation: f.Name
    on: f.Date = None
    post: f.Text = None

    @model_validator(mode="after")
    def _with_member(self) -> ReportRow:
        # the receiver's rules depend on the member, and a reference is resolved by its value alone
        self.organisation = paired(self.organisation, self.member)
        return self


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
        _c("valid_from", "生效日期", "起始日期", "开始日期", "有效期/生效日期", "有效期/起始日期", "有效期/开始日期",
           "有效期/起", "有效期/自", "validFrom"),
        _c("valid_to", "截止日期", "到期日期", "终止日期", "结束日期", "有效期/截止日期", "有效期/到期日期",
           "有效期/终止日期", "有效期/结束日期", "有效期/止", "有效期/至", "validTo"),
        _c("status", "状态", "协议状态"),
        *(column for slot, role in _PARTY_SLOTS for column in (
            _c(f"party_{slot}", role, f"{role}单位", f"{role}名称", f"{role}/单位名称", f"{role}/名称"),
            _c(f"signatory_{slot}", f"{role}签字人", f"{role}代表", f"{role}单位签字人", f"{role}/签字",
               f"{role}/签字代表"))),
        _c("parties", "协议各方", "参与单位", "签约各方"),
        _c("items", "包含清单项", "清单编号", "item_ids"),
    ), context=_agreement_context),
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

# the workflow kinds: wishes, meetings, matters, teams, grid duties, service centres
KINDS.update({k.name: k for k in WORKFLOW_KINDS})


def _header_key(header: str) -> str:
    key = half_width(header)
    key = re.sub(r"[(\[【].*?[)\]】]", "", key)
    return re.sub(r"[\s*_\-:：/]+", "", key).lower()


_LOOKUP: dict[str, dict[str, str]] = {
    name: {_header_key(h): c.field for c in kind.columns for h in c.headers} for name, kind in KINDS.items()
}


@lru_cache(maxsize=4096)  # called for every cell: the same few headers, normalised once
def field_of(kind: str, header: str) -> str | None:
    """The field a header names for this kind, or None for a column the loader ignores. A column under a
    group cell is named "group/sub-header" (loaders/headers.py): the combined form when documented (甲方/单位
    is 甲方单位), else the sub-header's when the group itself names no column (有效期/生效日期 is 生效日期;
    乙方/名称 is nothing: 乙方 qualifies it)."""
    found = _LOOKUP[kind].get(_header_key(header))
    if found is None and "/" in (header := half_width(header)):
        group, _, sub = header.rpartition("/")
        if group.strip() and field_of(kind, group) is None:
            found = field_of(kind, sub)
    return found
