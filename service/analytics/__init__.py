"""Alliance analytics: the unit network (projection.py), its metrics (metrics.py, brokers.py),
coverage gaps (read live through the store), results written back onto the units
(writeback.py), exports for analysts (exports.py, http.py) and `alliance analyze` (command.py)."""
