"""Parliament of Australia Hansard XML (ParlInfo, root <hansard>): one passage per spoken turn,
named from the <talker> records, every spoken word kept, hostile files skipped.

The House fixture's truth (tests/fixtures/real/au_house_hansard/truth.json, derived by its make.py
from the member links) gives the turns; the words are checked against the XML read here with the
standard library, independently of the reader."""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from transcript_qa.corpus import load_corpus
from transcript_qa.model import Document
from transcript_qa.parsing import parse_document

FIXTURES = Path(__file__).parent / "fixtures"
HOUSE = FIXTURES / "real" / "au_house_hansard"
SENATE = FIXTURES / "au_senate_hansard"
HEADINGS = {"HPS-Debate", "HPS-SubDebate", "HPS-SubSubDebate"}


def parse(text: str, name: str = "hansard.xml"):
    doc = Document(id=name, title=name, kind="transcript", date=None, path=name)
    return parse_document(text, doc)


def read(folder: Path):
    return parse((folder / "source.xml").read_text(encoding="utf-8"), folder.name + ".xml")


def printed(el) -> str:
    """The text as ParlInfo prints it: whitespace holding a line break between tags is the
    file's indentation (as the fixture's make.py reads it)."""
    def pieces(e):
        def keep(s):
            return "" if s is None or (not s.strip() and "\n" in s) else s
        yield keep(e.text)
        for child in e:
            yield from pieces(child)
            yield keep(child.tail)
    return " ".join("".join(pieces(el)).split())


def words(text: str) -> Counter:
    return Counter(re.findall(r"\w+", re.sub(r"\(\d{1,2}:\d{2}\)", " ", text).casefold()))


def turns(result):
    return [p for p in result.passages if p.speaker_label is not None]


# --- the House fixture against its truth ------------------------------------------------


def test_house_turns_and_people_match_the_truth():
    truth = json.loads((HOUSE / "truth.json").read_text(encoding="utf-8"))
    text = (HOUSE / truth["text"]).read_text(encoding="utf-8")
    result = read(HOUSE)
    found = turns(result)
    assert len(found) == len(truth["turns"])
    for passage, turn in zip(found, truth["turns"]):
        line = text[turn["start"]:].split("\n", 1)[0]
        first = passage.text.split("\n\n")[0]
        # the printed line is the label, then the turn's first paragraph
        assert line.endswith(first) and len(first) < len(line), (turn["head"], first[:40])
        assert passage.speaker == turn["name"], turn["head"]
        assert passage.section and passage.section.startswith("QUESTIONS WITHOUT NOTICE")
    assert result.title == "House of Representatives Hansard, 30 November 2021"
    assert result.date == "2021-11-30"


def test_house_labels_seats_parties_offices_and_stage_directions():
    ps = read(HOUSE).passages
    first = ps[0]
    assert (first.speaker_label, first.constituency, first.role, first.party) == (
        "Mr ALBANESE (Grayndler—Leader of the Opposition)", "Grayndler", "Leader of the Opposition", "ALP")
    assert first.time_start == 14 * 3600
    assert first.section == "QUESTIONS WITHOUT NOTICE: Independent Review into Commonwealth Parliamentary Workplaces"
    # the Speaker is printed only as an office: the talker record names him, the role stays
    chair = [p for p in ps if p.role == "The Speaker"]
    assert chair and all(p.speaker_label == "The SPEAKER" for p in chair)  # "The SPEAK" + "ER:" joined
    # "Opposition members interjecting—" records no words of anyone: no speaker, no turn
    stage = [p for p in ps if "interjecting" in p.text and len(p.text) < 60]
    assert stage and all(p.speaker is None and p.speaker_label is None for p in stage)
    # an answer broken by a point of order goes on as its own turn of the same person
    assert sum(1 for p in ps if p.speaker_label == "Mr MORRISON") >= 3


