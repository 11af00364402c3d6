"""ICP-as-code: the versioned `icp.yaml` rules file and the vectorised scorer that applies it.

A `FitRules` file lists criteria (attribute + value set or numeric range + points),
disqualifiers, tier cut-offs on the points total and the fields an account must have to be
scored at all. `score_frame` turns any account table into tier, 0–100 fit score and a short
signals text; `tools.exports.to_sql` emits SQL that computes exactly the same columns. Both share
the matching rules written here: categories match case-insensitively after trimming spaces,
multi-valued cells are `;`-joined lists, ranges are inclusive, and a missing required field
gives the tier "Insufficient data" instead of a low score.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tools.errors import InputError

SIGNALS_MAX = 1023
TIER_NAMES = ("Tier 1", "Tier 2", "Tier 3")
DISQUALIFIED = "Disqualified"
NOT_ICP = "Not ICP"
INSUFFICIENT = "Insufficient data"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RuleCriterion(_Model):
    """One rule: `attribute` in `values` (category / multi 'contains') or low <= x <= high."""

    id: str
    attribute: str
    kind: Literal["category", "multi", "range"]
    signal: str  # short words shown in the signals text, e.g. "FinTech", "50–200 employees"
    values: list[str] = Field(default_factory=list)
    low: float | None = None
    high: float | None = None
    points: int = 0
    tier: int | None = None  # the tier that introduced the criterion (for the document)
    pattern_id: str | None = None
    stat_ids: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_shape(self) -> RuleCriterion:
        if self.kind == "range":
            if self.low is None and self.high is None:
                raise ValueError(f"criterion {self.id}: a range needs low and/or high")
            if self.low is not None and self.high is not None and self.low > self.high:
                raise ValueError(f"criterion {self.id}: low {self.low} > high {self.high}")
        elif not self.values:
            raise ValueError(f"criterion {self.id}: a {self.kind} criterion needs values")
        return self


class Cutoffs(_Model):
    """Minimum points for each tier; checked from Tier 1 down."""

    tier_1: int
    tier_2: int
    tier_3: int

    @model_validator(mode="after")
    def _ordered(self) -> Cutoffs:
        if not self.tier_1 >= self.tier_2 >= self.tier_3 >= 1:
            raise ValueError("cut-offs must satisfy tier_1 >= tier_2 >= tier_3 >= 1")
        return self


class Provenance(_Model):
    data_sha256: str = ""
    as_of: date | None = None
    generated_at: str = ""
    generator: str = "icp-workshop"


class TraitBaseline(_Model):
    """Distribution of a rule attribute in the data the rules were learned on (for drift)."""

    attribute: str
    kind: Literal["category", "multi", "range"]
    bins: list[str]  # category values / "low..high" edges; "(other)" and "(missing)" included
    shares: list[float]
    edges: list[float] = Field(default_factory=list)


class FitRules(_Model):
    version: int = 1
    name: str = "ICP fit rules"
    provenance: Provenance = Field(default_factory=Provenance)
    id_column: str = "account_id"
    domain_column: str = "domain"
    criteria: list[RuleCriterion] = Field(default_factory=list)
    disqualifiers: list[RuleCriterion] = Field(default_factory=list)
    cutoffs: Cutoffs = Field(default_factory=lambda: Cutoffs(tier_1=1, tier_2=1, tier_3=1))
    required_fields: list[str] = Field(default_factory=list)
    baseline: list[TraitBaseline] = Field(default_factory=list)
    tier_baseline: dict[str, dict[str, float | None]] = Field(default_factory=dict)

    @property
    def max_points(self) -> int:
        """Most points an account can score: sums per multi attribute, max per other attribute."""
        per_attr: dict[str, int] = {}
        for c in self.criteria:
            pts = max(c.points, 0)
            if c.kind == "multi":
                per_attr[c.attribute] = per_attr.get(c.attribute, 0) + pts
            else:
                per_attr[c.attribute] = max(per_attr.get(c.attribute, 0), pts)
        return max(sum(per_attr.values()), 1)

    def fields(self) -> list[str]:
        """Every account column the rules read, sorted."""
        names = {c.attribute for c in self.criteria + self.disqualifiers}
        return sorted(names | set(self.required_fields))


# ---------------------------------------------------------------- YAML round trip

_HEADER = """\
# icp.yaml: your Ideal Customer Profile as rules. Edit and re-run `icp score` to apply.
#   criteria:      each adds `points` when the account matches. kind: category (value in
#                  `values`, case-insensitive), multi (a ';'-separated cell contains a value),
#                  range (low <= number <= high; leave low or high empty for an open end).
#   disqualifiers: any match puts the account in "Disqualified" (fit score 0).
#   cutoffs:       minimum points for Tier 1 / Tier 2 / Tier 3; below tier_3 = "Not ICP".
#   required_fields: accounts missing any of these get "Insufficient data", not a low score.
#   fit score = 100 * points / (most points possible), rounded half up, capped at 100.
#   provenance and baseline are written by the tool: the data they came from (for drift).
"""


def save_rules(rules: FitRules, path: str | Path) -> Path:
    """Write rules as commented, human-editable YAML (stable key order)."""
    data = rules.model_dump(mode="json")
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    out = Path(path)
    out.write_text(_HEADER + body, encoding="utf-8")
    return out


def load_rules(path: str | Path) -> FitRules:
    """Read `icp.yaml`; bad YAML or bad fields raise InputError saying where and what to do."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read rules file: {exc.strerror}", file=str(p)) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
            file=str(p),
            row=None if mark is None else mark.line + 1,
            hint="check indentation and quoting on that line (values with ':' need quotes)",
        ) from exc
    if not isinstance(data, dict):
        raise InputError("rules file must be a YAML mapping", file=str(p), hint="see icp.yaml")
    try:
        return FitRules.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise InputError(
            f"invalid rule at '{where}': {first['msg']}",
            file=str(p),
            row=_line_of(text, first["loc"]),
            column=where,
            hint="fix the value (see the comment block at the top of the file)",
        ) from exc


