// The claim state the store keeps on a list item `n` (the registry's `kept` properties), from its
// quantity and claimed total as they are after this write: `SET n += __KEPT__` after the row's own
// SET, which holds the node's write lock. properties(): read now, never a value the planner cached
// before the lock (tests/contract/test_lock_plans.py). {} for a node of another label.
CASE WHEN n:ListItem
     THEN {claimed: coalesce(properties(n).claimed, 0),
           remaining: coalesce(properties(n).quantity, 0) - coalesce(properties(n).claimed, 0)}
     ELSE {} END
