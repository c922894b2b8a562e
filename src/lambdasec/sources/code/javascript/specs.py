"""Sources, propagators, sanitizers and sinks of the JavaScript/TypeScript analysis, as data."""

from __future__ import annotations

from functools import cache
from typing import Final

from lambdasec.model import SinkKind
from lambdasec.records import record

__all__ = [
    "ARRAY_CALLBACKS",
    "GLOBAL_SINKS",
    "LOG_METHODS",
    "METHOD_SINKS",
    "MODULE_SINKS",
    "NOSQL_COMMANDS",
    "NOSQL_FIELDS",
    "PROPAGATING_FUNCTIONS",
    "PROPAGATING_METHODS",
    "REDIRECT_STATUSES",
    "REMOVERS",
    "RESPONSE_CHAINS",
    "RESPONSE_SINKS",
    "SANITIZING_FUNCTIONS",
    "SECRET_CALLS",
    "SECRET_COMMANDS",
    "SECRET_NAME_PARTS",
    "TMP_WRITERS",
    "VALIDATING_METHODS",
    "SinkSpec",
    "secret_named",
]


@record(kw_only=False)
class SinkSpec:
    """A sink: its kind, the argument positions that matter, and an extra condition checked by name.

    Conditions: `spawn` (shell option or tainted command), `string` (the argument is not a function),
    `yaml` (js-yaml load without a safe schema), `noent` (entity expansion switched on), `sql` (a query
    string, or the `text`/`sql` field of a query object), `url` (the `url` field of an options object),
    `dynamo` (expression strings of DynamoDB parameters), `mongo` (`$where` or a filter from the event),
    `root` (Express `sendFile` without a fixed `root` option, which would reject paths leaving the root).
    """

    kind: SinkKind
    args: tuple[int, ...] = (0,)
    condition: str = ""


_SHELL = SinkSpec(SinkKind.SHELL)
_SPAWN = SinkSpec(SinkKind.SHELL, (0, 1), "spawn")
_CODE = SinkSpec(SinkKind.CODE)
_PATH = SinkSpec(SinkKind.PATH)
_PATH2 = SinkSpec(SinkKind.PATH, (0, 1))
_SSRF = SinkSpec(SinkKind.SSRF, (0,), "url")
_TEMPLATE = SinkSpec(SinkKind.TEMPLATE)
_DESERIALIZE = SinkSpec(SinkKind.DESERIALIZATION)

_FS_ONE: Final = [
    "readFile",
    "readFileSync",
    "createReadStream",
    "createWriteStream",
    "writeFile",
    "writeFileSync",
    "appendFile",
    "appendFileSync",
    "unlink",
    "unlinkSync",
    "rm",
    "rmSync",
    "rmdir",
    "rmdirSync",
    "readdir",
    "readdirSync",
    "stat",
    "statSync",
    "lstat",
    "lstatSync",
    "access",
    "accessSync",
    "open",
    "openSync",
    "mkdir",
    "mkdirSync",
    "existsSync",
    "opendir",
    "chmod",
    "chmodSync",
    "truncate",
]
_FS_TWO: Final = [
    "copyFile",
    "copyFileSync",
    "rename",
    "renameSync",
    "symlink",
    "symlinkSync",
    "cp",
    "cpSync",
]
_HTTP_VERBS: Final = ("get", "post", "put", "patch", "delete", "head", "options", "request")


def _module_sinks() -> dict[str, SinkSpec]:
    table: dict[str, SinkSpec] = {
        "child_process.exec": _SHELL,
        "child_process.execSync": _SHELL,
        "child_process.spawn": _SPAWN,
        "child_process.spawnSync": _SPAWN,
        "child_process.execFile": _SPAWN,
        "child_process.execFileSync": _SPAWN,
        "execa.execaCommand": _SHELL,
        "execa.execaCommandSync": _SHELL,
        "shelljs.exec": _SHELL,
        "vm.runInNewContext": _CODE,
        "vm.runInThisContext": _CODE,
        "vm.runInContext": _CODE,
        "vm.compileFunction": _CODE,
        "vm.Script": _CODE,
        "node-serialize.unserialize": _DESERIALIZE,
        "funcster.deepDeserialize": _DESERIALIZE,
        "js-yaml.load": SinkSpec(SinkKind.DESERIALIZATION, (0,), "yaml"),
        "js-yaml.loadAll": SinkSpec(SinkKind.DESERIALIZATION, (0,), "yaml"),
        "libxmljs.parseXml": SinkSpec(SinkKind.XXE, (0,), "noent"),
        "libxmljs.parseXmlString": SinkSpec(SinkKind.XXE, (0,), "noent"),
        "libxmljs2.parseXml": SinkSpec(SinkKind.XXE, (0,), "noent"),
        "libxmljs2.parseXmlString": SinkSpec(SinkKind.XXE, (0,), "noent"),
        "ejs.render": _TEMPLATE,
        "ejs.compile": _TEMPLATE,
        "pug.compile": _TEMPLATE,
        "pug.render": _TEMPLATE,
        "handlebars.compile": _TEMPLATE,
        "handlebars.precompile": _TEMPLATE,
        "lodash.template": _TEMPLATE,
        "lodash/template": _TEMPLATE,
        "underscore.template": _TEMPLATE,
        "nunjucks.renderString": _TEMPLATE,
        "mustache.render": _TEMPLATE,
        "node-fetch": _SSRF,
        "axios": _SSRF,
        "got": _SSRF,
        "undici.request": _SSRF,
        "undici.fetch": _SSRF,
        "needle": SinkSpec(SinkKind.SSRF, (1,), "url"),
        "request": _SSRF,
    }
    for module in ("fs", "fs.promises", "fs-extra"):
        table.update({f"{module}.{name}": _PATH for name in _FS_ONE})
        table.update({f"{module}.{name}": _PATH2 for name in _FS_TWO})
    for module in ("http", "https"):
        table[f"{module}.get"] = _SSRF
        table[f"{module}.request"] = _SSRF
    for client in ("axios", "got", "superagent", "needle", "request"):
        table.update({f"{client}.{verb}": _SSRF for verb in _HTTP_VERBS})
    table["needle.get"] = _SSRF
    return table


