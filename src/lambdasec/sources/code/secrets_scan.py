"""Credentials written into code and packaged text files: known token formats, secret-named literals, URLs."""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Iterator

from lambdasec.model import CodeSecret, Origin, SourceKind
from lambdasec.records import record
from lambdasec.secrets import find_tokens, is_reference, mask, name_words, secret_in

__all__ = ["CONFIG_SUFFIXES", "SCANNED_SUFFIXES", "is_sample", "is_scanned", "scan_secrets"]

# Files whose values are written bare (`DB_PASSWORD=...`, `password: ...`), not as quoted literals.
CONFIG_SUFFIXES = frozenset(
    {".env", ".ini", ".cfg", ".conf", ".properties", ".yaml", ".yml", ".json", ".toml"}
)
CODE_SUFFIXES = frozenset({".py", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx"})
SCANNED_SUFFIXES = CONFIG_SUFFIXES | CODE_SUFFIXES

# `name = "value"`, `name: "value"`, `"name": "value"`, `name => 'value'`, `const name: string = "value"`,
# and for configuration files `NAME=value` / `name: value`.
_ASSIGNED = r"""(?<![\w$.-])(?P<name>[A-Za-z_$][\w$.-]*)["']?
        (?:[ \t]*:[ \t]*[A-Za-z_][\w<>\[\]|.]*(?=[ \t]*=[^=>]))?      # a TypeScript type annotation
        [ \t]*(?::=|=>|=(?![=>])|:)[ \t]*
        (?:(?P<quote>["'`])(?P<quoted>[^"'`\n\\]*(?:\\.[^"'`\n\\]*)*)(?P=quote)"""
_ASSIGNMENT = re.compile(_ASSIGNED + r"""|(?P<bare>[^\s"'`#;,]+))""", re.VERBOSE)
# In code only quoted literals count, so a bare value (`conn = connect(`) must not hide the keyword
# argument after it on the line (`password="..."`).
_CODE_ASSIGNMENT = re.compile(_ASSIGNED + ")", re.VERBOSE)
_CONNECTION_STRING = re.compile(
    r"""\b(?P<scheme>postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle)
        ://(?P<user>[^\s:/@'"`]*):(?P<password>[^\s@'"`/]+)@""",
    re.VERBOSE | re.IGNORECASE,
)
_PEM_BLOCK = re.compile(
    r"-----BEGIN (?P<label>(?:[A-Z]+ )?PRIVATE KEY)-----(?P<body>[^-]*?)-----END (?P=label)-----"
)
_AWS_SECRET_KEY = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_ACCESS_KEY_KIND = "an AWS access key id"
_PRIVATE_KEY_KIND = "a private key"
# How many lines apart an AWS access key id and its secret key may be to count as a pair.
_PAIR_DISTANCE = 5

# Values that stand for a secret in documentation, examples and templates, anywhere in the value.
_PLACEHOLDER_PARTS = (
    "example",
    "changeme",
    "change_me",
    "change-me",
    "placeholder",
    "dummy",
    "sample",
    "xxxx",
    "****",
    "<",
    ">",
    "${",
    "{{",
    "%s",
    "{}",
    "#{",
    "your_",
    "your-",
)
# Lowercase parts of the variable names that may hold a secret (see `secrets.secret_in`).
_NAME_PARTS = (
    "pass",
    "pwd",
    "secret",
    "token",
    "key",
    "cred",
    "auth",
    "salt",
    "hmac",
    "sign",
    "seed",
    "cookie",
    "encrypt",
)
# Words that stand for a password in documentation (`postgres://user:password@host`).
_GENERIC_PASSWORDS = frozenset(
    {"pass", "password", "passwd", "pwd", "secret", "user", "username", "changeit"}
)
# The signature of jwt.io's documented example token.
_DOCUMENTED_TOKENS = ("SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",)
# Last words of a code name that describe text about a secret rather than the secret.
_DESCRIPTIVE = frozenset(
    {
        "PATTERN",
        "REGEX",
        "RE",
        "MESSAGE",
        "MSG",
        "PROMPT",
        "LABEL",
        "HINT",
        "ERROR",
        "TEXT",
        "TITLE",
        "PLACEHOLDER",
        "KIND",
        "STATUS",
        "EVENT",
        "ACTION",
        "COLUMN",
        "ATTRIBUTE",
        "ATTR",
        "ENV",
        "VAR",
        "NAME",
        "CHARS",
        "CHARACTERS",
        "ALPHABET",
        "COMMAND",
        "SOURCE",
    }
)
# `.env.example`, `settings.sample.yaml`, `config.template.json`, `test_app.py`, `app_test.py`,
# `app.test.ts`, `app.spec.js`, `conftest.py`.
_SAMPLE_NAME = re.compile(
    r"(?:^|[._-])(?:example|examples|sample|samples|template|dist|defaults)(?:[._-]|$)"
    r"|^test_.*\.py$|_test\.py$|\.(?:test|spec)\.[cm]?[jt]sx?$|^conftest\.py$"
)
_TEST_DIRECTORIES = frozenset({"test", "tests", "__tests__", "__mocks__", "spec", "fixtures", "testdata"})
# Letters and separators only: `NextToken`, `Proxy-Authorization`, `aws:secretsmanager:owningService`.
_WORDS_ONLY = re.compile(r"^[A-Za-z]+(?:[._:/|-]+[A-Za-z]+)*[._:/|-]?$")
_LETTERS_THEN_DIGITS = re.compile(r"^[A-Za-z]+[0-9]*$")
# The base64 beginnings of DER public keys (SubjectPublicKeyInfo), which are published, not secret:
# EC P-256, EC P-384, RSA 2048 and 4096, Ed25519.
_PUBLIC_KEY_PREFIXES = (
    "MFkwEwYHKoZIzj0CAQ",
    "MHYwEAYHKoZIzj0CAQ",
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A",
    "MIICIjANBgkqhkiG9w0BAQEFAAOCAg8A",
    "MCowBQYDK2VwAyEA",
)
# Dotted or colon-separated identifiers: `fs.s3.consistent.retryCount`, `AWS::CloudFormation::Module`.
_DOTTED_NAME = re.compile(r"^[A-Za-z_]\w*(?:(?:\.|::?|\|)[A-Za-z_]\w*)+$")
_CONSTANT_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_PASSWORD_WORDS = frozenset({"PASSWORD", "PASSWD", "PWD"})
# Parts of a value that make it a name (of a field, a form input, a parameter), not a password.
_NOT_A_PASSWORD = ("pass", "pwd", "secret", "user", "name", "field", "input", "hash", "login", "param")
_IDENTIFIER_LIKE = re.compile(r"^[a-z][a-z0-9]*(?:[._:/-][a-z0-9]+)*$")


@record
class _Hit:
    line: int
    kind: str
    value: str


def is_scanned(path: str) -> bool:
    """True for the files secrets are looked for in: code and configuration text (`.env` included)."""
    return _is_env(path) or _suffix(path) in SCANNED_SUFFIXES


def scan_secrets(text: str, *, file: str) -> tuple[CodeSecret, ...]:
    """The credentials written in `text` (the content of `file`, a display path), one per value, masked.

    Known token formats count wherever they appear; other literals count when assigned to a
    secret-named variable (in code only quoted literals, in configuration files bare values too) and
    when they look like a real secret, except in sample and test files (`is_sample`), whose
    passwords are made up; URLs count when they embed a password. Documented example keys (AWS's
    `AKIAIOSFODNN7EXAMPLE`, jwt.io's token) and placeholders are skipped. An AWS access key id is
    reported only with a 40-character secret key within five lines of it.
    """
    lines = _Lines(text)
    config = _is_config(file)
    hits: list[_Hit] = []
    taken: set[tuple[int, int]] = set()
    access_key_lines: list[int] = []
    for token in find_tokens(text):
        value = text[token.start : token.end]
        if _is_documented(value):
            continue
        if token.kind == _ACCESS_KEY_KIND:
            access_key_lines.append(lines.at(token.start))
            taken.add((token.start, token.end))
            continue
        if token.kind.endswith("private key"):
            continue
        hits.append(_Hit(line=lines.at(token.start), kind=token.kind, value=value))
        taken.add((token.start, token.end))
    hits.extend(_private_keys(text, lines))
    if access_key_lines:
        hits.extend(_aws_secret_keys(text, lines, near=access_key_lines))
    hits.extend(_connection_strings(text, lines))
    if not is_sample(file):
        hits.extend(_assignments(text, lines, config=config, taken=taken))
    return _secrets(_deduplicated(hits), file=file)


def is_sample(path: str) -> bool:
    """True for files that hold made-up values on purpose: `.env.example`-style templates and tests."""
    parts = path.lower().split("/")
    name = parts[-1]
    if _SAMPLE_NAME.search(name):
        return True
    return any(part in _TEST_DIRECTORIES for part in parts[:-1])


def _is_config(file: str) -> bool:
    return _is_env(file) or _suffix(file) in CONFIG_SUFFIXES


def _is_env(path: str) -> bool:
    name = path.rpartition("/")[2]
    return name == ".env" or name.startswith(".env.")


def _suffix(path: str) -> str:
    name = path.rpartition("/")[2]
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


class _Lines:
    """Line numbers of offsets in a text: the first few counted, a table of line starts built for more.

    Most texts hold no secret or a few; counting newlines for those is cheaper than building the table.
    """

    _COUNTED = 16

    def __init__(self, text: str) -> None:
        self._text = text
        self._asked = 0
        self._starts: list[int] | None = None

    def at(self, offset: int) -> int:
        if self._starts is None:
            self._asked += 1
            if self._asked <= self._COUNTED:
                return self._text.count("\n", 0, offset) + 1
            self._starts = [match.end() for match in re.finditer("\n", self._text)]
        return bisect.bisect_right(self._starts, offset) + 1


def _lines_with(text: str, parts: tuple[str, ...]) -> list[tuple[int, int]]:
    """The (start, end) offsets of the lines of `text` holding any of `parts`, in order.

    Searching substrings and then matching a regex on those lines only is much faster than running
    the regex over the whole text, where it is tried at every position.
    """
    spans: set[tuple[int, int]] = set()
    for part in parts:
        position = text.find(part)
        while position != -1:
            start = text.rfind("\n", 0, position) + 1
            end = text.find("\n", position)
            end = len(text) if end == -1 else end
            spans.add((start, end))
            position = text.find(part, end)
    return sorted(spans)


def _matches_on_lines(
    pattern: re.Pattern[str], text: str, spans: list[tuple[int, int]]
) -> Iterator[re.Match[str]]:
    for start, end in spans:
        yield from pattern.finditer(text, start, end)


def _is_documented(value: str) -> bool:
    return "EXAMPLE" in value.upper() or any(token in value for token in _DOCUMENTED_TOKENS)


def _private_keys(text: str, lines: _Lines) -> list[_Hit]:
    if "PRIVATE KEY-----" not in text:
        return []
    found: list[_Hit] = []
    for match in _PEM_BLOCK.finditer(text):
        body = re.sub(r"\\n|[^A-Za-z0-9+/=]", "", match["body"])
        if len(body) >= 64 and not _is_placeholder(body):
            found.append(_Hit(line=lines.at(match.start()), kind=_PRIVATE_KEY_KIND, value=body))
    return found


def _aws_secret_keys(text: str, lines: _Lines, *, near: list[int]) -> list[_Hit]:
    found: list[_Hit] = []
    for match in _AWS_SECRET_KEY.finditer(text):
        value = match.group()
        line = lines.at(match.start())
        if _is_documented(value) or not _mixed(value):
            continue
        if any(abs(line - other) <= _PAIR_DISTANCE for other in near):
            found.append(_Hit(line=line, kind="an AWS secret access key", value=value))
    return found


def _connection_strings(text: str, lines: _Lines) -> list[_Hit]:
    if "://" not in text:
        return []
    found: list[_Hit] = []
    for match in _matches_on_lines(_CONNECTION_STRING, text, _lines_with(text, ("://",))):
        password = match["password"]
        if len(password) < 4 or password.lower() in _GENERIC_PASSWORDS or _is_placeholder(password):
            continue
        if password.startswith(("$", "%", "{", ":")):
            continue
        found.append(
            _Hit(line=lines.at(match.start()), kind="a connection string with a password", value=password)
        )
    return found


def _assignments(text: str, lines: _Lines, *, config: bool, taken: set[tuple[int, int]]) -> list[_Hit]:
    found: list[_Hit] = []
    pattern = _ASSIGNMENT if config else _CODE_ASSIGNMENT
    for match in _matches_on_lines(pattern, text, _lines_with(text.lower(), _NAME_PARTS)):
        quoted = match["quoted"]
        value = quoted if quoted is not None else (match["bare"] if config else None)
        if not value:
            continue
        start = match.start("quoted") if quoted is not None else match.start("bare")
        if any(begin <= start < end for begin, end in taken):
            continue
        name = match["name"].rpartition(".")[2]
        if not config and value != value.strip():
            continue  # padded text (`" --username="`) is a message or a command line, not a secret
        kind = _assigned_secret(name, value.strip(), config=config)
        if kind is not None:
            found.append(_Hit(line=lines.at(start), kind=kind, value=value.strip()))
    return found


def _assigned_secret(name: str, value: str, *, config: bool) -> str | None:
    if _is_placeholder(value) or "://" in value or is_reference(value):
        return None
    words = name_words(name)
    if not words:
        return None
    if not config and (
        (words[-1] in _DESCRIPTIVE and len(words) > 1)
        or not (_random_enough(value) or _plain_password(words, value))
    ):
        return None
    if value.startswith(_PUBLIC_KEY_PREFIXES):
        return None
    kind = secret_in(name, value)
    if kind == "a high-entropy secret" and _LETTERS_THEN_DIGITS.match(value):
        return None  # a name under a key-like name (`SSECustomerKeyMD5`), not a random key
    # Token shapes were reported already; here only what the name says counts.
    return kind if kind in ("a credential", "a high-entropy secret") else None


def _random_enough(value: str) -> bool:
    """A literal in code that can be a secret: 8+ characters, no spaces, not words or an identifier.

    Names written in code (`NextToken`, `Access-Control-Allow-Credentials`, `fs.s3.retryCount`,
    `aws:secretsmanager:owningService`), format strings and escapes are not secrets.
    """
    if len(value) < 8 or any(c.isspace() for c in value) or value.startswith("-"):
        return False
    if any(part in value for part in ("\\", "%(", "{", "}")):
        return False
    if _CONSTANT_NAME.match(value) or _IDENTIFIER_LIKE.match(value):
        return False
    if _WORDS_ONLY.match(value) or _DOTTED_NAME.match(value):
        return False
    return _mixed(value) and _entropy(value) >= 2.5


def _plain_password(words: tuple[str, ...], value: str) -> bool:
    """A password-named literal that is a plain lowercase word, maybe with digits (`admin123`).

    Too regular to pass as a random secret, it is still the password a database connection or a
    login is written with; values naming a field or another variable (`user_password`) are not.
    """
    lowered = value.lower()
    return (
        words[-1] in _PASSWORD_WORDS
        and 6 <= len(value) <= 64
        and bool(_IDENTIFIER_LIKE.match(value))
        and not any(part in lowered for part in _NOT_A_PASSWORD)
    )


def _mixed(value: str) -> bool:
    classes = (
        any(c.islower() for c in value),
        any(c.isupper() for c in value),
        any(c.isdigit() for c in value),
        any(not c.isalnum() for c in value),
    )
    return sum(classes) >= 2


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def _is_placeholder(value: str) -> bool:
    lowered = value.lower()
    return any(part in lowered for part in _PLACEHOLDER_PARTS)


def _deduplicated(hits: list[_Hit]) -> list[_Hit]:
    seen: set[tuple[int, str]] = set()
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: h.line):
        if (hit.line, hit.value) in seen:
            continue
        seen.add((hit.line, hit.value))
        kept.append(hit)
    return kept


def _secrets(hits: list[_Hit], *, file: str) -> tuple[CodeSecret, ...]:
    if not hits:
        return ()
    ordinals: Counter[str] = Counter()
    found: list[CodeSecret] = []
    for hit in hits:
        slug = _slug(hit.kind)
        ordinals[slug] += 1
        key = f"{file}#{slug}:{ordinals[slug]}"
        found.append(
            CodeSecret(
                key=key,
                file=file,
                kind=hit.kind,
                masked=mask(hit.value),
                origin=Origin(source=SourceKind.CODE, file=file, line=hit.line, resource=key),
            )
        )
    return tuple(found)


def _slug(kind: str) -> str:
    words = kind.lower().split()
    if words and words[0] in ("a", "an"):
        words = words[1:]
    return "-".join(re.sub(r"[^a-z0-9]+", "-", word).strip("-") for word in words)
