"""Markup that must not be indexed as words: inline HTML and Markdown syntax in text readouts.

Only the markup goes; the words stay. HTML entities (``&ldquo;``) are decoded with the standard
library's ``html.unescape``.
"""
from __future__ import annotations

import html
import re
from functools import partial

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_BLOCK = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9:-]*)(?:\s+[^<>]*?)?/?>", re.S)
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^\s<>]+|[^\s<>@]+@[^\s<>@]+\.[A-Za-z]{2,})>")
#: tags that separate words (a cell, a line break, a paragraph); any other tag is inline and
#: goes without a trace, so ``Cana</span>l`` reads ``Canal``
_BLOCK_TAGS = frozenset("""address article aside blockquote br caption dd div dl dt figcaption figure
footer h1 h2 h3 h4 h5 h6 header hr img li main nav ol p pre section table tbody td tfoot th thead
tr ul""".split())
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
#: ``[text](url "title")``; the text may hold one level of brackets (``[[1]](#1)``), the URL
#: balanced parentheses, or else runs to the first ``)`` (a scraper's ``...(USW,...):``)
_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\((?:(?:[^()\s]|\([^()\s]*\))*|[^)\s]*)(?:\s+\"[^\"]*\")?\)")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$", re.M)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.M)
_EMPHASIS = re.compile(r"(\*\*|__|\*|~~)(?=\S)(.+?)(?<=\S)\1")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$", re.M)
_HRULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$", re.M)
_LIST = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+", re.M)
_QUOTE = re.compile(r"^\s{0,3}>\s?", re.M)
_PIPES = re.compile(r"\s*\|\s*")
_BACKSLASH = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
# tabs and no-break spaces become spaces, then runs of spaces one (a pattern that matches every
# single space cost more than the rest of this module)
_SPACES = re.compile(" {2,}")
_BLANKS = re.compile(r"\n{3,}")


def _tag_gap(m: re.Match) -> str:
    return " " if m.group(1).lower() in _BLOCK_TAGS else ""


def _table_cells(text: str) -> str:
    """Table rows (lines with two or more ``|``) with their pipes as spaces."""
    return "\n".join(_PIPES.sub(" ", line).strip() if line.count("|") >= 2 else line
                     for line in text.split("\n"))


#: Markdown removal in order, ``(needs, step)``: a step runs only when the text holds one of the
#: character sequences it cannot change anything without (``None``: always), since a scan for them
#: costs a tenth of a pattern's (all 14,365 White House pages: 9.7 -> 7.0 s)
_MARKDOWN = (
    (("![",), partial(_IMAGE.sub, r"\1")),
    (("](",), partial(_LINK.sub, r"\1")),
    (("]:",), partial(_REF_DEF.sub, "")),
    (("#",), partial(_HEADING.sub, "")),
    (("---",), partial(_TABLE_RULE.sub, "")),
    (None, partial(_HRULE.sub, "")),
    (None, partial(_LIST.sub, "")),
    ((">",), partial(_QUOTE.sub, "")),
    (("|",), _table_cells),
    (("*", "_", "~~"), partial(_EMPHASIS.sub, r"\2")),
    (("\\",), partial(_BACKSLASH.sub, r"\1")),
)


def strip_markup(text: str, markdown: bool = True) -> str:
    """Remove inline HTML (tags, comments, scripts) and, when ``markdown``, Markdown syntax.

    Words that appear only inside a tag (attribute values such as ``style="..."`` or
    ``href="..."``) never survive; a block tag (``<td>``, ``<br>``, ``<p>``...) becomes a space,
    an inline one (``<span>``, ``<a>``...) nothing. Autolinks ``<https://...>`` keep their URL,
    Markdown links keep their text only (an empty ``[](url)`` goes entirely).

    Args:
        text: the body as read.
        markdown: also remove Markdown syntax (headings, emphasis, links kept as their text,
            images, tables' pipes and rules, list bullets, block quotes, escapes).

    Returns:
        the text a reader sees, with paragraphs kept as blank-line separated blocks.
    """
    if "<" in text:
        text = _COMMENT.sub(" ", text)
        text = _BLOCK.sub(" ", text)
        text = _TAG.sub(_tag_gap, text)
        text = _AUTOLINK.sub(r"\1", text)
    if "&" in text:
        text = html.unescape(text)
    if markdown:
        for needs, step in _MARKDOWN:
            if needs is None or any(n in text for n in needs):
                text = step(text)
    text = text.replace("\t", " ").replace("\u00a0", " ")
    if "  " in text:
        text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    if "\n\n\n" in text:
        text = _BLANKS.sub("\n\n", text)
    return text.strip()
