"""Known-item check at scale for ranking settings: the synthetic corpus of
``scale.py`` (same generator, same seed, same queries) indexed once, then each
ranking setting evaluated on it with ``Index.with_settings`` (no rebuild).

A query is 2-5 words of a target passage in random order (sometimes with a
common word); success is the target among the top 10. ``scale.py`` measures
the same figure (``target_in_top10``, and ``_batch`` for its 1,000 batch
queries) in a fresh process per system, next to bm25s and tantivy; this script
is the quick way to compare settings of transcript_qa alone.

    python benchmarks/known_item.py                          # 1M passages, defaults and bigram settings
    python benchmarks/known_item.py --sizes 100000 --cache /tmp/ki
    python benchmarks/known_item.py --settings '{"bigram_weight": 0}' '{}'

``--cache DIR`` keeps the corpus and the built index between runs (they are
rebuilt when missing).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

import _common  # noqa: F401  (puts the checkout on sys.path)
from _common import machine, table, write_results

import scale
import synthetic

#: Settings compared by default: the defaults, no bigrams, and bigrams gated by their evidence (G2).
DEFAULT_SETTINGS = ('{}', '{"bigram_weight": 0.0}', '{"bigram_evidence": 1.0}', '{"bigram_evidence": 3.84}')


def indexed(n: int, seed: int, folder: Path) -> tuple[Any, dict[str, Any]]:
    """The index of the synthetic corpus of ``n`` passages (built and saved in
    ``folder`` unless already there) and the queries."""
    from transcript_qa.index import read_index

    folder.mkdir(parents=True, exist_ok=True)
    corpus, queries, where = folder / f"corpus-{n}.jsonl", folder / f"queries-{n}.json", folder / f"index-{n}"
    if not queries.is_file() or not corpus.is_file():
        print(f"generating {n:,} passages ...", file=sys.stderr)
        synthetic.generate(n, seed, corpus, queries)
    if not (where / "manifest.json").is_file():
        engine = scale.TranscriptQAEngine()
        with corpus.open(encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh]
        t0 = time.perf_counter()
        engine.build(engine.prepare(rows))
        del rows
        print(f"  built in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        engine.index.save(where)
        del engine
    return read_index(where), json.loads(queries.read_text(encoding="utf-8"))


def known_item(index: Any, queries: dict[str, Any]) -> dict[str, float]:
    """Share of single and batch queries whose target is in the top 10."""
    single = sum(q["target"] in [h.passage.id for h in index.search(q["query"], k=scale.K)]
                 for q in queries["single"])
    batch = queries["batch"]
    hits = index.search_many([q["query"] for q in batch], k=scale.K)
    found = sum(q["target"] in [h.passage.id for h in row] for q, row in zip(batch, hits))
    return {"target_in_top10": round(single / len(queries["single"]), 3),
            "target_in_top10_batch": round(found / len(batch), 3)}


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000000")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--cache", type=Path, default=None, help="keep corpus and index here between runs")
    parser.add_argument("--settings", nargs="*", default=list(DEFAULT_SETTINGS),
                        help="ranking settings as JSON objects (default: %(default)s)")
    parser.add_argument("--out", default="known_item")
    args = parser.parse_args(argv)
    result: dict[str, Any] = {"benchmark": "known_item", "machine": machine(), "seed": args.seed, "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="known-item-") as tmp:
        folder = args.cache or Path(tmp)
        for n in (int(s.replace("_", "")) for s in args.sizes.split(",")):
            index, queries = indexed(n, args.seed, folder)
            rows = {}
            for text in args.settings:
                settings = json.loads(text)
                rows[text] = known_item(index.with_settings(**settings) if settings else index, queries)
                print(f"  {n:,} {text}: {rows[text]}", file=sys.stderr)
            result["sizes"][str(n)] = rows
            print(table(["settings", "target@10 (200 single)", "target@10 (1,000 batch)"],
                        [[s, f"{r['target_in_top10']:.3f}", f"{r['target_in_top10_batch']:.3f}"]
                         for s, r in rows.items()], title=f"### {n:,} passages"))
    write_results(args.out, result)
    return result


if __name__ == "__main__":
    main()
