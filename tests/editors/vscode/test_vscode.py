"""The VS Code extension's own test suite (`npm test` in editors/vscode): type check, unit tests,
packaging to a .vsix, then the real-VS-Code test (code-server in headless Chromium, driven
through the UI against this server and tests/fake_endpoint.py).

Skipped, saying why, when Node 20+ is missing or a registry (npm, apt) is out of reach; any
other failure fails. The UI test's steps whose server feature is not merged yet are reported as
expected failures (a warning in pytest's summary).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
EXTENSION = ROOT / "editors" / "vscode"
ARTIFACTS = EXTENSION / ".test-artifacts"
NETWORK = re.compile(r"ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET|ENETUNREACH")


def tail(text: str, lines: int = 60) -> str:
    return "\n".join(text.splitlines()[-lines:])


def node_major() -> int:
    node = shutil.which("node")
    if node is None:
        return 0
    out = subprocess.run([node, "--version"], capture_output=True, text=True, check=False).stdout
    match = re.match(r"v(\d+)", out.strip())
    return int(match.group(1)) if match else 0


def test_vscode_extension() -> None:
    npm = shutil.which("npm")
    if npm is None or node_major() < 20:
        pytest.skip("Node 20+ and npm are needed for the VS Code test (.ci/run installs them)")
    env = {**os.environ, "SEED_LSP_PYTHON": sys.executable}
    ci = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"],
        cwd=EXTENSION,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if ci.returncode != 0:
        output = ci.stdout + ci.stderr
        if NETWORK.search(output):
            pytest.skip(f"npm registry out of reach: {tail(output, 3)}")
        pytest.fail(f"npm ci failed:\n{tail(output)}")
    test = subprocess.run(
        [npm, "test"],
        cwd=EXTENSION,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    output = test.stdout + test.stderr
    skipped = ARTIFACTS / "SKIPPED"
    if test.returncode == 0 and skipped.exists():
        pytest.skip(skipped.read_text(encoding="utf-8"))
    assert test.returncode == 0, f"npm test failed (artifacts in {ARTIFACTS}):\n{tail(output)}"
    report = json.loads((ARTIFACTS / "report.json").read_text(encoding="utf-8"))
    for result in report["results"]:
        if result["outcome"] == "XFAIL":
            warnings.warn(
                f"VS Code step expected to fail: {result['name']}: {result['reason']}",
                stacklevel=1,
            )
        elif result["outcome"] == "XPASS":
            warnings.warn(
                f"VS Code step passed but is marked as an expected failure: {result['name']} "
                "(remove it from EXPECTED_FAILURES in editors/vscode/test/e2e/run.mjs)",
                stacklevel=1,
            )
