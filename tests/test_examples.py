"""The bundled examples: reproducible bytes, planted truths visible in the data, interview roles.

The statistics here are a deliberately simple re-computation (percentile health score with the
default weights, Fisher exact + Benjamini-Hochberg on top 20% vs bottom 20%), independent of
`tools/`, so the example is checked against its own ground truth and not against the code it
is meant to test.
"""

from __future__ import annotations

import importlib.util
import json
import re
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import fisher_exact

from tools.schema import DEFAULT_WEIGHTS

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ACME = EXAMPLES / "acme"
SECOND = EXAMPLES / "second"
AS_OF = pd.Timestamp("2026-06-30")
ROLES = {"champion", "economic_buyer", "technical_buyer", "end_user", "blocker"}


def _load_generator():
    spec = importlib.util.spec_from_file_location("examples_generate", EXAMPLES / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@cache
def _truth(folder: Path) -> dict:
    return json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))


def _money(col: pd.Series) -> pd.Series:
    text = col.str.strip().replace({"N/A": "", "": None})
    scale = np.where(text.str.endswith("M", na=False), 1e6, 1.0)
    return pd.to_numeric(text.str.replace(r"[$,M]", "", regex=True), errors="coerce") * scale


@cache
def _acme() -> pd.DataFrame:
    raw = pd.read_csv(ACME / "accounts.csv", dtype=str, keep_default_na=False)
    canon = {"fintech": "FinTech", "e-commerce": "E-commerce"}
    start = pd.to_datetime(raw["Customer Since"])
    churn = pd.to_datetime(raw["Churn Date"].replace("", None))
    return pd.DataFrame(
        {
            "account_id": raw["Company ID"],
            "industry": raw["Industry"].replace(canon),
            "employees": _money(raw["Number of Employees"]),
            "funding_stage": raw["Funding Stage"],
            "country": raw["Country"],
            "lead_source": raw["Lead Source"],
            "crm_owner": raw["CRM Owner"],
            "tech_stack": raw["Tech Stack"].str.split("; "),
            "start": start,
            "churn_date": churn,
            "churned": raw["Churned"].eq("Yes"),
            "arr": _money(raw["ARR"]),
            "expansion": _money(raw["Expansion ARR"]),
            "nps": pd.to_numeric(raw["NPS"].replace("", None)),
            "tickets": pd.to_numeric(raw["Support Tickets (12m)"]),
            "days_to_close": pd.to_numeric(raw["Days to Close"]),
            "referrals": pd.to_numeric(raw["Referrals"]),
        }
    )


@cache
def _scored() -> pd.DataFrame:
    """A plain percentile health score with the default weights; top/bottom 20% segments."""
    acc = _acme()
    tenure = (acc["churn_date"].fillna(AS_OF) - acc["start"]).dt.days
    comps = {
        "revenue": acc["arr"].rank(pct=True),
        "retention": tenure.rank(pct=True),
        "expansion": acc["expansion"].rank(pct=True),
        "satisfaction": acc["nps"].rank(pct=True).fillna(0.5),
        "support_burden": (-acc["tickets"]).rank(pct=True),
        "time_to_close": (-acc["days_to_close"]).rank(pct=True),
        "referrals": acc["referrals"].rank(pct=True),
    }
    score = sum(DEFAULT_WEIGHTS[k] * v for k, v in comps.items()) / sum(DEFAULT_WEIGHTS.values())
    rank = score.rank(ascending=False, method="first")
    n = len(acc)
    segment = np.where(rank <= 0.2 * n, "top", np.where(rank > 0.8 * n, "bottom", "middle"))
    return acc.assign(health=score, segment=segment)


def _trait_tests(df: pd.DataFrame, traits: dict[str, pd.Series]) -> pd.DataFrame:
    """Fisher exact (top vs bottom) per boolean trait, with Benjamini-Hochberg q-values."""
    top, bottom = df["segment"] == "top", df["segment"] == "bottom"
    rows = []
    for label, has in traits.items():
        a, b = int((has & top).sum()), int((has & bottom).sum())
        table = [[a, int(top.sum()) - a], [b, int(bottom.sum()) - b]]
        rows.append({"label": label, "top": a, "bottom": b, "p": fisher_exact(table)[1]})
    out = pd.DataFrame(rows).sort_values("p", kind="stable", ignore_index=True)
    m = len(out)
    q = (out["p"] * m / np.arange(1, m + 1))[::-1].cummin()[::-1].clip(upper=1)
    return out.assign(q=q).set_index("label")


