// How many nodes each label of the model has (`alliance info`). One branch per label of
// service.model.Label, so each count comes from Neo4j's count store rather than a scan; the contract
// test (tests/contract/test_reads.py) fails when a label of the model is missing here.
MATCH (n:Region) WITH count(n) AS count RETURN 'Region' AS label, count
UNION ALL
MATCH (n:Organisation) WITH count(n) AS count RETURN 'Organisation' AS label, count
UNION ALL
MATCH (n:Enterprise) WITH count(n) AS count RETURN 'Enterprise' AS label, count
UNION ALL
MATCH (n:Member) WITH count(n) AS count RETURN 'Member' AS label, count
UNION ALL
MATCH (n:Alliance) WITH count(n) AS count RETURN 'Alliance' AS label, count
UNION ALL
MATCH (n:Agreement) WITH count(n) AS count RETURN 'Agreement' AS label, count
UNION ALL
MATCH (n:ListItem) WITH count(n) AS count RETURN 'ListItem' AS label, count
UNION ALL
MATCH (n:Wish) WITH count(n) AS count RETURN 'Wish' AS label, count
UNION ALL
MATCH (n:Meeting) WITH count(n) AS count RETURN 'Meeting' AS label, count
UNION ALL
MATCH (n:Matter) WITH count(n) AS count RETURN 'Matter' AS label, count
UNION ALL
MATCH (n:Team) WITH count(n) AS count RETURN 'Team' AS label, count
UNION ALL
MATCH (n:ServiceCentre) WITH count(n) AS count RETURN 'ServiceCentre' AS label, count
UNION ALL
MATCH (n:Import) WITH count(n) AS count RETURN 'Import' AS label, count
UNION ALL
MATCH (n:ApiKey) WITH count(n) AS count RETURN 'ApiKey' AS label, count
UNION ALL
MATCH (n:AuditRecord) WITH count(n) AS count RETURN 'AuditRecord' AS label, count
UNION ALL
MATCH (n:AgreementVersion) WITH count(n) AS count RETURN 'AgreementVersion' AS label, count
UNION ALL
MATCH (n:UnitMerge) WITH count(n) AS count RETURN 'UnitMerge' AS label, count
