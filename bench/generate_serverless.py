"""Write deterministic synthetic Serverless Framework projects with N functions for the IaC benchmark."""

from __future__ import annotations

import random
import string
import sys
from collections.abc import Sequence
from pathlib import Path

from generate_sam import _APP_PY, _INDEX_MJS, DEFAULT_SEED, Corpus, project_main

# Functions per service: a project of N functions is N / 100 services, each its own serverless.yml
# (one CloudFormation stack holds at most 500 resources, so real applications split the same way).
PER_SERVICE = 100
_RUNTIMES = (
    ("python3.13", 30),
    ("python3.12", 20),
    ("nodejs22.x", 30),
    ("python3.8", 5),
    ("nodejs16.x", 5),
    ("java21", 10),
)
_HANDLERS = {"python": "app.handler", "nodejs": "index.handler", "java": "bench.Handler::handleRequest"}
_EVENTS = ("http", "sqs", "s3", "schedule")


def generate_service(number: int, first: int, count: int, *, seed: int) -> str:
    """The serverless.yml of service `number` with functions `first` .. `first + count - 1`."""
    rng = random.Random(f"lambdasec-bench-sls:{seed}:{first}:{count}")
    broad = rng.random() < 0.2
    statement = (
        ["        - Effect: Allow", '          Action: "s3:*"', '          Resource: "*"']
        if broad
        else [
            "        - Effect: Allow",
            "          Action:",
            "            - dynamodb:GetItem",
            "            - dynamodb:PutItem",
            "            - dynamodb:Query",
            "          Resource: arn:aws:dynamodb:us-east-1:111122223333:table/bench-${sls:stage}",
        ]
    )
    out = [
        f"service: bench-{number:04d}",
        'frameworkVersion: "3"',
        "",
        "plugins:",
        "  - serverless-iam-roles-per-function",
        "",
        "provider:",
        "  name: aws",
        "  runtime: python3.12",
        "  stage: ${opt:stage, 'bench'}",
        "  region: us-east-1",
        "  memorySize: 256",
        "  timeout: 10",
        "  logRetentionInDays: 14",
        "  environment:",
        "    STAGE: ${sls:stage}",
        "    TABLE_NAME: bench-${sls:stage}",
        "  iam:",
        "    role:",
        "      statements:",
        *statement,
        "",
        "functions:",
    ]
    for index in range(first, first + count):
        out.extend(_function(index, rng))
    return "\n".join(out) + "\n"


def _function(index: int, rng: random.Random) -> list[str]:
    name = f"fn{index:05d}"
    runtime = rng.choices([r for r, _ in _RUNTIMES], weights=[w for _, w in _RUNTIMES])[0]
    family = next(f for f in _HANDLERS if runtime.startswith(f))
    lines = [f"  {name}:", f"    handler: {_HANDLERS[family]}", f"    runtime: {runtime}"]
    if rng.random() < 0.3:
        lines.append(f"    timeout: {rng.choice((3, 30, 60, 300, 900))}")
    lines.extend(_environment(index, rng))
    if index % 5 == 0:
        lines.extend(_own_role(rng))
    if index % 10 == 7:
        lines.append("    url: true" if rng.random() < 0.5 else "    url:\n      authorizer: aws_iam")
    lines.extend(_event(name, _EVENTS[index % len(_EVENTS)], index, rng))
    return lines


def _environment(index: int, rng: random.Random) -> list[str]:
    lines = ["    environment:", f"      LOG_LEVEL: {rng.choice(('DEBUG', 'INFO', 'WARNING'))}"]
    lines.extend(
        f"      FEATURE_{flag}: {rng.choice(('enabled', 'disabled'))}" for flag in range(rng.randint(0, 3))
    )
    roll = rng.random()
    if roll < 0.04:
        lines.append(f"      PAYMENT_SECRET_KEY: sk_live_{_fake_token(rng, 24)}")
    elif roll < 0.08:
        lines.append(f"      DB_PASSWORD: {_fake_token(rng, 16)}")
    elif roll < 0.2:
        lines.append(f"      API_TOKEN: ${{ssm:/bench/{index:05d}/api-token}}")
    return lines


def _fake_token(rng: random.Random, length: int) -> str:
    return "".join(rng.choices(string.ascii_letters + string.digits, k=length))


def _own_role(rng: random.Random) -> list[str]:
    """Statements of a per-function role (serverless-iam-roles-per-function)."""
    roll = rng.random()
    if roll < 0.1:
        action, resource = '"*"', '"*"'
    elif roll < 0.3:
        action, resource = '"sqs:*"', '"*"'
    else:
        action, resource = "sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:bench-out"
    return [
        "    iamRoleStatements:",
        "      - Effect: Allow",
        f"        Action: {action}",
        f"        Resource: {resource}",
    ]


def _event(name: str, kind: str, index: int, rng: random.Random) -> list[str]:
    match kind:
        case "http":
            method = rng.choice(("get", "post", "put", "delete"))
            return [
                "    events:",
                "      - http:",
                f"          path: items{index:05d}/{{id}}",
                f"          method: {method}",
            ]
        case "sqs":
            return [
                "    events:",
                "      - sqs:",
                f"          arn: arn:aws:sqs:us-east-1:111122223333:bench-{name}",
                "          batchSize: 10",
            ]
        case "s3":
            return [
                "    events:",
                "      - s3:",
                f"          bucket: bench-{name}",
                "          event: s3:ObjectCreated:*",
            ]
        case _:
            return ["    events:", f"      - schedule: rate({rng.choice((1, 5, 15, 60))} minutes)"]


def write_corpus(out_dir: Path, *, functions: int, seed: int = DEFAULT_SEED) -> Corpus:
    """Write `functions` functions into `out_dir` as services of 100 functions, each with its handlers."""
    if functions < 1:
        raise ValueError("functions must be at least 1")
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    counts: list[int] = []
    for number, first in enumerate(range(0, functions, PER_SERVICE), start=1):
        count = min(PER_SERVICE, functions - first)
        service = out_dir / f"service-{number:04d}"
        service.mkdir(exist_ok=True)
        (service / "app.py").write_text(_APP_PY, encoding="utf-8")
        (service / "index.mjs").write_text(_INDEX_MJS, encoding="utf-8")
        path = service / "serverless.yml"
        path.write_text(generate_service(number, first, count, seed=seed), encoding="utf-8")
        files.append(path)
        counts.append(count)
    return Corpus(root=out_dir, templates=tuple(files), functions=tuple(counts))


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write one project per size under --out."""
    return project_main(argv, description=__doc__, prefix="serverless", write=write_corpus)


if __name__ == "__main__":
    sys.exit(main())
