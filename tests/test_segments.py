"""Segmented indexes: adds, replacements, removals and merges answer exactly as
a full build over the same documents (same top 10, same scores), with the
same passages, speakers and context."""

from __future__ import annotations

import json
import math
import random
import re
import shutil
from pathlib import Path

import pytest

from transcript_qa.build import build_index, load_index
from transcript_qa.errors import IndexError_, IndexFormatError
from transcript_qa.incremental import add_files, build_segmented, merge_segments, refresh, remove_documents
from transcript_qa.segments import SegmentedIndex, read_segmented

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "fixtures" / "real"


def _pool() -> dict[str, str]:
    """Small real documents: name -> text (parliament and court records, the bundled corpus)."""
    docs = {f"{d.name}.txt": (d / "text.txt").read_text(encoding="utf-8")
            for d in sorted(REAL.iterdir()) if (d / "text.txt").is_file()}
    for f in sorted((ROOT / "corpus").glob("*.txt")):
        docs[f.name] = f.read_text(encoding="utf-8")
    return docs


POOL = _pool()
FIXED_QUESTIONS = ["agency staff spending", "who discussed probation caseloads", "the minister said",
                   "amendment to the bill", "what did the court decide", "who asked about the budget"]


def _ranking(hits):
    return [(h.passage.id, h.score) for h in hits]


def _same(full, seg, what):
    """Same passages in the same order (ties included: both break them by
    document order, then position), same scores."""
    assert [i for i, _ in full] == [i for i, _ in seg], (what, full, seg)
    for (_, a), (_, b) in zip(full, seg):
        assert math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6), (what, full, seg)


def _questions(rng: random.Random, texts: list[str]) -> list[str]:
    words = sorted({w for t in texts for w in re.findall(r"[A-Za-z]{6,}", t)})
    picked = [" ".join(rng.sample(words, 2)) for _ in range(4)] if len(words) >= 2 else []
    return FIXED_QUESTIONS + picked


def _check(seg_path: Path, corpus: Path, tmp: Path, rng: random.Random) -> None:
    full = build_index(corpus, tmp / "full")
    seg = load_index(seg_path, on_stale="ignore")
    assert isinstance(seg, SegmentedIndex)
    assert [p.id for p in seg.passages] == [p.id for p in full.passages]  # one order, whatever the history
    assert seg.stats == full.stats
    assert sorted(seg.filter_values("speaker")) == sorted(full.filter_values("speaker"))
    assert [(s.name, s.passages, s.roles) for s in seg.speakers()] == \
        [(s.name, s.passages, s.roles) for s in full.speakers()]
    assert [(g.short, g.long) for g in seg.glossary()] == [(g.short, g.long) for g in full.glossary()]
    texts = [p.text for p in full.passages]
    for q in _questions(rng, texts):
        a, b = full.search(q, k=10), seg.search(q, k=10)
        _same(_ranking(a), _ranking(b), q)
        by_id = {h.passage.id: h.passage for h in a}
        for h in b:
            if h.passage.id in by_id:
                p = by_id[h.passage.id]
                assert (h.passage.text, h.passage.speaker) == (p.text, p.speaker)
                ctx_full = [x.id for x in full.context(p.id)]
                assert [x.id for x in seg.context(p.id)] == ctx_full
        wa, wb = full.who(q, k=5), seg.who(q, k=5)
        assert [(s.speaker, round(s.score, 6)) for s in wa] == [(s.speaker, round(s.score, 6)) for s in wb], q
    shutil.rmtree(tmp / "full")


