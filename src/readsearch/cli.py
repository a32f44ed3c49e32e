"""The ``readsearch`` command line: the entry point :func:`main`.

The commands, their options and ``--help`` are defined once, as a typer app, in
:mod:`readsearch.commands`. Importing typer (and click, which it vendors) costs a new process
about 70 ms, more than the rest of a scripted lookup, so :func:`main` first tries
:func:`parse_query_argv`: a ``query`` command line made only of options it knows, in their
plain forms, is answered without importing typer, by the same :func:`run_query` the typer
command calls. Anything else (other commands, ``-h``/``--help``, ``--version``, short options
run together, a missing value, an extra argument...) goes to the typer app, which parses it
and reports errors. Both paths give the same output and exit code (``tests/test_cli_fast.py``
checks them against each other).

Exit codes: ``index`` 0 all files read, 1 some failed, 2 fatal error; ``query`` 0 something
matched, 1 nothing matched, 2 error (as grep); ``show`` 0 found, 1 no such id, 2 error; any
command interrupted by SIGINT (Ctrl-C) 130, by SIGTERM 143, after one line ``readsearch:
interrupted``. Errors are one line on stderr, never a traceback.
"""
from __future__ import annotations

import sys

from readsearch.errors import ReadsearchError, one_line

#: ``query`` filter options, in the order the typer command passes them: option -> field
FILTER_OPTIONS = {"--country": "country", "-c": "country", "--person": "person", "-p": "person",
                  "--participant": "participant", "--topic": "topic", "-t": "topic", "--hashtag": "hashtag",
                  "--organization": "organization", "-o": "organization", "--issuer": "issuer",
                  "--kind": "kind", "--initiative": "initiative"}
FILTER_FIELDS = ("country", "person", "participant", "topic", "hashtag", "organization", "issuer", "kind",
                 "initiative")
#: other ``query`` options taking a value: option -> (parameter, converter)
VALUE_OPTIONS = {"--index": ("index", str), "--since": ("since", str), "--until": ("until", str),
                 "--sort": ("sort", str), "--limit": ("limit", int), "-n": ("limit", int),
                 "--offset": ("offset", int), "--duplicates": ("duplicates", str), "--format": ("fmt", str),
                 "-f": ("fmt", str)}
#: ``query`` flags: option -> (parameter, value)
FLAG_OPTIONS = {"--facets": ("facets", True), "--color": ("color", True), "--no-color": ("color", False),
                "--batch": ("batch", True)}
#: the typer command's defaults (checked against it by the tests)
QUERY_DEFAULTS = dict(query="", index=None, since=None, until=None, sort="relevance", limit=10, offset=0,
                      facets=False, duplicates="collapse", fmt="table", color=None, batch=False)


def _err(message: str) -> None:
    print(f"readsearch: {one_line(message)}", file=sys.stderr)


def run_query(query: str, index: str | None, filters: dict[str, list[str]], *, since: str | None = None,
              until: str | None = None, sort: str = "relevance", limit: int = 10, offset: int = 0,
              facets: bool = False, duplicates: str = "collapse", fmt: str = "table",
              color: bool | None = None, batch: bool = False) -> int:
    """``readsearch query``: search (or ``--batch``), print, return the exit code."""
    from readsearch import api
    from readsearch.render import check_format, render_search

    options = api.SearchOptions(filters={k: v for k, v in filters.items() if v}, since=since, until=until,
                                sort=sort, limit=limit, offset=offset, facets=facets, duplicates=duplicates)
    check_format(fmt)
    if batch:
        if fmt not in ("table", "json", "jsonl"):   # table: the default, not asked for
            raise ReadsearchError(f"--format {fmt}: --batch writes JSON Lines (one result per input line); "
                                  "leave --format out")
        return _batch(query, index, options)
    # ids ask for no count, unless past the first page: the exit code must tell "no match" from
    # "past the last match" as the other formats do
    options.snippets = fmt != "ids"
    options.count = fmt != "ids" or offset > 0
    result = api.search(query, api.default_index_dir(index), options)
    render_search(result, fmt, color)
    return 0 if result.hits or result.total > 0 else 1


def _batch(query: str, index: str | None, options) -> int:
    """``query --batch``: stdin lines in, JSON Lines out (see ``query --help``)."""
    from readsearch import api
    from readsearch.render import dumps, write_out

    if query:
        raise ReadsearchError("--batch reads its queries from stdin: give no QUERY argument")
    bad = 0
    for n, res in enumerate(api.search_lines(sys.stdin, api.default_index_dir(index), options), 1):
        if isinstance(res, ReadsearchError):
            bad += 1
            write_out(dumps({"line": n, "error": str(res)}) + "\n")
        else:
            write_out(dumps(res.to_dict()) + "\n")
    return 1 if bad else 0


