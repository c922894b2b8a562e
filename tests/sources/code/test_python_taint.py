"""Python taint analysis: sources, propagation, sanitizers, sinks and traces, flow by flow."""

from __future__ import annotations

import textwrap

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import (
    CodeUnit,
    Flow,
    FlowStep,
    HandlerMatch,
    Language,
    Origin,
    SinkKind,
    SourceKind,
    Taint,
    TriggerKind,
)
from lambdasec.sources.code.analyzer import Package, ParsedFile
from lambdasec.sources.code.python import PythonAnalyzer

ANALYZER = PythonAnalyzer()
EVENT = frozenset({Taint.EVENT})


def analyze(
    files: dict[str, str],
    *,
    handler: str = "app.py",
    symbol: str = "handler",
    triggers: tuple[TriggerKind, ...] = (),
    http: bool = False,
) -> tuple[Flow, ...]:
    texts = {path: textwrap.dedent(text).lstrip("\n") for path, text in files.items()}
    package = Package(
        root="src",
        paths=frozenset(texts),
        loader=lambda path: ANALYZER.parse(path=path, display=f"src/{path}", text=texts[path]),
    )
    parsed = package.load(handler)
    assert isinstance(parsed, ParsedFile)
    unit = CodeUnit(
        key=f"src/{handler}:{symbol}",
        file=f"src/{handler}",
        symbol=symbol,
        language=Language.PYTHON,
        function="fn",
        match=HandlerMatch.INFRASTRUCTURE,
        triggers=triggers,
        http=http,
        origin=Origin(
            source=SourceKind.CODE, file=f"src/{handler}", line=1, resource=f"src/{handler}:{symbol}"
        ),
    )
    analysis = ANALYZER.analyze(unit, parsed=parsed, package=package)
    assert analysis.diagnostics == ()
    return analysis.flows


def diagnostics_of(files: dict[str, str], *, symbol: str) -> tuple[Diagnostic, ...]:
    texts = {path: textwrap.dedent(text).lstrip("\n") for path, text in files.items()}
    package = Package(
        root="src",
        paths=frozenset(texts),
        loader=lambda path: ANALYZER.parse(path=path, display=f"src/{path}", text=texts[path]),
    )
    parsed = package.load("app.py")
    assert isinstance(parsed, ParsedFile)
    unit = CodeUnit(
        key=f"src/app.py:{symbol}",
        file="src/app.py",
        symbol=symbol,
        language=Language.PYTHON,
        origin=Origin(source=SourceKind.CODE, file="src/app.py", line=1, resource=f"src/app.py:{symbol}"),
    )
    analysis = ANALYZER.analyze(unit, parsed=parsed, package=package)
    assert analysis.flows == ()
    return analysis.diagnostics


def sites(flows: tuple[Flow, ...]) -> set[tuple[SinkKind, str, str | None, int | None]]:
    return {(f.sink, f.callee, f.origin.file, f.origin.line) for f in flows}


def step(line: int, note: str, file: str = "src/app.py") -> FlowStep:
    return FlowStep(file=file, line=line, note=note)


def test_renamed_event_parameter_to_shell_with_full_trace_and_key() -> None:
    flows = analyze(
        {
            "app.py": """
                import subprocess

                def handler(request, ctx):
                    name = request["queryStringParameters"]["name"]
                    cmd = f"ls {name}"
                    subprocess.run(cmd, shell=True)
            """
        },
        http=True,
    )
    assert flows == (
        Flow(
            key="src/app.py:handler#shell:subprocess.run:1",
            unit="src/app.py:handler",
            function="fn",
            sink=SinkKind.SHELL,
            callee="subprocess.run",
            taints=EVENT,
            steps=(
                step(4, 'request["queryStringParameters"]["name"]'),
                step(5, 'cmd = f"ls {name}"'),
                step(6, "subprocess.run(cmd, shell=True)"),
            ),
            certain=True,
            origin=Origin(
                source=SourceKind.CODE,
                file="src/app.py",
                line=6,
                resource="src/app.py:handler#shell:subprocess.run:1",
                fields=(("sink", 6),),
            ),
        ),
    )


