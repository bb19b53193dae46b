"""Committee reports as PDF text prints them: plain-digit footnotes, lead-ins.

Excerpts from House of Commons Environmental Audit Committee, "Environmental impact of
microplastics", Fourth Report of Session 2016-17, HC 179, pp. 7-12 (Open Parliament Licence v3.0).
"""

import json

from transcript_qa import load_corpus

REPORT = """Impact on human health

21. It is uncertain whether microplastics that are ingested by humans can be transported into tissues. Thomas Maes, CEFAS told us:

There is lots of research available from the other side - the medicine side. They use microplastics as carriers for medicines... as vectors for delivering medicines to those areas where they want them to be active.55

22. One source of microplastics arises from the breakdown of larger plastics. Similarly, Professor Galloway, University of Exeter, said:

“I think the issue is that as you break things down into smaller and smaller particles you increase the surface area.”15

23. Microplastics are present in seafood sold for human consumption, such as mussels from the North Sea.57

24. The estimates for 2019 were 55.

15 Q18
55 Q349
57 King’s College London (EIM0014), DEFRA (EIM0034)
"""


def _passages(tmp_path, text):
    (tmp_path / "report.txt").write_text(text, encoding="utf-8")
    (tmp_path / "corpus.json").write_text(json.dumps({"documents": [{"file": "report.txt", "kind": "report"}]}))
    return [p for p in load_corpus(tmp_path).passages if p.boilerplate is None]


def _one(passages, start):
    found = [p for p in passages if p.text.startswith(start)]
    assert len(found) == 1, [p.text[:60] for p in passages]
    return found[0]


def test_plain_digit_markers_become_citations(tmp_path):
    ps = _passages(tmp_path, REPORT)
    quote = _one(ps, "There is lots")
    assert quote.text.endswith("to be active.")
    assert quote.citation == "55 Q349"
    para = _one(ps, "23. Microplastics")
    assert para.citation == "57 King’s College London (EIM0014), DEFRA (EIM0034)"
    assert para.text.endswith("North Sea.")
    # footnote lines are no passages of their own
    assert not any(p.text.startswith(("15 Q18", "55 Q349")) for p in ps)


def test_year_or_quantity_is_no_marker(tmp_path):
    para = _one(_passages(tmp_path, REPORT), "24. The estimates")
    assert para.text == "24. The estimates for 2019 were 55."
    assert para.citation is None


def test_numbered_paragraph_with_marker_is_no_heading(tmp_path):
    ps = _passages(tmp_path, REPORT)
    assert all(p.section == "Impact on human health" for p in ps)


def test_quote_ending_in_marker_does_not_swallow_next_paragraph(tmp_path):
    ps = _passages(tmp_path, REPORT)
    assert "22. One source" not in _one(ps, "There is lots").text
    _one(ps, "22. One source")


def test_lead_in_after_connective_names_titled_witness(tmp_path):
    quote = _one(_passages(tmp_path, REPORT), "“I think the issue")
    assert quote.speaker == "Galloway"
    assert quote.organisation == "University of Exeter"
    assert quote.citation == "15 Q18"


def test_lead_in_on_its_own_line(tmp_path):
    text = ("Impact on human health\n\nProfessor Galloway, University of Exeter, said:\n\n"
            "“I think the issue is that as you break things down into smaller and smaller particles "
            "you increase the surface area.”\n")
    quote = _one(_passages(tmp_path, text), "“I think")
    assert (quote.speaker, quote.organisation) == ("Galloway", "University of Exeter")


# House of Commons Environmental Audit Committee, HC 179 (2016-17), p. 12, as PDF text prints it:
# the quotes are indented paragraphs without quotation marks.
UNMARKED = """Impact on human health

21. It is uncertain whether microplastics that are ingested by humans can be transported into tissues. Microplastics are widely used as carriers for medicines, and can transfer into tissues in humans. Thomas Maes, CEFAS told us:

          There is lots of research available from the other side - the medicine side.
          They use microplastics as carriers for medicines.

He went on to say:

          [The evidence] shows it could transfer to several layers of the human body, in
          simple layman’s terms.

22. Microplastics are present in seafood sold for human consumption, such as mussels from the North Sea.

23. It is possible that the gut wall could stop microplastics from entering tissues, but very small particles could potentially pass through.
"""


def test_unmarked_quote_after_lead_in_ending_a_numbered_paragraph(tmp_path):
    ps = _passages(tmp_path, UNMARKED)
    first = _one(ps, "There is lots")
    assert (first.speaker, first.organisation) == ("Thomas Maes", "CEFAS")
    # "He went on to say:" is a lead-in, not a section; the witness goes on
    second = _one(ps, "[The evidence]")
    assert second.speaker == "Thomas Maes"
    assert all(p.section == "Impact on human health" for p in ps)
    assert _one(ps, "22. Microplastics").speaker is None


# House of Commons Liaison Committee, Legacy Report, HC 954 (2014-15), "Conclusions and recommendations".
CONCLUSIONS = """House of Commons Liaison Committee

Conclusions and recommendations

1.  We recommend that SO No. 145 (Liaison Committee) be amended by inserting in para (2) after 'Prime Minister', 'and from the Deputy Prime Minister' and in para (10) to reduce the quorum for oral evidence sessions to six. (Paragraph 11)

2.  Our overall impression is that government departments are taking committees seriously and engaging positively with them. (Paragraph 16)

4.  We recommend that SO No. 134 (Select committees (reports)) be amended to read:

All select committees shall have power:

(a) to authorise the clerk of the committee to supply copies of their reports under embargo to such persons as those committees consider appropriate after those reports have been reported to the House; (Paragraph 47)
"""


def test_numbered_recommendations_are_a_report_and_list_intro_no_heading(tmp_path):
    from transcript_qa.parsing.detect import detect_kind

    assert detect_kind(CONCLUSIONS, "legacy.txt")[0] == "report"
    ps = _passages(tmp_path, CONCLUSIONS)
    assert {p.section for p in ps} == {"Conclusions and recommendations"}
    _one(ps, "All select committees shall have power:")


# Letter, Chairman Clement Zablocki (House Committee on International Relations) to Attorney
# General Griffin Bell, 11 December 1978 (US Government work), shortened.
LETTER = """Congress of the United States
Committee on International Relations
House of Representatives
Washington, DC 20515

December 11, 1978

The Honorable Griffin B. Bell
Attorney General
Department of Justice
Washington, D. C. 20530

Dear Mr. Bell:

The Members of the Committee on International Relations are deeply distressed and concerned over the tragedy which befell the mission to Guyana headed by the late Honorable Leo J. Ryan.

Thanking you in advance for your cooperation and assistance, I am

Sincerely yours,
/s/ Clement Zablocki

cc: Hon. William Webster
"""


def test_us_letter_is_detected_and_signed(tmp_path):
    from transcript_qa.parsing.detect import detect_kind

    assert detect_kind(LETTER, "letter.txt")[0] == "letter"
    (tmp_path / "letter.txt").write_text(LETTER, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    doc = corpus.documents[0]
    assert (doc.kind, doc.author, doc.recipient) == ("letter", "Clement Zablocki", "Griffin B. Bell")
    body = [p for p in corpus.passages if p.boilerplate is None]
    assert body and all(p.speaker == "Clement Zablocki" for p in body)
    assert any(p.text.startswith("Thanking you") for p in body)
