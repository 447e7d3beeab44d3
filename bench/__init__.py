"""Benchmarks run by ``make bench-*`` over the real corpus."""
