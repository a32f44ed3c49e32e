"""Corpus helpers shared by the benchmark scripts (no readsearch import here).

- :func:`shared_dir` finds ``../shared`` (``READSEARCH_SHARED`` overrides it).
- :func:`walk_markdown` lists the ``.md`` files of a corpus folder as readsearch walks it
  (sorted, hidden files and folders skipped).
- :func:`read_doc` is the *minimal* reader the baselines use: it splits the YAML front matter
  off on its ``---`` lines and decodes only the ``title`` value (plain, single- or double-quoted,
  folded over several lines), so the baselines index the same title/body text as readsearch
  without paying for a YAML parser.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

SHARED_ENV = "READSEARCH_SHARED"


def shared_dir(required: bool = True) -> Path | None:
    """The shared data folder: ``$READSEARCH_SHARED`` or ``<repo>/../shared``.

    Exits with a clear message when it is absent and ``required``."""
    env = os.environ.get(SHARED_ENV)
    path = Path(env) if env else Path(__file__).resolve().parents[2] / "shared"
    if path.is_dir():
        return path
    if required:
        sys.exit(f"benchmarks: shared data folder not found at {path} "
                 f"(set {SHARED_ENV}=/path/to/shared; it must hold scale/whitehouse)")
    return None


def whitehouse_dir() -> Path:
    """``<shared>/scale/whitehouse`` (14,365 real Markdown documents), or exit with a message."""
    path = shared_dir() / "scale" / "whitehouse"
    if not path.is_dir():
        sys.exit(f"benchmarks: {path} not found: the 14k real corpus is missing from the shared folder")
    return path


def walk_markdown(root: str | os.PathLike) -> list[str]:
    """Absolute paths of the ``.md`` files below ``root``, sorted; hidden entries skipped."""
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.endswith(".md") and not name.startswith("."):
                out.append(os.path.join(dirpath, name))
    out.sort()
    return out


_ESCAPES = {"_": "\u00a0", " ": " ", '"': '"', "\\": "\\", "/": "/", "n": "\n", "t": "\t",
            "N": "\u0085", "L": "\u2028", "P": "\u2029", "0": "\0"}
_ESC = re.compile(r'\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)')


def _unescape(m: re.Match) -> str:
    s = m.group(1)
    if len(s) > 1:
        return chr(int(s[1:], 16))
    return _ESCAPES.get(s, s)


def _yaml_scalar(lines: list[str]) -> str:
    """Decode a (possibly folded, possibly quoted) YAML scalar given as its lines."""
    first = lines[0].strip()
    if first.startswith('"'):
        parts: list[str] = []
        for i, line in enumerate(lines):
            s = line.strip() if i else first[1:]
            if i == len(lines) - 1 and s.endswith('"'):
                s = s[:-1]
            if s.endswith("\\") and not s.endswith("\\\\"):
                parts.append(s[:-1])          # escaped line break: join without a space
            else:
                parts.append(s + (" " if i < len(lines) - 1 else ""))
        return _ESC.sub(_unescape, "".join(parts))
    text = " ".join(line.strip() for line in lines)
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1].replace("''", "'")
    return text


def split_front_matter(text: str) -> tuple[str, str]:
    """``(title, body)`` of a Markdown document with optional ``---`` front matter."""
    if not text.startswith("---\n"):
        return "", text
    end = text.find("\n---\n", 3)
    if end < 0:
        return "", text
    head, body = text[4:end], text[end + 5:]
    title_lines: list[str] | None = None
    for line in head.split("\n"):
        if title_lines is None:
            if line.startswith("title:"):
                title_lines = [line[6:]]
        elif line.startswith((" ", "\t")):
            title_lines.append(line)
        else:
            break
    return (_yaml_scalar(title_lines) if title_lines else ""), body


def read_doc(path: str) -> tuple[str, str]:
    """``(title, body)`` of one file (UTF-8, undecodable bytes replaced)."""
    with open(path, encoding="utf-8", errors="replace") as f:
        return split_front_matter(f.read())
