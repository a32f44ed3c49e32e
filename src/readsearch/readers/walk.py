"""Walking corpus folders: hidden files skipped, ``.readsearchignore`` honoured.

``.readsearchignore`` uses gitignore syntax (as ripgrep's ``.ignore``), matched with the
``pathspec`` library; a file applies to its own folder and everything below it.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pathspec

IGNORE_FILE = ".readsearchignore"


def _load_spec(directory: str) -> pathspec.PathSpec | None:
    path = os.path.join(directory, IGNORE_FILE)
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return pathspec.PathSpec.from_lines("gitignore", f)
    except OSError:
        return None


def _ignored(path: str, is_dir: bool, specs: list[tuple[str, pathspec.PathSpec]]) -> bool:
    for base, spec in specs:
        rel = os.path.relpath(path, base).replace(os.sep, "/")
        if is_dir:
            rel += "/"
        if spec.match_file(rel):
            return True
    return False


def walk_files(root: str, extensions: frozenset[str] | None = None,
               skip_dir: Callable[[str], bool] | None = None) -> Iterator[str]:
    """Yield the absolute paths of the files below ``root``, sorted, in a stable order.

    Args:
        root: a folder (absolute or relative path).
        extensions: lower-case suffixes to keep (``{".md", ".txt"}``); None keeps every file.
        skip_dir: ``(absolute folder path) -> True`` for folders not to enter below ``root``
            (the caller's: an index lying inside the corpus).

    Yields:
        absolute file paths (str). Hidden files and folders (name starting with ``.``) and what
        a ``.readsearchignore`` excludes are skipped. Symbolic links to files are yielded (a
        broken one fails later, when it is read); links to folders are not followed.
    """
    root = os.path.abspath(root)
    stack: list[tuple[str, list[tuple[str, pathspec.PathSpec]]]] = [(root, [])]
    while stack:
        directory, inherited = stack.pop()
        specs = list(inherited)
        spec = _load_spec(directory)
        if spec is not None:
            specs.append((directory, spec))
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            continue
        subdirs = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = entry.path
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if not _ignored(path, True, specs) and not (skip_dir and skip_dir(path)):
                    subdirs.append(path)
                continue
            if extensions is not None and os.path.splitext(entry.name)[1].lower() not in extensions:
                continue
            if not _ignored(path, False, specs):
                yield path
        for sub in reversed(subdirs):
            stack.append((sub, specs))
