"""Renderers: results to a human table (rich) or to machine formats with a stable schema.

Machine formats (``json``, ``jsonl``, ``csv``, ``ids``) are written as UTF-8 to standard output
whatever the locale, never wrapped, non-ASCII kept as is. rich is imported only for tables.

JSON schema of ``query`` (one object)::

    {"query": str, "total": int,
     "hits": [{"id", "path", "title", "date", "published", "issuer", "source_url", "kind",
               "initiative", "score", "countries", "persons", "participants", "topics",
               "hashtags", "organizations", "duplicates", "snippet", "highlights"}],
     "facets": {"country": [{"value", "label", "count"}], ...},
     "suggestions": [str], "warnings": [str] (only when there are some)}

``jsonl`` writes one hit object per line; ``csv`` one row per hit (lists joined with ``;``);
``ids`` one id per line.

Only what a format needs is imported (csv for csv, rich for tables): a scripted lookup's
process starts cold for every query.
"""
from __future__ import annotations

import json
import sys

from readsearch.errors import one_line
from readsearch.model import IndexReport, SearchResult

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs a cold lookup about 4 ms
if TYPE_CHECKING:  # annotations only
    from typing import Any

FORMATS = ("table", "json", "jsonl", "csv", "ids")
CSV_COLUMNS = ("id", "title", "date", "published", "issuer", "kind", "initiative", "score", "countries",
               "persons", "participants", "topics", "hashtags", "organizations", "duplicates", "source_url",
               "path", "snippet")


def check_format(fmt: str, allowed: tuple[str, ...] = FORMATS) -> None:
    """Check a command's ``--format`` value.

    Raises:
        UsageError: ``--format 'yaml': use one of table, json`` when ``fmt`` is not in
            ``allowed``.
    """
    if fmt not in allowed:
        from readsearch.errors import UsageError

        raise UsageError(f"--format {fmt!r}: use one of {', '.join(allowed)}")


def write_out(text: str) -> None:
    """Write text to standard output as UTF-8 (locale-independent), flushing. A character UTF-8
    cannot hold (a file name's undecodable byte, kept by Python as a lone surrogate) is written
    as its escape ``\\udcff``, which inside a JSON string is that same character."""
    out = getattr(sys.stdout, "buffer", None)
    if out is not None:
        sys.stdout.flush()
        out.write(text.encode("utf-8", "backslashreplace"))
        out.flush()
    else:
        sys.stdout.write(text)


def dumps(obj: Any) -> str:
    """Compact-but-readable JSON, non-ASCII kept, dates as ISO strings."""
    return json.dumps(obj, ensure_ascii=False, default=str)


def render_search(result: SearchResult, fmt: str, color: bool | None = None) -> None:
    """Print a :class:`~readsearch.model.SearchResult` in format ``fmt`` (see module doc)."""
    if fmt in ("jsonl", "ids", "csv"):  # no room for notes in these: they go to stderr
        for w in result.warnings:
            sys.stderr.write(f"readsearch: note: {w}\n")
        if result.suggestions and not result.hits:
            sys.stderr.write("readsearch: did you mean: " + ", ".join(result.suggestions) + "\n")
    if fmt == "json":
        write_out(dumps(result.to_dict()) + "\n")
    elif fmt == "jsonl":
        write_out("".join(dumps(h.to_dict()) + "\n" for h in result.hits))
    elif fmt == "ids":
        write_out("".join(h.id + "\n" for h in result.hits))
    elif fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        for h in result.hits:
            d = h.to_dict()
            w.writerow([";".join(map(str, d[c])) if isinstance(d[c], list) else ("" if d[c] is None else d[c])
                        for c in CSV_COLUMNS])
        write_out(buf.getvalue())
    else:
        _search_table(result, color)