def test_access_paths_get_chains_and_record_loops() -> None:
    flows = analyze(
        {
            "app.py": """
                import os

                def handler(event, context):
                    q = event.get("queryStringParameters", {}).get("q")
                    os.system("echo " + q)
                    for record in event["Records"]:
                        os.system(record["body"])
                    key = event["Records"][0]["s3"]["object"]["key"]
                    os.system(key)
            """
        }
    )
    assert [(f.origin.line, f.steps[0]) for f in flows] == [
        (5, step(4, 'event.get("queryStringParameters", {}).get("q")')),
        (7, step(7, 'record["body"]')),
        (9, step(8, 'event["Records"][0]["s3"]["object"]["key"]')),
    ]
    assert [f.key for f in flows] == [
        "src/app.py:handler#shell:os.system:1",
        "src/app.py:handler#shell:os.system:2",
        "src/app.py:handler#shell:os.system:3",
    ]


S3_HANDLER = """
    import os

    def handler(event, context):
        record = event["Records"][0]
        bucket = record["s3"]["bucket"]["name"]
        key = record["s3"]["object"]["key"]
        os.system("aws s3 cp s3://" + bucket + "/x /tmp/x")
        os.system("rm /tmp/" + key)
"""


def test_trigger_decides_which_event_fields_are_tainted() -> None:
    s3 = analyze({"app.py": S3_HANDLER}, triggers=(TriggerKind.S3,))
    assert sites(s3) == {(SinkKind.SHELL, "os.system", "src/app.py", 8)}
    schedule = analyze({"app.py": S3_HANDLER}, triggers=(TriggerKind.SCHEDULE,))
    assert schedule == ()
    unknown = analyze({"app.py": S3_HANDLER})
    assert sites(unknown) == {
        (SinkKind.SHELL, "os.system", "src/app.py", 7),
        (SinkKind.SHELL, "os.system", "src/app.py", 8),
    }


def test_helper_in_another_module_reports_at_its_sink_with_the_call_in_the_trace() -> None:
    flows = analyze(
        {
            "app.py": """
                from .db import find

                def handler(event, context):
                    customer = event["pathParameters"]["id"]
                    return find(customer)
            """,
            "db.py": """
                import sqlite3

                def find(value):
                    query = "SELECT * FROM t WHERE id = '%s'" % value
                    return sqlite3.connect("x").execute(query).fetchall()
            """,
        },
        http=True,
    )
    assert len(flows) == 1
    flow = flows[0]
    assert (flow.sink, flow.callee, flow.origin.file, flow.origin.line, flow.certain) == (
        SinkKind.SQL,
        'sqlite3.connect("x").execute',
        "src/db.py",
        5,
        True,
    )
    assert flow.steps == (
        step(4, 'event["pathParameters"]["id"]'),
        step(5, "passed to find(customer) in src/db.py"),
        step(4, "query = \"SELECT * FROM t WHERE id = '%s'\" % value", file="src/db.py"),
        step(5, 'sqlite3.connect("x").execute(query)', file="src/db.py"),
    )


def test_package_module_imported_whole_and_same_module_helpers() -> None:
    flows = analyze(
        {
            "app.py": """
                import pkg.util
                from pkg import util as u

                def run(command):
                    import os
                    os.system(command)

                def handler(event, context):
                    pkg.util.shell(event["a"])
                    u.shell(event["b"])
                    run(event["c"])
            """,
            "pkg/__init__.py": "",
            "pkg/util.py": """
                import subprocess

                def shell(cmd):
                    subprocess.call(cmd, shell=True)
            """,
        }
    )
    assert sites(flows) == {
        (SinkKind.SHELL, "subprocess.call", "src/pkg/util.py", 4),
        (SinkKind.SHELL, "os.system", "src/app.py", 6),
    }
    util = next(f for f in flows if f.callee == "subprocess.call")
    assert util.steps[0] == step(9, 'event["a"]')  # the shortest of the two traces reaching it


