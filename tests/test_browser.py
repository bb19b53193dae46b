"""The web app and the HTML report in a real browser: headless Chromium from the
system's packages (Debian's ``chromium``; ``.ci/run`` installs it), driven by
Playwright's Python package, which never downloads a browser here.

A missing browser fails these tests loudly in CI (``CI`` set, as ``.ci/run`` runs,
after installing the browser) or with ``TRANSCRIPT_QA_REQUIRE_BROWSER=1``; elsewhere
(a fresh checkout without Chromium) they are skipped with the reason, so the
README's test command passes before a browser is installed. ``TRANSCRIPT_QA_CHROMIUM``
names another Chromium or Chrome binary. ``TRANSCRIPT_QA_UPDATE_SCREENSHOTS=1``
also writes the screenshots in ``docs/`` that the README shows.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DOCS = ROOT / "docs"
CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable")
#: As root in a container Chromium needs --no-sandbox; the rest keep it off a closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]

#: The screenshots docs/ shows (README.md, docs/web.md).
DOCS_SCREENSHOTS = ("web-search.png", "web-document.png", "report.png")

pytestmark = pytest.mark.slow


def _browser_path() -> str | None:
    named = os.environ.get("TRANSCRIPT_QA_CHROMIUM")
    if named:
        return named if Path(named).exists() else None
    return next((c for c in CANDIDATES if Path(c).exists()), None) or shutil.which("chromium")


def _unavailable(reason: str) -> None:
    advice = ("install Debian's chromium (apt-get install chromium; .ci/run does) or name a Chromium binary "
              "in TRANSCRIPT_QA_CHROMIUM")
    if os.environ.get("CI") or os.environ.get("TRANSCRIPT_QA_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}: {advice}", pytrace=False)
    pytest.skip(f"{reason}: {advice} to run the browser tests")


@pytest.fixture(scope="module")
def browser():
    executable = _browser_path()
    if executable is None:
        _unavailable("no Chromium found (looked for " + ", ".join(CANDIDATES) + ")")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright's Python package is not installed (pip install '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


class Server:
    """``transcript-qa serve`` in its own process, on a free port."""

    def __init__(self, index: Path) -> None:
        code = "import sys; from transcript_qa.cli import main; sys.argv[0] = 'transcript-qa'; main()"
        self.proc = subprocess.Popen([sys.executable, "-c", code, "serve", "--index", str(index), "--port", "0"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        line = ""
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            match = re.search(r"on (http://\S+/) ", line)
            if match:
                self.url = match.group(1)
                return
            if not line and self.proc.poll() is not None:
                break
        self.stop()
        raise AssertionError(f"serve did not start: {line!r} {self.proc.stderr.read()[-2000:]}")

    def get_json(self, path: str, **params: str | int) -> object:
        url = self.url.rstrip("/") + path + ("?" + urllib.parse.urlencode(params) if params else "")
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.loads(response.read().decode("utf-8"))

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    from transcript_qa.build import build_index

    out = tmp_path_factory.mktemp("browser") / "index"
    build_index(CORPUS, out)
    return out


@pytest.fixture(scope="module")
def server(bundled):
    s = Server(bundled)
    yield s
    s.stop()


def _save(page, tmp_path: Path, name: str, *, full_page: bool = False) -> Path:
    shot = tmp_path / name
    page.screenshot(path=str(shot), full_page=full_page)
    assert shot.stat().st_size > 10_000  # a real picture, not a blank page
    if os.environ.get("TRANSCRIPT_QA_UPDATE_SCREENSHOTS") == "1" and name in DOCS_SCREENSHOTS:
        shutil.copyfile(shot, DOCS / name)
    return shot


def _bars(page) -> list[dict]:
    return page.eval_on_selector_all(
        "figure.chart g.bar",
        """gs => gs.map(g => {
             const fill = g.querySelector('rect.fill').getBoundingClientRect();
             const track = g.querySelector('rect.track').getBoundingClientRect();
             return {speaker: g.dataset.speaker, score: parseFloat(g.dataset.score),
                     ratio: fill.width / track.width, href: (g.querySelector('a') || {}).getAttribute
                       ? g.querySelector('a').getAttribute('href') : null};
           })""")


def test_search_filter_chart_context_and_quotes(page, server, bundled, tmp_path):
    # 1. type a question
    page.goto(server.url)
    page.fill("#q", "who discussed CAS3")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=who\+discussed\+CAS3"))
    assert page.inner_text("h1.question") == "who discussed CAS3"
    hits = page.locator("article.hit")
    assert hits.count() == 10

    # 2. the chart's bars are the API's speaker shares, drawn to scale
    api = server.get_json("/api/ask", q="who discussed CAS3")
    bars = _bars(page)
    assert [b["speaker"] for b in bars] == [s["speaker"] for s in api["speakers"]]
    for bar, expected in zip(bars, api["speakers"]):
        assert bar["score"] == pytest.approx(expected["score"], abs=1e-6)
        assert bar["ratio"] == pytest.approx(expected["score"], abs=0.01)  # share of the full track
    assert [h.get_attribute("data-passage-id") for h in hits.all()] == [h["passage_id"] for h in api["hits"]]
    _save(page, tmp_path, "web-search.png")

    # 3. a bar links to that speaker's passages for the question
    top = api["speakers"][0]["speaker"]
    page.click("figure.chart g.bar >> nth=0 >> rect.fill")
    page.wait_for_url(re.compile(r"speaker="))
    assert page.input_value("input[name=speaker]") == top
    assert {t.strip() for t in page.locator("article.hit .hit-head .speaker").all_inner_texts()} == {top}

    # 4. apply a speaker filter by typing in the form: a speaker who is not the
    # first to speak about caseloads (so the filter changes what is shown)
    unfiltered = server.get_json("/api/ask", q="caseloads", k=20)
    who = [h["speaker"] for h in unfiltered["hits"] if h["speaker"]]
    other = next(s for s in who if s != who[0])
    page.goto(server.url + "?q=caseloads")
    page.fill("input[name=speaker]", other)
    page.press("input[name=speaker]", "Enter")
    page.wait_for_url(re.compile(r"speaker=" + re.escape(urllib.parse.quote_plus(other))))
    filtered = server.get_json("/api/ask", q="caseloads", speaker=other)
    shown = [h.get_attribute("data-passage-id") for h in page.locator("article.hit").all()]
    assert shown == [h["passage_id"] for h in filtered["hits"]] and shown
    assert {h["speaker"] for h in filtered["hits"]} == {other}

    # 5. open a hit in context, in place, then in its whole document, scrolled to it
    first = page.locator("article.hit").first
    pid = first.get_attribute("data-passage-id")
    first.locator("details.context summary").click()
    current = first.locator("details.context .turn.current")
    assert current.is_visible() and current.get_attribute("data-passage-id") == pid
    assert first.locator("details.context .turn").count() >= 2  # the turns around it
    first.locator("a.open-doc").click()
    page.wait_for_url(re.compile(r"/documents/"))
    target = page.locator(".document .turn.current")
    assert target.get_attribute("data-passage-id") == pid
    assert target.is_visible() and _in_viewport(page, ".document .turn.current")
    assert page.locator(".document .turn").count() > 20  # the whole transcript, scrollable
    _save(page, tmp_path, "web-document.png")

    # 6. a report quote links to the transcript turn it quotes
    question, quote_id, turn_id = _quoted_turn(bundled)
    page.goto(server.url + "?" + urllib.parse.urlencode({"q": question, "kind": "report"}))
    hit = page.locator(f'article.hit[data-passage-id="{quote_id}"]')
    link = hit.locator("a.quote-link").first
    assert "transcript" in link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/documents/"))
    turn = page.locator(".document .turn.current")
    assert turn.get_attribute("data-passage-id") == turn_id
    assert _in_viewport(page, ".document .turn.current")
    assert page.evaluate("location.hash") == "#t" + turn_id.rsplit(":", 1)[1]
    assert not page.dialogs and not page.errors


def _in_viewport(page, selector: str) -> bool:
    return page.eval_on_selector(selector, "e => { const r = e.getBoundingClientRect();"
                                           " return r.top < innerHeight && r.bottom > 0; }")


def _quoted_turn(index_path: Path) -> tuple[str, str, str]:
    """A report passage that quotes a transcript turn, a question that finds it
    (its own first words) and the turn's id, found in the index (not typed in)."""
    from transcript_qa.index import read_index

    idx = read_index(index_path)
    for p in idx.passages:
        if p.kind != "report" or not p.links:
            continue
        turns = [pid for pid in p.links if idx.passage(pid).kind == "transcript"]
        question = " ".join(re.findall(r"[A-Za-z]+", p.text)[:12])
        if turns and any(h.passage.id == p.id for h in idx.search(question, 10, kind="report")):
            return question, p.id, turns[0]
    raise AssertionError("no report passage quotes a transcript turn")


