"""JavaScript/TypeScript taint analysis: sources, propagation, sanitizers, sinks and traces, flow by flow."""

from __future__ import annotations

import pytest

from harness.javascript import ANALYZER, analyze_package
from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import (
    CodeUnit,
    Flow,
    FlowStep,
    Language,
    Origin,
    SinkKind,
    SourceKind,
    Taint,
    TriggerKind,
)
from lambdasec.sources.code.analyzer import Package, ParsedFile
from lambdasec.sources.code.javascript import analyzer as javascript_analyzer
from lambdasec.sources.code.javascript import taint

EVENT = frozenset({Taint.EVENT})


analyze = analyze_package


def sites(flows: tuple[Flow, ...]) -> set[tuple[SinkKind, str, str | None, int | None]]:
    return {(f.sink, f.callee, f.origin.file, f.origin.line) for f in flows}


def steps(flow: Flow) -> list[tuple[str, int, str]]:
    return [(step.file, step.line, step.note) for step in flow.steps]


def test_renamed_event_parameter_to_shell_with_the_full_flow() -> None:
    (flow,) = analyze(
        {
            "app.js": """
            const { exec } = require("child_process");
            exports.handler = async (evt, context) => {
              const name = evt.queryStringParameters.name;
              const cmd = `ls ${name}`;
              exec(cmd);
            };
            """
        },
        http=True,
    )
    key = "src/app.js:handler#shell:exec:1"
    assert flow == Flow(
        key=key,
        unit="src/app.js:handler",
        function="fn",
        sink=SinkKind.SHELL,
        callee="exec",
        taints=EVENT,
        steps=(
            FlowStep(file="src/app.js", line=3, note="evt.queryStringParameters.name"),
            FlowStep(file="src/app.js", line=3, note="name = evt.queryStringParameters.name"),
            FlowStep(file="src/app.js", line=4, note="cmd = `ls ${name}`"),
            FlowStep(file="src/app.js", line=5, note="exec(cmd)"),
        ),
        certain=True,
        origin=Origin(source=SourceKind.CODE, file="src/app.js", line=5, resource=key, fields=(("sink", 5),)),
    )


def test_first_step_is_the_event_access() -> None:
    (flow,) = analyze(
        {
            "app.js": """
            const cp = require("node:child_process");
            exports.handler = async (event) => {
              const body = JSON.parse(event.body);
              cp.execSync("echo " + body.text);
            };
            """
        }
    )
    assert steps(flow) == [
        ("src/app.js", 3, "event.body"),
        ("src/app.js", 3, "body = JSON.parse(event.body)"),
        ("src/app.js", 4, 'cp.execSync("echo " + body.text)'),
    ]


def test_destructured_parameter_in_an_esm_handler() -> None:
    (flow,) = analyze(
        {
            "app.mjs": """
            import { execSync } from "child_process";
            export const handler = async ({ body, headers }) => {
              execSync(body);
            };
            """
        },
        handler="app.mjs",
    )
    assert (flow.sink, flow.callee, flow.origin.line, flow.taints) == (SinkKind.SHELL, "execSync", 3, EVENT)
    assert steps(flow) == [("src/app.mjs", 2, "body"), ("src/app.mjs", 3, "execSync(body)")]


def test_compiled_indirect_call_of_an_imported_function() -> None:
    """`(0, mod.fn)(arg)` is how TypeScript and esbuild compile a call of an imported function."""
    (flow,) = analyze(
        {
            "app.js": """
            const child_process_1 = require("child_process");
            exports.handler = async (event) => {
              (0, child_process_1.execSync)(event.body);
            };
            """
        },
    )
    assert (flow.sink, flow.callee, flow.origin.line, flow.taints) == (
        SinkKind.SHELL,
        "child_process_1.execSync",
        3,
        EVENT,
    )


