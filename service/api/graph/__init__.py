"""The graph as a graph: any node by id, full-text search, neighbourhoods and shortest paths."""
