"""A segmented index searched shard by shard: the same answers as one index.

A *sharded* index is a segmented index (:mod:`transcript_qa.segments`) whose
segments are split into groups, each searched by its own process (a Dask
worker, :mod:`transcript_qa.distributed`, or this process for tests). A
question goes through three steps, each a round over the shards:

1. **Statistics.** The client analyses the question once, with the index's
   own analysis tables, and asks the shards for the live document
   frequencies of its terms (and of the glossary's expansions); their sums
   are the global frequencies, so the terms and weights are exactly those of
   the single index (:func:`transcript_qa.query.query_vector` runs on the
   client over :class:`Front`). Collection statistics (parts, total length)
   come from the manifest.
2. **Context sources.** Context is lent by the ``context_sources`` passages
   with the best base scores over the whole index. Each shard sends its own
   best ``context_sources`` (base score, key); the client picks the global
   ones, and so learns how many each shard holds (the best ones of that
   shard, in the same order). Skipped with one shard.
3. **Top k.** Each shard scores with its count of sources (the engine's own
   exact top k, with the question's terms in the client's order so every
   shard adds them alike) and returns its best ``k`` by final score and its
   best ``who_pool`` by base score, with their hits worked out. The client
   keeps the best of them by (score desc, key asc) and ranks speakers over the
   merged pool (:func:`transcript_qa.who.speaker_shares`).

The key of a passage is its document's place in the index
(:func:`transcript_qa.segments.document_key`) and its place in the document:
the order every segmented index numbers passages in, so ties are broken as
on one machine. Needs only numpy (and Dask for a cluster).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from transcript_qa.analysis import Analyzer
from transcript_qa.errors import IndexFormatError, UnknownFilterValueError
from transcript_qa.filters import filter_mask, make_filters
from transcript_qa.index import Index
from transcript_qa.model import Acronym, Answer, Document, Filters, Hit, SpeakerAnswer, SpeakerInfo
from transcript_qa.query import ParsedQuery, QueryVector, analysed_anything, query_vector
from transcript_qa.ranking import BOUND_SLACK, Plan, Scored, context_weights, phrase_passages, term_weights, top_k
from transcript_qa.segment import Stats
from transcript_qa.segments import (BIGRAM_BASE, SegmentedIndex, _Lookup, document_key, open_parts, read_global,
                                    read_manifest)
from transcript_qa.settings import RankSettings
from transcript_qa.topk import no_match_reason, retrieve

Key = tuple  # (document key, place in the document)


# =========================================================================== one shard (on a worker)


class Shard:
    """A group of segments of an index, scoring with the index's global statistics."""

    def __init__(self, path: str | Path, names: Sequence[str]) -> None:
        folder = Path(path)
        manifest = read_manifest(folder)
        entries = [e for e in manifest["segments"] if e["name"] in set(names)]
        local = {"parts": sum(e["parts"] for e in entries), "total_length": sum(e["total_length"] for e in entries)}
        sub = {**manifest, "segments": entries, "counts": {**manifest.get("counts", {}), **local}}
        parts = open_parts(folder, manifest, entries, None)
        self.index = SegmentedIndex(folder, sub, parts, read_global(folder, manifest, False))
        counts = manifest.get("counts", {})
        self.index.stats = Stats(parts=int(counts.get("parts", 0)), total_length=int(counts.get("total_length", 0)))
        self.names = tuple(names)
        docs = np.asarray(self.index.column("document"))
        paths = {d.id: d.path for d in self.index.documents()}
        values = self.index._columns["document"]
        self._doc_keys = [document_key(paths.get(v), v) for v in values]
        start = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]]) if docs.size else np.zeros(0, dtype=np.int64)
        self._doc_first = np.repeat(start, np.diff(np.r_[start, docs.size])) if docs.size else start
        self._docs = docs
        self._recent: dict[str, Scored] = {}  # the last questions' scores, for their hits

    def key(self, number: int) -> Key:
        return self._doc_keys[int(self._docs[number])], int(number - self._doc_first[number])

    def df(self, terms: Sequence[str]) -> list[int]:
        """Live document frequency (parts) of each term in this shard."""
        seg = self.index.segment
        out = []
        for term in terms:
            tid = seg.term_id(term)
            out.append(int(seg.df[tid]) if tid is not None else 0)
        return out

    def _plan(self, req: "ShardRequest", masked: bool) -> tuple[Plan, QueryVector, str | None] | None:
        index = self.index
        seg = index.segment
        table = index.score_table(req.settings)
        terms, weights, bounds, labels = [], [], [], []
        for term, w, label in zip(req.terms, req.weights, req.labels):
            tid = seg.term_id(term)
            if tid is None:
                continue
            tf, length = seg.bound(tid)
            terms.append(tid)
            weights.append(w)
            labels.append(label)
            bounds.append(w * float(table[(int(tf) << 8) | int(length)]) * (1.0 + BOUND_SLACK))
        codes = {name: i for i, name in enumerate(index._columns["speaker"])}
        speakers = frozenset(codes[n] for n in req.speakers if n in codes)
        mask, reason = None, None
        if masked:
            try:
                mask, reason = filter_mask(index, req.filters) if req.filters.active() else (None, None)
            except UnknownFilterValueError:
                return None
            if req.phrases and reason is None:
                allowed = phrase_passages(index, req.phrases, mask)
                mask = np.zeros(len(index.passages), dtype=bool)
                mask[allowed] = True
        plan = Plan(terms=tuple(terms), weights=tuple(weights), bounds=tuple(bounds),
                    speakers=speakers if req.settings.speaker_boost else frozenset(), mask=mask)
        order = sorted(range(len(terms)), key=lambda i: terms[i])
        vector = QueryVector(term_ids=tuple(terms[i] for i in order), weights=tuple(weights[i] for i in order),
                             labels=tuple(labels[i] for i in order), terms=req.all_terms, speakers=speakers,
                             phrases=req.phrases)
        return plan, vector, reason

    def sources(self, req: "ShardRequest", n: int) -> list[tuple[float, Key]]:
        """This shard's ``n`` best base scores, every passage (filters aside)."""
        made = self._plan(req, masked=False)
        if made is None or not made[0].terms:
            return []
        cand, base, _, _ = retrieve(self.index, made[0], req.settings, k=0, pool=n)
        keep = base > 0
        ids, vals = top_k(cand[keep], base[keep], n)
        return [(float(v), self.key(i)) for i, v in zip(ids.tolist(), vals.tolist())]

    def _scored(self, req: "ShardRequest") -> Scored | None:
        made = self._plan(req, masked=True)
        if made is None:
            return None
        plan, vector, _ = made
        if not plan.terms:
            empty = np.zeros(0, dtype=np.int64)
            return Scored(empty, np.zeros(0), np.zeros(0), vector, None, asking=req.asking)
        settings = req.settings if req.sources is None else replace(req.settings, context_sources=int(req.sources))
        cand, base, final, part = retrieve(self.index, plan, settings, k=req.k, pool=req.pool)
        return Scored(cand, base, final, vector, None, asking=req.asking, part=part, weights=tuple(vector.weights))

    def answer(self, req: "ShardRequest") -> "ShardResult":
        """This shard's best ``k`` (final score) and ``pool`` (base score), as
        (score, key, passage number): hits are made for the ones the client
        keeps (:meth:`hits`)."""
        scored = self._scored(req)
        if scored is None:
            return ShardResult(unknown_filter=True)
        self._recent[req.token] = scored
        while len(self._recent) > 32:
            self._recent.pop(next(iter(self._recent)))
        cand, base, final = scored.cand, scored.base, scored.final
        ids, vals = top_k(cand, final, req.k)
        top = tuple((float(v), self.key(i), int(i)) for i, v in zip(ids.tolist(), vals.tolist()))
        pool: tuple = ()
        if req.pool > 0:
            keep = base > 0
            pids, pvals = top_k(cand[keep], base[keep], req.pool)
            finals = final[np.searchsorted(cand, pids)]
            speakers = self.index.column("speaker")[pids]
            names = self.index._columns["speaker"]
            length, question = self.index.column("length"), self.index.column("question")
            pool = tuple(PoolEntry(float(pvals[i]), float(finals[i]), self.key(int(pids[i])),
                                   names[int(speakers[i])] if speakers[i] >= 0 else None,
                                   int(length[pids[i]]), bool(question[pids[i]]), int(pids[i]))
                         for i in range(pids.size))
        return ShardResult(top=top, pool=pool)

    def hits(self, arg: tuple["ShardRequest", Sequence[tuple[int, float]]]) -> list[Hit]:
        """Hits (snippets worked out) of passages (number, score) of the
        question ``req`` this shard answered (scored again if forgotten)."""
        from transcript_qa.hits import make_hits

        req, wanted = arg
        if not wanted:
            return []
        scored = self._recent.get(req.token) or self._scored(req)
        assert scored is not None
        made = make_hits(self.index, [n for n, _ in wanted], [v for _, v in wanted], scored)
        return [_plain(h, req.explain) for h in made]


