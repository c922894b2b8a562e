"""Express apps behind a Lambda adapter: route callbacks as entry points, their request as client input."""

from __future__ import annotations

import textwrap

from harness.javascript import ANALYZER, analyze_package
from lambdasec.model import (
    Flow,
    SinkKind,
    Taint,
    TriggerKind,
)
from lambdasec.sources.code.analyzer import HandlerShape, ParsedFile

EVENT = frozenset({Taint.EVENT})


def analyze(
    files: dict[str, str],
    *,
    handler: str = "app.js",
    triggers: tuple[TriggerKind, ...] = (),
    http: bool = True,
) -> tuple[Flow, ...]:
    return analyze_package(files, handler=handler, triggers=triggers, http=http)


def summary(
    flows: tuple[Flow, ...],
) -> list[tuple[SinkKind, str, int | None, frozenset[Taint], list[tuple[str, int, str]]]]:
    return [
        (f.sink, f.callee, f.origin.line, f.taints, [(s.file, s.line, s.note) for s in f.steps])
        for f in flows
    ]


COMMONJS = {
    "app.js": """
        const serverless = require("serverless-http");
        const express = require("express");
        const { exec } = require("child_process");
        const users = require("./users");
        const app = express();
        app.get("/files", (req, res) => { exec(`cat ${req.query.name}`); res.send("ok"); });
        const router = express.Router();
        router.route("/r").get(({ query }, res) => exec(query.x)).post(run);
        function run(request, res) { exec(request.get("Authorization")); }
        app.use("/api", router);
        app.use("/users", users);
        app.use((err, req, res, next) => { exec(req.method); res.sendStatus(500); });
        app.get("/safe", (req, res) => { exec(`ls ${Number(req.query.n)}`); exec("uptime"); });
        const handler = serverless(app);
        module.exports = { handler };
    """,
    "users.js": """
        const express = require("express");
        const ctl = require("./ctl");
        const router = express.Router();
        router.get("/:id", ctl.show);
        module.exports = router;
    """,
    "ctl.js": """
        const { execSync } = require("child_process");
        exports.show = (req, res) => { execSync("id " + req.params.id); };
    """,
}


def test_commonjs_app_routers_and_imported_controllers_with_exact_traces() -> None:
    assert summary(analyze(COMMONJS)) == [
        (
            SinkKind.SHELL,
            "exec",
            6,
            EVENT,
            [
                ("src/app.js", 6, "req (request of GET /files)"),
                ("src/app.js", 6, "req.query.name"),
                ("src/app.js", 6, "exec(`cat ${req.query.name}`)"),
            ],
        ),
        (
            SinkKind.SHELL,
            "exec",
            8,
            EVENT,
            [
                ("src/app.js", 8, "{ query } (request of GET /api/r)"),
                ("src/app.js", 8, "query.x"),
                ("src/app.js", 8, "exec(query.x)"),
            ],
        ),
        (
            SinkKind.SHELL,
            "exec",
            9,
            frozenset({Taint.EVENT, Taint.CREDENTIAL}),
            [
                ("src/app.js", 9, "request (request of POST /api/r)"),
                ("src/app.js", 9, 'request.get("Authorization")'),
                ("src/app.js", 9, 'exec(request.get("Authorization"))'),
            ],
        ),
        (
            SinkKind.SHELL,
            "execSync",
            2,
            EVENT,
            [
                ("src/ctl.js", 2, "req (request of GET /users/:id)"),
                ("src/ctl.js", 2, "req.params.id"),
                ("src/ctl.js", 2, 'execSync("id " + req.params.id)'),
            ],
        ),
    ]


def test_routes_are_entry_points_only_for_http_or_unknown_triggers() -> None:
    assert [f.origin.line for f in analyze(COMMONJS, http=False)] == [6, 8, 9, 2]
    assert analyze(COMMONJS, triggers=(TriggerKind.SQS,), http=False) == ()
    alb = analyze(COMMONJS, triggers=(TriggerKind.ALB,), http=False)
    assert [f.origin.line for f in alb] == [6, 8, 9, 2]


def test_esm_app_with_imported_route_function_and_middleware_array() -> None:
    flows = analyze(
        {
            "app.mjs": """
                import serverless from "serverless-http";
                import express from "express";
                import { exec } from "node:child_process";
                import { list } from "./ctl.mjs";
                const app = express();
                app.get("/ls", list);
                app.post("/x", [express.json(), async (req, res) => { exec(req.headers["x-cmd"]); }]);
                const wrapped = serverless(app);
                export { wrapped as handler };
            """,
            "ctl.mjs": """
                import { execSync } from "child_process";
                export function list(req, res) { execSync(`ls ${req.query.dir}`); }
            """,
        },
        handler="app.mjs",
    )
    assert [(f.origin.file, f.origin.line, f.taints, f.steps[0].note) for f in flows] == [
        ("src/app.mjs", 7, EVENT, "req (request of POST /x)"),
        ("src/ctl.mjs", 2, EVENT, "req (request of GET /ls)"),
    ]


