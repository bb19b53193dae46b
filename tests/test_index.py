"""Saved indexes: round trip, checks on load, staleness, atomic writes, no pickle."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from transcript_qa import store as index_module
from transcript_qa.errors import IndexError_, IndexFormatError, IndexMissingError, StaleIndexError
from transcript_qa.build import build_index, build_index_from_passages, load_index
from transcript_qa.index import read_index
from transcript_qa.model import Passage

ROOT = Path(__file__).resolve().parent.parent

MEETING = """Housing Committee - 3 March 2023

Transcript of Agenda Item 4 - Housing for Prison Leavers

Jane Smith AM (Chair): Welcome everyone. Our first question is about housing for people leaving prison. Tom, where does Community Accommodation Service Tier 3 (CAS3) fit in?

Tom Jones (Director of Housing, City Council): CAS3 gives people leaving prison up to 84 nights of temporary accommodation. We have a duty to refer people who are at risk of homelessness.

Jane Smith AM (Chair): Thank you.

Ann Lee AM: How much did the council spend on agency staff last year?

Tom Jones (Director of Housing, City Council): We spent £367,628 on agency staff, which is 13 per cent of the staffing budget.

Jane Smith AM (Chair): Assembly Member Lee.

Ann Lee AM: When will the Release Protocol be published?