MODULE_SINKS: Final = _module_sinks()
GLOBAL_SINKS: Final = {
    "eval": _CODE,
    "Function": SinkSpec(SinkKind.CODE, (0, 1, 2, 3, 4, 5)),
    "setTimeout": SinkSpec(SinkKind.CODE, (0,), "string"),
    "setInterval": SinkSpec(SinkKind.CODE, (0,), "string"),
    "setImmediate": SinkSpec(SinkKind.CODE, (0,), "string"),
    "fetch": _SSRF,
}
# Methods that are sinks on any receiver (instances the analysis cannot type: a pg client, a knex builder).
METHOD_SINKS: Final = {
    "query": SinkSpec(SinkKind.SQL, (0,), "sql"),
    "execute": SinkSpec(SinkKind.SQL, (0,), "sql"),
    "raw": SinkSpec(SinkKind.SQL),
    "whereRaw": SinkSpec(SinkKind.SQL),
    "orWhereRaw": SinkSpec(SinkKind.SQL),
    "orderByRaw": SinkSpec(SinkKind.SQL),
    "havingRaw": SinkSpec(SinkKind.SQL),
    "joinRaw": SinkSpec(SinkKind.SQL),
    "groupByRaw": SinkSpec(SinkKind.SQL),
    "$queryRawUnsafe": SinkSpec(SinkKind.SQL),
    "$executeRawUnsafe": SinkSpec(SinkKind.SQL),
    "scan": SinkSpec(SinkKind.NOSQL, (0,), "dynamo"),
    "find": SinkSpec(SinkKind.NOSQL, (0,), "mongo"),
    "findOne": SinkSpec(SinkKind.NOSQL, (0,), "mongo"),
    "findOneAndUpdate": SinkSpec(SinkKind.NOSQL, (0,), "mongo"),
    "findOneAndDelete": SinkSpec(SinkKind.NOSQL, (0,), "mongo"),
    "deleteOne": SinkSpec(SinkKind.NOSQL, (0,), "mongo"),
    "deleteMany": SinkSpec(SinkKind.NOSQL, (0,), "mongo"),
    "updateOne": SinkSpec(SinkKind.NOSQL, (0,), "mongo"),
    "updateMany": SinkSpec(SinkKind.NOSQL, (0,), "mongo"),
    "countDocuments": SinkSpec(SinkKind.NOSQL, (0,), "mongo"),
    "redirect": SinkSpec(SinkKind.REDIRECT, (0, 1)),
}
# Methods of a web framework's response object (an Express route's `res`, not any receiver) that are sinks.
RESPONSE_SINKS: Final = {
    "redirect": SinkSpec(SinkKind.REDIRECT, (0, 1)),
    "location": SinkSpec(SinkKind.REDIRECT),
    "sendFile": SinkSpec(SinkKind.PATH, (0,), "root"),
    "download": _PATH,
}
# Response methods that return the response (`res.status(302).location(url)`).
RESPONSE_CHAINS: Final = frozenset(
    {"status", "set", "header", "type", "append", "cookie", "clearCookie", "vary", "attachment", "links"}
)
NOSQL_COMMANDS: Final = frozenset(
    {
        "ScanCommand",
        "QueryCommand",
        "ExecuteStatementCommand",
        "BatchExecuteStatementCommand",
        "DeleteCommand",
        "UpdateCommand",
        "UpdateItemCommand",
        "DeleteItemCommand",
    }
)
NOSQL_FIELDS: Final = (
    "FilterExpression",
    "KeyConditionExpression",
    "ConditionExpression",
    "UpdateExpression",
    "ProjectionExpression",
    "Statement",
)
LOG_METHODS: Final = frozenset({"log", "info", "warn", "error", "debug", "trace", "critical", "fatal"})
REDIRECT_STATUSES: Final = frozenset({"301", "302", "303", "307", "308"})
TMP_WRITERS: Final = frozenset(
    {"writeFile", "writeFileSync", "appendFile", "appendFileSync", "createWriteStream", "outputFile"}
)
REMOVERS: Final = frozenset(
    {"unlink", "unlinkSync", "rm", "rmSync", "rmdir", "rmdirSync", "remove", "removeSync"}
)

