"""The typer app behind ``readsearch``: one thin function per command over :mod:`readsearch.api`.

This is the one definition of the command line (options, ``--help``, usage errors). The entry
point :func:`readsearch.cli.main` answers common scripted ``query`` command lines without importing
typer (see :mod:`readsearch.cli`) and hands everything else to this app.

Exit codes: ``index`` 0 all files read, 1 some failed, 2 fatal error; ``query`` 0 something
matched, 1 nothing matched, 2 error (as grep); ``show`` 0 found, 1 no such id, 2 error.
Errors are one line on stderr, never a traceback.
"""
from __future__ import annotations

from typing import List, Optional

import typer

from readsearch import api
from readsearch.cli import _err, run_query

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    help="Full-text search over diplomatic readouts: who talked to whom, when, about what.\n\n"
         "  readsearch index corpus/\n\n"
         "  readsearch query '\"Community of Serb Municipalities\"' --country Serbia\n\n"
         "  readsearch show plain/mfa-russia-telegram-lavrov-vucic.txt",
)

IndexOpt = typer.Option(None, "--index", metavar="DIR", envvar=api.INDEX_ENV, show_envvar=True,
                        help="Index folder (default: ./index).")
FormatOpt = typer.Option("table", "--format", "-f", metavar="FORMAT", help="table, json, jsonl, csv or ids.")


def _reflowed(func):
    """Join each prose paragraph of a command's docstring into one line, so that ``--help`` wraps
    it to the terminal's width (Typer's Rich help keeps the source's line breaks, which left
    ragged half-lines on an 80-column terminal); indented example lines are kept as they are."""
    import inspect  # typer imports it anyway

    paragraphs = []
    for para in inspect.cleandoc(func.__doc__ or "").split("\n\n"):
        rows = para.split("\n")
        paragraphs.append(para if all(r.startswith("  ") for r in rows) else " ".join(r.strip() for r in rows))
    func.__doc__ = "\n\n".join(paragraphs)
    return func


def _index_dir(value: Optional[str]) -> str:
    return api.default_index_dir(value)


def _version(value: bool) -> None:
    if value:
        from readsearch import __version__

        print(f"readsearch {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main_options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
):
    """Full-text search over diplomatic readouts: who talked to whom, when, about what."""


