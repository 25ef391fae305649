"""The model registry against everything that restates it: a label or relationship type missing
a scope rule, a search decision, a GraphQL type or a masking decision fails here, as does any
generated Cypher that drifted from it. tests/contract/test_registry_stores.py asks both stores
the same of every label."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

import service
from service.demo import PROFILES, generate
from service.graph.neo4j import region_scope
from service.model import Label, RelType
from service.registry import (
    LABELS,
    RECORDS,
    RELATIONSHIPS_SPEC,
    Single,
    allowed_ends,
    has_status,
    label_spec,
    labels,
    region_paths,
    rel_spec,
    relationship_types,
    searchable_labels,
    searchable_properties,
)

CYPHER_DIR = Path(service.__file__).resolve().parent / "cypher"


def test_every_label_and_relationship_type_is_declared_once() -> None:
    assert [s.label for s in LABELS] == list(dict.fromkeys(s.label for s in LABELS))
    assert {s.label for s in LABELS} == set(Label)
    assert [s.type for s in RELATIONSHIPS_SPEC] == list(dict.fromkeys(s.type for s in RELATIONSHIPS_SPEC))
    assert {s.type for s in RELATIONSHIPS_SPEC} == set(RelType)


@pytest.mark.parametrize("label", list(Label), ids=str)
def test_every_label_has_a_region_path_the_relationships_allow(label: Label) -> None:
    path = label_spec(label).region_path
    if path is None:  # the service's own records, in no region
        assert label in RECORDS
        return
    here = {label}
    for step in path:
        ends = allowed_ends()[step.type]
        here = {e for s, e in ends if s in here} if step.outgoing else {s for s, e in ends if e in here}
        assert here, f"{label}: no relationship {step.type} leaves {sorted(here)} that way"
    assert here == {Label.REGION}, f"{label}'s region path ends at {sorted(here)}, not Region"


@pytest.mark.parametrize("label", list(Label), ids=str)
def test_every_label_has_an_id_and_decides_search_and_personal_data(label: Label) -> None:
    spec = label_spec(label)
    idp = spec.prop("id")
    assert idp is not None and idp.required
    for p in spec.props:
        assert not (p.searchable and p.personal), f"{label}.{p.name} is personal and may not be indexed"
    assert [p.name for p in spec.props] == list(dict.fromkeys(p.name for p in spec.props))


@pytest.mark.parametrize("type", list(RelType), ids=str)
def test_every_relationship_type_declares_its_cardinality(type: RelType) -> None:
    spec = rel_spec(type)
    assert spec.ends, f"{type} has no allowed ends"
    assert (spec.single is None) == (spec.on_replace is None), f"{type}: single and on_replace go together"
    if spec.per is not None:
        assert spec.single is not None and spec.per in {p.name for p in spec.props}


def test_the_region_scope_fragments_are_rendered_from_the_registry() -> None:
    for name, text in region_scope.rendered().items():
        on_disk = (CYPHER_DIR / "fragments" / name).read_text(encoding="utf-8")
        assert on_disk == text, f"{name} differs: run python -m service.graph.neo4j.region_scope --write"


def test_every_region_path_gets_a_scope_branch() -> None:
    scope = region_scope.scope_fragment()
    for path in region_paths():
        assert region_scope.within(path) in scope
    assert {label for p in region_paths() for label in p.labels} == set(Label) - set(RECORDS)


def test_the_census_counts_every_label_in_a_region_once() -> None:
    census = region_scope.census_fragment()
    counted = re.findall(r"RETURN '(\w+)' AS label, (.+?) AS kind, (.+?) AS status, count", census)
    # labels sharing one list, counted in one pass: each label's kind and status picked by a CASE on the label
    for which, kind, status in re.findall(r"WITH n, CASE (.+?) END AS label\n  WITH label, (.+?) AS kind, (.+?) AS "
                                          r"status WHERE label IS NOT NULL", census):
        for label in re.findall(r"WHEN n:(\w+) THEN '\1'", which):
            picked = [re.search(rf"WHEN '{label}' THEN (.+?)(?= WHEN '| END$)", e) for e in (kind, status)]
            counted.append((label, *(m.group(1) if m else "null" for m in picked)))
    assert sorted(label for label, _, _ in counted) == sorted(lab.value for p in region_paths() for lab in p.labels)
    for label, kind, status in counted:  # what registry.kind_of and status_of read on the embedded store
        keys = label_spec(Label(label)).stats_keys
        assert kind == ("null" if not keys else f"n.{keys[0]}" if len(keys) == 1
                        else "coalesce(" + ", ".join(f"n.{k}" for k in keys) + ")"), label
        assert status == ("n.status" if has_status(Label(label)) else "null"), label


_WALK = re.compile(r"EXISTS \{ \((\w+)\)((?:[-<][^{}]*?)?)-\[:PART_OF\*0\.\.\]->\(root\) \}")


def _label_of(variable: str, text: str) -> Label:
    found = re.search(rf"\({variable}:(\w+)", text)
    assert found, f"no label for ({variable}) in the statement"
    return Label(found.group(1))


@pytest.mark.parametrize("path", sorted((CYPHER_DIR / "queries").glob("*.cypher")), ids=lambda p: p.stem)
def test_hand_written_region_walks_follow_the_registry(path: Path) -> None:
    """A statement that walks to a region itself (instead of __SCOPE__ / __CENSUS__) must spell
    its label's registry path exactly."""
    text = path.read_text(encoding="utf-8")
    by_label = {label: p for p in region_paths() for label in p.labels}
    walks = text.count("-[:PART_OF*0..]->(root) }")
    assert len(_WALK.findall(text)) == walks, f"{path.stem}: a region walk this test cannot read"
    for match in _WALK.finditer(text):
        label = _label_of(match.group(1), text)
        expected = region_scope.within(by_label[label]).replace("(n)", f"({match.group(1)})", 1)
        assert match.group(0) == expected, f"{path.stem}: {label} walks {match.group(0)!r}, not {expected!r}"


