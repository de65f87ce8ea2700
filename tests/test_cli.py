"""The command line's promises: one-line errors and exit status 2, with or without an engine."""

import os
import subprocess
import sys

import pytest

PROCLAB = [sys.executable, "-m", "lab"]


@pytest.mark.parametrize("command", [["lab", "zombie"], ["clean"], ["build"], ["lab", "init", "--fast"]])
def test_without_an_engine_every_command_says_so_in_one_line_and_exits_2(command):
    env = {**os.environ, "DOCKER_HOST": "unix:///nonexistent"}
    result = subprocess.run(PROCLAB + command, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "proclab: error: cannot reach the Docker engine at unix:///nonexistent: is Docker running? "
        "(DOCKER_HOST=unix:///nonexistent)"
    ]


@pytest.mark.parametrize("command", [["lab", "nope"], ["ps", "--bogus"], ["frobnicate"], ["ps", "--tree", "--json"]])
def test_bad_arguments_get_one_line_and_exit_2(command):
    result = subprocess.run(PROCLAB + command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("proclab: error: ")


def test_the_command_line_does_not_need_the_docker_sdk_to_start():
    """`proclab ps` runs inside the lab image, which has no Docker SDK."""
    probe = "import sys, lab.cli; sys.exit('docker' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], timeout=60).returncode == 0
