"""The package's folding rules, as the extractors import them (see :mod:`readsearch.folding`)."""
from readsearch.folding import fold, fold_cased, fold_with_offsets

__all__ = ["fold", "fold_cased", "fold_with_offsets"]
