"""Loads prompt files from the `prompts` package and renders them strictly.

A prompt is `prompts/<stage>/<action>.md`: YAML front matter (id, version, role, output_model,
description) then a `## system` and a `## user` body, rendered with Jinja2 `StrictUndefined` (a
missing variable is an error). The `data` filter neutralises our delimiter tags inside inputs so
interview text cannot close its own `<quote>` tag. `prompts/prompts.lock.json` maps each id to
its version and the file's sha256; `check_lock()` reports text changed without a version bump.
Update the lock with `python -m agent.llm.prompts --update-lock` after bumping the version.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined
from pydantic import BaseModel, ConfigDict

from agent.llm.protocol import RenderedPrompt

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
LOCK_FILE = PROMPTS_DIR / "prompts.lock.json"
_BODY_RE = re.compile(r"^## (system|user)[ \t]*$", re.MULTILINE)
_TAG_RE = re.compile(r"<(/?)(fact|facts|quote|quotes|evidence|interview|data)\b", re.IGNORECASE)


class PromptFile(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    version: int
    role: str
    output_model: str
    description: str
    system: str
    user: str
    sha256: str
    path: str


def neutralise(value: object) -> str:
    """Input text made safe to sit between our tags (a `<quote` inside notes becomes `‹quote`)."""
    return _TAG_RE.sub(lambda m: "‹" + m.group(1) + m.group(2), str(value))


def _env() -> Environment:
    env = Environment(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["data"] = neutralise
    return env


def parse_prompt_file(path: Path) -> PromptFile:
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    if not text.startswith("---\n"):
        raise ValueError(f"{path}: prompt file must start with YAML front matter")
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front) or {}
    parts = _BODY_RE.split(body)
    bodies = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    missing = {"system", "user"} - set(bodies)
    if missing:
        raise ValueError(f"{path}: missing body section(s) {sorted(missing)}")
    return PromptFile(
        **{k: meta[k] for k in ("id", "version", "role", "output_model", "description")},
        system=bodies["system"],
        user=bodies["user"],
        sha256=hashlib.sha256(raw).hexdigest(),
        path=str(path),
    )


def all_prompts(root: Path = PROMPTS_DIR) -> dict[str, PromptFile]:
    out: dict[str, PromptFile] = {}
    for path in sorted(root.glob("*/*.md")):
        pf = parse_prompt_file(path)
        if pf.id in out:
            raise ValueError(f"duplicate prompt id {pf.id} in {path}")
        out[pf.id] = pf
    return out


@lru_cache(maxsize=64)
def load_prompt(prompt_id: str) -> PromptFile:
    prompts = all_prompts()
    if prompt_id not in prompts:
        raise KeyError(f"no prompt with id {prompt_id} under {PROMPTS_DIR}")
    return prompts[prompt_id]


def render_prompt(
    prompt_id: str, *, offline: dict[str, Any] | None = None, **variables: Any
) -> RenderedPrompt:
    """Render a prompt's bodies with `variables`; `offline` is the no-endpoint answer."""
    pf = load_prompt(prompt_id)
    env = _env()
    return RenderedPrompt(
        id=pf.id,
        version=pf.version,
        role=pf.role,
        output_model=pf.output_model,
        template_hash=pf.sha256,
        system=env.from_string(pf.system).render(**variables).strip(),
        user=env.from_string(pf.user).render(**variables).strip(),
        offline=offline,
    )


def compute_lock(root: Path = PROMPTS_DIR) -> dict[str, dict[str, Any]]:
    return {
        pid: {"version": pf.version, "sha256": pf.sha256}
        for pid, pf in sorted(all_prompts(root).items())
    }


def check_lock(root: Path = PROMPTS_DIR, lock_file: Path | None = None) -> list[str]:
    """Problems between the prompt files and the lock, in plain words (empty = in sync)."""
    lock_path = lock_file or root / "prompts.lock.json"
    locked = json.loads(lock_path.read_text(encoding="utf-8")) if lock_path.exists() else {}
    problems = []
    for pid, cur in compute_lock(root).items():
        old = locked.get(pid)
        if old is None:
            problems.append(f"{pid}: not in the lock; run the lock update")
        elif old["sha256"] != cur["sha256"] and old["version"] == cur["version"]:
            problems.append(f"{pid}: text changed but version is still {cur['version']}; bump it")
        elif old != cur:
            problems.append(f"{pid}: lock is out of date; run the lock update")
    for pid in sorted(set(locked) - set(compute_lock(root))):
        problems.append(f"{pid}: in the lock but no prompt file has this id")
    return problems


def write_lock(root: Path = PROMPTS_DIR, lock_file: Path | None = None) -> Path:
    path = lock_file or root / "prompts.lock.json"
    path.write_text(json.dumps(compute_lock(root), indent=2, sort_keys=True) + "\n", "utf-8")
    return path


if __name__ == "__main__":  # python -m agent.llm.prompts --update-lock
    if "--update-lock" in sys.argv:
        print(f"wrote {write_lock()}")
    else:
        issues = check_lock()
        print("\n".join(issues) or "prompts.lock.json is in sync")
        sys.exit(1 if issues else 0)
