"""Excel out, matching Excel in: list items (with their claim state), agreements (with all their parties),
wishes, meetings and matters as XLSX, under the loader templates' Chinese headers, so that a file exported,
edited and loaded back with `alliance load KIND` changes exactly what was edited.

What a column holds is read off the kind's declarations (loaders/kinds.py, loaders/workflow_kinds.py), the
loaders' reading in reverse: a node property its NODE names, the ids at the other end of a LINK (`;` between
several), a link's properties; an enum in its Chinese display name (service/display.py), which the loaders
accept back. Columns after the template's (claimed, remaining, claimants; parties beyond 甲方 and 乙方; the
names of the parties) carry headers marked READ_ONLY that no loader reads, so they inform without being loaded.

Personal values (registry-declared: signatories, wish recipients, persons responsible) are masked for every
role but admin (service/masking.py); a masked column's header then carries MASKED, which no loader reads, so
loading that file back leaves the real values as they are instead of overwriting them with stars."""

from __future__ import annotations

import io
import types
import typing
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from loaders.kinds import KINDS, PARTY_ROLES
from loaders.rows import SELF, Kind, Link
from service import display, masking
from service.errors import NotFound
from service.graph.port import GraphStore
from service.graph.types import ItemQuery, Node, Query
from service.model import Label, RelType
from service.registry import Mask, personal_properties, personal_relationship_properties

EXPORTS = ("items", "agreements", "wishes", "meetings", "matters")
MASKED = "·已脱敏"  # appended to a masked column's header: no loader header matches it
READ_ONLY = "·仅供查看"  # appended to the informative columns' headers, likewise ("甲方单位名称" alone is 甲方's)
PAGE = 1000  # nodes per store call (the stores' largest page)
TEMPLATE_ROLES = PARTY_ROLES  # the agreement parties the template's columns hold (甲方 … 辛方)


@dataclass
class Sheet:
    """One export: the headers (the template's, then the informative ones) and the rows under them."""

    kind: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    masked: list[str] = field(default_factory=list)  # the template headers whose values were masked


@dataclass(frozen=True)
class _Column:
    field: str
    header: str
    # ("node", prop) | ("link", index) | ("link-prop", index, prop) | ("party", index, role)
    # | ("party-prop", index, role, prop): a party column of the agreement's PARTY_TO link, told by its role
    source: tuple[str, ...]
    enum: type[Enum] | None
    mask: Mask | None
    many: bool = False  # a column naming several nodes (`;` between them); else one, the first by id


async def export(store: GraphStore, kind: str, region_id: str | None, sees_personal_data: bool) -> Sheet:
    """The kind's nodes within `region_id` (all when None), one row each, sorted by id."""
    if kind not in EXPORTS:
        raise NotFound(f"no XLSX export of {kind!r}; one of {', '.join(EXPORTS)}")
    spec = KINDS[kind]
    columns = _columns(spec)
    extras = _EXTRA_HEADERS.get(kind, ())
    sheet = Sheet(kind, [c.header + (MASKED if c.mask and not sees_personal_data else "") for c in columns]
                  + list(extras), masked=[] if sees_personal_data else [c.header for c in columns if c.mask])
    assert spec.label is not None
    async for nodes, state in _pages(store, spec.label, region_id):
        ids = [n.id for n in nodes]
        links = [await _linked(store, link, ids) for link in spec.model.LINKS]
        extra = await _extra(store, kind, nodes, state, sees_personal_data)
        for node in nodes:
            values = [_value(c, node, links, sees_personal_data) for c in columns]
            sheet.rows.append(values + extra.get(node.id, [None] * len(extras)))
    return sheet


