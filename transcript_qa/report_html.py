"""Answers as HTML: one self-contained file to share (``ask``, ``who`` and
``batch`` with ``--format html``), and the pieces the local web app
(:mod:`transcript_qa.web`) shows the same way.

A report is one file with inline CSS and an inline SVG chart; it needs no
script, no font and no network to be read (its Content-Security-Policy allows
none). Every piece of text from the corpus is escaped here: transcripts are
untrusted input. Standard library only, so ``--format html`` works with the
core install.

The pieces (``hit_html``, ``chart_svg``, ``passage_html``, ...) take a
:class:`Links` that says where names, documents and passages link to: nowhere
in a report, to the app's pages in the web app.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from html import escape
from typing import IO, Any, Callable, Iterable, Mapping, Sequence

from .model import Answer, Document, Hit, Passage, SpeakerAnswer
from .spans import merge_spans

#: Width of the chart's drawing, in SVG units (the SVG scales to its box).
CHART_WIDTH = 640
_BAR_X = 0
_BAR_MAX = 560
_ROW = 38

CSS = """
:root { --ink: #1d232b; --muted: #5b6572; --line: #d9dee5; --accent: #1f5fae; --bar: #2f6fbf;
        --mark: #fff0a8; --answer: #c9f0d0; --paper: #ffffff; --soft: #f4f6f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); background: var(--paper); }
main, .page { max-width: 60rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.5rem; margin: 0.5rem 0 0.25rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
h3 { font-size: 1rem; margin: 1rem 0 0.25rem; }
a { color: var(--accent); }
.muted, .meta { color: var(--muted); font-size: 0.9rem; }
mark { background: var(--mark); color: inherit; padding: 0 0.05em; border-radius: 2px; }
mark.answer-span { background: var(--answer); font-weight: 600; }
.answer-box { border: 1px solid #8fd19e; background: #effaf1; border-radius: 6px; padding: 0.5rem 0.75rem;
              margin: 0.75rem 0; }
.hit { border-top: 1px solid var(--line); padding: 0.75rem 0; }
.hit-head { display: flex; flex-wrap: wrap; gap: 0.25rem 0.5rem; align-items: baseline; }
.rank { color: var(--muted); min-width: 1.75rem; }
.speaker { font-weight: 600; }
.kind { font-style: italic; color: var(--muted); }
.score { margin-left: auto; color: var(--muted); font-size: 0.85rem; font-variant-numeric: tabular-nums; }
.snippet { margin: 0.35rem 0 0.35rem 1.75rem; }
.source, .links, .answer { margin: 0.2rem 0 0.2rem 1.75rem; font-size: 0.9rem; }
.source { color: var(--muted); }
.pid { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.8rem; }
.chart { margin: 0.75rem 0 1rem; }
.chart svg { width: 100%; max-width: 44rem; height: auto; display: block; }
.chart figcaption { font-size: 0.9rem; color: var(--muted); }
.chart .track { fill: var(--soft); }
.chart rect.row { fill: transparent; }
.chart .bar rect.fill { fill: var(--bar); }
.chart a:hover rect.fill, .chart a:focus rect.fill { fill: #174a8a; }
.chart text { font-size: 13px; fill: var(--ink); }
.chart text.value { fill: var(--muted); font-variant-numeric: tabular-nums; }
.turn { padding: 0.5rem 0.75rem; border-left: 3px solid transparent; }
.turn.current, .turn:target { border-left-color: var(--accent); background: #eef4fc; }
.turn p { margin: 0.25rem 0; white-space: pre-wrap; }
.turn-head { font-size: 0.9rem; }
.toc li { margin: 0.15rem 0; }
.filters { font-size: 0.9rem; color: var(--muted); }
table.sources { border-collapse: collapse; font-size: 0.9rem; }
table.sources td, table.sources th { border-top: 1px solid var(--line); padding: 0.25rem 0.5rem; text-align: left;
                                     vertical-align: top; }
footer { margin-top: 2rem; font-size: 0.8rem; color: var(--muted); }
"""


def esc(value: Any) -> str:
    """Text as HTML (quotes too, so it is safe in attributes); None is ''."""
    return "" if value is None else escape(str(value), quote=True)


# --------------------------------------------------------------------------- links


def _nowhere(*_: Any) -> str | None:
    return None


@dataclass(frozen=True)
class Links:
    """Where the pieces link to; each returns a URL or None (plain text).

    ``passage``: the passage in its document; ``speaker``: a speaker's page;
    ``document``: a document's page; ``speaker_hits``: a chart bar (that
    speaker's passages for the question); ``linked``: a passage id of
    ``Passage.links`` to ``(label, url)``.
    """

    passage: Callable[[Passage], str | None] = _nowhere
    speaker: Callable[[str], str | None] = _nowhere
    document: Callable[[str], str | None] = _nowhere
    speaker_hits: Callable[[str], str | None] = _nowhere
    linked: Callable[[str], tuple[str, str | None] | None] = _nowhere


NO_LINKS = Links()


def _a(text_html: str, href: str | None, cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    if href is None:
        return f"<span{klass}>{text_html}</span>" if cls else text_html
    return f'<a{klass} href="{esc(href)}">{text_html}</a>'


# --------------------------------------------------------------------------- text with marks


def marked(text: str, spans: Iterable[tuple[int, int]], cls: str = "") -> str:
    """``text`` escaped, with each span (character offsets; overlapping spans
    merged, out-of-range ones clipped) in a ``<mark>``."""
    klass = f' class="{cls}"' if cls else ""
    out: list[str] = []
    pos = 0
    for start, end in merge_spans(spans, len(text)):
        out.append(esc(text[pos:start]))
        out.append(f"<mark{klass}>{esc(text[start:end])}</mark>")
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def answer_of(obj: Any) -> Any:
    """The factual answer span of a hit or an answer, when there is one
    (``.answer`` with ``text``, ``start``, ``end``, ``type``), else None."""
    value = getattr(obj, "answer", None)
    return value if value is not None and getattr(value, "text", None) else None


def _answer_spans(passage: Passage, span: Any) -> list[tuple[int, int]]:
    """Where the answer is in the passage's text: nowhere when it is in a footnote or is the speaker."""
    start, end = getattr(span, "start", None), getattr(span, "end", None)
    if getattr(span, "field", "text") != "text" or not (isinstance(start, int) and isinstance(end, int)):
        return []
    if 0 <= start < end <= len(passage.text) and passage.text[start:end] == getattr(span, "text", None):
        return [(start, end)]
    return []


def answer_line(span: Any) -> str:
    """``Answer: <mark>755 vacancies</mark> (quantity)``."""
    kind = getattr(span, "type", None) or getattr(span, "kind", None)
    tail = f' <span class="muted">({esc(kind)})</span>' if kind else ""
    return f'<p class="answer"><strong>Answer:</strong> <mark class="answer-span">{esc(span.text)}</mark>{tail}</p>'


# --------------------------------------------------------------------------- pieces


def who_html(name: str | None, role: str | None, organisation: str | None, kind: str | None,
             links: Links = NO_LINKS) -> str:
    """Speaker (linked), role and organisation; the document kind when nobody speaks."""
    if not name:
        return f'<span class="kind">{esc((kind or "no speaker").replace("_", " "))}</span>'
    details = [x for x in dict.fromkeys((role, organisation)) if x and x.casefold() != name.casefold()]
    out = _a(esc(name), links.speaker(name), "speaker")
    if details:
        out += f' <span class="role">({esc(", ".join(details))})</span>'
    return out


def source_html(p: Passage, links: Links = NO_LINKS) -> str:
    """Document title (linked), date, section and passage id (linked to the passage in its document)."""
    parts = [_a(esc(p.title or p.document), links.document(p.document), "doc")]
    if p.date:
        parts.append(f"<time>{esc(p.date)}</time>")
    if p.section:
        parts.append(f"section: {esc(p.section)}")
    parts.append(_a(esc(p.id), links.passage(p), "pid"))
    return " · ".join(parts)


def links_html(p: Passage, links: Links = NO_LINKS) -> str:
    """``Same words in: ...`` for a passage quoted (or quoting) elsewhere."""
    if not p.links:
        return ""
    items = []
    for pid in p.links:
        target = links.linked(pid)
        label, href = target if target else (pid, None)
        items.append(_a(esc(label), href, "quote-link"))
    return f'<p class="links">Same words in: {", ".join(items)}</p>'


def hit_html(hit: Hit, links: Links = NO_LINKS, *, extra: str = "", element_id: str | None = None,
             rank: bool = True) -> str:
    """One ranked passage: rank, who, score, the answer span (when there is one),
    the snippet with matched terms marked, its source, and passages with the same
    words. ``extra`` is HTML added at the end (the web app's context)."""
    p = hit.passage
    ident = f' id="{esc(element_id)}"' if element_id else ""
    number = f'<span class="rank">{hit.rank}.</span> ' if rank else ""
    out = [f'<article class="hit"{ident} data-passage-id="{esc(p.id)}">',
           f'<div class="hit-head">{number}{who_html(p.speaker, p.role, p.organisation, p.kind, links)}'
           f'<span class="score">score {hit.score:.4f}</span></div>']
    span = answer_of(hit)
    if span is not None:
        out.append(answer_line(span))
    text, spans = (hit.snippet, hit.highlights) if hit.snippet else (p.text, ())
    out.append(f'<p class="snippet">{marked(text, spans)}</p>')
    out.append(f'<p class="source">{source_html(p, links)}</p>')
    out.append(links_html(p, links))
    out.append(extra)
    out.append("</article>")
    return "".join(part for part in out if part)


def passage_html(p: Passage, links: Links = NO_LINKS, *, current: bool = False, answer: Any = None,
                 anchor: str | None = None) -> str:
    """A whole passage as a turn of its document (the web app's context and document views)."""
    cls = "turn current" if current else "turn"
    ident = f' id="{esc(anchor)}"' if anchor else ""
    aria = ' aria-current="true"' if current else ""
    spans = _answer_spans(p, answer) if answer is not None else []
    head = who_html(p.speaker, p.role, p.organisation, p.kind, links)
    section = f' <span class="muted">· {esc(p.section)}</span>' if p.section else ""
    return (f'<section class="{cls}"{ident}{aria} data-passage-id="{esc(p.id)}">'
            f'<div class="turn-head">{head}{section} {_a(esc(p.id), links.passage(p), "pid muted")}</div>'
            f'<p>{marked(p.text, spans, "answer-span")}</p>{links_html(p, links)}</section>')


def chart_svg(speakers: Sequence[SpeakerAnswer], links: Links = NO_LINKS, *, caption: str | None = None) -> str:
    """A horizontal bar per speaker, its length their share of the relevant
    material (the full width is 100%), labelled with the share; each bar links
    to ``links.speaker_hits(name)``. Inline SVG: no script, no external file."""
    if not speakers:
        return ""
    height = _ROW * len(speakers) + 4
    rows = []
    for i, sa in enumerate(speakers):
        y = i * _ROW
        share = max(0.0, min(1.0, float(sa.score)))
        width = round(_BAR_MAX * share, 1)
        label = sa.speaker + (f" ({sa.role})" if sa.role and sa.role.casefold() != sa.speaker.casefold() else "")
        percent = f"{share * 100:.0f}%" if share >= 0.01 else f"{share * 100:.1f}%"
        body = (f"<title>{esc(sa.speaker)}: {percent} of the relevant material (score {sa.score:.4f})</title>"
                f'<rect class="row" x="0" y="{y}" width="{CHART_WIDTH}" height="{_ROW - 2}"/>'
                f'<text x="{_BAR_X}" y="{y + 13}">{esc(label)}</text>'
                f'<rect class="track" x="{_BAR_X}" y="{y + 18}" width="{_BAR_MAX}" height="14" rx="2"/>'
                f'<rect class="fill" x="{_BAR_X}" y="{y + 18}" width="{width}" height="14" rx="2"/>'
                f'<text class="value" x="{_BAR_X + _BAR_MAX + 8}" y="{y + 30}">{percent}</text>')
        href = links.speaker_hits(sa.speaker)
        if href is not None:
            body = f'<a href="{esc(href)}">{body}</a>'
        rows.append(f'<g class="bar" data-speaker="{esc(sa.speaker)}" data-score="{sa.score:.6f}" '
                    f'data-width="{width}">{body}</g>')
    caption = caption or "Who spoke about it: each speaker's share of the relevant material"
    return (f'<figure class="chart"><figcaption>{esc(caption)}</figcaption>'
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {height}" '
            f'role="img" aria-label="{esc(caption)}">{"".join(rows)}</svg></figure>')


def filters_html(answer: Answer) -> str:
    active = answer.filters.active()
    if not active:
        return ""
    return '<p class="filters">Filters: ' + ", ".join(f"{esc(k)} = {esc(v)}" for k, v in active.items()) + "</p>"


# --------------------------------------------------------------------------- reports


def best_answer(answer: Answer) -> tuple[Any, Hit | None]:
    """The question's factual answer and the hit it comes from (when known)."""
    best = answer_of(answer)
    for hit in answer.hits:
        span = answer_of(hit)
        if span is None:
            continue
        if best is None or span is best or getattr(span, "text", None) == getattr(best, "text", None):
            return (best or span), hit
    return best, None


def answer_box(answer: Answer, links: Links = NO_LINKS) -> str:
    """The question's factual answer, when there is one, with who said it and where."""
    best, best_hit = best_answer(answer)
    if best is None:
        return ""
    where = ""
    if best_hit is not None:
        p = best_hit.passage
        where = f" — {who_html(p.speaker, None, None, p.kind, links)}, {source_html(p, links)}"
    return (f'<div class="answer-box"><strong>Answer:</strong> '
            f'<mark class="answer-span">{esc(best.text)}</mark>{where}</div>')


def _answer_section(answer: Answer, number: int, *, who_only: bool, heading: bool = True) -> str:
    prefix = f"q{number}"
    anchors = {sa.speaker: f"{prefix}-speaker-{sa.rank}" for sa in answer.speakers}
    links = Links(speaker_hits=lambda name: f"#{anchors[name]}" if name in anchors else None)
    title = f"[{esc(answer.id)}] " if answer.id not in (None, "") else ""
    out = [f'<section class="question" id="{prefix}">',
           f"<h2>{title}{esc(answer.question)}</h2>" if heading else "", filters_html(answer)]
    out.append(answer_box(answer))
    if not answer.hits and not answer.speakers:
        out.append(f'<p>No passages found{": " + esc(answer.reason) if answer.reason else "."}</p></section>')
        return "".join(out)
    out.append(chart_svg(answer.speakers, links))
    if answer.speakers:
        out.append("<h3>Speakers</h3>" if not who_only else "")
        for sa in answer.speakers:
            count = len(sa.hits)
            out.append(f'<div class="speaker-entry" id="{anchors[sa.speaker]}"><h3>{sa.rank}. '
                       f'{who_html(sa.speaker, sa.role, sa.organisation, None)} '
                       f'<span class="muted">share {sa.score:.4f}, {count} passage{"s" if count != 1 else ""}'
                       f'</span></h3>')
            shown = sa.hits if who_only else sa.hits[:1]
            out.extend(hit_html(h, rank=False) for h in shown)
            out.append("</div>")
    if answer.hits:
        out.append("<h3>Passages</h3>")
        out.extend(hit_html(h, element_id=f"{prefix}-hit-{h.rank}") for h in answer.hits)
    elif answer.reason:
        out.append(f"<p>No passages found: {esc(answer.reason)}</p>")
    out.append("</section>")
    return "".join(out)


def _sources_table(answers: Sequence[Answer], documents: Mapping[str, Document] | None) -> str:
    seen: dict[str, Passage] = {}
    for answer in answers:
        for hit in list(answer.hits) + [h for sa in answer.speakers for h in sa.hits]:
            seen.setdefault(hit.passage.document, hit.passage)
    if not seen:
        return ""
    rows = []
    for doc_id, p in sorted(seen.items(), key=lambda kv: (kv[1].date or "", kv[0])):
        doc = (documents or {}).get(doc_id)
        origin = " · ".join(esc(x) for x in ((doc.source, doc.path) if doc else ()) if x)
        rows.append(f"<tr><td>{esc(p.title or doc_id)}</td><td>{esc(p.kind.replace('_', ' '))}</td>"
                    f"<td>{esc(p.date or '')}</td><td><span class=\"pid\">{esc(doc_id)}</span></td>"
                    f"<td>{origin}</td></tr>")
    return ("<h2>Sources</h2><table class=\"sources\"><thead><tr><th>document</th><th>kind</th><th>date</th>"
            "<th>id</th><th>origin</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def render_report(answers: Iterable[Answer], *, who_only: bool = False, title: str | None = None,
                  documents: Iterable[Document] | Mapping[str, Document] | None = None,
                  generated: str | None = None) -> str:
    """One self-contained HTML page for one or more answers: for each question
    its filters, factual answer (when there is one), speaker chart, speakers and
    passages with their sources; then the documents cited. ``who_only`` (the
    ``who`` command) shows each speaker with all their passages instead of a
    list of passages."""
    from . import __version__

    items = list(answers)
    if isinstance(documents, Mapping):
        docs: Mapping[str, Document] | None = documents
    else:
        docs = {d.id: d for d in documents} if documents is not None else None
    if title is None:
        title = items[0].question if len(items) == 1 else f"{len(items)} questions"
    when = generated or _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z").strip()
    body = [f"<h1>{esc(title)}</h1>",
            f'<p class="meta">transcript-qa {esc(__version__)} · {esc(when)} · '
            f'{"speaker ranking" if who_only else "ranked passages and speakers"}</p>']
    if len(items) > 1:
        body.append('<nav><ol class="toc">' + "".join(
            f'<li><a href="#q{n}">{esc(a.question)}</a></li>' for n, a in enumerate(items, 1)) + "</ol></nav>")
    body.extend(_answer_section(a, n, who_only=who_only, heading=len(items) > 1) for n, a in enumerate(items, 1))
    if not items:
        body.append("<p>No questions.</p>")
    body.append(_sources_table(items, docs))
    body.append("<footer>Scores are TF-IDF relevance; a speaker's share is their part of the material most "
                "relevant to the question. Passages are quoted from the documents as parsed.</footer>")
    return page(title, "".join(body))


def page(title: str, body: str, *, css: str = CSS) -> str:
    """A complete HTML document with inline CSS and a policy that allows no script."""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">"
            f"<title>{esc(title)}</title><style>{css}</style></head>"
            f'<body><main class="page">{body}</main></body></html>\n')


def write_html(answers: Iterable[Answer], stream: IO[str], *, who_only: bool = False,
               documents: Iterable[Document] | Mapping[str, Document] | None = None) -> int:
    """Write :func:`render_report` of ``answers``; returns how many were written."""
    items = list(answers)
    stream.write(render_report(items, who_only=who_only, documents=documents))
    return len(items)
