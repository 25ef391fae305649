"""The kinds' declarations (loaders/rows.py vocabulary) against the model and against themselves: what a
kind writes is stated as data, so it can be checked here without loading a file."""

from __future__ import annotations

import pytest

from loaders.kinds import KINDS, ClaimRow
from loaders.rows import SELF, Kind, Link, Row
from loaders.writes import Writes
from service.model import Label
from service.registry import Single, allowed_ends, rel_spec

NODE_KINDS = [k for k in KINDS.values() if k.label is not None]


def _labels(kind: Kind, end: str) -> tuple[Label, ...]:
    if end == SELF:
        assert kind.label is not None, f"{kind.name}: a link of the row's own node, but no LABEL"
        return (kind.label,)
    assert end in kind.model.REFS, f"{kind.name}: link end {end!r} is neither SELF nor a column of REFS"
    return kind.model.REFS[end].labels


def _links() -> list[tuple[Kind, Link]]:
    return [(kind, link) for kind in KINDS.values() for link in kind.model.LINKS]


@pytest.mark.parametrize(("kind", "link"), _links(), ids=lambda v: v.name if isinstance(v, Kind) else str(v.type))
def test_every_declared_link_is_a_relationship_the_model_allows(kind: Kind, link: Link) -> None:
    allowed = allowed_ends()[link.type]
    for start in _labels(kind, link.start):
        for end in _labels(kind, link.end):
            assert (start, end) in allowed, f"{kind.name}: ({start})-[:{link.type}]->({end}) is not in the model"


@pytest.mark.parametrize("kind", list(KINDS.values()), ids=lambda k: k.name)
def test_declarations_name_fields_of_the_row(kind: Kind) -> None:
    model, fields = kind.model, set(kind.model.model_fields)
    assert {c.field for c in kind.columns} == fields, "every field has a column, every column a field"
    assert set(model.REFS) <= fields
    assert model.KEY is None or model.KEY in fields
    for _, field in model.NODE:
        assert field in fields
    for link in model.LINKS:
        assert {field for _, field in link.props} <= fields
    if model.LABEL is not None:
        assert ("id", "id") in model.NODE, "a node is keyed by its id"


@pytest.mark.parametrize("kind", list(KINDS.values()), ids=lambda k: k.name)
def test_every_column_naming_a_node_is_written_by_a_link(kind: Kind) -> None:
    """A reference resolved and never written would reject rows for nothing; claims are the one hook."""
    if kind.model is ClaimRow:
        assert not ClaimRow.LINKS and set(ClaimRow.CLAIM.values()) >= set(ClaimRow.REFS)
        return
    linked = {end for link in kind.model.LINKS for end in (link.start, link.end)} - {SELF}
    assert linked == set(kind.model.REFS)


@pytest.mark.parametrize("kind", list(KINDS.values()), ids=lambda k: k.name)
def test_no_kind_has_code_of_its_own_for_what_it_writes(kind: Kind) -> None:
    for name in ("node", "relationships", "key"):
        assert getattr(kind.model, name, None) is getattr(Row, name, None), f"{kind.name} defines {name}()"


def test_a_single_valued_relationship_is_declared_once_per_row() -> None:
    """A row states one value of a single-valued relationship (service/registry.py): not a list of them, and not
    twice over (PARTY_TO is single per role, and each of its two links has its own fixed role)."""
    for kind, link in _links():
        if rel_spec(link.type).single is None:
            continue
        single, per = rel_spec(link.type).single, rel_spec(link.type).per
        other = link.end if single is Single.START else link.start  # the end the holder has one of
        if other != SELF and link.each is not None:
            # many, each with its own `per` value: the row's rule (service/rules.py) gives each party its own role
            assert per is not None, f"{kind.name}: {link.type} names many where one is allowed"
        elif other != SELF:
            assert not kind.model.REFS[other].many, f"{kind.name}: {link.type} names many where one is allowed"
        same = [other for k, other in _links() if k is kind and other.type is link.type]
        if per is None:
            assert same == [link], f"{kind.name}: {link.type} declared twice"
        else:
            assert len({dict(other.fixed).get(per) for other in same}) == len(same)


@pytest.mark.parametrize("kind", list(KINDS.values()), ids=lambda k: k.name)
def test_the_engine_reads_every_kinds_declarations(kind: Kind) -> None:
    Writes(kind.model)  # refuses, for one, a link of the row's own node in a kind with no LABEL
