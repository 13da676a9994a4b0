"""`python -m bench [--smoke] [--sizes 1000,10000,100000] [--only NAME]`: run the benchmarks, print the table,
write JSON and Markdown to bench/results/. Exits 0 when every benchmark ran, whether or not targets were met."""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCHMARKS = ("startup", "unlock", "search", "save", "notice_pdf", "backup", "memory", "rotation")
DEFAULT_SIZES = (1000, 10_000, 100_000)
SMOKE_SIZE = 200
RESULTS = Path(__file__).resolve().parent / "results"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help=f"tiny shop ({SMOKE_SIZE}), one repeat: checks it works")
    parser.add_argument("--sizes", help="comma-separated shop sizes (default 1000,10000,100000)")
    parser.add_argument("--only", action="append", choices=BENCHMARKS, help="run only this benchmark (repeatable)")
    parser.add_argument("--results-dir", type=Path, default=RESULTS, help="where JSON and Markdown go")
    parser.add_argument("--cache-dir", type=Path, help="where generated shops are cached (default ~/.cache/…)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.umask(0o077)  # the app's own rule: generated books and copies are private to the user
    from bench import report
    from bench.context import Context

    if args.sizes:
        sizes = sorted(int(part.replace("_", "")) for part in args.sizes.split(",") if part.strip())
    else:
        sizes = [SMOKE_SIZE] if args.smoke else list(DEFAULT_SIZES)
    work = Path(tempfile.mkdtemp(prefix="counterpart-bench-"))
    ctx = Context(sizes=sizes, smoke=args.smoke, work=work, cache_root=args.cache_dir)
    figures = []
    failed: list[str] = []
    try:
        for name in args.only or BENCHMARKS:
            module = importlib.import_module(f"bench.bench_{name}")
            print(f"running {name}…", file=sys.stderr, flush=True)
            started = time.perf_counter()
            try:
                figures.extend(module.run(ctx))
            except Exception as exc:  # one broken benchmark must not hide the others' figures
                failed.append(name)
                print(f"  ! {name} failed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            print(f"  {name} took {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(report.text_table(figures))
    written = report.write(figures, args.results_dir, args.smoke, sizes, ctx.notes)
    print(f"\nresults: {written}")
    if failed:
        print(f"benchmarks that failed to run: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
