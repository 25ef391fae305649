"""Micro-wishes (微心愿, 如愿行动): published, dispatched, accepted, fulfilled and rated."""
