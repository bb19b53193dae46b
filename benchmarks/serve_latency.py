"""How fast ``transcript-qa serve`` answers: the bundled corpus's 50 seed
questions asked over HTTP on the loopback, as the search page (``/?q=``: the
answer, chart, hits with their context, rendered) and as the JSON API
(``/api/ask?q=``), several rounds each.

"Server time" is what the app reports in its ``Server-Timing`` header (from
the request reaching Flask to the response leaving it); "round trip" adds
waitress, the socket and the client. The server is the real command in its own
process (``python cli.py serve --port 0``), the index built first (not timed);
one untimed round warms it. Target: page median under 100 ms server time.

    python benchmarks/serve_latency.py              # 5 rounds of 50 questions, page and API
    python benchmarks/serve_latency.py --rounds 1   # a quick check
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Sequence

import _common  # noqa: F401
from _common import DATA_DIR, REPO_ROOT, machine, table, write_results

TARGET_MS = 100.0
_TIMING = re.compile(r"app;dur=([\d.]+)")


def questions(limit: int | None = None) -> list[str]:
    lines = (DATA_DIR / "seed_questions.jsonl").read_text(encoding="utf-8").splitlines()
    out = [json.loads(line)["question"] for line in lines if line.strip()]
    return out[:limit] if limit else out


class Server:
    def __init__(self, index: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "cli.py", "serve", "--index", str(index), "--port", "0"],
                                     cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                     stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            match = re.search(r"on (http://\S+/) ", line)
            if match:
                self.url = match.group(1)
                return
            if not line and self.proc.poll() is not None:
                break
        self.stop()
        raise SystemExit("serve_latency: the server did not start")

    def get(self, path: str) -> tuple[float, float]:
        """(server ms, round-trip ms) of one GET."""
        t0 = time.perf_counter()
        with urllib.request.urlopen(self.url.rstrip("/") + path, timeout=60) as response:
            response.read()
            timing = response.headers.get("Server-Timing", "")
        elapsed = (time.perf_counter() - t0) * 1000
        match = _TIMING.search(timing)
        if response.status != 200 or not match:
            raise SystemExit(f"serve_latency: {path} gave {response.status}, Server-Timing {timing!r}")
        return float(match.group(1)), elapsed

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def summary(values: Sequence[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"median_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2),
            "max_ms": round(ordered[-1], 2)}


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds over the questions (default: %(default)s)")
    parser.add_argument("--questions", type=int, default=None, help="use only the first N seed questions")
    parser.add_argument("--index", type=Path, default=None, help="an index already built (default: build one)")
    parser.add_argument("--out", default="serve_latency", help="results name or .json path")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    asked = questions(args.questions)
    endpoints = {"page /?q=": "/?", "api /api/ask?q=": "/api/ask?"}
    with tempfile.TemporaryDirectory(prefix="serve-latency-") as tmp:
        index = args.index
        if index is None:
            index = Path(tmp) / "index"
            subprocess.run([sys.executable, "cli.py", "index", "build", "--out", str(index)], cwd=REPO_ROOT,
                           check=True, capture_output=True)
        server = Server(index)
        try:
            for prefix in endpoints.values():  # warm: first reads of passages, templates compiled
                for q in asked:
                    server.get(prefix + urllib.parse.urlencode({"q": q}))
            times: dict[str, dict[str, list[float]]] = {name: {"server": [], "round_trip": []} for name in endpoints}
            for _ in range(args.rounds):
                for q in asked:
                    for name, prefix in endpoints.items():
                        server_ms, trip_ms = server.get(prefix + urllib.parse.urlencode({"q": q}))
                        times[name]["server"].append(server_ms)
                        times[name]["round_trip"].append(trip_ms)
        finally:
            server.stop()
    result: dict[str, Any] = {
        "benchmark": "serve_latency",
        "machine": machine(),
        "questions": len(asked),
        "rounds": args.rounds,
        "endpoints": {name: {kind: summary(values) for kind, values in t.items()} for name, t in times.items()},
        "target_ms": TARGET_MS,
    }
    page_median = result["endpoints"]["page /?q="]["server"]["median_ms"]
    result["meets_target"] = page_median < TARGET_MS
    print(render(result))
    verdict = "meets" if result["meets_target"] else "MISSES"
    print(f"\npage median {page_median:.1f} ms server time: {verdict} the {TARGET_MS:.0f} ms target")
    path = write_results(args.out, result)
    print(f"results written to {path}", file=sys.stderr)
    return result


def render(data: dict[str, Any]) -> str:
    rows = []
    for name, kinds in data["endpoints"].items():
        s, r = kinds["server"], kinds["round_trip"]
        rows.append([name, f"{s['median_ms']:.1f}", f"{s['p95_ms']:.1f}", f"{r['median_ms']:.1f}", f"{r['p95_ms']:.1f}"])
    return table(["request", "server median ms", "server p95 ms", "round trip median ms", "round trip p95 ms"], rows,
                 title=f"{data['questions']} seed questions x {data['rounds']} rounds, bundled corpus, one server "
                       f"process (target: page median under {data['target_ms']:.0f} ms server time)")


if __name__ == "__main__":
    main()