def _plain(hit: Hit, explain: bool) -> Hit:
    """A hit as a plain dataclass (its snippet worked out here, on the shard)."""
    return Hit(passage=hit.passage, score=hit.score, rank=hit.rank, snippet=hit.snippet,
               highlights=hit.highlights, explain=hit.explain if explain else ())


@dataclass(frozen=True)
class ShardRequest:
    """A question as the client analysed it: its terms in plan order."""

    terms: tuple[str, ...]
    weights: tuple[float, ...]
    labels: tuple[str, ...]
    all_terms: tuple[str, ...]
    speakers: tuple[str, ...]  # speakers the question names
    phrases: tuple[str, ...]
    filters: Filters
    asking: bool
    settings: RankSettings
    k: int = 10
    pool: int = 0
    sources: int | None = None  # the shard's share of the global context sources (None: its own best)
    explain: bool = False
    token: str = ""  # names the question on the shards (for its hits)


@dataclass(frozen=True)
class PoolEntry:
    base: float
    final: float
    key: Key
    speaker: str | None
    length: int
    question: bool
    number: int  # on its shard


@dataclass(frozen=True)
class ShardResult:
    top: tuple = ()  # (final score, key, hit), best first
    pool: tuple[PoolEntry, ...] = ()
    unknown_filter: bool = False


