"""Test harness: fixture annotations and sidecar expectations."""
