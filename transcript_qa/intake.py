"""One pass over the passages a build is given, keeping none of them.

:class:`Intake` reads the passages once, in corpus order, and keeps what the
index needs of each: its line in the build's passage file
(:class:`~transcript_qa.passage_file.PassageWriter`), its column values as
numbers, whether it is indexed and whether it asks a question, the acronyms it
defines, and the documents seen. The indexed passages go on to the analysis in
chunks of whole documents (:meth:`Intake.chunks`), as they are read; so a
corpus given as a generator is never in memory whole.
"""

from __future__ import annotations

from array import array
from typing import Any, Iterable, Iterator

import numpy as np

from transcript_qa.acronyms import passage_definitions
from transcript_qa.analysis import cited_facts
from transcript_qa.indexer import Chunk
from transcript_qa.model import Document, Passage
from transcript_qa.passage_file import PassageWriter
from transcript_qa.store import COLUMN_FIELDS


class Codes:
    """Values numbered in order of first sight; None and "" are -1."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self._number: dict = {None: -1, "": -1}
        self._codes = array("i")

    def add(self, value: str | None) -> int:
        number = self._number.get(value)
        if number is None:
            value = detached(value)
            number = self._number[value] = len(self.values)
            self.values.append(value)  # type: ignore[arg-type]
        self._codes.append(number)
        return number

    def array(self) -> np.ndarray:
        """int32: the number of every value added, in order."""
        return np.frombuffer(self._codes, dtype=np.int32).copy()


def detached(value: Any) -> Any:
    """A string copied into a new object (anything else as it is). What a
    build keeps of its passages is made of copies: holding a caller's own
    strings would pin the memory they share with the rest of the caller's
    corpus, which the caller could then not give back by dropping it."""
    if type(value) is not str or len(value) < 2:
        return value
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")


def indexed_extra(passage: Passage, speaker_in_text: bool = True) -> str | None:
    """What is indexed with a passage besides its text: its speaker's name
    (with ``speaker_in_text``) and what the footnotes it cites state (not
    their source references: :func:`~transcript_qa.analysis.cited_facts`)."""
    parts = [passage.speaker if speaker_in_text else None, cited_facts(passage.citation)]
    return ".\n".join(p for p in parts if p) or None


def is_question(text: str) -> bool:
    """True when a passage ends with a question mark (closing quotes and brackets aside)."""
    return text.rstrip().rstrip("\"'”’)").endswith("?")


class Intake:
    """What a build keeps of its passages (see the module doc)."""

    def __init__(self, writer: PassageWriter, *, include_boilerplate: bool, speaker_in_text: bool,
                 chunk_passages: int) -> None:
        self._writer = writer
        self._include_boilerplate = include_boilerplate
        self._speaker_in_text = speaker_in_text
        self._chunk_passages = max(1, chunk_passages)
        self.columns = {name: Codes() for name in COLUMN_FIELDS}
        self.labels = Codes()  # speaker_label
        self.indexed = array("b")
        self.question = array("b")
        self.definitions: list[tuple[str, str, str]] = []  # (passage id, short, long) of indexed passages
        self.documents: dict[str, Document] = {}  # document id -> what its first passage says of it
        self.own_links: list[int] = []  # passages whose links came with them

    def __len__(self) -> int:
        return len(self.indexed)

    def chunks(self, passages: Iterable[Passage]) -> Iterator[Chunk]:
        """Read ``passages``; yield the indexed ones in chunks of at least
        ``chunk_passages`` (the last one aside) that end where a document does."""
        texts: list[str] = []
        extra: list[str | None] = []
        documents = array("q")
        numbers = array("q")
        fields = [(name, self.columns[name]) for name in COLUMN_FIELDS if name != "document"]
        document_codes = self.columns["document"]
        for passage in passages:
            if not isinstance(passage, Passage):
                raise TypeError(f"a build takes Passage objects, not {type(passage).__name__}")
            number = len(self.indexed)
            self._writer.write(passage)
            document = document_codes.add(passage.document)
            for name, codes in fields:
                codes.add(getattr(passage, name))
            self.labels.add(passage.speaker_label)
            if passage.document not in self.documents:
                self.documents[detached(passage.document)] = Document(
                    id=detached(passage.document), title=detached(passage.title), kind=detached(passage.kind),
                    date=detached(passage.date), path="")
            if passage.links:
                self.own_links.append(number)
            self.question.append(is_question(passage.text))
            indexed = self._include_boilerplate or passage.boilerplate is None
            self.indexed.append(indexed)
            if not indexed:
                continue
            if len(texts) >= self._chunk_passages and document != documents[-1]:
                yield _chunk(texts, extra, documents, numbers)
                texts, extra, documents, numbers = [], [], array("q"), array("q")
            texts.append(passage.text)
            extra.append(indexed_extra(passage, self._speaker_in_text))
            documents.append(document)
            numbers.append(number)
            if "(" in passage.text:
                self.definitions.extend(tuple(map(detached, d)) for d in passage_definitions((passage,)))
        if texts:
            yield _chunk(texts, extra, documents, numbers)

    def flags(self, which: str) -> np.ndarray:
        """uint8 per passage: ``"indexed"`` or ``"question"``."""
        return np.frombuffer(getattr(self, which), dtype=np.int8).astype(np.uint8)


def _chunk(texts: list[str], extra: list[str | None], documents: array, numbers: array) -> Chunk:
    return Chunk(texts=texts, extra=extra, documents=np.frombuffer(documents, dtype=np.int64).copy(),
                 numbers=np.frombuffer(numbers, dtype=np.int64).copy())
