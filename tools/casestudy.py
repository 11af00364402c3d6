"""Case-study prose: customer words are inside quotation marks with inline attribution.

Zulip-style studies write “…,” says Atolio’s co-founder and CTO Gareth Watts, or a pull quote
followed by `> — David Lanstein, co-founder and CEO of Atolio`. Here only the text inside the
quote marks is the customer's speech (exact offsets, trailing comma dropped); all prose is
narration. People, titles and companies come from the attributions, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUOTE_RE = re.compile(r"[“\"]([^“”\"\n]{3,}?)[”\"]")
PERSON = r"([A-Z][a-zA-Z’'-]+(?: (?:van|de|von|der|du|da)?\s?[A-Z][a-zA-Z’'-]+){1,3})"
BYLINE_RE = re.compile(rf"^>\s*[—–-]\s*{PERSON}(?:,\s*(.+?))?\s*$", re.MULTILINE)
VERBS = r"(?:says|said|explains|explained|recalls|notes|adds|continues|shares|remembers)"
AFTER_RE = re.compile(rf"\b{VERBS},?\s+([^,.;:“”\"\n]{{3,120}})")
BEFORE_RE = re.compile(rf"{PERSON}\s+{VERBS}\b")
TITLE_WORDS = re.compile(
    r"\b(cto|ceo|cfo|coo|cio|ciso|vp|vice president|head|director|founder|co-founder|owner|"
    r"manager|lead|engineer|developer|consultant|architect|president|chief|officer|partner|"
    r"administrator|admin|analyst|operations)\b",
    re.IGNORECASE,
)


@dataclass
class Person:
    name: str
    title: str | None = None
    company: str | None = None


@dataclass
class QuoteSpan:
    start: int
    end: int
    speaker: str | None


def _split_title(desc: str) -> tuple[str | None, str | None]:
    """'co-founder and CTO of Atolio' -> ('co-founder and CTO', 'Atolio'); 'Head of IT at X'."""
    desc = desc.strip().rstrip(".")
    if not TITLE_WORDS.search(desc):
        return None, None
    m = re.match(r"(.+)\s+at\s+(.+)$", desc)
    if m and TITLE_WORDS.search(m.group(1)):
        return m.group(1).strip(), m.group(2).strip()
    m = re.match(r"(.+)\s+of\s+(.+)$", desc)
    if m and not re.search(r"(?i)\b(head|director|vp|vice president|chief)$", m.group(1)):
        return m.group(1).strip(), m.group(2).strip()
    return desc, None


def _name_and_title(phrase: str) -> tuple[str, str | None] | None:
    """'Atolio’s co-founder and CTO Gareth Watts' -> ('Gareth Watts', 'co-founder and CTO')."""
    words = phrase.strip().split()
    name: list[str] = []
    while (
        words and re.match(r"^[A-Z][a-z][\w’'-]*$", words[-1]) and not TITLE_WORDS.search(words[-1])
    ):
        name.insert(0, words.pop())
    if len(name) < 2 or len(name) > 3:
        return None
    if words and words[0].endswith(("’s", "'s")):
        words = words[1:]
    pre = " ".join(words)
    return " ".join(name), (pre if pre and TITLE_WORDS.search(pre) else None)


def find_people(text: str) -> dict[str, Person]:
    """People named in bylines and inline attributions, with stated titles and companies."""
    people: dict[str, Person] = {}
    for m in BYLINE_RE.finditer(text):
        title, company = _split_title(m.group(2) or "")
        _merge(people, Person(m.group(1).strip(), title, company))
    for m in AFTER_RE.finditer(text):
        found = _name_and_title(m.group(1))
        if found:
            _merge(people, Person(found[0], found[1]))
    for m in re.finditer(
        rf"{PERSON},\s+(?:a |the )?([^,.“”\"]{{3,80}}?(?:of|at) [A-Z][\w ]+)", text
    ):
        title, company = _split_title(m.group(2))
        if title:
            _merge(people, Person(m.group(1).strip(), title, company))
    return people


def _merge(people: dict[str, Person], p: Person) -> None:
    first = p.name.split()[0]
    key = next(
        (
            k
            for k in people
            if k == p.name
            or k.split()[0] == first
            and len(p.name.split()) > 1
            and k.split()[-1] == p.name.split()[-1]
        ),
        p.name,
    )
    cur = people.setdefault(key, Person(key))
    cur.title = cur.title or p.title
    cur.company = cur.company or p.company


def _who(snippet: str, people: dict[str, Person]) -> str | None:
    """The person a snippet of prose names, full name first, then first name."""
    best: tuple[int, str] | None = None
    for name in people:
        for probe in (name, name.split()[0]):
            i = re.search(rf"\b{re.escape(probe)}\b", snippet)
            if i and (best is None or i.start() < best[0]):
                best = (i.start(), name)
    return best[1] if best else None


def quote_spans(text: str, base: int = 0) -> tuple[list[QuoteSpan], dict[str, Person]]:
    """Quoted spans outside headings, attributed to the person named next to them."""
    people = find_people(text)
    spans: list[QuoteSpan] = []
    last: str | None = None
    pos = 0
    for para in re.split(r"(\n\s*\n)", text):
        p0 = pos
        pos += len(para)
        if para.lstrip().startswith("#") or para.lstrip().startswith("<!--"):
            continue
        found = list(QUOTE_RE.finditer(para))
        for i, m in enumerate(found):
            s, e = m.start(1), m.end(1)
            while e > s and para[e - 1] in ", ":
                e -= 1
            nxt = found[i + 1].start() if i + 1 < len(found) else len(para)
            prev = found[i - 1].end() if i else 0
            after = para[m.end() : nxt]
            speaker = _who(after, people) if len(after.strip()) > 1 else None
            if speaker is None:
                speaker = _who(para[prev : m.start()], people) or last
            last = speaker
            if len(para[s:e].split()) >= 3:
                spans.append(QuoteSpan(base + p0 + s, base + p0 + e, speaker))
    return spans, people


def looks_like_case_study(text: str) -> bool:
    return bool(BYLINE_RE.search(text)) or len(AFTER_RE.findall(text)) >= 2
