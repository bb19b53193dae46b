"""Search: a question in, ranked passages and speakers out.

The steps, each in its own module::

    question -> ParsedQuery, QueryVector   (query.py)
    filters  -> a mask over passages       (filters.py)
    vector   -> scores, exact top k        (ranking.py)
    top k    -> hits with snippets         (hits.py)
    scores   -> ranked speakers            (who.py)
    hits     -> answer spans               (answers.py, factual questions)

:class:`transcript_qa.index.Index` calls these functions; they need only
numpy (the query path never imports scikit-learn or NLTK).
"""

from __future__ import annotations

import operator
import os
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import numpy as np

from transcript_qa.answers import answer_question
from transcript_qa.errors import InvalidArgumentError, QueryError
from transcript_qa.filters import make_filters
from transcript_qa.hits import make_hits
from transcript_qa.model import Answer, Filters, Hit, SpeakerAnswer
from transcript_qa.query import ParsedQuery, analysed_anything, parse_question
from transcript_qa.ranking import Scored, top_k
from transcript_qa.topk import score
from transcript_qa.settings import RankSettings
from transcript_qa.who import rank_speakers

if TYPE_CHECKING:  # pragma: no cover
    from transcript_qa.index import Index


def _parse(question: Any, settings: RankSettings) -> ParsedQuery:
    if not isinstance(question, str):
        raise TypeError(f"the question must be a str, not {type(question).__name__}")
    if not question.strip():
        raise QueryError("the question is empty")
    return parse_question(question, meta_words=settings.meta_words)


