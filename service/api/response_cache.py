"""A response cache for GraphQL queries, keyed by the store's version token.

Dashboards poll the same questions; answering a repeat costs one trivial statement (the store's
`version()`) instead of the whole execution. The key holds everything an answer depends on: the
operation text and name, the variables, the caller's role and region (masking and scope differ
by them) and the store version, which changes with every write by anyone — so an answer is never
served after the data it describes has changed. Only queries without errors are kept; mutations
are never cached. A small LRU bounds memory; entries of older versions simply age out.

A question is admitted on its second sight: the first time it runs as if there were no cache (no
version read, so a refused or one-off request costs the store nothing extra), and only a question
that answered without errors once is cached from then on.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)
from strawberry.types import ExecutionResult

from service.api.limits import parsed

Question = tuple[str, str | None, str, str, str | None]  # text, operation, variables, role, region
Key = tuple[Question, str]  # with the store version
# root fields whose answers change without a write (an analysis run's progress): never cached
LIVE_FIELDS = frozenset({"analysisRun", "analysisRuns"})


@lru_cache(maxsize=512)
def is_query(text: str, operation_name: str | None) -> bool:
    """Whether the operation to run is a query that may be cached: not one asking a LIVE_FIELDS field;
    anything unparsable is left to the executor."""
    try:
        document = parsed(text)
    except GraphQLError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)]
    if len(chosen) != 1 or chosen[0].operation is not OperationType.QUERY:
        return False
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    return not _asks_live(chosen[0].selection_set, fragments, set())


def _asks_live(selection: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode], seen: set[str]) -> bool:
    """Whether a root selection (through its fragments) names a live field."""
    for node in selection.selections:
        if isinstance(node, FieldNode) and node.name.value in LIVE_FIELDS:
            return True
        if isinstance(node, InlineFragmentNode) and _asks_live(node.selection_set, fragments, seen):
            return True
        if isinstance(node, FragmentSpreadNode) and node.name.value not in seen:
            seen.add(node.name.value)
            found = fragments.get(node.name.value)
            if found is not None and _asks_live(found.selection_set, fragments, seen):
                return True
    return False


class ResponseCache:
    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Key, ExecutionResult] = OrderedDict()
        self._seen: OrderedDict[Question, None] = OrderedDict()

    @staticmethod
    def question(
        text: str, operation_name: str | None, variables: dict[str, Any] | None, role: str, region_id: str | None
    ) -> Question:
        return text, operation_name, json.dumps(variables or {}, sort_keys=True, default=str), role, region_id

    def admitted(self, question: Question) -> bool:
        """Whether this question answered without errors before (then it is worth a version read)."""
        return question in self._seen

    def saw(self, question: Question, result: ExecutionResult) -> None:
        if self.size > 0 and not result.errors:
            _remember(self._seen, question, None, self.size * 4)

    def get(self, key: Key) -> ExecutionResult | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: Key, result: ExecutionResult) -> None:
        if self.size > 0 and not result.errors:
            _remember(self._entries, key, result, self.size)


def _remember(entries: OrderedDict[Any, Any], key: Any, value: Any, size: int) -> None:
    entries[key] = value
    entries.move_to_end(key)
    while len(entries) > size:
        entries.popitem(last=False)
