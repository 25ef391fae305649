"""The model's enums as GraphQL enums, named and described by the registry (service/registry.py).

strawberry reads a class's enum definition when it first meets the class in an annotation, so
the types annotate with the model's own enums and this module, imported by them, names them
first. tests/test_registry.py checks every enum of the served schema against the registry.
"""

from __future__ import annotations

import strawberry

from service.registry import ENUMS


def register_enums() -> None:
    for spec in ENUMS:
        if not hasattr(spec.values, "__strawberry_definition__"):
            strawberry.enum(spec.values, name=spec.graphql, description=spec.description)


register_enums()
