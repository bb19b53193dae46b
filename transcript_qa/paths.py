"""Where the bundled corpus and the default index live.

From a checkout, the corpus is ``<checkout>/corpus`` and the default index is
``<checkout>/indexes/default``. From an installed wheel, the corpus ships as
package data (``transcript_qa/bundled_corpus``, built from ``corpus/``) and the default index goes to the user's
cache folder. ``TRANSCRIPT_QA_CORPUS`` and ``TRANSCRIPT_QA_INDEX`` override both.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE_DIR.parent


def _in_checkout() -> bool:
    return (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "corpus").is_dir()


def default_corpus_path() -> Path:
    env = os.environ.get("TRANSCRIPT_QA_CORPUS")
    if env:
        return Path(env)
    if _in_checkout():
        return _CHECKOUT / "corpus"
    return _PACKAGE_DIR / "bundled_corpus"


def default_index_path() -> Path:
    env = os.environ.get("TRANSCRIPT_QA_INDEX")
    if env:
        return Path(env)
    if _in_checkout():
        return _CHECKOUT / "indexes" / "default"
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "transcript_qa" / "indexes" / "default"
