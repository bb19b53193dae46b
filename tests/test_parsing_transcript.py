"""Plain-text transcripts: turns, continuations, page breaks, labels."""

from __future__ import annotations

from transcript_qa.model import Document
from transcript_qa.parsing import parse_document
from transcript_qa.parsing.transcript import find_label

DOC = Document(id="t", title="T", kind="transcript", date=None, path="t.txt")

TEXT = """Housing Committee - Thursday 1 February 2024

Transcript of Agenda Item 4 – Homes

Jane Doe AM (Chair): Welcome. Amir, how many people leave prison homeless?

Amir Khan (Director of Housing, Example Council): About 40 a month. We [the Council] are working on a

protocol with the prisons.

That protocol should be ready in the spring.

Jane Doe AM: Thank you. [Commander] Lee?

**Robert Lee MBE AM:** Who pays deposits today? The answer matters
because it is the

gap we keep hearing about.
"""


def turns(text: str):
    result = parse_document(text, DOC)
    return [p for p in result.passages if p.boilerplate is None], result


def test_turns_speakers_roles_and_title_lines():
    ts, result = turns(TEXT)
    assert [t.speaker for t in ts] == ["Jane Doe", "Amir Khan", "Jane Doe", "Robert Lee"]
    assert ts[1].role == "Director of Housing" and ts[1].organisation == "Example Council"
    assert ts[3].speaker_label == "Robert Lee MBE AM"
    meta = [p for p in result.passages if p.boilerplate == "metadata"]
    assert [p.text for p in meta] == ["Housing Committee - Thursday 1 February 2024", "Transcript of Agenda Item 4 – Homes"]
    assert result.date == "2024-02-01"
    assert result.title.startswith("Housing Committee")


def test_continuations_and_page_breaks_join_the_turn():
    ts, _ = turns(TEXT)
    amir = ts[1].text
    # page break mid-sentence joined with a space; a new paragraph keeps a blank line
    assert "working on a protocol with the prisons." in amir
    assert amir.endswith("protocol with the prisons.\n\nThat protocol should be ready in the spring.")
    assert ts[3].text == "Who pays deposits today? The answer matters because it is the gap we keep hearing about."


def test_editorial_insertions_are_kept_and_do_not_make_labels():
    ts, _ = turns(TEXT)
    assert "[the Council]" in ts[1].text
    assert ts[2].text == "Thank you. [Commander] Lee?"


def test_bare_label_inherits_role_from_earlier_label():
    ts, _ = turns(TEXT)
    assert ts[0].role == "Chair" and ts[2].role == "Chair"


def test_offsets_point_into_the_source():
    ts, result = turns(TEXT)
    for p in result.passages:
        assert TEXT[p.start : p.end].strip() == TEXT[p.start : p.end]
    assert TEXT[ts[1].start :].startswith("Amir Khan (Director of Housing")
    assert TEXT[: ts[1].end].endswith("ready in the spring.")
    assert [p.id for p in result.passages] == [f"t:{i}" for i in range(len(result.passages))]


def test_find_label_is_bracket_aware():
    assert find_label("Name (Role: acting, Org): text").label == "Name (Role: acting, Org)"
    assert find_label("The Chair (Hon. Anthony Rota (Nipissing-Timiskaming, Lib.)): Order.").label.startswith("The Chair")
    assert find_label("Dr. Jane Smith: hello").label == "Dr. Jane Smith"
    assert find_label("Therefore, the model is: this") is None
    assert find_label("At 10:30 we met") is None
    assert find_label("It was, he said. Then: more") is None
    assert find_label("lower case: no") is None


def test_one_word_label_must_repeat():
    text = "Jane Doe AM: Hello.\n\nNote: this is part of the turn.\n\nChair: One.\n\nWitness: Two.\n\nChair: Three.\n"
    ts, _ = turns(text)
    # "Chair" occurs twice: a speaker; "Witness" and "Note" occur once: part of the text
    assert [t.speaker for t in ts] == ["Jane Doe", "Chair", "Chair"]
    assert ts[1].text == "One.\n\nWitness: Two."
    assert "Note: this is part of the turn." in ts[0].text