@app.command("index")
@_reflowed
def index_cmd(
    paths: List[str] = typer.Argument(..., metavar="PATH...", help="Files and folders to index (recursively).",
                                      show_default=False),
    index: Optional[str] = IndexOpt,
    rebuild: bool = typer.Option(False, "--rebuild", help="Drop the index and build it afresh."),
    strict: bool = typer.Option(False, "--strict", help="Stop at the first file that fails."),
    fmt: str = typer.Option("text", "--format", "-f", metavar="FORMAT", help="text (summary line on stderr) or json (report on stdout)."),
    max_mb: float = typer.Option(5.0, "--max-mb", min=0.001, metavar="MIB", help="Files larger than this many MiB fail."),
    field_map: List[str] = typer.Option([], "--field", metavar="NAME=FIELD", help="Record formats: map a field, e.g. --field body=content."),
    gazetteer: List[str] = typer.Option([], "--gazetteer", metavar="FILE", help="Extra gazetteer YAML, merged by id."),
    taxonomy: List[str] = typer.Option([], "--taxonomy", metavar="FILE", help="Extra topic taxonomy YAML, merged by id."),
    commit_every: Optional[int] = typer.Option(None, "--commit-every", min=1, metavar="N", help="Documents per commit; a crash loses at most the documents since the last one. Default 1000; on bulk runs (400+ files) an eighth of the files, but at least 5000 and at most 25000 (so a bulk run of up to 5000 files commits once, at the end)."),
    wait: float = typer.Option(10.0, "--wait", min=0, metavar="SECONDS", help="Seconds to wait for another run's lock."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar, no per-file warnings."),
):
    """Build or update the index from readout files.

    Formats: Markdown and text (.md, .markdown, .txt, with optional YAML front matter), saved
    web pages (.html, .htm), Telegram Desktop channel exports (result.json), and scraped
    records as JSON Lines (.jsonl, .ndjson), JSON arrays or objects holding one list (.json)
    and CSV (.csv); --field maps record fields with other names.

    Re-running is incremental: new and changed files are indexed, deleted files removed,
    unchanged files skipped. Each file that cannot be read gets one line on stderr and the
    run goes on.

    Commits happen every --commit-every documents: a run killed at any moment leaves the
    index readable at its last commit, and the next run carries on from there. A second run
    while one is writing waits --wait seconds for the lock, then exits 2.

    Exit codes: 0 every file read, 1 some files failed, 2 fatal error.

    Examples:

      readsearch index corpus/

      readsearch index corpus/ ~/saved-readouts --index ~/idx

      readsearch index corpus/ --rebuild --format json > report.json

      readsearch index scraped.csv --field body=readout_text --field date=posted
    """
    from readsearch.render import Progress, check_format, render_report

    check_format(fmt, ("text", "json"))
    options = api.IndexOptions(rebuild=rebuild, strict=strict, max_bytes=int(max_mb * 1024 * 1024),
                               field_map=api.field_map(field_map), batch_size=commit_every, lock_timeout=wait,
                               gazetteers=tuple(gazetteer), taxonomies=tuple(taxonomy))
    with Progress(enabled=not quiet) as progress:
        events = api.IndexEvents(
            on_total=progress.total, on_file=progress.advance, on_commit=progress.committing,
            on_failure=lambda e: progress.message(f"readsearch: {e.path}: {e.cause}"),
            on_warning=None if quiet else (lambda p, m: progress.message(f"readsearch: warning: {p}: {m}")))
        report = api.index_paths(paths, _index_dir(index), options, events)
    render_report(report, "json" if fmt == "json" else "text")
    raise typer.Exit(1 if report.failed else 0)


@app.command("query")
@_reflowed
def query_cmd(
    query: str = typer.Argument("", metavar="QUERY", help="The query (empty or * matches every readout).", show_default=False),
    index: Optional[str] = IndexOpt,
    country: List[str] = typer.Option([], "--country", "-c", metavar="COUNTRY", help="Country (name, demonym or ISO code)."),
    person: List[str] = typer.Option([], "--person", "-p", metavar="NAME", help="Person (any spelling)."),
    participant: List[str] = typer.Option([], "--participant", metavar="NAME", help="Person who took part in the call or meeting."),
    topic: List[str] = typer.Option([], "--topic", "-t", metavar="TOPIC", help="Topic (taxonomy id or label)."),
    hashtag: List[str] = typer.Option([], "--hashtag", metavar="TAG", help="Hashtag (with or without #, any case)."),
    organization: List[str] = typer.Option([], "--organization", "-o", metavar="ORG", help="Organisation (acronym or name)."),
    issuer: List[str] = typer.Option([], "--issuer", metavar="ISSUER", help="Issuer (as in the readout's metadata)."),
    kind: List[str] = typer.Option([], "--kind", metavar="KIND", help="call, meeting, message or other."),
    initiative: List[str] = typer.Option([], "--initiative", metavar="COUNTRY", help="Country whose side initiated."),
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE", help="Event date on or after (YYYY-MM-DD, YYYY-MM, YYYY)."),
    until: Optional[str] = typer.Option(None, "--until", metavar="DATE", help="Event date on or before (inclusive)."),
    sort: str = typer.Option("relevance", "--sort", metavar="ORDER", help="relevance, date (oldest first) or -date (newest first)."),
    limit: int = typer.Option(10, "--limit", "-n", metavar="N", help="Hits to print (0: all)."),
    offset: int = typer.Option(0, "--offset", metavar="N", help="Hits to skip (paging)."),
    facets: bool = typer.Option(False, "--facets", help="Count facet values over all matching readouts."),
    duplicates: str = typer.Option("collapse", "--duplicates", metavar="MODE", help="collapse (fold duplicates into one hit) or show."),
    fmt: str = FormatOpt,
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Colour in table output (default: when a terminal)."),
    batch: bool = typer.Option(False, "--batch", help="Read one query per line from stdin (text, or a JSON object "
                               "with query and filters); write one JSON result per line. A line that "
                               "cannot run (bad JSON, unknown key, blank) gets {line, error}; a line * matches every readout."),
):
    """Search the index: ranked full-text search with filters and facets.

    Query language: words (ORed, ranked by BM25F; more matched words and words close
    together rank higher), "quoted phrases" (exact, small words kept), AND / OR / NOT,
    -word and +word, (groups), prefix*, fuzzy~, field:value for every facet
    (country:Serbia, person:"Aleksandar Vučić", topic:energy, hashtag:RussiaSerbia,
    organization:NATO, issuer:..., kind:call; several side by side must all match, as
    the options do), date:2023-12-23, date:2023-12, date:2023, date:[2023-01-01 TO 2023-12-31].
    A query starting with - goes after --.

    Filters are repeatable and all must match (--country RU --country RS: readouts
    involving both); values are resolved like the text (--country serbia = RS = Serbian).

    Exit codes: 0 something matched, 1 nothing matched, 2 error.

    Batch lookups (--batch): one query per stdin line, either plain text or a JSON object
    such as {"query": "gas", "country": ["RS"], "since": "2022", "limit": 5}; the command-line
    options are the defaults; one searcher answers all; each line of output is the JSON
    result of one input line (a bad line gives {"line": N, "error": "..."}). Exit 0 when
    every line was answered, 1 when some line was bad, 2 when there is no index.

    Examples:

      readsearch query '"Community of Serb Municipalities"'

      readsearch query energy --country Serbia --since 2021 --facets

      readsearch query Lavrov --format json | jq '.hits[0].title'

      readsearch query "" --person vucic --sort -date --format ids

      readsearch query -- "-Kosovo Serbia"

      printf 'gas\\n{"query": "gas", "country": "RS"}\\n' | readsearch query --batch
    """
    filters = dict(country=country, person=person, participant=participant, topic=topic, hashtag=hashtag,
                   organization=organization, issuer=issuer, kind=kind, initiative=initiative)
    raise typer.Exit(run_query(query, index, filters, since=since, until=until, sort=sort, limit=limit,
                               offset=offset, facets=facets, duplicates=duplicates, fmt=fmt, color=color,
                               batch=batch))


@app.command("similar")
@_reflowed
def similar_cmd(
    doc_id: str = typer.Argument(..., metavar="ID", help="Readout id as printed by query."),
    index: Optional[str] = IndexOpt,
    limit: int = typer.Option(10, "--limit", "-n", metavar="N", help="Hits to print (0: all)."),
    duplicates: str = typer.Option("collapse", "--duplicates", metavar="MODE", help="collapse (fold duplicates) or show."),
    fmt: str = FormatOpt,
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Colour in table output (default: when a terminal)."),
):
    """List the readouts most like a given one (more-like-this), with similarity scores.

    The readout's characteristic words (frequent in it, rare in the collection) are searched in
    all other readouts; its own duplicates are left out. Output formats as for query.

    Exit codes: 0 similar readouts found, 1 none (or no readout with that id), 2 error.

    Examples:

      readsearch similar plain/mfa-russia-telegram-lavrov-vucic.txt

      readsearch similar plain/mfa-russia-telegram-lavrov-vucic.txt -n 3 -f json
    """
    from readsearch.render import check_format, render_search

    check_format(fmt)
    result = api.similar(doc_id, _index_dir(index), limit=limit, duplicates=duplicates)
    if result is None:
        _err(f"no readout with id {doc_id!r} (ids are printed by `readsearch query ... --format ids`)")
        raise typer.Exit(1)
    render_search(result, fmt, color)
    raise typer.Exit(0 if result.total else 1)


@app.command("show")
@_reflowed
def show_cmd(
    doc_id: str = typer.Argument(..., metavar="ID", help="Readout id as printed by query."),
    index: Optional[str] = IndexOpt,
    fmt: str = typer.Option("table", "--format", "-f", metavar="FORMAT", help="table or json."),
):
    """Print one readout whole, with all its metadata and facet values.

    Exit codes: 0 found, 1 no readout with that id, 2 error.

    Examples:

      readsearch show plain/mfa-russia-telegram-lavrov-vucic.txt

      readsearch show plain/kishida-modi-new-delhi.txt --format json
    """
    from readsearch.render import check_format, render_document

    check_format(fmt, ("table", "json"))
    doc = api.show(doc_id, _index_dir(index))
    if doc is None:
        _err(f"no readout with id {doc_id!r} (ids are printed by `readsearch query ... --format ids`)")
        raise typer.Exit(1)
    render_document(doc, "json" if fmt == "json" else "table")


@app.command("extract")
@_reflowed
def extract_cmd(
    paths: List[str] = typer.Argument(..., metavar="PATH...", help="Files and folders to read.", show_default=False),
    fmt: str = typer.Option("table", "--format", "-f", metavar="FORMAT",
                            help="table, jsonl (one object per readout, as read) or json (one array at the end)."),
    explain: bool = typer.Option(False, "--explain", help="Show the text span and rule behind every value."),
    gazetteer: List[str] = typer.Option([], "--gazetteer", metavar="FILE", help="Extra gazetteer YAML, merged by id."),
    taxonomy: List[str] = typer.Option([], "--taxonomy", metavar="FILE", help="Extra topic taxonomy YAML, merged by id."),
):
    """Show what the extractors find in readouts (no index needed).

    jsonl: one object per readout with the keys path, date, kind, initiative, countries,
    persons, participants, organizations, topics, hashtags (path relative to the folder
    given, as index names documents); json: the same objects in one array; --explain adds
    an evidence list.

    Exit codes: 0 all read, 1 some files failed, 2 error.

    Examples:

      readsearch extract corpus/plain/modi-putin-samarkand.txt --explain

      readsearch extract corpus/ --format jsonl > entities.jsonl

      readsearch extract notes.md --gazetteer my-persons.yaml
    """
    from readsearch.model import ReadError
    from readsearch.render import check_format, extraction_dict, render_extraction, render_extraction_list

    check_format(fmt, ("table", "jsonl", "json"))
    failed = 0
    labeller = (lambda f, v: api.label(f, v, tuple(gazetteer), tuple(taxonomy))) if fmt == "table" else None
    collected: list[dict] = []
    for item in api.extract_paths(paths, tuple(gazetteer), tuple(taxonomy)):
        if isinstance(item, ReadError):
            failed += 1
            _err(f"{item.path}: {item.cause}")
        elif isinstance(item, api.Skipped):
            _err(f"warning: {item.path}: {item.reason}")
        elif fmt == "json":
            collected.append(extraction_dict(item, explain))
        else:
            render_extraction(item, fmt, explain, labeller)
    if fmt == "json":
        render_extraction_list(collected)
    raise typer.Exit(1 if failed else 0)
