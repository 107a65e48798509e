"""The project's own promises: the README's commands, CI running them, ruff clean."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _block_after(marker: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(re.escape(marker) + r"\s*```sh\n(.+?)\n```", text, re.S)
    assert match, f"README.md has no command after {marker}"
    return match.group(1)


def test_readme_starts_with_the_two_setup_commands() -> None:
    main = _block_after("<!-- main-command -->")
    tests = _block_after("<!-- test-command -->")
    assert "pip install ." in main and "zjkg validate" in main and "zjkg stats" in main
    assert "pip install '.[test]'" in tests and "pytest" in tests
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.index("<!-- main-command -->") < text.index("## What is in the graph")


def test_ci_runs_the_readme_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    awk = re.search(r"command=\$\(awk '(.+?)' README.md\)", script).group(1)
    if shutil.which("awk") is None:
        pytest.skip("no awk")
    found = subprocess.run(["awk", awk, "README.md"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.strip()
    assert found == _block_after("<!-- test-command -->")


def test_ruff_is_clean() -> None:
    ruff = subprocess.run([sys.executable, "-m", "ruff", "--version"], capture_output=True)
    if ruff.returncode != 0:
        pytest.skip("ruff is not installed")
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_module_is_longer_than_600_lines() -> None:
    for module in (ROOT / "src" / "zjkg").rglob("*.py"):
        lines = module.read_text(encoding="utf-8").count("\n")
        assert lines <= 600, f"{module.relative_to(ROOT)} has {lines} lines"
