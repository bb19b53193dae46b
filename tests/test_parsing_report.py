"""Reports: sections, attributed quotes, footnotes as citations, boilerplate, page breaks."""

from __future__ import annotations

from pathlib import Path

import pytest

from transcript_qa.model import Document
from transcript_qa.parsing import parse_document
from transcript_qa.parsing.attribution import lead_in_attribution, parse_attribution

FIXTURE = Path(__file__).parent / "fixtures" / "corpora" / "mixed" / "2024-03-01-report.md"
DOC = Document(id="r", title="R", kind="report", date=None, path="r.md")


@pytest.fixture(scope="module")
def report():
    text = FIXTURE.read_text(encoding="utf-8")
    return text, parse_document(text, DOC).passages


def find(passages, needle):
    hits = [p for p in passages if needle in p.text]
    assert len(hits) == 1, (needle, [p.id for p in hits])
    return hits[0]


def test_quote_with_bold_two_line_attribution(report):
    _, ps = report
    q = find(ps, "six weeks of rent")
    assert (q.speaker, q.role, q.organisation) == ("Priya Patel", "Head of Policy", "Shelter Trust")
    assert q.text.startswith("“Landlords") and q.text.endswith("sofa.”")  # footnote marker dropped
    assert q.citation == "³ Housing Committee, transcript, 1 February 2024"


def test_organisation_attribution_is_a_speaker(report):
    _, ps = report
    q = find(ps, "deposit scheme we will see")
    assert q.speaker == "Shelter Trust" and q.organisation == "Shelter Trust" and q.role is None


def test_attribution_lines_are_not_passages(report):
    _, ps = report
    assert not [p for p in ps if p.text.strip("*") in ("Shelter Trust", "Priya Patel, Head of Policy")]


def test_lead_in_names_the_speaker(report):
    _, ps = report
    q = find(ps, "The protocol will cover")
    assert (q.speaker, q.role) == ("Amir Khan", "Director of Housing")


def test_footnotes_become_citations_and_page_breaks_join(report):
    text, ps = report
    p = find(ps, "40 people a month leave prison homeless")
    # the paragraph was cut by a page break and a footnote block: joined back
    assert "the shortage of affordable homes makes this worse." in p.text
    assert "¹" not in p.text and "²" not in p.text
    assert p.citation.splitlines() == [
        "¹ Housing Committee, transcript, 1 February 2024",
        "² Shelter Trust, written evidence, January 2024",
    ]
    assert text[p.start : p.end].startswith("The Committee heard") and text[p.start : p.end].endswith("worse.²")
    # footnote lines are not passages of their own
    assert not [p for p in ps if p.text.startswith(("¹", "²", "³", "⁴", "⁵"))]


def test_sections_and_recommendation_numbers(report):
    _, ps = report
    assert find(ps, "apply for housing before").section == "Recommendation 1"
    rec2 = find(ps, "fund a deposit scheme")
    assert rec2.section == "Recommendation 2"
    # short list items after a lead-in ending with ":" belong to that paragraph
    assert rec2.text.endswith("This should involve:\n- the Council\n- the prisons\n- local landlords.")
    assert find(ps, "40 people a month").section == "Leaving prison homeless"


def test_signed_foreword_is_attributed(report):
    _, ps = report
    p = find(ps, "Too many people leave prison")
    assert (p.section, p.speaker, p.role) == ("Foreword", "Jane Doe", "Chair of the Housing Committee")


def test_boilerplate_tags(report):
    _, ps = report
    tags = {p.boilerplate for p in ps}
    assert {"contents", "contact", "translations", "image"} <= tags
    assert find(ps, "large print or braille").boilerplate == "translations"
    assert find(ps, "Gymraeg").boilerplate == "translations"
    assert find(ps, "Εάν επιθυμείτε").boilerplate == "translations"
    assert find(ps, "sam.officer@").boilerplate == "contact"
    assert find(ps, "Foreword.....").boilerplate == "contents"
    assert find(ps, "aerial photograph").boilerplate == "image"


