"""GraphQL API for dashboards (strawberry on FastAPI): see router.graphql_router."""
