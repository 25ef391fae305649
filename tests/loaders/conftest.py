"""The API fixtures (tests/api/conftest.py) for loader tests that compare a file's rows with the mutations."""

from tests.api.conftest import api, make_api  # noqa: F401
