"""The fake endpoint run standalone, as the VS Code tests and benches start it: a child process
with the environment pytest was given (not pytest's sys.path), from the repository root. It
prints its URL and answers a chat completion. A script that only imports under pytest fails
the editor tests far from its cause; this catches it here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.fake_replies import TEST_KEY

REPO = Path(__file__).resolve().parents[2]


def test_the_fake_endpoint_starts_by_itself_and_answers(tmp_path: Path) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps([{"match": "ping", "content": "pong"}]))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.fake_endpoint", "--port", "0", "--rules", str(rules)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        url = child.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), child.stderr.read() if child.stderr else ""
        body = json.dumps({"model": "m", "messages": [{"role": "user", "content": "ping"}]})
        request = urllib.request.Request(
            url + "/chat/completions",
            data=body.encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {TEST_KEY}"},
        )
        with urllib.request.urlopen(request, timeout=10) as reply:
            answer = json.loads(reply.read())
        assert answer["choices"][0]["message"]["content"] == "pong"
    finally:
        child.kill()
        child.wait(timeout=10)
