"""Minutes of council and committee meetings, as the specification: the kind is detected,
agenda items are sections, reported speech ("Councillor Smith asked ...") is a passage of
that councillor, resolved to the name the attendance list gives, decisions have no
speaker, and `who`/`ask` find the councillor."""

from __future__ import annotations

import pytest

from transcript_qa.build import build_index
from transcript_qa.corpus import load_corpus
from transcript_qa.parsing import detect_kind

PLANNING = """\
MINUTES OF THE MEETING OF THE PLANNING COMMITTEE HELD ON 4 MARCH 2024

Present: Councillor A Patel (Chair), Councillors B Jones, C Smith and D Wright.

1. Apologies for absence

Apologies were received from Councillor E Brown.

2. Declarations of interest

Councillor Jones declared a non-pecuniary interest in item 4 as a member of the residents' association.

3. Land at Mill Road

The Planning Officer introduced the report and explained that the application proposed 45 new homes. Councillor
Smith asked about the provision of affordable housing. The officer confirmed that 35% of the homes would be affordable.

RESOLVED: That planning permission be granted subject to conditions.

4. Library services review

The Chair moved that the review be deferred. Mr Brown, the Head of Libraries, explained that closing the Eastfield
library would save money. In response, the Director confirmed that no decision had yet been taken.

It was agreed that the item be deferred to the next meeting.
"""


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "2024-03-04-planning-committee-minutes.txt").write_text(PLANNING, encoding="utf-8")
    return folder


def _passage(corpus, words):
    passages = load_corpus(corpus).passages
    return next(p for p in passages if words in p.text)


def test_minutes_are_detected_from_generic_cues():
    kind, why = detect_kind(PLANNING)
    assert kind == "minutes", why


def test_prose_with_a_present_line_is_not_minutes():
    memo = "Notes for the team\n\nPresent: the Mayor and 12 members of the public.\n\nThe weather was fine.\n"
    assert detect_kind(memo)[0] != "minutes"


def test_minutes_load_without_the_no_structure_warning(corpus):
    loaded = load_corpus(corpus)
    assert loaded.documents[0].kind == "minutes"
    assert not [w for w in loaded.warnings if "no recognisable structure" in w]


def test_agenda_items_are_sections(corpus):
    assert _passage(corpus, "affordable housing").section == "3. Land at Mill Road"
    assert _passage(corpus, "non-pecuniary").section == "2. Declarations of interest"


def test_reported_speech_is_the_councillors_resolved_by_the_present_line(corpus):
    asked = _passage(corpus, "Smith asked about the provision")
    assert asked.speaker == "C Smith"
    assert asked.text.startswith("Councillor Smith asked") and "officer confirmed" not in asked.text
    assert _passage(corpus, "declared a non-pecuniary interest").speaker == "B Jones"


def test_an_exchange_in_one_paragraph_gives_each_speaker_their_words(corpus):
    officer = _passage(corpus, "proposed 45 new homes")
    assert officer.speaker == "The Planning Officer" and officer.role == "Planning Officer"
    assert "Smith asked" not in officer.text
    assert _passage(corpus, "35% of the homes").speaker == "The officer"


def test_the_chair_is_the_member_marked_chair_and_an_appositive_gives_the_role(corpus):
    assert _passage(corpus, "moved that the review be deferred").speaker == "A Patel"
    head = _passage(corpus, "closing the Eastfield")
    assert (head.speaker, head.role) == ("Brown", "Head of Libraries")
    assert _passage(corpus, "no decision had yet been taken").speaker == "The Director"


def test_decisions_have_no_speaker_and_keep_their_section(corpus):
    resolved = _passage(corpus, "planning permission be granted")
    assert resolved.speaker is None and resolved.section == "3. Land at Mill Road"
    agreed = _passage(corpus, "It was agreed that the item be deferred")
    assert agreed.speaker is None and agreed.section == "4. Library services review"


def test_offsets_point_at_the_reported_sentence(corpus):
    text = (corpus / "2024-03-04-planning-committee-minutes.txt").read_text(encoding="utf-8")
    asked = _passage(corpus, "Smith asked about the provision")
    assert text[asked.start:asked.end].startswith("Councillor\nSmith asked")
    assert text[asked.start:asked.end].rstrip().endswith("affordable housing.")


def test_who_and_ask_find_the_councillor(corpus, tmp_path):
    index = build_index(corpus, tmp_path / "index")
    assert index.who("who asked about affordable housing")[0].speaker == "C Smith"
    top = index.ask("what was said about affordable housing").hits[0]
    assert top.passage.speaker == "C Smith"


def test_a_quoted_motion_is_nobodys_witness_statement(tmp_path):
    """A motion quoted under its proposer is not attributed to the heading
    that follows it (the report rule for a witness's quote and its attribution
    line does not apply to minutes)."""
    (tmp_path / "min.txt").write_text(
        "MINUTES OF THE MEETING OF THE COMMUNITY COUNCIL HELD ON 10 JUNE 2020\n\n"
        "Present: Councillor A Patel (Chair), Councillors B Jones, C Smith and D Wright.\n\n"
        "1. Apologies\n\nApologies were received from Councillor E Brown.\n\n"
        "2. Parking charges\n\n"
        "Councillor Smith proposed the following motion, seconded by Councillor Jones:\n\n"
        "\"That the council reviews parking charges in the town centre before the next budget.\"\n\n"
        "Planning Matters\n\n"
        "Councillor Wright asked about the application for the old mill.\n", encoding="utf-8")
    passages = load_corpus(tmp_path).passages
    motion = next(p for p in passages if "reviews parking charges" in p.text)
    assert motion.speaker in (None, "C Smith")
    assert "Planning Matters" not in {p.speaker for p in passages}
    assert next(p for p in passages if "old mill" in p.text).speaker == "D Wright"
