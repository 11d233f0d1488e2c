"""Reading case and rubric files: YAML with positions, limits, and findings for every problem."""

from sim.loader.documents import Document, parse_document, read_document
from sim.loader.yaml_nodes import YamlProblem, read_yaml

__all__ = ["Document", "YamlProblem", "parse_document", "read_document", "read_yaml"]
