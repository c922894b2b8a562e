"""What the Python analysis knows about libraries: sources, sinks, sanitizers and propagators, as data."""

from __future__ import annotations

import re
from typing import Final

from lambdasec.model import SinkKind
from lambdasec.records import record

__all__ = [
    "CLEANING_CALLS",
    "CONSTRUCTORS",
    "LOG_METHODS",
    "METHOD_SINKS",
    "NORMALIZERS",
    "PROPAGATORS",
    "REDIRECT_CODES",
    "REMOVERS",
    "SANITIZERS",
    "SECRET_CALLS",
    "SINKS",
    "STRING_METHODS",
    "SinkSpec",
    "is_credential_key",
    "is_secret_name",
]


@record
class SinkSpec:
    """A dangerous call: which arguments must not carry event data, and any condition on the call.

    `args` are positional indices and `keywords` keyword names whose values are checked; `receiver`
    checks the object the method is called on (`Path(name).read_text()`). `condition` names a special
    case the analysis applies: `shell` (subprocess: `shell=True` or a string command), `yaml` (unsafe
    without a safe Loader), `lxml` (unsafe unless the parser disables entity resolution), `mongo`
    (a `$where` or a filter taken wholly from the event), `ssrf` (unless the URL's host is constant).
    """

    kind: SinkKind
    args: tuple[int, ...] = (0,)
    keywords: tuple[str, ...] = ()
    receiver: bool = False
    condition: str | None = None


def _many(names: str, spec: SinkSpec) -> dict[str, SinkSpec]:
    return dict.fromkeys(names.split(), spec)


_SHELL = SinkSpec(kind=SinkKind.SHELL, keywords=("args",), condition="shell")
_COMMAND = SinkSpec(kind=SinkKind.SHELL, keywords=("command", "cmd"))
_CODE = SinkSpec(kind=SinkKind.CODE, keywords=("source", "name"))
_SQL = SinkSpec(kind=SinkKind.SQL, keywords=("sql", "query", "statement", "operation"))
_PICKLE = SinkSpec(kind=SinkKind.DESERIALIZATION, keywords=("data", "file", "s", "string"))
_PATH = SinkSpec(kind=SinkKind.PATH, keywords=("file", "path", "src", "dst", "filename"))
_PATH_TWO = SinkSpec(kind=SinkKind.PATH, args=(0, 1), keywords=("src", "dst"))
_PATH_SELF = SinkSpec(kind=SinkKind.PATH, args=(), receiver=True)
_URL = SinkSpec(kind=SinkKind.SSRF, keywords=("url",), condition="ssrf")
_URL_SECOND = SinkSpec(kind=SinkKind.SSRF, args=(1,), keywords=("url",), condition="ssrf")
_XML = SinkSpec(kind=SinkKind.XXE, keywords=("text", "source", "string"))
_LXML = SinkSpec(kind=SinkKind.XXE, keywords=("text", "source"), condition="lxml")
_TEMPLATE = SinkSpec(kind=SinkKind.TEMPLATE, keywords=("source", "text", "template"))
_REDIRECT = SinkSpec(kind=SinkKind.REDIRECT, keywords=("location",), condition="redirect")
_NOSQL_EXPR = SinkSpec(
    kind=SinkKind.NOSQL,
    args=(),
    keywords=("FilterExpression", "KeyConditionExpression", "ConditionExpression", "ProjectionExpression"),
)
_MONGO = SinkSpec(kind=SinkKind.NOSQL, keywords=("filter",), condition="mongo")

