"""The TF-IDF index: build it, save it, load it, ask it questions.

>>> from transcript_qa import load_index                     # doctest: +SKIP
>>> idx = load_index()            # builds indexes/default from corpus/ on first use
>>> idx.search("agency staff spending", k=5)[0].passage.speaker
>>> idx.who("who discussed CAS3")[0].speaker

Building (scikit-learn and NLTK are imported here only): every passage is
analysed by :class:`transcript_qa.analysis.Analyzer` and weighted by
``TfidfVectorizer(analyzer=..., sublinear_tf=True, norm="l2")`` (idf smoothed:
``ln((1+n)/(1+df)) + 1``). Boilerplate passages stay in ``Index.passages``
(for context and ``show``) but get no postings unless
``include_boilerplate=True``. With ``speaker_in_text=True`` (default) the
speaker's name is indexed with each passage's words.

An index folder (format :data:`FORMAT_VERSION`) holds::

    manifest.json          format and library versions, settings, counts,
                           corpus root and fingerprint, sha256 + size of every file
    vocab.json             the unigrams (term number = position)
    bigrams.npy            int64, sorted: bigram (a, b) of unigram numbers is
                           ``(a + 1) << 32 | b``; term number = unigrams + position
    idf.npy                float64 [terms]
    max_weight.npy         float32 [terms]: largest weight (times length factor) per term
    postings_offsets.npy   int64 [terms + 1]: term t's postings are [off[t], off[t+1])
    postings_ids.npy       int32: passage numbers, ascending within a term
    postings_weights.npy   float32: the passage's l2-normalised tf-idf weight (sklearn's)
    postings_scaled.npy    float32: the same times the passage's length factor
                           (pivoted normalisation at the build's slope), what queries add up
    passages.jsonl         one Passage a line, in corpus order
    passage_offsets.npy    int64 [passages + 1]: byte offsets of the lines
    columns.json           known values of speaker, organisation, role, document, kind, date
    col_<field>.npy        int32 [passages]: value number per passage (-1: none)
    indexed.npy, question.npy  uint8 [passages];  length.npy int32 [passages]
    glossary.json, stems.json, speakers.json, documents.json

Arrays are written with ``allow_pickle=False`` and read back the same way
(memory-mapped when large), so a query reads only its own terms' postings.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np

from transcript_qa import __version__
from transcript_qa.analysis import ANALYSIS_VERSION, Analyzer
from transcript_qa.errors import (
    IndexError_,
    IndexFormatError,
    IndexMissingError,
    QueryError,
    StaleIndexError,
)
from transcript_qa.model import (
    Acronym,
    Answer,
    Document,
    Hit,
    Passage,
    SpeakerAnswer,
    SpeakerInfo,
)
from transcript_qa import search as _search
from transcript_qa.search import RANK_FIELDS, RankSettings


def bigram_code(a: int, b: int) -> int:
    """The code of bigram (a, b) of unigram numbers (as in ``vectorize.py``)."""
    return ((a + 1) << 32) | b


FORMAT_VERSION = 2
REBUILD_HINT = "run `transcript-qa index build`"
COLUMN_FIELDS = ("speaker", "organisation", "role", "document", "kind", "date")
_ARRAY_FILES = {
    "idf": "idf.npy",
    "bigrams": "bigrams.npy",
    "max_weight": "max_weight.npy",
    "offsets": "postings_offsets.npy",
    "post_ids": "postings_ids.npy",
    "post_w": "postings_weights.npy",
    "post_ws": "postings_scaled.npy",
    "passage_offsets": "passage_offsets.npy",
    "indexed": "indexed.npy",
    "question": "question.npy",
    "length": "length.npy",
    "norm": "norm.npy",
    **{f: f"col_{f}.npy" for f in COLUMN_FIELDS},
}
_JSON_FILES = ("vocab.json", "columns.json", "glossary.json", "stems.json", "speakers.json", "documents.json")
_MMAP_MIN_BYTES = 1 << 20
_PASSAGE_FIELDS = tuple(f.name for f in fields(Passage))
_VERIFY_MAX_BYTES = 64 << 20

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildSettings:
    """What goes into the index (fixed at build time, saved in the manifest)."""

    stem: bool = True
    bigrams: bool = True
    stop_words: tuple[str, ...] | None = None
    speaker_in_text: bool = True
    include_boilerplate: bool = False
    links: bool = True

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["stop_words"] = None if self.stop_words is None else list(self.stop_words)
        return data


BUILD_FIELDS = frozenset(f.name for f in fields(BuildSettings))


def split_settings(settings: dict[str, Any]) -> tuple[BuildSettings, RankSettings]:
    """Keyword settings -> (build settings, ranking settings); unknown names are a TypeError."""
    unknown = sorted(set(settings) - BUILD_FIELDS - RANK_FIELDS)
    if unknown:
        known = ", ".join(sorted(BUILD_FIELDS | RANK_FIELDS))
        raise TypeError(f"unknown index setting {unknown[0]!r}; known settings: {known}")
    build = {k: v for k, v in settings.items() if k in BUILD_FIELDS}
    if build.get("stop_words") is not None:
        build["stop_words"] = tuple(build["stop_words"])
    rank = {k: v for k, v in settings.items() if k in RANK_FIELDS}
    return BuildSettings(**build), RankSettings(**rank)


# =========================================================================== the Index


class _PassageFile(Sequence[Passage]):
    """``passages.jsonl`` read one line at a time, on demand."""

    def __init__(self, path: Path, offsets: np.ndarray) -> None:
        self._path = path
        self._offsets = offsets
        self._handle = open(path, "rb")
        self._cache: dict[int, Passage] = {}

    def __len__(self) -> int:
        return int(self._offsets.shape[0]) - 1

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        cached = self._cache.get(i)
        if cached is not None:
            return cached
        start, end = int(self._offsets[i]), int(self._offsets[i + 1])
        self._handle.seek(start)
        raw = self._handle.read(end - start)
        try:
            passage = Passage.from_dict(json.loads(raw))
        except (ValueError, TypeError) as err:
            raise IndexFormatError(
                f"{self._path}: passage {i} is unreadable ({err}); {REBUILD_HINT}", hint=REBUILD_HINT
            ) from None
        if len(self._cache) < 4096:
            self._cache[i] = passage
        return passage

    def __iter__(self) -> Iterator[Passage]:
        for i in range(len(self)):
            yield self[i]

    def close(self) -> None:
        self._handle.close()


class Index:
    """A built index: passages, their TF-IDF postings, glossary and speakers.

    Get one with :func:`load_index`, :func:`build_index` or
    :func:`build_index_from_passages`. ``settings`` are the ranking settings
    (:class:`~transcript_qa.search.RankSettings`); :meth:`with_settings`
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
            handles = _search.speaker_handles(codes, roles)
            self._handles = (handles, _search.handles_by_first(handles))
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
        hits, _ = _search.run_search(self, query, k, _search.make_filters(filters), self.settings)
        return hits

    def search_many(self, queries: Iterable[str], k: int = 10, **filters: Any) -> list[list[Hit]]:
        """``search`` for each query, in order (the batch entry point for runs
        and evaluation: one filter check for all)."""
        flt = _search.make_filters(filters)
        return [_search.run_search(self, q, k, flt, self.settings)[0] for q in queries]

    def who(self, question: str, k: int = 5, **filters: Any) -> list[SpeakerAnswer]:
        """Speakers ranked by how much of the material relevant to ``question``
        is theirs, each with their best passages. "Who"-words ("who", "which
        witnesses") and generic speech verbs ("discussed", "said") are not
        search terms."""
        flt = _search.make_filters(filters)
        if not isinstance(question, str) or not question.strip():
            raise QueryError("the question is empty")
        parsed = _search.parse_question(question, meta_words=self.settings.meta_words)
        if not _search.analysed_anything(self, parsed):
            parsed = _search.ParsedQuery(text=question, intent=parsed.intent, phrases=parsed.phrases)
        scored = _search.score(self, question, flt, self.settings, parsed, k=0, pool=self.settings.who_pool)
        return _search.rank_speakers(self, scored, k, self.settings)

    def ask(self, question: str, k: int = 10, *, id: str | None = None, speakers: int = 5, **filters: Any) -> Answer:
        """Ranked passages and ranked speakers for one question."""
        flt = _search.make_filters(filters)
        if not isinstance(question, str) or not question.strip():
            raise QueryError("the question is empty")
        parsed = _search.parse_question(question, meta_words=self.settings.meta_words)
        hits, scored = _search.run_search(self, question, k, flt, self.settings, parsed,
                                          pool=self.settings.who_pool if speakers > 0 else 0)
        ranked = _search.rank_speakers(self, scored, speakers, self.settings)
        return Answer(
            question=question,
            intent=parsed.intent,
            hits=tuple(hits),
            speakers=tuple(ranked),
            terms=scored.vector.terms,
            reason=None if hits else (scored.reason or "no passage matches the question"),
            id=id,
            filters=flt,
        )

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
            raise QueryError(f"unknown filter {field!r}; known filters: {', '.join(_search.FILTER_FIELDS)}")
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
        _write_index(self, Path(path))
        self.path = Path(path)

    def __len__(self) -> int:
        return len(self.passages)

    def __repr__(self) -> str:
        counts = self.manifest.get("counts", {})
        return f"<Index {self.path or '(in memory)'}: {counts.get('passages')} passages, {counts.get('terms')} terms>"


