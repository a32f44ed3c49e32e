"""Errors readsearch raises to its callers; the CLI prints each as one line with exit code 2."""


class ReadsearchError(Exception):
    """Base class: a fatal, user-facing error with a one-line message."""


class IndexMissing(ReadsearchError):
    """No index exists at the given location."""


class IndexDamaged(ReadsearchError):
    """The index exists but cannot be opened (e.g. a crash truncated its table of contents)."""


class IndexLocked(ReadsearchError):
    """Another process holds the index write lock longer than the wait allowed."""


class QuerySyntaxError(ReadsearchError):
    """The query string cannot be understood."""


class UsageError(ReadsearchError):
    """Bad arguments: an unknown facet value form, a malformed date, a missing path."""