def test_serverless_express_configure_with_the_app_in_another_module() -> None:
    flows = analyze(
        {
            "lambda.js": """
                const { configure } = require("@codegenie/serverless-express");
                const { app } = require("./app");
                exports.handler = configure({ app: app });
            """,
            "app.js": """
                const express = require("express");
                const axios = require("axios");
                const app = express();
                app.get("/fetch", async (req, res) => res.json(await axios.get(req.query.url)));
                app.get("/head", async (req, res) => res.json(await axios.get(req.headers.authorization)));
                module.exports = { app };
            """,
        },
        handler="lambda.js",
    )
    assert [(f.sink, f.origin.file, f.origin.line, f.taints) for f in flows] == [
        (SinkKind.SSRF, "src/app.js", 4, EVENT),
        (SinkKind.SSRF, "src/app.js", 5, frozenset({Taint.EVENT, Taint.CREDENTIAL})),
    ]


def test_app_exported_by_its_declaration_from_an_esm_module() -> None:
    flows = analyze(
        {
            "index.mjs": """
                import serverless from "serverless-http";
                import { app } from "./app.mjs";
                export const handler = serverless(app);
            """,
            "app.mjs": """
                import express from "express";
                import { execSync } from "node:child_process";
                export const app = express();
                app.get("/ls", (req, res) => res.send(execSync(`ls ${req.query.dir}`)));
            """,
        },
        handler="index.mjs",
    )
    assert [(f.sink, f.origin.file, f.origin.line, f.taints) for f in flows] == [
        (SinkKind.SHELL, "src/app.mjs", 4, EVENT),
    ]


def test_fastify_and_hono_apps_behind_their_lambda_adapters() -> None:
    fastify = analyze(
        {
            "lambda.js": """
                const awsLambdaFastify = require("@fastify/aws-lambda");
                const fastify = require("fastify")();
                const { exec } = require("child_process");
                fastify.get("/run", async (request, reply) => { exec("echo " + request.query.msg); });
                fastify.post("/go", async (request, reply) => reply.redirect(request.body.next));
                exports.handler = awsLambdaFastify(fastify);
            """,
        },
        handler="lambda.js",
    )
    assert [(f.sink, f.origin.line, [s.note for s in f.steps]) for f in fastify] == [
        (
            SinkKind.SHELL,
            4,
            ["request (request of GET /run)", "request.query.msg", 'exec("echo " + request.query.msg)'],
        ),
        (
            SinkKind.REDIRECT,
            5,
            ["request (request of POST /go)", "request.body.next", "reply.redirect(request.body.next)"],
        ),
    ]
    hono = analyze(
        {
            "index.ts": """
                import { Hono } from "hono";
                import { handle } from "hono/aws-lambda";
                import { execSync } from "node:child_process";
                const app = new Hono();
                app.get("/ls", (c) => c.text(execSync(`ls ${c.req.query("dir")}`).toString()));
                app.get("/go", (c) => c.redirect(c.req.query("next") ?? "/"));
                app.get("/route", (c) => c.redirect(c.req.routePath));
                export const handler = handle(app);
            """,
        },
        handler="index.ts",
    )
    assert [(f.sink, f.origin.line, f.taints, f.steps[-2].note) for f in hono] == [
        (SinkKind.SHELL, 5, EVENT, "c.req.query"),
        (SinkKind.REDIRECT, 6, EVENT, "c.req.query"),
    ]


def test_handler_functions_proxying_to_an_adapted_app() -> None:
    app = """
        const express = require("express");
        const { exec } = require("child_process");
        const app = express();
        app.get("/run", (req, res) => exec(req.query.cmd));
        module.exports = app;
    """
    legacy = """
        const awsServerlessExpress = require("aws-serverless-express");
        const app = require("./app");
        const server = awsServerlessExpress.createServer(app);
        exports.handler = (event, context) => awsServerlessExpress.proxy(server, event, context);
    """
    setup = """
        const serverlessExpress = require("@vendia/serverless-express");
        const app = require("./app");
        let instance;
        async function setup(event, context) {
          instance = serverlessExpress({ app });
          return instance(event, context);
        }
        exports.handler = (event, context) => (instance ? instance(event, context) : setup(event, context));
    """
    for handler in (legacy, setup):
        flows = analyze({"lambda.js": handler, "app.js": app}, handler="lambda.js")
        assert [(f.origin.file, f.origin.line, f.steps[0].note) for f in flows] == [
            ("src/app.js", 4, "req (request of GET /run)")
        ]


def test_routes_registered_by_functions_given_the_app() -> None:
    flows = analyze(
        {
            "app.js": """
                const serverless = require("serverless-http");
                const express = require("express");
                const { register } = require("./admin");
                const app = express();
                require("./users")(app);
                register(app);
                module.exports.handler = serverless(app);
            """,
            "users.js": """
                const { exec } = require("child_process");
                module.exports = (server) => {
                  server.get("/users", (req, res) => exec(req.query.name));
                };
            """,
            "admin.js": """
                const { exec } = require("child_process");
                exports.register = function (web) {
                  web.post("/admin", async ({ body }, res) => exec(body.cmd));
                  exec("uptime");
                };
            """,
        }
    )
    assert [(f.origin.file, f.origin.line, f.steps[0].note) for f in flows] == [
        ("src/admin.js", 3, "{ body } (request of POST /admin)"),
        ("src/users.js", 3, "req (request of GET /users)"),
    ]