# =========================================================================== building


def build_index_from_passages(
    passages: Iterable[Passage],
    *,
    documents: Sequence[Document] = (),
    progress: Progress | None = None,
    speakers: Sequence[SpeakerInfo] | None = None,
    corpus: dict[str, Any] | None = None,
    **settings: Any,
) -> Index:
    """Build an in-memory index (no files) from passages in corpus order.

    ``settings``: :class:`BuildSettings` and
    :class:`~transcript_qa.search.RankSettings` fields. ``progress(stage,
    done, total)`` is called as the build advances."""
    build, rank = split_settings(settings)
    passages = list(passages)
    notify = progress or (lambda stage, done, total: None)
    n = len(passages)
    analyzer = Analyzer(
        stem=build.stem, bigrams=build.bigrams, stop_words=build.stop_words, stemmer="nltk", learn=True
    )
    indexed = np.fromiter(
        (build.include_boilerplate or p.boilerplate is None for p in passages), dtype=bool, count=n
    )
    numbers = np.flatnonzero(indexed)
    rows = [passages[i] for i in numbers.tolist()]
    notify("analysing passages", 0, len(rows))
    from transcript_qa.linking import DEFAULT_MAX_SHARE, DEFAULT_SHINGLE
    from transcript_qa.vectorize import vectorize

    fitted = vectorize(
        [p.text for p in rows],
        analyzer,
        extra=[p.speaker for p in rows] if build.speaker_in_text else None,
        documents=[p.document for p in rows],
        link_shingle=DEFAULT_SHINGLE if build.links else 0,
        link_max_share=DEFAULT_MAX_SHARE,
        progress=lambda done, total: notify("analysing passages", done, total),
    )
    notify("writing postings", 0, 1)
    csc = fitted.matrix.tocsc()
    fitted.matrix = None  # free the row-major copy
    csc.sort_indices()
    offsets = csc.indptr.astype(np.int64)
    rows = csc.indices
    post_w = csc.data.astype(np.float32, copy=False)
    del csc
    mean_norm = float(fitted.norms.mean()) if fitted.norms.size else 0.0
    slope = float(rank.length_slope)
    if slope < 1.0:
        denominator = (1.0 - slope) * mean_norm + slope * fitted.norms
        row_factor = np.divide(fitted.norms, denominator, out=np.zeros_like(fitted.norms), where=denominator > 0)
        scaled = post_w * row_factor.astype(np.float32)[rows]
    else:
        scaled = post_w
    post_ids = numbers.astype(np.int32)[rows]
    del rows
    max_weight = np.zeros(offsets.shape[0] - 1, dtype=np.float32)
    nonempty = np.flatnonzero(np.diff(offsets) > 0)
    if nonempty.size:
        max_weight[nonempty] = np.maximum.reduceat(scaled, offsets[nonempty])
    lengths = np.zeros(n, dtype=np.int32)
    lengths[numbers] = fitted.lengths
    norms = np.zeros(n, dtype=np.float32)
    norms[numbers] = fitted.norms
    vocab = fitted.unigrams
    idf = fitted.idf
    notify("writing postings", 1, 1)
    links = {int(numbers[a]): tuple(int(numbers[b]) for b in bs) for a, bs in fitted.links.items()}
    if links:
        passages = [
            _with_links(p, [passages[j].id for j in links[i]]) if i in links else p
            for i, p in enumerate(passages)
        ]

    from transcript_qa.acronyms import build_glossary

    glossary = build_glossary(p for p, ok in zip(passages, indexed.tolist()) if ok)
    columns, codes = _columns(passages)
    question = np.fromiter(
        (p.text.rstrip().rstrip("\"'”’)").endswith("?") for p in passages), dtype=np.uint8, count=n
    )
    arrays = {
        "idf": idf,
        "bigrams": fitted.bigrams,
        "max_weight": max_weight,
        "offsets": offsets,
        "post_ids": post_ids,
        "post_w": post_w,
        "post_ws": scaled,
        "indexed": indexed.astype(np.uint8),
        "question": question,
        "length": lengths,
        "norm": norms,
        **codes,
    }
    if speakers is None:
        speakers = _speaker_infos(passages, columns, codes)
    documents = list(documents) or _documents_from(passages)
    manifest = {
        "format": FORMAT_VERSION,
        "library_version": __version__,
        "sklearn_version": _sklearn_version(),
        "numpy_version": np.__version__,
        "settings": {
            "analysis": analyzer.settings(),
            "build": build.to_dict(),
            "rank": rank.to_dict(),
        },
        "counts": {
            "documents": len(documents),
            "passages": n,
            "indexed": int(indexed.sum()),
            "terms": int(idf.shape[0]),
            "unigrams": len(vocab),
            "postings": int(post_ids.shape[0]),
            "mean_norm": mean_norm,
            "max_weight_slope": slope,
            "speakers": len(speakers),
            "acronyms": len(glossary),
            "links": sum(1 for p in passages if p.links),
        },
        "documents": [d.id for d in documents],
        "corpus": corpus or {},
    }
    return Index(
        passages=passages,
        manifest=manifest,
        arrays=arrays,
        vocab=vocab,
        columns=columns,
        glossary=glossary,
        tables=analyzer.tables(),
        speakers=list(speakers),
        documents=documents,
        settings=rank,
    )


