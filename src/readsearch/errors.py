"""Errors readsearch raises to its callers; the CLI prints each as one line with exit code 2.

Also the wording the layers share for the causes they report (a file that cannot be read, a
YAML parse error, a value of the wrong type), so that each is said one way everywhere."""


class ReadsearchError(Exception):
    """Base class: a fatal, user-facing error with a one-line message."""


class IndexMissing(ReadsearchError):
    """No index exists at the given location."""


class IndexDamaged(ReadsearchError):
    """The index exists but cannot be opened (e.g. a crash truncated its table of contents)."""


class IndexLocked(ReadsearchError):
    """Another process holds the index write lock longer than the wait allowed."""


class IndexUnwritable(ReadsearchError):
    """The index folder cannot be created or written (permissions, a read-only file system)."""


class QuerySyntaxError(ReadsearchError):
    """The query string cannot be understood."""


class UsageError(ReadsearchError):
    """Bad arguments: an unknown facet value form, a malformed date, a missing path."""


def os_cause(e: OSError) -> str:
    """A file system error in words: ``cannot read: permission denied``, ``cannot read: is a
    folder``, ``cannot read: no such file or directory``..."""
    if isinstance(e, PermissionError):
        return "cannot read: permission denied"
    if isinstance(e, IsADirectoryError):
        return "cannot read: is a folder"
    return f"cannot read: {(e.strerror or str(e)).lower()}"


def yaml_problem(e: Exception) -> tuple[str, int | None]:
    """What a PyYAML error says went wrong (its first line) and the line it stopped at (1-based,
    None when it does not say)."""
    mark = getattr(e, "problem_mark", None)
    problem = getattr(e, "problem", None) or str(e).split("\n")[0]
    return problem, (mark.line + 1 if mark is not None else None)


def value_kind(v, mapping: str = "a mapping", null: str = "empty") -> str:
    """What a parsed YAML or JSON value is, in words, for a message: ``a string``, ``a number``,
    ``a negative number``, ``true/false``, ``a list``, ``a mapping`` (JSON says ``an object``),
    ``empty`` (JSON says ``null``)."""
    if isinstance(v, bool):
        return "true/false"
    if v is None:
        return null
    if isinstance(v, (int, float)):
        return "a negative number" if v < 0 else "a number"
    return {str: "a string", list: "a list", dict: mapping}.get(type(v), type(v).__name__)


#: C0 control characters and DEL -> their escapes as Python writes them (``\n``, ``\t``, ``\x1b``)
CONTROL_ESCAPES = {c: repr(chr(c))[1:-1] for c in (*range(32), 127)}


def one_line(text: str) -> str:
    """``text`` with its control characters written as escapes (``\\n``, ``\\t``, ``\\x1b``), so
    that a message naming a file whose name holds a line break is still one line (str -> str)."""
    return text.translate(CONTROL_ESCAPES)
