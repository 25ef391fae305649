"""Alliances: regional party-building alliances, their member organisations and committee."""
