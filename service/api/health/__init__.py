"""Organisation health: rule breaches to follow up (branch sizes, quiet alliances, overdue agreements)."""
