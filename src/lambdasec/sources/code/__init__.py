"""Handler code as a source: code files, handlers joined to their functions, taint flows and secrets."""
