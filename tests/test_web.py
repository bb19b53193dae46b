"""The web app (``transcript-qa serve``) through Flask's test client: the JSON
API returns exactly what the command line prints, every view is a URL, bad
parameters are 400s with the library's message, unknown ids 404s, and text
from the corpus is escaped everywhere."""

from __future__ import annotations

import dataclasses
import html as html_lib
import json
import re
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

pytest.importorskip("flask", reason="the web extra is not installed (pip install '.[web]')")

from transcript_qa import cli  # noqa: E402
from transcript_qa.model import Answer, Hit  # noqa: E402
from transcript_qa.web import create_app  # noqa: E402
from transcript_qa.web.params import BadParameter, parse  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
TRANSCRIPT = "2022-07-20-transcript-probation-services"


def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2
    except TypeError:
        return CliRunner()


def run_cli(*args: Any) -> str:
    result = runner().invoke(cli.main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def index_path(tmp_path_factory) -> Path:
    from transcript_qa.build import build_index

    out = tmp_path_factory.mktemp("web") / "index"
    build_index(CORPUS, out)
    return out


@pytest.fixture(scope="module")
def index(index_path):
    from transcript_qa.index import read_index

    return read_index(index_path)


@pytest.fixture(scope="module")
def client(index):
    return create_app(index).test_client()


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.data[:500]
    return response.get_data(as_text=True)


# --------------------------------------------------------------------------- the JSON API is the CLI's JSON


@pytest.mark.parametrize("args", [
    {"q": "who discussed CAS3"},
    {"q": "unpaid work", "k": "3"},
    {"q": "caseloads", "speaker": "vigurs", "since": "2022-01-01", "k": "2"},
    {"q": "accommodation", "kind": "report", "until": "2023-12-31"},
])
def test_api_ask_returns_what_ask_format_json_prints(client, index_path, args):
    options = [x for name, value in args.items() if name != "q"
               for x in (f"--{'top-k' if name == 'k' else name}", value)]
    expected = json.loads(run_cli("ask", args["q"], *options, "--index", index_path, "--format", "json"))
    response = client.get("/api/ask?" + urllib.parse.urlencode(args))
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == expected
    assert list(response.get_json()) == list(expected)  # the contract's key order too


def test_api_who_and_passages_return_what_who_and_show_print(client, index_path):
    expected = json.loads(run_cli("who", "accommodation for prison leavers", "--top-k", 3, "--index", index_path,
                                  "--format", "json"))
    got = client.get("/api/who?" + urllib.parse.urlencode({"q": "accommodation for prison leavers", "k": 3}))
    assert got.get_json() == expected
    pid = f"{TRANSCRIPT}:71"
    expected = json.loads(run_cli("show", pid, "--context", 1, "--index", index_path, "--format", "json"))
    got = client.get(f"/api/passages/{urllib.parse.quote(pid)}?context=1")
    assert got.get_json() == expected
    assert [p["id"] for p in expected["context"]] == [f"{TRANSCRIPT}:70", pid, f"{TRANSCRIPT}:72"]


def test_requests_served_side_by_side_answer_as_one_at_a_time(index_path):
    """The server runs requests on several threads at once (no lock): on a
    freshly opened index, concurrent asks, who-charts and passage reads give
    exactly the answers they give one at a time."""
    from concurrent.futures import ThreadPoolExecutor

    from transcript_qa.index import read_index

    urls = [f"/api/ask?q={urllib.parse.quote(q)}&k=5" for q in
            ("agency staff", "CAS3 accommodation", "how many vacancies", "caseloads", "unpaid work")]
    urls += [f"/api/who?q={urllib.parse.quote(q)}&k=3" for q in ("accommodation", "recruitment")]
    urls += [f"/api/passages/{urllib.parse.quote(f'{TRANSCRIPT}:{n}')}?context=1" for n in (5, 40, 71)]
    expected = {u: create_app(read_index(index_path)).test_client().get(u).get_json() for u in urls}
    app = create_app(read_index(index_path))  # cold: nothing cached yet

    def fetch(url: str):
        response = app.test_client().get(url)
        assert response.status_code == 200, response.data[:300]
        return url, response.get_json()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(fetch, urls * 6))
    assert len(results) == len(urls) * 6
    for url, got in results:
        assert got == expected[url], url