@pytest.mark.parametrize("seed", [1, 2])
def test_random_adds_removes_and_merges_rank_like_a_full_build(tmp_path, seed):
    rng = random.Random(seed)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    names = sorted(POOL)
    start = rng.sample(names, 3)
    for n in start:
        (corpus / n).write_text(POOL[n], encoding="utf-8")
    seg_path = tmp_path / "seg"
    build_segmented(corpus, seg_path)
    _check(seg_path, corpus, tmp_path, rng)
    for step in range(7):
        present = sorted(p.name for p in corpus.iterdir())
        absent = [n for n in names if n not in present]
        ops = ["add"] * bool(absent) + ["remove"] * (len(present) > 1) + ["change"] * bool(present) + ["merge"]
        op = rng.choice(ops)
        if op == "add":
            new = rng.sample(absent, min(len(absent), rng.choice([1, 2])))
            for n in new:
                (corpus / n).write_text(POOL[n], encoding="utf-8")
            add_files(seg_path, [corpus / n for n in new])
        elif op == "remove":
            gone = rng.choice(present)
            (corpus / gone).unlink()
            remove_documents(seg_path, [Path(gone).stem])
        elif op == "change":
            name = rng.choice(present)
            text = POOL[name]
            cut = text[: max(200, len(text) * rng.choice([1, 2]) // 3)]
            (corpus / name).write_text(cut + "\n", encoding="utf-8")
            add_files(seg_path, [corpus / name])
        else:
            merge_segments(seg_path)
        _check(seg_path, corpus, tmp_path, rng)


def test_add_writes_a_segment_and_remove_marks_deletions(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    names = sorted(POOL)[:3]
    for n in names[:2]:
        (corpus / n).write_text(POOL[n], encoding="utf-8")
    build_segmented(corpus, tmp_path / "seg")
    (corpus / names[2]).write_text(POOL[names[2]], encoding="utf-8")
    change = add_files(tmp_path / "seg", [corpus / names[2]])
    assert change.added == (Path(names[2]).stem,) and change.segments == 2
    gone = Path(names[0]).stem
    before = read_segmented(tmp_path / "seg")
    question = max((p.text for p in before.passages if p.document == gone), key=len)[:200]
    assert before.search(question, k=1)[0].passage.document == gone
    remove_documents(tmp_path / "seg", [gone])
    idx = read_segmented(tmp_path / "seg")
    assert [s["deleted"] > 0 for s in idx.segments()] == [True, False]
    assert gone not in {p.document for p in idx.passages}
    assert all(h.passage.document != gone for h in idx.search(question))
    merge_segments(tmp_path / "seg")
    idx = read_segmented(tmp_path / "seg")
    assert [s["deleted"] for s in idx.segments()] == [0]
    assert sorted(p.name for p in (tmp_path / "seg").iterdir() if p.name.startswith("seg-")) == \
        [idx.manifest["segments"][0]["name"]]
    assert idx.verify()["ok"]


def test_unknown_document_and_whole_index_are_errors(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(POOL[sorted(POOL)[0]], encoding="utf-8")
    build_segmented(corpus, tmp_path / "seg")
    with pytest.raises(IndexError_, match="no document 'nope'"):
        remove_documents(tmp_path / "seg", ["nope"])
    build_index(corpus, tmp_path / "whole")
    with pytest.raises(IndexError_, match="built whole"):
        remove_documents(tmp_path / "whole", ["a"])


def test_a_corrupt_deletion_bitmap_is_caught(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in sorted(POOL)[:2]:
        (corpus / n).write_text(POOL[n], encoding="utf-8")
    build_segmented(corpus, tmp_path / "seg")
    remove_documents(tmp_path / "seg", [Path(sorted(POOL)[0]).stem])
    manifest = json.loads((tmp_path / "seg" / "manifest.json").read_text())
    bitmap = tmp_path / "seg" / manifest["segments"][0]["deleted"]
    data = bytearray(bitmap.read_bytes())
    data[-1] ^= 1
    bitmap.write_bytes(bytes(data))
    with pytest.raises(IndexFormatError, match="checksum"):
        read_segmented(tmp_path / "seg")


def test_refresh_reindexes_only_what_changed(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    names = sorted(POOL)[:3]
    for n in names[:2]:
        (corpus / n).write_text(POOL[n], encoding="utf-8")
    build_segmented(corpus, tmp_path / "seg")
    (corpus / names[2]).write_text(POOL[names[2]], encoding="utf-8")
    (corpus / names[0]).unlink()
    change = refresh(tmp_path / "seg")
    assert change.added == (Path(names[2]).stem,)
    assert change.removed == (Path(names[0]).stem,)
    idx = load_index(tmp_path / "seg", on_stale="error")
    assert idx.is_stale() is False
    assert refresh(tmp_path / "seg").added == ()


def test_cli_add_remove_merge(tmp_path):
    from click.testing import CliRunner

    from transcript_qa.cli import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    names = sorted(POOL)[:3]
    for n in names[:2]:
        (corpus / n).write_text(POOL[n], encoding="utf-8")
    runner = CliRunner()
    index = str(tmp_path / "ix")
    result = runner.invoke(main, ["index", "build", "--segments", "--corpus", str(corpus), "--out", index])
    assert result.exit_code == 0, result.output
    (corpus / names[2]).write_text(POOL[names[2]], encoding="utf-8")
    result = runner.invoke(main, ["index", "add", str(corpus / names[2]), "--index", index])
    assert result.exit_code == 0 and f"added: {Path(names[2]).stem}" in result.output and "in 2 segments" in result.output
    result = runner.invoke(main, ["index", "remove", Path(names[0]).stem, "--index", index])
    assert result.exit_code == 0 and f"removed: {Path(names[0]).stem}" in result.output
    result = runner.invoke(main, ["index", "merge", "--index", index])
    assert result.exit_code == 0 and "merged 2 segments into one" in result.output and "in 1 segment " in result.output
    result = runner.invoke(main, ["index", "remove", "no-such-doc", "--index", index])
    assert result.exit_code == 1 and "no document 'no-such-doc'" in result.output and "Traceback" not in result.output
    result = runner.invoke(main, ["index", "add", str(tmp_path / "missing.txt"), "--index", index])
    assert result.exit_code in (1, 2) and "Traceback" not in result.output


def test_the_default_index_refreshes_only_the_changed_document(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    names = sorted(POOL)[:3]
    for n in names[:2]:
        (corpus / n).write_text(POOL[n], encoding="utf-8")
    monkeypatch.setenv("TRANSCRIPT_QA_INDEX", str(tmp_path / "cache" / "default"))
    monkeypatch.setenv("TRANSCRIPT_QA_CORPUS", str(corpus))
    first = load_index(None)
    assert isinstance(first, SegmentedIndex)
    untouched = set((tmp_path / "cache" / "default").glob("seg-*"))
    (corpus / names[2]).write_text(POOL[names[2]], encoding="utf-8")
    notes: list[str] = []
    idx = load_index(None, notify=notes.append)
    assert notes == [f"updated the index {tmp_path / 'cache' / 'default'} from {corpus}: 1 document added or changed"]
    assert untouched < set((tmp_path / "cache" / "default").glob("seg-*"))  # the first segment was kept
    assert Path(names[2]).stem in {d.id for d in idx.documents()}
    assert load_index(None, notify=notes.append) and len(notes) == 1  # up to date: nothing more


def test_a_folder_of_other_files_is_never_replaced_by_a_segmented_build(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(POOL[sorted(POOL)[0]], encoding="utf-8")
    with pytest.raises(IndexError_, match="never overwritten"):
        build_segmented(corpus, tmp_path / "out")
    assert (tmp_path / "out" / "notes.txt").read_text() == "mine"


def test_index_verify_checks_a_segmented_index_and_finds_a_flipped_byte(tmp_path):
    """`index verify` works on the layout the default index uses: it says ok
    for a sound segmented index and names the damaged file of a segment."""
    from click.testing import CliRunner

    from transcript_qa.cli import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in sorted(POOL)[:2]:
        (corpus / name).write_text(POOL[name], encoding="utf-8")
    build_segmented(corpus, tmp_path / "seg")
    add_files(tmp_path / "seg", [corpus / sorted(POOL)[0]])  # two segments, one with deletions
    sound = CliRunner().invoke(main, ["index", "verify", str(tmp_path / "seg")])
    assert sound.exit_code == 0, sound.output
    assert "in 2 segments" in sound.output and sound.output.startswith("ok: ")
    segment = sorted(p for p in (tmp_path / "seg").iterdir() if p.is_dir())[0]
    target = max((p for p in segment.iterdir() if p.suffix == ".npy"), key=lambda p: p.stat().st_size)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    damaged = CliRunner().invoke(main, ["index", "verify", str(tmp_path / "seg")])
    assert damaged.exit_code == 1 and target.name in damaged.output and "Traceback" not in damaged.output


def _doc(doc_id: str, texts: list[str]):
    from transcript_qa.incremental import NewDocument
    from transcript_qa.model import Document, Passage

    passages = tuple(Passage(id=f"{doc_id}:{i}", document=doc_id, kind="transcript", title=doc_id, date=None,
                             position=i, text=t, start=0, end=len(t), speaker="Ann Lee", speaker_label="Ann Lee")
                     for i, t in enumerate(texts))
    return NewDocument(Document(id=doc_id, title=doc_id, kind="transcript", date=None, path=f"{doc_id}.txt"),
                       passages)


def test_ties_are_broken_by_document_order_whatever_the_history(tmp_path):
    """Equal scores in different segments come in document order (then
    position), as in a full build: not in the order the segments were added."""
    from transcript_qa.incremental import apply_change, create

    same = "The housing budget was discussed at length by the committee."
    texts = {d: [f"Opening remarks of meeting {d}.", same, f"Closing words for {d}."] for d in ("a", "b", "c")}
    create(tmp_path / "full", [_doc(d, texts[d]) for d in "abc"], settings={})
    create(tmp_path / "grown", [_doc("c", texts["c"])], settings={})
    apply_change(tmp_path / "grown", add=[_doc("b", texts["b"])], merge=None)
    apply_change(tmp_path / "grown", add=[_doc("a", texts["a"])], merge=None)
    full, grown = read_segmented(tmp_path / "full"), read_segmented(tmp_path / "grown")
    assert len(grown.segments()) == 3
    hits = [h.passage.id for h in grown.search("housing budget", k=3)]
    assert hits == ["a:1", "b:1", "c:1"] == [h.passage.id for h in full.search("housing budget", k=3)]
    assert [p.id for p in grown.passages] == [p.id for p in full.passages]
    assert [c.id for c in grown.context("b:1")] == ["b:0", "b:1", "b:2"]


def test_index_info_counts_the_size_of_every_segment(tmp_path):
    from transcript_qa.incremental import apply_change, create

    create(tmp_path / "ix", [_doc("a", ["One turn about housing.", "Another about budgets."])], settings={})
    apply_change(tmp_path / "ix", add=[_doc("b", ["A second meeting on schools."])], merge=None)
    size = sum(f.stat().st_size for f in (tmp_path / "ix").rglob("*") if f.is_file())
    info = read_segmented(tmp_path / "ix").info()
    top = sum(f.stat().st_size for f in (tmp_path / "ix").iterdir() if f.is_file())
    assert info["size_bytes"] == size > 2 * top  # the segments' files, not only the top-level files
