"""Docs that cannot drift: every command is in the README and answers --help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from budgetkg.commands import COMMANDS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_listed_in_the_readme(command):
    assert f"`budgetkg {command}" in README


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_answers_help(command):
    done = subprocess.run([sys.executable, "-m", "budgetkg.cli", command, "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "usage: budgetkg " + command in done.stdout