def test_returned_taint_flows_back_to_the_caller() -> None:
    flows = analyze(
        {
            "app.py": """
                import os
                from helpers import build

                def handler(event, context):
                    command = build(event["body"])
                    os.system(command)
            """,
            "helpers.py": """
                def build(text):
                    return "echo " + text.strip()
            """,
        }
    )
    assert [f.steps for f in flows] == [
        (
            step(5, 'event["body"]'),
            step(5, 'passed to build(event["body"]) in src/helpers.py'),
            step(2, 'return "echo " + text.strip()', file="src/helpers.py"),
            step(5, 'returned by build(event["body"])'),
            step(6, "os.system(command)"),
        )
    ]


def test_unknown_library_call_keeps_taint_but_marks_the_flow_uncertain() -> None:
    flows = analyze(
        {
            "app.py": """
                import os
                import vendor

                def handler(event, context):
                    os.system(vendor.transform(event["body"]))
                    os.system(event["body"].strip().lower())
            """
        }
    )
    assert [(f.origin.line, f.certain) for f in flows] == [(5, False), (6, True)]


def test_sanitizers_and_guards_stop_injection_flows() -> None:
    flows = analyze(
        {
            "app.py": """
                import os
                import re
                import shlex
                import uuid

                ALLOWED = {"ls", "df"}
                COMMANDS = {"list": "ls -l", "disk": "df -h"}

                def handler(event, context):
                    raw = event["body"]
                    os.system("seq " + str(int(raw)))
                    os.system("ls " + shlex.quote(raw))
                    os.system(COMMANDS[raw])
                    os.system(COMMANDS.get(raw, "true"))
                    os.system("rm " + str(uuid.UUID(raw)))
                    if raw in ALLOWED:
                        os.system(raw)
                    tool = event["tool"]
                    if tool not in ("ls", "df"):
                        raise ValueError(tool)
                    os.system(tool)
                    word = event["word"]
                    if not re.fullmatch(r"[a-z]+", word):
                        return None
                    os.system("echo " + word)
                    digits = event["digits"]
                    assert digits.isdigit()
                    os.system("seq " + digits)
                    os.system(raw)
            """
        }
    )
    assert sites(flows) == {(SinkKind.SHELL, "os.system", "src/app.py", 29)}


def test_shlex_quote_sanitizes_for_the_shell_only() -> None:
    flows = analyze(
        {
            "app.py": """
                import os
                import shlex

                def handler(event, context):
                    quoted = shlex.quote(event["body"])
                    os.system("cat " + quoted)
                    eval(quoted)
            """
        }
    )
    assert sites(flows) == {(SinkKind.CODE, "eval", "src/app.py", 7)}


def test_value_reassigned_from_a_constant_is_clean_but_a_branch_keeps_taint() -> None:
    flows = analyze(
        {
            "app.py": """
                import os

                def handler(event, context):
                    target = event["target"]
                    target = "/tmp"
                    os.system("du " + target)
                    other = event["other"]
                    if context.debug:
                        other = "x"
                    os.system("du " + other)
                    name, size = event["name"], 3
                    os.system("touch " + name)
            """
        }
    )
    assert sites(flows) == {
        (SinkKind.SHELL, "os.system", "src/app.py", 10),
        (SinkKind.SHELL, "os.system", "src/app.py", 12),
    }


