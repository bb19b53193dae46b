"""Bigrams count as far as they are phrases, not chance meetings of their
words (``ranking.phrase_share``): a bigram held by k parts keeps the share
``1 - E / k`` of its weight, E the number of times its two words would stand
side by side by chance."""

from __future__ import annotations

import math

import pytest

from transcript_qa.build import build_index_from_passages
from transcript_qa.model import Passage
from transcript_qa.ranking import bigram_share, collocation_evidence, phrase_share


def turn(i: int, text: str, doc: str = "m") -> Passage:
    return Passage(id=f"{doc}:{i}", document=doc, kind="transcript", title=doc.upper(), date=None, position=i,
                   text=text, start=0, end=len(text), speaker="Ann Lee", speaker_label="Ann Lee")


def ids(hits) -> list[str]:
    return [h.passage.id for h in hits]


def harbour_meeting() -> list[Passage]:
    """Harbour and ferry are in nearly every turn of a meeting; twice they
    happen to meet ("the harbour ferry timetable"); one turn is about harbour
    dredging and the ferry. Other meetings discuss dredging alone."""
    texts = [f"The harbour board met on {day}. The ferry operator sent its figures."
             for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")]
    texts += [f"Item {n}: the harbour accounts, then the ferry fares and the pier lights." for n in range(30)]
    texts += ["Passengers asked about the harbour ferry timetable again.",
              "A letter on the harbour ferry timetable was read out."]
    texts += ["Dredging of the harbour mouth starts in spring; the ferry will use the north berth."]
    others = [turn(0, f"Dredging {what} were discussed at length by the board and the council officers.", doc=f"d{i}")
              for i, what in enumerate(("contracts", "noise complaints", "budgets", "permits", "spoil sites"))]
    return [turn(i, t) for i, t in enumerate(texts)] + others


def test_words_that_meet_by_chance_do_not_outrank_the_passage_that_has_every_word():
    """Asked "harbour ferry dredging", the turn with all three words comes
    first; the two turns where harbour and ferry merely stand side by side
    (as they would by chance, being everywhere) get no lift from that."""
    idx = build_index_from_passages(harbour_meeting(), speaker_in_text=False)
    pair = idx.term_id("harbour ferri")
    assert pair is not None and bigram_share(idx, pair, idx.settings) == 0.0
    assert ids(idx.search("harbour ferry dredging", k=3))[0] == "m:39"


def agency_meeting() -> list[Passage]:
    """"Agency staff" is a phrase of these meetings (five turns use it); one
    short turn has both words apart. One turn a meeting, so no
    turn lends another context."""
    texts = ["Staff said the agency was late.",
             "We rely on agency staff for winter cover in the wards.",
             "Agency staff cost more than permanent posts this year.",
             "The board capped spending on agency staff from April.",
             "Fewer agency staff were booked at weekends.",
             "Nurses trained agency staff on the new records system."]
    texts += [f"The {topic} report was noted and the minutes agreed." for topic in
              ("estates", "finance", "catering", "parking", "audit", "pharmacy", "laundry", "security")]
    texts += ["Staff turnover fell.", "Staff surveys are due.", "The agency contract ends in May.",
              "Staff parking is full.", "The agency invoices were paid."]
    return [turn(0, t, doc=f"m{i}") for i, t in enumerate(texts)]


def test_a_repeated_phrase_counts_and_puts_its_passages_first():
    """Asked "agency staff", the turns that use the phrase come before the
    turn that has both words apart (which wins on words alone)."""
    passages = agency_meeting()
    idx = build_index_from_passages(passages, speaker_in_text=False)
    pair = idx.term_id("agenc staff")
    assert pair is not None and bigram_share(idx, pair, idx.settings) > 0.8
    top = idx.search("agency staff", k=5)  # five turns use the phrase
    assert all("agency staff" in h.passage.text.lower() for h in top)
    words_only = idx.with_settings(bigram_weight=0.0).search("agency staff", k=1)
    assert ids(words_only) == ["m0:0"]  # the phrase is what puts the others first


@pytest.mark.parametrize("k, df_a, df_b, total, share", [
    (10, 10, 10, 1000, 0.99),  # a phrase: E = 0.1, 10 parts hold it
    (1, 2, 3, 1000, 0.994),  # two rare words that meet once
    (25, 5000, 5000, 1_000_000, 0.0),  # common words meeting as often as chance says
    (40, 5000, 5000, 1_000_000, 0.375),  # more often than chance: the excess share
])
def test_phrase_share_is_the_share_chance_does_not_explain(k, df_a, df_b, total, share):
    assert phrase_share(k, df_a, df_b, total) == pytest.approx(share, abs=1e-3)


def test_evidence_is_the_likelihood_ratio_and_gates_the_share():
    assert collocation_evidence(25, 5000, 5000, 1_000_000) == 0.0
    assert collocation_evidence(40, 5000, 5000, 1_000_000) == pytest.approx(2 * (40 * math.log(1.6) - 15))
    assert phrase_share(40, 5000, 5000, 1_000_000, min_evidence=10.0) == 0.0  # G2 = 7.6: not enough
    assert phrase_share(40, 5000, 5000, 1_000_000, min_evidence=3.84) == pytest.approx(0.375)