@pytest.mark.parametrize(
    ("binding", "call"),
    [
        (
            'var import_child_process = __toESM(require("child_process"));',
            "(0, import_child_process.execSync)",
        ),
        ('var c = T(require("child_process"), 1);', "(0, c.execSync)"),  # minified esbuild
        ('const cp = __importStar(require("child_process"));', "cp.execSync"),
        (
            'const child_process_1 = __importDefault(require("child_process"));',
            "child_process_1.default.execSync",
        ),
    ],
)
def test_required_module_behind_a_compiler_interop_helper(binding: str, call: str) -> None:
    """esbuild's `__toESM` and TypeScript's `__importStar` / `__importDefault` wrap the required module."""
    (flow,) = analyze(
        {
            "app.js": f"""
            {binding}
            exports.handler = async (event) => {{
              {call}(event.body);
            }};
            """
        },
    )
    assert (flow.sink, flow.origin.line, flow.taints) == (SinkKind.SHELL, 3, EVENT)


def test_a_helper_call_with_other_arguments_is_not_a_require() -> None:
    flows = analyze(
        {
            "app.js": """
            var c = wrap(require("child_process"), "x");
            exports.handler = async (event) => {
              c.execSync(event.body);
            };
            """
        },
    )
    assert flows == ()


def test_helper_in_another_module_of_the_package() -> None:
    flows = analyze(
        {
            "app.js": """
            const { run } = require("./lib/run");
            exports.handler = async (event) => {
              const name = event.name;
              await run(`tar czf ${name}`);
              await run("uptime");
            };
            """,
            "lib/run.js": """
            const { execSync } = require("child_process");
            exports.run = (command) => {
              const full = "sh -c '" + command + "'";
              return execSync(full);
            };
            """,
        }
    )
    (flow,) = flows
    assert sites(flows) == {(SinkKind.SHELL, "execSync", "src/lib/run.js", 4)}
    assert steps(flow) == [
        ("src/app.js", 3, "event.name"),
        ("src/app.js", 3, "name = event.name"),
        ("src/app.js", 4, "passed to run(`tar czf ${name}`) in src/lib/run.js"),
        ("src/lib/run.js", 3, 'full = "sh -c \'" + command + "\'"'),
        ("src/lib/run.js", 4, "execSync(full)"),
    ]


def test_typescript_import_of_a_js_specifier_resolves_to_the_ts_file() -> None:
    flows = analyze(
        {
            "app.ts": """
            import type { APIGatewayProxyEvent } from "aws-lambda";
            import * as db from "./db.js";
            export const handler = async (event: APIGatewayProxyEvent): Promise<void> => {
              await db.find(event.pathParameters!.id as string);
            };
            """,
            "db.ts": """
            import mysql from "mysql2/promise";
            const pool = mysql.createPool({});
            export async function find<T>(id: string): Promise<T> {
              const [rows] = await pool.query(`SELECT * FROM t WHERE id = '${id}'`);
              return rows as T;
            }
            """,
        },
        handler="app.ts",
    )
    assert sites(flows) == {(SinkKind.SQL, "pool.query", "src/db.ts", 4)}


def test_flows_of_one_sink_site_merge_taints_and_keep_one_flow() -> None:
    flows = analyze(
        {
            "app.js": """
            function log(value) {
              console.log(value);
            }
            exports.handler = async (event) => {
              log(event.headers.Authorization);
              log(process.env);
            };
            """
        }
    )
    (flow,) = flows
    assert flow.key == "src/app.js:handler#log:console.log:1"
    assert flow.taints == frozenset({Taint.EVENT, Taint.CREDENTIAL, Taint.ENVIRONMENT})
    assert flow.origin.line == 2


def test_ordinals_count_the_same_sink_and_callee_in_source_order() -> None:
    flows = analyze(
        {
            "app.js": """
            exports.handler = async (event) => {
              eval(event.a);
              eval(event.b);
              setTimeout(event.c, 1);
            };
            """
        }
    )
    assert sorted((f.key, f.origin.line) for f in flows) == [
        ("src/app.js:handler#code:eval:1", 2),
        ("src/app.js:handler#code:eval:2", 3),
        ("src/app.js:handler#code:setTimeout:1", 4),
    ]


