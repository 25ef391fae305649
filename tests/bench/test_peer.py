"""The peer benchmark's pieces that need no Node and no server: the answer comparison that makes a
run fail loudly when the two sides disagree, the reading of both sides' dashboard answers, and the
peer's type definitions being current with the registry."""

from __future__ import annotations

import pytest

from bench.bench_peer import Answer, AnswersDiffer, compare, peer_dashboard, service_dashboard
from bench.peer_typedefs import TYPEDEFS, render


def test_equal_answers_pass() -> None:
    compare("q", Answer(("a", "b"), (2,)), Answer(("a", "b"), (2,)))


@pytest.mark.parametrize(("peer", "says"), [
    (Answer(("a", "b"), (3,)), "counts differ: service (2,), peer (3,)"),
    (Answer(("a", "c"), (2,)), "ids differ at 1: service 'b', peer 'c'"),
    (Answer(("b", "a"), (2,)), "ids differ at 0"),
    (Answer(("a",), (2,)), "service answered 2 ids, peer 1"),
])
def test_a_difference_is_named(peer: Answer, says: str) -> None:
    with pytest.raises(AnswersDiffer, match="^organisations: " + says.replace("(", r"\(").replace(")", r"\)")):
        compare("organisations", Answer(("a", "b"), (2,)), peer)


def test_both_dashboard_shapes_flatten_alike() -> None:
    service = {"organisations": {"totalCount": 7, "nodes": [{"id": "O1", "agreements": [
        {"role": "甲方", "agreement": {"id": "A1", "parties": [
            {"role": "乙方", "unit": {"id": "E1"}}, {"role": "甲方", "unit": {"id": "O1"}}]}}]}]}}
    peer = {"organisationsConnection": {"totalCount": 7, "edges": [{"node": {"id": "O1", "agreementsConnection": {
        "edges": [{"properties": {"role": "甲方"}, "node": {"id": "A1", "partiesConnection": {"edges": [
            {"properties": {"role": "甲方"}, "node": {"id": "O1"}},
            {"properties": {"role": "乙方"}, "node": {"id": "E1"}}]}}}]}}}]}}
    assert service_dashboard(service) == peer_dashboard(peer)
    assert service_dashboard(service).ids == ("O1", "O1>A1:甲方", "A1>E1:乙方", "A1>O1:甲方")
    party = peer["organisationsConnection"]["edges"][0]["node"]["agreementsConnection"]["edges"][0]
    party["properties"]["role"] = "乙方"
    with pytest.raises(AnswersDiffer):
        compare("dashboard", service_dashboard(service), peer_dashboard(peer))


def test_the_peer_type_definitions_are_current() -> None:
    assert TYPEDEFS.read_text(encoding="utf-8") == render(), "run: python -m bench.peer_typedefs"
