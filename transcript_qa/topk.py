"""The exact top k without scoring every posting (placeholder: exhaustive)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from transcript_qa.ranking import Plan, exhaustive
from transcript_qa.settings import RankSettings

if TYPE_CHECKING:  # pragma: no cover
    from transcript_qa.index import Index


def retrieve(index: "Index", plan: Plan, settings: RankSettings, *, k: int, pool: int = 0
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return exhaustive(index, plan, settings)
