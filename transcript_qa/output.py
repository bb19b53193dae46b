"""Turn answers (and speakers, glossary, index info, passages) into JSON, JSON Lines,
CSV and TREC runs for programs, and dispatch every output format.

Every ``write_*`` function takes an iterable of :class:`~transcript_qa.model.Answer`
and a text stream, and writes as the answers arrive (a batch streams). Text for
people is rendered by :mod:`transcript_qa.terminal`, HTML reports by
:mod:`transcript_qa.report_html`. Nothing here prints or touches the index.

The JSON contract (one object per question) is :func:`answer_to_dict`: exactly
the keys ``id, question, intent, answer, hits, speakers``; each hit exactly
``rank, score, passage_id, document, title, kind, date, section, speaker, role,
organisation, party, constituency, position, text, snippet, answer``; each speaker ``speaker, score,
passages``. Scores are rounded to 6 decimal places; ``snippet`` marks matched
terms as ``**term**``. ``answer`` (a factual question's answer span, else
null) is ``text, start, end, type, field`` on a hit -- ``text ==
hit[field][start:end]``, ``field`` being ``text``, ``citation`` (a footnote
the passage cites) or ``speaker`` (the holder of the office a "who is" question
names, answering in their own turn) -- and the same plus ``passage_id`` at the top level (the
best answer over the hits).
"""

from __future__ import annotations

import csv
import json
from typing import IO, Any, Iterable, Sequence

from .errors import OutputError
from .spans import wrap_spans
from .terminal import render_text
from .model import Acronym, Answer, AnswerSpan, Hit, Passage, SpeakerAnswer, SpeakerInfo

#: Keys of one answer object, in order (the JSON contract).
ANSWER_KEYS: tuple[str, ...] = ("id", "question", "intent", "answer", "hits", "speakers")
#: Keys of one hit object, in order (the JSON contract).
HIT_KEYS: tuple[str, ...] = (
    "rank",
    "score",
    "passage_id",
    "document",
    "title",
    "kind",
    "date",
    "section",
    "speaker",
    "role",
    "organisation",
    "party",
    "constituency",
    "position",
    "text",
    "snippet",
    "answer",
)
#: Keys of an answer span on a hit (the JSON contract); the top-level answer adds ``passage_id``.
SPAN_KEYS: tuple[str, ...] = ("text", "start", "end", "type", "field")
#: Keys of one ranked speaker object (the JSON contract).
SPEAKER_KEYS: tuple[str, ...] = ("speaker", "score", "passages")
#: CSV columns: the question, then the hit (one row per hit).
CSV_COLUMNS: tuple[str, ...] = ("id", "question", "intent") + HIT_KEYS
#: Output formats of ``ask`` and ``batch`` (``html``: one self-contained page, :mod:`transcript_qa.report_html`).
ANSWER_FORMATS: tuple[str, ...] = ("text", "json", "jsonl", "csv", "trec", "html")
#: Default run tag in the TREC format's sixth column.
TREC_TAG = "transcript_qa"

SCORE_DECIMALS = 6



# --------------------------------------------------------------------------- JSON contract


def marked_snippet(hit: Hit, mark: str = "**") -> str:
    """``hit.snippet`` with every highlighted span wrapped in ``mark`` (``**term**``).

    Overlapping or out-of-range spans are merged / clipped, so the result always
    has balanced marks.
    """
    return wrap_spans(hit.snippet, hit.highlights, mark, mark)


def _score(value: float) -> float:
    return round(float(value), SCORE_DECIMALS)


def hit_to_dict(hit: Hit) -> dict[str, Any]:
    """One hit as a JSON-ready dict with exactly :data:`HIT_KEYS`."""
    p = hit.passage
    return {
        "rank": hit.rank,
        "score": _score(hit.score),
        "passage_id": p.id,
        "document": p.document,
        "title": p.title,
        "kind": p.kind,
        "date": p.date,
        "section": p.section,
        "speaker": p.speaker,
        "role": p.role,
        "organisation": p.organisation,
        "party": p.party,
        "constituency": p.constituency,
        "position": p.position,
        "text": p.text,
        "snippet": marked_snippet(hit),
        "answer": span_to_dict(hit.answer),
    }


def span_to_dict(span: AnswerSpan | None, *, passage: bool = False) -> dict[str, Any] | None:
    """An answer span as a JSON-ready dict with exactly :data:`SPAN_KEYS`
    (and ``passage_id`` with ``passage``); None stays None."""
    if span is None:
        return None
    data: dict[str, Any] = {"text": span.text, "start": span.start, "end": span.end, "type": span.type,
                            "field": span.field}
    if passage:
        data["passage_id"] = span.passage_id
    return data


def speaker_to_dict(answer: SpeakerAnswer) -> dict[str, Any]:
    """One ranked speaker as a JSON-ready dict with exactly :data:`SPEAKER_KEYS`."""
    return {
        "speaker": answer.speaker,
        "score": _score(answer.score),
        "passages": [hit.passage.id for hit in answer.hits],
    }


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    """The JSON contract for one question (see the module docstring)."""
    return {
        "id": answer.id,
        "question": answer.question,
        "intent": answer.intent,
        "answer": span_to_dict(answer.answer, passage=True),
        "hits": [hit_to_dict(h) for h in answer.hits],
        "speakers": [speaker_to_dict(s) for s in answer.speakers],
    }