def _console(stderr: bool = False, color: bool | None = None):
    from rich.console import Console

    con = Console(stderr=stderr, highlight=False, soft_wrap=False,
                  no_color=(color is False), force_terminal=color or None)
    # into a pipe or a file, lines stay whole (Rich would break them at 80 columns, cutting ids
    # and names in two); on a terminal, Rich wraps them at word boundaries to its width
    con.soft_wrap = not con.is_terminal
    return con


def _marked(snippet: str, highlights: list[list[int]]):
    from rich.text import Text

    t = Text(snippet)
    for s, e in highlights:
        t.stylize("bold yellow", s, e)
    return t


def _search_table(result: SearchResult, color: bool | None) -> None:
    from rich.table import Table
    from rich.text import Text

    con = _console(color=color)
    shown = len(result.hits)
    head = f"{result.total} readout{'s' if result.total != 1 else ''} match"
    if result.total > shown and shown:
        head += f" (showing {shown})"
    con.print(Text(head, style="bold"))
    for w in result.warnings:
        con.print(Text("note: " + w, style="yellow"))
    if result.suggestions:
        con.print(Text("did you mean: " + ", ".join(result.suggestions), style="cyan"))
    for n, h in enumerate(result.hits, 1):
        meta = " · ".join(x for x in (h.date or "undated", h.issuer or "", h.kind or "") if x)
        line = Text(f"{n}. ", style="bold")
        line.append(h.title or h.id, style="bold")
        con.print(line)
        con.print(Text(f"   {h.id}  [{meta}]  score {h.score:g}", style="dim"))
        tags = [", ".join(h.countries), ", ".join(h.persons)]
        tags = [t for t in tags if t]
        if tags:
            con.print(Text("   " + " | ".join(tags), style="green"))
        if h.duplicates:
            con.print(Text(f"   also: {', '.join(h.duplicates)}", style="dim"))
        if h.snippet:
            con.print(Text("   ").append(_marked(h.snippet, h.highlights)))
    if result.facets:
        for fname, values in result.facets.items():
            if not values:
                continue
            table = Table(title=f"facet: {fname}", show_header=True, header_style="bold", title_justify="left")
            table.add_column("value")
            table.add_column("label")
            table.add_column("count", justify="right")
            for v in values[:15]:
                table.add_row(str(v.value), str(v.label), str(v.count))
            if len(values) > 15:
                table.add_row("…", f"{len(values) - 15} more", "")
            con.print(table)


def render_report(report: IndexReport, fmt: str) -> None:
    """Print an index run's summary: one line to stderr (table) or the JSON report to stdout."""
    if fmt == "json":
        write_out(dumps(report.to_dict()) + "\n")
        return
    line = (f"indexed in {report.seconds:.1f} s: {report.added} added, {report.updated} updated, "
            f"{report.removed} removed, {report.unchanged} unchanged, {report.failed} failed")
    if report.skipped:
        line += f", {report.skipped} skipped"
    print(line, file=sys.stderr)


def extraction_dict(item, explain: bool) -> dict:
    """One :class:`~readsearch.api.Extraction` as JSON output has it: its ``to_dict()``, with
    ``explain`` an ``evidence`` list of ``{field, value, start, end, text, rule}`` too."""
    d = item.to_dict()
    if explain:
        d["evidence"] = [dict(field=e.field, value=e.value, start=e.start, end=e.end, text=e.text, rule=e.rule)
                         for e in item.entities.evidence]
    return d


def render_extraction_list(dicts: list[dict]) -> None:
    """Print :func:`extraction_dict` objects as one JSON array (``extract --format json``)."""
    write_out(dumps(dicts) + "\n")


