"""What leaves the machine: e-mail addresses and phone numbers masked, names pseudonymised.

`mask_pii` is applied to every piece of interview text put into a prompt. `Pseudonyms` replaces
account names that the model does not need with stable labels ("Account A") and maps them back
in anything the model writes, so the document still names the real account.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# Phone numbers: optional +country, then 7+ digits with the usual separators.
PHONE_RE = re.compile(
    r"(?<![\w])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,4}){1,4}(?![\w])"
)


def mask_pii(text: str) -> str:
    """Replace e-mail addresses with `[email]` and phone numbers with `[phone]`."""
    text = EMAIL_RE.sub("[email]", text)
    return PHONE_RE.sub(lambda m: "[phone]" if _looks_like_phone(m.group(0)) else m.group(0), text)


def _looks_like_phone(token: str) -> bool:
    digits = sum(c.isdigit() for c in token)
    return digits >= 7


def _label(i: int) -> str:
    letters = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        letters = chr(65 + r) + letters
    return f"Account {letters}"


class Pseudonyms:
    """Stable two-way mapping between real names and `Account A`, `Account B`, …"""

    def __init__(self, names: Iterable[str]) -> None:
        uniq = sorted({n.strip() for n in names if n and n.strip()}, key=lambda n: (-len(n), n))
        self.forward = {n: _label(i) for i, n in enumerate(sorted(set(uniq)))}
        self._order = uniq  # longest first so "Acme Corp" wins over "Acme"

    def hide(self, text: str) -> str:
        for name in self._order:
            text = re.sub(re.escape(name), self.forward[name], text, flags=re.IGNORECASE)
        return text

    def reveal(self, text: str) -> str:
        back = sorted(self.forward.items(), key=lambda kv: -len(kv[1]))
        for name, label in back:
            text = re.sub(rf"\b{re.escape(label)}\b", name, text)
        return text
