"""Bigrams that only one part holds are kept in a compact table (code, part,
posting code) instead of as terms with a posting block: they answer exactly
as a term with a one-posting block would, and damage to the table is caught
on load and by ``index verify``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from transcript_qa import postings as P
from transcript_qa import store, topk
from transcript_qa.build import build_index_from_passages
from transcript_qa.cli import main as cli_main
from transcript_qa.errors import IndexFormatError
from transcript_qa.index import Index, read_index
from transcript_qa.model import Passage
from transcript_qa.segment import SINGLE_NAMES, bigram_code

WORDS = [f"w{i}" for i in range(500)]
FREQ = 1.0 / np.arange(1, 501) ** 0.8
FREQ /= FREQ.sum()


def _corpus(seed: int = 5) -> list[Passage]:
    rng = np.random.default_rng(seed)
    out = []
    for d in range(20):
        for i in range(int(rng.integers(5, 30))):
            n = int(rng.choice([2, 8, 25, 90, 300]))
            text = " ".join(rng.choice(WORDS, size=n, p=FREQ))
            out.append(Passage(id=f"d{d}:{i}", document=f"d{d}", kind="transcript", title="t", date=None,
                               position=i, text=text, start=0, end=len(text), speaker=f"S{int(rng.integers(0, 5))}"))
    return out


def _every_bigram_in_blocks(index: Index) -> Index:
    """The same index with every bigram a term with a posting block (the
    format before the single-bigram table): the reference."""
    seg = index.segment
    n_uni = seg.n_unigrams
    keys = np.r_[np.asarray(seg.bigrams), seg.single_codes()]
    order = np.argsort(keys, kind="stable")
    old_ids = np.r_[np.arange(n_uni), n_uni + order]  # new term number of the i-th term in code order
    term, part, code = [], [], []
    for new_t, t in enumerate(old_ids.tolist()):
        p, c = seg.decode(int(t))
        term.append(np.full(p.size, new_t))
        part.append(p)
        code.append(c)
    enc = P.encode(np.concatenate(term), np.concatenate(part), np.concatenate(code), old_ids.size)
    arrays = dict(index.saved_arrays())
    arrays.update(P.arrays_of(enc))
    arrays["bigrams"] = keys[order]
    for name in SINGLE_NAMES:
        arrays.pop(name)
    return Index(passages=index.passages, manifest=index.manifest, arrays=arrays, vocab=index._vocab,
                 columns=index._columns, glossary=index._glossary, tables=index._tables,
                 speakers=index._speakers, documents=index._documents, settings=index.settings)


def _pair_queries(passages: list[Passage], n: int) -> list[str]:
    """Questions made of words next to each other in a passage (so they hit
    bigrams, many of them held by a single part)."""
    rng = np.random.default_rng(11)
    out = []
    for _ in range(n):
        words = passages[int(rng.integers(0, len(passages)))].text.split()
        a = int(rng.integers(0, max(1, len(words) - 3)))
        out.append(" ".join(words[a:a + int(rng.integers(2, 5))]))
    return out


def test_a_bigram_one_part_holds_is_a_row_of_the_table_with_df_one():
    index = build_index_from_passages(_corpus())
    seg = index.segment
    assert seg.single_second.shape[0] > seg.bigrams.shape[0] > 0  # most bigrams are held by one part
    i = seg.single_second.shape[0] // 2
    key = int(seg.single_codes()[i])
    text = index.term_text(seg.n_blocked + i)
    first, second = text.split(" ")
    assert bigram_code(index.term_id(first), index.term_id(second)) == key
    tid = index.term_id(text)
    assert tid == seg.n_blocked + i and seg.df[tid] == 1 and seg.df[np.array([tid, 0])][0] == 1
    parts, codes = seg.decode(tid)
    passage = index.passages[int(seg.part_passage[parts[0]])]
    assert f"{first} {second}" in " ".join(passage.text.split())  # the analyser does not stem "w12"
    assert seg.bound(tid) == (int(codes[0]) >> 8, int(codes[0]) & 0xFF)
    assert index.idf[tid] == pytest.approx(index.stats.idf(np.array([1]))[0])


@pytest.mark.parametrize("kernel", ["numpy", "numba"])
@pytest.mark.parametrize("settings", [{}, {"scoring": "bm25", "bigram_weight": 1.0, "bigram_evidence": 0.0},
                                      {"context_sources": 3, "bigram_evidence": 50.0}])
def test_answers_are_those_of_every_bigram_in_a_posting_block(kernel, settings, monkeypatch):
    if kernel == "numba":
        pytest.importorskip("numba")
    monkeypatch.setenv(topk.KERNEL_ENV, kernel)
    monkeypatch.setattr(topk, "EXHAUSTIVE_POSTINGS", 0)
    passages = _corpus()
    index = build_index_from_passages(passages).with_settings(**settings)
    reference = _every_bigram_in_blocks(index).with_settings(**settings)
    for q in _pair_queries(passages, 60):
        got = [(h.passage.id, h.score) for h in index.search(q, k=7)]
        want = [(h.passage.id, h.score) for h in reference.search(q, k=7)]
        assert got == want, q
        assert [(s.speaker, s.score) for s in index.who(q)] == [(s.speaker, s.score) for s in reference.who(q)]


def _save_array(folder: Path, name: str, array: np.ndarray) -> None:
    buffer = io.BytesIO()
    np.save(buffer, array)
    (folder / name).write_bytes(buffer.getvalue())
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"][name] = store._digests(folder / name)
    (folder / "manifest.json").write_text(json.dumps(manifest))


@pytest.fixture()
def saved(tmp_path: Path) -> Path:
    folder = tmp_path / "idx"
    build_index_from_passages(_corpus()).save(folder)
    return folder


def test_the_table_is_saved_listed_in_the_manifest_and_verified(saved):
    files = json.loads((saved / "manifest.json").read_text())["files"]
    assert {"single_first.npy", "single_second.npy"} <= set(files)
    report = store.verify_index(saved)
    index = read_index(saved)
    assert report["postings"] == int(index.segment.postings.codes.shape[0])
    raw = bytearray((saved / "single_second.npy").read_bytes())
    raw[-1] ^= 0x01
    (saved / "single_second.npy").write_bytes(bytes(raw))
    result = CliRunner().invoke(cli_main, ["index", "verify", str(saved)])
    assert result.exit_code == 1 and "single_second.npy" in result.output and "Traceback" not in result.output


def _tail(index_folder: Path) -> int:
    return int(np.load(index_folder / "single_second.npy").shape[0])


@pytest.mark.parametrize("name, damage, message", [
    ("block_last.npy", lambda a, s: np.where(np.arange(a.size) == a.size - s // 2, 10**7, a).astype(a.dtype),
     "out of range"),
    ("single_second.npy", lambda a, s: a[::-1].copy(), "not ascending"),
    ("single_second.npy", lambda a, s: np.r_[a[:-1], 10**6].astype(a.dtype), "out of range"),
    ("single_first.npy", lambda a, s: np.r_[a[:-1], a[-1] + 1].astype(a.dtype), "row offsets"),
    ("codes.npy", lambda a, s: np.r_[a[:-1], a[-1] & 0xFF].astype(a.dtype), "term frequency"),
    ("single_second.npy", lambda a, s: a[:-1].copy(), "offsets do not match"),
])
def test_a_damaged_table_is_refused_on_load(saved, name, damage, message):
    _save_array(saved, name, damage(np.load(saved / name), _tail(saved)))
    with pytest.raises(IndexFormatError, match=message):
        read_index(saved)


def test_a_table_posting_that_disagrees_with_its_block_is_found_by_verify(saved):
    ids = np.load(saved / "ids.npy")
    ids[-4:] = np.array([7], dtype="<u4").view(np.uint8)  # the last one-off bigram's delta: part 6
    _save_array(saved, "ids.npy", ids)
    read_index(saved)  # the cheap checks do not decode postings
    with pytest.raises(IndexFormatError, match="single-bigram table"):
        store.verify_index(saved)


def test_an_index_of_the_previous_format_asks_for_a_rebuild(saved):
    manifest = json.loads((saved / "manifest.json").read_text())
    manifest["format"] = store.FORMAT_VERSION - 1
    (saved / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexFormatError, match="index build"):
        read_index(saved)


def test_chunks_spilled_to_disk_and_merged_in_small_ranges_give_the_same_index(monkeypatch):
    """The merge reads spilled runs a slice at a time; however the build is
    cut (chunks, memory budget, term ranges, worker processes), the saved
    arrays are the same."""
    from transcript_qa import indexer, vectorize

    passages = _corpus(7)
    built = build_index_from_passages(passages, workers=1)
    whole, tables = built.saved_arrays(), built._tables
    monkeypatch.setattr(indexer, "CHUNK_PASSAGES", 40)
    monkeypatch.setattr(indexer, "RUN_MEMORY_POSTINGS", 3_000)
    monkeypatch.setattr(indexer, "MERGE_POSTINGS", 500)
    monkeypatch.setattr(indexer, "PARALLEL_MIN_PASSAGES", 10)
    monkeypatch.setattr(vectorize, "_SURFACE_CACHE", 60)  # the analysers forget what they saw, often
    monkeypatch.setattr(vectorize, "_PIECE_CACHE", 30)
    for workers in (1, 2):
        cut = build_index_from_passages(passages, workers=workers)
        arrays = cut.saved_arrays()
        assert set(arrays) == set(whole)
        for name in whole:
            assert np.array_equal(np.asarray(arrays[name]), np.asarray(whole[name])), (workers, name)
        assert cut._tables == tables  # every word's stem is still in the table


def test_passages_round_trip_with_only_the_fields_they_set(tmp_path):
    """passages.jsonl leaves out fields at their defaults (most are None for
    most passages) and reads every passage back equal."""
    from dataclasses import replace

    passages = _corpus(3)[:40]
    passages[3] = replace(passages[3], section="Part 2", time_start=0.0, time_end=1.5, links=(passages[4].id,),
                          boilerplate="metadata", party="", role="Chair")
    build_index_from_passages(passages, links=False).save(tmp_path / "idx")
    lines = (tmp_path / "idx" / "passages.jsonl").read_text(encoding="utf-8").splitlines()
    assert "section" not in json.loads(lines[0]) and "links" not in json.loads(lines[0])
    assert json.loads(lines[3])["time_start"] == 0.0 and json.loads(lines[3])["party"] == ""
    index = read_index(tmp_path / "idx")
    assert list(index.passages) == passages
