"""The strawberry schema: queries, mutations, every entity type and the limiter extensions."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.tools import merge_types

from service.api.analytics import AnalyticsQuery
from service.api.errors import ResponseMeta, code_of
from service.api.limits import limiters
from service.api.mutations import Mutation
from service.api.queries import Query_
from service.api.types.entities import ENTITY_TYPES
from service.api.workflows import WorkflowMutation, WorkflowQuery


class AllianceSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        # strawberry logs full tracebacks here; domain errors are expected answers, and the
        # formatter logs unexpected ones by reference without their (possibly personal) text
        return None


def build_schema() -> AllianceSchema:
    query = merge_types("Query", (Query_, WorkflowQuery, AnalyticsQuery))
    mutation = merge_types("Mutation", (Mutation, WorkflowMutation))
    return AllianceSchema(query=query, mutation=mutation, types=ENTITY_TYPES, extensions=[*limiters(), ResponseMeta])


schema = build_schema()

__all__ = ["AllianceSchema", "build_schema", "code_of", "schema"]
