"""Text and Markdown renderings of stories and articles, for people at a terminal.

Citations are numbered by the story's source list: ``[2]`` is the second
source listed under the digest. A sentence that only one independent source
states is marked ``(one source)``; a sentence the story's cross-check found in
conflict with another source is followed by a ``conflict`` line per conflict,
with the other side's sentence. Pure formatting: no store access.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from newsloom.api import ArticleView, StoryView


def _date(value: str | None) -> str:
    return value[:16].replace("T", " ") if value else "date unknown"


def citation_numbers(view: StoryView) -> dict[str, int]:
    return {ref.id: number for number, ref in enumerate(view.articles, start=1)}


def _cited(sentence: dict, numbers: dict[str, int]) -> str:
    marks = sorted({numbers[c["article_id"]] for c in sentence["citations"] if c["article_id"] in numbers})
    text = "".join(f"[{n}]" for n in marks)
    if sentence.get("independent_sources", 1) <= 1:
        text += " (one source)"
    return text


def conflict_notes(sentence: dict, numbers: dict[str, int]) -> list[tuple[str, str]]:
    """(headline, explanation) per conflict of a digest sentence; digests stored before conflicts existed have none.

    The explanation speaks as the conflict's claim: when the digest sentence is
    the evidence side, it is prefixed with the other article's number.
    """
    notes = []
    for conflict in sentence.get("conflicts") or []:
        other = conflict.get("other_article_id", "")
        where = f"[{numbers[other]}]" if other in numbers else ("the gazetteer" if other == "gazetteer" else other)
        headline = f"{conflict.get('kind', 'other')} conflict with {where}: “{conflict.get('other_sentence', '')}”"
        explanation = conflict.get("explanation", "")
        if conflict.get("side") == "evidence" and other in numbers:
            explanation = f"{where}: {explanation}"
        notes.append((headline, explanation))
    return notes


def _source_line(number: int, ref) -> str:
    line = f"[{number}] {ref.outlet or 'unknown outlet'} — {ref.title} ({_date(ref.published)})"
    if ref.copy_of:
        line += f" — {ref.copy_kind} of {ref.copy_of[:8]}"
    return line


def render_stories(console: Console, stories: list[StoryView]) -> None:
    if not stories:
        console.print("No stories yet. Ingest something: newsloom ingest PATH_OR_URL")
        return
    for story in stories:
        console.print(f"[bold]{escape(story.headline or '(digest pending)')}[/bold]  [dim]{story.id}[/dim]")
        console.print(
            f"  {story.article_count} articles, {story.outlet_count} outlets, "
            f"{_date(story.first_published)} → {_date(story.last_published)}"
        )
    console.print(f"{len(stories)} stories")


def render_story(console: Console, view: StoryView) -> None:
    numbers = citation_numbers(view)
    digest = view.digest or {}
    console.print(f"[bold]{escape(digest.get('headline') or view.headline or '(no digest yet)')}[/bold]")
    console.print(f"[dim]story {view.id} · {view.article_count} articles · {view.outlet_count} outlets · "
                  f"{_date(view.first_published)} → {_date(view.last_published)}[/dim]")
    if view.merged_into:
        console.print(f"This story has no articles left: they were merged into story {view.merged_into} "
                      f"(newsloom story {view.merged_into}).")
    if digest.get("standfirst"):
        console.print(f"[italic]{escape(digest['standfirst']['text'])}[/italic] {_cited(digest['standfirst'], numbers)}")
        _print_conflicts(console, digest["standfirst"], numbers)
    for sentence in digest.get("body", []):
        console.print(f"• {escape(sentence['text'])} [cyan]{escape(_cited(sentence, numbers))}[/cyan]")
        _print_conflicts(console, sentence, numbers)
    console.print("[bold]Sources[/bold]")
    for ref in view.articles:
        console.print("  " + escape(_source_line(numbers[ref.id], ref)))
    _print_crosscheck(console, view.crosscheck, numbers)


def _print_conflicts(console: Console, sentence: dict, numbers: dict[str, int]) -> None:
    for headline, explanation in conflict_notes(sentence, numbers):
        console.print(f"  [red]⚠ {escape(headline)}[/red]")
        if explanation:
            console.print(f"    [dim]{escape(explanation)}[/dim]")


def _print_crosscheck(console: Console, crosscheck: dict | None, numbers: dict[str, int]) -> None:
    """The story's cross-check: counts, then every conflict with both sentences."""
    if not isinstance(crosscheck, dict):
        return
    conflicts = crosscheck.get("conflicts") or []
    console.print(f"[bold]Cross-check[/bold]  {len(crosscheck.get('agreements') or [])} agreements · "
                  f"{len(conflicts)} conflicts · {len(crosscheck.get('single_source') or [])} single-source claims · "
                  f"{len(crosscheck.get('updates') or [])} updates")
    for conflict in conflicts:
        claim_ref, evidence_ref = (_ref(conflict.get(key), numbers) for key in ("claim_article", "evidence_article"))
        console.print(f"  [red]{escape(str(conflict.get('kind')))} conflict[/red]: {escape(str(conflict.get('explanation', '')))}")
        console.print(f"    {claim_ref} {escape(str(conflict.get('claim', '')))}")
        console.print(f"    {evidence_ref} {escape(str(conflict.get('evidence', '')))}")


