"""The Flask application: search pages, speaker and document pages, and the
JSON API, all over one :class:`~transcript_qa.index.Index` and the same
library calls as the command line (``Index.ask``, ``Index.who``,
``Index.context``; the JSON comes from :mod:`transcript_qa.output`).

Requests run side by side on the server's threads: an index is safe to share
between threads (its passages are read with positioned reads, and every search
takes its own scratch space). Every response says how long the app took in a
``Server-Timing`` header.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

import numpy as np
from flask import Flask, Response, g, jsonify, redirect, render_template, request
from markupsafe import Markup

from .. import output
from ..errors import QueryError, TranscriptQAError
from ..filters import filter_mask
from ..locate import source_location
from ..model import Answer, Filters, Passage
from ..report_html import CSS, Links, answer_box, chart_svg, hit_html, passage_html
from .params import FILTER_NAMES, BadParameter, Params, parse

#: Passages shown on one page of a document (longer documents are paged).
DOCUMENT_PAGE = 1000
#: Passages shown on a speaker's page.
SPEAKER_LIMIT = 2000
#: Turns before and after a hit in its "in context" view.
HIT_CONTEXT = 2
#: Known values offered in a filter field (as you type).
MAX_SUGGESTIONS = 5000

_SEARCH_PARAMS = ("q", "k") + FILTER_NAMES
_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'")


class NotFound(QueryError):
    """An id the index does not have (HTTP 404)."""


#: ``Host`` headers answered by default: the loopback names.
LOOPBACK_HOSTS = ["127.0.0.1", "localhost"]


def create_app(index: Any, *, any_host: bool = False) -> Flask:
    """The app over ``index``. It answers only requests whose ``Host`` is a
    loopback name (so that a web page elsewhere cannot reach it through a DNS
    name pointed at 127.0.0.1), unless ``any_host`` (the user chose to share)."""
    app = Flask(__name__)
    app.config["TRUSTED_HOSTS"] = None if any_host else list(LOOPBACK_HOSTS)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # the JSON contract's key order
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    documents = {d.id: d for d in index.documents()}
    speakers = {s.name: s for s in index.speakers()}

    # ------------------------------------------------------------------ links between pages
    def links_for(params: Params) -> Links:
        def linked(pid: str) -> tuple[str, str | None] | None:
            try:
                p = index.passage(pid)
            except QueryError:
                return None
            return f"{_who_text(p)}, {p.title or p.document}", passage_url(p)

        return Links(
            passage=passage_url,
            speaker=lambda name: f"/speakers/{quote(name, safe='')}" if name in speakers else None,
            document=lambda doc: f"/documents/{quote(doc, safe='')}" if doc in documents else None,
            speaker_hits=lambda name: "/?" + params.query(speaker=name),
            linked=linked,
        )

    def passage_url(p: Passage) -> str:
        return f"/documents/{quote(p.document, safe='')}?passage={quote(p.id, safe='')}#t{p.position}"

    # ------------------------------------------------------------------ request plumbing
    @app.before_request
    def start_clock() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def headers(response: Response) -> Response:
        elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        response.headers["Server-Timing"] = f"app;dur={elapsed:.2f}"
        response.headers["Content-Security-Policy"] = _CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def args_of() -> dict[str, list[str]]:
        return {name: request.args.getlist(name) for name in request.args}

    def wants_json() -> bool:
        return request.path.startswith("/api/")

    @app.errorhandler(TranscriptQAError)
    def library_error(err: TranscriptQAError) -> tuple[Any, int]:
        status = 404 if isinstance(err, NotFound) else 400 if isinstance(err, QueryError) else 500
        return error_response(status, str(err), getattr(err, "hint", None))

    @app.errorhandler(404)
    def not_found(err: Any) -> tuple[Any, int]:
        return error_response(404, f"no page at {request.path}")

    @app.errorhandler(405)
    def not_allowed(err: Any) -> tuple[Any, int]:
        return error_response(405, f"{request.method} is not allowed here; use GET")

    @app.errorhandler(500)
    def server_error(err: Any) -> tuple[Any, int]:
        original = getattr(err, "original_exception", None)
        return error_response(500, f"the server failed: {original or err}")

    def error_response(status: int, message: str, hint: str | None = None) -> tuple[Any, int]:
        if wants_json():
            body = {"error": message}
            if hint and hint not in message:
                body["hint"] = hint
            return jsonify(body), status
        return render_template("error.html", status=status, message=message, hint=hint,
                               **shell(Params())), status

    def shell(params: Params) -> dict[str, Any]:
        """What every page's header needs: the search form's values and suggestions."""
        suggestions = {}
        for name in ("speaker", "organisation", "role", "document", "date"):
            suggestions[name] = index.filter_values(name)[:MAX_SUGGESTIONS]
        return {"params": params, "filters": params.filters, "suggestions": suggestions,
                "kinds": index.filter_values("kind")}

    # ------------------------------------------------------------------ pages
    @app.get("/")
    def search() -> str:
        params = parse(args_of(), allowed=_SEARCH_PARAMS)
        context: dict[str, Any] = shell(params)
        context.update(answer=None, error=None, chart=None, hits=[])
        if params.q:
            try:
                answer = index.ask(params.q, params.k, **params.filters.active())
            except QueryError as err:  # an unknown filter value: say so on the page, as 400
                context["error"] = err
                return render_template("search.html", **context), 400  # type: ignore[return-value]
            links = links_for(params)
            context["answer"] = answer
            context["best"] = Markup(answer_box(answer, links))
            context["chart"] = Markup(chart_svg(answer.speakers, links))
            context["hits"] = [Markup(hit_html(h, links, extra=hit_context(h, links), element_id=f"hit-{h.rank}"))
                               for h in answer.hits]
        return render_template("search.html", **context)

    def hit_context(hit: Any, links: Links) -> str:
        around = index.context(hit.passage.id, before=HIT_CONTEXT, after=HIT_CONTEXT)
        span = getattr(hit, "answer", None)
        turns = "".join(passage_html(p, links, current=p.id == hit.passage.id,
                                     answer=span if p.id == hit.passage.id else None) for p in around)
        return (f'<details class="context"><summary>In context</summary>{turns}'
                f'<p class="open"><a class="open-doc" href="{passage_url(hit.passage)}">'
                "Open in the whole document</a></p></details>")

    @app.get("/passages/<path:passage_id>")
    def passage_page(passage_id: str) -> Response:
        parse(args_of(), allowed=())
        p = find_passage(passage_id)
        return redirect(passage_url(p), code=302)

    @app.get("/documents")
    def document_list() -> str:
        parse(args_of(), allowed=())
        return render_template("documents.html", documents=list(documents.values()), **shell(Params()))

    @app.get("/documents/<path:document_id>")
    def document_page(document_id: str) -> str:
        raw = args_of()
        wanted = raw.pop("passage", [])
        page_args = raw.pop("page", [])
        parse(raw, allowed=())
        doc = documents.get(document_id)
        if doc is None:
            raise NotFound(f"no document {document_id!r} in the index")
        target = find_passage(wanted[0]) if wanted else None
        if target is not None and target.document != document_id:
            raise NotFound(f"passage {target.id!r} is not in document {document_id!r}")
        numbers = _numbers(index, Filters(document=document_id))
        pages = max(1, -(-len(numbers) // DOCUMENT_PAGE))
        if target is not None:
            # the passage (boilerplate too) with the turns around it, up to a page's worth
            shown = index.context(target.id, before=DOCUMENT_PAGE // 2, after=DOCUMENT_PAGE // 2)
            page = None
        else:
            page = _page_number(page_args[0], pages) if page_args else 1
            shown = [index.passages[int(i)] for i in numbers[(page - 1) * DOCUMENT_PAGE: page * DOCUMENT_PAGE]]
        links = links_for(Params())
        turns = [Markup(passage_html(p, links, current=target is not None and p.id == target.id,
                                     anchor=f"t{p.position}")) for p in shown]
        return render_template("document.html", doc=doc, turns=turns, target=target, page=page, pages=pages,
                               count=len(numbers), shown=len(shown),
                               **shell(Params(filters=Filters(document=document_id))))

    @app.get("/speakers")
    def speaker_list() -> str:
        parse(args_of(), allowed=())
        return render_template("speakers.html", people=list(speakers.values()), **shell(Params()))

    @app.get("/speakers/<path:name>")
    def speaker_page(name: str) -> str:
        parse(args_of(), allowed=())
        info = speakers.get(name)
        if info is None:
            raise NotFound(f"no speaker {name!r} in the index")
        numbers = _numbers(index, Filters(speaker=name))
        links = links_for(Params(filters=Filters(speaker=name)))
        by_document: dict[str, list[Markup]] = {}
        for i in numbers[:SPEAKER_LIMIT]:
            p = index.passages[int(i)]
            if p.speaker != name:
                continue
            by_document.setdefault(p.document, []).append(Markup(passage_html(p, links)))
        groups = [(documents.get(d), d, turns) for d, turns in by_document.items()]
        return render_template("speaker.html", info=info, groups=groups, total=len(numbers),
                               limit=SPEAKER_LIMIT, **shell(Params(filters=Filters(speaker=name))))

    def find_passage(passage_id: str) -> Passage:
        try:
            return index.passage(passage_id)
        except QueryError:
            raise NotFound(f"no passage {passage_id!r} in the index") from None

    # ------------------------------------------------------------------ JSON API
    @app.get("/api/ask")
    def api_ask() -> Response:
        params = parse(args_of(), allowed=_SEARCH_PARAMS, require_q=True)
        answer = index.ask(params.q, params.k, **params.filters.active())
        return jsonify(output.answer_to_dict(answer))

    @app.get("/api/who")
    def api_who() -> Response:
        params = parse(args_of(), allowed=_SEARCH_PARAMS, default_k=5, require_q=True)
        ranked = index.who(params.q, params.k, **params.filters.active())
        answer = Answer(question=params.q, intent="who", hits=(), speakers=tuple(ranked))
        return jsonify(output.speakers_to_dicts(answer))

    @app.get("/api/passages/<path:passage_id>")
    def api_passage(passage_id: str) -> Response:
        params = parse(args_of(), allowed=("context",))
        target = find_passage(passage_id)
        around = index.context(passage_id, before=params.context, after=params.context)
        source, lines = source_location(index, target)
        return jsonify(output.context_to_dict(target, around, source, lines))

    @app.get("/static/report.css")
    def report_css() -> Response:
        return Response(CSS, mimetype="text/css")

    return app


def _numbers(index: Any, filters: Filters) -> np.ndarray:
    """Passage numbers (in corpus order) of the indexed passages that ``filters`` match."""
    mask, _ = filter_mask(index, filters)
    return np.flatnonzero(mask) if mask is not None else np.arange(len(index.passages))


def _page_number(raw: str, pages: int) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= pages:
        raise BadParameter(f"page: {raw!r} is not a page of this document (1 to {pages})")
    return int(raw)


def _who_text(p: Passage) -> str:
    return p.speaker or p.kind.replace("_", " ")
