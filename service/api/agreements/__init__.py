"""Agreements: co-building agreements, the units party to them and the pairings they make."""