_FULLTEXT = re.compile(r"CREATE FULLTEXT INDEX names.*?FOR \(n:([\w|]+)\)\s*ON EACH \[([^\]]*)\]", re.S)


def test_the_full_text_index_covers_the_searchable_labels_and_properties() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((CYPHER_DIR / "schema").glob("*.cypher")))
    found = _FULLTEXT.findall(text)
    assert found, "no full-text index migration"
    indexed_labels, indexed_props = found[-1]  # the newest definition wins
    assert set(indexed_labels.split("|")) == {label.value for label in searchable_labels()}
    assert sorted(p.strip().removeprefix("n.") for p in indexed_props.split(",")) == list(searchable_properties())


def test_every_label_has_a_uniqueness_constraint() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((CYPHER_DIR / "schema").glob("*.cypher")))
    for spec in labels():
        assert re.search(rf"FOR \(n:{spec.label.value}\) REQUIRE n\.id IS UNIQUE", text), spec.label


@cache
def _written() -> tuple[dict[Label, set[str]], dict[RelType, set[str]]]:
    nodes: dict[Label, set[str]] = {}
    rels: dict[RelType, set[str]] = {}
    for profile in PROFILES:
        data = generate(profile, scale=1, seed=0)
        for label, rows in data.nodes.items():
            nodes.setdefault(label, set()).update(k for row in rows for k in row)
        for batch in data.relationships:
            rels.setdefault(batch.type, set()).update(k for row in batch.rows for k in row.props)
    return nodes, rels


def test_every_property_the_demo_writes_is_declared() -> None:
    nodes, rels = _written()
    for label, keys in nodes.items():
        assert keys - {p.name for p in label_spec(label).props} == set(), label
    for type, keys in rels.items():
        assert keys - {p.name for p in rel_spec(type).props} == set(), type


def test_single_valued_types_cover_what_the_loaders_replace() -> None:
    # the loaders, the API and both stores all read the cardinality from the registry
    singles = {s.type for s in relationship_types() if s.single is not None}
    assert RelType.PART_OF in singles and RelType.BELONGS_TO in singles and RelType.UNDER in singles
    assert rel_spec(RelType.PARTY_TO).single is Single.END and rel_spec(RelType.PARTY_TO).per == "role"


# Enums of the API that are not the model's: sort keys (checked against the registry's sortable
# properties of their label) and the API's own choices.
_SORTS = {"RegionSort": Label.REGION, "OrganisationSort": Label.ORGANISATION, "EnterpriseSort": Label.ENTERPRISE,
          "AgreementSort": Label.AGREEMENT, "AllianceSort": Label.ALLIANCE, "ListItemSort": Label.LIST_ITEM}
