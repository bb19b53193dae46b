"""Hits: ranked passages with their snippets, highlights and explanations,
worked out lazily (ranking does not pay for presentation)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from transcript_qa.model import Hit, Passage
from transcript_qa.query import QueryVector

if TYPE_CHECKING:  # pragma: no cover
    from transcript_qa.index import Index
    from transcript_qa.ranking import Scored

_SENTENCE_RE = re.compile(r"[^.!?]+(?:[.!?]+[\"'”’)\]]*|$)\s*")
SNIPPET_CHARS = 280


class _Details:
    """Snippets and explanations for one list of hits, worked out when a hit's
    are first read (then for every hit of the list at once: explain reads
    each query term's postings once for all of them)."""

    def __init__(self, index: "Index", numbers: Sequence[int], scored: Scored) -> None:
        self.index = index
        self.numbers = np.asarray(numbers, dtype=np.int64)
        self.scored = scored
        self.explains: list | None = None
        self.weights: dict[str, float] | None = None
        self.cues: dict[str, float] | None = None

    def explain(self, i: int) -> tuple[tuple[str, float], ...]:
        if self.explains is None:
            self.explains = explain_many(self.index, self.numbers, self.scored)
        return self.explains[i]

    def snippet(self, i: int, passage: Passage) -> tuple[str, tuple[tuple[int, int], ...]]:
        if self.weights is None:
            self.weights = part_weights(self.index, self.scored.vector)
            self.cues = _cues(self.index, self.scored.vector, self.weights)
        return passage_snippet(self.index, passage, self.scored.vector, self.weights, self.cues,
                               within=self._part(int(self.numbers[i])))

    def _part(self, number: int) -> tuple[int, int] | None:
        """Where the part that scored sits in a passage cut into parts (None: whole)."""
        part = self.scored.part_of(number)
        if part is None:
            return None
        first = self.index.first_part()
        if int(first[number + 1]) - int(first[number]) < 2:
            return None
        return self.index.part_span(part)


def _lazy(name: str) -> property:
    def get(self: "LazyHit") -> Any:
        values = self.__dict__
        if name not in values:
            details, i = values["_details"]
            if name == "explain":
                values["explain"] = details.explain(i)
            else:
                values["snippet"], values["highlights"] = details.snippet(i, self.passage)
        return values[name]

    def put(self: "LazyHit", value: Any) -> None:
        self.__dict__[name] = value

    return property(get, put, doc=f"``{name}``, worked out when first read")


class LazyHit(Hit):
    """A :class:`~transcript_qa.model.Hit` whose ``snippet``, ``highlights``
    and ``explain`` are worked out when first read: ranking does not pay for
    presentation (a batch run that only needs passage ids never builds them).
    Reading them gives exactly what an eager Hit would hold."""

    snippet = _lazy("snippet")  # type: ignore[assignment]
    highlights = _lazy("highlights")  # type: ignore[assignment]
    explain = _lazy("explain")  # type: ignore[assignment]


def make_hits(index: "Index", numbers: Sequence[int], scores: Sequence[float], scored: Scored) -> list[Hit]:
    """Hits (ranked 1..) for passage numbers with their scores (lazy details)."""
    details = _Details(index, numbers, scored)
    out: list[Hit] = []
    for rank, (number, value) in enumerate(zip(numbers, scores), 1):
        hit = LazyHit.__new__(LazyHit)
        hit.__dict__.update(
            passage=index.passages[int(number)], score=round(float(value), 6), rank=rank,
            _details=(details, rank - 1),
        )
        out.append(hit)
    return out


def part_weights(index: "Index", vector: QueryVector) -> dict[str, float]:
    """Unigram term -> the largest weight of a query term containing it."""
    weight_of: dict[str, float] = {}
    for tid, w in zip(vector.term_ids, vector.weights):
        for part in index._vocab_term(tid).split(" "):
            if w > weight_of.get(part, 0.0):
                weight_of[part] = w
    return weight_of


def _cues(index: "Index", vector: QueryVector, weight_of: dict[str, float]) -> dict[str, float]:
    """Lower-case strings that locate matches in a long text cheaply: the
    query's unigram terms (stems are mostly prefixes of their words) and the
    query's own words."""
    cues = {term: w for term, w in weight_of.items() if len(term) >= 2}
    for tid, w, label in zip(vector.term_ids, vector.weights, vector.labels):
        for word in re.findall(r"[^\W_]{2,}", label.lower()):
            if w > cues.get(word, 0.0):
                cues[word] = w
    return cues


#: Texts longer than this are located by cues before being tokenised.
_LONG_TEXT = 3 * SNIPPET_CHARS


#: Put before a snippet taken from a footnote the passage cites.
FOOTNOTE_PREFIX = "[footnote] "


def passage_snippet(index: "Index", passage: Passage, vector: QueryVector,
                    weight_of: dict[str, float] | None = None,
                    cues: dict[str, float] | None = None,
                    within: tuple[int, int] | None = None) -> tuple[str, tuple[tuple[int, int], ...]]:
    """:func:`make_snippet` of the passage's text (from the stretch ``within``,
    the part that scored, when given); when a footnote the passage cites
    (``citation``, indexed with it) holds more of the query's terms than the
    text (by weight), the snippet comes from that footnote, marked
    ``[footnote]``."""
    if weight_of is None:
        weight_of = part_weights(index, vector)
    if passage.citation:
        in_note = _coverage(index, passage.citation, weight_of)
        if in_note > 0 and in_note > _coverage(index, passage.text, weight_of):
            note, marks = make_snippet(index, passage.citation, vector, weight_of, cues)
            shift = len(FOOTNOTE_PREFIX)
            return FOOTNOTE_PREFIX + note, tuple((a + shift, b + shift) for a, b in marks)
    return make_snippet(index, passage.text, vector, weight_of, cues, within=within)


def _coverage(index: "Index", text: str, weight_of: dict[str, float]) -> float:
    """Summed weight of the distinct query unigrams ``text`` holds."""
    found = {term for term, _, _ in index.analyzer.spans(text, weight_of.keys())}
    return sum(weight_of[t] for t in found)


def make_snippet(index: "Index", text: str, vector: QueryVector,
                 weight_of: dict[str, float] | None = None,
                 cues: dict[str, float] | None = None,
                 within: tuple[int, int] | None = None) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The best-matching sentence (with a neighbour when short), trimmed to
    about SNIPPET_CHARS characters around its matches, and the matched spans;
    only sentences inside ``within`` (start, end) are considered when given.

    A long text is first narrowed to the sentence where the query's cues
    (:func:`_cues`) weigh most, so only that stretch is tokenised."""
    if weight_of is None:
        weight_of = part_weights(index, vector)
    sentences = [(m.start(), m.end()) for m in _SENTENCE_RE.finditer(text) if m.group(0).strip()]
    if within is not None:
        sentences = [(a, b) for a, b in sentences if a >= within[0] and a < within[1]] or sentences
    if not sentences:
        sentences = [(0, len(text))]
    region = (0, len(text))
    if len(text) > _LONG_TEXT and len(sentences) > 1:
        if cues is None:
            cues = _cues(index, vector, weight_of)
        lowered = text.lower()
        scores = [sum(w for cue, w in cues.items() if cue in lowered[a:b]) for a, b in sentences]
        best_i = max(range(len(sentences)), key=lambda i: (scores[i], -i))
        if scores[best_i] > 0:
            first = max(0, best_i - 1)
            last = min(len(sentences) - 1, best_i + 1)
            region = (sentences[first][0], sentences[last][1])
            sentences = sentences[first : last + 1]
    offset0 = region[0]
    spans = [
        (s + offset0, e + offset0, weight_of[t])
        for t, s, e in index.analyzer.spans(text[region[0] : region[1]], weight_of.keys())
    ]
    best, best_score = sentences[0], -1.0
    for start, end in sentences:
        seen: dict[int, float] = {}
        for s, e, w in spans:
            if start <= s < end:
                seen[s] = w
        value = sum(seen.values())
        if value > best_score:
            best, best_score = (start, end), value
    start, end = best
    if end - start < SNIPPET_CHARS // 2:
        idx = sentences.index(best)
        if idx + 1 < len(sentences):
            end = sentences[idx + 1][1]
        elif idx > 0:
            start = sentences[idx - 1][0]
    if end - start > SNIPPET_CHARS:
        inside = [s for s, e, w in spans if start <= s < end]
        centre = inside[0] if inside else start
        new_start = max(start, centre - SNIPPET_CHARS // 3)
        space = text.rfind(" ", start, new_start + 1)
        start = space + 1 if space > start and new_start > start else new_start
        new_end = min(end, start + SNIPPET_CHARS)
        space = text.rfind(" ", start, new_end)
        end = space if space > start + SNIPPET_CHARS // 2 and new_end < end else new_end
    raw = text[start:end]
    lead = len(raw) - len(raw.lstrip())
    snippet = raw.strip()
    offset = start + lead
    prefix = "… " if offset > 0 and text[:offset].strip() else ""
    suffix = " …" if text[offset + len(snippet):].strip() else ""
    highlights = []
    for s, e, _ in spans:
        if offset <= s and e <= offset + len(snippet):
            span = (s - offset + len(prefix), e - offset + len(prefix))
            if not highlights or highlights[-1] != span:
                highlights.append(span)
    return prefix + snippet + suffix, tuple(highlights)


def explain_many(index: "Index", numbers: np.ndarray, scored: Scored,
                 top: int = 5) -> list[tuple[tuple[str, float], ...]]:
    """For each passage: the query terms that contributed most to its score
    (in its best part), then the boosts (``[speaker named in the question]``,
    ``[neighbouring passages]``) when they applied. Reads each query term's
    postings once for all the passages."""
    vector = scored.vector
    numbers = np.asarray(numbers, dtype=np.int64)
    contrib = np.zeros((numbers.size, len(vector.term_ids)))
    where = np.minimum(np.searchsorted(scored.cand, numbers), max(0, scored.cand.size - 1))
    known = scored.cand[where] == numbers if scored.cand.size else np.zeros(numbers.size, dtype=bool)
    if scored.part is not None and known.any():
        parts = np.where(known, scored.part[where] if scored.cand.size else 0, -1)
        table = index.score_table(index.settings)
        order = np.argsort(parts, kind="stable")
        sorted_parts = parts[order]
        valid = sorted_parts >= 0
        weights = scored.weights or (0.0,) * len(vector.term_ids)
        for j, (tid, w) in enumerate(zip(vector.term_ids, weights)):
            if w == 0.0:
                continue
            codes = index.segment.lookup(tid, np.unique(sorted_parts[valid]))
            at = np.searchsorted(np.unique(sorted_parts[valid]), sorted_parts[valid])
            contrib[order[valid], j] = w * table[codes[at]]
    out = []
    for i in range(numbers.size):
        parts_: dict[str, float] = {}
        for j in np.flatnonzero(contrib[i]).tolist():
            label = vector.labels[j]
            parts_[label] = parts_.get(label, 0.0) + float(contrib[i, j])
        terms = sum(parts_.values())
        items = sorted(parts_.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        base = float(scored.base[where[i]]) if known[i] else 0.0
        final = float(scored.final[where[i]]) if known[i] else 0.0
        if base > terms * (1 + 1e-6) + 1e-9:
            items.append(("[speaker named in the question]", base - terms))
        if final > base * (1 + 1e-6) + 1e-9:
            items.append(("[neighbouring passages]", final - base))
        out.append(tuple((label, round(value, 6)) for label, value in items))
    return out
