"""Request limits: depth, aliases, tokens (strawberry extensions) and page sizes."""

from __future__ import annotations

from typing import Any

from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter

from service.errors import AllianceError

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 4000
MAX_FIRST = 100
DEFAULT_FIRST = 20
MAX_SEARCH = 50
MAX_NEIGHBOURHOOD_DEPTH = 3
MAX_NEIGHBOURHOOD_NODES = 500
MAX_BATCH = 1000  # rows per upsert mutation


class OverLimit(AllianceError):
    code = "OVER_LIMIT"


def check_first(first: int, maximum: int = MAX_FIRST, what: str = "first") -> int:
    if first < 1 or first > maximum:
        raise OverLimit(f"`{what}` is {first}; ask for 1 to {maximum} and page on with `after`")
    return first


def limiters() -> list[Any]:
    """Factories, so each request gets fresh extension instances."""
    return [
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
    ]