_API_ONLY = {"SortDirection", "CentralityMetric", "AnalysisRunState"}


def test_every_graphql_enum_is_the_registry_s_or_checked_against_it() -> None:
    from graphql import GraphQLEnumType

    from service.api.schema import build_schema
    from service.registry import ENUMS

    declared = {spec.graphql: spec.values for spec in ENUMS}
    served = {name: t for name, t in build_schema()._schema.type_map.items()
              if isinstance(t, GraphQLEnumType) and not name.startswith("__")}
    for name, enum in served.items():
        if name in declared:
            assert set(enum.values) == {m.name for m in declared[name]}, name
        elif name in _SORTS:
            sortable = set(label_spec(_SORTS[name]).sortable)
            assert {v.value for v in enum.values.values()} <= sortable, (name, sortable)
        else:
            assert name in _API_ONLY, f"GraphQL enum {name} is neither the registry's nor checked against it"
    assert set(declared) <= set(served), set(declared) - set(served)


def test_every_label_has_its_graphql_type() -> None:
    from service.api.schema import build_schema
    from service.api.shared.nodes import entity_types

    type_map = build_schema()._schema.type_map
    for spec in labels():
        assert spec.graphql in type_map, spec.label
        assert entity_types()[spec.label].__name__ == spec.graphql, spec.label
        fields = type_map[spec.graphql].fields  # type: ignore[union-attr]
        # every personal property the type shows goes through the masking rule (tested per role
        # in tests/contract/test_registry_stores.py); the type shows each one
        assert set(spec.personal) <= set(fields), (spec.label, set(spec.personal) - set(fields))


def test_the_item_tallies_are_the_registry_s() -> None:
    """fragments/tally.cypher, the tally forms of the item filters, the totals and migration 011 restate
    ITEM_TALLY: its tally label, the properties that key a tally and the flags derived from the item."""
    from service.registry import TALLIES

    fragments, schema = CYPHER_DIR / "fragments", CYPHER_DIR / "schema" / "011_item_tallies.cypher"
    for spec in TALLIES:
        assert spec.label is Label.LIST_ITEM  # the one label whose writers paste fragments/tally.cypher
        tally = (fragments / "tally.cypher").read_text(encoding="utf-8")
        assert f"MERGE (tally:{spec.tally} {{key: tallyKey}})" in tally
        assert set(re.findall(r"\btally\.(\w+) =", tally)) == {*spec.by, *spec.flags, "count"}
        # and the shard a batch of new items may count into (batches.new_item_tallies): part of the key alone
        assert set(re.findall(r"\bp\.(\w+)", tally)) == {*spec.by, "remaining", "withdrawn", "shard"}
        for prop in spec.by:
            assert label_spec(spec.label).prop(prop) is not None, prop
            assert (fragments / f"item_{prop}.cypher").exists() and (fragments / f"tally_{prop}.cypher").exists()
        assert f"MATCH (t:{spec.tally})" in (fragments / "total_tallied.cypher").read_text(encoding="utf-8")
        text = schema.read_text(encoding="utf-8")
        assert f"FOR (t:{spec.tally}) REQUIRE t.key IS UNIQUE" in text
        for prop in spec.by:
            assert f"FOR (t:{spec.tally}) ON (t.{prop})" in text, prop
        clear = (CYPHER_DIR / "queries" / "clear_tallies.cypher").read_text(encoding="utf-8")
        assert f"MATCH (t:{spec.tally})" in clear


def test_the_region_entries_are_the_registry_s() -> None:
    """Migration 013 enters the labels of REGION_ENTRIES, each of which has a region path to be entered by, and
    listings.py reads entries of those labels only."""
    from service.graph.neo4j.listings import node_statement
    from service.graph.types import Query
    from service.registry import REGION_ENTRIES, region_paths

    text = (CYPHER_DIR / "schema" / "013_region_entries.cypher").read_text(encoding="utf-8")
    [entered] = re.findall(r"MATCH \(n:([\w|]+)\)", text)
    assert set(entered.split("|")) == {label.value for label in REGION_ENTRIES}
    assert set(REGION_ENTRIES) <= {label for path in region_paths() for label in path.labels}
    for label in Label:
        assert ("RegionEntry" in node_statement(Query(label, region_id="r"))) == (label in REGION_ENTRIES), label
