"""Store nodes as strawberry objects: the Node interface, the label → type registration that `wrap`
reads, and the relationship loads every domain's types resolve through (one DataLoader per
relationship type, direction and field path: a page costs one store call per such field)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeAlias, TypeVar, cast

import strawberry
from strawberry.types.private import is_private

from service import masking
from service.api.context import Context
from service.api.pacing import Pacer
from service.graph.types import Node, Related
from service.model import Label, RelType

Info: TypeAlias = strawberry.Info[Context, None]
T = TypeVar("T")
U = TypeVar("U")
Loaded: TypeAlias = T | Awaitable[T]  # a resolver's answer, now or once awaited (graphql-core takes either)

_REGISTRY: dict[Label, type[Any]] = {}
_PLAIN_FIELDS: dict[type[Any], tuple[tuple[str, str], ...]] = {}


@strawberry.interface(name="Node", description="Anything with a stable id: node(id:) finds it.")
class Entity:
    id: strawberry.ID


def entity(label: Label) -> Any:
    """Register a strawberry type as the GraphQL form of a store label."""

    def register(cls: type[T]) -> type[T]:
        _REGISTRY[label] = cls
        return cls

    return register


def entity_types() -> dict[Label, type[Any]]:
    """The registered type of each label (those of the domain modules imported so far)."""
    return dict(_REGISTRY)


def camel(name: str) -> str:
    name = name.rstrip("_")
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def _plain_fields(cls: type[Any]) -> tuple[tuple[str, str], ...]:
    """(python name, store property) of the fields filled from node properties: the GraphQL fields
    without a resolver, not the private ones (`raw`, a listed item's `listed`)."""
    found = _PLAIN_FIELDS.get(cls)
    if found is None:
        found = _PLAIN_FIELDS[cls] = tuple(
            (f.python_name, camel(f.python_name)) for f in cls.__strawberry_definition__.fields
            if f.base_resolver is None and f.python_name != "id" and not is_private(f.type)
        )
    return found


def build(cls: type[T], node: Node, **private: Any) -> T:
    """The object of type `cls` for a node; `private` fills private fields beyond `raw`."""
    kwargs: dict[str, Any] = {"id": strawberry.ID(node.id), "raw": node, **private}
    for name, prop in _plain_fields(cls):
        value = node.props.get(prop)
        kwargs[name] = str(value) if isinstance(value, str) else value  # StrEnum values → plain text
    return cls(**kwargs)


def wrap(node: Node) -> Any:
    return build(_REGISTRY[node.label], node)


def _path(info: Info) -> tuple[str, ...]:
    return tuple(p for p in info.path.as_list() if isinstance(p, str))


async def rel(info: Info, node_id: str, type: RelType, outgoing: bool, *labels: Label) -> list[Related]:
    context = info.context
    rows = await context.related(type, outgoing, _path(info)).load(node_id)
    if not context.pacer.goes_on():
        await context.pacer.turn()
    return [r for r in rows if r.node.label in labels] if labels else rows


def rows_of(info: Info, node_id: str, type: RelType, outgoing: bool) -> Loaded[list[Related]]:
    """`rel`'s rows, without waiting when they are loaded already (a list of the node's objects loaded
    them for all its objects first, and took its turn of the pacer then: service/api/prefetch.py); else
    an awaitable of them. For a resolver marked `@related(type, outgoing)`."""
    context = info.context
    loaded = context.related(type, outgoing, _path(info)).load(node_id)
    if (isinstance(loaded, asyncio.Future) and loaded.done() and not loaded.cancelled()
            and loaded.exception() is None):
        return cast(list[Related], loaded.result())
    return _rows_later(loaded, context.pacer)


async def _rows_later(loaded: Awaitable[list[Related]], pacer: Pacer) -> list[Related]:
    rows = await loaded
    if not pacer.goes_on():
        await pacer.turn()
    return rows


def then(value: Loaded[T], answer: Callable[[T], U]) -> Loaded[U]:
    """`answer(value)`, now when the value is, or once it is awaited."""
    if not inspect.isawaitable(value):
        return answer(value)

    async def later() -> U:
        return answer(await value)

    return later()


async def rel_nodes(info: Info, node_id: str, type: RelType, outgoing: bool, *labels: Label) -> list[Any]:
    return [wrap(r.node) for r in await rel(info, node_id, type, outgoing, *labels)]


async def rel_one(info: Info, node_id: str, type: RelType, outgoing: bool, *labels: Label) -> Any | None:
    rows = await rel(info, node_id, type, outgoing, *labels)
    return wrap(rows[0].node) if rows else None


async def by_id(info: Info, node_id: str | None) -> Any | None:
    """The node with this id (already known from an earlier answer), loaded with the others of its
    field path in one store call; None when absent or outside the caller's region."""
    if node_id is None:
        return None
    found = await info.context.nodes(_path(info)).load(node_id)
    if not info.context.pacer.goes_on():
        await info.context.pacer.turn()
    return None if found is None else wrap(found)


def text(value: object) -> str | None:
    return None if value is None else str(value)


def personal(info: Info, node: Node, key: str) -> str | None:
    """A node's property as the caller may see it (masked as the registry declares)."""
    value = node.props.get(key)
    info.context.shown_personal(node.id, masking.is_personal(node.label, key), value)
    return text(masking.node_property(node.label, key, value, info.context.caller.sees_personal_data))