def test_no_labels_gives_a_warning():
    _, result = turns("Just some text.\n\nAnd more text.\n")
    assert result.warnings and "no speaker labels" in result.warnings[0]


def test_leading_timestamps_are_allowed_and_kept():
    ts, _ = turns("[00:01:05] Ann Lee AM: Hello.\n\n[00:01:09] Bob Ray AM: Hi there.\n")
    assert [(t.speaker, t.text, t.time_start) for t in ts] == [("Ann Lee", "Hello.", 65.0), ("Bob Ray", "Hi there.", 69.0)]


def test_a_label_wrapped_over_two_lines_is_read_across_them():
    ts, _ = turns("Ann Lee AM (Chair): Welcome, Director.\n\n"
                  "Dr Ben Jones (Director of Housing and Communities, Example\n"
                  "Council): Thank you. We house 40 families a month.\n\n"
                  "Ann Lee AM (Chair): And next year?\n")
    assert [(t.speaker, t.role, t.organisation, t.text) for t in ts] == [
        ("Ann Lee", "Chair", None, "Welcome, Director."),
        ("Ben Jones", "Director of Housing and Communities", "Example Council",
         "Thank you. We house 40 families a month."),
        ("Ann Lee", "Chair", None, "And next year?"),
    ]


HANSARD_WEB = [
    ("Jane Smith (Barchester) (Lab)", "What assessment has the Minister made of probation caseloads?"),
    ("The Minister for Prisons and Probation (Damian Hinds)", "Caseloads are falling."),
    ("Jane Smith", "Caseloads are still far too high."),
    ("Damian Hinds", "I will write to the honourable member."),
    ("Mr Speaker", "Order."),
    ("John Roe (Westshire) (Con)", "Will the Minister visit Westshire?"),
    ("Damian Hinds", "I would be delighted to."),
    ("The Parliamentary Under-Secretary of State for Justice (Mike Freer)", "We are investing in probation."),
    ("John Roe", "I thank the Minister."),
    ("Mike Freer", "I will look at that."),
]


def test_hansard_copied_from_the_web_with_long_offices_and_times_between_speeches():
    """Each speaker's name alone on a line, the words below; an office with its
    holder in brackets may run past eighty characters; a time of day on its own
    line ("2.40 pm") is when, not words of the speech before it (lines written for
    the test in the shape the UK Parliament's Hansard site shows)."""
    paragraphs = ["Probation Services", "Volume 731: debated on Tuesday 2 May 2023", "2.31 pm"]
    for k, (name, words) in enumerate(HANSARD_WEB):
        paragraphs += [name, words] + (["2.40 pm"] if k == 5 else [])
    said = [(p.speaker, p.role, p.text) for p in turns("\n\n".join(paragraphs) + "\n")[0]]
    assert said[1] == ("Damian Hinds", "The Minister for Prisons and Probation", "Caseloads are falling.")
    assert said[5] == ("John Roe", None, "Will the Minister visit Westshire?")  # not "... 2.40 pm"
    assert said[7] == ("Mike Freer", "The Parliamentary Under-Secretary of State for Justice",
                       "We are investing in probation.")
    assert len(said) == len(HANSARD_WEB)


def test_stage_directions_within_a_turn_are_passages_of_their_own_after_it():
    text = ("**Lady Hallett**: I shall come back at 2.00.\n\n*(The witness withdrew)*\n\n*(1.02 pm)*\n\n"
            "Thank you all.\n\n**Mr Keith**: My Lady, this afternoon we hear from the next witness.\n\n"
            "**Lady Hallett**: Thank you.\n\n**Mr Keith**: Thank you.\n")
    passages = parse_document(text, DOC).passages
    assert [(p.speaker, p.boilerplate, p.text) for p in passages] == [
        ("Hallett", None, "I shall come back at 2.00.\n\nThank you all."),  # one turn, the directions aside
        (None, "metadata", "(The witness withdrew)"),
        (None, "metadata", "(1.02 pm)"),
        ("Keith", None, "My Lady, this afternoon we hear from the next witness."),
        ("Hallett", None, "Thank you."),
        ("Keith", None, "Thank you."),
    ]
