"""sim: a role-play simulator for case teaching."""

__version__ = "0.1.0"
