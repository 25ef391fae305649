"""Dual reporting (在职党员双报到): in-service members report to the community where they live."""
