"""The chat-completions wire format: answers, stream events and error bodies parsed into
`seed_lsp.llm.types`, trusting nothing the endpoint sends.

Numbers are bounded (a usage report of `1e999` USD or a 400-digit token count is dropped, not
carried into sums and LSP JSON); JSON nesting is bounded; text fields must be strings.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Mapping
from typing import Any

from seed_lsp.llm import errors
from seed_lsp.llm.types import ChatResponse, StreamDelta, Usage
from seed_lsp.log import REDACTOR

MAX_TOKENS_REPORTED = 10**9
"""More tokens than any one answer can report; a larger count is not believed."""
MAX_USD_REPORTED = 1_000.0
"""More USD than any one answer costs; a larger (or negative, or infinite) figure is dropped."""
MAX_CREDITS_REPORTED = 10**12
_BIG_INT = 10**20  # what an integer literal of more than 20 digits parses as (then dropped)


def loads(text: str | bytes) -> Any:
    """`json.loads` for untrusted text: huge integer literals and deep nesting are answered
    with a value or a `ValueError`, never an OverflowError or RecursionError."""
    try:
        return json.loads(text)  # the C parser: a chunk of every answer comes this way
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    except ValueError:
        pass  # maybe an integer literal too long for int(): read with the bounded parser
    try:
        return _BOUNDED.decode(text if isinstance(text, str) else text.decode("utf-8"))
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def _parse_int(literal: str) -> int:
    # int() of a 5000-digit literal raises; a 400-digit one makes floats overflow later.
    return int(literal) if len(literal) <= 20 else _BIG_INT


_BOUNDED = json.JSONDecoder(parse_int=_parse_int)


def bounded_int(value: Any, most: int = MAX_TOKENS_REPORTED) -> int:
    """A count from the endpoint: a non-negative integer up to `most`, else 0."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and 0 <= value <= most:
        return value
    return 0


def bounded_float(value: Any, most: float) -> float:
    """An amount from the endpoint: finite, non-negative, up to `most`, else 0.0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0.0
    try:
        number = float(value)
    except OverflowError:
        return 0.0
    return number if math.isfinite(number) and 0.0 <= number <= most else 0.0


def reported_cost(value: Any) -> float | None:
    """A cost the endpoint reported, if it is a believable one."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) and 0.0 <= number <= MAX_USD_REPORTED else None


def error_message(text: str) -> tuple[str, str | None]:
    try:
        data = loads(text)
    except ValueError:
        return " ".join(text.split())[:300], None
    if isinstance(data, dict):
        err = data.get("error", data)
        if isinstance(err, dict):
            message = err.get("message") or err.get("detail") or err.get("msg") or ""
            param = err.get("param")
            if isinstance(message, list):
                message = "; ".join(str(m) for m in message)
            return str(message), str(param) if param else None
        if isinstance(err, str):
            return err, None
        if "message" in data:
            return str(data["message"]), None
    return " ".join(text.split())[:300], None


