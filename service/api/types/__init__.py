"""GraphQL object types, inputs and connections."""
