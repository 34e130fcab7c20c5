"""`seed-lsp check`: one tiny real request with the resolved configuration, and a report."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from seed_lsp import config
from seed_lsp.llm import errors
from seed_lsp.llm.client import ChatClient
from seed_lsp.llm.types import ChatRequest, Message
from seed_lsp.log import REDACTOR
from seed_lsp.session import client_options


def load_settings(settings_file: str | None) -> tuple[config.Settings, list[config.ConfigProblem]]:
    layers: list[Any] = [config.from_environment(os.environ)]
    if settings_file:
        data = json.loads(Path(settings_file).read_text(encoding="utf-8"))
        layers.append(data.get("seedLsp", data) if isinstance(data, dict) else data)
    return config.resolve(*layers)


CHECK_SECONDS = 15.0
"""`check` gives up after this long whatever the settings say, so it ends within 20 s."""


async def probe(settings: config.Settings) -> tuple[float, Any]:
    options = client_options(settings)
    options = replace(
        options,
        total_timeout=min(options.total_timeout, CHECK_SECONDS),
        first_byte_timeout=min(options.first_byte_timeout, CHECK_SECONDS),
    )
    client = ChatClient(options)
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
        print(f"seed-lsp check: cannot read settings: {exc}", file=sys.stderr)
        return 2
    REDACTOR.add(settings.api_key)
    for problem in problems:
        print(f"warning: {problem}")
    print(f"endpoint: {settings.base_url}")
    print(f"model:    {settings.model}")
    print(f"key:      {'set' if settings.api_key else 'missing'}")
    try:
        latency, response = asyncio.run(probe(settings))
    except errors.LLMError as exc:
        reason = REDACTOR.redact(str(exc)).splitlines()[0]
        print(f"FAILED ({exc.kind}): {reason}")
        return 1
    usage = response.usage
    print(f"latency:  {latency:.0f} ms")
    if usage is not None:
        print(
            f"tokens:   {usage.prompt_tokens} prompt ({usage.cached_tokens} cached), "
            f"{usage.completion_tokens} completion ({usage.reasoning_tokens} reasoning)"
        )
        print(f"cost:     ${usage.usd_spent:.6f} ({usage.credits_used:g} credits)")
    else:
        print("tokens:   not reported by the endpoint")
    answer = " ".join(response.content.split())[:60]
    print(f"answer:   {answer!r} (finish: {response.finish_reason})")
    print("OK")
    return 0
