"""JavaScript/TypeScript handler exports: ESM and CommonJS forms, nested members, and handler shapes."""

from __future__ import annotations

import textwrap

import pytest

from lambdasec.sources.code.analyzer import HandlerShape, ParsedFile
from lambdasec.sources.code.javascript import JavaScriptAnalyzer

ANALYZER = JavaScriptAnalyzer()

MODULE = textwrap.dedent(
    """\
    import middy from "@middy/core";
    export const handler = async (event) => ({ statusCode: 200 });
    export async function create(event, context) {}
    function main(evt) {}
    export { main as aliased };
    exports.cjs = async (e) => 1;
    module.exports.worker = function (evt, ctx) {};
    module.exports = { handler, short: (x) => 1, method(x) {}, handlers: { update: async (e) => 2 } };
    const routes = { remove: async (e) => 3 };
    exports.routes = routes;
    export const wrapped = middy(async (event) => {
    }).use(validator());
    export default async function (event, context) {}
    export const notAFunction = 42;
    """
)


def parsed(text: str, path: str = "app.ts") -> ParsedFile:
    result = ANALYZER.parse(path=path, display=path, text=text)
    assert isinstance(result, ParsedFile)
    return result


@pytest.mark.parametrize(
    ("symbol", "line"),
    [
        ("handler", 2),
        ("create", 3),
        ("aliased", 4),
        ("cjs", 6),
        ("worker", 7),
        ("short", 8),
        ("method", 8),
        ("handlers.update", 8),
        ("routes.remove", 9),
        ("wrapped", 11),
        ("default", 13),
        ("notAFunction", 14),
        ("missing", None),
        ("handlers.missing", None),
    ],
)
def test_handler_line(symbol: str, line: int | None) -> None:
    assert ANALYZER.handler_line(parsed(MODULE), symbol) == line


def test_handler_shapes_are_handler_names_or_event_context_functions() -> None:
    assert ANALYZER.handler_shapes(parsed(MODULE)) == (
        HandlerShape(symbol="handler", line=2),
        HandlerShape(symbol="create", line=3),
        HandlerShape(symbol="worker", line=7),
        HandlerShape(symbol="default", line=13),
    )


def test_commonjs_object_export_of_a_declared_function() -> None:
    text = "async function lambdaHandler(event) {\n  return 1;\n}\nmodule.exports = { lambdaHandler };\n"
    module = parsed(text, "index.js")
    assert ANALYZER.handler_line(module, "lambdaHandler") == 1
    assert ANALYZER.handler_shapes(module) == (HandlerShape(symbol="lambdaHandler", line=1),)


def test_typed_parameters_count_for_the_shape() -> None:
    text = "export const process = async (event: SQSEvent, context: Context): Promise<void> => {};\n"
    assert ANALYZER.handler_shapes(parsed(text)) == (HandlerShape(symbol="process", line=1),)


def test_helpers_are_not_handler_shapes() -> None:
    text = "export function quote(value) { return value; }\nexports.run = (cmd, options) => cmd;\n"
    assert ANALYZER.handler_shapes(parsed(text, "util.js")) == ()


def test_functions_named_handlers_taking_an_event_are_shapes() -> None:
    text = (
        "exports.redirecthandler = async (event) => ({ statusCode: 302 });\n"
        "export const getItemsHandler = async (evt: APIGatewayProxyEvent) => evt.body;\n"
        "export const errorHandler = (error) => error.message;\n"
        "export const handlerFor = (event) => event;\n"
    )
    assert ANALYZER.handler_shapes(parsed(text)) == (
        HandlerShape(symbol="redirecthandler", line=1),
        HandlerShape(symbol="getItemsHandler", line=2),
    )


def test_the_runtime_reads_properties_of_what_loading_the_module_gives() -> None:
    """`module.exports = fn` is the module itself (no `default`); reassigning `exports` exports nothing."""
    whole = parsed("module.exports = async (event, context) => event;\n", "index.js")
    assert ANALYZER.handler_line(whole, "default") is None
    assert ANALYZER.handler_line(whole, "handler") is None
    assert ANALYZER.handler_exports(whole) == ()
    rebound = parsed("exports = { handler: async (event) => event };\nexports.main = (event) => 1;\n", "a.js")
    assert ANALYZER.handler_line(rebound, "handler") is None
    assert ANALYZER.handler_line(rebound, "main") == 2
    assert ANALYZER.handler_exports(rebound) == ("main",)
    members = parsed("module.exports = { handler: async (event) => event };\n", "b.js")
    assert ANALYZER.handler_line(members, "handler") == 1
    assert ANALYZER.handler_exports(members) == ("handler",)


