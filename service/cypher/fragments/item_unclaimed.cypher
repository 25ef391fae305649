// List item `i` has some quantity left ($unclaimed true) or none ($unclaimed false).
(coalesce(i.claimed, 0) < coalesce(i.quantity, 0)) = $unclaimed
