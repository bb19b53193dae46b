"""Text for people: answers, speakers, the glossary, index info and passages in
context, wrapped to the terminal's width and coloured when asked. Every
``render_*`` function returns a string; nothing here prints."""

from __future__ import annotations

import json
import re
from typing import Any, Mapping, Sequence

from .model import Acronym, Answer, Hit, Passage, SpeakerInfo
from .spans import merge_spans, wrap_spans

# ANSI styles, used only when ``color=True``.
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_HIGHLIGHT = "\x1b[1;33m"  # bold yellow
_SPEAKER = "\x1b[1;36m"  # bold cyan
_RESET = "\x1b[0m"




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
    merged = merge_spans(spans, len(text)) if color and not line_style else []
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
            word = wrap_spans(word, inside, code, _RESET)
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
    if answer.unmatched:
        out.append(_style("not in the corpus: " + ", ".join(answer.unmatched), _DIM, color))
    for note in answer.notes:
        out.append(_style(note, _DIM, color))
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
    if hit is None:  # from a passage ranked below the hits shown
        lines.append(_style(f"{indent}from passage {span.passage_id}: transcript-qa show {span.passage_id}", _DIM, color))
        return lines
    p = hit.passage
    who = _who_line(p.speaker, p.role, p.organisation, p.kind)
    where = "footnote cited by " if span.field == "citation" else ""
    lines.append(_wrap(f"{where}{who} | {_source_line(p)}", width=width, indent=indent, color=color,
                       line_style=_DIM))
    source = {"citation": p.citation, "text": p.text}.get(span.field)  # the speaker themselves: no sentence
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




def render_change(change: Any, info: Mapping[str, Any], seconds: float) -> str:
    """After ``index add/remove/merge/refresh``: what changed, then the index as it is now."""
    lines = []
    for label, ids in (("added", change.added), ("removed", change.removed),
                       ("re-indexed (speaker names changed)", change.reindexed)):
        if ids:
            shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
            lines.append(f"{label}: {shown}")
    if change.merged:
        lines.append(f"merged {change.merged} segments into one")
    if not lines:
        lines.append("nothing to change")
    counts = info.get("counts") or {}
    lines.append(f"index {info.get('path')}: {counts.get('documents')} documents, {counts.get('passages')} passages "
                 f"in {counts.get('segments')} segment{'s' if counts.get('segments') != 1 else ''} ({seconds:.2f} s)")
    return "\n".join(lines) + "\n"
