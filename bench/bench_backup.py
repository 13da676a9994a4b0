"""Backup export + verify, in a child process whose peak memory is read from outside (/proc VmHWM),
against raw AES-GCM encryption and decryption of the same database bytes in a child of its own.

Run as `python -m bench.bench_backup <mode> <folder> <repeat>` by the parent; mode is "backup" or "raw"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.context import Context
from bench.measure import Figure, Stats
from bench.shop_generator import PASSPHRASE, SHOP, working_copy
from core.storage.data_folder import DataFolder

NAME = "backup"
TARGET_MS = 5000.0
PEAK_LIMIT_MB = 500.0


def _child_backup(folder: DataFolder, repeat: int) -> list[float]:
    from core.backup import create_backup
    from core.keys import vault
    from core.storage.engine import create_sqlite_engine
    from core.storage.vault_file import read_vault

    header = read_vault(folder.vault)
    keys = vault.open_with_passphrase(header, PASSPHRASE)
    engine = create_sqlite_engine(folder.database)
    samples: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-backups-") as destination:
        for attempt in range(repeat + 1):
            started = time.perf_counter()
            result = create_backup(
                engine=engine,
                folder=folder,
                shop_name=SHOP.name,
                recipient=header.backup_recipient,
                identity=keys.backup_identity,
                destination=Path(destination),
            )
            elapsed = (time.perf_counter() - started) * 1000.0
            result.path.unlink()
            if attempt:
                samples.append(elapsed)
    engine.dispose()
    return samples


def _child_raw(folder: DataFolder, repeat: int) -> list[float]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    data = folder.database.read_bytes() + folder.vault.read_bytes()
    aead = AESGCM(AESGCM.generate_key(bit_length=256))
    samples: list[float] = []
    for attempt in range(repeat + 1):
        started = time.perf_counter()
        nonce = os.urandom(12)
        sealed = aead.encrypt(nonce, data, None)
        if aead.decrypt(nonce, sealed, None) != data:
            raise RuntimeError("AES-GCM round trip failed")
        elapsed = (time.perf_counter() - started) * 1000.0
        del sealed
        if attempt:
            samples.append(elapsed)
    return samples


def _peak_mb(pid: int) -> float:
    """The kernel's high-water mark of a process's resident memory (VmHWM), read from outside via /proc."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    raise RuntimeError("no VmHWM in /proc (not Linux?)")


def _run_child(mode: str, folder: DataFolder, repeat: int) -> tuple[list[float], float]:
    """Milliseconds per run and the child's peak resident memory in MB. The child reports its timings, then
    waits until the parent has read its peak (ru_maxrss from wait4 would carry the parent's own size over)."""
    command = [sys.executable, "-m", "bench.bench_backup", mode, str(folder.root), str(repeat)]
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, text=True)
        assert child.stdout is not None
        assert child.stdin is not None
        line = child.stdout.readline()
        peak = _peak_mb(child.pid) if child.poll() is None else float("nan")
        child.stdin.write("done\n")
        child.stdin.flush()
        child.wait(timeout=120)
        if child.returncode != 0 or not line:
            errors.seek(0)
            raise RuntimeError(f"backup child ({mode}) failed: {errors.read().decode(errors='replace')[-2000:]}")
    payload: dict[str, Any] = json.loads(line)
    return payload["samples"], peak


def run(ctx: Context) -> list[Figure]:
    repeat = ctx.repeats(3, 1)
    figures: list[Figure] = []
    for size in ctx.sizes:
        folder = working_copy(ctx.shop(size), ctx.work / "backup")
        mine, peak = _run_child("backup", folder, repeat)
        theirs, raw_peak = _run_child("raw", folder, repeat)
        stats, base = Stats.of(mine), Stats.of(theirs)
        figures.append(
            Figure(
                name=NAME,
                label="backup export + verify",
                size=size,
                unit="ms",
                median=stats.median,
                p95=stats.p95,
                baseline_label="raw AES-GCM encrypt + decrypt of the same bytes",
                baseline_median=base.median,
                baseline_p95=base.p95,
                target="≤ 5 s, peak < 500 MB",
                passed=stats.median <= TARGET_MS and peak < PEAK_LIMIT_MB,
                samples=stats.count,
                note=f"peak resident memory {peak:.0f} MB (raw AES-GCM child: {raw_peak:.0f} MB)",
                extra={
                    "peak_mb": round(peak, 1),
                    "baseline_peak_mb": round(raw_peak, 1),
                    "database_mb": round(folder.database.stat().st_size / 1e6, 1),
                },
            )
        )
    return figures


def _child_main(argv: list[str]) -> int:
    mode, root, repeat = argv[0], Path(argv[1]), int(argv[2])
    folder = DataFolder(root)
    samples = _child_backup(folder, repeat) if mode == "backup" else _child_raw(folder, repeat)
    print(json.dumps({"samples": samples}), flush=True)
    sys.stdin.readline()  # stay alive until the parent has read our peak memory
    return 0


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
