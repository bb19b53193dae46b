"""What every command shares: errors turned into messages, shared options,
opening the index, writing output, progress."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import IO, Any, Callable

import click

from ..errors import IndexMissingError, TranscriptQAError
from ..model import DOCUMENT_KINDS, Filters

#: Exit code of a batch that answered some questions but not all.
EXIT_PARTIAL = 3

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


class Group(click.Group):
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
    """A real date yyyy-mm-dd, else a usage error (exit 2)."""
    from ..filters import date_problem

    problem = date_problem(value) if value is not None else None
    if problem:
        raise click.BadParameter(problem, ctx=ctx, param=param)
    return value.strip() if value is not None else None


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


def use_color(flag: bool | None) -> bool:
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def filters_of(**values: str | None) -> Filters:
    return Filters(**{k: v for k, v in values.items() if k in Filters.__dataclass_fields__})


def stderr(message: str) -> None:
    click.echo(message, err=True)


def open_index(path: Path | None, *, on_stale: str = "rebuild", build: bool = True) -> Any:
    """Load ``path``, or the default index (built on first use, with a notice on
    stderr, when ``build``). A stale index is rebuilt (``on_stale``)."""
    from ..build import load_index

    if path is None:
        return load_index(None, build=build, on_stale=on_stale, notify=stderr)
    try:
        return load_index(path, build=False, on_stale=on_stale, notify=stderr)
    except IndexMissingError as err:
        hint = f"build it with: transcript-qa index build --corpus CORPUS_DIR --out {path}"
        raise IndexMissingError(f"no index at {path}; {hint}", hint=hint) from err


def write(text: str, color: bool = False) -> None:
    click.echo(text, nl=False, color=color)


# --------------------------------------------------------------------------- progress


class Progress:
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
            stderr(f"{label}: {done}/{total}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