def _acme_tests() -> pd.DataFrame:
    df = _scored()
    traits: dict[str, pd.Series] = {}
    for col in ["industry", "funding_stage", "country", "lead_source", "crm_owner"]:
        for value in sorted(df[col].unique()):
            traits[f"{col}={value}"] = df[col] == value
    for tool in sorted(df["tech_stack"].explode().unique()):
        traits[f"tech_stack={tool}"] = df["tech_stack"].map(lambda s, t=tool: t in s)
    sweet = _truth(ACME)["sweet_spot"]
    traits["employees_sweet_spot"] = df["employees"].between(sweet["low"], sweet["high"])
    return _trait_tests(df, traits)


def test_regenerating_gives_the_committed_bytes(tmp_path: Path) -> None:
    _load_generator().generate(tmp_path)
    for name in ["acme", "second"]:
        committed, fresh = _files(EXAMPLES / name), _files(tmp_path / name)
        assert sorted(fresh) == sorted(committed), f"{name}: file set differs"
        changed = [f for f in committed if committed[f] != fresh[f]]
        assert not changed, f"{name}: regenerate with `python examples/generate.py`: {changed}"


def test_acme_has_the_promised_size_and_plausible_numbers() -> None:
    acc, truth = _acme(), _truth(ACME)
    deals = pd.read_csv(ACME / "deals.csv", dtype=str, keep_default_na=False)
    assert len(acc) == 400 and acc["account_id"].is_unique
    assert acc["arr"].between(1_000, 60_000).all()
    assert 1e6 <= acc.loc[~acc["churned"], "arr"].sum() <= 5e6
    assert acc["start"].between("2021-01-01", AS_OF).all()
    churned = acc[acc["churned"]]
    assert (
        churned["churn_date"].notna().all() and acc.loc[~acc["churned"], "churn_date"].isna().all()
    )
    assert (churned["churn_date"] > churned["start"]).all() and (
        churned["churn_date"] < AS_OF
    ).all()
    closed = deals["Stage"].isin(["Closed Won", "Closed Lost"])
    assert 130 <= closed.sum() <= 200 and (~closed).sum() >= 10
    assert set(deals["Company ID"]) <= set(acc["account_id"])
    assert (deals.loc[deals["Stage"] == "Closed Lost", "Loss Reason"] != "").all()
    assert truth["summary"]["deals_won"] == (deals["Stage"] == "Closed Won").sum()


def test_best_segment_is_healthier_on_every_outcome_and_wins_more_deals() -> None:
    df, best = _scored(), _truth(ACME)["best_segment"]
    inside = df[best["attribute"]] == best["value"]
    a, b = df[inside], df[~inside]
    assert a["arr"].mean() > b["arr"].mean() and a["nps"].mean() > b["nps"].mean()
    assert a["expansion"].mean() > b["expansion"].mean()
    assert a["referrals"].mean() > b["referrals"].mean()
    assert a["tickets"].mean() < b["tickets"].mean()
    assert a["days_to_close"].mean() < b["days_to_close"].mean()
    assert a["churned"].mean() < b["churned"].mean()
    top_share = inside[df["segment"] == "top"].mean()
    bottom_share = inside[df["segment"] == "bottom"].mean()
    assert top_share >= 2.5 * bottom_share
    assert _win_rate(inside) > _win_rate(~inside)


def _win_rate(mask: pd.Series) -> float:
    deals = pd.read_csv(ACME / "deals.csv", dtype=str, keep_default_na=False)
    ids = set(_acme().loc[mask, "account_id"])
    closed = deals[
        deals["Stage"].isin(["Closed Won", "Closed Lost"]) & deals["Company ID"].isin(ids)
    ]
    return float((closed["Stage"] == "Closed Won").mean())


def test_bad_trait_churns_more_and_loses_more_deals() -> None:
    df, bad = _scored(), _truth(ACME)["bad_trait"]
    inside = df[bad["attribute"]] == bad["value"]
    assert df.loc[inside, "churned"].mean() > 1.3 * df.loc[~inside, "churned"].mean()
    assert df.loc[inside, "health"].mean() < df.loc[~inside, "health"].mean()
    assert _win_rate(inside) < _win_rate(~inside)


