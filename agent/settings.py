"""Settings read once at the CLI edge from the environment (and `--llm` style overrides).

Only the LLM boundary's settings live here for now. `OPENAI_API_KEY` and `OPENAI_BASE_URL` are
the SDK's standard variables; everything of ours starts with `ICP_`. The API key is a
`SecretStr` and `manifest_dump()` leaves it out, so it can never reach a run folder or a log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

LLMModeSetting = Literal["auto", "offline", "openai"]


class LLMSettings(BaseSettings):
    """How to reach the LLM and how much it may cost."""

    model_config = SettingsConfigDict(env_prefix="ICP_", extra="ignore", populate_by_name=True)

    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "openai_api_key")
    )
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "openai_base_url")
    )
    llm: LLMModeSetting = "auto"  # ICP_LLM
    model: str = "gpt-4o-mini"  # ICP_MODEL
    model_draft: str | None = None  # ICP_MODEL_DRAFT
    model_extract: str | None = None  # ICP_MODEL_EXTRACT
    concurrency: int = Field(default=4, ge=1, le=64)  # ICP_CONCURRENCY
    timeout_s: float = Field(default=60.0, gt=0)  # ICP_TIMEOUT_S
    max_attempts: int = Field(default=4, ge=1, le=10)
    max_reasks: int = Field(default=1, ge=0, le=3)
    max_calls: int | None = 200  # ICP_MAX_CALLS
    max_tokens: int | None = 2_000_000  # ICP_MAX_TOKENS
    max_cost_usd: float | None = None  # ICP_MAX_COST_USD
    usd_per_mtok_input: float = 0.0
    usd_per_mtok_output: float = 0.0
    cache_dir: Path | None = None  # ICP_CACHE_DIR; default .icp-cache/llm under the cwd

    def resolved_mode(self) -> Literal["offline", "openai"]:
        """auto = openai when an endpoint or key is configured, else offline."""
        if self.llm == "auto":
            key = self.openai_api_key.get_secret_value() if self.openai_api_key else ""
            return "openai" if (self.openai_base_url or key) else "offline"
        return self.llm

    def resolved_cache_dir(self) -> Path:
        return self.cache_dir or Path(".icp-cache") / "llm"

    def role_models(self) -> dict[str, str]:
        roles = {"draft": self.model_draft, "extract": self.model_extract}
        return {k: v for k, v in roles.items() if v}

    def manifest_dump(self) -> dict[str, Any]:
        """Settings for the run manifest: no secret, only whether a key was set."""
        data = self.model_dump(mode="json", exclude={"openai_api_key"})
        data["openai_api_key_set"] = self.openai_api_key is not None
        data["resolved_mode"] = self.resolved_mode()
        return data
