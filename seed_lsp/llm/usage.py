"""Running totals of what the endpoint reported spending, per feature."""

from __future__ import annotations

from typing import Any

from seed_lsp.llm.types import Usage


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
                "usdSpent": round(u.usd_spent, 6),
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
