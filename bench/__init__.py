"""Benchmarks: each module prints figures and ratios against a baseline measured in the same run.

Run them all with `make bench`, or one with `make bench ARGS=<name>` / `python -m bench.<name>`.
They use their own database (`<name>_bench` beside DATABASE_URL's) so `make run`'s data is untouched.
"""
