"""Score a run (ranked passages per question) against relevance judgments.

Inputs, each from a path or from the text itself (text must contain a newline
or start with ``{``/``[``):

- a **run**: TREC six-column lines ``qid Q0 passage_id rank score tag``, or the
  batch command's JSON Lines output (``{"id", "hits": [{"passage_id", "score",
  ...}], "speakers": [{"speaker", ...}]}``, one object a line, or a JSON list);
- **qrels**: TREC lines ``qid 0 passage_id grade``, or JSON Lines
  ``{"id", "relevant": {passage_id: grade}}`` (a list of passage ids means
  grade 1), optionally with ``"speakers": {name: grade}`` for "who" questions;
- **content judgments** (:func:`read_judgments`), which name passages by a
  distinctive substring instead of an id, so they survive re-parsing:
  ``{"id", "question", "relevant": [{"document", "contains", "grade"}],
  "speakers": {name: grade}}``. :func:`resolve_judgments` turns them into qrels
  for a given set of passages.

Metrics come from ir-measures (pytrec_eval underneath), imported lazily:
nDCG@10 (linear gain: a grade-2 passage counts twice a grade-1 one, log2
discount), RR@10, R@10, R@100 and AP per question; their means are nDCG@10,
MRR@10, R@10, R@100 and MAP. A passage with grade >= 1 is relevant. Ranking
follows the scores, ties broken the way trec_eval does (by passage id), so give
distinct scores when the order of ties matters.

Questions that have judgments but no line in the run count as zero (they are
listed in ``EvalReport.missing``); questions in the run without any relevant
judgment cannot be scored and are listed in ``EvalReport.unjudged``.
"""

from __future__ import annotations

import json
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from transcript_qa.errors import EvaluationError

__all__ = [
    "DEFAULT_MEASURES",
    "EvalReport",
    "Judgment",
    "JudgedQuestion",
    "read_run",
    "read_qrels",
    "read_speaker_run",
    "read_speaker_qrels",
    "read_judgments",
    "resolve_judgments",
    "run_from_rankings",
    "evaluate",
    "evaluate_speakers",
    "evaluate_files",
    "format_report",
]

#: ir-measures names computed by :func:`evaluate`, per question.
DEFAULT_MEASURES: tuple[str, ...] = ("nDCG@10", "RR@10", "R@10", "R@100", "AP")

#: What the mean of a per-question measure is called.
_MEAN_NAMES = {"AP": "MAP"}

Run = dict[str, dict[str, float]]
Qrels = dict[str, dict[str, int]]


@dataclass(frozen=True)
class EvalReport:
    """Per-question and overall scores.

    ``per_query[qid][measure]`` holds ir-measures names (``RR@10``, ``AP``);
    ``mean`` holds the means under their usual names (``MRR@10``, ``MAP``),
    over the ``count`` questions that have at least one relevant judgment.
    """

    measures: tuple[str, ...]
    per_query: Mapping[str, Mapping[str, float]]
    mean: Mapping[str, float]
    count: int
    missing: tuple[str, ...] = ()  # judged, but absent from the run: scored 0
    unjudged: tuple[str, ...] = ()  # in the run, but no relevant judgment: not scored
    kind: str = "passages"  # or "speakers"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "measures": list(self.measures),
            "count": self.count,
            "mean": dict(self.mean),
            "queries": {q: dict(v) for q, v in self.per_query.items()},
            "missing": list(self.missing),
            "unjudged": list(self.unjudged),
        }


def mean_name(measure: str) -> str:
    """``RR@10`` -> ``MRR@10``, ``AP`` -> ``MAP``; other names unchanged."""
    if measure.startswith("RR@") or measure == "RR":
        return "M" + measure
    return _MEAN_NAMES.get(measure, measure)


# --------------------------------------------------------------------------- input


def _source(path_or_text: str | os.PathLike[str], what: str) -> tuple[str, str]:
    """(text, name for messages) of a path or of inline text."""
    if isinstance(path_or_text, os.PathLike):
        path = Path(path_or_text)
    elif isinstance(path_or_text, str):
        stripped = path_or_text.lstrip()
        if "\n" in path_or_text or stripped.startswith(("{", "[")):
            return path_or_text, f"<{what} text>"
        path = Path(path_or_text)
        if not path.exists() and len(path_or_text.split()) >= 4:
            return path_or_text, f"<{what} text>"  # a single TREC line
    else:
        raise EvaluationError(f"{what}: expected a path or text, got {type(path_or_text).__name__}")
    if not path.is_file():
        raise EvaluationError(f"{path}: no such {what} file")
    try:
        return path.read_text(encoding="utf-8-sig"), str(path)
    except UnicodeDecodeError as err:
        raise EvaluationError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    except OSError as err:
        raise EvaluationError(f"{path}: cannot read: {err.strerror}") from None


