"""Exceptions that cross module boundaries."""

from __future__ import annotations


class LambdasecError(Exception):
    """Base class for errors lambdasec reports to the user."""


class ConfigError(LambdasecError):
    """Invalid configuration or command-line usage (exit code 2)."""
