"""Grids (网格): grid coverage by party branches and the members responsible for grids."""
