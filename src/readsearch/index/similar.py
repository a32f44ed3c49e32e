"""More-like-this: the readouts most like a given one.

The source readout's title and body are reduced to their key terms (Whoosh's query expansion,
:meth:`whoosh.searching.Searcher.key_terms_from_text` with the Bo1 divergence-from-randomness
model: words frequent in this readout and rare in the collection), and those terms, weighted by
their Bo1 weight, are searched with BM25F over the bodies of all other readouts. The source and
its duplicates are left out; duplicates among the results are folded as in a query.
"""
from __future__ import annotations

from whoosh import classify
from whoosh import query as Q

from readsearch.model import SearchResult

#: key terms taken from the source readout
NUM_TERMS = 25


def similar(rs, doc_id: str, limit: int = 10, collapse: bool = True, snippet_width: int = 240) -> SearchResult | None:
    """Readouts most like ``doc_id``, best first.

    Args:
        rs: an open :class:`~readsearch.index.searcher.ReadoutSearcher`.
        doc_id: the id of the source readout (as printed by ``query``).
        limit: at most this many hits (0: every hit, as ``query``'s).
        collapse: fold duplicate readouts into one hit.
        snippet_width: characters per snippet.

    Returns:
        a :class:`~readsearch.model.SearchResult` whose ``query`` is ``similar:<id>``, whose hits
        carry the similarity score (BM25F of the key terms) and whose snippets highlight the key
        terms; None when no readout has that id.
    """
    s = rs.s
    docnum = next(iter(s.docs_for_query(Q.Term("id", doc_id))), None)
    if docnum is None:
        return None
    f = s.stored_fields(docnum)
    text = "\n".join(x for x in (f.get("title"), rs.body_text(docnum)) if x)
    try:
        kts = s.key_terms_from_text("body", text, numterms=NUM_TERMS, model=classify.Bo1Model, normalize=True)
    except Exception:  # an empty or symbol-only readout: nothing to compare
        kts = []
    kts = [(t, w) for t, w in kts if len(t) > 1 and not t.isdigit()]
    result = SearchResult(query=f"similar:{doc_id}", total=0, hits=[])
    if not kts:
        return result
    q = Q.Or([Q.Term("body", t, boost=max(w, 0.05)) for t, w in kts]
             + [Q.Term("title", t, boost=max(w, 0.05) * 0.5) for t, w in kts])
    own = {docnum}
    if collapse:
        gmap = rs._groups_map() if hasattr(rs, "_groups_map") else {}
        g = gmap.get(docnum)
        if g is not None:
            own |= {d for d, gg in gmap.items() if gg == g}
    results = s.search(q, limit=None, mask=own, terms=False)
    ranked = [(score, d) for score, d in results.top_n]
    groups = rs._group(ranked, collapse)
    result.total = len(groups)
    terms = {t for t, _w in kts}
    result.hits = [rs._hit(g, terms, [], snippet_width) for g in (groups[:limit] if limit > 0 else groups)]
    return result
