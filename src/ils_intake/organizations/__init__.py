"""Organizations: the management companies whose properties receive leads."""
