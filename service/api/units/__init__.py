"""Units and people: party organisations, enterprises (the units of an alliance) and party members."""