def test_event_policy_of_an_s3_trigger() -> None:
    flows = analyze(
        {
            "app.js": """
            const { execSync } = require("child_process");
            exports.handler = async (event) => {
              for (const record of event.Records) {
                execSync(`convert ${record.s3.object.key}`);
                execSync(`aws s3 ls ${record.s3.bucket.name}`);
              }
              event.Records.forEach((r) => execSync(r.s3.object.key));
            };
            """
        },
        triggers=(TriggerKind.S3,),
    )
    assert sites(flows) == {
        (SinkKind.SHELL, "execSync", "src/app.js", 4),
        (SinkKind.SHELL, "execSync", "src/app.js", 7),
    }


def test_an_access_on_a_collection_element_is_the_first_step() -> None:
    """The trace starts at the element's accessed path (`record.s3.object.key`), not at the collection the
    loop, `forEach` or a destructured element came from; an element used whole keeps the collection."""
    flows = analyze(
        {
            "app.js": """
            const { execSync } = require("child_process");
            exports.handler = async (event) => {
              for (const record of event.Records) {
                const key = record.s3.object.key;
                execSync(`convert ${key}`);
              }
              event.Records.forEach((r) => execSync(r.s3.object.key));
              for (const { s3 } of event.Records) {
                execSync(s3.object.key);
              }
              for (const record of event.Records) execSync(record);
            };
            """
        },
        triggers=(TriggerKind.S3,),
    )
    assert sorted(steps(flow) for flow in flows) == [
        [
            ("src/app.js", 4, "record.s3.object.key"),
            ("src/app.js", 4, "key = record.s3.object.key"),
            ("src/app.js", 5, "execSync(`convert ${key}`)"),
        ],
        [("src/app.js", 7, "r.s3.object.key"), ("src/app.js", 7, "execSync(r.s3.object.key)")],
        [("src/app.js", 9, "s3.object.key"), ("src/app.js", 9, "execSync(s3.object.key)")],
        [("src/app.js", 11, "event.Records"), ("src/app.js", 11, "execSync(record)")],
    ]


def test_authorizer_claims_are_not_the_callers_on_an_api_route() -> None:
    flows = analyze(
        {
            "app.js": """
            exports.handler = async (event) => {
              eval(event.requestContext.authorizer.claims.sub);
              eval(event.body);
            };
            """
        },
        http=True,
    )
    assert sites(flows) == {(SinkKind.CODE, "eval", "src/app.js", 3)}


def test_schedule_event_carries_nothing() -> None:
    flows = analyze(
        {"app.js": "exports.handler = async (event) => { eval(event.detail.code); };\n"},
        triggers=(TriggerKind.SCHEDULE,),
    )
    assert flows == ()


def test_sanitizers_remove_the_taint() -> None:
    flows = analyze(
        {
            "app.js": """
            const { execSync } = require("child_process");
            const fs = require("fs");
            const path = require("path");
            const axios = require("axios");
            const { z } = require("zod");
            const ALLOWED = ["a", "b"];
            const BASE = "/data";
            const Schema = z.object({ name: z.string() });
            exports.handler = async (event) => {
              execSync(`seq ${Number(event.n)}`);
              execSync(`seq ${parseInt(event.n, 10)}`);
              execSync(`seq ${+event.n}`);
              const parsed = Schema.parse(JSON.parse(event.body));
              execSync(parsed.name);
              if (!ALLOWED.includes(event.tool)) {
                return;
              }
              execSync(event.tool);
              if (!/^[a-z]+$/.test(event.word)) throw new Error("bad");
              execSync(event.word);
              const target = path.resolve(BASE, event.file);
              if (!target.startsWith(BASE)) {
                return;
              }
              fs.readFileSync(target);
              fs.readFileSync(path.join(BASE, path.basename(event.file)));
              await axios.get("https://api.example.com/" + encodeURIComponent(event.id));
            };
            """
        }
    )
    assert flows == ()