def test_containers_comprehensions_append_and_augmented_assignment() -> None:
    flows = analyze(
        {
            "app.py": """
                import os

                def handler(event, context):
                    parts = []
                    parts.append(event["a"])
                    os.system(" ".join(parts))
                    names = [n.upper() for n in event["names"]]
                    os.system(names[0])
                    line = "echo "
                    line += event["b"]
                    os.system(line)
                    mapping = {"k": event["c"]}
                    os.system(mapping["k"])
                    os.system("echo {}".format(event["d"]))
                    os.system("echo %s %s" % (1, event["e"]))
            """
        }
    )
    assert [f.origin.line for f in flows] == [6, 8, 11, 13, 14, 15]


def test_schema_validation_makes_the_event_safe_for_injection_but_not_for_logging() -> None:
    flows = analyze(
        {
            "app.py": """
                import json
                import os
                from jsonschema import validate

                SCHEMA = {"type": "object"}

                def handler(event, context):
                    body = json.loads(event["body"])
                    validate(instance=body, schema=SCHEMA)
                    os.system("echo " + body["name"])
                    print(body["password"])
            """
        },
        http=True,
    )
    assert [(f.sink, f.origin.line, f.taints) for f in flows] == [
        (SinkKind.LOG, 11, frozenset({Taint.EVENT, Taint.CREDENTIAL}))
    ]


def test_path_containment_check_needs_normalization_first() -> None:
    flows = analyze(
        {
            "app.py": """
                import os

                BASE = "/srv/files"

                def handler(event, context):
                    name = event["name"]
                    safe = os.path.realpath(os.path.join(BASE, name))
                    if not safe.startswith(BASE + "/"):
                        return {"statusCode": 400}
                    open(safe).read()
                    loose = os.path.join(BASE, name)
                    if not loose.startswith(BASE):
                        return {"statusCode": 400}
                    open(loose).read()
                    open(f"/tmp/{name}", "w").close()
            """
        }
    )
    assert [(f.origin.line, f.steps[-1].note) for f in flows] == [
        (14, "open(loose)"),
        (15, 'open(f"/tmp/{name}", "w") (under /tmp)'),
    ]


def test_environment_and_secret_sources_reach_logs() -> None:
    flows = analyze(
        {
            "app.py": """
                import logging
                import os
                import boto3

                logger = logging.getLogger(__name__)
                ssm = boto3.client("ssm")
                PASSWORD = os.environ["DB_PASSWORD"]

                def handler(event, context):
                    logger.info("env %s", os.environ)
                    logger.info("table %s", os.getenv("TABLE_NAME"))
                    logger.info("key %s", os.environ.get("API_KEY"))
                    logger.info(PASSWORD)
                    value = ssm.get_parameter(Name="p", WithDecryption=True)["Parameter"]["Value"]
                    logger.info(value)
                    plain = ssm.get_parameter(Name="p")["Parameter"]["Value"]
                    logger.info(plain)
                    logger.info(event)
                    logger.info(event["requestContext"]["authorizer"])
            """
        },
        http=True,
    )
    assert [(f.origin.line, f.taints) for f in flows] == [
        (10, frozenset({Taint.ENVIRONMENT})),
        (12, frozenset({Taint.SECRET})),
        (13, frozenset({Taint.SECRET})),
        (15, frozenset({Taint.SECRET})),
        (18, frozenset({Taint.EVENT_WHOLE, Taint.EVENT})),
    ]
    assert {f.sink for f in flows} == {SinkKind.LOG}


def test_powertools_log_event_decorator_logs_the_whole_event() -> None:
    flows = analyze(
        {
            "app.py": """
                from aws_lambda_powertools import Logger

                logger = Logger()

                @logger.inject_lambda_context(log_event=True)
                def handler(event, context):
                    return {}
            """
        }
    )
    assert [(f.sink, f.callee, f.origin.line, f.taints, f.steps[-1].note) for f in flows] == [
        (
            SinkKind.LOG,
            "logger.inject_lambda_context",
            5,
            frozenset({Taint.EVENT_WHOLE, Taint.EVENT}),  # no trigger known: the whole event is untrusted
            "logger.inject_lambda_context(log_event=True) logs the whole event",
        )
    ]


