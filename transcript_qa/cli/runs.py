"""Many questions: ``batch``, ``eval``."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from .. import output
from ..atomic import open_output
from ..errors import BatchError
from ..model import Skipped
from . import common
from .common import EXIT_PARTIAL, Progress, index_option, stderr, write

@click.command()
@click.argument("questions", type=click.Path(dir_okay=True, path_type=Path))
@click.option("-o", "--output", "output_path", metavar="FILE",
              type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="Write here instead of to stdout: a file is replaced atomically (a symlink's target, for a "
                   "symlink); a FIFO or device such as /dev/null is written through; - is stdout.")
@click.option("-f", "--format", "fmt", type=click.Choice(["jsonl", "csv", "trec", "html"]), default="jsonl",
              show_default=True, help="Output format (html: one self-contained page for all the questions).")
@click.option("-k", "--top-k", default=10, show_default=True, type=click.IntRange(min=1), help="Passages per question.")
@click.option("--workers", default=None, type=click.IntRange(min=0),
              help="Questions answered at a time, on threads (0: one per core; default: one per core for a "
                   "large index with the compiled kernels, else 1).")
@index_option
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Answer on a Dask cluster: 'local' starts one on this machine, else a scheduler address "
                   "(tcp://host:8786). Needs: pip install \"transcript-qa[dask]\"; every worker must see the index folder.")
def batch(questions: Path, output_path: Path | None, fmt: str, top_k: int, workers: int, index_path: Path | None,
          dask_address: str | None) -> None:
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
      transcript-qa batch questions.txt --format html --top-k 5 --output report.html
      transcript-qa batch questions.txt --dask local --output answers.jsonl
    """
    from ..batch import answer_questions, read_questions

    if output_path is not None and str(output_path) == "-":
        output_path = None  # stdout
    items, skipped = read_questions(questions)
    problems: list[Skipped] = list(skipped)
    for problem in skipped:
        _report(problem)
    if not items:
        raise BatchError(f"{questions}: no questions to answer",
                         hint="see transcript-qa batch --help for the file formats")
    index = common.open_index(index_path)

    def on_problem(problem: Skipped) -> None:
        problems.append(problem)
        _report(problem)

    # No bar over answers that are being printed to the same terminal.
    progress = Progress("answering", bar=output_path is not None or not sys.stdout.isatty())
    documents = index.documents() if fmt == "html" else None
    with contextlib.ExitStack() as stack:
        if dask_address:
            from ..distributed import answer_questions_on, dask_client

            client = stack.enter_context(dask_client(dask_address))
            answers = answer_questions_on(client, index.path, items, top_k, progress=progress,
                                          on_problem=on_problem, speaker_snippets=fmt not in MACHINE_FORMATS)
        else:
            from ..parallel import Prefetched, resolve_workers
            from ..topk import use_kernels

            if workers is None:
                workers = 0 if use_kernels(index) else 1
            threads = resolve_workers(workers)
            if threads > 1:  # answered ahead on threads, written in order
                calls = [((q.question, top_k), {"id": q.id, **q.filters.active()}) for q in items]
                index = Prefetched(index, calls, threads)
            answers = answer_questions(index, items, top_k, progress=progress, on_problem=on_problem)
        try:
            if output_path is None:
                answered = output.write_answers(answers, sys.stdout, fmt, documents=documents)
            else:
                with open_output(output_path) as stream:
                    answered = output.write_answers(answers, stream, fmt, documents=documents)
        finally:
            progress.close()
    if problems:
        total = len(items) + len(skipped)
        if answered == 0:
            raise BatchError(f"{questions}: none of the {total} questions could be answered")
        stderr(f"answered {answered} of {total} questions; {len(problems)} not answered (see above)")
        sys.exit(EXIT_PARTIAL)


#: Batch formats that print no snippet for the speakers' passages.
MACHINE_FORMATS = ("jsonl", "csv", "trec")


def _report(problem: Skipped) -> None:
    where = f"{problem.path}:{problem.line}" if problem.line is not None else problem.path
    stderr(f"warning: {where}: {problem.reason}")


@click.command("eval")
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
    from ..evaluation import evaluate_files, format_report

    report = evaluate_files(run, qrels, speakers=speakers)
    write(format_report(report, fmt=fmt).rstrip("\n") + "\n")
