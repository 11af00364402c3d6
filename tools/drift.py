"""Drift between the data an ICP was learned on and a new export, and what to recalibrate.

`baseline_for` summarises each rule attribute's distribution and each tier's share and churn
when the rules are learned; the summary is stored in `icp.yaml`, so `icp drift --rules icp.yaml
NEW_EXPORT` needs nothing else. `drift_report` computes the population stability index (PSI)
per trait, the change in tier share and churn, and the share of new customers and of newly
churned customers that fall outside the ICP, then says in plain words what to recalibrate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from tools.citations import StatBook
from tools.fitrules import (
    TIER_NAMES,
    FitRules,
    TraitBaseline,
    norm_multi,
    norm_text,
    score_frame,
)

TOP_VALUES = 10
EPS = 1e-4
PSI_MODERATE, PSI_MAJOR = 0.1, 0.25
OUTSIDE = ("Not ICP", "Disqualified")


class _M(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TraitDrift(_M):
    attribute: str
    psi: float
    level: str  # stable | moderate shift | major shift
    stat_id: str | None = None


class TierDrift(_M):
    tier: str
    old_share: float | None
    new_share: float
    old_churn: float | None
    new_churn: float | None


class DriftReport(_M):
    traits: list[TraitDrift] = Field(default_factory=list)
    tiers: list[TierDrift] = Field(default_factory=list)
    n_new_customers: int = 0
    new_outside_icp: float | None = None
    n_new_churned: int = 0
    churned_outside_icp: float | None = None
    advice: list[str] = Field(default_factory=list)


def _distribution(s: pd.Series, kind: str, bins: list[str], edges: list[float]) -> np.ndarray:
    """Shares over `bins` (last two are '(other)' and '(missing)' for text kinds)."""
    n = max(len(s), 1)
    if kind == "range":
        x = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)
        ok = ~np.isnan(x)
        counts: np.ndarray | list[int] = np.bincount(
            np.searchsorted(edges, x[ok], side="right"), minlength=len(edges) + 1
        )
        return np.append(counts, (~ok).sum()) / n
    if kind == "multi":
        t = norm_multi(s).fillna(";;").str.strip(";")
        missing = int(t.eq("").sum())
        vals = t[t != ""].str.split(";").explode()
    else:
        vals = norm_text(s).fillna("")
        missing = int(vals.eq("").sum())
        vals = vals[vals != ""]
    known = bins[:-2]
    counts = [int(vals.eq(b).sum()) for b in known]
    counts += [int(len(vals) - sum(counts)), missing]
    total = max(sum(counts), 1)
    return np.asarray(counts, dtype=float) / total


def baseline_for(rules: FitRules, accounts: pd.DataFrame) -> list[TraitBaseline]:
    """Distribution of each rule attribute in `accounts` (stored in icp.yaml for drift)."""
    kinds = {c.attribute: c.kind for c in rules.criteria + rules.disqualifiers}
    out = []
    for attr in rules.fields():
        if attr not in accounts.columns:
            continue
        kind, s = kinds.get(attr, "category"), accounts[attr]
        if kind == "range":
            x = pd.to_numeric(s, errors="coerce").dropna().to_numpy(dtype=float)
            qs = np.quantile(x, np.linspace(0.1, 0.9, 9)) if len(x) else np.array([])
            edges = [float(e) for e in np.unique(qs)]
            bins = [f"<{edges[0]:g}"] if edges else []
            bins += [f">={e:g}" for e in edges] + ["(missing)"] if edges else ["all", "(missing)"]
        else:
            t = norm_multi(s).fillna(";;").str.strip(";") if kind == "multi" else norm_text(s)
            vals = t.fillna("")
            if kind == "multi":
                vals = vals[vals != ""].str.split(";").explode()
            counts = vals[vals != ""].value_counts()
            table = pd.DataFrame({"v": counts.index.astype(str), "n": counts.to_numpy()})
            table = table.sort_values(["n", "v"], ascending=[False, True], kind="stable")
            bins, edges = table["v"].head(TOP_VALUES).tolist() + ["(other)", "(missing)"], []
        shares = _distribution(s, kind, bins, edges)
        out.append(TraitBaseline(attribute=attr, kind=kind, bins=bins, edges=edges,
                                 shares=[round(float(v), 6) for v in shares]))  # fmt: skip
    return out


def psi(old: np.ndarray, new: np.ndarray) -> float:
    """Population stability index between two share vectors (epsilon-smoothed)."""
    o, n = np.maximum(np.asarray(old, float), EPS), np.maximum(np.asarray(new, float), EPS)
    return float(np.sum((n - o) * np.log(n / o)))


def _tier_table(rules: FitRules, accounts: pd.DataFrame) -> dict[str, tuple[float, float | None]]:
    tiers = score_frame(rules, accounts)["tier"].to_numpy()
    churn = (
        accounts["churned"].astype("boolean").astype("Float64").to_numpy(float, na_value=np.nan)
        if "churned" in accounts.columns
        else np.full(len(accounts), np.nan)
    )
    out = {}
    for t in (*TIER_NAMES, *OUTSIDE):
        m = tiers == t
        c = churn[m]
        rate = float(np.nanmean(c)) if m.any() and np.isfinite(c).any() else None
        out[t] = (float(m.mean()) if len(m) else 0.0, rate)
    return out


def _outside_share(rules: FitRules, accounts: pd.DataFrame, mask: np.ndarray) -> float | None:
    if not mask.any():
        return None
    tiers = score_frame(rules, accounts[mask])["tier"]
    return float(tiers.isin(OUTSIDE).mean())


def _movers(
    old: pd.DataFrame | None, new: pd.DataFrame, rules: FitRules
) -> tuple[np.ndarray, np.ndarray]:
    """(new customers, newly churned) masks over `new`."""
    ids = new["account_id"].astype(str)
    churned = (
        new["churned"].astype("boolean").fillna(False).to_numpy(dtype=bool)
        if "churned" in new.columns
        else np.zeros(len(new), dtype=bool)
    )
    if old is not None:
        was = old.set_index(old["account_id"].astype(str))
        fresh = ~ids.isin(was.index).to_numpy()
        old_churn = ids.map(was["churned"].astype("boolean")) if "churned" in was else None
        before = np.zeros(len(new), bool) if old_churn is None else old_churn.fillna(False)
        return fresh, churned & ~np.asarray(before, dtype=bool)
    cut = pd.Timestamp(rules.provenance.as_of) if rules.provenance.as_of else None
    fresh = np.zeros(len(new), dtype=bool)
    if cut is not None and "start_date" in new.columns:
        fresh = (new["start_date"] > cut).fillna(False).to_numpy(dtype=bool)
    if cut is not None and "churn_date" in new.columns:
        churned = churned & (new["churn_date"] > cut).fillna(False).to_numpy(dtype=bool)
    return fresh, churned


def tier_baseline(rules: FitRules, accounts: pd.DataFrame) -> dict[str, dict[str, float | None]]:
    """Share and churn rate per tier on the learning data (stored in icp.yaml)."""
    return {
        t: {"share": round(s, 6), "churn_rate": None if c is None else round(c, 6)}
        for t, (s, c) in _tier_table(rules, accounts).items()
    }


def _advice(report: DriftReport) -> list[str]:
    out = [
        f"'{t.attribute}' has shifted (PSI {t.psi:.2f}): re-run the pattern analysis and "
        "check this criterion's values or range."
        for t in report.traits
        if t.psi >= PSI_MAJOR
    ]
    if report.new_outside_icp is not None and report.new_outside_icp > 0.5:
        out.append(
            "Most new customers fall outside the ICP: either sales is off-target or the market "
            "has moved; rebuild the ICP from the new export."
        )
    if report.churned_outside_icp is not None and report.churned_outside_icp < 0.5:
        out.append(
            "Most newly churned customers were inside the ICP: tighten Tier 1 criteria and "
            "review the negative ICP."
        )
    for t in report.tiers:
        if t.old_churn is not None and t.new_churn is not None and t.new_churn > t.old_churn + 0.1:
            out.append(f"{t.tier} churn rose by more than 10 points: recalibrate its points.")
    return out or ["No material drift: keep the rules; recalibrate scoring quarterly anyway."]


def drift_report(
    rules: FitRules,
    new_accounts: pd.DataFrame,
    old_accounts: pd.DataFrame | None = None,
    *,
    book: StatBook | None = None,
) -> DriftReport:
    """Compare a new export with the learning data (`old_accounts` or the rules' baseline)."""
    base = baseline_for(rules, old_accounts) if old_accounts is not None else rules.baseline
    traits = []
    for b in base:
        if b.attribute not in new_accounts.columns:
            continue
        value = psi(np.asarray(b.shares), _distribution(new_accounts[b.attribute], b.kind,
                                                        b.bins, b.edges))  # fmt: skip
        level = ("major shift" if value >= PSI_MAJOR else
                 "moderate shift" if value >= PSI_MODERATE else "stable")  # fmt: skip
        sid = None
        if book is not None:
            sid = book.add(f"drift:psi:{b.attribute}", f"population stability index of "
                           f"{b.attribute}, new export vs learning data", value,
                           len(new_accounts), "number").id  # fmt: skip
        traits.append(TraitDrift(attribute=b.attribute, psi=value, level=level, stat_id=sid))
    old_tiers = (
        tier_baseline(rules, old_accounts) if old_accounts is not None else rules.tier_baseline
    )
    new_tiers = _tier_table(rules, new_accounts)
    tiers = [
        TierDrift(
            tier=t,
            old_share=old_tiers.get(t, {}).get("share"),
            new_share=s,
            old_churn=old_tiers.get(t, {}).get("churn_rate"),
            new_churn=c,
        )  # fmt: skip
        for t, (s, c) in new_tiers.items()
    ]
    fresh, churned = _movers(old_accounts, new_accounts, rules)
    report = DriftReport(
        traits=traits, tiers=tiers, n_new_customers=int(fresh.sum()),
        new_outside_icp=_outside_share(rules, new_accounts, fresh),
        n_new_churned=int(churned.sum()),
        churned_outside_icp=_outside_share(rules, new_accounts, churned),
    )  # fmt: skip
    return report.model_copy(update={"advice": _advice(report)})
