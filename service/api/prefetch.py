"""A list's relationship fields loaded once for all its objects, before the objects are completed.

Each relationship field (an organisation's `agreements`, an agreement's `parties`) resolves through a
DataLoader keyed by its field path, so a page costs one store call per such field. But each of the
page's objects still awaited its own load: a coroutine, a future, a turn of the pacer and a gather of
its parent's fields, for every object on the page (a dashboard page: some 130 such waits, most of its
CPU after the store's). Here, when graphql-core is about to complete a list of objects, the executor
first asks each relationship field of the list's selection (and of plain object fields below it, such
as a party's `agreement`) for every object of the list: the same loaders, the same keys, the same one
store call per field path. Once those loads are in, the objects are completed, and a resolver marked
`related` finds its rows already loaded and answers without waiting (`rows_of` in shared/nodes.py).

Answers, errors and statement counts stay those of the loaders: a failed load is left for each field's
own resolver to report, as before."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from operator import attrgetter
from typing import Any, NamedTuple, TypeVar

from graphql import GraphQLObjectType, GraphQLOutputType, get_nullable_type
from graphql.execution.collect_fields import FieldDetails
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField
from strawberry.types.private import is_private

from service.model import RelType

F = TypeVar("F", bound=Callable[..., Any])
_MARK = "_alliance_related"


def related(type: RelType, outgoing: bool) -> Callable[[F], F]:
    """Marks a resolver that answers its object's `type` relationships (outgoing or incoming) through the
    request's loader for its field path (`context.related`), so a list of its objects loads them first."""

    def mark(resolver: F) -> F:
        setattr(resolver, _MARK, (type, outgoing))
        return resolver

    return mark


class Nested(NamedTuple):
    read: Callable[[Any], Any]  # the attribute strawberry's default resolver reads
    type: GraphQLObjectType


class Plan(NamedTuple):
    related: dict[str, tuple[RelType, bool]]  # GraphQL field name -> the relationship its resolver loads
    nested: dict[str, Nested]  # object fields read from an attribute: their own selection is looked into


def plan_of(type_: GraphQLObjectType) -> Plan:
    found, nested = {}, {}
    for name, field in type_.fields.items():
        definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if not isinstance(definition, StrawberryField) or definition.extensions:
            continue
        resolver = definition.base_resolver
        if resolver is not None:
            mark = getattr(resolver.wrapped_func, _MARK, None)
            if mark is not None:
                found[name] = mark
            continue
        target = get_nullable_type(field.type)
        if (isinstance(target, GraphQLObjectType) and definition.default_resolver is getattr
                and not is_private(definition.type)):
            nested[name] = Nested(attrgetter(definition.python_name), target)
    return Plan(found, nested)


class Prefetcher:
    """The loads of one schema's lists (plans found once per object type)."""

    def __init__(self) -> None:
        self.plans: dict[str, Plan] = {}

    def loads(self, executor: Any, item_type: GraphQLOutputType, field_details_list: list[FieldDetails],
              path_names: tuple[str, ...], items: list[Any]) -> list[asyncio.Future[Any]]:
        """The loads not yet in for the relationship fields of `items` (a list of `item_type`, at
        `path_names`: the field path without list indices, as the loaders are keyed)."""
        type_ = get_nullable_type(item_type)
        waits: list[asyncio.Future[Any]] = []
        if isinstance(type_, GraphQLObjectType):
            self._collect(executor, type_, field_details_list, path_names, items, waits)
        return waits

    def _collect(self, executor: Any, type_: GraphQLObjectType, field_details_list: list[FieldDetails],
                 path_names: tuple[str, ...], sources: list[Any], waits: list[asyncio.Future[Any]]) -> None:
        plan = self.plans.get(type_.name)
        if plan is None:
            plan = self.plans[type_.name] = plan_of(type_)
        if not plan.related and not plan.nested:
            return
        grouped = executor.collect_subfields(type_, field_details_list)[0]
        for response_name, details in grouped.items():
            name = details[0].node.name.value
            relationship = plan.related.get(name)
            if relationship is not None:
                loader = executor.context_value.related(*relationship, (*path_names, response_name))
                for source in sources:
                    key = getattr(source, "id", None)
                    if key is not None:
                        loaded = loader.load(key)
                        if isinstance(loaded, asyncio.Future) and not loaded.done():
                            waits.append(loaded)
                continue
            nested = plan.nested.get(name)
            if nested is not None:
                values = [v for v in map(nested.read, sources) if v is not None]
                if values:
                    self._collect(executor, nested.type, details, (*path_names, response_name), values, waits)
