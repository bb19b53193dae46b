"""Cold-process latency of ``python cli.py ask "<question>"`` on the bundled
corpus, next to ``python -c "import numpy"`` (the floor: any Python tool that
uses numpy pays it) and ``python -c "pass"`` (the interpreter alone).

The index is built first (``python cli.py index build --out TMP``, not timed);
every timed run is a new process, like a user typing the command. Runs are
interleaved (floor, then each question, N times) so that background load on
the machine hits every command alike. Target: median under 0.5 s.

    python benchmarks/cli_latency.py              # 7 runs of each
    python benchmarks/cli_latency.py --runs 1     # a quick check
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

import _common  # noqa: F401
from _common import REPO_ROOT, machine, table, write_results

QUESTIONS = (
    "who discussed CAS3",
    "how much did London spend on agency staff in April 2022",
    "which witnesses talked about the Dynamic Framework",
    "caseloads of probation officers",
)
TARGET_S = 0.5


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0 or (cmd[1] == "cli.py" and not proc.stdout.strip()):
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise SystemExit(f"cli_latency: {' '.join(cmd[1:3])} failed (exit {proc.returncode}): {tail}")
    return elapsed


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (default: %(default)s)")
    parser.add_argument("--index", type=Path, default=None,
                        help="an index folder already built (default: build one in a temporary folder)")
    parser.add_argument("--question", action="append", default=None, help="a question (repeatable)")
    parser.add_argument("--out", default="cli_latency", help="results name or .json path")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    questions = tuple(args.question or QUESTIONS)
    py = sys.executable

    with tempfile.TemporaryDirectory(prefix="cli-latency-") as tmp:
        index = args.index
        build_s = None
        if index is None:
            index = Path(tmp) / "index"
            t0 = time.perf_counter()
            timed([py, "cli.py", "index", "build", "--out", str(index)])
            build_s = round(time.perf_counter() - t0, 2)
        commands: dict[str, list[str]] = {
            "python -c pass": [py, "-c", "pass"],
            "python -c 'import numpy'": [py, "-c", "import numpy"],
        }
        for q in questions:
            commands[f'cli.py ask "{q}"'] = [py, "cli.py", "ask", q, "--index", str(index)]
        for cmd in commands.values():  # one untimed run each: warm the OS file cache
            timed(cmd)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                times[name].append(timed(cmd))

    ask_times = [t for name, ts in times.items() if name.startswith("cli.py") for t in ts]
    floor = statistics.median(times["python -c 'import numpy'"])
    overall = statistics.median(ask_times)
    result: dict[str, Any] = {
        "benchmark": "cli_latency",
        "machine": machine(),
        "runs": args.runs,
        "index_build_s": build_s,
        "commands": {name: {"median_s": round(statistics.median(ts), 4), "min_s": round(min(ts), 4),
                            "max_s": round(max(ts), 4), "runs": [round(t, 4) for t in ts]}
                     for name, ts in times.items()},
        "ask_median_s": round(overall, 4),
        "numpy_floor_s": round(floor, 4),
        "ask_over_floor_s": round(overall - floor, 4),
        "target_s": TARGET_S,
        "meets_target": overall < TARGET_S,
    }
    rows = [[name, f"{v['median_s']:.3f}", f"{v['min_s']:.3f}", f"{v['max_s']:.3f}",
             f"{v['median_s'] / floor:.2f}x"] for name, v in result["commands"].items()]
    rows.append(["all asks", f"{overall:.3f}", f"{min(ask_times):.3f}", f"{max(ask_times):.3f}",
                 f"{overall / floor:.2f}x"])
    print(table(["command", "median s", "min s", "max s", "vs import numpy"], rows,
                title=f"Cold-process latency, {args.runs} runs each (index built first"
                      + (f" in {build_s} s" if build_s is not None else "") + ", not timed)"))
    verdict = "meets" if overall < TARGET_S else "MISSES"
    print(f"\nask median {overall:.3f} s ({overall - floor:+.3f} s over the numpy floor): {verdict} the "
          f"{TARGET_S} s target")
    path = write_results(args.out, result)
    print(f"results written to {path}", file=sys.stderr)
    return result


if __name__ == "__main__":
    main()
