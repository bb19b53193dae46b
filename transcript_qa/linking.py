"""Links between passages that repeat each other.

A witness's words appear in a transcript turn and again, quoted, in the
committee's report; a recommendation appears in the report and again in the
response letter. Two passages of *different* documents are linked when they
share a run of ``n`` consecutive content terms (stems, stop words skipped;
default 8). Links go both ways; both passages stay in the index.

Shingles shared by more than ``max_share`` passages are ignored (stock
phrases, not quotations).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Sequence

DEFAULT_SHINGLE = 8
DEFAULT_MAX_SHARE = 6


def find_links(
    sequences: Sequence[Sequence[str] | None],
    documents: Sequence[str],
    *,
    n: int = DEFAULT_SHINGLE,
    max_share: int = DEFAULT_MAX_SHARE,
) -> dict[int, tuple[int, ...]]:
    """Passage number -> sorted numbers of the passages it repeats.

    ``sequences[i]`` is passage i's unigram terms in order (None or empty for
    passages left out); ``documents[i]`` its document id.

    >>> a = "we have a really strong pipeline of getting probation officers into work".split()
    >>> find_links([a, ["other"], a[2:]], ["t", "t", "r"], n=6)
    {0: (2,), 2: (0,)}
    """
    owners: dict[int, list[int]] = defaultdict(list)
    for i, seq in enumerate(sequences):
        if not seq or len(seq) < n:
            continue
        seen: set[int] = set()
        for j in range(len(seq) - n + 1):
            h = hash(tuple(seq[j : j + n]))
            if h not in seen:
                seen.add(h)
                owners[h].append(i)
    pairs: dict[int, set[int]] = defaultdict(set)
    for members in owners.values():
        if len(members) < 2 or len(members) > max_share:
            continue
        for a in members:
            for b in members:
                if a != b and documents[a] != documents[b]:
                    pairs[a].add(b)
    return {i: tuple(sorted(links)) for i, links in sorted(pairs.items())}
