"""Where seed-lsp keeps files of its own: the user's cache directory."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def cache_dir() -> Path:
    """`seed-lsp` under the platform's user cache directory (XDG_CACHE_HOME on Linux)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "seed-lsp"


def uri_to_path(uri: str) -> Path | None:
    """The local path of a `file:` URI (None for other schemes)."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    if not parsed.scheme:
        return Path(uri)
    return None