def _line_of(text: str, loc: tuple[object, ...]) -> int | None:
    """Best-effort 1-based line of a pydantic error location in the YAML text."""
    try:
        node = yaml.compose(text)
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                node = next(v for k, v in node.value if k.value == part)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                node = node.value[part]
            else:
                break
        if node is None:  # empty YAML document: no line to point at
            return None
        return node.start_mark.line + 1
    except (StopIteration, IndexError, yaml.YAMLError, AttributeError):
        return None


# ---------------------------------------------------------------- scoring


def norm_text(s: pd.Series) -> pd.Series:
    """Category cell as compared by rules and SQL: text, spaces trimmed, lower case."""
    return s.astype("string").str.strip(" ").str.lower()


def norm_multi(s: pd.Series) -> pd.Series:
    """Multi-valued cell as ';a;b;' (tuples joined with ';'), matching the SQL normalisation."""
    if s.dtype == object:
        is_seq = s.map(lambda v: isinstance(v, (tuple, list)))
        if bool(is_seq.any()):
            joined = s[is_seq].map(lambda v: ";".join(str(x) for x in v))
            s = joined.combine_first(s.where(~is_seq))
    t = s.astype("string").str.lower().str.strip(" ")
    t = t.str.replace("; ", ";", regex=False).str.replace(" ;", ";", regex=False)
    return ";" + t + ";"


def _numeric(df: pd.DataFrame, col: str) -> pd.Series:
    raw = df[col]
    num = pd.to_numeric(raw, errors="coerce").astype("float64")
    bad = num.isna() & raw.notna()
    if raw.dtype == object or pd.api.types.is_string_dtype(raw):
        bad = bad & (raw.astype("string").str.strip(" ") != "")
    if bool(bad.any()):
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 1
        raise InputError(
            f"'{raw[bad].iloc[0]}' is not a number",
            row=row,
            column=col,
            hint="clean the column to plain numbers (or load the file through `icp score`)",
        )
    return num