def test_secret_written_to_tmp_unless_the_file_is_removed() -> None:
    flows = analyze(
        {
            "app.py": """
                import boto3
                from cleanup import purge

                sm = boto3.client("secretsmanager")

                def handler(event, context):
                    secret = sm.get_secret_value(SecretId="s")["SecretString"]
                    with open("/tmp/kept.txt", "w") as kept:
                        kept.write(secret)
                    with open("/tmp/work/removed.txt", "w") as removed:
                        removed.write(secret)
                    with open("/tmp/read.txt") as reading:
                        reading.read()
                    purge()
            """,
            "cleanup.py": """
                import shutil

                def purge():
                    shutil.rmtree("/tmp/work")
            """,
        }
    )
    assert [(f.sink, f.callee, f.origin.line, f.taints) for f in flows] == [
        (SinkKind.TMP_WRITE, "kept.write", 9, frozenset({Taint.SECRET}))
    ]


def test_redirect_response_with_an_event_location() -> None:
    flows = analyze(
        {
            "app.py": """
                def handler(event, context):
                    target = event["queryStringParameters"]["next"]
                    if target == "/":
                        return {"statusCode": 200, "headers": {"Location": target}}
                    return {
                        "statusCode": 302,
                        "headers": {"Location": target},
                    }
            """
        },
        http=True,
    )
    assert [(f.sink, f.callee, f.origin.line) for f in flows] == [(SinkKind.REDIRECT, "Location", 7)]


def test_a_handler_bound_to_a_non_function_is_a_warning_not_a_flow() -> None:
    files = {
        "app.py": """
            from mangum import Mangum
            handler = Mangum(object())
        """
    }
    message = "handler `{}` is not a function defined in the package; its code is not analysed"
    assert diagnostics_of(files, symbol="handler") == (
        Diagnostic(
            level=DiagnosticLevel.WARNING,
            source="code",
            message=message.format("handler"),
            file="src/app.py",
            line=2,
        ),
    )
    assert diagnostics_of(files, symbol="missing") == (
        Diagnostic(
            level=DiagnosticLevel.WARNING,
            source="code",
            message=message.format("missing"),
            file="src/app.py",
            line=None,
        ),
    )


def test_recursion_and_depth_are_bounded() -> None:
    flows = analyze(
        {
            "app.py": """
                import os

                def loop(value, n):
                    return loop(value, n - 1) if n else value

                def a(x):
                    return b(x)

                def b(x):
                    return c(x)

                def c(x):
                    return d(x)

                def d(x):
                    os.system(x)

                def handler(event, context):
                    os.system(loop(event["body"], 3))
                    a(event["body"])
                    c(event["body"])
            """
        }
    )
    assert [(f.origin.line, f.certain) for f in flows] == [(16, True), (19, False)]


def test_handler_imported_from_another_module_is_analysed_there() -> None:
    flows = analyze(
        {
            "app.py": """
                from .impl import process as handler
            """,
            "impl.py": """
                import os

                def process(event, context):
                    os.system(event["body"])
            """,
        }
    )
    assert [(f.origin.file, f.origin.line, f.steps[0]) for f in flows] == [
        ("src/impl.py", 4, step(4, 'event["body"]', file="src/impl.py"))
    ]


def test_client_objects_and_powertools_event_data_classes() -> None:
    flows = analyze(
        {
            "app.py": """
                import aiohttp
                import urllib3
                import yaml
                from pathlib import Path
                from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
                from aws_lambda_powertools.utilities.validation import validate

                http = urllib3.PoolManager()

                async def handler(raw, context):
                    event = APIGatewayProxyEvent(raw)
                    url = event.get_query_string_value("url")
                    async with aiohttp.ClientSession() as session:
                        await session.get(url)
                    http.request("GET", event.json_body["target"])
                    Path(event.path_parameters["file"]).read_text()
                    yaml.load(event.body, Loader=yaml.CSafeLoader)
                    validate(event=raw, schema={})
                    Path(raw["body"]).read_text()
            """
        },
        http=True,
    )
    assert [(f.sink, f.callee, f.origin.line) for f in flows] == [
        (SinkKind.SSRF, "session.get", 14),
        (SinkKind.SSRF, "http.request", 15),
        (SinkKind.PATH, 'Path(event.path_parameters["file"]).read_text', 16),
    ]


