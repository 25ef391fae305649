"""A field extension given to every field of a type (the Mutation type's audit and provenance)."""

from __future__ import annotations

from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.types.base import StrawberryObjectDefinition


def on_every_field(type_: type[Any], extension: type[FieldExtension]) -> type[Any]:
    """`type_` with `extension` appended to each of its fields (once): the last appended is the outermost."""
    definition: StrawberryObjectDefinition = type_.__strawberry_definition__
    for field in definition.fields:
        if not any(isinstance(e, extension) for e in field.extensions):
            field.extensions.append(extension())
    return type_
