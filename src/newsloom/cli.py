"""The command line: a thin shell over ``newsloom.api.Engine``.

Each command parses its options, calls one Engine method and prints the
result for a person (rich) or, with ``--json``, for a program. Options for
the settings are generated from ``settings.SETTINGS``; nothing here decides
anything about articles or stories.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from newsloom import __version__
from newsloom.api import Engine, check as check_sources, parse_since
from newsloom.errors import NewsloomError
from newsloom.render import render_article, render_check, render_search, render_stories, render_story, story_markdown
from newsloom.settings import SETTINGS

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def db_option(command):
    return click.option(
        "--db", "db", type=click.Path(dir_okay=False, path_type=Path), envvar="NEWSLOOM_DB", default=None,
        help="SQLite database (default: newsloom.db in your user data folder; env NEWSLOOM_DB).",
    )(command)


def json_option(command):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for programs instead of text.")(command)


def settings_options(command):
    """One --option per setting, from the settings table."""
    for setting in reversed(SETTINGS):
        flag = "--" + setting.name.replace("_", "-")
        if isinstance(setting.default, bool):
            command = click.option(f"{flag}/--no-{flag[2:]}", setting.name, default=None, help=setting.help)(command)
        else:
            command = click.option(flag, setting.name, type=type(setting.default), default=None,
                                   help=f"{setting.help} [default: {setting.default}]")(command)
    return command


def open_engine(db: Path | None, **settings) -> Engine:
    overrides = {name: value for name, value in settings.items() if value is not None}
    return Engine(db, **overrides)


def fail(message: str, code: int = 1):
    err_console.print(f"[red]error:[/red] {message}")
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsloom")
def cli():
    """newsloom: turn messy news articles into stories with cited digests."""


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@db_option
@json_option
@settings_options
def ingest(sources, db, as_json, **settings):
    """Ingest files, folders, web pages, RSS/Atom feeds and JSONL files."""
    with open_engine(db, **settings) as engine:
        report = _ingest_with_progress(engine, sources, quiet=as_json)
        _print_report(report, as_json, engine.settings)
    if report.ingested == 0 and report.unchanged == 0 and report.failures:
        sys.exit(1)


def _ingest_with_progress(engine: Engine, sources, quiet: bool):
    if quiet or not sys.stderr.isatty():
        return engine.ingest(sources)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err_console,
                  transient=True) as progress:
        task = progress.add_task("reading inputs", total=None)

        def advance(seen: int, origin: str) -> None:
            progress.update(task, description=f"{seen} inputs processed — {Path(origin).name[:50]}")

        return engine.ingest(sources, progress=advance)


def _print_report(report, as_json: bool, settings=None) -> None:
    if as_json:
        payload = {
            "ingested": report.ingested, "duplicates": report.duplicates, "unchanged": report.unchanged,
            "failed": report.failed, "seconds": round(report.seconds, 3), "stories": len(report.story_ids),
            "failures": [vars(f) for f in report.failures],
        }
        console.print_json(json.dumps(payload))
        return
    for failure in report.failures:
        err_console.print(f"[yellow]skipped[/yellow] {failure.origin}: {failure.message}")
    from newsloom.nlp.embeddings import mode

    err_console.print(f"[dim]mode: {mode(settings=settings)}[/dim]")
    rate = report.ingested / report.seconds if report.seconds else 0.0
    console.print(
        f"ingested {report.ingested} articles ({report.duplicates} linked as copies), "
        f"{report.unchanged} unchanged, {report.failed} failed, into {len(report.story_ids)} stories "
        f"in {report.seconds:.1f} s ({rate:.1f} articles/s)"
    )


@cli.command()
@db_option
@json_option
@click.option("--since", help="Only stories active since a date (2026-03-01) or a span back from now (36h, 7d).")
@click.option("--limit", type=int, default=None, help="At most this many stories.")
def stories(db, as_json, since, limit):
    """List stories, most recently active first, with their articles."""
    with open_engine(db) as engine:
        found = engine.stories(since=parse_since(since), limit=limit)
    if as_json:
        console.print_json(json.dumps([story.to_dict() for story in found]))
    else:
        render_stories(console, found)


@cli.command()
@click.argument("story_id")
@db_option
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text")
def story(story_id, db, output_format):
    """Show one story: its digest with citations and its sources."""
    with open_engine(db) as engine:
        view = engine.story(story_id)
    if output_format == "json":
        console.print_json(json.dumps(view.to_dict()))
    elif output_format == "markdown":
        click.echo(story_markdown(view))
    else:
        render_story(console, view)


@cli.command()
@click.argument("article_id")
@db_option
@json_option
def article(article_id, db, as_json):
    """Show one article: clean text, removed boilerplate, copies and story."""
    with open_engine(db) as engine:
        view = engine.article(article_id)
    if as_json:
        console.print_json(json.dumps(view.to_dict()))
    else:
        render_article(console, view)


@cli.command()
@click.argument("query")
@db_option
@json_option
@click.option("--limit", type=int, default=20, help="At most this many hits of each kind.")
def search(query, db, as_json, limit):
    """Full-text search over story digests and articles."""
    with open_engine(db) as engine:
        hits = engine.search(query, limit=limit)
    if as_json:
        console.print_json(json.dumps(hits))
    else:
        render_search(console, query, hits)


@cli.command()
@db_option
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Folder to ingest (default: the bundled examples/demo-corpus).")
@click.option("--limit", type=int, default=None, help="Show at most this many stories.")
def demo(db, corpus, limit):
    """Ingest the bundled demo corpus and print its stories with their digests."""
    corpus = corpus or find_demo_corpus()
    if corpus is None:
        fail("the demo corpus was not found; run this from the newsloom checkout or pass --corpus PATH.")
    db = db or Path("newsloom-demo.db")
    with open_engine(db) as engine:
        report = _ingest_with_progress(engine, [str(corpus)], quiet=False)
        _print_report(report, as_json=False, settings=engine.settings)
        for summary in engine.stories(limit=limit):
            console.rule()
            render_story(console, engine.story(summary.id))
    console.rule()
    console.print(f"Read these stories in your browser: [bold]newsloom serve --db {db}[/bold]")


@cli.command()
@click.argument("target")
@click.option("--against", "sources", multiple=True, required=True,
              help="A source to check against (file, folder, URL or feed); repeat for several.")
@json_option
@click.option("--allow-private-urls", is_flag=True, default=None, help="Allow URLs on private or loopback addresses.")
def check(target, sources, as_json, allow_private_urls):
    """Cross-check one article against sources: agreements, conflicts, unsupported claims."""
    report = check_sources(target, sources, allow_private_urls=allow_private_urls)
    if as_json:
        console.print_json(json.dumps(report))
    else:
        render_check(console, report)


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option("--allow-ingest", is_flag=True, help="Turn on POST /api/ingest and /api/ingest/files (needs NEWSLOOM_TOKEN).")
def serve(db, host, port, allow_ingest):
    """Read the stories in a browser: web pages, a JSON API and Atom feeds."""
    from newsloom.web import serve as serve_web

    serve_web(db, host=host, port=port, allow_ingest=allow_ingest)


def find_demo_corpus() -> Path | None:
    candidates = [Path.cwd() / "examples" / "demo-corpus", Path(__file__).resolve().parents[2] / "examples" / "demo-corpus"]
    return next((path for path in candidates if path.is_dir()), None)


@cli.command()
@db_option
@json_option
def failures(db, as_json):
    """List the kept inputs that could not be turned into articles, and why."""
    with open_engine(db) as engine:
        rows = engine.failures()
    if as_json:
        console.print_json(json.dumps(rows))
        return
    for row in rows:
        console.print(f"{row['id']}  {row['origin']}\n    {row['error']}")
    console.print(f"{len(rows)} failed inputs")


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        fail("aborted", 130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except NewsloomError as error:
        fail(str(error))
    except ValueError as error:
        fail(str(error), 2)


if __name__ == "__main__":
    main()
