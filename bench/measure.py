"""Timing helpers: warm up, repeat, and summarise as median and p95; figures compared to a baseline."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation, so p95 is a value that really happened)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, round(fraction * len(ordered) + 0.4999))  # ceil without importing math for one call
    return ordered[min(rank, len(ordered)) - 1]


@dataclass(frozen=True)
class Stats:
    """Summary of repeated samples, in the samples' own unit (milliseconds or megabytes)."""

    median: float
    p95: float
    count: int

    @classmethod
    def of(cls, samples: list[float]) -> Stats:
        return cls(statistics.median(samples), percentile(samples, 0.95), len(samples))


def time_ms(
    action: Callable[[], object], repeat: int, warmup: int = 1, between: Callable[[], object] | None = None
) -> list[float]:
    """Run `action` `warmup` times unmeasured, then `repeat` times; return each run in milliseconds.

    `between` runs before every call outside the timed span (e.g. to reset state)."""
    samples: list[float] = []
    for attempt in range(warmup + repeat):
        if between is not None:
            between()
        started = time.perf_counter()
        action()
        elapsed = (time.perf_counter() - started) * 1000.0
        if attempt >= warmup:
            samples.append(elapsed)
    return samples


@dataclass
class Figure:
    """One row of the results table."""

    name: str  # benchmark module name, e.g. "search"
    label: str  # what a reader sees, e.g. "search keystroke → results in the model"
    size: int | None  # customers in the shop, None when size does not apply
    unit: str  # "ms" or "MB"
    median: float
    p95: float
    baseline_label: str
    baseline_median: float
    baseline_p95: float
    target: str  # human-readable target, e.g. "≤ 16 ms and ≤ 1×"
    passed: bool
    judged_on: str = "median"  # which statistic the target is checked against
    samples: int = 0
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        mine = self.p95 if self.judged_on == "p95" else self.median
        theirs = self.baseline_p95 if self.judged_on == "p95" else self.baseline_median
        return mine / theirs if theirs > 0 else float("inf")

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = round(self.ratio, 3)
        for key in ("median", "p95", "baseline_median", "baseline_p95"):
            data[key] = round(data[key], 3)
        return data
