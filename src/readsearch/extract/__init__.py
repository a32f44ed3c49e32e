"""Extractors: pure, data-driven functions ``Readout -> Entities``.

Public face (used by the api and the CLI; nothing else of this package is imported outside it):

- ``load_resources(gazetteers=(), taxonomies=()) -> Resources``: the shipped gazetteers and
  taxonomy (YAML under ``extract/data/``) merged by id with the user's own YAML files.
- ``Resources.resolve(field, text) -> str | None``: the stable id a user's value stands for
  (``field`` is ``country``, ``person``, ``organization``, ``topic`` or ``hashtag``;
  ``resolve("country", "serbian") == "RS"``), None when it cannot stand for anything.
- ``Resources.label(field, value) -> str``: the display label of a stable id.
- ``extract(readout, resources=None) -> Entities`` (with ``Entities.evidence`` filled) and
  ``explain(readout, resources=None) -> list[Evidence]``.
- ``fold(text) -> str``: the folding rule every name comparison uses.

Modules: ``fold`` (Unicode folding), ``gazetteer`` (YAML loading and merging), ``resources``
(resolver, labels, phrase matchers), ``matcher`` (Aho-Corasick), ``text`` (the analysed text,
language, lead), ``countries``, ``persons``, ``names``, ``hashtags``, ``topics``, ``dates``,
``kind`` (kind and initiative), ``pipeline`` (``extract``).
"""
from readsearch.extract.fold import fold
from readsearch.extract.resources import Resources, load_resources

__all__ = ["extract", "explain", "fold", "load_resources", "Resources"]


def __getattr__(name: str):
    # ``extract`` and ``explain`` (the extractors and their compiled patterns) are imported on
    # first use, so that resolving a filter value (``--country serbian``) does not pay for them
    if name in ("extract", "explain"):
        from readsearch.extract import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
