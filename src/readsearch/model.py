"""The records that flow through readsearch: readers -> Readout -> extractors -> index -> results.

Every stage exchanges these dataclasses and nothing else, so a reader knows nothing of entities
and the index layer knows nothing of file formats.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs a cold lookup about 4 ms
if TYPE_CHECKING:  # annotations only
    from typing import Any


@dataclass
class Readout:
    """One readout as a reader produced it, before extraction.

    Attributes:
        id: document id, stable across runs: the path relative to the indexed root with ``/`` as
            separator (``readouts/nato/x.md``); record formats add ``#<record id>``
            (``export/result.json#11``).
        path: absolute path of the source file (str).
        title: title from metadata, else the first heading line, else derived from the first
            sentence; never empty when the body has text.
        body: plain text of the readout (no front matter, no markup).
        published: publication date from metadata as an ISO date ``YYYY-MM-DD``, or None.
        issuer: the body that wrote the readout (front matter ``issuer``), or None.
        source_url: where it was published, or None.
        language: ISO 639-1 code from metadata, or None.
        meta: every metadata key as read (front matter, record fields), values unchanged.
        encoding: the text encoding the file was decoded with (``utf-8``, ``windows-1251``...).
        warnings: one-line, human-readable remarks about this file (empty body, ...).
    """

    id: str
    path: str
    title: str = ""
    body: str = ""
    published: str | None = None
    issuer: str | None = None
    source_url: str | None = None
    language: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)


@dataclass
class Evidence:
    """Why a readout carries one facet value: the span of text and the rule that produced it.

    Attributes:
        field: facet field (``countries``, ``persons``, ``topics``, ``date``, ``kind`` ...).
        value: the stable id produced (``RS``, ``Aleksandar Vučić``, ``energy``, ``2023-12-23``).
        start, end: character offsets of the span in ``Readout.title + "\\n\\n" + body``
            (-1 when the value comes from metadata).
        text: the matched text.
        rule: the rule or gazetteer entry (``gazetteer:countries:demonym Serbian``).
    """

    field: str
    value: str
    start: int
    end: int
    text: str
    rule: str


@dataclass
class Entities:
    """What the extractors found in one readout; every value is a stable id.

    Attributes:
        countries: ISO 3166-1 alpha-2 codes (``XK`` for Kosovo), sorted, unique.
        persons: canonical full names (``Aleksandar Vučić``), sorted, unique.
        participants: the subset of ``persons`` who took part in the call or meeting.
        organizations: usual acronyms (``UNSC``, ``NATO``).
        topics: taxonomy ids, parents included.
        hashtags: as written, without ``#`` (case kept; matched case-insensitively).
        date: ISO date of the event, or None when there is no evidence.
        kind: ``call``, ``meeting``, ``message`` or ``other``.
        initiative: ISO code of the side that initiated, or None.
        evidence: one :class:`Evidence` per value found (for ``extract --explain``).
    """

    countries: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    date: str | None = None
    kind: str = "other"
    initiative: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Document:
    """A readout with its entities, as handed to the index layer.

    Attributes:
        readout: the :class:`Readout`.
        entities: the :class:`Entities` extracted from it.
        root: absolute path of the indexed root this document belongs to.
        mtime: source modification time (seconds since the epoch).
        size: source size in bytes.
        digest: hex digest of the source bytes (change detection).
        body_key: hex digest of the normalised body (exact-duplicate folding).
        dup_group: label of the duplicate group this readout joins ("" when it duplicates
            nothing known).
        bands: MinHash LSH band keys of the body (near-duplicate candidates).
    """

    readout: Readout
    entities: Entities
    root: str
    mtime: float = 0.0
    size: int = 0
    digest: str = ""
    body_key: str = ""
    dup_group: str = ""
    bands: list[str] = field(default_factory=list)


@dataclass
class ReadError:
    """A file a reader could not read: ``path`` (str) and a one-line ``cause`` (str)."""

    path: str
    cause: str


@dataclass
class FacetValue:
    """One facet bucket: ``value`` (stable id), ``label`` (display text), ``count`` (readouts)."""

    value: str
    label: str
    count: int


@dataclass
class Hit:
    """One search result.

    Attributes:
        id, path, title, date (event date, ISO), published (ISO), issuer, source_url, kind,
        initiative: stored fields of the readout (None when absent).
        score: relevance score (BM25F plus boosts; 0.0 when sorted by date only).
        countries, persons, participants, topics, hashtags, organizations: facet values.
        duplicates: ids of readouts folded into this hit.
        snippet: plain-text excerpt of the body around the matches.
        highlights: ``[start, end]`` character offsets of the matches within ``snippet``.
    """

    id: str
    path: str
    title: str
    date: str | None
    published: str | None
    issuer: str | None
    source_url: str | None
    kind: str | None
    initiative: str | None
    score: float
    countries: list[str]
    persons: list[str]
    participants: list[str]
    topics: list[str]
    hashtags: list[str]
    organizations: list[str]
    duplicates: list[str] = field(default_factory=list)
    snippet: str = ""
    highlights: list[list[int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The hit as a JSON-ready dict (the documented JSON hit schema)."""
        return asdict(self)


@dataclass
class SearchResult:
    """What a query returns.

    Attributes:
        query: the query string as given.
        total: number of matching readouts (duplicate groups count once when collapsed).
        hits: the requested page of :class:`Hit`.
        facets: field name -> list of :class:`FacetValue`, most frequent first (empty unless asked).
        suggestions: "did you mean" alternatives for rare or absent query terms.
        warnings: one-line remarks about the query (terms ignored, ...).
    """

    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The result as the documented JSON object."""
        out: dict[str, Any] = {
            "query": self.query,
            "total": self.total,
            "hits": [h.to_dict() for h in self.hits],
            "facets": {k: [asdict(v) for v in vs] for k, vs in self.facets.items()},
            "suggestions": list(self.suggestions),
        }
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out


@dataclass
class IndexReport:
    """Summary of one ``index`` run: counts of documents and the per-file failures.

    Attributes:
        added, updated, removed, unchanged, failed, skipped: document counts.
        failures: one :class:`ReadError` per file that could not be read.
        warnings: (path, message) pairs for files indexed or skipped with a remark.
        seconds: wall-clock duration of the run.
    """

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list[ReadError] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The report as a JSON-ready dict."""
        d = asdict(self)
        d["failures"] = [asdict(f) for f in self.failures]
        d["warnings"] = [{"path": p, "message": m} for p, m in self.warnings]
        return d
