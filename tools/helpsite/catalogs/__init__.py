"""Gettext catalogs: read strictly, update with nothing lost, compile, check, count."""
