"""``logscrub audit report``: the periodic access review of the debug-access events."""
