// 点单: a new PUBLISHED wish IN its region. An id already used by a wish is an idempotent repeat
// (nothing changes, whatever state the wish reached); an id used by another label is refused.
OPTIONAL MATCH (existing:Entity {id: $row.id})
OPTIONAL MATCH (region:Region {id: $regionId})
WITH existing, region, existing.status AS before,
     CASE
       WHEN existing IS NOT NULL AND NOT existing:Wish THEN 'ID_TAKEN'
       WHEN existing IS NOT NULL THEN 'REPEAT'
       WHEN region IS NULL THEN 'NO_REGION'
       ELSE 'OK'
     END AS outcome
CALL (region, outcome) {
  WITH region, outcome WHERE outcome = 'OK'
  CREATE (w:Wish:Entity)
  SET w = $row, w.status = 'PUBLISHED'
  CREATE (w)-[:IN]->(region)
}
OPTIONAL MATCH (w:Wish {id: $row.id})
RETURN outcome, before, w