def workbook(sheet: Sheet, *, region_id: str | None, role: str) -> bytes:
    """The sheet as an XLSX file: the rows on the first worksheet (the one `alliance load` reads), a note of
    what it is on a second."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet.kind
    ws.append(sheet.headers)
    for row in sheet.rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    for i, header in enumerate(sheet.headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, 2 * len(header) + 2)
    note = wb.create_sheet("说明")
    for line in _notes(sheet, region_id, role):
        note.append([line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _notes(sheet: Sheet, region_id: str | None, role: str) -> list[str]:
    lines = [f"导出：{sheet.kind}，{len(sheet.rows)} 行，区划 {region_id or '全部'}，角色 {role}，"
             f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
             f"修改第一个工作表后可用 `alliance load {sheet.kind} 文件.xlsx` 导回：只有改动的内容会被写入。",
             "表头与导入模板一致；模板之后的列（认领情况、其他参与方、单位名称）仅供查看，导入时不读取。"]
    if sheet.masked:
        lines.append(f"个人信息已脱敏（{'、'.join(sheet.masked)}）：这些列的表头带“{MASKED}”，导入时不读取，"
                     "原值保持不变。")
    return lines


# -- the columns, read off the declarations -------------------------------------------------------------------

def _columns(spec: Kind) -> list[_Column]:
    model = spec.model
    label = model.LABEL
    node_props = {f: p for p, f in model.NODE}
    personal_node = personal_properties().get(label, {}) if label else {}
    out = []
    for column in spec.columns:
        name = column.field
        enum = _enum_of(model.model_fields[name].annotation)
        if name in node_props:
            prop = node_props[name]
            out.append(_Column(name, column.headers[0], ("node", prop), enum, personal_node.get(prop)))
            continue
        source: tuple[str, ...] | None = None
        mask = None
        party = _party_column(name)
        if name == "parties" and any(link.each for link in model.LINKS):
            # every party is in its role's column already; listed here too, each would be named twice
            out.append(_Column(name, column.headers[0], ("none",), None, None))
            continue
        for i, link in enumerate(model.LINKS):
            if party is not None and link.type is RelType.PARTY_TO and link.each:
                what, role = party
                if what == "party":
                    source = ("party", str(i), role)
                else:
                    source = ("party-prop", str(i), role, "signatory")
                    mask = personal_relationship_properties().get(link.type, {}).get("signatory")
                break
            if name in (link.start, link.end) and SELF in (link.start, link.end):
                source = ("link", str(i))
                break
            for prop, f in link.props:
                if f == name:
                    source = ("link-prop", str(i), prop)
                    mask = personal_relationship_properties().get(link.type, {}).get(prop)
                    break
            if source:
                break
        if source is None:
            raise TypeError(f"{spec.name}: no declaration says where {name!r} is stored")
        ref = model.REFS.get(name)
        out.append(_Column(name, column.headers[0], source, enum, mask, many=ref is not None and ref.many))
    return out


def _party_column(name: str) -> tuple[str, str] | None:
    """("party" | "signatory", role) for an agreement's slot columns (party_a: 甲方 … signatory_h: 辛方)."""
    what, _, slot = name.partition("_")
    if what in ("party", "signatory") and len(slot) == 1 and slot in "abcdefgh":
        return what, PARTY_ROLES["abcdefgh".index(slot)]
    return None


def _enum_of(annotation: Any) -> type[Enum] | None:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return next((e for a in typing.get_args(annotation) if (e := _enum_of(a))), None)
    return annotation if isinstance(annotation, type) and issubclass(annotation, Enum) else None


def _value(column: _Column, node: Node, links: list[dict[str, list[tuple[str, dict[str, Any]]]]],
           sees_personal_data: bool) -> Any:
    kind, *rest = column.source
    if kind == "none":
        return None
    if kind == "node":
        value = node.props.get(rest[0])
    else:
        linked = links[int(rest[0])].get(node.id, [])
        if kind in ("party", "party-prop"):  # the first party of the role, by id
            linked = [(other, props) for other, props in linked if props.get("role") == rest[1]][:1]
            kind, rest = ("link", rest) if kind == "party" else ("link-prop", [rest[0], rest[2]])
        if kind == "link":
            ends = [other for other, _ in linked][:None if column.many else 1]
            value = ";".join(ends) or None
        else:
            value = next((props[rest[1]] for _, props in linked if props.get(rest[1]) is not None), None)
    if value is None:
        return None
    if column.enum is not None:
        value = _display(column.enum, value)
    if column.mask is not None and not sees_personal_data:
        return masking.mask(column.mask, value)
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return _number(value)


def _display(enum: type[Enum], value: Any) -> Any:
    try:
        return display.chinese(enum(value))
    except ValueError:  # a value the model does not know: shown as stored, the loader names it on the way back
        return value


