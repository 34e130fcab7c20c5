"""When to ask a failing endpoint again: a pure policy, the clock passed in.

Automatic requests (ghost text at a pause in typing) must neither hammer an endpoint that is
down nor stay away long once it is back. So:

- the first failure costs nothing extra: the next pause in typing tries again;
- consecutive failures pause automatic requests, growing from `base_s` to `cap_s` (short, so
  a recovered endpoint answers within a few seconds of typing), or for as long as the
  endpoint's `Retry-After` asks (up to `retry_after_cap_s`);
- a rejected key or an unknown model pauses `config_s` from the first failure, growing to
  `config_cap_s`, then tries again: a key just enabled in the provider's dashboard, or a
  setting just fixed, starts working without a restart;
- a success resets everything. Errors about one request (a refused parameter, a prompt too
  long) say nothing about the endpoint and change nothing.

A request that arrives during a short pause is held until the pause ends (a newer keystroke
still supersedes it) rather than skipped: skipped, the last keystroke before the user stops
typing would never be asked again, and the pause in typing would bring no suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass

from seed_lsp.llm import errors

TRANSIENT = frozenset({"network", "timeout", "server", "rate_limit", "malformed", "too_large"})
"""Failures of the endpoint that may pass by themselves."""
CONFIGURATION = frozenset({"auth", "bad_model", "no_key"})
"""Failures the user fixes (a key, a model name): every request fails until then."""


@dataclass(frozen=True)
class BackoffPolicy:
    base_s: float = 0.5
    """Pause after the second consecutive transient failure; doubled after each further one."""
    cap_s: float = 2.0
    """Longest pause after transient failures."""
    config_s: float = 3.0
    """Pause after a rejected key or unknown model; doubled after each further one."""
    config_cap_s: float = 10.0
    retry_after_cap_s: float = 300.0
    """Longest `Retry-After` honoured."""
    hold_s: float = 3.0
    """Longest wait for a pause to end; a request that would wait longer is skipped."""


def pause_after(
    failures: int, kind: str, retry_after: float | None = None, policy: BackoffPolicy | None = None
) -> float:
    """Seconds automatic requests wait after the `failures`-th consecutive failure of `kind`."""
    policy = policy or BackoffPolicy()
    if failures <= 0:
        return 0.0
    if kind in CONFIGURATION:
        return min(policy.config_cap_s, policy.config_s * 2.0 ** (failures - 1))
    if kind not in TRANSIENT:
        return 0.0
    pause = 0.0 if failures == 1 else min(policy.cap_s, policy.base_s * 2.0 ** (failures - 2))
    if retry_after is not None:
        pause = max(pause, min(retry_after, policy.retry_after_cap_s))
    return pause


def failure_kind(error: errors.LLMError | None, timed_out: bool = False) -> str | None:
    """The kind of an outcome that is about the endpoint's health; None for a success."""
    if error is not None:
        return error.kind
    return "timeout" if timed_out else None


class EndpointHealth:
    """Consecutive failures and the pause they call for."""

    def __init__(self, policy: BackoffPolicy | None = None) -> None:
        self.policy = policy or BackoffPolicy()
        self.failures = 0
        self.kind: str | None = None
        self.paused_until = 0.0

    def allows(self, now: float) -> bool:
        """Whether an automatic request may go out now."""
        return now >= self.paused_until

    def hold_s(self, now: float) -> float | None:
        """How long an automatic request arriving now should wait before it goes out: 0 when
        allowed, the rest of a short pause, or None (skip it) when the pause is long."""
        left = self.paused_until - now
        if left <= 0:
            return 0.0
        return left if left <= self.policy.hold_s else None

    def note(
        self, error: errors.LLMError | None, now: float, *, timed_out: bool = False
    ) -> str | None:
        """Record one outcome; return a line worth logging when the state changed (a pause
        starts or grows, or the endpoint answers again), else None."""
        kind = failure_kind(error, timed_out)
        if kind is None:
            recovered = self.failures > 1 or self.kind in CONFIGURATION
            self.failures, self.kind, self.paused_until = 0, None, 0.0
            return "the endpoint answers again" if recovered else None
        if kind not in TRANSIENT and kind not in CONFIGURATION:
            return None
        self.failures += 1
        self.kind = kind
        retry_after = error.retry_after if isinstance(error, errors.RateLimited) else None
        pause = pause_after(self.failures, kind, retry_after, self.policy)
        self.paused_until = now + pause
        if pause <= 0:
            return None
        return (
            f"the endpoint failed {self.failures} time(s) in a row ({kind}); automatic "
            f"requests wait {pause:g} s"
        )
