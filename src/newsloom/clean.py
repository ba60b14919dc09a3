"""Cleaning: strip the hosting site's chrome from extracted text, and keep every cut.

After extraction a crawled page still carries lines that belong to the site,
not to the report: category labels, "Posted:" timestamps, embedded social
posts flattened into text, captions printed twice, promo lines, image credits,
repost disclaimers and copyright footers. ``clean_text`` removes them and
returns each removed span (offsets into its input) with a reason, so that the
cleaning can be shown and undone.

Design. The text is cut into lines (a line is the unit an extractor emits for
a paragraph, caption or label). Each line is judged by small rules that look
at *where* it is and *what shape* it has, never at one trigger word alone:

1. title repeat: the first line equals the title;
2. anywhere: social embeds (a post link, a "— Name (@handle) date" signature
   and the post text just above it, embed markers), a line immediately
   repeated by the next one, and lines whose own label says what they are
   ("Read more:", "Photo:", a lone "Advertisement", a headline tagged "[VIDEO]");
3. header (first ``HEADER_LINES`` lines, above the first paragraph of prose):
   a short label, timestamps, repost notes, disclaimers, calls to action;
   below that paragraph only a timestamp line;
4. footer (last ``FOOTER_LINES`` lines): the same chrome minus the label rule,
   plus copyright notices;
5. corpus-learned boilerplate: a line seen in ``min_articles`` articles of the
   same outlet (``BoilerplateMemory``, ``clean_memory.py``), when it sits in the unbroken run of
   chrome at the top or bottom of the text, is too short to be prose, or is
   a short pitch to the reader ("... in your inbox");
6. inside each kept line, a sentence whose copy (possibly truncated with
   "...") immediately precedes it loses that copy.

The cleaner is conservative on purpose: a rule that could fire on a sentence
of the report (a story about a copyright lawsuit) needs position *and* shape
*and* several cues. This module must not fetch, store, or alter the kept
text beyond cutting spans out; it must not know any one site's wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsloom.clean_memory import BoilerplateMemory
from newsloom.models import RemovedSpan
from newsloom.nlp.text import normalise_for_hash

HEADER_LINES = 5
FOOTER_LINES = 5
EMBED_MAX_WORDS = 60  # a flattened post is short; a long paragraph with a link is prose
MIN_COPY_CHARS = 24  # shorter repeats ("No. No.") can be deliberate


@dataclass
class CleanResult:
    text: str  # cleaned text, paragraphs separated by "\n\n"
    removed: list[RemovedSpan]  # offsets into the input text, each with its reason and evidence

    @property
    def evidence(self) -> list[str]:
        """Why each span of ``removed`` went, in the same order."""
        return [span.evidence for span in self.removed]


@dataclass
class _Line:
    index: int
    start: int
    end: int
    text: str
    word_count: int


# --- patterns ---------------------------------------------------------------

_SOCIAL_LINK_RE = re.compile(
    r"(?:pic\.twitter\.com/\w+|(?:twitter|x)\.com/\w+/status(?:es)?/\d+|\bt\.co/\w+"
    r"|instagram\.com/(?:p|reel|tv)/[\w-]+|facebook\.com/\S+/(?:posts|videos)/\S+|fb\.watch/\w+"
    r"|tiktok\.com/@[\w.]+/video/\d+|youtu\.be/[\w-]+|youtube\.com/(?:watch\?v=|shorts/)[\w-]+"
    r"|threads\.net/@[\w.]+/post/\w+|bsky\.app/profile/\S+/post/\w+|t\.me/\w+/\d+"
    r"|truthsocial\.com/@\w+/posts?/\d+)",
    re.I,
)
_SIGNATURE_RE = re.compile(r"^[—–-]{1,2}\s*[^()\n]{1,80}\(@[\w.@-]{1,60}\)")
_EMBED_MARKER_RE = re.compile(
    r"^(?:embedded (?:video|post|tweet|content|media)|view (?:this|the) post on \w+|a post shared by\b"
    r"|watch on (?:youtube|tiktok|instagram)|loading (?:tweet|embed|post)|this (?:tweet|post) (?:is unavailable|has been deleted))",
    re.I,
)

_TIMESTAMP_LABEL_RE = re.compile(
    r"^(?:(?:first |last )?(?:post(?:ed)?|published|updated|modified|created|date|time)(?: (?:at|on))?)\b"
    r"\s*[:：|\-–—]?\s*",
    re.I,
)
_DATE_TOKEN_RE = re.compile(r"[A-Za-z]+|\d+(?:[:/.\-]\d+)*(?:st|nd|rd|th|am|pm|h)?|[^\sA-Za-z\d]", re.I)
_MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
_DATE_WORDS = _MONTHS | frozenset(
    """monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
    am pm a p m utc gmt bst est edt cst cdt mst mdt pst pdt cet cest eet eest ist jst aest kst msk et pt ct z t
    at on of hours hour hrs hr minutes minute mins min seconds secs days day weeks week ago yesterday today
    """.split()
)
_BY_TAIL_RE = re.compile(r"\s*(?:[|·•,\-–—]\s*)?by\s+[\w .'’-]{1,40}$", re.I)

_LABEL_SEPARATORS = frozenset("& / | > » › · • - – — , and".split())
_SENTENCE_END_CHARS = ".!?:;\"”'’)"

_LABELLED_PROMO_RE = re.compile(
    r"^(?:read (?:more|also|next)|also read|related(?: (?:articles?|stories|coverage|news|reading|posts?))?|see (?:also|more)"
    r"|more on this(?: story)?|recommended(?: for you)?|(?:watch|listen)(?: now)?|more from [\w ]{1,30})\s*[:：|»›→]",
    re.I,
)
_STANDALONE_PROMO_RE = re.compile(
    r"^(?:advertisement|advert|ad|sponsored(?: content)?|story continues below(?: advertisement)?|read more"
    r"|(?:sign up|subscribe)(?: now| here| today)?|share|follow|newsletter"
    r"|continue reading(?: below)?|scroll to continue(?: with content)?|more|also)\W*$",
    re.I,
)
_CALL_TO_ACTION_RE = re.compile(
    r"^(?:please )?(?:follow (?:us|[\w ]{1,30} on (?:twitter|x|facebook|instagram|telegram|tiktok|linkedin|youtube"
    r"|threads|bluesky|whatsapp|google news))\b|like us on|find us on|click here|tap here|subscribe\b|sign up\b"
    r"|join (?:us|our)\b|download (?:our|the [\w ]{1,20} app)|get (?:our|the latest)\b"
    r"|get the [\w’' ]{1,30}(?:newsletter|briefing|bulletin|digest)\b"
    r"|share (?:this (?:article|story|post|page)|on (?:facebook|twitter|x|whatsapp|linkedin|email))\b"
    r"|don'?t miss|never miss|for more (?:news|stories|updates)|to (?:receive|get) (?:our|the latest))",
    re.I,
)
_CREDIT_LABEL_RE = re.compile(
    r"^\(?(?:(?:(?:main|top|header|featured|file|lead) )?(?:image|photo|photograph|picture|pic|illustration|video)s?"
    r"(?: (?:credit|courtesy|source))?s?|credits?)\s*[:：|/]",
    re.I,
)
_CREDIT_BY_RE = re.compile(r"^\(?(?:photo|image|picture|illustration)s? (?:by|courtesy of|credit)\b", re.I)
# A linked headline tagged with what it leads to: "Crowds gather at the port [VIDEO]" (the tag is shouted, not a source)
_TEASER_TAG_RE = re.compile(r"\[[A-Z]{3,}(?: [A-Z]{2,})?\][^\w.!?]*$")
_AGENCY_CREDIT_RE = re.compile(r"\b(?:getty images|shutterstock|istock(?:photo)?|ap photo|alamy|epa-efe)\b", re.I)

_REPOST_NOTE_RE = re.compile(
    r"^this (?:article|story|post|piece) (?:was |is )?(?:originally |first )?(?:published|appeared|posted|reprinted|republished)\b",
    re.I,
)
# Without "this article" the same words open prose ("First published in 1902, the paper..."): short lines only.
_SHORT_REPOST_NOTE_RE = re.compile(
    r"^(?:(?:originally|first) (?:published|appeared|posted) (?:on|by|at|in)|(?:re)?published with permission"
    r"|reprinted (?:with permission|from)|republished from)\b",
    re.I,
)
_COPYRIGHT_NOTICE_RE = re.compile(r"^(?:©|\(c\)|copyright\s*(?:©|\(c\)|\d{4}))|\ball rights reserved\b", re.I)
_DISCLAIMER_LABEL_RE = re.compile(r"^\W*(disclaimer|statement|declaration|legal notice)\s*(?:[:：\-–—\]]|$)", re.I)
_DISCLAIMER_CUES = {
    "copyright": re.compile(r"\bcopyright", re.I),
    "infringement": re.compile(r"\binfring", re.I),
    "original author": re.compile(r"\boriginal (?:author|source|owner|publisher|text)s?\b", re.I),
    "reposting": re.compile(r"\b(?:re-?post|reprint|republish|reproduc|re-?shar|transferred from)\w*", re.I),
    "reference only": re.compile(r"\bfor (?:\w+['’]? )?(?:reference|information(?:al)?)(?: purposes)? only\b", re.I),
    "rights kept": re.compile(r"\b(?:all|every) rights? (?:reserved|remains?|stays?|belongs?)\b|\brights? (?:remains?|stays?|belongs?) (?:with|to)\b", re.I),
    "not advice/views": re.compile(r"\bdo(?:es)? not (?:necessarily )?(?:constitute|represent|reflect)\b", re.I),
    "advice": re.compile(r"\b(?:investment|financial|legal|medical|professional|tax) advice\b", re.I),
    "contact us": re.compile(r"\bcontact (?:us|the (?:editor|webmaster|site))\b", re.I),
    "deletion": re.compile(r"\b(?:delet(?:e|ed|ion)|remov(?:e|ed|al)|take(?:n)? (?:it )?down)\b", re.I),
    "views expressed": re.compile(r"\b(?:views|opinions) (?:expressed|of the author)", re.I),
    "responsibility": re.compile(r"\b(?:not responsible|no responsibility|not liable|not an endorsement)\b", re.I),
}
_SELF_REFERENCE_RE = re.compile(
    r"\b(?:this|our) (?:article|post|content|page|(?:web)?site|story|piece|platform|material|information)s?\b", re.I
)

# Words a site uses to pitch itself to the reader; trusted mid-text only on lines the outlet repeats.
_READER_PITCH_RE = re.compile(
    r"\b(?:in|to) your inbox\b|\bnewsletters?\b|\bsubscri(?:be|ption)\b|\bsign up\b|\bpodcast\b|\bour app\b|\bfollow us\b",
    re.I,
)

_INLINE_BREAK_RE = re.compile(r"(?:\.\.\.|…|[.!?][\"'”’)\]]*)\s+")


# --- lines --------------------------------------------------------------------


def _split_lines(text: str) -> list[_Line]:
    """Non-empty lines with their offsets in ``text`` (surrounding blanks excluded)."""
    lines: list[_Line] = []
    for match in re.finditer(r"[^\r\n]+", text):
        raw = match.group()
        stripped = raw.strip()
        if not stripped:
            continue
        start = match.start() + len(raw) - len(raw.lstrip())
        # whitespace-separated words: a cheap count that is all the shape rules need
        lines.append(_Line(len(lines), start, start + len(stripped), stripped, len(stripped.split())))
    return lines


_INNER_TIMESTAMP_LABEL_RE = re.compile(r"\s(?:first |last )?(?:post(?:ed)?|published|updated)\b", re.I)


def _split_joined_header(lines: list[_Line]) -> list[_Line]:
    """Split a header line in which extraction joined a label and a timestamp ("World Posted: 3 May")."""
    out: list[_Line] = []
    for line in lines:
        parts = _label_and_timestamp(line) if line.index < HEADER_LINES and line.word_count <= 16 else None
        out.extend(parts or [line])
    return [_Line(index, x.start, x.end, x.text, x.word_count) for index, x in enumerate(out)]


def _label_and_timestamp(line: _Line) -> list[_Line] | None:
    if _timestamp(line):  # "Last updated ..." is one timestamp, not a label "Last"
        return None
    for match in _INNER_TIMESTAMP_LABEL_RE.finditer(line.text):
        head_text, tail_text = line.text[: match.start()].rstrip(), line.text[match.start() + 1 :]
        head = _Line(line.index, line.start, line.start + len(head_text), head_text, len(head_text.split()))
        tail = _Line(line.index, line.end - len(tail_text), line.end, tail_text, len(tail_text.split()))
        if _category_label(head) and _timestamp(tail):
            return [head, tail]
    return None


def _is_prose(line: _Line) -> bool:
    return line.word_count >= 8 or line.text[-1] in ".!?\"”"


# --- rules: each returns evidence (why) or None --------------------------------


def _social_embed(line: _Line) -> str | None:
    link = _SOCIAL_LINK_RE.search(line.text) if "/" in line.text else None  # cheap guard: no slash, no link
    if link and line.word_count <= EMBED_MAX_WORDS:
        return f"short line carrying a social post link ({link.group()})"
    if _SIGNATURE_RE.match(line.text) and line.word_count <= 20:
        return "post signature: dash, name, (@handle)"
    marker = _EMBED_MARKER_RE.match(line.text)
    if marker and line.word_count <= 30:
        return f"embed marker {marker.group()!r}"
    return None


def _labelled_line(line: _Line) -> tuple[str, str] | None:
    """Lines whose own label says they are not report text; safe anywhere."""
    if line.word_count > 30:
        return None
    if _STANDALONE_PROMO_RE.match(line.text):
        return "promo", "line is only a promo marker"
    label = _LABELLED_PROMO_RE.match(line.text) or (_TEASER_TAG_RE.search(line.text) if line.word_count <= 20 else None)
    if label:
        return "promo", f"promo label {label.group().strip()!r}"
    label = _CREDIT_LABEL_RE.match(line.text) or _CREDIT_BY_RE.match(line.text)
    if label and line.word_count <= 25:
        return "image-credit", f"credit label {label.group().strip()!r}"
    agency = _AGENCY_CREDIT_RE.search(line.text) if line.word_count <= 10 else None
    if agency and not line.text.endswith("."):
        return "image-credit", f"short line naming a picture agency ({agency.group()})"
    return None


def _timestamp(line: _Line) -> str | None:
    if line.word_count > 16:
        return None
    label = _TIMESTAMP_LABEL_RE.match(line.text)
    rest = _BY_TAIL_RE.sub("", line.text[label.end() :] if label else line.text)
    tokens = _DATE_TOKEN_RE.findall(rest)
    alpha = [t.lower() for t in tokens if t[0].isalpha()]
    numbers = [t for t in tokens if t[0].isdigit()]
    if not numbers or any(word not in _DATE_WORDS for word in alpha) or not all(map(_date_or_time_number, numbers)):
        return None
    if label:
        return f"label {label.group().strip()!r} followed only by date/time tokens"
    if any(word in _MONTHS for word in alpha) or any(not n.isdigit() for n in numbers):
        return "line holds only date/time tokens"
    return None


def _date_or_time_number(token: str) -> bool:
    """Parts of 1, 2 or 4 digits ("2025-06-03", "14:05"); a phone number ("02-751-1500") has a 3-digit part."""
    return token.isdigit() or all(len(part) in (1, 2, 4) for part in re.findall(r"\d+", token))


def _category_label(line: _Line) -> str | None:
    text = line.text
    if len(text) > 40 or text[-1] in _SENTENCE_END_CHARS or any(ch.isdigit() for ch in text):
        return None
    tokens = text.split()
    names = [t for t in tokens if t.lower() not in _LABEL_SEPARATORS]
    max_names = 6 if len(names) < len(tokens) else 4
    if not names or len(names) > max_names or names[0].lower() == "by":  # a byline credits the author: keep it
        return None
    if not all(name[0].isupper() for name in names):
        return None
    return f"short label line ({len(names)} capitalised words, no sentence punctuation) above the first paragraph"


def _disclaimer(line: _Line) -> str | None:
    if line.word_count > 150:
        return None
    label = _DISCLAIMER_LABEL_RE.match(line.text)
    if label and label.group(1).lower() == "disclaimer":
        return "line labelled 'disclaimer'"
    cues = [name for name, pattern in _DISCLAIMER_CUES.items() if pattern.search(line.text)]
    # A report about a copyright case has the vocabulary too; a disclaimer also talks about the site itself.
    self_reference = label or _SELF_REFERENCE_RE.search(line.text) or "contact us" in cues
    if len(cues) >= 2 and self_reference:
        return f"disclaimer cues ({', '.join(cues)}) in a line that refers to the site or article itself"
    return None


def _zone_chrome(line: _Line) -> tuple[str, str] | None:
    """Chrome that is only trusted in the first or last lines of the text."""
    if (why := _timestamp(line)) is not None:
        return "timestamp", why
    note = _REPOST_NOTE_RE.match(line.text) if line.word_count <= 40 else None
    if note is None and line.word_count <= 8:
        note = _SHORT_REPOST_NOTE_RE.match(line.text)
    if note is not None:
        return "disclaimer", f"repost note {note.group()!r}"
    if (why := _disclaimer(line)) is not None:
        return "disclaimer", why
    if line.word_count <= 25 and (notice := _COPYRIGHT_NOTICE_RE.search(line.text)):
        return "site-boilerplate", f"copyright notice {notice.group()!r}"
    if line.word_count <= 40 and (call := _CALL_TO_ACTION_RE.match(line.text)):
        return "promo", f"call to action {call.group()!r}"
    return None


# --- passes -----------------------------------------------------------------------

_Verdicts = dict[int, tuple[str, str]]  # line index -> (reason, evidence)


def _judge_anywhere(lines: list[_Line], verdicts: _Verdicts) -> None:
    for line in lines:
        if line.index in verdicts:
            continue
        if (why := _social_embed(line)) is not None:
            verdicts[line.index] = ("social-embed", why)
            _take_signed_post(lines, line, verdicts)
        elif (labelled := _labelled_line(line)) is not None:
            verdicts[line.index] = labelled
    for line, following in zip(lines, lines[1:]):
        if line.index not in verdicts and following.index not in verdicts:
            if (why := _repeated_by_next(line.text, following.text)) is not None:
                verdicts[line.index] = ("duplicate-caption", why)


def _take_signed_post(lines: list[_Line], line: _Line, verdicts: _Verdicts) -> None:
    """A signature's post text sits just above it, even when it carries no link."""
    if not _SIGNATURE_RE.match(line.text) or line.index == 0:
        return
    above = lines[line.index - 1]
    if above.index not in verdicts and above.word_count <= EMBED_MAX_WORDS:
        verdicts[above.index] = ("social-embed", "text of the post signed on the next line")


