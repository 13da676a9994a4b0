"""The results table: printed to stdout, saved as JSON (timestamped and latest) and as Markdown for the README."""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.measure import Figure

HEADERS = ("figure", "customers", "median", "p95", "baseline", "ratio", "target", "result")


def _amount(value: float, unit: str) -> str:
    if unit == "MB":
        return f"{value:,.0f} MB"
    if value >= 1000:
        return f"{value / 1000:,.2f} s"
    if value >= 10:
        return f"{value:,.1f} ms"
    return f"{value:,.2f} ms"


def rows(figures: list[Figure]) -> list[tuple[str, ...]]:
    table: list[tuple[str, ...]] = []
    for figure in figures:
        baseline = figure.baseline_p95 if figure.judged_on == "p95" else figure.baseline_median
        table.append(
            (
                figure.label,
                f"{figure.size:,}" if figure.size is not None else "—",
                _amount(figure.median, figure.unit),
                _amount(figure.p95, figure.unit),
                f"{_amount(baseline, figure.unit)} ({figure.baseline_label})",
                f"{figure.ratio:.2f}×",
                figure.target,
                "pass" if figure.passed else "MISS",
            )
        )
    return table


def text_table(figures: list[Figure]) -> str:
    table = [HEADERS, *rows(figures)]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADERS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in table]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def markdown_table(figures: list[Figure], when: str, machine: str) -> str:
    lines = [
        f"Measured {when} on {machine}. Ratio = ours / baseline (p95 for search, median otherwise).",
        "",
        "| " + " | ".join(HEADERS) + " |",
        "|" + "|".join("---" for _ in HEADERS) + "|",
    ]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows(figures)]
    notes = [f"- {figure.label} ({figure.size or '—'}): {figure.note}" for figure in figures if figure.note]
    return "\n".join([*lines, "", *notes, ""])


def machine_description() -> str:
    return f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}, Python {platform.python_version()}"


def write(figures: list[Figure], results_dir: Path, smoke: bool, sizes: list[int], notes: list[str]) -> Path:
    """Write `<timestamp>.json`, `latest.json` and `latest.md` (with a `smoke-` prefix in smoke mode)."""
    results_dir.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    prefix = "smoke-" if smoke else ""
    payload: dict[str, Any] = {
        "created_at": now.isoformat(timespec="seconds"),
        "smoke": smoke,
        "sizes": sizes,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": sys.version.split()[0],
        },
        "notes": notes,
        "figures": [figure.to_json() for figure in figures],
    }
    text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    stamped = results_dir / f"{prefix}{stamp}.json"
    stamped.write_text(text, encoding="utf-8")
    (results_dir / f"{prefix}latest.json").write_text(text, encoding="utf-8")
    when = now.strftime("%Y-%m-%d")
    (results_dir / f"{prefix}latest.md").write_text(
        markdown_table(figures, when, machine_description()), encoding="utf-8"
    )
    return stamped