def _question_id(answer: Answer, number: int) -> str:
    return answer.id if answer.id not in (None, "") else str(number)


# --------------------------------------------------------------------------- writers


def write_json(answer: Answer, stream: IO[str]) -> None:
    """One answer as an indented JSON object."""
    json.dump(answer_to_dict(answer), stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def write_json_value(value: Any, stream: IO[str]) -> None:
    """Any JSON-ready value, indented (``speakers``, ``glossary``, ``index info`` ``--format json``)."""
    json.dump(value, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def write_jsonl(answers: Iterable[Answer], stream: IO[str]) -> int:
    """One JSON object per line, per answer. Returns the number of answers written."""
    count = 0
    for answer in answers:
        stream.write(json.dumps(answer_to_dict(answer), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(answers: Iterable[Answer], stream: IO[str]) -> int:
    """A header, then one row per hit (:data:`CSV_COLUMNS`); ``snippet`` carries
    ``**term**`` marks and ``answer`` is the answer span's text. A question
    without hits writes no row. Returns the number of answers read."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for count, answer in enumerate(answers, start=1):
        qid = _question_id(answer, count)
        for hit in answer.hits:
            row = hit_to_dict(hit)
            row["answer"] = row["answer"]["text"] if row["answer"] else None
            writer.writerow(
                [qid, answer.question, answer.intent]
                + ["" if row[key] is None else row[key] for key in HIT_KEYS]
            )
    return count


def trec_lines(answer: Answer, qid: str, tag: str = TREC_TAG) -> list[str]:
    """The six-column TREC run lines ``qid Q0 passage_id rank score tag`` of one
    answer, ordered by ``(-score, passage id)`` and ranked 1.. in that order."""
    if not qid or any(c.isspace() for c in qid):
        raise OutputError(f"question id {qid!r} cannot be written as a TREC run id (it must be one word)")
    ordered = sorted(answer.hits, key=lambda h: (-h.score, h.passage.id))
    return [
        f"{qid} Q0 {hit.passage.id} {rank} {hit.score:.{SCORE_DECIMALS}f} {tag}"
        for rank, hit in enumerate(ordered, start=1)
    ]


def write_trec(answers: Iterable[Answer], stream: IO[str], tag: str = TREC_TAG) -> int:
    """A TREC run (six whitespace-separated columns per line). Returns the number of answers."""
    count = 0
    for count, answer in enumerate(answers, start=1):
        for line in trec_lines(answer, _question_id(answer, count), tag):
            stream.write(line + "\n")
    return count


def write_answers(answers: Iterable[Answer], stream: IO[str], fmt: str, *, color: bool = False,
                  explain: bool = False, documents: Iterable[Any] | None = None) -> int:
    """Write ``answers`` in one of :data:`ANSWER_FORMATS`; returns how many were written.
    ``documents`` (the index's :class:`~transcript_qa.model.Document` list) lets
    ``html`` name where each cited document came from."""
    if fmt == "html":
        from .report_html import write_html

        return write_html(answers, stream, documents=documents)
    if fmt == "jsonl":
        return write_jsonl(answers, stream)
    if fmt == "csv":
        return write_csv(answers, stream)
    if fmt == "trec":
        return write_trec(answers, stream)
    if fmt == "json":
        items = [answer_to_dict(a) for a in answers]
        payload: Any = items[0] if len(items) == 1 else items
        json.dump(payload, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
        return len(items)
    if fmt == "text":
        count = 0
        for count, answer in enumerate(answers, start=1):
            if count > 1:
                stream.write("\n")
            stream.write(render_text(answer, color=color, explain=explain))
        return count
    raise ValueError(f"unknown output format {fmt!r}; expected one of {', '.join(ANSWER_FORMATS)}")


# --------------------------------------------------------------------------- dicts for programs


def speakers_to_dicts(answer: Answer) -> list[dict[str, Any]]:
    """The ranked speakers with role, organisation and their passages (``who --format json``)."""
    return [
        {
            "rank": sa.rank,
            "speaker": sa.speaker,
            "role": sa.role,
            "organisation": sa.organisation,
            "score": _score(sa.score),
            "passages": [hit_to_dict(h) for h in sa.hits],
        }
        for sa in answer.speakers
    ]


def speaker_info_to_dict(info: SpeakerInfo) -> dict[str, Any]:
    return {
        "name": info.name,
        "roles": list(info.roles),
        "organisations": list(info.organisations),
        "honours": list(info.honours),
        "passages": info.passages,
        "documents": list(info.documents),
        "labels": list(info.labels),
        "aliases": list(info.aliases),
        "parties": list(info.parties),
        "constituencies": list(info.constituencies),
    }


def acronym_to_dict(acronym: Acronym) -> dict[str, Any]:
    return {"short": acronym.short, "long": acronym.long, "passages": list(acronym.passages)}


def passage_to_dict(p: Passage) -> dict[str, Any]:
    return p.to_dict()


def context_to_dict(target: Passage, passages: Sequence[Passage], source: str | None,
                    lines: tuple[int, int] | None) -> dict[str, Any]:
    """``show --format json`` (and the web API's ``/api/passages/ID``): the
    passage, the passages around it, its source file and lines."""
    return {"passage": target.to_dict(), "context": [p.to_dict() for p in passages], "source": source,
            "lines": list(lines) if lines else None}


# --------------------------------------------------------------------------- files