# =========================================================================== the client


class Front:
    """What the client needs to analyse a question for the whole index: the
    analysis tables, speakers and glossary of every segment, and document
    frequencies asked of the shards (``Index``'s query interface)."""

    def __init__(self, path: str | Path, settings: RankSettings | None = None) -> None:
        folder = Path(path)
        manifest = read_manifest(folder)
        self.manifest = manifest
        self.manifest_path = str(folder)
        self.settings = settings or RankSettings.from_dict(manifest.get("settings", {}).get("rank", {}))
        words: dict[str, str] = {}
        acronyms: dict[str, str] = {}
        for e in manifest["segments"]:
            try:
                tables = json.loads((folder / e["name"] / "stems.json").read_text(encoding="utf-8"))
            except (OSError, ValueError) as err:
                raise IndexFormatError(f"{folder / e['name']}: unreadable stems.json ({err})") from None
            for k, v in tables.get("words", {}).items():
                words.setdefault(k, v)
            for k, v in tables.get("acronyms", {}).items():
                acronyms.setdefault(k, v)
        self.analyzer = Analyzer.from_settings(manifest["settings"]["analysis"], stems=words, acronyms=acronyms)
        data = read_global(folder, manifest, False)
        self._glossary = [Acronym(g["short"], g["long"], tuple(g.get("passages", ()))) for g in data.get("glossary", [])]
        self._speakers = [SpeakerInfo(**{**s, **{k: tuple(v) for k, v in s.items() if isinstance(v, list)}})
                          for s in data.get("speakers", [])]
        self._columns = {"speaker": [s.name for s in self._speakers]}
        counts = manifest.get("counts", {})
        self.stats = Stats(parts=int(counts.get("parts", 0)), total_length=int(counts.get("total_length", 0)))
        self._handles = None
        self._gloss_terms = None
        self.segment = self
        self.n_unigrams = BIGRAM_BASE
        self.known: dict[str, int] = {}  # term -> global df (asked of the shards)
        self.missing: set[str] = set()
        self._ids: dict[str, int] = {}
        self._strings: list[str] = []
        self.df = _Lookup(lambda t: self.known.get(self.term(t), 0))
        self.idf = _Lookup(lambda t: float(self.stats.idf(np.asarray([self.df[t]]))[0]))

    def check_filters(self, filters: Filters) -> None:
        """Raise the error a single index raises for a filter value no passage has."""
        from transcript_qa.filters import _matching_codes, _unknown_value

        folder = Path(self.manifest_path)
        known: dict[str, set[str]] = {}
        for e in self.manifest["segments"]:
            columns = json.loads((folder / e["name"] / "columns.json").read_text(encoding="utf-8"))
            for name, values in columns.items():
                known.setdefault(name, set()).update(values)
        for name, value in filters.active().items():
            if name not in ("since", "until"):
                values = sorted(known.get(name, ()))
                if not _matching_codes(name, value, values):
                    raise _unknown_value(name, value, values)

    _speaker_handles = Index._speaker_handles
    _glossary_terms = Index._glossary_terms

    def term_id(self, term: str) -> int | None:
        if term not in self.known:
            self.missing.add(term)
            return None
        if not self.known[term]:
            return None
        tid = self._ids.get(term)
        if tid is None:
            tid = self._ids[term] = len(self._strings) + (BIGRAM_BASE if " " in term else 0)
            self._strings.append(term)
        return tid

    def term(self, tid: int) -> str:
        return self._strings[tid - BIGRAM_BASE if tid >= BIGRAM_BASE else tid]

    _vocab_term = term
    term_text = term


