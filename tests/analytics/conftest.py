"""Analytics fixtures: the API client of tests/api, demo datasets generated once per session."""

from __future__ import annotations

from functools import cache

from service.demo import Dataset, generate
from tests.api.conftest import ApiFactory, api, make_api  # the GraphQL / HTTP client fixtures

PROFILES = ("urumqi-etdz", "baiyun", "huadu", "conghua", "foshan")


@cache
def dataset(profile: str) -> Dataset:
    """Deterministic for (profile, scale, seed), so one copy serves every test."""
    return generate(profile)

__all__ = ["PROFILES", "ApiFactory", "api", "dataset", "make_api"]
