"""The `budgetkg extract` command, run for real in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import SEEDS

BIN = Path(sys.executable).with_name("budgetkg")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=120)


def test_help_names_every_command():
    out = _run("--help").stdout
    assert "extract" in out
    assert "--json" in _run("extract", "--help").stdout


def test_an_unreadable_file_is_reported_and_the_others_are_still_written(tmp_path):
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    good = tmp_path / "good.txt"
    good.write_text((SEEDS / "002_1b38d3c3a02d2878.txt").read_text("utf-8"), "utf-8")
    out = tmp_path / "out" / "records.json"
    result = _run("extract", str(bad), str(good), "--json", str(out))
    assert result.returncode == 1
    assert "broken.txt" in result.stderr and "binary" in result.stderr
    records = json.loads(out.read_text("utf-8"))
    assert [r["source"] for r in records] == ["good.txt"]
    assert len(records[0]["performance_projects"]) == 12


def test_a_gbk_file_reads_like_its_utf8_twin(tmp_path):
    text = (SEEDS / "004_1402e20b80f22cb8.txt").read_text("utf-8")
    (tmp_path / "gbk.txt").write_bytes(text.encode("gb18030"))
    result = _run("extract", str(tmp_path / "gbk.txt"), "-q")
    assert result.returncode == 0
    [record] = json.loads(result.stdout)
    assert record["encoding"] in ("gb18030", "gbk")
    assert [p["name"] for p in record["performance_projects"]] == ["科技创新券", "科技工作运行经费", "驻村帮扶干部补助经费"]


def test_no_arguments_is_a_usage_error():
    assert _run().returncode == 2
