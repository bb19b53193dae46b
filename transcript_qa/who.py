"""Who: speakers ranked by their share of the material relevant to a question.

Over the ``who_pool`` best passages (before context), each passage with a
speaker contributes ``score * material``, where ``material`` is
``min(1, terms / who_full_terms)`` (short procedural turns count little) times
``who_question_weight`` for a turn that is a question (``who_asking_weight``
when the question asks who *asked*). A speaker's score is their share of the
pool's total; speakers are ranked by it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from transcript_qa.hits import make_hits
from transcript_qa.model import SpeakerAnswer
from transcript_qa.ranking import Scored, top_k
from transcript_qa.settings import RankSettings

if TYPE_CHECKING:  # pragma: no cover
    from transcript_qa.index import Index

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
    length = index.column("length")[pool_ids].astype(np.float64)
    material = np.minimum(1.0, length / max(1, settings.who_full_terms))
    question = index.column("question")[pool_ids]
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
