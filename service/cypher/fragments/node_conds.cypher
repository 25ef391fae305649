// `n` meets every condition of $conds, a list of {prop, op, value} (the port's Condition):
// chosen only when the listing has conditions.
all(c IN $conds WHERE
    CASE c.op
      WHEN 'eq' THEN n[c.prop] = c.value
      WHEN 'in' THEN n[c.prop] IN c.value
      WHEN 'contains' THEN n[c.prop] CONTAINS c.value
      WHEN 'startsWith' THEN n[c.prop] STARTS WITH c.value
      WHEN 'gte' THEN n[c.prop] >= c.value
      WHEN 'lte' THEN n[c.prop] <= c.value
    END)
