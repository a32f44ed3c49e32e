"""readsearch: full-text search over diplomatic readouts (who talked to whom, when, about what)."""

__version__ = "0.1.0"
