"""Keep a short-lived process from importing standard modules its dependencies name but never use.

* ``whoosh.compat`` runs ``from urllib.request import urlretrieve`` (its Python 3 branch; nothing
  in Whoosh calls it). ``urllib.request`` pulls in ``http.client``, ``email``, ``ssl`` and
  ``socket``: about 35-70 ms of a cold ``readsearch query``.
* ``cached_property`` (imported by ``whoosh.reading``) runs ``import asyncio`` for its coroutine
  support; asyncio costs about 20 ms, and a Whoosh reader never caches a coroutine.
* ``dataclasses`` imports ``inspect`` (with ``dis``, ``ast``, ``tokenize``: about 10 ms) for one
  call, the signature it writes into the docstring of a dataclass that has none; readsearch's
  dataclasses all have docstrings.
* ``whoosh.query.terms`` imports ``variations`` from ``whoosh.lang.morph_en``, which compiles
  a large regular expression (about 9 ms) that only the ``Variations`` query uses.
* Whoosh imports at module level what only its writers, highlighter or date fields use:
  ``tempfile`` (with ``shutil``, ``bz2``, ``lzma``; ``whoosh.filedb.filestore``), ``shutil``
  (``whoosh.filedb.compound``), ``calendar`` (with ``locale``; ``whoosh.util.times``),
  ``html`` (with ``html.entities``; ``whoosh.compat``) and ``queue`` (``whoosh.compat``):
  about 6 ms together.
* ``whoosh.analysis.morph`` imports the Porter stemmer (compiling its regular expressions) and
  Double Metaphone for filters readsearch's analyzers do not use (its stems are Porter2's);
  ``whoosh.reading`` and ``whoosh.codec.base`` import edit distance and Levenshtein automata
  that only a spelling-neighbour lookup (an unknown query word) runs: about 3 ms together.
* ``whoosh.searching`` imports ``random`` (through ``whoosh.classify``) and ``whoosh.collectors``
  imports ``threading`` (for a time limit's timer) and ``whoosh.sorting`` (sorted and grouped
  results): a lookup ranked by relevance uses none of them; the file storages' ``Lock``
  stand-in imports ``threading`` when a lock is made.
* ``whoosh.filedb.filetables`` hashes term keys with ``hashlib.md5``; ``hashlib`` loads
  OpenSSL's binding (about 3 ms). The stand-in computes the same digest with the
  interpreter's own MD5 (``_md5``) while ``hashlib`` is not imported.

:func:`deferred_modules` stands a small proxy in for each such module while the import runs;
the proxy imports the real module the first time one of its attributes is used (so nothing
breaks if a later version does use it; ``asyncio.iscoroutinefunction``, which cached_property
calls on every first access, is answered without it), and leaves ``sys.modules`` at the end, so a later
``import urllib.request`` anywhere gets the real module as usual. A module already imported is
left alone. Only the ``readsearch`` command line's fast path uses this.
"""
from __future__ import annotations

import functools
import importlib
import sys
import types
from contextlib import contextmanager

def _load_and_call(module: str, attr: str):
    """A stand-in for ``module.attr`` (a function): calling it imports the module and calls."""
    def call(*args, **kwargs):
        return getattr(importlib.import_module(module), attr)(*args, **kwargs)

    call.__name__ = call.__qualname__ = attr
    return call


def _iscoroutinefunction(func) -> bool:
    """``asyncio.iscoroutinefunction`` without importing asyncio (nor inspect): besides
    ``inspect.iscoroutinefunction`` it only recognises a marker object of asyncio's, which nothing
    can carry while asyncio has not been imported; and that test is a code flag of the function
    under methods and partials."""
    for name in ("asyncio", "inspect"):
        real = sys.modules.get(name)
        if real is not None and not isinstance(real, _Deferred):
            return real.iscoroutinefunction(func)
    while isinstance(func, types.MethodType):
        func = func.__func__
    while isinstance(func, functools.partial):
        func = func.func
    return isinstance(func, types.FunctionType) and bool(func.__code__.co_flags & inspect_CO_COROUTINE)


