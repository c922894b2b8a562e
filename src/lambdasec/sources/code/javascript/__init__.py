"""JavaScript and TypeScript handler analysis with tree-sitter: parsing, handlers, taint flows to sinks."""

from lambdasec.sources.code.javascript.analyzer import JavaScriptAnalyzer

__all__ = ["JavaScriptAnalyzer"]