@pytest.mark.parametrize("folder", [HOUSE, SENATE], ids=["house", "senate"])
def test_every_spoken_word_is_in_a_passage(folder):
    root = ET.parse(folder / "source.xml").getroot()
    expected: Counter = Counter()

    def outermost(el):  # paragraphs (a heading can sit in a paragraph of its own)
        for child in el:
            if child.tag == "p":
                yield child
            else:
                yield from outermost(child)

    for p in outermost(root):
        if not any(e.get("class") in HEADINGS for e in p.iter()):  # titles are sections, not words
            expected += words(printed(p))
    got: Counter = Counter()
    for passage in read(folder).passages:
        got += words(passage.text) + words(passage.speaker_label or "")
    assert expected - got == Counter(), "words lost"
    assert got - expected == Counter(), "words added"


def test_senate_links_offices_and_labels_without_links():
    root = ET.parse(SENATE / "source.xml").getroot()
    register = {t.findtext("name.id"): t.findtext("name[@role='metadata']") for t in root.iter("talker")}
    result = read(SENATE)
    assert (result.title, result.date) == ("Senate Hansard, 11 August 2021", "2021-08-11")
    found = turns(result)
    # each paragraph opening with a member's link is a turn of that member, in order
    linked = [a.get("href") for p in root.iter("p") for a in p.iter("a")
              if (a.get("type") or "").startswith("Member") and printed(p).startswith(printed(a))]
    members = [p for p in found if p.speaker and p.party]
    assert len(members) == len(linked)
    for passage, ref in zip(members, linked):
        surname = register[ref].split(",")[0]
        assert passage.speaker.endswith(surname), (passage.speaker, register[ref])
    # "The PRESIDENT:" printed without a link, and the President's own link, are the office
    president = [p for p in found if p.speaker_label == "The PRESIDENT"]
    assert len(president) > 5 and {p.speaker for p in president} == {"The President"}
    # "[by video link]" belongs to the words, not the label
    video = [p for p in found if p.text.startswith("[by video link]")]
    assert video and all(p.speaker_label.startswith("Senator ") and "[" not in p.speaker_label for p in video)
    # "Senator Hughes interjecting—", printed in a member's class, is a stage direction
    hughes = [p for p in result.passages if p.text.startswith("Senator Hughes interjecting")]
    assert hughes and hughes[0].speaker is None and hughes[0].speaker_label is None
    # a bold "The Clerk:" in a debate's own text is a turn
    assert any(p.speaker_label == "The Clerk" for p in found)


# --- the older schemas (2.0, 2.1): each element holds its own paragraphs -----------------

OLD = """<?xml version="1.0" encoding="UTF-8"?>
<hansard version="2.1"><session.header><date>2006-03-30</date><chamber>REPS</chamber></session.header>
<chamber.xscript><debate><debateinfo><title>PRIVACY BILL 2006</title></debateinfo>
<subdebate.1><subdebateinfo><title>Second Reading</title></subdebateinfo>
<speech><talk.start><talker><time.stamp>10:01:00</time.stamp><name role="metadata">Vale, Dana, MP</name>
<name.id>AB1</name.id><electorate>Hughes</electorate><party>LP</party><role>Minister for Privacy</role>
<name role="display">Mrs VALE</name></talker><para>—I move:</para></talk.start>
<motion><para>That this bill be now read a second time.</para></motion>
<para>The bill protects records.</para>
<interjection><talk.start><talker><name.id>10000</name.id><name role="metadata">Jenkins, Harry (The DEPUTY SPEAKER)</name>
<name role="display">The DEPUTY SPEAKER</name></talker>
<para> <inline font-weight="bold">(Mr Jenkins)</inline>—Is the amendment seconded?</para></talk.start></interjection>
<continue><talk.start><talker><name.id>AB1</name.id><name role="metadata">Vale, Dana, MP</name>
<name role="display">Mrs VALE</name></talker><para>—It is, and I go on.</para></talk.start></continue>
<para>A second paragraph of the continuation.</para>
<interjection><talk.start><talker><name.id>10000</name.id><name role="metadata">McMullan, Bob (The DEPUTY SPEAKER)</name>
<name role="display">The DEPUTY SPEAKER</name></talker>
<para> <inline font-weight="bold">(Mr McMullan)</inline>—The question is that the bill be read a second time.</para>
</talk.start></interjection>
<para>Question agreed to.</para>
</speech></subdebate.1></debate></chamber.xscript></hansard>
"""


