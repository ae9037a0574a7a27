"""Fixtures of the write services' tests."""