def _ref(article_id, numbers: dict[str, int]) -> str:
    return f"[{numbers[article_id]}]" if article_id in numbers else escape(f"({article_id})")


def story_markdown(view: StoryView) -> str:
    numbers = citation_numbers(view)
    digest = view.digest or {}
    lines = [f"# {digest.get('headline') or view.headline or '(no digest yet)'}", ""]
    if view.merged_into:
        lines += [f"This story has no articles left: they were merged into story {view.merged_into}.", ""]
    if digest.get("standfirst"):
        lines += [f"*{digest['standfirst']['text']}* {_cited(digest['standfirst'], numbers)}"]
        lines += [f"> ⚠ {headline} — {explanation}" for headline, explanation in conflict_notes(digest["standfirst"], numbers)]
        lines.append("")
    for sentence in digest.get("body", []):
        lines.append(f"- {sentence['text']} {_cited(sentence, numbers)}")
        lines += [f"  - ⚠ {headline} — {explanation}" for headline, explanation in conflict_notes(sentence, numbers)]
    lines += ["", "## Sources", ""]
    for ref in view.articles:
        label = _source_line(numbers[ref.id], ref)
        lines.append(f"{label} <{ref.url}>" if ref.url else label)
    return "\n".join(lines) + "\n"


def render_article(console: Console, view: ArticleView) -> None:
    console.print(f"[bold]{escape(view.title)}[/bold]  [dim]{view.id}[/dim]")
    console.print(f"[dim]{escape(view.outlet or 'unknown outlet')} · {_date(view.published)} · {escape(view.url or view.origin or '')}[/dim]")
    if view.copy_of:
        console.print(f"[yellow]{view.copy_of['kind']} of {view.copy_of['original_id']}[/yellow]: {escape(view.copy_of['reason'])}")
    for copy in view.copies:
        console.print(f"[yellow]copied by {copy['article_id']}[/yellow] ({copy['kind']})")
    if view.story_assignment:
        console.print(f"[dim]story {view.story_id} (score {view.story_assignment['score']:.2f})[/dim]")
    console.print()
    console.print(escape(view.text))
    if view.removed:
        console.print()
        console.print(f"[dim]Removed as boilerplate ({len(view.removed)}):[/dim]")
        for span in view.removed:
            console.print(f"[dim]  - {span['reason']}: {escape(span['text'][:100])}[/dim]")


def render_search(console: Console, query: str, hits: dict) -> None:
    console.print(f"[bold]Stories matching {escape(query)!r}[/bold]")
    for hit in hits["stories"]:
        console.print(f"  {hit['story_id']}  {escape(hit['headline'] or '')}")
    console.print(f"[bold]Articles matching {escape(query)!r}[/bold]")
    for hit in hits["articles"]:
        console.print(f"  {hit['id']}  {escape(hit['title'])} [dim]({escape(hit['outlet'] or '')})[/dim]")
        console.print(f"      [dim]{escape(hit['snippet'] or '')}[/dim]")


def render_check(console: Console, report: dict) -> None:
    """A cross-check report: conflicts first, then every claim with its verdict."""
    summary = report["summary"]
    console.print(f"[bold]{escape(report['target']['title'])}[/bold] checked against {len(report['sources'])} sources")
    console.print(f"{summary['claims']} claims: {summary['corroborated']} corroborated, "
                  f"{summary['conflicting']} conflicting, {summary['unsupported']} unsupported")
    for conflict in report["conflicts"]:
        console.print(f"[red]{conflict['kind']} conflict[/red]: {escape(conflict['explanation'])}")
        console.print(f"  claim:    {escape(conflict['claim'])}")
        console.print(f"  evidence: {escape(conflict['evidence'])} [dim]({escape(str(conflict['source']))})[/dim]")
    for claim in report["claims"]:
        if claim["verdict"] == "unsupported":
            console.print(f"[yellow]unsupported[/yellow]: {escape(claim['text'])}")

