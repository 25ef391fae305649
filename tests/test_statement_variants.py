"""Statement variants chosen by the code (issue 17, part 2): an unscoped caller's statement holds no
region walk, a scoped caller's still does, and a listing holds only the filters it was given (no
`$x IS NULL OR …`, which keeps Neo4j from any index). tests/security/test_region_scope.py checks on
both stores that a scoped caller still sees only its region."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.graph.neo4j.listings import item_filters, node_filters
from service.graph.neo4j.region_scope import scope_fragment
from service.graph.neo4j.statements import CYPHER_PLACEHOLDER_SCOPE, listing, statement
from service.graph.types import Condition, ItemQuery, Op, Query
from service.model import Label, RelType

SCOPED = sorted(p.name.removesuffix(".cypher") for p in listing("queries")
                if CYPHER_PLACEHOLDER_SCOPE in p.read_text(encoding="utf-8"))


def _variant(name: str, scoped: bool) -> str:
    extra: dict[str, object] = {}
    if name in {"list_nodes", "list_nodes_ordered", "link_totals_in", "link_totals_out"}:
        extra = {"label": Label.ORGANISATION, "filters": ("node_conds",)}
    if name.startswith("link_totals"):
        extra["type"] = RelType.PARTY_TO
    if name.startswith("list_nodes"):
        extra["descending"] = False
    if name == "list_nodes_ordered":
        extra["key"] = "name"
    if name == "search":
        extra["filters"] = ()
    if name == "neighbourhood":
        extra["depth"] = 2
    return statement(name, scoped=scoped, **extra)  # type: ignore[arg-type]


def test_every_statement_with_a_region_scope_is_listed() -> None:
    assert {"list_nodes", "search", "paired_units", "link_totals_in", "link_totals_out"} <= set(SCOPED)


@pytest.mark.parametrize("name", SCOPED)
def test_the_unscoped_variant_holds_no_region_walk(name: str) -> None:
    text = _variant(name, scoped=False)
    assert "EXISTS" not in text and "PART_OF" not in text, name


@pytest.mark.parametrize("name", SCOPED)
def test_the_scoped_variant_holds_the_whole_scope_fragment(name: str) -> None:
    body = "\n".join(line for line in scope_fragment().splitlines() if not line.startswith("//"))
    assert body in _variant(name, scoped=True), name


def _items(**filters: object) -> str:
    query = ItemQuery(**filters)  # type: ignore[arg-type]
    return statement("list_items", filters=item_filters(query), descending=False)


def test_an_item_listing_holds_only_the_filters_given() -> None:
    bare = _items()
    assert "EXISTS" not in bare and "IS NULL OR" not in bare.split("CALL (root)", 1)[1]
    assert "i.list = $list" not in bare and "i.remaining" not in bare
    one = _items(list="RESOURCE", unclaimed=True)  # the kept remaining: a range seek
    assert "i.list = $list" in one and "i.remaining > 0" in one and "i.remaining <=" not in one
    assert "$category" not in one and "$status" not in one and "$publisherId" not in one and "PART_OF" not in one
    every = _items(list="NEED", category="c", status="s", publisher_id="p", region_id="r", unclaimed=False)
    for piece in ("i.list = $list", "i.category = $category", "i.status = $status", "$publisherId",
                  "-[:PART_OF*0..]->(root)", "i.remaining <= 0"):
        assert piece in every, piece


def test_a_node_listing_without_conditions_holds_none() -> None:
    assert node_filters(Query(Label.REGION)) == ()
    assert node_filters(Query(Label.ORGANISATION, include_withdrawn=True)) == ()
    assert node_filters(Query(Label.ORGANISATION)) == ("node_current",)  # withdrawn units left out
    assert node_filters(Query(Label.REGION, where=(Condition("kind", Op.EQ, "AGENCY"),))) == ("node_conds",)
    text = statement("list_nodes", label=Label.ORGANISATION, scoped=False, filters=(), descending=False)
    assert "$conds" not in text and "EXISTS" not in text


def test_a_sortable_key_is_named_in_the_text_and_nothing_else_is() -> None:
    text = statement("list_nodes_ordered", label=Label.ORGANISATION, filters=(), descending=True, key="name")
    assert "ORDER BY n.name DESC, n.id DESC" in text and "n.name < $afterKey" in text
    with pytest.raises(ValueError, match="not a property name"):
        statement("list_nodes_ordered", label=Label.ORGANISATION, filters=(), descending=True, key="name) //")


@pytest.mark.parametrize("name", ["scope", "subtree", "keyset", "item_list; MATCH (n) DETACH DELETE n", "../x"])
def test_only_filter_fragments_are_filters(name: str) -> None:
    with pytest.raises(ValueError, match="not a filter fragment"):
        statement("list_items", filters=(name,), descending=False)


def test_a_statement_with_filters_refuses_to_run_without_them() -> None:
    with pytest.raises(ValueError, match="FILTERS"):
        statement("list_items", descending=False)


def test_a_total_counts_without_the_withdrawn_test_and_takes_the_withdrawn_off() -> None:
    """Issue 17: `withdrawn IS NULL` in a total reads every node; the total is the count of the other
    filters (the count store with none) less the withdrawn ones, sought by an index of 010_withdrawn."""
    text = statement("list_items", filters=item_filters(ItemQuery(list="NEED", publisher_id="p")), descending=False)
    counted, less, _page = text.split("CALL (root)")[1:4]  # a publisher has no tally form: counted
    assert "withdrawn" not in counted.split("\n", 1)[1] and "i.list = $list" in counted
    assert "i.withdrawn IS NOT NULL" in less and "i.list = $list" in less
    admin = statement("list_nodes", label=Label.AGREEMENT, scoped=False, descending=False,
                      filters=node_filters(Query(Label.AGREEMENT, include_withdrawn=True)))
    assert "WHERE false" in admin and "WHERE true AND true" in admin  # withdrawn ones counted, none taken off


def test_every_withdrawable_label_has_a_withdrawn_index() -> None:
    from service.graph.neo4j.statements import migrations
    from service.registry import WITHDRAWABLE

    schema = " ".join(s for _name, parts in migrations() for s in parts)
    for label in WITHDRAWABLE:
        assert f"FOR (n:{label.value}) ON (n.withdrawn)" in schema, label


def test_an_item_total_sums_the_tallies_of_its_filters_and_counts_only_what_they_cannot_say() -> None:
    """Issue 17 / 13: a filtered item total reads the tallies (fragments/tally.cypher), not one index
    entry per matching item; a publisher or region filter, which no tally keys, is counted from the items."""
    text = statement("list_items_ordered", filters=item_filters(ItemQuery(list="NEED", status="OPEN", unclaimed=False)),
                     descending=False, key="id", pieces=(("WITHIN", None), ("HINT", None)))
    total = text.split("CALL (root)")[1]
    assert "MATCH (t:ItemTally)" in total and "sum(t.count)" in total
    for piece in ("t.list = $list", "t.status = $status", "t.unclaimed = false", "t.withdrawn = false"):
        assert piece in total, piece
    assert "$category" not in total and "ListItem" not in total
    admin = statement("list_items", filters=item_filters(ItemQuery(category="c", include_withdrawn=True)),
                      descending=False).split("CALL (root)")[1]
    assert "t.category = $category" in admin and "withdrawn" not in admin
    for bare in (statement("list_items", filters=(), descending=False),  # no filter but withdrawn: the count
                 statement("list_items", filters=item_filters(ItemQuery()), descending=False)):  # store
        assert "ItemTally" not in bare.split("OPTIONAL CALL")[0] and "WHERE true" in bare
    for given in (ItemQuery(publisher_id="p"), ItemQuery(list="NEED", publisher_id="p")):
        counted = statement("list_items", filters=item_filters(given), descending=False)
        assert "ItemTally" not in counted.split("OPTIONAL CALL")[0] and "count(i) AS counted" in counted


# Statements that write nodes but never a list item's values: each writer of items ends with
# fragments/tally.cypher, or the item tallies drift from the items.
NEVER_ITEMS = {
    "audit_append", "audit_prune", "migration_record",  # the service's own records
    "meeting_record", "matter_assign", "matter_complete", "report_to_community",  # meetings, matters, members
    "wish_publish", "wish_dispatch", "wish_accept", "wish_fulfil", "wish_rate", "wish_cancel",  # wishes
    "create_relationships", "upsert_relationships", "drop_other_ends", "drop_other_starts",  # links only
    "delete_unit",  # a unit merged away: its items stay (mergeUnits)
    "clear", "clear_relationships", "clear_tallies", "clear_region_tallies", "clear_region_entries",
    "census_before", "census_read", "census_settle",  # the region tallies (and a lock)
}


def test_every_statement_that_writes_nodes_keeps_the_item_tallies_or_says_it_writes_no_item() -> None:
    import re

    writes = re.compile(r"\b(SET|CREATE|MERGE|DELETE|REMOVE)\b")
    for path in listing("queries"):
        name, text = path.name.removesuffix(".cypher"), path.read_text(encoding="utf-8")
        body = "\n".join(line.split("//")[0] for line in text.splitlines())
        if not writes.search(body):
            continue
        tallied = "__TALLY__" in body
        assert tallied != (name in NEVER_ITEMS), (
            f"{name} writes nodes: end it with __TALLY__ (fragments/tally.cypher) if it can write a list item, "
            "else name it in NEVER_ITEMS")
    assert {"create_nodes", "upsert_nodes", "claim_items", "release_claim", "withdraw"} <= {
        p.name.removesuffix(".cypher") for p in listing("queries") if "__TALLY__" in p.read_text(encoding="utf-8")}


def test_every_writing_statement_is_run_within_the_region_tallies_or_counts_nothing() -> None:
    """census.AROUND (run between census.before and census.settle) and census.UNCOUNTED (nothing a region's
    census counts) name every writing statement, once; an uncounted one sets no kind or status, and the
    modules that run an AROUND statement keep the tallies around it."""
    import re

    from service.graph.neo4j import census
    from service.registry import stats_keys

    writes = re.compile(r"\b(SET|CREATE|MERGE|DELETE|REMOVE)\b")
    writing = set()
    for path in listing("queries"):
        name, text = path.name.removesuffix(".cypher"), path.read_text(encoding="utf-8")
        body = "\n".join(line.split("//")[0] for line in text.splitlines())
        if writes.search(body):
            writing.add(name)
            if name in census.UNCOUNTED and not name.startswith("census_"):
                grouped = {"status", *(k for keys in stats_keys().values() for k in keys)}
                # properties assigned, but not those of `r` (the statements name a relationship so)
                set_on_nodes = {prop for var, prop in re.findall(r"\b(\w+)\.(\w+)\s*=", body) if var != "r"}
                assert not set_on_nodes & grouped, name
    assert writing == census.AROUND | census.UNCOUNTED and not census.AROUND & census.UNCOUNTED, (
        writing ^ (census.AROUND | census.UNCOUNTED))
    modules = Path(census.__file__).parent
    for module in modules.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        runs = {name for name in census.AROUND if f'"{name}"' in text}
        if runs and module.name not in ("census.py", "statements.py"):
            assert "census.before(" in text or "census.kept(" in text, (module.name, runs)


def test_a_regions_page_reads_its_entries_only_by_id_with_no_other_filter() -> None:
    """The entries (schema/013_region_entries.cypher) hold a region's units and items in id order: a page by id
    whose only filter is withdrawn reads them, any other order or filter walks from the region down."""
    from service.graph.neo4j.listings import item_statement, node_statement
    from service.graph.types import Condition, ItemQuery, Op, Query

    entered = [ItemQuery(region_id="r"), ItemQuery(region_id="r", include_withdrawn=True, descending=True),
               Query(Label.ORGANISATION, region_id="r"), Query(Label.ENTERPRISE, region_id="r", after="x")]
    walked = [ItemQuery(region_id="r", list="NEED"), ItemQuery(region_id="r", order_by="title"),
              ItemQuery(region_id="r", unclaimed=True), ItemQuery(region_id="r", publisher_id="p"),
              Query(Label.ORGANISATION, region_id="r", order_by="name"),
              Query(Label.ORGANISATION, region_id="r", where=(Condition("kind", Op.EQ, "AGENCY"),)),
              Query(Label.MEMBER, region_id="r")]
    for query in [*entered, *walked]:
        text = item_statement(query) if isinstance(query, ItemQuery) else node_statement(query)
        assert ("MATCH (e:RegionEntry)" in text) == (query in entered), query
        assert ("e.id >" in text or "e.id <" in text) == (query.after is not None and query in entered), query
