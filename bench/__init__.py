"""Benchmarks of Counterpart against baselines measured in the same run (`python -m bench`); not timed tests."""
