"""Questions: ``ask``, ``who``, ``show``, ``speakers``, ``glossary``."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any, Iterator

import click

from .. import output, terminal
from ..errors import QueryError
from ..locate import source_location as _source_location
from ..model import Answer
from . import common
from .common import color_option, filter_options, filters_of, index_option, use_color, write

ANSWER_FORMAT = click.Choice(["text", "json", "jsonl", "csv", "trec", "html"])

dask_option = click.option(
    "--dask", "dask_address", metavar="ADDRESS",
    help="Search the index shard by shard on a Dask cluster: 'local' (a LocalCluster on this machine) or a "
         "scheduler address (tcp://host:8786); same answers. Needs a segmented index every worker can read at the "
         "same path, and: pip install \"transcript-qa[dask]\".")


@contextlib.contextmanager
def _searcher(index_path: Path | None, dask_address: str | None) -> Iterator[Any]:
    """The index, or (``--dask``) its sharded view on the cluster."""
    if not dask_address:
        yield common.open_index(index_path)
        return
    from ..distributed import dask_client, open_sharded

    path = index_path if index_path is not None else common.open_index(None).path
    with dask_client(dask_address) as client:
        yield open_sharded(client, path)


@click.command()
@click.argument("question")
@click.option("-k", "--top-k", default=10, show_default=True, type=click.IntRange(min=1), help="Number of passages.")
@filter_options
@index_option
@click.option("-f", "--format", "fmt", type=ANSWER_FORMAT, default="text", show_default=True, help="Output format.")
@click.option("--explain", is_flag=True, help="Show the query terms and what each contributed to a score.")
@color_option
@dask_option
def ask(question: str, top_k: int, index_path: Path | None, fmt: str, explain: bool, color: bool | None,
        dask_address: str | None, **filters: str | None) -> None:
    """Answer QUESTION with ranked passages and who said them.

    A question asking for people ("who ...", "which witnesses ...") lists the
    ranked speakers first, each with their best passage.

    \b
    Examples:
      transcript-qa ask "who discussed CAS3"
      transcript-qa ask "caseloads of probation officers" --speaker vigurs --top-k 3
      transcript-qa ask "accommodation on release" --format json
      transcript-qa ask "who discussed CAS3" --format html > cas3.html
    """
    if not question.strip():
        raise QueryError("the question is empty", hint='ask something, e.g. transcript-qa ask "who discussed CAS3"')
    with _searcher(index_path, dask_address) as index:
        extra = {"explain": True} if dask_address and explain else {}
        answer = index.ask(question, top_k, **extra, **filters_of(**filters).active())
        documents = index.documents() if fmt == "html" else None
    if fmt == "text":
        colored = use_color(color)
        write(terminal.render_text(answer, color=colored, explain=explain), colored)
    else:
        output.write_answers([answer], sys.stdout, fmt, documents=documents)


@click.command()
@click.argument("topic")
@click.option("-k", "--top-k", default=5, show_default=True, type=click.IntRange(min=1), help="Number of speakers.")
@filter_options
@index_option
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text",
              show_default=True, help="Output format (html: one self-contained page with a bar chart).")
@click.option("--explain", is_flag=True, help="Show what each query term contributed.")
@click.option("-p", "--passages", type=click.IntRange(min=0), default=None,
              help="Passages shown under each speaker in the text output (0: the ranking only).")
@color_option
@dask_option
def who(topic: str, top_k: int, index_path: Path | None, fmt: str, explain: bool, passages: int | None,
        color: bool | None, dask_address: str | None, **filters: str | None) -> None:
    """Rank the speakers who talked about TOPIC.

    Each speaker comes with their share of the relevant material (drawn as a
    bar) and their best passages.

    \b
    Examples:
      transcript-qa who "CAS3"
      transcript-qa who "accommodation for prison leavers" --passages 0
      transcript-qa who "unpaid work" --kind transcript --top-k 3 --format json
      transcript-qa who "accommodation for prison leavers" --format html > who.html
    """
    if not topic.strip():
        raise QueryError("the topic is empty", hint='name a topic, e.g. transcript-qa who "CAS3"')
    with _searcher(index_path, dask_address) as index:
        speakers = index.who(topic, top_k, **filters_of(**filters).active())
        documents = index.documents() if fmt == "html" else None
        # why the list is empty: a record that names nobody (captions without names) or no match
        reason = None if speakers else ("the index's documents name no speakers" if not index.speakers()
                                        else "no speaker's passage matches the topic")
    answer = Answer(question=topic, intent="who", hits=(), speakers=tuple(speakers), reason=reason)
    if fmt == "json":
        output.write_json_value(output.speakers_to_dicts(answer), sys.stdout)
        return
    if fmt == "html":
        from ..report_html import write_html

        write_html([answer], sys.stdout, who_only=True, documents=documents)
        return
    colored = use_color(color)
    write(terminal.render_who(answer, color=colored, explain=explain, ascii=not _can_draw_blocks(), passages=passages),
          colored)


def _can_draw_blocks() -> bool:
    """Whether stdout can show the bar's block characters (else # bars)."""
    try:
        "█▏".encode(getattr(sys.stdout, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


@click.command()
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
    index = common.open_index(index_path)
    target = index.passage(passage_id)
    around = index.context(passage_id, before=context, after=context)
    source, lines = _source_location(index, target)
    if fmt == "json":
        output.write_json_value(output.context_to_dict(target, around, source, lines), sys.stdout)
        return
    colored = use_color(color)
    write(terminal.render_context(target, around, source=source, lines=lines, color=colored), colored)


@click.command()
@index_option
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def speakers(index_path: Path | None, fmt: str) -> None:
    """List everyone who speaks or is quoted in the corpus.

    For each: role(s), organisation(s), number of passages and of documents.

    \b
    Example:
      transcript-qa speakers --format json
    """
    index = common.open_index(index_path)
    people = index.speakers()
    if fmt == "json":
        output.write_json_value([output.speaker_info_to_dict(s) for s in people], sys.stdout)
    else:
        write(terminal.render_speakers(people))


@click.command()
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
    index = common.open_index(index_path)
    acronyms = index.glossary()
    if fmt == "json":
        output.write_json_value([output.acronym_to_dict(a) for a in acronyms], sys.stdout)
    else:
        write(terminal.render_glossary(acronyms))


