"""Shared plumbing of the object types: store nodes → strawberry objects, relationship loads."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeAlias, TypeVar

import strawberry

from service.api.context import Context
from service.graph.store import Node, Related
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


def build(cls: type[T], node: Node) -> T:
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if getattr(f, "base_resolver", None) is not None:
            continue
        if f.name == "raw":
            kwargs["raw"] = node
        elif f.name == "id":
            kwargs["id"] = strawberry.ID(node.id)
        else:
            value = node.props.get(camel(f.name))
            kwargs[f.name] = str(value) if isinstance(value, str) else value
    return cls(**kwargs)


def wrap(node: Node) -> Any:
    return build(_REGISTRY[node.label], node)


async def rel(info: Info, node_id: str, type: RelType, outgoing: bool, *labels: Label) -> list[Related]:
    rows = await info.context.related(type, outgoing).load(node_id)
    return [r for r in rows if not labels or r.node.label in labels]


async def rel_nodes(info: Info, node_id: str, type: RelType, outgoing: bool, *labels: Label) -> list[Any]:
    return [wrap(r.node) for r in await rel(info, node_id, type, outgoing, *labels)]


async def rel_one(info: Info, node_id: str, type: RelType, outgoing: bool, *labels: Label) -> Any | None:
    rows = await rel(info, node_id, type, outgoing, *labels)
    return wrap(rows[0].node) if rows else None
