"""Whether the editor tests may install what they need outside this checkout.

They may only when asked: `SEED_LSP_TEST_INSTALL=1` (which `.ci/run` sets, saying what it
installs and where). Without it, a test whose parts are missing (Emacs, Chromium, code-server,
the wheelhouse) skips and says what to install; `python -m pytest` never changes the machine
by itself."""

from __future__ import annotations

import os

VARIABLE = "SEED_LSP_TEST_INSTALL"


def allowed() -> bool:
    return os.environ.get(VARIABLE) == "1"


def not_allowed(what: str, how: str) -> str:
    """The skip reason for a missing part the test would otherwise install."""
    return f"{what} is missing: {how}, or run .ci/run (it installs it), or set {VARIABLE}=1"
