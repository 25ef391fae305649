// Relationship `r` meets every condition of $relConds, a list of {prop, op, value} (as node_conds.cypher for `n`).
all(c IN $relConds WHERE
    CASE c.op
      WHEN 'eq' THEN r[c.prop] = c.value
      WHEN 'in' THEN r[c.prop] IN c.value
      WHEN 'contains' THEN r[c.prop] CONTAINS c.value
      WHEN 'startsWith' THEN r[c.prop] STARTS WITH c.value
      WHEN 'gte' THEN r[c.prop] >= c.value
      WHEN 'lte' THEN r[c.prop] <= c.value
    END)
