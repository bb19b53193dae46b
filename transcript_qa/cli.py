"""The ``transcript-qa`` command line: one click group, every command a thin
call into the library.

Exit codes: 0 success; 1 an input or runtime error (empty question, unknown
filter value, unreadable file, missing or corrupt index, unwritable output);
2 a usage error (click's own: unknown option, missing argument); 3 a batch that
answered some of its questions but not all.

The module imports only click and the small output/batch helpers; the index
(numpy, scipy) is imported when a command needs it, and scikit-learn / NLTK
only when an index is built.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path
from typing import IO, Any, Callable

import click

from . import __version__, output
from .errors import BatchError, IndexMissingError, QueryError, TranscriptQAError
from .model import DOCUMENT_KINDS, Answer, Filters, Skipped

#: Exit code of a batch that answered some questions but not all.
EXIT_PARTIAL = 3

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --------------------------------------------------------------------------- errors -> messages


class CLIError(click.ClickException):
    """A library error shown as ``Error: message`` plus a hint line, exit code 1."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Error: {self.format_message()}", file=file, err=file is None)
        if self.hint and self.hint not in self.message:
            click.echo(f"Hint: {self.hint}", file=file, err=file is None)


class _Group(click.Group):
    """A group that turns library errors into one-line messages (no traceback)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TranscriptQAError as err:
            raise CLIError(str(err), getattr(err, "hint", None)) from None
        except BrokenPipeError:
            # The reader went away (``| head``): stop quietly, as Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(1)
        except (MemoryError, RecursionError):
            raise
        except OSError as err:
            where = f": {err.filename}" if getattr(err, "filename", None) else ""
            raise CLIError(f"{err.strerror or err}{where}") from None


# --------------------------------------------------------------------------- shared options


def _check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not _DATE.match(value):
        raise click.BadParameter(f"{value!r} is not a date yyyy-mm-dd", ctx=ctx, param=param)
    return value


def filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--speaker --organisation --role --kind --document --since --until``."""
    options = [
        click.option("--speaker", metavar="NAME", help="Only passages by this speaker (part of a name works: 'vigurs')."),
        click.option("--organisation", "--organization", "organisation", metavar="ORG",
                     help="Only passages by speakers of this organisation."),
        click.option("--role", metavar="ROLE", help="Only passages by speakers with this role."),
        click.option("--kind", metavar="KIND", help=f"Only documents of this kind ({', '.join(DOCUMENT_KINDS)})."),
        click.option("--document", metavar="ID", help="Only this document (its id, the file stem by default)."),
        click.option("--since", metavar="YYYY-MM-DD", callback=_check_date, help="Only documents dated on or after."),
        click.option("--until", metavar="YYYY-MM-DD", callback=_check_date, help="Only documents dated on or before."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def index_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--index",
        "index_path",
        metavar="DIR",
        type=click.Path(file_okay=False, path_type=Path),
        help="Index folder (default: the bundled corpus's index, built on first use).",
    )(func)


def color_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--color/--no-color",
        default=None,
        help="Highlight matched terms in colour (default: only on a terminal, and not when NO_COLOR is set).",
    )(func)


def _use_color(flag: bool | None) -> bool:
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _filters(**values: str | None) -> Filters:
    return Filters(**{k: v for k, v in values.items() if k in Filters.__dataclass_fields__})


def _stderr(message: str) -> None:
    click.echo(message, err=True)


def _open_index(path: Path | None, *, on_stale: str = "rebuild", build: bool = True) -> Any:
    """Load ``path``, or the default index (built on first use, with a notice on
    stderr, when ``build``). A stale index is rebuilt (``on_stale``)."""
    from .build import load_index

    if path is None:
        return load_index(None, build=build, on_stale=on_stale, notify=_stderr)
    try:
        return load_index(path, build=False, on_stale=on_stale, notify=_stderr)
    except IndexMissingError as err:
        hint = f"build it with: transcript-qa index build --corpus CORPUS_DIR --out {path}"
        raise IndexMissingError(f"no index at {path}; {hint}", hint=hint) from err


def _write(text: str, color: bool = False) -> None:
    click.echo(text, nl=False, color=color)


# --------------------------------------------------------------------------- progress


