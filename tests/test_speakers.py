"""Speaker labels and identities: what a reader of the sources would say."""

from __future__ import annotations

import pytest

from transcript_qa.model import Passage
from transcript_qa.speakers import (
    SpeakerRegistry,
    canonicalise_passages,
    looks_like_organisation,
    looks_like_person,
    parse_speaker_label,
    split_brackets,
    summarise_speakers,
)


@pytest.mark.parametrize(
    "label, name, role, organisation, honours",
    [
        ("Susan Hall AM (Chairman)", "Susan Hall", "Chairman", None, ("AM",)),
        ("Susan Hall AM", "Susan Hall", None, None, ("AM",)),
        ("Caroline Pidgeon MBE AM", "Caroline Pidgeon", None, None, ("MBE", "AM")),
        ("Dr Onkar Sahota AM", "Onkar Sahota", None, None, ("Dr", "AM")),
        ("Unmesh Desai AM (Deputy Chair)", "Unmesh Desai", "Deputy Chair", None, ("AM",)),
        (
            "Commander Nick John (Head of Criminal Justice, Metropolitan Police Service)",
            "Nick John",
            "Head of Criminal Justice",
            "Metropolitan Police Service",
            ("Commander",),
        ),
        (
            "Kilvinder Vigurs (Regional Director for London, Her Majesty's Prison and Probation Service)",
            "Kilvinder Vigurs",
            "Regional Director for London",
            "Her Majesty's Prison and Probation Service",
            (),
        ),
        ("Kilvinder Vigurs, Regional Director for London,", "Kilvinder Vigurs", "Regional Director for London", None, ()),
        (
            "Dr Kate Paradine, Chief Executive Officer, Women in Prison",
            "Kate Paradine",
            "Chief Executive Officer",
            "Women in Prison",
            ("Dr",),
        ),
        (
            "The Chair (Hon. Anthony Rota (Nipissing-Timiskaming, Lib.))",
            "Anthony Rota",
            "The Chair",
            None,  # the place and party are their own fields (test_labels_*)
            ("Hon.",),
        ),
        ("Lucy Frazer KC MP", "Lucy Frazer", None, None, ("KC", "MP")),
        ("Sir Mark Rowley QPM (Commissioner, Metropolitan Police Service)", "Mark Rowley", "Commissioner",
         "Metropolitan Police Service", ("Sir", "QPM")),
        ("Katie Lomas (Napo)", "Katie Lomas", None, "Napo", ()),
        ("**Susan Hall AM:**", "Susan Hall", None, None, ("AM",)),
        ("Will [Balakrishnan]", "Will Balakrishnan", None, None, ()),
        ("St Mungo’s", "St Mungo's", None, None, ()),
        ("The Mayor", "The Mayor", "The Mayor", None, ()),  # an office: its own role
        ("Speaker 2", "Speaker 2", None, None, ()),
        ("John Smith, MBE", "John Smith", None, None, ("MBE",)),
    ],
)
def test_parse_speaker_label(label, name, role, organisation, honours):
    sp = parse_speaker_label(label)
    assert (sp.name, sp.role, sp.organisation, sp.honours) == (name, role, organisation, honours)
    assert sp.raw == label.strip()


def test_honours_never_in_name():
    for label in ("Caroline Pidgeon MBE AM", "Dr Onkar Sahota AM", "Professor Jane Smith OBE", "Ms Ann Lee"):
        sp = parse_speaker_label(label)
        assert not set(sp.name.split()) & {"AM", "MBE", "OBE", "Dr", "Professor", "Ms"}


def test_split_brackets_nested_and_unbalanced():
    assert split_brackets("The Chair (Hon. A Rota (N-T, Lib.))") == ("The Chair", ["Hon. A Rota (N-T, Lib.)"])
    head, groups = split_brackets("Name (unclosed")
    assert groups == [] and "unclosed" in head


def test_person_or_organisation():
    assert looks_like_person("Richard Oldfield")
    assert looks_like_person("Monique Williams")
    for org in ("St Mungo's", "Probation Institute", "Women in Prison", "MOPAC", "Advance", "The Met"):
        assert looks_like_organisation(org), org
        assert not looks_like_person(org), org


def test_registry_merges_same_name_and_first_last_but_not_a_bare_surname():
    reg = SpeakerRegistry()
    reg.add("Kilvinder Vigurs", weight=5)
    reg.add("Kilvinder Singh Vigurs")
    reg.add("kilvinder vigurs")
    reg.add("Vigurs", honours=("Ms",))
    reg.add("Napo")
    reg.add("Napó")
    reg.add("St Mungo’s")
    reg.add("St Mungo's", weight=3)
    reg.resolve()
    for n in ("Kilvinder Singh Vigurs", "kilvinder vigurs"):
        assert reg.canonical(n) == "Kilvinder Vigurs"
    # a bare surname is no full name: across documents it is never joined to one
    assert reg.canonical("Vigurs") == "Vigurs"
    assert reg.canonical("Napó") == reg.canonical("Napo")
    assert reg.canonical("St Mungo’s") == "St Mungo's"


def test_registry_keeps_different_people_apart():
    reg = SpeakerRegistry()
    for n in ("Caroline Pidgeon", "Caroline Russell", "Nick John", "Nick Rogers", "Advance", "Vigurs"):
        reg.add(n)
    reg.resolve()
    assert len({reg.canonical(n) for n in ("Caroline Pidgeon", "Caroline Russell", "Nick John", "Nick Rogers")}) == 4
    # a bare surname without a personal title is not merged with anyone
    assert reg.canonical("Vigurs") == "Vigurs"


def _p(i, speaker, label=None, role=None, org=None, doc="d"):
    return Passage(id=f"{doc}:{i}", document=doc, kind="transcript", title="t", date=None, position=i, text="x",
                   start=0, end=1, speaker=speaker, role=role, organisation=org, speaker_label=label)


def test_canonicalise_and_summarise():
    passages = [
        _p(0, "Kate Paradine", "Dr Kate Paradine, Chief Executive Officer", "Chief Executive Officer", "Women in Prison"),
        _p(1, "Kate Paradine", "Kate Paradine, Chief Executive Officer", "Chief Executive Officer", "Women in Prison"),
        _p(2, "Kate Paradine", "Dr Kate Paradine", doc="e"),
        _p(3, None),
    ]
    out, registry = canonicalise_passages(passages)
    assert [p.speaker for p in out] == ["Kate Paradine", "Kate Paradine", "Kate Paradine", None]
    info = summarise_speakers(out)
    assert len(info) == 1
    assert info[0].name == "Kate Paradine" and info[0].passages == 3
    assert info[0].documents == ("d", "e")
    assert info[0].roles == ("Chief Executive Officer",)
    assert info[0].organisations == ("Women in Prison",)
    assert "Dr" in info[0].honours
