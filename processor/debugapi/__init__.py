"""The read-only debug API (``logscrub debug-api``), its policies and its audit trail."""
