"""The strawberry schema: every domain's queries and mutations, every entity type and the limiter
extensions. Built by `build_schema()` when the app is created; nothing is built at import."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.tools import merge_types

from service.api.access.queries import AccessQuery
from service.api.acting import Acting
from service.api.aggregates.queries import AggregateQuery
from service.api.agreements.mutations import AgreementMutation
from service.api.agreements.queries import AgreementQuery
from service.api.alliances.queries import AllianceQuery
from service.api.analytics.mutations import AnalyticsMutation
from service.api.analytics.queries import AnalyticsQuery
from service.api.analytics.runs import AnalysisRunQuery
from service.api.audit.queries import AuditQueryRoot
from service.api.audit.recording import AuditedMutation, PersonalReads
from service.api.corrections.mutations import CorrectionMutation
from service.api.errors import ResponseMeta
from service.api.graph.queries import GraphQuery
from service.api.grids.mutations import GridMutation
from service.api.grids.queries import GridQuery
from service.api.health.queries import HealthQuery
from service.api.imports.queries import ImportQuery
from service.api.limits import limiters
from service.api.lists.mutations import ListMutation
from service.api.lists.queries import ListQuery
from service.api.meetings.mutations import MeetingMutation
from service.api.meetings.queries import MeetingQuery
from service.api.plain_fields import lean_executor
from service.api.regions.queries import RegionQuery
from service.api.reporting.mutations import ReportingMutation
from service.api.reporting.queries import ReportingQuery
from service.api.service_centres.mutations import ServiceCentreMutation
from service.api.service_centres.queries import ServiceCentreQuery
from service.api.shared.extensions import on_every_field
from service.api.shared.nodes import entity_types
from service.api.teams.mutations import TeamMutation
from service.api.teams.queries import TeamQuery
from service.api.units.mutations import UnitMutation
from service.api.units.queries import UnitQuery
from service.api.wishes.mutations import WishMutation
from service.api.wishes.queries import WishQuery

# the order of the root fields in the schema
QUERIES = (AgreementQuery, ListQuery, UnitQuery, AllianceQuery, RegionQuery, GraphQuery, AccessQuery, WishQuery,
           MeetingQuery, TeamQuery, ServiceCentreQuery, ReportingQuery, GridQuery, HealthQuery, AnalyticsQuery,
           AnalysisRunQuery, AggregateQuery, ImportQuery, AuditQueryRoot)
MUTATIONS = (AgreementMutation, ListMutation, UnitMutation, WishMutation, MeetingMutation, ReportingMutation,
             TeamMutation, GridMutation, ServiceCentreMutation, AnalyticsMutation, CorrectionMutation)


class AllianceSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        # strawberry logs full tracebacks here; domain errors are expected answers, and the
        # formatter logs unexpected ones by reference without their (possibly personal) text
        return None


def build_schema() -> AllianceSchema:
    query = merge_types("Query", QUERIES)
    # every mutation is audited, and runs as its own operation (the outermost of its field's extensions)
    mutation = on_every_field(on_every_field(merge_types("Mutation", MUTATIONS), AuditedMutation), Acting)
    # every entity type, also those only an interface (node, search) or a union reaches
    return AllianceSchema(query=query, mutation=mutation, types=list(entity_types().values()),
                          extensions=[*limiters(), ResponseMeta, PersonalReads],
                          execution_context_class=lean_executor())


__all__ = ["AllianceSchema", "build_schema"]
