"""Incremental add: time to add one 200-turn meeting to a segmented index of N
passages, against a full rebuild of the N + 200 passages, in the same run (the
corpus from scale.py's seeded generator). Checks that the grown index answers
the benchmark's queries exactly as the rebuilt one does (top 10 and scores).

    python benchmarks/incremental.py                 # 100k passages
    python benchmarks/incremental.py --sizes 20000 300000
    python benchmarks/incremental.py --sizes 1000000 --keep /tmp/inc   # keep (and reuse) the corpus and base index

With ``--keep DIR`` the generated corpus and the first segmented build stay in
DIR/<N>/ and a later run reuses them (the add works on a hard-linked copy:
segments are immutable and every change writes new files only); ``--repeat``
times the add that many times (median). ``--out FILE`` writes the results JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate  # noqa: E402

NEW_TURNS = 200


def _documents(rows: list[list[Any]], meeting_id: str | None = None):
    from transcript_qa.incremental import NewDocument
    from transcript_qa.model import Document, Passage

    by_doc: dict[str, list[Passage]] = {}
    for pid, doc, pos, speaker, text in rows:
        doc = meeting_id or doc
        pid = f"{doc}:{pos}" if meeting_id else pid
        by_doc.setdefault(doc, []).append(Passage(id=pid, document=doc, kind="transcript", title=doc, date=None,
                                                  position=pos, text=text, start=0, end=len(text), speaker=speaker,
                                                  speaker_label=speaker))
    return [NewDocument(Document(id=d, title=d, kind="transcript", date=None, path=f"{d}.txt"), tuple(ps))
            for d, ps in by_doc.items()]


def _bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def run(n: int, work: Path, repeat: int = 1) -> dict[str, Any]:
    import shutil
    import statistics
    import subprocess

    from transcript_qa.incremental import apply_change, create
    from transcript_qa.segments import read_segmented

    if not (work / "corpus.jsonl").is_file():
        generate(n, 7, work / "corpus.jsonl", work / "queries.json")
    rows = [json.loads(line) for line in (work / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    generate(NEW_TURNS, 8, work / "new.jsonl", work / "new_queries.json")
    new_rows = [json.loads(line) for line in (work / "new.jsonl").read_text(encoding="utf-8").splitlines()]
    docs = _documents(rows)
    del rows
    new = _documents(new_rows, meeting_id="zz-new-meeting")
    assert len(new) == 1 and len(new[0].passages) == NEW_TURNS
    base_s = None
    if not (work / "base" / "manifest.json").is_file():
        t = time.perf_counter()
        create(work / "base", docs, settings={})
        base_s = time.perf_counter() - t
    import transcript_qa.build  # noqa: F401 - imported once per process, as by the CLI (not part of an add)
    times = []
    for _ in range(max(1, repeat)):
        shutil.rmtree(work / "grown", ignore_errors=True)
        subprocess.run(["cp", "-al", str(work / "base"), str(work / "grown")], check=True)
        t = time.perf_counter()
        apply_change(work / "grown", add=new, merge=None)
        times.append(time.perf_counter() - t)
    add_s = statistics.median(times)
    shutil.rmtree(work / "rebuilt", ignore_errors=True)
    t = time.perf_counter()
    create(work / "rebuilt", docs + new, settings={})
    rebuild_s = time.perf_counter() - t
    grown, rebuilt = read_segmented(work / "grown"), read_segmented(work / "rebuilt")
    queries = [q["query"] for q in json.loads((work / "queries.json").read_text())["single"][:50]]
    queries += [q["query"] for q in json.loads((work / "new_queries.json").read_text())["single"][:50]]
    same = 0
    for q in queries:
        a = [(h.passage.id, h.score) for h in grown.search(q, k=10)]
        b = [(h.passage.id, h.score) for h in rebuilt.search(q, k=10)]
        same += len(a) == len(b) and all(math.isclose(x[1], y[1], rel_tol=1e-6) for x, y in zip(a, b)) and \
            {i for i, _ in a[:-1]} <= {i for i, _ in b}
    out = {"passages": n, "first_build_s": round(base_s, 2) if base_s is not None else "reused",
           "add_200_turns_s": round(add_s, 3), "add_runs_s": [round(x, 3) for x in times],
           "full_rebuild_s": round(rebuild_s, 2), "speedup": round(rebuild_s / add_s, 1),
           "queries_same": f"{same}/{len(queries)}", "segments": len(grown.segments()),
           "index_mb": round(_bytes(work / "grown") / 2**20, 1),
           "global_files_kb": round(sum(f.stat().st_size for f in (work / "grown").iterdir()
                                        if f.is_file()) / 1024, 1)}
    shutil.rmtree(work / "rebuilt", ignore_errors=True)
    return out


def main(argv: Sequence[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--keep", type=Path, help="keep the corpus and base index here (and reuse them)")
    parser.add_argument("--repeat", type=int, default=3, help="time the add this many times (median)")
    parser.add_argument("--out", type=Path, help="write the results JSON here")
    args = parser.parse_args(argv)
    out = []
    for n in args.sizes:
        if args.keep:
            work = args.keep / str(n)
            work.mkdir(parents=True, exist_ok=True)
            result = run(n, work, args.repeat)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                result = run(n, Path(tmp), args.repeat)
        print(json.dumps(result), flush=True)
        out.append(result)
    if args.out:
        args.out.write_text(json.dumps({"benchmark": "incremental", "results": out}, indent=1) + "\n")
    return out


if __name__ == "__main__":
    main()