class _Progress:
    """A ``progress(done, total)`` or ``progress(stage, done, total)`` callback.

    On a terminal it draws a click progress bar on stderr. On a pipe it stays
    quiet unless the job is long (still running after ``quiet_for`` seconds),
    then writes a line at most every 10 %.
    """

    def __init__(self, label: str, *, quiet_for: float = 3.0, bar: bool = True) -> None:
        self.label = label
        self.tty = bar and sys.stderr.isatty()
        self.started = time.monotonic()
        self.quiet_for = quiet_for
        self.bar: Any = None
        self.bar_label = ""
        self.last = 0
        self.last_line: tuple[str, int] = ("", -1)

    def __call__(self, *args: Any) -> None:
        numbers = [a for a in args if isinstance(a, (int, float)) and not isinstance(a, bool)]
        stage = next((a for a in args if isinstance(a, str)), None)
        if len(numbers) < 2:
            return
        done, total = int(numbers[-2]), int(numbers[-1])
        if total <= 1:
            return
        label = f"{self.label}: {stage}" if stage else self.label
        if self.tty:
            if self.bar is None or self.bar.length != total or self.bar_label != label:
                self.close()
                self.bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True)
                self.bar.__enter__()
                self.bar_label, self.last = label, 0
            self.bar.update(max(0, done - self.last))
            self.last = done
            return
        if time.monotonic() - self.started < self.quiet_for:
            return
        tenth = done * 10 // total
        if (label, tenth) != self.last_line:
            self.last_line = (label, tenth)
            _stderr(f"{label}: {done}/{total}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


# --------------------------------------------------------------------------- the group


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="transcript-qa")
def main() -> None:
    """Ask questions of public meeting records: who said what, about which topic, where.

    \b
    Examples:
      transcript-qa ask "who discussed CAS3"
      transcript-qa ask "agency staff spending" --kind transcript --top-k 5
      transcript-qa batch questions.txt --format trec --output run.txt

    Without --index, commands use the bundled corpus's index, built on first use.
    Exit codes: 0 ok, 1 input or runtime error, 2 usage error, 3 batch partly answered.
    """


ANSWER_FORMAT = click.Choice(["text", "json", "jsonl", "csv", "trec"])


@main.command()
@click.argument("question")
@click.option("-k", "--top-k", default=10, show_default=True, type=click.IntRange(min=1), help="Number of passages.")
@filter_options
@index_option
@click.option("-f", "--format", "fmt", type=ANSWER_FORMAT, default="text", show_default=True, help="Output format.")
@click.option("--explain", is_flag=True, help="Show the query terms and what each contributed to a score.")
@color_option
def ask(question: str, top_k: int, index_path: Path | None, fmt: str, explain: bool, color: bool | None,
        **filters: str | None) -> None:
    """Answer QUESTION with ranked passages and who said them.

    A question asking for people ("who ...", "which witnesses ...") lists the
    ranked speakers first, each with their best passage.

    \b
    Examples:
      transcript-qa ask "who discussed CAS3"
      transcript-qa ask "caseloads of probation officers" --speaker vigurs --top-k 3
      transcript-qa ask "accommodation on release" --format json
    """
    if not question.strip():
        raise QueryError("the question is empty", hint='ask something, e.g. transcript-qa ask "who discussed CAS3"')
    index = _open_index(index_path)
    answer = index.ask(question, top_k, **_filters(**filters).active())
    if fmt == "text":
        use_color = _use_color(color)
        _write(output.render_text(answer, color=use_color, explain=explain), use_color)
    else:
        output.write_answers([answer], sys.stdout, fmt)


@main.command()
@click.argument("topic")
@click.option("-k", "--top-k", default=5, show_default=True, type=click.IntRange(min=1), help="Number of speakers.")
@filter_options
@index_option
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--explain", is_flag=True, help="Show what each query term contributed.")
@color_option
def who(topic: str, top_k: int, index_path: Path | None, fmt: str, explain: bool, color: bool | None,
        **filters: str | None) -> None:
    """Rank the speakers who talked about TOPIC.

    Each speaker comes with their best passages.

    \b
    Examples:
      transcript-qa who "CAS3"
      transcript-qa who "unpaid work" --kind transcript --top-k 3 --format json
    """
    if not topic.strip():
        raise QueryError("the topic is empty", hint='name a topic, e.g. transcript-qa who "CAS3"')
    index = _open_index(index_path)
    speakers = index.who(topic, top_k, **_filters(**filters).active())
    answer = Answer(question=topic, intent="who", hits=(), speakers=tuple(speakers))
    if fmt == "json":
        output.write_json_value(output.speakers_to_dicts(answer), sys.stdout)
        return
    use_color = _use_color(color)
    _write(output.render_who(answer, color=use_color, explain=explain), use_color)