def _repeated_by_next(text: str, following: str) -> str | None:
    if len(text) < MIN_COPY_CHARS:
        return None
    if text == following:
        return "line printed twice in a row"
    for ellipsis in ("...", "…"):
        prefix = text[: -len(ellipsis)].rstrip()
        if text.endswith(ellipsis) and len(prefix) >= MIN_COPY_CHARS and following.startswith(prefix):
            return "truncated copy of the next line"
    return None


def _judge_zones(lines: list[_Line], verdicts: _Verdicts) -> None:
    above_first_paragraph = True
    for line in lines[:HEADER_LINES]:
        if line.index in verdicts:
            continue
        if above_first_paragraph:
            verdict = _zone_chrome(line) or _as_verdict("category-label", _category_label(line))
            above_first_paragraph = verdict is not None or not _is_prose(line)
        else:  # once the report has begun, only a line that is nothing but a date is trusted
            verdict = _as_verdict("timestamp", _timestamp(line))
        if verdict is not None:
            verdicts[line.index] = verdict
    for line in lines[-FOOTER_LINES:]:
        if line.index not in verdicts and (verdict := _zone_chrome(line)) is not None:
            verdicts[line.index] = verdict


def _as_verdict(reason: str, why: str | None) -> tuple[str, str] | None:
    return None if why is None else (reason, why)


