"""Python parsing and handler entry points: diagnostics for bad files, named handlers, handler shapes."""

from __future__ import annotations

import ast
import textwrap

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import Language
from lambdasec.sources.code.analyzer import HandlerShape, ParsedFile
from lambdasec.sources.code.python import PythonAnalyzer
from lambdasec.sources.code.python.modern import downgrade
from lambdasec.sources.code.python.parse import MAX_BYTES

ANALYZER = PythonAnalyzer()


def parse(text: str) -> ParsedFile:
    parsed = ANALYZER.parse(path="app.py", display="src/app.py", text=textwrap.dedent(text))
    assert isinstance(parsed, ParsedFile)
    return parsed


def test_valid_file_is_parsed_with_paths_and_language() -> None:
    parsed = parse("x = 1\n")
    assert (parsed.path, parsed.display, parsed.language, parsed.text) == (
        "app.py",
        "src/app.py",
        Language.PYTHON,
        "x = 1\n",
    )


def test_syntax_error_is_an_error_diagnostic_with_file_and_line() -> None:
    result = ANALYZER.parse(
        path="app.py", display="src/app.py", text="import os\n\ndef handler(event, context)\n"
    )
    assert result == Diagnostic(
        level=DiagnosticLevel.ERROR,
        source="code",
        message="Python syntax error: expected ':'; not analysed",
        file="src/app.py",
        line=3,
    )


def test_nul_bytes_are_a_diagnostic_not_an_exception() -> None:
    result = ANALYZER.parse(path="app.py", display="src/app.py", text="x = 1\0\n")
    assert isinstance(result, Diagnostic)
    assert (result.level, result.source, result.file, result.line) == (
        DiagnosticLevel.ERROR,
        "code",
        "src/app.py",
        None,
    )
    assert "null bytes" in result.message  # a SyntaxError since 3.11.4, a ValueError before


def test_deep_nesting_is_a_diagnostic_not_an_exception() -> None:
    result = ANALYZER.parse(path="app.py", display="src/app.py", text="x = " + "(" * 5000 + ")" * 5000 + "\n")
    assert isinstance(result, Diagnostic)
    assert (result.level, result.file) == (DiagnosticLevel.ERROR, "src/app.py")


def test_file_over_two_megabytes_is_not_parsed() -> None:
    result = ANALYZER.parse(path="big.py", display="big.py", text="#" * (MAX_BYTES + 1))
    assert result == Diagnostic(
        level=DiagnosticLevel.ERROR,
        source="code",
        message="Python file is larger than 2 MB; not analysed",
        file="big.py",
        line=None,
    )


MODULE = """
    from mangum import Mangum
    from .impl import process as imported_handler

    app = object()


    def handler(event, context):
        return {}


    async def async_handler(event, context):
        return {}


    asgi_handler = Mangum(app)
    first, second = make_handlers()


    class Service:
        def handle(self, event, context):
            return {}
"""


def test_handler_line_of_functions_and_bound_names() -> None:
    parsed = parse(MODULE)
    lines = {
        name: ANALYZER.handler_line(parsed, name)
        for name in (
            "handler",
            "async_handler",
            "asgi_handler",
            "second",
            "imported_handler",
            "handle",
            "app2",
        )
    }
    assert lines == {
        "handler": 8,
        "async_handler": 12,
        "asgi_handler": 16,
        "second": 17,
        "imported_handler": 3,
        "handle": None,
        "app2": None,
    }


SHAPES = """
    def handler(event, context):
        pass


    def process_order(order, ctx):
        pass


    async def main(evt, _context):
        pass


    def lambda_handler(payload, lambda_context):
        pass


    def helper(a, b):
        pass


    def handler_with_default(event, context=None):
        pass


    def three(event, context, extra):
        pass


    def main_two(x, y):
        pass


    def process(evt, c):
        return c.aws_request_id


    def handle_upload(e, c):
        return e["Records"]


    def merge(left, right):
        return left["Records"]


    class Handler:
        def handler(self, event, context):
            pass
"""


def test_handler_shapes_are_two_parameter_functions_named_or_taking_a_context() -> None:
    assert list(ANALYZER.handler_shapes(parse(SHAPES))) == [
        HandlerShape(symbol="handler", line=2),
        HandlerShape(symbol="process_order", line=6),
        HandlerShape(symbol="main", line=10),
        HandlerShape(symbol="lambda_handler", line=14),
        HandlerShape(symbol="process", line=34),
        HandlerShape(symbol="handle_upload", line=38),
    ]


def test_web_apps_adapted_to_lambda_are_handler_shapes() -> None:
    parsed = parse(
        """
        from mangum import Mangum
        from apig_wsgi import make_lambda_handler

        handler = Mangum(app)
        lambda_handler = make_lambda_handler(flask_app)
        other = Mangum(app)
        main = create_app()
        """
    )
    assert list(ANALYZER.handler_shapes(parsed)) == [
        HandlerShape(symbol="handler", line=5),
        HandlerShape(symbol="lambda_handler", line=6),
    ]


def test_python_312_syntax_is_parsed_with_the_lines_and_text_kept() -> None:
    text = textwrap.dedent(
        """
        type Payload[T] = dict[str, T]

        def first[T](items: list[T]) -> T:
            return items[0]

        def handler(event, context):
            return f"{event["body"]} {first([1])!r:>{event['width']}}"
        """
    ).lstrip("\n")
    parsed = ANALYZER.parse(path="app.py", display="src/app.py", text=text)
    assert isinstance(parsed, ParsedFile)
    assert parsed.text == text
    functions = [node for node in parsed.tree.body if isinstance(node, ast.FunctionDef)]
    assert [(f.name, f.lineno) for f in functions] == [("first", 3), ("handler", 6)]


def test_downgrade_rewrites_only_what_older_parsers_reject() -> None:
    source = textwrap.dedent(
        """
        type Alias = list[int]
        class Box[T: (int, str)]:
            pass
        async def get[K, V](key: K) -> V: ...
        a = f"{x["k"]:{width}} {y['k']} {{literal}}"  # a "comment" with f"{x["k"]}"
        b = f'{d['k']!s}' + "f{x["
        c = f\"\"\"{x["k"]}\"\"\"
        type = 5
        """
    )
    assert downgrade(source) == textwrap.dedent(
        """
        Alias = list[int]
        class Box:
            pass
        async def get(key: K) -> V: ...
        a = f"{x['k']:{width}} {y['k']} {{literal}}"  # a "comment" with f"{x["k"]}"
        b = f'{d["k"]!s}' + "f{x["
        c = f\"\"\"{x["k"]}\"\"\"
        type = 5
        """
    )
    assert downgrade("x = 1\n") is None
