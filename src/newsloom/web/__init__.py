"""The newsloom web app: server-rendered pages, a JSON API and Atom feeds over one database.

    from newsloom.web import serve
    serve("news.db", host="127.0.0.1", port=8000)

The CLI's ``newsloom serve`` calls ``serve``. Everything the app shows comes
from ``newsloom.api.Engine`` and ``newsloom.browse.Browse``; the web layer
decides nothing about articles or stories.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def create_app(db, **options):
    from newsloom.web.app import create_app as build

    return build(db, **options)


def serve(db: str | Path | None = None, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          allow_ingest: bool = False, log_level: str = "info") -> None:
    """Run the web app with uvicorn until interrupted.

    With ``allow_ingest`` the write endpoints are on and need the bearer
    token in ``$NEWSLOOM_TOKEN``; without a token the server refuses to start.
    """
    import uvicorn

    from newsloom.store import default_db_path

    if allow_ingest and not os.environ.get("NEWSLOOM_TOKEN"):
        raise ValueError("--allow-ingest needs a token: set NEWSLOOM_TOKEN to a long random secret first.")
    app = create_app(db or default_db_path(), allow_ingest=allow_ingest)
    try:
        uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False, proxy_headers=False)
    finally:
        app.state.engine.close()
