"""LS4xx operations rules: runtimes, concurrency, timeouts, tracing and failure handling."""
