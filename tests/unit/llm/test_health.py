"""The retry policy for automatic requests, as tables."""

from __future__ import annotations

import pytest

from seed_lsp.llm import errors
from seed_lsp.llm.health import BackoffPolicy, EndpointHealth, pause_after


@pytest.mark.parametrize(
    ("failures", "kind", "retry_after", "pause"),
    [
        (1, "server", None, 0.0),  # the first failure costs nothing extra
        (2, "server", None, 0.5),
        (3, "network", None, 1.0),
        (4, "timeout", None, 2.0),
        (9, "malformed", None, 2.0),  # capped
        (1, "rate_limit", 5.0, 5.0),  # Retry-After honoured, even the first time
        (3, "rate_limit", 0.1, 1.0),  # ...but never shorter than the backoff
        (1, "rate_limit", 9999.0, 300.0),  # ...and capped
        (1, "auth", None, 3.0),  # a rejected key: a short pause, then try again
        (2, "auth", None, 6.0),
        (5, "auth", None, 10.0),
        (1, "bad_model", None, 3.0),
        (3, "bad_request", None, 0.0),  # about one request, not the endpoint
        (3, "context_too_long", None, 0.0),
        (0, "server", None, 0.0),
    ],
)
def test_pause_after(failures: int, kind: str, retry_after: float | None, pause: float) -> None:
    assert pause_after(failures, kind, retry_after) == pause


E500 = errors.ServerError("HTTP 500")
E401 = errors.AuthenticationFailed("HTTP 401")
E400 = errors.BadRequest("bad parameter")

# (outcome, at second, allowed right after?, logged?)
SEQUENCES = {
    "one-failure-is-free": [(E500, 0.0, True, False), (None, 0.3, True, False)],
    "consecutive-failures-back-off-then-recover": [
        (E500, 0.0, True, False),
        (E500, 0.3, False, True),
        ("check", 0.79, False, False),
        ("check", 0.81, True, False),
        (E500, 0.9, False, True),
        (None, 2.0, True, True),  # recovered: logged once
        (E500, 2.3, True, False),  # and the count started over
    ],
    "a-timeout-counts": [("timeout", 0.0, True, False), ("timeout", 0.3, False, True)],
    "401-pauses-then-tries-again": [
        (E401, 0.0, False, True),
        ("check", 3.01, True, False),
        (None, 3.2, True, True),
    ],
    "a-refused-parameter-changes-nothing": [
        (E500, 0.0, True, False),
        (E400, 0.3, True, False),
        (E500, 0.6, False, True),  # still the second failure in a row
    ],
}


@pytest.mark.parametrize("steps", list(SEQUENCES.values()), ids=list(SEQUENCES))
def test_endpoint_health_sequences(steps: list[tuple[object, float, bool, bool]]) -> None:
    health = EndpointHealth(BackoffPolicy())
    for outcome, at, allowed, logged in steps:
        if outcome == "check":
            assert health.allows(at) is allowed, at
            continue
        if outcome == "timeout":
            line = health.note(None, at, timed_out=True)
        else:
            assert outcome is None or isinstance(outcome, errors.LLMError)
            line = health.note(outcome, at)
        assert health.allows(at) is allowed, at
        assert (line is not None) is logged, (at, line)


def test_rate_limit_pause_follows_retry_after() -> None:
    health = EndpointHealth()
    health.note(errors.RateLimited("429", retry_after=4.0), 10.0)
    assert not health.allows(13.9)
    assert health.allows(14.0)


def test_a_short_pause_holds_a_request_and_a_long_one_skips_it() -> None:
    health = EndpointHealth()
    assert health.hold_s(0.0) == 0.0
    health.note(E500, 0.0)
    health.note(E500, 1.0)  # pause 0.5 s
    assert health.hold_s(1.2) == pytest.approx(0.3)
    health.note(errors.RateLimited("429", retry_after=60.0), 2.0)
    assert health.hold_s(3.0) is None
    assert health.hold_s(62.0) == 0.0