def test_older_schema_nested_turns_shared_chair_ids_and_business():
    result = parse(OLD)
    ps = result.passages
    assert [(p.speaker, p.speaker_label) for p in ps] == [
        ("Dana Vale", "Mrs VALE"),
        ("Harry Jenkins", "The DEPUTY SPEAKER (Mr Jenkins)"),
        ("Dana Vale", "Mrs VALE"),
        # one identifier ("10000") for every chair: two people, not one
        ("Bob McMullan", "The DEPUTY SPEAKER (Mr McMullan)"),
        (None, None),  # the record's business after an interjection
    ]
    assert ps[0].text.split("\n\n") == ["I move:", "That this bill be now read a second time.", "The bill protects records."]
    assert ps[2].text.endswith("A second paragraph of the continuation.")  # after a <continue>: still hers
    assert (ps[0].role, ps[0].party, ps[0].constituency) == ("Minister for Privacy", "LP", "Hughes")
    assert ps[1].role == "The Deputy Speaker" and ps[0].section == "PRIVACY BILL 2006: Second Reading"
    assert result.title == "House of Representatives Hansard, 30 March 2006"


# --- loading, hostile and odd files -----------------------------------------------------


def test_a_hansard_file_loads_as_a_corpus_document(tmp_path):
    (tmp_path / "2021-11-30.xml").write_bytes((HOUSE / "source.xml").read_bytes())
    corpus = load_corpus(tmp_path)
    assert not corpus.skipped
    (doc,) = corpus.documents
    assert (doc.title, doc.date) == ("House of Representatives Hansard, 30 November 2021", "2021-11-30")
    assert any(p.speaker == "Scott Morrison" for p in corpus.passages)


HOSTILE = {
    "laughs": '<?xml version="1.0"?>\n<!DOCTYPE h [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n<hansard><p>&b;</p></hansard>',
    "external": '<?xml version="1.0"?>\n<!DOCTYPE h [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<hansard><p>&x;</p></hansard>',
    "broken": "<hansard><chamber.xscript><speech><talk.text><p>unclosed</talk.text></speech></hansard>",
    "deep": "<hansard>" + "<debate>" * 500 + "</debate>" * 500 + "</hansard>",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_hansard_is_skipped_with_one_line(name):
    result = parse(HOSTILE[name])
    assert not result.passages and result.skipped
    assert all("\n" not in reason for _line, reason in result.skipped)


ODD = [
    "<hansard/>",
    "<hansard><session.header><date>not a date</date><chamber>SENATE</chamber></session.header></hansard>",
    # talk elements without a talker, a label without a colon, a link with no href, empty paragraphs
    ("<hansard><chamber.xscript><debate><speech><talk.text><body><p><span class='HPS-Normal'>No talker.</span></p>"
    "<p><a type='MemberSpeech'><span class='HPS-MemberSpeech'>Mr X</span></a> no colon here</p><p/>"
    "</body></talk.text></speech><question><talk.start><talker><name.id/><name role='metadata'>,</name></talker>"
    "<para>—</para></talk.start></question><interjection/><continue><talk.start/></continue></debate>"
    "</chamber.xscript></hansard>"),
]


@pytest.mark.parametrize("text", ODD)
def test_odd_hansard_files_do_not_crash(text):
    result = parse(text)
    assert all(p.text for p in result.passages)


def test_a_large_sitting_reads_in_linear_time():
    para = ("<p class='HPS-Normal'><span class='HPS-Normal'><a href='A1' type='MemberContinuation'>"
            "<span class='HPS-MemberContinuation'>Mr A:</span></a> Words of the turn.</span></p>")
    talker = "<talk.start><talker><name role='metadata'>A, Ann MP</name><name.id>A1</name.id></talker></talk.start>"
    text = ("<hansard><chamber.xscript><debate><debateinfo><title>T</title></debateinfo>"
            + f"<speech>{talker}<talk.text><body>{para * 200}</body></talk.text></speech>" * 50
            + "</debate></chamber.xscript></hansard>")
    began = time.perf_counter()
    result = parse(text)
    assert len(result.passages) == 10_000 and result.passages[-1].speaker == "Ann A"
    assert time.perf_counter() - began < 10
