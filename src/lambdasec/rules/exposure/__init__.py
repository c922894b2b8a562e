"""LS2xx exposure rules: function URLs, resource policies and API routes."""
