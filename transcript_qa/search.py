"""Ranking: passages for a question, and speakers for a "who" question.

Everything here works on a built :class:`transcript_qa.index.Index` and needs
only numpy (the query path never imports scikit-learn or NLTK).

The score of passage *d* for query *q* (settings in :class:`RankSettings`):

1. **TF-IDF cosine.** ``q`` is vectorised exactly as the passages were:
   ``w(t) = (1 + ln tf(t)) * idf(t)``, then l2-normalised, with
   ``idf(t) = ln((1 + n) / (1 + df(t))) + 1`` (scikit-learn's smooth idf).
   ``base(d) = q . d``.
2. **Acronym expansion.** A query term that is a glossary short form ("CAS3")
   adds the long form's terms, and a long form in the query adds the short
   form, with weight ``expansion_weight`` times the weight of what triggered it.
3. **Speaker match.** When the question names a speaker (full name, surname,
   first name or role as it appears in the index: "What did Ms Jenny Kwan
   say...", "...the Regional Director..."), passages of that speaker get
   ``base * (1 + speaker_boost)``; with ``speaker_terms="drop"`` the name
   words stop being topic terms (they only select the speaker).
4. **Context.** Relevant turns come in runs: a turn also scores
   ``context_prev`` times the score of the passage before it and
   ``context_next`` times the passage after it (same document only),
   decaying by ``context_decay`` per step up to ``context_window`` steps. A
   question then lifts the answer that follows it.

Ties are broken by passage order, so rankings are deterministic.

"Who" ranking: over the ``who_pool`` best passages (before context), each
passage with a speaker contributes ``score * material``, where ``material`` is
``min(1, terms / who_full_terms)`` (short procedural turns count little) times
``who_question_weight`` for a turn that is a question (``who_asking_weight``
when the question asks who *asked*). A speaker's score is
their share of the pool's total; speakers are ranked by it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from transcript_qa.errors import QueryError, UnknownFilterValueError
from transcript_qa.model import Filters, Hit, SpeakerAnswer

if TYPE_CHECKING:  # pragma: no cover
    from transcript_qa.index import Index


@dataclass(frozen=True)
class RankSettings:
    """Query-time ranking settings (see the module docstring for the formulas)."""

    expansion_weight: float = 0.5
    length_slope: float = 0.3
    speaker_boost: float = 2.0
    speaker_terms: str = "drop"  # "keep" or "drop" the name words as topic terms
    context_prev: float = 0.5
    context_next: float = 0.5
    context_window: int = 3
    context_decay: float = 0.7
    meta_words: bool = True  # drop generic speech words ("said", "discussed") from questions
    who_pool: int = 50
    who_full_terms: int = 20
    who_question_weight: float = 0.5
    who_asking_weight: float = 2.0
    who_hits: int = 3

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RankSettings":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


RANK_FIELDS = frozenset(f.name for f in fields(RankSettings))

# --------------------------------------------------------------------------- question parsing

_QUOTE_RE = re.compile(r"\"([^\"]+)\"|“([^”]+)”")
_PEOPLE = (
    r"(?:witness|speaker|people|person|persons|member|organi[sz]ation|guest|panellist|panelist|"
    r"participant|official|officer|representative|minister|mp|councillor|individual|bod(?:y|ies)|"
    r"group|agenc(?:y|ies)|service|colleague|contributor)"
)
_WHO_RE = re.compile(
    r"^\s*(?:(?:can|could|would) you (?:please )?(?:tell me|say|list|name)\s+|please\s+|tell me\s+|"
    r"list\s+|name\s+|find\s+|show(?: me)?\s+)?"
    r"(?:who(?:m|se)?\b|(?:which|what)\s+(?:of\s+the\s+|other\s+)?(?:\w+\s+)?" + _PEOPLE + r"\w*\b"
    r"|(?:the\s+)?" + _PEOPLE + r"\w*\s+who\b)",
    re.IGNORECASE,
)
#: Generic words about speaking, asking and the meeting itself: in a question
#: they say *that* something was said, not *what*.
META_WORDS: frozenset[str] = frozenset(
    """
    discuss discussed discusses discussing discussion discussions talk talked talks talking
    speak spoke speaks speaking spoken say said says saying mention mentioned mentions
    mentioning raise raised raises raising comment commented comments commenting
    bring brought brings bringing tell told tells think thought thinks thinking
    opinion opinions view views feel felt feels suggest suggested suggests suggesting
    propose proposed proposes summarize summarise summarized summarised summary
    describe described describes explain explained explains mean meant means
    express expressed argue argued argues
    """.split()
)
_ASKING_RE = re.compile(r"^\s*(?:has|have|had|did|does|do)?\s*(?:ask|asked|asks|asking|questioned|queried|enquired|inquired)\b",
                        re.IGNORECASE)
_SPEECH_PARTICLES = frozenset("about on of up regarding concerning".split())


@dataclass(frozen=True)
class ParsedQuery:
    """A question taken apart: what is searched for, and how."""

    text: str  # the topic text that is analysed
    intent: str  # "who" or "passages"
    phrases: tuple[str, ...]  # quoted phrases that hits must contain
    asking: bool = False  # "who asked about ...": the people asking, not answering


def parse_question(question: str, *, meta_words: bool = True) -> ParsedQuery:
    """Split off the "who" part, quoted phrases and generic speech words.

    >>> parse_question('Which witnesses talked about the "Dynamic Framework"?')
    ParsedQuery(text='the "Dynamic Framework" ?', intent='who', phrases=('Dynamic Framework',), asking=False)
    """
    phrases = tuple(a or b for a, b in _QUOTE_RE.findall(question))
    intent = "passages"
    text = question
    match = _WHO_RE.match(question)
    if match:
        intent = "who"
        text = question[match.end():]
    if meta_words:
        text = _drop_meta(text)
    asking = False
    if intent == "who":
        verb = _ASKING_RE.match(text)
        if verb:
            asking = True
            text = text[verb.end():]
    return ParsedQuery(text=text.strip(), intent=intent, phrases=tuple(p.strip() for p in phrases if p.strip()),
                       asking=asking)


_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\"[^\"]*\"|“[^”]*”|\S")


def _drop_meta(text: str) -> str:
    """Drop speech words (and a particle right after one) outside quotes."""
    out: list[str] = []
    skip_particle = False
    for token in _WORD_RE.findall(text):
        lower = token.lower()
        if token[0] in "\"“":
            out.append(token)
            skip_particle = False
            continue
        if lower in META_WORDS:
            skip_particle = True
            continue
        if skip_particle and lower in _SPEECH_PARTICLES:
            skip_particle = False
            continue
        skip_particle = False
        out.append(token)
    return " ".join(out)


# --------------------------------------------------------------------------- speaker mentions

#: Name words that never identify a speaker on their own.
_GENERIC_NAME_WORDS = frozenset(
    """the of and for in on at to a an chair chairman chairwoman chairperson deputy vice member
    members committee director head officer minister secretary assembly house hon mr mrs ms miss dr
    sir dame lord lady am mp msp ms mla professor prof rt honourable honorable""".split()
)


def speaker_handles(values: Sequence[str], roles: dict[int, set[str]] | None = None) -> dict[tuple[str, ...], set[int]]:
    """Word sequences that name a speaker -> speaker codes.

    For each speaker name: the whole name, and (people) the surname and first
    name when they are distinctive. Titles and honours are left out. ``roles``
    maps a speaker code to the roles it speaks in; each role's words up to
    ``for``/``of``/a comma also name it ("Regional Director").
    """
    from transcript_qa.speakers import PREFIX_TITLES, SUFFIX_HONOURS

    titles = {t.lower() for t in PREFIX_TITLES}
    honours = {h.lower() for h in SUFFIX_HONOURS}
    handles: dict[tuple[str, ...], set[int]] = {}

    def add(words: Sequence[str], code: int) -> None:
        key = tuple(words)
        if key:
            handles.setdefault(key, set()).add(code)

    for code, name in enumerate(values):
        words = [w.lower().replace("’", "'").rstrip(".") for w in re.findall(r"[^\W_]+(?:['’.][^\W_]+)*\.?", name)]
        if not words:
            continue
        add(words, code)
        core = [w for w in words if w not in titles and w not in honours]
        if core and core != words:
            add(core, code)
        if len(core) >= 2:
            for single in (core[-1], core[0]):
                if len(single) >= 3 and single not in _GENERIC_NAME_WORDS:
                    add([single], code)
    for code, role_set in (roles or {}).items():
        for role in role_set:
            head = re.split(r",|\bfor\b|\bof\b|\bat\b|\(", role, maxsplit=1)[0]
            words = [w.lower() for w in re.findall(r"[^\W_]+", head)]
            if len(words) >= 2 or (words and words[0] not in _GENERIC_NAME_WORDS and len(words[0]) > 3):
                add(words, code)
    return handles


def handles_by_first(handles: dict[tuple[str, ...], set[int]]) -> dict[str, list[tuple[str, ...]]]:
    """The handles grouped by their first word (for :func:`find_speaker_mentions`)."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for key in handles:
        by_first.setdefault(key[0], []).append(key)
    return by_first


