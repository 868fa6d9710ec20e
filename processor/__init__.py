"""logscrub: masks secrets and personal data in log records."""

__all__ = ["__version__"]

__version__ = "0.1.0"
