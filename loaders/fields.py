"""Pydantic field types for loader rows: each cleans what an office typed and raises ValueError
with the reason that ends up in the rejects file."""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import BeforeValidator

from loaders import text
from service import display
from service.codes import credit_code_error, id_number_error, normalise_code
from service.model import (
    AgreementKind,
    AgreementStatus,
    ItemStatus,
    ListKind,
    OrgKind,
    OrgLevel,
    Ownership,
    RegionLevel,
)

E = TypeVar("E", bound=StrEnum)


def _required(value: Any) -> Any:
    if value is None:
        raise ValueError("required, but empty")
    return value


def _id(value: Any) -> str:
    return str(_required(text.clean_code(value)))


def _name(value: Any) -> str:
    return str(_required(text.clean_text(value)))


def _credit_code(value: Any) -> str:
    code = normalise_code(str(_required(text.clean_code(value))))
    reason = credit_code_error(code)
    if reason:
        raise ValueError(f"malformed unified social credit code: {reason}")
    return code


def _id_number(value: Any) -> str | None:
    number = text.clean_code(value)
    if number is None:
        return None
    number = number.upper()
    reason = id_number_error(number)
    if reason:
        raise ValueError(f"malformed ID number: {reason}")
    return number


def _id_list(value: Any) -> list[str]:
    if value is None:
        return []
    parts = re.split(r"[;,；，、\s]+", text.half_width(str(value)))
    return [p for p in parts if p]


def _date_required(value: Any) -> str:
    return str(_required(text.parse_date(value)))


def _quantity_positive(value: Any) -> float | int:
    number = _required(text.parse_number(value))
    if number == 0:
        raise ValueError("quantity 0 must be above zero")
    return number


def _int_or_none(value: Any) -> int | None:
    number = text.parse_number(value, "number")
    if number is None:
        return None
    if not float(number).is_integer():
        raise ValueError(f"{number} is not a whole number")
    return int(number)


def enum_parser(enum: type[E], what: str, synonyms: dict[str, E], empty: E | None = None) -> Callable[[Any], E | None]:
    """A cell's enum member, by value, name, synonym or Chinese display name (what the exports write,
    service/display.py); `empty` for an empty cell."""
    synonyms = {**synonyms, **_spellings(enum, synonyms)}
    allowed = ", ".join(e.value for e in enum)
    first = {value: key for key, value in reversed(synonyms.items())}
    chinese = "、".join(first[e] for e in enum if e in first)
    hint = f"{allowed}" + (f" ({chinese})" if chinese else "")

    known: dict[str, E] = {}  # cells already parsed: a column holds few distinct spellings

    def parse(value: Any) -> E | None:
        if isinstance(value, str) and value in known:
            return known[value]
        raw = text.clean_text(value)
        if raw is None:
            return empty
        key = text.half_width(raw).replace(" ", "")
        if key in synonyms:
            found = synonyms[key]
        else:
            try:
                found = enum(key.upper().replace("-", "_"))
            except ValueError:
                raise ValueError(f"{what} {raw!r} is not one of {hint}") from None
        if isinstance(value, str) and len(known) < 1024:
            known[value] = found
        return found

    return parse


def _spellings(enum: type[E], synonyms: dict[str, E]) -> dict[str, E]:
    """The names (MatterMode MAJOR for 大事共议) and Chinese display names of an enum's members; a display name
    a loader's synonym gives another member would load an export back changed, so it fails here."""
    names = {m.name: m for m in enum if m.name != m.value}
    for name, member in display.chinese_names(enum).items():
        key = text.half_width(name).replace(" ", "")
        other = synonyms.get(key, names.get(key, member))
        if other is not member:
            raise ValueError(f"{enum.__name__}: the display name {name!r} of {member.name} also names {other.name}")
        names[key] = member
    return names


Id = Annotated[str, BeforeValidator(_id)]
Name = Annotated[str, BeforeValidator(_name)]
Text = Annotated[str | None, BeforeValidator(text.clean_text)]
Code = Annotated[str | None, BeforeValidator(text.clean_code)]
CreditCode = Annotated[str, BeforeValidator(_credit_code)]
IdNumber = Annotated[str | None, BeforeValidator(_id_number)]
Date = Annotated[str | None, BeforeValidator(text.parse_date)]
RequiredDate = Annotated[str, BeforeValidator(_date_required)]
Quantity = Annotated[float | int | None, BeforeValidator(text.parse_number)]
ClaimQuantity = Annotated[float | int, BeforeValidator(_quantity_positive)]
Whole = Annotated[int | None, BeforeValidator(_int_or_none)]
Flag = Annotated[bool | None, BeforeValidator(text.parse_bool)]
IdList = Annotated[list[str], BeforeValidator(_id_list)]

