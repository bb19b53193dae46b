"""Hostile inputs and faults (issue 10): no traceback, nothing lost, nothing overwritten.

One test (or a few) per row of the issue's table. The good documents are real
public records: three small files of the bundled corpus (London Assembly, see
corpus/corpus.json for their sources); the hostile ones are made here.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from transcript_qa import cli
from transcript_qa.build import build_index, load_index
from transcript_qa.corpus import load_corpus
from transcript_qa.errors import IndexError_, IndexFormatError, IndexMissingError, QueryError

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "corpus"
GOOD = {  # file -> document id: small real documents of the bundled corpus
    "2023-01-20-press-release-probation-services.txt": "2023-01-20-press-release-probation-services",
    "2023-03-17-letter-hmpps-response.txt": "2023-03-17-letter-hmpps-response",
    "2023-05-24-covering-report-responses.txt": "2023-05-24-covering-report-responses",
}


def good_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in GOOD:
        shutil.copy(BUNDLED / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def small_index(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hostile") / "index"
    build_index(good_corpus(tmp_path_factory.mktemp("good") / "corpus"), out)
    return out


def run_cli(*args, input=None):
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    return runner.invoke(cli.main, [str(a) for a in args], input=input)


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def loaded_ids(corpus) -> set[str]:
    return {d.id for d in corpus.documents}


# --------------------------------------------------------------------------- batch -o PATH


def test_batch_output_through_a_symlink_replaces_its_target_and_keeps_the_link(small_index, tmp_path):
    (tmp_path / "q.txt").write_text("probation caseloads\n")
    target = tmp_path / "answers.jsonl"
    target.write_text("old\n")
    link = tmp_path / "latest.jsonl"
    link.symlink_to(target.name)
    result = run_cli("batch", tmp_path / "q.txt", "--index", small_index, "-o", link)
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == target.name
    assert json.loads(target.read_text().splitlines()[0])["question"] == "probation caseloads"


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="POSIX only")
def test_batch_output_to_a_dangling_symlink_or_a_socket_is_refused(small_index, tmp_path):
    (tmp_path / "q.txt").write_text("probation caseloads\n")
    dangling = tmp_path / "out.jsonl"
    dangling.symlink_to(tmp_path / "elsewhere" / "x.jsonl")
    result = run_cli("batch", tmp_path / "q.txt", "--index", small_index, "-o", dangling)
    assert result.exit_code == 1 and "does not exist" in result.stderr
    assert dangling.is_symlink() and not (tmp_path / "elsewhere").exists()
    sock_path = tmp_path / "s.sock"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(sock_path))
        result = run_cli("batch", tmp_path / "q.txt", "--index", small_index, "-o", sock_path)
    finally:
        sock.close()
    assert result.exit_code == 1 and "socket" in result.stderr
    assert stat.S_ISSOCK(os.lstat(sock_path).st_mode)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_batch_output_to_a_fifo_is_written_through(small_index, tmp_path):
    (tmp_path / "q.txt").write_text("probation caseloads\n")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run_cli("batch", tmp_path / "q.txt", "--index", small_index, "-o", fifo)
    reader.join(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still a FIFO, not a regular file
    assert received and b"probation caseloads" in received[0]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="making a device node needs root")
def test_batch_output_to_a_character_device_is_written_through_not_replaced(small_index, tmp_path):
    (tmp_path / "q.txt").write_text("probation caseloads\n")
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    result = run_cli("batch", tmp_path / "q.txt", "--index", small_index, "-o", null)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_batch_output_dash_is_stdout(small_index, tmp_path, monkeypatch):
    (tmp_path / "q.txt").write_text("probation caseloads\n")
    monkeypatch.chdir(tmp_path)
    result = run_cli("batch", "q.txt", "--index", small_index, "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert "probation caseloads" in result.stdout
    assert not (tmp_path / "-").exists()


# --------------------------------------------------------------------------- deep nesting


def test_deeply_nested_json_files_and_lines_are_skipped_and_the_build_goes_on(tmp_path):
    root = good_corpus(tmp_path / "c")
    (root / "deep.json").write_text("[" * 5000 + "]" * 5000)
    good_turn = json.dumps({"speaker": "Susan Hall AM (Chairman)", "text": "We now move on to probation."})
    (root / "turns.jsonl").write_text(good_turn + "\n" + '{"a":' * 5000 + "1" + "}" * 5000 + "\n" + good_turn + "\n")
    corpus = load_corpus(root)
    assert set(GOOD.values()) | {"turns"} <= loaded_ids(corpus)
    assert sum(p.document == "turns" for p in corpus.passages) == 2
    deep = [w for w in corpus.warnings if "nested too deeply" in w]
    assert any(w.startswith("deep.json: ") for w in deep) and any(w.startswith("turns.jsonl:2: ") for w in deep)
    assert all("\n" not in w for w in corpus.warnings)
    build_index(root, tmp_path / "index")  # the build goes on


def test_a_deeply_nested_manifest_is_ignored_with_a_warning(tmp_path):
    root = good_corpus(tmp_path / "c")
    (root / "corpus.json").write_text('{"format": 1, "title": ' + "[" * 5000 + "]" * 5000 + ', "documents": []}')
    corpus = load_corpus(root)
    assert loaded_ids(corpus) == set(GOOD.values())
    assert any(w.startswith("corpus.json: nested too deeply") for w in corpus.warnings)


def test_a_deeply_nested_question_line_is_a_line_numbered_problem(small_index, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"question": "probation caseloads"}\n' + '{"q":' * 5000 + "1" + "}" * 5000 + "\n")
    result = run_cli("batch", questions, "--index", small_index)
    assert result.exit_code == 3
    assert "q.jsonl:2: JSON nested too deeply" in result.stderr


# --------------------------------------------------------------------------- settings of the wrong type


def test_a_setting_of_the_wrong_type_in_a_manifest_is_a_format_error_naming_it(small_index, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(small_index, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["settings"]["rank"]["context_window"] = "three"
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexFormatError, match=r"settings\.rank\.context_window must be a whole number, not 'three'"):
        load_index(copy, build=False)
    result = run_cli("ask", "probation", "--index", copy)
    assert result.exit_code == 1 and "context_window" in result.stderr and "Traceback" not in result.stderr


def test_with_settings_of_the_wrong_type_is_a_value_error_naming_it(small_index):
    index = load_index(small_index, build=False)
    with pytest.raises(ValueError, match="context_window must be a whole number, not 'three'"):
        index.with_settings(context_window="three")
    with pytest.raises(ValueError, match="speaker_boost"):
        index.with_settings(speaker_boost=float("nan"))
    assert index.with_settings(context_window=2).search("probation", k=1)


# --------------------------------------------------------------------------- files that are not regular, or too big


_LOAD_IN_A_BOX = textwrap.dedent("""
    import resource, sys, json
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
    from transcript_qa.corpus import load_corpus
    c = load_corpus(sys.argv[1])
    print(json.dumps({"ids": sorted(d.id for d in c.documents), "warnings": list(c.warnings)}))
