"""Write deterministic synthetic handler corpora (Python and JavaScript) for the code-analysis benchmark."""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SIZES = (1_000, 10_000)
DEFAULT_SEED = 11

# Each handler file gets a helper module beside it and one of these bodies. Some flows are real
# injections, some are sanitized, some only log; the mix keeps every analyzer busy on every file.
_PY_BODIES = (
    """    name = event["queryStringParameters"]["name"]
    cmd = f"convert /tmp/{name} /tmp/out.png"
    subprocess.run(cmd, shell=True, check=False)
    return ok(name)
""",
    """    body = json.loads(event.get("body") or "{}")
    sql = "SELECT * FROM orders WHERE id = '%s'" % body["orderId"]
    with connect() as conn:
        conn.cursor().execute(sql)
    return ok(body["orderId"])
""",
    """    count = int(event["pathParameters"]["count"])
    rows = helpers.fetch(count)
    logger.info("fetched %d rows", len(rows))
    return ok(str(len(rows)))
""",
    """    url = event["body"]
    response = requests.get(helpers.normalize(url), timeout=5)
    return ok(response.text)
""",
    """    logger.info("event: %s", json.dumps(event))
    key = event["Records"][0]["s3"]["object"]["key"]
    with open(os.path.join("/tmp", key)) as stream:
        data = stream.read()
    return ok(data)
""",
)
_PY_FILE = '''"""Synthetic handler {index}: one of several request shapes."""

import json
import logging
import os
import subprocess

import requests

import helpers

logger = logging.getLogger(__name__)


def connect():
    import sqlite3

    return sqlite3.connect(os.environ.get("DB_PATH", "/tmp/db.sqlite"))


def ok(value):
    return {{"statusCode": 200, "body": json.dumps({{"value": value}})}}


def handler(event, context):
{body}'''
_PY_HELPERS = '''"""Helpers of synthetic handler {index}."""


def normalize(url):
    return url.strip()


def fetch(count):
    return [{{"n": n}} for n in range(count)]
'''
_JS_BODIES = (
    """  const name = event.queryStringParameters.name;
  execSync(`convert /tmp/${name} /tmp/out.png`);
  return ok(name);
""",
    """  const body = JSON.parse(event.body || "{}");
  const rows = await pool.query("SELECT * FROM orders WHERE id = '" + body.orderId + "'");
  return ok(rows);
""",
    """  const count = Number(event.pathParameters.count);
  const rows = fetchRows(count);
  console.log("fetched", rows.length);
  return ok(rows.length);
""",
    """  const url = event.body;
  const response = await axios.get(normalize(url));
  return ok(response.data);
""",
    """  console.log(JSON.stringify(event));
  const key = event.Records[0].s3.object.key;
  const data = fs.readFileSync(path.join("/tmp", key), "utf8");
  return ok(data);
""",
)
_JS_FILE = """// Synthetic handler {index}: one of several request shapes.
const fs = require("fs");
const path = require("path");
const {{ execSync }} = require("child_process");
const axios = require("axios");
const {{ Pool }} = require("pg");
const {{ normalize, fetchRows }} = require("./helpers");

const pool = new Pool();

function ok(value) {{
  return {{ statusCode: 200, body: JSON.stringify({{ value }}) }};
}}

exports.handler = async (event, context) => {{
{body}}};
"""
_JS_HELPERS = """// Helpers of synthetic handler {index}.
exports.normalize = (url) => url.trim();
exports.fetchRows = (count) => Array.from({{ length: count }}, (_, n) => ({{ n }}));
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class Corpus:
    """A generated corpus: its root, handler files written, and their total size."""

    root: Path
    handlers: int
    python_files: int
    total_bytes: int


def write_corpus(root: Path, *, handlers: int, seed: int) -> Corpus:
    """Write `handlers` handler directories (half Python, half JavaScript), each with a helper module."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    total = 0
    python = 0
    for index in range(handlers):
        directory = root / f"fn{index:05d}"
        directory.mkdir(exist_ok=True)
        if index % 2 == 0:
            body = rng.choice(_PY_BODIES)
            files = {
                "app.py": _PY_FILE.format(index=index, body=body),
                "helpers.py": _PY_HELPERS.format(index=index),
            }
            python += 2
        else:
            body = rng.choice(_JS_BODIES)
            files = {
                "index.js": _JS_FILE.format(index=index, body=body),
                "helpers.js": _JS_HELPERS.format(index=index),
            }
        for name, text in files.items():
            (directory / name).write_text(text, encoding="utf-8")
            total += len(text.encode("utf-8"))
    return Corpus(root=root, handlers=handlers, python_files=python, total_bytes=total)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write one corpus per size under --out."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = parser.parse_args(argv)
    for size in (int(s) for s in args.sizes.split(",")):
        corpus = write_corpus(args.out / f"code-{size}", handlers=size, seed=args.seed)
        print(f"{corpus.root}: {corpus.handlers} handlers, {corpus.total_bytes / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
