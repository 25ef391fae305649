// A region tally's key (schema/012_region_tallies.cypher, queries/census_settle.cypher): the region, label,
// kind and status it counts, each as <type letter><length>:<text> or - for none, so values Cypher tells
// apart (1, 1.0, "1") key apart tallies and no two combinations spell the same key.
reduce(k = '', v IN [region, label, kind, status] |
       k + CASE WHEN v IS NULL THEN '-' ELSE left(valueType(v), 1) + toString(size(toString(v))) + ':' + toString(v) END)
