"""Bulk analysis at build time: a chunk of passages in, counted terms out.

A :class:`ChunkAnalyser` turns a chunk of passages (whole documents) into the
chunk's *parts* and their term counts, in numpy: it analyses each distinct
whitespace-separated piece of text once (with
:class:`transcript_qa.analysis.Analyzer`, so the terms are exactly the ones a
question gives) and counts with numpy instead of a Python loop per term. It
keeps its caches between chunks, and runs in a worker process when the build
is parallel (:mod:`transcript_qa.indexer`).

* **Parts.** A passage longer than about ``part_chars`` characters is cut into
  windows of whole sentences of about that size (:func:`part_starts`); every
  other passage is one part. Parts are what postings point to, so a long
  statement is scored by its best part, not diluted by its length.
* **Terms.** Unigrams (and the second term of money and percentages, and the
  parts of a hyphenated word besides the word joined), and the
  speaker's name (``extra``) in every part of the passage (not counted in its
  length). **Bigrams** of consecutive content words are kept only where they
  earn their place: where the document repeats them (``bigram_min_count``
  occurrences in the same document). The rule looks at one document only, so
  a document indexed alone gets the same terms as in a whole corpus.
* **Order.** A chunk's terms are numbered by their sorted strings, so the
  build merges chunks by term without a shared dictionary, and the result
  does not depend on how chunks were spread over processes.
"""

from __future__ import annotations

import hashlib
import re
from itertools import islice
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from transcript_qa.analysis import TOKEN_RE, Analyzer, normalise
from transcript_qa.postings import length_byte, make_codes

_SEP = "\x00"
_STOP = -1
_BREAK = -2
_DOC = -3
_PIECE_CACHE = 300_000  # distinct pieces kept between chunks (memory bound)
_SURFACE_CACHE = 200_000  # distinct surface tokens (and their terms) kept between chunks (memory bound)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+|\n\s*\n")
_HASH_MUL = np.uint64(0x9E3779B97F4A7C15)


def part_starts(text: str, part_chars: int) -> list[int]:
    """Character offsets where the parts of ``text`` start: windows of whole
    sentences of at least ``part_chars`` characters (the last one at least
    half that); a stretch of over twice ``part_chars`` without a sentence end
    is cut at a space. ``[0]`` (one part) for a text under 1.5 ``part_chars``
    or when ``part_chars`` is 0."""
    n = len(text)
    if part_chars <= 0 or n <= part_chars + part_chars // 2:
        return [0]
    starts = [0]
    for pos in [m.end() for m in _SENTENCE_END.finditer(text)] + [n]:
        while pos - starts[-1] > 2 * part_chars:
            begin = starts[-1]
            cut = text.rfind(" ", begin + part_chars // 2, begin + part_chars + 1)
            starts.append(cut + 1 if cut > begin else begin + part_chars)
        if pos < n and pos - starts[-1] >= part_chars and n - pos >= part_chars // 2:
            starts.append(pos)
    return starts


def term_hash(term: str) -> int:
    """A stable 63-bit hash of a term (the same in every process and run)."""
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "little") >> 1


@dataclass
class ChunkResult:
    """What one chunk of passages gives. Part numbers are chunk-local (0 =
    the chunk's first part); term numbers index ``terms`` (sorted strings)."""

    n_parts: np.ndarray  # int32 [passages]: parts per passage
    part_start: np.ndarray  # int32 [parts]: character offset of the part in its passage's text
    part_length: np.ndarray  # int32 [parts]: terms of the part's text (what length byte encodes)
    passage_length: np.ndarray  # int32 [passages]: unigrams + bigrams of the text (all bigrams)
    terms: list[str]  # the chunk's distinct unigram strings, sorted
    uni_term: np.ndarray  # int32, sorted by (term, part)
    uni_part: np.ndarray  # int32
    uni_code: np.ndarray  # uint16: tf << 8 | length byte
    bi_first: np.ndarray  # int32 (into terms), sorted by (first, second, part)
    bi_second: np.ndarray  # int32
    bi_part: np.ndarray  # int32
    bi_code: np.ndarray  # uint16
    shingle_hash: np.ndarray  # uint64, sorted
    shingle_part: np.ndarray  # int32
    stems: dict[str, str] = field(default_factory=dict)  # surface -> stem learned in this chunk
    acronyms: dict[str, str] = field(default_factory=dict)


