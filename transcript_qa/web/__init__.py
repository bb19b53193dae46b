"""A local web app over an index: ``transcript-qa serve``.

Search with filters, a chart of who spoke, passages opened in their document,
speaker and document pages, and a JSON API that returns what the command line
prints with ``--format json``. It needs the ``web`` extra
(``pip install "transcript-qa[web]"``: Flask and waitress); nothing is fetched
from the network, and everything it serves comes from this package.

    >>> from transcript_qa import load_index                  # doctest: +SKIP
    >>> from transcript_qa.web import create_app, serve
    >>> app = create_app(load_index())      # a Flask app (app.test_client() in tests)
    >>> serve(load_index(), port=8000)       # blocks; Ctrl+C stops it
"""

from __future__ import annotations

from typing import Any, Callable

from ..errors import TranscriptQAError

#: What to install when Flask or waitress is missing.
INSTALL_HINT = 'install the web extra: pip install "transcript-qa[web]"'


class WebUnavailableError(TranscriptQAError):
    """The ``web`` extra is not installed."""


def _require() -> None:
    try:
        import flask  # noqa: F401
        import waitress  # noqa: F401
    except ImportError as err:
        raise WebUnavailableError(f"the web app needs {err.name}, which is not installed", hint=INSTALL_HINT) from None


def create_app(index: Any, *, any_host: bool = False) -> Any:
    """The Flask app over ``index`` (see :mod:`transcript_qa.web.app`)."""
    _require()
    from .app import create_app as make

    return make(index, any_host=any_host)


def serve(index: Any, *, host: str = "127.0.0.1", port: int = 8000, threads: int = 4,
          on_ready: Callable[[str], None] | None = None) -> None:
    """Serve the app with waitress until interrupted. On 127.0.0.1 or
    localhost only requests for those names are answered; on another host
    (the user chose to share) any ``Host`` is."""
    _require()
    from waitress import create_server

    app = create_app(index, any_host=host not in ("127.0.0.1", "localhost"))
    server = create_server(app, host=host, port=port, threads=threads, ident="transcript-qa")
    shown = f"[{host}]" if ":" in host else host
    if on_ready is not None:
        on_ready(f"http://{shown}:{server.effective_port}/")
    try:
        server.run()
    finally:
        server.close()