Tom Jones (Director of Housing, City Council): The Release Protocol will be published in the autumn, after consultation with the boroughs.
"""

MANIFEST = {
    "format": 1,
    "title": "Small test corpus",
    "documents": [
        {"file": "meeting.txt", "id": "meeting", "title": "Housing Committee, 3 March 2023",
         "kind": "transcript", "date": "2023-03-03"}
    ],
}


@pytest.fixture()
def corpus_dir(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "meeting.txt").write_text(MEETING, encoding="utf-8")
    (root / "corpus.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
    return root


@pytest.fixture()
def built(corpus_dir: Path, tmp_path: Path) -> Path:
    out = tmp_path / "idx"
    build_index(corpus_dir, out)
    return out


def _ranking(idx, query: str):
    return [(h.passage.id, h.score) for h in idx.search(query, k=5)]


def test_round_trip_gives_the_same_answers(corpus_dir, tmp_path):
    out = tmp_path / "idx"
    fresh = build_index(corpus_dir, out)
    loaded = load_index(out, build=False)
    for query in ("agency staff", "CAS3 accommodation", "when will the protocol be published"):
        assert _ranking(loaded, query) == _ranking(fresh, query)
    assert [p.to_dict() for p in loaded.passages] == [p.to_dict() for p in fresh.passages]
    assert loaded.glossary() == fresh.glossary()
    assert loaded.speakers() == fresh.speakers()
    assert loaded.info()["counts"] == fresh.manifest["counts"]


def test_manifest_describes_the_build(built, corpus_dir):
    manifest = json.loads((built / "manifest.json").read_text())
    assert manifest["format"] == index_module.FORMAT_VERSION
    assert manifest["library_version"]
    assert manifest["sklearn_version"]
    assert manifest["settings"]["analysis"]["stem"] is True
    assert manifest["counts"]["passages"] == 10
    from transcript_qa.corpus import corpus_fingerprint

    assert manifest["corpus"]["fingerprint"] == corpus_fingerprint(corpus_dir)
    for name, meta in manifest["files"].items():
        assert (built / name).stat().st_size == meta["bytes"]
        assert len(meta["sha256"]) == 64


def test_arrays_load_without_pickle(built):
    for path in built.glob("*.npy"):
        array = np.load(path, allow_pickle=False)
        assert not array.dtype.hasobject
    assert not list(built.glob("*.pkl")) and not list(built.glob("*.joblib"))


def test_loading_never_unpickles(built, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("pickle used while loading an index")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "Unpickler", refuse)
    idx = load_index(built, build=False)
    assert idx.search("agency staff", k=1)


def test_corrupt_file_is_reported_with_how_to_rebuild(built):
    path = built / "codes.npy"
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(IndexFormatError) as err:
        load_index(built, build=False)
    assert "codes.npy" in str(err.value)
    assert "transcript-qa index build" in str(err.value)


def test_truncated_array_is_reported(built):
    path = built / "ids.npy"
    path.write_bytes(path.read_bytes()[:-8])
    with pytest.raises(IndexFormatError, match="ids.npy"):
        load_index(built, build=False)


def test_truncated_array_is_caught_even_without_checksums(built):
    path = built / "codes.npy"
    path.write_bytes(path.read_bytes()[:-8])
    manifest = json.loads((built / "manifest.json").read_text())
    manifest["files"]["codes.npy"]["bytes"] = path.stat().st_size
    manifest["files"]["codes.npy"]["crc32_ends"] = index_module._crc_ends(path)
    (built / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexFormatError, match="codes.npy"):
        read_index(built, verify=False)


def test_foreign_format_version_is_refused(built):
    manifest = json.loads((built / "manifest.json").read_text())
    manifest["format"] = 999
    (built / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexFormatError, match="format 999.*transcript-qa index build"):
        load_index(built, build=False)


def test_garbage_manifest_is_refused(built):
    (built / "manifest.json").write_text("{not json")
    with pytest.raises(IndexFormatError, match="manifest"):
        load_index(built, build=False)


def test_missing_index_without_build_says_how_to_build(tmp_path):
    with pytest.raises(IndexMissingError, match="transcript-qa index build"):
        load_index(tmp_path / "nothing", build=False)


def test_stale_corpus_is_detected(built, corpus_dir):
    (corpus_dir / "meeting.txt").write_text(MEETING + "\nAnn Lee AM: One more question.\n", encoding="utf-8")
    with pytest.raises(StaleIndexError, match="transcript-qa index build"):
        load_index(built, build=False, on_stale="error")
    notes: list[str] = []
    idx = load_index(built, build=False, on_stale="warn", notify=notes.append)
    assert idx.info()["stale"] is True
    assert len(notes) == 1 and "stale" in notes[0]


def test_stale_index_is_rebuilt_with_a_notice(built, corpus_dir):
    (corpus_dir / "meeting.txt").write_text(MEETING + "\nAnn Lee AM: One more question about gardens.\n", encoding="utf-8")
    notes: list[str] = []
    idx = load_index(built, build=False, on_stale="rebuild", notify=notes.append)
    assert len(notes) == 1 and "rebuilding" in notes[0]
    assert idx.search("gardens", k=1)
    assert load_index(built, build=False, on_stale="error").info()["stale"] is False


def test_an_index_built_by_another_parser_version_is_stale(built, monkeypatch):
    # same files, but a parser that would give them different passages
    import transcript_qa.corpus_files as corpus_files

    assert load_index(built, build=False, on_stale="error").info()["stale"] is False
    monkeypatch.setattr(corpus_files, "PARSER_VERSION", corpus_files.PARSER_VERSION + 1)
    with pytest.raises(StaleIndexError, match="transcript-qa index build"):
        load_index(built, build=False, on_stale="error")


def test_default_index_is_built_on_first_use_with_one_notice(corpus_dir, tmp_path, monkeypatch):
    target = tmp_path / "cache" / "default"
    monkeypatch.setenv("TRANSCRIPT_QA_INDEX", str(target))
    monkeypatch.setenv("TRANSCRIPT_QA_CORPUS", str(corpus_dir))
    notes: list[str] = []
    idx = load_index(None, notify=notes.append)
    assert len(notes) == 1 and str(target) in notes[0]
    assert (target / "manifest.json").is_file()
    assert idx.search("agency staff", k=1)
    load_index(None, notify=notes.append)
    assert len(notes) == 1  # no notice the second time


def test_failed_write_leaves_the_old_index_intact(built, monkeypatch):
    before = _ranking(load_index(built, build=False), "agency staff")
    original = index_module._write_files

    def crash(index, folder):
        original(index, folder)
        raise OSError("disk full")

    monkeypatch.setattr(index_module, "_write_files", crash)
    other = build_index_from_passages([_p(0, "something else entirely")])
    with pytest.raises(OSError, match="disk full"):
        other.save(built)
    assert _ranking(load_index(built, build=False), "agency staff") == before
    leftovers = [p.name for p in built.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_crash_between_renames_is_recovered(built):
    old = built.parent / f".{built.name}.old-12345"
    os.rename(built, old)
    idx = load_index(built, build=False)
    assert idx.search("agency staff", k=1)


def test_save_refuses_to_overwrite_a_folder_that_is_not_an_index(tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    idx = build_index_from_passages([_p(0, "hello world")])
    with pytest.raises(IndexError_, match="refusing"):
        idx.save(folder)
    assert (folder / "notes.txt").read_text() == "mine"


def test_boilerplate_is_kept_for_context_but_not_indexed(built):
    idx = load_index(built, build=False)
    assert idx.passages[0].boilerplate == "metadata"
    assert all(h.passage.boilerplate is None for h in idx.search("housing committee march", k=10))
    assert idx.context("meeting:2", before=5, after=0)[0].id == "meeting:2"


def test_query_path_imports_neither_nltk_nor_sklearn(built):
    code = (
        "import sys\n"
        "from transcript_qa.build import load_index\n"
        f"idx = load_index({str(built)!r}, build=False)\n"
        "answer = idx.ask('who talked about agency staff and unknownword')\n"
        "assert answer.hits\n"
        "print(','.join(m for m in ('nltk', 'sklearn', 'scipy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def _p(i: int, text: str, **kw) -> Passage:
    return Passage(id=f"d:{i}", document="d", kind="transcript", title="T", date=None, position=i,
                   text=text, start=0, end=len(text), **kw)


def test_unreadable_default_index_is_rebuilt_with_a_notice(corpus_dir, tmp_path, monkeypatch):
    target = tmp_path / "cache" / "default"
    monkeypatch.setenv("TRANSCRIPT_QA_INDEX", str(target))
    monkeypatch.setenv("TRANSCRIPT_QA_CORPUS", str(corpus_dir))
    load_index(None)
    victim = next(iter(target.glob("seg-*/vocab.json")), target / "vocab.json")  # the default index is in segments
    victim.write_text("[]")
    notes: list[str] = []
    idx = load_index(None, notify=notes.append)
    assert len(notes) == 1 and "rebuilding" in notes[0]
    assert idx.search("agency staff", k=1)