def retry_after(headers: Mapping[str, str] | None) -> float | None:
    if not headers:
        return None
    value = headers.get("retry-after") or headers.get("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())
    return max(0.0, seconds) if math.isfinite(seconds) else None


def error_for(
    status: int,
    message: str,
    param: str | None,
    retry_after: float | None,
    model: str,
    *,
    keyed: bool,
) -> errors.LLMError:
    """The typed error, with a message a user can act on, for an HTTP error answer whose
    (already masked, cut) error message is ``message``; ``keyed``: a key was sent."""
    lower = message.lower()
    if status in (401, 403) and not keyed:
        return errors.KeyWanted(
            f"The endpoint wants an API key (HTTP {status}) and none is set: set AIMLAPI_KEY "
            '(or SEED_LSP_API_KEY) or seedLsp.apiKey (in VS Code: run "Seed: Set API Key"). '
            f"{message}".strip()
        )
    if status in (401, 403):
        return errors.AuthenticationFailed(
            f"The endpoint rejected the API key (HTTP {status}): check AIMLAPI_KEY / "
            f"seedLsp.apiKey. {message}".strip()
        )
    if status == 429:
        return errors.RateLimited(
            f"Rate limited by the endpoint (HTTP 429). {message}".strip(), retry_after
        )
    if looks_like_context_overflow(lower):
        return errors.ContextTooLong(f"The prompt is longer than the model accepts: {message}")
    if status == 404 or looks_like_bad_model(lower, model):
        return errors.BadModel(
            f"The endpoint does not serve the model `{model}` (HTTP {status}); check "
            f"seedLsp.model. {message}".strip()
        )
    if status >= 500:
        return errors.ServerError(f"The endpoint failed (HTTP {status}). {message}".strip())
    return errors.BadRequest(f"The endpoint refused the request (HTTP {status}): {message}", param)


def looks_like_context_overflow(lower: str) -> bool:
    return any(
        phrase in lower
        for phrase in (
            "context length",
            "context_length",
            "maximum context",
            "too many tokens",
            "prompt is too long",
            "input is too long",
            "context window",
            "reduce the length",
        )
    )


def looks_like_bad_model(lower: str, model: str) -> bool:
    if "no available channel" in lower or "model_not_found" in lower:
        return True
    if any(word in lower for word in ("parameter", "argument", "unsupported value")):
        return False  # a parameter this model refuses, not the model itself
    if "model" in lower and any(
        phrase in lower
        for phrase in (
            "not found",
            "does not exist",
            "not exist",
            "unknown",
            "invalid model",
            "not supported",
            "unavailable",
            "no such",
        )
    ):
        return True
    return model.lower() in lower and "not" in lower


class EventParser:
    """The `data` payloads of a server-sent event stream, one line at a time (multi-line data
    joined by newlines; comments and other fields ignored)."""

    def __init__(self) -> None:
        self._data: list[str] = []

    def line(self, line: str) -> list[str]:
        """The data of the events `line` ends (`[DONE]` as is), usually none or one."""
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            return []
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name != "data":
            return []
        if value.strip() == "[DONE]":
            # Some servers omit the blank line before [DONE]: what came before is an event.
            return [*self._dispatch(), "[DONE]"]
        self._data.append(value)
        return []

    def _dispatch(self) -> list[str]:
        if not self._data:
            return []
        data, self._data = "\n".join(self._data), []
        return [data]

    def finish(self) -> str | None:
        """Data left without its blank line when the stream ended."""
        data, self._data = "\n".join(self._data), []
        return data or None


def parse_usage(data: Any) -> Usage | None:
    """`usage` (with token details) plus the AI/ML API's `meta.usage` (credits, USD)."""
    if not isinstance(data, dict):
        return None
    raw = data.get("usage")
    meta = data.get("meta")
    meta_usage = meta.get("usage") if isinstance(meta, dict) else None
    if not isinstance(raw, dict) and not isinstance(meta_usage, dict):
        return None
    raw = raw if isinstance(raw, dict) else {}
    prompt_details = raw.get("prompt_tokens_details") or {}
    completion_details = raw.get("completion_tokens_details") or {}
    meta_usage = meta_usage if isinstance(meta_usage, dict) else {}
    # The AI/ML API reports USD in `meta.usage`, OpenRouter in `usage.cost`.
    usd = reported_cost(meta_usage.get("usd_spent"))
    if usd is None:
        usd = reported_cost(raw.get("cost"))
    return Usage(
        prompt_tokens=_int(raw.get("prompt_tokens")),
        completion_tokens=_int(raw.get("completion_tokens")),
        total_tokens=_int(raw.get("total_tokens")),
        cached_tokens=_int(
            prompt_details.get("cached_tokens") if isinstance(prompt_details, dict) else 0
        ),
        reasoning_tokens=_int(
            completion_details.get("reasoning_tokens")
            if isinstance(completion_details, dict)
            else 0
        ),
        credits_used=bounded_float(meta_usage.get("credits_used"), MAX_CREDITS_REPORTED),
        usd_spent=usd if usd is not None else 0.0,
        cost_known=usd is not None,
    )


def _int(value: Any) -> int:
    return bounded_int(value)


def parse_completion(data: Any) -> ChatResponse:
    """A non-streaming chat.completion object."""
    if not isinstance(data, dict):
        raise errors.MalformedResponse("The endpoint's answer was not a JSON object.")
    if "error" in data and not data.get("choices"):
        error_text, _ = error_message(REDACTOR.redact(json.dumps(data)))
        raise errors.MalformedResponse(f"The endpoint answered with an error: {error_text[:200]}")
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise errors.MalformedResponse("The endpoint's answer had no choices.")
    choice = choices[0]
    message = choice.get("message")
    if not isinstance(message, dict):
        raise errors.MalformedResponse("The endpoint's answer had no message.")
    return ChatResponse(
        content=_text(message.get("content")),
        reasoning_content=_text(message.get("reasoning_content") or message.get("reasoning")),
        finish_reason=choice.get("finish_reason"),
        usage=parse_usage(data),
        model=str(data.get("model", "")),
    )


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):  # content parts
        return "".join(str(part.get("text", "")) for part in value if isinstance(part, dict))
    return ""


def parse_chunk(data: str, redact: Callable[[str], str] = lambda s: s) -> StreamDelta:
    """One `chat.completion.chunk` (a server-sent event's data)."""
    try:
        chunk = loads(data)
    except ValueError:
        raise errors.MalformedResponse(
            "The endpoint sent a stream event that is not JSON: " + redact(data)[:80]
        ) from None
    if not isinstance(chunk, dict):
        raise errors.MalformedResponse("The endpoint sent a stream event that is not an object.")
    if "error" in chunk and not chunk.get("choices"):
        message, _ = error_message(redact(data))
        raise errors.ServerError("The endpoint failed mid-answer: " + message[:200])
    content = reasoning = ""
    finish = None
    choices = chunk.get("choices") or []
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        choice = choices[0]
        delta = choice.get("delta") or choice.get("message") or {}
        if isinstance(delta, dict):
            content = _text(delta.get("content"))
            reasoning = _text(delta.get("reasoning_content") or delta.get("reasoning"))
        finish = choice.get("finish_reason")
    return StreamDelta(
        content=content, reasoning_content=reasoning, finish_reason=finish, usage=parse_usage(chunk)
    )


def deltas_from_json_text(text: str, redact: Callable[[str], str]) -> list[StreamDelta]:
    try:
        data = loads(text)
    except ValueError:
        raise errors.MalformedResponse(
            "The endpoint's answer was neither an event stream nor JSON: " + redact(text)[:80]
        ) from None
    response = parse_completion(data)
    return [
        StreamDelta(
            content=response.content,
            reasoning_content=response.reasoning_content,
            finish_reason=response.finish_reason,
            usage=response.usage,
        )
    ]