def _with_links(passage: Passage, ids: list[str]) -> Passage:
    from dataclasses import replace

    merged = tuple(dict.fromkeys(list(passage.links) + ids))
    return replace(passage, links=merged)


def _sklearn_version() -> str:
    import sklearn

    return sklearn.__version__


def _factorize(values: list) -> tuple[list[str], np.ndarray]:
    """(distinct non-empty values in order of first sight, code per value; -1 for none)."""
    distinct = [v for v in dict.fromkeys(values) if v]
    code_of: dict = {v: i for i, v in enumerate(distinct)}
    code_of[None] = -1
    code_of[""] = -1
    codes = np.fromiter(map(code_of.__getitem__, values), dtype=np.int32, count=len(values))
    return distinct, codes


def _columns(passages: Sequence[Passage]) -> tuple[dict[str, list[str]], dict[str, np.ndarray]]:
    values: dict[str, list[str]] = {}
    codes: dict[str, np.ndarray] = {}
    for field in COLUMN_FIELDS:
        values[field], codes[field] = _factorize([getattr(p, field) for p in passages])
    return values, codes


def _speaker_infos(passages: Sequence[Passage], columns: dict[str, list[str]],
                   codes: dict[str, np.ndarray]) -> list[SpeakerInfo]:
    """Speakers from the column codes: counts, and the roles, organisations,
    documents and labels each speaks with (in order of first sight)."""
    speaker = codes["speaker"]
    names = columns["speaker"]
    if not names:
        return []
    has = np.flatnonzero(speaker >= 0)
    counts = np.bincount(speaker[has], minlength=len(names))

    def pairs(column: np.ndarray) -> dict[int, list[int]]:
        sel = has[column[has] >= 0]
        key = speaker[sel].astype(np.int64) << 32 | column[sel].astype(np.int64)
        _, first = np.unique(key, return_index=True)
        out: dict[int, list[int]] = {}
        for i in np.sort(first).tolist():
            out.setdefault(int(speaker[sel[i]]), []).append(int(column[sel[i]]))
        return out

    roles = pairs(codes["role"])
    orgs = pairs(codes["organisation"])
    docs = pairs(codes["document"])
    label_names, label_codes = _factorize([p.speaker_label for p in passages])
    labels = pairs(label_codes)
    order = sorted(range(len(names)), key=lambda c: (-int(counts[c]), names[c]))
    return [
        SpeakerInfo(
            name=names[c],
            roles=tuple(columns["role"][i] for i in roles.get(c, [])),
            organisations=tuple(columns["organisation"][i] for i in orgs.get(c, [])),
            honours=(),
            passages=int(counts[c]),
            documents=tuple(columns["document"][i] for i in docs.get(c, [])),
            labels=tuple(label_names[i] for i in labels.get(c, [])),
        )
        for c in order
    ]


