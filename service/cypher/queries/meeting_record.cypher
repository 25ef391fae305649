// A joint meeting OF an alliance with its attendees (the rotating chair marked CHAIR) and the
// matters decided there, some assigned at once. All ends must exist and no id may be taken,
// else nothing is written; a meeting id already recorded for the same alliance is an idempotent
// repeat. $matters rows: {props, organisationId, person, on}.
OPTIONAL MATCH (existing:Entity {id: $meeting.id})
OPTIONAL MATCH (existing)-[:OF]->(prior:Alliance)
OPTIONAL MATCH (a:Alliance {id: $allianceId})
CALL () {
  UNWIND $attendeeIds AS oid
  OPTIONAL MATCH (o:Organisation {id: oid})
  RETURN collect(o) AS attendees, collect(CASE WHEN o IS NULL THEN oid END) AS missing
}
CALL () {
  UNWIND $matters AS t
  OPTIONAL MATCH (o:Organisation {id: t.organisationId})
  RETURN collect(CASE WHEN t.organisationId IS NOT NULL AND o IS NULL THEN t.organisationId END) AS unassignable
}
CALL () {
  UNWIND $matters AS t
  OPTIONAL MATCH (x:Entity {id: t.props.id})
  RETURN collect(x.id) AS taken
}
WITH existing, prior, a, attendees, missing, unassignable, taken,
     CASE
       WHEN existing IS NOT NULL AND NOT existing:Meeting THEN ['ID_TAKEN', $meeting.id]
       WHEN existing IS NOT NULL AND prior IS NOT NULL AND prior.id <> $allianceId THEN ['OTHER_ALLIANCE', prior.id]
       WHEN existing IS NOT NULL THEN ['REPEAT', null]
       WHEN a IS NULL THEN ['NO_ALLIANCE', $allianceId]
       WHEN size(missing) > 0 THEN ['NO_ATTENDEE', missing[0]]
       WHEN size(unassignable) > 0 THEN ['NO_ASSIGNEE', unassignable[0]]
       WHEN size(taken) > 0 THEN ['ID_TAKEN', taken[0]]
       ELSE ['OK', null]
     END AS verdict
WITH a, attendees, verdict[0] AS outcome, verdict[1] AS target
CALL (a, attendees, outcome) {
  WITH a, attendees, outcome WHERE outcome = 'OK'
  CREATE (m:Meeting:Entity)
  SET m = $meeting
  CREATE (m)-[:OF]->(a)
  WITH m, attendees
  UNWIND attendees AS o
  CREATE (o)-[r:ATTENDED]->(m)
  SET r.role = CASE WHEN o.id = $chairId THEN 'CHAIR' END
}
CALL (outcome) {
  WITH outcome WHERE outcome = 'OK'
  MATCH (m:Meeting {id: $meeting.id})
  UNWIND $matters AS t
  CREATE (x:Matter:Entity)
  SET x = t.props
  CREATE (x)-[:DECIDED_AT]->(m)
  WITH x, t
  OPTIONAL MATCH (o:Organisation {id: t.organisationId})
  CALL (x, o, t) {
    WITH x, o, t WHERE o IS NOT NULL
    CREATE (x)-[r:ASSIGNED_TO]->(o)
    SET r.person = t.person, r.on = t.on
  }
}
OPTIONAL MATCH (m:Meeting {id: $meeting.id})
RETURN outcome, target, m, COLLECT { MATCH (x:Matter)-[:DECIDED_AT]->(m) RETURN x ORDER BY x.id } AS matters
