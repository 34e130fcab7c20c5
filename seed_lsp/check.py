"""`seed-lsp check`: one tiny real request with the resolved configuration, and a report."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from seed_lsp import config
from seed_lsp.llm import errors
from seed_lsp.llm.client import ChatClient
from seed_lsp.llm.types import ChatRequest, Message
from seed_lsp.log import REDACTOR, safe_url
from seed_lsp.session import client_options


def load_settings(settings_file: str | None) -> tuple[config.Settings, list[config.ConfigProblem]]:
    layers: list[Any] = [config.from_environment(os.environ)]
    if settings_file:
        data = json.loads(Path(settings_file).read_text(encoding="utf-8"))
        layers.append(data.get("seedLsp", data) if isinstance(data, dict) else data)
    return config.resolve(*layers)


async def probe(settings: config.Settings) -> tuple[float, Any]:
    client = ChatClient(client_options(settings))
    request = ChatRequest(
        messages=(Message("user", "Reply with the single word OK."),),
        feature="check",
        max_tokens=16,
        temperature=0,
        extra_body={"thinking": {"type": "disabled"}},
    )
    try:
        response = await client.complete(request)
    finally:
        await client.aclose()
    return response.total_ms, response


def run_check(settings_file: str | None = None) -> int:
    try:
        settings, problems = load_settings(settings_file)
    except (OSError, ValueError) as exc:
        print(f"seed-lsp check: cannot read settings: {REDACTOR.redact(str(exc))}", file=sys.stderr)
        return 2
    REDACTOR.add(settings.api_key)
    REDACTOR.add_url(settings.base_url)
    for problem in problems:
        say(f"warning: {problem}")
    say(f"endpoint: {safe_url(settings.base_url)}")
    say(f"model:    {settings.model}")
    say(f"key:      {'set' if settings.api_key else 'missing'}")
    try:
        latency, response = asyncio.run(probe(settings))
    except errors.LLMError as exc:
        reason = (str(exc).splitlines() or [""])[0]
        say(f"FAILED ({exc.kind}): {reason}")
        return 1
    usage = response.usage
    say(f"latency:  {latency:.0f} ms")
    if usage is not None:
        say(
            f"tokens:   {usage.prompt_tokens} prompt ({usage.cached_tokens} cached), "
            f"{usage.completion_tokens} completion ({usage.reasoning_tokens} reasoning)"
        )
        say(f"cost:     ${usage.usd_spent:.6f} ({usage.credits_used:g} credits)")
    else:
        say("tokens:   not reported by the endpoint")
    answer = REDACTOR.redact(" ".join(response.content.split()))[:60]
    say(f"answer:   {answer!r} (finish: {response.finish_reason})")
    say("OK")
    return 0


def say(line: str) -> None:
    """Print one line of the report; no known secret (or piece of one) is ever printed."""
    print(REDACTOR.redact(line))
