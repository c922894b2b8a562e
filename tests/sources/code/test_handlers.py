"""Handler settings resolve to files and symbols the way the Lambda runtimes resolve them."""

from __future__ import annotations

from lambdasec.model import Language
from lambdasec.sources.code.handlers import (
    HandlerRef,
    language_of_file,
    language_of_runtime,
    parse_handler,
)

NODE = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx", ".jsx")


def test_python_dotted_and_slashed_modules() -> None:
    assert parse_handler("app.lambda_handler", Language.PYTHON) == HandlerRef(
        candidates=("app.py", "app/__init__.py"), symbol="lambda_handler"
    )
    assert parse_handler("orders.api.create.handler", Language.PYTHON) == HandlerRef(
        candidates=("orders/api/create.py", "orders/api/create/__init__.py"), symbol="handler"
    )
    assert parse_handler("src/handlers/app.main", Language.PYTHON) == HandlerRef(
        candidates=("src/handlers/app.py", "src/handlers/app/__init__.py"), symbol="main"
    )


def test_node_splits_at_the_first_dot_after_the_last_slash() -> None:
    assert parse_handler("src/handlers/users.create", Language.JAVASCRIPT) == HandlerRef(
        candidates=tuple(f"src/handlers/users{suffix}" for suffix in NODE), symbol="create"
    )
    assert parse_handler("index.handlers.get", Language.JAVASCRIPT) == HandlerRef(
        candidates=tuple(f"index{suffix}" for suffix in NODE), symbol="handlers.get"
    )
    assert parse_handler("./index.handler", Language.JAVASCRIPT) == HandlerRef(
        candidates=tuple(f"index{suffix}" for suffix in NODE), symbol="handler"
    )


def test_a_handler_in_a_build_directory_may_be_its_typescript_source() -> None:
    typescript = (".ts", ".mts", ".cts", ".tsx")
    assert parse_handler("dist/handlers/hello.handler", Language.JAVASCRIPT) == HandlerRef(
        candidates=(
            *(f"dist/handlers/hello{suffix}" for suffix in NODE),
            *(f"src/handlers/hello{suffix}" for suffix in typescript),
            *(f"handlers/hello{suffix}" for suffix in typescript),
        ),
        symbol="handler",
    )
    assert parse_handler("distribution/app.handler", Language.JAVASCRIPT) == HandlerRef(
        candidates=tuple(f"distribution/app{suffix}" for suffix in NODE), symbol="handler"
    )


def test_malformed_handlers_resolve_to_nothing() -> None:
    assert parse_handler("app", Language.PYTHON) is None
    assert parse_handler("app.", Language.PYTHON) is None
    assert parse_handler("../app.handler", Language.PYTHON) is None
    assert parse_handler("pkg..app.handler", Language.PYTHON) is None
    assert parse_handler("index", Language.JAVASCRIPT) is None
    assert parse_handler("index.", Language.JAVASCRIPT) is None
    assert parse_handler("index.a..b", Language.JAVASCRIPT) is None
    assert parse_handler("../lib/index.handler", Language.JAVASCRIPT) is None
    assert parse_handler("lib.v2/index", Language.JAVASCRIPT) is None


def test_a_node_property_path_is_any_names_the_runtime_reads() -> None:
    """The runtime reads `exports["1st"]` as readily as `exports.handler`: not a malformed setting."""
    assert parse_handler("index.1st", Language.JAVASCRIPT) == HandlerRef(
        candidates=tuple(f"index{suffix}" for suffix in NODE), symbol="1st"
    )
    assert parse_handler("index.my-handler", Language.JAVASCRIPT) == HandlerRef(
        candidates=tuple(f"index{suffix}" for suffix in NODE), symbol="my-handler"
    )


def test_languages_by_runtime_and_suffix() -> None:
    assert language_of_runtime("python3.12") is Language.PYTHON
    assert language_of_runtime("nodejs20.x") is Language.JAVASCRIPT
    assert language_of_runtime("java21") is None
    assert language_of_file("a/b.py") is Language.PYTHON
    assert language_of_file("a/b.mjs") is Language.JAVASCRIPT
    assert language_of_file("a/b.ts") is Language.TYPESCRIPT
    assert language_of_file("a/types.d.ts") is None
    assert language_of_file("a/README.md") is None