""")


def _boxed(script: str, root: Path, timeout: float, hung: str) -> Any:
    """What ``script`` prints (JSON) for the corpus ``root``, run in a child
    with a time limit: a hang fails the test (``hung``) instead of the run."""
    try:
        out = subprocess.run([sys.executable, "-c", script, str(root)], cwd=ROOT, capture_output=True,
                             text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(hung)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout)


def _load_boxed(root: Path) -> dict:
    """load_corpus in a child with a memory cap and a time limit: a hang or a
    runaway read fails the test instead of the machine."""
    return _boxed(_LOAD_IN_A_BOX, root, 60, "loading the corpus hung")


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(), reason="POSIX only")
def test_fifos_and_device_symlinks_in_a_corpus_are_skipped_with_a_warning(tmp_path):
    root = good_corpus(tmp_path / "c")
    os.mkfifo(root / "pipe.txt")
    (root / "zero.txt").symlink_to("/dev/zero")
    (root / "random.md").symlink_to("/dev/urandom")
    result = _load_boxed(root)
    assert result["ids"] == sorted(GOOD.values())
    warnings = "\n".join(result["warnings"])
    assert "pipe.txt: not a regular file: a FIFO" in warnings
    assert "zero.txt: not a regular file: a character device" in warnings
    assert "random.md: not a regular file: a character device" in warnings


def test_files_over_the_size_limit_are_skipped_with_a_warning(tmp_path):
    root = good_corpus(tmp_path / "c")
    (root / "corpus.json").write_text(json.dumps({"format": 1, "max_file_mb": 0.005}))  # 5 KiB
    corpus = load_corpus(root)
    assert loaded_ids(corpus) == {"2023-01-20-press-release-probation-services"}  # 2 KB; the others are 6-10 KB
    reasons = {s.path: s.reason for s in corpus.skipped}
    assert reasons["2023-03-17-letter-hmpps-response.txt"].startswith("too large: ")
    assert corpus.fingerprint == __import__("transcript_qa").corpus_files.corpus_fingerprint(root)


# --------------------------------------------------------------------------- an index inside its corpus


def test_an_index_inside_its_corpus_folder_is_not_read_as_documents(tmp_path):
    root = good_corpus(tmp_path / "c")
    index = root / "idx"
    build_index(root, index)
    corpus = load_corpus(root)
    assert loaded_ids(corpus) == set(GOOD.values())
    assert all(not f.startswith("idx/") for f in corpus.files)
    assert any(w.startswith("idx: an index folder") for w in corpus.warnings)
    counts = []
    for _ in range(2):
        notes: list[str] = []
        counts.append(len(load_index(index, build=False, notify=notes.append)))
        assert notes == []  # not stale: no rebuild on every query
    assert counts[0] == counts[1]


# --------------------------------------------------------------------------- leftovers of killed builds


def test_leftovers_of_a_killed_build_are_cleaned_by_the_next_build(tmp_path):
    root = good_corpus(tmp_path / "c")
    index = tmp_path / "idx"
    build_index(root, index)
    pid = dead_pid()
    shutil.copytree(index, tmp_path / f".idx.tmp-{pid}-0badf00d")
    shutil.copytree(index, tmp_path / f".idx.old-{pid}-0badf00d")
    (tmp_path / f".idx.del-{pid}-0badf00d").mkdir()
    build_index(root, index)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c", "idx"]


def test_a_half_deleted_old_index_is_never_resurrected(tmp_path):
    root = good_corpus(tmp_path / "c")
    index = tmp_path / "idx"
    build_index(root, index)
    half = tmp_path / f".idx.old-{dead_pid()}"
    shutil.copytree(index, half)
    victim = sorted(p for p in half.iterdir() if p.name != "manifest.json")[0]
    victim.unlink()  # a build was killed while deleting it
    shutil.rmtree(index)  # the user removes the index
    with pytest.raises(IndexMissingError):
        load_index(index, build=False)
    assert not index.exists()
    notes: list[str] = []
    assert load_index(index, corpus_path=root, notify=notes.append).search("probation", k=1)  # rebuilt instead


def test_a_complete_old_index_left_between_the_renames_is_restored(tmp_path):
    root = good_corpus(tmp_path / "c")
    index = tmp_path / "idx"
    build_index(root, index)
    os.rename(index, tmp_path / f".idx.old-{dead_pid()}-12345678")
    assert load_index(index, build=False).search("probation", k=1)


# --------------------------------------------------------------------------- umask


def test_a_new_index_folder_and_output_honour_the_umask(small_index, tmp_path):
    root = good_corpus(tmp_path / "c")
    (tmp_path / "q.txt").write_text("probation caseloads\n")
    old = os.umask(0o022)
    try:
        build_index(root, tmp_path / "idx")
        run_cli("batch", tmp_path / "q.txt", "--index", small_index, "-o", tmp_path / "out.jsonl")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "idx").stat().st_mode) == 0o755
    assert {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "idx").iterdir()} == {0o644}
    assert stat.S_IMODE((tmp_path / "out.jsonl").stat().st_mode) == 0o644


# --------------------------------------------------------------------------- the default index without its manifest


def test_the_default_index_without_its_manifest_is_rebuilt(tmp_path, monkeypatch):
    root = good_corpus(tmp_path / "c")
    cache = tmp_path / "cache" / "default"
    monkeypatch.setenv("TRANSCRIPT_QA_INDEX", str(cache))
    monkeypatch.setenv("TRANSCRIPT_QA_CORPUS", str(root))
    load_index(None)
    (cache / "manifest.json").unlink()
    notes: list[str] = []
    assert load_index(None, notify=notes.append).search("probation", k=1)
    assert (cache / "manifest.json").is_file() and "manifest is missing" in notes[0]
    (cache / "manifest.json").unlink()
    result = run_cli("index", "build")
    assert result.exit_code == 0, result.stderr
    assert (cache / "manifest.json").is_file()


def test_a_default_index_folder_holding_other_files_is_never_deleted(tmp_path, monkeypatch):
    root = good_corpus(tmp_path / "c")
    cache = tmp_path / "cache" / "default"
    cache.mkdir(parents=True)
    (cache / "notes.txt").write_text("mine")
    monkeypatch.setenv("TRANSCRIPT_QA_INDEX", str(cache))
    monkeypatch.setenv("TRANSCRIPT_QA_CORPUS", str(root))
    with pytest.raises(IndexError_, match="no index manifest") as err:
        load_index(None)
    assert "rm -r" in err.value.hint
    assert (cache / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in cache.parent.iterdir()) == ["default"]


def test_a_named_index_folder_without_manifest_gets_a_hint_naming_the_fix(tmp_path):
    root = good_corpus(tmp_path / "c")
    index = tmp_path / "idx"
    build_index(root, index)
    (index / "manifest.json").unlink()
    for args in (("ask", "probation", "--index", index), ("index", "build", "--corpus", root, "--out", index)):
        result = run_cli(*args)
        assert result.exit_code == 1
        assert f"rm -r {index}" in result.stderr, result.stderr


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize("date", ["2024-13-45", "0000-00-00", "2024", "2024-02-30"])
def test_impossible_or_partial_dates_are_usage_errors_on_the_cli(small_index, date):
    result = run_cli("ask", "probation", "--index", small_index, "--since", date)
    assert result.exit_code == 2, result.stdout
    assert date in result.stderr


def test_impossible_dates_in_question_files_are_line_numbered_problems(small_index, tmp_path):
    csv_file = tmp_path / "q.csv"
    csv_file.write_text("id,question,since,until\na,probation,2022-01-01,\nb,probation,2024-13-45,\n"
                        "c,probation,,0000-00-00\nd,probation,2024,\n")
    result = run_cli("batch", csv_file, "--index", small_index)
    assert result.exit_code == 3
    for line, date in ((3, "2024-13-45"), (4, "0000-00-00"), (5, "2024")):
        assert f"q.csv:{line}: " in result.stderr and date in result.stderr
    assert "answered 1 of 4" in result.stderr
    jsonl = tmp_path / "q.jsonl"
    jsonl.write_text('{"question": "probation"}\n{"question": "probation", "filters": {"until": "2023-02-29"}}\n')
    result = run_cli("batch", jsonl, "--index", small_index)
    assert result.exit_code == 3 and "q.jsonl:2: " in result.stderr and "2023-02-29" in result.stderr


@pytest.mark.parametrize("date", ["2024-13-45", "0000-00-00", "2024", "2024-03"])
def test_impossible_or_partial_dates_are_value_errors_in_the_library(small_index, date):
    index = load_index(small_index, build=False)
    with pytest.raises(ValueError, match=date):
        index.search("probation", since=date)
    with pytest.raises(QueryError):  # also a QueryError, so a batch reports it by line
        index.ask("probation", until=date)
    assert index.search("probation", since="2023-03-17", until="2023-03-17")


# --------------------------------------------------------------------------- text decoding


def test_a_utf8_file_with_one_stray_byte_stays_utf8_with_a_warning_naming_the_byte(tmp_path):
    root = good_corpus(tmp_path / "c")
    letter = root / "2023-03-17-letter-hmpps-response.txt"
    data = letter.read_bytes()
    (root / "spending.txt").write_bytes(
        "The council spent £367,628 on agency staff at the Café.\n".encode("utf-8") + b"\xff\n" + data[:2000])
    corpus = load_corpus(root)
    text = " ".join(p.text for p in corpus.passages if p.document == "spending")
    assert "£367,628" in text and "Café" in text and "Â" not in text
    assert corpus.document("spending").encoding == "utf-8"
    warning = next(w for w in corpus.warnings if w.startswith("spending.txt: not valid UTF-8"))
    offset = len("The council spent £367,628 on agency staff at the Café.\n".encode("utf-8"))
    assert f"byte {offset}, line 2" in warning and "replaced" in warning


def test_a_text_file_with_a_few_nuls_is_read_and_a_true_binary_is_skipped(tmp_path):
    root = good_corpus(tmp_path / "c")
    press = (root / "2023-01-20-press-release-probation-services.txt").read_bytes()
    (root / "with-nul.txt").write_bytes(press[:500] + b"\x00" + press[500:])
    (root / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    corpus = load_corpus(root)
    assert "with-nul" in loaded_ids(corpus) and "image" not in loaded_ids(corpus)
    text = "".join(p.text for p in corpus.passages if p.document == "with-nul")
    assert "\x00" not in text
    assert any(w.startswith("with-nul.txt: 1 NUL byte dropped (first at byte 500") for w in corpus.warnings)
    assert any(w.startswith("image.txt: binary file (PNG image)") for w in corpus.warnings)


# --------------------------------------------------------------------------- manifest keys


def test_unknown_manifest_keys_warn_with_a_did_you_mean(tmp_path):
    root = good_corpus(tmp_path / "c")
    name = "2023-01-20-press-release-probation-services.txt"
    (root / "corpus.json").write_text(json.dumps(
        {"format": 1, "documnets": [], "documents": [{"file": name, "tilte": "Press release"}]}))
    warnings = load_corpus(root).warnings
    assert "corpus.json: unknown key 'documnets' ignored; did you mean 'documents'?" in warnings
    assert f"corpus.json: {name}: unknown key 'tilte' ignored; did you mean 'title'?" in warnings


# --------------------------------------------------------------------------- search arguments


def test_search_arguments_of_the_wrong_kind_are_clear_errors(small_index):
    index = load_index(small_index, build=False)
    with pytest.raises(ValueError, match="k must be 0 or more, not -1"):
        index.search("probation", k=-1)
    with pytest.raises(TypeError, match="the question must be a str, not int"):
        index.search(123)
    with pytest.raises(TypeError, match="k must be an int"):
        index.who("probation", k="5")
    with pytest.raises(ValueError, match="speakers must be 0 or more"):
        index.ask("probation", speakers=-1)
    with pytest.raises(TypeError, match="list of questions"):
        index.search_many("probation")
    assert index.search("probation", k=0) == []


# --------------------------------------------------------------------------- found by the fuzz suite


def test_a_corpus_whose_last_passage_has_no_words_builds(tmp_path):
    root = good_corpus(tmp_path / "c")
    (root / "zz-end.txt").write_text("***\n")  # sorts last; one passage, no indexable word
    index = build_index(root, tmp_path / "idx")
    assert index.search("probation", k=1)


# --------------------------------------------------------------------------- runs of blanks

_TEXTS_IN_A_BOX = textwrap.dedent("""
    import sys, json
    from transcript_qa.corpus import load_corpus
    c = load_corpus(sys.argv[1])
    out = {}
    for p in c.passages:
        d = out.setdefault(p.document, {"text": "", "speakers": []})
        d["text"] += " " + " ".join(p.text.split())
        if p.speaker and p.speaker not in d["speakers"]:
            d["speakers"].append(p.speaker)
    print(json.dumps(out))
