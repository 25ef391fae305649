"""The peer's type definitions (bench/peer/typeDefs.graphql), generated from service/registry.py.

    .venv/bin/python -m bench.peer_typedefs          # rewrites bench/peer/typeDefs.graphql

One @node type per label of the registry with its non-personal properties (the peer serves no
personal data, so nothing there needs masking), the relationships the benchmark's questions walk,
and the service's root fields that have no generated equivalent in @neo4j/graphql as @cypher fields
over the same statements' logic: pairedUnits, node(id:) and search (the existing `names` full-text
index). tests/bench/test_peer.py checks the committed file is current.
"""

from __future__ import annotations

from pathlib import Path

from service.model import Label, RelType
from service.registry import LabelSpec, Prop, PropType, labels, rel_spec, searchable_labels

TYPEDEFS = Path(__file__).parent / "peer" / "typeDefs.graphql"

SCALARS = {PropType.STRING: "String", PropType.INT: "Int", PropType.FLOAT: "Float", PropType.BOOL: "Boolean",
           PropType.DATE: "String", PropType.STRINGS: "[String!]"}

# (label, field, relationship type, direction, target type, relationship-properties type)
RELATIONSHIPS: tuple[tuple[Label, str, RelType, str, str, str | None], ...] = (
    (Label.ORGANISATION, "agreements", RelType.PARTY_TO, "OUT", "Agreement", "PartyTo"),
    (Label.ENTERPRISE, "agreements", RelType.PARTY_TO, "OUT", "Agreement", "PartyTo"),
    (Label.AGREEMENT, "parties", RelType.PARTY_TO, "IN", "Unit", "PartyTo"),
    (Label.ORGANISATION, "published", RelType.PUBLISHED, "OUT", "ListItem", None),
    (Label.ENTERPRISE, "published", RelType.PUBLISHED, "OUT", "ListItem", None),
    (Label.LIST_ITEM, "publisher", RelType.PUBLISHED, "IN", "Unit", None),
    (Label.ORGANISATION, "claims", RelType.CLAIMED, "OUT", "ListItem", "Claim"),
    (Label.ENTERPRISE, "claims", RelType.CLAIMED, "OUT", "ListItem", "Claim"),
    (Label.ORGANISATION, "region", RelType.LOCATED_IN, "OUT", "Region", None),
    (Label.ENTERPRISE, "region", RelType.LOCATED_IN, "OUT", "Region", None),
    (Label.REGION, "parent", RelType.PART_OF, "OUT", "Region", None),
)

# Properties the service keeps on a node beyond the registry's declared ones.
EXTRA: dict[Label, tuple[Prop, ...]] = {Label.LIST_ITEM: (Prop("claimed", PropType.FLOAT),)}

# Fields computed per node, as the service answers them.
COMPUTED: dict[Label, tuple[str, ...]] = {
    Label.LIST_ITEM: (
        'remaining: Float @cypher(statement: "RETURN coalesce(this.quantity, 0) - coalesce(this.claimed, 0) AS r",'
        ' columnName: "r")',
    ),
    Label.ORGANISATION: (
        "\"The ACTIVE agreements this unit shares with organisation `organisationId` (pairedUnits' agreements).\"\n"
        '  pairedAgreements(organisationId: ID!): [Agreement!]! @cypher(statement: """\n'
        "    MATCH (this)-[:PARTY_TO]->(a:Agreement {status: 'ACTIVE'})"
        "<-[:PARTY_TO]-(:Organisation {id: $organisationId})\n"
        '    RETURN DISTINCT a ORDER BY a.id""", columnName: "a")',
    ),
}
COMPUTED[Label.ENTERPRISE] = COMPUTED[Label.ORGANISATION]

QUERY = '''
type Query {
  "The units sharing an ACTIVE agreement with the organisation (the service's pairedUnits, unscoped)."
  pairedUnits(organisationId: ID!): [Unit!]!
    @cypher(statement: """
      MATCH (o:Organisation {id: $organisationId})-[:PARTY_TO]->(:Agreement {status: 'ACTIVE'})<-[:PARTY_TO]-(u)
      WHERE u <> o
      RETURN DISTINCT u ORDER BY u.id""", columnName: "u")
  "Any node by its id (the service's node(id:))."
  entity(id: ID!): AnyNode @cypher(statement: "MATCH (n:Entity {id: $id}) RETURN n", columnName: "n")
  "Full-text hits over names and titles on the service's own index (the service's search)."
  search(text: String!, first: Int!): [Named!]!
    @cypher(statement: """
      CALL db.index.fulltext.queryNodes('names', $text) YIELD node, score
      RETURN node ORDER BY score DESC, node.id LIMIT $first""", columnName: "node")
}
'''


def _relationship_properties(name: str, type: RelType) -> str:
    fields = "\n".join(f"  {p.name}: {SCALARS[p.kind]}" for p in rel_spec(type).props if p.personal is None)
    return f"type {name} @relationshipProperties {{\n{fields}\n}}\n"


def _served() -> list[LabelSpec]:
    """The model's labels, without the service's own records in no region (Import, ApiKey: a key's hash)."""
    return [spec for spec in labels() if spec.region_path is not None]


def render() -> str:
    parts = ["# GENERATED from service/registry.py by `python -m bench.peer_typedefs`: do not edit.\n"]
    for spec in _served():
        fields = ["  id: ID!"]
        for prop in (*spec.props, *EXTRA.get(spec.label, ())):
            if prop.name != "id" and prop.personal is None and not prop.kept:  # kept: as EXTRA / COMPUTED
                fields.append(f"  {prop.name}: {SCALARS[prop.kind]}")
        for label, field, type, direction, target, props in RELATIONSHIPS:
            if label is spec.label:
                extra = f', properties: "{props}"' if props else ""
                fields.append(f'  {field}: [{target}!]! '
                              f'@relationship(type: "{type.value}", direction: {direction}{extra})')
        fields.extend(f"  {computed}" for computed in COMPUTED.get(spec.label, ()))
        parts.append(f'type {spec.graphql} @node(labels: ["{spec.label.value}"]) {{\n' + "\n".join(fields) + "\n}\n")
    seen: set[str] = set()
    for _, _, type, _, _, props in RELATIONSHIPS:
        if props and props not in seen:
            seen.add(props)
            parts.append(_relationship_properties(props, type))
    parts.append("union Unit = Organisation | Enterprise\n")
    parts.append("union AnyNode = " + " | ".join(s.graphql for s in _served()) + "\n")
    parts.append("union Named = " + " | ".join(s.graphql for s in _served() if s.label in searchable_labels()) + "\n")
    parts.append(QUERY)
    return "\n".join(parts)


def main() -> None:
    TYPEDEFS.write_text(render(), encoding="utf-8")
    print(f"wrote {TYPEDEFS}")


if __name__ == "__main__":
    main()
