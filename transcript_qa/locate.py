"""Where a passage is in its source file: the file's path and the first and
last line of the passage (``show``, and the web API's ``/api/passages/ID``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .model import Passage
from .terminal import line_of


def source_location(index: Any, passage: Passage) -> tuple[str | None, tuple[int, int] | None]:
    """The source file of ``passage`` and its first and last line, when the
    corpus the index was built from is still there (else what is known)."""
    documents = {d.id: d for d in index.documents()} if hasattr(index, "documents") else {}
    doc = documents.get(passage.document)
    if doc is None:
        return None, None
    corpus = (getattr(index, "manifest", None) or {}).get("corpus") or {}
    root = corpus.get("root") if isinstance(corpus, dict) else None
    if not root:
        return doc.path, None
    file = Path(root) / doc.path
    try:
        text = file.read_bytes().decode(doc.encoding or "utf-8", errors="replace")
    except (OSError, LookupError):
        return str(file), None
    first = line_of(text, passage.start)
    last = line_of(text, max(passage.start, passage.end - 1))
    return str(file), (first, last)
