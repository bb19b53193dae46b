"""Turn answers (and speakers, glossary, index info, passages) into text for people
and into JSON, JSON Lines, CSV and TREC runs for programs.

Every ``write_*`` function takes an iterable of :class:`~transcript_qa.model.Answer`
and a text stream, and writes as the answers arrive (a batch streams). Every
``render_*`` function returns a string. Nothing here prints or touches the index.

The JSON contract (one object per question) is :func:`answer_to_dict`: exactly
the keys ``id, question, intent, answer, hits, speakers``; each hit exactly
``rank, score, passage_id, document, title, kind, date, section, speaker, role,
organisation, position, text, snippet, answer``; each speaker ``speaker, score,
passages``. Scores are rounded to 6 decimal places; ``snippet`` marks matched
terms as ``**term**``. ``answer`` (a factual question's answer span, else
null) is ``text, start, end, type, field`` on a hit -- ``text ==
hit[field][start:end]``, ``field`` being ``text`` or ``citation`` (a footnote
the passage cites) -- and the same plus ``passage_id`` at the top level (the
best answer over the hits).
"""

from __future__ import annotations

import csv
import json
import re
from typing import IO, Any, Iterable, Mapping, Sequence

from .errors import OutputError
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

# ANSI styles, used only when ``color=True``.
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_HIGHLIGHT = "\x1b[1;33m"  # bold yellow
_SPEAKER = "\x1b[1;36m"  # bold cyan
_RESET = "\x1b[0m"


# --------------------------------------------------------------------------- JSON contract


def marked_snippet(hit: Hit, mark: str = "**") -> str:
    """``hit.snippet`` with every highlighted span wrapped in ``mark`` (``**term**``).

    Overlapping or out-of-range spans are merged / clipped, so the result always
    has balanced marks.
    """
    return _wrap_spans(hit.snippet, hit.highlights, mark, mark)


