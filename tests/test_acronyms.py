"""Acronyms the corpus defines itself, and the glossary built from them."""

from __future__ import annotations

import pytest

from transcript_qa.acronyms import build_glossary, find_definitions, match_long_form
from transcript_qa.model import Passage


def _p(i: int, text: str) -> Passage:
    return Passage(id=f"d:{i}", document="d", kind="report", title="T", date=None, position=i,
                   text=text, start=0, end=len(text))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("where do projects like Community Accommodation Service Tier 3 (CAS3) fit in?",
         ("CAS3", "Community Accommodation Service Tier 3")),
        ("from the Mayor's Office for Policing and Crime (MOPAC);",
         ("MOPAC", "Mayor's Office for Policing and Crime")),
        ("work with Integrated Offender Management (IOM), electronic monitoring",
         ("IOM", "Integrated Offender Management")),
        ("people working in the Ministry of Justice (MoJ), HMPPS elsewhere",
         ("MoJ", "Ministry of Justice")),
        ("the National Association of Probation Officers (Napo).",
         ("Napo", "National Association of Probation Officers")),
        ("Community Safety Partnerships (CSPs); IOM",
         ("CSPs", "Community Safety Partnerships")),
        ("Her Majesty's Inspectorate [of Probation] (HMIP) with us",
         ("HMIP", "Her Majesty's Inspectorate of Probation")),
        ("we moved to CAS3 (Community Accommodation Service Tier 3) last year",
         ("CAS3", "Community Accommodation Service Tier 3")),
    ],
)
def test_definitions_are_found(text, expected):
    assert expected in list(find_definitions(text))


@pytest.mark.parametrize(
    "text",
    [
        "Susan Hall AM (Chairman): welcome",
        "as we heard (twice) already",
        "in 2019 (2,000 people) left",
        "the service (see page 4) said",
    ],
)
def test_brackets_that_define_nothing_give_nothing(text):
    assert list(find_definitions(text)) == []


def test_long_form_needs_the_first_letter_at_a_word_start():
    assert match_long_form("ABC", "we saw nothing like that") is None


def test_glossary_takes_the_most_common_long_form_and_lists_passages():
    passages = [
        _p(0, "the Mayor's Office for Policing and Crime (MOPAC) said"),
        _p(1, "the Mayor and his Office for Policing and Crime (MOPAC) said"),
        _p(2, "again the Mayor’s Office for Policing and Crime (MOPAC)"),
        _p(3, "nothing defined here"),
    ]
    glossary = build_glossary(passages)
    assert len(glossary) == 1
    entry = glossary[0]
    assert entry.short == "MOPAC"
    assert entry.long == "Mayor's Office for Policing and Crime"
    assert entry.passages == ("d:0", "d:1", "d:2")


def test_glossary_is_sorted_by_short_form():
    passages = [_p(0, "Violence Against Women and Girls (VAWG) and Community Rehabilitation Company (CRC)")]
    assert [a.short for a in build_glossary(passages)] == ["CRC", "VAWG"]
