"""``logscrub monitor``: debug-access events in, windowed counts per actor, bursts out.

Reads the debug API's audit topic (CloudEvents 1.0 binary mode, OCSF API Activity
payload) with faust-streaming under exactly-once processing, keeps windowed tables
keyed by actor, emits burst CloudEvents and serves low-cardinality metrics.
"""
