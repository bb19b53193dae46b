"""Who: speakers ranked by their share of the material relevant to a question.

Over the ``who_pool`` best passages (before context), each passage with a
speaker contributes ``score * material``, where ``material`` is
``min(1, terms / who_full_terms)`` (short procedural turns count little) times
``who_question_weight`` for a turn that is a question (``who_asking_weight``
when the question asks who *asked*; a question then counts whole, however
short: it is all its asker said). A speaker's score is their share of the
pool's total; speakers are ranked by it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable, Hashable, Iterable, Sequence

import numpy as np

from transcript_qa.hits import make_hits
from transcript_qa.model import SpeakerAnswer
from transcript_qa.ranking import Scored, top_k
from transcript_qa.settings import RankSettings

if TYPE_CHECKING:  # pragma: no cover
    from transcript_qa.index import Index

#: The kinds of speaker a "which ..." question can ask for that a record prints, with the
#: words of a role, title or honour that say a speaker is one ("which ministers", "which
#: councillors"): only those speakers are ranked, when any of them is in the pool.
OFFICE_NOUNS: dict[str, tuple[str, ...]] = {
    "minister": ("minister", "secretary of state"),
    "councillor": ("councillor", "cllr", "councilor", "council member", "councilmember", "councilman",
                   "councilwoman"),
    "mp": ("mp",),
    "officer": ("officer",),
    "official": ("official", "officer"),
    "representative": ("representative",),
    "senator": ("senator",),
    "mayor": ("mayor",),
    "commissioner": ("commissioner",),
    "trustee": ("trustee",),
    "director": ("director",),
}


def office_words(people: str | None) -> tuple[str, ...]:
    """The words that make a speaker one of ``people`` ("ministers"), or () for a kind no record prints."""
    if not people:
        return ()
    noun = people.lower()
    return OFFICE_NOUNS.get(noun) or OFFICE_NOUNS.get(noun[:-1] if noun.endswith("s") else noun, ())


def holds_office(info: Any, words: tuple[str, ...]) -> bool:
    """Whether a :class:`~transcript_qa.model.SpeakerInfo`'s roles, titles or labels hold one of ``words``."""
    text = " " + re.sub(r"\W+", " ", " ".join((*info.roles, *info.honours, *info.labels)).lower()) + " "
    return any(f" {w} " in text for w in words)


def of_kind(per: dict[Any, float], total: float, people: str | None, speakers: Callable[[], Iterable[Any]],
            name_of: Callable[[Any], str]) -> tuple[dict[Any, float], float]:
    """The speakers of ``per`` (keys named by ``name_of``) of the kind
    ``people`` asks for ("which ministers"), and their total, when any of
    them is one; else ``per`` and ``total`` as they are. ``speakers`` lists
    every :class:`~transcript_qa.model.SpeakerInfo` (read only when asked
    for a kind a record prints). One index and a sharded index both call it."""
    words = office_words(people)
    if not words:
        return per, total
    infos = {info.name: info for info in speakers()}
    kept = {key: value for key, value in per.items()
            if name_of(key) in infos and holds_office(infos[name_of(key)], words)}
    if not kept:
        return per, total
    return kept, float(sum(kept.values()))


def speaker_shares(pool_scores: np.ndarray, speakers: Sequence[Hashable], length: np.ndarray,
                   question: np.ndarray, asking: bool, settings: RankSettings) -> tuple[dict[Any, float], float]:
    """Each speaker's material in the pool (best first, each passage's base
    score, speaker, terms and question flag) and the pool's total: the sums of
    the module doc, in pool order (a sharded index merges its shards' pools
    and calls this too, so the sums are the same to the last bit)."""
    material = np.minimum(1.0, np.asarray(length).astype(np.float64) / max(1, settings.who_full_terms))
    question_weight = settings.who_asking_weight if asking else settings.who_question_weight
    # asked who *asked*: a question is the asker's whole material, however short
    asked = np.ones_like(material) if asking else material
    material = np.where(np.asarray(question), asked * question_weight, material)
    contrib = np.asarray(pool_scores) * material
    per: dict[Any, float] = {}
    for code, value in zip(speakers, contrib.tolist()):
        per[code] = per.get(code, 0.0) + value
    return per, float(contrib.sum())


def rank_speakers(index: "Index", scored: Scored, k: int, settings: RankSettings) -> list[SpeakerAnswer]:
    """Speakers ranked by their share of the relevant material (see module doc)."""
    if scored.cand.size == 0 or k <= 0:
        return []
    cand, base = scored.cand, scored.base
    keep = base > 0
    cand, base = cand[keep], base[keep]
    if cand.size == 0:
        return []
    pool_ids, pool_scores = top_k(cand, base, settings.who_pool)
    speakers = index.column("speaker")[pool_ids]
    has = speakers >= 0
    pool_ids, pool_scores, speakers = pool_ids[has], pool_scores[has], speakers[has]
    if pool_ids.size == 0:
        return []
    per, total = speaker_shares(pool_scores, speakers.tolist(), index.column("length")[pool_ids],
                                index.column("question")[pool_ids], scored.asking, settings)
    if total <= 0:
        return []
    names = index._columns["speaker"]
    per, total = of_kind(per, total, scored.people, index.speakers, names.__getitem__)
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
