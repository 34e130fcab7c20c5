"""copilot-lsp (Neovim) with only its `cmd` changed to seed-lsp: next edits requested after the
user's edit, shown, accepted with the README's <Tab>, the rest of the rewrite chained after
each, and the lifecycle seen by the server."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.editors.copilot.conftest import Neovim, rewriting
from tests.fake_endpoint import FakeEndpoint


@dataclass(frozen=True)
class Scenario:
    before: str
    cursor: tuple[int, int]
    """Where the user's edit starts: (1-based line, 0-based byte column), as Neovim counts."""
    keys: str
    replacements: tuple[tuple[str, str], ...]
    """What the fake model does to the region."""
    after: str
    uses: tuple[tuple[int, int, int], ...]
    """The next edits expected, nearest the cursor first: (line, UTF-16 start, UTF-16 end) of
    the range each replaces."""


# Rename a parameter; the "Σ" before a use makes UTF-8 and UTF-16 columns differ on that line
# (copilot-lsp speaks UTF-16 whatever was negotiated).
SHOP = """\
def total(items, tax):
    print("Σ total:", len(items))
    subtotal = sum(item.price for item in items)
    if not items:
        return 0
    return subtotal * (1 + tax)
"""
RENAME = Scenario(
    SHOP,
    (1, 11),
    "ciwproducts<Esc>",
    ((r"\bitems\b", "products"),),
    SHOP.replace("items", "products"),
    ((1, 26, 31), (2, 42, 47), (3, 11, 16)),
)

# Add a parameter; its use in the body and a call site below get it (insertions).
VOLUME = """\
def volume(width, height):
    return width * height


print(volume(2, 3))
"""
ADD_PARAMETER = Scenario(
    VOLUME,
    (1, 24),
    "i, depth<Esc>",
    ((r"(?m)width \* height$", "width * height * depth"), (r"volume\(2, 3\)", "volume(2, 3, 4)")),
    VOLUME.replace("height\n", "height * depth\n")
    .replace("(2, 3)", "(2, 3, 4)")
    .replace("height):", "height, depth):"),
    ((1, 25, 25), (4, 17, 17)),
)


# Add a flag; a guard using it follows (whole lines inserted).
GUARD = """\
def total(items):
    return sum(items)


print(total([1, 2]))
"""
INSERT_LINES = Scenario(
    GUARD,
    (1, 15),
    "i, strict<Esc>",
    (
        (
            r"(?m)^(def total\(items, strict\):\n)(?!    if strict)",
            r'\1    if strict and not items:\n        raise ValueError("no items")\n',
        ),
    ),
    GUARD.replace(
        "(items):\n",
        '(items, strict):\n    if strict and not items:\n        raise ValueError("no items")\n',
    ),
    ((1, 0, 0),),
)


def run(neovim: Neovim, script: str, client_dir: Path, scenario: Scenario) -> dict[str, Any]:
    """Make the scenario's edit in the client and accept every next edit it shows."""
    neovim.fake.responder = rewriting(*scenario.replacements)
    (neovim.workspace / "code.py").write_text(scenario.before)
    outcome = neovim.run(
        script,
        client_dir=str(client_dir),
        file="code.py",
        cursor=list(scenario.cursor),
        keys=scenario.keys,
        edits=len(scenario.uses),
    )
    outcome.check()
    # Nothing the user would be told: no error from a request, no "does not support command".
    assert outcome.notifications == [], outcome.notifications
    return outcome.results


def check_served(fake: FakeEndpoint, results: dict[str, Any], scenario: Scenario) -> None:
    """What every client must have got: each edit in UTF-16 against the version it was asked
    for, all applied, the lifecycle counted, and one model request for the whole rewrite."""
    served = [
        (r["start"]["line"], r["start"]["character"], r["end"]["character"])
        for r in (s["range"] for s in results["suggestions"])
    ]
    assert served == list(scenario.uses)
    for s in results["suggestions"]:
        assert isinstance(s["textDocument"]["version"], int)
        assert s["command"]["command"] == "seed.didAcceptNextEdit"
    assert results["after"] == scenario.after.splitlines()
    assert results["encoding"] == "utf-16"
    status = results["status"]
    assert status["positionEncoding"] == "utf-16"
    stats = status["suggestions"]["nextEdit"]
    n = len(scenario.uses)
    assert (stats["shown"], stats["accepted"], stats["dismissed"]) == (n, n, 0)
    assert stats["charsAccepted"] == sum(len(s["text"]) for s in results["suggestions"])
    # The rewrite is asked for once; the edits after the first come from it. The last applied
    # edit starts a new pause, which may ask again (and finds nothing left).
    assert 1 <= len(fake.chat_requests()) <= 2


def test_copilot_lsp_rename(neovim: Neovim, copilot_lsp_dir: Path) -> None:
    results = run(neovim, "copilot_lsp.lua", copilot_lsp_dir, RENAME)
    check_served(neovim.fake, results, RENAME)
    prompt = neovim.fake.chat_requests()[0].messages[-1]["content"]
    assert "-def total(items, tax):\n+def total(products, tax):" in prompt
    new_lines = RENAME.after.splitlines()
    for (line, _, _), s in zip(RENAME.uses, results["suggestions"], strict=True):
        assert s["text"] == "products"
        # copilot-lsp draws a replacement inside a line as the old line highlighted for
        # deletion and the new line as a virtual line below it.
        deleted = [m for m in s["marks"] if m.get("hl_group") == "CopilotLspNesDelete"]
        assert [(m["row"], m["col"], m.get("end_row")) for m in deleted] == [(line, 0, line)]
        virt = [m["virt"] for m in s["marks"] if m.get("virt")]
        if new_lines[line].isascii():
            assert virt == [new_lines[line]]
        else:
            # copilot-lsp builds that preview line by cutting the old line at the edit's UTF-16
            # column as a byte offset (its bug, the real Copilot server's answers hit it too):
            # the preview is off after a non-ASCII character; the applied edit is right.
            assert len(virt) == 1
    assert results["left"] is False


def test_copilot_lsp_add_parameter(neovim: Neovim, copilot_lsp_dir: Path) -> None:
    results = run(neovim, "copilot_lsp.lua", copilot_lsp_dir, ADD_PARAMETER)
    check_served(neovim.fake, results, ADD_PARAMETER)
    # Insertions inside a line: drawn as inline virtual text where they go.
    for (line, col, _), s in zip(ADD_PARAMETER.uses, results["suggestions"], strict=True):
        inline = [(m["row"], m["col"], m["virt"]) for m in s["marks"] if m.get("virt")]
        assert inline == [(line, col, s["text"])]
    assert [s["text"] for s in results["suggestions"]] == [" * depth", ", 4"]


def test_copilot_lsp_insert_lines(neovim: Neovim, copilot_lsp_dir: Path) -> None:
    results = run(neovim, "copilot_lsp.lua", copilot_lsp_dir, INSERT_LINES)
    check_served(neovim.fake, results, INSERT_LINES)
    # Whole lines inserted: drawn as virtual lines above the line they go before.
    [s] = results["suggestions"]
    assert [(m["row"], m.get("virt")) for m in s["marks"]] == [(1, s["text"].rstrip("\n"))]