def _judge_memory(
    lines: list[_Line], verdicts: _Verdicts, memory: BoilerplateMemory, outlet: str, min_articles: int
) -> None:
    counts = {line.index: memory.article_count(outlet, line.text) for line in lines}
    known = {index for index, count in counts.items() if count >= min_articles}
    if len(known) * 2 > len(lines):
        return  # most of this text was seen before: it is a copy of earlier articles, not chrome
    # Outlets reuse background paragraphs; only known lines at the very edge of the text are chrome,
    # or known lines too short to be prose.
    edges = _edge_run(lines[:HEADER_LINES], verdicts, known) | _edge_run(lines[-FOOTER_LINES:][::-1], verdicts, known)
    for index in sorted(known - set(verdicts)):
        line = lines[index]
        pitch = _READER_PITCH_RE.search(line.text) if line.word_count <= 25 else None
        if index in edges or not _is_prose(line) or pitch:
            why = f"line seen in {counts[index]} articles of outlet {outlet!r} (threshold {min_articles})"
            verdicts[index] = ("site-boilerplate", why + (f", pitches to the reader ({pitch.group()!r})" if pitch else ""))


def _edge_run(lines: list[_Line], verdicts: _Verdicts, known: set[int]) -> set[int]:
    """Indices of the unbroken run of removed-or-known lines from the start of ``lines``."""
    run: set[int] = set()
    for line in lines:
        if line.index not in verdicts and line.index not in known:
            break
        run.add(line.index)
    return run


