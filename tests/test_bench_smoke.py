"""The benchmark harness keeps working: `python -m bench --smoke` runs every benchmark on a tiny shop and
writes a JSON file with every figure as numbers. No timing is asserted (that is what `make bench` is for)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

from bench.__main__ import BENCHMARKS

ROOT = Path(__file__).resolve().parents[1]
NUMBERS = ("median", "p95", "baseline_median", "baseline_p95", "ratio")


def test_smoke_run_writes_every_figure_as_numbers(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [
        sys.executable, "-m", "bench", "--smoke",
        "--results-dir", str(tmp_path / "results"), "--cache-dir", str(tmp_path / "cache"),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]

    payload = json.loads((tmp_path / "results" / "smoke-latest.json").read_text(encoding="utf-8"))
    assert payload["smoke"] is True
    figures = payload["figures"]
    assert {figure["name"] for figure in figures} == set(BENCHMARKS)
    for figure in figures:
        for key in NUMBERS:
            value = figure[key]
            assert isinstance(value, int | float), (figure["name"], key, value)
            assert math.isfinite(value), (figure["name"], key, value)
            assert value > 0, (figure["name"], key, value)
        assert isinstance(figure["passed"], bool)
        assert figure["samples"] >= 1
    markdown = (tmp_path / "results" / "smoke-latest.md").read_text(encoding="utf-8")
    assert "| figure |" in markdown
    assert "search keystroke" in result.stdout  # the table was printed
