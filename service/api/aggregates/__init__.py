"""Totals over the listings: sums and distinct counts a dashboard figure needs, one call each."""
