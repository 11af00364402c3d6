"""Stable, content-derived ids for statistics, evidence and personas.

An id is a short prefix plus the first hex digits of a sha256 over what the thing *is* (a stat's
key, an evidence item's source and span), so reruns and reorderings give identical ids.
"""

from __future__ import annotations

import hashlib

ID_PATTERN = r"(?:s|q|p)-[0-9a-f]{8}"


def _digest(*parts: object) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(str(part).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:8]


def stat_id(key: str) -> str:
    """Id of a statistic from its key (what is measured, not its value)."""
    return f"s-{_digest('stat', key)}"


def evidence_id(source_sha256: str, start: int, end: int) -> str:
    """Id of a verbatim span from the source file's content hash and the span."""
    return f"q-{_digest('evidence', source_sha256, start, end)}"


def persona_id(decision_role: str, tier: str | None) -> str:
    return f"p-{_digest('persona', decision_role, tier or '-')}"


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