def _missing(df: pd.DataFrame, c_kind: str, col: str) -> pd.Series:
    if col not in df.columns:
        return pd.Series(True, index=df.index)
    if c_kind == "range":
        return _numeric(df, col).isna()
    if c_kind == "multi":
        return norm_multi(df[col]).fillna(";;").eq(";;")
    return norm_text(df[col]).fillna("").eq("")


def match(df: pd.DataFrame, c: RuleCriterion) -> np.ndarray:
    """Boolean array: which rows meet the criterion (missing data never matches)."""
    if c.attribute not in df.columns:
        return np.zeros(len(df), dtype=bool)
    if c.kind == "range":
        x = _numeric(df, c.attribute)
        hit = x.notna()
        if c.low is not None:
            hit &= x >= c.low
        if c.high is not None:
            hit &= x <= c.high
        return hit.fillna(False).to_numpy(dtype=bool)
    wanted = [v.strip(" ").lower() for v in c.values]
    if c.kind == "multi":
        norm = norm_multi(df[c.attribute])
        hit = pd.Series(False, index=df.index)
        for v in wanted:
            hit |= norm.str.contains(f";{v};", regex=False).fillna(False)
        return hit.to_numpy(dtype=bool)
    return norm_text(df[c.attribute]).isin(wanted).fillna(False).to_numpy(dtype=bool)


def _append(signals: pd.Series, hit: np.ndarray, text: str) -> pd.Series:
    return signals.where(~hit, signals + (", " + text))


def coverage(rules: FitRules, df: pd.DataFrame) -> list[tuple[str, int, bool]]:
    """(field, rows lacking it, required?) for every field the rules read that some row lacks;
    a field absent from `df` is lacking in every row. Sorted by field name."""
    kinds = {c.attribute: c.kind for c in rules.criteria + rules.disqualifiers}
    required = set(rules.required_fields)
    out = []
    for f in rules.fields():
        lacking = int(_missing(df, kinds.get(f, "category"), f).sum())
        if lacking:
            out.append((f, lacking, f in required))
    return out


def score_frame(rules: FitRules, df: pd.DataFrame) -> pd.DataFrame:
    """Score every row: id/domain columns, tier, fit_score (0–100, empty when not scorable),
    points and signals text (< 1,024 characters). Rows keep their input order."""
    n = len(df)
    points = np.zeros(n, dtype=np.int64)
    signals = pd.Series("", index=df.index, dtype="string")
    for c in rules.criteria:
        hit = match(df, c)
        points += np.where(hit, c.points, 0)
        signals = _append(signals, hit, f"+ {c.signal}")
    disq = np.zeros(n, dtype=bool)
    for c in rules.disqualifiers:
        hit = match(df, c)
        disq |= hit
        signals = _append(signals, hit, f"− {c.signal}")
    missing = np.zeros(n, dtype=bool)
    kinds = {c.attribute: c.kind for c in rules.criteria + rules.disqualifiers}
    for f in rules.required_fields:
        missing |= _missing(df, kinds.get(f, "category"), f).to_numpy(dtype=bool)
    tier = np.select(
        [
            disq,
            missing,
            points >= rules.cutoffs.tier_1,
            points >= rules.cutoffs.tier_2,
            points >= rules.cutoffs.tier_3,
        ],
        [DISQUALIFIED, INSUFFICIENT, *TIER_NAMES],
        default=NOT_ICP,
    )
    m = rules.max_points
    score = np.minimum((200 * np.maximum(points, 0) + m) // (2 * m), 100)
    fit = pd.array(np.where(disq, 0, score), dtype="Int64")
    fit[missing & ~disq] = pd.NA
    out = pd.DataFrame(index=df.index)
    for col in (rules.id_column, "name", rules.domain_column):
        if col in df.columns:
            out[col] = df[col].astype("string")
    out["tier"] = tier
    out["fit_score"] = fit
    out["points"] = points
    out["signals"] = signals.str.slice(2, 2 + SIGNALS_MAX)
    return out.reset_index(drop=True)
