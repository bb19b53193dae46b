"""Questions keep their words: a question is analysed exactly as the same text
in a passage, a speaker's name never costs a topic word, and footnotes are
searched with the paragraph that cites them."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from transcript_qa.analysis import cited_facts
from transcript_qa.build import build_index_from_passages
from transcript_qa.corpus import load_corpus
from transcript_qa.model import Passage, SpeakerInfo
from transcript_qa.query import parse_question, query_vector
from transcript_qa.settings import RankSettings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "corpora"


def _index(path: Path | None):
    corpus = load_corpus(path)
    return build_index_from_passages(corpus.passages, documents=corpus.documents, speakers=corpus.speakers())


@pytest.fixture(scope="module", params=["bundled", "mixed", "bad"])
def index(request):
    return _index(None if request.param == "bundled" else FIXTURES / request.param)


@pytest.fixture(scope="module")
def bundled():
    return _index(None)


def question_terms(index, question: str, settings: RankSettings | None = None) -> tuple[str, ...]:
    settings = settings or index.settings
    return query_vector(index, question, parse_question(question, meta_words=settings.meta_words), settings).terms


def index_rows(index) -> dict[int, set[str]]:
    """Passage number -> the terms the index holds for it (read back from the postings)."""
    segment = index.segment
    part_passage = np.asarray(segment.part_passage)
    rows: dict[int, set[str]] = defaultdict(set)
    for tid in range(segment.n_terms):
        term = segment.term(tid)
        parts, _ = segment.decode(tid)
        for number in part_passage[parts].tolist():
            rows[number].add(term)
    return rows


# ------------------------------------------------------------- one analysis


def test_a_passage_analysed_as_a_question_yields_its_index_terms(index):
    """Every passage of the bundled corpus and the fixtures: its text asked as a
    question (question words aside: no "who ..." opening, speech words kept)
    gives exactly the terms the index holds for it, besides its speaker's name
    and the footnotes it cites."""
    plain = RankSettings(meta_words=False, speaker_terms="keep")
    rows = index_rows(index)
    analyzer = index.analyzer
    checked = 0
    for number, p in enumerate(index.passages):
        if p.boilerplate is not None or not p.text.strip() or parse_question(p.text).intent == "who":
            continue
        asked = set(question_terms(index, p.text, plain))
        assert asked == set(analyzer(p.text)), p.id
        extra = set(analyzer(p.speaker or "")) | set(analyzer(cited_facts(p.citation)))
        # every term the index holds for the passage is asked (bigrams are kept
        # only where their document repeats them, so some asked ones are not held)
        assert rows[number] - extra <= asked, p.id
        assert {t for t in asked if " " not in t} <= rows[number], p.id
        checked += 1
    assert checked >= 8


def test_no_number_amount_or_percentage_is_cut_apart(index):
    """With the default settings too (speech words and named speakers
    dropped): every token holding a digit keeps its terms."""
    analyzer = index.analyzer
    for p in index.passages:
        if p.boilerplate is not None:
            continue
        asked = set(question_terms(index, p.text))
        for term, start, end in analyzer.spans(p.text):
            if any(c.isdigit() for c in p.text[start:end]):
                assert term in asked, (p.id, p.text[start:end])


@pytest.mark.parametrize("question", ["£367,628", "12,000 people", "version 2.0", "3.5% of staff", "£1.2m budget",
                                      "How much did London spend, £367,628?", "what was said about the 13 per cent"])
def test_numbers_in_a_question_are_the_passage_terms(bundled, question):
    analyzer = bundled.analyzer
    expected = [t for t in analyzer(question) if " " not in t and any(c.isdigit() for c in t)]
    assert expected and set(expected) <= set(question_terms(bundled, question))


def test_an_amount_finds_the_paragraph_that_states_it(bundled):
    answer = bundled.ask("£367,628", k=3)
    assert answer.hits, answer.reason
    top = answer.hits[0].passage
    assert top.kind == "report" and "£367,628 on agency staff" in top.text


# ------------------------------------------------------------- speaker names


def turn(i: int, speaker: str | None, text: str) -> Passage:
    return Passage(id=f"m:{i}", document="m", kind="transcript", title="M", date="2024-01-01", position=i,
                   text=text, start=0, end=len(text), speaker=speaker)


NAMED = [
    turn(0, "Susan Hall", "Caseloads for probation officers are far too high, and we need more staff."),
    turn(1, "Caroline Green", "Housing in outer boroughs matters and I support the new homes target."),
    turn(2, "Rachel Wood", "The budget for schools was discussed at length by the panel."),
    turn(3, "Flood Defences", "The embankment scheme is funded until 2026."),
    turn(4, "Will Balakrishnan", "The protocol will be out in the autumn, after consultation."),
    turn(5, "Keith Prince", "Students in the hall of residence complained about heating and damp."),
    turn(6, "Keith Prince", "Building on the green belt around the city was opposed by residents."),
    turn(7, "Keith Prince", "Wood burning stoves add to air pollution in winter."),
    turn(8, "Keith Prince", "The flood risk along the river has grown since the last survey."),
    turn(9, "Keith Prince", "Caseloads were mentioned in passing, like everything else."),
    turn(10, "Susan Hall", "Thank you. Next question."),
    turn(11, "Caroline Green", "Thank you, Chair."),
    turn(12, "Rachel Wood", "Thank you."),
    turn(13, "Flood Defences", "The sea wall is inspected every year."),
    turn(14, "Susan Hall", "When will the protocol be published?"),
]


@pytest.fixture(scope="module")
def named():
    return build_index_from_passages(NAMED)


@pytest.mark.parametrize("question, words, passage", [
    ("hall of residence", {"hall", "resid"}, "m:5"),
    ("green belt", {"green", "belt"}, "m:6"),
    ("wood burning stoves", {"wood", "burn", "stove"}, "m:7"),
    ("flood risk", {"flood", "risk"}, "m:8"),
    ("complaints about the hall of residence", {"hall", "resid"}, "m:5"),
])
def test_a_topic_word_that_is_also_a_name_stays_a_topic_word(named, question, words, passage):
    vector = query_vector(named, question, parse_question(question), named.settings)
    assert words <= set(vector.terms)
    assert not vector.speakers  # nobody is selected
    assert named.search(question, k=1)[0].passage.id == passage


def test_a_stop_word_that_is_also_a_first_name_selects_nobody(named):
    question = "When will the protocol be published?"
    assert not query_vector(named, question, parse_question(question), named.settings).speakers


@pytest.mark.parametrize("question", ["What did Susan Hall say about caseloads?", "what did Hall say about caseloads",
                                      "Susan Hall's view on caseloads", "caseloads, according to Susan Hall"])
def test_a_question_about_what_a_person_said_selects_them(named, question):
    vector = query_vector(named, question, parse_question(question), named.settings)
    codes = [named._columns["speaker"][c] for c in vector.speakers]
    assert codes == ["Susan Hall"]
    assert "caseload" in vector.terms and "hall" not in vector.terms  # the name only selects
    top = named.search(question, k=1)[0].passage
    assert top.speaker == "Susan Hall" and "Caseloads" in top.text


@pytest.mark.parametrize("question", ["What do residents think of the staffing plan suggested by Susan Hall?",
                                      "Summarise Susan Hall (the chair of the meeting) view on caseloads"])
def test_a_speech_word_before_by_or_after_an_aside_selects_the_speaker(named, question):
    vector = query_vector(named, question, parse_question(question), named.settings)
    assert [named._columns["speaker"][c] for c in vector.speakers] == ["Susan Hall"]


def test_a_full_name_as_the_subject_selects_the_speaker(named):
    question = "How high did Susan Hall find the caseloads?"
    vector = query_vector(named, question, parse_question(question), named.settings)
    assert [named._columns["speaker"][c] for c in vector.speakers] == ["Susan Hall"]


def test_a_full_name_without_speech_stays_a_topic(named):
    question = "Susan Hall caseloads"
    vector = query_vector(named, question, parse_question(question), named.settings)
    assert {"susan", "hall", "caseload"} <= set(vector.terms) and not vector.speakers
    assert named.search(question, k=1)[0].passage.id == "m:0"


def _record(turns: list[dict], doc: str = "m", date: str = "2024-01-01", **build):
    """An index of one transcript, ``doc``: a passage per turn (``text`` and any other Passage field)."""
    return build_index_from_passages([
        Passage(id=f"{doc}:{i}", document=doc, kind="transcript", title=doc.upper(), date=date, position=i,
                start=0, end=len(turn["text"]), **turn) for i, turn in enumerate(turns)], **build)


def _chaired(roles: dict[str, str]):
    text = {"Jane Okafor": "The caseloads are too high; we will hear from the director next.",
            "Tom Reid": "Caseloads fell last year after recruitment.", "Amy Chen": "Caseloads vary by borough."}
    return _record([dict(text=text[name], speaker=name, role=roles.get(name)) for name in text])


@pytest.mark.parametrize("asked", ["the chair", "the Chair", "the chairman", "the Convener", "the chairperson"])
def test_any_word_for_a_chair_selects_the_one_speaker_who_chairs(asked):
    # the record says "Chairman", a question "the chair" (or a Scottish committee's "Convener")
    index = _chaired({"Jane Okafor": "Chairman", "Tom Reid": "Director of Services"})
    question = f"What did {asked} say about caseloads?"
    vector = query_vector(index, question, parse_question(question), index.settings)
    assert [index._columns["speaker"][c] for c in vector.speakers] == ["Jane Okafor"]
    index = _chaired({"Jane Okafor": "Deputy Chair", "Tom Reid": "Director of Services"})
    question = "What did the deputy chairman say about caseloads?"
    vector = query_vector(index, question, parse_question(question), index.settings)
    assert [index._columns["speaker"][c] for c in vector.speakers] == ["Jane Okafor"]


def test_a_one_word_office_names_the_one_speaker_who_holds_it():
    # "Minister for Housing": the minister of the record; a role's words up to "for" name it
    index = _chaired({"Jane Okafor": "Minister for Housing", "Tom Reid": "Member"})
    question = "What did the minister say about caseloads?"
    vector = query_vector(index, question, parse_question(question), index.settings)
    assert [index._columns["speaker"][c] for c in vector.speakers] == ["Jane Okafor"]
    # a member among members names nobody
    question = "What did the member say about caseloads?"
    assert not query_vector(index, question, parse_question(question), index.settings).speakers


def test_which_ministers_ranks_only_the_speakers_who_are_ministers():
    index = _chaired({"Jane Okafor": "Minister for Justice", "Amy Chen": "Member"})
    # Tom Reid and Amy Chen say more about caseloads; the question asks for ministers
    assert [s.speaker for s in index.ask("Which ministers discussed caseloads?").speakers] == ["Jane Okafor"]
    assert len(index.ask("Who discussed caseloads?").speakers) == 3
    # no speaker of that kind in the record: every speaker, as for "who"
    assert len(index.ask("Which councillors discussed caseloads?").speakers) == 3


def test_the_chair_selects_nobody_when_two_speakers_chair():
    index = _chaired({"Jane Okafor": "Chair", "Amy Chen": "Chairwoman"})
    question = "What did the chair say about caseloads?"
    assert not query_vector(index, question, parse_question(question), index.settings).speakers


def _spelled(*texts: str):
    return _record([dict(text=t, speaker="Mary Jones") for t in texts])


def test_a_compound_finds_its_other_spelling():
    index = _spelled("Reoffending is still high in the north.", "The new cross border protocol is signed.",
                     "Staff wellbeing matters to the board.", "Budgets were set in March.")
    # hyphenated in the question, one word in the record (the parts alone never matched)
    assert index.search("re-offending", k=1)[0].passage.id == "m:0"
    # one word in the question, two in the record: the word was unknown, so silently dropped
    assert index.search("crossborder protocol", k=1)[0].passage.id == "m:1"
    assert index.search("well-being", k=1)[0].passage.id == "m:2"  # "being" is a stop word: "well" alone


def test_a_word_the_record_spells_both_ways_finds_both():
    index = _spelled("Reoffending is still high in the north.", "Re-offending fell in the south.",
                     "Budgets were set in March.")
    assert {h.passage.id for h in index.search("reoffending", k=5)} == {"m:0", "m:1"}


def test_a_hyphenated_word_in_the_record_is_found_written_as_one_word():
    index = _spelled("Staff well-being matters to the board.", "The well was dry.", "Being there matters.",
                     "Co-operation with the e-mail team broke down.", "Budgets were set in March.")
    # "well-being" was indexed as "well" alone ("being" is a stop word): "wellbeing" found nothing
    assert [h.passage.id for h in index.search("wellbeing", k=5)] == ["m:0"]
    assert index.search("well-being", k=1)[0].passage.id == "m:0"
    assert index.search("cooperation by email", k=1)[0].passage.id == "m:3"
    assert index.ask("staff wellbeing").unmatched == ()


def test_a_question_in_the_other_english_finds_the_corpus_spelling():
    index = _spelled("The organisation has a programme for antisocial behaviour.",
                     "The paediatric centre reopened in the autumn.", "Des Jones chaired the board.")
    # stemmed, "organization" was "organ" and "behavior" never met "behaviour"
    assert index.search("organization program for behavior", k=1)[0].passage.id == "m:0"
    assert index.search("pediatric center", k=1)[0].passage.id == "m:1"
    # a stop word stays one, whatever the corpus holds ("does" is not "Des")
    question = "what does the board do"
    assert query_vector(index, question, parse_question(question), index.settings).terms == ("board",)


def test_the_question_words_no_passage_has_are_said():
    from transcript_qa.terminal import render_text

    index = _spelled("The new cross border protocol is signed.", "The organisation agreed to it.")
    answer = index.ask("did the organization sign the crossborder protocol in Zorblax")
    # the word no passage has, as asked; the other spellings found are not among them
    assert answer.unmatched == ("Zorblax",)
    assert "not in the corpus: Zorblax" in render_text(answer)
    assert index.ask("the crossborder protocol").unmatched == ()


# ------------------------------------------------------------- footnotes


def test_a_fact_stated_only_in_a_footnote_is_found(bundled):
    hits = bundled.search("MTCNovo contract value", k=3)
    top = hits[0]
    assert "MTCNovo" not in top.passage.text and "MTCNovo" in (top.passage.citation or "")
    assert top.snippet.startswith("[footnote]") and "£462 million" in top.snippet
    marked = [top.snippet[a:b] for a, b in top.highlights]
    assert "MTCNovo" in marked


def test_source_references_in_footnotes_are_not_indexed():
    citation = ("¹⁰ London Assembly, Police and Crime Committee transcript, 20 July 2022\n"
                "¹⁰⁷ St Mungo’s, written evidence, August 2022; The Homelessness Reduction Act 2017 included a duty "
                "on specified public authorities to refer service users who may be homeless.\n"
                "¹²⁰ Clinks, Probation Service commissioning – how HMPPS is responding to voluntary sector feedback, "
                "28 April 2022")
    facts = cited_facts(citation)
    assert facts.startswith("The Homelessness Reduction Act 2017 included a duty")
    assert "transcript" not in facts and "Clinks" not in facts and "St Mungo" not in facts


# ------------------------------------------------------------- how a question is read


def _hearing(turns: list[tuple[str, str]]):
    return _record([dict(text=text, speaker=name) for name, text in turns], doc="h", date="2023-06-20")


HEARING = [
    ("Lady Hallett", "Were the stockpiles of masks checked before the pandemic?"),
    ("Hugo Keith", "My Lady, may I ask the witness about the planning exercises?"),
    ("George Osborne", "I was asked about austerity; the lockdown came years after I left office."),
    ("Lady Hallett", "Thank you. We will take a break."),
    ("Hugo Keith", "My Lady, the next witness is ready, and I ask that the documents be shown."),
]


def test_the_title_and_speech_word_around_a_named_speaker_are_not_searched():
    index = _hearing(HEARING)
    # "Lady" and "ask" were searched: the counsel's "My Lady ... I ask" came first
    answer = index.ask("What did Lady Hallett ask about masks?", k=2)
    assert answer.hits[0].passage.id == "h:0"
    assert answer.notes == ()
    assert {h.passage.speaker for h in index.ask("what did Lady Hallett ask", k=2).hits} == {"Lady Hallett"}


def test_a_named_speaker_without_a_matching_passage_is_said():
    index = _hearing(HEARING)
    answer = index.ask("What did Lady Hallett say about lockdown?", k=3)
    # the hits are someone else's: a reader would take them for her answer
    assert answer.hits[0].passage.speaker == "George Osborne"
    assert answer.notes == ("no passage by Lady Hallett matches the question: these are other speakers' passages",)
    from transcript_qa.terminal import render_text

    assert answer.notes[0] in render_text(answer)


def test_a_subject_after_what_did_is_not_a_kind_of_people():
    # "MPs" is a kind of speaker ("which MPs ..."); "what did MPS say" asks what the MPS said
    parsed = parse_question("what did MPS say about tagging")
    assert parsed.intent == "passages" and "MPS" in parsed.text
    assert parse_question("which MPs discussed tagging").people == "mps"


def test_stop_words_in_capitals_are_stop_words_and_operators_are_said():
    index = _spelled("Women in prison need support.", "The prison estate is old.", "The WHO published advice.")
    answer = index.ask("women NOT prison")
    assert answer.unmatched == ()  # was "not in the corpus: NOT"
    assert any("not operators" in note for note in answer.notes)
    assert question_terms(index, "WOMEN IN PRISON") == question_terms(index, "women in prison")
    assert "who" in question_terms(index, "advice from the WHO")  # an acronym the corpus has stays one


def test_an_amount_in_words_and_in_figures_find_each_other():
    index = _spelled("The fund was £10 million over two years.", "There were no Rule 10 requests.",
                     "It cost $2bn in all.")
    # "£10m" matched "Rule 10" alone: the record's "£10 million" was "£10", "10" and "million"
    assert index.search("£10m", k=1)[0].passage.id == "m:0"
    assert index.search("$2 billion", k=1)[0].passage.id == "m:2"
    hit = index.search("£10m", k=1)[0]
    assert any(hit.snippet[a:b] == "£10 million" for a, b in hit.highlights)


def test_a_percentage_in_words_and_in_figures_find_each_other():
    index = _spelled("Thirteen per cent of officers left last year.", "The service has 13 posts in Croydon.",
                     "Twenty-five percent of cases were late.")
    # "13%" matched the 13 posts alone; "thirteen per cent" was the words "thirteen" and "cent"
    assert index.search("13%", k=1)[0].passage.id == "m:0"
    assert index.search("what share left: 25 per cent?", k=1)[0].passage.id == "m:2"
    assert index.ask("thirteen per cent").unmatched == ()


def test_two_words_the_corpus_writes_as_one_find_it():
    index = _spelled("The CAS3 scheme houses prison leavers.", "Band 3 staff were recruited.",
                     "MTCNovo ran the contract.")
    answer = index.ask("who discussed CAS 3")
    assert answer.hits[0].passage.id == "m:0" and answer.unmatched == ()
    assert index.search("MTC Novo", k=1)[0].passage.id == "m:2"


def test_each_office_of_a_speaker_who_holds_several_names_them():
    turns = [("Mark Dreyfus", "Attorney-General and Cabinet Secretary",
              "The accreditation scheme will be reviewed this year."),
             ("Julian Leeser", "Member", "The Attorney-General says accreditation is in hand; the Attorney-General "
              "has not said when accreditation will be reviewed."),
             ("Tony Burke", "Minister for Employment and Workplace Relations, Minister for the Arts and Leader of "
              "the House", "The accreditation bill is listed for Thursday.")]
    index = _record([dict(text=text, speaker=name, role=role) for name, role, text in turns], date="2022-08-02")
    # the role was one handle, "attorney general and cabinet secretary": the office alone named nobody,
    # and the member who kept saying "the Attorney-General" came first
    assert index.search("what did the Attorney-General say about accreditation", k=1)[0].passage.id == "m:0"
    assert index.search("what did the Cabinet Secretary say about accreditation", k=1)[0].passage.id == "m:0"
    assert index.search("what did the Leader of the House say about accreditation", k=1)[0].passage.id == "m:2"


def test_an_iso_date_in_a_question_is_read_as_the_record_writes_dates():
    index = _spelled("The committee met on 20 July 2022 to hear evidence.", "There were 20 officers on 7 wards.",
                     "Budgets were set in March.")
    answer = index.ask("what evidence was there on 2022-07-20")
    # "07" was not in the corpus and "20" matched every 20
    assert answer.unmatched == () and answer.hits[0].passage.id == "m:0"
    iso = _spelled("Filed 2022-07-20 by the clerk.", "Filed 2023-01-19 by the clerk.")
    assert index.search("2022-07-20", k=1) and iso.search("2022-07-20", k=1)[0].passage.id == "m:0"


def test_which_senators_asks_for_the_senators_among_the_speakers():
    turns = [("Senator URQUHART", "Anne Urquhart", "What is the budget for the reef?"),
             ("Dr Reichelt", "David Reichelt", "The reef budget is set for four years, and the reef plan with it."),
             ("Senator WHISH-WILSON", "Peter Whish-Wilson", "And the reef drumlines?")]
    index = _record([dict(text=text, speaker=name, speaker_label=label) for label, name, text in turns],
                    date="2017-05-22")
    answer = index.ask("Which senators discussed the reef?")
    assert answer.intent == "who"
    assert {s.speaker for s in answer.speakers} == {"Anne Urquhart", "Peter Whish-Wilson"}


def test_the_member_for_a_seat_names_the_member_and_their_own_turns_come_first():
    turns = [("Keith Wolahan", "Menzies", "The member for Kooyong raised housing; I say the reef matters more."),
             ("Monique Ryan", "Kooyong", "Climate change will cost this country dearly unless we act now."),
             ("Julian Leeser", "Berowra", "The member for Kooyong is wrong about the budget.")]
    index = _record([dict(text=t, speaker=name, constituency=seat) for name, seat, t in turns], date="2022-08-02",
                    speakers=[SpeakerInfo(name=n, roles=(), organisations=(), honours=(), passages=1,
                                          documents=("m",), constituencies=(seat,)) for n, seat, _ in turns])
    # "the member for Kooyong" named nobody, and the turns that mention Kooyong came first
    assert index.search("What did the member for Kooyong say?", k=1)[0].passage.speaker == "Monique Ryan"
    # the office alone, nothing else asked: the holder's turns, by the name indexed with them
    assert index.search("what did the member for Berowra say", k=1)[0].passage.id == "m:2"


def test_the_judge_is_the_court_of_a_court_record():
    turns = [("The Court", "Counsel, rephrase the question; it assumes facts not in evidence."),
             ("Ms. Murray", "Judge, the question goes to the witness's state of mind."),
             ("Mr. Kamaraju", "Objection. The judge already ruled on the question of facts.")]
    index = _hearing(turns)
    # "the judge" named nobody ("not in the corpus: judge" on a real trial transcript)
    answer = index.ask("What did the judge say about the question?", k=1)
    assert answer.hits[0].passage.speaker == "The Court" and answer.unmatched == ()