# Calls by their resolved dotted name (`import subprocess as sp; sp.run` is `subprocess.run`).
SINKS: Final[dict[str, SinkSpec]] = {
    **_many(
        "subprocess.run subprocess.call subprocess.check_call subprocess.check_output subprocess.Popen",
        _SHELL,
    ),
    **_many(
        "os.system os.popen subprocess.getoutput subprocess.getstatusoutput commands.getoutput "
        "commands.getstatusoutput asyncio.create_subprocess_shell pty.spawn os.popen2 os.popen3",
        _COMMAND,
    ),
    **_many("eval exec compile __import__ importlib.import_module builtins.eval builtins.exec", _CODE),
    **_many("sqlalchemy.text sqlalchemy.sql.text sqlalchemy.sql.expression.text", _SQL),
    **_many("pandas.read_sql pandas.read_sql_query", _SQL),
    **_many(
        "pickle.loads pickle.load cPickle.loads cPickle.load _pickle.loads dill.loads dill.load "
        "cloudpickle.loads cloudpickle.load "
        "marshal.loads marshal.load jsonpickle.decode jsonpickle.loads shelve.open yaml.unsafe_load "
        "yaml.unsafe_load_all",
        _PICKLE,
    ),
    **_many(
        "yaml.load yaml.load_all",
        SinkSpec(kind=SinkKind.DESERIALIZATION, keywords=("stream",), condition="yaml"),
    ),
    **_many(
        "open io.open os.open codecs.open os.remove os.unlink os.rmdir os.listdir os.makedirs shutil.rmtree "
        "os.scandir flask.send_file tarfile.open zipfile.ZipFile",
        _PATH,
    ),
    **_many("shutil.copy shutil.copyfile shutil.copy2 shutil.move os.rename os.replace", _PATH_TWO),
    **_many(
        "pathlib.Path.open pathlib.Path.read_text pathlib.Path.read_bytes pathlib.Path.write_text "
        "pathlib.Path.write_bytes pathlib.Path.unlink pathlib.Path.rmdir pathlib.Path.iterdir",
        _PATH_SELF,
    ),
    **_many(
        "requests.get requests.post requests.put requests.patch requests.delete requests.head "
        "requests.options requests.Session.get requests.Session.post requests.Session.put "
        "requests.Session.patch requests.Session.delete requests.Session.head "
        "urllib.request.urlopen urllib.request.Request urllib2.urlopen httpx.get httpx.post httpx.put "
        "httpx.patch httpx.delete httpx.head httpx.stream httpx.Client.get httpx.Client.post "
        "httpx.Client.put "
        "httpx.Client.patch httpx.Client.delete aiohttp.ClientSession.get aiohttp.ClientSession.post "
        "aiohttp.ClientSession.put aiohttp.ClientSession.patch aiohttp.ClientSession.delete "
        "aiohttp.ClientSession.head",
        _URL,
    ),
    **_many(
        "requests.request requests.Session.request httpx.request httpx.Client.request "
        "aiohttp.ClientSession.request urllib3.request urllib3.PoolManager.request "
        "urllib3.PoolManager.urlopen",
        _URL_SECOND,
    ),
    **_many("lxml.etree.fromstring lxml.etree.parse lxml.etree.XML lxml.etree.iterparse", _LXML),
    **_many(
        "xml.sax.parseString xml.sax.parse xml.dom.minidom.parseString xml.dom.minidom.parse "
        "xml.dom.pulldom.parseString xml.etree.ElementTree.fromstring xml.etree.ElementTree.parse "
        "xml.etree.ElementTree.XML xml.etree.cElementTree.fromstring xml.etree.ElementTree.iterparse",
        _XML,
    ),
    **_many(
        "jinja2.Template jinja2.Environment.from_string flask.render_template_string "
        "mako.template.Template django.template.Template",
        _TEMPLATE,
    ),
    **_many("flask.redirect django.shortcuts.redirect werkzeug.utils.redirect", _REDIRECT),
}

# Methods recognized on any receiver, by name alone (the receiver's type is rarely visible).
METHOD_SINKS: Final[dict[str, SinkSpec]] = {
    "execute": _SQL,
    "executemany": _SQL,
    "read_sql": _SQL,
    "raw": _SQL,
    "scan": _NOSQL_EXPR,
    "query": _NOSQL_EXPR,
    "delete_item": _NOSQL_EXPR,
    "update_item": _NOSQL_EXPR,
    "put_item": _NOSQL_EXPR,
    "download_file": SinkSpec(kind=SinkKind.PATH, args=(2,), keywords=("Filename",)),
    "execute_statement": SinkSpec(kind=SinkKind.NOSQL, args=(), keywords=("Statement",)),
    "find": _MONGO,
    "find_one": _MONGO,
    "find_one_and_update": _MONGO,
    "find_one_and_delete": _MONGO,
    "delete_many": _MONGO,
    "delete_one": _MONGO,
    "update_many": _MONGO,
    "update_one": _MONGO,
    "count_documents": _MONGO,
    "aggregate": SinkSpec(kind=SinkKind.NOSQL, keywords=("pipeline",), condition="mongo"),
    "from_string": _TEMPLATE,
}