_LIST_TYPE = enum_parser(ListKind, "list type", {
    "需求": ListKind.NEED, "需求清单": ListKind.NEED, "资源": ListKind.RESOURCE, "资源清单": ListKind.RESOURCE,
    "项目": ListKind.PROJECT, "项目清单": ListKind.PROJECT})
ListType = Annotated[ListKind, BeforeValidator(lambda v: _required(_LIST_TYPE(v)))]
ItemState = Annotated[ItemStatus, BeforeValidator(enum_parser(ItemStatus, "item status", {  # OPEN unless said
    "开放": ItemStatus.OPEN, "待认领": ItemStatus.OPEN, "关闭": ItemStatus.CLOSED, "已关闭": ItemStatus.CLOSED},
    empty=ItemStatus.OPEN))]
AgreementType = Annotated[AgreementKind | None, BeforeValidator(enum_parser(AgreementKind, "agreement kind", {
    "共建": AgreementKind.CO_BUILDING, "共建协议": AgreementKind.CO_BUILDING, "共驻共建": AgreementKind.CO_BUILDING,
    "结对": AgreementKind.PAIRING, "结对共建": AgreementKind.PAIRING, "红联共建": AgreementKind.RED_ALLIANCE,
    "契约": AgreementKind.CONTRACT, "契约化共建": AgreementKind.CONTRACT}))]
AgreementState = Annotated[AgreementStatus | None, BeforeValidator(enum_parser(AgreementStatus, "agreement status", {
    "草拟": AgreementStatus.DRAFT, "草稿": AgreementStatus.DRAFT, "生效": AgreementStatus.ACTIVE,
    "有效": AgreementStatus.ACTIVE, "履行中": AgreementStatus.ACTIVE, "到期": AgreementStatus.EXPIRED,
    "已到期": AgreementStatus.EXPIRED, "终止": AgreementStatus.TERMINATED, "已终止": AgreementStatus.TERMINATED}))]
RegionLevelType = Annotated[RegionLevel, BeforeValidator(enum_parser(RegionLevel, "region level", {
    "省": RegionLevel.PROVINCE, "市": RegionLevel.CITY, "区": RegionLevel.DISTRICT, "县": RegionLevel.DISTRICT,
    "街道": RegionLevel.STREET, "镇": RegionLevel.TOWN, "乡": RegionLevel.TOWN, "社区": RegionLevel.COMMUNITY,
    "村": RegionLevel.VILLAGE, "网格": RegionLevel.GRID}))]
OrgLevelType = Annotated[OrgLevel | None, BeforeValidator(enum_parser(OrgLevel, "organisation level", {
    "党委": OrgLevel.COMMITTEE, "党总支": OrgLevel.GENERAL_BRANCH, "总支": OrgLevel.GENERAL_BRANCH,
    "党支部": OrgLevel.BRANCH, "支部": OrgLevel.BRANCH, "党小组": OrgLevel.GROUP,
    "党工委": OrgLevel.WORKING_COMMITTEE}))]
OrgKindType = Annotated[OrgKind | None, BeforeValidator(enum_parser(OrgKind, "organisation kind", {
    "街道": OrgKind.STREET, "镇": OrgKind.TOWN, "社区": OrgKind.COMMUNITY, "村": OrgKind.VILLAGE,
    "网格": OrgKind.GRID, "小区": OrgKind.COMPOUND, "楼宇": OrgKind.BUILDING, "机关": OrgKind.AGENCY,
    "事业单位": OrgKind.INSTITUTION, "国有企业": OrgKind.SOE, "国企": OrgKind.SOE, "非公企业": OrgKind.NON_PUBLIC,
    "社会组织": OrgKind.SOCIAL, "行业": OrgKind.INDUSTRY, "经济社": OrgKind.ECONOMIC_COOP, "联合": OrgKind.JOINT}))]
OwnershipType = Annotated[Ownership | None, BeforeValidator(enum_parser(Ownership, "ownership", {
    "国有": Ownership.STATE, "民营": Ownership.PRIVATE, "私营": Ownership.PRIVATE, "外资": Ownership.FOREIGN,
    "集体": Ownership.COLLECTIVE}))]