@main.command()
@click.argument("passage_id")
@click.option("-c", "--context", "context", default=2, show_default=True, type=click.IntRange(min=0),
              help="Passages to show before and after.")
@index_option
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@color_option
def show(passage_id: str, context: int, index_path: Path | None, fmt: str, color: bool | None) -> None:
    """Show a passage with the turns around it, and where it is in its file.

    Passage ids are printed by ask, who and batch (document:position).

    \b
    Example:
      transcript-qa show 2022-07-20-transcript-probation-services:12 --context 1
    """
    index = _open_index(index_path)
    target = index.passage(passage_id)
    around = index.context(passage_id, before=context, after=context)
    source, lines = _source_location(index, target)
    if fmt == "json":
        output.write_json_value(
            {"passage": target.to_dict(), "context": [p.to_dict() for p in around], "source": source,
             "lines": list(lines) if lines else None},
            sys.stdout,
        )
        return
    use_color = _use_color(color)
    _write(output.render_context(target, around, source=source, lines=lines, color=use_color), use_color)


def _source_location(index: Any, passage: Any) -> tuple[str | None, tuple[int, int] | None]:
    """The source file of ``passage`` and its first and last line, when the
    corpus the index was built from is still there."""
    documents = {d.id: d for d in index.documents()} if hasattr(index, "documents") else {}
    doc = documents.get(passage.document)
    if doc is None:
        return None, None
    corpus = (getattr(index, "manifest", None) or {}).get("corpus") or {}
    root = corpus.get("root") if isinstance(corpus, dict) else None
    if not root:
        return doc.path, None
    file = Path(root) / doc.path
    try:
        text = file.read_bytes().decode(doc.encoding or "utf-8", errors="replace")
    except (OSError, LookupError):
        return str(file), None
    first = output.line_of(text, passage.start)
    last = output.line_of(text, max(passage.start, passage.end - 1))
    return str(file), (first, last)


@main.command()
@index_option
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def speakers(index_path: Path | None, fmt: str) -> None:
    """List everyone who speaks or is quoted in the corpus.

    For each: role(s), organisation(s), number of passages and of documents.

    \b
    Example:
      transcript-qa speakers --format json
    """
    index = _open_index(index_path)
    people = index.speakers()
    if fmt == "json":
        output.write_json_value([output.speaker_info_to_dict(s) for s in people], sys.stdout)
    else:
        _write(output.render_speakers(people))


@main.command()
@index_option
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def glossary(index_path: Path | None, fmt: str) -> None:
    """List the acronyms the corpus itself defines.

    An acronym is defined where a document spells it out once, as in
    "Integrated Offender Management (IOM)"; a question may use either form.

    \b
    Example:
      transcript-qa glossary
    """
    index = _open_index(index_path)
    acronyms = index.glossary()
    if fmt == "json":
        output.write_json_value([output.acronym_to_dict(a) for a in acronyms], sys.stdout)
    else:
        _write(output.render_glossary(acronyms))


@main.group(cls=_Group)
def index() -> None:
    """Build an index, or describe one.

    \b
    Examples:
      transcript-qa index build --corpus my_corpus/ --out indexes/mine
      transcript-qa index info indexes/mine
    """