class _Grow:
    """An int64 array that grows at the end (amortised, no Python list copies)."""

    def __init__(self, *values: int) -> None:
        self.data = np.asarray(values, dtype=np.int64)
        self.pending: list[int] = []

    def append(self, value: int) -> None:
        self.pending.append(value)

    def extend(self, values: Sequence[int]) -> None:
        self.pending.extend(values)

    def __len__(self) -> int:
        return self.data.size + len(self.pending)

    def array(self) -> np.ndarray:
        if self.pending:
            self.data = np.concatenate([self.data, np.asarray(self.pending, dtype=np.int64)])
            self.pending = []
        return self.data


class ChunkAnalyser:
    """Analyses chunks of passages (see the module doc); caches surface
    tokens and pieces between chunks."""

    def __init__(self, analysis: dict[str, Any], *, part_chars: int, bigram_min_count: int,
                 link_shingle: int = 0, surface_cache: int | None = None, piece_cache: int | None = None) -> None:
        stop = analysis.get("stop_words")
        self.surface_cache = _SURFACE_CACHE if surface_cache is None else surface_cache
        self.piece_cache = _PIECE_CACHE if piece_cache is None else piece_cache
        self.analyzer = Analyzer(stem=bool(analysis.get("stem", True)), bigrams=bool(analysis.get("bigrams", True)),
                                 stop_words=None if stop is None else tuple(stop), stemmer="nltk", learn=True)
        self.part_chars = part_chars
        self.bigram_min_count = bigram_min_count
        self.link_shingle = link_shingle
        self._reported = (0, 0)  # stems and acronyms already returned
        self._reset_surfaces()

    def _reset_surfaces(self) -> None:
        """Forget every surface token, term number and piece (numbers are
        chunk-internal: a chunk's result names its terms by string), so a
        long build's caches stay bounded; the stems already returned go too."""
        self.vocab: list[str] = []  # term number -> string (numbers are this analyser's own)
        self.hashes = _Grow()  # term number -> term_hash
        self._uni: dict[str, int] = {}
        self._surf: dict[str | tuple[str], int] = {_SEP: 0}
        self._more: dict[int, list[int]] = {}  # surface number -> surfaces of its third and later terms
        self._prim = _Grow(_DOC)  # surface number -> its term (or _STOP/_BREAK/_DOC)
        self._sec = _Grow(-1)  # surface number -> second term (money, percentages) or -1
        self._extra: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.analyzer.stems.clear()
        self._reported = (0, self._reported[1])
        self._reset_pieces()

    def _reset_pieces(self) -> None:
        self._pieces: dict[str, int] = {_SEP: 0}
        self._piece_tokens = _Grow(0)
        self._piece_start = _Grow(0)
        self._piece_len = _Grow(1)

    # ------------------------------------------------------------------ terms
    def _uid(self, term: str) -> int:
        value = self._uni.get(term)
        if value is None:
            value = self._uni[term] = len(self.vocab)
            self.vocab.append(term)
            self.hashes.append(term_hash(term))
        return value

    def _surface(self, token: str) -> int:
        number = self._surf.get(token)
        if number is None:
            terms = self.analyzer._classify(token)
            number = self._surf[token] = len(self._prim)
            if terms is None:
                self._prim.append(_BREAK)
                self._sec.append(-1)
            elif not terms:
                self._prim.append(_STOP)
                self._sec.append(-1)
            else:
                self._prim.append(self._uid(terms[0]))
                self._sec.append(self._uid(terms[1]) if len(terms) > 1 else -1)
                if len(terms) > 2:
                    self._more[number] = [self._counted(term) for term in terms[2:]]
        return number

    def _counted(self, term: str) -> int:
        """A surface that stands for ``term`` counted once, outside the
        bigrams (a hyphenated word's third and later terms)."""
        key = (term,)
        number = self._surf.get(key)
        if number is None:
            number = self._surf[key] = len(self._prim)
            self._prim.append(_STOP)
            self._sec.append(self._uid(term))
        return number

    def _extra_terms(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        known = self._extra.get(name)
        if known is None:
            unigrams, pairs = [], []
            for term in self.analyzer(name):
                if " " in term:
                    first, second = term.split(" ", 1)
                    pairs.append((self._uid(first), self._uid(second)))
                else:
                    unigrams.append(self._uid(term))
            known = self._extra[name] = (
                np.asarray(unigrams, dtype=np.int64),
                np.asarray([a for a, _ in pairs], dtype=np.int64),
                np.asarray([b for _, b in pairs], dtype=np.int64),
            )
        return known

    # ------------------------------------------------------------------ a chunk
    def analyse(self, texts: Sequence[str], extra: Sequence[str | None] | None,
                documents: Sequence[int]) -> ChunkResult:
        """Analyse passages ``texts`` (``extra[i]``: the speaker's name, or
        None; ``documents[i]``: a number that is the same for passages of one
        document, and documents are whole in the chunk)."""
        if len(self._surf) > self.surface_cache:
            self._reset_surfaces()
        elif len(self._pieces) > self.piece_cache:
            self._reset_pieces()
        m = len(texts)
        limit = self.part_chars + self.part_chars // 2 if self.part_chars > 0 else -1
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=m)
        starts_of: list[list[int]] = [[0]] * m
        for i in np.flatnonzero(lengths > limit).tolist() if limit >= 0 else ():
            starts_of[i] = part_starts(texts[i], self.part_chars)
        n_parts = np.fromiter(map(len, starts_of), dtype=np.int32, count=m)
        owner = np.repeat(np.arange(m, dtype=np.int64), n_parts)
        part_start = np.fromiter((s for starts in starts_of for s in starts), dtype=np.int32,
                                 count=int(n_parts.sum()))
        if int(n_parts.sum()) == m:
            rows = [t.replace(_SEP, " ") if _SEP in t else t for t in texts]
        else:
            rows = []
            for text, starts in zip(texts, starts_of):
                text = text.replace(_SEP, " ") if _SEP in text else text
                ends = starts[1:] + [len(text)]
                rows.extend(text[a:b] for a, b in zip(starts, ends))
        r = len(rows)
        joined = normalise((" " + _SEP + " ").join(rows))
        del rows
        split = joined.split()
        del joined
        pieces = self._pieces
        for piece in sorted(set(split).difference(pieces)):
            tokens = []
            for token in TOKEN_RE.findall(piece):
                number = self._surface(token)
                tokens.append(number)
                if number in self._more:
                    tokens.extend(self._more[number])
            pieces[piece] = len(self._piece_start)
            self._piece_start.append(len(self._piece_tokens))
            self._piece_len.append(len(tokens))
            self._piece_tokens.extend(tokens)
        ids = np.fromiter(map(pieces.__getitem__, split), dtype=np.int64, count=len(split))
        del split
        lens = self._piece_len.array()[ids]
        firsts = self._piece_start.array()[ids]
        del ids
        ends = np.cumsum(lens)
        total = int(ends[-1]) if ends.size else 0
        s = self._piece_tokens.array()[np.repeat(firsts - (ends - lens), lens) + np.arange(total)]
        del lens, firsts, ends
        p = self._prim.array()[s]
        q = self._sec.array()[s]
        del s
        row = np.cumsum(p == _DOC, dtype=np.int64)  # part number of every token
        is_uni = p >= 0
        is_sec = q >= 0
        content = p != _STOP
        pk, rk = p[content], row[content]
        pair = (pk[:-1] >= 0) & (pk[1:] >= 0)
        left, right, pair_row = pk[:-1][pair], pk[1:][pair], rk[1:][pair]
        del pk, rk, pair, content
        u_rows = [row[is_uni], row[is_sec]]
        u_terms = [p[is_uni], q[is_sec]]
        part_length = (np.bincount(u_rows[0], minlength=r)[:r] + np.bincount(u_rows[1], minlength=r)[:r]
                       ).astype(np.int32)
        bigram_count = np.bincount(pair_row, minlength=r)[:r]
        shingle_hash = shingle_part = None
        if self.link_shingle > 0:
            hashes = self.hashes.array()
            shingle_hash, shingle_part = _shingles(hashes[p[is_uni]], row[is_uni], self.link_shingle)
            order = np.argsort(shingle_hash)
            shingle_hash, shingle_part = shingle_hash[order], shingle_part[order]
        del p, q, row, is_uni, is_sec
        b_rows, b_left, b_right = [pair_row], [left], [right]
        if extra is not None:
            by_name: dict[str, list[int]] = {}
            for i, name in enumerate(extra):
                if name:
                    by_name.setdefault(name, []).append(i)
            first_part = np.zeros(m + 1, dtype=np.int64)
            np.cumsum(n_parts, out=first_part[1:])
            for name, passages in by_name.items():
                unigrams, pa, pb = self._extra_terms(name)
                who = np.asarray(passages, dtype=np.int64)
                parts_of = _parts_of(first_part, n_parts, who)
                if unigrams.size:
                    u_rows.append(np.repeat(parts_of, unigrams.size))
                    u_terms.append(np.tile(unigrams, parts_of.size))
                if pa.size:
                    b_rows.append(np.repeat(parts_of, pa.size))
                    b_left.append(np.tile(pa, parts_of.size))
                    b_right.append(np.tile(pb, parts_of.size))
        # unigrams: (part, term) counts
        uni_row = np.concatenate(u_rows)
        uni_t = np.concatenate(u_terms)
        del u_rows, u_terms
        seen = np.zeros(len(self.vocab), dtype=bool)
        seen[uni_t] = True
        bi_row = np.concatenate(b_rows)
        bi_a, bi_b = np.concatenate(b_left), np.concatenate(b_right)
        del b_rows, b_left, b_right
        if bi_row.size and self.bigram_min_count > 1:
            doc_of_part = np.asarray(documents, dtype=np.int64)[owner]
            keep = _repeated(doc_of_part[bi_row], bi_a, bi_b, self.bigram_min_count)
            bi_row, bi_a, bi_b = bi_row[keep], bi_a[keep], bi_b[keep]
        elif self.bigram_min_count <= 0:
            bi_row = bi_a = bi_b = np.zeros(0, dtype=np.int64)
        seen[bi_a] = True
        seen[bi_b] = True
        used = np.flatnonzero(seen)
        strings = [self.vocab[i] for i in used.tolist()]
        order = sorted(range(len(strings)), key=strings.__getitem__)
        rank = np.zeros(len(self.vocab), dtype=np.int64)
        rank[used[np.asarray(order, dtype=np.int64)]] = np.arange(len(order), dtype=np.int64)
        terms = [strings[i] for i in order]
        lbyte = length_byte(part_length)
        uni_term, uni_part, uni_tf = _count(rank[uni_t], uni_row, None)
        bi_first, bi_part, bi_tf, bi_second = _count(rank[bi_a], bi_row, rank[bi_b])
        passage_length = np.bincount(owner, weights=part_length.astype(np.int64) + bigram_count,
                                     minlength=m).astype(np.int32)
        learned = dict(islice(self.analyzer.stems.items(), self._reported[0], None))
        acronyms = dict(islice(self.analyzer.acronyms.items(), self._reported[1], None))
        self._reported = (len(self.analyzer.stems), len(self.analyzer.acronyms))
        return ChunkResult(
            n_parts=n_parts,
            part_start=part_start,
            part_length=part_length,
            passage_length=passage_length,
            terms=terms,
            uni_term=uni_term.astype(np.int32),
            uni_part=uni_part.astype(np.int32),
            uni_code=make_codes(uni_tf, lbyte[uni_part]),
            bi_first=bi_first.astype(np.int32),
            bi_second=bi_second.astype(np.int32),
            bi_part=bi_part.astype(np.int32),
            bi_code=make_codes(bi_tf, lbyte[bi_part]),
            shingle_hash=shingle_hash if shingle_hash is not None else np.zeros(0, dtype=np.uint64),
            shingle_part=shingle_part if shingle_part is not None else np.zeros(0, dtype=np.int32),
            stems=learned,
            acronyms=acronyms,
        )


