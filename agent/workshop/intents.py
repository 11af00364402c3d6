"""The offline intent parser: plain-language commands -> one `Intent`.

Small, deterministic and table-driven: each rule is a regular expression plus a function that
turns the match into arguments. The LLM path (`agent.workshop.llm_intents`) asks the model for a
canonical command and runs it back through this parser, so both paths produce the same intents
and the same argument checks. `HELP` is what `help` shows.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tools.schema import ACCOUNT_FIELDS, DEAL_FIELDS, DEFAULT_WEIGHTS


class Intent(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str
    args: dict[str, Any] = Field(default_factory=dict)
    error: str = ""  # set when the command was recognised but an argument is wrong


HELP = """\
Load and inspect
  load customers FILE [FILE...]      accounts / deals tables (CSV, XLSX, Parquet, JSON)
  load interviews DIR|FILE           interview notes and transcripts
  show mapping | show sufficiency    what was understood from your files
  fix mapping "COLUMN" as FIELD      e.g. fix mapping "Number of Employees" as employees
  unload FILE (or remove FILE)       stop using a loaded customer or interview file
  paste                              paste an interview note; end with a line holding only .
Ask (answers cite [^s-…] statistics and [^q-…] quotes)
  why is fintech Tier 1?
  what do economic buyers object to?   (champions, technical buyers, end users, blockers;
                                        pains, goals, objections, triggers)
  show churn reasons for companies under 50 employees
  which accounts in my pipeline are Tier 1?
Adjust (shows which accounts moved tiers)
  set weight revenue 30              components: revenue, retention, expansion, satisfaction,
                                     support_burden, time_to_close, referrals
  exclude segment industry=Retail    tighten range employees 50-150
  rename tier 1 to "Core fintech"    approve persona economic buyer | reject persona p-1a2b3c4d
