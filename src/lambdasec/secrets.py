"""Secret detection in configuration values (by key name and by value shape) and masking for display."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache

from lambdasec.records import record

__all__ = [
    "SecretMatch",
    "TokenMatch",
    "find_secrets",
    "find_tokens",
    "is_reference",
    "is_trivial",
    "mask",
    "secret_in",
    "sensitive_variable",
]


@record
class SecretMatch:
    """A value that looks like a plaintext secret: which name, what kind, and the value masked."""

    name: str
    kind: str
    masked: str


def mask(value: str) -> str:
    """A display form that never shows the whole secret: at most 4 leading characters and the length."""
    length = len(value)
    shown = 4 if length >= 16 else 2 if length >= 10 else 0
    return f"{value[:shown]}{'*' * 8} ({length} chars)"


# The patterns here are compiled on first use (cached functions): together they take 3 ms to compile,
# which scans without variables or code (and shapes whose literals a text lacks) never need.

# -- references: values that point at a secret store instead of holding the secret ---------------


@cache
def _reference() -> re.Pattern[str]:
    return re.compile(
        r"""^(?:
        \{\{resolve:(?:secretsmanager|ssm|ssm-secure):.*\}\}   # CloudFormation dynamic references
      | arn:aws[\w-]*:(?:secretsmanager|ssm|kms):.*             # ARNs of secret stores and keys
      | \$\{(?:ssm|secretsmanager|env|self|opt|file|cf|s3|aws|param|sls)[:.].*\}   # Serverless variables
      | ssm:/.*
      | (?:/[\w.+=@-]+)+/?                                     # SSM parameter paths (/app/db/password)
    )$""",
        re.VERBOSE,
    )


@cache
def _secret_name() -> re.Pattern[str]:
    # A Secrets Manager secret name such as `prod/orders/db`: lowercase word segments separated by `/`.
    return re.compile(r"^[a-z0-9_.-]+(?:/[a-z0-9_.-]+)+$")


@cache
def _placeholder() -> re.Pattern[str]:
    return re.compile(
        r"""^(?:
        <[^>]*> | \$\{[^}]*\} | \{\{[^}]*\}\} | %[^%]*% | \$[A-Z_][A-Z0-9_]*
      | x{3,} | \*{3,} | \.{3,} | -+ | _+ | 0+
      | changeme | change[-_]?me | replace[-_]?me | todo | tbd | fixme | dummy | placeholder | example
      | none | null | nil | undefined | n/?a | empty | secret | password | your[-_].*
    )$""",
        re.VERBOSE | re.IGNORECASE,
    )


_BOOLEANS = frozenset({"true", "false", "yes", "no", "on", "off", "enabled", "disabled"})


def is_reference(value: str) -> bool:
    """True for values that name a secret kept elsewhere (dynamic references, ARNs, SSM paths, names)."""
    text = value.strip()
    return bool(_reference().match(text) or _secret_name().match(text))


def is_trivial(value: str) -> bool:
    """True for values too short or too generic to be a secret: placeholders, booleans, small numbers."""
    return _is_trivial(value)


def _is_trivial(value: str) -> bool:
    text = value.strip()
    return (
        len(text) < 6
        or text.lower() in _BOOLEANS
        or bool(_placeholder().match(text))
        or (text.isdigit() and len(text) < 8)
    )


# -- by value shape ------------------------------------------------------------------------------

# Token formats by kind (regular expression sources).
_SHAPES: dict[str, str] = {
    "an AWS access key id": r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b",
    "a Stripe live secret key": r"\b[sr]k_live_[0-9A-Za-z]{10,}",
    "a Slack token": r"\bxox[baprs]-[0-9A-Za-z-]{10,}",
    "a GitHub token": r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})",
    "a private key": r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----",
    "a JSON Web Token": r"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{10,}",
    "a Google API key": r"\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])",
    "a SendGrid API key": r"\bSG\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z_-]{43}(?![0-9A-Za-z_-])",
    "a Twilio API key": r"\bSK[0-9a-f]{32}\b",
}
_ACCESS_KEY_KIND = next(iter(_SHAPES))


@cache
def _shape_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((kind, re.compile(pattern)) for kind, pattern in _SHAPES.items())


@cache
def _url_password() -> re.Pattern[str]:
    return re.compile(r"^[a-z][a-z0-9+.-]*://[^/\s:@]+:(?P<password>[^/\s@]+)@", re.IGNORECASE)


@cache
def _aws_secret_key() -> re.Pattern[str]:
    return re.compile(r"^[A-Za-z0-9/+]{40}$")


@record
class TokenMatch:
    """A token of a known format found in a text: its kind and where it sits (`text[start:end]`)."""

    kind: str
    start: int
    end: int


def find_tokens(text: str) -> list[TokenMatch]:
    """Every token of a known format in `text` (AWS access key ids, GitHub, Slack, Stripe, Google,
    SendGrid and Twilio keys, private key headers, JSON Web Tokens), in order of position."""
    found = [
        TokenMatch(kind=kind, start=match.start(), end=match.end())
        for kind, literals in _LITERALS.items()
        if any(literal in text for literal in literals)
        for match in _scanner(kind).finditer(text)
        if match.start() == 0 or not _WORD_CHAR.match(text, match.start() - 1)
    ]
    return sorted(found, key=lambda token: (token.start, token.end))


# Substrings every token of a shape contains: a text without them is not searched for that shape.
_LITERALS: dict[str, tuple[str, ...]] = {
    "an AWS access key id": ("AKIA", "ASIA"),
    "a Stripe live secret key": ("k_live_",),
    "a Slack token": ("xox",),
    "a GitHub token": ("gh", "github_pat_"),
    "a private key": ("PRIVATE KEY-----",),
    "a JSON Web Token": ("eyJ",),
    "a Google API key": ("AIza",),
    "a SendGrid API key": ("SG.",),
    "a Twilio API key": ("SK",),
}


@cache
def _scanner(kind: str) -> re.Pattern[str]:
    """The shape of `kind` without its leading word boundary, which keeps the regex engine from using its
    fast literal-prefix search; `find_tokens` checks the boundary itself (50 times faster on long texts)."""
    return re.compile(_SHAPES[kind].removeprefix(r"\b"))


_WORD_CHAR = re.compile(r"\w")


def _shape(value: str) -> str | None:
    for kind, pattern in _shape_patterns():
        if pattern.search(value):
            return kind
    url = _url_password().match(value.strip())
    if url and not _is_trivial(url.group("password")):
        return "a URL with an embedded password"
    return None


# -- by key name ---------------------------------------------------------------------------------

# Word sequences in a key name that mean "this holds a secret"; any non-trivial literal counts.
_STRONG_NAMES: tuple[tuple[str, ...], ...] = (
    ("PASSWORD",),
    ("PASSWD",),
    ("PWD",),
    ("PASSPHRASE",),
    ("SECRET",),
    ("TOKEN",),
    ("APIKEY",),
    ("API", "KEY"),
    ("PRIVATEKEY",),
    ("PRIVATE", "KEY"),
    ("ACCESSKEY",),
    ("ACCESS", "KEY"),
    ("CREDENTIALS",),
    ("CREDENTIAL",),
    ("CREDS",),
)
# Word parts that only count when the value also looks random.
_WEAK_NAMES = frozenset({"KEY", "SALT", "HMAC", "SIGNATURE", "SEED", "COOKIE", "SIGNING", "ENCRYPTION"})
# A last word part that makes the variable describe a secret rather than hold it.
_METADATA_SUFFIXES = frozenset(
    {
        "ARN",
        "NAME",
        "ID",
        "IDS",
        "URL",
        "URI",
        "ENDPOINT",
        "HOST",
        "PATH",
        "TTL",
        "EXPIRY",
        "EXPIRATION",
        "EXPIRES",
        "LENGTH",
        "TYPE",
        "MODE",
        "ENABLED",
        "DISABLED",
        "HEADER",
        "PARAM",
        "PARAMETER",
        "REGION",
        "FILE",
        "TABLE",
        "BUCKET",
        "QUEUE",
        "TOPIC",
        "FIELD",
        "VERSION",
        "TIMEOUT",
        "SECONDS",
        "MINUTES",
        "HOURS",
        "DAYS",
        "POLICY",
        "ROLE",
        "PROVIDER",
        "STRATEGY",
        "SCOPE",
        "SCOPES",
        "AUDIENCE",
        "ISSUER",
        "LOCATION",
        "PREFIX",
        "REF",
        "KEYID",
        "ALIAS",
        "FORMAT",
        "ALGORITHM",
        "POOL",
        "CLIENT",
        "LIMIT",
        "COUNT",
        "ROTATION",
    }
)


@cache
def _camel() -> re.Pattern[str]:
    return re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def name_words(name: str) -> tuple[str, ...]:
    """`dbPassword` / `DB_PASSWORD` / `db-password` -> ("DB", "PASSWORD")."""
    return tuple(word.upper() for word in _camel().findall(name))


def _contains(words: Sequence[str], phrase: Sequence[str]) -> bool:
    size = len(phrase)
    return any(tuple(words[i : i + size]) == tuple(phrase) for i in range(len(words) - size + 1))


def _name_strength(name: str) -> str | None:
    """How much a variable name says about its value: "strong", "auth", "weak" or None."""
    words = name_words(name)
    if not words or words[-1] in _METADATA_SUFFIXES:
        return None
    if any(_contains(words, phrase) for phrase in _STRONG_NAMES):
        return "strong"
    if "AUTH" in words:
        return "auth"
    if any(word in _WEAK_NAMES for word in words):
        return "weak"
    return None


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def _looks_random(value: str) -> bool:
    text = value.strip()
    if _word_path().match(text) or _file_path().match(text):
        return False  # `honeyLambda/config.json`, `reports/2024/orders.csv`: names, not secrets
    classes = sum(
        (
            any(c.islower() for c in text),
            any(c.isupper() for c in text),
            any(c.isdigit() for c in text),
        )
    )
    return len(text) >= 16 and " " not in text and classes >= 2 and _entropy(text) >= 3.5


@cache
def _word_path() -> re.Pattern[str]:
    """Words joined by path, dot or dash separators: an object key, a file name, a host."""
    return re.compile(r"^[A-Za-z]+(?:[/._:-][A-Za-z]+)+$")


@cache
def _file_path() -> re.Pattern[str]:
    """A relative path to a file with an extension (`a/b-2024/c.json`)."""
    return re.compile(r"^(?:[\w.-]+/)+[\w.-]+\.[A-Za-z][A-Za-z0-9]{0,4}$")


@cache
def _plain_word() -> re.Pattern[str]:
    return re.compile(r"^[a-z]+(?:[-_][a-z]+)*$")


def secret_in(name: str, value: str) -> str | None:
    """What kind of secret `value` is, judged by its shape and the name it is stored under; None if none."""
    text = value.strip()
    if not text or is_reference(text):
        return None
    shape = _shape(text)
    if shape is not None:
        return shape
    if _is_trivial(text):
        return None
    match _name_strength(name):
        case "strong":
            return "a credential"
        case "auth":
            # `AUTH=cognito` names a mechanism; `BASIC_AUTH=admin:s3cret` holds a credential.
            return None if _plain_word().match(text) else "a credential"
        case "weak":
            return "a high-entropy secret" if _looks_random(text) else None
        case _:
            return None


def find_secrets(variables: Iterable[tuple[str, str]]) -> list[SecretMatch]:
    """Secrets among `(name, value)` pairs, in order, one per variable.

    Besides each value on its own, a 40-character AWS secret access key is recognised next to an
    AWS access key id in the same set of variables, whatever its name.
    """
    pairs = list(variables)
    kinds = {name: secret_in(name, value) for name, value in pairs}
    has_access_key = any(kind == _ACCESS_KEY_KIND for kind in kinds.values())
    found: list[SecretMatch] = []
    for name, value in pairs:
        kind = kinds[name]
        if has_access_key and _aws_secret_key().match(value.strip()) and not is_reference(value):
            kind = "an AWS secret access key"
        if kind is not None:
            found.append(SecretMatch(name=name, kind=kind, masked=mask(value.strip())))
    return found


@cache
def _dynamic_secret() -> re.Pattern[str]:
    return re.compile(r"^\{\{resolve:(?:secretsmanager|ssm-secure|ssm):")


def sensitive_variable(name: str, value: str | None) -> bool:
    """True when a variable holds sensitive data: a secret-like value, or a secret name with a value
    that is not a pointer to a secret store (a `{{resolve:...}}` reference counts: CloudFormation
    writes the resolved secret into the configuration). `value` None means not known statically.
    """
    if value is None:
        return _name_strength(name) == "strong"
    text = value.strip()
    if _dynamic_secret().match(text):
        return _name_strength(name) in ("strong", "auth")
    return secret_in(name, text) is not None
