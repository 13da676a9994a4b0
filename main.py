"""Counterpart launcher: parse arguments, keep files private, then hand over to ui.app.run()."""

from __future__ import annotations

import argparse
import os
import sys


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="counterpart", description="A careful customer book for a small shop.")
    parser.add_argument("--data-dir", help="use this folder for the customer book instead of the default")
    parser.add_argument("--demo", action="store_true", help="open a throwaway demo shop with generated customers")
    # For bench/bench_startup.py: quit once the locked window is on screen / once the book can be unlocked.
    parser.add_argument("--bench-exit-when-shown", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bench-exit-when-ready", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    os.umask(0o077)  # every file this process creates is private to the user, including SQLite's -wal/-shm
    from ui.app import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
