"""Files of questions: read them, answer them one by one.

Three formats, chosen by the file's extension:

- ``.txt``: one question a line; blank lines and lines starting with ``#`` are
  ignored; a question's id is its line number.
- ``.csv``: a header with ``question`` and optionally ``id`` (else the line
  number) and any filter columns (``speaker, organisation, role, document, kind,
  since, until``); an empty cell means "no filter".
- ``.jsonl``: one object a line, ``{"id": ..., "question": ..., "filters": {...}}``
  with the same filter names; ``id`` optional (else the line number).

A line that cannot be used (bad JSON, no question, an unknown filter, a
duplicate id) becomes a :class:`~transcript_qa.model.Skipped` naming the file
and line, and every other line is still read. A file that cannot be read at all
raises :class:`~transcript_qa.errors.BatchError`.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol

from .errors import BatchError, TranscriptQAError
from .filters import check_date
from .model import Answer, Filters, Skipped

#: Names a question's filters may use (the fields of :class:`Filters`).
FILTER_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Filters))
#: Extensions :func:`read_questions` understands.
SUFFIXES: tuple[str, ...] = (".txt", ".csv", ".jsonl")

#: A questions file larger than this is refused (a symlink to /dev/zero must not fill memory).
MAX_QUESTIONS_BYTES = 64 << 20


@dataclass(frozen=True)
class Question:
    """One question of a batch. ``line`` is its 1-based line in ``path``."""

    id: str
    question: str
    filters: Filters = Filters()
    line: int | None = None
    path: str = ""


class _Asks(Protocol):
    def ask(self, question: str, k: int = 10, *, id: str | None = None, **filters: Any) -> Answer: ...


def read_questions(path: str | Path) -> tuple[list[Question], list[Skipped]]:
    """Read a ``.txt``, ``.csv`` or ``.jsonl`` questions file.

    Returns the questions in file order and the lines that were skipped, with a
    reason. Raises :class:`BatchError` when the file is missing, unreadable, not
    UTF-8, of an unknown extension, or (CSV) has no ``question`` column or an
    unknown column.
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in SUFFIXES:
        raise BatchError(
            f"{file}: unknown questions file type {suffix or '(no extension)'!r}",
            hint="use .txt (one question a line), .csv (id,question,...) or .jsonl",
        )
    try:
        with open(file, "rb") as handle:  # a pipe (<(...), /dev/stdin) is read to its end
            data = handle.read(MAX_QUESTIONS_BYTES + 1)
    except FileNotFoundError:
        raise BatchError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise BatchError(f"{file}: is a folder, not a questions file") from None
    except OSError as err:
        raise BatchError(f"{file}: cannot read ({err.strerror or err})") from None
    if len(data) > MAX_QUESTIONS_BYTES:
        raise BatchError(f"{file}: larger than {MAX_QUESTIONS_BYTES >> 20} MiB; not a questions file",
                         hint="split the questions into smaller files")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise BatchError(f"{file}:{line}: not UTF-8 text", hint="save the questions file as UTF-8") from None
    reader = {".txt": _read_txt, ".csv": _read_csv, ".jsonl": _read_jsonl}[suffix]
    questions, skipped = reader(text, str(file))
    return _dedupe(questions, skipped)


def _dedupe(questions: list[Question], skipped: list[Skipped]) -> tuple[list[Question], list[Skipped]]:
    seen: dict[str, Question] = {}
    kept: list[Question] = []
    for q in questions:
        if q.id in seen:
            first = seen[q.id].line
            skipped.append(Skipped(q.path, f"duplicate id {q.id!r} (first used on line {first})", q.line))
            continue
        seen[q.id] = q
        kept.append(q)
    skipped.sort(key=lambda s: (s.line or 0))
    return kept, skipped


def _read_txt(text: str, path: str) -> tuple[list[Question], list[Skipped]]:
    questions = []
    for number, line in enumerate(text.splitlines(), start=1):
        question = line.strip()
        if not question or question.startswith("#"):
            continue
        questions.append(Question(str(number), question, Filters(), number, path))
    return questions, []


def _check_id(value: Any, number: int) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return str(number)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"id must be a string or a number, not {type(value).__name__}")
    qid = str(value).strip()
    if any(c.isspace() for c in qid):
        raise ValueError(f"id {qid!r} contains spaces (ids must be one word)")
    return qid


