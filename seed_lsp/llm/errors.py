"""Errors of the chat client: a small hierarchy whose messages a user can act on.

Messages never contain the API key; `redact` is applied to anything that came from outside.
"""

from __future__ import annotations

from seed_lsp.errors import SeedError


class LLMError(SeedError):
    """A model call failed. `str(error)` is a one-line message meant for the user."""

    kind = "error"
    retryable = False


class NoApiKey(LLMError):
    kind = "no_key"
    notice = "no_key"

    def __init__(self) -> None:
        super().__init__(
            "No API key: set AIMLAPI_KEY (or SEED_LSP_API_KEY) in the editor's environment, or "
            "the `apiKey` initialization option / `seedLsp.apiKey` setting (in VS Code: run "
            '"Seed: Set API Key").'
        )


class AuthenticationFailed(LLMError):
    kind = "auth"
    notice = "auth"


class KeyWanted(AuthenticationFailed):
    """A 401/403 to a request sent without a key (to a server on this machine, which is
    assumed keyless until it says otherwise): from now on the session has no key."""

    notice = "no_key"  # told once, like NoApiKey: the fix is the same


class RateLimited(LLMError):
    kind = "rate_limit"
    retryable = True

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ContextTooLong(LLMError):
    kind = "context_too_long"


class BadModel(LLMError):
    kind = "bad_model"
    notice = "bad_model"


class BadRequest(LLMError):
    """A 4xx the other classes don't cover (an unsupported parameter, say)."""

    kind = "bad_request"

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


class ServerError(LLMError):
    kind = "server"
    retryable = True


class NetworkError(LLMError):
    kind = "network"
    retryable = True


class Timeout(NetworkError):
    kind = "timeout"


class MalformedResponse(LLMError):
    kind = "malformed"


class ResponseTooLarge(MalformedResponse):
    """The endpoint sent more than an answer of the requested size can take (an endless
    stream, a huge body, a compression bomb); reading stopped at the limit."""

    kind = "too_large"
