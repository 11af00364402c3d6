"""The statistics register and the one rounding rule every number in prose follows.

Every number a document shows is produced by `format_value` from a `Stat`; the numbers gate in
`evals/` applies the same rule backwards. Citation markers are Markdown footnotes `[^s-…]`,
`[^q-…]`. Keep this module the single source of that convention.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from tools.ids import ID_PATTERN, stat_id
from tools.models import Stat, Unit

CITE_RE = re.compile(r"\[\^(" + ID_PATTERN + r")\]")
NUMBER_RE = re.compile(r"(?<![\w.^-])[-−]?\$?\d[\d,]*(?:\.\d+)?(?:[kKM%×x]|\b)")

ROUNDING_RULE = (
    "Percentages are shown as whole percent (half away from zero); ratios and lifts with one "
    "decimal and ×; money as $ with k/M suffix and up to 3 significant figures; counts, days "
    "and years as integers; scores and other numbers with one decimal; p- and q-values with 2 "
    "significant figures, or <0.001."
)


def _round_half_up(x: float, nd: int = 0) -> float:
    q = 10**nd
    return math.floor(abs(x) * q + 0.5) / q * (1 if x >= 0 else -1)


def _money(x: float) -> str:
    sign = "-" if x < 0 else ""
    x = abs(x)
    if x >= 1_000_000:
        return f"{sign}${_sig(x / 1_000_000)}M"
    if x >= 10_000:
        return f"{sign}${_sig(x / 1_000)}k"
    return f"{sign}${int(_round_half_up(x)):,}"


def _sig(x: float) -> str:
    """Up to 3 significant figures, no trailing zeros."""
    if x >= 100:
        return str(int(_round_half_up(x)))
    if x >= 10:
        return f"{_round_half_up(x, 1):.1f}".rstrip("0").rstrip(".")
    return f"{_round_half_up(x, 2):.2f}".rstrip("0").rstrip(".")


def format_value(value: float | None, unit: Unit) -> str:
    """Render a statistic's value by the declared rounding rule."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if unit == "pct":
        return f"{int(_round_half_up(value * 100))}%"
    if unit == "ratio":
        if math.isinf(value):
            return "∞×"
        return f"{_round_half_up(value, 1):.1f}×"
    if unit == "money":
        return _money(value)
    if unit in ("count", "days", "years"):
        return f"{int(_round_half_up(value)):,}"
    if unit == "pvalue":
        return "<0.001" if value < 0.001 else f"{value:.2g}"
    return f"{_round_half_up(value, 1):.1f}"


def format_stat(stat: Stat) -> str:
    return format_value(stat.value, stat.unit)


def cite(*ids: str) -> str:
    """Footnote markers for the given ids, de-duplicated, in order."""
    seen: list[str] = []
    for i in ids:
        if i and i not in seen:
            seen.append(i)
    return "".join(f"[^{i}]" for i in seen)


def rendered_numbers(stat: Stat, with_bounds: bool = True) -> set[str]:
    """All number strings a sentence citing `stat` may contain (value, CI bounds, n, extras).

    `with_bounds=False` leaves out the interval bounds (for text that does not talk about an
    interval, where a bound shown alone would read as the value).
    """
    out = {_strip(format_stat(stat)), _strip(format_value(stat.n, "count"))}
    for bound in (stat.ci_low, stat.ci_high) if with_bounds else ():
        if bound is not None:
            out.add(_strip(format_value(bound, stat.unit)))
    for v in stat.extra.get("shown", []):
        out.add(_strip(str(v)))
    # Numbers written in the statistic's own definition (e.g. a range "50–200 employees" or
    # "top 20%") are traceable to the cited record too.
    for m in NUMBER_RE.finditer(stat.definition):
        out.add(_strip(m.group(0)))
    return out


def _strip(token: str) -> str:
    """Normalise a number token for comparison: drop $, %, ×, k/M kept, commas removed."""
    return token.replace(",", "").replace("−", "-").lstrip("<>").strip()


def normalise_number_token(token: str) -> str:
    return _strip(token)


class StatBook:
    """Collects statistics by key; adding the same key twice returns the first (idempotent)."""

    def __init__(self) -> None:
        self._by_id: dict[str, Stat] = {}

    def add(
        self,
        key: str,
        definition: str,
        value: float | None,
        n: int,
        unit: Unit,
        ci_low: float | None = None,
        ci_high: float | None = None,
        **extra: object,
    ) -> Stat:
        sid = stat_id(key)
        if sid in self._by_id:
            return self._by_id[sid]
        if value is not None and isinstance(value, float) and math.isnan(value):
            value = None
        stat = Stat(
            id=sid,
            key=key,
            definition=definition,
            value=None if value is None else float(value),
            n=int(n),
            unit=unit,
            ci_low=ci_low,
            ci_high=ci_high,
            extra=dict(extra),
        )
        self._by_id[sid] = stat
        return stat

    def extend(self, stats: Iterable[Stat]) -> None:
        for s in stats:
            self._by_id.setdefault(s.id, s)

    def get(self, sid: str) -> Stat:
        return self._by_id[sid]

    def by_key(self, key: str) -> Stat | None:
        """The statistic registered under `key`, if any."""
        return self._by_id.get(stat_id(key))

    def __contains__(self, sid: object) -> bool:
        return sid in self._by_id

    def all(self) -> list[Stat]:
        return sorted(self._by_id.values(), key=lambda s: s.key)