def find_speaker_mentions(
    words: Sequence[str],
    handles: dict[tuple[str, ...], set[int]],
    by_first: dict[str, list[tuple[str, ...]]] | None = None,
) -> tuple[set[int], set[int]]:
    """(speaker codes named, positions of the words naming them) in ``words``.

    Longer handles win; a handle shared by several speakers names them all
    only when it is more than one word (a bare first name shared by two
    people names neither)."""
    if by_first is None:
        by_first = handles_by_first(handles)
    codes: set[int] = set()
    used: set[int] = set()
    i = 0
    while i < len(words):
        best: tuple[str, ...] | None = None
        for key in by_first.get(words[i], ()):
            if tuple(words[i : i + len(key)]) == key and (best is None or len(key) > len(best)):
                best = key
        if best is not None and (len(best) > 1 or len(handles[best]) == 1):
            codes |= handles[best]
            used.update(range(i, i + len(best)))
            i += len(best)
        else:
            i += 1
    return codes, used


# --------------------------------------------------------------------------- scoring core


def _sum_by_id(ids: np.ndarray, vals: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Group equal ids and sum their values: (ids ascending, sums)."""
    if ids.size * 8 < n:
        order = np.argsort(ids, kind="stable")
        ordered = ids[order].astype(np.int64)
        first = np.r_[True, ordered[1:] != ordered[:-1]] if ordered.size else np.zeros(0, dtype=bool)
        group = np.cumsum(first) - 1
        return ordered[first], np.bincount(group, weights=vals[order], minlength=int(first.sum()))
    dense = np.bincount(ids, weights=vals, minlength=n)
    present = np.zeros(n, dtype=bool)
    present[ids] = True
    uniq = np.flatnonzero(present)
    return uniq, dense[uniq]


def top_k(cand: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best (score desc, passage order asc): deterministic under ties."""
    if cand.size == 0 or k <= 0:
        return cand[:0], scores[:0]
    if cand.size > 4 * k + 16:
        threshold = np.partition(scores, cand.size - k)[cand.size - k]
        keep = scores >= threshold
        cand, scores = cand[keep], scores[keep]
    order = np.lexsort((cand, -scores))[:k]
    return cand[order], scores[order]


# --------------------------------------------------------------------------- filters

FILTER_FIELDS = tuple(f.name for f in fields(Filters))
_DATE_RE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def make_filters(values: dict[str, Any]) -> Filters:
    """``Filters`` from keyword arguments; unknown names are a QueryError."""
    unknown = sorted(set(values) - set(FILTER_FIELDS))
    if unknown:
        raise QueryError(
            f"unknown filter {unknown[0]!r}; known filters: {', '.join(FILTER_FIELDS)}"
        )
    clean = {k: (None if v in (None, "") else str(v)) for k, v in values.items()}
    for key in ("since", "until"):
        value = clean.get(key)
        if value is not None and not _DATE_RE.fullmatch(value):
            raise QueryError(f"{key} must be a date as yyyy-mm-dd, not {value!r}")
    return Filters(**clean)


def _matching_codes(field: str, value: str, known: Sequence[str]) -> list[int]:
    wanted = value.strip().casefold()
    exact = [i for i, v in enumerate(known) if v.casefold() == wanted]
    if exact or field in ("kind",):
        return exact
    return [i for i, v in enumerate(known) if wanted in v.casefold()]


def _unknown_value(field: str, value: str, known: Sequence[str]) -> UnknownFilterValueError:
    """The error for a value no passage has, suggesting close names also when
    only one word of a name is close ("Vigors" -> "Kilvinder Vigurs")."""
    import difflib

    err = UnknownFilterValueError(field, value, known)
    if not err.close_matches:
        wanted = value.casefold()
        close = [
            name for name in sorted(set(known))
            if any(difflib.SequenceMatcher(None, wanted, word.casefold()).ratio() >= 0.75
                   for word in re.findall(r"[^\W_]+", name))
        ][:3]
        if close:
            err = UnknownFilterValueError(field, value, known, close=close)
    return err


def filter_mask(index: "Index", filters: Filters) -> tuple[np.ndarray | None, str | None]:
    """A boolean mask over passages (None: no filter), and a reason when it is empty.

    Raises UnknownFilterValueError for a value no passage has."""
    active = filters.active()
    if not active:
        return None, None
    mask = index._array("indexed").astype(bool)
    for field, value in active.items():
        if field in ("since", "until"):
            continue
        known = index._columns[field]
        codes = _matching_codes(field, value, known)
        if not codes:
            raise _unknown_value(field, value, known)
        column = index._array(field)
        mask &= np.isin(column, np.asarray(codes, dtype=column.dtype))
    since, until = active.get("since"), active.get("until")
    if since or until:
        dates = index._columns["date"]
        ok = [
            i for i, d in enumerate(dates)
            if (not since or d[: len(since)] >= since) and (not until or d[: len(until)] <= until)
        ]
        column = index._array("date")
        mask &= np.isin(column, np.asarray(ok, dtype=column.dtype))
    if not mask.any():
        shown = " and ".join(f"{k}={v!r}" for k, v in active.items())
        return mask, f"no indexed passage matches {shown}"
    return mask, None


# --------------------------------------------------------------------------- query vector


@dataclass(frozen=True)
class QueryVector:
    """Known query terms with their weights and the words they came from."""

    term_ids: tuple[int, ...]
    weights: tuple[float, ...]
    labels: tuple[str, ...]  # what explain shows for each term
    terms: tuple[str, ...]  # every analysed term, known or not (for Answer.terms)
    speakers: frozenset[int]  # speaker codes named in the question
    phrases: tuple[str, ...]


def tfidf_weights(counts: dict[int, int], idf: np.ndarray) -> dict[int, float]:
    """Sublinear tf * idf, l2-normalised: exactly how passages were weighted."""
    raw = {t: (1.0 + math.log(c)) * float(idf[t]) for t, c in counts.items()}
    norm = math.sqrt(sum(w * w for w in raw.values()))
    return {t: w / norm for t, w in raw.items()} if norm > 0 else {}


def query_vector(index: "Index", question: str, parsed: ParsedQuery, settings: RankSettings) -> QueryVector:
    analyzer = index.analyzer
    text = parsed.text
    # speakers named in the question
    words = analyzer.words(text)
    codes, used = find_speaker_mentions(words, *index._speaker_handles())
    if codes and settings.speaker_terms == "drop":
        kept = [w for i, w in enumerate(words) if i not in used]
        text = " ".join(kept) if kept else text
    terms = analyzer(text)
    if not terms and parsed.phrases:
        terms = analyzer(" ".join(parsed.phrases))
    labels = _labels(analyzer, text)
    counts: Counter = Counter()
    for term in terms:
        tid = index.term_id(term)
        if tid is not None:
            counts[tid] += 1
    weights = tfidf_weights(counts, index._array("idf"))
    label_of = {tid: labels.get(index._vocab_term(tid), index._vocab_term(tid)) for tid in weights}
    # acronym expansion, both ways
    if settings.expansion_weight > 0 and weights:
        extra: dict[int, float] = {}
        term_set = set(terms)
        for short_terms, long_terms, acronym in index._glossary_terms():
            if short_terms and set(short_terms) <= term_set and not set(long_terms) <= term_set:
                trigger = sum(weights.get(index.term_id(t) or -1, 0.0) for t in short_terms)
                add, label = long_terms, f"{acronym.long} (for {acronym.short})"
            elif long_terms and set(long_terms) <= term_set and not set(short_terms) <= term_set:
                trigger = sum(weights.get(index.term_id(t) or -1, 0.0) for t in long_terms) / math.sqrt(len(long_terms))
                add, label = short_terms, f"{acronym.short} (for {acronym.long})"
            else:
                continue
            add_counts: Counter = Counter()
            for t in add:
                tid = index.term_id(t)
                if tid is not None:
                    add_counts[tid] += 1
            for tid, w in tfidf_weights(add_counts, index._array("idf")).items():
                extra[tid] = extra.get(tid, 0.0) + settings.expansion_weight * trigger * w
                label_of.setdefault(tid, label)
        for tid, w in extra.items():
            weights[tid] = weights.get(tid, 0.0) + w
    ordered = sorted(weights)
    return QueryVector(
        term_ids=tuple(ordered),
        weights=tuple(weights[t] for t in ordered),
        labels=tuple(label_of[t] for t in ordered),
        terms=tuple(dict.fromkeys(terms)),
        speakers=frozenset(codes),
        phrases=parsed.phrases,
    )


def _labels(analyzer: Any, text: str) -> dict[str, str]:
    """term -> the query's own words for it (so explain shows words, not stems)."""
    spans = analyzer.spans(text)
    out: dict[str, str] = {}
    for term, start, end in spans:
        out.setdefault(term, text[start:end])
    # bigrams: join consecutive unigram labels
    prev = None
    for term, start, end in spans:
        if prev is not None:
            out.setdefault(prev[0] + " " + term, text[prev[1]:end])
        prev = (term, start, end)
    return out


# --------------------------------------------------------------------------- search


@dataclass(frozen=True)
class Scored:
    """Scores of every candidate passage for one question."""

    cand: np.ndarray
    base: np.ndarray  # TF-IDF (+ expansion, speaker boost), before context
    final: np.ndarray  # after context
    vector: QueryVector
    reason: str | None
    asking: bool = False  # the question asks who asked (question turns count more)


def score(index: "Index", question: str, filters: Filters, settings: RankSettings, parsed: ParsedQuery,
          *, k: int = 10, pool: int = 0) -> Scored:
    """Score the passages for a question. Exact for the best ``k`` passages
    (by final score) and the best ``pool`` (by base score); other passages
    may be left out (see :func:`retrieve`)."""
    empty = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    vector = query_vector(index, question, parsed, settings)
    mask, reason = filter_mask(index, filters)
    if not vector.term_ids:
        why = reason or (
            "no search terms in the question (only stop words or words not in the index)"
            if not vector.terms else "none of the question's words occur in the index"
        )
        return Scored(empty[0], empty[1], empty[1], vector, why, asking=parsed.asking)
    if vector.phrases and reason is None:
        allowed = _phrase_passages(index, vector.phrases, mask)
        mask = np.zeros(len(index.passages), dtype=bool) if mask is None else np.zeros_like(mask)
        mask[allowed] = True
    cand, base, final = retrieve(index, vector, settings, mask, k=k, pool=pool)
    if cand.size == 0 and reason is None:
        if filters.active():
            shown = " and ".join(f"{key}={v!r}" for key, v in filters.active().items())
            reason = f"no passage matching {shown} matches the question"
        elif vector.phrases:
            reason = "no passage contains " + " and ".join(f'"{p}"' for p in vector.phrases)
        else:
            reason = "no passage matches the question"
    return Scored(cand, base, final, vector, reason, asking=parsed.asking)


#: Seeds of the probing round when common terms are bounded.
PROBE_SEEDS = 1024
#: Seed every candidate passage (no cut-off): for tests of the cut-off's exactness.
SEED_ALL = False


def context_reach(settings: RankSettings) -> tuple[int, float]:
    """(window, total weight) of the context smoothing."""
    if settings.context_window < 1 or (settings.context_prev == 0 and settings.context_next == 0):
        return 0, 0.0
    total = sum(
        (settings.context_prev + settings.context_next) * settings.context_decay ** (d - 1)
        for d in range(1, settings.context_window + 1)
    )
    return settings.context_window, total


#: Term pruning applies from this many passages on (below, everything is scored).
PRUNE_MIN_PASSAGES = 50_000
#: A term is *common* when more than this share of the passages hold it.
COMMON_SHARE = 1 / 2


def retrieve(index: "Index", vector: QueryVector, settings: RankSettings, mask: np.ndarray | None,
             *, k: int, pool: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(passages ascending, base scores, final scores), restricted to ``mask``.

    Exact for the best ``k`` final scores and the best ``pool`` base scores;
    reads only the query terms' postings and avoids work per passage:

    * **Seeds.** Base scores are summed per passage (a sort, or a dense
      ``bincount`` when postings are many). Context scores are computed only
      around *seeds*, the passages whose base score is at least a cut-off
      ``c``: a passage with no seed within the context window scores less than
      ``c * (1 + context weights)``.
    * **Common terms** (held by more than half of the passages, in indexes of
      50,000 passages or more) are not summed over all their postings: they
      are looked up for the passages around the seeds only, and bounded
      elsewhere by their largest possible contribution (MaxScore).

    When the k-th best final score (and the ``pool``-th best base score)
    reaches the bound, the result is exact; else the cut-off is lowered (4x
    more seeds), and in the end every posting is summed.
    """
    a = index._arrays
    n = len(index.passages)
    offsets = a["offsets"]
    terms = []
    for t, w in zip(vector.term_ids, vector.weights):
        lo, hi = int(offsets[t]), int(offsets[t + 1])
        if hi > lo and w != 0.0:
            terms.append((t, float(w), lo, hi))
    if not terms:
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
    common = []
    if n >= PRUNE_MIN_PASSAGES:
        common = [term for term in terms if term[3] - term[2] > n * COMMON_SHARE]
        if len(common) == len(terms):
            common = []
    found = _retrieve(index, terms, common, vector, settings, mask, k, pool)
    if found is None:
        found = _retrieve(index, terms, [], vector, settings, mask, k, pool)
    assert found is not None
    return found


def _retrieve(index: "Index", terms: list, common: list, vector: QueryVector, settings: RankSettings,
              mask: np.ndarray | None, k: int, pool: int) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """One strategy of :func:`retrieve` (None: pruning by ``common`` failed)."""
    a = index._arrays
    n = len(index.passages)
    post_ids = a["post_ids"]
    scaled = index._scaled()
    if scaled is not None:  # length factor already in the weights
        post_w, factor = scaled, None
    else:
        post_w, factor = a["post_w"], index._length_factor()
    rare = [term for term in terms if term not in common]
    parts_i = [np.asarray(post_ids[lo:hi]) for _, _, lo, hi in rare]
    parts_w = [np.asarray(post_w[lo:hi], dtype=np.float64) * w for _, w, lo, hi in rare]
    ids = np.concatenate(parts_i) if len(parts_i) > 1 else parts_i[0]
    vals = np.concatenate(parts_w) if len(parts_w) > 1 else parts_w[0]
    if factor is not None:
        vals = vals * factor[ids]
    named_codes = (
        np.fromiter(vector.speakers, dtype=np.int32) if vector.speakers and settings.speaker_boost else None
    )
    boost = 1.0 + settings.speaker_boost if named_codes is not None else 1.0
    if named_codes is not None:
        vals = np.where(np.isin(a["speaker"][ids], named_codes), vals * boost, vals)
    if ids.size * 16 < n:
        cand_ids, cand_base = _sum_by_id(ids, vals, n)

        def rare_base(positions: np.ndarray) -> np.ndarray:
            return _align(positions, cand_ids, cand_base)

        sample_ids, sample_vals = cand_ids, cand_base

        def seeds_from(cut: float) -> np.ndarray:
            return cand_ids if cut <= 0.0 else cand_ids[cand_base >= cut]
    else:
        dense = np.bincount(ids, weights=vals, minlength=n)

        def rare_base(positions: np.ndarray) -> np.ndarray:
            return dense[positions]

        # thresholds from the passages holding the rarest terms (a subset:
        # its k-th best is a lower bound of the k-th best of all)
        by_size = sorted(range(len(rare)), key=lambda i: parts_i[i].size)
        chosen, count = [], 0
        for i in by_size:
            chosen.append(parts_i[i])
            count += parts_i[i].size
            if count >= 4 * (max(k, 0) + max(pool, 0) + 1):
                break
        sample_ids = _unique(np.concatenate(chosen)) if len(chosen) > 1 else chosen[0].astype(np.int64)
        sample_vals = dense[sample_ids]

        def seeds_from(cut: float) -> np.ndarray:
            return np.flatnonzero(dense >= cut) if cut > 0.0 else np.flatnonzero(dense > 0.0)

    def base_at(positions: np.ndarray) -> np.ndarray:
        """Exact base scores at sorted distinct positions."""
        out = rare_base(positions)
        if common and positions.size:
            extra = np.zeros(positions.size)
            for _, w, lo, hi in common:
                plist = np.asarray(post_ids[lo:hi])
                j = np.minimum(np.searchsorted(plist, positions), plist.size - 1)
                hit = plist[j] == positions
                extra[hit] += w * np.asarray(post_w[lo + j[hit]], dtype=np.float64)
            if factor is not None:
                extra *= factor[positions]
            if named_codes is not None:
                extra = np.where(np.isin(a["speaker"][positions], named_codes), extra * boost, extra)
            out = out + extra
        return out

    # (1 + 1e-5): room for the float32 rounding of the stored maxima
    rest = boost * sum(w * index._max_contribution(t) for t, w, _, _ in common) * (1.0 + 1e-5)
    window, spread = context_reach(settings)
    doc = a["doc"]
    indexed = a["indexed_bool"]
    # The final score of a passage is at least its base score, so the k-th
    # best final score is at least the k-th best base score: seeding every
    # passage whose base score could matter next to it makes one round exact.
    best_k = _kth(sample_vals[mask[sample_ids]] if mask is not None else sample_vals, k)
    best_pool = _kth(sample_vals[mask[sample_ids]] if mask is not None else sample_vals, pool)
    cut = min(best_k / (1.0 + spread), best_pool) - rest
    if cut <= 0.0 and rest > 0.0:
        # the common terms' bound is loose against this estimate: probe with
        # the best seeds, whose final scores (common terms included) give a
        # better one
        every = rare_base(_unique(ids)) if sample_vals.size < 4 * PROBE_SEEDS else sample_vals
        probe = min(PROBE_SEEDS, every.size // 4)
        if probe > k:
            cut = float(np.partition(every, every.size - probe)[every.size - probe])
    if cut <= 0.0 or SEED_ALL:
        if rest > 0.0:
            return None
        cut = 0.0
    for _ in range(3):
        seeds = seeds_from(cut)
        spots = _around(seeds, window, n)
        spots = spots[indexed[spots]]
        # scores on the ring (spots and their neighbours), then context as
        # shifted slices of it; a shift is valid where the ring is contiguous
        # and stays in the same document
        ring = _around(spots, window, n)
        ring_base = base_at(ring)
        ring_final = ring_base.copy()
        ring_doc = doc[ring]
        for step in range(1, window + 1):
            if step >= ring.size:
                break
            decay = settings.context_decay ** (step - 1)
            valid = (ring[step:] - ring[:-step] == step) & (ring_doc[step:] == ring_doc[:-step])
            if settings.context_prev:
                ring_final[step:] += np.where(valid, ring_base[:-step], 0.0) * (settings.context_prev * decay)
            if settings.context_next:
                ring_final[:-step] += np.where(valid, ring_base[step:], 0.0) * (settings.context_next * decay)
        where = np.searchsorted(ring, spots)
        base = ring_base[where]
        final = ring_final[where]
        keep = final > 0
        if mask is not None:
            keep &= mask[spots]
        spots, base, final = spots[keep], base[keep], final[keep]
        # A passage with no seed within the window has every base score in
        # its window below cut + rest, so a final score below
        # (cut + rest) * (1 + spread). It cannot enter the top k when that is
        # at most the k-th best final score here (likewise the pool).
        need = min(_kth(final, k) / (1.0 + spread), _kth(base, pool))
        if cut + rest <= need:
            return spots.astype(np.int64), base, final
        if cut <= 0.0:
            return None  # every candidate is a seed: the common terms' bound is too loose
        # Next round: seed every passage that could matter (exact then).
        cut = max(0.0, need - rest)
        if cut <= 0.0 and rest > 0.0:
            return None
    return spots.astype(np.int64), base, final


def _around(positions: np.ndarray, window: int, n: int) -> np.ndarray:
    """Sorted distinct positions within ``window`` of sorted distinct
    ``positions``, inside [0, n): the merged intervals, expanded."""
    positions = positions.astype(np.int64, copy=False)
    if not window or positions.size == 0:
        return positions
    lo = np.maximum(positions - window, 0)
    hi = np.minimum(positions + window, n - 1)
    new = np.r_[True, lo[1:] > hi[:-1] + 1]
    block_lo = lo[new]
    block_hi = hi[np.r_[new[1:], True]]
    lengths = block_hi - block_lo + 1
    ends = np.cumsum(lengths)
    return np.repeat(block_lo - (ends - lengths), lengths) + np.arange(int(ends[-1]))


def _unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (a sort: numpy's hash-based ``unique`` is slow here)."""
    values = np.sort(values.astype(np.int64, copy=False))
    if values.size:
        values = values[np.r_[True, values[1:] != values[:-1]]]
    return values


def _kth(values: np.ndarray, k: int) -> float:
    """The k-th largest value (0 when there are fewer than k; inf when k <= 0)."""
    if k <= 0:
        return float("inf")
    if values.size < k:
        return 0.0
    return float(np.partition(values, values.size - k)[values.size - k])


def _phrase_passages(index: "Index", phrases: Sequence[str], mask: np.ndarray | None) -> np.ndarray:
    """Passages (ascending) that contain every quoted phrase, within ``mask``."""
    analyzer = index.analyzer
    patterns = [p for p in (_phrase_regex(ph, analyzer) for ph in phrases) if p is not None]
    allowed: np.ndarray | None = None
    for phrase in phrases:
        for term in analyzer(phrase):
            if " " in term:
                continue
            tid = index.term_id(term)
            if tid is None:
                return np.zeros(0, dtype=np.int64)
            ids = index._postings(tid)[0].astype(np.int64)
            allowed = ids if allowed is None else np.intersect1d(allowed, ids, assume_unique=True)
    if allowed is None:
        allowed = np.flatnonzero(index._arrays["indexed_bool"])
    if mask is not None:
        allowed = allowed[mask[allowed]]
    if not patterns:
        return allowed
    keep = [i for i in allowed.tolist() if all(p.search(index.passages[i].text) for p in patterns)]
    return np.asarray(keep, dtype=np.int64)


def _align(target: np.ndarray, cand: np.ndarray, vals: np.ndarray) -> np.ndarray:
    """``vals`` (given for ``cand``) at ``target``; 0 where ``cand`` lacks it."""
    out = np.zeros(target.shape[0], dtype=np.float64)
    if cand.size and target.size:
        pos = np.minimum(np.searchsorted(cand, target), cand.size - 1)
        hit = cand[pos] == target
        out[hit] = vals[pos[hit]]
    return out


def _phrase_regex(phrase: str, analyzer: Any) -> re.Pattern | None:
    words = analyzer.words(phrase)
    if not words:
        return None
    body = r"[\W_]+".join(re.escape(w).replace("'", "['’]") for w in words)
    return re.compile(r"(?<![^\W_])" + body + r"(?![^\W_])", re.IGNORECASE)


def run_search(index: "Index", question: str, k: int, filters: Filters, settings: RankSettings,
               parsed: ParsedQuery | None = None, *, pool: int = 0) -> tuple[list[Hit], Scored]:
    if not isinstance(question, str) or not question.strip():
        raise QueryError("the question is empty")
    parsed = parsed or parse_question(question, meta_words=settings.meta_words)
    if not analysed_anything(index, parsed):
        # everything was question words: search the question as written
        parsed = ParsedQuery(text=question, intent=parsed.intent, phrases=parsed.phrases)
    k = max(0, min(int(k), len(index.passages)))
    scored = score(index, question, filters, settings, parsed, k=k, pool=pool)
    ids, vals = top_k(scored.cand, scored.final, k)
    return make_hits(index, ids.tolist(), vals.tolist(), scored), scored


def analysed_anything(index: "Index", parsed: ParsedQuery) -> bool:
    return bool(index.analyzer(parsed.text)) or bool(parsed.phrases)


# --------------------------------------------------------------------------- hits


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

    def snippet(self, i: int, text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
        if self.weights is None:
            self.weights = _part_weights(self.index, self.scored.vector)
            self.cues = _cues(self.index, self.scored.vector, self.weights)
        return make_snippet(self.index, text, self.scored.vector, self.weights, self.cues)


def _lazy(name: str) -> property:
    def get(self: "LazyHit") -> Any:
        values = self.__dict__
        if name not in values:
            details, i = values["_details"]
            if name == "explain":
                values["explain"] = details.explain(i)
            else:
                values["snippet"], values["highlights"] = details.snippet(i, self.passage.text)
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


def _part_weights(index: "Index", vector: QueryVector) -> dict[str, float]:
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


def make_snippet(index: "Index", text: str, vector: QueryVector,
                 weight_of: dict[str, float] | None = None,
                 cues: dict[str, float] | None = None) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The best-matching sentence (with a neighbour when short), trimmed to
    about SNIPPET_CHARS characters around its matches, and the matched spans.

    A long text is first narrowed to the sentence where the query's cues
    (:func:`_cues`) weigh most, so only that stretch is tokenised."""
    if weight_of is None:
        weight_of = _part_weights(index, vector)
    sentences = [(m.start(), m.end()) for m in _SENTENCE_RE.finditer(text) if m.group(0).strip()]
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
    """For each passage: the query terms that contributed most to its score,
    then the boosts (``[speaker named in the question]``, ``[neighbouring
    passages]``) when they applied. Reads each query term's postings once."""
    vector = scored.vector
    contrib = np.zeros((numbers.size, len(vector.term_ids)))
    factor = index._length_factor()
    scale = factor[numbers] if factor is not None else np.ones(numbers.size)
    a = index._arrays
    for j, (tid, w) in enumerate(zip(vector.term_ids, vector.weights)):
        lo, hi = int(a["offsets"][tid]), int(a["offsets"][tid + 1])
        if hi == lo:
            continue
        ids = np.asarray(a["post_ids"][lo:hi])
        weights = np.asarray(a["post_w"][lo:hi])
        pos = np.minimum(np.searchsorted(ids, numbers), ids.size - 1)
        found = ids[pos] == numbers
        contrib[found, j] = w * weights[pos[found]].astype(np.float64) * scale[found]
    where = np.minimum(np.searchsorted(scored.cand, numbers), max(0, scored.cand.size - 1))
    known = scored.cand[where] == numbers if scored.cand.size else np.zeros(numbers.size, dtype=bool)
    out = []
    for i in range(numbers.size):
        parts: dict[str, float] = {}
        for j in np.flatnonzero(contrib[i]).tolist():
            label = vector.labels[j]
            parts[label] = parts.get(label, 0.0) + float(contrib[i, j])
        tfidf = sum(parts.values())
        items = sorted(parts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        base = float(scored.base[where[i]]) if known[i] else 0.0
        final = float(scored.final[where[i]]) if known[i] else 0.0
        if base > tfidf * (1 + 1e-6) + 1e-9:
            items.append(("[speaker named in the question]", base - tfidf))
        if final > base * (1 + 1e-6) + 1e-9:
            items.append(("[neighbouring passages]", final - base))
        out.append(tuple((label, round(value, 6)) for label, value in items))
    return out


# --------------------------------------------------------------------------- who


def rank_speakers(index: "Index", scored: Scored, k: int, settings: RankSettings) -> list[SpeakerAnswer]:
    """Speakers ranked by their share of the relevant material (see module doc)."""
    a = index._arrays
    if scored.cand.size == 0 or k <= 0:
        return []
    cand, base = scored.cand, scored.base
    keep = base > 0
    cand, base = cand[keep], base[keep]
    if cand.size == 0:
        return []
    pool_ids, pool_scores = top_k(cand, base, settings.who_pool)
    speakers = a["speaker"][pool_ids]
    has = speakers >= 0
    pool_ids, pool_scores, speakers = pool_ids[has], pool_scores[has], speakers[has]
    if pool_ids.size == 0:
        return []
    length = a["length"][pool_ids].astype(np.float64)
    material = np.minimum(1.0, length / max(1, settings.who_full_terms))
    question = a["question"][pool_ids].astype(bool)
    question_weight = settings.who_asking_weight if scored.asking else settings.who_question_weight
    material = np.where(question, material * question_weight, material)
    contrib = pool_scores * material
    total = float(contrib.sum())
    if total <= 0:
        return []
    per: dict[int, float] = {}
    for code, value in zip(speakers.tolist(), contrib.tolist()):
        per[code] = per.get(code, 0.0) + value
    names = index._columns["speaker"]
    ranked = sorted(per.items(), key=lambda kv: (-kv[1], names[kv[0]]))[:k]
    out = []
    for rank, (code, value) in enumerate(ranked, 1):
        mine = speakers == code
        ids = pool_ids[mine]
        vals = scored.final[np.searchsorted(scored.cand, ids)]
        order = np.lexsort((ids, -vals))[: settings.who_hits]
        hits = tuple(make_hits(index, ids[order].tolist(), vals[order].tolist(), scored))
        first = hits[0].passage if hits else None
        out.append(
            SpeakerAnswer(
                speaker=names[code],
                score=round(value / total, 6),
                rank=rank,
                role=first.role if first else None,
                organisation=first.organisation if first else None,
                hits=hits,
            )
        )
    return out
