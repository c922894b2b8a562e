"""LS1xx identity rules: execution roles and their policies."""
