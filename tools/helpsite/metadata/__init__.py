"""Front-matter metadata: the JSON Schema, the normalisation of real shapes, and its check."""

from helpsite.metadata.check import MetadataChecker, MetadataResult
from helpsite.metadata.schema import PageKind, known_keys, load_schema

__all__ = ["MetadataChecker", "MetadataResult", "PageKind", "known_keys", "load_schema"]
