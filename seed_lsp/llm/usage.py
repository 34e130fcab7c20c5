"""Running totals of what the endpoint reported spending, per feature, and the user's price
table for endpoints that report no cost."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from seed_lsp.llm.types import Usage

Prices = Mapping[str, Mapping[str, Any]]
"""USD per million tokens by model: `{"<model>": {"input": 0.15, "output": 0.6,
"cachedInput": 0.075}}`; `"*"` applies to any model without its own entry."""


def price_of(prices: Prices, model: str) -> tuple[float, float, float] | None:
    """(input, output, cached input) USD per million tokens for `model`, or None."""
    entry = prices.get(model, prices.get("*"))
    if not isinstance(entry, Mapping):
        return None

    def rate(key: str) -> float | None:
        value = entry.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return float(value) if math.isfinite(value) and value >= 0 else None

    given, made = rate("input"), rate("output")
    if given is None or made is None:
        return None
    cached = rate("cachedInput")
    return given, made, given if cached is None else cached


def priced(usage: Usage, prices: Prices, model: str) -> Usage:
    """`usage` with its cost from the price table when the endpoint reported none."""
    if usage.cost_known:
        return usage
    price = price_of(prices, model)
    if price is None:
        return usage
    given, made, cached = price
    fresh = max(0, usage.prompt_tokens - usage.cached_tokens)
    usd = (fresh * given + usage.cached_tokens * cached + usage.completion_tokens * made) / 1e6
    return replace(usage, usd_spent=usd, cost_known=True)


class UsageLedger:
    """Running totals of tokens and USD per feature, for this process."""

    def __init__(self) -> None:
        self.by_feature: dict[str, Usage] = {}
        self.requests: dict[str, int] = {}
        self.estimated_requests = 0
        self._reported = Usage()

    def add(self, feature: str, usage: Usage | None) -> None:
        self.requests[feature] = self.requests.get(feature, 0) + 1
        if usage is not None:
            self.by_feature[feature] = self.by_feature.get(feature, Usage()) + usage
            if usage.estimated:
                self.estimated_requests += 1
            else:
                self._reported = self._reported + usage

    def estimate(self, prompt_chars: int, completion_chars: int) -> Usage:
        """Usage of a stream closed before the endpoint reported it: tokens from the text
        (about 4 characters a token), USD at the rate seen so far in reported answers."""
        prompt = max(1, prompt_chars // 4)
        completion = completion_chars // 4
        reported = self._reported
        rate = reported.usd_spent / reported.total_tokens if reported.total_tokens else 0.0
        return Usage(
            prompt_tokens=prompt,
            completion_tokens=completion,
            total_tokens=prompt + completion,
            usd_spent=(prompt + completion) * rate,
            estimated=True,
            cost_known=reported.cost_known,
        )

    @property
    def total(self) -> Usage:
        total = Usage()
        for usage in self.by_feature.values():
            total = total + usage
        return total

    def snapshot(self) -> dict[str, Any]:
        """JSON-able totals, as sent to editors."""

        def as_dict(u: Usage, requests: int) -> dict[str, Any]:
            return {
                "requests": requests,
                "promptTokens": u.prompt_tokens,
                "completionTokens": u.completion_tokens,
                "cachedTokens": u.cached_tokens,
                "reasoningTokens": u.reasoning_tokens,
                "totalTokens": u.total_tokens,
                # null, not 0: nothing reported a cost and no price applies (shown as n/a).
                "usdSpent": round(u.usd_spent, 6) if u.cost_known else None,
                "estimated": u.estimated,
            }

        features = {
            name: as_dict(self.by_feature.get(name, Usage()), count)
            for name, count in sorted(self.requests.items())
        }
        return {
            "total": as_dict(self.total, sum(self.requests.values())),
            "features": features,
            "estimatedRequests": self.estimated_requests,
        }
