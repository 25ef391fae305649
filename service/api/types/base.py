"""Shared plumbing of the object types: store nodes → strawberry objects, relationship loads."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, TypeAlias, TypeVar

import strawberry

from service.api.context import Context
from service.graph.types import Node, Related
from service.model import Label, RelType

Info: TypeAlias = strawberry.Info[Context, None]
T = TypeVar("T")

_REGISTRY: dict[Label, type[Any]] = {}


def entity(label: Label) -> Any:
    """Register a strawberry type as the GraphQL form of a store label."""

    def register(cls: type[T]) -> type[T]:
        _REGISTRY[label] = cls
        return cls

    return register


def camel(name: str) -> str:
    name = name.rstrip("_")
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


@functools.cache
def _plain_fields(cls: type[Any]) -> tuple[tuple[str, str], ...]:
    """(python name, store property) of the fields filled from node properties."""
    return tuple(
        (f.name, camel(f.name)) for f in dataclasses.fields(cls)
        if getattr(f, "base_resolver", None) is None and f.name not in ("raw", "id")
    )


def build(cls: type[T], node: Node) -> T:
    kwargs: dict[str, Any] = {"id": strawberry.ID(node.id), "raw": node}
    for name, prop in _plain_fields(cls):  # type: ignore[arg-type]
        value = node.props.get(prop)
        kwargs[name] = str(value) if isinstance(value, str) else value  # StrEnum values → plain text
    return cls(**kwargs)


def wrap(node: Node) -> Any:
    return build(_REGISTRY[node.label], node)


async def rel(info: Info, node_id: str, type: RelType, outgoing: bool, *labels: Label) -> list[Related]:
    path = tuple(p for p in info.path.as_list() if isinstance(p, str))
    rows = await info.context.related(type, outgoing, path).load(node_id)
    return [r for r in rows if not labels or r.node.label in labels]


async def rel_nodes(info: Info, node_id: str, type: RelType, outgoing: bool, *labels: Label) -> list[Any]:
    return [wrap(r.node) for r in await rel(info, node_id, type, outgoing, *labels)]


async def rel_one(info: Info, node_id: str, type: RelType, outgoing: bool, *labels: Label) -> Any | None:
    rows = await rel(info, node_id, type, outgoing, *labels)
    return wrap(rows[0].node) if rows else None