def test_request_object_carries_only_its_url_taint() -> None:
    flows = analyze(
        {
            "app.py": """
                import json
                import urllib.request

                API = "https://payments.example.com/v1/charges"

                def handler(event, context):
                    body = json.loads(event["body"])
                    fixed = urllib.request.Request(API, data=json.dumps(body).encode(), method="POST")
                    urllib.request.urlopen(fixed)
                    chosen = urllib.request.Request(body["callback"], data=b"{}")
                    urllib.request.urlopen(chosen)
            """
        },
        http=True,
    )
    # reported once, where the event chooses the URL, not again where the request is sent
    assert [(f.sink, f.callee, f.origin.line) for f in flows] == [
        (SinkKind.SSRF, "urllib.request.Request", 10)
    ]


def test_functions_defined_inside_the_handler_are_followed() -> None:
    flows = analyze(
        {
            "app.py": """
                import os

                def run(command):
                    return command

                def handler(event, context):
                    def run(command):
                        os.system(command)

                    run(event["body"])
            """
        }
    )
    assert [(f.origin.line, f.steps[-1].note) for f in flows] == [(8, "os.system(command)")]


def test_module_level_code_of_the_handler_module_is_part_of_every_handler() -> None:
    files = {
        "app.py": """
            import os
            import boto3

            KEY = boto3.client("ssm").get_parameter(Name="k", WithDecryption=True)["Parameter"]["Value"]
            with open("/tmp/key.pem", "w") as handle:
                handle.write(KEY)
            print(os.environ)

            def handler(event, context):
                return {}

            def other(event, context):
                return {}
        """
    }
    expected = [
        (SinkKind.TMP_WRITE, 6, frozenset({Taint.SECRET})),
        (SinkKind.LOG, 7, frozenset({Taint.ENVIRONMENT})),
    ]
    for symbol in ("handler", "other"):
        flows = analyze(files, symbol=symbol)
        assert [(f.sink, f.origin.line, f.taints) for f in flows] == expected
        assert [f.key for f in flows] == [
            f"src/app.py:{symbol}#tmp-write:handle.write:1",
            f"src/app.py:{symbol}#log:print:1",
        ]


def test_split_commands_are_argument_lists_not_shell_strings() -> None:
    flows = analyze(
        {
            "app.py": """
                import shlex
                import subprocess

                def handler(event, context):
                    name = event["name"]
                    subprocess.run(f"convert {name} out.png".split())
                    subprocess.run(shlex.split("convert " + name))
                    subprocess.run("convert " + name)
                    subprocess.run(f"convert {name}".split(), shell=True)
            """
        }
    )
    assert [f.origin.line for f in flows] == [8, 9]


def test_stripping_to_an_allowed_character_class_sanitizes() -> None:
    flows = analyze(
        {
            "app.py": """
                import os
                import re

                def handler(event, context):
                    name = re.sub(r"[^A-Za-z0-9_-]", "", event["name"])
                    os.system("touch " + name)
                    open("/srv/" + name).close()
                    dotted = re.sub(r"[^\\w.]", "", event["name"])
                    os.system("touch " + dotted)
                    open("/srv/" + dotted).close()
                    loose = re.sub(r"[;&|]", "", event["name"])
                    os.system("touch " + loose)
            """
        }
    )
    assert [(f.sink, f.origin.line) for f in flows] == [(SinkKind.PATH, 10), (SinkKind.SHELL, 12)]