def _count(value: Any, name: str) -> int:
    """A count argument (``k``, ``speakers``): an int >= 0, else TypeError / ValueError."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an int, not bool")
    try:
        number = operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an int, not {type(value).__name__}") from None
    if number < 0:
        raise InvalidArgumentError(f"{name} must be 0 or more, not {number}")
    return number


def run_search(index: "Index", question: str, k: int, filters: Filters, settings: RankSettings,
               parsed: ParsedQuery | None = None, *, pool: int = 0) -> tuple[list[Hit], Scored]:
    """The k best hits for a question and the scores they came from."""
    ids, vals, scored = _top(index, question, k, filters, settings, parsed, pool)
    return make_hits(index, ids, vals, scored), scored


def _top(index: "Index", question: str, k: int, filters: Filters, settings: RankSettings,
         parsed: ParsedQuery | None = None, pool: int = 0) -> tuple[list[int], list[float], Scored]:
    """The k best passages (numbers, scores) and the scores they came from."""
    parsed = parsed or _parse(question, settings)
    if not analysed_anything(index, parsed):
        # everything was question words: search the question as written
        parsed = ParsedQuery(text=question, intent=parsed.intent, phrases=parsed.phrases, people=parsed.people)
    k = max(0, min(int(k), len(index.passages)))
    scored = score(index, question, filters, settings, parsed, k=k, pool=pool)
    ids, vals = top_k(scored.cand, scored.final, k)
    return ids.tolist(), vals.tolist(), scored


def search(index: "Index", query: str, k: int, filters: dict[str, Any], settings: RankSettings) -> list[Hit]:
    k = _count(k, "k")
    parsed = _parse(query, settings)
    return run_search(index, query, k, make_filters(filters), settings, parsed)[0]


#: ``TRANSCRIPT_QA_WORKERS``: "threads" or "processes" forces how ``search_many`` spreads questions.
WORKERS_ENV = "TRANSCRIPT_QA_WORKERS"
#: Batches of at least this many questions on at least ``PROCESS_MIN_WORKERS`` workers go to worker
#: processes (where they can be forked). Python holds the GIL for about a third of a question at a million
#: passages, so threads stop scaling at about three cores; on two cores threads measured as fast or faster.
PROCESS_MIN_QUERIES = 64
PROCESS_MIN_WORKERS = 4


def search_many(index: "Index", queries: Iterable[str], k: int, filters: dict[str, Any],
                settings: RankSettings, *, workers: int | None = None) -> list[list[Hit]]:
    """``search`` for each query, in order, on ``workers`` (None: one per
    core). A batch of ``PROCESS_MIN_QUERIES`` or more on ``PROCESS_MIN_WORKERS``
    or more runs on worker processes forked from this one (they share the
    index's memory; Python holds the GIL for part of every question, so
    threads stop scaling), else on threads (the compiled kernels release the
    GIL); ``TRANSCRIPT_QA_WORKERS=threads|processes`` forces one. The first
    error is raised as ``search`` would raise it."""
    from transcript_qa.parallel import can_fork, ordered_map, process_map, resolve_workers

    if isinstance(queries, (str, bytes)):
        raise TypeError("queries must be a list of questions, not one " + type(queries).__name__)
    k = _count(k, "k")
    flt = make_filters(filters)
    n = resolve_workers(workers)
    queries = list(queries)
    choice = os.environ.get(WORKERS_ENV, "").strip().lower()
    large = len(queries) >= PROCESS_MIN_QUERIES and n >= PROCESS_MIN_WORKERS
    if n > 1 and can_fork() and choice != "threads" and (choice == "processes" or large):
        results = process_map(lambda q: _ranked(index, q, k, flt, settings), queries, n)
        found = (r if isinstance(r, BaseException) else make_hits(index, *r) for r in results)
    else:
        found = ordered_map(lambda q: run_search(index, q, k, flt, settings, _parse(q, settings))[0], queries, n)
    out = []
    for result in found:
        if isinstance(result, BaseException):
            raise result
        out.append(result)
    return out


def _ranked(index: "Index", question: str, k: int, filters: Filters, settings: RankSettings
            ) -> tuple[list[int], list[float], Scored]:
    """What :func:`make_hits` needs for a question's hits, small enough to
    send between processes: passage numbers, scores, and the scores of those
    passages only (``Scored`` cut down to them; hits read nothing else)."""
    ids, vals, scored = _top(index, question, k, filters, settings)
    at = np.searchsorted(scored.cand, np.sort(np.asarray(ids, dtype=np.int64)))
    small = replace(scored, cand=scored.cand[at], base=scored.base[at], final=scored.final[at],
                    part=scored.part[at] if scored.part is not None else None)
    return ids, vals, small


def who(index: "Index", question: str, k: int, filters: dict[str, Any], settings: RankSettings) -> list[SpeakerAnswer]:
    k = _count(k, "k")
    flt = make_filters(filters)
    parsed = _parse(question, settings)
    if not analysed_anything(index, parsed):
        parsed = ParsedQuery(text=question, intent=parsed.intent, phrases=parsed.phrases, people=parsed.people)
    scored = score(index, question, flt, settings, parsed, k=0, pool=settings.who_pool)
    return rank_speakers(index, scored, k, settings)


#: A factual question's answer is the best over this many hits, however many are shown
#: (so ``-k 1`` and ``-k 10`` give the same answer).
ANSWER_HITS = 10


def ask(index: "Index", question: str, k: int, *, id: str | None, speakers: int, filters: dict[str, Any],
        settings: RankSettings) -> Answer:
    k, speakers = _count(k, "k"), _count(speakers, "speakers")
    flt = make_filters(filters)
    parsed = _parse(question, settings)
    hits, scored = run_search(index, question, max(k, ANSWER_HITS), flt, settings, parsed,
                              pool=settings.who_pool if speakers > 0 else 0)
    hits, best = answer_question(index, question, hits, scored.vector)
    hits = hits[:k]
    ranked = rank_speakers(index, scored, speakers, settings)
    return Answer(
        question=question,
        intent=parsed.intent,
        hits=tuple(hits),
        speakers=tuple(ranked),
        terms=scored.vector.terms,
        reason=None if hits else (scored.reason or "no passage matches the question"),
        id=id,
        filters=flt,
        answer=best,
        unmatched=scored.vector.unknown,
        notes=named_speaker_notes(index._columns["speaker"], scored.vector.speakers, hits) + operator_notes(question),
    )


_OPERATOR = re.compile(r"(?<![^\W_])(?:AND|OR|NOT)(?![^\W_])")


def operator_notes(question: str) -> tuple[str, ...]:
    """A note when a question uses AND, OR or NOT as search operators
    (in capitals, in a question not all in capitals): there are none."""
    if not _OPERATOR.search(question) or not any(ch.islower() for ch in question):
        return ()
    return ("AND, OR and NOT are not operators: passages are ranked by all the other words "
            "(quote a phrase to require it)",)


def named_speaker_notes(names: Sequence[str], codes: Iterable[int], hits: Sequence[Hit]) -> tuple[str, ...]:
    """A note when the question names a speaker (``codes``, numbers into
    ``names``) and no hit is theirs: the passages shown are other speakers',
    which the reader would otherwise take for the answer."""
    named = sorted({names[c] for c in codes})
    if not named or not hits or any(h.passage.speaker in named for h in hits):
        return ()
    who = " or ".join(named)
    return (f"no passage by {who} matches the question: these are other speakers' passages",)
