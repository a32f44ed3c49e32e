"""Saved web pages (``.html``, ``.htm``): the readout's main text and the page's metadata.

The main text is extracted by trafilatura (Apache-2.0, maintained, used by HuggingFace and
others for web corpora) with ``favor_precision``: navigation, headers, footers, cookie banners,
share blocks, tag lists and "related articles" are left out. Measured on an issuer's readout
page (tests/fixtures/issuer-page.html, 9 KB) it takes about 7 ms, 65 ms on a 66 KB briefing;
jusText took the same time and needs a stop-word list per language, inscriptis keeps the
boilerplate, so trafilatura is the choice.

Metadata comes from the page itself (parsed once with lxml):

- title: ``og:title``, ``twitter:title``, ``<meta name="title">``/``dc.title``, the single
  ``<h1>`` when ``<title>`` starts with it, ``<title>`` without a `` - Site name`` suffix,
  else derived from the first sentence;
- published: ``article:published_time``, ``<meta name="date">`` (and ``dc.date``,
  ``pubdate``...), ``itemprop="datePublished"``, JSON-LD ``datePublished``, then the first
  ``<time datetime>`` of the article;
- issuer: ``og:site_name``; source_url: ``<link rel="canonical">`` or ``og:url``;
  language: ``<html lang>`` (``en-US`` -> ``en``).
"""
from __future__ import annotations

import json
import logging
import re
from typing import Any

from readsearch.model import Readout
from readsearch.readers.fields import clean_text, iso_date
from readsearch.readers.normalize import collapse_repeats, derive_title

for _name in ("trafilatura", "htmldate", "courlan"):  # their remarks must not reach our stderr
    logging.getLogger(_name).addHandler(logging.NullHandler())

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_TITLE_KEYS = ("og:title", "twitter:title", "title", "dc.title", "dcterms.title")
_DATE_KEYS = ("article:published_time", "og:published_time", "date", "dc.date", "dc.date.issued",
              "dcterms.date", "dcterms.issued", "citation_publication_date", "pubdate", "publishdate",
              "publish-date", "publish_date", "parsely-pub-date", "sailthru.date", "datepublished")


def declared_charset(data: bytes) -> str | None:
    """The encoding a page declares in ``<meta charset>`` or ``http-equiv`` (first 4 KiB), or None."""
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


def page_meta(tree: Any) -> dict[str, str]:
    """``<meta>`` values of a parsed page: lower-case ``name``/``property``/``itemprop`` -> content
    (the first of each), plus ``canonical`` from ``<link rel="canonical">``."""
    meta: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop")
        content = el.get("content")
        if key and content and content.strip():
            meta.setdefault(key.strip().lower(), content.strip())
    for el in tree.iter("link"):
        if (el.get("rel") or "").lower() == "canonical" and el.get("href"):
            meta.setdefault("canonical", el.get("href").strip())
            break
    return meta


def _jsonld_dates(tree: Any) -> list[str]:
    out = []
    for el in tree.iter("script"):
        if (el.get("type") or "").lower() != "application/ld+json" or not el.text:
            continue
        try:
            data = json.loads(el.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                if isinstance(node.get("datePublished"), str):
                    out.append(node["datePublished"])
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
    return out


def page_date(tree: Any, meta: dict[str, str]) -> str | None:
    """The publication date of a page as ISO ``YYYY-MM-DD`` (see the module docstring), or None."""
    for key in _DATE_KEYS:
        if key in meta and iso_date(meta[key]):
            return iso_date(meta[key])
    for value in _jsonld_dates(tree):
        if iso_date(value):
            return iso_date(value)
    scopes = tree.xpath("//article") + tree.xpath("//main") + [tree]
    for scope in scopes:
        for el in scope.iter("time"):
            day = iso_date(el.get("datetime") or "")
            if day:
                return day
    return None


def page_title(tree: Any, meta: dict[str, str]) -> str | None:
    """The title of a page (see the module docstring), or None."""
    for key in _TITLE_KEYS:
        if clean_text(meta.get(key)):
            return clean_text(meta[key])
    titles = tree.xpath("//title")
    title = clean_text(titles[0].text_content()) if titles else None
    h1s = tree.xpath("//h1")
    h1 = clean_text(" ".join(h1s[0].text_content().split())) if len(h1s) == 1 else None
    if h1 and (title is None or title.startswith(h1)):
        return h1
    if title:
        site = clean_text(meta.get("og:site_name"))
        if site and title.endswith(site) and len(title) > len(site):
            return re.sub(r"[\s\-|–—·:]+$", "", title[: -len(site)]) or title
        return title
    return None


def main_text(tree: Any) -> str:
    """The main text of a parsed page, paragraphs on their own lines ("" when none is found)."""
    import trafilatura

    options = dict(include_comments=False, include_tables=True, include_images=False,
                   deduplicate=False, with_metadata=False, output_format="txt")
    text = trafilatura.extract(tree, favor_precision=True, **options)
    if not text:
        text = trafilatura.extract(tree, favor_recall=True, **options)
    return text or ""


def read_html(text: str, path: str, doc_id: str, encoding: str = "utf-8") -> Readout:
    """Read one decoded HTML page into a readout.

    Args:
        text: the page (decoded; see :func:`declared_charset` for the hint to give the decoder).
        path: absolute path of the file.
        doc_id: the document id.
        encoding: the encoding the page was decoded with.

    Returns:
        the :class:`Readout` (a first body line equal to the title is left out of the body);
        a page without main text gets a one-line warning and an empty body.

    Raises:
        ValueError: the bytes are not an HTML document lxml can parse.
    """
    import lxml.etree
    import lxml.html

    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        raise ValueError("empty HTML document")
    try:
        tree = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as e:
        raise ValueError(f"not an HTML document: {e}") from None
    meta = page_meta(tree)
    title = page_title(tree, meta)
    published = page_date(tree, meta)
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    body = collapse_repeats(main_text(tree).strip())
    first, _, rest = body.partition("\n")
    if title and first.strip() == title and rest.strip():  # the headline is the title, not body text
        body = rest.strip()
    readout = Readout(
        id=doc_id,
        path=path,
        title=title or derive_title(body),
        body=body,
        published=published,
        issuer=clean_text(meta.get("og:site_name")),
        source_url=clean_text(meta.get("canonical") or meta.get("og:url")),
        language=clean_text(lang.split("-")[0].lower()) if lang else None,
        meta=meta,
        encoding=encoding,
    )
    if not body:
        readout.warnings.append("no main text found in the page" + (" (indexed with its title)" if readout.title else ""))
    return readout
