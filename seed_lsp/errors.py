"""The one root of seed-lsp's errors: a message a user can act on, an LSP error code, and
whether to tell the user (once per `notice` key) rather than only answer the request.

Features raise these; the server's request wrapper turns them into JSON-RPC errors at the
edge, so no feature knows LSP. This module imports nothing from the package.
"""

from __future__ import annotations

from typing import ClassVar

INVALID_PARAMS = -32602
REQUEST_FAILED = -32803
CONTENT_MODIFIED = -32801


class SeedError(Exception):
    """`str(error)` is one line meant for the user (never holding a key)."""

    code: ClassVar[int] = REQUEST_FAILED
    kind: ClassVar[str] = "error"
    notice: ClassVar[str | None] = None
    """Show the message to the user once per this key (a missing key, a rejected key): the
    user must act, and repeating it on every keystroke would drown them. None: the request's
    answer (and the log) carry it."""


class InvalidParams(SeedError):
    """The request's arguments are malformed (LSP InvalidParams)."""

    code = INVALID_PARAMS
    kind = "invalid_params"


class ContentModified(SeedError):
    """The document changed while the answer was computed: nothing was applied."""

    code = CONTENT_MODIFIED
    kind = "content_modified"


class Refused(SeedError):
    """The request is valid but will not be served (an excluded file, an empty target)."""

    kind = "refused"
