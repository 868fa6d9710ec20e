"""The timeline indexer (``logscrub index``) and the store it writes to."""
