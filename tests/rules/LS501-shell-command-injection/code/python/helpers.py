"""Helpers of the LS501 fixture handler: the sink sits here, the tainted argument comes from the handler."""

import subprocess


def archive(label):
    command = "tar czf /tmp/out.tgz " + label
    # lambdasec-expect: LS501
    subprocess.check_call(command, shell=True)


def count_lines(path):
    return subprocess.run(["wc", "-l", path], capture_output=True).stdout