async def _linked(store: GraphStore, link: Link, ids: list[str]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """node id -> (the other end's id, the relationship's properties) over one link, its fixed properties
    (an agreement's 甲方) telling its relationships from those of another link of the same type; sorted."""
    found: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    if SELF not in (link.start, link.end) or not ids:
        return found
    fixed = dict(link.fixed)
    for r in await store.related(ids, link.type, outgoing=link.start == SELF):
        if all(r.props.get(k) == v for k, v in fixed.items()):
            found[r.source_id].append((r.node.id, dict(r.props)))
    for rows in found.values():
        rows.sort(key=lambda row: row[0])
    return found


async def _pages(store: GraphStore, label: Label, region_id: str | None) -> Any:
    """(nodes, claim state by item id) a page at a time; list items come with their claim state."""
    after: str | None = None
    while True:
        if label is Label.LIST_ITEM:
            items = await store.list_items(ItemQuery(region_id=region_id, first=PAGE, after=after))
            yield [i.node for i in items.items], {i.node.id: (i.claimed, i.remaining) for i in items.items}
            page_next, after = items.has_next, items.end_cursor
        else:
            page = await store.list_nodes(Query(label, region_id=region_id, first=PAGE, after=after))
            yield page.items, {}
            page_next, after = page.has_next, page.end_cursor
        if not page_next:
            return


# -- the informative columns ------------------------------------------------------------------------------------

_EXTRA_HEADERS: dict[str, tuple[str, ...]] = {
    "items": tuple(h + READ_ONLY for h in ("已认领数量", "剩余数量", "认领情况")),
    "agreements": tuple(h + READ_ONLY for h in ("甲方单位名称", "乙方单位名称", "其他参与方")),
}


async def _extra(store: GraphStore, kind: str, nodes: list[Node], state: dict[str, tuple[float, float]],
                 sees_personal_data: bool) -> dict[str, list[Any]]:
    ids = [n.id for n in nodes]
    if kind == "items" and ids:
        claims: dict[str, list[str]] = defaultdict(list)
        for r in sorted(await store.related(ids, RelType.CLAIMED, outgoing=False),
                        key=lambda r: (str(r.props.get("on")), r.node.id)):
            if r.props.get("status", "ACTIVE") == "ACTIVE":
                claims[r.source_id].append(f"{_name(r.node)}（{r.node.id}）{_number(r.props.get('quantity'))} "
                                           f"{r.props.get('on') or ''}".rstrip())
        return {i: [_number(state.get(i, (0, 0))[0]), _number(state.get(i, (0, 0))[1]), "；".join(claims[i]) or None]
                for i in ids}
    if kind == "agreements" and ids:
        parties: dict[str, dict[str, list[tuple[Node, dict[str, Any]]]]] = defaultdict(lambda: defaultdict(list))
        for r in await store.related(ids, RelType.PARTY_TO, outgoing=False):
            parties[r.source_id][str(r.props.get("role") or "")].append((r.node, r.props))
        personal = personal_relationship_properties().get(RelType.PARTY_TO, {})
        out = {}
        for i in ids:
            roles = parties[i]
            others = [f"{role or '参与方'}：{_name(n)}（{n.id}）" + (
                f" 签字人 {masking.shown(personal, 'signatory', p['signatory'], sees_personal_data)}"
                if p.get("signatory") else "")
                for role in sorted(set(roles) - set(TEMPLATE_ROLES)) for n, p in _by_id(roles[role])]
            out[i] = [_names(roles.get("甲方", [])), _names(roles.get("乙方", [])), "；".join(others) or None]
        return out
    return {}


def _by_id(rows: Iterable[tuple[Node, dict[str, Any]]]) -> list[tuple[Node, dict[str, Any]]]:
    return sorted(rows, key=lambda row: row[0].id)


def _names(rows: list[tuple[Node, dict[str, Any]]]) -> str | None:
    return ";".join(_name(n) for n, _ in _by_id(rows)) or None


def _name(node: Node) -> str:
    return str(node.props.get("name") or node.props.get("title") or node.id)


def _number(value: Any) -> Any:
    """A whole float as an int (40.0 as 40), as a clerk would type it."""
    return int(value) if isinstance(value, float) and value.is_integer() else value