def test_module_functions_are_not_taken_for_string_methods() -> None:
    flows = analyze(
        {
            "app.py": """
                import os
                import requests

                def handler(event, context):
                    response = requests.get("https://api.example.com/search", params={"q": event["q"]})
                    os.system(response.text)
                    os.system(event["q"].strip())
            """
        }
    )
    assert [(f.origin.line, f.certain) for f in flows] == [(6, False), (7, True)]


def test_tuple_assignment_binds_element_by_element() -> None:
    flows = analyze(
        {
            "app.py": """
                import os

                def handler(event, context):
                    name, mode = event["name"], "ro"
                    os.system("mount -o " + mode)
                    os.system("touch " + name)
                    first, *rest = event["items"]
                    os.system(first)
            """
        }
    )
    assert [f.origin.line for f in flows] == [6, 8]


def test_web_app_behind_an_adapter_has_its_routes_analysed() -> None:
    flows = analyze(
        {
            "app.py": """
                import os
                import subprocess
                from uuid import UUID

                from fastapi import FastAPI
                from flask import Flask, request
                from mangum import Mangum

                api = FastAPI()
                web = Flask(__name__)

                @api.get("/files/{name}")
                def read_file(name: str, item: int, ident: UUID):
                    os.system(f"cat {name} {item} {ident}")

                @web.route("/run/<int:count>/<label>")
                def run(count, label):
                    subprocess.run(f"seq {count}", shell=True)
                    subprocess.run(f"echo {label}", shell=True)
                    return eval(request.args.get("expr"))

                def helper(x):
                    os.system(x)

                handler = Mangum(api)
            """
        }
    )
    assert [(f.sink, f.origin.line, f.steps[0].note) for f in flows] == [
        (SinkKind.SHELL, 14, "name (parameter of route /files/{name})"),
        (SinkKind.SHELL, 19, "label (parameter of route /run/<int:count>/<label>)"),
        (SinkKind.CODE, 20, "request.args"),
    ]


def test_powertools_resolver_routes_read_the_current_event() -> None:
    flows = analyze(
        {
            "app.py": """
                import os
                from aws_lambda_powertools.event_handler import APIGatewayRestResolver

                app = APIGatewayRestResolver()

                @app.get("/todos/<todo_id>")
                def get_todo(todo_id: str):
                    query = app.current_event.get_query_string_value("q")
                    os.system("grep " + query)
                    os.system("cat " + todo_id)

                def lambda_handler(event, context):
                    return app.resolve(event, context)
            """
        },
        symbol="lambda_handler",
        http=True,
    )
    assert [(f.origin.line, f.steps[0].note) for f in flows] == [
        (9, 'app.current_event.get_query_string_value("q")'),
        (10, "todo_id (parameter of route /todos/<todo_id>)"),
    ]


def test_resolver_routes_belong_to_the_handler_that_resolves_them() -> None:
    files = {
        "app.py": """
            import os
            from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
            from aws_lambda_powertools.event_handler.router import Router

            app = APIGatewayHttpResolver()
            router = Router()
            app.include_router(router)

            @router.post("/run")
            def run():
                os.system(app.current_event.json_body["cmd"])

            def api(event, context):
                return app.resolve(event, context)

            def consumer(event, context):
                for record in event["Records"]:
                    os.system("convert " + record["body"])
        """
    }
    api = analyze(files, symbol="api", http=True)
    assert [(f.origin.line, f.steps[0].note) for f in api] == [(11, 'app.current_event.json_body["cmd"]')]
    consumer = analyze(files, symbol="consumer", triggers=(TriggerKind.SQS,))
    assert [(f.origin.line, f.steps[0].note) for f in consumer] == [(18, 'record["body"]')]