def test_positions_are_dense_and_ids_stable(report):
    text, ps = report
    assert [p.position for p in ps] == list(range(len(ps)))
    again = parse_document(text, DOC).passages
    assert [(p.id, p.text) for p in again] == [(p.id, p.text) for p in ps]


def test_uncited_footnote_is_boilerplate():
    text = "Heading here\n\nA paragraph with a marker.¹\n\n¹ Cited source.\n\n² Nobody cites this one.\n"
    ps = parse_document(text, DOC).passages
    assert [p.boilerplate for p in ps] == [None, "footnote"]
    assert ps[0].citation == "¹ Cited source." and ps[1].text == "² Nobody cites this one."


def test_quote_without_attribution_has_no_speaker():
    text = "Findings\n\nThe Committee was told:\n\n“Nobody knows.”\n\nThe next finding is about something else entirely.\n"
    ps = parse_document(text, DOC).passages
    q = find(ps, "Nobody knows")
    assert q.speaker is None


@pytest.mark.parametrize(
    "first, second, expected, used",
    [
        (["**Monique Williams, Head of Delivery", "Switchback**"], None, ("Monique Williams", "Head of Delivery", "Switchback"), False),
        (["Niki Scordi, Chief Executive Officer"], "Advance", ("Niki Scordi", "Chief Executive Officer", "Advance"), True),
        (["St Mungo's"], "Services must seize the opportunity", ("St Mungo's", None, "St Mungo's"), False),
        (["Richard Oldfield"], None, ("Richard Oldfield", None, None), False),
        (["Commander Nick John, Head of Criminal Justice"], "The Met", ("Nick John", "Head of Criminal Justice", "The Met"), True),
        (["Retention of staff is difficult"], None, None, False),
        (["This is a sentence."], None, None, False),
    ],
)
def test_parse_attribution(first, second, expected, used):
    att, used_second = parse_attribution(first, second)
    if expected is None:
        assert att is None
    else:
        assert (att.name, att.role, att.organisation) == expected
        assert used_second is used


def test_lead_in_attribution():
    att = lead_in_attribution("Napo had been told so. Katie Lomas, National Chair of Napo, said:", set())
    assert (att.name, att.role) == ("Katie Lomas", "National Chair of Napo")
    assert lead_in_attribution("a representative from the Association told the Committee:", set()) is None
    # a body that says it is one ("Institute", "Service") is named by a lead-in too (issue 8)
    att = lead_in_attribution("The Probation Institute said:", set())
    assert (att.name, att.organisation) == ("Probation Institute", "Probation Institute")
    att = lead_in_attribution("The London Probation Service itself said probation officers were having to "
                              "prioritise seeing people with higher levels of need:", set())
    assert (att.name, att.organisation) == ("London Probation Service", "London Probation Service")
    att = lead_in_attribution("The Probation Institute said:", {"The Probation Institute"})
    assert (att.name, att.organisation) == ("The Probation Institute", "The Probation Institute")


def test_a_lead_in_names_the_body_quoted_and_an_elided_quote_links_to_the_turn(tmp_path):
    """Issue 8: "The London Probation Service itself said ...:" attributes the quote that
    follows; the quote leaves words out ("[...]") and still links to the turn it quotes."""
    from transcript_qa.corpus import load_corpus

    (tmp_path / "hearing.txt").write_text(
        "Jane Doe AM (Chair): How are caseloads?\n\n"
        "Ann Lee (Director, Example Probation Service): Caseloads are high. We triage by risk every week, "
        "and honestly some people wait. We hired staff in March.\n\n"
        "Jane Doe AM (Chair): Thank you.\n", encoding="utf-8")
    (tmp_path / "report.md").write_text(
        "# Findings\n\n"
        "The Example Probation Service itself said officers were having to prioritise:\n\n"
        "“We triage by risk every week [...] We hired staff in March.”¹\n\n"
        "¹ Transcript, 1 March\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    quote = next(p for p in corpus.passages if p.text.startswith("“We triage"))
    turn = next(p for p in corpus.passages if p.speaker == "Ann Lee")
    assert (quote.speaker, quote.organisation) == ("Example Probation Service", "Example Probation Service")
    assert quote.links == (turn.id,) and turn.links == (quote.id,)
