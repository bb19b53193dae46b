"""Who said what on real transcripts: turn boundaries and speakers, per fixture.

Each folder of ``tests/fixtures/real/`` holds a real public document (see its
SOURCE.md), the publication-style text ``text.txt``, often its structured source
(XML), and ``truth.json`` derived from the structured source by the folder's
``make.py``. This script loads each text **as a user would** (a corpus folder with
no manifest: the kind is detected) and, when there is one, the native file, and
prints:

* **turn boundaries**: turns whose start (line) the parser found / max(true turns, turns found);
* **speakers**: true turns given the right speaker. The speaker is judged per
  person: each true person is paired with the one predicted identity that covers
  most of their turns (one to one), and that identity must carry the person's
  surname (the person, not the office: "The Chair" for Lloyd Longfield is wrong).
  A turn with no person in the truth ("Hon. Members") is right when it has no speaker.
  A person the text never names (the truth's ``named_in_text`` is false: "The Taoiseach"
  in a record that never prints who holds the office) is judged by the pairing alone.

    python benchmarks/attribution.py            # the table
    python benchmarks/attribution.py --json out.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from transcript_qa.corpus import load_corpus  # noqa: E402
from transcript_qa.errors import CorpusError  # noqa: E402
from transcript_qa.speakers import name_key  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "real"


def _load(path: Path) -> tuple[list, str]:
    """Passages of one file loaded as a one-file corpus (kind detected), and the kind."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / path.name
        shutil.copy(path, target)
        corpus = load_corpus(tmp)
    return list(corpus.passages), corpus.documents[0].kind


def _speakers_right(pairs: list[tuple[str | None, str | None, str | None]], total: int) -> float:
    """``pairs`` = (true person, true name, predicted speaker) for the turns found; a true
    name of None with a person means the text never names them (no surname check)."""
    counts = Counter((t, p) for t, _n, p in pairs if t is not None and p is not None)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for (t, p), _c in counts.most_common():
        if t not in mapping and p not in used:
            mapping[t] = p
            used.add(p)
    names = {t: n for t, n, _p in pairs if t is not None}
    right = 0
    for t, _n, p in pairs:
        if t is None:
            right += p is None
            continue
        mapped = mapping.get(t)
        if mapped is None or p != mapped:
            continue
        surname = name_key(names.get(t) or "").split()[-1:] or [""]  # no name: nothing to check
        if surname[0] and surname[0] not in name_key(mapped).split():
            continue
        right += 1
    return right / total if total else 1.0


def score_text(folder: Path, truth: dict) -> dict | None:
    if not truth.get("text"):
        return None
    passages, kind = _load(folder / truth["text"])
    text = (folder / truth["text"]).read_text(encoding="utf-8")
    turns = [p for p in passages if p.speaker_label is not None and p.boilerplate is None]

    def line(offset: int) -> int:  # a turn is found when it starts on the true turn's line
        return text.count("\n", 0, offset)

    by_start = {line(p.start): p for p in turns}
    true_starts = {line(t["start"]) for t in truth["turns"]}
    found = len(true_starts & set(by_start))
    boundaries = found / max(len(true_starts), len(by_start)) if true_starts else 1.0
    pairs = [(t["person"], t.get("name") if t.get("named_in_text", True) else None, by_start[line(t["start"])].speaker)
             for t in truth["turns"] if line(t["start"]) in by_start]
    missed = [t for t in truth["turns"] if line(t["start"]) not in by_start]
    return {
        "kind": kind,
        "turns": len(truth["turns"]),
        "boundaries": boundaries,
        "speakers": _speakers_right(pairs, len(truth["turns"])),
        "missed": [t["head"] for t in missed[:5]],
    }


def score_native(folder: Path, truth: dict, key: str = "native") -> dict | None:
    """The structured file (``native``: XML; ``captions``: SRT) against the truth's
    speeches, in order."""
    if not truth.get(key):
        return None
    try:
        passages, _kind = _load(folder / truth[key])
    except CorpusError as err:  # a version that cannot read the format
        return {"turns": len(truth["speeches"]), "boundaries": 0.0, "speakers": 0.0, "error": str(err)}
    queue = list(passages)
    pairs: list[tuple[str | None, str | None, str | None]] = []
    for speech in truth["speeches"]:
        head = " ".join(speech["head"].split())[:30]
        while queue and not " ".join(queue[0].text.split()).startswith(head):
            queue.pop(0)
        if not queue:
            break
        pairs.append((speech["person"], speech.get("name"), queue.pop(0).speaker))
    total = len(truth["speeches"])
    return {"turns": total, "boundaries": len(pairs) / total if total else 1.0, "speakers": _speakers_right(pairs, total)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    args = parser.parse_args(argv)
    rows = {}
    for folder in sorted(p for p in args.fixtures.iterdir() if (p / "truth.json").is_file()):
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        rows[folder.name] = {"text": score_text(folder, truth), "native": score_native(folder, truth),
                             "captions": score_native(folder, truth, "captions")}
    print("| fixture | turns | kind detected | turn boundaries (text) | speakers (text) | native XML: turns, speakers | SRT captions: turns, speakers |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for name, row in rows.items():
        t = row["text"]
        cells = [f"{r['boundaries']:.1%}, {r['speakers']:.1%}" if r else "–" for r in (row["native"], row["captions"])]
        if t is None:
            turns = (row["native"] or row["captions"] or {}).get("turns", 0)
            print(f"| {name} | {turns} | – | – | – | {cells[0]} | {cells[1]} |")
            continue
        print(f"| {name} | {t['turns']} | {t['kind']} | {t['boundaries']:.1%} | {t['speakers']:.1%} | {cells[0]} | {cells[1]} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
