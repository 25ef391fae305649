"""Access: who the caller is to this API (role and region scope)."""
