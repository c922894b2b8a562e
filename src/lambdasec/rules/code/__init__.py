"""LS5xx code rules: event data reaching dangerous sinks in handler code."""
