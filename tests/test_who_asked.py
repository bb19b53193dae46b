"""Asked who *asked* about something, the member who put the question ranks
first, however short the question was; asked who discussed it, the witness who
answered at length does."""

from __future__ import annotations

from transcript_qa.build import build_index_from_passages
from transcript_qa.corpus import load_corpus

HEARING = (
    "Members present: Sir Bernard Jenkin (Chair); Ms Harriett Baldwin; Mr David Jones.\n\n"
    "Witnesses: Sir Alex Chisholm, Permanent Secretary, Cabinet Office; and Sarah Harrison, Chief Operating "
    "Officer, Cabinet Office.\n\n"
    "Q1 Chair: Good morning and welcome to this session.\n\n"
    "Sir Alex Chisholm: Thank you, Chair. I am the Permanent Secretary of the Cabinet Office.\n\n"
    "Q2 Ms Baldwin: How many vacancies does the department have?\n\n"
    "Sir Alex Chisholm: We have around 400 vacancies across the department, which is lower than last year, "
    "and we expect the vacancies in digital roles to fall further once the new pay framework is agreed.\n\n"
    "Q3 Chair: What about the use of consultants?\n\n"
    "Sarah Harrison: Spending on consultants fell by 20% in the last financial year.\n"
)


def test_who_asked_ranks_the_asker_and_who_discussed_the_answerer(tmp_path):
    (tmp_path / "hearing.txt").write_text(HEARING, encoding="utf-8")
    index = build_index_from_passages(load_corpus(tmp_path).passages)
    asked = index.who("who asked about vacancies", k=2)
    assert asked[0].speaker == "Harriett Baldwin"
    discussed = index.who("who discussed vacancies", k=2)
    assert discussed[0].speaker == "Alex Chisholm"
