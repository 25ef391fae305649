// List item `i` has no quantity left (unclaimed: false): a range seek on the kept `remaining`.
i.remaining <= 0
