"""Per-node wall-time measurement, reported in the manifest."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any


def timed(name: str) -> Callable[[Callable[..., dict]], Callable[..., dict]]:
    """Wrap a node so its returned update also records its wall time under `timings`."""

    def deco(fn: Callable[..., dict]) -> Callable[..., dict]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> dict:
            t0 = time.perf_counter()
            update = fn(*args, **kwargs)
            timings = dict(update.get("timings", {}))
            timings[name] = round(time.perf_counter() - t0, 4)
            return {**update, "timings": timings}

        return wrapper

    return deco