def test_routes_of_an_app_imported_from_another_module_are_entry_points() -> None:
    app = """
        import os
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/run/<name>")
        def run(name):
            os.system("echo " + request.args["msg"])
            os.system("touch " + name)
    """
    wsgi = analyze(
        {
            "web.py": app,
            "lambda_function.py": """
                import serverless_wsgi
                from web import app

                def handler(event, context):
                    return serverless_wsgi.handle_request(app, event, context)
            """,
        },
        handler="lambda_function.py",
        http=True,
    )
    expected = [
        ("src/web.py", 8, "request.args"),
        ("src/web.py", 9, "name (parameter of route /run/<name>)"),
    ]
    assert [(f.origin.file, f.origin.line, f.steps[0].note) for f in wsgi] == expected
    adapted = analyze(
        {"web.py": app, "main.py": "import web\nfrom mangum import Mangum\nhandler = Mangum(web.app)\n"},
        handler="main.py",
        http=True,
    )
    assert [(f.origin.file, f.origin.line, f.steps[0].note) for f in adapted] == expected
    resolver = analyze(
        {
            "api.py": """
                import os
                from aws_lambda_powertools.event_handler import APIGatewayRestResolver

                app = APIGatewayRestResolver()

                @app.get("/files/<name>")
                def read(name):
                    os.system("cat " + name)
            """,
            "handler.py": """
                from api import app

                def handler(event, context):
                    return app.resolve(event, context)
            """,
        },
        handler="handler.py",
        http=True,
    )
    assert [(f.origin.file, f.origin.line, f.steps[0].note) for f in resolver] == [
        ("src/api.py", 8, "name (parameter of route /files/<name>)")
    ]


def test_python2_unquote_keeps_the_flow_certain() -> None:
    flows = analyze(
        {
            "app.py": """
                import os
                import urllib
                import urllib2

                def handler(event, context):
                    os.system("echo " + urllib2.unquote(event["a"]).decode("utf8"))
                    os.system("echo " + urllib.unquote_plus(event["b"]))
            """
        }
    )
    assert [(f.origin.line, f.certain) for f in flows] == [(6, True), (7, True)]


def test_appsync_resolver_arguments_are_client_input() -> None:
    flows = analyze(
        {
            "app.py": """
                import os
                from aws_lambda_powertools.event_handler import AppSyncResolver

                app = AppSyncResolver()

                @app.resolver(type_name="Query", field_name="getTodo")
                def get_todo(id: str, limit: int = 10):
                    os.system(f"grep {id} /data | head -{limit}")

                def lambda_handler(event, context):
                    return app.resolve(event, context)
            """
        },
        symbol="lambda_handler",
    )
    assert [(f.origin.line, f.steps[0].note) for f in flows] == [
        (8, "id (parameter of resolver Query.getTodo)")
    ]


def test_methods_of_package_classes_are_followed() -> None:
    flows = analyze(
        {
            "app.py": """
                from .service import OrderService, Shell

                def handler(event, context):
                    service = OrderService(table="orders")
                    service.find(event["customer"])
                    Shell.run(event["command"])
            """,
            "service.py": """
                import os
                import sqlite3

                class OrderService:
                    def __init__(self, table):
                        self.table = table

                    def find(self, customer):
                        return self._query("SELECT * FROM orders WHERE customer = '" + customer + "'")

                    def _query(self, sql):
                        return sqlite3.connect("db").execute(sql)

                class Shell:
                    @staticmethod
                    def run(command):
                        os.system(command)
            """,
        }
    )
    assert [(f.sink, f.origin.file, f.origin.line) for f in flows] == [
        (SinkKind.SQL, "src/service.py", 12),
        (SinkKind.SHELL, "src/service.py", 17),
    ]
    assert [s.note for s in flows[0].steps] == [
        'event["customer"]',
        'passed to service.find(event["customer"]) in src/service.py',
        'passed to self._query("SELECT * FROM orders WHERE customer = \'" + customer + "\'")',
        'sqlite3.connect("db").execute(sql)',
    ]
