"""Index settings: what goes into an index (build) and how it ranks (rank).

Build settings are fixed when the index is built and saved in its manifest;
ranking settings are saved too but can be changed per query
(:meth:`transcript_qa.index.Index.with_settings`). The formulas the ranking
settings enter are in :mod:`transcript_qa.ranking`.
"""

from __future__ import annotations

import math
import operator
from dataclasses import asdict, dataclass, fields
from typing import Any

from transcript_qa.errors import IndexFormatError

_SPEAKER_TERMS = ("keep", "drop")


def _check_fields(obj: Any) -> None:
    """Check (and normalise: numpy ints to int) each field against its declared
    type; ValueError naming the first bad setting."""
    for f in fields(obj):
        value = getattr(obj, f.name)
        kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
        bad = None
        if kind == "bool":
            if not isinstance(value, bool):
                bad = "true or false"
        elif kind == "int":
            try:
                if isinstance(value, bool):
                    raise TypeError
                value = operator.index(value)
            except TypeError:
                bad = "a whole number"
            else:
                if value < 0:
                    bad = "0 or more"
        elif kind == "float":
            try:
                if isinstance(value, (bool, str, bytes)):
                    raise TypeError
                value = float(value)
            except (TypeError, ValueError):
                bad = "a number"
            else:
                if not (math.isfinite(value) and value >= 0):
                    bad = "a finite number, 0 or more"
        elif f.name == "speaker_terms":
            if value not in _SPEAKER_TERMS:
                bad = " or ".join(repr(v) for v in _SPEAKER_TERMS)
        elif f.name == "stop_words":
            if value is not None and not (isinstance(value, tuple) and all(isinstance(w, str) for w in value)):
                bad = "a list of words (or null)"
        if bad:
            raise ValueError(f"setting {f.name} must be {bad}, not {getattr(obj, f.name)!r}")
        object.__setattr__(obj, f.name, value)


@dataclass(frozen=True)
class RankSettings:
    """Query-time ranking settings (see the module docstring for the formulas)."""

    expansion_weight: float = 0.5
    scoring: str = "tfidf"  # "tfidf" or "bm25" (see transcript_qa.segment)
    length_slope: float = 0.3  # BM25's b, or the pivoted normalisation's slope
    bm25_k1: float = 1.2
    bigram_weight: float = 0.5  # a bigram's weight relative to a word's
    bigram_evidence: float = 0.0  # a bigram needs this G2 above chance to count at all (ranking.phrase_share; 0: no gate)
    speaker_boost: float = 2.0
    speaker_terms: str = "drop"  # "keep" or "drop" the name words as topic terms
    context_prev: float = 0.5
    context_next: float = 0.5
    context_window: int = 3
    context_decay: float = 0.7
    context_sources: int = 200  # context comes from this many best-matching passages
    context_invents: bool = False  # True: context may lift a passage that matches no query term
    meta_words: bool = True  # drop generic speech words ("said", "discussed") from questions
    who_pool: int = 50
    who_full_terms: int = 20
    who_question_weight: float = 0.5
    who_asking_weight: float = 2.0
    who_hits: int = 3

    def __post_init__(self) -> None:
        _check_fields(self)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RankSettings":
        """Ranking settings saved in an index manifest (unknown names ignored);
        IndexFormatError naming the setting if one is of the wrong type."""
        if not isinstance(data, dict):
            raise IndexFormatError(f"the index manifest's settings.rank is not an object; {_REBUILD}", hint=_REBUILD)
        known = {f.name for f in fields(cls)}
        try:
            return cls(**{k: v for k, v in data.items() if k in known})
        except ValueError as err:
            raise IndexFormatError(f"the index manifest's {str(err).replace('setting ', 'settings.rank.', 1)}; "
                                   f"{_REBUILD}", hint=_REBUILD) from None


RANK_FIELDS = frozenset(f.name for f in fields(RankSettings))
_REBUILD = "run `transcript-qa index build`"


@dataclass(frozen=True)
class BuildSettings:
    """What goes into the index (fixed at build time, saved in the manifest)."""

    stem: bool = True
    bigrams: bool = True
    stop_words: tuple[str, ...] | None = None
    speaker_in_text: bool = True
    include_boilerplate: bool = False
    links: bool = True
    part_chars: int = 1000  # passages longer than this are scored by their best part (0: never split)
    bigram_min_count: int = 1  # a bigram is indexed where its document has it this many times (0: none)

    def __post_init__(self) -> None:
        if isinstance(self.stop_words, list):
            object.__setattr__(self, "stop_words", tuple(self.stop_words))
        _check_fields(self)

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


