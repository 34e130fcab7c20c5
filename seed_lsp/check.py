"""`seed-lsp check`: what the endpoint is, one tiny real request with the resolved
configuration, and a report (within 20 s whatever the endpoint does)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from seed_lsp import config
from seed_lsp.llm import endpoints as ep
from seed_lsp.llm import errors
from seed_lsp.llm.client import ChatClient
from seed_lsp.llm.types import ChatRequest, ChatResponse, Message
from seed_lsp.log import REDACTOR, safe_url
from seed_lsp.session import client_options

CHECK_SECONDS = 14.0
"""The request gives up after this long whatever the settings say..."""
DISCOVERY_SECONDS = 4.0
"""...and asking the endpoint what it is after this long, so `check` ends within 20 s."""


def load_settings(
    settings_file: str | None,
) -> tuple[config.Settings, list[config.ConfigProblem], bool]:
    """The settings, what was wrong with them, and whether `contextWindow` was set."""
    layers: list[Any] = [config.from_environment(os.environ)]
    if settings_file:
        data = json.loads(Path(settings_file).read_text(encoding="utf-8"))
        layers.append(data.get("seedLsp", data) if isinstance(data, dict) else data)
    explicit = any(isinstance(layer, Mapping) and "contextWindow" in layer for layer in layers)
    settings, problems = config.resolve(*layers)
    return settings, problems, explicit


@dataclass(frozen=True)
class Found:
    response: ChatResponse
    profile: ep.Profile
    asked: bool
    """The endpoint answered discovery in time (else the profile is a guess from the URL)."""
    switch: str
    usd: float | None
    """The cost as the usage report shows it (reported, or from `prices`), None: n/a."""


async def probe(settings: config.Settings) -> Found:
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
        extra_body=dict(ep.REASONING_OFF),
    )
    try:
        try:
            profile, asked = await asyncio.wait_for(client.discover(), DISCOVERY_SECONDS), True
        except TimeoutError:
            profile, asked = client.profile, False
        response = await client.complete(request)
        usd = client.ledger.snapshot()["total"]["usdSpent"]
    finally:
        await client.aclose()
    return Found(response, profile, asked, client.reasoning_switch, usd)


def run_check(settings_file: str | None = None) -> int:
    try:
        settings, problems, explicit = load_settings(settings_file)
    except (OSError, ValueError) as exc:
        print(f"seed-lsp check: cannot read settings: {REDACTOR.redact(str(exc))}", file=sys.stderr)
        return 2
    REDACTOR.add(settings.api_key)
    REDACTOR.add_url(settings.base_url)
    for problem in problems:
        say(f"warning: {problem}")
    say(f"endpoint: {safe_url(settings.base_url)}")
    say(f"model:    {settings.model}")
    if settings.api_key:
        say("key:      set")
    else:
        needed = ep.needs_key(settings.base_url)
        say(f"key:      {'missing' if needed else 'not needed (a server on this machine)'}")
    try:
        found = asyncio.run(probe(settings))
    except errors.LLMError as exc:
        reason = (str(exc).splitlines() or [""])[0]
        say(f"FAILED ({exc.kind}): {reason}")
        return 1
    report(settings, explicit, found)
    say("OK")
    return 0


def say(line: str) -> None:
    """Print one line of the report; no known secret (or piece of one) is ever printed."""
    print(REDACTOR.redact(line))


def report(settings: config.Settings, explicit: bool, found: Found) -> None:
    profile, response = found.profile, found.response
    how = "asked the server" if found.asked else "guessed from the URL; the server did not say"
    say(f"family:   {profile.family} ({how})")
    window, source = ep.effective_context_window(
        settings.context_window,
        explicit=explicit,
        known_model=settings.model == config.DEFAULT_MODEL,
        profile=profile,
        base_url=settings.base_url,
    )
    say(f"context:  {window} tokens ({source})")
    say(f"reasoning off with: {found.switch}")
    say(f"latency:  {response.total_ms:.0f} ms")
    usage = response.usage
    if usage is not None:
        say(
            f"tokens:   {usage.prompt_tokens} prompt ({usage.cached_tokens} cached), "
            f"{usage.completion_tokens} completion ({usage.reasoning_tokens} reasoning)"
        )
    else:
        say("tokens:   not reported by the endpoint")
    if found.usd is None:
        say("cost:     n/a (the endpoint reports none; seedLsp.prices can set a price)")
    elif usage is not None and usage.cost_known:
        credits = f", {usage.credits_used:g} credits" if usage.credits_used else ""
        say(f"cost:     ${found.usd:.6f} (reported by the endpoint{credits})")
    else:
        say(f"cost:     ${found.usd:.6f} (from seedLsp.prices)")
    answer = REDACTOR.redact(" ".join(response.content.split()))[:60]
    say(f"answer:   {answer!r} (finish: {response.finish_reason})")
