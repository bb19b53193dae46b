"""Fault injection: is every damaged index noticed, and does a kill -9 ever
lose or half-write what was there before?

Part 1, corruption. An index is built from the bundled corpus (and a second one
from a different corpus, for swaps). Then, for every file of the index folder,
as listed on disk (the script knows nothing of the format), one at a time on a
pristine copy:

- truncation: the file cut to half its size;
- flipped byte: one byte at a random (seeded) offset XOR 0xFF, ``--flips`` times;
- swap: the file replaced by the other index's file of the same name;
- deletion;
- version change: a JSON file's ``format``/``*version*`` field bumped, an
  ``.npy`` file's format version byte set to 9 (files with no version: n/a).

Each damaged index is then opened (``load_index(build=False)``) and asked a
fixed set of questions. A fault is **detected** when the library refuses with one
of its own errors (on open or on a question). Otherwise it is a **crash** (any
other exception: a traceback), **wrong answers** (answers differ from the
pristine index's) or **unnoticed** (same answers). Where the CLI has
``index verify``, it is run too and reported apart.

Part 2, kill -9. ``index build --out P`` over a previous index P, and
``batch -o OUT`` over a previous output file, are killed with SIGKILL at
``--kills`` points spread over their run time. After each kill, P must load and
be exactly the previous index or exactly the new one (every file's sha256), and
OUT must be byte for byte the previous output or the complete new one. Leftover
temporary files are counted, and must be gone after the next uninterrupted run.

    python benchmarks/faults.py                    # ~3 min: bundled corpus, 20 + 20 kill points
    python benchmarks/faults.py --large 40000      # adds a synthetic index over 64 MiB (corruption part)
    python benchmarks/faults.py --quick            # a smoke run (~20 s): 3 documents, 1 flip per file, 2 + 2 kills
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Sequence

import _common  # noqa: F401  (puts the checkout on sys.path)
from _common import DATA_DIR, REPO_ROOT, machine, table, write_results

from transcript_qa.store import sha256_of

CORPUS = REPO_ROOT / "corpus"
QUESTIONS = [json.loads(line)["question"] for line in (DATA_DIR / "seed_questions.jsonl").read_text().splitlines()
             if line.strip()]
FAULTS = ("truncate", "flip", "swap", "delete", "version")
OUTCOMES = ("detected", "crash", "wrong answers", "unnoticed")
LARGE_BYTES = 64 << 20
_CLI = "import sys; from transcript_qa.cli import main; sys.exit(main())"


# ------------------------------------------------------------------- helpers


def snapshot(folder: Path) -> dict[str, str] | None:
    """sha256 of every file of a folder (None if it does not exist)."""
    if not folder.is_dir():
        return None
    return {p.name: sha256_of(p) for p in sorted(folder.iterdir()) if p.is_file()}


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


def answers(index: Any, questions: Sequence[str]) -> list[Any]:
    out = []
    for q in questions:
        a = index.ask(q, 10)
        out.append(([(h.passage.id, round(h.score, 5), h.passage.speaker, h.passage.text[:80]) for h in a.hits],
                    [(s.speaker, round(s.score, 5)) for s in a.speakers]))
    return out


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def has_verify() -> bool:
    from transcript_qa.cli import main

    group = main.commands.get("index")
    return bool(group is not None and "verify" in getattr(group, "commands", {}))


# ------------------------------------------------------------------- part 1: corruption


def check(folder: Path, pristine: list[Any], questions: Sequence[str], verify: bool) -> tuple[str, str, bool | None]:
    """(outcome, detail, detected by ``index verify``) for the index at ``folder``."""
    from transcript_qa.build import load_index
    from transcript_qa.errors import TranscriptQAError

    by_verify = None
    if verify:
        from click.testing import CliRunner

        from transcript_qa.cli import main

        by_verify = CliRunner().invoke(main, ["index", "verify", str(folder)]).exit_code != 0
    index = None
    try:
        index = load_index(folder, build=False, on_stale="ignore")
        got = answers(index, questions)
    except TranscriptQAError as err:
        return "detected", str(err).splitlines()[0][:120], by_verify
    except Exception as err:  # noqa: BLE001 - that is what we count
        return "crash", f"{type(err).__name__}: {err}"[:120], by_verify
    finally:
        close = getattr(getattr(index, "passages", None), "close", None)
        if close:
            close()
        del index
        gc.collect()
    return ("unnoticed", "", by_verify) if got == pristine else ("wrong answers", "", by_verify)


def bump_version(data: bytes, name: str) -> bytes | None:
    """The file with its version changed, or None when it carries none."""
    if name.endswith(".npy") and data[:6] == b"\x93NUMPY" and len(data) > 7:
        return data[:6] + bytes([9]) + data[7:]
    if name.endswith(".json"):
        try:
            obj = json.loads(data)
        except ValueError:
            return None
        if isinstance(obj, dict):
            keys = [k for k in obj if k == "format" or "version" in k.lower()]
            for key in keys:
                value = obj[key]
                obj[key] = value + 1 if isinstance(value, int) and not isinstance(value, bool) else f"{value}.1"
            if keys:
                return json.dumps(obj).encode()
    return None


def corruption(index_dir: Path, other_dir: Path, questions: Sequence[str], flips: int, seed: int,
               label: str) -> dict[str, Any]:
    """Every fault on every file of ``index_dir`` (restored after each)."""
    from transcript_qa.build import load_index

    rng = random.Random(seed)
    verify = has_verify()
    work = Path(tempfile.mkdtemp(prefix="tqa-faults-")) / "index"
    shutil.copytree(index_dir, work)
    pristine_index = load_index(work, build=False, on_stale="ignore")
    pristine = answers(pristine_index, questions)
    del pristine_index
    gc.collect()
    trials: list[dict[str, Any]] = []
    try:
        for path in sorted(p for p in work.iterdir() if p.is_file()):
            name = path.name
            original = path.read_bytes()
            variants: list[tuple[str, Callable[[], bool]]] = []

            def write(data: bytes, p: Path = path) -> bool:
                p.write_bytes(data)
                return True

            variants.append(("truncate", lambda o=original: write(o[: len(o) // 2])))
            for _ in range(flips):
                offset = rng.randrange(len(original)) if original else 0

                def flip(o: bytes = original, i: int = offset) -> bool:
                    if not o:
                        return False
                    return write(o[:i] + bytes([o[i] ^ 0xFF]) + o[i + 1:])

                variants.append(("flip", flip))
            other = other_dir / name

            def swap(o: bytes = original, other: Path = other) -> bool:
                if not other.is_file():
                    return False
                data = other.read_bytes()
                return data != o and write(data)

            variants.append(("swap", swap))

            def delete(p: Path = path) -> bool:
                p.unlink()
                return True

            variants.append(("delete", delete))

            def version(o: bytes = original, n: str = name) -> bool:
                data = bump_version(o, n)
                return data is not None and write(data)

            variants.append(("version", version))
            for fault, apply in variants:
                applied = apply()
                if applied:
                    outcome, detail, by_verify = check(work, pristine, questions, verify)
                    trials.append({"file": name, "bytes": len(original), "fault": fault, "outcome": outcome,
                                   "detail": detail, "verify": by_verify})
                else:
                    trials.append({"file": name, "bytes": len(original), "fault": fault, "outcome": "n/a"})
                path.write_bytes(original)
    finally:
        shutil.rmtree(work.parent, ignore_errors=True)
    return summarise(trials, label, folder_bytes(index_dir))


def summarise(trials: list[dict[str, Any]], label: str, size: int) -> dict[str, Any]:
    by_fault: dict[str, dict[str, int]] = {}
    for t in trials:
        row = by_fault.setdefault(t["fault"], {k: 0 for k in OUTCOMES + ("n/a", "verify detected")})
        row[t["outcome"]] += 1
        if t.get("verify"):
            row["verify detected"] += 1
    applied = [t for t in trials if t["outcome"] != "n/a"]
    detected = sum(t["outcome"] == "detected" for t in applied)
    with_verify = sum(t["outcome"] == "detected" or bool(t.get("verify")) for t in applied)
    return {
        "index": label,
        "index_bytes": size,
        "files": len({t["file"] for t in trials}),
        "trials": len(applied),
        "detected": detected,
        "detected_share": round(detected / len(applied), 4) if applied else None,
        "detected_with_verify": with_verify,
        "by_fault": by_fault,
        "missed": [t for t in applied if t["outcome"] != "detected"],
    }


# ------------------------------------------------------------------- part 2: kill -9


def spread(n: int, length: float, rng: random.Random) -> list[float]:
    """``n`` kill delays spread over [0, 1.05 * length]: one in each of n equal slices."""
    return [length * 1.05 * (i + rng.random()) / n for i in range(n)]


def run_killed(cmd: list[str], delay: float) -> bool:
    """Run ``cmd`` and SIGKILL it after ``delay`` s; True if it was still running."""
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        return True


def timed_run(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=REPO_ROOT, env=cli_env(), check=True, capture_output=True)
    return time.perf_counter() - t0


def leftovers(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}."))


def index_state(target: Path, old: dict[str, str] | None, new_answers: list[Any],
                questions: Sequence[str]) -> str:
    """"previous" (byte for byte), "new" (whole: every checksum verified, and the
    same answers as an uninterrupted build; builds are not byte-reproducible), or
    "broken"."""
    from transcript_qa.build import load_index
    from transcript_qa.errors import TranscriptQAError

    if snapshot(target) == old:
        return "previous"
    try:
        index = load_index(target, build=False, on_stale="ignore", verify=True)
        same = answers(index, questions) == new_answers
        close = getattr(index.passages, "close", None)
        if close:
            close()
    except (TranscriptQAError, OSError):
        return "broken"
    return "new" if same else "broken"


def kill_builds(work: Path, corpus: Path, kills: int, rng: random.Random, questions: Sequence[str]) -> dict[str, Any]:
    """Kill ``index build`` over a previous index at spread points."""
    from transcript_qa.build import load_index

    old_corpus = work / "old-corpus"
    old_corpus.mkdir()
    for p in sorted(corpus.iterdir())[1:]:  # the corpus less its first document (and no manifest)
        if p.name != "corpus.json":
            shutil.copy(p, old_corpus / p.name)
    target = work / "kill-index"
    build = [sys.executable, "-c", _CLI, "index", "build", "--out", str(target)]
    timed_run(build + ["--corpus", str(old_corpus)])
    old = snapshot(target)
    saved_old = work / "saved-old"
    shutil.copytree(target, saved_old)
    length = timed_run(build + ["--corpus", str(corpus)])
    new_answers = answers(load_index(target, build=False, on_stale="ignore"), questions)
    results = []
    for delay in spread(kills, length, rng):
        shutil.rmtree(target)
        shutil.copytree(saved_old, target)
        killed = run_killed(build + ["--corpus", str(corpus)], delay)
        left = leftovers(target)
        if target.exists():
            outcome = index_state(target, old, new_answers, questions)
        else:
            try:  # what a query does next: recover() puts back a complete copy, or nothing
                load_index(target, build=False, on_stale="ignore")
                state = index_state(target, old, new_answers, questions)
                outcome = f"restored {state}" if state != "broken" else "broken"
            except Exception:  # noqa: BLE001
                outcome = "missing"
        results.append({"delay_s": round(delay, 3), "killed": killed, "outcome": outcome, "leftovers": len(left)})
    timed_run(build + ["--corpus", str(corpus)])
    return {"run_s": round(length, 2), "points": results, "leftovers_after_next_build": leftovers(target)}


def kill_batches(work: Path, corpus: Path, kills: int, rng: random.Random) -> dict[str, Any]:
    """Kill ``batch -o OUT`` over a previous output file at spread points."""
    index = work / "batch-index"
    subprocess.run([sys.executable, "-c", _CLI, "index", "build", "--corpus", str(corpus), "--out", str(index)],
                   cwd=REPO_ROOT, env=cli_env(), check=True, capture_output=True)
    old_q, new_q = work / "old.txt", work / "new.txt"
    old_q.write_text("\n".join(QUESTIONS[:10]) + "\n")
    new_q.write_text("\n".join(QUESTIONS * 40) + "\n")  # long enough to be killed while writing
    out = work / "answers.jsonl"
    batch = [sys.executable, "-c", _CLI, "batch", "--index", str(index), "-o", str(out)]
    timed_run(batch[:-2] + [str(old_q)] + batch[-2:])
    old = out.read_bytes()
    length = timed_run(batch[:-2] + [str(new_q)] + batch[-2:])
    new = out.read_bytes()
    results = []
    for delay in spread(kills, length, rng):
        out.write_bytes(old)
        killed = run_killed(batch[:-2] + [str(new_q)] + batch[-2:], delay)
        state = out.read_bytes() if out.is_file() else None
        outcome = "previous" if state == old else "new" if state == new else "missing" if state is None else "broken"
        results.append({"delay_s": round(delay, 3), "killed": killed, "outcome": outcome,
                        "leftovers": len(leftovers(out))})
    timed_run(batch[:-2] + [str(new_q)] + batch[-2:])
    return {"run_s": round(length, 2), "points": results, "leftovers_after_next_run": leftovers(out)}


# ------------------------------------------------------------------- indexes


def build_small(work: Path, corpus: Path) -> tuple[Path, Path]:
    from transcript_qa.build import build_index

    a, b = work / "a", work / "b"
    build_index(corpus, a)
    other = work / "other-corpus"
    other.mkdir()
    for p in sorted(corpus.iterdir())[:-2]:  # a different corpus: every file of its index differs
        shutil.copy(p, other / p.name)
    build_index(other, b, stem=False)
    return a, b


def build_large(work: Path, passages: int) -> tuple[Path, Path, list[str]]:
    """Two indexes of seeded synthetic passages (synthetic.py's generator), over 64 MiB
    each at 40,000 passages, and questions for the first."""
    import synthetic

    from transcript_qa.build import build_index_from_passages
    from transcript_qa.model import Passage

    out = []
    for seed, name in ((1, "large-a"), (2, "large-b")):
        corpus, queries = work / f"{name}.jsonl", work / f"{name}-q.json"
        synthetic.generate(passages, seed, corpus, queries)
        rows = [json.loads(line) for line in corpus.read_text().splitlines()]
        built = build_index_from_passages(
            Passage(id=pid, document=meeting, kind="transcript", title=meeting, date=None, position=pos, text=text,
                    start=0, end=len(text), speaker=speaker) for pid, meeting, pos, speaker, text in rows)
        built.save(work / name)
        out.append(work / name)
    questions = [q["query"] for q in json.loads((work / "large-a-q.json").read_text())["single"][:10]]
    return out[0], out[1], questions


# ------------------------------------------------------------------- report


def render(result: dict[str, Any]) -> str:
    parts = []
    for c in result["corruption"]:
        rows = []
        for fault in FAULTS:
            row = c["by_fault"].get(fault)
            if row:
                applied = sum(row[k] for k in OUTCOMES)
                rows.append([fault, applied, row["detected"], row["crash"], row["wrong answers"], row["unnoticed"],
                             row["n/a"], row["verify detected"] if c["verify"] else "-"])
        share = f"{100 * c['detected_share']:.1f}%" if c["detected_share"] is not None else "-"
        parts.append(table(["fault", "trials", "detected", "crash", "wrong answers", "unnoticed", "n/a", "by verify"],
                           rows, title=f"Corruption, {c['index']} ({c['index_bytes'] / 2**20:.1f} MiB, {c['files']} "
                                       f"files): {c['detected']}/{c['trials']} detected ({share})"))
    for name, key in (("index build", "builds"), ("batch -o", "batches")):
        k = result.get(key)
        if not k:
            continue
        counts: dict[str, int] = {}
        for p in k["points"]:
            counts[p["outcome"]] = counts.get(p["outcome"], 0) + 1
        after = k.get("leftovers_after_next_build", k.get("leftovers_after_next_run"))
        parts.append(table(["outcome", "kill points"], sorted(counts.items()),
                           title=f"kill -9 during `{name}` ({len(k['points'])} points over {k['run_s']} s; "
                                 f"leftovers after the next run: {len(after)})"))
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flips", type=int, default=3, help="flipped-byte trials per file (default 3)")
    parser.add_argument("--kills", type=int, default=20, help="kill points for build and for batch (default 20 each)")
    parser.add_argument("--large", type=int, default=0, metavar="PASSAGES",
                        help="also test a synthetic index of this many passages (40000 gives ~90 MiB)")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: three small documents, --flips 1 --kills 2, 5 questions")
    parser.add_argument("--out", default="faults", help="results name or path (default benchmarks/results/faults.json)")
    args = parser.parse_args(argv)
    if args.quick:
        args.flips, args.kills = 1, 2
    questions = QUESTIONS[:5] if args.quick else QUESTIONS[:20]
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="tqa-faults-work-"))
    result: dict[str, Any] = {"machine": machine(), "settings": vars(args), "corruption": []}
    corpus, label = CORPUS, "bundled corpus"
    try:
        if args.quick:  # its three smallest documents
            corpus, label = work / "quick-corpus", "three documents of the bundled corpus"
            corpus.mkdir()
            for p in sorted(CORPUS.glob("*.txt"), key=lambda p: p.stat().st_size)[:3]:
                shutil.copy(p, corpus / p.name)
        a, b = build_small(work, corpus)
        c = corruption(a, b, questions, args.flips, args.seed, label)
        c["verify"] = has_verify()
        result["corruption"].append(c)
        if args.large:
            la, lb, large_questions = build_large(work, args.large)
            size = folder_bytes(la)
            c = corruption(la, lb, large_questions, args.flips, args.seed,
                           f"synthetic, {args.large} passages" + (" (over 64 MiB)" if size > LARGE_BYTES else ""))
            c["verify"] = has_verify()
            result["corruption"].append(c)
        result["builds"] = kill_builds(work, corpus, args.kills, rng, questions)
        result["batches"] = kill_batches(work, corpus, args.kills, rng)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(render(result))
    path = write_results(args.out, result)
    print(f"\nresults: {path}")
    return result


if __name__ == "__main__":
    main()
