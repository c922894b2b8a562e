"""Write deterministic synthetic SAM templates with N functions for the scan benchmark."""

from __future__ import annotations

import argparse
import random
import string
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SIZES = (100, 1_000, 10_000)
DEFAULT_SEED = 7

# Runtimes with weights: mostly current, a few deprecated ones for LS401 to find.
_RUNTIMES = (
    ("python3.13", 30),
    ("python3.12", 20),
    ("nodejs24.x", 30),
    ("python3.8", 5),
    ("nodejs16.x", 5),
    ("java21", 10),
)
_EVENT_KINDS = ("Api", "SQS", "S3", "Schedule")
_HANDLERS = {"python": "app.handler", "nodejs": "index.handler", "java": "bench.Handler::handleRequest"}

_APP_PY = '''"""Synthetic handler used by every generated Python function."""


def handler(event, context):
    return {"statusCode": 200, "body": "ok"}
'''
_INDEX_MJS = """// Synthetic handler used by every generated Node.js function.
export const handler = async () => ({ statusCode: 200, body: "ok" });
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class Corpus:
    """What `write_corpus` wrote: the template files and the number of functions in each."""

    root: Path
    templates: tuple[Path, ...]
    functions: tuple[int, ...]

    @property
    def total_bytes(self) -> int:
        """Combined size of the template files."""
        return sum(path.stat().st_size for path in self.templates)


def generate_template(functions: int, *, seed: int = DEFAULT_SEED, first: int = 0, part: str = "") -> str:
    """A SAM template with `functions` functions numbered from `first`; same arguments, same text."""
    rng = random.Random(f"lambdasec-bench:{seed}:{first}:{functions}")
    out: list[str] = [
        'AWSTemplateFormatVersion: "2010-09-09"',
        "Transform: AWS::Serverless-2016-10-31",
        f"Description: Synthetic benchmark stack{part} ({functions} functions, seed {seed}).",
        "",
        "Parameters:",
        "  Stage:",
        "    Type: String",
        "    Default: bench",
        "",
        "Globals:",
        "  Function:",
        "    Timeout: 10",
        "    MemorySize: 256",
        "    Environment:",
        "      Variables:",
        "        STAGE: !Ref Stage",
        "",
        "Resources:",
        "  BenchApi:",
        "    Type: AWS::Serverless::Api",
        "    Properties:",
        "      StageName: !Ref Stage",
        "  BenchTable:",
        "    Type: AWS::DynamoDB::Table",
        "    Properties:",
        "      BillingMode: PAY_PER_REQUEST",
        "      AttributeDefinitions:",
        "        - AttributeName: pk",
        "          AttributeType: S",
        "      KeySchema:",
        "        - AttributeName: pk",
        "          KeyType: HASH",
    ]
    for index in range(first, first + functions):
        out.extend(_function(index, rng))
    return "\n".join(out) + "\n"


def _function(index: int, rng: random.Random) -> list[str]:
    name = f"Fn{index:05d}"
    runtime = rng.choices([r for r, _ in _RUNTIMES], weights=[w for _, w in _RUNTIMES])[0]
    family = next(f for f in _HANDLERS if runtime.startswith(f))
    event = _EVENT_KINDS[index % len(_EVENT_KINDS)]
    explicit_role = index % 5 == 0
    lines = [
        f"  {name}:",
        "    Type: AWS::Serverless::Function",
        "    Properties:",
        f"      FunctionName: !Sub bench-{index:05d}-${{Stage}}",
        "      CodeUri: src/",
        f"      Handler: {_HANDLERS[family]}",
        f"      Runtime: {runtime}",
    ]
    if rng.random() < 0.3:
        lines.append(f"      Timeout: {rng.choice((3, 30, 60, 300, 900))}")
    lines.extend(_environment(index, rng))
    if explicit_role:
        lines.append(f"      Role: !GetAtt {name}Role.Arn")
    else:
        lines.extend(_sam_policies(rng))
    if index % 10 == 7:
        auth = "NONE" if rng.random() < 0.5 else "AWS_IAM"
        lines.extend(["      FunctionUrlConfig:", f"        AuthType: {auth}"])
    lines.extend(_event(name, event, index, rng))
    if explicit_role:
        lines.extend(_role(name, rng))
    if index % 20 == 3:
        lines.extend(_permission(name, rng))
    return lines


def _environment(index: int, rng: random.Random) -> list[str]:
    lines = [
        "      Environment:",
        "        Variables:",
        "          TABLE_NAME: !Ref BenchTable",
        f"          LOG_LEVEL: {rng.choice(('DEBUG', 'INFO', 'WARNING'))}",
    ]
    flags = range(rng.randint(0, 3))
    lines.extend(f"          FEATURE_{flag}: {rng.choice(('enabled', 'disabled'))}" for flag in flags)
    roll = rng.random()
    if roll < 0.04:
        lines.append(f"          PAYMENT_SECRET_KEY: sk_live_{_fake_token(rng, 24)}")
    elif roll < 0.08:
        lines.append(f"          DB_PASSWORD: {_fake_token(rng, 16)}")
    elif roll < 0.2:
        reference = f"{{{{resolve:secretsmanager:bench/{index:05d}:SecretString:token}}}}"
        lines.append(f'          API_TOKEN: "{reference}"')
    elif roll < 0.3:
        lines.append(f"          API_TOKEN_PARAMETER: /bench/{index:05d}/api-token")
    return lines


def _fake_token(rng: random.Random, length: int) -> str:
    return "".join(rng.choices(string.ascii_letters + string.digits, k=length))


def _sam_policies(rng: random.Random) -> list[str]:
    choices = [
        ["        - DynamoDBCrudPolicy:", "            TableName: !Ref BenchTable"],
        ["        - DynamoDBReadPolicy:", "            TableName: !Ref BenchTable"],
        ["        - S3ReadPolicy:", "            BucketName: bench-shared-data"],
        ["        - SSMParameterReadPolicy:", "            ParameterName: bench/config"],
        ["        - AWSLambdaBasicExecutionRole"],
        [
            "        - Statement:",
            "            - Effect: Allow",
            "              Action: [sqs:SendMessage, sqs:GetQueueUrl]",
            '              Resource: "*"',
        ],
    ]
    lines = ["      Policies:"]
    for chosen in rng.sample(choices, k=rng.randint(1, 3)):
        lines.extend(chosen)
    return lines


def _event(name: str, kind: str, index: int, rng: random.Random) -> list[str]:
    lines = ["      Events:", "        Trigger:", f"          Type: {kind}", "          Properties:"]
    extra: list[str] = []
    match kind:
        case "Api":
            lines.extend(
                [
                    "            RestApiId: !Ref BenchApi",
                    f"            Path: /items{index:05d}/{{id}}",
                    f"            Method: {rng.choice(('get', 'post', 'put', 'delete'))}",
                ]
            )
        case "SQS":
            lines.extend([f"            Queue: !GetAtt {name}Queue.Arn", "            BatchSize: 10"])
            extra = [f"  {name}Queue:", "    Type: AWS::SQS::Queue"]
        case "S3":
            lines.extend([f"            Bucket: !Ref {name}Bucket", "            Events: s3:ObjectCreated:*"])
            extra = [f"  {name}Bucket:", "    Type: AWS::S3::Bucket"]
        case "Schedule":
            lines.append(f"            Schedule: rate({rng.choice((1, 5, 15, 60))} minutes)")
        case _:
            raise ValueError(f"unknown event kind {kind}")
    return lines + extra


def _role(name: str, rng: random.Random) -> list[str]:
    roll = rng.random()
    if roll < 0.1:
        statement = ['                Action: "*"', '                Resource: "*"']
    elif roll < 0.25:
        statement = ['                Action: "s3:*"', '                Resource: "*"']
    else:
        statement = [
            "                Action:",
            "                  - dynamodb:GetItem",
            "                  - dynamodb:PutItem",
            "                  - dynamodb:Query",
            "                Resource: !GetAtt BenchTable.Arn",
        ]
    return [
        f"  {name}Role:",
        "    Type: AWS::IAM::Role",
        "    Properties:",
        "      AssumeRolePolicyDocument:",
        '        Version: "2012-10-17"',
        "        Statement:",
        "          - Effect: Allow",
        "            Principal:",
        "              Service: lambda.amazonaws.com",
        "            Action: sts:AssumeRole",
        "      ManagedPolicyArns:",
        "        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "      Policies:",
        "        - PolicyName: app",
        "          PolicyDocument:",
        '            Version: "2012-10-17"',
        "            Statement:",
        "              - Effect: Allow",
        *statement,
    ]


def _permission(name: str, rng: random.Random) -> list[str]:
    lines = [
        f"  {name}Permission:",
        "    Type: AWS::Lambda::Permission",
        "    Properties:",
        "      Action: lambda:InvokeFunction",
        f"      FunctionName: !GetAtt {name}.Arn",
    ]
    roll = rng.random()
    if roll < 0.3:
        lines.append('      Principal: "*"')
    elif roll < 0.6:
        lines.extend(['      Principal: "123456789012"'])
    else:
        lines.extend(
            [
                "      Principal: sns.amazonaws.com",
                "      SourceArn: !Sub arn:aws:sns:${AWS::Region}:${AWS::AccountId}:bench-topic",
            ]
        )
    return lines


def write_corpus(
    out_dir: Path, *, functions: int, seed: int = DEFAULT_SEED, per_template: int | None = None
) -> Corpus:
    """Write `functions` functions into `out_dir` (one template, or several of `per_template` each).

    Also writes the shared handler sources under `src/` so every `CodeUri` exists.
    """
    if functions < 1:
        raise ValueError("functions must be at least 1")
    chunk = per_template if per_template and per_template > 0 else functions
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("template*.yaml"):
        stale.unlink()
    src = out_dir / "src"
    src.mkdir(exist_ok=True)
    (src / "app.py").write_text(_APP_PY, encoding="utf-8")
    (src / "index.mjs").write_text(_INDEX_MJS, encoding="utf-8")
    starts = range(0, functions, chunk)
    templates: list[Path] = []
    counts: list[int] = []
    for number, first in enumerate(starts, start=1):
        count = min(chunk, functions - first)
        single = len(starts) == 1
        path = out_dir / ("template.yaml" if single else f"template-{number:04d}.yaml")
        part = "" if single else f" part {number} of {len(starts)}"
        path.write_text(generate_template(count, seed=seed, first=first, part=part), encoding="utf-8")
        templates.append(path)
        counts.append(count)
    return Corpus(root=out_dir, templates=tuple(templates), functions=tuple(counts))


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write one corpus per size under --out."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in DEFAULT_SIZES),
        help="comma-separated function counts (default: %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--per-template", type=int, default=0, help="functions per file (0: all in one)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = parser.parse_args(argv)
    for size in (int(s) for s in args.sizes.split(",")):
        corpus = write_corpus(
            args.out / f"sam-{size}", functions=size, seed=args.seed, per_template=args.per_template
        )
        files = len(corpus.templates)
        print(f"{corpus.root}: {size} functions in {files} file(s), {corpus.total_bytes:,} bytes")
    return 0


def project_main(
    argv: Sequence[str] | None, *, description: str | None, prefix: str, write: Callable[..., Corpus]
) -> int:
    """The command line of a project generator: `write(out/<prefix>-<size>, functions=, seed=)` per size."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in DEFAULT_SIZES),
        help="comma-separated function counts (default: %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = parser.parse_args(argv)
    for size in (int(s) for s in args.sizes.split(",")):
        corpus = write(args.out / f"{prefix}-{size}", functions=size, seed=args.seed)
        print(
            f"{corpus.root}: {size} functions in {len(corpus.templates)} file(s),"
            f" {corpus.total_bytes:,} bytes"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