@index.command("build")
@click.option("--corpus", "corpus_path", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Corpus folder (default: the bundled corpus).")
@click.option("--out", "out_path", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the index (default: the default index folder).")
def index_build(corpus_path: Path | None, out_path: Path | None) -> None:
    """Parse a corpus folder and write its index.

    The write is atomic: a failed build leaves the previous index as it was.

    \b
    Examples:
      transcript-qa index build
      transcript-qa index build --corpus my_corpus/ --out indexes/mine
    """
    from .build import build_index

    started = time.perf_counter()
    progress = _Progress("building index")
    try:
        built = build_index(corpus_path, out_path, progress=progress)
    finally:
        progress.close()
    seconds = time.perf_counter() - started
    _write(output.render_build_summary(built.info(), seconds))


@index.command("info")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def index_info(path: Path | None, fmt: str) -> None:
    """Describe an index (default: the default index).

    Prints documents, passages, vocabulary size, settings, the corpus
    fingerprint and whether the corpus changed since the build (stale).

    \b
    Example:
      transcript-qa index info indexes/default
    """
    info = _open_index(path, on_stale="ignore", build=False).info()
    if fmt == "json":
        output.write_json_value(info, sys.stdout)
    else:
        _write(output.render_index_info(info))


@main.command()
@click.argument("questions", type=click.Path(dir_okay=True, path_type=Path))
@click.option("-o", "--output", "output_path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here (atomically) instead of to stdout.")
@click.option("-f", "--format", "fmt", type=click.Choice(["jsonl", "csv", "trec"]), default="jsonl",
              show_default=True, help="Output format.")
@click.option("-k", "--top-k", default=10, show_default=True, type=click.IntRange(min=1), help="Passages per question.")
@index_option
def batch(questions: Path, output_path: Path | None, fmt: str, top_k: int, index_path: Path | None) -> None:
    """Answer every question in QUESTIONS (.txt, .csv or .jsonl).

    \b
    .txt    one question a line; blank and # lines ignored; id = line number
    .csv    header id,question[,speaker,organisation,role,document,kind,since,until]
    .jsonl  {"id": "q1", "question": "...", "filters": {"speaker": "vigurs"}}

    A malformed line is reported (file and line) and every other line is still
    answered; the exit code is then 3.

    \b
    Examples:
      transcript-qa batch questions.txt > answers.jsonl
      transcript-qa batch questions.csv --format trec --top-k 100 --output run.txt
    """
    from .batch import answer_questions, read_questions

    items, skipped = read_questions(questions)
    problems: list[Skipped] = list(skipped)
    for problem in skipped:
        _report(problem)
    if not items:
        raise BatchError(f"{questions}: no questions to answer",
                         hint="see transcript-qa batch --help for the file formats")
    index = _open_index(index_path)

    def on_problem(problem: Skipped) -> None:
        problems.append(problem)
        _report(problem)

    # No bar over answers that are being printed to the same terminal.
    progress = _Progress("answering", bar=output_path is not None or not sys.stdout.isatty())
    answers = answer_questions(index, items, top_k, progress=progress, on_problem=on_problem)
    try:
        if output_path is None:
            answered = output.write_answers(answers, sys.stdout, fmt)
        else:
            with output.atomic_writer(output_path) as stream:
                answered = output.write_answers(answers, stream, fmt)
    finally:
        progress.close()
    if problems:
        total = len(items) + len(skipped)
        if answered == 0:
            raise BatchError(f"{questions}: none of the {total} questions could be answered")
        _stderr(f"answered {answered} of {total} questions; {len(problems)} not answered (see above)")
        sys.exit(EXIT_PARTIAL)


def _report(problem: Skipped) -> None:
    where = f"{problem.path}:{problem.line}" if problem.line is not None else problem.path
    _stderr(f"warning: {where}: {problem.reason}")


@main.command("eval")
@click.argument("run", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("qrels", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--speakers", is_flag=True,
              help="Score the speaker rankings instead (batch jsonl output against judgments with a "
                   "'speakers' field): nDCG@5 and RR@5.")
def eval_(run: Path, qrels: Path, fmt: str, speakers: bool) -> None:
    """Score a run against relevance judgements.

    RUN is a TREC run (six columns) or batch --format jsonl output; QRELS is
    TREC qrels or JSON Lines {"id": ..., "relevant": {passage_id: grade}}.
    Prints nDCG@10, RR@10, R@10, R@100 and AP, per query and overall.
    With --speakers, scores each question's speaker ranking against judged
    speakers ({"id": ..., "speakers": {name: grade}}) with nDCG@5 and RR@5.

    \b
    Example:
      transcript-qa batch questions.txt --format trec --output run.txt
      transcript-qa eval run.txt qrels.txt
      transcript-qa batch judged.jsonl --format jsonl --output run.jsonl
      transcript-qa eval --speakers run.jsonl judged.jsonl
    """
    from .evaluation import evaluate_files, format_report

    report = evaluate_files(run, qrels, speakers=speakers)
    _write(format_report(report, fmt=fmt).rstrip("\n") + "\n")