""")


def test_long_runs_of_blanks_and_blank_lines_load_without_hanging(tmp_path):
    """Text extracted from PDFs and spreadsheets can hold very long runs of
    blank lines, spaces, tabs or no-break spaces. Some of the patterns that
    tell letters, minutes and press releases apart, and that find labels and
    witnesses, read such a run again from every position in it: 40,000 blank
    lines took 94 s, a million hours. Such files load like any text, every
    word kept, and a transcript's turns keep their speakers."""
    n = 1_000_000
    runs = {"blank-lines": " \n" * (n // 2), "crlf-blank-lines": "\r\n \r\n" * (n // 4), "newlines": "\n" * n,
            "spaces": "Word" + " " * n + "x\n\n", "tabs": "Word" + "\t" * n + "x\n\n",
            "no-break-spaces": "Word" + "\u00a0" * n + "x\n\n"}
    for name, run in runs.items():
        (tmp_path / f"{name}.txt").write_text("The service has forty vacancies.\n\n" + run + "More words here.\n",
                                              encoding="utf-8")
    (tmp_path / "call.txt").write_text(
        "Operator: Welcome to the call.\n\nMary Jones: The service has forty vacancies.\n\nOperator: Next.\n\n"
        "Jane Smith:" + " " * n + "We have fewer.\n\nMary Jones: Thank" + " " * n + "you.\n",
        encoding="utf-8")
    docs = _boxed(_TEXTS_IN_A_BOX, tmp_path, 120, "loading runs of blanks hung")
    assert sorted(docs) == sorted([*runs, "call"])
    for name in runs:
        assert "forty vacancies" in docs[name]["text"] and "More words here." in docs[name]["text"], name
    assert docs["call"]["speakers"] == ["Operator", "Mary Jones", "Jane Smith"]


def test_speaker_names_of_any_length_load_without_hanging(tmp_path):
    """A caption's voice tag, a JSON turn's speaker or an XML speech's
    speaker name can be anything a tool wrote. One of 20,000 capitals took
    4 s to read as a label (its pattern for "Mr. SMITH of New Jersey" read
    it again from every position), 200,000 minutes. The turns load, their
    words and speaker kept."""
    n = 200_000
    (tmp_path / "voice.vtt").write_text(
        f"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v {'A' * n}>Forty vacancies.\n", encoding="utf-8")
    (tmp_path / "turns.json").write_text(json.dumps(
        [{"speaker": "A" * n, "text": "Forty vacancies."},
         {"speaker": "Mr. SMITH " + "of " * (n // 3) + "Jersey", "text": "Thirty posts."}]), encoding="utf-8")
    docs = _boxed(_TEXTS_IN_A_BOX, tmp_path, 120, "loading long speaker names hung")
    assert "Forty vacancies." in docs["voice"]["text"]
    assert "Forty vacancies." in docs["turns"]["text"] and "Thirty posts." in docs["turns"]["text"]
    assert all(len(s) > 1000 for s in docs["voice"]["speakers"] + docs["turns"]["speakers"])


_ASK_IN_A_BOX = """
import json, sys, time
from transcript_qa import build_index_from_passages
from transcript_qa.model import Passage
turns = [("Mary Jones", "The service has forty vacancies."), ("Tom Reid", "Caseloads are too high.")]
index = build_index_from_passages([Passage(id=f"m:{i}", document="m", kind="transcript", title="M", date=None,
                                           position=i, text=t, start=0, end=len(t), speaker=s)
                                   for i, (s, t) in enumerate(turns)])
question = " ".join(["Jones"] * int(sys.argv[1]))
began = time.perf_counter()
answer = index.ask(question)
print(json.dumps({"hits": [h.passage.id for h in answer.hits], "s": time.perf_counter() - began}))
"""


def test_a_long_question_naming_a_speaker_over_and_over_is_answered_at_once():
    """A pasted text can name a speaker thousands of times. Each mention read
    every word after it to find the speech word that follows: 20,000 words
    took 6 s, 80,000 a minute and a half."""
    result = _boxed(_ASK_IN_A_BOX, 80_000, 60, "a long question hung")
    assert result["hits"][0] == "m:0"