def _check_filters(values: dict[str, Any]) -> Filters:
    unknown = sorted(set(values) - set(FILTER_NAMES))
    if unknown:
        raise ValueError(f"unknown filter {unknown[0]!r}; filters are {', '.join(FILTER_NAMES)}")
    clean: dict[str, str | None] = {}
    for name, value in values.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not isinstance(value, str):
            raise ValueError(f"filter {name!r} must be a string, not {type(value).__name__}")
        value = value.strip()
        if name in ("since", "until"):
            value = check_date(value, f"filter {name!r}")
        clean[name] = value
    return Filters(**clean)


def _read_csv(text: str, path: str) -> tuple[list[Question], list[Skipped]]:
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows)
    except StopIteration:
        return [], []
    except csv.Error as err:
        raise BatchError(f"{path}:1: unreadable CSV header ({err})") from None
    columns = [h.strip().lower() for h in header]
    allowed = ("id", "question") + FILTER_NAMES
    unknown = [c for c in columns if c not in allowed]
    if unknown:
        raise BatchError(
            f"{path}:1: unknown column {unknown[0]!r}",
            hint=f"columns are id, question and the filters {', '.join(FILTER_NAMES)}",
        )
    if "question" not in columns:
        raise BatchError(f"{path}:1: no 'question' column", hint="the first line must be a header such as id,question")
    questions: list[Question] = []
    skipped: list[Skipped] = []
    while True:
        number = rows.line_num + 1
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as err:
            skipped.append(Skipped(path, f"unreadable CSV ({err})", number))
            continue
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            skipped.append(Skipped(path, f"expected {len(columns)} columns, found {len(row)}", number))
            continue
        record = dict(zip(columns, row))
        try:
            questions.append(_question_from(record, record.get("id"), {k: record[k] for k in FILTER_NAMES if k in record},
                                            number, path))
        except ValueError as err:
            skipped.append(Skipped(path, str(err), number))
    return questions, skipped


def _question_from(record: dict[str, Any], raw_id: Any, filters: dict[str, Any], number: int, path: str) -> Question:
    question = record.get("question")
    if not isinstance(question, str) or not question.strip():
        raise ValueError("no question" if not question else "the question must be text")
    return Question(_check_id(raw_id, number), question.strip(), _check_filters(filters), number, path)


def _read_jsonl(text: str, path: str) -> tuple[list[Question], list[Skipped]]:
    questions: list[Question] = []
    skipped: list[Skipped] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            skipped.append(Skipped(path, f"not JSON ({err.msg})", number))
            continue
        except RecursionError:
            skipped.append(Skipped(path, "JSON nested too deeply to read", number))
            continue
        if not isinstance(record, dict):
            skipped.append(Skipped(path, "expected a JSON object {\"id\", \"question\", \"filters\"}", number))
            continue
        filters = record.get("filters") or {}
        try:
            if not isinstance(filters, dict):
                raise ValueError("'filters' must be an object")
            _check_keys(record)
            questions.append(_question_from(record, record.get("id"), filters, number, path))
        except ValueError as err:
            skipped.append(Skipped(path, str(err), number))
    return questions, skipped


_JSONL_KEYS = ("id", "question", "filters")


def _check_keys(record: dict) -> None:
    """Other keys are ignored (a judged questions file, with its ``relevant`` and
    ``speakers`` fields, can be batched as it is), but a key that looks like a
    misspelt one of ours is an error rather than a silently ignored filter."""
    import difflib

    for key in sorted(set(record) - set(_JSONL_KEYS)):
        close = difflib.get_close_matches(key, _JSONL_KEYS, n=1, cutoff=0.75)
        if close:
            raise ValueError(f"unknown key {key!r}; did you mean {close[0]!r}?")


def answer_questions(
    index: _Asks,
    questions: Iterable[Question],
    k: int = 10,
    progress: Callable[[int, int], None] | None = None,
    on_problem: Callable[[Skipped], None] | None = None,
) -> Iterator[Answer]:
    """Answer each question with ``index.ask`` in order, lazily.

    ``progress(done, total)`` is called after each question. A question the
    index refuses (an empty question, a filter value no passage has) is passed
    to ``on_problem`` as a :class:`Skipped` naming its file and line, and the
    next question is answered; without ``on_problem`` the error is raised.
    """
    items = list(questions)
    total = len(items)
    for done, q in enumerate(items, start=1):
        try:
            answer = index.ask(q.question, k, id=q.id, **q.filters.active())
        except TranscriptQAError as err:
            if on_problem is None:
                raise
            on_problem(Skipped(q.path, f"question {q.id!r}: {err}", q.line))
            answer = None
        if progress is not None:
            progress(done, total)
        if answer is not None:
            yield answer
