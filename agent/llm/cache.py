"""A content-addressed record/replay cache in front of any `LLM`.

Key = sha256 over the model, prompt id, version and template hash, the rendered prompt text (so
every input), the response model's JSON schema and the validation context. Entries are one JSON
file each under `<cache_dir>/<key[:2]>/<key>.json`. A hit is re-validated (with the same context)
before it is returned, so a stale or edited entry can never smuggle in an unverified answer.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from agent.llm.protocol import LLM, LLMResult, RenderedPrompt

T = TypeVar("T", bound=BaseModel)
_KEY_RE = re.compile(r"[0-9a-f]{64}")


def cache_key(
    model: str,
    prompt: RenderedPrompt,
    response_model: type[BaseModel],
    validation_context: dict[str, Any] | None,
) -> str:
    payload = {
        "model": model,
        "prompt_id": prompt.id,
        "prompt_version": prompt.version,
        "template_hash": prompt.template_hash,
        "text_hash": prompt.text_hash,
        "schema": response_model.model_json_schema(),
        "context": validation_context or {},
    }
    blob = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class CachedLLM:
    """Replays stored answers; on a miss asks `inner` and stores what it returns."""

    def __init__(
        self, inner: LLM, cache_dir: Path, model_for: Callable[[RenderedPrompt], str]
    ) -> None:
        self.inner = inner
        self.cache_dir = Path(cache_dir)
        self.model_for = model_for

    def _path(self, key: str) -> Path:
        return self.cache_dir / key[:2] / f"{key}.json"

    def generate(
        self,
        prompt: RenderedPrompt,
        response_model: type[T],
        validation_context: dict[str, Any] | None = None,
    ) -> LLMResult[T]:
        key = cache_key(self.model_for(prompt), prompt, response_model, validation_context)
        path = self._path(key)
        hit = self._read(path, response_model, validation_context)
        if hit is not None:
            return hit
        result = self.inner.generate(prompt, response_model, validation_context)
        if result.mode == "llm":
            self._write(path, result)
        return result

    def _read(
        self, path: Path, response_model: type[T], ctx: dict[str, Any] | None
    ) -> LLMResult[T] | None:
        if not path.exists():
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            parsed = response_model.model_validate(entry["parsed"], context=ctx)
        except (OSError, ValueError, KeyError, ValidationError):
            return None
        meta = {k: v for k, v in entry.items() if k != "parsed"}
        return LLMResult[response_model](  # type: ignore[valid-type]
            parsed=parsed, **{**meta, "cache_hit": True, "calls": 0, "latency_s": 0.0}
        )

    def _write(self, path: Path, result: LLMResult[Any]) -> None:
        entry = result.model_dump(mode="json", exclude={"failures"})
        entry["parsed"] = result.parsed.model_dump(mode="json")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(entry, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(path)


def cache_stats(cache_dir: Path) -> dict[str, Any]:
    """Entries, bytes, and per-prompt counts of a cache directory."""
    files = sorted(Path(cache_dir).glob("*/*.json")) if Path(cache_dir).exists() else []
    by_prompt: dict[str, int] = {}
    total = 0
    for f in files:
        total += f.stat().st_size
        try:
            pid = json.loads(f.read_text(encoding="utf-8")).get("prompt_id", "?")
        except (OSError, ValueError):
            pid = "unreadable"
        by_prompt[pid] = by_prompt.get(pid, 0) + 1
    return {"dir": str(cache_dir), "entries": len(files), "bytes": total, "by_prompt": by_prompt}


def clear_cache(cache_dir: Path) -> int:
    """Delete every entry (and the capability memo); returns how many entries were removed."""
    root = Path(cache_dir)
    if not root.exists():
        return 0
    removed = 0
    # Only our own files: a mistyped ICP_CACHE_DIR must never wipe someone's folder.
    for f in root.glob("*/*.json"):
        if _KEY_RE.fullmatch(f.stem) and f.parent.name == f.stem[:2]:
            f.unlink()
            removed += 1
    for d in root.iterdir():
        if d.is_dir() and len(d.name) == 2 and not any(d.iterdir()):
            d.rmdir()
    (root / "capabilities.json").unlink(missing_ok=True)
    return removed
