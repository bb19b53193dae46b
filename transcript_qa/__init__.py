"""transcript_qa: speaker-attributed question answering over meeting records.

    >>> from transcript_qa import load_index
    >>> idx = load_index()                      # builds indexes/default on first use
    >>> hits = idx.search("agency staff spending", k=5)
    >>> idx.who("who discussed CAS3")[0].speaker

The public names are imported lazily, so ``import transcript_qa`` stays cheap
(the query path never pays for scikit-learn or NLTK).
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    # model
    "Acronym": "transcript_qa.model",
    "Answer": "transcript_qa.model",
    "Document": "transcript_qa.model",
    "Filters": "transcript_qa.model",
    "Hit": "transcript_qa.model",
    "Passage": "transcript_qa.model",
    "Skipped": "transcript_qa.model",
    "Speaker": "transcript_qa.model",
    "SpeakerAnswer": "transcript_qa.model",
    "SpeakerInfo": "transcript_qa.model",
    # errors
    "TranscriptQAError": "transcript_qa.errors",
    "ParseError": "transcript_qa.errors",
    "CorpusError": "transcript_qa.errors",
    "IndexMissingError": "transcript_qa.errors",
    "IndexFormatError": "transcript_qa.errors",
    "StaleIndexError": "transcript_qa.errors",
    "QueryError": "transcript_qa.errors",
    "UnknownFilterValueError": "transcript_qa.errors",
    # documents -> passages
    "Corpus": "transcript_qa.corpus",
    "load_corpus": "transcript_qa.corpus",
    "parse_speaker_label": "transcript_qa.speakers",
    # index and search
    "Index": "transcript_qa.index",
    "build_index": "transcript_qa.build",
    "build_index_from_passages": "transcript_qa.build",
    "load_index": "transcript_qa.build",
    "verify_index": "transcript_qa.build",
    "read_index": "transcript_qa.index",
    # batch and evaluation
    "read_questions": "transcript_qa.batch",
    "answer_questions": "transcript_qa.batch",
    "evaluate": "transcript_qa.evaluation",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'transcript_qa' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