inspect_CO_COROUTINE = 0x80  # inspect.CO_COROUTINE


def _md5(data=b"", *, usedforsecurity=True):
    """``hashlib.md5`` without loading ``hashlib`` (and OpenSSL's binding): the interpreter's
    own MD5 implementation, which gives the same digests (RFC 1321); ``hashlib``'s own once it
    is imported, or when the interpreter was built without ``_md5``."""
    real = sys.modules.get("hashlib")
    if real is None or isinstance(real, _Deferred):
        try:
            import _md5 as builtin
        except ImportError:  # pragma: no cover - an interpreter built without it
            builtin = importlib.import_module("hashlib")
    else:
        builtin = real
    return builtin.md5(data, usedforsecurity=usedforsecurity)

#: module -> {attribute: stand-in used until the real module is imported}; any other attribute
#: imports the real module
DEFERRED = {
    "urllib.request": {"urlretrieve": _load_and_call("urllib.request", "urlretrieve")},
    "asyncio": {"iscoroutinefunction": _iscoroutinefunction},
    "whoosh.lang.morph_en": {"variations": _load_and_call("whoosh.lang.morph_en", "variations")},
    "inspect": {},
    "tempfile": {},
    "shutil": {"copyfileobj": _load_and_call("shutil", "copyfileobj")},
    "calendar": {},
    "html": {"escape": _load_and_call("html", "escape")},
    "queue": {},
    "hashlib": {"md5": _md5},
    "whoosh.lang.porter": {"stem": _load_and_call("whoosh.lang.porter", "stem")},
    "whoosh.lang.dmetaphone": {"double_metaphone": _load_and_call("whoosh.lang.dmetaphone", "double_metaphone")},
    "whoosh.support.levenshtein": {"distance": _load_and_call("whoosh.support.levenshtein", "distance")},
    "whoosh.automata.lev": {},
    "whoosh.sorting": {},
    "random": {},
    "threading": {"Lock": _load_and_call("threading", "Lock")},
}


class _Deferred(types.ModuleType):
    """A stand-in for a module not imported yet: any attribute use imports the real one, except
    the attributes given stand-ins."""

    def __init__(self, name: str, shims: dict):
        super().__init__(name)
        self.__dict__["_shims"] = shims
        self.__dict__["_real"] = None

    def _load(self) -> types.ModuleType:
        real = self.__dict__["_real"]
        if real is None:
            name = self.__name__
            if sys.modules.get(name) is self:
                del sys.modules[name]
            real = importlib.import_module(name)
            self.__dict__["_real"] = real
        return real

    def __getattr__(self, attr: str):
        if attr.startswith("__"):  # import machinery probing (__path__, __file__...): a plain module
            raise AttributeError(attr)
        shim = self.__dict__["_shims"].get(attr)
        if shim is not None and self.__dict__["_real"] is None:
            return shim
        return getattr(self._load(), attr)


@contextmanager
def deferred_modules(names: dict[str, dict] | None = None):
    """Within the block, importing one of ``names`` (default :data:`DEFERRED`) gives a proxy that
    imports the real module on first attribute use; proxies not used are removed at the end."""
    installed: list[_Deferred] = []
    for name, shims in (DEFERRED if names is None else names).items():
        if name in sys.modules:
            continue
        proxy = _Deferred(name, shims)
        sys.modules[name] = proxy
        parent, _, child = name.rpartition(".")
        if parent:
            setattr(importlib.import_module(parent), child, proxy)
        installed.append(proxy)
    try:
        yield
    finally:
        for proxy in installed:
            name = proxy.__name__
            if sys.modules.get(name) is proxy:
                del sys.modules[name]
            parent, _, child = name.rpartition(".")
            if parent and getattr(sys.modules.get(parent), child, None) is proxy:
                delattr(sys.modules[parent], child)
