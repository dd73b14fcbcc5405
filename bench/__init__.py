"""Benchmarks: `make bench` (or `python -m bench` with DATABASE_URL set).

Each benchmark reports its time as a ratio to a bare view measured in the same run, so
the figures compare across machines; tests pin query counts instead of timing anything.
"""
