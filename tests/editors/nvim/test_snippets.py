"""The Helix, Zed and Emacs snippets in editors/snippets parse, start `seed-lsp --stdio`, and
use only settings the server knows (no editor for them is installed here)."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

from seed_lsp import config

SNIPPETS = Path(__file__).parents[3] / "editors" / "snippets"


def known(section: dict[str, Any]) -> None:
    _, problems = config.resolve(section)
    assert problems == [], problems


def test_helix_languages_toml() -> None:
    data = tomllib.loads((SNIPPETS / "helix" / "languages.toml").read_text())
    server = data["language-server"]["seed-lsp"]
    assert (server["command"], server["args"]) == ("seed-lsp", ["--stdio"])
    known(server["config"]["seedLsp"])
    assert all("seed-lsp" in lang["language-servers"] for lang in data["language"])


def test_zed_settings_json() -> None:
    text = (SNIPPETS / "zed" / "settings.json").read_text()
    data = json.loads(re.sub(r"^\s*//.*$", "", text, flags=re.M))
    server = data["lsp"]["seed-lsp"]
    assert server["binary"] == {"path": "seed-lsp", "arguments": ["--stdio"]}
    known(server["settings"]["seedLsp"])
    assert all("seed-lsp" in lang["language_servers"] for lang in data["languages"].values())


def test_emacs_init_el_is_balanced() -> None:
    text = (SNIPPETS / "emacs" / "init.el").read_text()
    code = re.sub(r'"(?:[^"\\]|\\.)*"', '""', re.sub(r";.*$", "", text, flags=re.M))
    depth = 0
    for char in code:
        depth += {"(": 1, ")": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0
    assert '("seed-lsp" "--stdio")' in text
    assert ":seedLsp" in text and '"seed.explain"' in text
