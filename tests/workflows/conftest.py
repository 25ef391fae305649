"""The API fixtures of tests/api, for the workflow tests."""

from tests.api.conftest import make_api

__all__ = ["make_api"]