def test_planted_traits_are_significant_and_noise_is_not() -> None:
    tests, truth = _acme_tests(), _truth(ACME)
    best, bad = truth["best_segment"], truth["bad_trait"]
    for label, direction in [
        (f"{best['attribute']}={best['value']}", "top"),
        (f"{bad['attribute']}={bad['value']}", "bottom"),
        ("employees_sweet_spot", "top"),
    ]:
        row = tests.loc[label]
        assert row["q"] <= 0.10, f"{label} not significant: {row.to_dict()}"
        other = "bottom" if direction == "top" else "top"
        assert row[direction] > row[other], f"{label} points the wrong way"
    noise = [a["attribute"] for a in truth["noise_attributes"]]
    noisy = tests[tests.index.str.split("=").str[0].isin(noise) & (tests["q"] <= 0.10)]
    assert noisy.empty, f"noise came out significant: {noisy.to_dict('index')}"


def test_second_example_plants_a_different_segment() -> None:
    truth = _truth(SECOND)
    assert truth["best_segment"]["value"] != _truth(ACME)["best_segment"]["value"]
    raw = pd.read_csv(SECOND / "accounts.csv", sep=";", dtype=str, keep_default_na=False)
    assert 100 <= len(raw) <= 140 and raw["Org"].is_unique
    inside = raw[truth["best_segment"]["column"]] == truth["best_segment"]["value"]
    cancelled = raw["Status"].eq("Cancelled")
    assert cancelled[inside].mean() < cancelled[~inside].mean()
    csat, mrr = pd.to_numeric(raw["CSAT"]), pd.to_numeric(raw["MRR"])
    assert csat[inside].mean() > csat[~inside].mean() and mrr[inside].mean() > mrr[~inside].mean()
    # The same plain analysis (only four health components here) finds it, and not the noise.
    signup = pd.to_datetime(raw["Signup"], format="%d/%m/%Y")
    end = pd.to_datetime(raw["Cancelled On"].replace("", None), format="%d/%m/%Y").fillna(AS_OF)
    parts = [mrr, (end - signup).dt.days, csat, -pd.to_numeric(raw["Tickets"])]
    score = sum(w * p.rank(pct=True) for w, p in zip([20, 20, 15, 10], parts, strict=True))
    rank = score.rank(ascending=False, method="first")
    seg = np.where(rank <= 0.2 * len(raw), "top", np.where(rank > 0.8 * len(raw), "bottom", "mid"))
    traits = {f"{c}={v}": raw[c] == v for c in ["Vertical", "Region"] for v in raw[c].unique()}
    tests = _trait_tests(raw.assign(segment=seg), traits)
    assert tests.loc[f"Vertical={truth['best_segment']['value']}", "q"] <= 0.10
    assert (tests.loc[tests.index.str.startswith("Region="), "q"] > 0.10).all()


@pytest.mark.parametrize("folder", [ACME, SECOND], ids=["acme", "second"])
def test_interviews_cover_their_roles_and_are_linked(folder: Path) -> None:
    truth = _truth(folder)
    sidecar = pd.read_csv(folder / "interviews" / "interviews.csv", dtype=str)
    notes = sorted(p.name for p in (folder / "interviews").iterdir() if p.name != "interviews.csv")
    assert sorted(sidecar["file"]) == notes
    roles = truth["interview_roles"]
    assert set(roles) == ROLES - ({"technical_buyer"} if folder == SECOND else set())
    assert sorted(f for files in roles.values() for f in files) == notes
    accounts = _acme()["account_id"] if folder == ACME else None
    for row in sidecar.itertuples():
        text = (folder / "interviews" / row.file).read_text(encoding="utf-8")
        assert row.name in text and row.company in text, row.file
        if accounts is not None:
            assert row.account_id in set(accounts)


def test_acme_interviews_mix_formats_and_interviewers_only_ask() -> None:
    files = [p for p in (ACME / "interviews").iterdir() if p.name != "interviews.csv"]
    assert len(files) >= 12
    texts = {p.name: p.read_text(encoding="utf-8") for p in files}
    assert any(p.endswith(".vtt") for p in texts)
    assert any(re.search(r"^\[\d\d:\d\d:\d\d\] \w", t, re.M) for t in texts.values())
    assert any(re.search(r"^Q: ", t, re.M) for t in texts.values())
    assert any(re.search(r'^- .*"[^"]+"', t, re.M) for t in texts.values())
    interviewer = re.compile(r"^(?:\[[\d:]+\] )?Interviewer: (.+)$", re.M)
    asked = [q for t in texts.values() for q in interviewer.findall(t)]
    assert len(asked) >= 40
    asked += [q for t in texts.values() for q in re.findall(r"^Q: (.+)$", t, re.M)]
    assert all(q.rstrip().endswith("?") for q in asked), [q for q in asked if "?" not in q]