def test_an_esm_default_export_is_reached_as_default_only() -> None:
    """`export default wrapper(async (event) => ...)`: the setting names `file.default`."""
    text = (
        "import { lambda } from '@sls/lib';\n"
        "export const config = { path: '/x' };\n"
        "export default lambda(async (event: APIGatewayEvent) => {\n"
        "  return event.body;\n"
        "});\n"
    )
    module = parsed(text, "handler.ts")
    assert ANALYZER.handler_line(module, "default") == 3
    assert ANALYZER.handler_line(module, "handler") is None
    assert ANALYZER.handler_exports(module) == ("config", "default")
    assert ANALYZER.handler_shapes(module) == (HandlerShape(symbol="default", line=3),)


def test_default_exports_not_taking_an_event_are_not_shapes() -> None:
    text = "export default function App(props) { return props.children; }\n"
    assert ANALYZER.handler_shapes(parsed(text, "App.jsx")) == ()
    assert ANALYZER.handler_shapes(parsed("export default (e) => e.preventDefault();\n", "click.js")) == ()


def test_typescript_export_assignment_and_quoted_commonjs_names() -> None:
    """`export = value` is `module.exports = value`; `exports["get-item"]` is a property the runtime reads."""
    members = parsed("export = { handler: async (event) => 1 };\n")
    assert ANALYZER.handler_line(members, "handler") == 1
    assert ANALYZER.handler_exports(members) == ("handler",)
    whole = parsed("const handler = async (event) => 1;\nexport = handler;\n")
    assert ANALYZER.handler_line(whole, "handler") is None
    assert ANALYZER.handler_line(whole, "default") is None
    assert ANALYZER.handler_exports(whole) == ()
    quoted = parsed(
        'exports["get-item"] = async (event) => 1;\nmodule.exports["list"] = (event) => 2;\n', "a.js"
    )
    assert ANALYZER.handler_line(quoted, "get-item") == 1
    assert ANALYZER.handler_line(quoted, "list") == 2
    assert ANALYZER.handler_exports(quoted) == ("get-item", "list")


def test_esbuild_commonjs_bundle_exports_through_its_getters() -> None:
    """An unminified esbuild CommonJS bundle (a CDK NodejsFunction asset) names its exports in `__export`."""
    bundle = parsed(
        textwrap.dedent(
            """\
            var __export = (target, all) => {
              for (var name in all) __defProp(target, name, { get: all[name], enumerable: true });
            };
            var handler_exports = {};
            __export(handler_exports, {
              handler: () => handler,
              other: () => 42
            });
            module.exports = __toCommonJS(handler_exports);
            async function handler(event) {
              return event.body;
            }
            0 && (module.exports = {
              handler
            });
            """
        ),
        "index.js",
    )
    assert ANALYZER.handler_line(bundle, "handler") == 10
    assert ANALYZER.handler_line(bundle, "other") == 7  # exported, though not a function
    assert ANALYZER.handler_line(bundle, "missing") is None
    assert ANALYZER.handler_exports(bundle) == ("handler", "other")
    unrelated = parsed("__export(other, { handler: () => handler });\nfunction handler(e) {}\n", "a.js")
    assert ANALYZER.handler_line(unrelated, "handler") is None


def test_minified_esbuild_bundle_exports() -> None:
    """`minify: true` renames the helpers and may join statements with commas."""
    bundle = parsed(
        "var d=(t,e)=>{for(var n in e)o(t,n,{get:e[n],enumerable:!0})};var p={};\n"
        "d(p,{handler:()=>u}),module.exports=l(p);\n"
        "var u=async t=>t.body;\n",
        "index.js",
    )
    assert ANALYZER.handler_line(bundle, "handler") == 3
    assert ANALYZER.handler_exports(bundle) == ("handler",)
    wrapped = parsed("const app = express();\nmodule.exports = serverless(app);\n", "a.js")
    assert ANALYZER.handler_exports(wrapped) == ()


def test_typescript_commonjs_output_declares_exports_void_first() -> None:
    """tsc emits `exports.a = exports.b = void 0;` before assigning each export its value."""
    compiled = parsed(
        textwrap.dedent(
            """\
            "use strict";
            Object.defineProperty(exports, "__esModule", { value: true });
            exports.other = exports.handler = void 0;
            const handler = async (event) => event.body;
            exports.handler = handler;
            exports.other = exports.alias = async (event) => 1;
            """
        ),
        "app.js",
    )
    assert ANALYZER.handler_line(compiled, "handler") == 4
    assert ANALYZER.handler_line(compiled, "other") == 6
    assert ANALYZER.handler_line(compiled, "alias") == 6
    assert ANALYZER.handler_exports(compiled) == ("handler", "alias", "other")
