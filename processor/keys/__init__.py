"""Keys of the ``encrypt`` operator: the keyring, the KMS backends, reveal, ``logscrub keys``."""
