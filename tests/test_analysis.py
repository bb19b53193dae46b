"""Text analysis: what terms a user's words become, at index and query time alike."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from transcript_qa.analysis import STOP_WORDS, Analyzer

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def test_words_are_lowercased_and_stemmed(analyzer):
    assert analyzer("Probation officers") == ["probat", "offic", "probat offic"]


def test_possessive_is_dropped(analyzer):
    assert analyzer("Women's")[0] == analyzer("women")[0] == "women"


def test_acronyms_with_digits_are_kept_whole(analyzer):
    assert analyzer("CAS3")[:1] == ["cas3"]
    assert analyzer("SO15 officers")[:1] == ["so15"]


def test_acronyms_are_not_stemmed(analyzer):
    # MPS (Metropolitan Police Service) must not become "mp"
    assert analyzer("MPS")[0] == "mps"
    assert analyzer("CSPs")[0] == "csp"


def test_acronyms_written_with_full_stops_are_the_acronym(analyzer):
    # "U.S." was the letters "u" and "s", so it never met "US"
    assert analyzer("U.S. policy") == analyzer("US policy") == ["us", "polici", "us polici"]
    assert analyzer("the N.H.S.")[0] == analyzer("the NHS")[0] == "nhs"
    # lower-case abbreviations stay as they were, and a number keeps its decimal point
    assert analyzer("at 5 p.m.")[:1] == ["5"]
    assert analyzer("1.5 million")[0] == "1.5" and analyzer("12,000.50")[0] == "12000.50"


def test_acronyms_joined_by_an_ampersand_are_one_term(analyzer):
    # "A&E" was "e" alone ("a" is a stop word); "R&D" two single letters
    assert analyzer("A&E waiting times")[:3] == ["a&e", "wait", "a&e wait"]
    assert analyzer("R&D")[0] == "r&d"
    assert analyzer("B&Bs")[0] == analyzer("B&B")[0] == "b&b"
    # words joined by an ampersand stay two words
    assert analyzer("Tom&Jerry")[:2] == ["tom", "jerri"]


def test_money_keeps_currency_and_amount(analyzer):
    terms = analyzer("£367,628")
    assert "£367628" in terms and "367628" in terms


def test_percentages_in_words_and_signs_agree(analyzer):
    assert analyzer("13 per cent")[:2] == analyzer("13%")[:2] == ["13%", "13"]
    assert analyzer("13 percent")[:2] == ["13%", "13"]


def test_thousands_separators_are_dropped(analyzer):
    assert analyzer("12,000 people")[0] == "12000"


def test_stop_words_give_no_terms(analyzer):
    assert analyzer("what is the of and") == []
    assert "the" in STOP_WORDS and "service" not in STOP_WORDS


def test_bigrams_skip_stop_words_but_not_punctuation(analyzer):
    assert "duti refer" in analyzer("the duty to refer")
    terms = analyzer("IOM, electronic monitoring")
    assert "iom electron" not in terms
    assert "electron monitor" in terms


def test_bigrams_can_be_turned_off():
    assert Analyzer(bigrams=False)("duty to refer") == ["duti", "refer"]


def test_editorial_brackets_and_markup_never_leak(analyzer):
    terms = analyzer("I echo what [Commander] Nick [John] says about **the Mayor** and *Women's* # plans")
    assert all(not re.search(r"[\[\]*#]", t) for t in terms)
    assert "command" in terms and "mayor" in terms and "women" in terms


def test_spans_point_at_the_surface_words(analyzer):
    text = "Spending on agency staff"
    spans = analyzer.spans(text)
    assert [(t, text[s:e]) for t, s, e in spans] == [
        ("spend", "Spending"), ("agenc", "agency"), ("staff", "staff")
    ]


def test_lowercase_query_finds_an_acronym_seen_only_in_capitals():
    build = Analyzer(stemmer="snowballstemmer", learn=True)
    build("The MPS said so.")
    tables = build.tables()
    query = Analyzer.from_settings(build.settings(), stems=tables["words"], acronyms=tables["acronyms"])
    assert query("mps") == ["mps"]


def test_a_lowercase_query_finds_an_ampersand_acronym_seen_only_in_capitals():
    build = Analyzer(stemmer="snowballstemmer", learn=True)
    build("Waits in A&E grew.")
    tables = build.tables()
    query = Analyzer.from_settings(build.settings(), stems=tables["words"], acronyms=tables["acronyms"])
    assert query("a&e waits")[0] == "a&e"


def test_settings_round_trip():
    a = Analyzer(stem=False, bigrams=False, stop_words=("x", "y"))
    b = Analyzer.from_settings(a.settings())
    assert a == b
    assert b("x marks y spot") == ["marks", "spot"]


def _corpus_words() -> set[str]:
    words: set[str] = set()
    for path in CORPUS.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        words |= {w.lower().replace("’", "'") for w in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", text)}
    return words


#: Words where NLTK's Snowball and the snowballstemmer package are known to differ.
KNOWN_STEMMER_DIFFERENCES = {"vocationally"}


def test_nltk_and_snowballstemmer_agree_on_the_corpus_vocabulary():
    from nltk.stem.snowball import SnowballStemmer

    nltk_stem = SnowballStemmer("english").stem
    query = Analyzer(stemmer="snowballstemmer")
    words = _corpus_words()
    assert len(words) > 1000
    differ = {w for w in words if nltk_stem(w) != query.stem_word(w)}
    assert differ <= KNOWN_STEMMER_DIFFERENCES, sorted(differ - KNOWN_STEMMER_DIFFERENCES)


def test_build_and_query_analysers_give_the_same_terms():
    build = Analyzer(stemmer="nltk", learn=True)
    texts = [p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")]
    built = [build(t) for t in texts]
    query = Analyzer.from_settings(build.settings(), stems=build.tables()["words"], acronyms=build.tables()["acronyms"])
    assert [query(t) for t in texts] == built


def test_query_path_does_not_import_nltk_or_sklearn():
    code = (
        "import sys\n"
        "from transcript_qa.analysis import Analyzer\n"
        "Analyzer()('Community Accommodation Service Tier 3 and unseenwordings')\n"
        "bad = [m for m in ('nltk', 'sklearn') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