def test_startswith_without_normalization_is_not_containment() -> None:
    flows = analyze(
        {
            "app.js": """
            const fs = require("fs");
            exports.handler = async (event) => {
              if (event.file.startsWith("/data/")) {
                fs.readFileSync(event.file);
              }
            };
            """
        }
    )
    assert sites(flows) == {(SinkKind.PATH, "fs.readFileSync", "src/app.js", 4)}


def test_positive_allow_list_branch_is_clean() -> None:
    flows = analyze(
        {
            "app.js": """
            const OK = new Set(["x"]);
            exports.handler = async (event) => {
              if (OK.has(event.op)) {
                eval(event.op);
              } else {
                eval(event.op);
              }
            };
            """
        }
    )
    assert sites(flows) == {(SinkKind.CODE, "eval", "src/app.js", 6)}


def test_unknown_call_keeps_taint_but_is_uncertain() -> None:
    (flow,) = analyze(
        {
            "app.js": """
            const { execSync } = require("child_process");
            const lib = require("some-lib");
            exports.handler = async (event) => {
              const cmd = lib.transform(event.body);
              execSync(cmd);
            };
            """
        }
    )
    assert (flow.sink, flow.certain) == (SinkKind.SHELL, False)
    assert steps(flow) == [
        ("src/app.js", 4, "event.body"),
        ("src/app.js", 4, "lib.transform(event.body)"),
        ("src/app.js", 4, "cmd = lib.transform(event.body)"),
        ("src/app.js", 5, "execSync(cmd)"),
    ]


def test_environment_and_secret_sources_reach_logs() -> None:
    flows = analyze(
        {
            "app.js": """
            const sdk = require("@aws-sdk/client-secrets-manager");
            const sm = new sdk.SecretsManagerClient({});
            exports.handler = async (event) => {
              console.log(process.env);
              console.log(process.env.DB_PASSWORD);
              console.log(process.env.TABLE_NAME);
              const { SecretString } = await sm.send(new sdk.GetSecretValueCommand({ SecretId: "x" }));
              console.log(SecretString);
              const apiToken = await fetchToken();
              console.log(apiToken);
              const secretArn = process.env.SECRET_ARN;
              console.log(secretArn);
            };
            """
        },
        triggers=(TriggerKind.SCHEDULE,),
    )
    assert {(f.origin.line, f.taints) for f in flows} == {
        (4, frozenset({Taint.ENVIRONMENT})),
        (5, frozenset({Taint.SECRET})),
        (8, frozenset({Taint.SECRET})),
        (10, frozenset({Taint.SECRET})),
    }


def test_whole_event_logged_is_event_whole() -> None:
    (flow,) = analyze(
        {
            "app.js": """
            const { Logger } = require("@aws-lambda-powertools/logger");
            const logger = new Logger();
            exports.handler = async (event) => {
              logger.info("event", { event });
            };
            """
        },
        http=True,
    )
    assert (flow.sink, flow.callee, flow.taints) == (
        SinkKind.LOG,
        "logger.info",
        frozenset({Taint.EVENT, Taint.EVENT_WHOLE}),
    )


def test_secret_written_to_tmp_unless_removed() -> None:
    flows = analyze(
        {
            "app.js": """
            const fs = require("fs");
            exports.handler = async (event) => {
              const key = process.env.PRIVATE_KEY;
              fs.writeFileSync("/tmp/key.pem", key);
              fs.writeFileSync("/tmp/work/key.pem", key);
              fs.writeFileSync("/var/task/key.pem", key);
              fs.writeFileSync("/tmp/plain.txt", "hello");
            };
            """,
            "cleanup.js": """
            const fs = require("fs");
            exports.cleanup = () => fs.rmSync("/tmp/work", { recursive: true });
            """,
        }
    )
    assert sites(flows) == {(SinkKind.TMP_WRITE, "fs.writeFileSync", "src/app.js", 4)}


