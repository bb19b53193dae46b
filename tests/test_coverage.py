"""Every word of a record is in a passage: the checker (``coverage.py``) over the
repository's real fixtures and the bundled corpus, and the losses it found."""

from __future__ import annotations

from pathlib import Path

import pytest

from transcript_qa.corpus import load_corpus
from transcript_qa.coverage import corpus_gaps, uncovered
from transcript_qa.model import Document
from transcript_qa.parsing import parse_document

ROOT = Path(__file__).resolve().parent.parent
REAL = sorted((ROOT / "tests" / "fixtures" / "real").glob("*/text.txt"))


def _doc(kind: str, path: str = "doc.txt") -> Document:
    return Document(id="doc", title="doc", kind=kind, date=None, path=path)


def _lost(text: str, kind: str, path: str = "doc.txt") -> list[str]:
    result = parse_document(text, _doc(kind, path))
    gaps = uncovered(text, result.passages, path)
    return [g.text for g in gaps if g.kept_as is None]


@pytest.mark.parametrize("path", REAL, ids=[p.parent.name for p in REAL])
def test_every_word_of_a_real_fixture_is_in_a_passage(path: Path) -> None:
    corpus = load_corpus(path.parent, only=[path.name])
    assert corpus_gaps(corpus, lost_only=True) == {}


def test_every_word_of_the_bundled_corpus_is_in_a_passage() -> None:
    corpus = load_corpus(ROOT / "corpus")
    assert corpus_gaps(corpus, lost_only=True) == {}


# --- the checker ---------------------------------------------------------------------------


def test_checker_reports_words_in_no_passage() -> None:
    text = "Jane Smith: Hello there.\n\nlost words\n"
    from transcript_qa.model import Passage

    p = Passage(id="d:0", document="d", kind="transcript", title="t", date=None, position=0,
                text="Hello there.", start=12, end=24, speaker_label="Jane Smith")
    gaps = uncovered(text, [p])
    assert [g.text for g in gaps] == ["lost words"]
    assert gaps[0].line == 3 and text[gaps[0].start:gaps[0].end] == "lost words"


def test_checker_ignores_labels_page_numbers_and_separators() -> None:
    text = "Jane Smith:\nHello there.\n\n12\n\n______\n\nPage 3 of 40\n"
    from transcript_qa.model import Passage

    p = Passage(id="d:0", document="d", kind="transcript", title="t", date=None, position=0,
                text="Hello there.", start=12, end=24, speaker_label="Jane Smith")
    assert uncovered(text, [p]) == []


def test_checker_skips_structured_files() -> None:
    assert uncovered('[{"speaker": "A", "text": "b"}]', [], "turns.json") is None


# --- losses fixed ----------------------------------------------------------------------------


CALL = (
    "ORDERS OF THE DAY\n\n"
    "Income Tax Bill Second Reading.\n\n"
    "The Associate Minister of Revenue Mereana Tapu.\n\n"
    "HON. M. TAPU:  Mr Speaker, I move that the Bill be read a Second time.\n\n"
    "MR SPEAKER:  Thank you Honourable Minister, and a Seconder please?\n\n"
    "HON. T. RIKA:  Thank you Mr Speaker.\n\n"
    "MR SPEAKER:  The question is that the Bill be read a Second time.\n"
)


def test_a_chairs_call_with_no_words_after_it_is_kept() -> None:
    result = parse_document(CALL, _doc("transcript"))
    call = [p for p in result.passages if "Mereana" in p.text]
    assert len(call) == 1 and call[0].speaker is None
    assert CALL[call[0].start:call[0].end] == "The Associate Minister of Revenue Mereana Tapu."
    assert _lost(CALL, "transcript") == []


def test_a_chairs_call_gives_the_office_to_the_person_it_calls() -> None:
    result = parse_document(CALL, _doc("transcript"))
    tapu = [p for p in result.passages if p.speaker_label == "HON. M. TAPU"]
    assert tapu and tapu[0].role == "Associate Minister of Revenue"
    rika = [p for p in result.passages if p.speaker_label == "HON. T. RIKA"]
    assert rika and rika[0].role is None  # no call before him


def test_a_call_naming_someone_else_gives_no_office() -> None:
    text = CALL.replace("Mereana Tapu.", "Mereana Koro.")
    result = parse_document(text, _doc("transcript"))
    tapu = [p for p in result.passages if p.speaker_label == "HON. M. TAPU"]
    assert tapu and tapu[0].role is None
    assert _lost(text, "transcript") == []


CUT = (
    "<html><body>\n"
    "<p>The Minister said the fund holds a great many accounts across the country, and that the "
    "review of dormant accounts would be finished this year.</p>\n"
    "<p>MEMBER ONE.- Yes, they have some accounts held overseas already at the</p>\n"
    "<p>moment.</p>\n"
    "<p>MEMBER TWO.- To help the members.</p>\n"
    "</body></html>\n"
)


def test_a_short_line_cut_mid_sentence_is_prose_not_a_heading() -> None:
    result = parse_document(CUT, _doc("plain", "page.html"))
    joined = [p for p in result.passages if "overseas" in p.text]
    assert joined and "at the moment." in joined[0].text
    assert all(p.section is None or "overseas" not in p.section for p in result.passages)
    assert _lost(CUT, "plain", "page.html") == []


def test_a_file_whose_words_a_parser_loses_is_named_in_a_warning(tmp_path: Path, monkeypatch) -> None:
    """Whatever the parser, a word in no passage is said at load time: it can never be found."""
    import dataclasses

    import transcript_qa.corpus as corpus_module

    (tmp_path / "a.txt").write_text("Mary Jones: The service has forty vacancies.\n\nTom Reid: Caseloads are high.\n",
                                    encoding="utf-8")
    real = corpus_module.parse_document

    def losing(text: str, doc: Document):  # a parser that drops its last passage
        result = real(text, doc)
        return dataclasses.replace(result, passages=result.passages[:-1])

    monkeypatch.setattr(corpus_module, "parse_document", losing)
    warnings = load_corpus(tmp_path).warnings
    assert any(w.startswith("a.txt: 1 stretch of text in no passage") and "Caseloads are high" in w
               for w in warnings), warnings
