"""What every domain of the GraphQL API shares: store nodes as objects and their relationship loads
(nodes), connections, filter inputs, listing and mutation helpers, the model's enums, and the names
domains refer to each other's types by (refs)."""