def _merge_spans(spans: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    clipped = sorted((max(0, s), min(length, e)) for s, e in spans if min(length, e) > max(0, s))
    merged: list[tuple[int, int]] = []
    for start, end in clipped:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _wrap_spans(text: str, spans: Iterable[tuple[int, int]], before: str, after: str) -> str:
    out: list[str] = []
    pos = 0
    for start, end in _merge_spans(spans, len(text)):
        out.append(text[pos:start])
        out.append(before + text[start:end] + after)
        pos = end
    out.append(text[pos:])
    return "".join(out)


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


# --------------------------------------------------------------------------- text for people


def _style(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color and text else text


def _who_line(name: str | None, role: str | None, organisation: str | None, kind: str | None = None) -> str:
    """``Name (role, organisation)``; a passage without speaker shows its document kind."""
    if not name:
        return f"({kind.replace('_', ' ')})" if kind else "(no speaker)"
    details = ", ".join(x for x in dict.fromkeys((role, organisation)) if x and x.casefold() != name.casefold())
    return f"{name} ({details})" if details else name


def _wrap(
    text: str,
    spans: Sequence[tuple[int, int]] = (),
    *,
    width: int,
    indent: str,
    color: bool,
    first: str | None = None,
    code: str = _HIGHLIGHT,
    line_style: str | None = None,
) -> str:
    """Wrap ``text`` to ``width`` columns: the first line starts with ``first``
    (default ``indent``), the others with ``indent``. With ``color``, ``spans``
    (character offsets into ``text``) are styled with ``code``, or every line
    with ``line_style``; without, the text stays plain."""
    merged = _merge_spans(spans, len(text)) if color and not line_style else []
    lines: list[str] = []
    current: list[str] = []
    prefix = indent if first is None else first
    used = len(prefix)
    for match in re.finditer(r"\S+", text):
        start, end = match.span()
        word_len = end - start
        if current and used + 1 + word_len > width:
            lines.append(prefix + _line(current, color, line_style))
            current, prefix, used = [], indent, len(indent)
        word = text[start:end]
        if merged:
            inside = [(max(s, start) - start, min(e, end) - start) for s, e in merged if s < end and e > start]
            word = _wrap_spans(word, inside, code, _RESET)
        used += word_len + (1 if current else 0)
        current.append(word)
    if current or not lines:
        lines.append(prefix + _line(current, color, line_style))
    return "\n".join(line.rstrip() for line in lines)


def _line(words: list[str], color: bool, line_style: str | None) -> str:
    return _style(" ".join(words), line_style, color) if line_style else " ".join(words)


def _snippet(hit: Hit, *, width: int, indent: str, color: bool) -> str:
    if hit.snippet:
        return _wrap(hit.snippet, hit.highlights, width=width, indent=indent, color=color)
    return _wrap(hit.passage.text, (), width=width, indent=indent, color=color)


def _heading(label: str, name: str, tail: str, *, width: int, indent: str, color: bool) -> str:
    """``label`` + ``name`` (in the speaker colour) + ``tail``, wrapped when too long."""
    if len(label) + len(name) + len(tail) <= width:
        return label + _style(name, _SPEAKER, color) + tail
    return _wrap(name + tail, ((0, len(name)),), width=width, indent=indent, color=color, first=label,
                 code=_SPEAKER)


def _source_line(p: Passage, score: float | None = None) -> str:
    parts = [p.title or p.document]
    if p.date:
        parts.append(p.date)
    if p.section:
        parts.append(f"section: {p.section}")
    if score is not None:
        parts.append(f"score {score:.4f}")
    parts.append(f"[{p.id}]")
    return " | ".join(parts)


def _explain_lines(hit: Hit, *, width: int, indent: str, color: bool) -> list[str]:
    lines = []
    if hit.explain:
        terms = ", ".join(f"{term} {value:.4f}" for term, value in hit.explain)
        lines.append(_wrap(f"terms: {terms}", width=width, indent=indent, color=color, line_style=_DIM))
    if hit.passage.links:
        lines.append(_wrap("same words in: " + ", ".join(hit.passage.links), width=width, indent=indent,
                           color=color, line_style=_DIM))
    return lines


def _render_hit(hit: Hit, *, color: bool, explain: bool, width: int, indent: str, label: str) -> list[str]:
    p = hit.passage
    who = _who_line(p.speaker, p.role, p.organisation, p.kind)
    lines = [_heading(label, who, f"  score {hit.score:.4f}", width=width, indent=indent, color=color)]
    lines.append(_wrap(_source_line(p), width=width, indent=indent, color=color, line_style=_DIM))
    lines.append(_snippet(hit, width=width, indent=indent, color=color))
    if explain:
        lines.extend(_explain_lines(hit, width=width, indent=indent, color=color))
    return lines


def render_text(answer: Answer, *, color: bool = False, explain: bool = False, width: int = 88) -> str:
    """An answer for a person to read.

    A factual question's answer comes first ("Answer: 755 vacancies", where it
    is from, the sentence around it). Passages come ranked, each with its speaker (role, organisation), the
    score, the document's title and date and a snippet whose matched terms are
    highlighted in ANSI colour when ``color`` (plain text otherwise). For a
    "who" question the ranked speakers come first, each with their best passage.
    ``explain`` adds the query terms and what each contributed to a score.
    """
    out: list[str] = []
    header = f"Q: {answer.question}"
    if answer.id not in (None, ""):
        header = f"[{answer.id}] " + header
    out.append(_style(header, _BOLD, color))
    if explain:
        if answer.terms:
            out.append(_wrap("query terms: " + ", ".join(answer.terms), width=width, indent="  ", first="",
                             color=color, line_style=_DIM))
        active = answer.filters.active()
        if active:
            out.append(_style("filters: " + ", ".join(f"{k}={v}" for k, v in active.items()), _DIM, color))
    if not answer.hits:
        out.append("No passages found" + (f": {answer.reason}" if answer.reason else "."))
        return "\n".join(out) + "\n"

    indent = "     "
    if answer.answer is not None:
        out.append("")
        out.extend(_answer_lines(answer, width=width, indent=indent, color=color))
    if answer.intent == "who" and answer.speakers:
        out.append("")
        out.append(_style("Speakers", _BOLD, color))
        for sa in answer.speakers:
            count = len(sa.hits)
            tail = f"  score {sa.score:.4f}, {count} passage{'s' if count != 1 else ''}"
            out.append(_heading(f"{sa.rank:>3}. ", _who_line(sa.speaker, sa.role, sa.organisation), tail,
                                width=width, indent=indent, color=color))
            if sa.hits:
                best = sa.hits[0]
                out.append(_wrap("best: " + _source_line(best.passage, best.score), width=width, indent=indent,
                                 color=color, line_style=_DIM))
                out.append(_snippet(best, width=width, indent=indent, color=color))
        out.append("")
        out.append(_style("Passages", _BOLD, color))
    else:
        out.append("")
    for hit in answer.hits:
        out.extend(_render_hit(hit, color=color, explain=explain, width=width, indent=indent,
                               label=f"{hit.rank:>3}. "))
        out.append("")
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _answer_lines(answer: Answer, *, width: int, indent: str, color: bool) -> list[str]:
    """``Answer: 755 vacancies``, where it comes from (who, document, section),
    and the sentence it is in with the span highlighted."""
    span = answer.answer
    assert span is not None
    hit = next((h for h in answer.hits if h.passage.id == span.passage_id), None)
    lines = [_style("Answer: ", _BOLD, color) + _style(span.text, _HIGHLIGHT, color)]
    if hit is None:
        return lines
    p = hit.passage
    who = _who_line(p.speaker, p.role, p.organisation, p.kind)
    where = "footnote cited by " if span.field == "citation" else ""
    lines.append(_wrap(f"{where}{who} | {_source_line(p)}", width=width, indent=indent, color=color,
                       line_style=_DIM))
    source = p.citation if span.field == "citation" else p.text
    if source and source[span.start:span.end] == span.text:
        start, end = _sentence_around(source, span.start, span.end)
        sentence = source[start:end]
        lead = len(sentence) - len(sentence.lstrip())
        sentence = sentence.strip()
        offset = start + lead
        prefix = "… " if source[:offset].strip() else ""
        suffix = " …" if source[offset + len(sentence):].strip() else ""
        mark = (span.start - offset + len(prefix), span.end - offset + len(prefix))
        lines.append(_wrap(prefix + sentence + suffix, (mark,), width=width, indent=indent, color=color))
    return lines


def _sentence_around(text: str, start: int, end: int, limit: int = 240) -> tuple[int, int]:
    """The sentence holding ``text[start:end]`` (at most about ``limit`` characters around it)."""
    lo = max((m.end() for m in re.finditer(r"[.!?]\s+|\n", text[:start])), default=0)
    found = re.search(r"[.!?](?=\s|$)|\n", text[end:])
    hi = end + found.end() if found else len(text)
    if start - lo > limit // 2:
        space = text.find(" ", start - limit // 2, start)
        lo = space + 1 if space >= 0 else start - limit // 2
    if hi - end > limit // 2:
        space = text.rfind(" ", end, end + limit // 2)
        hi = space if space > end else end + limit // 2
    return lo, hi



#: Cells of the terminal share bar, and its blocks (full, then eighths).
BAR_CELLS = 20
_BLOCKS = " ▏▎▍▌▋▊▉█"


def share_bar(share: float, cells: int = BAR_CELLS, *, ascii: bool = False) -> str:
    """``share`` (0..1) as a bar of ``cells`` characters on a light track: the
    full width is 100%, drawn in eighths of a cell (``#`` on ``.`` with
    ``ascii``). A share above zero always shows at least an eighth."""
    share = max(0.0, min(1.0, float(share)))
    if ascii:
        filled = int(round(share * cells))
        if share > 0 and filled == 0:
            filled = 1
        return "#" * filled + "." * (cells - filled)
    eighths = int(round(share * cells * 8))
    if share > 0 and eighths == 0:
        eighths = 1
    full, part = divmod(eighths, 8)
    bar = "█" * full + (_BLOCKS[part] if part else "")
    return bar + "░" * (cells - len(bar))


def render_who(answer: Answer, *, color: bool = False, explain: bool = False, width: int = 88,
               ascii: bool = False, passages: int | None = None) -> str:
    """Only the speaker ranking of ``answer``, each speaker with their best
    passages (at most ``passages`` of them, when given); under each name and
    score, the share drawn as a bar (``ascii`` draws it with ``#``, for
    terminals that cannot show blocks)."""
    out = [_style(f"Q: {answer.question}", _BOLD, color)]
    if not answer.speakers:
        out.append("No speakers found" + (f": {answer.reason}" if answer.reason else "."))
        return "\n".join(out) + "\n"
    for sa in answer.speakers:
        out.append("")
        out.append(_heading(f"{sa.rank:>3}. ", _who_line(sa.speaker, sa.role, sa.organisation),
                            f"  score {sa.score:.4f}", width=width, indent="     ", color=color))
        bar = _style(share_bar(sa.score, ascii=ascii), _SPEAKER, color)
        out.append(f"     {bar} {sa.score * 100:.1f}% of the relevant material")
        for hit in sa.hits[:passages] if passages is not None else sa.hits:
            out.append(_wrap("- " + _source_line(hit.passage, hit.score), width=width, indent="       ",
                             first="     ", color=color, line_style=_DIM))
            out.append(_snippet(hit, width=width, indent="       ", color=color))
            if explain:
                out.extend(_explain_lines(hit, width=width, indent="       ", color=color))
    return "\n".join(out) + "\n"


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


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], *, max_width: int = 60,
           right: Sequence[int] = ()) -> str:
    cells = [[_shorten(str(c), max_width) for c in row] for row in [list(header), *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(c.rjust(w) if i in right else c.ljust(w)
                               for i, (c, w) in enumerate(zip(row, widths))).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


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


def render_speakers(speakers: Sequence[SpeakerInfo]) -> str:
    """Everyone in the index: name, role(s), organisation(s), passages, documents."""
    if not speakers:
        return "No speakers in this index.\n"
    rows = [
        [s.name, "; ".join(s.roles) or "-", "; ".join(s.organisations) or "-", str(s.passages), str(len(s.documents))]
        for s in speakers
    ]
    if any(s.aliases for s in speakers):  # other names the same person goes by ("Cllr Okafor")
        for row, s in zip(rows, speakers):
            row.append("; ".join(s.aliases) or "-")
        return _table(["speaker", "role", "organisation", "passages", "documents", "also"], rows, max_width=50,
                      right=(3, 4))
    return _table(["speaker", "role", "organisation", "passages", "documents"], rows, max_width=50, right=(3, 4))


def acronym_to_dict(acronym: Acronym) -> dict[str, Any]:
    return {"short": acronym.short, "long": acronym.long, "passages": list(acronym.passages)}


def render_glossary(acronyms: Sequence[Acronym]) -> str:
    """The acronyms the corpus defines, one a line: ``CAS3  Community Accommodation ...``."""
    if not acronyms:
        return "No acronyms are defined in this corpus.\n"
    width = max(len(a.short) for a in acronyms)
    return "".join(f"{a.short.ljust(width)}  {a.long}\n" for a in acronyms)


def _format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        if all(not isinstance(v, (dict, list, tuple)) for v in value):
            return ", ".join(str(v) for v in value) if value else "-"
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return "-"
    return str(value)


def render_info(info: Mapping[str, Any], *, indent: str = "") -> str:
    """An index's manifest, counts and stale flag as ``key: value`` lines (nested
    mappings indented; a list of documents one per line)."""
    lines: list[str] = []
    width = max((len(str(k)) for k in info), default=0)
    for key, value in info.items():
        if isinstance(value, Mapping):
            lines.append(f"{indent}{key}:")
            lines.append(render_info(value, indent=indent + "  ").rstrip("\n"))
        elif isinstance(value, (list, tuple)) and value and all(isinstance(v, Mapping) for v in value):
            lines.append(f"{indent}{key}:")
            for item in value:
                summary = "  ".join(f"{k}={_format_value(v)}" for k, v in item.items()
                                    if not isinstance(v, (Mapping, list, tuple)))
                lines.append(f"{indent}  - {summary}")
        else:
            lines.append(f"{indent}{str(key).ljust(width)}  {_format_value(value)}")
    return "\n".join(line for line in lines if line) + "\n"


#: Keys of ``Index.info()`` shown first by :func:`render_index_info`, in this order.
_INFO_FIRST = ("path", "stale", "counts", "documents", "corpus", "format", "library_version")


def render_index_info(info: Mapping[str, Any]) -> str:
    """``index info``: where the index is, whether it is stale, its counts, the
    corpus it was built from, then the versions and settings."""
    ordered = {k: info[k] for k in _INFO_FIRST if k in info}
    ordered.update((k, v) for k, v in info.items() if k not in ordered)
    if "stale" in ordered and ordered["stale"] is None:
        ordered["stale"] = "unknown (the corpus it was built from is not there)"
    return render_info(ordered)


#: Details of skipped files and degraded documents shown after ``index build`` (all with --verbose).
BUILD_DETAILS = 3


def render_build_summary(info: Mapping[str, Any], seconds: float, *, verbose: bool = False) -> str:
    """After ``index build``: where, what, how long; then the files skipped and the
    documents read with a fallback (the first few of each, all when ``verbose``)."""
    counts = info.get("counts") or {}
    parts = [f"{counts[k]} {k}" for k in ("documents", "passages", "indexed", "terms", "speakers", "acronyms")
             if k in counts]
    where = info.get("path") or "memory"
    lines = [f"built {where} in {seconds:.1f} s: " + ", ".join(parts)]
    corpus = info.get("corpus") or {}
    for key, what, detail in (("skipped_files", "file skipped", "reason"), ("degraded_documents", "document degraded", "warning")):
        items = corpus.get(key) or []
        if not items:
            continue
        files = len({i.get("path") for i in items})
        lines.append(f"{files} {what if files == 1 else what.replace(' ', 's ', 1)}:")
        shown = items if verbose else items[:BUILD_DETAILS]
        lines.extend(f"  {i.get('path')}: {i.get(detail)}" for i in shown)
        if len(shown) < len(items):
            lines.append(f"  ... and {len(items) - len(shown)} more (--verbose lists them all; index info too)")
    return "\n".join(lines) + "\n"


def line_of(text: str, offset: int) -> int:
    """1-based line number of character ``offset`` in ``text``."""
    return text.count("\n", 0, max(0, min(offset, len(text)))) + 1


def render_context(
    target: Passage,
    passages: Sequence[Passage],
    *,
    source: str | None = None,
    lines: tuple[int, int] | None = None,
    color: bool = False,
    width: int = 88,
) -> str:
    """A passage with the turns around it. ``target`` is marked ``>>``; ``source``
    is the path of its file and ``lines`` the first and last line there."""
    out = [_style(f"{target.id}", _BOLD, color)]
    out.append(f"document  {target.title or target.document} ({target.kind}{', ' + target.date if target.date else ''})")
    if target.section:
        out.append(f"section   {target.section}")
    where = source or target.document
    if lines is not None:
        where += f", lines {lines[0]}-{lines[1]}" if lines[1] != lines[0] else f", line {lines[0]}"
    out.append(f"source    {where} (characters {target.start}-{target.end})")
    if target.time_start is not None:
        end = f"-{target.time_end:.1f}" if target.time_end is not None else ""
        out.append(f"time      {target.time_start:.1f}{end} s")
    if target.citation:
        out.append(f"cites     {target.citation}")
    if target.links:
        out.append("same words in: " + ", ".join(target.links))
    for p in passages:
        out.append("")
        mark = ">> " if p.id == target.id else "   "
        head = f"{mark}[{p.id}] {_who_line(p.speaker, p.role, p.organisation, p.kind)}"
        out.append(_wrap(head, width=width, indent="   ", first="", color=color,
                         line_style=_BOLD if p.id == target.id else _SPEAKER))
        out.append(_wrap(p.text, width=width, indent="   ", color=False))
    return "\n".join(out) + "\n"


def passage_to_dict(p: Passage) -> dict[str, Any]:
    return p.to_dict()


def context_to_dict(target: Passage, passages: Sequence[Passage], source: str | None,
                    lines: tuple[int, int] | None) -> dict[str, Any]:
    """``show --format json`` (and the web API's ``/api/passages/ID``): the
    passage, the passages around it, its source file and lines."""
    return {"passage": target.to_dict(), "context": [p.to_dict() for p in passages], "source": source,
            "lines": list(lines) if lines else None}


# --------------------------------------------------------------------------- files