# Object kinds a constructor call returns (methods on them resolve as `<kind>.<method>`).
CONSTRUCTORS: Final[dict[str, str]] = {
    "requests.Session": "requests.Session",
    "requests.session": "requests.Session",
    "httpx.Client": "httpx.Client",
    "httpx.AsyncClient": "httpx.Client",
    "aiohttp.ClientSession": "aiohttp.ClientSession",
    "urllib3.PoolManager": "urllib3.PoolManager",
    "jinja2.Environment": "jinja2.Environment",
    "pathlib.Path": "pathlib.Path",
    "pathlib.PurePath": "pathlib.Path",
    "pathlib.PosixPath": "pathlib.Path",
    "logging.getLogger": "logging.Logger",
    "logging.Logger": "logging.Logger",
    "aws_lambda_powertools.Logger": "logging.Logger",
    "aws_lambda_powertools.logging.Logger": "logging.Logger",
    "structlog.get_logger": "logging.Logger",
    "pymongo.MongoClient": "pymongo",
    "motor.motor_asyncio.AsyncIOMotorClient": "pymongo",
    "boto3.dynamodb.conditions.Key": "ddb.condition",
    "boto3.dynamodb.conditions.Attr": "ddb.condition",
}

# Calls whose result carries none of their arguments' taint (conversions, checks, safe parsers).
CLEANING_CALLS: Final = frozenset(
    [
        "int",
        "float",
        "bool",
        "complex",
        "len",
        "uuid.UUID",
        "decimal.Decimal",
        "datetime.date.fromisoformat",
        "datetime.datetime.fromisoformat",
        "ipaddress.ip_address",
        "hash",
        "id",
        "isinstance",
        "hashlib.sha256",
        "hashlib.md5",
        "hashlib.sha1",
        "hmac.new",
        "hmac.compare_digest",
        "psycopg2.sql.Identifier",
        "psycopg2.sql.Literal",
        "psycopg.sql.Identifier",
        "psycopg.sql.Literal",
        "re.escape",
    ]
)

# Calls that sanitize for one kind of sink only.
SANITIZERS: Final[dict[str, frozenset[SinkKind]]] = {
    "shlex.quote": frozenset({SinkKind.SHELL}),
    "pipes.quote": frozenset({SinkKind.SHELL}),
    "shlex.join": frozenset({SinkKind.SHELL}),
    "html.escape": frozenset({SinkKind.TEMPLATE}),
    "markupsafe.escape": frozenset({SinkKind.TEMPLATE}),
    "os.path.basename": frozenset({SinkKind.PATH}),
    "werkzeug.utils.secure_filename": frozenset({SinkKind.PATH}),
    "urllib.parse.quote": frozenset({SinkKind.SHELL, SinkKind.PATH, SinkKind.REDIRECT, SinkKind.SSRF}),
    "urllib.parse.quote_plus": frozenset({SinkKind.SHELL, SinkKind.PATH, SinkKind.REDIRECT, SinkKind.SSRF}),
}

