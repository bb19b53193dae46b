"""Fuzzing: generated corpus files, question files, questions and command lines.

Properties (issue 10):

- no exception escapes but the library's own (``TranscriptQAError``; and
  ValueError/TypeError only for arguments of the wrong kind, as documented);
- every good document in a folder, every good line in a file, is still loaded
  or answered whatever junk sits beside it;
- the command line exits 0, 1, 2 or 3, never with a traceback.

The ``ci`` profile (tests/conftest.py) runs a few hundred examples in all;
``--hypothesis-profile=long`` runs many more. The good document is a real one
(a London Assembly press release from the bundled corpus).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import traceback
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, note, strategies as st  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from transcript_qa import cli  # noqa: E402
from transcript_qa.batch import answer_questions, read_questions  # noqa: E402
from transcript_qa.build import build_index, load_index  # noqa: E402
from transcript_qa.corpus import load_corpus  # noqa: E402
from transcript_qa.errors import BatchError, CorpusError, TranscriptQAError  # noqa: E402
from transcript_qa.model import DOCUMENT_KINDS, Document  # noqa: E402
from transcript_qa.parsing import detect_kind, parse_document  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GOOD_NAME = "2023-01-20-press-release-probation-services.txt"
GOOD_FILE = ROOT / "corpus" / GOOD_NAME
GOOD_ID = GOOD_NAME[:-4]
SENTENCES = [s for s in (" ".join(x.split()).lstrip("- ") for x in
                          re.split(r"(?<=[.!?])\s+|\n", GOOD_FILE.read_text(encoding="utf-8")))
             if 30 < len(s) < 300 and s[0].isupper() and ":" not in s][:12]
EXTENSIONS = (".txt", ".md", ".vtt", ".srt", ".json", ".jsonl", ".xml")

# --------------------------------------------------------------------------- strategies

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
turns = st.fixed_dictionaries(
    {"speaker": st.one_of(st.text(max_size=40), json_values), "text": st.one_of(st.text(max_size=200), json_values)},
    optional={"start": st.one_of(st.floats(), st.text(max_size=12), st.integers()), "end": json_values,
              "role": json_values, "organisation": json_values},
)
codecs_used = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le", "shift_jis",
                               "koi8-r", "utf-32"])


def _deep(depth: int, kind: str) -> str:
    if kind == "array":
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


def _encoded(pieces: list[tuple[str, str]]) -> bytes:
    return b"".join(text.encode(enc, errors="replace") for text, enc in pieces)


labels = st.one_of(
    st.sampled_from(["Susan Hall AM (Chairman)", "Kilvinder Vigurs", "The Chair", "MR SMITH", "Q:", "A:"]),
    st.text(max_size=30),
)
transcript_like = st.lists(
    st.one_of(
        st.builds(lambda l, t: f"{l}: {t}", labels, st.text(max_size=120)),
        st.sampled_from(["", "# Heading", "Transcript of Agenda Item 5", "[Pause]", "---", "Page 3 of 9",
                         "Wednesday 20 July 2022", "Dear Ms Hall,", "Yours sincerely", "1. Introduction"]),
        st.text(max_size=80),
    ),
    max_size=30,
).map("\n".join)
vtt_like = st.lists(
    st.builds(lambda a, b, who, t: f"{a} --> {b}\n<v {who}>{t}</v>\n",
              st.sampled_from(["00:00:01.000", "00:01.5", "1:00:00.000", "99:99", "x"]),
              st.sampled_from(["00:00:04.000", "00:02.0", "", "--"]), st.text(max_size=20), st.text(max_size=80)),
    max_size=10,
).map(lambda cues: "WEBVTT\n\n" + "\n".join(cues))

srt_like = st.lists(
    st.builds(lambda n, a, b, who, t: f"{n}\n{a} --> {b}\n{who}{t}\n",
              st.one_of(st.integers(0, 99).map(str), st.text(max_size=4)),
              st.sampled_from(["00:00:01,000", "00:00:01.000", "1:00:00,000", "99:99", "x"]),
              st.sampled_from(["00:00:04,000", "", "--"]),
              st.sampled_from(["", "JUSTICE KAGAN: ", "[Susan Hall] ", "- ", ">> "]), st.text(max_size=80)),
    max_size=10,
).map("\n".join)
xml_tags = st.sampled_from(["speech", "u", "from", "p", "debate", "TEI", "akomaNtoso", "publicwhip", "seg", "note"])
xml_attrs = st.sampled_from(["", ' speakername="Mr John Smith"', ' who="#JohnSmith"', ' by="#smith"', ' person_id="x"',
                             ' xmlns="http://www.tei-c.org/ns/1.0"', ' id="&quot;"'])
xml_like = st.recursive(
    st.text(max_size=60).map(lambda s: s.replace("<", "&lt;").replace("&", "&amp;")),
    lambda inner: st.builds(lambda tag, attr, kids: f"<{tag}{attr}>" + "".join(kids) + f"</{tag}>",
                            xml_tags, xml_attrs, st.lists(inner, max_size=4)),
    max_leaves=20,
)
xml_hostile = st.sampled_from([
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    '<publicwhip><speech speakername="A">&lol2;</speech></publicwhip>',
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><TEI><u who="#a">&e;</u></TEI>',
    '<publicwhip><speech speakername="A">unclosed',
])

file_contents = st.one_of(
    st.binary(max_size=3000).map(lambda b: ("random bytes", b)),
    st.lists(st.tuples(st.text(max_size=200), codecs_used), max_size=5).map(lambda p: ("mixed encodings", _encoded(p))),
    json_values.map(lambda v: ("random JSON", json.dumps(v).encode())),
    st.lists(turns, max_size=8).map(lambda ts: ("JSON turns", json.dumps(ts).encode())),
    st.lists(st.one_of(turns.map(json.dumps), st.text(max_size=60)), max_size=10).map(
        lambda lines: ("JSON lines", "\n".join(lines).encode("utf-8", errors="replace"))),
    st.tuples(st.integers(500, 20_000), st.sampled_from(["array", "object"])).map(
        lambda d: ("deep nesting", _deep(*d).encode())),
    st.tuples(st.integers(10_000, 200_000), st.sampled_from(["a", "word ", "Susan Hall AM: ", "\t", "é", "[", "(("])).map(
        lambda n: ("huge line", (n[1] * (n[0] // len(n[1]))).encode())),
    transcript_like.map(lambda t: ("transcript-like", t.encode("utf-8", errors="replace"))),
    vtt_like.map(lambda t: ("WebVTT-like", t.encode("utf-8", errors="replace"))),
    srt_like.map(lambda t: ("SRT-like", t.encode("utf-8", errors="replace"))),
    xml_like.map(lambda t: ("XML-like", ('<?xml version="1.0"?>' + t).encode("utf-8", errors="replace"))),
    xml_hostile.map(lambda t: ("hostile XML", t.encode())),
    st.binary(max_size=200).map(lambda b: ("NULs in text", SENTENCES[0].encode() + b"\x00" + b + b"\x00\n")),
)


def _folder_with_good_document() -> Path:
    root = Path(tempfile.mkdtemp(prefix="tqa-fuzz-"))
    shutil.copy(GOOD_FILE, root / GOOD_NAME)
    return root


_BASELINE: dict[str, list[str]] = {}


def _good_texts(corpus) -> list[str]:
    return [p.text for p in corpus.passages if p.document == GOOD_ID]


def _baseline() -> list[str]:
    if "good" not in _BASELINE:
        root = _folder_with_good_document()
        try:
            _BASELINE["good"] = _good_texts(load_corpus(root))
        finally:
            shutil.rmtree(root)
    return _BASELINE["good"]


# --------------------------------------------------------------------------- documents


@given(content=file_contents, ext=st.sampled_from(EXTENSIONS), kind=st.sampled_from((None,) + DOCUMENT_KINDS))
def test_parsers_take_any_text_without_an_exception(content, ext, kind):
    what, data = content
    note(what)
    text = data.decode("utf-8", errors="replace")
    found, _why = detect_kind(text, "fuzz" + ext)
    doc = Document(id="fuzz", title="fuzz", kind=kind or found, date=None, path="fuzz" + ext)
    result = parse_document(text, doc)
    for p in result.passages:
        assert p.document == "fuzz" and isinstance(p.text, str)
        assert 0 <= p.start <= p.end <= len(text)


manifest_entries = st.fixed_dictionaries(
    {"file": st.one_of(st.sampled_from(["fuzz-0.txt", "fuzz-1.json", "fuzz-2.jsonl", "../x.txt", "/etc/passwd", "",
                                        "sub/../fuzz-0.md", "missing.txt"]), json_values)},
    optional={key: st.one_of(json_values, st.sampled_from(["transcript", "letter", "report", "2023-01-20",
                                                           "2024-13-45", "a b", "x:y"]))
              for key in ("id", "title", "kind", "date", "source", "author", "recipient", "tilte", "dates")},
)
manifests = st.one_of(
    st.none(),
    json_values.map(json.dumps),
    st.tuples(st.integers(500, 5000), st.just("array")).map(lambda d: _deep(*d)),
    st.fixed_dictionaries({"documents": st.one_of(st.lists(manifest_entries, max_size=4), json_values)},
                          optional={"format": json_values, "title": json_values,
                                    "max_file_mb": json_values.filter(  # not a limit below the good document
                                        lambda v: isinstance(v, bool) or not isinstance(v, (int, float)) or v >= 1),
                                    "documnets": json_values}).map(json.dumps),
)


@given(files=st.lists(st.tuples(file_contents, st.sampled_from(EXTENSIONS)), min_size=1, max_size=3),
       manifest=manifests)
def test_junk_files_beside_a_good_document_never_stop_it_loading(files, manifest):
    root = _folder_with_good_document()
    try:
        for i, ((what, data), ext) in enumerate(files):
            note(f"fuzz-{i}{ext}: {what}")
            (root / f"fuzz-{i}{ext}").write_bytes(data)
        if manifest is not None:
            (root / "corpus.json").write_text(manifest)
        try:
            corpus = load_corpus(root)
        except CorpusError as err:  # a malformed manifest is the one whole-corpus refusal
            assert "manifest" in str(err)
            return
        assert _good_texts(corpus) == _baseline()
        assert all("\n" not in w for w in corpus.warnings)
    finally:
        shutil.rmtree(root)


good_turns = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=5)
junk_lines = st.one_of(
    st.text(max_size=80).filter(lambda s: "\n" not in s and "\r" not in s and "\x0b" not in s and "\x0c" not in s
                                and "\x1c" not in s and "\x1d" not in s and "\x1e" not in s and "\x85" not in s
                                and "\u2028" not in s and "\u2029" not in s),
    json_values.map(json.dumps),
    st.integers(500, 5000).map(lambda d: _deep(d, "object")),
)


@given(good=good_turns, junk=st.lists(junk_lines, max_size=6), data=st.data())
def test_every_good_jsonl_turn_is_loaded_whatever_lines_sit_beside_it(good, junk, data):
    lines = [json.dumps({"speaker": "Susan Hall AM (Chairman)", "text": t}) for t in good]
    for j in junk:
        lines.insert(data.draw(st.integers(0, len(lines))), j)
    root = _folder_with_good_document()
    try:
        (root / "turns.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        corpus = load_corpus(root)
        texts = [p.text for p in corpus.passages if p.document == "turns"]
        for t in good:  # junk lines may make passages too, but every good turn is there, in order
            assert t in texts
        assert _good_texts(corpus) == _baseline()
    finally:
        shutil.rmtree(root)


# --------------------------------------------------------------------------- questions


@pytest.fixture(scope="module")
def index_path(tmp_path_factory) -> Path:
    corpus = tmp_path_factory.mktemp("fuzz-corpus")
    shutil.copy(GOOD_FILE, corpus / GOOD_NAME)
    for name in ("2023-03-17-letter-hmpps-response.txt",):
        shutil.copy(ROOT / "corpus" / name, corpus / name)
    out = tmp_path_factory.mktemp("fuzz-index") / "index"
    build_index(corpus, out)
    return out


@pytest.fixture(scope="module")
def index(index_path):
    return load_index(index_path, build=False)


filter_values = st.one_of(st.none(), st.text(max_size=15), st.sampled_from(
    ["2023-01-20", "2024-13-45", "0000-00-00", "2024", "probation", "letter", "Hall", ""]))


@given(question=st.one_of(st.text(max_size=200), st.sampled_from(SENTENCES)),
       k=st.integers(-3, 50), filters=st.dictionaries(
           st.sampled_from(["speaker", "organisation", "role", "document", "kind", "since", "until"]),
           filter_values, max_size=3))
def test_any_question_is_answered_or_refused_with_a_library_error(index, question, k, filters):
    try:
        answer = index.ask(question, k, **filters)
    except TranscriptQAError:
        return
    except ValueError:
        assert k < 0
        return
    assert len(answer.hits) <= max(k, 0)


question_lines = st.one_of(st.sampled_from(SENTENCES), st.text(max_size=60))
bad_rows = st.one_of(
    st.text(max_size=60).filter(lambda s: '"' not in s and "\r" not in s and "\n" not in s),
    st.sampled_from(["x,probation,2024-13-45", "y,probation,,0000-00-00", ",", "a,b,c,d,e,f,g,h,i,j",
                     "z,,", "q,probation,2024"]),
)


@given(good=st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4),
       junk=st.lists(st.one_of(json_values.map(json.dumps), st.integers(500, 3000).map(lambda d: _deep(d, "object")),
                               st.text(max_size=60).filter(lambda s: not any(c in s for c in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"))),
                     max_size=5),
       data=st.data())
def test_every_good_jsonl_question_is_answered_whatever_lines_sit_beside_it(index, good, junk, data):
    lines = [json.dumps({"id": f"good{i}", "question": q}) for i, q in enumerate(good)]
    for j in junk:
        lines.insert(data.draw(st.integers(0, len(lines))), j)
    folder = Path(tempfile.mkdtemp(prefix="tqa-fuzz-q-"))
    try:
        path = folder / "q.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        questions, skipped = read_questions(path)
        answered = {a.id for a in answer_questions(index, questions, 3, on_problem=lambda s: None)}
        assert {f"good{i}" for i in range(len(good))} <= answered
    finally:
        shutil.rmtree(folder)


@given(good=st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4), junk=st.lists(bad_rows, max_size=5),
       data=st.data())
def test_every_good_csv_question_is_answered_whatever_rows_sit_beside_it(index, good, junk, data):
    rows = [f"good{i},{q.replace(',', ' ')},," for i, q in enumerate(good)]
    for j in junk:
        rows.insert(data.draw(st.integers(0, len(rows))), j)
    folder = Path(tempfile.mkdtemp(prefix="tqa-fuzz-q-"))
    try:
        path = folder / "q.csv"
        path.write_text("id,question,since,until\n" + "\n".join(rows) + "\n", encoding="utf-8")
        questions, skipped = read_questions(path)
        answered = {a.id for a in answer_questions(index, questions, 3, on_problem=lambda s: None)}
        assert {f"good{i}" for i in range(len(good))} <= answered
    finally:
        shutil.rmtree(folder)


@given(suffix=st.sampled_from([".txt", ".csv", ".jsonl"]), content=file_contents)
def test_any_questions_file_is_read_or_refused_with_a_batch_error(index, suffix, content):
    what, data = content
    note(what)
    folder = Path(tempfile.mkdtemp(prefix="tqa-fuzz-q-"))
    try:
        path = folder / ("q" + suffix)
        path.write_bytes(data)
        try:
            questions, skipped = read_questions(path)
        except BatchError:
            return
        list(answer_questions(index, questions[:5], 2, on_problem=lambda s: None))
    finally:
        shutil.rmtree(folder)


# --------------------------------------------------------------------------- the command line


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


option_values = st.one_of(st.text(max_size=12).filter(lambda s: "\x00" not in s), st.integers(-5, 500).map(str),
                          st.sampled_from(["2023-01-20", "2024-13-45", "2024", "-", "", "--", "text", "json"]))


@st.composite
def command_lines(draw, index_path: Path, folder: Path) -> list[str]:
    command = draw(st.sampled_from(["ask", "who", "show", "speakers", "glossary", "batch", "index info", "eval",
                                    "index build"]))
    args = command.split()
    if command == "index build":
        corpus = folder / "corpus"
        corpus.mkdir()
        if draw(st.booleans()):
            shutil.copy(GOOD_FILE, corpus / GOOD_NAME)
        for i, ((_what, content), ext) in enumerate(draw(st.lists(st.tuples(file_contents, st.sampled_from(EXTENSIONS)),
                                                                   max_size=2))):
            (corpus / f"fuzz-{i}{ext}").write_bytes(content)
            note(f"fuzz-{i}{ext}: {content[:300]!r}")
        (folder / "notes").mkdir()
        (folder / "notes" / "mine.txt").write_text("mine")
        out = draw(st.sampled_from(["new-index", "notes", "corpus", "corpus/idx", "notes/mine.txt", "corpus/" + GOOD_NAME]))
        return args + ["--corpus", str(corpus), "--out", str(folder / out)]
    if command in ("ask", "who", "show"):
        args.append(draw(st.one_of(st.sampled_from(SENTENCES + [f"{GOOD_ID}:1"]), option_values)))
    if command == "batch":
        name = draw(st.sampled_from(["q.txt", "q.csv", "q.jsonl", "q.json"]))
        (folder / name).write_bytes(draw(file_contents)[1])
        args.append(str(folder / name))
        if draw(st.booleans()):
            args += ["-o", str(folder / draw(st.sampled_from(["out.jsonl", "sub/out.jsonl", "q.txt", "."])))]
    if command == "eval":
        for name in ("run.txt", "qrels.txt"):
            (folder / name).write_bytes(draw(file_contents)[1])
            args.append(str(folder / name))
    if command == "index info":
        args.append(str(index_path))
    elif command != "eval":
        args += ["--index", str(index_path)]
    options = ["-k", "--since", "--until", "--speaker", "--kind", "--document", "-f", "--explain", "--no-color"]
    for option in draw(st.lists(st.sampled_from(options), max_size=3)):
        args.append(option)
        if option not in ("--explain", "--no-color"):
            args.append(draw(option_values))
    return args


@given(data=st.data())
def test_the_command_line_exits_0_1_2_or_3_and_never_with_a_traceback(index_path, data):
    folder = Path(tempfile.mkdtemp(prefix="tqa-fuzz-cli-"))
    try:
        args = data.draw(command_lines(index_path, folder))
        result = _runner().invoke(cli.main, args)
        note(f"{args} -> {result.exit_code}: {result.stderr[-500:]}")
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            note("".join(traceback.format_exception(*result.exc_info)))
        assert result.exit_code in (0, 1, 2, 3)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.stderr
        if (folder / "notes").is_dir():  # a folder that is not an index is never overwritten
            assert (folder / "notes" / "mine.txt").read_text() == "mine"
    finally:
        shutil.rmtree(folder)