def parse_query_argv(argv: list[str]) -> dict | None:
    """The :func:`run_query` arguments of a plain ``readsearch query ...`` command line, or None
    when the typer app must parse it.

    Known: the ``query`` options as ``--opt VALUE``, ``--opt=VALUE`` (long options) or ``-x VALUE``,
    flags, one QUERY argument, ``--``. Repeated filter options add up; for the others the last
    one wins (as click). Anything else, such as an integer that is not plain digits, returns None."""
    if not argv or argv[0] != "query":
        return None
    kw = dict(QUERY_DEFAULTS)
    filters: dict[str, list[str]] = {f: [] for f in FILTER_FIELDS}
    positional: list[str] = []
    rest = iter(argv[1:])
    for tok in rest:
        if tok == "--":
            positional.extend(rest)
            break
        if tok == "-":  # stdin by convention; leave it to typer
            return None
        if not tok.startswith("-"):
            positional.append(tok)
            continue
        name, eq, value = tok.partition("=") if tok.startswith("--") else (tok, "", "")
        if name in FLAG_OPTIONS:
            if eq:
                return None
            param, flag = FLAG_OPTIONS[name]
            kw[param] = flag
            continue
        if name not in FILTER_OPTIONS and name not in VALUE_OPTIONS:
            return None
        if not eq:  # as click: the next argument is the value, whatever it looks like
            value = next(rest, None)
            if value is None:
                return None
        if name in FILTER_OPTIONS:
            filters[FILTER_OPTIONS[name]].append(value)
            continue
        param, conv = VALUE_OPTIONS[name]
        if conv is int:
            if not (value.isascii() and value.isdigit()):
                return None
            kw[param] = int(value)
        else:
            kw[param] = value
    if len(positional) > 1:
        return None
    if positional:
        kw["query"] = positional[0]
    kw["filters"] = filters
    return kw


def _fast_query(kw: dict, process: bool) -> int:
    """:func:`run_query` for a command line :func:`parse_query_argv` took. In a process of its
    own (``process``), the cyclic garbage collector is kept off while the modules are imported
    (their objects live as long as the process; about 50 collections, 5-10% of a cold lookup,
    found nothing to free) and, for one query, until the end."""
    import gc

    from readsearch.lean import deferred_modules

    if process:
        gc.disable()
    with deferred_modules():  # import what the search needs, minus what is imported unused
        import readsearch.api  # noqa: F401
        import readsearch.index.searcher  # noqa: F401
        import readsearch.render  # noqa: F401  (all three used by run_query)
    if process and kw["batch"]:  # a long run: collect again, but never scan the modules' objects
        gc.freeze()
        gc.enable()
    return run_query(**kw)


def _typer(argv: list[str]) -> int:
    """Parse and run ``argv`` with the typer app; click's usage errors become one line."""
    try:  # typer >= 0.26 vendors click as typer._click; older releases use click itself
        from typer._click import exceptions as cx
    except ImportError:  # pragma: no cover
        from click import exceptions as cx

    from readsearch.commands import app

    try:
        rv = app(args=argv, prog_name="readsearch", standalone_mode=False)
    except cx.NoArgsIsHelpError:  # bare `readsearch`: the help was printed; exit 0
        return 0
    except cx.UsageError as e:
        _err(e.format_message().splitlines()[0] + (f" (see `{e.ctx.command_path} --help`)" if e.ctx else ""))
        return 2
    except getattr(cx, "Abort", KeyboardInterrupt):
        raise KeyboardInterrupt from None
    if rv == 130:  # typer's answer to a KeyboardInterrupt (no command returns 130 itself)
        raise KeyboardInterrupt
    return rv


#: the signal that interrupted this process (set by :func:`_on_stop_signal`)
_stopped_by: int | None = None


def _on_stop_signal(signum: int, _frame) -> None:
    """SIGINT and SIGTERM handler of the process: remember which, and raise KeyboardInterrupt in
    the main thread, so that a SIGTERM runs the same clean-up as Ctrl-C (an index run stops its
    worker processes and releases the lock) and :func:`main` prints one line."""
    global _stopped_by
    _stopped_by = signum
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: runs the command, turns every error into one line and an exit code.

    ``main()`` (no ``argv``) is the process's entry point: it reads ``sys.argv`` and, after a
    lookup the fast path answered, ends the process with ``os._exit``. ``main(argv)`` (as the
    tests call it) raises ``SystemExit`` as usual."""
    if argv is None:
        import signal

        if hasattr(signal, "SIGPIPE"):  # `readsearch ... | head` ends quietly, as grep
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        signal.signal(signal.SIGINT, _on_stop_signal)
        signal.signal(signal.SIGTERM, _on_stop_signal)
    process, argv = argv is None, list(sys.argv[1:] if argv is None else argv)
    fast = None
    try:
        fast = parse_query_argv(argv)
        rv = _fast_query(fast, process) if fast is not None else _typer(argv)
    except ReadsearchError as e:
        _err(str(e))
        rv = 2
    except KeyboardInterrupt:  # Ctrl-C, kill -INT: 130; kill (SIGTERM): 143, as a shell reports
        _err("interrupted")
        rv = 128 + (_stopped_by or 2)
    except BrokenPipeError:
        rv = 0
    except Exception as e:  # a bug: still one line (set READSEARCH_DEBUG=1 for the traceback)
        import os

        if os.environ.get("READSEARCH_DEBUG"):
            raise
        _err(f"internal error: {type(e).__name__}: {e} (set READSEARCH_DEBUG=1 for details)")
        rv = 2
    rv = rv if isinstance(rv, int) else 0
    if process and fast is not None:  # a lookup's process: skip tearing down Whoosh's objects
        _exit_now(rv)
    sys.exit(rv)


def _exit_now(rv: int) -> None:
    """End the process at once with ``rv`` once stdout and stderr are flushed (a query holds no
    lock, temporary file or atexit duty; the interpreter's teardown of the index objects costs a
    cold lookup about 10 ms)."""
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be written anyway
            pass
    os._exit(rv)


def __getattr__(name: str):
    """``readsearch.cli.app`` and the command functions live in :mod:`readsearch.commands`."""
    if name == "app" or name.endswith("_cmd"):
        from readsearch import commands

        return getattr(commands, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    main()
