"""Identities: within a document, offices and short names mean the person named
before; across documents, the same name is one person only on corroboration."""

from __future__ import annotations

from pathlib import Path

from transcript_qa.corpus import load_corpus
from transcript_qa.identities import resolve_document
from transcript_qa.model import Passage
from transcript_qa.speakers import SpeakerRegistry, canonicalise_passages, summarise_speakers


def turn(i, label, speaker, doc="d", **kw):
    return Passage(id=f"{doc}:{i}", document=doc, kind="transcript", title="t", date=None, position=i, text="x",
                   start=i, end=i + 1, speaker=speaker, speaker_label=label, **kw)


def names(passages):
    return [p.speaker for p in passages]


def test_an_office_means_the_person_last_named_in_it():
    out = resolve_document([
        turn(0, "The Chair", "The Chair"),  # nobody named yet: the office stays
        turn(1, "The Chair (Mr. Lloyd Longfield (Guelph, Lib.))", "Lloyd Longfield", role="The Chair", party="Lib."),
        turn(2, "The Chair", "The Chair", role="The Chair"),
        turn(3, "The Chair (Ms. Ann Lee)", "Ann Lee", role="The Chair"),
        turn(4, "The Chair", "The Chair", role="The Chair"),
    ])
    assert names(out) == ["The Chair", "Lloyd Longfield", "Lloyd Longfield", "Ann Lee", "Ann Lee"]
    assert out[2].role == "The Chair" and out[2].party == "Lib."


def test_madam_deputy_speaker_and_the_deputy_speaker_are_one_office_the_minister_abbreviates():
    out = resolve_document([
        turn(0, "The Deputy Speaker (Dame Rosie Winterton)", "Rosie Winterton", role="The Deputy Speaker"),
        turn(1, "The Minister for Housing, Planning and Building Safety (Lee Rowley)", "Lee Rowley",
             role="The Minister for Housing, Planning and Building Safety"),
        turn(2, "Madam Deputy Speaker", "Madam Deputy Speaker", role="Madam Deputy Speaker"),
        turn(3, "The Minister", "The Minister", role="The Minister"),
        turn(4, "The Deputy Presiding Officer", "The Deputy Presiding Officer"),  # another office: not resolved
    ])
    assert names(out) == ["Rosie Winterton", "Lee Rowley", "Rosie Winterton", "Lee Rowley", "The Deputy Presiding Officer"]


def test_a_short_name_means_the_one_fuller_name_with_that_surname():
    out = resolve_document([
        turn(0, "Councillor Brenda Okafor", "Brenda Okafor"),
        turn(1, "Cllr Okafor", "Okafor"),
        turn(2, "Mr John Smith (Barchester) (Lab)", "John Smith", party="Lab", constituency="Barchester"),
        turn(3, "Mr Smith", "Smith"),
    ])
    assert names(out) == ["Brenda Okafor", "Brenda Okafor", "John Smith", "John Smith"]
    assert (out[3].party, out[3].constituency) == ("Lab", "Barchester")  # affiliations come with the name


def test_a_short_name_shared_by_two_people_stays_short():
    out = resolve_document([
        turn(0, "Mr John Smith", "John Smith"),
        turn(1, "Mr Peter Smith", "Peter Smith"),
        turn(2, "Mr Smith", "Smith"),
        turn(3, "Dr Jane Smith", "Jane Smith"),
        turn(4, "Dr Smith", "Smith"),  # "Dr" does not say which of the three
    ])
    assert names(out) == ["John Smith", "Peter Smith", "Smith", "Jane Smith", "Smith"]


def test_a_short_name_means_the_fuller_name_its_title_fits():
    out = resolve_document([
        turn(0, "Mr John Smith", "John Smith"),
        turn(1, "Ms Jane Smith", "Jane Smith"),
        turn(2, "Mr. Smith", "Smith"),
        turn(3, "Ms Smith", "Smith"),
    ])
    assert names(out) == ["John Smith", "Jane Smith", "John Smith", "Jane Smith"]


def test_a_short_name_is_not_the_fuller_name_of_someone_the_title_says_is_another():
    out = resolve_document([
        turn(0, "Ms Jane Smith (Director, Parks Service)", "Jane Smith", role="Director", organisation="Parks Service"),
        turn(1, "Mr Smith", "Smith"),
    ])
    assert names(out) == ["Jane Smith", "Smith"]
    assert out[1].role is None and out[1].organisation is None