@pytest.mark.parametrize("url, message", [
    ("/api/ask", "the question is empty"),
    ("/api/ask?q=%20%20", "the question is empty"),
    ("/api/ask?q=x&k=0", "k: 0 is out of range"),
    ("/api/ask?q=x&k=ten", "k: 'ten' is not a whole number"),
    ("/api/ask?q=x&since=July", "since: 'July' is not a date yyyy-mm-dd"),
    ("/api/ask?q=x&speakr=vigurs", "unknown parameter 'speakr'"),
    ("/api/ask?q=x&q=y", "parameter 'q' is given 2 times"),
    ("/api/ask?q=caseloads&speaker=Kilvinder+Vigors", "did you mean 'Kilvinder Vigurs'"),
    ("/api/ask?q=caseloads&kind=minutes", "no passage has kind 'minutes'"),
    ("/api/who?q=CAS3&k=1001", "k: 1001 is out of range"),
    ("/api/passages/x:1?context=-1", "context: '-1' is not a whole number"),
])
def test_bad_parameters_are_400_with_the_reason(client, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_unknown_ids_are_404(client):
    assert client.get("/api/passages/nothing:1").status_code == 404
    assert "no passage 'nothing:1'" in client.get("/api/passages/nothing:1").get_json()["error"]
    assert "no passage" in page(client, "/passages/nothing:1", 404)
    assert "no speaker" in page(client, "/speakers/Nobody%20At%20All", 404)
    assert "no document" in page(client, "/documents/nothing", 404)
    assert client.get("/api/nothing").get_json() == {"error": "no page at /api/nothing"}
    assert client.post("/api/ask?q=x").status_code == 405


def test_unknown_filter_value_on_the_page_is_a_400_that_names_close_values(client):
    html = page(client, "/?q=caseloads&speaker=Kilvinder+Vigors", 400)
    assert "did you mean" in html and "Kilvinder Vigurs" in html


# --------------------------------------------------------------------------- pages


def test_a_search_url_shows_that_search_with_its_filters(client, index):
    html = page(client, "/?q=caseloads&speaker=Katie+Lomas&k=3")
    assert 'value="caseloads"' in html and 'value="Katie Lomas"' in html
    expected = [h.passage.id for h in index.search("caseloads", 3, speaker="Katie Lomas")]
    assert re.findall(r'<article class="hit" id="hit-\d+" data-passage-id="([^"]+)"', html) == expected
    assert html.count('<span class="speaker">') + html.count('class="speaker" href') >= len(expected)


def test_who_question_draws_the_chart_with_links_to_each_speakers_passages(client):
    api = client.get("/api/ask?q=who+discussed+CAS3").get_json()
    html = page(client, "/?q=who+discussed+CAS3")
    bars = re.findall(r'<g class="bar" data-speaker="([^"]+)" data-score="([^"]+)" data-width="([^"]+)">'
                      r'<a href="([^"]+)">', html)
    bars = [tuple(html_lib.unescape(x) for x in bar) for bar in bars]
    assert [(name, float(score)) for name, score, _, _ in bars] == [(s["speaker"], s["score"])
                                                                    for s in api["speakers"]]
    for name, score, width, href in bars:
        assert float(width) == pytest.approx(560 * float(score), abs=0.1)
        query = urllib.parse.parse_qs(urllib.parse.urlparse(href).query)
        assert query == {"q": ["who discussed CAS3"], "speaker": [name]}
    assert html.index("<figure") < html.index('<article class="hit"')  # chart first for "who"


def test_each_hit_shows_its_passage_in_context_and_links_into_the_document(client, index):
    html = page(client, "/?q=agency+staff+spending&k=1")
    hit = index.search("agency staff spending", 1)[0]
    p = hit.passage
    assert "<mark>agency</mark>" in html.lower() or "<mark>agency staff</mark>" in html.lower()
    ids = [q.id for q in index.context(p.id, 2, 2)]
    inside = html[html.index('<details class="context">'):html.index("</details>")]
    assert re.findall(r'data-passage-id="([^"]+)"', inside) == ids
    assert f'class="turn current" aria-current="true" data-passage-id="{p.id}"' in inside
    link = f"/documents/{urllib.parse.quote(p.document, safe='')}?passage={urllib.parse.quote(p.id, safe='')}" \
           f"#t{p.position}"
    assert f'href="{link}"'.replace("&", "&amp;") in html or f'href="{link}"' in html
    doc = page(client, link.split("#")[0])
    assert f'id="t{p.position}" aria-current="true"' in doc
    assert doc.count('<section class="turn') > 100  # the whole transcript


def test_report_quotes_link_to_the_transcript_turn_they_quote(client, index):
    quote = next(p for p in index.passages
                 if p.kind == "report" and any(index.passage(x).kind == "transcript" for x in p.links))
    turn = index.passage(next(x for x in quote.links if index.passage(x).kind == "transcript"))
    html = page(client, f"/documents/{quote.document}?passage={urllib.parse.quote(quote.id)}")
    href = f"/documents/{turn.document}?passage={urllib.parse.quote(turn.id, safe='')}#t{turn.position}"
    assert f'<a class="quote-link" href="{href}">' in html.replace("&amp;", "&")


def test_passage_permalink_redirects_into_its_document(client):
    response = client.get(f"/passages/{TRANSCRIPT}:71")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/documents/{TRANSCRIPT}?passage={TRANSCRIPT}%3A71#t71")


def test_speaker_page_lists_their_passages_by_document(client, index):
    info = next(s for s in index.speakers() if len(s.documents) > 1)
    html = page(client, "/speakers/" + urllib.parse.quote(info.name))
    ids = re.findall(r'<section class="turn" data-passage-id="([^"]+)"', html)
    assert ids and all(index.passage(i).speaker == info.name for i in ids)
    assert len({i.rsplit(":", 1)[0] for i in ids}) == len(info.documents)
    assert html.count("<h2>") == len(info.documents)
    assert info.name in page(client, "/speakers") and TRANSCRIPT in page(client, "/documents")


def test_known_values_are_offered_as_you_type(client, index):
    html = page(client, "/")
    for field in ("speaker", "organisation", "role", "document"):
        listed = re.search(rf'<datalist id="values-{field}">(.*?)</datalist>', html, re.S).group(1)
        assert re.findall(r'<option value="([^"]*)">', listed.replace("&#39;", "'")) == index.filter_values(field)
    assert 'list="values-speaker"' in html


def test_security_headers_timing_and_loopback_only(client):
    response = client.get("/?q=CAS3")
    assert "script-src" not in response.headers["Content-Security-Policy"]  # no script at all
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert re.fullmatch(r"app;dur=\d+\.\d+", response.headers["Server-Timing"])
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400
    assert client.get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_static_files_come_from_the_package(client):
    css = client.get("/static/app.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert client.get("/static/report.css").status_code == 200
    html = page(client, "/")
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)  # nothing from the network


def test_concurrent_requests_get_the_same_answers_as_one_at_a_time(index_path):
    """An index reads passages from one open file: requests must take turns."""
    from transcript_qa.index import read_index

    questions = ["who discussed CAS3", "agency staff spending", "caseloads", "unpaid work", "accommodation",
                 "women in prison", "Dynamic Framework", "recruitment of probation officers", "MAPPA",
                 "electronic monitoring", "victims", "housing on release"]
    app = create_app(read_index(index_path))  # a cold index: no passage read yet
    barrier = threading.Barrier(len(questions))
    results: dict[str, Any] = {}

    def ask(q: str) -> None:
        client = app.test_client()
        barrier.wait()
        results[q] = client.get("/api/ask?" + urllib.parse.urlencode({"q": q, "k": 50})).get_json()

    threads = [threading.Thread(target=ask, args=(q,)) for q in questions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    serial = create_app(read_index(index_path)).test_client()
    for q in questions:
        assert results[q] == serial.get("/api/ask?" + urllib.parse.urlencode({"q": q, "k": 50})).get_json(), q


# --------------------------------------------------------------------------- the factual answer (issue 9), stubbed


@dataclasses.dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int
    type: str


@dataclasses.dataclass(frozen=True)
class HitWithAnswer(Hit):
    answer: Any = None


@dataclasses.dataclass(frozen=True)
class AnswerWithAnswer(Answer):
    answer: Any = None


def test_the_answer_span_is_shown_when_hits_carry_one(index):
    real = index.ask("agency staff spending", 2)
    first = real.hits[0]
    text = first.passage.text
    start = text.index("£")
    end = text.index(" ", start)
    span = Span(text[start:end], start, end, "amount")
    hits = (HitWithAnswer(first.passage, first.score, 1, first.snippet, first.highlights, answer=span),
            HitWithAnswer(real.hits[1].passage, real.hits[1].score, 2, real.hits[1].snippet, (), answer=None))
    stub = AnswerWithAnswer(real.question, real.intent, hits, real.speakers, answer=span)

    class Stubbed:
        def __getattr__(self, name: str) -> Any:
            return getattr(index, name)

        def ask(self, *args: Any, **kwargs: Any) -> Answer:
            return stub

    html = page(create_app(Stubbed()).test_client(), "/?q=agency+staff+spending")
    marked = f'<mark class="answer-span">{span.text}</mark>'
    assert f'<div class="answer-box"><strong>Answer:</strong> {marked} — ' in html
    box = html[html.index('<div class="answer-box">'):]
    box = box[:box.index("</div>")]
    assert first.passage.id in box and "/documents/" in box  # who said it, and a link to where
    assert html.count(f"<strong>Answer:</strong> {marked}") == 2  # the question's, and the first hit's
    context = html[html.index('<details class="context">'):html.index("</details>")]
    assert marked in context  # marked in the passage's own text, at its offsets


# --------------------------------------------------------------------------- parameters, packaging, CLI


def test_params_parse_like_the_cli_options():
    params = parse({"q": [" CAS3 "], "speaker": ["vigurs"], "since": [""], "k": ["3"]},
                   allowed=("q", "k", "speaker", "since"))
    assert (params.q, params.k, params.filters.active()) == ("CAS3", 3, {"speaker": "vigurs"})
    assert params.query(speaker="Nick Rogers") == "q=CAS3&speaker=Nick+Rogers"
    with pytest.raises(BadParameter, match="at most 2000"):
        parse({"q": ["x" * 2001]}, allowed=("q",))


def test_serve_without_the_web_extra_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "waitress", None)  # import waitress -> ImportError
    result = runner().invoke(cli.main, ["serve"])
    assert result.exit_code == 1
    assert 'pip install "transcript-qa[web]"' in result.stderr


@pytest.mark.slow
def test_the_package_ships_templates_and_static_files(tmp_path):
    import shutil

    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", "indexes", "build", "*.egg-info",
                                                             "__pycache__", "results", ".venv"))
    lib = tmp_path / "lib"
    done = subprocess.run([sys.executable, "-c", "from setuptools import setup; setup()", "-q", "build_py",
                           "--build-lib", str(lib)], cwd=src, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    web = lib / "transcript_qa" / "web"
    shipped = {p.relative_to(web).as_posix() for p in web.rglob("*") if p.is_file()}
    expected = {p.relative_to(ROOT / "transcript_qa" / "web").as_posix()
                for p in (ROOT / "transcript_qa" / "web").rglob("*")
                if p.is_file() and "__pycache__" not in p.parts}
    assert expected <= shipped and "templates/search.html" in shipped and "static/app.css" in shipped


# --------------------------------------------------------------------------- untrusted text


def test_markup_from_the_corpus_is_escaped_on_every_page(tmp_path):
    from transcript_qa.build import build_index
    from transcript_qa.index import read_index

    root = tmp_path / "corpus"
    root.mkdir()
    evil = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    turns = [{"speaker": "Eve Mallory", "role": evil, "organisation": '"><b>org</b>',
              "text": f"Housing budget {evil} and more housing."},
             {"speaker": "Sam Quill", "section": evil, "text": "Housing budget question " + evil + "?"}]
    (root / "hostile.json").write_text(json.dumps(turns), encoding="utf-8")
    (root / "corpus.json").write_text(json.dumps({"format": 1, "documents": [
        {"file": "hostile.json", "id": "hostile", "title": "T " + evil, "kind": "transcript",
         "source": evil}]}), encoding="utf-8")
    build_index(root, tmp_path / "index")
    client = create_app(read_index(tmp_path / "index")).test_client()
    for url in ["/?q=housing+budget", "/?q=who+spoke+about+housing", "/documents/hostile", "/documents",
                "/speakers", "/speakers/Eve%20Mallory", "/documents/hostile?passage=hostile:1",
                "/?q=housing&role=" + urllib.parse.quote(evil)]:
        html = page(client, url)
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>org" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or url in ("/speakers",), url


@pytest.mark.slow
def test_serve_latency_benchmark_runs_on_a_tiny_size(index_path, tmp_path):
    out = tmp_path / "serve.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "serve_latency.py"), "--rounds", "1",
                           "--questions", "2", "--index", str(index_path), "--out", str(out)],
                          capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    page_times = result["endpoints"]["page /?q="]["server"]
    assert result["questions"] == 2 and 0 < page_times["median_ms"] <= page_times["max_ms"]