def _documents_from(passages: Sequence[Passage]) -> list[Document]:
    seen: dict[str, Document] = {}
    for p in passages:
        if p.document not in seen:
            seen[p.document] = Document(id=p.document, title=p.title, kind=p.kind, date=p.date, path="")
    return list(seen.values())


def build_index(
    corpus_path: str | os.PathLike | None = None,
    out_path: str | os.PathLike | None = None,
    *,
    progress: Progress | None = None,
    **settings: Any,
) -> Index:
    """Parse a corpus folder, build its index and save it (atomically) to
    ``out_path`` (default: :func:`transcript_qa.paths.default_index_path`)."""
    from transcript_qa import paths
    from transcript_qa.corpus import load_corpus

    corpus = load_corpus(corpus_path)
    root = Path(corpus.root).resolve()
    index = build_index_from_passages(
        corpus.passages,
        documents=corpus.documents,
        progress=progress,
        speakers=corpus.speakers(),
        corpus={"root": str(root), "fingerprint": corpus.fingerprint, "files": len(corpus.files),
                "warnings": len(corpus.warnings), "skipped": len(corpus.skipped)},
        **settings,
    )
    target = Path(out_path) if out_path is not None else paths.default_index_path()
    if progress:
        progress("saving", 0, 1)
    index.save(target)
    if progress:
        progress("saving", 1, 1)
    return index


