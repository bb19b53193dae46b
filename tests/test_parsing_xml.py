"""Parliamentary XML: one passage per speech, speakers from the source's own person
identifiers; hostile or malformed files are skipped with a one-line warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transcript_qa.corpus import load_corpus
from transcript_qa.model import Document
from transcript_qa.parsing import parse_document

REAL = Path(__file__).parent / "fixtures" / "real"


def read(folder: str):
    path = REAL / folder / "source.xml"
    doc = Document(id=folder, title=folder, kind="transcript", date=None, path=path.name)
    return parse_document(path.read_text(encoding="utf-8"), doc)


def speeches(folder: str):
    return json.loads((REAL / folder / "truth.json").read_text(encoding="utf-8"))["speeches"]


def test_parlparse_speeches_headings_and_groups():
    result = read("gb_parlparse")
    ps = result.passages
    assert [(p.speaker, p.speaker_label) for p in ps[:2]] == [("Lindsay Hoyle", "Lindsay Hoyle"), (None, "Hon. Members:")]
    assert ps[0].section == "Speaker's Statement" and ps[0].text.count("\n\n") == 1  # two <p>
    assert ps[2].speaker is None and ps[2].section == "Business before Questions: Committee of Selection"


def test_akoma_ntoso_speeches_from_and_by():
    ps = read("za_akoma_ntoso").passages
    turns = [p for p in ps if p.speaker_label]
    assert len(turns) == len(speeches("za_akoma_ntoso"))
    assert (turns[1].speaker, turns[1].speaker_label, turns[1].section) == (
        "M S F de Freitas", "Mr M S F DE FREITAS", "NOTICES OF MOTION")
    # one reference, one name: "(ANC)" labels give the party
    mmusi = next(p for p in turns if p.speaker == "S G Mmusi")
    assert mmusi.party == "ANC"
    narrative = [p for p in ps if not p.speaker_label]
    assert narrative and narrative[0].text.startswith("The House met at")


def test_oireachtas_akoma_ntoso_offices_named_from_the_register_and_notes_kept():
    ps = read("ie_oireachtas_dail").passages
    # "The Taoiseach" and "An Ceann Comhairle" are never named in the record: the TLCPerson
    # register the by= reference points to names them
    taoiseach = [p for p in ps if p.speaker_label == "The Taoiseach"]
    assert taoiseach and {p.speaker for p in taoiseach} == {"Micheál Martin"}
    assert {p.role for p in taoiseach} == {"The Taoiseach"}
    assert {p.speaker for p in ps if p.speaker_label == "An Ceann Comhairle"} == {"Verona Murphy"}
    # the centred notes (<summary>) are speakerless passages, not dropped
    assert [p.text for p in ps[:3]] == [
        "Chuaigh an Cathaoirleach Gníomhach (Deputy James O'Connor) i gceannas ar 09.00",
        "Paidir agus Machnamh.", "Prayer and Reflection."]
    assert all(p.speaker is None for p in ps[:3])
    assert len([p for p in ps if p.speaker_label]) == len(speeches("ie_oireachtas_dail"))


def test_an_empty_akoma_ntoso_reference_is_no_identifier():
    xml = (
        '<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0/CSD13"><debate><meta>'
        '<references><TLCPerson eId="JohnBrady" href="/x" showAs="John Brady"/></references></meta>'
        '<debateBody><debateSection eId="d1"><heading>Business of Committee</heading>'
        '<speech by="#JohnBrady"><from>An Cathaoirleach</from><p>We are joined by the witness.</p></speech>'
        '<speech by="#"><from>Mr. Seamus McCarthy</from><p>First, the financial statements.</p></speech>'
        '<speech by="#"><from>Ms Jane Doyle</from><p>I agree.</p></speech>'
        '<speech by="#"><from>Deputies</from><p>Hear, hear.</p></speech>'
        '</debateSection></debateBody></debate></akomaNtoso>'
    )
    doc = Document(id="c", title="c", kind="transcript", date=None, path="c.xml")
    ps = parse_document(xml, doc).passages
    # two witnesses with by="#" stay two people (the label says who), the group is nobody
    assert [p.speaker for p in ps] == ["John Brady", "Seamus McCarthy", "Jane Doyle", None]
    assert ps[0].role == "An Cathaoirleach"


def test_parlamint_tei_utterances_who_and_heads():
    ps = read("gb_parlamint_tei").passages
    assert [p.speaker for p in ps] == ["Lindsay Hoyle", "Robert Blackman", "David Rutley", "Eleanor Laing"]
    assert ps[1].section == "Free Trade Agreement: India"
    assert "House adjourned" not in ps[-1].text  # transcriber notes are not speech


def test_canadian_hansard_interventions_and_bold_interjections():
    ps = read("ca_committee").passages
    assert ps[0].speaker == "Lloyd Longfield" and ps[0].role == "The Chair"
    chair_only = [p for p in ps if p.speaker_label == "The Chair"]
    assert chair_only and {p.speaker for p in chair_only} == {"Lloyd Longfield"}
    interjection = next(p for p in ps if p.text == "Okay.")
    assert interjection.speaker == "Corey Tochor"


def test_offsets_point_at_the_speech_elements():
    path = REAL / "gb_parlparse" / "source.xml"
    text = path.read_text(encoding="utf-8")
    ps = read("gb_parlparse").passages
    assert text[ps[0].start :].startswith("<speech") and text[: ps[0].end].endswith("</speech>")


HOSTILE = {
    "laughs.xml": '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n'
                  "<publicwhip><speech speakername=\"A B\">&lol2;</speech></publicwhip>\n",
    "external.xml": '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
                    "<publicwhip><speech speakername=\"A B\"><p>&xxe;</p></speech></publicwhip>\n",
    "broken.xml": "<publicwhip><speech speakername=\"A B\"><p>unclosed</speech></publicwhip>\n",
    "deep.xml": "<TEI>" + "<div>" * 500 + "</div>" * 500 + "</TEI>\n",
    "other.xml": '<?xml version="1.0"?>\n<rss><channel><title>News</title></channel></rss>\n',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_malformed_or_foreign_xml_is_skipped_with_one_line(tmp_path, name):
    (tmp_path / name).write_text(HOSTILE[name], encoding="utf-8")
    (tmp_path / "ok.txt").write_text("Ann Lee: Hello.\n\nBob Ray: Hi.\n\nAnn Lee: Bye.\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert [d.path for d in corpus.documents] == ["ok.txt"]
    assert [s.path for s in corpus.skipped] == [name]
    mine = [w for w in corpus.warnings if w.startswith(name)]
    assert mine and all("\n" not in w for w in mine)
    assert "root:x:0" not in " ".join(p.text for p in corpus.passages)
