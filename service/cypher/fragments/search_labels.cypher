// Hit `n` carries one of $labels: chosen only when the caller names labels.
any(l IN labels(n) WHERE l IN $labels)