def _parts_of(first_part: np.ndarray, n_parts: np.ndarray, passages: np.ndarray) -> np.ndarray:
    """Part numbers of the given passages, in order."""
    counts = n_parts[passages].astype(np.int64)
    ends = np.cumsum(counts)
    return np.repeat(first_part[passages] - (ends - counts), counts) + np.arange(int(ends[-1]) if ends.size else 0)


def _repeated(doc: np.ndarray, a: np.ndarray, b: np.ndarray, min_count: int) -> np.ndarray:
    """Which bigram occurrences (a, b) in document ``doc`` occur at least
    ``min_count`` times in that document."""
    if a.size == 0:
        return np.zeros(0, dtype=bool)
    n_b = int(b.max()) + 1
    n_a = int(a.max()) + 1
    doc = doc - int(doc.min())
    if (int(doc.max()) + 1) * n_a * n_b < 2**62:
        key = (doc * n_a + a) * n_b + b
    else:  # pragma: no cover - a chunk of astronomically many terms
        key = np.unique(np.stack([doc, a, b], axis=1), axis=0, return_inverse=True)[1].ravel()
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    return counts[inverse] >= min_count


def _count(term: np.ndarray, part: np.ndarray, second: np.ndarray | None):
    """Distinct (term[, second], part) with their counts, sorted by (term,
    second, part): (term, part, count[, second])."""
    if term.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return (empty, empty, empty) if second is None else (empty, empty, empty, empty)
    n_part = int(part.max()) + 1
    n_second = int(second.max()) + 1 if second is not None else 1
    if (int(term.max()) + 1) * n_second * n_part < 2**62:
        key = term.astype(np.int64) * (n_second * n_part) + part
        if second is not None:
            key += second.astype(np.int64) * n_part
        key.sort()
        new = np.r_[True, key[1:] != key[:-1]]
        starts = np.flatnonzero(new)
        counts = np.diff(np.r_[starts, key.size])
        key = key[starts]
        t, rest = np.divmod(key, n_second * n_part)
        s, p = np.divmod(rest, n_part)
        return (t, p, counts) if second is None else (t, p, counts, s)
    keys = (term, part) if second is None else (term, second, part)
    order = np.lexsort(keys[::-1])
    cols = [k[order] for k in keys]
    new = np.zeros(order.size, dtype=bool)
    new[0] = True
    for c in cols:
        new[1:] |= c[1:] != c[:-1]
    starts = np.flatnonzero(new)
    counts = np.diff(np.r_[starts, order.size])
    if second is None:
        return cols[0][starts], cols[1][starts], counts
    return cols[0][starts], cols[2][starts], counts, cols[1][starts]