# =========================================================================== saving


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_json(path: Path, data: Any) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        handle.flush()
        os.fsync(handle.fileno())


def _write_npy(path: Path, array: np.ndarray) -> None:
    with open(path, "wb") as handle:
        np.save(handle, np.ascontiguousarray(array), allow_pickle=False)
        handle.flush()
        os.fsync(handle.fileno())


def _write_index(index: Index, target: Path) -> None:
    target = target.resolve() if target.exists() else Path(os.path.abspath(target))
    if target.exists() and not target.is_dir():
        raise IndexError_(f"{target} exists and is not a folder; choose another index path")
    if target.is_dir() and any(target.iterdir()) and not (target / "manifest.json").is_file():
        raise IndexError_(f"{target} is a folder that does not hold an index; refusing to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        _write_files(index, tmp)
        _swap_in(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _write_files(index: Index, folder: Path) -> None:
    a = index._arrays
    # passages.jsonl with byte offsets
    offsets = np.zeros(len(index.passages) + 1, dtype=np.int64)
    with open(folder / "passages.jsonl", "wb") as handle:
        position = 0
        encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        names = _PASSAGE_FIELDS
        for i, passage in enumerate(index.passages):
            record = {name: getattr(passage, name) for name in names}
            record["links"] = list(passage.links)
            line = (encode(record) + "\n").encode("utf-8")
            handle.write(line)
            position += len(line)
            offsets[i + 1] = position
        handle.flush()
        os.fsync(handle.fileno())
    arrays = {name: a[name] for name in _ARRAY_FILES if name != "passage_offsets"}
    arrays["passage_offsets"] = offsets
    for name, filename in _ARRAY_FILES.items():
        _write_npy(folder / filename, np.asarray(arrays[name]))
    _write_json(folder / "vocab.json", index._vocab)
    _write_json(folder / "columns.json", index._columns)
    _write_json(folder / "glossary.json", [asdict(g) for g in index._glossary])
    _write_json(folder / "stems.json", index._tables)
    _write_json(folder / "speakers.json", [asdict(s) for s in index._speakers])
    _write_json(folder / "documents.json", [asdict(d) for d in index._documents])
    files = {}
    for name in sorted(os.listdir(folder)):
        path = folder / name
        files[name] = {"sha256": _sha256(path), "bytes": path.stat().st_size}
    manifest = dict(index.manifest)
    manifest["files"] = files
    manifest["settings"] = dict(manifest["settings"], rank=index.settings.to_dict())
    _write_json(folder / "manifest.json", manifest)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _swap_in(tmp: Path, target: Path) -> None:
    """Replace ``target`` by ``tmp``. The old index is renamed aside first and
    removed last; if we die in between, :func:`_recover` puts it back."""
    old = None
    if target.exists():
        old = target.parent / f".{target.name}.old-{os.getpid()}"
        if old.exists():
            shutil.rmtree(old)
        os.rename(target, old)
    try:
        os.rename(tmp, target)
    except BaseException:
        if old is not None:
            os.rename(old, target)
        raise
    _fsync_dir(target.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _recover(target: Path) -> None:
    """A crash between the two renames of :func:`_swap_in` leaves the good
    index at ``.<name>.old-<pid>``: put it back."""
    if target.exists() or not target.parent.is_dir():
        return
    olds = sorted(target.parent.glob(f".{target.name}.old-*"))
    for old in olds:
        if (old / "manifest.json").is_file():
            os.rename(old, target)
            return


# =========================================================================== loading


def _bad(path: Path, what: str) -> IndexFormatError:
    return IndexFormatError(f"{path}: {what}; {REBUILD_HINT}", hint=REBUILD_HINT)


def read_index(path: str | os.PathLike, *, verify: bool | None = None) -> Index:
    """Load an index folder. Never unpickles. ``verify``: check every file's
    sha256 (None: only when the index is under 64 MiB; sizes are always checked).

    Raises IndexMissingError (no index there) or IndexFormatError (corrupt,
    truncated, or another format version)."""
    folder = Path(path)
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise IndexMissingError(f"no index at {folder}: {REBUILD_HINT}", hint=REBUILD_HINT)
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise _bad(manifest_path, f"unreadable manifest ({err})") from None
    if not isinstance(manifest, dict):
        raise _bad(manifest_path, "the manifest is not a JSON object")
    version = manifest.get("format")
    if version != FORMAT_VERSION:
        raise _bad(folder, f"index format {version!r}, this version of transcript_qa reads format {FORMAT_VERSION}")
    analysis = (manifest.get("settings") or {}).get("analysis") or {}
    if analysis.get("version") != ANALYSIS_VERSION:
        raise _bad(folder, f"text analysis version {analysis.get('version')!r}, this version of transcript_qa "
                           f"analyses questions with version {ANALYSIS_VERSION}")
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise _bad(manifest_path, "the manifest lists no files")
    expected = set(_ARRAY_FILES.values()) | set(_JSON_FILES) | {"passages.jsonl"}
    missing = sorted(expected - set(files))
    if missing:
        raise _bad(manifest_path, f"the manifest does not list {missing[0]}")
    total = 0
    for name, meta in files.items():
        file = folder / name
        if not file.is_file():
            raise _bad(file, "file missing")
        size = file.stat().st_size
        if size != meta.get("bytes"):
            raise _bad(file, f"{size} bytes, the manifest says {meta.get('bytes')} (truncated or changed)")
        total += size
    if verify or (verify is None and total <= _VERIFY_MAX_BYTES):
        for name, meta in files.items():
            if _sha256(folder / name) != meta.get("sha256"):
                raise _bad(folder / name, "checksum mismatch (the file is corrupt or was changed)")
    arrays = {}
    for key, name in _ARRAY_FILES.items():
        arrays[key] = _read_npy(folder / name)
    json_data = {}
    for name in _JSON_FILES:
        try:
            json_data[name] = json.loads((folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise _bad(folder / name, f"unreadable ({err})") from None
    try:
        n = int(manifest["counts"]["passages"])
        vocab = json_data["vocab.json"]
        _check(arrays, n, len(vocab), folder)
        glossary = [Acronym(g["short"], g["long"], tuple(g.get("passages", ()))) for g in json_data["glossary.json"]]
        speakers = [
            SpeakerInfo(**{**s, **{k: tuple(s.get(k) or ()) for k in ("roles", "organisations", "honours", "documents", "labels")}})
            for s in json_data["speakers.json"]
        ]
        documents = [Document(**d) for d in json_data["documents.json"]]
        columns = {f: list(json_data["columns.json"][f]) for f in COLUMN_FIELDS}
        passages = _PassageFile(folder / "passages.jsonl", arrays["passage_offsets"])
        return Index(
            passages=passages,
            manifest=manifest,
            arrays=arrays,
            vocab=vocab,
            columns=columns,
            glossary=glossary,
            tables=json_data["stems.json"],
            speakers=speakers,
            documents=documents,
            path=folder,
        )
    except IndexFormatError:
        raise
    except (KeyError, TypeError, ValueError) as err:
        raise _bad(folder, f"inconsistent index ({type(err).__name__}: {err})") from None


def _read_npy(path: Path) -> np.ndarray:
    try:
        mode = "r" if path.stat().st_size >= _MMAP_MIN_BYTES else None
        array = np.load(path, mmap_mode=mode, allow_pickle=False)
    except (OSError, ValueError, EOFError) as err:
        raise _bad(path, f"unreadable array ({err})") from None
    if not isinstance(array, np.ndarray) or array.dtype.hasobject:
        raise _bad(path, "not a plain numeric array")
    return array


def _check(arrays: dict[str, np.ndarray], n: int, u: int, folder: Path) -> None:
    v = u + int(arrays["bigrams"].shape[0])
    shapes = {
        "idf": (v,), "offsets": (v + 1,), "max_weight": (v,), "passage_offsets": (n + 1,),
        "indexed": (n,), "question": (n,), "length": (n,), "norm": (n,), **{f: (n,) for f in COLUMN_FIELDS},
    }
    for key, shape in shapes.items():
        if arrays[key].shape != shape:
            raise _bad(folder / _ARRAY_FILES[key], f"shape {arrays[key].shape}, expected {shape}")
    nnz = int(arrays["offsets"][-1]) if v else 0
    for key in ("post_ids", "post_w", "post_ws"):
        if arrays[key].shape != (nnz,):
            raise _bad(folder / _ARRAY_FILES[key], f"shape {arrays[key].shape}, expected ({nnz},)")


def load_index(
    path: str | os.PathLike | None = None,
    *,
    corpus_path: str | os.PathLike | None = None,
    build: bool = True,
    on_stale: str = "rebuild",
    notify: Callable[[str], None] | None = None,
    verify: bool | None = None,
) -> Index:
    """Load the index at ``path`` (default: :func:`paths.default_index_path`).

    * No index there: with ``build`` (and a corpus: ``corpus_path``, or the
      bundled corpus for the default index) it is built and saved, with a
      one-line notice through ``notify``; else IndexMissingError.
    * Corrupt, truncated or another format: IndexFormatError saying how to
      rebuild (the default index, a cache, is rebuilt instead, with a notice).
    * Corpus changed since the build (fingerprint): ``on_stale`` is
      ``"rebuild"`` (rebuild and save, with a notice), ``"error"``
      (StaleIndexError), ``"warn"`` (notice, use it) or ``"ignore"``.
    """
    from transcript_qa import paths

    if on_stale not in ("rebuild", "error", "warn", "ignore"):
        raise ValueError(f"on_stale must be rebuild, error, warn or ignore, not {on_stale!r}")
    say = notify or (lambda message: None)
    default = path is None
    folder = Path(path) if path is not None else paths.default_index_path()
    corpus = Path(corpus_path) if corpus_path is not None else (paths.default_corpus_path() if default else None)
    _recover(folder)
    if not (folder / "manifest.json").is_file():
        if build and corpus is not None:
            say(f"building the index {folder} from {corpus} (first use)")
            return build_index(corpus, folder)
        raise IndexMissingError(f"no index at {folder}: {REBUILD_HINT}", hint=REBUILD_HINT)
    try:
        index = read_index(folder, verify=verify)
    except IndexFormatError as err:
        if default and build and corpus is not None:
            # the default index is a cache of the bundled corpus: rebuild it
            say(f"rebuilding the default index {folder}: " + str(err).split(": ", 1)[-1].split("; run")[0])
            return build_index(corpus, folder)
        raise
    if on_stale != "ignore":
        stale = index.is_stale(corpus)
        if stale:
            where = corpus or index.manifest.get("corpus", {}).get("root")
            if on_stale == "rebuild" and where is not None:
                say(f"rebuilding the index {folder}: the corpus {where} changed since it was built")
                return build_index(where, folder, **_saved_settings(index))
            if on_stale == "error":
                raise StaleIndexError(
                    f"the index {folder} is stale: the corpus {where} changed since it was built; {REBUILD_HINT}",
                    hint=REBUILD_HINT,
                )
            say(f"warning: the index {folder} is stale (the corpus changed since it was built); {REBUILD_HINT}")
    return index


def _saved_settings(index: Index) -> dict[str, Any]:
    build = dict(index.manifest.get("settings", {}).get("build", {}))
    analysis = index.manifest.get("settings", {}).get("analysis", {})
    for key in ("stem", "bigrams", "stop_words"):
        if key in analysis:
            build[key] = analysis[key]
    build = {k: v for k, v in build.items() if k in BUILD_FIELDS}
    return {**build, **index.settings.to_dict()}
