"""Helpers shared by the cross-check rule tests: a dated article of hand-written fiction, and the conflicts
``check_article`` finds between one such text and others."""

from datetime import datetime, timezone

from newsloom.crosscheck import check_article
from newsloom.models import Article


def fiction_article(article_id: str, text: str, title: str = "", day: int = 9) -> Article:
    return Article(id=article_id, raw_id=article_id, title=title, text=text, outlet=article_id,
                   published_at=datetime(2031, 5, day, 9, tzinfo=timezone.utc))


def conflict_kinds(target_text: str, *source_texts: str) -> list[tuple[str, str, str]]:
    """(kind, the checked text's value, the source's value) of each conflict found."""
    sources = [fiction_article(f"s{i}", text) for i, text in enumerate(source_texts)]
    report = check_article(fiction_article("t", target_text), sources)
    return [(c.kind, c.claim_value, c.evidence_value) for c in report.conflicts]
