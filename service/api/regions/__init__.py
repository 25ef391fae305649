"""Regions: the administrative tree and its grids, and the counts within a region's subtree."""
