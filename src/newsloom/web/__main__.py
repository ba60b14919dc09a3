"""``python -m newsloom.web --db news.db --port 8000``: the web app without the CLI."""

from __future__ import annotations

import argparse

from newsloom.web import DEFAULT_HOST, DEFAULT_PORT, serve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m newsloom.web", description="Serve a newsloom database on the web.")
    parser.add_argument("--db", default=None, help="SQLite database (default: the user data folder's newsloom.db)")
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--allow-ingest", action="store_true", help="turn on POST /api/ingest (needs NEWSLOOM_TOKEN)")
    options = parser.parse_args(argv)
    serve(options.db, host=options.host, port=options.port, allow_ingest=options.allow_ingest)


if __name__ == "__main__":
    main()