def test_redirect_response_with_event_location() -> None:
    flows = analyze(
        {
            "app.js": """
            exports.handler = async (event) => {
              if (event.a) {
                return { statusCode: 302, headers: { Location: event.next } };
              }
              if (event.b) {
                return { statusCode: 302, headers: { Location: "/home/" + event.next } };
              }
              return { statusCode: 200, headers: { Location: event.next } };
            };
            """
        }
    )
    assert sites(flows) == {(SinkKind.REDIRECT, "Location", "src/app.js", 3)}


def test_nosql_and_sql_need_the_query_position() -> None:
    flows = analyze(
        {
            "app.js": """
            const { ScanCommand } = require("@aws-sdk/lib-dynamodb");
            exports.handler = async (event) => {
              await client.query("SELECT * FROM t WHERE a = $1", [event.a]);
              await client.query(`SELECT * FROM t WHERE a = '${event.a}'`);
              await ddb.send(new ScanCommand({ TableName: event.table, FilterExpression: "a = :a" }));
              await ddb.send(new ScanCommand({ TableName: "t", FilterExpression: `a = ${event.a}` }));
              await users.find({ $where: `this.a == '${event.a}'` });
              await users.find({ a: event.a });
            };
            """
        }
    )
    assert sites(flows) == {
        (SinkKind.SQL, "client.query", "src/app.js", 4),
        (SinkKind.NOSQL, "ScanCommand", "src/app.js", 6),
        (SinkKind.NOSQL, "users.find", "src/app.js", 7),
    }


def test_interprocedural_depth_is_bounded() -> None:
    flows = analyze(
        {
            "app.js": """
            function f1(x) { eval(x); f2(x); }
            function f2(x) { eval(x); f3(x); }
            function f3(x) { eval(x); f4(x); }
            function f4(x) { eval(x); }
            exports.handler = async (event) => { f1(event.body); };
            """
        }
    )
    assert sorted(f.origin.line for f in flows) == [1, 2, 3]


def test_recursion_terminates() -> None:
    flows = analyze(
        {
            "app.js": """
            function walk(node) {
              if (node.next) {
                return walk(node.next);
              }
              return eval(node.code);
            }
            exports.handler = async (event) => walk(event);
            """
        }
    )
    assert sites(flows) == {(SinkKind.CODE, "eval", "src/app.js", 5)}


def test_reassignment_replaces_the_taint() -> None:
    flows = analyze(
        {
            "app.js": """
            exports.handler = async (event) => {
              let code = event.body;
              code = "1 + 1";
              eval(code);
              let other = "2";
              other = event.body;
              eval(other);
            };
            """
        }
    )
    assert sites(flows) == {(SinkKind.CODE, "eval", "src/app.js", 7)}


def test_object_fields_and_spread_are_followed() -> None:
    flows = analyze(
        {
            "app.js": """
            const cp = require("child_process");
            exports.handler = async (event) => {
              const base = { safe: "ls", unsafe: event.cmd };
              const options = { ...base, extra: 1 };
              cp.execSync(options.safe);
              cp.execSync(options.unsafe);
              const [first] = [event.cmd];
              cp.execSync(first);
            };
            """
        }
    )
    assert sites(flows) == {
        (SinkKind.SHELL, "cp.execSync", "src/app.js", 6),
        (SinkKind.SHELL, "cp.execSync", "src/app.js", 8),
    }


