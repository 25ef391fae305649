"""Request limits: depth, aliases, tokens (strawberry extensions) and page sizes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from strawberry.extensions import (
    MaxAliasesLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from service.errors import OverLimit

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 4000
MAX_FIRST = 100
DEFAULT_FIRST = 20
MAX_SEARCH = 50
MAX_NEIGHBOURHOOD_DEPTH = 3
MAX_NEIGHBOURHOOD_NODES = 500
MAX_BATCH = 1000  # rows per upsert mutation


def check_first(first: int, maximum: int = MAX_FIRST, what: str = "first") -> int:
    if first < 1 or first > maximum:
        raise OverLimit(f"`{what}` is {first}; ask for 1 to {maximum} and page on with `after`")
    return first


# Built once so the rule classes are the same on every request: the validation cache is keyed
# by them (a limiter instance per request would build new classes and never hit the cache).
_RULES = (
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
)


class Limits(SchemaExtension):
    """strawberry's QueryDepthLimiter and MaxAliasesLimiter rules plus MaxTokensLimiter's parser bound."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = (*context.validation_rules, *_RULES)
        context.parse_options["max_tokens"] = MAX_TOKENS
        yield


def limiters() -> list[Any]:
    """Extension classes / factories: limits first, then the parse and validation caches."""
    return [Limits, lambda: ParserCache(maxsize=512), lambda: ValidationCache(maxsize=512)]