def test_who_page_after_a_who_question_shows_the_chart_first(page, server, tmp_path):
    page.goto(server.url + "?q=" + urllib.parse.quote("who talked about accommodation for prison leavers"))
    assert page.locator("main figure.chart").count() == 1
    order = page.evaluate("[...document.querySelectorAll('main figure.chart, main article.hit')]"
                          ".map(e => e.tagName)")
    assert order[0] == "FIGURE"
    _save(page, tmp_path, "web-who.png")


def test_html_report_renders_and_validates(page, bundled, tmp_path):
    from transcript_qa import cli
    from click.testing import CliRunner
    import html5lib

    result = CliRunner().invoke(cli.main, ["ask", "who discussed CAS3", "--index", str(bundled), "--format", "html"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    report = tmp_path / "report.html"
    report.write_text(result.stdout, encoding="utf-8")
    html5lib.HTMLParser(strict=True).parse(result.stdout)  # raises on any parse error
    page.goto(report.as_uri())
    assert page.title() == "who discussed CAS3"
    assert page.locator("figure.chart g.bar").count() == 5
    assert page.locator("article.hit").count() >= 10
    bars = _bars(page)
    assert all(b["ratio"] == pytest.approx(b["score"], abs=0.01) for b in bars)
    _save(page, tmp_path, "report.png", full_page=False)
    assert not page.dialogs and not page.errors


# --------------------------------------------------------------------------- untrusted transcripts

PAYLOADS = [
    "<script>window.__xss = 'script'; alert('script')</script>",
    "<img src=x onerror=\"window.__xss='img'; alert('img')\">",
    "\"><svg onload=\"window.__xss='svg'\">",
    "<b onmouseover=\"window.__xss='hover'\">bold</b>",
    "javascript:window.__xss='href'",
]


def _hostile_corpus(root: Path) -> Path:
    root.mkdir()
    turns = [
        {"speaker": "Eve Mallory", "role": PAYLOADS[0], "organisation": PAYLOADS[1],
         "text": "The housing budget rose. " + " ".join(PAYLOADS) + " The housing budget matters."},
        {"speaker": "Sam Quill", "role": "Chair", "text": "What about the housing budget " + PAYLOADS[2] + "?"},
        {"speaker": "Eve Mallory", "section": PAYLOADS[3], "text": "Housing again, <i>markup</i> & more "
         + PAYLOADS[4]},
    ]
    (root / "hostile.json").write_text(json.dumps(turns), encoding="utf-8")
    manifest = {"format": 1, "documents": [{"file": "hostile.json", "id": "hostile",
                                            "title": "Meeting " + PAYLOADS[0] + PAYLOADS[1], "kind": "transcript",
                                            "date": "2024-01-01", "source": PAYLOADS[2]}]}
    (root / "corpus.json").write_text(json.dumps(manifest), encoding="utf-8")
    return root


def test_markup_in_transcripts_never_runs(page, tmp_path):
    from transcript_qa.build import build_index
    from click.testing import CliRunner
    from transcript_qa import cli

    out = tmp_path / "index"
    build_index(_hostile_corpus(tmp_path / "corpus"), out)
    server = Server(out)
    try:
        pages = ["?q=housing+budget", "?q=who+talked+about+housing", "speakers", "documents",
                 "documents/hostile", "speakers/Eve%20Mallory", "passages/hostile:0",
                 "?q=housing&speaker=" + urllib.parse.quote(PAYLOADS[0])]
        for path in pages:
            page.goto(server.url + path)
            page.hover("body")
            for summary in page.locator("details.context summary").all():
                summary.click()
            page.hover("text=bold") if page.locator("text=bold").count() else None
            assert page.evaluate("window.__xss") is None, path
        page.goto(server.url + "?q=housing+budget")
        assert PAYLOADS[0] in page.inner_text("main")  # shown as text, not run
        _save(page, tmp_path, "xss.png")
    finally:
        server.stop()
    result = CliRunner().invoke(cli.main, ["ask", "housing budget", "--index", str(out), "--format", "html"],
                                catch_exceptions=False)
    assert "<script>window" not in result.stdout and "<img src=x" not in result.stdout
    report = tmp_path / "hostile.html"
    report.write_text(result.stdout, encoding="utf-8")
    page.goto(report.as_uri())
    page.hover("body")
    assert page.evaluate("window.__xss") is None
    assert PAYLOADS[0] in page.inner_text("main")
    assert not page.dialogs and not page.errors
