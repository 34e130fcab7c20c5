"""`seed-lsp check`: one tiny real request, a report, an exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import server_env
from tests.fake_endpoint import TEST_KEY, FakeEndpoint, Reply


def check(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "seed_lsp", "check", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_prints_the_figures(fake: FakeEndpoint) -> None:
    fake.enqueue(Reply(content="OK", cached_tokens=0))
    result = check(server_env(fake))
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert fake.url in out
    assert "bytedance/dola-seed-2-0-code" in out
    assert "latency:" in out and "tokens:" in out and "cost:" in out
    assert out.rstrip().endswith("OK")
    assert TEST_KEY not in out + result.stderr
    body = fake.chat_requests()[0].body
    assert body["max_tokens"] <= 16


def test_check_with_a_rejected_key(fake: FakeEndpoint) -> None:
    result = check(server_env(fake, key="sk-wrong-0000000000000000"))
    assert result.returncode != 0
    assert "rejected the API key" in result.stdout
    assert "sk-wrong-0000000000000000" not in result.stdout + result.stderr


def test_check_without_a_key_makes_no_request(fake: FakeEndpoint) -> None:
    result = check(server_env(fake, key=None))
    assert result.returncode != 0
    assert "No API key" in result.stdout and "AIMLAPI_KEY" in result.stdout
    assert fake.requests == []


def test_check_unreachable_endpoint() -> None:
    env = server_env(None)
    env["SEED_LSP_BASE_URL"] = "http://127.0.0.1:9/v1"
    result = check(env)
    assert result.returncode != 0
    assert "Could not reach" in result.stdout


def test_check_bad_model(fake: FakeEndpoint) -> None:
    fake.enqueue(
        Reply(status=503, error={"message": "No available channel for model x"}),
        *[Reply(status=503, error={"message": "No available channel for model x"})] * 3,
    )
    result = check({**server_env(fake), "SEED_LSP_MODEL": "bytedance/no-such-model"})
    assert result.returncode != 0
    assert "bad_model" in result.stdout


def test_check_reads_a_settings_file(fake: FakeEndpoint, tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"seedLsp": {"model": "from-file"}}))
    result = check(server_env(fake), "--settings", str(settings))
    assert result.returncode == 0, result.stdout
    assert fake.chat_requests()[0].body["model"] == "from-file"
