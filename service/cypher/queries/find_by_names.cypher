// Nodes whose name is exactly one of $names, through the label's name index (Organisation,
// Enterprise); a name shared by several nodes returns each of them.
UNWIND $names AS name
MATCH (n:__LABEL__ {name: name})
RETURN n
