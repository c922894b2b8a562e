"""LS501 fixture (Python): event data reaching shell commands, and the safe forms."""

import os
import shlex
import subprocess
import subprocess as sp

from helpers import archive, count_lines

ALLOWED_TOOLS = {"ls", "df", "uptime"}


def handler(evt, context):
    params = evt.get("queryStringParameters") or {}
    name = params.get("name", "")
    # lambdasec-expect: LS501
    subprocess.run(f"ls -l {name}", shell=True)
    # lambdasec-expect: LS501
    os.system("echo " + evt["body"])
    # lambdasec-expect: LS501
    sp.check_output("grep %s /var/log/app.log" % name, shell=True)
    # lambdasec-expect: LS501
    os.popen("cat {}".format(name))
    # lambdasec-ok: LS501
    subprocess.run(["ls", "-l", name])
    # lambdasec-ok: LS501
    subprocess.run(f"ls -l {shlex.quote(name)}", shell=True)
    count = int(params.get("count", "1"))
    # lambdasec-ok: LS501
    os.system(f"seq {count}")
    archive(name)
    # lambdasec-ok: LS501
    count_lines("/var/log/app.log")
    return {"statusCode": 200}


def lambda_handler(event, context):
    tool = event["tool"]
    if tool not in ALLOWED_TOOLS:
        return {"statusCode": 400}
    # lambdasec-ok: LS501
    os.system(tool)
    target = event["target"]
    target = "/tmp"
    # lambdasec-ok: LS501
    subprocess.call("du -sh " + target, shell=True)
    return {"statusCode": 200}
