"""Links between passages that repeat each other.

A witness's words appear in a transcript turn and again, quoted, in the
committee's report; a recommendation appears in the report and again in the
response letter. Two passages of *different* documents are linked when they
share a run of ``n`` consecutive content terms (stems, stop words skipped;
default 8). Links go both ways; both passages stay in the index.

Shingles shared by more than ``max_share`` passages are ignored (stock
phrases, not quotations).

A quotation that leaves words out ("... our complex cases [...] We are looking
...") is linked, when the corpus is loaded, to the turn of another document that
holds all its pieces in order (``link_elided_quotes``): its pieces may each be too
short for a shared run.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import replace
from typing import Sequence

from .model import Passage

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


# --- quotes with elisions --------------------------------------------------------------------

_ELISION = re.compile(r"\[\s*(?:\.\s*){3}\]|\[\s*…\s*\]|…|\.\s*\.\s*\.")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
MIN_FRAGMENT_WORDS = 3
MIN_QUOTE_WORDS = 8


def _words(text: str) -> list[str]:
    return [w.casefold().replace("’", "'") for w in _WORD.findall(text)]


def quote_fragments(text: str) -> list[str]:
    """The pieces of a quotation around its elisions ("[...]", "[…]", "…"), each as
    lower-case words joined by single spaces; pieces under three words are dropped."""
    pieces = [" ".join(_words(p)) for p in _ELISION.split(text)]
    return [p for p in pieces if len(p.split()) >= MIN_FRAGMENT_WORDS]


def link_elided_quotes(passages: list[Passage]) -> list[Passage]:
    """Link each quotation with an elision to the passage of another document that
    holds all its pieces, in order (a transcript turn it quotes). Runs of shared
    words (``find_links``, at build time) miss such quotes when the pieces are short;
    links go both ways and add to any already there."""
    quotes = [
        i for i, p in enumerate(passages)
        if p.kind != "transcript" and p.boilerplate is None and _ELISION.search(p.text)
    ]
    if not quotes:
        return passages
    targets = [i for i, p in enumerate(passages) if p.boilerplate is None and p.speaker_label is not None]
    if not targets:
        return passages
    texts = [" " + " ".join(_words(passages[i].text)) + " " for i in targets]
    starts: list[int] = []
    pos = 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    haystack = "\n".join(texts)
    found: dict[int, set[int]] = {}
    for qi in quotes:
        pieces = quote_fragments(passages[qi].text)
        if len(pieces) < 2 or sum(len(p.split()) for p in pieces) < MIN_QUOTE_WORDS:
            continue
        longest = max(pieces, key=len)
        at = haystack.find(" " + longest + " ")
        seen: set[int] = set()
        while at >= 0:
            k = bisect.bisect_right(starts, at) - 1
            ti = targets[k]
            if ti not in seen and passages[ti].document != passages[qi].document:
                seen.add(ti)
                if _in_order(texts[k], pieces):
                    found.setdefault(qi, set()).add(ti)
                    found.setdefault(ti, set()).add(qi)
            at = haystack.find(" " + longest + " ", at + 1)
    if not found:
        return passages
    out = list(passages)
    for i, linked in found.items():
        ids = [passages[j].id for j in sorted(linked)]
        out[i] = replace(out[i], links=tuple(dict.fromkeys(list(out[i].links) + ids)))
    return out


def _in_order(text: str, pieces: list[str]) -> bool:
    at = 0
    for piece in pieces:
        at = text.find(" " + piece + " ", at)
        if at < 0:
            return False
        at += len(piece)
    return True
