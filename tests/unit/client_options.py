"""Chat-client options as the server makes them from the default settings, with overrides."""

from __future__ import annotations

import dataclasses
from typing import Any

from seed_lsp.config import Settings
from seed_lsp.llm.client import ClientOptions
from seed_lsp.session import client_options


def options(**overrides: Any) -> ClientOptions:
    return dataclasses.replace(client_options(Settings()), **overrides)
