"""Entry point for `python -m lambdasec`."""

from lambdasec._cli import main

raise SystemExit(main())