# Calls whose result carries nothing an attacker controls, or is safe for some sinks.
SANITIZING_FUNCTIONS: Final[dict[str, frozenset[SinkKind] | None]] = {
    "Number": None,
    "parseInt": None,
    "parseFloat": None,
    "Boolean": None,
    "Number.parseInt": None,
    "Number.parseFloat": None,
    "Math.floor": None,
    "Math.round": None,
    "encodeURIComponent": frozenset({SinkKind.SSRF, SinkKind.REDIRECT, SinkKind.SHELL}),
    "path.basename": frozenset({SinkKind.PATH}),
    "mysql.escape": frozenset({SinkKind.SQL}),
    "mysql2.escape": frozenset({SinkKind.SQL}),
    "pg-format": frozenset({SinkKind.SQL}),
    "sqlstring.escape": frozenset({SinkKind.SQL}),
    "shell-quote.quote": frozenset({SinkKind.SHELL}),
    "validator.escape": frozenset({SinkKind.TEMPLATE}),
    "he.encode": frozenset({SinkKind.TEMPLATE}),
    "escape-html": frozenset({SinkKind.TEMPLATE}),
}
# Schema validators whose result is the validated value (joi/yup `validate*`, zod `parse`).
VALIDATING_METHODS: Final = frozenset(
    {
        "validate",
        "validateAsync",
        "validateSync",
        "parse",
        "parseAsync",
        "safeParse",
        "safeParseAsync",
        "cast",
    }
)
# Functions and methods that pass taint through to their result, certainly.
PROPAGATING_FUNCTIONS: Final = frozenset(
    {
        "JSON.parse",
        "JSON.stringify",
        "decodeURIComponent",
        "decodeURI",
        "encodeURI",
        "unescape",
        "String",
        "Buffer.from",
        "Object.assign",
        "Object.values",
        "Object.entries",
        "Object.keys",
        "Object.fromEntries",
        "Array.from",
        "Array.of",
        "Promise.resolve",
        "Promise.all",
        "atob",
        "btoa",
        "path.join",
        "path.resolve",
        "path.normalize",
        "path.format",
        "url.format",
        "querystring.parse",
        "qs.parse",
        "util.format",
        "URL",
        "URLSearchParams",
        "util.promisify",
        "structuredClone",
    }
)
PROPAGATING_METHODS: Final = frozenset(
    [
        "toString",
        "trim",
        "trimStart",
        "trimEnd",
        "toLowerCase",
        "toUpperCase",
        "split",
        "join",
        "replace",
        "replaceAll",
        "slice",
        "substring",
        "substr",
        "concat",
        "padStart",
        "padEnd",
        "normalize",
        "at",
        "charAt",
        "repeat",
        "flat",
        "flatMap",
        "reverse",
        "sort",
        "values",
        "entries",
        "keys",
        "promise",
        "then",
        "toJSON",
        "get",
        "getAll",
        "pop",
        "shift",
        "valueOf",
    ]
)
# Methods whose first argument is called with the receiver's elements (`then`: with the resolved value).
ARRAY_CALLBACKS: Final = frozenset(
    {"map", "forEach", "filter", "find", "findLast", "some", "every", "flatMap", "reduce", "then"}
)
# Calls (SDK v2 clients, Powertools parameters) and SDK v3 commands whose result is a secret.
SECRET_CALLS: Final = frozenset(
    {"getSecretValue", "getSecret", "getSecrets", "getParameter", "getParameters", "getParametersByPath"}
)
SECRET_COMMANDS: Final = frozenset(
    {"GetSecretValueCommand", "BatchGetSecretValueCommand", "GetParameterCommand", "GetParametersCommand"}
)
SECRET_NAME_PARTS: Final = (
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "api_key",
    "private_key",
    "privatekey",
    "credential",
)
_NOT_SECRET_SUFFIXES: Final = (
    "arn",
    "name",
    "id",
    "ids",
    "count",
    "length",
    "url",
    "path",
    "type",
    "region",
    "header",
    "client",
)


@cache
def secret_named(name: str) -> bool:
    """True for names that hold a secret (`DB_PASSWORD`, `apiKey`), not for its id, ARN or name."""
    lowered = name.lower().replace("-", "_")
    squashed = lowered.replace("_", "")
    if squashed.endswith(_NOT_SECRET_SUFFIXES):
        return False
    return any(part in lowered or part in squashed for part in SECRET_NAME_PARTS)
