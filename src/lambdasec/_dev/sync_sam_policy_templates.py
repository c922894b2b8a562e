"""Regenerate data/sam_policy_templates.json from the installed aws-sam-translator package."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from importlib import metadata, resources
from pathlib import Path
from typing import Any

_PACKAGE = "aws-sam-translator"
_TEMPLATES = ("samtranslator", "policy_templates_data/policy_templates.json")
_MANAGED = ("samtranslator", "internal/data/aws_managed_policies.json")
_TARGET = Path(__file__).resolve().parent.parent / "data" / "sam_policy_templates.json"


def _read_json(package: str, path: str) -> Any:
    return json.loads(resources.files(package).joinpath(path).read_text(encoding="utf-8"))


def build(*, today: date) -> dict[str, Any]:
    """The data file's content: policy templates plus AWS managed policies not under the root path."""
    raw = _read_json(*_TEMPLATES)
    templates = {
        name: {
            "Parameters": sorted(body.get("Parameters", {})),
            "Statement": body["Definition"]["Statement"],
        }
        for name, body in sorted(raw["Templates"].items())
    }
    managed = _read_json(*_MANAGED)["aws"]
    pathed = {
        name: arn
        for name, arn in sorted(managed.items())
        if isinstance(arn, str) and arn != f"arn:aws:iam::aws:policy/{name}"
    }
    return {
        "_source": {
            "package": _PACKAGE,
            "version": metadata.version(_PACKAGE),
            "files": ["/".join(_TEMPLATES), "/".join(_MANAGED)],
        },
        "_generated": today.isoformat(),
        "Templates": templates,
        "ManagedPolicyArns": pathed,
    }


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) the data file; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail when the file differs (ignoring the date)")
    args = parser.parse_args(argv)
    content = build(today=date.today())
    if args.check:
        current = json.loads(_TARGET.read_text(encoding="utf-8"))
        current["_generated"] = content["_generated"]
        if current != content:
            sys.stderr.write(
                f"{_TARGET.name} is stale; run python -m lambdasec._dev.sync_sam_policy_templates\n"
            )
            return 1
        return 0
    _TARGET.write_text(json.dumps(content, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
