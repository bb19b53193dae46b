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
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from transcript_qa import search as _search
from transcript_qa.analysis import Analyzer
from transcript_qa.errors import QueryError
from transcript_qa.filters import FILTER_FIELDS
from transcript_qa.model import Acronym, Answer, Document, Hit, Passage, SpeakerAnswer, SpeakerInfo
from transcript_qa.query import handles_by_first, speaker_handles
from transcript_qa.settings import RANK_FIELDS, RankSettings
from transcript_qa.store import read_index_parts, write_index


def bigram_code(a: int, b: int) -> int:
    """The code of bigram (a, b) of unigram numbers (as in ``vectorize.py``)."""
    return ((a + 1) << 32) | b


class Index:
    """A built index: passages, their TF-IDF postings, glossary and speakers.

    Get one with :func:`load_index`, :func:`build_index` or
    :func:`build_index_from_passages`. ``settings`` are the ranking settings
    (:class:`~transcript_qa.settings.RankSettings`); :meth:`with_settings`
    returns the same index ranking with other ones.
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
        self._arrays["doc"] = self._arrays["document"]
        self._arrays["indexed_bool"] = np.asarray(self._arrays["indexed"]).astype(bool)
        self._vocab = vocab
        self._columns = columns
        self._glossary = glossary
        self._tables = tables
        self._speakers = speakers
        self._documents = documents
        self.analyzer = Analyzer.from_settings(
            manifest["settings"]["analysis"],
            stems=tables.get("words", {}),
            acronyms=tables.get("acronyms", {}),
        )
        self._handles: tuple | None = None
        self._unigram_ids: dict[str, int] | None = None
        self._factor_cache: tuple[float, np.ndarray] | None = None
        self._bound_cache: dict[tuple[float, int], float] = {}
        self._gloss_terms: list | None = None
        self._id_to_number: dict[str, int] | None = None
        self._doc_start: dict[int, int] | None = None

    # ------------------------------------------------------------------ internals for search.py
    def _array(self, name: str) -> np.ndarray:
        return self._arrays[name]

    def _max_contribution(self, tid: int) -> float:
        """The largest ``weight * length factor`` in term ``tid``'s postings
        (an upper bound of what the term adds to a passage's score)."""
        slope = float(self.settings.length_slope)
        stored = self.manifest.get("counts", {}).get("max_weight_slope")
        if stored is not None and float(stored) == slope:
            return float(self._arrays["max_weight"][tid])
        key = (slope, tid)
        value = self._bound_cache.get(key)
        if value is None:
            ids, weights = self._postings(tid)
            factor = self._length_factor()
            scaled = weights.astype(np.float64) * (factor[ids] if factor is not None else 1.0)
            value = float(scaled.max()) if scaled.size else 0.0
            if len(self._bound_cache) > 100_000:
                self._bound_cache.clear()
            self._bound_cache[key] = value
        return value

    def _scaled(self) -> np.ndarray | None:
        """Posting weights times the length factor, when stored for the
        current slope (None: multiply at query time)."""
        stored = self.manifest.get("counts", {}).get("max_weight_slope")
        if stored is not None and float(stored) == float(self.settings.length_slope):
            return self._arrays["post_ws"]
        return None

    def _length_factor(self) -> np.ndarray | None:
        """Per passage: ``norm / ((1 - s) * pivot + s * norm)`` for the pivoted
        length normalisation with slope ``s = settings.length_slope`` (None
        when s is 1: plain cosine)."""
        slope = float(self.settings.length_slope)
        if slope >= 1.0:
            return None
        cached = self._factor_cache
        if cached is not None and cached[0] == slope:
            return cached[1]
        norms = np.asarray(self._arrays["norm"], dtype=np.float64)
        pivot = float(self.manifest.get("counts", {}).get("mean_norm") or 0.0)
        denominator = (1.0 - slope) * pivot + slope * norms
        factor = np.divide(norms, denominator, out=np.zeros_like(norms), where=denominator > 0)
        self._factor_cache = (slope, factor)
        return factor

    def term_id(self, term: str) -> int | None:
        """The term number of an analysed term ("agenc", "agenc staff"), or None."""
        if " " in term:
            first, _, second = term.partition(" ")
            a, b = self._unigram_id(first), self._unigram_id(second)
            if a is None or b is None:
                return None
            codes = self._arrays["bigrams"]
            code = bigram_code(a, b)
            i = int(np.searchsorted(codes, code))
            if i < codes.shape[0] and int(codes[i]) == code:
                return len(self._vocab) + i
            return None
        return self._unigram_id(term)

    def _unigram_id(self, term: str) -> int | None:
        if self._unigram_ids is None:
            self._unigram_ids = {t: i for i, t in enumerate(self._vocab)}
        return self._unigram_ids.get(term)

    def _vocab_term(self, tid: int) -> str:
        n_uni = len(self._vocab)
        if tid < n_uni:
            return self._vocab[tid]
        code = int(self._arrays["bigrams"][tid - n_uni])
        return self._vocab[(code >> 32) - 1] + " " + self._vocab[code & 0xFFFFFFFF]

    def _postings(self, tid: int) -> tuple[np.ndarray, np.ndarray]:
        a = self._arrays
        start, end = int(a["offsets"][tid]), int(a["offsets"][tid + 1])
        return np.asarray(a["post_ids"][start:end]), np.asarray(a["post_w"][start:end])

    def _posting_weight(self, tid: int, number: int) -> float:
        ids, weights = self._postings(tid)
        pos = int(np.searchsorted(ids, number))
        if pos < ids.shape[0] and int(ids[pos]) == number:
            return float(weights[pos])
        return 0.0

    def _speaker_handles(self) -> dict:
        if self._handles is None:
            roles: dict[int, set[str]] = {}
            codes = self._columns["speaker"]
            by_name = {name: i for i, name in enumerate(codes)}
            for info in self._speakers:
                code = by_name.get(info.name)
                if code is not None and info.roles:
                    roles[code] = set(info.roles)
            handles = speaker_handles(codes, roles)
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
        clone._factor_cache = None
        clone._bound_cache = {}
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

    def search_many(self, queries: Iterable[str], k: int = 10, **filters: Any) -> list[list[Hit]]:
        """``search`` for each query, in order (the batch entry point for runs
        and evaluation: one filter check for all)."""
        return _search.search_many(self, queries, k, filters, self.settings)

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
        docs = self._arrays["document"]
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
