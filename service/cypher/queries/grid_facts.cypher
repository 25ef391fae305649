// Every grid in the region subtree: its level, the nearest non-grid region above it, how many
// party organisations are located in it and how many members are responsible for it.
OPTIONAL MATCH (root:Region {id: $regionId})
WITH root
WHERE $regionId IS NULL OR root IS NOT NULL
// driven from the region down when one is named: testing every grid's way up to it let the planner
// expand the whole subtree once per grid (a city's 16,810 grids ran past the 30 s budget)
CALL (root) {
  WITH root
  WHERE root IS NULL
  MATCH (g:Region {level: 'GRID'})
  RETURN g
  UNION
  WITH root
  WHERE root IS NOT NULL
  MATCH (root)<-[:PART_OF*0..]-(g:Region {level: 'GRID'})
  RETURN g
}
CALL (g) {
  OPTIONAL MATCH path = (g)-[:PART_OF*1..4]->(p:Region)
  WHERE p.level <> 'GRID'
  RETURN p
  ORDER BY length(path)
  LIMIT 1
}
RETURN g.id AS id, g.gridLevel AS gridLevel, p.id AS placeId,
       COUNT { (g)<-[:LOCATED_IN]-(:Organisation) } AS branches,
       COUNT { (g)<-[:RESPONSIBLE_FOR]-(:Member) } AS responsible
