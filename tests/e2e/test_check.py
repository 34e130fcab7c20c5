"""`seed-lsp check`: one tiny real request, a report, an exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import server_env
from tests.fake_dialects import dialect
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
    assert "latency:" in out and "tokens:" in out
    assert "cost:     $" in out and "reported by the endpoint" in out
    assert "context:  256000 tokens (the default model's window)" in out
    assert out.rstrip().endswith("OK")
    assert TEST_KEY not in out + result.stderr
    body = fake.chat_requests()[0].body
    assert body["max_tokens"] <= 16


def test_check_with_a_rejected_key(fake: FakeEndpoint) -> None:
    result = check(server_env(fake, key="sk-wrong-0000000000000000"))
    assert result.returncode != 0
    assert "rejected the API key" in result.stdout
    assert "sk-wrong-0000000000000000" not in result.stdout + result.stderr


def test_check_without_a_key_makes_no_request() -> None:
    env = server_env(None, key=None)
    env["SEED_LSP_BASE_URL"] = "https://api.example.invalid/v1"  # not this machine: a key is due
    result = check(env)
    assert result.returncode != 0
    assert "No API key" in result.stdout and "AIMLAPI_KEY" in result.stdout


def test_check_a_keyless_local_server() -> None:
    with FakeEndpoint(api_key=None) as keyless:
        keyless.dialect = dialect("ollama")
        keyless.default = Reply(content="OK")
        env = {**server_env(keyless, key=None), "SEED_LSP_MODEL": "qwen3:8b"}
        result = check(env)
        bodies = [r.body for r in keyless.chat_requests()]
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "key:      not needed" in out
    assert "family:   ollama (asked the server)" in out
    assert "context:  8192 tokens (Ollama's /api/show (num_ctx))" in out
    assert "reasoning off with: think: false" in out
    assert "cost:     n/a" in out
    assert bodies[0]["think"] is False and "thinking" not in bodies[0]


def test_check_against_a_silent_endpoint_ends_with_a_timeout(fake: FakeEndpoint) -> None:
    fake.default = Reply(hang=True)
    result = check({**server_env(fake), "SEED_LSP_LOG_LEVEL": "error"})
    assert result.returncode != 0
    assert "FAILED (timeout)" in result.stdout and "sent nothing" in result.stdout


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