def render_extraction(item, fmt: str, explain: bool, labeller=None) -> None:
    """Print one :class:`~readsearch.api.Extraction`: a block of text, or one JSON line.

    With ``explain``, each value's evidence (text span and rule) follows; in JSON it is an extra
    ``evidence`` list (:func:`extraction_dict`)."""
    if fmt == "jsonl":
        write_out(dumps(extraction_dict(item, explain)) + "\n")
        return
    d = item.to_dict()
    from rich.table import Table
    from rich.text import Text

    con = _console()
    con.print(Text(d["path"], style="bold"))
    t = Table(show_header=False, box=None, padding=(0, 1))
    t.add_column(style="bold")
    t.add_column()
    for k in ("date", "kind", "initiative", "countries", "persons", "participants", "organizations", "topics",
              "hashtags"):
        v = d[k]
        if isinstance(v, list):
            if labeller and k in ("countries", "topics"):
                v = [f"{x} ({labeller(k[:-1] if k == 'topics' else 'country', x)})" for x in v]
            v = ", ".join(v)
        t.add_row(k, "" if v is None else str(v))
    con.print(t)
    if explain:
        con.print(Text("why:", style="bold"))
        seen: dict[tuple, int] = {}
        for e in item.entities.evidence:
            k = (e.field, e.value, e.text if e.start >= 0 else "", e.rule)
            seen[k] = seen.get(k, 0) + 1
        for (field, value, text, rule), n in seen.items():
            line = Text(f"  {field} ", style="dim").append(value, style="bold")
            line.append(f" ← “{text}”" if text else " ←")
            line.append(f" {rule}", style="cyan")
            if n > 1:
                line.append(f" ×{n}", style="dim")
            con.print(line)
    con.print()


def render_document(doc: dict, fmt: str) -> None:
    """Print one stored readout whole (``show``)."""
    if fmt == "json":
        write_out(dumps(doc) + "\n")
        return
    from rich.table import Table

    rows = [(k, ", ".join(v) if isinstance(v, list) else str(v))
            for k in ("id", "title", "date", "published", "issuer", "source_url", "language", "kind",
                      "initiative", "countries", "persons", "participants", "organizations", "topics",
                      "hashtags", "duplicates", "path")
            if (v := doc.get(k))]
    con = _console()
    if not con.is_terminal:   # a pipe or a file: whole lines (a table would cut ids and paths)
        write_out("".join(f"{k}: {v}\n" for k, v in rows) + "\n" + (doc.get("body") or "") + "\n")
        return
    t = Table(show_header=False, box=None)
    t.add_column(style="bold")
    t.add_column()
    for k, v in rows:
        t.add_row(k, v)
    con.print(t)
    con.print()
    con.print(doc.get("body") or "", highlight=False, markup=False)


class Progress:
    """A progress bar on stderr for long runs: shown only on a terminal, and only once the run
    has lasted a second. Messages (per-file failures) go to stderr above the bar.

    Use as a context manager; ``total(n)``, ``advance(path)``, ``message(text)``,
    ``committing(n_writes)``.
    """

    def __init__(self, enabled: bool = True, delay: float = 1.0):
        self.enabled = enabled and sys.stderr.isatty()
        self.delay = delay
        self._bar = None
        self._task = None
        self._total = None
        self._done = 0
        self._t0 = 0.0

    def __enter__(self):
        import time

        self._t0 = time.monotonic()
        return self

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.stop()

    def total(self, n: int) -> None:
        self._total = n

    def advance(self, _path: str = "") -> None:
        self._done += 1
        if not self.enabled:
            return
        if self._bar is None:
            import time

            if time.monotonic() - self._t0 < self.delay:
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as _P, TextColumn, TimeRemainingColumn

            self._bar = _P(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                           TimeRemainingColumn(), console=_console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("indexing", total=self._total, completed=self._done)
        self._bar.update(self._task, completed=self._done, description="indexing")

    def committing(self, n_writes: int = 0) -> None:
        """Say on the bar that the index is being written (a commit, then the query caches: the
        bar would otherwise stand still at its count)."""
        if self._bar is not None:
            self._bar.update(self._task, description=f"writing {n_writes:,} changes to the index")

    def message(self, text: str) -> None:
        text = one_line(text)
        if self._bar is not None:
            # one line whatever the terminal's width, as without a bar
            self._bar.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            print(text, file=sys.stderr, flush=True)
