"""Search, filters, snippets, "who" questions: on inline passages and on the bundled corpus."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from transcript_qa.errors import QueryError, UnknownFilterValueError
from transcript_qa.build import build_index_from_passages
from transcript_qa.model import Passage
from transcript_qa.query import parse_question

ROOT = Path(__file__).resolve().parent.parent


def turn(i: int, speaker: str | None, text: str, *, doc: str = "m", kind: str = "transcript",
         role: str | None = None, organisation: str | None = None, date: str | None = "2022-07-20",
         boilerplate: str | None = None) -> Passage:
    return Passage(id=f"{doc}:{i}", document=doc, kind=kind, title=doc.upper(), date=date, position=i,
                   text=text, start=0, end=len(text), speaker=speaker, role=role, organisation=organisation,
                   boilerplate=boilerplate)


MEETING = [
    turn(0, None, "Police and Crime Committee, 20 July 2022", boilerplate="metadata"),
    turn(1, "Susan Hall", "Welcome. Our first question is about housing for prison leavers.", role="Chairman"),
    turn(2, "Nick Rogers", "Where does Community Accommodation Service Tier 3 (CAS3) fit in for prison leavers?"),
    turn(3, "Kilvinder Vigurs", "CAS3 gives prison leavers up to 84 nights of accommodation. We have worked on "
         "CAS3 across five lots in London and the CAS3 numbers keep growing.",
         role="Regional Director for London", organisation="HMPPS"),
    turn(4, "Susan Hall", "Thank you. CAS3?", role="Chairman"),
    turn(5, "Caroline Pidgeon", "You spent £367,628 on agency staff, 13 per cent of the budget. Why so much?"),
    turn(6, "Kilvinder Vigurs", "Agency staff are mostly administrators; we are cutting agency spending "
         "as recruitment improves.", role="Regional Director for London", organisation="HMPPS"),
    turn(7, "Susan Hall", "Assembly Member Prince.", role="Chairman"),
    turn(8, "Keith Prince", "When will the Release Protocol be published?"),
    turn(9, "Will Balakrishnan", "The protocol will be out in the autumn, after we consult the boroughs.",
         role="Director of Commissioning", organisation="MOPAC"),
    turn(10, "Susan Hall", "Thank you.", role="Chairman"),
]
REPORT = [
    turn(0, None, "The committee found that agency staff costs were high.", doc="r", kind="report", date="2023-01-19"),
    turn(1, None, "Local authorities have a duty to refer people at risk of homelessness.", doc="r", kind="report",
         date="2023-01-19"),
    turn(2, None, "Referral duties were discussed; the duty of care to refer was not.", doc="r", kind="report",
         date="2023-01-19"),
    turn(3, "Kilvinder Vigurs", "CAS3 gives prison leavers up to 84 nights of accommodation. We have worked on "
         "CAS3 across five lots in London", doc="r", kind="report", date="2023-01-19"),
]


@pytest.fixture(scope="module")
def small():
    return build_index_from_passages(MEETING + REPORT)


def ids(hits):
    return [h.passage.id for h in hits]


# ----------------------------------------------------------------- ranking basics


def _postings_and_analysis(passages):
    """(passage number, term) -> count, as the postings hold them and as the Analyzer
    gives them (speaker names left out, every bigram kept)."""
    from collections import Counter

    from transcript_qa.analysis import Analyzer

    idx = build_index_from_passages(passages, speaker_in_text=False, bigram_min_count=1)
    analyzer = Analyzer(stemmer="nltk")
    expected = {(i, t): c for i, p in enumerate(passages) for t, c in Counter(analyzer(p.text)).items()}
    got = {}
    for t in range(idx.segment.n_terms):
        parts, codes = idx.segment.decode(t)
        for part, code in zip(parts.tolist(), codes.tolist()):
            got[(int(idx.segment.part_passage[part]), idx.term_text(t))] = code >> 8
    return got, expected


def test_postings_hold_the_analyzers_terms_and_counts():
    """The bulk builder indexes exactly the terms the Analyzer gives each
    passage, with their counts (every bigram, when all are kept)."""
    got, expected = _postings_and_analysis(MEETING[1:] + REPORT)
    assert got == expected


def test_postings_hold_the_analyzers_terms_for_hyphenated_words():
    """A hyphenated word is indexed as the Analyzer gives it: joined, then its
    parts (three or more terms for one token), in passages and speaker names."""
    texts = ["Mental well-being and re-offending: a one-to-one, state-of-the-art follow-up.",
             "The mother-in-law's e-mail on co-operation, co-operation and well-being.",
             "A-b-c-d-e-f is not a word; COVID-19 and UK-EU are."]
    passages = [turn(i, "Anne-Marie Smith-Jones", t) for i, t in enumerate(texts)]
    got, expected = _postings_and_analysis(passages)
    assert got == expected
    assert expected[(0, "wellb")] == 1 and expected[(0, "one")] == 2 and expected[(1, "cooper")] == 2
    named = build_index_from_passages(passages)
    assert {h.passage.id for h in named.search("Smithjones", k=5)} == {"m:0", "m:1", "m:2"}


def test_query_vector_matches_sklearn_transform_and_scores_follow_the_formula():
    """A query is weighted as TfidfVectorizer.transform weights it; a hit
    scores sum W(t) * (1 + ln tf) / (1 - s + s sqrt(L / avgL)) (a bigram's
    W(t) times its phrase share)."""
    import math

    from sklearn.feature_extraction.text import TfidfVectorizer

    from transcript_qa.analysis import Analyzer
    from transcript_qa.postings import byte_length, length_byte
    from transcript_qa.query import ParsedQuery, query_vector

    passages = MEETING[1:] + REPORT
    idx = build_index_from_passages(passages, speaker_in_text=False, expansion_weight=0.0, speaker_boost=0.0,
                                    context_prev=0.0, context_next=0.0, bigram_min_count=1, bigram_weight=1.0)
    analyzer = Analyzer(stemmer="nltk")
    vec = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, norm="l2")
    vec.fit([p.text for p in passages])
    query = "agency staff agency spending"
    expected = vec.transform([query]).toarray()[0]
    vector = query_vector(idx, query, ParsedQuery(query, "passages", ()), idx.settings)
    got = np.zeros_like(expected)
    for tid, w in zip(vector.term_ids, vector.weights):
        got[vec.vocabulary_[idx.term_text(tid)]] = w
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-9)
    hit = idx.search(query, k=1)[0]
    terms = analyzer(hit.passage.text)
    length = sum(1 for t in terms if " " not in t)
    avg = idx.stats.avg_length
    norm = 1 - 0.3 + 0.3 * math.sqrt(float(byte_length()[length_byte(np.array([length]))[0]]) / avg)
    idf = dict(zip(vec.get_feature_names_out(), vec.idf_))
    # a bigram "a b" held by k passages keeps the share 1 - E / k that chance adjacency does not explain,
    # E = df(a) df(b) / T over the T word positions of the collection
    df = dict(zip(vec.get_feature_names_out(), (vec.transform([p.text for p in passages]) > 0).sum(axis=0).A1))
    total = sum(1 for p in passages for t in analyzer(p.text) if " " not in t)

    def share(term: str) -> float:
        if " " not in term:
            return 1.0
        a, b = term.split(" ")
        return max(0.0, 1.0 - df[a] * df[b] / (total * df[term]))

    want = sum(w * share(idx.term_text(t)) * idf[idx.term_text(t)] * (1 + math.log(terms.count(idx.term_text(t))))
               / norm for t, w in zip(vector.term_ids, vector.weights) if idx.term_text(t) in terms)
    assert hit.score == pytest.approx(want, rel=1e-5)


def test_best_passage_first_and_scores_descend(small):
    hits = small.search("agency staff spending", k=5)
    assert hits[0].passage.id == "m:6"
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:]))


def test_ties_are_broken_by_passage_order():
    same = [turn(i, None, "identical words here") for i in range(6)]
    idx = build_index_from_passages(same, context_prev=0.0, context_next=0.0)
    assert ids(idx.search("identical words", k=6)) == [f"m:{i}" for i in range(6)]


def test_k_is_clamped(small):
    assert len(small.search("CAS3", k=10_000)) <= len(small.passages)
    assert small.search("CAS3", k=0) == []


def test_boilerplate_is_not_searched(small):
    assert "m:0" not in ids(small.search("police crime committee july", k=20))


def test_question_of_stop_words_gives_no_hits_and_a_reason(small):
    answer = small.ask("what is it that they were?")
    assert answer.hits == ()
    assert answer.reason and "no search terms" in answer.reason


def test_unknown_words_give_no_hits_and_a_reason(small):
    answer = small.ask("zebras xylophones")
    assert answer.hits == () and answer.reason


def test_empty_question_is_an_error(small):
    with pytest.raises(QueryError):
        small.search("   ")


def test_snippet_marks_matched_words(small):
    hit = small.search("agency spending", k=1)[0]
    marked = {hit.snippet[s:e].lower() for s, e in hit.highlights}
    assert {"agency", "spending"} <= marked


def test_explain_lists_contributing_words(small):
    hit = small.search("agency staff", k=1)[0]
    labels = [label for label, _ in hit.explain]
    assert any("agency" in label.lower() for label in labels)
    assert all(value > 0 for _, value in hit.explain)


# ----------------------------------------------------------------- acronyms, phrases, links


def test_acronym_finds_the_long_form_and_back(small):
    assert small.glossary()[0].short == "CAS3"
    long_hits = ids(small.search("Community Accommodation Service Tier 3", k=5))
    assert "m:3" in long_hits  # says only CAS3
    short_hits = small.search("CAS3", k=5)
    assert "m:2" in ids(short_hits)
    explained = [label for h in small.search("Community Accommodation Service Tier 3", k=3) for label, _ in h.explain]
    assert any(label.startswith("CAS3") for label in explained)


def test_quoted_phrase_must_appear(small):
    hits = small.search('"duty to refer"', k=10)
    assert ids(hits) == ["r:1"]
    assert small.ask('"duty to fly"').hits == ()


def test_a_quoted_name_finds_the_speakers_own_turns(small):
    # a speaker's name is indexed with their turns, but the quote was checked against the text alone:
    # '"Kilvinder Vigurs"' found no turn of hers (her name is nowhere in what she says)
    assert {"m:3", "m:6", "r:3"} <= set(ids(small.search('"Kilvinder Vigurs"', k=10)))
    assert small.ask('"Vigurs Kilvinder"').hits == ()


def test_repeated_words_are_linked_both_ways_and_both_found(small):
    report = small.passage("r:3")
    assert report.links == ("m:3",)
    assert small.passage("m:3").links == ("r:3",)
    found = ids(small.search("nights of accommodation five lots", k=5))
    assert "m:3" in found and "r:3" in found


# ----------------------------------------------------------------- filters


def test_speaker_filter_matches_part_of_a_name(small):
    hits = small.search("agency", k=10, speaker="vigurs")
    assert hits and all(h.passage.speaker == "Kilvinder Vigurs" for h in hits)


def test_unknown_filter_value_is_an_error_with_close_matches(small):
    with pytest.raises(UnknownFilterValueError) as err:
        small.search("agency", speaker="Vigors")
    assert err.value.close_matches == ["Kilvinder Vigurs"]
    assert "did you mean 'Kilvinder Vigurs'" in str(err.value)


def test_filters_that_match_nothing_together_give_a_reason(small):
    answer = small.ask("agency", speaker="Susan Hall", kind="report")
    assert answer.hits == () and answer.reason and "kind='report'" in answer.reason


def test_kind_document_and_date_filters(small):
    assert all(h.passage.kind == "report" for h in small.search("agency staff", kind="report"))
    assert all(h.passage.document == "r" for h in small.search("agency staff", document="r"))
    assert all(h.passage.date >= "2023-01-01" for h in small.search("agency staff", since="2023-01-01"))
    assert all(h.passage.date <= "2022-12-31" for h in small.search("agency staff", until="2022-12-31"))
    with pytest.raises(QueryError):
        small.search("agency", since="last week")
    with pytest.raises(QueryError):
        small.search("agency", colour="blue")


def test_filter_values(small):
    assert "Kilvinder Vigurs" in small.filter_values("speaker")
    assert small.filter_values("kind") == ["report", "transcript"]


# ----------------------------------------------------------------- who, ask, context


@pytest.mark.parametrize(
    "question, intent",
    [
        ("Who discussed CAS3?", "who"),
        ("which witnesses talked about the Dynamic Framework", "who"),
        ("Which organisations raised housing?", "who"),
        ("What did the Regional Director say about agency staff?", "passages"),
        ("support for people who are homeless", "passages"),
    ],
)
def test_who_intent(question, intent):
    assert parse_question(question).intent == intent


def test_who_words_and_speech_verbs_are_not_search_terms(small):
    answer = small.ask("Who talked about agency staff?")
    assert answer.intent == "who"
    assert not {"talk", "who"} & set(answer.terms)
    assert {"agenc", "staff"} <= set(answer.terms)


def test_who_ranks_the_people_who_said_it_not_the_chair(small):
    speakers = [s.speaker for s in small.who("who discussed CAS3")]
    assert speakers[0] == "Kilvinder Vigurs"
    assert "Susan Hall" not in speakers[:2]
    best = small.who("who discussed CAS3")[0]
    assert best.hits and all(h.passage.speaker == "Kilvinder Vigurs" for h in best.hits)


def test_every_answer_ranks_speakers(small):
    answer = small.ask("agency staff spending")
    assert answer.intent == "passages"
    assert answer.speakers and answer.speakers[0].speaker in {"Kilvinder Vigurs", "Caroline Pidgeon"}


def test_named_speaker_is_preferred(small):
    hits = small.search("What did Kilvinder say about agency staff?", k=3)
    assert hits[0].passage.speaker == "Kilvinder Vigurs"


def test_question_lifts_the_answer_after_it(small):
    found = ids(small.search("when will the release protocol be published", k=3))
    assert found[:2] == ["m:8", "m:9"]


def test_context_returns_surrounding_turns_in_order(small):
    around = small.context("m:3", before=2, after=1)
    assert [p.id for p in around] == ["m:1", "m:2", "m:3", "m:4"]
    assert [p.id for p in small.context("m:1", before=5, after=0)] == ["m:1"]  # boilerplate skipped
    with pytest.raises(QueryError):
        small.context("m:99")


def test_passage_lookup(small):
    assert small.passage("m:5").speaker == "Caroline Pidgeon"
    with pytest.raises(QueryError):
        small.passage("nope")


def test_ask_carries_id_and_filters(small):
    answer = small.ask("agency", k=2, id="q7", speaker="vigurs")
    assert answer.id == "q7" and answer.filters.speaker == "vigurs" and len(answer.hits) <= 2


def test_search_many_equals_search(small):
    queries = ["agency staff", "CAS3", "protocol"]
    assert [ids(h) for h in small.search_many(queries, k=3)] == [ids(small.search(q, k=3)) for q in queries]


# ----------------------------------------------------------------- the bundled corpus


@pytest.fixture(scope="module")
def bundled():
    from transcript_qa.corpus import load_corpus

    corpus = load_corpus(ROOT / "corpus")
    return build_index_from_passages(corpus.passages, documents=corpus.documents, speakers=corpus.speakers())


def test_bundled_who_discussed_cas3(bundled):
    speakers = [s.speaker for s in bundled.who("Who discussed CAS3?", k=3)]
    assert speakers[0] == "Kilvinder Vigurs"
    assert "Susan Hall" not in speakers  # the chair only hands over the floor


def test_bundled_regional_director_on_agency_staff(bundled):
    hits = bundled.search("What did the Regional Director say about agency staff?", k=3)
    assert any(h.passage.speaker == "Kilvinder Vigurs" and "agency" in h.passage.text.lower() for h in hits)


def test_bundled_release_protocol_question_and_answer(bundled):
    # The question comes first and the answer after it is among the hits. (It
    # used to be in the top 3 only because "will" selected Will Balakrishnan as
    # a speaker named in the question: a stop word is not a name.)
    hits = bundled.search("When will the Women's Prison Release Protocol be published?", k=10)
    top = [h.passage for h in hits]
    question = next(p for p in top if p.kind == "transcript" and "Release Protocol" in p.text and p.text.endswith("?"))
    assert question.id == top[0].id
    answer_id = bundled.context(question.id, before=0, after=1)[-1].id
    assert answer_id in [p.id for p in top]


def test_bundled_acronym_expansion(bundled):
    hits = bundled.search("Community Accommodation Service Tier 3", k=10)
    assert any("CAS3" in h.passage.text and "Community Accommodation" not in h.passage.text for h in hits)
    glossary = {a.short: a.long for a in bundled.glossary()}
    assert glossary["CAS3"] == "Community Accommodation Service Tier 3"
    assert glossary["MOPAC"] == "Mayor's Office for Policing and Crime"


def test_bundled_duty_to_refer_phrase(bundled):
    hits = bundled.search('"duty to refer"', k=10)
    assert hits and all("duty to refer" in h.passage.text.lower() for h in hits)


def test_bundled_speaker_filter(bundled):
    hits = bundled.search("workloads", k=5, speaker="lomas")
    assert hits and all(h.passage.speaker == "Katie Lomas" for h in hits)


def test_bundled_report_quote_links_to_the_transcript(bundled):
    linked = [p for p in bundled.passages if p.kind == "report" and any(l.startswith("2022-07-20") for l in p.links)]
    assert linked
    target = bundled.passage(linked[0].links[0])
    assert linked[0].id in target.links


def test_hit_details_are_worked_out_when_read(small):
    import dataclasses

    from transcript_qa.model import Hit

    hit = small.search("agency spending", k=1)[0]
    assert isinstance(hit, Hit)
    assert "_details" in hit.__dict__ and "snippet" not in hit.__dict__  # nothing built yet
    data = dataclasses.asdict(hit)
    assert data["snippet"] and data["highlights"] and data["explain"]
    eager = Hit(**{f.name: getattr(hit, f.name) for f in dataclasses.fields(Hit)})
    assert (eager.snippet, eager.highlights, eager.explain) == (hit.snippet, hit.highlights, hit.explain)
    assert dataclasses.replace(hit, rank=5).snippet == hit.snippet


def test_a_bigram_two_common_words_form_once_by_chance_does_not_count():
    """Words that stand in every passage meet once by chance: that one
    "harbour ferry" is no phrase, so it lifts nothing (the ranking is the
    one without bigrams); two rare words together once still count."""
    from transcript_qa.ranking import bigram_share

    texts = [f"The harbour report {i} and the ferry timetable." for i in range(39)]
    texts.append("Our harbour ferry plans, and the report, with the timetable.")
    texts.append("The lighthouse keeper retired.")
    passages = [turn(i, "Ann Lee", t) for i, t in enumerate(texts)]
    idx = build_index_from_passages(passages, speaker_in_text=False)
    pair, rare = idx.term_id("harbour ferri"), idx.term_id("lighthous keeper")
    assert pair is not None and rare is not None
    assert bigram_share(idx, pair, idx.settings) == 0.0
    assert bigram_share(idx, rare, idx.settings) > 0.0
    plain = build_index_from_passages(passages, speaker_in_text=False, bigrams=False)
    assert ids(idx.search("harbour ferry", k=5)) == ids(plain.search("harbour ferry", k=5))
