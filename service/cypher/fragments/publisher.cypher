// An item row's publisher labels and properties, only when the caller reads the publisher ($withPublisher):
// a 50-item page's publishers cost the driver 0.26 ms of CPU and 0.3 ms of wall time (bench/RESULTS.md,
// session 12).
CASE WHEN $withPublisher THEN labels(publisher) END, CASE WHEN $withPublisher THEN properties(publisher) END