def _shingles(values: np.ndarray, rows: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(hash, row) of every run of n consecutive terms (by their hashes) inside one row."""
    if values.size < n:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int32)
    values = values.astype(np.uint64)
    width = values.size - n + 1
    h = np.zeros(width, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(n):
            h = h * _HASH_MUL + values[j: j + width]
            h ^= h >> np.uint64(29)
    same = rows[:width] == rows[n - 1:]
    return h[same], rows[:width][same].astype(np.int32)


def find_links(hashes: np.ndarray, parts: np.ndarray, part_passage: np.ndarray, passage_doc: np.ndarray,
               max_share: int) -> dict[int, set[int]]:
    """Passages of different documents sharing a shingle that at most
    ``max_share`` passages share (one slice of all shingles: call it on
    shingles grouped by hash, e.g. one hash range at a time)."""
    if hashes.size < 2:
        return {}
    order = np.argsort(hashes, kind="stable")
    hashes = hashes[order]
    dup = hashes[1:] == hashes[:-1]
    if not dup.any():
        return {}
    in_group = np.zeros(hashes.size, dtype=bool)
    in_group[1:] |= dup
    in_group[:-1] |= dup
    sel = order[in_group]
    hashes = hashes[in_group]
    passages = part_passage[parts[sel]]
    pair = np.lexsort((passages, hashes))
    hashes, passages = hashes[pair], passages[pair]
    keep = np.r_[True, (hashes[1:] != hashes[:-1]) | (passages[1:] != passages[:-1])]
    hashes, passages = hashes[keep], passages[keep]
    starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
    sizes = np.diff(np.r_[starts, hashes.size])
    links: dict[int, set[int]] = {}
    for s, size in zip(starts.tolist(), sizes.tolist()):
        if not 2 <= size <= max_share:
            continue
        members = passages[s: s + size].tolist()
        for x in members:
            for y in members:
                if x != y and passage_doc[x] != passage_doc[y]:
                    links.setdefault(x, set()).add(y)
    return links
