"""History and corrections: an agreement's versions, withdrawals and merges of duplicate units."""
