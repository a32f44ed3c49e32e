"""Rebuild the common-word list of ``src/readsearch/index/commongrams.py`` from wordfreq.

The list is the ``--size`` most frequent English words of wordfreq (Robyn Speer et al.; code
Apache-2.0, frequency data CC BY-SA 4.0, built from Wikipedia, subtitles, news, books, web text,
Twitter and Reddit), as search keys (:func:`readsearch.folding.term_key`), alphabetic words only,
English function words (the query module's ``FUNCTION_WORDS``) left out, most frequent first.
It is general English on purpose: it does not depend on any one corpus, so no benchmark corpus
decides which pairs an index holds.

    pip install -e '.[build]'
    python scripts/build_commongrams.py            # rewrites the COMMON_WORDS block in place

Changing the list changes the pair terms an index holds: bump ``SCHEMA_VERSION`` with it.
"""
from __future__ import annotations

import argparse
import re
import textwrap
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src" / "readsearch" / "index" / "commongrams.py"
BLOCK = re.compile(r'(COMMON_WORDS: tuple\[str, \.\.\.\] = tuple\(""")\n.*?\n(""".split\(\)\))', re.S)


def common_keys(size: int) -> list[str]:
    """The ``size`` most frequent English content-word keys of wordfreq, most frequent first."""
    from wordfreq import top_n_list

    from readsearch.folding import term_key
    from readsearch.index.query import function_keys

    skip = function_keys()
    out: list[str] = []
    seen: set[str] = set()
    for word in top_n_list("en", 20 * size):
        if not word.isalpha():
            continue
        key = term_key(word)
        if key and key not in skip and key not in seen:
            seen.add(key)
            out.append(key)
            if len(out) == size:
                break
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=1000, help="number of keys (default 1000)")
    args = ap.parse_args()
    keys = common_keys(args.size)
    text = TARGET.read_text(encoding="utf-8")
    body = "\n".join(textwrap.wrap(" ".join(keys), width=96))
    new, n = BLOCK.subn(lambda m: f"{m.group(1)}\n{body}\n{m.group(2)}", text)
    if n != 1:
        raise SystemExit(f"{TARGET}: COMMON_WORDS block not found")
    TARGET.write_text(new, encoding="utf-8")
    print(f"{TARGET}: {len(keys)} keys")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
