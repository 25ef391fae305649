"""One validation for the API and the loaders (service/rules.py): for each rule, the error a mutation answers
and the reject reason of a file row breaking it are the same words, with the same code, on both stores."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from loaders.engine import load_file
from service import rules
from service.errors import AllianceError, ErrorCode
from tests.api.conftest import Api
from tests.contract.small_graph import ENTERPRISE, STREET_A

SIGN = """mutation($input: SignAgreementInput!) { signAgreement(input: $input) { created } }"""
CLAIM = """mutation($q: Float!) { claimItem(itemId: "ITEM-P1", claimantId: "ORG-A1", quantity: $q, on: "2024-05-01",
  claimId: "C-RULE") { remaining } }"""
CENTRES = """mutation($rows: [ServiceCentreInput!]!) { upsertServiceCentres(rows: $rows) { created } }"""
RATE = """mutation { rateWish(wishId: "W-RULE", rating: 6) { wish { id } } }"""


def _sign(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"id": "AGR-RULE", "title": "规则协议", "kind": "CO_BUILDING", "signedOn": "2024-05-01",
                            "validFrom": "2024-05-01", "validTo": "2027-04-30",
                            "parties": [{"unitId": "ORG-A2", "role": "甲方"}, {"unitId": ENTERPRISE, "role": "乙方"}]}
    return {"input": base | overrides}


AGREEMENT = ["id", "title", "valid_from", "valid_to", "party_a", "party_b", "协议各方"]

# rule: (mutation, its variables), (kind, header, row), the column the loader names
CASES: dict[str, tuple[tuple[str, dict[str, Any] | None], tuple[str, list[str], list[Any]], str]] = {
    "agreement ends before it starts": (
        (SIGN, _sign(validTo="2020-01-01")),
        ("agreements", AGREEMENT, ["AGR-RULE", "规则协议", "2024-05-01", "2020-01-01", "ORG-A2", ENTERPRISE, ""]),
        "valid_to"),
    "one party": (
        (SIGN, _sign(parties=[{"unitId": "ORG-A2", "role": "甲方"}])),
        ("agreements", AGREEMENT, ["AGR-RULE", "规则协议", "2024-05-01", "", "ORG-A2", "", ""]), ""),
    "a unit twice": (
        (SIGN, _sign(parties=[{"unitId": "ORG-A2", "role": "甲方"}, {"unitId": "ORG-A2", "role": "乙方"}])),
        ("agreements", AGREEMENT, ["AGR-RULE", "规则协议", "2024-05-01", "", "ORG-A2", "ORG-A2", ""]), ""),
    "claim of nothing": (
        (CLAIM, {"q": -2}), ("claims", ["item", "claimant", "quantity", "on"], ["ITEM-P1", "ORG-A1", "-2",
                                                                                "2024-05-01"]), "quantity"),
    "negative area": (
        (CENTRES, {"rows": [{"id": "SC-RULE", "name": "党群服务中心", "regionId": STREET_A, "areaM2": -5}]}),
        ("service_centres", ["id", "name", "region", "area_m2"], ["SC-RULE", "党群服务中心", STREET_A, "-5"]),
        "area_m2"),
    "rating out of range": (
        (RATE, None),
        ("wishes", ["id", "title", "status", "region", "acceptor", "rating"],
         ["W-RULE", "轮椅", "RATED", STREET_A, "ORG-A1", "6"]), "rating"),
}


def _csv(path: Path, header: list[str], row: list[Any]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, row])
    return path


@pytest.mark.parametrize("case", list(CASES))
async def test_a_row_the_api_refuses_is_rejected_with_the_same_reason(api: Api, tmp_path: Path, case: str) -> None:
    (query, variables), (kind, header, row), column = CASES[case]
    if kind == "wishes":  # a wish to rate: the rating is checked after the wish is found
        fulfilled = [*row[:2], "FULFILLED", *row[3:5], ""]
        done = await load_file(api.counter.inner, kind, _csv(tmp_path / "ok.csv", header, fulfilled))
        assert (done.created, done.rejected) == (1, 0), done
    error = await api.error(query, variables, role="importer")
    report = await load_file(api.counter.inner, kind, _csv(tmp_path / f"{kind}.csv", header, row))
    assert report.rejected == 1, report
    [reject] = report.rejects
    assert error["extensions"]["code"] == ErrorCode.VALIDATION
    assert reject.reason == error["message"], (reject, error)
    assert reject.column == column


async def test_a_role_given_twice_is_refused_by_the_api_and_the_rule(api: Api) -> None:
    """In a file, only the parties sheet names roles (test_multi_party.py loads it)."""
    variables = _sign(parties=[{"unitId": "ORG-A2", "role": "甲方"}, {"unitId": ENTERPRISE, "role": "甲方"}])
    error = await api.error(SIGN, variables, role="importer")
    with pytest.raises(AllianceError) as raised:
        rules.agreement_parties([("ORG-A2", "甲方"), (ENTERPRISE, "甲方")])
    assert (error["extensions"]["code"], error["message"]) == (raised.value.code, str(raised.value))
    assert error["message"] == "role '甲方' is given to two parties"


def test_every_rule_is_exercised_here() -> None:
    """A rule added to service/rules.py without a case here fails this test."""
    checks = {name for name, value in vars(rules).items()
              if callable(value) and getattr(value, "__module__", "") == rules.__name__
              and not name.startswith("_") and name not in ("as_value_error", "RuleBroken")}
    assert checks == {"agreement_dates", "agreement_parties", "claim_quantity", "centre_area", "rating"}
    assert len(CASES) == 6  # dates, two party rules (the role rule above), quantity, area, rating
