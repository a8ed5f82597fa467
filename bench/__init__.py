"""Benchmarks run by `make bench`; not tests, and nothing in the product imports them."""