def test_a_call_that_is_not_an_adapter_has_no_routes() -> None:
    files = dict(COMMONJS)
    files["app.js"] = files["app.js"].replace("= serverless(app)", "= other(app)")
    assert "serverless-http" in files["app.js"]
    assert analyze(files) == ()


def test_adapted_apps_are_handler_shapes() -> None:
    def shapes(source: str) -> tuple[HandlerShape, ...]:
        parsed = ANALYZER.parse(path="app.js", display="app.js", text=textwrap.dedent(source).lstrip("\n"))
        assert isinstance(parsed, ParsedFile)
        return ANALYZER.handler_shapes(parsed)

    assert shapes(
        """
        const serverless = require("serverless-http");
        const app = require("express")();
        const handler = serverless(app);
        module.exports = { handler, other: serverless(app) };
        """
    ) == (HandlerShape(symbol="handler", line=3),)
    assert shapes('const app = require("express")();\nexports.handler = build(app);\n') == ()


RESPONSES = {
    "app.js": """
        const serverless = require("serverless-http");
        const express = require("express");
        const path = require("path");
        const app = express();
        app.get("/a", (req, res) => res.redirect(req.query.next));
        app.get("/b", (req, res) => { res.redirect(301, req.query.next); });
        app.get("/c", (req, res) => { res.status(302).location(req.query.next).end(); });
        app.get("/d", (req, res) => { if (["/"].includes(req.query.next)) res.redirect(req.query.next); });
        app.get("/e", (req, res) => { res.redirect("/app/" + req.query.next); res.location("/home"); });
        app.get("/f", (req, res) => { res.sendFile(req.params.name); });
        app.get("/g", (req, res) => { res.sendFile(req.params.name, { root: path.join(__dirname, "w") }); });
        app.get("/h", (req, res) => { res.download(req.query.f); res.download(path.basename(req.query.f)); });
        app.get("/i", (req, res) => { const o = make(); o.location(req.query.x); o.download(req.query.x); });
        app.use((err, req, res, next) => { res.sendFile(req.query.x, { maxAge: 0 }); });
        app.get("/j", (req, res) => { const opts = { root: "/srv" }; res.sendFile(req.query.f, opts); });
        app.get("/k", (req, res) => { res.sendFile(req.query.f, { root: req.query.r }); });
        module.exports.handler = serverless(app);
    """,
}


def test_response_redirects_and_file_sends_are_sinks_with_exact_traces() -> None:
    assert summary(analyze(RESPONSES))[:2] == [
        (
            SinkKind.REDIRECT,
            "res.redirect",
            5,
            EVENT,
            [
                ("src/app.js", 5, "req (request of GET /a)"),
                ("src/app.js", 5, "req.query.next"),
                ("src/app.js", 5, "res.redirect(req.query.next)"),
            ],
        ),
        (
            SinkKind.REDIRECT,
            "res.redirect",
            6,
            EVENT,
            [
                ("src/app.js", 6, "req (request of GET /b)"),
                ("src/app.js", 6, "req.query.next"),
                ("src/app.js", 6, "res.redirect(301, req.query.next)"),
            ],
        ),
    ]
    # Not sinks: allow-listed (8), fixed-prefix and constant (9) targets, `root`-confined (11, 15) and
    # basename'd (12) paths, and the same methods on an object that is not the route's response (13).
    assert [(f.sink, f.callee, f.origin.line, f.steps[-1].note) for f in analyze(RESPONSES)] == [
        (SinkKind.REDIRECT, "res.redirect", 5, "res.redirect(req.query.next)"),
        (SinkKind.REDIRECT, "res.redirect", 6, "res.redirect(301, req.query.next)"),
        (SinkKind.REDIRECT, "res.status(302).location", 7, "res.status(302).location(req.query.next)"),
        (SinkKind.PATH, "res.sendFile", 10, "res.sendFile(req.params.name)"),
        (SinkKind.PATH, "res.download", 12, "res.download(req.query.f)"),
        (SinkKind.PATH, "res.sendFile", 14, "res.sendFile(req.query.x, { maxAge: 0 })"),
        (SinkKind.PATH, "res.sendFile", 16, "res.sendFile(req.query.f, { root: req.query.r })"),
    ]


def test_the_response_is_the_parameter_after_the_request() -> None:
    flows = analyze(
        {
            "app.js": """
                const serverless = require("serverless-http");
                const app = require("express")();
                app.use((err, req, res, next) => { req.location(req.query.a); res.location(req.query.b); });
                app.get("/", (res, req) => { req.location(res.query.c); });
                module.exports.handler = serverless(app);
            """,
        }
    )
    assert [(f.callee, f.origin.line, f.steps[1].note) for f in flows] == [
        ("res.location", 3, "req.query.b"),
        ("req.location", 4, "res.query.c"),  # the position makes the response, not the name
    ]