def test_mr_and_ms_with_one_surname_are_two_people_in_one_document(tmp_path: Path):
    # Senate estimates, Environment and Communications Legislation Committee: two officials named Thompson
    (tmp_path / "estimates.txt").write_text(
        "Senator URQUHART: Can you confirm the Landcare figure?\n\n"
        "Mr Thompson: Yes, it is in program 1.1.\n\n"
        "CHAIR: We now call the Climate Change Authority.\n\n"
        "Ms Thompson: Yes. That is correct.\n\n"
        "Mr. Thompson: The program is on track.\n\n"
        "Mrs Thompson: We published it last week.\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    by_text = {p.text: p.speaker for p in corpus.passages}
    him, her = by_text["Yes, it is in program 1.1."], by_text["Yes. That is correct."]
    assert him != her
    assert by_text["The program is on track."] == him  # "Mr." is "Mr"
    assert by_text["We published it last week."] == her  # "Mrs" and "Ms" may be one woman: not split
    speakers = {s.name: s.passages for s in summarise_speakers(corpus.passages)}
    assert speakers[him] == 2 and speakers[her] == 2


def test_titles_that_do_not_tell_sex_do_not_split_a_surname():
    out = resolve_document([
        turn(0, "Dr Thompson", "Thompson"),
        turn(1, "Senator Thompson", "Thompson"),
        turn(2, "Mr Thompson", "Thompson"),
    ])
    assert names(out) == ["Thompson", "Thompson", "Thompson"]


def test_groups_have_no_speaker():
    out = resolve_document([turn(0, "Hon. Members", "Hon. Members")])
    assert out[0].speaker is None and out[0].speaker_label == "Hon. Members"


# --- across documents ------------------------------------------------------------------


def test_two_people_who_share_a_name_in_different_documents_stay_two():
    passages = [
        turn(0, "Sarah Jones (Croydon Central) (Lab)", "Sarah Jones", doc="debate", party="Lab",
             constituency="Croydon Central"),
        turn(1, "Sarah Jones", "Sarah Jones", doc="debate", party="Lab", constituency="Croydon Central"),
        turn(0, "Dr Sarah Jones (Professor of Law, University of Bristol)", "Sarah Jones", doc="evidence",
             role="Professor of Law", organisation="University of Bristol"),
    ]
    out, _ = canonicalise_passages(passages)
    debate, evidence = out[0].speaker, out[2].speaker
    assert debate != evidence
    assert out[1].speaker == debate
    assert {debate, evidence} == {"Sarah Jones (Croydon Central)", "Sarah Jones (University of Bristol)"}
    assert len(summarise_speakers(out)) == 2


def test_the_same_name_joins_on_corroboration_or_without_conflict():
    reg = SpeakerRegistry()
    reg.add("Kilvinder Vigurs", document="t", role="Regional Director for London",
            organisation="Her Majesty's Prison and Probation Service")
    reg.add("Kilvinder Vigurs", document="r", role="Regional Director for London", organisation="London Probation Service")
    reg.add("Kilvinder Vigurs", document="l", role="Regional Probation Director, London", organisation="HMPPS")
    reg.add("Nick John", document="t", role="Head of Criminal Justice", organisation="Metropolitan Police Service")
    reg.add("Nick John", document="r", role="Head of Criminal Justice", organisation="The Met")
    reg.add("Ann Lee", document="a")
    reg.add("Ann Lee", document="b", party="Con")
    reg.resolve()
    assert {reg.canonical("Kilvinder Vigurs", d) for d in "trl"} == {"Kilvinder Vigurs"}
    assert {reg.canonical("Nick John", d) for d in "tr"} == {"Nick John"}
    assert {reg.canonical("Ann Lee", d) for d in "ab"} == {"Ann Lee"}  # nothing conflicts


def test_different_parties_or_constituencies_conflict():
    reg = SpeakerRegistry()
    reg.add("Chris Smith", document="a", party="Lab", constituency="Islington South")
    reg.add("Chris Smith", document="b", party="Con", constituency="Islington South")
    reg.add("Jo Brown", document="a", constituency="Leeds")
    reg.add("Jo Brown", document="b", constituency="Bristol")
    reg.resolve()
    assert reg.canonical("Chris Smith", "a") != reg.canonical("Chris Smith", "b")
    assert reg.canonical("Jo Brown", "a") != reg.canonical("Jo Brown", "b")


def test_speakers_list_aliases(tmp_path: Path):
    (tmp_path / "minutes.txt").write_text(
        "**Councillor Brenda Okafor:** I move it.\n\n**Cllr Patel:** Seconded.\n\n**Cllr Okafor:** Thank you.\n\n"
        "**Cllr Patel:** Agreed.\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    info = {s.name: s for s in corpus.speakers()}
    assert info["Brenda Okafor"].passages == 2
    assert info["Brenda Okafor"].aliases == ("Cllr Okafor",)


def test_initials_mean_the_person_the_document_introduced_with_them():
    """An interview transcript names its people once, with their initials, then
    labels every turn with the initials."""
    from transcript_qa.model import Document
    from transcript_qa.parsing import parse_document

    text = ("Interview with Jane Smith (JS), conducted by Dr Mark Roe (MR) for the Probation Service (PS).\n\n"
            "MR: Can you describe your role?\n\nJS: I manage the probation office.\n\n"
            "MR: How many staff do you have?\n\nJS: About forty.\n\nKT: A question from the floor.\n\n"
            "KT: And another.\n")
    passages = parse_document(text, Document(id="i", title="I", kind="transcript", date=None, path="i.txt")).passages
    said = [(p.speaker, p.speaker_label) for p in passages if p.speaker_label]
    assert said[:4] == [("Mark Roe", "MR"), ("Jane Smith", "JS"), ("Mark Roe", "MR"), ("Jane Smith", "JS")]
    assert said[4][1] == "KT" and said[4][0] not in ("Jane Smith", "Mark Roe")  # initials nobody was introduced with
