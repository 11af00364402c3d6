"""Test-wide isolation: no network except loopback, no API keys, temp working directories."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> object:
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            ok = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            ok = False
        if not ok:
            raise OSError(f"network blocked in tests: attempted connection to {host}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    """Block non-loopback sockets and clear LLM configuration for every test."""
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ICP_MODEL", "ICP_LLM"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture
def shared_data() -> Path:
    """The public data beside the repo; skip with a clear reason only when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"public data folder {SHARED_DATA} is absent (it sits beside the repo in CI)")
    return SHARED_DATA


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    """A fresh copy of the hand-made eval run folder (tests/fixtures/evalrun)."""
    from tests.evalrun_support import builder

    return builder.build_run(tmp_path / "run", absolute_sources=True)
