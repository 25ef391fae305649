// The agreements a batch touches with their parties, read before and after it in the same
// transaction (service/graph/versions.py): what changed becomes an AgreementVersion.
UNWIND $ids AS id
MATCH (a:Agreement {id: id})
OPTIONAL MATCH (u)-[r:PARTY_TO]->(a)
RETURN a.id AS id, properties(a) AS props,
       collect(CASE WHEN u IS NULL THEN null ELSE {unit: u.id, props: properties(r)} END) AS parties