# Calls that pass their arguments' taint to their result, certainly (known library behaviour).
PROPAGATORS: Final = frozenset(
    [
        "str",
        "repr",
        "bytes",
        "bytearray",
        "list",
        "tuple",
        "dict",
        "set",
        "frozenset",
        "sorted",
        "reversed",
        "min",
        "max",
        "sum",
        "format",
        "json.loads",
        "json.load",
        "json.dumps",
        "base64.b64decode",
        "base64.b64encode",
        "base64.urlsafe_b64decode",
        "base64.decodebytes",
        "base64.standard_b64decode",
        "urllib.parse.unquote",
        "urllib.parse.unquote_plus",
        "urllib.unquote",  # Python 2 spellings, still in handlers ported from the python2.7 runtime
        "urllib.unquote_plus",
        "urllib2.unquote",
        "urllib.parse.parse_qs",
        "urllib.parse.parse_qsl",
        "urllib.parse.urlencode",
        "urllib.parse.urljoin",
        "os.path.join",
        "posixpath.join",
        "os.path.normpath",
        "os.path.expanduser",
        "os.path.dirname",
        "os.path.splitext",
        "os.fspath",
        "textwrap.dedent",
        "copy.copy",
        "copy.deepcopy",
        "zlib.decompress",
        "gzip.decompress",
        "binascii.unhexlify",
        "binascii.a2b_base64",
        "io.StringIO",
        "io.BytesIO",
        "filter",
        "map",
        "zip",
        "enumerate",
        "iter",
        "next",
        "operator.itemgetter",
        "functools.reduce",
        "collections.OrderedDict",
        "collections.defaultdict",
        "string.Template",
        "ast.literal_eval",
    ]
)

# Calls that normalize a path (a following containment check then makes it safe for file access).
NORMALIZERS: Final = frozenset({"os.path.realpath", "os.path.abspath", "pathlib.Path.resolve"})

# String and container methods: the result keeps the receiver's (and the arguments') taint, certainly.
STRING_METHODS: Final = frozenset(
    [
        "strip",
        "lstrip",
        "rstrip",
        "lower",
        "upper",
        "title",
        "capitalize",
        "casefold",
        "swapcase",
        "split",
        "rsplit",
        "splitlines",
        "join",
        "replace",
        "format",
        "format_map",
        "encode",
        "decode",
        "get",
        "pop",
        "setdefault",
        "items",
        "keys",
        "values",
        "copy",
        "removeprefix",
        "removesuffix",
        "partition",
        "rpartition",
        "center",
        "ljust",
        "rjust",
        "zfill",
        "expandtabs",
        "translate",
        "read",
        "readlines",
        "readline",
        "getvalue",
        "as_posix",
        "resolve",
        "joinpath",
        "with_name",
        "with_suffix",
        "json",
        "get_json",
        "decode_body",
    ]
)

# Logging calls by method name, on a logger-like receiver.
LOG_METHODS: Final = frozenset(
    ["debug", "info", "warning", "warn", "error", "exception", "critical", "log", "fatal", "msg"]
)

# Calls that fetch a secret: by method name on any receiver (boto3 clients, Powertools parameters).
SECRET_CALLS: Final = frozenset({"get_secret_value", "get_secret", "get_parameter", "get_parameters"})

# Calls that remove a file or directory (a secret written to /tmp and removed later is fine).
REMOVERS: Final = frozenset({"os.remove", "os.unlink", "shutil.rmtree", "os.rmdir", "pathlib.Path.unlink"})

REDIRECT_CODES: Final = frozenset({301, 302, 303, 307, 308})

_SECRET_NAME: Final = re.compile(
    r"(pass(word|wd)?|secret|token|api_?key|private_?key|credential|auth|session_?key|signing_?key|"
    r"access_?key|client_?secret|conn(ection)?_?str|dsn)",
    re.IGNORECASE,
)
_NOT_SECRET: Final = re.compile(r"(_arn|_name|_id|_url|_endpoint|_table|_bucket|_region)$", re.IGNORECASE)


def is_secret_name(name: str) -> bool:
    """True for an environment variable or key name that holds a secret (`DB_PASSWORD`, not `SECRET_ARN`)."""
    return bool(_SECRET_NAME.search(name)) and not _NOT_SECRET.search(name)


_CREDENTIAL_KEY: Final = re.compile(
    r"^(authorization|cookies?|x-api-key|password|passwd|token|secret|.*(password|secret|token|api_?key).*)$",
    re.IGNORECASE,
)


def is_credential_key(key: str) -> bool:
    """True for a request field that carries a credential (`password`, `Authorization`, `refresh_token`)."""
    return bool(_CREDENTIAL_KEY.match(key))
