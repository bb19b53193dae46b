"""Shared helpers for the benchmark scripts: repository paths, the machine
description, result files, tables, and the plain baselines (bm25s).

The scripts run as ``python benchmarks/<name>.py`` from a checkout; this module
puts the checkout on ``sys.path`` so ``transcript_qa`` imports without
installing it.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import sys
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
DATA_DIR = BENCH_DIR / "data"

if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


def machine() -> dict[str, Any]:
    """Cores, memory, Python and library versions of this run."""
    mem_gib = None
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    mem_gib = round(int(line.split()[1]) / 1024**2, 1)
                    break
    except OSError:
        pass
    versions: dict[str, str] = {}
    for name in ("numpy", "scipy", "sklearn", "bm25s", "ir_measures", "tantivy", "numba"):
        try:
            module = __import__(name)
            version = str(getattr(module, "__version__", "?"))
            versions[name] = version.split(",")[0].removeprefix(f"{name} ").removeprefix("v")
        except Exception:  # noqa: BLE001 - a missing peer is reported, not fatal
            versions[name] = "not installed"
    return {
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "memory_gib": mem_gib,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
    }


def write_results(name_or_path: str | os.PathLike[str], data: Mapping[str, Any]) -> Path:
    """Write ``data`` as JSON to ``benchmarks/results/<name>.json`` (or to a path)."""
    path = Path(name_or_path)
    if path.suffix != ".json":
        path = RESULTS_DIR / f"{name_or_path}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def table(header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str | None = None, pad: bool = True) -> str:
    """A Markdown table (readable as plain text too; ``pad=False``: columns not
    padded to one width, for a table with one long cell)."""
    rows = [[str(c) for c in r] for r in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in rows)) if rows else len(str(h)) for i, h in enumerate(header)]
    if not pad:
        widths = [3] * len(widths)

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, (c, w) in enumerate(zip(cells, widths)):
            out.append(c.ljust(w) if i == 0 else c.rjust(w))
        return "| " + " | ".join(out) + " |"

    sep = "|" + "|".join(("-" * (w + 2)) if i == 0 else ("-" * (w + 1) + ":") for i, w in enumerate(widths)) + "|"
    lines = ([f"\n{title}\n"] if title else []) + [line([str(h) for h in header]), sep] + [line(r) for r in rows]
    return "\n".join(lines)


# ------------------------------------------------------------------ baselines


class BM25sBaseline:
    """bm25s with its defaults (its own tokenizer: lower-case, ``\\b\\w\\w+\\b``,
    English stop words, no stemmer; BM25 "lucene", k1=1.5, b=0.75) over texts.

    ``search`` ranks by score, ties by position in the collection, and leaves
    out zero-score passages.
    """

    def __init__(self, ids: Sequence[str], texts: Sequence[str], backend: str = "numpy") -> None:
        import bm25s

        self._bm25s = bm25s
        self.ids = list(ids)
        tokens = bm25s.tokenize(list(texts), show_progress=False)
        self.retriever = bm25s.BM25(backend=backend)
        self.retriever.index(tokens, show_progress=False)

    def tokens(self, query: str) -> list[str]:
        return self._bm25s.tokenize([query], return_ids=False, show_progress=False)[0]

    def search(self, query: str, k: int = 10) -> list[tuple[str, float]]:
        import numpy as np

        tokens = [t for t in self.tokens(query) if t in self.retriever.vocab_dict]
        if not tokens:
            return []
        scores = self.retriever.get_scores(tokens)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        order = sorted(top.tolist(), key=lambda i: (-float(scores[i]), i))
        return [(self.ids[i], float(scores[i])) for i in order if scores[i] > 0]


def fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"