def _inline_copies(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of sentences whose copy follows at once, e.g. a caption printed twice."""
    breaks = list(_INLINE_BREAK_RE.finditer(text))
    starts = {0} | {b.end() for b in breaks}
    copies: list[tuple[int, int]] = []
    for brk in breaks:
        truncated = brk.group().startswith(("...", "…"))
        copy_end = brk.start() if truncated else brk.start() + len(brk.group().rstrip())
        follow = brk.end()
        key = text[follow : follow + MIN_COPY_CHARS]
        if len(key) < MIN_COPY_CHARS or (copies and brk.start() < copies[-1][1]):
            continue
        low = copies[-1][1] if copies else 0
        pos = text.find(key, low, copy_end)
        while pos != -1:
            if pos in starts and text.startswith(text[pos:copy_end], follow):
                copies.append((pos, follow))
                break
            pos = text.find(key, pos + 1, copy_end)
    return copies


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return "".join(pieces).strip()


# --- entry point --------------------------------------------------------------------


def clean_text(
    text: str,
    *,
    title: str | None = None,
    outlet: str | None = None,
    memory: BoilerplateMemory | None = None,
    min_articles: int = 3,
) -> CleanResult:
    """Remove site chrome from extracted ``text``; every removal is returned with its reason.

    Steps:
    1. cut the text into lines with their offsets (a header label joined to its timestamp makes two);
    2. drop the first line when it repeats the title;
    3. judge lines that are chrome anywhere (embeds, repeats, labelled lines);
    4. judge the header and footer lines (labels, timestamps, disclaimers, promo);
    5. judge lines the outlet repeats across articles (``memory``);
    6. cut in-paragraph duplicate captions from the kept lines and join them.
    """
    lines = _split_joined_header(_split_lines(text))
    verdicts: _Verdicts = {}
    if lines and title and normalise_for_hash(lines[0].text) == normalise_for_hash(title):
        verdicts[0] = ("title-repeat", "first line repeats the title")
    _judge_anywhere(lines, verdicts)
    _judge_zones(lines, verdicts)
    if memory is not None and outlet:
        _judge_memory(lines, verdicts, memory, outlet, min_articles)
    return _assemble(lines, verdicts)


def _assemble(lines: list[_Line], verdicts: _Verdicts) -> CleanResult:
    kept: list[str] = []
    removed: list[RemovedSpan] = []
    for line in lines:
        if line.index in verdicts:
            reason, why = verdicts[line.index]
            removed.append(RemovedSpan(line.start, line.end, line.text, reason, why))
            continue
        copies = _inline_copies(line.text)
        for start, end in copies:
            removed.append(RemovedSpan(line.start + start, line.start + end, line.text[start:end], "duplicate-caption",
                                       "sentence immediately repeated in the same paragraph"))
        kept.append(_cut(line.text, copies))
    return CleanResult(text="\n\n".join(kept), removed=removed)


def clean_article(article, *, memory: BoilerplateMemory | None = None, min_articles: int = 3) -> None:
    """Clean ``article.extracted_text`` into ``article.text`` and ``article.removed`` (the one way every caller does it)."""
    result = clean_text(article.extracted_text, title=article.title, outlet=article.outlet,
                        memory=memory, min_articles=min_articles)
    article.text, article.removed = result.text, result.removed
