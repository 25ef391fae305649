"""Plain fields answered without graphql-core's per-field machinery.

A dashboard page completes about 1,700 fields, most of them a scalar attribute of an object already built
(an organisation's id and name, an agreement's title, a party's role). graphql-core gives each one its own
Path, resolve info, strawberry Info, resolver call and two rounds of value completion. For a leaf field
(scalar or enum) that strawberry answers from the source object alone (a field without resolver, which
strawberry reads with `getattr`; or a synchronous resolver taking only `self`, such as an item's
`remaining`) and that has no field extension or permission, the executor here reads the value and coerces
it with the type's own `coerce_output_value`, as graphql-core's `complete_leaf_value` does. A value
graphql-core would answer with an error (null for a non-null field, a failed coercion, an exception) is
completed by graphql-core itself, so answers and errors stay the same.

Resolvers taking `info` or arguments never take this path: personal values (masked by role in their
resolvers), relationship loads and listings go through strawberry as before."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from operator import attrgetter
from types import FunctionType
from typing import Any, NamedTuple

from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLUnionType,
    get_nullable_type,
    is_leaf_type,
    is_non_null_type,
)
from graphql.execution.collect_fields import FieldDetails
from graphql.pyutils import Path, Undefined, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.cast import get_strawberry_type_cast
from strawberry.types.field import StrawberryField

from service.api.prefetch import Prefetcher


class Plain(NamedTuple):
    read: Callable[[Any], Any]  # the attribute strawberry's default resolver reads, or the resolver itself
    coerce: Callable[[Any], Any]  # the leaf type's coerce_output_value
    nullable: bool


def _reader(field: GraphQLField, definition: StrawberryField) -> Callable[[Any], Any] | None:
    """How strawberry would get the field's value from its source object, when that needs neither resolve info
    nor arguments: `getattr` for a field without resolver (strawberry's `_get_basic_result`), or a synchronous
    resolver taking only `self` (strawberry's `_resolver` calls it with the source). None for anything else."""
    if definition.extensions:  # field extensions, permission classes
        return None
    resolver, made_by = definition.base_resolver, getattr(field.resolve, "__name__", None)
    if resolver is None:
        basic = made_by == "_get_basic_result" and definition.default_resolver is getattr
        return attrgetter(definition.python_name) if basic else None
    if (made_by != "_resolver" or resolver.is_async or resolver.arguments
            or resolver.self_parameter is None or resolver.info_parameter or resolver.root_parameter
            or resolver.parent_parameter or not isinstance(resolver.wrapped_func, FunctionType)):
        return None
    return resolver.wrapped_func


class Held(NamedTuple):
    """An object field (an object or union type, not a list) read from the source object alone: a party's
    `agreement` and `unit`. Its value is completed as graphql-core would once its runtime type is known."""

    read: Callable[[Any], Any]
    types: dict[type, GraphQLObjectType]  # the Python class of each possible object type -> that type
    nullable: bool


def _classes(type_: GraphQLOutputType) -> dict[type, GraphQLObjectType] | None:
    """The strawberry class of each object type a value of `type_` may have (an object type, or a union's
    members), or None when one is not a plain strawberry type."""
    members = type_.types if isinstance(type_, GraphQLUnionType) else [type_]
    found: dict[type, GraphQLObjectType] = {}
    for member in members:
        definition = (member.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF) \
            if isinstance(member, GraphQLObjectType) else None
        if not isinstance(definition, StrawberryObjectDefinition) or not isinstance(member, GraphQLObjectType):
            return None
        found[definition.origin] = member
    return found


def plain_fields(type_: GraphQLObjectType) -> dict[str, Plain | Held]:
    """The leaf fields of `type_` (by GraphQL name) that strawberry answers from the source object alone, and
    its object fields read the same way."""
    found: dict[str, Plain | Held] = {}
    for name, field in type_.fields.items():
        definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if not isinstance(definition, StrawberryField):
            continue
        read = _reader(field, definition)
        if read is None:
            continue
        nullable = not is_non_null_type(field.type)
        target = get_nullable_type(field.type)
        if is_leaf_type(target):
            found[name] = Plain(read, target.coerce_output_value, nullable)
        elif isinstance(target, GraphQLObjectType | GraphQLUnionType):
            classes = _classes(target)
            if classes:
                found[name] = Held(read, classes, nullable)
    return found


class _Raised(NamedTuple):
    error: Exception


def lean_executor() -> type[StrawberryGraphQLCoreExecutionContext]:
    """An executor class for one schema: its plain fields are found once per object type, and a list's
    relationship fields are loaded for the whole list before its objects are completed (prefetch.py)."""
    plans: dict[str, dict[str, Plain | Held]] = {}
    prefetcher = Prefetcher()

    class LeanExecutor(StrawberryGraphQLCoreExecutionContext):
        def complete_iterable_value(
            self, item_type: GraphQLOutputType, field_details_list: Any, info: GraphQLResolveInfo, path: Path,
            items: Iterable[Any], position_context: Any,
        ) -> Any:
            complete = super().complete_iterable_value
            waits = prefetcher.loads(self, item_type, field_details_list,
                                     tuple(p for p in path.as_list() if isinstance(p, str)),
                                     items) if isinstance(items, list) and items else None
            if not waits:
                return complete(item_type, field_details_list, info, path, items, position_context)

            async def completed() -> Any:
                # a failed load is reported by each field's own resolver, as without the prefetch
                await asyncio.gather(*waits, return_exceptions=True)
                pacer = getattr(self.context_value, "pacer", None)  # the list's objects share the loop's turns
                if pacer is not None and not pacer.goes_on():
                    await pacer.turn()
                result = complete(item_type, field_details_list, info, path, items, position_context)
                return await result if self.is_awaitable(result) else result

            return completed()

        def execute_fields(
            self, parent_type: GraphQLObjectType, source_value: Any, path: Path | None,
            grouped_field_set: dict[str, list[FieldDetails]], position_context: Any,
        ) -> Any:
            plan = plans.get(parent_type.name)
            if plan is None:
                plan = plans[parent_type.name] = plain_fields(parent_type)
            # strawberry hands every request a manager, empty unless a schema extension has a `resolve` hook
            if not plan or (self.middleware_manager is not None and self.middleware_manager.middlewares):
                return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
            # graphql-core's Executor.execute_fields, with the plain fields read and coerced in line
            results: dict[str, Any] = {}
            is_awaitable = self.is_awaitable
            awaitable_fields: list[str] = []
            try:
                for response_name, field_details_list in grouped_field_set.items():
                    plain = plan.get(field_details_list[0].node.name.value)
                    if isinstance(plain, Held):
                        result = self._held(parent_type, source_value, field_details_list,
                                            Path(path, response_name, parent_type.name), position_context, plain)
                        results[response_name] = result
                        if is_awaitable(result):
                            awaitable_fields.append(response_name)
                        continue
                    if plain is None:
                        result = self.execute_field(parent_type, source_value, field_details_list,
                                                    Path(path, response_name, parent_type.name), position_context)
                        if result is not Undefined:
                            results[response_name] = result
                            if is_awaitable(result):
                                awaitable_fields.append(response_name)
                        continue
                    try:
                        value = plain.read(source_value)
                    except Exception as error:
                        value = _Raised(error)
                    else:
                        if value is None and plain.nullable:
                            results[response_name] = None
                            continue
                        if value is not None and value is not Undefined and not isinstance(value, Exception):
                            try:
                                coerced = plain.coerce(value)
                            except Exception:
                                coerced = None
                            if coerced is not None and coerced is not Undefined:
                                results[response_name] = coerced
                                continue
                    # null for a non-null field, a failed coercion, an error: graphql-core completes it
                    results[response_name] = self._complete(parent_type, field_details_list,
                                                            Path(path, response_name, parent_type.name),
                                                            value, position_context)
            except Exception:
                if awaitable_fields:
                    self.settle_in_background([results[field] for field in awaitable_fields])
                raise
            if not awaitable_fields:
                return results

            async def get_results() -> dict[str, Any]:
                if len(awaitable_fields) == 1:
                    field = awaitable_fields[0]
                    results[field] = await results[field]
                else:
                    awaited = await gather_with_cancel(*(results[field] for field in awaitable_fields))
                    results.update(zip(awaitable_fields, awaited, strict=True))
                return results

            return get_results()

        def _held(self, parent_type: GraphQLObjectType, source_value: Any, field_details_list: Any, path: Path,
                  position_context: Any, held: Held) -> Any:
            """An object field read from the source: its subfields executed at once when the value's class is one
            of the field's object types (what graphql-core's is_type_of or the union's resolve_type would
            decide), through graphql-core's complete_value otherwise; a field error handled as execute_field does."""
            try:
                value = held.read(source_value)
            except Exception as error:
                return self._complete(parent_type, field_details_list, path, _Raised(error), position_context)
            if value is None and held.nullable:
                return None
            runtime = held.types.get(type(value))
            if runtime is None or get_strawberry_type_cast(value) is not None:
                return self._complete(parent_type, field_details_list, path, value, position_context)
            return_type = parent_type.fields[field_details_list[0].node.name.value].type
            try:
                completed = self.collect_and_execute_subfields(runtime, field_details_list, path, value,
                                                               position_context)
            except Exception as raw_error:
                self.handle_field_error(raw_error, return_type, field_details_list, path)
                return None
            if not self.is_awaitable(completed):
                return completed

            async def await_completed() -> Any:
                try:
                    return await completed
                except Exception as raw_error:
                    self.handle_field_error(raw_error, return_type, field_details_list, path)
                    return None

            return await_completed()

        def _complete(self, parent_type: GraphQLObjectType, field_details_list: Any, path: Path, value: Any,
                      position_context: Any) -> Any:
            """The rest of graphql-core's execute_field for a value already read (a resolver is not run twice):
            complete_value, and a field error located at the field (raised on for a non-null field)."""
            field_def = parent_type.fields[field_details_list[0].node.name.value]
            info = self.build_resolve_info(field_def, [d.node for d in field_details_list], parent_type, path)
            try:
                if isinstance(value, _Raised):
                    raise value.error
                return self.complete_value(field_def.type, field_details_list, info, path, value, position_context)
            except Exception as raw_error:
                self.handle_field_error(raw_error, field_def.type, field_details_list, path)
                return None

    return LeanExecutor