def test_callbacks_and_promise_wrappers() -> None:
    flows = analyze(
        {
            "app.js": """
            const { exec } = require("child_process");
            const util = require("util");
            const run = util.promisify(exec);
            exports.handler = async (event) => {
              await Promise.all(event.Records.map(async (record) => run(record.body)));
              await new Promise((resolve) => exec(event.cmd, resolve));
            };
            """
        },
        triggers=(TriggerKind.SQS,),
    )
    assert sites(flows) == {(SinkKind.SHELL, "run", "src/app.js", 5)}


def test_unparsable_helper_is_skipped_without_crashing() -> None:
    flows = analyze(
        {
            "app.js": """
            const { run } = require("./broken");
            exports.handler = async (event) => { await run(event.body); eval(event.body); };
            """,
            "broken.js": "exports.run = (x) => { eval(x;\n",
        }
    )
    assert sites(flows) == {(SinkKind.CODE, "eval", "src/app.js", 2)}


def test_handler_not_found_gives_no_flows() -> None:
    assert analyze({"app.js": "exports.other = (e) => eval(e.body);\n"}) == ()


def test_validation_result_kept_in_a_variable_guards_its_argument() -> None:
    flows = analyze(
        {
            "app.js": """
            const Ajv = require("ajv");
            const validate = new Ajv().compile({ type: "string", pattern: "^[a-z]+$" });
            exports.handler = async (event) => {
              const valid = validate(event.name);
              if (!valid) {
                return { statusCode: 400 };
              }
              eval(event.name);
              const other = event.other.trim();
              if (!other) {
                return { statusCode: 400 };
              }
              eval(event.other);
            };
            """
        }
    )
    assert sites(flows) == {(SinkKind.CODE, "eval", "src/app.js", 13)}


def test_long_assignment_chains_stay_bounded() -> None:
    body = "\n".join(f"  target.p{n} = target.p{n - 1} + event.k{n};" for n in range(1, 400))
    text = (
        f"exports.handler = async (event) => {{\n  const target = {{}};\n{body}\n  eval(target.p399);\n}};\n"
    )
    flows = analyze({"app.js": text})
    (flow,) = flows
    assert (flow.sink, flow.origin.line) == (SinkKind.CODE, 402)
    assert len(flow.steps) == 17  # 16 kept steps of the trace, then the sink


def test_work_budget_stops_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(taint, "MAX_WORK", 20)
    monkeypatch.setattr(javascript_analyzer, "MAX_WORK", 20)
    text = "exports.handler = async (event) => {\n" + "  let a = 1;\n" * 40 + "  eval(event.body);\n};\n"
    package = Package(root="src", paths=frozenset({"app.js"}), loader=lambda path: None)
    parsed = ANALYZER.parse(path="app.js", display="src/app.js", text=text)
    assert isinstance(parsed, ParsedFile)
    unit = CodeUnit(
        key="src/app.js:handler",
        file="src/app.js",
        symbol="handler",
        language=Language.JAVASCRIPT,
        origin=Origin(source=SourceKind.CODE, file="src/app.js", line=1, resource="src/app.js:handler"),
    )
    analysis = ANALYZER.analyze(unit, parsed=parsed, package=package)
    assert analysis.flows == ()
    assert analysis.diagnostics == (
        Diagnostic(
            level=DiagnosticLevel.WARNING,
            source="code",
            message=(
                "analysis of handler `handler` stopped after 20 steps; flows past that point are not reported"
            ),
            file="src/app.js",
            line=1,
        ),
    )


def test_promise_then_and_reduce_callbacks_receive_the_data() -> None:
    flows = analyze(
        {
            "app.js": """
            const { execSync } = require("child_process");
            exports.handler = (event) => {
              Promise.resolve(event.body).then((body) => execSync(body));
              const joined = event.parts.reduce((acc, part) => acc + part, "");
              execSync(joined);
              [1, 2].forEach((n) => execSync(`seq ${n}`));
            };
            """
        }
    )
    assert sites(flows) == {
        (SinkKind.SHELL, "execSync", "src/app.js", 3),
        (SinkKind.SHELL, "execSync", "src/app.js", 5),
    }
