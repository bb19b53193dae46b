"""``serve``: the local web app (``transcript_qa.web``) over an index."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from . import common
from .common import index_option, stderr


@click.command()
@index_option
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Only this machine can reach 127.0.0.1; another address lets "
                   "anyone on the network read the corpus.")
def serve(index_path: Path | None, port: int, host: str) -> None:
    """Serve a search page and a JSON API over the index, on this machine.

    The page has a search box, filters (known values offered as you type),
    a chart of who spoke, passages that open in their document, and speaker
    and document pages; every view is a URL you can bookmark. The API returns
    what the command line prints with --format json:
    /api/ask?q=QUESTION&k=10&speaker=..., /api/who?q=TOPIC, /api/passages/ID.
    Needs the web extra: pip install "transcript-qa[web]".

    \b
    Examples:
      transcript-qa serve                      # then open http://127.0.0.1:8000/
      transcript-qa serve --index my-index --port 8080
    """
    from ..web import serve as run, _require

    _require()
    index = common.open_index(index_path)
    if not _is_loopback(host):
        stderr(f"warning: listening on {host}: anyone who can reach this machine can read the corpus")

    def ready(url: str) -> None:
        stderr(f"serving {index.path or 'the index'} on {url} (Ctrl+C to stop)")

    try:
        run(index, host=host, port=port, on_ready=ready)
    except KeyboardInterrupt:
        stderr("stopped")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