Runner = Callable[[str, Sequence[Any]], list[Any]]  # (method, one argument per shard) -> one result per shard


def split_segments(manifest: dict[str, Any], shards: int) -> list[tuple[str, ...]]:
    """Segments in ``shards`` groups of about the same number of passages."""
    groups: list[list[str]] = [[] for _ in range(max(1, min(shards, len(manifest["segments"]))))]
    sizes = [0] * len(groups)
    for e in sorted(manifest["segments"], key=lambda e: -int(e["passages"])):
        i = sizes.index(min(sizes))
        groups[i].append(e["name"])
        sizes[i] += int(e["passages"])
    return [tuple(g) for g in groups if g]


class ShardedIndex:
    """``search``, ``who`` and ``ask`` over shards, answering as the single
    index does. ``run(method, args)`` calls ``Shard.<method>(arg)`` on every
    shard (one argument each) and returns their results in shard order:
    :func:`local_runner` here, or a Dask cluster
    (:func:`transcript_qa.distributed.open_sharded`)."""

    def __init__(self, path: str | Path, run: Runner, shards: int, settings: RankSettings | None = None) -> None:
        self.path = Path(path)
        self.front = Front(path, settings)
        self.settings = self.front.settings
        self.shards = shards
        self._run = run

    def _vector(self, question: str, parsed: ParsedQuery) -> QueryVector:
        front = self.front
        front.known, front.missing = {}, set()
        for _ in range(8):
            vector = query_vector(front, question, parsed, self.settings)
            if not front.missing:
                return vector
            asked = sorted(front.missing)
            front.missing = set()
            counts = self._run("df", [asked] * self.shards)
            for i, term in enumerate(asked):
                front.known[term] = sum(c[i] for c in counts)
        raise AssertionError("the question's terms kept changing")  # pragma: no cover

    def _score(self, question: str, k: int, pool: int, filters: Filters, explain: bool = False) -> "_Merged":
        import uuid

        from transcript_qa.search import _parse

        parsed = _parse(question, self.settings)
        if not analysed_anything(self.front, parsed):
            parsed = ParsedQuery(text=question, intent=parsed.intent, phrases=parsed.phrases, people=parsed.people)
        vector = self._vector(question, parsed)
        weights = term_weights(self.front, vector, self.settings)
        items = sorted((self.front.known[self.front.term(t)], self.front.term(t), w, label)
                       for t, w, label in zip(vector.term_ids, weights, vector.labels) if w != 0.0)
        if not items:
            if filters.active():
                self.front.check_filters(filters)  # a filter value no passage has fails as on one index
            why = "no search terms in the question (only stop words or words not in the index)" \
                if not vector.terms else "none of the question's words occur in the index"
            return _Merged(vector, why, parsed.asking, people=parsed.people)
        names = self.front._columns["speaker"]
        req = ShardRequest(terms=tuple(i[1] for i in items), weights=tuple(i[2] for i in items),
                           labels=tuple(i[3] for i in items), all_terms=vector.terms,
                           speakers=tuple(sorted(names[c] for c in vector.speakers)), phrases=vector.phrases,
                           filters=filters, asking=parsed.asking, settings=self.settings, k=k, pool=pool,
                           explain=explain, token=uuid.uuid4().hex)
        n_src = int(self.settings.context_sources) if context_weights(self.settings) else 0
        if self.shards > 1 and n_src > 0:
            lists = self._run("sources", [(req, n_src)] * self.shards)
            merged = sorted((-b, key, j) for j, best in enumerate(lists) for b, key in best)[:n_src]
            share = [0] * self.shards
            for _, _, j in merged:
                share[j] += 1
            reqs = [replace(req, sources=share[j]) for j in range(self.shards)]
        else:
            reqs = [req] * self.shards
        results: list[ShardResult] = self._run("answer", reqs)
        if results and all(r.unknown_filter for r in results):
            self.front.check_filters(filters)
        top = sorted((-s, key, j, n) for j, r in enumerate(results) for s, key, n in r.top)[:k]
        entries = sorted(((e, j) for j, r in enumerate(results) for e in r.pool),
                         key=lambda ej: (-ej[0].base, ej[0].key))[:pool]
        reason = None if top else no_match_reason(filters, vector.phrases)
        return _Merged(vector, reason, parsed.asking, reqs, [(-s, j, n) for s, _, j, n in top], entries,
                       people=parsed.people)

    def _finish(self, merged: "_Merged", speakers: int) -> tuple[list[Hit], list[SpeakerAnswer]]:
        """The hits and ranked speakers of a merged result: one round fetches
        the hits shown (the top k, and each shown speaker's best passages)."""
        from transcript_qa.who import of_kind, speaker_shares

        ranked: list[tuple[str, float, list[tuple[float, int, int]]]] = []
        total = 0.0
        pool = [(e, j) for e, j in merged.entries if e.speaker is not None]
        if pool and speakers > 0:
            per, total = speaker_shares(np.asarray([e.base for e, _ in pool]), [e.speaker for e, _ in pool],
                                        np.asarray([e.length for e, _ in pool]),
                                        np.asarray([e.question for e, _ in pool]), merged.asking, self.settings)
            per, total = of_kind(per, total, merged.people, lambda: self.front._speakers, lambda name: name)
            if total > 0:
                for name, value in sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))[:speakers]:
                    mine = sorted(((e, j) for e, j in pool if e.speaker == name), key=lambda ej: (-ej[0].final, ej[0].key))
                    ranked.append((name, value, [(e.final, j, e.number) for e, j in mine[: self.settings.who_hits]]))
        wanted: list[dict[int, float]] = [{} for _ in range(self.shards)]
        for score, j, n in merged.top + [x for _, _, shown in ranked for x in shown]:
            wanted[j][n] = score
        got: dict[tuple[int, int], Hit] = {}
        if any(wanted):
            asks = [(merged.reqs[j], sorted(wanted[j].items())) for j in range(self.shards)]
            for j, (hits, (_, pairs)) in enumerate(zip(self._run("hits", asks), asks)):
                got.update(((j, n), h) for (n, _), h in zip(pairs, hits))
        hits = [replace(got[(j, n)], rank=i) for i, (_, j, n) in enumerate(merged.top, 1)]
        out = []
        for rank, (name, value, shown) in enumerate(ranked, 1):
            mine = tuple(replace(got[(j, n)], rank=i) for i, (_, j, n) in enumerate(shown, 1))
            first = mine[0].passage if mine else None
            out.append(SpeakerAnswer(speaker=name, score=round(value / total, 6), rank=rank,
                                     role=first.role if first else None,
                                     organisation=first.organisation if first else None, hits=mine))
        return hits, out

    def documents(self) -> list[Document]:
        """Every document, in index order."""
        docs = []
        for e in self.front.manifest["segments"]:
            live = set(e.get("documents", []))
            data = json.loads((self.path / e["name"] / "documents.json").read_text(encoding="utf-8"))
            docs.extend(Document(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})
                        for d in data if d["id"] in live)
        return sorted(docs, key=lambda d: document_key(d.path, d.id))

    def search(self, query: str, k: int = 10, **filters: Any) -> list[Hit]:
        """As :meth:`Index.search` (hits come worked out: snippets, highlights)."""
        from transcript_qa.search import _count

        k = _count(k, "k")
        return self._finish(self._score(query, k, 0, make_filters(filters)), 0)[0]

    def who(self, question: str, k: int = 5, **filters: Any) -> list[SpeakerAnswer]:
        """As :meth:`Index.who`."""
        from transcript_qa.search import _count

        k = _count(k, "k")
        return self._finish(self._score(question, 0, self.settings.who_pool, make_filters(filters)), k)[1]

    def ask(self, question: str, k: int = 10, *, id: str | None = None, speakers: int = 5,
            explain: bool = False, **filters: Any) -> Answer:
        """As :meth:`Index.ask`."""
        from transcript_qa.answers import answer_question
        from transcript_qa.search import ANSWER_HITS, _count, _parse, named_speaker_notes, operator_notes

        k, speakers = _count(k, "k"), _count(speakers, "speakers")
        flt = make_filters(filters)
        merged = self._score(question, max(k, ANSWER_HITS), self.settings.who_pool if speakers > 0 else 0, flt,
                             explain)
        hits, ranked = self._finish(merged, speakers)
        hits, best = answer_question(self.front, question, hits, merged.vector)
        hits = hits[:k]
        return Answer(question=question, intent=_parse(question, self.settings).intent, hits=tuple(hits),
                      speakers=tuple(ranked), terms=merged.vector.terms,
                      reason=None if hits else merged.reason, id=id, filters=flt, answer=best,
                      unmatched=merged.vector.unknown,
                      notes=named_speaker_notes(self.front._columns["speaker"], merged.vector.speakers, hits)
                      + operator_notes(question))


@dataclass
class _Merged:
    """A question's merged result on the client, before its hits are fetched."""

    vector: QueryVector
    reason: str | None
    asking: bool
    reqs: list[ShardRequest] = field(default_factory=list)
    top: list[tuple[float, int, int]] = field(default_factory=list)  # (final, shard, number), best first
    entries: list[tuple[PoolEntry, int]] = field(default_factory=list)  # the merged who pool, best first
    people: str | None = None  # "which ministers ...": the kind of speaker asked for


def local_runner(path: str | Path, groups: Sequence[Sequence[str]]) -> Runner:
    """Run the shards in this process (tests, and a reference for clusters)."""
    shards = [Shard(path, g) for g in groups]

    def run(method: str, args: Sequence[Any]) -> list[Any]:
        out = []
        for shard, arg in zip(shards, args):
            out.append(shard.sources(*arg) if method == "sources" else getattr(shard, method)(arg))
        return out

    return run


def open_local(path: str | Path, shards: int = 2) -> ShardedIndex:
    """A sharded view of the segmented index at ``path`` with its segments in
    ``shards`` groups, all searched in this process."""
    groups = split_segments(read_manifest(Path(path)), shards)
    return ShardedIndex(path, local_runner(path, groups), len(groups))