def _json_records(text: str, name: str) -> list[tuple[int, dict[str, Any]]]:
    """(line number, object) of a JSON Lines text, or of a JSON list of objects."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise EvaluationError(f"{name}:{err.lineno}: invalid JSON: {err.msg}") from None
        except RecursionError:
            raise EvaluationError(f"{name}: JSON nested too deeply to read") from None
        if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
            raise EvaluationError(f"{name}: expected a JSON list of objects")
        return [(i + 1, d) for i, d in enumerate(data)]
    records = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise EvaluationError(f"{name}:{lineno}: invalid JSON: {err.msg}") from None
        except RecursionError:
            raise EvaluationError(f"{name}:{lineno}: JSON nested too deeply to read") from None
        if not isinstance(obj, dict):
            raise EvaluationError(f"{name}:{lineno}: expected a JSON object, got {type(obj).__name__}")
        records.append((lineno, obj))
    return records


def _list_field(obj: Mapping[str, Any], key: str, name: str, lineno: int) -> list[Any]:
    value = obj.get(key)
    if value is None:
        raise EvaluationError(f"{name}:{lineno}: no {key!r} list")
    if not isinstance(value, list):
        raise EvaluationError(f"{name}:{lineno}: {key!r} must be a list")
    return value


def _is_json(text: str) -> bool:
    return text.lstrip().startswith(("{", "["))


def _qid(obj: Mapping[str, Any], name: str, lineno: int) -> str:
    qid = obj.get("id", obj.get("qid"))
    if qid is None or str(qid).strip() == "":
        raise EvaluationError(f"{name}:{lineno}: no question 'id'")
    return str(qid)


def _number(value: Any, name: str, lineno: int, what: str) -> float:
    if isinstance(value, bool):
        raise EvaluationError(f"{name}:{lineno}: {what} must be a number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise EvaluationError(f"{name}:{lineno}: {what} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise EvaluationError(f"{name}:{lineno}: {what} must be finite, got {value!r}")
    return number


def _grade(value: Any, name: str, lineno: int) -> int:
    number = _number(value, name, lineno, "grade")
    if number != int(number):
        raise EvaluationError(f"{name}:{lineno}: grade must be a whole number, got {value!r}")
    return int(number)


def read_run(path_or_text: str | os.PathLike[str]) -> Run:
    """``{question id: {passage id: score}}`` from a TREC run or our JSON Lines output.

    In JSON, a hit without ``score`` gets ``-rank`` so the order is kept. A
    passage listed twice for one question is an error.
    """
    text, name = _source(path_or_text, "run")
    run: Run = {}
    if _is_json(text):
        for lineno, obj in _json_records(text, name):
            qid = _qid(obj, name, lineno)
            hits = _list_field(obj, "hits", name, lineno)
            scores = run.setdefault(qid, {})
            for position, hit in enumerate(hits, 1):
                if not isinstance(hit, dict) or not hit.get("passage_id"):
                    raise EvaluationError(f"{name}:{lineno}: hit {position} has no 'passage_id'")
                pid = str(hit["passage_id"])
                if "score" in hit and hit["score"] is not None:
                    score = _number(hit["score"], name, lineno, f"score of hit {position}")
                else:
                    score = -_number(hit.get("rank", position), name, lineno, f"rank of hit {position}")
                if pid in scores:
                    raise EvaluationError(f"{name}:{lineno}: passage {pid} listed twice for question {qid}")
                scores[pid] = score
        return run
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 6:
            raise EvaluationError(
                f"{name}:{lineno}: expected 6 columns 'qid Q0 passage_id rank score tag', got {len(parts)}"
            )
        qid, _, pid, rank, score, _ = parts
        _number(rank, name, lineno, "rank")
        value = _number(score, name, lineno, "score")
        scores = run.setdefault(qid, {})
        if pid in scores:
            raise EvaluationError(f"{name}:{lineno}: passage {pid} listed twice for question {qid}")
        scores[pid] = value
    return run


def read_speaker_run(path_or_text: str | os.PathLike[str]) -> dict[str, list[str]]:
    """``{question id: [speaker, ...]}``, best first, from our JSON Lines output's
    ``speakers`` lists (``[{"speaker": name, "score": ...}, ...]`` or plain names)."""
    text, name = _source(path_or_text, "run")
    if not _is_json(text):
        raise EvaluationError(f"{name}: a speaker run must be the JSON Lines output of ask/batch")
    ranked: dict[str, list[str]] = {}
    for lineno, obj in _json_records(text, name):
        qid = _qid(obj, name, lineno)
        speakers = _list_field(obj, "speakers", name, lineno)
        names = []
        for position, item in enumerate(speakers, 1):
            value = item.get("speaker") if isinstance(item, dict) else item
            if not isinstance(value, str) or not value.strip():
                raise EvaluationError(f"{name}:{lineno}: speaker {position} has no name")
            names.append(value)
        ranked[qid] = names
    return ranked


def _relevant_map(value: Any, name: str, lineno: int, what: str) -> dict[str, int]:
    if isinstance(value, dict):
        return {str(k): _grade(v, name, lineno) for k, v in value.items()}
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return {v: 1 for v in value}
    if isinstance(value, list):
        raise EvaluationError(
            f"{name}:{lineno}: '{what}' holds content judgments ({{document, contains}}); "
            "resolve them against an index first (evaluation.resolve_judgments)"
        )
    raise EvaluationError(f"{name}:{lineno}: '{what}' must map ids to grades")


def read_qrels(path_or_text: str | os.PathLike[str]) -> Qrels:
    """``{question id: {passage id: grade}}`` from TREC qrels or JSON Lines."""
    text, name = _source(path_or_text, "qrels")
    qrels: Qrels = {}
    if _is_json(text):
        for lineno, obj in _json_records(text, name):
            qid = _qid(obj, name, lineno)
            if "relevant" not in obj:
                raise EvaluationError(f"{name}:{lineno}: no 'relevant' judgments")
            qrels.setdefault(qid, {}).update(_relevant_map(obj["relevant"], name, lineno, "relevant"))
        return qrels
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 4:
            raise EvaluationError(f"{name}:{lineno}: expected 4 columns 'qid 0 passage_id grade', got {len(parts)}")
        qid, _, pid, grade = parts
        qrels.setdefault(qid, {})[pid] = _grade(grade, name, lineno)
    return qrels


def read_speaker_qrels(path_or_text: str | os.PathLike[str]) -> Qrels:
    """``{question id: {speaker: grade}}`` from the ``speakers`` field of JSON Lines
    judgments (questions without it are skipped)."""
    text, name = _source(path_or_text, "qrels")
    if not _is_json(text):
        raise EvaluationError(f"{name}: speaker judgments must be JSON Lines with a 'speakers' field")
    judged: Qrels = {}
    for lineno, obj in _json_records(text, name):
        qid = _qid(obj, name, lineno)
        if obj.get("speakers") is not None:
            judged[qid] = _relevant_map(obj["speakers"], name, lineno, "speakers")
    if not judged:
        raise EvaluationError(f"{name}: no question has 'speakers' judgments")
    return judged


# ------------------------------------------------------------- content judgments


@dataclass(frozen=True)
class Judgment:
    """A passage judged by what it says: the passage of ``document`` whose text
    contains ``contains`` (compared case- and whitespace-insensitively)."""

    document: str
    contains: str
    grade: int


@dataclass(frozen=True)
class JudgedQuestion:
    id: str
    question: str
    type: str | None = None
    relevant: tuple[Judgment, ...] = ()
    speakers: Mapping[str, int] = field(default_factory=dict)


def read_judgments(path_or_text: str | os.PathLike[str]) -> list[JudgedQuestion]:
    """Questions with content judgments (see the module docstring)."""
    text, name = _source(path_or_text, "judgments")
    questions: list[JudgedQuestion] = []
    seen: set[str] = set()
    for lineno, obj in _json_records(text, name):
        qid = _qid(obj, name, lineno)
        if qid in seen:
            raise EvaluationError(f"{name}:{lineno}: question id {qid} used twice")
        seen.add(qid)
        question = obj.get("question")
        if not isinstance(question, str) or not question.strip():
            raise EvaluationError(f"{name}:{lineno}: no 'question' text")
        relevant = obj.get("relevant") or []
        if not isinstance(relevant, list):
            raise EvaluationError(f"{name}:{lineno}: 'relevant' must be a list of {{document, contains, grade}}")
        judgments = []
        for i, item in enumerate(relevant, 1):
            if not isinstance(item, dict) or not item.get("document") or not item.get("contains"):
                raise EvaluationError(f"{name}:{lineno}: judgment {i} needs 'document' and 'contains'")
            judgments.append(Judgment(str(item["document"]), str(item["contains"]),
                                      _grade(item.get("grade", 1), name, lineno)))
        speakers = obj.get("speakers") or {}
        if not isinstance(speakers, dict):
            raise EvaluationError(f"{name}:{lineno}: 'speakers' must map names to grades")
        questions.append(JudgedQuestion(
            id=qid, question=question, type=obj.get("type"), relevant=tuple(judgments),
            speakers={str(k): _grade(v, name, lineno) for k, v in speakers.items()},
        ))
    return questions


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def normalise_text(text: str) -> str:
    """Case-, quote-, markup- and whitespace-insensitive form used to match ``contains``."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).replace("*", "")
    return re.sub(r"\s+", " ", text).strip().casefold()


