"""The index format: compressed postings round-trip, damage is detected
(bounds on load, a checksum of every file's ends on open, everything with
``index verify``), and a damaged posting never gives a traceback."""

from __future__ import annotations

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
from transcript_qa.index import read_index
from transcript_qa.model import Passage


def _passages(n: int = 300) -> list[Passage]:
    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(400)]
    out = []
    for i in range(n):
        text = " ".join(rng.choice(words, size=int(rng.integers(3, 60))))
        out.append(Passage(id=f"d{i // 30}:{i % 30}", document=f"d{i // 30}", kind="transcript", title="t",
                           date=None, position=i % 30, text=text, start=0, end=len(text)))
    return out


@pytest.fixture()
def saved(tmp_path: Path) -> Path:
    folder = tmp_path / "idx"
    build_index_from_passages(_passages()).save(folder)
    return folder


def _rewrite(folder: Path, name: str, data: bytes) -> None:
    """Replace a file and make the manifest agree (as a careful attacker would)."""
    (folder / name).write_bytes(data)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"][name] = store._digests(folder / name)
    (folder / "manifest.json").write_text(json.dumps(manifest))


def test_postings_round_trip_on_random_lists():
    rng = np.random.default_rng(1)
    n_parts, lists = 100_000, {}
    for t in range(60):
        df = int(rng.choice([0, 1, 5, 127, 128, 129, 3000, 40_000]))
        lists[t] = (np.sort(rng.choice(n_parts, df, replace=False)), rng.integers(1, 65535, df).astype(np.uint16))
    enc = P.encode(np.concatenate([np.full(lists[t][0].size, t) for t in lists]),
                   np.concatenate([lists[t][0] for t in lists]), np.concatenate([lists[t][1] for t in lists]), 60)
    arrays = P.arrays_of(enc)
    assert P.check(arrays, n_parts, full=True) is None
    reader = P.Postings(arrays, n_parts)
    for t, (ids, codes) in lists.items():
        got_ids, got_codes = reader.decode(t)
        assert np.array_equal(got_ids, ids) and np.array_equal(got_codes, codes)
        probe = np.sort(rng.choice(n_parts, 200, replace=False))
        expected = np.zeros(probe.size, dtype=np.uint16)
        at = np.searchsorted(ids, probe)
        found = (at < ids.size) & (ids[np.minimum(at, max(ids.size - 1, 0))] == probe) if ids.size else at < 0
        expected[found] = codes[at[found]]
        assert np.array_equal(reader.lookup(t, probe), expected)
    # delta coding earns its place: about one byte per posting for dense lists
    assert arrays["ids"].nbytes < 1.3 * sum(ids.size for ids, _ in lists.values())


def test_verify_passes_a_sound_index_and_the_cli_says_ok(saved):
    report = store.verify_index(saved)
    assert report["ok"] and report["postings"] > 0
    result = CliRunner().invoke(cli_main, ["index", "verify", str(saved)])
    assert result.exit_code == 0 and result.output.startswith("ok: ")


def test_a_flipped_byte_in_a_large_file_is_found_by_verify(saved, monkeypatch):
    # pretend every file is large: only its ends are checked on open
    monkeypatch.setattr(store, "_FULL_CRC_MAX_BYTES", 0)
    monkeypatch.setattr(store, "_SAMPLE_BYTES", 16)
    manifest = json.loads((saved / "manifest.json").read_text())
    for name in manifest["files"]:
        manifest["files"][name]["crc32_ends"] = store._crc_ends(saved / name)
    (saved / "manifest.json").write_text(json.dumps(manifest))
    path = saved / "codes.npy"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    read_index(saved)  # cheap checks pass: the middle of a large file is not read on open
    with pytest.raises(IndexFormatError, match="codes.npy.*checksum"):
        store.verify_index(saved)
    result = CliRunner().invoke(cli_main, ["index", "verify", str(saved)])
    assert result.exit_code == 1 and "codes.npy" in result.output and "Traceback" not in result.output


def test_a_file_swapped_in_from_another_index_is_refused_on_open(saved, tmp_path):
    other = tmp_path / "other"
    build_index_from_passages(_passages(200)).save(other)
    (saved / "part_passage.npy").write_bytes((other / "part_passage.npy").read_bytes())
    with pytest.raises(IndexFormatError, match="part_passage.npy"):
        read_index(saved)


def test_postings_pointing_outside_the_index_are_refused_on_load(saved):
    last = np.load(saved / "block_last.npy")
    last[len(last) // 2] = 10**8
    import io

    buffer = io.BytesIO()
    np.save(buffer, last)
    _rewrite(saved, "block_last.npy", buffer.getvalue())
    with pytest.raises(IndexFormatError, match="block_last.npy.*out of range"):
        read_index(saved)


@pytest.mark.parametrize("kernel", ["numpy", "numba"])
def test_a_damaged_delta_gives_an_error_not_a_traceback(saved, kernel, monkeypatch):
    if kernel == "numba":
        pytest.importorskip("numba")
    monkeypatch.setenv(topk.KERNEL_ENV, kernel)
    monkeypatch.setattr(topk, "EXHAUSTIVE_POSTINGS", 0)
    index = read_index(saved)
    t = index.term_id("w1")
    start = int(index.segment.postings.term_bytes[t])
    raw = bytearray((saved / "ids.npy").read_bytes())
    header = len(raw) - int(np.load(saved / "ids.npy").nbytes)
    raw[header + start + 3] = 0xFF  # a delta far too large
    _rewrite(saved, "ids.npy", bytes(raw))
    index = read_index(saved)  # the cheap checks do not decode postings
    with pytest.raises(IndexFormatError, match="damaged|outside"):
        index.search("w1 w2 w3", k=5)
    with pytest.raises(IndexFormatError):
        store.verify_index(saved)


def test_search_many_on_threads_equals_one_at_a_time(saved):
    index = read_index(saved)
    queries = [f"w{i} w{i + 7} w{3 * i}" for i in range(40)]
    one = [[(h.passage.id, h.score) for h in hits] for hits in index.search_many(queries, k=5, workers=1)]
    many = [[(h.passage.id, h.score) for h in hits] for hits in index.search_many(queries, k=5, workers=3)]
    assert many == one == [[(h.passage.id, h.score) for h in index.search(q, k=5)] for q in queries]


def test_batch_on_threads_writes_the_same_answers_in_order(saved, tmp_path):
    questions = tmp_path / "q.txt"
    questions.write_text("\n".join(f"w{i} w{i + 3}" for i in range(30)) + "\n")
    runner = CliRunner()
    one = runner.invoke(cli_main, ["batch", str(questions), "--index", str(saved), "-f", "trec", "--workers", "1"])
    many = runner.invoke(cli_main, ["batch", str(questions), "--index", str(saved), "-f", "trec", "--workers", "4"])
    assert one.exit_code == 0 and many.exit_code == 0
    assert many.output == one.output and one.output.count("\n") > 30


def test_an_index_with_nothing_indexed_saves_and_loads(tmp_path):
    only_boilerplate = [Passage(id="d:0", document="d", kind="transcript", title="t", date=None, position=0,
                                text="Hello.", start=0, end=6, boilerplate="metadata")]
    for passages, name in (([], "empty"), (only_boilerplate, "boilerplate")):
        build_index_from_passages(passages).save(tmp_path / name)
        index = read_index(tmp_path / name)
        assert index.search("hello") == [] and index.ask("hello").reason
        assert store.verify_index(tmp_path / name)["postings"] == 0
