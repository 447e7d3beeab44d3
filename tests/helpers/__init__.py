"""Helpers shared by several test modules (fixture projects, catalogs, servers, HTML
checks); no tests here. conftest.py stays in tests/, pytest's own place for fixtures."""
