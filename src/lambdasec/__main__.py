"""Entry point for `python -m lambdasec`."""

from lambdasec._cli import run

run()
