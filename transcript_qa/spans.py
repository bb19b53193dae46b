"""Character spans in text: merged, and marked with something before and after
(``**term**`` in JSON snippets, terminal colours in text)."""

from __future__ import annotations

from typing import Iterable


def merge_spans(spans: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Spans clipped to ``[0, length)``, sorted, overlapping ones merged."""
    clipped = sorted((max(0, int(s)), min(length, int(e))) for s, e in spans if min(length, int(e)) > max(0, int(s)))
    merged: list[tuple[int, int]] = []
    for start, end in clipped:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def wrap_spans(text: str, spans: Iterable[tuple[int, int]], before: str, after: str) -> str:
    out: list[str] = []
    pos = 0
    for start, end in merge_spans(spans, len(text)):
        out.append(text[pos:start])
        out.append(before + text[start:end] + after)
        pos = end
    out.append(text[pos:])
    return "".join(out)
