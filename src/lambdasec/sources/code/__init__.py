"""Handler code as a source: code files, handlers joined to their functions, taint flows and secrets."""

from lambdasec.sources.code.pipeline import analyze_code

__all__ = ["analyze_code"]
