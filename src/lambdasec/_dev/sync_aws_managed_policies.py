"""Regenerate data/aws_managed_policies.json from moto's snapshot of the AWS managed policies.

moto (https://github.com/getmoto/moto) keeps `moto/iam/aws_managed_policies.py`, produced by its
`scripts/update_managed_policies.py`, which calls IAM `ListPolicies(Scope=AWS)` and
`GetPolicyVersion` for the default version of each policy in a real account. moto is not a runtime
dependency: pass the file (or a moto wheel) with `--from`, or have moto installed.

    pip download moto --no-deps -d /tmp/moto
    python -m lambdasec._dev.sync_aws_managed_policies --from /tmp/moto/moto-*.whl
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
import zipfile
from datetime import date
from importlib import metadata, util
from pathlib import Path
from typing import Any

_MODULE = "moto/iam/aws_managed_policies.py"
_TARGET = Path(__file__).resolve().parent.parent / "data" / "aws_managed_policies.json"


def _read_source(origin: Path | None) -> tuple[str, str]:
    """The text of moto's module and the moto version it came from."""
    if origin is None:
        spec = util.find_spec("moto.iam.aws_managed_policies")
        if spec is None or spec.origin is None:
            raise SystemExit("moto is not installed; pass --from a moto wheel or aws_managed_policies.py")
        return Path(spec.origin).read_text(encoding="utf-8"), metadata.version("moto")
    if origin.suffix == ".whl":
        with zipfile.ZipFile(origin) as wheel:
            text = wheel.read(_MODULE).decode("utf-8")
        found = re.match(r"moto-([^-]+)-", origin.name)
        return text, found.group(1) if found else "unknown"
    return origin.read_text(encoding="utf-8"), "unknown"


def _policies(module_text: str) -> dict[str, Any]:
    """Parse the module's `aws_managed_policies_data` JSON string without executing the module."""
    for node in ast.parse(module_text).body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "aws_managed_policies_data" for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            data: dict[str, Any] = json.loads(node.value.value)
            return data
    raise SystemExit("aws_managed_policies_data not found in the moto module")


def build(module_text: str, *, moto_version: str, today: date) -> dict[str, Any]:
    """The data file's content: metadata plus `{path + name: {version, updated, document}}`."""
    policies = {
        f"{body['Path']}{name}": {
            "version": body["DefaultVersionId"],
            "updated": body["UpdateDate"],
            "document": body["Document"],
        }
        for name, body in sorted(_policies(module_text).items())
    }
    return {
        "_about": (
            "Documents of the AWS managed IAM policies (default versions), keyed by path and name as in "
            "arn:<partition>:iam::aws:policy<path><name>. Used offline to evaluate roles that attach them."
        ),
        "_source": {
            "package": "moto",
            "version": moto_version,
            "file": _MODULE,
            "produced_by": (
                "moto scripts/update_managed_policies.py: IAM ListPolicies(Scope=AWS) and GetPolicyVersion "
                "of each default version in a real AWS account"
            ),
            "regenerate": "python -m lambdasec._dev.sync_aws_managed_policies --from <moto wheel>",
            "newest_policy_update": max((p["updated"] for p in policies.values()), default=None),
        },
        "_generated": today.isoformat(),
        "policies": policies,
    }


def render(content: dict[str, Any]) -> str:
    """JSON with one policy per line, so updates diff per policy."""
    head = {k: v for k, v in content.items() if k != "policies"}
    lines = ["{"]
    lines.extend(f" {json.dumps(k)}: {json.dumps(v, sort_keys=True)}," for k, v in head.items())
    lines.append(' "policies": {')
    items = list(content["policies"].items())
    for index, (name, body) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        lines.append(
            f"  {json.dumps(name)}: {json.dumps(body, separators=(',', ':'), sort_keys=True)}{comma}"
        )
    lines.extend([" }", "}"])
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) the data file; returns the exit code."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--from", dest="origin", type=Path, help="moto wheel or aws_managed_policies.py")
    parser.add_argument("--check", action="store_true", help="fail when the file differs (ignoring the date)")
    args = parser.parse_args(argv)
    text, version = _read_source(args.origin)
    content = build(text, moto_version=version, today=date.today())
    if args.check:
        current = json.loads(_TARGET.read_text(encoding="utf-8"))
        current["_generated"] = content["_generated"]
        if current != content:
            sys.stderr.write(
                f"{_TARGET.name} is stale; run python -m lambdasec._dev.sync_aws_managed_policies\n"
            )
            return 1
        return 0
    _TARGET.write_text(render(content), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