def _name_key(name: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", normalise_text(name).replace("'", "")))


def _match_speaker(judged: str, known: Sequence[str]) -> str | None:
    """The known speaker name ``judged`` refers to: equal ignoring case and
    punctuation, else the only known name whose words contain all of the judged
    name's words (or the other way round)."""
    key = _name_key(judged)
    keys = {name: _name_key(name) for name in known}
    exact = [name for name, k in keys.items() if k == key]
    if exact:
        return exact[0]
    wanted = set(key)
    close = [name for name, k in keys.items() if k and (wanted <= set(k) or set(k) <= wanted) and len(set(k) & wanted) >= 2]
    return close[0] if len(close) == 1 else None


def resolve_judgments(questions: Iterable[JudgedQuestion], passages: Iterable[Any]) -> tuple[Qrels, Qrels]:
    """(passage qrels, speaker qrels) for ``passages`` (objects with ``id``,
    ``document``, ``text``, ``speaker``; for example ``Index.passages``).

    Each judgment gives its grade to every passage of its document whose text
    (or the footnote text it cites, ``citation``) contains the substring; a judgment that matches no passage, or a judged
    speaker no passage is attributed to, raises :class:`EvaluationError`.
    """
    by_document: dict[str, list[tuple[str, str]]] = {}
    speakers: set[str] = set()
    for p in passages:
        text = p.text + ("\n" + p.citation if getattr(p, "citation", None) else "")
        by_document.setdefault(p.document, []).append((p.id, normalise_text(text)))
        if getattr(p, "speaker", None):
            speakers.add(p.speaker)
    known = sorted(speakers)
    qrels: Qrels = {}
    speaker_qrels: Qrels = {}
    for q in questions:
        grades: dict[str, int] = {}
        for j in q.relevant:
            if j.document not in by_document:
                raise EvaluationError(f"question {q.id}: no document {j.document!r} among the passages")
            needle = normalise_text(j.contains)
            hits = [pid for pid, text in by_document[j.document] if needle in text]
            if not hits:
                raise EvaluationError(f"question {q.id}: no passage of {j.document} contains {j.contains!r}")
            for pid in hits:
                grades[pid] = max(grades.get(pid, j.grade), j.grade)
        qrels[q.id] = grades
        if q.speakers:
            resolved: dict[str, int] = {}
            for name, grade in q.speakers.items():
                match = _match_speaker(name, known)
                if match is None:
                    import difflib

                    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
                    hint = f"; did you mean {', '.join(close)}?" if close else ""
                    raise EvaluationError(f"question {q.id}: no passage is attributed to speaker {name!r}{hint}")
                resolved[match] = max(resolved.get(match, grade), grade)
            speaker_qrels[q.id] = resolved
    return qrels, speaker_qrels


def run_from_rankings(rankings: Mapping[str, Sequence[str]]) -> Run:
    """A run whose scores follow the given order exactly (first = best), so that
    ties in a system's own scores cannot be re-ordered by the evaluator."""
    run: Run = {}
    for qid, ids in rankings.items():
        scores: dict[str, float] = {}
        for rank, pid in enumerate(ids):
            if pid not in scores:
                scores[pid] = float(len(ids) - rank)
        run[qid] = scores
    return run


# ---------------------------------------------------------------------- metrics


def evaluate(run: Mapping[str, Mapping[str, float]], qrels: Mapping[str, Mapping[str, int]],
             measures: Sequence[str] = DEFAULT_MEASURES) -> EvalReport:
    """Per-question and mean scores of ``run`` against ``qrels`` (ir-measures)."""
    return _evaluate(run, qrels, measures, kind="passages")


def _evaluate(run: Mapping[str, Mapping[str, float]], qrels: Mapping[str, Mapping[str, int]],
              measures: Sequence[str], kind: str) -> EvalReport:
    import ir_measures  # lazy: only evaluation needs it

    try:
        parsed = [ir_measures.parse_measure(m) for m in measures]
    except (ValueError, NameError, SyntaxError, TypeError) as err:
        raise EvaluationError(f"unknown measure in {list(measures)}: {err}") from None
    judged = sorted(q for q, rels in qrels.items() if any(g > 0 for g in rels.values()))
    missing = tuple(q for q in judged if not run.get(q))
    unjudged = tuple(sorted(q for q in run if q not in set(judged)))
    per_query: dict[str, dict[str, float]] = {q: {m: 0.0 for m in measures} for q in judged}
    scored = [q for q in judged if run.get(q)]
    if scored:
        qrel_dict = {q: {d: int(g) for d, g in qrels[q].items()} for q in scored}
        run_dict = {q: {d: float(s) for d, s in run[q].items()} for q in scored}
        names = {str(m): name for m, name in zip(parsed, measures)}
        for metric in ir_measures.iter_calc(parsed, qrel_dict, run_dict):
            per_query[metric.query_id][names[str(metric.measure)]] = float(metric.value)
    count = len(judged)
    mean = {mean_name(m): (sum(per_query[q][m] for q in judged) / count if count else 0.0) for m in measures}
    return EvalReport(tuple(measures), per_query, mean, count, missing, unjudged, kind)


def _speaker_key(name: str) -> str:
    return " ".join(_name_key(name))


def evaluate_speakers(ranked: Mapping[str, Sequence[str]], judged: Mapping[str, Mapping[str, int]],
                      k: int = 5) -> EvalReport:
    """nDCG@k and RR@k of speaker rankings against judged speakers (graded).

    Names match ignoring case and punctuation ("St Mungo's" == "st mungos").
    """
    if k < 1:
        raise EvaluationError(f"k must be at least 1, got {k}")
    run = run_from_rankings({q: [_speaker_key(n) for n in names] for q, names in ranked.items()})
    qrels = {q: {_speaker_key(n): g for n, g in grades.items()} for q, grades in judged.items()}
    return _evaluate(run, qrels, (f"nDCG@{k}", f"RR@{k}"), kind="speakers")


def evaluate_files(run_path: str | os.PathLike[str], qrels_path: str | os.PathLike[str], *,
                   speakers: bool = False, k: int | None = None) -> EvalReport:
    """Read a run and qrels and evaluate them (what ``transcript-qa eval`` does)."""
    if speakers:
        return evaluate_speakers(read_speaker_run(run_path), read_speaker_qrels(qrels_path), k=k or 5)
    return evaluate(read_run(run_path), read_qrels(qrels_path))


# ----------------------------------------------------------------------- output


def format_report(report: EvalReport, fmt: str = "table") -> str:
    """The report as an aligned text table (one row a question, then the mean) or JSON."""
    if fmt == "json":
        return json.dumps(report.to_dict(), indent=2, sort_keys=False)
    if fmt != "table":
        raise ValueError(f"unknown report format {fmt!r}; use 'table' or 'json'")
    header = ["question", *report.measures]
    rows = [[q, *(f"{report.per_query[q][m]:.4f}" for m in report.measures)] for q in sorted(report.per_query, key=_natural)]
    mean_label = f"mean ({report.count})"
    rows.append([mean_label, *(f"{report.mean[mean_name(m)]:.4f}" for m in report.measures)])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    out = [line(header), line(["-" * w for w in widths])]
    out += [line(r) for r in rows[:-1]]
    out += [line(["-" * w for w in widths]), line(rows[-1])]
    means = ", ".join(f"{mean_name(m)} {report.mean[mean_name(m)]:.4f}" for m in report.measures)
    out.append(f"means: {means}")
    if report.missing:
        out.append(f"not in the run (scored 0): {', '.join(report.missing)}")
    if report.unjudged:
        out.append(f"no relevant judgments (not scored): {', '.join(report.unjudged)}")
    return "\n".join(out)


def _natural(text: str) -> list[Any]:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]
