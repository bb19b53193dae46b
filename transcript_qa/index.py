"""The TF-IDF index: a built index and the questions it answers.

>>> from transcript_qa import load_index                     # doctest: +SKIP
>>> idx = load_index()            # builds indexes/default from corpus/ on first use
>>> idx.search("agency staff spending", k=5)[0].passage.speaker
>>> idx.who("who discussed CAS3")[0].speaker

An :class:`Index` is built by :mod:`transcript_qa.build` and stored by
:mod:`transcript_qa.store`; questions go to :mod:`transcript_qa.search`.
"""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from transcript_qa import search as _search
from transcript_qa.analysis import Analyzer
from transcript_qa.errors import IndexError_, QueryError
from transcript_qa.filters import FILTER_FIELDS
from transcript_qa.model import Acronym, Answer, Document, Hit, Passage, SpeakerAnswer, SpeakerInfo
from transcript_qa.query import handles_by_first, speaker_handles
from transcript_qa.settings import RANK_FIELDS, RankSettings
from transcript_qa.segment import Segment, Stats, TermCounts, score_table
from transcript_qa.store import read_index_parts, verify, write_index


class Index:
    """A built index: passages, their postings, glossary and speakers.

    Get one with :func:`load_index`, :func:`build_index` or
    :func:`build_index_from_passages`. ``settings`` are the ranking settings
    (:class:`~transcript_qa.settings.RankSettings`); :meth:`with_settings`
    returns the same index ranking with other ones.

    Ranking reads it through a small interface: :attr:`segment` (term
    dictionary, postings, parts), :attr:`stats` (collection statistics),
    :meth:`score_table`, :attr:`idf`, :meth:`column` (per-passage values) and
    :meth:`first_part`.
    """

    def __init__(
        self,
        *,
        passages: Sequence[Passage],
        manifest: dict[str, Any],
        arrays: dict[str, np.ndarray],
        vocab: list[str],
        columns: dict[str, list[str]],
        glossary: list[Acronym],
        tables: dict[str, dict[str, str]],
        speakers: list[SpeakerInfo],
        documents: list[Document],
        path: Path | None = None,
        settings: RankSettings | None = None,
    ) -> None:
        self.passages = passages
        self.manifest = manifest
        self.path = path
        self.settings = settings or RankSettings.from_dict(manifest.get("settings", {}).get("rank", {}))
        self._arrays = dict(arrays)
        self._vocab = vocab
        self._columns = columns
        self._glossary = glossary
        self._tables = tables
        self._speakers = speakers
        self._documents = documents
        counts = manifest.get("counts", {})
        self.segment = Segment(vocab, self._arrays)
        self.stats = Stats(parts=int(counts.get("parts", 0)), total_length=int(counts.get("total_length", 0)))
        self.analyzer = Analyzer.from_settings(
            manifest["settings"]["analysis"],
            stems=tables.get("words", {}),
            acronyms=tables.get("acronyms", {}),
        )
        self._cache: dict[Any, Any] = {}
        self._handles: tuple | None = None
        self._gloss_terms: list | None = None
        self._id_to_number: dict[str, int] | None = None
        self._doc_start: dict[int, int] | None = None

    # ------------------------------------------------------------------ what ranking reads
    @property
    def idf(self) -> TermCounts:
        """Smoothed idf of every term (``idf[t]``), from the collection statistics."""
        idf = self._cache.get("idf")
        if idf is None:
            seg = self.segment
            idf = self._cache["idf"] = TermCounts(seg.postings.term_post, self.stats.idf,
                                                  singles=seg.n_terms - seg.n_blocked)
        return idf

    def score_table(self, settings: RankSettings) -> np.ndarray:
        """What each posting code scores under ``settings`` (see :mod:`transcript_qa.segment`)."""
        key = ("table", settings.scoring, float(settings.length_slope), float(settings.bm25_k1))
        table = self._cache.get(key)
        if table is None:
            table = self._cache[key] = score_table(settings, self.stats)
        return table

    def column(self, name: str) -> np.ndarray:
        """Per passage: ``speaker``, ``document``, ``organisation``, ``role``,
        ``kind``, ``date`` (value numbers, -1: none), ``indexed`` and
        ``question`` (bool), ``length`` (terms)."""
        if name in ("indexed", "question"):
            key = ("bool", name)
            value = self._cache.get(key)
            if value is None:
                value = self._cache[key] = np.asarray(self._arrays[name]).astype(bool)
            return value
        return self._arrays[name]

    def first_part(self) -> np.ndarray:
        """int64 [passages + 1]: the parts of passage i are [first[i], first[i + 1])."""
        value = self._cache.get("first_part")
        if value is None:
            value = np.searchsorted(np.asarray(self.segment.part_passage), np.arange(len(self.passages) + 1))
            value = self._cache["first_part"] = value.astype(np.int64)
        return value

    def part_span(self, part: int) -> tuple[int, int]:
        """(start, end) character offsets of a part in its passage's text (for
        snippets from the part that scored: ``Scored.part_of(number)``)."""
        seg = self.segment
        number = int(seg.part_passage[part])
        start = int(seg.part_start[part])
        last = int(self.first_part()[number + 1]) - 1
        end = int(seg.part_start[part + 1]) if part < last else len(self.passages[number].text)
        return start, end

    def term_id(self, term: str) -> int | None:
        """The term number of an analysed term ("agenc", "agenc staff"), or None."""
        return self.segment.term_id(term)

    def term_text(self, tid: int) -> str:
        """The analysed term of a term number."""
        return self.segment.term(tid)

    _vocab_term = term_text

    def _array(self, name: str) -> np.ndarray:
        if name == "idf":
            return self.idf
        return self._arrays[name]

    def saved_arrays(self) -> dict[str, np.ndarray]:
        """The arrays :mod:`transcript_qa.store` writes."""
        return dict(self._arrays)

    def saved_json(self) -> dict[str, Any]:
        """The JSON files :mod:`transcript_qa.store` writes."""
        return {
            "vocab.json": list(self._vocab),
            "columns.json": self._columns,
            "glossary.json": [asdict(g) for g in self._glossary],
            "stems.json": self._tables,
            "speakers.json": [asdict(s) for s in self._speakers],
            "documents.json": [asdict(d) for d in self._documents],
        }

    def _speaker_handles(self) -> dict:
        if self._handles is None:
            roles: dict[int, set[str]] = {}
            seats: dict[int, set[str]] = {}
            codes = self._columns["speaker"]
            by_name = {name: i for i, name in enumerate(codes)}
            for info in self._speakers:
                code = by_name.get(info.name)
                if code is not None and info.roles:
                    roles[code] = set(info.roles)
                if code is not None and info.constituencies:
                    seats[code] = set(info.constituencies)
            handles = speaker_handles(codes, roles, seats)
            self._handles = (handles, handles_by_first(handles))
        return self._handles

    def _glossary_terms(self) -> list[tuple[tuple[str, ...], tuple[str, ...], Acronym]]:
        if self._gloss_terms is None:
            out = []
            for acronym in self._glossary:
                short = tuple(self.analyzer(acronym.short))
                long = tuple(self.analyzer(acronym.long))
                if short and long:
                    out.append((short, long, acronym))
            self._gloss_terms = out
        return self._gloss_terms

    def _number(self, passage_id: str) -> int:
        if self._doc_start is None:
            docs = np.asarray(self._arrays["document"])
            if docs.size:
                change = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]])
                self._doc_start = {int(docs[i]): int(i) for i in change[::-1]}
            else:
                self._doc_start = {}
        doc_id, _, pos = passage_id.rpartition(":")
        doc_values = self._columns["document"]
        if pos.isdigit() and doc_id in doc_values:
            guess = self._doc_start.get(doc_values.index(doc_id), -1) + int(pos)
            if 0 <= guess < len(self.passages) and self.passages[guess].id == passage_id:
                return guess
        if self._id_to_number is None:
            self._id_to_number = {p.id: i for i, p in enumerate(self.passages)}
        number = self._id_to_number.get(passage_id)
        if number is None:
            raise QueryError(f"no passage {passage_id!r} in the index")
        return number

    # ------------------------------------------------------------------ public API
    def with_settings(self, **settings: Any) -> "Index":
        """The same index with other ranking settings (no rebuild)."""
        unknown = sorted(set(settings) - RANK_FIELDS)
        if unknown:
            raise TypeError(f"unknown ranking setting {unknown[0]!r}; known: {', '.join(sorted(RANK_FIELDS))}")
        clone = object.__new__(Index)
        clone.__dict__.update(self.__dict__)
        from dataclasses import replace

        clone.settings = replace(self.settings, **settings)
        return clone

    def search(self, query: str, k: int = 10, **filters: Any) -> list[Hit]:
        """The k passages that best answer ``query``, best first. Each hit's
        snippet, highlights and explain are worked out when first read.

        Filters (:class:`~transcript_qa.model.Filters` fields): ``speaker``
        (case-insensitive, part of a name is enough), ``organisation``,
        ``role``, ``document``, ``kind``, ``since``/``until`` (ISO dates,
        inclusive). A filter value no passage has raises
        UnknownFilterValueError; valid filters that together match nothing
        give no hits (``ask`` says why)."""
        return _search.search(self, query, k, filters, self.settings)

    def search_many(self, queries: Iterable[str], k: int = 10, *, workers: int | None = None,
                    **filters: Any) -> list[list[Hit]]:
        """``search`` for each query, in order (the batch entry point for runs
        and evaluation: one filter check for all), on ``workers`` threads
        (default: every core when the compiled kernels answer, which release
        the GIL; else one; 1: this thread only). Errors are raised as
        ``search`` would raise them."""
        from transcript_qa.topk import use_kernels

        if workers is None and not use_kernels(self):
            workers = 1  # numpy-bound questions on small indexes: threads only contend for the GIL
        return _search.search_many(self, queries, k, filters, self.settings, workers=workers)

    def who(self, question: str, k: int = 5, **filters: Any) -> list[SpeakerAnswer]:
        """Speakers ranked by how much of the material relevant to ``question``
        is theirs, each with their best passages. "Who"-words ("who", "which
        witnesses") and generic speech verbs ("discussed", "said") are not
        search terms."""
        return _search.who(self, question, k, filters, self.settings)

    def ask(self, question: str, k: int = 10, *, id: str | None = None, speakers: int = 5, **filters: Any) -> Answer:
        """Ranked passages and ranked speakers for one question."""
        return _search.ask(self, question, k, id=id, speakers=speakers, filters=filters, settings=self.settings)

    def context(self, passage_id: str, before: int = 2, after: int = 2) -> list[Passage]:
        """The passage with up to ``before``/``after`` non-boilerplate passages
        of the same document around it, in order."""
        number = self._number(passage_id)
        docs = self.column("document")
        doc = int(docs[number])
        out_before: list[Passage] = []
        i = number - 1
        while i >= 0 and len(out_before) < max(0, before) and int(docs[i]) == doc:
            p = self.passages[i]
            if p.boilerplate is None:
                out_before.append(p)
            i -= 1
        out_after: list[Passage] = []
        i = number + 1
        n = len(self.passages)
        while i < n and len(out_after) < max(0, after) and int(docs[i]) == doc:
            p = self.passages[i]
            if p.boilerplate is None:
                out_after.append(p)
            i += 1
        return out_before[::-1] + [self.passages[number]] + out_after

    def passage(self, passage_id: str) -> Passage:
        """The passage with this id (QueryError if there is none)."""
        return self.passages[self._number(passage_id)]

    def speakers(self) -> list[SpeakerInfo]:
        """Every speaker, by passage count (desc) then name."""
        return list(self._speakers)

    def documents(self) -> list[Document]:
        return list(self._documents)

    def glossary(self) -> list[Acronym]:
        """Acronyms the corpus defines, sorted by short form."""
        return list(self._glossary)

    def filter_values(self, field: str) -> list[str]:
        """Known values of a filter field (``since``/``until`` give the dates)."""
        key = "date" if field in ("since", "until", "date") else field
        if key not in self._columns:
            raise QueryError(f"unknown filter {field!r}; known filters: {', '.join(FILTER_FIELDS)}")
        return sorted(self._columns[key], key=str.casefold)

    def info(self) -> dict[str, Any]:
        """The manifest, with the path, size on disk and a ``stale`` flag
        (True/False, or None when the corpus cannot be found)."""
        info = dict(self.manifest)
        info.pop("files", None)
        info["path"] = str(self.path) if self.path else None
        if self.path:
            info["size_bytes"] = sum(f["bytes"] for f in self.manifest.get("files", {}).values())
        info["stale"] = self.is_stale()
        return info

    def is_stale(self, corpus_path: str | os.PathLike | None = None) -> bool | None:
        """True when the corpus files changed since the build (None: unknown)."""
        corpus = self.manifest.get("corpus") or {}
        root = corpus_path or corpus.get("root")
        if not root or not corpus.get("fingerprint") or not Path(root).is_dir():
            return None
        try:
            from transcript_qa.corpus_files import corpus_fingerprint

            return corpus_fingerprint(root) != corpus["fingerprint"]
        except Exception:  # noqa: BLE001 - a corpus we cannot read: staleness unknown
            return None

    def verify(self) -> dict[str, Any]:
        """Check the saved index completely (every file's sha256, every
        posting decoded); IndexFormatError names the first problem."""
        if self.path is None:
            raise IndexError_("this index is in memory only: save it first")
        return verify(self.path)

    def save(self, path: str | os.PathLike) -> None:
        """Write the index folder atomically (temp folder beside it, then rename)."""
        write_index(self, Path(path))
        self.path = Path(path)

    def __len__(self) -> int:
        return len(self.passages)

    def __repr__(self) -> str:
        counts = self.manifest.get("counts", {})
        return f"<Index {self.path or '(in memory)'}: {counts.get('passages')} passages, {counts.get('terms')} terms>"




def read_index(path: str | os.PathLike, *, verify: bool | None = None) -> Index:
    """Load an index folder (see :func:`transcript_qa.store.read_index_parts`).

    Raises IndexMissingError (no index there) or IndexFormatError (corrupt,
    truncated, or another format version)."""
    return Index(**read_index_parts(path, verify=verify))