Output
  draft (or regenerate)              writes the ICP document and tables to <project>/out
  review                             walk through ICP.md sections: approve, edit, flag, skip, stop
  status | show tiers | show personas | help | clear | quit (or exit)"""

ROLES = {
    "economic buyer": "economic_buyer", "economic_buyer": "economic_buyer", "budget": "economic_buyer",
    "champion": "champion", "technical buyer": "technical_buyer", "technical_buyer": "technical_buyer",
    "end user": "end_user", "end_user": "end_user", "user": "end_user", "blocker": "blocker",
}  # fmt: skip
KINDS = [
    (r"object|objection|concern|worr|hesitat|push ?back", "objection"),
    (r"pain|struggl|problem|frustrat|headache|challenge", "pain"),
    (r"goal|want|need|hope|achieve|success", "goal"),
    (r"trigger|switch|start(ed)? looking|why .*buy|prompt", "trigger"),
]
WEIGHT_ALIASES = {
    **{k: k for k in DEFAULT_WEIGHTS}, "nps": "satisfaction", "csat": "satisfaction",
    "support": "support_burden", "tickets": "support_burden", "close": "time_to_close",
    "time to close": "time_to_close", "referral": "referrals", "arr": "revenue",
    "tenure": "retention", "support burden": "support_burden",
}  # fmt: skip
FIELDS = sorted(set(ACCOUNT_FIELDS) | set(DEAL_FIELDS) | {"custom"})
NUM = r"\$?(\d[\d,]*(?:\.\d+)?)\s*([km])?"


def number(text: str, suffix: str | None = None) -> float:
    value = float(text.replace(",", "").replace("$", ""))
    return value * {"k": 1e3, "m": 1e6}.get((suffix or "").lower(), 1)


def _split_paths(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def _tier(text: str) -> str:
    m = re.search(r"tier\s*(\d|one|two|three)", text, re.I)
    if not m:
        return ""
    d = {"one": "1", "two": "2", "three": "3"}.get(m.group(1).lower(), m.group(1))
    return f"Tier {d}"


def _weight(m: re.Match[str]) -> Intent:
    name = WEIGHT_ALIASES.get(m.group("name").strip().lower().replace("-", " "))
    if name is None:
        return Intent(kind="set_weight", error=f"'{m.group('name')}' is not a health component; "
                      f"use one of {', '.join(DEFAULT_WEIGHTS)}")  # fmt: skip
    value = float(re.sub(r"\s", "", m.group("value")).replace("−", "-"))
    if value < 0:
        return Intent(kind="set_weight", error=f"weights cannot be negative (got {value:g}); "
                      "use 0 to switch a component off")  # fmt: skip
    return Intent(kind="set_weight", args={"component": name, "value": value})


def _range(m: re.Match[str]) -> Intent:
    low, high = number(m.group("low"), m.group("ls")), number(m.group("high"), m.group("hs"))
    if low > high:
        return Intent(kind="tighten", error=f"the range {low:g}-{high:g} is upside down")
    return Intent(
        kind="tighten", args={"attribute": m.group("attr").lower(), "low": low, "high": high}
    )


def _mapping(m: re.Match[str]) -> Intent:
    field = m.group("field").strip().strip("'\"").lower()
    if field not in FIELDS:
        return Intent(kind="fix_mapping", error=f"'{field}' is not a field; use one of "
                      f"{', '.join(FIELDS)}")  # fmt: skip
    return Intent(kind="fix_mapping", args={"column": m.group("col"), "field": field})


def _persona(m: re.Match[str]) -> Intent:
    target = m.group("who").strip().strip("'\"").lower()
    role = ROLES.get(target.rstrip("s"), ROLES.get(target, target))
    return Intent(
        kind="persona_decision",
        args={
            "persona": role,
            "decision": "approved" if m.group("verb").lower() == "approve" else "rejected",
        },
    )


def _rename(m: re.Match[str]) -> Intent:
    tier = _tier(m.group("tier"))
    name = m.group("name").strip().strip("'\"“”")
    if not tier or not name:
        return Intent(kind="rename_tier", error="say which tier and the new name, e.g. "
                      'rename tier 1 to "Core fintech"')  # fmt: skip
    return Intent(kind="rename_tier", args={"tier": tier, "name": name})


def _simple(kind: str, **args: Any) -> Callable[[re.Match[str]], Intent]:
    return lambda _m: Intent(kind=kind, args=dict(args))


Rule = tuple[str, Callable[[re.Match[str]], Intent]]
RULES: list[Rule] = [
    (r"(?:help|\?|commands|what can (?:you|i) do\??)", _simple("help")),
    (r"(?:quit|exit|bye|q|:q)", _simple("quit")),
    (r"(?:clear|cls|clear (?:the )?screen)", _simple("clear")),
    (
        r"(?:unload|remove|forget|drop) (?:file |customers? |interviews? )?(?P<p>.+)",
        lambda m: Intent(kind="unload", args={"paths": _split_paths(m.group("p"))}),
    ),
    (r"(?:paste|\"\"\"|new note|add (?:a )?note)", _simple("paste")),
    (
        r"load (?:customers?|customer data|accounts?|deals?|crm(?: export)?|data)\s+(?P<p>.+)",
        lambda m: Intent(kind="load_customers", args={"paths": _split_paths(m.group("p"))}),
    ),
    (
        r"load (?:interviews?|transcripts?|notes?)\s+(?P<p>.+)",
        lambda m: Intent(kind="load_interviews", args={"paths": _split_paths(m.group("p"))}),
    ),
    (r"(?:show )?(?:the )?(?:column )?mapping", _simple("show_mapping")),
    (
        r"(?:show )?(?:the )?(?:data )?sufficiency|is my data enough\??|data quality",
        _simple("show_sufficiency"),
    ),
    (
        r"(?:fix mapping|map|remap)\s+[\"'“]?(?P<col>[^\"'”]+?)[\"'”]?\s+(?:as|to|=)\s+(?P<field>\S+)",
        _mapping,
    ),
    (
        r"(?:set )?weight (?:of )?(?P<name>[a-z _-]+?)\s*(?:=|to|at)?\s*(?P<value>[-−]?\s*\d+(?:\.\d+)?)\s*%?",
        _weight,
    ),
    (
        r"set (?P<name>[a-z _-]+?) weight (?:to |=\s*)?(?P<value>[-−]?\s*\d+(?:\.\d+)?)\s*%?",
        _weight,
    ),
    (
        r"exclude (?:segment )?(?P<attr>[a-z_]+)\s*(?:=|is|:)?\s*(?P<value>.+)",
        lambda m: Intent(
            kind="exclude",
            args={
                "attribute": m.group("attr").lower(),
                "value": m.group("value").strip().strip("'\""),
            },
        ),
    ),
    (
        r"(?:tighten|narrow|set) (?:the )?(?:range )?(?P<attr>[a-z_]+)(?: range)?(?: to)?\s+"
        rf"{NUM.replace('(', '(?P<low>', 1).replace('([km])', '(?P<ls>[km])')}\s*(?:-|–|to)\s*"
        rf"{NUM.replace('(', '(?P<high>', 1).replace('([km])', '(?P<hs>[km])')}",
        _range,
    ),
    (r"rename (?P<tier>[\"']?tier\s*\w+[\"']?) (?:to|as) (?P<name>.+)", _rename),
    (r"(?P<verb>approve|reject) (?:the )?(?:persona )?(?P<who>.+)", _persona),
    (
        r"(?:draft|regenerate|re-?generate|generate|build|write)(?: the)?(?: draft| document| icp)?",
        _simple("draft"),
    ),
    (r"review(?: the)?(?: draft| document)?", _simple("review")),
    (r"status|where are we\??|show settings", _simple("status")),
    (r"(?:show|list) (?:the )?tiers", _simple("show_tiers")),
    (r"(?:show|list) (?:the )?personas", _simple("show_personas")),
]
COMPILED = [(re.compile(rf"^\s*{p}\s*$", re.I | re.S), fn) for p, fn in RULES]


def parse_question(text: str) -> Intent | None:
    """The four question families, or None."""
    low = text.lower()
    m = re.search(r"why (?:is|are) (?P<subject>.+?) (?:in |a |an )?(?P<tier>tier\s*\w+)", low)
    if m:
        return Intent(kind="ask_why_tier", args={"subject": m.group("subject").strip(" '\""),
                                                  "tier": _tier(m.group("tier"))})  # fmt: skip
    if re.search(r"pipeline|open deals?|open opportunit", low):
        return Intent(kind="ask_pipeline", args={"tier": _tier(low) or "Tier 1"})
    if re.search(r"churn", low):
        return Intent(kind="ask_churn", args={"filters": churn_filters(low)})
    role = next((v for k, v in sorted(ROLES.items(), key=lambda kv: -len(kv[0]))
                 if re.search(rf"\b{k}s?\b", low)), None)  # fmt: skip
    kind = next((k for p, k in KINDS if re.search(p, low)), None)
    if role or (kind and re.search(r"\b(they|customers|buyers|people|interviewees)\b", low)):
        return Intent(kind="ask_persona", args={"role": role or "", "topic": kind or ""})
    return None


def churn_filters(low: str) -> dict[str, Any]:
    """Filters in a churn question: employee / revenue bounds and an industry."""
    out: dict[str, Any] = {}
    for field, word in (
        ("employees", r"employees?|people|staff|headcount"),
        ("revenue", r"revenue"),
    ):
        between = re.search(rf"between {NUM} and {NUM}\s*(?:{word})", low)
        under = re.search(rf"(?:under|below|fewer than|less than|<)\s*{NUM}\s*(?:{word})", low)
        over = re.search(rf"(?:over|above|more than|at least|>)\s*{NUM}\s*(?:{word})", low)
        if between:
            out[field] = [
                number(between.group(1), between.group(2)),
                number(between.group(3), between.group(4)),
            ]
        elif under:
            out[field] = [None, number(under.group(1), under.group(2))]
            out[f"{field}_strict_high"] = True
        elif over:
            out[field] = [number(over.group(1), over.group(2)), None]
    ind = re.search(r"\bin (?:the )?([a-z][\w &-]*?)(?: industry| sector| companies|\?|$)", low)
    if ind and not re.search(r"\d", ind.group(1)):
        out["industry"] = ind.group(1).strip()
    return out


def parse(text: str) -> Intent:
    """Parse one line (or pasted block) into an intent; never raises."""
    line = text.strip()
    if not line:
        return Intent(kind="empty")
    for rx, fn in COMPILED:
        m = rx.match(line)
        if m:
            return fn(m)
    q = parse_question(line)
    if q is not None:
        return q
    return Intent(kind="unknown", args={"text": line})
